/* The projective runner: configuration, options and the journal header it writes. The run
 * itself is in runner_run.c. */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/random.h"
#include "common/option_table.h"
#include "common/utf8.h"
#include "model/model_run.h"
#include "projective/bank_internal.h"
#include "projective/runner_handle_internal.h"

int vs_runner_create(vs_runner **out, const vs_bank *bank, vs_model *model, int judge, vs_model *judge_model) {
    if (out) *out = NULL;
    if (!out || !bank || !model) return vs__error(VS_EINVAL, "vs_runner_create: NULL argument");
    if (judge < VS_RUNNER_JUDGE_LOGLIK || judge > VS_RUNNER_JUDGE_CHOICE)
        return vs__error(VS_EINVAL, "vs_runner_create: unknown judge %d", judge);
    if (judge == VS_RUNNER_JUDGE_LOGLIK || judge == VS_RUNNER_JUDGE_CHOICE) {
        const char *name = judge == VS_RUNNER_JUDGE_LOGLIK ? "loglik" : "choice";
        if (judge_model) return vs__error(VS_EINVAL, "vs_runner_create: the %s judge takes no judge model", name);
        if (judge == VS_RUNNER_JUDGE_LOGLIK && !vs_model_supports(model, VS_MODEL_LOGLIKELIHOOD))
            return vs__error(VS_ESTATE, "vs_runner_create: the loglik judge needs a model with a loglikelihood callback");
        if (judge == VS_RUNNER_JUDGE_CHOICE && !vs_model_supports(model, VS_MODEL_GENERATE))
            return vs__error(VS_ESTATE, "vs_runner_create: the choice judge needs a model with a generate callback");
        for (size_t i = 0; i < bank->item_count; i++)
            if (!bank->items[i].high)
                return vs__error(VS_EMISMATCH,
                                 "vs_runner_create: item '%s' of bank '%s' has no high/low continuations, which the "
                                 "%s judge needs",
                                 bank->items[i].id, bank->name, name);
    } else {
        if (!judge_model) return vs__error(VS_EINVAL, "vs_runner_create: the classify judge needs a judge model");
        if (!vs_model_supports(model, VS_MODEL_GENERATE))
            return vs__error(VS_ESTATE, "vs_runner_create: the classify judge needs a model with a generate callback");
        if (!vs_model_supports(judge_model, VS_MODEL_CLASSIFY))
            return vs__error(VS_ESTATE, "vs_runner_create: the judge model has no classify callback");
    }
    vs_runner *r = vs__calloc(1, sizeof *r);
    if (!r) return vs__nomem("vs_runner_create");
    r->bank = bank;
    vs__bank_retain(bank);
    r->model = model;
    vs__model_retain(model);
    if (judge_model) {
        r->judge_model = judge_model;
        vs__model_retain(judge_model);
    }
    r->judge = judge;
    r->repeats = 1;
    r->shard_count = 1;
    r->replicates = 1000;
    r->temperature = 1.0;
    const vs_space *sp = bank->space;
    size_t nsp = vs_space_dimension_count(sp);
    r->rep_of = vs__calloc(nsp ? nsp : 1, sizeof *r->rep_of);
    r->space_of = vs__calloc(nsp ? nsp : 1, sizeof *r->space_of);
    r->ihash = vs__calloc(bank->item_count, sizeof *r->ihash);
    r->model_id = vs__strdup("");
    r->judge_id = vs__strdup("");
    r->bank_ref = vs__strdup(bank->name);
    r->journal = vs__strdup("");
    if (!r->rep_of || !r->space_of || !r->ihash || !r->model_id || !r->judge_id || !r->bank_ref || !r->journal) {
        vs_runner_free(r);
        return vs__nomem("vs_runner_create");
    }
    for (size_t d = 0; d < nsp; d++) {
        r->rep_of[d] = UINT32_MAX;
        if (bank->dim_items[d]) {
            r->rep_of[d] = (uint32_t)r->ndims;
            r->space_of[r->ndims++] = d;
        }
    }
    for (size_t i = 0; i < bank->item_count; i++) {
        int rc = vs_accum_item_hash(&r->ihash[i], bank->items[i].id);
        if (rc != VS_OK) {
            vs_runner_free(r);
            return rc;
        }
    }
    char *json = NULL;
    int rc = vs_bank_save_json(&json, bank);
    if (rc != VS_OK) {
        vs_runner_free(r);
        return rc;
    }
    uint64_t h = vs__hash_finish(vs__fnv1a64(VS__FNV_BASIS, json, strlen(json)), 0);
    vs__free(json);
    snprintf(r->bank_hash, sizeof r->bank_hash, "%016" PRIx64, h);
    *out = r;
    return VS_OK;
}

