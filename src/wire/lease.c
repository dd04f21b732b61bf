#include "wire/lease.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/parse.h"
#include "core/xalloc.h"

int lease_format_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "isc") == 0)
		return LEASE_ISC;
	if (strcmp(s, "kea") == 0)
		return LEASE_KEA;
	if (strcmp(s, "dnsmasq") == 0)
		return LEASE_DNSMASQ;
	return -1;
}

/* ---- entries: the file's leases in order; the last of an address wins ---- */

struct entry {
	struct obs o;
	size_t seq;
	bool active;
};

struct entries {
	struct entry *v;
	size_t n, cap;
	struct lease_stats *st;
};

static struct entry *add(struct entries *e)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->v = xreallocarray(e->v, e->cap, sizeof(*e->v));
	}
	struct entry *x = &e->v[e->n];
	memset(x, 0, sizeof(*x));
	x->seq = e->n++;
	x->o.kind = OBS_LEASE;
	return x;
}

static void bad(struct lease_stats *st, int line)
{
	st->bad++;
	if (!st->first_bad)
		st->first_bad = line;
}

static int by_address(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	if (a->o.family != b->o.family)
		return a->o.family < b->o.family ? -1 : 1;
	if (a->o.ip != b->o.ip)
		return a->o.ip < b->o.ip ? -1 : 1;
	return a->seq > b->seq ? -1 : a->seq < b->seq; /* the latest first */
}

static int finish(struct entries *e, int64_t now, lease_fn fn, void *arg)
{
	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), by_address);
	int rc = 0;
	for (size_t i = 0; i < e->n && !rc; i++) {
		struct entry *x = &e->v[i];
		bool latest =
		    i == 0 || x->o.family != e->v[i - 1].o.family || x->o.ip != e->v[i - 1].o.ip;
		bool held = x->active && x->o.has_mac;
		bool current = held && (!x->o.expires || x->o.expires > now);
		if (latest && held && !current) {
			e->st->expired++;
			if (x->o.expires > e->st->last_end)
				e->st->last_end = x->o.expires;
			continue;
		}
		if (!latest || !current) {
			e->st->skipped++;
			continue;
		}
		x->o.at_us = now * 1000000;
		e->st->leases++;
		rc = fn(&x->o, arg);
	}
	return rc;
}

/* An expiry past what times can be written (year 2200) is a lease that does not end. */
static int64_t expiry(int64_t t)
{
	return t >= 7258118400 ? 0 : t;
}

static bool set_ip(struct obs *o, const char *s)
{
	int fam;
	if (inet_parse_addr(s, &fam, &o->ip) < 0)
		return false;
	o->family = (uint8_t)fam;
	o->has_ip = true;
	return true;
}

static bool set_mac(struct obs *o, const char *s)
{
	if (parse_mac(s, o->mac) < 0)
		return false;
	o->has_mac = true;
	return true;
}

/* ---- ISC dhcpd.leases ---- */

enum tt { T_EOF, T_WORD, T_STR, T_LBRACE, T_RBRACE, T_SEMI };

struct lexer {
	const char *p, *end;
	int line;
};

struct tok {
	enum tt t;
	const char *s;
	size_t n;
	int line;
};

