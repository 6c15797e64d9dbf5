/* Loading and saving spaces as JSON.
 *
 * Schema "valuespace/space", version 1
 * ====================================
 *
 * A space file is one JSON object (UTF-8):
 *
 *     {
 *       "schema": "valuespace/space",     required, exactly this string
 *       "version": 1,                     required, the number 1
 *       "name": "fulcra",                 required, non-empty string
 *       "description": "...",             optional string ("" = none)
 *       "levels": ["item", "type", ...],  required array of level names, finest first
 *       "dimensions": [                   required array of dimension objects
 *         {
 *           "key": "be_creative",         required; 1..64 characters of [A-Za-z0-9_.-]
 *           "level": "item",              required; one of "levels"
 *           "label": "Be creative",       optional non-empty string (default: the key)
 *           "description": "...",         optional string
 *           "aliases": ["...", ...],      optional array of non-empty strings
 *           "angle": 40,                  optional number in degrees (stored reduced to [0, 360)),
 *                                         or null for none
 *           "parent": "key",              optional; the parent at the next level up
 *           "parents": {"level": "key"}   optional; explicit parents at any higher levels
 *         }, ...
 *       ]
 *     }
 *
 * Rules:
 * - Level names are keys like dimension keys and unique (after folding). Keys, labels and
 *   aliases are unique within a level after folding (NFKC, case folding, runs of spaces,
 *   dashes and underscores made one space); see valuespace/space.h.
 * - Level 0 must have at least one dimension; higher levels may be empty.
 * - A dimension may name a parent at each level above its own, at most one per level, by
 *   "parent" (next level) or in "parents" (any higher level). Parents may be defined anywhere
 *   in the array. At a higher level without an explicit parent, a dimension inherits the
 *   parent of its nearest explicit parent below that level; without any, it has none there.
 * - Unknown fields are errors (so that typos are caught), at the top level and in dimensions.
 * - Strings must not contain U+0000. Limits: 16 levels, 100000 dimensions, 64 aliases per
 *   dimension, 65536 bytes per text, nesting depth 16, 64 MiB per document.
 *
 * Errors name the place: "source:line:column: message", at the offending value (or key).
 *   VS_EPARSE     malformed JSON, a wrong type, a missing required field, an unknown field,
 *                 a schema other than "valuespace/space", a string containing U+0000
 *   VS_EVERSION   "version" is not 1
 *   VS_EUTF8      invalid UTF-8
 *   VS_EINVAL     an empty or malformed name, key or label; no level; an empty level 0
 *   VS_EDUPLICATE a level, key, label or alias used twice; two parents at one level;
 *                 a JSON object with the same member twice
 *   VS_ENOTFOUND  an unknown level or parent key
 *   VS_ECYCLE     a parent that is not on a higher level ("parent" on the top level included)
 *   VS_ELIMIT     a limit above is exceeded
 *
 * Saving writes the fields in the order above (two-space indentation), "description" of a
 * dimension only when not empty, "aliases" only when there are some, "angle" only when set,
 * as the shortest decimal that reads back to the same double; only explicit parents are
 * written: "parent" when it is at the next level, "parents" for the others. Loading a saved
 * space and saving it again gives the same bytes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "io/file.h"
#include "io/json.h"
#include "io/json_doc.h"
#include "space/space_internal.h"

#define SCHEMA_NAME "valuespace/space"
#define SCHEMA_VERSION 1
#define MAX_DOCUMENT_BYTES ((size_t)64 << 20)
#define MAX_DEPTH 16

typedef struct loader {
    const char *src;
    vs_space_builder *b;
} loader;

static int at(const loader *L, uint32_t line, uint32_t col, int status, const char *fmt, ...) VS_PRINTF(5, 6);
static int at(const loader *L, uint32_t line, uint32_t col, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vs__jd_verror(L->src, line, col, status, fmt, ap);
    va_end(ap);
    return status;
}

/* ------------------------------------------------------------------ dimensions */

enum { D_KEY, D_LEVEL, D_LABEL, D_DESCRIPTION, D_ALIASES, D_ANGLE, D_PARENT, D_PARENTS, D_COUNT };
static const char *const dim_fields[D_COUNT] = {"key",     "level", "label",  "description",
                                                "aliases", "angle", "parent", "parents"};

