/* The space builder: every definition is validated when it is added, and all allocations of a
 * call happen before anything is changed, so a failed call leaves the builder as it was.
 * vs_space_builder_freeze() copies the definition into an immutable, reference-counted space
 * (one string arena, a sorted lookup index of folded names, a full parent table).
 *
 * Why the hierarchy is always acyclic: vs_space_builder_set_parent() only accepts a parent on
 * a level strictly above the child's level (VS_ECYCLE otherwise). Every parent edge therefore
 * increases the level index, so no chain of parents can come back to where it started, and
 * the inheritance of parents at freeze time (which follows those edges) always terminates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "space/space_internal.h"

/* A folded name of a level (key, label or alias) and the position of the dimension it names. */
typedef struct sb_name {
    char *folded;
    uint32_t hash;
    uint32_t pos;
} sb_name;

/* An explicit parent: level and position within that level. */
typedef struct sb_ref {
    uint32_t level, pos;
} sb_ref;

typedef struct sb_dim {
    char *key, *label;
    char *description; /* NULL when none */
    char **aliases;
    size_t alias_count, alias_cap;
    double angle; /* NaN when none */
    sb_ref *parents; /* explicit parents, sorted by level, at most one per level */
    size_t parent_count, parent_cap;
} sb_dim;

typedef struct sb_level {
    char *name, *folded;
    sb_dim *dims;
    size_t count, cap;
    sb_name *names; /* every distinct folded name of the level */
    size_t name_count, name_cap;
    uint32_t *slots; /* open-addressing hash over names: 0 empty, else names index + 1 */
    size_t slot_count; /* 0 or a power of two, at least twice name_count */
} sb_level;

struct vs_space_builder {
    char *name;
    char *description; /* NULL when none */
    sb_level levels[VS_SPACE_MAX_LEVELS];
    size_t level_count;
    size_t dim_count; /* over all levels */
};

/* ------------------------------------------------------------------ validation */

static int check_key(const char *where, const char *what, const char *key) {
    if (!key) return vs__error(VS_EINVAL, "%s: %s is NULL", where, what);
    size_t n = strlen(key);
    if (n == 0) return vs__error(VS_EINVAL, "%s: %s is empty", where, what);
    if (n > VS_SPACE_MAX_KEY_BYTES)
        return vs__error(VS_ELIMIT, "%s: %s '%.20s...' is %zu bytes long (at most %d)", where, what, key, n,
                         VS_SPACE_MAX_KEY_BYTES);
    int has_name_char = 0, printable = 1;
    for (size_t i = 0; i < n; i++) printable &= key[i] >= 0x20 && key[i] < 0x7f;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.') {
            has_name_char = 1;
        } else if (c != '_' && c != '-') {
            if (printable)
                return vs__error(VS_EINVAL, "%s: %s '%s' contains '%c' (allowed: A-Z a-z 0-9 _ . -)", where,
                                 what, key, c);
            return vs__error(VS_EINVAL, "%s: %s contains byte 0x%02x at offset %zu (allowed: A-Z a-z 0-9 _ . -)",
                             where, what, c, i);
        }
    }
    if (!has_name_char)
        return vs__error(VS_EINVAL, "%s: %s '%s' has only separators ('_' and '-')", where, what, key);
    return VS_OK;
}

static int check_text(const char *where, const char *what, const char *s, int allow_empty) {
    if (!s) return vs__error(VS_EINVAL, "%s: %s is NULL", where, what);
    size_t n = strlen(s);
    if (n == 0 && !allow_empty) return vs__error(VS_EINVAL, "%s: %s is empty", where, what);
    if (n > VS_SPACE_MAX_TEXT_BYTES)
        return vs__error(VS_ELIMIT, "%s: %s is %zu bytes long (at most %d)", where, what, n, VS_SPACE_MAX_TEXT_BYTES);
    size_t bad;
    if (!vs__utf8_valid(s, n, &bad))
        return vs__error(VS_EUTF8, "%s: %s is not valid UTF-8 (byte %zu)", where, what, bad);
    return VS_OK;
}

/* ------------------------------------------------------------------ per-level name hash */

static uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 16777619u;
    return h;
}

/* Index into lv->names of `folded`, or VS_NPOS. */
static size_t level_lookup(const sb_level *lv, const char *folded, uint32_t h) {
    if (lv->slot_count == 0) return VS_NPOS;
    size_t mask = lv->slot_count - 1;
    for (size_t i = h & mask; lv->slots[i]; i = (i + 1) & mask) {
        const sb_name *e = &lv->names[lv->slots[i] - 1];
        if (e->hash == h && strcmp(e->folded, folded) == 0) return lv->slots[i] - 1;
    }
    return VS_NPOS;
}

static void slot_put(uint32_t *slots, size_t slot_count, uint32_t h, uint32_t value) {
    size_t mask = slot_count - 1, i = h & mask;
    while (slots[i]) i = (i + 1) & mask;
    slots[i] = value;
}

/* Makes room for `extra` more names (array and hash). Changes no content. */
static int level_reserve(sb_level *lv, size_t extra, const char *where) {
    size_t need = lv->name_count + extra;
    if (vs__grow((void **)&lv->names, &lv->name_cap, need, sizeof *lv->names) != VS_OK) return vs__nomem(where);
    if (need * 2 <= lv->slot_count) return VS_OK;
    size_t n = lv->slot_count ? lv->slot_count : 16;
    while (n < need * 2) n *= 2;
    uint32_t *slots = vs__calloc(n, sizeof *slots);
    if (!slots) return vs__nomem(where);
    for (size_t i = 0; i < lv->name_count; i++) slot_put(slots, n, lv->names[i].hash, (uint32_t)(i + 1));
    vs__free(lv->slots);
    lv->slots = slots;
    lv->slot_count = n;
    return VS_OK;
}

/* Adds a name; room must have been reserved. Takes ownership of `folded`. */
static void level_insert(sb_level *lv, char *folded, uint32_t h, size_t pos) {
    sb_name *e = &lv->names[lv->name_count++];
    e->folded = folded;
    e->hash = h;
    e->pos = (uint32_t)pos;
    slot_put(lv->slots, lv->slot_count, h, (uint32_t)lv->name_count);
}

/* ------------------------------------------------------------------ finding things */

/* Level index by exact or folded name; VS_NPOS if none. Level names are ASCII keys. */
static size_t find_level(const vs_space_builder *b, const char *name) {
    for (size_t l = 0; l < b->level_count; l++)
        if (strcmp(b->levels[l].name, name) == 0) return l;
    char buf[VS_SPACE_MAX_KEY_BYTES + 1];
    char *heap = NULL;
    const char *folded;
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] >= 0x80) return VS_NPOS;
    if (n >= sizeof buf || vs__space_fold(&folded, &heap, buf, sizeof buf, name, n) != VS_OK) return VS_NPOS;
    size_t found = VS_NPOS;
    for (size_t l = 0; l < b->level_count && found == VS_NPOS; l++)
        if (strcmp(b->levels[l].folded, folded) == 0) found = l;
    vs__free(heap);
    return found;
}

size_t vs__space_builder_level_index(const vs_space_builder *b, const char *level) {
    return b && level ? find_level(b, level) : VS_NPOS;
}

const char *vs__space_builder_level_name(const vs_space_builder *b, size_t level) {
    return b && level < b->level_count ? b->levels[level].name : NULL;
}

static int level_arg(size_t *out, const vs_space_builder *b, const char *where, const char *level) {
    if (!level) return vs__error(VS_EINVAL, "%s: level is NULL", where);
    *out = find_level(b, level);
    if (*out == VS_NPOS) return vs__error(VS_ENOTFOUND, "%s: no level '%s' in space '%s'", where, level, b->name);
    return VS_OK;
}

/* Position of the dimension with exactly this key in level l, or VS_NPOS. */
static size_t find_key(const sb_level *lv, const char *key) {
    char buf[VS_SPACE_MAX_KEY_BYTES + 1];
    char *heap = NULL;
    const char *folded;
    size_t n = strlen(key);
    if (n >= sizeof buf) return VS_NPOS;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] >= 0x80) return VS_NPOS;
    if (vs__space_fold(&folded, &heap, buf, sizeof buf, key, n) != VS_OK) return VS_NPOS;
    size_t i = level_lookup(lv, folded, hash_str(folded));
    vs__free(heap);
    if (i == VS_NPOS) return VS_NPOS;
    size_t pos = lv->names[i].pos;
    return strcmp(lv->dims[pos].key, key) == 0 ? pos : VS_NPOS;
}

