/* Mergeable statistics and the Poisson bootstrap (lib/accum).
 *
 * References:
 * - bootstrap weights and thresholds: tests/data/accum/weights.py, an independent plain-Python
 *   implementation of the mapping documented in include/valuespace/accum.h (its output is quoted
 *   next to the numbers);
 * - replicate means of the known-answer cases: computed by hand from those weights;
 * - quantiles, standard deviations and normal quantiles: R 4.2.2 (the R code is quoted);
 * - numerical stability: two-pass computations in long double.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accum/accum_internal.h"
#include "common/random.h"
#include "testutil.h"
#include "valuespace.h"

static uint64_t hash_of(const char *id) {
    uint64_t h = 0;
    ck_assert_ok(vs_accum_item_hash(&h, id));
    return h;
}

static vs_accum *make(size_t dims, size_t reps, uint64_t seed) {
    vs_accum *a = NULL;
    ck_assert_ok(vs_accum_create(&a, dims, reps, seed));
    ck_assert_ptr_nonnull(a);
    return a;
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

#define ck_assert_same(a, b)                                                                              \
    do {                                                                                                  \
        double sa_ = (a), sb_ = (b);                                                                      \
        ck_assert_msg(same_bits(sa_, sb_), "%s = %.17g and %s = %.17g differ in their bits", #a, sa_, #b, sb_); \
    } while (0)

static vs_accum_stats stats(const vs_accum *a, size_t d) {
    vs_accum_stats s = VS_ACCUM_STATS_INIT;
    ck_assert_ok(vs_accum_stats_get(&s, a, d));
    return s;
}

/* Serialised bytes (caller frees). */
static unsigned char *blob(const vs_accum *a, size_t *len) {
    size_t need = 0;
    ck_assert_status(vs_accum_serialize(&need, a, NULL, 0), VS_EBUFSIZE);
    unsigned char *b = malloc(need);
    ck_assert_ptr_nonnull(b);
    ck_assert_ok(vs_accum_serialize(len, a, b, need));
    ck_assert_uint_eq(*len, need);
    return b;
}

/* Asserts that two accumulators are bit-identical in everything but the Welford mean/M2. */
static void assert_exact_equal(const vs_accum *a, const vs_accum *b) {
    ck_assert_uint_eq(a->dims, b->dims);
    ck_assert_uint_eq(a->reps, b->reps);
    ck_assert_uint_eq(a->rows, b->rows);
    for (size_t d = 0; d < a->dims; d++) {
        const vs__accum_dim *x = &a->dim[d], *y = &b->dim[d];
        ck_assert_uint_eq(x->n, y->n);
        ck_assert_same(x->min, y->min);
        ck_assert_same(x->max, y->max);
        ck_assert(x->s1[0] == y->s1[0] && x->s1[1] == y->s1[1]);
        ck_assert(memcmp(&x->s2, &y->s2, sizeof x->s2) == 0);
    }
    size_t cells = a->dims * a->reps;
    ck_assert(cells == 0 || memcmp(a->sw, b->sw, cells * sizeof *a->sw) == 0);
    ck_assert(cells == 0 || memcmp(a->swq, b->swq, 2 * cells * sizeof *a->swq) == 0);
    /* and so everything derived from the exact state */
    for (size_t d = 0; d < a->dims; d++) {
        vs_accum_stats s = stats(a, d), t = stats(b, d);
        ck_assert_same(s.exact_sum, t.exact_sum);
        ck_assert_same(s.exact_mean, t.exact_mean);
        ck_assert_same(s.exact_variance, t.exact_variance);
        ck_assert_same(s.se, t.se);
        ck_assert_same(s.boot_mean, t.boot_mean);
        ck_assert_same(s.boot_se, t.boot_se);
        ck_assert_uint_eq(s.boot_defined, t.boot_defined);
        for (int m = 0; m < 2; m++) {
            double l1 = 0, h1 = 0, l2 = 0, h2 = 0;
            int r1 = vs_accum_ci(&l1, &h1, a, d, m, 0.9), r2 = vs_accum_ci(&l2, &h2, b, d, m, 0.9);
            ck_assert_int_eq(r1, r2);
            ck_assert_same(l1, l2);
            ck_assert_same(h1, h2);
        }
    }
}

/* The Welford state agrees up to rounding. */
static void assert_welford_close(const vs_accum *a, const vs_accum *b) {
    for (size_t d = 0; d < a->dims; d++) {
        vs_accum_stats s = stats(a, d), t = stats(b, d);
        if (s.n == 0) continue;
        ck_assert_near(s.mean, t.mean, 1e-12 * (1 + fabs(s.mean)));
        ck_assert_near(s.m2, t.m2, 1e-10 * (1 + fabs(s.m2)));
    }
}

/* ---------------------------------------------------------------- hashing and weights */

START_TEST(test_item_hash) {
    /* weights.py: a 0x82a2a958a9bece5b, b 0x6e673288764ad2d0, c 0x77093774d2da810e,
     * x 0x06a4f9505be85405, item-1 0xe3d58280f7f95788 */
    ck_assert(hash_of("a") == UINT64_C(0x82a2a958a9bece5b));
    ck_assert(hash_of("b") == UINT64_C(0x6e673288764ad2d0));
    ck_assert(hash_of("c") == UINT64_C(0x77093774d2da810e));
    ck_assert(hash_of("x") == UINT64_C(0x06a4f9505be85405));
    ck_assert(hash_of("item-1") == UINT64_C(0xe3d58280f7f95788));
    ck_assert(hash_of("Ünïcödé ✓") == vs_text_hash("Ünïcödé ✓", strlen("Ünïcödé ✓"), 0));
    uint64_t h = 7;
    ck_assert_status(vs_accum_item_hash(&h, "ab\xff"), VS_EUTF8);
    ck_assert(strstr(vs_last_error(), "offset 2") != NULL);
    ck_assert(h == 7);
    ck_assert_status(vs_accum_item_hash(NULL, "a"), VS_EINVAL);
    ck_assert_status(vs_accum_item_hash(&h, NULL), VS_EINVAL);
}
END_TEST

START_TEST(test_thresholds) {
    /* weights.py prints T_0..T_11 (exact rational arithmetic) */
    static const uint32_t py[12] = {0x5e2d58d8, 0xbc5ab1b1, 0xeb715e1d, 0xfb239797, 0xff1025f5, 0xffd90f3b,
                                    0xfffa8b71, 0xffff540c, 0xffffed1f, 0xfffffe21, 0xffffffd4, 0xfffffffc};
    long double cdf = 0, term = expl(-1.0L);
    for (int k = 0; k < 12; k++) {
        ck_assert(vs__poisson_thresholds[k] == py[k]);
        cdf += term; /* and against long double: T_k / 2^32 = ppois(k, 1) within 2^-32 */
        term /= (long double)(k + 1);
        ck_assert(fabsl((long double)py[k] / 4294967296.0L - cdf) < 0x1p-32L);
    }
    /* The table path equals counting, at and around every threshold and bucket edge, and at random */
    vs__poisson_lut t;
    vs__poisson_lut_init(&t);
    for (int k = 0; k < 12; k++)
        for (int o = -2; o <= 2; o++) {
            uint32_t x = py[k] + (uint32_t)o;
            if (k == 11 && o > 0) continue; /* would pass 2^32 - 1 */
            ck_assert_uint_eq(vs__poisson_from_bits(&t, x), vs__poisson_count(x));
            ck_assert_uint_eq(vs__poisson_count(x), (uint32_t)(k + (o >= 0)));
        }
    for (uint32_t i = 0; i < (UINT32_C(1) << VS__POISSON_LUT_BITS); i++) {
        uint32_t x = i << (32 - VS__POISSON_LUT_BITS);
        ck_assert_uint_eq(vs__poisson_from_bits(&t, x), vs__poisson_count(x));
        ck_assert_uint_eq(vs__poisson_from_bits(&t, x - 1), vs__poisson_count(x - 1));
    }
    ck_assert_uint_eq(vs__poisson_count(0), 0);
    ck_assert_uint_eq(vs__poisson_count(UINT32_MAX), VS_ACCUM_MAX_WEIGHT);
    vs__rng g;
    vs__rng_seed(&g, 11, 0);
    for (int i = 0; i < 100000; i++) {
        uint32_t x = (uint32_t)vs__rng_next(&g);
        ck_assert_uint_eq(vs__poisson_from_bits(&t, x), vs__poisson_count(x));
    }
    /* the kernel's inlined pair hash is common/random.h's hash_combine */
    for (int i = 0; i < 1000; i++) {
        uint64_t key = vs__rng_next(&g), h = vs__rng_next(&g);
        uint64_t z = key ^ (h + vs__pair_add(key));
        ck_assert(vs__mix64(z) == vs__hash_combine(key, h));
    }
}
END_TEST

