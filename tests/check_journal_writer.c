/* The threaded journal writer (lib/projective/journal_writer.c): every record handed over, in
 * order, byte for byte what the record encoder writes; volatile strings copied at add time; a
 * drain writes everything handed over; a write failure and invalid UTF-8 come back as sticky
 * errors with their message; allocation failures (all on the caller's thread) are clean. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/internal.h"
#include "projective/journal_writer.h"
#include "testutil.h"

static const uint32_t dims2[2] = {1, 3};
static const double judg2[2] = {1.0, 0.0};

static vs__record_fields rec(const char *item, uint64_t repeat, const char *completion) {
    vs__record_fields f;
    memset(&f, 0, sizeof f);
    f.item = item;
    f.status = "ok";
    f.prompt = "When it matters, I";
    f.completion = completion;
    f.repeat = repeat;
    f.seed = 1000 + repeat;
    f.attempts = 1;
    f.dims = dims2;
    f.n_dims = 2;
    f.judgements = judg2;
    return f;
}

/* The expected line of f, through the encoder directly. */
static size_t expected(char *dst, const vs__record_fields *f) {
    const char *str[5];
    size_t slen[5], n = 0;
    vs__record_line_strings(str, f);
    for (int i = 0; i < 5; i++) slen[i] = strlen(str[i]);
    ck_assert_ok(vs__record_line_write(dst, &n, f, slen));
    return n;
}

static char *read_all(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return b;
}

START_TEST(batches_in_order) {
    char path[] = "/tmp/vs_check_jw_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    vs__jwriter *w = NULL;
    ck_assert_ok(vs__jwriter_start(&w, fd, _i, path)); /* loop: fsync off, then on */
    static char items[400][32]; /* item and prompt must stay valid until close */
    size_t total = 0, ni = 0;
    char *want = malloc(1 << 20), comp[64];
    for (int batch = 0; batch < 40; batch++) {
        for (int k = 0; k <= batch % 7; k++) {
            snprintf(items[ni], sizeof items[ni], "it-%d-%d", batch, k);
            snprintf(comp, sizeof comp, "said \"%d\"\n", batch * 10 + k);
            vs__record_fields f = rec(items[ni++], (uint64_t)k, comp);
            if (k == 2) f.error = comp, f.judgements = NULL, f.status = "failed";
            if (k == 1) { /* the runner's hints: lengths given, a completion that stays */
                f.completion = "stays put";
                f.completion_static = 1;
                f.lengths_known = 1;
                f.item_len = strlen(f.item);
                f.prompt_len = strlen(f.prompt);
                f.completion_len = strlen(f.completion);
            }
            ck_assert_ok(vs__jwriter_add(w, &f));
            total += expected(want + total, &f);
            memset(comp, 'x', sizeof comp - 1); /* the completion buffer is reused at once: */
            comp[sizeof comp - 1] = '\0';       /* the writer must have copied it */
        }
        ck_assert_ok(vs__jwriter_flush(w));
        if (batch % 10 == 9) {
            ck_assert_ok(vs__jwriter_drain(w));
            ck_assert_uint_eq(vs__jwriter_written(w), ni); /* drained: every record is written */
        }
    }
    ck_assert_ok(vs__jwriter_close(w));
    size_t got_len = 0;
    char *got = read_all(path, &got_len);
    ck_assert_uint_eq(got_len, total);
    ck_assert_int_eq(memcmp(got, want, total), 0);
    free(got);
    free(want);
    close(fd);
    unlink(path);
}
END_TEST

START_TEST(write_failure_is_sticky) {
    char path[] = "/tmp/vs_check_jw_XXXXXX";
    int fd0 = mkstemp(path);
    ck_assert_int_ge(fd0, 0);
    close(fd0);
    int fd = open(path, O_RDONLY); /* write() fails with EBADF */
    ck_assert_int_ge(fd, 0);
    vs__jwriter *w = NULL;
    ck_assert_ok(vs__jwriter_start(&w, fd, 0, "my.jsonl"));
    vs__record_fields f = rec("a", 0, "x");
    ck_assert_ok(vs__jwriter_add(w, &f));
    int rc = vs__jwriter_flush(w); /* the failure shows at once (no thread) or later */
    ck_assert(rc == VS_OK || rc == VS_EIO);
    ck_assert_status(vs__jwriter_drain(w), VS_EIO); /* everything handed over and tried */
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "journal 'my.jsonl': write failed"));
    ck_assert_ok(vs__jwriter_add(w, &f));
    ck_assert_status(vs__jwriter_flush(w), VS_EIO); /* sticky */
    ck_assert_status(vs__jwriter_close(w), VS_EIO);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "journal 'my.jsonl': write failed"));
    close(fd);
    unlink(path);
}
END_TEST

START_TEST(bad_utf8_is_reported) {
    char path[] = "/tmp/vs_check_jw_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    vs__jwriter *w = NULL;
    ck_assert_ok(vs__jwriter_start(&w, fd, 0, path));
    vs__record_fields good = rec("a", 0, "fine"), bad = rec("b", 0, "bad \xff");
    ck_assert_ok(vs__jwriter_add(w, &good));
    ck_assert_ok(vs__jwriter_drain(w));
    ck_assert_ok(vs__jwriter_add(w, &bad));
    int rc = vs__jwriter_flush(w); /* the writer's error shows here if it was quick, else at close */
    ck_assert(rc == VS_OK || rc == VS_EUTF8);
    ck_assert_status(vs__jwriter_close(w), VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "item 'b'"));
    size_t len = 0;
    char *got = read_all(path, &len);
    char want[1024];
    ck_assert_uint_eq(len, expected(want, &good)); /* the good batch was written, the bad one not */
    free(got);
    close(fd);
    unlink(path);
}
END_TEST

START_TEST(allocation_failures) {
    char path[] = "/tmp/vs_check_jw_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    vs_test_alloc_install();
    for (long fail = 1;; fail++) {
        ck_assert_int_eq(ftruncate(fd, 0), 0);
        lseek(fd, 0, SEEK_SET);
        vs_test_alloc_fail_at(fail);
        vs__jwriter *w = NULL;
        int rc = vs__jwriter_start(&w, fd, 0, path);
        for (int i = 0; rc == VS_OK && i < 5; i++) {
            vs__record_fields f = rec("item", (uint64_t)i, "a completion");
            if (i == 3) f.error = "an error", f.judgements = NULL;
            rc = vs__jwriter_add(w, &f);
            if (rc == VS_OK && i % 2) rc = vs__jwriter_flush(w);
        }
        int crc = vs__jwriter_close(w);
        if (rc == VS_OK) rc = crc;
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        if (!vs_test_alloc_failed()) {
            ck_assert_ok(rc);
            break;
        }
        ck_assert_status(rc, VS_ENOMEM);
    }
    vs_test_alloc_uninstall();
    close(fd);
    unlink(path);
}
END_TEST

static Suite *journal_writer_suite(void) {
    Suite *s = suite_create("journal_writer");
    TCase *tc = tcase_create("journal_writer");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, batches_in_order, 0, 2);
    tcase_add_test(tc, write_failure_is_sticky);
    tcase_add_test(tc, bad_utf8_is_reported);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(journal_writer_suite()); }
