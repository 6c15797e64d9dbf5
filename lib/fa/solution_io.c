/* Saving a fitted factor solution as a versioned JSON document and loading it back, so that
 * congruence, scores of new data and plots can run later without refitting. Every array and
 * statistic of the result is kept (the correlation matrix too, for score weights); the scores
 * of the fitted data are not, but the fitted data's column means and standard deviations are, so
 * that new data are scored in the fit's scale. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"
#include "io/file.h"
#include "io/json_doc.h"

#define SCHEMA_NAME "valuespace.fa_solution"
#define SCHEMA_VERSION 2 /* 2 added "means" and "sds"; version 1 is still read */
#define MAX_DOCUMENT_BYTES ((size_t)1 << 30)
#define MAX_DEPTH 8

/* statistic names by vs_fa_stat value (index 0 unused) */
static const char *const stat_names[VS_FA_NSTATS] = {
    NULL, "objective", "chi_square", "df", "p_value", "rmsea", "rmsea_lower", "rmsea_upper", "tli", "bic",
    "rmsr", "criterion", "converged", "iterations", "heywood", "null_chi_square", "null_df", "n_obs",
    "rotate_iterations", "best_start", "smoothed", "rotation_criterion", "rotation_best_start",
    "extraction_converged", "rotation_converged", "ultra_heywood", "sabic", "ebic", "esabic", "crms"};

/* the arrays of a document: name, shape (in p, k) and whether null entries (NaN) are allowed */
enum { A_LOADINGS, A_STRUCTURE, A_PHI, A_COMM, A_UNIQ, A_EIG, A_EIGRED, A_SS, A_VAR, A_ROTMAT, A_UNROT,
       A_PSI, A_RESID, A_COR, A_WEIGHTS, A_HEYWOOD, A_R2, A_RMSEA_CI, A_COUNT };
static const char *const array_names[A_COUNT] = {
    "loadings", "structure", "phi", "communality", "uniquenesses", "eigenvalues", "eigenvalues_reduced",
    "ss_loadings", "variance", "rotation_matrix", "unrotated", "psi", "residual", "correlation", "weights",
    "heywood", "score_r2", "rmsea_ci"};

static double **array_ptr(vs_fa_result *r, int a) {
    switch (a) {
    case A_LOADINGS: return &r->loadings;
    case A_STRUCTURE: return &r->structure;
    case A_PHI: return &r->phi;
    case A_COMM: return &r->comm;
    case A_UNIQ: return &r->uniq;
    case A_EIG: return &r->eig;
    case A_EIGRED: return &r->eig_red;
    case A_SS: return &r->ss;
    case A_VAR: return &r->var5;
    case A_ROTMAT: return &r->rotmat;
    case A_UNROT: return &r->unrot;
    case A_PSI: return &r->psi;
    case A_RESID: return &r->resid;
    case A_COR: return &r->r;
    case A_WEIGHTS: return &r->weights;
    case A_HEYWOOD: return &r->heywood;
    case A_R2: return &r->r2;
    default: return NULL;
    }
}

/* rows and columns (0 columns = a vector) of array a */
static void array_shape(int a, size_t p, size_t k, size_t *rows, size_t *cols) {
    static const struct { char r, c; } sh[A_COUNT] = {
        {'p', 'k'}, {'p', 'k'}, {'k', 'k'}, {'p', 0}, {'p', 0}, {'p', 0}, {'p', 0}, {'k', 0}, {'5', 'k'},
        {'k', 'k'}, {'p', 'k'}, {'p', 0}, {'p', 'p'}, {'p', 'p'}, {'p', 'k'}, {'p', 0}, {'k', 0}, {'2', 0}};
    size_t v[2];
    char c[2] = {sh[a].r, sh[a].c};
    for (int i = 0; i < 2; i++) v[i] = c[i] == 'p' ? p : c[i] == 'k' ? k : c[i] == '5' ? 5 : c[i] == '2' ? 2 : 0;
    *rows = v[0];
    *cols = v[1];
}

static int nan_allowed(int a) { return a == A_R2 || a == A_RMSEA_CI; }

