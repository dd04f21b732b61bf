#include "watch/watch.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/mutant.h"
#include "core/parse.h"
#include "watch/ipam_index.h"
#include "store/watch_sql.h"
#include "core/text.h"
#include "core/xalloc.h"

static const char *const codes[] = {
#define FINDING_CODE(e, code, zh, behaviour, opens, about) code,
    FINDING_MAP(FINDING_CODE)
#undef FINDING_CODE
};
static const char *const labels[] = {
#define FINDING_LABEL(e, code, zh, behaviour, opens, about) zh,
    FINDING_MAP(FINDING_LABEL)
#undef FINDING_LABEL
};
static const char *const behaviours[] = {
#define FINDING_BEHAVIOUR(e, code, zh, behaviour, opens, about) behaviour,
    FINDING_MAP(FINDING_BEHAVIOUR)
#undef FINDING_BEHAVIOUR
};

const char *finding_code(enum finding_kind k)
{
	return (unsigned)k < FINDING_COUNT ? codes[k] : "?";
}
const char *finding_label(enum finding_kind k)
{
	return (unsigned)k < FINDING_COUNT ? labels[k] : "?";
}
const char *finding_behaviour(enum finding_kind k)
{
	return (unsigned)k < FINDING_COUNT ? behaviours[k] : "?";
}
#define CASE   true
#define REVIEW false
static const bool opens_case[] = {
#define FINDING_OPENS(e, code, zh, behaviour, opens, about) opens,
    FINDING_MAP(FINDING_OPENS)
#undef FINDING_OPENS
};
#define DEVICE true
#define USE    false
static const bool about_device[] = {
#define FINDING_ABOUT(e, code, zh, behaviour, opens, about) about,
    FINDING_MAP(FINDING_ABOUT)
#undef FINDING_ABOUT
};
#undef CASE
#undef REVIEW
#undef DEVICE
#undef USE

bool finding_opens_case(enum finding_kind k)
{
	return (unsigned)k < FINDING_COUNT && opens_case[k];
}

bool finding_about_device(enum finding_kind k)
{
	return (unsigned)k < FINDING_COUNT && about_device[k];
}

int finding_parse(const char *s)
{
	for (int i = 0; i < FINDING_COUNT; i++)
		if (strcmp(s, codes[i]) == 0)
			return i;
	return -1;
}

void watch_params_default(struct watch_params *p)
{
	*p = (struct watch_params){
	    .scan_hosts = 64,
	    .scan_ports = 100,
	    .scan_window_s = 10,
	    .port_macs = 3,
	    .conflict_s = 60,
	    .flips = 4,
	    .repeat_s = 60,
	    .max_tracked = 1 << 20,
	};
}

/* ---- the index ---- */

struct build {
	struct watch_index *ix;
	size_t cap_terms, cap_macs, cap_nets;
	int failed;
};

static void grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 256;
	*v = xreallocarray(*v, *cap, size);
}

static int term_row(const char *const *col, void *ctx)
{
	struct build *b = ctx;
	struct watch_index *ix = b->ix;
	uint8_t mac[6];
	if (!col[2] || parse_mac(col[2], mac) < 0)
		return 0; /* the register validates MACs; a bad one is not ours to refuse here */
	grow((void **)&ix->terms, &b->cap_terms, ix->nterms, sizeof(*ix->terms));
	struct watch_term *t = &ix->terms[ix->nterms];
	*t = (struct watch_term){.id = strtoll(col[0], NULL, 10),
	                         .unit_id = col[1] ? strtoll(col[1], NULL, 10) : 0};
	t->is_ap = col[4] && strcmp(col[4], "无线AP") == 0;
	int fam;
	if (col[3] && inet_parse_addr(col[3], &fam, &t->ip) == 0) {
		t->has_ip = true;
		t->family = (uint8_t)fam;
	}
	uint32_t i = (uint32_t)ix->nterms++;
	if (hmap_put(&ix->mac_term, hkey_mac(mac), i) < 0 ||
	    (t->has_ip && hmap_put(&ix->ip_term, hkey_ip(fam, t->ip), i) < 0))
		return -1;
	return 0;
}

static int addr_row(const char *const *col, void *ctx)
{
	struct build *b = ctx;
	struct watch_index *ix = b->ix;
	int fam;
	u128 a;
	uint8_t mac[6];
	if (!col[0] || inet_parse_addr(col[0], &fam, &a) < 0)
		return 0;
	bool has_mac = col[1] && parse_mac(col[1], mac) == 0;
	/* a host address registered as a gateway is the county's equipment */
	if (col[3] && strcmp(col[3], "网关") == 0 &&
	    (hmap_put(&ix->own_ip, hkey_ip(fam, a), 0) < 0 ||
	     (has_mac && hmap_put(&ix->own_mac, hkey_mac(mac), 0) < 0)))
		return -1;
	if (!has_mac)
		return 0; /* an address without a MAC binds nothing */
	grow((void **)&ix->macs, &b->cap_macs, ix->nmacs, sizeof(*ix->macs));
	memcpy(ix->macs[ix->nmacs], mac, 6);
	uint32_t i = (uint32_t)ix->nmacs++;
	if (hmap_put(&ix->ip_mac, hkey_ip(fam, a), i) < 0 ||
	    hmap_put(&ix->known_mac, hkey_mac(mac), i) < 0)
		return -1;
	return 0;
}

