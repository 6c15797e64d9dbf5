/* JSON (RFC 8259): a DOM reader that remembers where every value and key came from, and a
 * streaming writer with a sticky status.
 *
 * Reader design: the whole input is first checked to be well-formed UTF-8 (so every later
 * step may copy non-ASCII bytes unchanged); then one loop with an explicit stack of open
 * containers (at most VS_JSON_DEFAULT_MAX_DEPTH) builds the tree. A new value is attached to
 * its parent as soon as it is allocated, so freeing the root releases everything on any
 * failure. Duplicate keys are detected when an object closes: pairwise for small objects,
 * by sorting pointers to the members for large ones (O(n log n), no hashing to attack). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "common/sort.h"
#include "common/utf8.h"
#include "io/json.h"

/* ======================================================================== UTF-8 */

static size_t utf8_encode(uint32_t cp, char *dst) {
    unsigned char *d = (unsigned char *)dst;
    if (cp < 0x80) {
        if (d) d[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        if (d) {
            d[0] = (unsigned char)(0xC0 | (cp >> 6));
            d[1] = (unsigned char)(0x80 | (cp & 0x3F));
        }
        return 2;
    }
    if (cp < 0x10000) {
        if (d) {
            d[0] = (unsigned char)(0xE0 | (cp >> 12));
            d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            d[2] = (unsigned char)(0x80 | (cp & 0x3F));
        }
        return 3;
    }
    if (d) {
        d[0] = (unsigned char)(0xF0 | (cp >> 18));
        d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        d[3] = (unsigned char)(0x80 | (cp & 0x3F));
    }
    return 4;
}

/* ======================================================================== DOM */

void vs__json_free(vs_json *v) {
    /* Recursion is bounded: the parser never builds trees deeper than
     * VS_JSON_DEFAULT_MAX_DEPTH. */
    if (!v) return;
    switch (v->type) {
    case VS_JSON_STRING:
        vs__free(v->u.string.ptr);
        break;
    case VS_JSON_ARRAY:
        for (size_t i = 0; i < v->u.array.count; i++) vs__json_free(v->u.array.items[i]);
        vs__free(v->u.array.items);
        break;
    case VS_JSON_OBJECT:
        for (size_t i = 0; i < v->u.object.count; i++) {
            vs__free(v->u.object.members[i].key);
            vs__json_free(v->u.object.members[i].value);
        }
        vs__free(v->u.object.members);
        break;
    default:
        break;
    }
    vs__free(v);
}

const vs_json *vs__json_get(const vs_json *object, const char *key) {
    if (!object || !key || object->type != VS_JSON_OBJECT) return NULL;
    size_t len = strlen(key);
    for (size_t i = 0; i < object->u.object.count; i++) {
        const vs_json_member *m = &object->u.object.members[i];
        if (m->key_len == len && memcmp(m->key, key, len) == 0) return m->value;
    }
    return NULL;
}

const char *vs__json_type_name(vs_json_type type) {
    switch (type) {
    case VS_JSON_NULL:
        return "null";
    case VS_JSON_FALSE:
    case VS_JSON_TRUE:
        return "boolean";
    case VS_JSON_NUMBER:
        return "number";
    case VS_JSON_STRING:
        return "string";
    case VS_JSON_ARRAY:
        return "array";
    case VS_JSON_OBJECT:
        return "object";
    }
    return "unknown";
}

/* ======================================================================== reader */

typedef struct parser {
    const char *s;
    size_t len;
    size_t pos;
    size_t line;       /* 1-based line of pos */
    size_t line_start; /* offset of the first byte of that line */
    const char *src;
} parser;

/* One open container: the node and the capacity of its items/members array. */
typedef struct frame {
    vs_json *node;
    size_t cap;
} frame;

static uint32_t clamp32(size_t x) { return x > UINT32_MAX ? UINT32_MAX : (uint32_t)x; }

static int perr_at(const parser *p, int status, size_t line, size_t col, const char *fmt, ...)
    VS_PRINTF(5, 6);
static int perr_at(const parser *p, int status, size_t line, size_t col, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vs__error(status, "%s:%zu:%zu: %s", p->src, line, col, msg);
}

/* Error at byte offset `off`, which lies on the current line. */
#define PERR(p, status, off, ...) perr_at((p), (status), (p)->line, (off) - (p)->line_start + 1, __VA_ARGS__)

static void skip_ws(parser *p) {
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == '\n') {
            p->line++;
            p->line_start = p->pos + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        p->pos++;
    }
}

