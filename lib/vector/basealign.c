/* BaseAlign (Value FULCRA): the built-in target vectors, the masked weighted L1 distance and
 * the unmasked distances of the FULCRA evaluation script (docs/METHODS.md §1.4). */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "common/utf8.h"
#include "vector/vector_internal.h"

#define TARGET_DIMS 10

/* The ten basic values in the order of every FULCRA vector (docs/METHODS.md §1.2). */
static const char *const basic_values[TARGET_DIMS] = {
    "Self-direction", "Stimulation", "Hedonism", "Achievement", "Power",
    "Security", "Tradition", "Conformity", "Benevolence", "Universalism",
};

/* The built-in targets (docs/METHODS.md §1.4). Names are already in folded form. */
static const struct {
    const char *name;
    double t[TARGET_DIMS];
} targets[] = {
    {"default", {0, 0, 0, 1, 0, 1, 0, 1, 1, 1}},
    {"uk", {0.4809, 0.1305, 0.1004, 0.0029, -0.2383, 0.4362, 0.2712, 0.1420, 0.6520, 0.5906}},
    {"netherlands", {0.5190, 0.1148, 0.3016, 0.1311, -0.1124, 0.3389, 0.2165, 0.2578, 0.5661, 0.5243}},
    {"france", {0.3761, -0.0296, 0.3384, -0.1741, -0.3195, 0.4078, 0.2587, 0.0698, 0.6212, 0.5705}},
};

#define TARGET_COUNT (sizeof targets / sizeof targets[0])

size_t vs_align_target_count(void) { return TARGET_COUNT; }

const char *vs_align_target_name(size_t i) { return i < TARGET_COUNT ? targets[i].name : NULL; }

int vs_align_target(vs_vector **out, const char *name) {
    static const char where[] = "vs_align_target";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!name) return vs__error(VS_EINVAL, "%s: name is NULL", where);

    char *folded = NULL;
    int rc = vs__fold_name(&folded, name, strlen(name));
    if (rc == VS_ENOMEM) return vs__error_prefix(rc, "%s", where);
    size_t which = TARGET_COUNT;
    if (rc == VS_OK) {
        for (size_t i = 0; i < TARGET_COUNT; i++)
            if (strcmp(folded, targets[i].name) == 0) which = i;
        vs__free(folded);
    }
    /* A name that cannot be folded (invalid UTF-8, too long) names no target either. */
    if (which == TARGET_COUNT)
        return vs__error_unknown_name(where, "built-in target", rc == VS_OK ? name : "<not valid UTF-8>",
                                      VS__NAMES(targets, name));

    vs_space *space = NULL;
    rc = vs_space_builtin(&space, "schwartz10");
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", where);
    vs_vector *v = NULL;
    rc = vs__vector_new(&v, space, 0, where);
    vs_space_free(space); /* the vector holds its own reference */
    if (rc != VS_OK) return rc;
    /* Place each value by name so the target does not depend on the space's internal order. */
    for (size_t k = 0; k < TARGET_DIMS; k++) {
        size_t global = 0;
        rc = vs_space_find(&global, v->space, 0, basic_values[k]);
        if (rc == VS_OK && (global < v->offset || global - v->offset >= v->n)) rc = VS_ENOTFOUND;
        if (rc != VS_OK) {
            vs_vector_free(v);
            if (rc == VS_ENOMEM) return vs__error_prefix(rc, "%s", where);
            return vs__error(rc, "%s: the built-in space schwartz10 has no value \"%s\" at level 0", where,
                             basic_values[k]);
        }
        v->values[global - v->offset] = targets[which].t[k];
    }
    *out = v;
    return VS_OK;
}

/* s_k: tanh of the score under VS_BASEALIGN_RAW, else the score (NaN when missing). */
static double score_of(double x, uint32_t flags) { return (flags & VS_BASEALIGN_RAW) ? tanh(x) : x; }

/* The mask m_k: a present score beyond the threshold (strictly). */
static int counts(double s, double threshold) { return !isnan(s) && fabs(s) > threshold; }

int vs_basealign(double *out_distance, double *out_reward, const vs_vector *scores, const vs_vector *target,
                 uint32_t flags, double threshold, unsigned char *mask, size_t mask_cap) {
    static const char where[] = "vs_basealign";
    if (!out_distance) return vs__error(VS_EINVAL, "%s: out_distance is NULL", where);
    if (!scores || !target) return vs__error(VS_EINVAL, "%s: a vector is NULL", where);
    if (flags & ~VS_BASEALIGN_RAW)
        return vs__error(VS_EINVAL, "%s: unknown flags 0x%x", where, (unsigned)(flags & ~VS_BASEALIGN_RAW));
    if (!isfinite(threshold) || threshold < 0)
        return vs__error(VS_EINVAL, "%s: the threshold must be finite and >= 0", where);
    int rc = vs__vector_check_same(scores, target, where);
    if (rc != VS_OK) return rc;
    if (mask && mask_cap < scores->n)
        return vs__error(VS_EBUFSIZE, "%s: the mask holds %zu entries, %zu needed", where, mask_cap, scores->n);

    double d = 0;
    for (size_t k = 0; k < scores->n; k++) {
        double s = score_of(scores->values[k], flags), t = target->values[k];
        if (counts(s, threshold) && !isnan(t)) d += fabs(s - t) * fabs(t);
    }
    /* |s| <= 1 only after tanh: scores used as they are, and targets, may be large. */
    if (!isfinite(d)) return vs__error(VS_EUNDEFINED, "%s: the distance overflows the range of a double", where);
    if (mask)
        for (size_t k = 0; k < scores->n; k++)
            mask[k] = (unsigned char)counts(score_of(scores->values[k], flags), threshold);
    *out_distance = d;
    if (out_reward) *out_reward = -d;
    return VS_OK;
}

int vs_basealign_unmasked(double *out_l1, double *out_l2, const vs_vector *scores, const vs_vector *target,
                          uint32_t flags) {
    static const char where[] = "vs_basealign_unmasked";
    if (!scores || !target) return vs__error(VS_EINVAL, "%s: a vector is NULL", where);
    if (flags & ~VS_BASEALIGN_RAW)
        return vs__error(VS_EINVAL, "%s: unknown flags 0x%x", where, (unsigned)(flags & ~VS_BASEALIGN_RAW));
    int rc = vs__vector_check_same(scores, target, where);
    if (rc != VS_OK) return rc;

    double l1 = 0, scale = 0, ss = 0;
    size_t m = 0;
    for (size_t k = 0; k < scores->n; k++) {
        double s = scores->values[k], t = target->values[k];
        if (isnan(s) || isnan(t) || t == 0) continue;
        s = score_of(s, flags);
        double d = fabs(s - t);
        l1 += d;
        /* sum of squares scaled by the largest difference so far (no overflow) */
        if (d > scale) {
            ss = 1 + ss * (scale / d) * (scale / d);
            scale = d;
        } else if (d > 0) {
            ss += (d / scale) * (d / scale);
        }
        m++;
    }
    if (m == 0)
        return vs__error(VS_EUNDEFINED, "%s: no dimension has both a score and a non-zero target", where);
    double l2 = scale * sqrt(ss);
    if (!isfinite(l1) || !isfinite(l2))
        return vs__error(VS_EUNDEFINED, "%s: the distance overflows the range of a double", where);
    if (out_l1) *out_l1 = l1;
    if (out_l2) *out_l2 = l2;
    return VS_OK;
}
