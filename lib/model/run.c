/* The run loop shared by the four kinds: batches of at most max_batch items, retries with
 * deterministic backoff on a virtual clock, the failure threshold, cancellation, item hooks.
 *
 * Scheduling: new items are taken in index order; an item that failed transiently waits in a
 * min-heap on (ready time, index). Before each batch, the waiting items whose time has come go
 * first, then new items fill the batch. The virtual clock t advances only when nothing is
 * ready: the library then sleeps exactly until the earliest waiting item is due. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "common/random.h"
#include "model/model_internal.h"

static const char *kind_name(int kind) {
    switch (kind) {
    case VS_MODEL_GENERATE: return "generate";
    case VS_MODEL_LOGLIKELIHOOD: return "loglikelihood";
    case VS_MODEL_EMBED: return "embed";
    default: return "classify";
    }
}

static double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double backoff_delay(const vs_model *m, uint64_t seed, const char *id, uint32_t attempt) {
    int e = attempt > 1 ? (int)(attempt - 1) : 0;
    if (e > 1000) e = 1000;
    double cap = m->backoff_base * ldexp(1.0, e);
    if (cap > m->backoff_max) cap = m->backoff_max;
    uint64_t h = vs_model_item_seed(seed ^ VS_MODEL_BACKOFF_SALT, id, attempt);
    double u = (double)(h >> 11) * 0x1.0p-53;
    return cap * (0.5 + 0.5 * u);
}

double vs__model_backoff_delay(const vs_model *m, const char *id, uint32_t attempt) {
    return backoff_delay(m, m->seed, id, attempt);
}

/* The caller's pre-call hook (vs__model_ctl): VS_OK, or VS_ECALLBACK when it stops the run. */
static int pre_call(const vs__model_run *run, const char *before) {
    const vs__model_ctl *ctl = run->ctl;
    if (!ctl || !ctl->pre_call || ctl->pre_call(ctl->user_data) == 0) return VS_OK;
    return vs__error(VS_ECALLBACK, "%s: stopped by the caller before %s", run->fn, before);
}

/* ---- the retry heap, ordered by (ready, index) */
static int before(const struct vs__retry *a, const struct vs__retry *b) {
    return a->ready < b->ready || (a->ready == b->ready && a->index < b->index);
}

static int heap_push(vs_model *m, double ready, size_t index) {
    if (vs__grow((void **)&m->heap, &m->heap_cap, m->heap_n + 1, sizeof *m->heap) != VS_OK)
        return vs__nomem("vs_model: the retry queue");
    size_t k = m->heap_n++;
    struct vs__retry x = {ready, index};
    while (k > 0) {
        size_t parent = (k - 1) / 2;
        if (!before(&x, &m->heap[parent])) break;
        m->heap[k] = m->heap[parent];
        k = parent;
    }
    m->heap[k] = x;
    return VS_OK;
}

static size_t heap_pop(vs_model *m) {
    size_t top = m->heap[0].index;
    struct vs__retry x = m->heap[--m->heap_n];
    size_t k = 0, n = m->heap_n;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= n) break;
        if (c + 1 < n && before(&m->heap[c + 1], &m->heap[c])) c++;
        if (!before(&m->heap[c], &x)) break;
        m->heap[k] = m->heap[c];
        k = c;
    }
    if (n > 0) m->heap[k] = x;
    return top;
}

/* Sleeps through the hook, or in slices that notice the cancellation token. */
static void backoff_sleep(const vs_model *m, double seconds) {
    if (!(seconds > 0)) return;
    if (m->sleep_fn) {
        m->sleep_fn(m->sleep_ud, seconds);
        return;
    }
    double deadline = now_sec() + seconds;
    for (;;) {
        if (vs_cancel_requested(m->cancel)) return;
        double left = deadline - now_sec();
        if (left <= 0) return;
        if (left > 0.05) left = 0.05;
        struct timespec ts;
        ts.tv_sec = (time_t)left;
        ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
        nanosleep(&ts, NULL); /* an interruption only shortens this slice */
    }
}

