/* JSON reader and writer: positions, escapes, UTF-8, limits, duplicate keys, numbers,
 * error messages, writer layout, round trips, allocation failures. */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/internal.h"
#include "io/json.h"
#include "testutil.h"

/* ------------------------------------------------------------------ helpers */

static vs_json *parse_ok_len(const char *s, size_t len) {
    vs_json *v = NULL;
    ck_assert_ok(vs__json_parse(&v, s, len, NULL, 0));
    ck_assert_ptr_nonnull(v);
    return v;
}

static vs_json *parse_ok(const char *s) { return parse_ok_len(s, strlen(s)); }

/* Parses with source "t.json" and the given limit; expects `status` and a message that
 * contains `msg`. */
static void reject_len_depth(const char *s, size_t len, size_t max_depth, int status, const char *msg) {
    vs_json *v = (vs_json *)1;
    int rc = vs__json_parse(&v, s, len, "t.json", max_depth);
    ck_assert_msg(rc == status, "parsing \"%s\": got %s, expected %s (%s)", s, vs_status_name(rc),
                  vs_status_name(status), vs_last_error());
    ck_assert_ptr_null(v);
    ck_assert_msg(strstr(vs_last_error(), msg) != NULL, "message \"%s\" lacks \"%s\"", vs_last_error(), msg);
}

static void reject_len(const char *s, size_t len, int status, const char *msg) {
    reject_len_depth(s, len, 0, status, msg);
}

static void reject(const char *s, int status, const char *msg) { reject_len(s, strlen(s), status, msg); }

static void assert_pos(const vs_json *v, unsigned line, unsigned col) {
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(v->line, line);
    ck_assert_uint_eq(v->column, col);
}

static void assert_key(const vs_json_member *m, const char *key, unsigned line, unsigned col) {
    ck_assert_uint_eq(m->key_len, strlen(key));
    ck_assert_str_eq(m->key, key);
    ck_assert_uint_eq(m->line, line);
    ck_assert_uint_eq(m->column, col);
}

/* Writes a DOM through the streaming writer (test-side, recursive). */
static void write_dom(vs_json_writer *w, const vs_json *v) {
    switch (v->type) {
    case VS_JSON_NULL:
        vs__jw_null(w);
        break;
    case VS_JSON_FALSE:
        vs__jw_bool(w, 0);
        break;
    case VS_JSON_TRUE:
        vs__jw_bool(w, 1);
        break;
    case VS_JSON_NUMBER:
        vs__jw_number(w, v->u.number);
        break;
    case VS_JSON_STRING:
        vs__jw_string_len(w, v->u.string.ptr, v->u.string.len);
        break;
    case VS_JSON_ARRAY:
        vs__jw_begin_array(w);
        for (size_t i = 0; i < v->u.array.count; i++) write_dom(w, v->u.array.items[i]);
        vs__jw_end_array(w);
        break;
    case VS_JSON_OBJECT:
        vs__jw_begin_object(w);
        for (size_t i = 0; i < v->u.object.count; i++) {
            vs__jw_key_len(w, v->u.object.members[i].key, v->u.object.members[i].key_len);
            write_dom(w, v->u.object.members[i].value);
        }
        vs__jw_end_object(w);
        break;
    }
}

static char *dom_to_text(const vs_json *v, int pretty) {
    vs_json_writer w;
    vs__jw_init(&w, pretty);
    write_dom(&w, v);
    char *out = NULL;
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_ptr_nonnull(out);
    return out;
}

/* A document with every kind of value, nesting, escapes, non-ASCII text and awkward numbers. */
static const char complex_doc[] =
    "\xEF\xBB\xBF{\n"
    "  \"schema\": \"valuespace/space\", \"version\": 1,\n"
    "  \"dimensions\": [\n"
    "    {\"key\": \"self_direction\", \"label\": \"Self-Direction\", \"angle\": 0.3141592653589793,\n"
    "     \"aliases\": [\"autonomy\", \"independence\", \"\\u00e9l\\u00e8ve\", \"\\ud83d\\ude00\"]},\n"
    "    {\"key\": \"power\", \"label\": \"Power \xE2\x80\x94 dominance\", \"angle\": -2.0e-3, \"items\": []},\n"
    "    {\"key\": \"tab\\there\", \"label\": \"quote \\\" backslash \\\\ slash \\/ nul \\u0000 end\",\n"
    "     \"angle\": 1E+2, \"weights\": [0, -0, 1e-300, 1.7976931348623157e308, 5e-324, 123456789012]}\n"
    "  ],\n"
    "  \"flags\": {\"frozen\": true, \"draft\": false, \"parent\": null, \"empty\": {}, \"nested\": [[[[]]]]},\n"
    "  \"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5, \"f\": 6, \"g\": 7, \"h\": 8, \"i\": 9,\n"
    "  \"nul\\u0000key\": \"v\", \"j\": 10, \"k\": 11, \"l\": 12, \"m\": 13, \"n\": 14, \"o\": 15, \"p\": 16, \"q\": 17\n"
    "}\n";

/* ------------------------------------------------------------------ positions */

START_TEST(positions_of_values_and_keys) {
    const char *doc = "{\n"
                      "  \"name\": \"x\",\n"
                      "  \"list\": [1, {\"k\": true}],\n"
                      "  \"nested\": {\n"
                      "    \"deep\": [null]\n"
                      "  }\n"
                      "}\n";
    vs_json *v = parse_ok(doc);
    ck_assert_int_eq(v->type, VS_JSON_OBJECT);
    assert_pos(v, 1, 1);
    ck_assert_uint_eq(v->u.object.count, 3);
    const vs_json_member *m = v->u.object.members;
    assert_key(&m[0], "name", 2, 3);
    assert_pos(m[0].value, 2, 11);
    ck_assert_str_eq(m[0].value->u.string.ptr, "x");
    assert_key(&m[1], "list", 3, 3);
    const vs_json *list = m[1].value;
    assert_pos(list, 3, 11);
    ck_assert_int_eq(list->type, VS_JSON_ARRAY);
    ck_assert_uint_eq(list->u.array.count, 2);
    assert_pos(list->u.array.items[0], 3, 12);
    ck_assert_int_eq(list->u.array.items[0]->type, VS_JSON_NUMBER);
    ck_assert(list->u.array.items[0]->u.number == 1.0);
    const vs_json *inner = list->u.array.items[1];
    assert_pos(inner, 3, 15);
    assert_key(&inner->u.object.members[0], "k", 3, 16);
    assert_pos(inner->u.object.members[0].value, 3, 21);
    ck_assert_int_eq(inner->u.object.members[0].value->type, VS_JSON_TRUE);
    assert_key(&m[2], "nested", 4, 3);
    assert_pos(m[2].value, 4, 13);
    const vs_json_member *deep = &m[2].value->u.object.members[0];
    assert_key(deep, "deep", 5, 5);
    assert_pos(deep->value, 5, 13);
    assert_pos(deep->value->u.array.items[0], 5, 14);
    ck_assert_int_eq(deep->value->u.array.items[0]->type, VS_JSON_NULL);
    vs__json_free(v);

    /* CR LF line ends, tabs count as one byte, a BOM is not part of line 1. */
    v = parse_ok("[\r\n\t1,\r\n  \"s\"]");
    assert_pos(v, 1, 1);
    assert_pos(v->u.array.items[0], 2, 2);
    assert_pos(v->u.array.items[1], 3, 3);
    vs__json_free(v);
    v = parse_ok("\xEF\xBB\xBF[7]");
    assert_pos(v, 1, 1);
    assert_pos(v->u.array.items[0], 1, 2);
    vs__json_free(v);
    reject("\xEF\xBB\xBF[1", VS_EPARSE, "t.json:1:3: expected ',' or ']' after an array element");

    /* Multi-byte characters count their bytes. */
    v = parse_ok("[\"\xC3\xA9\xE2\x82\xAC\", 2]");
    assert_pos(v->u.array.items[1], 1, 11);
    vs__json_free(v);
}
END_TEST

