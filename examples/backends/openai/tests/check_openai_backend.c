/* Tests of the openai example backend: the client runs through vs_model against a loopback
 * OpenAI-compatible server (test_server.c, libmicrohttpd on 127.0.0.1 with an OS-assigned port)
 * that serves the ngram model when it is built (else a deterministic echo model). No other
 * address is ever contacted. Each test starts its own server and stops it at its end.
 *
 * Independent references: the expected texts and log-probabilities are computed by calling the
 * served model directly (no HTTP, no JSON), with the seed the wire format defines
 * (vs_model_item_seed(run seed, id, repeat) >> 33, recomputed here); status/attempt counts follow
 * from the injected faults by hand (e.g. a body failing twice with 500 under max_retries 3 needs 3
 * attempts). vs_model's backoff sleep is replaced by a recorder, so retries cost no waiting except
 * the server's Retry-After, which the client honours itself. Under VS_TEST_UNDER_VALGRIND=1 the
 * cases are shrunk (fewer items, shorter generations) and the time limits stretched. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "openai_internal.h"
#include "test_server.h"
#include "testutil.h"

static vs_model *served;  /* the model the server serves (loaded once) */
static int is_ngram;
static int slow;          /* under valgrind */
static ts_server *server; /* per test */
static int sleeps;        /* vs_model backoff sleeps recorded */
static double slept;

static void load(void) {
    const char *v = getenv("VS_TEST_UNDER_VALGRIND");
    slow = v && *v && strcmp(v, "0") != 0;
    ck_assert_ok(ts_model_create(&served, &is_ngram));
}

static void unload(void) {
    vs_model_free(served);
    served = NULL;
}

static void start(void) {
    sleeps = 0;
    slept = 0;
    ck_assert_ok(ts_start(&server, served, NULL));
}

static void stop(void) {
    ts_stop(server);
    server = NULL;
}

static void record_sleep(void *ud, double seconds) {
    (void)ud;
    sleeps++;
    slept += seconds;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A client model for the current server with extra options (k, v pairs, NULL-terminated). */
static vs_model *client(const char *first_key, ...) {
    const char *keys[16] = {"base_url", "model", "timeout_ms"}, *vals[16] = {ts_url(server), "test-model",
                                                                              slow ? "60000" : "10000"};
    size_t n = 3;
    va_list ap;
    va_start(ap, first_key);
    for (const char *k = first_key; k && n < 16; k = va_arg(ap, const char *)) {
        keys[n] = k;
        vals[n++] = va_arg(ap, const char *);
    }
    va_end(ap);
    vs_model *m = NULL;
    ck_assert_ok(vs_openai_backend_model(&m, keys, vals, n));
    ck_assert_ok(vs_model_set_sleep(m, record_sleep, NULL));
    return m;
}

/* vs_model prefixes the backend's message ("permanent failure reported by the generate callback: ") */
#define ck_assert_error_is(r, i, want)                                                             \
    do {                                                                                           \
        const char *ck_e_ = vs_model_results_error(r, i), *ck_w_ = (want);                         \
        size_t ck_le_ = strlen(ck_e_), ck_lw_ = strlen(ck_w_);                                     \
        ck_assert_msg(ck_le_ >= ck_lw_ && strcmp(ck_e_ + ck_le_ - ck_lw_, ck_w_) == 0,             \
                      "message \"%s\" does not end with \"%s\"", ck_e_, ck_w_);                     \
    } while (0)

#define MAX_ITEMS 16
static const char *prompts[MAX_ITEMS] = {
    "When honesty might hurt someone I usually",  "The most important thing in life is",
    "I think that people should always",         "My family taught me to",
    "In a difficult situation I tend to",        "The best way to help others is to",
    "When I have free time I like to",           "FAULT one of the things I value",
    "FAULT people in my country",                "FAULT the future of the world",
};

typedef struct gen_set {
    vs_model_gen_request req[MAX_ITEMS];
    const vs_model_gen_request *ptr[MAX_ITEMS];
    char ids[MAX_ITEMS][24];
} gen_set;

static void make_gen(gen_set *g, const char *const *ps, size_t n, unsigned max_tokens, double temperature) {
    for (size_t i = 0; i < n; i++) {
        vs_model_gen_request q = VS_MODEL_GEN_REQUEST_INIT;
        snprintf(g->ids[i], sizeof g->ids[i], "g%zu", i);
        q.id = g->ids[i];
        q.prompt = ps[i];
        q.max_tokens = max_tokens;
        q.temperature = temperature;
        g->req[i] = q;
        g->ptr[i] = &g->req[i];
    }
}

static vs_model_results *run_gen(vs_model *m, gen_set *g, size_t n, int64_t batch, int expect) {
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, batch));
    ck_assert_status(vs_model_generate(r, m, g->ptr, n), expect);
    return r;
}

