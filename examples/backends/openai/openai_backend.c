/* The openai example backend: options, the callbacks and the HTTP transfers (libcurl multi). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "openai_internal.h"

#define OAI_DEFAULT_MODEL "default"

static double now_monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int oai_error(int status, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vs_set_last_error(status, msg);
}

int oai_nomem(const char *where) { return oai_error(VS_ENOMEM, "%s: out of memory", where); }

/* ---- lifecycle and options */

void vs_openai_backend_destroy(void *backend) {
    oai *b = backend;
    if (!b) return;
    free(b->base_url);
    free(b->model);
    free(b->auth_header);
    free(b->system);
    free(b->env_error);
    free(b);
    curl_global_cleanup();
}

static int set_string(char **field, const char *value, size_t len) {
    char *copy = strndup(value, len);
    if (!copy) return oai_nomem("vs_openai_backend_set_option");
    free(*field);
    *field = copy;
    return VS_OK;
}

static int set_base_url(oai *b, const char *value) {
    if (strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)
        return oai_error(VS_EINVAL, "vs_openai_backend_set_option: base_url \"%s\" is not an http:// or https:// URL",
                         value);
    size_t len = strlen(value);
    while (len > 0 && value[len - 1] == '/') len--;
    if (len >= 3 && memcmp(value + len - 3, "/v1", 3) == 0) len -= 3;
    while (len > 0 && value[len - 1] == '/') len--;
    if (len <= (value[4] == 's' ? 8u : 7u))
        return oai_error(VS_EINVAL, "vs_openai_backend_set_option: base_url \"%s\" has no host", value);
    for (size_t k = 0; k < len; k++)
        if ((unsigned char)value[k] <= ' ' || value[k] == 0x7f)
            return oai_error(VS_EINVAL,
                             "vs_openai_backend_set_option: base_url \"%s\" contains white space or a control "
                             "character (byte %zu)",
                             value, k);
    return set_string(&b->base_url, value, len);
}

static int parse_long(long *out, const char *key, const char *value, long lo, long hi) {
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < lo || v > hi)
        return oai_error(VS_EINVAL, "vs_openai_backend_set_option: %s = \"%s\" is not an integer in [%ld, %ld]", key,
                         value, lo, hi);
    *out = v;
    return VS_OK;
}

/* The Authorization header from the key in environment variable `var`. */
static int set_key_from(oai *b, const char *var) {
    const char *k = getenv(var);
    if (!k || !*k)
        return oai_error(VS_ENOTFOUND, "vs_openai_backend_set_option: api_key_env: environment variable %s is not set",
                         var);
    for (const char *p = k; *p; p++)
        if ((unsigned char)*p < ' ' || *p == 0x7f)
            return oai_error(VS_EINVAL, "vs_openai_backend_set_option: api_key_env: the key in %s contains a "
                                        "control character",
                             var);
    static const char prefix[] = "Authorization: Bearer ";
    size_t n = strlen(k);
    char *h = malloc(sizeof prefix + n);
    if (!h) return oai_nomem("vs_openai_backend_set_option");
    memcpy(h, prefix, sizeof prefix - 1);
    memcpy(h + sizeof prefix - 1, k, n + 1);
    free(b->auth_header);
    b->auth_header = h;
    return VS_OK;
}