/* A registered device (switch, router, camera server ...): the county's equipment by its
 * management address and MAC; its unit is where its ports are. */
static int device_row(const char *const *col, void *ctx)
{
	struct build *b = ctx;
	struct watch_index *ix = b->ix;
	int64_t id = strtoll(col[0], NULL, 10);
	int64_t unit = col[1] ? strtoll(col[1], NULL, 10) : 0;
	int fam;
	u128 a;
	uint8_t mac[6];
	if ((col[2] && inet_parse_addr(col[2], &fam, &a) == 0 &&
	     hmap_put(&ix->own_ip, hkey_ip(fam, a), 0) < 0) ||
	    (col[3] && parse_mac(col[3], mac) == 0 && hmap_put(&ix->own_mac, hkey_mac(mac), 0) < 0))
		return -1;
	if (unit > 0 && hmap_put(&ix->device_unit, (u128)id, (uint32_t)unit) < 0)
		return -1;
	return 0;
}

static int net_row(const char *const *col, void *ctx)
{
	struct build *b = ctx;
	struct watch_index *ix = b->ix;
	grow((void **)&ix->nets, &b->cap_nets, ix->nnets, sizeof(*ix->nets));
	struct watch_net *n = &ix->nets[ix->nnets];
	memset(n, 0, sizeof(*n));
	n->prefix_id = strtoll(col[0], NULL, 10);
	n->unit_id = col[1] ? strtoll(col[1], NULL, 10) : 0;
	if (!col[2] || inet_parse_prefix(col[2], false, &n->p) < 0)
		return 0;
	int fam;
	if (col[3] && inet_parse_addr(col[3], &fam, &n->gw) == 0 && fam == n->p.family)
		n->has_gw = true;
	if (col[4]) {
		char w[INET_ADDR_MAX];
		/* "a, b" or "a b": the first two servers */
		for (int k = 0; n->ndns < 2 && list_word(col[4], k, w, sizeof(w)); k++)
			if (inet_parse_addr(w, &fam, &n->dns[n->ndns]) == 0 && fam == n->p.family)
				n->ndns++;
	}
	uint32_t i = (uint32_t)ix->nnets++;
	if (hmap_put(&ix->prefix_net, (u128)n->prefix_id, i) < 0 ||
	    (n->has_gw && hmap_put(&ix->own_ip, hkey_ip(n->p.family, n->gw), 0) < 0))
		return -1;
	for (int k = 0; k < n->ndns; k++)
		if (hmap_put(&ix->own_ip, hkey_ip(n->p.family, n->dns[k]), 0) < 0)
			return -1;
	return 0;
}

void watch_index_free(struct watch_index *ix)
{
	if (!ix)
		return;
	owner_index_free(ix->owners);
	free(ix->terms);
	free(ix->macs);
	free(ix->nets);
	free(ix->router_ouis);
	hmap_free(&ix->mac_term);
	hmap_free(&ix->ip_term);
	hmap_free(&ix->ip_mac);
	hmap_free(&ix->known_mac);
	hmap_free(&ix->prefix_net);
	hmap_free(&ix->dhcp_ok);
	hmap_free(&ix->own_ip);
	hmap_free(&ix->own_mac);
	hmap_free(&ix->device_unit);
	free(ix);
}

int watch_index_build(struct sconn *c, const char *dhcp_servers, const uint32_t *ouis, size_t nouis,
                      struct watch_index **out, struct zw_err *err)
{
	struct watch_index *ix = xcalloc(1, sizeof(*ix));
	struct build b = {.ix = ix};
	int64_t gen = 0;
	size_t nt = 0, na = 0, nn = 0, nd = 0;
	/* size the maps first; the reads are not one snapshot, so leave room for rows added
	 * in between */
	int rc = store_watch_generation(c, &gen, err);
	if (!rc)
		rc = store_watch_counts(c, &nt, &na, &nn, &nd, err);
	if (rc) {
		free(ix);
		return rc;
	}
	ix->generation = gen;
	nt += nt / 4 + 64;
	na += na / 4 + 64;
	nn += nn / 4 + 64;
	nd += nd / 4 + 64;
	hmap_init(&ix->mac_term, nt);
	hmap_init(&ix->ip_term, nt);
	hmap_init(&ix->ip_mac, na);
	hmap_init(&ix->known_mac, na);
	hmap_init(&ix->prefix_net, nn);
	hmap_init(&ix->dhcp_ok, 64 + nn);
	hmap_init(&ix->own_ip, 64 + 3 * nn + na + nd);
	hmap_init(&ix->own_mac, 64 + na + nd);
	hmap_init(&ix->device_unit, nd);
	rc = store_watch_terminals(c, term_row, &b, err);
	if (!rc)
		rc = store_watch_addresses(c, addr_row, &b, err);
	if (!rc)
		rc = store_watch_devices(c, device_row, &b, err);
	if (!rc)
		rc = store_watch_nets(c, net_row, &b, err);
	if (!rc)
		rc = owner_index_build(c, &ix->owners, err);
	if (rc) {
		watch_index_free(ix);
		return rc;
	}
	/* the county's DHCP servers: as configured, and every gateway (a relay answers from it) */
	char w[64];
	for (int k = 0; dhcp_servers && list_word(dhcp_servers, k, w, sizeof(w)); k++) {
		int fam;
		u128 a;
		uint8_t mac[6];
		if (inet_parse_addr(w, &fam, &a) == 0) {
			hmap_put(&ix->dhcp_ok, hkey_ip(fam, a), 0);
			hmap_put(&ix->own_ip, hkey_ip(fam, a), 0);
		} else if (parse_mac(w, mac) == 0) {
			hmap_put(&ix->dhcp_ok, ((u128)1 << 127) | hkey_mac(mac), 0);
			hmap_put(&ix->own_mac, hkey_mac(mac), 0);
		}
	}
	for (size_t i = 0; i < ix->nnets; i++)
		if (ix->nets[i].has_gw)
			hmap_put(&ix->dhcp_ok, hkey_ip(ix->nets[i].p.family, ix->nets[i].gw), 0);
	if (nouis) {
		ix->router_ouis = xcalloc(nouis, sizeof(uint32_t));
		memcpy(ix->router_ouis, ouis, nouis * sizeof(uint32_t));
		ix->nouis = nouis;
	}
	*out = ix;
	return 0;
}

