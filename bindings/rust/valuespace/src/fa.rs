//! Exploratory factor analysis (`valuespace/fa.h`): input [`Data`], [`Options`] and a fitted
//! [`Solution`]. Matrices are row-major `Vec<f64>`/slices: element (i, j) of an r x c matrix is
//! at `[i * c + j]`. Conventions follow R's psych::fa (see the C header).
//!
//! ```no_run
//! use valuespace::fa::{Array, Data, Options, Rotation, Stat};
//! # fn main() -> valuespace::Result<()> {
//! let r = [1.0, 0.56, 0.48, 0.56, 1.0, 0.42, 0.48, 0.42, 1.0];
//! let data = Data::from_cor(&r, 3, 3, Some(200.0))?;
//! let mut options = Options::new()?;
//! options.set_nfactors(1)?.set_rotation(Rotation::None)?;
//! let solution = options.fit(&data)?;
//! println!("{:?} rmsr {}", solution.get(Array::Loadings)?, solution.scalar(Stat::Rmsr)?);
//! # Ok(())
//! # }
//! ```
//!
//! Threads: [`Data`] and [`Solution`] are immutable, [`Options`] only changes through `&mut`;
//! all three are `Send + Sync` (the header allows several threads to fit, run parallel analysis
//! or MAP with shared options and data while nobody changes them).
use std::os::raw::c_int;
use std::ptr::{self, NonNull};

use crate::error::{check, Error, Result};
use crate::util::{borrowed_str, cstring, owned_string};
use std::os::raw::c_char;
use valuespace_sys as sys;

