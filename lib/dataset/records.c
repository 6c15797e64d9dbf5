/* The dataset object: construction by the readers, records, sources and labels. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "dataset/dataset_internal.h"

vs_dataset *vs__ds_new(const char *name, uint32_t flags) {
    vs_dataset *ds = vs__calloc(1, sizeof *ds);
    if (!ds) {
        vs__nomem("vs_dataset");
        return NULL;
    }
    ds->flags = flags;
    ds->name = vs__strdup(name);
    if (!ds->name) {
        vs__free(ds);
        vs__nomem("vs_dataset");
        return NULL;
    }
    return ds;
}

void vs_dataset_free(vs_dataset *ds) {
    if (!ds) return;
    for (size_t s = 0; s < ds->n_sets; s++) {
        vs__ds_set *set = &ds->sets[s];
        vs_space_free(set->space);
        vs__free(set->values);
        for (int w = 0; w < VS__DS_WRITTEN; w++) vs__free(set->written[w]);
        vs__ds_map_free(&set->names);
    }
    vs__ds_map_free(&ds->source_map);
    vs__free(ds->sources);
    vs__free(ds->source_sizes);
    vs__free(ds->records);
    vs__ds_skips_free(ds);
    vs__ds_arena_free(&ds->arena);
    vs__free(ds->name);
    vs__free(ds);
}

int vs__ds_add_set(vs_dataset *ds, vs_space *space, size_t level, int written) {
    if (ds->n_sets >= VS__DS_MAX_SETS) {
        vs_space_free(space);
        return vs__error(VS_ESTATE, "vs_dataset: too many label sets");
    }
    size_t size = vs_space_level_dimension_count(space, level);
    if (level >= vs_space_level_count(space) || size == 0) {
        size_t n = vs_space_level_count(space);
        vs_space_free(space);
        return vs__error(VS_ERANGE, "vs_dataset: level %zu out of range (the space has %zu levels)", level, n);
    }
    vs__ds_set *set = &ds->sets[ds->n_sets];
    memset(set, 0, sizeof *set);
    set->space = space;
    set->level = level;
    set->offset = vs_space_level_offset(space, level);
    set->size = size;
    ds->n_sets++; /* owned from here on: vs_dataset_free releases it */
    if (written) {
        for (int w = 0; w < VS__DS_WRITTEN; w++) {
            set->written[w] = vs__calloc(size, sizeof(size_t));
            if (!set->written[w]) return vs__nomem("vs_dataset");
        }
    }
    return VS_OK;
}

static int add_source(size_t *out, vs_dataset *ds, const char *s, size_t len) {
    size_t j;
    if (vs__ds_map_get(&ds->source_map, s, len, &j)) {
        *out = j;
        return VS_OK;
    }
    if (ds->n_sources == ds->sources_cap) {
        size_t cap = ds->sources_cap;
        if (vs__grow((void **)&ds->sources, &cap, ds->n_sources + 1, sizeof *ds->sources) != VS_OK) return VS_ENOMEM;
        size_t cap2 = ds->sources_cap;
        if (vs__grow((void **)&ds->source_sizes, &cap2, cap, sizeof *ds->source_sizes) != VS_OK) return VS_ENOMEM;
        ds->sources_cap = cap;
    }
    const char *copy = vs__ds_arena_strndup(&ds->arena, s, len);
    if (!copy) return vs__nomem("vs_dataset");
    int rc = vs__ds_map_put(&ds->source_map, s, len, ds->n_sources);
    if (rc != VS_OK) return rc;
    ds->sources[ds->n_sources] = copy;
    ds->source_sizes[ds->n_sources] = 0;
    *out = ds->n_sources++;
    return VS_OK;
}