/* Finds (level, key) for the functions that modify one dimension. */
static int dim_arg(sb_dim **out, size_t *out_level, vs_space_builder *b, const char *where, const char *level,
                   const char *key) {
    *out = NULL;
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    size_t l;
    int rc = level_arg(&l, b, where, level);
    if (rc != VS_OK) return rc;
    if (!key) return vs__error(VS_EINVAL, "%s: key is NULL", where);
    size_t pos = find_key(&b->levels[l], key);
    if (pos == VS_NPOS)
        return vs__error(VS_ENOTFOUND, "%s: no dimension with key '%s' in level '%s'", where, key, b->levels[l].name);
    *out = &b->levels[l].dims[pos];
    if (out_level) *out_level = l;
    return VS_OK;
}

/* Sets the duplicate message: `what` 'text' (folded "folded") already names ... */
static int duplicate(const char *where, const char *what, const char *text, const char *folded,
                     const sb_level *lv, size_t name_index, const char *self_key) {
    const char *other = lv->dims[lv->names[name_index].pos].key;
    if (self_key && strcmp(other, self_key) == 0)
        return vs__error(VS_EDUPLICATE, "%s: %s '%s' (folded \"%s\") already names dimension '%s' itself", where,
                         what, text, folded, other);
    return vs__error(VS_EDUPLICATE, "%s: %s '%s' (folded \"%s\") already names dimension '%s' of level '%s'",
                     where, what, text, folded, other, lv->name);
}

/* ------------------------------------------------------------------ builder */

static void dim_clear(sb_dim *d) {
    vs__free(d->key);
    vs__free(d->label);
    vs__free(d->description);
    for (size_t i = 0; i < d->alias_count; i++) vs__free(d->aliases[i]);
    vs__free(d->aliases);
    vs__free(d->parents);
}

void vs_space_builder_free(vs_space_builder *b) {
    if (!b) return;
    for (size_t l = 0; l < b->level_count; l++) {
        sb_level *lv = &b->levels[l];
        for (size_t i = 0; i < lv->count; i++) dim_clear(&lv->dims[i]);
        for (size_t i = 0; i < lv->name_count; i++) vs__free(lv->names[i].folded);
        vs__free(lv->dims);
        vs__free(lv->names);
        vs__free(lv->slots);
        vs__free(lv->name);
        vs__free(lv->folded);
    }
    vs__free(b->name);
    vs__free(b->description);
    vs__free(b);
}

int vs_space_builder_create(vs_space_builder **out, const char *name) {
    static const char where[] = "vs_space_builder_create";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    int rc = check_text(where, "space name", name, 0);
    if (rc != VS_OK) return rc;
    vs_space_builder *b = vs__calloc(1, sizeof *b);
    if (!b) return vs__nomem(where);
    b->name = vs__strdup(name);
    if (!b->name) {
        vs__free(b);
        return vs__nomem(where);
    }
    *out = b;
    return VS_OK;
}

int vs_space_builder_set_description(vs_space_builder *b, const char *text) {
    static const char where[] = "vs_space_builder_set_description";
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    int rc = check_text(where, "description", text, 1);
    if (rc != VS_OK) return rc;
    char *copy = NULL;
    if (*text && !(copy = vs__strdup(text))) return vs__nomem(where);
    vs__free(b->description);
    b->description = copy;
    return VS_OK;
}

