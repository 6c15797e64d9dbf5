/* Building item banks: the builder checks every item as it is added (so a frozen bank is valid
 * by construction) and freezes the items into one immutable, reference-counted bank. */
#include <stdio.h>
#include <string.h>

#include "common/random.h"
#include "common/utf8.h"
#include "projective/bank_internal.h"
#include "space/space_ref.h"

#define NONE ((size_t)-1)

/* ------------------------------------------------------------------ checks */

static int is_blank(const char *s) {
    for (; *s; s++)
        if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')) return 0;
    return 1;
}

/* A UTF-8 text of at most `max` bytes; `blank_ok` allows "" and white space only. */
static int check_text(const char *s, size_t max, int blank_ok, const char *where, const char *what) {
    if (!s) return vs__error(VS_EINVAL, "%s: %s is NULL", where, what);
    size_t len = strlen(s), bad;
    if (len > max)
        return vs__error(VS_ELIMIT, "%s: %s is %zu bytes long, more than the limit of %zu", where, what, len, max);
    if (!vs__utf8_valid(s, len, &bad))
        return vs__error(VS_EUTF8, "%s: %s is not valid UTF-8 (byte %zu)", where, what, bad);
    if (!blank_ok && is_blank(s)) return vs__error(VS_EINVAL, "%s: %s is %s", where, what, len ? "blank" : "empty");
    return VS_OK;
}

static int check_id(const char *id, const char *where) {
    if (!id) return vs__error(VS_EINVAL, "%s: item id is NULL", where);
    size_t len = strlen(id);
    if (len == 0) return vs__error(VS_EINVAL, "%s: item id is empty", where);
    if (len > VS_BANK_MAX_ID_BYTES)
        return vs__error(VS_EINVAL, "%s: item id '%.40s...' is %zu bytes long, more than %d", where, id, len,
                         VS_BANK_MAX_ID_BYTES);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == ':' || c == '-'))
            return vs__error(VS_EINVAL,
                             "%s: item id '%.*s' has a character other than [A-Za-z0-9_.:-] at byte %zu", where,
                             (int)(len > 200 ? 200 : len), id, i);
    }
    return VS_OK;
}

size_t vs__bank_context_length(const char *stem, size_t len) {
    while (len && (stem[len - 1] == ' ' || stem[len - 1] == '\t' || stem[len - 1] == '\n' || stem[len - 1] == '\r'))
        len--;
    if (len >= 3 && memcmp(stem + len - 3, "\xe2\x80\xa6", 3) == 0) {
        len -= 3;
    } else if (len >= 3 && memcmp(stem + len - 3, "...", 3) == 0) {
        while (len && stem[len - 1] == '.') len--;
    }
    while (len && (stem[len - 1] == ' ' || stem[len - 1] == '\t' || stem[len - 1] == '\n' || stem[len - 1] == '\r'))
        len--;
    return len;
}

int vs__bank_ref_is_file(const char *ref) {
    size_t len = strlen(ref);
    return strchr(ref, '/') != NULL || (len >= 5 && strcmp(ref + len - 5, ".json") == 0);
}

/* ------------------------------------------------------------------ id index */

size_t vs__bank_index_probe(const uint32_t *slots, size_t mask, const char *id, size_t id_len, uint64_t hash,
                            const char *(*get_id)(const void *ctx, uint32_t item, size_t *len), const void *ctx) {
    size_t s = (size_t)vs__mix64(hash) & mask;
    for (;;) {
        if (slots[s] == 0) return s;
        size_t len;
        const char *other = get_id(ctx, slots[s] - 1, &len);
        if (len == id_len && memcmp(other, id, id_len) == 0) return s;
        s = (s + 1) & mask;
    }
}

static const char *builder_id(const void *ctx, uint32_t item, size_t *len) {
    const vs_bank_builder *b = ctx;
    *len = b->items[item].id_len;
    return b->text + b->items[item].id;
}

/* Makes room in the index for one more item (load factor at most 1/2). */
static int index_reserve(vs_bank_builder *b, const char *where) {
    size_t slots = b->slots ? b->slot_mask + 1 : 0;
    if (b->item_count + 1 <= slots / 2) return VS_OK;
    size_t n = slots ? slots * 2 : 64;
    uint32_t *fresh = vs__calloc(n, sizeof *fresh);
    if (!fresh) return vs__nomem(where);
    for (size_t i = 0; i < b->item_count; i++) {
        const vs__bank_bitem *it = &b->items[i];
        size_t s = (size_t)vs__mix64(it->id_hash) & (n - 1);
        while (fresh[s]) s = (s + 1) & (n - 1);
        fresh[s] = (uint32_t)(i + 1);
    }
    vs__free(b->slots);
    b->slots = fresh;
    b->slot_mask = n - 1;
    return VS_OK;
}