/* ---- state ---- */

struct ip_state {
	uint8_t mac[6];
	uint16_t flips;
	int64_t last_us, flip_start_us;
};

struct sketch { /* distinct values seen in a window, by a 1024-bit linear-counting sketch */
	uint64_t bits[16];
	uint32_t n;
};

struct mac_state {
	int64_t window_us; /* the scan window ... */
	struct sketch hosts, ports;
	bool has_ip; /* ... and, kept across windows, the address it was last seen using */
	uint8_t family;
	u128 ip;
};

struct port_state {
	int64_t window_us;
	uint64_t bits; /* 64-bit sketch of the MACs behind the port */
	uint8_t n;
	bool expected; /* a registered AP or the county's equipment is behind it: many MACs */
	/* who the port is: the first registered terminal behind it, else the first MAC whose
	 * address is known */
	int64_t unit_id, terminal_id;
	bool has_ip;
	uint8_t family;
	u128 ip;
};

struct table {
	struct hmap map;
	void *rows;
	size_t n, size;
};

struct watch_state {
	struct table ips, macs, ports, raised;
};

static void table_init(struct table *t, size_t max, size_t size)
{
	t->size = size;
	t->n = 0;
	t->rows = xcalloc(max, size);
	hmap_init(&t->map, max);
}

static void table_free(struct table *t)
{
	hmap_free(&t->map);
	free(t->rows);
}

/* The row for key, created zeroed when new; NULL when the table is full. */
static void *table_row(struct table *t, u128 key, bool *fresh)
{
	int64_t i = hmap_get(&t->map, key);
	*fresh = false;
	if (i >= 0)
		return (char *)t->rows + (size_t)i * t->size;
	if (hmap_put(&t->map, key, (uint32_t)t->n) < 0)
		return NULL;
	ZW_ASSERT(t->n < t->map.max); /* rows has room for as many as the map admits */
	*fresh = true;
	return (char *)t->rows + t->n++ * t->size;
}

static bool sketch_add(struct sketch *s, uint64_t h)
{
	uint64_t bit = 1ull << (h & 63);
	uint64_t *w = &s->bits[(h >> 6) & 15];
	if (*w & bit)
		return false;
	*w |= bit;
	s->n++;
	return true;
}

void watch_init(struct watch *w, const struct watch_params *p, const char *dhcp_servers)
{
	memset(w, 0, sizeof(*w));
	w->params = *p;
	atomic_init(&w->index, NULL);
	w->state = xcalloc(1, sizeof(*w->state));
	size_t max = (size_t)(p->max_tracked > 0 ? p->max_tracked : 1);
	table_init(&w->state->ips, max, sizeof(struct ip_state));
	table_init(&w->state->macs, max, sizeof(struct mac_state));
	table_init(&w->state->ports, max, sizeof(struct port_state));
	table_init(&w->state->raised, max, sizeof(int64_t));
	w->dhcp_servers = xstrdup(dhcp_servers ? dhcp_servers : "");
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->rebuild, NULL);
}

void watch_free(struct watch *w)
{
	if (w->state) {
		table_free(&w->state->ips);
		table_free(&w->state->macs);
		table_free(&w->state->ports);
		table_free(&w->state->raised);
		free(w->state);
		w->state = NULL;
		pthread_mutex_destroy(&w->lock);
		pthread_mutex_destroy(&w->rebuild);
	}
	watch_index_free(atomic_load(&w->index));
	for (int i = 0; i < 8; i++)
		watch_index_free(w->retired[i]);
	free(w->dhcp_servers);
	free(w->ouis);
	memset(w, 0, sizeof(*w));
}

