/* Private definitions of the evaluator module: the evaluator object, the hashed feature
 * matrix, the optimiser and the trainer shared by train.c, cv.c, predict.c and modelfile.c. */
#ifndef VS_EVALUATOR_INTERNAL_H
#define VS_EVALUATOR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "text/tokens.h"
#include "valuespace/evaluator.h"

#define VS__EV_K 3                /* classes per dimension: -1, 0, +1 */
#define VS__EV_NONE UINT32_MAX    /* "no row" in the bucket map */
#define VS__EV_PROMPT_SALT UINT64_C(0x70726f6d7074) /* "prompt": seed offset of prompt n-grams */

/* Every option, with its current value. */
typedef struct vs__ev_options {
    uint32_t buckets, max_ngram, text_flags, input, weighting, class_weight;
    uint32_t max_iter, history, value, batch_size, threads;
    uint64_t seed;
    double c, tolerance;
} vs__ev_options;

void vs__ev_options_default(vs__ev_options *o);

/* A trained built-in model: weights of the active buckets only. */
typedef struct vs__ev_model {
    size_t k;               /* dimensions */
    size_t n_active;        /* buckets with a weight */
    uint32_t *active;       /* n_active bucket ids, increasing */
    double *weights;        /* n_active * k * 3 (bucket-major, then dimension, then class) */
    double *bias;           /* k * 3 intercepts */
    uint32_t *classes;      /* k class masks (bit c: class c modelled) */
    uint32_t *bucket_row;   /* buckets entries: row in `weights`, or VS__EV_NONE */
} vs__ev_model;

void vs__ev_model_release(vs__ev_model *m);
/* Builds m->bucket_row from m->active (allocates `buckets` entries). */
int vs__ev_model_index(vs__ev_model *m, uint32_t buckets, const char *where);

struct vs_evaluator {
    int kind;               /* VS_EVALUATOR_BUILTIN or VS_EVALUATOR_CALLBACK */
    vs_space *space;        /* one reference held */
    size_t level, offset, k;
    vs__ev_options opt;
    int trained;
    vs__ev_model model;
    vs_evaluator_callbacks cb;
    void *user_data;
};

/* Creates an evaluator object (kind set, no model, default options). */
int vs__ev_new(vs_evaluator **out, const vs_space *space, size_t level, int kind, const char *where);

/* ---- featurize.c: hashed n-gram features of one item, reusing buffers */
typedef struct vs__ev_featurizer {
    vs_tokens tokens;
    uint32_t *slot;         /* open-addressing set of buckets: bucket + 1, 0 = empty */
    uint32_t *slot_pos;     /* position of the bucket in idx/val */
    size_t slot_cap;        /* a power of two */
    uint32_t *idx;          /* the item's distinct buckets, in order of first occurrence */
    double *val;            /* their values (weighted, then scaled to unit length) */
    uint32_t *entry_slot;   /* the slot of each entry (to empty the set) */
    size_t n, cap;
} vs__ev_featurizer;

void vs__ev_featurizer_release(vs__ev_featurizer *f);
/* Features of (prompt, response) under `opt` into f->idx / f->val / f->n. `prompt` may be
 * NULL. On failure the message names item `item` and the function `where`. */
int vs__ev_featurize(vs__ev_featurizer *f, const vs__ev_options *opt, const char *prompt, const char *response,
                     size_t item, const char *where);

/* Features of n items as a sparse row matrix (CSR). */
typedef struct vs__ev_csr {
    size_t rows;
    size_t *start;          /* rows + 1 offsets */
    uint32_t *col;          /* bucket ids */
    double *val;
} vs__ev_csr;

void vs__ev_csr_release(vs__ev_csr *x);
int vs__ev_csr_build(vs__ev_csr *x, const vs__ev_options *opt, const char *const *prompts,
                     const char *const *responses, size_t n, const char *where);

