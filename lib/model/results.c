/* vs_model_results: per-item outcomes of one run, in arrays reused from run to run. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/model_internal.h"

int vs_model_results_create(vs_model_results **out) {
    if (!out) return vs__error(VS_EINVAL, "vs_model_results_create: out is NULL");
    *out = NULL;
    vs_model_results *r = vs__calloc(1, sizeof *r);
    if (!r) return vs__nomem("vs_model_results_create");
    r->kind = -1;
    *out = r;
    return VS_OK;
}

void vs_model_results_free(vs_model_results *r) {
    if (!r) return;
    vs__free(r->status);
    vs__free(r->attempts);
    vs__free(r->latency);
    vs__free(r->err_off);
    vs__free(r->errs);
    vs__free(r->text_off);
    vs__free(r->text);
    vs__free(r->logprob);
    vs__free(r->greedy);
    vs__free(r->vec);
    vs__free(r);
}

/* Grows one array to at least `need` elements keeping `*cap` in step; no message. */
static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return VS_OK;
    void *q = vs__realloc_array(*p, need, elem);
    if (!q) return VS_ENOMEM;
    *p = q;
    *cap = need;
    return VS_OK;
}

int vs__model_results_reset(vs_model_results *r, int kind, size_t n, size_t dim) {
    r->n = 0;
    r->kind = kind;
    r->dim = 0;
    r->errs_len = 0;
    r->text_len = 0;
    if (n > r->cap) {
        /* all four arrays share `cap`: grow each to n, then publish the new capacity */
        size_t c0 = r->cap, c1 = r->cap, c2 = r->cap, c3 = r->cap;
        int rc = grow((void **)&r->status, &c0, n, sizeof *r->status);
        if (rc == VS_OK) rc = grow((void **)&r->attempts, &c1, n, sizeof *r->attempts);
        if (rc == VS_OK) rc = grow((void **)&r->latency, &c2, n, sizeof *r->latency);
        if (rc == VS_OK) rc = grow((void **)&r->err_off, &c3, n, sizeof *r->err_off);
        if (rc != VS_OK) return vs__nomem("vs_model_results: room for the items");
        r->cap = n;
    }
    if (kind == VS_MODEL_GENERATE && grow((void **)&r->text_off, &r->text_cap, n, sizeof *r->text_off) != VS_OK)
        return vs__nomem("vs_model_results: room for the texts");
    if (kind == VS_MODEL_LOGLIKELIHOOD) {
        size_t c0 = r->lp_cap, c1 = r->lp_cap;
        if (grow((void **)&r->logprob, &c0, n, sizeof *r->logprob) != VS_OK ||
            grow((void **)&r->greedy, &c1, n, sizeof *r->greedy) != VS_OK)
            return vs__nomem("vs_model_results: room for the log-likelihoods");
        if (n > r->lp_cap) r->lp_cap = n;
    }
    if (kind == VS_MODEL_EMBED || kind == VS_MODEL_CLASSIFY) {
        if (dim && n > SIZE_MAX / sizeof(double) / dim)
            return vs__error(VS_ENOMEM, "vs_model_results: %zu items x %zu values overflow", n, dim);
        if (grow((void **)&r->vec, &r->vec_cap, n * dim, sizeof *r->vec) != VS_OK)
            return vs__nomem("vs_model_results: room for the vectors");
    }
    for (size_t i = 0; i < n; i++) {
        r->status[i] = VS_MODEL_ITEM_NOT_RUN;
        r->attempts[i] = 0;
        r->latency[i] = 0.0;
        r->err_off[i] = VS__MODEL_NONE;
    }
    if (kind == VS_MODEL_GENERATE)
        for (size_t i = 0; i < n; i++) r->text_off[i] = VS__MODEL_NONE;
    if (kind == VS_MODEL_LOGLIKELIHOOD)
        for (size_t i = 0; i < n; i++) {
            r->logprob[i] = NAN;
            r->greedy[i] = -1;
        }
    r->dim = dim;
    r->n = n;
    return VS_OK;
}

int vs__model_arena_append(char **arena, size_t *len, size_t *cap, const char *s, size_t slen, size_t *out_off) {
    if (slen >= SIZE_MAX - *len - 1) return VS_ENOMEM;
    size_t need = *len + slen + 1;
    if (need > *cap) {
        size_t next = *cap ? *cap : 256;
        while (next < need) next = next > SIZE_MAX / 2 ? need : next * 2;
        char *p = vs__realloc_array(*arena, next, 1);
        if (!p) return VS_ENOMEM;
        *arena = p;
        *cap = next;
    }
    if (slen) memcpy(*arena + *len, s, slen);
    (*arena)[*len + slen] = '\0';
    *out_off = *len;
    *len = need;
    return VS_OK;
}

