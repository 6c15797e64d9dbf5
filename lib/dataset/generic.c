/* The generic labelled-dataset reader: options, the JSONL format, and the label rule shared
 * with the CSV format (csv.c). Format rules are in include/valuespace/dataset.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "dataset/dataset_internal.h"
#include "io/json.h"
#include "space/space_ref.h"

#define QUOTE(s, n) VS__DS_QUOTE(s, n)

/* ---------------------------------------------------------------- labels of a record */

void vs__ds_gen_begin(vs__ds_generic *g) {
    const vs__ds_set *set = &g->ds->sets[0];
    for (size_t k = 0; k < set->size; k++) g->values[k] = NAN;
    for (size_t i = 0; i < g->n_touched; i++) {
        g->first_col[g->touched[i]] = 0;
        g->conflict[g->touched[i]] = 0;
    }
    g->n_touched = 0;
}

int vs__ds_gen_label(vs__ds_generic *g, size_t dim, double value, size_t line, size_t column, const char *tok,
                     size_t tok_len) {
    if (isnan(value)) return VS_OK;
    vs_dataset *ds = g->ds;
    if (g->first_col[dim] == 0) {
        g->first_col[dim] = column;
        g->first_tok[dim] = tok;
        g->first_len[dim] = tok_len;
        g->values[dim] = value;
        g->touched[g->n_touched++] = dim;
        return VS_OK;
    }
    const char *key = vs_space_key(ds->sets[0].space, ds->sets[0].offset + dim);
    if (!g->conflict[dim] && g->values[dim] == value)
        return vs__ds_report(ds, VS_DATASET_SKIP_DUPLICATE, VS_EDUPLICATE, line, column, tok, tok_len,
                             "'%.*s' repeats the label of dimension '%s' with the same value (kept once)",
                             QUOTE(tok, tok_len), key);
    int rc = VS_OK;
    if (!g->conflict[dim]) {
        g->conflict[dim] = 1;
        g->values[dim] = NAN;
        rc = vs__ds_report(ds, VS_DATASET_SKIP_CONFLICT, VS_EDUPLICATE, line, g->first_col[dim], g->first_tok[dim],
                           g->first_len[dim],
                           "'%.*s' and '%.*s' give dimension '%s' different values (both dropped: the entry is "
                           "missing)",
                           QUOTE(g->first_tok[dim], g->first_len[dim]), QUOTE(tok, tok_len), key);
    }
    if (rc == VS_OK)
        rc = vs__ds_report(ds, VS_DATASET_SKIP_CONFLICT, VS_EDUPLICATE, line, column, tok, tok_len,
                           "'%.*s' gives dimension '%s' a different value than another field (dropped: the entry "
                           "is missing)",
                           QUOTE(tok, tok_len), key);
    return rc;
}

int vs__ds_gen_ignored(vs__ds_generic *g, const char *name, size_t len, size_t line, size_t column) {
    size_t dummy;
    if (vs__ds_map_get(&g->ignored, name, len, &dummy)) return VS_OK;
    int rc = vs__ds_map_put(&g->ignored, name, len, 1);
    if (rc != VS_OK) return rc;
    return vs__ds_gen_ignored_report(g, name, len, line, column);
}

int vs__ds_gen_ignored_report(vs__ds_generic *g, const char *name, size_t len, size_t line, size_t column) {
    return vs__ds_report(g->ds, VS_DATASET_SKIP_IGNORED_FIELD, VS_EPARSE, line, column, name, len,
                         "field '%.*s' is neither a configured field nor a dimension of level '%s' of space '%s' "
                         "(ignored)",
                         QUOTE(name, len), vs_space_level_name(g->ds->sets[0].space, g->ds->sets[0].level),
                         vs_space_name(g->ds->sets[0].space));
}

/* ---------------------------------------------------------------- JSONL */

static int same_key(const vs_json_member *m, const char *name) {
    return name && strlen(name) == m->key_len && memcmp(m->key, name, m->key_len) == 0;
}

