/* Private definitions of the projective runner: the runner, the result, the journal reader and
 * writer (runner.c, journal.c, journal_read.c, result.c, merge.c, rejudge.c). */
#ifndef VS_PROJECTIVE_RUNNER_INTERNAL_H
#define VS_PROJECTIVE_RUNNER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/internal.h"
#include "io/json.h"
#include "io/jsonl.h"
#include "valuespace/accum.h"
#include "valuespace/model.h"
#include "valuespace/projective.h"

#define VS__RUNNER_MAX_STR 4096
#define VS__RUNNER_SCHEMA "valuespace/journal"
/* The journal's header line (io/jsonl.h). */
extern const vs__jsonl_schema vs__runner_schema;

/* Record statuses in journals (the model's item statuses). */
const char *vs__runner_status_name(int status);
int vs__runner_status_parse(const char *name); /* -1 if unknown */

/* The header's "judge" prefix of a judge kind ("" for loglik, "classify:", "classify3:"), and the
 * kind of a header's "judge" string (-1 when it is none of them). */
const char *vs__runner_judge_prefix(int judge);
int vs__runner_judge_kind(const char *judge);

/* The outcome of a classify judgement (projective.h, "Judges"): HIGH, LOW or UNRELATED. Three-way
 * judge: the strictly largest of p(high), p(unrelated), p(low); a tie for the largest is
 * UNRELATED (never HIGH). Two-way judge: HIGH above 0.5, LOW below, UNRELATED at exactly 0.5. */
enum { VS__OUTCOME_LOW = 0, VS__OUTCOME_HIGH = 1, VS__OUTCOME_UNRELATED = 2 };
int vs__runner_outcome3(double p_high, double p_unrelated, double p_low);
int vs__runner_outcome2(double p_high);

/* The configuration written as the journal header. */
typedef struct vs__runner_config {
    char *library;
    char *bank;
    char *bank_hash; /* 16 hex digits */
    char *bank_ref;
    char *model;
    char *judge;     /* "loglik" or "classify:ID" */
    uint64_t seed;
    int64_t repeats, shard_index, shard_count, replicates, max_tokens;
    double temperature;
    size_t ndims;
    char **dim_keys;
    char **dim_levels;
} vs__runner_config;

void vs__runner_config_clear(vs__runner_config *c);
/* Writes the header object (compact, no newline). */
void vs__runner_config_write(vs_json_writer *w, const vs__runner_config *c);
/* Reads a header object (its schema and version checked); "where" names the source.
 * VS_EPARSE / VS_EVERSION / VS_ENOMEM. */
int vs__runner_config_read(vs__runner_config *c, const vs_json *obj, const char *where);
/* The header object of a configuration, parsed (to compare it with a journal's). */
int vs__runner_config_doc(vs_json **out, const vs__runner_config *c);
/* Reads the header of a journal alone (its records are not read). A file without a header line
 * is VS_EPARSE "FN: 'path' has no journal header". */
int vs__runner_header_read(vs__runner_config *c, const char *path, const char *fn);

/* One record as read from a journal. */
typedef struct vs__runner_rec {
    char *item;
    uint64_t repeat;
    int status;
    int reverse;
    size_t n;        /* number of dims / judgements */
    uint32_t *dims;  /* indices into the header's dimensions */
    double *judge;   /* keyed judgements; NaN: unrelated (null in the journal) */
    char *error;     /* a failed record's message (NULL for ok records) */
    char *completion;/* only when the journal was read with keep_completions (ok records) */
    int first;       /* choice judge: 1 the high option was shown first, 2 the low one; 0 unknown */
} vs__runner_rec;

/* A journal read whole: its header, its records (the latest per (item, repeat)), the byte
 * length of its valid part and whether a torn last line was found. */
typedef struct vs__runner_journal {
    vs__runner_config config;
    vs_json *header;  /* the header line as parsed (NULL without one) */
    vs__runner_rec *recs;
    size_t nrec, cap;
    size_t valid_len; /* bytes up to and including the last complete line */
    int torn;
    int has_header;
    int keep_completions; /* set by the reader's caller: keep ok records' completions */
} vs__runner_journal;

/* Reads a journal. An empty or missing file (when missing_ok) gives has_header = 0. */
int vs__runner_journal_read(vs__runner_journal *j, const char *path, int missing_ok);
/* The same, keeping the completions of the ok records (rec.completion). */
int vs__runner_journal_read_completions(vs__runner_journal *j, const char *path);
void vs__runner_journal_clear(vs__runner_journal *j);

/* ---- the result */
struct vs_runner_result {
    uint64_t done, failed;
    /* the first failed record (first_item NULL while none failed) */
    char *first_item, *first_error;
    uint64_t first_repeat;
    int first_status;
    size_t ndims;
    char **keys;
    char **levels;
    uint64_t *judged; /* per dimension: judgements of ok records, unrelated ones included */
    uint64_t choice_first, choice_answers; /* choice judge: answers that took option A, answers */
    vs_accum *acc;    /* the related judgements' values (unrelated ones are NaN: not observed) */
};

/* A new result with the dimensions of `c`, an accumulator of c->replicates and c->seed. */
int vs__runner_result_new(vs_runner_result **out, const vs__runner_config *c);
/* Adds the values of the ok records of a journal (rows per record: one, NaN outside its dims). */
int vs__runner_result_add_records(vs_runner_result *r, const vs__runner_rec *recs, size_t n);

/* Counts a choice record's position (first: 1 high shown first, 2 low, 0 not a choice record;
 * judgement: keyed, 1 = the high option chosen). */
void vs__runner_count_choice(vs_runner_result *r, int first, double judgement);

/* Counts a failed record and keeps it when it is the result's first; VS_ENOMEM or VS_OK. */
int vs__runner_result_add_failure(vs_runner_result *r, const char *item, uint64_t repeat, int status,
                                  const char *error);

/* Value entering the score from a keyed judgement. */
static inline double vs__runner_value(double judgement, int reverse) {
    return reverse ? 1.0 - judgement : judgement;
}

#endif
