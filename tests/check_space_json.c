/* Tests of loading and saving spaces as JSON (schema "valuespace/space" version 1). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DATA VS_TEST_DATA_DIR "/space/"

/* ------------------------------------------------------------------ helpers */

static vs_space *builtin(const char *name) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builtin(&s, name));
    return s;
}

static char *save(const vs_space *s) {
    char *text = NULL;
    ck_assert_ok(vs_space_save_json(&text, s));
    ck_assert_ptr_nonnull(text);
    return text;
}

static vs_space *load(const char *json) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_load_json(&s, json, strlen(json), "test.json"));
    ck_assert_ptr_nonnull(s);
    return s;
}

static int same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b)); }

/* Every queried property of two spaces is equal (angles bit for bit). */
static void assert_equal_spaces(const vs_space *a, const vs_space *b) {
    ck_assert_str_eq(vs_space_name(a), vs_space_name(b));
    ck_assert_str_eq(vs_space_description(a), vs_space_description(b));
    size_t nl = vs_space_level_count(a);
    ck_assert_uint_eq(vs_space_level_count(b), nl);
    for (size_t l = 0; l < nl; l++) {
        ck_assert_str_eq(vs_space_level_name(a, l), vs_space_level_name(b, l));
        ck_assert_uint_eq(vs_space_level_dimension_count(a, l), vs_space_level_dimension_count(b, l));
        ck_assert_uint_eq(vs_space_level_offset(a, l), vs_space_level_offset(b, l));
    }
    size_t nd = vs_space_dimension_count(a);
    ck_assert_uint_eq(vs_space_dimension_count(b), nd);
    for (size_t d = 0; d < nd; d++) {
        ck_assert_str_eq(vs_space_key(a, d), vs_space_key(b, d));
        ck_assert_str_eq(vs_space_label(a, d), vs_space_label(b, d));
        ck_assert_str_eq(vs_space_dimension_description(a, d), vs_space_dimension_description(b, d));
        ck_assert_uint_eq(vs_space_dimension_level(a, d), vs_space_dimension_level(b, d));
        ck_assert_msg(same_double(vs_space_angle(a, d), vs_space_angle(b, d)), "angle of %s: %.17g vs %.17g",
                      vs_space_key(a, d), vs_space_angle(a, d), vs_space_angle(b, d));
        ck_assert_uint_eq(vs_space_alias_count(a, d), vs_space_alias_count(b, d));
        for (size_t k = 0; k < vs_space_alias_count(a, d); k++)
            ck_assert_str_eq(vs_space_alias(a, d, k), vs_space_alias(b, d, k));
        for (size_t l = 0; l < nl; l++) ck_assert_uint_eq(vs_space_parent(a, d, l), vs_space_parent(b, d, l));
        /* Every name still finds the same dimension. */
        size_t level = vs_space_dimension_level(a, d), i;
        ck_assert_ok(vs_space_find(&i, b, level, vs_space_label(a, d)));
        ck_assert_uint_eq(i, d);
    }
}

/* ------------------------------------------------------------------ round trips */

START_TEST(test_round_trip_builtins) {
    for (size_t i = 0; i < vs_space_builtin_count(); i++) {
        vs_space *a = builtin(vs_space_builtin_name(i));
        char *t1 = save(a);
        vs_space *b = load(t1);
        assert_equal_spaces(a, b);
        char *t2 = save(b);
        ck_assert_msg(strcmp(t1, t2) == 0, "%s: save -> load -> save is not byte-identical",
                      vs_space_builtin_name(i));
        vs_free(t1);
        vs_free(t2);
        vs_space_free(a);
        vs_space_free(b);
    }
}
END_TEST

