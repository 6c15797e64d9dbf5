/* Queries on a frozen space and its reference count. A frozen space is never modified, so
 * every function here may run on any number of threads at once. */
#include <math.h>
#include <string.h>

#include "common/utf8.h"
#include "space/space_internal.h"

/* ------------------------------------------------------------------ folding */

/* The ASCII part of the folding rule of vs__fold_name(): NFKC leaves ASCII unchanged, case
 * folding lowers A-Z, and separators are space, '-', '_' and the control characters (ASCII
 * has no other white space, dash punctuation or default-ignorable code point). A test checks
 * this against vs__fold_name() for every ASCII character. */
static int ascii_separator(unsigned char c) { return c == ' ' || c == '-' || c == '_' || c < 0x20 || c == 0x7f; }

int vs__space_fold(const char **out, char **heap, char *buf, size_t cap, const char *s, size_t len) {
    *out = NULL;
    *heap = NULL;
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80) i++;
    if (i == len && len < cap) {
        size_t w = 0;
        int pending = 0;
        for (i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (ascii_separator(c)) {
                pending = w > 0;
                continue;
            }
            if (pending) buf[w++] = ' ';
            pending = 0;
            buf[w++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        buf[w] = '\0';
        *out = buf;
        return VS_OK;
    }
    int rc = vs__fold_name(heap, s, len);
    if (rc != VS_OK) return rc;
    *out = *heap;
    return VS_OK;
}

size_t vs__space_lookup(const vs_space *s, size_t level, const char *folded) {
    size_t lo = s->name_offset[level], hi = s->name_offset[level + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->names[mid].folded, folded);
        if (c == 0) return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return VS_NPOS;
}

int vs__space_parent_explicit(const vs_space *s, size_t index, size_t level) {
    if (!s || index >= s->dim_count || level >= s->level_count) return 0;
    return s->explicit_parent[index * s->level_count + level] != 0;
}

/* ------------------------------------------------------------------ life cycle */

/* vs__space_retain() is in space_ref.c. */

void vs_space_free(vs_space *space) {
    if (space && vs__ref_dec(&space->ref)) vs__space_destroy(space);
}

/* ------------------------------------------------------------------ queries */

const char *vs_space_name(const vs_space *s) { return s ? s->name : NULL; }

const char *vs_space_description(const vs_space *s) { return s ? s->description : NULL; }

size_t vs_space_level_count(const vs_space *s) { return s ? s->level_count : 0; }

const char *vs_space_level_name(const vs_space *s, size_t level) {
    return s && level < s->level_count ? s->level_name[level] : NULL;
}

size_t vs_space_level_find(const vs_space *s, const char *level_name) {
    if (!s || !level_name) return VS_NPOS;
    for (size_t l = 0; l < s->level_count; l++)
        if (strcmp(s->level_name[l], level_name) == 0) return l;
    char buf[128];
    char *heap = NULL;
    const char *folded;
    if (vs__space_fold(&folded, &heap, buf, sizeof buf, level_name, strlen(level_name)) != VS_OK) return VS_NPOS;
    size_t found = VS_NPOS;
    for (size_t l = 0; l < s->level_count && found == VS_NPOS; l++)
        if (strcmp(s->level_folded[l], folded) == 0) found = l;
    vs__free(heap);
    return found;
}

size_t vs_space_level_dimension_count(const vs_space *s, size_t level) {
    return s && level < s->level_count ? s->level_offset[level + 1] - s->level_offset[level] : 0;
}

size_t vs_space_level_offset(const vs_space *s, size_t level) {
    return s && level < s->level_count ? s->level_offset[level] : VS_NPOS;
}

size_t vs_space_dimension_count(const vs_space *s) { return s ? s->dim_count : 0; }

int vs_space_find(size_t *out_index, const vs_space *s, size_t level, const char *name) {
    static const char where[] = "vs_space_find";
    if (out_index) *out_index = VS_NPOS;
    if (!out_index) return vs__error(VS_EINVAL, "%s: out_index is NULL", where);
    if (!s) return vs__error(VS_EINVAL, "%s: space is NULL", where);
    if (!name) return vs__error(VS_EINVAL, "%s: name is NULL", where);
    if (level != VS_NPOS && level >= s->level_count)
        return vs__error(VS_ERANGE, "%s: level %zu out of range (space '%s' has %zu levels)", where, level, s->name,
                         s->level_count);
    char buf[256];
    char *heap = NULL;
    const char *folded;
    int rc = vs__space_fold(&folded, &heap, buf, sizeof buf, name, strlen(name));
    if (rc != VS_OK) return vs__error_prefix(rc, "%s: name in space '%s'", where, s->name);
    size_t first = level == VS_NPOS ? 0 : level, last = level == VS_NPOS ? s->level_count : level + 1;
    size_t hit = VS_NPOS;
    for (size_t l = first; l < last && hit == VS_NPOS; l++) hit = vs__space_lookup(s, l, folded);
    vs__free(heap);
    if (hit == VS_NPOS) {
        if (level == VS_NPOS)
            return vs__error(VS_ENOTFOUND, "%s: no dimension named '%s' in space '%s'", where, name, s->name);
        return vs__error(VS_ENOTFOUND, "%s: no dimension named '%s' in level '%s' of space '%s'", where, name,
                         s->level_name[level], s->name);
    }
    *out_index = s->names[hit].index;
    return VS_OK;
}

const char *vs_space_key(const vs_space *s, size_t index) {
    return s && index < s->dim_count ? s->dims[index].key : NULL;
}

const char *vs_space_label(const vs_space *s, size_t index) {
    return s && index < s->dim_count ? s->dims[index].label : NULL;
}

const char *vs_space_dimension_description(const vs_space *s, size_t index) {
    return s && index < s->dim_count ? s->dims[index].description : NULL;
}

size_t vs_space_dimension_level(const vs_space *s, size_t index) {
    return s && index < s->dim_count ? s->dims[index].level : VS_NPOS;
}

double vs_space_angle(const vs_space *s, size_t index) {
    return s && index < s->dim_count ? s->dims[index].angle : NAN;
}

size_t vs_space_alias_count(const vs_space *s, size_t index) {
    return s && index < s->dim_count ? s->dims[index].alias_count : 0;
}

const char *vs_space_alias(const vs_space *s, size_t index, size_t i) {
    if (!s || index >= s->dim_count || i >= s->dims[index].alias_count) return NULL;
    return s->dims[index].aliases[i];
}

size_t vs_space_parent(const vs_space *s, size_t index, size_t level) {
    if (!s || index >= s->dim_count || level >= s->level_count) return VS_NPOS;
    uint32_t p = s->parents[index * s->level_count + level];
    return p == VS__SPACE_NONE ? VS_NPOS : p;
}