START_TEST(scalars_at_top_level) {
    vs_json *v = parse_ok("  \"x\"  ");
    ck_assert_int_eq(v->type, VS_JSON_STRING);
    assert_pos(v, 1, 3);
    vs__json_free(v);
    v = parse_ok("true");
    ck_assert_int_eq(v->type, VS_JSON_TRUE);
    vs__json_free(v);
    v = parse_ok("false");
    ck_assert_int_eq(v->type, VS_JSON_FALSE);
    vs__json_free(v);
    v = parse_ok("\n null");
    ck_assert_int_eq(v->type, VS_JSON_NULL);
    assert_pos(v, 2, 2);
    vs__json_free(v);
    v = parse_ok("42");
    ck_assert(v->u.number == 42.0);
    vs__json_free(v);
    v = parse_ok("[]");
    ck_assert_int_eq(v->type, VS_JSON_ARRAY);
    ck_assert_uint_eq(v->u.array.count, 0);
    vs__json_free(v);
    v = parse_ok("{ }");
    ck_assert_int_eq(v->type, VS_JSON_OBJECT);
    ck_assert_uint_eq(v->u.object.count, 0);
    vs__json_free(v);
}
END_TEST

/* ------------------------------------------------------------------ strings */

START_TEST(string_escapes) {
    const char *doc = "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u0041\\u00e9\\u20AC\\u0000z\"";
    static const char expected[] = "a\"b\\c/d\be\ff\ng\rh\tiA\xC3\xA9"
                                   "\xE2\x82\xAC"
                                   "\0z";
    vs_json *v = parse_ok(doc);
    ck_assert_int_eq(v->type, VS_JSON_STRING);
    ck_assert_uint_eq(v->u.string.len, 25);
    ck_assert_uint_eq(sizeof expected - 1, 25);
    ck_assert_int_eq(memcmp(v->u.string.ptr, expected, 25), 0);
    ck_assert_int_eq(v->u.string.ptr[25], '\0');
    vs__json_free(v);

    v = parse_ok("\"\"");
    ck_assert_uint_eq(v->u.string.len, 0);
    ck_assert_str_eq(v->u.string.ptr, "");
    vs__json_free(v);

    /* Raw non-ASCII and DEL pass through unchanged. */
    v = parse_ok("\"\xC3\xA9\x7F\xF0\x9F\x98\x80\"");
    ck_assert_str_eq(v->u.string.ptr, "\xC3\xA9\x7F\xF0\x9F\x98\x80");
    vs__json_free(v);

    reject("[\"\\x\"]", VS_EPARSE, "t.json:1:3: invalid escape '\\x' in a string");
    reject("\"\\u12G4\"", VS_EPARSE, "t.json:1:2: invalid \\u escape");
    reject("\"\\u12\"", VS_EPARSE, "t.json:1:2: invalid \\u escape");
    reject("\"\\u", VS_EPARSE, "t.json:1:2: invalid \\u escape");
    reject("\"a\tb\"", VS_EPARSE, "t.json:1:3: control character U+0009 in a string");
    reject("[\n \"a\nb\"]", VS_EPARSE, "t.json:2:4: control character U+000A in a string");
    reject_len("\"a\0b\"", 5, VS_EPARSE, "t.json:1:3: control character U+0000 in a string");
    reject("  \"abc", VS_EPARSE, "t.json:1:3: unterminated string");
    reject("\"abc\\", VS_EPARSE, "t.json:1:1: unterminated string");
    reject("\"abc\\\"", VS_EPARSE, "t.json:1:1: unterminated string");
}
END_TEST