/* Only explicit parents are saved: "parent" for the next level, "parents" for the others. */
START_TEST(test_round_trip_explicit_parents) {
    vs_space *a = builtin("fulcra");
    char *t = save(a);
    /* Observing social norms: explicit refined and type parents; Be humble: only refined. */
    const char *osn = strstr(t, "\"key\": \"observing_social_norms\"");
    ck_assert_ptr_nonnull(osn);
    const char *end = strstr(osn, "}\n    }");
    ck_assert_ptr_nonnull(end);
    const char *p = strstr(osn, "\"parent\": \"face\"");
    ck_assert_msg(p && p < end, "no \"parent\": \"face\" for observing_social_norms");
    p = strstr(osn, "\"parents\": {");
    ck_assert_msg(p && p < end, "no \"parents\" for observing_social_norms");
    p = strstr(p, "\"type\": \"security\"");
    ck_assert_msg(p && p < end, "no type parent for observing_social_norms");
    const char *humble = strstr(t, "\"key\": \"be_humble\"");
    ck_assert_ptr_nonnull(humble);
    const char *next = strstr(humble + 1, "\"key\"");
    p = strstr(humble, "\"parents\"");
    ck_assert_msg(!p || p > next, "be_humble has only an explicit refined parent");
    vs_free(t);
    vs_space_free(a);
}
END_TEST

START_TEST(test_round_trip_custom) {
    vs_space_builder *b = NULL;
    ck_assert_ok(vs_space_builder_create(&b, "custom \"quoted\" \\ name"));
    ck_assert_ok(vs_space_builder_set_description(b, "line one\nline two\ttab \x01 ctrl / slash \xe2\x82\xac"));
    const char *levels[] = {"l0", "l1", "l2", "l3"};
    for (int l = 0; l < 4; l++) ck_assert_ok(vs_space_builder_add_level(b, levels[l]));
    ck_assert_ok(vs_space_builder_add_dimension(b, "l0", "x", "\xc3\x9f-\xe2\x80\x94 \"x\""));
    ck_assert_ok(vs_space_builder_add_dimension(b, "l0", "y", NULL));
    ck_assert_ok(vs_space_builder_add_dimension(b, "l1", "p", NULL));
    ck_assert_ok(vs_space_builder_add_dimension(b, "l2", "r", NULL));
    ck_assert_ok(vs_space_builder_add_dimension(b, "l3", "u", NULL));
    ck_assert_ok(vs_space_builder_add_alias(b, "l0", "x", "ex\\s"));
    ck_assert_ok(vs_space_builder_add_alias(b, "l0", "x", "\xf0\x9f\x98\x80"));
    ck_assert_ok(vs_space_builder_set_dimension_description(b, "l0", "y", "why?"));
    const double angles[] = {0.1, 1.0 / 3.0, 359.99999999999994, 1e-300, 123.45678901234568};
    const char *keys[] = {"x", "y", "p", "r", "u"};
    const char *lv[] = {"l0", "l0", "l1", "l2", "l3"};
    for (int i = 0; i < 5; i++) ck_assert_ok(vs_space_builder_set_angle(b, lv[i], keys[i], angles[i]));
    ck_assert_ok(vs_space_builder_set_parent(b, "l0", "x", "l2", "r")); /* skips l1 */
    ck_assert_ok(vs_space_builder_set_parent(b, "l0", "y", "l1", "p"));
    ck_assert_ok(vs_space_builder_set_parent(b, "l0", "y", "l3", "u"));
    ck_assert_ok(vs_space_builder_set_parent(b, "l1", "p", "l2", "r"));
    vs_space *a = NULL;
    ck_assert_ok(vs_space_builder_freeze(&a, b));
    vs_space_builder_free(b);
    char *t1 = save(a);
    vs_space *c = load(t1);
    assert_equal_spaces(a, c);
    for (int i = 0; i < 5; i++) ck_assert(vs_space_angle(c, (size_t)i) == angles[i]);
    char *t2 = save(c);
    ck_assert_str_eq(t1, t2);
    ck_assert_ptr_nonnull(strstr(t1, "\"parents\": {"));
    ck_assert_ptr_null(strstr(t1, "\"l1\": \"p\"")); /* y's l1 parent is written as "parent" */
    vs_free(t1);
    vs_free(t2);
    vs_space_free(a);
    vs_space_free(c);
}
END_TEST

/* A hand-written document: optional fields omitted, folded level names, "parents" naming the
 * next level, null angle, fields in any order. */
