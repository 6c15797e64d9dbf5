/* Requests: validation before any callback runs, and per-batch copies in the current struct
 * layout (zero-extended from the caller's struct_size, id and seed filled). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "model/model_internal.h"

size_t vs__model_request_size(int kind) {
    switch (kind) {
    case VS_MODEL_GENERATE: return sizeof(vs_model_gen_request);
    case VS_MODEL_LOGLIKELIHOOD: return sizeof(vs_model_loglik_request);
    default: return sizeof(vs_model_text_request);
    }
}

static size_t v1_size(int kind) {
    switch (kind) {
    case VS_MODEL_GENERATE: return VS__MODEL_GEN_REQUEST_V1_SIZE;
    case VS_MODEL_LOGLIKELIHOOD: return VS__MODEL_LOGLIK_REQUEST_V1_SIZE;
    default: return VS__MODEL_TEXT_REQUEST_V1_SIZE;
    }
}

/* Names request i in messages: "request 3 (id 'q3')" or "request 3". */
static void describe(char *buf, size_t cap, size_t i, const char *id) {
    if (id && vs__utf8_valid(id, strlen(id), NULL))
        snprintf(buf, cap, "request %zu (id '%.200s')", i, id);
    else
        snprintf(buf, cap, "request %zu", i);
}

/* Checks one string field: NULL allowed or not, valid UTF-8. */
static int check_str(const vs__model_run *run, size_t i, const char *id, const char *field, const char *s,
                     int allow_null) {
    char where[256];
    if (!s) {
        if (allow_null) return VS_OK;
        describe(where, sizeof where, i, id);
        return vs__error(VS_EINVAL, "%s: %s: %s is NULL", run->fn, where, field);
    }
    size_t bad;
    if (!vs__utf8_valid(s, strlen(s), &bad)) {
        describe(where, sizeof where, i, id);
        return vs__error(VS_EUTF8, "%s: %s: %s is not valid UTF-8 (byte %zu)", run->fn, where, field, bad);
    }
    return VS_OK;
}

static int check_gen(const vs__model_run *run, size_t i, const vs_model_gen_request *q) {
    char where[256], field[64];
    int rc;
    if ((rc = check_str(run, i, q->id, "id", q->id, 1)) != VS_OK) return rc;
    if ((q->prompt != NULL) == (q->n_messages > 0)) {
        describe(where, sizeof where, i, q->id);
        return vs__error(VS_EINVAL, "%s: %s: give either a prompt or chat messages (n_messages > 0), not %s", run->fn,
                         where, q->prompt ? "both" : "neither");
    }
    if ((rc = check_str(run, i, q->id, "prompt", q->prompt, 1)) != VS_OK) return rc;
    if (q->n_messages > 0 && (!q->roles || !q->contents)) {
        describe(where, sizeof where, i, q->id);
        return vs__error(VS_EINVAL, "%s: %s: n_messages is %zu but roles or contents is NULL", run->fn, where,
                         q->n_messages);
    }
    for (size_t k = 0; k < q->n_messages; k++) {
        snprintf(field, sizeof field, "roles[%zu]", k);
        if ((rc = check_str(run, i, q->id, field, q->roles[k], 0)) != VS_OK) return rc;
        snprintf(field, sizeof field, "contents[%zu]", k);
        if ((rc = check_str(run, i, q->id, field, q->contents[k], 0)) != VS_OK) return rc;
    }
    if (!(q->temperature >= 0.0) || isinf(q->temperature)) {
        describe(where, sizeof where, i, q->id);
        return vs__error(VS_EINVAL, "%s: %s: temperature %g is not a finite value >= 0", run->fn, where, q->temperature);
    }
    if (q->n_stop > 0 && !q->stop) {
        describe(where, sizeof where, i, q->id);
        return vs__error(VS_EINVAL, "%s: %s: n_stop is %zu but stop is NULL", run->fn, where, q->n_stop);
    }
    for (size_t k = 0; k < q->n_stop; k++) {
        snprintf(field, sizeof field, "stop[%zu]", k);
        if ((rc = check_str(run, i, q->id, field, q->stop[k], 0)) != VS_OK) return rc;
        if (!q->stop[k][0]) {
            describe(where, sizeof where, i, q->id);
            return vs__error(VS_EINVAL, "%s: %s: stop[%zu] is empty", run->fn, where, k);
        }
    }
    return VS_OK;
}

