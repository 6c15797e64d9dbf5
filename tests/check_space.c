/* Tests of the space module: the builder, the frozen space, lookups and the built-in spaces.
 * Facts about the built-ins come from docs/METHODS.md §1.2, §2 and §3 (and the FULCRA data
 * file for the item names), not from the library's own output. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "space/space_internal.h"
#include "space/space_ref.h"
#include "testutil.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ helpers */

static vs_space *builtin(const char *name) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builtin(&s, name));
    ck_assert_ptr_nonnull(s);
    return s;
}

static size_t find(const vs_space *s, size_t level, const char *name) {
    size_t i = 12345;
    int rc = vs_space_find(&i, s, level, name);
    ck_assert_msg(rc == VS_OK, "'%s' not found: %s", name, vs_last_error());
    return i;
}

static size_t level_of(const vs_space *s, const char *name) {
    size_t l = vs_space_level_find(s, name);
    ck_assert_msg(l != VS_NPOS, "no level '%s'", name);
    return l;
}

/* Key of the parent of (level `from`, key) at level `to`, or NULL. */
static const char *parent_key(const vs_space *s, const char *from, const char *key, const char *to) {
    size_t d = find(s, level_of(s, from), key);
    size_t p = vs_space_parent(s, d, level_of(s, to));
    return p == VS_NPOS ? NULL : vs_space_key(s, p);
}

static void assert_parent(const vs_space *s, const char *from, const char *key, const char *to, const char *expect) {
    const char *got = parent_key(s, from, key, to);
    if (!expect)
        ck_assert_msg(got == NULL, "%s '%s' should have no parent at %s, has '%s'", from, key, to, got);
    else
        ck_assert_msg(got && strcmp(got, expect) == 0, "%s '%s' at %s: expected '%s', got '%s'", from, key, to,
                      expect, got ? got : "(none)");
}

static void assert_keys(const vs_space *s, size_t level, const char *const *keys, size_t n) {
    ck_assert_uint_eq(vs_space_level_dimension_count(s, level), n);
    size_t off = vs_space_level_offset(s, level);
    for (size_t i = 0; i < n; i++) ck_assert_str_eq(vs_space_key(s, off + i), keys[i]);
}

static int is_lower_snake(const char *k) {
    if (!*k || *k == '_') return 0;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_')) return 0;
    return 1;
}

/* A small builder: levels item -> type -> group with a few dimensions. */
static vs_space_builder *small_builder(void) {
    vs_space_builder *b = NULL;
    ck_assert_ok(vs_space_builder_create(&b, "small"));
    ck_assert_ok(vs_space_builder_add_level(b, "item"));
    ck_assert_ok(vs_space_builder_add_level(b, "type"));
    ck_assert_ok(vs_space_builder_add_level(b, "group"));
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "a", "Alpha"));
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "b", NULL));
    ck_assert_ok(vs_space_builder_add_dimension(b, "type", "t1", "Type one"));
    ck_assert_ok(vs_space_builder_add_dimension(b, "type", "t2", "Type two"));
    ck_assert_ok(vs_space_builder_add_dimension(b, "group", "g1", "Group one"));
    ck_assert_ok(vs_space_builder_add_dimension(b, "group", "g2", "Group two"));
    return b;
}

static vs_space *freeze(const vs_space_builder *b) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builder_freeze(&s, b));
    return s;
}

/* The builder still holds exactly its earlier content: small_builder()'s six dimensions. */
static void assert_small_intact(const vs_space_builder *b) {
    vs_space *s = freeze(b);
    ck_assert_uint_eq(vs_space_level_count(s), 3);
    ck_assert_uint_eq(vs_space_dimension_count(s), 6);
    ck_assert_str_eq(vs_space_label(s, find(s, 0, "a")), "Alpha");
    ck_assert_str_eq(vs_space_label(s, find(s, 0, "b")), "b");
    vs_space_free(s);
}

/* ------------------------------------------------------------------ builder */

START_TEST(test_builder_basic) {
    vs_space_builder *b = small_builder();
    ck_assert_ok(vs_space_builder_set_description(b, "A small test space"));
    ck_assert_ok(vs_space_builder_set_dimension_description(b, "item", "a", "The first item."));
    ck_assert_ok(vs_space_builder_add_alias(b, "item", "a", "First"));
    ck_assert_ok(vs_space_builder_add_alias(b, "item", "a", "Erste"));
    ck_assert_ok(vs_space_builder_set_angle(b, "type", "t2", 90));
    ck_assert_ok(vs_space_builder_set_parent(b, "item", "a", "type", "t1"));
    ck_assert_ok(vs_space_builder_set_parent(b, "type", "t1", "group", "g2"));
    vs_space *s = freeze(b);
    vs_space_builder_free(b); /* the space stays valid */

    ck_assert_str_eq(vs_space_name(s), "small");
    ck_assert_str_eq(vs_space_description(s), "A small test space");
    ck_assert_uint_eq(vs_space_level_count(s), 3);
    ck_assert_str_eq(vs_space_level_name(s, 0), "item");
    ck_assert_str_eq(vs_space_level_name(s, 2), "group");
    ck_assert_ptr_null(vs_space_level_name(s, 3));
    ck_assert_uint_eq(vs_space_dimension_count(s), 6);
    /* Global index = level offset + position. */
    ck_assert_uint_eq(vs_space_level_offset(s, 0), 0);
    ck_assert_uint_eq(vs_space_level_offset(s, 1), 2);
    ck_assert_uint_eq(vs_space_level_offset(s, 2), 4);
    ck_assert_uint_eq(vs_space_level_offset(s, 3), VS_NPOS);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 1), 2);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 3), 0);
    ck_assert_str_eq(vs_space_key(s, 0), "a");
    ck_assert_str_eq(vs_space_key(s, 3), "t2");
    ck_assert_str_eq(vs_space_key(s, 5), "g2");
    ck_assert_ptr_null(vs_space_key(s, 6));
    ck_assert_uint_eq(vs_space_dimension_level(s, 3), 1);
    ck_assert_uint_eq(vs_space_dimension_level(s, 6), VS_NPOS);
    ck_assert_str_eq(vs_space_label(s, 1), "b"); /* NULL label = key */
    ck_assert_str_eq(vs_space_dimension_description(s, 0), "The first item.");
    ck_assert_str_eq(vs_space_dimension_description(s, 1), "");
    ck_assert_ptr_null(vs_space_dimension_description(s, 6));
    ck_assert_uint_eq(vs_space_alias_count(s, 0), 2);
    ck_assert_str_eq(vs_space_alias(s, 0, 0), "First");
    ck_assert_str_eq(vs_space_alias(s, 0, 1), "Erste");
    ck_assert_ptr_null(vs_space_alias(s, 0, 2));
    ck_assert_uint_eq(vs_space_alias_count(s, 1), 0);
    ck_assert(isnan(vs_space_angle(s, 0)));
    ck_assert(vs_space_angle(s, 3) == 90.0);
    ck_assert(isnan(vs_space_angle(s, 99)));
    /* Parents: explicit at type, inherited at group through t1. */
    ck_assert_uint_eq(vs_space_parent(s, 0, 1), 2);
    ck_assert_uint_eq(vs_space_parent(s, 0, 2), 5);
    ck_assert_uint_eq(vs_space_parent(s, 0, 0), VS_NPOS);
    ck_assert_uint_eq(vs_space_parent(s, 1, 1), VS_NPOS);
    ck_assert_uint_eq(vs_space_parent(s, 1, 2), VS_NPOS);
    ck_assert_uint_eq(vs_space_parent(s, 3, 2), VS_NPOS);
    ck_assert_uint_eq(vs_space_parent(s, 2, 1), VS_NPOS); /* own level */
    ck_assert_uint_eq(vs_space_parent(s, 0, 3), VS_NPOS);
    ck_assert_uint_eq(vs_space_parent(s, 6, 2), VS_NPOS);
    /* Lookup by key, label, alias; level restricted or not. */
    ck_assert_uint_eq(find(s, 0, "ALPHA"), 0);
    ck_assert_uint_eq(find(s, VS_NPOS, "first"), 0);
    ck_assert_uint_eq(find(s, VS_NPOS, "erste"), 0);
    ck_assert_uint_eq(find(s, VS_NPOS, "type-two"), 3);
    ck_assert_uint_eq(find(s, 1, "T2"), 3);
    size_t idx = 7;
    ck_assert_status(vs_space_find(&idx, s, 0, "t2"), VS_ENOTFOUND);
    ck_assert_uint_eq(idx, VS_NPOS);
    ck_assert_msg(strstr(vs_last_error(), "t2") && strstr(vs_last_error(), "item"), "%s", vs_last_error());
    vs_space_free(s);
}
END_TEST

