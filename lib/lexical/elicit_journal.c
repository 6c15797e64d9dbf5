/* The elicitation journal: the header, reading records back (a torn last line tolerated), and
 * feeding the successful responses to a lexicon. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexical/elicit_internal.h"

const vs__jsonl_schema vs__lexj_schema = {VS__LEXJ_SCHEMA, VS__LEXJ_OLD_SCHEMA, VS__LEXJ_VERSION,
                                          "elicitation journal"};

void vs__lexj_write_header(vs_json_writer *w, const vs__lexj_header *h) {
    char buf[24];
    vs__jsonl_header_begin(w, &vs__lexj_schema);
    vs__jw_key(w, "seed");
    snprintf(buf, sizeof buf, "%" PRIu64, h->seed);
    vs__jw_string(w, buf);
    vs__jw_key(w, "repeats");
    vs__jw_int(w, (long long)h->repeats);
    vs__jw_key(w, "max_tokens");
    vs__jw_int(w, (long long)h->max_tokens);
    vs__jw_key(w, "temperature");
    vs__jw_number(w, h->temperature);
    vs__jw_key(w, "n_prompts");
    vs__jw_int(w, (long long)h->n_prompts);
    vs__jw_key(w, "prompts_hash");
    snprintf(buf, sizeof buf, "%016" PRIx64, h->prompts_hash);
    vs__jw_string(w, buf);
    vs__jw_end_object(w);
}

int vs__lexj_header_doc(vs_json **out, const vs__lexj_header *h) {
    *out = NULL;
    vs_json_writer w;
    vs__jw_init(&w, 0);
    vs__lexj_write_header(&w, h);
    char *text = NULL;
    int rc = vs__jw_finish(&w, &text);
    if (rc == VS_OK) rc = vs__json_parse(out, text, strlen(text), "elicitation journal header", 8);
    vs__free(text);
    return rc;
}

static int get_num(double *out, const vs_json *o, const char *key, double lo, double hi, int integer,
                   const char *path, size_t line) {
    const vs_json *v = vs__json_get(o, key);
    if (!v || v->type != VS_JSON_NUMBER || v->u.number < lo || v->u.number > hi ||
        (integer && v->u.number != floor(v->u.number)))
        return vs__error(VS_EPARSE, "%s:%zu: \"%s\" must be %s in %.17g..%.17g", path, line, key,
                         integer ? "an integer" : "a number", lo, hi);
    *out = v->u.number;
    return VS_OK;
}

static int get_u64_str(uint64_t *out, const vs_json *o, const char *key, int hex, const char *path, size_t line) {
    const vs_json *v = vs__json_get(o, key);
    if (v && v->type == VS_JSON_STRING && v->u.string.len > 0 && v->u.string.len <= 20 &&
        strlen(v->u.string.ptr) == v->u.string.len && v->u.string.ptr[0] != '-' && v->u.string.ptr[0] != '+') {
        char *end = NULL;
        errno = 0;
        unsigned long long x = strtoull(v->u.string.ptr, &end, hex ? 16 : 10);
        if (!errno && end && !*end) {
            *out = (uint64_t)x;
            return VS_OK;
        }
    }
    return vs__error(VS_EPARSE, "%s:%zu: \"%s\" must be a %s 64-bit number in a string", path, line, key,
                     hex ? "hexadecimal" : "decimal");
}

static int read_header(vs__lexj_header *h, const vs_json *o, const char *path) {
    int rc = vs__jsonl_header_check(o, path, &vs__lexj_schema);
    if (rc != VS_OK) return rc;
    double rep = 0, mt = 0, np = 0;
    if ((rc = get_u64_str(&h->seed, o, "seed", 0, path, 1)) ||
        (rc = get_num(&rep, o, "repeats", 1, VS__LEXJ_MAX_REPEATS, 1, path, 1)) ||
        (rc = get_num(&mt, o, "max_tokens", 0, 4294967295.0, 1, path, 1)) ||
        (rc = get_num(&h->temperature, o, "temperature", 0, HUGE_VAL, 0, path, 1)) ||
        (rc = get_num(&np, o, "n_prompts", 1, 1e9, 1, path, 1)) ||
        (rc = get_u64_str(&h->prompts_hash, o, "prompts_hash", 1, path, 1)))
        return rc;
    h->repeats = (uint64_t)rep;
    h->max_tokens = (uint32_t)mt;
    h->n_prompts = (size_t)np;
    return VS_OK;
}

static int copy_str(char **out, const vs_json *o, const char *key, const char *path, size_t line) {
    const vs_json *v = vs__json_get(o, key);
    if (!v || v->type != VS_JSON_STRING || strlen(v->u.string.ptr) != v->u.string.len)
        return vs__error(VS_EPARSE, "%s:%zu: record: \"%s\" must be a string without NUL", path, line, key);
    *out = vs__strdup(v->u.string.ptr);
    return *out ? VS_OK : vs__nomem("elicitation journal");
}

static void rec_clear(vs__lexj_rec *r) {
    vs__free(r->id);
    vs__free(r->model);
    vs__free(r->text);
    memset(r, 0, sizeof *r);
}

void vs__lexj_clear(vs__lexj *j) {
    vs__json_free(j->header_doc);
    for (size_t i = 0; i < j->nrec; i++) rec_clear(&j->recs[i]);
    vs__free(j->recs);
    memset(j, 0, sizeof *j);
}

static int read_record(vs__lexj_rec *r, const vs_json *o, const char *path, size_t line) {
    memset(r, 0, sizeof *r);
    if (o->type != VS_JSON_OBJECT) return vs__error(VS_EPARSE, "%s:%zu: a record must be an object", path, line);
    const vs_json *st = vs__json_get(o, "status");
    if (!st || st->type != VS_JSON_STRING || (strcmp(st->u.string.ptr, "ok") != 0 && strcmp(st->u.string.ptr, "failed") != 0))
        return vs__error(VS_EPARSE, "%s:%zu: record: \"status\" must be \"ok\" or \"failed\"", path, line);
    r->ok = strcmp(st->u.string.ptr, "ok") == 0;
    double prompt = 0, rep = 0;
    int rc;
    if ((rc = get_num(&prompt, o, "prompt", 1, 1e9, 1, path, line)) ||
        (rc = get_num(&rep, o, "repeat", 1, VS__LEXJ_MAX_REPEATS, 1, path, line)) ||
        (rc = copy_str(&r->id, o, "id", path, line)) || (rc = copy_str(&r->model, o, "model", path, line)) ||
        (rc = copy_str(&r->text, o, r->ok ? "text" : "error", path, line))) {
        rec_clear(r);
        return rc;
    }
    if (!r->id[0] || !r->model[0]) {
        rec_clear(r);
        return vs__error(VS_EPARSE, "%s:%zu: record: \"id\" and \"model\" must not be empty", path, line);
    }
    r->prompt = (size_t)prompt;
    r->repeat = (uint64_t)rep;
    return VS_OK;
}

/* The lines of vs__lexj_read(), through vs__jsonl_read_all(). */
typedef struct lexj_read {
    vs__lexj *j;
    const char *path;
} lexj_read;

