/* Tests of the model module: the callback table, batching, retries with backoff, the failure
 * threshold, cancellation, bad callback output and allocation failure, with fake callbacks.
 *
 * Independent references: the per-item seeds and the backoff delays below were computed with
 * Python's integers from the formulas written in include/valuespace/model.h:
 *
 *   M = 2**64 - 1
 *   def fnv(b): h = 0xcbf29ce484222325; [h := ((h ^ c) * 0x100000001b3) & M for c in b]; return h
 *   def fmix(x): x = ((x ^ (x >> 33)) * 0xff51afd7ed558ccd) & M
 *                x = ((x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53) & M; return x ^ (x >> 33)
 *   def comb(x, v): y = x ^ ((v + 0x9e3779b97f4a7c15 + ((x << 6) & M) + (x >> 2)) & M)
 *                   y = ((y ^ (y >> 30)) * 0xbf58476d1ce4e5b9) & M
 *                   y = ((y ^ (y >> 27)) * 0x94d049bb133111eb) & M; return y ^ (y >> 31)
 *   seed(s, id, r) = comb(fmix(fnv(id.encode()) ^ s), r)
 *   delay(s, id, a, base, mx) = min(mx, base * 2**(a-1)) * (0.5 + 0.5 * (seed(s ^ 0x6a6974746572, id, a) >> 11) * 2.0**-53)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model_internal.h"
#include "testutil.h"

/* ---------------------------------------------------------------- a scriptable fake model */
#define NMAX 256

enum { BAD_NONE = 0, BAD_NULL, BAD_UTF8, BAD_NUL, BAD_NO_TEXT, BAD_STATUS, BAD_TOO_LONG, BAD_WRONG_SETTER,
       BAD_LENGTH, BAD_NAN, BAD_PROB, BAD_LOGPROB_POS, BAD_GREEDY };

typedef struct fake {
    int transient_left[NMAX]; /* fail transiently this many more times */
    int permanent[NMAX];
    int bad[NMAX];
    uint64_t seed_seen[NMAX];
    int calls;
    size_t max_n, total;
    int fatal_at_call;           /* return -7 on this call (1-based) */
    int batch_transient_at_call; /* return VS_MODEL_ITEM_TRANSIENT on this call */
    vs_model_batch *saved;
    int destroyed;
    int threads;                 /* > 1: set outputs from this many worker threads */
    vs_cancel *cancel;
    int cancel_wait_call;        /* on this call: announce, then wait for the token */
    int reached;
    int signal_at_call;          /* raise SIGUSR1 on this call */
    int reenter;                 /* call vs_model_generate from inside */
    vs_model *self;
    int reenter_rc;
    int greedy_null;             /* loglikelihood: 1 if is_greedy was NULL */
} fake;

static int item_of(const char *id) {
    int k = atoi(id + 1);
    ck_assert(k >= 0 && k < NMAX);
    return k;
}

/* Output of one generate request: depends only on the request (id, seed, prompt). */
static void gen_text(char *buf, size_t cap, const vs_model_gen_request *q) {
    const char *p = q->prompt ? q->prompt : q->contents[q->n_messages - 1];
    snprintf(buf, cap, "%s|%016llx|%s|%u|%g", q->id, (unsigned long long)q->seed, p, q->max_tokens, q->temperature);
}

static void fake_begin(fake *f, size_t n) {
    f->calls++;
    if (n > f->max_n) f->max_n = n;
    f->total += n;
}

static void gen_one(fake *f, vs_model_batch *b, const vs_model_gen_request *q, size_t i, int *status) {
    int k = item_of(q->id);
    f->seed_seen[k] = q->seed;
    if (f->transient_left[k] > 0) {
        f->transient_left[k]--;
        status[i] = VS_MODEL_ITEM_TRANSIENT;
        vs_model_set_error(b, i, "busy");
        return;
    }
    if (f->permanent[k]) {
        status[i] = VS_MODEL_ITEM_PERMANENT;
        vs_model_set_error(b, i, "rejected");
        return;
    }
    char buf[512];
    gen_text(buf, sizeof buf, q);
    double v = 1;
    switch (f->bad[k]) {
    case BAD_NULL: vs_model_set_text(b, i, NULL, 3); break;
    case BAD_UTF8: vs_model_set_text(b, i, "ok \xff", (size_t)-1); break;
    case BAD_NUL: vs_model_set_text(b, i, "a\0b", 3); break;
    case BAD_NO_TEXT: break;
    case BAD_STATUS: vs_model_set_text(b, i, buf, (size_t)-1); status[i] = 9; break;
    case BAD_TOO_LONG: vs_model_set_text(b, i, "0123456789012345678901234567890123456789", 40); break;
    case BAD_WRONG_SETTER: vs_model_set_vector(b, i, &v, 1); break;
    default: vs_model_set_text(b, i, buf, (size_t)-1); break;
    }
}

typedef struct worker {
    fake *f;
    vs_model_batch *b;
    const vs_model_gen_request *const *q;
    size_t n, start, step;
    int *status;
} worker;

static void *worker_main(void *arg) {
    worker *w = arg;
    for (size_t i = w->start; i < w->n; i += w->step) gen_one(w->f, w->b, w->q[i], i, w->status);
    return NULL;
}

static void nap_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int fake_generate(void *ud, vs_model_batch *b, const vs_model_gen_request *const *q, size_t n, int *status) {
    fake *f = ud;
    fake_begin(f, n);
    f->saved = b;
    if (f->calls == f->fatal_at_call) return -7;
    if (f->calls == f->batch_transient_at_call) {
        vs_model_set_text(b, 0, "ignored", (size_t)-1);
        return VS_MODEL_ITEM_TRANSIENT;
    }
    if (f->reenter) {
        vs_model_results *r2 = NULL;
        ck_assert_ok(vs_model_results_create(&r2));
        f->reenter_rc = vs_model_generate(r2, f->self, q, n);
        vs_model_results_free(r2);
    }
    if (f->calls == f->signal_at_call) raise(SIGUSR1);
    if (f->calls == f->cancel_wait_call) {
        __atomic_store_n(&f->reached, 1, __ATOMIC_RELEASE);
        while (!vs_cancel_requested(f->cancel)) nap_ms(1);
    }
    for (size_t i = 0; i < n; i++) ck_assert_int_eq(status[i], VS_MODEL_ITEM_OK);
    if (f->threads > 1) {
        pthread_t th[8];
        worker w[8];
        for (int t = 0; t < f->threads; t++) {
            w[t] = (worker){f, b, q, n, (size_t)t, (size_t)f->threads, status};
            ck_assert_int_eq(pthread_create(&th[t], NULL, worker_main, &w[t]), 0);
        }
        for (int t = 0; t < f->threads; t++) pthread_join(th[t], NULL);
    } else {
        for (size_t i = 0; i < n; i++) gen_one(f, b, q[i], i, status);
    }
    return 0;
}

static int fake_loglik(void *ud, vs_model_batch *b, const vs_model_loglik_request *const *q, size_t n, double *lp,
                       int *greedy, int *status) {
    fake *f = ud;
    fake_begin(f, n);
    f->greedy_null = greedy == NULL;
    for (size_t i = 0; i < n; i++) {
        ck_assert(isnan(lp[i]));
        int k = item_of(q[i]->id);
        if (f->transient_left[k] > 0) {
            f->transient_left[k]--;
            status[i] = VS_MODEL_ITEM_TRANSIENT;
            continue;
        }
        lp[i] = -0.5 * (double)strlen(q[i]->continuation) - 0.25 * (double)strlen(q[i]->context);
        if (greedy) {
            ck_assert_int_eq(greedy[i], -1);
            greedy[i] = strlen(q[i]->continuation) < 5;
        }
        if (f->bad[k] == BAD_NAN) lp[i] = NAN;
        if (f->bad[k] == BAD_LOGPROB_POS) lp[i] = 0.5;
        if (f->bad[k] == BAD_GREEDY && greedy) greedy[i] = 2;
    }
    (void)b;
    return 0;
}

static void vec_of(double *v, size_t dim, int k, int probs) {
    for (size_t j = 0; j < dim; j++) v[j] = probs ? 1.0 / (1.0 + (double)j + (double)(k % 3)) : (double)(k + (int)j) / 10.0;
}

