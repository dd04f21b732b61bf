/* mutant: ZWNET_MUTANT, read once (built only with -Dmutants=true; see mutant.h). */
#include "core/mutant.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *active;

static void load(void)
{
	active = getenv("ZWNET_MUTANT");
	if (active && *active)
		log_warnx("mutant %s: the rule it names is switched off (ZWNET_MUTANT)", active);
}

int zw_mutant(const char *name)
{
	pthread_once(&once, load);
	return active && strcmp(active, name) == 0;
}
