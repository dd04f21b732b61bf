/* mutant: ZWNET_MUTANT and ZWNET_PAUSE, read once (built only with -Dmutants=true; see
 * mutant.h). */
#include "core/mutant.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *active;
static char pause_name[64];
static long pause_ms;

static void load(void)
{
	active = getenv("ZWNET_MUTANT");
	if (active && *active)
		log_warnx("mutant %s: the rule it names is switched off (ZWNET_MUTANT)", active);
	const char *p = getenv("ZWNET_PAUSE");
	const char *colon = p ? strrchr(p, ':') : NULL;
	if (colon && (size_t)(colon - p) < sizeof(pause_name)) {
		char *end;
		long ms = strtol(colon + 1, &end, 10);
		if (*end == '\0' && ms > 0 && ms <= 1000) {
			memcpy(pause_name, p, (size_t)(colon - p));
			pause_name[colon - p] = '\0';
			pause_ms = ms;
			log_warnx("pause %s: %ld ms at each pass (ZWNET_PAUSE)", pause_name, ms);
		}
	}
}

int zw_mutant(const char *name)
{
	pthread_once(&once, load);
	return active && strcmp(active, name) == 0;
}

void zw_pause(const char *name)
{
	pthread_once(&once, load);
	if (pause_ms && strcmp(pause_name, name) == 0) {
		struct timespec ts = {pause_ms / 1000, (pause_ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
}
