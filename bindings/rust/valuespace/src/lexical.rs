//! ValueLex construction (`valuespace/lexical.h`): a [`Lexicon`] of responses and the terms
//! parsed from them (or a term matrix read from CSV), [`WordVectors`], the analysis
//! [`Options`] and one [`LexicalResult`]: correlations, factor analysis, sub-dimensions
//! clustered on word vectors, the [`Space`] they define and a JSON report. [`elicit`] runs
//! elicitation prompts (the built-in [`prompts`], or given ones) over [`Model`]s into a JSONL
//! journal that [`Lexicon::add_journal`] reads back; [`journal_failures`] counts its failed
//! items and names the first.
//!
//! ```no_run
//! use valuespace::lexical::{Lexicon, Options};
//! # fn main() -> valuespace::Result<()> {
//! let mut lexicon = Lexicon::new()?;
//! lexicon.add_response(Some("m1"), "1. Honesty\n2. Kindness - being nice\n3. Fairness")?;
//! assert_eq!(lexicon.response_terms(0), ["honesty", "kindness", "fairness"]);
//! let mut options = Options::new()?;
//! options.set_nfactors(1)?;
//! # Ok(())
//! # }
//! ```
//!
//! Callbacks: a lemmatiser closure ([`Lexicon::set_lemmatizer`]) and the model closures run by
//! [`WordVectors::embed`] and [`elicit`] are called inside `catch_unwind`; a panic makes the C
//! call fail and is resumed (`std::panic::resume_unwind`) when the method returns, so the caller
//! sees it as that panic.
//!
//! Threads: every handle is `Send + Sync`; a lexicon and word vectors change only through
//! `&mut`, and the header allows several threads to read them (analysis) while nobody changes
//! them. Results are immutable.
use std::any::Any;
use std::borrow::BorrowMut;
use std::ffi::CString;
use std::fmt;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::error::{check, Error, Result};
use crate::model::{finish_all, Model};
use crate::space::Space;
use crate::util::{borrowed_str, cpath, cstring, owned_string};
use valuespace_sys as sys;

/// Longest term in bytes (after normalisation); longer terms are dropped.
pub const MAX_TERM_BYTES: usize = sys::VS_LEXICON_MAX_TERM_BYTES as usize;

/// Reads an array with the (out_needed, buf, cap) convention.
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

fn to_i64(v: usize, what: &str) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::new(sys::VS_ERANGE, format!("{} too large", what)))
}

option_enum! {
    /// Options of a [`Lexicon`] (integers; [`crate::options`]: `set`/`get`).
    LexiconOption(id = sys::vs_lexicon_option_id, name = sys::vs_lexicon_option_name, bounds = sys::vs_lexicon_option_bounds):
    /// Kept terms occur at least this often in total (default 1).
    MinFreq = sys::VS_LEXICON_OPT_MIN_FREQ => Int,
    /// Kept terms occur in responses of at least this many models (default 1).
    MinModels = sys::VS_LEXICON_OPT_MIN_MODELS => Int,
    /// Longest term in words (default 3).
    MaxWords = sys::VS_LEXICON_OPT_MAX_WORDS => Int,
}

option_methods!(
    Lexicon,
    ptr,
    LexiconOption,
    int(sys::vs_lexicon_set_int, sys::vs_lexicon_get_int)
);

type LemmaFn = dyn FnMut(&str) -> std::result::Result<String, String> + Send;

/// The lemmatiser behind `user_data`: the closure and what it raised during a C call.
struct Lemmatizer {
    f: Box<LemmaFn>,
    panic: Option<Box<dyn Any + Send>>,
    error: Option<String>,
}

/// Fills `buf` (cap bytes) with the closure's lemma; a failure is stored and returned as 1.
unsafe extern "C" fn tramp_lemma(
    ud: *mut c_void,
    term: *const c_char,
    buf: *mut c_char,
    cap: usize,
) -> c_int {
    let st = &mut *(ud as *mut Lemmatizer);
    if st.panic.is_some() || st.error.is_some() {
        return 1;
    }
    let term = borrowed_str(term).unwrap_or("");
    let f = &mut st.f;
    match panic::catch_unwind(AssertUnwindSafe(|| f(term))) {
        Ok(Ok(lemma)) => {
            let b = lemma.as_bytes();
            if let Some(at) = b.iter().position(|&c| c == 0) {
                st.error = Some(format!(
                    "the lemma of '{}' contains a NUL byte at offset {}",
                    term, at
                ));
                1
            } else if buf.is_null() || b.len() >= cap {
                st.error = Some(format!(
                    "the lemma of '{}' has {} bytes, more than the {} the buffer holds",
                    term,
                    b.len(),
                    cap.saturating_sub(1)
                ));
                1
            } else {
                ptr::copy_nonoverlapping(b.as_ptr(), buf.cast::<u8>(), b.len());
                *buf.add(b.len()) = 0;
                0
            }
        }
        Ok(Err(msg)) => {
            st.error = Some(msg);
            1
        }
        Err(payload) => {
            st.panic = Some(payload);
            1
        }
    }
}

