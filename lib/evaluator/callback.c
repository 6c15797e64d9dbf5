/* The callback backend: the caller's evaluator behind a vs_evaluator_callbacks table. Items
 * go to the callback in batches of VS_EVALUATOR_OPT_BATCH_SIZE, in order; every output is
 * pre-filled (NaN, status 0) and validated before it is copied out, so nothing the callback
 * returns can make an item's result depend on its batch, and nothing already computed is lost
 * when some item fails. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "evaluator/evaluator_internal.h"

int vs_evaluator_create_callback(vs_evaluator **out, const vs_space *space, size_t level,
                                 const vs_evaluator_callbacks *callbacks, void *user_data) {
    static const char where[] = "vs_evaluator_create_callback";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!space || !callbacks) return vs__error(VS_EINVAL, "%s: space or callbacks is NULL", where);
    const size_t min_size = offsetof(vs_evaluator_callbacks, evaluate) + sizeof callbacks->evaluate;
    if (callbacks->struct_size < min_size)
        return vs__error(VS_EINVAL, "%s: callbacks->struct_size %u is smaller than %zu", where,
                         (unsigned)callbacks->struct_size, min_size);
    if (!callbacks->evaluate) return vs__error(VS_EINVAL, "%s: callbacks->evaluate is NULL", where);
    if (level >= vs_space_level_count(space))
        return vs__error(VS_ERANGE, "%s: level %zu out of range (the space \"%s\" has %zu levels)", where, level,
                         vs_space_name(space), vs_space_level_count(space));
    vs_evaluator_callbacks cb;
    memset(&cb, 0, sizeof cb);
    size_t copy = callbacks->struct_size < sizeof cb ? callbacks->struct_size : sizeof cb;
    memcpy(&cb, callbacks, copy);
    cb.struct_size = (uint32_t)sizeof cb;
    vs_evaluator *ev = NULL;
    int rc = vs__ev_new(&ev, space, level, VS_EVALUATOR_CALLBACK, where);
    if (rc) {
        if (cb.destroy) cb.destroy(user_data);
        return rc;
    }
    ev->cb = cb;
    ev->user_data = user_data;
    *out = ev;
    return VS_OK;
}

/* Checks item j of a batch; returns VS_OK or VS_ECALLBACK with a message naming `item`. */
static int check_item(const vs_evaluator *ev, size_t item, const double *v, const double *p, int32_t status,
                      const char *where) {
    if (status != 0)
        return vs__error(VS_ECALLBACK, "%s: item %zu: the callback reported status %d", where, item, (int)status);
    for (size_t d = 0; d < ev->k; d++) {
        const char *key = vs_space_key(ev->space, ev->offset + d);
        if (isinf(v[d]))
            return vs__error(VS_ECALLBACK, "%s: item %zu, dimension \"%s\": the callback returned an infinite value",
                             where, item, key);
        const double *q = p + d * VS__EV_K;
        if (isnan(q[0]) && isnan(q[1]) && isnan(q[2])) continue;
        double sum = 0.0;
        for (int c = 0; c < VS__EV_K; c++) {
            if (!(q[c] >= 0.0 && q[c] <= 1.0))
                return vs__error(VS_ECALLBACK,
                                 "%s: item %zu, dimension \"%s\": probability %.17g is not in [0, 1]", where, item,
                                 key, q[c]);
            sum += q[c];
        }
        if (fabs(sum - 1.0) > 1e-6)
            return vs__error(VS_ECALLBACK, "%s: item %zu, dimension \"%s\": probabilities sum to %.17g, not 1",
                             where, item, key, sum);
    }
    return VS_OK;
}

int vs__ev_predict_callback(double *values, double *probs, int32_t *statuses, const vs_evaluator *ev,
                            const char *const *prompts, const char *const *responses, size_t n, const char *where) {
    if (n == 0) return VS_OK;
    const size_t k = ev->k, K3 = k * VS__EV_K;
    size_t bs = ev->opt.batch_size < n ? ev->opt.batch_size : n;
    size_t *items = vs__malloc(bs * sizeof *items);
    const char **bp = vs__malloc(bs * sizeof *bp);
    const char **br = vs__malloc(bs * sizeof *br);
    double *bv = vs__malloc((k ? bs * k : 1) * sizeof *bv);
    double *bq = vs__malloc((k ? bs * K3 : 1) * sizeof *bq);
    int32_t *bst = vs__malloc(bs * sizeof *bst);
    int first = VS_OK;
    char message[512] = "";
    if (!items || !bp || !br || !bv || !bq || !bst) {
        first = vs__nomem(where);
        snprintf(message, sizeof message, "%s", vs_last_error());
        n = 0;
    }
    for (size_t i0 = 0; i0 < n; i0 += bs) {
        size_t nb = n - i0 < bs ? n - i0 : bs;
        for (size_t j = 0; j < nb; j++) {
            items[j] = i0 + j;
            bp[j] = prompts && prompts[i0 + j] ? prompts[i0 + j] : "";
            br[j] = responses[i0 + j];
            bst[j] = 0;
        }
        for (size_t t = 0; t < nb * k; t++) bv[t] = NAN;
        for (size_t t = 0; t < nb * K3; t++) bq[t] = NAN;
        int crc = ev->cb.evaluate(ev->user_data, items, bp, br, nb, k, bv, bq, bst);
        for (size_t j = 0; j < nb; j++) {
            size_t item = i0 + j;
            int rc = crc != 0 ? vs__error(VS_ECALLBACK, "%s: item %zu: the callback failed its batch (items %zu..%zu) "
                                                        "with %d",
                                          where, item, i0, i0 + nb - 1, crc)
                              : check_item(ev, item, bv + j * k, bq + j * K3, bst[j], where);
            if (rc != VS_OK && first == VS_OK) {
                first = rc;
                snprintf(message, sizeof message, "%s", vs_last_error());
            }
            if (statuses) statuses[item] = rc;
            if (values) {
                for (size_t d = 0; d < k; d++) values[item * k + d] = rc ? NAN : bv[j * k + d];
            }
            if (probs) {
                for (size_t t = 0; t < K3; t++) probs[item * K3 + t] = rc ? NAN : bq[j * K3 + t];
            }
        }
    }
    vs__free(items);
    vs__free(bp);
    vs__free(br);
    vs__free(bv);
    vs__free(bq);
    vs__free(bst);
    if (first) return vs__error(first, "%s", message);
    return VS_OK;
}

void vs_evaluator_callbacks_init(vs_evaluator_callbacks *o) {
    if (!o) return;
    vs_evaluator_callbacks init = VS_EVALUATOR_CALLBACKS_INIT;
    *o = init;
}
