/* `valuespace fa ... --plot DIR`: the figures of a factor analysis (fa_plot.c), drawn from the
 * same arrays the command prints as JSON. Each returns 0, or 1 after a message on stderr (a
 * build without cairo says CLI_FIGURES_OFF). */
#ifndef VS_CLI_FA_PLOT_H
#define VS_CLI_FA_PLOT_H

#include <stddef.h>

/* fa_scree (eigenvalues of R and of the reduced matrix), fa_loadings (heatmap), fa_diagram. */
int fa_plot_fit(const char *dir, char *const *names, size_t p, size_t k, const double *loadings, const double *phi,
                const double *eigenvalues, const double *eigenvalues_reduced);
/* fa_parallel: observed and simulated (and, with resampled, resampled) eigenvalues as vs_fa_parallel
 * returns them (6 rows of p, or 4 for a correlation matrix), with the suggested counts. */
int fa_plot_parallel(const char *dir, size_t p, const double *v, int resampled, size_t n_factors,
                     size_t n_components);

#endif