static int at(const parser *p, char c) { return p->pos < p->len && p->s[p->pos] == c; }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex4(const parser *p, size_t i, uint32_t *out) {
    if (i > p->len || p->len - i < 4) return 0;
    uint32_t v = 0;
    for (size_t k = 0; k < 4; k++) {
        char c = p->s[i + k];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return 0;
        v = (v << 4) | d;
    }
    *out = v;
    return 1;
}

/* Reads the string whose opening quote is at p->pos. With dst == NULL it only validates and
 * counts the decoded bytes into *out_len; with dst it also writes them (no terminator).
 * *end receives the offset just after the closing quote. p->pos is not moved. */
static int string_body(const parser *p, char *dst, size_t *out_len, size_t *end) {
    const unsigned char *s = (const unsigned char *)p->s;
    size_t i = p->pos + 1, n = 0;
    for (;;) {
        if (i >= p->len) return PERR(p, VS_EPARSE, p->pos, "unterminated string");
        unsigned c = s[i];
        if (c == '"') break;
        if (c < 0x20)
            return PERR(p, VS_EPARSE, i, "control character U+%04X in a string (it must be escaped)", c);
        if (c != '\\') {
            /* A run of plain bytes (valid UTF-8 was checked up front). */
            size_t j = i + 1;
            while (j < p->len && s[j] != '"' && s[j] != '\\' && s[j] >= 0x20) j++;
            if (dst) memcpy(dst + n, s + i, j - i);
            n += j - i;
            i = j;
            continue;
        }
        if (i + 1 >= p->len) return PERR(p, VS_EPARSE, p->pos, "unterminated string");
        size_t esc = i;
        char out;
        switch (s[i + 1]) {
        case '"':
            out = '"';
            break;
        case '\\':
            out = '\\';
            break;
        case '/':
            out = '/';
            break;
        case 'b':
            out = '\b';
            break;
        case 'f':
            out = '\f';
            break;
        case 'n':
            out = '\n';
            break;
        case 'r':
            out = '\r';
            break;
        case 't':
            out = '\t';
            break;
        case 'u': {
            uint32_t cp, lo;
            if (!hex4(p, i + 2, &cp))
                return PERR(p, VS_EPARSE, esc, "invalid \\u escape (expected four hexadecimal digits)");
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (i + 1 < p->len && s[i] == '\\' && s[i + 1] == 'u' && hex4(p, i + 2, &lo) && lo >= 0xDC00 &&
                    lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                } else {
                    return PERR(p, VS_EPARSE, esc, "lone surrogate \\u%04X (not followed by a low surrogate)",
                                (unsigned)cp);
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return PERR(p, VS_EPARSE, esc, "lone surrogate \\u%04X (not preceded by a high surrogate)",
                            (unsigned)cp);
            }
            n += utf8_encode(cp, dst ? dst + n : NULL);
            continue;
        }
        default:
            if (s[i + 1] >= 0x21 && s[i + 1] < 0x7F)
                return PERR(p, VS_EPARSE, esc, "invalid escape '\\%c' in a string", s[i + 1]);
            return PERR(p, VS_EPARSE, esc, "invalid escape in a string");
        }
        if (dst) dst[n] = out;
        n++;
        i += 2;
    }
    *out_len = n;
    *end = i + 1;
    return VS_OK;
}

/* Decodes the string at p->pos into a new buffer and moves past it. */
static int parse_string(parser *p, char **out, size_t *out_len) {
    size_t n, end;
    int rc = string_body(p, NULL, &n, &end);
    if (rc != VS_OK) return rc;
    char *buf = vs__malloc(n + 1);
    if (!buf) return vs__nomem("vs__json_parse");
    string_body(p, buf, &n, &end);
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    p->pos = end;
    return VS_OK;
}

