# Reference values for tests/check_fa_wls.c: psych 2.2.9's fa(fm = "wls" / "gls") and random
# rotation starts (GPArotation 2022.10-2). Run from this directory:  Rscript make_reference_wls.R
# Reads the CSV data sets written by make_reference.R; writes reference_wls.txt in the same block
# format as reference.txt:
#   case <id> <data set> <k> <method> <rotation>
#   <name> <rows> <cols> <values row-major ...>
#   end
# psych's own wls/gls results (loadings, phi, uniquenesses, communality, stats, psych_criterion =
# psych's objective at psych's psi) and "polished_*" blocks: psych's wls/gls objective
# (its fit.residuals, re-stated below) minimised with optim L-BFGS-B (factr 1, pgtol 0, psych's
# bounds and parscale) and the exact gradient below, from psych's start (psi = SMC) and from
# psych's end point, the lower kept; then psych's FAout.wls loadings, psych's rotation, sign and
# order conventions (stats::varimax, GPArotation::oblimin), fa.stats and factor.scores.
# Why: psych hands optim the ML gradient (FAgr.minres2) for these objectives, so its own runs stop
# far from the minimum (psi off by up to 0.5); `polished_start` says which start gave the minimum
# (0 = psych's SMC start, 1 = psych's end point).
# (the block writer, rcsv, the eigen-perturbation gradient and psych's rotation conventions are in
# reference_common.R)
source("reference_common.R")
options(warn = 1)

out <- file("reference_wls.txt", "w")
blk <- block_writer(out)

# psych's fit.residuals for wls / gls
wobj <- function(psi, r, k, fm, ri) {
  res <- ls_residual(psi, r, k)
  if (fm == "wls") { d <- 1 / diag(ri); sum(outer(d, d) * res^2) } else sum((ri %*% res)^2)
}
# its exact gradient by first-order eigen-perturbation (checked against central differences below)
# (eigen_grad with dF = <G, dres>: G = 2 (d d') * res for wls, d = 1 / diag(R^-1); G = C res + res C,
# C = R^-1 R^-1, for gls)
wgrad <- function(psi, r, k, fm, ri)
  eigen_grad(psi, r, k, if (fm == "wls") { d <- 1 / diag(ri); function(res) 2 * outer(d, d) * res }
                        else { c2 <- ri %*% ri; function(res) c2 %*% res + res %*% c2 })
loadings_ls <- function(psi, r, k) { # psych's FAout.wls, then the sign convention
  s <- r; diag(s) <- diag(s) - psi
  L <- eigen_loadings(s, k)
  L %*% diag(col_signs(L), k)
}

sets <- list(harman74 = list(x = rcsv("harman74"), n = 145, cor = TRUE),
             thurstone = list(x = rcsv("thurstone"), n = 213, cor = TRUE),
             ability = list(x = rcsv("ability"), n = 112, cor = TRUE),
             bfi_complete = list(x = rcsv("bfi_complete"), n = NA, cor = FALSE))
ks <- list(harman74 = c(1, 2, 4), thurstone = c(1, 2, 3, 4), ability = c(1, 2), bfi_complete = c(3))

# gradient check
r <- cov2cor(sets$harman74$x); ri <- solve(r)
set.seed(1); psi <- runif(ncol(r), .1, .9)
for (fm in c("wls", "gls")) for (k in 1:3) {
  ng <- central_diff(function(x) wobj(x, r, k, fm, ri), psi)
  stopifnot(max(abs(ng - wgrad(psi, r, k, fm, ri))) < 1e-7)
}