/* ---------------------------------------------------------------- options (no server) */
START_TEST(test_options) {
    vs_model_callbacks cb;
    void *b = (void *)1;
    ck_assert_status(vs_openai_backend_create(NULL, &b), VS_EINVAL);
    ck_assert_ptr_null(b);
    ck_assert_status(vs_openai_backend_create(&cb, NULL), VS_EINVAL);
    ck_assert_ptr_null(cb.generate);
    ck_assert_ok(vs_openai_backend_create(&cb, &b));
    ck_assert_ptr_nonnull(cb.generate);
    ck_assert_ptr_nonnull(cb.loglikelihood);
    ck_assert_ptr_null(cb.embed);
    oai *o = b;
    ck_assert_str_eq(o->base_url, VS_OPENAI_DEFAULT_BASE_URL);
    ck_assert_ok(vs_openai_backend_set_option(b, "base_url", "http://127.0.0.1:9/v1/"));
    ck_assert_str_eq(o->base_url, "http://127.0.0.1:9");
    ck_assert_status(vs_openai_backend_set_option(b, "base_url", "ftp://127.0.0.1"), VS_EINVAL);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "ftp://127.0.0.1"));
    ck_assert_status(vs_openai_backend_set_option(b, "base_url", "http:///v1"), VS_EINVAL);
    ck_assert_status(vs_openai_backend_set_option(b, "base_url", "http://a b"), VS_EINVAL);
    ck_assert_str_eq(o->base_url, "http://127.0.0.1:9"); /* unchanged by the failures */
    ck_assert_status(vs_openai_backend_set_option(b, "model", ""), VS_EINVAL);
    ck_assert_status(vs_openai_backend_set_option(b, "timeout_ms", "0"), VS_EINVAL);
    ck_assert_status(vs_openai_backend_set_option(b, "timeout_ms", "12x"), VS_EINVAL);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "timeout_ms"));
    ck_assert_int_eq(o->timeout_ms, 120000);
    ck_assert_status(vs_openai_backend_set_option(b, "max_retries", "1001"), VS_EINVAL);
    ck_assert_ok(vs_openai_backend_set_option(b, "max_retries", "5"));
    ck_assert_status(vs_openai_backend_set_option(b, "colour", "red"), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "colour"));
    unsetenv("VS_TEST_OPENAI_NO_SUCH_KEY");
    ck_assert_status(vs_openai_backend_set_option(b, "api_key_env", "VS_TEST_OPENAI_NO_SUCH_KEY"), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "VS_TEST_OPENAI_NO_SUCH_KEY"));
    setenv("VS_TEST_OPENAI_KEY", "sk-test", 1);
    ck_assert_ok(vs_openai_backend_set_option(b, "api_key_env", "VS_TEST_OPENAI_KEY"));
    ck_assert_str_eq(o->auth_header, "Authorization: Bearer sk-test");
    ck_assert_status(vs_openai_backend_set_option(NULL, "model", "x"), VS_EINVAL);
    ck_assert_status(vs_openai_backend_set_option(b, NULL, "x"), VS_EINVAL);
    vs_model *m = NULL;
    ck_assert_ok(vs_model_create(&m, &cb, b));
    ck_assert_ok(vs_openai_backend_apply(b, m));
    int64_t attempts = 0;
    ck_assert_ok(vs_model_get_int(&attempts, m, VS_MODEL_OPT_MAX_ATTEMPTS));
    ck_assert_int_eq(attempts, 6);
    ck_assert_status(vs_openai_backend_apply(NULL, m), VS_EINVAL);
    vs_model_free(m); /* frees b */
    vs_openai_backend_destroy(NULL);

    const char *k[2] = {"model", "timeout_ms"}, *v[2] = {"m", "-1"};
    m = (vs_model *)1;
    ck_assert_status(vs_openai_backend_model(&m, k, v, 2), VS_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_status(vs_openai_backend_model(&m, NULL, v, 1), VS_EINVAL);
    ck_assert_status(vs_openai_backend_model(NULL, k, v, 0), VS_EINVAL);
}
END_TEST

/* The library's allocations (the model around the client) fail one at a time: every failure is
 * VS_ENOMEM with nothing left allocated (the backend frees its client; its own memory is malloc's
 * and not counted by the hook). */
START_TEST(test_alloc_failures) {
    const char *k[4] = {"base_url", "model", "api_key_env", "max_retries"};
    const char *v[4] = {"http://127.0.0.1:9", "test-model", "VS_TEST_OPENAI_KEY", "2"};
    setenv("VS_TEST_OPENAI_KEY", "sk-test", 1);
    vs_test_alloc_install();
    for (long n = 1;; n++) {
        vs_test_alloc_fail_at(n);
        vs_model *m = (vs_model *)1;
        int rc = vs_openai_backend_model(&m, k, v, 4);
        int failed = vs_test_alloc_failed();
        if (rc == VS_OK) {
            ck_assert_ptr_nonnull(m);
            vs_model_free(m);
        } else {
            ck_assert_int_eq(rc, VS_ENOMEM);
            ck_assert_ptr_null(m);
        }
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        if (!failed) {
            ck_assert_int_eq(rc, VS_OK);
            break;
        }
        ck_assert_int_lt(n, 1000);
    }
    vs_test_alloc_uninstall();
}
END_TEST

/* ---------------------------------------------------------------- generation */
START_TEST(test_generate) {
    size_t n = slow ? 3 : 7;
    unsigned max_tokens = slow ? 2 : 5;
    vs_model *m = client(NULL);
    ck_assert_ok(vs_model_set_seed(m, 42));
    gen_set g;
    make_gen(&g, prompts, n, max_tokens, 1.0);
    vs_model_results *r1 = run_gen(m, &g, n, 1, VS_OK);
    vs_model_results *r7 = run_gen(m, &g, n, 7, VS_OK);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(vs_model_results_status(r1, i), VS_MODEL_ITEM_OK);
        ck_assert_int_eq(vs_model_results_attempts(r1, i), 1);
        /* the wire seed: vs_model_item_seed(42, id, 0) >> 33, served with id "srv" */
        long long wire = (long long)(vs_model_item_seed(42, g.ids[i], 0) >> 33);
        char *expected = NULL;
        ck_assert_ok(ts_direct_generate(server, &expected, prompts[i], max_tokens, 1.0, wire));
        ck_assert_str_eq(vs_model_results_text(r1, i), expected);
        ck_assert_str_eq(vs_model_results_text(r7, i), expected); /* batch size does not matter */
        free(expected);
    }
    ck_assert_int_eq(ts_requests(server), (long)(2 * n));
    ck_assert_int_eq(sleeps, 0);

    /* another run seed gives other seeds on the wire, so other samples (echo: the seed is in the
     * text; ngram: 7 samples of 5 words at T = 1 cannot all coincide) */
    ck_assert_ok(vs_model_set_seed(m, 43));
    vs_model_results *r43 = run_gen(m, &g, n, 7, VS_OK);
    int differ = 0;
    for (size_t i = 0; i < n; i++) differ += strcmp(vs_model_results_text(r43, i), vs_model_results_text(r1, i)) != 0;
    ck_assert_int_gt(differ, 0);

    /* chat messages, greedy, a stop string: deterministic and the same for both batch sizes */
    static const char *roles[2] = {"system", "user"};
    static const char *contents[2] = {"Answer briefly.", "The most important thing in life is"};
    static const char *stops[1] = {"zzz"};
    for (size_t i = 0; i < n; i++) {
        g.req[i].prompt = NULL;
        g.req[i].n_messages = 2;
        g.req[i].roles = roles;
        g.req[i].contents = contents;
        g.req[i].temperature = 0.0;
        g.req[i].n_stop = 1;
        g.req[i].stop = stops;
    }
    vs_model_results *c1 = run_gen(m, &g, n, 1, VS_OK), *c7 = run_gen(m, &g, n, 7, VS_OK);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(vs_model_results_status(c7, i), VS_MODEL_ITEM_OK);
        ck_assert_str_eq(vs_model_results_text(c1, i), vs_model_results_text(c7, i));
        if (is_ngram) ck_assert_str_eq(vs_model_results_text(c1, i), vs_model_results_text(c1, 0)); /* greedy */
    }
    vs_model_results_free(r1);
    vs_model_results_free(r7);
    vs_model_results_free(r43);
    vs_model_results_free(c1);
    vs_model_results_free(c7);
    vs_model_free(m);
}
END_TEST

