/* What the tetrachoric and polychoric correlations share: the standard bivariate normal
 * distribution function, by Genz's (2004) Gauss-Legendre method (Drezner & Wesolowsky's
 * formulation; 6, 12 or 20 points by |rho|), and the root finder for their likelihood scores. */
#include <math.h>

#include "fa/fa_internal.h"

#define TWO_PI 6.283185307179586476925

static double phi_cdf(double x) { return 0.5 * erfc(-x / 1.4142135623730950488); }

/* Gauss-Legendre nodes (positive half) and weights for 6, 12 and 20 points on [-1, 1] */
static const double gl_x6[3] = {0.93246951420315205, 0.66120938646626459, 0.23861918608319693};
static const double gl_w6[3] = {0.1713244923791705, 0.36076157304813861, 0.46791393457269104};
static const double gl_x12[6] = {0.98156063424671924, 0.9041172563704748,  0.76990267419430469,
                                 0.58731795428661748, 0.36783149899818018, 0.12523340851146894};
static const double gl_w12[6] = {0.047175336386511835, 0.10693932599531857, 0.16007832854334633,
                                 0.20316742672306584,  0.23349253653835478, 0.24914704581340288};
static const double gl_x20[10] = {0.99312859918509488, 0.96397192727791381, 0.91223442825132595,
                                  0.83911697182221889, 0.7463319064601508,  0.63605368072651502,
                                  0.51086700195082713, 0.37370608871541955, 0.22778585114164507,
                                  0.076526521133497338};
static const double gl_w20[10] = {0.017614007139152264, 0.04060142980038705, 0.06267204833410904,
                                  0.083276741576704741, 0.10193011981724048, 0.11819453196151831,
                                  0.1316886384491765,   0.14209610931838215, 0.14917298647260382,
                                  0.15275338713072598};

/* P(X > h, Y > k) for standard bivariate normal (X, Y) with correlation r */
static double bvn_upper(double h, double k, double r) {
    const double *x, *w;
    int lg;
    if (fabs(r) < 0.3) {
        x = gl_x6, w = gl_w6, lg = 3;
    } else if (fabs(r) < 0.75) {
        x = gl_x12, w = gl_w12, lg = 6;
    } else {
        x = gl_x20, w = gl_w20, lg = 10;
    }
    double hk = h * k, bvn = 0;
    if (fabs(r) < 0.925) {
        double hs = (h * h + k * k) / 2, asr = asin(r);
        for (int i = 0; i < lg; i++)
            for (int s = -1; s <= 1; s += 2) {
                double sn = sin(asr * ((double)s * x[i] + 1) / 2);
                bvn += w[i] * exp((sn * hk - hs) / (1 - sn * sn));
            }
        return bvn * asr / (2 * TWO_PI) + phi_cdf(-h) * phi_cdf(-k);
    }
    if (r < 0) {
        k = -k;
        hk = -hk;
    }
    if (fabs(r) < 1) {
        double as = (1 - r) * (1 + r), a = sqrt(as), bs = (h - k) * (h - k);
        double c = (4 - hk) / 8, d = (12 - hk) / 16;
        bvn = a * exp(-(bs / as + hk) / 2) * (1 - c * (bs - as) * (1 - d * bs / 5) / 3 + c * d * as * as / 5);
        if (hk > -160) {
            double b = sqrt(bs);
            bvn -= exp(-hk / 2) * sqrt(TWO_PI) * phi_cdf(-b / a) * b * (1 - c * bs * (1 - d * bs / 5) / 3);
        }
        a /= 2;
        for (int i = 0; i < lg; i++)
            for (int s = -1; s <= 1; s += 2) {
                double xs = a * ((double)s * x[i] + 1);
                xs *= xs;
                double rs = sqrt(1 - xs);
                bvn += a * w[i] *
                       (exp(-bs / (2 * xs) - hk / (1 + rs)) / rs - exp(-(bs / xs + hk) / 2) * (1 + c * xs * (1 + d * xs)));
            }
        bvn = -bvn / TWO_PI;
    }
    if (r > 0) return bvn + phi_cdf(-(h > k ? h : k));
    bvn = -bvn;
    if (k > h) bvn += h < 0 ? phi_cdf(k) - phi_cdf(h) : phi_cdf(-h) - phi_cdf(-k);
    return bvn;
}

double vs__fa_bvn_lower(double h, double k, double r) { return bvn_upper(-h, -k, r); }

/* The root in (-1, 1) of an increasing function (a likelihood score): bracketed from 0 outwards
 * on a grid towards the boundary (a non-finite value counts as beyond the root: the likelihood
 * falls without bound at the boundary), then Illinois-modified regula falsi with bisection steps
 * to ~1e-13. A score without sign change returns the last grid point (psych's optimize() would
 * stop at the interval end likewise). */
double vs__fa_root_increasing(double (*f)(void *ctx, double rho), void *ctx) {
    static const double grid[] = {0.3, 0.6, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9999, 0.99999, 0.999999};
    double f0 = f(ctx, 0.0);
    if (f0 == 0) return 0;
    double dir = f0 < 0 || !isfinite(f0) ? 1.0 : -1.0; /* towards the root */
    if (!isfinite(f0)) return 0;
    double lo = 0, flo = f0, hi = 0, fhi = 0;
    int found = 0;
    for (size_t g = 0; g < sizeof grid / sizeof grid[0]; g++) {
        double x = dir * grid[g], fx = f(ctx, x);
        int beyond = !isfinite(fx) || (dir > 0 ? fx >= 0 : fx <= 0);
        if (beyond) {
            if (!isfinite(fx)) fx = dir > 0 ? INFINITY : -INFINITY;
            hi = x;
            fhi = fx;
            found = 1;
            break;
        }
        lo = x;
        flo = fx;
    }
    if (!found) return lo;
    /* orient: a < b with f(a) < 0 < f(b) */
    double a = dir > 0 ? lo : hi, fa = dir > 0 ? flo : fhi, b = dir > 0 ? hi : lo, fb = dir > 0 ? fhi : flo;
    int side = 0;
    for (int it = 0; it < 200 && b - a > 1e-13; it++) {
        double m = isfinite(fa) && isfinite(fb) ? (a * fb - b * fa) / (fb - fa) : 0.5 * (a + b);
        if (!(m > a && m < b) || it % 3 == 2) m = 0.5 * (a + b);
        double fm = f(ctx, m);
        if (fm == 0) return m;
        if (!isfinite(fm)) fm = m > 0 ? INFINITY : -INFINITY;
        if (fm < 0) {
            a = m;
            fa = fm;
            if (side == -1) fb /= 2;
            side = -1;
        } else {
            b = m;
            fb = fm;
            if (side == 1) fa /= 2;
            side = 1;
        }
    }
    return 0.5 * (a + b);
}
