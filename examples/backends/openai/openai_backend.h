/**
 * @file openai_backend.h
 * @brief Example model backend: a client for OpenAI-compatible HTTP servers (llama.cpp server,
 *        vLLM, Ollama, ...) over libcurl, behind the #vs_model_callbacks table.
 *
 * **generate** sends one `POST {base_url}/v1/chat/completions` per request (a "system" option
 * adds {"role": "system", "content": SYSTEM} before a plain prompt's user message):
 *
 *     {"model": M, "messages": [{"role": r, "content": c}, ...], "temperature": T,
 *      "max_tokens": N, "stop": [...], "seed": S}
 *
 * A plain prompt is sent as a single "user" message. `max_tokens` is the request's, or the
 * backend's "max_tokens" option when the request says 0, or left out when both are 0 (the
 * server's default). `stop` is left out when there are none. `seed` is the request's 64-bit
 * seed (vs_model_item_seed() of the run seed, item id and repeat) shifted right by 33 bits:
 * a non-negative 31-bit integer, which every server reads as a plain int. The text is
 * `choices[0].message.content`.
 *
 * **loglikelihood** sends one `POST {base_url}/v1/completions` per request with
 * `{"model": M, "prompt": context + continuation, "max_tokens": 1, "temperature": 0,
 * "echo": true, "logprobs": 1}` and reads `choices[0].logprobs` (`tokens`, `token_logprobs`,
 * `text_offset`, `top_logprobs`), as the legacy OpenAI completions API and vLLM give them.
 * Offsets count Unicode code points (as Python's str does). The log-probability is the sum of
 * `token_logprobs` over the echoed tokens that start inside the continuation; they must cover it
 * exactly. is_greedy is 1 when each of these tokens is the most likely one in its
 * `top_logprobs` (0 when the server gives none). A server without echoed log-probabilities (an
 * HTTP 404/405/501 on /v1/completions, no `logprobs` in the answer), a token that spans the
 * context/continuation boundary, or a continuation token without a log-probability (e.g. the
 * first token of an empty context) makes that item a permanent failure whose message starts
 * with "unsupported".
 *
 * **Batches, the request window.** Within one callback call (a batch of at most
 * #VS_MODEL_OPT_MAX_BATCH requests) the backend keeps up to "concurrency" requests in flight
 * (curl multi): each one that finishes frees its slot for the next request at once, so a slow
 * answer delays no other; the call returns when all its requests have finished. Give the model
 * a batch several times the concurrency so that the window stays full (only the call's last
 * requests drain it). Which request runs when never changes an answer: every request is sent
 * on its own with its own seed. "rpm" spaces request starts at least 60/rpm seconds apart.
 *
 * **Errors, retries.** Each item's status follows its HTTP answer:
 * - 2xx with a well-formed answer: OK (an empty text is a valid text);
 * - 408, 429 and 5xx (except 501), a time-out ("timeout_ms"), a refused or broken connection:
 *   #VS_MODEL_ITEM_TRANSIENT, retried by vs_model's machinery (exponential backoff with
 *   deterministic jitter); "max_retries" sets #VS_MODEL_OPT_MAX_ATTEMPTS to max_retries + 1
 *   through vs_openai_backend_model() or vs_openai_backend_apply();
 * - any other status (other 4xx: bad request, unknown model, authentication), an answer that is
 *   not JSON, not valid UTF-8 or lacks the expected fields, or larger than 64 MiB:
 *   #VS_MODEL_ITEM_PERMANENT.
 * Every failure carries a message ("HTTP 400: <the server's error.message>", "HTTP 429
 * (Retry-After: 2)", "timed out after 200 ms", "malformed answer: ...").
 * A `Retry-After: N` (seconds) on a 429 or 503 answer is honoured as well: no new request
 * starts until N seconds after that answer (at most "max_retry_after_ms"), on top of the
 * library's backoff only where that is shorter.
 *
 * **Network.** Only http:// and https:// URLs; no redirects are followed; loopback addresses
 * (127.0.0.1, localhost, ::1) never go through a proxy (other addresses follow libcurl's
 * proxy environment variables). The API key is read from an environment variable whose *name*
 * is given ("api_key_env"), so keys never appear on command lines, and sent as
 * `Authorization: Bearer KEY`. As OpenAI's own clients do, `OPENAI_BASE_URL` and `OPENAI_API_KEY`
 * are the defaults of "base_url" and the key (read by vs_openai_backend_create()); an option
 * given explicitly wins. An `OPENAI_BASE_URL` that is not a valid URL is an error
 * (vs_openai_backend_apply() and every callback call fail with VS_EINVAL naming it) until
 * "base_url" replaces it.
 *
 * **Build.** The backend uses libvaluespace's public API only (valuespace.h), libcurl for HTTP
 * and jansson (Debian: libjansson-dev) for its JSON, so it builds against an installed
 * libvaluespace like any user's code:
 *
 *     cc -c openai_backend.c openai_json.c $(pkg-config --cflags valuespace libcurl jansson)
 *     cc app.c openai_backend.o openai_json.o $(pkg-config --libs valuespace libcurl jansson)
 *
 * In this source tree the target `vs_openai_backend` (built when pkg-config finds libcurl and
 * jansson) is a static library that does not link libvaluespace itself: its user links the
 * shared library (the CLI does) or the static one, never both. Its memory is its own (malloc);
 * its failures set vs_last_error() through vs_set_last_error(), as the library's do.
 *
 * A backend is used by one #vs_model, which calls it from one thread at a time; options must
 * not be changed while a run is in progress.
 */