START_TEST(surrogate_pairs) {
    vs_json *v = parse_ok("\"\\ud83d\\ude00\"");
    ck_assert_uint_eq(v->u.string.len, 4);
    ck_assert_int_eq(memcmp(v->u.string.ptr, "\xF0\x9F\x98\x80", 4), 0);
    vs__json_free(v);
    v = parse_ok("\"x\\uD800\\uDC00\\uDBFF\\uDFFF\"");
    ck_assert_uint_eq(v->u.string.len, 9);
    ck_assert_int_eq(memcmp(v->u.string.ptr, "x\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 9), 0);
    vs__json_free(v);
    /* The largest BMP code points next to the surrogate block are ordinary. */
    v = parse_ok("\"\\ud7ff\\ue000\"");
    ck_assert_int_eq(memcmp(v->u.string.ptr, "\xED\x9F\xBF\xEE\x80\x80", 6), 0);
    vs__json_free(v);

    reject("\"\\ud83d\"", VS_EPARSE, "t.json:1:2: lone surrogate \\uD83D");
    reject("\"ab\\ude00\"", VS_EPARSE, "t.json:1:4: lone surrogate \\uDE00");
    reject("\"\\ud83dx\"", VS_EPARSE, "t.json:1:2: lone surrogate");
    reject("\"\\ud83d\\u0041\"", VS_EPARSE, "t.json:1:2: lone surrogate");
    reject("\"\\ud83d\\ud83d\"", VS_EPARSE, "t.json:1:2: lone surrogate");
    reject("\"\\ud83d\\u", VS_EPARSE, "t.json:1:2: lone surrogate");
    reject("\"\\ud83d", VS_EPARSE, "t.json:1:2: lone surrogate");
    reject("{\"\\udc00\": 1}", VS_EPARSE, "t.json:1:3: lone surrogate");
}
END_TEST

START_TEST(invalid_utf8) {
    reject("[\"\xC0\xAF\"]", VS_EUTF8, "t.json:1:3: invalid UTF-8");         /* overlong '/' */
    reject("[\"\xE0\x80\xAF\"]", VS_EUTF8, "t.json:1:3: invalid UTF-8");     /* overlong, 3 bytes */
    reject("[\"\xF0\x80\x80\xAF\"]", VS_EUTF8, "t.json:1:3: invalid UTF-8"); /* overlong, 4 bytes */
    reject("[\"\xE2\x82\"]", VS_EUTF8, "t.json:1:3: invalid UTF-8");         /* truncated */
    reject("\"\xE2\x82", VS_EUTF8, "t.json:1:2: invalid UTF-8");             /* truncated at the end */
    reject("\"\xED\xA0\x80\"", VS_EUTF8, "t.json:1:2: invalid UTF-8");       /* CESU surrogate */
    reject("\"\xED\xBF\xBF\"", VS_EUTF8, "t.json:1:2: invalid UTF-8");
    reject("\"\xF4\x90\x80\x80\"", VS_EUTF8, "t.json:1:2: invalid UTF-8"); /* above U+10FFFF */
    reject("\"\xF5\x80\x80\x80\"", VS_EUTF8, "t.json:1:2: invalid UTF-8");
    reject("\"\x80\"", VS_EUTF8, "t.json:1:2: invalid UTF-8"); /* stray continuation */
    reject("\"\xC3\"", VS_EUTF8, "t.json:1:2: invalid UTF-8");
    reject("[1,\n  \xFF]", VS_EUTF8, "t.json:2:3: invalid UTF-8"); /* outside a string too */
    reject("{\"k\xC0\x80\": 1}", VS_EUTF8, "t.json:1:4: invalid UTF-8");
    /* The whole input is checked first: bad bytes after a syntax error still win. */
    reject("[} \xFF", VS_EUTF8, "t.json:1:4: invalid UTF-8");
    /* A valid non-ASCII character outside a string is a syntax error. */
    reject("[\xC3\xA9]", VS_EPARSE, "t.json:1:2: expected a value");
}
END_TEST

/* ------------------------------------------------------------------ limits */

static char *nested(size_t n, char open, char close, const char *inner) {
    size_t k = strlen(inner);
    char *s = malloc(2 * n + k + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, open, n);
    memcpy(s + n, inner, k);
    memset(s + n + k, close, n);
    s[2 * n + k] = '\0';
    return s;
}

START_TEST(depth_limit) {
    char *s = nested(64, '[', ']', "1");
    vs_json *v = parse_ok(s);
    const vs_json *x = v;
    for (int i = 0; i < 64; i++) {
        ck_assert_int_eq(x->type, VS_JSON_ARRAY);
        assert_pos(x, 1, (unsigned)i + 1);
        x = x->u.array.items[0];
    }
    ck_assert(x->u.number == 1.0);
    assert_pos(x, 1, 65);
    vs__json_free(v);
    free(s);

    s = nested(65, '[', ']', "1");
    reject(s, VS_ELIMIT, "t.json:1:65: nesting deeper than 64 levels");
    /* A larger limit than the hard limit is clamped to it. */
    reject_len_depth(s, strlen(s), 1000, VS_ELIMIT, "t.json:1:65: nesting deeper than 64 levels");
    free(s);

    reject_len_depth("[[[[1]]]]", 9, 3, VS_ELIMIT, "t.json:1:4: nesting deeper than 3 levels");
    v = NULL;
    ck_assert_ok(vs__json_parse(&v, "[[[1]]]", 7, NULL, 3));
    vs__json_free(v);
    reject_len_depth("{\"a\":{\"b\":{}}}", 14, 2, VS_ELIMIT, "t.json:1:11: nesting deeper than 2 levels");
    reject_len_depth("[[1]]", 5, 1, VS_ELIMIT, "t.json:1:2: nesting deeper than 1 levels");
    ck_assert_ok(vs__json_parse(&v, "[1]", 3, NULL, 1));
    vs__json_free(v);
    ck_assert_ok(vs__json_parse(&v, "{\"a\":{}}", 8, NULL, 2));
    vs__json_free(v);

    /* Very deep input is rejected quickly and safely. */
    s = nested(200000, '[', ']', "");
    reject(s, VS_ELIMIT, "t.json:1:65: nesting deeper than 64 levels");
    free(s);
    s = nested(64, '{', '}', "");
    reject(s, VS_EPARSE, "t.json:1:2: expected a string key");
    free(s);
}
END_TEST

/* ------------------------------------------------------------------ duplicates */

START_TEST(duplicate_keys) {
    reject("{\"a\": 1,\n \"b\": 2,\n \"a\": 3}", VS_EDUPLICATE,
         "t.json:3:2: duplicate key \"a\" (first defined at 1:2)");
    reject("{\"x\":1,\"y\":2,\"y\":3,\"x\":4}", VS_EDUPLICATE,
         "t.json:1:14: duplicate key \"y\" (first defined at 1:8)");
    reject("[{\"o\": {\"a\": 1, \"a\": 1}}]", VS_EDUPLICATE, "t.json:1:17: duplicate key \"a\" (first defined at 1:9)");
    /* Keys that differ only after an embedded NUL, or in length, are different. */
    vs_json *v = parse_ok("{\"a\\u0000b\": 1, \"a\\u0000c\": 2, \"a\": 3, \"ab\": 4, \"\": 5}");
    ck_assert_uint_eq(v->u.object.count, 5);
    ck_assert_uint_eq(v->u.object.members[0].key_len, 3);
    vs__json_free(v);
    reject("{\"a\\u0000b\": 1, \"a\\u0000b\": 2}", VS_EDUPLICATE, "duplicate key \"a\\u0000b\" (first defined at 1:2)");
    /* Escaped and raw spellings of one key are the same key. */
    reject("{\"\\u00e9\": 1, \"\xC3\xA9\": 2}", VS_EDUPLICATE, "t.json:1:15: duplicate key \"\xC3\xA9\"");
    /* The same key in different objects is fine. */
    v = parse_ok("{\"a\": {\"a\": 1}, \"b\": [{\"a\": 2}, {\"a\": 3}]}");
    vs__json_free(v);
}
END_TEST

/* A large object, one member per line: key i sits at line i + 2, column 1. */
static char *big_object(int n, const char *extra) {
    size_t cap = (size_t)n * 32 + strlen(extra) + 16, len = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    len += (size_t)snprintf(s + len, cap - len, "{\n");
    for (int i = 0; i < n; i++) len += (size_t)snprintf(s + len, cap - len, "\"k%d\": %d,\n", i, i);
    snprintf(s + len, cap - len, "%s}", extra);
    return s;
}

START_TEST(duplicate_keys_in_large_objects) {
    char *s = big_object(1000, "\"end\": true\n");
    vs_json *v = parse_ok(s);
    ck_assert_uint_eq(v->u.object.count, 1001);
    for (int i = 0; i < 1000; i += 111) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        ck_assert_str_eq(v->u.object.members[i].key, key);
        ck_assert(vs__json_get(v, key)->u.number == (double)i);
        ck_assert_uint_eq(v->u.object.members[i].line, (unsigned)i + 2);
    }
    ck_assert_int_eq(vs__json_get(v, "end")->type, VS_JSON_TRUE);
    vs__json_free(v);
    free(s);

    s = big_object(1000, "\"k500\": 0\n");
    reject(s, VS_EDUPLICATE, "t.json:1002:1: duplicate key \"k500\" (first defined at 502:1)");
    free(s);
    /* Two repeated keys: the earlier repeat (in document order) is reported. */
    s = big_object(100, "\"k50\": 0,\n\"k10\": 0\n");
    reject(s, VS_EDUPLICATE, "t.json:102:1: duplicate key \"k50\" (first defined at 52:1)");
    free(s);
    s = big_object(100, "\"k99\": 0,\n\"k0\": 0\n");
    reject(s, VS_EDUPLICATE, "t.json:102:1: duplicate key \"k99\" (first defined at 101:1)");
    free(s);
    /* A key repeated three times: the second occurrence against the first. */
    s = big_object(20, "\"k3\": 0,\n\"k3\": 1\n");
    reject(s, VS_EDUPLICATE, "t.json:22:1: duplicate key \"k3\" (first defined at 5:1)");
    free(s);
}
END_TEST

/* ------------------------------------------------------------------ numbers */

static double num(const char *s) {
    vs_json *v = parse_ok(s);
    ck_assert_int_eq(v->type, VS_JSON_NUMBER);
    double x = v->u.number;
    vs__json_free(v);
    return x;
}

START_TEST(numbers) {
    double z = num("-0");
    ck_assert(z == 0.0 && signbit(z));
    z = num("0");
    ck_assert(z == 0.0 && !signbit(z));
    z = num("-0.0e5");
    ck_assert(z == 0.0 && signbit(z));
    ck_assert(num("1e308") == 1e308);
    ck_assert(num("0.1") == 0.1);
    ck_assert(num("-12.5E1") == -125.0);
    ck_assert(num("2.5e+3") == 2500.0);
    ck_assert(num("1E-2") == 0.01);
    ck_assert(num("0e0") == 0.0);
    ck_assert(num("123456789012345678901234567890") == 123456789012345678901234567890.0);
    ck_assert(num("1.7976931348623157e308") == 1.7976931348623157e308);
    ck_assert(num("4.9406564584124654e-324") == 4.9406564584124654e-324);
    ck_assert(num("1e-400") == 0.0); /* underflow to zero is not an error */

    reject("1e309", VS_EPARSE, "t.json:1:1: number 1e309 is outside the range of a double");
    reject("[0, -1e309]", VS_EPARSE, "t.json:1:5: number -1e309 is outside the range of a double");
    reject("1.8e308", VS_EPARSE, "t.json:1:1: number 1.8e308 is outside the range");
    reject("01", VS_EPARSE, "t.json:1:1: invalid number: leading zeros are not allowed");
    reject("[-007]", VS_EPARSE, "t.json:1:2: invalid number: leading zeros are not allowed");
    reject("-", VS_EPARSE, "t.json:1:2: invalid number: expected a digit");
    reject("[-]", VS_EPARSE, "t.json:1:3: invalid number: expected a digit");
    reject("1.", VS_EPARSE, "t.json:1:3: invalid number: expected a digit after the decimal point");
    reject("1.e5", VS_EPARSE, "t.json:1:3: invalid number: expected a digit after the decimal point");
    reject(".5", VS_EPARSE, "t.json:1:1: expected a value, found '.'");
    reject("+1", VS_EPARSE, "t.json:1:1: expected a value, found '+'");
    reject("1e", VS_EPARSE, "t.json:1:3: invalid number: expected a digit in the exponent");
    reject("1e+", VS_EPARSE, "t.json:1:4: invalid number: expected a digit in the exponent");
    reject("NaN", VS_EPARSE, "t.json:1:1: expected a value, found 'N'");
    reject("Infinity", VS_EPARSE, "t.json:1:1: expected a value, found 'I'");
    reject("-Infinity", VS_EPARSE, "t.json:1:2: invalid number: expected a digit");
    reject("0x10", VS_EPARSE, "t.json:1:2: unexpected data after the JSON value");
    reject("[1x]", VS_EPARSE, "t.json:1:3: expected ',' or ']' after an array element");
}
END_TEST

static char *repeat(const char *head, char c, size_t n, const char *tail) {
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, head, h);
    memset(s + h, c, n);
    memcpy(s + h + n, tail, t + 1);
    return s;
}