int vs__ds_add_record(vs_dataset *ds, const char *id, const char *prompt, size_t prompt_len, const char *response,
                      size_t response_len, const char *text, size_t text_len, const char *source, size_t source_len,
                      const char *query_source, size_t line, const double *labels) {
    if (ds->count == ds->cap) {
        size_t cap = ds->cap;
        if (vs__grow((void **)&ds->records, &cap, ds->count + 1, sizeof *ds->records) != VS_OK) return VS_ENOMEM;
        ds->cap = cap;
    }
    for (size_t s = 0; s < ds->n_sets; s++) {
        vs__ds_set *set = &ds->sets[s];
        if (set->size > (SIZE_MAX / sizeof(double)) / (ds->count + 1))
            return vs__error(VS_ELIMIT, "vs_dataset: too many labels");
        if (vs__grow((void **)&set->values, &set->values_cap, (ds->count + 1) * set->size, sizeof(double)) != VS_OK)
            return VS_ENOMEM;
    }
    vs__ds_record rec;
    memset(&rec, 0, sizeof rec);
    rec.line = line;
    rec.id = vs__ds_arena_strndup(&ds->arena, id, strlen(id));
    rec.prompt = vs__ds_arena_strndup(&ds->arena, prompt, prompt_len);
    rec.response = vs__ds_arena_strndup(&ds->arena, response, response_len);
    rec.text = (text == response && text_len == response_len) ? rec.response
                                                              : vs__ds_arena_strndup(&ds->arena, text, text_len);
    rec.query_source = vs__ds_arena_strndup(&ds->arena, query_source, strlen(query_source));
    if (!rec.id || !rec.prompt || !rec.response || !rec.text || !rec.query_source) return vs__nomem("vs_dataset");
    int rc = add_source(&rec.source, ds, source, source_len);
    if (rc != VS_OK) return rc;
    size_t off = 0;
    for (size_t s = 0; s < ds->n_sets; s++) {
        vs__ds_set *set = &ds->sets[s];
        memcpy(set->values + ds->count * set->size, labels + off, set->size * sizeof(double));
        off += set->size;
    }
    ds->source_sizes[rec.source]++;
    ds->records[ds->count++] = rec;
    return VS_OK;
}

/* ---------------------------------------------------------------- accessors */

const char *vs_dataset_name(const vs_dataset *ds) { return ds ? ds->name : NULL; }
size_t vs_dataset_count(const vs_dataset *ds) { return ds ? ds->count : 0; }
size_t vs_dataset_line_count(const vs_dataset *ds) { return ds ? ds->lines : 0; }

static const vs__ds_record *rec_at(const vs_dataset *ds, size_t i) {
    return (ds && i < ds->count) ? &ds->records[i] : NULL;
}

const char *vs_dataset_id(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? r->id : NULL;
}
const char *vs_dataset_prompt(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? r->prompt : NULL;
}
const char *vs_dataset_response(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? r->response : NULL;
}
const char *vs_dataset_text(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? r->text : NULL;
}
const char *vs_dataset_source(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? ds->sources[r->source] : NULL;
}
const char *vs_dataset_query_source(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? r->query_source : NULL;
}
size_t vs_dataset_line(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? r->line : 0;
}

int vs_dataset_strings(size_t *out_needed, const vs_dataset *ds, uint32_t field, const char **buf, size_t cap) {
    if (!out_needed || !ds || (!buf && cap)) return vs__error(VS_EINVAL, "vs_dataset_strings: NULL argument");
    if (field > VS_DATASET_FIELD_QUERY_SOURCE)
        return vs__error(VS_EINVAL, "vs_dataset_strings: unknown field %u", (unsigned)field);
    *out_needed = ds->count;
    if (cap < ds->count)
        return vs__error(VS_EBUFSIZE, "vs_dataset_strings: buffer of %zu for %zu records", cap, ds->count);
    for (size_t i = 0; i < ds->count; i++) {
        const vs__ds_record *r = &ds->records[i];
        switch (field) {
        case VS_DATASET_FIELD_ID: buf[i] = r->id; break;
        case VS_DATASET_FIELD_PROMPT: buf[i] = r->prompt; break;
        case VS_DATASET_FIELD_RESPONSE: buf[i] = r->response; break;
        case VS_DATASET_FIELD_TEXT: buf[i] = r->text; break;
        case VS_DATASET_FIELD_SOURCE: buf[i] = ds->sources[r->source]; break;
        default: buf[i] = r->query_source; break;
        }
    }
    return VS_OK;
}

size_t vs_dataset_source_count(const vs_dataset *ds) { return ds ? ds->n_sources : 0; }
const char *vs_dataset_source_name(const vs_dataset *ds, size_t j) {
    return (ds && j < ds->n_sources) ? ds->sources[j] : NULL;
}
size_t vs_dataset_source_record_count(const vs_dataset *ds, size_t j) {
    return (ds && j < ds->n_sources) ? ds->source_sizes[j] : 0;
}
size_t vs_dataset_source_index(const vs_dataset *ds, size_t i) {
    const vs__ds_record *r = rec_at(ds, i);
    return r ? r->source : VS_NPOS;
}

int vs_dataset_source_indices(size_t *out_needed, const vs_dataset *ds, size_t *buf, size_t cap) {
    if (!out_needed || !ds || (!buf && cap)) return vs__error(VS_EINVAL, "vs_dataset_source_indices: NULL argument");
    *out_needed = ds->count;
    if (cap < ds->count)
        return vs__error(VS_EBUFSIZE, "vs_dataset_source_indices: buffer of %zu for %zu records", cap, ds->count);
    for (size_t i = 0; i < ds->count; i++) buf[i] = ds->records[i].source;
    return VS_OK;
}