id <- 0
for (nm in names(sets)) {
  s <- sets[[nm]]
  r <- if (s$cor) cov2cor(s$x) else cor(s$x)
  n <- if (s$cor) s$n else nrow(s$x)
  ri <- solve(r)
  p <- ncol(r)
  for (k in ks[[nm]]) for (m in c("wls", "gls")) {
    rots <- if (k == 1) "none" else c("none", "varimax", "oblimin")
    for (rot in rots) {
      f <- if (s$cor) fa(s$x, k, n.obs = s$n, fm = m, rotate = rot, warnings = FALSE)
           else fa(s$x, k, fm = m, rotate = rot, warnings = FALSE)
      id <- id + 1
      writeLines(sprintf("case %d %s %d %s %s", id, nm, k, m, rot), out)
      write_psych_fit(blk, f, k)
      rm <- if (is.null(f$RMSEA)) rep(NaN, 3) else f$RMSEA[1:3]
      blk("stats", c(f$objective, f$STATISTIC, f$dof, f$PVAL, rm, f$TLI, f$BIC, f$rms))
      psi0 <- 1 - f$communalities
      blk("psych_criterion", wobj(psi0, r, k, m, ri))
      ctl <- list(factr = 1, pgtol = 0, maxit = 10000, parscale = rep(.01, p))
      o1 <- optim(smc(r), wobj, wgrad, method = "L-BFGS-B", lower = .005, upper = max(smc(r), 1),
                  control = ctl, r = r, k = k, fm = m, ri = ri)
      o2 <- optim(psi0, wobj, wgrad, method = "L-BFGS-B", lower = .005, upper = max(smc(r), 1),
                  control = ctl, r = r, k = k, fm = m, ri = ri)
      start <- if (o1$value <= o2$value * (1 + 1e-10)) 0 else 1
      op <- if (start == 0) o1 else o2
      L0 <- loadings_ls(op$par, r, k)
      rp <- rotate_psych(L0, rot)
      st <- fa.stats(r, rp$L, if (rot == "oblimin") rp$Phi else NULL, n.obs = n,
                     np.obs = if (s$cor) NULL else pairwiseCount(s$x), alpha = .1)
      blk("polished_start", start)
      blk("polished_criterion", op$value)
      blk("polished_psi", matrix(op$par, 1))
      blk("polished_unrotated", L0)
      write_polished(blk, r, L0, rp, st)
      writeLines("end", out)
    }
  }
}

# ---- random rotation starts: geominT (delta .01) on Thurstone's converged 3-factor minres
# loadings (psych's objective polished with factr = 1 as in make_reference.R). From the identity
# GPArotation stops in a local minimum; GPArotation::Random.Start over 500 seeded starts finds the
# global one (rotation_best; `rotation_hits` = how many starts reached it within 1e-8).
r <- cov2cor(sets$thurstone$x)
mobj <- function(psi, r, k) { s <- r; diag(s) <- 1 - psi; E <- eigen(s, symmetric = TRUE)
  v <- pmax(E$values[1:k], 100 * .Machine$double.eps)
  L <- E$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(v), k); res <- s - L %*% t(L); sum(res[lower.tri(res)]^2) }
mgrad <- function(psi, r, k) { L <- eigen_loadings(r - diag(psi), k); 2 * diag(L %*% t(L) + diag(psi) - r) }
f3 <- fa(r, 3, n.obs = 213, fm = "minres", rotate = "none", warnings = FALSE)
op <- optim(1 - f3$communalities, mobj, mgrad, method = "L-BFGS-B", lower = .005, upper = 1,
            control = list(factr = 1, pgtol = 0, maxit = 10000, parscale = rep(.01, ncol(r))), r = r, k = 3)
A <- loadings_ls(op$par, r, 3)
crit <- function(g) g$Table[nrow(g$Table), 2]
g0 <- GPArotation::geominT(A)
set.seed(2024)
fs <- sapply(1:500, function(i) crit(GPArotation::geominT(A, Tmat = Random.Start(3))))
set.seed(2024)
best <- NULL; bf <- Inf
for (i in 1:500) { g <- GPArotation::geominT(A, Tmat = Random.Start(3)); if (crit(g) < bf - 1e-12) { bf <- crit(g); best <- g } }
id <- id + 1
writeLines(sprintf("case %d thurstone 3 minres geominT", id), out)
blk("unrotated", A)
blk("rotation_identity", crit(g0))
blk("rotation_best", min(fs))
blk("rotation_hits", sum(fs < min(fs) + 1e-8))
blk("identity_loadings", rotate_psych(A, "geominT")$L)
L <- unclass(best$loadings); L <- L %*% diag(col_signs(L), 3)
L <- L[, order(colSums(L^2), decreasing = TRUE)]
blk("best_loadings", L)
writeLines("end", out)
close(out)
cat("cases:", id, "\n")