static struct tok lex(struct lexer *lx)
{
	for (;;) {
		while (lx->p < lx->end &&
		       (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' || *lx->p == '\n')) {
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p < lx->end && *lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		break;
	}
	struct tok t = {T_EOF, lx->p, 0, lx->line};
	if (lx->p >= lx->end)
		return t;
	char c = *lx->p;
	if (c == '{' || c == '}' || c == ';') {
		t.t = c == '{' ? T_LBRACE : c == '}' ? T_RBRACE : T_SEMI;
		t.n = 1;
		lx->p++;
		return t;
	}
	if (c == '"') {
		const char *q = ++lx->p;
		while (lx->p < lx->end && *lx->p != '"') {
			if (*lx->p == '\\' && lx->p + 1 < lx->end)
				lx->p++;
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p >= lx->end) /* an unterminated string: the file ends mid-write */
			return (struct tok){T_EOF, q, 0, t.line};
		t.t = T_STR;
		t.s = q;
		t.n = (size_t)(lx->p - q);
		lx->p++;
		return t;
	}
	/* a word runs to a delimiter (a NUL byte is part of it: strchr would call it one) */
	while (lx->p < lx->end && (!*lx->p || !strchr(" \t\r\n{};\"#", *lx->p)))
		lx->p++;
	t.t = T_WORD;
	t.n = (size_t)(lx->p - t.s);
	return t;
}

/* Skip to the end of a block whose '{' was just read; false at the end of the file. */
static bool skip_block(struct lexer *lx)
{
	int depth = 1;
	while (depth) {
		struct tok t = lex(lx);
		if (t.t == T_EOF)
			return false;
		depth += t.t == T_LBRACE ? 1 : t.t == T_RBRACE ? -1 : 0;
	}
	return true;
}

static bool word(const struct tok *t, const char *w)
{
	return t->t == T_WORD && t->n == strlen(w) && memcmp(t->s, w, t->n) == 0;
}

static void text(const struct tok *t, char *out, size_t n)
{
	size_t k = t->n < n - 1 ? t->n : n - 1;
	memcpy(out, t->s, k);
	out[k] = 0;
}

/* "W YYYY/MM/DD HH:MM:SS" (UTC) or "epoch N", from w[1]; -1 when neither. */
static int64_t isc_time(const struct tok *w, int nw)
{
	char a[32], b[32];
	if (nw >= 3 && word(&w[1], "epoch")) {
		int64_t v;
		text(&w[2], a, sizeof(a));
		return parse_i64(a, 0, INT64_MAX / 2, &v) == 0 ? v : -1;
	}
	if (nw < 4)
		return -1;
	text(&w[2], a, sizeof(a));
	text(&w[3], b, sizeof(b));
	int y, mo, d, h, mi, s;
	char tail;
	if (sscanf(a, "%4d/%2d/%2d%c", &y, &mo, &d, &tail) != 3 ||
	    sscanf(b, "%2d:%2d:%2d%c", &h, &mi, &s, &tail) != 3 || y < 1970 || y > 9999 || mo < 1 ||
	    mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0)
		return -1;
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = mo - 1,
	                .tm_mday = d,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_sec = s};
	return (int64_t)timegm(&tm);
}

/* The statements of a lease block, up to its '}'. false: the entry is unreadable. */
static bool isc_lease(struct lexer *lx, struct entry *x, bool *eof)
{
	bool ok = true;
	for (;;) {
		struct tok w[8];
		int nw = 0;
		struct tok t;
		for (;;) {
			t = lex(lx);
			if (t.t == T_EOF) {
				*eof = true;
				return false;
			}
			if (t.t == T_SEMI || t.t == T_RBRACE || t.t == T_LBRACE)
				break;
			if (nw < 8)
				w[nw++] = t;
		}
		if (t.t == T_LBRACE && !skip_block(lx)) { /* a nested block: not ours */
			*eof = true;
			return false;
		}
		if (t.t == T_RBRACE && nw == 0)
			return ok;
		char v[OBS_TEXT];
		if (nw >= 2 && word(&w[0], "ends")) {
			if (word(&w[1], "never")) {
				x->o.expires = 0;
			} else {
				int64_t e = isc_time(w, nw);
				ok &= e >= 0;
				x->o.expires = e > 0 ? expiry(e) : 0;
			}
		} else if (nw >= 3 && word(&w[0], "binding") && word(&w[1], "state")) {
			x->active = word(&w[2], "active");
		} else if (nw >= 3 && word(&w[0], "hardware") && word(&w[1], "ethernet")) {
			text(&w[2], v, sizeof(v));
			ok &= set_mac(&x->o, v);
		} else if (nw >= 2 && word(&w[0], "client-hostname") && w[1].t == T_STR) {
			obs_copy_text(x->o.hostname, (const uint8_t *)w[1].s,
			              w[1].n < 255 ? w[1].n : 255);
		}
		if (t.t == T_RBRACE)
			return ok;
	}
}

static void isc(struct entries *e, const char *text_, size_t len)
{
	struct lexer lx = {text_, text_ + len, 1};
	for (;;) {
		struct tok t = lex(&lx);
		if (t.t == T_EOF)
			return;
		if (word(&t, "lease")) {
			struct tok a = lex(&lx), b = lex(&lx);
			char addr[64];
			bool eof = false;
			if (a.t != T_WORD || b.t != T_LBRACE) {
				bad(e->st, t.line);
				if (b.t == T_LBRACE && !skip_block(&lx))
					return;
				continue;
			}
			struct entry *x = add(e);
			text(&a, addr, sizeof(addr));
			bool ok = set_ip(&x->o, addr) && x->o.family == 4;
			ok &= isc_lease(&lx, x, &eof);
			if (!ok) { /* unreadable, or cut off by the end of a file being written */
				e->n--;
				bad(e->st, t.line);
			}
			if (eof)
				return;
			continue;
		}
		/* anything else: a statement to its ';', or a block to its '}' */
		while (t.t != T_SEMI && t.t != T_EOF) {
			if (t.t == T_LBRACE) {
				if (!skip_block(&lx))
					return;
				break;
			}
			if (t.t == T_RBRACE)
				break;
			t = lex(&lx);
		}
	}
}

/* ---- Kea memfile CSV ---- */

struct kea {
	struct entries *e;
	int address, hwaddr, expire, lifetime, hostname, state;
	bool header;
};

static int column(char **f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i], name) == 0)
			return (int)i;
	return -1;
}

