/**
 * @file valuespace/dataset.h
 * @brief Labelled value datasets: the FULCRA JSONL reader, a generic JSONL/CSV reader, and a
 *        report of everything the reader skipped.
 *
 * A dataset is an immutable, in-memory list of **records** read from a file (streamed line by
 * line, so files of any size can be read; only the records themselves are kept). Every record
 * has an id, a prompt, a response, the full text it came from, a **source** (the model that
 * wrote the response, or any grouping column), a query source, the line it starts on, and one
 * or more **label sets**: one number per dimension of a level of a value space.
 *
 * **FULCRA files** (vs_dataset_load_fulcra()): JSON lines with the members
 * `dialogue` (string, required), `value_types` and `value_items` (arrays of strings
 * "name: score", required), `response_source` and `query_source` (strings, optional; "" when
 * absent) and optionally `id` (string or integer; without it the id is the line number in
 * decimal). Other members are ignored.
 * - Label set #VS_DATASET_TYPES is over level 0 of the built-in space "schwartz10" (the 10
 *   basic values in FULCRA's order), #VS_DATASET_ITEMS over level "item" of the built-in space
 *   "fulcra" (its 54 value items). Entries are +1 (important), -1 (opposed) or 0 (the
 *   dimension is not labelled in the record: "no connection"). FULCRA label sets never hold NaN.
 * - A label is "name: score", split at its last ':'; white space around name and score is
 *   ignored. The name is looked up with the folding rule of vs_space_find() (any case, spaces,
 *   hyphens and underscores alike), so "Self-Direction" and "self direction" are the same
 *   type. The score must be exactly "+1", "1" (meaning +1) or "-1"; anything else ("1+", "=1",
 *   "0", "+2", "") makes the label **malformed**. A name that is not a dimension of the
 *   label set's level (the refined value "humility" as a type; "Be respectful" as an item) is
 *   an **unknown** label. A label that is not a JSON string is malformed.
 * - **Duplicates** (the same dimension twice in one list of one record): the same score
 *   written twice ("benevolence: 1" and "benevolence: +1") keeps the label once and reports
 *   the later copy as #VS_DATASET_SKIP_DUPLICATE; opposite scores ("benevolence: +1" and
 *   "benevolence: -1") make the entry 0 and report every label of that dimension in the record
 *   as #VS_DATASET_SKIP_CONFLICT (lenient), or fail with VS_EDUPLICATE (strict).
 * - **Dialogue.** A turn starts at the start of the dialogue or of a line with one of the
 *   speaker tags "Human:", "Bob:" or "Assistant:" (case-sensitive); it runs to the next turn.
 *   "Human:" turns are the prompt, "Bob:" and "Assistant:" turns the response. With several
 *   turns of a side (a multi-turn dialogue) that side is the concatenation of its turns in
 *   order, separated by a blank line ("\n\n"). Each turn's text is trimmed of surrounding white
 *   space. The dialogue must start with a speaker tag (white space before it is allowed) and
 *   have a non-empty prompt and a non-empty response, else the line is a bad dialogue. The
 *   whole dialogue is vs_dataset_text().
 *
 * **Generic files** (vs_dataset_load()): JSON lines or RFC 4180 CSV with configurable field
 * names (see #vs_dataset_options); labels are numbers mapped to the dimensions of one level of
 * a caller-given space by folded name. Missing labels are NaN there (not 0).
 *
 * **Strict and lenient.** With #VS_DATASET_STRICT the reader stops at the first problem and
 * fails with a message "file:line:column: what 'offending token'" (column in bytes, 1-based,
 * of the offending JSON value or CSV field; vs_last_error()). Without it (lenient, the
 * default) the reader skips the bad label (keeping the rest of the record) or the bad line,
 * and records every skip in the dataset's **report** (vs_dataset_skip_*()): nothing is dropped
 * silently. The reasons marked "informational" below are reported but never make a strict
 * read fail.
 *
 * @threadsafety A dataset is immutable after loading: all accessors may be used from several
 * threads at once. Loading functions may run concurrently on different files.
 */
#ifndef VALUESPACE_DATASET_H
#define VALUESPACE_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"
#include "valuespace/space.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded dataset (opaque, immutable). Free with vs_dataset_free(). */
typedef struct vs_dataset vs_dataset;

/* ---------------------------------------------------------------- flags */

