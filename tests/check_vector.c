/* Vector basics, aggregation, distances, ipsatisation and the circle fit.
 * Reference values come from docs/METHODS.md worked examples, hand computation and R (the R code is
 * quoted next to the numbers). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "valuespace.h"

/* ---------------------------------------------------------------- helpers */

static vs_space *builtin(const char *name) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builtin(&s, name));
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Entry index of `name` within `level` of `space`. */
static size_t entry(const vs_space *space, size_t level, const char *name) {
    size_t g = 0;
    ck_assert_msg(vs_space_find(&g, space, level, name) == VS_OK, "no \"%s\" at level %zu: %s", name, level,
                  vs_last_error());
    return g - vs_space_level_offset(space, level);
}

/* Level of the dimension `name` (searching all levels). */
static size_t level_of(const vs_space *space, const char *name) {
    size_t g = 0;
    ck_assert_msg(vs_space_find(&g, space, VS_NPOS, name) == VS_OK, "no \"%s\": %s", name, vs_last_error());
    return vs_space_dimension_level(space, g);
}

/* A one-level space "flat" with the given keys (and angles in degrees unless NULL / NaN). */
static vs_space *flat_space(const char *const *keys, size_t n, const double *angles) {
    vs_space_builder *b = NULL;
    ck_assert_ok(vs_space_builder_create(&b, "flat"));
    ck_assert_ok(vs_space_builder_add_level(b, "item"));
    for (size_t i = 0; i < n; i++) {
        ck_assert_ok(vs_space_builder_add_dimension(b, "item", keys[i], NULL));
        if (angles && !isnan(angles[i])) ck_assert_ok(vs_space_builder_set_angle(b, "item", keys[i], angles[i]));
    }
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builder_freeze(&s, b));
    vs_space_builder_free(b);
    return s;
}

static const char *const keys5[] = {"a", "b", "c", "d", "e"};

static vs_vector *vec(const vs_space *space, size_t level, const double *x, size_t n) {
    vs_vector *v = NULL;
    ck_assert_ok(vs_vector_create(&v, space, level));
    ck_assert_ok(vs_vector_set_values(v, x, n));
    return v;
}

/* Asserts that v holds exactly x (NaN where x is NaN). */
static void assert_values(const vs_vector *v, const double *x, size_t n, double tol) {
    ck_assert_uint_eq(vs_vector_dimension_count(v), n);
    for (size_t i = 0; i < n; i++) {
        double y = 0;
        ck_assert_ok(vs_vector_get(&y, v, i));
        if (isnan(x[i]))
            ck_assert_msg(isnan(y), "entry %zu = %g, expected missing", i, y);
        else
            ck_assert_near(y, x[i], tol);
    }
}

/* ---------------------------------------------------------------- basics */

