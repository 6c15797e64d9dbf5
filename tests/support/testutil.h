/* Helpers shared by the Check suites. */
#ifndef VS_TESTUTIL_H
#define VS_TESTUTIL_H

#include <check.h>
#include <math.h>
#include <stddef.h>

#include "valuespace.h"

/* Asserts |a - b| <= tol (and that neither is NaN unless both are). */
#define ck_assert_near(a, b, tol)                                                               \
    do {                                                                                        \
        double ck_a_ = (a), ck_b_ = (b);                                                        \
        ck_assert_msg(fabs(ck_a_ - ck_b_) <= (tol), "%s = %.12g, expected %.12g (tol %g)", #a,  \
                      ck_a_, ck_b_, (double)(tol));                                             \
    } while (0)

/* Asserts a status and prints vs_last_error() when it differs. */
#define ck_assert_status(call, expected)                                                        \
    do {                                                                                        \
        int ck_rc_ = (call);                                                                    \
        ck_assert_msg(ck_rc_ == (expected), "%s returned %s (%d), expected %s: %s", #call,      \
                      vs_status_name(ck_rc_), ck_rc_, vs_status_name(expected), vs_last_error()); \
    } while (0)

#define ck_assert_ok(call) ck_assert_status(call, VS_OK)

/* ---- a counting allocator that can fail the N-th allocation (allocation-failure tests) */
void vs_test_alloc_install(void);        /* counting, never failing */
void vs_test_alloc_fail_at(long n);      /* the n-th allocation from now fails (1-based); 0 = never */
long vs_test_alloc_outstanding(void);    /* blocks allocated and not freed */
long vs_test_alloc_count(void);          /* allocations attempted since install/fail_at */
int vs_test_alloc_failed(void);          /* 1 if the injected failure happened */
size_t vs_test_alloc_live_bytes(void);   /* bytes of the blocks allocated and not freed */
size_t vs_test_alloc_peak_bytes(void);   /* the most live bytes since install (or reset_peak) */
void vs_test_alloc_reset_peak(void);     /* the peak restarts from the live bytes */
void vs_test_alloc_uninstall(void);

/* The allocation-failure sweep that most suites need: runs `run` with the n-th allocation
 * failing, n = 1, 2, ..., until a run makes every allocation it needs. Before each run, `setup`
 * (may be NULL) makes what the run needs, with the counting allocator and no failure. After each
 * run, `after`
 * (may be NULL) checks and frees what the run made: failed = 1 when the injected failure was hit
 * (its outputs must then be NULL or unchanged). The sweep asserts that a run that hit the failure
 * returned VS_ENOMEM, that the clean run returned VS_OK, that nothing is left allocated after
 * `after`, and that at least one failure was injected. `what` names the flow in messages.
 * Returns the number of the clean run. */
typedef struct vs_test_sweep {
    const char *what;
    void (*setup)(void *arg);
    int (*run)(void *arg);
    void (*after)(void *arg, int failed);
    void *arg;
} vs_test_sweep;
long vs_test_alloc_sweep(const vs_test_sweep *sweep);

/* 1 when the suite runs under valgrind (tests/run.sh sets VS_TEST_UNDER_VALGRIND=1): long loops
 * take fewer iterations there. */
int vs_test_under_valgrind(void);

/* Writes `head` (with its newline), then a line of `len` bytes 'x', then a newline when `nl`
 * (a journal line over its limit, or torn when nl is 0). */
void vs_test_write_long_line(const char *file, const char *head, size_t len, int nl);

/* A frozen space `name` with one level `level` and n dimensions given as key, label pairs
 * (keys_labels has 2n entries); fails the test on any error. Free with vs_space_free(). */
vs_space *vs_test_space(const char *name, const char *level, const char *const *keys_labels, size_t n);

/* Runs a suite with CK_ENV fork mode and returns the process exit status. */
int vs_test_run(Suite *suite);

#endif
