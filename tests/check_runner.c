/* Projective runner: judges, records, scores, journal, resume, shards, merge, failures.
 * The done-when cases use the real ngram backend (a 2010s trigram speech model: far too weak
 * for value findings; here it only exercises the machinery on real text). */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "valuespace.h"
#ifdef VS_HAVE_NGRAM_BACKEND
#include "ngram_backend.h"
#endif

static char tmpdir[256];

static void setup(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vs_check_runner_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static const char *path(const char *name) {
    static char buf[8][400];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* ---- a fake model: log P = -(length of the continuation) (so the shorter continuation wins),
 * with scripted failures by item id prefix */
typedef struct fake {
    int transient_first; /* items whose id ends in 1: the first two requests (high, low) fail transiently */
    int permanent;       /* items whose id ends in '3' fail permanently */
    int down;            /* every item fails permanently with "connection refused" */
    int calls;
    int seen[4096];
} fake;

static unsigned id_hash(const char *s) {
    unsigned h = 0;
    while (*s) h = h * 31u + (unsigned char)*s++;
    return h & 4095u;
}

static int fake_loglik(void *ud, vs_model_batch *b, const vs_model_loglik_request *const *req, size_t n, double *lp,
                       int *greedy, int *status) {
    (void)greedy;
    fake *f = ud;
    f->calls++;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(req[i]->id);
        char last = req[i]->id[len - 1];
        if (f->down) {
            status[i] = VS_MODEL_ITEM_PERMANENT;
            vs_model_set_error(b, i, "connection refused");
            continue;
        }
        if (f->permanent && last == '3') {
            status[i] = VS_MODEL_ITEM_PERMANENT;
            continue;
        }
        if (f->transient_first && last == '1' && f->seen[id_hash(req[i]->id)]++ < 2) {
            status[i] = VS_MODEL_ITEM_TRANSIENT;
            continue;
        }
        lp[i] = -(double)strlen(req[i]->continuation);
    }
    return 0;
}

static void no_sleep(void *ud, double s) {
    (void)ud;
    (void)s;
}

static vs_model *fake_model(fake *f) {
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.loglikelihood = fake_loglik;
    vs_model *m = NULL;
    ck_assert_ok(vs_model_create(&m, &cb, f));
    ck_assert_ok(vs_model_set_sleep(m, no_sleep, NULL));
    return m;
}

/* The exact part of a result as comparable bytes: counts, every score field, and per
 * dimension the exact statistics and the replicate means. (The Welford part of an accumulator
 * depends on the order of rows, which retries, batching and sharding change.) */
static size_t fingerprint_acc(double *out, const vs_accum *acc) {
    size_t k = 0, b = vs_accum_replicate_count(acc);
    for (size_t d = 0; d < vs_accum_dimension_count(acc); d++) {
        vs_accum_stats st = VS_ACCUM_STATS_INIT;
        ck_assert_ok(vs_accum_stats_get(&st, acc, d));
        out[k++] = (double)st.n;
        out[k++] = st.exact_sum;
        out[k++] = st.exact_variance;
        out[k++] = st.min;
        out[k++] = st.max;
        ck_assert_ok(vs_accum_replicate_means(NULL, acc, d, out + k, b));
        k += b;
    }
    return k;
}

static void assert_same_acc(const vs_accum *a, const vs_accum *b) {
    ck_assert_uint_eq(vs_accum_dimension_count(a), vs_accum_dimension_count(b));
    ck_assert_uint_eq(vs_accum_replicate_count(a), vs_accum_replicate_count(b));
    size_t cap = vs_accum_dimension_count(a) * (vs_accum_replicate_count(a) + 5);
    double *x = calloc(cap, sizeof *x), *y = calloc(cap, sizeof *y);
    size_t n = fingerprint_acc(x, a);
    ck_assert_uint_eq(fingerprint_acc(y, b), n);
    ck_assert_int_eq(memcmp(x, y, n * sizeof *x), 0);
    free(x);
    free(y);
}

static void assert_same(const vs_runner_result *a, const vs_runner_result *b) {
    ck_assert_uint_eq(vs_runner_result_done(a), vs_runner_result_done(b));
    ck_assert_uint_eq(vs_runner_result_failed(a), vs_runner_result_failed(b));
    size_t nd = vs_runner_result_dimension_count(a);
    ck_assert_uint_eq(vs_runner_result_dimension_count(b), nd);
    for (size_t i = 0; i < nd; i++) {
        vs_runner_score s = VS_RUNNER_SCORE_INIT, t = VS_RUNNER_SCORE_INIT;
        ck_assert_ok(vs_runner_result_score(&s, a, i));
        ck_assert_ok(vs_runner_result_score(&t, b, i));
        ck_assert_str_eq(vs_runner_result_dimension_key(a, i), vs_runner_result_dimension_key(b, i));
        ck_assert_uint_eq(s.n, t.n);
        ck_assert_int_eq(memcmp(&s.score, &t.score, sizeof s.score), 0);
        ck_assert_int_eq(memcmp(&s.ci_low, &t.ci_low, sizeof s.ci_low), 0);
        ck_assert_int_eq(memcmp(&s.ci_high, &t.ci_high, sizeof s.ci_high), 0);
    }
    assert_same_acc(vs_runner_result_accum(a), vs_runner_result_accum(b));
}

static vs_bank *bank(void) {
    vs_bank *b = NULL;
    ck_assert_ok(vs_bank_builtin(&b, "valuelex"));
    return b;
}

/* Expected scores from the bank alone: with the fake model the shorter continuation wins, so an
 * item's keyed judgement is [len(high) < len(low)] (0.5 on equal lengths) and its value that or
 * 1 minus it for reverse-keyed items; the score is 100 × their mean over the items probing it. */
START_TEST(t_fake_scores_by_hand) {
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_bank *b = bank();
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 2));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPLICATES, 200));
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_run(&res, r));
    ck_assert_uint_eq(vs_runner_result_done(res), 2 * vs_bank_item_count(b));
    ck_assert_uint_eq(vs_runner_result_failed(res), 0);
    const vs_space *sp = vs_bank_space(b);
    size_t reported = 0;
    for (size_t d = 0; d < vs_space_dimension_count(sp); d++) {
        if (!vs_bank_dimension_item_count(b, d)) continue;
        double sum = 0;
        size_t n = 0;
        for (size_t i = 0; i < vs_bank_item_count(b); i++)
            for (size_t k = 0; k < vs_bank_item_dimension_count(b, i); k++)
                if (vs_bank_item_dimension(b, i, k) == d) {
                    size_t lh = strlen(vs_bank_item_high(b, i)), ll = strlen(vs_bank_item_low(b, i));
                    double j = lh < ll ? 1.0 : lh > ll ? 0.0 : 0.5;
                    sum += vs_bank_item_reverse(b, i) ? 1.0 - j : j;
                    n++;
                }
        ck_assert_str_eq(vs_runner_result_dimension_key(res, reported), vs_space_key(sp, d));
        vs_runner_score s = VS_RUNNER_SCORE_INIT;
        ck_assert_ok(vs_runner_result_score(&s, res, reported));
        ck_assert_uint_eq(s.n, 2 * n);
        ck_assert_near(s.score, 100.0 * sum / (double)n, 1e-12);
        ck_assert(s.ci_low <= s.score && s.score <= s.ci_high);
        reported++;
    }
    ck_assert_uint_eq(vs_runner_result_dimension_count(res), reported);
    vs_runner_result_free(res);
    vs_runner_free(r);
    vs_bank_free(b);
    vs_model_free(m);
}
END_TEST

/* transient failures are retried (attempts recorded) and change nothing; permanent ones are
 * counted, the run goes on, or stops per the threshold */
