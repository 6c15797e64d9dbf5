/* Streaming line reader over a file or a memory block: one line at a time with a limit on a
 * line's length, so inputs of any size are read in bounded memory. Used by the dataset readers
 * (JSONL, CSV) and the lexical module's term-matrix and word-vector files. A last line without
 * a newline is returned like any other (the journal reader, io/jsonl.h, instead treats it as
 * torn). */
#ifndef VS_IO_LINES_H
#define VS_IO_LINES_H

#include <stddef.h>
#include <stdio.h>

typedef struct vs__lines {
    const char *name;
    FILE *file;      /* file input, or NULL */
    const char *mem; /* memory input */
    size_t mem_len, pos;
    char *buf; /* the current line (file input) */
    size_t buf_cap;
    char *chunk; /* read buffer (file input) */
    size_t chunk_len, chunk_pos;
    int eof;
    size_t max;  /* limit on a line's length */
    size_t line; /* number of the line last returned */
} vs__lines;

/* Opens a file (VS_ENOTFOUND, VS_EIO, VS_ENOMEM) or wraps memory (always VS_OK). */
int vs__lines_open_file(vs__lines *r, const char *path, size_t max);
void vs__lines_open_mem(vs__lines *r, const char *name, const char *data, size_t len, size_t max);
void vs__lines_close(vs__lines *r);

/* The next line without its line end ("\n", or "\r\n": *out_crlf is set to 1).
 * Returns 1 with a line, 0 at the end of the input, or a negative status (VS_EIO, VS_ENOMEM).
 * A line longer than the limit is consumed and returned with *out_too_long = 1 and length 0. */
int vs__lines_next(vs__lines *r, const char **out, size_t *out_len, int *out_crlf, int *out_too_long);

#endif
