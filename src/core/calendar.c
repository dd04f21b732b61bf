#include "core/calendar.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/parse.h"
#include "core/xalloc.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2199

struct special {
	int32_t day;
	bool off;
	int16_t source; /* the year of the file that named it */
	char name[48];
};

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct special *specials; /* sorted by day */
static size_t nspecials;
static bool loaded[YEAR_MAX - YEAR_MIN + 1];

static int by_day(const void *a, const void *b)
{
	const struct special *x = a, *y = b;
	return x->day < y->day ? -1 : x->day > y->day;
}

static int year_of(int32_t day)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	return y;
}

/* Parse and check one year's arrangement; *out (n entries) is the caller's to free. */
static int parse_year(const char *text, size_t len, int *year_out, struct special **out,
                      size_t *nout, struct zw_err *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return zw_errf(err, ZW_EINVALID, "", "日历数据不是有效的 JSON：%s", je.text);
	json_t *jy = json_object_get(doc, "year"), *days = json_object_get(doc, "days");
	int rc = 0;
	if (!json_is_integer(jy) || json_integer_value(jy) < YEAR_MIN ||
	    json_integer_value(jy) > YEAR_MAX)
		rc = zw_errf(err, ZW_EINVALID, "year", "year 应为 %d 到 %d 的年份", YEAR_MIN,
		             YEAR_MAX);
	else if (!json_is_array(days) || json_array_size(days) > 400)
		rc = zw_errf(err, ZW_EINVALID, "days", "days 应为不超过 400 项的数组");
	int year = rc ? 0 : (int)json_integer_value(jy);
	size_t n = rc ? 0 : json_array_size(days);
	struct special *add = xcalloc(n + 1, sizeof(*add));
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *d = json_array_get(days, i);
		const char *name = json_string_value(json_object_get(d, "name"));
		const char *date = json_string_value(json_object_get(d, "date"));
		json_t *off = json_object_get(d, "isOffDay");
		int32_t day;
		char field[32];
		snprintf(field, sizeof(field), "days[%zu]", i);
		if (!json_is_object(d) || !name || !date || !json_is_boolean(off) ||
		    parse_date(date, &day) < 0 || strlen(name) >= sizeof(add[i].name) ||
		    !utf8_valid(name, strlen(name), false))
			rc = zw_errf(err, ZW_EINVALID, field,
			             "第 %zu 项应为 {\"name\", \"date\": YYYY-MM-DD, \"isOffDay\"}",
			             i + 1);
		else if (year_of(day) != year && year_of(day) != year - 1)
			rc = zw_errf(err, ZW_EINVALID, field, "%s 不属于 %d 年的安排", date, year);
		else
			add[i] = (struct special){day, json_is_true(off), (int16_t)year, ""};
		if (!rc)
			snprintf(add[i].name, sizeof(add[i].name), "%s", name);
	}
	json_decref(doc);
	if (rc) {
		free(add);
		return rc;
	}
	*year_out = year;
	*out = add;
	*nout = n;
	return 0;
}

int calendar_check(const char *text, size_t len, int *year, struct zw_err *err)
{
	struct special *add = NULL;
	size_t n;
	int rc = parse_year(text, len, year, &add, &n, err);
	free(add);
	return rc;
}

int calendar_load(const char *text, size_t len, int *year_out, struct zw_err *err)
{
	struct special *add = NULL;
	size_t n;
	int year;
	int rc = parse_year(text, len, &year, &add, &n, err);
	if (rc)
		return rc;
	pthread_rwlock_wrlock(&lock);
	/* replace what the same year's file said before */
	size_t k = 0;
	for (size_t i = 0; i < nspecials; i++)
		if (specials[i].source != year)
			specials[k++] = specials[i];
	specials = xreallocarray(specials, k + n + 1, sizeof(*specials));
	memcpy(specials + k, add, n * sizeof(*add));
	nspecials = k + n;
	qsort(specials, nspecials, sizeof(*specials), by_day);
	/* A file with no days is a year not yet announced (holiday-cn publishes it empty). */
	loaded[year - YEAR_MIN] = n > 0;
	pthread_rwlock_unlock(&lock);
	free(add);
	if (year_out)
		*year_out = year;
	return 0;
}

int calendar_load_shipped(struct zw_err *err)
{
	for (int y = 2023; y <= 2027; y++) {
		char name[64];
		snprintf(name, sizeof(name), "data/holidays-cn/%d.json", y);
		const struct embed_file *f = embed_find(name);
		if (!f)
			continue;
		int rc = calendar_load(f->data, f->size, NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

void calendar_reset(void)
{
	pthread_rwlock_wrlock(&lock);
	free(specials);
	specials = NULL;
	nspecials = 0;
	memset(loaded, 0, sizeof(loaded));
	pthread_rwlock_unlock(&lock);
}

bool calendar_year_loaded(int year)
{
	if (year < YEAR_MIN || year > YEAR_MAX)
		return false;
	pthread_rwlock_rdlock(&lock);
	bool l = loaded[year - YEAR_MIN];
	pthread_rwlock_unlock(&lock);
	return l;
}

/* under the read lock */
static bool working(int32_t day, const char **name, bool *provisional)
{
	int y = year_of(day);
	if (provisional && (y < YEAR_MIN || y > YEAR_MAX || !loaded[y - YEAR_MIN]))
		*provisional = true;
	size_t lo = 0, hi = nspecials;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (specials[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nspecials && specials[lo].day == day) {
		if (name)
			*name = specials[lo].name;
		return !specials[lo].off;
	}
	if (name)
		*name = "";
	int wd = (int)(((day % 7) + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
	return wd < 5;
}

bool calendar_is_working(int32_t day, const char **name, bool *provisional)
{
	if (provisional)
		*provisional = false;
	pthread_rwlock_rdlock(&lock);
	bool w = working(day, name, provisional);
	pthread_rwlock_unlock(&lock);
	return w;
}

int32_t calendar_add(int32_t from, int n, bool *provisional)
{
	if (provisional)
		*provisional = false;
	pthread_rwlock_rdlock(&lock);
	int32_t day = from;
	for (int left = n; left > 0;) {
		day++;
		if (working(day, NULL, provisional))
			left--;
	}
	pthread_rwlock_unlock(&lock);
	return day;
}

int calendar_between(int32_t from, int32_t to)
{
	int n = 0;
	pthread_rwlock_rdlock(&lock);
	for (int32_t day = from + 1; day <= to; day++)
		n += working(day, NULL, NULL);
	pthread_rwlock_unlock(&lock);
	return n;
}