START_TEST(test_create_and_access) {
    vs_space *s = builtin("schwartz10");
    vs_vector *v = NULL;
    ck_assert_ok(vs_vector_create(&v, s, 0));
    ck_assert_ptr_eq(vs_vector_space(v), s);
    ck_assert_uint_eq(vs_vector_level(v), 0);
    ck_assert_uint_eq(vs_vector_dimension_count(v), 10);
    ck_assert_uint_eq(vs_vector_dimension_count(v), vs_space_level_dimension_count(s, 0));
    ck_assert_uint_eq(vs_vector_missing_count(v), 10);
    double x = 0;
    ck_assert_ok(vs_vector_get(&x, v, 3));
    ck_assert(isnan(x));

    ck_assert_ok(vs_vector_set(v, 3, 0.75));
    ck_assert_ok(vs_vector_get(&x, v, 3));
    ck_assert(x == 0.75);
    ck_assert_uint_eq(vs_vector_missing_count(v), 9);
    ck_assert_ok(vs_vector_set(v, 3, NAN)); /* NaN marks missing again */
    ck_assert_uint_eq(vs_vector_missing_count(v), 10);

    /* by name: folded lookup within the level */
    size_t sd = entry(s, 0, "Self-direction");
    ck_assert_ok(vs_vector_set_by_name(v, "SELF_DIRECTION", -0.5));
    ck_assert_ok(vs_vector_get(&x, v, sd));
    ck_assert(x == -0.5);
    ck_assert_ok(vs_vector_get_by_name(&x, v, "self direction"));
    ck_assert(x == -0.5);

    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

START_TEST(test_bad_input_leaves_vector_unchanged) {
    vs_space *s = builtin("schwartz10");
    vs_vector *v = NULL;
    const double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    v = vec(s, 0, x, 10);
    double y = 42;

    /* create */
    vs_vector *w = (vs_vector *)&y;
    ck_assert_status(vs_vector_create(&w, NULL, 0), VS_EINVAL);
    ck_assert_ptr_null(w);
    w = (vs_vector *)&y;
    ck_assert_status(vs_vector_create(&w, s, vs_space_level_count(s)), VS_ERANGE);
    ck_assert_ptr_null(w);
    ck_assert_status(vs_vector_create(NULL, s, 0), VS_EINVAL);
    w = (vs_vector *)&y;
    ck_assert_status(vs_vector_clone(&w, NULL), VS_EINVAL);
    ck_assert_ptr_null(w);
    ck_assert_status(vs_vector_clone(NULL, v), VS_EINVAL);

    /* set / get */
    ck_assert_status(vs_vector_set(NULL, 0, 1), VS_EINVAL);
    ck_assert_status(vs_vector_set(v, 10, 1), VS_ERANGE);
    ck_assert_status(vs_vector_set(v, 2, INFINITY), VS_EINVAL);
    ck_assert_status(vs_vector_set(v, 2, -INFINITY), VS_EINVAL);
    ck_assert_status(vs_vector_get(&y, v, 10), VS_ERANGE);
    ck_assert(y == 42);
    ck_assert_status(vs_vector_get(&y, NULL, 0), VS_EINVAL);
    ck_assert_status(vs_vector_get(NULL, v, 0), VS_EINVAL);
    ck_assert(y == 42);

    /* by name */
    ck_assert_status(vs_vector_set_by_name(v, "No such value", 1), VS_ENOTFOUND);
    ck_assert_status(vs_vector_set_by_name(v, "Power", INFINITY), VS_EINVAL);
    ck_assert_status(vs_vector_set_by_name(v, NULL, 1), VS_EINVAL);
    ck_assert_status(vs_vector_set_by_name(NULL, "Power", 1), VS_EINVAL);
    ck_assert_status(vs_vector_set_by_name(v, "Po\xffwer", 1), VS_EUTF8);
    ck_assert_status(vs_vector_get_by_name(&y, v, "No such value"), VS_ENOTFOUND);
    ck_assert_status(vs_vector_get_by_name(&y, v, NULL), VS_EINVAL);
    ck_assert_status(vs_vector_get_by_name(NULL, v, "Power"), VS_EINVAL);
    ck_assert(y == 42);

    /* set_values: all or nothing */
    double bad[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, INFINITY};
    ck_assert_status(vs_vector_set_values(v, bad, 10), VS_EINVAL);
    ck_assert_status(vs_vector_set_values(v, bad, 9), VS_EMISMATCH);
    ck_assert_status(vs_vector_set_values(v, NULL, 10), VS_EINVAL);
    ck_assert_status(vs_vector_set_values(NULL, x, 10), VS_EINVAL);
    assert_values(v, x, 10, 0);

    /* get_values: the needed size in every case, nothing written when too small */
    double buf[10];
    for (int i = 0; i < 10; i++) buf[i] = -7;
    size_t need = 0;
    ck_assert_status(vs_vector_get_values(&need, v, buf, 9), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 10);
    for (int i = 0; i < 10; i++) ck_assert(buf[i] == -7);
    need = 99;
    ck_assert_status(vs_vector_get_values(&need, v, NULL, 0), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 10);
    ck_assert_status(vs_vector_get_values(&need, NULL, buf, 10), VS_EINVAL);
    ck_assert_uint_eq(need, 0);
    ck_assert_ok(vs_vector_get_values(&need, v, buf, 10));
    ck_assert_uint_eq(need, 10);
    for (int i = 0; i < 10; i++) ck_assert(buf[i] == x[i]);

    /* queries on NULL */
    ck_assert_ptr_null(vs_vector_space(NULL));
    ck_assert_uint_eq(vs_vector_dimension_count(NULL), 0);
    ck_assert_uint_eq(vs_vector_missing_count(NULL), 0);
    ck_assert_uint_eq(vs_vector_level(NULL), VS_NPOS);
    vs_vector_free(NULL);

    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

START_TEST(test_vector_keeps_space_alive) {
    vs_space *s = builtin("schwartz19");
    vs_vector *v = NULL, *c = NULL;
    ck_assert_ok(vs_vector_create(&v, s, 0));
    vs_space_free(s); /* the vector's reference keeps it alive */
    ck_assert_str_eq(vs_space_name(vs_vector_space(v)), "schwartz19");
    ck_assert_ok(vs_vector_set_by_name(v, "Humility", 2.5));
    ck_assert_ok(vs_vector_clone(&c, v));
    vs_vector_free(v); /* the clone holds its own reference */
    double x = 0;
    ck_assert_ok(vs_vector_get_by_name(&x, c, "humility"));
    ck_assert(x == 2.5);
    ck_assert_uint_eq(vs_vector_dimension_count(c), 19);
    vs_vector_free(c);
}
END_TEST

START_TEST(test_clone_is_independent) {
    vs_space *s = builtin("schwartz10");
    const double x[10] = {1, NAN, 3, 4, 5, 6, 7, 8, 9, 10};
    vs_vector *v = vec(s, 0, x, 10), *c = NULL;
    ck_assert_ok(vs_vector_clone(&c, v));
    ck_assert_ptr_eq(vs_vector_space(c), s);
    ck_assert_uint_eq(vs_vector_level(c), 0);
    assert_values(c, x, 10, 0);
    ck_assert_ok(vs_vector_set(c, 0, -1));
    assert_values(v, x, 10, 0);
    vs_vector_free(v);
    vs_vector_free(c);
    vs_space_free(s);
}
END_TEST

/* ---------------------------------------------------------------- allocation failures */

/* Builds a space and a vector in it; everything is freed on failure. */
static int flow_create(vs_vector **out) {
    *out = NULL;
    vs_space *s = NULL;
    int rc = vs_space_builtin(&s, "schwartz10");
    if (rc != VS_OK) return rc;
    rc = vs_vector_create(out, s, 0);
    vs_space_free(s);
    return rc;
}

static int flow_clone(vs_vector **out) {
    *out = NULL;
    vs_vector *v = NULL;
    int rc = flow_create(&v);
    if (rc != VS_OK) return rc;
    rc = vs_vector_set(v, 4, 0.5);
    if (rc == VS_OK) rc = vs_vector_clone(out, v);
    vs_vector_free(v);
    return rc;
}

static int flow_aggregate(vs_vector **out) {
    *out = NULL;
    vs_space *s = NULL;
    int rc = vs_space_builtin(&s, "fulcra");
    if (rc != VS_OK) return rc;
    vs_vector *v = NULL;
    rc = vs_vector_create(&v, s, 0);
    if (rc == VS_OK) rc = vs_vector_set(v, 0, 1.0);
    if (rc == VS_OK) rc = vs_vector_aggregate(out, v, vs_space_level_count(s) - 1, VS_AGGREGATE_MEAN);
    vs_vector_free(v);
    vs_space_free(s);
    return rc;
}

static int flow_spearman(vs_vector **out) {
    /* no vector out: reports success through a dummy allocation-free path */
    *out = NULL;
    vs_vector *a = NULL, *b = NULL;
    int rc = flow_create(&a);
    if (rc == VS_OK) rc = flow_create(&b);
    for (size_t i = 0; rc == VS_OK && i < 10; i++) {
        rc = vs_vector_set(a, i, (double)(i % 4));
        if (rc == VS_OK) rc = vs_vector_set(b, i, (double)i);
    }
    double r = 7;
    if (rc == VS_OK) {
        rc = vs_vector_compare(&r, a, b, VS_METRIC_SPEARMAN);
        if (rc != VS_OK) ck_assert(r == 7);
    }
    if (rc == VS_OK) {
        *out = a;
        a = NULL;
    }
    vs_vector_free(a);
    vs_vector_free(b);
    return rc;
}

/* The allocation-failure sweep (testutil) over a flow that makes a vector (NULL after a failure). */
typedef struct vector_flow {
    int (*flow)(vs_vector **);
    vs_vector *out;
} vector_flow;

static int run_vector_flow(void *p) {
    vector_flow *f = p;
    f->out = (vs_vector *)1;
    return f->flow(&f->out);
}

static void after_vector_flow(void *p, int failed) {
    vector_flow *f = p;
    if (failed) {
        ck_assert_ptr_null(f->out);
        return;
    }
    ck_assert_ptr_nonnull(f->out);
    vs_vector_free(f->out);
}

static void run_alloc_loop(int (*flow)(vs_vector **)) {
    vector_flow f = {flow, NULL};
    vs_test_sweep sw = {"vector flow", NULL, run_vector_flow, after_vector_flow, &f};
    vs_test_alloc_sweep(&sw);
}

START_TEST(test_alloc_failure_create) { run_alloc_loop(flow_create); }
END_TEST
START_TEST(test_alloc_failure_clone) { run_alloc_loop(flow_clone); }
END_TEST
START_TEST(test_alloc_failure_aggregate) { run_alloc_loop(flow_aggregate); }
END_TEST
START_TEST(test_alloc_failure_spearman) { run_alloc_loop(flow_spearman); }
END_TEST

/* ---------------------------------------------------------------- aggregation */

/* Sets FULCRA items by label. */
static void set_item(vs_vector *v, const char *item, double x) {
    ck_assert_msg(vs_vector_set_by_name(v, item, x) == VS_OK, "item \"%s\": %s", item, vs_last_error());
}

/* Entry of the aggregated vector for the type named `type`. */
static double type_value(const vs_vector *agg, const char *type) {
    double x = 0;
    ck_assert_msg(vs_vector_get_by_name(&x, agg, type) == VS_OK, "type \"%s\": %s", type, vs_last_error());
    return x;
}

START_TEST(test_aggregate_fulcra_items_to_types) {
    vs_space *s = builtin("fulcra");
    size_t item_level = level_of(s, "Be creative");
    size_t type_level = level_of(s, "Security");
    ck_assert_uint_eq(item_level, 0);
    ck_assert_uint_gt(type_level, item_level);
    ck_assert_uint_eq(level_of(s, "Universalism"), type_level);
    vs_vector *v = NULL, *agg = NULL;
    ck_assert_ok(vs_vector_create(&v, s, item_level));

    /* Self-direction: items of SD-thought and SD-action, 4 of 7 present */
    set_item(v, "Be creative", 1);
    set_item(v, "Be curious", 0);
    set_item(v, "Have freedom of thought", -0.7);
    set_item(v, "Be independent", 1);
    /* Achievement: max magnitude -0.9 */
    set_item(v, "Be ambitious", 0.2);
    set_item(v, "Be successful", -0.9);
    set_item(v, "Be capable", 0.5);
    /* Benevolence: a tie of opposite signs at |0.8| */
    set_item(v, "Be helpful", 0.5);
    set_item(v, "Be honest", -0.8);
    set_item(v, "Be forgiving", 0.8);
    /* Universalism: signs +1 -1 +1 -1 -1 */
    set_item(v, "Have equality", 1);
    set_item(v, "Social justice", -1);
    set_item(v, "Be broadminded", 0.3);
    set_item(v, "Have harmony with nature", -0.2);
    set_item(v, "Have a world of beauty", -0.5);
    /* Security: only "Observing social norms" (Face in Schwartz, counted under Security in the
     * FULCRA code) */
    set_item(v, "Observing social norms", 0.6);
    /* Stimulation: sign vote tie (+1 -1) */
    set_item(v, "Have an exciting life", 2);
    set_item(v, "Be daring", -0.1);
    /* Hedonism, Power, Tradition, Conformity: no item present */
    const double before_missing = (double)vs_vector_missing_count(v);

    /* mean */
    ck_assert_ok(vs_vector_aggregate(&agg, v, type_level, VS_AGGREGATE_MEAN));
    ck_assert_uint_eq(vs_vector_level(agg), type_level);
    ck_assert_uint_eq(vs_vector_dimension_count(agg), vs_space_level_dimension_count(s, type_level));
    ck_assert_near(type_value(agg, "Self-direction"), (1 + 0 - 0.7 + 1) / 4.0, 1e-12);
    ck_assert_near(type_value(agg, "Achievement"), (0.2 - 0.9 + 0.5) / 3.0, 1e-12);
    ck_assert_near(type_value(agg, "Benevolence"), (0.5 - 0.8 + 0.8) / 3.0, 1e-12);
    ck_assert_near(type_value(agg, "Universalism"), (1 - 1 + 0.3 - 0.2 - 0.5) / 5.0, 1e-12);
    ck_assert_near(type_value(agg, "Security"), 0.6, 1e-12);
    ck_assert_near(type_value(agg, "Stimulation"), (2 - 0.1) / 2.0, 1e-12);
    ck_assert(isnan(type_value(agg, "Power"))); /* "Observing social norms" is not under Power */
    ck_assert(isnan(type_value(agg, "Hedonism")));
    ck_assert(isnan(type_value(agg, "Tradition")));
    ck_assert(isnan(type_value(agg, "Conformity")));
    vs_vector_free(agg);

    /* max magnitude */
    ck_assert_ok(vs_vector_aggregate(&agg, v, type_level, VS_AGGREGATE_MAX_MAGNITUDE));
    ck_assert(type_value(agg, "Self-direction") == 1); /* two children at +1 */
    ck_assert(type_value(agg, "Achievement") == -0.9);
    ck_assert(type_value(agg, "Benevolence") == 0); /* mean of +0.8 and -0.8 */
    ck_assert(type_value(agg, "Universalism") == 0); /* +1 and -1 tie */
    ck_assert(type_value(agg, "Security") == 0.6);
    ck_assert(type_value(agg, "Stimulation") == 2);
    ck_assert(isnan(type_value(agg, "Hedonism")));
    vs_vector_free(agg);

    /* sign vote */
    ck_assert_ok(vs_vector_aggregate(&agg, v, type_level, VS_AGGREGATE_SIGN_VOTE));
    ck_assert(type_value(agg, "Self-direction") == 1);  /* +1 0 -1 +1 */
    ck_assert(type_value(agg, "Achievement") == 1);     /* +1 -1 +1 */
    ck_assert(type_value(agg, "Benevolence") == 1);     /* +1 -1 +1 */
    ck_assert(type_value(agg, "Universalism") == -1);   /* +1 -1 +1 -1 -1 */
    ck_assert(type_value(agg, "Security") == 1);
    ck_assert(type_value(agg, "Stimulation") == 0);     /* +1 -1 */
    ck_assert(isnan(type_value(agg, "Power")));
    vs_vector_free(agg);

    /* the source is unchanged */
    ck_assert(vs_vector_missing_count(v) == (size_t)before_missing);
    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

START_TEST(test_aggregate_all_missing_and_errors) {
    vs_space *s = builtin("fulcra");
    size_t top = vs_space_level_count(s) - 1;
    vs_vector *v = NULL, *agg = NULL;
    ck_assert_ok(vs_vector_create(&v, s, 0));
    ck_assert_ok(vs_vector_aggregate(&agg, v, top, VS_AGGREGATE_SIGN_VOTE));
    ck_assert_uint_eq(vs_vector_missing_count(agg), vs_vector_dimension_count(agg));
    vs_vector_free(agg);

    agg = (vs_vector *)v;
    ck_assert_status(vs_vector_aggregate(&agg, v, 0, VS_AGGREGATE_MEAN), VS_ERANGE);
    ck_assert_ptr_null(agg);
    agg = (vs_vector *)v;
    ck_assert_status(vs_vector_aggregate(&agg, v, top + 1, VS_AGGREGATE_MEAN), VS_ERANGE);
    ck_assert_ptr_null(agg);
    agg = (vs_vector *)v;
    ck_assert_status(vs_vector_aggregate(&agg, v, top, 3), VS_EINVAL);
    ck_assert_ptr_null(agg);
    agg = (vs_vector *)v;
    ck_assert_status(vs_vector_aggregate(&agg, NULL, top, VS_AGGREGATE_MEAN), VS_EINVAL);
    ck_assert_ptr_null(agg);
    ck_assert_status(vs_vector_aggregate(NULL, v, top, VS_AGGREGATE_MEAN), VS_EINVAL);

    /* a vector over the top level cannot go higher */
    vs_vector *t = NULL;
    ck_assert_ok(vs_vector_create(&t, s, top));
    agg = (vs_vector *)v;
    ck_assert_status(vs_vector_aggregate(&agg, t, top, VS_AGGREGATE_MEAN), VS_ERANGE);
    ck_assert_ptr_null(agg);
    vs_vector_free(t);
    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

START_TEST(test_aggregate_schwartz19_to_groups) {
    vs_space *s = builtin("schwartz19");
    size_t group = level_of(s, "Openness to change");
    ck_assert_uint_gt(group, 0);
    /* border values have no group */
    size_t g = 0;
    ck_assert_ok(vs_space_find(&g, s, 0, "Humility"));
    ck_assert_uint_eq(vs_space_parent(s, g, group), VS_NPOS);
    ck_assert_ok(vs_space_find(&g, s, 0, "Face"));
    ck_assert_uint_eq(vs_space_parent(s, g, group), VS_NPOS);

    vs_vector *v = NULL, *agg = NULL;
    ck_assert_ok(vs_vector_create(&v, s, 0));
    set_item(v, "Self-direction–thought", 1);
    set_item(v, "Self-direction–action", 0.5);
    set_item(v, "Stimulation", 0);
    /* Hedonism left missing: its group differs between keys (docs/METHODS.md §1.2) */
    set_item(v, "Achievement", 1);
    set_item(v, "Power–dominance", 2);
    set_item(v, "Power–resources", 3);
    set_item(v, "Face", 50);
    set_item(v, "Security–personal", -1);
    set_item(v, "Security–societal", -1);
    set_item(v, "Tradition", 0);
    set_item(v, "Conformity–rules", 1);
    set_item(v, "Conformity–interpersonal", 1.5);
    set_item(v, "Humility", 50);

    ck_assert_ok(vs_vector_aggregate(&agg, v, group, VS_AGGREGATE_MEAN));
    ck_assert_near(type_value(agg, "Openness to change"), 1.5 / 3.0, 1e-12);
    ck_assert_near(type_value(agg, "Self-enhancement"), 2.0, 1e-12);
    ck_assert_near(type_value(agg, "Conservation"), 0.5 / 5.0, 1e-12);
    ck_assert(isnan(type_value(agg, "Self-transcendence")));
    vs_vector_free(agg);

    ck_assert_ok(vs_vector_aggregate(&agg, v, group, VS_AGGREGATE_MAX_MAGNITUDE));
    ck_assert(type_value(agg, "Self-enhancement") == 3); /* not Face's 50 */
    ck_assert(type_value(agg, "Conservation") == 1.5);   /* not Humility's 50 */
    vs_vector_free(agg);
    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

/* ---------------------------------------------------------------- distances */

START_TEST(test_compare_by_hand) {
    vs_space *s = flat_space(keys5, 5, NULL);
    const double xa[5] = {1, -2, 0.5, NAN, 3};
    const double xb[5] = {2, 0, 0.5, 7, -1};
    vs_vector *a = vec(s, 0, xa, 5), *b = vec(s, 0, xb, 5);
    double r = 0;
    /* common entries a, b, c, e: differences -1, -2, 0, 4 */
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_L1));
    ck_assert_near(r, 7.0, 1e-12);
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_L2));
    ck_assert_near(r, sqrt(21.0), 1e-12);
    /* a.b = 2 + 0 + 0.25 - 3 = -0.75; |a|^2 = 14.25; |b|^2 = 5.25 (d's 7 is skipped) */
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_COSINE));
    ck_assert_near(r, -0.75 / sqrt(14.25 * 5.25), 1e-12);
    ck_assert_near(r, -0.086710996952, 1e-11);
    /* symmetric */
    ck_assert_ok(vs_vector_compare(&r, b, a, VS_METRIC_L2));
    ck_assert_near(r, sqrt(21.0), 1e-12);
    /* a vector with itself */
    ck_assert_ok(vs_vector_compare(&r, a, a, VS_METRIC_COSINE));
    ck_assert_near(r, 1.0, 1e-15);
    ck_assert_ok(vs_vector_compare(&r, a, a, VS_METRIC_L1));
    ck_assert(r == 0);
    /* over a, b, c, e: a = 1, -2, 0.5, 3 -> ranks 3, 1, 2, 4; b = 2, 0, 0.5, -1 -> ranks 4, 2, 3, 1;
     * no ties, sum d^2 = 1 + 1 + 1 + 9 = 12, rho = 1 - 6 * 12 / (4 * (16 - 1)) = -0.2 */
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_SPEARMAN));
    ck_assert_near(r, -0.2, 1e-12);
    vs_vector_free(a);
    vs_vector_free(b);
    vs_space_free(s);
}
END_TEST

