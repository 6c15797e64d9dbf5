//! Mergeable per-dimension statistics with a Poisson bootstrap whose shards merge bit-exactly
//! (`valuespace/accum.h`).
use std::ffi::CString;
use std::fmt;
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::error::{check, Result};
use crate::util::{cpath, cstring};
use valuespace_sys as sys;

/// Default confidence level of the intervals (0.95).
pub const LEVEL_DEFAULT: f64 = sys::VS_ACCUM_LEVEL_DEFAULT;

/// Interval method of [`Accum::ci`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CiMethod {
    /// Type-7 quantiles of the replicate means.
    Percentile,
    /// exact_mean ± z · bootstrap standard error.
    Normal,
}

/// Statistics of one dimension (`vs_accum_stats`; undefined values are NaN).
pub type Stats = sys::vs_accum_stats;

/// Hashes an item id as every module does (`vs_accum_item_hash`).
pub fn item_hash(item_id: &str) -> Result<u64> {
    let id = cstring(item_id, "item id")?;
    let mut h = 0u64;
    check(unsafe { sys::vs_accum_item_hash(&mut h, id.as_ptr()) })?;
    Ok(h)
}

/// The bootstrap weight of an item in a replicate (a pure function; 0..=12).
pub fn weight(seed: u64, replicate: u64, item_hash: u64) -> u32 {
    unsafe { sys::vs_accum_weight(seed, replicate, item_hash) }
}

/// An accumulator over K dimensions with B bootstrap replicates (`vs_accum`). `Send + Sync`:
/// `&self` methods only read.
pub struct Accum {
    ptr: NonNull<sys::vs_accum>,
}

// SAFETY: const functions only read (the header allows concurrent readers); changes need &mut.
unsafe impl Send for Accum {}
unsafe impl Sync for Accum {}

impl Drop for Accum {
    fn drop(&mut self) {
        unsafe { sys::vs_accum_free(self.ptr.as_ptr()) }
    }
}

impl Clone for Accum {
    /// `vs_accum_clone`; panics only when memory is exhausted.
    fn clone(&self) -> Accum {
        self.try_clone().expect("vs_accum_clone")
    }
}

impl fmt::Debug for Accum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Accum")
            .field("dims", &self.dimension_count())
            .field("replicates", &self.replicate_count())
            .field("seed", &self.seed())
            .field("rows", &self.row_count())
            .finish()
    }
}

fn wrap(f: impl FnOnce(*mut *mut sys::vs_accum) -> i32) -> Result<Accum> {
    let mut out = ptr::null_mut();
    check(f(&mut out))?;
    Ok(Accum {
        ptr: NonNull::new(out).expect("VS_OK with NULL accumulator"),
    })
}

option_enum! {
    /// The options of the handle ([`crate::options`]: `set`/`get`), `VS_ACCUM_OPT_*`.
    AccumOption(id = sys::vs_accum_option_id, name = sys::vs_accum_option_name, bounds = sys::vs_accum_option_bounds):
    /// fixed-point fractional bits F, 0..62; default 32; only while empty.
    ScaleBits = sys::VS_ACCUM_OPT_SCALE_BITS => Int,
}

option_methods!(
    Accum,
    ptr,
    AccumOption,
    int(sys::vs_accum_set_int, sys::vs_accum_get_int)
);