/** Stop at the first problem with an error instead of skipping and reporting it. */
#define VS_DATASET_STRICT (1u << 0)
/** Generic reader: the input is JSON lines (default for vs_dataset_read(); for
 *  vs_dataset_load() the default is CSV when the path ends in ".csv" (any case), else JSONL). */
#define VS_DATASET_JSONL (1u << 1)
/** Generic reader: the input is RFC 4180 CSV with a header row. */
#define VS_DATASET_CSV (1u << 2)

/** Default limit on one input line (JSONL) or one record (CSV), in bytes, without the
 *  line end. Longer lines are skipped (lenient) or fail with VS_ELIMIT (strict). */
#define VS_DATASET_DEFAULT_MAX_LINE ((size_t)16 * 1024 * 1024)

/** Label sets of a FULCRA dataset. */
#define VS_DATASET_TYPES 0  /**< the 10 basic values ("schwartz10", level 0) */
#define VS_DATASET_ITEMS 1  /**< the 54 value items ("fulcra", level "item") */

/* ---------------------------------------------------------------- skip reasons */

/** Reasons in the report (vs_dataset_skip_reason()). Values are frozen; new ones are appended. */
#define VS_DATASET_SKIP_INVALID_JSON 1u    /**< line: not one valid JSON value (token: "") */
#define VS_DATASET_SKIP_INVALID_UTF8 2u    /**< line or CSV record: ill-formed UTF-8 (token: "") */
#define VS_DATASET_SKIP_LINE_TOO_LONG 3u   /**< line or CSV record longer than the limit (token: "") */
#define VS_DATASET_SKIP_BAD_RECORD 4u      /**< line: not an object, a required field missing or of
                                                the wrong type (token: the field name, or the
                                                JSON type of the line); CSV row with the wrong
                                                number of fields (token: "") */
#define VS_DATASET_SKIP_BAD_DIALOGUE 5u    /**< line: no speaker tag first, empty prompt or response
                                                (token: the first 40 bytes of the dialogue, cut
                                                at a character boundary) */
#define VS_DATASET_SKIP_MALFORMED_LABEL 6u /**< label: bad syntax or score (token: the label text,
                                                or the JSON type name when it is not a string;
                                                generic: the field name, or the CSV field) */
#define VS_DATASET_SKIP_UNKNOWN_LABEL 7u   /**< label: the name is no dimension of the label set
                                                (token: the label text; generic: the name) */
#define VS_DATASET_SKIP_CONFLICT 8u        /**< label: the same dimension with opposite scores in
                                                one record; FULCRA: entry 0, generic: NaN
                                                (token: the label; generic: the field name) */
#define VS_DATASET_SKIP_DUPLICATE 9u       /**< informational: a label repeated with the same score;
                                                kept once (token: the repeated label) */
#define VS_DATASET_SKIP_BLANK_LINE 10u     /**< informational: an empty or all-white-space line */
#define VS_DATASET_SKIP_IGNORED_FIELD 11u  /**< informational, generic reader: a CSV column or JSON
                                                member that is neither a configured field nor a
                                                dimension; reported once, where first seen
                                                (token: its name) */
#define VS_DATASET_SKIP_INVALID_CSV 12u    /**< CSV record: bad quoting (a quote inside an unquoted
                                                field, text after a closing quote, a quote left
                                                open at the end of the input) or a NUL byte
                                                (token: "") */
/** Number of reason codes + 1 (reasons are 1 .. VS_DATASET_SKIP_REASON_END - 1). */
#define VS_DATASET_SKIP_REASON_END 13u

/**
 * @return the static, never-NULL snake_case name of a reason ("invalid_json",
 * "invalid_utf8", "line_too_long", "bad_record", "bad_dialogue", "malformed_label",
 * "unknown_label", "conflict", "duplicate", "blank_line", "ignored_field", "invalid_csv"),
 * or "unknown".
 */
VS_API const char *vs_dataset_skip_reason_name(uint32_t reason);

/* ---------------------------------------------------------------- loading */

/**
 * Reads a FULCRA JSONL file (format in the file comment), streaming it line by line.
 * @param out set to the new dataset (free with vs_dataset_free()), NULL on failure.
 * @param path the file (borrowed); messages name it as given.
 * @param flags #VS_DATASET_STRICT or 0 (lenient).
 * @return VS_OK; VS_EINVAL (NULL argument, unknown flag); VS_ENOTFOUND (no such file);
 *         VS_EIO (read error); VS_ENOMEM. Strict mode only: VS_EPARSE (invalid JSON, a record
 *         that is not an object, a missing or mistyped field, a bad dialogue, a malformed
 *         label), VS_EUTF8 (ill-formed UTF-8), VS_ENOTFOUND (an unknown type or item name),
 *         VS_EDUPLICATE (a dimension labelled with opposite scores in one record, or a JSON
 *         object with a repeated key), VS_ELIMIT (a line longer than
 *         #VS_DATASET_DEFAULT_MAX_LINE, or JSON nested deeper than 64 levels). The message is
 *         "path:line:column: ..." and quotes the offending token where there is one.
 */