int vs__model_validate(const vs__model_run *run) {
    char where[256];
    if (run->n > 0 && !run->requests) return vs__error(VS_EINVAL, "%s: requests is NULL", run->fn);
    for (size_t i = 0; i < run->n; i++) {
        const void *p = run->requests[i];
        if (!p) return vs__error(VS_EINVAL, "%s: request %zu is NULL", run->fn, i);
        uint32_t size = *(const uint32_t *)p;
        if (size < v1_size(run->kind))
            return vs__error(VS_EINVAL, "%s: request %zu: struct_size %u is smaller than %zu (use the *_INIT macro)",
                             run->fn, i, (unsigned)size, v1_size(run->kind));
        int rc = VS_OK;
        if (run->kind == VS_MODEL_GENERATE) {
            rc = check_gen(run, i, p);
        } else if (run->kind == VS_MODEL_LOGLIKELIHOOD) {
            const vs_model_loglik_request *q = p;
            if ((rc = check_str(run, i, q->id, "id", q->id, 1)) == VS_OK &&
                (rc = check_str(run, i, q->id, "context", q->context, 0)) == VS_OK)
                rc = check_str(run, i, q->id, "continuation", q->continuation, 0);
        } else {
            const vs_model_text_request *q = p;
            if ((rc = check_str(run, i, q->id, "id", q->id, 1)) == VS_OK &&
                (rc = check_str(run, i, q->id, "text", q->text, 0)) == VS_OK)
                rc = check_str(run, i, q->id, "context", q->context, 1);
        }
        if (rc != VS_OK) return rc;
    }
    for (size_t k = 0; k < run->n_labels; k++) {
        if (!run->labels[k]) return vs__error(VS_EINVAL, "%s: label %zu is NULL", run->fn, k);
        size_t bad;
        if (!vs__utf8_valid(run->labels[k], strlen(run->labels[k]), &bad)) {
            snprintf(where, sizeof where, "label %zu", k);
            return vs__error(VS_EUTF8, "%s: %s is not valid UTF-8 (byte %zu)", run->fn, where, bad);
        }
    }
    return VS_OK;
}

void vs__model_copy_request(const vs__model_run *run, vs_model_batch *b, size_t p, size_t item) {
    const void *src = run->requests[item];
    size_t elem = b->copies_elem;
    char *dst = (char *)b->copies + p * elem;
    uint32_t size = *(const uint32_t *)src;
    if (size >= elem) {
        memcpy(dst, src, elem);
    } else {
        memset(dst, 0, elem);
        memcpy(dst, src, size);
    }
    *(uint32_t *)dst = (uint32_t)elem;
    /* the id field of the kind's struct */
    const char **idp;
    if (run->kind == VS_MODEL_GENERATE)
        idp = &((vs_model_gen_request *)dst)->id;
    else if (run->kind == VS_MODEL_LOGLIKELIHOOD)
        idp = &((vs_model_loglik_request *)dst)->id;
    else
        idp = &((vs_model_text_request *)dst)->id;
    if (!*idp) {
        snprintf(b->idbuf[p], sizeof b->idbuf[p], "%zu", item);
        *idp = b->idbuf[p];
    }
    if (run->kind == VS_MODEL_GENERATE) {
        vs_model_gen_request *g = (vs_model_gen_request *)dst;
        g->seed = vs_model_item_seed(run->seed, g->id, g->repeat);
    }
    b->ptrs[p] = dst;
}

const char *vs__model_batch_id(const vs_model_batch *b, size_t p) {
    const char *dst = (const char *)b->copies + p * b->copies_elem;
    switch (b->kind) {
    case VS_MODEL_GENERATE: return ((const vs_model_gen_request *)dst)->id;
    case VS_MODEL_LOGLIKELIHOOD: return ((const vs_model_loglik_request *)dst)->id;
    default: return ((const vs_model_text_request *)dst)->id;
    }
}