static int vec_common(fake *f, vs_model_batch *b, const vs_model_text_request *const *q, size_t n, size_t dim,
                      int probs, int *status) {
    fake_begin(f, n);
    for (size_t i = 0; i < n; i++) {
        int k = item_of(q[i]->id);
        if (f->transient_left[k] > 0) {
            f->transient_left[k]--;
            status[i] = VS_MODEL_ITEM_TRANSIENT;
            continue;
        }
        double v[16];
        vec_of(v, dim, k, probs);
        switch (f->bad[k]) {
        case BAD_LENGTH: vs_model_set_vector(b, i, v, dim - 1); break;
        case BAD_NAN: v[1] = NAN; vs_model_set_vector(b, i, v, dim); break;
        case BAD_NULL: vs_model_set_vector(b, i, NULL, dim); break;
        case BAD_PROB: v[0] = 1.5; vs_model_set_vector(b, i, v, dim); break;
        case BAD_NO_TEXT: break;
        case BAD_WRONG_SETTER: vs_model_set_text(b, i, "x", 1); break;
        default: vs_model_set_vector(b, i, v, dim); break;
        }
    }
    return 0;
}

static int fake_embed(void *ud, vs_model_batch *b, const vs_model_text_request *const *q, size_t n, size_t dim,
                      int *status) {
    return vec_common(ud, b, q, n, dim, 0, status);
}

static int fake_classify(void *ud, vs_model_batch *b, const vs_model_text_request *const *q, size_t n,
                         const char *const *labels, size_t n_labels, int *status) {
    ck_assert_str_eq(labels[0], "high");
    return vec_common(ud, b, q, n, n_labels, 1, status);
}

static void fake_destroy(void *ud) { ((fake *)ud)->destroyed++; }

/* A model over a fake with every callback. */
static vs_model *fake_model(fake *f) {
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.generate = fake_generate;
    cb.loglikelihood = fake_loglik;
    cb.embed = fake_embed;
    cb.classify = fake_classify;
    cb.destroy = fake_destroy;
    vs_model *m = NULL;
    ck_assert_ok(vs_model_create(&m, &cb, f));
    f->self = m;
    return m;
}

/* Sleep hook that records the delays instead of sleeping. */
typedef struct sleeps {
    double d[64];
    int n;
} sleeps;

static void record_sleep(void *ud, double s) {
    sleeps *r = ud;
    if (r->n < 64) r->d[r->n] = s;
    r->n++;
}

/* Requests q0..q(n-1) with prompts "prompt k". */
typedef struct genset {
    char ids[NMAX][24];
    char prompts[NMAX][32];
    vs_model_gen_request req[NMAX];
    const vs_model_gen_request *ptr[NMAX];
} genset;

static genset *make_gen(size_t n) {
    genset *g = calloc(1, sizeof *g);
    for (size_t k = 0; k < n; k++) {
        snprintf(g->ids[k], sizeof g->ids[k], "q%zu", k);
        snprintf(g->prompts[k], sizeof g->prompts[k], "prompt %zu", k);
        vs_model_gen_request r = VS_MODEL_GEN_REQUEST_INIT;
        r.id = g->ids[k];
        r.prompt = g->prompts[k];
        r.repeat = k % 3;
        r.max_tokens = (uint32_t)(k % 5);
        r.temperature = 0.5 * (double)(k % 4);
        g->req[k] = r;
        g->ptr[k] = &g->req[k];
    }
    return g;
}

/* ---------------------------------------------------------------- seeds */
START_TEST(test_item_seed) {
    /* Python reference (file comment) */
    ck_assert_uint_eq(vs_model_item_seed(0, "", 0), UINT64_C(0x140aa43cf279fba2));
    ck_assert_uint_eq(vs_model_item_seed(0, NULL, 0), UINT64_C(0x140aa43cf279fba2));
    ck_assert_uint_eq(vs_model_item_seed(0, "q1", 0), UINT64_C(0x30b8874b6b5d9f73));
    ck_assert_uint_eq(vs_model_item_seed(42, "q1", 0), UINT64_C(0xa9528a2891f3fb6a));
    ck_assert_uint_eq(vs_model_item_seed(42, "q1", 3), UINT64_C(0x4e767f54070c711d));
    ck_assert_uint_eq(vs_model_item_seed(UINT64_MAX, "honesty/03", 7), UINT64_C(0x2b84a44be9d2b339));
    ck_assert_uint_eq(vs_model_item_seed(7, "\xc3\xa9", 2), UINT64_C(0xe9a5d808a0069d92));
}
END_TEST