/* ---- OUIs ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* An organisation's name reduced to what tells names apart: ASCII letters (lower case) and
 * digits, and every byte that is not ASCII; blanks and ASCII punctuation go, so "Tenda
 * Technology Co., Ltd." and "Tenda Technology Co.,Ltd." are one name. */
static size_t org_key(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || isalnum(c))
			out[k++] = (char)(c >= 0x80 ? c : tolower(c));
	}
	out[k] = 0;
	return k;
}

#define MAX_VENDORS 64

int watch_load_ouis(struct watch *w, const char *path, const char *vendors, struct zw_err *err)
{
	/* the makers, each a whole organisation name as the registry writes it */
	char keys[MAX_VENDORS][128];
	const char *names[MAX_VENDORS];
	size_t lens[MAX_VENDORS], hits[MAX_VENDORS] = {0};
	int nv = 0;
	for (const char *p = vendors ? vendors : ""; *p;) {
		size_t len = strcspn(p, ";");
		if (nv == MAX_VENDORS)
			return zw_errf(err, ZW_EINVALID, "router_vendors",
			               "router_vendors 最多列 %d 个厂商", MAX_VENDORS);
		if (org_key(p, len, keys[nv], sizeof(keys[nv]))) {
			while (len && (*p == ' ' || *p == '\t'))
				p++, len--;
			while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
				len--;
			names[nv] = p;
			lens[nv++] = len;
		}
		p += len;
		p += strspn(p, "; \t");
	}
	FILE *f = fopen(path, "r");
	if (!f)
		return zw_errf(err, ZW_EINVALID, "watch_oui_file", "无法打开厂商代码文件 %s", path);
	size_t n = 0, cap = 0;
	uint32_t *v = NULL;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		/* IEEE oui.txt: "D03745     (base 16)\t\tTP-LINK TECHNOLOGIES CO.,LTD." */
		char *base = strstr(line, "(base 16)");
		if (!base || base - line < 6)
			continue;
		uint32_t oui = 0;
		bool ok = true;
		for (int i = 0; i < 6; i++) {
			int c = tolower((unsigned char)line[i]);
			if (!isxdigit(c)) {
				ok = false;
				break;
			}
			oui = oui << 4 | (uint32_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
		}
		if (!ok)
			continue;
		char key[128];
		const char *name = base + 9;
		if (!org_key(name, strlen(name), key, sizeof(key)))
			continue;
		int match = -1;
		for (int k = 0; match < 0 && k < nv; k++)
			if (strcmp(key, keys[k]) == 0)
				match = k;
		if (match < 0)
			continue;
		hits[match]++;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = oui;
	}
	fclose(f);
	for (int k = 0; k < nv; k++)
		if (!hits[k])
			log_warnx("router_vendors: no organisation in %s is named \"%.*s\"", path,
			          (int)lens[k], names[k]);
	if (n)
		qsort(v, n, sizeof(*v), cmp_u32);
	free(w->ouis);
	w->ouis = v;
	w->nouis = n;
	return 0;
}

/* ---- publishing the index ---- */

#define GRACE_US (120 * 1000000ll)

static void publish(struct watch *w, struct watch_index *ix)
{
	struct watch_index *old = atomic_exchange(&w->index, ix);
	if (!old)
		return;
	int64_t now = clock_now() * 1000000;
	/* free the retired indexes past their grace; keep this one for its own */
	int slot = -1;
	for (int i = 0; i < 8; i++) {
		if (w->retired[i] && now - w->retired_at[i] > GRACE_US) {
			watch_index_free(w->retired[i]);
			w->retired[i] = NULL;
		}
		if (!w->retired[i] && slot < 0)
			slot = i;
	}
	if (slot < 0) {
		/* eight rebuilds within the grace: free the oldest, which no request still holds
		 * (a request reads the pointer once and finishes in far less) */
		slot = 0;
		for (int i = 1; i < 8; i++)
			if (w->retired_at[i] < w->retired_at[slot])
				slot = i;
		watch_index_free(w->retired[slot]);
	}
	w->retired[slot] = old;
	w->retired_at[slot] = now;
}

void watch_set_index(struct watch *w, struct watch_index *ix)
{
	pthread_mutex_lock(&w->rebuild);
	publish(w, ix);
	pthread_mutex_unlock(&w->rebuild);
}

int watch_refresh(struct watch *w, struct store *st, struct zw_err *err)
{
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	int64_t gen;
	int rc = store_watch_generation(c, &gen, err);
	if (rc)
		return rc;
	struct watch_index *cur = atomic_load(&w->index);
	if (cur && cur->generation == gen)
		return 0;
	pthread_mutex_lock(&w->rebuild);
	cur = atomic_load(&w->index);
	if (!cur || cur->generation != gen) {
		struct watch_index *ix;
		rc = watch_index_build(c, w->dhcp_servers, w->ouis, w->nouis, &ix, err);
		if (!rc)
			publish(w, ix);
	}
	pthread_mutex_unlock(&w->rebuild);
	return rc;
}

/* ---- the rules ---- */

struct run {
	struct watch *w;
	const struct watch_index *ix;
	const struct obs_self *self; /* the probe's own host */
	const struct obs *o;
	bool own;         /* o is of the county's own equipment (county_own) */
	int64_t terminal; /* the registered terminal o is of, 0 when none */
	struct finding *found;
	size_t max, n, dropped;
};

