/* The administrative subcommands: user, unit, audit, demo, profile. */
#include <errno.h>
#include <pwd.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "api/openapi.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/text.h"
#include "core/parse.h"
#include "domain/audit.h"
#include "domain/backup.h"
#include "domain/deadline.h"
#include "domain/demo.h"
#include "domain/import.h"
#include "domain/import_kind.h"
#include "domain/ipam/address.h"
#include "domain/access/application.h"
#include "domain/inventory/assets.h"
#include "domain/ipam/ipam.h"
#include "domain/paper.h"
#include "domain/inventory/terminal.h"
#include "domain/org/unit.h"
#include "domain/workdays.h"
#include "domain/workflow.h"
#include "core/xalloc.h"

void cli_err(const struct zw_err *err)
{
	fprintf(stderr, "zwnet: %s%s%s%s%s\n",
	        err->message[0] ? err->message : zw_err_default(err->code),
	        err->field[0] ? "（字段 " : "", err->field, err->field[0] ? "）" : "",
	        err->clause[0] ? "" : "");
	if (err->clause[0])
		fprintf(stderr, "依据条款：%s\n", err->clause);
}

/* A command waiting for the server's write to end says so once a second has passed. */
static void lock_notice(void *arg)
{
	const struct store_wait *w = arg;
	fprintf(stderr, "zwnet: 数据库正被服务占用，等待中…（最长等待 %lld 秒）\n",
	        (long long)(w->limit_ms / 1000));
}

/* One command per process: the wait of its store lives as long as the process. */
static struct store_wait cli_wait;

int cli_open(struct cli_env *e, int argc, char **argv, bool need_db)
{
	return cli_open_as(e, argc, argv, need_db, false);
}

int cli_open_as(struct cli_env *e, int argc, char **argv, bool need_db, bool server)
{
	memset(e, 0, sizeof(*e));
	config_defaults(&e->cfg);
	struct zw_err err = {0};
	if (config_parse_args(&e->cfg, argc, argv, e->rest, &e->nrest, &err) < 0) {
		cli_err(&err);
		config_free(&e->cfg);
		return 2;
	}
	enum log_level lvl;
	if (log_level_parse(e->cfg.log_level, &lvl) == 0)
		log_init(lvl, stderr);
	e->acct.session_ttl = e->cfg.session_ttl;
	if (account_cost_parse(e->cfg.password_cost, &e->acct) < 0) {
		fprintf(stderr,
		        "zwnet: password_cost 只能是 interactive、moderate、sensitive 或 min\n");
		config_free(&e->cfg);
		return 2;
	}
	char stored[64] = "";
	if (store_synchronous(e->cfg.db_synchronous) < 0) {
		fprintf(stderr, "zwnet: db_synchronous 只能是 full 或 normal\n");
		config_free(&e->cfg);
		return 2;
	}
	if (need_db) {
		cli_wait =
		    (struct store_wait){1000, e->cfg.lock_wait * 1000, lock_notice, &cli_wait};
		if (store_open_waiting(e->cfg.db, server ? NULL : &cli_wait, &e->st, &err) < 0) {
			cli_err(&err);
			config_free(&e->cfg);
			return 1;
		}
		store_meta_get(e->st, "profile", stored, sizeof(stored));
		char keyfile[1024];
		config_keyfile(&e->cfg, keyfile, sizeof(keyfile));
		if (backup_key_open(e->st, keyfile, &err) < 0 || workdays_init(e->st, &err) < 0) {
			cli_err(&err);
			cli_close(e);
			return 1;
		}
	}
	const char *name = *e->cfg.profile ? e->cfg.profile : *stored ? stored : "tongbai";
	if (profile_load(name, &e->prof, &err) < 0) {
		cli_err(&err);
		cli_close(e);
		return 1;
	}
	if (need_db) {
		if (*stored && strcmp(stored, e->prof->id) != 0)
			log_warnx("数据库按办法 %s 建立，现在使用 %s", stored, e->prof->id);
		if (!*stored)
			store_meta_set(e->st, "profile", e->prof->id, NULL);
	}
	e->who.role = ROLE_SYSTEM;
	const struct passwd *pw = getpwuid(getuid());
	text_printf(e->who.username, sizeof(e->who.username), "cli:%s", pw ? pw->pw_name : "?");
	snprintf(e->who.source, sizeof(e->who.source), "cli");
	snprintf(e->who.request_id, sizeof(e->who.request_id), "cli-%d", (int)getpid());
	return 0;
}

void cli_close(struct cli_env *e)
{
	store_close(e->st);
	profile_free(e->prof);
	config_free(&e->cfg);
	e->st = NULL;
	e->prof = NULL;
}

/* Flags that take no value. */
static bool is_switch(const char *a)
{
	return !strcmp(a, "--json") || !strcmp(a, "--dry-run") || !strcmp(a, "--good-rows-only") ||
	       !strcmp(a, "--force");
}

/* Remaining arguments: positional words and --flags the config table does not know. */
static const char *arg_pos(struct cli_env *e, char **argv, int n)
{
	int k = 0;
	for (int i = 0; i < e->nrest; i++) {
		const char *a = argv[e->rest[i]];
		if (strncmp(a, "--", 2) == 0) {
			if (!strchr(a, '=') && i + 1 < e->nrest &&
			    e->rest[i + 1] == e->rest[i] + 1 && !is_switch(a))
				i++;
			continue;
		}
		if (k++ == n)
			return a;
	}
	return NULL;
}

/* The first n bytes of a and flag are the same flag: a dash and an underscore after the
 * leading "--" are one (--snmp_community is --snmp-community, as the settings take both). */
static bool flag_same(const char *a, const char *flag, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i] == '_' ? '-' : a[i], y = flag[i] == '_' ? '-' : flag[i];
		if (x != y || !a[i])
			return false;
	}
	return true;
}