static int call_callback(const vs__model_run *run, vs_model_batch *b, size_t k) {
    const vs_model *m = run->m;
    switch (run->kind) {
    case VS_MODEL_GENERATE:
        return m->cb.generate(m->user_data, b, (const vs_model_gen_request *const *)b->ptrs, k, b->status);
    case VS_MODEL_LOGLIKELIHOOD:
        return m->cb.loglikelihood(m->user_data, b, (const vs_model_loglik_request *const *)b->ptrs, k, b->logprob,
                                   (run->flags & VS_MODEL_WANT_GREEDY) ? b->greedy : NULL, b->status);
    case VS_MODEL_EMBED:
        return m->cb.embed(m->user_data, b, (const vs_model_text_request *const *)b->ptrs, k, run->dim, b->status);
    default:
        return m->cb.classify(m->user_data, b, (const vs_model_text_request *const *)b->ptrs, k, run->labels,
                              run->n_labels, b->status);
    }
}

/* Validates the output of a position the callback reported OK; marks state 1 (valid) or 2. */
static void check_output(const vs__model_run *run, vs_model_batch *b, size_t p) {
    if (b->state[p] == 2) return;
    if (run->kind != VS_MODEL_LOGLIKELIHOOD) {
        if (b->state[p] == 0) {
            b->state[p] = 2;
            b->bad[p] = VS__BAD_NO_OUTPUT;
        }
        return;
    }
    double lp = b->logprob[p];
    if (isnan(lp) && !b->state[p]) {
        b->state[p] = 2;
        b->bad[p] = VS__BAD_NO_OUTPUT;
    } else if (!(lp <= 0.0)) {
        b->state[p] = 2;
        b->bad[p] = VS__BAD_LOGPROB;
        b->bad_value[p] = lp;
    } else if ((run->flags & VS_MODEL_WANT_GREEDY) && b->greedy[p] != 0 && b->greedy[p] != 1) {
        b->state[p] = 2;
        b->bad[p] = VS__BAD_GREEDY;
        b->bad_value[p] = (double)b->greedy[p];
    } else {
        b->state[p] = 1;
    }
}

static const char *cb_message(const vs_model_results *res, const vs_model_batch *b, size_t p) {
    return b->msg_off[p] == VS__MODEL_NONE ? NULL : res->errs + b->msg_off[p];
}

/* Gives position p its final status (a failure gets its message). */
static int finalize(const vs__model_run *run, vs_model_batch *b, size_t p, int st, double dur) {
    vs_model_results *res = run->res;
    size_t i = b->item[p];
    res->status[i] = (unsigned char)st;
    res->latency[i] = dur;
    b->status[p] = st;
    const char *msg = cb_message(res, b, p);
    const char *kn = kind_name(run->kind);
    switch (st) {
    case VS_MODEL_ITEM_OK:
        if (run->kind == VS_MODEL_LOGLIKELIHOOD) {
            res->logprob[i] = b->logprob[p];
            res->greedy[i] = (signed char)((run->flags & VS_MODEL_WANT_GREEDY) ? b->greedy[p] : -1);
        }
        return VS_OK;
    case VS_MODEL_ITEM_TRANSIENT:
        return vs__model_results_set_error(res, i, "transient failure on all %u attempts of the %s callback%s%s",
                                           (unsigned)res->attempts[i], kn, msg ? ": " : "", msg ? msg : "");
    case VS_MODEL_ITEM_PERMANENT:
        return vs__model_results_set_error(res, i, "permanent failure reported by the %s callback%s%s", kn,
                                           msg ? ": " : "", msg ? msg : "");
    default: {
        char what[256];
        vs__model_bad_describe(b, p, what, sizeof what);
        return vs__model_results_set_error(res, i, "bad output from the %s callback: %s", kn, what);
    }
    }
}

typedef struct run_state {
    double t;        /* virtual clock of the backoff schedule */
    size_t finished; /* items with a final status */
    size_t failed;   /* of which failures */
    vs__same_failures same; /* the early stop */
    int same_stop;          /* it fired */
} run_state;

