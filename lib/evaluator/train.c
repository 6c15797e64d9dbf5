/* Training the built-in model: one multinomial logistic regression per dimension over the
 * classes present among its labels, fitted by L-BFGS (lbfgs.c).
 *
 * The problem is solved in a smaller but exactly equivalent space. A bucket that occurs in only
 * one training item (most bigrams) enters the loss only through that item's score, so by the
 * Cauchy-Schwarz inequality its optimal weights are proportional to its feature value: all the
 * single-item buckets of item i act as one column with value r_i = sqrt(sum of their squared
 * values), whose weights u give the original ones as w_b = u * v_ib / r_i. Training therefore
 * optimises over the buckets shared by at least two items plus one column per item, and expands
 * the result to every bucket afterwards. */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "common/internal.h"
#include "common/sort.h"
#include "evaluator/evaluator_internal.h"

/* ---------------------------------------------------------------- worker threads */

typedef struct parallel_state {
    size_t n, next;
    vs__ev_job job;
    void *ctx;
    int *status;
    char (*message)[256];
    pthread_mutex_t lock;
} parallel_state;

static void run_jobs(parallel_state *st) {
    for (;;) {
        pthread_mutex_lock(&st->lock);
        size_t j = st->next < st->n ? st->next++ : st->n;
        pthread_mutex_unlock(&st->lock);
        if (j >= st->n) return;
        int rc = st->job(st->ctx, j);
        st->status[j] = rc;
        if (rc) {
            const char *msg = vs_last_error();
            size_t len = strlen(msg);
            if (len >= sizeof st->message[j]) len = sizeof st->message[j] - 1;
            memcpy(st->message[j], msg, len);
            st->message[j][len] = '\0';
        }
    }
}

static void *worker(void *arg) {
    run_jobs(arg);
    return NULL;
}

int vs__ev_parallel(size_t n, uint32_t threads, vs__ev_job job, void *ctx, const char *where) {
    if (n == 0) return VS_OK;
    if (threads <= 1 || n == 1) {
        for (size_t j = 0; j < n; j++) {
            int rc = job(ctx, j);
            if (rc) return rc;
        }
        return VS_OK;
    }
    parallel_state st;
    memset(&st, 0, sizeof st);
    st.n = n;
    st.job = job;
    st.ctx = ctx;
    st.status = vs__calloc(n, sizeof *st.status);
    st.message = vs__calloc(n, sizeof *st.message);
    if (!st.status || !st.message) {
        vs__free(st.status);
        vs__free(st.message);
        return vs__nomem(where);
    }
    pthread_mutex_init(&st.lock, NULL);
    size_t extra = (size_t)threads - 1 < n - 1 ? (size_t)threads - 1 : n - 1;
    pthread_t tid[256];
    size_t started = 0;
    for (; started < extra; started++)
        if (pthread_create(&tid[started], NULL, worker, &st) != 0) break; /* run with fewer threads */
    run_jobs(&st);
    for (size_t t = 0; t < started; t++) pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&st.lock);
    int rc = VS_OK;
    for (size_t j = 0; j < n; j++)
        if (st.status[j]) {
            rc = vs__error(st.status[j], "%s", st.message[j]);
            break;
        }
    vs__free(st.status);
    vs__free(st.message);
    return rc;
}

/* ---------------------------------------------------------------- one dimension */

#define SINGLE (UINT32_MAX - 1) /* bucket in exactly one training item */

typedef struct problem {
    size_t m, kp, cols, shared;
    int cls[VS__EV_K];  /* modelled class indices (0: -1, 1: 0, 2: +1) */
    size_t *start;      /* compact rows */
    uint32_t *col;
    double *val;
    unsigned char *y;   /* position of each row's class among cls */
    double *w;          /* s_i / sum s */
    double lambda;      /* 1 / (C sum s) */
} problem;