static const char *arg_flag(struct cli_env *e, char **argv, const char *flag)
{
	size_t n = strlen(flag);
	for (int i = 0; i < e->nrest; i++) {
		const char *a = argv[e->rest[i]];
		if (!flag_same(a, flag, n))
			continue;
		if (a[n] == '=')
			return a + n + 1;
		if (!a[n] && i + 1 < e->nrest && e->rest[i + 1] == e->rest[i] + 1)
			return argv[e->rest[i + 1]];
	}
	return NULL;
}

static bool arg_has(struct cli_env *e, char **argv, const char *flag)
{
	for (int i = 0; i < e->nrest; i++)
		if (strcmp(argv[e->rest[i]], flag) == 0)
			return true;
	return false;
}

static char *read_password(void)
{
	const char *env = getenv("ZWNET_PASSWORD");
	if (env && *env)
		return xstrdup(env);
	static char line[256];
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "密码: ");
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(line, sizeof(line), stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return NULL;
	line[strcspn(line, "\r\n")] = 0;
	return xstrdup(line);
}

int cmd_user(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *verb = arg_pos(&e, argv, 0), *name = arg_pos(&e, argv, 1);
	const char *role = arg_flag(&e, argv, "--role"), *unit = arg_flag(&e, argv, "--unit");
	struct zw_err err = {0};
	if (!verb || strcmp(verb, "add") != 0 || !name || !role) {
		fprintf(stderr, "用法: zwnet user add NAME --role ROLE [--unit ID] [--display-name "
		                "姓名] --db FILE\n"
		                "（密码取自环境变量 ZWNET_PASSWORD，否则提示输入）\n");
		cli_close(&e);
		return 2;
	}
	struct user u = {.username = (char *)name,
	                 .role = (char *)role,
	                 .display_name = (char *)arg_flag(&e, argv, "--display-name")};
	const struct rec_field *rf = rec_field(&user_schema, "role");
	if (!rec_enum_label(rf, role)) {
		char roles[400];
		rec_enum_list(rf, roles, sizeof(roles));
		fprintf(stderr, "zwnet: 角色只能是：%s\n", roles);
		cli_close(&e);
		return 2;
	}
	if (unit && parse_i64(unit, 1, INT64_MAX, &u.unit_id) < 0) {
		fprintf(stderr, "zwnet: --unit 应为单位编号\n");
		cli_close(&e);
		return 2;
	}
	char *pw = read_password();
	int64_t id;
	rc = account_user_create(e.st, &e.acct, &e.who, &u, pw, &id, &err);
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	if (rc < 0) {
		cli_err(&err);
		cli_close(&e);
		return 1;
	}
	printf("已创建用户 %s（编号 %lld，角色 %s）\n", name, (long long)id,
	       rec_enum_label(rf, role));
	cli_close(&e);
	return 0;
}

static void print_units(json_t *items)
{
	size_t i;
	json_t *v;
	printf("%-5s %-10s %-8s %-6s %s\n", "编号", "状态", "类型", "层级", "名称");
	json_array_foreach(items, i, v)
	{
		printf("%-5lld %-10s %-8s %-6s %s\n",
		       (long long)json_integer_value(json_object_get(v, "id")),
		       json_string_value(json_object_get(v, "status")),
		       json_string_value(json_object_get(v, "type")),
		       json_string_value(json_object_get(v, "level")),
		       json_string_value(json_object_get(v, "name")));
	}
}

/* Build a JSON object from --field value flags of a record schema (dashes for underscores). */
static json_t *flags_to_json(struct cli_env *e, char **argv, const struct rec_schema *sc,
                             const char *const *skip)
{
	json_t *o = json_object();
	for (size_t i = 0; i < sc->nfields; i++) {
		const struct rec_field *f = &sc->fields[i];
		char flag[64];
		snprintf(flag, sizeof(flag), "--%s", f->name);
		for (char *p = flag + 2; *p; p++)
			if (*p == '_')
				*p = '-';
		bool skipped = false;
		for (const char *const *s = skip; s && *s; s++)
			skipped |= strcmp(*s, f->name) == 0;
		const char *v = skipped ? NULL : arg_flag(e, argv, flag);
		if (!v)
			continue;
		int64_t n;
		bool b;
		if ((f->type == REC_ID || f->type == REC_INT) &&
		    parse_i64(v, INT64_MIN, INT64_MAX, &n) == 0)
			json_object_set_new(o, f->name, json_integer(n));
		else if (f->type == REC_BOOL && parse_bool(v, &b) == 0)
			json_object_set_new(o, f->name, json_boolean(b));
		else if (f->type == REC_ID && strcmp(v, "none") == 0)
			json_object_set_new(o, f->name, json_null());
		else
			json_object_set_new(o, f->name, json_string(v));
	}
	return o;
}

/* A printable document: its HTML on standard output, or its PDF into the file pdf. */
static int write_doc(const struct doc *d, const char *pdf, struct zw_err *err)
{
	struct buf out;
	buf_init(&out, 64u << 20);
	int rc = pdf ? doc_pdf(d, &out) : doc_html(d, &out);
	if (rc < 0) {
		if (!buf_check(&out, err, "文档"))
			zw_errf(err, ZW_EINTERNAL, NULL, "生成文档失败");
		buf_free(&out);
		return -err->code;
	}
	FILE *f = pdf ? fopen(pdf, "wb") : stdout;
	bool ok = f && fwrite(out.p, 1, out.len, f) == out.len;
	if (pdf && f)
		ok = fclose(f) == 0 && ok;
	buf_free(&out);
	if (!ok)
		return zw_errf(err, ZW_EINVALID, "pdf", "无法写入 %s", pdf ? pdf : "标准输出");
	if (pdf)
		fprintf(stderr, "已写入 %s\n", pdf);
	return 0;
}

/* Every object of k (under parent) the principal may read, following the pages of q; NULL with
 * err when it may read none. */
