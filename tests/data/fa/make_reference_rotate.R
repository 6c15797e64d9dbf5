# Reference values for tests/check_fa_rotate.c (target, partially specified target, simplimax,
# biquartimin, plain Promax), produced with R's psych (2.2.9) and GPArotation (2022.10-2) from
# the data sets make_reference.R writes. Run from this directory:  Rscript make_reference_rotate.R
# Writes reference_rotate.txt in reference.txt's block format. Each case:
#   unrotated   psych::fa(rotate = "none")'s loadings (the input of the rotation)
#   target      the target pattern (NaN = unspecified), target cases only
#   loadings, phi   the rotation of `unrotated` by GPArotation / psych (targetT, targetQ, pstT,
#                   pstQ, simplimax, psych's biquartimin and Promax; defaults eps 1e-5, maxit
#                   1000, no Kaiser normalisation), then psych's sign and order conventions
#   fa_loadings, fa_phi   psych::fa(rotate = <name>)'s own result on the same data (for the
#                   end-to-end fit, compared at psych's extraction accuracy)
source("reference_common.R")
options(warn = 1)
out <- file("reference_rotate.txt", "w")
blk <- block_writer(out)

conventions <- function(L, Phi) {
  L <- unclass(L)
  sg <- col_signs(L)
  L <- L %*% diag(sg, ncol(L))
  Phi <- diag(sg, ncol(L)) %*% Phi %*% diag(sg, ncol(L))
  ev <- diag(Phi %*% t(L) %*% L)
  o <- order(ev, decreasing = TRUE)
  list(L = L[, o, drop = FALSE], Phi = Phi[o, o, drop = FALSE])
}

# a target with 1 on an item's own factor and 0 elsewhere; `na` entries made unspecified
block_target <- function(groups, k, na = NULL) {
  p <- length(groups)
  B <- matrix(0, p, k)
  B[cbind(seq_len(p), groups)] <- 1
  if (!is.null(na)) B[na] <- NA
  B
}

cases <- list(
  list(id = "t1", set = "thurstone", n = 213, k = 3, rot = "targetT",
       target = block_target(rep(1:3, each = 3), 3)),
  list(id = "t2", set = "thurstone", n = 213, k = 3, rot = "targetQ",
       target = block_target(rep(1:3, each = 3), 3)),
  list(id = "t3", set = "thurstone", n = 213, k = 3, rot = "targetT",
       target = block_target(rep(1:3, each = 3), 3, na = cbind(c(1, 4, 7, 8, 9), c(2, 3, 1, 1, 2)))),
  list(id = "t4", set = "thurstone", n = 213, k = 3, rot = "targetQ",
       target = block_target(rep(1:3, each = 3), 3, na = cbind(c(1, 4, 7, 8, 9), c(2, 3, 1, 1, 2)))),
  list(id = "t5", set = "harman74", n = 145, k = 4, rot = "targetQ",
       target = block_target(c(rep(1, 4), rep(2, 5), rep(3, 4), rep(4, 6), 1, 2, 3, 4, 2), 4)),
  list(id = "t6", set = "holzinger", n = 355, k = 3, rot = "targetT",
       target = block_target(c(1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3), 3, na = cbind(c(2, 6, 11), c(3, 1, 2)))),
  list(id = "s1", set = "thurstone", n = 213, k = 3, rot = "simplimax"),
  list(id = "s2", set = "harman74", n = 145, k = 4, rot = "simplimax"),
  list(id = "s3", set = "holzinger", n = 355, k = 3, rot = "simplimax"),
  list(id = "b1", set = "thurstone", n = 213, k = 3, rot = "biquartimin"),
  list(id = "b2", set = "harman74", n = 145, k = 4, rot = "biquartimin"),
  list(id = "b3", set = "holzinger", n = 355, k = 4, rot = "biquartimin"),
  list(id = "p1", set = "thurstone", n = 213, k = 3, rot = "Promax"),
  list(id = "p2", set = "harman74", n = 145, k = 4, rot = "Promax"),
  list(id = "p3", set = "holzinger", n = 355, k = 2, rot = "Promax"),
  list(id = "p4", set = "ability", n = 112, k = 2, rot = "Promax"))

for (cs in cases) {
  x <- rcsv(cs$set)
  r <- cov2cor(x)
  f0 <- fa(r, cs$k, n.obs = cs$n, rotate = "none", warnings = FALSE)
  A <- unclass(f0$loadings)
  B <- cs$target
  pst <- !is.null(B) && anyNA(B)
  rot <- switch(cs$rot,
    targetT = if (pst) pstT(A, W = 1 * !is.na(B), Target = ifelse(is.na(B), 0, B)) else targetT(A, Target = B),
    targetQ = if (pst) pstQ(A, W = 1 * !is.na(B), Target = ifelse(is.na(B), 0, B)) else targetQ(A, Target = B),
    simplimax = simplimax(A),
    biquartimin = biquartimin(A),
    Promax = Promax(A))
  Phi <- if (is.null(rot$Phi)) diag(cs$k) else rot$Phi
  cv <- conventions(rot$loadings, Phi)
  # psych's own end-to-end fit (its Target argument travels as GPFoblq's methodArgs: a list)
  ff <- if (is.null(B)) fa(r, cs$k, n.obs = cs$n, rotate = cs$rot, warnings = FALSE)
        else if (!pst) fa(r, cs$k, n.obs = cs$n, rotate = cs$rot, Target = B, warnings = FALSE)
        else NULL
  writeLines(sprintf("case %s %s %d minres %s", cs$id, cs$set, cs$k, cs$rot), out)
  blk("unrotated", A)
  if (!is.null(B)) blk("target", B)
  blk("loadings", cv$L)
  blk("phi", cv$Phi)
  if (!is.null(rot$convergence)) blk("converged", matrix(as.numeric(rot$convergence), 1))
  if (!is.null(ff)) {
    blk("fa_loadings", unclass(ff$loadings))
    blk("fa_phi", if (is.null(ff$Phi)) diag(cs$k) else ff$Phi)
  }
  writeLines("end", out)
}
close(out)
