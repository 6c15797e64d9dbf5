# Helpers shared by the make_reference*.R scripts in this directory; each does
#   source("reference_common.R")
# and is run from here (cd tests/data/fa && Rscript make_reference.R). Loads psych (2.2.9, checked)
# and GPArotation.
suppressPackageStartupMessages({ library(psych); library(GPArotation) })
stopifnot(as.character(packageVersion("psych")) == "2.2.9")

# ---- files
num <- function(x) paste(sprintf("%.17g", x), collapse = " ")
wcsv <- function(x, file) write.csv(x, file, row.names = FALSE, na = "NA", quote = FALSE)
rcsv <- function(nm) as.matrix(read.csv(paste0(nm, ".csv"), na.strings = "NA"))
# one line of the reference block format on connection con: <name> <rows> <cols> <values row-major>
# (17 significant digits, NA written as NaN)
blk_write <- function(con, name, x) {
  x <- as.matrix(unclass(x))
  x[is.na(x)] <- NaN
  writeLines(sprintf("%s %d %d %s", name, nrow(x), ncol(x), num(t(x))), con)
}
# blk(name, x) bound to one connection: blk <- block_writer(out)
block_writer <- function(con) function(name, x) blk_write(con, name, x)

# ---- numerics
# central differences of f at x along the coordinates idx (f may return a vector: one column each)
central_diff <- function(f, x, h = 1e-6, idx = seq_along(x))
  sapply(idx, function(i) { a <- x; b <- x; a[i] <- a[i] + h; b[i] <- b[i] - h; (f(a) - f(b)) / (2 * h) })
# psych's fit.residuals residual for the least-squares family (minres, uls, wls, gls): S* = R with
# diagonal 1 - psi, minus its first k eigenpairs, eigenvalues below eps set to 100 eps
ls_residual <- function(psi, r, k) {
  s <- r; diag(s) <- 1 - psi
  E <- eigen(s, symmetric = TRUE)
  v <- E$values[1:k]; v[v < .Machine$double.eps] <- 100 * .Machine$double.eps
  L <- E$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(v), k)
  s - L %*% t(L)
}
# exact gradient in psi of f = F(res), res = ls_residual(psi, r, k), by first-order eigen-perturbation
# of res = S* - V_k diag(mu) V_k' (mu = the clamped eigenvalues); gfun(res) gives G with dF = <G, dres>
# (uls: 2 res; minres: res with zero diagonal; wls / gls: see make_reference_wls.R)
eigen_grad <- function(psi, r, k, gfun) {
  p <- length(psi)
  s <- r; diag(s) <- 1 - psi
  E <- eigen(s, symmetric = TRUE)
  lam <- E$values; V <- E$vectors
  free <- lam[1:k] >= .Machine$double.eps
  mu <- ifelse(free, lam[1:k], 100 * .Machine$double.eps)
  res <- s - V[, 1:k, drop = FALSE] %*% diag(mu, k) %*% t(V[, 1:k, drop = FALSE])
  G <- gfun(res)
  H <- t(V) %*% G %*% V
  g <- -diag(G)
  for (j in 1:k) {
    if (free[j]) g <- g + H[j, j] * V[, j]^2
    for (l in 1:p) {
      if (l == j || (l <= k && l < j)) next
      coef <- if (l <= k) { if (free[j] && free[l]) 1 else (mu[j] - mu[l]) / (lam[j] - lam[l]) } else mu[j] / (lam[j] - lam[l])
      g <- g + 2 * coef * H[l, j] * V[, l] * V[, j]
    }
  }
  g
}
# the first k principal axes of s scaled by the square roots of their (non-negative) eigenvalues
eigen_loadings <- function(s, k) {
  E <- eigen(s, symmetric = TRUE)
  E$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:k], 0)), k)
}

# ---- psych's conventions
# psych's column signs: each factor's loadings sum to a non-negative value
col_signs <- function(L) { sg <- sign(colSums(L)); sg[sg == 0] <- 1; sg }
# psych's rotation of L (stats::varimax, psych's kaiser Promax and equamax, GPArotation for the rest),
# then its sign and order conventions (factors by decreasing variance accounted for)
rotate_psych <- function(L, rot) {
  Phi <- NULL
  if (ncol(L) > 1 && rot != "none") {
    if (rot == "varimax") L <- stats::varimax(L)$loadings
    else if (rot == "promax") { pr <- kaiser(L, rotate = "Promax"); L <- pr$loadings; Phi <- pr$Phi }
    else if (rot == "equamax") L <- equamax(L)$loadings
    else if (rot %in% c("quartimax", "geominT", "bentlerT")) L <- getFromNamespace(rot, "GPArotation")(L)$loadings
    else { ob <- getFromNamespace(rot, "GPArotation")(L); L <- ob$loadings; Phi <- ob$Phi }
  }
  L <- unclass(L)
  sg <- col_signs(L)
  L <- L %*% diag(sg, ncol(L))
  if (!is.null(Phi)) Phi <- diag(sg, ncol(L)) %*% Phi %*% diag(sg, ncol(L))
  if (ncol(L) > 1) {
    ev <- if (is.null(Phi)) diag(t(L) %*% L) else diag(Phi %*% t(L) %*% L)
    o <- order(ev, decreasing = TRUE)
    L <- L[, o, drop = FALSE]
    if (!is.null(Phi)) Phi <- Phi[o, o]
  }
  list(L = L, Phi = if (is.null(Phi)) diag(ncol(L)) else Phi)
}
# the first blocks of a fit case: psych::fa's own loadings, Phi (identity for k factors when
# orthogonal), uniquenesses and communality
write_psych_fit <- function(blk, f, k) {
  blk("loadings", f$loadings)
  blk("phi", if (is.null(f$Phi)) diag(k) else f$Phi)
  blk("uniquenesses", matrix(f$uniquenesses, 1))
  blk("communality", matrix(f$communality, 1))
}
# the polished_* blocks both fit scripts end a case with: rp = rotate_psych(L0, rot) of the unrotated
# polished loadings L0, st = psych's fa.stats there; uniquenesses and eigenvalues (of R with the
# communalities on the diagonal) from L0, regression score weights from psych's factor.scores
write_polished <- function(blk, r, L0, rp, st) {
  h2 <- rowSums(L0^2)
  sm <- r; diag(sm) <- h2
  blk("polished_loadings", rp$L)
  blk("polished_phi", rp$Phi)
  blk("polished_uniquenesses", matrix(1 - h2, 1))
  blk("polished_values", matrix(eigen(sm)$values, 1))
  blk("polished_stats", c(st$objective, st$STATISTIC, st$dof, st$PVAL, st$RMSEA[1:3], st$TLI, st$BIC, st$rms))
  blk("polished_weights", factor.scores(r, rp$L, Phi = rp$Phi, method = "regression")$weights)
}