int cmd_unit(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *verb = arg_pos(&e, argv, 0), *ids = arg_pos(&e, argv, 1);
	struct zw_err err = {0};
	struct ctx x = {e.st, e.prof, &e.who};
	bool json = arg_has(&e, argv, "--json");
	int64_t id = 0;
	if (ids && parse_i64(ids, 1, INT64_MAX, &id) < 0)
		ids = NULL;
	rc = 0;
	if (verb && strcmp(verb, "list") == 0) {
		struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
		const char *st = arg_flag(&e, argv, "--status");
		if (st)
			q.f[q.nf++] = (struct lq_filter){.col = "status", .val = st, .op = LQ_EQ};
		json_t *items = registry_list_all(&x, &unit_kind, 0, &q, &err);
		rc = items ? 0 : -err.code;
		if (items && json) {
			char *s = json_dumps(items, JSON_INDENT(2));
			puts(s);
			free(s);
		} else if (items) {
			print_units(items);
		}
		json_decref(items);
	} else if (verb && strcmp(verb, "show") == 0 && ids) {
		struct unit u = {0};
		rc = registry_get(&x, &unit_kind, id, &u, &err);
		if (!rc) {
			json_t *o = unit_json(&u);
			struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
			json_object_set_new(o, "contacts",
			                    registry_list_all(&x, &contact_kind, id, &q, &err));
			q = (struct list_query){.limit = 500, .sort = "id", .sort_int = true};
			json_object_set_new(o, "agreements",
			                    registry_list_all(&x, &agreement_kind, id, &q, &err));
			json_object_set_new(o, "history", unit_history(&x, id, &err));
			char *s = json_dumps(o, JSON_INDENT(2));
			puts(s);
			free(s);
			json_decref(o);
		}
		unit_free(&u);
	} else if (verb && strcmp(verb, "add") == 0) {
		json_t *o = flags_to_json(&e, argv, &unit_schema, NULL);
		struct unit u = {0};
		uint64_t present;
		rc = rec_from_json(&unit_schema, o, true, &u, &present, &err);
		json_decref(o);
		if (!rc)
			rc = registry_create(&x, &unit_kind, &u, &id, &err);
		unit_free(&u);
		if (!rc)
			printf("已登记单位，编号 %lld\n", (long long)id);
	} else if (verb && strcmp(verb, "set") == 0 && ids) {
		static const char *const skip[] = {"status", NULL};
		json_t *o = flags_to_json(&e, argv, &unit_schema, skip);
		const char *status = arg_flag(&e, argv, "--status");
		if (json_object_size(o)) {
			struct unit patch = {0};
			uint64_t present;
			rc = rec_from_json(&unit_schema, o, false, &patch, &present, &err);
			if (!rc)
				rc = registry_update(&x, &unit_kind, id, &patch, present, 0, &err);
			unit_free(&patch);
		}
		if (!rc && status)
			rc = unit_set_status(&x, id, status, arg_flag(&e, argv, "--clause"),
			                     arg_flag(&e, argv, "--reason"), 0, &err);
		if (!rc && !json_object_size(o) && !status) {
			fprintf(stderr, "zwnet unit set: 没有要修改的字段\n");
			rc = -ZW_EINVALID;
			err.code = ZW_EINVALID;
			snprintf(err.message, sizeof(err.message), "没有要修改的字段");
		}
		json_decref(o);
		if (!rc)
			printf("已更新单位 %lld\n", (long long)id);
	} else if (verb && strcmp(verb, "agreement") == 0 && ids && arg_pos(&e, argv, 2)) {
		struct doc d = {0};
		rc = paper_agreement(&x, id, arg_pos(&e, argv, 2), &d, &err);
		if (!rc)
			rc = write_doc(&d, arg_flag(&e, argv, "--pdf"), &err);
		doc_free(&d);
	} else {
		fprintf(stderr,
		        "用法: zwnet unit list [--status 状态] [--json]\n"
		        "      zwnet unit show ID\n"
		        "      zwnet unit add --name 名称 --type 类型 --level 层级 [--address 地址]"
		        " [--parent-id ID] [--short-name 简称] [--status 状态]\n"
		        "      zwnet unit set ID [--name ...] [--status 状态 --reason 原因"
		        " [--clause 条款]]\n"
		        "      zwnet unit agreement ID 协议代码 [--pdf FILE]\n"
		        "  (均需 --db FILE)\n");
		cli_close(&e);
		return 2;
	}
	if (rc < 0)
		cli_err(&err);
	cli_close(&e);
	return rc < 0 ? 1 : 0;
}

/* A known chain head: "HASH" or "ID:HASH" (as a daily notice writes it), or the head a
 * backup's manifest recorded. */
static int known_head(const char *head, const char *manifest, int64_t *id, char hash[65])
{
	*id = 0;
	hash[0] = 0;
	if (manifest) {
		json_error_t je;
		json_t *m = json_load_file(manifest, 0, &je);
		const char *h =
		    json_string_value(json_object_get(json_object_get(m, "audit_head"), "hash"));
		if (!h) {
			fprintf(stderr, "zwnet: 无法读取备份清单 %s 的审计链头%s%s\n", manifest,
			        m ? "" : "：", m ? "" : je.text);
			json_decref(m);
			return -1;
		}
		*id = json_integer_value(json_object_get(json_object_get(m, "audit_head"), "id"));
		snprintf(hash, 65, "%s", h);
		json_decref(m);
		return 0;
	}
	const char *colon = strchr(head, ':');
	char num[24] = "";
	if (colon && colon - head < (ptrdiff_t)sizeof(num))
		memcpy(num, head, (size_t)(colon - head));
	if (colon && parse_i64(num, 1, INT64_MAX, id) < 0) {
		fprintf(stderr, "zwnet: --head 应为 哈希 或 编号:哈希\n");
		return -1;
	}
	const char *h = colon ? colon + 1 : head;
	if (strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64) {
		fprintf(stderr, "zwnet: --head 的哈希应为 64 位十六进制数\n");
		return -1;
	}
	snprintf(hash, 65, "%s", h);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *verb = arg_pos(&e, argv, 0);
	const char *head = arg_flag(&e, argv, "--head"),
	           *manifest = arg_flag(&e, argv, "--manifest");
	if (!verb || strcmp(verb, "verify") != 0 || (head && manifest)) {
		fprintf(stderr,
		        "用法: zwnet audit verify --db FILE [--head [编号:]哈希 | --manifest "
		        "备份清单.json]\n");
		cli_close(&e);
		return 2;
	}
	int64_t want_id = 0;
	char want[65] = "";
	if ((head || manifest) && known_head(head, manifest, &want_id, want) < 0) {
		cli_close(&e);
		return 2;
	}
	struct zw_err err = {0};
	struct audit_verify v;
	rc = audit_verify_head(e.st, *want ? want : NULL, &v, &err);
	if (rc == 0 && want_id && v.head_id != want_id) {
		snprintf(v.reason, sizeof(v.reason),
		         "已知链头应为第 %lld 条，而日志中哈希相同的记录是第 %lld 条",
		         (long long)want_id, (long long)v.head_id);
		v.bad_id = v.head_id;
		rc = -ZW_ECONFLICT;
	}
	if (rc == 0 && *want)
		printf(
		    "审计日志完整：共 %lld 条，哈希链校验通过，且包含已知链头（第 %lld 条，%.16s…）"
		    "及其前的全部记录\n",
		    (long long)v.entries, (long long)v.head_id, want);
	else if (rc == 0)
		printf("审计日志完整：共 %lld 条，哈希链校验通过\n", (long long)v.entries);
	else if (v.bad_id)
		if (v.bad_id > 0)
			fprintf(stderr, "审计日志校验失败：首个异常记录为第 %lld 条：%s\n",
			        (long long)v.bad_id, v.reason);
		else
			fprintf(stderr, "审计日志校验失败：%s\n", v.reason);
	else
		cli_err(&err);
	cli_close(&e);
	return rc == 0 ? 0 : 1;
}