/// Responses and their terms (`vs_lexicon`), with an optional lemmatiser closure it owns.
pub struct Lexicon {
    ptr: NonNull<sys::vs_lexicon>,
    /// The lemmatiser whose address C holds (`Box::into_raw`): freed after the C lexicon, or
    /// after C was given its replacement.
    lemma: Option<NonNull<Lemmatizer>>,
}

// SAFETY: changed only through &mut self; the header allows concurrent readers. The lemmatiser
// closure is Send and runs only inside &mut self methods (add_response, add_journal), so
// sharing &Lexicon never touches it.
unsafe impl Send for Lexicon {}
unsafe impl Sync for Lexicon {}

impl Drop for Lexicon {
    fn drop(&mut self) {
        // The C lexicon goes first, then the lemmatiser it pointed to.
        unsafe { sys::vs_lexicon_free(self.ptr.as_ptr()) }
        Lexicon::free_lemma(self.lemma.take());
    }
}

impl fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lexicon")
            .field("responses", &self.response_count())
            .field("terms", &self.term_count())
            .field("lemmatizer", &self.lemma.is_some())
            .finish()
    }
}

impl Lexicon {
    fn wrap(out: *mut sys::vs_lexicon) -> Lexicon {
        Lexicon {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_lexicon"),
            lemma: None,
        }
    }

    /// Frees a lemmatiser C no longer points to.
    fn free_lemma(lemma: Option<NonNull<Lemmatizer>>) {
        if let Some(l) = lemma {
            // SAFETY: made by Box::into_raw in set_lemmatizer; C no longer holds it.
            drop(unsafe { Box::from_raw(l.as_ptr()) });
        }
    }

    /// After a call that may have run the lemmatiser: resumes its panic, or appends its
    /// message to the `VS_ECALLBACK` error.
    fn finish(&mut self, rc: c_int) -> Result<()> {
        let err = (rc != sys::VS_OK).then(|| Error::last(rc));
        let (payload, msg) = match self.lemma {
            // SAFETY: alive while set; no C call (hence no callback) runs now (&mut self).
            Some(l) => unsafe {
                let l = &mut *l.as_ptr();
                (l.panic.take(), l.error.take())
            },
            None => (None, None),
        };
        if let Some(p) = payload {
            panic::resume_unwind(p);
        }
        match (err, msg) {
            (None, _) => Ok(()),
            (Some(e), Some(m)) if e.code() == sys::VS_ECALLBACK => {
                Err(Error::new(e.code(), format!("{}: {}", e.message(), m)))
            }
            (Some(e), _) => Err(e),
        }
    }

    fn p(&self) -> *const sys::vs_lexicon {
        self.ptr.as_ptr()
    }

