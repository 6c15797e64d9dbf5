/* The capability probe of a run against a server: one request, before the journal is opened,
 * that checks what the chosen judge needs, so that a server that cannot serve it is refused in
 * one sentence (exit 2) instead of failing every record. */
#include <stdio.h>

#include "cli.h"

/* Runs one request with a single attempt; returns its final status, its message in msg. */
static int probe_once(vs_model *m, int loglik, char *msg, size_t cap) {
    int64_t attempts = 1;
    vs_model_results *res = NULL;
    int rc = vs_model_get_int(&attempts, m, VS_MODEL_OPT_MAX_ATTEMPTS);
    if (rc == VS_OK) rc = vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, 1);
    if (rc == VS_OK) rc = vs_model_results_create(&res);
    if (rc == VS_OK && loglik) {
        vs_model_loglik_request q = VS_MODEL_LOGLIK_REQUEST_INIT;
        const vs_model_loglik_request *p = &q;
        q.id = "capability-probe";
        q.context = "The capital of France is";
        q.continuation = " Paris";
        rc = vs_model_loglikelihood(res, m, &p, 1, 0);
    } else if (rc == VS_OK) {
        vs_model_gen_request q = VS_MODEL_GEN_REQUEST_INIT;
        const vs_model_gen_request *p = &q;
        q.id = "capability-probe";
        q.prompt = "Answer with the single letter A.";
        q.max_tokens = 4;
        q.temperature = 0;
        rc = vs_model_generate(res, m, &p, 1);
    }
    int status = rc == VS_OK ? vs_model_results_status(res, 0) : VS_MODEL_ITEM_TRANSIENT;
    snprintf(msg, cap, "%s", rc == VS_OK ? vs_model_results_error(res, 0) : vs_last_error());
    vs_model_results_free(res);
    vs_model_set_int(m, VS_MODEL_OPT_MAX_ATTEMPTS, attempts);
    return status;
}

int cli_probe(vs_model *m, const char *prog, int judge_kind) {
    int loglik = judge_kind == VS_RUNNER_JUDGE_LOGLIK;
    char msg[1024];
    int status = probe_once(m, loglik, msg, sizeof msg);
    /* a server that is down or slow decides nothing: the run reports its failures as before */
    if (status == VS_MODEL_ITEM_OK || status == VS_MODEL_ITEM_TRANSIENT) return 0;
    if (loglik)
        fprintf(stderr,
                "%s: this server's completions endpoint does not return prompt logprobs (echo), which the "
                "loglik judge needs; it answered: %s; use --judge choice or --judge builtin:MODEL\n",
                prog, msg);
    else
        fprintf(stderr,
                "%s: this server does not answer a chat completion, which the %s judge needs; it answered: %s; "
                "use --judge loglik if its completions endpoint returns prompt logprobs (echo)\n",
                prog, judge_kind == VS_RUNNER_JUDGE_CHOICE ? "choice" : "builtin", msg);
    return CLI_EXIT_USAGE;
}