/* ------------------------------------------------------------------ builder */

int vs_bank_builder_create(vs_bank_builder **out, const char *name, const vs_space *space) {
    static const char where[] = "vs_bank_builder_create";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!space) return vs__error(VS_EINVAL, "%s: space is NULL", where);
    int rc = check_text(name, VS_BANK_MAX_NAME_BYTES, 0, where, "bank name");
    if (rc != VS_OK) return rc;
    vs_bank_builder *b = vs__calloc(1, sizeof *b);
    if (!b) return vs__nomem(where);
    if (!(b->name = vs__strdup(name))) {
        vs__free(b);
        return vs__nomem(where);
    }
    vs__space_retain(space);
    b->space = space;
    *out = b;
    return VS_OK;
}

void vs_bank_builder_free(vs_bank_builder *b) {
    if (!b) return;
    vs_space_free((vs_space *)b->space);
    vs__free(b->name);
    vs__free(b->description);
    vs__free(b->space_ref);
    vs__free(b->items);
    vs__free(b->dims);
    vs__free(b->text);
    vs__free(b->slots);
    vs__free(b);
}

int vs_bank_builder_set_description(vs_bank_builder *b, const char *text) {
    static const char where[] = "vs_bank_builder_set_description";
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    int rc = check_text(text, VS_BANK_MAX_TEXT_BYTES, 1, where, "description");
    if (rc != VS_OK) return rc;
    char *copy = vs__strdup(text);
    if (!copy) return vs__nomem(where);
    vs__free(b->description);
    b->description = copy;
    return VS_OK;
}

int vs_bank_builder_set_space_ref(vs_bank_builder *b, const char *ref) {
    static const char where[] = "vs_bank_builder_set_space_ref";
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    int rc = check_text(ref, VS__BANK_MAX_SPACE_REF_BYTES, 0, where, "space reference");
    if (rc != VS_OK) return rc;
    char *copy = vs__strdup(ref);
    if (!copy) return vs__nomem(where);
    vs__free(b->space_ref);
    b->space_ref = copy;
    return VS_OK;
}

/* Appends s with its NUL to the text buffer (room was reserved); returns its offset. */
static size_t put_text(vs_bank_builder *b, const char *s, size_t len) {
    size_t at = b->text_len;
    memcpy(b->text + at, s, len + 1);
    b->text_len += len + 1;
    return at;
}

