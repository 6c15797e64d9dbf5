/* Tests of the dense symmetric kernels of parallel analysis (lib/fa/kernels.c) against LAPACK
 * (dsyevr for eigenvalues and the top eigenpair, dpotrf / dpotri for the Cholesky factor and the
 * inverse's diagonal), against matrices built from known eigenvalues (Q diag(lambda) Q' with Q a
 * product of Householder reflections) and hand-computed ones, for every kernel instance the CPU
 * runs (portable, AVX2, AVX-512); plus the resampler's batched index stream against the
 * one-at-a-time definition, and allocation failure. */
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"
#include "testutil.h"

static int under_valgrind(void) {
    const char *vg = getenv("VS_TEST_UNDER_VALGRIND");
    return vg && *vg && strcmp(vg, "0") != 0;
}

static double frob(const double *a, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n * n; i++) s += a[i] * a[i];
    return sqrt(s);
}

/* all eigenvalues, decreasing, by LAPACK's dsyevr on the upper triangle (row-major) */
static void ref_values(const double *a, size_t n, double *w) {
    double *c = malloc(n * n * sizeof(double)), *z = malloc(n * sizeof(double));
    lapack_int *isuppz = malloc(2 * n * sizeof(lapack_int)), m = 0;
    memcpy(c, a, n * n * sizeof(double));
    ck_assert_int_eq(LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'N', 'A', 'U', (lapack_int)n, c, (lapack_int)n, 0, 0, 0, 0,
                                    0.0, &m, z, NULL, 1, isuppz),
                     0);
    ck_assert_int_eq((int)m, (int)n);
    for (size_t i = 0; i < n; i++) w[i] = z[n - 1 - i];
    free(c);
    free(z);
    free(isuppz);
}

/* the largest eigenpair by dsyevr (range 'I'; column-major, which reads the same triangle: with a
 * multiple largest eigenvalue dsyevr may return more than one pair, so w and z have room for n) */
static double ref_top(const double *a, size_t n, double *v) {
    double *c = malloc(n * n * sizeof(double)), *w = malloc(n * sizeof(double)), *z = malloc(n * n * sizeof(double));
    lapack_int *isuppz = malloc(2 * n * sizeof(lapack_int)), m = 0;
    memcpy(c, a, n * n * sizeof(double));
    ck_assert_int_eq(LAPACKE_dsyevr(LAPACK_COL_MAJOR, 'V', 'I', 'L', (lapack_int)n, c, (lapack_int)n, 0, 0,
                                    (lapack_int)n, (lapack_int)n, 0.0, &m, w, z, (lapack_int)n, isuppz),
                     0);
    ck_assert_int_ge((int)m, 1);
    size_t top = 0;
    for (size_t i = 1; i < (size_t)m; i++)
        if (w[i] > w[top]) top = i;
    memcpy(v, z + top * n, n * sizeof(double));
    double wt = w[top];
    free(c);
    free(w);
    free(z);
    free(isuppz);
    return wt;
}

static void random_symmetric(double *a, size_t n, vs__rng *g) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = vs__rng_normal(g);
}

