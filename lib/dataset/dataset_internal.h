/* Private parts of the dataset module: the dataset object, its string arena, the report, a
 * string map, the streaming line reader and the helpers shared by the FULCRA and generic
 * readers. */
#ifndef VS_DATASET_INTERNAL_H
#define VS_DATASET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "valuespace/dataset.h"
#include "io/lines.h"

/* ---------------------------------------------------------------- string arena */

/* Strings that live as long as the dataset, packed into large blocks that never move. */
typedef struct vs__ds_block vs__ds_block;
typedef struct vs__ds_arena {
    vs__ds_block *head; /* newest block first */
} vs__ds_arena;

/* Copies s[0..len) plus a NUL into the arena; NULL on allocation failure (no message). */
char *vs__ds_arena_strndup(vs__ds_arena *arena, const char *s, size_t len);
void vs__ds_arena_free(vs__ds_arena *arena);

/* ---------------------------------------------------------------- string map */

/* An open-addressing map from byte strings (copied) to size_t. */
typedef struct vs__ds_map_slot {
    char *key; /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    size_t value;
} vs__ds_map_slot;

typedef struct vs__ds_map {
    vs__ds_map_slot *slots;
    size_t cap; /* 0 or a power of two */
    size_t used;
} vs__ds_map;

/* Looks key[0..len) up: returns 1 and sets *value if present, else 0. */
int vs__ds_map_get(const vs__ds_map *map, const char *key, size_t len, size_t *value);
/* Inserts or replaces. Returns VS_OK or VS_ENOMEM (message set). */
int vs__ds_map_put(vs__ds_map *map, const char *key, size_t len, size_t value);
void vs__ds_map_free(vs__ds_map *map);

/* ---------------------------------------------------------------- the dataset */

typedef struct vs__ds_record {
    const char *id, *prompt, *response, *text, *query_source; /* in the arena */
    size_t source;                                            /* index into sources */
    size_t line;
} vs__ds_record;

typedef struct vs__ds_skip {
    uint32_t reason;
    int status; /* the status a strict read fails with */
    size_t line, column;
    size_t seq;                  /* order of report within the load (ties on a column) */
    char *text;                  /* one allocation holding token and message */
    const char *token, *message; /* in text */
} vs__ds_skip;

#define VS__DS_MAX_SETS 2
#define VS__DS_WRITTEN 3 /* "+1", "1", "-1" */

typedef struct vs__ds_set {
    vs_space *space; /* one reference owned by the dataset */
    size_t level, offset, size;
    double *values; /* count * size, row-major */
    size_t values_cap;
    size_t *written[VS__DS_WRITTEN]; /* per dimension (FULCRA only) */
    vs__ds_map names;                /* label name as written -> dimension index or VS_NPOS */
} vs__ds_set;

struct vs_dataset {
    char *name;
    vs__ds_arena arena;
    vs__ds_record *records;
    size_t count, cap;
    size_t lines;
    uint32_t flags;

    const char **sources; /* in the arena */
    size_t *source_sizes;
    size_t n_sources, sources_cap;
    vs__ds_map source_map;

    vs__ds_set sets[VS__DS_MAX_SETS];
    size_t n_sets;

    vs__ds_skip *skips; /* details of the first VS_DATASET_SKIP_DETAILS_MAX entries */
    size_t n_skips, skips_cap;
    size_t reason_counts[VS_DATASET_SKIP_REASON_END]; /* every entry */
    size_t seq;                                       /* entries reported so far */
    size_t line_first;                                /* first kept entry of the current line */
    int line_heap;                                    /* those form a max-heap (store full) */
    int strict_set;                                   /* strict mode: the line's first failure */
    int strict_status;
    size_t strict_line, strict_column;
    char strict_message[1024];
};

/* A new empty dataset named `name` (copied). NULL on allocation failure (message set). */
vs_dataset *vs__ds_new(const char *name, uint32_t flags);

/* Adds a label set over `level` of `space`; takes over the caller's reference to `space`
 * on success and on failure. Returns VS_OK, VS_ERANGE (bad level) or VS_ENOMEM. */
int vs__ds_add_set(vs_dataset *ds, vs_space *space, size_t level, int written);

/* Appends a record; strings are copied into the arena, `labels` holds `sets[s].size` doubles
 * per set, concatenated. Returns VS_OK or VS_ENOMEM. */
int vs__ds_add_record(vs_dataset *ds, const char *id, const char *prompt, size_t prompt_len, const char *response,
                      size_t response_len, const char *text, size_t text_len, const char *source, size_t source_len,
                      const char *query_source, size_t line, const double *labels);

/* Reports an entry of the current line (token = tok[0..tok_len), cut to 200 bytes at a
 * UTF-8 boundary; the message is formatted only when its details are kept). Every entry is
 * counted; details are kept for the first VS_DATASET_SKIP_DETAILS_MAX in report order (line,
 * then column). Returns VS_OK or VS_ENOMEM. */
