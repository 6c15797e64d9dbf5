//! BaseAlign (docs/METHODS.md §1.4): masked weighted L1 distance to a target value vector.
use crate::error::{check, Result};
use crate::util::{borrowed_str, cstring};
use crate::vector::Vector;
use valuespace_sys as sys;

/// BaseAlign's published mask threshold: a dimension counts only if |s_k| > 0.3.
pub const BASEALIGN_THRESHOLD: f64 = sys::VS_BASEALIGN_THRESHOLD;

/// What the scores given to [`basealign`] are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scores {
    /// Raw evaluator outputs: tanh is applied first, as BaseAlign does (`VS_BASEALIGN_RAW`).
    Raw,
    /// Already squashed to [-1, 1]: used as they are.
    Squashed,
}

impl Scores {
    fn flags(self) -> u32 {
        match self {
            Scores::Raw => sys::VS_BASEALIGN_RAW,
            Scores::Squashed => 0,
        }
    }
}

/// The result of [`basealign`].
#[derive(Clone, Debug, PartialEq)]
pub struct BaseAlign {
    /// d = sum_k |s_k - t_k| * m_k * |t_k|.
    pub distance: f64,
    /// The reward, -d.
    pub reward: f64,
    /// m_k per dimension: 1 if |s_k| > threshold (and the score is present), else 0.
    pub mask: Vec<u8>,
}

/// The unmasked distances of [`basealign_unmasked`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unmasked {
    /// sum |s - t| over the dimensions whose target is non-zero.
    pub l1: f64,
    /// sqrt(sum (s - t)^2) over the same dimensions.
    pub l2: f64,
}

/// A built-in BaseAlign target ("default", "uk", "netherlands", "france"; folded match) as a
/// vector over level 0 of a new "schwartz10" space.
pub fn align_target(name: &str) -> Result<Vector> {
    let name = cstring(name, "target name")?;
    Vector::create(|out| unsafe { sys::vs_align_target(out, name.as_ptr()) })
}

/// The names of the built-in BaseAlign targets.
pub fn align_target_names() -> Vec<&'static str> {
    let n = unsafe { sys::vs_align_target_count() };
    // SAFETY: the names are static strings.
    (0..n)
        .filter_map(|i| unsafe { borrowed_str(sys::vs_align_target_name(i)) })
        .collect()
}

/// BaseAlign masked weighted L1 distance of `scores` to `target` (same dimensions, else
/// `VS_EMISMATCH`). `threshold` is normally [`BASEALIGN_THRESHOLD`]. Missing scores are masked
/// out; missing targets count as 0.
pub fn basealign(
    scores: &Vector,
    target: &Vector,
    kind: Scores,
    threshold: f64,
) -> Result<BaseAlign> {
    let mut distance = 0.0;
    let mut reward = 0.0;
    let mut mask = vec![0u8; scores.len()];
    check(unsafe {
        sys::vs_basealign(
            &mut distance,
            &mut reward,
            scores.as_ptr(),
            target.as_ptr(),
            kind.flags(),
            threshold,
            mask.as_mut_ptr(),
            mask.len(),
        )
    })?;
    Ok(BaseAlign {
        distance,
        reward,
        mask,
    })
}

/// The unmasked L1 and L2 distances the FULCRA evaluation script reports beside BaseAlign,
/// over the dimensions whose target is non-zero.
pub fn basealign_unmasked(scores: &Vector, target: &Vector, kind: Scores) -> Result<Unmasked> {
    let mut l1 = 0.0;
    let mut l2 = 0.0;
    check(unsafe {
        sys::vs_basealign_unmasked(
            &mut l1,
            &mut l2,
            scores.as_ptr(),
            target.as_ptr(),
            kind.flags(),
        )
    })?;
    Ok(Unmasked { l1, l2 })
}