/* ---------------------------------------------------------------- the request window */
START_TEST(test_window) {
    /* every request is answered after 150 ms (1.5 s under valgrind): with concurrency 3 the server sees exactly 3 at
     * once (a finished request frees its slot for the next), with 12 all of the call's 12 */
    enum { N = 12 };
    static char text[N][48];
    const char *ps[N];
    for (size_t i = 0; i < N; i++) {
        snprintf(text[i], sizeof text[i], "FAULT window item %zu is here", i);
        ps[i] = text[i];
    }
    gen_set g;
    make_gen(&g, ps, N, 2, 0.0);
    ts_set_fault(server, TS_FAULT_SLOW, 1000, slow ? 1500 : 150, 0); /* valgrind starts requests slowly */
    vs_model *m3 = client("concurrency", "3", NULL);
    vs_model_results *r3 = run_gen(m3, &g, N, N, VS_OK);
    ck_assert_int_eq(ts_max_in_flight(server), 3);
    vs_model *m12 = client("concurrency", "12", NULL);
    vs_model_results *r12 = run_gen(m12, &g, N, N, VS_OK);
    ck_assert_int_eq(ts_max_in_flight(server), 12);
    for (size_t i = 0; i < N; i++) { /* the window does not change an answer */
        ck_assert_int_eq(vs_model_results_status(r3, i), VS_MODEL_ITEM_OK);
        ck_assert_str_eq(vs_model_results_text(r3, i), vs_model_results_text(r12, i));
    }
    ck_assert_int_eq(ts_requests(server), 2 * N);

    /* concurrency 1: a finished request starts the next at once (not after the next network
     * event of another transfer, of which there is none): 4 x 150 ms well under 4 s */
    vs_model *m1 = client("concurrency", "1", NULL);
    double t1 = now();
    vs_model_results *r1 = run_gen(m1, &g, 4, 4, VS_OK);
    ck_assert_msg(slow || now() - t1 < 2.5, "4 requests of 150 ms one at a time took %.3f s", now() - t1);
    ck_assert_int_eq(ts_max_in_flight(server), 12); /* unchanged: never more than 1 here */
    ck_assert_uint_eq(vs_model_results_count(r1, VS_MODEL_ITEM_OK), 4);
    vs_model_results_free(r1);
    vs_model_free(m1);

    /* rpm = 600: one start every 100 ms, so 6 requests take at least 0.5 s */
    vs_model *mr = client("rpm", "600", NULL);
    ts_set_fault(server, TS_FAULT_NONE, 0, 0, 0);
    double t0 = now();
    vs_model_results *rr = run_gen(mr, &g, 6, 6, VS_OK);
    ck_assert_msg(now() - t0 >= 0.49, "rpm = 600 not honoured (%.3f s for 6 requests)", now() - t0);
    ck_assert_uint_eq(vs_model_results_count(rr, VS_MODEL_ITEM_OK), 6);

    /* a system message goes before each plain prompt */
    vs_model *ms = client("system", "Answer in one word.", NULL);
    ck_assert_int_eq(ts_system_messages(server), 0);
    vs_model_results *rs = run_gen(ms, &g, 4, 4, VS_OK);
    ck_assert_uint_eq(vs_model_results_count(rs, VS_MODEL_ITEM_OK), 4);
    ck_assert_int_eq(ts_system_messages(server), 4);

    vs_model *bad = NULL;
    ck_assert_status(vs_openai_backend_model(&bad, (const char *[]){"concurrency"}, (const char *[]){"0"}, 1),
                     VS_EINVAL);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "concurrency"));
    ck_assert_status(vs_openai_backend_model(&bad, (const char *[]){"concurrency"}, (const char *[]){"1025"}, 1),
                     VS_EINVAL);
    ck_assert_status(vs_openai_backend_model(&bad, (const char *[]){"rpm"}, (const char *[]){"-1"}, 1), VS_EINVAL);
    ck_assert_ptr_null(bad);
    vs_model_results_free(r3);
    vs_model_results_free(r12);
    vs_model_results_free(rr);
    vs_model_results_free(rs);
    vs_model_free(m3);
    vs_model_free(m12);
    vs_model_free(mr);
    vs_model_free(ms);
}
END_TEST

/* a cancel token set during a call: nothing more is sent, the call returns at once */
static void cancel_on_first(void *ud, int ok) {
    (void)ok;
    vs_cancel_request(ud);
}