START_TEST(t_failures) {
    fake f0, f1;
    memset(&f0, 0, sizeof f0);
    memset(&f1, 0, sizeof f1);
    f1.transient_first = 1;
    vs_model *m0 = fake_model(&f0), *m1 = fake_model(&f1);
    vs_bank *b = bank();
    vs_runner *r0 = NULL, *r1 = NULL;
    ck_assert_ok(vs_runner_create(&r0, b, m0, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_create(&r1, b, m1, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_str(r1, VS_RUNNER_OPT_JOURNAL, path("t.jsonl")));
    vs_runner_result *a = NULL, *c = NULL;
    ck_assert_ok(vs_runner_run(&a, r0));
    ck_assert_ok(vs_runner_run(&c, r1));
    assert_same(a, c);
    /* the journal records 2 attempts for items ending in 1 (high and low each failed once) */
    FILE *fp = fopen(path("t.jsonl"), "r");
    char line[8192];
    int three = 0, lines = 0;
    while (fgets(line, sizeof line, fp)) {
        lines++;
        if (strstr(line, "1\",\"repeat\"")) {
            ck_assert_ptr_nonnull(strstr(line, "\"attempts\":2"));
            three++;
        }
    }
    fclose(fp);
    ck_assert_int_gt(three, 0);
    ck_assert_int_eq(lines, 1 + (int)vs_bank_item_count(b));
    vs_runner_result_free(c);
    vs_runner_free(r1);
    vs_model_free(m1);

    /* permanent: counted, the run goes on */
    fake f2;
    memset(&f2, 0, sizeof f2);
    f2.permanent = 1;
    vs_model *m2 = fake_model(&f2);
    vs_runner *r2 = NULL;
    ck_assert_ok(vs_runner_create(&r2, b, m2, VS_RUNNER_JUDGE_LOGLIK, NULL));
    size_t n3 = 0;
    for (size_t i = 0; i < vs_bank_item_count(b); i++) {
        const char *id = vs_bank_item_id(b, i);
        if (id[strlen(id) - 1] == '3') n3++;
    }
    ck_assert_ok(vs_runner_run(&c, r2));
    ck_assert_uint_eq(vs_runner_result_failed(c), n3);
    ck_assert_uint_eq(vs_runner_result_done(c), vs_bank_item_count(b) - n3);
    /* the first failure: the first item (bank order) whose id ends in '3' */
    const char *fid = NULL, *fmsg = NULL;
    uint64_t frep = 99;
    int fst = 0;
    ck_assert_ok(vs_runner_result_first_failure(c, &fid, &frep, &fst, &fmsg));
    const char *want = NULL;
    for (size_t i = 0; i < vs_bank_item_count(b) && !want; i++) {
        const char *id = vs_bank_item_id(b, i);
        if (id[strlen(id) - 1] == '3') want = id;
    }
    ck_assert_str_eq(fid, want);
    ck_assert_uint_eq(frep, 0);
    ck_assert_int_eq(fst, VS_MODEL_ITEM_PERMANENT);
    ck_assert_str_eq(fmsg, "permanent failure reported by the loglikelihood callback");
    ck_assert_ok(vs_runner_result_first_failure(c, NULL, NULL, NULL, NULL));
    ck_assert_status(vs_runner_result_first_failure(NULL, &fid, NULL, NULL, NULL), VS_EINVAL);
    vs_runner_result_free(c);
    /* ... or stops: more than 2 failures allowed -> VS_EFAILED, journal keeps what finished */
    ck_assert_ok(vs_model_set_int(m2, VS_MODEL_OPT_MAX_FAILED, 2));
    ck_assert_ok(vs_runner_set_str(r2, VS_RUNNER_OPT_JOURNAL, path("stop.jsonl")));
    ck_assert_status(vs_runner_run(&c, r2), VS_EFAILED);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "VS_MODEL_OPT_MAX_FAILED"));
    vs_runner_result *mg = NULL;
    const char *pp[1] = {path("stop.jsonl")};
    ck_assert_ok(vs_runner_merge_journals(&mg, pp, 1));
    ck_assert_uint_eq(vs_runner_result_failed(mg), 3);
    ck_assert_ok(vs_runner_result_first_failure(mg, &fid, NULL, &fst, &fmsg)); /* read back from the journal */
    ck_assert_str_eq(fid, want);
    ck_assert_str_eq(fmsg, "permanent failure reported by the loglikelihood callback");
    vs_runner_result_free(mg);
    vs_runner_free(r2);
    vs_model_free(m2);
    vs_runner_result_free(a);
    vs_runner_free(r0);
    vs_model_free(m0);
    vs_bank_free(b);
}
END_TEST

/* ---- generate -> classify judge, with bad outputs */
static int gen_cb(void *ud, vs_model_batch *b, const vs_model_gen_request *const *req, size_t n, int *status) {
    (void)ud;
    for (size_t i = 0; i < n; i++) {
        const char *id = req[i]->id;
        char last = id[strlen(id) - 1];
        if (last == '2') continue; /* no text: bad output */
        if (last == '4') {
            vs_model_set_text(b, i, "bad \xff utf8", (size_t)-1); /* invalid UTF-8: bad output */
            continue;
        }
        char text[64];
        snprintf(text, sizeof text, "I would %s", (req[i]->seed & 1) ? "help" : "refuse");
        ck_assert_int_eq(vs_model_set_text(b, i, text, (size_t)-1), VS_OK);
        status[i] = VS_MODEL_ITEM_OK;
    }
    return 0;
}

static int cls_cb(void *ud, vs_model_batch *b, const vs_model_text_request *const *req, size_t n,
                  const char *const *labels, size_t nl, int *status) {
    (void)ud;
    (void)status;
    double p[64];
    for (size_t i = 0; i < n; i++) {
        const char *id = req[i]->id;
        if (id[strlen(id) - 1] == '5') {
            vs_model_set_vector(b, i, p, nl - 1); /* wrong length: bad output */
            continue;
        }
        for (size_t k = 0; k < nl; k++) p[k] = strstr(req[i]->text, "help") ? 0.9 : 0.1;
        vs_model_set_vector(b, i, p, nl);
    }
    (void)labels;
    return 0;
}

/* A server that is down: the run stops after the first 20 records (all failed alike) instead of
 * sending every request; the journal keeps them, and a resume once the server is back runs the
 * rest. A clean result has no first failure. */
START_TEST(t_same_failures_stop) {
    vs_bank *b = NULL;
    ck_assert_ok(vs_bank_builtin(&b, "valuelex"));
    fake f;
    memset(&f, 0, sizeof f);
    f.down = 1;
    vs_model *m = fake_model(&f);
    vs_runner *r = NULL;
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("down.jsonl")));
    ck_assert_status(vs_runner_run(&res, r), VS_EFAILED);
    ck_assert_ptr_null(res);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "stopped: the first 20 records all failed alike (permanent): "
                                                  "permanent failure reported by the loglikelihood callback: "
                                                  "connection refused"));
    int calls_when_down = f.calls;
    ck_assert_int_le(calls_when_down, 3); /* 20 items = 40 requests in batches of 16 */
    FILE *fp = fopen(path("down.jsonl"), "r");
    ck_assert_ptr_nonnull(fp);
    char line[8192];
    int lines = 0, refused = 0;
    while (fgets(line, sizeof line, fp)) {
        lines++;
        if (strstr(line, "callback: connection refused\"")) refused++;
    }
    fclose(fp);
    ck_assert_int_eq(lines, 21);
    ck_assert_int_eq(refused, 20);
    /* the server is back: resume runs everything (failed records again), nothing fails */
    f.down = 0;
    ck_assert_ok(vs_runner_resume(&res, r));
    ck_assert_uint_eq(vs_runner_result_done(res), vs_bank_item_count(b));
    ck_assert_uint_eq(vs_runner_result_failed(res), 0);
    ck_assert_status(vs_runner_result_first_failure(res, NULL, NULL, NULL, NULL), VS_ENOTFOUND);
    vs_runner_result_free(res);
    vs_runner_free(r);
    /* 0 = never: every record is tried */
    f.down = 1;
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 0));
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_run(&res, r));
    ck_assert_uint_eq(vs_runner_result_failed(res), vs_bank_item_count(b));
    vs_runner_result_free(res);
    vs_runner_free(r);
    vs_model_free(m);
    vs_bank_free(b);
}
END_TEST