START_TEST(test_weights_known) {
    /* weights.py (no arguments): a [0, 3], b [0, 2], c [0, 0] for seed 42;
     * weights.py 7 8 x y z item-1:
     *   x 1 1 0 1 2 0 1 0 / y 2 0 0 0 3 0 0 0 / z 2 0 1 1 2 0 1 2 / item-1 3 0 4 0 3 1 1 0 */
    static const uint32_t w42[3][2] = {{0, 3}, {0, 2}, {0, 0}};
    static const char *ids42[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++)
        for (int b = 0; b < 2; b++) ck_assert_uint_eq(vs_accum_weight(42, (uint64_t)b, hash_of(ids42[i])), w42[i][b]);
    static const uint32_t w7[4][8] = {
        {1, 1, 0, 1, 2, 0, 1, 0}, {2, 0, 0, 0, 3, 0, 0, 0}, {2, 0, 1, 1, 2, 0, 1, 2}, {3, 0, 4, 0, 3, 1, 1, 0}};
    static const char *ids7[4] = {"x", "y", "z", "item-1"};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++) ck_assert_uint_eq(vs_accum_weight(7, (uint64_t)b, hash_of(ids7[i])), w7[i][b]);
}
END_TEST

START_TEST(test_weight_distribution) {
    /* Over many (replicate, item) pairs the weights follow Poisson(1): frequencies within 6
     * standard errors of dpois(k, 1) (R: dpois(0:6, 1)), mean and variance near 1, and the
     * weights of one item in two replicates uncorrelated. */
    static const double dpois[7] = {0.36787944117144233, 0.36787944117144233, 0.18393972058572117,
                                    0.061313240195240391, 0.015328310048810098, 0.0030656620097620196,
                                    0.00051094366829366993};
    long n = vs_test_under_valgrind() ? 20000 : 1000000;
    long count[VS_ACCUM_MAX_WEIGHT + 1] = {0};
    double s = 0, ss = 0, sxy = 0, sy = 0, sxz = 0, sz = 0;
    for (long i = 0; i < n; i++) {
        uint64_t h = vs__mix64((uint64_t)i), b = (uint64_t)(i % 1000);
        uint32_t w = vs_accum_weight(99, b, h);
        uint32_t w2 = vs_accum_weight(99, 5000 + b, h); /* another pair */
        uint32_t w3 = vs_accum_weight(99, b ^ 1, h);    /* the other half of the same hash */
        count[w]++;
        s += w;
        ss += (double)w * w;
        sxy += (double)w * w2;
        sy += w2;
        sxz += (double)w * w3;
        sz += w3;
    }
    for (int k = 0; k < 7; k++) {
        double p = (double)count[k] / (double)n, se = sqrt(dpois[k] * (1 - dpois[k]) / (double)n);
        ck_assert_msg(fabs(p - dpois[k]) < 6 * se + 1e-12, "P(w = %d) = %g, expected %g", k, p, dpois[k]);
    }
    double mean = s / (double)n, var = ss / (double)n - mean * mean;
    double cov = sxy / (double)n - mean * (sy / (double)n);
    ck_assert_near(mean, 1.0, 6 / sqrt((double)n));
    ck_assert_near(var, 1.0, 12 / sqrt((double)n));
    ck_assert_near(cov, 0.0, 6 / sqrt((double)n));
    ck_assert_near(sxz / (double)n - mean * (sz / (double)n), 0.0, 6 / sqrt((double)n));
}
END_TEST

/* ---------------------------------------------------------------- known answers */

START_TEST(test_known_answer_b2) {
    /* Items a = (1, 0), b = (0, NaN), c = (1, 1); seed 42, B = 2.
     * Weights (weights.py): replicate 0: a 0, b 0, c 0; replicate 1: a 3, b 2, c 0.
     * Replicate 0 is undefined for both dimensions; replicate 1:
     *   dim 0: (3*1 + 2*0 + 0*1) / (3 + 2 + 0) = 3/5;  dim 1: (3*0 + 0*1) / (3 + 0) = 0.
     * Plain statistics: dim 0: 1, 0, 1 -> mean 2/3, variance ((1/3)^2 * 2 + (2/3)^2) / 2 = 1/3;
     * dim 1: 0, 1 -> mean 1/2, variance 1/2. */
    vs_accum *a = make(2, 2, 42);
    const double va[2] = {1, 0}, vb[2] = {0, NAN}, vc[2] = {1, 1};
    ck_assert_ok(vs_accum_add_id(a, "a", va, 2));
    ck_assert_ok(vs_accum_add_id(a, "b", vb, 2));
    ck_assert_ok(vs_accum_add_id(a, "c", vc, 2));
    ck_assert_uint_eq(vs_accum_row_count(a), 3);
    double m[2];
    size_t need = 0;
    ck_assert_ok(vs_accum_replicate_means(&need, a, 0, m, 2));
    ck_assert_uint_eq(need, 2);
    ck_assert(isnan(m[0]));
    ck_assert_same(m[1], 3.0 / 5.0);
    ck_assert_ok(vs_accum_replicate_means(NULL, a, 1, m, 2));
    ck_assert(isnan(m[0]));
    ck_assert_same(m[1], 0.0);
    vs_accum_stats s = stats(a, 0);
    ck_assert_uint_eq(s.n, 3);
    ck_assert_near(s.mean, 2.0 / 3, 1e-15);
    ck_assert_near(s.variance, 1.0 / 3, 1e-15);
    ck_assert_same(s.exact_sum, 2.0);
    ck_assert_same(s.exact_mean, 2.0 / 3);
    ck_assert_same(s.exact_variance, 1.0 / 3);
    ck_assert_same(s.min, 0.0);
    ck_assert_same(s.max, 1.0);
    ck_assert_uint_eq(s.boot_defined, 1);
    ck_assert_same(s.boot_mean, 0.6);
    ck_assert(isnan(s.boot_se));
    s = stats(a, 1);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_same(s.exact_mean, 0.5);
    ck_assert_same(s.exact_variance, 0.5);
    ck_assert_near(s.variance, 0.5, 1e-15);
    ck_assert_near(s.se, 0.5, 1e-15); /* sqrt(0.5) / sqrt(2) */
    double lo = -1, hi = -1;
    ck_assert_status(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_PERCENTILE, 0.95), VS_EUNDEFINED);
    ck_assert(strstr(vs_last_error(), "dimension 0") != NULL);
    ck_assert_status(vs_accum_ci(&lo, &hi, a, 1, VS_ACCUM_CI_NORMAL, 0.95), VS_EUNDEFINED);
    ck_assert(lo == -1 && hi == -1);
    vs_accum_free(a);
}
END_TEST