macro_rules! c_enum {
    ($(#[$meta:meta])* $name:ident : $($(#[$vmeta:meta])* $variant:ident = $value:path),+ $(,)?) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }
        impl $name {
            /// The C value.
            pub fn raw(self) -> c_int {
                match self {
                    $($name::$variant => $value as c_int),+
                }
            }
        }
    };
}

c_enum! {
    /// Missing-data handling for raw input (psych's `use`).
    Missing:
    /// Each correlation from the rows where both values are present (psych's default).
    Pairwise = sys::VS_FA_PAIRWISE,
    /// Only rows without a missing value.
    Listwise = sys::VS_FA_LISTWISE,
}

c_enum! {
    /// Extraction methods.
    Method:
    /// Minimum residual (psych's default).
    Minres = sys::VS_FA_MINRES,
    /// Unweighted least squares.
    Uls = sys::VS_FA_ULS,
    /// Iterated principal axes.
    Pa = sys::VS_FA_PA,
    /// Maximum likelihood.
    Ml = sys::VS_FA_ML,
    /// Weighted least squares (psych's "wls": residuals weighted by 1 / diag(R^-1)).
    Wls = sys::VS_FA_WLS,
    /// Generalised least squares (psych's "gls": residuals premultiplied by R^-1).
    Gls = sys::VS_FA_GLS,
    /// Alpha factoring (psych's "alpha").
    Alpha = sys::VS_FA_ALPHA,
    /// Residuals weighted by the pairwise numbers of observations (psych's "minchi").
    Minchi = sys::VS_FA_MINCHI,
}

c_enum! {
    /// Rotations (names as in psych).
    Rotation:
    /// "none".
    None = sys::VS_FA_ROT_NONE,
    /// "varimax" (orthogonal).
    Varimax = sys::VS_FA_ROT_VARIMAX,
    /// "quartimax" (orthogonal).
    Quartimax = sys::VS_FA_ROT_QUARTIMAX,
    /// "equamax" (orthogonal).
    Equamax = sys::VS_FA_ROT_EQUAMAX,
    /// "promax" (oblique).
    Promax = sys::VS_FA_ROT_PROMAX,
    /// "oblimin" (oblique; psych's default).
    Oblimin = sys::VS_FA_ROT_OBLIMIN,
    /// "quartimin" (oblique).
    Quartimin = sys::VS_FA_ROT_QUARTIMIN,
    /// "geominQ" (oblique).
    GeominQ = sys::VS_FA_ROT_GEOMIN_Q,
    /// "geominT" (orthogonal).
    GeominT = sys::VS_FA_ROT_GEOMIN_T,
    /// "bentlerT" (orthogonal).
    BentlerT = sys::VS_FA_ROT_BENTLER_T,
    /// "bentlerQ" (oblique).
    BentlerQ = sys::VS_FA_ROT_BENTLER_Q,
    /// "targetT": orthogonal rotation toward [`Options::set_target`]'s pattern.
    TargetT = sys::VS_FA_ROT_TARGET_T,
    /// "targetQ": oblique rotation toward [`Options::set_target`]'s pattern.
    TargetQ = sys::VS_FA_ROT_TARGET_Q,
    /// "simplimax" (oblique).
    Simplimax = sys::VS_FA_ROT_SIMPLIMAX,
    /// "biquartimin" (oblique; psych's).
    Biquartimin = sys::VS_FA_ROT_BIQUARTIMIN,
    /// "Promax": psych's plain Promax, without the kaiser() step of "promax" (oblique).
    PromaxPlain = sys::VS_FA_ROT_PROMAX_PLAIN,
}

c_enum! {
    /// Stopping modes.
    Mode:
    /// psych's and GPArotation's stopping rules (parity with psych; the default).
    Psych = sys::VS_FA_MODE_PSYCH,
    /// Converge to near machine precision.
    Tight = sys::VS_FA_MODE_TIGHT,
}

c_enum! {
    /// Factor-score methods.
    ScoreMethod:
    /// No scores.
    None = sys::VS_FA_SCORES_NONE,
    /// Thurstone's regression scores (the default).
    Regression = sys::VS_FA_SCORES_REGRESSION,
    /// Bartlett's scores.
    Bartlett = sys::VS_FA_SCORES_BARTLETT,
    /// ten Berge's scores (psych's factor.scores "tenBerge"): keep the factors' correlations.
    TenBerge = sys::VS_FA_SCORES_TENBERGE,
    /// Anderson-Rubin scores: uncorrelated.
    Anderson = sys::VS_FA_SCORES_ANDERSON,
}

c_enum! {
    /// Correlations computed from raw data ([`Data::from_raw_with`]).
    Correlation:
    /// Pearson correlations (the default).
    Pearson = sys::VS_FA_COR_PEARSON,
    /// Tetrachoric correlations of binary items (psych::tetrachoric).
    Tetrachoric = sys::VS_FA_COR_TETRACHORIC,
    /// Polychoric correlations of ordinal items (psych::polychoric).
    Polychoric = sys::VS_FA_COR_POLYCHORIC,
}

c_enum! {
    /// Correlation kinds of [`Data::from_raw_kind`] (the kind as its own argument).
    CorKind:
    /// Pearson correlations.
    Pearson = sys::VS_FA_CORKIND_PEARSON,
    /// Spearman's rank correlations (R's cor(method = "spearman")).
    Spearman = sys::VS_FA_CORKIND_SPEARMAN,
    /// Kendall's tau-b (R's cor(method = "kendall")).
    Kendall = sys::VS_FA_CORKIND_KENDALL,
    /// Polychoric correlations of ordinal items.
    Polychoric = sys::VS_FA_CORKIND_POLYCHORIC,
    /// Tetrachoric correlations of binary items.
    Tetrachoric = sys::VS_FA_CORKIND_TETRACHORIC,
}

option_enum! {
    /// The options of [`Options`] ([`crate::options`]: `set`/`get`, or the typed setters
    /// `set_int`, `set_double`, `set_str`).
    FaOption(id = sys::vs_fa_option_id, name = sys::vs_fa_option_name, bounds = sys::vs_fa_option_bounds):
    /// int: number of factors (default 1).
    NFactors = sys::VS_FA_OPT_NFACTORS => Int,
    /// int ([`Method`]) or str.
    Method = sys::VS_FA_OPT_METHOD => Enum,
    /// int ([`Rotation`]) or str.
    Rotation = sys::VS_FA_OPT_ROTATION => Enum,
    /// int ([`Mode`]) or str.
    Mode = sys::VS_FA_OPT_MODE => Enum,
    /// int: number of extraction starts (1 = the SMC start only).
    Starts = sys::VS_FA_OPT_STARTS => Int,
    /// int: seed of every random choice.
    Seed = sys::VS_FA_OPT_SEED => Int,
    /// int: iteration limit of the extraction.
    MaxIter = sys::VS_FA_OPT_MAX_ITER => Int,
    /// int: iteration limit of the rotation.
    RotateMaxIter = sys::VS_FA_OPT_ROTATE_MAX_ITER => Int,
    /// int: -1 psych's default per rotation, 0 off, 1 on.
    KaiserNormalize = sys::VS_FA_OPT_KAISER_NORMALIZE => Int,
    /// double: oblimin gamma.
    ObliminGamma = sys::VS_FA_OPT_OBLIMIN_GAMMA => Double,
    /// double: geomin delta.
    GeominDelta = sys::VS_FA_OPT_GEOMIN_DELTA => Double,
    /// double: promax power.
    PromaxPower = sys::VS_FA_OPT_PROMAX_POWER => Double,
    /// int ([`ScoreMethod`]) or str: the score weights stored in results.
    Scores = sys::VS_FA_OPT_SCORES => Enum,
    /// int: parallel-analysis iterations.
    ParallelIter = sys::VS_FA_OPT_PARALLEL_ITER => Int,
    /// double in (0, 1): quantile of the simulated eigenvalues.
    ParallelQuantile = sys::VS_FA_OPT_PARALLEL_QUANTILE => Double,
    /// int: largest number of components in MAP.
    MapMax = sys::VS_FA_OPT_MAP_MAX => Int,
    /// double: the RMSEA interval has confidence 1 - alpha.
    RmseaAlpha = sys::VS_FA_OPT_RMSEA_ALPHA => Double,
    /// int: threads of parallel analysis and the bootstrap (results do not depend on it; default 1).
    Threads = sys::VS_FA_OPT_THREADS => Int,
    /// int >= 1: rotation starts (1 = the identity only).
    RotateStarts = sys::VS_FA_OPT_ROTATE_STARTS => Int,
    /// int: loadings simplimax drives to zero (0 = p).
    SimplimaxM = sys::VS_FA_OPT_SIMPLIMAX_M => Int,
    /// int >= 2: bootstrap replicates ([`Options::bootstrap`]).
    BootIter = sys::VS_FA_OPT_BOOT_ITER => Int,
    /// double in (0, 1): bootstrap intervals have confidence 1 - alpha.
    BootAlpha = sys::VS_FA_OPT_BOOT_ALPHA => Double,
}

option_methods!(
    Options,
    ptr,
    FaOption,
    int(sys::vs_fa_set_int, sys::vs_fa_get_int),
    double(sys::vs_fa_set_double, sys::vs_fa_get_double),
    str(sys::vs_fa_set_str, sys::vs_fa_get_str)
);

c_enum! {
    /// Arrays of a [`Solution`] ([`Solution::get`]); sizes in the C header.
    Array:
    /// p x k pattern loadings.
    Loadings = sys::VS_FA_LOADINGS,
    /// p x k structure = pattern * Phi.
    Structure = sys::VS_FA_STRUCTURE,
    /// k x k factor correlations.
    Phi = sys::VS_FA_PHI,
    /// p communalities.
    Communality = sys::VS_FA_COMMUNALITY,
    /// p uniquenesses.
    Uniquenesses = sys::VS_FA_UNIQUENESSES,
    /// p eigenvalues of R.
    Eigenvalues = sys::VS_FA_EIGENVALUES,
    /// p eigenvalues of the reduced matrix.
    EigenvaluesReduced = sys::VS_FA_EIGENVALUES_REDUCED,
    /// k sums of squared loadings.
    SsLoadings = sys::VS_FA_SS_LOADINGS,
    /// 5 x k variance table.
    Variance = sys::VS_FA_VARIANCE,
    /// k x k rotation matrix.
    RotationMatrix = sys::VS_FA_ROTATION_MATRIX,
    /// p x k unrotated loadings.
    Unrotated = sys::VS_FA_UNROTATED,
    /// p optimiser uniquenesses.
    Psi = sys::VS_FA_PSI,
    /// p x p residual matrix.
    Residual = sys::VS_FA_RESIDUAL,
    /// p x k score weights.
    Weights = sys::VS_FA_WEIGHTS,
    /// n x k scores of the raw input.
    Scores = sys::VS_FA_SCORES,
    /// 2: RMSEA interval.
    RmseaCi = sys::VS_FA_RMSEA_CI,
    /// p: 0, 1 Heywood case, 2 ultra-Heywood case.
    Heywood = sys::VS_FA_HEYWOOD,
    /// k: squared multiple correlations of the regression scores with the factors (psych's R2).
    ScoreR2 = sys::VS_FA_SCORE_R2,
    /// p: column means of the fitted raw data, which [`Solution::scores`] subtracts (an
    /// `Undefined` error for a fit of a correlation matrix or a version-1 file).
    Means = sys::VS_FA_MEANS,
    /// p: column standard deviations (n - 1) of the fitted raw data, which [`Solution::scores`]
    /// divides by.
    Sds = sys::VS_FA_SDS,
}

c_enum! {
    /// Scalars of a [`Solution`] ([`Solution::scalar`]); NaN when not defined.
    Stat:
    /// psych's objective F.
    Objective = sys::VS_FA_STAT_OBJECTIVE,
    /// Chi-square.
    ChiSquare = sys::VS_FA_STAT_CHI_SQUARE,
    /// Degrees of freedom.
    Df = sys::VS_FA_STAT_DF,
    /// p value of the chi-square.
    PValue = sys::VS_FA_STAT_P_VALUE,
    /// RMSEA.
    Rmsea = sys::VS_FA_STAT_RMSEA,
    /// Lower RMSEA bound.
    RmseaLower = sys::VS_FA_STAT_RMSEA_LOWER,
    /// Upper RMSEA bound.
    RmseaUpper = sys::VS_FA_STAT_RMSEA_UPPER,
    /// Tucker-Lewis index.
    Tli = sys::VS_FA_STAT_TLI,
    /// BIC.
    Bic = sys::VS_FA_STAT_BIC,
    /// Root mean square off-diagonal residual.
    Rmsr = sys::VS_FA_STAT_RMSR,
    /// The optimiser's criterion.
    Criterion = sys::VS_FA_STAT_CRITERION,
    /// 1 if extraction and rotation converged.
    Converged = sys::VS_FA_STAT_CONVERGED,
    /// Extraction iterations of the best start.
    Iterations = sys::VS_FA_STAT_ITERATIONS,
    /// Number of Heywood variables.
    Heywood = sys::VS_FA_STAT_HEYWOOD,
    /// Chi-square of the null model.
    NullChiSquare = sys::VS_FA_STAT_NULL_CHI_SQUARE,
    /// Degrees of freedom of the null model.
    NullDf = sys::VS_FA_STAT_NULL_DF,
    /// Number of observations used.
    NObs = sys::VS_FA_STAT_N_OBS,
    /// Rotation iterations.
    RotateIterations = sys::VS_FA_STAT_ROTATE_ITERATIONS,
    /// Index of the start that gave the solution.
    BestStart = sys::VS_FA_STAT_BEST_START,
    /// 1 if R was smoothed for the statistics.
    Smoothed = sys::VS_FA_STAT_SMOOTHED,
    /// The rotation criterion at the solution.
    RotationCriterion = sys::VS_FA_STAT_ROTATION_CRITERION,
    /// Index of the rotation start kept.
    RotationBestStart = sys::VS_FA_STAT_ROTATION_BEST_START,
    /// 1 if the extraction converged.
    ExtractionConverged = sys::VS_FA_STAT_EXTRACTION_CONVERGED,
    /// 1 if the rotation converged.
    RotationConverged = sys::VS_FA_STAT_ROTATION_CONVERGED,
    /// Number of variables with communality > 1.
    UltraHeywood = sys::VS_FA_STAT_ULTRA_HEYWOOD,
    /// Sample-size adjusted BIC.
    Sabic = sys::VS_FA_STAT_SABIC,
    /// Empirical BIC.
    Ebic = sys::VS_FA_STAT_EBIC,
    /// Empirical sample-size adjusted BIC.
    Esabic = sys::VS_FA_STAT_ESABIC,
    /// Root mean square residual corrected for df.
    Crms = sys::VS_FA_STAT_CRMS,
}

/// psych::omega's coefficients and Schmid-Leiman solution ([`Options::omega`]); matrices
/// row-major, k group factors.
#[derive(Clone, Debug, PartialEq)]
pub struct Omega {
    /// Number of group factors k.
    pub nfactors: usize,
    /// Omega total.
    pub omega_total: f64,
    /// Omega hierarchical.
    pub omega_hierarchical: f64,
    /// Omega asymptotic (omega limit).
    pub omega_limit: f64,
    /// Cronbach's alpha.
    pub alpha: f64,
    /// Guttman's lambda 6.
    pub g6: f64,
    /// Explained common variance of the general factor.
    pub ecv: f64,
    /// p x (k + 4): g, the k group factors, h2, u2, p2.
    pub sl_loadings: Vec<f64>,
    /// (k + 1) x 3: rows g, F1*..Fk*; columns total, general, group.
    pub subscales: Vec<f64>,
    /// p x k oblique pattern.
    pub oblique: Vec<f64>,
    /// k x k factor correlations.
    pub phi: Vec<f64>,
    /// k loadings of the group factors on g.
    pub general: Vec<f64>,
    /// p: -1 for an item reversed because its g loading was negative, else 1.
    pub key: Vec<f64>,
    /// Every step converged (the fit, the rotations, the general factor's fit).
    pub converged: bool,
}

/// Tucker's congruence coefficients ([`congruence`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Congruence {
    /// ka x kb coefficients (row-major), columns in B's (matched) order.
    pub phi: Vec<f64>,
    /// Column j of `phi` is B's column `order[j]`.
    pub order: Vec<usize>,
    /// +1 or -1: the reflection applied to that column.
    pub signs: Vec<f64>,
}