START_TEST(test_cancel) {
    enum { N = 8 };
    static char text[N][48];
    const char *ps[N];
    for (size_t i = 0; i < N; i++) {
        snprintf(text[i], sizeof text[i], "FAULT cancel item %zu is here", i);
        ps[i] = text[i];
    }
    gen_set g;
    make_gen(&g, ps, N, 2, 0.0);
    long slow_ms = slow ? 3000 : 300;
    ts_set_fault(server, TS_FAULT_SLOW, 1000, slow_ms, 0);
    vs_cancel *tok = NULL;
    ck_assert_ok(vs_cancel_create(&tok));
    vs_model_callbacks cb;
    void *b = NULL;
    ck_assert_ok(vs_openai_backend_create(&cb, &b));
    ck_assert_ok(vs_openai_backend_set_option(b, "base_url", ts_url(server)));
    ck_assert_ok(vs_openai_backend_set_option(b, "model", "test-model"));
    ck_assert_ok(vs_openai_backend_set_option(b, "concurrency", "2"));
    ck_assert_ok(vs_openai_backend_set_cancel(b, tok));
    ck_assert_ok(vs_openai_backend_set_observer(b, cancel_on_first, tok)); /* set at the first answer */
    vs_model *m = NULL;
    ck_assert_ok(vs_model_create(&m, &cb, b));
    ck_assert_ok(vs_openai_backend_apply(b, m));
    ck_assert_ok(vs_model_set_cancel(m, tok));
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, N));
    double t0 = now();
    ck_assert_status(vs_model_generate(r, m, g.ptr, N), VS_ECANCELED);
    double elapsed = now() - t0;
    /* two started at once; one answered (then the token was set), the other was dropped */
    ck_assert_int_le(ts_requests(server), 2);
    ck_assert_uint_ge(vs_model_results_count(r, VS_MODEL_ITEM_OK), 1);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK) + vs_model_results_count(r, VS_MODEL_ITEM_NOT_RUN),
                      N);
    ck_assert_msg(slow || elapsed < 4 * slow_ms * 1e-3, "cancelled call took %.3f s", elapsed);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "cancelled"));
    vs_model_results_free(r);
    vs_model_free(m);
    vs_cancel_free(tok);
}
END_TEST

/* OPENAI_BASE_URL and OPENAI_API_KEY are defaults; the options win */
START_TEST(test_environment) {
    setenv("OPENAI_BASE_URL", ts_url(server), 1);
    setenv("OPENAI_API_KEY", "sk-from-env", 1);
    vs_model_callbacks cb;
    void *b = NULL;
    ck_assert_ok(vs_openai_backend_create(&cb, &b));
    oai *o = b;
    ck_assert_str_eq(o->base_url, ts_url(server));
    ck_assert_str_eq(o->auth_header, "Authorization: Bearer sk-from-env");
    ck_assert_ok(vs_openai_backend_set_option(b, "api_key_env", ""));
    ck_assert_ptr_null(o->auth_header);
    vs_openai_backend_destroy(b);

    /* a bad OPENAI_BASE_URL fails the model, naming the variable, unless base_url replaces it */
    setenv("OPENAI_BASE_URL", "ftp://example.org", 1);
    vs_model *m = (vs_model *)1;
    ck_assert_status(vs_openai_backend_model(&m, NULL, NULL, 0), VS_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "OPENAI_BASE_URL"));
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "ftp://example.org"));
    const char *k[] = {"base_url", "model"}, *v[] = {ts_url(server), "test-model"};
    ck_assert_ok(vs_openai_backend_model(&m, k, v, 2));
    gen_set g;
    make_gen(&g, prompts, 2, 2, 0.0);
    vs_model_results *r = run_gen(m, &g, 2, 2, VS_OK);
    ck_assert_uint_eq(vs_model_results_count(r, VS_MODEL_ITEM_OK), 2);
    vs_model_results_free(r);
    vs_model_free(m);
    unsetenv("OPENAI_BASE_URL");
    unsetenv("OPENAI_API_KEY");
}
END_TEST

/* ---------------------------------------------------------------- conformance */
/* Answers shaped as each server's public documentation shows them (sample bodies written for
 * this test): the parsers must take the text, or the echoed log-probabilities, from each. */
static const char openai_chat[] =
    "{\"id\":\"chatcmpl-9xYz\",\"object\":\"chat.completion\",\"created\":1733600000,\"model\":\"gpt-4o-mini-2024-07-18\","
    "\"system_fingerprint\":\"fp_0aa8d3e20b\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
    "\"content\":\"B\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
    "61,\"completion_tokens\":1,\"total_tokens\":62,\"prompt_tokens_details\":{\"cached_tokens\":0},"
    "\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"service_tier\":\"default\"}";
static const char llamacpp_chat[] =
    "{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A\"}}],"
    "\"created\":1733600001,\"model\":\"gpt-3.5-turbo\",\"system_fingerprint\":\"b4273-0f2b6b8c\",\"object\":"
    "\"chat.completion\",\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":58,\"total_tokens\":60},\"id\":"
    "\"chatcmpl-Q1w2e3\",\"timings\":{\"prompt_n\":58,\"prompt_ms\":41.2,\"prompt_per_token_ms\":0.71,"
    "\"prompt_per_second\":1407.7,\"predicted_n\":2,\"predicted_ms\":19.8,\"predicted_per_token_ms\":9.9,"
    "\"predicted_per_second\":101.0}}";
static const char ollama_chat[] =
    "{\"id\":\"chatcmpl-417\",\"object\":\"chat.completion\",\"created\":1733600002,\"model\":\"llama3.2\","
    "\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
    "\"honesty and kindness\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":4,"
    "\"total_tokens\":34}}";
