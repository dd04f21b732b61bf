/*
 * watch: the rules that turn what probes observe into findings.
 *
 * Two parts. The index (struct watch_index) is an immutable picture of the registers the
 * rules compare against: which unit owns an address (owner_index), which terminal or
 * registered host address has a MAC, which MAC an address is registered to, each subnet's
 * gateway and DNS servers, the county's DHCP servers. It is rebuilt when the registers change
 * (a database trigger counts every change to terminals, addresses, prefixes and units) and
 * published with one atomic store; readers load the pointer and never lock. A replaced index
 * is freed only after a grace period far longer than any request holds it.
 *
 * The engine (struct watch) keeps what must be remembered between observations: the last MAC
 * of each address (conflicts, flip-flops), what each MAC has probed (scans), the MACs behind
 * each switch port (wireless routers), and which findings it has already raised (each is
 * raised once, then again at most every `repeat_s` seconds so its last sighting stays
 * current). watch_observe runs the rules on one observation under the engine's mutex and
 * appends what it finds; it does no I/O, so a million observations a second fit on one core.
 */
#ifndef ZW_WATCH_WATCH_H
#define ZW_WATCH_WATCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"
#include "watch/hmap.h"
#include "wire/obs.h"

/* code, Chinese name, the profile's behaviour code ([forbidden CODE]) it is evidence of,
 * whether it is evidence enough to open a case by itself (CASE) or a hint a manager reviews
 * first (REVIEW: who made a device says nothing of how it is used), and what one finding is
 * about: a device (DEVICE: its MAC; the address it uses is filled in when seen, so a DHCP
 * client's first, addressless request and its later traffic are one finding) or a use of an
 * address (USE: the MAC and the address) */
#define FINDING_MAP(X)                                                                             \
	X(UNREGISTERED, "unregistered", "未登记终端接入", "unregistered_terminal", CASE, DEVICE)   \
	X(OUTSIDE, "outside", "使用未分配的地址", "private_address_change", CASE, USE)             \
	X(FOREIGN, "foreign", "使用其他单位的地址", "private_address_change", CASE, USE)           \
	X(IP_CHANGED, "ip_changed", "私自更改IP地址（与登记不符）", "private_address_change",      \
	  CASE, USE)                                                                               \
	X(CONFLICT, "conflict", "IP地址冲突", "private_address_change", CASE, USE)                 \
	X(FLIP_FLOP, "flip_flop", "地址对应的MAC反复变化（疑似ARP欺骗）", "attack", CASE, USE)     \
	X(ROGUE_DHCP, "rogue_dhcp", "私设DHCP服务器", "device_tamper", CASE, USE)                  \
	X(WIRELESS, "wireless", "疑似私接无线路由器", "wireless_device", CASE, USE)                \
	X(ROUTER_MAKER, "router_maker", "家用无线路由器厂商的设备（待核实）", "wireless_device",   \
	  REVIEW, DEVICE)                                                                          \
	X(GATEWAY_DNS, "gateway_dns", "网关或DNS与所在网段不符", "private_address_change", CASE,   \
	  USE)                                                                                     \
	X(MASK, "mask", "子网掩码或网关被更改（直接访问网段外地址）", "private_address_change",    \
	  CASE, USE)                                                                               \
	X(SCAN, "scan", "扫描大量地址或端口（疑似病毒或攻击）", "attack", CASE, USE)

enum finding_kind {
#define FINDING_ENUM(e, code, zh, behaviour, opens, about) FINDING_##e,
	FINDING_MAP(FINDING_ENUM)
#undef FINDING_ENUM
	    FINDING_COUNT
};

const char *finding_code(enum finding_kind k);
const char *finding_label(enum finding_kind k);
const char *finding_behaviour(enum finding_kind k);
int finding_parse(const char *s);
/* A finding of kind k opens a case (when its behaviour is forbidden and it has a unit). */
bool finding_opens_case(enum finding_kind k);
/* A finding of kind k is about a device (one per MAC), not a use of an address. */
bool finding_about_device(enum finding_kind k);

/* One finding raised by one observation. */
struct finding {
	uint8_t kind; /* enum finding_kind */
	bool has_mac, has_ip;
	uint8_t family;
	uint8_t mac[6];
	u128 ip;
	int64_t unit_id;     /* the unit it concerns (owner of the address or of the terminal) */
	int64_t terminal_id; /* the registered terminal, when the MAC is one */
	char detail[320];    /* what was seen, in Chinese: the evidence in words */
	struct obs obs;      /* the observation that raised it */
};

/* The makers of consumer wireless routers sold in China (TB-19), as the IEEE registry names
 * them: TP-Link, Tenda, Mercury (水星), FAST (迅捷), Phicomm, NETGEAR, D-Link, TOTOLINK. */
#define WATCH_ROUTER_VENDORS                                                                       \
	"TP-LINK TECHNOLOGIES CO.,LTD.; TP-Link Corporation Limited; Tenda Technology Co.,Ltd.; "  \
	"Tenda Technology Co.,Ltd.Dongguan branch; "                                               \
	"SHENZHEN MERCURY COMMUNICATION TECHNOLOGIES CO.,LTD.; "                                   \
	"MERCURY COMMUNICATION TECHNOLOGIES CO.,LTD.; SHENZHEN FAST TECHNOLOGIES CO.,LTD; "        \
	"Phicomm (Shanghai) Co., Ltd.; Phicomm (Sichuan) Co.,Ltd.; NETGEAR; D-Link "               \
	"International; "                                                                          \
	"D-Link Corporation; D-LINK SYSTEMS, INC.; D-Link (Shanghai) Limited Corp.; "              \
	"D-Link Middle East FZCO; TOTOLINK TECHNOLOGY INT‘L LIMITED"

