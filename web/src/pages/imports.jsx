// 表格导入: a sheet as the office keeps it into the register. Choose what it holds, get the
// template or the register in the same shape, check the file (nothing is written), read what
// was understood and every problem at its cell, then import it whole or only its good rows and
// take the refused rows back as a workbook. Kinds, headers and values come from GET /imports.
import { useState } from 'preact/hooks';
import { upload } from '../api.js';
import { ErrorBox, Field, Loading, Table, useLoad } from '../ui.jsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(f) {
  const bin = atob(f.base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: f.media_type }));
}

function Report({ rep }) {
  const ok = rep.error_count === 0;
  return (
    <section aria-label="检查结果">
      <h2>{rep.dry_run ? '预检结果' : '导入结果'}</h2>
      <p role="status">{[
        rep.sheet ? `工作表“${rep.sheet}”，` : `CSV（${rep.encoding}），`,
        `表头在第 ${rep.header_row} 行；共 ${rep.rows} 行数据，${rep.good_rows} 行无问题`,
        rep.refused_rows ? `，${rep.refused_rows} 行有问题（${rep.error_count} 处）` : '',
        rep.dry_run ? '' : `；已写入 ${rep.written} 行`, '。'].join('')}</p>
      {rep.skipped_rows.length ? (
        <p>未导入的行：{rep.skipped_rows.map((s) => `第 ${s.row} 行（${s.reason === 'notes' ? '说明' : '标题'}）“${s.text}”`).join('；')}</p>
      ) : null}
      {rep.ignored_columns.length ? (
        <p>未导入的列：{rep.ignored_columns.map((c) => `${c.column} 列“${c.header || '（无列名）'}”`).join('、')}</p>
      ) : null}
      {rep.mappings.length ? (
        <Table caption="按登记的取值读取" rows={rep.mappings.map((m, i) => ({ ...m, id: i }))} columns={[
          { label: '列', render: (m) => `${m.column}（${m.header}）` },
          { label: '表中写的', key: 'from' },
          { label: '登记为', key: 'to' },
          { label: '处数', key: 'count' },
        ]} />
      ) : null}
      {ok ? null : (
        <Table caption={`问题（${rep.errors.length < rep.error_count ? `列出前 ${rep.errors.length} 处，` : ''}共 ${rep.error_count} 处）`}
          rows={rep.errors.map((e, i) => ({ ...e, id: i }))} columns={[
            { label: '行', key: 'row' },
            { label: '单元格', key: 'cell' },
            { label: '列', key: 'column' },
            { label: '问题', key: 'message' },
          ]} />
      )}
    </section>
  );
}

export function Imports() {
  const kinds = useLoad('/imports');
  return <Loading state={kinds}>{(list) => <ImportForm kinds={list} />}</Loading>;
}

function ImportForm({ kinds }) {
  const [kind, setKind] = useState(kinds.find((k) => k.kind === 'terminals')?.kind || kinds[0].kind);
  const [file, setFile] = useState(null);
  const [rep, setRep] = useState(null);
  const [done, setDone] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const k = kinds.find((x) => x.kind === kind);
  const send = async (q) => {
    setBusy(true);
    setError(null);
    try {
      const r = await upload(`/imports/${kind}${q}`, file, 'POST');
      if (r.dry_run) setRep(r);
      else { setDone(r); setRep(null); }
    } catch (e) {
      if (e.status === 422 && e.body?.report) { setRep(e.body.report); setError(e); } else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const choose = (f) => { setFile(f); setRep(null); setDone(null); setError(null); };
  return (
    <>
      <h1>表格导入</h1>
      <p class="muted">上传各单位按原样保存的 xlsx 工作簿或 CSV 文件：表头上方的标题行、“序号”等不认识的列、全角字符、合并的单元格和常见的写法都能读取。先预检，不会写入任何数据。</p>
      <Field label="表格内容" name="kind">{(p) => (
        <select {...p} value={kind} onChange={(e) => { setKind(e.currentTarget.value); choose(null); }}>
          {kinds.map((x) => <option value={x.kind}>{x.label}</option>)}
        </select>
      )}</Field>
      <p>
        <a href={`/api/v1/imports/${kind}/template`} download>下载{k.label}导入模板</a>
        {'　'}
        <a href={`/api/v1/imports/${kind}/export`} download>导出当前{k.label}登记</a>
      </p>
      <details>
        <summary>可识别的列</summary>
        <Table rows={k.columns.map((c) => ({ ...c, id: c.field }))} columns={[
          { label: '列名', key: 'header' },
          { label: '必填', render: (c) => (c.required ? '是' : '') },
          { label: '填写要求', key: 'format' },
          { label: '也可写作', render: (c) => c.synonyms.join('、') },
        ]} />
      </details>
      <Field label="选择文件" name="file">{(p) => (
        <input {...p} type="file" accept={`.xlsx,.csv,${XLSX},text/csv`} onChange={(e) => choose(e.currentTarget.files[0] || null)} />
      )}</Field>
      <div class="actions">
        <button type="button" disabled={!file || busy} onClick={() => send('?dry_run=1')}>预检</button>
        <button type="button" disabled={!rep || rep.error_count > 0 || busy} onClick={() => send('')}>确认导入</button>
        <button type="button" disabled={!rep || rep.error_count === 0 || rep.good_rows === 0 || busy}
          onClick={() => send('?good_rows_only=1')}>只导入无问题的行</button>
      </div>
      {error && !(rep && error.status === 422) ? <ErrorBox error={error} /> : null}
      {rep ? <Report rep={rep} /> : null}
      {done ? (
        <section aria-label="导入结果">
          <p role="status">已导入 {done.written} 行{k.label}{done.refused_rows ? `，${done.refused_rows} 行有问题未导入` : ''}。</p>
          {done.refused_file ? (
            <p><a href={download(done.refused_file)} download={done.refused_file.name}>下载未导入的行（含“问题”列）</a></p>
          ) : null}
          {done.refused_rows ? <Report rep={done} /> : null}
        </section>
      ) : null}
    </>
  );
}
