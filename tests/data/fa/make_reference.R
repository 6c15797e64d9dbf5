# Reference values for tests/check_fa.c, produced with R's psych (2.2.9) and GPArotation.
# Run from this directory:  Rscript make_reference.R
# Writes the data sets as CSV (header row; NA = missing) and reference.txt, one block per case:
#   case <id> <data set> <k> <method> <rotation>
#   <name> <rows> <cols> <values row-major ...>
#   end
# (num, wcsv, the block writer, the eigen-perturbation gradient and psych's rotation conventions are
# in reference_common.R)
source("reference_common.R")
options(warn = 1)

out <- file("reference.txt", "w")
blk <- block_writer(out)

# ---- data sets
sets <- list()
sets$harman74 <- list(x = Harman74.cor$cov, n = Harman74.cor$n.obs, cor = TRUE)
sets$ability <- list(x = ability.cov$cov, n = ability.cov$n.obs, cor = TRUE)
sets$thurstone <- list(x = as.matrix(Thurstone), n = 213, cor = TRUE)
sets$holzinger <- list(x = as.matrix(Holzinger), n = 355, cor = TRUE)
sets$harman_holzinger <- list(x = as.matrix(Harman.Holzinger), n = 696, cor = TRUE)
sets$bfi <- list(x = as.matrix(bfi[, 1:25]), n = NA, cor = FALSE)
sets$bfi_complete <- list(x = as.matrix(na.omit(bfi[, 1:25])), n = NA, cor = FALSE)
# a simulated Heywood case: variable 1 would need a communality above 1
set.seed(17)
L <- cbind(c(.95, .9, .85, .3, .2, .25, .1, .2), c(.1, .2, .1, .8, .75, .7, .6, .65))
R <- L %*% t(L); diag(R) <- 1; R[1, 2] <- R[2, 1] <- .97; R[1, 3] <- R[3, 1] <- .93
sets$heywood <- list(x = R, n = 300, cor = TRUE)

for (nm in names(sets)) {
  s <- sets[[nm]]
  x <- s$x
  if (is.null(colnames(x))) colnames(x) <- paste0("V", seq_len(ncol(x)))
  wcsv(x, paste0(nm, ".csv"))
}

ks <- list(harman74 = c(1, 2, 4, 5), ability = c(1, 2), thurstone = c(1, 2, 3, 4),
           holzinger = c(2, 3, 4), harman_holzinger = c(2, 3), bfi = c(1, 5),
           bfi_complete = c(3, 5), heywood = c(1, 2))
methods <- c("minres", "uls", "pa", "ml")

