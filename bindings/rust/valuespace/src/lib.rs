//! Safe Rust API for libvaluespace, a C library that measures the values expressed by LLMs.
//!
//! Handles are RAII types whose `Drop` calls the C `vs_*_free`; fallible calls return
//! [`Result<T>`] whose [`Error`] carries the C status code and the detail message of
//! `vs_last_error()`; numbers go in as slices and come out as `Vec`s.
//!
//! Modules: spaces ([`Space`], [`SpaceBuilder`]), vectors ([`Vector`]) and BaseAlign
//! ([`basealign`]) at the top level; factor analysis in [`fa`]; text normalisation, tokens and
//! hashed n-gram features in [`text`]; FULCRA and generic labelled datasets in [`dataset`];
//! models built from Rust closures in [`model`]; item banks and the projective runner in
//! [`projective`]; mergeable bootstrap accumulators in [`accum`]; k-means and agglomerative
//! clustering in [`cluster`]; ValueLex construction (lexicons, word vectors, analysis) in
//! [`lexical`]; value evaluators, metrics and profiles in [`evaluator`]; the raw
//! C API in [`sys`].
//!
//! ```no_run
//! use valuespace::{align_target, basealign, Scores, Space, Vector, BASEALIGN_THRESHOLD};
//!
//! # fn main() -> valuespace::Result<()> {
//! let space = Space::builtin("schwartz10")?;
//! let raw = [0.1, -0.2, 0.0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9];
//! let scores = Vector::from_values(&space, 0, &raw)?;
//! let target = align_target("default")?;
//! let r = basealign(&scores, &target, Scores::Raw, BASEALIGN_THRESHOLD)?;
//! println!("distance {:.6}, mask {:?}", r.distance, r.mask); // 2.319675, [0,0,0,1,1,1,0,0,1,1]
//! # Ok(())
//! # }
//! ```
//!
//! # Threads
//!
//! The C rule: distinct handles may be used from different threads; one handle is used by one
//! thread at a time; a frozen space is immutable and shareable. Hence [`Space`] is `Send + Sync`
//! (immutable, atomic reference count: share it in an `Arc`), [`Vector`] and [`SpaceBuilder`]
//! are `Send` but not `Sync`. Error messages are thread-local in C and copied into the
//! [`Error`] on the thread that made the call.
//!
//! # Callbacks
//!
//! C callbacks take a `void *user_data` first. The safe API takes closures instead
//! ([`model::ModelBuilder`], [`model::Backend`], [`evaluator::Evaluator::from_fn`],
//! [`projective::Runner::set_progress`], [`model::Model::set_sleep`],
//! [`lexical::Lexicon::set_lemmatizer`]): the closures are boxed and
//! the box's address is the `user_data` of `extern "C"` trampolines. A trampoline runs its
//! closure inside `std::panic::catch_unwind` (unwinding across the C boundary is undefined
//! behaviour), stores a panic payload or the closure's fatal error beside the closure and
//! returns a failure to C; when the C call returns, the wrapper resumes the panic
//! (`std::panic::resume_unwind`), so the caller sees the callback's panic as that panic, or
//! returns `VS_ECALLBACK` with the closure's message appended. A model's closures live as long
//! as the C model (freed by its `destroy` callback, so a runner holding a reference keeps them
//! alive); closures must be `Send` because the handles that own them are.
//!
//! ```no_run
//! use valuespace::model::{GenerateCall, GenerateRequest, ItemError, Model};
//!
//! # fn main() -> valuespace::Result<()> {
//! let mut model = Model::builder()
//!     .generate(|calls: &[GenerateCall<'_>]| {
//!         Ok(calls
//!             .iter()
//!             .map(|c| match c.prompt {
//!                 Some(p) if !p.is_empty() => Ok(format!("echo: {}", p)),
//!                 _ => Err(ItemError::Permanent("empty prompt".into())),
//!             })
//!             .collect())
//!     })
//!     .build()?;
//! model.set_max_batch(8)?.set_seed(42)?;
//! let results = model.generate(&[GenerateRequest::prompt("q1", "hello")])?;
//! assert_eq!(results.text(0), Some("echo: hello"));
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs, missing_debug_implementations)]

#[macro_use]
pub mod options;
pub mod accum;
mod align;
pub mod cluster;
pub mod dataset;
mod error;
pub mod evaluator;
pub mod fa;
pub mod lexical;
pub mod model;
pub mod projective;
mod runner;
mod space;
pub mod text;
mod util;
mod vector;

pub use align::{
    align_target, align_target_names, basealign, basealign_unmasked, BaseAlign, Scores, Unmasked,
    BASEALIGN_THRESHOLD,
};
pub use error::{Error, ErrorKind, Result};
pub use space::{Dimension, Dimensions, Level, Space, SpaceBuilder, SpaceRef};
pub use vector::{Aggregate, CircleFit, Metric, Vector};

/// The raw bindings, for what the safe API does not cover.
pub use valuespace_sys as sys;

/// The version of the loaded library as major * 10000 + minor * 100 + patch.
pub fn version() -> u32 {
    unsafe { sys::vs_version() }
}

/// The version of the loaded library as text, e.g. "0.1.0".
pub fn version_string() -> &'static str {
    // SAFETY: a static string.
    unsafe { util::borrowed_str(sys::vs_version_string()) }.unwrap_or("")
}

/// True when the loaded library has the major version these bindings were generated from and
/// at least their minor version (`VS_CHECK_VERSION()`).
pub fn version_compatible() -> bool {
    sys::vs_check_version()
}

/// The index of the name in `names` closest to `value`, as the library's own "did you mean"
/// hints choose it (`vs_closest_name`: optimal-string-alignment edit distance, ASCII
/// case-insensitive, about one edit in three letters, the first of equally close names); `None`
/// when none is that close. A string holding a NUL byte is never close.
///
/// ```
/// assert_eq!(valuespace::closest_name("varimx", &["none", "varimax"]), Some(1));
/// assert_eq!(valuespace::closest_name("PROMAX", &["varimax", "promax"]), Some(1));
/// assert_eq!(valuespace::closest_name("xyz", &["none", "varimax"]), None);
/// ```
pub fn closest_name(value: &str, names: &[&str]) -> Option<usize> {
    use std::ffi::CString;
    let value = CString::new(value).ok()?;
    let owned: Vec<Option<CString>> = names.iter().map(|n| CString::new(*n).ok()).collect();
    let ptrs: Vec<*const std::os::raw::c_char> =
        owned.iter().map(|c| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())).collect();
    // SAFETY: `value` and every non-null entry are NUL-terminated strings that outlive the call;
    // the library skips NULL entries and reads nothing past ptrs[len - 1].
    let index = unsafe { sys::vs_closest_name(value.as_ptr(), ptrs.as_ptr(), ptrs.len()) };
    (index != usize::MAX).then_some(index)
}

/// README.md's Rust example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
