/* Model files: the versioned, checksummed, little-endian binary format documented in
 * evaluator.h. The reader trusts nothing: every size is checked against the bytes that remain
 * before anything is allocated for it, and every value against its domain. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "common/random.h"
#include "evaluator/evaluator_internal.h"
#include "io/file.h"

static const unsigned char MAGIC[8] = {'V', 'S', 'E', 'V', 'A', 'L', '\r', '\n'};
#define HEADER_BYTES 24
#define TRAILER_BYTES 8
#define MAX_FILE_BYTES ((size_t)1 << 32)
#define MAX_NAME_BYTES 65536

/* ---------------------------------------------------------------- writing */

typedef struct writer {
    unsigned char *p;
} writer;

static void put_u32(writer *w, uint32_t v) {
    for (int i = 0; i < 4; i++) *w->p++ = (unsigned char)(v >> (8 * i));
}
static void put_u64(writer *w, uint64_t v) {
    for (int i = 0; i < 8; i++) *w->p++ = (unsigned char)(v >> (8 * i));
}
static void put_f64(writer *w, double x) {
    uint64_t v;
    memcpy(&v, &x, sizeof v);
    put_u64(w, v);
}
static void put_str(writer *w, const char *s) {
    size_t len = strlen(s);
    put_u32(w, (uint32_t)len);
    memcpy(w->p, s, len);
    w->p += len;
}

int vs_evaluator_save_buffer(void **out, size_t *out_len, const vs_evaluator *ev) {
    static const char where[] = "vs_evaluator_save_buffer";
    if (!out || !out_len) return vs__error(VS_EINVAL, "%s: NULL output pointer", where);
    *out = NULL;
    *out_len = 0;
    if (!ev) return vs__error(VS_EINVAL, "%s: evaluator is NULL", where);
    if (ev->kind != VS_EVALUATOR_BUILTIN) return vs__error(VS_ESTATE, "%s: a callback evaluator has no model", where);
    if (!ev->trained) return vs__error(VS_ESTATE, "%s: the evaluator is not trained", where);
    const vs__ev_model *M = &ev->model;
    const char *name = vs_space_name(ev->space), *level = vs_space_level_name(ev->space, ev->level);
    size_t k = ev->k, a = M->n_active;
    size_t payload = 4 + strlen(name) + 4 + strlen(level) + 4;
    for (size_t d = 0; d < k; d++) payload += 4 + strlen(vs_space_key(ev->space, ev->offset + d));
    payload += 11 * 4 + 8 + 2 * 8;
    payload += k * (4 + 3 * 8);
    if (a > (SIZE_MAX / 2 - payload) / (4 + k * 3 * 8)) return vs__error(VS_ENOMEM, "%s: model too large", where);
    payload += 4 + a * 4 + a * k * 3 * 8;
    size_t total = HEADER_BYTES + payload + TRAILER_BYTES;
    unsigned char *buf = vs__malloc(total);
    if (!buf) return vs__nomem(where);
    writer w = {buf};
    memcpy(w.p, MAGIC, sizeof MAGIC);
    w.p += sizeof MAGIC;
    put_u32(&w, VS_EVALUATOR_FILE_VERSION);
    put_u32(&w, 0);
    put_u64(&w, (uint64_t)payload);
    put_str(&w, name);
    put_str(&w, level);
    put_u32(&w, (uint32_t)k);
    for (size_t d = 0; d < k; d++) put_str(&w, vs_space_key(ev->space, ev->offset + d));
    const vs__ev_options *o = &ev->opt;
    put_u32(&w, o->buckets);
    put_u32(&w, o->max_ngram);
    put_u32(&w, o->text_flags);
    put_u32(&w, o->input);
    put_u32(&w, o->weighting);
    put_u32(&w, o->class_weight);
    put_u32(&w, o->max_iter);
    put_u32(&w, o->history);
    put_u32(&w, o->value);
    put_u32(&w, o->batch_size);
    put_u32(&w, o->threads);
    put_u64(&w, o->seed);
    put_f64(&w, o->c);
    put_f64(&w, o->tolerance);
    for (size_t d = 0; d < k; d++) {
        put_u32(&w, M->classes[d]);
        for (int c = 0; c < VS__EV_K; c++) put_f64(&w, M->bias[d * VS__EV_K + (size_t)c]);
    }
    put_u32(&w, (uint32_t)a);
    for (size_t r = 0; r < a; r++) put_u32(&w, M->active[r]);
    for (size_t t = 0; t < a * k * VS__EV_K; t++) put_f64(&w, M->weights[t]);
    put_u64(&w, vs__fnv1a64(VS__FNV_BASIS, buf, total - TRAILER_BYTES));
    *out = buf;
    *out_len = total;
    return VS_OK;
}