/* ---------------------------------------------------------------- create, options */
START_TEST(test_create_and_options) {
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = NULL;
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    ck_assert_status(vs_model_create(&m, &cb, &f), VS_EINVAL); /* no callback */
    ck_assert_ptr_null(m);
    ck_assert_status(vs_model_create(&m, NULL, &f), VS_EINVAL);
    ck_assert_status(vs_model_create(NULL, &cb, &f), VS_EINVAL);
    cb.generate = fake_generate;
    cb.struct_size = 8;
    ck_assert_status(vs_model_create(&m, &cb, &f), VS_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert(strstr(vs_last_error(), "struct_size") != NULL);

    /* a table from a newer header (larger struct_size) is accepted; unknown tail ignored */
    struct {
        vs_model_callbacks cb;
        void *future;
    } big;
    memset(&big, 0, sizeof big);
    big.cb.struct_size = (uint32_t)sizeof big;
    big.cb.generate = fake_generate;
    big.cb.destroy = fake_destroy;
    big.future = &f;
    ck_assert_ok(vs_model_create(&m, &big.cb, &f));
    ck_assert_int_eq(vs_model_supports(m, VS_MODEL_GENERATE), 1);
    ck_assert_int_eq(vs_model_supports(m, VS_MODEL_EMBED), 0);
    ck_assert_int_eq(vs_model_supports(m, 99), 0);
    ck_assert_int_eq(vs_model_supports(NULL, VS_MODEL_GENERATE), 0);

    int64_t iv;
    double dv, lo, hi;
    ck_assert_ok(vs_model_get_int(&iv, m, VS_MODEL_OPT_MAX_BATCH));
    ck_assert_int_eq(iv, 16);
    ck_assert_ok(vs_model_get_int(&iv, m, VS_MODEL_OPT_MAX_ATTEMPTS));
    ck_assert_int_eq(iv, 4);
    ck_assert_ok(vs_model_get_int(&iv, m, VS_MODEL_OPT_MAX_FAILED));
    ck_assert_int_eq(iv, -1);
    ck_assert_ok(vs_model_get_int(&iv, m, VS_MODEL_OPT_MAX_TEXT_BYTES));
    ck_assert_int_eq(iv, 1 << 24);
    ck_assert_ok(vs_model_get_int(&iv, m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES));
    ck_assert_int_eq(iv, 20);
    ck_assert_status(vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, -1), VS_ERANGE);
    ck_assert_ok(vs_model_get_int(&iv, m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES));
    ck_assert_int_eq(iv, 20);
    ck_assert_ok(vs_model_get_double(&dv, m, VS_MODEL_OPT_BACKOFF_BASE));
    ck_assert_near(dv, 1.0, 0);
    ck_assert_ok(vs_model_get_double(&dv, m, VS_MODEL_OPT_BACKOFF_MAX));
    ck_assert_near(dv, 60.0, 0);
    ck_assert_ok(vs_model_get_double(&dv, m, VS_MODEL_OPT_MAX_FAILED_FRACTION));
    ck_assert_near(dv, 1.0, 0);

    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 7));
    ck_assert_ok(vs_model_get_int(&iv, m, VS_MODEL_OPT_MAX_BATCH));
    ck_assert_int_eq(iv, 7);
    ck_assert_status(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 0), VS_ERANGE);
    ck_assert_status(vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, 1001), VS_ERANGE);
    ck_assert_status(vs_model_set_int(m, VS_MODEL_OPT_MAX_FAILED, -2), VS_ERANGE);
    ck_assert_status(vs_model_set_int(m, VS_MODEL_OPT_BACKOFF_BASE, 1), VS_EINVAL);
    ck_assert_status(vs_model_set_int(m, 999, 1), VS_EINVAL);
    ck_assert_status(vs_model_set_int(NULL, VS_MODEL_OPT_MAX_BATCH, 1), VS_EINVAL);
    ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, 0.25));
    ck_assert_ok(vs_model_get_double(&dv, m, VS_MODEL_OPT_BACKOFF_BASE));
    ck_assert_near(dv, 0.25, 0);
    ck_assert_status(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, NAN), VS_EINVAL);
    ck_assert_status(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, -1), VS_ERANGE);
    ck_assert_status(vs_model_set_double(m, VS_MODEL_OPT_MAX_FAILED_FRACTION, 1.5), VS_ERANGE);
    ck_assert_status(vs_model_set_double(m, VS_MODEL_OPT_MAX_BATCH, 2), VS_EINVAL);
    ck_assert_status(vs_model_get_double(&dv, m, VS_MODEL_OPT_MAX_BATCH), VS_EINVAL);
    ck_assert_status(vs_model_get_int(&iv, m, VS_MODEL_OPT_BACKOFF_MAX), VS_EINVAL);
    ck_assert_ok(vs_model_option_bounds(&lo, &hi, VS_MODEL_OPT_MAX_FAILED_FRACTION));
    ck_assert_near(lo, 0, 0);
    ck_assert_near(hi, 1, 0);
    ck_assert_ok(vs_model_option_bounds(&lo, &hi, VS_MODEL_OPT_MAX_BATCH));
    ck_assert_near(lo, 1, 0);
    ck_assert_status(vs_model_option_bounds(&lo, &hi, 0), VS_EINVAL);
    ck_assert_ok(vs_model_set_seed(m, 99));
    ck_assert_uint_eq(vs_model_get_seed(m), 99);
    ck_assert_status(vs_model_set_seed(NULL, 1), VS_EINVAL);
    ck_assert_status(vs_model_set_cancel(NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_model_set_sleep(NULL, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_model_set_item_hook(NULL, NULL, NULL), VS_EINVAL);

    /* the model keeps the token alive after the caller's free */
    vs_cancel *c = NULL;
    ck_assert_ok(vs_cancel_create(&c));
    ck_assert_ok(vs_model_set_cancel(m, c));
    vs_cancel_free(c);
    vs_cancel_request(m->cancel);
    ck_assert_int_eq(vs_cancel_requested(m->cancel), 1);
    vs_cancel_reset(m->cancel);
    ck_assert_int_eq(vs_cancel_requested(m->cancel), 0);
    ck_assert_int_eq(vs_cancel_requested(NULL), 0);
    vs_cancel_request(NULL);
    ck_assert_status(vs_cancel_create(NULL), VS_EINVAL);

    ck_assert_int_eq(f.destroyed, 0);
    vs_model_free(m);
    ck_assert_int_eq(f.destroyed, 1);
    vs_model_free(NULL);
    vs_cancel_free(NULL);
    vs_model_results_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------- batch-size independence */
typedef struct snapshot {
    int status[NMAX];
    uint32_t attempts[NMAX];
    char *text[NMAX];
    char *err[NMAX];
    double lp[NMAX];
    int greedy[NMAX];
    double vec[NMAX][8];
} snapshot;

static void take(snapshot *s, const vs_model_results *r, size_t n) {
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        s->status[i] = vs_model_results_status(r, i);
        s->attempts[i] = vs_model_results_attempts(r, i);
        const char *t = vs_model_results_text(r, i);
        s->text[i] = t ? strdup(t) : NULL;
        s->err[i] = strdup(vs_model_results_error(r, i));
        s->lp[i] = NAN;
        s->greedy[i] = -9;
        if (vs_model_results_kind(r) == VS_MODEL_LOGLIKELIHOOD && s->status[i] == VS_MODEL_ITEM_OK)
            ck_assert_ok(vs_model_results_loglik(&s->lp[i], &s->greedy[i], r, i));
        size_t need = 0;
        if (vs_model_results_dim(r) && s->status[i] == VS_MODEL_ITEM_OK)
            ck_assert_ok(vs_model_results_vector(&need, r, i, s->vec[i], 8));
    }
}

static void same(const snapshot *a, const snapshot *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(a->status[i], b->status[i]);
        ck_assert_uint_eq(a->attempts[i], b->attempts[i]);
        ck_assert(!a->text[i] == !b->text[i]);
        if (a->text[i]) ck_assert_str_eq(a->text[i], b->text[i]);
        ck_assert_str_eq(a->err[i], b->err[i]);
        ck_assert(memcmp(&a->lp[i], &b->lp[i], sizeof(double)) == 0);
        ck_assert_int_eq(a->greedy[i], b->greedy[i]);
        ck_assert(memcmp(a->vec[i], b->vec[i], sizeof a->vec[i]) == 0);
    }
}

static void drop(snapshot *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(s->text[i]);
        free(s->err[i]);
    }
}

/* The scripted failures of the batch-size tests. */
static void script(fake *f, size_t n) {
    memset(f, 0, sizeof *f);
    for (size_t k = 0; k < n; k++) {
        if (k % 11 == 3) f->transient_left[k] = 1;
        if (k % 17 == 5) f->transient_left[k] = 2;
        if (k % 23 == 7) f->transient_left[k] = 9; /* exhausts max_attempts = 3 */
        if (k % 19 == 11) f->permanent[k] = 1;
    }
}

START_TEST(test_generate_batch_independent) {
    const size_t n = 100;
    const int64_t sizes[] = {1, 7, 64};
    genset *g = make_gen(n);
    snapshot *snap = malloc(3 * sizeof *snap);
    sleeps sl[3];
    for (int s = 0; s < 3; s++) {
        fake f;
        script(&f, n);
        f.bad[13] = BAD_UTF8;
        vs_model *m = fake_model(&f);
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, sizes[s]));
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, 3));
        ck_assert_ok(vs_model_set_seed(m, 42));
        memset(&sl[s], 0, sizeof sl[s]);
        ck_assert_ok(vs_model_set_sleep(m, record_sleep, &sl[s]));
        vs_model_results *r = NULL;
        ck_assert_ok(vs_model_results_create(&r));
        ck_assert_int_eq(vs_model_results_kind(r), -1);
        ck_assert_ok(vs_model_generate(r, m, g->ptr, n));
        ck_assert_uint_le(f.max_n, (size_t)sizes[s]);
        ck_assert_int_eq(vs_model_results_kind(r), VS_MODEL_GENERATE);
        ck_assert_uint_eq(vs_model_results_item_count(r), n);
        /* the seed the callback saw is the documented per-item seed */
        ck_assert_uint_eq(f.seed_seen[1], UINT64_C(0xe190db1da403e825)); /* Python: seed(42, "q1", 1) */
        take(&snap[s], r, n);
        vs_model_results_free(r);
        vs_model_free(m);
    }
    same(&snap[0], &snap[1], n);
    same(&snap[0], &snap[2], n);
    /* what the items look like */
    char expect[512];
    g->req[0].seed = vs_model_item_seed(42, "q0", 0);
    gen_text(expect, sizeof expect, &g->req[0]);
    ck_assert_str_eq(snap[0].text[0], expect);
    ck_assert_int_eq(snap[0].status[3], VS_MODEL_ITEM_OK);
    ck_assert_uint_eq(snap[0].attempts[3], 2);
    ck_assert_uint_eq(snap[0].attempts[5], 3);
    ck_assert_int_eq(snap[0].status[7], VS_MODEL_ITEM_TRANSIENT);
    ck_assert_uint_eq(snap[0].attempts[7], 3);
    ck_assert(strstr(snap[0].err[7], "busy") != NULL);
    ck_assert_int_eq(snap[0].status[11], VS_MODEL_ITEM_PERMANENT);
    ck_assert(strstr(snap[0].err[11], "rejected") != NULL);
    ck_assert_int_eq(snap[0].status[13], VS_MODEL_ITEM_BAD_OUTPUT);
    ck_assert(strstr(snap[0].err[13], "UTF-8") != NULL);
    ck_assert_ptr_null(snap[0].text[13]);
    ck_assert_str_eq(snap[0].err[0], "");
    /* retries waited: at least one sleep, the same schedule whatever the batch size
     * (every failure happens at virtual time 0 in the first pass) */
    ck_assert_int_gt(sl[0].n, 0);
    ck_assert_int_eq(sl[0].n, sl[2].n);
    for (int i = 0; i < sl[0].n && i < 64; i++) ck_assert(sl[0].d[i] == sl[2].d[i]);
    for (int s = 0; s < 3; s++) drop(&snap[s], n);
    free(snap);
    free(g);
}
END_TEST

