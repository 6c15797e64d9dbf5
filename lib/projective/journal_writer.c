/* The journal writer of a run (see journal_writer.h). Two batches alternate: the runner's thread
 * fills one with small records (copying what does not outlive the callback call) while the writer
 * thread completes the other's records from the run (id, seed, dimensions), encodes and writes
 * them. The runner's share is kept small on purpose: with a fast model it is what a journal costs
 * the run. Everything the writer needs is allocated on the runner's thread (the output buffer is
 * sized by the largest record's bound before a hand-off), so the allocator hook is never called from the
 * writer, and a failing allocator in tests stays deterministic. The writer reports the
 * first error with its message; the runner raises it at its next flush.
 * A hand-off (a thread wake-up, a write call) costs tens of microseconds here, as much as a
 * hundred records, so records are handed over when the writer is idle and either HANDOFF_RECORDS
 * are waiting or HANDOFF_SECONDS have passed since the last hand-off: a fast model's records go
 * out in few large writes within about a millisecond, a slow model's after every call. The
 * runner waits for a busy writer only when MAX_PENDING records are waiting. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/internal.h"
#include "model/model_run.h"
#include "io/jsonl.h"
#include "projective/journal_writer.h"
#include "projective/record_line.h"
#include "projective/runner_internal.h"

#define HANDOFF_RECORDS 1024
#define HANDOFF_SECONDS 0.001
#define MAX_PENDING 16384
#define OUT_CHUNK (1u << 20)
#define PREALLOC_BYTES ((off_t)8 << 20)
/* Strings no longer than this keep a record's bound below OUT_CHUNK (ids are at most
 * VS_BANK_MAX_ID_BYTES, records at most VS_BANK_MAX_ITEM_DIMENSIONS dimensions). */
#define SHORT_TEXT 32768
_Static_assert(352 + 192 * VS_BANK_MAX_ITEM_DIMENSIONS + 6 * (VS_BANK_MAX_ID_BYTES + 16 + 3 * SHORT_TEXT) + 10 <= OUT_CHUNK,
               "short records fit the output buffer");

#define CACHE_LINE 64

/* A record as a batch keeps it: what the run does not already hold, in one cache line (the
 * runner writes it, the writer reads it: every line is a transfer between the cores). What few
 * records need beyond it (a copied completion, an error, unequal judgements, many attempts) is
 * in the batch's next jextra, in record order. The prompt is a prefix of the item's stem, which
 * sits beside the item's other strings in the bank: the writer reads few cache lines per record. */
typedef struct jrec {
    const char *completion; /* NULL when JR_COPIED */
    uint64_t repeat;
    double latency, lp_hi, lp_lo;
    double judgement;        /* every dimension's, when JR_UNIFORM */
    uint32_t item;
    uint32_t prompt_len;     /* the prompt: the item's stem, its first prompt_len bytes */
    uint32_t completion_len; /* unless JR_COPIED */
    uint16_t attempts;       /* unless JR_EXTRA */
    uint8_t flags;
    uint8_t first;           /* choice judge: 1 high first, 2 low first; else 0 */
} jrec;

_Static_assert(sizeof(jrec) == CACHE_LINE, "a journal writer record is one cache line");

enum {
    JR_LP = 1,      /* has the two log-probabilities */
    JR_JUDG = 2,    /* has judgements (an OK record) */
    JR_UNIFORM = 4, /* ... all equal to `judgement` */
    JR_EXTRA = 8,   /* has a jextra */
    JR_COPIED = 16, /* the completion is in the text pool */
    JR_FAILED = 32, /* the status and the error are in the jextra */
    JR_PROBS = 64   /* the judge's probabilities are in the judgement pool (jextra) */
};

typedef struct jextra {
    size_t text_off;       /* the copied completion, then the error, each NUL-terminated */
    size_t completion_len; /* when JR_COPIED */
    size_t error_len;
    size_t judg_off;       /* JR_JUDG without JR_UNIFORM: into the judgement pool */
    size_t probs_off;      /* JR_PROBS: into the judgement pool */
    uint32_t probs_per_dim;
    uint32_t attempts;
    int status;
} jextra;

