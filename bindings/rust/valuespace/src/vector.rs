//! Value vectors (`vs_vector`): one double per dimension of one level of a space.
use std::fmt;
use std::ptr::{self, NonNull};

use crate::error::{check, Error, Result};
use crate::space::SpaceRef;
use crate::util::cstring;
use valuespace_sys as sys;

/// Distance and similarity measures for [`Vector::compare`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Distance: sum |a - b|.
    L1,
    /// Distance: sqrt(sum (a - b)^2).
    L2,
    /// Similarity in [-1, 1]: a.b / (|a| |b|).
    Cosine,
    /// Similarity in [-1, 1]: Spearman's rho (ties get average ranks).
    Spearman,
}

impl Metric {
    fn raw(self) -> u32 {
        match self {
            Metric::L1 => sys::VS_METRIC_L1,
            Metric::L2 => sys::VS_METRIC_L2,
            Metric::Cosine => sys::VS_METRIC_COSINE,
            Metric::Spearman => sys::VS_METRIC_SPEARMAN,
        }
    }
}

/// How [`Vector::aggregate`] combines the children of a parent dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// Mean of the children present.
    Mean,
    /// The child value of largest |x|; a tie of opposite signs gives their mean.
    MaxMagnitude,
    /// Sign of the sum of the children's signs: +1, 0 or -1.
    SignVote,
}

impl Aggregate {
    fn raw(self) -> u32 {
        match self {
            Aggregate::Mean => sys::VS_AGGREGATE_MEAN,
            Aggregate::MaxMagnitude => sys::VS_AGGREGATE_MAX_MAGNITUDE,
            Aggregate::SignVote => sys::VS_AGGREGATE_SIGN_VOTE,
        }
    }
}

/// Result of [`Vector::circle_fit`]: x_k = mesor + amplitude * cos(theta_k - phase).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CircleFit {
    /// The fitted mean level.
    pub mesor: f64,
    /// The amplitude (>= 0).
    pub amplitude: f64,
    /// Angle of the peak in degrees, in [0, 360) (0 when the amplitude is 0).
    pub phase_degrees: f64,
    /// 1 - SS_res / SS_tot.
    pub r_squared: f64,
    /// Number of dimensions used.
    pub n: usize,
}

/// A value vector over one level of a space; NaN marks a missing entry. Dropping it calls
/// `vs_vector_free`. It keeps its space alive, so it may outlive the [`crate::Space`] it was
/// made from.
///
/// `Vector` is `Send` (it may move to another thread) but not `Sync`: the C rule is that one
/// handle is used by one thread at a time.
///
/// ```compile_fail
/// fn shared_between_threads<T: Sync>() {}
/// shared_between_threads::<valuespace::Vector>();
/// ```
pub struct Vector {
    ptr: NonNull<sys::vs_vector>,
}

// SAFETY: a vector is only bound to an immutable space (atomic reference count); moving the
// handle to another thread is allowed by the C thread-safety rule. It is not Sync.
unsafe impl Send for Vector {}

impl Vector {
    /// # Safety
    /// `ptr` is a valid vector handle the caller gives away.
    pub(crate) unsafe fn from_raw(ptr: *mut sys::vs_vector) -> Vector {
        Vector {
            ptr: NonNull::new(ptr).expect("libvaluespace returned VS_OK with a NULL vector"),
        }
    }

    pub(crate) fn create(f: impl FnOnce(*mut *mut sys::vs_vector) -> i32) -> Result<Vector> {
        let mut out = ptr::null_mut();
        check(f(&mut out))?;
        // SAFETY: on VS_OK the out-parameter holds a new vector we now own.
        Ok(unsafe { Vector::from_raw(out) })
    }

    /// A vector over `level` of `space`, every entry missing (NaN).
    pub fn new(space: &SpaceRef, level: usize) -> Result<Vector> {
        Vector::create(|out| unsafe { sys::vs_vector_create(out, space.as_ptr(), level) })
    }

    /// A vector over `level` of `space` with the given values (NaN = missing).
    pub fn from_values(space: &SpaceRef, level: usize, values: &[f64]) -> Result<Vector> {
        let mut v = Vector::new(space, level)?;
        v.set_values(values)?;
        Ok(v)
    }

    /// An independent copy (`vs_vector_clone`).
    pub fn try_clone(&self) -> Result<Vector> {
        Vector::create(|out| unsafe { sys::vs_vector_clone(out, self.as_ptr()) })
    }

    /// The raw handle, still owned by `self`.
    pub fn as_ptr(&self) -> *const sys::vs_vector {
        self.ptr.as_ptr()
    }

    /// The space the vector is bound to.
    pub fn space(&self) -> &SpaceRef {
        // SAFETY: the vector holds a reference to its space for as long as it lives.
        unsafe { SpaceRef::from_ptr(sys::vs_vector_space(self.as_ptr())) }
    }

    /// The level of the space the vector is over.
    pub fn level(&self) -> usize {
        unsafe { sys::vs_vector_level(self.as_ptr()) }
    }

    /// Number of entries (the size of its level).
    pub fn len(&self) -> usize {
        unsafe { sys::vs_vector_dimension_count(self.as_ptr()) }
    }

