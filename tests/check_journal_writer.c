/* The threaded journal writer (lib/projective/journal_writer.c): every record handed over, in
 * order, byte for byte what the record encoder writes for it once completed from the run (id,
 * seed, reverse keying, reported dimensions); volatile strings copied at add time; a
 * drain writes everything handed over; a write failure and invalid UTF-8 come back as sticky
 * errors with their message; allocation failures (all on the caller's thread) are clean. */
#include <check.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/internal.h"
#include "common/random.h"
#include "projective/journal_writer.h"
#include "projective/record_line.h"
#include "projective/runner_internal.h"
#include "testutil.h"

/* A hand-made bank: items it-0, it-1, … over bank dimensions 0 and 2, reported as 5 and 7;
 * every third item reverse-keyed. */
#define NITEMS 400
static const uint32_t bank_dims[2] = {0, 2};
static const uint32_t rep_of[3] = {5, 0, 7};
static char ids[NITEMS][16];
static vs__bank_item items[NITEMS];
static const vs__jwriter_run the_run = {items, rep_of, 42};
static const double judg2[2] = {1.0, 0.0}, judg_mixed[2] = {0.25, 1.0}, judg_half[2] = {0.5, 0.5},
                     judg_signed[2] = {0.0, -0.0};

static void make_items(void) {
    for (size_t i = 0; i < NITEMS; i++) {
        snprintf(ids[i], sizeof ids[i], "it-%zu", i);
        memset(&items[i], 0, sizeof items[i]);
        items[i].id = ids[i];
        items[i].id_len = (uint32_t)strlen(ids[i]);
        items[i].id_hash = vs__fnv1a64(VS__FNV_BASIS, ids[i], items[i].id_len); /* as the bank stores it */
        items[i].dims = bank_dims;
        items[i].dim_count = 2;
        items[i].flags = i % 3 == 0 ? VS_BANK_ITEM_REVERSE : 0;
        items[i].stem = "When it matters, I usually...";
    }
}

static vs__jrecord rec(size_t item, uint64_t repeat, const char *completion) {
    vs__jrecord r;
    memset(&r, 0, sizeof r);
    r.item = item;
    r.repeat = repeat;
    r.status = VS_MODEL_ITEM_OK;
    r.attempts = 1;
    r.prompt_len = 18; /* "When it matters, I" */
    r.completion = completion;
    r.completion_len = SIZE_MAX;
    r.judgements = judg2;
    return r;
}

