/* The openai example backend: request bodies and answers, in JSON through jansson (Debian:
 * libjansson-dev), a JSON library of the backend's own (see openai_backend.h, "Build"). */
#include <curl/curl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openai_internal.h"

/* ---- request bodies */

/* Adds key = value (a new reference, NULL after an allocation failure) to obj; counts failures. */
static void put(json_t *obj, const char *key, json_t *value, int *bad) {
    if ((!value || json_object_set_new(obj, key, value) != 0) && !*bad) *bad = 1;
}

static void push(json_t *array, json_t *value, int *bad) {
    if ((!value || json_array_append_new(array, value) != 0) && !*bad) *bad = 1;
}

/* A JSON string of s[0..len); NULL with *bad = BAD_UTF8 when s is not valid UTF-8 (e.g. a model
 * name given as an option), NULL with *bad = 1 when out of memory. */
#define BAD_UTF8 2
static json_t *string_n(const char *s, size_t len, int *bad) {
    json_t *v = json_stringn(s, len);
    if (v) return v;
    json_t *raw = json_stringn_nocheck(s, len); /* succeeds: the text was the problem */
    if (raw) *bad = BAD_UTF8;
    else if (!*bad) *bad = 1;
    json_decref(raw);
    return NULL;
}

static json_t *string(const char *s, int *bad) { return string_n(s, strlen(s), bad); }

/* Serialises root (compact, keys in insertion order) into *out (malloc), and releases root. */
static int finish(char **out, json_t *root, int bad) {
    *out = NULL;
    size_t need = !bad && root ? json_dumpb(root, NULL, 0, JSON_COMPACT) : 0;
    char *text = need ? malloc(need + 1) : NULL;
    if (text && json_dumpb(root, text, need, JSON_COMPACT) != need) {
        free(text);
        text = NULL;
    }
    json_decref(root);
    if (bad == BAD_UTF8) return oai_error(VS_EUTF8, "openai backend: request body: a string is not valid UTF-8");
    if (!text) return oai_nomem("openai backend: request body");
    text[need] = '\0';
    *out = text;
    return VS_OK;
}

/* A JSON object {"role": role, "content": content}; NULL after a failure (counted in *bad). */
static json_t *message(const char *role, const char *content, int *bad) {
    json_t *m = json_object();
    int mbad = !m;
    if (m) {
        put(m, "role", string(role, &mbad), &mbad);
        put(m, "content", string(content, &mbad), &mbad);
    }
    if (mbad) {
        json_decref(m);
        if (!*bad) *bad = mbad;
        return NULL;
    }
    return m;
}

int oai_chat_body(char **out, const oai *b, const vs_model_gen_request *q) {
    json_t *root = json_object(), *messages = json_array();
    int bad = !root || !messages;
    if (root) put(root, "model", string(b->model, &bad), &bad);
    if (messages) {
        if (q->prompt && b->system) push(messages, message("system", b->system, &bad), &bad);
        if (q->prompt)
            push(messages, message("user", q->prompt, &bad), &bad);
        else
            for (size_t m = 0; m < q->n_messages; m++) push(messages, message(q->roles[m], q->contents[m], &bad), &bad);
    }
    if (root) put(root, "messages", messages, &bad);
    else json_decref(messages);
    if (!root) return finish(out, NULL, 1);
    put(root, "temperature", json_real(q->temperature), &bad);
    long max_tokens = q->max_tokens ? (long)q->max_tokens : b->max_tokens;
    if (max_tokens > 0) put(root, "max_tokens", json_integer(max_tokens), &bad);
    if (q->n_stop) {
        json_t *stop = json_array();
        for (size_t k = 0; stop && k < q->n_stop; k++) push(stop, string(q->stop[k], &bad), &bad);
        put(root, "stop", stop, &bad);
    }
    put(root, "seed", json_integer((json_int_t)(q->seed >> 33)), &bad);
    return finish(out, root, bad);
}