/* Runs the k items in b->item[0..k). */
static int run_batch(const vs__model_run *run, size_t k, run_state *s) {
    vs_model *m = run->m;
    vs_model_batch *b = &m->batch;
    vs_model_results *res = run->res;
    for (size_t p = 0; p < k; p++) {
        vs__model_copy_request(run, b, p, b->item[p]);
        b->status[p] = VS_MODEL_ITEM_OK;
        b->state[p] = 0;
        b->bad[p] = VS__BAD_NONE;
        b->msg_off[p] = VS__MODEL_NONE;
        b->logprob[p] = NAN;
        b->greedy[p] = -1;
        res->attempts[b->item[p]]++;
    }
    b->n = k;
    b->nomem = 0;
    pthread_mutex_lock(&b->lock);
    b->active = 1;
    pthread_mutex_unlock(&b->lock);
    double t0 = now_sec();
    int cb_rc = call_callback(run, b, k);
    double dur = now_sec() - t0;
    pthread_mutex_lock(&b->lock);
    b->active = 0;
    pthread_mutex_unlock(&b->lock);

    if (b->nomem)
        return vs__error(VS_ENOMEM, "%s: out of memory storing the output of the batch starting with item '%.200s'",
                         run->fn, vs__model_batch_id(b, 0));
    if (cb_rc != 0 && cb_rc != VS_MODEL_ITEM_TRANSIENT)
        return vs__error(VS_ECALLBACK, "%s: the %s callback returned %d (failure) for the batch of %zu item%s starting with item '%.200s'",
                         run->fn, kind_name(run->kind), cb_rc, k, k == 1 ? "" : "s", vs__model_batch_id(b, 0));

    size_t last_failed = SIZE_MAX;
    for (size_t p = 0; p < k; p++) {
        size_t i = b->item[p];
        int st = cb_rc ? VS_MODEL_ITEM_TRANSIENT : b->status[p];
        if (st == VS_MODEL_ITEM_OK) {
            check_output(run, b, p);
            if (b->state[p] != 1) st = VS_MODEL_ITEM_BAD_OUTPUT;
        } else if (st == VS_MODEL_ITEM_TRANSIENT) {
            if (vs_cancel_requested(m->cancel)) {
                /* a backend that watches the token drops its requests in flight: those items
                 * stay VS_MODEL_ITEM_NOT_RUN (a resume runs them), they did not fail */
                b->status[p] = -1;
                continue;
            }
            if (res->attempts[i] < (uint64_t)m->max_attempts) {
                double d = backoff_delay(m, run->seed, vs__model_batch_id(b, p), res->attempts[i]);
                int rc = heap_push(m, s->t + d, i);
                if (rc != VS_OK) return rc;
                b->status[p] = -1; /* waits for a retry */
                continue;
            }
        } else if (st != VS_MODEL_ITEM_PERMANENT) {
            b->state[p] = 2;
            b->bad[p] = VS__BAD_STATUS;
            b->bad_value[p] = (double)st;
            st = VS_MODEL_ITEM_BAD_OUTPUT;
        }
        int rc = finalize(run, b, p, st, dur);
        if (rc != VS_OK) return rc;
        s->finished++;
        if (st != VS_MODEL_ITEM_OK) {
            s->failed++;
            last_failed = p;
        }
        if (vs__same_failures_add(&s->same, st, st == VS_MODEL_ITEM_OK ? NULL : vs_model_results_error(res, i)))
            s->same_stop = 1;
    }
    vs_model_item_fn item_fn = run->ctl ? run->ctl->item_fn : m->item_fn;
    void *item_ud = run->ctl ? run->ctl->user_data : m->item_ud;
    if (item_fn)
        for (size_t p = 0; p < k; p++) {
            if (b->status[p] < 0) continue;
            int hr = item_fn(item_ud, res, b->item[p]);
            if (hr != 0)
                return vs__error(VS_ECALLBACK, "%s: the item hook returned %d for item '%.200s'", run->fn, hr,
                                 vs__model_batch_id(b, p));
        }
    if (s->same_stop) {
        char why[400];
        vs__same_failures_describe(&s->same, "items", why, sizeof why);
        return vs__error(VS_EFAILED, "%s: stopped: %s (VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES = %lld)", run->fn, why,
                         (long long)m->stop_after_same_failures);
    }
    if (last_failed != SIZE_MAX && !(run->ctl && run->ctl->no_failure_rules)) {
        int over_count = m->max_failed >= 0 && (int64_t)s->failed > m->max_failed;
        int over_frac = (double)s->failed > m->max_failed_fraction * (double)run->n;
        if (over_count || over_frac) {
            size_t i = b->item[last_failed];
            if (over_count)
                return vs__error(VS_EFAILED, "%s: stopped: %zu items failed, more than VS_MODEL_OPT_MAX_FAILED = %lld; last failure: item '%.200s': %s",
                                 run->fn, s->failed, (long long)m->max_failed, vs__model_batch_id(b, last_failed),
                                 vs_model_results_error(res, i));
            return vs__error(VS_EFAILED, "%s: stopped: %zu of %zu items failed, more than VS_MODEL_OPT_MAX_FAILED_FRACTION = %g; last failure: item '%.200s': %s",
                             run->fn, s->failed, run->n, m->max_failed_fraction, vs__model_batch_id(b, last_failed),
                             vs_model_results_error(res, i));
        }
    }
    return VS_OK;
}

