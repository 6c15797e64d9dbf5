/* Reading a journal back: the header, the records (the latest per (item, repeat)), a torn last
 * line. */
#include <math.h>
#include <string.h>

#include "common/random.h"
#include "io/jsonl.h"
#include "projective/runner_internal.h"

static void rec_clear(vs__runner_rec *r) {
    vs__free(r->item);
    vs__free(r->dims);
    vs__free(r->judge);
    vs__free(r->error);
    vs__free(r->completion);
    memset(r, 0, sizeof *r);
}

void vs__runner_journal_clear(vs__runner_journal *j) {
    if (!j) return;
    vs__runner_config_clear(&j->config);
    vs__json_free(j->header);
    for (size_t i = 0; i < j->nrec; i++) rec_clear(&j->recs[i]);
    vs__free(j->recs);
    memset(j, 0, sizeof *j);
}

/* A classify record's probabilities ("p_high" of the two-way judge, "probabilities" of the
 * three-way one), when it has them: each judgement must be the outcome they give (projective.h,
 * "Judges"), so that the journal alone recomputes every score. Records of journals written before
 * the probabilities were recorded have none; their judgements are taken as written. */
static int check_probs(const vs__runner_rec *r, const vs_json *o, const char *where, size_t line) {
    const vs_json *p2 = vs__json_get(o, "p_high"), *p3 = vs__json_get(o, "probabilities");
    if (!p2 && !p3) return VS_OK;
    const vs_json *p = p2 ? p2 : p3;
    if (p2 && p3) p = NULL;
    if (!p || p->type != VS_JSON_ARRAY || p->u.array.count != r->n || r->status != VS_MODEL_ITEM_OK)
        return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': \"p_high\" or \"probabilities\" must give one entry per dimension of an ok record",
                         where, line, r->item);
    for (size_t k = 0; k < r->n; k++) {
        const vs_json *e = p->u.array.items[k];
        double q[3];
        size_t m = p2 ? 1 : 3;
        const vs_json *const *v = &e;
        if (!p2) v = e->type == VS_JSON_ARRAY && e->u.array.count == 3 ? (const vs_json *const *)e->u.array.items : NULL;
        for (size_t c = 0; v && c < m; c++) {
            if (v[c]->type != VS_JSON_NUMBER || !(v[c]->u.number >= 0.0 && v[c]->u.number <= 1.0)) v = NULL;
            else q[c] = v[c]->u.number;
        }
        if (!v)
            return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': a probability must be a number in [0, 1] (%s)", where,
                             line, r->item, p2 ? "\"p_high\"" : "three per dimension in \"probabilities\"");
        int out = p2 ? vs__runner_outcome2(q[0]) : vs__runner_outcome3(q[0], q[1], q[2]);
        double want = out == VS__OUTCOME_HIGH ? 1.0 : out == VS__OUTCOME_LOW ? 0.0 : NAN;
        want = r->reverse ? 1.0 - want : want;
        double got = r->judge[k];
        if (!(want == got || (isnan(want) && isnan(got))))
            return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': judgement %zu does not follow from the judge's probabilities",
                             where, line, r->item, k);
    }
    return VS_OK;
}

