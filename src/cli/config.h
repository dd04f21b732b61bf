/*
 * config: the one option table of `zwnet serve`. The same table reads zwnet.conf
 * (key = value, errors as file:line), the command-line flags (--key value, --key=value, with
 * - or _), and backs `zwnet serve --check`. Flags override the file.
 */
#ifndef ZW_CLI_CONFIG_H
#define ZW_CLI_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

struct config {
	char *db, *listen, *profile, *tls_cert, *tls_key, *access_log, *log_level, *secret_key_file;
	char *password_cost, *smtp_url, *smtp_from, *notify_mail_to, *webhook_url, *webhook_secret;
	char *web_root, *dhcp_servers, *oui_file, *router_vendors;
	int64_t body_limit, upload_limit, conn_timeout, request_timeout, threads, shutdown_grace,
	    session_ttl;
	int64_t login_max_failures, login_ip_max_failures, login_window, quarantine;
	int64_t login_delay, login_max_delay, login_table_size;
	int64_t scheduler_interval, reminder_working_days, reminder_hours, notify_retry_min,
	    notify_timeout;
	int64_t scan_hosts, scan_ports, scan_window, port_macs, conflict_window;
	int64_t auto_isolate, offence_window;
	char *isolation_allow;
	char *import_words;
	int64_t quarantine_vlan, radius_unknown_vlan;
	int64_t header_timeout, max_connections, max_connections_per_source;
	int64_t import_max_rows, import_max_errors, xlsx_max_member, xlsx_max_ratio;
	char *backup_dir, *backup_time, *db_synchronous;
	int64_t backup_keep, disk_min_free;
	int64_t lock_wait;
	int64_t outage_interval, outage_timeout, outage_tcp_port, outage_down_after,
	    outage_up_after;
	char *outage_netns;
};

void config_defaults(struct config *c);
void config_free(struct config *c);
int config_load_file(struct config *c, const char *path, struct zw_err *err);
/* Apply flags; argv[i] that are not options of the table are left for the caller (their
 * indexes are returned in rest). Returns 0 or -code. --config FILE is read first. */
int config_parse_args(struct config *c, int argc, char **argv, int *rest, int *nrest,
                      struct zw_err *err);
void config_usage(FILE *f);
/* The key file of the database's secrets: secret_key_file, else the database path + .key. */
void config_keyfile(const struct config *c, char *out, size_t n);
/* backup_time as minutes after midnight (Beijing time; -1 for off), or -code naming the
 * setting. */
int config_backup_minute(const struct config *c, int *minute, struct zw_err *err);
/* The settings as the man page zwnet.conf(5) lists them (roff: .TP paragraphs). */
void config_man(FILE *f);
/* A zwnet.conf with every setting, its help as a comment: the nset settings named in set (as
 * on the command line, with - or _) with their values in c, the others commented out with
 * their defaults. */
void config_sample(FILE *f, const struct config *c, const char *const *set, size_t nset);

#endif
