/* Rotation driver: dispatch, Kaiser normalisation defaults as psych (varimax and promax
 * normalised, GPArotation's rotations not), optional random starts for the criterion rotations
 * (best criterion kept), then psych's sign (column sums positive) and order (decreasing
 * diag(Phi L'L)) conventions applied to pattern, Phi and the rotation matrix.
 *
 * A start from an orthogonal T0 is run as the identity start on A T0: both the SVD iteration of
 * stats::varimax and gradient projection (GPForth, and GPFoblq, whose T keeps unit columns) then
 * produce T0' times the iterates from T0 (same criterion values, gradient norms and step sizes),
 * and the rotation matrix of A is T0 times that of A T0. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

static void identity(double *t, size_t k) {
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) t[i * k + j] = i == j ? 1.0 : 0.0;
}

int vs__fa_rotation_oblique(int64_t rot) {
    return rot == VS_FA_ROT_PROMAX || rot == VS_FA_ROT_OBLIMIN || rot == VS_FA_ROT_QUARTIMIN ||
           rot == VS_FA_ROT_GEOMIN_Q || rot == VS_FA_ROT_BENTLER_Q || rot == VS_FA_ROT_TARGET_Q ||
           rot == VS_FA_ROT_SIMPLIMAX || rot == VS_FA_ROT_BIQUARTIMIN || rot == VS_FA_ROT_PROMAX_PLAIN;
}

/* Kaiser normalisation in effect for a criterion rotation */
static int kaiser_on(const vs__fa_rotate *r) {
    return r->rotation == VS_FA_ROT_VARIMAX ? r->normalize != 0 : r->normalize == 1;
}

static double kappa_of(const vs__fa_rotate *r) {
    return r->rotation == VS_FA_ROT_EQUAMAX ? (double)r->k / (2.0 * (double)r->p) : 0;
}

static int rotate_core(vs__fa_rotate *r) {
    size_t p = r->p, k = r->k, pk = p * k, kk = k * k;
    double eps = r->tight ? 1e-8 : 1e-5;
    int64_t max_iter = r->max_iter;
    identity(r->phi, k);
    identity(r->rotmat, k);
    r->converged = 1;
    r->iterations = 0;
    if (k < 2 || r->rotation == VS_FA_ROT_NONE) {
        memcpy(r->loadings, r->a, pk * sizeof(double));
        return VS_OK;
    }
    if (r->rotation == VS_FA_ROT_PROMAX) return vs__fa_promax(r, r->normalize != 0, r->tight ? 1e-15 : 1e-5, max_iter);
    if (r->rotation == VS_FA_ROT_PROMAX_PLAIN)
        return vs__fa_promax(r, r->normalize == 1, r->tight ? 1e-15 : 1e-5, max_iter);
    if (r->rotation == VS_FA_ROT_VARIMAX && !r->tight)
        return vs__fa_varimax(r->a, p, k, r->normalize != 0, eps, max_iter, r->loadings, r->rotmat,
                              &r->converged, &r->iterations);
    /* GPA family (and tight varimax): optional Kaiser normalisation */
    int norm = kaiser_on(r);
    double *buf = vs__malloc((pk + p + 3 * kk) * sizeof(double));
    if (!buf) return vs__nomem("vs_fa_fit");
    double *a = buf, *wt = a + pk, *t = wt + p, *scr = t + kk;
    for (size_t i = 0; i < p; i++) {
        double s = 1;
        if (norm) {
            s = 0;
            for (size_t j = 0; j < k; j++) s += r->a[i * k + j] * r->a[i * k + j];
            s = s > 0 ? sqrt(s) : 1;
        }
        wt[i] = s;
        for (size_t j = 0; j < k; j++) a[i * k + j] = r->a[i * k + j] / s;
    }
    int oblique = vs__fa_rotation_oblique(r->rotation);
    double kappa = kappa_of(r);
    int rc = vs__fa_gpa(r, a, r->loadings, t, oblique, kappa, eps, max_iter, &r->converged,
                        &r->iterations);
    if (rc == VS_OK) {
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++) r->loadings[i * k + j] *= wt[i];
        if (oblique) {
            vs__fa_mtm(r->phi, t, t, k, k, k);
            double *inv = scr; /* k x k, scratch after it */
            double *tmp = vs__malloc(2 * kk * sizeof(double));
            if (!tmp) {
                rc = vs__nomem("vs_fa_fit");
            } else {
                if (vs__fa_inverse_small(inv, t, k, tmp) != VS_OK)
                    rc = vs__error(VS_ENUMERIC, "vs_fa_fit: singular oblique rotation");
                else
                    for (size_t i = 0; i < k; i++)
                        for (size_t j = 0; j < k; j++) r->rotmat[i * k + j] = inv[j * k + i];
                vs__free(tmp);
            }
        } else {
            memcpy(r->rotmat, t, kk * sizeof(double));
        }
    }
    vs__free(buf);
    return rc;
}

