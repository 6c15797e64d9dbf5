/* Progress of the long commands (projective run/resume/rejudge, lexical elicit) on stderr:
 * records done/total (from the runner's hook), HTTP requests finished and failed (from the
 * openai backend's observer, live within a model call), rate and ETA. A line redrawn at most 5
 * times a second on a terminal; JSON lines (at most one a second, and a last one) with
 * --progress json; nothing when stderr is not a terminal or with --quiet. One command runs at a
 * time, so the state is this file's. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#ifdef VS_HAVE_OPENAI_BACKEND
#include "openai_backend.h"
#endif

static struct {
    int mode;          /* CLI_PROGRESS_OFF (0) until cli_progress_start(), then OFF, TTY or JSON */
    const char *what;  /* "records" or "items" */
    double t0, shown;  /* start, last output (CLOCK_MONOTONIC seconds) */
    uint64_t done, total;
    uint64_t requests, failed;
    unsigned per_record; /* requests one record takes (2 for the loglik judge), 0 = unknown */
    int drawn;           /* a terminal line is on the screen */
} P;

static int requested = CLI_PROGRESS_AUTO;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int cli_progress_flag(int argc, char **argv, int *i, const char *prog) {
    const char *a = argv[*i];
    if (strcmp(a, "--quiet") == 0) {
        requested = CLI_PROGRESS_OFF;
        return 1;
    }
    if (strcmp(a, "--progress") != 0) return 0;
    if (*i + 1 >= argc) return cli_usage_error(prog, "--progress needs a mode: auto, json or none");
    const char *v = argv[++*i];
    if (strcmp(v, "auto") == 0) requested = CLI_PROGRESS_AUTO;
    else if (strcmp(v, "json") == 0) requested = CLI_PROGRESS_JSON;
    else if (strcmp(v, "none") == 0) requested = CLI_PROGRESS_OFF;
    else return cli_usage_error(prog, "--progress must be auto, json or none, not '%s'", v);
    return 1;
}

/* The estimated seconds left, or -1 when there is nothing to go by yet. Requests say more than
 * records within a model call (records arrive after each call); both count finished work. */
static double eta(double elapsed) {
    if (P.total == 0 || elapsed <= 0) return -1;
    double frac = (double)P.done / (double)P.total;
    if (P.per_record && P.requests > 0) {
        double want = (double)P.total * P.per_record, got = (double)(P.requests - P.failed);
        if (got / want > frac) frac = got / want;
    }
    if (frac <= 0) return -1;
    if (frac >= 1) return 0;
    return elapsed * (1 - frac) / frac;
}

static void show(int last) {
    double t = now_s(), elapsed = t - P.t0;
    if (P.mode == CLI_PROGRESS_OFF) return;
    if (!last && t - P.shown < (P.mode == CLI_PROGRESS_JSON ? 1.0 : 0.2)) return;
    P.shown = t;
    /* within a model call the answers received say more than the records journalled */
    if (P.per_record) {
        uint64_t answered = (P.requests - P.failed) / P.per_record;
        if (answered > P.done) P.done = answered < P.total ? answered : P.total;
    }
    double rate = elapsed > 0 ? (double)(P.per_record && P.requests ? P.requests : P.done) / elapsed : 0;
    double left = eta(elapsed);
    const char *unit = P.per_record && P.requests ? "requests" : P.what;
    if (P.mode == CLI_PROGRESS_JSON) {
        fprintf(stderr,
                "{\"progress\":\"%s\",\"done\":%llu,\"total\":%llu,\"requests\":%llu,\"failed_requests\":%llu,"
                "\"elapsed_s\":%.1f,\"rate_per_s\":%.2f,\"rate_unit\":\"%s\",\"eta_s\":",
                P.what, (unsigned long long)P.done, (unsigned long long)P.total, (unsigned long long)P.requests,
                (unsigned long long)P.failed, elapsed, rate, unit);
        if (left >= 0) fprintf(stderr, "%.1f", left);
        else fputs("null", stderr);
        fprintf(stderr, ",\"final\":%s}\n", last ? "true" : "false");
    } else {
        char eta_s[32] = "-";
        if (left >= 0) snprintf(eta_s, sizeof eta_s, "%.0fs", ceil(left));
        fprintf(stderr, "\r%s %llu/%llu", P.what, (unsigned long long)P.done, (unsigned long long)P.total);
        if (P.requests) fprintf(stderr, "  requests %llu (%llu failed)", (unsigned long long)P.requests,
                                (unsigned long long)P.failed);
        fprintf(stderr, "  %.1f %s/s  ETA %s   ", rate, unit, eta_s);
        if (last) fputc('\n', stderr);
        P.drawn = !last;
    }
    fflush(stderr);
}

void cli_progress_start(const char *what, uint64_t total, unsigned requests_per_record) {
    int mode = requested == CLI_PROGRESS_AUTO ? (isatty(2) ? CLI_PROGRESS_TTY : CLI_PROGRESS_OFF) : requested;
    memset(&P, 0, sizeof P);
    P.what = what;
    P.total = total;
    P.per_record = requests_per_record;
    P.t0 = now_s();
    P.shown = P.t0 - 10;
    P.mode = mode;
}

void cli_progress_records(uint64_t done, uint64_t total) {
    if (P.mode == CLI_PROGRESS_OFF) return;
    P.done = done;
    P.total = total;
    show(0);
}

int cli_progress_runner_hook(void *user_data, uint64_t done, uint64_t total) {
    (void)user_data;
    cli_progress_records(done, total);
    return 0;
}

void cli_progress_request(void *user_data, int ok) {
    (void)user_data;
    if (P.mode == CLI_PROGRESS_OFF) return;
    P.requests++;
    P.failed += !ok;
    show(0);
}

void cli_progress_finish(void) {
    if (P.mode == CLI_PROGRESS_OFF) return;
    show(1);
    P.mode = CLI_PROGRESS_OFF;
}

int cli_progress_on(void) {
    return P.mode != CLI_PROGRESS_OFF;
}

#ifdef VS_HAVE_OPENAI_BACKEND
int cli_openai_model(vs_model **out, const char *const *keys, const char *const *values, size_t n) {
    vs_model_callbacks cb;
    void *backend = NULL;
    *out = NULL;
    int rc = vs_openai_backend_create(&cb, &backend);
    for (size_t i = 0; rc == VS_OK && i < n; i++) rc = vs_openai_backend_set_option(backend, keys[i], values[i]);
    if (rc == VS_OK) rc = vs_openai_backend_set_observer(backend, cli_progress_request, NULL);
    if (rc == VS_OK) {
        /* the model gets the same token from cli_signal_watch() and keeps a reference to it */
        const vs_cancel *token = cli_signal_token();
        rc = token ? vs_openai_backend_set_cancel(backend, token) : VS_ENOMEM;
    }
    if (rc == VS_OK) rc = vs_model_create(out, &cb, backend);
    if (rc != VS_OK) {
        vs_openai_backend_destroy(backend); /* not owned by a model yet */
        return rc;
    }
    rc = vs_openai_backend_apply(backend, *out);
    if (rc != VS_OK) {
        vs_model_free(*out); /* frees the backend */
        *out = NULL;
    }
    return rc;
}
#endif