int cmd_backup(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *to = arg_flag(&e, argv, "--to");
	const char *keep_s = arg_flag(&e, argv, "--keep");
	if (!to)
		to = *e.cfg.backup_dir ? e.cfg.backup_dir : NULL;
	int64_t keep = e.cfg.backup_keep;
	if (!to || arg_pos(&e, argv, 0) || (keep_s && parse_i64(keep_s, 0, 100000, &keep) < 0)) {
		fprintf(stderr, "用法: zwnet backup --db FILE --to 目录 [--keep N]\n"
		                "  服务运行时也可备份；目录中保留最新 N 份（默认 backup_keep）\n");
		cli_close(&e);
		return 2;
	}
	char keyfile[1024];
	config_keyfile(&e.cfg, keyfile, sizeof(keyfile));
	struct zw_err err = {0};
	struct backup_set b;
	rc = backup_make(e.st, keyfile, to, (int)keep, &b, &err);
	if (rc == 0) {
		printf("备份完成：%s（%lld 字节，%lld 毫秒）\n", b.db, (long long)b.bytes,
		       (long long)b.ms);
		printf("  密钥文件：%s\n", *b.key ? b.key : "（无）");
		printf("  清单：%s\n  审计日志链头：第 %lld 条 %s\n", b.manifest,
		       (long long)b.audit_head_id, b.audit_head);
		if (b.removed)
			printf("  按保留份数删除了较早的 %d 份备份\n", b.removed);
	} else {
		cli_err(&err);
	}
	cli_close(&e);
	return rc == 0 ? 0 : 1;
}

int cmd_restore(int argc, char **argv)
{
	/* the database may not exist yet: the settings only, nothing opened */
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, false);
	if (rc)
		return rc;
	const char *manifest = arg_pos(&e, argv, 0);
	bool check_only = arg_has(&e, argv, "--check");
	bool db_given = false;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--db") || !strncmp(argv[i], "--db=", 5))
			db_given = true;
	if (!manifest || arg_pos(&e, argv, 1) || (!check_only && !db_given)) {
		fprintf(
		    stderr,
		    "用法: zwnet restore 备份清单.json --db FILE [--force]   恢复（先停止服务）\n"
		    "      zwnet restore 备份清单.json --check              只检查备份\n");
		cli_close(&e);
		return 2;
	}
	struct zw_err err = {0};
	struct backup_info info;
	char kept[1100] = "";
	if (check_only) {
		char work[1100];
		snprintf(work, sizeof(work), "%s.checking", manifest);
		rc = backup_check(manifest, work, false, &info, &err);
	} else {
		char keyfile[1024];
		config_keyfile(&e.cfg, keyfile, sizeof(keyfile));
		rc = backup_restore(manifest, e.cfg.db, keyfile, arg_has(&e, argv, "--force"),
		                    &info, kept, sizeof(kept), &err);
	}
	if (rc == 0) {
		json_t *m = info.manifest;
		printf("备份可用：%s（%s 建立，数据库结构第 %lld 版，办法 %s）\n", info.db,
		       json_string_value(json_object_get(m, "created")),
		       (long long)json_integer_value(json_object_get(m, "schema_version")),
		       json_string_value(json_object_get(m, "profile")));
		printf("  文件与清单一致，数据库完整，审计日志 %lld 条校验通过至清单记录的链头\n",
		       (long long)info.audit_entries);
		if (!*info.key)
			printf("  备份中没有密钥文件\n");
		if (!check_only) {
			printf("已恢复到 %s\n", e.cfg.db);
			if (*kept)
				printf("  原数据库改名保留为 %s\n", kept);
		}
	} else {
		cli_err(&err);
	}
	json_decref(info.manifest);
	cli_close(&e);
	return rc == 0 ? 0 : 1;
}

int cmd_demo(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *pw = getenv("ZWNET_PASSWORD");
	if (!pw || !*pw)
		pw = "Demo2026zw";
	struct zw_err err = {0};
	struct demo_result res;
	rc = demo_seed(e.st, e.prof, &e.acct, &e.who, pw, &res, &err);
	if (rc < 0) {
		cli_err(&err);
		cli_close(&e);
		return 1;
	}
	printf("已写入演示县（%s，依据《%s》）：%d 个单位，%d 名联系人，%d 份协议，%d 个用户\n",
	       e.prof->county, e.prof->title, res.units, res.contacts, res.agreements, res.users);
	printf(
	    "演示账号：admin（网络管理单位）、ops、carrier、unit、inspector、auditor%s；密码 %s\n",
	    profile_org_name(e.prof, "authority") ? "、authority" : "", pw);
	cli_close(&e);
	return 0;
}