START_TEST(test_builder_null_and_free) {
    vs_space_builder *b = (vs_space_builder *)1;
    ck_assert_status(vs_space_builder_create(&b, NULL), VS_EINVAL);
    ck_assert_ptr_null(b);
    ck_assert_status(vs_space_builder_create(&b, ""), VS_EINVAL);
    ck_assert_ptr_null(b);
    ck_assert_status(vs_space_builder_create(&b, "bad\xff"), VS_EUTF8);
    ck_assert_ptr_null(b);
    ck_assert_status(vs_space_builder_create(NULL, "x"), VS_EINVAL);
    char *big = malloc(VS_SPACE_MAX_TEXT_BYTES + 2);
    memset(big, 'n', VS_SPACE_MAX_TEXT_BYTES + 1);
    big[VS_SPACE_MAX_TEXT_BYTES + 1] = '\0';
    ck_assert_status(vs_space_builder_create(&b, big), VS_ELIMIT);
    big[VS_SPACE_MAX_TEXT_BYTES] = '\0';
    ck_assert_ok(vs_space_builder_create(&b, big)); /* exactly the limit */
    vs_space_builder_free(b);
    free(big);

    vs_space_builder_free(NULL);
    vs_space_free(NULL);
    ck_assert_status(vs_space_builder_add_level(NULL, "x"), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_dimension(NULL, "x", "k", NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_description(NULL, "x"), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_alias(NULL, "x", "k", "a"), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_angle(NULL, "x", "k", 1), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_parent(NULL, "x", "k", "y", "p"), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_dimension_description(NULL, "x", "k", "d"), VS_EINVAL);
    vs_space *s = (vs_space *)1;
    ck_assert_status(vs_space_builder_freeze(&s, NULL), VS_EINVAL);
    ck_assert_ptr_null(s);

    b = small_builder();
    ck_assert_status(vs_space_builder_set_description(b, NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_description(b, "\xc3("), VS_EUTF8);
    ck_assert_status(vs_space_builder_add_dimension(b, NULL, "k", NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_dimension(b, "item", NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "k", ""), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "k", "\xe2\x80"), VS_EUTF8);
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "k", "\xe2\x80\x94"), VS_EINVAL); /* folds to "" */
    ck_assert_status(vs_space_builder_add_alias(b, "item", "a", NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_alias(b, "item", "a", ""), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_alias(b, "item", "a", " - _ "), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_alias(b, "item", "a", "\xc0\xaf"), VS_EUTF8); /* overlong '/' */
    ck_assert_status(vs_space_builder_add_alias(b, "item", NULL, "x"), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_dimension_description(b, "item", "a", NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_dimension_description(b, "item", "zz", "d"), VS_ENOTFOUND);
    ck_assert_msg(strstr(vs_last_error(), "vs_space_builder_set_dimension_description") &&
                      strstr(vs_last_error(), "'zz'"),
                  "%s", vs_last_error());
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", "type", NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", NULL, "t1"), VS_EINVAL);
    assert_small_intact(b);
    vs_space_builder_free(b);
}
END_TEST

START_TEST(test_key_rules) {
    vs_space_builder *b = small_builder();
    static const char *const bad_keys[] = {"", "a b", "a/b", "caf\xc3\xa9", "__", "-", "_-_", "a\tb", "x!"};
    for (size_t i = 0; i < COUNT(bad_keys); i++) {
        ck_assert_status(vs_space_builder_add_dimension(b, "item", bad_keys[i], "Some label"), VS_EINVAL);
        ck_assert_msg(strstr(vs_last_error(), "vs_space_builder_add_dimension: key"), "%s", vs_last_error());
    }
    char key[VS_SPACE_MAX_KEY_BYTES + 2];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    ck_assert_status(vs_space_builder_add_dimension(b, "item", key, NULL), VS_ELIMIT);
    assert_small_intact(b);
    key[VS_SPACE_MAX_KEY_BYTES] = '\0';
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", key, NULL));
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "Ok.key-1_x", NULL));
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "_x", NULL));
    /* Level names follow the key rules. */
    ck_assert_status(vs_space_builder_add_level(b, ""), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_level(b, "two words"), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_level(b, NULL), VS_EINVAL);
    ck_assert_status(vs_space_builder_add_level(b, key), VS_OK);
    key[VS_SPACE_MAX_KEY_BYTES] = 'k';
    ck_assert_status(vs_space_builder_add_level(b, key), VS_ELIMIT);
    vs_space *s = freeze(b);
    ck_assert_uint_eq(vs_space_level_count(s), 4);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 0), 5);
    vs_space_free(s);
    vs_space_builder_free(b);
}
END_TEST

START_TEST(test_duplicates_leave_builder_intact) {
    vs_space_builder *b = small_builder();
    ck_assert_ok(vs_space_builder_add_alias(b, "item", "a", "Primary"));
    /* Key used twice; keys that fold to the same name. */
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "a", "Other"), VS_EDUPLICATE);
    ck_assert_msg(strstr(vs_last_error(), "vs_space_builder_add_dimension") && strstr(vs_last_error(), "'a'"), "%s",
                  vs_last_error());
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "A", "Other"), VS_EDUPLICATE);
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "ALPHA", "Other"), VS_EDUPLICATE); /* a's label */
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "primary", "Other"), VS_EDUPLICATE); /* a's alias */
    /* Labels and aliases that fold to an existing name of another dimension. */
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "c", "  alpha "), VS_EDUPLICATE);
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "c", "B"), VS_EDUPLICATE);
    ck_assert_status(vs_space_builder_add_alias(b, "item", "b", "\xef\xbc\xa1lpha"), VS_EDUPLICATE); /* fullwidth A */
    ck_assert_status(vs_space_builder_add_alias(b, "item", "b", "PRIMARY"), VS_EDUPLICATE);
    /* An alias that already names the dimension itself is a duplicate too. */
    ck_assert_status(vs_space_builder_add_alias(b, "item", "a", "alpha"), VS_EDUPLICATE);
    ck_assert_msg(strstr(vs_last_error(), "itself"), "%s", vs_last_error());
    /* The same names on another level are fine. */
    ck_assert_ok(vs_space_builder_add_dimension(b, "type", "a", "Alpha"));
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "c", "Gamma"));

    vs_space *s = freeze(b);
    ck_assert_uint_eq(vs_space_dimension_count(s), 8);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 0), 3);
    ck_assert_uint_eq(vs_space_alias_count(s, find(s, 0, "a")), 1);
    ck_assert_uint_eq(vs_space_alias_count(s, find(s, 0, "b")), 0);
    ck_assert_str_eq(vs_space_label(s, find(s, 0, "c")), "Gamma");
    ck_assert_uint_eq(find(s, 0, "primary"), find(s, 0, "a"));
    ck_assert_uint_eq(find(s, VS_NPOS, "alpha"), 0);           /* finest level first */
    ck_assert_uint_eq(find(s, 1, "alpha"), 5); /* type 'a': offset 3 (a, b, c) + position 2 (t1, t2, a) */
    size_t i;
    ck_assert_status(vs_space_find(&i, s, VS_NPOS, "Other"), VS_ENOTFOUND);
    vs_space_free(s);
    vs_space_builder_free(b);
}
END_TEST