/* A text field: string or number. Returns 1 and the text (number formatted into buf). */
static int text_value(const vs_json *v, char buf[32], const char **s, size_t *len) {
    if (v->type == VS_JSON_STRING) {
        if (memchr(v->u.string.ptr, '\0', v->u.string.len)) return 0;
        *s = v->u.string.ptr;
        *len = v->u.string.len;
        return 1;
    }
    if (v->type == VS_JSON_NUMBER) {
        vs__format_double(buf, v->u.number);
        *s = buf;
        *len = strlen(buf);
        return 1;
    }
    return 0;
}

static int bad_member(vs_dataset *ds, size_t line, const vs_json *root, const char *key, const vs_json *v,
                      const char *what) {
    if (!v)
        return vs__ds_report(ds, VS_DATASET_SKIP_BAD_RECORD, VS_EPARSE, line, root->column, key, strlen(key),
                             "missing member '%.*s'", QUOTE(key, strlen(key)));
    return vs__ds_report(ds, VS_DATASET_SKIP_BAD_RECORD, VS_EPARSE, line, v->column, key, strlen(key),
                         "member '%.*s' must be %s, found %s", QUOTE(key, strlen(key)), what,
                         vs__json_type_name(v->type));
}

/* One label member (name from the key, value number or null). */
static int json_label(vs__ds_generic *g, const vs_json_member *m, size_t line, int report_unknown) {
    vs_dataset *ds = g->ds;
    size_t dim = VS_NPOS;
    int rc;
    if (!memchr(m->key, '\0', m->key_len) && m->key_len > 0 &&
        (rc = vs__ds_lookup(&dim, &ds->sets[0], m->key, m->key_len)) != VS_OK)
        return rc;
    if (dim == VS_NPOS) {
        if (!report_unknown) return vs__ds_gen_ignored(g, m->key, m->key_len, line, m->column);
        return vs__ds_report(
            ds, VS_DATASET_SKIP_UNKNOWN_LABEL, VS_ENOTFOUND, line, m->column, m->key, m->key_len,
            "unknown label '%.*s' in '%s': not a dimension of level '%s' of space '%s'", QUOTE(m->key, m->key_len),
            g->labels_f, vs_space_level_name(ds->sets[0].space, ds->sets[0].level), vs_space_name(ds->sets[0].space));
    }
    const vs_json *v = m->value;
    if (v->type == VS_JSON_NULL) return VS_OK;
    if (v->type != VS_JSON_NUMBER)
        return vs__ds_report(ds, VS_DATASET_SKIP_MALFORMED_LABEL, VS_EPARSE, line, v->column, m->key, m->key_len,
                             "malformed label '%.*s': expected a number or null, found %s", QUOTE(m->key, m->key_len),
                             vs__json_type_name(v->type));
    return vs__ds_gen_label(g, dim, v->u.number, line, v->column, m->key, m->key_len);
}

