#include <stdio.h>
#include <stdlib.h>

#include "core/test.h"
#include "watch/watch.h"

static struct watch *loaded(const char *text, const char *vendors)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/zwnet-oui-%d.txt", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct watch_params p;
	watch_params_default(&p);
	p.max_tracked = 16;
	struct watch *w = calloc(1, sizeof(*w));
	watch_init(w, &p, "");
	struct zw_err err = {0};
	assert_int_equal(watch_load_ouis(w, path, vendors, &err), 0);
	unlink(path);
	return w;
}

static bool has(const struct watch *w, uint32_t oui)
{
	for (size_t i = 0; i < w->nouis; i++)
		if (w->ouis[i] == oui)
			return true;
	return false;
}

static void done(struct watch *w)
{
	watch_free(w);
	free(w);
}

/* A maker is a whole organisation name: "FAST TECHNOLOGIES" was split into words once, and
 * every "... Technology" (a Hikvision camera among them) became a consumer router. */
static void test_makers_are_whole_names(void **state)
{
	(void)state;
	static const char registry[] =
	    "0CD86C     (base 16)\t\tSHENZHEN FAST TECHNOLOGIES CO.,LTD\n"
	    "4447CC     (base 16)\t\tHangzhou Hikvision Digital Technology Co.,Ltd.\n"
	    "D03745     (base 16)\t\tTP-LINK TECHNOLOGIES CO.,LTD.\r\n"
	    "001A2B     (base 16)\t\tTenda Technology Co., Ltd.\n"
	    "00271C     (base 16)\t\tMERCURY CORPORATION\n"
	    "1C60DE     (base 16)\t\tMERCURY COMMUNICATION TECHNOLOGIES CO.,LTD.\n"
	    "00AAAA     (base 16)\t\tFAST TECHNOLOGIES\n";
	struct watch *w = loaded(registry, WATCH_ROUTER_VENDORS);
	assert_true(has(w, 0x0cd86c));
	assert_true(has(w, 0xd03745));
	assert_true(has(w, 0x001a2b)); /* "Co., Ltd." is "Co.,Ltd.": punctuation and blanks go */
	assert_true(has(w, 0x1c60de));
	assert_false(has(w, 0x4447cc)); /* a camera maker */
	assert_false(has(w, 0x00271c)); /* another Mercury */
	assert_false(has(w, 0x00aaaa)); /* a part of a listed name is another organisation */
	assert_int_equal(w->nouis, 4);
	done(w);
	/* case does not matter, a name is whole or nothing */
	w = loaded(registry, " tp-link technologies co., ltd ; Hikvision");
	assert_int_equal(w->nouis, 1);
	assert_true(has(w, 0xd03745));
	done(w);
}

/* The shipped list against Debian's registry (ieee-data): the makers' blocks and no other. */
static void test_the_shipped_list_in_the_registry(void **state)
{
	(void)state;
	const char *path = "/usr/share/ieee-data/oui.txt";
	if (access(path, R_OK) != 0) {
		if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
			fail_msg("%s missing (ieee-data is a dependency)", path);
		skip();
	}
	struct watch_params p;
	watch_params_default(&p);
	p.max_tracked = 16;
	struct watch w;
	watch_init(&w, &p, "");
	struct zw_err err = {0};
	assert_int_equal(watch_load_ouis(&w, path, WATCH_ROUTER_VENDORS, &err), 0);
	/* 392 in ieee-data 20220827; newer registries assign more blocks, never thousands */
	print_message("%zu router OUIs\n", w.nouis);
	assert_true(w.nouis >= 392 && w.nouis < 700);
	assert_true(has(&w, 0x0cd86c));  /* FAST */
	assert_true(has(&w, 0xd03745));  /* TP-Link */
	assert_false(has(&w, 0x4447cc)); /* Hikvision */
	watch_free(&w);
}

int main(void)
{
	RUN(cmocka_unit_test(test_makers_are_whole_names),
	    cmocka_unit_test(test_the_shipped_list_in_the_registry));
}
