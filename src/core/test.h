/* test: what every cmocka test file includes. */
#ifndef ZW_CORE_TEST_H
#define ZW_CORE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka after the standard headers it expects */
#include <cmocka.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN(...)                                                                                   \
	do {                                                                                       \
		const struct CMUnitTest tests_[] = {__VA_ARGS__};                                  \
		return cmocka_run_group_tests(tests_, NULL, NULL);                                 \
	} while (0)

/* stmt, run in a child process, aborts (ZW_ASSERT, fatalx) with a line on stderr holding
 * text. */
#define assert_aborts(stmt, text)                                                                  \
	do {                                                                                       \
		int fds_[2];                                                                       \
		assert_int_equal(pipe(fds_), 0);                                                   \
		pid_t pid_ = fork();                                                               \
		assert_true(pid_ >= 0);                                                            \
		if (pid_ == 0) {                                                                   \
			dup2(fds_[1], STDERR_FILENO);                                              \
			stmt;                                                                      \
			_exit(0);                                                                  \
		}                                                                                  \
		close(fds_[1]);                                                                    \
		char out_[4096];                                                                   \
		size_t n_ = 0;                                                                     \
		ssize_t k_;                                                                        \
		while (n_ < sizeof(out_) - 1 &&                                                    \
		       (k_ = read(fds_[0], out_ + n_, sizeof(out_) - 1 - n_)) > 0)                 \
			n_ += (size_t)k_;                                                          \
		out_[n_] = 0;                                                                      \
		close(fds_[0]);                                                                    \
		int st_;                                                                           \
		assert_int_equal(waitpid(pid_, &st_, 0), pid_);                                    \
		assert_true(WIFSIGNALED(st_) && WTERMSIG(st_) == SIGABRT);                         \
		assert_non_null(strstr(out_, text));                                               \
	} while (0)

#endif
