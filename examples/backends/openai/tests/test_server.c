/* The loopback test server of the openai backend's tests (see test_server.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "test_server.h"
#ifdef VS_HAVE_NGRAM_BACKEND
#include "ngram_backend.h"
#endif

#define TS_MAX_BODIES 256
#define TS_MAX_UPLOAD ((size_t)1 << 20)

struct ts_server {
    struct MHD_Daemon *daemon;
    vs_model *model;
    vs_model_results *results;
    pthread_mutex_t lock; /* the model, results and counters */
    char url[64];
    char *api_key;
    int fault, times;
    long slow_ms, retry_after;
    int no_completions, no_logprobs;
    long requests, faults;
    long active, max_active; /* requests being answered now, and the most at once */
    long system_msgs;        /* chat requests whose first message has role "system" */
    char *replay;            /* when set, every request gets this body with replay_code */
    unsigned replay_code;
    uint64_t bodies[TS_MAX_BODIES]; /* hashes of faulty bodies seen, with their counts */
    int counts[TS_MAX_BODIES];
    size_t n_bodies;
};

/* ------------------------------------------------------------------ the echo model */
/* generate: "echo" followed by the first words of the last message (at most max_tokens - 1
 * words; 8 when max_tokens is 0), then the request seed in hex; cut before the first stop string.
 * loglikelihood: -0.5 per non-space byte of the continuation, minus 0.01 * (context length mod 7);
 * greedy when the continuation has an even length. */
static int echo_generate(void *ud, vs_model_batch *batch, const vs_model_gen_request *const *requests, size_t n,
                         int *status) {
    (void)ud;
    (void)status;
    for (size_t i = 0; i < n; i++) {
        const vs_model_gen_request *q = requests[i];
        const char *src = q->prompt ? q->prompt : q->contents[q->n_messages - 1];
        unsigned words = q->max_tokens ? q->max_tokens - 1 : 8;
        char out[1024];
        size_t len = (size_t)snprintf(out, sizeof out, "echo");
        const char *p = src;
        for (unsigned w = 0; w < words; w++) {
            while (*p == ' ') p++;
            if (!*p) break;
            const char *e = p;
            while (*e && *e != ' ') e++;
            if (len + (size_t)(e - p) + 40 >= sizeof out) break;
            out[len++] = ' ';
            memcpy(out + len, p, (size_t)(e - p));
            len += (size_t)(e - p);
            p = e;
        }
        len += (size_t)snprintf(out + len, sizeof out - len, " %016llx", (unsigned long long)q->seed);
        for (size_t k = 0; k < q->n_stop; k++) {
            char *at = strstr(out, q->stop[k]);
            if (at && (size_t)(at - out) < len) len = (size_t)(at - out);
        }
        vs_model_set_text(batch, i, out, len);
    }
    return 0;
}

static int echo_loglik(void *ud, vs_model_batch *batch, const vs_model_loglik_request *const *requests, size_t n,
                       double *logprob, int *is_greedy, int *status) {
    (void)ud;
    (void)batch;
    (void)status;
    for (size_t i = 0; i < n; i++) {
        double lp = -0.01 * (double)(strlen(requests[i]->context) % 7);
        for (const char *c = requests[i]->continuation; *c; c++)
            if (*c != ' ') lp -= 0.5;
        logprob[i] = lp;
        if (is_greedy) is_greedy[i] = strlen(requests[i]->continuation) % 2 == 0;
    }
    return 0;
}

int ts_model_create(vs_model **out, int *is_ngram) {
#ifdef VS_HAVE_NGRAM_BACKEND
    if (vs_ngram_backend_model(out, NULL) == VS_OK) {
        *is_ngram = 1;
        return VS_OK;
    }
#endif
    *is_ngram = 0;
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.generate = echo_generate;
    cb.loglikelihood = echo_loglik;
    return vs_model_create(out, &cb, NULL);
}

/* ------------------------------------------------------------------ direct model calls (locked by callers) */

