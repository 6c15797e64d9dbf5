/* The openai example backend: request bodies and answers, with libvaluespace's private JSON
 * reader and writer (lib/io/json.h; see openai_backend.h, "Build"). */
#include <curl/curl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "io/json.h"
#include "openai_internal.h"

/* ---- request bodies */

static int finish(char **out, vs_json_writer *w) {
    int rc = vs__jw_finish(w, out);
    return rc == VS_OK ? VS_OK : vs__error_prefix(rc, "openai backend: request body");
}

int oai_chat_body(char **out, const oai *b, const vs_model_gen_request *q) {
    vs_json_writer w;
    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "model");
    vs__jw_string(&w, b->model);
    vs__jw_key(&w, "messages");
    vs__jw_begin_array(&w);
    if (q->prompt) {
        vs__jw_begin_object(&w);
        vs__jw_key(&w, "role");
        vs__jw_string(&w, "user");
        vs__jw_key(&w, "content");
        vs__jw_string(&w, q->prompt);
        vs__jw_end_object(&w);
    } else {
        for (size_t m = 0; m < q->n_messages; m++) {
            vs__jw_begin_object(&w);
            vs__jw_key(&w, "role");
            vs__jw_string(&w, q->roles[m]);
            vs__jw_key(&w, "content");
            vs__jw_string(&w, q->contents[m]);
            vs__jw_end_object(&w);
        }
    }
    vs__jw_end_array(&w);
    vs__jw_key(&w, "temperature");
    vs__jw_number(&w, q->temperature);
    long max_tokens = q->max_tokens ? (long)q->max_tokens : b->max_tokens;
    if (max_tokens > 0) {
        vs__jw_key(&w, "max_tokens");
        vs__jw_int(&w, max_tokens);
    }
    if (q->n_stop) {
        vs__jw_key(&w, "stop");
        vs__jw_begin_array(&w);
        for (size_t k = 0; k < q->n_stop; k++) vs__jw_string(&w, q->stop[k]);
        vs__jw_end_array(&w);
    }
    vs__jw_key(&w, "seed");
    vs__jw_int(&w, (long long)(q->seed >> 33));
    vs__jw_end_object(&w);
    return finish(out, &w);
}

int oai_completion_body(char **out, const oai *b, const vs_model_loglik_request *q) {
    size_t lc = strlen(q->context), ln = strlen(q->continuation);
    char *prompt = vs__malloc(lc + ln + 1);
    if (!prompt) return vs__nomem("openai backend");
    memcpy(prompt, q->context, lc);
    memcpy(prompt + lc, q->continuation, ln + 1);
    vs_json_writer w;
    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "model");
    vs__jw_string(&w, b->model);
    vs__jw_key(&w, "prompt");
    vs__jw_string(&w, prompt);
    vs__jw_key(&w, "max_tokens");
    vs__jw_int(&w, 1);
    vs__jw_key(&w, "temperature");
    vs__jw_int(&w, 0);
    vs__jw_key(&w, "echo");
    vs__jw_bool(&w, 1);
    vs__jw_key(&w, "logprobs");
    vs__jw_int(&w, 1);
    vs__jw_end_object(&w);
    vs__free(prompt);
    return finish(out, &w);
}

/* ---- answers */

/* Sets a failure with a formatted message; returns VS_OK or VS_ENOMEM. */
static int fail(vs_model_batch *batch, size_t i, int *status, int kind, const char *fmt, ...) VS_PRINTF(5, 6);
static int fail(vs_model_batch *batch, size_t i, int *status, int kind, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    status[i] = kind;
    return vs_model_set_error(batch, i, msg) == VS_ENOMEM ? VS_ENOMEM : VS_OK;
}

/* The server's error message: error.message (OpenAI, vLLM, llama.cpp), error (a string, Ollama),
 * message or detail; else the start of the body. Writes into buf. */
static void server_message(char *buf, size_t cap, const oai_answer *a) {
    vs_json *doc = NULL;
    buf[0] = '\0';
    if (vs__json_parse(&doc, a->body, a->len, "answer", VS_JSON_DEFAULT_MAX_DEPTH) == VS_OK) {
        const vs_json *e = vs__json_get(doc, "error");
        const vs_json *m = e && e->type == VS_JSON_OBJECT ? vs__json_get(e, "message") : e;
        if (!m || m->type != VS_JSON_STRING) m = vs__json_get(doc, "message");
        if (!m || m->type != VS_JSON_STRING) m = vs__json_get(doc, "detail");
        if (m && m->type == VS_JSON_STRING) snprintf(buf, cap, "%s", m->u.string.ptr);
        vs__json_free(doc);
        if (buf[0]) return;
    }
    size_t n = a->len < 200 ? a->len : 200;
    snprintf(buf, cap, "%.*s", (int)n, a->body); /* invalid UTF-8 is replaced by vs_model_set_error */
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < ' ') *p = ' ';
}