/* Converts a number too long for vs__parse_double (which takes up to 127 bytes). The text is
 * rewritten exactly as integer digits and an exponent: leading zeros dropped and the decimal
 * point folded into the exponent, so that only the significant digits count. Up to 110 of them
 * are kept as they are (exact); beyond that a sticky '1' stands for any non-zero digits
 * dropped, which agrees with correct rounding except for inputs that lie within a relative
 * 1e-110 of the midpoint between two doubles without being that midpoint. */
static int long_number(double *out, const char *s, size_t len) {
    enum { KEEP = 110 };
    char buf[128];
    size_t b = 0, i = 0;
    if (s[0] == '-') buf[b++] = '-', i++;
    long long point = 0; /* the value is (kept digits as an integer) * 10^(point + exponent) */
    int seen_point = 0, started = 0, sticky = 0;
    size_t kept = 0;
    for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
        char c = s[i];
        if (c == '.') {
            seen_point = 1;
            continue;
        }
        if (!started && c == '0') {
            if (seen_point && point > -1000000000LL) point--; /* a leading fraction zero */
            continue;
        }
        started = 1;
        if (kept < KEEP) {
            buf[b++] = c, kept++;
            if (seen_point && point > -1000000000LL) point--; /* a kept fraction digit */
        } else {
            if (c != '0') sticky = 1;
            if (!seen_point && point < 1000000000LL) point++; /* a dropped integer digit */
        }
    }
    if (!started) {
        *out = s[0] == '-' ? -0.0 : 0.0;
        return VS_OK;
    }
    if (sticky) {
        buf[b++] = '1';
        point--;
    }
    long long e = 0;
    if (i < len) {
        int neg = 0;
        i++;
        if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
        for (; i < len; i++)
            if (e < 1000000000LL) e = e * 10 + (s[i] - '0');
        if (neg) e = -e;
    }
    /* With at most 111 digits, exponents beyond +-100000 give infinity or zero anyway. */
    e += point;
    if (e > 100000) e = 100000;
    if (e < -100000) e = -100000;
    snprintf(buf + b, sizeof buf - b, "e%lld", e);
    return vs__parse_double(out, buf, strlen(buf));
}

static int parse_number(parser *p, double *out) {
    const char *s = p->s;
    size_t start = p->pos, i = p->pos;
    if (s[i] == '-') i++;
    if (i >= p->len || !is_digit(s[i])) return PERR(p, VS_EPARSE, i, "invalid number: expected a digit");
    if (s[i] == '0') {
        i++;
        if (i < p->len && is_digit(s[i]))
            return PERR(p, VS_EPARSE, start, "invalid number: leading zeros are not allowed");
    } else {
        while (i < p->len && is_digit(s[i])) i++;
    }
    if (i < p->len && s[i] == '.') {
        i++;
        if (i >= p->len || !is_digit(s[i]))
            return PERR(p, VS_EPARSE, i, "invalid number: expected a digit after the decimal point");
        while (i < p->len && is_digit(s[i])) i++;
    }
    if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < p->len && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= p->len || !is_digit(s[i]))
            return PERR(p, VS_EPARSE, i, "invalid number: expected a digit in the exponent");
        while (i < p->len && is_digit(s[i])) i++;
    }
    size_t n = i - start;
    double v;
    int rc = n < 100 ? vs__parse_double(&v, s + start, n) : long_number(&v, s + start, n);
    if (rc != VS_OK) return PERR(p, VS_EPARSE, start, "invalid number");
    if (!isfinite(v))
        return PERR(p, VS_EPARSE, start, "number %.*s%s is outside the range of a double", n > 40 ? 40 : (int)n,
                    s + start, n > 40 ? "..." : "");
    *out = v;
    p->pos = i;
    return VS_OK;
}

/* Appends text for a key to a message: escaped, at most about 60 bytes. */
static void describe_key(char *buf, size_t cap, const char *key, size_t len) {
    size_t b = 0, i = 0;
    while (i < len && b + 8 < cap) {
        unsigned char c = (unsigned char)key[i];
        if (b > 60) {
            /* Cut on a character boundary. */
            while (i < len && (key[i] & 0xC0) == 0x80) buf[b++] = key[i++];
            if (i < len) memcpy(buf + b, "...", 3), b += 3;
            break;
        }
        if (c < 0x20 || c == '"' || c == '\\') {
            b += (size_t)snprintf(buf + b, cap - b, "\\u%04x", c);
        } else {
            buf[b++] = (char)c;
        }
        i++;
    }
    buf[b] = '\0';
}