int vs_openai_backend_set_option(void *backend, const char *key, const char *value) {
    oai *b = backend;
    if (!b || !key || !value)
        return oai_error(VS_EINVAL, "vs_openai_backend_set_option: %s is NULL",
                         !b ? "backend" : !key ? "key" : "value");
    if (strcmp(key, "base_url") == 0) {
        int rc = set_base_url(b, value);
        if (rc == VS_OK) { /* an explicit option wins over OPENAI_BASE_URL */
            free(b->env_error);
            b->env_error = NULL;
        }
        return rc;
    }
    if (strcmp(key, "model") == 0) {
        if (!*value) return oai_error(VS_EINVAL, "vs_openai_backend_set_option: model is empty");
        return set_string(&b->model, value, strlen(value));
    }
    if (strcmp(key, "api_key_env") == 0) {
        if (!*value) { /* no key */
            free(b->auth_header);
            b->auth_header = NULL;
            return VS_OK;
        }
        return set_key_from(b, value);
    }
    if (strcmp(key, "system") == 0) {
        if (!*value) { /* no system message */
            free(b->system);
            b->system = NULL;
            return VS_OK;
        }
        return set_string(&b->system, value, strlen(value));
    }
    if (strcmp(key, "concurrency") == 0) return parse_long(&b->concurrency, key, value, 1, OAI_MAX_CONCURRENCY);
    if (strcmp(key, "rpm") == 0) return parse_long(&b->rpm, key, value, 0, 6000000L);
    if (strcmp(key, "timeout_ms") == 0) return parse_long(&b->timeout_ms, key, value, 1, 86400000L);
    if (strcmp(key, "connect_timeout_ms") == 0) return parse_long(&b->connect_timeout_ms, key, value, 1, 86400000L);
    if (strcmp(key, "max_retries") == 0) return parse_long(&b->max_retries, key, value, 0, 1000);
    if (strcmp(key, "max_tokens") == 0) return parse_long(&b->max_tokens, key, value, 0, 1000000L);
    if (strcmp(key, "max_retry_after_ms") == 0) return parse_long(&b->max_retry_after_ms, key, value, 0, 3600000L);
    return oai_error(VS_ENOTFOUND, "vs_openai_backend_set_option: unknown key \"%s\" (known: base_url, model, "
                                   "api_key_env, system, concurrency, rpm, timeout_ms, connect_timeout_ms, "
                                   "max_retries, max_tokens, max_retry_after_ms)",
                     key);
}

int vs_openai_backend_set_cancel(void *backend, const vs_cancel *cancel) {
    oai *b = backend;
    if (!b) return oai_error(VS_EINVAL, "vs_openai_backend_set_cancel: backend is NULL");
    b->cancel = cancel;
    return VS_OK;
}

int vs_openai_backend_set_observer(void *backend, void (*fn)(void *user_data, int ok), void *user_data) {
    oai *b = backend;
    if (!b) return oai_error(VS_EINVAL, "vs_openai_backend_set_observer: backend is NULL");
    b->observer = fn;
    b->observer_ud = user_data;
    return VS_OK;
}

int vs_openai_backend_apply(const void *backend, vs_model *model) {
    const oai *b = backend;
    if (!b || !model) return oai_error(VS_EINVAL, "vs_openai_backend_apply: %s is NULL", !b ? "backend" : "model");
    if (b->env_error) return oai_error(VS_EINVAL, "%s", b->env_error);
    return vs_model_set_int(model, VS_MODEL_OPT_MAX_ATTEMPTS, (int64_t)b->max_retries + 1);
}

/* ---- transfers */

typedef struct xfer {
    CURL *easy;
    oai_answer *a;
    size_t cap;
    int added; /* went into the multi handle */
} xfer;

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx) {
    xfer *x = ctx;
    size_t n = size * nmemb;
    oai_answer *a = x->a;
    if (a->len + n > OAI_MAX_BODY) {
        a->too_large = 1;
        return 0; /* aborts the transfer (CURLE_WRITE_ERROR) */
    }
    if (a->len + n + 1 > x->cap) {
        size_t cap = x->cap * 2;
        if (cap < a->len + n + 1) cap = a->len + n + 1;
        char *grown = realloc(a->body, cap);
        if (!grown) return 0; /* aborts the transfer; reported as out of memory */
        a->body = grown;
        x->cap = cap;
    }
    memcpy(a->body + a->len, data, n);
    a->len += n;
    a->body[a->len] = '\0';
    return n;
}

static int setup(xfer *x, const oai *b, const char *url, struct curl_slist *headers, const char *body) {
    CURL *e = curl_easy_init();
    if (!e) return VS_ENOMEM;
    x->easy = e;
    int bad = 0;
    bad |= curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1") != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, body) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body)) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, b->timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, b->connect_timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, x) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, x) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, "libvaluespace-openai-backend") != CURLE_OK;
    return bad ? VS_EIO : VS_OK;
}

