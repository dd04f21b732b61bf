#include "cli/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "watch/watch.h"

enum opt_type { OPT_STR, OPT_INT };

struct opt {
	const char *name;
	enum opt_type type;
	size_t off;
	const char *dflt;
	int64_t min, max;
	const char *help;
};

#define S(n, d, h)                                                                                 \
	{                                                                                          \
#n, OPT_STR, offsetof(struct config, n), d, 0, 0, h                                \
	}
#define I(n, d, lo, hi, h)                                                                         \
	{                                                                                          \
#n, OPT_INT, offsetof(struct config, n), d, lo, hi, h                              \
	}
static const struct opt opts[] = {
    S(db, "zwnet.db", "SQLite database file"),
    S(db_synchronous, "full",
      "full|normal: full = every answered write is on disk before the answer, also across a "
      "power cut; normal = faster commits (bench/sync.sh), but a power cut may lose the last "
      "ones"),
    S(listen, "127.0.0.1:8080", "address:port to listen on"),
    S(profile, "",
      "county profile: jiaxian|miyun|shengsi|luoning|tongbai or a .conf path "
      "(default: the one the database was set up with, else tongbai)"),
    S(tls_cert, "", "PEM certificate file (enables HTTPS)"),
    S(tls_key, "", "PEM private key file"),
    S(access_log, "-", "access log file, - for stderr, empty for none"),
    S(log_level, "info", "error|warn|info|debug"),
    S(secret_key_file, "", "key file sealing stored secrets (default: the database path + .key)"),
    S(password_cost, "interactive", "argon2id cost: interactive|moderate|sensitive|min"),
    I(body_limit, "1048576", 1024, 64 << 20, "largest JSON request body in bytes"),
    I(upload_limit, "20971520", 1024, 512 << 20, "largest uploaded file in bytes"),
    I(conn_timeout, "30", 1, 3600, "idle connection timeout in seconds"),
    I(header_timeout, "10", 1, 3600,
      "seconds a request line and headers may take to arrive (also how long a kept-alive "
      "connection waits for its next request)"),
    I(request_timeout, "60", 1, 3600, "seconds a request body may take to arrive"),
    I(max_connections, "1000", 16, 100000, "open client connections in all"),
    I(max_connections_per_source, "64", 1, 100000,
      "open client connections from one IPv4 address or IPv6 /64 (a unit behind one NAT "
      "address shares it)"),
    I(threads, "4", 1, 256, "worker threads"),
    I(lock_wait, "120", 1, 86400,
      "seconds a command other than serve waits for the database while another process (the "
      "running server's write) holds its lock, saying so after a second, before it gives up "
      "(the server itself waits 10)"),
    I(shutdown_grace, "10", 0, 600, "seconds to let in-flight requests finish on SIGTERM"),
    I(session_ttl, "43200", 60, 30 * 86400, "session lifetime in seconds"),
    I(login_max_failures, "5", 1, 1000,
      "failed logins of one account from one source (IPv4 address, IPv6 /64) that lock it"),
    I(login_ip_max_failures, "20", 1, 100000,
      "failed logins from one source, any accounts, that lock the source"),
    I(login_delay, "15", 1, 86400, "first login lock in seconds; each failure after doubles it"),
    I(login_max_delay, "900", 1, 86400, "longest login lock in seconds"),
    I(login_window, "900", 10, 86400,
      "seconds after the last failure (or the end of a lock) that failures are forgotten"),
    I(login_table_size, "65536", 64, 16777216,
      "entries of the login throttle; when all are in use new sources are refused (429)"),
    I(quarantine, "2592000", 0, 10 * 365 * 86400,
      "seconds a released address block rests before it is allocated again"),
    I(scheduler_interval, "60", 0, 86400,
      "seconds between scheduler steps (deadline breaches, reminders); 0 = off"),
    I(reminder_working_days, "1", 0, 30,
      "remind this many working days before a working-day deadline is due"),
    I(reminder_hours, "1", 0, 720,
      "remind this many hours before an hours deadline is due (at most half its length)"),
    I(outage_interval, "0", 0, 86400,
      "seconds between outage checks of every connected unit's gateway (ICMP, and "
      "outage_tcp_port); a unit that goes dark opens a fault ticket; 0 = off"),
    I(outage_timeout, "1000", 50, 60000, "milliseconds an outage check waits for the answers"),
    I(outage_tcp_port, "0", 0, 65535,
      "TCP port also tried on a gateway that does not answer ICMP (a refused connection counts "
      "as there); 0 = ICMP only"),
    I(outage_down_after, "3", 1, 100, "failed checks in a row after which a unit is down"),
    I(outage_up_after, "2", 1, 100, "good checks in a row after which a down unit is up again"),
    S(outage_netns, "",
      "network namespace (ip netns) the outage checks are sent from, where the server's "
      "extranet side is one of its own; empty = the server's"),
    S(smtp_url, "", "SMTP server for notices by e-mail, smtp://host:port (empty = no e-mail)"),
    S(smtp_from, "", "sender address of notice e-mails"),
    S(notify_mail_to, "", "the information center's addresses for every notice, comma separated"),
    I(notify_retry_min, "60", 1, 86400,
      "first retry delay of a failed e-mail or webhook in seconds (doubles)"),
    I(notify_timeout, "30", 1, 600, "seconds an SMTP session or a webhook request may take"),
    S(webhook_url, "", "URL every notice is POSTed to as JSON (empty = no webhook)"),
    S(webhook_secret, "", "key of the X-Zwnet-Signature HMAC-SHA256 of each webhook body"),
    S(web_root, "web/dist", "the built web console (make web); empty = no console"),
    S(dhcp_servers, "",
      "the county's DHCP servers (addresses or MACs); any other answering is a rogue"),
    S(oui_file, "/usr/share/ieee-data/oui.txt", "IEEE OUI registry (Debian ieee-data)"),
    S(router_vendors, WATCH_ROUTER_VENDORS,
      "makers of consumer wireless routers (TB-19): whole organisation names as the OUI "
      "registry writes them, separated by ;"),
    I(scan_hosts, "64", 2, 1000000, "distinct addresses one host may probe in scan_window"),
    I(scan_ports, "100", 2, 1000000, "distinct address:port pairs one host may try in scan_window"),
    I(scan_window, "10", 1, 3600, "seconds over which scanning is counted"),
    I(port_macs, "3", 2, 1000, "MACs behind one switch port that suggest a wireless router"),
    I(conflict_window, "60", 1, 86400, "seconds within which two MACs on one address conflict"),
    I(auto_isolate, "-1", -1, 1,
      "1 = a case whose sanction disconnects is isolated as soon as a finding opens it, 0 = "
      "never, -1 = as the profile's [violation_policy] auto_isolate says"),
    I(quarantine_vlan, "999", 1, 4094, "RADIUS: the VLAN isolated terminals are put on"),
    I(radius_unknown_vlan, "0", 0, 4094,
      "RADIUS: registration VLAN for unregistered MACs; 0 = reject them"),
    S(isolation_allow, "",
      "addresses or CIDRs isolated hosts may still reach (the center's remediation servers)"),
    I(offence_window, "0", 0, 3650,
      "days within which earlier offences of a unit count for the penalty ladder (0 = the "
      "profile's [violation_policy] offence_window_days)"),
    I(import_max_rows, "100000", 1, 10000000,
      "data rows one imported file may hold (more refuses the file)"),
    I(import_max_errors, "200", 1, 100000, "problems an import's report lists (all are counted)"),
    S(import_words, "",
      "a file of the headers and values offices write in their sheets, added to the shipped "
      "data/import/words.conf (same form)"),
    I(xlsx_max_member, "67108864", 1 << 20, 1LL << 32,
      "bytes one member of an uploaded xlsx workbook may expand to"),
    I(xlsx_max_ratio, "100", 2, 100000,
      "an xlsx member may expand to less than this many times its compressed size"),
    S(backup_dir, "",
      "folder of the daily backup zwnet serve takes (empty = none); zwnet backup writes "
      "there unless --to names another"),
    S(backup_time, "02:30",
      "Beijing time of the daily backup and the managers' daily notice, HH:MM (off = neither)"),
    I(backup_keep, "14", 0, 100000,
      "backup sets kept in the backup folder, the oldest removed first (0 = all)"),
    I(disk_min_free, "1024", 0, 1 << 30,
      "MiB free on the database's disk below which /health says degraded and the managers "
      "are told (0 = no check)"),
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static int set_opt(struct config *c, const struct opt *o, const char *v, const char *where,
                   struct zw_err *err)
{
	if (o->type == OPT_STR) {
		char **slot = (char **)((char *)c + o->off);
		free(*slot);
		*slot = xstrdup(v);
		return 0;
	}
	int64_t n;
	if (parse_i64(v, o->min, o->max, &n) < 0)
		return zw_errf(err, ZW_EINVALID, o->name, "%s: %s 应为 %lld 到 %lld 之间的整数",
		               where, o->name, (long long)o->min, (long long)o->max);
	*(int64_t *)((char *)c + o->off) = n;
	return 0;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < NOPTS; i++)
		set_opt(c, &opts[i], opts[i].dflt, "default", NULL);
}