#ifndef VS_OPENAI_BACKEND_H
#define VS_OPENAI_BACKEND_H

#include <stddef.h>

#include "valuespace.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The default server: llama.cpp's server on its default port, on this machine. */
#define VS_OPENAI_DEFAULT_BASE_URL "http://127.0.0.1:8080"

/**
 * Creates a client with the default options and fills a callback table for it.
 * Options (vs_openai_backend_set_option()), with their defaults:
 * - "base_url": the server, "http://" or "https://" (default `OPENAI_BASE_URL` when it is set,
 *   else #VS_OPENAI_DEFAULT_BASE_URL; a trailing "/" and a trailing "/v1" are dropped, the paths
 *   above are appended);
 * - "model": the model name sent with each request (default "default");
 * - "api_key_env": name of an environment variable holding the API key (default
 *   `OPENAI_API_KEY` when it is set, else none: no Authorization header); read when the option
 *   is set; "" sends no key;
 * - "system": a system message sent before each plain prompt (default "": none);
 * - "concurrency": requests in flight at most, 1 to 1024 (default 16);
 * - "rpm": requests started per minute at most, 0 to 6000000 (default 0: no limit);
 * - "timeout_ms": time limit of one HTTP request, 1 to 86400000 (default 120000);
 * - "connect_timeout_ms": time limit of connecting, 1 to 86400000 (default 10000);
 * - "max_retries": retries of a transiently failed item, 0 to 1000 (default 3), applied to a
 *   model by vs_openai_backend_apply();
 * - "max_tokens": max_tokens sent when a request says 0, 0 to 1000000 (default 0: the
 *   server's default);
 * - "max_retry_after_ms": longest Retry-After wait honoured, 0 to 3600000 (default 60000; 0
 *   ignores Retry-After).
 * @param out_callbacks receives the table (generate, loglikelihood, destroy); zeroed on failure.
 * @param out_backend receives the client, the `user_data` of the table (NULL on failure). It is
 *        freed by the table's destroy callback (vs_model_free() calls it) or, if it never goes
 *        into a model, by vs_openai_backend_destroy().
 * @return VS_OK; VS_EINVAL (NULL out-parameter); VS_EIO (libcurl cannot be initialised);
 *         VS_ENOMEM.
 */
int vs_openai_backend_create(vs_model_callbacks *out_callbacks, void **out_backend);

/** Frees a client (the destroy callback of its table). NULL is a no-op. */
void vs_openai_backend_destroy(void *backend);

/**
 * Sets an option by name (for the CLI's --backend-opt k=v); see vs_openai_backend_create().
 * On failure the option keeps its value and vs_last_error() names the key and the value.
 * @return VS_OK; VS_EINVAL (NULL argument, a value that is not an integer in range, a URL that
 *         is not http:// or https://, an empty model name); VS_ENOTFOUND (unknown key, or the
 *         environment variable named by "api_key_env" is not set); VS_ENOMEM.
 */
int vs_openai_backend_set_option(void *backend, const char *key, const char *value);

/**
 * Applies the client's model-level options to a model wrapping it: #VS_MODEL_OPT_MAX_ATTEMPTS =
 * max_retries + 1.
 * @return VS_OK; VS_EINVAL (NULL); the codes of vs_model_set_int().
 */
int vs_openai_backend_apply(const void *backend, vs_model *model);

/**
 * Watches a cancellation token (borrowed: it must outlive the backend's use; NULL: none) within
 * a callback call: once it is set no further request starts and the requests in flight are
 * dropped (checked at least every 0.1 s); those items fail transiently ("cancelled before an
 * answer came"), those already answered keep their answers. Give the model the same token
 * (vs_model_set_cancel()): it then ends the run with VS_ECANCELED before the next call, so the
 * dropped items stay not run. Without this a call of many requests runs to its end first.
 * @return VS_OK; VS_EINVAL (NULL backend).
 */
int vs_openai_backend_set_cancel(void *backend, const vs_cancel *cancel);

/**
 * Sets a function told of every HTTP request as it finishes (for progress displays): `ok` is 1
 * for a 2xx answer, 0 for anything else (an error status, a time-out, a broken connection; the
 * item may still be retried). It is called on the thread running the model, during a callback
 * call; it must not use the model. NULL removes it.
 * @return VS_OK; VS_EINVAL (NULL backend).
 */
int vs_openai_backend_set_observer(void *backend, void (*fn)(void *user_data, int ok), void *user_data);

/**
 * Convenience: creates a client, sets n options (keys[i] = values[i]), wraps it in a
 * #vs_model (which owns it) and applies vs_openai_backend_apply().
 * @param out the model (free with vs_model_free()), NULL on failure.
 * @return the codes of vs_openai_backend_create(), vs_openai_backend_set_option() (the first
 *         failing option) and vs_model_create(); VS_EINVAL also for NULL arrays with n > 0.
 */
int vs_openai_backend_model(vs_model **out, const char *const *keys, const char *const *values, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* VS_OPENAI_BACKEND_H */
