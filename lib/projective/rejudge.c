/* Rejudging a journal: a runner whose model replays the completions of an existing journal
 * (its generate callback looks each (item, repeat) up in the journal), so another judge scores
 * the same completions without calling the model that wrote them; everything else (journal,
 * resume, shards, merge) is an ordinary run. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/random.h"
#include "projective/runner_handle_internal.h"

typedef struct replay {
    vs__runner_journal j; /* the source journal (completions of the ok records kept) */
    uint32_t *slots;      /* open addressing: record index + 1, 0 = empty */
    size_t mask;
    char *path;
} replay;

static uint64_t key_of(const char *item, uint64_t repeat) {
    return vs__hash_combine(vs__fnv1a64(VS__FNV_BASIS, item, strlen(item)), repeat);
}

static const vs__runner_rec *find(const replay *p, const char *item, uint64_t repeat) {
    for (size_t s = (size_t)key_of(item, repeat) & p->mask; p->slots[s]; s = (s + 1) & p->mask) {
        const vs__runner_rec *r = &p->j.recs[p->slots[s] - 1];
        if (r->repeat == repeat && strcmp(r->item, item) == 0) return r;
    }
    return NULL;
}

static void replay_free(void *ud) {
    replay *p = ud;
    if (!p) return;
    vs__runner_journal_clear(&p->j);
    vs__free(p->slots);
    vs__free(p->path);
    vs__free(p);
}

/* A failed or missing source record fails the item for good with the reason: rejudging cannot
 * make up a completion. */
static int replay_generate(void *ud, vs_model_batch *batch, const vs_model_gen_request *const *req, size_t n,
                           int *status) {
    const replay *p = ud;
    for (size_t i = 0; i < n; i++) {
        const vs__runner_rec *r = req[i]->id ? find(p, req[i]->id, req[i]->repeat) : NULL;
        if (r && r->status == VS_MODEL_ITEM_OK) {
            if (vs_model_set_text(batch, i, r->completion, (size_t)-1) == VS_OK) status[i] = VS_MODEL_ITEM_OK;
            continue;
        }
        char msg[700];
        if (r)
            snprintf(msg, sizeof msg, "rejudge: the record in '%.200s' failed (%s): %.300s", p->path,
                     vs__runner_status_name(r->status), r->error ? r->error : "");
        else
            snprintf(msg, sizeof msg, "rejudge: '%.200s' has no record of item '%.100s' repeat %" PRIu64, p->path,
                     req[i]->id ? req[i]->id : "(null)", req[i]->repeat);
        status[i] = VS_MODEL_ITEM_PERMANENT;
        vs_model_set_error(batch, i, msg);
    }
    return 0;
}

static int replay_open(replay **out, const char *path, const char *fn) {
    *out = NULL;
    replay *p = vs__calloc(1, sizeof *p);
    if (!p || !(p->path = vs__strdup(path))) {
        vs__free(p);
        return vs__nomem(fn);
    }
    int rc = vs__runner_journal_read_completions(&p->j, path);
    if (rc == VS_OK && !p->j.has_header) rc = vs__error(VS_EPARSE, "%s: '%s' has no journal header", fn, path);
    int kind = rc == VS_OK ? vs__runner_judge_kind(p->j.config.judge) : -1;
    if (kind == VS_RUNNER_JUDGE_LOGLIK || kind == VS_RUNNER_JUDGE_CHOICE)
        rc = vs__error(VS_EMISMATCH,
                       "%s: '%s' was made with the %s judge: its completions are %s, not completions of the stems; "
                       "rejudge a journal of a classify judge",
                       fn, path, kind == VS_RUNNER_JUDGE_LOGLIK ? "loglik" : "choice",
                       kind == VS_RUNNER_JUDGE_LOGLIK ? "the bank's continuations" : "answers A or B");
    size_t cap = 4;
    while (rc == VS_OK && cap < 2 * p->j.nrec + 2) cap *= 2;
    if (rc == VS_OK && !(p->slots = vs__calloc(cap, sizeof *p->slots))) rc = vs__nomem(fn);
    if (rc != VS_OK) {
        replay_free(p);
        return rc;
    }
    p->mask = cap - 1;
    for (size_t i = 0; i < p->j.nrec; i++) { /* the reader kept one record per (item, repeat) */
        size_t s = (size_t)key_of(p->j.recs[i].item, p->j.recs[i].repeat) & p->mask;
        while (p->slots[s]) s = (s + 1) & p->mask;
        p->slots[s] = (uint32_t)(i + 1);
    }
    *out = p;
    return VS_OK;
}

int vs_runner_create_rejudge(vs_runner **out, const char *source_journal, const vs_bank *bank, int judge,
                             vs_model *judge_model) {
    static const char fn[] = "vs_runner_create_rejudge";
    if (out) *out = NULL;
    if (!out || !source_journal || !bank || !judge_model) return vs__error(VS_EINVAL, "%s: NULL argument", fn);
    if (judge != VS_RUNNER_JUDGE_CLASSIFY && judge != VS_RUNNER_JUDGE_CLASSIFY3)
        return vs__error(VS_EINVAL, "%s: judge %d: rejudging takes a classify judge (VS_RUNNER_JUDGE_CLASSIFY or "
                                    "VS_RUNNER_JUDGE_CLASSIFY3)", fn, judge);
    if (strlen(source_journal) > VS__RUNNER_MAX_STR - 32)
        return vs__error(VS_ELIMIT, "%s: the source journal's path is over %d bytes", fn, VS__RUNNER_MAX_STR - 32);
    replay *p = NULL;
    int rc = replay_open(&p, source_journal, fn);
    if (rc != VS_OK) return rc;
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.generate = replay_generate;
    cb.destroy = replay_free;
    vs_model *m = NULL;
    rc = vs_model_create(&m, &cb, p);
    if (rc != VS_OK) {
        replay_free(p);
        return rc;
    }
    /* failures replayed are facts of the source, not a server going down: no early stop */
    if ((rc = vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 0)) == VS_OK)
        rc = vs_model_set_double(m, VS_MODEL_OPT_MAX_FAILED_FRACTION, 1.0);
    vs_runner *r = NULL;
    if (rc == VS_OK) rc = vs_runner_create(&r, bank, m, judge, judge_model);
    vs_model_free(m); /* the runner holds its reference */
    if (rc != VS_OK) return rc;
    const vs__runner_config *c = &p->j.config;
    if (strcmp(c->bank_hash, r->bank_hash) != 0) {
        /* the message first: freeing the runner frees the replayed journal `c` points into */
        rc = vs__error(VS_EMISMATCH, "%s: '%s' was made with another bank (bank_hash %s, this bank's is %s)", fn,
                       source_journal, c->bank_hash, r->bank_hash);
        vs_runner_free(r);
        return rc;
    }
    char model_id[VS__RUNNER_MAX_STR];
    snprintf(model_id, sizeof model_id, "rejudge source=%s", source_journal);
    r->seed = c->seed;
    r->repeats = c->repeats;
    r->shard_index = c->shard_index;
    r->shard_count = c->shard_count;
    r->replicates = c->replicates;
    r->max_tokens = c->max_tokens;
    r->temperature = c->temperature;
    if ((rc = vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, model_id)) == VS_OK)
        rc = vs_runner_set_str(r, VS_RUNNER_OPT_BANK_REF, c->bank_ref);
    if (rc != VS_OK) {
        vs_runner_free(r);
        return rc;
    }
    *out = r;
    return VS_OK;
}
