/* Projective runner overhead, side by side in one run:
 *  A. the vs_model machinery alone (vs_model_loglikelihood over the same 2 requests per item,
 *     no-op callback) — the anchor;
 *  B. the runner, no journal (requests, records, scores; B = 0 and B = 200 replicates);
 *  C. the runner with a journal, fsync off.
 * Each is one runner, created once and run again and again (its creation, which hashes the bank,
 * is not timed).
 * Targets: B >= 1,000,000 items/s; C costs <= 10% on top of that (reported against the
 * 1 us/item budget and against B itself). B and C alternate REPS times; the best of each is
 * reported, and the median and range of the REPS ratios C/B beside it: on a 2-vCPU machine the
 * journal's second thread competes with whatever else runs, which only the median shows.
 *   bench_runner [ITEMS] [BATCH] [REPS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "valuespace.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int noop(void *ud, vs_model_batch *b, const vs_model_loglik_request *const *req, size_t n, double *lp,
                int *greedy, int *status) {
    (void)ud;
    (void)b;
    (void)greedy;
    (void)status;
    for (size_t i = 0; i < n; i++) lp[i] = -(double)(req[i]->continuation[1] & 7);
    return 0;
}

static vs_runner *make_runner(vs_bank *bank, vs_model *m, const char *journal, int64_t reps) {
    vs_runner *r = NULL;
    if (vs_runner_create(&r, bank, m, VS_RUNNER_JUDGE_LOGLIK, NULL) != VS_OK) exit(1);
    vs_runner_set_int(r, VS_RUNNER_OPT_REPLICATES, reps);
    if (journal) vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, journal);
    return r;
}

/* One timed run of r (a new journal each time: the last one is removed, its pages unwritten). */
static double run(vs_runner *r, const char *journal) {
    if (journal) unlink(journal);
    vs_runner_result *res = NULL;
    double t = now();
    int rc = vs_runner_run(&res, r);
    t = now() - t;
    if (rc != VS_OK) {
        fprintf(stderr, "run: %s: %s\n", vs_status_name(rc), vs_last_error());
        exit(1);
    }
    vs_runner_result_free(res);
    return t;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000; /* the largest bank: a run long enough for the steady state */
    int batch = argc > 2 ? atoi(argv[2]) : 256;
    int reps = argc > 3 ? atoi(argv[3]) : 7;
    if (reps < 1 || reps > 99) reps = 7;
    vs_space *sp = NULL;
    vs_bank_builder *bb = NULL;
    if (vs_space_builtin(&sp, "valuelex") != VS_OK || vs_bank_builder_create(&bb, "bench", sp) != VS_OK) return 1;
    const char *dims[] = {"ethical", "social", "professional", "idealistic", "self_competent", "user_oriented"};
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "b-%zu", i);
        const char *d[2] = {dims[i % 6], dims[(i / 6) % 6]};
        size_t nd = d[0] == d[1] ? 1 : 2;
        if (vs_bank_builder_add_item(bb, id, "When it matters, I usually...", d, nd, (i % 5) ? 0 : VS_BANK_ITEM_REVERSE,
                                     i % 3 ? "tell the truth" : "stay quiet", "keep it to myself") != VS_OK) {
            fprintf(stderr, "add: %s\n", vs_last_error());
            return 1;
        }
    }
    vs_bank *bank = NULL;
    if (vs_bank_builder_freeze(&bank, bb) != VS_OK) return 1;
    vs_bank_builder_free(bb);
    vs_space_free(sp);
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.loglikelihood = noop;
    vs_model *m = NULL;
    vs_model_create(&m, &cb, NULL);
    vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, batch);

    /* A: the model machinery alone over the same requests */
    vs_model_loglik_request *q = calloc(2 * n, sizeof *q);
    const vs_model_loglik_request **p = calloc(2 * n, sizeof *p);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            vs_model_loglik_request init = VS_MODEL_LOGLIK_REQUEST_INIT;
            q[2 * i + k] = init;
            q[2 * i + k].id = vs_bank_item_id(bank, i);
            q[2 * i + k].context = "When it matters, I usually";
            q[2 * i + k].continuation = k ? vs_bank_item_low(bank, i) : vs_bank_item_high(bank, i);
            p[2 * i + k] = &q[2 * i + k];
        }
    vs_model_results *res = NULL;
    vs_model_results_create(&res);
    double best[4] = {1e9, 1e9, 1e9, 1e9};
    char path[] = "/tmp/bench_runner_journal.jsonl";
    double ratio[99];
    vs_runner *rb = make_runner(bank, m, NULL, 0), *rc = make_runner(bank, m, path, 0), *rd = make_runner(bank, m, NULL, 200);
    for (int rep = 0; rep < reps; rep++) {
        double t = now();
        vs_model_loglikelihood(res, m, p, 2 * n, 0);
        t = now() - t;
        if (t < best[0]) best[0] = t;
        double tb = run(rb, NULL);
        if (tb < best[1]) best[1] = tb;
        t = run(rc, path);
        if (t < best[2]) best[2] = t;
        ratio[rep] = t / tb;
        t = run(rd, NULL);
        if (t < best[3]) best[3] = t;
    }
    unlink(path);
    vs_runner_free(rb);
    vs_runner_free(rc);
    vs_runner_free(rd);
    qsort(ratio, (size_t)reps, sizeof *ratio, cmp_double);
    double median = reps % 2 ? ratio[reps / 2] : 0.5 * (ratio[reps / 2 - 1] + ratio[reps / 2]);
    printf("bench_runner: %zu items (2 loglik requests each), batch %d, no-op callback, best of %d\n", n, batch, reps);
    printf("  A vs_model_loglikelihood alone (anchor)  %10.0f items/s\n", (double)n / best[0]);
    printf("  B runner, no journal, B=0               %10.0f items/s  (%.2fx the anchor's time)\n", (double)n / best[1],
           best[1] / best[0]);
    printf("  C runner, journal (fsync off), B=0      %10.0f items/s  (journalling +%.1f%% on top of B)\n",
           (double)n / best[2], 100.0 * (best[2] / best[1] - 1.0));
    printf("    journalling, median of the %d paired runs: +%.1f%% (range +%.1f%% .. +%.1f%%)\n", reps,
           100.0 * (median - 1.0), 100.0 * (ratio[0] - 1.0), 100.0 * (ratio[reps - 1] - 1.0));
    printf("  D runner, no journal, B=200 bootstrap   %10.0f items/s\n", (double)n / best[3]);
    printf("  target: B >= 1,000,000 items/s: %s\n", (double)n / best[1] >= 1e6 ? "met" : "NOT met");
    /* "journalling costs <= 10% on top of that": read against the 1 us/item budget, C must stay
     * within 1.1 us/item; read against our own B, C must be within +10% of B. */
    printf("  journal within 10%% of the 1 us/item budget (C >= 909,091 items/s): %s\n",
           (double)n / best[2] >= 1e6 / 1.1 ? "met" : "NOT met");
    printf("  journal within +10%% of B: %s\n", best[2] / best[1] <= 1.10 ? "met" : "NOT met");
    vs_model_results_free(res);
    free(q);
    free(p);
    vs_model_free(m);
    vs_bank_free(bank);
    return 0;
}