int oai_classify(vs_model_batch *batch, size_t i, const oai *b, const oai_answer *a, int loglik, int *status) {
    int rc;
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
static vs_json *parse_body(vs_model_batch *batch, size_t i, const oai_answer *a, int *status, int *rc) {
    vs_json *doc = NULL;
    int prc = vs__json_parse(&doc, a->body, a->len, "answer", VS_JSON_DEFAULT_MAX_DEPTH);
    if (prc == VS_ENOMEM) {
        *rc = VS_ENOMEM;
        return NULL;
    }
    if (prc != VS_OK) {
        *rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT, "malformed answer (%s): %s", vs_status_name(prc),
                   vs_last_error());
        return NULL;
    }
    *rc = VS_OK;
    return doc;
}

static const vs_json *first_choice(const vs_json *doc) {
    const vs_json *c = vs__json_get(doc, "choices");
    if (!c || c->type != VS_JSON_ARRAY || c->u.array.count == 0) return NULL;
    return c->u.array.items[0];
}

int oai_parse_chat(vs_model_batch *batch, size_t i, const oai_answer *a, int *status) {
    int rc;
    vs_json *doc = parse_body(batch, i, a, status, &rc);
    if (!doc) return rc;
    const vs_json *choice = first_choice(doc);
    const vs_json *msg = choice ? vs__json_get(choice, "message") : NULL;
    const vs_json *content = msg ? vs__json_get(msg, "content") : NULL;
    if (!content || content->type != VS_JSON_STRING) {
        rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                  "malformed answer: no string at choices[0].message.content%s",
                  content ? " (the model gave no text)" : "");
    } else {
        /* a NUL byte (\u0000) or an over-long text makes the item BAD_OUTPUT in vs_model_set_text */
        rc = vs_model_set_text(batch, i, content->u.string.ptr, content->u.string.len) == VS_ENOMEM ? VS_ENOMEM
                                                                                                   : VS_OK;
    }
    vs__json_free(doc);
    return rc;
}

/* The array member `key` of `obj` with exactly n items, or NULL. */
static const vs_json *array_of(const vs_json *obj, const char *key, size_t n) {
    const vs_json *v = vs__json_get(obj, key);
    return v && v->type == VS_JSON_ARRAY && v->u.array.count == n ? v : NULL;
}

/* Is `token` the most likely entry of top (an object token -> logprob)? */
static int is_top(const vs_json *top, const vs_json *token) {
    if (!top || top->type != VS_JSON_OBJECT || top->u.object.count == 0) return 0;
    const vs_json_member *best = NULL;
    for (size_t k = 0; k < top->u.object.count; k++) {
        const vs_json_member *m = &top->u.object.members[k];
        if (m->value->type != VS_JSON_NUMBER) return 0;
        if (!best || m->value->u.number > best->value->u.number) best = m;
    }
    return best->key_len == token->u.string.len && memcmp(best->key, token->u.string.ptr, best->key_len) == 0;
}

int oai_parse_loglik(vs_model_batch *batch, size_t i, const vs_model_loglik_request *q, const oai_answer *a,
                     double *logprob, int *is_greedy, int *status) {
    int rc;
    vs_json *doc = parse_body(batch, i, a, status, &rc);
    if (!doc) return rc;
    const vs_json *choice = first_choice(doc);
    const vs_json *lp = choice ? vs__json_get(choice, "logprobs") : NULL;
    const vs_json *tokens = lp ? vs__json_get(lp, "tokens") : NULL;
    size_t nt = tokens && tokens->type == VS_JSON_ARRAY ? tokens->u.array.count : 0;
    const vs_json *tlp = tokens ? array_of(lp, "token_logprobs", nt) : NULL;
    const vs_json *off = tokens ? array_of(lp, "text_offset", nt) : NULL;
    const vs_json *top = tokens ? array_of(lp, "top_logprobs", nt) : NULL;
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
        const vs_json *t = tokens->u.array.items[k], *o = off->u.array.items[k], *l = tlp->u.array.items[k];
        if (t->type != VS_JSON_STRING || o->type != VS_JSON_NUMBER || o->u.number < 0 ||
            o->u.number != floor(o->u.number)) {
            rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                      "malformed answer: token %zu has no string text or no integer text_offset (line %u)", k,
                      (unsigned)t->line);
            goto done;
        }
        double start = o->u.number;
        double stop = start + (double)oai_code_points(t->u.string.ptr, t->u.string.len);
        if (start >= (double)end_cp) break; /* the generated token(s) after the prompt */
        if (stop <= (double)ctx_cp) continue;
        if (start < (double)ctx_cp) {
            rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                      "unsupported: token %zu (offset %.0f) spans the context/continuation boundary (at %zu)", k, start,
                      ctx_cp);
            goto done;
        }
        if (l->type != VS_JSON_NUMBER) {
            rc = fail(batch, i, status, VS_MODEL_ITEM_PERMANENT,
                      "unsupported: continuation token %zu has no log-probability (%s)", k,
                      vs__json_type_name(l->type));
            goto done;
        }
        sum += l->u.number;
        covered += (size_t)(stop - start);
        if (!top || !is_top(top->u.array.items[k], t)) greedy = 0;
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
    vs__json_free(doc);
    return rc;
}