int vs_space_builder_add_level(vs_space_builder *b, const char *level) {
    static const char where[] = "vs_space_builder_add_level";
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    int rc = check_key(where, "level name", level);
    if (rc != VS_OK) return rc;
    if (b->level_count >= VS_SPACE_MAX_LEVELS)
        return vs__error(VS_ELIMIT, "%s: cannot add level '%s': a space has at most %d levels", where, level,
                         VS_SPACE_MAX_LEVELS);
    char buf[VS_SPACE_MAX_KEY_BYTES + 1];
    char *heap = NULL;
    const char *folded;
    if ((rc = vs__space_fold(&folded, &heap, buf, sizeof buf, level, strlen(level))) != VS_OK) return rc;
    for (size_t l = 0; l < b->level_count; l++)
        if (strcmp(b->levels[l].folded, folded) == 0) {
            vs__free(heap);
            return vs__error(VS_EDUPLICATE, "%s: level '%s' already exists (as '%s')", where, level,
                             b->levels[l].name);
        }
    char *name = vs__strdup(level), *fold = vs__strdup(folded);
    vs__free(heap);
    if (!name || !fold) {
        vs__free(name);
        vs__free(fold);
        return vs__nomem(where);
    }
    sb_level *lv = &b->levels[b->level_count++];
    memset(lv, 0, sizeof *lv);
    lv->name = name;
    lv->folded = fold;
    return VS_OK;
}

int vs__space_builder_add_dimension_at(vs_space_builder *b, const char *level, const char *key, const char *label,
                                       int *fault) {
    static const char where[] = "vs_space_builder_add_dimension";
    *fault = VS__FAULT_LEVEL;
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    size_t l;
    int rc = level_arg(&l, b, where, level);
    if (rc != VS_OK) return rc;
    *fault = VS__FAULT_KEY;
    if ((rc = check_key(where, "key", key)) != VS_OK) return rc;
    *fault = VS__FAULT_LABEL;
    if (!label) label = key;
    if ((rc = check_text(where, "label", label, 0)) != VS_OK) return rc;
    *fault = VS__FAULT_KEY;
    sb_level *lv = &b->levels[l];
    if (b->dim_count >= VS_SPACE_MAX_DIMENSIONS)
        return vs__error(VS_ELIMIT, "%s: cannot add '%s': a space has at most %d dimensions", where, key,
                         VS_SPACE_MAX_DIMENSIONS);

    char kbuf[VS_SPACE_MAX_KEY_BYTES + 1], lbuf[256];
    char *kheap = NULL, *lheap = NULL, *kcopy = NULL, *lcopy = NULL, *kfold = NULL, *lfold = NULL;
    const char *fk, *fl;
    if ((rc = vs__space_fold(&fk, &kheap, kbuf, sizeof kbuf, key, strlen(key))) != VS_OK) return rc;
    *fault = VS__FAULT_LABEL;
    if ((rc = vs__space_fold(&fl, &lheap, lbuf, sizeof lbuf, label, strlen(label))) != VS_OK) {
        vs__error_prefix(rc, "%s: label of '%s'", where, key);
        goto done;
    }
    if (!*fl) {
        rc = vs__error(VS_EINVAL, "%s: label '%s' of '%s' has no letters, digits or symbols", where, label, key);
        goto done;
    }
    int same = strcmp(fk, fl) == 0;
    uint32_t hk = hash_str(fk), hl = hash_str(fl);
    size_t hit = level_lookup(lv, fk, hk);
    if (hit != VS_NPOS) {
        *fault = VS__FAULT_KEY;
        rc = duplicate(where, "key", key, fk, lv, hit, NULL);
        goto done;
    }
    if (!same && (hit = level_lookup(lv, fl, hl)) != VS_NPOS) {
        rc = duplicate(where, "label", label, fl, lv, hit, NULL);
        goto done;
    }
    *fault = VS__FAULT_KEY;
    /* Allocate everything first: on failure nothing has changed. */
    if (vs__grow((void **)&lv->dims, &lv->cap, lv->count + 1, sizeof *lv->dims) != VS_OK ||
        (rc = level_reserve(lv, 2, where)) != VS_OK) {
        rc = vs__nomem(where);
        goto done;
    }
    kcopy = vs__strdup(key);
    lcopy = vs__strdup(label);
    kfold = vs__strdup(fk);
    lfold = same ? NULL : vs__strdup(fl);
    if (!kcopy || !lcopy || !kfold || (!same && !lfold)) {
        rc = vs__nomem(where);
        goto done;
    }
    sb_dim *d = &lv->dims[lv->count];
    memset(d, 0, sizeof *d);
    d->key = kcopy;
    d->label = lcopy;
    d->angle = NAN;
    level_insert(lv, kfold, hk, lv->count);
    if (!same) level_insert(lv, lfold, hl, lv->count);
    lv->count++;
    b->dim_count++;
    kcopy = lcopy = kfold = lfold = NULL;
    rc = VS_OK;
done:
    vs__free(kcopy);
    vs__free(lcopy);
    vs__free(kfold);
    vs__free(lfold);
    vs__free(kheap);
    vs__free(lheap);
    return rc;
}