/* the criterion at pattern l (divided by the Kaiser weights, the row norms of r->a, when normalised) */
static int criterion_at(const vs__fa_rotate *r, const double *l, double *scratch, double *f) {
    size_t p = r->p, k = r->k;
    const double *x = l;
    if (kaiser_on(r)) {
        for (size_t i = 0; i < p; i++) {
            double s = 0;
            for (size_t j = 0; j < k; j++) s += r->a[i * k + j] * r->a[i * k + j];
            s = s > 0 ? sqrt(s) : 1;
            for (size_t j = 0; j < k; j++) scratch[i * k + j] = l[i * k + j] / s;
        }
        x = scratch;
    }
    return vs__fa_rotation_criterion(r, x, kappa_of(r), f);
}

/* a random orthogonal k x k matrix: Gram-Schmidt (twice) on the columns of a normal matrix */
static void random_orthogonal(double *t, size_t k, vs__rng *g) {
    for (size_t j = 0; j < k; j++) {
        for (;;) {
            for (size_t i = 0; i < k; i++) t[i * k + j] = vs__rng_normal(g);
            for (int pass = 0; pass < 2; pass++)
                for (size_t c = 0; c < j; c++) {
                    double d = 0;
                    for (size_t i = 0; i < k; i++) d += t[i * k + c] * t[i * k + j];
                    for (size_t i = 0; i < k; i++) t[i * k + j] -= d * t[i * k + c];
                }
            double nn = 0;
            for (size_t i = 0; i < k; i++) nn += t[i * k + j] * t[i * k + j];
            nn = sqrt(nn);
            if (nn > 1e-8) {
                for (size_t i = 0; i < k; i++) t[i * k + j] /= nn;
                break;
            }
        }
    }
}

/* rng streams of the rotation starts: apart from the extraction's (1 .. starts - 1) */
#define ROTATE_STREAM0 (UINT64_C(0x526f74) << 32)

