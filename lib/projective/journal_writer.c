/* The journal writer of a run (see journal_writer.h). Two batches alternate: the runner's thread
 * fills one (copying what does not outlive the callback call) while the writer thread encodes and
 * writes the other. Everything the writer needs is allocated on the runner's thread (the output
 * buffer is sized by the records' bound before a hand-off), so the allocator hook is never called
 * from the writer, and a failing allocator in tests stays deterministic. The writer reports the
 * first error with its message; the runner raises it at its next flush.
 * A hand-off (a thread wake-up, a write call) costs tens of microseconds here, as much as a
 * hundred records, so records are handed over when the writer is idle and either HANDOFF_RECORDS
 * are waiting or HANDOFF_SECONDS have passed since the last hand-off: a fast model's records go
 * out in few large writes within about a millisecond, a slow model's after every call. The
 * runner waits for a busy writer only when MAX_PENDING records are waiting. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/internal.h"
#include "projective/journal_writer.h"

#define HANDOFF_RECORDS 1024
#define HANDOFF_SECONDS 0.001
#define MAX_PENDING 65536

typedef struct jrec {
    vs__record_fields f; /* completion (unless static)/error/dims/judgements point into the pools */
    size_t slen[5];
    size_t comp_off, err_off, dim_off; /* offsets into text and dims/judg; SIZE_MAX: none/static */
    int has_judg;
} jrec;

typedef struct jbatch {
    jrec *rec;
    size_t n, cap;
    uint32_t *dims;
    double *judg;
    size_t nd, dcap;
    char *text;
    size_t tlen, tcap;
    char *out;
    size_t ocap, bound;
} jbatch;

struct vs__jwriter {
    int fd, sync;
    const char *path;
    jbatch b[2];
    int fill;            /* index of the batch being collected */
    pthread_t thread;
    int threaded;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int busy;            /* the writer holds batch 1 - fill (set under mu; hand_off peeks without it) */
    int stop;
    int err;             /* first error (sticky) */
    double last_handoff; /* CLOCK_MONOTONIC seconds */
    uint64_t written;    /* records written */
    char msg[512];
};

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int write_all(vs__jwriter *w, const char *p, size_t len) {
    while (len > 0) {
        ssize_t k = write(w->fd, p, len);
        if (k < 0) {
            if (errno == EINTR) continue;
            snprintf(w->msg, sizeof w->msg, "journal '%s': write failed: %s", w->path, strerror(errno));
            return VS_EIO;
        }
        p += k;
        len -= (size_t)k;
    }
    if (w->sync && fsync(w->fd) != 0) {
        snprintf(w->msg, sizeof w->msg, "journal '%s': fsync failed: %s", w->path, strerror(errno));
        return VS_EIO;
    }
    return VS_OK;
}

/* Encodes and writes batch b (on the writer thread, or the caller's without one). */
static int write_batch(vs__jwriter *w, jbatch *b) {
    size_t len = 0;
    for (size_t i = 0; i < b->n; i++) {
        jrec *r = &b->rec[i];
        if (r->comp_off != SIZE_MAX) r->f.completion = b->text + r->comp_off;
        r->f.error = r->err_off == SIZE_MAX ? NULL : b->text + r->err_off;
        r->f.dims = b->dims + r->dim_off;
        r->f.judgements = r->has_judg ? b->judg + r->dim_off : NULL;
        size_t n = 0;
        if (vs__record_line_write(b->out + len, &n, &r->f, r->slen) != VS_OK) {
            snprintf(w->msg, sizeof w->msg, "%s", vs_last_error());
            return VS_EUTF8;
        }
        len += n;
    }
    return len ? write_all(w, b->out, len) : VS_OK;
}

