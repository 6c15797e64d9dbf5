/* Parsing a model's response into value terms (the rules are in the comment of
 * include/valuespace/lexical.h): lines, list markers, definitions, list separators, emphasis,
 * normalisation, lemmatiser, stop-terms. */
#include <string.h>

#include "common/utf8.h"
#include "lexical/lexical_internal.h"

typedef struct parser {
    vs__strlist *out;
    const vs__lex_parse_opts *o;
    const char *t;
} parser;

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

/* Length of a bullet-like character at s[0..n) (UTF-8), or 0. */
static size_t bullet_len(const char *s, size_t n) {
    static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x80\x93", "\xE2\x80\x94", "\xC2\xB7", "\xE2\x96\xAA",
                                          "\xE2\x97\x8F", "\xE2\x97\xA6", "\xE2\x80\xA3", "\xE2\x81\x83", "\xE2\x9E\xA4"};
    for (size_t i = 0; i < sizeof bullets / sizeof *bullets; i++) {
        size_t l = strlen(bullets[i]);
        if (n >= l && memcmp(s, bullets[i], l) == 0) return l;
    }
    return 0;
}

/* Skips white space and list markers; *marker is set when a marker was skipped. */
static size_t skip_markers(const char *t, size_t a, size_t b, int *marker) {
    for (;;) {
        while (a < b && is_ws(t[a])) a++;
        if (a >= b) return a;
        char c = t[a];
        size_t bl;
        if ((c == '-' || c == '*' || c == '+' || c == '#' || c == '>') && a + 1 < b && is_ws(t[a + 1])) {
            a += 1;
        } else if ((c == '-' || c == '+' || c == '#' || c == '>') && a + 1 >= b) {
            a += 1;
        } else if ((bl = bullet_len(t + a, b - a)) > 0) {
            a += bl;
        } else if (c >= '0' && c <= '9') {
            size_t e = a;
            while (e < b && t[e] >= '0' && t[e] <= '9') e++;
            if (e < b && (t[e] == '.' || t[e] == ')' || t[e] == ':') && (e + 1 >= b || is_ws(t[e + 1]) || t[e + 1] == '*'))
                a = e + 1;
            else
                return a;
        } else if (c == '(' && a + 1 < b && ((t[a + 1] >= '0' && t[a + 1] <= '9') || (t[a + 1] >= 'a' && t[a + 1] <= 'z'))) {
            size_t e = a + 1;
            while (e < b && ((t[e] >= '0' && t[e] <= '9') || (t[e] >= 'a' && t[e] <= 'z'))) e++;
            if (e < b && t[e] == ')' && e - a <= 4)
                a = e + 1;
            else
                return a;
        } else if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && a + 2 < b && (t[a + 1] == '.' || t[a + 1] == ')') &&
                   is_ws(t[a + 2])) {
            a += 2;
        } else {
            return a;
        }
        *marker = 1;
    }
}

/* A definition separator in t[a..b): ':' or a dash with white space around it, "--", " = ".
 * Returns its start (or b) and sets *end past it; *is_colon tells which. */
static size_t find_def(const char *t, size_t a, size_t b, size_t *end, int *is_colon) {
    for (size_t i = a; i < b; i++) {
        if (t[i] == ':') {
            *end = i + 1;
            *is_colon = 1;
            return i;
        }
        if (t[i] == '-' && i + 1 < b && t[i + 1] == '-') {
            size_t e = i;
            while (e < b && t[e] == '-') e++;
            *end = e;
            *is_colon = 0;
            return i;
        }
        if (i > a && is_ws(t[i - 1])) {
            size_t l = 0;
            if (t[i] == '-' || t[i] == '=')
                l = 1;
            else if (b - i >= 3 && (memcmp(t + i, "\xE2\x80\x93", 3) == 0 || memcmp(t + i, "\xE2\x80\x94", 3) == 0))
                l = 3;
            if (l && (i + l >= b || is_ws(t[i + l]))) {
                *end = i + l;
                *is_colon = 0;
                return i;
            }
        }
    }
    *end = b;
    *is_colon = 0;
    return b;
}

static int has_list_sep(const char *t, size_t a, size_t b) {
    for (size_t i = a; i < b; i++)
        if (t[i] == ',' || t[i] == ';' || t[i] == '|') return 1;
    return 0;
}

static int is_stop(const parser *p, const char *term) {
    return p->o->stop_map && vs__strmap_find(p->o->stop_map, p->o->stops->v, term) != SIZE_MAX;
}

static int all_digits(const char *s) {
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == ' ')) return 0;
    return 1;
}

