/* The lexicon: responses with their term counts, the term dictionary, the filters (minimum
 * total frequency, minimum number of models) and the response x term matrix. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "common/option_table.h"
#include "common/random.h"
#include "common/sort.h"
#include "common/utf8.h"
#include "lexical/lexical_internal.h"

int vs_lexicon_create(vs_lexicon **out) {
    if (!out) return vs__error(VS_EINVAL, "vs_lexicon_create: out is NULL");
    *out = NULL;
    vs_lexicon *l = vs__calloc(1, sizeof *l);
    if (!l) return vs__nomem("vs_lexicon_create");
    l->min_freq = 1;
    l->min_models = 1;
    l->max_words = 3;
    *out = l;
    return VS_OK;
}

void vs_lexicon_free(vs_lexicon *l) {
    if (!l) return;
    vs__strlist_clear(&l->stops);
    vs__strmap_clear(&l->stop_map);
    vs__strlist_clear(&l->terms);
    vs__strmap_clear(&l->term_map);
    vs__strlist_clear(&l->models);
    vs__strmap_clear(&l->model_map);
    vs__free(l->total);
    vs__free(l->nmodels);
    vs__free(l->pairs);
    vs__free(l->resp_model);
    vs__free(l->resp_end);
    vs__free(l->ent_term);
    vs__free(l->ent_val);
    vs__free(l->kept);
    vs__free(l);
}

/* ---- options (lib/common/option_table.h) */
static const vs__option opts[] = {
    VS__OPT_ROW_INT(vs_lexicon, VS_LEXICON_OPT_MIN_FREQ, min_freq, 1, 1000000, "min_freq"),
    VS__OPT_ROW_INT(vs_lexicon, VS_LEXICON_OPT_MIN_MODELS, min_models, 1, 1000000, "min_models"),
    VS__OPT_ROW_INT(vs_lexicon, VS_LEXICON_OPT_MAX_WORDS, max_words, 1, 1000000, "max_words"),
};
static const vs__option_table table = VS__OPTION_TABLE("vs_lexicon", opts);

/* A new value re-applies the filters; when that fails, the old value stays. */
int vs_lexicon_set_int(vs_lexicon *l, int option, int64_t value) {
    int64_t old = 0;
    if (l && vs__opt_find(&table, option)) (void)vs__opt_get_int(&table, &old, l, option);
    int rc = vs__opt_set_int(&table, l, option, value);
    if (rc != VS_OK) return rc;
    rc = vs__lexicon_refresh(l);
    if (rc != VS_OK) (void)vs__opt_set_int(&table, l, option, old);
    return rc;
}

int vs_lexicon_get_int(int64_t *out, const vs_lexicon *l, int option) {
    return vs__opt_get_int(&table, out, l, option);
}
int vs_lexicon_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_lexicon_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_lexicon_option_name(int option) { return vs__opt_name_of(&table, option); }

int vs_lexicon_set_lemmatizer(vs_lexicon *l, vs_lexicon_lemma_fn fn, void *user_data) {
    if (!l) return vs__error(VS_EINVAL, "vs_lexicon_set_lemmatizer: lexicon is NULL");
    l->lemma = fn;
    l->lemma_ud = fn ? user_data : NULL;
    return VS_OK;
}

int vs_lexicon_add_stop_term(vs_lexicon *l, const char *term) {
    if (!l || !term) return vs__error(VS_EINVAL, "vs_lexicon_add_stop_term: NULL argument");
    size_t bad;
    if (!vs__utf8_valid(term, strlen(term), &bad))
        return vs__error(VS_EUTF8, "vs_lexicon_add_stop_term: invalid UTF-8 at byte %zu", bad);
    char *n = NULL;
    int rc = vs__lex_normalize_term(&n, NULL, term, strlen(term), "vs_lexicon_add_stop_term");
    if (rc != VS_OK) return rc;
    if (!n) return vs__error(VS_EINVAL, "vs_lexicon_add_stop_term: '%.200s' has no word", term);
    if (vs__strmap_find(&l->stop_map, l->stops.v, n) == SIZE_MAX) {
        rc = vs__strlist_push(&l->stops, n, strlen(n));
        if (rc == VS_OK) {
            rc = vs__strmap_insert(&l->stop_map, l->stops.v, l->stops.n - 1);
            if (rc != VS_OK) vs__free(l->stops.v[--l->stops.n]);
        }
    }
    vs__free(n);
    return rc;
}

