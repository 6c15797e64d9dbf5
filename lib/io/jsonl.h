/* JSON-lines journals (the projective runner's and the lexical elicitation's): one streaming line
 * reader that tolerates a torn last line and bounds the memory a line may take, one write_all,
 * and one way to write, read (also alone, without the records) and compare the header line.
 *
 * A journal's first line is its header: a JSON object that starts with "schema" and "version"
 * (names: "valuespace/<kind>", as the other documents of the library); every further line is a
 * record. Records are written whole with their newline, so a last line without one is an
 * interrupted write (a "torn" line): readers leave it out and a resume cuts it off. */
#ifndef VS_IO_JSONL_H
#define VS_IO_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "io/json.h"

/* ---- reading lines */

/* A file read line by line in blocks: at most max_line + 1 bytes of a line are ever held, so a
 * line over the limit is refused (VS_ELIMIT) before it is read into memory. */
typedef struct vs__jsonl_reader {
    int fd;
    const char *path; /* borrowed: names the file in messages */
    size_t max_line;  /* longest line accepted, without its newline */
    char *buf;
    size_t cap, beg, end, scanned; /* unread bytes buf[beg..end), of which `scanned` hold no newline */
    size_t line;      /* number of the last line returned (1-based; 0 before the first) */
    uint64_t valid_len; /* bytes up to and including the newline of the last line returned */
    int eof;
    int torn;         /* the file ends with a line without its newline (never returned) */
} vs__jsonl_reader;

/* Opens path. VS_OK, VS_ENOTFOUND (no such file), VS_EIO; messages name the path. */
int vs__jsonl_open(vs__jsonl_reader *r, const char *path, size_t max_line);
/* The next complete line: 1 with *line (borrowed until the next call; not NUL-terminated) and
 * *len (without the newline); 0 at the end (r->torn tells whether a torn line was left out);
 * or a negative status: VS_ELIMIT ("path:LINE: a line longer than N bytes"), VS_EIO, VS_ENOMEM. */
int vs__jsonl_next(vs__jsonl_reader *r, const char **line, size_t *len);
void vs__jsonl_close(vs__jsonl_reader *r);

/* Parses a line (number r->line) as one JSON document: VS_OK or the parser's status with
 * "path:LINE:COLUMN: ..." */
int vs__jsonl_parse(vs_json **out, const vs__jsonl_reader *r, const char *line, size_t len, size_t max_depth);

/* Reads a whole journal, one JSON document per line: line 1 goes to on_header, every later line
 * to on_record (either may keep the document by setting *doc to NULL; a non-zero return stops the
 * read with that status). A missing file is an empty read when missing_ok (VS_OK, nothing
 * called); other open failures are prefixed with `what` (e.g. "journal 'PATH'"). Sets
 * *valid_len (bytes up to the last complete line) and *torn (a torn last line was left out). */
typedef int (*vs__jsonl_line_fn)(void *ud, vs_json **doc, size_t line);
int vs__jsonl_read_all(const char *path, size_t max_line, size_t max_depth, int missing_ok, const char *what,
                       vs__jsonl_line_fn on_header, vs__jsonl_line_fn on_record, void *ud, size_t *valid_len,
                       int *torn);

/* ---- writing */

/* Writes len bytes to fd, retrying short writes and EINTR: 0, or the errno of the failure. */
int vs__write_all_errno(int fd, const void *p, size_t len);
/* The same with a message: VS_OK, or VS_EIO "WHAT: write failed: REASON" (what: e.g. "journal 'x'"). */
int vs__write_all(int fd, const void *p, size_t len, const char *what);
/* Finishes a compact JSON writer and writes its document with a newline in one write; the
 * writer's status (VS_EUTF8, VS_ENOMEM, ...) or write_all's. */
int vs__jsonl_write_doc(int fd, vs_json_writer *w, const char *what);

/* ---- the header */

typedef struct vs__jsonl_schema {
    const char *name;      /* "schema" written, and read */
    const char *old_name;  /* also read (an earlier name of the same format), or NULL */
    int version;
    const char *what;      /* names the kind in messages: "journal", "elicitation journal" */
} vs__jsonl_schema;

/* Begins the header object with its "schema" and "version"; the caller adds its fields and
 * ends the object. */
void vs__jsonl_header_begin(vs_json_writer *w, const vs__jsonl_schema *sc);
/* Checks a parsed first line: an object whose "schema" is sc's name (or old name), VS_EPARSE
 * otherwise, and whose "version" is sc's, VS_EVERSION otherwise ("path:1:COL: ..."). */
int vs__jsonl_header_check(const vs_json *doc, const char *path, const vs__jsonl_schema *sc);
/* Reads the header line alone (the records are not read): *out = the checked header, or NULL
 * when the file is empty or holds only a torn line (or is missing, when missing_ok). */
int vs__jsonl_header_read(vs_json **out, const char *path, size_t max_line, const vs__jsonl_schema *sc,
                          int missing_ok);
/* Compares two headers member by member ("schema" and the names in `ignore`, NULL-terminated,
 * left out): VS_OK, or VS_EMISMATCH "WHAT: "KEY" differs: A vs B" naming the first field that
 * differs (numbers bit for bit), A from `have`, B from `want`. */
int vs__jsonl_header_compare(const vs_json *have, const vs_json *want, const char *const *ignore, const char *what);

#endif
