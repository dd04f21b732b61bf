/*
 * backup: the database and the key file that seals its secrets, copied and brought back
 * together.
 *
 * A backup is three files in one folder, named by the time it was taken (Beijing time):
 *   zwnet-20261202-023000.db       a consistent copy (store_snapshot: one read transaction,
 *                                  taken while the server goes on writing)
 *   zwnet-20261202-023000.db.key   the key file (absent when the database has none)
 *   zwnet-20261202-023000.json     the manifest: when, which program and schema, the size and
 *                                  SHA-256 of both files, the rows of every table and the
 *                                  audit chain's head
 * The manifest is written last, so a set without one is unfinished and is never used or
 * counted. backup_check proves a set before it is used: the files are the ones the manifest
 * describes, the copy is intact, and its audit chain verifies up to the head the manifest
 * recorded. backup_restore puts a checked set in place of a database.
 */
#ifndef ZW_DOMAIN_BACKUP_H
#define ZW_DOMAIN_BACKUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

#define BACKUP_PATH 1024

struct backup_set {
	char manifest[BACKUP_PATH], db[BACKUP_PATH], key[BACKUP_PATH]; /* key "" when none */
	int64_t bytes;                                                 /* of the database copy */
	int64_t ms;                                                    /* how long it took */
	int64_t audit_head_id; /* the chain's head in the copy */
	char audit_head[65];
	int removed; /* older sets removed to keep `keep` */
};

/* Back st up into dir (created if missing), with the key file keyfile beside it, and keep
 * the newest keep sets in dir (0 = all). */
int backup_make(struct store *st, const char *keyfile, const char *dir, int keep,
                struct backup_set *out, struct zw_err *err);

/* The manifest of the newest complete set in dir into out ("" when there is none). */
int backup_latest(const char *dir, char *out, size_t n, struct zw_err *err);

struct backup_info {
	json_t *manifest; /* as read; caller json_decref()s */
	char db[BACKUP_PATH], key[BACKUP_PATH];
	int64_t audit_entries; /* entries the chain check read */
};
/* Check the set a manifest describes. work is a file path for the working copy the chain
 * is verified on (it is created, and left for backup_restore, or removed: keep_work). */
int backup_check(const char *manifest, const char *work, bool keep_work, struct backup_info *out,
                 struct zw_err *err);

/* Restore the set of manifest as the database db with the key file keyfile. An existing db
 * (and key file) is kept beside it as db.before-restore-TIME; without force an existing db
 * is refused. */
int backup_restore(const char *manifest, const char *db, const char *keyfile, bool force,
                   struct backup_info *out, char *kept, size_t kn, struct zw_err *err);

/* The folder of a file's path ("." for a bare name). */
void backup_dir_of(const char *path, char *out, size_t n);

/* Open the key file of st's secrets (core/secret). A database whose secrets are sealed
 * refuses to go on when the key file is missing or is another key, naming the file, instead
 * of making a new key that opens nothing; one without sealed secrets gets a new key file
 * when it has none. */
int backup_key_open(struct store *st, const char *keyfile, struct zw_err *err);

#endif