static bool usable_ip(int family, u128 a)
{
	if (family == 4) {
		uint32_t v = (uint32_t)a;
		return v != 0 && (v >> 24) != 127 && (v >> 16) != 0xa9fe && (v >> 28) != 0xe &&
		       v != 0xffffffffu;
	}
	uint16_t top = (uint16_t)(a >> 112);
	return a != 0 && a != 1 && (top & 0xffc0) != 0xfe80 && (top >> 8) != 0xff;
}

static bool usable_mac(const uint8_t m[6])
{
	static const uint8_t zero[6];
	return !(m[0] & 1) && memcmp(m, zero, 6) != 0;
}

static void raise_finding(struct run *r, enum finding_kind kind, bool with_ip, int family, u128 ip,
                          int64_t unit_id, int64_t terminal_id, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void raise_finding(struct run *r, enum finding_kind kind, bool with_ip, int family, u128 ip,
                          int64_t unit_id, int64_t terminal_id, const char *fmt, ...)
{
	const struct obs *o = r->o;
	/* once per (kind, MAC, address) until repeat_s has passed */
	u128 key = ((u128)hmap_hash(with_ip ? hkey_ip(family, ip) : 0) << 64) |
	           hmap_hash(hkey_mac(o->mac) ^ ((u128)kind << 56) ^ ((u128)1 << 120));
	bool fresh;
	int64_t *last = table_row(&r->w->state->raised, key, &fresh);
	if (!last) {
		atomic_fetch_add(&r->w->untracked, 1);
	} else {
		if (!fresh && o->at_us - *last < r->w->params.repeat_s * 1000000 &&
		    o->at_us >= *last)
			return;
		*last = o->at_us;
	}
	if (r->n >= r->max) {
		r->dropped++;
		return;
	}
	struct finding *f = &r->found[r->n++];
	memset(f, 0, sizeof(*f));
	f->kind = (uint8_t)kind;
	f->has_mac = true;
	memcpy(f->mac, o->mac, 6);
	f->has_ip = with_ip;
	f->family = (uint8_t)family;
	f->ip = ip;
	f->unit_id = unit_id;
	f->terminal_id = terminal_id;
	f->obs = *o;
	va_list ap;
	va_start(ap, fmt);
	text_vprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	atomic_fetch_add(&r->w->raised, 1);
}

static const struct watch_net *net_of(const struct watch_index *ix, int family, u128 a,
                                      int64_t *unit_id)
{
	int64_t prefix_id;
	if (!ix->owners || owner_index_lookup(ix->owners, family, a, unit_id, &prefix_id) != 1)
		return NULL;
	int64_t i = hmap_get(&ix->prefix_net, (u128)prefix_id);
	return i >= 0 ? &ix->nets[i] : NULL;
}

static bool oui_router(const struct watch_index *ix, const uint8_t mac[6])
{
	uint32_t oui = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2];
	return ix->nouis &&
	       bsearch(&oui, ix->router_ouis, ix->nouis, sizeof(uint32_t), cmp_u32) != NULL;
}

/* The county's own equipment, and the host the probe runs on, by the observation's MAC or
 * by the address it speaks from: never a stranger, never judged for what such equipment
 * does by its nature (asking for many neighbours, speaking from an address no unit holds).
 * Conflicts and flip-flops on its addresses are still watched. */
static bool county_own(const struct run *r, const struct obs *o)
{
	const struct watch_index *ix = r->ix;
	if (ZW_MUTANT("county_own"))
		return false;
	if (hmap_get(&ix->own_mac, hkey_mac(o->mac)) >= 0 || obs_self_has_mac(r->self, o->mac))
		return true;
	return o->has_ip && (hmap_get(&ix->own_ip, hkey_ip(o->family, o->ip)) >= 0 ||
	                     obs_self_has_addr(r->self, o->family, o->ip));
}

