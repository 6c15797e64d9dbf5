/* The circle fit: least squares x_k = a + b cos(theta_k) + c sin(theta_k) over the dimensions
 * that have a circle angle and a present value; amplitude sqrt(b^2 + c^2), phase atan2(c, b).
 *
 * The intercept is eliminated by centring, which leaves a 2 x 2 system in (b, c) with the
 * centred cross-products of cos and sin as its matrix. Centring keeps the system well
 * conditioned (the raw 3 x 3 normal equations mix the constant column with cos and sin), and a
 * relative test on its determinant detects a singular design: all angles equal, or all on two
 * opposite points of the circle. */
#include <math.h>
#include <stddef.h>

#include "common/internal.h"
#include "vector/vector_internal.h"

/* Designs whose centred cos/sin matrix has a reciprocal condition below this are singular. */
#define SINGULAR_TOLERANCE 1e-10

static const double deg_to_rad = 3.14159265358979323846 / 180.0;

/* Smallest struct_size accepted: the first version of vs_circle_fit. */
#define CIRCLE_FIT_V1_SIZE (offsetof(vs_circle_fit, n) + sizeof(size_t))

/* Angle in radians of entry i, or NaN when it has none or its value is missing. */
static double usable_angle(const vs_vector *v, size_t i) {
    if (isnan(v->values[i])) return NAN;
    double deg = vs_space_angle(v->space, v->offset + i);
    return isnan(deg) ? NAN : deg * deg_to_rad;
}

int vs_vector_circle_fit(vs_circle_fit *out, const vs_vector *vector) {
    static const char where[] = "vs_vector_circle_fit";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    if (out->struct_size < CIRCLE_FIT_V1_SIZE)
        return vs__error(VS_EINVAL, "%s: struct_size %u is smaller than %zu (use VS_CIRCLE_FIT_INIT)", where,
                         (unsigned)out->struct_size, (size_t)CIRCLE_FIT_V1_SIZE);
    if (!vector) return vs__error(VS_EINVAL, "%s: vector is NULL", where);

    /* Pass 1: means of x, cos and sin (running, so large values cannot overflow). */
    size_t n = 0;
    double mx = 0, mc = 0, ms = 0;
    for (size_t i = 0; i < vector->n; i++) {
        double th = usable_angle(vector, i);
        if (isnan(th)) continue;
        double x = vector->values[i];
        n++;
        mx = n == 1 ? x : vs__running_mean(mx, x, n);
        mc += (cos(th) - mc) / (double)n;
        ms += (sin(th) - ms) / (double)n;
    }
    if (n < 4)
        return vs__error(VS_EUNDEFINED, "%s: %zu dimensions have both an angle and a value; at least 4 are needed",
                         where, n);

    /* Pass 2: centred cross-products. x is scaled by its largest deviation so sums cannot overflow. */
    double xscale = 0;
    for (size_t i = 0; i < vector->n; i++) {
        if (isnan(usable_angle(vector, i))) continue;
        double d = fabs(vector->values[i] - mx);
        if (d > xscale) xscale = d;
    }
    if (!isfinite(xscale))
        return vs__error(VS_EUNDEFINED, "%s: the values are too large to fit", where);
    double scc = 0, sss = 0, scs = 0, scx = 0, ssx = 0, sxx = 0;
    for (size_t i = 0; i < vector->n; i++) {
        double th = usable_angle(vector, i);
        if (isnan(th)) continue;
        double c = cos(th) - mc, s = sin(th) - ms;
        double x = xscale > 0 ? (vector->values[i] - mx) / xscale : 0.0;
        scc += c * c;
        sss += s * s;
        scs += c * s;
        scx += c * x;
        ssx += s * x;
        sxx += x * x;
    }
    double det = scc * sss - scs * scs;
    double trace = scc + sss;
    if (!(trace > 0) || !(det > SINGULAR_TOLERANCE * trace * trace))
        return vs__error(VS_EUNDEFINED,
                         "%s: the angles of the %zu usable dimensions do not determine a sinusoid "
                         "(all equal or on two opposite points)", where, n);

    /* Cramer's rule on the well-conditioned 2 x 2 system, in units of xscale. */
    double b = (sss * scx - scs * ssx) / det;
    double c = (scc * ssx - scs * scx) / det;

    /* Pass 3: residual sum of squares (same units). */
    double ssres = 0;
    for (size_t i = 0; i < vector->n; i++) {
        double th = usable_angle(vector, i);
        if (isnan(th)) continue;
        double x = xscale > 0 ? (vector->values[i] - mx) / xscale : 0.0;
        double r = x - (b * (cos(th) - mc) + c * (sin(th) - ms));
        ssres += r * r;
    }

    double amp_scaled = hypot(b, c);
    double r2 = sxx > 0 ? 1.0 - ssres / sxx : 1.0;
    if (r2 < 0) r2 = 0;
    if (r2 > 1) r2 = 1;
    double bb = b * xscale, cc = c * xscale;
    double mesor = mx - bb * mc - cc * ms;
    double amplitude = amp_scaled * xscale;
    if (!isfinite(mesor) || !isfinite(amplitude))
        return vs__error(VS_EUNDEFINED, "%s: the fitted sinusoid overflows the range of a double", where);
    double phase = 0;
    if (amplitude > 0) {
        phase = atan2(c, b) / deg_to_rad;
        if (phase < 0) phase += 360.0;
        if (phase >= 360.0) phase -= 360.0;
        phase += 0.0; /* no -0 */
    }
    out->mesor = mesor;
    out->amplitude = amplitude;
    out->phase_degrees = phase;
    out->r_squared = r2;
    out->n = n;
    return VS_OK;
}

void vs_circle_fit_init(vs_circle_fit *o) {
    if (!o) return;
    vs_circle_fit init = VS_CIRCLE_FIT_INIT;
    *o = init;
}