void config_free(struct config *c)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].type == OPT_STR)
			free(*(char **)((char *)c + opts[i].off));
	memset(c, 0, sizeof(*c));
}

static const struct opt *find(const char *name)
{
	char norm[64];
	snprintf(norm, sizeof(norm), "%s", name);
	for (char *p = norm; *p; p++)
		if (*p == '-')
			*p = '_';
	for (size_t i = 0; i < NOPTS; i++)
		if (strcmp(opts[i].name, norm) == 0)
			return &opts[i];
	return NULL;
}

int config_load_file(struct config *c, const char *path, struct zw_err *err)
{
	struct conf_doc doc;
	int rc = conf_load_file(path, &doc, err);
	for (size_t s = 0; !rc && s < doc.n; s++) {
		const struct conf_section *sec = &doc.sections[s];
		if (s > 0) {
			rc = conf_errf(err, path, sec->line, "配置文件不使用节 [%s]", sec->type);
			break;
		}
		for (size_t i = 0; !rc && i < sec->n; i++) {
			const struct conf_entry *e = &sec->entries[i];
			const struct opt *o = find(e->key);
			char where[300];
			text_printf(where, sizeof(where), "%s:%d", path, e->line);
			if (!o || strchr(e->key, '-'))
				rc = conf_errf(err, path, e->line, "未知的配置项 \"%s\"", e->key);
			else
				rc = set_opt(c, o, e->value, where, err);
		}
	}
	conf_free(&doc);
	return rc;
}

