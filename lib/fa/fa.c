/* The public face of the fa module: options (typed setters keyed by enum, bounds), the fit
 * pipeline (extraction -> rotation -> conventions -> statistics -> score weights) and the result
 * accessors. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "common/option_table.h"
#include "fa/fa_internal.h"


/* ---- options (lib/common/option_table.h) */

static const vs__opt_name method_names[] = {
    {"minres", VS_FA_MINRES}, {"uls", VS_FA_ULS}, {"pa", VS_FA_PA}, {"ml", VS_FA_ML}, {"mle", VS_FA_ML},
    {"wls", VS_FA_WLS}, {"gls", VS_FA_GLS}, {"alpha", VS_FA_ALPHA}, {"minchi", VS_FA_MINCHI}, {NULL, 0}};
static const vs__opt_name rotation_names[] = {
    {"none", VS_FA_ROT_NONE},           {"varimax", VS_FA_ROT_VARIMAX},   {"quartimax", VS_FA_ROT_QUARTIMAX},
    {"equamax", VS_FA_ROT_EQUAMAX},     {"promax", VS_FA_ROT_PROMAX},     {"oblimin", VS_FA_ROT_OBLIMIN},
    {"quartimin", VS_FA_ROT_QUARTIMIN}, {"geominQ", VS_FA_ROT_GEOMIN_Q},  {"geominT", VS_FA_ROT_GEOMIN_T},
    {"bentlerT", VS_FA_ROT_BENTLER_T},  {"bentlerQ", VS_FA_ROT_BENTLER_Q}, {"targetT", VS_FA_ROT_TARGET_T},
    {"TargetT", VS_FA_ROT_TARGET_T},    {"targetQ", VS_FA_ROT_TARGET_Q},  {"TargetQ", VS_FA_ROT_TARGET_Q},
    {"simplimax", VS_FA_ROT_SIMPLIMAX}, {"biquartimin", VS_FA_ROT_BIQUARTIMIN}, {"Promax", VS_FA_ROT_PROMAX_PLAIN},
    {NULL, 0}};
static const vs__opt_name mode_names[] = {{"psych", VS_FA_MODE_PSYCH}, {"tight", VS_FA_MODE_TIGHT}, {NULL, 0}};
static const vs__opt_name score_names[] = {{"none", VS_FA_SCORES_NONE},
                                           {"regression", VS_FA_SCORES_REGRESSION},
                                           {"Thurstone", VS_FA_SCORES_REGRESSION},
                                           {"bartlett", VS_FA_SCORES_BARTLETT},
                                           {"Bartlett", VS_FA_SCORES_BARTLETT},
                                           {"tenBerge", VS_FA_SCORES_TENBERGE},
                                           {"tenberge", VS_FA_SCORES_TENBERGE},
                                           {"Tenberge", VS_FA_SCORES_TENBERGE},
                                           {"TenBerge", VS_FA_SCORES_TENBERGE},
                                           {"Anderson", VS_FA_SCORES_ANDERSON},
                                           {"anderson", VS_FA_SCORES_ANDERSON},
                                           {NULL, 0}};