/* ---------------------------------------------------------------- labels */

static const vs__ds_set *set_at(const vs_dataset *ds, size_t set) {
    return (ds && set < ds->n_sets) ? &ds->sets[set] : NULL;
}

size_t vs_dataset_label_set_count(const vs_dataset *ds) { return ds ? ds->n_sets : 0; }
const vs_space *vs_dataset_label_space(const vs_dataset *ds, size_t set) {
    const vs__ds_set *s = set_at(ds, set);
    return s ? s->space : NULL;
}
size_t vs_dataset_label_level(const vs_dataset *ds, size_t set) {
    const vs__ds_set *s = set_at(ds, set);
    return s ? s->level : VS_NPOS;
}
size_t vs_dataset_label_dimension_count(const vs_dataset *ds, size_t set) {
    const vs__ds_set *s = set_at(ds, set);
    return s ? s->size : 0;
}

int vs_dataset_labels(size_t *out_needed, const vs_dataset *ds, size_t record, size_t set, double *buf, size_t cap) {
    if (!out_needed || !ds || (!buf && cap)) return vs__error(VS_EINVAL, "vs_dataset_labels: NULL argument");
    const vs__ds_set *s = set_at(ds, set);
    if (!s) return vs__error(VS_ERANGE, "vs_dataset_labels: no label set %zu (the dataset has %zu)", set, ds->n_sets);
    if (record >= ds->count)
        return vs__error(VS_ERANGE, "vs_dataset_labels: no record %zu (the dataset has %zu)", record, ds->count);
    *out_needed = s->size;
    if (cap < s->size) return vs__error(VS_EBUFSIZE, "vs_dataset_labels: buffer of %zu for %zu labels", cap, s->size);
    memcpy(buf, s->values + record * s->size, s->size * sizeof(double));
    return VS_OK;
}

int vs_dataset_label_matrix(size_t *out_needed, const vs_dataset *ds, size_t set, double *buf, size_t cap) {
    if (!out_needed || !ds || (!buf && cap)) return vs__error(VS_EINVAL, "vs_dataset_label_matrix: NULL argument");
    const vs__ds_set *s = set_at(ds, set);
    if (!s)
        return vs__error(VS_ERANGE, "vs_dataset_label_matrix: no label set %zu (the dataset has %zu)", set, ds->n_sets);
    /* values holds count * size doubles, so the product cannot overflow. */
    size_t n = ds->count * s->size;
    *out_needed = n;
    if (cap < n) return vs__error(VS_EBUFSIZE, "vs_dataset_label_matrix: buffer of %zu for %zu labels", cap, n);
    if (n) memcpy(buf, s->values, n * sizeof(double));
    return VS_OK;
}

int vs_dataset_label_counts(size_t *out_needed, const vs_dataset *ds, size_t set, uint32_t which, size_t *buf,
                            size_t cap) {
    if (!out_needed || !ds || (!buf && cap)) return vs__error(VS_EINVAL, "vs_dataset_label_counts: NULL argument");
    if (which > VS_DATASET_COUNT_WRITTEN_MINUS)
        return vs__error(VS_EINVAL, "vs_dataset_label_counts: unknown count %u", (unsigned)which);
    const vs__ds_set *s = set_at(ds, set);
    if (!s)
        return vs__error(VS_ERANGE, "vs_dataset_label_counts: no label set %zu (the dataset has %zu)", set, ds->n_sets);
    *out_needed = s->size;
    if (cap < s->size)
        return vs__error(VS_EBUFSIZE, "vs_dataset_label_counts: buffer of %zu for %zu dimensions", cap, s->size);
    if (which >= VS_DATASET_COUNT_WRITTEN_PLUS) {
        const size_t *w = s->written[which - VS_DATASET_COUNT_WRITTEN_PLUS];
        for (size_t k = 0; k < s->size; k++) buf[k] = w ? w[k] : 0;
        return VS_OK;
    }
    for (size_t k = 0; k < s->size; k++) buf[k] = 0;
    for (size_t i = 0; i < ds->count; i++) {
        const double *row = s->values + i * s->size;
        for (size_t k = 0; k < s->size; k++) {
            double x = row[k];
            int hit = which == VS_DATASET_COUNT_POSITIVE   ? x > 0
                      : which == VS_DATASET_COUNT_NEGATIVE ? x < 0
                      : which == VS_DATASET_COUNT_ZERO     ? x == 0
                                                           : isnan(x);
            buf[k] += (size_t)hit;
        }
    }
    return VS_OK;
}
