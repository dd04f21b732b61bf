/* Carriers, lines, devices, domain names and ports over HTTP (all registry kinds). */
#include "api/registry_api.h"
#include "domain/assets.h"

#define KIND(name, kind, sorts, filters)                                                           \
	static const struct reg_api name = {&kind, sorts, filters};                                \
	void h_##name##_list(struct req *r)                                                        \
	{                                                                                          \
		reg_list(r, &name);                                                                \
	}                                                                                          \
	void h_##name##_create(struct req *r)                                                      \
	{                                                                                          \
		reg_write(r, &name, false);                                                        \
	}                                                                                          \
	void h_##name##_get(struct req *r)                                                         \
	{                                                                                          \
		reg_get(r, &name);                                                                 \
	}                                                                                          \
	void h_##name##_patch(struct req *r)                                                       \
	{                                                                                          \
		reg_write(r, &name, true);                                                         \
	}                                                                                          \
	void h_##name##_delete(struct req *r)                                                      \
	{                                                                                          \
		reg_delete(r, &name);                                                              \
	}

static const char *const by_id_name[] = {"id", "name", "updated_at", NULL};
static const char *const by_id[] = {"id", "updated_at", NULL};
static const struct list_filter_def carrier_filters[] = {{"q", "name", LQ_LIKE}, {NULL, NULL, 0}};
static const struct list_filter_def line_filters[] = {{"carrier_id", "carrier_id", LQ_EQ_INT},
                                                      {"unit_id", "unit_id", LQ_EQ_INT},
                                                      {"status", "status", LQ_EQ},
                                                      {"payer", "payer", LQ_EQ},
                                                      {"q", "circuit_id", LQ_LIKE},
                                                      {NULL, NULL, 0}};
static const struct list_filter_def device_filters[] = {
    {"unit_id", "unit_id", LQ_EQ_INT}, {"kind", "kind", LQ_EQ}, {"owner", "owner", LQ_EQ},
    {"mgmt_ip", "mgmt_ip", LQ_EQ},     {"q", "name", LQ_LIKE},  {NULL, NULL, 0}};
static const struct list_filter_def unit_filters[] = {{"unit_id", "unit_id", LQ_EQ_INT},
                                                      {NULL, NULL, 0}};

KIND(carriers, carrier_kind, by_id_name, carrier_filters)
KIND(lines, line_kind, by_id, line_filters)
KIND(devices, device_kind, by_id_name, device_filters)
KIND(domain_names, domain_name_kind, by_id_name, unit_filters)
KIND(ports, port_kind, by_id, unit_filters)
