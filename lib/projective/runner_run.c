/* Running a runner: units (item, repeat) of the shard, model calls (runs of the caller's model
 * under the runner's control: before every callback call and backoff sleep the records finished
 * so far go to the journal writer), records, scores. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/random.h"
#include "model/model_run.h"
#include "projective/bank_internal.h"
#include "projective/journal_writer.h"
#include "projective/runner_handle_internal.h"

/* Units per round of model calls (bounds memory; results do not depend on it). */
#define CHUNK 4096

typedef struct run {
    vs_runner *r;
    const vs_bank *bank;
    vs_runner_result *res;
    int fd;
    vs__jwriter *jw;   /* the journal's writer (NULL without a journal) */
    uint64_t *rh;
    double *rv;
    size_t nrows, rows_cap;
    uint64_t done_total, total, this_total, failed;
    int64_t max_failed;
    double max_failed_fraction;
    int io_rc;         /* sticky: a journal write failed (inside a callback) */
    int progress_stop; /* the progress hook returned non-zero */
    uint64_t done_base;   /* records of the journal before this run (resume) */
    int stop;          /* the failure threshold was exceeded, or the first records all failed alike */
    vs__same_failures same;
    char stop_msg[512];
    vs__model_ctl ctl; /* how the model calls run: the runner's seed, hook and pre-call flush */
    vs_model_results *mres, *jres;
    int phase; /* 0 loglik, 1 generate, 2 classify, 3 choice (generate) */
    /* the chunk */
    size_t n;
    size_t *u_item;
    uint64_t *u_rep;
    unsigned char *u_cnt;
    size_t *cls_unit; /* classify request -> unit */
    vs_model_loglik_request *lreq;
    vs_model_gen_request *greq;
    vs_model_text_request *treq;
    const void **ptrs;
    char **ctx, **hi, **lo; /* per item (loglik): strings in texts */
    char *texts;
    size_t *cont_len;       /* per item (loglik): strlen of its high and low continuations */
    double *vec;
    const char **labels;
    char *label_text; /* the three-way judge's labels "KEY:high", "KEY:unrelated", "KEY:low" */
    size_t n_labels;  /* ndims, or 3 ndims for the three-way judge */
    /* choice judge: per unit the option shown first (1 high, 2 low), the chunk's prompts, a
     * context copy, a failure message */
    unsigned char *u_first;
    char *cprompt, *cctx;
    size_t cprompt_cap;
    char cmsg[320];
} run;

/* ---- journal output */

/* Reports the records journalled so far: with a journal those its writer has written (one
 * batch behind the records handed over), else the records finished. */
static void report_progress(run *s) {
    uint64_t done = s->jw ? s->done_base + vs__jwriter_written(s->jw) : s->done_total;
    if (s->r->progress && !s->progress_stop && s->r->progress(s->r->progress_ud, done, s->total) != 0)
        s->progress_stop = 1;
}

/* Hands the finished records to the journal writer, adds their rows to the scores, reports
 * progress. */
static int flush(run *s) {
    if (s->io_rc) return s->io_rc;
    if (s->jw) {
        int rc = vs__jwriter_flush(s->jw);
        if (rc != VS_OK) return s->io_rc = rc;
    }
    if (s->nrows) {
        int rc = vs_accum_add_rows(s->res->acc, s->rh, s->rv, s->nrows, s->r->ndims);
        if (rc != VS_OK) return s->io_rc = rc;
        s->nrows = 0;
    }
    report_progress(s);
    return VS_OK;
}

/* A finished record: its unit, what the journal gets, its judgements */
typedef struct rec_out {
    size_t unit;
    vs__jrecord j; /* item and repeat are filled in by finish() */
    double judgement[VS_BANK_MAX_ITEM_DIMENSIONS]; /* keyed, per item dimension; NaN: unrelated */
    double probs[3 * VS_BANK_MAX_ITEM_DIMENSIONS]; /* classify judges: the judge's answer per item dimension */
} rec_out;

static void rec_init(rec_out *o, size_t unit) {
    memset(o, 0, offsetof(rec_out, judgement)); /* the judgements are set where they are used */
    o->unit = unit;
    o->j.prompt_len = o->j.completion_len = SIZE_MAX;
}

