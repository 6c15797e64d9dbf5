/* JSON-lines journals: the streaming line reader, write_all and the header line (see jsonl.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/internal.h"
#include "io/jsonl.h"

/* Bytes asked of read() at a time (the buffer starts at this size and grows to max_line + 1). */
#define BLOCK ((size_t)1 << 16)

int vs__jsonl_open(vs__jsonl_reader *r, const char *path, size_t max_line) {
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->path = path;
    r->max_line = max_line;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        return vs__error(err == ENOENT ? VS_ENOTFOUND : VS_EIO, "cannot open '%s': %s", path, strerror(err));
    }
    r->fd = fd;
    return VS_OK;
}

void vs__jsonl_close(vs__jsonl_reader *r) {
    if (r->fd >= 0) close(r->fd);
    vs__free(r->buf);
    r->fd = -1;
    r->buf = NULL;
    r->cap = r->beg = r->end = r->scanned = 0;
}

/* Reads more bytes after buf[end); sets eof at the end of the file. */
static int fill(vs__jsonl_reader *r) {
    for (;;) {
        ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return vs__error(VS_EIO, "cannot read '%s': %s", r->path, strerror(errno));
        if (n == 0) r->eof = 1;
        r->end += (size_t)n;
        return VS_OK;
    }
}

/* A line longer than the limit: reads on (keeping nothing) to tell an over-long line, which is
 * an error, from a torn last line, which is left out like any other. */
static int skip_long(vs__jsonl_reader *r) {
    size_t line = r->line + 1;
    for (;;) {
        r->beg = r->end = r->scanned = 0;
        if (r->eof) {
            r->torn = 1;
            return 0;
        }
        int rc = fill(r);
        if (rc != VS_OK) return rc;
        if (memchr(r->buf, '\n', r->end))
            return vs__error(VS_ELIMIT, "%s:%zu: a line longer than %zu bytes", r->path, line, r->max_line);
    }
}

int vs__jsonl_next(vs__jsonl_reader *r, const char **line, size_t *len) {
    for (;;) {
        size_t have = r->end - r->beg;
        const char *nl = have > r->scanned ? memchr(r->buf + r->beg + r->scanned, '\n', have - r->scanned) : NULL;
        if (nl) {
            size_t ll = (size_t)(nl - (r->buf + r->beg));
            *line = r->buf + r->beg;
            *len = ll;
            r->beg += ll + 1;
            r->scanned = 0;
            r->line++;
            r->valid_len += ll + 1;
            return 1;
        }
        r->scanned = have;
        if (have > r->max_line) return skip_long(r); /* max_line + 1 bytes without a newline */
        if (r->eof) {
            r->torn = have > 0;
            return 0;
        }
        if (r->beg > 0) { /* the partial line to the front */
            memmove(r->buf, r->buf + r->beg, have);
            r->beg = 0;
            r->end = have;
        }
        if (r->end == r->cap) {
            size_t most = r->max_line + 1, cap = r->cap ? 2 * r->cap : BLOCK;
            if (cap > most || cap < r->cap) cap = most;
            char *p = vs__realloc_array(r->buf, cap, 1);
            if (!p) return vs__nomem(r->path);
            r->buf = p;
            r->cap = cap;
        }
        int rc = fill(r);
        if (rc != VS_OK) return rc;
    }
}

int vs__jsonl_parse(vs_json **out, const vs__jsonl_reader *r, const char *line, size_t len, size_t max_depth) {
    char src[48];
    snprintf(src, sizeof src, "line %zu", r->line);
    int rc = vs__json_parse(out, line, len, src, max_depth);
    return rc == VS_OK ? VS_OK : vs__error_prefix(rc, "%s", r->path);
}

