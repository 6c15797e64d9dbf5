/* Loading and saving item banks as JSON (schema "valuespace/bank", version 1; the schema and
 * its rules are documented in include/valuespace/projective.h).
 *
 * The loader checks types and resolves names here and leaves every other rule to the builder,
 * mapping the builder's "fault" back to the JSON value it is about, so that each message names
 * the line and column of the offending value. */
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "io/file.h"
#include "io/json.h"
#include "io/json_doc.h"
#include "projective/bank_internal.h"

#define SCHEMA_NAME "valuespace/bank"
#define SCHEMA_VERSION 1
#define MAX_DOCUMENT_BYTES ((size_t)64 << 20)
#define MAX_DEPTH 8

typedef struct loader {
    const char *src;
    const char *base_dir; /* folder of the bank file for relative space files, or NULL */
    size_t base_len;
    const vs_space *space; /* the space the items are resolved in */
    vs_space *own_space;   /* the space the loader made, when the caller gave none */
    vs_bank_builder *b;
} loader;

/* ------------------------------------------------------------------ the space */

/* Folded comparison of two names; *equal is set to 1 when they fold to the same text. */
static int same_folded(int *equal, const char *a, const char *b) {
    char *fa = NULL, *fb = NULL;
    int rc = vs__fold_name(&fa, a, strlen(a));
    if (rc == VS_OK) rc = vs__fold_name(&fb, b, strlen(b));
    if (rc == VS_OK) *equal = strcmp(fa, fb) == 0;
    vs__free(fa);
    vs__free(fb);
    return rc;
}

static int resolve_space(loader *L, const vs_json *v, const char *ref) {
    int rc;
    if (L->space) {
        if (vs__bank_ref_is_file(ref)) return VS_OK;
        int equal = 0;
        if ((rc = same_folded(&equal, ref, vs_space_name(L->space))) != VS_OK) return vs__jd_located(L->src, v, rc);
        if (!equal)
            return vs__jd_error(L->src, v, VS_EMISMATCH, "the bank is for space '%.200s', but the space given is '%.200s'", ref,
                      vs_space_name(L->space));
        return VS_OK;
    }
    if (!vs__bank_ref_is_file(ref)) {
        rc = vs_space_builtin(&L->own_space, ref);
        if (rc == VS_ENOTFOUND)
            return vs__jd_error(L->src, v, rc,
                      "\"space\": no built-in space '%.200s' (give the space to the loader, or a path to a space "
                      "file ending in .json)",
                      ref);
        if (rc != VS_OK) return vs__jd_located(L->src, v, rc);
    } else {
        char *path = NULL;
        const char *use = ref;
        if (ref[0] != '/' && L->base_dir) {
            size_t len = strlen(ref);
            if (!(path = vs__malloc(L->base_len + 1 + len + 1))) return vs__jd_located(L->src, v, vs__nomem("vs_bank_load_file"));
            memcpy(path, L->base_dir, L->base_len);
            path[L->base_len] = '/';
            memcpy(path + L->base_len + 1, ref, len + 1);
            use = path;
        }
        rc = vs_space_load_file(&L->own_space, use);
        if (rc != VS_OK) rc = vs__error_prefix(rc, "%s:%u:%u: \"space\" file '%.200s'", L->src, (unsigned)v->line,
                                               (unsigned)v->column, use);
        vs__free(path);
        if (rc != VS_OK) return rc;
    }
    L->space = L->own_space;
    return VS_OK;
}

/* ------------------------------------------------------------------ items */

/* One entry of "dimensions": a name (all levels, finest first) or {"level", "key"}. */
static int resolve_dimension(size_t *out, const loader *L, const vs_json *v) {
    int rc;
    const char *name = NULL;
    if (v->type == VS_JSON_OBJECT) {
        static const char *const fields[] = {"level", "key"};
        const vs_json *f[2];
        if ((rc = vs__jd_members(f, L->src, v, fields, 2, "a dimension")) != VS_OK) return rc;
        if (!f[0] || !f[1]) return vs__jd_error(L->src, v, VS_EPARSE, "a dimension object needs \"level\" and \"key\"");
        const char *level_name = NULL;
        if ((rc = vs__jd_want_string(&level_name, L->src, f[0], "\"level\"")) != VS_OK) return rc;
        if ((rc = vs__jd_want_string(&name, L->src, f[1], "\"key\"")) != VS_OK) return rc;
        size_t level = vs_space_level_find(L->space, level_name);
        if (level == VS_NPOS)
            return vs__jd_error(L->src, f[0], VS_ENOTFOUND, "space '%s' has no level '%.200s'", vs_space_name(L->space), level_name);
        rc = vs_space_find(out, L->space, level, name);
        if (rc == VS_ENOTFOUND)
            return vs__jd_error(L->src, f[1], rc, "space '%s' has no dimension '%.200s' at level '%s'", vs_space_name(L->space),
                      name, vs_space_level_name(L->space, level));
        return rc == VS_OK ? VS_OK : vs__jd_located(L->src, f[1], rc);
    }
    if (v->type != VS_JSON_STRING)
        return vs__jd_error(L->src, v, VS_EPARSE, "a dimension must be a string or an object, not %s", vs__json_type_name(v->type));
    if ((rc = vs__jd_want_string(&name, L->src, v, "a dimension")) != VS_OK) return rc;
    rc = vs_space_find(out, L->space, VS_NPOS, name);
    if (rc == VS_ENOTFOUND)
        return vs__jd_error(L->src, v, rc, "space '%s' has no dimension '%.200s'", vs_space_name(L->space), name);
    return rc == VS_OK ? VS_OK : vs__jd_located(L->src, v, rc);
}