/* vLLM, /v1/completions with echo and logprobs 1: the prompt's tokens come back with theirs */
static const char vllm_echo[] =
    "{\"id\":\"cmpl-3f1c\",\"object\":\"text_completion\",\"created\":1733600003,\"model\":\"Qwen/Qwen2.5-0.5B\","
    "\"choices\":[{\"index\":0,\"text\":\"The capital of France is Paris,\",\"logprobs\":{\"text_offset\":"
    "[0,3,11,14,21,24,30],\"token_logprobs\":[null,-9.125,-1.25,-0.75,-0.375,-0.0625,-1.5],\"tokens\":[\"The\","
    "\" capital\",\" of\",\" France\",\" is\",\" Paris\",\",\"],\"top_logprobs\":[null,{\",\":-3.5},{\" of\":-1.25},"
    "{\" France\":-0.75},{\" is\":-0.375},{\" Paris\":-0.0625},{\",\":-1.5}]},\"finish_reason\":\"length\","
    "\"stop_reason\":null,\"prompt_logprobs\":null}],\"usage\":{\"prompt_tokens\":6,\"total_tokens\":7,"
    "\"completion_tokens\":1,\"prompt_tokens_details\":null}}";
/* llama.cpp, /v1/completions: log-probabilities of the generated token only, no echo */
static const char llamacpp_completion[] =
    "{\"choices\":[{\"text\":\",\",\"index\":0,\"logprobs\":{\"content\":[{\"id\":11,\"token\":\",\",\"bytes\":[44],"
    "\"logprob\":-1.5,\"top_logprobs\":[{\"id\":11,\"token\":\",\",\"bytes\":[44],\"logprob\":-1.5}]}]},"
    "\"finish_reason\":\"length\"}],\"created\":1733600004,\"model\":\"gpt-3.5-turbo\",\"system_fingerprint\":"
    "\"b4273-0f2b6b8c\",\"object\":\"text_completion\",\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":6,"
    "\"total_tokens\":7},\"id\":\"chatcmpl-Z9x8\"}";