static int parse_record(vs__runner_rec *r, const vs_json *o, const char *where, size_t line, size_t ndims,
                        int keep_completion) {
    memset(r, 0, sizeof *r);
    if (o->type != VS_JSON_OBJECT) return vs__error(VS_EPARSE, "%s:%zu: a record must be an object", where, line);
    const vs_json *item = vs__json_get(o, "item"), *rep = vs__json_get(o, "repeat"), *st = vs__json_get(o, "status");
    const vs_json *rev = vs__json_get(o, "reverse"), *dims = vs__json_get(o, "dims"), *jd = vs__json_get(o, "judgements");
    if (!item || item->type != VS_JSON_STRING || item->u.string.len == 0 || strlen(item->u.string.ptr) != item->u.string.len)
        return vs__error(VS_EPARSE, "%s:%zu: record: \"item\" must be a non-empty string", where, line);
    if (!rep || rep->type != VS_JSON_NUMBER || rep->u.number < 0 || rep->u.number != floor(rep->u.number) ||
        rep->u.number > 9007199254740992.0)
        return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': \"repeat\" must be a non-negative integer", where, line,
                         item->u.string.ptr);
    int status = (st && st->type == VS_JSON_STRING) ? vs__runner_status_parse(st->u.string.ptr) : -1;
    if (status < 0)
        return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': \"status\" must be ok, transient, permanent or bad_output",
                         where, line, item->u.string.ptr);
    if (!rev || (rev->type != VS_JSON_TRUE && rev->type != VS_JSON_FALSE))
        return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': \"reverse\" must be a boolean", where, line, item->u.string.ptr);
    if (!dims || dims->type != VS_JSON_ARRAY || !jd || jd->type != VS_JSON_ARRAY || dims->u.array.count == 0 ||
        dims->u.array.count > VS_BANK_MAX_ITEM_DIMENSIONS ||
        (status == VS_MODEL_ITEM_OK ? jd->u.array.count != dims->u.array.count : jd->u.array.count != 0))
        return vs__error(VS_EPARSE,
                         "%s:%zu: record '%.200s': \"dims\" must list 1..64 dimensions and \"judgements\" one number "
                         "per dimension (none for a failed record)",
                         where, line, item->u.string.ptr);
    size_t n = dims->u.array.count;
    r->item = vs__strdup(item->u.string.ptr);
    r->dims = vs__calloc(n, sizeof *r->dims);
    r->judge = vs__calloc(n, sizeof *r->judge);
    if (!r->item || !r->dims || !r->judge) {
        rec_clear(r);
        return vs__nomem("journal record");
    }
    r->repeat = (uint64_t)rep->u.number;
    r->status = status;
    if (status != VS_MODEL_ITEM_OK) { /* its message, for the result's first failure */
        const vs_json *err = vs__json_get(o, "error");
        r->error = vs__strdup(err && err->type == VS_JSON_STRING ? err->u.string.ptr : "");
        if (!r->error) {
            rec_clear(r);
            return vs__nomem("journal record");
        }
    }
    r->reverse = rev->type == VS_JSON_TRUE;
    r->n = n;
    for (size_t k = 0; k < n; k++) {
        const vs_json *d = dims->u.array.items[k];
        if (d->type != VS_JSON_NUMBER || d->u.number < 0 || d->u.number != floor(d->u.number) || d->u.number >= (double)ndims) {
            rec_clear(r);
            return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': dimension index out of range (the header lists %zu)",
                             where, line, item->u.string.ptr, ndims);
        }
        r->dims[k] = (uint32_t)d->u.number;
        if (status == VS_MODEL_ITEM_OK) {
            const vs_json *v = jd->u.array.items[k];
            if (v->type == VS_JSON_NULL) { /* unrelated */
                r->judge[k] = NAN;
                continue;
            }
            if (v->type != VS_JSON_NUMBER || !(v->u.number >= 0.0 && v->u.number <= 1.0)) {
                rec_clear(r);
                return vs__error(VS_EPARSE, "%s:%zu: record '%.200s': a judgement must be a number in [0, 1] or null",
                                 where, line, item->u.string.ptr);
            }
            r->judge[k] = v->u.number;
        } else {
            r->judge[k] = NAN;
        }
    }
    int rc = status == VS_MODEL_ITEM_OK ? check_probs(r, o, where, line) : VS_OK;
    const vs_json *first = vs__json_get(o, "first");
    if (rc == VS_OK && first) {
        r->first = first->type == VS_JSON_STRING ? (strcmp(first->u.string.ptr, "high") == 0   ? 1
                                                    : strcmp(first->u.string.ptr, "low") == 0 ? 2
                                                                                              : 0)
                                                 : 0;
        if (!r->first)
            rc = vs__error(VS_EPARSE, "%s:%zu: record '%.200s': \"first\" must be \"high\" or \"low\"", where, line,
                           r->item);
    }
    if (rc == VS_OK && keep_completion && status == VS_MODEL_ITEM_OK) {
        const vs_json *c = vs__json_get(o, "completion");
        if (!c || c->type != VS_JSON_STRING || strlen(c->u.string.ptr) != c->u.string.len)
            rc = vs__error(VS_EPARSE, "%s:%zu: record '%.200s': \"completion\" must be a string without U+0000", where,
                           line, r->item);
        else if (!(r->completion = vs__strdup(c->u.string.ptr)))
            rc = vs__nomem("journal record");
    }
    if (rc != VS_OK) rec_clear(r);
    return rc;
}

static uint64_t rec_key(const vs__runner_rec *r) {
    uint64_t h = vs__fnv1a64(VS__FNV_BASIS, r->item, strlen(r->item));
    return vs__hash_combine(h, r->repeat);
}