int vs_evaluator_save(const vs_evaluator *ev, const char *path) {
    static const char where[] = "vs_evaluator_save";
    if (!path) return vs__error(VS_EINVAL, "%s: path is NULL", where);
    void *data;
    size_t len;
    int rc = vs_evaluator_save_buffer(&data, &len, ev);
    if (rc) return rc;
    rc = vs__write_file(path, data, len);
    vs__free(data);
    return rc;
}

/* ---------------------------------------------------------------- reading */

typedef struct reader {
    const unsigned char *p, *end;
} reader;

static size_t left(const reader *r) { return (size_t)(r->end - r->p); }

static uint32_t get_u32(reader *r) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)r->p[i] << (8 * i);
    r->p += 4;
    return v;
}
static uint64_t get_u64(reader *r) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)r->p[i] << (8 * i);
    r->p += 8;
    return v;
}
static double get_f64(reader *r) {
    uint64_t v = get_u64(r);
    double x;
    memcpy(&x, &v, sizeof x);
    return x;
}

static int corrupt(const char *where, const char *what) {
    return vs__error(VS_ECORRUPT, "%s: not a valid model file: %s", where, what);
}

/* A length-prefixed string as a pointer into the buffer (not NUL-terminated). */
static int get_str(reader *r, const char **s, size_t *len, size_t max, const char *where, const char *what) {
    if (left(r) < 4) return corrupt(where, what);
    uint32_t n = get_u32(r);
    if (n == 0 || n > max || n > left(r)) return corrupt(where, what);
    *s = (const char *)r->p;
    *len = n;
    r->p += n;
    return VS_OK;
}

/* Finds a level of `space` whose keys are exactly `keys` in order; VS_NPOS if none. */
static size_t matching_level(const vs_space *space, char **keys, size_t k) {
    for (size_t L = 0; L < vs_space_level_count(space); L++) {
        if (vs_space_level_dimension_count(space, L) != k) continue;
        size_t off = vs_space_level_offset(space, L), d = 0;
        while (d < k && strcmp(vs_space_key(space, off + d), keys[d]) == 0) d++;
        if (d == k) return L;
    }
    return VS_NPOS;
}

/* The space of a loaded model (see vs_evaluator_load_buffer()). */
static int bind_space(vs_space **out, size_t *out_level, const vs_space *given, const char *name,
                      const char *level_name, char **keys, size_t k, const char *where) {
    *out = NULL;
    if (given) {
        size_t L = matching_level(given, keys, k);
        if (L == VS_NPOS)
            return vs__error(VS_EMISMATCH, "%s: the space \"%s\" has no level with the model's %zu keys", where,
                             vs_space_name(given), k);
        *out = (vs_space *)given;
        *out_level = L;
        return VS_OK;
    }
    vs_space *sp = NULL;
    int rc = vs_space_builtin(&sp, name);
    if (rc == VS_ENOMEM) return vs__error_prefix(rc, "%s", where);
    if (rc == VS_OK) {
        size_t L = matching_level(sp, keys, k);
        if (L != VS_NPOS) {
            *out = sp;
            *out_level = L;
            return VS_OK;
        }
        vs_space_free(sp);
        sp = NULL;
    }
    vs_space_builder *b = NULL;
    rc = vs_space_builder_create(&b, name);
    if (rc == VS_OK) rc = vs_space_builder_add_level(b, level_name);
    for (size_t d = 0; d < k && rc == VS_OK; d++) rc = vs_space_builder_add_dimension(b, level_name, keys[d], NULL);
    if (rc == VS_OK) rc = vs_space_builder_freeze(&sp, b);
    vs_space_builder_free(b);
    if (rc == VS_ENOMEM) return vs__error_prefix(rc, "%s", where);
    if (rc) return vs__error_prefix(VS_ECORRUPT, "%s: not a valid model file: its space", where);
    *out = sp;
    *out_level = 0;
    return VS_OK;
}

static int check_option(int option, double v) {
    double lo, hi;
    vs_evaluator_option_bounds(&lo, &hi, option);
    return v >= lo && v <= hi;
}

