/* The FULCRA JSONL reader (format and rules in include/valuespace/dataset.h). */
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "dataset/dataset_internal.h"
#include "io/json.h"

/* ---------------------------------------------------------------- label lookup */

#define VS__DS_LOOKUP_CACHE_UNKNOWN 4096

int vs__ds_lookup(size_t *out_index, vs__ds_set *set, const char *name, size_t len) {
    size_t idx;
    if (vs__ds_map_get(&set->names, name, len, &idx)) {
        *out_index = idx;
        return VS_OK;
    }
    char *tmp = vs__strndup(name, len);
    if (!tmp) return vs__nomem("vs_dataset");
    size_t global = VS_NPOS;
    int rc = vs_space_find(&global, set->space, set->level, tmp);
    vs__free(tmp);
    if (rc == VS_ENOMEM) return rc;
    idx = rc == VS_OK ? global - set->offset : VS_NPOS;
    /* Unknown names are cached only up to a bound, so that a file of millions of different
     * bad names does not grow the cache with it. */
    if ((idx != VS_NPOS || set->names.used < VS__DS_LOOKUP_CACHE_UNKNOWN) &&
        (rc = vs__ds_map_put(&set->names, name, len, idx)) != VS_OK)
        return rc;
    *out_index = idx;
    return VS_OK;
}

/* ---------------------------------------------------------------- per-load state */

/* A valid, known label of the current line. */
typedef struct label {
    size_t dim;
    double sign;
    const vs_json *json;
} label;

typedef struct fulcra_state {
    vs_dataset *ds;
    double *values; /* n_types + n_items */
    label *list;
    size_t list_len, list_cap;
    size_t *first; /* per dimension of the larger set: index into list of its first label, or VS_NPOS */
    unsigned char *mixed;
} fulcra_state;

static const char *const set_fields[2] = {"value_types", "value_items"};
static const char *const set_what[2] = {"a value type", "a value item"};

#define QUOTE(s, n) VS__DS_QUOTE(s, n)

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* Parses "name: score". Returns 1 with the name span and sign, or 0 with a reason. */
static int parse_label(const char *s, size_t len, const char **name, size_t *name_len, double *sign, int *written,
                       const char **why) {
    const char *colon = NULL;
    for (size_t i = len; i > 0; i--)
        if (s[i - 1] == ':') {
            colon = s + i - 1;
            break;
        }
    if (!colon) {
        *why = "expected 'name: score'";
        return 0;
    }
    const char *n = s, *ne = colon;
    while (n < ne && is_ws(*n)) n++;
    while (ne > n && is_ws(ne[-1])) ne--;
    const char *v = colon + 1, *ve = s + len;
    while (v < ve && is_ws(*v)) v++;
    while (ve > v && is_ws(ve[-1])) ve--;
    if (n == ne) {
        *why = "the name is empty";
        return 0;
    }
    size_t vl = (size_t)(ve - v);
    if (vl == 2 && v[0] == '+' && v[1] == '1') {
        *sign = 1.0;
        *written = 0;
    } else if (vl == 1 && v[0] == '1') {
        *sign = 1.0;
        *written = 1;
    } else if (vl == 2 && v[0] == '-' && v[1] == '1') {
        *sign = -1.0;
        *written = 2;
    } else {
        *why = "the score must be +1, 1 or -1";
        return 0;
    }
    *name = n;
    *name_len = (size_t)(ne - n);
    return 1;
}

