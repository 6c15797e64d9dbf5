# The R side of run_bench_fa_grid.sh: writes every input of the grid as CSV into DIR and times
# psych's fa() (or fa.parallel) on each cell, REPS times, in this one R session (R's start-up and
# library loading are timed separately by the shell script). Per cell <id>: <id>.time (one
# elapsed time per line), <id>.loadings.csv (psych's loadings, p x k, no header) and <id>.rmsea
# (psych's RMSEA, lower, upper).
#   Rscript bench_fa_grid.R DIR "P LIST" REPS
# Cells (cells.txt: id, input file, our options, p, true k, fitted k, method, kind):
#   p in P LIST (true k 5 at p = 100, else 10), k fitted below / at / above the true k
#   (true k / 2, true k, true k + 3), minres and ml, oblimin, n = 5000, input a correlation matrix
#   (fa(r, k, n.obs = 5000)) or raw data with 10% of the values missing at random (fa(x, k):
#   pairwise correlations, pairwise counts for the statistics);
#   polychoric: p = 50, n = 2000, 5 categories, true k 5, k = 2 / 5 / 8, minres (fa(x, k, cor = "poly"));
#   Heywood-prone: p = 300, true k 10 with six loadings of .97 - .99, n = 1000, k = 10 / 13, minres and ml
#   (n = 1000 > p: at n = p the sample correlation matrix is singular and psych's ml stops with
#   "L-BFGS-B needs finite values of 'fn'");
#   parallel analysis: p = 100, n = 5000, 100 iterations (fa.parallel(x, n.iter = 100)).
suppressPackageStartupMessages({ library(psych); library(GPArotation) })
args <- commandArgs(TRUE)
dir <- args[1]; ps <- as.integer(strsplit(args[2], " ")[[1]]); reps <- as.integer(args[3])
only <- if (length(args) > 3) args[4] else ""
n <- 5000
sim <- function(n, p, kt, seed, heywood = 0) {
  set.seed(seed)
  L <- matrix(runif(p * kt, -.1, .15), p, kt)
  for (i in 1:p) L[i, (i %% kt) + 1] <- runif(1, .45, .8)
  if (heywood > 0) for (i in 1:heywood) { L[i, ] <- 0; L[i, (i %% kt) + 1] <- .97 + .02 * i / heywood }
  matrix(rnorm(n * kt), n, kt) %*% t(L) + matrix(rnorm(n * p), n, p) %*% diag(sqrt(pmax(1 - rowSums(L^2), .01)))
}
wcsv <- function(x, file) {
  colnames(x) <- paste0("V", seq_len(ncol(x)))
  write.csv(x, file.path(dir, file), row.names = FALSE, na = "NA", quote = FALSE)
}
cells <- file(file.path(dir, "cells.txt"), "w")
run_cell <- function(id, file, opts, p, kt, k, m, kind, fit) {
  writeLines(paste(id, file, opts, p, kt, k, m, kind, sep = "\t"), cells)
  flush(cells)
  if (nzchar(only) && !grepl(only, id)) return(invisible())
  ts <- numeric(reps)
  for (r in 1:reps) {
    t0 <- proc.time()[["elapsed"]]
    f <- tryCatch(fit(), error = function(e) e)
    ts[r] <- proc.time()[["elapsed"]] - t0
    if (inherits(f, "error")) { cat(id, "psych failed:", conditionMessage(f), "\n"); return(invisible()) }
  }
  writeLines(sprintf("%.4f", ts), file.path(dir, paste0(id, ".time")))
  if (!is.null(f$loadings)) {
    write.table(unclass(f$loadings), file.path(dir, paste0(id, ".loadings.csv")), sep = ",",
                row.names = FALSE, col.names = FALSE)
    writeLines(sprintf("%.12g", f$RMSEA[1:3]), file.path(dir, paste0(id, ".rmsea")))
  }
  cat(id, sprintf("%.3f", ts), "\n")
}
for (p in ps) {
  kt <- if (p <= 100) 5 else 10
  x <- sim(n, p, kt, p * 1000 + kt)
  r <- cor(x)
  wcsv(r, sprintf("cor_p%d.csv", p))
  xm <- x
  xm[matrix(runif(length(x)) < .1, n, p)] <- NA
  wcsv(xm, sprintf("raw_p%d.csv", p))
  for (k in c(kt %/% 2, kt, kt + 3)) for (m in c("minres", "ml")) {
    run_cell(sprintf("p%d_cor_k%d_%s", p, k, m), sprintf("cor_p%d.csv", p),
             sprintf("--cor --n-obs %d --factors %d --method %s", n, k, m), p, kt, k, m, "fa",
             function() fa(r, k, n.obs = n, fm = m, rotate = "oblimin", warnings = FALSE))
    run_cell(sprintf("p%d_raw_k%d_%s", p, k, m), sprintf("raw_p%d.csv", p),
             sprintf("--factors %d --method %s", k, m), p, kt, k, m, "fa",
             function() fa(xm, k, fm = m, rotate = "oblimin", warnings = FALSE))
  }
  if (p == 100) {
    wcsv(x, "complete_p100.csv")
    run_cell("p100_parallel", "complete_p100.csv", "--iter 100", p, kt, 0, "parallel", "parallel",
             function() fa.parallel(x, n.iter = 100, plot = FALSE))
  }
}
# ordinal items: 5 categories cut from the continuous simulation
xo <- sim(2000, 50, 5, 50 * 1000 + 5)
xo <- apply(xo, 2, function(v) as.integer(cut(v, quantile(v, c(0, .15, .4, .65, .85, 1)), include.lowest = TRUE)))
wcsv(xo, "poly_p50.csv")
for (k in c(2, 5, 8))
  run_cell(sprintf("p50_poly_k%d_minres", k), "poly_p50.csv", sprintf("--cor polychoric --factors %d", k),
           50, 5, k, "minres", "poly",
           function() fa(xo, k, cor = "poly", fm = "minres", rotate = "oblimin", warnings = FALSE))
# Heywood-prone: six variables with loadings .97 - .99 on one factor, n = 1000
xh <- sim(1000, 300, 10, 300 * 1000 + 99, heywood = 6)
rh <- cor(xh)
wcsv(rh, "heywood_p300.csv")
for (k in c(10, 13)) for (m in c("minres", "ml"))
  run_cell(sprintf("p300_heywood_k%d_%s", k, m), "heywood_p300.csv",
           sprintf("--cor --n-obs 1000 --factors %d --method %s", k, m), 300, 10, k, m, "heywood",
           function() fa(rh, k, n.obs = 1000, fm = m, rotate = "oblimin", warnings = FALSE))
close(cells)