static int on_header(void *ud, vs_json **doc, size_t line) {
    lexj_read *x = ud;
    (void)line;
    int rc = read_header(&x->j->header, *doc, x->path);
    if (rc == VS_OK) {
        x->j->has_header = 1;
        x->j->header_doc = *doc; /* kept: a resume compares it with its own */
        *doc = NULL;
    }
    return rc;
}

static int on_record(void *ud, vs_json **doc, size_t line) {
    vs__lexj *j = ((lexj_read *)ud)->j;
    int rc = vs__grow((void **)&j->recs, &j->cap, j->nrec + 1, sizeof *j->recs);
    if (rc == VS_OK) rc = read_record(&j->recs[j->nrec], *doc, ((lexj_read *)ud)->path, line);
    if (rc == VS_OK) j->recs[j->nrec++].line = line;
    return rc;
}

int vs__lexj_read(vs__lexj *j, const char *path, int missing_ok) {
    memset(j, 0, sizeof *j);
    char what[300];
    snprintf(what, sizeof what, "elicitation journal '%.200s'", path);
    lexj_read x = {j, path};
    /* a torn last line is left out (and cut off by a resume) */
    int rc = vs__jsonl_read_all(path, VS_LEXICAL_MAX_LINE_BYTES, 8, missing_ok, what, on_header, on_record, &x,
                                &j->valid_len, &j->torn);
    if (rc != VS_OK) vs__lexj_clear(j);
    return rc;
}