int vs_space_builder_add_dimension(vs_space_builder *b, const char *level, const char *key, const char *label) {
    int fault;
    return vs__space_builder_add_dimension_at(b, level, key, label, &fault);
}

int vs_space_builder_set_dimension_description(vs_space_builder *b, const char *level, const char *key,
                                               const char *text) {
    static const char where[] = "vs_space_builder_set_dimension_description";
    sb_dim *d;
    int rc = dim_arg(&d, NULL, b, where, level, key);
    if (rc != VS_OK) return rc;
    if ((rc = check_text(where, "description", text, 1)) != VS_OK) return rc;
    char *copy = NULL;
    if (*text && !(copy = vs__strdup(text))) return vs__nomem(where);
    vs__free(d->description);
    d->description = copy;
    return VS_OK;
}

int vs_space_builder_add_alias(vs_space_builder *b, const char *level, const char *key, const char *alias) {
    static const char where[] = "vs_space_builder_add_alias";
    sb_dim *d;
    size_t l;
    int rc = dim_arg(&d, &l, b, where, level, key);
    if (rc != VS_OK) return rc;
    if ((rc = check_text(where, "alias", alias, 0)) != VS_OK) return rc;
    if (d->alias_count >= VS_SPACE_MAX_ALIASES)
        return vs__error(VS_ELIMIT, "%s: dimension '%s' already has %d aliases (the limit)", where, key,
                         VS_SPACE_MAX_ALIASES);
    sb_level *lv = &b->levels[l];
    char buf[256];
    char *heap = NULL, *copy = NULL, *fold = NULL;
    const char *fa;
    if ((rc = vs__space_fold(&fa, &heap, buf, sizeof buf, alias, strlen(alias))) != VS_OK) {
        vs__error_prefix(rc, "%s: alias of '%s'", where, key);
        goto done;
    }
    if (!*fa) {
        rc = vs__error(VS_EINVAL, "%s: alias '%s' of '%s' has no letters, digits or symbols", where, alias, key);
        goto done;
    }
    uint32_t h = hash_str(fa);
    size_t hit = level_lookup(lv, fa, h);
    if (hit != VS_NPOS) {
        rc = duplicate(where, "alias", alias, fa, lv, hit, key);
        goto done;
    }
    if (vs__grow((void **)&d->aliases, &d->alias_cap, d->alias_count + 1, sizeof *d->aliases) != VS_OK ||
        level_reserve(lv, 1, where) != VS_OK) {
        rc = vs__nomem(where);
        goto done;
    }
    copy = vs__strdup(alias);
    fold = vs__strdup(fa);
    if (!copy || !fold) {
        rc = vs__nomem(where);
        goto done;
    }
    d->aliases[d->alias_count++] = copy;
    level_insert(lv, fold, h, (size_t)(d - lv->dims));
    copy = fold = NULL;
    rc = VS_OK;
done:
    vs__free(copy);
    vs__free(fold);
    vs__free(heap);
    return rc;
}

int vs_space_builder_set_angle(vs_space_builder *b, const char *level, const char *key, double degrees) {
    static const char where[] = "vs_space_builder_set_angle";
    sb_dim *d;
    int rc = dim_arg(&d, NULL, b, where, level, key);
    if (rc != VS_OK) return rc;
    if (!isfinite(degrees)) return vs__error(VS_EINVAL, "%s: angle of '%s' is not finite", where, key);
    double a = fmod(degrees, 360.0);
    if (a < 0) a += 360.0;
    if (a >= 360.0) a = 0.0; /* a tiny negative angle plus 360 can round up to 360 */
    d->angle = a + 0.0;      /* no negative zero */
    return VS_OK;
}