/* Reads one label list into st->values[off ..] and the report. */
static int read_labels(fulcra_state *st, size_t s, const vs_json *arr, size_t line, double *values) {
    vs_dataset *ds = st->ds;
    vs__ds_set *set = &ds->sets[s];
    const char *field = set_fields[s];
    int rc;
    st->list_len = 0;
    for (size_t e = 0; e < arr->u.array.count; e++) {
        const vs_json *el = arr->u.array.items[e];
        if (el->type != VS_JSON_STRING) {
            const char *tn = vs__json_type_name(el->type);
            rc = vs__ds_report(ds, VS_DATASET_SKIP_MALFORMED_LABEL, VS_EPARSE, line, el->column, tn, strlen(tn),
                               "malformed label in %s: expected a string \"name: score\", found %s", field, tn);
            if (rc != VS_OK) return rc;
            continue;
        }
        const char *str = el->u.string.ptr;
        size_t len = el->u.string.len;
        const char *name = NULL, *why = NULL;
        size_t name_len = 0;
        double sign = 0;
        int written = 0;
        if (memchr(str, '\0', len)) why = "it contains a NUL character";
        if (why || !parse_label(str, len, &name, &name_len, &sign, &written, &why)) {
            rc = vs__ds_report(ds, VS_DATASET_SKIP_MALFORMED_LABEL, VS_EPARSE, line, el->column, str, len,
                               "malformed label '%.*s' in %s: %s", QUOTE(str, len), field, why);
            if (rc != VS_OK) return rc;
            continue;
        }
        size_t dim;
        if ((rc = vs__ds_lookup(&dim, set, name, name_len)) != VS_OK) return rc;
        if (dim == VS_NPOS) {
            rc = vs__ds_report(ds, VS_DATASET_SKIP_UNKNOWN_LABEL, VS_ENOTFOUND, line, el->column, str, len,
                               "unknown label '%.*s' in %s: '%.*s' is not %s of space '%s'", QUOTE(str, len), field,
                               QUOTE(name, name_len), set_what[s], vs_space_name(set->space));
            if (rc != VS_OK) return rc;
            continue;
        }
        set->written[written][dim]++;
        if (st->list_len == st->list_cap &&
            vs__grow((void **)&st->list, &st->list_cap, st->list_len + 1, sizeof *st->list) != VS_OK)
            return VS_ENOMEM;
        st->list[st->list_len++] = (label){dim, sign, el};
    }
    /* The duplicate rule: same score kept once; opposite scores give 0 and are all reported. */
    for (size_t i = 0; i < st->list_len; i++) {
        const label *l = &st->list[i];
        if (st->first[l->dim] == VS_NPOS) {
            st->first[l->dim] = i;
            st->mixed[l->dim] = 0;
            values[l->dim] = l->sign;
        } else if (values[l->dim] != l->sign) {
            st->mixed[l->dim] = 1;
        }
    }
    for (size_t i = 0; i < st->list_len; i++) {
        const label *l = &st->list[i];
        const vs_json *j = l->json;
        const char *str = j->u.string.ptr;
        size_t len = j->u.string.len;
        if (st->mixed[l->dim]) {
            /* Name the first label of the dimension with the other sign. */
            const label *other = NULL;
            for (size_t k = st->first[l->dim]; k < st->list_len && !other; k++)
                if (st->list[k].dim == l->dim && st->list[k].sign != l->sign) other = &st->list[k];
            const char *os = other->json->u.string.ptr;
            size_t ol = other->json->u.string.len;
            rc = vs__ds_report(ds, VS_DATASET_SKIP_CONFLICT, VS_EDUPLICATE, line, j->column, str, len,
                               "conflicting labels in %s: '%.*s' and '%.*s' give the same dimension opposite scores "
                               "(both dropped: the entry is 0)",
                               field, QUOTE(str, len), QUOTE(os, ol));
            if (rc != VS_OK) return rc;
        } else if (st->first[l->dim] != i) {
            rc = vs__ds_report(ds, VS_DATASET_SKIP_DUPLICATE, VS_EDUPLICATE, line, j->column, str, len,
                               "repeated label '%.*s' in %s (kept once)", QUOTE(str, len), field);
            if (rc != VS_OK) return rc;
        }
    }
    for (size_t i = 0; i < st->list_len; i++) {
        size_t d = st->list[i].dim;
        if (st->mixed[d]) values[d] = 0.0;
        st->first[d] = VS_NPOS;
    }
    return VS_OK;
}

/* A whole-line problem with a field. */
static int bad_field(vs_dataset *ds, size_t line, const vs_json *root, const char *key, const vs_json *v,
                     const char *what) {
    if (!v)
        return vs__ds_report(ds, VS_DATASET_SKIP_BAD_RECORD, VS_EPARSE, line, root->column, key, strlen(key),
                             "missing member '%s'", key);
    return vs__ds_report(ds, VS_DATASET_SKIP_BAD_RECORD, VS_EPARSE, line, v->column, key, strlen(key),
                         "member '%s' must be %s, found %s", key, what, vs__json_type_name(v->type));
}