/* Pass 1: checks the types of every field and adds the dimension with its texts and angle. */
static int load_dimension(const loader *L, const vs_json *obj) {
    int rc = vs__jd_want_type(L->src, obj, VS_JSON_OBJECT, "a dimension");
    if (rc != VS_OK) return rc;
    const vs_json *f[D_COUNT];
    if ((rc = vs__jd_members(f, L->src, obj, dim_fields, D_COUNT, "a dimension")) != VS_OK) return rc;
    if (!f[D_KEY]) return at(L, obj->line, obj->column, VS_EPARSE, "dimension without \"key\"");
    if (!f[D_LEVEL]) return at(L, obj->line, obj->column, VS_EPARSE, "dimension without \"level\"");
    const char *key = NULL, *level = NULL, *label = NULL, *description = NULL, *checked = NULL;
    if ((rc = vs__jd_want_string(&key, L->src, f[D_KEY], "\"key\"")) != VS_OK) return rc;
    if ((rc = vs__jd_want_string(&level, L->src, f[D_LEVEL], "\"level\"")) != VS_OK) return rc;
    if (f[D_LABEL] && (rc = vs__jd_want_string(&label, L->src, f[D_LABEL], "\"label\"")) != VS_OK) return rc;
    if (f[D_DESCRIPTION] && (rc = vs__jd_want_string(&description, L->src, f[D_DESCRIPTION], "\"description\"")) != VS_OK)
        return rc;
    if (f[D_ALIASES]) {
        if ((rc = vs__jd_want_type(L->src, f[D_ALIASES], VS_JSON_ARRAY, "\"aliases\"")) != VS_OK) return rc;
        for (size_t i = 0; i < f[D_ALIASES]->u.array.count; i++)
            if ((rc = vs__jd_want_string(&checked, L->src, f[D_ALIASES]->u.array.items[i], "an alias")) != VS_OK) return rc;
    }
    if (f[D_ANGLE] && f[D_ANGLE]->type != VS_JSON_NULL &&
        (rc = vs__jd_want_type(L->src, f[D_ANGLE], VS_JSON_NUMBER, "\"angle\"")) != VS_OK)
        return rc;
    if (f[D_PARENT] && (rc = vs__jd_want_string(&checked, L->src, f[D_PARENT], "\"parent\"")) != VS_OK) return rc;
    if (f[D_PARENTS]) {
        if ((rc = vs__jd_want_type(L->src, f[D_PARENTS], VS_JSON_OBJECT, "\"parents\"")) != VS_OK) return rc;
        for (size_t i = 0; i < f[D_PARENTS]->u.object.count; i++) {
            const vs_json_member *m = &f[D_PARENTS]->u.object.members[i];
            if (strlen(m->key) != m->key_len)
                return at(L, m->line, m->column, VS_EPARSE, "a level name in \"parents\" contains U+0000");
            if ((rc = vs__jd_want_string(&checked, L->src, m->value, "a parent")) != VS_OK) return rc;
        }
    }

    int fault;
    rc = vs__space_builder_add_dimension_at(L->b, level, key, label, &fault);
    if (rc != VS_OK)
        return vs__jd_located(L->src, fault == VS__FAULT_LEVEL ? f[D_LEVEL] : fault == VS__FAULT_LABEL ? f[D_LABEL] : f[D_KEY],
                       rc);
    if (description && (rc = vs_space_builder_set_dimension_description(L->b, level, key, description)) != VS_OK)
        return vs__jd_located(L->src, f[D_DESCRIPTION], rc);
    for (size_t i = 0; f[D_ALIASES] && i < f[D_ALIASES]->u.array.count; i++) {
        const vs_json *a = f[D_ALIASES]->u.array.items[i];
        if ((rc = vs_space_builder_add_alias(L->b, level, key, a->u.string.ptr)) != VS_OK) return vs__jd_located(L->src, a, rc);
    }
    if (f[D_ANGLE] && f[D_ANGLE]->type == VS_JSON_NUMBER &&
        (rc = vs_space_builder_set_angle(L->b, level, key, f[D_ANGLE]->u.number)) != VS_OK)
        return vs__jd_located(L->src, f[D_ANGLE], rc);
    return VS_OK;
}