    /// An empty lexicon.
    pub fn new() -> Result<Lexicon> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_lexicon_create(&mut out) })?;
        Ok(Lexicon::wrap(out))
    }

    /// Reads a term matrix from CSV: a header row of term names, then one row per response.
    pub fn load_csv(path: impl AsRef<Path>) -> Result<Lexicon> {
        let path = cpath(path.as_ref())?;
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_lexicon_load_csv(&mut out, path.as_ptr()) })?;
        Ok(Lexicon::wrap(out))
    }

    /// Sets an option (the kept terms are recomputed at once).
    pub fn set_int(&mut self, option: LexiconOption, value: i64) -> Result<&mut Self> {
        check(unsafe { sys::vs_lexicon_set_int(self.ptr.as_ptr(), option.raw(), value) })?;
        Ok(self)
    }

    /// Reads an option.
    pub fn get_int(&self, option: LexiconOption) -> Result<i64> {
        let mut out = 0i64;
        check(unsafe { sys::vs_lexicon_get_int(&mut out, self.p(), option.raw()) })?;
        Ok(out)
    }

    /// Sets the lemmatiser used by responses added afterwards (replacing any earlier one): it
    /// gets each normalised term and returns its lemma (normalised again by the library; an
    /// empty lemma drops the term). `Err(message)` makes the adding call
    /// ([`Lexicon::add_response`], [`Lexicon::add_journal`]) fail with `VS_ECALLBACK`, the
    /// message appended; so does a lemma with a NUL byte or of more than [`MAX_TERM_BYTES`]
    /// bytes (the C buffer holds 255 bytes and a NUL). A panic in it fails that call too and is
    /// resumed when the call returns. The lexicon owns the closure.
    pub fn set_lemmatizer<F>(&mut self, f: F) -> Result<&mut Self>
    where
        F: FnMut(&str) -> std::result::Result<String, String> + Send + 'static,
    {
        let lemma = Box::into_raw(Box::new(Lemmatizer {
            f: Box::new(f),
            panic: None,
            error: None,
        }));
        let rc = unsafe {
            sys::vs_lexicon_set_lemmatizer(self.ptr.as_ptr(), Some(tramp_lemma), lemma.cast())
        };
        if rc != sys::VS_OK {
            let err = Error::last(rc);
            Lexicon::free_lemma(NonNull::new(lemma));
            return Err(err);
        }
        // C holds the new one now; the old one may go.
        Lexicon::free_lemma(std::mem::replace(&mut self.lemma, NonNull::new(lemma)));
        Ok(self)
    }

    /// Removes the lemmatiser (responses added afterwards are not lemmatised).
    pub fn clear_lemmatizer(&mut self) -> Result<&mut Self> {
        check(unsafe { sys::vs_lexicon_set_lemmatizer(self.ptr.as_ptr(), None, ptr::null_mut()) })?;
        Lexicon::free_lemma(self.lemma.take());
        Ok(self)
    }

    /// True if a lemmatiser is set.
    pub fn has_lemmatizer(&self) -> bool {
        self.lemma.is_some()
    }

    /// Adds a stop-term (normalised like parsed terms), used by responses added afterwards.
    pub fn add_stop_term(&mut self, term: &str) -> Result<&mut Self> {
        let term = cstring(term, "stop-term")?;
        check(unsafe { sys::vs_lexicon_add_stop_term(self.ptr.as_ptr(), term.as_ptr()) })?;
        Ok(self)
    }

    /// Parses a response written by `model_id` (None = "") and adds it with its terms. On
    /// failure the lexicon is unchanged (`VS_ECALLBACK`: the lemmatiser failed; its panic is
    /// resumed).
    pub fn add_response(&mut self, model_id: Option<&str>, text: &str) -> Result<&mut Self> {
        let model = model_id.map(|m| cstring(m, "model id")).transpose()?;
        let text = cstring(text, "response")?;
        let mp = model.as_ref().map_or(ptr::null(), |m| m.as_ptr());
        let rc = unsafe { sys::vs_lexicon_add_response(self.ptr.as_ptr(), mp, text.as_ptr()) };
        self.finish(rc)?;
        Ok(self)
    }

    /// Adds the successful responses of an elicitation journal (JSONL, see [`elicit`]), each
    /// with its record's model id. After `VS_ECALLBACK` (the lemmatiser failed or panicked) or
    /// `VS_ENOMEM` the responses before the failing one stay added.
    pub fn add_journal(&mut self, path: impl AsRef<Path>) -> Result<&mut Self> {
        let path = cpath(path.as_ref())?;
        let rc = unsafe { sys::vs_lexicon_add_journal(self.ptr.as_ptr(), path.as_ptr()) };
        self.finish(rc)?;
        Ok(self)
    }

    /// Number of responses.
    pub fn response_count(&self) -> usize {
        unsafe { sys::vs_lexicon_response_count(self.p()) }
    }

    /// The distinct terms of response `i` before the filters, in order of first occurrence
    /// (empty when out of range).
    pub fn response_terms(&self, i: usize) -> Vec<String> {
        let n = unsafe { sys::vs_lexicon_response_term_count(self.p(), i) };
        (0..n)
            .filter_map(|j| unsafe { borrowed_str(sys::vs_lexicon_response_term(self.p(), i, j)) })
            .map(str::to_owned)
            .collect()
    }

    /// Number of kept terms (after the filters).
    pub fn term_count(&self) -> usize {
        unsafe { sys::vs_lexicon_term_count(self.p()) }
    }

    /// The kept terms, by decreasing total count (ties by bytes).
    pub fn terms(&self) -> Vec<String> {
        (0..self.term_count())
            .filter_map(|j| unsafe { borrowed_str(sys::vs_lexicon_term(self.p(), j)) })
            .map(str::to_owned)
            .collect()
    }

    /// Total count and number of distinct models of kept term `j`.
    pub fn term_stats(&self, j: usize) -> Result<(f64, usize)> {
        let (mut total, mut models) = (0.0, 0usize);
        check(unsafe { sys::vs_lexicon_term_stats(&mut total, &mut models, self.p(), j) })?;
        Ok((total, models))
    }

    /// The responses x kept-terms matrix, row-major: presence (0/1) or, with `counts`, the
    /// counts (CSV: the cell values).
    pub fn matrix(&self, counts: bool) -> Result<Vec<f64>> {
        read_array(|needed, buf, cap| unsafe {
            sys::vs_lexicon_matrix(needed, self.p(), c_int::from(counts), buf, cap)
        })
    }
}

/// Word vectors (`vs_wordvecs`).
pub struct WordVectors {
    ptr: NonNull<sys::vs_wordvecs>,
}

// SAFETY: changed only through &mut self; the header allows concurrent readers.
unsafe impl Send for WordVectors {}
unsafe impl Sync for WordVectors {}

