/* test: what every cmocka test file includes. */
#ifndef ZW_CORE_TEST_H
#define ZW_CORE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka after the standard headers it expects */
#include <cmocka.h>

#define RUN(...)                                                                                   \
	do {                                                                                       \
		const struct CMUnitTest tests_[] = {__VA_ARGS__};                                  \
		return cmocka_run_group_tests(tests_, NULL, NULL);                                 \
	} while (0)

#endif
