/* The elicitation journal (elicit.c writes it, elicit_journal.c reads it). */
#ifndef VS_LEXICAL_ELICIT_INTERNAL_H
#define VS_LEXICAL_ELICIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "io/json.h"
#include "io/jsonl.h"
#include "lexical/lexical_internal.h"

#define VS__LEXJ_SCHEMA "valuespace/lexical-journal"
#define VS__LEXJ_OLD_SCHEMA "valuespace.lexical.journal" /* written before 0.x; still read */
#define VS__LEXJ_VERSION 1
/* The journal's header line (io/jsonl.h). */
extern const vs__jsonl_schema vs__lexj_schema;
#define VS__LEXJ_MAX_REPEATS 1000000
/* Longest item id in bytes with its NUL ("MODEL/prompt-NN/rR"; model ids up to 448 bytes). */
#define VS__LEXICAL_MAX_ID 512

typedef struct vs__lexj_header {
    uint64_t seed, repeats, prompts_hash;
    uint32_t max_tokens;
    double temperature;
    size_t n_prompts;
} vs__lexj_header;

typedef struct vs__lexj_rec {
    char *id, *model, *text; /* text: the response, or the error of a failed record */
    size_t prompt, line;     /* 1-based prompt number; line in the file */
    uint64_t repeat;         /* 1-based */
    int ok, last;            /* last: the latest record of its id (vs__lexj_latest) */
} vs__lexj_rec;

typedef struct vs__lexj {
    vs__lexj_header header;
    vs_json *header_doc; /* the header line as parsed (NULL without one) */
    int has_header, torn;
    size_t valid_len; /* bytes up to the end of the last complete line */
    vs__lexj_rec *recs;
    size_t nrec, cap;
} vs__lexj;

void vs__lexj_write_header(vs_json_writer *w, const vs__lexj_header *h);
/* The header object of h, parsed (to compare it with a journal's). */
int vs__lexj_header_doc(vs_json **out, const vs__lexj_header *h);
/* Reads a journal (a missing file is empty when missing_ok). A torn last line is left out
 * (j->torn). On failure *j is empty. */
int vs__lexj_read(vs__lexj *j, const char *path, int missing_ok);
/* Marks the latest record of each id; VS_EPARSE for two successful records of one id. */
int vs__lexj_latest(vs__lexj *j, const char *path);
void vs__lexj_clear(vs__lexj *j);

#endif
