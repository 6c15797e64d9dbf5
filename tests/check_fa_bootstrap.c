/* Tests of vs_fa_bootstrap(): against bootstrap distributions of psych 2.2.9 fits
 * (tests/data/fa/make_reference_bootstrap.R, reference_bootstrap.txt: 500 resamples of 10 bfi items,
 * aligned as the library aligns; the random streams differ, so within Monte Carlo error), psych's
 * own fa(n.iter = ) means, bit-identical results across thread counts, the coverage of the 95%
 * percentile intervals on simulated data with known loadings, and bad input.
 * VS_FA_BOOT_SIMS=N sets the number of coverage simulations: 50 by default (about 5 s), 4 under
 * valgrind; the full check is VS_FA_BOOT_SIMS=200 (measured: 92.9% of 2400 intervals, 30 s). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"
#include "fa_reference.h"
#include "testutil.h"

static vs_fa_data *bfi10(void) {
    size_t rows, cols;
    double *x = fa_ref_read_csv("bfi_complete", &rows, &cols);
    double *y = malloc(rows * 10 * sizeof(double));
    for (size_t t = 0; t < rows; t++) memcpy(y + t * 10, x + t * cols, 10 * sizeof(double));
    vs_fa_data *d;
    ck_assert_ok(vs_fa_data_from_raw(&d, y, rows, 10, VS_FA_PAIRWISE));
    free(x);
    free(y);
    return d;
}

static vs_fa *options(int k, int64_t iters, int64_t seed, int64_t threads) {
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, k));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_BOOT_ITER, iters));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_SEED, seed));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_THREADS, threads));
    return fa;
}

START_TEST(test_vs_psych) {
    refcase *cs;
    size_t nc;
    cs = fa_ref_parse(FA_REF_DIR "reference_bootstrap.txt", &nc);
    ck_assert_uint_eq(nc, 1);
    vs_fa_data *d = bfi10();
    int64_t iters = vs_test_under_valgrind() ? 20 : 500;
    vs_fa *fa = options(2, iters, 11, 2);
    size_t m = 10 * 2 + 4 + 10, need, used;
    double *b = malloc(4 * m * sizeof(double));
    ck_assert_ok(vs_fa_bootstrap(&used, &need, fa, d, b, 4 * m));
    ck_assert_uint_eq(need, 4 * m);
    ck_assert_uint_eq(used, (size_t)iters);
    const double *rm = fa_ref_block(&cs[0], "mean")->v, *rs = fa_ref_block(&cs[0], "sd")->v;
    const double *rl = fa_ref_block(&cs[0], "lower")->v, *ru = fa_ref_block(&cs[0], "upper")->v;
    double worst[4] = {0};
    for (size_t i = 0; i < m; i++) {
        double sd = rs[i];
        if (sd == 0) { /* Phi's diagonal */
            ck_assert_near(b[i], 1, 1e-12);
            continue;
        }
        /* standard errors of two independent Monte Carlo estimates (500 each): mean sd/sqrt(B),
         * sd about sd/sqrt(2B), a 2.5% quantile about 0.12 sd */
        double se = sd / sqrt((double)iters);
        double dm = fabs(b[i] - rm[i]) / (sqrt(2.0) * se);
        double ds = fabs(b[m + i] - sd) / (sd / sqrt(2.0 * (double)iters) * sqrt(2.0));
        double dl = fabs(b[2 * m + i] - rl[i]) / (sqrt(2.0) * 0.12 * sd * sqrt(500.0 / (double)iters));
        double du = fabs(b[3 * m + i] - ru[i]) / (sqrt(2.0) * 0.12 * sd * sqrt(500.0 / (double)iters));
        double z[4] = {dm, ds, dl, du};
        for (int q = 0; q < 4; q++)
            if (z[q] > worst[q]) worst[q] = z[q];
        if (!vs_test_under_valgrind())
            ck_assert_msg(dm < 4.5 && ds < 4.5 && dl < 4.5 && du < 4.5,
                          "quantity %zu: mean %g vs %g, sd %g vs %g, interval [%g, %g] vs [%g, %g]", i, b[i], rm[i],
                          b[m + i], sd, b[2 * m + i], b[3 * m + i], rl[i], ru[i]);
    }
    /* psych's fa(n.iter) means (target.rot alignment): close to ours on this clean structure */
    double dpsych = fa_ref_maxdiff(b, fa_ref_block(&cs[0], "psych_means")->v, 20);
    if (fa_ref_verbose())
        printf("bootstrap vs R (in standard errors): mean %.2f sd %.2f lower %.2f upper %.2f; psych means %.3g\n",
               worst[0], worst[1], worst[2], worst[3], dpsych);
    if (!vs_test_under_valgrind()) ck_assert_msg(dpsych < 0.01, "psych's means differ by %g", dpsych);
    free(b);
    vs_fa_free(fa);
    vs_fa_data_free(d);
    fa_ref_free(cs, nc);
}
END_TEST

