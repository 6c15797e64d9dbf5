#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each block carries a header so outstanding blocks can be counted exactly. */
typedef struct {
    size_t size;
    size_t pad;
} block_header;

static long fail_at, attempts, outstanding;
static size_t live_bytes, peak_bytes;
static int failed;

static void add_live(size_t size) {
    live_bytes += size;
    if (live_bytes > peak_bytes) peak_bytes = live_bytes;
}

static void *count_malloc(void *ud, size_t size) {
    (void)ud;
    attempts++;
    if (fail_at > 0 && attempts == fail_at) {
        failed = 1;
        return NULL;
    }
    block_header *h = malloc(sizeof *h + size);
    if (!h) return NULL;
    h->size = size;
    outstanding++;
    add_live(size);
    return h + 1;
}

static void count_free(void *ud, void *p) {
    (void)ud;
    if (!p) return;
    outstanding--;
    live_bytes -= ((block_header *)p - 1)->size;
    free((block_header *)p - 1);
}

static void *count_realloc(void *ud, void *p, size_t size) {
    if (!p) return count_malloc(ud, size);
    attempts++;
    if (fail_at > 0 && attempts == fail_at) {
        failed = 1;
        return NULL;
    }
    size_t old = ((block_header *)p - 1)->size;
    block_header *h = realloc((block_header *)p - 1, sizeof *h + size);
    if (!h) return NULL;
    h->size = size;
    live_bytes -= old;
    add_live(size);
    return h + 1;
}

void vs_test_alloc_install(void) {
    vs_allocator a = VS_ALLOCATOR_INIT;
    a.malloc_fn = count_malloc;
    a.realloc_fn = count_realloc;
    a.free_fn = count_free;
    fail_at = attempts = outstanding = 0;
    live_bytes = peak_bytes = 0;
    failed = 0;
    ck_assert_int_eq(vs_set_allocator(&a), VS_OK);
}

void vs_test_alloc_fail_at(long n) {
    fail_at = n;
    attempts = 0;
    failed = 0;
}

long vs_test_alloc_outstanding(void) { return outstanding; }
long vs_test_alloc_count(void) { return attempts; }
int vs_test_alloc_failed(void) { return failed; }
size_t vs_test_alloc_live_bytes(void) { return live_bytes; }
size_t vs_test_alloc_peak_bytes(void) { return peak_bytes; }
void vs_test_alloc_reset_peak(void) { peak_bytes = live_bytes; }

void vs_test_alloc_uninstall(void) { vs_set_allocator(NULL); }

long vs_test_alloc_sweep(const vs_test_sweep *sw) {
    for (long n = 1;; n++) {
        vs_test_alloc_install();
        if (sw->setup) sw->setup(sw->arg);
        vs_test_alloc_fail_at(n);
        int rc = sw->run(sw->arg);
        int hit = vs_test_alloc_failed();
        vs_test_alloc_fail_at(0);
        if (sw->after) sw->after(sw->arg, hit);
        ck_assert_msg(vs_test_alloc_outstanding() == 0, "%s, allocation %ld: %ld blocks leaked", sw->what, n,
                      vs_test_alloc_outstanding());
        vs_test_alloc_uninstall();
        if (!hit) {
            ck_assert_msg(rc == VS_OK, "%s: the run without a failure returned %s: %s", sw->what, vs_status_name(rc),
                          vs_last_error());
            ck_assert_msg(n > 1, "%s: no allocation was made, so none could fail", sw->what);
            return n;
        }
        ck_assert_msg(rc == VS_ENOMEM, "%s, allocation %ld failed, got %s: %s", sw->what, n, vs_status_name(rc),
                      vs_last_error());
    }
}

void vs_test_write_long_line(const char *file, const char *head, size_t len, int nl) {
    FILE *fp = fopen(file, "wb");
    ck_assert_ptr_nonnull(fp);
    fputs(head, fp);
    static char block[1 << 16];
    memset(block, 'x', sizeof block);
    for (size_t left = len; left > 0;) {
        size_t k = left < sizeof block ? left : sizeof block;
        ck_assert_uint_eq(fwrite(block, 1, k, fp), k);
        left -= k;
    }
    if (nl) fputc('\n', fp);
    ck_assert_int_eq(fclose(fp), 0);
}

int vs_test_under_valgrind(void) {
    const char *v = getenv("VS_TEST_UNDER_VALGRIND");
    return v && *v && strcmp(v, "0") != 0;
}

int vs_test_run(Suite *suite) {
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_ENV);
    int failures = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

vs_space *vs_test_space(const char *name, const char *level, const char *const *keys_labels, size_t n) {
    vs_space_builder *b = NULL;
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builder_create(&b, name));
    ck_assert_ok(vs_space_builder_add_level(b, level));
    for (size_t i = 0; i < n; i++)
        ck_assert_ok(vs_space_builder_add_dimension(b, level, keys_labels[2 * i], keys_labels[2 * i + 1]));
    ck_assert_ok(vs_space_builder_freeze(&s, b));
    vs_space_builder_free(b);
    return s;
}