/* Q diag(lambda) Q' with Q = H_1 H_2 H_3 (random unit Householder vectors) */
static void from_spectrum(double *a, const double *lambda, size_t n, vs__rng *g) {
    double *q = malloc(n * n * sizeof(double)), *u = malloc(n * sizeof(double));
    for (size_t i = 0; i < n * n; i++) q[i] = 0;
    for (size_t i = 0; i < n; i++) q[i * n + i] = 1;
    for (int h = 0; h < 3; h++) {
        double s = 0;
        for (size_t i = 0; i < n; i++) {
            u[i] = vs__rng_normal(g);
            s += u[i] * u[i];
        }
        s = sqrt(s);
        for (size_t i = 0; i < n; i++) u[i] /= s;
        for (size_t r = 0; r < n; r++) { /* q = q (I - 2 u u') */
            double d = 0;
            for (size_t i = 0; i < n; i++) d += q[r * n + i] * u[i];
            for (size_t i = 0; i < n; i++) q[r * n + i] -= 2.0 * d * u[i];
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = 0;
            for (size_t k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k];
            a[i * n + j] = a[j * n + i] = s;
        }
    free(q);
    free(u);
}

/* ours (every level this CPU runs) against dsyevr and, when given, the known spectrum; the
 * lower triangle is overwritten by NaN first: only the upper one may be read */
static void check_values(const double *a0, size_t n, const double *known, const char *what) {
    double *a = malloc(n * n * sizeof(double)), *w = malloc(n * sizeof(double)), *wr = malloc(n * sizeof(double));
    double *v = malloc(n * sizeof(double)), *vr = malloc(n * sizeof(double)), *av = malloc(n * sizeof(double));
    ref_values(a0, n, wr);
    double nrm = frob(a0, n), tol = 1e-12 * (nrm > 1 ? nrm : 1);
    memcpy(a, a0, n * n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++) a[i * n + j] = NAN;
    vs__fa_trd t;
    ck_assert_ok(vs__fa_trd_init(&t, n));
    for (int level = 0; level <= vs__fa_trd_best_level(); level++) {
        t.level = level;
        ck_assert_ok(vs__fa_trd_values(&t, w, a, NULL));
        for (size_t i = 0; i < n; i++) {
            ck_assert_msg(fabs(w[i] - wr[i]) <= tol, "%s n=%zu level %d: value %zu is %.17g, dsyevr %.17g", what, n,
                          level, i, w[i], wr[i]);
            if (known)
                ck_assert_msg(fabs(w[i] - known[i]) <= tol, "%s n=%zu level %d: value %zu is %.17g, known %.17g", what,
                              n, level, i, w[i], known[i]);
            if (i > 0) ck_assert(w[i] <= w[i - 1]);
        }
        /* the top eigenpair: value as dsyevr's, a unit eigenvector (residual), the same vector up to
         * sign when the gap allows */
        double lam = 0;
        ck_assert_ok(vs__fa_trd_top(&t, &lam, v, a, NULL));
        double lr = ref_top(a0, n, vr);
        ck_assert_msg(fabs(lam - lr) <= tol, "%s n=%zu level %d: top %.17g, dsyevr %.17g", what, n, level, lam, lr);
        double vv = 0, res = 0, dot = 0;
        for (size_t i = 0; i < n; i++) {
            double s = 0;
            for (size_t j = 0; j < n; j++) s += a0[i * n + j] * v[j];
            av[i] = s - lam * v[i];
            res += av[i] * av[i];
            vv += v[i] * v[i];
            dot += v[i] * vr[i];
        }
        ck_assert_near(vv, 1.0, 1e-12);
        ck_assert_msg(sqrt(res) <= 1e-11 * (nrm > 1 ? nrm : 1), "%s n=%zu level %d: residual %g", what, n, level,
                      sqrt(res));
        if (n == 1 || wr[0] - wr[1] > 1e-3 * nrm) ck_assert_near(fabs(dot), 1.0, 1e-10);
    }
    vs__fa_trd_free(&t);
    free(a);
    free(w);
    free(wr);
    free(v);
    free(vr);
    free(av);
}

START_TEST(test_values_hand) {
    /* [[2, 1], [1, 2]]: 3 and 1; the second difference matrix tridiag(-1, 2, -1) of order 3:
     * 2 + sqrt(2), 2, 2 - sqrt(2) (2 - 2 cos(k pi / 4)); a diagonal matrix: its diagonal sorted;
     * order 1: the entry; the zero matrix */
    double a2[4] = {2, 1, 1, 2}, k2[2] = {3, 1};
    check_values(a2, 2, k2, "2x2");
    double a3[9] = {2, -1, 0, -1, 2, -1, 0, -1, 2}, k3[3] = {2 + sqrt(2.0), 2, 2 - sqrt(2.0)};
    check_values(a3, 3, k3, "second difference");
    double d5[25] = {0}, kd[5] = {7.5, 3, 0, -1, -2};
    double dg[5] = {-1, 7.5, 0, -2, 3};
    for (size_t i = 0; i < 5; i++) d5[i * 5 + i] = dg[i];
    check_values(d5, 5, kd, "diagonal");
    double a1[1] = {-4.25}, k1[1] = {-4.25};
    check_values(a1, 1, k1, "1x1");
    double z4[16] = {0}, kz[4] = {0, 0, 0, 0};
    check_values(z4, 4, kz, "zero");
    /* already tridiagonal (every reflector is the identity: tau = 0) */
    double t4[16] = {1, 2, 0, 0, 2, -1, 3, 0, 0, 3, 0.5, -1, 0, 0, -1, 2};
    check_values(t4, 4, NULL, "tridiagonal");
}
END_TEST

START_TEST(test_values_random) {
    static const size_t sizes[] = {2, 3, 5, 7, 8, 9, 16, 17, 33, 100, 257};
    vs__rng g;
    vs__rng_seed(&g, 11, 3);
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t n = sizes[c];
        if (under_valgrind() && n > 100) continue;
        double *a = malloc(n * n * sizeof(double));
        random_symmetric(a, n, &g);
        check_values(a, n, NULL, "random");
        /* a correlation matrix (as parallel analysis sees them) */
        size_t rows = 3 * n + 5;
        double *x = malloc(rows * n * sizeof(double));
        for (size_t t = 0; t < rows; t++) {
            double f = vs__rng_normal(&g);
            for (size_t j = 0; j < n; j++) x[t * n + j] = 0.6 * f + vs__rng_normal(&g);
        }
        ck_assert_ok(vs__fa_cor_raw(a, NULL, x, rows, n, VS_FA_PAIRWISE, "test"));
        check_values(a, n, NULL, "correlation");
        free(x);
        free(a);
    }
}
END_TEST

