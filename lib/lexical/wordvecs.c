/* Word vectors: the common text format, an embed callback, or added by hand. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "io/file.h"
#include "io/lines.h"
#include "lexical/lexical_internal.h"

struct vs_wordvecs {
    size_t dim;
    vs__strlist words;
    vs__strmap map;
    double *v;
    size_t vcap; /* in vectors */
};

#define VS__WORDVECS_MAX_DIM 100000

int vs_wordvecs_create(vs_wordvecs **out, size_t dim) {
    if (!out) return vs__error(VS_EINVAL, "vs_wordvecs_create: out is NULL");
    *out = NULL;
    if (dim == 0 || dim > VS__WORDVECS_MAX_DIM)
        return vs__error(VS_ERANGE, "vs_wordvecs_create: dim must be 1..%d, got %zu", VS__WORDVECS_MAX_DIM, dim);
    vs_wordvecs *w = vs__calloc(1, sizeof *w);
    if (!w) return vs__nomem("vs_wordvecs_create");
    w->dim = dim;
    *out = w;
    return VS_OK;
}

void vs_wordvecs_free(vs_wordvecs *w) {
    if (!w) return;
    vs__strlist_clear(&w->words);
    vs__strmap_clear(&w->map);
    vs__free(w->v);
    vs__free(w);
}

size_t vs_wordvecs_dim(const vs_wordvecs *w) { return w ? w->dim : 0; }
size_t vs_wordvecs_count(const vs_wordvecs *w) { return w ? w->words.n : 0; }

/* Stores the vector of an already-normalised word (replace = 1 overwrites an existing one). */
static int put(vs_wordvecs *w, const char *norm, const double *x, int replace) {
    size_t i = vs__strmap_find(&w->map, w->words.v, norm);
    if (i != SIZE_MAX) {
        if (replace) memcpy(w->v + i * w->dim, x, w->dim * sizeof *x);
        return VS_OK;
    }
    int rc = vs__grow((void **)&w->v, &w->vcap, w->words.n + 1, w->dim * sizeof *w->v);
    if (rc != VS_OK) return rc;
    if ((rc = vs__strlist_push(&w->words, norm, strlen(norm))) != VS_OK) return rc;
    if ((rc = vs__strmap_insert(&w->map, w->words.v, w->words.n - 1)) != VS_OK) {
        vs__free(w->words.v[--w->words.n]);
        return rc;
    }
    memcpy(w->v + (w->words.n - 1) * w->dim, x, w->dim * sizeof *x);
    return VS_OK;
}

int vs_wordvecs_add(vs_wordvecs *w, const char *word, const double *x, size_t d) {
    if (!w || !word || !x) return vs__error(VS_EINVAL, "vs_wordvecs_add: NULL argument");
    if (d != w->dim) return vs__error(VS_EMISMATCH, "vs_wordvecs_add: '%.200s': %zu values, dim is %zu", word, d, w->dim);
    for (size_t k = 0; k < d; k++)
        if (!isfinite(x[k])) return vs__error(VS_EINVAL, "vs_wordvecs_add: '%.200s': value %zu is not finite", word, k);
    size_t bad;
    if (!vs__utf8_valid(word, strlen(word), &bad))
        return vs__error(VS_EUTF8, "vs_wordvecs_add: invalid UTF-8 at byte %zu", bad);
    char *n = NULL;
    int rc = vs__lex_normalize_term(&n, NULL, word, strlen(word), "vs_wordvecs_add");
    if (rc != VS_OK) return rc;
    if (!n) return vs__error(VS_EINVAL, "vs_wordvecs_add: '%.200s' has no word", word);
    rc = put(w, n, x, 1);
    vs__free(n);
    return rc;
}