START_TEST(test_conformance) {
    vs_model *m = client(NULL);
    gen_set g;
    make_gen(&g, prompts, 2, 2, 0.0);
    static const char *bodies[3] = {openai_chat, llamacpp_chat, ollama_chat};
    static const char *texts[3] = {"B", "A", "honesty and kindness"};
    for (int k = 0; k < 3; k++) {
        ts_set_replay(server, 200, bodies[k]);
        vs_model_results *r = run_gen(m, &g, 2, 2, VS_OK);
        for (size_t i = 0; i < 2; i++) {
            ck_assert_int_eq(vs_model_results_status(r, i), VS_MODEL_ITEM_OK);
            ck_assert_str_eq(vs_model_results_text(r, i), texts[k]);
        }
        vs_model_results_free(r);
    }
    /* log P(" Paris" | "The capital of France is") = -0.0625, greedy (" Paris" tops its list) */
    vs_model_loglik_request q = VS_MODEL_LOGLIK_REQUEST_INIT;
    const vs_model_loglik_request *p = &q;
    q.id = "paris";
    q.context = "The capital of France is";
    q.continuation = " Paris";
    ts_set_replay(server, 200, vllm_echo);
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_loglikelihood(r, m, &p, 1, VS_MODEL_WANT_GREEDY));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_OK);
    double lp = 0;
    int greedy = -1;
    ck_assert_ok(vs_model_results_loglik(&lp, &greedy, r, 0));
    ck_assert_double_eq(lp, -0.0625);
    ck_assert_int_eq(greedy, 1);
    /* " France is Paris": three tokens, -0.75 - 0.375 - 0.0625 */
    q.context = "The capital of";
    q.continuation = " France is Paris";
    ck_assert_ok(vs_model_loglikelihood(r, m, &p, 1, VS_MODEL_WANT_GREEDY));
    ck_assert_ok(vs_model_results_loglik(&lp, &greedy, r, 0));
    ck_assert_double_eq(lp, -1.1875);
    /* llama.cpp gives no echoed prompt: a permanent failure that says so */
    q.context = "The capital of France is";
    q.continuation = " Paris";
    ts_set_replay(server, 200, llamacpp_completion);
    ck_assert_ok(vs_model_loglikelihood(r, m, &p, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_ptr_nonnull(strstr(vs_model_results_error(r, 0), "server returned no logprobs"));
    /* Ollama's 404 for an endpoint it lacks, OpenAI's 429 body without Retry-After */
    ts_set_replay(server, 404, "404 page not found");
    ck_assert_ok(vs_model_loglikelihood(r, m, &p, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_error_is(r, 0, "this server answered HTTP 404: 404 page not found");
    vs_model *m0 = client("max_retries", "0", NULL);
    ts_set_replay(server, 429,
                  "{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini in organization org-x on requests per "
                  "min (RPM): Limit 3, Used 3, Requested 1.\",\"type\":\"requests\",\"param\":null,\"code\":"
                  "\"rate_limit_exceeded\"}}");
    vs_model_results *r0 = run_gen(m0, &g, 1, 1, VS_OK);
    ck_assert_int_eq(vs_model_results_status(r0, 0), VS_MODEL_ITEM_TRANSIENT);
    ck_assert_error_is(r0, 0, "HTTP 429: Rate limit reached for gpt-4o-mini in organization org-x on requests per min "
                              "(RPM): Limit 3, Used 3, Requested 1.");
    ts_set_replay(server, 0, NULL);
    /* a connection closed without an answer: transient, retried; with max_retries 0 it stays
     * failed with libcurl's cause; the other items of the call are not disturbed */
    make_gen(&g, prompts, 10, 2, 0.0);
    ts_set_fault(server, TS_FAULT_RESET, 1, 0, 0);
    vs_model_results *rr = run_gen(m0, &g, 10, 10, VS_OK);
    for (size_t i = 0; i < 10; i++) {
        int faulty = strstr(prompts[i], "FAULT") != NULL;
        ck_assert_int_eq(vs_model_results_status(rr, i), faulty ? VS_MODEL_ITEM_TRANSIENT : VS_MODEL_ITEM_OK);
        if (faulty) ck_assert_ptr_nonnull(strstr(vs_model_results_error(rr, i), "failed: "));
    }
    vs_model_results_free(rr);
    ts_set_fault(server, TS_FAULT_RESET, 1, 0, 0);
    rr = run_gen(m, &g, 10, 10, VS_OK); /* max_retries 3: the second attempt succeeds */
    ck_assert_uint_eq(vs_model_results_count(rr, VS_MODEL_ITEM_OK), 10);
    ck_assert_int_eq(vs_model_results_attempts(rr, 7), 2);
    vs_model_results_free(rr);
    vs_model_results_free(r);
    vs_model_results_free(r0);
    vs_model_free(m);
    vs_model_free(m0);
}
END_TEST

/* ---------------------------------------------------------------- transient failures */
START_TEST(test_retry_429) {
    /* 3 of the items carry "FAULT": each gets one 429 with Retry-After: 1, then succeeds */
    size_t n = slow ? 8 : 10;
    vs_model *m = client(NULL);
    ts_set_fault(server, TS_FAULT_429, 1, 0, 1);
    gen_set g;
    make_gen(&g, prompts, n, 2, 0.0);
    double t0 = now();
    vs_model_results *r = run_gen(m, &g, n, 7, VS_OK);
    double elapsed = now() - t0;
    for (size_t i = 0; i < n; i++) {
        int faulty = strstr(prompts[i], "FAULT") != NULL;
        ck_assert_int_eq(vs_model_results_status(r, i), VS_MODEL_ITEM_OK);
        ck_assert_int_eq(vs_model_results_attempts(r, i), faulty ? 2 : 1);
    }
    ck_assert_int_eq(ts_faults_served(server), (long)(n - 7));
    ck_assert_int_ge(sleeps, 1); /* vs_model's backoff was asked for */
    ck_assert_msg(elapsed >= 0.95, "Retry-After: 1 not honoured (%.3f s)", elapsed);

    /* max_retries 0: the 429 is final, with its message */
    vs_model *m0 = client("max_retries", "0", "max_retry_after_ms", "0", NULL);
    ts_set_fault(server, TS_FAULT_429, 1, 0, 1);
    t0 = now();
    vs_model_results *r0 = run_gen(m0, &g, n, 7, VS_OK);
    ck_assert_msg(now() - t0 < 0.9 || slow, "Retry-After honoured although max_retry_after_ms = 0");
    ck_assert_int_eq(vs_model_results_status(r0, 7), VS_MODEL_ITEM_TRANSIENT);
    ck_assert_int_eq(vs_model_results_attempts(r0, 7), 1);
    ck_assert_error_is(r0, 7, "HTTP 429 (Retry-After: 1): Rate limit reached");
    ck_assert_int_eq(vs_model_results_status(r0, 0), VS_MODEL_ITEM_OK);
    ck_assert_uint_eq(vs_model_results_count(r0, VS_MODEL_ITEM_OK), 7);
    vs_model_results_free(r);
    vs_model_results_free(r0);
    vs_model_free(m);
    vs_model_free(m0);
}
END_TEST

START_TEST(test_retry_500) {
    size_t n = 10;
    gen_set g;
    make_gen(&g, prompts, n, 2, 0.0);
    /* each faulty body fails twice: attempts 3 with max_retries 3 (the default) */
    vs_model *m = client(NULL);
    ts_set_fault(server, TS_FAULT_500, 2, 0, 0);
    vs_model_results *r1 = run_gen(m, &g, n, 1, VS_OK);
    ts_set_fault(server, TS_FAULT_500, 2, 0, 0);
    vs_model_results *r7 = run_gen(m, &g, n, 7, VS_OK);
    for (size_t i = 0; i < n; i++) {
        int faulty = strstr(prompts[i], "FAULT") != NULL;
        ck_assert_int_eq(vs_model_results_status(r1, i), VS_MODEL_ITEM_OK);
        ck_assert_int_eq(vs_model_results_attempts(r1, i), faulty ? 3 : 1);
        ck_assert_int_eq(vs_model_results_attempts(r7, i), faulty ? 3 : 1);
        ck_assert_str_eq(vs_model_results_text(r1, i), vs_model_results_text(r7, i));
    }
    /* max_retries 1: two attempts, then TRANSIENT for good with the server's message */
    vs_model *m1 = client("max_retries", "1", NULL);
    ts_set_fault(server, TS_FAULT_500, 2, 0, 0);
    vs_model_results *rf = run_gen(m1, &g, n, 7, VS_OK);
    ck_assert_int_eq(vs_model_results_status(rf, 8), VS_MODEL_ITEM_TRANSIENT);
    ck_assert_int_eq(vs_model_results_attempts(rf, 8), 2);
    ck_assert_error_is(rf, 8, "HTTP 500: The server had an error");
    ck_assert_uint_eq(vs_model_results_count(rf, VS_MODEL_ITEM_OK), 7);
    vs_model_results_free(r1);
    vs_model_results_free(r7);
    vs_model_results_free(rf);
    vs_model_free(m);
    vs_model_free(m1);
}
END_TEST

START_TEST(test_timeout) {
    /* faulty bodies answer after slow_ms once; the client gives up after timeout_ms (transient),
     * and the retry is answered at once */
    const char *timeout = slow ? "3000" : "1000"; /* ordinary answers must beat it on a busy machine */
    long slow_ms = slow ? 6000 : 2500;
    size_t n = 8;
    gen_set g;
    make_gen(&g, prompts, n, 2, 0.0);
    vs_model *m = client("timeout_ms", timeout, NULL);
    ts_set_fault(server, TS_FAULT_SLOW, 1, slow_ms, 0);
    vs_model_results *r = run_gen(m, &g, n, 7, VS_OK);
    ck_assert_int_eq(vs_model_results_status(r, 7), VS_MODEL_ITEM_OK);
    ck_assert_int_eq(vs_model_results_attempts(r, 7), 2);
    ck_assert_int_eq(vs_model_results_attempts(r, 0), 1);

    vs_model *m0 = client("timeout_ms", timeout, "max_retries", "0", NULL);
    ts_set_fault(server, TS_FAULT_SLOW, 1, slow_ms, 0);
    vs_model_results *r0 = run_gen(m0, &g, n, 7, VS_OK);
    ck_assert_int_eq(vs_model_results_status(r0, 7), VS_MODEL_ITEM_TRANSIENT);
    char want[64];
    snprintf(want, sizeof want, "timed out after %s ms", timeout);
    ck_assert_error_is(r0, 7, want);
    ck_assert_int_eq(vs_model_results_status(r0, 6), VS_MODEL_ITEM_OK);
    vs_model_results_free(r);
    vs_model_results_free(r0);
    vs_model_free(m);
    vs_model_free(m0);
}
END_TEST

START_TEST(test_connection_refused) {
    /* a port on 127.0.0.1 that is bound but not listening (held for the whole test, so no one
     * else can take it): connections are refused -> transient, retried, then final */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &alen), 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)ntohs(addr.sin_port));
    vs_model *m = client("base_url", url, "max_retries", "2", NULL);
    gen_set g;
    make_gen(&g, prompts, 2, 2, 0.0);
    vs_model_results *r = run_gen(m, &g, 2, 7, VS_OK);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(vs_model_results_status(r, i), VS_MODEL_ITEM_TRANSIENT);
        ck_assert_int_eq(vs_model_results_attempts(r, i), 3);
        ck_assert_ptr_nonnull(strstr(vs_model_results_error(r, i), "cannot connect to http://127.0.0.1:"));
    }
    ck_assert_int_eq(ts_requests(server), 0);
    vs_model_results_free(r);
    vs_model_free(m);
    close(fd);
}
END_TEST