START_TEST(test_threads_bit_identical) {
    vs_fa_data *d = bfi10();
    size_t m = 34;
    double *b[3];
    static const int64_t threads[3] = {1, 2, 5};
    for (int t = 0; t < 3; t++) {
        vs_fa *fa = options(2, 24, 3, threads[t]);
        ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "varimax"));
        b[t] = malloc(4 * m * sizeof(double));
        ck_assert_ok(vs_fa_bootstrap(NULL, NULL, fa, d, b[t], 4 * m));
        vs_fa_free(fa);
    }
    ck_assert(memcmp(b[0], b[1], 4 * m * sizeof(double)) == 0);
    ck_assert(memcmp(b[0], b[2], 4 * m * sizeof(double)) == 0);
    /* another seed, other numbers */
    vs_fa *fa = options(2, 24, 4, 1);
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "varimax"));
    double *c = malloc(4 * m * sizeof(double));
    ck_assert_ok(vs_fa_bootstrap(NULL, NULL, fa, d, c, 4 * m));
    ck_assert(memcmp(b[0], c, 4 * m * sizeof(double)) != 0);
    for (int t = 0; t < 3; t++) free(b[t]);
    free(c);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

/* resamples keep the input's correlation kind: tetrachoric on binary items (ability_bin.csv) */
START_TEST(test_kind_kept) {
    size_t rows, cols;
    double *x = fa_ref_read_csv("ability_bin", &rows, &cols);
    vs_fa_data *d;
    ck_assert_ok(vs_fa_data_from_raw_kind(&d, x, rows, cols, VS_FA_PAIRWISE, VS_FA_CORKIND_TETRACHORIC));
    vs_fa *fa = options(1, 8, 2, 2);
    size_t m = 2 * cols + 1, used;
    double *b = malloc(4 * m * sizeof(double)), l[16];
    ck_assert_ok(vs_fa_bootstrap(&used, NULL, fa, d, b, 4 * m));
    ck_assert_uint_eq(used, 8);
    vs_fa_result *r;
    ck_assert_ok(vs_fa_fit(&r, fa, d));
    ck_assert_ok(vs_fa_result_get(NULL, r, VS_FA_LOADINGS, l, 16));
    /* tetrachoric loadings exceed Pearson ones on binary items; the replicates' means follow them */
    for (size_t i = 0; i < cols; i++) ck_assert_double_lt(fabs(b[i] - l[i]), 0.05);
    vs_fa_result_free(r);
    vs_fa_data_free(d);
    ck_assert_ok(vs_fa_data_from_raw(&d, x, rows, cols, VS_FA_PAIRWISE));
    double *bp = malloc(4 * m * sizeof(double));
    ck_assert_ok(vs_fa_bootstrap(&used, NULL, fa, d, bp, 4 * m));
    double mean_t = 0, mean_p = 0;
    for (size_t i = 0; i < cols; i++) {
        mean_t += b[i];
        mean_p += bp[i];
    }
    ck_assert_double_gt(mean_t, mean_p * 1.2);
    free(b);
    free(bp);
    free(x);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

/* alignment by hand: the replicate has the factors swapped and the second negated */
START_TEST(test_align) {
    double target[6] = {0.8, 0.1, 0.7, 0.0, 0.1, 0.9};
    double l[6] = {-0.1, 0.8, 0.0, 0.7, -0.9, 0.1};
    double phi[4] = {1, -0.3, -0.3, 1}, comm[3] = {0.65, 0.49, 0.82}, out[3 * 2 + 4 + 3];
    ck_assert_ok(vs__fa_boot_align(out, target, l, phi, comm, 3, 2));
    double expect[13] = {0.8, 0.1, 0.7, 0.0, 0.1, 0.9, 1, 0.3, 0.3, 1, 0.65, 0.49, 0.82};
    ck_assert_double_le(fa_ref_maxdiff(out, expect, 13), 0);
}
END_TEST

/* coverage on simulated data: 6 items, 2 uncorrelated factors (loadings .8 .7 .6 / .7 .6 .5, the rest
 * 0), n = 300, minres + oblimin: the population solution is the true pattern with Phi = I */
START_TEST(test_coverage) {
    const char *env = getenv("VS_FA_BOOT_SIMS");
    int sims = env && *env ? atoi(env) : vs_test_under_valgrind() ? 4 : 50;
    const int iters = 200;
    const size_t p = 6, k = 2, n = 300, m = p * k + k * k + p;
    const double truth[12] = {0.8, 0, 0.7, 0, 0.6, 0, 0, 0.7, 0, 0.6, 0, 0.5};
    double *x = malloc(n * p * sizeof(double)), *b = malloc(4 * m * sizeof(double));
    size_t covered = 0, total = 0, covered_phi = 0;
    vs__rng g;
    vs__rng_seed(&g, 2026, 1);
    for (int s = 0; s < sims; s++) {
        for (size_t t = 0; t < n; t++) {
            double f1 = vs__rng_normal(&g), f2 = vs__rng_normal(&g);
            for (size_t i = 0; i < p; i++) {
                double l1 = truth[i * 2], l2 = truth[i * 2 + 1];
                x[t * p + i] = l1 * f1 + l2 * f2 + sqrt(1 - l1 * l1 - l2 * l2) * vs__rng_normal(&g);
            }
        }
        vs_fa_data *d;
        ck_assert_ok(vs_fa_data_from_raw(&d, x, n, p, VS_FA_PAIRWISE));
        vs_fa *fa = options(2, iters, s, 2);
        size_t used;
        ck_assert_msg(vs_fa_bootstrap(&used, NULL, fa, d, b, 4 * m) == VS_OK, "%s", vs_last_error());
        ck_assert_uint_ge(used, (size_t)iters - 2);
        /* the full solution's factors against the truth: both orders, the better kept (signs are
         * positive by psych's convention on both) */
        double *lo = b + 2 * m, *hi = b + 3 * m, *mean = b;
        double d0 = 0, d1 = 0;
        for (size_t i = 0; i < p; i++) {
            d0 += fabs(mean[i * 2] - truth[i * 2]) + fabs(mean[i * 2 + 1] - truth[i * 2 + 1]);
            d1 += fabs(mean[i * 2 + 1] - truth[i * 2]) + fabs(mean[i * 2] - truth[i * 2 + 1]);
        }
        int sw = d1 < d0;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++) {
                size_t c = sw ? 1 - j : j;
                double tv = truth[i * 2 + j];
                covered += lo[i * 2 + c] <= tv && tv <= hi[i * 2 + c];
                total++;
            }
        covered_phi += lo[p * k + 1] <= 0 && 0 <= hi[p * k + 1];
        vs_fa_free(fa);
        vs_fa_data_free(d);
    }
    double cov = (double)covered / (double)total;
    if (fa_ref_verbose())
        printf("coverage of 95%% intervals: loadings %.4f (%zu of %zu), phi %.3f, %d simulations\n", cov, covered,
               total, (double)covered_phi / sims, sims);
    if (sims >= 40) ck_assert_msg(cov >= 0.90 && cov <= 0.99, "coverage %g", cov);
    free(x);
    free(b);
}
END_TEST