START_TEST(test_known_answer_b8) {
    /* Items x = (1, 0.5), y = (0, NaN), z = (1, 0.25); seed 7, B = 8.
     * Weights (weights.py 7 8 x y z): x 1 1 0 1 2 0 1 0 / y 2 0 0 0 3 0 0 0 / z 2 0 1 1 2 0 1 2.
     * dim 0 replicate means: (1+2)/5, 1/1, 1/1, 2/2, (2+2)/7, undefined (all weights 0), 2/2, 2/2
     *   = 0.6, 1, 1, 1, 4/7, NaN, 1, 1
     * dim 1 (x 0.5, z 0.25): (0.5+0.5)/3, 0.5/1, 0.25/1, 0.75/2, (1+0.5)/4, NaN, 0.75/2, 0.5/2
     *   = 1/3, 0.5, 0.25, 0.375, 0.375, NaN, 0.375, 0.25
     * R (the defined means):
     *   m <- c(0.6, 1, 1, 1, 4/7, 1, 1)
     *   quantile(m, c((1-0.95)/2, (1+0.95)/2), type=7)   # 0.57571428571428562 1
     *   quantile(m, c((1-0.8)/2, (1+0.8)/2), type=7)     # 0.58857142857142852 1
     *   sd(m); mean(m)                                   # 0.20231891806357111 0.88163265306122451
     *   2/3 + c(-1,1)*qnorm((1+0.95)/2)*sd(m)            # 0.27012887387095719 1.063204459462376
     *   m1 <- c(1/3, 0.5, 0.25, 0.375, 0.375, 0.375, 0.25)
     *   quantile(m1, c((1-0.95)/2, (1+0.95)/2), type=7)  # 0.25 0.48124999999999996
     *   0.375 + c(-1,1)*qnorm((1+0.95)/2)*sd(m1)         # 0.20593704458968731 0.54406295541031269 */
    vs_accum *a = make(2, 8, 7);
    const double vx[2] = {1, 0.5}, vy[2] = {0, NAN}, vz[2] = {1, 0.25};
    /* out of order, through add_rows */
    uint64_t hs[3] = {hash_of("z"), hash_of("x"), hash_of("y")};
    double rows[6] = {vz[0], vz[1], vx[0], vx[1], vy[0], vy[1]};
    ck_assert_ok(vs_accum_add_rows(a, hs, rows, 3, 2));
    const double e0[8] = {0.6, 1, 1, 1, 4.0 / 7, NAN, 1, 1};
    const double e1[8] = {1.0 / 3, 0.5, 0.25, 0.375, 0.375, NAN, 0.375, 0.25};
    double m[8];
    ck_assert_ok(vs_accum_replicate_means(NULL, a, 0, m, 8));
    for (int b = 0; b < 8; b++) ck_assert(isnan(e0[b]) ? isnan(m[b]) : same_bits(m[b], e0[b]));
    ck_assert_ok(vs_accum_replicate_means(NULL, a, 1, m, 8));
    for (int b = 0; b < 8; b++) ck_assert(isnan(e1[b]) ? isnan(m[b]) : same_bits(m[b], e1[b]));
    double lo, hi;
    ck_assert_ok(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_PERCENTILE, VS_ACCUM_LEVEL_DEFAULT));
    ck_assert_near(lo, 0.57571428571428562, 1e-15);
    ck_assert_same(hi, 1.0);
    ck_assert_ok(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_PERCENTILE, 0.8));
    ck_assert_near(lo, 0.58857142857142852, 1e-15);
    ck_assert_same(hi, 1.0);
    ck_assert_ok(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_NORMAL, 0.95));
    ck_assert_near(lo, 0.27012887387095719, 1e-14);
    ck_assert_near(hi, 1.063204459462376, 1e-14);
    ck_assert_ok(vs_accum_ci(&lo, &hi, a, 1, VS_ACCUM_CI_PERCENTILE, 0.95));
    ck_assert_same(lo, 0.25);
    ck_assert_near(hi, 0.48124999999999996, 1e-15);
    ck_assert_ok(vs_accum_ci(&lo, &hi, a, 1, VS_ACCUM_CI_NORMAL, 0.95));
    ck_assert_near(lo, 0.20593704458968731, 1e-14);
    ck_assert_near(hi, 0.54406295541031269, 1e-14);
    vs_accum_stats s = stats(a, 0);
    ck_assert_near(s.boot_se, 0.20231891806357111, 1e-15);
    ck_assert_uint_eq(s.boot_defined, 7);
    ck_assert_near(s.boot_mean, 0.88163265306122451, 1e-15);
    vs_accum_free(a);
}
END_TEST

START_TEST(test_quantile7_vs_r) {
    /* R: x <- c(3.2, -1.5, 7.25, 0.001, 2.5, 2.5, 10, -4.75, 6.125, 1e-3, 5.5)
     *    quantile(x, c(0, 0.025, 0.1, 0.25, 0.5, 0.9, 0.975, 1, (1-0.9)/2, 1/3), type=7) */
    double x[11] = {3.2, -1.5, 7.25, 0.001, 2.5, 2.5, 10, -4.75, 6.125, 1e-3, 5.5};
    const double p[10] = {0, 0.025, 0.1, 0.25, 0.5, 0.9, 0.975, 1, (1 - 0.9) / 2, 1.0 / 3};
    const double r[10] = {-4.75, -3.9375, -1.5, 0.001, 2.5, 7.25, 9.3125, 10, -3.125, 0.8339999999999993};
    double sorted[11];
    memcpy(sorted, x, sizeof x);
    for (int i = 1; i < 11; i++) /* insertion sort: independent of the library's sort */
        for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
            double t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    for (int i = 0; i < 10; i++) ck_assert_near(vs__quantile7(sorted, 11, p[i]), r[i], 1e-15);
    double one = 4.5;
    ck_assert_same(vs__quantile7(&one, 1, 0.3), 4.5);
}
END_TEST

/* Percentile and normal intervals against replicate means recomputed in the test from
 * vs_accum_weight() with plain integer sums, and R's type-7 rule on them. */
START_TEST(test_ci_recomputed) {
    const size_t n = 40, B = 200;
    vs_accum *a = make(1, B, 2024);
    vs__rng g;
    vs__rng_seed(&g, 5, 1);
    uint64_t *h = calloc(n, sizeof *h);
    double *v = calloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        h[i] = vs__rng_next(&g);
        v[i] = (double)(vs__rng_next(&g) % 1000) / 8.0; /* dyadic: quantised exactly */
        ck_assert_ok(vs_accum_add(a, h[i], &v[i], 1));
    }
    double *means = calloc(B, sizeof *means);
    size_t m = 0;
    double sum = 0;
    for (size_t b = 0; b < B; b++) {
        int64_t sw = 0, swq = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t w = vs_accum_weight(2024, b, h[i]);
            sw += w;
            swq += (int64_t)w * (int64_t)(v[i] * 4294967296.0);
        }
        if (!sw) continue;
        means[m++] = ((double)swq / (double)sw) / 4294967296.0;
        sum += means[m - 1];
    }
    double got[200];
    ck_assert_ok(vs_accum_replicate_means(NULL, a, 0, got, B));
    for (size_t b = 0, k = 0; b < B; b++)
        if (!isnan(got[b])) ck_assert_same(got[b], means[k++]);
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && means[j - 1] > means[j]; j--) {
            double t = means[j];
            means[j] = means[j - 1];
            means[j - 1] = t;
        }
    double lo, hi, mean = sum / (double)m, ss = 0;
    for (size_t i = 0; i < m; i++) ss += (means[i] - mean) * (means[i] - mean);
    double sd = sqrt(ss / (double)(m - 1));
    ck_assert_ok(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_PERCENTILE, 0.9));
    ck_assert_same(lo, vs__quantile7(means, m, (1 - 0.9) / 2));
    ck_assert_same(hi, vs__quantile7(means, m, (1 + 0.9) / 2));
    vs_accum_stats s = stats(a, 0);
    ck_assert_near(s.boot_se, sd, 1e-14);
    ck_assert_ok(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_NORMAL, 0.95));
    ck_assert_near(lo, s.exact_mean - 1.9599639845400536 * sd, 1e-12); /* R: qnorm(0.975) */
    ck_assert_near(hi, s.exact_mean + 1.9599639845400536 * sd, 1e-12);
    free(means);
    free(h);
    free(v);
    vs_accum_free(a);
}
END_TEST

/* ---------------------------------------------------------------- numerics */

START_TEST(test_stability_1e9) {
    /* 1e9 + noise: values are multiples of 2^-23 (the spacing of doubles near 1e9), so x - 1e9
     * is exact and a two-pass computation of it in long double is an (almost) exact reference. */
    size_t n = vs_test_under_valgrind() ? 2000 : 50000;
    vs_accum *a = make(1, 0, 1);
    vs__rng g;
    vs__rng_seed(&g, 3, 3);
    long double sum = 0;
    double *x = calloc(n, sizeof *x);
    for (size_t i = 0; i < n; i++) {
        x[i] = 1e9 + (vs__rng_uniform(&g) - 0.5) * 1e-3;
        sum += (long double)(x[i] - 1e9);
        ck_assert_ok(vs_accum_add(a, (uint64_t)i, &x[i], 1));
    }
    long double mean = sum / n, ss = 0;
    for (size_t i = 0; i < n; i++) ss += ((x[i] - 1e9) - mean) * ((x[i] - 1e9) - mean);
    long double var = ss / (n - 1);
    vs_accum_stats s = stats(a, 0);
    /* Welford: relative error of the variance well below 1e-6 (a naive Σx² - (Σx)²/n has none
     * correct: Σx² ~ 5e22 while M2 ~ 4e-3). */
    /* Welford on x - (first value): the mean within one spacing of doubles near 1e9 (1.2e-7),
     * the variance to 1e-10 relative (Welford on the raw values manages only ~4e-4 here, as its
     * running mean is rounded to that spacing at every update; a naive Σx² - (Σx)²/n has no
     * correct digit: Σx² ~ 5e22 while M2 ~ 4e-3). */
    ck_assert_near(s.mean - 1e9, (double)mean, 1.2e-7);
    ck_assert_msg(fabsl((s.variance - var) / var) < 1e-10L, "Welford variance %.17g vs %.17Lg", s.variance, var);
    /* exact path: the quantised values equal the inputs, so only the final rounding remains */
    ck_assert_msg(fabsl((s.exact_variance - var) / var) < 1e-12L, "exact variance %.17g vs %.17Lg",
                  s.exact_variance, var);
    ck_assert_near(s.exact_mean - 1e9, (double)mean, 1.2e-7); /* within one ulp of 1e9 */
    ck_assert_msg(fabsl(((long double)s.exact_mean - 1e9L) - mean) <= 0.5L * 0x1p-23L + 1e-12L, "exact mean");
    /* merging halves (Chan) stays stable too */
    vs_accum *p = make(1, 0, 1), *q = make(1, 0, 1);
    for (size_t i = 0; i < n; i++) ck_assert_ok(vs_accum_add(i % 3 ? p : q, (uint64_t)i, &x[i], 1));
    ck_assert_ok(vs_accum_merge(p, q));
    vs_accum_stats t = stats(p, 0);
    ck_assert_msg(fabsl((t.variance - var) / var) < 1e-10L, "merged Welford variance %.17g vs %.17Lg", t.variance, var);
    ck_assert_near(t.mean - 1e9, (double)mean, 1.2e-7);
    ck_assert_same(t.exact_variance, s.exact_variance);
    free(x);
    vs_accum_free(a);
    vs_accum_free(p);
    vs_accum_free(q);
}
END_TEST

