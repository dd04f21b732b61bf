/* cli: the zwnet subcommands. Each returns the process exit status. */
#ifndef ZW_CLI_CLI_H
#define ZW_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/config.h"
#include "domain/org/account.h"
#include "policy/profile.h"
#include "store/store.h"

struct cli_env {
	struct config cfg;
	struct store *st;
	struct profile *prof;
	struct account_cfg acct;
	struct principal who;
	int rest[64];
	int nrest;
};

/* Parse flags, open the database and load the profile (the one named, else the one the
 * database was set up with, else tongbai). Prints errors; returns 0 or an exit status. */
int cli_open(struct cli_env *e, int argc, char **argv, bool need_db);
/* The same for the server (zwnet serve): its connections keep SQLite's 10 s wait for a lock
 * another process holds, so that a request is answered; a command's wait up to --lock-wait
 * seconds, saying on stderr after a second that it waits. */
int cli_open_as(struct cli_env *e, int argc, char **argv, bool need_db, bool server);
void cli_close(struct cli_env *e);
void cli_err(const struct zw_err *err);

int cmd_serve(int argc, char **argv);
/* zwnet config man|sample: the settings table as zwnet.conf(5) and zwnet.conf (cmd_config.c). */
int cmd_config(int argc, char **argv);
/* zwnet import KIND FILE: a sheet into the registry, as POST /imports/{kind} (cmd_import.c). */
int cmd_import(int argc, char **argv);
struct import_limits;
struct import_words;
/* The import settings of cfg, with the words they name loaded into w (kept by the caller). */
int cli_import_limits(const struct config *cfg, struct import_limits *lim, struct import_words *w,
                      struct zw_err *err);
int cmd_user(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_audit(int argc, char **argv);
/* zwnet backup: a checked copy of the database and its key file (domain/backup.h). */
int cmd_backup(int argc, char **argv);
/* zwnet restore MANIFEST: a backup checked, then put in place of the database. */
int cmd_restore(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_profile(int argc, char **argv);
/* The API document GET /api/v1/openapi.json serves, for the county's profile. */
int cmd_openapi(int argc, char **argv);
int cmd_workflows(int argc, char **argv);
int cmd_deadline(int argc, char **argv);
int cmd_application(int argc, char **argv);
/* zone, vlan, prefix, terminal, ...: -1 when name is none of them */
int cmd_registry_named(const char *name, int argc, char **argv);
/* The commands cmd_registry_named serves, on one line. */
void cmd_registry_usage(FILE *f);
int cmd_calendar(int argc, char **argv);
int cmd_probe(int argc, char **argv);   /* probe/probe.c */
int cmd_enforce(int argc, char **argv); /* enforce/enforce.c */

#endif
