/* Journal header (the run configuration): writing, reading and comparing. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "projective/runner_internal.h"

const vs__jsonl_schema vs__runner_schema = {VS__RUNNER_SCHEMA, NULL, VS_RUNNER_JOURNAL_VERSION, "journal"};

const char *vs__runner_status_name(int status) {
    switch (status) {
    case VS_MODEL_ITEM_OK: return "ok";
    case VS_MODEL_ITEM_TRANSIENT: return "transient";
    case VS_MODEL_ITEM_PERMANENT: return "permanent";
    case VS_MODEL_ITEM_BAD_OUTPUT: return "bad_output";
    default: return "not_run";
    }
}

const char *vs__runner_judge_prefix(int judge) {
    return judge == VS_RUNNER_JUDGE_CLASSIFY3 ? "classify3:" : judge == VS_RUNNER_JUDGE_CLASSIFY ? "classify:" : "";
}

int vs__runner_judge_kind(const char *judge) {
    if (strcmp(judge, "loglik") == 0) return VS_RUNNER_JUDGE_LOGLIK;
    if (strcmp(judge, "choice") == 0) return VS_RUNNER_JUDGE_CHOICE;
    if (strncmp(judge, "classify3:", strlen("classify3:")) == 0) return VS_RUNNER_JUDGE_CLASSIFY3;
    if (strncmp(judge, "classify:", strlen("classify:")) == 0) return VS_RUNNER_JUDGE_CLASSIFY;
    return -1;
}

int vs__runner_outcome3(double p_high, double p_unrelated, double p_low) {
    if (p_high > p_low && p_high > p_unrelated) return VS__OUTCOME_HIGH;
    if (p_low > p_high && p_low > p_unrelated) return VS__OUTCOME_LOW;
    return VS__OUTCOME_UNRELATED; /* p(unrelated) largest, or a tie for the largest */
}

int vs__runner_outcome2(double p_high) {
    return p_high > 0.5 ? VS__OUTCOME_HIGH : p_high < 0.5 ? VS__OUTCOME_LOW : VS__OUTCOME_UNRELATED;
}