/* Appends a finished record; returns non-zero when the run must stop (threshold). */
static int finish(run *s, rec_out *o) {
    const vs__bank_item *it = &s->bank->items[s->u_item[o->unit]];
    uint64_t rep = s->u_rep[o->unit];
    if (s->jw) {
        o->j.item = s->u_item[o->unit];
        o->j.repeat = rep;
        o->j.judgements = o->j.status == VS_MODEL_ITEM_OK ? o->judgement : NULL;
        int rc = vs__jwriter_add(s->jw, &o->j);
        if (rc != VS_OK) {
            s->io_rc = rc;
            return 1;
        }
    }
    s->done_total++;
    if (o->j.status == VS_MODEL_ITEM_OK) {
        size_t k = s->r->ndims;
        double *v = s->rv + s->nrows * k;
        for (size_t d = 0; d < k; d++) v[d] = NAN;
        for (uint32_t q = 0; q < it->dim_count; q++) {
            uint32_t d = s->r->rep_of[it->dims[q]];
            v[d] = vs__runner_value(o->judgement[q], (it->flags & VS_BANK_ITEM_REVERSE) != 0); /* NaN: unrelated */
            s->res->judged[d]++;
        }
        s->rh[s->nrows++] = s->r->ihash[s->u_item[o->unit]];
        s->res->done++;
        vs__runner_count_choice(s->res, o->j.first, o->judgement[0]);
    } else {
        int rc = vs__runner_result_add_failure(s->res, it->id, rep, o->j.status, o->j.error);
        if (rc != VS_OK) {
            s->io_rc = rc;
            return 1;
        }
        s->failed++;
        int over_count = s->max_failed >= 0 && (int64_t)s->failed > s->max_failed;
        int over_frac = (double)s->failed > s->max_failed_fraction * (double)s->this_total;
        if (over_count || over_frac) {
            snprintf(s->stop_msg, sizeof s->stop_msg,
                     "vs_runner_run: stopped: %" PRIu64 " of %" PRIu64 " records failed (%s); last failure: item '%.100s' repeat %" PRIu64 ": %.200s",
                     s->failed, s->this_total,
                     over_count ? "more than VS_MODEL_OPT_MAX_FAILED" : "more than VS_MODEL_OPT_MAX_FAILED_FRACTION",
                     it->id, rep, o->j.error ? o->j.error : "");
            s->stop = 1;
            return 1;
        }
    }
    if (vs__same_failures_add(&s->same, o->j.status, o->j.error)) {
        char why[400];
        vs__same_failures_describe(&s->same, "records", why, sizeof why);
        snprintf(s->stop_msg, sizeof s->stop_msg,
                 "vs_runner_run: stopped: %s (VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES = %lld); fix the cause, then resume",
                 why, (long long)s->same.limit);
        s->stop = 1;
        return 1;
    }
    return 0;
}

/* ---- the choice judge */

/* The option of a choice answer: 0 (A) or 1 (B) for the letter, in either case, optionally
 * followed by ')' or '.', with only white space around it; -1 for anything else. */
static int parse_choice(const char *t) {
    while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n') t++;
    int a = *t == 'A' || *t == 'a' ? 0 : *t == 'B' || *t == 'b' ? 1 : -1;
    if (a < 0) return -1;
    t++;
    if (*t == ')' || *t == '.') t++;
    while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n') t++;
    return *t ? -1 : a;
}

/* The record of a choice answer (generation result `index` = the unit). */
static rec_out *choice_record(run *s, rec_out *o, const vs_model_results *res, size_t index) {
    const vs__bank_item *it = &s->bank->items[s->u_item[index]];
    rec_init(o, index);
    o->j.status = vs_model_results_status(res, index);
    o->j.attempts = vs_model_results_attempts(res, index);
    o->j.latency = vs_model_results_latency(res, index);
    o->j.completion = vs_model_results_text(res, index); /* the answer, kept on failure too */
    o->j.first = s->u_first[index];
    if (o->j.status != VS_MODEL_ITEM_OK) {
        o->j.error = vs_model_results_error(res, index);
        return o;
    }
    int a = parse_choice(o->j.completion ? o->j.completion : "");
    if (a < 0) {
        snprintf(s->cmsg, sizeof s->cmsg, "choice: the answer is not the letter A or B: \"%.200s\"",
                 o->j.completion ? o->j.completion : "");
        o->j.status = VS_MODEL_ITEM_BAD_OUTPUT;
        o->j.error = s->cmsg;
        return o;
    }
    double j = (a == 0) == (o->j.first == 1) ? 1.0 : 0.0; /* the high option was chosen */
    for (uint32_t q = 0; q < it->dim_count; q++) o->judgement[q] = j;
    return o;
}