START_TEST(test_load_handwritten) {
    const char *json = "{\"dimensions\": [\n"
                       "  {\"level\": \"Item\", \"key\": \"a\", \"parents\": {\"type\": \"t\"}, \"angle\": -90},\n"
                       "  {\"key\": \"b\", \"level\": \"item\", \"label\": \"Bee\", \"angle\": null,\n"
                       "   \"aliases\": [], \"description\": \"\", \"parents\": {}},\n"
                       "  {\"key\": \"t\", \"level\": \"TYPE\", \"parent\": \"g\"},\n"
                       "  {\"key\": \"g\", \"level\": \"group\"}],\n"
                       " \"levels\": [\"item\", \"type\", \"group\"],\n"
                       " \"name\": \"hand\", \"version\": 1.0, \"schema\": \"valuespace/space\"}\n";
    vs_space *s = load(json);
    ck_assert_str_eq(vs_space_name(s), "hand");
    ck_assert_str_eq(vs_space_description(s), "");
    ck_assert_uint_eq(vs_space_dimension_count(s), 4);
    ck_assert_str_eq(vs_space_label(s, 0), "a");
    ck_assert_str_eq(vs_space_label(s, 1), "Bee");
    ck_assert(vs_space_angle(s, 0) == 270.0);
    ck_assert(isnan(vs_space_angle(s, 1)));
    ck_assert_uint_eq(vs_space_parent(s, 0, 1), 2);
    ck_assert_uint_eq(vs_space_parent(s, 0, 2), 3); /* inherited through t */
    ck_assert_uint_eq(vs_space_parent(s, 1, 1), VS_NPOS);
    /* Saved, the explicit parent at the next level is written as "parent". */
    char *t = save(s);
    ck_assert_ptr_nonnull(strstr(t, "\"parent\": \"t\""));
    ck_assert_ptr_null(strstr(t, "\"parents\""));
    vs_free(t);
    vs_space_free(s);
}
END_TEST

/* ------------------------------------------------------------------ bad documents */

/* Each document marks the offending value with '@' (removed before loading); the message
 * must start with "bad.json:LINE:COLUMN: " of that place. */