/* ---------------------------------------------------------------- permanent failures */
START_TEST(test_permanent) {
    size_t n = 9;
    gen_set g;
    make_gen(&g, prompts, n, 2, 0.0);
    vs_model *m = client(NULL);
    ts_set_fault(server, TS_FAULT_400, 5, 0, 0);
    vs_model_results *r = run_gen(m, &g, n, 7, VS_OK);
    for (size_t i = 0; i < n; i++) {
        int faulty = strstr(prompts[i], "FAULT") != NULL;
        ck_assert_int_eq(vs_model_results_status(r, i), faulty ? VS_MODEL_ITEM_PERMANENT : VS_MODEL_ITEM_OK);
        ck_assert_int_eq(vs_model_results_attempts(r, i), 1); /* never retried */
    }
    ck_assert_error_is(r, 7, "HTTP 400: max_tokens is too large");
    ck_assert_int_eq(sleeps, 0);

    /* an unknown model name */
    vs_model *mm = client("model", "no-such-model", NULL);
    vs_model_results *rm = run_gen(mm, &g, 2, 7, VS_OK);
    ck_assert_int_eq(vs_model_results_status(rm, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_error_is(rm, 1, "HTTP 404: The model does not exist");

    /* the failure threshold of vs_model stops the run */
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_FAILED, 0));
    ts_set_fault(server, TS_FAULT_400, 5, 0, 0);
    vs_model_results *rs = run_gen(m, &g, n, 1, VS_EFAILED);
    ck_assert_int_eq(vs_model_results_status(rs, 8), VS_MODEL_ITEM_NOT_RUN);
    vs_model_results_free(r);
    vs_model_results_free(rm);
    vs_model_results_free(rs);
    vs_model_free(m);
    vs_model_free(mm);
}
END_TEST

START_TEST(test_api_key) {
    stop();
    ck_assert_ok(ts_start(&server, served, "sk-loopback"));
    gen_set g;
    make_gen(&g, prompts, 2, 2, 0.0);
    setenv("VS_TEST_OPENAI_GOOD", "sk-loopback", 1);
    setenv("VS_TEST_OPENAI_BAD", "sk-wrong", 1);
    vs_model *good = client("api_key_env", "VS_TEST_OPENAI_GOOD", NULL);
    vs_model *bad = client("api_key_env", "VS_TEST_OPENAI_BAD", NULL);
    vs_model *none = client(NULL);
    vs_model_results *rg = run_gen(good, &g, 2, 7, VS_OK), *rb = run_gen(bad, &g, 2, 7, VS_OK);
    vs_model_results *rn = run_gen(none, &g, 2, 7, VS_OK);
    ck_assert_uint_eq(vs_model_results_count(rg, VS_MODEL_ITEM_OK), 2);
    ck_assert_uint_eq(vs_model_results_count(rb, VS_MODEL_ITEM_PERMANENT), 2);
    ck_assert_uint_eq(vs_model_results_count(rn, VS_MODEL_ITEM_PERMANENT), 2);
    ck_assert_error_is(rb, 0, "HTTP 401: Incorrect API key provided");
    vs_model_results_free(rg);
    vs_model_results_free(rb);
    vs_model_results_free(rn);
    vs_model_free(good);
    vs_model_free(bad);
    vs_model_free(none);
}
END_TEST

START_TEST(test_bad_answers) {
    /* malformed JSON, invalid UTF-8 and a NUL byte: a clean failure of that item only */
    size_t n = 9;
    gen_set g;
    make_gen(&g, prompts, n, 2, 0.0);
    vs_model *m = client(NULL);
    static const int faults[3] = {TS_FAULT_MALFORMED, TS_FAULT_BAD_UTF8, TS_FAULT_NUL};
    static const int want[3] = {VS_MODEL_ITEM_PERMANENT, VS_MODEL_ITEM_PERMANENT, VS_MODEL_ITEM_BAD_OUTPUT};
    static const char *msg[3] = {"malformed answer (VS_EPARSE)", "malformed answer (VS_EUTF8)", ""};
    for (int f = 0; f < 3; f++) {
        for (int64_t batch = 1; batch <= 7; batch += 6) {
            ts_set_fault(server, faults[f], 5, 0, 0);
            vs_model_results *r = run_gen(m, &g, n, batch, VS_OK);
            for (size_t i = 0; i < n; i++) {
                int faulty = strstr(prompts[i], "FAULT") != NULL;
                ck_assert_int_eq(vs_model_results_status(r, i), faulty ? want[f] : VS_MODEL_ITEM_OK);
                ck_assert_int_eq(vs_model_results_attempts(r, i), 1);
                if (faulty && msg[f][0])
                    ck_assert_msg(strstr(vs_model_results_error(r, i), msg[f]) != NULL,
                                  "message \"%s\"", vs_model_results_error(r, i));
            }
            vs_model_results_free(r);
        }
    }
    vs_model_free(m);
}
END_TEST