START_TEST(test_levels) {
    vs_space_builder *b = NULL;
    ck_assert_ok(vs_space_builder_create(&b, "levels"));
    vs_space *s = (vs_space *)1;
    ck_assert_status(vs_space_builder_freeze(&s, b), VS_EINVAL); /* no level */
    ck_assert_ptr_null(s);
    ck_assert_ok(vs_space_builder_add_level(b, "Item"));
    ck_assert_status(vs_space_builder_freeze(&s, b), VS_EINVAL); /* empty level 0 */
    ck_assert_msg(strstr(vs_last_error(), "Item"), "%s", vs_last_error());
    ck_assert_status(vs_space_builder_add_level(b, "item"), VS_EDUPLICATE);
    ck_assert_status(vs_space_builder_add_level(b, "ITEM"), VS_EDUPLICATE);
    ck_assert_status(vs_space_builder_add_dimension(b, "nope", "x", NULL), VS_ENOTFOUND);
    ck_assert_msg(strstr(vs_last_error(), "'nope'"), "%s", vs_last_error());
    /* Builder calls match level names exactly or folded. */
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "x", NULL));
    char name[16];
    for (int l = 1; l < VS_SPACE_MAX_LEVELS; l++) {
        snprintf(name, sizeof name, "level_%d", l);
        ck_assert_ok(vs_space_builder_add_level(b, name));
    }
    ck_assert_status(vs_space_builder_add_level(b, "one_too_many"), VS_ELIMIT);
    s = freeze(b); /* empty higher levels are allowed */
    ck_assert_uint_eq(vs_space_level_count(s), VS_SPACE_MAX_LEVELS);
    ck_assert_uint_eq(vs_space_level_find(s, "Item"), 0);
    ck_assert_uint_eq(vs_space_level_find(s, "item"), 0);
    ck_assert_uint_eq(vs_space_level_find(s, " ITEM "), 0);
    ck_assert_uint_eq(vs_space_level_find(s, "Level-3"), 3);
    ck_assert_uint_eq(vs_space_level_find(s, "level 15"), 15);
    ck_assert_uint_eq(vs_space_level_find(s, "level_16"), VS_NPOS);
    ck_assert_uint_eq(vs_space_level_find(s, NULL), VS_NPOS);
    ck_assert_uint_eq(vs_space_level_find(NULL, "item"), VS_NPOS);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 5), 0);
    ck_assert_uint_eq(vs_space_level_offset(s, 5), 1);
    vs_space_free(s);
    vs_space_builder_free(b);
}
END_TEST

START_TEST(test_parent_rules) {
    vs_space_builder *b = small_builder();
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", "item", "b"), VS_ECYCLE);
    ck_assert_msg(strstr(vs_last_error(), "vs_space_builder_set_parent"), "%s", vs_last_error());
    ck_assert_status(vs_space_builder_set_parent(b, "type", "t1", "item", "a"), VS_ECYCLE);
    ck_assert_status(vs_space_builder_set_parent(b, "group", "g1", "group", "g2"), VS_ECYCLE);
    ck_assert_status(vs_space_builder_set_parent(b, "item", "zz", "type", "t1"), VS_ENOTFOUND);
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", "nolevel", "t1"), VS_ENOTFOUND);
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", "type", "t9"), VS_ENOTFOUND);
    ck_assert_msg(strstr(vs_last_error(), "'t9'"), "%s", vs_last_error());
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", "type", "Type one"), VS_ENOTFOUND); /* keys only */
    ck_assert_ok(vs_space_builder_set_parent(b, "item", "a", "type", "t1"));
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", "type", "t2"), VS_EDUPLICATE);
    ck_assert_status(vs_space_builder_set_parent(b, "item", "a", "type", "t1"), VS_EDUPLICATE);
    vs_space *s = freeze(b);
    ck_assert_str_eq(parent_key(s, "item", "a", "type"), "t1");
    ck_assert_ptr_null(parent_key(s, "item", "a", "group"));
    vs_space_free(s);
    vs_space_builder_free(b);
}
END_TEST

/* Inheritance: explicit parents win; otherwise the parent of the nearest explicit parent
 * below the level (recursively). Four levels l0 -> l1 -> l2 -> l3. */
START_TEST(test_parent_inheritance) {
    vs_space_builder *b = NULL;
    ck_assert_ok(vs_space_builder_create(&b, "chain"));
    const char *levels[] = {"l0", "l1", "l2", "l3"};
    for (int l = 0; l < 4; l++) ck_assert_ok(vs_space_builder_add_level(b, levels[l]));
    const char *dims[][2] = {{"l0", "x"}, {"l0", "y"}, {"l0", "z"}, {"l0", "w"}, {"l1", "p"}, {"l1", "q"},
                             {"l2", "r"}, {"l2", "s"}, {"l3", "u"}, {"l3", "v"}};
    for (size_t i = 0; i < COUNT(dims); i++) ck_assert_ok(vs_space_builder_add_dimension(b, dims[i][0], dims[i][1], NULL));
    /* Parents are set before and after their own parents: order must not matter. */
    ck_assert_ok(vs_space_builder_set_parent(b, "l0", "x", "l1", "p"));
    ck_assert_ok(vs_space_builder_set_parent(b, "l1", "p", "l2", "r"));
    ck_assert_ok(vs_space_builder_set_parent(b, "l2", "r", "l3", "u"));
    /* y: explicit at l1 (p) but explicit l2 parent s overrides the chain; l3 then follows s. */
    ck_assert_ok(vs_space_builder_set_parent(b, "l0", "y", "l1", "p"));
    ck_assert_ok(vs_space_builder_set_parent(b, "l0", "y", "l2", "s"));
    ck_assert_ok(vs_space_builder_set_parent(b, "l2", "s", "l3", "v"));
    /* z: parent only at l2 (skipping l1): nothing at l1, l3 inherited from r. */
    ck_assert_ok(vs_space_builder_set_parent(b, "l0", "z", "l2", "r"));
    /* q: explicit at l3 only. */
    ck_assert_ok(vs_space_builder_set_parent(b, "l1", "q", "l3", "v"));
    vs_space *s = freeze(b);
    vs_space_builder_free(b);
    assert_parent(s, "l0", "x", "l1", "p");
    assert_parent(s, "l0", "x", "l2", "r");
    assert_parent(s, "l0", "x", "l3", "u");
    assert_parent(s, "l0", "y", "l1", "p");
    assert_parent(s, "l0", "y", "l2", "s");
    assert_parent(s, "l0", "y", "l3", "v");
    assert_parent(s, "l0", "z", "l1", NULL);
    assert_parent(s, "l0", "z", "l2", "r");
    assert_parent(s, "l0", "z", "l3", "u");
    assert_parent(s, "l0", "w", "l1", NULL);
    assert_parent(s, "l0", "w", "l3", NULL);
    assert_parent(s, "l1", "q", "l2", NULL);
    assert_parent(s, "l1", "q", "l3", "v");
    assert_parent(s, "l1", "p", "l3", "u");
    /* Which parents were explicit is remembered (for saving). */
    size_t x = find(s, 0, "x"), y = find(s, 0, "y");
    ck_assert(vs__space_parent_explicit(s, x, 1));
    ck_assert(!vs__space_parent_explicit(s, x, 2));
    ck_assert(vs__space_parent_explicit(s, y, 2));
    ck_assert(!vs__space_parent_explicit(s, y, 3));
    vs_space_free(s);
}
END_TEST