int vs__jsonl_read_all(const char *path, size_t max_line, size_t max_depth, int missing_ok, const char *what,
                       vs__jsonl_line_fn on_header, vs__jsonl_line_fn on_record, void *ud, size_t *valid_len,
                       int *torn) {
    *valid_len = 0;
    *torn = 0;
    vs__jsonl_reader rd;
    int rc = vs__jsonl_open(&rd, path, max_line);
    if (rc == VS_ENOTFOUND && missing_ok) return VS_OK;
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", what);
    const char *text = NULL;
    size_t len = 0;
    int got;
    while (rc == VS_OK && (got = vs__jsonl_next(&rd, &text, &len)) != 0) {
        if (got < 0) {
            rc = got;
            break;
        }
        vs_json *doc = NULL;
        rc = vs__jsonl_parse(&doc, &rd, text, len, max_depth);
        if (rc != VS_OK) break;
        rc = (rd.line == 1 ? on_header : on_record)(ud, &doc, rd.line);
        vs__json_free(doc);
    }
    *valid_len = (size_t)rd.valid_len;
    *torn = rd.torn;
    vs__jsonl_close(&rd);
    return rc;
}

/* ---- writing */

int vs__write_all_errno(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return errno ? errno : EIO;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int vs__write_all(int fd, const void *p, size_t len, const char *what) {
    int err = vs__write_all_errno(fd, p, len);
    return err ? vs__error(VS_EIO, "%s: write failed: %s", what, strerror(err)) : VS_OK;
}

int vs__jsonl_write_doc(int fd, vs_json_writer *w, const char *what) {
    char *text = NULL;
    int rc = vs__jw_finish(w, &text);
    if (rc != VS_OK) return rc;
    size_t len = strlen(text);
    text[len] = '\n'; /* the NUL becomes the newline: one write of len + 1 bytes */
    rc = vs__write_all(fd, text, len + 1, what);
    vs__free(text);
    return rc;
}

/* ---- the header */

void vs__jsonl_header_begin(vs_json_writer *w, const vs__jsonl_schema *sc) {
    vs__jw_begin_object(w);
    vs__jw_key(w, "schema");
    vs__jw_string(w, sc->name);
    vs__jw_key(w, "version");
    vs__jw_int(w, sc->version);
}

int vs__jsonl_header_check(const vs_json *doc, const char *path, const vs__jsonl_schema *sc) {
    const vs_json *schema = vs__json_get(doc, "schema"), *ver = vs__json_get(doc, "version");
    const char *article = strchr("aeiou", sc->what[0]) ? "an" : "a";
    if (doc->type != VS_JSON_OBJECT || !schema || schema->type != VS_JSON_STRING ||
        (strcmp(schema->u.string.ptr, sc->name) != 0 && !(sc->old_name && strcmp(schema->u.string.ptr, sc->old_name) == 0)))
        return vs__error(VS_EPARSE, "%s:1: not %s %s (the first line's \"schema\" is not \"%s\")", path, article,
                         sc->what, sc->name);
    if (!ver || ver->type != VS_JSON_NUMBER)
        return vs__error(VS_EPARSE, "%s:1: %s header: \"version\" must be a number", path, sc->what);
    if (ver->u.number != sc->version)
        return vs__error(VS_EVERSION, "%s:1: %s version %g; this library reads version %d", path, sc->what,
                         ver->u.number, sc->version);
    return VS_OK;
}

int vs__jsonl_header_read(vs_json **out, const char *path, size_t max_line, const vs__jsonl_schema *sc,
                          int missing_ok) {
    *out = NULL;
    vs__jsonl_reader r;
    int rc = vs__jsonl_open(&r, path, max_line);
    if (rc == VS_ENOTFOUND && missing_ok) return VS_OK;
    if (rc != VS_OK) return vs__error_prefix(rc, "%s '%s'", sc->what, path);
    const char *line = NULL;
    size_t len = 0;
    int got = vs__jsonl_next(&r, &line, &len);
    rc = got < 0 ? got : VS_OK;
    if (got == 1) {
        rc = vs__jsonl_parse(out, &r, line, len, 16);
        if (rc == VS_OK && (rc = vs__jsonl_header_check(*out, path, sc)) != VS_OK) {
            vs__json_free(*out);
            *out = NULL;
        }
    }
    vs__jsonl_close(&r);
    return rc;
}

static void write_value(vs_json_writer *w, const vs_json *v) {
    switch (v->type) {
    case VS_JSON_NULL: vs__jw_null(w); break;
    case VS_JSON_FALSE: vs__jw_bool(w, 0); break;
    case VS_JSON_TRUE: vs__jw_bool(w, 1); break;
    case VS_JSON_NUMBER: vs__jw_number(w, v->u.number); break;
    case VS_JSON_STRING: vs__jw_string_len(w, v->u.string.ptr, v->u.string.len); break;
    case VS_JSON_ARRAY:
        vs__jw_begin_array(w);
        for (size_t i = 0; i < v->u.array.count; i++) write_value(w, v->u.array.items[i]);
        vs__jw_end_array(w);
        break;
    case VS_JSON_OBJECT:
        vs__jw_begin_object(w);
        for (size_t i = 0; i < v->u.object.count; i++) {
            vs__jw_key_len(w, v->u.object.members[i].key, v->u.object.members[i].key_len);
            write_value(w, v->u.object.members[i].value);
        }
        vs__jw_end_object(w);
        break;
    }
}

/* Compact JSON of v (a header's value: nesting within the parser's depth) into buf, cut to fit. */
static void describe(char *buf, size_t cap, const vs_json *v) {
    vs_json_writer w;
    vs__jw_init(&w, 0);
    write_value(&w, v);
    char *text = NULL;
    if (vs__jw_finish(&w, &text) != VS_OK) {
        snprintf(buf, cap, "(a %s)", vs__json_type_name(v->type));
        return;
    }
    if (strlen(text) < cap) snprintf(buf, cap, "%s", text);
    else snprintf(buf, cap, "%.*s...", (int)(cap - 4), text);
    vs__free(text);
}

static int equal(const vs_json *a, const vs_json *b) {
    if (a->type != b->type) return 0;
    switch (a->type) {
    case VS_JSON_NUMBER: return memcmp(&a->u.number, &b->u.number, sizeof(double)) == 0;
    case VS_JSON_STRING:
        return a->u.string.len == b->u.string.len && memcmp(a->u.string.ptr, b->u.string.ptr, a->u.string.len) == 0;
    case VS_JSON_ARRAY:
        if (a->u.array.count != b->u.array.count) return 0;
        for (size_t i = 0; i < a->u.array.count; i++)
            if (!equal(a->u.array.items[i], b->u.array.items[i])) return 0;
        return 1;
    case VS_JSON_OBJECT:
        if (a->u.object.count != b->u.object.count) return 0;
        for (size_t i = 0; i < a->u.object.count; i++) {
            const vs_json_member *m = &a->u.object.members[i];
            const vs_json *o = vs__json_get(b, m->key);
            if (!o || !equal(m->value, o)) return 0;
        }
        return 1;
    default: return 1;
    }
}

static int ignored(const char *key, const char *const *ignore) {
    if (strcmp(key, "schema") == 0) return 1;
    for (size_t i = 0; ignore && ignore[i]; i++)
        if (strcmp(key, ignore[i]) == 0) return 1;
    return 0;
}

/* The first field of `a` (not ignored) that `b` lacks or holds otherwise, or NULL. */
static const vs_json_member *first_difference(const vs_json *a, const vs_json *b, const char *const *ignore) {
    for (size_t i = 0; i < a->u.object.count; i++) {
        const vs_json_member *m = &a->u.object.members[i];
        if (ignored(m->key, ignore)) continue;
        const vs_json *o = vs__json_get(b, m->key);
        if (!o || !equal(m->value, o)) return m;
    }
    return NULL;
}

int vs__jsonl_header_compare(const vs_json *have, const vs_json *want, const char *const *ignore, const char *what) {
    const vs_json_member *m = first_difference(have, want, ignore);
    int from_have = m != NULL;
    if (!m) m = first_difference(want, have, ignore);
    if (!m) return VS_OK;
    const vs_json *a = from_have ? m->value : vs__json_get(have, m->key);
    const vs_json *b = from_have ? vs__json_get(want, m->key) : m->value;
    char da[320] = "(none)", db[320] = "(none)";
    if (a) describe(da, sizeof da, a);
    if (b) describe(db, sizeof db, b);
    return vs__error(VS_EMISMATCH, "%s: \"%.100s\" differs: %s vs %s", what, m->key, da, db);
}