START_TEST(long_numbers) {
    /* Longer than the direct conversion buffer: still read correctly. */
    char *s = repeat("1", '0', 150, ".5");
    ck_assert(num(s) == 1e150);
    free(s);
    s = repeat("-0.", '0', 299, "1");
    ck_assert(num(s) == -1e-300);
    free(s);
    s = repeat("0.1", '0', 300, "");
    ck_assert(num(s) == 0.1);
    free(s);
    s = repeat("1.", '0', 300, "1");
    ck_assert(num(s) == 1.0);
    free(s);
    s = repeat("0.", '0', 400, "e0");
    double z = num(s);
    ck_assert(z == 0.0 && !signbit(z));
    free(s);
    s = repeat("1e", '0', 150, "5");
    ck_assert(num(s) == 1e5);
    free(s);
    s = repeat("1e-", '9', 150, "");
    ck_assert(num(s) == 0.0);
    free(s);
    s = repeat("0.", '0', 150, "1e160");
    ck_assert(num(s) == 1e9);
    free(s);
    /* More significant digits than are kept exactly: pi to 200 places. */
    s = repeat("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899"
               "86280348253421170679821480865132823066470938446095505822317253594081284811174502"
               "841027019385211055596446229489549303819",
               '0', 0, "");
    ck_assert(num(s) == 3.141592653589793);
    free(s);
    /* 1 + 2^-53, the midpoint between 1 and the next double, rounds to even (1); anything
     * above it, however far down the digits, rounds up; anything below rounds down. */
    s = repeat("1.00000000000000011102230246251565404236316680908203125", '0', 100, "");
    ck_assert(num(s) == 1.0);
    free(s);
    s = repeat("1.00000000000000011102230246251565404236316680908203125", '0', 100, "1");
    ck_assert(num(s) == 1.0000000000000002);
    free(s);
    s = repeat("1.00000000000000011102230246251565404236316680908203124", '9', 100, "");
    ck_assert(num(s) == 1.0);
    free(s);
    /* The same with the digits before the decimal point (dropped integer digits). */
    s = repeat("-100000000000000011102230246251565404236316680908203125", '0', 100, "e-153");
    ck_assert(num(s) == -1.0);
    free(s);
    s = repeat("-100000000000000011102230246251565404236316680908203125", '0', 99, "1E-153");
    ck_assert(num(s) == -1.0000000000000002);
    free(s);
    s = repeat("1e", '9', 150, "");
    reject(s, VS_EPARSE, "is outside the range of a double");
    free(s);
}
END_TEST

/* ------------------------------------------------------------------ syntax errors */

START_TEST(syntax_errors) {
    reject("", VS_EPARSE, "t.json:1:1: empty document");
    reject(" \n  ", VS_EPARSE, "t.json:2:3: empty document");
    reject("\xEF\xBB\xBF", VS_EPARSE, "t.json:1:1: empty document");
    reject("{\"a\" 1}", VS_EPARSE, "t.json:1:6: expected ':' after an object key");
    reject("{\"a\":1 \"b\":2}", VS_EPARSE, "t.json:1:8: expected ',' or '}' after an object member");
    reject("{\"a\":1]", VS_EPARSE, "t.json:1:7: expected ',' or '}' after an object member");
    reject("[1 2]", VS_EPARSE, "t.json:1:4: expected ',' or ']' after an array element");
    reject("[1,]", VS_EPARSE, "t.json:1:4: expected a value, found ']'");
    reject("[,1]", VS_EPARSE, "t.json:1:2: expected a value, found ','");
    reject("{\"a\":1,}", VS_EPARSE, "t.json:1:8: expected a string key");
    reject("{1:2}", VS_EPARSE, "t.json:1:2: expected a string key or '}'");
    reject("{'a':2}", VS_EPARSE, "t.json:1:2: expected a string key or '}'");
    reject("[1", VS_EPARSE, "t.json:1:3: expected ',' or ']' after an array element");
    reject("{\"a\":", VS_EPARSE, "t.json:1:6: unexpected end of input (expected a value)");
    reject("{\"a\"", VS_EPARSE, "t.json:1:5: expected ':' after an object key");
    reject("tru", VS_EPARSE, "t.json:1:1: invalid literal (expected 'true')");
    reject("[fals]", VS_EPARSE, "t.json:1:2: invalid literal (expected 'false')");
    reject("nul", VS_EPARSE, "t.json:1:1: invalid literal (expected 'null')");
    reject("nulll", VS_EPARSE, "t.json:1:5: unexpected data after the JSON value");
    reject("[1] x", VS_EPARSE, "t.json:1:5: unexpected data after the JSON value");
    reject("{} {}", VS_EPARSE, "t.json:1:4: unexpected data after the JSON value");
    reject("]", VS_EPARSE, "t.json:1:1: expected a value, found ']'");
    reject_len("[1,\0]", 5, VS_EPARSE, "t.json:1:4: expected a value");
    reject_len("[1]\0", 4, VS_EPARSE, "t.json:1:4: unexpected data after the JSON value");
    reject("[\"a\" \"b\"]", VS_EPARSE, "t.json:1:6: expected ',' or ']' after an array element");
    reject("/* c */ 1", VS_EPARSE, "t.json:1:1: expected a value, found '/'");

    /* Source names and the default name. */
    vs_json *v = (vs_json *)1;
    ck_assert_status(vs__json_parse(&v, "[1,", 3, "dir/space.json", 0), VS_EPARSE);
    ck_assert_ptr_null(v);
    ck_assert_str_eq(vs_last_error(), "dir/space.json:1:4: unexpected end of input (expected a value)");
    ck_assert_status(vs__json_parse(&v, "{\"a\":1 \"b\":2}", 13, NULL, 0), VS_EPARSE);
    ck_assert_str_eq(vs_last_error(), "<json>:1:8: expected ',' or '}' after an object member");

    /* Arguments. */
    ck_assert_status(vs__json_parse(NULL, "1", 1, NULL, 0), VS_EINVAL);
    ck_assert_status(vs__json_parse(&v, NULL, 3, NULL, 0), VS_EINVAL);
    ck_assert_ptr_null(v);
    ck_assert_status(vs__json_parse(&v, NULL, 0, NULL, 0), VS_EPARSE);
    /* The length is honoured: nothing beyond it is read. */
    v = parse_ok_len("[1]garbage", 3);
    ck_assert_uint_eq(v->u.array.count, 1);
    vs__json_free(v);
}
END_TEST

