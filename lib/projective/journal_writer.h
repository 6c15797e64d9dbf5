/* The journal writer of a run: records are collected batch by batch on the runner's thread and
 * encoded (record_line.c) and written by a second thread while the runner goes on with the next
 * batch, so journalling costs the runner little more than copying the records. */
#ifndef VS_PROJECTIVE_JOURNAL_WRITER_H
#define VS_PROJECTIVE_JOURNAL_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "projective/record_line.h"

typedef struct vs__jwriter vs__jwriter;

/* Starts a writer appending to fd (borrowed; fsync after every batch when `sync`); `path` names
 * the journal in messages. Without a thread (creation failed) batches are written on the
 * caller's thread at vs__jwriter_flush. VS_OK or VS_ENOMEM. */
int vs__jwriter_start(vs__jwriter **out, int fd, int sync, const char *path);

/* Adds a record to the batch being collected. f->item, f->status and f->prompt (and the
 * completion when f->completion_static) must stay valid until vs__jwriter_close (they point
 * into the bank and the run); the completion, the error, the dimensions and the judgements are
 * copied. With f->lengths_known the lengths in f must be the strings' own. VS_OK or VS_ENOMEM. */
int vs__jwriter_add(vs__jwriter *w, const vs__record_fields *f);

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