impl Drop for WordVectors {
    fn drop(&mut self) {
        unsafe { sys::vs_wordvecs_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for WordVectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordVectors")
            .field("dim", &self.dim())
            .field("count", &self.count())
            .finish()
    }
}

impl WordVectors {
    fn wrap(out: *mut sys::vs_wordvecs) -> WordVectors {
        WordVectors {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_wordvecs"),
        }
    }

    fn p(&self) -> *const sys::vs_wordvecs {
        self.ptr.as_ptr()
    }

    /// An empty set of vectors of dimension `dim` (1..=100000).
    pub fn new(dim: usize) -> Result<WordVectors> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_wordvecs_create(&mut out, dim) })?;
        Ok(WordVectors::wrap(out))
    }

    /// Reads vectors in the text format "word d1 d2 ..." (word2vec .vec, GloVe).
    pub fn load(path: impl AsRef<Path>) -> Result<WordVectors> {
        let path = cpath(path.as_ref())?;
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_wordvecs_load(&mut out, path.as_ptr()) })?;
        Ok(WordVectors::wrap(out))
    }

    /// Dimension.
    pub fn dim(&self) -> usize {
        unsafe { sys::vs_wordvecs_dim(self.p()) }
    }

    /// Number of words.
    pub fn count(&self) -> usize {
        unsafe { sys::vs_wordvecs_count(self.p()) }
    }

    /// Adds (or replaces) the vector of a word (normalised as a term).
    pub fn add(&mut self, word: &str, x: &[f64]) -> Result<&mut Self> {
        let word = cstring(word, "word")?;
        check(unsafe {
            sys::vs_wordvecs_add(self.ptr.as_ptr(), word.as_ptr(), x.as_ptr(), x.len())
        })?;
        Ok(self)
    }

    /// Embeds the words that have no vector yet with the model's embed callback (item ids
    /// `"term:WORD"`, the normalised word as the text, `dim()` values each) and adds them.
    /// `VS_ESTATE` when the model cannot embed; `VS_ECALLBACK` when the run or an item failed
    /// (the vectors of the items that succeeded are kept); a panic in the model's closure is
    /// resumed when the call returns.
    pub fn embed(&mut self, model: &mut Model, words: &[&str]) -> Result<&mut Self> {
        let words = words
            .iter()
            .map(|w| cstring(w, "word"))
            .collect::<Result<Vec<CString>>>()?;
        let wp: Vec<*const c_char> = words.iter().map(|w| w.as_ptr()).collect();
        let rc = unsafe {
            sys::vs_wordvecs_embed(self.ptr.as_ptr(), model.as_ptr(), wp.as_ptr(), wp.len())
        };
        Model::finish(model.state_ptr(), rc)?;
        Ok(self)
    }

    /// The vector of a term: its own, else the mean of its words' vectors
    /// (`VS_ENOTFOUND` when there is none).
    pub fn get(&self, word: &str) -> Result<Vec<f64>> {
        let word = cstring(word, "word")?;
        read_array(|needed, buf, cap| unsafe {
            sys::vs_wordvecs_get(needed, self.p(), word.as_ptr(), buf, cap)
        })
    }
}

option_enum! {
    /// Options of the analysis (`vs_lexical_option`; [`crate::options`]: `set`/`get`).
    LexicalOption(id = sys::vs_lexical_option_id, name = sys::vs_lexical_option_name, bounds = sys::vs_lexical_option_bounds):
    /// int: number of factors; 0 = parallel analysis (default).
    NFactors = sys::VS_LEXICAL_OPT_NFACTORS => Int,
    /// int: 0 presence matrix (default), 1 counts.
    Counts = sys::VS_LEXICAL_OPT_COUNTS => Int,
    /// str/int: extraction method ("minres" default, "uls", "pa", "ml").
    Method = sys::VS_LEXICAL_OPT_METHOD => Enum,
    /// str/int: rotation (default "oblimin").
    Rotation = sys::VS_LEXICAL_OPT_ROTATION => Enum,
    /// int: seed of parallel analysis and k-means (default 0).
    Seed = sys::VS_LEXICAL_OPT_SEED => Int,
    /// int: sub-dimensions per factor; 0 = by silhouette (default).
    Subdims = sys::VS_LEXICAL_OPT_SUBDIMS => Int,
    /// int: smallest k tried by silhouette (default 2).
    SubdimsMin = sys::VS_LEXICAL_OPT_SUBDIMS_MIN => Int,
    /// int: largest k tried by silhouette (default 4).
    SubdimsMax = sys::VS_LEXICAL_OPT_SUBDIMS_MAX => Int,
    /// int: terms joined into a default name (default 2).
    NameTerms = sys::VS_LEXICAL_OPT_NAME_TERMS => Int,
    /// str/int: "cosine" (default) or "euclidean".
    Metric = sys::VS_LEXICAL_OPT_METRIC => Enum,
}