static int run_generate(ts_server *s, char **out, const vs_model_gen_request *q, long long seed) {
    *out = NULL;
    int rc = vs_model_set_seed(s->model, (uint64_t)seed);
    const vs_model_gen_request *qp = q;
    if (rc == VS_OK) rc = vs_model_generate(s->results, s->model, &qp, 1);
    if (rc != VS_OK) return rc;
    const char *t = vs_model_results_text(s->results, 0);
    if (!t) return VS_ECALLBACK;
    *out = strdup(t);
    return *out ? VS_OK : VS_ENOMEM;
}

static int run_loglik(ts_server *s, double *lp, int *greedy, const char *context, const char *continuation) {
    vs_model_loglik_request q = VS_MODEL_LOGLIK_REQUEST_INIT;
    q.id = "srv";
    q.context = context;
    q.continuation = continuation;
    const vs_model_loglik_request *qp = &q;
    int rc = vs_model_loglikelihood(s->results, s->model, &qp, 1, VS_MODEL_WANT_GREEDY);
    if (rc != VS_OK) return rc;
    if (vs_model_results_status(s->results, 0) != VS_MODEL_ITEM_OK) { /* e.g. ngram: punctuation only */
        *lp = 0.0;
        *greedy = 0;
        return VS_OK;
    }
    return vs_model_results_loglik(lp, greedy, s->results, 0);
}