static const vs__option opts[] = {
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_NFACTORS, nfactors, 1, 1e6, "nfactors"),
    VS__OPT_ROW_ENUM(vs_fa, VS_FA_OPT_METHOD, method, 0, 7, "method", method_names, NULL),
    VS__OPT_ROW_ENUM(vs_fa, VS_FA_OPT_ROTATION, rotation, 0, 15, "rotation", rotation_names, NULL),
    VS__OPT_ROW_ENUM(vs_fa, VS_FA_OPT_MODE, mode, 0, 1, "mode", mode_names, NULL),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_STARTS, starts, 1, 1e6, "starts"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_SEED, seed, -9223372036854775807.0, 9223372036854775807.0, "seed"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_MAX_ITER, max_iter, 0, 1e9, "max_iter"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_ROTATE_MAX_ITER, rotate_max_iter, 0, 1e9, "rotate_max_iter"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_KAISER_NORMALIZE, normalize, -1, 1, "kaiser_normalize"),
    VS__OPT_ROW_DOUBLE(vs_fa, VS_FA_OPT_OBLIMIN_GAMMA, gamma, -1e3, 1e3, "oblimin_gamma"),
    VS__OPT_ROW_DOUBLE(vs_fa, VS_FA_OPT_GEOMIN_DELTA, delta, 1e-12, 1e3, "geomin_delta"),
    VS__OPT_ROW_DOUBLE(vs_fa, VS_FA_OPT_PROMAX_POWER, power, 1, 100, "promax_power"),
    VS__OPT_ROW_ENUM(vs_fa, VS_FA_OPT_SCORES, scores, 0, 4, "scores", score_names, "score method"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_PARALLEL_ITER, parallel_iter, 1, 1e7, "parallel_iter"),
    VS__OPT_ROW_DOUBLE(vs_fa, VS_FA_OPT_PARALLEL_QUANTILE, quantile, 1e-9, 1 - 1e-9, "parallel_quantile"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_MAP_MAX, map_max, 1, 1e6, "map_max"),
    VS__OPT_ROW_DOUBLE(vs_fa, VS_FA_OPT_RMSEA_ALPHA, rmsea_alpha, 1e-9, 1 - 1e-9, "rmsea_alpha"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_THREADS, threads, 1, 256, "threads"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_ROTATE_STARTS, rotate_starts, 1, 1e6, "rotate_starts"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_SIMPLIMAX_M, simplimax_m, 0, 1e9, "simplimax_m"),
    VS__OPT_ROW_INT(vs_fa, VS_FA_OPT_BOOT_ITER, boot_iter, 2, 1e7, "boot_iter"),
    VS__OPT_ROW_DOUBLE(vs_fa, VS_FA_OPT_BOOT_ALPHA, boot_alpha, 1e-9, 1 - 1e-9, "boot_alpha"),
};
static const vs__option_table table = VS__OPTION_TABLE("vs_fa", opts);

int vs_fa_create(vs_fa **out) {
    if (!out) return vs__error(VS_EINVAL, "vs_fa_create: NULL out");
    *out = NULL;
    vs_fa *fa = vs__calloc(1, sizeof *fa);
    if (!fa) return vs__nomem("vs_fa_create");
    fa->nfactors = 1;
    fa->method = VS_FA_MINRES;
    fa->rotation = VS_FA_ROT_OBLIMIN;
    fa->mode = VS_FA_MODE_PSYCH;
    fa->starts = 1;
    fa->normalize = -1;
    fa->scores = VS_FA_SCORES_REGRESSION;
    fa->parallel_iter = 20;
    fa->map_max = 8;
    fa->threads = 1;
    fa->rotate_starts = 1;
    fa->gamma = 0;
    fa->delta = 0.01;
    fa->power = 4;
    fa->quantile = 0.95;
    fa->rmsea_alpha = 0.1;
    fa->boot_iter = 100;
    fa->boot_alpha = 0.05;
    *out = fa;
    return VS_OK;
}

void vs_fa_free(vs_fa *fa) {
    if (!fa) return;
    vs__free(fa->target);
    vs__free(fa);
}

int vs_fa_set_target(vs_fa *fa, const double *target, size_t rows, size_t cols) {
    static const char *where = "vs_fa_set_target";
    if (!fa) return vs__error(VS_EINVAL, "%s: NULL handle", where);
    if (!target) {
        if (rows || cols) return vs__error(VS_EINVAL, "%s: NULL target with a %zu x %zu size", where, rows, cols);
        vs__free(fa->target);
        fa->target = NULL;
        fa->target_rows = fa->target_cols = 0;
        return VS_OK;
    }
    if (!rows || !cols) return vs__error(VS_ERANGE, "%s: a %zu x %zu target is empty", where, rows, cols);
    if (rows > SIZE_MAX / sizeof(double) / cols) return vs__error(VS_ERANGE, "%s: target too large", where);
    size_t n = rows * cols, given = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(target[i])) continue;
        if (!isfinite(target[i]))
            return vs__error(VS_EINVAL, "%s: infinite entry at row %zu, column %zu", where, i / cols + 1, i % cols + 1);
        given++;
    }
    if (!given) return vs__error(VS_EINVAL, "%s: every entry is NaN (unspecified); give at least one", where);
    double *t = vs__malloc(n * sizeof(double));
    if (!t) return vs__nomem(where);
    memcpy(t, target, n * sizeof(double));
    vs__free(fa->target);
    fa->target = t;
    fa->target_rows = rows;
    fa->target_cols = cols;
    return VS_OK;
}