static const struct {
    const char *json;
    int status;
    const char *mention; /* a word the message must contain, or NULL */
} bad_cases[] = {
    /* structure, schema and version */
    {"@[]", VS_EPARSE, "object"},
    {"@{\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[{\"key\":\"a\",\"level\":\"item\"}]}",
     VS_EPARSE, "schema"},
    {"{\"schema\":@\"valuespace/vector\",\"version\":1}", VS_EPARSE, "valuespace/vector"},
    {"{\"schema\":@5,\"version\":1}", VS_EPARSE, "schema"},
    {"@{\"schema\":\"valuespace/space\",\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[]}", VS_EPARSE,
     "version"},
    {"{\"schema\":\"valuespace/space\",\"version\":@\"1\"}", VS_EPARSE, "version"},
    {"{\"schema\":\"valuespace/space\",\n\"version\":@2,\n\"name\":\"t\"}", VS_EVERSION, "version 2"},
    {"{\"schema\":\"valuespace/space\",\"version\":@1.5,\"name\":\"t\"}", VS_EVERSION, NULL},
    {"{\"schema\":\"valuespace/space\",\"version\":@2,\"fields\":\"of another version\"}", VS_EVERSION, NULL},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\n  @\"levelz\":[\"item\"]}", VS_EPARSE,
     "levelz"},
    {"@{\"schema\":\"valuespace/space\",\"version\":1,\"levels\":[\"item\"],\"dimensions\":[]}", VS_EPARSE, "name"},
    {"@{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"dimensions\":[]}", VS_EPARSE, "levels"},
    {"@{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"]}", VS_EPARSE,
     "dimensions"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":@\"\",\"levels\":[\"item\"],\"dimensions\":[]}",
     VS_EINVAL, "name"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":@3,\"levels\":[\"item\"],\"dimensions\":[]}",
     VS_EPARSE, "name"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"description\":@[],\"levels\":[],"
     "\"dimensions\":[]}",
     VS_EPARSE, "description"},
    /* levels */
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":@{},\"dimensions\":[]}", VS_EPARSE,
     "levels"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[@5],\"dimensions\":[]}", VS_EPARSE,
     "level"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",@\"\"],\"dimensions\":[]}",
     VS_EINVAL, "level"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",@\"two words\"],"
     "\"dimensions\":[]}",
     VS_EINVAL, "two words"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\n@\"ITEM\"],"
     "\"dimensions\":[]}",
     VS_EDUPLICATE, "ITEM"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"a\",\"b\",\"c\",\"d\",\"e\","
     "\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",@\"q\"],\"dimensions\":[]}",
     VS_ELIMIT, "16"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":@[],\"dimensions\":[]}", VS_EINVAL,
     "no level"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":@[]}",
     VS_EINVAL, "item"},
    /* dimensions */
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":@{}}",
     VS_EPARSE, "dimensions"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[@3]}",
     VS_EPARSE, "dimension"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  @{\"level\":\"item\"}]}",
     VS_EPARSE, "key"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  @{\"key\":\"a\"}]}",
     VS_EPARSE, "level"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\", @\"lable\":\"A\"}]}",
     VS_EPARSE, "lable"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":@\"\",\"level\":\"item\"}]}",
     VS_EINVAL, "key"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":@\"a b\",\"level\":\"item\"}]}",
     VS_EINVAL, "key"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":@\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\",\"level\":\"item\"}]}",
     VS_ELIMIT, "64"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":@7,\"level\":\"item\"}]}",
     VS_EPARSE, "key"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\"},\n  {\"level\":\"item\", \"key\":@\"A\"}]}",
     VS_EDUPLICATE, "'a'"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"label\":\"Alpha\"},\n"
     "  {\"key\":\"b\",\"level\":\"item\",\"label\":@\"ALPHA\"}]}",
     VS_EDUPLICATE, "ALPHA"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"label\":@\"\"}]}",
     VS_EINVAL, "label"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\"},\n"
     "  {\"key\":\"b\",\"level\":\"item\",\"aliases\":[\"x\", @\"a\"]}]}",
     VS_EDUPLICATE, "alias"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"aliases\":[@\"\"]}]}",
     VS_EINVAL, "alias"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"aliases\":@\"x\"}]}",
     VS_EPARSE, "aliases"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"aliases\":[\"x\",@1]}]}",
     VS_EPARSE, "alias"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":@\"itme\"}]}",
     VS_ENOTFOUND, "itme"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":@0}]}",
     VS_EPARSE, "level"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"description\":@5}]}",
     VS_EPARSE, "description"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"angle\":@\"10\"}]}",
     VS_EPARSE, "angle"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"angle\":@true}]}",
     VS_EPARSE, "angle"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":@\"a\\u0000b\",\"level\":\"item\"}]}",
     VS_EPARSE, "U+0000"},
    /* parents */
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parent\":@\"zz\"},{\"key\":\"t\",\"level\":\"type\"}]}",
     VS_ENOTFOUND, "zz"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parent\":@null},{\"key\":\"t\",\"level\":\"type\"}]}",
     VS_EPARSE, "parent"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\"},{\"key\":\"t\",\"level\":\"type\",\"parent\":@\"t\"}]}",
     VS_ECYCLE, "top level"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parents\":{@\"nolevel\":\"t\"}},"
     "{\"key\":\"t\",\"level\":\"type\"}]}",
     VS_ENOTFOUND, "nolevel"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parents\":{@\"item\":\"b\"}},"
     "{\"key\":\"b\",\"level\":\"item\"}]}",
     VS_ECYCLE, "not above"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\"},"
     "{\"key\":\"t\",\"level\":\"type\",\"parents\":{@\"item\":\"a\"}}]}",
     VS_ECYCLE, "not above"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parent\":\"t\",\"parents\":{\"type\":@\"t\"}},"
     "{\"key\":\"t\",\"level\":\"type\"}]}",
     VS_EDUPLICATE, "already has parent"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parents\":@[\"t\"]},{\"key\":\"t\",\"level\":\"type\"}]}",
     VS_EPARSE, "parents"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
     "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parents\":{\"type\":@1}},{\"key\":\"t\",\"level\":\"type\"}]}",
     VS_EPARSE, "parent"},
    /* JSON itself */
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",\"label\":\"x@\xff\"}]}",
     VS_EUTF8, "UTF-8"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\",@\"key\":\"b\"}]}",
     VS_EDUPLICATE, "key"},
    {"{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
     "  {\"key\":\"a\",\"level\":\"item\"}]}\n@x",
     VS_EPARSE, NULL},
};

