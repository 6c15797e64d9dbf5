/* The public face of the fa module: options (typed setters keyed by enum, bounds), the fit
 * pipeline (extraction -> rotation -> conventions -> statistics -> score weights) and the result
 * accessors. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "common/option_table.h"
#include "fa/fa_internal.h"

#define NSTATS 23

struct vs_fa_result {
    size_t p, k, rows;
    double *loadings, *structure, *phi, *comm, *uniq, *eig, *eig_red, *ss, *var5, *rotmat;
    double *unrot, *psi, *resid, *weights, *scores, *r;
    double stats[NSTATS];
    double rmsea_ci[2];
    int has_weights;
};

/* ---- options (lib/common/option_table.h) */

static const vs__opt_name method_names[] = {
    {"minres", VS_FA_MINRES}, {"uls", VS_FA_ULS}, {"pa", VS_FA_PA}, {"ml", VS_FA_ML}, {"mle", VS_FA_ML},
    {"wls", VS_FA_WLS}, {"gls", VS_FA_GLS}, {NULL, 0}};
static const vs__opt_name rotation_names[] = {
    {"none", VS_FA_ROT_NONE},           {"varimax", VS_FA_ROT_VARIMAX},   {"quartimax", VS_FA_ROT_QUARTIMAX},
    {"equamax", VS_FA_ROT_EQUAMAX},     {"promax", VS_FA_ROT_PROMAX},     {"oblimin", VS_FA_ROT_OBLIMIN},
    {"quartimin", VS_FA_ROT_QUARTIMIN}, {"geominQ", VS_FA_ROT_GEOMIN_Q},  {"geominT", VS_FA_ROT_GEOMIN_T},
    {"bentlerT", VS_FA_ROT_BENTLER_T},  {"bentlerQ", VS_FA_ROT_BENTLER_Q}, {NULL, 0}};
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
    VS__OPT_ROW_ENUM(vs_fa, VS_FA_OPT_METHOD, method, 0, 5, "method", method_names, NULL),
    VS__OPT_ROW_ENUM(vs_fa, VS_FA_OPT_ROTATION, rotation, 0, 10, "rotation", rotation_names, NULL),
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
    *out = fa;
    return VS_OK;
}

void vs_fa_free(vs_fa *fa) { vs__free(fa); }

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
    vs__free(r->loadings);
    vs__free(r->scores);
    vs__free(r);
}

size_t vs_fa_result_variable_count(const vs_fa_result *r) { return r ? r->p : 0; }
size_t vs_fa_result_factor_count(const vs_fa_result *r) { return r ? r->k : 0; }

static vs_fa_result *result_new(size_t p, size_t k) {
    vs_fa_result *r = vs__calloc(1, sizeof *r);
    if (!r) return NULL;
    r->p = p;
    r->k = k;
    /* one block for every array */
    size_t pk = p * k, kk = k * k, pp = p * p;
    size_t total = 5 * pk + 2 * kk + 5 * p + k + 5 * k + 2 * pp;
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
    r->r = b + pp;
    return r;
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
    int tight = fa->mode == VS_FA_MODE_TIGHT;
    vs_fa_result *res = result_new(p, k);
    if (!res) return vs__nomem(where);
    memcpy(res->r, d->r, p * p * sizeof(double));
    int rc;
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
    x.p = p;
    x.k = k;
    x.method = (int)fa->method;
    x.tight = tight;
    x.max_iter = fa->max_iter > 0 ? fa->max_iter : fa->method == VS_FA_PA ? (tight ? 10000 : 50) : (tight ? 10000 : 1000);
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
    double heywood = 0;
    for (size_t i = 0; i < p; i++) {
        double h = 0;
        for (size_t j = 0; j < k; j++) h += res->unrot[i * k + j] * res->unrot[i * k + j];
        res->comm[i] = h;
        res->uniq[i] = 1.0 - h;
        int at_bound = fa->method != VS_FA_PA && res->psi[i] <= VS_FA_PSI_LOWER * (1 + 1e-9);
        if (at_bound || h >= 1.0) heywood += 1;
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
    for (int i = 0; i < NSTATS; i++) st[i] = NAN;
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
    res->rmsea_ci[0] = fs.rmsea_lower;
    res->rmsea_ci[1] = fs.rmsea_upper;
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
            rc = vs__fa_apply_scores(res->scores, d->x, d->rows, p, res->weights, k);
            if (rc != VS_OK) goto fail;
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
    if (what < VS_FA_STAT_OBJECTIVE || what >= NSTATS)
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

int vs_fa_result_scores(size_t *out_needed, const vs_fa_result *r, int method, const double *x,
                        size_t rows, size_t cols, double *buf, size_t cap) {
    static const char *where = "vs_fa_result_scores";
    if (!r || !x) return vs__error(VS_EINVAL, "%s: NULL argument", where);
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
    if (rc == VS_OK) rc = vs__fa_apply_scores(buf, x, rows, r->p, w, r->k);
    vs__free(w);
    return rc;
}