/// Tucker's congruence between the columns of the p x ka loadings `a` and the p x kb loadings
/// `b` (row-major), as psych::factor.congruence; `procrustes` first rotates `b` orthogonally
/// onto `a`, `matched` reorders and reflects `b`'s columns to their best match in `a`.
pub fn congruence(
    a: &[f64],
    b: &[f64],
    p: usize,
    ka: usize,
    kb: usize,
    matched: bool,
    procrustes: bool,
) -> Result<Congruence> {
    check_matrix(a, p, ka)?;
    check_matrix(b, p, kb)?;
    let mut phi = vec![0.0; ka * kb];
    let mut order = vec![0usize; kb];
    let mut signs = vec![0.0; kb];
    let flags = (if matched {
        sys::VS_FA_CONGRUENCE_MATCH
    } else {
        0
    }) | (if procrustes {
        sys::VS_FA_CONGRUENCE_PROCRUSTES
    } else {
        0
    });
    check(unsafe {
        sys::vs_fa_congruence(
            phi.as_mut_ptr(),
            order.as_mut_ptr(),
            signs.as_mut_ptr(),
            a.as_ptr(),
            b.as_ptr(),
            p,
            ka,
            kb,
            flags as c_int,
        )
    })?;
    Ok(Congruence { phi, order, signs })
}