/* An optional string member: NULL/"" when absent. Returns 1 if acceptable. */
static int opt_string(const vs_json *v) {
    return !v || (v->type == VS_JSON_STRING && !memchr(v->u.string.ptr, '\0', v->u.string.len));
}

static int nul_free(const vs_json *v) { return !memchr(v->u.string.ptr, '\0', v->u.string.len); }

static int fulcra_record(fulcra_state *st, const vs_json *root, size_t line) {
    vs_dataset *ds = st->ds;
    if (root->type != VS_JSON_OBJECT) {
        const char *tn = vs__json_type_name(root->type);
        return vs__ds_report(ds, VS_DATASET_SKIP_BAD_RECORD, VS_EPARSE, line, root->column, tn, strlen(tn),
                             "the line is not a JSON object (found %s)", tn);
    }
    const vs_json *dlg = vs__json_get(root, "dialogue");
    const vs_json *types = vs__json_get(root, "value_types");
    const vs_json *items = vs__json_get(root, "value_items");
    const vs_json *rsrc = vs__json_get(root, "response_source");
    const vs_json *qsrc = vs__json_get(root, "query_source");
    const vs_json *id = vs__json_get(root, "id");
    if (!dlg || dlg->type != VS_JSON_STRING) return bad_field(ds, line, root, "dialogue", dlg, "a string");
    if (!nul_free(dlg)) return bad_field(ds, line, root, "dialogue", dlg, "a string without NUL characters");
    if (!types || types->type != VS_JSON_ARRAY) return bad_field(ds, line, root, "value_types", types, "an array");
    if (!items || items->type != VS_JSON_ARRAY) return bad_field(ds, line, root, "value_items", items, "an array");
    if (!opt_string(rsrc)) return bad_field(ds, line, root, "response_source", rsrc, "a string without NUL characters");
    if (!opt_string(qsrc)) return bad_field(ds, line, root, "query_source", qsrc, "a string without NUL characters");
    if (id && !(id->type == VS_JSON_NUMBER || (id->type == VS_JSON_STRING && nul_free(id))))
        return bad_field(ds, line, root, "id", id, "a string or a number");

    char *prompt, *response;
    size_t plen, rlen;
    const char *why;
    int rc = vs__ds_split_dialogue(&prompt, &plen, &response, &rlen, &why, dlg->u.string.ptr, dlg->u.string.len);
    if (rc == VS_ENOMEM) return rc;
    if (rc != VS_OK) {
        char q[VS__DS_QBUF];
        size_t tl = vs__ds_cut(dlg->u.string.ptr, dlg->u.string.len, 40);
        return vs__ds_report(ds, VS_DATASET_SKIP_BAD_DIALOGUE, VS_EPARSE, line, dlg->column, dlg->u.string.ptr, tl,
                             "%s: '%s'", why, vs__ds_q(q, dlg->u.string.ptr, dlg->u.string.len, 40));
    }

    size_t n0 = ds->sets[0].size, n1 = ds->sets[1].size;
    for (size_t k = 0; k < n0 + n1; k++) st->values[k] = 0.0;
    rc = read_labels(st, 0, types, line, st->values);
    if (rc == VS_OK) rc = read_labels(st, 1, items, line, st->values + n0);
    if (rc == VS_OK) {
        char idbuf[32];
        const char *idp = idbuf;
        if (!id) snprintf(idbuf, sizeof idbuf, "%zu", line);
        else if (id->type == VS_JSON_NUMBER) vs__format_double(idbuf, id->u.number);
        else idp = id->u.string.ptr;
        const char *src = rsrc ? rsrc->u.string.ptr : "";
        size_t src_len = rsrc ? rsrc->u.string.len : 0;
        /* Stored with its good labels; a strict read fails after the line and drops everything. */
        rc = vs__ds_add_record(ds, idp, prompt, plen, response, rlen, dlg->u.string.ptr, dlg->u.string.len, src,
                               src_len, qsrc ? qsrc->u.string.ptr : "", line, st->values);
    }
    vs__free(prompt);
    vs__free(response);
    return rc;
}

