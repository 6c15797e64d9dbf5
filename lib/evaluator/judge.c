/* An evaluator as a classify judge: a vs_model whose classify callback evaluates each
 * (context, text) pair and answers, per label, the evaluator's class probability on the
 * dimension the label names: "KEY:high" p(+1), "KEY:unrelated" p(0), "KEY:low" p(-1) (the
 * three-way judge of the projective runner), or for a plain "KEY" the two-way
 * P(high) = (1 + E) / 2 with E = p(+1) - p(-1). A callback evaluator that gives no
 * probabilities has its value E in [-1, 1] read as p(+1) = max(E, 0), p(-1) = max(-E, 0),
 * p(0) = 1 - |E|. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "evaluator/evaluator_internal.h"
#include "valuespace/model.h"

/* What a label asks for: the two-way P(high), or one class probability (the index of the class
 * in the evaluator's (p(-1), p(0), p(+1)) triple). */
enum { ASK_TWO_WAY = -1 };

/* Finds the dimension a label names: the whole label, else a key before one of the three-way
 * suffixes. */
static int find_label(size_t *idx, int *ask, const vs_evaluator *ev, const char *label) {
    /* the runner's VS_RUNNER_LABEL_* (projective.h sits above this module; check_runner tests both) */
    static const char *const suffix[3] = {":low", ":unrelated", ":high"};
    *ask = ASK_TWO_WAY;
    if (vs_space_find(idx, ev->space, ev->level, label) == VS_OK) return VS_OK;
    size_t len = strlen(label);
    for (int c = 0; c < 3; c++) {
        size_t sl = strlen(suffix[c]);
        char key[256];
        if (len <= sl || len - sl >= sizeof key || strcmp(label + len - sl, suffix[c]) != 0) continue;
        memcpy(key, label, len - sl);
        key[len - sl] = '\0';
        *ask = c;
        return vs_space_find(idx, ev->space, ev->level, key);
    }
    return VS_ENOTFOUND;
}

/* Maps the labels of one call to dimensions of the evaluator's level; an unknown label makes
 * every item of the batch a permanent failure that names it. Returns the number of labels
 * mapped (n_labels on success). */
static size_t map_labels(size_t *dim, int *ask, const vs_evaluator *ev, const char *const *labels, size_t n_labels,
                         vs_model_batch *batch, size_t n, int *status) {
    for (size_t l = 0; l < n_labels; l++) {
        size_t idx = 0;
        int rc = labels[l] ? find_label(&idx, &ask[l], ev, labels[l]) : VS_EINVAL;
        if (rc == VS_OK) {
            dim[l] = idx - ev->offset;
            continue;
        }
        char msg[512];
        snprintf(msg, sizeof msg, "judge: the evaluator's level \"%s\" of space \"%s\" has no dimension \"%.200s\"",
                 vs_space_level_name(ev->space, ev->level), vs_space_name(ev->space),
                 labels[l] ? labels[l] : "(null)");
        for (size_t i = 0; i < n; i++) {
            status[i] = VS_MODEL_ITEM_PERMANENT;
            vs_model_set_error(batch, i, msg);
        }
        return l;
    }
    return n_labels;
}

/* What label asks of item i on dimension d, or NaN when the evaluator has nothing usable. */
static double answer(const double *values, const double *probs, size_t k, size_t i, size_t d, int ask) {
    const double *q = probs + (i * k + d) * VS__EV_K;
    double e = isnan(q[0]) ? values[i * k + d] : q[2] - q[0];
    if (!(e >= -1.0 && e <= 1.0)) return NAN;
    if (ask == ASK_TWO_WAY) return 0.5 * (1.0 + e);
    if (!isnan(q[0])) return q[ask];
    double from_value[VS__EV_K] = {e < 0 ? -e : 0.0, 1.0 - fabs(e), e > 0 ? e : 0.0};
    return from_value[ask];
}

static int judge_classify(void *user_data, vs_model_batch *batch, const vs_model_text_request *const *requests,
                          size_t n, const char *const *labels, size_t n_labels, int *status) {
    const vs_evaluator *ev = user_data;
    size_t k = ev->k;
    const char **prompts = vs__calloc(n, sizeof *prompts);
    const char **responses = vs__calloc(n, sizeof *responses);
    double *values = vs__calloc(n * k, sizeof *values);
    double *probs = vs__calloc(n * k * VS__EV_K, sizeof *probs);
    int32_t *st = vs__calloc(n, sizeof *st);
    size_t *dim = vs__calloc(n_labels ? n_labels : 1, sizeof *dim);
    int *ask = vs__calloc(n_labels ? n_labels : 1, sizeof *ask);
    double *out = vs__calloc(n_labels ? n_labels : 1, sizeof *out);
    int ret = 0;
    if (!prompts || !responses || !values || !probs || !st || !dim || !ask || !out) {
        ret = VS_MODEL_ITEM_TRANSIENT; /* out of memory now; the items are retried */
        goto done;
    }
    if (map_labels(dim, ask, ev, labels, n_labels, batch, n, status) < n_labels) goto done;
    for (size_t i = 0; i < n; i++) {
        prompts[i] = requests[i]->context;
        responses[i] = requests[i]->text;
    }
    int rc = vs_evaluator_predict(values, n * k, probs, n * k * VS__EV_K, st, n, ev, prompts, responses, n);
    if (rc == VS_ENOMEM) {
        ret = VS_MODEL_ITEM_TRANSIENT;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        char msg[320];
        if (st[i] != VS_OK) {
            snprintf(msg, sizeof msg, "judge: the evaluator failed on this completion (%s)", vs_status_name(st[i]));
            status[i] = VS_MODEL_ITEM_PERMANENT;
            vs_model_set_error(batch, i, msg);
            continue;
        }
        size_t l = 0;
        for (; l < n_labels; l++) {
            out[l] = answer(values, probs, k, i, dim[l], ask[l]);
            if (isnan(out[l])) break;
        }
        if (l < n_labels) {
            snprintf(msg, sizeof msg, "judge: the evaluator has no prediction for \"%.200s\" (no training labels?)",
                     labels[l]);
            status[i] = VS_MODEL_ITEM_PERMANENT;
            vs_model_set_error(batch, i, msg);
            continue;
        }
        vs_model_set_vector(batch, i, out, n_labels);
    }
done:
    vs__free(prompts);
    vs__free(responses);
    vs__free(values);
    vs__free(probs);
    vs__free(st);
    vs__free(dim);
    vs__free(ask);
    vs__free(out);
    return ret;
}

int vs_evaluator_judge_create(vs_model **out, const vs_evaluator *evaluator) {
    static const char where[] = "vs_evaluator_judge_create";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!evaluator) return vs__error(VS_EINVAL, "%s: evaluator is NULL", where);
    if (!vs_evaluator_is_ready(evaluator))
        return vs__error(VS_ESTATE, "%s: the built-in evaluator is not trained", where);
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.classify = judge_classify;
    return vs_model_create(out, &cb, (void *)evaluator);
}