int vs_evaluator_load_buffer(vs_evaluator **out, const void *data, size_t len, const vs_space *space) {
    static const char where[] = "vs_evaluator_load_buffer";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!data) return vs__error(VS_EINVAL, "%s: data is NULL", where);
    const unsigned char *bytes = data;
    reader r = {bytes, bytes + len};
    if (len < HEADER_BYTES) return corrupt(where, "truncated header");
    if (memcmp(bytes, MAGIC, sizeof MAGIC) != 0) return corrupt(where, "wrong magic");
    r.p += sizeof MAGIC;
    uint32_t version = get_u32(&r);
    if (version != VS_EVALUATOR_FILE_VERSION)
        return vs__error(VS_EVERSION, "%s: model file version %u (this library reads version %d)", where,
                         (unsigned)version, VS_EVALUATOR_FILE_VERSION);
    if (get_u32(&r) != 0) return corrupt(where, "reserved field is not 0");
    uint64_t payload = get_u64(&r);
    if (payload > len || len - HEADER_BYTES < TRAILER_BYTES || payload != len - HEADER_BYTES - TRAILER_BYTES)
        return corrupt(where, "truncated or extra bytes (length mismatch)");
    reader tail = {bytes + len - TRAILER_BYTES, bytes + len};
    if (get_u64(&tail) != vs__fnv1a64(VS__FNV_BASIS, bytes, len - TRAILER_BYTES))
        return corrupt(where, "checksum mismatch");
    r.end = bytes + len - TRAILER_BYTES;

    const char *name = NULL, *level_name = NULL;
    size_t name_len = 0, level_len = 0;
    int rc = get_str(&r, &name, &name_len, MAX_NAME_BYTES, where, "space name");
    if (rc == VS_OK) rc = get_str(&r, &level_name, &level_len, VS_SPACE_MAX_KEY_BYTES, where, "level name");
    if (rc) return rc;
    if (left(&r) < 4) return corrupt(where, "dimension count");
    uint32_t k32 = get_u32(&r);
    size_t k = k32;
    if (k == 0 || k > VS_SPACE_MAX_DIMENSIONS || k > left(&r) / 5) return corrupt(where, "dimension count");
    /* the strings are copied (NUL-terminated) for the space functions */
    char *sname = vs__strndup(name, name_len), *lname = vs__strndup(level_name, level_len);
    char **keys = vs__calloc(k, sizeof *keys);
    vs_evaluator *ev = NULL;
    vs_space *sp = NULL;
    size_t level = 0;
    if (!sname || !lname || !keys) rc = vs__nomem(where);
    for (size_t d = 0; d < k && rc == VS_OK; d++) {
        const char *key = NULL;
        size_t key_len = 0;
        rc = get_str(&r, &key, &key_len, VS_SPACE_MAX_KEY_BYTES, where, "dimension key");
        if (rc == VS_OK && memchr(key, '\0', key_len)) rc = corrupt(where, "dimension key");
        if (rc == VS_OK && !(keys[d] = vs__strndup(key, key_len))) rc = vs__nomem(where);
    }
    if (rc == VS_OK && (memchr(sname, '\0', name_len) || memchr(lname, '\0', level_len)))
        rc = corrupt(where, "space or level name");
    vs__ev_options o;
    memset(&o, 0, sizeof o);
    if (rc == VS_OK) {
        if (left(&r) < 11 * 4 + 3 * 8) {
            rc = corrupt(where, "options");
        } else {
            o.buckets = get_u32(&r);
            o.max_ngram = get_u32(&r);
            o.text_flags = get_u32(&r);
            o.input = get_u32(&r);
            o.weighting = get_u32(&r);
            o.class_weight = get_u32(&r);
            o.max_iter = get_u32(&r);
            o.history = get_u32(&r);
            o.value = get_u32(&r);
            o.batch_size = get_u32(&r);
            o.threads = get_u32(&r);
            o.seed = get_u64(&r);
            o.c = get_f64(&r);
            o.tolerance = get_f64(&r);
            const uint32_t norm = VS_TEXT_NFKC | VS_TEXT_CASEFOLD | VS_TEXT_STRIP_ACCENTS | VS_TEXT_LUMP |
                                  VS_TEXT_REPLACE_INVALID;
            int ok = check_option(VS_EVALUATOR_OPT_BUCKETS, o.buckets) && (o.buckets & (o.buckets - 1)) == 0 &&
                     check_option(VS_EVALUATOR_OPT_MAX_NGRAM, o.max_ngram) && (o.text_flags & ~norm) == 0 &&
                     check_option(VS_EVALUATOR_OPT_INPUT, o.input) &&
                     check_option(VS_EVALUATOR_OPT_WEIGHTING, o.weighting) &&
                     check_option(VS_EVALUATOR_OPT_CLASS_WEIGHT, o.class_weight) &&
                     check_option(VS_EVALUATOR_OPT_MAX_ITER, o.max_iter) &&
                     check_option(VS_EVALUATOR_OPT_HISTORY, o.history) &&
                     check_option(VS_EVALUATOR_OPT_VALUE, o.value) &&
                     check_option(VS_EVALUATOR_OPT_BATCH_SIZE, o.batch_size) &&
                     check_option(VS_EVALUATOR_OPT_THREADS, o.threads) && o.seed <= (uint64_t)INT64_MAX &&
                     check_option(VS_EVALUATOR_OPT_C, o.c) && check_option(VS_EVALUATOR_OPT_TOLERANCE, o.tolerance);
            if (!ok) rc = corrupt(where, "an option is out of range");
        }
    }
    /* sizes of the rest, checked before any allocation */
    const unsigned char *dims_at = r.p;
    size_t a = 0;
    if (rc == VS_OK) {
        if (left(&r) / (4 + 3 * 8) < k) {
            rc = corrupt(where, "truncated intercepts");
        } else {
            r.p += k * (4 + 3 * 8);
            if (left(&r) < 4) {
                rc = corrupt(where, "active bucket count");
            } else {
                a = get_u32(&r);
                size_t per = 4 + k * VS__EV_K * 8;
                if (a > o.buckets || a > left(&r) / per || a * per != left(&r))
                    rc = corrupt(where, "active bucket count does not match the file size");
            }
        }
    }
    if (rc == VS_OK) rc = bind_space(&sp, &level, space, sname, lname, keys, k, where);
    if (rc == VS_OK) rc = vs__ev_new(&ev, sp, level, VS_EVALUATOR_BUILTIN, where);
    if (sp && sp != space) vs_space_free(sp); /* the evaluator holds its own reference */
    vs__ev_model *M = ev ? &ev->model : NULL;
    if (rc == VS_OK) {
        ev->opt = o;
        M->k = k;
        M->n_active = a;
        M->active = vs__malloc((a ? a : 1) * sizeof *M->active);
        M->weights = vs__malloc((a ? a * k * VS__EV_K : 1) * sizeof *M->weights);
        M->bias = vs__malloc(k * VS__EV_K * sizeof *M->bias);
        M->classes = vs__malloc(k * sizeof *M->classes);
        if (!M->active || !M->weights || !M->bias || !M->classes) rc = vs__nomem(where);
    }
    if (rc == VS_OK) {
        r.p = dims_at;
        for (size_t d = 0; d < k && rc == VS_OK; d++) {
            M->classes[d] = get_u32(&r);
            if (M->classes[d] > 7) rc = corrupt(where, "class mask");
            for (int c = 0; c < VS__EV_K; c++) {
                double b = get_f64(&r);
                if (!isfinite(b)) rc = corrupt(where, "non-finite intercept");
                M->bias[d * VS__EV_K + (size_t)c] = b;
            }
        }
        if (rc == VS_OK) r.p += 4; /* the active count, read above */
        for (size_t i = 0; i < a && rc == VS_OK; i++) {
            M->active[i] = get_u32(&r);
            if (M->active[i] >= o.buckets || (i && M->active[i] <= M->active[i - 1]))
                rc = corrupt(where, "bucket indices not increasing or out of range");
        }
        for (size_t t = 0; t < a * k * VS__EV_K && rc == VS_OK; t++) {
            M->weights[t] = get_f64(&r);
            if (!isfinite(M->weights[t])) rc = corrupt(where, "non-finite weight");
        }
    }
    if (rc == VS_OK) rc = vs__ev_model_index(M, o.buckets, where);
    vs__free(sname);
    vs__free(lname);
    if (keys)
        for (size_t d = 0; d < k; d++) vs__free(keys[d]);
    vs__free(keys);
    if (rc) {
        vs_evaluator_free(ev);
        return rc;
    }
    ev->trained = 1;
    *out = ev;
    return VS_OK;
}

int vs_evaluator_load(vs_evaluator **out, const char *path, const vs_space *space) {
    static const char where[] = "vs_evaluator_load";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!path) return vs__error(VS_EINVAL, "%s: path is NULL", where);
    char *data;
    size_t len;
    int rc = vs__read_file(&data, &len, path, MAX_FILE_BYTES);
    if (rc) return rc;
    rc = vs_evaluator_load_buffer(out, data, len, space);
    if (rc) rc = vs__error_prefix(rc, "%s", path);
    vs__free(data);
    return rc;
}