START_TEST(t_classify_judge) {
    vs_model_callbacks cg = VS_MODEL_CALLBACKS_INIT, cc = VS_MODEL_CALLBACKS_INIT;
    cg.generate = gen_cb;
    cc.classify = cls_cb;
    vs_model *g = NULL, *c = NULL;
    ck_assert_ok(vs_model_create(&g, &cg, NULL));
    ck_assert_ok(vs_model_create(&c, &cc, NULL));
    vs_bank *b = bank();
    vs_runner *r = NULL;
    ck_assert_status(vs_runner_create(&r, b, g, VS_RUNNER_JUDGE_LOGLIK, NULL), VS_ESTATE);
    ck_assert_status(vs_runner_create(&r, b, g, VS_RUNNER_JUDGE_CLASSIFY, NULL), VS_EINVAL);
    ck_assert_ok(vs_runner_create(&r, b, g, VS_RUNNER_JUDGE_CLASSIFY, c));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 3));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("c.jsonl")));
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_run(&res, r));
    /* expected by hand: items ending in 2, 4 (generation) and 5 (judge) fail; others are valued
     * 1 when their seed is odd ("help" -> p = 0.9), whatever their keying */
    size_t bad = 0, ok = 0, ones = 0;
    for (size_t i = 0; i < vs_bank_item_count(b); i++) {
        const char *id = vs_bank_item_id(b, i);
        char last = id[strlen(id) - 1];
        for (uint64_t rep = 0; rep < 3; rep++) {
            if (last == '2' || last == '4' || last == '5') {
                bad++;
                continue;
            }
            ok++;
            if (vs_model_item_seed(0, id, rep) & 1) ones += vs_bank_item_dimension_count(b, i);
        }
    }
    ck_assert_uint_eq(vs_runner_result_failed(res), bad);
    ck_assert_uint_eq(vs_runner_result_done(res), ok);
    double sum = 0;
    uint64_t n = 0;
    for (size_t d = 0; d < vs_runner_result_dimension_count(res); d++) {
        vs_runner_score s = VS_RUNNER_SCORE_INIT;
        ck_assert_ok(vs_runner_result_score(&s, res, d));
        sum += s.score / 100.0 * (double)s.n;
        n += s.n;
    }
    ck_assert_near(sum, (double)ones, 1e-9);
    /* the journal has the bad outputs as clean per-item errors */
    FILE *fp = fopen(path("c.jsonl"), "r");
    char line[8192];
    int nbad = 0;
    while (fgets(line, sizeof line, fp))
        if (strstr(line, "\"status\":\"bad_output\"")) nbad++;
    fclose(fp);
    ck_assert_int_eq(nbad, (int)bad);
    vs_runner_result_free(res);
    vs_runner_free(r);
    vs_bank_free(b);
    vs_model_free(g);
    vs_model_free(c);
}
END_TEST

/* ---- three-way classify judge and rejudging */

/* A generator whose completion is one of five words chosen by the record's seed; it counts its
 * calls (a rejudge must make none). */
static const char *const WORDS[5] = {"help", "refuse", "weather", "tie", "shrug"};
static int gen_calls;

static int gen5_cb(void *ud, vs_model_batch *b, const vs_model_gen_request *const *req, size_t n, int *status) {
    (void)ud;
    gen_calls++;
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(vs_model_set_text(b, i, WORDS[req[i]->seed % 5], (size_t)-1), VS_OK);
        status[i] = VS_MODEL_ITEM_OK;
    }
    return 0;
}

/* Three-way answers per label triple (p_high, p_unrelated, p_low): help (0.7, 0.2, 0.1) high;
 * refuse (0.1, 0.2, 0.7) low; weather (0.3, 0.4, 0.3) unrelated; tie (0.4, 0.2, 0.4): high and
 * low tie, unrelated; shrug (0.45, 0.45, 0.1): high and unrelated tie, unrelated (a tie is never
 * high). The dimension named by `ud` (a key) is unrelated whatever the text. */
static int cls3_cb(void *ud, vs_model_batch *b, const vs_model_text_request *const *req, size_t n,
                   const char *const *labels, size_t nl, int *status) {
    (void)status;
    static const double P[5][3] = {{0.7, 0.2, 0.1}, {0.1, 0.2, 0.7}, {0.3, 0.4, 0.3}, {0.4, 0.2, 0.4}, {0.45, 0.45, 0.1}};
    const char *never = ud;
    double p[3 * 64];
    ck_assert_uint_eq(nl % 3, 0);
    for (size_t i = 0; i < n; i++) {
        size_t w = 0;
        while (w < 5 && strcmp(req[i]->text, WORDS[w]) != 0) w++;
        ck_assert_uint_lt(w, 5);
        for (size_t d = 0; d < nl / 3; d++) {
            size_t kl = strlen(labels[3 * d]) - strlen(VS_RUNNER_LABEL_HIGH);
            ck_assert_str_eq(labels[3 * d] + kl, VS_RUNNER_LABEL_HIGH);
            ck_assert_str_eq(labels[3 * d + 1] + kl, VS_RUNNER_LABEL_UNRELATED);
            ck_assert_str_eq(labels[3 * d + 2] + kl, VS_RUNNER_LABEL_LOW);
            int off = never && strlen(never) == kl && strncmp(labels[3 * d], never, kl) == 0;
            for (size_t c = 0; c < 3; c++) p[3 * d + c] = off ? (c == 1 ? 0.9 : 0.05) : P[w][c];
        }
        vs_model_set_vector(b, i, p, nl);
    }
    return 0;
}

/* The by-hand expectation of a three-way run over bank b (seed 0, R repeats): per reported
 * dimension, judgements n, related n_rel and high. */
static void expect3(const vs_bank *b, uint64_t R, const char *never, const vs_runner_result *res, uint64_t *n,
                    uint64_t *n_rel, uint64_t *high) {
    size_t nd = vs_runner_result_dimension_count(res);
    memset(n, 0, nd * sizeof *n);
    memset(n_rel, 0, nd * sizeof *n_rel);
    memset(high, 0, nd * sizeof *high);
    const vs_space *sp = vs_bank_space(b);
    for (size_t i = 0; i < vs_bank_item_count(b); i++)
        for (uint64_t rep = 0; rep < R; rep++) {
            uint64_t w = vs_model_item_seed(0, vs_bank_item_id(b, i), rep) % 5;
            for (size_t k = 0; k < vs_bank_item_dimension_count(b, i); k++) {
                const char *key = vs_space_key(sp, vs_bank_item_dimension(b, i, k));
                size_t d = 0;
                while (strcmp(vs_runner_result_dimension_key(res, d), key) != 0) d++;
                n[d]++;
                if (w >= 2 || (never && strcmp(key, never) == 0)) continue; /* unrelated */
                n_rel[d]++;
                high[d] += w == 0; /* the judge answers on the value: no flip for reverse keying */
            }
        }
}

/* Two-way: P(high) 0.9 for a text with "help", else 0.1. */
static int cls2_cb(void *ud, vs_model_batch *b, const vs_model_text_request *const *req, size_t n,
                   const char *const *labels, size_t nl, int *status) {
    (void)ud, (void)labels, (void)status;
    double p[64];
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < nl; k++) p[k] = strstr(req[i]->text, "help") ? 0.9 : 0.1;
        vs_model_set_vector(b, i, p, nl);
    }
    return 0;
}

static vs_model *cls3_model(const char *never) {
    vs_model_callbacks cc = VS_MODEL_CALLBACKS_INIT;
    cc.classify = cls3_cb;
    vs_model *c = NULL;
    ck_assert_ok(vs_model_create(&c, &cc, (void *)never));
    return c;
}

static vs_model *gen5_model(void) {
    vs_model_callbacks cg = VS_MODEL_CALLBACKS_INIT;
    cg.generate = gen5_cb;
    vs_model *g = NULL;
    ck_assert_ok(vs_model_create(&g, &cg, NULL));
    return g;
}

static vs_runner_result *run3(vs_bank *b, vs_model *g, vs_model *c, int k, int n, const char *journal) {
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create(&r, b, g, VS_RUNNER_JUDGE_CLASSIFY3, c));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 3));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_COUNT, n));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_INDEX, k));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JUDGE_ID, "three"));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, journal));
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_run(&res, r));
    vs_runner_free(r);
    return res;
}

