# Reference values for tests/check_fa_cor.c: R's cor(method = "spearman" / "kendall") and psych
# 2.2.9's fa(cor = "spearman" / "kendall") on the first 300 rows and 8 columns of bfi.csv (written by
# make_reference.R; it has missing values, so pairwise and listwise deletion differ). Run from this
# directory:  Rscript make_reference_cor.R   Writes reference_cor.txt in reference.txt's block
# format: case <id> bfi300 <k> minres <rotation>, blocks cor_pairwise, cor_listwise and psych's fit
# (loadings, phi, uniquenesses) with use = "pairwise".
source("reference_common.R")
options(warn = 1)
out <- file("reference_cor.txt", "w")
blk <- block_writer(out)
x <- rcsv("bfi")[1:300, 1:8]
stopifnot(anyNA(x))
for (m in c("spearman", "kendall")) {
  writeLines(sprintf("case %s bfi300 2 minres oblimin", m), out)
  blk("cor_pairwise", cor(x, use = "pairwise", method = m))
  blk("cor_listwise", cor(x, use = "complete.obs", method = m))
  f <- fa(x, 2, cor = m, warnings = FALSE)
  write_psych_fit(blk, f, 2)
  writeLines("end", out)
}
close(out)
