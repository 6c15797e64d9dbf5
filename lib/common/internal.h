/* Private helpers shared by every module: allocation through the allocator hook, the
 * thread-local error message, reference counts, locale-independent number text.
 * Nothing here is exported. */
#ifndef VS_COMMON_INTERNAL_H
#define VS_COMMON_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"

#if defined(__GNUC__)
#define VS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VS_PRINTF(a, b)
#endif

/* ---- allocation: every library allocation goes through these (and so through the hook) */
void *vs__malloc(size_t size);
/* Zeroed array of n * size bytes; NULL on overflow or failure. */
void *vs__calloc(size_t n, size_t size);
/* Resizes an array to n * size bytes; NULL on overflow or failure (old block stays valid). */
void *vs__realloc_array(void *ptr, size_t n, size_t size);
void vs__free(void *ptr);
/* Copies of strings and memory; NULL on failure. */
char *vs__strdup(const char *s);
char *vs__strndup(const char *s, size_t len);
void *vs__memdup(const void *p, size_t size);

/* Grows *array (of *cap elements of elem_size) to hold at least `need` elements.
 * Returns VS_OK or VS_ENOMEM (sets the error message). */
int vs__grow(void **array, size_t *cap, size_t need, size_t elem_size);

/* ---- errors: set the thread-local message and return `status` so callers can write
 *      `return vs__error(VS_EINVAL, "vs_space_find: name is NULL");` */
int vs__error(int status, const char *fmt, ...) VS_PRINTF(2, 3);
int vs__verror(int status, const char *fmt, va_list ap);
/* Shorthand for an allocation failure in function `where`. */
int vs__nomem(const char *where);
/* Prefixes the current thread's message with "prefix: " (keeps the status). */
int vs__error_prefix(int status, const char *fmt, ...) VS_PRINTF(2, 3);

/* ---- unknown names: suggest the closest valid one (suggest.c)
 * A table of names is any array whose elements hold a `const char *` at the same place:
 * VS__NAMES(table, field) for an array of structs, VS__NAMES_OF(strings) for an array of
 * strings. A NULL name ends a table early (tables with a {NULL, ...} sentinel work as they are). */
typedef struct vs__names {
    const void *first; /* the first element's name field */
    size_t count, stride;
} vs__names;
#define VS__NAMES(table, field) \
    ((vs__names){&(table)[0].field, sizeof(table) / sizeof((table)[0]), sizeof((table)[0])})
#define VS__NAMES_OF(strings) ((vs__names){&(strings)[0], sizeof(strings) / sizeof((strings)[0]), sizeof((strings)[0])})

/* Optimal-string-alignment (Damerau-Levenshtein) distance of a and b, ASCII case-insensitive;
 * SIZE_MAX when either is longer than 64 bytes. Allocates nothing. */
size_t vs__edit_distance(const char *a, const char *b);
/* The name closest to value within about one edit in three letters (1..3), first on ties;
 * NULL when none is that close. */
const char *vs__closest_name(const char *value, vs__names names);
/* Writes "did you mean 'X'? valid: a, b, c" (without the question when nothing is close; names
 * equal up to case listed once) into buf[0..cap), NUL-terminated and truncated like snprintf;
 * returns the length the whole text needs. */
size_t vs__suggest_format(char *buf, size_t cap, const char *value, vs__names names);
/* Sets "where: unknown what 'value' (did you mean 'X'? valid: a, b, c)" and returns VS_ENOTFOUND. */
int vs__error_unknown_name(const char *where, const char *what, const char *value, vs__names names);

/* ---- atomic reference counts */
typedef struct vs_refcount {
    uint32_t count;
} vs_refcount;
void vs__ref_init(vs_refcount *r);
void vs__ref_inc(vs_refcount *r);
/* Returns 1 when the count dropped to zero (the caller frees the object). */
int vs__ref_dec(vs_refcount *r);

/* ---- numbers as text, independent of the caller's LC_NUMERIC */
/* Parses a double from s[0..len) in the C locale; the whole span must be consumed.
 * Returns VS_OK or VS_EPARSE (no message set). */
int vs__parse_double(double *out, const char *s, size_t len);
/* Writes the shortest decimal text that reads back to the same double ("%.17g" at worst)
 * into buf (at least 32 bytes), NUL-terminated; returns its length. Non-finite values are
 * written as "nan", "inf", "-inf". */
size_t vs__format_double(char buf[32], double x);
/* Decimal text of an integer into buf (at least 21 bytes, not NUL-terminated); returns its
 * length. */
size_t vs__format_u64(char *buf, uint64_t v);
size_t vs__format_i64(char *buf, int64_t v);

#endif