START_TEST(t_classify3_judge) {
    vs_bank *b = bank();
    const char *never = vs_space_key(vs_bank_space(b), vs_bank_item_dimension(b, 0, 0));
    vs_model *g = gen5_model(), *c = cls3_model(never);
    vs_runner_result *res = run3(b, g, c, 0, 1, path("t3.jsonl"));
    size_t nd = vs_runner_result_dimension_count(res);
    uint64_t n[64], nr[64], hi[64];
    expect3(b, 3, never, res, n, nr, hi);
    ck_assert_uint_eq(vs_runner_result_done(res), 3 * vs_bank_item_count(b));
    uint64_t all = 0, related = 0;
    for (size_t d = 0; d < nd; d++) {
        vs_runner_score s = VS_RUNNER_SCORE_INIT;
        ck_assert_ok(vs_runner_result_score(&s, res, d));
        ck_assert_uint_eq(s.n, n[d]);
        ck_assert_uint_eq(s.n_related, nr[d]);
        ck_assert_double_eq(s.coverage, (double)nr[d] / (double)n[d]);
        all += n[d], related += nr[d];
        if (strcmp(vs_runner_result_dimension_key(res, d), never) == 0) {
            /* every judgement unrelated: no score, not 0, 50 or 100 */
            ck_assert_uint_eq(s.n_related, 0);
            ck_assert(isnan(s.score) && isnan(s.ci_low) && isnan(s.ci_high));
            ck_assert_double_eq(s.coverage, 0.0);
        } else {
            ck_assert_uint_gt(nr[d], 0);
            ck_assert_near(s.score, 100.0 * (double)hi[d] / (double)nr[d], 1e-12);
            ck_assert(s.ci_low <= s.score && s.score <= s.ci_high);
        }
        /* a caller built before n_related and coverage: the first five fields, the rest untouched */
        vs_runner_score old = VS_RUNNER_SCORE_INIT;
        old.struct_size = (uint32_t)offsetof(vs_runner_score, n_related);
        old.n_related = 77;
        ck_assert_ok(vs_runner_result_score(&old, res, d));
        ck_assert_uint_eq(old.n, s.n);
        ck_assert_int_eq(memcmp(&old.score, &s.score, sizeof s.score), 0);
        ck_assert_uint_eq(old.n_related, 77);
        old.struct_size = (uint32_t)offsetof(vs_runner_score, score);
        ck_assert_status(vs_runner_result_score(&old, res, d), VS_EINVAL);
    }
    ck_assert_uint_gt(all - related, related); /* 3 of 5 words are unrelated */
    /* the journal: header judge "classify3:three", nulls for unrelated, the probabilities */
    FILE *fp = fopen(path("t3.jsonl"), "r");
    char line[8192];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    ck_assert_ptr_nonnull(strstr(line, "\"judge\":\"classify3:three\""));
    int nulls = 0, probs = 0;
    while (fgets(line, sizeof line, fp)) {
        nulls += strstr(line, "\"judgements\":[null") != NULL;
        probs += strstr(line, "\"probabilities\":[[") != NULL;
    }
    fclose(fp);
    ck_assert_int_gt(nulls, 0);
    ck_assert_int_eq(probs, (int)(3 * vs_bank_item_count(b)));
    /* the journal alone gives the same result; so do three shards merged (bit for bit) */
    const char *one[1] = {path("t3.jsonl")};
    vs_runner_result *m = NULL;
    ck_assert_ok(vs_runner_merge_journals(&m, one, 1));
    assert_same(res, m);
    vs_runner_result_free(m);
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof name, "t3s%d.jsonl", k);
        vs_runner_result_free(run3(b, g, c, k, 3, path(name)));
    }
    const char *shards[3] = {path("t3s2.jsonl"), path("t3s0.jsonl"), path("t3s1.jsonl")};
    ck_assert_ok(vs_runner_merge_journals(&m, shards, 3));
    assert_same(res, m);
    vs_runner_result_free(m);
    vs_runner_result_free(res);
    vs_model_free(g);
    vs_model_free(c);
    vs_bank_free(b);
}
END_TEST

