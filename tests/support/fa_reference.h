/* Reading the factor-analysis reference data of tests/data/fa (written by the R scripts there):
 * the case blocks of reference*.txt and the CSV data sets. Shared by the check_fa* suites. */
#ifndef VS_TEST_FA_REFERENCE_H
#define VS_TEST_FA_REFERENCE_H

#include <stddef.h>

#include "valuespace.h"

#define FA_REF_DIR VS_TEST_DATA_DIR "/fa/"

/* "<name> <rows> <cols> <values row-major>" */
typedef struct block {
    char name[40];
    size_t rows, cols;
    double *v;
} block;

/* "case <id> <set> <k> <method> <rotation>" ... "end" */
typedef struct refcase {
    char id[24], set[32], method[16], rot[16];
    int k;
    block *b;
    size_t nb;
} refcase;

/* Every case of a reference file (free with fa_ref_free(); suites that keep them to the end in a
 * global need not). */
refcase *fa_ref_parse(const char *path, size_t *out_n);
void fa_ref_free(refcase *list, size_t n);
/* The block called name, or NULL. */
const block *fa_ref_find(const refcase *c, const char *name);
/* The block called name; the test fails when there is none. */
const block *fa_ref_block(const refcase *c, const char *name);
/* tests/data/fa/<name>.csv (a header row; NA = missing) as a row-major matrix (free()). */
double *fa_ref_read_csv(const char *name, size_t *rows, size_t *cols);
/* A data set by name: the correlation/covariance matrices with their n, or raw data. */
vs_fa_data *fa_ref_load_set(const char *name);
/* VS_FA_VERBOSE (0 when unset): print the largest deviations. */
int fa_ref_verbose(void);
/* Largest |a - b| (NaN only against NaN, else infinite). */
double fa_ref_maxdiff(const double *a, const double *b, size_t n);
/* |a - b|, relative when |b| > 1 (chi-square, BIC). */
double fa_ref_statdiff(double a, double b);

#endif
