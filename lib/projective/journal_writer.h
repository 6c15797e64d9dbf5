/* The journal writer of a run: the runner's thread hands over a small record per finished
 * (item, repeat); a second thread derives the rest from the run (item id, seed, dimensions),
 * encodes the lines (record_line.c) and writes them while the runner goes on, so journalling
 * costs the runner little more than filling that small record. */
#ifndef VS_PROJECTIVE_JOURNAL_WRITER_H
#define VS_PROJECTIVE_JOURNAL_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "projective/bank_internal.h"

typedef struct vs__jwriter vs__jwriter;

/* The run whose records a writer journals (borrowed: it outlives the writer). */
typedef struct vs__jwriter_run {
    const vs__bank_item *items;
    const uint32_t *rep_of; /* bank dimension -> reported dimension index */
    uint64_t seed;          /* run seed: a record's seed is vs_model_item_seed(seed, id, repeat) */
} vs__jwriter_run;

/* One finished record, as the runner hands it over. The prompt is a prefix of the item's stem;
 * the completion, when completion_static, must outlive the writer; otherwise it is copied by
 * vs__jwriter_add, as are the error and the judgements. */
typedef struct vs__jrecord {
    size_t item;             /* index into run->items */
    uint64_t repeat;
    int status;              /* VS_MODEL_ITEM_* */
    uint32_t attempts;
    double latency;          /* seconds */
    size_t prompt_len;       /* the prompt: the item's stem, its first prompt_len bytes (SIZE_MAX: all) */
    const char *completion;  /* NULL: "" */
    size_t completion_len;   /* SIZE_MAX: not known (measured) */
    int completion_static;
    const char *error;       /* failed records only (NULL: "") */
    const double *judgements;/* OK records: the item's dim_count judgements, keyed (NaN: unrelated); else NULL */
    const double *probs;     /* OK records of a classify judge: probs_per_dim per item dimension; else NULL */
    uint32_t probs_per_dim;  /* 1 (two-way) or 3 (three-way) */
    int first;               /* choice judge: the option shown first, 1 high, 2 low; else 0 */
    int has_lp;
    double lp_hi, lp_lo;
} vs__jrecord;

/* Starts a writer of `run`'s records appending to fd (borrowed; fsync after every batch when
 * `sync`); `path` names the journal in messages. Without a thread (creation failed) batches are
 * written on the caller's thread at vs__jwriter_flush. VS_OK or VS_ENOMEM. */
int vs__jwriter_start(vs__jwriter **out, const vs__jwriter_run *run, int fd, int sync, const char *path);

/* Adds a record to the batch being collected. VS_OK or VS_ENOMEM. */
int vs__jwriter_add(vs__jwriter *w, const vs__jrecord *rec);

/* Hands the collected records to the writer when it is idle (or too many are waiting: then after
 * the previous hand-off has been written); otherwise they wait for the next call. Returns the
 * first error of any batch written so far (sticky, message set): VS_EIO, VS_EUTF8, VS_ENOMEM. */
int vs__jwriter_flush(vs__jwriter *w);

/* Flushes and waits until everything handed over is written; returns the first error, as
 * vs__jwriter_flush. */
int vs__jwriter_drain(vs__jwriter *w);

/* Records written so far (they are in the file, fsynced when asked). */
uint64_t vs__jwriter_written(vs__jwriter *w);

/* Drains, stops the writer and frees it (NULL: no-op). Returns the first error, as
 * vs__jwriter_flush. */
int vs__jwriter_close(vs__jwriter *w);

#endif
