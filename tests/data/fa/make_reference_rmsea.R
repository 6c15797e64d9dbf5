# Reference values for the non-central chi-square CDF and psych's RMSEA interval
# (tests/check_fa_rmsea.c), written to reference_rmsea.txt:
#   cd tests/data/fa && Rscript make_reference_rmsea.R
# R 4.2 stats::pchisq(q, df, ncp) (pnchisq) and psych 2.2.9 fa.stats.
#
# Lines (17 significant digits, NA where psych gives NA):
#   pnchisq <q> <df> <ncp> <P(X <= q)>
#   rmsea <label> <chi> <df> <n> <alpha> <rmsea> <lower> <upper>
# The rmsea lines of "fit:" labels are psych::fa fits of misspecified models (k fitted below the
# simulated number of factors; minres and ml; n from 200 to 100000, so that the non-centrality
# reaches the hundreds of thousands): chi = f$STATISTIC, df = f$dof and psych's f$RMSEA.
# The "grid:" labels are psych's RMSEA code (fa.stats 2.2.9, transcribed below as
# psych_rmsea and checked here against every fit: identical to the last bit) on a grid of chi,
# df and n with the edge cases chi = 0, df = 1 and 2 and non-centralities in the thousands.
source("reference_common.R")
out <- file("reference_rmsea.txt", "w")
writeLines(c("# written by make_reference_rmsea.R (R stats::pchisq and psych 2.2.9 fa.stats); see there",
             sprintf("# %s, psych %s", R.version.string, packageVersion("psych"))), out)
num1 <- function(x) if (is.na(x)) "NA" else sprintf("%.17g", x)

# ---- pnchisq on a grid, including ncp below and above R's method switch at 80, in the thousands
# and beyond, q = 0 and df small
qs <- c(0, 1e-3, 0.5, 3, 10, 60, 100, 500, 1000, 2500, 5000, 12000, 45000, 120000)
dfs <- c(1, 2, 3, 7.5, 10, 50, 300, 2000, 43360)
ncps <- c(0, 1e-6, 0.5, 5, 40, 79.9, 80, 150, 800, 2500, 5000, 20000, 80000)
for (q in qs) for (df in dfs) for (ncp in ncps)
  writeLines(sprintf("pnchisq %s %s %s %s", num1(q), num1(df), num1(ncp), num1(pchisq(q, df, ncp))), out)

# ---- psych's RMSEA code (fa.stats, psych 2.2.9), for the grid
psych_rmsea <- function(chi, dof, n.obs, conf.level = 0.1) {
  RMSEA <- sqrt(max(chi / (dof * n.obs) - 1 / (n.obs - 1), 0))
  tail <- conf.level / 2
  max <- max(n.obs, chi) + 2 * n.obs
  RMSEA.U <- 0
  if (pchisq(df = dof, q = chi) > tail) {
    RMSEA.U <- try(sqrt(uniroot(function(x) pchisq(df = dof, ncp = x, q = chi) - tail,
                                c(0, max))$root / (n.obs - 1) / dof), silent = TRUE)
    if (inherits(RMSEA.U, "try-error")) RMSEA.U <- if (RMSEA <= 0) 0 else NA
  }
  RMSEA.L <- 0
  if (pchisq(df = dof, q = chi) > (1 - tail)) {
    RMSEA.L <- try(sqrt(uniroot(function(x) pchisq(df = dof, ncp = x, q = chi) - 1 + tail,
                                c(0, max))$root / (n.obs - 1) / dof), silent = TRUE)
    if (inherits(RMSEA.L, "try-error")) RMSEA.L <- NA
  }
  if (!is.na(RMSEA.U) && RMSEA.U < RMSEA) RMSEA.U <- NA
  if (!is.na(RMSEA.L) && RMSEA.L > RMSEA) RMSEA.L <- NA
  c(RMSEA, RMSEA.L, RMSEA.U)
}
rmsea_line <- function(label, chi, dof, n, v, alpha = 0.1)
  writeLines(sprintf("rmsea %s %s %s %s %s %s %s %s", label, num1(chi), num1(dof), num1(n), num1(alpha),
                     num1(v[1]), num1(v[2]), num1(v[3])), out)

# ---- misspecified psych fits: data with kt factors, k < kt fitted
sim <- function(n, p, kt, seed) {
  set.seed(seed)
  L <- matrix(runif(p * kt, -.1, .15), p, kt)
  for (i in 1:p) L[i, (i %% kt) + 1] <- runif(1, .45, .8)
  matrix(rnorm(n * kt), n, kt) %*% t(L) + matrix(rnorm(n * p), n, p) %*% diag(sqrt(pmax(1 - rowSums(L^2), .1)))
}
fits <- list(
  list(n = 200, p = 30, kt = 6, ks = c(1, 2, 3, 5)),
  list(n = 5000, p = 30, kt = 6, ks = c(1, 3)),
  list(n = 100000, p = 40, kt = 8, ks = c(1, 4)),
  list(n = 5000, p = 100, kt = 10, ks = c(3, 5, 12)),
  list(n = 5000, p = 300, kt = 10, ks = c(5)))
for (s in fits) {
  x <- sim(s$n, s$p, s$kt, s$p * 1000 + s$kt)
  r <- cor(x)
  for (k in s$ks) for (m in c("minres", "ml")) {
    if (s$p >= 300 && m == "ml") next
    f <- fa(r, k, n.obs = s$n, fm = m, rotate = "oblimin", warnings = FALSE)
    chk <- psych_rmsea(f$STATISTIC, f$dof, s$n)
    stopifnot(identical(unname(f$RMSEA[1:3]), chk))
    rmsea_line(sprintf("fit:n%d_p%d_kt%d_k%d_%s", s$n, s$p, s$kt, k, m), f$STATISTIC, f$dof, s$n, f$RMSEA[1:3])
  }
}

# ---- psych's interval on a grid: chi = 0, df = 1, 2, ..., chi far above df (ncp in the thousands)
for (n in c(50, 1000, 100000)) for (dof in c(1, 2, 3, 10, 100, 5000)) {
  for (chi in unique(c(0, 0.01, dof / 2, dof, dof + 3 * sqrt(2 * dof), 3 * dof + 50, 20 * dof + 2000,
                       100 * dof + 20000))) {
    rmsea_line(sprintf("grid:n%d_df%d", n, dof), chi, dof, n, psych_rmsea(chi, dof, n))
  }
}
for (a in c(0.01, 0.05, 0.2)) rmsea_line("grid:alpha", 4321.5, 870, 5000, psych_rmsea(4321.5, 870, 5000, a), a)
close(out)