START_TEST(test_quantize_and_exact) {
    /* round half to even at F = 0 */
    ck_assert_int_eq(vs__quantize(0.5, 0), 0);
    ck_assert_int_eq(vs__quantize(1.5, 0), 2);
    ck_assert_int_eq(vs__quantize(2.5, 0), 2);
    ck_assert_int_eq(vs__quantize(-0.5, 0), 0);
    ck_assert_int_eq(vs__quantize(-1.5, 0), -2);
    ck_assert_int_eq(vs__quantize(-2.5, 0), -2);
    ck_assert_int_eq(vs__quantize(2.4999, 0), 2);
    ck_assert_int_eq(vs__quantize(-2.6, 0), -3);
    ck_assert_int_eq(vs__quantize(1.0, 32), INT64_C(4294967296));
    ck_assert_int_eq(vs__quantize(0x1p-33, 32), 0);          /* tie -> even */
    ck_assert_int_eq(vs__quantize(0x1.8p-32, 32), 2);        /* 1.5 -> 2 */
    ck_assert_int_eq(vs__quantize(4611686018427387903.0 / 4294967296.0 * 0.5, 32), INT64_C(2305843009213693952));
    ck_assert(vs__in_range(1073741823.9, 32));
    ck_assert(!vs__in_range(1073741824.0, 32));
    ck_assert(!vs__in_range(-1073741824.0, 32));
    ck_assert(vs__in_range(4.6e18, 0));
    ck_assert(!vs__in_range(INFINITY, 0) && !vs__in_range(NAN, 0));
    /* 256-bit helpers: (2^128 - 1)^2 = 2^256 - 2^129 + 1 */
    vs__u128 ones = ~(vs__u128)0;
    vs__u256 sq = vs__u256_from_mul128(ones, ones);
    ck_assert(sq.w[0] == 1 && sq.w[1] == 0 && sq.w[2] == UINT64_MAX - 1 && sq.w[3] == UINT64_MAX);
    vs__u256 one = {{1, 0, 0, 0}}, t = sq;
    vs__u256_add(&t, &one);
    ck_assert(t.w[0] == 2);
    vs__u256_sub(&t, &sq);
    ck_assert(t.w[0] == 1 && t.w[1] == 0 && t.w[2] == 0 && t.w[3] == 0);
    vs__u256 m = vs__u256_mul_u64(&(vs__u256){{UINT64_MAX, UINT64_MAX, 0, 0}}, 3); /* 3 * (2^128 - 1) */
    ck_assert(m.w[0] == UINT64_MAX - 2 && m.w[1] == UINT64_MAX && m.w[2] == 2 && m.w[3] == 0);
    /* correct rounding: 2^64 + 2^11 is a tie between 2^64 and 2^64 + 2^12 -> even (2^64) */
    vs__u256 v = {{2048, 1, 0, 0}};
    ck_assert_same(vs__u256_to_double(&v), 0x1p64);
    v.w[0] = 2049;
    ck_assert_same(vs__u256_to_double(&v), 0x1p64 + 0x1p12);
    v.w[0] = 6144; /* 2^64 + 3 * 2^11: tie between 2^64 + 2^12 and 2^64 + 2^13 -> even (2^64 + 2^13) */
    ck_assert_same(vs__u256_to_double(&v), 0x1p64 + 0x1p13);
    vs__u256 big = {{0, 0, 0, UINT64_C(1) << 63}};
    ck_assert_same(vs__u256_to_double(&big), 0x1p255);
    big.w[3] = (UINT64_C(1) << 63) | (UINT64_C(1) << 10); /* 2^255 + 2^202: a tie -> even (2^255) */
    ck_assert_same(vs__u256_to_double(&big), 0x1p255);
    big.w[0] = 1; /* a sticky bit far below the tie rounds it up */
    ck_assert_same(vs__u256_to_double(&big), 0x1p255 + 0x1p203);
    ck_assert_same(vs__s128_to_double((vs__u128)0 - 3), -3.0);
    ck_assert_same(vs__s128_to_double((vs__u128)1 << 127), -0x1p127);
}
END_TEST

/* ---------------------------------------------------------------- merging */

/* A data set of rows: items with 1..3 repeats; dim 0 judgements 0/1, dim 1 doubles in [0, 1)
 * (quantised with loss), dim 2 missing 30% of the time, else in (-5e6, 5e6). */
typedef struct {
    size_t rows, dims;
    uint64_t *h;
    double *v;
} dataset;

static dataset gen(size_t items, uint64_t seed) {
    dataset ds = {0, 3, NULL, NULL};
    vs__rng g;
    vs__rng_seed(&g, seed, 17);
    ds.h = calloc(3 * items, sizeof *ds.h);
    ds.v = calloc(9 * items, sizeof *ds.v);
    ck_assert(ds.h && ds.v);
    for (size_t i = 0; i < items; i++) {
        char id[32];
        snprintf(id, sizeof id, "item-%zu", i);
        uint64_t h = hash_of(id);
        size_t reps = 1 + vs__rng_below(&g, 3);
        for (size_t r = 0; r < reps; r++) {
            double *v = ds.v + ds.rows * 3;
            ds.h[ds.rows++] = h;
            v[0] = (double)(vs__rng_next(&g) & 1);
            v[1] = vs__rng_uniform(&g);
            v[2] = vs__rng_uniform(&g) < 0.3 ? NAN : (vs__rng_uniform(&g) - 0.5) * (r ? 10 : 1e7);
        }
    }
    return ds;
}

static void dataset_free(dataset *ds) {
    free(ds->h);
    free(ds->v);
}

START_TEST(test_merge_random_splits) {
    int vg = vs_test_under_valgrind();
    size_t items = vg ? 40 : 250, reps = vg ? 16 : 64;
    int trials = vg ? 4 : 60;
    dataset ds = gen(items, 1);
    vs_accum *single = make(3, reps, 77);
    for (size_t r = 0; r < ds.rows; r++) ck_assert_ok(vs_accum_add(single, ds.h[r], ds.v + 3 * r, 3));
    vs__rng g;
    vs__rng_seed(&g, 2, 2);
    size_t *perm = calloc(ds.rows, sizeof *perm);
    for (int t = 0; t < trials; t++) {
        for (size_t r = 0; r < ds.rows; r++) perm[r] = r;
        for (size_t r = ds.rows; r > 1; r--) { /* Fisher-Yates */
            size_t j = vs__rng_below(&g, r), tmp = perm[r - 1];
            perm[r - 1] = perm[j];
            perm[j] = tmp;
        }
        size_t S = 1 + vs__rng_below(&g, 9), count = S;
        vs_accum *pool[9];
        for (size_t s = 0; s < S; s++) pool[s] = make(3, reps, 77);
        for (size_t r = 0; r < ds.rows; r++) {
            size_t k = perm[r];
            ck_assert_ok(vs_accum_add(pool[vs__rng_below(&g, S)], ds.h[k], ds.v + 3 * k, 3));
        }
        while (count > 1) { /* merge two random accumulators, in a random direction */
            size_t i = vs__rng_below(&g, count), j = vs__rng_below(&g, count - 1);
            if (j >= i) j++;
            ck_assert_ok(vs_accum_merge(pool[i], pool[j]));
            vs_accum_free(pool[j]);
            pool[j] = pool[--count];
        }
        assert_exact_equal(single, pool[0]);
        assert_welford_close(single, pool[0]);
        vs_accum_free(pool[0]);
    }
    free(perm);
    vs_accum_free(single);
    dataset_free(&ds);
}
END_TEST