START_TEST(test_spearman_ties_against_r) {
    /* R 4.x:
     *   x <- c(1, 2, 2, 3, 5, NA, 4, 4, 4, 0)
     *   y <- c(2, 2, 1, 3, NA, 6, 5, 5, 0, 1)
     *   print(cor(x, y, method = "spearman", use = "complete.obs"), digits = 17)
     *   [1] 0.40003125366258618 */
    vs_space *s = builtin("schwartz10");
    const double x[10] = {1, 2, 2, 3, 5, NAN, 4, 4, 4, 0};
    const double y[10] = {2, 2, 1, 3, NAN, 6, 5, 5, 0, 1};
    vs_vector *a = vec(s, 0, x, 10), *b = vec(s, 0, y, 10);
    double r = 0;
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_SPEARMAN));
    ck_assert_near(r, 0.40003125366258618, 1e-12);
    ck_assert_ok(vs_vector_compare(&r, b, a, VS_METRIC_SPEARMAN));
    ck_assert_near(r, 0.40003125366258618, 1e-12);
    /* perfectly monotone (non-linear) gives 1, reversed gives -1 */
    const double m1[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double m2[10] = {1, 4, 9, 16, 25, 36, 49, 64, 81, 1000};
    const double m3[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    ck_assert_ok(vs_vector_set_values(a, m1, 10));
    ck_assert_ok(vs_vector_set_values(b, m2, 10));
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_SPEARMAN));
    ck_assert_near(r, 1.0, 1e-15);
    ck_assert_ok(vs_vector_set_values(b, m3, 10));
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_SPEARMAN));
    ck_assert_near(r, -1.0, 1e-15);
    vs_vector_free(a);
    vs_vector_free(b);
    vs_space_free(s);
}
END_TEST