int vs_fa_set_int(vs_fa *fa, int option, int64_t value) { return vs__opt_set_int(&table, fa, option, value); }
int vs_fa_set_double(vs_fa *fa, int option, double value) { return vs__opt_set_double(&table, fa, option, value); }
int vs_fa_set_str(vs_fa *fa, int option, const char *value) { return vs__opt_set_str(&table, fa, option, value); }
int vs_fa_get_int(int64_t *out, const vs_fa *fa, int option) { return vs__opt_get_int(&table, out, fa, option); }
int vs_fa_get_double(double *out, const vs_fa *fa, int option) { return vs__opt_get_double(&table, out, fa, option); }
int vs_fa_get_str(const char **out, const vs_fa *fa, int option) { return vs__opt_get_str(&table, out, fa, option); }
int vs_fa_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_fa_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_fa_option_name(int option) { return vs__opt_name_of(&table, option); }

/* ---- results */

void vs_fa_result_free(vs_fa_result *r) {
    if (!r) return;
    if (r->names)
        for (size_t i = 0; i < r->p; i++) vs__free(r->names[i]);
    vs__free(r->names);
    vs__free(r->loadings);
    vs__free(r->scores);
    vs__free(r);
}

size_t vs_fa_result_variable_count(const vs_fa_result *r) { return r ? r->p : 0; }
size_t vs_fa_result_factor_count(const vs_fa_result *r) { return r ? r->k : 0; }
const char *vs_fa_result_variable(const vs_fa_result *r, size_t i) {
    return r && r->names && i < r->p ? r->names[i] : NULL;
}

vs_fa_result *vs__fa_result_new(size_t p, size_t k) {
    vs_fa_result *r = vs__calloc(1, sizeof *r);
    if (!r) return NULL;
    r->p = p;
    r->k = k;
    /* one block for every array */
    size_t pk = p * k, kk = k * k, pp = p * p;
    size_t total = 5 * pk + 2 * kk + 8 * p + 2 * k + 5 * k + 2 * pp;
    double *b = vs__calloc(total, sizeof(double));
    if (!b) {
        vs__free(r);
        return NULL;
    }
    r->loadings = b;
    r->structure = b += pk;
    r->unrot = b += pk;
    r->weights = b += pk;
    b += pk; /* spare p x k for scratch (L Phi) */
    r->phi = b += pk;
    r->rotmat = b += kk;
    r->comm = b += kk;
    r->uniq = b += p;
    r->eig = b += p;
    r->eig_red = b += p;
    r->psi = b += p;
    r->ss = b += p;
    r->var5 = b += k;
    r->resid = b += 5 * k;
    r->r = b += pp;
    r->heywood = b += pp;
    r->r2 = b += p;
    r->mean = b += k;
    r->sd = b + p;
    return r;
}