/* Writes `src` to `dst` with the first occurrence of `from` in its second line replaced by `to`. */
static void edit_record(const char *src, const char *dst, const char *from, const char *to) {
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    char line[8192];
    int k = 0;
    while (fgets(line, sizeof line, in)) {
        char *at = ++k == 2 ? strstr(line, from) : NULL;
        if (at) {
            *at = '\0';
            fprintf(out, "%s%s%s", line, to, at + strlen(from));
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    fclose(out);
}

/* Every judgement must follow from the recorded probabilities; records without probabilities
 * (journals written before they were recorded) are read as they are. */
START_TEST(t_journal_probabilities) {
    vs_bank *b = bank();
    vs_model *g = gen5_model(), *c = cls3_model(NULL);
    vs_runner_result_free(run3(b, g, c, 0, 1, path("p.jsonl")));
    FILE *fp = fopen(path("p.jsonl"), "r");
    char line[8192];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    fclose(fp);
    const char *one[1] = {path("q.jsonl")};
    vs_runner_result *m = NULL;
    const char *p = strstr(line, "\"probabilities\":[[");
    ck_assert_ptr_nonnull(p);
    /* a changed probability that changes the outcome: refused, naming the line */
    edit_record(path("p.jsonl"), path("q.jsonl"), "\"probabilities\":[[", "\"probabilities\":[[0.99,0,0],[");
    ck_assert_status(vs_runner_merge_journals(&m, one, 1), VS_EPARSE);
    ck_assert_ptr_null(m);
    edit_record(path("p.jsonl"), path("q.jsonl"), "\"probabilities\":[[", "\"probabilities\":[[0.1,0.8,0.1],[0.1,0.8,0.1],[");
    ck_assert_status(vs_runner_merge_journals(&m, one, 1), VS_EPARSE);
    /* no probabilities: the judgements as written */
    char judg[64];
    snprintf(judg, sizeof judg, "%.*s", (int)(strchr(strstr(line, "\"judgements\":"), ']') + 1 - strstr(line, "\"judgements\":")),
             strstr(line, "\"judgements\":"));
    char *end = strchr(strstr(line, "\"probabilities\":"), '}');
    char probs[512];
    snprintf(probs, sizeof probs, "%.*s", (int)(end - strstr(line, ",\"probabilities\":")), strstr(line, ",\"probabilities\":"));
    edit_record(path("p.jsonl"), path("q.jsonl"), probs, "");
    ck_assert_ok(vs_runner_merge_journals(&m, one, 1));
    vs_runner_result *ref = NULL;
    const char *orig[1] = {path("p.jsonl")};
    ck_assert_ok(vs_runner_merge_journals(&ref, orig, 1));
    assert_same(ref, m);
    vs_runner_result_free(m);
    vs_runner_result_free(ref);
    /* a judgement that is neither a number in [0, 1] nor null */
    edit_record(path("p.jsonl"), path("q.jsonl"), "\"judgements\":[", "\"judgements\":[\"x\",");
    ck_assert_status(vs_runner_merge_journals(&m, one, 1), VS_EPARSE);
    vs_model_free(g);
    vs_model_free(c);
    vs_bank_free(b);
}
END_TEST

/* Rejudging: with the same judge the scores are bit-identical and the generator is never called;
 * with another judge (the two-way one here) it is the by-hand result of that judge; sources that
 * cannot be rejudged are refused; failed source records fail again; a rejudge resumes and
 * shards like a run. */
START_TEST(t_rejudge) {
    vs_bank *b = bank();
    vs_model *g = gen5_model(), *c = cls3_model(NULL);
    vs_runner_result *res = run3(b, g, c, 0, 1, path("src.jsonl"));
    int calls = gen_calls;
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create_rejudge(&r, path("src.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY3, c));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JUDGE_ID, "three"));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("re.jsonl")));
    vs_runner_result *re = NULL;
    ck_assert_ok(vs_runner_run(&re, r));
    vs_runner_free(r);
    ck_assert_int_eq(gen_calls, calls);
    assert_same(res, re);
    vs_runner_result_free(re);
    char *model = NULL;
    ck_assert_ok(vs_runner_journal_field(&model, path("re.jsonl"), "model"));
    char want[512];
    snprintf(want, sizeof want, "rejudge source=%s", path("src.jsonl"));
    ck_assert_str_eq(model, want);
    vs_free(model);
    /* another judge: the two-way cls2_cb answers p = 0.1 for every word but "help" (0.9) */
    vs_model_callbacks cc = VS_MODEL_CALLBACKS_INIT;
    cc.classify = cls2_cb;
    vs_model *c2 = NULL;
    ck_assert_ok(vs_model_create(&c2, &cc, NULL));
    ck_assert_ok(vs_runner_create_rejudge(&r, path("src.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY, c2));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("re2.jsonl")));
    ck_assert_ok(vs_runner_run(&re, r));
    vs_runner_free(r);
    ck_assert_int_eq(gen_calls, calls);
    uint64_t n[64], nr[64], hi[64];
    expect3(b, 3, NULL, res, n, nr, hi);
    for (size_t d = 0; d < vs_runner_result_dimension_count(re); d++) {
        vs_runner_score s = VS_RUNNER_SCORE_INIT;
        ck_assert_ok(vs_runner_result_score(&s, re, d));
        ck_assert_uint_eq(s.n, n[d]);
        ck_assert_uint_eq(s.n_related, n[d]); /* two-way: never 0.5 here, all related */
        ck_assert_near(s.score, 100.0 * (double)hi[d] / (double)n[d], 1e-12);
    }
    vs_runner_result_free(re);
    /* shards of the rejudge merged = the rejudge; a rejudge cut short and resumed = the rejudge */
    for (int k = 0; k < 2; k++) {
        char name[32];
        snprintf(name, sizeof name, "re_s%d.jsonl", k);
        ck_assert_ok(vs_runner_create_rejudge(&r, path("src.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY3, c));
        ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_COUNT, 2));
        ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_INDEX, k));
        ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path(name)));
        ck_assert_ok(vs_runner_run(&re, r));
        vs_runner_result_free(re);
        vs_runner_free(r);
    }
    const char *shards[2] = {path("re_s0.jsonl"), path("re_s1.jsonl")};
    ck_assert_ok(vs_runner_merge_journals(&re, shards, 2));
    assert_same(res, re);
    vs_runner_result_free(re);
    {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "head -n 30 '%s' > '%s'", path("re.jsonl"), path("cut.jsonl"));
        ck_assert_int_eq(system(cmd), 0);
    }
    ck_assert_ok(vs_runner_create_rejudge(&r, path("src.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY3, c));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JUDGE_ID, "three"));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("cut.jsonl")));
    ck_assert_ok(vs_runner_resume(&re, r));
    vs_runner_free(r);
    assert_same(res, re);
    vs_runner_result_free(re);
    ck_assert_int_eq(gen_calls, calls);

    /* refused: a loglik journal, another bank, another judge kind, NULL */
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *fm = fake_model(&f);
    ck_assert_ok(vs_runner_create(&r, b, fm, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("ll.jsonl")));
    ck_assert_ok(vs_runner_run(&re, r));
    vs_runner_result_free(re);
    vs_runner_free(r);
    r = (vs_runner *)&f;
    ck_assert_status(vs_runner_create_rejudge(&r, path("ll.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY3, c), VS_EMISMATCH);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "loglik judge"));
    vs_bank *other = NULL;
    ck_assert_ok(vs_bank_builtin(&other, "schwartz10"));
    ck_assert_status(vs_runner_create_rejudge(&r, path("src.jsonl"), other, VS_RUNNER_JUDGE_CLASSIFY3, c), VS_EMISMATCH);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "another bank"));
    vs_bank_free(other);
    ck_assert_status(vs_runner_create_rejudge(&r, path("src.jsonl"), b, VS_RUNNER_JUDGE_LOGLIK, NULL), VS_EINVAL);
    ck_assert_status(vs_runner_create_rejudge(&r, path("src.jsonl"), b, VS_RUNNER_JUDGE_LOGLIK, c), VS_EINVAL);
    ck_assert_status(vs_runner_create_rejudge(&r, NULL, b, VS_RUNNER_JUDGE_CLASSIFY3, c), VS_EINVAL);
    ck_assert_status(vs_runner_create_rejudge(&r, path("none.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY3, c), VS_ENOTFOUND);
    ck_assert_ptr_null(r);
    vs_model_free(fm);

    /* a source whose records failed: they fail again, with the reason */
    vs_model_callbacks cg = VS_MODEL_CALLBACKS_INIT;
    cg.generate = gen_cb; /* items ending in 2 and 4 give bad outputs (cls2_cb judges the rest) */
    vs_model *g2 = NULL;
    ck_assert_ok(vs_model_create(&g2, &cg, NULL));
    ck_assert_ok(vs_runner_create(&r, b, g2, VS_RUNNER_JUDGE_CLASSIFY, c2));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("bad.jsonl")));
    ck_assert_ok(vs_runner_run(&re, r));
    vs_runner_free(r);
    uint64_t failed_src = vs_runner_result_failed(re);
    vs_runner_result_free(re);
    ck_assert_uint_gt(failed_src, 0);
    ck_assert_ok(vs_runner_create_rejudge(&r, path("bad.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY, c2));
    ck_assert_ok(vs_runner_run(&re, r));
    vs_runner_free(r);
    ck_assert_uint_eq(vs_runner_result_failed(re), failed_src);
    const char *msg = NULL;
    ck_assert_ok(vs_runner_result_first_failure(re, NULL, NULL, NULL, &msg));
    ck_assert_ptr_nonnull(strstr(msg, "rejudge: the record in"));
    ck_assert_ptr_nonnull(strstr(msg, "failed (bad_output)"));
    vs_runner_result_free(re);
    vs_model_free(g2);
    vs_model_free(c2);
    vs_runner_result_free(res);
    vs_model_free(g);
    vs_model_free(c);
    vs_bank_free(b);
}
END_TEST

/* ---- the choice judge */

/* Answers by parsing the prompt: the letter of the shorter option (of the first on equal
 * lengths), written in several accepted forms; items whose id ends in '7' answer "C" (malformed);
 * with `always_a` every answer is " a) ". Checks the prompt is VS_RUNNER_CHOICE_PROMPT. */
typedef struct chooser {
    int always_a;
} chooser;

static int choose_cb(void *ud, vs_model_batch *b, const vs_model_gen_request *const *req, size_t n, int *status) {
    const chooser *c = ud;
    for (size_t i = 0; i < n; i++) {
        const char *p = req[i]->prompt, *a = strstr(p, "\nA) "), *bb = strstr(p, "\nB) "), *end = strstr(p, "\nAnswer:");
        ck_assert(a && bb && end && strncmp(p, "Which continuation of the sentence", 34) == 0);
        size_t la = (size_t)(bb - a) - 4, lb = (size_t)(end - bb) - 4;
        const char *id = req[i]->id;
        const char *ans = id[strlen(id) - 1] == '7' ? "C" : c->always_a ? " a) " : la <= lb ? "A" : "B.\n";
        ck_assert_int_eq(vs_model_set_text(b, i, ans, (size_t)-1), VS_OK);
        status[i] = VS_MODEL_ITEM_OK;
    }
    return 0;
}

START_TEST(t_choice_judge) {
    vs_bank *b = bank();
    chooser ch = {0};
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.generate = choose_cb;
    vs_model *m = NULL;
    ck_assert_ok(vs_model_create(&m, &cb, &ch));
    vs_runner *r = NULL;
    ck_assert_status(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_CHOICE, m), VS_EINVAL);
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_CHOICE, NULL));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 2));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("ch.jsonl")));
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_run(&res, r));
    /* by hand: the shorter continuation is chosen (the high one on equal lengths), so the keyed
     * judgement is [len(high) <= len(low)], whatever the order; '7' items fail */
    uint64_t failed = 0, done = 0, first = 0, answers = 0;
    double sum[64] = {0};
    uint64_t cnt[64] = {0};
    for (size_t i = 0; i < vs_bank_item_count(b); i++) {
        const char *id = vs_bank_item_id(b, i);
        for (uint64_t rep = 0; rep < 2; rep++) {
            if (id[strlen(id) - 1] == '7') {
                failed++;
                continue;
            }
            done++;
            int high_first = (vs_model_item_seed(UINT64_C(0x63686f696365), id, rep) & 1) == 0;
            size_t lh = strlen(vs_bank_item_high(b, i)), ll = strlen(vs_bank_item_low(b, i));
            size_t la = high_first ? lh : ll, lb = high_first ? ll : lh;
            int chose_a = la <= lb;
            int chose_high = chose_a == high_first;
            first += chose_a;
            answers++;
            double v = vs_bank_item_reverse(b, i) ? 1.0 - chose_high : chose_high;
            for (size_t k = 0; k < vs_bank_item_dimension_count(b, i); k++) {
                const char *key = vs_space_key(vs_bank_space(b), vs_bank_item_dimension(b, i, k));
                size_t d = 0;
                while (strcmp(vs_runner_result_dimension_key(res, d), key) != 0) d++;
                sum[d] += v;
                cnt[d]++;
            }
        }
    }
    ck_assert_uint_eq(vs_runner_result_done(res), done);
    ck_assert_uint_eq(vs_runner_result_failed(res), failed);
    ck_assert_uint_gt(failed, 0);
    uint64_t pf = 0, pa = 0;
    ck_assert_ok(vs_runner_result_position(res, &pf, &pa));
    ck_assert_uint_eq(pf, first);
    ck_assert_uint_eq(pa, answers);
    for (size_t d = 0; d < vs_runner_result_dimension_count(res); d++) {
        vs_runner_score sc = VS_RUNNER_SCORE_INIT;
        ck_assert_ok(vs_runner_result_score(&sc, res, d));
        ck_assert_uint_eq(sc.n, cnt[d]);
        ck_assert_uint_eq(sc.n_related, cnt[d]);
        ck_assert_near(sc.score, 100.0 * sum[d] / (double)cnt[d], 1e-12);
    }
    const char *item = NULL, *msg = NULL;
    ck_assert_ok(vs_runner_result_first_failure(res, &item, NULL, NULL, &msg));
    ck_assert_str_eq(msg, "choice: the answer is not the letter A or B: \"C\"");
    /* the journal: the order, the answer as completion; it merges to the same result */
    FILE *fp = fopen(path("ch.jsonl"), "r");
    char line[8192];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    ck_assert_ptr_nonnull(strstr(line, "\"judge\":\"choice\""));
    int bad = 0;
    while (fgets(line, sizeof line, fp)) {
        ck_assert(strstr(line, "\"first\":\"high\"") || strstr(line, "\"first\":\"low\""));
        bad += strstr(line, "\"status\":\"bad_output\"") && strstr(line, "\"completion\":\"C\"");
    }
    fclose(fp);
    ck_assert_int_eq(bad, (int)failed);
    const char *one[1] = {path("ch.jsonl")};
    vs_runner_result *mres = NULL;
    ck_assert_ok(vs_runner_merge_journals(&mres, one, 1));
    assert_same(res, mres);
    ck_assert_ok(vs_runner_result_position(mres, &pf, &pa));
    ck_assert_uint_eq(pf, first);
    ck_assert_uint_eq(pa, answers);
    vs_runner_result_free(mres);
    vs_runner_result_free(res);
    /* a model that always answers A: every answer is the first option */
    vs_runner_free(r);
    ch.always_a = 1;
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_CHOICE, NULL));
    ck_assert_ok(vs_runner_run(&res, r));
    ck_assert_ok(vs_runner_result_position(res, &pf, &pa));
    ck_assert_uint_eq(pf, pa);
    ck_assert_uint_eq(pa, vs_runner_result_done(res));
    ck_assert_status(vs_runner_result_position(NULL, &pf, &pa), VS_EINVAL);
    vs_runner_result_free(res);
    vs_runner_free(r);
    /* a choice journal cannot be rejudged: its completions are letters */
    vs_model *c3 = cls3_model(NULL);
    ck_assert_status(vs_runner_create_rejudge(&r, path("ch.jsonl"), b, VS_RUNNER_JUDGE_CLASSIFY3, c3), VS_EMISMATCH);
    vs_model_free(c3);
    vs_model_free(m);
    vs_bank_free(b);
}
END_TEST

/* header mismatch on resume, torn last line, journal exists */
/* A header "judge" other than "loglik" or "classify:ID" is refused by every reader (it was read
 * past its end as a classify judge's id: a heap-buffer-overflow for values shorter than 9 bytes). */
START_TEST(t_header_judge) {
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_bank *b = bank();
    vs_runner *r = NULL;
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("good.jsonl")));
    ck_assert_ok(vs_runner_run(&res, r));
    vs_runner_result_free(res);
    vs_runner_free(r);
    FILE *fp = fopen(path("good.jsonl"), "r");
    char header[8192];
    ck_assert_ptr_nonnull(fgets(header, sizeof header, fp));
    fclose(fp);
    char *at = strstr(header, "\"judge\":\"loglik\"");
    ck_assert_ptr_nonnull(at);
    const char *bad[] = {"", "x", "loolik", "classify", "classifyX:a", "LOGLIK"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char line[8300];
        snprintf(line, sizeof line, "%.*s\"judge\":\"%s\"%s", (int)(at - header), header, bad[k],
                 at + strlen("\"judge\":\"loglik\""));
        const char *p = path("bad.jsonl");
        fp = fopen(p, "w");
        fputs(line, fp);
        fclose(fp);
        vs_runner *r2 = (vs_runner *)&f; /* must be reset to NULL */
        ck_assert_status(vs_runner_create_from_journal(&r2, p, b, m, m), VS_EPARSE);
        ck_assert_ptr_null(r2);
        ck_assert_ptr_nonnull(strstr(vs_last_error(), "\"judge\" must be \"loglik\", \"choice\", \"classify:ID\" or \"classify3:ID\""));
        ck_assert_status(vs_runner_create_from_journal(&r2, p, b, m, NULL), VS_EPARSE);
        const char *paths[1] = {p};
        ck_assert_status(vs_runner_merge_journals(&res, paths, 1), VS_EPARSE);
        char *v = NULL;
        ck_assert_status(vs_runner_journal_field(&v, p, "judge"), VS_EPARSE);
        ck_assert_ptr_null(v);
    }
    vs_bank_free(b);
    vs_model_free(m);
}
END_TEST