int vs__model_execute(vs__model_run *run) {
    vs_model *m = run->m;
    vs_model_results *res = run->res;
    if (m->running) return vs__error(VS_ESTATE, "%s: this model is already running (called from its own callback?)", run->fn);
    if (res->busy) return vs__error(VS_ESTATE, "%s: these results are being filled by another run", run->fn);
    int rc = vs__model_validate(run);
    if (rc != VS_OK) return rc;
    rc = vs__model_results_reset(res, run->kind, run->n, run->dim);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", run->fn);
    if (run->n == 0) return VS_OK;
    size_t cap = (uint64_t)m->max_batch < run->n ? (size_t)m->max_batch : run->n;
    vs_model_batch *b = &m->batch;
    rc = vs__model_batch_reserve(b, cap, vs__model_request_size(run->kind));
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", run->fn);
    b->res = res;
    b->kind = run->kind;
    b->dim = run->dim;
    b->max_text = (size_t)m->max_text_bytes;
    b->n = 0;
    m->heap_n = 0;
    m->running = 1;
    res->busy = 1;

    run_state s;
    memset(&s, 0, sizeof s);
    vs__same_failures_init(&s.same, run->ctl && run->ctl->no_failure_rules ? 0 : m->stop_after_same_failures);
    size_t next_new = 0;
    while (next_new < run->n || m->heap_n > 0) {
        if (vs_cancel_requested(m->cancel)) {
            rc = vs__error(VS_ECANCELED, "%s: cancelled with %zu of %zu items finished", run->fn, s.finished, run->n);
            break;
        }
        size_t k = 0;
        while (k < cap && m->heap_n > 0 && m->heap[0].ready <= s.t) b->item[k++] = heap_pop(m);
        while (k < cap && next_new < run->n) b->item[k++] = next_new++;
        if (k == 0) { /* only waiting items: sleep until the first is due */
            double due = m->heap[0].ready;
            if ((rc = pre_call(run, "a backoff sleep")) != VS_OK) break;
            backoff_sleep(m, due - s.t);
            s.t = due;
            continue;
        }
        if ((rc = pre_call(run, "a callback call")) != VS_OK) break;
        rc = run_batch(run, k, &s);
        if (rc != VS_OK) break;
    }
    if (rc == VS_OK && s.finished < run->n) /* items left NOT_RUN by a cancellation in the last call */
        rc = vs__error(VS_ECANCELED, "%s: cancelled with %zu of %zu items finished", run->fn, s.finished, run->n);
    m->heap_n = 0;
    m->running = 0;
    res->busy = 0;
    b->res = NULL;
    b->n = 0;
    return rc;
}