static int objective(void *ctx, const double *x, double *out_f, double *g) {
    const problem *P = ctx;
    const size_t kp = P->kp, nw = P->cols * kp;
    const double *W = x, *b = x + nw;
    double *gb = g + nw, f = 0.0;
    for (size_t j = 0; j < nw; j++) {
        f += W[j] * W[j];
        g[j] = P->lambda * W[j];
    }
    f *= 0.5 * P->lambda;
    for (size_t c = 0; c < kp; c++) gb[c] = 0.0;
    for (size_t r = 0; r < P->m; r++) {
        double z[VS__EV_K] = {0.0, 0.0, 0.0};
        for (size_t c = 0; c < kp; c++) z[c] = b[c];
        for (size_t e = P->start[r]; e < P->start[r + 1]; e++) {
            const double v = P->val[e], *wr = W + (size_t)P->col[e] * kp;
            for (size_t c = 0; c < kp; c++) z[c] += v * wr[c];
        }
        const size_t y = P->y[r];
        const double wi = P->w[r], zy = z[y];
        double zmax = z[0];
        for (size_t c = 1; c < kp; c++)
            if (z[c] > zmax) zmax = z[c];
        double sum = 0.0;
        for (size_t c = 0; c < kp; c++) {
            z[c] = exp(z[c] - zmax);
            sum += z[c];
        }
        f += wi * (zmax + log(sum) - zy); /* -log p(y) */
        double q[VS__EV_K];
        for (size_t c = 0; c < kp; c++) {
            q[c] = wi * (z[c] / sum - (c == y ? 1.0 : 0.0));
            gb[c] += q[c];
        }
        for (size_t e = P->start[r]; e < P->start[r + 1]; e++) {
            const double v = P->val[e];
            double *gr = g + (size_t)P->col[e] * kp;
            for (size_t c = 0; c < kp; c++) gr[c] += v * q[c];
        }
    }
    *out_f = f;
    return VS_OK;
}

static void problem_release(problem *P) {
    vs__free(P->start);
    vs__free(P->col);
    vs__free(P->val);
    vs__free(P->y);
    vs__free(P->w);
}

/* Sets up the compact problem of dimension d: the rows with a label, their classes and
 * weights, and the compact columns (colmap[row of the model] = shared column, SINGLE or
 * VS__EV_NONE). Returns VS_OK with P->kp < 2 when there is nothing to optimise. */
static int build_problem(problem *P, uint32_t *colmap, const vs__ev_model *M, const vs__ev_options *opt,
                         const vs__ev_csr *x, const size_t *rows, size_t nrows, const double *labels, size_t k,
                         size_t d, const char *where) {
    memset(P, 0, sizeof *P);
    size_t count[VS__EV_K] = {0, 0, 0};
    for (size_t i = 0; i < nrows; i++) {
        double yv = labels[rows[i] * k + d];
        if (!isnan(yv)) count[(int)yv + 1]++;
    }
    for (int c = 0; c < VS__EV_K; c++)
        if (count[c]) P->cls[P->kp++] = c;
    P->m = count[0] + count[1] + count[2];
    if (P->kp < 2) return VS_OK;
    size_t m = P->m;
    P->start = vs__malloc((m + 1) * sizeof *P->start);
    P->y = vs__malloc(m ? m : 1);
    P->w = vs__malloc(m * sizeof *P->w);
    if (!P->start || !P->y || !P->w) return vs__nomem(where);
    /* document frequencies among the labelled rows, saturated at 2 */
    for (size_t r = 0; r < M->n_active; r++) colmap[r] = 0;
    size_t nnz = 0;
    for (size_t i = 0; i < nrows; i++) {
        size_t row = rows[i];
        if (isnan(labels[row * k + d])) continue;
        for (size_t e = x->start[row]; e < x->start[row + 1]; e++) {
            uint32_t a = M->bucket_row[x->col[e]];
            if (colmap[a] < 2) colmap[a]++;
        }
        nnz += x->start[row + 1] - x->start[row] + 1;
    }
    size_t shared = 0;
    for (size_t r = 0; r < M->n_active; r++)
        colmap[r] = colmap[r] >= 2 ? (uint32_t)shared++ : colmap[r] == 1 ? SINGLE : VS__EV_NONE;
    P->shared = shared;
    P->col = vs__malloc(nnz * sizeof *P->col);
    P->val = vs__malloc(nnz * sizeof *P->val);
    if (!P->col || !P->val) return vs__nomem(where);
    /* class weights */
    double cw[VS__EV_K];
    for (int c = 0; c < VS__EV_K; c++)
        cw[c] = opt->class_weight == VS_EVALUATOR_CLASS_WEIGHT_BALANCED && count[c]
                    ? (double)m / ((double)P->kp * (double)count[c])
                    : 1.0;
    double total = 0.0;
    for (int c = 0; c < VS__EV_K; c++) total += cw[c] * (double)count[c];
    size_t pos = 0, r = 0, priv = 0;
    for (size_t i = 0; i < nrows; i++) {
        size_t row = rows[i];
        double yv = labels[row * k + d];
        if (isnan(yv)) continue;
        int c = (int)yv + 1;
        for (size_t q = 0; q < P->kp; q++)
            if (P->cls[q] == c) P->y[r] = (unsigned char)q;
        P->w[r] = cw[c] / total;
        P->start[r] = pos;
        double ss = 0.0;
        for (size_t e = x->start[row]; e < x->start[row + 1]; e++) {
            uint32_t j = colmap[M->bucket_row[x->col[e]]];
            if (j == SINGLE) {
                ss += x->val[e] * x->val[e];
            } else {
                P->col[pos] = j;
                P->val[pos++] = x->val[e];
            }
        }
        if (ss > 0.0) {
            P->col[pos] = (uint32_t)(shared + priv++);
            P->val[pos++] = sqrt(ss);
        }
        r++;
    }
    P->start[m] = pos;
    P->cols = shared + priv;
    P->lambda = 1.0 / (opt->c * total);
    return VS_OK;
}