/* mac is using ip (it said so in ARP/ND, or a router's cache or a lease says so) */
static void binding(struct run *r, const struct watch_term *t, int family, u128 ip)
{
	const struct watch_index *ix = r->ix;
	const struct obs *o = r->o;
	char ips[INET_ADDR_MAX], regs[INET_ADDR_MAX], other[18];
	inet_format_addr(family, ip, ips);
	int64_t owner = 0, prefix_id = 0;
	int64_t tid = t ? t->id : 0;
	if (!ix->owners || owner_index_lookup(ix->owners, family, ip, &owner, &prefix_id) != 1) {
		owner = 0;
		if (!r->own)
			raise_finding(r, FINDING_OUTSIDE, true, family, ip, t ? t->unit_id : 0, tid,
			              "地址 %s 不在任何单位的分配地址段内", ips);
	} else if (t && t->unit_id && owner != t->unit_id) {
		raise_finding(r, FINDING_FOREIGN, true, family, ip, t->unit_id, tid,
		              "登记为单位 %lld 的终端使用了单位 %lld 的地址 %s",
		              (long long)t->unit_id, (long long)owner, ips);
	}
	int64_t unit = owner ? owner : t ? t->unit_id : 0;
	/* the address is registered to another MAC */
	int64_t mi = hmap_get(&ix->ip_mac, hkey_ip(family, ip));
	int64_t ti = hmap_get(&ix->ip_term, hkey_ip(family, ip));
	const uint8_t *reg_mac = NULL;
	if (mi >= 0)
		reg_mac = ix->macs[mi];
	if (reg_mac && memcmp(reg_mac, o->mac, 6) != 0) {
		format_mac(reg_mac, other);
		raise_finding(r, FINDING_IP_CHANGED, true, family, ip, unit, tid,
		              "使用了登记给 %s 的地址 %s", other, ips);
	} else if (!reg_mac && ti >= 0 && (!t || ix->terms[ti].id != t->id)) {
		raise_finding(r, FINDING_IP_CHANGED, true, family, ip, unit, tid,
		              "使用了登记给终端 %lld 的地址 %s", (long long)ix->terms[ti].id, ips);
	}
	/* the terminal is registered with another address of the same family */
	if (t && t->has_ip && t->family == family && t->ip != ip) {
		inet_format_addr(family, t->ip, regs);
		raise_finding(r, FINDING_IP_CHANGED, true, family, ip, unit, tid,
		              "终端登记地址为 %s，实际使用 %s", regs, ips);
	}
	/* two MACs on one address: a conflict; the owner changing back and forth: spoofing */
	bool fresh;
	struct ip_state *s = table_row(&r->w->state->ips, hkey_ip(family, ip), &fresh);
	if (!s) {
		atomic_fetch_add(&r->w->untracked, 1);
		return;
	}
	int64_t window = r->w->params.conflict_s * 1000000;
	if (!fresh && memcmp(s->mac, o->mac, 6) != 0) {
		format_mac(s->mac, other);
		if (o->at_us - s->last_us <= window)
			raise_finding(r, FINDING_CONFLICT, true, family, ip, unit, tid,
			              "地址 %s 同时被 %s 使用", ips, other);
		if (o->at_us - s->flip_start_us > window) {
			s->flip_start_us = o->at_us;
			s->flips = 0;
		}
		if (++s->flips >= r->w->params.flips)
			raise_finding(r, FINDING_FLIP_FLOP, true, family, ip, unit, tid,
			              "%lld 秒内地址 %s 的 MAC 变化 %u 次",
			              (long long)r->w->params.conflict_s, ips, s->flips);
	}
	if (fresh)
		s->flip_start_us = o->at_us;
	memcpy(s->mac, o->mac, 6);
	s->last_us = o->at_us;
	/* what the MAC uses, for findings that know only the MAC (a switch port's) */
	struct mac_state *m = table_row(&r->w->state->macs, hkey_mac(o->mac), &fresh);
	if (!m) {
		atomic_fetch_add(&r->w->untracked, 1);
		return;
	}
	m->has_ip = true;
	m->family = (uint8_t)family;
	m->ip = ip;
}

static void scan(struct run *r, const struct watch_term *t, int family, u128 target, uint16_t port)
{
	const struct watch_params *p = &r->w->params;
	const struct obs *o = r->o;
	bool fresh;
	struct mac_state *m = table_row(&r->w->state->macs, hkey_mac(o->mac), &fresh);
	if (!m) {
		atomic_fetch_add(&r->w->untracked, 1);
		return;
	}
	if (fresh || o->at_us - m->window_us > p->scan_window_s * 1000000 ||
	    o->at_us < m->window_us) {
		memset(&m->hosts, 0, sizeof(m->hosts));
		memset(&m->ports, 0, sizeof(m->ports));
		m->window_us = o->at_us;
	}
	sketch_add(&m->hosts, hmap_hash(hkey_ip(family, target)));
	if (port)
		sketch_add(&m->ports, hmap_hash(hkey_ip(family, target) ^ ((u128)port << 100)));
	int64_t unit = 0;
	if (o->has_ip)
		net_of(r->ix, family, o->ip, &unit);
	if (!unit && t)
		unit = t->unit_id;
	if ((int64_t)m->hosts.n >= p->scan_hosts)
		raise_finding(r, FINDING_SCAN, o->has_ip, family, o->ip, unit, t ? t->id : 0,
		              "%lld 秒内探测了至少 %u 个不同地址", (long long)p->scan_window_s,
		              m->hosts.n);
	else if ((int64_t)m->ports.n >= p->scan_ports)
		raise_finding(r, FINDING_SCAN, o->has_ip, family, o->ip, unit, t ? t->id : 0,
		              "%lld 秒内连接了至少 %u 个不同的地址和端口",
		              (long long)p->scan_window_s, m->ports.n);
}