START_TEST(t_journal_rules) {
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_bank *b = bank();
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("j.jsonl")));
    vs_runner_result *a = NULL, *c = NULL;
    ck_assert_ok(vs_runner_run(&a, r));
    ck_assert_status(vs_runner_run(&c, r), VS_ESTATE);
    /* resume of a finished journal: nothing to do, same result */
    int calls = f.calls;
    ck_assert_ok(vs_runner_resume(&c, r));
    ck_assert_int_eq(f.calls, calls);
    assert_same(a, c);
    vs_runner_result_free(c);
    /* torn last line: appended garbage without newline is cut off */
    FILE *fp = fopen(path("j.jsonl"), "a");
    fputs("{\"item\":\"vlx-", fp);
    fclose(fp);
    ck_assert_ok(vs_runner_resume(&c, r));
    assert_same(a, c);
    vs_runner_result_free(c);
    fp = fopen(path("j.jsonl"), "r");
    fseek(fp, -1, SEEK_END);
    ck_assert_int_eq(fgetc(fp), '\n');
    fclose(fp);
    /* another seed: VS_EMISMATCH naming the field */
    ck_assert_ok(vs_runner_set_seed(r, 7));
    ck_assert_status(vs_runner_resume(&c, r), VS_EMISMATCH);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "seed"));
    ck_assert_ptr_null(c);
    /* from the journal: the header's configuration */
    vs_runner *r2 = NULL;
    ck_assert_ok(vs_runner_create_from_journal(&r2, path("j.jsonl"), b, m, NULL));
    ck_assert_ok(vs_runner_resume(&c, r2));
    assert_same(a, c);
    char *field = NULL;
    ck_assert_ok(vs_runner_journal_field(&field, path("j.jsonl"), "judge"));
    ck_assert_str_eq(field, "loglik");
    vs_free(field);
    ck_assert_status(vs_runner_journal_field(&field, path("j.jsonl"), "nope"), VS_ENOTFOUND);
    /* a bad record in the middle is a parse error naming the line */
    fp = fopen(path("bad.jsonl"), "w");
    FILE *in = fopen(path("j.jsonl"), "r");
    char line[8192];
    int k = 0;
    while (fgets(line, sizeof line, in)) {
        if (++k == 3) fputs("{\"item\":\"x\"}\n", fp);
        fputs(line, fp);
    }
    fclose(in);
    fclose(fp);
    const char *pp[1] = {path("bad.jsonl")};
    vs_runner_result *mg = NULL;
    ck_assert_status(vs_runner_merge_journals(&mg, pp, 1), VS_EPARSE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), ":3:"));
    vs_runner_result_free(c);
    vs_runner_result_free(a);
    vs_runner_free(r2);
    vs_runner_free(r);
    vs_bank_free(b);
    vs_model_free(m);
}
END_TEST