int ts_direct_generate(ts_server *s, char **out_text, const char *prompt, unsigned max_tokens, double temperature,
                       long long seed) {
    vs_model_gen_request q = VS_MODEL_GEN_REQUEST_INIT;
    q.id = "srv";
    q.prompt = prompt;
    q.max_tokens = max_tokens;
    q.temperature = temperature;
    pthread_mutex_lock(&s->lock);
    int rc = run_generate(s, out_text, &q, seed);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int ts_direct_loglik(ts_server *s, double *out_lp, int *out_greedy, const char *context, const char *continuation) {
    pthread_mutex_lock(&s->lock);
    int rc = run_loglik(s, out_lp, out_greedy, context, continuation);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ------------------------------------------------------------------ HTTP */

typedef struct upload {
    char *data;
    size_t len;
    int too_large;
} upload;

static enum MHD_Result respond(struct MHD_Connection *c, unsigned code, const char *body, size_t len,
                               const char *retry_after) {
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (retry_after) MHD_add_response_header(r, "Retry-After", retry_after);
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result respond_error(struct MHD_Connection *c, unsigned code, const char *type, const char *message) {
    char body[512];
    int n = snprintf(body, sizeof body, "{\"error\":{\"message\":\"%s\",\"type\":\"%s\",\"code\":%u}}", message, type,
                     code);
    return respond(c, code, body, (size_t)n, NULL);
}

static uint64_t fnv(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t k = 0; k < n; k++) h = (h ^ (unsigned char)s[k]) * 0x100000001b3u;
    return h;
}

/* Returns the fault to inject for this body (locked). */
static int fault_for(ts_server *s, const char *body, size_t len) {
    if (s->fault == TS_FAULT_NONE || !memmem(body, len, "FAULT", 5)) return TS_FAULT_NONE;
    uint64_t h = fnv(body, len);
    size_t k = 0;
    while (k < s->n_bodies && s->bodies[k] != h) k++;
    if (k == s->n_bodies) {
        if (k == TS_MAX_BODIES) return TS_FAULT_NONE;
        s->bodies[k] = h;
        s->counts[k] = 0;
        s->n_bodies++;
    }
    if (s->counts[k] >= s->times) return TS_FAULT_NONE;
    s->counts[k]++;
    s->faults++;
    return s->fault;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Serialises doc (compact) and frees it; NULL when out of memory. Free the text with free(). */
static char *dump(json_t *doc) {
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}

/* Writes the answer JSON with `content` as its text, applying content faults. */
static enum MHD_Result answer_chat(struct MHD_Connection *c, const char *content, int fault) {
    json_t *content_value = fault == TS_FAULT_NUL         ? json_stringn("bad\0byte", 8)
                            : fault == TS_FAULT_BAD_UTF8 ? json_string("BADUTF8")
                                                         : json_string(content);
    char *text = dump(json_pack("{s:s, s:s, s:[{s:i, s:{s:s, s:o}, s:s}]}", "id", "chatcmpl-test", "object",
                                "chat.completion", "choices", "index", 0, "message", "role", "assistant", "content",
                                content_value, "finish_reason", "stop"));
    if (!text) return respond_error(c, 500, "server_error", "cannot write the answer");
    size_t len = strlen(text);
    if (fault == TS_FAULT_BAD_UTF8) { /* replace the marker by raw invalid bytes */
        char *at = strstr(text, "BADUTF8");
        memcpy(at, "\xff\xfe" "ok!!!", 7);
    }
    if (fault == TS_FAULT_MALFORMED) len /= 2;
    enum MHD_Result r = respond(c, 200, text, len, NULL);
    free(text);
    return r;
}

/* The member `key` of obj when obj is an object, else NULL. */
static json_t *member(const json_t *obj, const char *key) { return json_is_object(obj) ? json_object_get(obj, key) : NULL; }

static int check_common(ts_server *s, struct MHD_Connection *c, const json_t *doc, enum MHD_Result *ret) {
    if (s->api_key) {
        const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        char want[256];
        snprintf(want, sizeof want, "Bearer %s", s->api_key);
        if (!auth || strcmp(auth, want) != 0) {
            *ret = respond_error(c, 401, "invalid_request_error", "Incorrect API key provided");
            return 0;
        }
    }
    const json_t *m = member(doc, "model");
    if (!json_is_string(m) || strcmp(json_string_value(m), "test-model") != 0) {
        *ret = respond_error(c, 404, "invalid_request_error", "The model does not exist");
        return 0;
    }
    return 1;
}

static enum MHD_Result serve_chat(ts_server *s, struct MHD_Connection *c, const json_t *doc, int fault) {
    enum MHD_Result ret;
    if (!check_common(s, c, doc, &ret)) return ret;
    const json_t *msgs = member(doc, "messages");
    const json_t *mt = member(doc, "max_tokens"), *temp = member(doc, "temperature");
    const json_t *stop = member(doc, "stop"), *seed = member(doc, "seed");
    if (!json_is_array(msgs) || json_array_size(msgs) == 0 || json_array_size(msgs) > 64 ||
        (mt && !json_is_number(mt)) || (temp && !json_is_number(temp)) ||
        (stop && (!json_is_array(stop) || json_array_size(stop) > 16)) || !json_is_number(seed))
        return respond_error(c, 400, "invalid_request_error", "malformed chat request");
    const char *roles[64], *contents[64], *stops[16];
    for (size_t k = 0; k < json_array_size(msgs); k++) {
        const json_t *r = member(json_array_get(msgs, k), "role");
        const json_t *t = member(json_array_get(msgs, k), "content");
        if (!json_is_string(r) || !json_is_string(t))
            return respond_error(c, 400, "invalid_request_error", "malformed message");
        roles[k] = json_string_value(r);
        contents[k] = json_string_value(t);
    }
    if (strcmp(roles[0], "system") == 0) {
        pthread_mutex_lock(&s->lock);
        s->system_msgs++;
        pthread_mutex_unlock(&s->lock);
    }
    size_t n_stop = stop ? json_array_size(stop) : 0;
    for (size_t k = 0; k < n_stop; k++) {
        if (!json_is_string(json_array_get(stop, k)))
            return respond_error(c, 400, "invalid_request_error", "malformed stop");
        stops[k] = json_string_value(json_array_get(stop, k));
    }
    vs_model_gen_request q = VS_MODEL_GEN_REQUEST_INIT;
    q.id = "srv";
    q.n_messages = json_array_size(msgs);
    q.roles = roles;
    q.contents = contents;
    q.max_tokens = mt ? (uint32_t)json_number_value(mt) : 0;
    q.temperature = temp ? json_number_value(temp) : 1.0;
    q.n_stop = n_stop;
    q.stop = stops;
    char *text = NULL;
    pthread_mutex_lock(&s->lock);
    int rc = run_generate(s, &text, &q, (long long)json_number_value(seed));
    pthread_mutex_unlock(&s->lock);
    if (rc != VS_OK) return respond_error(c, 500, "server_error", "the model failed");
    ret = answer_chat(c, text, fault);
    free(text);
    return ret;
}

static size_t utf8_points(const char *p, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) k++;
    return k;
}

static enum MHD_Result serve_completion(ts_server *s, struct MHD_Connection *c, const json_t *doc, int fault) {
    enum MHD_Result ret;
    if (s->no_completions) return respond_error(c, 404, "not_found", "Not Found");
    if (!check_common(s, c, doc, &ret)) return ret;
    const json_t *prompt = member(doc, "prompt"), *echo = member(doc, "echo");
    if (!json_is_string(prompt) || !json_is_true(echo))
        return respond_error(c, 400, "invalid_request_error", "this test server needs a string prompt and echo");
    const char *p = json_string_value(prompt);
    size_t plen = json_string_length(prompt);
    char *prefix = malloc(plen + 1), *tok = malloc(plen + 1);
    json_t *choice = json_pack("{s:s%}", "text", p, plen);
    json_t *answer = choice ? json_pack("{s:s, s:[o]}", "object", "text_completion", "choices", choice) : NULL;
    if (!prefix || !tok || !answer) {
        free(prefix);
        free(tok);
        json_decref(answer);
        return respond_error(c, 500, "server_error", "out of memory");
    }
    if (!s->no_logprobs) {
        /* tokens: (white space)(non-space)* runs, each scored given the prompt before it */
        json_t *tokens = json_array(), *lps = json_array(), *offsets = json_array(), *tops = json_array();
        size_t at = 0, k = 0;
        while (at < plen) {
            size_t e = at;
            while (e < plen && (p[e] == ' ' || p[e] == '\n')) e++;
            while (e < plen && p[e] != ' ' && p[e] != '\n') e++;
            memcpy(tok, p + at, e - at);
            tok[e - at] = '\0';
            memcpy(prefix, p, at);
            prefix[at] = '\0';
            double lp = 0.0;
            int greedy = 0;
            if (k > 0) {
                pthread_mutex_lock(&s->lock);
                run_loglik(s, &lp, &greedy, prefix, tok);
                pthread_mutex_unlock(&s->lock);
            }
            json_array_append_new(tokens, json_string(tok));
            json_array_append_new(lps, k == 0 ? json_null() : json_real(lp));
            json_array_append_new(offsets, json_integer((json_int_t)utf8_points(p, at)));
            json_array_append_new(tops, k == 0 ? json_null() : json_pack("{s:f}", greedy ? tok : "<other>", greedy ? lp : 0.0));
            at = e;
            k++;
        }
        /* the one generated token after the prompt */
        json_array_append_new(tokens, json_string(" <gen>"));
        json_array_append_new(lps, json_real(-1.0));
        json_array_append_new(offsets, json_integer((json_int_t)utf8_points(p, plen)));
        json_array_append_new(tops, json_null());
        json_object_set_new(choice, "logprobs", json_pack("{s:o, s:o, s:o, s:o}", "tokens", tokens, "token_logprobs",
                                                          lps, "text_offset", offsets, "top_logprobs", tops));
    }
    free(prefix);
    free(tok);
    char *text = dump(answer);
    if (!text) return respond_error(c, 500, "server_error", "cannot write the answer");
    size_t len = strlen(text);
    if (fault == TS_FAULT_MALFORMED) len /= 2;
    ret = respond(c, 200, text, len, NULL);
    free(text);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *data_size, void **con_cls) {
    ts_server *s = cls;
    (void)version;
    upload *u = *con_cls;
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u) return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (*data_size) {
        if (u->len + *data_size > TS_MAX_UPLOAD) {
            u->too_large = 1;
        } else {
            char *g = realloc(u->data, u->len + *data_size + 1);
            if (!g) return MHD_NO;
            u->data = g;
            memcpy(u->data + u->len, data, *data_size);
            u->len += *data_size;
            u->data[u->len] = '\0';
        }
        *data_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&s->lock);
    long nreq = ++s->requests;
    int fault = u->data ? fault_for(s, u->data, u->len) : TS_FAULT_NONE;
    long slow_ms = s->slow_ms, retry_after = s->retry_after;
    pthread_mutex_unlock(&s->lock);
    if (nreq > TS_MAX_REQUESTS) return respond_error(c, 410, "gone", "request budget of the test server exhausted");
    if (strcmp(method, "POST") != 0) return respond_error(c, 405, "invalid_request_error", "POST only");
    int chat = strcmp(url, "/v1/chat/completions") == 0, compl = strcmp(url, "/v1/completions") == 0;
    if (!chat && !compl) return respond_error(c, 404, "not_found", "Not Found");
    if (u->too_large || !u->data) return respond_error(c, 400, "invalid_request_error", "no body or too large");
    if (s->replay) return respond(c, s->replay_code, s->replay, strlen(s->replay), NULL);
    if (fault == TS_FAULT_429) {
        char ra[32];
        snprintf(ra, sizeof ra, "%ld", retry_after);
        char body[] = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_exceeded\"}}";
        return respond(c, 429, body, strlen(body), ra);
    }
    if (fault == TS_FAULT_500) return respond_error(c, 500, "server_error", "The server had an error");
    if (fault == TS_FAULT_RESET) return MHD_NO; /* MHD closes the connection */
    if (fault == TS_FAULT_400) return respond_error(c, 400, "invalid_request_error", "max_tokens is too large");
    pthread_mutex_lock(&s->lock);
    if (++s->active > s->max_active) s->max_active = s->active;
    pthread_mutex_unlock(&s->lock);
    if (fault == TS_FAULT_SLOW) sleep_ms(slow_ms);
    json_t *doc = json_loadb(u->data, u->len, JSON_DECODE_INT_AS_REAL, NULL);
    enum MHD_Result ret = !doc ? respond_error(c, 400, "invalid_request_error", "the body is not JSON")
                          : chat ? serve_chat(s, c, doc, fault)
                                 : serve_completion(s, c, doc, fault);
    json_decref(doc);
    pthread_mutex_lock(&s->lock);
    s->active--;
    pthread_mutex_unlock(&s->lock);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)c;
    (void)toe;
    upload *u = *con_cls;
    if (!u) return;
    free(u->data);
    free(u);
    *con_cls = NULL;
}

