/* Reading the factor-analysis reference data (see fa_reference.h). */
#include "fa_reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

refcase *fa_ref_parse(const char *path, size_t *out_n) {
    refcase *list = NULL;
    size_t nlist = 0;
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t cap = 0, lcap = 1 << 20;
    char *line = malloc(lcap);
    refcase *cur = NULL;
    while (getline(&line, &lcap, f) > 0) {
        if (strncmp(line, "case ", 5) == 0) {
            if (nlist == cap) {
                cap = cap ? 2 * cap : 64;
                list = realloc(list, cap * sizeof *list);
            }
            cur = &list[nlist++];
            memset(cur, 0, sizeof *cur);
            ck_assert_int_eq(sscanf(line, "case %23s %31s %d %15s %15s", cur->id, cur->set, &cur->k, cur->method, cur->rot), 5);
        } else if (strncmp(line, "end", 3) == 0) {
            cur = NULL;
        } else if (cur) {
            cur->b = realloc(cur->b, (cur->nb + 1) * sizeof(block));
            block *b = &cur->b[cur->nb++];
            char *p = line;
            int used = 0;
            ck_assert_int_eq(sscanf(p, "%39s %zu %zu%n", b->name, &b->rows, &b->cols, &used), 3);
            p += used;
            b->v = malloc(b->rows * b->cols * sizeof(double) + 1);
            for (size_t i = 0; i < b->rows * b->cols; i++) b->v[i] = strtod(p, &p);
        }
    }
    free(line);
    fclose(f);
    *out_n = nlist;
    return list;
}

void fa_ref_free(refcase *list, size_t n) {
    for (size_t c = 0; list && c < n; c++) {
        for (size_t i = 0; i < list[c].nb; i++) free(list[c].b[i].v);
        free(list[c].b);
    }
    free(list);
}

const block *fa_ref_find(const refcase *c, const char *name) {
    for (size_t i = 0; i < c->nb; i++)
        if (strcmp(c->b[i].name, name) == 0) return &c->b[i];
    return NULL;
}

const block *fa_ref_block(const refcase *c, const char *name) {
    const block *b = fa_ref_find(c, name);
    ck_assert_msg(b != NULL, "case %s: no block %s", c->id, name);
    return b;
}

double *fa_ref_read_csv(const char *name, size_t *rows, size_t *cols) {
    char path[512];
    snprintf(path, sizeof path, FA_REF_DIR "%s.csv", name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *line = NULL;
    size_t lcap = 0, n = 0, c = 1, cap = 0;
    double *v = NULL;
    ck_assert(getline(&line, &lcap, f) > 0);
    for (char *p = line; *p; p++) c += *p == ',';
    while (getline(&line, &lcap, f) > 0) {
        if (line[0] == '\n' || line[0] == 0) continue;
        char *p = line;
        for (size_t j = 0; j < c; j++) {
            if (n + 1 > cap) {
                cap = cap ? 2 * cap : 1024;
                v = realloc(v, cap * sizeof(double));
            }
            if (strncmp(p, "NA", 2) == 0) {
                v[n++] = NAN;
                p += 2;
            } else {
                v[n++] = strtod(p, &p);
            }
            if (*p == ',') p++;
        }
    }
    free(line);
    fclose(f);
    *cols = c;
    *rows = n / c;
    return v;
}

static const struct {
    const char *name;
    double n; /* observations of a correlation/covariance matrix; 0 = raw data */
} sets[] = {{"harman74", 145},  {"ability", 112}, {"thurstone", 213},    {"holzinger", 355},
            {"harman_holzinger", 696}, {"bfi", 0}, {"bfi_complete", 0}, {"heywood", 300}, {"longley", 16}};

vs_fa_data *fa_ref_load_set(const char *name) {
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        if (strcmp(sets[i].name, name) != 0) continue;
        size_t rows, cols;
        double *x = fa_ref_read_csv(name, &rows, &cols);
        vs_fa_data *d = NULL;
        if (sets[i].n > 0) ck_assert_ok(vs_fa_data_from_cor(&d, x, rows, cols, sets[i].n));
        else ck_assert_ok(vs_fa_data_from_raw(&d, x, rows, cols, VS_FA_PAIRWISE));
        free(x);
        return d;
    }
    ck_abort_msg("unknown data set %s", name);
    return NULL;
}

int fa_ref_verbose(void) {
    const char *q = getenv("VS_FA_VERBOSE");
    return q ? atoi(q) : 0;
}

double fa_ref_maxdiff(const double *a, const double *b, size_t n) {
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (isnan(a[i]) != isnan(b[i])) d = INFINITY;
        else if (isnan(a[i])) d = 0;
        if (d > m) m = d;
    }
    return m;
}

double fa_ref_statdiff(double a, double b) {
    if (isnan(a) && isnan(b)) return 0;
    if (isnan(a) != isnan(b)) return INFINITY;
    return fabs(a - b) / (fabs(b) > 1 ? fabs(b) : 1);
}