/* Writes the choice prompts of the chunk (options in each unit's seeded order). */
static int choice_prompts(run *s) {
    const vs_bank *bank = s->bank;
    size_t need = 0, fmt = sizeof VS_RUNNER_CHOICE_PROMPT;
    for (size_t u = 0; u < s->n; u++) {
        const vs__bank_item *it = &bank->items[s->u_item[u]];
        need += fmt + it->context_len + s->cont_len[2 * s->u_item[u]] + s->cont_len[2 * s->u_item[u] + 1];
    }
    if (need > s->cprompt_cap) {
        void *p = s->cprompt;
        size_t cap = s->cprompt_cap;
        if (vs__grow(&p, &cap, need, 1) != VS_OK) return vs__nomem("vs_runner_run");
        s->cprompt = p;
        s->cprompt_cap = cap;
    }
    char *p = s->cprompt;
    for (size_t u = 0; u < s->n; u++) {
        const vs__bank_item *it = &bank->items[s->u_item[u]];
        uint64_t seed = vs_model_item_seed(s->r->seed ^ UINT64_C(0x63686f696365), it->id, s->u_rep[u]);
        int high_first = (seed & 1) == 0;
        s->u_first[u] = high_first ? 1 : 2;
        memcpy(s->cctx, it->stem, it->context_len);
        s->cctx[it->context_len] = '\0';
        size_t room = fmt + it->context_len + s->cont_len[2 * s->u_item[u]] + s->cont_len[2 * s->u_item[u] + 1];
        int len = snprintf(p, room, VS_RUNNER_CHOICE_PROMPT, s->cctx, high_first ? it->high : it->low,
                           high_first ? it->low : it->high);
        s->greq[u].prompt = p;
        p += (size_t)len + 1;
    }
    return VS_OK;
}

/* ---- the item hooks of the wrapping models */

static int hook(void *ud, const vs_model_results *res, size_t index) {
    run *s = ud;
    rec_out o;
    if (s->phase == 0) {
        size_t u = index / 2;
        if (++s->u_cnt[u] < 2) return 0;
        size_t i = s->u_item[u];
        const vs__bank_item *it = &s->bank->items[i];
        size_t a = 2 * u, b = 2 * u + 1;
        int sa = vs_model_results_status(res, a), sb = vs_model_results_status(res, b);
        rec_init(&o, u);
        o.j.prompt_len = it->context_len; /* the context, as in the request */
        uint32_t ta = vs_model_results_attempts(res, a), tb = vs_model_results_attempts(res, b);
        o.j.attempts = ta > tb ? ta : tb;
        o.j.latency = vs_model_results_latency(res, a) + vs_model_results_latency(res, b);
        if (sa != VS_MODEL_ITEM_OK || sb != VS_MODEL_ITEM_OK) {
            size_t f = sa != VS_MODEL_ITEM_OK ? a : b;
            o.j.status = sa != VS_MODEL_ITEM_OK ? sa : sb;
            o.j.error = vs_model_results_error(res, f);
        } else {
            vs_model_results_loglik(&o.j.lp_hi, NULL, res, a);
            vs_model_results_loglik(&o.j.lp_lo, NULL, res, b);
            o.j.has_lp = 1;
            double j = o.j.lp_hi > o.j.lp_lo ? 1.0 : o.j.lp_hi < o.j.lp_lo ? 0.0 : 0.5;
            for (uint32_t q = 0; q < it->dim_count; q++) o.judgement[q] = j;
            int high = o.j.lp_hi >= o.j.lp_lo;
            o.j.completion = high ? it->high : it->low;
            o.j.completion_len = s->cont_len[2 * i + (high ? 0 : 1)];
            o.j.completion_static = 1; /* a bank string */
            o.j.status = VS_MODEL_ITEM_OK;
        }
        return finish(s, &o);
    }
    if (s->phase == 3) return finish(s, choice_record(s, &o, res, index));
    if (s->phase == 1) { /* generation: failures are final records, successes wait for the judge */
        int st = vs_model_results_status(res, index);
        if (st == VS_MODEL_ITEM_OK) return 0;
        rec_init(&o, index);
        o.j.status = st;
        o.j.attempts = vs_model_results_attempts(res, index);
        o.j.latency = vs_model_results_latency(res, index);
        o.j.error = vs_model_results_error(res, index);
        return finish(s, &o);
    }
    size_t u = s->cls_unit[index];
    const vs__bank_item *it = &s->bank->items[s->u_item[u]];
    int st = vs_model_results_status(res, index);
    rec_init(&o, u);
    o.j.completion = vs_model_results_text(s->mres, u);
    o.j.attempts = vs_model_results_attempts(s->mres, u) + vs_model_results_attempts(res, index);
    o.j.latency = vs_model_results_latency(s->mres, u) + vs_model_results_latency(res, index);
    o.j.status = st;
    if (st != VS_MODEL_ITEM_OK) {
        o.j.error = vs_model_results_error(res, index);
    } else {
        vs_model_results_vector(NULL, res, index, s->vec, s->n_labels);
        int reverse = (it->flags & VS_BANK_ITEM_REVERSE) != 0;
        int three = s->r->judge == VS_RUNNER_JUDGE_CLASSIFY3;
        o.j.probs = o.probs;
        o.j.probs_per_dim = three ? 3 : 1;
        for (uint32_t q = 0; q < it->dim_count; q++) {
            size_t d = s->r->rep_of[it->dims[q]];
            int out;
            if (three) {
                memcpy(o.probs + 3 * q, s->vec + 3 * d, 3 * sizeof *o.probs);
                out = vs__runner_outcome3(s->vec[3 * d], s->vec[3 * d + 1], s->vec[3 * d + 2]);
            } else {
                o.probs[q] = s->vec[d];
                out = vs__runner_outcome2(s->vec[d]);
            }
            double v = out == VS__OUTCOME_HIGH ? 1.0 : out == VS__OUTCOME_LOW ? 0.0 : NAN;
            o.judgement[q] = reverse ? 1.0 - v : v; /* stored keyed; the score flips it back */
        }
    }
    return finish(s, &o);
}