static int key_equal(const vs_json_member *a, const vs_json_member *b) {
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

/* Key order, then document order (members live in one array). */
static int member_cmp(const vs_json_member *a, const vs_json_member *b) {
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    if (c) return c;
    if (a->key_len != b->key_len) return a->key_len < b->key_len ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* vs__sort's comparison of two pointers to members. */
static int member_ptr_cmp(const void *a, const void *b, void *ctx) {
    (void)ctx;
    return member_cmp(*(const vs_json_member *const *)a, *(const vs_json_member *const *)b);
}

/* Fails with VS_EDUPLICATE for the earliest member (in document order) whose key was
 * already used by an earlier member of the same object. */
static int check_duplicates(const parser *p, const vs_json *obj) {
    const vs_json_member *m = obj->u.object.members;
    size_t n = obj->u.object.count;
    const vs_json_member *first = NULL, *second = NULL;
    if (n < 2) return VS_OK;
    if (n <= 16) {
        for (size_t j = 1; j < n && !second; j++)
            for (size_t i = 0; i < j; i++)
                if (key_equal(&m[i], &m[j])) {
                    first = &m[i], second = &m[j];
                    break;
                }
    } else {
        const vs_json_member **idx = vs__malloc(n * sizeof *idx);
        if (!idx) return vs__nomem("vs__json_parse");
        for (size_t i = 0; i < n; i++) idx[i] = &m[i];
        vs__sort(idx, n, sizeof *idx, member_ptr_cmp, NULL);
        for (size_t i = 0; i + 1 < n; i++) {
            /* idx[i] starts a run of equal keys; idx[i + 1] is its earliest repeat. */
            if ((i == 0 || !key_equal(idx[i - 1], idx[i])) && key_equal(idx[i], idx[i + 1]) &&
                (!second || idx[i + 1] < second))
                first = idx[i], second = idx[i + 1];
        }
        vs__free(idx);
    }
    if (!second) return VS_OK;
    char k[96];
    describe_key(k, sizeof k, second->key, second->key_len);
    return perr_at(p, VS_EDUPLICATE, second->line, second->column, "duplicate key \"%s\" (first defined at %u:%u)",
                   k, (unsigned)first->line, (unsigned)first->column);
}

/* Reads a key and the ':' after it, appending a member (without value) to the object. */
static int parse_key(parser *p, frame *f, int may_close) {
    if (!at(p, '"'))
        return PERR(p, VS_EPARSE, p->pos, may_close ? "expected a string key or '}'" : "expected a string key");
    vs_json *obj = f->node;
    vs_json_member m;
    m.line = clamp32(p->line);
    m.column = clamp32(p->pos - p->line_start + 1);
    m.value = NULL;
    int rc = parse_string(p, &m.key, &m.key_len);
    if (rc != VS_OK) return rc;
    void *arr = obj->u.object.members;
    if (vs__grow(&arr, &f->cap, obj->u.object.count + 1, sizeof m) != VS_OK) {
        vs__free(m.key);
        return vs__nomem("vs__json_parse");
    }
    obj->u.object.members = arr;
    obj->u.object.members[obj->u.object.count++] = m;
    skip_ws(p);
    if (!at(p, ':')) return PERR(p, VS_EPARSE, p->pos, "expected ':' after an object key");
    p->pos++;
    return VS_OK;
}

static int literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return PERR(p, VS_EPARSE, p->pos, "invalid literal (expected '%s')", word);
    p->pos += n;
    return VS_OK;
}

int vs__json_parse(vs_json **out, const char *text, size_t len, const char *source, size_t max_depth) {
    if (!out) return vs__error(VS_EINVAL, "vs__json_parse: out is NULL");
    *out = NULL;
    if (!text && len) return vs__error(VS_EINVAL, "vs__json_parse: text is NULL");
    if (max_depth == 0 || max_depth > VS_JSON_DEFAULT_MAX_DEPTH) max_depth = VS_JSON_DEFAULT_MAX_DEPTH;

    parser P = {text ? text : "", len, 0, 1, 0, source ? source : "<json>"};
    parser *p = &P;
    /* A byte order mark is not part of the text: columns on line 1 start after it. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) p->pos = p->line_start = 3;

    size_t bad;
    if (!vs__utf8_valid(p->s, len, &bad)) {
        size_t line = 1, ls = p->line_start;
        for (size_t i = p->pos; i < bad; i++)
            if (p->s[i] == '\n') line++, ls = i + 1;
        return perr_at(p, VS_EUTF8, line, bad - ls + 1, "invalid UTF-8");
    }

    frame stack[VS_JSON_DEFAULT_MAX_DEPTH];
    size_t depth = 0;
    vs_json *root = NULL;
    int rc = VS_OK;

    for (;;) {
        /* ---- one value */
        skip_ws(p);
        if (p->pos >= p->len) {
            rc = PERR(p, VS_EPARSE, p->pos, root ? "unexpected end of input (expected a value)" : "empty document");
            goto fail;
        }
        char c = p->s[p->pos];
        if ((c == '{' || c == '[') && depth >= max_depth) {
            rc = PERR(p, VS_ELIMIT, p->pos, "nesting deeper than %zu levels", max_depth);
            goto fail;
        }
        vs_json *v = vs__calloc(1, sizeof *v);
        if (!v) {
            rc = vs__nomem("vs__json_parse");
            goto fail;
        }
        v->type = VS_JSON_NULL;
        v->line = clamp32(p->line);
        v->column = clamp32(p->pos - p->line_start + 1);
        if (depth == 0) {
            root = v;
        } else {
            frame *f = &stack[depth - 1];
            vs_json *parent = f->node;
            if (parent->type == VS_JSON_ARRAY) {
                void *arr = parent->u.array.items;
                if (vs__grow(&arr, &f->cap, parent->u.array.count + 1, sizeof v) != VS_OK) {
                    vs__free(v);
                    rc = vs__nomem("vs__json_parse");
                    goto fail;
                }
                parent->u.array.items = arr;
                parent->u.array.items[parent->u.array.count++] = v;
            } else {
                parent->u.object.members[parent->u.object.count - 1].value = v;
            }
        }

        switch (c) {
        case '{':
        case '[':
            v->type = c == '{' ? VS_JSON_OBJECT : VS_JSON_ARRAY;
            stack[depth].node = v;
            stack[depth].cap = 0;
            depth++;
            p->pos++;
            skip_ws(p);
            if (at(p, c == '{' ? '}' : ']')) {
                p->pos++;
                depth--;
                break; /* empty container: complete */
            }
            if (c == '{' && (rc = parse_key(p, &stack[depth - 1], 1)) != VS_OK) goto fail;
            continue; /* its first element */
        case '"':
            v->type = VS_JSON_STRING;
            if ((rc = parse_string(p, &v->u.string.ptr, &v->u.string.len)) != VS_OK) goto fail;
            break;
        case 't':
            v->type = VS_JSON_TRUE;
            if ((rc = literal(p, "true")) != VS_OK) goto fail;
            break;
        case 'f':
            v->type = VS_JSON_FALSE;
            if ((rc = literal(p, "false")) != VS_OK) goto fail;
            break;
        case 'n':
            if ((rc = literal(p, "null")) != VS_OK) goto fail;
            break;
        default:
            if (c == '-' || is_digit(c)) {
                v->type = VS_JSON_NUMBER;
                if ((rc = parse_number(p, &v->u.number)) != VS_OK) goto fail;
            } else if (c > 0x20 && c < 0x7F) {
                rc = PERR(p, VS_EPARSE, p->pos, "expected a value, found '%c'", c);
                goto fail;
            } else {
                rc = PERR(p, VS_EPARSE, p->pos, "expected a value");
                goto fail;
            }
            break;
        }

        /* ---- a value is complete: close containers or move to the next element */
        for (;;) {
            if (depth == 0) goto done;
            frame *f = &stack[depth - 1];
            skip_ws(p);
            if (f->node->type == VS_JSON_ARRAY) {
                if (at(p, ',')) {
                    p->pos++;
                    break;
                }
                if (!at(p, ']')) {
                    rc = PERR(p, VS_EPARSE, p->pos, "expected ',' or ']' after an array element");
                    goto fail;
                }
            } else {
                if (at(p, ',')) {
                    p->pos++;
                    skip_ws(p);
                    if ((rc = parse_key(p, f, 0)) != VS_OK) goto fail;
                    break;
                }
                if (!at(p, '}')) {
                    rc = PERR(p, VS_EPARSE, p->pos, "expected ',' or '}' after an object member");
                    goto fail;
                }
                if ((rc = check_duplicates(p, f->node)) != VS_OK) goto fail;
            }
            p->pos++;
            depth--;
        }
    }

done:
    skip_ws(p);
    if (p->pos < p->len) {
        rc = PERR(p, VS_EPARSE, p->pos, "unexpected data after the JSON value");
        goto fail;
    }
    *out = root;
    return VS_OK;

fail:
    vs__json_free(root);
    return rc;
}

