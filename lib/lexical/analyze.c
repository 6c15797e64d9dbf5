/* The analysis: matrix -> correlations -> KMO, Bartlett -> number of factors -> factor analysis
 * -> term assignment -> clustering of each factor's terms on their vectors -> names. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/option_table.h"
#include "common/sort.h"
#include "lexical/analysis_internal.h"

/* ---- options (lib/common/option_table.h); the names of the method and the rotation are those of
 * vs_fa_set_str(), and a fresh vs_fa gets them at each analysis */
static const vs__opt_name method_names[] = {
    {"minres", VS_FA_MINRES}, {"uls", VS_FA_ULS}, {"pa", VS_FA_PA}, {"ml", VS_FA_ML}, {"mle", VS_FA_ML},
    {"wls", VS_FA_WLS}, {"gls", VS_FA_GLS}, {NULL, 0}};
static const vs__opt_name rotation_names[] = {
    {"none", VS_FA_ROT_NONE},           {"varimax", VS_FA_ROT_VARIMAX},   {"quartimax", VS_FA_ROT_QUARTIMAX},
    {"equamax", VS_FA_ROT_EQUAMAX},     {"promax", VS_FA_ROT_PROMAX},     {"oblimin", VS_FA_ROT_OBLIMIN},
    {"quartimin", VS_FA_ROT_QUARTIMIN}, {"geominQ", VS_FA_ROT_GEOMIN_Q},  {"geominT", VS_FA_ROT_GEOMIN_T},
    {"bentlerT", VS_FA_ROT_BENTLER_T},  {"bentlerQ", VS_FA_ROT_BENTLER_Q}, {NULL, 0}};
static const vs__opt_name metric_names[] = {
    {"cosine", VS_CLUSTER_COSINE}, {"euclidean", VS_CLUSTER_EUCLIDEAN}, {NULL, 0}};

static const vs__option opts[] = {
    VS__OPT_ROW_INT(vs_lexical, VS_LEXICAL_OPT_NFACTORS, nfactors, 0, 1000, "nfactors"),
    VS__OPT_ROW_INT(vs_lexical, VS_LEXICAL_OPT_COUNTS, counts, 0, 1, "counts"),
    VS__OPT_ROW_ENUM(vs_lexical, VS_LEXICAL_OPT_METHOD, method, 0, 5, "method", method_names, NULL),
    VS__OPT_ROW_ENUM(vs_lexical, VS_LEXICAL_OPT_ROTATION, rotation, 0, 10, "rotation", rotation_names, NULL),
    VS__OPT_ROW_INT(vs_lexical, VS_LEXICAL_OPT_SEED, seed, -9.2233720368547758e18, 9.2233720368547758e18, "seed"),
    VS__OPT_ROW_INT(vs_lexical, VS_LEXICAL_OPT_SUBDIMS, subdims, 0, 1000, "subdims"),
    VS__OPT_ROW_INT(vs_lexical, VS_LEXICAL_OPT_SUBDIMS_MIN, kmin, 2, 1000, "subdims_min"),
    VS__OPT_ROW_INT(vs_lexical, VS_LEXICAL_OPT_SUBDIMS_MAX, kmax, 2, 1000, "subdims_max"),
    VS__OPT_ROW_INT(vs_lexical, VS_LEXICAL_OPT_NAME_TERMS, name_terms, 1, 20, "name_terms"),
    VS__OPT_ROW_ENUM(vs_lexical, VS_LEXICAL_OPT_METRIC, metric, 0, 1, "metric", metric_names, NULL),
};
static const vs__option_table table = VS__OPTION_TABLE("vs_lexical", opts);

int vs_lexical_create(vs_lexical **out) {
    if (!out) return vs__error(VS_EINVAL, "vs_lexical_create: out is NULL");
    *out = NULL;
    vs_lexical *x = vs__calloc(1, sizeof *x);
    if (!x) return vs__nomem("vs_lexical_create");
    x->method = VS_FA_MINRES;
    x->rotation = VS_FA_ROT_OBLIMIN;
    x->kmin = 2;
    x->kmax = 4;
    x->name_terms = 2;
    x->metric = VS_CLUSTER_COSINE;
    *out = x;
    return VS_OK;
}

