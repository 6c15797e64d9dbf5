/* Reading an analysis: scalars, arrays, names, the space and the JSON report. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/sort.h"
#include "io/json.h"
#include "lexical/analysis_internal.h"

int vs_lexical_result_scalar(double *out, const vs_lexical_result *r, int what) {
    if (!out || !r) return vs__error(VS_EINVAL, "vs_lexical_result_scalar: NULL argument");
    switch (what) {
    case VS_LEXICAL_STAT_N_RESPONSES: *out = (double)r->n; break;
    case VS_LEXICAL_STAT_N_TERMS: *out = (double)r->p; break;
    case VS_LEXICAL_STAT_KMO: *out = r->kmo; break;
    case VS_LEXICAL_STAT_BARTLETT_CHI2: *out = r->chi2; break;
    case VS_LEXICAL_STAT_BARTLETT_DF: *out = r->df; break;
    case VS_LEXICAL_STAT_BARTLETT_P: *out = r->pval; break;
    case VS_LEXICAL_STAT_N_FACTORS: *out = (double)r->k; break;
    case VS_LEXICAL_STAT_PARALLEL_FACTORS: *out = r->parallel; break;
    case VS_LEXICAL_STAT_N_SUBDIMS: *out = (double)r->s; break;
    case VS_LEXICAL_STAT_SILHOUETTE: *out = r->silhouette; break;
    default: return vs__error(VS_EINVAL, "vs_lexical_result_scalar: unknown statistic %d", what);
    }
    return VS_OK;
}

int vs_lexical_result_get(size_t *out_needed, const vs_lexical_result *r, int what, double *buf, size_t cap) {
    if (!r || (!buf && cap > 0)) return vs__error(VS_EINVAL, "vs_lexical_result_get: NULL argument");
    const double *src;
    size_t n;
    switch (what) {
    case VS_LEXICAL_LOADINGS: src = r->loadings, n = r->p * r->k; break;
    case VS_LEXICAL_FACTOR: src = r->factor, n = r->p; break;
    case VS_LEXICAL_LOADING: src = r->loading, n = r->p; break;
    case VS_LEXICAL_SUBDIM: src = r->subdim, n = r->p; break;
    case VS_LEXICAL_SUBDIM_FACTOR: src = r->subfactor, n = r->s; break;
    case VS_LEXICAL_FACTOR_SILHOUETTE: src = r->fsil, n = r->k; break;
    case VS_LEXICAL_MSA: src = r->msa, n = r->p; break;
    case VS_LEXICAL_EIGENVALUES: src = r->eig, n = r->p; break;
    case VS_LEXICAL_COMMUNALITY: src = r->comm, n = r->p; break;
    default: return vs__error(VS_EINVAL, "vs_lexical_result_get: unknown array %d", what);
    }
    if (out_needed) *out_needed = n;
    if (cap < n) return vs__error(VS_EBUFSIZE, "vs_lexical_result_get: buffer of %zu, need %zu", cap, n);
    if (n) memcpy(buf, src, n * sizeof *buf);
    return VS_OK;
}

const char *vs_lexical_result_term(const vs_lexical_result *r, size_t j) {
    return r && j < r->p ? r->terms.v[j] : NULL;
}

const char *vs_lexical_result_name(const vs_lexical_result *r, int level, size_t index) {
    if (!r) return NULL;
    if (level == 1) return index < r->k ? r->fnames.v[index] : NULL;
    if (level == 0) return index < r->s ? r->snames.v[index] : NULL;
    return NULL;
}

static int add_dim(vs_space_builder *b, const char *level, const char *key, const char *label) {
    int rc = vs_space_builder_add_dimension(b, level, key, label);
    if (rc == VS_EDUPLICATE) { /* a default label clashing with another: make it unique with the key */
        char buf[VS_LEXICON_MAX_TERM_BYTES * 4 + 80];
        snprintf(buf, sizeof buf, "%s (%s)", label, key);
        rc = vs_space_builder_add_dimension(b, level, key, buf);
    }
    return rc;
}