int vs__ds_report(vs_dataset *ds, uint32_t reason, int status, size_t line, size_t column, const char *tok,
                  size_t tok_len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

/* Brackets the entries of one input line (or CSV record). vs__ds_line_end sorts the line's
 * kept entries by column (stable, O(n log n)) and, in strict mode, fails with the status and
 * message ("name:line:column: message") of the line's first non-informational entry.
 * Returns VS_OK otherwise. */
void vs__ds_line_begin(vs_dataset *ds);
int vs__ds_line_end(vs_dataset *ds);
/* Frees the kept details (vs_dataset_free). */
void vs__ds_skips_free(vs_dataset *ds);

/* ---------------------------------------------------------------- shared helpers */

/* Length of the longest prefix of the valid UTF-8 s[0..len) of at most `max` bytes that ends
 * on a character boundary (for quoting tokens in messages). */
size_t vs__ds_cut(const char *s, size_t len, size_t max);
#define VS__DS_MAX_TOKEN 200

/* Writes s[0..len) for quoting in a one-line message into buf (VS__DS_QBUF bytes): control
 * characters escaped ("\n", "\t", "\xNN"), at most `max` bytes (<= VS__DS_MAX_TOKEN) of
 * output and then "..." if cut, always valid UTF-8 and NUL-terminated. Returns buf. */
#define VS__DS_QBUF (VS__DS_MAX_TOKEN + 8)
const char *vs__ds_q(char *buf, const char *s, size_t len, size_t max);
/* printf arguments for "%.*s" quoting s[0..n) (a temporary buffer lives to the end of the
 * enclosing full expression's block). */
#define VS__DS_QUOTE(s, n) VS__DS_QBUF, vs__ds_q((char[VS__DS_QBUF]){0}, (s), (n), VS__DS_MAX_TOKEN)

/* 1 if s[0..len) holds only ASCII white space. */
int vs__ds_blank(const char *s, size_t len);

/* One JSONL line: reports a too long line, a blank line, invalid JSON or UTF-8 and returns
 * VS_OK with *out = NULL, or VS_OK with the parsed value in *out (free with vs__json_free),
 * or VS_ENOMEM. */
struct vs_json;
int vs__ds_json_line(struct vs_json **out, vs_dataset *ds, const char *line, size_t len, size_t lineno, int too_long,
                     size_t max);

/* Looks a label name up in a set (with a per-set cache): *out_index = dimension within the
 * level or VS_NPOS when unknown. Returns VS_OK or VS_ENOMEM. The name must be NUL-free. */
int vs__ds_lookup(size_t *out_index, vs__ds_set *set, const char *name, size_t len);

/* ---------------------------------------------------------------- generic reader */

/* Per-load state of the generic readers (generic.c, csv.c). */
typedef struct vs__ds_generic {
    vs_dataset *ds;
    const char *id_f, *text_f, *prompt_f, *group_f, *labels_f; /* effective field names */
    double *values;                                            /* labels of the current record */
    size_t *first_col;                                         /* per dimension: 0 or column of its label */
    const char **first_tok;                                    /* and its token (the field name) */
    size_t *first_len;
    unsigned char *conflict;
    size_t *touched; /* dimensions labelled in the current record */
    size_t n_touched;
    vs__ds_map ignored; /* names already reported as ignored fields */
} vs__ds_generic;

/* Starts a record: every label missing. */
void vs__ds_gen_begin(vs__ds_generic *g);
/* Sets a label of the current record, applying the duplicate rule (a repeated equal value is
 * kept once and reported as a duplicate; different values make the entry NaN and are reported
 * as conflicts). NaN values are ignored. `tok` is the field name. Returns VS_OK or VS_ENOMEM. */
int vs__ds_gen_label(vs__ds_generic *g, size_t dim, double value, size_t line, size_t column, const char *tok,
                     size_t tok_len);
/* Reports a field name as ignored once per load. Returns VS_OK or VS_ENOMEM. */
int vs__ds_gen_ignored(vs__ds_generic *g, const char *name, size_t len, size_t line, size_t column);
/* Reports it without the once-per-load check (the CSV header, whose names are unique). */
int vs__ds_gen_ignored_report(vs__ds_generic *g, const char *name, size_t len, size_t line, size_t column);

int vs__ds_read_csv(vs__ds_generic *g, vs__lines *r);

/* Splits a FULCRA dialogue (dialogue.c). Returns VS_OK with the prompt and response in new
 * buffers (vs__free), VS_EPARSE with a static reason in *out_why, or VS_ENOMEM. */
int vs__ds_split_dialogue(char **out_prompt, size_t *out_prompt_len, char **out_response, size_t *out_response_len,
                          const char **out_why, const char *dialogue, size_t len);

#endif