/* ======================================================================== writer */

static void jw_fail(vs_json_writer *w, int status, const char *fmt, ...) VS_PRINTF(3, 4);
static void jw_fail(vs_json_writer *w, int status, const char *fmt, ...) {
    if (w->status != VS_OK) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->status = vs__error(status, "JSON writer: %s", msg);
}

static void jw_put(vs_json_writer *w, const char *s, size_t n) {
    if (w->status != VS_OK) return;
    if (n > SIZE_MAX - 1 - w->len) {
        jw_fail(w, VS_ENOMEM, "output too large");
        return;
    }
    if (w->len + n + 1 > w->cap) {
        void *p = w->data;
        size_t cap = w->cap;
        if (vs__grow(&p, &cap, w->len + n + 1, 1) != VS_OK) {
            jw_fail(w, VS_ENOMEM, "out of memory");
            return;
        }
        w->data = p;
        w->cap = cap;
    }
    memcpy(w->data + w->len, s, n);
    w->len += n;
}

static void jw_indent(vs_json_writer *w, int depth) {
    static const char spaces[] = "                                "; /* 32 */
    jw_put(w, "\n", 1);
    size_t n = (size_t)depth * 2;
    while (n > 0) {
        size_t k = n < 32 ? n : 32;
        jw_put(w, spaces, k);
        n -= k;
    }
}