int vs_lexical_result_space(vs_space **out, const vs_lexical_result *r, const char *space_name,
                            const char *const *fnames, size_t nf, const char *const *snames, size_t ns) {
    if (!out) return vs__error(VS_EINVAL, "vs_lexical_result_space: out is NULL");
    *out = NULL;
    if (!r) return vs__error(VS_EINVAL, "vs_lexical_result_space: result is NULL");
    if (fnames && nf != r->k)
        return vs__error(VS_EMISMATCH, "vs_lexical_result_space: %zu factor names for %zu factors", nf, r->k);
    if (snames && ns != r->s)
        return vs__error(VS_EMISMATCH, "vs_lexical_result_space: %zu sub-dimension names for %zu sub-dimensions", ns, r->s);
    vs_space_builder *b = NULL;
    int rc = vs_space_builder_create(&b, space_name ? space_name : "valuelex");
    if (rc == VS_OK) rc = vs_space_builder_add_level(b, "subdimension");
    if (rc == VS_OK) rc = vs_space_builder_add_level(b, "dimension");
    char key[48], pkey[48];
    for (size_t f = 0; f < r->k && rc == VS_OK; f++) {
        snprintf(key, sizeof key, "F%zu", f + 1);
        const char *label = fnames && fnames[f] ? fnames[f] : r->fnames.v[f];
        rc = fnames && fnames[f] ? vs_space_builder_add_dimension(b, "dimension", key, label)
                                 : add_dim(b, "dimension", key, label);
    }
    size_t *local = vs__calloc(r->k ? r->k : 1, sizeof *local);
    if (!local && rc == VS_OK) rc = vs__nomem("vs_lexical_result_space");
    for (size_t c = 0; c < r->s && rc == VS_OK; c++) {
        size_t f = (size_t)r->subfactor[c];
        snprintf(key, sizeof key, "F%zu.%zu", f + 1, ++local[f]);
        snprintf(pkey, sizeof pkey, "F%zu", f + 1);
        const char *label = snames && snames[c] ? snames[c] : r->snames.v[c];
        rc = snames && snames[c] ? vs_space_builder_add_dimension(b, "subdimension", key, label)
                                 : add_dim(b, "subdimension", key, label);
        if (rc == VS_OK) rc = vs_space_builder_set_parent(b, "subdimension", key, "dimension", pkey);
        for (size_t j = 0; j < r->p && rc == VS_OK; j++) {
            if ((size_t)r->subdim[j] != c) continue;
            int a = vs_space_builder_add_alias(b, "subdimension", key, r->terms.v[j]);
            if (a != VS_EDUPLICATE && a != VS_ELIMIT) rc = a; /* a clash or too many aliases: left out */
        }
    }
    vs__free(local);
    if (rc == VS_OK) rc = vs_space_builder_freeze(out, b);
    vs_space_builder_free(b);
    if (rc != VS_OK) *out = NULL;
    return rc;
}

typedef struct ord_ctx {
    const double *w;
} ord_ctx;

