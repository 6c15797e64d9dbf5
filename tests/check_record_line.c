/* The hand-written journal record encoder (lib/projective/record_line.c) against the generic JSON
 * writer building the same record key by key: byte-identical lines for ordinary, reverse-keyed,
 * failed, escaped and loglik records, never longer than the bound; invalid UTF-8 is a clean
 * error. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "io/json.h"
#include "projective/record_line.h"
#include "testutil.h"

/* The same record through the generic writer (the reference), plus '\n'. */
static char *reference_line(const vs__record_fields *f) {
    vs_json_writer w;
    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "item");
    vs__jw_string(&w, f->item);
    vs__jw_key(&w, "repeat");
    vs__jw_int(&w, (long long)f->repeat);
    vs__jw_key(&w, "seed");
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)f->seed);
    vs__jw_string(&w, seed);
    vs__jw_key(&w, "status");
    vs__jw_string(&w, f->status);
    vs__jw_key(&w, "attempts");
    vs__jw_int(&w, f->attempts);
    vs__jw_key(&w, "latency_us");
    vs__jw_int(&w, (long long)f->latency_us);
    vs__jw_key(&w, "prompt");
    vs__jw_string(&w, f->prompt);
    vs__jw_key(&w, "completion");
    vs__jw_string(&w, f->completion);
    vs__jw_key(&w, "reverse");
    vs__jw_bool(&w, f->reverse);
    vs__jw_key(&w, "dims");
    vs__jw_begin_array(&w);
    for (size_t q = 0; q < f->n_dims; q++) vs__jw_int(&w, f->dims[q]);
    vs__jw_end_array(&w);
    vs__jw_key(&w, "judgements");
    vs__jw_begin_array(&w);
    for (size_t q = 0; f->judgements && q < f->n_dims; q++) {
        double j = f->judgements[q];
        if (j == 0.0 || j == 1.0) vs__jw_int(&w, (long long)j);
        else vs__jw_number(&w, j);
    }
    vs__jw_end_array(&w);
    if (f->has_lp) {
        vs__jw_key(&w, "logprob_high");
        vs__jw_number(&w, f->lp_hi);
        vs__jw_key(&w, "logprob_low");
        vs__jw_number(&w, f->lp_lo);
    }
    if (f->error) {
        vs__jw_key(&w, "error");
        vs__jw_string(&w, f->error);
    }
    vs__jw_end_object(&w);
    char *out = NULL;
    ck_assert_ok(vs__jw_finish(&w, &out));
    size_t n = strlen(out);
    char *line = vs__malloc(n + 2);
    memcpy(line, out, n);
    line[n] = '\n';
    line[n + 1] = '\0';
    vs__free(out);
    return line;
}

/* Appends f's line to buf (grown with realloc-like vs__grow) through bound + write. */
static int append(char **buf, size_t *len, size_t *cap, const vs__record_fields *f) {
    const char *str[5];
    size_t slen[5];
    vs__record_line_strings(str, f);
    for (int i = 0; i < 5; i++) slen[i] = strlen(str[i]);
    size_t bound = vs__record_line_bound(f->n_dims, slen);
    void *p = *buf;
    size_t c = *cap;
    if (vs__grow(&p, &c, *len + bound, 1) != VS_OK) return VS_ENOMEM;
    *buf = p;
    *cap = c;
    size_t n = 0;
    int rc = vs__record_line_write(*buf + *len, &n, f, slen);
    if (rc == VS_OK) {
        ck_assert_uint_le(n, bound);
        *len += n;
    }
    return rc;
}

static const uint32_t dims3[3] = {0, 4, 11};
static const double judg3[3] = {1.0, 0.0, 0.5};

static vs__record_fields base(void) {
    vs__record_fields f;
    memset(&f, 0, sizeof f);
    f.item = "vl-ethical-001";
    f.status = "ok";
    f.prompt = "When honesty might hurt someone, I usually";
    f.completion = " tell the truth";
    f.repeat = 3;
    f.seed = UINT64_MAX - 5;
    f.attempts = 2;
    f.latency_us = 1234567;
    f.dims = dims3;
    f.n_dims = 3;
    f.judgements = judg3;
    return f;
}

START_TEST(lines_match_the_writer) {
    vs__record_fields cases[6];
    for (int i = 0; i < 6; i++) cases[i] = base();
    cases[1].reverse = 1;
    cases[1].has_lp = 1, cases[1].lp_hi = -3.25, cases[1].lp_lo = -12.345678901234567;
    cases[2].status = "failed", cases[2].judgements = NULL, cases[2].error = "HTTP 503 \"busy\"\n";
    cases[3].completion = "quote \" back\\slash \t tab \x01 ctl \xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80 /";
    cases[4].has_lp = 1, cases[4].lp_hi = -INFINITY, cases[4].lp_lo = 0.0, cases[4].latency_us = -1;
    cases[5].completion = "", cases[5].prompt = "", cases[5].n_dims = 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (int i = 0; i < 6; i++) {
        size_t before = len;
        ck_assert_ok(append(&buf, &len, &cap, &cases[i]));
        char *want = reference_line(&cases[i]);
        ck_assert_uint_eq(len - before, strlen(want));
        ck_assert_msg(memcmp(buf + before, want, len - before) == 0, "case %d:\n got %.*s want %s", i,
                      (int)(len - before), buf + before, want);
        vs__free(want);
    }
    /* an escape-heavy string: the size bound (6 bytes per byte) holds */
    char ctl[200];
    memset(ctl, 0x1f, sizeof ctl - 1);
    ctl[sizeof ctl - 1] = '\0';
    vs__record_fields f = base();
    f.completion = ctl;
    f.prompt = ctl;
    size_t before = len;
    ck_assert_ok(append(&buf, &len, &cap, &f));
    char *want = reference_line(&f);
    ck_assert_int_eq(memcmp(buf + before, want, len - before), 0);
    vs__free(want);
    vs__free(buf);
}
END_TEST

START_TEST(bad_utf8) {
    char *buf = NULL;
    size_t len = 0, cap = 0;
    vs__record_fields f = base();
    ck_assert_ok(append(&buf, &len, &cap, &f));
    size_t kept = len;
    char saved[1024];
    memcpy(saved, buf, len);
    f.completion = "bad \xc3 here";
    ck_assert_status(append(&buf, &len, &cap, &f), VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "vl-ethical-001"));
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "byte 4"));
    ck_assert_uint_eq(len, kept);
    ck_assert_int_eq(memcmp(buf, saved, kept), 0); /* earlier lines intact */
    vs__free(buf);
}
END_TEST

static Suite *record_line_suite(void) {
    Suite *s = suite_create("record_line");
    TCase *tc = tcase_create("record_line");
    tcase_add_test(tc, lines_match_the_writer);
    tcase_add_test(tc, bad_utf8);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(record_line_suite()); }