/* Pass 2 (every dimension exists now): the parents of one dimension. */
static int load_parents(const loader *L, const vs_json *obj) {
    const vs_json *key = vs__json_get(obj, "key"), *level = vs__json_get(obj, "level");
    const vs_json *parent = vs__json_get(obj, "parent"), *parents = vs__json_get(obj, "parents");
    int rc, fault;
    if (parent) {
        /* The level exists: pass 1 added the dimension to it. */
        size_t l = vs__space_builder_level_index(L->b, level->u.string.ptr);
        const char *above = vs__space_builder_level_name(L->b, l + 1);
        if (!above)
            return at(L, parent->line, parent->column, VS_ECYCLE,
                      "\"parent\" of '%s': level '%s' is the top level, there is no level above it",
                      key->u.string.ptr, level->u.string.ptr);
        rc = vs__space_builder_set_parent_at(L->b, level->u.string.ptr, key->u.string.ptr, above,
                                             parent->u.string.ptr, &fault);
        if (rc != VS_OK) return vs__jd_located(L->src, parent, rc);
    }
    for (size_t i = 0; parents && i < parents->u.object.count; i++) {
        const vs_json_member *m = &parents->u.object.members[i];
        rc = vs__space_builder_set_parent_at(L->b, level->u.string.ptr, key->u.string.ptr, m->key,
                                             m->value->u.string.ptr, &fault);
        if (rc != VS_OK) {
            if (fault == VS__FAULT_PARENT_LEVEL)
                return vs__error_prefix(rc, "%s:%u:%u", L->src, (unsigned)m->line, (unsigned)m->column);
            return vs__jd_located(L->src, m->value, rc);
        }
    }
    return VS_OK;
}

/* ------------------------------------------------------------------ document */

enum { T_SCHEMA, T_VERSION, T_NAME, T_DESCRIPTION, T_LEVELS, T_DIMENSIONS, T_COUNT };
static const char *const top_fields[T_COUNT] = {"schema", "version", "name", "description", "levels", "dimensions"};

static int load_document(vs_space **out, loader *L, const vs_json *root) {
    int rc = vs__jd_want_type(L->src, root, VS_JSON_OBJECT, "a space document");
    if (rc != VS_OK) return rc;
    if ((rc = vs__jd_check_schema(L->src, root, SCHEMA_NAME, SCHEMA_VERSION)) != VS_OK) return rc;

    const vs_json *f[T_COUNT];
    if ((rc = vs__jd_members(f, L->src, root, top_fields, T_COUNT, "a space document")) != VS_OK) return rc;
    static const int required[] = {T_NAME, T_LEVELS, T_DIMENSIONS};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!f[required[i]])
            return at(L, root->line, root->column, VS_EPARSE, "missing \"%s\"", top_fields[required[i]]);
    const char *name = NULL, *description = NULL;
    if ((rc = vs__jd_want_string(&name, L->src, f[T_NAME], "\"name\"")) != VS_OK) return rc;
    if (f[T_DESCRIPTION] && (rc = vs__jd_want_string(&description, L->src, f[T_DESCRIPTION], "\"description\"")) != VS_OK)
        return rc;
    if ((rc = vs__jd_want_type(L->src, f[T_LEVELS], VS_JSON_ARRAY, "\"levels\"")) != VS_OK) return rc;
    const vs_json *levels = f[T_LEVELS], *dims = f[T_DIMENSIONS];
    for (size_t i = 0; i < levels->u.array.count; i++) {
        const char *level_name = NULL;
        if ((rc = vs__jd_want_string(&level_name, L->src, levels->u.array.items[i], "a level name")) != VS_OK) return rc;
    }
    if ((rc = vs__jd_want_type(L->src, dims, VS_JSON_ARRAY, "\"dimensions\"")) != VS_OK) return rc;

    if ((rc = vs_space_builder_create(&L->b, name)) != VS_OK) return vs__jd_located(L->src, f[T_NAME], rc);
    if (description && (rc = vs_space_builder_set_description(L->b, description)) != VS_OK)
        return vs__jd_located(L->src, f[T_DESCRIPTION], rc);
    for (size_t i = 0; i < levels->u.array.count; i++) {
        const vs_json *v = levels->u.array.items[i];
        if ((rc = vs_space_builder_add_level(L->b, v->u.string.ptr)) != VS_OK) return vs__jd_located(L->src, v, rc);
    }
    for (size_t i = 0; i < dims->u.array.count; i++)
        if ((rc = load_dimension(L, dims->u.array.items[i])) != VS_OK) return rc;
    for (size_t i = 0; i < dims->u.array.count; i++)
        if ((rc = load_parents(L, dims->u.array.items[i])) != VS_OK) return rc;
    if ((rc = vs_space_builder_freeze(out, L->b)) != VS_OK)
        return vs__jd_located(L->src, levels->u.array.count == 0 ? levels : dims, rc);
    return VS_OK;
}