START_TEST(test_merge_laws) {
    dataset ds = gen(60, 9);
    vs_accum *part[3], *all = make(3, 32, 5);
    for (int s = 0; s < 3; s++) part[s] = make(3, 32, 5);
    /* a split by item-id hash, as shards k/N do */
    for (size_t r = 0; r < ds.rows; r++) {
        ck_assert_ok(vs_accum_add(part[ds.h[r] % 3], ds.h[r], ds.v + 3 * r, 3));
        ck_assert_ok(vs_accum_add(all, ds.h[r], ds.v + 3 * r, 3));
    }
    vs_accum *ab_c = NULL, *bc = NULL, *a_bc = NULL, *ab = NULL, *ba = NULL;
    ck_assert_ok(vs_accum_clone(&ab_c, part[0])); /* (a + b) + c */
    ck_assert_ok(vs_accum_merge(ab_c, part[1]));
    ck_assert_ok(vs_accum_merge(ab_c, part[2]));
    ck_assert_ok(vs_accum_clone(&bc, part[1])); /* a + (b + c) */
    ck_assert_ok(vs_accum_merge(bc, part[2]));
    ck_assert_ok(vs_accum_clone(&a_bc, part[0]));
    ck_assert_ok(vs_accum_merge(a_bc, bc));
    assert_exact_equal(ab_c, a_bc);
    assert_exact_equal(ab_c, all);
    assert_welford_close(ab_c, a_bc);
    ck_assert_ok(vs_accum_clone(&ab, part[0])); /* a + b = b + a */
    ck_assert_ok(vs_accum_merge(ab, part[1]));
    ck_assert_ok(vs_accum_clone(&ba, part[1]));
    ck_assert_ok(vs_accum_merge(ba, part[0]));
    assert_exact_equal(ab, ba);
    assert_welford_close(ab, ba);
    /* the empty accumulator is an identity, bit for bit (Welford included) */
    vs_accum *e = make(3, 32, 5), *c = NULL;
    ck_assert_ok(vs_accum_clone(&c, ab));
    ck_assert_ok(vs_accum_merge(c, e));
    ck_assert_ok(vs_accum_merge(e, ab));
    size_t l1, l2, l3;
    unsigned char *b1 = blob(ab, &l1), *b2 = blob(c, &l2), *b3 = blob(e, &l3);
    ck_assert(l1 == l2 && l1 == l3 && memcmp(b1, b2, l1) == 0 && memcmp(b1, b3, l1) == 0);
    free(b1);
    free(b2);
    free(b3);
    /* the clone is independent */
    const double one[3] = {1, 1, 1};
    ck_assert_ok(vs_accum_add(c, 1, one, 3));
    ck_assert_uint_eq(vs_accum_row_count(c), vs_accum_row_count(ab) + 1);
    vs_accum *list[] = {ab_c, bc, a_bc, ab, ba, e, c, all, part[0], part[1], part[2]};
    for (size_t i = 0; i < sizeof list / sizeof *list; i++) vs_accum_free(list[i]);
    dataset_free(&ds);
}
END_TEST

/* Stages the rows of ds block by block into a's block (as add_row does) and runs `flush` on
 * each block: only the bootstrap cells change. */
static void stage_and_flush(vs_accum *a, const dataset *ds, void (*flush)(vs_accum *)) {
    vs__block *bk = &a->block;
    for (size_t r = 0; r < ds->rows; r += bk->cap) {
        size_t n = ds->rows - r < bk->cap ? ds->rows - r : bk->cap;
        for (size_t i = 0; i < n; i++) {
            const double *v = ds->v + 3 * (r + i);
            for (size_t d = 0; d < 3; d++) {
                int64_t q = isnan(v[d]) ? 0 : vs__quantize(v[d], 32);
                uint64_t lo = (uint64_t)q & UINT32_MAX;
                bk->present[d * bk->cap + i] = isnan(v[d]) ? 0 : UINT64_MAX;
                bk->ql[d * bk->cap + i] = lo;
                bk->qh[d * bk->cap + i] = (q - (int64_t)lo) / (INT64_C(1) << 32);
                if (!isnan(v[d])) {
                    bk->used[d] = 1;
                    bk->nz_dim[bk->nnz] = (uint32_t)d;
                    bk->nz_q[bk->nnz++] = q;
                }
            }
            bk->h[i] = ds->h[r + i];
            bk->row_end[i] = bk->nnz;
        }
        bk->n = n;
        flush(a);
        ck_assert_uint_eq(bk->n, 0);
    }
}

/* Rows added one at a time, in one add_rows call (several blocks), through each kernel the CPU
 * can run, and with a K so large that a block holds few rows: the same exact state. */
START_TEST(test_blocks_and_kernels) {
    const size_t B = 33; /* odd: the last pair has one replicate */
    dataset ds = gen(vs_test_under_valgrind() ? 150 : 600, 21); /* > 256 rows: several blocks */
    vs_accum *one = make(3, B, 8), *rows = make(3, B, 8);
    for (size_t r = 0; r < ds.rows; r++) ck_assert_ok(vs_accum_add(one, ds.h[r], ds.v + 3 * r, 3));
    ck_assert_ok(vs_accum_add_rows(rows, ds.h, ds.v, ds.rows, 3));
    assert_exact_equal(one, rows);
    assert_welford_close(one, rows);
    struct {
        const char *name;
        void (*flush)(vs_accum *);
        int available;
    } kernels[] = {{"generic", vs__accum_flush_generic, 1},
                   {"avx2", vs__accum_flush_avx2, vs__accum_have_avx2()},
                   {"avx512", vs__accum_flush_avx512, vs__accum_have_avx512()}};
    for (size_t k = 0; k < 3; k++) {
        if (!kernels[k].available) continue;
        vs_accum *x = make(3, B, 8);
        stage_and_flush(x, &ds, kernels[k].flush);
        ck_assert_msg(memcmp(x->sw, one->sw, 3 * B * sizeof *x->sw) == 0, "kernel %s: weight sums", kernels[k].name);
        ck_assert_msg(memcmp(x->swq, one->swq, 2 * 3 * B * sizeof *x->swq) == 0, "kernel %s: weighted sums",
                      kernels[k].name);
        vs_accum_free(x);
    }
    /* negative values and the full fixed-point range go through the 32-bit split exactly */
    vs_accum *neg = make(1, 6, 3);
    const double big[4] = {-1073741823.75, 1073741823.5, -0.25, -3e-10};
    for (int i = 0; i < 4; i++) ck_assert_ok(vs_accum_add(neg, (uint64_t)i * 977, &big[i], 1));
    for (size_t b = 0; b < 6; b++) {
        __extension__ __int128 e = 0;
        uint64_t wsum = 0;
        for (int i = 0; i < 4; i++) {
            uint32_t w = vs_accum_weight(3, b, (uint64_t)i * 977);
            e += (__int128)w * vs__quantize(big[i], 32);
            wsum += w;
        }
        ck_assert_uint_eq(neg->sw[b], wsum);
        ck_assert(vs__load128(neg->swq + 2 * b) == (vs__u128)e);
    }
    vs_accum_free(neg);
    /* a block of VS__BLOCK_LANES rows (K = 5000) */
    size_t K = 5000;
    vs_accum *wide = make(K, 4, 8), *wide2 = make(K, 4, 8);
    ck_assert_uint_eq(wide->block.cap, VS__BLOCK_LANES);
    double *v = calloc(K, sizeof *v);
    for (size_t d = 0; d < K; d++) v[d] = d % 7 == 0 ? NAN : (double)(d % 5) / 4;
    ck_assert_ok(vs_accum_add(wide, 1, v, K));
    ck_assert_ok(vs_accum_add(wide, 2, v, K));
    uint64_t hh[2] = {2, 1};
    double *vv = calloc(2 * K, sizeof *vv);
    memcpy(vv, v, K * sizeof *v);
    memcpy(vv + K, v, K * sizeof *v);
    ck_assert_ok(vs_accum_add_rows(wide2, hh, vv, 2, K));
    assert_exact_equal(wide, wide2);
    for (size_t b = 0; b < 4; b++) {
        uint32_t w = vs_accum_weight(8, b, 1) + vs_accum_weight(8, b, 2);
        ck_assert_uint_eq(wide->sw[b * K + 3], w);
        ck_assert_uint_eq(wide->sw[b * K + 7], 0);
    }
    free(v);
    free(vv);
    vs_accum_free(wide);
    vs_accum_free(wide2);
    vs_accum_free(one);
    vs_accum_free(rows);
    dataset_free(&ds);
}
END_TEST