# psych's optimiser (optim L-BFGS-B, factr 1e7) stops up to ~1e-4 short of the optimum; for minres
# and uls psych hands it FAgr.minres, half the gradient of the uls objective, which is not the
# gradient of minres' objective (both vanish at an interior minimum, not at a bound). "polished" blocks minimise psych's
# own objective from psych's solution to full convergence with its exact gradient (checked against
# central differences below): L-BFGS-B with psych's bounds and parscale and factr = pgtol = 0, then
# Newton steps on the free psi (Hessian by central differences of the exact gradient) until the
# projected gradient stops shrinking (here <= 5e-15 for minres/uls, <= 1e-13 for ml); then psych's own
# loadings (FAout.wls / FAout), rotation, fa.stats and factor.scores: the reference for 1e-6.
# psych's objectives: fac()'s fit.residuals (minres: lower-triangle residual SS, uls: full SS,
# eigenvalues below eps set to 100 eps) and FAfn (ml)
obj <- function(psi, r, k, fm) {
  if (fm == "ml") {
    e <- eigen(diag(1 / sqrt(psi)) %*% r %*% diag(1 / sqrt(psi)), symmetric = TRUE, only.values = TRUE)$values
    e <- e[-(1:k)]
    return(sum(e - log(e) - 1))
  }
  res <- ls_residual(psi, r, k)
  if (fm == "uls") sum(res^2) else sum(res[lower.tri(res)]^2)
}
# exact gradients. ml: psych's FAgr. minres/uls: first-order eigen-perturbation (eigen_grad) of
# f = F(res), res = S* - V_k diag(mu) V_k' with S* = R, diag 1 - psi, dF = <G, dres>
# (G = 2 res for uls, res with zero diagonal for minres' lower-triangle SS)
grad <- function(psi, r, k, fm) {
  if (fm == "ml") {
    E <- eigen(diag(1 / sqrt(psi)) %*% r %*% diag(1 / sqrt(psi)), symmetric = TRUE)
    L <- diag(sqrt(psi)) %*% E$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:k] - 1, 0)), k)
    return(diag(L %*% t(L) + diag(psi) - r) / psi^2)
  }
  eigen_grad(psi, r, k, if (fm == "uls") function(res) 2 * res else function(res) { diag(res) <- 0; res })
}
# projected gradient (zero where a bound is active and the gradient points outwards)
pgrad <- function(x, g, lo, up) { g[x <= lo & g > 0] <- 0; g[x >= up & g < 0] <- 0; g }
# psych's objective to full convergence: L-BFGS-B (psych's bounds and parscale, factr 0, pgtol 0),
# then Newton steps on the free variables (Hessian by central differences of the exact gradient)
# while the projected gradient shrinks
polish <- function(psi0, r, k, fm, lo = .005, up = 1) {
  p <- length(psi0)
  op <- optim(psi0, obj, grad, method = "L-BFGS-B", lower = lo, upper = up,
              control = list(factr = 0, pgtol = 0, maxit = 100000, parscale = rep(.01, p)), r = r, k = k, fm = fm)
  x <- op$par
  g <- grad(x, r, k, fm); pg <- max(abs(pgrad(x, g, lo, up)))
  newton <- 0
  for (it in 1:50) {
    if (pg < 1e-14) break
    fr <- which(!((x <= lo & g > 0) | (x >= up & g < 0)))
    Hm <- central_diff(function(y) grad(y, r, k, fm)[fr], x, h = 1e-5, idx = fr)
    Hm <- (Hm + t(Hm)) / 2
    if (min(eigen(Hm, symmetric = TRUE, only.values = TRUE)$values) <= 0) break # not at a minimum
    d <- tryCatch(-solve(Hm, g[fr]), error = function(e) NULL)
    if (is.null(d)) break
    y <- x; y[fr] <- pmin(pmax(x[fr] + d, lo), up)
    gy <- grad(y, r, k, fm); pgy <- max(abs(pgrad(y, gy, lo, up)))
    if (!(pgy < pg) || obj(y, r, k, fm) > obj(x, r, k, fm) + 1e-13 * max(1, abs(obj(x, r, k, fm)))) break
    x <- y; g <- gy; pg <- pgy; newton <- newton + 1
  }
  list(par = x, value = obj(x, r, k, fm), pg = pg, newton = newton)
}
loadings_at <- function(psi, r, k, fm) {
  if (fm == "ml") {
    E <- eigen(diag(1 / sqrt(psi)) %*% r %*% diag(1 / sqrt(psi)), symmetric = TRUE)
    L <- diag(sqrt(psi)) %*% E$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:k] - 1, 0)), k)
  } else {
    s <- r; diag(s) <- 1 - psi
    L <- eigen_loadings(s, k)
  }
  L %*% diag(col_signs(L), k)
}
# the gradients against central differences of the objectives (Harman74, a fixed spread of psi)
local({
  r <- cov2cor(Harman74.cor$cov)
  psi <- .1 + .8 * ((seq_len(ncol(r)) * .618034) %% 1)
  for (fm in c("minres", "uls", "ml")) for (k in 1:4) {
    ng <- central_diff(function(x) obj(x, r, k, fm), psi)
    stopifnot(max(abs(ng - grad(psi, r, k, fm))) < 1e-8 * max(1, max(abs(ng))))
  }
})
rots <- c("none", "varimax", "promax", "oblimin", "quartimax", "geominQ")
extra_rots <- c("quartimin", "equamax", "geominT", "bentlerT", "bentlerQ")