int cmd_profile(int argc, char **argv)
{
	struct cli_env e;
	memset(&e, 0, sizeof(e));
	const char *verb = argc > 0 ? argv[0] : NULL;
	struct zw_err err = {0};
	if (verb && strcmp(verb, "check") == 0 && argc > 1) {
		struct profile *p;
		if (profile_load(argv[1], &p, &err) < 0) {
			cli_err(&err);
			return 1;
		}
		size_t articles = 0;
		for (size_t i = 0; i < p->nclauses; i++)
			articles += p->clauses[i].article > 0;
		printf("办法有效：《%s》，%zu 条条款，%zu 个附件\n", p->title, articles,
		       p->nclauses - articles);
		profile_free(p);
		return 0;
	}
	if (verb && strcmp(verb, "keys") == 0) { /* the key list of docs/PROFILES.md */
		profile_keys_markdown(stdout);
		return 0;
	}
	if (verb && strcmp(verb, "show") == 0) {
		int rc = cli_open(&e, argc - 1, argv + 1, false);
		if (rc)
			return rc;
		json_t *o = profile_to_json(e.prof, false);
		char *s = json_dumps(o, JSON_INDENT(2));
		puts(s);
		free(s);
		json_decref(o);
		cli_close(&e);
		return 0;
	}
	fprintf(stderr, "用法: zwnet profile check NAME|FILE.conf\n      zwnet profile show "
	                "[--profile NAME]\n      zwnet profile keys [--markdown]\n");
	return 2;
}

int cmd_openapi(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, false);
	if (rc)
		return rc;
	struct zw_err err = {0};
	json_t *doc = openapi_build(e.prof, &err);
	char *s = doc ? json_dumps(doc, JSON_INDENT(1)) : NULL;
	if (s)
		puts(s);
	else
		cli_err(&err);
	free(s);
	json_decref(doc);
	cli_close(&e);
	return s ? 0 : 1;
}

/* The workflows' tables as the docs show them (docs/WORKFLOWS.md, checked for drift). */
int cmd_workflows(int argc, char **argv)
{
	(void)argc, (void)argv; /* the tables are the program's: no option changes them */
	struct buf b;
	buf_init(&b, SIZE_MAX); /* the program's tables alone: no maximum to reach */
	for (size_t i = 0; workflows[i]; i++)
		workflow_markdown(workflows[i], &b);
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
	return 0;
}

/* ---- the registry kinds the CLI serves (REG_CLI in domain/registry.c) ---- */

static void print_obj(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	puts(s ? s : "{}");
	free(s);
}

static int registry_list_cli(struct cli_env *e, char **argv, const struct registry_kind *k,
                             const struct ctx *x, struct zw_err *err)
{
	struct list_query q = {.limit = 500, .sort = "id", .sort_int = true};
	/* --field value filters on the kind's own fields */
	for (size_t i = 0; i < k->sc->nfields && q.nf < LQ_MAX_FILTERS; i++) {
		const struct rec_field *f = &k->sc->fields[i];
		char flag[64];
		snprintf(flag, sizeof(flag), "--%s", f->name);
		for (char *p = flag + 2; *p; p++)
			if (*p == '_')
				*p = '-';
		const char *v = arg_flag(e, argv, flag);
		if (!v)
			continue;
		struct lq_filter *lf = &q.f[q.nf++];
		lf->col = f->name;
		lf->val = v;
		lf->op = LQ_EQ;
		if (f->type == REC_ID || f->type == REC_INT) {
			lf->op = LQ_EQ_INT;
			if (parse_i64(v, INT64_MIN, INT64_MAX, &lf->ival) < 0)
				return zw_errf(err, ZW_EINVALID, f->name, "--%s 应为整数", f->name);
		}
	}
	for (;;) {
		struct buf text;
		buf_init(&text, 256u << 20);
		struct list_page page;
		int rc = registry_list(x, k, &q, &text, &page, err);
		json_t *items = rc ? NULL : json_loadb(text.p, text.len, 0, NULL);
		buf_free(&text);
		if (rc)
			return rc;
		size_t i;
		json_t *v;
		json_array_foreach(items, i, v) print_obj(v);
		json_decref(items);
		if (!page.more)
			return 0;
		if (list_cursor_decode(page.next_cursor, &q, err) < 0)
			return -err->code;
	}
}

static int show(const struct ctx *x, const struct registry_kind *k, int64_t id, struct zw_err *err)
{
	void *rec = xcalloc(1, k->sc->size);
	int rc = registry_get(x, k, id, rec, err);
	if (!rc) {
		json_t *o = rec_to_json(k->sc, rec);
		char *s = json_dumps(o, JSON_INDENT(2));
		puts(s);
		free(s);
		json_decref(o);
	}
	rec_free(k->sc, rec);
	free(rec);
	return rc;
}

