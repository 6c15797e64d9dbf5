/* The result of a run: counts, failures, choice positions and dimension scores with bootstrap
 * intervals, filled from records (by a run, a resume or merge.c). */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "projective/runner_internal.h"

int vs__runner_result_new(vs_runner_result **out, const vs__runner_config *c) {
    *out = NULL;
    vs_runner_result *r = vs__calloc(1, sizeof *r);
    if (!r) return vs__nomem("runner result");
    r->keys = vs__calloc(c->ndims, sizeof *r->keys);
    r->levels = vs__calloc(c->ndims, sizeof *r->levels);
    r->judged = vs__calloc(c->ndims ? c->ndims : 1, sizeof *r->judged);
    if (!r->keys || !r->levels || !r->judged) goto nomem;
    r->ndims = c->ndims;
    for (size_t i = 0; i < c->ndims; i++) {
        r->keys[i] = vs__strdup(c->dim_keys[i]);
        r->levels[i] = vs__strdup(c->dim_levels[i]);
        if (!r->keys[i] || !r->levels[i]) goto nomem;
    }
    int rc = vs_accum_create(&r->acc, c->ndims, (size_t)c->replicates, c->seed);
    if (rc != VS_OK) {
        vs_runner_result_free(r);
        return rc;
    }
    *out = r;
    return VS_OK;
nomem:
    vs_runner_result_free(r);
    return vs__nomem("runner result");
}

void vs_runner_result_free(vs_runner_result *r) {
    if (!r) return;
    for (size_t i = 0; i < r->ndims; i++) {
        if (r->keys) vs__free(r->keys[i]);
        if (r->levels) vs__free(r->levels[i]);
    }
    vs__free(r->keys);
    vs__free(r->levels);
    vs__free(r->judged);
    vs__free(r->first_item);
    vs__free(r->first_error);
    vs_accum_free(r->acc);
    vs__free(r);
}

int vs__runner_result_add_failure(vs_runner_result *r, const char *item, uint64_t repeat, int status,
                                  const char *error) {
    r->failed++;
    if (r->first_item) return VS_OK;
    r->first_item = vs__strdup(item);
    r->first_error = vs__strdup(error ? error : "");
    if (!r->first_item || !r->first_error) {
        vs__free(r->first_item);
        vs__free(r->first_error);
        r->first_item = r->first_error = NULL;
        return vs__nomem("runner result");
    }
    r->first_repeat = repeat;
    r->first_status = status;
    return VS_OK;
}

int vs__runner_result_add_records(vs_runner_result *r, const vs__runner_rec *recs, size_t n) {
    size_t k = r->ndims, rows = 0;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].status == VS_MODEL_ITEM_OK) {
            rows++;
            continue;
        }
        int rc = vs__runner_result_add_failure(r, recs[i].item, recs[i].repeat, recs[i].status, recs[i].error);
        if (rc != VS_OK) return rc;
    }
    if (rows == 0) return VS_OK;
    uint64_t *hashes = vs__calloc(rows, sizeof *hashes);
    double *vals = vs__calloc(rows * k, sizeof *vals);
    int rc = VS_OK;
    if (!hashes || !vals) {
        rc = vs__nomem("runner result");
        goto done;
    }
    size_t row = 0;
    for (size_t i = 0; i < n && rc == VS_OK; i++) {
        const vs__runner_rec *rec = &recs[i];
        if (rec->status != VS_MODEL_ITEM_OK) continue;
        rc = vs_accum_item_hash(&hashes[row], rec->item);
        double *v = vals + row * k;
        for (size_t d = 0; d < k; d++) v[d] = NAN;
        for (size_t q = 0; q < rec->n; q++) v[rec->dims[q]] = vs__runner_value(rec->judge[q], rec->reverse);
        row++;
    }
    if (rc == VS_OK) rc = vs_accum_add_rows(r->acc, hashes, vals, rows, k);
    if (rc == VS_OK) {
        r->done += rows;
        for (size_t i = 0; i < n; i++)
            if (recs[i].status == VS_MODEL_ITEM_OK) {
                for (size_t q = 0; q < recs[i].n; q++) r->judged[recs[i].dims[q]]++;
                vs__runner_count_choice(r, recs[i].first, recs[i].judge[0]);
            }
    }