# ---- factorability and number of factors
for (nm in names(sets)) {
  s <- sets[[nm]]
  r <- if (s$cor) cov2cor(s$x) else cor(s$x, use = "pairwise")
  n <- if (s$cor) s$n else nrow(s$x)
  writeLines(sprintf("case factorability %s 0 - -", nm), out)
  km <- KMO(r)
  blk("kmo", km$MSA); blk("msa", matrix(km$MSAi, 1))
  b <- cortest.bartlett(r, n = n)
  blk("bartlett", c(b$chisq, b$df, b$p.value))
  blk("evalues", matrix(eigen(r)$values, 1))
  set.seed(42)
  pa <- if (s$cor) fa.parallel(r, n.obs = n, plot = FALSE, n.iter = 20) else fa.parallel(s$x, plot = FALSE, n.iter = 20)
  blk("parallel_counts", c(pa$nfact, pa$ncomp))
  blk("parallel_observed_fa", matrix(pa$fa.values, 1))
  blk("parallel_observed_pc", matrix(pa$pc.values, 1))
  v <- VSS(r, n = 8, plot = FALSE, n.obs = n)
  blk("map", matrix(v$map, 1))
  writeLines("end", out)
}

# ---- fits
id <- 0
for (nm in names(sets)) {
  s <- sets[[nm]]
  for (k in ks[[nm]]) for (m in methods) {
    rr <- if (k == 1) "none" else c(rots, if (nm %in% c("harman74", "thurstone")) extra_rots)
    unrot <- NULL
    for (rot in rr) {
      f <- tryCatch(
        if (s$cor) fa(s$x, k, n.obs = s$n, fm = m, rotate = rot, warnings = FALSE)
        else fa(s$x, k, fm = m, rotate = rot, warnings = FALSE),
        error = function(e) NULL)
      if (is.null(f) || any(!is.finite(unclass(f$loadings)))) { cat("psych failed:", nm, k, m, rot, "\n"); next }
      if (rot == "none") unrot <- unclass(f$loadings)
      id <- id + 1
      writeLines(sprintf("case %d %s %d %s %s", id, nm, k, m, rot), out)
      write_psych_fit(blk, f, k)
      blk("values", matrix(f$values, 1))
      blk("e_values", matrix(f$e.values, 1))
      blk("structure", f$Structure)
      rm <- if (is.null(f$RMSEA)) rep(NaN, 3) else f$RMSEA[1:3]
      blk("stats", c(f$objective, if (is.null(f$STATISTIC)) NaN else f$STATISTIC, f$dof,
                     if (is.null(f$PVAL)) NaN else f$PVAL, rm,
                     if (is.null(f$TLI)) NaN else f$TLI, if (is.null(f$BIC)) NaN else f$BIC, f$rms))
      blk("criteria", f$criteria[1])
      blk("ss", matrix(f$Vaccounted[1, ], 1))
      blk("weights", f$weights)
      if (m != "pa") {
        r <- if (s$cor) cov2cor(s$x) else cor(s$x, use = "pairwise")
        psi0 <- 1 - f$communalities
        blk("psych_criterion", obj(psi0, r, k, m))
        op <- polish(psi0, r, k, m)
        cat(sprintf("polished %d %s %d %s %s: projected gradient %.2g after %d Newton steps\n", id, nm, k, m, rot, op$pg, op$newton))
        L0 <- loadings_at(op$par, r, k, m)
        rp <- rotate_psych(L0, rot)
        np <- if (s$cor) NULL else pairwiseCount(s$x)
        st <- fa.stats(r, rp$L, if (ncol(rp$L) > 1 && rot %in% c("promax", "oblimin", "geominQ", "quartimin", "bentlerQ")) rp$Phi else NULL,
                       n.obs = if (s$cor) s$n else nrow(s$x), np.obs = np, alpha = .1)
        blk("polished_criterion", op$value)
        blk("polished_psi", matrix(op$par, 1))
        write_polished(blk, r, L0, rp, st)
      }
      if (!is.null(unrot)) blk("unrotated", unrot)
      if (!s$cor && rot %in% c("none", "oblimin") && k > 1) {
        fb <- factor.scores(s$x, f$loadings, Phi = f$Phi, method = "Bartlett")
        blk("weights_bartlett", fb$weights)
        blk("scores_head", head(f$scores, 5))
        blk("scores_bartlett_head", head(fb$scores, 5))
      }
      writeLines("end", out)
    }
  }
}
close(out)
cat("cases:", id, "\n")