/* Keeps the latest record of each (item, repeat); two successful records of one pair are an
 * error. */
static int dedup(vs__runner_journal *j, const char *where) {
    if (j->nrec < 2) return VS_OK;
    size_t cap = 4;
    while (cap < 2 * j->nrec) cap *= 2;
    uint32_t *slots = vs__calloc(cap, sizeof *slots);
    if (!slots) return vs__nomem("journal");
    size_t out = 0;
    int rc = VS_OK;
    for (size_t i = 0; i < j->nrec; i++) {
        vs__runner_rec *r = &j->recs[i];
        size_t s = (size_t)rec_key(r) & (cap - 1);
        for (;;) {
            if (!slots[s]) {
                j->recs[out] = *r;
                if (out != i) memset(r, 0, sizeof *r);
                slots[s] = (uint32_t)++out;
                break;
            }
            vs__runner_rec *p = &j->recs[slots[s] - 1];
            if (p->repeat == r->repeat && strcmp(p->item, r->item) == 0) {
                if (p->status == VS_MODEL_ITEM_OK && r->status == VS_MODEL_ITEM_OK && rc == VS_OK)
                    rc = vs__error(VS_EDUPLICATE, "%s: item '%.200s' repeat %llu has two successful records", where,
                                   r->item, (unsigned long long)r->repeat);
                rec_clear(p);
                *p = *r;
                memset(r, 0, sizeof *r);
                break;
            }
            s = (s + 1) & (cap - 1);
        }
    }
    for (size_t i = out; i < j->nrec; i++) rec_clear(&j->recs[i]);
    j->nrec = out;
    vs__free(slots);
    return rc;
}

/* The lines of vs__runner_journal_read(), through vs__jsonl_read_all(). */
typedef struct journal_read {
    vs__runner_journal *j;
    const char *path;
} journal_read;

static int on_header(void *ud, vs_json **doc, size_t line) {
    journal_read *x = ud;
    (void)line;
    int rc = vs__runner_config_read(&x->j->config, *doc, x->path);
    if (rc == VS_OK) {
        x->j->has_header = 1;
        x->j->header = *doc; /* kept: a resume compares it with the runner's */
        *doc = NULL;
    }
    return rc;
}

static int on_record(void *ud, vs_json **doc, size_t line) {
    vs__runner_journal *j = ((journal_read *)ud)->j;
    int rc = vs__grow((void **)&j->recs, &j->cap, j->nrec + 1, sizeof *j->recs);
    if (rc == VS_OK)
        rc = parse_record(&j->recs[j->nrec], *doc, ((journal_read *)ud)->path, line, j->config.ndims,
                          j->keep_completions);
    if (rc == VS_OK) j->nrec++;
    return rc;
}

static int journal_read_impl(vs__runner_journal *j, const char *path, int missing_ok, int keep_completions) {
    memset(j, 0, sizeof *j);
    j->keep_completions = keep_completions;
    char what[300];
    snprintf(what, sizeof what, "journal '%.200s'", path);
    journal_read x = {j, path};
    /* a torn last line is ignored (and truncated by a resume) */
    int rc = vs__jsonl_read_all(path, VS_RUNNER_MAX_LINE_BYTES, 16, missing_ok, what, on_header, on_record, &x,
                                &j->valid_len, &j->torn);
    if (rc == VS_OK) rc = dedup(j, path);
    if (rc != VS_OK) vs__runner_journal_clear(j);
    return rc;
}

int vs__runner_journal_read(vs__runner_journal *j, const char *path, int missing_ok) {
    return journal_read_impl(j, path, missing_ok, 0);
}

int vs__runner_journal_read_completions(vs__runner_journal *j, const char *path) {
    return journal_read_impl(j, path, 0, 1);
}

int vs__runner_header_read(vs__runner_config *c, const char *path, const char *fn) {
    memset(c, 0, sizeof *c);
    vs_json *doc = NULL;
    int rc = vs__jsonl_header_read(&doc, path, VS_RUNNER_MAX_LINE_BYTES, &vs__runner_schema, 0);
    if (rc != VS_OK) return rc;
    if (!doc) return vs__error(VS_EPARSE, "%s: '%s' has no journal header", fn, path);
    rc = vs__runner_config_read(c, doc, path);
    vs__json_free(doc);
    return rc;
}