/* Writes the solution of dimension d into the model, expanding the per-item columns. */
static void expand(vs__ev_model *M, const problem *P, const double *sol, const uint32_t *colmap,
                   const vs__ev_csr *x, const size_t *rows, size_t nrows, const double *labels, size_t k, size_t d) {
    const size_t kp = P->kp, K3 = M->k * VS__EV_K;
    for (size_t q = 0; q < kp; q++) M->bias[d * VS__EV_K + (size_t)P->cls[q]] = sol[P->cols * kp + q];
    for (size_t a = 0; a < M->n_active; a++) {
        uint32_t j = colmap[a];
        if (j == SINGLE || j == VS__EV_NONE) continue;
        double *w = M->weights + a * K3 + d * VS__EV_K;
        for (size_t q = 0; q < kp; q++) w[P->cls[q]] = sol[(size_t)j * kp + q];
    }
    size_t priv = 0;
    for (size_t i = 0; i < nrows; i++) {
        size_t row = rows[i];
        if (isnan(labels[row * k + d])) continue;
        double ss = 0.0;
        for (size_t e = x->start[row]; e < x->start[row + 1]; e++)
            if (colmap[M->bucket_row[x->col[e]]] == SINGLE) ss += x->val[e] * x->val[e];
        if (ss == 0.0) continue;
        const double *u = sol + (P->shared + priv++) * kp;
        double rn = sqrt(ss);
        for (size_t e = x->start[row]; e < x->start[row + 1]; e++) {
            uint32_t a = M->bucket_row[x->col[e]];
            if (colmap[a] != SINGLE) continue;
            double *w = M->weights + (size_t)a * K3 + d * VS__EV_K;
            for (size_t q = 0; q < kp; q++) w[P->cls[q]] = u[q] * (x->val[e] / rn);
        }
    }
}