START_TEST(test_angles) {
    vs_space_builder *b = small_builder();
    static const struct {
        double in, out;
    } cases[] = {{0, 0}, {359.5, 359.5}, {360, 0}, {370, 10}, {-30, 330}, {720, 0}, {-720, 0}, {1e-300, 1e-300}};
    for (size_t i = 0; i < COUNT(cases); i++) {
        ck_assert_ok(vs_space_builder_set_angle(b, "item", "a", cases[i].in));
        vs_space *s = freeze(b);
        double a = vs_space_angle(s, 0);
        ck_assert_msg(a == cases[i].out, "angle %g stored as %.17g, expected %g", cases[i].in, a, cases[i].out);
        vs_space_free(s);
    }
    /* Reduced into [0, 360) even when rounding would give 360; no negative zero. */
    const double edge[] = {-1e-300, -0.0, -360.0, -1e-14};
    for (size_t i = 0; i < COUNT(edge); i++) {
        ck_assert_ok(vs_space_builder_set_angle(b, "item", "b", edge[i]));
        vs_space *s = freeze(b);
        double a = vs_space_angle(s, 1);
        ck_assert_msg(a >= 0 && a < 360 && !signbit(a), "angle %g stored as %.17g", edge[i], a);
        vs_space_free(s);
    }
    ck_assert_status(vs_space_builder_set_angle(b, "item", "a", NAN), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_angle(b, "item", "a", INFINITY), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_angle(b, "item", "a", -INFINITY), VS_EINVAL);
    ck_assert_status(vs_space_builder_set_angle(b, "item", "nope", 1), VS_ENOTFOUND);
    vs_space *s = freeze(b);
    ck_assert(vs_space_angle(s, 0) == 1e-300); /* the failed calls changed nothing */
    vs_space_free(s);
    vs_space_builder_free(b);
}
END_TEST

START_TEST(test_limits) {
    vs_space_builder *b = small_builder();
    char alias[32];
    for (int i = 0; i < VS_SPACE_MAX_ALIASES; i++) {
        snprintf(alias, sizeof alias, "alias %d", i);
        ck_assert_ok(vs_space_builder_add_alias(b, "item", "a", alias));
    }
    ck_assert_status(vs_space_builder_add_alias(b, "item", "a", "one more"), VS_ELIMIT);
    char *big = malloc(VS_SPACE_MAX_TEXT_BYTES + 2);
    memset(big, 'x', VS_SPACE_MAX_TEXT_BYTES + 1);
    big[VS_SPACE_MAX_TEXT_BYTES + 1] = '\0';
    ck_assert_status(vs_space_builder_add_dimension(b, "item", "c", big), VS_ELIMIT);
    ck_assert_status(vs_space_builder_set_dimension_description(b, "item", "a", big), VS_ELIMIT);
    ck_assert_status(vs_space_builder_set_description(b, big), VS_ELIMIT);
    ck_assert_status(vs_space_builder_add_alias(b, "item", "b", big), VS_ELIMIT);
    big[VS_SPACE_MAX_TEXT_BYTES] = '\0';
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "c", big));
    ck_assert_ok(vs_space_builder_set_dimension_description(b, "item", "a", big));
    vs_space *s = freeze(b);
    ck_assert_uint_eq(vs_space_alias_count(s, 0), VS_SPACE_MAX_ALIASES);
    ck_assert_uint_eq(strlen(vs_space_label(s, find(s, 0, "c"))), VS_SPACE_MAX_TEXT_BYTES);
    ck_assert_uint_eq(find(s, 0, big), find(s, 0, "c"));
    ck_assert_uint_eq(find(s, 0, "ALIAS 63"), 0);
    vs_space_free(s);
    free(big);
    vs_space_builder_free(b);
}
END_TEST

/* The largest space: 100000 dimensions; lookups by key and label stay exact. */
START_TEST(test_max_dimensions) {
    vs_space_builder *b = NULL;
    ck_assert_ok(vs_space_builder_create(&b, "big"));
    ck_assert_ok(vs_space_builder_add_level(b, "item"));
    ck_assert_ok(vs_space_builder_add_level(b, "type"));
    char key[32], label[48];
    for (int i = 0; i < VS_SPACE_MAX_DIMENSIONS - 10; i++) {
        snprintf(key, sizeof key, "d%d", i);
        snprintf(label, sizeof label, "Dimension number %d", i);
        ck_assert_ok(vs_space_builder_add_dimension(b, "item", key, label));
    }
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "t%d", i);
        ck_assert_ok(vs_space_builder_add_dimension(b, "type", key, NULL));
    }
    ck_assert_status(vs_space_builder_add_dimension(b, "type", "t10", NULL), VS_ELIMIT);
    for (int i = 0; i < VS_SPACE_MAX_DIMENSIONS - 10; i += 997) {
        snprintf(key, sizeof key, "d%d", i);
        snprintf(label, sizeof label, "t%d", i % 10);
        ck_assert_ok(vs_space_builder_set_parent(b, "item", key, "type", label));
    }
    vs_space *s = freeze(b);
    vs_space_builder_free(b);
    ck_assert_uint_eq(vs_space_dimension_count(s), VS_SPACE_MAX_DIMENSIONS);
    for (int i = 0; i < VS_SPACE_MAX_DIMENSIONS - 10; i++) {
        snprintf(key, sizeof key, "D%d", i);
        ck_assert_uint_eq(find(s, 0, key), (size_t)i);
    }
    for (int i = 0; i < VS_SPACE_MAX_DIMENSIONS - 10; i += 101) {
        snprintf(label, sizeof label, "dimension-number-%d", i);
        ck_assert_uint_eq(find(s, VS_NPOS, label), (size_t)i);
    }
    ck_assert_uint_eq(find(s, VS_NPOS, "T3"), VS_SPACE_MAX_DIMENSIONS - 10 + 3);
    ck_assert_uint_eq(vs_space_parent(s, 997 * 3, 1), VS_SPACE_MAX_DIMENSIONS - 10 + (997 * 3) % 10);
    ck_assert_uint_eq(vs_space_parent(s, 1, 1), VS_NPOS);
    vs_space_free(s);
}
END_TEST

START_TEST(test_freeze_is_a_snapshot) {
    vs_space_builder *b = small_builder();
    vs_space *s1 = freeze(b);
    ck_assert_ok(vs_space_builder_add_dimension(b, "item", "c", "Gamma"));
    ck_assert_ok(vs_space_builder_set_parent(b, "item", "a", "group", "g1"));
    ck_assert_ok(vs_space_builder_set_description(b, "changed"));
    vs_space *s2 = freeze(b);
    vs_space_builder_free(b);
    ck_assert_uint_eq(vs_space_dimension_count(s1), 6);
    ck_assert_uint_eq(vs_space_dimension_count(s2), 7);
    ck_assert_str_eq(vs_space_description(s1), "");
    ck_assert_str_eq(vs_space_description(s2), "changed");
    ck_assert_uint_eq(vs_space_parent(s1, 0, 2), VS_NPOS);
    ck_assert_str_eq(vs_space_key(s2, vs_space_parent(s2, 0, 2)), "g1");
    size_t i;
    ck_assert_status(vs_space_find(&i, s1, 0, "gamma"), VS_ENOTFOUND);
    ck_assert_uint_eq(find(s2, 0, "gamma"), 2);
    /* References: a retained space survives one free. */
    vs__space_retain(s1);
    vs_space_free(s1);
    ck_assert_str_eq(vs_space_name(s1), "small");
    vs_space_free(s1);
    vs_space_free(s2);
}
END_TEST