typedef struct jbatch {
    void *rec_mem; /* the records' allocation; rec is it rounded up to a cache line */
    jrec *rec;
    size_t n, cap;
    jextra *extra;
    size_t nx, xcap;
    double *judg;
    size_t nj, jcap;
    char *text;
    size_t tlen, tcap;
    size_t max_bound; /* the largest record bound (SIZE_MAX: too large) */
    char apart[CACHE_LINE]; /* the two batches' headers on different cache lines (see write_batch) */
} jbatch;

struct vs__jwriter {
    vs__jwriter_run run;
    int fd, sync;
    const char *path;
    off_t pos, prealloc_end; /* the writer's: the next write's offset (-1: not known), the end of
                                the blocks preallocated */
    int prealloc;            /* preallocation works on this file */
    int preallocated;        /* something was preallocated (released at close) */
    char apart[CACHE_LINE]; /* the run above, read by the writer, away from the batches */
    jbatch b[2];
    int fill;            /* index of the batch being collected */
    pthread_t thread;
    int threaded;
    pthread_mutex_t mu;  /* guards busy, stop, err, written and the hand-over of a batch */
    pthread_cond_t cv;
    int busy;            /* the writer holds batch 1 - fill */
    int stop;
    int err;             /* first error (sticky) */
    char *out;           /* the writer's output buffer: OUT_CHUNK bytes or one record's bound */
    size_t ocap;
    double last_handoff; /* CLOCK_MONOTONIC seconds */
    uint64_t written;    /* records written */
    char msg[512];
};

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The file is given its blocks PREALLOC_BYTES at a time ahead of the writes (beyond its size,
 * which stays that of the lines written; the rest is released at close): a block reserved at
 * each page's write cost the kernel about 40% more here. Where that is not supported, nothing
 * is preallocated. */
static void preallocate(vs__jwriter *w, size_t len) {
#ifdef FALLOC_FL_KEEP_SIZE
    if (!w->prealloc || w->pos < 0 || w->pos + (off_t)len <= w->prealloc_end) return;
    off_t start = w->prealloc_end > w->pos ? w->prealloc_end : w->pos;
    off_t size = ((w->pos + (off_t)len - start) / PREALLOC_BYTES + 1) * PREALLOC_BYTES;
    if (fallocate(w->fd, FALLOC_FL_KEEP_SIZE, start, size) == 0) {
        w->prealloc_end = start + size;
        w->preallocated = 1;
    } else {
        w->prealloc = 0; /* not supported (or no room): write without */
    }
#else
    (void)w;
    (void)len;
#endif
}

/* Releases the blocks preallocated beyond the last line: a truncation to the file's own size
 * (ext4 ignores a hole punched beyond the end). */
static void release_preallocation(vs__jwriter *w) {
    struct stat st;
    if (w->preallocated && fstat(w->fd, &st) == 0) (void)!ftruncate(w->fd, st.st_size);
}

static int write_all(vs__jwriter *w, const char *p, size_t len) {
    preallocate(w, len);
    int err = vs__write_all_errno(w->fd, p, len);
    if (err) {
        snprintf(w->msg, sizeof w->msg, "journal '%s': write failed: %s", w->path, strerror(err));
        w->pos = -1; /* where the file ends is not known: nothing is released */
        return VS_EIO;
    }
    if (w->pos >= 0) w->pos += (off_t)len;
    return VS_OK;
}

/* Encodes and writes batch b (on the writer thread, or the caller's without one) through the
 * output buffer, a write whenever the next record might not fit: the buffer stays small and its
 * pages stay mapped (a fresh page's first touch here would cost both threads a TLB shootdown). */
