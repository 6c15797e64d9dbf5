/* The list of built-in item banks; each is built from its static table through the builder. */
#include <string.h>

#include "common/utf8.h"
#include "projective/bank_internal.h"

static const struct {
    const char *name;
    const char *space; /* built-in space the bank is for */
    const char *description;
    const vs__bank_bt_item *items;
    const size_t *count;
} builtins[] = {
    {"valuelex", "valuelex", vs__bank_valuelex_description, vs__bank_valuelex_items, &vs__bank_valuelex_count},
    {"schwartz10", "schwartz10", vs__bank_schwartz10_description, vs__bank_schwartz10_items,
     &vs__bank_schwartz10_count},
};

#define N_BUILTINS (sizeof builtins / sizeof builtins[0])

size_t vs_bank_builtin_count(void) { return N_BUILTINS; }

const char *vs_bank_builtin_name(size_t i) { return i < N_BUILTINS ? builtins[i].name : NULL; }

static int build(vs_bank **out, size_t which) {
    vs_space *space = NULL;
    vs_bank_builder *b = NULL;
    int rc = vs_space_builtin(&space, builtins[which].space);
    if (rc == VS_OK) rc = vs_bank_builder_create(&b, builtins[which].name, space);
    vs_space_free(space); /* the builder holds its own reference */
    if (rc == VS_OK) rc = vs_bank_builder_set_description(b, builtins[which].description);
    const vs__bank_bt_item *items = builtins[which].items;
    for (size_t i = 0; rc == VS_OK && i < *builtins[which].count; i++) {
        const vs__bank_bt_item *it = &items[i];
        size_t n = 0;
        while (n < sizeof it->dims / sizeof it->dims[0] && it->dims[n]) n++;
        rc = vs_bank_builder_add_item(b, it->id, it->stem, it->dims, n, it->reverse ? VS_BANK_ITEM_REVERSE : 0,
                                      it->high, it->low);
    }
    if (rc == VS_OK) rc = vs_bank_builder_freeze(out, b);
    vs_bank_builder_free(b);
    return rc;
}

int vs_bank_builtin(vs_bank **out, const char *name) {
    static const char where[] = "vs_bank_builtin";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!name) return vs__error(VS_EINVAL, "%s: name is NULL", where);
    char *folded = NULL;
    int rc = vs__fold_name(&folded, name, strlen(name));
    if (rc == VS_EUTF8) /* no built-in has such a name; keep to the documented codes */
        return vs__error(VS_ENOTFOUND, "%s: the name is not valid UTF-8, so it names no built-in bank", where);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", where);
    size_t i = 0;
    while (i < N_BUILTINS && strcmp(builtins[i].name, folded) != 0) i++;
    vs__free(folded);
    if (i == N_BUILTINS) return vs__error_unknown_name(where, "built-in bank", name, VS__NAMES(builtins, name));
    rc = build(out, i);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s: building '%s'", where, builtins[i].name);
    return VS_OK;
}
