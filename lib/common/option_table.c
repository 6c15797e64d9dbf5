/* The generic option setters, getters, bounds and name lookup (option_table.h): one place for
 * the checks (type, NaN, bounds, value names, the extra rule) and one wording of the errors. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "common/option_table.h"

const vs__option *vs__opt_find(const vs__option_table *t, int id) {
    for (size_t i = 0; i < t->count; i++)
        if (t->opts[i].id == id) return &t->opts[i];
    return NULL;
}

const char *vs__opt_name_of(const vs__option_table *t, int id) {
    const vs__option *o = vs__opt_find(t, id);
    return o ? o->name : NULL;
}

const char *vs__opt_value_name(const vs__option *o, int64_t value) {
    if (!o->names) return NULL;
    for (const vs__opt_name *n = o->names; n->name; n++)
        if (n->value == value) return n->name;
    return NULL;
}

/* "vs_fa_set_int" from the table's prefix. */
static const char *fn_name(char buf[64], const vs__option_table *t, const char *verb) {
    snprintf(buf, 64, "%s_%s", t->prefix, verb);
    return buf;
}

static const char *type_word(int type) {
    return type == VS__OPT_INT ? "an integer" : type == VS__OPT_DOUBLE ? "a double" : "a string";
}

static const char *type_verb(int type) {
    return type == VS__OPT_INT ? "int" : type == VS__OPT_DOUBLE ? "double" : "str";
}

/* The option, or VS_EINVAL "unknown option" (NULL returned, *rc set). */
static const vs__option *lookup(int *rc, const vs__option_table *t, int id, const char *where) {
    const vs__option *o = vs__opt_find(t, id);
    if (!o) *rc = vs__error(VS_EINVAL, "%s: unknown option %d", where, id);
    return o;
}

static int wrong_type(const vs__option_table *t, const vs__option *o, const char *where, const char *verb) {
    return vs__error(VS_EINVAL, "%s: option %s holds %s; use %s_%s_%s", where, o->name, type_word(o->type), t->prefix,
                     verb, type_verb(o->type));
}

static void *field_at(void *handle, const vs__option *o) { return (char *)handle + o->offset; }

static int64_t load_int(const void *handle, const vs__option *o) {
    const void *f = (const char *)handle + o->offset;
    switch (o->field) {
    case VS__FIELD_U64: return (int64_t)*(const uint64_t *)f;
    case VS__FIELD_U32: return *(const uint32_t *)f;
    case VS__FIELD_UINT: return *(const unsigned *)f;
    default: return *(const int64_t *)f;
    }
}

static void store_int(void *handle, const vs__option *o, int64_t v) {
    void *f = field_at(handle, o);
    switch (o->field) {
    case VS__FIELD_U64: *(uint64_t *)f = (uint64_t)v; break;
    case VS__FIELD_U32: *(uint32_t *)f = (uint32_t)v; break;
    case VS__FIELD_UINT: *(unsigned *)f = (unsigned)v; break;
    default: *(int64_t *)f = v; break;
    }
}

static int out_of_range(const vs__option *o, const char *where, const char *value) {
    char lo[32], hi[32];
    vs__format_double(lo, o->min);
    vs__format_double(hi, o->max);
    return vs__error(VS_ERANGE, "%s: option %s = %s is outside [%s, %s]", where, o->name, value, lo, hi);
}

int vs__opt_set_int(const vs__option_table *t, void *handle, int id, int64_t value) {
    char where[64];
    fn_name(where, t, "set_int");
    if (!handle) return vs__error(VS_EINVAL, "%s: NULL handle", where);
    int rc = VS_OK;
    const vs__option *o = lookup(&rc, t, id, where);
    if (!o) return rc;
    if (o->type != VS__OPT_INT) return wrong_type(t, o, where, "set");
    if ((double)value < o->min || (double)value > o->max) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)value);
        return out_of_range(o, where, v);
    }
    if (o->check && (rc = o->check(handle, o, (vs__opt_value){.i = value}, where)) != VS_OK) return rc;
    store_int(handle, o, value);
    return VS_OK;
}