int vs__space_builder_set_parent_at(vs_space_builder *b, const char *level, const char *key,
                                    const char *parent_level, const char *parent_key, int *fault) {
    static const char where[] = "vs_space_builder_set_parent";
    sb_dim *d;
    size_t cl, pl;
    *fault = VS__FAULT_KEY;
    int rc = dim_arg(&d, &cl, b, where, level, key);
    if (rc != VS_OK) return rc;
    *fault = VS__FAULT_PARENT_LEVEL;
    if ((rc = level_arg(&pl, b, where, parent_level)) != VS_OK) return rc;
    if (pl <= cl)
        return vs__error(VS_ECYCLE,
                         "%s: level '%s' of parent '%s' is not above level '%s' of '%s' (parents must be on a "
                         "strictly higher level)",
                         where, b->levels[pl].name, parent_key ? parent_key : "(null)", b->levels[cl].name, key);
    *fault = VS__FAULT_PARENT_KEY;
    if (!parent_key) return vs__error(VS_EINVAL, "%s: parent key is NULL", where);
    size_t ppos = find_key(&b->levels[pl], parent_key);
    if (ppos == VS_NPOS)
        return vs__error(VS_ENOTFOUND, "%s: no dimension with key '%s' in level '%s' (parent of '%s')", where,
                         parent_key, b->levels[pl].name, key);
    size_t at = 0;
    while (at < d->parent_count && d->parents[at].level < pl) at++;
    if (at < d->parent_count && d->parents[at].level == pl)
        return vs__error(VS_EDUPLICATE, "%s: '%s' already has parent '%s' at level '%s'", where, key,
                         b->levels[pl].dims[d->parents[at].pos].key, b->levels[pl].name);
    if (vs__grow((void **)&d->parents, &d->parent_cap, d->parent_count + 1, sizeof *d->parents) != VS_OK)
        return vs__nomem(where);
    memmove(d->parents + at + 1, d->parents + at, (d->parent_count - at) * sizeof *d->parents);
    d->parents[at].level = (uint32_t)pl;
    d->parents[at].pos = (uint32_t)ppos;
    d->parent_count++;
    return VS_OK;
}

int vs_space_builder_set_parent(vs_space_builder *b, const char *level, const char *key, const char *parent_level,
                                const char *parent_key) {
    int fault;
    return vs__space_builder_set_parent_at(b, level, key, parent_level, parent_key, &fault);
}

/* ------------------------------------------------------------------ freeze */

static size_t text_size(const char *s) { return s ? strlen(s) + 1 : 0; }

static const char *arena_put(char **cursor, const char *s) {
    if (!s) return "";
    size_t n = strlen(s) + 1;
    char *p = *cursor;
    memcpy(p, s, n);
    *cursor += n;
    return p;
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(((const vs__space_name *)a)->folded, ((const vs__space_name *)b)->folded);
}

void vs__space_destroy(vs_space *s) {
    vs__free(s->dims);
    vs__free(s->parents);
    vs__free(s->explicit_parent);
    vs__free(s->names);
    vs__free(s->alias_ptrs);
    vs__free(s->arena);
    vs__free(s);
}

