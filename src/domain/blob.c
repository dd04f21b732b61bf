#include "domain/blob.h"

#include <sodium.h>
#include <string.h>

#include "core/parse.h"
#include "store/blob_sql.h"

const char *blob_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (len >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "image/jpeg";
	return NULL;
}

int blob_put(struct sconn *c, const void *data, size_t len, const char *mime, char sha_out[65],
             struct zw_err *err)
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, data, len);
	hex_encode(d, sizeof(d), sha_out);
	return store_blob_put(c, sha_out, data, len, mime, err);
}

int blob_get(struct sconn *c, const char *sha, void **data, size_t *len, char mime[64],
             struct zw_err *err)
{
	return store_blob_get(c, sha, data, len, mime, err);
}
