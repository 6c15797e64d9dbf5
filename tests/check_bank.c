/* Tests of projective-test item banks: the builder's rules, the built-in banks' content rules,
 * JSON load/save (round trips, exact error codes and locations), space references, lifetimes
 * and allocation failures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "projective/bank_internal.h"
#include "testutil.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static vs_space *space(const char *name) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builtin(&s, name));
    return s;
}

static vs_bank *builtin(const char *name) {
    vs_bank *b = NULL;
    ck_assert_ok(vs_bank_builtin(&b, name));
    ck_assert_ptr_nonnull(b);
    return b;
}

static char *save(const vs_bank *b) {
    char *text = NULL;
    ck_assert_ok(vs_bank_save_json(&text, b));
    ck_assert_ptr_nonnull(text);
    return text;
}

static vs_bank *load(const char *json, const vs_space *sp) {
    vs_bank *b = NULL;
    ck_assert_ok(vs_bank_load_json(&b, json, strlen(json), "bank.json", sp));
    ck_assert_ptr_nonnull(b);
    return b;
}

/* Every queried property of two banks is equal. */
static void assert_equal_banks(const vs_bank *a, const vs_bank *b) {
    ck_assert_str_eq(vs_bank_name(a), vs_bank_name(b));
    ck_assert_str_eq(vs_bank_description(a), vs_bank_description(b));
    ck_assert_str_eq(vs_bank_space_ref(a), vs_bank_space_ref(b));
    ck_assert_str_eq(vs_space_name(vs_bank_space(a)), vs_space_name(vs_bank_space(b)));
    size_t n = vs_bank_item_count(a);
    ck_assert_uint_eq(vs_bank_item_count(b), n);
    ck_assert_uint_eq(vs_bank_continuation_count(a), vs_bank_continuation_count(b));
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(vs_bank_item_id(a, i), vs_bank_item_id(b, i));
        ck_assert_str_eq(vs_bank_item_stem(a, i), vs_bank_item_stem(b, i));
        ck_assert_uint_eq(vs_bank_item_context_length(a, i), vs_bank_item_context_length(b, i));
        ck_assert_uint_eq(vs_bank_item_flags(a, i), vs_bank_item_flags(b, i));
        ck_assert_uint_eq(vs_bank_item_dimension_count(a, i), vs_bank_item_dimension_count(b, i));
        for (size_t k = 0; k < vs_bank_item_dimension_count(a, i); k++)
            ck_assert_uint_eq(vs_bank_item_dimension(a, i, k), vs_bank_item_dimension(b, i, k));
        const char *ha = vs_bank_item_high(a, i), *hb = vs_bank_item_high(b, i);
        ck_assert(!ha == !hb);
        if (ha) {
            ck_assert_str_eq(ha, hb);
            ck_assert_str_eq(vs_bank_item_low(a, i), vs_bank_item_low(b, i));
        }
    }
    for (size_t d = 0; d < vs_space_dimension_count(vs_bank_space(a)); d++)
        ck_assert_uint_eq(vs_bank_dimension_item_count(a, d), vs_bank_dimension_item_count(b, d));
}

/* ------------------------------------------------------------------ built-in banks */

static void check_builtin_counts(const char *bank_name, size_t minimum, size_t n_dims) {
    vs_bank *b = builtin(bank_name);
    const vs_space *sp = vs_bank_space(b);
    ck_assert_str_eq(vs_space_name(sp), bank_name);
    ck_assert_str_eq(vs_bank_space_ref(b), bank_name);
    ck_assert_str_eq(vs_bank_name(b), bank_name);
    ck_assert_uint_eq(vs_space_level_dimension_count(sp, 0), n_dims);
    size_t n = vs_bank_item_count(b);
    /* Counted here from the items, and compared with the bank's own per-dimension counts. */
    size_t counts[16] = {0}, reverse[16] = {0}, multi = 0;
    for (size_t i = 0; i < n; i++) {
        size_t nd = vs_bank_item_dimension_count(b, i);
        ck_assert_uint_ge(nd, 1);
        ck_assert_uint_le(nd, 2);
        if (nd > 1) multi++;
        for (size_t k = 0; k < nd; k++) {
            size_t d = vs_bank_item_dimension(b, i, k);
            ck_assert_uint_lt(d, n_dims); /* every built-in item probes the finest level */
            counts[d]++;
            if (vs_bank_item_reverse(b, i)) reverse[d]++;
        }
    }
    for (size_t d = 0; d < n_dims; d++) {
        ck_assert_msg(counts[d] >= minimum, "%s: %s has %zu items, fewer than %zu", bank_name, vs_space_key(sp, d),
                      counts[d], minimum);
        ck_assert_uint_eq(vs_bank_dimension_item_count(b, d), counts[d]);
        ck_assert_msg(reverse[d] >= 2, "%s: %s has %zu reverse-keyed items", bank_name, vs_space_key(sp, d), reverse[d]);
    }
    ck_assert_msg(multi >= 5, "%s: only %zu multi-label items", bank_name, multi);
    /* Higher levels are not probed directly. */
    for (size_t d = n_dims; d < vs_space_dimension_count(sp); d++) ck_assert_uint_eq(vs_bank_dimension_item_count(b, d), 0);
    ck_assert_uint_eq(vs_bank_continuation_count(b), n);
    vs_bank_free(b);
}

START_TEST(test_builtin_counts) {
    ck_assert_uint_eq(vs_bank_builtin_count(), 2);
    ck_assert_str_eq(vs_bank_builtin_name(0), "valuelex");
    ck_assert_str_eq(vs_bank_builtin_name(1), "schwartz10");
    ck_assert_ptr_null(vs_bank_builtin_name(2));
    check_builtin_counts("valuelex", 20, 6);
    check_builtin_counts("schwartz10", 10, 10);
}
END_TEST