static int by_abs(const void *a, const void *b, void *ctx) {
    const ord_ctx *c = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    double wx = fabs(c->w[x]), wy = fabs(c->w[y]);
    if (wx != wy) return wx > wy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void numbers(vs_json_writer *w, const double *x, size_t n) {
    vs__jw_begin_array(w);
    for (size_t i = 0; i < n; i++) vs__jw_number(w, x[i]);
    vs__jw_end_array(w);
}

int vs_lexical_result_report(char **out, const vs_lexical_result *r) {
    if (!out) return vs__error(VS_EINVAL, "vs_lexical_result_report: out is NULL");
    *out = NULL;
    if (!r) return vs__error(VS_EINVAL, "vs_lexical_result_report: result is NULL");
    size_t *idx = vs__malloc((r->p ? r->p : 1) * sizeof *idx);
    if (!idx) return vs__nomem("vs_lexical_result_report");
    vs_json_writer w;
    vs__jw_init(&w, 1);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "n_responses");
    vs__jw_int(&w, (long long)r->n);
    vs__jw_key(&w, "n_terms");
    vs__jw_int(&w, (long long)r->p);
    vs__jw_key(&w, "matrix");
    vs__jw_string(&w, r->counts ? "counts" : "presence");
    vs__jw_key(&w, "kmo");
    vs__jw_number(&w, r->kmo);
    vs__jw_key(&w, "bartlett");
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "chi_square");
    vs__jw_number(&w, r->chi2);
    vs__jw_key(&w, "df");
    vs__jw_number(&w, r->df);
    vs__jw_key(&w, "p_value");
    vs__jw_number(&w, r->pval);
    vs__jw_end_object(&w);
    vs__jw_key(&w, "parallel_factors");
    vs__jw_number(&w, r->parallel);
    vs__jw_key(&w, "n_factors");
    vs__jw_int(&w, (long long)r->k);
    vs__jw_key(&w, "method");
    vs__jw_string(&w, r->method);
    vs__jw_key(&w, "rotation");
    vs__jw_string(&w, r->rotation);
    vs__jw_key(&w, "silhouette");
    vs__jw_number(&w, r->silhouette);
    vs__jw_key(&w, "terms");
    vs__jw_begin_array(&w);
    for (size_t j = 0; j < r->p; j++) {
        vs__jw_begin_object(&w);
        vs__jw_key(&w, "term");
        vs__jw_string(&w, r->terms.v[j]);
        vs__jw_key(&w, "msa");
        vs__jw_number(&w, r->msa[j]);
        vs__jw_key(&w, "communality");
        vs__jw_number(&w, r->comm[j]);
        vs__jw_key(&w, "loadings");
        numbers(&w, r->loadings + j * r->k, r->k);
        vs__jw_end_object(&w);
    }
    vs__jw_end_array(&w);
    vs__jw_key(&w, "eigenvalues");
    numbers(&w, r->eig, r->p);
    vs__jw_key(&w, "factors");
    vs__jw_begin_array(&w);
    size_t first_sub = 0;
    for (size_t f = 0; f < r->k; f++) {
        vs__jw_begin_object(&w);
        vs__jw_key(&w, "name");
        vs__jw_string(&w, r->fnames.v[f]);
        vs__jw_key(&w, "silhouette");
        vs__jw_number(&w, r->fsil[f]);
        size_t m = 0;
        for (size_t j = 0; j < r->p; j++)
            if ((size_t)r->factor[j] == f) idx[m++] = j;
        ord_ctx c = {r->loading};
        vs__sort(idx, m, sizeof *idx, by_abs, &c);
        vs__jw_key(&w, "subdims");
        vs__jw_begin_array(&w);
        size_t ns = 0;
        for (size_t s = first_sub; s < r->s && (size_t)r->subfactor[s] == f; s++, ns++) {
            vs__jw_begin_object(&w);
            vs__jw_key(&w, "name");
            vs__jw_string(&w, r->snames.v[s]);
            vs__jw_key(&w, "terms");
            vs__jw_begin_array(&w);
            for (size_t i = 0; i < m; i++)
                if ((size_t)r->subdim[idx[i]] == s) vs__jw_string(&w, r->terms.v[idx[i]]);
            vs__jw_end_array(&w);
            vs__jw_end_object(&w);
        }
        vs__jw_end_array(&w);
        vs__jw_key(&w, "terms");
        vs__jw_begin_array(&w);
        for (size_t i = 0; i < m; i++) {
            vs__jw_begin_object(&w);
            vs__jw_key(&w, "term");
            vs__jw_string(&w, r->terms.v[idx[i]]);
            vs__jw_key(&w, "loading");
            vs__jw_number(&w, r->loading[idx[i]]);
            vs__jw_key(&w, "cluster");
            vs__jw_int(&w, (long long)((size_t)r->subdim[idx[i]] - first_sub));
            vs__jw_end_object(&w);
        }
        vs__jw_end_array(&w);
        vs__jw_end_object(&w);
        first_sub += ns;
    }
    vs__jw_end_array(&w);
    vs__jw_end_object(&w);
    vs__free(idx);
    char *text = NULL;
    int rc = vs__jw_finish(&w, &text);
    if (rc != VS_OK) return rc == VS_ENOMEM ? vs__nomem("vs_lexical_result_report") : vs__error(rc, "vs_lexical_result_report: writer failed");
    *out = text;
    return VS_OK;
}