VS_API int vs_dataset_load_fulcra(vs_dataset **out, const char *path, uint32_t flags);

/**
 * Like vs_dataset_load_fulcra() but from memory (`len` bytes of `data`, borrowed).
 * @param source_name names the input in messages; NULL gives "<fulcra>".
 * @param out set to the new dataset (free with vs_dataset_free()), NULL on failure
 * @param data the JSONL text (borrowed for the call; need not be NUL-terminated)
 * @param len its length in bytes
 * @param flags as for vs_dataset_load_fulcra()
 * @return the codes of vs_dataset_load_fulcra() except VS_ENOTFOUND/VS_EIO for the file.
 */
VS_API int vs_dataset_read_fulcra(vs_dataset **out, const char *data, size_t len, const char *source_name,
                                  uint32_t flags);

/**
 * Options of the generic reader. Set `struct_size` to sizeof(vs_dataset_options) (use
 * #VS_DATASET_OPTIONS_INIT); the library reads only the fields `struct_size` covers and fields
 * are only ever appended. All pointers are borrowed for the duration of the call.
 *
 * Field names are matched exactly (byte for byte) against JSON member names or CSV header
 * cells. Every other member or column whose name folds (vs_space_find()) to a dimension of
 * `level` of `space` is a label; the rest are reported once as #VS_DATASET_SKIP_IGNORED_FIELD.
 * With `labels_field` set (JSONL only) the labels are instead the members of that object
 * member (names folded the same way; a name that is no dimension is an unknown label).
 *
 * A label value is a JSON number, or a CSV field holding a decimal number (C locale, white
 * space around it allowed). JSON null, an absent member (or an absent `labels_field` object)
 * and an empty CSV field are missing (NaN). Anything else (text, true/false, non-finite
 * numbers) is a malformed label. Two members naming the same dimension (e.g. "Power" and
 * "power") with equal values keep the value (#VS_DATASET_SKIP_DUPLICATE); with different values
 * the entry is missing and both are reported as #VS_DATASET_SKIP_CONFLICT (strict:
 * VS_EDUPLICATE); missing values take no part in this rule.
 * The id, text, prompt and group fields must be JSON strings (without NUL characters) or
 * numbers (stored as their shortest decimal text); in CSV an empty field is "".
 *
 * CSV follows RFC 4180: the first non-blank record is the header; fields are separated by
 * commas; a field in double quotes may hold commas, line ends (kept as read: "
" or "
")
 * and "" for one quote; records end at a line end outside quotes ("
" or "
"). Every data
 * row must have as many fields as the header. A physical line longer than the limit ends its
 * record (which is reported as too long).
 */
typedef struct vs_dataset_options {
    uint32_t struct_size;      /**< sizeof(vs_dataset_options) */
    uint32_t flags;            /**< #VS_DATASET_STRICT, #VS_DATASET_JSONL, #VS_DATASET_CSV */
    const char *id_field;      /**< NULL: "id". Absent: the record's first line number. */
    const char *text_field;    /**< NULL: "text". Required in every record. */
    const char *prompt_field;  /**< NULL: no prompt (""). If named, required in every record. */
    const char *group_field;   /**< NULL: "group". Absent: "" (the record's source). */
    const char *labels_field;  /**< NULL: labels are top-level members / columns (see above). */
    const vs_space *space;     /**< required; the dataset keeps a reference */
    size_t level;              /**< the level of `space` the labels are over */
    size_t max_line_bytes;     /**< 0: #VS_DATASET_DEFAULT_MAX_LINE */
} vs_dataset_options;

/** Initialiser for #vs_dataset_options (every field default; `space` must still be set). */
#define VS_DATASET_OPTIONS_INIT {(uint32_t)sizeof(vs_dataset_options), 0u, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0}