static void dhcp_answer(struct run *r, const struct watch_term *t)
{
	const struct watch_index *ix = r->ix;
	const struct obs *o = r->o;
	int fam = o->family ? o->family : 4;
	bool ok = (o->has_server && hmap_get(&ix->dhcp_ok, hkey_ip(fam, o->server)) >= 0) ||
	          (o->has_server_mac &&
	           hmap_get(&ix->dhcp_ok, ((u128)1 << 127) | hkey_mac(o->server_mac)) >= 0);
	char srv[INET_ADDR_MAX] = "?", smac[18] = "?", ips[INET_ADDR_MAX] = "";
	if (o->has_server)
		inet_format_addr(fam, o->server, srv);
	if (o->has_server_mac)
		format_mac(o->server_mac, smac);
	if (o->has_ip)
		inet_format_addr(fam, o->ip, ips);
	int64_t unit = 0;
	const struct watch_net *net = o->has_ip ? net_of(ix, fam, o->ip, &unit) : NULL;
	if (!ok) {
		/* the finding is about the server: its MAC, its address */
		struct obs as_server = *o;
		if (o->has_server_mac)
			memcpy(as_server.mac, o->server_mac, 6);
		const struct obs *keep = r->o;
		r->o = &as_server;
		/* and about the registered terminal that runs it, by its MAC or its address */
		int64_t su = 0, ti = -1;
		if (o->has_server)
			net_of(ix, fam, o->server, &su);
		if (o->has_server_mac)
			ti = hmap_get(&ix->mac_term, hkey_mac(o->server_mac));
		if (ti < 0 && o->has_server)
			ti = hmap_get(&ix->ip_term, hkey_ip(fam, o->server));
		const struct watch_term *st = ti >= 0 ? &ix->terms[ti] : NULL;
		if (!su && st)
			su = st->unit_id;
		raise_finding(r, FINDING_ROGUE_DHCP, o->has_server, fam, o->server, su ? su : unit,
		              st ? st->id : 0,
		              "非本县的 DHCP 服务器 %s（%s）应答了 DHCP 请求%s%s%s", srv, smac,
		              ips[0] ? "，分配地址 " : "", ips, st ? "；该服务器是登记的终端" : "");
		r->o = keep;
		return; /* what a rogue server hands out binds nothing */
	}
	if (o->op != OBS_OP_ACK && o->op != OBS_OP_DHCP6_REPLY)
		return;
	if (net &&
	    ((o->has_router && net->has_gw && o->router != net->gw) ||
	     (o->ndns && net->ndns && o->dns[0] != net->dns[0] && o->dns[0] != net->dns[1]))) {
		char gw[INET_ADDR_MAX] = "", dns[INET_ADDR_MAX] = "", cidr[INET_PREFIX_MAX];
		if (o->has_router)
			inet_format_addr(fam, o->router, gw);
		if (o->ndns)
			inet_format_addr(fam, o->dns[0], dns);
		inet_format_prefix(&net->p, cidr);
		raise_finding(r, FINDING_GATEWAY_DNS, true, fam, o->ip, unit, t ? t->id : 0,
		              "DHCP 应答给 %s 的网关 %s、DNS %s 与地址段 %s 的登记不符", ips, gw,
		              dns, cidr);
	}
	if (o->has_ip && usable_ip(fam, o->ip))
		binding(r, t, fam, o->ip);
}

/* Several MACs behind one access port: a router or an AP nobody registered (TB-19). The
 * finding is the port's, so it names who the port is: the first registered terminal seen
 * behind it (its unit, its address), else the unit of the first MAC whose address is known,
 * else the unit the device serves. A port behind which a registered AP or the county's own
 * equipment appears is an AP's or an uplink, where many MACs are expected. */
static void wireless_port(struct run *r, const struct watch_term *t)
{
	const struct obs *o = r->o;
	const struct watch_index *ix = r->ix;
	u128 key = hmap_hash((u128)o->device_id) ^ ((u128)hmap_hash((u128)o->vlan) << 64);
	for (const char *p = o->ifname; *p; p++)
		key = key * 131 + (unsigned char)*p;
	bool fresh;
	struct port_state *ps = table_row(&r->w->state->ports, key, &fresh);
	if (!ps) {
		atomic_fetch_add(&r->w->untracked, 1);
		return;
	}
	int64_t window = r->w->params.conflict_s * 1000000;
	if (fresh || o->at_us - ps->window_us > window || o->at_us < ps->window_us) {
		memset(ps, 0, sizeof(*ps));
		ps->window_us = o->at_us;
	}
	if ((t && t->is_ap) || r->own)
		ps->expected = true;
	if (t && !t->is_ap && !ps->terminal_id) {
		ps->terminal_id = t->id;
		ps->unit_id = t->unit_id;
		ps->has_ip = t->has_ip;
		ps->family = t->family;
		ps->ip = t->ip;
	}
	if (!ps->has_ip) {
		int64_t i = hmap_get(&r->w->state->macs.map, hkey_mac(o->mac));
		const struct mac_state *m =
		    i >= 0 ? (const struct mac_state *)r->w->state->macs.rows + i : NULL;
		if (m && m->has_ip) {
			int64_t unit = 0;
			ps->has_ip = true;
			ps->family = m->family;
			ps->ip = m->ip;
			net_of(ix, m->family, m->ip, &unit); /* the owner, subnet or not */
			if (!ps->unit_id)
				ps->unit_id = unit;
		}
	}
	uint64_t bit = 1ull << (hmap_hash(hkey_mac(o->mac)) & 63);
	if (!(ps->bits & bit)) {
		ps->bits |= bit;
		ps->n++;
	}
	if (ps->n < r->w->params.port_macs || ps->expected)
		return;
	int64_t unit = ps->unit_id;
	int64_t di = unit ? -1 : hmap_get(&ix->device_unit, (u128)o->device_id);
	if (di >= 0)
		unit = di;
	char ips[INET_ADDR_MAX] = "";
	if (ps->has_ip)
		inet_format_addr(ps->family, ps->ip, ips);
	raise_finding(r, FINDING_WIRELESS, ps->has_ip, ps->family, ps->ip, unit, ps->terminal_id,
	              "设备 %lld 的端口 %s 下出现 %u 个 MAC 地址%s%s", (long long)o->device_id,
	              o->ifname, ps->n, ips[0] ? "，端口上的终端地址 " : "", ips);
}

