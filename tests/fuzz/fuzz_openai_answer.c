/* Fuzz target: the openai example backend's reading of a server's answer (openai_json.c through
 * its internal header): oai_classify on the HTTP status and body, then oai_parse_chat (chat
 * completions) or oai_parse_loglik (echoed completions with logprobs). The answers reach the
 * parsers through a model whose callbacks hand them the fuzz input instead of a transfer, so the
 * batch, the output setters and the library's checks of the outputs are the real ones.
 * Input: byte 0 picks the kind (bit 0: chat or loglik), the HTTP status (bits 1-4) and the
 * loglik request (bits 5-7; bit 5 also adds a Retry-After); the rest is the body. Built only with the openai backend. */
#include <stdlib.h>
#include <string.h>
#include <valuespace.h>

#include "fuzz_util.h"
#include "openai_internal.h"

static const long http_status[16] = {200, 200, 200, 200, 200, 200, 200, 201, 400, 401, 404, 405, 408, 429, 500, 501};

/* Context and continuation pairs: ASCII, multi-byte UTF-8, an empty context, a long continuation. */
static const char *const pairs[8][2] = {
    {"Q: Is honesty good? A:", " Yes"},
    {"The value is", " benevolence"},
    {"", "Hello"},
    {"Der Wert ist", " Gl\xc3\xbc" "ck"},
    {"\xe4\xbb\xb7\xe5\x80\xbc", "\xe8\xa7\x82"},
    {"A", " b c d e f g h"},
    {"emoji ", "\xf0\x9f\x98\x80!"},
    {"x", "y"},
};

static oai_answer answer;
static char url[] = "http://127.0.0.1:9", model_name[] = "m";
static oai backend = {.base_url = url, .model = model_name, .timeout_ms = 1000, .connect_timeout_ms = 1000,
                      .concurrency = 1};

static int gen(void *user_data, vs_model_batch *batch, const vs_model_gen_request *const *requests, size_t n,
               int *status) {
    (void)user_data;
    (void)requests;
    int rc = VS_OK;
    for (size_t i = 0; rc == VS_OK && i < n; i++)
        if (oai_classify(batch, i, &backend, &answer, 0, status)) rc = oai_parse_chat(batch, i, &answer, status);
    return rc == VS_OK ? 0 : -1;
}

static int loglik(void *user_data, vs_model_batch *batch, const vs_model_loglik_request *const *requests, size_t n,
                  double *logprob, int *is_greedy, int *status) {
    (void)user_data;
    int rc = VS_OK;
    for (size_t i = 0; rc == VS_OK && i < n; i++)
        if (oai_classify(batch, i, &backend, &answer, 1, status))
            rc = oai_parse_loglik(batch, i, requests[i], &answer, logprob, is_greedy, status);
    return rc == VS_OK ? 0 : -1;
}

static void no_sleep(void *user_data, double seconds) {
    (void)user_data;
    (void)seconds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static vs_model *model;
    static vs_model_results *res;
    if (!model) {
        vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
        cb.generate = gen;
        cb.loglikelihood = loglik;
        if (vs_model_create(&model, &cb, NULL) != VS_OK || vs_model_results_create(&res) != VS_OK) return 0;
        vs_model_set_int(model, VS_MODEL_OPT_MAX_ATTEMPTS, 1);
        vs_model_set_sleep(model, no_sleep, NULL);
    }
    if (size < 1) return 0;
    /* the transfer code hands the parsers a NUL-terminated copy */
    answer.body = malloc(size);
    if (!answer.body) return 0;
    memcpy(answer.body, data + 1, size - 1);
    answer.body[size - 1] = '\0';
    answer.len = size - 1;
    answer.http = http_status[(data[0] >> 1) & 15];
    answer.retry_after = data[0] & 32 ? 2 : -1;
    if (data[0] & 1) {
        vs_model_loglik_request q = VS_MODEL_LOGLIK_REQUEST_INIT;
        q.context = pairs[data[0] >> 5][0];
        q.continuation = pairs[data[0] >> 5][1];
        const vs_model_loglik_request *qs[1] = {&q};
        if (vs_model_loglikelihood(res, model, qs, 1, VS_MODEL_WANT_GREEDY) == VS_OK) {
            double lp;
            int greedy;
            if (vs_model_results_loglik(&lp, &greedy, res, 0) == VS_OK) vs_fuzz_use((size_t)greedy);
        }
    } else {
        vs_model_gen_request q = VS_MODEL_GEN_REQUEST_INIT;
        q.prompt = "Which value matters most?";
        const vs_model_gen_request *qs[1] = {&q};
        if (vs_model_generate(res, model, qs, 1) == VS_OK) {
            const char *t = vs_model_results_text(res, 0);
            vs_fuzz_use(t ? strlen(t) : 0);
            const char *e = vs_model_results_error(res, 0);
            vs_fuzz_use(e ? strlen(e) : 0);
        }
    }
    free(answer.body);
    answer.body = NULL;
    return 0;
}