int vs_fa_result_save_json(char **out, const vs_fa_result *r, const char *const *names) {
    static const char where[] = "vs_fa_result_save_json";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!r) return vs__error(VS_EINVAL, "%s: result is NULL", where);
    size_t p = r->p, k = r->k;
    if (!names) names = (const char *const *)r->names;
    if (names)
        for (size_t i = 0; i < p; i++)
            if (!names[i]) return vs__error(VS_EINVAL, "%s: variable name %zu is NULL", where, i + 1);
    vs_json_writer w;
    vs__jw_init(&w, 0); /* compact: matrices of p x p numbers */
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "schema");
    vs__jw_string(&w, SCHEMA_NAME);
    vs__jw_key(&w, "version");
    vs__jw_int(&w, SCHEMA_VERSION);
    vs__jw_key(&w, "variables");
    if (names) {
        vs__jw_begin_array(&w);
        for (size_t i = 0; i < p; i++) vs__jw_string(&w, names[i]);
        vs__jw_end_array(&w);
    } else {
        vs__jw_null(&w);
    }
    vs__jw_key(&w, "nfactors");
    vs__jw_int(&w, (long long)k);
    vs__jw_key(&w, "statistics");
    vs__jw_begin_object(&w);
    for (int s = 1; s < VS_FA_NSTATS; s++) {
        vs__jw_key(&w, stat_names[s]);
        vs__jw_number(&w, r->stats[s]); /* NaN is written as null */
    }
    vs__jw_end_object(&w);
    for (int m = 0; m < 2; m++) {
        vs__jw_key(&w, m ? "sds" : "means");
        if (!r->has_moments) {
            vs__jw_null(&w);
            continue;
        }
        vs__jw_begin_array(&w);
        for (size_t i = 0; i < p; i++) vs__jw_number(&w, m ? r->sd[i] : r->mean[i]);
        vs__jw_end_array(&w);
    }
    for (int a = 0; a < A_COUNT; a++) {
        vs__jw_key(&w, array_names[a]);
        const double *v = a == A_RMSEA_CI ? r->rmsea_ci : *array_ptr((vs_fa_result *)r, a);
        if (a == A_WEIGHTS && !r->has_weights) {
            vs__jw_null(&w);
            continue;
        }
        size_t rows, cols;
        array_shape(a, p, k, &rows, &cols);
        vs__jw_begin_array(&w);
        for (size_t i = 0; i < rows; i++) {
            if (!cols) {
                vs__jw_number(&w, v[i]);
                continue;
            }
            vs__jw_begin_array(&w);
            for (size_t j = 0; j < cols; j++) vs__jw_number(&w, v[i * cols + j]);
            vs__jw_end_array(&w);
        }
        vs__jw_end_array(&w);
    }
    vs__jw_end_object(&w);
    int rc = vs__jw_finish(&w, out);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", where);
    return VS_OK;
}

int vs_fa_result_save_file(const vs_fa_result *r, const char *const *names, const char *path) {
    if (!path) return vs__error(VS_EINVAL, "vs_fa_result_save_file: path is NULL");
    char *text = NULL;
    int rc = vs_fa_result_save_json(&text, r, names);
    if (rc != VS_OK) return rc;
    rc = vs__write_file(path, text, strlen(text));
    vs__free(text);
    return rc;
}

/* ------------------------------------------------------------------ loading */

/* a number, or null (NaN) where allowed */
static int want_number(double *out, const char *src, const vs_json *v, int allow_null, const char *what) {
    if (v->type == VS_JSON_NULL && allow_null) {
        *out = NAN;
        return VS_OK;
    }
    int rc = vs__jd_want_type(src, v, VS_JSON_NUMBER, what);
    if (rc == VS_OK) *out = v->u.number;
    return rc;
}

