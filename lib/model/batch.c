/* The output side of a callback call: per-position state and the setters callbacks use to
 * hand over text and vectors (copied and validated, under a mutex so that a callback may
 * call them from a pool of worker threads). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "model/model_internal.h"

int vs__model_batch_init(vs_model_batch *b) {
    memset(b, 0, sizeof *b);
    return pthread_mutex_init(&b->lock, NULL) == 0 ? VS_OK : VS_ENOMEM;
}

void vs__model_batch_release(vs_model_batch *b) {
    pthread_mutex_destroy(&b->lock);
    vs__free(b->item);
    vs__free(b->status);
    vs__free(b->state);
    vs__free(b->bad);
    vs__free(b->bad_detail);
    vs__free(b->bad_value);
    vs__free(b->msg_off);
    vs__free(b->logprob);
    vs__free(b->greedy);
    vs__free(b->idbuf);
    vs__free(b->copies);
    vs__free(b->ptrs);
}

static int grow_to(void **p, size_t n, size_t elem) {
    void *q = vs__realloc_array(*p, n, elem);
    if (!q) return VS_ENOMEM;
    *p = q;
    return VS_OK;
}

int vs__model_batch_reserve(vs_model_batch *b, size_t n, size_t elem) {
    if (n > b->cap) {
        /* every array is grown to n before the capacity is published; a failure leaves the
         * old capacity valid (arrays already grown are merely larger) */
        if (grow_to((void **)&b->item, n, sizeof *b->item) || grow_to((void **)&b->status, n, sizeof *b->status) ||
            grow_to((void **)&b->state, n, sizeof *b->state) || grow_to((void **)&b->bad, n, sizeof *b->bad) ||
            grow_to((void **)&b->bad_detail, n, sizeof *b->bad_detail) ||
            grow_to((void **)&b->bad_value, n, sizeof *b->bad_value) ||
            grow_to((void **)&b->msg_off, n, sizeof *b->msg_off) ||
            grow_to((void **)&b->logprob, n, sizeof *b->logprob) ||
            grow_to((void **)&b->greedy, n, sizeof *b->greedy) || grow_to((void **)&b->idbuf, n, sizeof *b->idbuf) ||
            grow_to((void **)&b->ptrs, n, sizeof *b->ptrs))
            return vs__nomem("vs_model: room for a batch");
        b->cap = n;
    }
    if (n > b->copies_cap || elem != b->copies_elem) {
        if (grow_to(&b->copies, n, elem)) return vs__nomem("vs_model: room for a batch's requests");
        b->copies_cap = n;
        b->copies_elem = elem;
    }
    return VS_OK;
}

/* Records a rejected output of position p (caller holds the lock). */
static void reject(vs_model_batch *b, size_t p, int reason, size_t detail, double value) {
    b->state[p] = 2;
    b->bad[p] = (unsigned char)reason;
    b->bad_detail[p] = detail;
    b->bad_value[p] = value;
}

void vs__model_bad_describe(const vs_model_batch *b, size_t p, char *buf, size_t cap) {
    size_t d = b->bad_detail[p];
    double v = b->bad_value[p];
    switch (b->bad[p]) {
    case VS__BAD_NULL: snprintf(buf, cap, "the output is NULL"); break;
    case VS__BAD_UTF8: snprintf(buf, cap, "the text is not valid UTF-8 (byte %zu)", d); break;
    case VS__BAD_NUL: snprintf(buf, cap, "the text contains a NUL byte (byte %zu)", d); break;
    case VS__BAD_TOO_LONG:
        snprintf(buf, cap, "the text is %zu bytes long, more than VS_MODEL_OPT_MAX_TEXT_BYTES = %zu", d, b->max_text);
        break;
    case VS__BAD_LENGTH: snprintf(buf, cap, "the vector has %zu values, expected %zu", d, b->dim); break;
    case VS__BAD_NONFINITE: snprintf(buf, cap, "value %zu of the vector is not finite (%g)", d, v); break;
    case VS__BAD_PROB: snprintf(buf, cap, "probability %zu is outside [0, 1] (%g)", d, v); break;
    case VS__BAD_NO_OUTPUT:
        snprintf(buf, cap, "reported OK but set no %s",
                 b->kind == VS_MODEL_GENERATE ? "text" : b->kind == VS_MODEL_LOGLIKELIHOOD ? "log-probability" : "vector");
        break;
    case VS__BAD_LOGPROB: snprintf(buf, cap, "the log-probability %g is not <= 0", v); break;
    case VS__BAD_GREEDY: snprintf(buf, cap, "is_greedy is %d, not 0 or 1", (int)v); break;
    case VS__BAD_STATUS: snprintf(buf, cap, "unknown item status %d", (int)v); break;
    case VS__BAD_KIND: snprintf(buf, cap, "an output setter that does not fit this kind of call"); break;
    default: snprintf(buf, cap, "invalid output"); break;
    }
}

/* Common checks of the setters; on success returns VS_OK with the lock held. */
static int enter(vs_model_batch *b, size_t i, const char *fn) {
    if (!b) return vs__error(VS_EINVAL, "%s: batch is NULL", fn);
    pthread_mutex_lock(&b->lock);
    if (!b->active) {
        pthread_mutex_unlock(&b->lock);
        return vs__error(VS_ESTATE, "%s: called outside the callback that received the batch", fn);
    }
    if (i >= b->n) {
        pthread_mutex_unlock(&b->lock);
        return vs__error(VS_ERANGE, "%s: position %zu, but the batch has %zu items", fn, i, b->n);
    }
    return VS_OK;
}