/* Writes what must precede an element of the current container (',' and indentation) and
 * marks it non-empty. */
static void jw_separator(vs_json_writer *w) {
    int d = w->depth;
    if (!w->first[d]) jw_put(w, ",", 1);
    w->first[d] = 0;
    if (w->pretty) jw_indent(w, d);
}

/* Checks that a value may be written here; returns 1 if so. */
static int jw_before_value(vs_json_writer *w) {
    if (!w || w->status != VS_OK) return 0;
    int d = w->depth;
    if (d == 0) {
        if (!w->first[0]) {
            jw_fail(w, VS_ESTATE, "a second top-level value");
            return 0;
        }
        w->first[0] = 0;
        return 1;
    }
    if (w->object[d]) {
        if (!w->after_key) {
            jw_fail(w, VS_ESTATE, "a value inside an object needs a key first");
            return 0;
        }
        w->after_key = 0;
        return 1;
    }
    jw_separator(w);
    return w->status == VS_OK;
}

void vs__jw_init(vs_json_writer *w, int pretty) {
    if (!w) return;
    memset(w, 0, sizeof *w);
    w->pretty = pretty != 0;
    w->first[0] = 1;
}

static void jw_begin(vs_json_writer *w, int object) {
    if (!jw_before_value(w)) return;
    if (w->depth >= VS_JSON_DEFAULT_MAX_DEPTH) {
        jw_fail(w, VS_ELIMIT, "nesting deeper than %d levels", VS_JSON_DEFAULT_MAX_DEPTH);
        return;
    }
    jw_put(w, object ? "{" : "[", 1);
    w->depth++;
    w->first[w->depth] = 1;
    w->object[w->depth] = (unsigned char)(object != 0);
}

