/* McDonald's omega from a Schmid-Leiman transformation, as psych::omega (2.2.9) with its defaults
 * (option "equal", flip = TRUE, sl = TRUE):
 *   1. fa(R, k, rotate = "varimax") with the caller's method: orthogonal loadings A (psych's sign
 *      and order conventions);
 *   2. the oblique rotation of A as GPArotation returns it (no conventions): pattern F, Phi;
 *   3. general loadings of the group factors: k > 2 a one-factor fa() of Phi with the same
 *      method; k = 2 both sqrt|phi12| (the second signed as phi12);
 *   4. g = F gl, group loadings sign(F) sqrt(F^2 (1 - gl^2)), h2 = rowSums(A^2), u2 = 1 - h2;
 *   5. items with a negative g loading are reversed (R -> D R D) and the coefficients taken. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

#define NOMEGA (VS_FA_OMEGA_CONVERGED + 1)

struct vs_fa_omega_result {
    size_t p, k;
    double *sl;   /* p x (k + 4): g, k group factors, h2, u2, p2 */
    double *sub;  /* (k + 1) x 3: total, general, group */
    double *obl;  /* p x k oblique pattern */
    double *phi;  /* k x k */
    double *gl;   /* k general loadings of the group factors */
    double *key;  /* p: +1, or -1 for a reversed item */
    double stats[NOMEGA];
};

void vs_fa_omega_free(vs_fa_omega_result *r) {
    if (!r) return;
    vs__free(r->sl);
    vs__free(r);
}

/* step 1: the varimax solution A (p x k); *conv = 0 when its extraction or rotation did not converge */
static int orthogonal_loadings(double *a, int *conv, const vs_fa *fa, const vs_fa_data *d) {
    vs_fa o = *fa;
    o.rotation = VS_FA_ROT_VARIMAX;
    o.normalize = -1; /* psych's fa(): stats::varimax, Kaiser-normalised */
    o.scores = VS_FA_SCORES_NONE;
    o.rotate_starts = 1;
    vs_fa_result *res = NULL;
    int rc = vs_fa_fit(&res, &o, d);
    if (rc != VS_OK) return rc;
    size_t need;
    double c = 0;
    rc = vs_fa_result_get(&need, res, VS_FA_LOADINGS, a, d->p * (size_t)fa->nfactors);
    if (rc == VS_OK) rc = vs_fa_result_scalar(&c, res, VS_FA_STAT_CONVERGED);
    if (c != 1) *conv = 0;
    vs_fa_result_free(res);
    return rc;
}

/* step 3: general loadings of the k group factors from Phi; *conv = 0 when that fit did not converge */
static int general_loadings(double *gl, int *conv, const double *phi, size_t k, const vs_fa *fa) {
    if (k == 2) {
        double r = phi[1];
        gl[0] = sqrt(fabs(r));
        gl[1] = (r < 0 ? -1 : r > 0 ? 1 : 0) * sqrt(fabs(r));
        return VS_OK;
    }
    vs_fa_data *pd = NULL;
    int rc = vs_fa_data_from_cor(&pd, phi, k, k, 0);
    if (rc != VS_OK) return rc;
    vs_fa o;
    rc = VS_ENOMEM;
    vs_fa *def = NULL;
    if (vs_fa_create(&def) == VS_OK) {
        o = *def; /* psych: fa(Phi, fm = fm) with every other default */
        o.method = fa->method;
        o.mode = fa->mode;
        o.scores = VS_FA_SCORES_NONE;
        vs_fa_result *res = NULL;
        rc = vs_fa_fit(&res, &o, pd);
        double c = 0;
        if (rc == VS_OK) rc = vs_fa_result_get(NULL, res, VS_FA_LOADINGS, gl, k);
        if (rc == VS_OK) rc = vs_fa_result_scalar(&c, res, VS_FA_STAT_CONVERGED);
        if (c != 1) *conv = 0;
        vs_fa_result_free(res);
        vs_fa_free(def);
    }
    vs_fa_data_free(pd);
    return rc;
}

static double block_sum(const double *r, size_t p, const size_t *idx, size_t n) {
    double s = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) s += r[idx[a] * p + idx[b]];
    return s;
}

