/*
 * mutant: hooks that switch one rule kept in code off, so that tests/api/mutate.py can show
 * the scenario resting on it fails without the rule, one rule at a time and without a rebuild
 * per rule. At the one place a rule is decided:
 *
 *     if (!ZW_MUTANT("tb18_isolation_device") && ...the rule refuses...)
 *
 * ZW_MUTANT(name) is the constant 0 unless the program is built with `-Dmutants=true` (which
 * defines ZW_MUTANTS; the sanitizer build of `make test` is, a release build is not); then it
 * is true when the environment variable ZWNET_MUTANT equals name (read once, on first use).
 * Unset, every hook leaves the rule as it is.
 *
 * ZW_PAUSE(name), in the same builds only: sleeps when ZWNET_PAUSE is "name:MS" (MS
 * milliseconds, at most 1000), so that a test can widen a race window it means to show closed
 * (another process's write landing between two steps). Elsewhere it is nothing.
 */
#ifndef ZW_CORE_MUTANT_H
#define ZW_CORE_MUTANT_H

#ifdef ZW_MUTANTS
int zw_mutant(const char *name);
void zw_pause(const char *name);
#define ZW_MUTANT(name) zw_mutant(name)
#define ZW_PAUSE(name)  zw_pause(name)
#else
#define ZW_MUTANT(name) 0
#define ZW_PAUSE(name)  ((void)0)
#endif

#endif