/* ---- before every callback call and backoff sleep: the finished records to the journal
 * writer; a non-zero return (a journal error, the progress hook said stop) stops the model run */

static int pre_call(void *ud) {
    run *s = ud;
    flush(s);
    return s->io_rc || s->progress_stop;
}

/* ---- setting up */

static void run_free(run *s) {
    vs__jwriter_close(s->jw); /* after an error: its own error does not matter */
    if (s->fd >= 0) close(s->fd);
    vs__free(s->rh);
    vs__free(s->rv);
    vs_model_results_free(s->mres);
    vs_model_results_free(s->jres);
    vs__free(s->u_item);
    vs__free(s->u_rep);
    vs__free(s->u_cnt);
    vs__free(s->cls_unit);
    vs__free(s->lreq);
    vs__free(s->greq);
    vs__free(s->treq);
    vs__free(s->ptrs);
    vs__free(s->texts);
    vs__free(s->ctx);
    vs__free(s->hi);
    vs__free(s->lo);
    vs__free(s->cont_len);
    vs__free(s->vec);
    vs__free(s->labels);
    vs__free(s->label_text);
    vs__free(s->u_first);
    vs__free(s->cprompt);
    vs__free(s->cctx);
}

/* Copies len bytes of text to *p, after a space when `space`, with a NUL; returns the copy and
 * moves *p past it. */
static char *put_string(char **p, const char *text, size_t len, int space) {
    char *out = *p;
    size_t k = space ? 1 : 0;
    out[0] = ' ';
    memcpy(out + k, text, len);
    out[k + len] = '\0';
    *p = out + k + len + 1;
    return out;
}