/* ---- the (term, model) pair set */
static uint64_t pair_key(size_t term, size_t model) { return ((uint64_t)(term + 1) << 32) | (uint64_t)model; }

static size_t pair_slot(const uint64_t *pairs, size_t cap, uint64_t key) {
    size_t i = (size_t)vs__mix64(key) & (cap - 1);
    while (pairs[i] && pairs[i] != key) i = (i + 1) & (cap - 1);
    return i;
}

static int pairs_reserve(vs_lexicon *l, size_t need) {
    if (2 * need <= l->pairs_cap) return VS_OK;
    size_t cap = l->pairs_cap ? l->pairs_cap : 256;
    while (2 * need > cap) cap *= 2;
    uint64_t *p = vs__calloc(cap, sizeof *p);
    if (!p) return vs__nomem("vs_lexicon");
    for (size_t k = 0; k < l->pairs_cap; k++)
        if (l->pairs[k]) p[pair_slot(p, cap, l->pairs[k])] = l->pairs[k];
    vs__free(l->pairs);
    l->pairs = p;
    l->pairs_cap = cap;
    return VS_OK;
}

/* Index of a string in a list + map, adding it; *added tells whether it is new. */
static int intern(size_t *out, vs__strlist *list, vs__strmap *map, const char *s, int *added) {
    size_t i = vs__strmap_find(map, list->v, s);
    *added = 0;
    if (i != SIZE_MAX) {
        *out = i;
        return VS_OK;
    }
    int rc = vs__strlist_push(list, s, strlen(s));
    if (rc != VS_OK) return rc;
    rc = vs__strmap_insert(map, list->v, list->n - 1);
    if (rc != VS_OK) {
        vs__free(list->v[--list->n]);
        return rc;
    }
    *out = list->n - 1;
    *added = 1;
    return VS_OK;
}

/* Removes strings appended after n0 (their map entries too: the map is rebuilt). */
static void unintern(vs__strlist *list, vs__strmap *map, size_t n0) {
    if (list->n == n0) return;
    for (size_t i = n0; i < list->n; i++) vs__free(list->v[i]);
    list->n = n0;
    memset(map->slots, 0, map->cap * sizeof *map->slots);
    map->n = 0;
    for (size_t i = 0; i < n0; i++) (void)vs__strmap_insert(map, list->v, i); /* capacity suffices */
}