int vs_wordvecs_load(vs_wordvecs **out, const char *path) {
    if (!out || !path) return vs__error(VS_EINVAL, "vs_wordvecs_load: NULL argument");
    *out = NULL;
    /* line by line: a line over the limit is refused without being held (a 1 GiB line) */
    vs__lines lr;
    int rc = vs__lines_open_file(&lr, path, VS_LEXICAL_MAX_LINE_BYTES);
    if (rc != VS_OK) return vs__error_prefix(rc, "vs_wordvecs_load");
    vs_wordvecs *w = NULL;
    double *x = NULL;
    size_t line = 0;
    const char *text;
    size_t end;
    int crlf, too_long, got;
    while (rc == VS_OK && (got = vs__lines_next(&lr, &text, &end, &crlf, &too_long)) != 0) {
        const size_t pos = 0;
        line = lr.line;
        rc = vs__lex_check_line(got, too_long, text, end, path, line, "vs_wordvecs_load");
        if (rc != VS_OK) break;
        size_t e = end;
        while (e > pos && (text[e - 1] == '\r' || text[e - 1] == ' ' || text[e - 1] == '\t')) e--;
        if (e == pos) continue;
        /* fields */
        size_t starts[2], nf = 0, p = pos;
        size_t wend = pos;
        while (wend < e && text[wend] != ' ' && text[wend] != '\t') wend++;
        size_t bad;
        if (!vs__utf8_valid(text + pos, wend - pos, &bad)) {
            rc = vs__error(VS_EUTF8, "%s:%zu: invalid UTF-8 in the word", path, line);
            break;
        }
        /* count the numbers */
        size_t cnt = 0;
        for (p = wend; p < e;) {
            while (p < e && (text[p] == ' ' || text[p] == '\t')) p++;
            if (p >= e) break;
            if (nf < 2) starts[nf++] = p;
            while (p < e && text[p] != ' ' && text[p] != '\t') p++;
            cnt++;
        }
        (void)starts;
        if (!w) {
            /* an optional "count dim" header */
            double a, b;
            size_t dim = cnt;
            int header = 0;
            if (cnt == 1 && vs__parse_double(&a, text + pos, wend - pos) == VS_OK &&
                vs__parse_double(&b, text + starts[0], e - starts[0]) == VS_OK && a == floor(a) && b == floor(b) &&
                b >= 1 && b <= VS__WORDVECS_MAX_DIM) {
                dim = (size_t)b;
                header = 1;
            }
            if (dim == 0) {
                rc = vs__error(VS_EPARSE, "%s:%zu: a word without numbers", path, line);
                break;
            }
            if ((rc = vs_wordvecs_create(&w, dim)) != VS_OK) break;
            x = vs__malloc(dim * sizeof *x);
            if (!x) {
                rc = vs__nomem("vs_wordvecs_load");
                break;
            }
            if (header) continue;
        }
        if (cnt != w->dim) {
            rc = vs__error(VS_EPARSE, "%s:%zu: %zu numbers, expected %zu", path, line, cnt, w->dim);
            break;
        }
        size_t k = 0;
        for (p = wend; p < e && rc == VS_OK;) {
            while (p < e && (text[p] == ' ' || text[p] == '\t')) p++;
            size_t s = p;
            while (p < e && text[p] != ' ' && text[p] != '\t') p++;
            if (vs__parse_double(&x[k], text + s, p - s) != VS_OK || !isfinite(x[k]))
                rc = vs__error(VS_EPARSE, "%s:%zu:%zu: '%.*s' is not a finite number", path, line, s - pos + 1,
                               (int)(p - s > 40 ? 40 : p - s), text + s);
            k++;
        }
        if (rc != VS_OK) break;
        char *norm = NULL;
        rc = vs__lex_normalize_term(&norm, NULL, text + pos, wend - pos, "vs_wordvecs_load");
        if (rc == VS_OK && norm) rc = put(w, norm, x, 0);
        vs__free(norm);
    }
    if (rc == VS_OK && (!w || w->words.n == 0)) rc = vs__error(VS_ERANGE, "vs_wordvecs_load: %s: no vector", path);
    vs__lines_close(&lr);
    vs__free(x);
    if (rc != VS_OK) {
        vs_wordvecs_free(w);
        return rc;
    }
    *out = w;
    return VS_OK;
}

