/* Bounded limited-memory quasi-Newton minimiser for the psi-profiled factor objectives:
 * projected L-BFGS (two-loop recursion on the free variables, a variable is held when it sits on
 * a bound with the gradient pointing outwards) with a projected backtracking Armijo search.
 * Stops when the projected gradient max |P(x - g) - x| is below gtol, when the objective stops
 * decreasing, or at max_iter. The objectives are sums of terms far larger than their value (ML:
 * tr A - log det A, each ~p / psi), so f carries rounding noise well above epsilon |f|; once the
 * gradient is small (<= RESOLUTION_PGN) and the line search must cut the step below MIN_STEP,
 * decreases can no longer be told from that noise: the point is stationary at the resolution of
 * f, and further iterations only spend evaluations (they used to take most of a fit's time). */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

#define RESOLUTION_PGN 1e-6
#define MIN_STEP 1e-4

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

int vs__fa_optim_run(vs__fa_optim *o, vs__fa_objfn fn, void *ctx, double *x) {
    size_t n = o->n, m = o->m ? o->m : 8;
    double lo = o->lower, hi = o->upper;
    double *buf = vs__malloc((5 * n + 2 * m * n + 2 * m) * sizeof(double));
    if (!buf) return vs__nomem("fa optimiser");
    double *g = buf, *xn = g + n, *gn = xn + n, *d = gn + n, *q = d + n;
    double *S = q + n, *Y = S + m * n, *rho = Y + m * n, *al = rho + m;
    size_t mem = 0, head = 0;
    int st = VS_OK, rc = VS_OK;
    for (size_t i = 0; i < n; i++) x[i] = clampd(x[i], lo, hi);
    double f = fn(ctx, x, g, &st);
    if (st != VS_OK) {
        vs__free(buf);
        return st;
    }
    o->converged = 0;
    o->iterations = 0;
    int stall = 0;
    for (int64_t it = 0; it < o->max_iter; it++) {
        double pgn = 0;
        for (size_t i = 0; i < n; i++) {
            double v = fabs(clampd(x[i] - g[i], lo, hi) - x[i]);
            if (v > pgn) pgn = v;
        }
        if (pgn <= o->gtol) {
            o->converged = 1;
            break;
        }
        /* free-variable mask in d (1 free, 0 held) and masked gradient in q */
        for (size_t i = 0; i < n; i++) {
            int held = (x[i] <= lo && g[i] > 0) || (x[i] >= hi && g[i] < 0);
            d[i] = held ? 0.0 : 1.0;
            q[i] = held ? 0.0 : g[i];
        }
        /* two-loop recursion restricted to the free variables */
        for (size_t c = 0; c < mem; c++) {
            size_t j = (head + m - 1 - c) % m;
            double a = 0;
            for (size_t i = 0; i < n; i++) a += S[j * n + i] * q[i] * d[i];
            a *= rho[j];
            al[j] = a;
            for (size_t i = 0; i < n; i++) q[i] -= a * Y[j * n + i] * d[i];
        }
        if (mem > 0) {
            size_t j = (head + m - 1) % m;
            double sy = 0, yy = 0;
            for (size_t i = 0; i < n; i++) {
                sy += S[j * n + i] * Y[j * n + i];
                yy += Y[j * n + i] * Y[j * n + i];
            }
            double gamma = yy > 0 ? sy / yy : 1.0;
            for (size_t i = 0; i < n; i++) q[i] *= gamma;
        }
        for (size_t c = mem; c-- > 0;) {
            size_t j = (head + m - 1 - c) % m;
            double b = 0;
            for (size_t i = 0; i < n; i++) b += Y[j * n + i] * q[i] * d[i];
            b *= rho[j];
            for (size_t i = 0; i < n; i++) q[i] += (al[j] - b) * S[j * n + i] * d[i];
        }
        double gd = 0;
        for (size_t i = 0; i < n; i++) {
            d[i] = -q[i] * d[i];
            gd += g[i] * d[i];
        }
        if (!(gd < 0)) { /* not a descent direction: restart from steepest descent */
            mem = 0;
            gd = 0;
            for (size_t i = 0; i < n; i++) {
                int held = (x[i] <= lo && g[i] > 0) || (x[i] >= hi && g[i] < 0);
                d[i] = held ? 0.0 : -g[i];
                gd += g[i] * d[i];
            }
        }
        double t = 1.0;
        if (mem == 0) {
            double dmax = 0;
            for (size_t i = 0; i < n; i++)
                if (fabs(d[i]) > dmax) dmax = fabs(d[i]);
            if (dmax > 0.1) t = 0.1 / dmax;
        }
        double fnew = 0;
        int accepted = 0;
        for (int ls = 0; ls < 60; ls++) {
            double dec = 0;
            for (size_t i = 0; i < n; i++) {
                xn[i] = clampd(x[i] + t * d[i], lo, hi);
                dec += g[i] * (xn[i] - x[i]);
            }
            fnew = fn(ctx, xn, gn, &st);
            if (st != VS_OK) {
                rc = st;
                goto done;
            }
            if (isfinite(fnew) && fnew <= f + 1e-4 * dec) {
                accepted = 1;
                break;
            }
            t *= 0.5;
            if (t < MIN_STEP && pgn <= RESOLUTION_PGN) break;
        }
        o->iterations = it + 1;
        if (t < MIN_STEP && pgn <= RESOLUTION_PGN) {
            /* stationary at the resolution of f (see the file comment); keep an accepted point */
            if (accepted) {
                memcpy(x, xn, n * sizeof(double));
                memcpy(g, gn, n * sizeof(double));
                f = fnew;
            }
            o->converged = 1;
            break;
        }
        if (!accepted) {
            if (mem > 0) {
                mem = 0;
                continue;
            }
            break; /* no decrease possible along the steepest direction: stationary to rounding */
        }
        double sy = 0, ss = 0, yy = 0;
        size_t j = head;
        for (size_t i = 0; i < n; i++) {
            double si = xn[i] - x[i], yi = gn[i] - g[i];
            S[j * n + i] = si;
            Y[j * n + i] = yi;
            sy += si * yi;
            ss += si * si;
            yy += yi * yi;
        }
        if (sy > 1e-14 * sqrt(ss * yy) && sy > 0) {
            rho[j] = 1.0 / sy;
            head = (head + 1) % m;
            if (mem < m) mem++;
        }
        double drop = f - fnew;
        memcpy(x, xn, n * sizeof(double));
        memcpy(g, gn, n * sizeof(double));
        f = fnew;
        if (drop <= 1e-15 * (fabs(f) > 1e-300 ? fabs(f) : 1e-300)) {
            if (++stall >= 5) break;
        } else {
            stall = 0;
        }
    }
    if (!o->converged) {
        /* a stop on stagnation (no decrease left at the resolution of f) or at the iteration
         * limit counts as converged when the projected gradient is small relative to f: the ML
         * discrepancy of a nearly singular R stalls with |g| ~ 1e-6 at F ~ 4, at the optimum */
        double pgn = 0;
        for (size_t i = 0; i < n; i++) {
            double v = fabs(clampd(x[i] - g[i], lo, hi) - x[i]);
            if (v > pgn) pgn = v;
        }
        if (pgn <= 1e-6 * (fabs(f) > 1 ? fabs(f) : 1)) o->converged = 1;
    }
done:
    o->f = f;
    vs__free(buf);
    return rc;
}