/* Ids are unique, follow "<prefix>-<first dimension key>-NNN" and are found by vs_bank_find_item. */
START_TEST(test_builtin_ids) {
    static const char *const prefix[] = {"vlx", "s10"};
    for (size_t w = 0; w < 2; w++) {
        vs_bank *b = builtin(vs_bank_builtin_name(w));
        const vs_space *sp = vs_bank_space(b);
        size_t n = vs_bank_item_count(b);
        for (size_t i = 0; i < n; i++) {
            const char *id = vs_bank_item_id(b, i);
            char want[160];
            int len = snprintf(want, sizeof want, "%s-%s-", prefix[w], vs_space_key(sp, vs_bank_item_dimension(b, i, 0)));
            ck_assert_msg(strncmp(id, want, (size_t)len) == 0, "id %s does not start with %s", id, want);
            ck_assert_uint_eq(strlen(id), (size_t)len + 3);
            size_t found = 99999;
            ck_assert_ok(vs_bank_find_item(&found, b, id));
            ck_assert_uint_eq(found, i);
            for (size_t j = 0; j < i; j++) ck_assert_str_ne(vs_bank_item_id(b, j), id);
        }
        size_t idx = 7;
        ck_assert_status(vs_bank_find_item(&idx, b, "no-such-item"), VS_ENOTFOUND);
        ck_assert_uint_eq(idx, 7);
        vs_bank_free(b);
    }
}
END_TEST

/* Every dimension key resolves in the space to the dimension stored. */
START_TEST(test_builtin_dimensions_resolve) {
    for (size_t w = 0; w < vs_bank_builtin_count(); w++) {
        vs_bank *b = builtin(vs_bank_builtin_name(w));
        const vs_space *sp = vs_bank_space(b);
        for (size_t i = 0; i < vs_bank_item_count(b); i++) {
            for (size_t k = 0; k < vs_bank_item_dimension_count(b, i); k++) {
                size_t d = vs_bank_item_dimension(b, i, k), found;
                ck_assert_ok(vs_space_find(&found, sp, VS_NPOS, vs_space_key(sp, d)));
                ck_assert_uint_eq(found, d);
                for (size_t j = 0; j < k; j++) ck_assert_uint_ne(vs_bank_item_dimension(b, i, j), d);
            }
            ck_assert_uint_eq(vs_bank_item_dimension(b, i, vs_bank_item_dimension_count(b, i)), VS_NPOS);
        }
        vs_bank_free(b);
    }
}
END_TEST

/* Stems end with "...", are unique and their context is the stem without the marker;
 * continuations exist, differ, are unique in the bank, end with a full stop, start in lower
 * case (or with "I ") and have similar lengths (so length does not decide a forced choice). */
START_TEST(test_builtin_texts) {
    for (size_t w = 0; w < vs_bank_builtin_count(); w++) {
        vs_bank *b = builtin(vs_bank_builtin_name(w));
        size_t n = vs_bank_item_count(b);
        double sum_high = 0, sum_low = 0;
        for (size_t i = 0; i < n; i++) {
            const char *stem = vs_bank_item_stem(b, i), *high = vs_bank_item_high(b, i), *low = vs_bank_item_low(b, i);
            const char *id = vs_bank_item_id(b, i);
            size_t sl = strlen(stem);
            ck_assert_msg(sl > 3 && strcmp(stem + sl - 3, "...") == 0, "%s: stem does not end with ...", id);
            ck_assert_uint_eq(vs_bank_item_context_length(b, i), sl - 3);
            ck_assert_ptr_nonnull(high);
            ck_assert_ptr_nonnull(low);
            ck_assert_str_ne(high, low);
            size_t hl = strlen(high), ll = strlen(low);
            ck_assert_msg(high[hl - 1] == '.' && low[ll - 1] == '.', "%s: continuation without a full stop", id);
            ck_assert_msg((high[0] >= 'a' && high[0] <= 'z') || strncmp(high, "I ", 2) == 0, "%s: high starts oddly", id);
            ck_assert_msg((low[0] >= 'a' && low[0] <= 'z') || strncmp(low, "I ", 2) == 0, "%s: low starts oddly", id);
            ck_assert_msg(hl <= ll + 12 && ll <= hl + 12, "%s: high (%zu) and low (%zu) differ in length by over 12",
                          id, hl, ll);
            sum_high += (double)hl;
            sum_low += (double)ll;
            for (size_t j = 0; j < i; j++) {
                ck_assert_msg(strcmp(vs_bank_item_stem(b, j), stem) != 0, "%s: stem repeated", id);
                const char *o[2] = {vs_bank_item_high(b, j), vs_bank_item_low(b, j)};
                for (int t = 0; t < 2; t++)
                    ck_assert_msg(strcmp(o[t], high) != 0 && strcmp(o[t], low) != 0, "%s: continuation repeated from %s",
                                  id, vs_bank_item_id(b, j));
            }
        }
        /* On average the two sides are within 2 characters of each other. */
        ck_assert_msg(sum_high / (double)n - sum_low / (double)n < 2 && sum_low / (double)n - sum_high / (double)n < 2,
                      "mean lengths %g vs %g", sum_high / (double)n, sum_low / (double)n);
        vs_bank_free(b);
    }
}
END_TEST