/* ---- the public entry points */

static int start(vs__model_run *run, vs_model_results *res, vs_model *m, int kind, const char *fn,
                 const vs__model_ctl *ctl) {
    memset(run, 0, sizeof *run);
    run->fn = fn;
    run->kind = kind;
    run->m = m;
    run->res = res;
    run->ctl = ctl;
    run->seed = ctl ? ctl->seed : m ? m->seed : 0;
    if (!res) return vs__error(VS_EINVAL, "%s: results is NULL", fn);
    if (!m) return vs__error(VS_EINVAL, "%s: model is NULL", fn);
    if (!vs_model_supports(m, kind)) return vs__error(VS_ESTATE, "%s: the model has no %s callback", fn, kind_name(kind));
    return VS_OK;
}

int vs__model_generate_ctl(vs_model_results *results, vs_model *model, const vs_model_gen_request *const *requests,
                           size_t n, const vs__model_ctl *ctl) {
    vs__model_run run;
    int rc = start(&run, results, model, VS_MODEL_GENERATE, "vs_model_generate", ctl);
    if (rc != VS_OK) return rc;
    run.requests = (const void *const *)requests;
    run.n = n;
    return vs__model_execute(&run);
}

int vs__model_loglikelihood_ctl(vs_model_results *results, vs_model *model,
                                const vs_model_loglik_request *const *requests, size_t n, uint32_t flags,
                                const vs__model_ctl *ctl) {
    vs__model_run run;
    int rc = start(&run, results, model, VS_MODEL_LOGLIKELIHOOD, "vs_model_loglikelihood", ctl);
    if (rc != VS_OK) return rc;
    if (flags & ~VS_MODEL_WANT_GREEDY)
        return vs__error(VS_EINVAL, "vs_model_loglikelihood: unknown flags 0x%x", (unsigned)(flags & ~VS_MODEL_WANT_GREEDY));
    run.requests = (const void *const *)requests;
    run.n = n;
    run.flags = flags;
    return vs__model_execute(&run);
}

int vs__model_classify_ctl(vs_model_results *results, vs_model *model, const vs_model_text_request *const *requests,
                           size_t n, const char *const *labels, size_t n_labels, const vs__model_ctl *ctl) {
    vs__model_run run;
    int rc = start(&run, results, model, VS_MODEL_CLASSIFY, "vs_model_classify", ctl);
    if (rc != VS_OK) return rc;
    if (n_labels == 0 || !labels) return vs__error(VS_EINVAL, "vs_model_classify: no labels (labels NULL or n_labels 0)");
    run.requests = (const void *const *)requests;
    run.n = n;
    run.labels = labels;
    run.n_labels = n_labels;
    run.dim = n_labels;
    return vs__model_execute(&run);
}

int vs_model_generate(vs_model_results *results, vs_model *model, const vs_model_gen_request *const *requests,
                      size_t n) {
    return vs__model_generate_ctl(results, model, requests, n, NULL);
}

int vs_model_loglikelihood(vs_model_results *results, vs_model *model, const vs_model_loglik_request *const *requests,
                           size_t n, uint32_t flags) {
    return vs__model_loglikelihood_ctl(results, model, requests, n, flags, NULL);
}

int vs_model_embed(vs_model_results *results, vs_model *model, const vs_model_text_request *const *requests, size_t n,
                   size_t dim) {
    vs__model_run run;
    int rc = start(&run, results, model, VS_MODEL_EMBED, "vs_model_embed", NULL);
    if (rc != VS_OK) return rc;
    if (dim == 0) return vs__error(VS_EINVAL, "vs_model_embed: dim is 0");
    run.requests = (const void *const *)requests;
    run.n = n;
    run.dim = dim;
    return vs__model_execute(&run);
}

int vs_model_classify(vs_model_results *results, vs_model *model, const vs_model_text_request *const *requests,
                      size_t n, const char *const *labels, size_t n_labels) {
    return vs__model_classify_ctl(results, model, requests, n, labels, n_labels, NULL);
}
