#include "watch/ipam_index.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/ipam_sql.h"

struct build {
	struct owner_index *ix;
	size_t cap[2];
	/* the chain of entries enclosing the one being added, per family */
	int32_t stack[2][129];
	int depth[2];
};

static void add(struct build *b, const struct inet_prefix *p, int64_t unit_id, int64_t prefix_id)
{
	int f = p->family == 6;
	struct owner_index *ix = b->ix;
	if (ix->n[f] == b->cap[f]) {
		b->cap[f] = b->cap[f] ? b->cap[f] * 2 : 1024;
		ix->v[f] = xreallocarray(ix->v[f], b->cap[f], sizeof(*ix->v[f]));
	}
	u128 first = p->net, last = inet_last(p);
	/* close the enclosing entries that end before this one starts */
	while (b->depth[f] && ix->v[f][b->stack[f][b->depth[f] - 1]].last < first)
		b->depth[f]--;
	int32_t at = (int32_t)ix->n[f]++;
	ix->v[f][at] = (struct owner_entry){first, last, unit_id, prefix_id,
	                                    b->depth[f] ? b->stack[f][b->depth[f] - 1] : -1};
	if (b->depth[f] < 129)
		b->stack[f][b->depth[f]++] = at;
}

static int add_row(const struct inet_prefix *p, int64_t unit_id, int64_t prefix_id, void *ctx)
{
	add(ctx, p, unit_id, prefix_id);
	return 0;
}

/* Fill the Eytzinger tree at node k from the sorted entries; *i walks the sorted order. */
static void eytzinger(struct owner_index *ix, size_t *i, size_t k)
{
	size_t n = ix->n[0];
	if (k > n)
		return;
	eytzinger(ix, i, 2 * k);
	ix->eyt_key[k] = (uint32_t)ix->v[0][*i].first;
	ix->eyt_pos[k] = (uint32_t)*i;
	(*i)++;
	eytzinger(ix, i, 2 * k + 1);
}

int owner_index_build(struct sconn *c, struct owner_index **out, struct zw_err *err)
{
	struct build b;
	memset(&b, 0, sizeof(b));
	b.ix = xcalloc(1, sizeof(*b.ix));
	int rc = store_owned_prefixes(c, add_row, &b, err);
	struct owner_index *ix = b.ix;
	if (!rc && ix->n[0]) {
		ix->eyt_key = xcalloc(ix->n[0] + 1, sizeof(uint32_t));
		ix->eyt_pos = xcalloc(ix->n[0] + 1, sizeof(uint32_t));
		size_t i = 0;
		eytzinger(ix, &i, 1);
	}
	if (rc) {
		owner_index_free(ix);
		return rc;
	}
	*out = ix;
	return 0;
}

void owner_index_free(struct owner_index *ix)
{
	if (!ix)
		return;
	free(ix->v[0]);
	free(ix->v[1]);
	free(ix->eyt_key);
	free(ix->eyt_pos);
	free(ix);
}

int owner_index_lookup(const struct owner_index *ix, int family, u128 addr, int64_t *unit_id,
                       int64_t *prefix_id)
{
	int f = family == 6;
	const struct owner_entry *v = ix->v[f];
	size_t lo; /* the number of entries with first <= addr */
	if (!f && ix->eyt_key) {
		size_t n = ix->n[0], k = 1;
		uint32_t a = (uint32_t)addr;
		while (k <= n) {
			__builtin_prefetch(ix->eyt_key + 16 * k);
			k = 2 * k + (ix->eyt_key[k] <= a);
		}
		/* k ran off the tree; the first key > a is the node where the search last went
		 * left: strip the trailing right turns (ones) and that left turn. */
		k >>= __builtin_ffsll((long long)~k);
		lo = k ? ix->eyt_pos[k] : n;
	} else {
		size_t hi = ix->n[f];
		lo = 0;
		while (lo < hi) { /* first entry with first > addr */
			size_t mid = lo + (hi - lo) / 2;
			if (v[mid].first <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	for (int32_t i = (int32_t)lo - 1; i >= 0; i = v[i].parent)
		if (v[i].last >= addr) {
			*unit_id = v[i].unit_id;
			*prefix_id = v[i].prefix_id;
			return 1;
		}
	return 0;
}