/* Removes the '@' marker; returns its line and column (1-based, bytes). */
static char *unmark(const char *marked, unsigned *line, unsigned *col) {
    const char *at = strchr(marked, '@');
    ck_assert_ptr_nonnull(at);
    *line = 1;
    const char *ls = marked;
    for (const char *p = marked; p < at; p++)
        if (*p == '\n') (*line)++, ls = p + 1;
    *col = (unsigned)(at - ls) + 1;
    size_t n = strlen(marked);
    char *doc = malloc(n);
    memcpy(doc, marked, (size_t)(at - marked));
    memcpy(doc + (at - marked), at + 1, n - (size_t)(at - marked));
    return doc;
}

static void check_bad(const char *marked, int status, const char *mention) {
    unsigned line, col;
    char *doc = unmark(marked, &line, &col);
    vs_space *s = (vs_space *)1;
    int rc = vs_space_load_json(&s, doc, strlen(doc), "bad.json");
    ck_assert_msg(rc == status, "%s\nreturned %s, expected %s: %s", doc, vs_status_name(rc), vs_status_name(status),
                  vs_last_error());
    ck_assert_ptr_null(s);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "bad.json:%u:%u: ", line, col);
    ck_assert_msg(strncmp(vs_last_error(), prefix, strlen(prefix)) == 0, "%s\nmessage '%s' should start with '%s'",
                  doc, vs_last_error(), prefix);
    if (mention)
        ck_assert_msg(strstr(vs_last_error(), mention), "%s\nmessage '%s' should mention '%s'", doc, vs_last_error(),
                      mention);
    free(doc);
}

START_TEST(test_bad_documents) {
    for (size_t i = 0; i < COUNT(bad_cases); i++) check_bad(bad_cases[i].json, bad_cases[i].status, bad_cases[i].mention);
}
END_TEST

START_TEST(test_bad_parent_location) {
    /* "t" (type, the top level) names a parent at its own level: the level name is at fault. */
    check_bad("{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\",\"type\"],\n"
              "\"dimensions\":[{\"key\":\"a\",\"level\":\"item\",\"parents\":{\"type\":\"t\"}},\n"
              "{\"key\":\"t\",\"level\":\"type\",\"parents\":{@\"type\":\"t\"}},{\"key\":\"u\",\"level\":\"type\"}]}",
              VS_ECYCLE, "'type'");
}
END_TEST

/* Nesting deeper than the limit is refused at the first container too deep. */
START_TEST(test_bad_nesting) {
    char doc[512] = "{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":";
    /* The root object is the first container, the "dimensions" array the second, ...; the
     * 17th is too deep. */
    for (int i = 2; i <= 16; i++) strcat(doc, "[");
    strcat(doc, "@");
    for (int i = 0; i < 20; i++) strcat(doc, "[");
    for (int i = 0; i < 15 + 20; i++) strcat(doc, "]");
    strcat(doc, "}");
    check_bad(doc, VS_ELIMIT, NULL);
}
END_TEST