static int jsonl_record(vs__ds_generic *g, const vs_json *root, size_t line) {
    vs_dataset *ds = g->ds;
    if (root->type != VS_JSON_OBJECT) {
        const char *tn = vs__json_type_name(root->type);
        return vs__ds_report(ds, VS_DATASET_SKIP_BAD_RECORD, VS_EPARSE, line, root->column, tn, strlen(tn),
                             "the line is not a JSON object (found %s)", tn);
    }
    char b[4][32];
    const char *f[4] = {g->id_f, g->text_f, g->prompt_f, g->group_f};
    const char *val[4] = {NULL, NULL, "", ""};
    size_t len[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        if (!f[k]) continue;
        const vs_json *v = vs__json_get(root, f[k]);
        if (!v) {
            if (k == 1 || k == 2) return bad_member(ds, line, root, f[k], NULL, "");
            continue;
        }
        if (!text_value(v, b[k], &val[k], &len[k]))
            return bad_member(ds, line, root, f[k], v, "a string (without NUL characters) or a number");
    }
    char idbuf[32];
    if (!val[0]) {
        snprintf(idbuf, sizeof idbuf, "%zu", line);
        val[0] = idbuf;
    }

    vs__ds_gen_begin(g);
    int rc = VS_OK;
    if (g->labels_f) {
        const vs_json *lab = vs__json_get(root, g->labels_f);
        if (lab && lab->type != VS_JSON_OBJECT) return bad_member(ds, line, root, g->labels_f, lab, "an object");
        for (size_t i = 0; rc == VS_OK && lab && i < lab->u.object.count; i++)
            rc = json_label(g, &lab->u.object.members[i], line, 1);
    }
    for (size_t i = 0; rc == VS_OK && i < root->u.object.count; i++) {
        const vs_json_member *m = &root->u.object.members[i];
        if (same_key(m, g->id_f) || same_key(m, g->text_f) || same_key(m, g->prompt_f) || same_key(m, g->group_f))
            continue;
        if (g->labels_f) {
            if (!same_key(m, g->labels_f)) rc = vs__ds_gen_ignored(g, m->key, m->key_len, line, m->column);
            continue;
        }
        rc = json_label(g, m, line, 0);
    }
    /* A record with bad labels is kept without them (lenient); a strict read fails after it. */
    if (rc == VS_OK)
        rc = vs__ds_add_record(ds, val[0], val[2], len[2], val[1], len[1], val[1], len[1], val[3], len[3], "", line,
                               g->values);
    return rc;
}

static int read_jsonl(vs__ds_generic *g, vs__lines *r) {
    vs_dataset *ds = g->ds;
    int rc = VS_OK;
    while (rc == VS_OK) {
        const char *line;
        size_t len;
        int crlf, too_long;
        int got = vs__lines_next(r, &line, &len, &crlf, &too_long);
        if (got <= 0) return got;
        ds->lines = r->line;
        size_t lineno = r->line;
        vs__ds_line_begin(ds);
        vs_json *root = NULL;
        rc = vs__ds_json_line(&root, ds, line, len, lineno, too_long, r->max);
        if (rc == VS_OK && root) rc = jsonl_record(g, root, lineno);
        if (rc == VS_OK) rc = vs__ds_line_end(ds);
        vs__json_free(root);
    }
    return rc;
}

/* ---------------------------------------------------------------- entry points */

static int ends_with_csv(const char *path) {
    size_t n = strlen(path);
    if (n < 4) return 0;
    const char *e = path + n - 4;
    return e[0] == '.' && (e[1] | 0x20) == 'c' && (e[2] | 0x20) == 's' && (e[3] | 0x20) == 'v';
}

/* Checks the options and fills `o` (a full-size copy with defaults applied). */
static int check_options(vs_dataset_options *o, const vs_dataset_options *in, const char *where) {
    if (!in) return vs__error(VS_EINVAL, "%s: options is NULL", where);
    if (in->struct_size < sizeof(vs_dataset_options))
        return vs__error(VS_EINVAL, "%s: options->struct_size %u is too small (need %zu)", where,
                         (unsigned)in->struct_size, sizeof(vs_dataset_options));
    memcpy(o, in, sizeof *o);
    const uint32_t known = VS_DATASET_STRICT | VS_DATASET_JSONL | VS_DATASET_CSV;
    if (o->flags & ~known) return vs__error(VS_EINVAL, "%s: unknown flags 0x%x", where, (unsigned)(o->flags & ~known));
    if ((o->flags & VS_DATASET_JSONL) && (o->flags & VS_DATASET_CSV))
        return vs__error(VS_EINVAL, "%s: both VS_DATASET_JSONL and VS_DATASET_CSV", where);
    if (!o->space) return vs__error(VS_EINVAL, "%s: options->space is NULL", where);
    if (o->level >= vs_space_level_count(o->space))
        return vs__error(VS_ERANGE, "%s: level %zu out of range (space '%s' has %zu levels)", where, o->level,
                         vs_space_name(o->space), vs_space_level_count(o->space));
    const char **names[5] = {&o->id_field, &o->text_field, &o->prompt_field, &o->group_field, &o->labels_field};
    for (int k = 0; k < 5; k++)
        if (*names[k] && !**names[k]) return vs__error(VS_EINVAL, "%s: an empty field name", where);
    if (!o->id_field) o->id_field = "id";
    if (!o->text_field) o->text_field = "text";
    if (!o->group_field) o->group_field = "group";
    if (o->max_line_bytes == 0) o->max_line_bytes = VS_DATASET_DEFAULT_MAX_LINE;
    if (o->max_line_bytes > SIZE_MAX / 4) o->max_line_bytes = SIZE_MAX / 4;
    return VS_OK;
}