int vs__bank_builder_add(vs_bank_builder *b, const char *id, const char *stem, const size_t *dims, size_t n,
                         uint32_t flags, const char *high, const char *low, const char *where, int *fault,
                         size_t *fault_index) {
    *fault_index = 0;
    int rc;
    *fault = VS__BANK_FAULT_ID;
    if ((rc = check_id(id, where)) != VS_OK) return rc;
    size_t id_len = strlen(id);
    uint64_t hash = vs__fnv1a64(VS__FNV_BASIS, id, id_len);
    if (b->slots && b->slots[vs__bank_index_probe(b->slots, b->slot_mask, id, id_len, hash, builder_id, b)])
        return vs__error(VS_EDUPLICATE, "%s: item id '%s' is used twice", where, id);

    char what[VS_BANK_MAX_ID_BYTES + 64];
    *fault = VS__BANK_FAULT_STEM;
    snprintf(what, sizeof what, "the stem of item '%s'", id);
    if ((rc = check_text(stem, VS_BANK_MAX_TEXT_BYTES, 0, where, what)) != VS_OK) return rc;

    *fault = VS__BANK_FAULT_DIMENSIONS;
    if (n == 0) return vs__error(VS_EINVAL, "%s: item '%s' probes no dimension", where, id);
    if (n > VS_BANK_MAX_ITEM_DIMENSIONS)
        return vs__error(VS_ELIMIT, "%s: item '%s' has %zu dimensions, more than the limit of %d", where, id, n,
                         VS_BANK_MAX_ITEM_DIMENSIONS);
    if (!dims) return vs__error(VS_EINVAL, "%s: item '%s': dimensions is NULL", where, id);
    size_t space_dims = vs_space_dimension_count(b->space);
    *fault = VS__BANK_FAULT_DIMENSION;
    for (size_t k = 0; k < n; k++) {
        *fault_index = k;
        if (dims[k] >= space_dims)
            return vs__error(VS_ERANGE, "%s: item '%s': dimension index %zu is out of range (space '%s' has %zu)",
                             where, id, dims[k], vs_space_name(b->space), space_dims);
        for (size_t j = 0; j < k; j++)
            if (dims[j] == dims[k])
                return vs__error(VS_EDUPLICATE, "%s: item '%s' names dimension '%s' twice", where, id,
                                 vs_space_key(b->space, dims[k]));
    }
    *fault_index = 0;

    *fault = VS__BANK_FAULT_FLAGS;
    if (flags & ~(uint32_t)VS_BANK_ITEM_REVERSE)
        return vs__error(VS_EINVAL, "%s: item '%s': unknown flags 0x%x", where, id, (unsigned)flags);

    if ((high == NULL) != (low == NULL)) {
        *fault = high ? VS__BANK_FAULT_HIGH : VS__BANK_FAULT_LOW;
        return vs__error(VS_EINVAL, "%s: item '%s' has a \"%s\" continuation but no \"%s\" one (give both or neither)",
                         where, id, high ? "high" : "low", high ? "low" : "high");
    }
    if (high) {
        *fault = VS__BANK_FAULT_HIGH;
        snprintf(what, sizeof what, "the \"high\" continuation of item '%s'", id);
        if ((rc = check_text(high, VS_BANK_MAX_TEXT_BYTES, 0, where, what)) != VS_OK) return rc;
        *fault = VS__BANK_FAULT_LOW;
        snprintf(what, sizeof what, "the \"low\" continuation of item '%s'", id);
        if ((rc = check_text(low, VS_BANK_MAX_TEXT_BYTES, 0, where, what)) != VS_OK) return rc;
        if (strcmp(high, low) == 0)
            return vs__error(VS_EINVAL, "%s: item '%s': the \"high\" and \"low\" continuations are the same", where,
                             id);
    }

    *fault = VS__BANK_FAULT_ITEM;
    if (b->item_count >= VS_BANK_MAX_ITEMS)
        return vs__error(VS_ELIMIT, "%s: item '%s': the bank already has %d items, the limit", where, id,
                         VS_BANK_MAX_ITEMS);
    size_t stem_len = strlen(stem), high_len = high ? strlen(high) : 0, low_len = low ? strlen(low) : 0;
    size_t need_text = b->text_len + id_len + 1 + stem_len + 1 + (high ? high_len + 1 + low_len + 1 : 0);
    /* Reserve everything first: a failure leaves the builder as it was. */
    if ((rc = vs__grow((void **)&b->items, &b->item_cap, b->item_count + 1, sizeof *b->items)) != VS_OK ||
        (rc = vs__grow((void **)&b->dims, &b->dim_cap, b->dim_len + n, sizeof *b->dims)) != VS_OK ||
        (rc = vs__grow((void **)&b->text, &b->text_cap, need_text, 1)) != VS_OK ||
        (rc = index_reserve(b, where)) != VS_OK)
        return vs__error_prefix(rc, "%s: item '%s'", where, id);

    vs__bank_bitem *it = &b->items[b->item_count];
    it->id = put_text(b, id, id_len);
    it->stem = put_text(b, stem, stem_len);
    it->high = high ? put_text(b, high, high_len) : NONE;
    it->low = low ? put_text(b, low, low_len) : NONE;
    it->dim_offset = b->dim_len;
    for (size_t k = 0; k < n; k++) b->dims[b->dim_len++] = (uint32_t)dims[k];
    it->dim_count = (uint32_t)n;
    it->flags = flags;
    it->id_len = (uint32_t)id_len;
    it->context_len = (uint32_t)vs__bank_context_length(stem, stem_len);
    it->id_hash = hash;
    size_t s = vs__bank_index_probe(b->slots, b->slot_mask, id, id_len, hash, builder_id, b);
    b->item_count++;
    b->slots[s] = (uint32_t)b->item_count;
    return VS_OK;
}

int vs_bank_builder_add_item_indexed(vs_bank_builder *b, const char *id, const char *stem, const size_t *dims,
                                     size_t n, uint32_t flags, const char *high, const char *low) {
    static const char where[] = "vs_bank_builder_add_item_indexed";
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    int fault;
    size_t fault_index;
    return vs__bank_builder_add(b, id, stem, dims, n, flags, high, low, where, &fault, &fault_index);
}