int vs__opt_set_double(const vs__option_table *t, void *handle, int id, double value) {
    char where[64];
    fn_name(where, t, "set_double");
    if (!handle) return vs__error(VS_EINVAL, "%s: NULL handle", where);
    int rc = VS_OK;
    const vs__option *o = lookup(&rc, t, id, where);
    if (!o) return rc;
    if (o->type != VS__OPT_DOUBLE) return wrong_type(t, o, where, "set");
    if (isnan(value)) return vs__error(VS_EINVAL, "%s: option %s = NaN is not a number", where, o->name);
    if (value < o->min || value > o->max) {
        char v[32];
        vs__format_double(v, value);
        return out_of_range(o, where, v);
    }
    if (o->check && (rc = o->check(handle, o, (vs__opt_value){.d = value}, where)) != VS_OK) return rc;
    *(double *)field_at(handle, o) = value;
    return VS_OK;
}

int vs__opt_set_str(const vs__option_table *t, void *handle, int id, const char *value) {
    char where[64];
    fn_name(where, t, "set_str");
    if (!handle || !value) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    int rc = VS_OK;
    const vs__option *o = lookup(&rc, t, id, where);
    if (!o) return rc;
    if (o->type == VS__OPT_INT && o->names) {
        for (const vs__opt_name *n = o->names; n->name; n++)
            if (strcmp(n->name, value) == 0) {
                if (o->check && (rc = o->check(handle, o, (vs__opt_value){.i = n->value}, where)) != VS_OK) return rc;
                store_int(handle, o, n->value);
                return VS_OK;
            }
        return vs__error_unknown_name(where, o->noun ? o->noun : o->name, value,
                                      (vs__names){&o->names[0].name, SIZE_MAX, sizeof o->names[0]});
    }
    if (o->type != VS__OPT_STR) return wrong_type(t, o, where, "set");
    if (o->check && (rc = o->check(handle, o, (vs__opt_value){.s = value}, where)) != VS_OK) return rc;
    char *copy = vs__strdup(value);
    if (!copy) return vs__nomem(where);
    char **slot = field_at(handle, o);
    vs__free(*slot);
    *slot = copy;
    return VS_OK;
}

int vs__opt_get_int(const vs__option_table *t, int64_t *out, const void *handle, int id) {
    char where[64];
    fn_name(where, t, "get_int");
    if (!out || !handle) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    int rc = VS_OK;
    const vs__option *o = lookup(&rc, t, id, where);
    if (!o) return rc;
    if (o->type != VS__OPT_INT) return wrong_type(t, o, where, "get");
    *out = load_int(handle, o);
    return VS_OK;
}

int vs__opt_get_double(const vs__option_table *t, double *out, const void *handle, int id) {
    char where[64];
    fn_name(where, t, "get_double");
    if (!out || !handle) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    int rc = VS_OK;
    const vs__option *o = lookup(&rc, t, id, where);
    if (!o) return rc;
    if (o->type != VS__OPT_DOUBLE) return wrong_type(t, o, where, "get");
    *out = *(const double *)((const char *)handle + o->offset);
    return VS_OK;
}

int vs__opt_get_str(const vs__option_table *t, const char **out, const void *handle, int id) {
    char where[64];
    fn_name(where, t, "get_str");
    if (out) *out = NULL;
    if (!out || !handle) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    int rc = VS_OK;
    const vs__option *o = lookup(&rc, t, id, where);
    if (!o) return rc;
    if (o->type == VS__OPT_STR) {
        *out = *(char *const *)((const char *)handle + o->offset);
        return VS_OK;
    }
    if (o->type != VS__OPT_INT || !o->names) return wrong_type(t, o, where, "get");
    const char *name = vs__opt_value_name(o, load_int(handle, o));
    /* every stored value passed the bounds, and the bounds span exactly the named values */
    if (!name) return vs__error(VS_EINVAL, "%s: option %s holds a value without a name", where, o->name);
    *out = name;
    return VS_OK;
}

int vs__opt_bounds(const vs__option_table *t, double *out_min, double *out_max, int id) {
    char where[64];
    fn_name(where, t, "option_bounds");
    if (!out_min || !out_max) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    int rc = VS_OK;
    const vs__option *o = lookup(&rc, t, id, where);
    if (!o) return rc;
    if (o->type == VS__OPT_STR)
        return vs__error(VS_EINVAL, "%s: option %s holds a string, which has no bounds", where, o->name);
    *out_min = o->min;
    *out_max = o->max;
    return VS_OK;
}

int vs__opt_id(const vs__option_table *t, int *out, const char *name) {
    char where[64];
    fn_name(where, t, "option_id");
    if (!out || !name) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->opts[i].name, name) == 0) {
            *out = t->opts[i].id;
            return VS_OK;
        }
    return vs__error_unknown_name(where, "option", name, (vs__names){&t->opts[0].name, t->count, sizeof t->opts[0]});
}