void vs_lexical_free(vs_lexical *x) { vs__free(x); }

int vs_lexical_set_int(vs_lexical *x, int option, int64_t value) { return vs__opt_set_int(&table, x, option, value); }
int vs_lexical_set_str(vs_lexical *x, int option, const char *value) {
    return vs__opt_set_str(&table, x, option, value);
}
int vs_lexical_get_int(int64_t *out, const vs_lexical *x, int option) {
    return vs__opt_get_int(&table, out, x, option);
}
int vs_lexical_get_str(const char **out, const vs_lexical *x, int option) {
    return vs__opt_get_str(&table, out, x, option);
}
int vs_lexical_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_lexical_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_lexical_option_name(int option) { return vs__opt_name_of(&table, option); }

void vs_lexical_result_free(vs_lexical_result *r) {
    if (!r) return;
    vs__strlist_clear(&r->terms);
    vs__strlist_clear(&r->fnames);
    vs__strlist_clear(&r->snames);
    vs__free(r->loadings);
    vs__free(r->factor);
    vs__free(r->loading);
    vs__free(r->subdim);
    vs__free(r->subfactor);
    vs__free(r->fsil);
    vs__free(r->msa);
    vs__free(r->eig);
    vs__free(r->comm);
    vs__free(r);
}

/* ---- names: the top terms of a set by |weight| joined with "/" */
typedef struct name_ctx {
    const double *w;
    const vs__strlist *terms;
} name_ctx;