int vs__runner_status_parse(const char *name) {
    static const char *const names[] = {"ok", "transient", "permanent", "bad_output"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

void vs__runner_config_clear(vs__runner_config *c) {
    if (!c) return;
    vs__free(c->library);
    vs__free(c->bank);
    vs__free(c->bank_hash);
    vs__free(c->bank_ref);
    vs__free(c->model);
    vs__free(c->judge);
    for (size_t i = 0; i < c->ndims; i++) {
        if (c->dim_keys) vs__free(c->dim_keys[i]);
        if (c->dim_levels) vs__free(c->dim_levels[i]);
    }
    vs__free(c->dim_keys);
    vs__free(c->dim_levels);
    memset(c, 0, sizeof *c);
}

static void write_u64_str(vs_json_writer *w, uint64_t v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    vs__jw_string(w, buf);
}

void vs__runner_config_write(vs_json_writer *w, const vs__runner_config *c) {
    vs__jsonl_header_begin(w, &vs__runner_schema);
    vs__jw_key(w, "library");
    vs__jw_string(w, c->library);
    vs__jw_key(w, "bank");
    vs__jw_string(w, c->bank);
    vs__jw_key(w, "bank_hash");
    vs__jw_string(w, c->bank_hash);
    vs__jw_key(w, "bank_ref");
    vs__jw_string(w, c->bank_ref);
    vs__jw_key(w, "model");
    vs__jw_string(w, c->model);
    vs__jw_key(w, "judge");
    vs__jw_string(w, c->judge);
    vs__jw_key(w, "seed");
    write_u64_str(w, c->seed);
    vs__jw_key(w, "repeats");
    vs__jw_int(w, (long long)c->repeats);
    vs__jw_key(w, "shard");
    vs__jw_begin_array(w);
    vs__jw_int(w, (long long)c->shard_index);
    vs__jw_int(w, (long long)c->shard_count);
    vs__jw_end_array(w);
    vs__jw_key(w, "replicates");
    vs__jw_int(w, (long long)c->replicates);
    vs__jw_key(w, "max_tokens");
    vs__jw_int(w, (long long)c->max_tokens);
    vs__jw_key(w, "temperature");
    vs__jw_number(w, c->temperature);
    vs__jw_key(w, "dimensions");
    vs__jw_begin_array(w);
    for (size_t i = 0; i < c->ndims; i++) {
        vs__jw_begin_object(w);
        vs__jw_key(w, "key");
        vs__jw_string(w, c->dim_keys[i]);
        vs__jw_key(w, "level");
        vs__jw_string(w, c->dim_levels[i]);
        vs__jw_end_object(w);
    }
    vs__jw_end_array(w);
    vs__jw_end_object(w);
}

/* ---- reading */

static int get_str(char **out, const vs_json *obj, const char *key, const char *where) {
    const vs_json *v = vs__json_get(obj, key);
    if (!v || v->type != VS_JSON_STRING || strlen(v->u.string.ptr) != v->u.string.len)
        return vs__error(VS_EPARSE, "%s:%u:%u: journal header: \"%s\" must be a string", where, obj->line, obj->column, key);
    *out = vs__strdup(v->u.string.ptr);
    return *out ? VS_OK : vs__nomem("journal header");
}

static int get_int(int64_t *out, const vs_json *obj, const char *key, int64_t lo, int64_t hi, const char *where) {
    const vs_json *v = vs__json_get(obj, key);
    if (!v || v->type != VS_JSON_NUMBER || v->u.number != floor(v->u.number) || v->u.number < (double)lo ||
        v->u.number > (double)hi)
        return vs__error(VS_EPARSE, "%s:%u:%u: journal header: \"%s\" must be an integer in %lld..%lld", where,
                         v ? v->line : obj->line, v ? v->column : obj->column, key, (long long)lo, (long long)hi);
    *out = (int64_t)v->u.number;
    return VS_OK;
}

int vs__runner_config_read(vs__runner_config *c, const vs_json *obj, const char *where) {
    memset(c, 0, sizeof *c);
    int rc = vs__jsonl_header_check(obj, where, &vs__runner_schema);
    if (rc != VS_OK) return rc;
    char *seed = NULL;
    if ((rc = get_str(&c->library, obj, "library", where)) || (rc = get_str(&c->bank, obj, "bank", where)) ||
        (rc = get_str(&c->bank_hash, obj, "bank_hash", where)) || (rc = get_str(&c->bank_ref, obj, "bank_ref", where)) ||
        (rc = get_str(&c->model, obj, "model", where)) || (rc = get_str(&c->judge, obj, "judge", where)) ||
        (rc = get_str(&seed, obj, "seed", where)))
        goto fail;
    /* every reader relies on it: the classify judge's id is read after the prefix */
    if (vs__runner_judge_kind(c->judge) < 0) {
        rc = vs__error(VS_EPARSE,
                       "%s:1:1: journal header: \"judge\" must be \"loglik\", \"choice\", \"classify:ID\" or \"classify3:ID\", not \"%.100s\"",
                       where, c->judge);
        goto fail;
    }
    {
        char *end = NULL;
        errno = 0;
        unsigned long long sv = strtoull(seed, &end, 10);
        if (!seed[0] || *end || seed[0] == '-' || errno) {
            rc = vs__error(VS_EPARSE, "%s:1:1: journal header: \"seed\" must be a decimal 64-bit number", where);
            goto fail;
        }
        c->seed = (uint64_t)sv;
    }
    if ((rc = get_int(&c->repeats, obj, "repeats", 1, 1000000, where)) ||
        (rc = get_int(&c->replicates, obj, "replicates", 0, 100000, where)) ||
        (rc = get_int(&c->max_tokens, obj, "max_tokens", 0, INT32_MAX, where)))
        goto fail;
    const vs_json *sh = vs__json_get(obj, "shard");
    if (!sh || sh->type != VS_JSON_ARRAY || sh->u.array.count != 2 || sh->u.array.items[0]->type != VS_JSON_NUMBER ||
        sh->u.array.items[1]->type != VS_JSON_NUMBER) {
        rc = vs__error(VS_EPARSE, "%s:1:1: journal header: \"shard\" must be [k, N]", where);
        goto fail;
    }
    {
        double k = sh->u.array.items[0]->u.number, n = sh->u.array.items[1]->u.number;
        if (n != floor(n) || k != floor(k) || n < 1 || n > 65536 || k < 0 || k >= n) {
            rc = vs__error(VS_EPARSE, "%s:%u:%u: journal header: bad shard [%g, %g]", where, sh->line, sh->column, k, n);
            goto fail;
        }
        c->shard_index = (int64_t)k;
        c->shard_count = (int64_t)n;
    }
    const vs_json *t = vs__json_get(obj, "temperature");
    if (!t || t->type != VS_JSON_NUMBER) {
        rc = vs__error(VS_EPARSE, "%s:1:1: journal header: \"temperature\" must be a number", where);
        goto fail;
    }
    c->temperature = t->u.number;
    const vs_json *dims = vs__json_get(obj, "dimensions");
    if (!dims || dims->type != VS_JSON_ARRAY || dims->u.array.count == 0 || dims->u.array.count > VS_ACCUM_MAX_DIMS) {
        rc = vs__error(VS_EPARSE, "%s:1:1: journal header: \"dimensions\" must be a non-empty array", where);
        goto fail;
    }
    c->dim_keys = vs__calloc(dims->u.array.count, sizeof *c->dim_keys);
    c->dim_levels = vs__calloc(dims->u.array.count, sizeof *c->dim_levels);
    if (!c->dim_keys || !c->dim_levels) {
        rc = vs__nomem("journal header");
        goto fail;
    }
    c->ndims = dims->u.array.count;
    for (size_t i = 0; i < c->ndims; i++) {
        const vs_json *d = dims->u.array.items[i];
        if (d->type != VS_JSON_OBJECT) {
            rc = vs__error(VS_EPARSE, "%s:%u:%u: journal header: a dimension must be an object", where, d->line, d->column);
            goto fail;
        }
        if ((rc = get_str(&c->dim_keys[i], d, "key", where)) || (rc = get_str(&c->dim_levels[i], d, "level", where)))
            goto fail;
    }
    vs__free(seed);
    return VS_OK;
fail:
    vs__free(seed);
    vs__runner_config_clear(c);
    return rc;
}

int vs__runner_config_doc(vs_json **out, const vs__runner_config *c) {
    *out = NULL;
    vs_json_writer w;
    vs__jw_init(&w, 0);
    vs__runner_config_write(&w, c);
    char *text = NULL;
    int rc = vs__jw_finish(&w, &text);
    if (rc == VS_OK) rc = vs__json_parse(out, text, strlen(text), "journal header", 16);
    vs__free(text);
    return rc;
}
