/* A loopback OpenAI-compatible test server (libmicrohttpd) for the openai backend's tests.
 *
 * It listens on 127.0.0.1 only, on a port the OS assigns, and serves
 *   POST /v1/chat/completions  {"model", "messages", "max_tokens", "temperature", "stop", "seed"}
 *   POST /v1/completions       {"model", "prompt", "echo": true, "logprobs": >= 1, ...}
 * from a vs_model (the ngram backend when it is built, else a deterministic echo model; see
 * ts_model_create()). A chat request is answered with the model's generation for the same chat
 * messages, max_tokens, temperature and stop strings, with the run seed set to the request's
 * "seed" and item id "srv", repeat 0. A completion request with echo splits the prompt into tokens (each a
 * run of white space followed by a run of other characters) and gives, per token k, its code point
 * offset, log P(token | prompt before it) from the model's loglikelihood (null for token 0; 0 for
 * a token the model has no score for, such as ngram's punctuation), and top_logprobs {token: lp}
 * when the model calls it greedy, else {"<other>": 0}; then one generated token (temperature 0).
 *
 * Failures are injected for requests whose body contains the marker "FAULT": the first `times`
 * such requests per distinct body (so the order of concurrent requests does not matter) get the
 * fault. Requests are capped (TS_MAX_REQUESTS; later ones get 410). The test stops the server
 * (ts_stop) at the end of each test; it waits for the connection threads. */
#ifndef VS_OPENAI_TEST_SERVER_H
#define VS_OPENAI_TEST_SERVER_H

#include "valuespace.h"

#define TS_MAX_REQUESTS 2000

enum ts_fault {
    TS_FAULT_NONE = 0,
    TS_FAULT_429,       /* 429 with "Retry-After: <retry_after>" */
    TS_FAULT_500,       /* 500 with an OpenAI-style error object */
    TS_FAULT_400,       /* 400 "invalid_request_error" */
    TS_FAULT_SLOW,      /* answers correctly after sleeping slow_ms */
    TS_FAULT_MALFORMED, /* a truncated JSON document */
    TS_FAULT_BAD_UTF8,  /* a JSON answer whose content holds the bytes FF FE */
    TS_FAULT_NUL,       /* a JSON answer whose content holds \u0000 */
    TS_FAULT_RESET      /* the connection is closed without an answer */
};

typedef struct ts_server ts_server;

/* The model the server serves (ngram if available, else echo); *is_ngram says which. */
int ts_model_create(vs_model **out, int *is_ngram);

/* Starts a server for `model` (borrowed; used under the server's lock). `api_key` (may be NULL)
 * is required as "Authorization: Bearer KEY" when given. Requests must name model "test-model". */
int ts_start(ts_server **out, vs_model *model, const char *api_key);
/* The base URL, "http://127.0.0.1:PORT". */
const char *ts_url(const ts_server *s);
void ts_set_fault(ts_server *s, int fault, int times, long slow_ms, long retry_after);
/* 1: /v1/completions answers 404 (a server without echoed log-probabilities). */
void ts_set_no_completions(ts_server *s, int on);
/* 1: completions answer without a "logprobs" member. */
void ts_set_no_logprobs(ts_server *s, int on);
long ts_requests(ts_server *s);
long ts_faults_served(ts_server *s);
/* Answers every request with `body` (copied) and HTTP `code`, as another server would (the
 * conformance tests); NULL returns to serving the model. Set it between runs, not during one. */
void ts_set_replay(ts_server *s, unsigned code, const char *body);
/* The most requests the server was answering at the same time. */
long ts_max_in_flight(ts_server *s);
/* Chat requests whose first message had role "system". */
long ts_system_messages(ts_server *s);
/* Runs the model directly (under the server's lock): what the server answers for a chat with
 * this plain prompt and request seed, and log P(continuation | context). */
int ts_direct_generate(ts_server *s, char **out_text, const char *prompt, unsigned max_tokens, double temperature,
                       long long seed);
int ts_direct_loglik(ts_server *s, double *out_lp, int *out_greedy, const char *context, const char *continuation);
void ts_stop(ts_server *s);

#endif