/* the rotation's own inputs fit a p x k solution (target pattern, simplimax's m); shared with omega */
int vs__fa_check_rotation(const vs_fa *fa, size_t p, size_t k, const char *where) {
    int targeted = fa->rotation == VS_FA_ROT_TARGET_T || fa->rotation == VS_FA_ROT_TARGET_Q;
    if (targeted && k > 1 && !fa->target)
        return vs__error(VS_EINVAL, "%s: rotation target%c needs a target pattern (vs_fa_set_target)", where,
                         fa->rotation == VS_FA_ROT_TARGET_T ? 'T' : 'Q');
    if (targeted && k > 1 && (fa->target_rows != p || fa->target_cols != k))
        return vs__error(VS_EMISMATCH, "%s: the target is %zu x %zu, the solution %zu x %zu (variables x factors)",
                         where, fa->target_rows, fa->target_cols, p, k);
    if (fa->rotation == VS_FA_ROT_SIMPLIMAX && k > 1 && (size_t)fa->simplimax_m > p * k)
        return vs__error(VS_ERANGE, "%s: simplimax_m %lld exceeds the %zu loadings", where,
                         (long long)fa->simplimax_m, p * k);
    return VS_OK;
}

int vs_fa_fit(vs_fa_result **out, const vs_fa *fa, const vs_fa_data *d) {
    static const char *where = "vs_fa_fit";
    if (out) *out = NULL;
    if (!out || !fa || !d) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    size_t p = d->p, k = (size_t)fa->nfactors;
    if (k > p) return vs__error(VS_ERANGE, "%s: %zu factors for %zu variables", where, k, p);
    double pp = (double)p, kd = (double)k;
    double df = pp * (pp - 1) / 2 - pp * kd + kd * (kd - 1) / 2;
    if (df < 0)
        return vs__error(VS_ERANGE, "%s: %zu factors for %zu variables leave %g degrees of freedom", where, k, p, df);
    int rc = vs__fa_check_rotation(fa, p, k, where);
    if (rc != VS_OK) return rc;
    if (fa->method == VS_FA_MINCHI && !d->np && !(d->n_obs > 0))
        return vs__error(VS_EUNDEFINED, "%s: minchi weights by the numbers of observations: give n_obs with the matrix",
                         where);
    int tight = fa->mode == VS_FA_MODE_TIGHT;
    vs_fa_result *res = vs__fa_result_new(p, k);
    if (!res) return vs__nomem(where);
    memcpy(res->r, d->r, p * p * sizeof(double));
    /* R^-1 and log det R once, for the SMCs, the statistics and the regression weights */
    double logdet_r = NAN;
    double *rinv = vs__malloc(p * p * sizeof(double));
    if (!rinv) {
        vs_fa_result_free(res);
        return vs__nomem(where);
    }
    memcpy(rinv, d->r, p * p * sizeof(double));
    if (vs__fa_spd_inverse(rinv, p, &logdet_r) != VS_OK) {
        vs__free(rinv);
        rinv = NULL;
    }
    /* extraction */
    vs__fa_extract x;
    memset(&x, 0, sizeof x);
    x.r = d->r;
    x.rinv = rinv;
    x.np = d->np;
    x.n_obs = d->n_obs;
    x.p = p;
    x.k = k;
    x.method = (int)fa->method;
    x.tight = tight;
    x.max_iter = fa->max_iter > 0 ? fa->max_iter : fa->method == VS_FA_PA || fa->method == VS_FA_ALPHA ? (tight ? 10000 : 50) : (tight ? 10000 : 1000);
    x.starts = fa->starts;
    x.seed = fa->seed;
    x.loadings = res->unrot;
    x.psi = res->psi;
    x.values = res->eig_red;
    rc = vs__fa_extract_run(&x);
    if (rc != VS_OK) goto fail;
    {
        vs__fa_eig e;
        rc = vs__fa_eig_init(&e, p);
        if (rc != VS_OK) goto fail;
        rc = vs__fa_eig_top(&e, d->r, p, 0);
        if (rc == VS_OK) memcpy(res->eig, e.w, p * sizeof(double));
        vs__fa_eig_free(&e);
        if (rc != VS_OK) goto fail;
    }
    double heywood = 0, ultra = 0;
    for (size_t i = 0; i < p; i++) {
        double h = 0;
        for (size_t j = 0; j < k; j++) h += res->unrot[i * k + j] * res->unrot[i * k + j];
        res->comm[i] = h;
        res->uniq[i] = 1.0 - h;
        int at_bound = fa->method != VS_FA_PA && fa->method != VS_FA_ALPHA && res->psi[i] <= VS_FA_PSI_LOWER * (1 + 1e-9);
        res->heywood[i] = h > 1.0 ? 2 : at_bound || h >= 1.0 ? 1 : 0;
        heywood += res->heywood[i] > 0;
        ultra += res->heywood[i] == 2;
    }
    /* rotation and conventions */
    vs__fa_rotate rot;
    memset(&rot, 0, sizeof rot);
    rot.a = res->unrot;
    rot.p = p;
    rot.k = k;
    rot.rotation = (int)fa->rotation;
    rot.tight = tight;
    rot.normalize = (int)fa->normalize;
    rot.max_iter = fa->rotate_max_iter > 0 ? fa->rotate_max_iter : tight ? 10000 : 1000;
    rot.gamma = fa->gamma;
    rot.delta = fa->delta;
    rot.power = fa->power;
    rot.starts = fa->rotate_starts;
    rot.target = fa->target;
    rot.simplimax_m = fa->simplimax_m;
    rot.seed = fa->seed;
    rot.loadings = res->loadings;
    rot.phi = res->phi;
    rot.rotmat = res->rotmat;
    rc = vs__fa_rotate_run(&rot);
    if (rc != VS_OK) goto fail;
    vs__fa_mm(res->structure, res->loadings, res->phi, p, k, k);
    /* variance accounted for: diag(Phi L'L) = colSums(L * (L Phi)) */
    double tot = 0, vtotal = 0;
    for (size_t i = 0; i < p; i++) vtotal += res->comm[i] + res->uniq[i];
    for (size_t j = 0; j < k; j++) {
        double s = 0;
        for (size_t i = 0; i < p; i++) s += res->loadings[i * k + j] * res->structure[i * k + j];
        res->ss[j] = s;
        tot += s;
    }
    double cum = 0, cumx = 0;
    for (size_t j = 0; j < k; j++) {
        cum += res->ss[j] / vtotal;
        cumx += res->ss[j] / tot;
        res->var5[j] = res->ss[j];
        res->var5[k + j] = res->ss[j] / vtotal;
        res->var5[2 * k + j] = cum;
        res->var5[3 * k + j] = res->ss[j] / tot;
        res->var5[4 * k + j] = cumx;
    }
    /* residual R - L Phi L' */
    vs__fa_mmt(res->resid, res->structure, res->loadings, p, k, p);
    for (size_t i = 0; i < p * p; i++) res->resid[i] = d->r[i] - res->resid[i];
    /* fit statistics */
    vs__fa_fitstats fs;
    memset(&fs, 0, sizeof fs);
    rc = vs__fa_fit_stats(&fs, d, res->loadings, res->phi, res->unrot, k, tight, fa->rmsea_alpha, rinv,
                          logdet_r);
    if (rc != VS_OK) goto fail;
    double *st = res->stats;
    for (int i = 0; i < VS_FA_NSTATS; i++) st[i] = NAN;
    st[VS_FA_STAT_OBJECTIVE] = fs.objective;
    st[VS_FA_STAT_CHI_SQUARE] = fs.chi_square;
    st[VS_FA_STAT_DF] = fs.df;
    st[VS_FA_STAT_P_VALUE] = fs.p_value;
    st[VS_FA_STAT_RMSEA] = fs.rmsea;
    st[VS_FA_STAT_RMSEA_LOWER] = fs.rmsea_lower;
    st[VS_FA_STAT_RMSEA_UPPER] = fs.rmsea_upper;
    st[VS_FA_STAT_TLI] = fs.tli;
    st[VS_FA_STAT_BIC] = fs.bic;
    st[VS_FA_STAT_RMSR] = fs.rmsr;
    st[VS_FA_STAT_CRITERION] = x.criterion;
    st[VS_FA_STAT_CONVERGED] = x.converged && rot.converged ? 1 : 0;
    st[VS_FA_STAT_ITERATIONS] = (double)x.iterations;
    st[VS_FA_STAT_HEYWOOD] = heywood;
    st[VS_FA_STAT_NULL_CHI_SQUARE] = fs.null_chi_square;
    st[VS_FA_STAT_NULL_DF] = fs.null_df;
    st[VS_FA_STAT_N_OBS] = d->n_obs > 0 ? d->n_obs : NAN;
    st[VS_FA_STAT_ROTATE_ITERATIONS] = (double)rot.iterations;
    st[VS_FA_STAT_BEST_START] = (double)x.best_start;
    st[VS_FA_STAT_SMOOTHED] = fs.smoothed || d->smoothed;
    st[VS_FA_STAT_ROTATION_CRITERION] = rot.criterion;
    st[VS_FA_STAT_ROTATION_BEST_START] = (double)rot.best_start;
    st[VS_FA_STAT_EXTRACTION_CONVERGED] = x.converged ? 1 : 0;
    st[VS_FA_STAT_ROTATION_CONVERGED] = rot.converged ? 1 : 0;
    st[VS_FA_STAT_ULTRA_HEYWOOD] = ultra;
    st[VS_FA_STAT_SABIC] = fs.sabic;
    st[VS_FA_STAT_EBIC] = fs.ebic;
    st[VS_FA_STAT_ESABIC] = fs.esabic;
    st[VS_FA_STAT_CRMS] = fs.crms;
    /* psych's R2: diag(W' S) with the regression weights W = R^-1 S, S = L Phi; NaN where R is singular */
    if (rinv) {
        double *w = vs__malloc(p * k * sizeof(double));
        if (!w) {
            rc = vs__nomem(where);
            goto fail;
        }
        vs__fa_mm(w, rinv, res->structure, p, p, k);
        for (size_t j = 0; j < k; j++) {
            double s = 0;
            for (size_t i = 0; i < p; i++) s += w[i * k + j] * res->structure[i * k + j];
            res->r2[j] = s;
        }
        vs__free(w);
    } else {
        for (size_t j = 0; j < k; j++) res->r2[j] = NAN;
    }
    res->rmsea_ci[0] = fs.rmsea_lower;
    res->rmsea_ci[1] = fs.rmsea_upper;
    /* the raw data's moments, kept to standardise new data alike (vs_fa_result_scores) */
    if (d->x) {
        rc = vs__fa_column_moments(res->mean, res->sd, d->x, d->rows, p);
        if (rc != VS_OK) goto fail;
        res->has_moments = 1;
    }
    /* score weights and scores of the input data */
    if (fa->scores != VS_FA_SCORES_NONE) {
        rc = vs__fa_weights(res->weights, d->r, rinv, res->loadings, res->phi, p, k, (int)fa->scores);
        if (rc != VS_OK) goto fail;
        res->has_weights = 1;
        if (d->x) {
            res->rows = d->rows;
            res->scores = vs__malloc(d->rows * k * sizeof(double));
            if (!res->scores) {
                rc = vs__nomem(where);
                goto fail;
            }
            vs__fa_apply_scores(res->scores, d->x, d->rows, p, res->mean, res->sd, res->weights, k);
        }
    }
    vs__free(rinv);
    *out = res;
    return VS_OK;
fail:
    vs__free(rinv);
    vs_fa_result_free(res);
    return rc;
}

