/* The analysis options and result (analyze.c, result.c). */
#ifndef VS_LEXICAL_ANALYSIS_INTERNAL_H
#define VS_LEXICAL_ANALYSIS_INTERNAL_H

#include "common/random.h"
#include "lexical/lexical_internal.h"
#include "valuespace/cluster.h"
#include "valuespace/fa.h"

struct vs_lexical {
    int64_t nfactors, counts, method, rotation, seed, subdims, kmin, kmax, name_terms, metric;
};

struct vs_lexical_result {
    size_t n, p, k, s;
    int counts;
    char method[16], rotation[16];
    vs__strlist terms;
    double *loadings;  /* p x k */
    double *factor;    /* p */
    double *loading;   /* p */
    double *subdim;    /* p */
    double *subfactor; /* s */
    double *fsil;      /* k */
    double *msa, *eig, *comm; /* p */
    double kmo, chi2, df, pval, parallel, silhouette;
    vs__strlist fnames, snames;
};

#endif