START_TEST(test_other_kinds_batch_independent) {
    const size_t n = 70;
    const int64_t sizes[] = {1, 7, 64};
    char ids[NMAX][24], ctx[NMAX][32], cont[NMAX][32];
    vs_model_loglik_request lr[NMAX];
    vs_model_text_request tr[NMAX];
    const vs_model_loglik_request *lp[NMAX];
    const vs_model_text_request *tp[NMAX];
    for (size_t k = 0; k < n; k++) {
        snprintf(ids[k], sizeof ids[k], "q%zu", k);
        snprintf(ctx[k], sizeof ctx[k], "context %zu", k * 7);
        snprintf(cont[k], sizeof cont[k], "%.*s", (int)(1 + k % 9), " abcdefghij");
        vs_model_loglik_request l = VS_MODEL_LOGLIK_REQUEST_INIT;
        l.id = ids[k];
        l.context = ctx[k];
        l.continuation = cont[k];
        lr[k] = l;
        lp[k] = &lr[k];
        vs_model_text_request t = VS_MODEL_TEXT_REQUEST_INIT;
        t.id = ids[k];
        t.text = ctx[k];
        tr[k] = t;
        tp[k] = &tr[k];
    }
    const char *labels[] = {"high", "low", "none"};
    snapshot *snap = malloc(3 * sizeof *snap);
    for (int kind = 1; kind <= 3; kind++) {
        for (int s = 0; s < 3; s++) {
            fake f;
            script(&f, n);
            vs_model *m = fake_model(&f);
            ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, sizes[s]));
            ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, 0));
            vs_model_results *r = NULL;
            ck_assert_ok(vs_model_results_create(&r));
            if (kind == 1) {
                ck_assert_ok(vs_model_loglikelihood(r, m, lp, n, VS_MODEL_WANT_GREEDY));
                ck_assert_int_eq(f.greedy_null, 0);
            } else if (kind == 2) {
                ck_assert_ok(vs_model_embed(r, m, tp, n, 5));
                ck_assert_uint_eq(vs_model_results_dim(r), 5);
            } else {
                ck_assert_ok(vs_model_classify(r, m, tp, n, labels, 3));
                ck_assert_uint_eq(vs_model_results_dim(r), 3);
            }
            ck_assert_uint_le(f.max_n, (size_t)sizes[s]);
            take(&snap[s], r, n);
            vs_model_results_free(r);
            vs_model_free(m);
        }
        same(&snap[0], &snap[1], n);
        same(&snap[0], &snap[2], n);
        /* spot checks against the fake's formulas */
        if (kind == 1) {
            ck_assert_near(snap[0].lp[0], -0.5 * 1 - 0.25 * strlen("context 0"), 0);
            ck_assert_int_eq(snap[0].greedy[0], 1);
            ck_assert_int_eq(snap[0].greedy[8], 0);
        } else if (kind == 2) {
            ck_assert_near(snap[0].vec[4][2], 0.6, 1e-15);
        } else {
            ck_assert_near(snap[0].vec[4][1], 1.0 / 3.0, 1e-15);
        }
        ck_assert_int_eq(snap[0].status[11], VS_MODEL_ITEM_OK); /* the non-generate fakes never fail permanently */
        ck_assert_int_eq(snap[0].status[7], VS_MODEL_ITEM_TRANSIENT);
        ck_assert_uint_eq(snap[0].attempts[7], 4);
        for (int s = 0; s < 3; s++) drop(&snap[s], n);
    }
    free(snap);

    /* without VS_MODEL_WANT_GREEDY the callback gets NULL and results report -1 */
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_loglikelihood(r, m, lp, 3, 0));
    ck_assert_int_eq(f.greedy_null, 1);
    double v;
    int gr;
    ck_assert_ok(vs_model_results_loglik(&v, &gr, r, 2));
    ck_assert_int_eq(gr, -1);
    ck_assert_status(vs_model_loglikelihood(r, m, lp, 3, 4), VS_EINVAL);
    vs_model_results_free(r);
    vs_model_free(m);
}
END_TEST

/* ---------------------------------------------------------------- retries and backoff */
START_TEST(test_backoff_schedule) {
    genset *g = make_gen(10);
    fake f;
    memset(&f, 0, sizeof f);
    f.transient_left[3] = 3;
    vs_model *m = fake_model(&f);
    sleeps sl;
    memset(&sl, 0, sizeof sl);
    ck_assert_ok(vs_model_set_sleep(m, record_sleep, &sl));
    ck_assert_ok(vs_model_set_seed(m, 5));
    ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, 0.5));
    ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_MAX, 1.5));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 2));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    /* q0..q3: batches [q0 q1] [q2 q3]; q3 fails at t = 0, 0.478, 1.179, then succeeds */
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 4));
    ck_assert_int_eq(sl.n, 3);
    /* Python: delay(5, "q3", a, 0.5, 1.5) for a = 1, 2, 3 (cap 0.5, 1, 1.5 = min(1.5, 2)) */
    ck_assert_near(sl.d[0], 0.4776201586466243, 1e-15);
    ck_assert_near(sl.d[1], 0.7012674856230476, 1e-15);
    ck_assert_near(sl.d[2], 1.0681005870137126, 1e-15);
    ck_assert_near(vs__model_backoff_delay(m, "q3", 2), 0.7012674856230476, 1e-15);
    ck_assert_int_eq(vs_model_results_status(r, 3), VS_MODEL_ITEM_OK);
    ck_assert_uint_eq(vs_model_results_attempts(r, 3), 4);
    ck_assert_uint_eq(vs_model_results_attempts(r, 2), 1);
    ck_assert_int_eq(f.calls, 5);
    ck_assert_int_eq(vs_model_results_latency(r, 3) >= 0, 1);

    /* two waiting items: sleep until the earlier is due, run it alone, then the other */
    memset(&f, 0, sizeof f);
    f.transient_left[3] = 1;
    f.transient_left[8] = 1;
    sl.n = 0;
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 16));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 10));
    ck_assert_int_eq(sl.n, 2);
    /* Python: delay(5, "q8", 1, ...) = 0.3142638512874225; q3's is 0.4776201586466243 */
    ck_assert_near(sl.d[0], 0.3142638512874225, 1e-15);
    ck_assert_near(sl.d[1], 0.4776201586466243 - 0.3142638512874225, 1e-15);
    ck_assert_int_eq(f.calls, 3);
    ck_assert_uint_eq(f.max_n, 10);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 10);

    /* the delay doubles up to the cap and the jitter keeps it in [cap/2, cap) */
    ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, 2));
    ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_MAX, 30));
    for (uint32_t a = 1; a <= 12; a++) {
        double cap = 2.0 * (double)(1u << (a - 1));
        if (cap > 30) cap = 30;
        double d = vs__model_backoff_delay(m, "q3", a);
        ck_assert(d >= cap / 2 && d < cap);
    }

    /* attempts exhausted: final TRANSIENT with the callback's message */
    memset(&f, 0, sizeof f);
    f.transient_left[1] = 100;
    sl.n = 0;
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, 2));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 3));
    ck_assert_int_eq(vs_model_results_status(r, 1), VS_MODEL_ITEM_TRANSIENT);
    ck_assert_uint_eq(vs_model_results_attempts(r, 1), 2);
    ck_assert_str_eq(vs_model_results_error(r, 1), "transient failure on all 2 attempts of the generate callback: busy");
    ck_assert_ptr_null(vs_model_results_text(r, 1));
    ck_assert_int_eq(sl.n, 1);

    /* max_attempts 1: no retry, no sleep */
    memset(&f, 0, sizeof f);
    f.transient_left[1] = 1;
    sl.n = 0;
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, 1));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 3));
    ck_assert_int_eq(vs_model_results_status(r, 1), VS_MODEL_ITEM_TRANSIENT);
    ck_assert_int_eq(sl.n, 0);

    /* a whole batch failing transiently (return 1): every item retried, outputs ignored */
    memset(&f, 0, sizeof f);
    f.batch_transient_at_call = 1;
    sl.n = 0;
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, 3));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 4));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 6));
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 6);
    for (size_t i = 0; i < 4; i++) ck_assert_uint_eq(vs_model_results_attempts(r, i), 2);
    ck_assert_uint_eq(vs_model_results_attempts(r, 4), 1);
    ck_assert(strstr(vs_model_results_text(r, 0), "q0|") == vs_model_results_text(r, 0));
    ck_assert_int_gt(sl.n, 0);

    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST

/* ---------------------------------------------------------------- failure threshold */
/* The early stop: the first N items all failed alike. */
START_TEST(test_same_failures) {
    genset *g = make_gen(30);
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    const int64_t sizes[] = {1, 7, 64};
    for (int s = 0; s < 3; s++) {
        fake f;
        memset(&f, 0, sizeof f);
        for (int k = 0; k < 30; k++) f.permanent[k] = 1;
        vs_model *m = fake_model(&f);
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, sizes[s]));
        /* default 20: stops with the cause; what finished is kept */
        ck_assert_status(vs_model_generate(r, m, g->ptr, 30), VS_EFAILED);
        ck_assert_ptr_nonnull(strstr(vs_last_error(), "stopped: the first 20 items all failed alike (permanent): "
                                                      "permanent failure reported by the generate callback: rejected"));
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 0);
        if (sizes[s] == 1) { /* one item per call: exactly 20 were sent */
            ck_assert_uint_eq(f.total, 20);
            ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_PERMANENT), 20);
            ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_NOT_RUN), 10);
        }
        /* 0 = never: every item runs */
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 0));
        ck_assert_ok(vs_model_generate(r, m, g->ptr, 30));
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_PERMANENT), 30);
        /* a run shorter than N never stops this way */
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 31));
        ck_assert_ok(vs_model_generate(r, m, g->ptr, 30));
        /* N = 5: one success among the first five switches the rule off */
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 5));
        f.permanent[3] = 0;
        ck_assert_ok(vs_model_generate(r, m, g->ptr, 30));
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_PERMANENT), 29);
        /* ... and so does a different failure (transient "busy" on its only attempt) */
        f.permanent[3] = 1;
        f.permanent[2] = 0;
        f.transient_left[2] = 1000;
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, 1));
        ck_assert_ok(vs_model_generate(r, m, g->ptr, 30));
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_TRANSIENT), 1);
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_PERMANENT), 29);
        /* five alike: stop again */
        f.transient_left[2] = 0;
        f.permanent[2] = 1;
        ck_assert_status(vs_model_generate(r, m, g->ptr, 30), VS_EFAILED);
        ck_assert_ptr_nonnull(strstr(vs_last_error(), "the first 5 items all failed alike"));
        vs_model_free(m);
    }
    vs_model_results_free(r);
    free(g);
}
END_TEST

START_TEST(test_threshold) {
    genset *g = make_gen(12);
    const int64_t sizes[] = {1, 7, 64};
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    for (int s = 0; s < 3; s++) {
        fake f;
        memset(&f, 0, sizeof f);
        f.permanent[2] = f.permanent[5] = f.permanent[9] = 1;
        vs_model *m = fake_model(&f);
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, sizes[s]));
        /* continue (default): VS_OK, failures counted */
        ck_assert_ok(vs_model_generate(r, m, g->ptr, 12));
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_PERMANENT), 3);
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 9);
        ck_assert_str_eq(vs_model_results_error(r, 5), "permanent failure reported by the generate callback: rejected");
        /* exactly at the limit: continue */
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_FAILED, 3));
        ck_assert_ok(vs_model_generate(r, m, g->ptr, 12));
        /* over the limit: stop */
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_FAILED, 1));
        ck_assert_status(vs_model_generate(r, m, g->ptr, 12), VS_EFAILED);
        ck_assert(strstr(vs_last_error(), "stopped: 2 items failed") || strstr(vs_last_error(), "stopped: 3 items failed"));
        ck_assert(strstr(vs_last_error(), "MAX_FAILED = 1") != NULL);
        ck_assert(strstr(vs_last_error(), "item 'q5'") || strstr(vs_last_error(), "item 'q9'"));
        if (sizes[s] == 1) {
            /* stopped right after q5: q6.. were never run */
            ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 4);
            ck_assert_int_eq(vs_model_results_status(r, 6), VS_MODEL_ITEM_NOT_RUN);
            ck_assert_uint_eq(vs_model_results_attempts(r, 6), 0);
            ck_assert(strstr(vs_last_error(), "item 'q5'") != NULL);
        }
        if (sizes[s] == 64) ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_NOT_RUN), 0);
        /* fraction: 3 of 12 > 0.2 * 12 = 2.4 stops; 0.25 * 12 = 3 does not */
        ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_FAILED, -1));
        ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_MAX_FAILED_FRACTION, 0.25));
        ck_assert_ok(vs_model_generate(r, m, g->ptr, 12));
        ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_MAX_FAILED_FRACTION, 0.2));
        ck_assert_status(vs_model_generate(r, m, g->ptr, 12), VS_EFAILED);
        ck_assert(strstr(vs_last_error(), "3 of 12 items failed") != NULL);
        ck_assert(strstr(vs_last_error(), "item 'q9'") != NULL);
        /* fraction 0: the first failure stops */
        ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_MAX_FAILED_FRACTION, 0));
        ck_assert_status(vs_model_generate(r, m, g->ptr, 12), VS_EFAILED);
        if (sizes[s] == 1) ck_assert(strstr(vs_last_error(), "stopped: 1 of 12 items failed") != NULL);
        if (sizes[s] == 1) ck_assert(strstr(vs_last_error(), "item 'q2'") != NULL);
        vs_model_free(m);
    }
    vs_model_results_free(r);
    free(g);
}
END_TEST

/* ---------------------------------------------------------------- cancellation */
typedef struct canceller {
    fake *f;
    vs_cancel *tok;
    long after_ms; /* > 0: cancel after this long, else when the fake announces it */
} canceller;

static void *cancel_main(void *arg) {
    canceller *c = arg;
    if (c->after_ms > 0)
        nap_ms(c->after_ms);
    else
        while (!__atomic_load_n(&c->f->reached, __ATOMIC_ACQUIRE)) nap_ms(1);
    vs_cancel_request(c->tok);
    return NULL;
}

static vs_cancel *signal_token;
static void on_sigusr1(int sig) {
    (void)sig;
    vs_cancel_request(signal_token);
}

/* The signals a library must leave to its program (the CLI handles them, README "Faults"). */
static const int program_signals[4] = {SIGINT, SIGTERM, SIGXFSZ, SIGPIPE};

START_TEST(test_cancel) {
    struct sigaction before[4];
    for (int k = 0; k < 4; k++) ck_assert_int_eq(sigaction(program_signals[k], NULL, &before[k]), 0);
    genset *g = make_gen(50);
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_cancel *tok = NULL;
    ck_assert_ok(vs_cancel_create(&tok));
    ck_assert_ok(vs_model_set_cancel(m, tok));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 5));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));

    /* from another thread, while the second batch runs: no third batch */
    f.cancel = tok;
    f.cancel_wait_call = 2;
    canceller c = {&f, tok, 0};
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, cancel_main, &c), 0);
    ck_assert_status(vs_model_generate(r, m, g->ptr, 50), VS_ECANCELED);
    pthread_join(th, NULL);
    ck_assert(strstr(vs_last_error(), "cancelled with 10 of 50 items finished") != NULL);
    ck_assert_int_eq(f.calls, 2);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 10);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_NOT_RUN), 40);
    ck_assert_ptr_nonnull(vs_model_results_text(r, 9));

    /* a set token stops the next run before any batch; reset makes it usable again */
    memset(&f, 0, sizeof f);
    ck_assert_status(vs_model_generate(r, m, g->ptr, 50), VS_ECANCELED);
    ck_assert_int_eq(f.calls, 0);
    vs_cancel_reset(tok);
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 50));
    ck_assert_int_eq(f.calls, 10);

    /* from a signal handler */
    memset(&f, 0, sizeof f);
    signal_token = tok;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigusr1;
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGUSR1, &sa, &old), 0);
    f.signal_at_call = 3;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 50), VS_ECANCELED);
    sigaction(SIGUSR1, &old, NULL);
    ck_assert_int_eq(f.calls, 3);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 15);
    vs_cancel_reset(tok);

    /* during the default (real) backoff sleep of 10 s: returns promptly */
    memset(&f, 0, sizeof f);
    f.transient_left[0] = 5;
    ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, 10));
    canceller c2 = {&f, tok, 100};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(pthread_create(&th, NULL, cancel_main, &c2), 0);
    ck_assert_status(vs_model_generate(r, m, g->ptr, 3), VS_ECANCELED);
    pthread_join(th, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    ck_assert_msg(took < 3.0, "cancel during backoff took %g s", took);
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_NOT_RUN);
    ck_assert_uint_eq(vs_model_results_attempts(r, 0), 1);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 2);

    /* the runs installed no signal handler: cancellation is the program's token */
    for (int k = 0; k < 4; k++) {
        struct sigaction now;
        ck_assert_int_eq(sigaction(program_signals[k], NULL, &now), 0);
        ck_assert_msg(now.sa_handler == before[k].sa_handler, "signal %d: the library changed its disposition",
                      program_signals[k]);
    }
    vs_cancel_free(tok);
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST

/* ---------------------------------------------------------------- bad output, fatal returns */
START_TEST(test_bad_output) {
    genset *g = make_gen(12);
    fake f;
    memset(&f, 0, sizeof f);
    f.bad[1] = BAD_NULL;
    f.bad[2] = BAD_UTF8;
    f.bad[3] = BAD_NUL;
    f.bad[4] = BAD_NO_TEXT;
    f.bad[5] = BAD_STATUS;
    f.bad[6] = BAD_TOO_LONG;
    f.bad[7] = BAD_WRONG_SETTER;
    vs_model *m = fake_model(&f);
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_TEXT_BYTES, 39));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 5));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 12));
    ck_assert_int_eq(f.calls, 3); /* bad output is not retried */
    const char *want[] = {
        NULL,
        "bad output from the generate callback: the output is NULL",
        "bad output from the generate callback: the text is not valid UTF-8 (byte 3)",
        "bad output from the generate callback: the text contains a NUL byte (byte 1)",
        "bad output from the generate callback: reported OK but set no text",
        "bad output from the generate callback: unknown item status 9",
        "bad output from the generate callback: the text is 40 bytes long, more than VS_MODEL_OPT_MAX_TEXT_BYTES = 39",
        "bad output from the generate callback: an output setter that does not fit this kind of call",
    };
    for (size_t i = 1; i < 8; i++) {
        ck_assert_int_eq(vs_model_results_status(r, i), VS_MODEL_ITEM_BAD_OUTPUT);
        ck_assert_str_eq(vs_model_results_error(r, i), want[i]);
        ck_assert_ptr_null(vs_model_results_text(r, i));
        ck_assert_uint_eq(vs_model_results_attempts(r, i), 1);
    }
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_OK);
    ck_assert_int_eq(vs_model_results_status(r, 8), VS_MODEL_ITEM_OK);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_BAD_OUTPUT), 7);

    /* setters after the callback returned, or out of range */
    ck_assert_status(vs_model_set_text(f.saved, 0, "x", 1), VS_ESTATE);
    ck_assert_status(vs_model_set_text(NULL, 0, "x", 1), VS_EINVAL);
    ck_assert_status(vs_model_set_error(f.saved, 0, "x"), VS_ESTATE);
    ck_assert_status(vs_model_set_vector(f.saved, 0, NULL, 0), VS_ESTATE);

    /* log-likelihoods: NaN (not set), positive, is_greedy not 0/1 */
    char ids[4][8] = {"q0", "q1", "q2", "q3"};
    vs_model_loglik_request lr[4];
    const vs_model_loglik_request *lp[4];
    for (int i = 0; i < 4; i++) {
        vs_model_loglik_request l = VS_MODEL_LOGLIK_REQUEST_INIT;
        l.id = ids[i];
        l.context = "";
        l.continuation = " of the";
        lr[i] = l;
        lp[i] = &lr[i];
    }
    memset(&f, 0, sizeof f);
    f.bad[1] = BAD_NAN;
    f.bad[2] = BAD_LOGPROB_POS;
    f.bad[3] = BAD_GREEDY;
    ck_assert_ok(vs_model_loglikelihood(r, m, lp, 4, VS_MODEL_WANT_GREEDY));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_OK);
    ck_assert_str_eq(vs_model_results_error(r, 1), "bad output from the loglikelihood callback: reported OK but set no log-probability");
    ck_assert_str_eq(vs_model_results_error(r, 2), "bad output from the loglikelihood callback: the log-probability 0.5 is not <= 0");
    ck_assert_str_eq(vs_model_results_error(r, 3), "bad output from the loglikelihood callback: is_greedy is 2, not 0 or 1");
    double v;
    ck_assert_status(vs_model_results_loglik(&v, NULL, r, 1), VS_ESTATE);
    ck_assert_status(vs_model_results_loglik(&v, NULL, r, 9), VS_ERANGE);
    ck_assert_status(vs_model_results_loglik(&v, NULL, NULL, 0), VS_EINVAL);
    /* without greedy, a wrong is_greedy cannot happen */
    memset(&f, 0, sizeof f);
    f.bad[3] = BAD_GREEDY;
    ck_assert_ok(vs_model_loglikelihood(r, m, lp, 4, 0));
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 4);

    /* vectors: wrong length, NaN, NULL, probability > 1, none, wrong setter */
    vs_model_text_request tr[7];
    const vs_model_text_request *tp[7];
    char tid[7][16];
    for (int i = 0; i < 7; i++) {
        snprintf(tid[i], sizeof tid[i], "q%d", i & 7);
        vs_model_text_request t = VS_MODEL_TEXT_REQUEST_INIT;
        t.id = tid[i];
        t.text = "some text";
        tr[i] = t;
        tp[i] = &tr[i];
    }
    memset(&f, 0, sizeof f);
    f.bad[1] = BAD_LENGTH;
    f.bad[2] = BAD_NAN;
    f.bad[3] = BAD_NULL;
    f.bad[4] = BAD_NO_TEXT;
    f.bad[5] = BAD_WRONG_SETTER;
    f.bad[6] = BAD_PROB;
    ck_assert_ok(vs_model_embed(r, m, tp, 7, 4));
    ck_assert_str_eq(vs_model_results_error(r, 1), "bad output from the embed callback: the vector has 3 values, expected 4");
    ck_assert_str_eq(vs_model_results_error(r, 2), "bad output from the embed callback: value 1 of the vector is not finite (nan)");
    ck_assert_str_eq(vs_model_results_error(r, 3), "bad output from the embed callback: the output is NULL");
    ck_assert_str_eq(vs_model_results_error(r, 4), "bad output from the embed callback: reported OK but set no vector");
    ck_assert_str_eq(vs_model_results_error(r, 5), "bad output from the embed callback: an output setter that does not fit this kind of call");
    ck_assert_int_eq(vs_model_results_status(r, 6), VS_MODEL_ITEM_OK); /* 1.5 is a fine embedding value */
    double buf[4];
    size_t need = 0;
    ck_assert_ok(vs_model_results_vector(&need, r, 0, buf, 4));
    ck_assert_uint_eq(need, 4);
    ck_assert_near(buf[3], 0.3, 1e-15);
    ck_assert_status(vs_model_results_vector(&need, r, 0, buf, 3), VS_EBUFSIZE);
    ck_assert_status(vs_model_results_vector(&need, r, 1, buf, 4), VS_ESTATE);
    ck_assert_status(vs_model_results_vector(&need, r, 7, buf, 4), VS_ERANGE);
    const char *labels[] = {"high", "low"};
    ck_assert_ok(vs_model_classify(r, m, tp, 7, labels, 2));
    ck_assert_str_eq(vs_model_results_error(r, 6), "bad output from the classify callback: probability 0 is outside [0, 1] (1.5)");
    ck_assert_str_eq(vs_model_results_error(r, 1), "bad output from the classify callback: the vector has 1 values, expected 2");
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_OK);
    ck_assert_status(vs_model_results_vector(&need, r, 0, NULL, 2), VS_EINVAL);
    ck_assert_ptr_null(vs_model_results_text(r, 0));
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST

START_TEST(test_fatal_callback) {
    genset *g = make_gen(20);
    fake f;
    memset(&f, 0, sizeof f);
    f.fatal_at_call = 3;
    vs_model *m = fake_model(&f);
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 4));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_status(vs_model_generate(r, m, g->ptr, 20), VS_ECALLBACK);
    ck_assert_str_eq(vs_last_error(),
                     "vs_model_generate: the generate callback returned -7 (failure) for the batch of 4 items starting with item 'q8'");
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 8);
    ck_assert_ptr_nonnull(vs_model_results_text(r, 7));
    ck_assert_int_eq(vs_model_results_status(r, 8), VS_MODEL_ITEM_NOT_RUN);
    ck_assert_uint_eq(vs_model_results_attempts(r, 8), 1);
    ck_assert_uint_eq(vs_model_results_attempts(r, 12), 0);
    ck_assert_int_eq(f.calls, 3);
    /* the model stays usable */
    memset(&f, 0, sizeof f);
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 20));

    /* calling the model from its own callback is refused; the outer run goes on */
    memset(&f, 0, sizeof f);
    f.reenter = 1;
    f.self = m;
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 3));
    ck_assert_int_eq(f.reenter_rc, VS_ESTATE);
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST

