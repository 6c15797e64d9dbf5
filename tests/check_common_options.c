/* The generic option mechanism (lib/common/option_table.h) on a table made for the test: every
 * storage kind, enum names, string options, the extra rule, and every failure with its status,
 * its message and an unchanged handle. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "common/internal.h"
#include "common/option_table.h"
#include "testutil.h"

typedef struct thing {
    int64_t count, colour;
    uint64_t seed;
    uint32_t small;
    unsigned bits;
    double rate;
    char *label;
    int locked;
} thing;

enum { OPT_COUNT = 1, OPT_COLOUR, OPT_SEED, OPT_SMALL, OPT_BITS, OPT_RATE, OPT_LABEL };

static const vs__opt_name colour_names[] = {{"red", 0}, {"green", 1}, {"Green", 1}, {"blue", 2}, {NULL, 0}};

/* refuses a change while locked, and odd values of `small` */
static int check_thing(const void *handle, const vs__option *o, vs__opt_value v, const char *where) {
    if (((const thing *)handle)->locked) return vs__error(VS_ESTATE, "%s: option %s is locked", where, o->name);
    if (o->id == OPT_SMALL && v.i % 2) return vs__error(VS_ERANGE, "%s: option small must be even", where);
    return VS_OK;
}

static const vs__option opts[] = {
    VS__OPT_ROW_INT(thing, OPT_COUNT, count, 1, 100, "count"),
    VS__OPT_ROW_ENUM(thing, OPT_COLOUR, colour, 0, 2, "colour", colour_names, "colour name"),
    {OPT_SEED, VS__OPT_INT, VS__FIELD_U64, 0, 9223372036854775807.0, offsetof(thing, seed), "seed", NULL, NULL, NULL},
    {OPT_SMALL, VS__OPT_INT, VS__FIELD_U32, 0, 4294967295.0, offsetof(thing, small), "small", NULL, NULL, check_thing},
    {OPT_BITS, VS__OPT_INT, VS__FIELD_UINT, 0, 62, offsetof(thing, bits), "bits", NULL, NULL, NULL},
    VS__OPT_ROW_DOUBLE(thing, OPT_RATE, rate, 0.5, 2.5, "rate"),
    {OPT_LABEL, VS__OPT_STR, VS__FIELD_STR, 0, 0, offsetof(thing, label), "label", NULL, NULL, check_thing},
};
static const vs__option_table table = VS__OPTION_TABLE("vs_thing", opts);

static thing fresh(void) {
    thing t;
    memset(&t, 0, sizeof t);
    t.count = 7;
    t.colour = 2;
    t.seed = 5;
    t.small = 8;
    t.bits = 3;
    t.rate = 1.5;
    return t;
}

/* every field as made by fresh(), except the label */
static void assert_unchanged(const thing *t) {
    thing f = fresh();
    ck_assert_int_eq(t->count, f.count);
    ck_assert_int_eq(t->colour, f.colour);
    ck_assert_uint_eq(t->seed, f.seed);
    ck_assert_uint_eq(t->small, f.small);
    ck_assert_uint_eq(t->bits, f.bits);
    ck_assert_double_eq(t->rate, f.rate);
}

START_TEST(sets_and_gets_every_storage) {
    thing t = fresh();
    int64_t i = 0;
    double d = 0;
    ck_assert_ok(vs__opt_set_int(&table, &t, OPT_COUNT, 100));
    ck_assert_int_eq(t.count, 100);
    ck_assert_ok(vs__opt_set_int(&table, &t, OPT_SEED, INT64_MAX));
    ck_assert_uint_eq(t.seed, (uint64_t)INT64_MAX);
    ck_assert_ok(vs__opt_get_int(&table, &i, &t, OPT_SEED));
    ck_assert_int_eq(i, INT64_MAX);
    ck_assert_ok(vs__opt_set_int(&table, &t, OPT_SMALL, 4294967294));
    ck_assert_uint_eq(t.small, 4294967294u);
    ck_assert_ok(vs__opt_get_int(&table, &i, &t, OPT_SMALL));
    ck_assert_int_eq(i, 4294967294);
    ck_assert_ok(vs__opt_set_int(&table, &t, OPT_BITS, 62));
    ck_assert_uint_eq(t.bits, 62);
    ck_assert_ok(vs__opt_get_int(&table, &i, &t, OPT_BITS));
    ck_assert_int_eq(i, 62);
    ck_assert_ok(vs__opt_set_double(&table, &t, OPT_RATE, 0.5));
    ck_assert_ok(vs__opt_get_double(&table, &d, &t, OPT_RATE));
    ck_assert_double_eq(d, 0.5);
    ck_assert_ok(vs__opt_set_double(&table, &t, OPT_RATE, 2.5));
    ck_assert_double_eq(t.rate, 2.5);
}
END_TEST