static int write_batch(vs__jwriter *w, jbatch *b) {
    /* The batch header and the run in locals: the runner keeps writing the other batch's header,
     * which may share a cache line with this one (a re-read per record would ping-pong it). */
    const jrec *rec = b->rec;
    const jextra *extra = b->extra;
    const double *judg = b->judg;
    const char *text = b->text;
    char *out = w->out;
    const size_t ocap = w->ocap;
    const size_t count = b->n;
    const vs__jwriter_run run = w->run;
    size_t len = 0, xi = 0;
    uint32_t dims[VS_BANK_MAX_ITEM_DIMENSIONS];
    double same[VS_BANK_MAX_ITEM_DIMENSIONS];
    for (size_t i = 0; i < count; i++) {
        const jrec *r = &rec[i];
        const jextra *x = r->flags & JR_EXTRA ? &extra[xi++] : NULL;
        const vs__bank_item *it = &run.items[r->item];
        vs__record_fields f;
        size_t slen[5];
        for (uint32_t q = 0; q < it->dim_count; q++) dims[q] = run.rep_of[it->dims[q]];
        f.item = it->id;
        slen[0] = it->id_len;
        f.repeat = r->repeat;
        f.seed = vs__model_item_seed_hashed(run.seed, it->id_hash, r->repeat);
        f.status = vs__runner_status_name(r->flags & JR_FAILED ? x->status : VS_MODEL_ITEM_OK);
        slen[1] = strlen(f.status);
        f.attempts = x ? x->attempts : r->attempts;
        f.latency_us = (int64_t)llround(r->latency * 1e6);
        f.prompt = it->stem;
        slen[2] = r->prompt_len;
        if (r->flags & JR_COPIED) {
            f.completion = text + x->text_off;
            slen[3] = x->completion_len;
        } else {
            f.completion = r->completion;
            slen[3] = r->completion_len;
        }
        f.error = NULL;
        slen[4] = 0;
        if (r->flags & JR_FAILED) {
            f.error = text + x->text_off + (r->flags & JR_COPIED ? x->completion_len + 1 : 0);
            slen[4] = x->error_len;
        }
        f.reverse = (it->flags & VS_BANK_ITEM_REVERSE) != 0;
        f.dims = dims;
        f.n_dims = it->dim_count;
        f.judgements = NULL;
        if (r->flags & JR_UNIFORM) {
            for (uint32_t q = 0; q < it->dim_count; q++) same[q] = r->judgement;
            f.judgements = same;
        } else if (r->flags & JR_JUDG) {
            f.judgements = judg + x->judg_off;
        }
        f.first = r->first;
        f.probs = r->flags & JR_PROBS ? judg + x->probs_off : NULL;
        f.probs_per_dim = r->flags & JR_PROBS ? x->probs_per_dim : 0;
        f.has_lp = (r->flags & JR_LP) != 0;
        f.lp_hi = r->lp_hi;
        f.lp_lo = r->lp_lo;
        size_t n = 0, bound = vs__record_line_bound(f.n_dims, slen);
        if (bound > ocap - len) {
            int rc = write_all(w, out, len);
            if (rc != VS_OK) return rc;
            len = 0;
        }
        if (vs__record_line_write(out + len, &n, &f, slen) != VS_OK) {
            snprintf(w->msg, sizeof w->msg, "%s", vs_last_error());
            return VS_EUTF8;
        }
        len += n;
    }
    int rc = len ? write_all(w, out, len) : VS_OK;
    if (rc == VS_OK && w->sync && fsync(w->fd) != 0) {
        snprintf(w->msg, sizeof w->msg, "journal '%s': fsync failed: %s", w->path, strerror(errno));
        return VS_EIO;
    }
    return rc;
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
        w->busy = 0;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
}