int vs__lexicon_add(vs_lexicon *l, const char *model, char *const *terms, const double *vals, size_t n, int defer) {
    if (l->nresp >= UINT32_MAX - 1) return vs__error(VS_ELIMIT, "vs_lexicon: too many responses");
    size_t t0 = l->terms.n, m0 = l->models.n, e0 = l->nent;
    size_t mi;
    int added, rc;
    /* room first, so that nothing below fails half-way except interning */
    if ((rc = vs__grow((void **)&l->resp_model, &l->resp_cap, l->nresp + 1, sizeof *l->resp_model)) != VS_OK) return rc;
    if (l->resp_cap > 0) { /* resp_end follows resp_model's capacity */
        void *p = vs__realloc_array(l->resp_end, l->resp_cap, sizeof *l->resp_end);
        if (!p) return vs__nomem("vs_lexicon");
        l->resp_end = p;
    }
    /* the kept list can then always be refreshed without allocating */
    if ((rc = vs__grow((void **)&l->kept, &l->kept_cap, l->terms.n + n + 1, sizeof *l->kept)) != VS_OK) return rc;
    if ((rc = vs__grow((void **)&l->ent_term, &l->ent_cap, l->nent + n, sizeof *l->ent_term)) != VS_OK) return rc;
    if ((rc = vs__grow((void **)&l->ent_val, &l->ent_val_cap, l->nent + n, sizeof *l->ent_val)) != VS_OK) return rc;
    if ((rc = intern(&mi, &l->models, &l->model_map, model, &added)) != VS_OK) return rc;
    for (size_t k = 0; k < n; k++) {
        size_t ti;
        if ((rc = intern(&ti, &l->terms, &l->term_map, terms[k], &added)) != VS_OK) goto fail;
        size_t j;
        for (j = e0; j < l->nent; j++)
            if (l->ent_term[j] == ti) break;
        if (j == l->nent) {
            l->ent_term[l->nent] = (uint32_t)ti;
            l->ent_val[l->nent] = 0.0;
            l->nent++;
        }
        l->ent_val[j] += vals ? vals[k] : 1.0;
    }
    /* per-term arrays and pairs */
    if ((rc = vs__grow((void **)&l->total, &l->total_cap, l->terms.n, sizeof *l->total)) != VS_OK ||
        (rc = vs__grow((void **)&l->nmodels, &l->nmodels_cap, l->terms.n, sizeof *l->nmodels)) != VS_OK ||
        (rc = pairs_reserve(l, l->npairs + (l->nent - e0) + 1)) != VS_OK)
        goto fail;
    for (size_t t = t0; t < l->terms.n; t++) {
        l->total[t] = 0.0;
        l->nmodels[t] = 0;
    }
    for (size_t j = e0; j < l->nent; j++) {
        size_t t = l->ent_term[j];
        l->total[t] += l->ent_val[j];
        if (l->ent_val[j] != 0.0) {
            uint64_t key = pair_key(t, mi);
            size_t s = pair_slot(l->pairs, l->pairs_cap, key);
            if (!l->pairs[s]) {
                l->pairs[s] = key;
                l->npairs++;
                l->nmodels[t]++;
            }
        }
    }
    l->resp_model[l->nresp] = (uint32_t)mi;
    l->resp_end[l->nresp] = l->nent;
    l->nresp++;
    if (!defer) (void)vs__lexicon_refresh(l); /* cannot fail: room was made above */
    return VS_OK;
fail:
    l->nent = e0;
    unintern(&l->terms, &l->term_map, t0);
    unintern(&l->models, &l->model_map, m0);
    return rc;
}

static int kept_cmp(const void *a, const void *b, void *ctx) {
    const vs_lexicon *l = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (l->total[x] != l->total[y]) return l->total[x] > l->total[y] ? -1 : 1;
    return strcmp(l->terms.v[x], l->terms.v[y]);
}

int vs__lexicon_refresh(vs_lexicon *l) {
    int rc = vs__grow((void **)&l->kept, &l->kept_cap, l->terms.n ? l->terms.n : 1, sizeof *l->kept);
    if (rc != VS_OK) return rc;
    size_t n = 0;
    for (size_t t = 0; t < l->terms.n; t++)
        if (l->total[t] >= (double)l->min_freq && (int64_t)l->nmodels[t] >= l->min_models) l->kept[n++] = (uint32_t)t;
    vs__sort(l->kept, n, sizeof *l->kept, kept_cmp, l);
    l->nkept = n;
    return VS_OK;
}

