#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/web.h"
#include "core/test.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s%s", dir, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/zwnet-web-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/assets", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	put("/index.html", "<!DOCTYPE html><title>x</title>");
	put("/index.html.gz", "gz"); /* smaller than the original */
	put("/assets/app-1a2b.js", "console.log(1)");
	put("/assets/app-1a2b.js.br", "b");    /* smaller still */
	put("/assets/app-1a2b.js.gz", "gzip"); /* but larger than br */
	put("/.hidden", "secret");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void test_load_and_route(void **state)
{
	(void)state;
	struct webroot root;
	struct zw_err err = {0};
	assert_int_equal(web_load(&root, dir, &err), 0);
	assert_int_equal(root.n, 2); /* variants belong to their file; hidden files skipped */
	const struct web_file *js = web_find(&root, "/assets/app-1a2b.js");
	assert_non_null(js);
	assert_true(js->immutable);
	assert_string_equal(js->type, "text/javascript; charset=utf-8");
	assert_null(web_find(&root, "/.hidden"));
	const struct web_file *index = web_route(&root, "/units/3");
	assert_non_null(index); /* a console route */
	assert_string_equal(index->path, "/index.html");
	assert_false(index->immutable);
	assert_null(web_route(&root, "/assets/gone-9z.js")); /* a missing file, not a route */
	assert_null(web_route(&root, "/favicon.ico"));
	assert_ptr_equal(web_route(&root, "/"), index);
	/* encodings: the smallest the client accepts; q=0 refuses one */
	assert_int_equal(web_encoding(js, NULL), 0);
	assert_int_equal(web_encoding(js, "gzip"), 1);
	assert_int_equal(web_encoding(js, "gzip, deflate, br"), 2);
	assert_int_equal(web_encoding(js, "br;q=0, gzip;q=0.8"), 1);
	assert_int_equal(web_encoding(js, "br ; q=0"), 0);
	assert_int_equal(web_encoding(js, "br;q=0.000, gzip;q=0.001"), 1);
	assert_int_equal(web_encoding(js, "br;q=1.0 , gzip"), 2);
	/* a malformed qvalue is no acceptance (identity always is) */
	assert_int_equal(web_encoding(js, "br;q=0x1, gzip;q=0.5x"), 0);
	assert_int_equal(web_encoding(js, "br;q=2, gzip;q=0.0001"), 0);
	assert_int_equal(web_encoding(js, "xbr, gzipx"), 0);
	assert_int_equal(web_encoding(index, "br"), 0); /* no br variant */
	web_free(&root);
}

static void test_missing_dir_and_orphans(void **state)
{
	(void)state;
	struct webroot root;
	struct zw_err err = {0};
	assert_int_equal(web_load(&root, "/nonexistent/zwnet", &err), 0);
	assert_int_equal(root.n, 0);
	put("/assets/only.js.gz", "x"); /* a compressed file without its original */
	assert_true(web_load(&root, dir, &err) < 0);
	assert_string_equal(err.field, "web_root");
	assert_int_equal(root.n, 0);
	char path[256];
	snprintf(path, sizeof(path), "%s/assets/only.js.gz", dir);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_and_route),
	    cmocka_unit_test(test_missing_dir_and_orphans),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