static void one(struct run *r)
{
	const struct obs *o = r->o;
	const struct watch_index *ix = r->ix;
	if (!o->has_mac || !usable_mac(o->mac))
		return;
	int fam = o->family;
	int64_t ti = hmap_get(&ix->mac_term, hkey_mac(o->mac));
	const struct watch_term *t = ti >= 0 ? &ix->terms[ti] : NULL;
	r->terminal = t ? t->id : 0;
	r->own = county_own(r, o);
	bool registered = t || hmap_get(&ix->known_mac, hkey_mac(o->mac)) >= 0;
	bool known = registered || r->own;
	bool server_msg = o->kind == OBS_DHCP && obs_op_from_server(o->op);
	if (server_msg) {
		dhcp_answer(r, t);
		return;
	}
	if (!known) {
		int64_t unit = 0;
		char ips[INET_ADDR_MAX] = "";
		bool with_ip = o->has_ip && usable_ip(fam, o->ip);
		if (with_ip) {
			net_of(ix, fam, o->ip, &unit);
			inet_format_addr(fam, o->ip, ips);
		}
		raise_finding(r, FINDING_UNREGISTERED, with_ip, fam, o->ip, unit, 0,
		              "未登记的 MAC 地址出现在网络中%s%s（%s）",
		              ips[0] ? "，使用地址 " : "", ips, obs_kind_name(o->kind));
		/* a maker is a hint about a device nobody registered; a registered terminal is
		 * what its register says, whoever made it */
		if (oui_router(ix, o->mac))
			raise_finding(r, FINDING_ROUTER_MAKER, with_ip, fam, o->ip, unit, 0,
			              "未登记的 MAC 地址属于家用无线路由器厂商%s%s",
			              ips[0] ? "，使用地址 " : "", ips);
	}
	switch (o->kind) {
	case OBS_ARP:
	case OBS_ND:
		if (o->has_ip && usable_ip(fam, o->ip) && o->op != OBS_OP_ROUTER_ADVERT)
			binding(r, t, fam, o->ip);
		if (o->has_target && usable_ip(fam, o->target) &&
		    (o->op == OBS_OP_REQUEST || o->op == OBS_OP_SOLICIT || o->op == OBS_OP_PROBE) &&
		    !r->own) {
			scan(r, t, fam, o->target, 0);
			/* asking for an address outside its own subnet, other than through the
			 * gateway: the host's mask (or gateway) is not what the plan gave it */
			int64_t u = 0;
			const struct watch_net *n =
			    o->has_ip && hmap_get(&ix->known_mac, hkey_mac(o->mac)) < 0
			        ? net_of(ix, fam, o->ip, &u)
			        : NULL;
			if (n && o->op == OBS_OP_REQUEST &&
			    !inet_contains_addr(&n->p, fam, o->target)) {
				char ips[INET_ADDR_MAX], tg[INET_ADDR_MAX], cidr[INET_PREFIX_MAX];
				inet_format_addr(fam, o->ip, ips);
				inet_format_addr(fam, o->target, tg);
				inet_format_prefix(&n->p, cidr);
				raise_finding(r, FINDING_MASK, true, fam, o->ip, u, t ? t->id : 0,
				              "%s（地址段 %s）直接查询网段外地址 %s", ips, cidr,
				              tg);
			}
		}
		break;
	case OBS_NEIGH:
	case OBS_LEASE:
		if (o->has_ip && usable_ip(fam, o->ip))
			binding(r, t, fam, o->ip);
		break;
	case OBS_SYN:
		if (!r->own)
			scan(r, t, fam, o->target, o->port);
		break;
	case OBS_FDB:
		wireless_port(r, t);
		break;
	default:
		break;
	}
}

void watch_observe(struct watch *w, const struct obs_self *self, const struct obs *o, size_t n,
                   int64_t *terminal, struct finding *found, size_t max, size_t *nfound,
                   size_t *dropped)
{
	struct run r = {
	    .w = w, .ix = atomic_load(&w->index), .self = self, .found = found, .max = max};
	*nfound = 0;
	*dropped = 0;
	if (!r.ix)
		return;
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < n; i++) {
		r.o = &o[i];
		r.terminal = 0;
		one(&r);
		if (terminal)
			terminal[i] = r.terminal;
	}
	pthread_mutex_unlock(&w->lock);
	atomic_fetch_add(&w->observed, (long long)n);
	*nfound = r.n;
	*dropped = r.dropped;
}