static int kea_row(int line, char **f, size_t n, void *arg)
{
	struct kea *k = arg;
	if (!k->header) {
		k->header = true;
		k->address = column(f, n, "address");
		k->hwaddr = column(f, n, "hwaddr");
		k->expire = column(f, n, "expire");
		k->lifetime = column(f, n, "valid_lifetime");
		k->hostname = column(f, n, "hostname");
		k->state = column(f, n, "state");
		if (k->address < 0 || k->expire < 0) {
			bad(k->e->st, line);
			return 1; /* not a Kea lease file */
		}
		return 0;
	}
	if (n == 1 && !*f[0])
		return 0; /* an empty line */
	if ((size_t)k->address >= n || (size_t)k->expire >= n) {
		bad(k->e->st, line);
		return 0;
	}
	struct entry *x = add(k->e);
	int64_t expire, life = 1;
	bool ok =
	    set_ip(&x->o, f[k->address]) && parse_i64(f[k->expire], 0, INT64_MAX / 2, &expire) == 0;
	if (ok && k->lifetime >= 0 && (size_t)k->lifetime < n)
		ok = parse_i64(f[k->lifetime], 0, INT64_MAX / 2, &life) == 0;
	if (ok && k->hwaddr >= 0 && (size_t)k->hwaddr < n && *f[k->hwaddr])
		ok = set_mac(&x->o, f[k->hwaddr]);
	if (!ok) {
		k->e->n--;
		bad(k->e->st, line);
		return 0;
	}
	x->o.expires = expiry(expire);
	/* a lifetime of 0 is a released lease; state 0 is assigned (1 declined, 2 reclaimed) */
	x->active =
	    life > 0 && (k->state < 0 || (size_t)k->state >= n || strcmp(f[k->state], "0") == 0);
	if (k->hostname >= 0 && (size_t)k->hostname < n)
		obs_copy_text(x->o.hostname, (const uint8_t *)f[k->hostname],
		              strlen(f[k->hostname]) < 255 ? strlen(f[k->hostname]) : 255);
	return 0;
}

static void kea(struct entries *e, const char *text_, size_t len)
{
	struct kea k = {.e = e};
	struct zw_err err = {0};
	int rc = csv_parse(text_, len, kea_row, &k, &err);
	if (rc && rc != 1) /* malformed CSV: what was read before it stands */
		bad(e->st, 0);
}

/* ---- dnsmasq.leases ---- */

static void dnsmasq(struct entries *e, const char *text_, size_t len)
{
	const char *p = text_, *end = text_ + len;
	int line = 0;
	bool v6 = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		line++;
		char buf[1024];
		size_t n = (size_t)(stop - p);
		p = nl ? nl + 1 : end;
		if (n == 0)
			continue;
		if (n >= sizeof(buf)) {
			bad(e->st, line);
			continue;
		}
		memcpy(buf, stop - n, n);
		buf[n] = 0;
		char *f[6], *save = NULL;
		int k = 0;
		for (char *w = strtok_r(buf, " \t\r", &save); w && k < 6;
		     w = strtok_r(NULL, " \t\r", &save))
			f[k++] = w;
		if (k >= 1 && strcmp(f[0], "duid") == 0) {
			v6 = true; /* the IPv6 leases that follow name a DUID, not a MAC */
			continue;
		}
		if (v6) {
			e->st->skipped++;
			continue;
		}
		int64_t when;
		if (k < 3 || parse_i64(f[0], 0, INT64_MAX / 2, &when) < 0) {
			bad(e->st, line);
			continue;
		}
		struct entry *x = add(e);
		if (!set_mac(&x->o, f[1]) || !set_ip(&x->o, f[2])) {
			e->n--;
			bad(e->st, line);
			continue;
		}
		x->o.expires = expiry(when);
		x->active = true;
		if (k >= 4 && strcmp(f[3], "*") != 0)
			obs_copy_text(x->o.hostname, (const uint8_t *)f[3],
			              strlen(f[3]) < 255 ? strlen(f[3]) : 255);
	}
}

bool lease_all_expired(size_t current, size_t expired)
{
	return current == 0 && expired > 0;
}

int lease_parse(enum lease_format f, const char *text_, size_t len, int64_t now, lease_fn fn,
                void *arg, struct lease_stats *st)
{
	memset(st, 0, sizeof(*st));
	struct entries e = {.st = st};
	if (f == LEASE_ISC)
		isc(&e, text_, len);
	else if (f == LEASE_KEA)
		kea(&e, text_, len);
	else
		dnsmasq(&e, text_, len);
	int rc = finish(&e, now, fn, arg);
	free(e.v);
	return rc;
}
