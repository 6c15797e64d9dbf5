# Reference values for tests/check_fa_omega.c (omega, congruence, per-step convergence, fit
# extras), from R's psych (2.2.9) and GPArotation. Run from this directory:
#   Rscript make_reference_omega.R
# Writes longley.csv (R datasets::longley's correlation matrix, n = 16: a nearly singular real
# matrix) and reference_omega.txt in reference.txt's block format:
#  * "omega" cases (psych::omega with its defaults but the data set, nfactors and fm / rotate
#    given on the case line, and a targetQ case's Target as its "target" block; plot = FALSE): omega_total, omega_h, omega_lim, alpha, G6, ECV,
#    sl (schmid$sl: g, F1*..Fk*, h2, u2, p2), group (omega.group: total, general, group),
#    oblique (schmid$oblique), phi (schmid$phi), gload (schmid$gloading), key; and polished_*:
#    the same with the general factor's one-factor fit of Phi converged (polish_g below; psych
#    stops early when a psi of that fit reaches its bound) and psych's remaining steps
#    (transcribed in sl_omega, checked against psych's own output to 1e-12);
#  * "congruence" cases: two loading matrices a, b (psych::fa on the set), psych::factor.congruence
#    (a, b) as `phi` (digits = 17), and independently of the library's matching: the best column
#    permutation by brute force over all permutations (maximal sum of |phi|) as `perm` (1-based)
#    and the reflected, permuted matrix as `matched`; `procrustes`: factor.congruence(a, b %*% T)
#    with T = U V' from svd(t(b) %*% a);
#  * "longley": psych::fa(R, 2, n.obs = 16, fm = "ml") uniquenesses and objective;
#  * "extras" (e3: raw bfi with missing values, pairwise counts): psych::fa residual, BIC, SABIC, EBIC, ESABIC, crms, R2 (factor determinacy
#    squared: multiple correlations of the scores with the factors) and regression weights.
source("reference_common.R")
options(warn = 1)
wcsv(round(cor(longley), 15), "longley.csv")
out <- file("reference_omega.txt", "w")
blk <- block_writer(out)
load_set <- function(set) {
  x <- rcsv(set)
  if (set == "bfi_complete") x else { rownames(x) <- colnames(x); x }
}
nobs <- c(harman74 = 145, thurstone = 213, holzinger = 355, ability = 112, longley = 16,
          harman_holzinger = 696, bfi_complete = 2436)
omega_cases <- list(
  list(id = "o1", set = "thurstone", k = 3, fm = "minres", rot = "oblimin"),
  list(id = "o2", set = "harman74", k = 4, fm = "minres", rot = "oblimin"),
  list(id = "o3", set = "holzinger", k = 3, fm = "minres", rot = "oblimin"),
  list(id = "o4", set = "bfi_complete", k = 5, fm = "minres", rot = "oblimin"),
  list(id = "o5", set = "harman74", k = 2, fm = "minres", rot = "oblimin"),
  list(id = "o6", set = "harman74", k = 3, fm = "ml", rot = "oblimin"),
  list(id = "o7", set = "thurstone", k = 3, fm = "pa", rot = "promax"),
  list(id = "o8", set = "thurstone", k = 3, fm = "minres", rot = "simplimax"),
  list(id = "o9", set = "harman74", k = 4, fm = "minres", rot = "biquartimin"),
  list(id = "o10", set = "holzinger", k = 3, fm = "minres", rot = "Promax"),
  list(id = "o11", set = "thurstone", k = 3, fm = "minres", rot = "targetQ",
       target = cbind(rep(c(1, 0, 0), each = 3), rep(c(0, 1, 0), each = 3), rep(c(0, 0, 1), each = 3))))
