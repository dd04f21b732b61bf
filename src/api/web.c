#include "api/web.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/json.h"
#include "core/xalloc.h"

static const struct {
	const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int read_all(const char *file, char **out, size_t *len, struct zw_err *err)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return zw_errf(err, ZW_EINTERNAL, "web_root", "无法读取 %s：%s", file,
		               strerror(errno));
	struct stat st;
	char *p = NULL;
	int rc =
	    fstat(fileno(f), &st) == 0 && st.st_size >= 0 && st.st_size <= WEB_MAX_BYTES ? 0 : -1;
	if (!rc)
		p = xmalloc((size_t)st.st_size + 1);
	if (!rc && fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		rc = -1;
	fclose(f);
	if (rc) {
		free(p);
		return zw_errf(err, ZW_EINTERNAL, "web_root", "无法读取 %s", file);
	}
	p[st.st_size] = 0;
	*out = p;
	*len = (size_t)st.st_size;
	return 0;
}

static struct web_file *file_for(struct webroot *root, const char *path, struct zw_err *err)
{
	for (size_t i = 0; i < root->n; i++)
		if (strcmp(root->v[i].path, path) == 0)
			return &root->v[i];
	if (root->n >= WEB_MAX_FILES) {
		zw_errf(err, ZW_EINTERNAL, "web_root", "控制台文件超过 %d 个", WEB_MAX_FILES);
		return NULL;
	}
	root->v = xreallocarray(root->v, root->n + 1, sizeof(*root->v));
	struct web_file *f = &root->v[root->n++];
	*f = (struct web_file){.path = xstrdup(path)};
	f->type = type_of(path);
	f->immutable = strncmp(path, "/assets/", 8) == 0;
	return f;
}

/* One file of the tree: rel is its path below the root ("/assets/x.js.br"). */
static int add_file(struct webroot *root, const char *abs, const char *rel, struct zw_err *err)
{
	char path[512];
	int enc = ends_with(rel, ".gz") ? 1 : ends_with(rel, ".br") ? 2 : 0;
	size_t n = strlen(rel) - (enc ? 3 : 0);
	if (n >= sizeof(path))
		return zw_errf(err, ZW_EINTERNAL, "web_root", "文件名过长：%s", rel);
	memcpy(path, rel, n);
	path[n] = 0;
	struct web_file *f = file_for(root, path, err);
	if (!f)
		return -err->code;
	char *data = NULL;
	size_t len = 0;
	if (read_all(abs, &data, &len, err))
		return -err->code;
	if (root->bytes + len > WEB_MAX_BYTES) {
		free(data);
		return zw_errf(err, ZW_EINTERNAL, "web_root", "控制台文件总大小超过 %u 字节",
		               WEB_MAX_BYTES);
	}
	root->bytes += len;
	free(f->data[enc]);
	f->data[enc] = data;
	f->len[enc] = len;
	if (enc == 0)
		snprintf(f->etag, sizeof(f->etag), "\"w%016llx\"",
		         (unsigned long long)hash64(data, len));
	return 0;
}

static int walk(struct webroot *root, const char *dir, const char *rel, int depth,
                struct zw_err *err)
{
	if (depth > 8)
		return zw_errf(err, ZW_EINTERNAL, "web_root", "目录层次过深：%s", dir);
	DIR *d = opendir(dir);
	if (!d)
		return zw_errf(err, ZW_EINTERNAL, "web_root", "无法读取目录 %s：%s", dir,
		               strerror(errno));
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue; /* ., .. and hidden files */
		char abs[1024], sub[512];
		if (snprintf(abs, sizeof(abs), "%s/%s", dir, e->d_name) >= (int)sizeof(abs) ||
		    snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name) >= (int)sizeof(sub)) {
			rc = zw_errf(err, ZW_EINTERNAL, "web_root", "路径过长：%s", e->d_name);
			break;
		}
		struct stat st;
		if (stat(abs, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = walk(root, abs, sub, depth + 1, err);
		else if (S_ISREG(st.st_mode))
			rc = add_file(root, abs, sub, err);
	}
	closedir(d);
	return rc;
}

int web_load(struct webroot *root, const char *dir, struct zw_err *err)
{
	memset(root, 0, sizeof(*root));
	struct stat st;
	if (!dir || !*dir || stat(dir, &st) != 0)
		return 0;
	int rc = walk(root, dir, "", 0, err);
	/* a compressed file without its original is of no use */
	for (size_t i = 0; !rc && i < root->n; i++)
		if (!root->v[i].data[0])
			rc = zw_errf(err, ZW_EINTERNAL, "web_root", "只有压缩文件、没有原文件：%s",
			             root->v[i].path);
	if (rc)
		web_free(root);
	return rc;
}

void web_free(struct webroot *root)
{
	for (size_t i = 0; i < root->n; i++) {
		free(root->v[i].path);
		for (int k = 0; k < 3; k++)
			free(root->v[i].data[k]);
	}
	free(root->v);
	memset(root, 0, sizeof(*root));
}

const struct web_file *web_find(const struct webroot *root, const char *path)
{
	for (size_t i = 0; i < root->n; i++)
		if (strcmp(root->v[i].path, path) == 0)
			return &root->v[i];
	return NULL;
}

const struct web_file *web_route(const struct webroot *root, const char *path)
{
	const struct web_file *f = web_find(root, path);
	if (f)
		return f;
	const char *last = strrchr(path, '/');
	if (last && strchr(last, '.'))
		return NULL; /* a missing file, not a console route */
	return web_find(root, "/index.html");
}

/* A qvalue (RFC 9110 12.4.2: 0 or 1 with up to three decimals) from s to end, in thousandths;
 * -1 when malformed. */
static int qvalue(const char *s, const char *end)
{
	while (end > s && end[-1] == ' ')
		end--;
	if (s == end || (*s != '0' && *s != '1'))
		return -1;
	int v = (*s++ - '0') * 1000;
	if (s < end && *s == '.') {
		s++;
		for (int scale = 100; s < end && scale && *s >= '0' && *s <= '9'; s++, scale /= 10)
			v += (*s - '0') * scale;
	}
	return s == end && v <= 1000 ? v : -1;
}

/* Does the Accept-Encoding header list coding with a qvalue above 0 (or none)? */
static bool accepts(const char *header, const char *coding)
{
	size_t n = strlen(coding);
	for (const char *p = header; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		const char *semi = memchr(p, ';', len);
		size_t name = semi ? (size_t)(semi - p) : len;
		while (name && p[name - 1] == ' ')
			name--;
		if (name == n && strncmp(p, coding, n) == 0) {
			const char *q = semi ? strstr(semi, "q=") : NULL;
			if (!q || q >= p + len)
				return true;
			const char *qend = memchr(q + 2, ';', (size_t)(p + len - (q + 2)));
			return qvalue(q + 2, qend ? qend : p + len) > 0;
		}
		p += len;
	}
	return false;
}

int web_encoding(const struct web_file *f, const char *accept_encoding)
{
	int best = 0;
	if (f->data[1] && accepts(accept_encoding, "gzip") && f->len[1] < f->len[best])
		best = 1;
	if (f->data[2] && accepts(accept_encoding, "br") && f->len[2] < f->len[best])
		best = 2;
	return best;
}
