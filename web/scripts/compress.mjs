// Writes name.gz and name.br next to every text file of the build, which zwnet serve sends to
// clients that accept them. Run by `npm run build`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(html|js|mjs|css|json|svg|txt)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (TEXT.test(name)) {
      const data = readFileSync(p);
      writeFileSync(p + '.gz', gzipSync(data, { level: 9 }));
      writeFileSync(p + '.br', brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }));
    }
  }
}

walk(process.argv[2] || 'dist');