START_TEST(test_values_clustered) {
    /* known spectra with repeated and clustered eigenvalues, scaled far from 1 */
    static const size_t sizes[] = {3, 9, 100, 257};
    vs__rng g;
    vs__rng_seed(&g, 12, 4);
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t n = sizes[c];
        if (under_valgrind() && n > 100) continue;
        double *a = malloc(n * n * sizeof(double)), *lam = malloc(n * sizeof(double));
        for (int kind = 0; kind < 3; kind++) {
            double scale = kind == 2 ? 1e-3 : kind == 1 ? 1e4 : 1;
            for (size_t i = 0; i < n; i++) {
                /* kind 0: a few distinct values each repeated; 1: a cluster 1e-10 apart; 2: all equal but two */
                double v = kind == 0 ? (double)(3 - (int)(i * 4 / n)) : kind == 1 ? 2.0 - 1e-10 * (double)i : 1.0;
                if (kind == 2 && i == 0) v = 5;
                if (kind == 2 && i == n - 1) v = -5;
                lam[i] = scale * v;
            }
            from_spectrum(a, lam, n, &g);
            check_values(a, n, lam, kind == 0 ? "repeated" : kind == 1 ? "cluster" : "all equal but two");
        }
        free(a);
        free(lam);
    }
}
END_TEST

START_TEST(test_values_diag_argument) {
    /* the diagonal argument replaces a's diagonal (SMC or communalities in parallel analysis) */
    size_t n = 20;
    vs__rng g;
    vs__rng_seed(&g, 13, 5);
    double a[400], b[400], diag[20], w1[20], w2[20], v1[20], v2[20], l1, l2;
    random_symmetric(a, n, &g);
    memcpy(b, a, sizeof a);
    for (size_t i = 0; i < n; i++) b[i * n + i] = diag[i] = vs__rng_uniform(&g);
    vs__fa_trd t;
    ck_assert_ok(vs__fa_trd_init(&t, n));
    ck_assert_ok(vs__fa_trd_values(&t, w1, a, diag));
    ck_assert_ok(vs__fa_trd_values(&t, w2, b, NULL));
    for (size_t i = 0; i < n; i++) ck_assert_double_eq(w1[i], w2[i]);
    ck_assert_ok(vs__fa_trd_top(&t, &l1, v1, a, diag));
    ck_assert_ok(vs__fa_trd_top(&t, &l2, v2, b, NULL));
    ck_assert_double_eq(l1, l2);
    for (size_t i = 0; i < n; i++) ck_assert_double_eq(v1[i], v2[i]);
    /* non-finite entries (in the triangle read, or in diag) */
    b[3 * n + 7] = INFINITY; /* upper triangle: row 3, column 7 */
    ck_assert_status(vs__fa_trd_values(&t, w1, b, NULL), VS_ENUMERIC);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "non-finite"));
    ck_assert_status(vs__fa_trd_top(&t, &l1, v1, b, NULL), VS_ENUMERIC);
    diag[4] = NAN;
    ck_assert_status(vs__fa_trd_values(&t, w1, a, diag), VS_ENUMERIC);
    vs__fa_trd_free(&t);
    /* order 0: nothing to do */
    ck_assert_ok(vs__fa_trd_init(&t, 0));
    ck_assert_ok(vs__fa_trd_values(&t, w1, a, NULL));
    vs__fa_trd_free(&t);
}
END_TEST