static long retry_after_seconds(CURL *e) {
    struct curl_header *h = NULL;
    if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h || !h->value) return -1;
    char *end;
    errno = 0;
    long v = strtol(h->value, &end, 10);
    while (*end == ' ' || *end == '\t') end++;
    if (errno || end == h->value || *end || v < 0) return -1; /* an HTTP date: not honoured */
    return v;
}

/* Seconds until the next request may start: a Retry-After of an earlier answer (b->not_before,
 * at most max_retry_after_ms after that answer) and the "rpm" pacing (b->next_start); 0 when it
 * may start now. */
static double start_delay(const oai *b, double now) {
    double wait = b->not_before > now ? b->not_before - now : 0; /* capped when it was set */
    if (b->rpm > 0 && b->next_start - now > wait) wait = b->next_start - now;
    return wait;
}

/* Records what a finished transfer answered; VS_OK or VS_ENOMEM (on_body could not grow). */
static int finished(oai *b, CURLMsg *msg) {
    xfer *x = NULL;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
    if (!x) return VS_OK;
    x->a->curl_code = (int)msg->data.result;
    long code = 0;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
    x->a->http = code;
    if (code == 429 || code == 503) {
        x->a->retry_after = retry_after_seconds(msg->easy_handle);
        if (x->a->retry_after >= 0 && b->max_retry_after_ms > 0) {
            double wait = (double)x->a->retry_after, cap = (double)b->max_retry_after_ms * 1e-3;
            double until = now_monotonic() + (wait < cap ? wait : cap);
            if (until > b->not_before) b->not_before = until;
        }
    }
    if (msg->data.result == CURLE_WRITE_ERROR && !x->a->too_large) return oai_nomem("openai backend");
    return VS_OK;
}

int oai_post_all(oai *b, const char *path, char *const *bodies, oai_answer *answers, size_t n) {
    int rc = VS_OK;
    size_t ulen = strlen(b->base_url) + strlen(path) + 1;
    char *url = malloc(ulen);
    xfer *xs = calloc(n ? n : 1, sizeof *xs);
    struct curl_slist *headers = NULL, *h2;
    CURLM *multi = NULL;
    if (!url || !xs) {
        rc = oai_nomem("openai backend");
        goto done;
    }
    memcpy(url, b->base_url, strlen(b->base_url));
    memcpy(url + strlen(b->base_url), path, strlen(path) + 1);
    h2 = curl_slist_append(headers, "Content-Type: application/json");
    if (h2) headers = h2;
    h2 = h2 ? curl_slist_append(headers, "Accept: application/json") : NULL;
    if (h2) headers = h2;
    h2 = h2 && b->auth_header ? curl_slist_append(headers, b->auth_header) : h2;
    if (h2) headers = h2;
    multi = curl_multi_init();
    if (!h2 || !multi) {
        rc = oai_nomem("openai backend");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        oai_answer *a = &answers[i];
        memset(a, 0, sizeof *a);
        a->retry_after = -1;
        xs[i].a = a;
        a->body = malloc(256);
        if (!a->body) {
            rc = oai_nomem("openai backend");
            goto done;
        }
        a->body[0] = '\0';
        xs[i].cap = 256;
        rc = setup(&xs[i], b, url, headers, bodies[i]);
        if (rc != VS_OK) {
            rc = rc == VS_ENOMEM ? oai_nomem("openai backend")
                                 : oai_error(VS_EIO, "openai backend: libcurl refused a transfer option");
            goto done;
        }
    }
    /* The window: up to b->concurrency transfers in flight; each one that finishes frees its
     * slot for the next request at once (unless Retry-After or "rpm" holds new starts back).
     * Every transfer has its own time limit, so the loop ends. */
    size_t next = 0, in_flight = 0;
    while (next < n || in_flight > 0) {
        double now = now_monotonic(), delay = 0;
        if (b->cancel && vs_cancel_requested(b->cancel)) { /* drop the rest; nothing more is sent */
            for (size_t i = 0; i < n; i++)
                if (i >= next || xs[i].added) xs[i].a->cancelled = 1;
            break;
        }
        while (next < n && in_flight < (size_t)b->concurrency && (delay = start_delay(b, now)) <= 0) {
            if (curl_multi_add_handle(multi, xs[next].easy) != CURLM_OK) {
                rc = oai_error(VS_EIO, "openai backend: libcurl refused a transfer");
                goto done;
            }
            xs[next++].added = 1;
            in_flight++;
            if (b->rpm > 0) b->next_start = (b->next_start > now ? b->next_start : now) + 60.0 / (double)b->rpm;
        }
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            rc = oai_error(VS_EIO, "openai backend: curl_multi_perform failed");
            goto done;
        }
        CURLMsg *msg;
        int left, freed = 0;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE) continue;
            freed = 1;
            if ((rc = finished(b, msg)) != VS_OK) goto done;
            xfer *x = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            curl_multi_remove_handle(multi, msg->easy_handle);
            if (x) x->added = 0;
            if (x && b->observer)
                b->observer(b->observer_ud, x->a->curl_code == CURLE_OK && x->a->http >= 200 && x->a->http < 300);
            in_flight--;
        }
        if (!freed && (running > 0 || next < n)) {
            /* nothing finished: wait for the network, or until the next start is allowed */
            int wait_ms = b->cancel ? 100 : 1000; /* a set cancel token is seen within 0.1 s */
            if (next < n && in_flight < (size_t)b->concurrency && delay > 0 && delay * 1000 < wait_ms)
                wait_ms = (int)(delay * 1000) + 1;
            if (curl_multi_poll(multi, NULL, 0, wait_ms, NULL) != CURLM_OK) {
                rc = oai_error(VS_EIO, "openai backend: curl_multi_poll failed");
                goto done;
            }
        }
    }
