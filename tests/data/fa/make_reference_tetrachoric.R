# Reference tetrachoric and polychoric correlations for tests/check_fa.c (test_tetrachoric,
# test_polychoric), produced with R's psych (2.2.9). Run from this directory:
#   Rscript make_reference_tetrachoric.R
# Writes:
#   ability_bin.csv — the first 10 items of psychTools' `ability` (binary 0/1 ICAR items, 1525 rows,
#                     NA = missing; psychTools 2.2.9 is GPL-2 | GPL-3; ICAR items);
#   tetra_zero.csv  — 60 simulated binary rows (3 items) whose first two items are never both 1
#                     (a zero cell: psych's correct = 0.5);
#   poly_bfi.csv    — the first 10 bfi items (6 categories), rows 1..1000 of psych's bfi (NA = missing);
#   poly_mixed.csv  — 300 rows of bfi items A1, A2, C1 and C2 recoded to 3 categories (unequal
#                     numbers of categories: psych's per-pair rule with its zero-cell correction);
#   tetrachoric_reference.txt — reference.txt's block format: psych::tetrachoric(x)$rho and $tau
#                     (defaults: correct = .5, smooth = TRUE, global = TRUE), and for ability_bin
#                     fa(rho, 2, n.obs = 1525) loadings (minres, oblimin); psych::polychoric(x)$rho
#                     (defaults) for poly_bfi and poly_mixed. The case line's method field says which.
source("reference_common.R") # psych, GPArotation, the block writer and wcsv
suppressPackageStartupMessages(library(psychTools))
out <- file("tetrachoric_reference.txt", "w")
blk <- block_writer(out)
a <- as.matrix(ability[, 1:10])
wcsv(a, "ability_bin.csv")
set.seed(11)
z <- matrix(rbinom(180, 1, .35), 60, 3)
z[z[, 1] == 1 & z[, 2] == 1, 2] <- 0
colnames(z) <- c("Z1", "Z2", "Z3")
wcsv(z, "tetra_zero.csv")
for (nm in c("ability_bin", "tetra_zero")) {
  x <- if (nm == "ability_bin") a else z
  tt <- suppressMessages(suppressWarnings(tetrachoric(x)))
  writeLines(sprintf("case %s %s 0 tetrachoric none", nm, nm), out)
  blk("rho", tt$rho)
  blk("tau", matrix(tt$tau, 1))
  if (nm == "ability_bin") {
    f <- fa(tt$rho, 2, n.obs = nrow(x), fm = "minres", rotate = "oblimin", warnings = FALSE)
    blk("loadings", f$loadings)
  }
  writeLines("end", out)
}
pb <- as.matrix(bfi[1:1000, 1:10])
wcsv(pb, "poly_bfi.csv")
pm <- as.matrix(bfi[1001:1300, c("A1", "A2", "C1", "C2")])
pm[, "C2"] <- cut(pm[, "C2"], c(0, 2, 4, 6), labels = FALSE)
wcsv(pm, "poly_mixed.csv")
for (nm in c("poly_bfi", "poly_mixed")) {
  x <- if (nm == "poly_bfi") pb else pm
  pc <- suppressMessages(suppressWarnings(polychoric(x)))
  writeLines(sprintf("case %s %s 0 polychoric none", nm, nm), out)
  blk("rho", pc$rho)
  writeLines("end", out)
}
close(out)