/* Every prefix and many single-byte mutations of a real document: never a crash, and either
 * success or one of the documented statuses with *out NULL. */
START_TEST(never_crashes_on_damaged_input) {
    size_t n = sizeof complex_doc - 1;
    char *buf = malloc(n);
    ck_assert_ptr_nonnull(buf);
    for (size_t cut = 0; cut <= n; cut++) {
        vs_json *v = (vs_json *)1;
        int rc = vs__json_parse(&v, complex_doc, cut, NULL, 0);
        if (rc == VS_OK)
            vs__json_free(v);
        else
            ck_assert_ptr_null(v);
    }
    static const unsigned char bytes[] = {0x00, '"', '\\', '{', '}', '[', ']', ',', ':', 'u', '0', '-',
                                          'e', '.', ' ', '\n', 0x80, 0xC3, 0xED, 0xF4, 0xFF};
    int step = getenv("VS_TEST_UNDER_VALGRIND") ? 7 : 1;
    for (size_t i = 0; i < n; i += (size_t)step)
        for (size_t b = 0; b < sizeof bytes; b++) {
            memcpy(buf, complex_doc, n);
            buf[i] = (char)bytes[b];
            vs_json *v = (vs_json *)1;
            int rc = vs__json_parse(&v, buf, n, NULL, 0);
            if (rc == VS_OK) {
                vs__json_free(v);
            } else {
                ck_assert_ptr_null(v);
                ck_assert_msg(rc == VS_EPARSE || rc == VS_EUTF8 || rc == VS_EDUPLICATE || rc == VS_ELIMIT,
                              "status %d", rc);
                ck_assert_msg(strncmp(vs_last_error(), "<json>:", 7) == 0, "%s", vs_last_error());
            }
        }
    free(buf);
}
END_TEST

/* ------------------------------------------------------------------ DOM helpers */

START_TEST(get_and_type_names) {
    vs_json *v = parse_ok("{\"a\": 1, \"b\": \"two\", \"a\\u0000\": 3, \"\": null}");
    ck_assert(vs__json_get(v, "a")->u.number == 1.0);
    ck_assert_str_eq(vs__json_get(v, "b")->u.string.ptr, "two");
    ck_assert_int_eq(vs__json_get(v, "")->type, VS_JSON_NULL);
    ck_assert_ptr_null(vs__json_get(v, "c"));
    ck_assert_ptr_null(vs__json_get(v, "A"));
    ck_assert_ptr_null(vs__json_get(v, NULL));
    ck_assert_ptr_null(vs__json_get(NULL, "a"));
    ck_assert_ptr_null(vs__json_get(vs__json_get(v, "b"), "a"));
    vs__json_free(v);
    vs__json_free(NULL);

    ck_assert_str_eq(vs__json_type_name(VS_JSON_NULL), "null");
    ck_assert_str_eq(vs__json_type_name(VS_JSON_FALSE), "boolean");
    ck_assert_str_eq(vs__json_type_name(VS_JSON_TRUE), "boolean");
    ck_assert_str_eq(vs__json_type_name(VS_JSON_NUMBER), "number");
    ck_assert_str_eq(vs__json_type_name(VS_JSON_STRING), "string");
    ck_assert_str_eq(vs__json_type_name(VS_JSON_ARRAY), "array");
    ck_assert_str_eq(vs__json_type_name(VS_JSON_OBJECT), "object");
    ck_assert_str_eq(vs__json_type_name((vs_json_type)99), "unknown");
}
END_TEST

/* ------------------------------------------------------------------ writer */

static void write_sample(vs_json_writer *w) {
    vs__jw_begin_object(w);
    vs__jw_key(w, "a");
    vs__jw_int(w, 1);
    vs__jw_key(w, "b");
    vs__jw_begin_array(w);
    vs__jw_number(w, 0.5);
    vs__jw_bool(w, 1);
    vs__jw_bool(w, 0);
    vs__jw_null(w);
    vs__jw_string(w, "x");
    vs__jw_end_array(w);
    vs__jw_key(w, "c");
    vs__jw_begin_object(w);
    vs__jw_end_object(w);
    vs__jw_key(w, "d");
    vs__jw_begin_array(w);
    vs__jw_end_array(w);
    vs__jw_key(w, "e");
    vs__jw_begin_array(w);
    vs__jw_begin_object(w);
    vs__jw_key(w, "f");
    vs__jw_number(w, -2.25);
    vs__jw_end_object(w);
    vs__jw_end_array(w);
    vs__jw_end_object(w);
}

START_TEST(writer_layout) {
    vs_json_writer w;
    char *out = NULL;
    vs__jw_init(&w, 0);
    write_sample(&w);
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_str_eq(out, "{\"a\":1,\"b\":[0.5,true,false,null,\"x\"],\"c\":{},\"d\":[],\"e\":[{\"f\":-2.25}]}");
    vs__free(out);

    vs__jw_init(&w, 1);
    write_sample(&w);
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_str_eq(out, "{\n"
                          "  \"a\": 1,\n"
                          "  \"b\": [\n"
                          "    0.5,\n"
                          "    true,\n"
                          "    false,\n"
                          "    null,\n"
                          "    \"x\"\n"
                          "  ],\n"
                          "  \"c\": {},\n"
                          "  \"d\": [],\n"
                          "  \"e\": [\n"
                          "    {\n"
                          "      \"f\": -2.25\n"
                          "    }\n"
                          "  ]\n"
                          "}\n");
    vs__free(out);

    /* Top-level scalars. */
    vs__jw_init(&w, 0);
    vs__jw_string(&w, "only");
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_str_eq(out, "\"only\"");
    vs__free(out);
    vs__jw_init(&w, 1);
    vs__jw_int(&w, LLONG_MIN);
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_str_eq(out, "-9223372036854775808\n");
    vs__free(out);
}
END_TEST