static int copy_out(size_t *out_needed, const double *src, size_t need, double *buf, size_t cap,
                    const char *what) {
    if (out_needed) *out_needed = need;
    if (cap < need) return vs__error(VS_EBUFSIZE, "vs_fa_result_get: %s needs %zu doubles, %zu given", what, need, cap);
    if (!buf) return vs__error(VS_EINVAL, "vs_fa_result_get: NULL buffer");
    memcpy(buf, src, need * sizeof(double));
    return VS_OK;
}

int vs_fa_result_get(size_t *out_needed, const vs_fa_result *r, int what, double *buf, size_t cap) {
    if (!r) return vs__error(VS_EINVAL, "vs_fa_result_get: NULL result");
    size_t p = r->p, k = r->k;
    switch (what) {
    case VS_FA_LOADINGS: return copy_out(out_needed, r->loadings, p * k, buf, cap, "loadings");
    case VS_FA_STRUCTURE: return copy_out(out_needed, r->structure, p * k, buf, cap, "structure");
    case VS_FA_PHI: return copy_out(out_needed, r->phi, k * k, buf, cap, "phi");
    case VS_FA_COMMUNALITY: return copy_out(out_needed, r->comm, p, buf, cap, "communality");
    case VS_FA_UNIQUENESSES: return copy_out(out_needed, r->uniq, p, buf, cap, "uniquenesses");
    case VS_FA_EIGENVALUES: return copy_out(out_needed, r->eig, p, buf, cap, "eigenvalues");
    case VS_FA_EIGENVALUES_REDUCED: return copy_out(out_needed, r->eig_red, p, buf, cap, "reduced eigenvalues");
    case VS_FA_SS_LOADINGS: return copy_out(out_needed, r->ss, k, buf, cap, "ss loadings");
    case VS_FA_VARIANCE: return copy_out(out_needed, r->var5, 5 * k, buf, cap, "variance accounted");
    case VS_FA_ROTATION_MATRIX: return copy_out(out_needed, r->rotmat, k * k, buf, cap, "rotation matrix");
    case VS_FA_UNROTATED: return copy_out(out_needed, r->unrot, p * k, buf, cap, "unrotated loadings");
    case VS_FA_PSI: return copy_out(out_needed, r->psi, p, buf, cap, "psi");
    case VS_FA_RESIDUAL: return copy_out(out_needed, r->resid, p * p, buf, cap, "residual");
    case VS_FA_RMSEA_CI: return copy_out(out_needed, r->rmsea_ci, 2, buf, cap, "rmsea interval");
    case VS_FA_HEYWOOD: return copy_out(out_needed, r->heywood, p, buf, cap, "heywood flags");
    case VS_FA_SCORE_R2: return copy_out(out_needed, r->r2, k, buf, cap, "score R2");
    case VS_FA_MEANS:
    case VS_FA_SDS:
        if (!r->has_moments) {
            if (out_needed) *out_needed = 0;
            return vs__error(VS_EUNDEFINED, "vs_fa_result_get: no variable %s (the solution was not fitted from raw "
                             "data)", what == VS_FA_MEANS ? "means" : "standard deviations");
        }
        return copy_out(out_needed, what == VS_FA_MEANS ? r->mean : r->sd, p, buf, cap,
                        what == VS_FA_MEANS ? "means" : "standard deviations");
    case VS_FA_WEIGHTS:
        if (!r->has_weights) {
            if (out_needed) *out_needed = 0;
            return vs__error(VS_EUNDEFINED, "vs_fa_result_get: no score weights (scores \"none\")");
        }
        return copy_out(out_needed, r->weights, p * k, buf, cap, "weights");
    case VS_FA_SCORES:
        if (!r->scores) {
            if (out_needed) *out_needed = 0;
            return vs__error(VS_EUNDEFINED, "vs_fa_result_get: no scores (matrix input or scores \"none\")");
        }
        return copy_out(out_needed, r->scores, r->rows * k, buf, cap, "scores");
    default: return vs__error(VS_EINVAL, "vs_fa_result_get: unknown array %d", what);
    }
}

