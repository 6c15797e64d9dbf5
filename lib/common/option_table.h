/* One option mechanism for every handle with settings: a table of descriptors {id, type,
 * bounds, offset of the field, name, accepted value names, extra rule} and the generic
 * setters, getters, bounds and name lookup that the public vs_<x>_set_int/... functions
 * forward to, so that every handle checks, stores and reports its options the same way and
 * with the same messages. Private to the library. */
#ifndef VS_COMMON_OPTION_TABLE_H
#define VS_COMMON_OPTION_TABLE_H

#include <stddef.h>
#include <stdint.h>

/* What the caller passes (the public setter that takes it). */
enum vs__opt_type { VS__OPT_INT = 1, VS__OPT_DOUBLE, VS__OPT_STR };

/* How the field at `offset` is stored in the handle. */
enum vs__opt_field {
    VS__FIELD_I64 = 1, /* int64_t */
    VS__FIELD_U64,     /* uint64_t (values within the bounds, which are never negative) */
    VS__FIELD_U32,     /* uint32_t */
    VS__FIELD_UINT,    /* unsigned int */
    VS__FIELD_DOUBLE,  /* double */
    VS__FIELD_STR      /* char *, owned by the handle (vs__strdup'd; freed by the handle's free) */
};

/* One accepted name of an enum-valued integer option; a table ends with a NULL name. The first
 * name of a value is its canonical one (what vs__opt_get_str returns); later ones are aliases. */
typedef struct vs__opt_name {
    const char *name;
    int value;
} vs__opt_name;

/* A value on its way in, for the extra rule. */
typedef union vs__opt_value {
    int64_t i;
    double d;
    const char *s;
} vs__opt_value;

typedef struct vs__option vs__option;

/* An extra rule checked after the type and the bounds (a power of two, "not after training",
 * UTF-8): returns VS_OK, or sets the message (starting with `where`) and returns its status. */
typedef int (*vs__opt_check_fn)(const void *handle, const vs__option *o, vs__opt_value v, const char *where);

struct vs__option {
    int id;                     /* the public enum value */
    unsigned char type, field;  /* enum vs__opt_type, enum vs__opt_field */
    double min, max;            /* inclusive bounds of INT and DOUBLE options */
    size_t offset;              /* offsetof(handle struct, field) */
    const char *name;           /* lowercase name: messages and vs_<x>_option_id() */
    const vs__opt_name *names;  /* INT options settable by name, or NULL */
    const char *noun;           /* what a value name is called in messages ("score method"); NULL: name */
    vs__opt_check_fn check;     /* or NULL */
};

typedef struct vs__option_table {
    const char *prefix; /* "vs_fa": messages name the public function prefix + "_set_int" etc. */
    const vs__option *opts;
    size_t count;
} vs__option_table;

/* Rows for the common cases: an int64_t, enum-valued int64_t or double member of struct T. Rows
 * with another storage or an extra rule are written out in full. */
#define VS__OPT_ROW_INT(T, id, member, lo, hi, name) \
    {id, VS__OPT_INT, VS__FIELD_I64, lo, hi, offsetof(T, member), name, NULL, NULL, NULL}
#define VS__OPT_ROW_ENUM(T, id, member, lo, hi, name, names, noun) \
    {id, VS__OPT_INT, VS__FIELD_I64, lo, hi, offsetof(T, member), name, names, noun, NULL}
#define VS__OPT_ROW_DOUBLE(T, id, member, lo, hi, name) \
    {id, VS__OPT_DOUBLE, VS__FIELD_DOUBLE, lo, hi, offsetof(T, member), name, NULL, NULL, NULL}

#define VS__OPTION_TABLE(prefix, opts) {prefix, opts, sizeof(opts) / sizeof((opts)[0])}

/* Each returns VS_OK or a status with the message set as the public function
 * `prefix_<verb>` would: VS_EINVAL for a NULL argument, an unknown option, the wrong type or
 * NaN; VS_ERANGE outside the bounds; VS_ENOTFOUND for an unknown value name; VS_ENOMEM; or
 * what the extra rule returns. On failure the handle is unchanged. */
int vs__opt_set_int(const vs__option_table *t, void *handle, int id, int64_t value);
int vs__opt_set_double(const vs__option_table *t, void *handle, int id, double value);
/* A string option (copied) or an enum-valued integer option by one of its names. */
int vs__opt_set_str(const vs__option_table *t, void *handle, int id, const char *value);
int vs__opt_get_int(const vs__option_table *t, int64_t *out, const void *handle, int id);
int vs__opt_get_double(const vs__option_table *t, double *out, const void *handle, int id);
/* A string option's value (owned by the handle) or an enum-valued option's canonical name. */
int vs__opt_get_str(const vs__option_table *t, const char **out, const void *handle, int id);
/* The inclusive bounds of an INT or DOUBLE option (VS_EINVAL for a string option). */
int vs__opt_bounds(const vs__option_table *t, double *out_min, double *out_max, int id);
/* The option called `name` (exact, case-sensitive); VS_ENOTFOUND with a suggestion otherwise. */
int vs__opt_id(const vs__option_table *t, int *out, const char *name);
/* The name of option `id`, or NULL when there is none. */
const char *vs__opt_name_of(const vs__option_table *t, int id);
/* The descriptor of option `id`, or NULL. */
const vs__option *vs__opt_find(const vs__option_table *t, int id);
/* The canonical name of value `value` of an enum-valued option, or NULL. */
const char *vs__opt_value_name(const vs__option *o, int64_t value);

#endif
