#include "api/throttle.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* An entry is known by a keyed BLAKE2b of its key text (the key changes at every start), so a
 * slot is small and the table's memory does not depend on what clients send. */
struct slot {
	unsigned char id[16];
	bool used; /* in a probe chain; a used slot that is no longer live is reusable */
	unsigned failures, refused;
	int64_t last_fail_ms, locked_until_ms, refused_logged_ms;
};

struct throttle {
	pthread_mutex_t lock;
	struct throttle_cfg cfg;
	struct slot *slots;
	size_t n, used; /* slots, of which used */
	unsigned char key[crypto_generichash_KEYBYTES];
};

struct throttle *throttle_new(const struct throttle_cfg *cfg)
{
	struct throttle *t = xcalloc(1, sizeof(*t));
	t->cfg = *cfg;
	t->n = cfg->slots < 16 ? 16 : cfg->slots;
	t->slots = xcalloc(t->n, sizeof(*t->slots));
	randombytes_buf(t->key, sizeof(t->key));
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void throttle_free(struct throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t);
}

static void entry_id(struct throttle *t, char kind, const char *account, const char *source,
                     unsigned char id[16])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, t->key, sizeof(t->key), 16);
	crypto_generichash_update(&h, (const unsigned char *)&kind, 1);
	if (account) /* the NUL separates account from source */
		crypto_generichash_update(&h, (const unsigned char *)account, strlen(account) + 1);
	crypto_generichash_update(&h, (const unsigned char *)source, strlen(source));
	crypto_generichash_final(&h, id, 16);
}

/* Failures are remembered until window seconds after the later of the last failure and the
 * end of the lock. */
static bool live(const struct throttle *t, const struct slot *s, int64_t now)
{
	if (!s->used)
		return false;
	int64_t since = s->last_fail_ms > s->locked_until_ms ? s->last_fail_ms : s->locked_until_ms;
	return s->failures > 0 && now - since < (int64_t)t->cfg.window_s * 1000;
}

static size_t home(const struct throttle *t, const unsigned char id[16])
{
	uint64_t h;
	memcpy(&h, id, sizeof(h));
	return (size_t)(h % t->n);
}

/* Drop the slots that are no longer live, so that chains stay short. */
static void rebuild(struct throttle *t, int64_t now)
{
	struct slot *old = t->slots;
	struct slot *fresh = xcalloc(t->n, sizeof(*fresh));
	t->slots = fresh;
	t->used = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (!live(t, &old[i], now))
			continue;
		size_t j = home(t, old[i].id);
		while (fresh[j].used)
			j = (j + 1) % t->n;
		fresh[j] = old[i];
		t->used++;
	}
	free(old);
}

/* Walk id's probe chain: its slot (*found), or the slot a new entry would take (the first one
 * no longer live, else the empty one ending the chain); SIZE_MAX when there is none, or when
 * taking the empty one would put more than three quarters of the slots in use. A live entry is
 * never replaced. */
static size_t probe(struct throttle *t, const unsigned char id[16], int64_t now, bool *found)
{
	size_t i = home(t, id), reuse = SIZE_MAX;
	*found = false;
	for (size_t k = 0; k < t->n; k++, i = (i + 1) % t->n) {
		struct slot *s = &t->slots[i];
		if (!s->used) {
			if (reuse != SIZE_MAX)
				return reuse;
			return t->used + 1 <= t->n / 4 * 3 ? i : SIZE_MAX;
		}
		if (sodium_memcmp(s->id, id, 16) == 0) {
			*found = true;
			return i;
		}
		if (reuse == SIZE_MAX && !live(t, s, now))
			reuse = i;
	}
	return reuse;
}

/* The slot of id, or (create) a new one; NULL when absent or no room. */
static struct slot *find(struct throttle *t, const unsigned char id[16], int64_t now, bool create)
{
	bool found;
	size_t i = probe(t, id, now, &found);
	if (found)
		return &t->slots[i];
	if (!create)
		return NULL;
	if (i == SIZE_MAX) {
		rebuild(t, now);
		if ((i = probe(t, id, now, &found)) == SIZE_MAX)
			return NULL;
	}
	struct slot *s = &t->slots[i];
	if (!s->used)
		t->used++;
	memset(s, 0, sizeof(*s));
	memcpy(s->id, id, 16);
	s->used = true;
	return s;
}

static bool room(struct throttle *t, const unsigned char id[16], int64_t now)
{
	bool found;
	return probe(t, id, now, &found) != SIZE_MAX;
}