static int generic_load(vs_dataset **out, vs__lines *r, const vs_dataset_options *o, int csv) {
    if (csv && o->labels_field)
        return vs__error(VS_EINVAL, "vs_dataset_load: labels_field applies to JSONL input, not CSV");
    vs_dataset *ds = vs__ds_new(r->name, o->flags & VS_DATASET_STRICT);
    if (!ds) return VS_ENOMEM;
    vs__space_retain(o->space);
    int rc = vs__ds_add_set(ds, (vs_space *)(uintptr_t)o->space, o->level, 0);
    vs__ds_generic g;
    memset(&g, 0, sizeof g);
    g.ds = ds;
    g.id_f = o->id_field;
    g.text_f = o->text_field;
    g.prompt_f = o->prompt_field;
    g.group_f = o->group_field;
    g.labels_f = o->labels_field;
    if (rc == VS_OK) {
        size_t n = ds->sets[0].size;
        g.values = vs__calloc(n, sizeof(double));
        g.first_col = vs__calloc(n, sizeof(size_t));
        g.first_tok = vs__calloc(n, sizeof(const char *));
        g.first_len = vs__calloc(n, sizeof(size_t));
        g.conflict = vs__calloc(n, 1);
        g.touched = vs__calloc(n, sizeof(size_t));
        if (!g.values || !g.first_col || !g.first_tok || !g.first_len || !g.conflict || !g.touched)
            rc = vs__nomem("vs_dataset_load");
    }
    if (rc == VS_OK) rc = csv ? vs__ds_read_csv(&g, r) : read_jsonl(&g, r);
    vs__free(g.values);
    vs__free(g.first_col);
    vs__free(g.first_tok);
    vs__free(g.first_len);
    vs__free(g.conflict);
    vs__free(g.touched);
    vs__ds_map_free(&g.ignored);
    if (rc != VS_OK) {
        vs_dataset_free(ds);
        return rc;
    }
    *out = ds;
    return VS_OK;
}

int vs_dataset_load(vs_dataset **out, const char *path, const vs_dataset_options *options) {
    if (out) *out = NULL;
    if (!out || !path) return vs__error(VS_EINVAL, "vs_dataset_load: NULL argument");
    vs_dataset_options o;
    int rc = check_options(&o, options, "vs_dataset_load");
    if (rc != VS_OK) return rc;
    int csv = (o.flags & VS_DATASET_CSV) || (!(o.flags & VS_DATASET_JSONL) && ends_with_csv(path));
    vs__lines r;
    if ((rc = vs__lines_open_file(&r, path, o.max_line_bytes)) != VS_OK) return rc;
    rc = generic_load(out, &r, &o, csv);
    vs__lines_close(&r);
    return rc;
}

int vs_dataset_read(vs_dataset **out, const char *data, size_t len, const char *source_name,
                    const vs_dataset_options *options) {
    if (out) *out = NULL;
    if (!out || (!data && len)) return vs__error(VS_EINVAL, "vs_dataset_read: NULL argument");
    vs_dataset_options o;
    int rc = check_options(&o, options, "vs_dataset_read");
    if (rc != VS_OK) return rc;
    vs__lines r;
    vs__lines_open_mem(&r, source_name ? source_name : "<dataset>", data, len, o.max_line_bytes);
    rc = generic_load(out, &r, &o, (o.flags & VS_DATASET_CSV) != 0);
    vs__lines_close(&r);
    return rc;
}

void vs_dataset_options_init(vs_dataset_options *o) {
    if (!o) return;
    vs_dataset_options init = VS_DATASET_OPTIONS_INIT;
    *o = init;
}
