/* Gradient projection rotation (Jennrich 2001, 2002; Bernaards & Jennrich 2005) with the
 * stopping and step rules of GPArotation's GPForth/GPFoblq: start from the identity, step
 * doubled each iteration and halved up to 10 times until the criterion decreases by
 * 0.5 s^2 alpha, stop when the projected gradient norm s < eps. Criteria: quartimax, oblimin
 * (gamma), geomin (delta), Crawford-Ferguson (kappa; equamax), Bentler's invariant pattern
 * simplicity, varimax. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

typedef struct gpa_ws {
    size_t p, k;
    int crit;
    double gamma, delta, kappa;
    const double *target;    /* CRIT_TARGET */
    size_t simplimax_m;      /* CRIT_SIMPLIMAX */
    double *l2, *x, *colsum; /* p x k, p x k, k */
    double *m, *minv, *scr;  /* k x k each; scr 2 k^2 */
} gpa_ws;

enum { CRIT_QUARTIMAX, CRIT_OBLIMIN, CRIT_GEOMIN, CRIT_CF, CRIT_BENTLER, CRIT_VARIMAX, CRIT_TARGET, CRIT_SIMPLIMAX,
       CRIT_BIMIN };

/* criterion f at loadings l and its gradient gq = df/dl */
static int vgq(gpa_ws *w, const double *l, double *gq, double *f_out) {
    size_t p = w->p, k = w->k;
    double f = 0;
    switch (w->crit) {
    case CRIT_QUARTIMAX:
        for (size_t i = 0; i < p * k; i++) {
            double v = l[i] * l[i];
            f -= v * v;
            gq[i] = -v * l[i];
        }
        f /= 4;
        break;
    case CRIT_OBLIMIN: {
        /* X = L^2 (1 - I); X <- (I - gamma/p 11') X; Gq = L * X; f = sum(L^2 * X) / 4 */
        for (size_t i = 0; i < p; i++) {
            double rs = 0;
            for (size_t j = 0; j < k; j++) rs += l[i * k + j] * l[i * k + j];
            for (size_t j = 0; j < k; j++) w->x[i * k + j] = rs - l[i * k + j] * l[i * k + j];
        }
        if (w->gamma != 0) {
            for (size_t j = 0; j < k; j++) {
                double cs = 0;
                for (size_t i = 0; i < p; i++) cs += w->x[i * k + j];
                w->colsum[j] = cs * w->gamma / (double)p;
            }
            for (size_t i = 0; i < p; i++)
                for (size_t j = 0; j < k; j++) w->x[i * k + j] -= w->colsum[j];
        }
        for (size_t i = 0; i < p * k; i++) {
            gq[i] = l[i] * w->x[i];
            f += l[i] * l[i] * w->x[i];
        }
        f /= 4;
        break;
    }
    case CRIT_GEOMIN:
        for (size_t i = 0; i < p; i++) {
            double sl = 0;
            for (size_t j = 0; j < k; j++) sl += log(l[i * k + j] * l[i * k + j] + w->delta);
            double pro = exp(sl / (double)k);
            f += pro;
            for (size_t j = 0; j < k; j++)
                gq[i * k + j] = (2.0 / (double)k) * l[i * k + j] / (l[i * k + j] * l[i * k + j] + w->delta) * pro;
        }
        break;
    case CRIT_CF: {
        double kap = w->kappa, f1 = 0, f2 = 0;
        for (size_t j = 0; j < k; j++) w->colsum[j] = 0;
        for (size_t i = 0; i < p * k; i++) w->l2[i] = l[i] * l[i];
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++) w->colsum[j] += w->l2[i * k + j];
        for (size_t i = 0; i < p; i++) {
            double rs = 0;
            for (size_t j = 0; j < k; j++) rs += w->l2[i * k + j];
            for (size_t j = 0; j < k; j++) {
                double l2 = w->l2[i * k + j];
                double xn = rs - l2;              /* (L2 N)_ij */
                double xm = w->colsum[j] - l2;    /* (M L2)_ij */
                f1 += l2 * xn;
                f2 += l2 * xm;
                gq[i * k + j] = (1 - kap) * l[i * k + j] * xn + kap * l[i * k + j] * xm;
            }
        }
        f = (1 - kap) * f1 / 4 + kap * f2 / 4;
        break;
    }
    case CRIT_BENTLER: {
        for (size_t i = 0; i < p * k; i++) w->l2[i] = l[i] * l[i];
        vs__fa_mtm(w->m, w->l2, w->l2, p, k, k);
        if (vs__fa_inverse_small(w->minv, w->m, k, w->scr) != VS_OK)
            return vs__error(VS_ENUMERIC, "vs_fa_fit: bentler rotation: singular L2'L2");
        double ldm = 0, ldd = 0;
        memcpy(w->scr, w->m, k * k * sizeof(double));
        if (vs__fa_spd_logdet(w->scr, k, &ldm) != VS_OK)
            return vs__error(VS_ENUMERIC, "vs_fa_fit: bentler rotation: L2'L2 not positive definite");
        for (size_t j = 0; j < k; j++) {
            ldd += log(w->m[j * k + j]);
            w->minv[j * k + j] -= 1.0 / w->m[j * k + j];
        }
        vs__fa_mm(w->x, w->l2, w->minv, p, k, k);
        for (size_t i = 0; i < p * k; i++) gq[i] = -l[i] * w->x[i];
        f = -(ldm - ldd) / 4;
        break;
    }
    case CRIT_TARGET: f = vs__fa_crit_target(l, w->target, p * k, gq); break;
    case CRIT_SIMPLIMAX: f = vs__fa_crit_simplimax(l, p * k, w->simplimax_m, gq, w->l2); break;
    case CRIT_BIMIN: f = vs__fa_crit_biquartimin(l, p, k, gq); break;
    default: { /* varimax */
        for (size_t j = 0; j < k; j++) w->colsum[j] = 0;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++) w->colsum[j] += l[i * k + j] * l[i * k + j];
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++) {
                double ql = l[i * k + j] * l[i * k + j] - w->colsum[j] / (double)p;
                gq[i * k + j] = -l[i * k + j] * ql;
                f += ql * ql;
            }
        f = -f / 4;
    }
    }
    if (!isfinite(f)) return vs__error(VS_ENUMERIC, "vs_fa_fit: rotation criterion is not finite");
    *f_out = f;
    return VS_OK;
}