START_TEST(test_document_size_limit) {
    size_t n = ((size_t)64 << 20) + 1;
    char *doc = malloc(n);
    memset(doc, ' ', n);
    vs_space *s = (vs_space *)1;
    ck_assert_status(vs_space_load_json(&s, doc, n, "huge.json"), VS_ELIMIT);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(vs_last_error(), "huge.json"), "%s", vs_last_error());
    free(doc);
    /* Texts above the builder's limits are refused with the location. */
    char *big = malloc(VS_SPACE_MAX_TEXT_BYTES + 200);
    strcpy(big, "{\"schema\":\"valuespace/space\",\"version\":1,\"name\":\"t\",\"levels\":[\"item\"],\"dimensions\":[\n"
                " {\"key\":\"a\",\"level\":\"item\",\"description\":\"");
    size_t len = strlen(big);
    memset(big + len, 'd', VS_SPACE_MAX_TEXT_BYTES + 1);
    strcpy(big + len + VS_SPACE_MAX_TEXT_BYTES + 1, "\"}]}");
    ck_assert_status(vs_space_load_json(&s, big, strlen(big), "big.json"), VS_ELIMIT);
    /* At the description's value, on line 2. */
    const char *line2 = strchr(big, '\n') + 1;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "big.json:2:%zu: ",
             (size_t)(strstr(line2, "\"description\":") - line2) + strlen("\"description\":") + 1);
    ck_assert_msg(strncmp(vs_last_error(), prefix, strlen(prefix)) == 0, "'%.200s' should start with '%s'",
                  vs_last_error(), prefix);
    free(big);
}
END_TEST

START_TEST(test_load_json_arguments) {
    vs_space *s = (vs_space *)1;
    ck_assert_status(vs_space_load_json(NULL, "{}", 2, NULL), VS_EINVAL);
    ck_assert_status(vs_space_load_json(&s, NULL, 2, NULL), VS_EINVAL);
    ck_assert_ptr_null(s);
    /* NULL source name gives "<json>". */
    ck_assert_status(vs_space_load_json(&s, "[]", 2, NULL), VS_EPARSE);
    ck_assert_msg(strncmp(vs_last_error(), "<json>:1:1: ", 12) == 0, "%s", vs_last_error());
    /* The length is honoured: the document ends before the junk. */
    vs_space *a = builtin("mfq2");
    char *t = save(a);
    size_t n = strlen(t);
    char *junk = malloc(n + 8);
    memcpy(junk, t, n);
    memcpy(junk + n, "garbage", 8);
    ck_assert_ok(vs_space_load_json(&s, junk, n, "junk.json"));
    assert_equal_spaces(a, s);
    vs_space_free(s);
    free(junk);
    vs_free(t);
    char *out = (char *)1;
    ck_assert_status(vs_space_save_json(&out, NULL), VS_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_status(vs_space_save_json(NULL, a), VS_EINVAL);
    ck_assert_status(vs_space_save_file(NULL, "/tmp/x.json"), VS_EINVAL);
    ck_assert_status(vs_space_save_file(a, NULL), VS_EINVAL);
    vs_space_free(a);
}
END_TEST

/* ------------------------------------------------------------------ files */

START_TEST(test_files) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_load_file(&s, DATA "good_minimal.json"));
    ck_assert_str_eq(vs_space_name(s), "minimal");
    ck_assert_uint_eq(vs_space_level_count(s), 2);
    ck_assert_uint_eq(vs_space_dimension_count(s), 5);
    size_t i;
    ck_assert_ok(vs_space_find(&i, s, 0, "Kindness"));
    ck_assert_str_eq(vs_space_key(s, vs_space_parent(s, i, 1)), "social");
    ck_assert(vs_space_angle(s, i) == 90.0);

    /* save_file -> load_file round trip in a temporary directory. */
    char dir[] = "/tmp/vs_space_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/saved.json", dir);
    ck_assert_ok(vs_space_save_file(s, path));
    vs_space *t = NULL;
    ck_assert_ok(vs_space_load_file(&t, path));
    assert_equal_spaces(s, t);
    vs_space_free(t);
    remove(path);
    rmdir(dir);
    snprintf(path, sizeof path, "%s/no/such/dir/x.json", dir);
    ck_assert_status(vs_space_save_file(s, path), VS_EIO);
    vs_space_free(s);

    s = (vs_space *)1;
    ck_assert_status(vs_space_load_file(&s, DATA "does_not_exist.json"), VS_ENOTFOUND);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(vs_last_error(), "does_not_exist.json"), "%s", vs_last_error());
    ck_assert_status(vs_space_load_file(&s, NULL), VS_EINVAL);
    ck_assert_status(vs_space_load_file(NULL, DATA "good_minimal.json"), VS_EINVAL);

    /* Bad files: status and "path:line:column: " of the offending value. */
    static const struct {
        const char *file;
        int status;
        unsigned line, col;
    } bad[] = {
        {"bad_version.json", VS_EVERSION, 3, 14},
        {"bad_unknown_field.json", VS_EPARSE, 9, 7},
        {"bad_cycle.json", VS_ECYCLE, 8, 72},
        {"bad_duplicate_alias.json", VS_EDUPLICATE, 8, 48},
        {"bad_unknown_parent.json", VS_ENOTFOUND, 7, 59},
        {"bad_syntax.json", VS_EPARSE, 5, 3},
    };
    for (size_t k = 0; k < COUNT(bad); k++) {
        char file[512], prefix[600];
        snprintf(file, sizeof file, DATA "%s", bad[k].file);
        s = (vs_space *)1;
        int rc = vs_space_load_file(&s, file);
        ck_assert_msg(rc == bad[k].status, "%s: %s, expected %s: %s", bad[k].file, vs_status_name(rc),
                      vs_status_name(bad[k].status), vs_last_error());
        ck_assert_ptr_null(s);
        snprintf(prefix, sizeof prefix, "%s:%u:%u: ", file, bad[k].line, bad[k].col);
        ck_assert_msg(strncmp(vs_last_error(), prefix, strlen(prefix)) == 0, "'%s' should start with '%s'",
                      vs_last_error(), prefix);
    }
}
END_TEST