/**
 * Sets `*o` to #VS_DATASET_OPTIONS_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_dataset_options_init(vs_dataset_options *o);

/**
 * Reads a generic labelled dataset file (JSON lines or CSV; see #vs_dataset_options). The
 * record's response and text are the text field; its source is the group field; its query
 * source is "". The dataset has one label set (index 0) over `options->level` of
 * `options->space`; its written counts (VS_DATASET_COUNT_WRITTEN_*) are 0.
 * @param out set to the new dataset (free with vs_dataset_free()), NULL on failure.
 * @param path the file to read
 * @param options caller-filled options (struct_size set; space and level required), borrowed for the call
 * @return VS_OK; VS_EINVAL (NULL argument, struct_size smaller than sizeof(vs_dataset_options),
 *         no space, both format flags, an unknown flag, an empty field name, labels_field
 *         with CSV); VS_ERANGE (no such level); VS_ENOTFOUND (no such file); VS_EIO;
 *         VS_ENOMEM. In both modes, for the CSV header: VS_EPARSE (empty input, bad quoting,
 *         no text column, no prompt column when `prompt_field` is set), VS_EUTF8,
 *         VS_EDUPLICATE (a column named twice, or two columns naming the same dimension),
 *         VS_ELIMIT (longer than the limit). Strict mode only: VS_EPARSE (invalid JSON or
 *         CSV quoting, a line that is not an object, a missing or mistyped field, a CSV row
 *         with a different number of fields than the header, a malformed label), VS_EUTF8,
 *         VS_ENOTFOUND (an unknown label name under `labels_field`), VS_EDUPLICATE (a
 *         repeated JSON key; different values for one dimension), VS_ELIMIT (a line or record
 *         longer than the limit; JSON nested deeper than 64 levels). Messages are
 *         "path:line:column: ..." with the offending token.
 */
VS_API int vs_dataset_load(vs_dataset **out, const char *path, const vs_dataset_options *options);

/**
 * Like vs_dataset_load() but from memory (`len` bytes of `data`, borrowed). The format is
 * JSONL unless options->flags has #VS_DATASET_CSV.
 * @param source_name names the input in messages; NULL gives "<dataset>".
 * @param out set to the new dataset (free with vs_dataset_free()), NULL on failure
 * @param data the text (borrowed for the call; need not be NUL-terminated)
 * @param len its length in bytes
 * @param options as for vs_dataset_load()
 * @return the codes of vs_dataset_load() except VS_ENOTFOUND/VS_EIO for the file.
 */
VS_API int vs_dataset_read(vs_dataset **out, const char *data, size_t len, const char *source_name,
                           const vs_dataset_options *options);

/** Frees a dataset (and drops its references to its spaces). NULL is a no-op. */
VS_API void vs_dataset_free(vs_dataset *dataset);

/* ---------------------------------------------------------------- records */

/** The path or source name the dataset was read from (owned by the dataset). */
VS_API const char *vs_dataset_name(const vs_dataset *dataset);
/** Number of records (0 for NULL). */
VS_API size_t vs_dataset_count(const vs_dataset *dataset);
/** Number of input lines read, blank and skipped ones included (0 for NULL). */
VS_API size_t vs_dataset_line_count(const vs_dataset *dataset);

/* The accessors below return NUL-terminated UTF-8 owned by the dataset (valid until
 * vs_dataset_free()), or NULL when `dataset` is NULL or `record` >= vs_dataset_count(). */
/** The record's id. */
VS_API const char *vs_dataset_id(const vs_dataset *dataset, size_t record);
/** The prompt (FULCRA: the human turn(s); generic: the prompt field or ""). */
VS_API const char *vs_dataset_prompt(const vs_dataset *dataset, size_t record);
/** The response (FULCRA: the assistant / Bob turn(s); generic: the text field). */
VS_API const char *vs_dataset_response(const vs_dataset *dataset, size_t record);
/** The full text (FULCRA: the dialogue as written; generic: the text field). */
VS_API const char *vs_dataset_text(const vs_dataset *dataset, size_t record);
/** The source (FULCRA: response_source, the model that answered; generic: the group field). */
VS_API const char *vs_dataset_source(const vs_dataset *dataset, size_t record);
/** FULCRA: query_source; generic: "". */
VS_API const char *vs_dataset_query_source(const vs_dataset *dataset, size_t record);
/** 1-based line the record starts on, or 0 when out of range. */
VS_API size_t vs_dataset_line(const vs_dataset *dataset, size_t record);