int vs__ev_fit_dim(vs__ev_model *M, const vs__ev_options *opt, const vs__ev_csr *x, const size_t *rows,
                   size_t nrows, const double *labels, size_t k, size_t d, const vs_space *space, size_t offset,
                   const char *where) {
    problem P;
    uint32_t *colmap = vs__malloc((M->n_active ? M->n_active : 1) * sizeof *colmap);
    if (!colmap) return vs__nomem(where);
    int rc = build_problem(&P, colmap, M, opt, x, rows, nrows, labels, k, d, where);
    M->classes[d] = 0;
    if (rc == VS_OK && P.kp == 1) M->classes[d] = 1u << P.cls[0];
    if (rc == VS_OK && P.kp >= 2) {
        size_t p = P.cols * P.kp + P.kp, hist = opt->history;
        double *sol = NULL, *work = NULL;
        if (p > SIZE_MAX / sizeof(double) / (2 * hist + 5)) {
            rc = vs__error(VS_ENOMEM, "%s: dimension \"%s\": problem too large", where, vs_space_key(space, offset + d));
        } else {
            sol = vs__calloc(p, sizeof *sol);
            work = vs__malloc((2 * hist + 4) * p * sizeof *work);
            if (!sol || !work) rc = vs__nomem(where);
        }
        vs__ev_lbfgs_result res;
        if (rc == VS_OK) rc = vs__ev_lbfgs(sol, p, hist, opt->max_iter, opt->tolerance, objective, &P, work, &res);
        if (rc == VS_OK) {
            for (size_t i = 0; i < p; i++)
                if (!isfinite(sol[i])) {
                    rc = vs__error(VS_ENUMERIC, "non-finite weight");
                    break;
                }
        }
        if (rc == VS_OK) {
            expand(M, &P, sol, colmap, x, rows, nrows, labels, k, d);
            for (size_t q = 0; q < P.kp; q++) M->classes[d] |= 1u << P.cls[q];
        } else if (rc != VS_ENOMEM) {
            rc = vs__error_prefix(rc, "%s: dimension \"%s\"", where, vs_space_key(space, offset + d));
        }
        vs__free(sol);
        vs__free(work);
    }
    problem_release(&P);
    vs__free(colmap);
    return rc;
}

/* ---------------------------------------------------------------- all dimensions */

int vs__ev_model_prepare(vs__ev_model *M, uint32_t buckets, const vs__ev_csr *x, const size_t *rows, size_t nrows,
                         size_t k, const char *where) {
    memset(M, 0, sizeof *M);
    M->k = k;
    M->bucket_row = vs__malloc((size_t)buckets * sizeof *M->bucket_row);
    if (!M->bucket_row) return vs__nomem(where);
    for (uint32_t b = 0; b < buckets; b++) M->bucket_row[b] = VS__EV_NONE;
    size_t active = 0;
    for (size_t i = 0; i < nrows; i++)
        for (size_t e = x->start[rows[i]]; e < x->start[rows[i] + 1]; e++)
            if (M->bucket_row[x->col[e]] == VS__EV_NONE) {
                M->bucket_row[x->col[e]] = 0;
                active++;
            }
    M->n_active = active;
    M->active = vs__malloc((active ? active : 1) * sizeof *M->active);
    const size_t per = k > 0 ? k * VS__EV_K : 1;
    if (active > SIZE_MAX / sizeof(double) / per) {
        vs__ev_model_release(M);
        return vs__error(VS_ENOMEM, "%s: model too large", where);
    }
    M->weights = vs__calloc(active ? active * k * VS__EV_K : 1, sizeof *M->weights);
    M->bias = vs__calloc(k * VS__EV_K, sizeof *M->bias);
    M->classes = vs__calloc(k, sizeof *M->classes);
    if (!M->active || !M->weights || !M->bias || !M->classes) {
        vs__ev_model_release(M);
        return vs__nomem(where);
    }
    size_t r = 0;
    for (uint32_t b = 0; b < buckets; b++)
        if (M->bucket_row[b] != VS__EV_NONE) {
            M->active[r] = b;
            M->bucket_row[b] = (uint32_t)r++;
        }
    return VS_OK;
}

typedef struct fit_job {
    vs__ev_model *M;
    const vs__ev_options *opt;
    const vs__ev_csr *x;
    const size_t *rows;
    size_t nrows;
    const double *labels;
    size_t k;
    const vs_space *space;
    size_t offset;
    const char *where;
    const size_t *order; /* dimensions, most expensive first */
} fit_job;

static int fit_one(void *ctx, size_t j) {
    const fit_job *J = ctx;
    return vs__ev_fit_dim(J->M, J->opt, J->x, J->rows, J->nrows, J->labels, J->k, J->order[j], J->space, J->offset,
                          J->where);
}

typedef struct cost_key {
    size_t cost, d;
} cost_key;