# (the target of o11 is passed on to GPArotation::targetQ through omega's `...` and written as the
# case's "target" block)
# psych's one-factor fa() of Phi stops early when a psi reaches its bound (a Heywood case of the
# general factor: Holzinger, 3 factors); polish_g minimises the same criterion (minres: lower-
# triangle residual SS of psych's fit.residuals, uls: full; ml: psych's objective is not needed,
# its fits here are interior) to convergence from psych's psi, with the bounds (0.005, 1)
polish_g <- function(phi, fm, g0) {
  if (nrow(phi) == 2 || !(fm %in% c("minres", "uls"))) return(g0)
  crit <- function(psi) { res <- ls_residual(psi, phi, 1); if (fm == "uls") sum(res^2) else sum(res[lower.tri(res)]^2) }
  psi0 <- pmin(pmax(1 - g0^2, 0.005), 1)
  o <- optim(psi0, crit, method = "L-BFGS-B", lower = 0.005, upper = 1, control = list(factr = 0, pgtol = 0, maxit = 10000))
  o <- optim(o$par, crit, method = "L-BFGS-B", lower = 0.005, upper = 1, control = list(factr = 0, pgtol = 0, maxit = 10000))
  s <- phi; diag(s) <- 1 - o$par
  g <- eigen_loadings(s, 1)[, 1]
  if (sum(g) < 0) g <- -g
  cat(sprintf("  general factor: psych's criterion %.10g, polished %.10g, max |g change| %.2g\n", crit(pmin(pmax(1 - g0^2, .005), 1)), o$value, max(abs(g - g0))))
  g
}
# psych's schmid() and omegah() steps after the general loadings (transcribed): the omega outputs
# for oblique pattern fl, Phi's general loadings g, varimax communalities h2 and correlations r
sl_omega <- function(fl, g, h2, r) {
  k <- ncol(fl); p <- nrow(fl)
  gp <- drop(fl %*% g)
  u2 <- 1 - fl^2
  uniq2 <- 1 - u2 - (fl %*% diag(g, k))^2; uniq2[uniq2 < 0] <- 0
  sl <- cbind(gp, sign(fl) * sqrt(uniq2), h2, 1 - h2, gp^2 / h2)
  key <- ifelse(gp < 0, -1, 1)
  sl[, 1:(k + 1)] <- diag(key) %*% sl[, 1:(k + 1)]
  m <- diag(key) %*% r %*% diag(key)
  Vt <- sum(m); gs <- sum(sl[, 1])^2; un <- sum(sl[, k + 3])
  ev <- colSums(sl[, 1:(k + 1)]^2)
  sub <- apply(sl, 1, function(x) which.max(abs(x[2:(k + 1)])))
  grp <- matrix(NA, k + 1, 3); grs <- 0
  for (f in 1:k) {
    gi <- which(sub == f)
    if (length(gi) == 0) next
    Vg <- sum(m[gi, gi]); gr <- sum(sl[gi, f + 1]); gg <- sum(sl[gi, 1])
    grs <- grs + gr^2
    grp[f + 1, ] <- c((gr^2 + gg^2) / Vg, gg^2 / Vg, gr^2 / Vg)
  }
  grp[1, ] <- c((Vt - un) / Vt, gs / Vt, grs / Vt)
  list(coef = c((Vt - un) / Vt, gs / Vt, gs / (Vt - un), (Vt - p) / Vt * p / (p - 1),
                (Vt + sum(smc(m)) - p) / Vt, ev[1] / sum(ev)), sl = sl, group = grp)
}
for (cs in omega_cases) {
  x <- load_set(cs$set)
  cat(cs$id, cs$set, cs$k, "\n")
  om <- if (is.null(cs$target)) omega(x, nfactors = cs$k, fm = cs$fm, rotate = cs$rot, plot = FALSE, two.ok = TRUE)
        else omega(x, nfactors = cs$k, fm = cs$fm, rotate = cs$rot, plot = FALSE, two.ok = TRUE, Target = cs$target)
  writeLines(sprintf("case %s %s %d %s %s", cs$id, cs$set, cs$k, cs$fm, cs$rot), out)
  if (!is.null(cs$target)) blk("target", cs$target)
  blk("coefficients", matrix(c(om$omega.tot, om$omega_h, om$omega.lim, om$alpha, om$G6, om$ECV), 1))
  blk("sl", om$schmid$sl)
  blk("group", as.matrix(om$omega.group))
  blk("oblique", om$schmid$oblique)
  blk("phi", om$schmid$phi)
  blk("gload", matrix(om$schmid$gloading, 1))
  blk("key", matrix(om$key, 1))
  r <- if (nrow(x) == ncol(x)) cov2cor(x) else cor(x)
  g <- polish_g(om$schmid$phi, cs$fm, drop(om$schmid$gloading))
  po <- sl_omega(om$schmid$oblique, g, om$schmid$sl[, "h2"], r)
  # the transcription reproduces psych from psych's own general loadings
  chk <- sl_omega(om$schmid$oblique, drop(om$schmid$gloading), om$schmid$sl[, "h2"], r)
  stopifnot(max(abs(chk$coef - c(om$omega.tot, om$omega_h, om$omega.lim, om$alpha, om$G6, om$ECV))) < 1e-12,
            max(abs(chk$sl - om$schmid$sl)) < 1e-12, max(abs(chk$group - as.matrix(om$omega.group)), na.rm = TRUE) < 1e-12)
  blk("polished_gload", matrix(g, 1))
  blk("polished_coefficients", matrix(po$coef, 1))
  blk("polished_sl", po$sl)
  blk("polished_group", po$group)
  writeLines("end", out)
}
perms <- function(n) if (n == 1) matrix(1) else do.call(rbind, lapply(1:n, function(i) cbind(i, perms(n - 1) + (perms(n - 1) >= i))))
cong_cases <- list(
  list(id = "c1", set = "harman74", k = 4, a = c("minres", "varimax"), b = c("ml", "oblimin")),
  list(id = "c2", set = "thurstone", k = 3, a = c("minres", "oblimin"), b = c("pa", "quartimax")),
  list(id = "c3", set = "bfi_complete", k = 5, a = c("minres", "oblimin"), b = c("ml", "varimax")))
