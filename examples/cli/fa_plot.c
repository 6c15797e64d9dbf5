/* The figures of `valuespace fa --plot DIR` and `valuespace fa parallel --plot DIR`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "fa_plot.h"

#ifdef VS_HAVE_CAIRO
#include "plot/plot.h"

static int make_dir(const char *dir) {
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "valuespace fa: --plot: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    return 0;
}

int fa_plot_fit(const char *dir, char *const *names, size_t p, size_t k, const double *loadings, const double *phi,
                const double *eigenvalues, const double *eigenvalues_reduced) {
    if (make_dir(dir)) return 1;
    char sub[128];
    snprintf(sub, sizeof sub, "%zu variables, %zu factor%s", p, k, k == 1 ? "" : "s");
    plot_scree s = {p, 2, {{"eigenvalues", "eigenvalues of R (components)", eigenvalues, 0, 0},
                           {"eigenvalues_reduced", "eigenvalues of the reduced R (factors)", eigenvalues_reduced, 0, 1}},
                    k, 0, 1, sub};
    plot_factors f = {p, k, (const char *const *)names, loadings, phi, 0.3, sub};
    int rc = plot_scree_curves(dir, "fa_scree", &s);
    if (!rc) rc = plot_loadings_heatmap(dir, "fa_loadings", &f);
    if (!rc) rc = plot_factor_diagram(dir, "fa_diagram", &f);
    plot_release();
    if (!rc) fprintf(stderr, "valuespace fa: figures written to %s/ (fa_scree, fa_loadings, fa_diagram; .png and .svg)\n", dir);
    return rc;
}

int fa_plot_parallel(const char *dir, size_t p, const double *v, int resampled, size_t n_factors,
                     size_t n_components) {
    if (make_dir(dir)) return 1;
    plot_scree s = {p, 4, {{"observed_fa", "observed, factors", v, 0, 0},
                           {"observed_pc", "observed, components", v + p, 0, 1},
                           {"simulated_fa_q95", "simulated 95th percentile, factors", v + 2 * p, 1, 0},
                           {"simulated_pc_q95", "simulated 95th percentile, components", v + 3 * p, 1, 1}},
                    n_factors, n_components, 0, "parallel analysis (Horn 1965; as psych's fa.parallel)"};
    if (resampled) {
        s.series[4] = (plot_scree_series){"resampled_fa_q95", "resampled 95th percentile, factors", v + 4 * p, 2, 2};
        s.series[5] = (plot_scree_series){"resampled_pc_q95", "resampled 95th percentile, components", v + 5 * p, 2, 3};
        s.n_series = 6;
    }
    int rc = plot_scree_curves(dir, "fa_parallel", &s);
    plot_release();
    if (!rc) fprintf(stderr, "valuespace fa: figure written to %s/ (fa_parallel.png, fa_parallel.svg)\n", dir);
    return rc;
}

#else /* a build without cairo (VS_WITH_CAIRO=OFF or libcairo2-dev missing) */

int fa_plot_fit(const char *dir, char *const *names, size_t p, size_t k, const double *loadings, const double *phi,
                const double *eigenvalues, const double *eigenvalues_reduced) {
    (void)names, (void)p, (void)k, (void)loadings, (void)phi, (void)eigenvalues, (void)eigenvalues_reduced;
    fprintf(stderr, "valuespace fa: --plot %s: " CLI_FIGURES_OFF "; install libcairo2-dev and rebuild\n", dir);
    return 1;
}

int fa_plot_parallel(const char *dir, size_t p, const double *v, int resampled, size_t n_factors,
                     size_t n_components) {
    (void)p, (void)v, (void)resampled, (void)n_factors, (void)n_components;
    fprintf(stderr, "valuespace fa: --plot %s: " CLI_FIGURES_OFF "; install libcairo2-dev and rebuild\n", dir);
    return 1;
}
#endif
