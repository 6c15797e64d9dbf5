# Reference values for tests/check_fa_methods.c: psych 2.2.9's fa(fm = "alpha") and
# fa(fm = "minchi"). Run from this directory:  Rscript make_reference_methods.R
# Reads the CSV data sets written by make_reference.R; writes reference_methods.txt in
# reference.txt's block format. Per case psych's own result (loadings, phi, uniquenesses,
# communality, stats, and for minchi psych_criterion = psych's minchi objective at psych's psi).
# alpha is psych's fixed-point iteration (no optimiser): its output is the reference itself (k > 1:
# psych's alpha stops with an error for one factor, diag(sqrt(value)) of a scalar).
# minchi: psych hands optim the ML gradient (FAgr.minres2) for its objective, so its run stops
# short; "polished_*" blocks minimise psych's minchi objective (its fit.residuals, re-stated below)
# with the exact gradient (eigen-perturbation, checked against central differences) by L-BFGS-B
# (factr 1, pgtol 0, psych's bounds and parscale) from psych's start (SMC) and from psych's end
# point, the lower kept; then psych's FAout loadings (minchi's loadings are the ML ones at psi),
# rotation and sign/order conventions, fa.stats and factor.scores.
# Matrix input: psych uses minres instead of minchi unless np.obs is given, so matrix cases pass
# np.obs = n everywhere (the library weights by n_obs there).
source("reference_common.R")
options(warn = 1)
out <- file("reference_methods.txt", "w")
blk <- block_writer(out)

mcobj <- function(psi, r, k, N) { res <- ls_residual(psi, r, k); res <- res^2 * N; diag(res) <- 0; sum(res) }
mcgrad <- function(psi, r, k, N) eigen_grad(psi, r, k, function(res) { g <- 2 * N * res; diag(g) <- 0; g })
loadings_ml <- function(psi, r, k) { # psych's FAout, then the sign convention
  sc <- diag(1 / sqrt(psi)); E <- eigen(sc %*% r %*% sc, symmetric = TRUE)
  L <- diag(sqrt(psi)) %*% E$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:k] - 1, 0)), k)
  L %*% diag(col_signs(L), k)
}

sets <- list(harman74 = list(x = rcsv("harman74"), n = 145, cor = TRUE),
             thurstone = list(x = rcsv("thurstone"), n = 213, cor = TRUE),
             holzinger = list(x = rcsv("holzinger"), n = 355, cor = TRUE),
             bfi = list(x = rcsv("bfi"), n = NA, cor = FALSE))
ks <- list(harman74 = c(1, 2, 4), thurstone = c(1, 3), holzinger = c(2, 3), bfi = c(1, 5))

# gradient check (pairwise counts of bfi)
N <- pairwiseCount(sets$bfi$x); r <- cor(sets$bfi$x, use = "pairwise")
set.seed(1); psi <- runif(ncol(r), .1, .9)
for (k in 1:3) stopifnot(max(abs(central_diff(function(x) mcobj(x, r, k, N), psi) - mcgrad(psi, r, k, N))) < 1e-4 * max(abs(mcgrad(psi, r, k, N))))

id <- 0
for (nm in names(sets)) {
  s <- sets[[nm]]
  r <- if (s$cor) cov2cor(s$x) else cor(s$x, use = "pairwise")
  n <- if (s$cor) s$n else nrow(s$x)
  N <- if (s$cor) matrix(s$n, ncol(r), ncol(r)) else pairwiseCount(s$x)
  p <- ncol(r)
  for (k in ks[[nm]]) for (m in c("alpha", "minchi")) {
    if (m == "alpha" && k == 1) next # psych's alpha fails for one factor (diag() of a scalar)
    rots <- if (k == 1) "none" else c("none", "varimax", "oblimin")
    for (rot in rots) {
      f <- if (s$cor) fa(s$x, k, n.obs = s$n, np.obs = N, fm = m, rotate = rot, warnings = FALSE)
           else fa(s$x, k, fm = m, rotate = rot, warnings = FALSE)
      stopifnot(f$fm == m)
      id <- id + 1
      writeLines(sprintf("case %d %s %d %s %s", id, nm, k, m, rot), out)
      write_psych_fit(blk, f, k)
      rm <- if (is.null(f$RMSEA)) rep(NaN, 3) else f$RMSEA[1:3]
      blk("stats", c(f$objective, f$STATISTIC, f$dof, f$PVAL, rm, f$TLI, f$BIC, f$rms))
      if (m == "minchi") {
        # psych's psi: its fac() keeps the optimiser's par; recover it from fit$ (1 - communalities is
        # the ML communality), so rerun psych's own optimisation to read it
        psi0 <- optim(smc(r), function(x) mcobj(x, r, k, N),
                      function(x) { L <- loadings_ml(x, r, k); g <- (L %*% t(L) + diag(x) - r) * N; diag(g) / x^2 },
                      method = "L-BFGS-B", lower = .005, upper = max(smc(r), 1),
                      control = list(fnscale = 1, parscale = rep(.01, p)))$par
        L0p <- loadings_ml(psi0, r, k)
        stopifnot(max(abs(rowSums(L0p^2) - f$communality)) < 1e-8) # the same run as psych's
        blk("psych_criterion", mcobj(psi0, r, k, N))
        ctl <- list(factr = 1, pgtol = 0, maxit = 10000, parscale = rep(.01, p))
        o1 <- optim(smc(r), mcobj, mcgrad, method = "L-BFGS-B", lower = .005, upper = max(smc(r), 1),
                    control = ctl, r = r, k = k, N = N)
        o2 <- optim(psi0, mcobj, mcgrad, method = "L-BFGS-B", lower = .005, upper = max(smc(r), 1),
                    control = ctl, r = r, k = k, N = N)
        start <- if (o1$value <= o2$value * (1 + 1e-10)) 0 else 1
        op <- if (start == 0) o1 else o2
        L0 <- loadings_ml(op$par, r, k)
        rp <- rotate_psych(L0, rot)
        st <- fa.stats(r, rp$L, if (rot == "oblimin") rp$Phi else NULL, n.obs = n,
                       np.obs = if (s$cor) NULL else N, alpha = .1)
        blk("polished_start", start)
        blk("polished_criterion", op$value)
        blk("polished_psi", matrix(op$par, 1))
        write_polished(blk, r, L0, rp, st)
      }
      writeLines("end", out)
    }
  }
}
close(out)
cat("cases:", id, "\n")