static int cmp_cost(const void *a, const void *b, void *ctx) {
    const cost_key *x = a, *y = b;
    (void)ctx;
    if (x->cost != y->cost) return x->cost > y->cost ? -1 : 1;
    return x->d < y->d ? -1 : x->d > y->d;
}

int vs__ev_fit_prepared(vs__ev_model *M, const vs__ev_options *opt, const vs__ev_csr *x, const size_t *rows,
                        size_t m, const double *labels, size_t k, const vs_space *space, size_t offset,
                        const char *where) {
    /* Dimensions are handed to the threads largest job first (the number of labels outside the
     * majority class approximates the optimiser's work), which shortens the tail; the results
     * do not depend on the order. */
    cost_key *keys = vs__malloc((k ? k : 1) * sizeof *keys);
    size_t *order = vs__malloc((k ? k : 1) * sizeof *order);
    if (!keys || !order) {
        vs__free(keys);
        vs__free(order);
        return vs__nomem(where);
    }
    for (size_t d = 0; d < k; d++) {
        size_t count[VS__EV_K] = {0, 0, 0};
        for (size_t i = 0; i < m; i++) {
            double y = labels[rows[i] * k + d];
            if (!isnan(y)) count[(int)y + 1]++;
        }
        size_t total = count[0] + count[1] + count[2], most = count[0];
        if (count[1] > most) most = count[1];
        if (count[2] > most) most = count[2];
        keys[d].cost = total - most;
        keys[d].d = d;
    }
    vs__sort(keys, k, sizeof *keys, cmp_cost, NULL);
    for (size_t j = 0; j < k; j++) order[j] = keys[j].d;
    vs__free(keys);
    fit_job J = {M, opt, x, rows, m, labels, k, space, offset, where, order};
    int rc = vs__ev_parallel(k, opt->threads, fit_one, &J, where);
    vs__free(order);
    return rc;
}

int vs__ev_fit(vs__ev_model *out, const vs__ev_options *opt, const vs__ev_csr *x, const size_t *rows, size_t m,
               const double *labels, size_t k, const vs_space *space, size_t offset, const char *where) {
    int rc = vs__ev_model_prepare(out, opt->buckets, x, rows, m, k, where);
    if (rc) return rc;
    rc = vs__ev_fit_prepared(out, opt, x, rows, m, labels, k, space, offset, where);
    if (rc) vs__ev_model_release(out);
    return rc;
}

int vs_evaluator_train(vs_evaluator *ev, const char *const *prompts, const char *const *responses,
                       const double *labels, size_t n) {
    static const char where[] = "vs_evaluator_train";
    if (!ev) return vs__error(VS_EINVAL, "%s: evaluator is NULL", where);
    if (ev->kind != VS_EVALUATOR_BUILTIN) return vs__error(VS_ESTATE, "%s: a callback evaluator cannot be trained", where);
    if (!responses || !labels) return vs__error(VS_EINVAL, "%s: responses or labels is NULL", where);
    if (n == 0) return vs__error(VS_ERANGE, "%s: no items", where);
    for (size_t i = 0; i < n; i++)
        if (!responses[i]) return vs__error(VS_EINVAL, "%s: item %zu: response is NULL", where, i);
    int rc = vs__ev_check_labels(labels, n, ev->k, ev->space, ev->offset, where);
    if (rc) return rc;
    vs__ev_csr x;
    rc = vs__ev_csr_build(&x, &ev->opt, prompts, responses, n, where);
    if (rc) return rc;
    size_t *rows = vs__malloc(n * sizeof *rows);
    if (!rows) {
        vs__ev_csr_release(&x);
        return vs__nomem(where);
    }
    for (size_t i = 0; i < n; i++) rows[i] = i;
    vs__ev_model M;
    rc = vs__ev_fit(&M, &ev->opt, &x, rows, n, labels, ev->k, ev->space, ev->offset, where);
    vs__free(rows);
    vs__ev_csr_release(&x);
    if (rc) return rc;
    vs__ev_model_release(&ev->model);
    ev->model = M;
    ev->trained = 1;
    return VS_OK;
}