/** Selectors for vs_dataset_strings(). */
#define VS_DATASET_FIELD_ID 0u
#define VS_DATASET_FIELD_PROMPT 1u       /**< vs_dataset_prompt() */
#define VS_DATASET_FIELD_RESPONSE 2u     /**< vs_dataset_response() */
#define VS_DATASET_FIELD_TEXT 3u         /**< vs_dataset_text() */
#define VS_DATASET_FIELD_SOURCE 4u       /**< vs_dataset_source() */
#define VS_DATASET_FIELD_QUERY_SOURCE 5u /**< vs_dataset_query_source() */

/**
 * Fills `buf` with one string per record (pointers owned by the dataset, valid until
 * vs_dataset_free()), e.g. all responses as a plain array for an evaluator.
 * `*out_needed` is set to vs_dataset_count() whenever the arguments are valid.
 * @return VS_OK, VS_EINVAL (NULL out_needed or dataset, NULL buf with cap > 0, unknown field),
 *         VS_EBUFSIZE (cap too small; nothing written).
 */
VS_API int vs_dataset_strings(size_t *out_needed, const vs_dataset *dataset, uint32_t field, const char **buf,
                              size_t cap);

/* ---------------------------------------------------------------- sources */

/** Number of distinct sources (numbered in order of first appearance). */
VS_API size_t vs_dataset_source_count(const vs_dataset *dataset);
/** Name of source `j` (owned by the dataset), or NULL if out of range. */
VS_API const char *vs_dataset_source_name(const vs_dataset *dataset, size_t j);
/** Number of records of source `j` (0 if out of range). */
VS_API size_t vs_dataset_source_record_count(const vs_dataset *dataset, size_t j);
/** The former name of vs_dataset_source_record_count() (README, "Deprecated names").
 *  @deprecated Use vs_dataset_source_record_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_dataset_source_record_count")
size_t vs_dataset_source_size(const vs_dataset *dataset, size_t j);
/** Source index of a record, or VS_NPOS if out of range. */
VS_API size_t vs_dataset_source_index(const vs_dataset *dataset, size_t record);

/**
 * Fills `buf` with the source index of every record (for stratified splits).
 * `*out_needed` is set to vs_dataset_count() whenever the arguments are valid.
 * @return VS_OK, VS_EINVAL (NULL out_needed or dataset, NULL buf with cap > 0), VS_EBUFSIZE.
 */
VS_API int vs_dataset_source_indices(size_t *out_needed, const vs_dataset *dataset, size_t *buf, size_t cap);

/* ---------------------------------------------------------------- labels */

/** Number of label sets (FULCRA: 2; generic: 1; 0 for NULL). */
VS_API size_t vs_dataset_label_set_count(const vs_dataset *dataset);
/** The space of label set `set` (borrowed: valid while the dataset lives), or NULL. */
VS_API const vs_space *vs_dataset_label_space(const vs_dataset *dataset, size_t set);
/** The level of that space the label set is over, or VS_NPOS. */
VS_API size_t vs_dataset_label_level(const vs_dataset *dataset, size_t set);
/** Number of dimensions of label set `set` (the size of its level), 0 if out of range. */
VS_API size_t vs_dataset_label_dimension_count(const vs_dataset *dataset, size_t set);
/** The former name of vs_dataset_label_dimension_count() (README, "Deprecated names").
 *  @deprecated Use vs_dataset_label_dimension_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_dataset_label_dimension_count")
size_t vs_dataset_label_size(const vs_dataset *dataset, size_t set);

/**
 * Copies the labels of one record (one double per dimension of the set's level, in the
 * level's order: FULCRA +1 / 0 / -1; generic any finite number or NaN = missing).
 * `*out_needed` is set to vs_dataset_label_dimension_count() whenever the arguments are valid.
 * @return VS_OK, VS_EINVAL (NULL out_needed or dataset, NULL buf with cap > 0), VS_ERANGE
 *         (no such record or set), VS_EBUFSIZE (cap too small; nothing written).
 */
VS_API int vs_dataset_labels(size_t *out_needed, const vs_dataset *dataset, size_t record, size_t set,
                             double *buf, size_t cap);

/**
 * Copies the labels of all records as a row-major matrix (vs_dataset_count() rows,
 * vs_dataset_label_dimension_count() columns). `*out_needed` is set to rows * columns whenever the
 * arguments are valid.
 * @return VS_OK, VS_EINVAL, VS_ERANGE (no such set), VS_ELIMIT (rows * columns overflows),
 *         VS_EBUFSIZE (nothing written).
 */
VS_API int vs_dataset_label_matrix(size_t *out_needed, const vs_dataset *dataset, size_t set, double *buf,
                                   size_t cap);