static int cmd_registry(const char *cmd, const struct registry_kind *k, int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *verb = arg_pos(&e, argv, 0), *ids = arg_pos(&e, argv, 1);
	int64_t id = 0;
	if (ids && parse_i64(ids, 1, INT64_MAX, &id) < 0)
		ids = NULL;
	struct zw_err err = {0};
	struct ctx x = {e.st, e.prof, &e.who};
	bool is_prefix = k == &prefix_kind;
	struct ipam_cfg icfg = {e.cfg.quarantine};
	rc = 0;
	if (verb && strcmp(verb, "list") == 0) {
		rc = registry_list_cli(&e, argv, k, &x, &err);
	} else if (verb && strcmp(verb, "show") == 0 && ids) {
		rc = show(&x, k, id, &err);
	} else if (verb && (strcmp(verb, "add") == 0 || (strcmp(verb, "set") == 0 && ids))) {
		bool add = verb[0] == 'a';
		json_t *o = flags_to_json(&e, argv, k->sc, NULL);
		void *rec = xcalloc(1, k->sc->size);
		uint64_t present;
		rc = rec_from_json(k->sc, o, add, rec, &present, &err);
		if (!rc && add)
			rc = is_prefix ? prefix_create(&x, NULL, rec, &id, &err)
			               : registry_create(&x, k, rec, &id, &err);
		else if (!rc)
			rc = registry_update(&x, k, id, rec, present, 0, &err);
		rec_free(k->sc, rec);
		free(rec);
		json_decref(o);
		if (!rc)
			rc = show(&x, k, id, &err);
	} else if (verb && strcmp(verb, "rm") == 0 && ids) {
		rc = is_prefix ? prefix_release(&x, NULL, &icfg, id, 0, &err)
		               : registry_delete(&x, k, id, 0, &err);
		if (!rc)
			printf("已删除 %s %lld\n", cmd, (long long)id);
	} else if (is_prefix && verb && strcmp(verb, "allocate") == 0 && ids) {
		struct alloc_req r = {0};
		const char *v;
		if ((v = arg_flag(&e, argv, "--unit-id")))
			parse_i64(v, 1, INT64_MAX, &r.unit_id);
		if ((v = arg_flag(&e, argv, "--hosts")))
			parse_i64(v, 1, INT64_MAX, &r.hosts);
		if ((v = arg_flag(&e, argv, "--prefix-length")))
			parse_i64(v, 1, 128, &r.length);
		if ((v = arg_flag(&e, argv, "--family")))
			parse_i64(v, 4, 6, &r.family);
		int64_t child;
		rc = prefix_allocate(&x, NULL, id, 0, &r, &child, &err);
		if (!rc)
			rc = show(&x, k, child, &err);
	} else if (is_prefix && verb && strcmp(verb, "verify") == 0) {
		struct ipam_usage_verify v;
		rc = ipam_usage_verify(e.st, &v, &err);
		if (!rc)
			printf("地址段用量校验通过：%lld 个地址段的用量与重新计算一致\n",
			       (long long)v.prefixes);
	} else {
		fprintf(stderr,
		        "用法: zwnet %s list [--字段 值 ...]\n"
		        "      zwnet %s show ID\n"
		        "      zwnet %s add --字段 值 ...\n"
		        "      zwnet %s set ID --字段 值 ...\n"
		        "      zwnet %s rm ID\n%s"
		        "  (均需 --db FILE；字段名见 /api/v1/openapi.json，下划线写作 -)\n",
		        cmd, cmd, cmd, cmd, cmd,
		        is_prefix
		            ? "      zwnet prefix allocate PARENT_ID --unit-id N (--hosts N |"
		              " --prefix-length L) [--family 4|6]\n"
		              "      zwnet prefix verify   （重新计算各地址段的用量并与记录核对）\n"
		            : "");
		cli_close(&e);
		return 2;
	}
	if (rc < 0)
		cli_err(&err);
	cli_close(&e);
	return rc < 0 ? 1 : 0;
}

/* Deadlines are started and ended by the workflows; by hand one only lists, pauses
 * (TB-13's extension, with a reason) and resumes them. */
int cmd_deadline(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *verb = arg_pos(&e, argv, 0), *ids = arg_pos(&e, argv, 1);
	int64_t id = 0;
	if (ids && parse_i64(ids, 1, INT64_MAX, &id) < 0)
		ids = NULL;
	struct zw_err err = {0};
	struct ctx x = {e.st, e.prof, &e.who};
	if (verb && strcmp(verb, "list") == 0) {
		rc = registry_list_cli(&e, argv, &deadline_kind, &x, &err);
	} else if (verb && strcmp(verb, "show") == 0 && ids) {
		rc = show(&x, &deadline_kind, id, &err);
	} else if (verb && strcmp(verb, "pause") == 0 && ids) {
		rc = deadline_pause(&x, id, arg_flag(&e, argv, "--reason"), &err);
		if (!rc)
			rc = show(&x, &deadline_kind, id, &err);
	} else if (verb && strcmp(verb, "resume") == 0 && ids) {
		rc = deadline_resume(&x, id, &err);
		if (!rc)
			rc = show(&x, &deadline_kind, id, &err);
	} else {
		fprintf(stderr, "用法: zwnet deadline list [--status running|paused|met|breached]\n"
		                "      zwnet deadline show ID\n"
		                "      zwnet deadline pause ID --reason 原因\n"
		                "      zwnet deadline resume ID\n"
		                "  (均需 --db FILE)\n");
		cli_close(&e);
		return 2;
	}
	if (rc < 0)
		cli_err(&err);
	cli_close(&e);
	return rc < 0 ? 1 : 0;
}

static int show_application(const struct ctx *x, int64_t id, struct zw_err *err)
{
	json_t *o = NULL;
	int rc = application_detail(x, id, &o, err);
	if (!rc) {
		char *s = json_dumps(o, JSON_INDENT(2));
		puts(s);
		free(s);
	}
	json_decref(o);
	return rc;
}