done:
    vs__free(hashes);
    vs__free(vals);
    return rc;
}

uint64_t vs_runner_result_done(const vs_runner_result *r) { return r ? r->done : 0; }
uint64_t vs_runner_result_failed(const vs_runner_result *r) { return r ? r->failed : 0; }

int vs_runner_result_first_failure(const vs_runner_result *r, const char **item_id, uint64_t *repeat, int *status,
                                   const char **message) {
    if (!r) return vs__error(VS_EINVAL, "vs_runner_result_first_failure: result is NULL");
    if (!r->first_item) return vs__error(VS_ENOTFOUND, "vs_runner_result_first_failure: no record failed");
    if (item_id) *item_id = r->first_item;
    if (repeat) *repeat = r->first_repeat;
    if (status) *status = r->first_status;
    if (message) *message = r->first_error;
    return VS_OK;
}
size_t vs_runner_result_dimension_count(const vs_runner_result *r) { return r ? r->ndims : 0; }
const char *vs_runner_result_dimension_key(const vs_runner_result *r, size_t i) {
    return r && i < r->ndims ? r->keys[i] : NULL;
}
const char *vs_runner_result_dimension_level(const vs_runner_result *r, size_t i) {
    return r && i < r->ndims ? r->levels[i] : NULL;
}
const vs_accum *vs_runner_result_accum(const vs_runner_result *r) { return r ? r->acc : NULL; }

void vs__runner_count_choice(vs_runner_result *r, int first, double judgement) {
    if (!first) return;
    r->choice_answers++;
    r->choice_first += (judgement == 1.0) == (first == 1); /* the high option chosen and shown first, or neither */
}

int vs_runner_result_position(const vs_runner_result *r, uint64_t *first, uint64_t *answers) {
    if (!r) return vs__error(VS_EINVAL, "vs_runner_result_position: result is NULL");
    if (first) *first = r->choice_first;
    if (answers) *answers = r->choice_answers;
    return VS_OK;
}

int vs_runner_result_score(vs_runner_score *out, const vs_runner_result *r, size_t i) {
    /* callers built against the header before n_related and coverage pass the shorter struct */
    if (!out || !r || out->struct_size < offsetof(vs_runner_score, n_related))
        return vs__error(VS_EINVAL, "vs_runner_result_score: NULL argument or struct_size too small");
    if (i >= r->ndims) return vs__error(VS_ERANGE, "vs_runner_result_score: dimension %zu of %zu", i, r->ndims);
    vs_accum_stats st = VS_ACCUM_STATS_INIT;
    int rc = vs_accum_stats_get(&st, r->acc, i);
    if (rc != VS_OK) return rc;
    out->n = r->judged[i];
    if (out->struct_size >= offsetof(vs_runner_score, coverage) + sizeof out->coverage) {
        out->n_related = st.n;
        out->coverage = r->judged[i] ? (double)st.n / (double)r->judged[i] : NAN;
    }
    out->score = st.n ? 100.0 * st.exact_mean : NAN;
    double lo = NAN, hi = NAN;
    if (st.n) {
        rc = vs_accum_ci(&lo, &hi, r->acc, i, VS_ACCUM_CI_PERCENTILE, VS_ACCUM_LEVEL_DEFAULT);
        if (rc == VS_ENOMEM) return rc;
        if (rc == VS_OK) {
            lo *= 100.0;
            hi *= 100.0;
        } else {
            lo = hi = NAN;
        }
    }
    out->ci_low = lo;
    out->ci_high = hi;
    return VS_OK;
}

void vs_runner_score_init(vs_runner_score *o) {
    if (!o) return;
    vs_runner_score init = VS_RUNNER_SCORE_INIT;
    *o = init;
}