START_TEST(test_find_errors) {
    vs_space *s = builtin("schwartz10");
    size_t i = 3;
    ck_assert_status(vs_space_find(NULL, s, 0, "power"), VS_EINVAL);
    ck_assert_status(vs_space_find(&i, NULL, 0, "power"), VS_EINVAL);
    ck_assert_uint_eq(i, VS_NPOS);
    ck_assert_status(vs_space_find(&i, s, 0, NULL), VS_EINVAL);
    ck_assert_status(vs_space_find(&i, s, 2, "power"), VS_ERANGE);
    ck_assert_msg(strstr(vs_last_error(), "vs_space_find"), "%s", vs_last_error());
    ck_assert_status(vs_space_find(&i, s, 0, "pow\xe9r"), VS_EUTF8);
    ck_assert_status(vs_space_find(&i, s, 0, ""), VS_ENOTFOUND);
    ck_assert_status(vs_space_find(&i, s, 0, "openness to change"), VS_ENOTFOUND);
    ck_assert_uint_eq(find(s, VS_NPOS, "openness to change"), 10);
    ck_assert_status(vs_space_find(&i, s, VS_NPOS, "not a value"), VS_ENOTFOUND);
    ck_assert_uint_eq(i, VS_NPOS);
    /* Queries on NULL or out-of-range arguments are harmless. */
    ck_assert_uint_eq(vs_space_level_count(NULL), 0);
    ck_assert_uint_eq(vs_space_dimension_count(NULL), 0);
    ck_assert_ptr_null(vs_space_key(NULL, 0));
    ck_assert_ptr_null(vs_space_label(s, 14));
    ck_assert_uint_eq(vs_space_alias_count(s, 14), 0);
    ck_assert_ptr_null(vs_space_alias(s, 14, 0));
    ck_assert_uint_eq(vs_space_parent(s, 0, 7), VS_NPOS);
    ck_assert_uint_eq(vs_space_parent(NULL, 0, 1), VS_NPOS);
    vs_space_free(s);
}
END_TEST

/* The allocation-free ASCII path of the lookup folding agrees with vs__fold_name. */
START_TEST(test_ascii_fold_matches_unicode_fold) {
    char in[8], buf[64];
    for (int c = 1; c < 128; c++) {
        const char *patterns[] = {"%cAb", "A%cb", "Ab%c", "%c%cX%c%cy%c"};
        for (size_t p = 0; p < COUNT(patterns); p++) {
            snprintf(in, sizeof in, patterns[p], c, c, c, c, c);
            char *ref = NULL, *heap = NULL;
            const char *fast;
            ck_assert_ok(vs__fold_name(&ref, in, strlen(in)));
            ck_assert_ok(vs__space_fold(&fast, &heap, buf, sizeof buf, in, strlen(in)));
            ck_assert_ptr_null(heap);
            ck_assert_msg(strcmp(ref, fast) == 0, "char 0x%02x: '%s' vs '%s'", c, ref, fast);
            vs__free(ref);
        }
    }
}
END_TEST

/* ------------------------------------------------------------------ built-ins */

static const char *const schwartz10_keys[] = {"self_direction", "stimulation", "hedonism",  "achievement",
                                              "power",          "security",    "tradition", "conformity",
                                              "benevolence",    "universalism"};
static const char *const schwartz10_labels[] = {"Self-direction", "Stimulation", "Hedonism",  "Achievement",
                                                "Power",          "Security",    "Tradition", "Conformity",
                                                "Benevolence",    "Universalism"};
/* Groups of the 10 values (docs/METHODS.md §1.2: 10-value keys put Hedonism in Openness). */
static const char *const schwartz10_groups[] = {
    "openness_to_change", "openness_to_change", "openness_to_change", "self_enhancement",   "self_enhancement",
    "conservation",       "conservation",       "conservation",       "self_transcendence", "self_transcendence"};
static const char *const group_keys[] = {"openness_to_change", "self_enhancement", "conservation",
                                         "self_transcendence"};
/* The 19 refined values in docs/METHODS.md order (the circle order). */
static const char *const schwartz19_keys[] = {
    "self_direction_thought", "self_direction_action",    "stimulation",        "hedonism",
    "achievement",            "power_dominance",          "power_resources",    "face",
    "security_personal",      "security_societal",        "tradition",          "conformity_rules",
    "conformity_interpersonal", "humility",               "benevolence_caring", "benevolence_dependability",
    "universalism_concern",   "universalism_nature",      "universalism_tolerance"};
/* PVQ-RR groups (docs/METHODS.md §1.2); NULL = border value. */
static const char *const schwartz19_groups[] = {
    "openness_to_change", "openness_to_change", "openness_to_change", "openness_to_change", "self_enhancement",
    "self_enhancement",   "self_enhancement",   NULL,                 "conservation",       "conservation",
    "conservation",       "conservation",       "conservation",       NULL,                 "self_transcendence",
    "self_transcendence", "self_transcendence", "self_transcendence", "self_transcendence"};
/* Basic value of each refined value in the FULCRA code (docs/METHODS.md §1.2: Face -> Power,
 * Humility -> Conformity in that code). */
static const char *const schwartz19_basic[] = {
    "self_direction", "self_direction", "stimulation", "hedonism",    "achievement",  "power",       "power",
    "power",          "security",       "security",    "tradition",   "conformity",   "conformity",  "conformity",
    "benevolence",    "benevolence",    "universalism", "universalism", "universalism"};

START_TEST(test_builtin_list) {
    ck_assert_uint_eq(vs_space_builtin_count(), 6);
    const char *names[] = {"schwartz10", "schwartz19", "fulcra", "valuelex", "mft5", "mfq2"};
    for (size_t i = 0; i < COUNT(names); i++) {
        ck_assert_str_eq(vs_space_builtin_name(i), names[i]);
        vs_space *s = builtin(names[i]);
        ck_assert_str_eq(vs_space_name(s), names[i]);
        ck_assert_msg(strlen(vs_space_description(s)) > 20, "%s has no description", names[i]);
        /* Every key is lower snake case ASCII; every dimension has a description. */
        for (size_t d = 0; d < vs_space_dimension_count(s); d++) {
            ck_assert_msg(is_lower_snake(vs_space_key(s, d)), "%s: key '%s'", names[i], vs_space_key(s, d));
            ck_assert_msg(*vs_space_dimension_description(s, d), "%s: '%s' has no description", names[i],
                          vs_space_key(s, d));
        }
        vs_space_free(s);
    }
    ck_assert_ptr_null(vs_space_builtin_name(6));
    vs_space *s = (vs_space *)1;
    ck_assert_status(vs_space_builtin(&s, "schwartz"), VS_ENOTFOUND);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(vs_last_error(), "vs_space_builtin") && strstr(vs_last_error(), "'schwartz'"), "%s",
                  vs_last_error());
    /* 2 edits from schwartz10 (limit 10 / 3 = 3): suggested, with every built-in listed */
    ck_assert_msg(strstr(vs_last_error(), "did you mean 'schwartz10'? valid: schwartz10, schwartz19, fulcra, valuelex, "
                                          "mft5, mfq2)"),
                  "%s", vs_last_error());
    ck_assert_status(vs_space_builtin(&s, "fulcra\xff"), VS_ENOTFOUND);
    ck_assert_msg(strstr(vs_last_error(), "UTF-8"), "%s", vs_last_error());
    ck_assert_status(vs_space_builtin(&s, NULL), VS_EINVAL);
    ck_assert_status(vs_space_builtin(NULL, "fulcra"), VS_EINVAL);
    /* The name is folded. */
    s = builtin(" FULCRA ");
    ck_assert_str_eq(vs_space_name(s), "fulcra");
    vs_space_free(s);
    s = builtin("Schwartz10");
    ck_assert_str_eq(vs_space_name(s), "schwartz10");
    vs_space_free(s);
}
END_TEST