/* ------------------------------------------------------------------ allocation failures */

typedef struct load_flow {
    const char *text;
    vs_space *s;
} load_flow;

static int run_load(void *p) {
    load_flow *f = p;
    f->s = (vs_space *)1;
    return vs_space_load_json(&f->s, f->text, strlen(f->text), "fulcra.json");
}

static void after_load(void *p, int failed) {
    load_flow *f = p;
    if (failed) {
        ck_assert_ptr_null(f->s);
        return;
    }
    ck_assert_uint_eq(vs_space_dimension_count(f->s), 87);
    vs_space_free(f->s);
}

START_TEST(test_alloc_failures_load) {
    vs_space *a = builtin("fulcra");
    char *text = save(a);
    vs_space_free(a);
    load_flow f = {text, NULL};
    vs_test_sweep sw = {"vs_space_load_json", NULL, run_load, after_load, &f};
    vs_test_alloc_sweep(&sw);
    vs_free(text);
}
END_TEST

START_TEST(test_alloc_failures_save) {
    for (long n = 1;; n++) {
        vs_test_alloc_install();
        vs_space *s = builtin("fulcra");
        vs_test_alloc_fail_at(n);
        char *text = (char *)1;
        int rc = vs_space_save_json(&text, s);
        int failed = vs_test_alloc_failed();
        vs_test_alloc_fail_at(0);
        vs_space_free(s);
        if (!failed) {
            ck_assert_ok(rc);
            ck_assert_ptr_nonnull(text);
            vs_free(text);
            ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
            vs_test_alloc_uninstall();
            break;
        }
        ck_assert_msg(rc == VS_ENOMEM, "allocation %ld: %s: %s", n, vs_status_name(rc), vs_last_error());
        ck_assert_ptr_null(text);
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        vs_test_alloc_uninstall();
    }
}
END_TEST

static Suite *space_json_suite(void) {
    Suite *s = suite_create("space_json");
    TCase *tc = tcase_create("round_trip");
    tcase_add_test(tc, test_round_trip_builtins);
    tcase_add_test(tc, test_round_trip_explicit_parents);
    tcase_add_test(tc, test_round_trip_custom);
    tcase_add_test(tc, test_load_handwritten);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_bad_documents);
    tcase_add_test(tc, test_bad_parent_location);
    tcase_add_test(tc, test_bad_nesting);
    tcase_add_test(tc, test_document_size_limit);
    tcase_add_test(tc, test_load_json_arguments);
    tcase_add_test(tc, test_files);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    tc = tcase_create("alloc");
    tcase_add_test(tc, test_alloc_failures_load);
    tcase_add_test(tc, test_alloc_failures_save);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(space_json_suite()); }