int vs_fa_result_scalar(double *out, const vs_fa_result *r, int what) {
    if (!out || !r) return vs__error(VS_EINVAL, "vs_fa_result_scalar: NULL argument");
    if (what < VS_FA_STAT_OBJECTIVE || what >= VS_FA_NSTATS)
        return vs__error(VS_EINVAL, "vs_fa_result_scalar: unknown statistic %d", what);
    *out = r->stats[what];
    return VS_OK;
}

int vs_fa_result_weights(size_t *out_needed, const vs_fa_result *r, int method, double *buf, size_t cap) {
    if (!r) return vs__error(VS_EINVAL, "vs_fa_result_weights: NULL result");
    if (method < VS_FA_SCORES_REGRESSION || method > VS_FA_SCORES_ANDERSON)
        return vs__error(VS_EINVAL, "vs_fa_result_weights: unknown method %d", method);
    size_t need = r->p * r->k;
    if (out_needed) *out_needed = need;
    if (cap < need) return vs__error(VS_EBUFSIZE, "vs_fa_result_weights: %zu doubles needed, %zu given", need, cap);
    if (!buf) return vs__error(VS_EINVAL, "vs_fa_result_weights: NULL buffer");
    return vs__fa_weights(buf, r->r, NULL, r->loadings, r->phi, r->p, r->k, method);
}