START_TEST(test_schwartz10) {
    vs_space *s = builtin("schwartz10");
    ck_assert_uint_eq(vs_space_level_count(s), 2);
    ck_assert_str_eq(vs_space_level_name(s, 0), "value");
    ck_assert_str_eq(vs_space_level_name(s, 1), "group");
    assert_keys(s, 0, schwartz10_keys, 10);
    assert_keys(s, 1, group_keys, 4);
    ck_assert_uint_eq(vs_space_dimension_count(s), 14);
    const double angles[] = {0, 40, 80, 120, 160, 200, 240, 240, 280, 320};
    for (size_t i = 0; i < 10; i++) {
        ck_assert_str_eq(vs_space_label(s, i), schwartz10_labels[i]);
        ck_assert(vs_space_angle(s, i) == angles[i]);
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, i, 1)), schwartz10_groups[i]);
    }
    ck_assert_str_eq(vs_space_label(s, 10), "Openness to change");
    ck_assert_str_eq(vs_space_label(s, 13), "Self-transcendence");
    for (size_t g = 10; g < 14; g++) ck_assert(isnan(vs_space_angle(s, g)));
    /* The lookup rule of space.h. */
    const char *forms[] = {"Self-Direction", "self direction", "SELF_DIRECTION", "self\xe2\x80\x94" "direction",
                           "\xef\xbc\xb3\xef\xbc\xa5\xef\xbc\xac\xef\xbc\xa6\xef\xbc\x8d\xef\xbc\xa4\xef\xbc\xa9"
                           "\xef\xbc\xb2\xef\xbc\xa5\xef\xbc\xa3\xef\xbc\xb4\xef\xbc\xa9\xef\xbc\xaf\xef\xbc\xae",
                           "  self--direction ", "self_direction", "SD"};
    for (size_t i = 0; i < COUNT(forms); i++) ck_assert_uint_eq(find(s, VS_NPOS, forms[i]), 0);
    ck_assert_uint_eq(find(s, 0, "Universalism"), 9);
    ck_assert_uint_eq(find(s, 1, "Self-Enhancement"), 11);
    size_t i;
    ck_assert_status(vs_space_find(&i, s, 0, "selfdirection"), VS_ENOTFOUND);
    vs_space_free(s);
}
END_TEST

START_TEST(test_schwartz19) {
    vs_space *s = builtin("schwartz19");
    ck_assert_uint_eq(vs_space_level_count(s), 2);
    ck_assert_str_eq(vs_space_level_name(s, 0), "value");
    ck_assert_str_eq(vs_space_level_name(s, 1), "group");
    assert_keys(s, 0, schwartz19_keys, 19);
    assert_keys(s, 1, group_keys, 4);
    for (size_t i = 0; i < 19; i++) {
        ck_assert_near(vs_space_angle(s, i), i * 360.0 / 19.0, 1e-12);
        size_t p = vs_space_parent(s, i, 1);
        if (!schwartz19_groups[i])
            ck_assert_msg(p == VS_NPOS, "%s should be a border value", schwartz19_keys[i]);
        else
            ck_assert_str_eq(vs_space_key(s, p), schwartz19_groups[i]);
    }
    assert_parent(s, "value", "humility", "group", NULL);
    assert_parent(s, "value", "face", "group", NULL);
    assert_parent(s, "value", "hedonism", "group", "openness_to_change");
    /* docs/METHODS.md labels (with dashes of any kind) find the refined values. */
    ck_assert_uint_eq(find(s, 0, "Self-direction\xe2\x80\x93thought"), 0);
    ck_assert_uint_eq(find(s, 0, "Power-resources"), 6);
    ck_assert_uint_eq(find(s, 0, "Conformity\xe2\x80\x93interpersonal"), 12);
    ck_assert_uint_eq(find(s, 0, "Universalism tolerance"), 18);
    ck_assert_uint_eq(find(s, 0, "Face"), 7);
    ck_assert_uint_eq(find(s, 0, "Humility"), 13);
    vs_space_free(s);
}
END_TEST

/* docs/METHODS.md §1.2: the 54 FULCRA items in order, each with its refined value. */
static const struct {
    const char *label, *refined;
} fulcra_items[] = {
    {"Be creative", "self_direction_thought"},
    {"Be curious", "self_direction_thought"},
    {"Have freedom of thought", "self_direction_thought"},
    {"Be choosing own goals", "self_direction_action"},
    {"Be independent", "self_direction_action"},
    {"Have freedom of action", "self_direction_action"},
    {"Have privacy", "self_direction_action"},
    {"Have an exciting life", "stimulation"},
    {"Have a varied life", "stimulation"},
    {"Be daring", "stimulation"},
    {"Have pleasure", "hedonism"},
    {"Enjoying life", "hedonism"},
    {"Be self-indulgent", "hedonism"},
    {"Be ambitious", "achievement"},
    {"Be successful", "achievement"},
    {"Be capable", "achievement"},
    {"Be influential", "achievement"},
    {"Be intellectual", "achievement"},
    {"Have authority", "power_dominance"},
    {"Have social power", "power_dominance"},
    {"Have wealth", "power_resources"},
    {"Have a social recognition", "face"},
    {"Preserving my public image", "face"},
    {"Observing social norms", "face"},
    {"Have a sense of belonging", "security_personal"},
    {"Have a good health", "security_personal"},
    {"Have no debts", "security_personal"},
    {"Be neat and tidy", "security_personal"},
    {"Have family security", "security_personal"},
    {"Have a safe country", "security_societal"},
    {"Have a stable society", "security_societal"},
    {"Be respecting traditions", "tradition"},
    {"Be holding religious faith", "tradition"},
    {"Be obedient", "conformity_rules"},
    {"Be self-disciplined", "conformity_rules"},
    {"Moderate", "conformity_rules"},
    {"Be polite", "conformity_interpersonal"},
    {"Be honoring parents and elders", "conformity_interpersonal"},
    {"Be humble", "humility"},
    {"Accepting my portion in life", "humility"},
    {"Be helpful", "benevolence_caring"},
    {"Be honest", "benevolence_caring"},
    {"Be forgiving", "benevolence_caring"},
    {"True friendship", "benevolence_caring"},
    {"Mature love", "benevolence_caring"},
    {"Be responsible", "benevolence_dependability"},
    {"Have loyalty towards friends", "benevolence_dependability"},
    {"Have equality", "universalism_concern"},
    {"Social justice", "universalism_concern"},
    {"Have a world at peace", "universalism_concern"},
    {"Be protecting the environment", "universalism_nature"},
    {"Have harmony with nature", "universalism_nature"},
    {"Have a world of beauty", "universalism_nature"},
    {"Be broadminded", "universalism_tolerance"},
};

static size_t index_of(const char *const *keys, size_t n, const char *key) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i], key) == 0) return i;
    ck_abort_msg("unknown key %s", key);
    return 0;
}