static int run_alloc(run *s) {
    vs_runner *r = s->r;
    size_t per = r->judge == VS_RUNNER_JUDGE_LOGLIK ? 2 : 1;
    s->rh = vs__calloc(CHUNK, sizeof *s->rh);
    s->rv = vs__calloc((size_t)CHUNK * r->ndims, sizeof *s->rv);
    s->u_item = vs__calloc(CHUNK, sizeof *s->u_item);
    s->u_rep = vs__calloc(CHUNK, sizeof *s->u_rep);
    s->u_cnt = vs__calloc(CHUNK, 1);
    s->ptrs = vs__calloc(per * CHUNK, sizeof *s->ptrs);
    if (!s->rh || !s->rv || !s->u_item || !s->u_rep || !s->u_cnt || !s->ptrs) return vs__nomem("vs_runner_run");
    int rc = vs_model_results_create(&s->mres);
    if (rc != VS_OK) return rc;
    if (r->judge == VS_RUNNER_JUDGE_CHOICE) {
        size_t ni = s->bank->item_count, ctx = 0;
        s->greq = vs__calloc(CHUNK, sizeof *s->greq);
        s->u_first = vs__calloc(CHUNK, 1);
        s->cont_len = vs__calloc(2 * ni, sizeof *s->cont_len);
        if (!s->greq || !s->u_first || !s->cont_len) return vs__nomem("vs_runner_run");
        for (size_t i = 0; i < ni; i++) {
            const vs__bank_item *it = &s->bank->items[i];
            s->cont_len[2 * i] = strlen(it->high);
            s->cont_len[2 * i + 1] = strlen(it->low);
            if (it->context_len > ctx) ctx = it->context_len;
        }
        s->cctx = vs__malloc(ctx + 1);
        return s->cctx ? VS_OK : vs__nomem("vs_runner_run");
    }
    if (r->judge == VS_RUNNER_JUDGE_LOGLIK) {
        size_t ni = s->bank->item_count;
        s->lreq = vs__calloc(2 * CHUNK, sizeof *s->lreq);
        s->ctx = vs__calloc(ni, sizeof *s->ctx);
        s->hi = vs__calloc(ni, sizeof *s->hi);
        s->lo = vs__calloc(ni, sizeof *s->lo);
        s->cont_len = vs__calloc(2 * ni, sizeof *s->cont_len);
        if (!s->lreq || !s->ctx || !s->hi || !s->lo || !s->cont_len) return vs__nomem("vs_runner_run");
        /* each item's context and its two continuations after a space, in one allocation (one
         * malloc per string was a tenth of a fast run in a threaded process) */
        size_t bytes = 0;
        for (size_t i = 0; i < ni; i++) {
            const vs__bank_item *it = &s->bank->items[i];
            s->cont_len[2 * i] = strlen(it->high);
            s->cont_len[2 * i + 1] = strlen(it->low);
            size_t item = (size_t)it->context_len + 1 + s->cont_len[2 * i] + 2 + s->cont_len[2 * i + 1] + 2;
            if (item > SIZE_MAX - bytes) return vs__nomem("vs_runner_run");
            bytes += item;
        }
        char *p = s->texts = vs__malloc(bytes);
        if (!p) return vs__nomem("vs_runner_run");
        for (size_t i = 0; i < ni; i++) {
            const vs__bank_item *it = &s->bank->items[i];
            s->ctx[i] = put_string(&p, it->stem, it->context_len, 0);
            s->hi[i] = put_string(&p, it->high, s->cont_len[2 * i], 1);
            s->lo[i] = put_string(&p, it->low, s->cont_len[2 * i + 1], 1);
        }
        return VS_OK;
    }
    s->greq = vs__calloc(CHUNK, sizeof *s->greq);
    s->treq = vs__calloc(CHUNK, sizeof *s->treq);
    s->cls_unit = vs__calloc(CHUNK, sizeof *s->cls_unit);
    s->n_labels = r->judge == VS_RUNNER_JUDGE_CLASSIFY3 ? 3 * r->ndims : r->ndims;
    s->vec = vs__calloc(s->n_labels, sizeof *s->vec);
    s->labels = vs__calloc(s->n_labels, sizeof *s->labels);
    if (!s->greq || !s->treq || !s->cls_unit || !s->vec || !s->labels) return vs__nomem("vs_runner_run");
    if (r->judge == VS_RUNNER_JUDGE_CLASSIFY) {
        for (size_t d = 0; d < r->ndims; d++) s->labels[d] = vs_space_key(s->bank->space, r->space_of[d]);
    } else { /* keys are at most 64 bytes: each label fits in 64 + sizeof ":unrelated" */
        static const char *const suffix[3] = {VS_RUNNER_LABEL_HIGH, VS_RUNNER_LABEL_UNRELATED, VS_RUNNER_LABEL_LOW};
        enum { LABEL_BYTES = 80 };
        char *t = s->label_text = vs__malloc(s->n_labels * LABEL_BYTES);
        if (!t) return vs__nomem("vs_runner_run");
        for (size_t d = 0; d < r->ndims; d++)
            for (size_t c = 0; c < 3; c++, t += LABEL_BYTES) {
                snprintf(t, LABEL_BYTES, "%s%s", vs_space_key(s->bank->space, r->space_of[d]), suffix[c]);
                s->labels[3 * d + c] = t;
            }
    }
    return vs_model_results_create(&s->jres);
}