/* scores of new data standardised by mean and sd (p each; checked by the callers) */
static int scores_with(size_t *out_needed, const vs_fa_result *r, int method, const double *x, size_t rows,
                       size_t cols, const double *mean, const double *sd, double *buf, size_t cap,
                       const char *where) {
    if (method < VS_FA_SCORES_REGRESSION || method > VS_FA_SCORES_ANDERSON)
        return vs__error(VS_EINVAL, "%s: unknown method %d", where, method);
    if (cols != r->p) return vs__error(VS_EMISMATCH, "%s: %zu columns, the solution has %zu variables", where, cols, r->p);
    for (size_t i = 0; i < rows * cols; i++)
        if (!isnan(x[i]) && !isfinite(x[i]))
            return vs__error(VS_EINVAL, "%s: infinite value at row %zu, column %zu", where, i / cols + 1, i % cols + 1);
    size_t need = rows * r->k;
    if (out_needed) *out_needed = need;
    if (cap < need) return vs__error(VS_EBUFSIZE, "%s: %zu doubles needed, %zu given", where, need, cap);
    if (!buf) return vs__error(VS_EINVAL, "%s: NULL buffer", where);
    double *w = vs__malloc(r->p * r->k * sizeof(double));
    if (!w) return vs__nomem(where);
    int rc = vs__fa_weights(w, r->r, NULL, r->loadings, r->phi, r->p, r->k, method);
    if (rc == VS_OK) vs__fa_apply_scores(buf, x, rows, r->p, mean, sd, w, r->k);
    vs__free(w);
    return rc;
}