START_TEST(test_repeats_share_weights) {
    /* Two rows of one item carry the same weight: Σw = 2 w_b (a cluster bootstrap over items). */
    vs_accum *a = make(1, 50, 3);
    const double one = 1, zero = 0;
    uint64_t h = hash_of("stem-17");
    ck_assert_ok(vs_accum_add(a, h, &one, 1));
    ck_assert_ok(vs_accum_add(a, h, &zero, 1));
    for (size_t b = 0; b < 50; b++) {
        uint32_t w = vs_accum_weight(3, b, h);
        ck_assert_uint_eq(a->sw[b], 2u * w);
        double m = vs__accum_rep_mean(a, b, 0);
        if (w)
            ck_assert_same(m, 0.5);
        else
            ck_assert(isnan(m));
    }
    vs_accum_free(a);
}
END_TEST

/* ---------------------------------------------------------------- options and bad input */

START_TEST(test_scale_bits) {
    vs_accum *a = make(1, 0, 0);
    int64_t f = -1;
    double lo = -1, hi = -1;
    ck_assert_ok(vs_accum_get_int(&f, a, VS_ACCUM_OPT_SCALE_BITS));
    ck_assert_int_eq(f, 32);
    ck_assert_ok(vs_accum_option_bounds(&lo, &hi, VS_ACCUM_OPT_SCALE_BITS));
    ck_assert(lo == 0 && hi == 62);
    ck_assert_status(vs_accum_set_int(a, VS_ACCUM_OPT_SCALE_BITS, 63), VS_ERANGE);
    ck_assert_status(vs_accum_set_int(a, VS_ACCUM_OPT_SCALE_BITS, -1), VS_ERANGE);
    ck_assert_status(vs_accum_set_int(a, 99, 1), VS_EINVAL);
    ck_assert_status(vs_accum_get_int(&f, a, 99), VS_EINVAL);
    ck_assert_status(vs_accum_option_bounds(&lo, &hi, 99), VS_EINVAL);
    ck_assert_ok(vs_accum_set_int(a, VS_ACCUM_OPT_SCALE_BITS, 0));
    /* F = 0: integers; 0.5 -> 0, 1.5 -> 2, 2.5 -> 2 (half to even) */
    const double v[3] = {0.5, 1.5, 2.5};
    for (int i = 0; i < 3; i++) ck_assert_ok(vs_accum_add(a, (uint64_t)i, &v[i], 1));
    vs_accum_stats s = stats(a, 0);
    ck_assert_same(s.exact_sum, 4.0);
    ck_assert_near(s.mean, 1.5, 1e-15); /* Welford sees the doubles */
    ck_assert_status(vs_accum_set_int(a, VS_ACCUM_OPT_SCALE_BITS, 8), VS_ESTATE);
    const double big = 4.6e18;
    ck_assert_ok(vs_accum_add(a, 9, &big, 1));
    /* a merge needs the same scale */
    vs_accum *b = make(1, 0, 0);
    ck_assert_status(vs_accum_merge(b, a), VS_EMISMATCH);
    ck_assert(strstr(vs_last_error(), "scale") != NULL);
    /* F = 62: only |x| < 1 */
    ck_assert_ok(vs_accum_set_int(b, VS_ACCUM_OPT_SCALE_BITS, 62));
    const double ok = -0.999, bad = 1.0;
    ck_assert_ok(vs_accum_add(b, 1, &ok, 1));
    ck_assert_status(vs_accum_add(b, 1, &bad, 1), VS_ERANGE);
    ck_assert_near(stats(b, 0).exact_mean, -0.999, 1e-18);
    vs_accum_free(a);
    vs_accum_free(b);
}
END_TEST

START_TEST(test_bad_input) {
    vs_accum *a = NULL;
    ck_assert_status(vs_accum_create(NULL, 1, 1, 0), VS_EINVAL);
    ck_assert_status(vs_accum_create(&a, 0, 1, 0), VS_EINVAL);
    ck_assert_ptr_null(a);
    ck_assert_status(vs_accum_create(&a, VS_ACCUM_MAX_DIMS + 1, 1, 0), VS_ELIMIT);
    ck_assert_status(vs_accum_create(&a, 1, VS_ACCUM_MAX_REPLICATES + 1, 0), VS_ELIMIT);
    ck_assert_status(vs_accum_create(&a, 1000, 100000, 0), VS_ELIMIT);
    ck_assert(strstr(vs_last_error(), "cells") != NULL);
    ck_assert_ptr_null(a);
    ck_assert_uint_eq(vs_accum_dimension_count(NULL) + vs_accum_replicate_count(NULL) + vs_accum_row_count(NULL) + vs_accum_seed(NULL), 0);
    vs_accum_free(NULL);

    a = make(3, 4, 1);
    ck_assert_uint_eq(vs_accum_dimension_count(a), 3);
    ck_assert_uint_eq(vs_accum_replicate_count(a), 4);
    ck_assert(vs_accum_seed(a) == 1);
    const double good[3] = {1, NAN, 0.25};
    ck_assert_ok(vs_accum_add(a, 5, good, 3));
    size_t len0;
    unsigned char *before = blob(a, &len0);

    const double inf[3] = {1, INFINITY, 0}, far[3] = {1, 0, -2e9};
    ck_assert_status(vs_accum_add(NULL, 1, good, 3), VS_EINVAL);
    ck_assert_status(vs_accum_add(a, 1, NULL, 3), VS_EINVAL);
    ck_assert_status(vs_accum_add(a, 1, good, 2), VS_EMISMATCH);
    ck_assert_status(vs_accum_add(a, 1, inf, 3), VS_EINVAL);
    ck_assert(strstr(vs_last_error(), "dimension 1") != NULL);
    ck_assert_status(vs_accum_add(a, 1, far, 3), VS_ERANGE);
    ck_assert(strstr(vs_last_error(), "dimension 2") != NULL);
    ck_assert_status(vs_accum_add_id(a, "bad\xc0", good, 3), VS_EUTF8);
    ck_assert_status(vs_accum_add_id(a, NULL, good, 3), VS_EINVAL);
    uint64_t hs[4] = {1, 2, 3, 4};
    double rows[12] = {0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1};
    rows[7] = NAN;
    rows[8] = 5e9; /* row 2, dimension 2 */
    ck_assert_status(vs_accum_add_rows(a, hs, rows, 4, 3), VS_ERANGE);
    ck_assert(strstr(vs_last_error(), "row 2, dimension 2") != NULL);
    ck_assert_status(vs_accum_add_rows(a, hs, rows, 4, 2), VS_EMISMATCH);
    ck_assert_status(vs_accum_add_rows(a, NULL, rows, 4, 3), VS_EINVAL);
    ck_assert_ok(vs_accum_add_rows(a, NULL, NULL, 0, 3));
    ck_assert_status(vs_accum_set_int(a, VS_ACCUM_OPT_SCALE_BITS, 16), VS_ESTATE);

    vs_accum_stats s = VS_ACCUM_STATS_INIT;
    ck_assert_status(vs_accum_stats_get(&s, a, 3), VS_ERANGE);
    s.struct_size = 4;
    ck_assert_status(vs_accum_stats_get(&s, a, 0), VS_EINVAL);
    ck_assert_status(vs_accum_stats_get(NULL, a, 0), VS_EINVAL);
    /* an older, shorter struct: only the fields it covers are written */
    vs_accum_stats old;
    memset(&old, 0x5a, sizeof old);
    old.struct_size = (uint32_t)offsetof(vs_accum_stats, m2);
    ck_assert_ok(vs_accum_stats_get(&old, a, 0));
    ck_assert_uint_eq(old.n, 1);
    ck_assert_same(old.mean, 1.0);
    unsigned char pattern[sizeof(double)];
    memset(pattern, 0x5a, sizeof pattern);
    ck_assert(memcmp(&old.m2, pattern, sizeof pattern) == 0);

    double m[4], lo = 7, hi = 7;
    size_t need = 0;
    ck_assert_status(vs_accum_replicate_means(&need, a, 0, m, 3), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 4);
    ck_assert_status(vs_accum_replicate_means(&need, a, 0, NULL, 3), VS_EINVAL);
    ck_assert_status(vs_accum_replicate_means(&need, a, 3, m, 4), VS_ERANGE);
    ck_assert_status(vs_accum_replicate_means(&need, NULL, 0, m, 4), VS_EINVAL);
    ck_assert_status(vs_accum_ci(&lo, &hi, a, 0, 2, 0.95), VS_EINVAL);
    ck_assert_status(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_NORMAL, 0.0), VS_EINVAL);
    ck_assert_status(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_NORMAL, 1.0), VS_EINVAL);
    ck_assert_status(vs_accum_ci(&lo, &hi, a, 0, VS_ACCUM_CI_NORMAL, NAN), VS_EINVAL);
    ck_assert_status(vs_accum_ci(&lo, &hi, a, 3, VS_ACCUM_CI_NORMAL, 0.5), VS_ERANGE);
    ck_assert_status(vs_accum_ci(NULL, &hi, a, 0, VS_ACCUM_CI_NORMAL, 0.5), VS_EINVAL);
    ck_assert(lo == 7 && hi == 7);

    /* merges that do not fit */
    vs_accum *k2 = make(2, 4, 1), *b5 = make(3, 5, 1), *s2 = make(3, 4, 2);
    ck_assert_status(vs_accum_merge(a, k2), VS_EMISMATCH);
    ck_assert(strstr(vs_last_error(), "dimensions") != NULL);
    ck_assert_status(vs_accum_merge(a, b5), VS_EMISMATCH);
    ck_assert(strstr(vs_last_error(), "replicates") != NULL);
    ck_assert_status(vs_accum_merge(a, s2), VS_EMISMATCH);
    ck_assert(strstr(vs_last_error(), "seed") != NULL);
    ck_assert_status(vs_accum_merge(a, a), VS_EINVAL);
    ck_assert_status(vs_accum_merge(a, NULL), VS_EINVAL);
    ck_assert_status(vs_accum_merge(NULL, a), VS_EINVAL);

    /* the row limit */
    vs_accum *full = make(3, 4, 1);
    full->rows = VS_ACCUM_MAX_ROWS;
    ck_assert_status(vs_accum_add(full, 1, good, 3), VS_ELIMIT);
    ck_assert_status(vs_accum_merge(full, a), VS_ELIMIT);
    ck_assert_status(vs_accum_merge(a, full), VS_ELIMIT);
    full->rows = VS_ACCUM_MAX_ROWS - 2;
    const double three[9] = {0, 0, 0, 1, 1, 1, 0, 1, 0};
    ck_assert_status(vs_accum_add_rows(full, hs, three, 3, 3), VS_ELIMIT);
    ck_assert_ok(vs_accum_add_rows(full, hs, three, 2, 3));
    ck_assert(full->rows == VS_ACCUM_MAX_ROWS);

    size_t len1;
    unsigned char *after = blob(a, &len1);
    ck_assert(len0 == len1 && memcmp(before, after, len0) == 0); /* nothing changed */
    free(before);
    free(after);
    vs_accum_free(k2);
    vs_accum_free(b5);
    vs_accum_free(s2);
    vs_accum_free(full);
    vs_accum_free(a);

    /* no bootstrap: B = 0 */
    vs_accum *z = make(1, 0, 0);
    const double x = 1;
    ck_assert_ok(vs_accum_add(z, 1, &x, 1));
    ck_assert_ok(vs_accum_add(z, 2, &x, 1));
    ck_assert_ok(vs_accum_replicate_means(&need, z, 0, NULL, 0));
    ck_assert_uint_eq(need, 0);
    ck_assert_status(vs_accum_ci(&lo, &hi, z, 0, VS_ACCUM_CI_PERCENTILE, 0.95), VS_EUNDEFINED);
    vs_accum_stats t = stats(z, 0);
    ck_assert_uint_eq(t.boot_defined, 0);
    ck_assert(isnan(t.boot_mean) && isnan(t.boot_se));
    ck_assert_same(t.exact_variance, 0.0);
    vs_accum_free(z);
    /* an empty dimension */
    vs_accum *e = make(2, 3, 0);
    t = stats(e, 1);
    ck_assert_uint_eq(t.n, 0);
    ck_assert(isnan(t.mean) && isnan(t.exact_mean) && isnan(t.min) && isnan(t.variance) && isnan(t.se));
    ck_assert_same(t.exact_sum, 0.0);
    vs_accum_free(e);
}
END_TEST