/* ---------------------------------------------------------------- item hook */
typedef struct hook_log {
    size_t order[NMAX];
    int seen[NMAX];
    size_t n;
    size_t stop_after;
} hook_log;

static int record_item(void *ud, const vs_model_results *r, size_t i) {
    hook_log *h = ud;
    ck_assert_int_ne(vs_model_results_status(r, i), VS_MODEL_ITEM_NOT_RUN);
    if (vs_model_results_status(r, i) == VS_MODEL_ITEM_OK) ck_assert_ptr_nonnull(vs_model_results_text(r, i));
    h->order[h->n++] = i;
    h->seen[i]++;
    return h->stop_after && h->n == h->stop_after ? 5 : 0;
}

START_TEST(test_item_hook) {
    genset *g = make_gen(30);
    fake f;
    script(&f, 30);
    vs_model *m = fake_model(&f);
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 7));
    ck_assert_ok(vs_model_set_double(m, VS_MODEL_OPT_BACKOFF_BASE, 0));
    hook_log h;
    memset(&h, 0, sizeof h);
    ck_assert_ok(vs_model_set_item_hook(m, record_item, &h));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 30));
    ck_assert_uint_eq(h.n, 30);
    for (size_t i = 0; i < 30; i++) ck_assert_int_eq(h.seen[i], 1);
    ck_assert_uint_eq(h.order[0], 0);
    /* a hook that fails stops the run */
    script(&f, 30);
    memset(&h, 0, sizeof h);
    h.stop_after = 4;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 30), VS_ECALLBACK);
    ck_assert_str_eq(vs_last_error(), "vs_model_generate: the item hook returned 5 for item 'q4'");
    ck_assert_int_eq(f.calls, 1);
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST


/* ---------------------------------------------------------------- runs under a caller's control */
typedef struct ctl_log {
    int pre_calls, items, stop_at; /* stop_at: the pre-call hook returns 1 on this call */
    int sleeps_seen;                /* sleeps recorded when the pre-call hook ran */
    sleeps *sl;
    int order_ok;                   /* every pre-call came before the sleep it precedes */
} ctl_log;

static int ctl_pre(void *ud) {
    ctl_log *c = ud;
    c->pre_calls++;
    c->sleeps_seen = c->sl ? c->sl->n : 0;
    return c->stop_at && c->pre_calls == c->stop_at;
}

static int ctl_item(void *ud, const vs_model_results *r, size_t i) {
    (void)r;
    (void)i;
    ((ctl_log *)ud)->items++;
    return 0;
}

START_TEST(test_ctl) {
    genset *g = make_gen(12);
    fake f;
    memset(&f, 0, sizeof f);
    f.permanent[2] = f.permanent[5] = f.permanent[9] = 1;
    f.transient_left[7] = 1;
    vs_model *m = fake_model(&f);
    sleeps sl;
    memset(&sl, 0, sizeof sl);
    ck_assert_ok(vs_model_set_sleep(m, record_sleep, &sl));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 4));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_FAILED, 0));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 1));
    ck_assert_ok(vs_model_set_seed(m, 99));
    hook_log h;
    memset(&h, 0, sizeof h);
    ck_assert_ok(vs_model_set_item_hook(m, record_item, &h));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    /* the model's own rules stop it at the first failure */
    ck_assert_status(vs_model_generate(r, m, g->ptr, 12), VS_EFAILED);
    /* under control: the caller's seed, item hook and pre-call hook; no failure rules; every
     * other option (batch size, retries, the sleep hook) is the model's */
    ctl_log c;
    memset(&c, 0, sizeof c);
    c.sl = &sl;
    sl.n = 0;
    memset(&h, 0, sizeof h);
    f.transient_left[7] = 1;
    f.calls = 0;
    vs__model_ctl ctl = {7, ctl_item, ctl_pre, &c, 1};
    ck_assert_ok(vs__model_generate_ctl(r, m, g->ptr, 12, &ctl));
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_PERMANENT), 3);
    ck_assert_int_eq(c.items, 12);
    ck_assert_uint_eq(h.n, 0); /* the model's item hook is not called */
    ck_assert_int_eq(f.calls, 4); /* 3 batches of 4, then q7's retry */
    ck_assert_int_eq(sl.n, 1);
    ck_assert_int_eq(c.pre_calls, 5); /* before each call and before the sleep */
    for (size_t k = 0; k < 12; k++)
        ck_assert_uint_eq(f.seed_seen[k], vs_model_item_seed(7, g->ids[k], g->req[k].repeat));
    ck_assert_uint_eq(vs_model_get_seed(m), 99); /* the model is not changed */
    /* a non-zero return stops the run: here before the backoff sleep */
    memset(&c, 0, sizeof c);
    c.sl = &sl;
    sl.n = 0;
    c.stop_at = 4;
    f.transient_left[7] = 1;
    f.calls = 0;
    ck_assert_status(vs__model_generate_ctl(r, m, g->ptr, 12, &ctl), VS_ECALLBACK);
    ck_assert_str_eq(vs_last_error(), "vs_model_generate: stopped by the caller before a backoff sleep");
    ck_assert_int_eq(sl.n, 0);
    ck_assert_int_eq(f.calls, 3);
    ck_assert_int_eq(vs_model_results_status(r, 7), VS_MODEL_ITEM_NOT_RUN);
    ck_assert_int_eq(vs_model_results_status(r, 8), VS_MODEL_ITEM_OK);
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST

/* ---------------------------------------------------------------- requests */
START_TEST(test_requests) {
    genset *g = make_gen(4);
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 4));
    f.calls = 0;

    /* bad requests: nothing called, results untouched */
    ck_assert_status(vs_model_generate(r, m, NULL, 2), VS_EINVAL);
    ck_assert_status(vs_model_generate(NULL, m, g->ptr, 2), VS_EINVAL);
    ck_assert_status(vs_model_generate(r, NULL, g->ptr, 2), VS_EINVAL);
    const vs_model_gen_request *holes[2] = {g->ptr[0], NULL};
    ck_assert_status(vs_model_generate(r, m, holes, 2), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_model_generate: request 1 is NULL");
    g->req[1].struct_size = 8;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EINVAL);
    ck_assert(strstr(vs_last_error(), "request 1: struct_size 8") != NULL);
    g->req[1].struct_size = sizeof(vs_model_gen_request);
    g->req[1].prompt = "bad \xc3";
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EUTF8);
    ck_assert_str_eq(vs_last_error(), "vs_model_generate: request 1 (id 'q1'): prompt is not valid UTF-8 (byte 4)");
    g->req[1].prompt = "fine";
    const char *roles[] = {"system", "user"}, *contents[] = {"be brief", "hello"};
    g->req[1].n_messages = 2;
    g->req[1].roles = roles;
    g->req[1].contents = contents;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EINVAL);
    ck_assert(strstr(vs_last_error(), "not both") != NULL);
    g->req[1].prompt = NULL;
    g->req[1].temperature = -1;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EINVAL);
    ck_assert(strstr(vs_last_error(), "temperature") != NULL);
    g->req[1].temperature = NAN;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EINVAL);
    g->req[1].temperature = 0;
    const char *stops[] = {"\n", ""};
    g->req[1].n_stop = 2;
    g->req[1].stop = stops;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EINVAL);
    ck_assert(strstr(vs_last_error(), "stop[1] is empty") != NULL);
    g->req[1].n_stop = 1;
    g->req[0].id = "\xff";
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EUTF8);
    ck_assert_str_eq(vs_last_error(), "vs_model_generate: request 0: id is not valid UTF-8 (byte 0)");
    g->req[0].id = "q0";
    g->req[0].prompt = NULL;
    ck_assert_status(vs_model_generate(r, m, g->ptr, 2), VS_EINVAL);
    ck_assert(strstr(vs_last_error(), "neither") != NULL);
    g->req[0].prompt = "p";
    ck_assert_int_eq(f.calls, 0);
    ck_assert_uint_eq(vs_model_results_item_count(r), 4);
    ck_assert_ptr_nonnull(vs_model_results_text(r, 3));

    /* chat messages reach the callback; the fake answers from the last message */
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 2));
    ck_assert(strstr(vs_model_results_text(r, 1), "|hello|") != NULL);

    /* a request without an id is named by its index in the run ("0" here) */
    g->req[2].id = NULL;
    ck_assert_ok(vs_model_set_seed(m, 3));
    const vs_model_gen_request *one[1] = {g->ptr[2]};
    ck_assert_ok(vs_model_generate(r, m, one, 1));
    ck_assert(strncmp(vs_model_results_text(r, 0), "0|", 2) == 0);
    char hex[32];
    snprintf(hex, sizeof hex, "|%016llx|", (unsigned long long)vs_model_item_seed(3, "0", g->req[2].repeat));
    ck_assert(strstr(vs_model_results_text(r, 0), hex) != NULL);

    /* an older, smaller request struct from a caller is refused only below version 1 */
    ck_assert_status(vs_model_embed(r, m, NULL, 0, 0), VS_EINVAL);
    ck_assert_ok(vs_model_embed(r, m, NULL, 0, 3));
    ck_assert_uint_eq(vs_model_results_item_count(r), 0);
    const char *labels[] = {"high", NULL};
    vs_model_text_request t = VS_MODEL_TEXT_REQUEST_INIT;
    t.id = "q1";
    t.text = "x";
    const vs_model_text_request *tp[1] = {&t};
    ck_assert_status(vs_model_classify(r, m, tp, 1, labels, 2), VS_EINVAL);
    ck_assert_status(vs_model_classify(r, m, tp, 1, labels, 0), VS_EINVAL);
    t.text = NULL;
    ck_assert_status(vs_model_embed(r, m, tp, 1, 2), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_model_embed: request 0 (id 'q1'): text is NULL");
    vs_model_loglik_request l = VS_MODEL_LOGLIK_REQUEST_INIT;
    l.context = "a";
    const vs_model_loglik_request *lp[1] = {&l};
    ck_assert_status(vs_model_loglikelihood(r, m, lp, 1, 0), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_model_loglikelihood: request 0: continuation is NULL");

    /* a model without a callback of that kind */
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.embed = fake_embed;
    vs_model *m2 = NULL;
    ck_assert_ok(vs_model_create(&m2, &cb, &f));
    ck_assert_status(vs_model_generate(r, m2, g->ptr, 1), VS_ESTATE);
    ck_assert_str_eq(vs_last_error(), "vs_model_generate: the model has no generate callback");
    vs_model_free(m2);

    /* getters on bad input */
    ck_assert_int_eq(vs_model_results_status(r, 99), VS_ERANGE);
    ck_assert_int_eq(vs_model_results_status(NULL, 0), VS_ERANGE);
    ck_assert_uint_eq(vs_model_results_attempts(r, 99), 0);
    ck_assert(isnan(vs_model_results_latency(r, 99)));
    ck_assert_str_eq(vs_model_results_error(r, 99), "");
    ck_assert_ptr_null(vs_model_results_text(NULL, 0));
    ck_assert_uint_eq(vs_model_results_item_count(NULL), 0);
    ck_assert_uint_eq(vs_model_results_count(NULL, 0), 0);
    ck_assert_uint_eq(vs_model_results_dim(NULL), 0);
    ck_assert_status(vs_model_results_create(NULL), VS_EINVAL);
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST

/* ---------------------------------------------------------------- setters from worker threads */
START_TEST(test_threaded_setters) {
    genset *g = make_gen(200);
    fake f;
    memset(&f, 0, sizeof f);
    f.threads = 4;
    for (int k = 0; k < 200; k += 9) f.bad[k] = BAD_UTF8;
    vs_model *m = fake_model(&f);
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 64));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_generate(r, m, g->ptr, 200));
    for (size_t i = 0; i < 200; i++) {
        if (i % 9 == 0) {
            ck_assert_int_eq(vs_model_results_status(r, i), VS_MODEL_ITEM_BAD_OUTPUT);
            continue;
        }
        char expect[512];
        g->req[i].seed = vs_model_item_seed(0, g->ids[i], g->req[i].repeat);
        gen_text(expect, sizeof expect, &g->req[i]);
        ck_assert_str_eq(vs_model_results_text(r, i), expect);
    }
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
}
END_TEST

/* ---------------------------------------------------------------- allocation failure */
static int alloc_flow(void) {
    fake *f = calloc(1, sizeof *f);
    genset *g = make_gen(12);
    f->transient_left[3] = 1;
    f->permanent[5] = 1;
    f->bad[6] = BAD_UTF8;
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.generate = fake_generate;
    cb.loglikelihood = fake_loglik;
    cb.embed = fake_embed;
    cb.classify = fake_classify;
    vs_model *m = NULL;
    vs_model_results *r = NULL;
    vs_cancel *c = NULL;
    sleeps sl;
    memset(&sl, 0, sizeof sl);
    int rc = vs_model_create(&m, &cb, f);
    if (rc != VS_OK) ck_assert_ptr_null(m);
    if (rc == VS_OK) {
        rc = vs_model_results_create(&r);
        if (rc != VS_OK) ck_assert_ptr_null(r);
    }
    if (rc == VS_OK) {
        rc = vs_cancel_create(&c);
        if (rc != VS_OK) ck_assert_ptr_null(c);
    }
    if (rc == VS_OK) rc = vs_model_set_cancel(m, c);
    if (rc == VS_OK) rc = vs_model_set_sleep(m, record_sleep, &sl);
    if (rc == VS_OK) rc = vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 5);
    if (rc == VS_OK) rc = vs_model_generate(r, m, g->ptr, 12);
    if (rc == VS_OK) {
        ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 10);
        ck_assert_ptr_nonnull(vs_model_results_text(r, 3));
    }
    vs_model_loglik_request l = VS_MODEL_LOGLIK_REQUEST_INIT;
    l.id = "q1";
    l.context = "c";
    l.continuation = "d";
    const vs_model_loglik_request *lp[1] = {&l};
    if (rc == VS_OK) rc = vs_model_loglikelihood(r, m, lp, 1, VS_MODEL_WANT_GREEDY);
    vs_model_text_request t = VS_MODEL_TEXT_REQUEST_INIT;
    t.id = "q2";
    t.text = "x";
    const vs_model_text_request *tp[1] = {&t};
    if (rc == VS_OK) rc = vs_model_embed(r, m, tp, 1, 12);
    const char *labels[] = {"high", "low"};
    if (rc == VS_OK) rc = vs_model_classify(r, m, tp, 1, labels, 2);
    vs_cancel_free(c);
    vs_model_results_free(r);
    vs_model_free(m);
    free(g);
    free(f);
    return rc;
}

START_TEST(test_alloc_failure) {
    for (long n = 1;; n++) {
        vs_test_alloc_install();
        vs_test_alloc_fail_at(n);
        int rc = alloc_flow();
        int failed = vs_test_alloc_failed();
        long outstanding = vs_test_alloc_outstanding();
        vs_test_alloc_uninstall();
        ck_assert_msg(outstanding == 0, "failing allocation %ld leaks %ld blocks", n, outstanding);
        if (!failed) {
            ck_assert_msg(rc == VS_OK, "allocation %ld: %s", n, vs_last_error());
            ck_assert_int_gt(n, 5);
            break;
        }
        ck_assert_msg(rc == VS_ENOMEM, "failing allocation %ld gave %s: %s", n, vs_status_name(rc), vs_last_error());
    }
}
END_TEST

int main(void) {
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_item_seed);
    tcase_add_test(tc, test_create_and_options);
    tcase_add_test(tc, test_generate_batch_independent);
    tcase_add_test(tc, test_other_kinds_batch_independent);
    tcase_add_test(tc, test_backoff_schedule);
    tcase_add_test(tc, test_threshold);
    tcase_add_test(tc, test_same_failures);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_bad_output);
    tcase_add_test(tc, test_fatal_callback);
    tcase_add_test(tc, test_item_hook);
    tcase_add_test(tc, test_ctl);
    tcase_add_test(tc, test_requests);
    tcase_add_test(tc, test_threaded_setters);
    tcase_add_test(tc, test_alloc_failure);
    suite_add_tcase(s, tc);
    return vs_test_run(s);
}
