# Reference values for tests/check_fa_bootstrap.c: bootstrap distributions of psych 2.2.9 fits.
# Run from this directory:  Rscript make_reference_bootstrap.R   Writes reference_bootstrap.txt
# (reference.txt's block format) for the columns A1..A5, C1..C5 of bfi_complete.csv (2436 rows,
# written by make_reference.R), 2 factors, minres, oblimin:
#   full_loadings, full_phi   psych::fa on all rows
#   mean, sd, lower, upper    over B = 500 resamples of the rows (seed 11): psych::fa refitted on each,
#                             its factors aligned to the full solution by order and sign as the library
#                             does (the permutation with the largest sum of |Tucker congruence|, then
#                             positive congruence; Phi alike); each block: loadings (10 x 2), Phi (2 x 2),
#                             communality (10), flattened row-major into one row; lower / upper = type-7
#                             quantiles .025 / .975
#   psych_means               psych's own fa(n.iter = 500)$cis$means (its target.rot alignment)
# The random streams differ from the library's, so the test compares within Monte Carlo error.
source("reference_common.R")
options(warn = 1)
out <- file("reference_bootstrap.txt", "w")
blk <- block_writer(out)
x <- rcsv("bfi_complete")[, c(1:10)]
n <- nrow(x); k <- 2; B <- 500
f <- fa(x, k, warnings = FALSE)
L0 <- unclass(f$loadings)
align <- function(L, Phi, comm) {
  cg <- t(L0) %*% L / sqrt(outer(colSums(L0^2), colSums(L^2)))
  perms <- list(c(1, 2), c(2, 1))
  sums <- sapply(perms, function(pm) sum(abs(cg[cbind(1:k, pm)])))
  pm <- perms[[which.max(sums)]]
  sg <- sign(cg[cbind(1:k, pm)]); sg[sg == 0] <- 1
  La <- L[, pm] %*% diag(sg); Pa <- diag(sg) %*% Phi[pm, pm] %*% diag(sg)
  c(t(La), t(Pa), comm)
}
set.seed(11)
reps <- t(sapply(1:B, function(b) {
  fs <- fa(x[sample(n, n, replace = TRUE), ], k, warnings = FALSE)
  align(unclass(fs$loadings), fs$Phi, fs$communality)
}))
writeLines("case boot bfi_complete10 2 minres oblimin", out)
blk("full_loadings", L0)
blk("full_phi", f$Phi)
blk("mean", matrix(colMeans(reps), 1))
blk("sd", matrix(apply(reps, 2, sd), 1))
blk("lower", matrix(apply(reps, 2, quantile, .025, type = 7), 1))
blk("upper", matrix(apply(reps, 2, quantile, .975, type = 7), 1))
set.seed(11)
fi <- fa(x, k, n.iter = B, warnings = FALSE)
blk("psych_means", unclass(fi$cis$means))
writeLines("end", out)
close(out)
