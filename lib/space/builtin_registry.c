/* The list of built-in spaces and the helpers that feed their tables to the builder. */
#include <string.h>

#include "common/internal.h"
#include "space/builtin.h"
#include "space/space_internal.h"

int vs__bt_add(vs_space_builder *b, const char *level, const vs__bt_dim *dims, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const vs__bt_dim *d = &dims[i];
        int rc = vs_space_builder_add_dimension(b, level, d->key, d->label);
        if (rc == VS_OK && d->description) rc = vs_space_builder_set_dimension_description(b, level, d->key, d->description);
        for (size_t k = 0; rc == VS_OK && k < VS__BT_MAX_ALIASES && d->aliases[k]; k++)
            rc = vs_space_builder_add_alias(b, level, d->key, d->aliases[k]);
        if (rc == VS_OK && d->angle != VS__BT_NO_ANGLE) rc = vs_space_builder_set_angle(b, level, d->key, d->angle);
        if (rc != VS_OK) return rc;
    }
    return VS_OK;
}

int vs__bt_parents(vs_space_builder *b, const char *level, const vs__bt_dim *dims, size_t n,
                   const char *parent_level) {
    for (size_t i = 0; i < n; i++) {
        if (!dims[i].parent) continue;
        int rc = vs_space_builder_set_parent(b, level, dims[i].key, parent_level, dims[i].parent);
        if (rc != VS_OK) return rc;
    }
    return VS_OK;
}

static const struct {
    const char *name;
    int (*build)(vs_space_builder *b);
} builtins[] = {
    {"schwartz10", vs__builtin_schwartz10}, {"schwartz19", vs__builtin_schwartz19},
    {"fulcra", vs__builtin_fulcra},         {"valuelex", vs__builtin_valuelex},
    {"mft5", vs__builtin_mft5},             {"mfq2", vs__builtin_mfq2},
};

size_t vs_space_builtin_count(void) { return VS__BT_COUNT(builtins); }

const char *vs_space_builtin_name(size_t i) { return i < VS__BT_COUNT(builtins) ? builtins[i].name : NULL; }

int vs_space_builtin(vs_space **out, const char *name) {
    static const char where[] = "vs_space_builtin";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!name) return vs__error(VS_EINVAL, "%s: name is NULL", where);
    char buf[64];
    char *heap = NULL;
    const char *folded;
    int rc = vs__space_fold(&folded, &heap, buf, sizeof buf, name, strlen(name));
    if (rc == VS_EUTF8) /* no built-in has such a name; keep to the documented codes */
        return vs__error(VS_ENOTFOUND, "%s: the name is not valid UTF-8, so it names no built-in space", where);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", where);
    size_t i = 0;
    while (i < VS__BT_COUNT(builtins) && strcmp(builtins[i].name, folded) != 0) i++;
    vs__free(heap);
    if (i == VS__BT_COUNT(builtins)) return vs__error_unknown_name(where, "built-in space", name, VS__NAMES(builtins, name));
    vs_space_builder *b = NULL;
    if ((rc = vs_space_builder_create(&b, builtins[i].name)) != VS_OK) return vs__error_prefix(rc, "%s", where);
    rc = builtins[i].build(b);
    if (rc == VS_OK) rc = vs_space_builder_freeze(out, b);
    vs_space_builder_free(b);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s: building '%s'", where, builtins[i].name);
    return VS_OK;
}