option_methods!(
    Options,
    ptr,
    LexicalOption,
    int(sys::vs_lexical_set_int, sys::vs_lexical_get_int),
    str(sys::vs_lexical_set_str, sys::vs_lexical_get_str)
);

/// Analysis options (`vs_lexical`).
pub struct Options {
    ptr: NonNull<sys::vs_lexical>,
}

// SAFETY: changed only through &mut self; analysis only reads it.
unsafe impl Send for Options {}
unsafe impl Sync for Options {}

impl Drop for Options {
    fn drop(&mut self) {
        unsafe { sys::vs_lexical_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("nfactors", &self.get_int(LexicalOption::NFactors).ok())
            .field("seed", &self.get_int(LexicalOption::Seed).ok())
            .finish_non_exhaustive()
    }
}

impl Options {
    /// Options with the defaults.
    pub fn new() -> Result<Options> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_lexical_create(&mut out) })?;
        Ok(Options {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_lexical"),
        })
    }

    fn p(&self) -> *const sys::vs_lexical {
        self.ptr.as_ptr()
    }

    /// Sets an integer option.
    pub fn set_int(&mut self, option: LexicalOption, value: i64) -> Result<&mut Self> {
        check(unsafe { sys::vs_lexical_set_int(self.ptr.as_ptr(), option.raw(), value) })?;
        Ok(self)
    }

    /// Sets METHOD, ROTATION or METRIC by name ("minres", "oblimin", "cosine", ...).
    pub fn set_str(&mut self, option: LexicalOption, value: &str) -> Result<&mut Self> {
        let value = cstring(value, "option value")?;
        check(unsafe { sys::vs_lexical_set_str(self.ptr.as_ptr(), option.raw(), value.as_ptr()) })?;
        Ok(self)
    }

    /// Reads an integer option.
    pub fn get_int(&self, option: LexicalOption) -> Result<i64> {
        let mut out = 0i64;
        check(unsafe { sys::vs_lexical_get_int(&mut out, self.p(), option.raw()) })?;
        Ok(out)
    }

    /// Sets the number of factors (0 = parallel analysis).
    pub fn set_nfactors(&mut self, k: usize) -> Result<&mut Self> {
        self.set_int(LexicalOption::NFactors, to_i64(k, "number of factors")?)
    }

    /// Sets the number of sub-dimensions per factor (0 = by silhouette).
    pub fn set_subdims(&mut self, k: usize) -> Result<&mut Self> {
        self.set_int(
            LexicalOption::Subdims,
            to_i64(k, "number of sub-dimensions")?,
        )
    }

    /// Sets the seed.
    pub fn set_seed(&mut self, seed: i64) -> Result<&mut Self> {
        self.set_int(LexicalOption::Seed, seed)
    }

    /// Analyses counts (true) or presence (false).
    pub fn set_counts(&mut self, counts: bool) -> Result<&mut Self> {
        self.set_int(LexicalOption::Counts, i64::from(counts))
    }

    /// Runs the analysis on the kept terms of `lexicon`; `vecs` = None: no clustering (each
    /// factor is one sub-dimension).
    pub fn analyze(&self, lexicon: &Lexicon, vecs: Option<&WordVectors>) -> Result<LexicalResult> {
        let mut out = ptr::null_mut();
        let vp = vecs.map_or(ptr::null(), WordVectors::p);
        check(unsafe { sys::vs_lexical_analyze(&mut out, self.p(), lexicon.p(), vp) })?;
        Ok(LexicalResult {
            ptr: NonNull::new(out).expect("VS_OK with a NULL vs_lexical_result"),
        })
    }
}

/// Runs the analysis with `options` (None = the defaults).
pub fn analyze(
    lexicon: &Lexicon,
    vecs: Option<&WordVectors>,
    options: Option<&Options>,
) -> Result<LexicalResult> {
    match options {
        Some(o) => o.analyze(lexicon, vecs),
        None => Options::new()?.analyze(lexicon, vecs),
    }
}

/// Scalars of a [`LexicalResult`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stat {
    /// Rows of the matrix.
    NResponses,
    /// Columns of the matrix.
    NTerms,
    /// Overall KMO (NaN if R is singular).
    Kmo,
    /// Bartlett's chi-square.
    BartlettChi2,
    /// Bartlett's degrees of freedom.
    BartlettDf,
    /// Bartlett's p value.
    BartlettP,
    /// Number of factors.
    NFactors,
    /// Parallel analysis' number (NaN when the number was given).
    ParallelFactors,
    /// Number of sub-dimensions.
    NSubdims,
    /// Term-weighted mean silhouette (NaN if nothing was clustered).
    Silhouette,
}