START_TEST(unknown_option_and_wrong_type) {
    thing t = fresh();
    int64_t i = -1;
    double d = -1;
    const char *s = "x";
    ck_assert_status(vs__opt_set_int(&table, &t, 99, 1), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_int: unknown option 99");
    ck_assert_status(vs__opt_set_int(&table, &t, 0, 1), VS_EINVAL);
    ck_assert_status(vs__opt_get_int(&table, &i, &t, 99), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_get_int: unknown option 99");
    ck_assert_int_eq(i, -1);
    ck_assert_status(vs__opt_set_double(&table, &t, OPT_COUNT, 3), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_double: option count holds an integer; use vs_thing_set_int");
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_RATE, 1), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_int: option rate holds a double; use vs_thing_set_double");
    ck_assert_status(vs__opt_get_double(&table, &d, &t, OPT_COUNT), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_get_double: option count holds an integer; use vs_thing_get_int");
    ck_assert_double_eq(d, -1);
    ck_assert_status(vs__opt_set_str(&table, &t, OPT_COUNT, "3"), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_str: option count holds an integer; use vs_thing_set_int");
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_LABEL, 1), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_int: option label holds a string; use vs_thing_set_str");
    ck_assert_status(vs__opt_get_str(&table, &s, &t, OPT_RATE), VS_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_status(vs__opt_set_int(&table, NULL, OPT_COUNT, 1), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_int: NULL handle");
    ck_assert_status(vs__opt_get_int(&table, NULL, &t, OPT_COUNT), VS_EINVAL);
    ck_assert_status(vs__opt_set_str(&table, &t, OPT_LABEL, NULL), VS_EINVAL);
    assert_unchanged(&t);
    ck_assert_ptr_null(t.label);
}
END_TEST

START_TEST(bounds_nan_and_rules) {
    thing t = fresh();
    double lo = 0, hi = 0;
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_COUNT, 0), VS_ERANGE);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_int: option count = 0 is outside [1, 100]");
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_COUNT, 101), VS_ERANGE);
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_SEED, -1), VS_ERANGE);
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_SMALL, 4294967296), VS_ERANGE);
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_BITS, 63), VS_ERANGE);
    ck_assert_status(vs__opt_set_double(&table, &t, OPT_RATE, 0.49), VS_ERANGE);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_double: option rate = 0.49 is outside [0.5, 2.5]");
    ck_assert_status(vs__opt_set_double(&table, &t, OPT_RATE, INFINITY), VS_ERANGE);
    ck_assert_status(vs__opt_set_double(&table, &t, OPT_RATE, NAN), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_double: option rate = NaN is not a number");
    /* the extra rule runs after the bounds and can refuse with its own status */
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_SMALL, 3), VS_ERANGE);
    ck_assert_str_eq(vs_last_error(), "vs_thing_set_int: option small must be even");
    t.locked = 1;
    ck_assert_status(vs__opt_set_int(&table, &t, OPT_SMALL, 2), VS_ESTATE);
    ck_assert_status(vs__opt_set_str(&table, &t, OPT_LABEL, "x"), VS_ESTATE);
    t.locked = 0;
    assert_unchanged(&t);
    ck_assert_ok(vs__opt_bounds(&table, &lo, &hi, OPT_SMALL));
    ck_assert_double_eq(lo, 0);
    ck_assert_double_eq(hi, 4294967295.0);
    ck_assert_ok(vs__opt_bounds(&table, &lo, &hi, OPT_RATE));
    ck_assert_double_eq(lo, 0.5);
    ck_assert_double_eq(hi, 2.5);
    ck_assert_status(vs__opt_bounds(&table, &lo, &hi, OPT_LABEL), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "vs_thing_option_bounds: option label holds a string, which has no bounds");
    ck_assert_status(vs__opt_bounds(&table, &lo, &hi, 42), VS_EINVAL);
    ck_assert_status(vs__opt_bounds(&table, NULL, &hi, OPT_RATE), VS_EINVAL);
    ck_assert_double_eq(lo, 0.5);
}
END_TEST