void vs_runner_free(vs_runner *r) {
    if (!r) return;
    vs_bank_free((vs_bank *)r->bank);
    vs_model_free(r->model);
    vs_model_free(r->judge_model);
    vs__free(r->rep_of);
    vs__free(r->space_of);
    vs__free(r->ihash);
    vs__free(r->model_id);
    vs__free(r->judge_id);
    vs__free(r->bank_ref);
    vs__free(r->journal);
    vs__free(r);
}

/* ---- options (lib/common/option_table.h) */

/* String options: UTF-8 and at most VS__RUNNER_MAX_STR bytes (they go into the journal header). */
static int check_str(const void *handle, const vs__option *o, vs__opt_value v, const char *where) {
    (void)handle;
    size_t len = strlen(v.s), bad = 0;
    if (!vs__utf8_valid(v.s, len, &bad))
        return vs__error(VS_EUTF8, "%s: option %s is not UTF-8 (byte %zu)", where, o->name, bad);
    if (len > VS__RUNNER_MAX_STR)
        return vs__error(VS_ELIMIT, "%s: option %s is longer than %d bytes", where, o->name, VS__RUNNER_MAX_STR);
    return VS_OK;
}

#define STR_ROW(id, member, name) \
    {id, VS__OPT_STR, VS__FIELD_STR, 0, 0, offsetof(vs_runner, member), name, NULL, NULL, check_str}
static const vs__option opts[] = {
    VS__OPT_ROW_INT(vs_runner, VS_RUNNER_OPT_REPEATS, repeats, 1, 1000000, "repeats"),
    VS__OPT_ROW_INT(vs_runner, VS_RUNNER_OPT_SHARD_INDEX, shard_index, 0, 65535, "shard_index"),
    VS__OPT_ROW_INT(vs_runner, VS_RUNNER_OPT_SHARD_COUNT, shard_count, 1, 65536, "shard_count"),
    VS__OPT_ROW_INT(vs_runner, VS_RUNNER_OPT_REPLICATES, replicates, 0, 100000, "replicates"),
    VS__OPT_ROW_INT(vs_runner, VS_RUNNER_OPT_FSYNC, fsync, 0, 1, "fsync"),
    VS__OPT_ROW_INT(vs_runner, VS_RUNNER_OPT_MAX_TOKENS, max_tokens, 0, INT32_MAX, "max_tokens"),
    VS__OPT_ROW_DOUBLE(vs_runner, VS_RUNNER_OPT_TEMPERATURE, temperature, 0, 100, "temperature"),
    STR_ROW(VS_RUNNER_OPT_MODEL_ID, model_id, "model_id"),
    STR_ROW(VS_RUNNER_OPT_JUDGE_ID, judge_id, "judge_id"),
    STR_ROW(VS_RUNNER_OPT_BANK_REF, bank_ref, "bank_ref"),
    STR_ROW(VS_RUNNER_OPT_JOURNAL, journal, "journal"),
};
#undef STR_ROW
static const vs__option_table table = VS__OPTION_TABLE("vs_runner", opts);

int vs_runner_set_int(vs_runner *r, int option, int64_t value) { return vs__opt_set_int(&table, r, option, value); }
int vs_runner_set_double(vs_runner *r, int option, double value) {
    return vs__opt_set_double(&table, r, option, value);
}
int vs_runner_set_str(vs_runner *r, int option, const char *value) { return vs__opt_set_str(&table, r, option, value); }
int vs_runner_get_int(int64_t *out, const vs_runner *r, int option) { return vs__opt_get_int(&table, out, r, option); }
int vs_runner_get_double(double *out, const vs_runner *r, int option) {
    return vs__opt_get_double(&table, out, r, option);
}
int vs_runner_get_str(const char **out, const vs_runner *r, int option) {
    return vs__opt_get_str(&table, out, r, option);
}
int vs_runner_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_runner_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_runner_option_name(int option) { return vs__opt_name_of(&table, option); }

