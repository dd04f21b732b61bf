#include "api/throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char key[96];
	int64_t start_ms;
	unsigned count;
};

struct throttle {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t n;
	int64_t window_ms;
};

struct throttle *throttle_new(size_t slots, unsigned window_s)
{
	struct throttle *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->slots = calloc(slots, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	t->n = slots;
	t->window_ms = (int64_t)window_s * 1000;
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

static struct slot *find(struct throttle *t, const char *key, int64_t now, bool create)
{
	struct slot *oldest = NULL;
	for (size_t i = 0; i < t->n; i++) {
		struct slot *s = &t->slots[i];
		if (s->key[0] && strcmp(s->key, key) == 0) {
			if (now - s->start_ms >= t->window_ms) {
				s->start_ms = now;
				s->count = 0;
			}
			return s;
		}
		if (!oldest || !s->key[0] || (oldest->key[0] && s->start_ms < oldest->start_ms))
			oldest = s;
	}
	if (!create || !oldest)
		return NULL;
	snprintf(oldest->key, sizeof(oldest->key), "%s", key);
	oldest->start_ms = now;
	oldest->count = 0;
	return oldest;
}

unsigned throttle_count(struct throttle *t, const char *key, int64_t now_ms)
{
	pthread_mutex_lock(&t->lock);
	struct slot *s = find(t, key, now_ms, false);
	unsigned c = s ? s->count : 0;
	pthread_mutex_unlock(&t->lock);
	return c;
}

void throttle_fail(struct throttle *t, const char *key, int64_t now_ms)
{
	pthread_mutex_lock(&t->lock);
	struct slot *s = find(t, key, now_ms, true);
	if (s && s->count < 1000000)
		s->count++;
	pthread_mutex_unlock(&t->lock);
}

void throttle_clear(struct throttle *t, const char *key)
{
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->slots[i].key, key) == 0)
			memset(&t->slots[i], 0, sizeof(t->slots[i]));
	pthread_mutex_unlock(&t->lock);
}

unsigned throttle_retry_after(struct throttle *t, const char *key, int64_t now_ms)
{
	pthread_mutex_lock(&t->lock);
	struct slot *s = find(t, key, now_ms, false);
	int64_t left = s ? t->window_ms - (now_ms - s->start_ms) : 0;
	pthread_mutex_unlock(&t->lock);
	return left > 0 ? (unsigned)((left + 999) / 1000) : 0;
}