START_TEST(test_cholesky) {
    /* U' U = A, (A^-1)_ii and A^-1 b against LAPACK's dpotrf / dpotri; the lower triangle stays */
    static const size_t sizes[] = {1, 2, 3, 8, 9, 17, 100};
    vs__rng g;
    vs__rng_seed(&g, 14, 6);
    vs__fa_trd t;
    ck_assert_ok(vs__fa_trd_init(&t, 1));
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t n = sizes[c];
        double *a = malloc(n * n * sizeof(double)), *u = malloc(n * n * sizeof(double));
        double *s = malloc(n * n * sizeof(double)), *ref = malloc(n * n * sizeof(double));
        double *d = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double)), *x = malloc(n * sizeof(double));
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j <= i; j++) {
                double v = 0;
                for (size_t k = 0; k < n; k++) v += sin((double)(i + 1) * (double)(k + 2)) * sin((double)(j + 1) * (double)(k + 2));
                a[i * n + j] = a[j * n + i] = v + (i == j ? 0.5 : 0.0);
            }
        memcpy(ref, a, n * n * sizeof(double));
        ck_assert_int_eq(LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)n, ref, (lapack_int)n), 0);
        for (int level = 0; level <= vs__fa_trd_best_level(); level++) {
            t.level = level;
            memcpy(u, a, n * n * sizeof(double));
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < i; j++) u[i * n + j] = -7.0;
            ck_assert_ok(vs__fa_chol(&t, u, n));
            double nrm = frob(a, n);
            for (size_t i = 0; i < n; i++)
                for (size_t j = i; j < n; j++) {
                    ck_assert_msg(fabs(u[i * n + j] - ref[i * n + j]) <= 1e-12 * sqrt(nrm),
                                  "n=%zu level %d: U[%zu][%zu] %.17g, dpotrf %.17g", n, level, i, j, u[i * n + j],
                                  ref[i * n + j]);
                    if (j > i) ck_assert_double_eq(u[j * n + i], -7.0);
                }
            double *inv = malloc(n * n * sizeof(double));
            memcpy(inv, ref, n * n * sizeof(double));
            ck_assert_int_eq(LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'U', (lapack_int)n, inv, (lapack_int)n), 0);
            vs__fa_chol_inv_diag(&t, d, u, s, n);
            for (size_t i = 0; i < n; i++)
                ck_assert_msg(fabs(d[i] - inv[i * n + i]) <= 1e-10 * fabs(inv[i * n + i]),
                              "n=%zu level %d: (A^-1)_%zu %.17g, dpotri %.17g", n, level, i, d[i], inv[i * n + i]);
            for (size_t i = 0; i < n; i++) b[i] = x[i] = cos((double)i);
            vs__fa_chol_solve(&t, u, n, x);
            for (size_t i = 0; i < n; i++) {
                double r = -b[i];
                for (size_t j = 0; j < n; j++) r += a[i * n + j] * x[j];
                ck_assert_msg(fabs(r) <= 1e-10 * nrm, "n=%zu level %d: residual %g", n, level, r);
            }
            free(inv);
        }
        free(a);
        free(u);
        free(s);
        free(ref);
        free(d);
        free(b);
        free(x);
    }
    /* not positive definite: an indefinite matrix, a zero pivot, a NaN */
    double m1[9] = {1, 2, 0, 2, 1, 0, 0, 0, 1}, m2[4] = {0, 0, 0, 1}, m3[4] = {1, NAN, NAN, 1};
    ck_assert_status(vs__fa_chol(&t, m1, 3), VS_ENUMERIC);
    ck_assert_status(vs__fa_chol(&t, m2, 2), VS_ENUMERIC);
    ck_assert_status(vs__fa_chol(&t, m3, 2), VS_ENUMERIC);
    vs__fa_trd_free(&t);
}
END_TEST

/* the resampler's index stream, one index at a time, by its definition (parallel_fit.c): 64-bit
 * draws cut into 16-bit (n <= 2^16) or 32-bit pieces, low first; piece x gives x n >> bits unless
 * the low bits of x n are below 2^bits mod n (rejected); pieces carry over between columns */
typedef struct ref_src {
    vs__rng *g;
    uint64_t n, buf;
    unsigned bits;
    int left;
} ref_src;

static uint32_t ref_next(ref_src *s) {
    uint64_t mask = (UINT64_C(1) << s->bits) - 1, thresh = ((UINT64_C(1) << s->bits) - s->n) % s->n;
    for (;;) {
        if (s->left == 0) {
            s->buf = vs__rng_next(s->g);
            s->left = (int)(64 / s->bits);
        }
        uint64_t x = s->buf & mask;
        s->buf >>= s->bits;
        s->left--;
        uint64_t m = x * s->n;
        if ((m & mask) >= thresh) return (uint32_t)(m >> s->bits);
    }
}