enum { I_ID, I_STEM, I_DIMENSIONS, I_REVERSE, I_HIGH, I_LOW, I_COUNT };
static const char *const item_fields[I_COUNT] = {"id", "stem", "dimensions", "reverse", "high", "low"};

static int load_item(const loader *L, const vs_json *obj) {
    int rc = vs__jd_want_type(L->src, obj, VS_JSON_OBJECT, "an item");
    if (rc != VS_OK) return rc;
    const vs_json *f[I_COUNT];
    if ((rc = vs__jd_members(f, L->src, obj, item_fields, I_COUNT, "an item")) != VS_OK) return rc;
    for (int k = I_ID; k <= I_DIMENSIONS; k++)
        if (!f[k]) return vs__jd_error(L->src, obj, VS_EPARSE, "item without \"%s\"", item_fields[k]);
    const char *id = NULL, *stem = NULL, *high = NULL, *low = NULL;
    if ((rc = vs__jd_want_string(&id, L->src, f[I_ID], "\"id\"")) != VS_OK) return rc;
    if ((rc = vs__jd_want_string(&stem, L->src, f[I_STEM], "\"stem\"")) != VS_OK) return rc;
    if ((rc = vs__jd_want_type(L->src, f[I_DIMENSIONS], VS_JSON_ARRAY, "\"dimensions\"")) != VS_OK) return rc;
    uint32_t flags = 0;
    if (f[I_REVERSE]) {
        if (f[I_REVERSE]->type != VS_JSON_TRUE && f[I_REVERSE]->type != VS_JSON_FALSE)
            return vs__jd_error(L->src, f[I_REVERSE], VS_EPARSE, "\"reverse\" must be true or false, not %s",
                      vs__json_type_name(f[I_REVERSE]->type));
        if (f[I_REVERSE]->type == VS_JSON_TRUE) flags |= VS_BANK_ITEM_REVERSE;
    }
    if (f[I_HIGH] && (rc = vs__jd_want_string(&high, L->src, f[I_HIGH], "\"high\"")) != VS_OK) return rc;
    if (f[I_LOW] && (rc = vs__jd_want_string(&low, L->src, f[I_LOW], "\"low\"")) != VS_OK) return rc;

    const vs_json *dl = f[I_DIMENSIONS];
    size_t n = dl->u.array.count;
    if (n > VS_BANK_MAX_ITEM_DIMENSIONS)
        return vs__jd_error(L->src, dl, VS_ELIMIT, "item '%.200s' has %zu dimensions, more than the limit of %d", id, n,
                  VS_BANK_MAX_ITEM_DIMENSIONS);
    size_t idx[VS_BANK_MAX_ITEM_DIMENSIONS];
    for (size_t k = 0; k < n; k++)
        if ((rc = resolve_dimension(&idx[k], L, dl->u.array.items[k])) != VS_OK) return rc;

    int fault;
    size_t fault_index;
    char where[VS_BANK_MAX_NAME_BYTES + 16];
    snprintf(where, sizeof where, "bank '%s'", L->b->name);
    rc = vs__bank_builder_add(L->b, id, stem, idx, n, flags, high, low, where, &fault, &fault_index);
    if (rc == VS_OK) return VS_OK;
    const vs_json *v = obj;
    switch (fault) {
    case VS__BANK_FAULT_ID: v = f[I_ID]; break;
    case VS__BANK_FAULT_STEM: v = f[I_STEM]; break;
    case VS__BANK_FAULT_DIMENSIONS: v = dl; break;
    case VS__BANK_FAULT_DIMENSION: v = dl->u.array.items[fault_index]; break;
    case VS__BANK_FAULT_FLAGS: v = f[I_REVERSE] ? f[I_REVERSE] : obj; break;
    case VS__BANK_FAULT_HIGH: v = f[I_HIGH] ? f[I_HIGH] : obj; break;
    case VS__BANK_FAULT_LOW: v = f[I_LOW] ? f[I_LOW] : obj; break;
    default: break;
    }
    return vs__jd_located(L->src, v, rc);
}