int ts_start(ts_server **out, vs_model *model, const char *api_key) {
    *out = NULL;
    ts_server *s = calloc(1, sizeof *s);
    if (!s) return VS_ENOMEM;
    s->model = model;
    s->api_key = api_key ? strdup(api_key) : NULL;
    pthread_mutex_init(&s->lock, NULL);
    if (vs_model_results_create(&s->results) != VS_OK) {
        ts_stop(s);
        return VS_ENOMEM;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0; /* the OS picks a free port */
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, handle,
                                 s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED,
                                 completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info || info->port == 0) {
        ts_stop(s);
        return VS_EIO;
    }
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)info->port);
    *out = s;
    return VS_OK;
}

const char *ts_url(const ts_server *s) {
    return s->url;
}

void ts_set_fault(ts_server *s, int fault, int times, long slow_ms, long retry_after) {
    pthread_mutex_lock(&s->lock);
    s->fault = fault;
    s->times = times;
    s->slow_ms = slow_ms;
    s->retry_after = retry_after;
    s->n_bodies = 0;
    s->faults = 0;
    pthread_mutex_unlock(&s->lock);
}

void ts_set_no_completions(ts_server *s, int on) {
    s->no_completions = on;
}

void ts_set_no_logprobs(ts_server *s, int on) {
    s->no_logprobs = on;
}

long ts_requests(ts_server *s) {
    pthread_mutex_lock(&s->lock);
    long n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void ts_set_replay(ts_server *s, unsigned code, const char *body) {
    pthread_mutex_lock(&s->lock);
    free(s->replay);
    s->replay = body ? strdup(body) : NULL;
    s->replay_code = code;
    pthread_mutex_unlock(&s->lock);
}

long ts_max_in_flight(ts_server *s) {
    pthread_mutex_lock(&s->lock);
    long n = s->max_active;
    pthread_mutex_unlock(&s->lock);
    return n;
}

long ts_system_messages(ts_server *s) {
    pthread_mutex_lock(&s->lock);
    long n = s->system_msgs;
    pthread_mutex_unlock(&s->lock);
    return n;
}

long ts_faults_served(ts_server *s) {
    pthread_mutex_lock(&s->lock);
    long n = s->faults;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void ts_stop(ts_server *s) {
    if (!s) return;
    if (s->daemon) MHD_stop_daemon(s->daemon); /* joins the connection threads */
    vs_model_results_free(s->results);
    pthread_mutex_destroy(&s->lock);
    free(s->api_key);
    free(s->replay);
    free(s);
}