START_TEST(writer_escapes_and_numbers) {
    vs_json_writer w;
    char *out = NULL;
    vs__jw_init(&w, 0);
    vs__jw_begin_array(&w);
    vs__jw_string(&w, "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f \xC3\xA9\xF0\x9F\x98\x80");
    vs__jw_string_len(&w, "a\0b", 3);
    vs__jw_string_len(&w, NULL, 0);
    vs__jw_number(&w, 0.1);
    vs__jw_number(&w, -0.0);
    vs__jw_number(&w, 1e300);
    vs__jw_number(&w, 3.0);
    vs__jw_number(&w, NAN);
    vs__jw_number(&w, INFINITY);
    vs__jw_number(&w, -INFINITY);
    vs__jw_int(&w, LLONG_MAX);
    vs__jw_int(&w, -5);
    vs__jw_end_array(&w);
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_str_eq(out, "[\"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001f\x7f \xC3\xA9\xF0\x9F\x98\x80\","
                          "\"a\\u0000b\",\"\",0.1,-0,1e+300,3,null,null,null,9223372036854775807,-5]");
    /* And it reads back to the same strings. */
    vs_json *v = parse_ok(out);
    ck_assert_str_eq(v->u.array.items[0]->u.string.ptr,
                     "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f \xC3\xA9\xF0\x9F\x98\x80");
    ck_assert_uint_eq(v->u.array.items[1]->u.string.len, 3);
    ck_assert_int_eq(memcmp(v->u.array.items[1]->u.string.ptr, "a\0b", 3), 0);
    vs__json_free(v);
    vs__free(out);

    /* Keys are escaped the same way. */
    vs__jw_init(&w, 1);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "k\"\n");
    vs__jw_begin_array(&w);
    vs__jw_end_array(&w);
    vs__jw_end_object(&w);
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_str_eq(out, "{\n  \"k\\\"\\n\": []\n}\n");
    vs__free(out);

    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_key_len(&w, "a\0b", 3);
    vs__jw_int(&w, 1);
    vs__jw_key_len(&w, NULL, 0);
    vs__jw_int(&w, 2);
    vs__jw_end_object(&w);
    ck_assert_ok(vs__jw_finish(&w, &out));
    ck_assert_str_eq(out, "{\"a\\u0000b\":1,\"\":2}");
    vs__free(out);
}
END_TEST

START_TEST(writer_errors_are_sticky) {
    vs_json_writer w;
    char *out = (char *)1;

    /* Invalid UTF-8; later calls (even misuse) do not change the first status. */
    vs__jw_init(&w, 0);
    vs__jw_begin_array(&w);
    vs__jw_string(&w, "ok");
    vs__jw_string(&w, "bad \xC0\xAF");
    ck_assert_int_eq(w.status, VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "invalid UTF-8 at byte 4 of a string"));
    vs__jw_end_object(&w);
    vs__jw_key(&w, "x");
    vs__jw_number(&w, 1);
    ck_assert_int_eq(vs__jw_finish(&w, &out), VS_EUTF8);
    ck_assert_ptr_null(out);
    ck_assert_ptr_null(w.data);

    /* Misuse. */
    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_int(&w, 1);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "needs a key"));
    ck_assert_ptr_null(out);

    vs__jw_init(&w, 0);
    vs__jw_begin_array(&w);
    vs__jw_key(&w, "k");
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "outside an object"));

    vs__jw_init(&w, 0);
    vs__jw_begin_array(&w);
    vs__jw_end_object(&w);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);

    vs__jw_init(&w, 0);
    vs__jw_end_array(&w);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);

    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "a");
    vs__jw_key(&w, "b");
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);

    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, "a");
    vs__jw_end_object(&w);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);

    vs__jw_init(&w, 0);
    vs__jw_null(&w);
    vs__jw_null(&w);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "second top-level value"));

    vs__jw_init(&w, 0);
    vs__jw_begin_array(&w);
    vs__jw_begin_array(&w);
    vs__jw_end_array(&w);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "1 container not closed"));

    vs__jw_init(&w, 1);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ESTATE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "no value was written"));

    vs__jw_init(&w, 0);
    vs__jw_string(&w, NULL);
    ck_assert_status(vs__jw_finish(&w, &out), VS_EINVAL);
    vs__jw_init(&w, 0);
    vs__jw_begin_object(&w);
    vs__jw_key(&w, NULL);
    ck_assert_status(vs__jw_finish(&w, &out), VS_EINVAL);

    /* discard after use, and after finish, is harmless. */
    vs__jw_init(&w, 0);
    vs__jw_begin_array(&w);
    vs__jw_discard(&w);
    vs__jw_discard(&w);
    ck_assert_ptr_null(w.data);
    vs__jw_discard(NULL);
    ck_assert_status(vs__jw_finish(NULL, &out), VS_EINVAL);
    vs__jw_init(&w, 0);
    vs__jw_null(&w);
    ck_assert_status(vs__jw_finish(&w, NULL), VS_EINVAL);
    ck_assert_ptr_null(w.data);
}
END_TEST

START_TEST(writer_depth_limit) {
    vs_json_writer w;
    char *out = NULL;
    vs__jw_init(&w, 0);
    for (int i = 0; i < 64; i++) vs__jw_begin_array(&w);
    for (int i = 0; i < 64; i++) vs__jw_end_array(&w);
    ck_assert_ok(vs__jw_finish(&w, &out));
    char *expected = nested(64, '[', ']', "");
    ck_assert_str_eq(out, expected);
    /* What the writer may write, the reader reads. */
    vs_json *v = parse_ok(out);
    vs__json_free(v);
    free(expected);
    vs__free(out);

    vs__jw_init(&w, 1);
    for (int i = 0; i < 64; i++) {
        vs__jw_begin_object(&w);
        vs__jw_key(&w, "k");
    }
    ck_assert_int_eq(w.status, VS_OK);
    vs__jw_begin_array(&w);
    ck_assert_int_eq(w.status, VS_ELIMIT);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "nesting deeper than 64 levels"));
    for (int i = 0; i < 64; i++) vs__jw_end_object(&w);
    ck_assert_status(vs__jw_finish(&w, &out), VS_ELIMIT);
    ck_assert_ptr_null(out);
}
END_TEST

/* ------------------------------------------------------------------ round trips */

START_TEST(round_trip_complex_document) {
    vs_json *v = parse_ok(complex_doc);
    /* Spot checks against the text. */
    ck_assert_str_eq(vs__json_get(v, "schema")->u.string.ptr, "valuespace/space");
    const vs_json *dims = vs__json_get(v, "dimensions");
    ck_assert_uint_eq(dims->u.array.count, 3);
    assert_pos(dims, 3, 17);
    const vs_json *aliases = vs__json_get(dims->u.array.items[0], "aliases");
    ck_assert_str_eq(aliases->u.array.items[2]->u.string.ptr, "\xC3\xA9l\xC3\xA8ve");
    ck_assert_str_eq(aliases->u.array.items[3]->u.string.ptr, "\xF0\x9F\x98\x80");
    const vs_json *label = vs__json_get(dims->u.array.items[2], "label");
    ck_assert_uint_eq(label->u.string.len, 37);
    ck_assert(vs__json_get(dims->u.array.items[1], "angle")->u.number == -0.002);
    ck_assert(vs__json_get(vs__json_get(v, "flags"), "parent")->type == VS_JSON_NULL);

    for (int pretty = 0; pretty <= 1; pretty++) {
        char *t1 = dom_to_text(v, pretty);
        vs_json *v2 = parse_ok(t1);
        char *t2 = dom_to_text(v2, pretty);
        ck_assert_str_eq(t1, t2);
        /* The other layout of the re-read tree reads back to the same text too. */
        char *t3 = dom_to_text(v2, !pretty);
        vs_json *v3 = parse_ok(t3);
        char *t4 = dom_to_text(v3, pretty);
        ck_assert_str_eq(t1, t4);
        vs__json_free(v3);
        vs__json_free(v2);
        vs__free(t1);
        vs__free(t2);
        vs__free(t3);
        vs__free(t4);
    }
    vs__json_free(v);

    /* A small document has exactly this canonical compact form. */
    v = parse_ok(" { \"b\" : [ 1.50 , -0.0, 1E2, \"\\u00e9\\/\" ] , \"a\" : { } } ");
    char *t = dom_to_text(v, 0);
    ck_assert_str_eq(t, "{\"b\":[1.5,-0,100,\"\xC3\xA9/\"],\"a\":{}}");
    vs__free(t);
    vs__json_free(v);
}
END_TEST