struct watch_params {
	int64_t scan_hosts;    /* distinct addresses one MAC may ARP for / connect to ... */
	int64_t scan_ports;    /* ... distinct ports of one host ... */
	int64_t scan_window_s; /* ... within this window */
	int64_t port_macs;     /* MACs behind one access port that suggest a router */
	int64_t conflict_s;    /* two MACs on one address within this long: a conflict */
	int64_t flips;         /* changes of an address's MAC within conflict_s: a flip-flop */
	int64_t repeat_s;      /* a finding is raised again after this long */
	int64_t max_tracked;   /* addresses/MACs/ports held in memory, each */
};

void watch_params_default(struct watch_params *p);

/* ---- the index ---- */

struct watch_term {
	int64_t id, unit_id;
	bool has_ip;
	bool is_ap; /* registered as a wireless AP (无线AP): several MACs behind it are expected */
	uint8_t family;
	u128 ip;
};

struct watch_net { /* an allocated subnet with its gateway and DNS servers */
	int64_t prefix_id, unit_id;
	struct inet_prefix p;
	bool has_gw;
	u128 gw;
	uint8_t ndns;
	u128 dns[2];
};

struct watch_index {
	int64_t generation; /* the registers' change count it was built at */
	struct owner_index *owners;
	struct watch_term *terms; /* by MAC (mac_term) and by registered address (ip_term) */
	size_t nterms;
	struct hmap mac_term, ip_term;
	struct hmap ip_mac; /* registered host addresses: address -> index into macs */
	uint8_t (*macs)[6];
	size_t nmacs;
	struct hmap known_mac; /* MACs of registered host addresses (gateways, servers) */
	struct watch_net *nets;
	size_t nnets;
	struct hmap prefix_net; /* prefix id -> index into nets */
	struct hmap dhcp_ok;    /* addresses and MACs (as keys) of the county's DHCP servers */
	/* The county's own equipment, never a stranger: every allocated subnet's gateway and
	 * DNS servers, the DHCP servers, the registered devices (management address and MAC)
	 * and the host addresses registered as gateways, by address and by MAC */
	struct hmap own_ip, own_mac;
	struct hmap device_unit; /* a registered device's id -> the unit it serves */
	uint32_t *router_ouis;   /* sorted OUIs of consumer wireless router makers */
	size_t nouis;
};

/* Build from the database (reader connection); dhcp_servers: addresses or MACs separated by
 * commas or spaces (besides, every subnet's gateway may answer DHCP as a relay). */
int watch_index_build(struct sconn *c, const char *dhcp_servers, const uint32_t *ouis, size_t nouis,
                      struct watch_index **out, struct zw_err *err);
void watch_index_free(struct watch_index *ix);

/* ---- the engine ---- */

struct watch_state;

struct watch {
	struct watch_params params;
	_Atomic(struct watch_index *) index;
	pthread_mutex_t lock;    /* the state below */
	pthread_mutex_t rebuild; /* one rebuild at a time */
	struct watch_state *state;
	struct watch_index *retired[8]; /* replaced indexes and when, freed after the grace */
	int64_t retired_at[8];
	char *dhcp_servers;
	uint32_t *ouis;
	size_t nouis;
	atomic_llong observed, raised, untracked;
};

void watch_init(struct watch *w, const struct watch_params *p, const char *dhcp_servers);
void watch_free(struct watch *w);
/* Consumer router OUIs from the IEEE oui.txt registry: the blocks assigned to the
 * organisations `vendors` names (whole names as the registry writes them, separated by ";",
 * compared without case, blanks and punctuation: a part of a name matches nothing, so
 * "FAST TECHNOLOGIES" is not every "... Technologies"). A name no organisation has is
 * logged. */
int watch_load_ouis(struct watch *w, const char *path, const char *vendors, struct zw_err *err);
/* Rebuild the index if the registers changed since the current one (or there is none). */
int watch_refresh(struct watch *w, struct store *st, struct zw_err *err);
/* Use an index built elsewhere (tests, benchmarks); the engine owns it. */
void watch_set_index(struct watch *w, struct watch_index *ix);

/* The most findings one observation can raise (unregistered, router OUI, outside or foreign,
 * two address mismatches, conflict, flip-flop, scan, mask): a found[] of n times this never
 * drops one. */
#define WATCH_MAX_PER_OBS 9

/* Run the rules on n observations a probe made on the host `self` describes (NULL: none);
 * terminal[i] (when terminal is not NULL) gets the registered terminal o[i] is of, or 0;
 * found[] gets up to max findings, *nfound how many.
 * Observations beyond what found[] can hold are still run (their state kept) and their
 * findings counted in *dropped. */
void watch_observe(struct watch *w, const struct obs_self *self, const struct obs *o, size_t n,
                   int64_t *terminal, struct finding *found, size_t max, size_t *nfound,
                   size_t *dropped);

#endif