static int read_fulcra(vs_dataset *ds, vs__lines *r) {
    fulcra_state st;
    memset(&st, 0, sizeof st);
    st.ds = ds;
    size_t n0 = ds->sets[0].size, n1 = ds->sets[1].size, nmax = n0 > n1 ? n0 : n1;
    st.values = vs__calloc(n0 + n1, sizeof(double));
    st.first = vs__calloc(nmax, sizeof(size_t));
    st.mixed = vs__calloc(nmax, 1);
    int rc = VS_OK;
    if (!st.values || !st.first || !st.mixed) rc = vs__nomem("vs_dataset");
    for (size_t k = 0; rc == VS_OK && k < nmax; k++) st.first[k] = VS_NPOS;
    while (rc == VS_OK) {
        const char *line;
        size_t len;
        int crlf, too_long;
        int got = vs__lines_next(r, &line, &len, &crlf, &too_long);
        if (got <= 0) {
            rc = got;
            break;
        }
        ds->lines = r->line;
        size_t lineno = r->line;
        vs__ds_line_begin(ds);
        vs_json *root = NULL;
        rc = vs__ds_json_line(&root, ds, line, len, lineno, too_long, r->max);
        if (rc == VS_OK && root) rc = fulcra_record(&st, root, lineno);
        vs__json_free(root);
        if (rc == VS_OK) rc = vs__ds_line_end(ds);
    }
    vs__free(st.values);
    vs__free(st.first);
    vs__free(st.mixed);
    vs__free(st.list);
    return rc;
}

/* ---------------------------------------------------------------- public entry points */

static int fulcra_load(vs_dataset **out, vs__lines *r, uint32_t flags) {
    vs_dataset *ds = vs__ds_new(r->name, flags);
    if (!ds) return VS_ENOMEM;
    vs_space *types = NULL, *items = NULL;
    int rc = vs_space_builtin(&types, "schwartz10");
    if (rc == VS_OK) rc = vs__ds_add_set(ds, types, 0, 1);
    if (rc == VS_OK) rc = vs_space_builtin(&items, "fulcra");
    if (rc == VS_OK) {
        size_t level = vs_space_level_find(items, "item");
        rc = vs__ds_add_set(ds, items, level, 1);
    }
    if (rc == VS_OK) rc = read_fulcra(ds, r);
    if (rc != VS_OK) {
        vs_dataset_free(ds);
        return rc;
    }
    *out = ds;
    return VS_OK;
}

int vs_dataset_load_fulcra(vs_dataset **out, const char *path, uint32_t flags) {
    if (out) *out = NULL;
    if (!out || !path) return vs__error(VS_EINVAL, "vs_dataset_load_fulcra: NULL argument");
    if (flags & ~(uint32_t)VS_DATASET_STRICT)
        return vs__error(VS_EINVAL, "vs_dataset_load_fulcra: unknown flags 0x%x", (unsigned)flags);
    vs__lines r;
    int rc = vs__lines_open_file(&r, path, VS_DATASET_DEFAULT_MAX_LINE);
    if (rc != VS_OK) return rc;
    rc = fulcra_load(out, &r, flags);
    vs__lines_close(&r);
    return rc;
}

int vs_dataset_read_fulcra(vs_dataset **out, const char *data, size_t len, const char *source_name, uint32_t flags) {
    if (out) *out = NULL;
    if (!out || (!data && len)) return vs__error(VS_EINVAL, "vs_dataset_read_fulcra: NULL argument");
    if (flags & ~(uint32_t)VS_DATASET_STRICT)
        return vs__error(VS_EINVAL, "vs_dataset_read_fulcra: unknown flags 0x%x", (unsigned)flags);
    vs__lines r;
    vs__lines_open_mem(&r, source_name ? source_name : "<fulcra>", data, len, VS_DATASET_DEFAULT_MAX_LINE);
    int rc = fulcra_load(out, &r, flags);
    vs__lines_close(&r);
    return rc;
}