START_TEST(test_compare_undefined_and_mismatch) {
    vs_space *s = flat_space(keys5, 5, NULL);
    const double xa[5] = {1, NAN, NAN, 2, NAN};
    const double xb[5] = {NAN, 3, 4, NAN, 5};
    vs_vector *a = vec(s, 0, xa, 5), *b = vec(s, 0, xb, 5);
    double r = 42;
    for (uint32_t m = VS_METRIC_L1; m <= VS_METRIC_SPEARMAN; m++) {
        ck_assert_status(vs_vector_compare(&r, a, b, m), VS_EUNDEFINED); /* no common entry */
        ck_assert(r == 42);
    }
    /* cosine with a zero vector over the common entries */
    const double z[5] = {0, 0, 1, 0, 0};
    const double w[5] = {1, 2, NAN, 3, 4};
    ck_assert_ok(vs_vector_set_values(a, z, 5));
    ck_assert_ok(vs_vector_set_values(b, w, 5));
    ck_assert_status(vs_vector_compare(&r, a, b, VS_METRIC_COSINE), VS_EUNDEFINED);
    ck_assert_status(vs_vector_compare(&r, a, b, VS_METRIC_SPEARMAN), VS_EUNDEFINED); /* constant ranks */
    ck_assert(r == 42);
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_L1));
    ck_assert_near(r, 10.0, 1e-12);
    r = 42;
    /* Spearman with a single common entry */
    const double one[5] = {1, NAN, NAN, NAN, NAN};
    ck_assert_ok(vs_vector_set_values(a, one, 5));
    ck_assert_status(vs_vector_compare(&r, a, b, VS_METRIC_SPEARMAN), VS_EUNDEFINED);
    ck_assert(r == 42);
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_L2));
    ck_assert(r == 0);
    r = 42;

    /* bad arguments */
    ck_assert_status(vs_vector_compare(&r, a, b, 4), VS_EINVAL);
    ck_assert_status(vs_vector_compare(&r, NULL, b, VS_METRIC_L1), VS_EINVAL);
    ck_assert_status(vs_vector_compare(&r, a, NULL, VS_METRIC_L1), VS_EINVAL);
    ck_assert_status(vs_vector_compare(NULL, a, b, VS_METRIC_L1), VS_EINVAL);
    ck_assert(r == 42);

    /* dimensions: another space with the same keys is fine; other keys or sizes are not */
    vs_space *same = flat_space(keys5, 5, NULL);
    static const char *const other_keys[] = {"a", "b", "x", "d", "e"};
    vs_space *other = flat_space(other_keys, 5, NULL);
    vs_space *ten = builtin("schwartz10");
    const double v5[5] = {1, 2, 3, 4, 5};
    vs_vector *c = vec(same, 0, v5, 5), *d = vec(other, 0, v5, 5), *e = NULL;
    ck_assert_ok(vs_vector_create(&e, ten, 0));
    ck_assert_ok(vs_vector_set_values(a, v5, 5));
    ck_assert_ok(vs_vector_compare(&r, a, c, VS_METRIC_L1));
    ck_assert(r == 0);
    r = 42;
    ck_assert_status(vs_vector_compare(&r, a, d, VS_METRIC_L1), VS_EMISMATCH);
    ck_assert_status(vs_vector_compare(&r, a, e, VS_METRIC_L1), VS_EMISMATCH);
    ck_assert(r == 42);
    /* two instances of a built-in match each other */
    vs_space *ten2 = builtin("schwartz10");
    vs_vector *f = NULL;
    ck_assert_ok(vs_vector_create(&f, ten2, 0));
    const double t10[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    ck_assert_ok(vs_vector_set_values(e, t10, 10));
    ck_assert_ok(vs_vector_set_values(f, t10, 10));
    ck_assert_ok(vs_vector_compare(&r, e, f, VS_METRIC_COSINE));
    ck_assert_near(r, 1.0, 1e-15);
    /* different levels of one space */
    vs_space *s19 = builtin("schwartz19");
    vs_vector *g0 = NULL, *g1 = NULL;
    ck_assert_ok(vs_vector_create(&g0, s19, 0));
    ck_assert_ok(vs_vector_create(&g1, s19, 1));
    r = 42;
    ck_assert_status(vs_vector_compare(&r, g0, g1, VS_METRIC_L1), VS_EMISMATCH);
    ck_assert(r == 42);

    vs_vector_free(g0);
    vs_vector_free(g1);
    vs_space_free(s19);
    vs_vector_free(f);
    vs_space_free(ten2);
    vs_vector_free(c);
    vs_vector_free(d);
    vs_vector_free(e);
    vs_space_free(same);
    vs_space_free(other);
    vs_space_free(ten);
    vs_vector_free(a);
    vs_vector_free(b);
    vs_space_free(s);
}
END_TEST