/* The JSON object of a --json argument: a file name, or "-" for standard input. */
static json_t *json_arg(const char *path, struct zw_err *err)
{
	json_error_t je;
	json_t *o = !path                    ? NULL
	            : strcmp(path, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
	                                     : json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		zw_errf(err, ZW_EINVALID, "json",
		        "请用 --json 文件（或 - 表示标准输入）给出 JSON 对象%s%s", path ? "：" : "",
		        path ? je.text : "");
	return o;
}

int cmd_application(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *verb = arg_pos(&e, argv, 0), *ids = arg_pos(&e, argv, 1),
	           *action = arg_pos(&e, argv, 2);
	int64_t id = 0;
	if (ids && parse_i64(ids, 1, INT64_MAX, &id) < 0)
		ids = NULL;
	struct zw_err err = {0};
	struct ctx x = {e.st, e.prof, &e.who};
	struct ipam_cfg icfg = {e.cfg.quarantine};
	struct app_env env = {ipam_cache_new(), &icfg};
	json_t *body = NULL;
	if (verb && strcmp(verb, "list") == 0) {
		rc = registry_list_cli(&e, argv, &application_kind, &x, &err);
	} else if (verb && strcmp(verb, "show") == 0 && ids) {
		rc = show_application(&x, id, &err);
	} else if (verb && strcmp(verb, "submit") == 0) {
		body = json_arg(arg_flag(&e, argv, "--json"), &err);
		rc = body ? application_submit(&x, &env, body, &id, &err) : -err.code;
		if (!rc)
			rc = show_application(&x, id, &err);
	} else if (verb && strcmp(verb, "print") == 0 && ids && action &&
	           (strcmp(action, "form") == 0 || strcmp(action, "notice") == 0)) {
		struct doc d = {0};
		rc = action[0] == 'f' ? paper_application_form(&x, id, &d, &err)
		                      : paper_application_notice(&x, id, &d, &err);
		if (!rc)
			rc = write_doc(&d, arg_flag(&e, argv, "--pdf"), &err);
		doc_free(&d);
	} else if (verb && strcmp(verb, "act") == 0 && ids && action) {
		const char *json = arg_flag(&e, argv, "--json");
		body = json ? json_arg(json, &err) : json_object();
		rc = body ? 0 : -err.code;
		const char *reason = arg_flag(&e, argv, "--reason");
		if (!rc) {
			json_object_set_new(body, "action", json_string(action));
			if (reason)
				json_object_set_new(body, "reason", json_string(reason));
			rc = application_transition(&x, &env, id, body, &err);
		}
		if (!rc)
			rc = show_application(&x, id, &err);
	} else {
		fprintf(stderr,
		        "用法: zwnet application list [--kind K] [--status 状态] [--unit-id N]\n"
		        "      zwnet application show ID\n"
		        "      zwnet application submit --json FILE|-\n"
		        "      zwnet application act ID review|approve|reject|withdraw|pause|"
		        "resume|complete|go_live [--reason 理由] [--json FILE|-]\n"
		        "      zwnet application print ID form|notice [--pdf FILE]\n"
		        "  (均需 --db FILE)\n");
		ipam_cache_free(env.cache);
		cli_close(&e);
		return 2;
	}
	json_decref(body);
	ipam_cache_free(env.cache);
	if (rc < 0)
		cli_err(&err);
	cli_close(&e);
	return rc < 0 ? 1 : 0;
}

/* The command of a kind the CLI serves with list|show|add|set|rm (REG_CLI): its object, with
 * dashes for underscores ("domain-name"). */
static void kind_cmd(const struct registry_kind *k, char cmd[64])
{
	snprintf(cmd, 64, "%s", k->object);
	for (char *p = cmd; *p; p++)
		if (*p == '_')
			*p = '-';
}

int cmd_registry_named(const char *name, int argc, char **argv)
{
	char cmd[64];
	for (const struct registry_entry *e = registry_kinds; e->k; e++) {
		kind_cmd(e->k, cmd);
		if ((e->serves & REG_CLI) && strcmp(name, cmd) == 0)
			return cmd_registry(cmd, e->k, argc, argv);
	}
	return -1;
}

void cmd_registry_usage(FILE *f)
{
	char cmd[64];
	const char *sep = "  ";
	for (const struct registry_entry *e = registry_kinds; e->k; e++)
		if (e->serves & REG_CLI) {
			kind_cmd(e->k, cmd);
			fprintf(f, "%s%s", sep, cmd);
			sep = ", ";
		}
	fprintf(f, "\n");
}

int cmd_calendar(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *verb = arg_pos(&e, argv, 0), *a1 = arg_pos(&e, argv, 1),
	           *a2 = arg_pos(&e, argv, 2);
	struct zw_err err = {0};
	int32_t day;
	int64_t n;
	rc = 0;
	if (verb && strcmp(verb, "add") == 0 && a1 && a2 && parse_date(a1, &day) == 0 &&
	    parse_i64(a2, 0, 365, &n) == 0) {
		bool prov;
		char due[11];
		format_date(calendar_add(day, (int)n, &prov), due);
		printf("%s%s\n", due, prov ? "（暂按周一至周五推算：该年放假安排尚未载入）" : "");
	} else if (verb && strcmp(verb, "show") == 0 && a1 && parse_i64(a1, 1900, 2199, &n) == 0) {
		json_t *o = workdays_year_json((int)n);
		size_t i;
		json_t *d;
		printf("%lld 年%s\n", (long long)n,
		       json_is_true(json_object_get(o, "loaded")) ? "" : "（放假安排尚未载入）");
		json_array_foreach(json_object_get(o, "days"), i, d)
		{
			const char *name = json_string_value(json_object_get(d, "name"));
			if (*name)
				printf(
				    "%s %s %s %s\n", json_string_value(json_object_get(d, "date")),
				    json_string_value(json_object_get(d, "weekday")),
				    json_is_true(json_object_get(d, "working")) ? "上班" : "休息",
				    name);
		}
		json_decref(o);
	} else if (verb && strcmp(verb, "load") == 0 && a1) {
		FILE *f = fopen(a1, "rb");
		char buf[1 << 16];
		size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;
		if (f)
			fclose(f);
		struct ctx x = {e.st, e.prof, &e.who};
		int year;
		if (!f)
			rc = zw_errf(&err, ZW_EINVALID, "file", "无法读取 %s", a1);
		else
			rc = workdays_load_year(&x, buf, len, &year, &err);
		if (!rc)
			printf("已载入 %d 年的放假与调休安排\n", year);
	} else {
		fprintf(stderr, "用法: zwnet calendar add 日期 工作日数\n"
		                "      zwnet calendar show 年份\n"
		                "      zwnet calendar load 文件.json   （holiday-cn 格式）\n"
		                "  (均需 --db FILE)\n");
		cli_close(&e);
		return 2;
	}
	if (rc < 0)
		cli_err(&err);
	cli_close(&e);
	return rc < 0 ? 1 : 0;
}

int cli_import_limits(const struct config *cfg, struct import_limits *lim, struct import_words *w,
                      struct zw_err *err)
{
	*lim = (struct import_limits){
	    .max_rows = (int)cfg->import_max_rows,
	    .max_errors = (int)cfg->import_max_errors,
	    .xlsx = {(uint64_t)cfg->xlsx_max_member, (unsigned)cfg->xlsx_max_ratio},
	};
	/* the shipped words, and the county's: a mistake in either stops here, not at an import */
	int rc = import_words_load(cfg->import_words, w, err);
	if (!rc)
		rc = import_words_check(w, err);
	if (!rc)
		lim->words = w;
	else
		import_words_free(w);
	return rc;
}

static int read_file(const char *path, struct buf *b, struct zw_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return zw_errf(err, ZW_EINVALID, "file", "无法读取 %s：%s", path, strerror(errno));
	char chunk[1 << 16];
	size_t n;
	int rc = 0;
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(b, chunk, n) < 0)
			rc = zw_errf(err, ZW_ETOOLARGE, "file", "%s 超过 %zu 字节", path, b->max);
	if (!rc && ferror(f))
		rc = zw_errf(err, ZW_EINVALID, "file", "无法读取 %s：%s", path, strerror(errno));
	fclose(f);
	return rc;
}