/* steps 4-5 and the coefficients */
static int coefficients(vs_fa_omega_result *o, const double *a, const vs_fa_data *d) {
    size_t p = o->p, k = o->k, w = k + 4;
    double *m = vs__malloc((p * p + p) * sizeof(double));
    size_t *idx = vs__malloc((p + 1) * sizeof(size_t));
    if (!m || !idx) {
        vs__free(m);
        vs__free(idx);
        return vs__nomem("vs_fa_omega");
    }
    double *smc = m + p * p;
    for (size_t i = 0; i < p; i++) {
        double g = 0, h2 = 0;
        for (size_t j = 0; j < k; j++) {
            double f = o->obl[i * k + j];
            g += f * o->gl[j];
            h2 += a[i * k + j] * a[i * k + j];
            double u = f * f * (1 - o->gl[j] * o->gl[j]);
            o->sl[i * w + 1 + j] = (f < 0 ? -1 : f > 0 ? 1 : 0) * sqrt(u > 0 ? u : 0);
        }
        o->sl[i * w] = g;
        o->sl[i * w + k + 1] = h2;
        o->sl[i * w + k + 2] = 1 - h2;
        o->sl[i * w + k + 3] = g * g / h2;
        o->key[i] = g < 0 ? -1 : 1;
        if (g < 0)
            for (size_t j = 0; j <= k; j++) o->sl[i * w + j] = -o->sl[i * w + j];
    }
    double vt = 0, uniq = 0, gsum = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            m[i * p + j] = o->key[i] * o->key[j] * d->r[i * p + j];
            vt += m[i * p + j];
        }
    double ev0 = 0, evall = 0;
    for (size_t i = 0; i < p; i++) {
        uniq += o->sl[i * w + k + 2];
        gsum += o->sl[i * w];
        for (size_t j = 0; j <= k; j++) {
            double v = o->sl[i * w + j] * o->sl[i * w + j];
            evall += v;
            if (j == 0) ev0 += v;
        }
    }
    int rc = vs__fa_smc(smc, m, p);
    if (rc != VS_OK) goto out;
    double ssmc = 0, pd = (double)p;
    for (size_t i = 0; i < p; i++) ssmc += smc[i];
    double *st = o->stats;
    st[VS_FA_OMEGA_TOTAL] = (vt - uniq) / vt;
    st[VS_FA_OMEGA_HIERARCHICAL] = gsum * gsum / vt;
    st[VS_FA_OMEGA_LIMIT] = gsum * gsum / (vt - uniq);
    st[VS_FA_OMEGA_ALPHA] = (vt - pd) / vt * pd / (pd - 1);
    st[VS_FA_OMEGA_G6] = (vt + ssmc - pd) / vt;
    st[VS_FA_OMEGA_ECV] = ev0 / evall;
    /* subscales: each item belongs to the group factor of its largest |loading| (first on ties) */
    double grs = 0;
    for (size_t j = 0; j < 3 * (k + 1); j++) o->sub[j] = NAN;
    for (size_t f = 0; f < k; f++) {
        size_t n = 0;
        for (size_t i = 0; i < p; i++) {
            size_t best = 0;
            for (size_t j = 1; j < k; j++)
                if (fabs(o->sl[i * w + 1 + j]) > fabs(o->sl[i * w + 1 + best])) best = j;
            if (best == f) idx[n++] = i;
        }
        if (n == 0) continue;
        double vgr = block_sum(m, p, idx, n), gr = 0, gg = 0;
        for (size_t a2 = 0; a2 < n; a2++) {
            gr += o->sl[idx[a2] * w + 1 + f];
            gg += o->sl[idx[a2] * w];
        }
        grs += gr * gr;
        o->sub[(f + 1) * 3 + 0] = (gr * gr + gg * gg) / vgr;
        o->sub[(f + 1) * 3 + 1] = gg * gg / vgr;
        o->sub[(f + 1) * 3 + 2] = gr * gr / vgr;
    }
    o->sub[0] = st[VS_FA_OMEGA_TOTAL];
    o->sub[1] = st[VS_FA_OMEGA_HIERARCHICAL];
    o->sub[2] = grs / vt;
out:
    vs__free(m);
    vs__free(idx);
    return rc;
}