/* ---- one chunk */

static int run_chunk(run *s) {
    vs_runner *r = s->r;
    const vs_bank *bank = s->bank;
    int rc;
    if (r->judge == VS_RUNNER_JUDGE_LOGLIK) {
        s->phase = 0;
        memset(s->u_cnt, 0, s->n);
        for (size_t u = 0; u < s->n; u++) {
            size_t i = s->u_item[u];
            for (size_t k = 0; k < 2; k++) {
                vs_model_loglik_request *q = &s->lreq[2 * u + k];
                vs_model_loglik_request init = VS_MODEL_LOGLIK_REQUEST_INIT;
                *q = init;
                q->id = bank->items[i].id;
                q->context = s->ctx[i];
                q->continuation = k == 0 ? s->hi[i] : s->lo[i];
                s->ptrs[2 * u + k] = q;
            }
        }
        rc = vs__model_loglikelihood_ctl(s->mres, r->model, (const vs_model_loglik_request *const *)s->ptrs, 2 * s->n, 0,
                                         &s->ctl);
        return rc;
    }
    s->phase = r->judge == VS_RUNNER_JUDGE_CHOICE ? 3 : 1;
    for (size_t u = 0; u < s->n; u++) {
        vs_model_gen_request init = VS_MODEL_GEN_REQUEST_INIT, *q = &s->greq[u];
        *q = init;
        q->id = bank->items[s->u_item[u]].id;
        q->repeat = s->u_rep[u];
        q->prompt = bank->items[s->u_item[u]].stem;
        q->max_tokens = (uint32_t)r->max_tokens;
        q->temperature = r->temperature;
        s->ptrs[u] = q;
    }
    if (s->phase == 3 && (rc = choice_prompts(s)) != VS_OK) return rc;
    rc = vs__model_generate_ctl(s->mres, r->model, (const vs_model_gen_request *const *)s->ptrs, s->n, &s->ctl);
    if (rc != VS_OK || s->phase == 3) return rc;
    s->phase = 2;
    size_t m = 0;
    for (size_t u = 0; u < s->n; u++) {
        if (vs_model_results_status(s->mres, u) != VS_MODEL_ITEM_OK) continue;
        vs_model_text_request init = VS_MODEL_TEXT_REQUEST_INIT, *q = &s->treq[m];
        *q = init;
        q->id = bank->items[s->u_item[u]].id;
        q->text = vs_model_results_text(s->mres, u);
        q->context = bank->items[s->u_item[u]].stem;
        s->ptrs[m] = q;
        s->cls_unit[m++] = u;
    }
    if (m == 0) return VS_OK;
    return vs__model_classify_ctl(s->jres, r->judge_model, (const vs_model_text_request *const *)s->ptrs, m, s->labels,
                                  s->n_labels, &s->ctl);
}

/* ---- done set of a resume: (item, repeat) pairs with a successful record */

typedef struct doneset {
    uint64_t *slots; /* key + 1, 0 = empty */
    size_t mask;
} doneset;

static uint64_t ds_key(size_t item, uint64_t rep, int64_t repeats) { return (uint64_t)item * (uint64_t)repeats + rep + 1; }

static int ds_has(const doneset *d, uint64_t key) {
    if (!d->slots) return 0;
    for (size_t s = (size_t)vs__mix64(key) & d->mask;; s = (s + 1) & d->mask) {
        if (d->slots[s] == key) return 1;
        if (!d->slots[s]) return 0;
    }
}

static void ds_add(doneset *d, uint64_t key) {
    size_t s = (size_t)vs__mix64(key) & d->mask;
    while (d->slots[s] && d->slots[s] != key) s = (s + 1) & d->mask;
    d->slots[s] = key;
}

/* ---- the entry points */

