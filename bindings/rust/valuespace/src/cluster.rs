//! Clustering (`valuespace/cluster.h`): k-means (scikit-learn's Lloyd), agglomerative
//! clustering (Ward, average, complete), choosing k by silhouette, silhouettes and the adjusted
//! Rand index. Points go in as a row-major `n × d` slice.
use std::fmt;
use std::os::raw::c_int;
use std::ptr::{self, NonNull};

use crate::error::{check, Error, Result};
use crate::util::cstring;
use valuespace_sys as sys;

/// Largest accepted coordinate magnitude.
pub const MAX_ABS: f64 = sys::VS_CLUSTER_MAX_ABS;

/// The clustering method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Lloyd's k-means with k-means++ seeding.
    KMeans,
    /// Hierarchical agglomerative clustering cut into k clusters.
    Agglomerative,
}

/// The distance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Euclidean distance.
    Euclidean,
    /// Cosine distance (k-means becomes spherical k-means).
    Cosine,
}

/// Linkage of agglomerative clustering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Linkage {
    /// Ward's minimum variance.
    Ward,
    /// Mean pairwise distance (UPGMA).
    Average,
    /// Largest pairwise distance.
    Complete,
}

/// Clustering options (`vs_cluster`). `Send + Sync`: fitting only reads them.
pub struct Cluster {
    ptr: NonNull<sys::vs_cluster>,
}

// SAFETY: the header allows threads that only read a vs_cluster to share it; changes need &mut.
unsafe impl Send for Cluster {}
unsafe impl Sync for Cluster {}

