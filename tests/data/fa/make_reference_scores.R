# Reference score weights for tests/check_fa.c (test_scores_tenberge_anderson), produced with R's
# psych (2.2.9) and GPArotation from the data sets make_reference.R writes. Run from this directory:
#   Rscript make_reference_scores.R
# Writes scores_reference.txt in reference.txt's block format: for each case psych::fa's loadings
# and Phi, the correlation matrix psych scored with, and psych::factor.scores' weights for
# "tenBerge" and "Anderson" (and "Thurstone", "Bartlett" as a cross-check).
source("reference_common.R") # the block writer and rcsv
options(warn = 1)
out <- file("scores_reference.txt", "w")
blk <- block_writer(out)
cases <- list(
  list(id = "s1", set = "harman74", cor = TRUE, k = 3, fm = "minres", rot = "oblimin"),
  list(id = "s2", set = "harman74", cor = TRUE, k = 4, fm = "ml", rot = "varimax"),
  list(id = "s3", set = "thurstone", cor = TRUE, k = 3, fm = "minres", rot = "promax"),
  list(id = "s4", set = "bfi_complete", cor = FALSE, k = 5, fm = "minres", rot = "oblimin"),
  list(id = "s5", set = "bfi_complete", cor = FALSE, k = 2, fm = "minres", rot = "varimax"))
for (cs in cases) {
  x <- rcsv(cs$set)
  r <- if (cs$cor) x else cor(x)
  f <- fa(r, cs$k, n.obs = 200, fm = cs$fm, rotate = cs$rot, warnings = FALSE)
  L <- unclass(f$loadings)
  Phi <- if (is.null(f$Phi)) diag(cs$k) else f$Phi
  writeLines(sprintf("case %s %s %d %s %s", cs$id, cs$set, cs$k, cs$fm, cs$rot), out)
  blk("loadings", L)
  blk("phi", Phi)
  for (m in c("tenBerge", "Anderson", "Thurstone", "Bartlett"))
    blk(paste0("w_", m), factor.scores(r, L, Phi = Phi, method = m)$weights)
  writeLines("end", out)
}
close(out)