/** What vs_dataset_label_counts() counts, per dimension. */
#define VS_DATASET_COUNT_POSITIVE 0u      /**< records whose entry is > 0 */
#define VS_DATASET_COUNT_NEGATIVE 1u      /**< records whose entry is < 0 */
#define VS_DATASET_COUNT_ZERO 2u          /**< records whose entry is 0 (FULCRA: unlabelled) */
#define VS_DATASET_COUNT_MISSING 3u       /**< records whose entry is NaN (generic only) */
#define VS_DATASET_COUNT_WRITTEN_PLUS 4u  /**< FULCRA: valid known labels written "+1", before the
                                               duplicate rule (so repeated and conflicting labels
                                               count); generic: 0 */
#define VS_DATASET_COUNT_WRITTEN_ONE 5u   /**< FULCRA: the same for labels written "1" */
#define VS_DATASET_COUNT_WRITTEN_MINUS 6u /**< FULCRA: the same for labels written "-1" */

/**
 * Counts, per dimension of label set `set`, what `which` (a VS_DATASET_COUNT_* value) says.
 * `*out_needed` is set to vs_dataset_label_dimension_count() whenever the arguments are valid.
 * @return VS_OK, VS_EINVAL (NULL out_needed or dataset, NULL buf with cap > 0, unknown
 *         `which`), VS_ERANGE (no such set), VS_EBUFSIZE (nothing written).
 */
VS_API int vs_dataset_label_counts(size_t *out_needed, const vs_dataset *dataset, size_t set, uint32_t which,
                                   size_t *buf, size_t cap);

/* ---------------------------------------------------------------- report */

/**
 * The report counts every entry, but keeps the details (reason, line, column, token, message)
 * of only the first #VS_DATASET_SKIP_DETAILS_MAX entries in report order (by line, then by
 * column within a line), so that a file with millions of bad labels loads in bounded memory.
 * vs_dataset_skip_count() counts all entries; vs_dataset_skip_total() and the accessors below
 * cover the entries with details. The number of entries left out is the sum of
 * vs_dataset_skip_count() over the reasons 1 .. VS_DATASET_SKIP_REASON_END - 1 minus
 * vs_dataset_skip_total(). Strict mode does not depend on the details kept.
 */
#define VS_DATASET_SKIP_DETAILS_MAX 10000u

/** Number of report entries with details, all reasons (0 for NULL; at most
 *  #VS_DATASET_SKIP_DETAILS_MAX). Entries are in input order. */
VS_API size_t vs_dataset_skip_total(const vs_dataset *dataset);
/** Number of report entries with `reason`, details kept or not (0 for NULL or an unknown
 *  reason). */
VS_API size_t vs_dataset_skip_count(const vs_dataset *dataset, uint32_t reason);
/** Reason of entry `k` (a VS_DATASET_SKIP_* value), or 0 if out of range. */
VS_API uint32_t vs_dataset_skip_reason(const vs_dataset *dataset, size_t k);
/** 1-based line of entry `k`, or 0 if out of range. */
VS_API size_t vs_dataset_skip_line(const vs_dataset *dataset, size_t k);
/** 1-based byte column of entry `k` (of the offending JSON value or CSV field; 1 for a
 *  whole-line problem), or 0 if out of range. */
VS_API size_t vs_dataset_skip_column(const vs_dataset *dataset, size_t k);
/** The offending token of entry `k` (see the reasons; valid UTF-8, at most 200 bytes, cut
 *  at a character boundary; owned by the dataset), or NULL if out of range. */
VS_API const char *vs_dataset_skip_token(const vs_dataset *dataset, size_t k);
/** A one-line English description of entry `k` (owned by the dataset, without the
 *  "file:line:column: " prefix), or NULL if out of range. */
VS_API const char *vs_dataset_skip_message(const vs_dataset *dataset, size_t k);

/**
 * Fills `buf` with the line of every report entry with `reason` that has details, in input
 * order (a line appears once per entry, so twice for two bad labels on one line).
 * `*out_needed` is set to the number of such entries (vs_dataset_skip_count(dataset, reason)
 * unless entries were left out) whenever the arguments are valid.
 * @return VS_OK, VS_EINVAL (NULL out_needed or dataset, NULL buf with cap > 0, unknown
 *         reason), VS_EBUFSIZE (nothing written).
 */
VS_API int vs_dataset_skip_lines(size_t *out_needed, const vs_dataset *dataset, uint32_t reason, size_t *buf,
                                 size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_DATASET_H */