static int open_journal(run *s, const vs__runner_config *cfg, int resume, doneset *ds, const char *fn) {
    vs_runner *r = s->r;
    vs__runner_journal j;
    memset(&j, 0, sizeof j);
    int rc = VS_OK;
    if (resume) {
        rc = vs__runner_journal_read(&j, r->journal, 1);
        if (rc != VS_OK) return rc;
    }
    int fd = open(r->journal, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        vs__runner_journal_clear(&j);
        return vs__error(VS_EIO, "%s: cannot open journal '%s': %s", fn, r->journal, strerror(errno));
    }
    s->fd = fd;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = vs__error(VS_EIO, "%s: journal '%s': %s", fn, r->journal, strerror(errno));
        goto done;
    }
    if (!resume && st.st_size > 0) {
        rc = vs__error(VS_ESTATE, "%s: journal '%s' exists and is not empty: resume it or remove it", fn, r->journal);
        close(fd);
        s->fd = -1;
        goto done;
    }
    if (resume && j.has_header) {
        char what[300];
        snprintf(what, sizeof what, "%s: journal '%.200s' was made with another configuration", fn, r->journal);
        vs_json *want = NULL;
        static const char *const informational[] = {"bank_ref", NULL};
        rc = vs__runner_config_doc(&want, cfg);
        if (rc == VS_OK) rc = vs__jsonl_header_compare(j.header, want, informational, what);
        vs__json_free(want);
        if (rc != VS_OK) goto done;
        if ((off_t)j.valid_len != st.st_size && ftruncate(fd, (off_t)j.valid_len) != 0) {
            rc = vs__error(VS_EIO, "%s: journal '%s': cannot truncate its torn last line: %s", fn, r->journal,
                           strerror(errno));
            goto done;
        }
        /* the successful records count as done; their rows go into the scores */
        size_t cap = 4;
        while (cap < 2 * j.nrec + 2) cap *= 2;
        ds->slots = vs__calloc(cap, sizeof *ds->slots);
        if (!ds->slots) {
            rc = vs__nomem(fn);
            goto done;
        }
        ds->mask = cap - 1;
        for (size_t i = 0; i < j.nrec; i++) {
            vs__runner_rec *rec = &j.recs[i];
            if (rec->status != VS_MODEL_ITEM_OK) {
                rec->status = -1; /* tried again: not counted */
                continue;
            }
            size_t idx;
            if (vs_bank_find_item(&idx, s->bank, rec->item) != VS_OK || rec->repeat >= (uint64_t)r->repeats ||
                s->r->ihash[idx] % (uint64_t)r->shard_count != (uint64_t)r->shard_index) {
                rc = vs__error(VS_EMISMATCH, "%s: journal '%s': record of item '%.200s' repeat %" PRIu64
                                             " does not belong to this run",
                               fn, r->journal, rec->item, rec->repeat);
                goto done;
            }
            ds_add(ds, ds_key(idx, rec->repeat, r->repeats));
        }
        size_t keep = 0;
        for (size_t i = 0; i < j.nrec; i++)
            if (j.recs[i].status == VS_MODEL_ITEM_OK) {
                vs__runner_rec t = j.recs[keep];
                j.recs[keep++] = j.recs[i];
                j.recs[i] = t;
            }
        rc = vs__runner_result_add_records(s->res, j.recs, keep);
        s->done_total = keep;
        if (lseek(fd, 0, SEEK_END) < 0) rc = vs__error(VS_EIO, "%s: journal '%s': seek failed", fn, r->journal);
        goto done;
    }
    /* a new journal: the header first */
    if (st.st_size > 0 && ftruncate(fd, 0) != 0) {
        rc = vs__error(VS_EIO, "%s: journal '%s': cannot truncate: %s", fn, r->journal, strerror(errno));
        goto done;
    }
    {
        vs_json_writer w;
        char what[300];
        snprintf(what, sizeof what, "journal '%.200s'", r->journal);
        vs__jw_init(&w, 0);
        vs__runner_config_write(&w, cfg);
        rc = vs__jsonl_write_doc(fd, &w, what);
        if (rc == VS_OK && r->fsync && fsync(fd) != 0)
            rc = vs__error(VS_EIO, "journal '%s': fsync failed: %s", r->journal, strerror(errno));
    }
done:
    if (rc == VS_OK) {
        vs__jwriter_run jr = {s->bank->items, r->rep_of, r->seed};
        rc = vs__jwriter_start(&s->jw, &jr, fd, r->fsync != 0, r->journal);
    }
    s->done_base = s->done_total;
    vs__runner_journal_clear(&j);
    return rc;
}