for (cs in cong_cases) {
  x <- load_set(cs$set)
  n <- if (cs$set == "bfi_complete") nrow(x) else nobs[[cs$set]]
  a <- unclass(fa(x, cs$k, n.obs = n, fm = cs$a[1], rotate = cs$a[2])$loadings)
  # b: columns reversed and the second reflected, so the matching has work to do
  b <- unclass(fa(x, cs$k, n.obs = n, fm = cs$b[1], rotate = cs$b[2])$loadings)[, cs$k:1]
  b[, 2] <- -b[, 2]
  phi <- factor.congruence(a, b, digits = 17)
  P <- perms(cs$k)
  score <- apply(P, 1, function(pm) sum(abs(phi[cbind(1:cs$k, pm)])))
  best <- P[which.max(score), ]
  m <- phi[, best]
  m <- m %*% diag(sign(diag(m)), cs$k)
  s <- svd(t(b) %*% a)
  writeLines(sprintf("case %s %s %d congruence none", cs$id, cs$set, cs$k), out)
  blk("a", a)
  blk("b", b)
  blk("phi", phi)
  blk("perm", matrix(best, 1))
  blk("matched", m)
  blk("procrustes", factor.congruence(a, b %*% (s$u %*% t(s$v)), digits = 17))
  writeLines("end", out)
}
r <- as.matrix(read.csv("longley.csv"))
f <- fa(r, 2, n.obs = 16, fm = "ml")
writeLines("case longley longley 2 ml oblimin", out)
blk("uniquenesses", matrix(f$uniquenesses, 1))
blk("objective", matrix(f$criteria[1], 1))
writeLines("end", out)
for (cs in list(list(id = "e1", set = "harman74", k = 3), list(id = "e2", set = "thurstone", k = 2),
                list(id = "e3", set = "bfi", k = 5))) {
  x <- if (cs$set == "bfi") rcsv("bfi") else load_set(cs$set)
  f <- if (cs$set == "bfi") fa(x, cs$k) else fa(x, cs$k, n.obs = nobs[[cs$set]])
  writeLines(sprintf("case %s %s %d minres oblimin", cs$id, cs$set, cs$k), out)
  blk("residual", f$residual)
  blk("fit", matrix(c(f$BIC, f$SABIC, f$EBIC, f$ESABIC, f$crms), 1))
  blk("R2", matrix(f$R2, 1))
  blk("weights", f$weights)
  writeLines("end", out)
}
close(out)
