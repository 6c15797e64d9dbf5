/* Private text helpers: UTF-8 validation and the name-folding rule used by every lookup. */
#include <string.h>

#include "testutil.h"
#include "text/text_internal.h"

static void assert_folds_to(const char *in, const char *expected) {
    char *out = NULL;
    ck_assert_ok(vs__fold_name(&out, in, strlen(in)));
    ck_assert_str_eq(out, expected);
    vs_free(out);
}

START_TEST(fold_rule) {
    assert_folds_to("Self-Direction", "self direction");
    assert_folds_to("self direction", "self direction");
    assert_folds_to("SELF_DIRECTION", "self direction");
    assert_folds_to("  self -_ direction  ", "self direction");
    assert_folds_to("self\xE2\x80\x94" "direction", "self direction");  /* em dash U+2014 */
    assert_folds_to("self\xC2\xA0" "direction", "self direction");      /* no-break space */
    /* fullwidth "ＳＥＬＦ－ＤＩＲＥＣＴＩＯＮ" (NFKC maps to ASCII) */
    assert_folds_to("\xEF\xBC\xB3\xEF\xBC\xA5\xEF\xBC\xAC\xEF\xBC\xA6\xEF\xBC\x8D\xEF\xBC\xA4\xEF\xBC\xA9"
                    "\xEF\xBC\xB2\xEF\xBC\xA5\xEF\xBC\xA3\xEF\xBC\xB4\xEF\xBC\xA9\xEF\xBC\xAF\xEF\xBC\xAE",
                    "self direction");
    assert_folds_to("Stra\xC3\x9F" "e", "strasse");                    /* ß case-folds to ss */
    assert_folds_to("Cafe\xCC\x81", "caf\xC3\xA9");                    /* e + combining acute composes */
    assert_folds_to("soft\xC2\xADhyphen", "softhyphen");               /* default-ignorable removed */
    assert_folds_to("", "");
    assert_folds_to("---", "");
}
END_TEST

START_TEST(fold_rejects_invalid_utf8) {
    static const char *bad[] = {"\xC0\xAF", "\xE0\x80\xAF", "\xE2\x82", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = (char *)"untouched";
        ck_assert_status(vs__fold_name(&out, bad[i], strlen(bad[i])), VS_EUTF8);
        ck_assert_ptr_null(out);
        ck_assert_msg(strstr(vs_last_error(), "byte 0") != NULL, "message: %s", vs_last_error());
    }
    size_t off = 99;
    ck_assert_int_eq(vs__utf8_valid("ab\xE2\x82", 4, &off), 0);
    ck_assert_uint_eq(off, 2);
    ck_assert_int_eq(vs__utf8_valid("\xF0\x9F\x98\x80 ok", 7, &off), 1);
}
END_TEST

static int run_fold(void *p) {
    char **out = p;
    *out = NULL;
    return vs__fold_name(out, "Self-Direction", 14);
}

static void after_fold(void *p, int failed) {
    char **out = p;
    if (failed) {
        ck_assert_ptr_null(*out);
        return;
    }
    ck_assert_str_eq(*out, "self direction");
    vs_free(*out);
}

START_TEST(fold_allocation_failures) {
    char *out = NULL;
    vs_test_sweep sw = {"vs__fold_name", NULL, run_fold, after_fold, &out};
    vs_test_alloc_sweep(&sw);
}
END_TEST

static Suite *text_suite(void) {
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("fold");
    tcase_add_test(tc, fold_rule);
    tcase_add_test(tc, fold_rejects_invalid_utf8);
    tcase_add_test(tc, fold_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(text_suite()); }