impl Accum {
    /// An empty accumulator with `dims` dimensions, `replicates` bootstrap replicates and a seed.
    pub fn new(dims: usize, replicates: usize, seed: u64) -> Result<Accum> {
        wrap(|out| unsafe { sys::vs_accum_create(out, dims, replicates, seed) })
    }
    /// Wraps a raw accumulator that the caller owns.
    ///
    /// # Safety
    /// `ptr` is a valid accumulator nobody else frees.
    pub(crate) unsafe fn from_raw(ptr: *mut sys::vs_accum) -> Accum {
        Accum {
            ptr: NonNull::new(ptr).expect("NULL accumulator"),
        }
    }
    /// An independent copy.
    pub fn try_clone(&self) -> Result<Accum> {
        wrap(|out| unsafe { sys::vs_accum_clone(out, self.as_ptr()) })
    }
    /// Reads serialised bytes.
    pub fn deserialize(data: &[u8]) -> Result<Accum> {
        wrap(|out| unsafe { sys::vs_accum_deserialize(out, data.as_ptr(), data.len()) })
    }
    /// Reads a file written by [`Accum::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<Accum> {
        let p = cpath(path.as_ref())?;
        wrap(|out| unsafe { sys::vs_accum_load(out, p.as_ptr()) })
    }
    /// The raw handle (owned by this value).
    pub fn as_ptr(&self) -> *const sys::vs_accum {
        self.ptr.as_ptr()
    }
    /// K.
    pub fn dimension_count(&self) -> usize {
        unsafe { sys::vs_accum_dimension_count(self.as_ptr()) }
    }
    /// The former name of [`Self::dimension_count`] (README, "Deprecated names").
    #[deprecated(note = "use dimension_count")]
    pub fn dims(&self) -> usize {
        self.dimension_count()
    }
    /// B.
    pub fn replicate_count(&self) -> usize {
        unsafe { sys::vs_accum_replicate_count(self.as_ptr()) }
    }
    /// The former name of [`Self::replicate_count`] (README, "Deprecated names").
    #[deprecated(note = "use replicate_count")]
    pub fn replicates(&self) -> usize {
        self.replicate_count()
    }
    /// The bootstrap seed.
    pub fn seed(&self) -> u64 {
        unsafe { sys::vs_accum_seed(self.as_ptr()) }
    }
    /// Rows added (merged shards included).
    pub fn row_count(&self) -> u64 {
        unsafe { sys::vs_accum_row_count(self.as_ptr()) }
    }
    /// The former name of [`Self::row_count`] (README, "Deprecated names").
    #[deprecated(note = "use row_count")]
    pub fn rows(&self) -> u64 {
        self.row_count()
    }
    /// Fixed-point fractional bits F (default 32); changeable only while empty.
    pub fn set_scale_bits(&mut self, bits: i64) -> Result<&mut Self> {
        self.set(AccumOption::ScaleBits, bits)
    }
    /// The fractional bits F.
    pub fn scale_bits(&self) -> i64 {
        self.get(AccumOption::ScaleBits)
            .ok()
            .and_then(|v| v.as_i64())
            .unwrap_or(0)
    }
    /// Inclusive bounds of a `VS_ACCUM_OPT_*` option.
    #[deprecated(note = "raw option ids: use AccumOption::bounds")]
    pub fn option_bounds(option: u32) -> Result<(f64, f64)> {
        let (mut lo, mut hi) = (0.0, 0.0);
        check(unsafe { sys::vs_accum_option_bounds(&mut lo, &mut hi, option as i32) })?;
        Ok((lo, hi))
    }
    /// Adds one row (NaN = not observed) for an item hash.
    pub fn add(&mut self, item_hash: u64, values: &[f64]) -> Result<()> {
        check(unsafe {
            sys::vs_accum_add(self.ptr.as_ptr(), item_hash, values.as_ptr(), values.len())
        })
    }
    /// Adds one row for an item id.
    pub fn add_id(&mut self, item_id: &str, values: &[f64]) -> Result<()> {
        let id: CString = cstring(item_id, "item id")?;
        check(unsafe {
            sys::vs_accum_add_id(
                self.ptr.as_ptr(),
                id.as_ptr(),
                values.as_ptr(),
                values.len(),
            )
        })
    }
    /// Adds `item_hashes.len()` rows at once from a row-major matrix with `dims` columns.
    pub fn add_rows(&mut self, item_hashes: &[u64], values: &[f64], dims: usize) -> Result<()> {
        if values.len() != item_hashes.len().saturating_mul(dims) {
            return Err(crate::error::Error::new(
                sys::VS_EMISMATCH,
                format!(
                    "Accum::add_rows: {} values for {} rows of {} dimensions",
                    values.len(),
                    item_hashes.len(),
                    dims
                ),
            ));
        }
        check(unsafe {
            sys::vs_accum_add_rows(
                self.ptr.as_ptr(),
                item_hashes.as_ptr(),
                values.as_ptr(),
                item_hashes.len(),
                dims,
            )
        })
    }
    /// Adds the contents of `from` (same K, B, seed and scale).
    pub fn merge(&mut self, from: &Accum) -> Result<()> {
        check(unsafe { sys::vs_accum_merge(self.ptr.as_ptr(), from.as_ptr()) })
    }
    /// Statistics of one dimension.
    pub fn stats(&self, dim: usize) -> Result<Stats> {
        let mut s = sys::vs_accum_stats_init();
        check(unsafe { sys::vs_accum_stats_get(&mut s, self.as_ptr(), dim) })?;
        Ok(s)
    }
    /// The B replicate means of one dimension (NaN where undefined).
    pub fn replicate_means(&self, dim: usize) -> Result<Vec<f64>> {
        let mut buf = vec![0.0; self.replicate_count()];
        let mut needed = 0;
        check(unsafe {
            sys::vs_accum_replicate_means(
                &mut needed,
                self.as_ptr(),
                dim,
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        Ok(buf)
    }
    /// A bootstrap confidence interval (low, high) for the mean of a dimension.
    pub fn ci(&self, dim: usize, method: CiMethod, level: f64) -> Result<(f64, f64)> {
        let m = match method {
            CiMethod::Percentile => sys::VS_ACCUM_CI_PERCENTILE,
            CiMethod::Normal => sys::VS_ACCUM_CI_NORMAL,
        };
        let (mut lo, mut hi) = (0.0, 0.0);
        check(unsafe { sys::vs_accum_ci(&mut lo, &mut hi, self.as_ptr(), dim, m as i32, level) })?;
        Ok((lo, hi))
    }
    /// The serialised bytes (depend only on the state).
    pub fn serialize(&self) -> Result<Vec<u8>> {
        let mut needed = 0;
        let rc = unsafe { sys::vs_accum_serialize(&mut needed, self.as_ptr(), ptr::null_mut(), 0) };
        if rc != sys::VS_EBUFSIZE {
            check(rc)?;
        }
        let mut buf = vec![0u8; needed];
        check(unsafe {
            sys::vs_accum_serialize(&mut needed, self.as_ptr(), buf.as_mut_ptr(), buf.len())
        })?;
        Ok(buf)
    }
    /// Writes the serialised bytes to a file (atomically).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let p = cpath(path.as_ref())?;
        check(unsafe { sys::vs_accum_save(self.as_ptr(), p.as_ptr()) })
    }
}