int oai_completion_body(char **out, const oai *b, const vs_model_loglik_request *q) {
    size_t lc = strlen(q->context), ln = strlen(q->continuation);
    json_t *root = json_object();
    int bad = !root;
    if (root) {
        put(root, "model", string(b->model, &bad), &bad);
        char *prompt = malloc(lc + ln + 1);
        if (prompt) {
            memcpy(prompt, q->context, lc);
            memcpy(prompt + lc, q->continuation, ln + 1);
        }
        put(root, "prompt", prompt ? string_n(prompt, lc + ln, &bad) : NULL, &bad);
        free(prompt);
        put(root, "max_tokens", json_integer(1), &bad);
        put(root, "temperature", json_integer(0), &bad);
        put(root, "echo", json_true(), &bad);
        put(root, "logprobs", json_integer(1), &bad);
    }
    return finish(out, root, bad);
}

/* ---- answers */

/* Sets a failure with a formatted message; returns VS_OK or VS_ENOMEM. */
static int fail(vs_model_batch *batch, size_t i, int *status, int kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail(vs_model_batch *batch, size_t i, int *status, int kind, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    status[i] = kind;
    return vs_model_set_error(batch, i, msg) == VS_ENOMEM ? VS_ENOMEM : VS_OK;
}

/* Parses an answer body: numbers as doubles, NUL characters (\\u0000) kept (the library then
 * rejects such a text as BAD_OUTPUT). On failure returns NULL with *status a vs_status
 * (VS_EPARSE, VS_EUTF8, VS_ENOMEM) and the cause "answer:LINE:COLUMN: what" in msg. */
static json_t *parse(const oai_answer *a, int *status, char *msg, size_t cap) {
    json_error_t err;
    json_t *doc = json_loadb(a->body, a->len, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &err);
    if (doc) {
        *status = VS_OK;
        return doc;
    }
    enum json_error_code code = json_error_code(&err);
    *status = code == json_error_out_of_memory ? VS_ENOMEM : code == json_error_invalid_utf8 ? VS_EUTF8 : VS_EPARSE;
    snprintf(msg, cap, "answer:%d:%d: %s", err.line, err.column, err.text);
    return NULL;
}

/* The member `key` of obj when obj is an object, else NULL. */
static json_t *member(const json_t *obj, const char *key) { return json_is_object(obj) ? json_object_get(obj, key) : NULL; }

/* The server's error message: error.message (OpenAI, vLLM, llama.cpp), error (a string, Ollama),
 * message or detail; else the start of the body. Writes into buf. */
static void server_message(char *buf, size_t cap, const oai_answer *a) {
    char why[256];
    int st;
    json_t *doc = parse(a, &st, why, sizeof why);
    buf[0] = '\0';
    if (doc) {
        json_t *e = member(doc, "error");
        json_t *m = json_is_object(e) ? member(e, "message") : e;
        if (!json_is_string(m)) m = member(doc, "message");
        if (!json_is_string(m)) m = member(doc, "detail");
        if (json_is_string(m)) snprintf(buf, cap, "%s", json_string_value(m));
        json_decref(doc);
        if (buf[0]) return;
    }
    size_t n = a->len < 200 ? a->len : 200;
    snprintf(buf, cap, "%.*s", (int)n, a->body); /* invalid UTF-8 is replaced by vs_model_set_error */
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < ' ') *p = ' ';
}