/* Adds one normalised term (after the word-count, lemma and stop checks). */
static int emit(parser *p, const char *term, size_t words) {
    size_t len = strlen(term);
    if (len == 0 || len > VS_LEXICON_MAX_TERM_BYTES || (int64_t)words > p->o->max_words || all_digits(term) ||
        is_stop(p, term))
        return VS_OK;
    if (!p->o->lemma) return vs__strlist_push(p->out, term, len);
    char buf[VS_LEXICON_MAX_TERM_BYTES + 1];
    memset(buf, 0, sizeof buf);
    int r = p->o->lemma(p->o->lemma_ud, term, buf, sizeof buf);
    if (r != 0) return vs__error(VS_ECALLBACK, "vs_lexicon: the lemmatiser returned %d for term '%.200s'", r, term);
    buf[sizeof buf - 1] = '\0';
    size_t bl = strlen(buf);
    if (!vs__utf8_valid(buf, bl, NULL))
        return vs__error(VS_ECALLBACK, "vs_lexicon: the lemmatiser returned invalid UTF-8 for term '%.200s'", term);
    char *lem = NULL;
    size_t lw = 0;
    int rc = vs__lex_normalize_term(&lem, &lw, buf, bl, "vs_lexicon");
    if (rc != VS_OK) return rc;
    if (lem && lw <= (size_t)p->o->max_words && !is_stop(p, lem) && strlen(lem) <= VS_LEXICON_MAX_TERM_BYTES)
        rc = vs__strlist_push(p->out, lem, strlen(lem));
    vs__free(lem);
    return rc;
}

/* One item of a list: cut at '(' and at a definition separator, normalise, split at the words
 * "and" / "or" when it is part of a list. */
static int item(parser *p, size_t a, size_t b, int in_list) {
    const char *t = p->t;
    int m = 0;
    a = skip_markers(t, a, b, &m);
    for (size_t i = a; i < b; i++)
        if (t[i] == '(' || t[i] == '[') {
            b = i;
            break;
        }
    size_t e;
    int colon;
    b = find_def(t, a, b, &e, &colon);
    if (a >= b) return VS_OK;
    char *norm = NULL;
    size_t words = 0;
    int rc = vs__lex_normalize_term(&norm, &words, t + a, b - a, "vs_lexicon");
    if (rc != VS_OK || !norm) return rc;
    if (!in_list) {
        rc = emit(p, norm, words);
        vs__free(norm);
        return rc;
    }
    /* split the normalised words at "and" / "or" */
    char *s = norm;
    while (rc == VS_OK && *s) {
        char *start = s, *cut = NULL, *next = NULL;
        size_t w = 0;
        for (char *q = s;;) {
            char *sp = strchr(q, ' ');
            size_t wl = sp ? (size_t)(sp - q) : strlen(q);
            if ((wl == 3 && memcmp(q, "and", 3) == 0) || (wl == 2 && memcmp(q, "or", 2) == 0)) {
                cut = q;
                next = sp ? sp + 1 : q + wl;
                break;
            }
            w++;
            if (!sp) break;
            q = sp + 1;
        }
        if (cut) {
            if (cut > start) cut[-1] = '\0';
            else *cut = '\0';
            if (cut > start) rc = emit(p, start, w);
            s = next;
        } else {
            rc = emit(p, start, w);
            break;
        }
    }
    vs__free(norm);
    return rc;
}

/* A list: items separated by ',', ';', '|', bullets, " & " and sentence ends. */
static int list(parser *p, size_t a, size_t b) {
    const char *t = p->t;
    int in_list = has_list_sep(t, a, b);
    size_t s = a;
    int rc = VS_OK;
    for (size_t i = a; i <= b && rc == VS_OK; i++) {
        size_t skip = 0;
        if (i < b) {
            if (t[i] == ',' || t[i] == ';' || t[i] == '|')
                skip = 1;
            else if ((t[i] == '.' || t[i] == '!' || t[i] == '?') && (i + 1 >= b || is_ws(t[i + 1])))
                skip = 1;
            else if (t[i] == '&' && i > a && is_ws(t[i - 1]) && i + 1 < b && is_ws(t[i + 1]))
                skip = 1, in_list = 1;
            else if (b - i >= 3 && memcmp(t + i, "\xE2\x80\xA2", 3) == 0) /* a bullet inside a line */
                skip = 3, in_list = 1;
            if (skip == 0) continue;
        }
        rc = item(p, s, i, in_list);
        if (i == b) break;
        i += skip - 1;
        s = i + 1;
    }
    return rc;
}

static int line(parser *p, size_t a, size_t b) {
    const char *t = p->t;
    int marker = 0;
    a = skip_markers(t, a, b, &marker);
    if (a >= b) return VS_OK;
    size_t e;
    int colon;
    size_t d = find_def(t, a, b, &e, &colon);
    if (d >= b) return list(p, a, b);
    /* a head in emphasis ("**Honesty**: ...") or after a list marker is a definition's head */
    int emphasised = d > a && (t[d - 1] == '*' || t[d - 1] == '_');
    if (marker || emphasised || !colon || !has_list_sep(t, e, b)) return list(p, a, d);
    return list(p, e, b); /* "My values: honesty, kindness" */
}

int vs__lex_parse(vs__strlist *out, const char *text, size_t len, const vs__lex_parse_opts *o) {
    parser p = {out, o, text};
    size_t n0 = out->n;
    size_t s = 0;
    int rc = VS_OK;
    for (size_t i = 0; i <= len && rc == VS_OK; i++) {
        if (i < len && text[i] != '\n' && text[i] != '\r') continue;
        if (i > s) rc = line(&p, s, i);
        s = i + 1;
    }
    if (rc != VS_OK) {
        for (size_t i = n0; i < out->n; i++) vs__free(out->v[i]);
        out->n = n0;
    }
    return rc;
}