int vs_runner_set_seed(vs_runner *r, uint64_t seed) {
    if (!r) return vs__error(VS_EINVAL, "vs_runner_set_seed: runner is NULL");
    r->seed = seed;
    return VS_OK;
}

int vs_runner_set_progress(vs_runner *r, vs_runner_progress_fn fn, void *user_data) {
    if (!r) return vs__error(VS_EINVAL, "vs_runner_set_progress: runner is NULL");
    r->progress = fn;
    r->progress_ud = user_data;
    return VS_OK;
}

int vs__runner_config_make(vs__runner_config *c, const vs_runner *r) {
    memset(c, 0, sizeof *c);
    const vs_space *sp = r->bank->space;
    size_t jl = strlen(r->judge_id);
    c->library = vs__strdup(vs_version_string());
    c->bank = vs__strdup(r->bank->name);
    c->bank_hash = vs__strdup(r->bank_hash);
    c->bank_ref = vs__strdup(r->bank_ref);
    c->model = vs__strdup(r->model_id);
    c->judge = vs__malloc(jl + 16);
    c->dim_keys = vs__calloc(r->ndims, sizeof *c->dim_keys);
    c->dim_levels = vs__calloc(r->ndims, sizeof *c->dim_levels);
    if (!c->library || !c->bank || !c->bank_hash || !c->bank_ref || !c->model || !c->judge || !c->dim_keys ||
        !c->dim_levels)
        goto nomem;
    if (r->judge == VS_RUNNER_JUDGE_LOGLIK) strcpy(c->judge, "loglik");
    else if (r->judge == VS_RUNNER_JUDGE_CHOICE) strcpy(c->judge, "choice");
    else snprintf(c->judge, jl + 16, "%s%s", vs__runner_judge_prefix(r->judge), r->judge_id);
    c->ndims = r->ndims;
    for (size_t i = 0; i < r->ndims; i++) {
        size_t d = r->space_of[i];
        c->dim_keys[i] = vs__strdup(vs_space_key(sp, d));
        c->dim_levels[i] = vs__strdup(vs_space_level_name(sp, vs_space_dimension_level(sp, d)));
        if (!c->dim_keys[i] || !c->dim_levels[i]) goto nomem;
    }
    c->seed = r->seed;
    c->repeats = r->repeats;
    c->shard_index = r->shard_index;
    c->shard_count = r->shard_count;
    c->replicates = r->replicates;
    c->max_tokens = r->max_tokens;
    c->temperature = r->temperature;
    return VS_OK;
nomem:
    vs__runner_config_clear(c);
    return vs__nomem("vs_runner_run");
}

/* ---- from a journal */

struct vs_runner_journal_header {
    vs__runner_config c;
    char *path;
    char seed[24];
    char shard[48]; /* "k/N" */
};

void vs_runner_journal_header_free(vs_runner_journal_header *h) {
    if (!h) return;
    vs__runner_config_clear(&h->c);
    vs__free(h->path);
    vs__free(h);
}

static int header_read(vs_runner_journal_header **out, const char *path, const char *fn) {
    *out = NULL;
    vs_runner_journal_header *h = vs__calloc(1, sizeof *h);
    if (!h || !(h->path = vs__strdup(path))) {
        vs__free(h);
        return vs__nomem(fn);
    }
    int rc = vs__runner_header_read(&h->c, path, fn);
    if (rc != VS_OK) {
        vs_runner_journal_header_free(h);
        return rc;
    }
    snprintf(h->seed, sizeof h->seed, "%" PRIu64, h->c.seed);
    snprintf(h->shard, sizeof h->shard, "%lld/%lld", (long long)h->c.shard_index, (long long)h->c.shard_count);
    *out = h;
    return VS_OK;
}

int vs_runner_journal_header_read(vs_runner_journal_header **out, const char *path) {
    if (out) *out = NULL;
    if (!out || !path) return vs__error(VS_EINVAL, "vs_runner_journal_header_read: NULL argument");
    return header_read(out, path, "vs_runner_journal_header_read");
}