int oai_classify(vs_model_batch *batch, size_t i, const oai *b, const oai_answer *a, int loglik, int *status) {
    int rc;
    if (a->cancelled) { /* the run stops before the next call; the item is not final */
        rc = fail(batch, i, status, VS_MODEL_ITEM_TRANSIENT, "cancelled before an answer came");
        return rc == VS_OK ? 0 : -1;
    }
    if (a->too_large) {
        rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT, "the answer is larger than %zu bytes", OAI_MAX_BODY);
        return rc == VS_OK ? 0 : -1;
    }
    CURLcode cc = (CURLcode)a->curl_code;
    if (cc != CURLE_OK) {
        int transient = cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_COULDNT_CONNECT || cc == CURLE_GOT_NOTHING ||
                        cc == CURLE_SEND_ERROR || cc == CURLE_RECV_ERROR || cc == CURLE_PARTIAL_FILE ||
                        cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_HTTP2 ||
                        cc == CURLE_HTTP2_STREAM;
        /* the causes a user meets first, in words */
        if (cc == CURLE_OPERATION_TIMEDOUT)
            rc = fail(batch, i, status, VS_MODEL_ITEM_TRANSIENT, "timed out after %ld ms", b->timeout_ms);
        else if (cc == CURLE_COULDNT_CONNECT)
            rc = fail(batch, i, status, VS_MODEL_ITEM_TRANSIENT,
                      "cannot connect to %s: connection refused or host unreachable (is the server running?)",
                      b->base_url);
        else if (cc == CURLE_COULDNT_RESOLVE_HOST)
            rc = fail(batch, i, status, VS_MODEL_ITEM_TRANSIENT, "cannot resolve the host name of %s", b->base_url);
        else
            rc = fail(batch, i, status, transient ? VS_MODEL_ITEM_TRANSIENT : VS_MODEL_ITEM_PERMANENT,
                      "request to %s failed: %s", b->base_url, curl_easy_strerror(cc));
        (void)rc;
        return 0;
    }
    if (a->http >= 200 && a->http < 300) return 1;
    char msg[320];
    server_message(msg, sizeof msg, a);
    if (a->http == 429 || a->http == 408 || (a->http >= 500 && a->http != 501)) {
        if (a->retry_after >= 0)
            fail(batch, i, status, VS_MODEL_ITEM_TRANSIENT, "HTTP %ld (Retry-After: %ld): %s", a->http, a->retry_after,
                 msg);
        else
            fail(batch, i, status, VS_MODEL_ITEM_TRANSIENT, "HTTP %ld: %s", a->http, msg);
    } else if (loglik && (a->http == 404 || a->http == 405 || a->http == 501)) {
        fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
             "server returned no logprobs: the loglik judge needs a completions endpoint with echo and "
             "logprobs (/v1/completions); this server answered HTTP %ld: %s",
             a->http, msg);
    } else {
        fail(batch, i, status, VS_MODEL_ITEM_PERMANENT, "HTTP %ld: %s", a->http, msg);
    }
    return 0;
}

/* Parses the body; on failure sets a permanent failure and returns NULL. */
static json_t *parse_body(vs_model_batch *batch, size_t i, const oai_answer *a, int *status, int *rc) {
    char why[256];
    int prc;
    json_t *doc = parse(a, &prc, why, sizeof why);
    if (prc == VS_ENOMEM) {
        *rc = oai_nomem("openai backend: answer");
        return NULL;
    }
    if (prc != VS_OK) {
        *rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT, "malformed answer (%s): %s", vs_status_name(prc), why);
        return NULL;
    }
    *rc = VS_OK;
    return doc;
}

static json_t *first_choice(const json_t *doc) {
    json_t *c = member(doc, "choices");
    return json_is_array(c) && json_array_size(c) > 0 ? json_array_get(c, 0) : NULL;
}

/* The name of a JSON value's type, for messages. */
static const char *type_name(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER:
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

int oai_parse_chat(vs_model_batch *batch, size_t i, const oai_answer *a, int *status) {
    int rc;
    json_t *doc = parse_body(batch, i, a, status, &rc);
    if (!doc) return rc;
    json_t *content = member(member(first_choice(doc), "message"), "content");
    if (!json_is_string(content)) {
        rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                  "malformed answer: no string at choices[0].message.content%s",
                  content ? " (the model gave no text)" : "");
    } else {
        /* a NUL byte (\u0000) or an over-long text makes the item BAD_OUTPUT in vs_model_set_text */
        rc = vs_model_set_text(batch, i, json_string_value(content), json_string_length(content)) == VS_ENOMEM
                 ? VS_ENOMEM
                 : VS_OK;
    }
    json_decref(doc);
    return rc;
}