START_TEST(test_fulcra) {
    vs_space *s = builtin("fulcra");
    ck_assert_uint_eq(vs_space_level_count(s), 4);
    const char *levels[] = {"item", "refined", "type", "group"};
    for (size_t l = 0; l < 4; l++) ck_assert_str_eq(vs_space_level_name(s, l), levels[l]);
    ck_assert_uint_eq(COUNT(fulcra_items), 54);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 0), 54);
    assert_keys(s, 1, schwartz19_keys, 19);
    assert_keys(s, 2, schwartz10_keys, 10);
    assert_keys(s, 3, group_keys, 4);
    ck_assert_uint_eq(vs_space_dimension_count(s), 54 + 19 + 10 + 4);
    for (size_t i = 0; i < 54; i++) {
        /* Order and exact labels. */
        ck_assert_str_eq(vs_space_label(s, i), fulcra_items[i].label);
        ck_assert_uint_eq(find(s, 0, fulcra_items[i].label), i);
        ck_assert(isnan(vs_space_angle(s, i)));
        /* item -> refined -> type (FULCRA code) -> group, except Observing social norms. */
        const char *refined = fulcra_items[i].refined;
        const char *type = schwartz19_basic[index_of(schwartz19_keys, 19, refined)];
        if (strcmp(fulcra_items[i].label, "Observing social norms") == 0) type = "security";
        const char *group = schwartz10_groups[index_of(schwartz10_keys, 10, type)];
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, i, 1)), refined);
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, i, 2)), type);
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, i, 3)), group);
    }
    /* Refined level: same keys and labels as schwartz19, parents by the FULCRA code. */
    vs_space *s19 = builtin("schwartz19");
    vs_space *s10 = builtin("schwartz10");
    for (size_t i = 0; i < 19; i++) {
        size_t d = vs_space_level_offset(s, 1) + i;
        ck_assert_str_eq(vs_space_label(s, d), vs_space_label(s19, i));
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, d, 2)), schwartz19_basic[i]);
    }
    for (size_t i = 0; i < 10; i++) {
        size_t d = vs_space_level_offset(s, 2) + i;
        ck_assert_str_eq(vs_space_label(s, d), schwartz10_labels[i]);
        ck_assert(vs_space_angle(s, d) == vs_space_angle(s10, i));
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, d, 3)), schwartz10_groups[i]);
    }
    vs_space_free(s19);
    vs_space_free(s10);
    /* The special cases named in docs/METHODS.md. */
    assert_parent(s, "item", "Observing social norms", "refined", "face");
    assert_parent(s, "item", "Observing social norms", "type", "security");
    assert_parent(s, "item", "Observing social norms", "group", "conservation");
    assert_parent(s, "item", "Be humble", "refined", "humility");
    assert_parent(s, "item", "Be humble", "type", "conformity");
    assert_parent(s, "item", "Be humble", "group", "conservation");
    assert_parent(s, "item", "Have wealth", "refined", "power_resources");
    assert_parent(s, "item", "Have wealth", "type", "power");
    assert_parent(s, "item", "Have wealth", "group", "self_enhancement");
    assert_parent(s, "item", "Preserving my public image", "type", "power");
    assert_parent(s, "item", "Be creative", "group", "openness_to_change");
    assert_parent(s, "item", "Have pleasure", "group", "openness_to_change");
    assert_parent(s, "item", "Be broadminded", "group", "self_transcendence");
    assert_parent(s, "refined", "humility", "type", "conformity");
    assert_parent(s, "refined", "humility", "group", "conservation");
    assert_parent(s, "refined", "face", "type", "power");
    assert_parent(s, "refined", "face", "group", "self_enhancement");
    /* Aliases: real variants only; "be respectful" is not an item. */
    ck_assert_uint_eq(find(s, 0, "have social recognition"), find(s, 0, "Have a social recognition"));
    size_t i;
    ck_assert_status(vs_space_find(&i, s, VS_NPOS, "be respectful"), VS_ENOTFOUND);
    vs_space_free(s);
}
END_TEST

/* Every item name in FULCRA's data file resolves, except the known unknown "be respectful". */
START_TEST(test_fulcra_data_item_names) {
    vs_space *s = builtin("fulcra");
    FILE *f = fopen(VS_TEST_DATA_DIR "/space/fulcra_item_names.txt", "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    int names = 0, unknown = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || !line[0]) continue;
        names++;
        size_t i;
        int rc = vs_space_find(&i, s, 0, line);
        if (strcmp(line, "be respectful") == 0) {
            ck_assert_status(rc, VS_ENOTFOUND);
            unknown++;
        } else {
            ck_assert_msg(rc == VS_OK, "'%s' does not resolve: %s", line, vs_last_error());
        }
    }
    fclose(f);
    ck_assert_int_eq(names, 54);
    ck_assert_int_eq(unknown, 1);
    vs_space_free(s);
}
END_TEST

START_TEST(test_valuelex) {
    vs_space *s = builtin("valuelex");
    ck_assert_uint_eq(vs_space_level_count(s), 2);
    ck_assert_str_eq(vs_space_level_name(s, 0), "subdimension");
    ck_assert_str_eq(vs_space_level_name(s, 1), "dimension");
    const char *subs[] = {"self_competent", "user_oriented", "social", "idealistic", "professional", "ethical"};
    const char *sub_labels[] = {"Self-Competent", "User-Oriented", "Social", "Idealistic", "Professional", "Ethical"};
    const char *dims[] = {"competence", "character", "integrity"};
    const char *dim_labels[] = {"Competence", "Character", "Integrity"};
    assert_keys(s, 0, subs, 6);
    assert_keys(s, 1, dims, 3);
    for (size_t i = 0; i < 6; i++) {
        ck_assert_str_eq(vs_space_label(s, i), sub_labels[i]);
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, i, 1)), dims[i / 2]);
    }
    for (size_t i = 0; i < 3; i++) ck_assert_str_eq(vs_space_label(s, 6 + i), dim_labels[i]);
    ck_assert_uint_eq(find(s, VS_NPOS, "user oriented"), 1);
    ck_assert_uint_eq(find(s, VS_NPOS, "SELF-COMPETENT"), 0);
    vs_space_free(s);
}
END_TEST

START_TEST(test_moral_foundations) {
    vs_space *s = builtin("mft5");
    ck_assert_uint_eq(vs_space_level_count(s), 2);
    ck_assert_str_eq(vs_space_level_name(s, 0), "foundation");
    ck_assert_str_eq(vs_space_level_name(s, 1), "group");
    const char *f5[] = {"care", "fairness", "loyalty", "authority", "sanctity"};
    const char *l5[] = {"Care", "Fairness", "Loyalty", "Authority", "Sanctity"};
    const char *g5[] = {"individualizing", "individualizing", "binding", "binding", "binding"};
    const char *groups[] = {"individualizing", "binding"};
    assert_keys(s, 0, f5, 5);
    assert_keys(s, 1, groups, 2);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(vs_space_label(s, i), l5[i]);
        ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, i, 1)), g5[i]);
    }
    /* The MFT pair names and "purity". */
    const char *pairs[] = {"Care/harm", "Fairness/cheating", "Loyalty/betrayal", "Authority/subversion",
                           "Sanctity/degradation"};
    for (size_t i = 0; i < 5; i++) ck_assert_uint_eq(find(s, 0, pairs[i]), i);
    ck_assert_uint_eq(find(s, 0, "purity"), 4);
    vs_space_free(s);

    s = builtin("mfq2");
    ck_assert_uint_eq(vs_space_level_count(s), 1);
    ck_assert_str_eq(vs_space_level_name(s, 0), "foundation");
    const char *f6[] = {"care", "equality", "proportionality", "loyalty", "authority", "purity"};
    const char *l6[] = {"Care", "Equality", "Proportionality", "Loyalty", "Authority", "Purity"};
    assert_keys(s, 0, f6, 6);
    for (size_t i = 0; i < 6; i++) ck_assert_str_eq(vs_space_label(s, i), l6[i]);
    ck_assert_uint_eq(vs_space_dimension_count(s), 6);
    vs_space_free(s);
}
END_TEST

/* A frozen space is shared by threads that look names up at the same time. */
static void *lookup_thread(void *arg) {
    const vs_space *s = arg;
    for (int r = 0; r < 200; r++)
        for (size_t i = 0; i < 54; i++) {
            size_t idx;
            if (vs_space_find(&idx, s, 0, fulcra_items[i].label) != VS_OK || idx != i) return (void *)1;
            if (vs_space_find(&idx, s, VS_NPOS, "Have social recognition") != VS_OK || idx != 21) return (void *)1;
        }
    return NULL;
}

