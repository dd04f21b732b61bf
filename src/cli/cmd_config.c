/* zwnet config: the settings table of zwnet serve as documents, so that the man page
 * zwnet.conf(5) and the packaged /etc/zwnet/zwnet.conf are written from the table itself
 * rather than kept as second copies of it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int usage(void)
{
	fprintf(stderr,
	        "用法: zwnet config man                  zwnet.conf(5) 的配置项列表（roff）\n"
	        "      zwnet config sample [--KEY 值 ...]  带注释的 zwnet.conf："
	        "给出的配置项取给出的值，其余注释掉并写明默认值\n");
	return 2;
}

int cmd_config(int argc, char **argv)
{
	if (argc == 1 && strcmp(argv[0], "man") == 0) {
		config_man(stdout);
		return 0;
	}
	if (argc < 1 || strcmp(argv[0], "sample") != 0 || argc > 64)
		return usage();
	struct config c;
	config_defaults(&c);
	int rest[64], nrest;
	struct zw_err err = {0};
	if (config_parse_args(&c, argc - 1, argv + 1, rest, &nrest, &err) < 0) {
		cli_err(&err);
		config_free(&c);
		return 2;
	}
	if (nrest) {
		fprintf(stderr, "zwnet config: 未知的参数 \"%s\"\n", argv[1 + rest[0]]);
		config_free(&c);
		return usage();
	}
	/* every argument is a setting's flag or its value: the flags name the settings given */
	char names[64][64];
	const char *set[64];
	size_t nset = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0)
			continue;
		size_t n = strcspn(a + 2, "=");
		snprintf(names[nset], sizeof(names[nset]), "%.*s", (int)n, a + 2);
		set[nset] = names[nset];
		nset++;
		if (!a[2 + n])
			i++; /* its value */
	}
	config_sample(stdout, &c, set, nset);
	config_free(&c);
	return 0;
}
