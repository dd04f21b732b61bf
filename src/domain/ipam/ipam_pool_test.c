#include <stdlib.h>
#include <string.h>

#include "core/test.h"
#include "domain/ipam/ipam_pool.h"

/* A reference model: the blocks handed out, checked against the pool after every step. */
struct model {
	struct inet_prefix *b;
	size_t n;
};

static void check(struct ipam_pool *p, const struct model *m)
{
	const struct inet_prefix *root = ipam_pool_root(p);
	u128 used = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct inet_prefix *x = &m->b[i];
		assert_true(inet_contains(root, x));
		assert_true((x->net & (inet_size(x) - 1)) == 0); /* aligned */
		assert_false(ipam_pool_is_free(p, x));
		for (size_t j = i + 1; j < m->n; j++)
			assert_false(inet_overlap(x, &m->b[j]));
		used += inet_size(x);
	}
	assert_true(used + ipam_pool_free_size(p) == inet_size(root));
}

struct fit_ctx {
	int len;
	int best; /* largest free length <= len */
};

static void best_of(const struct inet_prefix *b, void *vctx)
{
	struct fit_ctx *f = vctx;
	if (b->len <= f->len && b->len > f->best)
		f->best = b->len;
}

static void run(const char *root_s, int min_len, int max_len, unsigned seed, int steps)
{
	struct inet_prefix root;
	assert_int_equal(inet_parse_prefix(root_s, false, &root), 0);
	struct ipam_pool *p = ipam_pool_new(&root);
	struct model m = {calloc((size_t)steps, sizeof(struct inet_prefix)), 0};
	int taken = 0, released = 0, carved = 0, full = 0, clashed = 0;
	size_t peak = 0;
	srand(seed);
	for (int s = 0; s < steps; s++) {
		int op = rand() % 10;
		if (op < 6) {
			int len = min_len + rand() % (max_len - min_len + 1);
			struct fit_ctx f = {len, -1};
			ipam_pool_foreach(p, best_of, &f);
			struct inet_prefix got;
			if (ipam_pool_take(p, len, &got) == 0) {
				assert_int_equal(got.len, len);
				/* best fit: it came from the smallest free block that fits */
				assert_int_not_equal(f.best, -1);
				m.b[m.n++] = got;
				taken++;
			} else {
				assert_int_equal(f.best, -1);
				full++;
			}
		} else if (op < 9 && m.n) {
			size_t k = (size_t)rand() % m.n;
			assert_int_equal(ipam_pool_release(p, &m.b[k]), 0);
			/* a second release of the same block is refused */
			assert_int_equal(ipam_pool_release(p, &m.b[k]), -1);
			m.b[k] = m.b[--m.n];
			released++;
		} else {
			/* explicit request: a random aligned block, granted only if entirely free
			 */
			int len = min_len + rand() % (max_len - min_len + 1);
			u128 span = inet_size(&root) / ((u128)1 << (len - root.len));
			u128 off = ((u128)(unsigned)rand() * (u128)(unsigned)rand()) %
			           ((u128)1 << (len - root.len));
			struct inet_prefix q = {root.family, (uint8_t)len, root.net + off * span};
			if (m.n && rand() % 2) /* aim at a block handed out: must clash */
				q.net = m.b[(size_t)rand() % m.n].net & ~(inet_size(&q) - 1);
			bool clash = false;
			for (size_t i = 0; i < m.n; i++)
				clash |= inet_overlap(&q, &m.b[i]);
			int rc = ipam_pool_occupy(p, &q);
			assert_int_equal(rc == 0, !clash);
			if (rc == 0)
				m.b[m.n++] = q;
			carved += rc == 0;
			clashed += rc != 0;
		}
		if (s % 50 == 0 || s == steps - 1)
			check(p, &m);
		if (m.n > peak)
			peak = m.n;
	}
	/* The sequence exercised every path, and the space really filled up at times. */
	assert_true(taken > steps / 4 && released > steps / 10 && carved > 0 && clashed > 0);
	assert_true(full > 0 || peak > 100);
	/* Give everything back: the root is one free block again. */
	while (m.n) {
		assert_int_equal(ipam_pool_release(p, &m.b[m.n - 1]), 0);
		m.n--;
	}
	assert_int_equal(ipam_pool_free_count(p), 1);
	assert_int_equal(ipam_pool_largest(p), root.len);
	free(m.b);
	ipam_pool_free(p);
}

static void test_random_v4(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 20; seed++)
		run("10.0.0.0/16", 20, 30, seed, 600);
}

static void test_random_v6(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 10; seed++)
		run("2001:db8::/32", 40, 64, seed, 600);
}

static void test_best_fit_and_exhaustion(void **state)
{
	(void)state;
	struct inet_prefix root, got, q;
	inet_parse_prefix("192.168.0.0/24", false, &root);
	struct ipam_pool *p = ipam_pool_new(&root);
	/* Take a /26, leaving a /26 and a /25 free; a /26 request must use the free /26. */
	assert_int_equal(ipam_pool_take(p, 26, &got), 0);
	char s[INET_PREFIX_MAX];
	inet_format_prefix(&got, s);
	assert_string_equal(s, "192.168.0.0/26");
	assert_int_equal(ipam_pool_take(p, 26, &got), 0);
	inet_format_prefix(&got, s);
	assert_string_equal(s, "192.168.0.64/26");
	inet_parse_prefix("192.168.0.128/25", false, &q);
	assert_true(ipam_pool_is_free(p, &q));
	assert_int_equal(ipam_pool_occupy(p, &q), 0);
	assert_int_equal(ipam_pool_take(p, 30, &got), -1); /* full */
	assert_int_equal(ipam_pool_occupy(p, &q), -1);     /* already taken */
	inet_parse_prefix("10.0.0.0/30", false, &q);
	assert_int_equal(ipam_pool_occupy(p, &q), -1); /* outside */
	ipam_pool_free(p);
}

int main(void)
{
	RUN(cmocka_unit_test(test_random_v4), cmocka_unit_test(test_random_v6),
	    cmocka_unit_test(test_best_fit_and_exhaustion));
}
