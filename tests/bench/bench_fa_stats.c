/* What the fit statistics cost, against the fit they belong to (issue: at most 10%).
 *   bench_fa_stats COR.csv N K [METHOD]...
 * COR.csv: a correlation matrix with a header row (as run_bench_fa_grid.sh writes). For each
 * method (default minres ml) the fit (vs_fa_fit with n = N: extraction, rotation, statistics,
 * score weights) is timed, then vs__fa_fit_stats alone on the fitted loadings (objective by
 * Woodbury, chi-square, RMSEA and its interval, TLI, BIC, RMSR), best of 5 each; prints both and
 * the share. Build: see run_bench_fa_stats.sh. */
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

static double *read_cor(const char *path, size_t *p) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = 0;
    char *s = strchr(buf, '\n');
    size_t cols = 1;
    for (char *c = buf; c < s; c++) cols += *c == ',';
    double *v = malloc(cols * cols * sizeof(double));
    size_t m = 0;
    for (char *c = s + 1; *c && m < cols * cols;) {
        char *e;
        v[m++] = strtod(c, &e);
        c = e;
        while (*c == ',' || *c == '\n' || *c == '\r') c++;
    }
    free(buf);
    if (m != cols * cols) {
        free(v);
        return NULL;
    }
    *p = cols;
    return v;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: bench_fa_stats COR.csv N K [METHOD]...\n");
        return 2;
    }
    size_t p = 0, k = strtoul(argv[3], NULL, 10);
    double n = strtod(argv[2], NULL);
    double *r = read_cor(argv[1], &p);
    if (!r) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    vs_fa_data *d = NULL;
    if (vs_fa_data_from_cor(&d, r, p, p, n) != VS_OK) {
        fprintf(stderr, "data: %s\n", vs_last_error());
        return 1;
    }
    static const char *def[] = {"minres", "ml"};
    int nm = argc > 4 ? argc - 4 : 2;
    const char **methods = argc > 4 ? (const char **)(argv + 4) : def;
    double *rinv = malloc(p * p * sizeof(double)), logdet = 0;
    memcpy(rinv, d->r, p * p * sizeof(double));
    int pd = vs__fa_spd_inverse(rinv, p, &logdet) == VS_OK;
    for (int mi = 0; mi < nm; mi++) {
        vs_fa *fa;
        vs_fa_create(&fa);
        vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, (int64_t)k);
        vs_fa_set_str(fa, VS_FA_OPT_METHOD, methods[mi]);
        vs_fa_set_str(fa, VS_FA_OPT_MODE, "psych");
        vs_fa_result *res = NULL;
        double tfit = INFINITY, tst = INFINITY;
        for (int rep = 0; rep < 5; rep++) {
            vs_fa_result_free(res);
            res = NULL;
            double t0 = now();
            if (vs_fa_fit(&res, fa, d) != VS_OK) {
                fprintf(stderr, "%s: %s\n", methods[mi], vs_last_error());
                return 1;
            }
            double t = now() - t0;
            if (t < tfit) tfit = t;
        }
        /* the statistics alone, from the rotated solution: L0 = L C with Phi = C C' gives the
         * same model L0 L0' = L Phi L' as the unrotated loadings */
        size_t need;
        double *l = malloc(p * k * sizeof(double)), *phi = malloc(k * k * sizeof(double));
        double *c = calloc(k * k, sizeof(double)), *l0 = malloc(p * k * sizeof(double));
        vs_fa_result_get(&need, res, VS_FA_LOADINGS, l, p * k);
        vs_fa_result_get(&need, res, VS_FA_PHI, phi, k * k);
        for (size_t i = 0; i < k; i++) /* Cholesky, lower: Phi = C C' */
            for (size_t j = 0; j <= i; j++) {
                double s = phi[i * k + j];
                for (size_t q = 0; q < j; q++) s -= c[i * k + q] * c[j * k + q];
                c[i * k + j] = i == j ? sqrt(s) : s / c[j * k + j];
            }
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++) {
                double s = 0;
                for (size_t q = j; q < k; q++) s += l[i * k + q] * c[q * k + j];
                l0[i * k + j] = s;
            }
        vs__fa_fitstats fs;
        for (int rep = 0; rep < 5; rep++) {
            double t0 = now();
            vs__fa_fit_stats(&fs, d, l, phi, l0, k, 0, 0.1, pd ? rinv : NULL, logdet);
            double t = now() - t0;
            if (t < tst) tst = t;
        }
        double st;
        vs_fa_result_scalar(&st, res, VS_FA_STAT_RMSEA_UPPER);
        printf("p=%zu k=%zu n=%.0f %-6s fit %.4f s, statistics %.5f s (%.1f%% of the fit; RMSEA %.5f [%.5f, %.5f], "
               "chi-square %.6g on %.0f df)\n",
               p, k, n, methods[mi], tfit, tst, 100 * tst / tfit, fs.rmsea, fs.rmsea_lower, fs.rmsea_upper,
               fs.chi_square, fs.df);
        if (fabs(st - fs.rmsea_upper) > 1e-9) printf("  (upper bound differs from the fit's: %.9g)\n", st);
        free(l);
        free(phi);
        free(c);
        free(l0);
        vs_fa_result_free(res);
        vs_fa_free(fa);
    }
    free(rinv);
    vs_fa_data_free(d);
    free(r);
    return 0;
}