static unsigned left_s(const struct slot *s, int64_t now)
{
	if (!s || s->locked_until_ms <= now)
		return 0;
	return (unsigned)((s->locked_until_ms - now + 999) / 1000);
}

enum throttle_verdict throttle_check(struct throttle *t, const char *account, const char *source,
                                     int64_t now_ms, unsigned *retry_after)
{
	unsigned char pid[16], sid[16];
	entry_id(t, 'p', account, source, pid);
	entry_id(t, 's', NULL, source, sid);
	pthread_mutex_lock(&t->lock);
	unsigned a = left_s(find(t, pid, now_ms, false), now_ms);
	unsigned b = left_s(find(t, sid, now_ms, false), now_ms);
	enum throttle_verdict v = a || b ? THR_LOCKED : THR_OK;
	if (v == THR_OK && (!room(t, pid, now_ms) || !room(t, sid, now_ms))) {
		rebuild(t, now_ms);
		if (!room(t, pid, now_ms) || !room(t, sid, now_ms))
			v = THR_FULL;
	}
	pthread_mutex_unlock(&t->lock);
	*retry_after = a > b ? a : b;
	if (v == THR_FULL)
		*retry_after = t->cfg.base_delay_s ? t->cfg.base_delay_s : 1;
	return v;
}

/* One more failure of an entry whose `free_n`-th failure locks it. Returns the lock started. */
static unsigned count(struct throttle *t, struct slot *s, unsigned free_n, int64_t now)
{
	if (!live(t, s, now)) {
		s->failures = 0;
		s->locked_until_ms = 0;
	}
	if (s->failures < 1000000)
		s->failures++;
	s->last_fail_ms = now;
	if (s->failures < free_n)
		return 0;
	unsigned k = s->failures - free_n;
	uint64_t d = t->cfg.base_delay_s;
	d = k >= 32 ? t->cfg.max_delay_s : d << k;
	if (d > t->cfg.max_delay_s)
		d = t->cfg.max_delay_s;
	s->locked_until_ms = now + (int64_t)d * 1000;
	return (unsigned)d;
}

void throttle_fail(struct throttle *t, const char *account, const char *source, int64_t now_ms,
                   struct throttle_fail_info *info)
{
	unsigned char pid[16], sid[16];
	entry_id(t, 'p', account, source, pid);
	entry_id(t, 's', NULL, source, sid);
	memset(info, 0, sizeof(*info));
	pthread_mutex_lock(&t->lock);
	struct slot *p = find(t, pid, now_ms, true);
	if (p) {
		unsigned l = count(t, p, t->cfg.pair_free, now_ms);
		info->pair_failures = p->failures;
		info->locked_s = l;
	}
	struct slot *s = find(t, sid, now_ms, true);
	if (s) {
		unsigned l = count(t, s, t->cfg.source_free, now_ms);
		info->source_failures = s->failures;
		if (l > info->locked_s)
			info->locked_s = l;
	}
	pthread_mutex_unlock(&t->lock);
}

bool throttle_refused(struct throttle *t, const char *account, const char *source, int64_t now_ms,
                      unsigned *refused)
{
	unsigned char pid[16];
	entry_id(t, 'p', account, source, pid);
	bool log = false;
	pthread_mutex_lock(&t->lock);
	struct slot *p = find(t, pid, now_ms, false);
	*refused = 0;
	if (p) {
		p->refused++;
		if (!p->refused_logged_ms || now_ms - p->refused_logged_ms >= 60000) {
			log = true;
			*refused = p->refused;
			p->refused = 0;
			p->refused_logged_ms = now_ms;
		}
	} else {
		log = true; /* locked by its source, or refused for want of room */
		*refused = 1;
	}
	pthread_mutex_unlock(&t->lock);
	return log;
}

void throttle_success(struct throttle *t, const char *account, const char *source)
{
	unsigned char pid[16];
	entry_id(t, 'p', account, source, pid);
	pthread_mutex_lock(&t->lock);
	struct slot *p = find(t, pid, 0, false);
	if (p) {
		p->failures = 0;
		p->locked_until_ms = 0;
		p->refused = 0;
	}
	pthread_mutex_unlock(&t->lock);
}

size_t throttle_used(struct throttle *t)
{
	pthread_mutex_lock(&t->lock);
	size_t n = t->used;
	pthread_mutex_unlock(&t->lock);
	return n;
}