/* criterion of rotation r->rotation with its parameters */
static void ws_setup(gpa_ws *w, const vs__fa_rotate *r, double kappa) {
    memset(w, 0, sizeof *w);
    w->p = r->p;
    w->k = r->k;
    w->gamma = r->gamma;
    w->delta = r->delta;
    w->kappa = kappa;
    w->target = r->target;
    w->simplimax_m = r->simplimax_m > 0 ? (size_t)r->simplimax_m : r->p;
    switch (r->rotation) {
    case VS_FA_ROT_QUARTIMAX: w->crit = CRIT_QUARTIMAX; break;
    case VS_FA_ROT_OBLIMIN: w->crit = CRIT_OBLIMIN; break;
    case VS_FA_ROT_QUARTIMIN: w->crit = CRIT_OBLIMIN; w->gamma = 0; break;
    case VS_FA_ROT_GEOMIN_Q:
    case VS_FA_ROT_GEOMIN_T: w->crit = CRIT_GEOMIN; break;
    case VS_FA_ROT_EQUAMAX: w->crit = CRIT_CF; break;
    case VS_FA_ROT_BENTLER_Q:
    case VS_FA_ROT_BENTLER_T: w->crit = CRIT_BENTLER; break;
    case VS_FA_ROT_TARGET_T:
    case VS_FA_ROT_TARGET_Q: w->crit = CRIT_TARGET; break;
    case VS_FA_ROT_SIMPLIMAX: w->crit = CRIT_SIMPLIMAX; break;
    case VS_FA_ROT_BIQUARTIMIN: w->crit = CRIT_BIMIN; break;
    default: w->crit = CRIT_VARIMAX;
    }
}

int vs__fa_rotation_criterion(const vs__fa_rotate *r, const double *l, double kappa, double *f) {
    size_t p = r->p, k = r->k, pk = p * k, kk = k * k;
    gpa_ws w;
    ws_setup(&w, r, kappa);
    double *buf = vs__malloc((3 * pk + k + 4 * kk) * sizeof(double));
    if (!buf) return vs__nomem("vs_fa_fit");
    double *gq = buf;
    w.l2 = gq + pk;
    w.x = w.l2 + pk;
    w.colsum = w.x + pk;
    w.m = w.colsum + k;
    w.minv = w.m + kk;
    w.scr = w.minv + kk; /* 2 kk */
    int rc = vgq(&w, l, gq, f);
    vs__free(buf);
    return rc;
}

