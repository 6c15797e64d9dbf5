/* Criteria of the rotations added to the gradient-projection family, each f with its gradient
 * Gq = df/dL as GPArotation 2022.10-2 / psych 2.2.9 define them:
 * - target (targetT / targetQ, and pstT / pstQ when entries are unspecified): f = sum over the
 *   specified entries of (L - B)^2, Gq = 2 (L - B) there and 0 elsewhere (GPArotation's vgQ.target
 *   drops NA entries; vgQ.pst with W = specified, B = target gives the same f and Gq);
 * - simplimax(m): the m smallest squared loadings (ties at the m-th included) get weight 1,
 *   f = sum of them, Gq = 2 L on them;
 * - biquartimin (psych's vgQ.bimin): quartimin's sum_i sum_{j != l} L_ij^2 L_il^2 over factors 2..k
 *   (the general factor 1 left free), without quartimin's 1/4: f = sum(L2 * L2 N), Gq = 4 L (L2 N). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"

double vs__fa_crit_target(const double *l, const double *target, size_t pk, double *gq) {
    double f = 0;
    for (size_t i = 0; i < pk; i++) {
        if (isnan(target[i])) {
            gq[i] = 0;
            continue;
        }
        double d = l[i] - target[i];
        f += d * d;
        gq[i] = 2 * d;
    }
    return f;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double vs__fa_crit_simplimax(const double *l, size_t pk, size_t m, double *gq, double *scratch) {
    for (size_t i = 0; i < pk; i++) scratch[i] = l[i] * l[i];
    qsort(scratch, pk, sizeof(double), cmp_double);
    double cut = scratch[(m < 1 ? 1 : m > pk ? pk : m) - 1];
    double f = 0;
    for (size_t i = 0; i < pk; i++) {
        double v = l[i] * l[i];
        int in = v <= cut;
        f += in ? v : 0;
        gq[i] = in ? 2 * l[i] : 0;
    }
    return f;
}

double vs__fa_crit_biquartimin(const double *l, size_t p, size_t k, double *gq) {
    double f = 0;
    for (size_t i = 0; i < p; i++) {
        const double *li = l + i * k;
        double rs = 0;
        for (size_t j = 1; j < k; j++) rs += li[j] * li[j];
        gq[i * k] = 0;
        for (size_t j = 1; j < k; j++) {
            double l2 = li[j] * li[j], l2n = rs - l2;
            f += l2 * l2n;
            gq[i * k + j] = 4 * li[j] * l2n;
        }
    }
    return f;
}