int vs__model_results_set_error(vs_model_results *r, size_t i, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t len = k < 0 ? 0 : (size_t)k < sizeof buf ? (size_t)k : sizeof buf - 1;
    size_t off;
    if (vs__model_arena_append(&r->errs, &r->errs_len, &r->errs_cap, buf, len, &off) != VS_OK)
        return vs__nomem("vs_model_results: an item's error message");
    r->err_off[i] = off;
    return VS_OK;
}

/* ---- public getters */

size_t vs_model_results_item_count(const vs_model_results *r) { return r ? r->n : 0; }

int vs_model_results_kind(const vs_model_results *r) { return r ? r->kind : -1; }

int vs_model_results_status(const vs_model_results *r, size_t i) {
    if (!r || i >= r->n) return VS_ERANGE;
    return r->status[i];
}

size_t vs_model_results_count(const vs_model_results *r, int status) {
    if (!r) return 0;
    size_t c = 0;
    for (size_t i = 0; i < r->n; i++) c += r->status[i] == status;
    return c;
}

uint32_t vs_model_results_attempts(const vs_model_results *r, size_t i) {
    return r && i < r->n ? r->attempts[i] : 0;
}

double vs_model_results_latency(const vs_model_results *r, size_t i) {
    return r && i < r->n ? r->latency[i] : NAN;
}

const char *vs_model_results_text(const vs_model_results *r, size_t i) {
    if (!r || i >= r->n || r->kind != VS_MODEL_GENERATE || r->status[i] != VS_MODEL_ITEM_OK) return NULL;
    return r->text_off[i] == VS__MODEL_NONE ? NULL : r->text + r->text_off[i];
}

int vs_model_results_loglik(double *out_logprob, int *out_is_greedy, const vs_model_results *r, size_t i) {
    if (!r) return vs__error(VS_EINVAL, "vs_model_results_loglik: results is NULL");
    if (i >= r->n) return vs__error(VS_ERANGE, "vs_model_results_loglik: item %zu of %zu", i, r->n);
    if (r->kind != VS_MODEL_LOGLIKELIHOOD)
        return vs__error(VS_ESTATE, "vs_model_results_loglik: the last run was not a log-likelihood run");
    if (r->status[i] != VS_MODEL_ITEM_OK)
        return vs__error(VS_ESTATE, "vs_model_results_loglik: item %zu is not OK (status %d)", i, r->status[i]);
    if (out_logprob) *out_logprob = r->logprob[i];
    if (out_is_greedy) *out_is_greedy = r->greedy[i];
    return VS_OK;
}

size_t vs_model_results_dim(const vs_model_results *r) {
    return r && (r->kind == VS_MODEL_EMBED || r->kind == VS_MODEL_CLASSIFY) ? r->dim : 0;
}

int vs_model_results_vector(size_t *out_needed, const vs_model_results *r, size_t i, double *buf, size_t cap) {
    if (!r) return vs__error(VS_EINVAL, "vs_model_results_vector: results is NULL");
    size_t dim = vs_model_results_dim(r);
    if (out_needed) *out_needed = dim;
    if (i >= r->n) return vs__error(VS_ERANGE, "vs_model_results_vector: item %zu of %zu", i, r->n);
    if (!dim) return vs__error(VS_ESTATE, "vs_model_results_vector: the last run was not an embed or classify run");
    if (r->status[i] != VS_MODEL_ITEM_OK)
        return vs__error(VS_ESTATE, "vs_model_results_vector: item %zu is not OK (status %d)", i, r->status[i]);
    if (cap < dim) return vs__error(VS_EBUFSIZE, "vs_model_results_vector: %zu values needed, buffer holds %zu", dim, cap);
    if (!buf) return vs__error(VS_EINVAL, "vs_model_results_vector: buf is NULL");
    memcpy(buf, r->vec + i * dim, dim * sizeof *buf);
    return VS_OK;
}

const char *vs_model_results_error(const vs_model_results *r, size_t i) {
    if (!r || i >= r->n || r->err_off[i] == VS__MODEL_NONE) return "";
    return r->errs + r->err_off[i];
}