int vs_fa_omega(vs_fa_omega_result **out, const vs_fa *fa, const vs_fa_data *d) {
    static const char *where = "vs_fa_omega";
    if (out) *out = NULL;
    if (!out || !fa || !d) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    size_t p = d->p, k = (size_t)fa->nfactors;
    if (k < 2)
        return vs__error(VS_ERANGE, "%s: omega needs at least 2 group factors (psych's default is 3): set nfactors",
                         where);
    if (!vs__fa_rotation_oblique(fa->rotation))
        return vs__error(VS_EINVAL,
                         "%s: the Schmid-Leiman transformation needs an oblique rotation (oblimin, quartimin, "
                         "geominQ, bentlerQ, promax, Promax, targetQ, simplimax or biquartimin)",
                         where);
    int rc = vs__fa_check_rotation(fa, p, k, where);
    if (rc != VS_OK) return rc;
    vs_fa_omega_result *o = vs__calloc(1, sizeof *o);
    double *a = vs__malloc(p * k * sizeof(double));
    double *blk = vs__calloc(p * (k + 4) + 3 * (k + 1) + p * k + k * k + k + p, sizeof(double));
    if (!o || !a || !blk) {
        vs__free(o);
        vs__free(a);
        vs__free(blk);
        return vs__nomem(where);
    }
    o->p = p;
    o->k = k;
    o->sl = blk;
    o->sub = o->sl + p * (k + 4);
    o->obl = o->sub + 3 * (k + 1);
    o->phi = o->obl + p * k;
    o->gl = o->phi + k * k;
    o->key = o->gl + k;
    int conv = 1;
    rc = orthogonal_loadings(a, &conv, fa, d);
    if (rc == VS_OK) {
        double *rm = vs__malloc(k * k * sizeof(double));
        if (!rm) rc = vs__nomem(where);
        else {
            vs__fa_rotate rot;
            memset(&rot, 0, sizeof rot);
            rot.a = a;
            rot.p = p;
            rot.k = k;
            rot.rotation = (int)fa->rotation;
            rot.tight = fa->mode == VS_FA_MODE_TIGHT;
            rot.normalize = (int)fa->normalize;
            rot.max_iter = fa->rotate_max_iter > 0 ? fa->rotate_max_iter : rot.tight ? 10000 : 1000;
            rot.gamma = fa->gamma;
            rot.delta = fa->delta;
            rot.power = fa->power;
            rot.starts = fa->rotate_starts;
            rot.target = fa->target;
            rot.simplimax_m = fa->simplimax_m;
            rot.seed = fa->seed;
            rot.loadings = o->obl;
            rot.phi = o->phi;
            rot.rotmat = rm;
            rc = vs__fa_rotate_plain(&rot);
            vs__free(rm);
            if (!rot.converged) conv = 0;
        }
    }
    if (rc == VS_OK) rc = general_loadings(o->gl, &conv, o->phi, k, fa);
    if (rc == VS_OK) rc = coefficients(o, a, d);
    o->stats[VS_FA_OMEGA_CONVERGED] = conv;
    vs__free(a);
    if (rc != VS_OK) {
        vs_fa_omega_free(o);
        return rc;
    }
    *out = o;
    return VS_OK;
}

size_t vs_fa_omega_factor_count(const vs_fa_omega_result *o) { return o ? o->k : 0; }

int vs_fa_omega_scalar(double *out, const vs_fa_omega_result *o, int what) {
    if (!out || !o) return vs__error(VS_EINVAL, "vs_fa_omega_scalar: NULL argument");
    if (what < VS_FA_OMEGA_TOTAL || what > VS_FA_OMEGA_CONVERGED)
        return vs__error(VS_EINVAL, "vs_fa_omega_scalar: unknown coefficient %d", what);
    *out = o->stats[what];
    return VS_OK;
}

int vs_fa_omega_get(size_t *out_needed, const vs_fa_omega_result *o, int what, double *buf, size_t cap) {
    static const char *where = "vs_fa_omega_get";
    if (!o) return vs__error(VS_EINVAL, "%s: NULL result", where);
    size_t p = o->p, k = o->k, need;
    const double *src;
    switch (what) {
    case VS_FA_OMEGA_SL_LOADINGS: src = o->sl, need = p * (k + 4); break;
    case VS_FA_OMEGA_SUBSCALES: src = o->sub, need = 3 * (k + 1); break;
    case VS_FA_OMEGA_OBLIQUE: src = o->obl, need = p * k; break;
    case VS_FA_OMEGA_PHI: src = o->phi, need = k * k; break;
    case VS_FA_OMEGA_GENERAL: src = o->gl, need = k; break;
    case VS_FA_OMEGA_KEY: src = o->key, need = p; break;
    default: return vs__error(VS_EINVAL, "%s: unknown array %d", where, what);
    }
    if (out_needed) *out_needed = need;
    if (cap < need) return vs__error(VS_EBUFSIZE, "%s: %zu doubles needed, %zu given", where, need, cap);
    if (!buf) return vs__error(VS_EINVAL, "%s: NULL buffer", where);
    memcpy(buf, src, need * sizeof(double));
    return VS_OK;
}