/* The array member `key` of `obj` with exactly n items, or NULL. */
static json_t *array_of(const json_t *obj, const char *key, size_t n) {
    json_t *v = member(obj, key);
    return json_is_array(v) && json_array_size(v) == n ? v : NULL;
}

/* Is `token` (a string) the most likely entry of top (an object token -> logprob)? */
static int is_top(json_t *top, const json_t *token) {
    if (!json_is_object(top) || json_object_size(top) == 0) return 0;
    void *best = NULL;
    double best_lp = 0.0;
    for (void *it = json_object_iter(top); it; it = json_object_iter_next(top, it)) {
        json_t *v = json_object_iter_value(it);
        if (!json_is_number(v)) return 0;
        if (!best || json_number_value(v) > best_lp) {
            best = it;
            best_lp = json_number_value(v);
        }
    }
    size_t len = json_object_iter_key_len(best);
    return len == json_string_length(token) && memcmp(json_object_iter_key(best), json_string_value(token), len) == 0;
}

int oai_parse_loglik(vs_model_batch *batch, size_t i, const vs_model_loglik_request *q, const oai_answer *a,
                     double *logprob, int *is_greedy, int *status) {
    int rc;
    json_t *doc = parse_body(batch, i, a, status, &rc);
    if (!doc) return rc;
    json_t *lp = member(first_choice(doc), "logprobs");
    json_t *tokens = member(lp, "tokens");
    size_t nt = json_is_array(tokens) ? json_array_size(tokens) : 0;
    json_t *tlp = tokens ? array_of(lp, "token_logprobs", nt) : NULL;
    json_t *off = tokens ? array_of(lp, "text_offset", nt) : NULL;
    json_t *top = tokens ? array_of(lp, "top_logprobs", nt) : NULL;
    if (!tlp || !off) {
        rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                  "server returned no logprobs: the loglik judge needs a completions endpoint with echo and "
                  "logprobs (the answer has no choices[0].logprobs with tokens, token_logprobs and text_offset)");
        goto done;
    }
    size_t ctx_cp = oai_code_points(q->context, strlen(q->context));
    size_t end_cp = ctx_cp + oai_code_points(q->continuation, strlen(q->continuation));
    double sum = 0.0;
    size_t covered = 0;
    int greedy = 1;
    for (size_t k = 0; k < nt; k++) {
        json_t *t = json_array_get(tokens, k), *o = json_array_get(off, k), *l = json_array_get(tlp, k);
        if (!json_is_string(t) || !json_is_number(o) || json_number_value(o) < 0 ||
            json_number_value(o) != floor(json_number_value(o))) {
            rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                      "malformed answer: token %zu has no string text or no integer text_offset", k);
            goto done;
        }
        double start = json_number_value(o);
        double stop = start + (double)oai_code_points(json_string_value(t), json_string_length(t));
        if (start >= (double)end_cp) break; /* the generated token(s) after the prompt */
        if (stop <= (double)ctx_cp) continue;
        if (start < (double)ctx_cp) {
            rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                      "unsupported: token %zu (offset %.0f) spans the context/continuation boundary (at %zu)", k, start,
                      ctx_cp);
            goto done;
        }
        if (!json_is_number(l)) {
            rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                      "unsupported: continuation token %zu has no log-probability (%s)", k, type_name(l));
            goto done;
        }
        sum += json_number_value(l);
        covered += (size_t)(stop - start);
        if (!top || !is_top(json_array_get(top, k), t)) greedy = 0;
    }
    if (covered != end_cp - ctx_cp) {
        rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                  "malformed answer: the echoed tokens cover %zu of the continuation's %zu code points", covered,
                  end_cp - ctx_cp);
        goto done;
    }
    logprob[i] = sum; /* a positive value makes the item BAD_OUTPUT (checked by the library) */
    if (is_greedy) is_greedy[i] = greedy;
    rc = VS_OK;
done:
    json_decref(doc);
    return rc;
}
