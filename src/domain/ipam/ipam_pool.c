#include "domain/ipam/ipam_pool.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"

struct heap {
	u128 *v;
	size_t n, cap;
};

struct slot {
	u128 net;
	uint8_t len;
	uint8_t state; /* 0 empty, 1 used, 2 deleted */
};

struct ipam_pool {
	struct inet_prefix root;
	struct heap lv[129];
	size_t live[129];
	struct slot *tab;
	size_t cap, used, tomb;
	u128 free_size;
};

static uint64_t hash(u128 net, uint8_t len)
{
	uint64_t h = (uint64_t)(net >> 64) * 0x9e3779b97f4a7c15ull ^ (uint64_t)net ^ len;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 29;
	return h;
}

static struct slot *find(const struct ipam_pool *p, u128 net, uint8_t len, struct slot **empty)
{
	size_t mask = p->cap - 1, i = (size_t)hash(net, len) & mask;
	struct slot *first_free = NULL;
	for (;;) {
		struct slot *s = &p->tab[i];
		if (s->state == 0) {
			if (empty)
				*empty = first_free ? first_free : s;
			return NULL;
		}
		if (s->state == 2) {
			if (!first_free)
				first_free = s;
		} else if (s->net == net && s->len == len) {
			return s;
		}
		i = (i + 1) & mask;
	}
}

static void rehash(struct ipam_pool *p, size_t cap)
{
	struct slot *old = p->tab;
	size_t oldcap = p->cap;
	p->tab = xcalloc(cap, sizeof(*p->tab));
	p->cap = cap;
	p->used = p->tomb = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].state == 1) {
			struct slot *e = NULL;
			find(p, old[i].net, old[i].len, &e);
			*e = old[i];
			p->used++;
		}
	free(old);
}

static bool heap_less(u128 a, u128 b)
{
	return a < b;
}

static void heap_push(struct heap *h, u128 v)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->v = xreallocarray(h->v, h->cap, sizeof(*h->v));
	}
	size_t i = h->n++;
	while (i && heap_less(v, h->v[(i - 1) / 2])) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = v;
}