static int write_file(const char *path, const void *p, size_t n, struct zw_err *err)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(p, 1, n, f) == n;
	if (f && fclose(f) != 0)
		ok = false;
	return ok ? 0 : zw_errf(err, ZW_EINVALID, "file", "无法写入 %s：%s", path, strerror(errno));
}

static void print_report(const json_t *rep)
{
	const char *sheet = json_string_value(json_object_get(rep, "sheet"));
	printf("工作表：%s，表头在第 %lld 行；数据 %lld 行，无问题 %lld 行，写入 %lld 行\n",
	       sheet ? sheet : "（CSV）",
	       (long long)json_integer_value(json_object_get(rep, "header_row")),
	       (long long)json_integer_value(json_object_get(rep, "rows")),
	       (long long)json_integer_value(json_object_get(rep, "good_rows")),
	       (long long)json_integer_value(json_object_get(rep, "written")));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(rep, "skipped_rows"), i, v) printf(
	    "跳过第 %lld 行（%s）：%s\n", (long long)json_integer_value(json_object_get(v, "row")),
	    strcmp(json_string_value(json_object_get(v, "reason")), "notes") ? "标题" : "说明",
	    json_string_value(json_object_get(v, "text")));
	json_array_foreach(json_object_get(rep, "ignored_columns"), i, v)
	    printf("未导入 %s 列“%s”\n", json_string_value(json_object_get(v, "column")),
	           json_string_value(json_object_get(v, "header")));
	json_array_foreach(json_object_get(rep, "mappings"), i, v)
	    printf("%s 列“%s”：“%s”按“%s”登记（%lld 处）\n",
	           json_string_value(json_object_get(v, "column")),
	           json_string_value(json_object_get(v, "header")),
	           json_string_value(json_object_get(v, "from")),
	           json_string_value(json_object_get(v, "to")),
	           (long long)json_integer_value(json_object_get(v, "count")));
	json_array_foreach(json_object_get(rep, "errors"), i, v) printf(
	    "第 %lld 行 %s %s：%s\n", (long long)json_integer_value(json_object_get(v, "row")),
	    json_string_value(json_object_get(v, "cell")),
	    json_string_value(json_object_get(v, "column")),
	    json_string_value(json_object_get(v, "message")));
	json_int_t n = json_integer_value(json_object_get(rep, "error_count"));
	size_t listed = json_array_size(json_object_get(rep, "errors"));
	if ((json_int_t)listed < n)
		printf("共 %lld 处问题，以上列出前 %zu 处\n", (long long)n, listed);
}

int cmd_import(int argc, char **argv)
{
	struct cli_env e;
	int rc = cli_open(&e, argc, argv, true);
	if (rc)
		return rc;
	const char *kind = arg_pos(&e, argv, 0), *file = arg_pos(&e, argv, 1);
	const char *refused = arg_flag(&e, argv, "--refused");
	struct import_opts o = {.dry_run = arg_has(&e, argv, "--dry-run"),
	                        .good_rows_only = arg_has(&e, argv, "--good-rows-only"),
	                        .sheet = arg_flag(&e, argv, "--sheet")};
	if (!kind || !file) {
		fprintf(stderr,
		        "用法: zwnet import 类别 文件 [--dry-run] [--good-rows-only] "
		        "[--sheet 工作表] [--refused 未导入行.xlsx]\n类别：%s\n",
		        import_kind_list());
		cli_close(&e);
		return 2;
	}
	struct zw_err err = {0};
	struct import_limits lim;
	struct import_words words = {0};
	struct buf text;
	buf_init(&text, (size_t)e.cfg.xlsx_max_member + (1u << 20));
	rc = cli_import_limits(&e.cfg, &lim, &words, &err);
	if (!rc)
		rc = read_file(file, &text, &err);
	json_t *rep = NULL;
	if (!rc) {
		struct ctx x = {e.st, e.prof, &e.who};
		struct ipam_cache *cache = ipam_cache_new();
		rep = import_file(&x, cache, &lim, kind, text.p ? text.p : "", text.len, &o, &err);
		ipam_cache_free(cache);
	}
	if (!rep) {
		cli_err(&err);
		rc = 1;
	} else {
		print_report(rep);
		json_t *f = json_object_get(rep, "refused_file");
		if (refused && json_is_object(f)) {
			const char *b64 = json_string_value(json_object_get(f, "base64"));
			size_t cap = strlen(b64), len = 0;
			unsigned char *bin = xmalloc(cap + 1);
			if (sodium_base642bin(bin, cap, b64, cap, NULL, &len, NULL,
			                      sodium_base64_VARIANT_ORIGINAL) == 0 &&
			    write_file(refused, bin, len, &err) == 0)
				printf("未导入的行（含“问题”列）已写入 %s\n", refused);
			else
				cli_err(&err);
			free(bin);
		}
		rc = json_integer_value(json_object_get(rep, "error_count")) == 0 ? 0 : 1;
		json_decref(rep);
	}
	buf_free(&text);
	import_words_free(&words);
	cli_close(&e);
	return rc;
}