const char *vs_runner_journal_header_field(const vs_runner_journal_header *h, const char *field) {
    if (!h || !field) return NULL;
    const vs__runner_config *c = &h->c;
    return strcmp(field, "bank") == 0        ? c->bank
           : strcmp(field, "bank_ref") == 0  ? c->bank_ref
           : strcmp(field, "bank_hash") == 0 ? c->bank_hash
           : strcmp(field, "model") == 0     ? c->model
           : strcmp(field, "judge") == 0     ? c->judge
           : strcmp(field, "library") == 0   ? c->library
           : strcmp(field, "seed") == 0      ? h->seed
           : strcmp(field, "shard") == 0     ? h->shard
                                             : NULL;
}

int vs_runner_journal_field(char **out, const char *path, const char *field) {
    if (out) *out = NULL;
    if (!out || !path || !field) return vs__error(VS_EINVAL, "vs_runner_journal_field: NULL argument");
    vs_runner_journal_header *h = NULL;
    int rc = header_read(&h, path, "vs_runner_journal_field");
    if (rc != VS_OK) return rc;
    const char *v = vs_runner_journal_header_field(h, field);
    if (!v) rc = vs__error(VS_ENOTFOUND, "vs_runner_journal_field: no string field \"%.100s\" in a journal header", field);
    else if (!(*out = vs__strdup(v))) rc = vs__nomem("vs_runner_journal_field");
    vs_runner_journal_header_free(h);
    return rc;
}

static int create_from(vs_runner **out, const vs_runner_journal_header *h, const vs_bank *bank, vs_model *model,
                       vs_model *judge_model, const char *fn) {
    const vs__runner_config *c = &h->c;
    int judge = vs__runner_judge_kind(c->judge);
    int takes_model = judge == VS_RUNNER_JUDGE_CLASSIFY || judge == VS_RUNNER_JUDGE_CLASSIFY3;
    if (takes_model != (judge_model != NULL))
        return vs__error(VS_EMISMATCH, "%s: '%s' was made with the judge \"%s\", which %s", fn, h->path, c->judge,
                         judge_model ? "takes no judge model" : "needs a judge model");
    vs_runner *r = NULL;
    int rc = vs_runner_create(&r, bank, model, judge, judge_model);
    if (rc == VS_OK) {
        r->seed = c->seed;
        r->repeats = c->repeats;
        r->shard_index = c->shard_index;
        r->shard_count = c->shard_count;
        r->replicates = c->replicates;
        r->max_tokens = c->max_tokens;
        r->temperature = c->temperature;
        if ((rc = vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, c->model)) == VS_OK &&
            (rc = vs_runner_set_str(r, VS_RUNNER_OPT_BANK_REF, c->bank_ref)) == VS_OK &&
            (rc = vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, h->path)) == VS_OK && takes_model)
            rc = vs_runner_set_str(r, VS_RUNNER_OPT_JUDGE_ID, c->judge + strlen(vs__runner_judge_prefix(judge)));
    }
    if (rc != VS_OK) {
        vs_runner_free(r);
        return rc;
    }
    *out = r;
    return VS_OK;
}

int vs_runner_create_from_header(vs_runner **out, const vs_runner_journal_header *header, const vs_bank *bank,
                                 vs_model *model, vs_model *judge_model) {
    if (out) *out = NULL;
    if (!out || !header || !bank || !model) return vs__error(VS_EINVAL, "vs_runner_create_from_header: NULL argument");
    return create_from(out, header, bank, model, judge_model, "vs_runner_create_from_header");
}

int vs_runner_create_from_journal(vs_runner **out, const char *path, const vs_bank *bank, vs_model *model,
                                  vs_model *judge_model) {
    if (out) *out = NULL;
    if (!out || !path || !bank || !model) return vs__error(VS_EINVAL, "vs_runner_create_from_journal: NULL argument");
    vs_runner_journal_header *h = NULL;
    int rc = header_read(&h, path, "vs_runner_create_from_journal");
    if (rc == VS_OK) rc = create_from(out, h, bank, model, judge_model, "vs_runner_create_from_journal");
    vs_runner_journal_header_free(h);
    return rc;
}