int vs_lexicon_add_response(vs_lexicon *l, const char *model_id, const char *text) {
    if (!l || !text) return vs__error(VS_EINVAL, "vs_lexicon_add_response: NULL argument");
    if (!model_id) model_id = "";
    size_t bad, len = strlen(text);
    if (!vs__utf8_valid(model_id, strlen(model_id), &bad))
        return vs__error(VS_EUTF8, "vs_lexicon_add_response: model id: invalid UTF-8 at byte %zu", bad);
    if (!vs__utf8_valid(text, len, &bad))
        return vs__error(VS_EUTF8, "vs_lexicon_add_response: response %zu: invalid UTF-8 at byte %zu", l->nresp, bad);
    vs__lex_parse_opts o = {l->max_words, l->lemma, l->lemma_ud, &l->stops, &l->stop_map};
    vs__strlist terms = {0};
    int rc = vs__lex_parse(&terms, text, len, &o);
    if (rc == VS_OK) rc = vs__lexicon_add(l, model_id, terms.v, NULL, terms.n, 0);
    vs__strlist_clear(&terms);
    return rc;
}

size_t vs_lexicon_response_count(const vs_lexicon *l) { return l ? l->nresp : 0; }

size_t vs_lexicon_response_term_count(const vs_lexicon *l, size_t i) {
    if (!l || i >= l->nresp) return 0;
    return l->resp_end[i] - (i ? l->resp_end[i - 1] : 0);
}

const char *vs_lexicon_response_term(const vs_lexicon *l, size_t i, size_t j) {
    if (!l || i >= l->nresp) return NULL;
    size_t s = i ? l->resp_end[i - 1] : 0;
    if (j >= l->resp_end[i] - s) return NULL;
    return l->terms.v[l->ent_term[s + j]];
}

size_t vs_lexicon_term_count(const vs_lexicon *l) { return l ? l->nkept : 0; }

const char *vs_lexicon_term(const vs_lexicon *l, size_t j) {
    if (!l || j >= l->nkept) return NULL;
    return l->terms.v[l->kept[j]];
}

int vs_lexicon_term_stats(double *out_total, size_t *out_models, const vs_lexicon *l, size_t j) {
    if (!l) return vs__error(VS_EINVAL, "vs_lexicon_term_stats: lexicon is NULL");
    if (j >= l->nkept) return vs__error(VS_ERANGE, "vs_lexicon_term_stats: term %zu of %zu", j, l->nkept);
    if (out_total) *out_total = l->total[l->kept[j]];
    if (out_models) *out_models = l->nmodels[l->kept[j]];
    return VS_OK;
}

int vs_lexicon_matrix(size_t *out_needed, const vs_lexicon *l, int counts, double *buf, size_t cap) {
    if (!l || (!buf && cap > 0) || (counts != 0 && counts != 1))
        return vs__error(VS_EINVAL, "vs_lexicon_matrix: NULL lexicon, NULL buf with cap > 0, or counts not 0/1");
    size_t p = l->nkept, n = l->nresp;
    if (p && n > SIZE_MAX / p) return vs__error(VS_ELIMIT, "vs_lexicon_matrix: matrix too large");
    if (out_needed) *out_needed = n * p;
    if (cap < n * p) return vs__error(VS_EBUFSIZE, "vs_lexicon_matrix: buffer of %zu, need %zu", cap, n * p);
    if (n * p == 0) return VS_OK;
    uint32_t *col = vs__malloc(l->terms.n * sizeof *col);
    if (!col) return vs__nomem("vs_lexicon_matrix");
    for (size_t t = 0; t < l->terms.n; t++) col[t] = UINT32_MAX;
    for (size_t j = 0; j < p; j++) col[l->kept[j]] = (uint32_t)j;
    memset(buf, 0, n * p * sizeof *buf);
    for (size_t i = 0; i < n; i++)
        for (size_t e = i ? l->resp_end[i - 1] : 0; e < l->resp_end[i]; e++) {
            uint32_t c = col[l->ent_term[e]];
            if (c == UINT32_MAX) continue;
            buf[i * p + c] = counts ? l->ent_val[e] : (l->ent_val[e] != 0.0 ? 1.0 : 0.0);
        }
    vs__free(col);
    return VS_OK;
}