/// Reads an output array with the (out_needed, buf, cap) convention: asks for the size, then
/// copies. `f(out_needed, buf, cap)`.
fn read_array(mut f: impl FnMut(*mut usize, *mut f64, usize) -> c_int) -> Result<Vec<f64>> {
    let mut needed = 0usize;
    let rc = f(&mut needed, ptr::null_mut(), 0);
    if rc != sys::VS_OK && rc != sys::VS_EBUFSIZE {
        return Err(Error::last(rc));
    }
    let mut buf = vec![0.0; needed];
    if needed > 0 {
        check(f(&mut needed, buf.as_mut_ptr(), buf.len()))?;
        buf.truncate(needed);
    }
    Ok(buf)
}

fn check_matrix(x: &[f64], rows: usize, cols: usize) -> Result<()> {
    if rows.checked_mul(cols) != Some(x.len()) {
        return Err(Error::new(
            sys::VS_EMISMATCH,
            format!(
                "a {} x {} matrix needs {} values, got {}",
                rows,
                cols,
                rows.saturating_mul(cols),
                x.len()
            ),
        ));
    }
    Ok(())
}

/// Input data: a correlation matrix with its number of observations (and, for raw input, the
/// data). Immutable.
pub struct Data {
    ptr: NonNull<sys::vs_fa_data>,
}

// SAFETY: immutable after creation; the header allows sharing it between reading threads.
unsafe impl Send for Data {}
unsafe impl Sync for Data {}

/// Kaiser-Meyer-Olkin measure of sampling adequacy.
#[derive(Clone, Debug, PartialEq)]
pub struct Kmo {
    /// The overall MSA.
    pub overall: f64,
    /// The MSA of each variable.
    pub msa: Vec<f64>,
}

/// Bartlett's test of sphericity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bartlett {
    /// The chi-square statistic.
    pub chi_square: f64,
    /// Degrees of freedom, p(p-1)/2.
    pub df: f64,
    /// Upper-tail p value.
    pub p_value: f64,
}

impl Data {
    fn create(f: impl FnOnce(*mut *mut sys::vs_fa_data) -> c_int) -> Result<Data> {
        let mut out = ptr::null_mut();
        check(f(&mut out))?;
        Ok(Data {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_fa_data"),
        })
    }

    /// Raw data: `rows` x `cols` row-major values, NaN = missing (copied).
    pub fn from_raw(x: &[f64], rows: usize, cols: usize, missing: Missing) -> Result<Data> {
        check_matrix(x, rows, cols)?;
        Data::create(|out| unsafe {
            sys::vs_fa_data_from_raw(out, x.as_ptr(), rows, cols, missing.raw())
        })
    }