START_TEST(test_min_max_signed_zero) {
    /* -0 sorts below +0 so min/max do not depend on the order of rows */
    const double pz = 0.0, nz = -0.0;
    vs_accum *a = make(1, 0, 0), *b = make(1, 0, 0);
    ck_assert_ok(vs_accum_add(a, 1, &pz, 1));
    ck_assert_ok(vs_accum_add(a, 2, &nz, 1));
    ck_assert_ok(vs_accum_add(b, 2, &nz, 1));
    ck_assert_ok(vs_accum_add(b, 1, &pz, 1));
    ck_assert_same(stats(a, 0).min, -0.0);
    ck_assert_same(stats(a, 0).max, 0.0);
    ck_assert_same(stats(b, 0).min, -0.0);
    ck_assert_same(stats(b, 0).max, 0.0);
    vs_accum_free(a);
    vs_accum_free(b);
}
END_TEST

/* ---------------------------------------------------------------- serialisation */

static vs_accum *sample(void) {
    dataset ds = gen(12, 4);
    vs_accum *a = make(3, 5, 123);
    ck_assert_ok(vs_accum_add_rows(a, ds.h, ds.v, ds.rows, 3));
    dataset_free(&ds);
    return a;
}

static void put64le(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* Fixes the checksum after an edit (FNV-1a 64 over all but the last 8 bytes, per the format). */
static void reseal(unsigned char *b, size_t len) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i + 8 < len; i++) h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    put64le(b + len - 8, h);
}

START_TEST(test_serialize_round_trip) {
    vs_accum *a = sample(), *b = NULL;
    size_t len, len2;
    unsigned char *bytes = blob(a, &len);
    ck_assert_uint_eq(len, 56 + 96 * 3 + 24 * 3 * 5 + 8);
    /* explicit byte order */
    ck_assert(memcmp(bytes, "VSACCUM\n", 8) == 0);
    ck_assert(bytes[8] == 1 && bytes[9] == 0 && bytes[10] == 0 && bytes[11] == 0);
    ck_assert(bytes[12] == 32 && bytes[16] == 3 && bytes[24] == 5 && bytes[32] == 123 && bytes[33] == 0);
    ck_assert_ok(vs_accum_deserialize(&b, bytes, len));
    unsigned char *again = blob(b, &len2);
    ck_assert(len == len2 && memcmp(bytes, again, len) == 0);
    assert_exact_equal(a, b);
    for (size_t d = 0; d < 3; d++) {
        vs_accum_stats s = stats(a, d), t = stats(b, d);
        ck_assert_uint_eq(s.n, t.n);
        ck_assert_uint_eq(s.boot_defined, t.boot_defined);
        const double x[] = {s.mean, s.m2, s.variance, s.sd, s.min, s.max, s.exact_sum, s.exact_mean,
                            s.exact_variance, s.exact_sd, s.se, s.boot_mean, s.boot_se};
        const double y[] = {t.mean, t.m2, t.variance, t.sd, t.min, t.max, t.exact_sum, t.exact_mean,
                            t.exact_variance, t.exact_sd, t.se, t.boot_mean, t.boot_se};
        for (size_t i = 0; i < sizeof x / sizeof *x; i++) ck_assert_same(x[i], y[i]);
    }
    /* the copy keeps working: merges, options, adding */
    ck_assert_ok(vs_accum_merge(b, a));
    const double v[3] = {1, 0.5, NAN};
    ck_assert_ok(vs_accum_add(b, 3, v, 3));
    unsigned char small[8];
    size_t need = 0;
    ck_assert_status(vs_accum_serialize(&need, a, small, sizeof small), VS_EBUFSIZE);
    ck_assert_uint_eq(need, len);
    ck_assert_status(vs_accum_serialize(&need, a, NULL, 10), VS_EINVAL);
    ck_assert_status(vs_accum_serialize(&need, NULL, small, 8), VS_EINVAL);
    vs_accum *none = (vs_accum *)1;
    ck_assert_status(vs_accum_deserialize(NULL, bytes, len), VS_EINVAL);
    ck_assert_status(vs_accum_deserialize(&none, NULL, len), VS_EINVAL);
    ck_assert_ptr_null(none);
    /* empty accumulators and B = 0 round-trip too */
    vs_accum *e = make(2, 0, 9), *f = NULL;
    unsigned char *eb = blob(e, &len2);
    ck_assert_ok(vs_accum_deserialize(&f, eb, len2));
    ck_assert_uint_eq(vs_accum_dimension_count(f), 2);
    ck_assert_uint_eq(vs_accum_replicate_count(f), 0);
    ck_assert(vs_accum_seed(f) == 9);
    vs_accum_free(e);
    vs_accum_free(f);
    free(eb);
    free(bytes);
    free(again);
    vs_accum_free(a);
    vs_accum_free(b);
}
END_TEST