static void heap_pop(struct heap *h)
{
	u128 last = h->v[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && heap_less(h->v[c + 1], h->v[c]))
			c++;
		if (!heap_less(h->v[c], last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
}

static u128 block_size(const struct ipam_pool *p, int len)
{
	return (u128)1 << (inet_bits(p->root.family) - len);
}

static bool is_free(const struct ipam_pool *p, u128 net, int len)
{
	return find(p, net, (uint8_t)len, NULL) != NULL;
}

/* Drop heap entries that are no longer free, and restore the heap order. */
static void compact(struct ipam_pool *p, int len)
{
	struct heap *h = &p->lv[len];
	size_t k = 0;
	for (size_t i = 0; i < h->n; i++)
		if (is_free(p, h->v[i], len))
			h->v[k++] = h->v[i];
	size_t n = k;
	h->n = 0;
	for (size_t i = 0; i < n; i++) /* pushes write only below i: safe in place */
		heap_push(h, h->v[i]);
}

static void add_free(struct ipam_pool *p, u128 net, int len)
{
	if ((p->used + p->tomb + 1) * 10 > p->cap * 7) {
		/* mostly deleted slots: rehash in place; mostly live ones: grow */
		rehash(p, (p->used + 1) * 2 > p->cap / 2 ? p->cap * 2 : p->cap);
	}
	struct slot *e = NULL;
	if (find(p, net, (uint8_t)len, &e))
		return;
	if (e->state == 2)
		p->tomb--;
	*e = (struct slot){net, (uint8_t)len, 1};
	p->used++;
	p->live[len]++;
	p->free_size += block_size(p, len);
	/* more free space than the root holds: free blocks overlap */
	ZW_ASSERT(p->free_size <= block_size(p, p->root.len));
	if (p->lv[len].n > 2 * p->live[len] + 64)
		compact(p, len);
	heap_push(&p->lv[len], net);
}

static void del_free(struct ipam_pool *p, u128 net, int len)
{
	struct slot *s = find(p, net, (uint8_t)len, NULL);
	/* every caller saw the block free: a miss here would leave it counted as free space while
	 * its halves are handed out, and the pool would give one block twice */
	ZW_ASSERT(s);
	s->state = 2;
	p->used--;
	p->tomb++;
	p->live[len]--;
	p->free_size -= block_size(p, len);
}

struct ipam_pool *ipam_pool_new(const struct inet_prefix *root)
{
	struct ipam_pool *p = xcalloc(1, sizeof(*p));
	p->root = *root;
	p->cap = 64;
	p->tab = xcalloc(p->cap, sizeof(*p->tab));
	add_free(p, root->net, root->len);
	return p;
}

void ipam_pool_free(struct ipam_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i <= 128; i++)
		free(p->lv[i].v);
	free(p->tab);
	free(p);
}

const struct inet_prefix *ipam_pool_root(const struct ipam_pool *p)
{
	return &p->root;
}

/* Lowest free block of exactly this length, removed from the free set. */
static int pop_min(struct ipam_pool *p, int len, u128 *net)
{
	struct heap *h = &p->lv[len];
	while (h->n) {
		u128 v = h->v[0];
		heap_pop(h);
		if (is_free(p, v, len)) {
			del_free(p, v, len);
			*net = v;
			return 0;
		}
	}
	return -1;
}

int ipam_pool_take(struct ipam_pool *p, int len, struct inet_prefix *out)
{
	if (len < p->root.len || len > inet_bits(p->root.family))
		return -1;
	for (int l = len; l >= p->root.len; l--) {
		if (!p->live[l])
			continue;
		u128 net;
		if (pop_min(p, l, &net) < 0)
			continue;
		while (l < len) {
			l++;
			add_free(p, net + block_size(p, l), l);
		}
		*out = (struct inet_prefix){p->root.family, (uint8_t)len, net};
		return 0;
	}
	return -1;
}

static bool inside(const struct ipam_pool *p, const struct inet_prefix *q)
{
	return inet_contains(&p->root, q);
}

int ipam_pool_occupy(struct ipam_pool *p, const struct inet_prefix *q)
{
	if (!inside(p, q))
		return -1;
	for (int l = q->len; l >= p->root.len; l--) {
		u128 base = q->net & ~(block_size(p, l) - 1);
		if (!is_free(p, base, l))
			continue;
		del_free(p, base, l);
		/* split down towards q; the halves q is not in stay free */
		while (l < q->len) {
			l++;
			u128 half = block_size(p, l);
			u128 left = base, right = base + half;
			if (q->net >= right) {
				add_free(p, left, l);
				base = right;
			} else {
				add_free(p, right, l);
			}
		}
		return 0;
	}
	return -1;
}

int ipam_pool_is_free(const struct ipam_pool *p, const struct inet_prefix *q)
{
	if (!inside(p, q))
		return 0;
	for (int l = q->len; l >= p->root.len; l--)
		if (is_free(p, q->net & ~(block_size(p, l) - 1), l))
			return 1;
	return 0;
}

int ipam_pool_release(struct ipam_pool *p, const struct inet_prefix *q)
{
	if (!inside(p, q))
		return -1;
	/* Nothing of q may be free already (q, or a block holding it). That no smaller block
	 * inside q is free is the caller's invariant: q was occupied as a whole. */
	if (ipam_pool_is_free(p, q))
		return -1;
	u128 net = q->net;
	int l = q->len;
	while (l > p->root.len) {
		u128 size = block_size(p, l);
		u128 buddy = net ^ size;
		if (!is_free(p, buddy, l))
			break;
		del_free(p, buddy, l);
		net &= ~size;
		l--;
	}
	add_free(p, net, l);
	return 0;
}

u128 ipam_pool_free_size(const struct ipam_pool *p)
{
	return p->free_size;
}

size_t ipam_pool_free_count(const struct ipam_pool *p)
{
	return p->used;
}

void ipam_pool_foreach(const struct ipam_pool *p,
                       void (*fn)(const struct inet_prefix *block, void *ctx), void *ctx)
{
	for (size_t i = 0; i < p->cap; i++)
		if (p->tab[i].state == 1) {
			struct inet_prefix b = {p->root.family, p->tab[i].len, p->tab[i].net};
			fn(&b, ctx);
		}
}

int ipam_pool_largest(const struct ipam_pool *p)
{
	for (int l = p->root.len; l <= inet_bits(p->root.family); l++)
		if (p->live[l])
			return l;
	return -1;
}

int ipam_pool_fit(const struct ipam_pool *p, int len)
{
	if (len > inet_bits(p->root.family))
		return -1;
	for (int l = len; l >= p->root.len; l--)
		if (p->live[l])
			return l;
	return -1;
}