START_TEST(test_resample_stream) {
    /* vs__fa_resample_cor's columns are x[idx] - mean for exactly this stream and r their
     * correlations: sizes below one draw's pieces, across the 1024-index blocks, n mod 4 != 0,
     * 32-bit pieces */
    static const size_t sizes[][2] = {{5, 3}, {6, 4}, {1030, 3}, {4099, 2}, {70001, 2}};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t n = sizes[c][0], p = sizes[c][1];
        double *xc = malloc(n * p * sizeof(double)), *s = malloc(n * p * sizeof(double)), *r = malloc(p * p * sizeof(double));
        double *col = malloc(n * sizeof(double)), *norms = malloc(p * sizeof(double));
        vs__rng g0, g1;
        vs__rng_seed(&g0, 21, c);
        for (size_t i = 0; i < n * p; i++) xc[i] = vs__rng_normal(&g0) * (1.0 + (double)(i % 7));
        vs__rng_seed(&g0, 22, c);
        vs__rng_seed(&g1, 22, c);
        ck_assert_ok(vs__fa_resample_cor(r, s, xc, n, p, &g0, "test"));
        ref_src src = {&g1, n, 0, n <= 0x10000 ? 16u : 32u, 0};
        for (size_t j = 0; j < p; j++) {
            double m = 0, ss = 0;
            for (size_t t = 0; t < n; t++) {
                col[t] = xc[j * n + ref_next(&src)];
                m += col[t];
            }
            m /= (double)n;
            for (size_t t = 0; t < n; t++) ss += (col[t] - m) * (col[t] - m);
            for (size_t t = 0; t < n; t++)
                ck_assert_msg(fabs(s[j * n + t] - (col[t] - m)) <= 1e-13 * sqrt(ss / (double)n),
                              "n=%zu column %zu row %zu: %.17g, expected %.17g", n, j, t, s[j * n + t], col[t] - m);
            norms[j] = sqrt(ss);
        }
        /* and r is their correlation matrix */
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++) {
                double cij = 0;
                for (size_t t = 0; t < n; t++) cij += s[i * n + t] * s[j * n + t];
                ck_assert_near(r[i * p + j], i == j ? 1.0 : cij / (norms[i] * norms[j]), 1e-13);
            }
        /* both streams are at the same place afterwards */
        ck_assert_uint_eq(vs__rng_next(&g0), vs__rng_next(&g1));
        free(xc);
        free(s);
        free(r);
        free(col);
        free(norms);
    }
}
END_TEST

START_TEST(test_alloc_failure) {
    /* the kernels' workspace and parallel analysis' per-thread workspace */
    vs__rng g;
    vs__rng_seed(&g, 15, 0);
    size_t n = 12;
    double a[144], w[12], pc[12], fav[12];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = i == j ? 1.0 : 0.3 + 0.01 * vs__rng_uniform(&g);
    vs_test_alloc_install();
    int ok = 0;
    for (long k = 1; k < 200 && !ok; k++) {
        vs_test_alloc_fail_at(k);
        vs__fa_trd t;
        vs__fa_par_ws ws;
        int rc = vs__fa_trd_init(&t, n);
        if (rc == VS_OK) {
            rc = vs__fa_trd_values(&t, w, a, NULL);
            vs__fa_trd_free(&t);
        }
        if (rc == VS_OK) {
            rc = vs__fa_par_ws_init(&ws, n);
            if (rc == VS_OK) {
                rc = vs__fa_par_values(&ws, pc, fav, a, VS_FA_MINRES);
                vs__fa_par_ws_free(&ws);
            }
        }
        if (vs_test_alloc_failed()) {
            ck_assert_msg(rc == VS_ENOMEM, "allocation %ld failed but status %s", k, vs_status_name(rc));
        } else {
            ck_assert_ok(rc);
            ok = 1;
        }
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    }
    vs_test_alloc_uninstall();
    ck_assert(ok);
    ck_assert_double_gt(pc[0], fav[0]); /* the reduced matrix has communalities below 1 on its diagonal */
}
END_TEST

Suite *fa_tridiag_suite(void);
Suite *fa_tridiag_suite(void) {
    Suite *s = suite_create("fa_tridiag");
    TCase *tc = tcase_create("kernels");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_values_hand);
    tcase_add_test(tc, test_values_random);
    tcase_add_test(tc, test_values_clustered);
    tcase_add_test(tc, test_values_diag_argument);
    tcase_add_test(tc, test_cholesky);
    tcase_add_test(tc, test_resample_stream);
    tcase_add_test(tc, test_alloc_failure);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(fa_tridiag_suite()); }