/* ------------------------------------------------------------------ document */

enum { T_SCHEMA, T_VERSION, T_NAME, T_DESCRIPTION, T_SPACE, T_ITEMS, T_COUNT };
static const char *const top_fields[T_COUNT] = {"schema", "version", "name", "description", "space", "items"};

static int load_document(vs_bank **out, loader *L, const vs_json *root) {
    int rc = vs__jd_want_type(L->src, root, VS_JSON_OBJECT, "a bank document");
    if (rc != VS_OK) return rc;
    if ((rc = vs__jd_check_schema(L->src, root, SCHEMA_NAME, SCHEMA_VERSION)) != VS_OK) return rc;

    const vs_json *f[T_COUNT];
    if ((rc = vs__jd_members(f, L->src, root, top_fields, T_COUNT, "a bank document")) != VS_OK) return rc;
    static const int required[] = {T_NAME, T_SPACE, T_ITEMS};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!f[required[i]]) return vs__jd_error(L->src, root, VS_EPARSE, "missing \"%s\"", top_fields[required[i]]);
    const char *name = NULL, *description = NULL, *ref = NULL;
    if ((rc = vs__jd_want_string(&name, L->src, f[T_NAME], "\"name\"")) != VS_OK) return rc;
    if (f[T_DESCRIPTION] && (rc = vs__jd_want_string(&description, L->src, f[T_DESCRIPTION], "\"description\"")) != VS_OK)
        return rc;
    if ((rc = vs__jd_want_string(&ref, L->src, f[T_SPACE], "\"space\"")) != VS_OK) return rc;
    const vs_json *items = f[T_ITEMS];
    if ((rc = vs__jd_want_type(L->src, items, VS_JSON_ARRAY, "\"items\"")) != VS_OK) return rc;
    if (items->u.array.count == 0) return vs__jd_error(L->src, items, VS_EINVAL, "\"items\" is empty: a bank needs at least one item");
    if (items->u.array.count > VS_BANK_MAX_ITEMS)
        return vs__jd_error(L->src, items, VS_ELIMIT, "%zu items, more than the limit of %d", items->u.array.count,
                  VS_BANK_MAX_ITEMS);

    size_t ref_len = strlen(ref);
    if (ref_len == 0) return vs__jd_error(L->src, f[T_SPACE], VS_EINVAL, "\"space\" is empty");
    if (ref_len > VS__BANK_MAX_SPACE_REF_BYTES)
        return vs__jd_error(L->src, f[T_SPACE], VS_ELIMIT, "\"space\" is %zu bytes long, more than the limit of %d", ref_len,
                  VS__BANK_MAX_SPACE_REF_BYTES);
    if ((rc = resolve_space(L, f[T_SPACE], ref)) != VS_OK) return rc;

    if ((rc = vs_bank_builder_create(&L->b, name, L->space)) != VS_OK) return vs__jd_located(L->src, f[T_NAME], rc);
    if (description && (rc = vs_bank_builder_set_description(L->b, description)) != VS_OK)
        return vs__jd_located(L->src, f[T_DESCRIPTION], rc);
    if ((rc = vs_bank_builder_set_space_ref(L->b, ref)) != VS_OK) return vs__jd_located(L->src, f[T_SPACE], rc);
    for (size_t i = 0; i < items->u.array.count; i++)
        if ((rc = load_item(L, items->u.array.items[i])) != VS_OK) return rc;
    if ((rc = vs_bank_builder_freeze(out, L->b)) != VS_OK) return vs__jd_located(L->src, items, rc);
    return VS_OK;
}

static int load(vs_bank **out, const char *json, size_t length, const char *source_name, const vs_space *space,
                const char *base_dir, size_t base_len) {
    loader L = {source_name ? source_name : "<json>", base_dir, base_len, space, NULL, NULL};
    if (length > MAX_DOCUMENT_BYTES)
        return vs__error(VS_ELIMIT, "%s: document is %zu bytes long, more than the limit of %zu", L.src, length,
                         MAX_DOCUMENT_BYTES);
    vs_json *root = NULL;
    int rc = vs__json_parse(&root, json, length, L.src, MAX_DEPTH);
    if (rc == VS_OK) rc = load_document(out, &L, root);
    vs__json_free(root);
    vs_bank_builder_free(L.b);
    vs_space_free(L.own_space);
    return rc;
}

