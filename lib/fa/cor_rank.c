/* Rank correlations of raw data as R's cor(x, use, method = "spearman" / "kendall") (what psych's
 * fa(cor = "spearman" / "kendall") calls): with listwise deletion (or no missing value) each column
 * of the complete rows is ranked once (ties get their average rank); with pairwise deletion each
 * pair is ranked on the rows where both values are present, as R does. Spearman = Pearson
 * correlation of the ranks; Kendall = tau-b, sum sign(dx) sign(dy) / sqrt(sum sign(dx)^2 sum sign(dy)^2)
 * over all pairs of rows (O(n^2) per pair of variables, as R). The data were validated by the
 * Pearson pass (finite or NaN, enough rows in common, no constant column). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"

typedef struct idx_val {
    double v;
    size_t i;
} idx_val;

static int cmp_iv(const void *a, const void *b) {
    const idx_val *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i; /* deterministic */
}

/* average ranks (1-based) of v[0..n) into out; s: scratch of n */
static void rank_avg(double *out, const double *v, size_t n, idx_val *s) {
    for (size_t t = 0; t < n; t++) {
        s[t].v = v[t];
        s[t].i = t;
    }
    qsort(s, n, sizeof *s, cmp_iv);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && s[b].v == s[a].v) b++;
        double r = 0.5 * (double)(a + 1 + b); /* mean of a+1 .. b */
        for (size_t t = a; t < b; t++) out[s[t].i] = r;
        a = b;
    }
}

static double spearman(const double *a, const double *b, size_t n) {
    double ma = 0, mb = 0;
    for (size_t t = 0; t < n; t++) {
        ma += a[t];
        mb += b[t];
    }
    ma /= (double)n;
    mb /= (double)n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t t = 0; t < n; t++) {
        double u = a[t] - ma, v = b[t] - mb;
        sab += u * v;
        saa += u * u;
        sbb += v * v;
    }
    return sab / sqrt(saa * sbb);
}

static double kendall(const double *a, const double *b, size_t n) {
    double s = 0, sa = 0, sb = 0;
    for (size_t t = 1; t < n; t++)
        for (size_t u = 0; u < t; u++) {
            double da = a[t] - a[u], db = b[t] - b[u];
            double xa = (da > 0) - (da < 0), xb = (db > 0) - (db < 0);
            s += xa * xb;
            sa += xa * xa;
            sb += xb * xb;
        }
    return s / (sqrt(sa) * sqrt(sb));
}

int vs__fa_cor_rank(double *r, const double *x, size_t rows, size_t p, int missing, int use_kendall,
                    const char *where) {
    size_t nmiss = 0;
    for (size_t i = 0; i < rows * p; i++) nmiss += isnan(x[i]) != 0;
    int listwise = !nmiss || missing == VS_FA_LISTWISE;
    double *buf = vs__malloc(((listwise ? p : 2) * rows + 2 * rows) * sizeof(double));
    idx_val *s = vs__malloc(rows * sizeof *s);
    size_t *keep = vs__malloc(rows * sizeof *keep);
    if (!buf || !s || !keep) {
        vs__free(buf);
        vs__free(s);
        vs__free(keep);
        return vs__nomem(where);
    }
    int rc = VS_OK;
    if (listwise) {
        size_t n = 0;
        for (size_t t = 0; t < rows; t++) {
            int ok = 1;
            for (size_t j = 0; j < p && ok; j++) ok = !isnan(x[t * p + j]);
            if (ok) keep[n++] = t;
        }
        double *rk = buf, *col = buf + p * rows;
        for (size_t j = 0; j < p; j++) {
            for (size_t u = 0; u < n; u++) col[u] = x[keep[u] * p + j];
            rank_avg(rk + j * n, col, n, s);
        }
        for (size_t i = 0; i < p; i++) {
            r[i * p + i] = 1.0;
            for (size_t j = 0; j < i; j++) {
                double c = use_kendall ? kendall(rk + i * n, rk + j * n, n) : spearman(rk + i * n, rk + j * n, n);
                r[i * p + j] = r[j * p + i] = c;
            }
        }
    } else {
        double *ra = buf, *rb = buf + rows, *ca = rb + rows, *cb = ca + rows;
        for (size_t i = 0; i < p; i++) {
            r[i * p + i] = 1.0;
            for (size_t j = 0; j < i; j++) {
                size_t n = 0;
                for (size_t t = 0; t < rows; t++)
                    if (!isnan(x[t * p + i]) && !isnan(x[t * p + j])) {
                        ca[n] = x[t * p + i];
                        cb[n] = x[t * p + j];
                        n++;
                    }
                rank_avg(ra, ca, n, s);
                rank_avg(rb, cb, n, s);
                double c = use_kendall ? kendall(ra, rb, n) : spearman(ra, rb, n);
                r[i * p + j] = r[j * p + i] = c;
            }
        }
    }
    for (size_t i = 0; i < p && rc == VS_OK; i++)
        for (size_t j = 0; j < i; j++)
            if (!isfinite(r[i * p + j])) {
                rc = vs__error(VS_EUNDEFINED, "%s: columns %zu and %zu: the %s correlation is undefined (no variation on their common rows)",
                               where, j + 1, i + 1, use_kendall ? "kendall" : "spearman");
                break;
            }
    vs__free(buf);
    vs__free(s);
    vs__free(keep);
    return rc;
}