static uint64_t xorshift(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

START_TEST(doubles_round_trip_bit_exactly) {
    double fixed[] = {0.1,
                      1 / 3.,
                      2 / 3.,
                      2.2250738585072014e-308,
                      2.2250738585072009e-308,
                      5e-324,
                      1.7976931348623157e308,
                      -1.7976931348623157e308,
                      -0.0,
                      0.0,
                      0.30000000000000004,
                      123456789.123456789,
                      6.02214076e23,
                      1e-7,
                      1e21,
                      1e22,
                      9007199254740993.0,
                      -4.35e-210,
                      0.7853981633974483};
    double values[1019];
    size_t n = sizeof fixed / sizeof fixed[0];
    memcpy(values, fixed, sizeof fixed);
    uint64_t seed = 0x9E3779B97F4A7C15u;
    while (n < sizeof values / sizeof values[0]) {
        uint64_t bits = xorshift(&seed);
        double x;
        memcpy(&x, &bits, sizeof x);
        if (isfinite(x)) values[n++] = x;
    }
    vs_json_writer w;
    vs__jw_init(&w, 0);
    vs__jw_begin_array(&w);
    for (size_t i = 0; i < n; i++) vs__jw_number(&w, values[i]);
    vs__jw_end_array(&w);
    char *out = NULL;
    ck_assert_ok(vs__jw_finish(&w, &out));
    vs_json *v = parse_ok(out);
    ck_assert_uint_eq(v->u.array.count, n);
    for (size_t i = 0; i < n; i++) {
        double back = v->u.array.items[i]->u.number;
        ck_assert_msg(memcmp(&back, &values[i], sizeof back) == 0, "value %zu: %.17g came back as %.17g", i,
                      values[i], back);
    }
    vs__json_free(v);
    vs__free(out);
}
END_TEST

START_TEST(locale_independent) {
    static const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "de_DE", NULL};
    const char *got = NULL;
    for (int i = 0; names[i] && !got; i++) got = setlocale(LC_NUMERIC, names[i]);
    if (got) {
        vs_json_writer w;
        char *out = NULL;
        vs__jw_init(&w, 0);
        vs__jw_begin_array(&w);
        vs__jw_number(&w, 0.5);
        vs__jw_number(&w, -1234.25e10);
        vs__jw_end_array(&w);
        ck_assert_ok(vs__jw_finish(&w, &out));
        ck_assert_str_eq(out, "[0.5,-12342500000000]");
        vs__free(out);
        vs_json *v = parse_ok("[0.5, 1.25e-3]");
        ck_assert(v->u.array.items[0]->u.number == 0.5);
        ck_assert(v->u.array.items[1]->u.number == 0.00125);
        vs__json_free(v);
        setlocale(LC_NUMERIC, "C");
    }
    /* Without such a locale the same assertions hold in "C". */
    vs_json *v = parse_ok("[0.5]");
    ck_assert(v->u.array.items[0]->u.number == 0.5);
    vs__json_free(v);
}
END_TEST

/* ------------------------------------------------------------------ allocation failures */

static int run_parse(void *p) {
    vs_json **v = p;
    *v = (vs_json *)1;
    return vs__json_parse(v, complex_doc, sizeof complex_doc - 1, "doc", 0);
}

static void after_parse(void *p, int failed) {
    vs_json **v = p;
    if (failed) ck_assert_ptr_null(*v);
    else vs__json_free(*v);
}

START_TEST(parse_allocation_failures) {
    vs_json *doc = NULL;
    vs_test_sweep sw = {"vs__json_parse", NULL, run_parse, after_parse, &doc};
    ck_assert_int_gt(vs_test_alloc_sweep(&sw), 50);
    /* A large object (sorted duplicate check) under failures as well: it ends in VS_EDUPLICATE. */
    vs_test_alloc_install();
    long n;
    char *big = big_object(40, "\"k7\": 1\n");
    for (n = 1;; n++) {
        vs_test_alloc_fail_at(n);
        vs_json *v = (vs_json *)1;
        int rc = vs__json_parse(&v, big, strlen(big), NULL, 0);
        if (!vs_test_alloc_failed()) {
            ck_assert_int_eq(rc, VS_EDUPLICATE);
            break;
        }
        ck_assert_int_eq(rc, VS_ENOMEM);
        ck_assert_ptr_null(v);
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    }
    ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    vs_test_alloc_uninstall();
    free(big);
}
END_TEST

static void write_big(vs_json_writer *w) {
    vs__jw_begin_object(w);
    vs__jw_key(w, "sample");
    write_sample(w);
    vs__jw_key(w, "numbers");
    vs__jw_begin_array(w);
    for (int i = 0; i < 200; i++) vs__jw_number(w, i / 7.0);
    vs__jw_end_array(w);
    vs__jw_key(w, "text");
    vs__jw_string(w, "a fairly long string with \"quotes\", \\ backslashes \\ and\ncontrol\tcharacters \x01");
    vs__jw_end_object(w);
}

START_TEST(write_allocation_failures) {
    vs_test_alloc_install();
    char *reference = NULL;
    for (int pretty = 0; pretty <= 1; pretty++) {
        long n;
        for (n = 1;; n++) {
            vs_test_alloc_fail_at(n);
            vs_json_writer w;
            vs__jw_init(&w, pretty);
            write_big(&w);
            char *out = (char *)1;
            int rc = vs__jw_finish(&w, &out);
            if (!vs_test_alloc_failed()) {
                ck_assert_int_eq(rc, VS_OK);
                /* The text is the same as when nothing failed. */
                vs_test_alloc_fail_at(0);
                vs__jw_init(&w, pretty);
                write_big(&w);
                ck_assert_ok(vs__jw_finish(&w, &reference));
                ck_assert_str_eq(out, reference);
                vs__free(reference);
                vs__free(out);
                ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
                break;
            }
            ck_assert_int_eq(rc, VS_ENOMEM);
            ck_assert_ptr_null(out);
            ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        }
        ck_assert_int_gt(n, 5);
    }
    /* Writing a parsed DOM: the DOM's blocks stay, the writer's are all released. */
    vs_test_alloc_fail_at(0);
    vs_json *v = parse_ok(complex_doc);
    long held = vs_test_alloc_outstanding();
    for (long n = 1;; n++) {
        vs_test_alloc_fail_at(n);
        vs_json_writer w;
        vs__jw_init(&w, 1);
        write_dom(&w, v);
        char *out = NULL;
        int rc = vs__jw_finish(&w, &out);
        if (!vs_test_alloc_failed()) {
            ck_assert_int_eq(rc, VS_OK);
            vs__free(out);
            break;
        }
        ck_assert_int_eq(rc, VS_ENOMEM);
        ck_assert_int_eq(vs_test_alloc_outstanding(), held);
    }
    vs__json_free(v);
    ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    vs_test_alloc_uninstall();
}
END_TEST