/* the identity start, then r->starts - 1 random ones; the lowest criterion kept */
static int rotate_starts(vs__fa_rotate *r) {
    r->criterion = NAN;
    r->best_start = 0;
    int rc = rotate_core(r);
    if (rc != VS_OK) return rc;
    size_t p = r->p, k = r->k, pk = p * k, kk = k * k;
    if (k < 2 || r->rotation == VS_FA_ROT_NONE || r->rotation == VS_FA_ROT_PROMAX ||
        r->rotation == VS_FA_ROT_PROMAX_PLAIN)
        return VS_OK;
    int64_t starts = r->starts > 1 ? r->starts : 1;
    double *buf = vs__malloc((3 * pk + 3 * kk) * sizeof(double));
    if (!buf) return vs__nomem("vs_fa_fit");
    double *scr = buf, *as = scr + pk, *ls = as + pk, *t0 = ls + pk, *phis = t0 + kk, *rms = phis + kk;
    double best = NAN;
    rc = criterion_at(r, r->loadings, scr, &best);
    double tol = r->tight ? 1e-12 : 1e-9;
    for (int64_t s = 1; s < starts && rc == VS_OK; s++) {
        vs__rng g;
        vs__rng_seed(&g, (uint64_t)r->seed, ROTATE_STREAM0 + (uint64_t)s);
        random_orthogonal(t0, k, &g);
        vs__fa_mm(as, r->a, t0, p, k, k);
        vs__fa_rotate t = *r;
        t.a = as;
        t.loadings = ls;
        t.phi = phis;
        t.rotmat = rms;
        rc = rotate_core(&t);
        if (rc != VS_OK) break;
        double f;
        rc = criterion_at(r, ls, scr, &f);
        if (rc != VS_OK) break;
        if (f < best - tol * fabs(best)) {
            best = f;
            r->best_start = s;
            r->converged = t.converged;
            r->iterations = t.iterations;
            memcpy(r->loadings, ls, pk * sizeof(double));
            memcpy(r->phi, phis, kk * sizeof(double));
            vs__fa_mm(r->rotmat, t0, rms, k, k, k);
        }
    }
    if (rc == VS_OK) r->criterion = best;
    vs__free(buf);
    return rc;
}

int vs__fa_rotate_plain(vs__fa_rotate *r) { return rotate_starts(r); }

int vs__fa_rotate_run(vs__fa_rotate *r) {
    int rc = rotate_starts(r);
    if (rc != VS_OK) return rc;
    size_t p = r->p, k = r->k;
    for (size_t i = 0; i < p * k; i++)
        if (!isfinite(r->loadings[i])) return vs__error(VS_ENUMERIC, "vs_fa_fit: rotation produced non-finite loadings");
    /* signs */
    for (size_t j = 0; j < k; j++) {
        double s = 0;
        for (size_t i = 0; i < p; i++) s += r->loadings[i * k + j];
        if (s < 0) {
            for (size_t i = 0; i < p; i++) r->loadings[i * k + j] = -r->loadings[i * k + j];
            for (size_t i = 0; i < k; i++) {
                r->rotmat[i * k + j] = -r->rotmat[i * k + j];
                r->phi[i * k + j] = -r->phi[i * k + j];
                r->phi[j * k + i] = -r->phi[j * k + i];
            }
        }
    }
    if (k < 2) return VS_OK;
    /* order by decreasing diag(Phi L'L), stable */
    size_t kk = k * k;
    double *buf = vs__malloc((2 * kk + k + p * k + kk) * sizeof(double));
    size_t *ord = vs__malloc(k * sizeof(size_t));
    if (!buf || !ord) {
        vs__free(buf);
        vs__free(ord);
        return vs__nomem("vs_fa_fit");
    }
    double *ltl = buf, *pm = ltl + kk, *ev = pm + kk, *lc = ev + k, *tc = lc + p * k;
    vs__fa_mtm(ltl, r->loadings, r->loadings, p, k, k);
    vs__fa_mm(pm, r->phi, ltl, k, k, k);
    for (size_t j = 0; j < k; j++) {
        ev[j] = pm[j * k + j];
        ord[j] = j;
    }
    for (size_t i = 1; i < k; i++) { /* insertion sort: stable */
        size_t v = ord[i];
        size_t j = i;
        while (j > 0 && ev[ord[j - 1]] < ev[v]) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = v;
    }
    memcpy(lc, r->loadings, p * k * sizeof(double));
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++) r->loadings[i * k + j] = lc[i * k + ord[j]];
    memcpy(tc, r->rotmat, kk * sizeof(double));
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) r->rotmat[i * k + j] = tc[i * k + ord[j]];
    memcpy(tc, r->phi, kk * sizeof(double));
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) r->phi[i * k + j] = tc[ord[i] * k + ord[j]];
    vs__free(buf);
    vs__free(ord);
    return VS_OK;
}