START_TEST(test_serialize_damage) {
    vs_accum *a = sample(), *b = NULL;
    size_t len;
    unsigned char *bytes = blob(a, &len);
    unsigned char *copy = malloc(len + 1);
    /* truncated at every length */
    for (size_t n = 0; n < len; n++) {
        memcpy(copy, bytes, n);
        b = (vs_accum *)1;
        ck_assert_status(vs_accum_deserialize(&b, copy, n), VS_ECORRUPT);
        ck_assert_ptr_null(b);
    }
    /* every single-byte corruption */
    static const unsigned char flips[3] = {0x01, 0x80, 0xff};
    for (size_t i = 0; i < len; i++)
        for (int f = 0; f < 3; f++) {
            memcpy(copy, bytes, len);
            copy[i] ^= flips[f];
            b = (vs_accum *)1;
            int rc = vs_accum_deserialize(&b, copy, len);
            ck_assert_msg(rc == (i >= 8 && i < 12 ? VS_EVERSION : VS_ECORRUPT), "byte %zu ^ %02x: %s", i, flips[f],
                          vs_status_name(rc));
            ck_assert_ptr_null(b);
        }
    /* fields that are wrong although the checksum fits */
    struct {
        size_t off;
        uint64_t value;
        int width, status;
        const char *msg;
    } edits[] = {
        {8, 2, 4, VS_EVERSION, "version 2"},
        {12, 63, 4, VS_ECORRUPT, "scale bits"},
        {16, 0, 8, VS_ECORRUPT, "dimensions"},
        {16, UINT64_MAX, 8, VS_ECORRUPT, "dimensions"},
        {24, UINT64_C(1) << 40, 8, VS_ECORRUPT, "replicates"},
        {40, UINT64_MAX, 8, VS_ECORRUPT, "rows"},
        {48, 1, 8, VS_ECORRUPT, "payload size"},
        {56, 1000, 8, VS_ECORRUPT, "dimension 0"},                 /* n > rows */
        {56 + 96 * 3, UINT64_C(1) << 40, 8, VS_ECORRUPT, "weight sum"}, /* Σw of cell 0 */
    };
    for (size_t e = 0; e < sizeof edits / sizeof *edits; e++) {
        memcpy(copy, bytes, len);
        if (edits[e].width == 4)
            for (int i = 0; i < 4; i++) copy[edits[e].off + (size_t)i] = (unsigned char)(edits[e].value >> (8 * i));
        else
            put64le(copy + edits[e].off, edits[e].value);
        reseal(copy, len);
        ck_assert_status(vs_accum_deserialize(&b, copy, len), edits[e].status);
        ck_assert_msg(strstr(vs_last_error(), edits[e].msg) != NULL, "edit %zu: %s", e, vs_last_error());
        ck_assert_ptr_null(b);
    }
    /* a trailing byte */
    memcpy(copy, bytes, len);
    copy[len] = 0;
    ck_assert_status(vs_accum_deserialize(&b, copy, len + 1), VS_ECORRUPT);
    ck_assert(strstr(vs_last_error(), "trailing") != NULL);
    free(copy);
    free(bytes);
    vs_accum_free(a);
}
END_TEST

START_TEST(test_save_load) {
    char dir[] = "/tmp/vs_accum_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64], bad[64];
    snprintf(path, sizeof path, "%s/a.vsacc", dir);
    snprintf(bad, sizeof bad, "%s/bad.vsacc", dir);
    vs_accum *a = sample(), *b = NULL;
    ck_assert_ok(vs_accum_save(a, path));
    ck_assert_ok(vs_accum_load(&b, path));
    assert_exact_equal(a, b);
    FILE *f = fopen(bad, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("VSACCUM\n\x01\0\0\0 not really", f);
    fclose(f);
    vs_accum_free(b);
    b = (vs_accum *)1;
    ck_assert_status(vs_accum_load(&b, bad), VS_ECORRUPT);
    ck_assert_ptr_null(b);
    ck_assert(strstr(vs_last_error(), "bad.vsacc") != NULL);
    char missing[80];
    snprintf(missing, sizeof missing, "%s/missing", dir);
    ck_assert_status(vs_accum_load(&b, missing), VS_ENOTFOUND);
    ck_assert_status(vs_accum_load(&b, NULL), VS_EINVAL);
    ck_assert_status(vs_accum_save(NULL, path), VS_EINVAL);
    unlink(path);
    unlink(bad);
    rmdir(dir);
    vs_accum_free(a);
}
END_TEST

/* ---------------------------------------------------------------- allocation failures */

typedef int (*flow_fn)(void *ctx);

/* The allocation-failure sweep (testutil): each flow checks and frees its own outputs. */
static void alloc_loop(flow_fn flow, void *ctx, const char *name) {
    vs_test_sweep sw = {name, NULL, flow, NULL, ctx};
    vs_test_alloc_sweep(&sw);
}

static int flow_create(void *ctx) {
    (void)ctx;
    vs_accum *a = (vs_accum *)1;
    int rc = vs_accum_create(&a, 4, 100, 1);
    if (rc) {
        ck_assert_ptr_null(a);
        return rc;
    }
    vs_accum_free(a);
    return VS_OK;
}

/* create two shards, clone one, merge, and take a percentile interval */
static int flow_merge(void *ctx) {
    const dataset *ds = ctx;
    vs_accum *a = NULL, *b = NULL, *c = (vs_accum *)1;
    double lo = 3, hi = 3;
    int rc = vs_accum_create(&a, 3, 20, 1);
    if (!rc) rc = vs_accum_create(&b, 3, 20, 1);
    if (!rc) rc = vs_accum_add_rows(a, ds->h, ds->v, ds->rows / 2, 3);
    if (!rc) rc = vs_accum_add_rows(b, ds->h + ds->rows / 2, ds->v + 3 * (ds->rows / 2), ds->rows - ds->rows / 2, 3);
    if (!rc) {
        rc = vs_accum_clone(&c, a);
        if (rc) ck_assert_ptr_null(c);
    } else {
        c = NULL;
    }
    if (!rc) rc = vs_accum_merge(c, b);
    if (!rc) {
        rc = vs_accum_ci(&lo, &hi, c, 0, VS_ACCUM_CI_PERCENTILE, 0.9);
        if (rc) ck_assert(lo == 3 && hi == 3);
    }
    vs_accum_free(a);
    vs_accum_free(b);
    vs_accum_free(c);
    return rc;
}

typedef struct {
    const unsigned char *bytes;
    size_t len;
    const char *path;
} blob_ctx;

static int flow_deserialize(void *ctx) {
    const blob_ctx *bc = ctx;
    vs_accum *a = (vs_accum *)1;
    int rc = vs_accum_deserialize(&a, bc->bytes, bc->len);
    if (rc) {
        ck_assert_ptr_null(a);
        return rc;
    }
    vs_accum_free(a);
    return VS_OK;
}

static int flow_save_load(void *ctx) {
    const blob_ctx *bc = ctx;
    vs_accum *a = NULL, *b = (vs_accum *)1;
    int rc = vs_accum_deserialize(&a, bc->bytes, bc->len);
    if (!rc) rc = vs_accum_save(a, bc->path);
    if (!rc) {
        rc = vs_accum_load(&b, bc->path);
        if (rc) ck_assert_ptr_null(b);
    } else {
        b = NULL;
    }
    vs_accum_free(a);
    vs_accum_free(b);
    return rc;
}

START_TEST(test_alloc_failures) {
    alloc_loop(flow_create, NULL, "create");
    dataset ds = gen(10, 6);
    alloc_loop(flow_merge, &ds, "merge");
    dataset_free(&ds);
    vs_accum *a = sample();
    size_t len;
    unsigned char *bytes = blob(a, &len);
    char dir[] = "/tmp/vs_accum_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/x.vsacc", dir);
    blob_ctx bc = {bytes, len, path};
    vs_accum_free(a);
    alloc_loop(flow_deserialize, &bc, "deserialize");
    alloc_loop(flow_save_load, &bc, "save/load");
    unlink(path);
    rmdir(dir);
    free(bytes);
}
END_TEST

static Suite *accum_suite(void) {
    Suite *s = suite_create("accum");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_item_hash);
    tcase_add_test(tc, test_thresholds);
    tcase_add_test(tc, test_weights_known);
    tcase_add_test(tc, test_weight_distribution);
    tcase_add_test(tc, test_known_answer_b2);
    tcase_add_test(tc, test_known_answer_b8);
    tcase_add_test(tc, test_quantile7_vs_r);
    tcase_add_test(tc, test_ci_recomputed);
    tcase_add_test(tc, test_stability_1e9);
    tcase_add_test(tc, test_quantize_and_exact);
    tcase_add_test(tc, test_merge_random_splits);
    tcase_add_test(tc, test_merge_laws);
    tcase_add_test(tc, test_blocks_and_kernels);
    tcase_add_test(tc, test_repeats_share_weights);
    tcase_add_test(tc, test_scale_bits);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_min_max_signed_zero);
    tcase_add_test(tc, test_serialize_round_trip);
    tcase_add_test(tc, test_serialize_damage);
    tcase_add_test(tc, test_save_load);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(accum_suite()); }