static int load_array(double *dst, const char *src, const vs_json *v, int a, size_t p, size_t k) {
    size_t rows, cols;
    array_shape(a, p, k, &rows, &cols);
    const char *name = array_names[a];
    int rc = vs__jd_want_type(src, v, VS_JSON_ARRAY, name);
    if (rc != VS_OK) return rc;
    if (v->u.array.count != rows)
        return vs__jd_error(src, v, VS_EMISMATCH, "\"%s\" has %zu entries, expected %zu", name, v->u.array.count, rows);
    for (size_t i = 0; i < rows; i++) {
        const vs_json *row = v->u.array.items[i];
        if (!cols) {
            if ((rc = want_number(&dst[i], src, row, nan_allowed(a), name)) != VS_OK) return rc;
            continue;
        }
        if ((rc = vs__jd_want_type(src, row, VS_JSON_ARRAY, name)) != VS_OK) return rc;
        if (row->u.array.count != cols)
            return vs__jd_error(src, row, VS_EMISMATCH, "a row of \"%s\" has %zu entries, expected %zu", name,
                                row->u.array.count, cols);
        for (size_t j = 0; j < cols; j++)
            if ((rc = want_number(&dst[i * cols + j], src, row->u.array.items[j], 0, name)) != VS_OK) return rc;
    }
    return VS_OK;
}

/* "means" and "sds" (version 2): both null, or p means and p positive standard deviations */
static int load_moments(vs_fa_result *r, const char *src, const vs_json *means, const vs_json *sds) {
    if (means->type == VS_JSON_NULL && sds->type == VS_JSON_NULL) return VS_OK;
    const vs_json *v[2] = {means, sds};
    for (int m = 0; m < 2; m++) {
        const char *name = m ? "sds" : "means";
        int rc = vs__jd_want_type(src, v[m], VS_JSON_ARRAY, name);
        if (rc != VS_OK) return rc;
        if (v[m]->u.array.count != r->p)
            return vs__jd_error(src, v[m], VS_EMISMATCH, "\"%s\" has %zu entries, expected %zu", name,
                                v[m]->u.array.count, r->p);
        double *dst = m ? r->sd : r->mean;
        for (size_t i = 0; i < r->p; i++) {
            const vs_json *x = v[m]->u.array.items[i];
            if ((rc = want_number(&dst[i], src, x, 0, name)) != VS_OK) return rc;
            if (m && !(dst[i] > 0))
                return vs__jd_error(src, x, VS_EPARSE, "standard deviation %zu is %g; it must be positive", i + 1,
                                    dst[i]);
        }
    }
    r->has_moments = 1;
    return VS_OK;
}

enum { T_SCHEMA, T_VERSION, T_VARIABLES, T_NFACTORS, T_STATISTICS, T_MEANS, T_SDS, T_ARRAYS };

