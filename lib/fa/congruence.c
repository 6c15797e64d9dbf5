/* Tucker's congruence coefficients between two loading matrices (psych::factor.congruence), with
 * an optional orthogonal Procrustes rotation of B onto A first and an optional matching of B's
 * columns to A's (the assignment with the largest sum of |congruence|, then reflections). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fa/fa_internal.h"

static void congruence(double *c, const double *a, const double *b, size_t p, size_t ka, size_t kb) {
    for (size_t i = 0; i < ka; i++)
        for (size_t j = 0; j < kb; j++) {
            double ab = 0, aa = 0, bb = 0;
            for (size_t v = 0; v < p; v++) {
                ab += a[v * ka + i] * b[v * kb + j];
                aa += a[v * ka + i] * a[v * ka + i];
                bb += b[v * kb + j] * b[v * kb + j];
            }
            c[i * kb + j] = ab / sqrt(aa * bb);
        }
}

/* Hungarian algorithm (shortest augmenting paths with potentials) on the n x n cost matrix w
 * (row-major, minimised): col_of_row[i] = the column assigned to row i. u, v: n + 1; way, minv,
 * used, row_of: n + 1 scratch. */
static void hungarian(size_t *col_of_row, const double *w, size_t n, double *u, double *v, double *minv,
                      size_t *row_of, size_t *way, unsigned char *used) {
    for (size_t i = 0; i <= n; i++) u[i] = v[i] = 0, row_of[i] = 0;
    for (size_t i = 1; i <= n; i++) {
        row_of[0] = i;
        size_t j0 = 0;
        for (size_t j = 0; j <= n; j++) minv[j] = INFINITY, used[j] = 0;
        do {
            used[j0] = 1;
            size_t i0 = row_of[j0], j1 = 0;
            double delta = INFINITY;
            for (size_t j = 1; j <= n; j++) {
                if (used[j]) continue;
                double cur = w[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
                if (cur < minv[j]) minv[j] = cur, way[j] = j0;
                if (minv[j] < delta) delta = minv[j], j1 = j;
            }
            for (size_t j = 0; j <= n; j++) {
                if (used[j]) u[row_of[j]] += delta, v[j] -= delta;
                else minv[j] -= delta;
            }
            j0 = j1;
        } while (row_of[j0] != 0);
        do {
            size_t j1 = way[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
        } while (j0);
    }
    for (size_t j = 1; j <= n; j++)
        if (row_of[j]) col_of_row[row_of[j] - 1] = j - 1;
}

/* order[] of B's columns: those matched to A's columns 0.., then the unmatched in their order;
 * partner[j]: the A column matched to order[j], SIZE_MAX when none */
static int match_columns(size_t *order, size_t *partner, const double *c, size_t ka, size_t kb) {
    size_t n = ka > kb ? ka : kb;
    double *w = vs__malloc((n * n + 3 * (n + 1)) * sizeof(double));
    size_t *idx = vs__malloc((3 * (n + 1)) * sizeof(size_t));
    unsigned char *used = vs__malloc(n + 1);
    if (!w || !idx || !used) {
        vs__free(w);
        vs__free(idx);
        vs__free(used);
        return vs__nomem("vs_fa_congruence");
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) w[i * n + j] = i < ka && j < kb ? -fabs(c[i * kb + j]) : 0;
    size_t *col = idx, *row_of = col + n + 1, *way = row_of + n + 1;
    hungarian(col, w, n, w + n * n, w + n * n + n + 1, w + n * n + 2 * (n + 1), row_of, way, used);
    size_t m = 0;
    memset(used, 0, n + 1);
    for (size_t i = 0; i < ka; i++)
        if (col[i] < kb) partner[m] = i, order[m++] = col[i], used[col[i]] = 1;
    for (size_t j = 0; j < kb; j++)
        if (!used[j]) partner[m] = SIZE_MAX, order[m++] = j;
    vs__free(w);
    vs__free(idx);
    vs__free(used);
    return VS_OK;
}

int vs_fa_congruence(double *out, size_t *out_order, double *out_sign, const double *a, const double *b, size_t p,
                     size_t ka, size_t kb, int flags) {
    static const char *where = "vs_fa_congruence";
    if (!out || !a || !b) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (flags & ~(VS_FA_CONGRUENCE_MATCH | VS_FA_CONGRUENCE_PROCRUSTES))
        return vs__error(VS_EINVAL, "%s: unknown flags 0x%x", where, (unsigned)flags);
    if (p == 0 || ka == 0 || kb == 0) return vs__error(VS_ERANGE, "%s: empty loading matrix", where);
    if ((flags & VS_FA_CONGRUENCE_PROCRUSTES) && ka != kb)
        return vs__error(VS_EMISMATCH, "%s: Procrustes rotation needs as many factors in B (%zu) as in A (%zu)",
                         where, kb, ka);
    for (size_t i = 0; i < p * ka; i++)
        if (!isfinite(a[i])) return vs__error(VS_EINVAL, "%s: non-finite loading in A", where);
    for (size_t i = 0; i < p * kb; i++)
        if (!isfinite(b[i])) return vs__error(VS_EINVAL, "%s: non-finite loading in B", where);
    for (int m = 0; m < 2; m++) {
        size_t kc = m ? kb : ka;
        const double *x = m ? b : a;
        for (size_t j = 0; j < kc; j++) {
            double s = 0;
            for (size_t v = 0; v < p; v++) s += x[v * kc + j] * x[v * kc + j];
            if (!(s > 0))
                return vs__error(VS_EUNDEFINED, "%s: column %zu of %s is all zero (its congruence is 0/0)", where,
                                 j + 1, m ? "B" : "A");
        }
    }
    size_t kk = ka > kb ? ka : kb;
    double *buf = vs__malloc((p * kb + 2 * ka * kb + 3 * kk * kk) * sizeof(double));
    size_t *order = vs__malloc(2 * kb * sizeof(size_t)), *partner = order + kb;
    if (!buf || !order) {
        vs__free(buf);
        vs__free(order);
        return vs__nomem(where);
    }
    double *bb = buf, *c = bb + p * kb, *c2 = c + ka * kb, *t = c2 + ka * kb, *btb = t + kk * kk;
    int rc = VS_OK;
    memcpy(bb, b, p * kb * sizeof(double));
    if (flags & VS_FA_CONGRUENCE_PROCRUSTES) {
        double sv;
        vs__fa_mtm(btb, b, a, p, kb, ka); /* B'A */
        rc = vs__fa_polar_small(t, &sv, btb, kb);
        if (rc != VS_OK) rc = vs__error(VS_ENUMERIC, "%s: the SVD of B'A failed", where);
        else vs__fa_mm(bb, b, t, p, kb, kb);
    }
    if (rc == VS_OK) {
        congruence(c, a, bb, p, ka, kb);
        for (size_t j = 0; j < kb; j++) order[j] = j, partner[j] = SIZE_MAX;
        if (flags & VS_FA_CONGRUENCE_MATCH) rc = match_columns(order, partner, c, ka, kb);
    }
    if (rc == VS_OK) {
        for (size_t j = 0; j < kb; j++) {
            double sg = 1;
            if (partner[j] != SIZE_MAX && c[partner[j] * kb + order[j]] < 0) sg = -1;
            for (size_t i = 0; i < ka; i++) c2[i * kb + j] = sg * c[i * kb + order[j]];
            if (out_order) out_order[j] = order[j];
            if (out_sign) out_sign[j] = sg;
        }
        memcpy(out, c2, ka * kb * sizeof(double));
    }
    vs__free(buf);
    vs__free(order);
    return rc;
}