    /// Raw data with tetrachoric or polychoric correlations instead of Pearson's (the
    /// correlation flag OR'd into `missing`, as `vs_fa_data_from_raw` takes it).
    pub fn from_raw_with(
        x: &[f64],
        rows: usize,
        cols: usize,
        missing: Missing,
        correlation: Correlation,
    ) -> Result<Data> {
        check_matrix(x, rows, cols)?;
        Data::create(|out| unsafe {
            sys::vs_fa_data_from_raw(
                out,
                x.as_ptr(),
                rows,
                cols,
                missing.raw() | correlation.raw(),
            )
        })
    }

    /// Raw data with the correlation kind as its own argument (`vs_fa_data_from_raw_kind`).
    pub fn from_raw_kind(
        x: &[f64],
        rows: usize,
        cols: usize,
        missing: Missing,
        kind: CorKind,
    ) -> Result<Data> {
        check_matrix(x, rows, cols)?;
        Data::create(|out| unsafe {
            sys::vs_fa_data_from_raw_kind(out, x.as_ptr(), rows, cols, missing.raw(), kind.raw())
        })
    }

    /// A correlation or covariance matrix (`rows` x `cols`, must be square) with the number of
    /// observations behind it (None = unknown: statistics that need it are NaN).
    pub fn from_cor(r: &[f64], rows: usize, cols: usize, n_obs: Option<f64>) -> Result<Data> {
        check_matrix(r, rows, cols)?;
        let n = n_obs.unwrap_or(0.0);
        Data::create(|out| unsafe { sys::vs_fa_data_from_cor(out, r.as_ptr(), rows, cols, n) })
    }

    fn as_ptr(&self) -> *const sys::vs_fa_data {
        self.ptr.as_ptr()
    }

    /// Number of variables p.
    pub fn variable_count(&self) -> usize {
        unsafe { sys::vs_fa_data_variable_count(self.as_ptr()) }
    }
    /// The former name of [`Self::variable_count`] (README, "Deprecated names").
    #[deprecated(note = "use variable_count")]
    pub fn nvars(&self) -> usize {
        self.variable_count()
    }

    /// Number of observations (raw: rows), None when unknown.
    pub fn n_obs(&self) -> Option<f64> {
        let n = unsafe { sys::vs_fa_data_nobs(self.as_ptr()) };
        (n > 0.0).then_some(n)
    }

    /// The p x p correlation matrix.
    pub fn cor(&self) -> Result<Vec<f64>> {
        read_array(|needed, buf, cap| unsafe {
            sys::vs_fa_data_cor(needed, self.as_ptr(), buf, cap)
        })
    }

    /// Eigenvalues of the correlation matrix, decreasing.
    pub fn eigenvalues(&self) -> Result<Vec<f64>> {
        read_array(|needed, buf, cap| unsafe {
            sys::vs_fa_data_eigenvalues(needed, self.as_ptr(), buf, cap)
        })
    }

    /// Kaiser-Meyer-Olkin measure of sampling adequacy, overall and per variable.
    pub fn kmo(&self) -> Result<Kmo> {
        let mut overall = 0.0;
        let mut msa = vec![0.0; self.variable_count()];
        check(unsafe { sys::vs_fa_kmo(&mut overall, msa.as_mut_ptr(), msa.len(), self.as_ptr()) })?;
        Ok(Kmo { overall, msa })
    }

    /// Bartlett's test of sphericity (`VS_EUNDEFINED` when n is unknown).
    pub fn bartlett(&self) -> Result<Bartlett> {
        let (mut chi_square, mut df, mut p_value) = (0.0, 0.0, 0.0);
        check(unsafe {
            sys::vs_fa_bartlett(&mut chi_square, &mut df, &mut p_value, self.as_ptr())
        })?;
        Ok(Bartlett {
            chi_square,
            df,
            p_value,
        })
    }

    /// Number of eigenvalues greater than 1 (Kaiser's rule).
    pub fn kaiser(&self) -> Result<usize> {
        let mut n = 0usize;
        check(unsafe { sys::vs_fa_kaiser(&mut n, self.as_ptr()) })?;
        Ok(n)
    }
}

impl Drop for Data {
    fn drop(&mut self) {
        unsafe { sys::vs_fa_data_free(self.ptr.as_ptr()) }
    }
}

/// Parallel analysis ([`Options::parallel`]): each vector has p values.
#[derive(Clone, Debug, PartialEq)]
pub struct Parallel {
    /// Suggested number of factors.
    pub nfactors: usize,
    /// Suggested number of components.
    pub ncomponents: usize,
    /// Observed eigenvalues of the one-factor reduced matrix.
    pub observed_fa: Vec<f64>,
    /// Observed eigenvalues of R.
    pub observed_pc: Vec<f64>,
    /// Quantile of the simulated factor eigenvalues.
    pub simulated_fa: Vec<f64>,
    /// Quantile of the simulated component eigenvalues.
    pub simulated_pc: Vec<f64>,
    /// Quantile of the resampled factor eigenvalues (NaN for matrix input).
    pub resampled_fa: Vec<f64>,
    /// Quantile of the resampled component eigenvalues (NaN for matrix input).
    pub resampled_pc: Vec<f64>,
}

/// Velicer's MAP ([`Options::map`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    /// The number of components with the smallest average squared partial correlation.
    pub nfactors: usize,
    /// The average squared partial correlation for 1..=M components.
    pub values: Vec<f64>,
}

/// Factor-analysis options (`vs_fa`), psych's defaults: 1 factor, minres, oblimin, psych mode.
pub struct Options {
    ptr: NonNull<sys::vs_fa>,
}