done:
    for (size_t i = 0; xs && i < n; i++) {
        if (!xs[i].easy) continue;
        if (multi && xs[i].added) curl_multi_remove_handle(multi, xs[i].easy);
        curl_easy_cleanup(xs[i].easy);
    }
    if (multi) curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    free(xs);
    free(url);
    return rc;
}

/* ---- callbacks */

static void free_answers(oai_answer *answers, char **bodies, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (answers) free(answers[i].body);
        if (bodies) free(bodies[i]);
    }
    free(answers);
    free(bodies);
}

static int oai_generate(void *user_data, vs_model_batch *batch, const vs_model_gen_request *const *requests, size_t n,
                        int *status) {
    oai *b = user_data;
    if (b->env_error) return oai_error(VS_EINVAL, "%s", b->env_error), -1;
    char **bodies = calloc(n ? n : 1, sizeof *bodies);
    oai_answer *answers = calloc(n ? n : 1, sizeof *answers);
    int rc = bodies && answers ? VS_OK : VS_ENOMEM;
    for (size_t i = 0; rc == VS_OK && i < n; i++) rc = oai_chat_body(&bodies[i], b, requests[i]);
    if (rc == VS_OK) rc = oai_post_all(b, "/v1/chat/completions", bodies, answers, n);
    for (size_t i = 0; rc == VS_OK && i < n; i++)
        if (oai_classify(batch, i, b, &answers[i], 0, status)) rc = oai_parse_chat(batch, i, &answers[i], status);
    free_answers(answers, bodies, n);
    return rc == VS_OK ? 0 : -1; /* out of memory or a libcurl failure: fatal (VS_ECALLBACK) */
}

static int oai_loglikelihood(void *user_data, vs_model_batch *batch, const vs_model_loglik_request *const *requests,
                             size_t n, double *logprob, int *is_greedy, int *status) {
    oai *b = user_data;
    if (b->env_error) return oai_error(VS_EINVAL, "%s", b->env_error), -1;
    char **bodies = calloc(n ? n : 1, sizeof *bodies);
    oai_answer *answers = calloc(n ? n : 1, sizeof *answers);
    int rc = bodies && answers ? VS_OK : VS_ENOMEM;
    for (size_t i = 0; rc == VS_OK && i < n; i++) rc = oai_completion_body(&bodies[i], b, requests[i]);
    if (rc == VS_OK) rc = oai_post_all(b, "/v1/completions", bodies, answers, n);
    for (size_t i = 0; rc == VS_OK && i < n; i++)
        if (oai_classify(batch, i, b, &answers[i], 1, status))
            rc = oai_parse_loglik(batch, i, requests[i], &answers[i], logprob, is_greedy, status);
    free_answers(answers, bodies, n);
    return rc == VS_OK ? 0 : -1;
}