int vs__jwriter_start(vs__jwriter **out, const vs__jwriter_run *run, int fd, int sync, const char *path) {
    *out = NULL;
    vs__jwriter *w = vs__calloc(1, sizeof *w);
    if (!w) return vs__nomem("journal writer");
    w->run = *run;
    w->fd = fd;
    w->sync = sync;
    w->path = path;
    w->pos = w->prealloc_end = lseek(fd, 0, SEEK_CUR);
    w->prealloc = w->pos >= 0;
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

/* Appends len bytes of s (and a NUL) to the batch's text pool. */
static int put_text(jbatch *b, const char *s, size_t len) {
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
    b->tlen += len + 1;
    return VS_OK;
}

/* Room for one more record, the records starting on a cache line. */
static int grow_records(jbatch *b) {
    if (b->n < b->cap) return VS_OK;
    size_t cap = b->cap ? 2 * b->cap : 256;
    if (cap > (SIZE_MAX - CACHE_LINE) / sizeof *b->rec) return vs__nomem("journal writer");
    void *mem = vs__malloc(cap * sizeof *b->rec + CACHE_LINE);
    if (!mem) return vs__nomem("journal writer");
    jrec *rec = (jrec *)(((uintptr_t)mem + CACHE_LINE - 1) & ~(uintptr_t)(CACHE_LINE - 1));
    if (b->n) memcpy(rec, b->rec, b->n * sizeof *rec);
    vs__free(b->rec_mem);
    b->rec_mem = mem;
    b->rec = rec;
    b->cap = cap;
    return VS_OK;
}

/* Whether the n judgements are all the same value, bit for bit. */
static int all_same(const double *j, size_t n) {
    for (size_t q = 1; q < n; q++)
        if (memcmp(&j[q], &j[0], sizeof *j) != 0) return 0;
    return 1;
}

/* Appends n doubles to the batch's judgement pool. */
static int put_doubles(jbatch *b, const double *v, size_t n) {
    if (b->nj + n > b->jcap) {
        void *p = b->judg;
        size_t cap = b->jcap;
        if (vs__grow(&p, &cap, b->nj + n, sizeof *b->judg) != VS_OK) return vs__nomem("journal writer");
        b->judg = p;
        b->jcap = cap;
    }
    memcpy(b->judg + b->nj, v, n * sizeof *b->judg);
    b->nj += n;
    return VS_OK;
}

/* The jextra of a record that needs one (see jrec). */
static int add_extra(jbatch *b, jrec *r, const vs__jrecord *rec, const char *comp, size_t clen, size_t nd) {
    if (b->nx == b->xcap) {
        void *p = b->extra;
        size_t cap = b->xcap;
        if (vs__grow(&p, &cap, b->nx + 1, sizeof *b->extra) != VS_OK) return vs__nomem("journal writer");
        b->extra = p;
        b->xcap = cap;
    }
    jextra *x = &b->extra[b->nx];
    x->text_off = b->tlen;
    x->completion_len = clen;
    x->error_len = 0;
    x->judg_off = b->nj;
    x->attempts = rec->attempts;
    x->status = rec->status;
    if ((r->flags & JR_COPIED) && put_text(b, comp, clen) != VS_OK) return VS_ENOMEM;
    if (r->flags & JR_FAILED) {
        const char *err = rec->error ? rec->error : "";
        x->error_len = strlen(err);
        if (put_text(b, err, x->error_len) != VS_OK) return VS_ENOMEM;
    }
    if ((r->flags & JR_JUDG) && !(r->flags & JR_UNIFORM) && put_doubles(b, rec->judgements, nd) != VS_OK)
        return VS_ENOMEM;
    x->probs_off = b->nj;
    x->probs_per_dim = rec->probs_per_dim;
    if ((r->flags & JR_PROBS) && put_doubles(b, rec->probs, nd * rec->probs_per_dim) != VS_OK) return VS_ENOMEM;
    b->nx++;
    return VS_OK;
}

int vs__jwriter_add(vs__jwriter *w, const vs__jrecord *rec) {
    jbatch *b = &w->b[w->fill];
    const vs__bank_item *it = &w->run.items[rec->item];
    if (grow_records(b) != VS_OK) return VS_ENOMEM;
    jrec *r = &b->rec[b->n];
    const char *comp = rec->completion ? rec->completion : "";
    size_t plen = rec->prompt_len == SIZE_MAX ? strlen(it->stem) : rec->prompt_len;
    size_t clen = rec->completion_len == SIZE_MAX ? strlen(comp) : rec->completion_len;
    if (plen > UINT32_MAX) return vs__error(VS_EINVAL, "journal writer: prompt length %zu", plen); /* stems are short */
    r->prompt_len = (uint32_t)plen;
    r->completion_len = clen > UINT32_MAX ? 0 : (uint32_t)clen; /* longer: copied (below) */
    r->completion = comp;
    r->repeat = rec->repeat;
    r->latency = rec->latency;
    r->lp_hi = rec->lp_hi;
    r->lp_lo = rec->lp_lo;
    r->judgement = rec->judgements ? rec->judgements[0] : 0.0;
    r->item = (uint32_t)rec->item;
    r->attempts = (uint16_t)rec->attempts;
    r->first = (uint8_t)rec->first;
    uint8_t flags = rec->has_lp ? JR_LP : 0;
    if (rec->completion && (!rec->completion_static || clen > UINT32_MAX)) flags |= JR_COPIED;
    if (rec->status != VS_MODEL_ITEM_OK) flags |= JR_FAILED;
    if (rec->judgements) flags |= JR_JUDG | (all_same(rec->judgements, it->dim_count) ? JR_UNIFORM : 0);
    if (rec->judgements && rec->probs) flags |= JR_PROBS;
    if ((flags & (JR_COPIED | JR_FAILED | JR_PROBS)) || (flags & (JR_JUDG | JR_UNIFORM)) == JR_JUDG ||
        rec->attempts > UINT16_MAX)
        flags |= JR_EXTRA;
    r->flags = flags;
    if (flags & JR_COPIED) r->completion = NULL;
    size_t nx = b->nx, nj = b->nj, tlen = b->tlen;
    if ((flags & JR_EXTRA) && add_extra(b, r, rec, comp, clen, it->dim_count) != VS_OK) {
        b->nx = nx, b->nj = nj, b->tlen = tlen; /* the record is not added */
        return VS_ENOMEM;
    }
    /* the output buffer must hold any record's bound; a short record's is below OUT_CHUNK */
    size_t elen = flags & JR_FAILED ? b->extra[b->nx - 1].error_len : 0;
    if (plen > SHORT_TEXT || clen > SHORT_TEXT || elen > SHORT_TEXT) {
        size_t slen[5] = {it->id_len, strlen(vs__runner_status_name(rec->status)), plen, clen, elen};
        size_t bound = vs__record_line_bound(it->dim_count, slen);
        if (bound > b->max_bound) b->max_bound = bound;
    }
    b->n++;
    return VS_OK;
}

static void reset(jbatch *b) { b->n = b->nx = b->nj = b->tlen = b->max_bound = 0; }

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
        if (w->threaded) { /* under the lock, like every shared field (an uncontended lock is cheap) */
            pthread_mutex_lock(&w->mu);
            int busy = w->busy;
            pthread_mutex_unlock(&w->mu);
            if (busy) return VS_OK;
        }
        if (b->n < HANDOFF_RECORDS && t - w->last_handoff < HANDOFF_SECONDS) return VS_OK;
    }
    w->last_handoff = t;
    int rc = wait_idle(w);
    if (rc != VS_OK) return rc;
    if (b->max_bound == SIZE_MAX) return vs__nomem("journal writer");
    size_t need = b->max_bound > OUT_CHUNK ? b->max_bound : OUT_CHUNK;
    if (need > w->ocap) { /* the writer is idle: its buffer may be replaced */
        char *p = vs__malloc(need);
        if (!p) return vs__nomem("journal writer");
        memset(p, 0, need); /* mapped here, not by the writer's first touch */
        vs__free(w->out);
        w->out = p;
        w->ocap = need;
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
    w->busy = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return VS_OK;
}

int vs__jwriter_flush(vs__jwriter *w) {
    int rc = hand_off(w, 0);
    if (rc != VS_OK) return rc;
    if (w->threaded) { /* the writer's error, without waiting for it */
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
        w->stop = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
    }
    release_preallocation(w);
    for (int i = 0; i < 2; i++) {
        vs__free(w->b[i].rec_mem);
        vs__free(w->b[i].extra);
        vs__free(w->b[i].judg);
        vs__free(w->b[i].text);
    }
    vs__free(w->out);
    vs__free(w);
    return rc;
}