static int load_document(vs_fa_result **out, const char *src, const vs_json *root) {
    int rc = vs__jd_want_type(src, root, VS_JSON_OBJECT, "a factor solution");
    if (rc != VS_OK) return rc;
    const vs_json *ver = vs__json_get(root, "version");
    int version = ver && ver->type == VS_JSON_NUMBER && ver->u.number == 1 ? 1 : SCHEMA_VERSION;
    if ((rc = vs__jd_check_schema(src, root, SCHEMA_NAME, version)) != VS_OK) return rc;
    const char *fields[T_ARRAYS + A_COUNT] = {"schema", "version", "variables", "nfactors", "statistics", "means",
                                              "sds"};
    for (int a = 0; a < A_COUNT; a++) fields[T_ARRAYS + a] = array_names[a];
    const vs_json *f[T_ARRAYS + A_COUNT];
    if ((rc = vs__jd_members(f, src, root, (const char *const *)fields, T_ARRAYS + A_COUNT, "a factor solution")) !=
        VS_OK)
        return rc;
    for (int i = T_NFACTORS; i < T_ARRAYS + A_COUNT; i++) {
        if (version == 1 && (i == T_MEANS || i == T_SDS)) {
            if (f[i]) return vs__jd_error(src, f[i], VS_EPARSE, "\"%s\" is a field of version 2, not 1", fields[i]);
            continue;
        }
        if (!f[i]) return vs__jd_error(src, root, VS_EPARSE, "missing \"%s\"", fields[i]);
    }
    if ((rc = vs__jd_want_type(src, f[T_NFACTORS], VS_JSON_NUMBER, "\"nfactors\"")) != VS_OK) return rc;
    if ((rc = vs__jd_want_type(src, f[T_ARRAYS + A_PSI], VS_JSON_ARRAY, "\"psi\"")) != VS_OK) return rc;
    double kd = f[T_NFACTORS]->u.number;
    size_t p = f[T_ARRAYS + A_PSI]->u.array.count;
    if (!(kd >= 1 && kd == floor(kd) && kd <= (double)p) || p < 2 || p > 100000)
        return vs__jd_error(src, f[T_NFACTORS], VS_ERANGE,
                            "%g factors for %zu variables (\"psi\"): need 1 <= factors <= variables, 2 to 100000 "
                            "variables", kd, p);
    size_t k = (size_t)kd;
    vs_fa_result *r = vs__fa_result_new(p, k);
    if (!r) return vs__nomem("vs_fa_result_load_json");
    for (int a = 0; a < A_COUNT && rc == VS_OK; a++) {
        const vs_json *v = f[T_ARRAYS + a];
        if (a == A_WEIGHTS && v->type == VS_JSON_NULL) continue;
        rc = load_array(a == A_RMSEA_CI ? r->rmsea_ci : *array_ptr(r, a), src, v, a, p, k);
        if (a == A_WEIGHTS) r->has_weights = 1;
    }
    if (rc == VS_OK && version >= 2) rc = load_moments(r, src, f[T_MEANS], f[T_SDS]);
    const vs_json *st = f[T_STATISTICS];
    if (rc == VS_OK) rc = vs__jd_want_type(src, st, VS_JSON_OBJECT, "\"statistics\"");
    if (rc == VS_OK) {
        const vs_json *sv[VS_FA_NSTATS - 1];
        rc = vs__jd_members(sv, src, st, stat_names + 1, VS_FA_NSTATS - 1, "\"statistics\"");
        for (int s = 1; s < VS_FA_NSTATS && rc == VS_OK; s++) {
            if (!sv[s - 1]) rc = vs__jd_error(src, st, VS_EPARSE, "missing statistic \"%s\"", stat_names[s]);
            else rc = want_number(&r->stats[s], src, sv[s - 1], 1, stat_names[s]);
        }
    }
    const vs_json *vars = f[T_VARIABLES];
    if (rc == VS_OK && vars && vars->type != VS_JSON_NULL) {
        rc = vs__jd_want_type(src, vars, VS_JSON_ARRAY, "\"variables\"");
        if (rc == VS_OK && vars->u.array.count != p)
            rc = vs__jd_error(src, vars, VS_EMISMATCH, "%zu variable names for %zu variables", vars->u.array.count, p);
        if (rc == VS_OK && !(r->names = vs__calloc(p, sizeof *r->names))) rc = vs__nomem("vs_fa_result_load_json");
        for (size_t i = 0; i < p && rc == VS_OK; i++) {
            const char *name;
            rc = vs__jd_want_string(&name, src, vars->u.array.items[i], "a variable name");
            if (rc == VS_OK && !(r->names[i] = vs__strdup(name))) rc = vs__nomem("vs_fa_result_load_json");
        }
    }
    if (rc != VS_OK) {
        vs_fa_result_free(r);
        return rc;
    }
    *out = r;
    return VS_OK;
}

int vs_fa_result_load_json(vs_fa_result **out, const char *json, size_t length, const char *source_name) {
    static const char where[] = "vs_fa_result_load_json";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!json) return vs__error(VS_EINVAL, "%s: json is NULL", where);
    const char *src = source_name ? source_name : "<json>";
    if (length > MAX_DOCUMENT_BYTES)
        return vs__error(VS_ELIMIT, "%s: document is %zu bytes long, more than the limit of %zu", src, length,
                         MAX_DOCUMENT_BYTES);
    vs_json *root = NULL;
    int rc = vs__json_parse(&root, json, length, src, MAX_DEPTH);
    if (rc == VS_OK) rc = load_document(out, src, root);
    vs__json_free(root);
    return rc;
}

int vs_fa_result_load_file(vs_fa_result **out, const char *path) {
    static const char where[] = "vs_fa_result_load_file";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!path) return vs__error(VS_EINVAL, "%s: path is NULL", where);
    char *text = NULL;
    size_t len = 0;
    int rc = vs__read_file(&text, &len, path, MAX_DOCUMENT_BYTES);
    if (rc != VS_OK) return rc;
    rc = vs_fa_result_load_json(out, text, len, path);
    vs__free(text);
    return rc;
}