int vs__fa_gpa(const vs__fa_rotate *r, const double *a, double *l, double *t, int oblique,
               double kappa, double eps, int64_t max_iter, int *converged, int64_t *iterations) {
    size_t p = r->p, k = r->k;
    gpa_ws w;
    ws_setup(&w, r, kappa);
    size_t pk = p * k, kk = k * k;
    double *buf = vs__malloc((4 * pk + k + 12 * kk) * sizeof(double));
    if (!buf) return vs__nomem("vs_fa_fit");
    double *gq = buf, *lt = gq + pk;
    w.l2 = lt + pk;
    w.x = w.l2 + pk;
    w.colsum = w.x + pk;
    w.m = w.colsum + k;
    w.minv = w.m + kk;
    w.scr = w.minv + kk;                 /* 2 kk */
    double *g = w.scr + 2 * kk, *gp = g + kk, *xm = gp + kk, *tt = xm + kk, *ti = tt + kk;
    double *h = ti + kk, *scr2 = h + kk; /* scr2: 2 kk */
    int rc = VS_OK;
    double f = 0, s = 0, al = 1;
    int stalled = 0;
    int64_t iter = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) t[i * k + j] = i == j ? 1.0 : 0.0;
    memcpy(l, a, pk * sizeof(double));
    rc = vgq(&w, l, gq, &f);
    if (rc != VS_OK) goto out;
    /* G: orthogonal A' Gq; oblique -(L' Gq T^-1)' (T = I here) */
    if (!oblique) {
        vs__fa_mtm(g, a, gq, p, k, k);
    } else {
        vs__fa_mtm(h, l, gq, p, k, k);
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) g[i * k + j] = -h[j * k + i];
    }
    for (iter = 0; iter <= max_iter; iter++) {
        if (!oblique) {
            /* M = T'G, S = (M + M')/2, Gp = G - T S */
            vs__fa_mtm(h, t, g, k, k, k);
            for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++) xm[i * k + j] = 0.5 * (h[i * k + j] + h[j * k + i]);
            vs__fa_mm(h, t, xm, k, k, k);
            for (size_t i = 0; i < kk; i++) gp[i] = g[i] - h[i];
        } else {
            /* Gp = G - T diag(colSums(T * G)) */
            for (size_t j = 0; j < k; j++) {
                double cs = 0;
                for (size_t i = 0; i < k; i++) cs += t[i * k + j] * g[i * k + j];
                for (size_t i = 0; i < k; i++) gp[i * k + j] = g[i * k + j] - t[i * k + j] * cs;
            }
        }
        s = 0;
        for (size_t i = 0; i < kk; i++) s += gp[i] * gp[i];
        s = sqrt(s);
        if (s < eps) break;
        al *= 2;
        double ft = f;
        int decreased = 0;
        for (int i = 0; i <= 10; i++) {
            for (size_t u = 0; u < kk; u++) xm[u] = t[u] - al * gp[u];
            if (!oblique) {
                rc = vs__fa_polar_small(tt, NULL, xm, k);
                if (rc != VS_OK) {
                    rc = vs__error(VS_ENUMERIC, "vs_fa_fit: rotation step is singular");
                    goto out;
                }
                vs__fa_mm(lt, a, tt, p, k, k);
            } else {
                for (size_t j = 0; j < k; j++) {
                    double cs = 0;
                    for (size_t u = 0; u < k; u++) cs += xm[u * k + j] * xm[u * k + j];
                    double v = 1.0 / sqrt(cs);
                    for (size_t u = 0; u < k; u++) tt[u * k + j] = xm[u * k + j] * v;
                }
                if (vs__fa_inverse_small(ti, tt, k, scr2) != VS_OK) {
                    rc = vs__error(VS_ENUMERIC, "vs_fa_fit: oblique rotation matrix became singular");
                    goto out;
                }
                vs__fa_mmt(lt, a, ti, p, k, k); /* A (T^-1)' */
            }
            rc = vgq(&w, lt, gq, &ft);
            if (rc != VS_OK) goto out;
            if (!oblique) {
                if (ft < f - 0.5 * s * s * al) decreased = 1;
            } else {
                if (f - ft > 0.5 * s * s * al) decreased = 1;
            }
            if (decreased) break;
            al /= 2;
        }
        /* below psych's tolerance and no decrease left at the resolution of f: stationary */
        if (!decreased && s < 1e-5 && eps < 1e-5) {
            stalled = 1;
            break;
        }
        memcpy(t, tt, kk * sizeof(double));
        memcpy(l, lt, pk * sizeof(double));
        f = ft;
        if (!oblique) {
            vs__fa_mtm(g, a, gq, p, k, k);
        } else {
            vs__fa_mtm(h, l, gq, p, k, k); /* L' Gq */
            vs__fa_mm(xm, h, ti, k, k, k); /* L' Gq T^-1 */
            for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++) g[i * k + j] = -xm[j * k + i];
        }
    }
    *converged = s < eps || stalled;
    *iterations = iter > max_iter ? max_iter : iter;
out:
    vs__free(buf);
    return rc;
}