/* Marks the records that count: the last of each id (j->recs[i].last). Two successful records
 * of one id are an error. */
int vs__lexj_latest(vs__lexj *j, const char *path) {
    vs__strmap map = {0};
    char **ids = NULL;
    size_t *at = NULL;
    int rc = VS_OK;
    if (j->nrec) {
        ids = vs__calloc(j->nrec, sizeof *ids);
        at = vs__calloc(j->nrec, sizeof *at);
        if (!ids || !at) rc = vs__nomem("elicitation journal");
    }
    size_t n = 0;
    for (size_t i = 0; i < j->nrec && rc == VS_OK; i++) {
        vs__lexj_rec *r = &j->recs[i];
        size_t f = vs__strmap_find(&map, ids, r->id);
        if (f == SIZE_MAX) {
            ids[n] = r->id;
            at[n] = i;
            rc = vs__strmap_insert(&map, ids, n);
            n++;
            r->last = 1;
        } else {
            vs__lexj_rec *p = &j->recs[at[f]];
            if (p->ok && r->ok) {
                rc = vs__error(VS_EPARSE, "%s:%zu: item '%.200s' has a second successful record (the first: line %zu)",
                               path, r->line, r->id, p->line);
                break;
            }
            p->last = 0;
            r->last = 1;
            at[f] = i;
        }
    }
    vs__strmap_clear(&map);
    vs__free(ids);
    vs__free(at);
    return rc;
}

int vs_lexicon_add_journal(vs_lexicon *lexicon, const char *path) {
    if (!lexicon || !path) return vs__error(VS_EINVAL, "vs_lexicon_add_journal: %s is NULL", lexicon ? "path" : "lexicon");
    vs__lexj j;
    int rc = vs__lexj_read(&j, path, 0);
    if (rc != VS_OK) return rc;
    if (!j.has_header) rc = vs__error(VS_EPARSE, "%s:1: not an elicitation journal (no header line)", path);
    if (rc == VS_OK) rc = vs__lexj_latest(&j, path);
    for (size_t i = 0; i < j.nrec && rc == VS_OK; i++) {
        const vs__lexj_rec *r = &j.recs[i];
        if (!r->ok || !r->last) continue;
        rc = vs_lexicon_add_response(lexicon, r->model, r->text);
        if (rc != VS_OK) rc = vs__error_prefix(rc, "%s:%zu: item '%.200s'", path, r->line, r->id);
    }
    vs__lexj_clear(&j);
    return rc;
}

int vs_lexical_journal_failures(uint64_t *out_ok, uint64_t *out_failed, char **out_first_id, char **out_first_error,
                                const char *path) {
    if (out_ok) *out_ok = 0;
    if (out_failed) *out_failed = 0;
    if (out_first_id) *out_first_id = NULL;
    if (out_first_error) *out_first_error = NULL;
    if (!path) return vs__error(VS_EINVAL, "vs_lexical_journal_failures: path is NULL");
    vs__lexj j;
    int rc = vs__lexj_read(&j, path, 0);
    if (rc != VS_OK) return rc;
    if (!j.has_header) rc = vs__error(VS_EPARSE, "%s:1: not an elicitation journal (no header line)", path);
    if (rc == VS_OK) rc = vs__lexj_latest(&j, path);
    uint64_t ok = 0, failed = 0;
    const vs__lexj_rec *first = NULL;
    for (size_t i = 0; i < j.nrec && rc == VS_OK; i++) {
        const vs__lexj_rec *r = &j.recs[i];
        if (!r->last) continue; /* a failure retried later counts once, as its latest record */
        if (r->ok) {
            ok++;
        } else {
            failed++;
            if (!first) first = r;
        }
    }
    char *id = NULL, *err = NULL;
    if (rc == VS_OK && first && ((out_first_id && !(id = vs__strdup(first->id))) ||
                                 (out_first_error && !(err = vs__strdup(first->text)))))
        rc = vs__nomem("vs_lexical_journal_failures");
    vs__lexj_clear(&j);
    if (rc != VS_OK) {
        vs__free(id);
        vs__free(err);
        return rc;
    }
    if (out_ok) *out_ok = ok;
    if (out_failed) *out_failed = failed;
    if (out_first_id) *out_first_id = id;
    if (out_first_error) *out_first_error = err;
    return VS_OK;
}