START_TEST(test_bad_input) {
    vs_fa *fa = options(2, 10, 1, 1);
    double r[9] = {1, .5, .4, .5, 1, .3, .4, .3, 1}, buf[64];
    vs_fa_data *dm;
    ck_assert_ok(vs_fa_data_from_cor(&dm, r, 3, 3, 100));
    size_t need = 0, used = 7;
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 1));
    ck_assert_status(vs_fa_bootstrap(&used, &need, fa, dm, buf, 64), VS_EUNDEFINED);
    ck_assert_uint_eq(used, 0);
    vs_fa_data_free(dm);
    vs_fa_data *d = bfi10();
    ck_assert_status(vs_fa_bootstrap(NULL, NULL, NULL, d, buf, 64), VS_EINVAL);
    ck_assert_status(vs_fa_bootstrap(NULL, NULL, fa, NULL, buf, 64), VS_EINVAL);
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 2));
    buf[0] = 42;
    ck_assert_status(vs_fa_bootstrap(NULL, &need, fa, d, buf, 10), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 4 * 34);
    ck_assert_double_eq(buf[0], 42);
    ck_assert_status(vs_fa_bootstrap(NULL, &need, fa, d, NULL, 4 * 34), VS_EINVAL);
    ck_assert_status(vs_fa_set_int(fa, VS_FA_OPT_BOOT_ITER, 1), VS_ERANGE);
    ck_assert_status(vs_fa_set_double(fa, VS_FA_OPT_BOOT_ALPHA, 1), VS_ERANGE);
    ck_assert_status(vs_fa_set_double(fa, VS_FA_OPT_BOOT_ALPHA, NAN), VS_EINVAL);
    /* the full fit's error: too many factors */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 8));
    double big[4 * (80 + 64 + 10)];
    ck_assert_status(vs_fa_bootstrap(NULL, NULL, fa, d, big, 4 * (80 + 64 + 10)), VS_ERANGE);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