START_TEST(test_compare_large_values) {
    /* Scaling keeps L2 and cosine finite where naive squares overflow. */
    vs_space *s = flat_space(keys5, 5, NULL);
    const double xa[5] = {3e200, 4e200, 0, NAN, 0};
    const double xb[5] = {0, 0, 0, 0, 0};
    const double xc[5] = {6e200, 8e200, 0, 0, 0};
    vs_vector *a = vec(s, 0, xa, 5), *b = vec(s, 0, xb, 5), *c = vec(s, 0, xc, 5);
    double r = 0;
    ck_assert_ok(vs_vector_compare(&r, a, b, VS_METRIC_L2));
    ck_assert_near(r / 5e200, 1.0, 1e-15);
    ck_assert_ok(vs_vector_compare(&r, a, c, VS_METRIC_COSINE));
    ck_assert_near(r, 1.0, 1e-15);
    /* a distance beyond the range of a double */
    const double big[5] = {1.5e308, 0, 0, 0, 0};
    const double neg[5] = {-1.5e308, 0, 0, 0, 0};
    ck_assert_ok(vs_vector_set_values(a, big, 5));
    ck_assert_ok(vs_vector_set_values(c, neg, 5));
    r = 42;
    ck_assert_status(vs_vector_compare(&r, a, c, VS_METRIC_L1), VS_EUNDEFINED);
    ck_assert_status(vs_vector_compare(&r, a, c, VS_METRIC_L2), VS_EUNDEFINED);
    ck_assert(r == 42);
    ck_assert_ok(vs_vector_compare(&r, a, c, VS_METRIC_COSINE));
    ck_assert_near(r, -1.0, 1e-15);
    vs_vector_free(a);
    vs_vector_free(b);
    vs_vector_free(c);
    vs_space_free(s);
}
END_TEST