/* The escape of every byte 0x01..0x7f and of some UTF-8, at every offset modulo 8 (the escaper
 * scans 8 bytes at a time), against a byte-by-byte reference written here. */
static size_t reference_escape(char *o, const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') n += (size_t)sprintf(o + n, "\\\"");
        else if (c == '\\') n += (size_t)sprintf(o + n, "\\\\");
        else if (c == '\n') n += (size_t)sprintf(o + n, "\\n");
        else if (c == '\t') n += (size_t)sprintf(o + n, "\\t");
        else if (c == '\r') n += (size_t)sprintf(o + n, "\\r");
        else if (c == '\b') n += (size_t)sprintf(o + n, "\\b");
        else if (c == '\f') n += (size_t)sprintf(o + n, "\\f");
        else if (c < 0x20) n += (size_t)sprintf(o + n, "\\u%04x", c);
        else o[n++] = (char)c;
    }
    return n;
}

START_TEST(escape_every_byte_at_every_offset) {
    char in[64], want[400], got[400];
    for (int c = 1; c < 0x80; c++)
        for (size_t pos = 0; pos < 24; pos++) {
            size_t len = 0;
            for (size_t k = 0; k < pos; k++) in[len++] = (char)('a' + k % 26);
            in[len++] = (char)c;
            memcpy(in + len, "tail \xc3\xa9\xe2\x82\xac ok", 14);
            len += 14;
            size_t nw = reference_escape(want, in, len), ng = 0;
            memset(got, 0, sizeof got);
            ck_assert_int_eq(vs__json_escape_valid(got, in, len, &ng, NULL), 1);
            ck_assert_uint_eq(ng, nw);
            ck_assert_msg(memcmp(got, want, nw) == 0, "byte 0x%02x at %zu", c, pos);
        }
    /* a bad UTF-8 byte after 8 ASCII ones is found, with its offset */
    size_t bad = 0, n = 0;
    ck_assert_int_eq(vs__json_escape_valid(got, "abcdefgh\xff", 9, &n, &bad), 0);
    ck_assert_uint_eq(bad, 8);
    ck_assert_int_eq(vs__json_escape_valid(got, "abcdefghijklmnop\xc3", 17, &n, &bad), 0);
    ck_assert_uint_eq(bad, 16);
}
END_TEST

/* Plain ASCII of every length up to 40 with up to two bytes that need escaping (or a UTF-8
 * character) anywhere, so that the one-pass escape's overlapping tail of eight bytes meets each
 * of them, and a bad byte in the tail is still found at its offset. */
START_TEST(escape_valid_tails) {
    static const char specials[] = {'"', '\\', '\n', 0x01, 0x1f};
    char in[48], want[400], got[400];
    for (size_t len = 1; len <= 40; len++)
        for (size_t a = 0; a <= len; a++)     /* a == len: no first special */
            for (size_t b = a; b <= len; b++) { /* b == len: no second one */
                for (size_t k = 0; k < len; k++) in[k] = (char)('A' + (k * 7) % 26);
                if (a < len) in[a] = specials[(a + len) % 5];
                if (b < len && b != a) in[b] = specials[(b * 3) % 5];
                size_t nw = reference_escape(want, in, len), ng = 0;
                ck_assert_int_eq(vs__json_escape_valid(got, in, len, &ng, NULL), 1);
                ck_assert_uint_eq(ng, nw);
                ck_assert_msg(memcmp(got, want, nw) == 0, "len %zu, specials at %zu and %zu", len, a, b);
                if (len >= 2 && b < len && b != a) { /* a two-byte character in place of the second */
                    size_t at = b > 0 ? b - 1 : 0;
                    memcpy(in + at, "\xc3\xa9", 2);
                    ck_assert_int_eq(vs__json_escape_valid(got, in, len, &ng, NULL), 1);
                    in[len - 1] = (char)0xff; /* and a bad last byte: the character, if it ends there, */
                    size_t bad = 0;          /* is the bad sequence */
                    ck_assert_int_eq(vs__json_escape_valid(got, in, len, &ng, &bad), 0);
                    ck_assert_uint_eq(bad, at + 2 == len ? at : len - 1);
                }
            }
}
END_TEST

/* The one-pass escape-and-check rejects exactly the sequences the reader rejects (invalid_utf8
 * above), at their offset, after any number of plain bytes, and takes the well-formed edges. */
START_TEST(escape_valid_rejects_bad_sequences) {
    static const char *const bad_seq[] = {"\xC0\xAF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xE2\x82", "\xED\xA0\x80",
                                          "\xED\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80", "\xC3", "\xFF"};
    static const char *const good_seq[] = {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                                           "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"};
    char in[64], out[400];
    for (size_t pos = 0; pos < 20; pos++) {
        memset(in, 'x', pos);
        for (size_t k = 0; k < sizeof bad_seq / sizeof *bad_seq; k++) {
            size_t n = strlen(bad_seq[k]), bad = 999, w = 777;
            memcpy(in + pos, bad_seq[k], n);
            ck_assert_int_eq(vs__json_escape_valid(out, in, pos + n, &w, &bad), 0);
            ck_assert_uint_eq(bad, pos);
            ck_assert_uint_eq(w, 777); /* untouched on failure */
        }
        for (size_t k = 0; k < sizeof good_seq / sizeof *good_seq; k++) {
            size_t n = strlen(good_seq[k]), w = 0;
            memcpy(in + pos, good_seq[k], n);
            memcpy(in + pos + n, "\"ok", 3);
            ck_assert_int_eq(vs__json_escape_valid(out, in, pos + n + 3, &w, NULL), 1);
            ck_assert_uint_eq(w, pos + n + 4); /* the quote becomes \" */
            ck_assert_int_eq(memcmp(out + pos, good_seq[k], n), 0);
            ck_assert_int_eq(memcmp(out + pos + n, "\\\"ok", 4), 0);
        }
    }
}
END_TEST

static Suite *json_suite(void) {
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("reader");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, positions_of_values_and_keys);
    tcase_add_test(tc, scalars_at_top_level);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, surrogate_pairs);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, escape_valid_rejects_bad_sequences);
    tcase_add_test(tc, escape_valid_tails);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, duplicate_keys);
    tcase_add_test(tc, duplicate_keys_in_large_objects);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, long_numbers);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, never_crashes_on_damaged_input);
    tcase_add_test(tc, get_and_type_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("writer");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, writer_layout);
    tcase_add_test(tc, writer_escapes_and_numbers);
    tcase_add_test(tc, writer_errors_are_sticky);
    tcase_add_test(tc, writer_depth_limit);
    tcase_add_test(tc, round_trip_complex_document);
    tcase_add_test(tc, doubles_round_trip_bit_exactly);
    tcase_add_test(tc, locale_independent);
    tcase_add_test(tc, escape_every_byte_at_every_offset);
    suite_add_tcase(s, tc);

    tc = tcase_create("allocation");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, parse_allocation_failures);
    tcase_add_test(tc, write_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(json_suite()); }
