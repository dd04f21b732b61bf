/* The answers of registry lists, per worker thread (list_cache.h). */
#include "api/list_cache.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/server.h"
#include "core/xalloc.h"
#include "domain/registry.h"

struct slot {
	char *key, *body;
	size_t len;
};

struct cache {
	int64_t dv; /* the version every kept answer was read at */
	struct slot slots[LIST_CACHE_SLOTS];
	unsigned next; /* the slot replaced next */
};

static pthread_key_t tkey;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_uint_fast64_t hits, misses;

static void forget(struct cache *c)
{
	for (unsigned i = 0; i < LIST_CACHE_SLOTS; i++) {
		free(c->slots[i].key);
		free(c->slots[i].body);
		c->slots[i] = (struct slot){0};
	}
}

static void cache_free(void *p)
{
	forget(p);
	free(p);
}

static void make_key(void)
{
	pthread_key_create(&tkey, cache_free);
}

/* The thread's cache, brought to version dv: an older one's answers are forgotten. */
static struct cache *cache_at(int64_t dv)
{
	pthread_once(&once, make_key);
	struct cache *c = pthread_getspecific(tkey);
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		c->dv = dv;
		pthread_setspecific(tkey, c);
	} else if (c->dv != dv) {
		forget(c);
		c->dv = dv;
	}
	return c;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	(void)kind;
	/* each name and value ends with a byte no parameter holds once decoded */
	buf_printf(cls, "%s\x1f%s\x1e", k, v ? v : "");
	return MHD_YES;
}

int list_cache_key(struct req *r, int64_t parent, struct buf *key)
{
	const struct principal *p = &r->who;
	buf_init(key, 8u << 10);
	buf_printf(key, "%s|%lld|%d|%lld|%u|%lld|%lld|", r->kind->object, (long long)p->user_id,
	           (int)p->role, (long long)p->unit_id, p->scopes, (long long)p->token_id,
	           (long long)parent);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, key);
	if (key->failed) {
		buf_free(key);
		return -1;
	}
	return 0;
}

bool list_cache_get(int64_t dv, const char *key, char **body, size_t *len)
{
	struct cache *c = cache_at(dv);
	for (unsigned i = 0; i < LIST_CACHE_SLOTS; i++) {
		struct slot *s = &c->slots[i];
		if (s->key && strcmp(s->key, key) == 0) {
			*body = xmalloc(s->len + 1);
			memcpy(*body, s->body, s->len + 1);
			*len = s->len;
			atomic_fetch_add(&hits, 1);
			return true;
		}
	}
	atomic_fetch_add(&misses, 1);
	return false;
}

void list_cache_put(int64_t dv, const char *key, const char *body, size_t len)
{
	if (len > LIST_CACHE_MAX_BODY)
		return;
	struct cache *c = cache_at(dv);
	struct slot *s = &c->slots[c->next];
	c->next = (c->next + 1) % LIST_CACHE_SLOTS;
	free(s->key);
	free(s->body);
	s->key = xstrdup(key);
	s->body = xmalloc(len + 1);
	memcpy(s->body, body, len);
	s->body[len] = 0;
	s->len = len;
}

void list_cache_counts(uint64_t *h, uint64_t *m)
{
	*h = atomic_load(&hits);
	*m = atomic_load(&misses);
}