    /// True when the level has no dimension.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of missing (NaN) entries.
    pub fn missing_count(&self) -> usize {
        unsafe { sys::vs_vector_missing_count(self.as_ptr()) }
    }

    /// Entry `i` (NaN when missing); `VS_ERANGE` when out of range.
    pub fn get(&self, i: usize) -> Result<f64> {
        let mut out = 0.0;
        check(unsafe { sys::vs_vector_get(&mut out, self.as_ptr(), i) })?;
        Ok(out)
    }

    /// Sets entry `i`; NaN marks it missing, infinities are `VS_EINVAL`.
    pub fn set(&mut self, i: usize, value: f64) -> Result<()> {
        check(unsafe { sys::vs_vector_set(self.ptr.as_ptr(), i, value) })
    }

    /// The entry named `name` (key, label or alias, folded lookup within the vector's level).
    pub fn get_by_name(&self, name: &str) -> Result<f64> {
        let name = cstring(name, "dimension name")?;
        let mut out = 0.0;
        check(unsafe { sys::vs_vector_get_by_name(&mut out, self.as_ptr(), name.as_ptr()) })?;
        Ok(out)
    }

    /// Sets the entry named `name`.
    pub fn set_by_name(&mut self, name: &str, value: f64) -> Result<()> {
        let name = cstring(name, "dimension name")?;
        check(unsafe { sys::vs_vector_set_by_name(self.ptr.as_ptr(), name.as_ptr(), value) })
    }

    /// Sets all entries (`values.len()` must equal [`len`](Self::len), else `VS_EMISMATCH`);
    /// on failure nothing changes.
    pub fn set_values(&mut self, values: &[f64]) -> Result<()> {
        check(unsafe {
            sys::vs_vector_set_values(self.ptr.as_ptr(), values.as_ptr(), values.len())
        })
    }

    /// A copy of all entries (NaN = missing).
    pub fn values(&self) -> Vec<f64> {
        let mut buf = vec![0.0; self.len()];
        loop {
            let mut needed = 0usize;
            let rc = unsafe {
                sys::vs_vector_get_values(&mut needed, self.as_ptr(), buf.as_mut_ptr(), buf.len())
            };
            match rc {
                sys::VS_OK => {
                    buf.truncate(needed);
                    return buf;
                }
                sys::VS_EBUFSIZE => buf.resize(needed, 0.0),
                _ => panic!(
                    "vs_vector_get_values failed on a valid vector: {}",
                    Error::last(rc)
                ),
            }
        }
    }

    /// Aggregates to a higher level: each parent combines its present children; a parent
    /// without present children is missing.
    pub fn aggregate(&self, to_level: usize, policy: Aggregate) -> Result<Vector> {
        Vector::create(|out| unsafe {
            sys::vs_vector_aggregate(out, self.as_ptr(), to_level, policy.raw())
        })
    }

    /// Ipsatisation (MRAT centring): subtracts the mean of the present entries, in place.
    /// `VS_EUNDEFINED` when no entry is present (the vector is unchanged).
    pub fn ipsatize(&mut self) -> Result<()> {
        check(unsafe { sys::vs_vector_ipsatize(self.ptr.as_ptr()) })
    }

    /// Compares with another vector over the entries present in both.
    pub fn compare(&self, other: &Vector, metric: Metric) -> Result<f64> {
        let mut out = 0.0;
        check(unsafe {
            sys::vs_vector_compare(&mut out, self.as_ptr(), other.as_ptr(), metric.raw())
        })?;
        Ok(out)
    }

    /// Weighted-sum alignment (Value Compass): sum_k w_k v_k over entries present in both;
    /// with `normalize`, divided by sum_k |w_k| over those entries.
    pub fn weighted_sum(&self, weights: &Vector, normalize: bool) -> Result<f64> {
        let flags = if normalize {
            sys::VS_WEIGHTED_SUM_NORMALIZE
        } else {
            0
        };
        let mut out = 0.0;
        check(unsafe {
            sys::vs_vector_weighted_sum(&mut out, self.as_ptr(), weights.as_ptr(), flags)
        })?;
        Ok(out)
    }

    /// Least-squares sinusoid over the circle angles of the vector's dimensions.
    pub fn circle_fit(&self) -> Result<CircleFit> {
        let mut fit = sys::vs_circle_fit_init();
        check(unsafe { sys::vs_vector_circle_fit(&mut fit, self.as_ptr()) })?;
        Ok(CircleFit {
            mesor: fit.mesor,
            amplitude: fit.amplitude,
            phase_degrees: fit.phase_degrees,
            r_squared: fit.r_squared,
            n: fit.n,
        })
    }
}

impl Drop for Vector {
    fn drop(&mut self) {
        unsafe { sys::vs_vector_free(self.ptr.as_ptr()) }
    }
}

impl Clone for Vector {
    /// Panics only if the library cannot allocate the copy (like `Vec`'s clone aborting).
    fn clone(&self) -> Vector {
        self.try_clone()
            .unwrap_or_else(|e| panic!("vs_vector_clone failed: {}", e))
    }
}

impl fmt::Debug for Vector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vector")
            .field("space", &self.space().name())
            .field("level", &self.level())
            .field("values", &self.values())
            .finish()
    }
}