/* The expected line of r, completed from the run by hand and put through the encoder. */
static size_t expected(char *dst, const vs__jrecord *r) {
    const vs__bank_item *it = &items[r->item];
    uint32_t dims[2] = {rep_of[it->dims[0]], rep_of[it->dims[1]]};
    vs__record_fields f;
    memset(&f, 0, sizeof f);
    f.item = it->id;
    f.repeat = r->repeat;
    f.seed = vs_model_item_seed(42, it->id, r->repeat);
    f.status = vs__runner_status_name(r->status);
    f.attempts = r->attempts;
    f.latency_us = (int64_t)llround(r->latency * 1e6);
    static char prompt[64]; /* the stem's prefix, as a string of its own */
    size_t plen = r->prompt_len == SIZE_MAX ? strlen(it->stem) : r->prompt_len;
    memcpy(prompt, it->stem, plen);
    prompt[plen] = '\0';
    f.prompt = prompt;
    f.completion = r->completion ? r->completion : "";
    f.error = r->status == VS_MODEL_ITEM_OK ? NULL : r->error ? r->error : "";
    f.reverse = (it->flags & VS_BANK_ITEM_REVERSE) != 0;
    f.dims = dims;
    f.n_dims = 2;
    f.judgements = r->judgements;
    f.has_lp = r->has_lp;
    f.lp_hi = r->lp_hi;
    f.lp_lo = r->lp_lo;
    const char *str[5];
    size_t slen[5], n = 0;
    vs__record_line_strings(str, &f);
    for (int i = 0; i < 5; i++) slen[i] = strlen(str[i]);
    ck_assert_ok(vs__record_line_write(dst, &n, &f, slen));
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

/* A new temporary journal file (its name in path), the hand-made bank set up. */
static int temp_journal(char path[24]) {
    strcpy(path, "/tmp/vs_check_jw_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    make_items();
    return fd;
}

/* The file holds exactly want[0..len); then it is closed and removed. */
static void check_and_remove(const char *path, int fd, const char *want, size_t len) {
    size_t got_len = 0;
    char *got = read_all(path, &got_len);
    ck_assert_uint_eq(got_len, len);
    ck_assert_int_eq(memcmp(got, want, len), 0);
    free(got);
    close(fd);
    unlink(path);
}

START_TEST(batches_in_order) {
    char path[24];
    int fd = temp_journal(path);
    vs__jwriter *w = NULL;
    ck_assert_ok(vs__jwriter_start(&w, &the_run, fd, _i, path)); /* loop: fsync off, then on */
    size_t total = 0, ni = 0;
    char *want = malloc(1 << 20), comp[64], err[64];
    for (int batch = 0; batch < 40; batch++) {
        for (int k = 0; k <= batch % 7; k++) {
            snprintf(comp, sizeof comp, "said \"%d\"\n", batch * 10 + k);
            vs__jrecord r = rec(ni++, (uint64_t)k, comp);
            r.latency = 0.001 * k;
            if (k == 2) { /* a failed record: its error is copied too */
                snprintf(err, sizeof err, "no \"%d\"", batch);
                r.status = VS_MODEL_ITEM_PERMANENT, r.error = err, r.judgements = NULL;
            }
            if (k == 1) { /* the whole stem; a completion that stays, its length given */
                r.completion = "stays put";
                r.completion_static = 1;
                r.prompt_len = SIZE_MAX;
                r.completion_len = strlen(r.completion);
                r.has_lp = 1, r.lp_hi = -1.5, r.lp_lo = -2.25;
            }
            if (k == 3) r.completion = NULL, r.prompt_len = 0; /* both "" */
            if (k == 4) r.judgements = judg_mixed, r.attempts = 70000; /* kept beside the record */
            if (k == 5) r.judgements = judg_half;                      /* equal: kept once */
            if (k == 6) r.judgements = judg_signed;                    /* 0 and -0 differ in bits */
            ck_assert_ok(vs__jwriter_add(w, &r));
            total += expected(want + total, &r);
            memset(comp, 'x', sizeof comp - 1); /* the buffers are reused at once: */
            comp[sizeof comp - 1] = '\0';       /* the writer must have copied them */
            memcpy(err, comp, sizeof err);
        }
        ck_assert_ok(vs__jwriter_flush(w));
        if (batch % 10 == 9) {
            ck_assert_ok(vs__jwriter_drain(w));
            ck_assert_uint_eq(vs__jwriter_written(w), ni); /* drained: every record is written */
        }
    }
    ck_assert_ok(vs__jwriter_close(w));
    check_and_remove(path, fd, want, total);
    free(want);
}
END_TEST

/* A batch far larger than the writer's 1 MiB output buffer, with one record whose own bound
 * exceeds it: written in several pieces, byte for byte the same; the blocks preallocated ahead
 * of the writes are released at close. */
START_TEST(large_batch_in_pieces) {
    char path[24];
    int fd = temp_journal(path);
    vs__jwriter *w = NULL;
    ck_assert_ok(vs__jwriter_start(&w, &the_run, fd, 0, path));
    size_t big = 300000, total = 0;
    char *comp = malloc(big + 1), *want = malloc(8u << 20);
    for (int r = 0; r < 5000; r++) {
        size_t len = r == 2500 ? big : 200 + (size_t)r % 100; /* the bound of the long one: ~1.8 MB */
        for (size_t k = 0; k < len; k++) comp[k] = (char)('a' + (k + (size_t)r) % 26);
        comp[len] = '\0';
        vs__jrecord rc = rec((size_t)r % NITEMS, (uint64_t)r, comp);
        ck_assert_ok(vs__jwriter_add(w, &rc));
        total += expected(want + total, &rc);
    }
    ck_assert_ok(vs__jwriter_close(w)); /* one hand-off at close: all 5000 in one batch */
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(st.st_size, (off_t)total);
    ck_assert_int_lt((off_t)st.st_blocks * 512, st.st_size + (1 << 20)); /* the 8 MiB preallocated: released */
    check_and_remove(path, fd, want, total);
    free(want);
    free(comp);
}
END_TEST

/* One line written out in full by hand: the writer derives id, seed, reverse and the reported
 * dimensions from the run. */
START_TEST(line_completed_from_the_run) {
    char path[24];
    int fd = temp_journal(path);
    vs__jwriter *w = NULL;
    ck_assert_ok(vs__jwriter_start(&w, &the_run, fd, 0, path));
    vs__jrecord r = rec(3, 2, "tell the \"truth\"");
    r.attempts = 2;
    r.latency = 0.0015;
    r.has_lp = 1, r.lp_hi = -1.5, r.lp_lo = -2.25;
    ck_assert_ok(vs__jwriter_add(w, &r));
    vs__jrecord f = rec(4, 0, "");
    f.status = VS_MODEL_ITEM_BAD_OUTPUT, f.judgements = NULL, f.error = "bad UTF-8";
    ck_assert_ok(vs__jwriter_add(w, &f));
    ck_assert_ok(vs__jwriter_close(w));
    char want[2048];
    snprintf(want, sizeof want,
             "{\"item\":\"it-3\",\"repeat\":2,\"seed\":\"%" PRIu64 "\",\"status\":\"ok\",\"attempts\":2,"
             "\"latency_us\":1500,\"prompt\":\"When it matters, I\",\"completion\":\"tell the \\\"truth\\\"\","
             "\"reverse\":true,\"dims\":[5,7],\"judgements\":[1,0],\"logprob_high\":-1.5,\"logprob_low\":-2.25}\n"
             "{\"item\":\"it-4\",\"repeat\":0,\"seed\":\"%" PRIu64 "\",\"status\":\"bad_output\",\"attempts\":1,"
             "\"latency_us\":0,\"prompt\":\"When it matters, I\",\"completion\":\"\","
             "\"reverse\":false,\"dims\":[5,7],\"judgements\":[],\"error\":\"bad UTF-8\"}\n",
             vs_model_item_seed(42, "it-3", 2), vs_model_item_seed(42, "it-4", 0));
    check_and_remove(path, fd, want, strlen(want));
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
    make_items();
    ck_assert_ok(vs__jwriter_start(&w, &the_run, fd, 0, "my.jsonl"));
    vs__jrecord f = rec(0, 0, "x");
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
    char path[24];
    int fd = temp_journal(path);
    vs__jwriter *w = NULL;
    ck_assert_ok(vs__jwriter_start(&w, &the_run, fd, 0, path));
    vs__jrecord good = rec(0, 0, "fine"), bad = rec(1, 0, "bad \xff");
    ck_assert_ok(vs__jwriter_add(w, &good));
    ck_assert_ok(vs__jwriter_drain(w));
    ck_assert_ok(vs__jwriter_add(w, &bad));
    int rc = vs__jwriter_flush(w); /* the writer's error shows here if it was quick, else at close */
    ck_assert(rc == VS_OK || rc == VS_EUTF8);
    ck_assert_status(vs__jwriter_close(w), VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "item 'it-1'"));
    char want[1024];
    check_and_remove(path, fd, want, expected(want, &good)); /* the good batch was written, the bad one not */
}
END_TEST

START_TEST(allocation_failures) {
    char path[24];
    int fd = temp_journal(path);
    vs_test_alloc_install();
    for (long fail = 1;; fail++) {
        ck_assert_int_eq(ftruncate(fd, 0), 0);
        lseek(fd, 0, SEEK_SET);
        vs_test_alloc_fail_at(fail);
        vs__jwriter *w = NULL;
        int rc = vs__jwriter_start(&w, &the_run, fd, 0, path);
        for (int i = 0; rc == VS_OK && i < 5; i++) {
            vs__jrecord f = rec((size_t)i, (uint64_t)i, "a completion");
            if (i == 3) f.status = VS_MODEL_ITEM_TRANSIENT, f.error = "an error", f.judgements = NULL;
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
    tcase_add_test(tc, line_completed_from_the_run);
    tcase_add_test(tc, large_batch_in_pieces);
    tcase_add_test(tc, write_failure_is_sticky);
    tcase_add_test(tc, bad_utf8_is_reported);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(journal_writer_suite()); }
