/* Streaming line reader (io/lines.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "io/lines.h"

#define VS__LINES_CHUNK ((size_t)64 * 1024)

int vs__lines_open_file(vs__lines *r, const char *path, size_t max) {
    memset(r, 0, sizeof *r);
    r->name = path;
    r->max = max;
    r->chunk = vs__malloc(VS__LINES_CHUNK);
    if (!r->chunk) return vs__nomem("vs_dataset");
    r->file = fopen(path, "rb");
    if (!r->file) {
        int err = errno;
        vs__free(r->chunk);
        r->chunk = NULL;
        return vs__error(err == ENOENT ? VS_ENOTFOUND : VS_EIO, "cannot open '%s': %s", path, strerror(err));
    }
    return VS_OK;
}

void vs__lines_open_mem(vs__lines *r, const char *name, const char *data, size_t len, size_t max) {
    memset(r, 0, sizeof *r);
    r->name = name;
    r->max = max;
    r->mem = data ? data : "";
    r->mem_len = data ? len : 0;
}

void vs__lines_close(vs__lines *r) {
    if (r->file) fclose(r->file);
    vs__free(r->chunk);
    vs__free(r->buf);
    memset(r, 0, sizeof *r);
}

/* Ends a line of `len` bytes: strips a '\r' before the '\n' and applies the limit. */
static int finish(vs__lines *r, const char *line, size_t len, int too_long, const char **out, size_t *out_len,
                  int *out_crlf, int *out_too_long) {
    int crlf = 0;
    if (!too_long && len > 0 && line[len - 1] == '\r') {
        len--;
        crlf = 1;
    }
    if (len > r->max) too_long = 1;
    r->line++;
    *out = too_long ? "" : line;
    *out_len = too_long ? 0 : len;
    *out_crlf = crlf;
    *out_too_long = too_long;
    return 1;
}

static int next_mem(vs__lines *r, const char **out, size_t *out_len, int *out_crlf, int *out_too_long) {
    if (r->pos >= r->mem_len) return 0;
    const char *start = r->mem + r->pos;
    size_t rest = r->mem_len - r->pos;
    const char *nl = memchr(start, '\n', rest);
    size_t len = nl ? (size_t)(nl - start) : rest;
    r->pos += len + (nl ? 1 : 0);
    /* One byte over the limit is allowed here for the '\r' of a "\r\n" line end. */
    return finish(r, start, len, r->max != SIZE_MAX && len > r->max + 1, out, out_len, out_crlf, out_too_long);
}

int vs__lines_next(vs__lines *r, const char **out, size_t *out_len, int *out_crlf, int *out_too_long) {
    if (!r->file) return next_mem(r, out, out_len, out_crlf, out_too_long);
    size_t len = 0;
    int too_long = 0, any = 0;
    for (;;) {
        if (r->chunk_pos == r->chunk_len) {
            if (r->eof) break;
            size_t n = fread(r->chunk, 1, VS__LINES_CHUNK, r->file);
            if (n == 0) {
                if (ferror(r->file))
                    return vs__error(VS_EIO, "%s:%zu: read error: %s", r->name, r->line + 1, strerror(errno));
                r->eof = 1;
                break;
            }
            r->chunk_len = n;
            r->chunk_pos = 0;
        }
        any = 1;
        const char *start = r->chunk + r->chunk_pos;
        size_t avail = r->chunk_len - r->chunk_pos;
        const char *nl = memchr(start, '\n', avail);
        size_t seg = nl ? (size_t)(nl - start) : avail;
        if (!too_long) {
            if (seg > r->max + 1 - len) {
                too_long = 1; /* keep consuming up to the line end without storing */
            } else {
                if (len + seg + 1 > r->buf_cap && vs__grow((void **)&r->buf, &r->buf_cap, len + seg + 1, 1) != VS_OK)
                    return VS_ENOMEM;
                memcpy(r->buf + len, start, seg);
                len += seg;
            }
        }
        r->chunk_pos += seg + (nl ? 1 : 0);
        if (nl) break;
    }
    if (!any) return 0;
    if (!r->buf && !too_long) {
        /* An empty line before anything was stored: give it a buffer of its own. */
        if (vs__grow((void **)&r->buf, &r->buf_cap, 1, 1) != VS_OK) return VS_ENOMEM;
    }
    return finish(r, too_long ? "" : r->buf, len, too_long, out, out_len, out_crlf, out_too_long);
}

