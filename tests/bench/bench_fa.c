/* Benchmark of the fa module, side by side with R's psych::fa (see run_bench_fa.sh).
 *   bench_fa DATA.bin N P K [PSYCH_DIR]
 * DATA.bin holds N x P doubles (row-major, native endianness) written by the R side. For each of
 * minres/ml x varimax/oblimin the fit is timed (best of a few runs; correlation included, as
 * psych::fa is given raw data); when PSYCH_DIR has psych's loadings (<method>_<rotation>.bin,
 * P x K row-major) the largest loading difference is printed, and psych's time
 * (<method>_<rotation>.time) gives the ratio. Also the floor: one full eigendecomposition of
 * R (values only and with vectors) and the correlation matrix alone; and parallel analysis
 * (100 iterations) when P <= 300. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fa/fa_internal.h"
#include "valuespace.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double *read_bin(const char *path, size_t n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    double *v = malloc(n * sizeof(double));
    size_t got = fread(v, sizeof(double), n, f);
    fclose(f);
    if (got != n) {
        free(v);
        return NULL;
    }
    return v;
}

static double read_time(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NAN;
    double t = NAN;
    if (fscanf(f, "%lf", &t) != 1) t = NAN;
    fclose(f);
    return t;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: bench_fa DATA.bin N P K [PSYCH_DIR]\n");
        return 2;
    }
    size_t n = strtoul(argv[2], NULL, 10), p = strtoul(argv[3], NULL, 10), k = strtoul(argv[4], NULL, 10);
    const char *pdir = argc > 5 ? argv[5] : NULL;
    double *x = read_bin(argv[1], n * p);
    if (!x) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    int reps = p <= 300 ? 3 : 1;
    vs_fa_data *d = NULL;
    double t0 = now();
    if (vs_fa_data_from_raw(&d, x, n, p, VS_FA_PAIRWISE) != VS_OK) {
        fprintf(stderr, "data: %s\n", vs_last_error());
        return 1;
    }
    double tcor = now() - t0;
    /* the floor: full eigendecompositions of R */
    vs__fa_eig e;
    vs__fa_eig_init(&e, p);
    t0 = now();
    vs__fa_eig_top(&e, d->r, p, 0);
    double tval = now() - t0;
    t0 = now();
    vs__fa_eig_top(&e, d->r, p, 1);
    double tvec = now() - t0;
    t0 = now();
    vs__fa_eig_top(&e, d->r, k, 1);
    double ttop = now() - t0;
    vs__fa_eig_free(&e);
    printf("p=%zu n=%zu k=%zu: correlation %.3f s; eigen of R: values %.3f s, vectors %.3f s, top-%zu %.3f s\n", p, n,
           k, tcor, tval, tvec, k, ttop);
    static const char *methods[] = {"minres", "ml"}, *rots[] = {"varimax", "oblimin"};
    for (int mi = 0; mi < 2; mi++)
        for (int ri = 0; ri < 2; ri++) {
            vs_fa *fa;
            vs_fa_create(&fa);
            vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, (int64_t)k);
            vs_fa_set_str(fa, VS_FA_OPT_METHOD, methods[mi]);
            vs_fa_set_str(fa, VS_FA_OPT_ROTATION, rots[ri]);
            double best = INFINITY;
            vs_fa_result *res = NULL;
            for (int r = 0; r < reps; r++) {
                vs_fa_result_free(res);
                res = NULL;
                double t1 = now();
                vs_fa_data *dd = NULL;
                int rc = vs_fa_data_from_raw(&dd, x, n, p, VS_FA_PAIRWISE);
                if (rc == VS_OK) rc = vs_fa_fit(&res, fa, dd);
                double t = now() - t1;
                vs_fa_data_free(dd);
                if (rc != VS_OK) {
                    printf("  %s/%s: %s\n", methods[mi], rots[ri], vs_last_error());
                    break;
                }
                if (t < best) best = t;
            }
            if (!res) {
                vs_fa_free(fa);
                continue;
            }
            double iters, conv;
            vs_fa_result_scalar(&iters, res, VS_FA_STAT_ITERATIONS);
            vs_fa_result_scalar(&conv, res, VS_FA_STAT_CONVERGED);
            double diff = NAN, tr = NAN;
            if (pdir) {
                char path[1024];
                snprintf(path, sizeof path, "%s/%s_%s.bin", pdir, methods[mi], rots[ri]);
                double *pl = read_bin(path, p * k);
                if (pl) {
                    double *l = malloc(p * k * sizeof(double));
                    size_t need;
                    vs_fa_result_get(&need, res, VS_FA_LOADINGS, l, p * k);
                    diff = 0;
                    for (size_t i = 0; i < p * k; i++)
                        if (fabs(l[i] - pl[i]) > diff) diff = fabs(l[i] - pl[i]);
                    free(l);
                    free(pl);
                }
                snprintf(path, sizeof path, "%s/%s_%s.time", pdir, methods[mi], rots[ri]);
                tr = read_time(path);
            }
            printf("  %-6s %-7s ours %8.3f s (%3.0f iterations%s)  psych %8.3f s  ratio %6.1fx  max |dL| %.2g\n",
                   methods[mi], rots[ri], best, iters, conv == 1 ? "" : ", not converged", tr, tr / best, diff);
            vs_fa_result_free(res);
            vs_fa_free(fa);
        }
    if (p <= 300 && getenv("BENCH_PARALLEL")) {
        vs_fa *fa;
        vs_fa_create(&fa);
        vs_fa_set_int(fa, VS_FA_OPT_PARALLEL_ITER, 100);
        vs_fa_set_int(fa, VS_FA_OPT_THREADS, 2);
        double *buf = malloc(6 * p * sizeof(double));
        size_t nf, nc, need;
        int rc = VS_OK;
        double t = INFINITY;
        for (int rep = 0; rep < 3 && rc == VS_OK; rep++) { /* best of 3, as the fits */
            double t1 = now();
            rc = vs_fa_parallel(&nf, &nc, &need, fa, d, buf, 6 * p);
            if (now() - t1 < t) t = now() - t1;
        }
        char path[1024];
        double tr = NAN;
        if (pdir) {
            snprintf(path, sizeof path, "%s/parallel.time", pdir);
            tr = read_time(path);
        }
        printf("  parallel analysis (100 iterations): ours %.3f s (%s, %zu factors, %zu components)  psych %.3f s  ratio %.1fx\n",
               t, rc == VS_OK ? "ok" : vs_last_error(), nf, nc, tr, tr / t);
        free(buf);
        vs_fa_free(fa);
    }
    vs_fa_data_free(d);
    free(x);
    return 0;
}