/* ---------------------------------------------------------------- ipsatisation */

START_TEST(test_ipsatize_worked_example) {
    /* docs/METHODS.md §1.2: [5,4,6,3,2,5,4,4,6,5] -> MRAT 4.4 -> [0.6,-0.4,1.6,-1.4,-2.4,0.6,-0.4,-0.4,1.6,0.6] */
    vs_space *s = builtin("schwartz10");
    const double x[10] = {5, 4, 6, 3, 2, 5, 4, 4, 6, 5};
    const double want[10] = {0.6, -0.4, 1.6, -1.4, -2.4, 0.6, -0.4, -0.4, 1.6, 0.6};
    vs_vector *v = vec(s, 0, x, 10);
    ck_assert_ok(vs_vector_ipsatize(v));
    assert_values(v, want, 10, 1e-6);
    assert_values(v, want, 10, 1e-12);

    /* missing entries stay missing and do not enter the mean: mean of 1, 2, 6 is 3 */
    const double y[10] = {1, NAN, 2, NAN, NAN, NAN, 6, NAN, NAN, NAN};
    const double ywant[10] = {-2, NAN, -1, NAN, NAN, NAN, 3, NAN, NAN, NAN};
    ck_assert_ok(vs_vector_set_values(v, y, 10));
    ck_assert_ok(vs_vector_ipsatize(v));
    assert_values(v, ywant, 10, 1e-12);

    /* never divides by the SD: the spread is kept */
    const double z[10] = {10, 30, 10, 30, 10, 30, 10, 30, 10, 30};
    ck_assert_ok(vs_vector_set_values(v, z, 10));
    ck_assert_ok(vs_vector_ipsatize(v));
    double e = 0;
    ck_assert_ok(vs_vector_get(&e, v, 1));
    ck_assert_near(e, 10.0, 1e-12);

    /* all missing: undefined, unchanged */
    vs_vector *m = NULL;
    ck_assert_ok(vs_vector_create(&m, s, 0));
    ck_assert_status(vs_vector_ipsatize(m), VS_EUNDEFINED);
    ck_assert_uint_eq(vs_vector_missing_count(m), 10);
    ck_assert_status(vs_vector_ipsatize(NULL), VS_EINVAL);
    /* a centred value that would overflow: unchanged */
    const double o[10] = {1.7e308, -1.7e308, NAN, NAN, NAN, NAN, NAN, NAN, NAN, -1.7e308};
    ck_assert_ok(vs_vector_set_values(m, o, 10));
    ck_assert_status(vs_vector_ipsatize(m), VS_EUNDEFINED);
    assert_values(m, o, 10, 0);
    vs_vector_free(m);
    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

/* ---------------------------------------------------------------- circle fit */

START_TEST(test_circle_fit_exact_sinusoid) {
    vs_space *s = builtin("schwartz10");
    /* Tradition and Conformity share a wedge on the 10-value circle */
    ck_assert_near(vs_space_angle(s, vs_space_level_offset(s, 0) + entry(s, 0, "Tradition")), 240.0, 1e-12);
    ck_assert_near(vs_space_angle(s, vs_space_level_offset(s, 0) + entry(s, 0, "Conformity")), 240.0, 1e-12);
    const double pi = 3.14159265358979323846;
    const double phases[] = {70.0, 330.0, 0.0, 181.25};
    for (size_t p = 0; p < sizeof phases / sizeof phases[0]; p++) {
        vs_vector *v = NULL;
        ck_assert_ok(vs_vector_create(&v, s, 0));
        for (size_t i = 0; i < 10; i++) {
            double deg = vs_space_angle(s, vs_space_level_offset(s, 0) + i);
            ck_assert(!isnan(deg));
            ck_assert_ok(vs_vector_set(v, i, 2.0 + 1.5 * cos((deg - phases[p]) * pi / 180.0)));
        }
        vs_circle_fit fit = VS_CIRCLE_FIT_INIT;
        ck_assert_ok(vs_vector_circle_fit(&fit, v));
        ck_assert_near(fit.mesor, 2.0, 1e-9);
        ck_assert_near(fit.amplitude, 1.5, 1e-9);
        double dphase = fmod(fit.phase_degrees - phases[p] + 540.0, 360.0) - 180.0;
        ck_assert_near(dphase, 0.0, 1e-9);
        ck_assert(fit.phase_degrees >= 0 && fit.phase_degrees < 360);
        ck_assert_near(fit.r_squared, 1.0, 1e-9);
        ck_assert_uint_eq(fit.n, 10);
        ck_assert_uint_eq(fit.struct_size, sizeof(vs_circle_fit));
        vs_vector_free(v);
    }
    vs_space_free(s);
}
END_TEST

START_TEST(test_circle_fit_against_r) {
    /* R 4.x:
     *   deg <- c(0, 50, 100, 150, 200, 250, 300.5)
     *   v <- c(3.1, 2.4, 0.9, -0.2, 0.35, 1.8, 2.95)
     *   t <- deg * pi / 180
     *   f <- lm(v ~ cos(t) + sin(t)); co <- coef(f)
     *   co                          # 1.66250050734456734 1.60859233095827925 -0.57982503898364313
     *   sqrt(co[2]^2 + co[3]^2)     # 1.7099024425534264
     *   atan2(co[3], co[2]) * 180 / pi + 360   # 340.17805185606443
     *   summary(f)$r.squared        # 0.98882537978067342
     * Two more dimensions do not take part: one without an angle, one with a missing value. */
    static const char *const keys[] = {"d0", "d50", "noangle", "d100", "d150", "d200", "missing", "d250", "d300"};
    const double angles[] = {0, 50, NAN, 100, 150, 200, 123, 250, 300.5};
    const double x[] = {3.1, 2.4, 99, 0.9, -0.2, 0.35, NAN, 1.8, 2.95};
    vs_space *s = flat_space(keys, 9, angles);
    vs_vector *v = vec(s, 0, x, 9);
    vs_circle_fit fit = VS_CIRCLE_FIT_INIT;
    ck_assert_ok(vs_vector_circle_fit(&fit, v));
    ck_assert_uint_eq(fit.n, 7);
    ck_assert_near(fit.mesor, 1.66250050734456734, 1e-12);
    ck_assert_near(fit.amplitude, 1.7099024425534264, 1e-12);
    ck_assert_near(fit.phase_degrees, 340.17805185606443, 1e-9);
    ck_assert_near(fit.r_squared, 0.98882537978067342, 1e-12);
    /* a larger struct_size (a newer caller) is accepted */
    struct {
        vs_circle_fit fit;
        double extra;
    } bigger;
    memset(&bigger, 0, sizeof bigger);
    bigger.fit.struct_size = (uint32_t)sizeof bigger;
    bigger.extra = -3;
    ck_assert_ok(vs_vector_circle_fit(&bigger.fit, v));
    ck_assert_near(bigger.fit.amplitude, 1.7099024425534264, 1e-12);
    ck_assert(bigger.extra == -3);
    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

/* Field by field (memcmp would read the struct's padding). */
static void assert_fit_eq(const vs_circle_fit *a, const vs_circle_fit *b) {
    ck_assert_uint_eq(a->struct_size, b->struct_size);
    ck_assert(a->mesor == b->mesor);
    ck_assert(a->amplitude == b->amplitude);
    ck_assert(a->phase_degrees == b->phase_degrees);
    ck_assert(a->r_squared == b->r_squared);
    ck_assert_uint_eq(a->n, b->n);
}

START_TEST(test_circle_fit_degenerate) {
    vs_circle_fit fit = VS_CIRCLE_FIT_INIT;
    vs_circle_fit untouched;

    /* all angles on two opposite points: singular */
    static const char *const k6[] = {"a", "b", "c", "d", "e", "f"};
    const double opposite[] = {30, 210, 30, 210, 30, 210};
    const double x6[] = {1, 2, 3, 4, 5, 6};
    vs_space *s = flat_space(k6, 6, opposite);
    vs_vector *v = vec(s, 0, x6, 6);
    memcpy(&untouched, &fit, sizeof fit);
    ck_assert_status(vs_vector_circle_fit(&fit, v), VS_EUNDEFINED);
    assert_fit_eq(&fit, &untouched);
    vs_vector_free(v);
    vs_space_free(s);

    /* all on one point */
    const double same[] = {90, 90, 90, 90, 90, 90};
    s = flat_space(k6, 6, same);
    v = vec(s, 0, x6, 6);
    ck_assert_status(vs_vector_circle_fit(&fit, v), VS_EUNDEFINED);
    vs_vector_free(v);
    vs_space_free(s);

    /* three distinct angles are enough for a unique fit */
    const double three[] = {0, 120, 240, 0, 120, 240};
    s = flat_space(k6, 6, three);
    v = vec(s, 0, x6, 6);
    ck_assert_ok(vs_vector_circle_fit(&fit, v));
    /* means per angle: 0 -> 2.5, 120 -> 3.5, 240 -> 4.5; a = 3.5 */
    ck_assert_near(fit.mesor, 3.5, 1e-12);
    ck_assert_uint_eq(fit.n, 6);

    /* fewer than 4 usable dimensions */
    const double few[] = {1, 2, 3, NAN, NAN, NAN};
    ck_assert_ok(vs_vector_set_values(v, few, 6));
    memcpy(&untouched, &fit, sizeof fit);
    ck_assert_status(vs_vector_circle_fit(&fit, v), VS_EUNDEFINED);
    assert_fit_eq(&fit, &untouched);

    /* constant values: SS_tot = 0, flat fit, R^2 = 1, phase 0 */
    const double flat[] = {2, 2, 2, 2, 2, 2};
    ck_assert_ok(vs_vector_set_values(v, flat, 6));
    ck_assert_ok(vs_vector_circle_fit(&fit, v));
    ck_assert_near(fit.mesor, 2.0, 1e-12);
    ck_assert_near(fit.amplitude, 0.0, 1e-12);
    ck_assert(fit.phase_degrees == 0);
    ck_assert(fit.r_squared == 1);

    /* bad arguments */
    vs_circle_fit small = VS_CIRCLE_FIT_INIT;
    small.struct_size = (uint32_t)(sizeof small - 1);
    ck_assert_status(vs_vector_circle_fit(&small, v), VS_EINVAL);
    small.struct_size = 0;
    ck_assert_status(vs_vector_circle_fit(&small, v), VS_EINVAL);
    ck_assert_status(vs_vector_circle_fit(NULL, v), VS_EINVAL);
    ck_assert_status(vs_vector_circle_fit(&fit, NULL), VS_EINVAL);
    vs_vector_free(v);
    vs_space_free(s);

    /* a space without angles */
    s = flat_space(k6, 6, NULL);
    v = vec(s, 0, x6, 6);
    ck_assert_status(vs_vector_circle_fit(&fit, v), VS_EUNDEFINED);
    vs_vector_free(v);
    vs_space_free(s);
}
END_TEST

static Suite *vector_suite(void) {
    Suite *s = suite_create("vector");
    TCase *tc = tcase_create("basics");
    tcase_add_test(tc, test_create_and_access);
    tcase_add_test(tc, test_bad_input_leaves_vector_unchanged);
    tcase_add_test(tc, test_vector_keeps_space_alive);
    tcase_add_test(tc, test_clone_is_independent);
    suite_add_tcase(s, tc);

    tc = tcase_create("allocation");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_alloc_failure_create);
    tcase_add_test(tc, test_alloc_failure_clone);
    tcase_add_test(tc, test_alloc_failure_aggregate);
    tcase_add_test(tc, test_alloc_failure_spearman);
    suite_add_tcase(s, tc);

    tc = tcase_create("aggregate");
    tcase_add_test(tc, test_aggregate_fulcra_items_to_types);
    tcase_add_test(tc, test_aggregate_all_missing_and_errors);
    tcase_add_test(tc, test_aggregate_schwartz19_to_groups);
    suite_add_tcase(s, tc);

    tc = tcase_create("compare");
    tcase_add_test(tc, test_compare_by_hand);
    tcase_add_test(tc, test_spearman_ties_against_r);
    tcase_add_test(tc, test_compare_undefined_and_mismatch);
    tcase_add_test(tc, test_compare_large_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("ipsatize");
    tcase_add_test(tc, test_ipsatize_worked_example);
    suite_add_tcase(s, tc);

    tc = tcase_create("circle");
    tcase_add_test(tc, test_circle_fit_exact_sinusoid);
    tcase_add_test(tc, test_circle_fit_against_r);
    tcase_add_test(tc, test_circle_fit_degenerate);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(vector_suite()); }
