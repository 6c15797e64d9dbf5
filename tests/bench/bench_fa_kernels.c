/* The fa module's hand kernels against the LAPACK / BLAS calls they stand in for, on whatever
 * libblas.so.3 / liblapack.so.3 the loader finds (run_bench_fa_kernels.sh runs it on Debian's
 * reference BLAS and on OpenBLAS, one thread):
 *   eigenvalues   vs__fa_trd_values (kernels.c)  vs LAPACKE_dsyevd('N')
 *   top eigenpair vs__fa_trd_top                 vs LAPACKE_dsyevr('V', 'I', one eigenpair)
 *   Cholesky      vs__fa_chol                    vs LAPACKE_dpotrf
 *   X'X (n=5000)  vs__fa_crossprod (AVX tiles)   vs dsyrk (the Fortran symbol: cblas_dsyrk would
 *                 bind to GSL's libgslcblas, which pkg-config's gsl flags link first)
 *   bench_fa_kernels ["P LIST"]
 * Prints best-of-reps times and hand / library ratios (> 1: the library is faster). */
#define _POSIX_C_SOURCE 200809L
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fa/fa_internal.h"

/* BLAS dsyrk, Fortran interface (hidden string lengths last) */
extern void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha,
                   const double *a, const int *lda, const double *beta, double *c, const int *ldc, size_t lu,
                   size_t lt);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rs = 88172645463325252ULL;
static double unif(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) * (1.0 / 9007199254740992.0);
}

#define BEST(var, reps, stmt)                                                                                    \
    do {                                                                                                         \
        var = INFINITY;                                                                                          \
        for (int rep_ = 0; rep_ < (reps); rep_++) {                                                              \
            double t0_ = now();                                                                                  \
            stmt;                                                                                                \
            double t_ = now() - t0_;                                                                             \
            if (t_ < var) var = t_;                                                                              \
        }                                                                                                        \
    } while (0)

int main(int argc, char **argv) {
    const char *plist = argc > 1 ? argv[1] : "25 50 100 300 1000";
    size_t n = 5000;
    printf("%6s %-13s %12s %12s %8s\n", "p", "kernel", "hand s", "library s", "hand/lib");
    for (const char *s = plist; *s;) {
        char *e;
        size_t p = strtoul(s, &e, 10);
        if (e == s) break;
        s = e;
        while (*s == ' ') s++;
        /* data: n x p column-major with a few factors; R its correlation matrix */
        double *x = malloc(n * p * sizeof(double)), *r = malloc(p * p * sizeof(double));
        double *a = malloc(p * p * sizeof(double)), *w = malloc(p * sizeof(double));
        double *z = malloc(p * sizeof(double)), *r2 = malloc(p * p * sizeof(double));
        for (size_t t = 0; t < n; t++) {
            double f[3] = {unif() - .5, unif() - .5, unif() - .5};
            for (size_t j = 0; j < p; j++) x[j * n + t] = f[j % 3] + (unif() - .5);
        }
        for (size_t j = 0; j < p; j++) {
            double m = 0, ss = 0;
            for (size_t t = 0; t < n; t++) m += x[j * n + t];
            m /= (double)n;
            for (size_t t = 0; t < n; t++) ss += (x[j * n + t] - m) * (x[j * n + t] - m);
            for (size_t t = 0; t < n; t++) x[j * n + t] = (x[j * n + t] - m) / sqrt(ss);
        }
        vs__fa_crossprod(r, x, n, p);
        int reps = p <= 100 ? 200 : p <= 300 ? 20 : 3;
        vs__fa_trd trd;
        if (vs__fa_trd_init(&trd, p) != VS_OK) return 1;
        double th, tl;
        BEST(th, reps, vs__fa_trd_values(&trd, w, r, NULL));
        BEST(tl, reps, (memcpy(a, r, p * p * sizeof(double)),
                        LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)p, a, (lapack_int)p, w)));
        printf("%6zu %-13s %12.6f %12.6f %8.2f\n", p, "eigenvalues", th, tl, th / tl);
        double lam;
        BEST(th, reps, vs__fa_trd_top(&trd, &lam, z, r, NULL));
        lapack_int m, isupp[2];
        BEST(tl, reps, (memcpy(a, r, p * p * sizeof(double)),
                        LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'U', (lapack_int)p, a, (lapack_int)p, 0, 0,
                                       (lapack_int)p, (lapack_int)p, 0, &m, w, r2, (lapack_int)p, isupp)));
        printf("%6zu %-13s %12.6f %12.6f %8.2f\n", p, "top eigenpair", th, tl, th / tl);
        BEST(th, reps, (memcpy(a, r, p * p * sizeof(double)), vs__fa_chol(&trd, a, p)));
        BEST(tl, reps, (memcpy(a, r, p * p * sizeof(double)),
                        LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)p, a, (lapack_int)p)));
        printf("%6zu %-13s %12.6f %12.6f %8.2f\n", p, "Cholesky", th, tl, th / tl);
        int creps = p <= 100 ? 20 : p <= 300 ? 5 : 2;
        BEST(th, creps, vs__fa_crossprod(r2, x, n, p));
        int ip = (int)p, in = (int)n;
        double one = 1, zero = 0;
        BEST(tl, creps, dsyrk_("U", "T", &ip, &in, &one, x, &in, &zero, a, &ip, 1, 1));
        printf("%6zu %-13s %12.6f %12.6f %8.2f\n", p, "X'X n=5000", th, tl, th / tl);
        vs__fa_trd_free(&trd);
        free(x);
        free(r);
        free(a);
        free(w);
        free(z);
        free(r2);
    }
    return 0;
}