#ifdef VS_HAVE_NGRAM_BACKEND
static vs_model *ngram(int batch) {
    vs_model *m = NULL;
    ck_assert_ok(vs_ngram_backend_model(&m, NULL));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, batch));
    return m;
}

static vs_runner_result *ngram_run(vs_model *m, vs_bank *b, int k, int n, const char *journal) {
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 2));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_INDEX, k));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_COUNT, n));
    ck_assert_ok(vs_runner_set_seed(r, 42));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, "ngram"));
    if (journal) ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, journal));
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_run(&res, r));
    vs_runner_free(r);
    return res;
}

START_TEST(t_ngram_batch_shards) {
    vs_bank *b = bank();
    vs_model *m1 = ngram(1), *m7 = ngram(7), *m64 = ngram(64);
    vs_runner_result *a = ngram_run(m1, b, 0, 1, path("one.jsonl"));
    vs_runner_result *c = ngram_run(m7, b, 0, 1, NULL);
    vs_runner_result *d = ngram_run(m64, b, 0, 1, NULL);
    assert_same(a, c);
    assert_same(a, d);
    ck_assert_uint_eq(vs_runner_result_done(a), 2 * vs_bank_item_count(b));
    /* three shards, merged by journals and by serialised accumulators */
    vs_runner_result *s[3];
    const char *names[3] = {path("s0.jsonl"), path("s1.jsonl"), path("s2.jsonl")};
    for (int k = 0; k < 3; k++) s[k] = ngram_run(m7, b, k, 3, names[k]);
    const char *order[3] = {names[2], names[0], names[1]};
    vs_runner_result *mg = NULL;
    ck_assert_ok(vs_runner_merge_journals(&mg, order, 3));
    assert_same(a, mg);
    vs_runner_result_free(mg);
    const char *one[1] = {path("one.jsonl")};
    ck_assert_ok(vs_runner_merge_journals(&mg, one, 1));
    assert_same(a, mg);
    vs_runner_result_free(mg);
    vs_accum *acc = NULL;
    ck_assert_ok(vs_accum_clone(&acc, vs_runner_result_accum(s[1])));
    ck_assert_ok(vs_accum_merge(acc, vs_runner_result_accum(s[0])));
    ck_assert_ok(vs_accum_merge(acc, vs_runner_result_accum(s[2])));
    assert_same_acc(acc, vs_runner_result_accum(a));
    vs_accum_free(acc);
    /* the same shard twice, or shards of another N */
    const char *twice[2] = {names[0], names[0]};
    ck_assert_status(vs_runner_merge_journals(&mg, twice, 2), VS_EDUPLICATE);
    const char *mixed[2] = {names[0], path("one.jsonl")};
    ck_assert_status(vs_runner_merge_journals(&mg, mixed, 2), VS_EMISMATCH);
    for (int k = 0; k < 3; k++) vs_runner_result_free(s[k]);
    vs_runner_result_free(a);
    vs_runner_result_free(c);
    vs_runner_result_free(d);
    vs_model_free(m1);
    vs_model_free(m7);
    vs_model_free(m64);
    vs_bank_free(b);
}
END_TEST

/* Kills the run once `*ud` records are journalled. The pause before each model call lets the
 * journal writer's hand-off interval (1 ms) pass, so records reach the journal call by call, as
 * with a model slower than the trigram one. */
static int kill_after(void *ud, uint64_t done, uint64_t total) {
    (void)total;
    if (done >= *(uint64_t *)ud) raise(SIGKILL);
    struct timespec pause = {0, 2000000};
    nanosleep(&pause, NULL);
    return 0;
}

START_TEST(t_ngram_kill_resume) {
    vs_bank *b = bank();
    vs_model *m = ngram(5);
    vs_runner_result *a = ngram_run(m, b, 0, 1, NULL);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        uint64_t n = 100;
        vs_runner *r = NULL;
        if (vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL) != VS_OK) _exit(3);
        vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 2);
        vs_runner_set_seed(r, 42);
        vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, "ngram");
        vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path("k.jsonl"));
        vs_runner_set_progress(r, kill_after, &n);
        vs_runner_result *res = NULL;
        vs_runner_run(&res, r);
        _exit(4); /* not reached */
    }
    int st = 0;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    /* the journal holds at least 100 records (the header + them), fewer than all */
    FILE *fp = fopen(path("k.jsonl"), "r");
    char line[8192];
    int lines = 0;
    while (fgets(line, sizeof line, fp)) lines++;
    fclose(fp);
    ck_assert_int_ge(lines, 101);
    ck_assert_int_lt(lines, 1 + 2 * (int)vs_bank_item_count(b));
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create_from_journal(&r, path("k.jsonl"), b, m, NULL));
    vs_runner_result *c = NULL;
    ck_assert_ok(vs_runner_resume(&c, r));
    assert_same(a, c);
    vs_runner_result_free(c);
    vs_runner_free(r);
    vs_runner_result_free(a);
    vs_model_free(m);
    vs_bank_free(b);
}
END_TEST
#endif

START_TEST(t_bad_args) {
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_bank *b = bank();
    vs_runner *r = NULL;
    ck_assert_status(vs_runner_create(&r, NULL, m, VS_RUNNER_JUDGE_LOGLIK, NULL), VS_EINVAL);
    ck_assert_status(vs_runner_create(&r, b, m, 9, NULL), VS_EINVAL);
    ck_assert_status(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, m), VS_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_status(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 0), VS_ERANGE);
    ck_assert_status(vs_runner_set_int(r, VS_RUNNER_OPT_TEMPERATURE, 1), VS_EINVAL);
    ck_assert_status(vs_runner_set_double(r, VS_RUNNER_OPT_TEMPERATURE, NAN), VS_EINVAL);
    ck_assert_status(vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, "\xff"), VS_EUTF8);
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_INDEX, 3));
    vs_runner_result *res = NULL;
    ck_assert_status(vs_runner_run(&res, r), VS_ERANGE);
    ck_assert_ptr_null(res);
    ck_assert_status(vs_runner_resume(&res, r), VS_ERANGE);
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_INDEX, 0));
    ck_assert_status(vs_runner_resume(&res, r), VS_EINVAL); /* no journal */
    const char *none[1] = {path("missing.jsonl")};
    ck_assert_status(vs_runner_merge_journals(&res, none, 1), VS_ENOTFOUND);
    ck_assert_status(vs_runner_merge_journals(&res, none, 0), VS_EINVAL);
    vs_runner_score s = VS_RUNNER_SCORE_INIT;
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPLICATES, 0));
    ck_assert_ok(vs_runner_run(&res, r));
    ck_assert_ok(vs_runner_result_score(&s, res, 0));
    ck_assert(isnan(s.ci_low) && isnan(s.ci_high) && !isnan(s.score));
    ck_assert_status(vs_runner_result_score(&s, res, 99), VS_ERANGE);
    s.struct_size = 4;
    ck_assert_status(vs_runner_result_score(&s, res, 0), VS_EINVAL);
    vs_runner_result_free(res);
    vs_runner_free(r);
    vs_runner_free(NULL);
    vs_runner_result_free(NULL);
    vs_bank_free(b);
    vs_model_free(m);
}
END_TEST


/* A journal line over VS_RUNNER_MAX_LINE_BYTES: VS_ELIMIT with path:line, refused before it is held
 * in memory (the journal is read in blocks); over-long as a torn last line, it is left out. A
 * header-only read (vs_runner_journal_field, vs_runner_create_from_journal,
 * vs_runner_journal_header_read) never reads the records. */