static void jw_end(vs_json_writer *w, int object) {
    if (!w || w->status != VS_OK) return;
    int d = w->depth;
    if (d == 0 || w->object[d] != object) {
        jw_fail(w, VS_ESTATE, "%s closes no open %s", object ? "'}'" : "']'", object ? "object" : "array");
        return;
    }
    if (w->after_key) {
        jw_fail(w, VS_ESTATE, "an object ends after a key without its value");
        return;
    }
    if (w->pretty && !w->first[d]) jw_indent(w, d - 1);
    jw_put(w, object ? "}" : "]", 1);
    w->depth--;
}

void vs__jw_begin_object(vs_json_writer *w) { jw_begin(w, 1); }
void vs__jw_end_object(vs_json_writer *w) { jw_end(w, 1); }
void vs__jw_begin_array(vs_json_writer *w) { jw_begin(w, 0); }
void vs__jw_end_array(vs_json_writer *w) { jw_end(w, 0); }

/* Non-zero when one of the 8 bytes of w is < 0x20, '"' or '\\' (each test sets the high bit of
 * the byte it finds; bytes >= 0x80 are masked out, they never need escaping). */
static uint64_t needs_escape8(uint64_t w) {
    const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
    uint64_t ctl = (w - ones * 0x20) & ~w;
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
    uint64_t quote = (q - ones) & ~q, slash = (bs - ones) & ~bs;
    return (ctl | quote | slash) & high;
}

/* Writes the escape of the ASCII byte c (one that needs it) at o; returns the bytes written. */
static size_t escape_byte(char *o, unsigned char c) {
    static const char hex[] = "0123456789abcdef";
    o[0] = '\\';
    switch (c) {
    case '"': o[1] = '"'; return 2;
    case '\\': o[1] = '\\'; return 2;
    case '\n': o[1] = 'n'; return 2;
    case '\t': o[1] = 't'; return 2;
    case '\r': o[1] = 'r'; return 2;
    case '\b': o[1] = 'b'; return 2;
    case '\f': o[1] = 'f'; return 2;
    default:
        memcpy(o + 1, "u00", 3);
        o[4] = hex[c >> 4];
        o[5] = hex[c & 15];
        return 6;
    }
}

int vs__json_escape_valid(char *dst, const char *s, size_t len, size_t *written, size_t *bad) {
    const unsigned char *u = (const unsigned char *)s;
    const uint64_t high = UINT64_C(0x8080808080808080);
    char *o = dst;
    size_t i = 0;
    while (i < len) {
        uint64_t word;
        if (len - i >= 8 && (memcpy(&word, s + i, 8), ((needs_escape8(word) | word) & high) == 0)) {
            memcpy(o, &word, 8); /* eight plain ASCII bytes */
            o += 8;
            i += 8;
            continue;
        }
        if (len - i < 8 && len >= 8 && (size_t)(o - dst) == i) {
            /* the tail as the last eight bytes, overlapping bytes already copied unchanged */
            memcpy(&word, s + len - 8, 8);
            if (((needs_escape8(word) | word) & high) == 0) {
                memcpy(dst + len - 8, &word, 8);
                o = dst + len;
                break;
            }
        }
        unsigned char c = u[i];
        if (c >= 0x80) {
            size_t n = vs__utf8_sequence(s + i, len - i);
            if (n == 0) {
                if (bad) *bad = i;
                return 0;
            }
            memcpy(o, s + i, n);
            o += n;
            i += n;
        } else if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            i++;
        } else {
            o += escape_byte(o, c);
            i++;
        }
    }
    *written = (size_t)(o - dst);
    return 1;
}