START_TEST(test_builtin_lookup) {
    vs_bank *b = (vs_bank *)1;
    ck_assert_ok(vs_bank_builtin(&b, "ValueLex"));
    ck_assert_str_eq(vs_bank_name(b), "valuelex");
    vs_bank_free(b);
    b = (vs_bank *)1;
    ck_assert_status(vs_bank_builtin(&b, "nope"), VS_ENOTFOUND);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "nope"));
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "valid: valuelex, schwartz10"));
    ck_assert_ptr_null(strstr(vs_last_error(), "did you mean")); /* nothing is close to "nope" */
    ck_assert_status(vs_bank_builtin(&b, "valuelx"), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "unknown built-in bank 'valuelx' (did you mean 'valuelex'?"));
    ck_assert_status(vs_bank_builtin(&b, "\xff"), VS_ENOTFOUND);
    ck_assert_status(vs_bank_builtin(&b, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builtin(NULL, "valuelex"), VS_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ builder */

START_TEST(test_builder_rules) {
    vs_space *sp = space("valuelex");
    vs_bank_builder *b = NULL;
    ck_assert_ok(vs_bank_builder_create(&b, "mine", sp));
    const char *eth[] = {"ethical"}, *two[] = {"Ethical", "self competent"}, *bad[] = {"nope"};
    const char *dup[] = {"ethical", "ETHICAL"};
    ck_assert_ok(vs_bank_builder_add_item(b, "a-1", "I am...", eth, 1, 0, NULL, NULL));
    ck_assert_ok(vs_bank_builder_add_item(b, "a.2:x_Y", "I do...", two, 2, VS_BANK_ITEM_REVERSE, "x.", "y."));

    /* Each bad item: exact code, and the builder keeps its two items. */
    ck_assert_status(vs_bank_builder_add_item(b, "a-1", "Again...", eth, 1, 0, NULL, NULL), VS_EDUPLICATE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "'a-1'"));
    ck_assert_status(vs_bank_builder_add_item(b, "", "S...", eth, 1, 0, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "has space", "S...", eth, 1, 0, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "caf\xc3\xa9", "S...", eth, 1, 0, NULL, NULL), VS_EINVAL);
    char long_id[VS_BANK_MAX_ID_BYTES + 2];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    ck_assert_status(vs_bank_builder_add_item(b, long_id, "S...", eth, 1, 0, NULL, NULL), VS_EINVAL);
    long_id[VS_BANK_MAX_ID_BYTES] = '\0'; /* exactly the limit: fine */
    ck_assert_ok(vs_bank_builder_add_item(b, long_id, "Long id...", eth, 1, 0, NULL, NULL));
    ck_assert_status(vs_bank_builder_add_item(b, "b", "", eth, 1, 0, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", " \t\n", eth, 1, 0, NULL, NULL), VS_EINVAL);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "blank"));
    ck_assert_status(vs_bank_builder_add_item(b, "b", NULL, eth, 1, 0, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "bad \xc3(...", eth, 1, 0, NULL, NULL), VS_EUTF8);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 0, 0, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", bad, 1, 0, NULL, NULL), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "'nope'"));
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", dup, 2, 0, NULL, NULL), VS_EDUPLICATE);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 1, 2, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 1, 0, "x.", NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 1, 0, NULL, "y."), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 1, 0, "same.", "same."), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 1, 0, " ", "y."), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 1, 0, "x.", "\xff"), VS_EUTF8);
    const char *many[VS_BANK_MAX_ITEM_DIMENSIONS + 1];
    for (size_t k = 0; k < COUNT(many); k++) many[k] = "ethical";
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", many, COUNT(many), 0, NULL, NULL), VS_ELIMIT);
    char *huge = malloc(VS_BANK_MAX_TEXT_BYTES + 2);
    memset(huge, 'a', VS_BANK_MAX_TEXT_BYTES + 1);
    huge[VS_BANK_MAX_TEXT_BYTES + 1] = '\0';
    ck_assert_status(vs_bank_builder_add_item(b, "b", huge, eth, 1, 0, NULL, NULL), VS_ELIMIT);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", eth, 1, 0, "x.", huge), VS_ELIMIT);
    ck_assert_status(vs_bank_builder_set_space_ref(b, huge), VS_ELIMIT);
    free(huge);
    size_t idx[] = {0, 6}, out_of_range[] = {9};
    ck_assert_status(vs_bank_builder_add_item_indexed(b, "b", "S...", out_of_range, 1, 0, NULL, NULL), VS_ERANGE);
    ck_assert_status(vs_bank_builder_add_item(NULL, "b", "S...", eth, 1, 0, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_add_item(b, "b", "S...", NULL, 1, 0, NULL, NULL), VS_EINVAL);
    /* Indexed: dimension 6 is the first of level "dimension" (competence): higher levels are allowed. */
    ck_assert_ok(vs_bank_builder_add_item_indexed(b, "b", "S...", idx, 2, 0, NULL, NULL));

    vs_bank *k = NULL;
    ck_assert_ok(vs_bank_builder_freeze(&k, b));
    ck_assert_uint_eq(vs_bank_item_count(k), 4);
    ck_assert_str_eq(vs_bank_item_id(k, 1), "a.2:x_Y");
    ck_assert_int_eq(vs_bank_item_reverse(k, 1), 1);
    ck_assert_int_eq(vs_bank_item_reverse(k, 0), 0);
    ck_assert_uint_eq(vs_bank_item_dimension(k, 1, 0), 5); /* ethical is the 6th sub-dimension */
    ck_assert_uint_eq(vs_bank_item_dimension(k, 1, 1), 0); /* self_competent, found by its folded label */
    ck_assert_uint_eq(vs_bank_item_dimension(k, 3, 1), 6);
    ck_assert_str_eq(vs_space_key(vs_bank_space(k), 6), "competence");
    ck_assert_uint_eq(vs_bank_dimension_item_count(k, 5), 3);
    ck_assert_uint_eq(vs_bank_dimension_item_count(k, 0), 2);
    ck_assert_uint_eq(vs_bank_dimension_item_count(k, 99), 0);
    ck_assert_uint_eq(vs_bank_continuation_count(k), 1);
    ck_assert_ptr_null(vs_bank_item_high(k, 0));
    ck_assert_str_eq(vs_bank_item_high(k, 1), "x.");
    ck_assert_str_eq(vs_bank_item_low(k, 1), "y.");
    ck_assert_str_eq(vs_bank_description(k), "");
    ck_assert_str_eq(vs_bank_space_ref(k), "valuelex");
    /* Out of range queries. */
    ck_assert_ptr_null(vs_bank_item_id(k, 4));
    ck_assert_ptr_null(vs_bank_item_stem(k, 4));
    ck_assert_uint_eq(vs_bank_item_dimension_count(k, 4), 0);
    ck_assert_uint_eq(vs_bank_item_dimension(k, 0, 1), VS_NPOS);
    ck_assert_uint_eq(vs_bank_item_flags(k, 4), 0);
    ck_assert_uint_eq(vs_bank_item_context_length(k, 4), 0);
    ck_assert_uint_eq(vs_bank_item_count(NULL), 0);
    vs_bank_free(k);

    /* The builder goes on after a freeze; each freeze is independent. */
    ck_assert_ok(vs_bank_builder_set_description(b, "desc"));
    ck_assert_ok(vs_bank_builder_set_space_ref(b, "my/space.json"));
    ck_assert_status(vs_bank_builder_set_space_ref(b, ""), VS_EINVAL);
    ck_assert_status(vs_bank_builder_set_description(b, "\xff"), VS_EUTF8);
    ck_assert_ok(vs_bank_builder_freeze(&k, b));
    ck_assert_str_eq(vs_bank_description(k), "desc");
    ck_assert_str_eq(vs_bank_space_ref(k), "my/space.json");
    vs_bank_free(k);
    vs_bank_builder_free(b);

    /* Creating and freezing. */
    b = (vs_bank_builder *)1;
    ck_assert_status(vs_bank_builder_create(&b, "", sp), VS_EINVAL);
    ck_assert_ptr_null(b);
    ck_assert_status(vs_bank_builder_create(&b, "x", NULL), VS_EINVAL);
    ck_assert_status(vs_bank_builder_create(&b, "\xc0\x80", sp), VS_EUTF8);
    ck_assert_ok(vs_bank_builder_create(&b, "empty", sp));
    k = (vs_bank *)1;
    ck_assert_status(vs_bank_builder_freeze(&k, b), VS_EINVAL);
    ck_assert_ptr_null(k);
    vs_bank_builder_free(b);
    vs_bank_builder_free(NULL);
    vs_bank_free(NULL);
    vs_space_free(sp);
}
END_TEST

/* Many items: the id index grows and still finds every item. */
START_TEST(test_builder_many_items) {
    vs_space *sp = space("schwartz10");
    vs_bank_builder *b = NULL;
    ck_assert_ok(vs_bank_builder_create(&b, "big", sp));
    size_t n = vs_test_under_valgrind() ? 2000 : 20000;
    char id[32];
    for (size_t i = 0; i < n; i++) {
        size_t d = i % 10;
        snprintf(id, sizeof id, "item-%zu", i);
        ck_assert_ok(vs_bank_builder_add_item_indexed(b, id, "Stem...", &d, 1, (uint32_t)(i & 1), NULL, NULL));
    }
    ck_assert_status(vs_bank_builder_add_item_indexed(b, "item-777", "Stem...", (size_t[]){0}, 1, 0, NULL, NULL),
                     VS_EDUPLICATE);
    vs_bank *k = NULL;
    ck_assert_ok(vs_bank_builder_freeze(&k, b));
    vs_bank_builder_free(b);
    for (size_t i = 0; i < n; i += 7) {
        snprintf(id, sizeof id, "item-%zu", i);
        size_t found;
        ck_assert_ok(vs_bank_find_item(&found, k, id));
        ck_assert_uint_eq(found, i);
    }
    size_t found;
    ck_assert_status(vs_bank_find_item(&found, k, "item-x"), VS_ENOTFOUND);
    ck_assert_status(vs_bank_find_item(NULL, k, "item-1"), VS_EINVAL);
    ck_assert_status(vs_bank_find_item(&found, k, NULL), VS_EINVAL);
    ck_assert_uint_eq(vs_bank_dimension_item_count(k, 3), n / 10);
    vs_bank_free(k);
    vs_space_free(sp);
}
END_TEST

/* The context is the stem without a trailing "..." / U+2026 and white space (hand-counted). */
START_TEST(test_context_length) {
    static const struct {
        const char *stem;
        size_t want;
    } cases[] = {
        {"I usually...", 9},      {"I usually \xe2\x80\xa6", 9}, {"I usually", 9},    {"I usually ...  ", 9},
        {"I usually....", 9},     {"...", 0},                   {"I.", 2},           {"I..", 3},
        {"Why? ", 4},             {" x ...", 2},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        ck_assert_msg(vs__bank_context_length(cases[i].stem, strlen(cases[i].stem)) == cases[i].want,
                      "context of '%s': %zu, expected %zu", cases[i].stem,
                      vs__bank_context_length(cases[i].stem, strlen(cases[i].stem)), cases[i].want);
}
END_TEST

/* ------------------------------------------------------------------ lifetimes */

START_TEST(test_lifetimes) {
    vs_test_alloc_install();
    /* The builder keeps the space alive; the bank keeps it alive after the builder is gone. */
    vs_space *sp = space("valuelex");
    vs_bank_builder *b = NULL;
    ck_assert_ok(vs_bank_builder_create(&b, "x", sp));
    vs_space_free(sp);
    const char *d[] = {"social"};
    ck_assert_ok(vs_bank_builder_add_item(b, "i", "S...", d, 1, 0, NULL, NULL));
    vs_bank *k = NULL;
    ck_assert_ok(vs_bank_builder_freeze(&k, b));
    vs_bank_builder_free(b);
    ck_assert_str_eq(vs_space_name(vs_bank_space(k)), "valuelex");
    ck_assert_str_eq(vs_space_key(vs_bank_space(k), vs_bank_item_dimension(k, 0, 0)), "social");
    /* A reference taken by another object (a runner) outlives the caller's. */
    vs__bank_retain(k);
    vs_bank_free(k);
    ck_assert_str_eq(vs_bank_item_id(k, 0), "i");
    vs_bank_free(k);

    /* A bank loaded from JSON holds the space it made. */
    vs_bank *v = builtin("valuelex");
    char *text = save(v);
    vs_bank_free(v);
    vs_bank *w = load(text, NULL);
    vs_free(text);
    const vs_space *wsp = vs_bank_space(w);
    ck_assert_uint_eq(vs_space_level_dimension_count(wsp, 0), 6);
    vs_bank_free(w);
    ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    vs_test_alloc_uninstall();
}
END_TEST

/* ------------------------------------------------------------------ JSON */

START_TEST(test_round_trip_builtins) {
    for (size_t w = 0; w < vs_bank_builtin_count(); w++) {
        vs_bank *a = builtin(vs_bank_builtin_name(w));
        char *t1 = save(a);
        vs_bank *b = load(t1, NULL);
        assert_equal_banks(a, b);
        char *t2 = save(b);
        ck_assert_msg(strcmp(t1, t2) == 0, "%s: save -> load -> save is not byte-identical", vs_bank_name(a));
        /* With the space given by the caller. */
        vs_bank *c = load(t1, vs_bank_space(a));
        ck_assert_ptr_eq(vs_bank_space(c), vs_bank_space(a));
        assert_equal_banks(a, c);
        vs_free(t1);
        vs_free(t2);
        vs_bank_free(a);
        vs_bank_free(b);
        vs_bank_free(c);
    }
}
END_TEST

/* Names resolve by folded key, label or alias; {"level","key"} picks a level; defaults apply;
 * saving writes the canonical form. */
START_TEST(test_load_handwritten) {
    const char *json =
        "{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"mine\", \"space\": \"VALUELEX\",\n"
        " \"items\": [\n"
        "  {\"id\": \"a\", \"stem\": \"I try to\xe2\x80\xa6\", \"dimensions\": [\"Self-Competent\", \"user oriented\"]},\n"
        "  {\"id\": \"b\", \"stem\": \"I rarely...\", \"dimensions\": [{\"level\": \"dimension\", \"key\": "
        "\"Integrity\"}],\n"
        "   \"reverse\": true, \"high\": \"cheat.\", \"low\": \"complain.\"},\n"
        "  {\"id\": \"c\", \"stem\": \"Me\", \"dimensions\": [\"ethical\"], \"reverse\": false}\n"
        " ]}";
    vs_bank *b = load(json, NULL);
    const vs_space *sp = vs_bank_space(b);
    ck_assert_uint_eq(vs_bank_item_count(b), 3);
    ck_assert_str_eq(vs_space_key(sp, vs_bank_item_dimension(b, 0, 0)), "self_competent");
    ck_assert_str_eq(vs_space_key(sp, vs_bank_item_dimension(b, 0, 1)), "user_oriented");
    ck_assert_str_eq(vs_space_key(sp, vs_bank_item_dimension(b, 1, 0)), "integrity");
    ck_assert_uint_eq(vs_bank_item_context_length(b, 0), 8);
    ck_assert_uint_eq(vs_bank_item_context_length(b, 2), 2);
    ck_assert_int_eq(vs_bank_item_reverse(b, 1), 1);
    ck_assert_int_eq(vs_bank_item_reverse(b, 2), 0);
    ck_assert_str_eq(vs_bank_space_ref(b), "VALUELEX");
    char *text = save(b);
    const char *want =
        "{\n"
        "  \"schema\": \"valuespace/bank\",\n"
        "  \"version\": 1,\n"
        "  \"name\": \"mine\",\n"
        "  \"description\": \"\",\n"
        "  \"space\": \"VALUELEX\",\n"
        "  \"items\": [\n"
        "    {\n"
        "      \"id\": \"a\",\n"
        "      \"stem\": \"I try to\xe2\x80\xa6\",\n"
        "      \"dimensions\": [\n"
        "        \"self_competent\",\n"
        "        \"user_oriented\"\n"
        "      ],\n"
        "      \"reverse\": false\n"
        "    },\n"
        "    {\n"
        "      \"id\": \"b\",\n"
        "      \"stem\": \"I rarely...\",\n"
        "      \"dimensions\": [\n"
        "        \"integrity\"\n"
        "      ],\n"
        "      \"reverse\": true,\n"
        "      \"high\": \"cheat.\",\n"
        "      \"low\": \"complain.\"\n"
        "    },\n"
        "    {\n"
        "      \"id\": \"c\",\n"
        "      \"stem\": \"Me\",\n"
        "      \"dimensions\": [\n"
        "        \"ethical\"\n"
        "      ],\n"
        "      \"reverse\": false\n"
        "    }\n"
        "  ]\n"
        "}\n";
    ck_assert_str_eq(text, want);
    vs_free(text);
    vs_bank_free(b);
}
END_TEST

/* A key used on two levels (fulcra: "hedonism" is a refined and a type value) is saved as
 * {"level", "key"} when the coarser one is meant, and loads back to the same dimension. */
START_TEST(test_round_trip_ambiguous_key) {
    vs_space *sp = space("fulcra");
    size_t type_level = vs_space_level_find(sp, "type"), refined_level = vs_space_level_find(sp, "refined");
    ck_assert_uint_ne(type_level, VS_NPOS);
    size_t dims[2];
    ck_assert_ok(vs_space_find(&dims[0], sp, type_level, "hedonism"));
    ck_assert_ok(vs_space_find(&dims[1], sp, refined_level, "hedonism"));
    ck_assert_uint_ne(dims[0], dims[1]);
    vs_bank_builder *b = NULL;
    ck_assert_ok(vs_bank_builder_create(&b, "amb", sp));
    ck_assert_ok(vs_bank_builder_add_item_indexed(b, "h", "Fun is...", dims, 2, 0, "great.", "overrated."));
    vs_bank *k = NULL;
    ck_assert_ok(vs_bank_builder_freeze(&k, b));
    vs_bank_builder_free(b);
    char *t1 = save(k);
    ck_assert_ptr_nonnull(strstr(t1, "{\n          \"level\": \"type\",\n          \"key\": \"hedonism\"\n        },\n"
                                     "        \"hedonism\"\n"));
    vs_bank *k2 = load(t1, NULL);
    assert_equal_banks(k, k2);
    char *t2 = save(k2);
    ck_assert_str_eq(t1, t2);
    vs_free(t1);
    vs_free(t2);
    vs_bank_free(k);
    vs_bank_free(k2);
    vs_space_free(sp);
}
END_TEST

/* Bad documents: exact status and the line:column of the offending value. In each document
 * '@' marks where the offending value (or key) starts; it is removed before loading. */
START_TEST(test_load_errors) {
#define HEAD "{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": \"valuelex\",\n \"items\": [\n"
#define OK_ITEM "  {\"id\": \"ok\", \"stem\": \"S...\", \"dimensions\": [\"social\"]},\n"
    static const struct {
        const char *doc;
        int status;
    } cases[] = {
        {"@{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": \"valuelex\"}", VS_EPARSE},
        {"{\"schema\": @\"valuespace/space\", \"version\": 1}", VS_EPARSE},
        {"{\"schema\": \"valuespace/bank\", \"version\": @2, \"name\": \"n\"}", VS_EVERSION},
        {"{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": \"valuelex\",\n @\"extra\": 1, "
         "\"items\": []}",
         VS_EPARSE},
        {"{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": \"valuelex\", \"items\": @[]}",
         VS_EINVAL},
        {"{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": @\"\", \"space\": \"valuelex\", \"items\": "
         "[{\"id\": \"a\", \"stem\": \"s\", \"dimensions\": [\"social\"]}]}",
         VS_EINVAL},
        {"{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": @\"nospace\", \"items\": "
         "[{\"id\": \"a\", \"stem\": \"s\", \"dimensions\": [\"social\"]}]}",
         VS_ENOTFOUND},
        {"{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": @\"/nonexistent/s.json\", "
         "\"items\": [{\"id\": \"a\", \"stem\": \"s\", \"dimensions\": [\"social\"]}]}",
         VS_ENOTFOUND},
        {"{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": @7, \"items\": []}",
         VS_EPARSE},
        {HEAD OK_ITEM "  @5\n ]}", VS_EPARSE},
        {HEAD OK_ITEM "  @{\"stem\": \"S...\", \"dimensions\": [\"social\"]}\n ]}", VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": @3, \"stem\": \"S...\", \"dimensions\": [\"social\"]}\n ]}", VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": @\"ok\", \"stem\": \"T...\", \"dimensions\": [\"social\"]}\n ]}", VS_EDUPLICATE},
        {HEAD OK_ITEM "  {\"id\": @\"a b\", \"stem\": \"T...\", \"dimensions\": [\"social\"]}\n ]}", VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": @\"\", \"dimensions\": [\"social\"]}\n ]}", VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": @\"  \", \"dimensions\": [\"social\"]}\n ]}", VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": @\"a\\u0000b\", \"dimensions\": [\"social\"]}\n ]}", VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\", @\"sozial\"]}\n ]}",
         VS_ENOTFOUND},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\", @\"Social\"]}\n ]}",
         VS_EDUPLICATE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": @[]}\n ]}", VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": @\"social\"}\n ]}", VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [@1]}\n ]}", VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [{\"level\": @\"tier\", \"key\": "
                      "\"social\"}]}\n ]}",
         VS_ENOTFOUND},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [{\"level\": \"dimension\", \"key\": "
                      "@\"social\"}]}\n ]}",
         VS_ENOTFOUND},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [@{\"key\": \"social\"}]}\n ]}",
         VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [{\"key\": \"social\", @\"lvl\": 1}]}\n ]}",
         VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"], \"reverse\": @1}\n ]}",
         VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"], \"high\": @\"a.\"}\n ]}",
         VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"], \"low\": @\"a.\"}\n ]}",
         VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"], \"high\": \"a.\", "
                      "\"low\": @\"a.\"}\n ]}",
         VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"], \"high\": @\"\", "
                      "\"low\": \"a.\"}\n ]}",
         VS_EINVAL},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"], @\"weight\": 2}\n ]}",
         VS_EPARSE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"], @\"id\": \"y\"}\n ]}",
         VS_EDUPLICATE},
        {HEAD OK_ITEM "  {\"id\": \"x\", \"stem\": \"T...\", \"dimensions\": [\"social\"]},\n @]}", VS_EPARSE},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        const char *doc = cases[i].doc;
        const char *mark = strchr(doc, '@');
        ck_assert_ptr_nonnull(mark);
        unsigned line = 1, col = 1;
        for (const char *p = doc; p < mark; p++) {
            if (*p == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        size_t len = strlen(doc);
        char *text = malloc(len);
        memcpy(text, doc, (size_t)(mark - doc));
        memcpy(text + (mark - doc), mark + 1, len - (size_t)(mark - doc)); /* with the NUL */
        vs_bank *b = (vs_bank *)1;
        int rc = vs_bank_load_json(&b, text, strlen(text), "bad.json", NULL);
        ck_assert_msg(rc == cases[i].status, "case %zu: %s, expected %s: %s", i, vs_status_name(rc),
                      vs_status_name(cases[i].status), vs_last_error());
        ck_assert_ptr_null(b);
        char where[64];
        snprintf(where, sizeof where, "bad.json:%u:%u:", line, col);
        ck_assert_msg(strncmp(vs_last_error(), where, strlen(where)) == 0, "case %zu: message '%s' does not start with %s",
                      i, vs_last_error(), where);
        free(text);
    }
#undef HEAD
#undef OK_ITEM
}
END_TEST

/* The space given to the loader must be the one the bank names (unless it names a file). */
START_TEST(test_load_space_argument) {
    const char *json = "{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": \"valuelex\",\n"
                       " \"items\": [{\"id\": \"a\", \"stem\": \"s\", \"dimensions\": [\"self_direction\"]}]}";
    vs_space *s10 = space("schwartz10");
    vs_bank *b = (vs_bank *)1;
    ck_assert_status(vs_bank_load_json(&b, json, strlen(json), NULL, s10), VS_EMISMATCH);
    ck_assert_ptr_null(b);
    ck_assert_msg(strncmp(vs_last_error(), "<json>:1:67:", 12) == 0, "%s", vs_last_error());
    /* A file reference is not compared: the caller's space is used. */
    const char *by_file = "{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"n\", \"space\": \"s10.json\",\n"
                          " \"items\": [{\"id\": \"a\", \"stem\": \"s\", \"dimensions\": [\"self_direction\"]}]}";
    ck_assert_ok(vs_bank_load_json(&b, by_file, strlen(by_file), NULL, s10));
    ck_assert_ptr_eq(vs_bank_space(b), s10);
    ck_assert_str_eq(vs_bank_space_ref(b), "s10.json");
    vs_bank_free(b);
    ck_assert_status(vs_bank_load_json(NULL, json, strlen(json), NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_load_json(&b, NULL, 0, NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_bank_load_json(&b, "{", 1, NULL, NULL), VS_EPARSE);
    ck_assert_status(vs_bank_load_json(&b, "\"\xff\"", 3, NULL, NULL), VS_EUTF8);
    ck_assert_status(vs_bank_load_file(&b, "/nonexistent/bank.json", NULL), VS_ENOTFOUND);
    ck_assert_status(vs_bank_load_file(&b, NULL, NULL), VS_EINVAL);
    char *out = (char *)1;
    ck_assert_status(vs_bank_save_json(&out, NULL), VS_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_status(vs_bank_save_file(NULL, "/tmp/x.json"), VS_EINVAL);
    vs_space_free(s10);
}
END_TEST

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* A bank file naming a space file relative to its own folder, loaded from another directory. */
START_TEST(test_space_file_reference) {
    char dir[] = "/tmp/vs_bank_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char sub[64], space_path[96], bank_path[96], copy_path[96];
    snprintf(sub, sizeof sub, "%s/spaces", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(space_path, sizeof space_path, "%s/moral.json", sub);
    snprintf(bank_path, sizeof bank_path, "%s/bank.json", dir);
    snprintf(copy_path, sizeof copy_path, "%s/copy.json", dir);
    vs_space *mft = space("mft5");
    ck_assert_ok(vs_space_save_file(mft, space_path));
    vs_space_free(mft);
    const char *json = "{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"moral\",\n"
                       " \"space\": \"spaces/moral.json\",\n"
                       " \"items\": [{\"id\": \"m1\", \"stem\": \"When someone is hurt, I...\",\n"
                       "   \"dimensions\": [\"Harm/care\", \"binding\"], \"high\": \"help.\", \"low\": \"leave.\"}]}";
    write_text(bank_path, json);

    vs_bank *b = NULL;
    ck_assert_ok(vs_bank_load_file(&b, bank_path, NULL));
    const vs_space *sp = vs_bank_space(b);
    ck_assert_str_eq(vs_space_name(sp), "mft5");
    ck_assert_str_eq(vs_space_key(sp, vs_bank_item_dimension(b, 0, 0)), "care");
    ck_assert_str_eq(vs_space_key(sp, vs_bank_item_dimension(b, 0, 1)), "binding");
    ck_assert_str_eq(vs_bank_space_ref(b), "spaces/moral.json");
    ck_assert_ok(vs_bank_save_file(b, copy_path));
    char *t1 = save(b);
    ck_assert_str_eq(read_text(copy_path), t1);
    vs_bank *c = NULL;
    ck_assert_ok(vs_bank_load_file(&c, copy_path, NULL));
    assert_equal_banks(b, c);
    vs_bank_free(c);
    /* From text, the reference is relative to the working directory, where it does not exist. */
    c = (vs_bank *)1;
    ck_assert_status(vs_bank_load_json(&c, t1, strlen(t1), "copy.json", NULL), VS_ENOTFOUND);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(vs_last_error(), "copy.json:6:12:") == vs_last_error(), "%s", vs_last_error());
    /* A broken space file is reported at the "space" value, with the space file's own location. */
    write_text(space_path, "{\"schema\": \"valuespace/space\", \"version\": 1,\n \"name\": 3, \"levels\": [], \"dimensions\": []}");
    c = (vs_bank *)1;
    ck_assert_status(vs_bank_load_file(&c, bank_path, NULL), VS_EPARSE);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "bank.json:2:11:"));
    ck_assert_msg(strstr(vs_last_error(), "moral.json:2:10:"), "%s", vs_last_error());
    vs_free(t1);
    vs_bank_free(b);
    ck_assert_int_eq(unlink(space_path), 0);
    ck_assert_int_eq(unlink(bank_path), 0);
    ck_assert_int_eq(unlink(copy_path), 0);
    ck_assert_int_eq(rmdir(sub), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ------------------------------------------------------------------ allocation failures */

/* A sweep's state: the bank made (NULL after a failure), and what it is made from. */
typedef struct bank_flow {
    vs_bank *b;
    size_t min_items; /* the clean run's bank has at least this many items */
    const char *name, *text;
    vs_bank *source;
    char *saved;
} bank_flow;

static int run_builtin(void *arg) {
    bank_flow *f = arg;
    f->b = (vs_bank *)1;
    return vs_bank_builtin(&f->b, f->name);
}

static int run_load_json(void *arg) {
    bank_flow *f = arg;
    f->b = (vs_bank *)1;
    return vs_bank_load_json(&f->b, f->text, strlen(f->text), "bank.json", NULL);
}

static void after_bank(void *arg, int failed) {
    bank_flow *f = arg;
    if (failed) {
        ck_assert_ptr_null(f->b);
        return;
    }
    ck_assert_uint_ge(vs_bank_item_count(f->b), f->min_items);
    vs_bank_free(f->b);
}

START_TEST(test_alloc_failures_builtin) {
    for (size_t w = 0; w < vs_bank_builtin_count(); w++) {
        bank_flow f = {.name = vs_bank_builtin_name(w), .min_items = 100};
        vs_test_sweep sw = {f.name, NULL, run_builtin, after_bank, &f};
        vs_test_alloc_sweep(&sw);
    }
}
END_TEST

START_TEST(test_alloc_failures_load) {
    /* The whole schwartz10 bank (about 2000 allocations per load); a small bank under valgrind. */
    char *text;
    if (vs_test_under_valgrind()) {
        const char *small = "{\"schema\": \"valuespace/bank\", \"version\": 1, \"name\": \"s\", \"space\": \"valuelex\","
                            " \"items\": [{\"id\": \"a\", \"stem\": \"I...\", \"dimensions\": [\"social\", "
                            "{\"level\": \"dimension\", \"key\": \"character\"}], \"reverse\": true,"
                            " \"high\": \"x.\", \"low\": \"y.\"}, {\"id\": \"b\", \"stem\": \"J...\","
                            " \"dimensions\": [\"ethical\"]}]}";
        text = strdup(small);
    } else {
        vs_bank *b = builtin("schwartz10");
        char *t = save(b);
        text = strdup(t);
        vs_free(t);
        vs_bank_free(b);
    }
    bank_flow f = {.text = text, .min_items = 1}; /* a small bank under valgrind */
    vs_test_sweep sw = {"vs_bank_load_json", NULL, run_load_json, after_bank, &f};
    vs_test_alloc_sweep(&sw);
    free(text);
}
END_TEST

static void setup_save(void *arg) { ((bank_flow *)arg)->source = builtin("valuelex"); }

static int run_save(void *arg) {
    bank_flow *f = arg;
    f->saved = (char *)1;
    return vs_bank_save_json(&f->saved, f->source);
}

static void after_save(void *arg, int failed) {
    bank_flow *f = arg;
    vs_bank_free(f->source);
    if (failed) {
        ck_assert_ptr_null(f->saved);
        return;
    }
    ck_assert_ptr_nonnull(f->saved);
    vs_free(f->saved);
}

START_TEST(test_alloc_failures_save) {
    bank_flow f = {0};
    vs_test_sweep sw = {"vs_bank_save_json", setup_save, run_save, after_save, &f};
    vs_test_alloc_sweep(&sw);
}
END_TEST

/* Builder calls that fail for want of memory leave the builder as it was. */
START_TEST(test_alloc_failures_builder_unchanged) {
    vs_test_alloc_install();
    vs_space *sp = space("valuelex");
    vs_bank_builder *b = NULL;
    ck_assert_ok(vs_bank_builder_create(&b, "x", sp));
    vs_space_free(sp);
    const char *d[] = {"social"};
    char id[32];
    size_t added = 0;
    for (long n = 1; n < 400; n++) {
        snprintf(id, sizeof id, "i%zu", added);
        vs_test_alloc_fail_at(1); /* the next allocation fails, whenever the builder grows */
        int rc = vs_bank_builder_add_item(b, id, "A stem that takes some room in the text buffer...", d, 1, 0,
                                          "first continuation.", "second continuation.");
        int failed = vs_test_alloc_failed();
        vs_test_alloc_fail_at(0);
        if (failed) {
            ck_assert_status(rc, VS_ENOMEM);
        } else {
            ck_assert_ok(rc);
            added++;
        }
        if (failed) { /* now it goes through */
            ck_assert_ok(vs_bank_builder_add_item(b, id, "A stem that takes some room in the text buffer...", d, 1, 0,
                                                  "first continuation.", "second continuation."));
            added++;
        }
    }
    vs_bank *k = NULL;
    ck_assert_ok(vs_bank_builder_freeze(&k, b));
    ck_assert_uint_eq(vs_bank_item_count(k), added);
    for (size_t i = 0; i < added; i++) {
        snprintf(id, sizeof id, "i%zu", i);
        ck_assert_str_eq(vs_bank_item_id(k, i), id);
        ck_assert_str_eq(vs_bank_item_low(k, i), "second continuation.");
    }
    vs_bank_free(k);
    vs_bank_builder_free(b);
    ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    vs_test_alloc_uninstall();
}
END_TEST

static Suite *bank_suite(void) {
    Suite *s = suite_create("bank");
    TCase *tc = tcase_create("builtin");
    tcase_add_test(tc, test_builtin_counts);
    tcase_add_test(tc, test_builtin_ids);
    tcase_add_test(tc, test_builtin_dimensions_resolve);
    tcase_add_test(tc, test_builtin_texts);
    tcase_add_test(tc, test_builtin_lookup);
    suite_add_tcase(s, tc);
    tc = tcase_create("builder");
    tcase_add_test(tc, test_builder_rules);
    tcase_add_test(tc, test_builder_many_items);
    tcase_add_test(tc, test_context_length);
    tcase_add_test(tc, test_lifetimes);
    suite_add_tcase(s, tc);
    tc = tcase_create("json");
    tcase_add_test(tc, test_round_trip_builtins);
    tcase_add_test(tc, test_load_handwritten);
    tcase_add_test(tc, test_round_trip_ambiguous_key);
    tcase_add_test(tc, test_load_errors);
    tcase_add_test(tc, test_load_space_argument);
    tcase_add_test(tc, test_space_file_reference);
    suite_add_tcase(s, tc);
    tc = tcase_create("alloc");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_alloc_failures_builtin);
    tcase_add_test(tc, test_alloc_failures_load);
    tcase_add_test(tc, test_alloc_failures_save);
    tcase_add_test(tc, test_alloc_failures_builder_unchanged);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(bank_suite()); }