int config_parse_args(struct config *c, int argc, char **argv, int *rest, int *nrest,
                      struct zw_err *err)
{
	*nrest = 0;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--config") == 0 || strncmp(argv[i], "--config=", 9) == 0) {
			const char *path =
			    argv[i][8] == '=' ? argv[i] + 9 : (i + 1 < argc ? argv[i + 1] : NULL);
			if (!path)
				return zw_errf(err, ZW_EINVALID, "config", "--config 需要文件路径");
			int rc = config_load_file(c, path, err);
			if (rc)
				return rc;
		}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--config") == 0) {
			i++;
			continue;
		}
		if (strncmp(a, "--config=", 9) == 0)
			continue;
		if (strncmp(a, "--", 2) != 0) {
			rest[(*nrest)++] = i;
			continue;
		}
		char name[64];
		const char *eq = strchr(a + 2, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (n >= sizeof(name)) {
			rest[(*nrest)++] = i;
			continue;
		}
		memcpy(name, a + 2, n);
		name[n] = 0;
		const struct opt *o = find(name);
		if (!o) {
			rest[(*nrest)++] = i;
			continue;
		}
		const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!v)
			return zw_errf(err, ZW_EINVALID, o->name, "--%s 需要一个值", name);
		int rc = set_opt(c, o, v, "命令行", err);
		if (rc)
			return rc;
	}
	return 0;
}