START_TEST(t_line_limit) {
    const char *head = path("head.jsonl"), *lng = path("long.jsonl");
    {
        fake f;
        memset(&f, 0, sizeof f);
        vs_model *m = fake_model(&f);
        vs_bank *b = bank();
        vs_runner *r = NULL;
        vs_runner_result *res = NULL;
        ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
        ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, head));
        ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPLICATES, 0));
        ck_assert_ok(vs_runner_run(&res, r));
        vs_runner_result_free(res);
        vs_runner_free(r);
        vs_bank_free(b);
        vs_model_free(m);
    }
    char header[4096];
    FILE *fp = fopen(head, "rb");
    ck_assert_ptr_nonnull(fgets(header, sizeof header, fp));
    fclose(fp);
    ck_assert_ptr_nonnull(strchr(header, '\n'));
    vs_test_write_long_line(lng, header, (size_t)VS_RUNNER_MAX_LINE_BYTES + 1, 1);
    char want[600];
    snprintf(want, sizeof want, "%s:2: a line longer than %u bytes", lng, VS_RUNNER_MAX_LINE_BYTES);
    vs_test_alloc_install(); /* counts live and peak bytes */
    vs_runner_result *res = NULL;
    const char *one[1] = {lng};
    ck_assert_status(vs_runner_merge_journals(&res, one, 1), VS_ELIMIT);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), want));
    ck_assert_ptr_null(res);
    /* at most the limit and a block or so: a whole-file read would hold all of the file */
    ck_assert_uint_lt(vs_test_alloc_peak_bytes(), (size_t)VS_RUNNER_MAX_LINE_BYTES + (1u << 20));
    ck_assert_uint_eq(vs_test_alloc_live_bytes(), 0);
    /* the header alone: the records are not read */
    char *field = NULL;
    vs_test_alloc_reset_peak();
    ck_assert_ok(vs_runner_journal_field(&field, lng, "bank"));
    ck_assert_str_eq(field, "valuelex");
    vs_free(field);
    ck_assert_uint_lt(vs_test_alloc_peak_bytes(), 1u << 20);
    ck_assert_ok(vs_set_allocator(NULL));
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_bank *b = bank();
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create_from_journal(&r, lng, b, m, NULL));
    ck_assert_status(vs_runner_resume(&res, r), VS_ELIMIT);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), want));
    vs_runner_free(r);
    vs_runner_journal_header *h = NULL;
    ck_assert_ok(vs_runner_journal_header_read(&h, lng));
    ck_assert_str_eq(vs_runner_journal_header_field(h, "judge"), "loglik");
    ck_assert_str_eq(vs_runner_journal_header_field(h, "shard"), "0/1");
    ck_assert_ptr_null(vs_runner_journal_header_field(h, "replicates")); /* not a string field */
    vs_runner_journal_header_free(h);
    /* the same line without its newline, last: a torn line, left out */
    ck_assert_int_eq(truncate(lng, (off_t)(strlen(header) + VS_RUNNER_MAX_LINE_BYTES + 1)), 0);
    ck_assert_ok(vs_runner_merge_journals(&res, one, 1));
    ck_assert_uint_eq(vs_runner_result_done(res), 0);
    vs_runner_result_free(res);
    /* exactly at the limit: read (and refused as JSON, on its line) */
    vs_test_write_long_line(lng, header, (size_t)VS_RUNNER_MAX_LINE_BYTES, 1);
    ck_assert_status(vs_runner_merge_journals(&res, one, 1), VS_EPARSE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "line 2"));
    vs_bank_free(b);
    vs_model_free(m);
}
END_TEST

/* Resuming with one read of the header and one of the records: vs_runner_journal_header_read,
 * its fields, vs_runner_create_from_header, vs_runner_resume (what `projective resume` does). */
START_TEST(t_header_once) {
    fake f;
    memset(&f, 0, sizeof f);
    vs_model *m = fake_model(&f);
    vs_bank *b = bank();
    vs_runner *r = NULL;
    vs_runner_result *a = NULL, *c = NULL;
    const char *j = path("h.jsonl");
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, j));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, "fake 1"));
    ck_assert_ok(vs_runner_set_seed(r, 12345678901234ull));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 2));
    ck_assert_ok(vs_runner_run(&a, r));
    vs_runner_free(r);
    /* cut the journal after its 40th record, mid-line */
    char *text = NULL;
    size_t len = 0;
    {
        FILE *fp = fopen(j, "rb");
        fseek(fp, 0, SEEK_END);
        len = (size_t)ftell(fp);
        rewind(fp);
        text = malloc(len + 1);
        ck_assert_uint_eq(fread(text, 1, len, fp), len);
        fclose(fp);
    }
    size_t cut = 0;
    for (int nl = 0; nl < 41; cut++) nl += text[cut] == '\n';
    FILE *fp = fopen(j, "wb");
    fwrite(text, 1, cut + 10, fp);
    fclose(fp);
    free(text);
    vs_runner_journal_header *h = NULL;
    ck_assert_status(vs_runner_journal_header_read(&h, NULL), VS_EINVAL);
    ck_assert_status(vs_runner_journal_header_read(&h, path("none.jsonl")), VS_ENOTFOUND);
    ck_assert_ptr_null(h);
    ck_assert_ok(vs_runner_journal_header_read(&h, j));
    ck_assert_str_eq(vs_runner_journal_header_field(h, "model"), "fake 1");
    ck_assert_str_eq(vs_runner_journal_header_field(h, "seed"), "12345678901234");
    ck_assert_str_eq(vs_runner_journal_header_field(h, "bank_ref"), "valuelex");
    ck_assert_ptr_null(vs_runner_journal_header_field(h, "nope"));
    ck_assert_ptr_null(vs_runner_journal_header_field(NULL, "bank"));
    ck_assert_status(vs_runner_create_from_header(&r, h, b, m, m), VS_EMISMATCH);
    ck_assert_status(vs_runner_create_from_header(&r, NULL, b, m, NULL), VS_EINVAL);
    ck_assert_ok(vs_runner_create_from_header(&r, h, b, m, NULL));
    vs_runner_journal_header_free(h);
    vs_runner_journal_header_free(NULL);
    int64_t reps = 0;
    ck_assert_ok(vs_runner_get_int(&reps, r, VS_RUNNER_OPT_REPEATS));
    ck_assert_int_eq(reps, 2);
    ck_assert_ok(vs_runner_resume(&c, r));
    assert_same(a, c);
    vs_runner_result_free(a);
    vs_runner_result_free(c);
    vs_runner_free(r);
    vs_bank_free(b);
    vs_model_free(m);
}
END_TEST

/* allocation failures: every one is VS_ENOMEM with nothing leaked */
START_TEST(t_alloc) {
    fake f;
    memset(&f, 0, sizeof f);
    vs_bank *b = bank();
    int under_vg = getenv("VS_TEST_UNDER_VALGRIND") != NULL;
    for (long n = 1;; n += under_vg ? 7 : 1) {
        vs_test_alloc_install();
        vs_test_alloc_fail_at(n);
        /* the model too: it keeps its batch buffers from one run to the next */
        vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
        cb.loglikelihood = fake_loglik;
        vs_model *m = NULL;
        vs_runner *r = NULL;
        vs_runner_result *res = NULL;
        int rc = vs_model_create(&m, &cb, &f);
        if (rc == VS_OK) rc = vs_model_set_sleep(m, no_sleep, NULL);
        if (rc == VS_OK) rc = vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL);
        if (rc == VS_OK) rc = vs_runner_set_int(r, VS_RUNNER_OPT_REPLICATES, 10);
        if (rc == VS_OK) rc = vs_runner_run(&res, r);
        int failed = vs_test_alloc_failed();
        if (rc != VS_OK) {
            ck_assert_int_eq(rc, VS_ENOMEM);
            ck_assert_ptr_null(res);
        }
        vs_runner_result_free(res);
        vs_runner_free(r);
        vs_model_free(m);
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        vs_test_alloc_uninstall();
        if (!failed) {
            ck_assert_int_eq(rc, VS_OK);
            break;
        }
    }
    vs_bank_free(b);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("runner");
    TCase *tc = tcase_create("runner");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, t_fake_scores_by_hand);
    tcase_add_test(tc, t_failures);
    tcase_add_test(tc, t_same_failures_stop);
    tcase_add_test(tc, t_classify_judge);
    tcase_add_test(tc, t_classify3_judge);
    tcase_add_test(tc, t_journal_probabilities);
    tcase_add_test(tc, t_rejudge);
    tcase_add_test(tc, t_choice_judge);
    tcase_add_test(tc, t_journal_rules);
    tcase_add_test(tc, t_header_judge);
    tcase_add_test(tc, t_bad_args);
    tcase_add_test(tc, t_alloc);
    tcase_add_test(tc, t_line_limit);
    tcase_add_test(tc, t_header_once);
#ifdef VS_HAVE_NGRAM_BACKEND
    tcase_add_test(tc, t_ngram_batch_shards);
    tcase_add_test(tc, t_ngram_kill_resume);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(suite()); }
