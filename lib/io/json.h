/* A small JSON DOM reader and a streaming writer, private to the library.
 * Why our own: every allocation must go through the allocator hook, and error messages must
 * name the line and column of the offending *value* (not just of a syntax error), which the
 * packaged JSON libraries cannot give. */
#ifndef VS_IO_JSON_H
#define VS_IO_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef enum vs_json_type {
    VS_JSON_NULL,
    VS_JSON_FALSE,
    VS_JSON_TRUE,
    VS_JSON_NUMBER,
    VS_JSON_STRING,
    VS_JSON_ARRAY,
    VS_JSON_OBJECT
} vs_json_type;

typedef struct vs_json vs_json;
typedef struct vs_json_member vs_json_member;

struct vs_json {
    vs_json_type type;
    uint32_t line;   /* 1-based position of the value's first character */
    uint32_t column; /* 1-based, counted in bytes */
    union {
        double number;
        struct {
            char *ptr; /* NUL-terminated UTF-8; may contain NUL from \u0000 (see len) */
            size_t len;
        } string;
        struct {
            vs_json **items;
            size_t count;
        } array;
        struct {
            vs_json_member *members; /* in document order */
            size_t count;
        } object;
    } u;
};

struct vs_json_member {
    char *key;
    size_t key_len;
    uint32_t line, column; /* position of the key */
    vs_json *value;
};

/* Default and hard limit on nesting depth. */
#define VS_JSON_DEFAULT_MAX_DEPTH 64

/* Parses one JSON document (RFC 8259; surrounding white space allowed, nothing else after it).
 * `source` names the input in messages ("source:line:column: ..."); NULL gives "<json>".
 * Rejects: invalid UTF-8 anywhere (VS_EUTF8), nesting deeper than max_depth (VS_ELIMIT),
 * an object with the same key twice (VS_EDUPLICATE), anything else malformed (VS_EPARSE),
 * numbers outside the double range (VS_EPARSE). */
int vs__json_parse(vs_json **out, const char *text, size_t len, const char *source, size_t max_depth);

void vs__json_free(vs_json *value);

/* Member of an object by key, or NULL (also when `object` is not an object). */
const vs_json *vs__json_get(const vs_json *object, const char *key);

/* "string", "number", ... for messages. */
const char *vs__json_type_name(vs_json_type type);

/* ---- writer: a growing buffer with a sticky status; check it once at the end. */
typedef struct vs_json_writer {
    char *data;
    size_t len, cap;
    int status;            /* VS_OK until something fails */
    int pretty;            /* indent with two spaces per level */
    int depth;
    unsigned char first[VS_JSON_DEFAULT_MAX_DEPTH + 1]; /* no element written yet at this depth */
    unsigned char after_key;
    unsigned char object[VS_JSON_DEFAULT_MAX_DEPTH + 1]; /* the container at this depth is an object */
} vs_json_writer;

/* pretty: two-space indentation, one element per line, "key": value, and a final newline;
 * otherwise compact (no white space at all). Misuse (a value in an object without a key, a key
 * in an array, unbalanced ends, two top-level values) sets VS_ESTATE; a string that is not
 * valid UTF-8 sets VS_EUTF8; NULL strings or keys set VS_EINVAL. */
void vs__jw_init(vs_json_writer *w, int pretty);
void vs__jw_begin_object(vs_json_writer *w);
void vs__jw_end_object(vs_json_writer *w);
void vs__jw_begin_array(vs_json_writer *w);
void vs__jw_end_array(vs_json_writer *w);
void vs__jw_key(vs_json_writer *w, const char *key);
/* A key of len bytes (may contain NUL, written as \u0000), as vs_json_member has them. */
void vs__jw_key_len(vs_json_writer *w, const char *key, size_t len);
void vs__jw_string(vs_json_writer *w, const char *s);
void vs__jw_string_len(vs_json_writer *w, const char *s, size_t len);
/* Shortest round-trip decimal; non-finite numbers are written as null. */
void vs__jw_number(vs_json_writer *w, double x);
void vs__jw_int(vs_json_writer *w, long long x);
void vs__jw_bool(vs_json_writer *w, int b);
void vs__jw_null(vs_json_writer *w);
/* Hands over the NUL-terminated text (free with vs__free) and returns the status; on failure
 * frees everything and sets *out to NULL. */
int vs__jw_finish(vs_json_writer *w, char **out);
/* Frees the buffer without producing text. */
void vs__jw_discard(vs_json_writer *w);

/* ---- pieces for hand-written encoders of hot paths (e.g. journal records) */
/* If s[0..len) is well-formed UTF-8, writes its JSON escape (no quotes) to dst (room for
 * 6 * len bytes), sets *written and returns 1; else returns 0 with *bad (if not NULL) = offset of
 * the first bad sequence, dst's content unspecified. One pass over s. */
int vs__json_escape_valid(char *dst, const char *s, size_t len, size_t *written, size_t *bad);

#endif