impl Drop for Cluster {
    fn drop(&mut self) {
        unsafe { sys::vs_cluster_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("method", &self.get(ClusterOption::Method).ok())
            .field("k", &self.get(ClusterOption::K).ok())
            .finish()
    }
}

fn shape(x: &[f64], d: usize) -> Result<usize> {
    if d == 0 || x.len() % d != 0 {
        return Err(Error::new(
            sys::VS_EMISMATCH,
            format!("{} values do not form rows of {} columns", x.len(), d),
        ));
    }
    Ok(x.len() / d)
}

option_enum! {
    /// The options of the handle ([`crate::options`]: `set`/`get`), `VS_CLUSTER_OPT_*`.
    ClusterOption(id = sys::vs_cluster_option_id, name = sys::vs_cluster_option_name, bounds = sys::vs_cluster_option_bounds):
    /// int (a `VS_CLUSTER_*` method) or its name; default "kmeans".
    Method = sys::VS_CLUSTER_OPT_METHOD => Enum,
    /// number of clusters for `fit`; default 2.
    K = sys::VS_CLUSTER_OPT_K => Int,
    /// int or name ("euclidean", "cosine"); default euclidean.
    Metric = sys::VS_CLUSTER_OPT_METRIC => Enum,
    /// int or name ("ward", "average", "complete"); default ward.
    Linkage = sys::VS_CLUSTER_OPT_LINKAGE => Enum,
    /// seed of k-means++ (any i64); default 0.
    Seed = sys::VS_CLUSTER_OPT_SEED => Int,
    /// k-means restarts; default 10.
    NInit = sys::VS_CLUSTER_OPT_N_INIT => Int,
    /// Lloyd iteration limit per restart; default 300.
    MaxIter = sys::VS_CLUSTER_OPT_MAX_ITER => Int,
    /// convergence tolerance; default 1e-4.
    Tol = sys::VS_CLUSTER_OPT_TOL => Double,
    /// threads (0 = one per processor); default 1.
    Threads = sys::VS_CLUSTER_OPT_THREADS => Int,
    /// smallest k of the silhouette sweep; default 2.
    KMin = sys::VS_CLUSTER_OPT_K_MIN => Int,
    /// largest k of the silhouette sweep; default 10.
    KMax = sys::VS_CLUSTER_OPT_K_MAX => Int,
}

option_methods!(
    Cluster,
    ptr,
    ClusterOption,
    int(sys::vs_cluster_set_int, sys::vs_cluster_get_int),
    double(sys::vs_cluster_set_double, sys::vs_cluster_get_double),
    str(sys::vs_cluster_set_str, sys::vs_cluster_get_str)
);

impl Cluster {
    /// Options with the defaults (k-means, k = 2, Euclidean, Ward, seed 0, 10 restarts).
    pub fn new() -> Result<Cluster> {
        let mut p = ptr::null_mut();
        check(unsafe { sys::vs_cluster_create(&mut p) })?;
        Ok(Cluster {
            ptr: NonNull::new(p).expect("VS_OK with NULL options"),
        })
    }
    fn p(&self) -> *const sys::vs_cluster {
        self.ptr.as_ptr()
    }
    /// Sets an integer `VS_CLUSTER_OPT_*` option.
    #[deprecated(note = "raw option ids: use set/get with a ClusterOption")]
    pub fn set_int(&mut self, option: u32, value: i64) -> Result<&mut Self> {
        check(unsafe { sys::vs_cluster_set_int(self.ptr.as_ptr(), option as c_int, value) })
            .map(|_| self)
    }
    /// Sets a double option.
    #[deprecated(note = "raw option ids: use set/get with a ClusterOption")]
    pub fn set_double(&mut self, option: u32, value: f64) -> Result<&mut Self> {
        check(unsafe { sys::vs_cluster_set_double(self.ptr.as_ptr(), option as c_int, value) })
            .map(|_| self)
    }
    /// Sets an enum option by name ("kmeans", "cosine", "average", ...).
    #[deprecated(note = "raw option ids: use set/get with a ClusterOption")]
    pub fn set_str(&mut self, option: u32, value: &str) -> Result<&mut Self> {
        let c = cstring(value, "option value")?;
        check(unsafe { sys::vs_cluster_set_str(self.ptr.as_ptr(), option as c_int, c.as_ptr()) })
            .map(|_| self)
    }
    /// Reads an integer option.
    #[deprecated(note = "raw option ids: use set/get with a ClusterOption")]
    pub fn get_int(&self, option: u32) -> Result<i64> {
        let mut v = 0;
        check(unsafe { sys::vs_cluster_get_int(&mut v, self.p(), option as c_int) })?;
        Ok(v)
    }
    /// Reads a double option.
    #[deprecated(note = "raw option ids: use set/get with a ClusterOption")]
    pub fn get_double(&self, option: u32) -> Result<f64> {
        let mut v = 0.0;
        check(unsafe { sys::vs_cluster_get_double(&mut v, self.p(), option as c_int) })?;
        Ok(v)
    }
    /// Inclusive bounds of an option.
    #[deprecated(note = "raw option ids: use ClusterOption::bounds")]
    pub fn option_bounds(option: u32) -> Result<(f64, f64)> {
        let (mut lo, mut hi) = (0.0, 0.0);
        check(unsafe { sys::vs_cluster_option_bounds(&mut lo, &mut hi, option as c_int) })?;
        Ok((lo, hi))
    }
    /// The method.
    pub fn set_method(&mut self, m: Method) -> Result<&mut Self> {
        let v = match m {
            Method::KMeans => sys::VS_CLUSTER_KMEANS,
            Method::Agglomerative => sys::VS_CLUSTER_AGGLOMERATIVE,
        };
        self.set(ClusterOption::Method, v as i64)
    }
    /// The metric.
    pub fn set_metric(&mut self, m: Metric) -> Result<&mut Self> {
        let v = match m {
            Metric::Euclidean => sys::VS_CLUSTER_EUCLIDEAN,
            Metric::Cosine => sys::VS_CLUSTER_COSINE,
        };
        self.set(ClusterOption::Metric, v as i64)
    }
    /// The linkage.
    pub fn set_linkage(&mut self, l: Linkage) -> Result<&mut Self> {
        let v = match l {
            Linkage::Ward => sys::VS_CLUSTER_WARD,
            Linkage::Average => sys::VS_CLUSTER_AVERAGE,
            Linkage::Complete => sys::VS_CLUSTER_COMPLETE,
        };
        self.set(ClusterOption::Linkage, v as i64)
    }
    /// Number of clusters for [`Cluster::fit`].
    pub fn set_k(&mut self, k: i64) -> Result<&mut Self> {
        self.set(ClusterOption::K, k)
    }
    /// Seed of k-means++.
    pub fn set_seed(&mut self, seed: i64) -> Result<&mut Self> {
        self.set(ClusterOption::Seed, seed)
    }
    /// Initial k-means centres (`k × d` row-major), or none with an empty slice.
    pub fn set_init_centers(&mut self, centers: &[f64], d: usize) -> Result<&mut Self> {
        let rc = if centers.is_empty() {
            unsafe { sys::vs_cluster_set_init_centers(self.ptr.as_ptr(), ptr::null(), 0, 0) }
        } else {
            let k = shape(centers, d)?;
            unsafe { sys::vs_cluster_set_init_centers(self.ptr.as_ptr(), centers.as_ptr(), k, d) }
        };
        check(rc).map(|_| self)
    }
    /// Clusters the rows of `x` (d columns) into k clusters.
    pub fn fit(&self, x: &[f64], d: usize) -> Result<ClusterResult> {
        let n = shape(x, d)?;
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_cluster_fit(&mut out, self.p(), x.as_ptr(), n, d) })?;
        Ok(ClusterResult {
            ptr: NonNull::new(out).expect("VS_OK with NULL result"),
        })
    }
    /// Chooses k in [K_MIN, K_MAX] by the mean silhouette and returns that clustering.
    pub fn choose_k(&self, x: &[f64], d: usize) -> Result<ClusterResult> {
        let n = shape(x, d)?;
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_cluster_choose_k(&mut out, self.p(), x.as_ptr(), n, d) })?;
        Ok(ClusterResult {
            ptr: NonNull::new(out).expect("VS_OK with NULL result"),
        })
    }
}