int vs_model_set_text(vs_model_batch *b, size_t i, const char *text, size_t len) {
    int rc = enter(b, i, "vs_model_set_text");
    if (rc != VS_OK) return rc;
    const char *id = vs__model_batch_id(b, i);
    if (b->kind != VS_MODEL_GENERATE) {
        reject(b, i, VS__BAD_KIND, 0, 0);
        rc = vs__error(VS_EINVAL, "vs_model_set_text: item '%.200s': not a generate call", id);
    } else if (!text) {
        reject(b, i, VS__BAD_NULL, 0, 0);
        rc = vs__error(VS_EINVAL, "vs_model_set_text: item '%.200s': text is NULL", id);
    } else {
        if (len == (size_t)-1) len = strlen(text);
        size_t bad;
        const char *nul = memchr(text, '\0', len);
        if (len > b->max_text) {
            reject(b, i, VS__BAD_TOO_LONG, len, 0);
            rc = vs__error(VS_ELIMIT, "vs_model_set_text: item '%.200s': %zu bytes, more than %zu", id, len, b->max_text);
        } else if (!vs__utf8_valid(text, len, &bad)) {
            reject(b, i, VS__BAD_UTF8, bad, 0);
            rc = vs__error(VS_EUTF8, "vs_model_set_text: item '%.200s': invalid UTF-8 at byte %zu", id, bad);
        } else if (nul) {
            reject(b, i, VS__BAD_NUL, (size_t)(nul - text), 0);
            rc = vs__error(VS_EUTF8, "vs_model_set_text: item '%.200s': NUL byte at byte %zu", id, (size_t)(nul - text));
        } else {
            vs_model_results *r = b->res;
            size_t off;
            if (vs__model_arena_append(&r->text, &r->text_len, &r->text_arena_cap, text, len, &off) != VS_OK) {
                b->nomem = 1;
                reject(b, i, VS__BAD_NULL, 0, 0);
                rc = vs__error(VS_ENOMEM, "vs_model_set_text: item '%.200s': out of memory", id);
            } else {
                r->text_off[b->item[i]] = off;
                b->state[i] = 1;
            }
        }
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

int vs_model_set_vector(vs_model_batch *b, size_t i, const double *values, size_t n) {
    int rc = enter(b, i, "vs_model_set_vector");
    if (rc != VS_OK) return rc;
    const char *id = vs__model_batch_id(b, i);
    if (b->kind != VS_MODEL_EMBED && b->kind != VS_MODEL_CLASSIFY) {
        reject(b, i, VS__BAD_KIND, 0, 0);
        rc = vs__error(VS_EINVAL, "vs_model_set_vector: item '%.200s': not an embed or classify call", id);
    } else if (!values) {
        reject(b, i, VS__BAD_NULL, 0, 0);
        rc = vs__error(VS_EINVAL, "vs_model_set_vector: item '%.200s': values is NULL", id);
    } else if (n != b->dim) {
        reject(b, i, VS__BAD_LENGTH, n, 0);
        rc = vs__error(VS_EMISMATCH, "vs_model_set_vector: item '%.200s': %zu values, expected %zu", id, n, b->dim);
    } else {
        size_t k = 0;
        int probs = b->kind == VS_MODEL_CLASSIFY;
        for (; k < n; k++) {
            double v = values[k];
            if (!isfinite(v) || (probs && (v < 0.0 || v > 1.0))) break;
        }
        if (k < n) {
            int nonfinite = !isfinite(values[k]);
            reject(b, i, nonfinite ? VS__BAD_NONFINITE : VS__BAD_PROB, k, values[k]);
            rc = vs__error(VS_EINVAL, "vs_model_set_vector: item '%.200s': value %zu is %s (%g)", id, k,
                           nonfinite ? "not finite" : "outside [0, 1]", values[k]);
        } else {
            memcpy(b->res->vec + b->item[i] * n, values, n * sizeof *values);
            b->state[i] = 1;
        }
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

int vs_model_set_error(vs_model_batch *b, size_t i, const char *message) {
    if (!message) return vs__error(VS_EINVAL, "vs_model_set_error: message is NULL");
    int rc = enter(b, i, "vs_model_set_error");
    if (rc != VS_OK) return rc;
    size_t len = strlen(message), bad = 0;
    int valid = vs__utf8_valid(message, len, &bad);
    if (!valid) {
        message = "(the callback's message is not valid UTF-8)";
        len = strlen(message);
    }
    if (len > 4000) len = 4000; /* keep records small; cut at a character boundary */
    while (len > 0 && ((unsigned char)message[len] & 0xC0) == 0x80) len--;
    vs_model_results *r = b->res;
    size_t off;
    if (vs__model_arena_append(&r->errs, &r->errs_len, &r->errs_cap, message, len, &off) != VS_OK) {
        b->nomem = 1;
        rc = vs__error(VS_ENOMEM, "vs_model_set_error: out of memory");
    } else {
        b->msg_off[i] = off;
        if (!valid) rc = vs__error(VS_EUTF8, "vs_model_set_error: message is not valid UTF-8 (byte %zu)", bad);
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}
