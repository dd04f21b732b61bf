/* testdb: a fresh database and a profile for the domain tests. */
#ifndef ZW_DOMAIN_TESTDB_H
#define ZW_DOMAIN_TESTDB_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain/org/unit.h"

struct testdb {
	char path[80];
	struct store *st;
	struct profile *prof;
	struct principal sys;
	struct ctx x;
};

static inline void testdb_remove(const char *path)
{
	char p[100];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static inline int testdb_open(struct testdb *t, const char *profile)
{
	struct zw_err err = {0};
	memset(t, 0, sizeof(*t));
	snprintf(t->path, sizeof(t->path), "/tmp/zwnet-domain-%d.db", (int)getpid());
	testdb_remove(t->path);
	if (store_open(t->path, &t->st, &err) || profile_load(profile, &t->prof, &err)) {
		fprintf(stderr, "testdb: %s\n", err.message);
		return -1;
	}
	t->sys.role = ROLE_SYSTEM;
	snprintf(t->sys.username, sizeof(t->sys.username), "test");
	snprintf(t->sys.source, sizeof(t->sys.source), "test");
	t->x = (struct ctx){t->st, t->prof, &t->sys};
	return 0;
}

static inline void testdb_close(struct testdb *t)
{
	store_close(t->st);
	profile_free(t->prof);
	testdb_remove(t->path);
}

/* A unit; one registered as connected is dated 2016 (before every regulation but MY's). */
static inline int64_t testdb_unit(struct testdb *t, const char *name, const char *status)
{
	struct unit u = {.name = (char *)name,
	                 .type = (char *)"党政机关",
	                 .level = (char *)"县直",
	                 .status = status ? strdup(status) : NULL,
	                 .connected_on = status ? (char *)"2016-03-01" : NULL};
	int64_t id = 0;
	struct zw_err err = {0};
	if (registry_create(&t->x, &unit_kind, &u, &id, &err))
		fprintf(stderr, "testdb_unit: %s\n", err.message);
	free(u.status);
	return id;
}

#endif