impl Stat {
    /// The C value.
    pub fn raw(self) -> c_int {
        (match self {
            Stat::NResponses => sys::VS_LEXICAL_STAT_N_RESPONSES,
            Stat::NTerms => sys::VS_LEXICAL_STAT_N_TERMS,
            Stat::Kmo => sys::VS_LEXICAL_STAT_KMO,
            Stat::BartlettChi2 => sys::VS_LEXICAL_STAT_BARTLETT_CHI2,
            Stat::BartlettDf => sys::VS_LEXICAL_STAT_BARTLETT_DF,
            Stat::BartlettP => sys::VS_LEXICAL_STAT_BARTLETT_P,
            Stat::NFactors => sys::VS_LEXICAL_STAT_N_FACTORS,
            Stat::ParallelFactors => sys::VS_LEXICAL_STAT_PARALLEL_FACTORS,
            Stat::NSubdims => sys::VS_LEXICAL_STAT_N_SUBDIMS,
            Stat::Silhouette => sys::VS_LEXICAL_STAT_SILHOUETTE,
        }) as c_int
    }
}

/// Arrays of a [`LexicalResult`] (p terms, k factors, s sub-dimensions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Array {
    /// p x k pattern loadings.
    Loadings,
    /// p: factor of each term (0-based).
    Factor,
    /// p: the term's signed loading on its factor.
    Loading,
    /// p: global sub-dimension of each term.
    Subdim,
    /// s: factor of each sub-dimension.
    SubdimFactor,
    /// k: mean silhouette of each factor's clustering (NaN: not clustered).
    FactorSilhouette,
    /// p: per-term KMO.
    Msa,
    /// p: eigenvalues of R.
    Eigenvalues,
    /// p: communalities.
    Communality,
}

impl Array {
    /// The C value.
    pub fn raw(self) -> c_int {
        (match self {
            Array::Loadings => sys::VS_LEXICAL_LOADINGS,
            Array::Factor => sys::VS_LEXICAL_FACTOR,
            Array::Loading => sys::VS_LEXICAL_LOADING,
            Array::Subdim => sys::VS_LEXICAL_SUBDIM,
            Array::SubdimFactor => sys::VS_LEXICAL_SUBDIM_FACTOR,
            Array::FactorSilhouette => sys::VS_LEXICAL_FACTOR_SILHOUETTE,
            Array::Msa => sys::VS_LEXICAL_MSA,
            Array::Eigenvalues => sys::VS_LEXICAL_EIGENVALUES,
            Array::Communality => sys::VS_LEXICAL_COMMUNALITY,
        }) as c_int
    }
}

/// Level of a default name ([`LexicalResult::name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameLevel {
    /// A sub-dimension.
    Subdim,
    /// A factor.
    Factor,
}

/// One analysis (`vs_lexical_result`), immutable.
pub struct LexicalResult {
    ptr: NonNull<sys::vs_lexical_result>,
}

// SAFETY: immutable.
unsafe impl Send for LexicalResult {}
unsafe impl Sync for LexicalResult {}

impl Drop for LexicalResult {
    fn drop(&mut self) {
        unsafe { sys::vs_lexical_result_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for LexicalResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LexicalResult")
            .field("n_terms", &self.scalar(Stat::NTerms).ok())
            .field("n_factors", &self.scalar(Stat::NFactors).ok())
            .field("n_subdims", &self.scalar(Stat::NSubdims).ok())
            .finish()
    }
}

fn cstrings(names: &[Option<&str>], what: &str) -> Result<Vec<Option<std::ffi::CString>>> {
    names
        .iter()
        .map(|n| n.map(|s| cstring(s, what)).transpose())
        .collect()
}

impl LexicalResult {
    fn p(&self) -> *const sys::vs_lexical_result {
        self.ptr.as_ptr()
    }

    /// A scalar (NaN when not defined).
    pub fn scalar(&self, what: Stat) -> Result<f64> {
        let mut v = 0.0;
        check(unsafe { sys::vs_lexical_result_scalar(&mut v, self.p(), what.raw()) })?;
        Ok(v)
    }

    /// A copy of an array (row-major).
    pub fn get(&self, what: Array) -> Result<Vec<f64>> {
        read_array(|needed, buf, cap| unsafe {
            sys::vs_lexical_result_get(needed, self.p(), what.raw(), buf, cap)
        })
    }

    /// The p terms (the matrix's columns).
    pub fn terms(&self) -> Vec<String> {
        (0..)
            .map_while(|j| unsafe { borrowed_str(sys::vs_lexical_result_term(self.p(), j)) })
            .map(str::to_owned)
            .collect()
    }

    /// The factor (or sub-dimension) of each term, as indices.
    pub fn assignments(&self, level: NameLevel) -> Result<Vec<usize>> {
        let what = match level {
            NameLevel::Factor => Array::Factor,
            NameLevel::Subdim => Array::Subdim,
        };
        Ok(self.get(what)?.into_iter().map(|v| v as usize).collect())
    }