static int by_weight(const void *a, const void *b, void *ctx) {
    const name_ctx *c = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    double wx = fabs(c->w[x]), wy = fabs(c->w[y]);
    if (wx != wy) return wx > wy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int make_name(vs__strlist *names, size_t *idx, size_t m, const double *w, const vs__strlist *terms,
                     size_t top, const char *fallback) {
    name_ctx c = {w, terms};
    vs__sort(idx, m, sizeof *idx, by_weight, &c);
    if (m == 0) return vs__strlist_push(names, fallback, strlen(fallback));
    size_t len = 0, t = m < top ? m : top;
    for (size_t i = 0; i < t; i++) len += strlen(terms->v[idx[i]]) + 1;
    char *s = vs__malloc(len);
    if (!s) return vs__nomem("vs_lexical_analyze");
    size_t p = 0;
    for (size_t i = 0; i < t; i++) {
        if (i) s[p++] = '/';
        size_t l = strlen(terms->v[idx[i]]);
        memcpy(s + p, terms->v[idx[i]], l);
        p += l;
    }
    s[p] = '\0';
    int rc = vs__strlist_push(names, s, p);
    vs__free(s);
    return rc;
}

/* Clusters the m terms idx[] of one factor; writes local labels and the number of clusters. */
static int cluster_factor(size_t *labels, size_t *out_k, double *out_sil, const vs_lexical *x, const vs_wordvecs *vecs,
                          const vs__strlist *terms, const size_t *idx, size_t m) {
    *out_k = 1;
    *out_sil = NAN;
    for (size_t i = 0; i < m; i++) labels[i] = 0;
    if (!vecs || m < 3) return VS_OK;
    size_t d = vs_wordvecs_dim(vecs);
    size_t fixed = (size_t)x->subdims;
    if (fixed == 1) return VS_OK;
    size_t kmax = (size_t)x->kmax < m - 1 ? (size_t)x->kmax : m - 1;
    if (fixed ? m < fixed + 1 : (size_t)x->kmin > kmax) return VS_OK;
    double *v = vs__malloc(m * d * sizeof *v);
    if (!v) return vs__nomem("vs_lexical_analyze");
    int rc = VS_OK;
    for (size_t i = 0; i < m && rc == VS_OK; i++) {
        rc = vs_wordvecs_get(NULL, vecs, terms->v[idx[i]], v + i * d, d);
        if (rc == VS_ENOTFOUND) rc = vs__error(VS_ENOTFOUND, "vs_lexical_analyze: no vector for term '%.200s'", terms->v[idx[i]]);
    }
    vs_cluster *c = NULL;
    vs_cluster_result *cr = NULL;
    if (rc == VS_OK) rc = vs_cluster_create(&c);
    if (rc == VS_OK) rc = vs_cluster_set_int(c, VS_CLUSTER_OPT_METRIC, x->metric);
    if (rc == VS_OK) rc = vs_cluster_set_int(c, VS_CLUSTER_OPT_SEED, x->seed);
    if (rc == VS_OK) {
        if (fixed) {
            rc = vs_cluster_set_int(c, VS_CLUSTER_OPT_K, (int64_t)fixed);
            if (rc == VS_OK) rc = vs_cluster_fit(&cr, c, v, m, d);
        } else {
            rc = vs_cluster_set_int(c, VS_CLUSTER_OPT_K_MAX, (int64_t)kmax);
            if (rc == VS_OK) rc = vs_cluster_set_int(c, VS_CLUSTER_OPT_K_MIN, x->kmin);
            if (rc == VS_OK) rc = vs_cluster_choose_k(&cr, c, v, m, d);
        }
    }
    if (rc == VS_OK) rc = vs_cluster_result_labels(NULL, cr, labels, m);
    double ne = 1;
    if (rc == VS_OK) rc = vs_cluster_result_scalar(&ne, cr, VS_CLUSTER_STAT_NONEMPTY);
    if (rc == VS_OK) {
        *out_k = (size_t)ne;
        if (*out_k >= 2 && *out_k <= m - 1) {
            int r2 = vs_cluster_silhouette(out_sil, NULL, c, v, m, d, labels, NULL, 0);
            if (r2 == VS_ENOMEM) rc = r2;
            else if (r2 != VS_OK) *out_sil = NAN;
        }
    }
    if (rc == VS_EUNDEFINED) rc = vs__error_prefix(rc, "vs_lexical_analyze: clustering the terms of a factor");
    vs_cluster_result_free(cr);
    vs_cluster_free(c);
    vs__free(v);
    return rc;
}

int vs_lexical_analyze(vs_lexical_result **out, const vs_lexical *x, const vs_lexicon *lex, const vs_wordvecs *vecs) {
    if (!out) return vs__error(VS_EINVAL, "vs_lexical_analyze: out is NULL");
    *out = NULL;
    if (!x || !lex) return vs__error(VS_EINVAL, "vs_lexical_analyze: NULL options or lexicon");
    size_t n = vs_lexicon_response_count(lex), p = vs_lexicon_term_count(lex);
    if (n < 3 || p < 3) return vs__error(VS_ERANGE, "vs_lexical_analyze: %zu responses and %zu kept terms; need 3 of each", n, p);
    if (x->nfactors > 0 && (size_t)x->nfactors > p)
        return vs__error(VS_ERANGE, "vs_lexical_analyze: %lld factors for %zu terms", (long long)x->nfactors, p);
    vs_lexical_result *r = vs__calloc(1, sizeof *r);
    double *X = NULL, *work = NULL;
    size_t *idx = NULL, *lab = NULL;
    vs_fa_data *data = NULL;
    vs_fa *fa = NULL;
    vs_fa_result *fr = NULL;
    int rc;
    if (!r) return vs__nomem("vs_lexical_analyze");
    r->n = n;
    r->p = p;
    r->counts = (int)x->counts;
    X = vs__malloc(n * p * sizeof *X);
    r->msa = vs__malloc(p * sizeof *r->msa);
    r->eig = vs__malloc(p * sizeof *r->eig);
    r->comm = vs__malloc(p * sizeof *r->comm);
    r->factor = vs__malloc(p * sizeof *r->factor);
    r->loading = vs__malloc(p * sizeof *r->loading);
    r->subdim = vs__malloc(p * sizeof *r->subdim);
    idx = vs__malloc(p * sizeof *idx);
    lab = vs__malloc(p * sizeof *lab);
    if (!X || !r->msa || !r->eig || !r->comm || !r->factor || !r->loading || !r->subdim || !idx || !lab) {
        rc = vs__nomem("vs_lexical_analyze");
        goto fail;
    }
    for (size_t j = 0; j < p; j++) {
        const char *t = vs_lexicon_term(lex, j);
        if ((rc = vs__strlist_push(&r->terms, t, strlen(t))) != VS_OK) goto fail;
    }
    if ((rc = vs_lexicon_matrix(NULL, lex, (int)x->counts, X, n * p)) != VS_OK) goto fail;
    for (size_t j = 0; j < p; j++) {
        size_t i = 1;
        while (i < n && X[i * p + j] == X[j]) i++;
        if (i == n) {
            rc = vs__error(VS_EUNDEFINED, "vs_lexical_analyze: term '%.200s' has the same value in every response",
                           r->terms.v[j]);
            goto fail;
        }
    }
    if ((rc = vs_fa_data_from_raw(&data, X, n, p, VS_FA_PAIRWISE)) != VS_OK) goto fail;
    rc = vs_fa_kmo(&r->kmo, r->msa, p, data);
    if (rc == VS_ENUMERIC) {
        r->kmo = NAN;
        for (size_t j = 0; j < p; j++) r->msa[j] = NAN;
    } else if (rc != VS_OK) goto fail;
    rc = vs_fa_bartlett(&r->chi2, &r->df, &r->pval, data);
    if (rc == VS_ENUMERIC) r->chi2 = r->df = r->pval = NAN;
    else if (rc != VS_OK) goto fail;
    if ((rc = vs_fa_data_eigenvalues(NULL, data, r->eig, p)) != VS_OK) goto fail;
    /* factor-analysis options: a fresh handle with the method and rotation of x */
    if ((rc = vs_fa_create(&fa)) != VS_OK) goto fail;
    if ((rc = vs_fa_set_int(fa, VS_FA_OPT_METHOD, x->method)) != VS_OK ||
        (rc = vs_fa_set_int(fa, VS_FA_OPT_ROTATION, x->rotation)) != VS_OK ||
        (rc = vs_fa_set_int(fa, VS_FA_OPT_SEED, x->seed)) != VS_OK ||
        (rc = vs_fa_set_int(fa, VS_FA_OPT_SCORES, VS_FA_SCORES_NONE)) != VS_OK)
        goto fail;
    const vs__option *om = vs__opt_find(&table, VS_LEXICAL_OPT_METHOD);
    const vs__option *orot = vs__opt_find(&table, VS_LEXICAL_OPT_ROTATION);
    snprintf(r->method, sizeof r->method, "%s", vs__opt_value_name(om, x->method));
    snprintf(r->rotation, sizeof r->rotation, "%s", vs__opt_value_name(orot, x->rotation));
    size_t k = (size_t)x->nfactors;
    r->parallel = NAN;
    if (k == 0) {
        size_t need = 0, nf = 0, nc = 0;
        (void)vs_fa_parallel(NULL, NULL, &need, fa, data, NULL, 0);
        work = vs__malloc((need ? need : 1) * sizeof *work);
        if (!work) {
            rc = vs__nomem("vs_lexical_analyze");
            goto fail;
        }
        if ((rc = vs_fa_parallel(&nf, &nc, NULL, fa, data, work, need)) != VS_OK) goto fail;
        r->parallel = (double)nf;
        k = nf ? nf : 1;
    }
    if ((rc = vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, (int64_t)k)) != VS_OK) goto fail;
    if ((rc = vs_fa_fit(&fr, fa, data)) != VS_OK) goto fail;
    r->k = k;
    r->loadings = vs__malloc(p * k * sizeof *r->loadings);
    r->fsil = vs__malloc(k * sizeof *r->fsil);
    r->subfactor = vs__malloc(p * sizeof *r->subfactor); /* at most p sub-dimensions */
    if (!r->loadings || !r->fsil || !r->subfactor) {
        rc = vs__nomem("vs_lexical_analyze");
        goto fail;
    }
    if ((rc = vs_fa_result_get(NULL, fr, VS_FA_LOADINGS, r->loadings, p * k)) != VS_OK ||
        (rc = vs_fa_result_get(NULL, fr, VS_FA_COMMUNALITY, r->comm, p)) != VS_OK)
        goto fail;
    for (size_t j = 0; j < p; j++) {
        size_t best = 0;
        for (size_t f = 1; f < k; f++)
            if (fabs(r->loadings[j * k + f]) > fabs(r->loadings[j * k + best])) best = f;
        r->factor[j] = (double)best;
        r->loading[j] = r->loadings[j * k + best];
    }
    /* sub-dimensions and names */
    double wsum = 0.0, wsil = 0.0;
    double *col = vs__malloc(p * sizeof *col);
    if (!col) {
        rc = vs__nomem("vs_lexical_analyze");
        goto fail;
    }
    for (size_t f = 0; f < k && rc == VS_OK; f++) {
        size_t m = 0;
        for (size_t j = 0; j < p; j++)
            if ((size_t)r->factor[j] == f) idx[m++] = j;
        for (size_t j = 0; j < p; j++) col[j] = r->loadings[j * k + f];
        size_t kf;
        rc = cluster_factor(lab, &kf, &r->fsil[f], x, vecs, &r->terms, idx, m);
        if (rc != VS_OK) break;
        if (m == 0) kf = 0;
        if (isfinite(r->fsil[f])) {
            wsil += (double)m * r->fsil[f];
            wsum += (double)m;
        }
        for (size_t i = 0; i < m; i++) r->subdim[idx[i]] = (double)(r->s + lab[i]);
        /* factor name: its terms by |loading| (none assigned: every term) */
        char fb[32];
        snprintf(fb, sizeof fb, "F%zu", f + 1);
        if (m == 0) {
            for (size_t j = 0; j < p; j++) lab[j] = j;
            rc = make_name(&r->fnames, lab, p, col, &r->terms, (size_t)x->name_terms, fb);
        } else {
            size_t *tmp = vs__malloc(m * sizeof *tmp);
            if (!tmp) rc = vs__nomem("vs_lexical_analyze");
            for (size_t c = 0; c < kf && rc == VS_OK; c++) {
                size_t mc = 0;
                for (size_t i = 0; i < m; i++)
                    if (lab[i] == c) tmp[mc++] = idx[i];
                char sb[64];
                snprintf(sb, sizeof sb, "F%zu.%zu", f + 1, c + 1);
                r->subfactor[r->s + c] = (double)f;
                rc = make_name(&r->snames, tmp, mc, col, &r->terms, (size_t)x->name_terms, sb);
            }
            vs__free(tmp);
            if (rc == VS_OK) rc = make_name(&r->fnames, idx, m, col, &r->terms, (size_t)x->name_terms, fb);
            r->s += kf;
        }
    }
    vs__free(col);
    if (rc != VS_OK) goto fail;
    r->silhouette = wsum > 0 ? wsil / wsum : NAN;
    vs_fa_result_free(fr);
    vs_fa_free(fa);
    vs_fa_data_free(data);
    vs__free(X);
    vs__free(work);
    vs__free(idx);
    vs__free(lab);
    *out = r;
    return VS_OK;
fail:
    vs_fa_result_free(fr);
    vs_fa_free(fa);
    vs_fa_data_free(data);
    vs__free(X);
    vs__free(work);
    vs__free(idx);
    vs__free(lab);
    vs_lexical_result_free(r);
    return rc;
}