/* ---- lbfgs.c: minimises a smooth function */
typedef int (*vs__ev_objective)(void *ctx, const double *x, double *f, double *g);
typedef struct vs__ev_lbfgs_result {
    size_t iterations, evaluations;
    int converged;
    double f, gmax;
} vs__ev_lbfgs_result;
/* Minimises fn from x (updated in place) over p variables. Stops when max |g| <= gtol, after
 * max_iter iterations, or when no step decreases f. `work` holds (2 * m + 4) * p doubles.
 * Returns VS_OK, VS_ENUMERIC (non-finite values) or the objective's error. */
int vs__ev_lbfgs(double *x, size_t p, size_t m, size_t max_iter, double gtol, vs__ev_objective fn, void *ctx,
                 double *work, vs__ev_lbfgs_result *res);

/* ---- train.c: fitting models on a subset of the rows of a feature matrix */
/* Allocates a model over the buckets that occur in rows[0..nrows) of x (all weights 0). */
int vs__ev_model_prepare(vs__ev_model *M, uint32_t buckets, const vs__ev_csr *x, const size_t *rows, size_t nrows,
                         size_t k, const char *where);
/* Fits dimension d of a prepared model (jobs for different d may run at the same time). */
int vs__ev_fit_dim(vs__ev_model *M, const vs__ev_options *opt, const vs__ev_csr *x, const size_t *rows,
                   size_t nrows, const double *labels, size_t k, size_t d, const vs_space *space, size_t offset,
                   const char *where);
/* Fits every dimension of a prepared model (up to opt->threads at once). */
int vs__ev_fit_prepared(vs__ev_model *M, const vs__ev_options *opt, const vs__ev_csr *x, const size_t *rows,
                        size_t m, const double *labels, size_t k, const vs_space *space, size_t offset,
                        const char *where);
/* Fits one model per dimension on rows `rows[0..m)` of x with the labels (n x k, NaN = unused),
 * running up to opt->threads workers. */
int vs__ev_fit(vs__ev_model *out, const vs__ev_options *opt, const vs__ev_csr *x, const size_t *rows, size_t m,
               const double *labels, size_t k, const vs_space *space, size_t offset, const char *where);

/* ---- predict.c */
/* Class probabilities (k * 3) and values (k) of one item's features. */
void vs__ev_model_apply(const vs__ev_model *m, uint32_t value_mode, const uint32_t *idx, const double *val, size_t nnz,
                        double *values, double *probs);

/* ---- callback.c: vs_evaluator_predict() of a callback evaluator (arguments checked) */
int vs__ev_predict_callback(double *values, double *probs, int32_t *statuses, const vs_evaluator *ev,
                            const char *const *prompts, const char *const *responses, size_t n, const char *where);

/* ---- metrics.c */
/* Majority class index of counts (0: -1, 1: 0, 2: +1; ties: 0, then +1, then -1). */
int vs__ev_majority(const uint64_t count[3]);
/* Fills m (all fields; struct_size kept) from the confusion matrices of the predictions and
 * of the baseline. */
void vs__ev_metrics_fill(vs_evaluator_metrics *m, const uint64_t conf[9], const uint64_t base_conf[9],
                         double baseline_class, size_t skipped);
/* Copies the part of `full` that out->struct_size covers into out (struct_size kept). */
int vs__ev_metrics_out(vs_evaluator_metrics *out, const vs_evaluator_metrics *full);

/* ---- threads (train.c): runs job(ctx, j) for j in [0, n) on up to `threads` threads. Each
 * job returns a status; the first failure (lowest j) is returned with its message. */
typedef int (*vs__ev_job)(void *ctx, size_t j);
int vs__ev_parallel(size_t n, uint32_t threads, vs__ev_job job, void *ctx, const char *where);

/* Checks a label matrix (n x k): every entry -1, 0, +1 or NaN. */
int vs__ev_check_labels(const double *labels, size_t n, size_t k, const vs_space *space, size_t offset,
                        const char *where);

#endif