int vs_space_load_json(vs_space **out, const char *json, size_t length, const char *source_name) {
    static const char where[] = "vs_space_load_json";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!json) return vs__error(VS_EINVAL, "%s: json is NULL", where);
    loader L = {source_name ? source_name : "<json>", NULL};
    if (length > MAX_DOCUMENT_BYTES)
        return vs__error(VS_ELIMIT, "%s: document is %zu bytes long, more than the limit of %zu", L.src, length,
                         MAX_DOCUMENT_BYTES);
    vs_json *root = NULL;
    int rc = vs__json_parse(&root, json, length, L.src, MAX_DEPTH);
    if (rc == VS_OK) rc = load_document(out, &L, root);
    vs__json_free(root);
    vs_space_builder_free(L.b);
    return rc;
}

int vs_space_load_file(vs_space **out, const char *path) {
    static const char where[] = "vs_space_load_file";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!path) return vs__error(VS_EINVAL, "%s: path is NULL", where);
    char *text = NULL;
    size_t len = 0;
    int rc = vs__read_file(&text, &len, path, MAX_DOCUMENT_BYTES);
    if (rc != VS_OK) return rc;
    rc = vs_space_load_json(out, text, len, path);
    vs__free(text);
    return rc;
}

/* ------------------------------------------------------------------ saving */

int vs_space_save_json(char **out, const vs_space *s) {
    static const char where[] = "vs_space_save_json";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!s) return vs__error(VS_EINVAL, "%s: space is NULL", where);
    vs_json_writer w;
    vs__jw_init(&w, 1);
    vs__jw_begin_object(&w);
    vs__jw_document_head(&w, SCHEMA_NAME, SCHEMA_VERSION, s->name, s->description);
    vs__jw_key(&w, "levels");
    vs__jw_begin_array(&w);
    for (size_t l = 0; l < s->level_count; l++) vs__jw_string(&w, s->level_name[l]);
    vs__jw_end_array(&w);
    vs__jw_key(&w, "dimensions");
    vs__jw_begin_array(&w);
    for (size_t i = 0; i < s->dim_count && w.status == VS_OK; i++) {
        const vs__space_dim *d = &s->dims[i];
        size_t nl = s->level_count, l = d->level;
        vs__jw_begin_object(&w);
        vs__jw_key(&w, "key");
        vs__jw_string(&w, d->key);
        vs__jw_key(&w, "label");
        vs__jw_string(&w, d->label);
        vs__jw_key(&w, "level");
        vs__jw_string(&w, s->level_name[l]);
        if (*d->description) {
            vs__jw_key(&w, "description");
            vs__jw_string(&w, d->description);
        }
        if (d->alias_count) {
            vs__jw_key(&w, "aliases");
            vs__jw_begin_array(&w);
            for (size_t k = 0; k < d->alias_count; k++) vs__jw_string(&w, d->aliases[k]);
            vs__jw_end_array(&w);
        }
        if (d->angle == d->angle) {
            vs__jw_key(&w, "angle");
            vs__jw_number(&w, d->angle);
        }
        const uint32_t *row = s->parents + i * nl;
        const unsigned char *expl = s->explicit_parent + i * nl;
        if (l + 1 < nl && expl[l + 1]) {
            vs__jw_key(&w, "parent");
            vs__jw_string(&w, s->dims[row[l + 1]].key);
        }
        int any = 0;
        for (size_t m = l + 2; m < nl; m++) {
            if (!expl[m]) continue;
            if (!any) {
                vs__jw_key(&w, "parents");
                vs__jw_begin_object(&w);
                any = 1;
            }
            vs__jw_key(&w, s->level_name[m]);
            vs__jw_string(&w, s->dims[row[m]].key);
        }
        if (any) vs__jw_end_object(&w);
        vs__jw_end_object(&w);
    }
    vs__jw_end_array(&w);
    vs__jw_end_object(&w);
    int rc = vs__jw_finish(&w, out);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s: space '%s'", where, s->name);
    return VS_OK;
}

int vs_space_save_file(const vs_space *space, const char *path) {
    static const char where[] = "vs_space_save_file";
    if (!path) return vs__error(VS_EINVAL, "%s: path is NULL", where);
    char *text = NULL;
    int rc = vs_space_save_json(&text, space);
    if (rc != VS_OK) return rc;
    rc = vs__write_file(path, text, strlen(text));
    vs__free(text);
    return rc;
}