int vs_space_builder_freeze(vs_space **out, const vs_space_builder *b) {
    static const char where[] = "vs_space_builder_freeze";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!b) return vs__error(VS_EINVAL, "%s: builder is NULL", where);
    if (b->level_count == 0) return vs__error(VS_EINVAL, "%s: space '%s' has no level", where, b->name);
    if (b->levels[0].count == 0)
        return vs__error(VS_EINVAL, "%s: level 0 ('%s') of space '%s' has no dimension", where, b->levels[0].name,
                         b->name);

    size_t nl = b->level_count, nd = b->dim_count, names = 0, aliases = 0;
    size_t bytes = text_size(b->name) + text_size(b->description);
    for (size_t l = 0; l < nl; l++) {
        const sb_level *lv = &b->levels[l];
        bytes += text_size(lv->name) + text_size(lv->folded);
        names += lv->name_count;
        for (size_t i = 0; i < lv->name_count; i++) bytes += text_size(lv->names[i].folded);
        for (size_t i = 0; i < lv->count; i++) {
            const sb_dim *d = &lv->dims[i];
            bytes += text_size(d->key) + text_size(d->label) + text_size(d->description);
            aliases += d->alias_count;
            for (size_t k = 0; k < d->alias_count; k++) bytes += text_size(d->aliases[k]);
        }
    }

    vs_space *s = vs__calloc(1, sizeof *s);
    if (!s) return vs__nomem(where);
    s->dims = vs__calloc(nd, sizeof *s->dims);
    s->parents = vs__calloc(nd, nl * sizeof *s->parents);
    s->explicit_parent = vs__calloc(nd, nl);
    s->names = vs__calloc(names, sizeof *s->names);
    s->alias_ptrs = vs__calloc(aliases, sizeof *s->alias_ptrs);
    s->arena = vs__malloc(bytes);
    if (!s->dims || !s->parents || !s->explicit_parent || !s->names || !s->alias_ptrs || !s->arena) {
        vs__space_destroy(s);
        return vs__nomem(where);
    }

    char *cur = s->arena;
    s->name = arena_put(&cur, b->name);
    s->description = arena_put(&cur, b->description);
    s->level_count = nl;
    s->dim_count = nd;
    s->name_count = names;
    size_t g = 0, ni = 0, ai = 0;
    for (size_t l = 0; l < nl; l++) {
        const sb_level *lv = &b->levels[l];
        s->level_name[l] = arena_put(&cur, lv->name);
        s->level_folded[l] = arena_put(&cur, lv->folded);
        s->level_offset[l] = g;
        s->name_offset[l] = ni;
        for (size_t i = 0; i < lv->count; i++, g++) {
            const sb_dim *d = &lv->dims[i];
            vs__space_dim *o = &s->dims[g];
            o->key = arena_put(&cur, d->key);
            o->label = arena_put(&cur, d->label);
            o->description = arena_put(&cur, d->description);
            o->level = (uint32_t)l;
            o->angle = d->angle;
            o->aliases = s->alias_ptrs + ai;
            o->alias_count = (uint32_t)d->alias_count;
            for (size_t k = 0; k < d->alias_count; k++) s->alias_ptrs[ai++] = arena_put(&cur, d->aliases[k]);
        }
        for (size_t i = 0; i < lv->name_count; i++, ni++) {
            s->names[ni].folded = arena_put(&cur, lv->names[i].folded);
            s->names[ni].index = (uint32_t)(s->level_offset[l] + lv->names[i].pos);
        }
        qsort(s->names + s->name_offset[l], lv->name_count, sizeof *s->names, name_cmp);
    }
    s->level_offset[nl] = g;
    s->name_offset[nl] = ni;

    /* Parents, top level first so that a parent's own row is complete before it is inherited:
     * at each higher level the explicit parent wins; otherwise the parent of the nearest
     * explicit parent below that level is taken (which itself may be inherited). */
    for (size_t i = 0; i < nd * nl; i++) s->parents[i] = VS__SPACE_NONE;
    for (size_t l = nl; l-- > 0;) {
        const sb_level *lv = &b->levels[l];
        for (size_t i = 0; i < lv->count; i++) {
            const sb_dim *d = &lv->dims[i];
            size_t gi = s->level_offset[l] + i, k = 0;
            uint32_t *row = s->parents + gi * nl;
            uint32_t last = VS__SPACE_NONE;
            for (size_t m = l + 1; m < nl; m++) {
                if (k < d->parent_count && d->parents[k].level == m) {
                    row[m] = (uint32_t)(s->level_offset[m] + d->parents[k].pos);
                    s->explicit_parent[gi * nl + m] = 1;
                    last = row[m];
                    k++;
                } else if (last != VS__SPACE_NONE) {
                    row[m] = s->parents[(size_t)last * nl + m];
                }
            }
        }
    }
    vs__ref_init(&s->ref);
    *out = s;
    return VS_OK;
}