// SAFETY: changed only through &mut self; the header allows concurrent readers (fit, parallel,
// map) while nobody changes it.
unsafe impl Send for Options {}
unsafe impl Sync for Options {}

impl Options {
    /// Options with psych's defaults.
    pub fn new() -> Result<Options> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_fa_create(&mut out) })?;
        Ok(Options {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_fa"),
        })
    }

    fn as_ptr(&self) -> *const sys::vs_fa {
        self.ptr.as_ptr()
    }

    /// Sets an integer (or enum-valued) option.
    pub fn set_int(&mut self, option: FaOption, value: i64) -> Result<&mut Self> {
        check(unsafe { sys::vs_fa_set_int(self.ptr.as_ptr(), option.raw(), value) })?;
        Ok(self)
    }

    /// Sets a double option.
    pub fn set_double(&mut self, option: FaOption, value: f64) -> Result<&mut Self> {
        check(unsafe { sys::vs_fa_set_double(self.ptr.as_ptr(), option.raw(), value) })?;
        Ok(self)
    }

    /// Sets an enum-valued option by its psych name, e.g. ("ml", "geominQ"); case-sensitive.
    pub fn set_str(&mut self, option: FaOption, value: &str) -> Result<&mut Self> {
        let value = cstring(value, "option value")?;
        check(unsafe { sys::vs_fa_set_str(self.ptr.as_ptr(), option.raw(), value.as_ptr()) })?;
        Ok(self)
    }

    /// Reads an integer option.
    pub fn get_int(&self, option: FaOption) -> Result<i64> {
        let mut out = 0i64;
        check(unsafe { sys::vs_fa_get_int(&mut out, self.as_ptr(), option.raw()) })?;
        Ok(out)
    }

    /// Reads a double option.
    pub fn get_double(&self, option: FaOption) -> Result<f64> {
        let mut out = 0.0;
        check(unsafe { sys::vs_fa_get_double(&mut out, self.as_ptr(), option.raw()) })?;
        Ok(out)
    }

    /// Sets the number of factors.
    pub fn set_nfactors(&mut self, k: usize) -> Result<&mut Self> {
        let k = i64::try_from(k)
            .map_err(|_| Error::new(sys::VS_ERANGE, "number of factors too large"))?;
        self.set_int(FaOption::NFactors, k)
    }

    /// Sets the extraction method.
    pub fn set_method(&mut self, method: Method) -> Result<&mut Self> {
        self.set_int(FaOption::Method, method.raw() as i64)
    }

    /// Sets the rotation.
    pub fn set_rotation(&mut self, rotation: Rotation) -> Result<&mut Self> {
        self.set_int(FaOption::Rotation, rotation.raw() as i64)
    }

    /// Sets the stopping mode.
    pub fn set_mode(&mut self, mode: Mode) -> Result<&mut Self> {
        self.set_int(FaOption::Mode, mode.raw() as i64)
    }

    /// Sets the score weights stored in results.
    pub fn set_scores(&mut self, scores: ScoreMethod) -> Result<&mut Self> {
        self.set_int(FaOption::Scores, scores.raw() as i64)
    }

    /// Fits the factor model.
    pub fn fit(&self, data: &Data) -> Result<Solution> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_fa_fit(&mut out, self.as_ptr(), data.as_ptr()) })?;
        Ok(Solution {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_fa_result"),
        })
    }

    /// McDonald's omega from a Schmid-Leiman transformation, as psych::omega: the options'
    /// number of factors (at least 2; psych's default is 3), method and oblique rotation.
    pub fn omega(&self, data: &Data) -> Result<Omega> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_fa_omega(&mut out, self.as_ptr(), data.as_ptr()) })?;
        struct Guard(*mut sys::vs_fa_omega_result);
        impl Drop for Guard {
            fn drop(&mut self) {
                unsafe { sys::vs_fa_omega_free(self.0) }
            }
        }
        let g = Guard(out);
        let scalar = |what: u32| -> Result<f64> {
            let mut v = 0.0;
            check(unsafe { sys::vs_fa_omega_scalar(&mut v, g.0, what as c_int) })?;
            Ok(v)
        };
        let array = |what: u32| {
            read_array(|needed, buf, cap| unsafe {
                sys::vs_fa_omega_get(needed, g.0, what as c_int, buf, cap)
            })
        };
        Ok(Omega {
            nfactors: unsafe { sys::vs_fa_omega_factor_count(g.0) },
            omega_total: scalar(sys::VS_FA_OMEGA_TOTAL)?,
            omega_hierarchical: scalar(sys::VS_FA_OMEGA_HIERARCHICAL)?,
            omega_limit: scalar(sys::VS_FA_OMEGA_LIMIT)?,
            alpha: scalar(sys::VS_FA_OMEGA_ALPHA)?,
            g6: scalar(sys::VS_FA_OMEGA_G6)?,
            ecv: scalar(sys::VS_FA_OMEGA_ECV)?,
            sl_loadings: array(sys::VS_FA_OMEGA_SL_LOADINGS)?,
            subscales: array(sys::VS_FA_OMEGA_SUBSCALES)?,
            oblique: array(sys::VS_FA_OMEGA_OBLIQUE)?,
            phi: array(sys::VS_FA_OMEGA_PHI)?,
            general: array(sys::VS_FA_OMEGA_GENERAL)?,
            key: array(sys::VS_FA_OMEGA_KEY)?,
            converged: scalar(sys::VS_FA_OMEGA_CONVERGED)? == 1.0,
        })
    }

    /// Parallel analysis (seeded by [`FaOption::Seed`]).
    pub fn parallel(&self, data: &Data) -> Result<Parallel> {
        let p = data.variable_count();
        let mut buf = vec![0.0; 6 * p];
        let (mut nf, mut nc, mut needed) = (0usize, 0usize, 0usize);
        check(unsafe {
            sys::vs_fa_parallel(
                &mut nf,
                &mut nc,
                &mut needed,
                self.as_ptr(),
                data.as_ptr(),
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        let mut rows = buf.chunks(p.max(1)).map(<[f64]>::to_vec);
        let mut next = || rows.next().unwrap_or_default();
        Ok(Parallel {
            nfactors: nf,
            ncomponents: nc,
            observed_fa: next(),
            observed_pc: next(),
            simulated_fa: next(),
            simulated_pc: next(),
            resampled_fa: next(),
            resampled_pc: next(),
        })
    }

    /// Sets the p x k target pattern (row-major, NaN = unspecified) of [`Rotation::TargetT`] and
    /// [`Rotation::TargetQ`] (copied).
    pub fn set_target(&mut self, target: &[f64], rows: usize, cols: usize) -> Result<&mut Self> {
        check_matrix(target, rows, cols)?;
        check(unsafe { sys::vs_fa_set_target(self.ptr.as_ptr(), target.as_ptr(), rows, cols) })?;
        Ok(self)
    }

    /// Removes the target pattern.
    pub fn clear_target(&mut self) -> Result<&mut Self> {
        check(unsafe { sys::vs_fa_set_target(self.ptr.as_ptr(), ptr::null(), 0, 0) })?;
        Ok(self)
    }

    /// Bootstrap intervals of the solution (`vs_fa_bootstrap`): [`FaOption::BootIter`] row
    /// resamples of raw data, each refitted and aligned to the full solution by order and sign;
    /// the same numbers for any [`FaOption::Threads`].
    pub fn bootstrap(&self, data: &Data) -> Result<Bootstrap> {
        let p = data.variable_count();
        let k = self.get_int(FaOption::NFactors)? as usize;
        let m = p * k + k * k + p;
        let mut buf = vec![0.0; 4 * m];
        let (mut used, mut needed) = (0usize, 0usize);
        check(unsafe {
            sys::vs_fa_bootstrap(
                &mut used,
                &mut needed,
                self.as_ptr(),
                data.as_ptr(),
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        let block = |b: usize| {
            let v = &buf[b * m..(b + 1) * m];
            BootBlock {
                loadings: v[..p * k].to_vec(),
                phi: v[p * k..p * k + k * k].to_vec(),
                communality: v[p * k + k * k..].to_vec(),
            }
        };
        Ok(Bootstrap {
            used,
            mean: block(sys::VS_FA_BOOT_MEAN as usize),
            sd: block(sys::VS_FA_BOOT_SD as usize),
            lower: block(sys::VS_FA_BOOT_LOWER as usize),
            upper: block(sys::VS_FA_BOOT_UPPER as usize),
        })
    }

    /// Velicer's minimum average partial test.
    pub fn map(&self, data: &Data) -> Result<Map> {
        let mut buf = vec![0.0; data.variable_count()];
        let (mut nf, mut needed) = (0usize, 0usize);
        check(unsafe {
            sys::vs_fa_map(
                &mut nf,
                &mut needed,
                self.as_ptr(),
                data.as_ptr(),
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        buf.truncate(needed);
        Ok(Map {
            nfactors: nf,
            values: buf,
        })
    }
}

impl Drop for Options {
    fn drop(&mut self) {
        unsafe { sys::vs_fa_free(self.ptr.as_ptr()) }
    }
}

/// One summary of the bootstrap replicates: loadings (p x k, row-major), Phi (k x k), communality (p).
#[derive(Clone, Debug, PartialEq)]
pub struct BootBlock {
    /// p x k aligned pattern loadings
    pub loadings: Vec<f64>,
    /// k x k factor correlations
    pub phi: Vec<f64>,
    /// p communalities
    pub communality: Vec<f64>,
}

/// Bootstrap intervals ([`Options::bootstrap`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Bootstrap {
    /// replicates kept (the others failed to fit)
    pub used: usize,
    /// means
    pub mean: BootBlock,
    /// standard deviations (n - 1)
    pub sd: BootBlock,
    /// alpha/2 percentiles
    pub lower: BootBlock,
    /// 1 - alpha/2 percentiles
    pub upper: BootBlock,
}

/// One fitted factor solution (immutable).
pub struct Solution {
    ptr: NonNull<sys::vs_fa_result>,
}

// SAFETY: an immutable result; every accessor only reads it.
unsafe impl Send for Solution {}
unsafe impl Sync for Solution {}

impl Solution {
    fn as_ptr(&self) -> *const sys::vs_fa_result {
        self.ptr.as_ptr()
    }

    /// Number of variables p.
    pub fn variable_count(&self) -> usize {
        unsafe { sys::vs_fa_result_variable_count(self.as_ptr()) }
    }
    /// The former name of [`Self::variable_count`] (README, "Deprecated names").
    #[deprecated(note = "use variable_count")]
    pub fn nvars(&self) -> usize {
        self.variable_count()
    }

    /// Number of factors k.
    pub fn factor_count(&self) -> usize {
        unsafe { sys::vs_fa_result_factor_count(self.as_ptr()) }
    }
    /// The former name of [`Self::factor_count`] (README, "Deprecated names").
    #[deprecated(note = "use factor_count")]
    pub fn nfactors(&self) -> usize {
        self.factor_count()
    }

    /// A copy of an array of the result (row-major).
    pub fn get(&self, what: Array) -> Result<Vec<f64>> {
        read_array(|needed, buf, cap| unsafe {
            sys::vs_fa_result_get(needed, self.as_ptr(), what.raw(), buf, cap)
        })
    }

    /// A scalar of the result (NaN when not defined).
    pub fn scalar(&self, what: Stat) -> Result<f64> {
        let mut out = 0.0;
        check(unsafe { sys::vs_fa_result_scalar(&mut out, self.as_ptr(), what.raw()) })?;
        Ok(out)
    }

    /// The p x k score weights of a method for this solution.
    pub fn weights(&self, method: ScoreMethod) -> Result<Vec<f64>> {
        read_array(|needed, buf, cap| unsafe {
            sys::vs_fa_result_weights(needed, self.as_ptr(), method.raw(), buf, cap)
        })
    }

    /// The solution as a JSON document (`vs_fa_result_save_json`), with the variables' names
    /// (`names`, else those of a loaded solution).
    pub fn save_json(&self, names: Option<&[&str]>) -> Result<String> {
        let owned = names
            .map(|n| {
                n.iter()
                    .map(|s| cstring(s, "variable name"))
                    .collect::<Result<Vec<_>>>()
            })
            .transpose()?;
        if let Some(o) = &owned {
            if o.len() != self.variable_count() {
                return Err(Error::new(
                    sys::VS_EMISMATCH,
                    format!("{} names for {} variables", o.len(), self.variable_count()),
                ));
            }
        }
        let ptrs: Option<Vec<*const c_char>> = owned
            .as_ref()
            .map(|o| o.iter().map(|c| c.as_ptr()).collect());
        let mut out: *mut c_char = ptr::null_mut();
        check(unsafe {
            sys::vs_fa_result_save_json(
                &mut out,
                self.as_ptr(),
                ptrs.as_ref().map_or(ptr::null(), |p| p.as_ptr()),
            )
        })?;
        // SAFETY: on VS_OK we own the text (freed with vs_free).
        Ok(unsafe { owned_string(out) })
    }

    /// Loads a solution saved by [`save_json`](Self::save_json) (`vs_fa_result_load_json`).
    pub fn load_json(json: impl AsRef<[u8]>, source_name: Option<&str>) -> Result<Solution> {
        let json = json.as_ref();
        let source = source_name.map(|s| cstring(s, "source name")).transpose()?;
        let source_ptr = source.as_ref().map_or(ptr::null(), |s| s.as_ptr());
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_fa_result_load_json(
                &mut out,
                json.as_ptr().cast::<c_char>(),
                json.len(),
                source_ptr,
            )
        })?;
        Ok(Solution {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_fa_result"),
        })
    }

    /// Name of variable i of a loaded solution with names.
    pub fn variable(&self, i: usize) -> Option<String> {
        // SAFETY: the name lives as long as the solution; copied at once.
        unsafe { borrowed_str(sys::vs_fa_result_variable(self.as_ptr(), i)) }.map(str::to_owned)
    }

    /// Factor scores (rows x k) of new raw data with the same p columns, on the fitted data's
    /// scale: each column standardised by the fitted data's mean and standard deviation
    /// ([`Array::Means`], [`Array::Sds`]), so fitted rows get the fit's own scores. A solution
    /// fitted from a correlation matrix (or loaded from a version-1 file) has none: an
    /// `Undefined` error; use [`Solution::scores_scaled`].
    pub fn scores(
        &self,
        method: ScoreMethod,
        x: &[f64],
        rows: usize,
        cols: usize,
    ) -> Result<Vec<f64>> {
        check_matrix(x, rows, cols)?;
        read_array(|needed, buf, cap| unsafe {
            sys::vs_fa_result_scores(
                needed,
                self.as_ptr(),
                method.raw(),
                x.as_ptr(),
                rows,
                cols,
                buf,
                cap,
            )
        })
    }

    /// Factor scores as [`Solution::scores`], with the columns standardised by the given `means`
    /// and standard deviations `sds` (p each, positive) -- for a solution without the fitted
    /// data's, or another reference sample.
    pub fn scores_scaled(
        &self,
        method: ScoreMethod,
        x: &[f64],
        rows: usize,
        cols: usize,
        means: &[f64],
        sds: &[f64],
    ) -> Result<Vec<f64>> {
        check_matrix(x, rows, cols)?;
        let p = self.variable_count();
        if means.len() != p || sds.len() != p {
            return Err(Error::new(
                sys::VS_EMISMATCH,
                format!(
                    "scores_scaled: {} means and standard deviations are needed, got {} and {}",
                    p,
                    means.len(),
                    sds.len()
                ),
            ));
        }
        read_array(|needed, buf, cap| unsafe {
            sys::vs_fa_result_scores_scaled(
                needed,
                self.as_ptr(),
                method.raw(),
                x.as_ptr(),
                rows,
                cols,
                means.as_ptr(),
                sds.as_ptr(),
                buf,
                cap,
            )
        })
    }
}

impl Drop for Solution {
    fn drop(&mut self) {
        unsafe { sys::vs_fa_result_free(self.ptr.as_ptr()) }
    }
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Data")
            .field("nvars", &self.variable_count())
            .field("n_obs", &self.n_obs())
            .finish()
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("nfactors", &self.get_int(FaOption::NFactors).ok())
            .field("method", &self.get_int(FaOption::Method).ok())
            .field("rotation", &self.get_int(FaOption::Rotation).ok())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Solution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Solution")
            .field("nvars", &self.variable_count())
            .field("nfactors", &self.factor_count())
            .field("loadings", &self.get(Array::Loadings).ok())
            .finish()
    }
}