/// Silhouette of a labelling: (mean, per-point values). `options` supplies the metric and
/// threads (None: Euclidean, one thread).
pub fn silhouette(
    options: Option<&Cluster>,
    x: &[f64],
    d: usize,
    labels: &[usize],
) -> Result<(f64, Vec<f64>)> {
    let n = shape(x, d)?;
    if labels.len() != n {
        return Err(Error::new(
            sys::VS_EMISMATCH,
            format!("{} labels for {} points", labels.len(), n),
        ));
    }
    let mut samples = vec![0.0; n];
    let (mut mean, mut needed) = (0.0, 0);
    let op = options.map_or(ptr::null(), |c| c.p());
    check(unsafe {
        sys::vs_cluster_silhouette(
            &mut mean,
            &mut needed,
            op,
            x.as_ptr(),
            n,
            d,
            labels.as_ptr(),
            samples.as_mut_ptr(),
            samples.len(),
        )
    })?;
    Ok((mean, samples))
}

/// Adjusted Rand index of two labellings of the same points.
pub fn adjusted_rand(a: &[usize], b: &[usize]) -> Result<f64> {
    if a.len() != b.len() {
        return Err(Error::new(
            sys::VS_EMISMATCH,
            format!("labellings of {} and {} points", a.len(), b.len()),
        ));
    }
    let mut v = 0.0;
    check(unsafe { sys::vs_cluster_adjusted_rand(&mut v, a.as_ptr(), b.as_ptr(), a.len()) })?;
    Ok(v)
}

/// Arrays of a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Array {
    /// k × d centres.
    Centers,
    /// k cluster sizes.
    Sizes,
    /// (n − 1) × 4 SciPy linkage matrix (agglomerative only).
    LinkageMatrix,
    /// Mean silhouette of each k tried (choose_k only).
    KScores,
}