int vs_fa_result_scores(size_t *out_needed, const vs_fa_result *r, int method, const double *x,
                        size_t rows, size_t cols, double *buf, size_t cap) {
    static const char *where = "vs_fa_result_scores";
    if (!r || !x) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (!r->has_moments)
        return vs__error(VS_EUNDEFINED,
                         "%s: the solution holds no means and standard deviations of its variables (it was fitted "
                         "from a correlation matrix, or saved by a version-1 file): refit it from the raw data, or "
                         "give the training means and standard deviations to vs_fa_result_scores_scaled()",
                         where);
    return scores_with(out_needed, r, method, x, rows, cols, r->mean, r->sd, buf, cap, where);
}

int vs_fa_result_scores_scaled(size_t *out_needed, const vs_fa_result *r, int method, const double *x,
                               size_t rows, size_t cols, const double *means, const double *sds, double *buf,
                               size_t cap) {
    static const char *where = "vs_fa_result_scores_scaled";
    if (!r || !x || !means || !sds) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    for (size_t j = 0; j < r->p && j < cols; j++) {
        if (!isfinite(means[j]))
            return vs__error(VS_EINVAL, "%s: mean %zu is not a finite number", where, j + 1);
        if (!(isfinite(sds[j]) && sds[j] > 0))
            return vs__error(VS_EINVAL, "%s: standard deviation %zu is %g; it must be positive and finite", where,
                             j + 1, sds[j]);
    }
    return scores_with(out_needed, r, method, x, rows, cols, means, sds, buf, cap, where);
}