void config_usage(FILE *f)
{
	for (size_t i = 0; i < NOPTS; i++)
		fprintf(f, "  --%-22s %s (default: %s)\n", opts[i].name, opts[i].help,
		        *opts[i].dflt ? opts[i].dflt : "\"\"");
}

void config_keyfile(const struct config *c, char *out, size_t n)
{
	if (*c->secret_key_file)
		snprintf(out, n, "%s", c->secret_key_file);
	else
		snprintf(out, n, "%s.key", c->db);
}

int config_backup_minute(const struct config *c, int *minute, struct zw_err *err)
{
	int h, m;
	char tail;
	if (strcmp(c->backup_time, "off") == 0) {
		*minute = -1;
		return 0;
	}
	if (sscanf(c->backup_time, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 ||
	    m > 59)
		return zw_errf(err, ZW_EINVALID, "backup_time",
		               "backup_time 应为 时:分（如 02:30），不是“%.*s”",
		               CUT(c->backup_time, 40));
	*minute = h * 60 + m;
	return 0;
}

/* Text for a man page: backslashes and hyphens escaped, no control character at a line's
 * start. */
static void roff_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
}

void config_man(FILE *f)
{
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		fputs(".TP\n.B ", f);
		roff_text(f, o->name);
		fputs("\n", f);
		/* the help begins a sentence here, unless it begins with a list of values */
		bool cap = o->help[0] >= 'a' && o->help[0] <= 'z' &&
		           memchr(o->help, '|', strcspn(o->help, " ")) == NULL;
		if (cap)
			fputc(o->help[0] - 'a' + 'A', f);
		roff_text(f, o->help + cap);
		fputs(".\n.br\n", f);
		if (o->type == OPT_INT)
			fprintf(f, "An integer from %lld to %lld. ", (long long)o->min,
			        (long long)o->max);
		if (*o->dflt) {
			fputs("Default: \\fB", f);
			roff_text(f, o->dflt);
			fputs("\\fR\n", f);
		} else {
			fputs("Default: empty\n", f);
		}
	}
}

/* One comment of at most 80 columns a line (bytes: the help texts are ASCII). */
static void comment_wrapped(FILE *f, const char *s)
{
	while (*s) {
		size_t n = strlen(s);
		if (n > 78) {
			n = 78;
			while (n > 0 && s[n] != ' ')
				n--;
			if (n == 0)
				n = strcspn(s, " ");
		}
		fprintf(f, "# %.*s\n", (int)n, s);
		s += n;
		while (*s == ' ')
			s++;
	}
}

void config_sample(FILE *f, const struct config *c, const char *const *set, size_t nset)
{
	fputs("# zwnet serve settings, see zwnet.conf(5). Each line is key = value; lines\n"
	      "# starting with # are comments. A setting commented out has the default shown.\n"
	      "# Flags on the command line (--key value) override this file.\n",
	      f);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		bool given = false;
		for (size_t k = 0; k < nset && !given; k++)
			given = find(set[k]) == o;
		fputs("\n", f);
		comment_wrapped(f, o->help);
		if (!given)
			fprintf(f, "#%s =%s%s\n", o->name, *o->dflt ? " " : "", o->dflt);
		else if (o->type == OPT_STR)
			fprintf(f, "%s = %s\n", o->name,
			        *(char *const *)((const char *)c + o->off));
		else
			fprintf(f, "%s = %lld\n", o->name,
			        (long long)*(const int64_t *)((const char *)c + o->off));
	}
}