/// Scalars of a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stat {
    /// Clusters asked for.
    K,
    /// Points.
    N,
    /// Dimension.
    D,
    /// Non-empty clusters.
    NonEmpty,
    /// Sum of distances to the centres.
    Inertia,
    /// k-means iterations of the kept run.
    Iterations,
    /// 1 if the kept run converged.
    Converged,
    /// Index of the kept restart.
    BestInit,
    /// Mean silhouette of the chosen k (choose_k).
    Silhouette,
    /// First k of the k scores (choose_k).
    KMin,
}

/// One clustering (`vs_cluster_result`), immutable.
pub struct ClusterResult {
    ptr: NonNull<sys::vs_cluster_result>,
}

// SAFETY: immutable.
unsafe impl Send for ClusterResult {}
unsafe impl Sync for ClusterResult {}

impl Drop for ClusterResult {
    fn drop(&mut self) {
        unsafe { sys::vs_cluster_result_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for ClusterResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterResult")
            .field("k", &self.scalar(Stat::K).ok())
            .field("inertia", &self.scalar(Stat::Inertia).ok())
            .finish()
    }
}

impl ClusterResult {
    fn p(&self) -> *const sys::vs_cluster_result {
        self.ptr.as_ptr()
    }
    /// The n canonical labels.
    pub fn labels(&self) -> Result<Vec<usize>> {
        let mut needed = 0;
        let rc =
            unsafe { sys::vs_cluster_result_labels(&mut needed, self.p(), ptr::null_mut(), 0) };
        if rc != sys::VS_EBUFSIZE {
            check(rc)?;
        }
        let mut buf = vec![0usize; needed];
        check(unsafe {
            sys::vs_cluster_result_labels(&mut needed, self.p(), buf.as_mut_ptr(), buf.len())
        })?;
        Ok(buf)
    }
    /// An array of the result.
    pub fn get(&self, what: Array) -> Result<Vec<f64>> {
        let w = (match what {
            Array::Centers => sys::VS_CLUSTER_CENTERS,
            Array::Sizes => sys::VS_CLUSTER_SIZES,
            Array::LinkageMatrix => sys::VS_CLUSTER_LINKAGE_MATRIX,
            Array::KScores => sys::VS_CLUSTER_K_SCORES,
        }) as c_int;
        let mut needed = 0;
        let rc =
            unsafe { sys::vs_cluster_result_get(&mut needed, self.p(), w, ptr::null_mut(), 0) };
        if rc != sys::VS_EBUFSIZE {
            check(rc)?;
        }
        let mut buf = vec![0.0; needed];
        check(unsafe {
            sys::vs_cluster_result_get(&mut needed, self.p(), w, buf.as_mut_ptr(), buf.len())
        })?;
        Ok(buf)
    }
    /// A scalar of the result.
    pub fn scalar(&self, what: Stat) -> Result<f64> {
        let w = (match what {
            Stat::K => sys::VS_CLUSTER_STAT_K,
            Stat::N => sys::VS_CLUSTER_STAT_N,
            Stat::D => sys::VS_CLUSTER_STAT_D,
            Stat::NonEmpty => sys::VS_CLUSTER_STAT_NONEMPTY,
            Stat::Inertia => sys::VS_CLUSTER_STAT_INERTIA,
            Stat::Iterations => sys::VS_CLUSTER_STAT_ITERATIONS,
            Stat::Converged => sys::VS_CLUSTER_STAT_CONVERGED,
            Stat::BestInit => sys::VS_CLUSTER_STAT_BEST_INIT,
            Stat::Silhouette => sys::VS_CLUSTER_STAT_SILHOUETTE,
            Stat::KMin => sys::VS_CLUSTER_STAT_K_MIN,
        }) as c_int;
        let mut v = 0.0;
        check(unsafe { sys::vs_cluster_result_scalar(&mut v, self.p(), w) })?;
        Ok(v)
    }
}