/* ---------------------------------------------------------------- log-likelihoods */
static const char *ctx[] = {"When honesty might hurt someone I usually", "The most important thing in life is",
                            "I think that people should", "My family taught me", "one of the",
                            "In a difficult situation I", "\xc3\x9c" "ber the", "FAULT one of the"};
static const char *cont[] = {" tell the truth", " to be happy", " always help", " to be kind", " most",
                             " stay calm", " caf\xc3\xa9 is", " best"};

static vs_model_results *run_ll(vs_model *m, size_t n, int64_t batch, const vs_model_loglik_request **ptr,
                                vs_model_loglik_request *req, char (*ids)[24]) {
    for (size_t i = 0; i < n; i++) {
        vs_model_loglik_request q = VS_MODEL_LOGLIK_REQUEST_INIT;
        snprintf(ids[i], 24, "l%zu", i);
        q.id = ids[i];
        q.context = ctx[i];
        q.continuation = cont[i];
        req[i] = q;
        ptr[i] = &req[i];
    }
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, batch));
    ck_assert_ok(vs_model_loglikelihood(r, m, ptr, n, VS_MODEL_WANT_GREEDY));
    return r;
}

START_TEST(test_loglik) {
    size_t n = slow ? 3 : 8;
    vs_model_loglik_request req[8];
    const vs_model_loglik_request *ptr[8];
    char ids[8][24];
    vs_model *m = client(NULL);
    vs_model_results *r1 = run_ll(m, n, 1, ptr, req, ids), *r7 = run_ll(m, n, 7, ptr, req, ids);
    for (size_t i = 0; i < n; i++) {
        double lp1, lp7, want;
        int g1, g7, gwant;
        ck_assert_ok(vs_model_results_loglik(&lp1, &g1, r1, i));
        ck_assert_ok(vs_model_results_loglik(&lp7, &g7, r7, i));
        ck_assert_ok(ts_direct_loglik(server, &want, &gwant, ctx[i], cont[i]));
        /* the server scores token by token; the chain rule over the same trigram histories gives
         * the model's direct score (sums of the same terms; JSON numbers round-trip exactly) */
        if (is_ngram) {
            ck_assert_near(lp1, want, 1e-9);
            ck_assert_int_eq(g1, gwant);
        }
        ck_assert_msg(lp1 == lp7 && g1 == g7, "batch size changed item %zu", i);
        ck_assert_msg(lp1 < 0, "item %zu: %g", i, lp1);
    }
    vs_model_results_free(r1);
    vs_model_results_free(r7);

    /* an empty context: the first token has no log-probability on the wire */
    vs_model_loglik_request q = VS_MODEL_LOGLIK_REQUEST_INIT;
    q.context = "";
    q.continuation = "the cat";
    const vs_model_loglik_request *qp = &q;
    vs_model_results *r = NULL;
    ck_assert_ok(vs_model_results_create(&r));
    ck_assert_ok(vs_model_loglikelihood(r, m, &qp, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_error_is(r, 0, "unsupported: continuation token 0 has no log-probability (null)");

    /* a token across the boundary: "one of th" + "e" */
    q.context = "one of th";
    q.continuation = "e best";
    ck_assert_ok(vs_model_loglikelihood(r, m, &qp, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_ptr_nonnull(strstr(vs_model_results_error(r, 0), "spans the context/continuation boundary"));

    /* a server without /v1/completions, and one without logprobs */
    q.context = "one of";
    q.continuation = " the";
    ts_set_no_completions(server, 1);
    ck_assert_ok(vs_model_loglikelihood(r, m, &qp, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_ptr_nonnull(strstr(vs_model_results_error(r, 0), "server returned no logprobs: the loglik judge needs a completions endpoint with echo and logprobs (/v1/completions)"));
    ck_assert_int_eq(vs_model_results_attempts(r, 0), 1);
    ts_set_no_completions(server, 0);
    ts_set_no_logprobs(server, 1);
    ck_assert_ok(vs_model_loglikelihood(r, m, &qp, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_ptr_nonnull(strstr(vs_model_results_error(r, 0), "server returned no logprobs: the loglik judge needs a completions endpoint with echo"));
    ts_set_no_logprobs(server, 0);

    /* faults: 500 retried, malformed answer permanent */
    q.context = "FAULT one of";
    ts_set_fault(server, TS_FAULT_500, 1, 0, 0);
    ck_assert_ok(vs_model_loglikelihood(r, m, &qp, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_OK);
    ck_assert_int_eq(vs_model_results_attempts(r, 0), 2);
    ts_set_fault(server, TS_FAULT_MALFORMED, 1, 0, 0);
    ck_assert_ok(vs_model_loglikelihood(r, m, &qp, 1, 0));
    ck_assert_int_eq(vs_model_results_status(r, 0), VS_MODEL_ITEM_PERMANENT);
    vs_model_results_free(r);
    vs_model_free(m);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("openai_backend");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, load, unload);
    tcase_add_checked_fixture(tc, start, stop);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_alloc_failures);
    tcase_add_test(tc, test_generate);
    tcase_add_test(tc, test_window);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_environment);
    tcase_add_test(tc, test_conformance);
    tcase_add_test(tc, test_retry_429);
    tcase_add_test(tc, test_retry_500);
    tcase_add_test(tc, test_timeout);
    tcase_add_test(tc, test_connection_refused);
    tcase_add_test(tc, test_permanent);
    tcase_add_test(tc, test_api_key);
    tcase_add_test(tc, test_bad_answers);
    tcase_add_test(tc, test_loglik);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return vs_test_run(suite());
}