int vs_bank_load_json(vs_bank **out, const char *json, size_t length, const char *source_name,
                      const vs_space *space) {
    static const char where[] = "vs_bank_load_json";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!json) return vs__error(VS_EINVAL, "%s: json is NULL", where);
    return load(out, json, length, source_name, space, NULL, 0);
}

int vs_bank_load_file(vs_bank **out, const char *path, const vs_space *space) {
    static const char where[] = "vs_bank_load_file";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!path) return vs__error(VS_EINVAL, "%s: path is NULL", where);
    char *text = NULL;
    size_t len = 0;
    int rc = vs__read_file(&text, &len, path, MAX_DOCUMENT_BYTES);
    if (rc != VS_OK) return rc;
    const char *slash = strrchr(path, '/');
    /* "/x.json" has its folder at the root: keep the "/" itself. */
    size_t base_len = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 0;
    rc = load(out, text, len, path, space, slash ? path : NULL, base_len);
    vs__free(text);
    return rc;
}

/* ------------------------------------------------------------------ saving */

/* Writes a dimension by key, or as {"level", "key"} when the key alone finds another one. */
static int write_dimension(vs_json_writer *w, const vs_space *space, size_t d) {
    const char *key = vs_space_key(space, d);
    size_t found;
    int rc = vs_space_find(&found, space, VS_NPOS, key);
    if (rc == VS_OK && found == d) {
        vs__jw_string(w, key);
        return VS_OK;
    }
    if (rc != VS_OK && rc != VS_ENOTFOUND) return rc;
    vs__jw_begin_object(w);
    vs__jw_key(w, "level");
    vs__jw_string(w, vs_space_level_name(space, vs_space_dimension_level(space, d)));
    vs__jw_key(w, "key");
    vs__jw_string(w, key);
    vs__jw_end_object(w);
    return VS_OK;
}

int vs_bank_save_json(char **out, const vs_bank *bank) {
    static const char where[] = "vs_bank_save_json";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!bank) return vs__error(VS_EINVAL, "%s: bank is NULL", where);
    vs_json_writer w;
    vs__jw_init(&w, 1);
    vs__jw_begin_object(&w);
    vs__jw_document_head(&w, SCHEMA_NAME, SCHEMA_VERSION, bank->name, bank->description);
    vs__jw_key(&w, "space");
    vs__jw_string(&w, bank->space_ref);
    vs__jw_key(&w, "items");
    vs__jw_begin_array(&w);
    int rc = VS_OK;
    for (size_t i = 0; i < bank->item_count && w.status == VS_OK && rc == VS_OK; i++) {
        const vs__bank_item *it = &bank->items[i];
        vs__jw_begin_object(&w);
        vs__jw_key(&w, "id");
        vs__jw_string(&w, it->id);
        vs__jw_key(&w, "stem");
        vs__jw_string(&w, it->stem);
        vs__jw_key(&w, "dimensions");
        vs__jw_begin_array(&w);
        for (uint32_t k = 0; k < it->dim_count && rc == VS_OK; k++) rc = write_dimension(&w, bank->space, it->dims[k]);
        vs__jw_end_array(&w);
        vs__jw_key(&w, "reverse");
        vs__jw_bool(&w, (it->flags & VS_BANK_ITEM_REVERSE) != 0);
        if (it->high) {
            vs__jw_key(&w, "high");
            vs__jw_string(&w, it->high);
            vs__jw_key(&w, "low");
            vs__jw_string(&w, it->low);
        }
        vs__jw_end_object(&w);
    }
    vs__jw_end_array(&w);
    vs__jw_end_object(&w);
    if (rc != VS_OK) {
        vs__jw_discard(&w);
        return vs__error_prefix(rc, "%s: bank '%s'", where, bank->name);
    }
    rc = vs__jw_finish(&w, out);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s: bank '%s'", where, bank->name);
    return VS_OK;
}

int vs_bank_save_file(const vs_bank *bank, const char *path) {
    static const char where[] = "vs_bank_save_file";
    if (!path) return vs__error(VS_EINVAL, "%s: path is NULL", where);
    char *text = NULL;
    int rc = vs_bank_save_json(&text, bank);
    if (rc != VS_OK) return rc;
    rc = vs__write_file(path, text, strlen(text));
    vs__free(text);
    return rc;
}