START_TEST(test_shared_between_threads) {
    vs_space *s = builtin("fulcra");
    pthread_t t[4];
    for (int i = 0; i < 4; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, lookup_thread, s), 0);
    for (int i = 0; i < 4; i++) {
        void *res;
        ck_assert_int_eq(pthread_join(t[i], &res), 0);
        ck_assert_ptr_null(res);
    }
    vs_space_free(s);
}
END_TEST

/* ------------------------------------------------------------------ allocation failures */

/* The allocation-failure sweep (testutil) over a flow that makes a space: every failing run must
 * leave *out NULL. */
typedef struct space_flow {
    int (*flow)(vs_space **out, const void *arg);
    const void *arg;
    vs_space *out;
} space_flow;

static int run_space_flow(void *p) {
    space_flow *f = p;
    f->out = (vs_space *)1;
    return f->flow(&f->out, f->arg);
}

static void after_space_flow(void *p, int failed) {
    space_flow *f = p;
    if (failed) {
        ck_assert_ptr_null(f->out);
        return;
    }
    ck_assert_ptr_nonnull(f->out);
    vs_space_free(f->out);
}

static void alloc_failure_loop(int (*flow)(vs_space **out, const void *arg), const void *arg) {
    space_flow f = {flow, arg, NULL};
    vs_test_sweep sw = {"space flow", NULL, run_space_flow, after_space_flow, &f};
    vs_test_alloc_sweep(&sw);
}

static int builtin_flow(vs_space **out, const void *arg) { return vs_space_builtin(out, arg); }

START_TEST(test_alloc_failures_builtins) {
    for (size_t i = 0; i < vs_space_builtin_count(); i++) alloc_failure_loop(builtin_flow, vs_space_builtin_name(i));
}
END_TEST

/* A builder flow touching every builder call, including non-ASCII names. */
static int builder_flow(vs_space **out, const void *arg) {
    (void)arg;
    *out = NULL;
    vs_space_builder *b = NULL;
    int rc = vs_space_builder_create(&b, "flow");
    if (rc != VS_OK) return rc;
    const char *levels[] = {"item", "type", "group"};
    char key[16], label[64];
    for (size_t l = 0; rc == VS_OK && l < 3; l++) rc = vs_space_builder_add_level(b, levels[l]);
    if (rc == VS_OK) rc = vs_space_builder_set_description(b, "a flow");
    for (int i = 0; rc == VS_OK && i < 40; i++) {
        snprintf(key, sizeof key, "i%d", i);
        snprintf(label, sizeof label, "Item\xe2\x80\x94%d \xc3\x9f", i); /* em dash, sharp s */
        rc = vs_space_builder_add_dimension(b, "item", key, label);
        if (rc == VS_OK) rc = vs_space_builder_set_dimension_description(b, "item", key, "described");
        snprintf(label, sizeof label, "\xef\xbc\xa1lias %d", i);
        if (rc == VS_OK) rc = vs_space_builder_add_alias(b, "item", key, label);
        if (rc == VS_OK) rc = vs_space_builder_set_angle(b, "item", key, i * 9.0);
    }
    if (rc == VS_OK) rc = vs_space_builder_add_dimension(b, "type", "t", "T");
    if (rc == VS_OK) rc = vs_space_builder_add_dimension(b, "group", "g", "G");
    for (int i = 0; rc == VS_OK && i < 40; i += 3) {
        snprintf(key, sizeof key, "i%d", i);
        rc = vs_space_builder_set_parent(b, "item", key, "type", "t");
        if (rc == VS_OK && i % 2) rc = vs_space_builder_set_parent(b, "item", key, "group", "g");
    }
    if (rc == VS_OK) rc = vs_space_builder_set_parent(b, "type", "t", "group", "g");
    if (rc == VS_OK) rc = vs_space_builder_freeze(out, b);
    vs_space_builder_free(b);
    return rc;
}

START_TEST(test_alloc_failures_builder) { alloc_failure_loop(builder_flow, NULL); }
END_TEST

/* A failed allocation inside a builder call leaves the builder's content intact and usable. */
START_TEST(test_alloc_failure_leaves_builder_intact) {
    for (long n = 1; n < 20; n++) {
        vs_test_alloc_install();
        vs_space_builder *b = NULL;
        ck_assert_ok(vs_space_builder_create(&b, "intact"));
        ck_assert_ok(vs_space_builder_add_level(b, "item"));
        ck_assert_ok(vs_space_builder_add_dimension(b, "item", "a", "Alpha"));
        vs_test_alloc_fail_at(n);
        int rc = vs_space_builder_add_dimension(b, "item", "b", "B\xc3\xa9ta");
        if (rc == VS_OK) rc = vs_space_builder_add_alias(b, "item", "a", "\xc3\x81lpha");
        if (rc == VS_OK) rc = vs_space_builder_set_parent(b, "item", "a", "item", "b"); /* ECYCLE, no alloc */
        int failed = vs_test_alloc_failed();
        vs_test_alloc_fail_at(0);
        vs_space *s = NULL;
        ck_assert_ok(vs_space_builder_freeze(&s, b));
        ck_assert_uint_eq(find(s, 0, "alpha"), 0);
        if (failed) {
            ck_assert_status(rc, VS_ENOMEM);
            /* What was added is complete; what failed is absent. */
            size_t i, n0 = vs_space_level_dimension_count(s, 0);
            if (n0 == 1) {
                ck_assert_status(vs_space_find(&i, s, 0, "b\xc3\xa9ta"), VS_ENOTFOUND);
            } else {
                ck_assert_uint_eq(n0, 2);
                ck_assert_uint_eq(find(s, 0, "B\xc3\x89TA"), 1);
            }
            if (vs_space_alias_count(s, 0) == 0)
                ck_assert_status(vs_space_find(&i, s, 0, "\xc3\x81LPHA"), VS_ENOTFOUND);
            else
                ck_assert_uint_eq(find(s, 0, "\xc3\x81LPHA"), 0);
        } else {
            ck_assert_status(rc, VS_ECYCLE);
        }
        vs_space_free(s);
        vs_space_builder_free(b);
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        vs_test_alloc_uninstall();
        if (!failed) return;
    }
    ck_abort_msg("the flow never completed");
}
END_TEST

static Suite *space_suite(void) {
    Suite *s = suite_create("space");
    TCase *tc = tcase_create("builder");
    tcase_add_test(tc, test_builder_basic);
    tcase_add_test(tc, test_builder_null_and_free);
    tcase_add_test(tc, test_key_rules);
    tcase_add_test(tc, test_duplicates_leave_builder_intact);
    tcase_add_test(tc, test_levels);
    tcase_add_test(tc, test_parent_rules);
    tcase_add_test(tc, test_parent_inheritance);
    tcase_add_test(tc, test_angles);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_max_dimensions);
    tcase_add_test(tc, test_freeze_is_a_snapshot);
    tcase_add_test(tc, test_find_errors);
    tcase_add_test(tc, test_ascii_fold_matches_unicode_fold);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("builtins");
    tcase_add_test(tc, test_builtin_list);
    tcase_add_test(tc, test_schwartz10);
    tcase_add_test(tc, test_schwartz19);
    tcase_add_test(tc, test_fulcra);
    tcase_add_test(tc, test_fulcra_data_item_names);
    tcase_add_test(tc, test_valuelex);
    tcase_add_test(tc, test_moral_foundations);
    tcase_add_test(tc, test_shared_between_threads);
    suite_add_tcase(s, tc);

    tc = tcase_create("alloc");
    tcase_add_test(tc, test_alloc_failures_builtins);
    tcase_add_test(tc, test_alloc_failures_builder);
    tcase_add_test(tc, test_alloc_failure_leaves_builder_intact);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(space_suite()); }