    /// Default name of a factor or sub-dimension, None when out of range.
    pub fn name(&self, level: NameLevel, index: usize) -> Option<&str> {
        let l = match level {
            NameLevel::Factor => 1,
            NameLevel::Subdim => 0,
        };
        // SAFETY: owned by the immutable result, which outlives the borrow.
        unsafe { borrowed_str(sys::vs_lexical_result_name(self.p(), l, index)) }
    }

    /// The default names of every factor or sub-dimension.
    pub fn names(&self, level: NameLevel) -> Vec<String> {
        (0..)
            .map_while(|i| self.name(level, i))
            .map(str::to_owned)
            .collect()
    }

    /// The space with default names ("valuelex").
    pub fn space(&self) -> Result<Space> {
        self.space_named(None, None, None)
    }

    /// The space with a name and labels (None = defaults; an entry None = its default).
    pub fn space_named(
        &self,
        space_name: Option<&str>,
        factor_names: Option<&[Option<&str>]>,
        subdim_names: Option<&[Option<&str>]>,
    ) -> Result<Space> {
        let name = space_name.map(|s| cstring(s, "space name")).transpose()?;
        let fac = factor_names
            .map(|n| cstrings(n, "factor name"))
            .transpose()?;
        let sub = subdim_names
            .map(|n| cstrings(n, "sub-dimension name"))
            .transpose()?;
        let ptrs = |v: &Option<Vec<Option<std::ffi::CString>>>| -> Option<Vec<*const c_char>> {
            v.as_ref().map(|v| {
                v.iter()
                    .map(|c| c.as_ref().map_or(ptr::null(), |c| c.as_ptr()))
                    .collect()
            })
        };
        let (fp, sp) = (ptrs(&fac), ptrs(&sub));
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_lexical_result_space(
                &mut out,
                self.p(),
                name.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
                fp.as_ref().map_or(ptr::null(), |v| v.as_ptr()),
                fp.as_ref().map_or(0, Vec::len),
                sp.as_ref().map_or(ptr::null(), |v| v.as_ptr()),
                sp.as_ref().map_or(0, Vec::len),
            )
        })?;
        // SAFETY: on VS_OK `out` is a new space reference we own.
        Ok(unsafe { Space::from_raw(out) })
    }

    /// The JSON report of every figure (pretty-printed).
    pub fn report(&self) -> Result<String> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_lexical_result_report(&mut out, self.p()) })?;
        // SAFETY: a new string owned by us.
        Ok(unsafe { owned_string(out) })
    }
}

/// What an elicitation journal holds ([`journal_failures`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalFailures {
    /// Items whose latest record succeeded.
    pub ok: u64,
    /// Items whose latest record failed.
    pub failed: u64,
    /// The first failed item in journal order, None when none failed.
    pub first: Option<ElicitFailure>,
}

/// A failed item of an elicitation journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElicitFailure {
    /// Its id, `"MODEL/prompt-NN/rR"`.
    pub id: String,
    /// Its error message.
    pub error: String,
}

/// Counts the items of an elicitation journal ([`elicit`]) whose latest record succeeded and
/// failed (an item a resume ran again counts once) and names the first failure in journal
/// order — e.g. to tell a user, after [`elicit`] returned `Ok`, that some items failed and why
/// (`vs_lexical_journal_failures`).
///
/// Errors: `VS_ENOTFOUND` / `VS_EIO` (the file), `VS_EPARSE` (not an elicitation journal, a
/// malformed record: path:line), `VS_EVERSION`.
pub fn journal_failures(journal: impl AsRef<Path>) -> Result<JournalFailures> {
    let path = cpath(journal.as_ref())?;
    let (mut ok, mut failed) = (0u64, 0u64);
    let mut id: *mut c_char = ptr::null_mut();
    let mut error: *mut c_char = ptr::null_mut();
    check(unsafe {
        sys::vs_lexical_journal_failures(&mut ok, &mut failed, &mut id, &mut error, path.as_ptr())
    })?;
    // SAFETY: both are new strings owned by us, or both NULL; owned_string frees them.
    let (id, error) = unsafe { (owned_string(id), owned_string(error)) };
    let first = (failed > 0).then_some(ElicitFailure { id, error });
    Ok(JournalFailures { ok, failed, first })
}

/// The built-in elicitation prompts.
pub fn prompts() -> Vec<&'static str> {
    let n = unsafe { sys::vs_lexical_prompt_count() };
    (0..n)
        // SAFETY: static storage.
        .filter_map(|i| unsafe { borrowed_str(sys::vs_lexical_prompt(i)) })
        .collect()
}