/* Writes a quoted, escaped string (the caller has done the separator). */
static void jw_quoted(vs_json_writer *w, const char *s, size_t len) {
    if (len > (SIZE_MAX - 3 - w->len) / 6) {
        jw_fail(w, VS_ENOMEM, "output too large");
        return;
    }
    jw_put(w, "\"", 1); /* also makes room for the worst case below */
    if (w->status != VS_OK) return;
    if (w->len + 6 * len + 2 > w->cap) {
        void *p = w->data;
        size_t cap = w->cap;
        if (vs__grow(&p, &cap, w->len + 6 * len + 2, 1) != VS_OK) {
            jw_fail(w, VS_ENOMEM, "out of memory");
            return;
        }
        w->data = p;
        w->cap = cap;
    }
    size_t n = 0, bad = 0;
    if (!vs__json_escape_valid(w->data + w->len, s, len, &n, &bad)) {
        jw_fail(w, VS_EUTF8, "invalid UTF-8 at byte %zu of a string", bad);
        return;
    }
    w->len += n;
    jw_put(w, "\"", 1);
}

void vs__jw_key_len(vs_json_writer *w, const char *key, size_t len) {
    if (!w || w->status != VS_OK) return;
    int d = w->depth;
    if (!key && len) {
        jw_fail(w, VS_EINVAL, "key is NULL");
        return;
    }
    if (!key) key = "";
    int shown = len > 40 ? 40 : (int)len;
    if (d == 0 || !w->object[d]) {
        jw_fail(w, VS_ESTATE, "key \"%.*s\" outside an object", shown, key);
        return;
    }
    if (w->after_key) {
        jw_fail(w, VS_ESTATE, "key \"%.*s\" follows a key without its value", shown, key);
        return;
    }
    jw_separator(w);
    jw_quoted(w, key, len);
    jw_put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = 1;
}

void vs__jw_key(vs_json_writer *w, const char *key) {
    if (!w || w->status != VS_OK) return;
    if (!key) {
        jw_fail(w, VS_EINVAL, "key is NULL");
        return;
    }
    vs__jw_key_len(w, key, strlen(key));
}

void vs__jw_string_len(vs_json_writer *w, const char *s, size_t len) {
    if (!w || w->status != VS_OK) return;
    if (!s && len) {
        jw_fail(w, VS_EINVAL, "string is NULL");
        return;
    }
    if (!jw_before_value(w)) return;
    jw_quoted(w, s ? s : "", len);
}

void vs__jw_string(vs_json_writer *w, const char *s) {
    if (!w || w->status != VS_OK) return;
    if (!s) {
        jw_fail(w, VS_EINVAL, "string is NULL");
        return;
    }
    vs__jw_string_len(w, s, strlen(s));
}

void vs__jw_number(vs_json_writer *w, double x) {
    if (!jw_before_value(w)) return;
    if (!isfinite(x)) {
        jw_put(w, "null", 4);
        return;
    }
    char buf[32];
    vs__format_double(buf, x);
    jw_put(w, buf, strlen(buf));
}

void vs__jw_int(vs_json_writer *w, long long x) {
    if (!jw_before_value(w)) return;
    char buf[24];
    jw_put(w, buf, vs__format_i64(buf, (int64_t)x));
}

void vs__jw_bool(vs_json_writer *w, int b) {
    if (!jw_before_value(w)) return;
    if (b)
        jw_put(w, "true", 4);
    else
        jw_put(w, "false", 5);
}

void vs__jw_null(vs_json_writer *w) {
    if (!jw_before_value(w)) return;
    jw_put(w, "null", 4);
}

int vs__jw_finish(vs_json_writer *w, char **out) {
    if (out) *out = NULL;
    if (!w) return vs__error(VS_EINVAL, "vs__jw_finish: writer is NULL");
    if (!out) {
        vs__jw_discard(w);
        return vs__error(VS_EINVAL, "vs__jw_finish: out is NULL");
    }
    if (w->status == VS_OK && w->depth != 0)
        jw_fail(w, VS_ESTATE, "%d container%s not closed", w->depth, w->depth == 1 ? "" : "s");
    if (w->status == VS_OK && w->first[0]) jw_fail(w, VS_ESTATE, "no value was written");
    if (w->pretty) jw_put(w, "\n", 1);
    if (w->status != VS_OK) {
        vs__jw_discard(w);
        return w->status;
    }
    w->data[w->len] = '\0';
    *out = w->data;
    w->data = NULL;
    w->len = w->cap = 0;
    return VS_OK;
}

void vs__jw_discard(vs_json_writer *w) {
    if (!w) return;
    vs__free(w->data);
    w->data = NULL;
    w->len = w->cap = 0;
}