int vs_bank_builder_add_item(vs_bank_builder *b, const char *id, const char *stem, const char *const *dimensions,
                             size_t n, uint32_t flags, const char *high, const char *low) {
    static const char where[] = "vs_bank_builder_add_item";
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    int rc = check_id(id, where);
    if (rc != VS_OK) return rc;
    if (n > VS_BANK_MAX_ITEM_DIMENSIONS)
        return vs__error(VS_ELIMIT, "%s: item '%s' has %zu dimensions, more than the limit of %d", where, id, n,
                         VS_BANK_MAX_ITEM_DIMENSIONS);
    if (n && !dimensions) return vs__error(VS_EINVAL, "%s: item '%s': dimensions is NULL", where, id);
    size_t idx[VS_BANK_MAX_ITEM_DIMENSIONS];
    for (size_t k = 0; k < n; k++) {
        if (!dimensions[k]) return vs__error(VS_EINVAL, "%s: item '%s': dimension %zu is NULL", where, id, k);
        rc = vs_space_find(&idx[k], b->space, VS_NPOS, dimensions[k]);
        if (rc == VS_ENOTFOUND)
            return vs__error(VS_ENOTFOUND, "%s: item '%s': no dimension '%s' in space '%s'", where, id, dimensions[k],
                             vs_space_name(b->space));
        if (rc != VS_OK) return vs__error_prefix(rc, "%s: item '%s': dimension '%s'", where, id, dimensions[k]);
    }
    int fault;
    size_t fault_index;
    return vs__bank_builder_add(b, id, stem, idx, n, flags, high, low, where, &fault, &fault_index);
}

/* ------------------------------------------------------------------ freeze */

int vs_bank_builder_freeze(vs_bank **out, const vs_bank_builder *b) {
    static const char where[] = "vs_bank_builder_freeze";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    if (b->item_count == 0) return vs__error(VS_EINVAL, "%s: bank '%s' has no items", where, b->name);
    const char *description = b->description ? b->description : "";
    const char *space_ref = b->space_ref ? b->space_ref : vs_space_name(b->space);
    size_t name_len = strlen(b->name), desc_len = strlen(description), ref_len = strlen(space_ref);
    size_t space_dims = vs_space_dimension_count(b->space);

    vs_bank *k = vs__calloc(1, sizeof *k);
    if (!k) return vs__nomem(where);
    k->items = vs__calloc(b->item_count, sizeof *k->items);
    k->dims = vs__calloc(b->dim_len, sizeof *k->dims);
    k->dim_items = vs__calloc(space_dims, sizeof *k->dim_items);
    k->index.slots = vs__memdup(b->slots, (b->slot_mask + 1) * sizeof *b->slots);
    k->arena = vs__malloc(b->text_len + name_len + desc_len + ref_len + 3);
    if (!k->items || !k->dims || !k->dim_items || !k->index.slots || !k->arena) {
        vs__free(k->items);
        vs__free(k->dims);
        vs__free(k->dim_items);
        vs__free(k->index.slots);
        vs__free(k->arena);
        vs__free(k);
        return vs__nomem(where);
    }
    vs__ref_init(&k->ref);
    memcpy(k->arena, b->text, b->text_len);
    char *p = k->arena + b->text_len;
    memcpy(p, b->name, name_len + 1);
    k->name = p;
    p += name_len + 1;
    memcpy(p, description, desc_len + 1);
    k->description = p;
    p += desc_len + 1;
    memcpy(p, space_ref, ref_len + 1);
    k->space_ref = p;
    memcpy(k->dims, b->dims, b->dim_len * sizeof *k->dims);
    k->index.mask = b->slot_mask;
    k->item_count = b->item_count;
    for (size_t i = 0; i < b->item_count; i++) {
        const vs__bank_bitem *s = &b->items[i];
        vs__bank_item *d = &k->items[i];
        d->id = k->arena + s->id;
        d->stem = k->arena + s->stem;
        d->high = s->high == NONE ? NULL : k->arena + s->high;
        d->low = s->low == NONE ? NULL : k->arena + s->low;
        d->dims = k->dims + s->dim_offset;
        d->dim_count = s->dim_count;
        d->flags = s->flags;
        d->id_len = s->id_len;
        d->context_len = s->context_len;
        d->id_hash = s->id_hash;
        if (d->high) k->continuation_count++;
        for (uint32_t j = 0; j < d->dim_count; j++) k->dim_items[d->dims[j]]++;
    }
    vs__space_retain(b->space);
    k->space = b->space;
    *out = k;
    return VS_OK;
}