/* OPENAI_BASE_URL and OPENAI_API_KEY as defaults, as OpenAI's own clients read them. A base URL
 * that is not valid is remembered as an error (reported by vs_openai_backend_apply() and by
 * every request) unless the base_url option replaces it. VS_OK or VS_ENOMEM. */
static int env_defaults(oai *b) {
    const char *url = getenv("OPENAI_BASE_URL");
    int rc = url && *url ? set_base_url(b, url) : VS_OK;
    if (rc == VS_ENOMEM) return VS_ENOMEM;
    if (rc != VS_OK) {
        char msg[1200];
        snprintf(msg, sizeof msg, "openai backend: environment variable OPENAI_BASE_URL: %s (fix or unset it, or "
                                  "give the base_url option)",
                 vs_last_error());
        b->env_error = strdup(msg);
        if (!b->env_error) return VS_ENOMEM;
    }
    const char *key = getenv("OPENAI_API_KEY");
    if (key && *key && set_key_from(b, "OPENAI_API_KEY") == VS_ENOMEM) return VS_ENOMEM;
    return VS_OK;
}

int vs_openai_backend_create(vs_model_callbacks *out_callbacks, void **out_backend) {
    if (out_callbacks) memset(out_callbacks, 0, sizeof *out_callbacks);
    if (out_backend) *out_backend = NULL;
    if (!out_callbacks || !out_backend)
        return oai_error(VS_EINVAL, "vs_openai_backend_create: %s is NULL",
                         !out_callbacks ? "out_callbacks" : "out_backend");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return oai_error(VS_EIO, "vs_openai_backend_create: curl_global_init failed");
    oai *b = calloc(1, sizeof *b);
    if (!b) {
        curl_global_cleanup();
        return oai_nomem("vs_openai_backend_create");
    }
    b->base_url = strdup(VS_OPENAI_DEFAULT_BASE_URL);
    b->model = strdup(OAI_DEFAULT_MODEL);
    b->timeout_ms = 120000;
    b->connect_timeout_ms = 10000;
    b->max_retries = 3;
    b->max_tokens = 0;
    b->max_retry_after_ms = 60000;
    b->concurrency = 16;
    if (b->base_url && b->model && env_defaults(b) == VS_ENOMEM) {
        vs_openai_backend_destroy(b);
        return oai_nomem("vs_openai_backend_create");
    }
    if (!b->base_url || !b->model) {
        vs_openai_backend_destroy(b);
        return oai_nomem("vs_openai_backend_create");
    }
    out_callbacks->struct_size = (uint32_t)sizeof *out_callbacks;
    out_callbacks->generate = oai_generate;
    out_callbacks->loglikelihood = oai_loglikelihood;
    out_callbacks->destroy = vs_openai_backend_destroy;
    *out_backend = b;
    return VS_OK;
}

int vs_openai_backend_model(vs_model **out, const char *const *keys, const char *const *values, size_t n) {
    if (out) *out = NULL;
    if (!out || (n && (!keys || !values)))
        return oai_error(VS_EINVAL, "vs_openai_backend_model: %s is NULL", !out ? "out" : !keys ? "keys" : "values");
    vs_model_callbacks cb;
    void *backend = NULL;
    int rc = vs_openai_backend_create(&cb, &backend);
    for (size_t i = 0; rc == VS_OK && i < n; i++) rc = vs_openai_backend_set_option(backend, keys[i], values[i]);
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

size_t oai_code_points(const char *s, size_t len) {
    size_t n = 0;
    for (size_t k = 0; k < len; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80) n++;
    return n;
}