int vs_wordvecs_embed(vs_wordvecs *w, vs_model *model, const char *const *words, size_t n) {
    if (!w || !model || (!words && n > 0)) return vs__error(VS_EINVAL, "vs_wordvecs_embed: NULL argument");
    for (size_t i = 0; i < n; i++) {
        if (!words[i]) return vs__error(VS_EINVAL, "vs_wordvecs_embed: word %zu is NULL", i);
        size_t bad;
        if (!vs__utf8_valid(words[i], strlen(words[i]), &bad))
            return vs__error(VS_EUTF8, "vs_wordvecs_embed: word %zu: invalid UTF-8 at byte %zu", i, bad);
    }
    if (!vs_model_supports(model, VS_MODEL_EMBED)) return vs__error(VS_ESTATE, "vs_wordvecs_embed: the model cannot embed");
    vs__strlist to_embed = {0}, ids = {0};
    vs_model_text_request *req = NULL;
    const vs_model_text_request **rp = NULL;
    vs_model_results *res = NULL;
    double *x = NULL;
    char *norm = NULL;
    int rc = VS_OK;
    for (size_t i = 0; i < n && rc == VS_OK; i++) {
        rc = vs__lex_normalize_term(&norm, NULL, words[i], strlen(words[i]), "vs_wordvecs_embed");
        if (rc == VS_OK && norm && vs__strmap_find(&w->map, w->words.v, norm) == SIZE_MAX) {
            int dup = 0;
            for (size_t k = 0; k < to_embed.n && !dup; k++) dup = strcmp(to_embed.v[k], norm) == 0;
            if (!dup) {
                rc = vs__strlist_push(&to_embed, norm, strlen(norm));
                if (rc == VS_OK) {
                    size_t l = strlen(norm) + 6;
                    char *id = vs__malloc(l);
                    if (!id) rc = vs__nomem("vs_wordvecs_embed");
                    else {
                        snprintf(id, l, "term:%s", norm);
                        rc = vs__strlist_push(&ids, id, strlen(id));
                        vs__free(id);
                    }
                }
            }
        }
        vs__free(norm);
        norm = NULL;
    }
    if (rc != VS_OK || to_embed.n == 0) goto done;
    req = vs__calloc(to_embed.n, sizeof *req);
    rp = vs__calloc(to_embed.n, sizeof *rp);
    x = vs__malloc(w->dim * sizeof *x);
    if (!req || !rp || !x) {
        rc = vs__nomem("vs_wordvecs_embed");
        goto done;
    }
    for (size_t i = 0; i < to_embed.n; i++) {
        vs_model_text_request r = VS_MODEL_TEXT_REQUEST_INIT;
        r.id = ids.v[i];
        r.text = to_embed.v[i];
        req[i] = r;
        rp[i] = &req[i];
    }
    if ((rc = vs_model_results_create(&res)) != VS_OK) goto done;
    rc = vs_model_embed(res, model, rp, to_embed.n, w->dim);
    int failed = 0;
    for (size_t i = 0; i < vs_model_results_item_count(res); i++) {
        if (vs_model_results_status(res, i) != VS_MODEL_ITEM_OK) {
            if (!failed && rc == VS_OK)
                failed = vs__error(VS_ECALLBACK, "vs_wordvecs_embed: item '%.200s' failed: %.200s", ids.v[i],
                                   vs_model_results_error(res, i));
            continue;
        }
        int r2 = vs_model_results_vector(NULL, res, i, x, w->dim);
        if (r2 == VS_OK) r2 = put(w, to_embed.v[i], x, 1);
        if (r2 != VS_OK && rc == VS_OK) rc = r2;
    }
    if (rc == VS_OK && failed) rc = failed;
done:
    vs_model_results_free(res);
    vs__free(req);
    vs__free(rp);
    vs__free(x);
    vs__strlist_clear(&to_embed);
    vs__strlist_clear(&ids);
    return rc;
}

int vs_wordvecs_get(size_t *out_needed, const vs_wordvecs *w, const char *word, double *buf, size_t cap) {
    if (!w || !word || (!buf && cap > 0)) return vs__error(VS_EINVAL, "vs_wordvecs_get: NULL argument");
    if (out_needed) *out_needed = w->dim;
    if (cap < w->dim) return vs__error(VS_EBUFSIZE, "vs_wordvecs_get: buffer of %zu, need %zu", cap, w->dim);
    size_t bad;
    if (!vs__utf8_valid(word, strlen(word), &bad))
        return vs__error(VS_EUTF8, "vs_wordvecs_get: invalid UTF-8 at byte %zu", bad);
    char *n = NULL;
    int rc = vs__lex_normalize_term(&n, NULL, word, strlen(word), "vs_wordvecs_get");
    if (rc != VS_OK) return rc;
    if (!n) return vs__error(VS_ENOTFOUND, "vs_wordvecs_get: '%.200s' has no word", word);
    size_t i = vs__strmap_find(&w->map, w->words.v, n);
    if (i != SIZE_MAX) {
        memcpy(buf, w->v + i * w->dim, w->dim * sizeof *buf);
        vs__free(n);
        return VS_OK;
    }
    /* mean of the words */
    size_t cnt = 0;
    for (size_t k = 0; k < w->dim; k++) buf[k] = 0.0;
    for (char *s = n; rc == VS_OK;) {
        char *sp = strchr(s, ' ');
        if (sp) *sp = '\0';
        size_t j = vs__strmap_find(&w->map, w->words.v, s);
        if (j == SIZE_MAX || (!sp && cnt == 0))
            rc = vs__error(VS_ENOTFOUND, "vs_wordvecs_get: no vector for '%.200s'", word);
        else {
            for (size_t k = 0; k < w->dim; k++) buf[k] += w->v[j * w->dim + k];
            cnt++;
        }
        if (!sp) break;
        s = sp + 1;
    }
    if (rc == VS_OK)
        for (size_t k = 0; k < w->dim; k++) buf[k] /= (double)cnt;
    vs__free(n);
    return rc;
}