/// Options of [`elicit`] (`vs_lexical_elicit_opts`); `Default` is
/// `VS_LEXICAL_ELICIT_OPTS_INIT`: the built-in prompts, 1 repeat, seed 0, temperature 1, the
/// backend's default max tokens, no resume.
///
/// ```
/// let o = valuespace::lexical::ElicitOptions { seed: 7, repeats: 2, ..Default::default() };
/// assert_eq!(o.temperature, 1.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ElicitOptions {
    /// Largest number of generated tokens; 0 = the backend's default.
    pub max_tokens: u32,
    /// Run seed: item seeds are `item_seed(seed, id, repeat)`.
    pub seed: u64,
    /// Repeats of every (model, prompt), 1..=1000000.
    pub repeats: u64,
    /// Sampling temperature, finite and >= 0.
    pub temperature: f64,
    /// False: the journal must be missing or empty; true: continue it (its successful records
    /// are skipped, failed ones run again).
    pub resume: bool,
    /// The prompts (non-empty), or None for the built-in ones ([`prompts`]).
    pub prompts: Option<Vec<String>>,
}

impl Default for ElicitOptions {
    fn default() -> ElicitOptions {
        let init = sys::vs_lexical_elicit_opts_init();
        ElicitOptions {
            max_tokens: init.max_tokens,
            seed: init.seed,
            repeats: init.repeats,
            temperature: init.temperature,
            resume: init.resume != 0,
            prompts: None,
        }
    }
}

/// Runs every prompt over every model, `opts.repeats` times, appending each response to the
/// JSONL `journal` as soon as it is final; returns the number of records written.
///
/// `models[i]` answers as `model_ids[i]` (distinct, non-empty, without '/' or control
/// characters); each needs a generate closure. Item ids are `"MODEL/prompt-NN/rR"`; the
/// generation request carries the id, repeat `R - 1`, `opts.max_tokens` and
/// `opts.temperature`, and each model's run seed is `opts.seed` during the call (restored
/// afterwards). The call uses each model's item hook, so every model's item hook is removed
/// ([`Model::clear_item_hook`]). Accepts `&mut [Model]` and `&mut [&mut Model]`.
///
/// Errors: `VS_EMISMATCH` (not one id per model; with `resume`, a journal made with other
/// options), `VS_EINVAL` (no model, a bad or repeated id, bad repeats or temperature, an empty
/// prompt or prompt list), `VS_ESTATE` (a non-empty journal without `resume`), `VS_EPARSE` /
/// `VS_EVERSION` (a malformed journal), `VS_EIO`, `VS_ECALLBACK` / `VS_EFAILED` /
/// `VS_ECANCELED` (as [`Model::generate`]; the records written so far stay, and a run with
/// `resume` continues them). A panic in a model's closure is resumed when the call returns.
/// Items that fail without stopping the run are journalled as failures: [`journal_failures`]
/// tells how many and why.
pub fn elicit<M: BorrowMut<Model>>(
    models: &mut [M],
    model_ids: &[&str],
    journal: impl AsRef<Path>,
    opts: &ElicitOptions,
) -> Result<usize> {
    if models.len() != model_ids.len() {
        return Err(Error::new(
            sys::VS_EMISMATCH,
            format!(
                "vs_lexical_elicit: {} models but {} model ids (one id per model)",
                models.len(),
                model_ids.len()
            ),
        ));
    }
    let ids = model_ids
        .iter()
        .map(|s| cstring(s, "model id"))
        .collect::<Result<Vec<CString>>>()?;
    let id_ptrs: Vec<*const c_char> = ids.iter().map(|c| c.as_ptr()).collect();
    let path = cpath(journal.as_ref())?;
    let prompts = opts
        .prompts
        .as_ref()
        .map(|p| {
            p.iter()
                .map(|s| cstring(s, "prompt"))
                .collect::<Result<Vec<CString>>>()
        })
        .transpose()?;
    let prompt_ptrs: Option<Vec<*const c_char>> = prompts
        .as_ref()
        .map(|p| p.iter().map(|c| c.as_ptr()).collect());
    let mut o = sys::vs_lexical_elicit_opts_init();
    o.max_tokens = opts.max_tokens;
    o.seed = opts.seed;
    o.repeats = opts.repeats;
    o.temperature = opts.temperature;
    o.resume = i32::from(opts.resume);
    if let Some(p) = &prompt_ptrs {
        o.prompts = p.as_ptr();
        o.n_prompts = p.len();
    }
    let model_ptrs: Vec<*mut sys::vs_model> =
        models.iter_mut().map(|m| m.borrow_mut().as_ptr()).collect();
    let states: Vec<_> = models
        .iter_mut()
        .map(|m| m.borrow_mut().state_ptr())
        .collect();
    let mut written = 0usize;
    let rc = unsafe {
        sys::vs_lexical_elicit(
            &mut written,
            model_ptrs.as_ptr(),
            id_ptrs.as_ptr(),
            model_ptrs.len(),
            path.as_ptr(),
            &o,
        )
    };
    let err = (rc != sys::VS_OK).then(|| Error::last(rc));
    // C set each model's item hook to NULL; drop the Rust side's closure too.
    for m in models.iter_mut() {
        let _ = m.borrow_mut().clear_item_hook();
    }
    finish_all(&states, err)?;
    Ok(written)
}
