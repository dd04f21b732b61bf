/*
 * web: the web console's static files (web/dist, built by `make web`), served by the API
 * server itself at every path outside /api/.
 *
 * The whole directory is read into memory when the server starts (a built console is a few
 * hundred kilobytes; the load refuses more than WEB_MAX_BYTES or WEB_MAX_FILES), so a request
 * never touches the file system and no path from a request ever reaches open(). Next to a file
 * the build may have left name.gz and name.br: the answer is the smallest variant the client
 * accepts (Accept-Encoding), with Vary: Accept-Encoding. Files under assets/ have content
 * hashes in their names and are cached for a year (immutable); everything else, index.html
 * first, is revalidated (no-cache, with an ETag). A GET for a path that names no file and has
 * no extension is a console route: it gets index.html, so that reloading /units/3 works.
 * HTML carries a Content-Security-Policy that allows only the console's own scripts.
 */
#ifndef ZW_API_WEB_H
#define ZW_API_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define WEB_MAX_BYTES (64u << 20)
#define WEB_MAX_FILES 4096

struct web_file {
	char *path;       /* "/assets/index-3f2a.js" */
	const char *type; /* MIME type */
	char *data[3];    /* identity, gzip, br (NULL when absent) */
	size_t len[3];
	char etag[24];
	bool immutable;
};

struct webroot {
	struct web_file *v;
	size_t n;
	size_t bytes;
};

/* Load dir; a missing directory leaves root empty and returns 0 (the console is optional). */
int web_load(struct webroot *root, const char *dir, struct zw_err *err);
void web_free(struct webroot *root);
/* The file for a request path (exact; NULL when none). */
const struct web_file *web_find(const struct webroot *root, const char *path);
/* The file that answers a GET of path: itself, or index.html for a console route. */
const struct web_file *web_route(const struct webroot *root, const char *path);
/* The variant to send: 0 identity, 1 gzip, 2 br, from an Accept-Encoding header (may be NULL). */
int web_encoding(const struct web_file *f, const char *accept_encoding);

#endif
