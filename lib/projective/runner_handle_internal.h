/* The runner handle (runner.c: configuration; runner_run.c: runs). */
#ifndef VS_PROJECTIVE_RUNNER_HANDLE_INTERNAL_H
#define VS_PROJECTIVE_RUNNER_HANDLE_INTERNAL_H

#include "projective/runner_internal.h"

struct vs_runner {
    const vs_bank *bank;       /* a reference is held */
    vs_model *model;           /* a reference is held */
    vs_model *judge_model;     /* classify judge (reference held) or NULL */
    int judge;
    int64_t repeats, shard_index, shard_count, replicates, fsync, max_tokens;
    double temperature;
    uint64_t seed;
    char *model_id, *judge_id, *bank_ref, *journal;
    vs_runner_progress_fn progress;
    void *progress_ud;
    size_t ndims;       /* reported dimensions: those the bank probes, in space order */
    uint32_t *rep_of;   /* space dimension -> reported index, or UINT32_MAX */
    size_t *space_of;   /* reported index -> space dimension */
    uint64_t *ihash;    /* vs_accum_item_hash() of every item id */
    char bank_hash[17];
};

/* The runner's configuration as a journal header. */
int vs__runner_config_make(vs__runner_config *c, const vs_runner *r);

#endif