START_TEST(enum_names) {
    thing t = fresh();
    const char *s = NULL;
    ck_assert_ok(vs__opt_get_str(&table, &s, &t, OPT_COLOUR));
    ck_assert_str_eq(s, "blue");
    ck_assert_ok(vs__opt_set_str(&table, &t, OPT_COLOUR, "Green"));
    ck_assert_int_eq(t.colour, 1);
    /* the canonical name is the first one of the value */
    ck_assert_ok(vs__opt_get_str(&table, &s, &t, OPT_COLOUR));
    ck_assert_str_eq(s, "green");
    ck_assert_ok(vs__opt_set_int(&table, &t, OPT_COLOUR, 0));
    ck_assert_ok(vs__opt_get_str(&table, &s, &t, OPT_COLOUR));
    ck_assert_str_eq(s, "red");
    ck_assert_status(vs__opt_set_str(&table, &t, OPT_COLOUR, "bleu"), VS_ENOTFOUND);
    ck_assert_str_eq(vs_last_error(),
                     "vs_thing_set_str: unknown colour name 'bleu' (did you mean 'blue'? valid: red, green, blue)");
    ck_assert_status(vs__opt_set_str(&table, &t, OPT_COLOUR, "RED"), VS_ENOTFOUND); /* case-sensitive */
    ck_assert_int_eq(t.colour, 0);
    ck_assert_str_eq(vs__opt_value_name(&opts[1], 2), "blue");
    ck_assert_ptr_null(vs__opt_value_name(&opts[1], 3));
    ck_assert_ptr_null(vs__opt_value_name(&opts[0], 1));
}
END_TEST

START_TEST(string_options_are_copied) {
    thing t = fresh();
    const char *s = "x";
    ck_assert_ok(vs__opt_get_str(&table, &s, &t, OPT_LABEL));
    ck_assert_ptr_null(s); /* never set */
    char buf[8] = "first";
    ck_assert_ok(vs__opt_set_str(&table, &t, OPT_LABEL, buf));
    strcpy(buf, "gone");
    ck_assert_ok(vs__opt_get_str(&table, &s, &t, OPT_LABEL));
    ck_assert_str_eq(s, "first");
    ck_assert_ok(vs__opt_set_str(&table, &t, OPT_LABEL, ""));
    ck_assert_str_eq(t.label, "");
    vs__free(t.label);
}
END_TEST

static void sweep_setup(void *arg) { memset(arg, 0, sizeof(thing)); }
static int sweep_run(void *arg) { return vs__opt_set_str(&table, arg, OPT_LABEL, "a label"); }
static void sweep_after(void *arg, int failed) {
    thing *t = arg;
    if (failed) ck_assert_ptr_null(t->label); /* a failed copy leaves the old value */
    vs__free(t->label);
    t->label = NULL;
}

START_TEST(string_copy_alloc_sweep) {
    thing t;
    long n = vs_test_alloc_sweep(&(vs_test_sweep){"option string", sweep_setup, sweep_run, sweep_after, &t});
    ck_assert_int_eq(n, 2); /* one failed copy, then the run that succeeded */
}
END_TEST

START_TEST(lookup_by_name) {
    int id = -1;
    ck_assert_ok(vs__opt_id(&table, &id, "rate"));
    ck_assert_int_eq(id, OPT_RATE);
    for (size_t i = 0; i < table.count; i++) {
        ck_assert_ok(vs__opt_id(&table, &id, vs__opt_name_of(&table, opts[i].id)));
        ck_assert_int_eq(id, opts[i].id);
    }
    id = -1;
    ck_assert_status(vs__opt_id(&table, &id, "rat"), VS_ENOTFOUND);
    ck_assert_str_eq(vs_last_error(), "vs_thing_option_id: unknown option 'rat' (did you mean 'rate'? valid: count, "
                                      "colour, seed, small, bits, rate, label)");
    ck_assert_int_eq(id, -1);
    ck_assert_status(vs__opt_id(&table, &id, "Rate"), VS_ENOTFOUND);
    ck_assert_status(vs__opt_id(&table, NULL, "rate"), VS_EINVAL);
    ck_assert_status(vs__opt_id(&table, &id, NULL), VS_EINVAL);
    ck_assert_str_eq(vs__opt_name_of(&table, OPT_SEED), "seed");
    ck_assert_ptr_null(vs__opt_name_of(&table, 0));
    ck_assert_ptr_null(vs__opt_find(&table, 8));
}
END_TEST

static Suite *options_suite(void) {
    Suite *s = suite_create("common_options");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sets_and_gets_every_storage);
    tcase_add_test(tc, unknown_option_and_wrong_type);
    tcase_add_test(tc, bounds_nan_and_rules);
    tcase_add_test(tc, enum_names);
    tcase_add_test(tc, string_options_are_copied);
    tcase_add_test(tc, string_copy_alloc_sweep);
    tcase_add_test(tc, lookup_by_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(options_suite()); }