static void *writer_main(void *arg) {
    vs__jwriter *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->busy && !w->stop) pthread_cond_wait(&w->cv, &w->mu);
        if (!w->busy) { /* stop, nothing left */
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        jbatch *b = &w->b[1 - w->fill];
        int skip = w->err != VS_OK;
        pthread_mutex_unlock(&w->mu);
        int rc = skip ? VS_OK : write_batch(w, b);
        pthread_mutex_lock(&w->mu);
        if (rc != VS_OK && w->err == VS_OK) w->err = rc;
        if (rc == VS_OK && !skip) w->written += b->n;
        __atomic_store_n(&w->busy, 0, __ATOMIC_RELEASE);
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
}

int vs__jwriter_start(vs__jwriter **out, int fd, int sync, const char *path) {
    *out = NULL;
    vs__jwriter *w = vs__calloc(1, sizeof *w);
    if (!w) return vs__nomem("journal writer");
    w->fd = fd;
    w->sync = sync;
    w->path = path;
    if (pthread_mutex_init(&w->mu, NULL) == 0) {
        if (pthread_cond_init(&w->cv, NULL) == 0) {
            w->threaded = pthread_create(&w->thread, NULL, writer_main, w) == 0;
            if (!w->threaded) pthread_cond_destroy(&w->cv);
        }
        if (!w->threaded) pthread_mutex_destroy(&w->mu);
    }
    *out = w;
    return VS_OK;
}

/* Appends len bytes of s (and a NUL) to the batch's text pool; returns the offset. */
static int put_text(jbatch *b, size_t *off, const char *s, size_t len) {
    if (len > SIZE_MAX / 2 - b->tlen) return vs__nomem("journal writer");
    if (b->tlen + len + 1 > b->tcap) {
        void *p = b->text;
        size_t cap = b->tcap;
        if (vs__grow(&p, &cap, b->tlen + len + 1, 1) != VS_OK) return vs__nomem("journal writer");
        b->text = p;
        b->tcap = cap;
    }
    memcpy(b->text + b->tlen, s, len);
    b->text[b->tlen + len] = '\0';
    *off = b->tlen;
    b->tlen += len + 1;
    return VS_OK;
}

int vs__jwriter_add(vs__jwriter *w, const vs__record_fields *f) {
    jbatch *b = &w->b[w->fill];
    if (b->n == b->cap) {
        void *p = b->rec;
        size_t cap = b->cap;
        if (vs__grow(&p, &cap, b->n + 1, sizeof *b->rec) != VS_OK) return vs__nomem("journal writer");
        b->rec = p;
        b->cap = cap;
    }
    if (f->n_dims > SIZE_MAX / 2 - b->nd) return vs__nomem("journal writer");
    if (b->nd + f->n_dims > b->dcap) {
        void *p = b->dims, *q = b->judg;
        size_t cap = b->dcap, cap2 = b->dcap;
        if (vs__grow(&p, &cap, b->nd + f->n_dims, sizeof *b->dims) != VS_OK) return vs__nomem("journal writer");
        b->dims = p;
        if (vs__grow(&q, &cap2, cap, sizeof *b->judg) != VS_OK) return vs__nomem("journal writer");
        b->judg = q;
        b->dcap = cap < cap2 ? cap : cap2;
    }
    jrec *r = &b->rec[b->n];
    r->f = *f;
    r->slen[0] = f->lengths_known ? f->item_len : strlen(f->item);
    r->slen[1] = strlen(f->status);
    r->slen[2] = f->lengths_known ? f->prompt_len : strlen(f->prompt);
    r->slen[3] = f->lengths_known ? f->completion_len : strlen(f->completion);
    r->slen[4] = f->error ? strlen(f->error) : 0;
    r->err_off = r->comp_off = SIZE_MAX;
    int rc = f->completion_static ? VS_OK : put_text(b, &r->comp_off, f->completion, r->slen[3]);
    if (rc == VS_OK && f->error) rc = put_text(b, &r->err_off, f->error, r->slen[4]);
    if (rc != VS_OK) return rc;
    r->dim_off = b->nd;
    memcpy(b->dims + b->nd, f->dims, f->n_dims * sizeof *b->dims);
    r->has_judg = f->judgements != NULL;
    if (f->judgements) memcpy(b->judg + b->nd, f->judgements, f->n_dims * sizeof *b->judg);
    b->nd += f->n_dims;
    size_t bound = vs__record_line_bound(f, r->slen);
    b->bound = bound > SIZE_MAX / 2 - b->bound ? SIZE_MAX : b->bound + bound;
    b->n++;
    return VS_OK;
}

