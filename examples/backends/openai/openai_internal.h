/* Internals of the openai example backend, shared by its files and its test. Like the backend,
 * they use only libvaluespace's public API (valuespace.h), libcurl and jansson. */
#ifndef VS_OPENAI_INTERNAL_H
#define VS_OPENAI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "openai_backend.h"

/* Most requests in flight ("concurrency"). */
#define OAI_MAX_CONCURRENCY 1024L

/* Largest answer body read; a larger one is a permanent failure of that item. */
#define OAI_MAX_BODY ((size_t)64 << 20)

typedef struct oai {
    char *base_url;     /* without a trailing "/" or "/v1" */
    char *model;
    char *auth_header;  /* "Authorization: Bearer KEY", or NULL */
    long timeout_ms;
    long connect_timeout_ms;
    long max_retries;
    long max_tokens;    /* sent when a request says 0; 0 = leave it out */
    long max_retry_after_ms;
    double not_before;  /* CLOCK_MONOTONIC seconds before which no request is sent (Retry-After) */
    long concurrency;   /* requests in flight at most */
    long rpm;           /* requests started per minute at most; 0 = no limit */
    char *system;       /* system message put before a plain prompt, or NULL */
    char *env_error;    /* OPENAI_BASE_URL was set but invalid (the message), until base_url is set */
    double next_start;  /* CLOCK_MONOTONIC seconds before which no request starts ("rpm") */
    void (*observer)(void *user_data, int ok); /* told of each finished request, or NULL */
    void *observer_ud;
    const vs_cancel *cancel; /* when set, no request starts and in-flight ones are dropped */
} oai;

/* One HTTP answer, as the transfer code hands it to the parsers. */
typedef struct oai_answer {
    long http;          /* HTTP status, 0 when no answer came */
    int curl_code;      /* CURLcode of the transfer */
    char *body;         /* NUL-terminated (may hold NUL bytes), never NULL after a transfer */
    size_t len;
    int too_large;      /* the body exceeded OAI_MAX_BODY */
    int cancelled;      /* never sent, or dropped in flight, because the cancel token was set */
    long retry_after;   /* seconds from a Retry-After header, -1 if none */
} oai_answer;

/* ---- errors (openai_backend.c): set vs_last_error() through the public vs_set_last_error()
 *      and return status, like the library's own functions */
#if defined(__GNUC__)
int oai_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#else
int oai_error(int status, const char *fmt, ...);
#endif
/* "where: out of memory", VS_ENOMEM. */
int oai_nomem(const char *where);

/* ---- request bodies (openai_json.c, with jansson); return VS_OK or VS_ENOMEM, *out freed
 *      with free() */
int oai_chat_body(char **out, const oai *b, const vs_model_gen_request *q);
int oai_completion_body(char **out, const oai *b, const vs_model_loglik_request *q);

/* ---- answers (openai_json.c): set the item's status, output and message */
/* Classifies a non-2xx or failed transfer; returns 1 when the body is a 2xx answer to parse. */
int oai_classify(vs_model_batch *batch, size_t i, const oai *b, const oai_answer *a, int loglik, int *status);
/* Parses a 2xx chat answer; returns VS_OK or VS_ENOMEM (fatal). */
int oai_parse_chat(vs_model_batch *batch, size_t i, const oai_answer *a, int *status);
/* Parses a 2xx echoed completion; returns VS_OK or VS_ENOMEM (fatal). */
int oai_parse_loglik(vs_model_batch *batch, size_t i, const vs_model_loglik_request *q, const oai_answer *a,
                     double *logprob, int *is_greedy, int *status);

/* ---- transfers (openai_backend.c): runs n POSTs to base_url + path concurrently.
 * Returns VS_OK (every answer filled; failures are per answer) or VS_ENOMEM / VS_EIO. */
int oai_post_all(oai *b, const char *path, char *const *bodies, oai_answer *answers, size_t n);

/* Number of Unicode code points of valid UTF-8 text s[0..len). */
size_t oai_code_points(const char *s, size_t len);

#endif