static int run_main(vs_runner_result **out, vs_runner *r, int resume) {
    const char *fn = resume ? "vs_runner_resume" : "vs_runner_run";
    if (out) *out = NULL;
    if (!out || !r) return vs__error(VS_EINVAL, "%s: NULL argument", fn);
    if (r->shard_index >= r->shard_count)
        return vs__error(VS_ERANGE, "%s: shard %lld/%lld: k must be below N", fn, (long long)r->shard_index,
                         (long long)r->shard_count);
    if (resume && !r->journal[0]) return vs__error(VS_EINVAL, "%s: no journal set (VS_RUNNER_OPT_JOURNAL)", fn);
    if (vs__model_running(r->model) || vs__model_running(r->judge_model))
        return vs__error(VS_ESTATE, "%s: a model of this runner is already running", fn);
    run s;
    memset(&s, 0, sizeof s);
    s.r = r;
    s.bank = r->bank;
    s.fd = -1;
    /* the failure rules of the model apply to the records of the run (a classify run's
     * generation and judge failures alike), so the model runs do not apply them themselves */
    int64_t same_limit = 0;
    vs_model_get_int(&s.max_failed, r->model, VS_MODEL_OPT_MAX_FAILED);
    vs_model_get_double(&s.max_failed_fraction, r->model, VS_MODEL_OPT_MAX_FAILED_FRACTION);
    vs_model_get_int(&same_limit, r->model, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES);
    vs__same_failures_init(&s.same, same_limit);
    s.ctl.seed = r->seed;
    s.ctl.item_fn = hook;
    s.ctl.pre_call = pre_call;
    s.ctl.user_data = &s;
    s.ctl.no_failure_rules = 1;
    vs__runner_config cfg;
    doneset ds = {NULL, 0};
    int rc = vs__runner_config_make(&cfg, r);
    if (rc != VS_OK) return rc;
    rc = vs__runner_result_new(&s.res, &cfg);
    if (rc == VS_OK) rc = run_alloc(&s);
    if (rc == VS_OK && r->journal[0]) rc = open_journal(&s, &cfg, resume, &ds, fn);
    vs__runner_config_clear(&cfg);
    /* the units of the shard */
    uint64_t R = (uint64_t)r->repeats, N = (uint64_t)r->shard_count, K = (uint64_t)r->shard_index;
    size_t ni = s.bank->item_count;
    if (rc == VS_OK) {
        for (size_t i = 0; i < ni; i++)
            if (r->ihash[i] % N == K) s.total += R;
        s.this_total = s.total - s.done_total;
    }
    size_t i = 0;
    uint64_t rep = 0;
    while (rc == VS_OK) {
        s.n = 0;
        while (s.n < CHUNK && i < ni) {
            if (r->ihash[i] % N != K || rep >= R) {
                i++;
                rep = 0;
                continue;
            }
            if (!ds_has(&ds, ds_key(i, rep, r->repeats))) {
                s.u_item[s.n] = i;
                s.u_rep[s.n++] = rep;
            }
            rep++;
        }
        if (s.n == 0) break;
        rc = run_chunk(&s);
        int frc = flush(&s);
        if (s.io_rc) rc = s.io_rc == VS_ENOMEM ? vs__nomem(fn) : s.io_rc;
        else if (s.stop) rc = vs__error(VS_EFAILED, "%s", s.stop_msg);
        else if (s.progress_stop) rc = vs__error(VS_ECALLBACK, "%s: the progress hook stopped the run after %" PRIu64 " records", fn, s.done_total);
        else if (rc == VS_OK) rc = frc;
    }
    vs__free(ds.slots);
    /* everything handed to the writer is on disk before the run returns; then the last report */
    if (rc == VS_OK && s.jw) {
        rc = vs__jwriter_drain(s.jw);
        if (rc == VS_OK) {
            report_progress(&s);
            if (s.progress_stop)
                rc = vs__error(VS_ECALLBACK, "%s: the progress hook stopped the run after %" PRIu64 " records", fn,
                               s.done_total);
        } else if (rc == VS_ENOMEM) {
            rc = vs__nomem(fn);
        }
    }
    int crc = vs__jwriter_close(s.jw);
    s.jw = NULL;
    if (rc == VS_OK && crc != VS_OK) rc = crc;
    if (rc == VS_OK) {
        *out = s.res;
        s.res = NULL;
    }
    vs_runner_result_free(s.res);
    run_free(&s);
    return rc;
}

int vs_runner_run(vs_runner_result **out, vs_runner *runner) { return run_main(out, runner, 0); }
int vs_runner_resume(vs_runner_result **out, vs_runner *runner) { return run_main(out, runner, 1); }
