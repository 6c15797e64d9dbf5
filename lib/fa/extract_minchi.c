/* psych's minchi extraction (fa(fm = "minchi")): psi minimises the residual sum of squares
 * weighted by the pairwise numbers of observations, f = sum_{i != l} N_il (S* - M)_il^2 with S* and
 * M as for wls (extract_wls.c: S* = R with diagonal 1 - psi, M its k leading eigenpairs), from
 * psych's start psi = SMC in [0.005, 1]; the gradient is extract_wls.c's eigen-perturbation with
 * G = 2 N o E (zero diagonal). As psych's fac(), the loadings at psi are then the maximum-likelihood
 * ones (FAout: Psi^1/2 V sqrt(max(lambda - 1, 0)) of Psi^-1/2 R Psi^-1/2). psych hands its
 * optimiser the ML gradient for this objective and stops short; the exact one is used here. */
#include <string.h>

#include "fa/fa_internal.h"

int vs__fa_minchi_init(vs__fa_objctx *c, const double *np, double n_obs) {
    size_t p = c->p, k = c->k;
    c->wt = vs__malloc(p * p * sizeof(double));
    c->we = vs__malloc(p * p * sizeof(double));
    c->wg = vs__malloc(p * p * sizeof(double));
    c->wh = vs__malloc(2 * p * k * sizeof(double));
    c->work = vs__malloc(p * sizeof(double));
    if (!c->wt || !c->we || !c->wg || !c->wh || !c->work) return vs__nomem("vs_fa_fit");
    for (size_t i = 0; i < p; i++)
        for (size_t l = 0; l < p; l++) c->wt[i * p + l] = i == l ? 0.0 : np ? np[i * p + l] : n_obs;
    return VS_OK;
}