/* allocation failure anywhere in the bootstrap (full fit, resamples, alignment): VS_ENOMEM, nothing
 * leaked, the buffer's first value untouched or the full result */
typedef struct boot_arg {
    vs_fa *fa;
    vs_fa_data *d;
    double buf[4 * 34];
    double ref0;
} boot_arg;

static int run_boot(void *p) {
    boot_arg *a = p;
    a->buf[0] = -7;
    return vs_fa_bootstrap(NULL, NULL, a->fa, a->d, a->buf, 4 * 34);
}

static void after_boot(void *p, int failed) {
    boot_arg *a = p;
    ck_assert_double_eq(a->buf[0], failed ? -7 : a->ref0); /* a failed run writes nothing */
}

START_TEST(test_alloc_failure) {
    boot_arg a;
    size_t rows, cols;
    double *x = fa_ref_read_csv("bfi_complete", &rows, &cols);
    double y[60 * 10];
    for (size_t t = 0; t < 60; t++) memcpy(y + t * 10, x + t * cols, 10 * sizeof(double));
    free(x);
    ck_assert_ok(vs_fa_data_from_raw(&a.d, y, 60, 10, VS_FA_PAIRWISE));
    a.fa = options(2, 3, 1, 1);
    ck_assert_ok(vs_fa_bootstrap(NULL, NULL, a.fa, a.d, a.buf, 4 * 34));
    a.ref0 = a.buf[0];
    vs_test_sweep sw = {"vs_fa_bootstrap", NULL, run_boot, after_boot, &a};
    vs_test_alloc_sweep(&sw);
    vs_fa_free(a.fa);
    vs_fa_data_free(a.d);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_bootstrap");
    TCase *t = tcase_create("bootstrap");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, test_align);
    tcase_add_test(t, test_kind_kept);
    tcase_add_test(t, test_bad_input);
    tcase_add_test(t, test_threads_bit_identical);
    tcase_add_test(t, test_vs_psych);
    tcase_add_test(t, test_coverage);
    tcase_add_test(t, test_alloc_failure);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return vs_test_run(suite()); }