static void reset(jbatch *b) { b->n = b->nd = b->tlen = b->bound = 0; }

/* Waits until the writer holds no batch; returns the sticky error (message raised). */
static int wait_idle(vs__jwriter *w) {
    int err;
    if (w->threaded) {
        pthread_mutex_lock(&w->mu);
        while (w->busy) pthread_cond_wait(&w->cv, &w->mu);
        err = w->err;
        pthread_mutex_unlock(&w->mu);
    } else {
        err = w->err;
    }
    return err == VS_OK ? VS_OK : vs__error(err, "%s", w->msg);
}

/* Hands the collected batch over, after the previous one is written; unless `force`, only as the
 * file comment says. */
static int hand_off(vs__jwriter *w, int force) {
    jbatch *b = &w->b[w->fill];
    if (b->n == 0) return VS_OK;
    double t = now_seconds();
    if (!force && b->n < MAX_PENDING) {
        if (w->threaded && __atomic_load_n(&w->busy, __ATOMIC_ACQUIRE)) return VS_OK;
        if (b->n < HANDOFF_RECORDS && t - w->last_handoff < HANDOFF_SECONDS) return VS_OK;
    }
    w->last_handoff = t;
    int rc = wait_idle(w);
    if (rc != VS_OK) return rc;
    if (b->bound == SIZE_MAX) return vs__nomem("journal writer");
    if (b->bound > b->ocap) {
        void *p = b->out;
        size_t cap = b->ocap;
        if (vs__grow(&p, &cap, b->bound, 1) != VS_OK) return vs__nomem("journal writer");
        b->out = p;
        b->ocap = cap;
    }
    if (!w->threaded) {
        w->err = write_batch(w, b);
        if (w->err == VS_OK) w->written += b->n;
        reset(b);
        return w->err == VS_OK ? VS_OK : vs__error(w->err, "%s", w->msg);
    }
    pthread_mutex_lock(&w->mu);
    w->fill = 1 - w->fill;
    reset(&w->b[w->fill]); /* the batch the writer just finished */
    __atomic_store_n(&w->busy, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return VS_OK;
}

int vs__jwriter_flush(vs__jwriter *w) {
    int rc = hand_off(w, 0);
    if (rc != VS_OK) return rc;
    /* the writer's error, without waiting for it */
    if (w->threaded) {
        pthread_mutex_lock(&w->mu);
        rc = w->err;
        pthread_mutex_unlock(&w->mu);
    } else {
        rc = w->err;
    }
    return rc == VS_OK ? VS_OK : vs__error(rc, "%s", w->msg);
}

int vs__jwriter_drain(vs__jwriter *w) {
    int rc = hand_off(w, 1);
    int rc2 = wait_idle(w);
    return rc != VS_OK ? rc : rc2;
}

uint64_t vs__jwriter_written(vs__jwriter *w) {
    if (!w->threaded) return w->written;
    pthread_mutex_lock(&w->mu);
    uint64_t n = w->written;
    pthread_mutex_unlock(&w->mu);
    return n;
}

int vs__jwriter_close(vs__jwriter *w) {
    if (!w) return VS_OK;
    int rc = vs__jwriter_drain(w);
    if (w->threaded) {
        pthread_mutex_lock(&w->mu);
        __atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
    }
    for (int i = 0; i < 2; i++) {
        vs__free(w->b[i].rec);
        vs__free(w->b[i].dims);
        vs__free(w->b[i].judg);
        vs__free(w->b[i].text);
        vs__free(w->b[i].out);
    }
    vs__free(w);
    return rc;
}
