//! Value evaluators (`valuespace/evaluator.h`): (prompt, response) → a value per dimension of a
//! level plus class probabilities for {−1, 0, +1}; a trainable built-in model or a Rust closure;
//! metrics, seeded cross-validation and per-group profiles.
//!
//! Labels and values are row-major `n × K` slices (K = [`Evaluator::size`]); probabilities are
//! `n × K × 3` in the order (p(−1), p(0), p(+1)).
use std::any::Any;
use std::ffi::CString;
use std::fmt;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::ptr::{self, NonNull};
use std::sync::Mutex;

use crate::error::{check, Error, Result};
use crate::model::Model;
use crate::space::SpaceRef;
use crate::util::{borrowed_str, cpath, cstring};
use crate::vector::Vector;
use valuespace_sys as sys;

/// Classification metrics of one dimension (`vs_evaluator_metrics`).
pub type Metrics = sys::vs_evaluator_metrics;
/// Agreement with human labels of one dimension (`vs_evaluator_agreement`): accuracy, macro-F1
/// and Cohen's kappa with bootstrap intervals, the majority baseline and the confusion matrix.
pub type Agreement = sys::vs_evaluator_agreement;

/// One item as an evaluator closure sees it.
#[derive(Clone, Copy, Debug)]
pub struct EvalCall<'a> {
    /// Index of the item in the arrays given to [`Evaluator::predict`].
    pub index: usize,
    /// The prompt ("" when none).
    pub prompt: &'a str,
    /// The response.
    pub response: &'a str,
}

/// An evaluator closure's answer for one item: K values (NaN = not evaluated) and optionally
/// K × 3 class probabilities.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// K values.
    pub values: Vec<f64>,
    /// K × 3 probabilities, or None.
    pub probs: Option<Vec<f64>>,
}

type EvalFn = dyn FnMut(
        &[EvalCall<'_>],
        usize,
    ) -> std::result::Result<Vec<std::result::Result<Evaluation, String>>, String>
    + Send;

struct CbState {
    f: Box<EvalFn>,
    panic: Option<Box<dyn Any + Send>>,
    fatal: Option<String>,
}

/// Output of [`Evaluator::predict_partial`].
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// n × K values (NaN for failed items).
    pub values: Vec<f64>,
    /// n × K × 3 probabilities.
    pub probs: Vec<f64>,
    /// Per-item status: 0 (VS_OK) or the item's error code.
    pub statuses: Vec<i32>,
}

/// An evaluator (`vs_evaluator`).
pub struct Evaluator {
    ptr: NonNull<sys::vs_evaluator>,
    callback: Option<Box<Mutex<CbState>>>,
    /// The model of a prompted evaluator: kept alive as long as the evaluator, and locked for
    /// each prediction (the C side keeps the answers of its last call).
    model: Option<Mutex<Model>>,
}

// SAFETY: changes need &mut; predict only reads a built-in model; a callback's state is
// behind a mutex and its closure is Send.
unsafe impl Send for Evaluator {}
unsafe impl Sync for Evaluator {}

impl Drop for Evaluator {
    fn drop(&mut self) {
        // The C side has no destroy callback; the closure state (a field) is dropped after this.
        unsafe { sys::vs_evaluator_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Evaluator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluator")
            .field("callback", &self.callback.is_some())
            .field("size", &self.dimension_count())
            .field("ready", &self.is_ready())
            .finish()
    }
}

fn c_texts(v: &[&str], what: &str) -> Result<(Vec<CString>, Vec<*const c_char>)> {
    let c: Vec<CString> = v.iter().map(|s| cstring(s, what)).collect::<Result<_>>()?;
    let p = c.iter().map(|c| c.as_ptr()).collect();
    Ok((c, p))
}

fn wrap(f: impl FnOnce(*mut *mut sys::vs_evaluator) -> i32) -> Result<Evaluator> {
    let mut out = ptr::null_mut();
    check(f(&mut out))?;
    Ok(Evaluator {
        ptr: NonNull::new(out).expect("VS_OK with NULL evaluator"),
        callback: None,
        model: None,
    })
}

option_enum! {
    /// The options of the handle ([`crate::options`]: `set`/`get`), `VS_EVALUATOR_OPT_*`.
    EvaluatorOption(id = sys::vs_evaluator_option_id, name = sys::vs_evaluator_option_name, bounds = sys::vs_evaluator_option_bounds):
    /// number of hash buckets, a power of two in 2^4..2^24; default 2^18 (feature option).
    Buckets = sys::VS_EVALUATOR_OPT_BUCKETS => Int,
    /// largest word n-gram order, 1..3; default 2 (feature option).
    MaxNgram = sys::VS_EVALUATOR_OPT_MAX_NGRAM => Int,
    /// normalisation flags of the tokenizer (feature option).
    TextFlags = sys::VS_EVALUATOR_OPT_TEXT_FLAGS => Int,
    /// response only or prompt and response; default both (feature option).
    Input = sys::VS_EVALUATOR_OPT_INPUT => Int,
    /// binary, count or log weights; default binary (feature option).
    Weighting = sys::VS_EVALUATOR_OPT_WEIGHTING => Int,
    /// seed of the feature hash, >= 0; default 0 (feature option).
    Seed = sys::VS_EVALUATOR_OPT_SEED => Int,
    /// inverse L2 strength C in [1e-6, 1e6]; default 10.
    C = sys::VS_EVALUATOR_OPT_C => Double,
    /// none or balanced; default balanced.
    ClassWeight = sys::VS_EVALUATOR_OPT_CLASS_WEIGHT => Int,
    /// L-BFGS iteration limit; default 1000.
    MaxIter = sys::VS_EVALUATOR_OPT_MAX_ITER => Int,
    /// gradient tolerance in [0, 1]; default 1e-4.
    Tolerance = sys::VS_EVALUATOR_OPT_TOLERANCE => Double,
    /// L-BFGS memory, 1..100; default 10.
    History = sys::VS_EVALUATOR_OPT_HISTORY => Int,
    /// what predictions hold (class or expected value); default class.
    Value = sys::VS_EVALUATOR_OPT_VALUE => Int,
    /// items per callback call; default 32.
    BatchSize = sys::VS_EVALUATOR_OPT_BATCH_SIZE => Int,
    /// threads, 1..256; default 1.
    Threads = sys::VS_EVALUATOR_OPT_THREADS => Int,
}

option_methods!(
    Evaluator,
    ptr,
    EvaluatorOption,
    int(sys::vs_evaluator_set_int, sys::vs_evaluator_get_int),
    double(sys::vs_evaluator_set_double, sys::vs_evaluator_get_double)
);

impl Evaluator {
    /// This evaluator as a classify judge (`vs_evaluator_judge_create`), e.g. for
    /// [`crate::runner::Judge::Classify`]: for each request (text = the completion, context =
    /// the prompt) and label (a dimension key, label or alias of the evaluator's level) it
    /// answers P(high) = (1 + p(+1) − p(−1)) / 2 ([`crate::runner::Judge::Classify`]), and for
    /// the three-way labels KEY:high, KEY:unrelated, KEY:low ([`crate::runner::Judge::Classify3`],
    /// the one to use: an unrelated completion is then unrelated, not high) p(+1), p(0), p(−1).
    /// The model owns the evaluator.
    pub fn into_judge(self) -> Result<Model> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_evaluator_judge_create(&mut out, self.ptr.as_ptr()) })?;
        let ptr = NonNull::new(out).expect("VS_OK with NULL model");
        Ok(Model::adopt(ptr, Box::new(self)))
    }

    /// An untrained built-in evaluator over `level` of `space`.
    pub fn new(space: &SpaceRef, level: usize) -> Result<Evaluator> {
        wrap(|out| unsafe { sys::vs_evaluator_create(out, space.as_ptr(), level) })
    }

    /// An evaluator backed by a closure. It gets a batch of items and K, and returns one
    /// outcome per item (`Err(message)` fails that item) or `Err(message)` for the whole
    /// batch. A panic is caught, fails the rest of the call, and is resumed when
    /// [`Evaluator::predict`] returns. The closure runs behind a mutex (concurrent predictions
    /// take turns), so it must not call `predict` on the same evaluator.
    pub fn from_fn<F>(space: &SpaceRef, level: usize, f: F) -> Result<Evaluator>
    where
        F: FnMut(
                &[EvalCall<'_>],
                usize,
            )
                -> std::result::Result<Vec<std::result::Result<Evaluation, String>>, String>
            + Send
            + 'static,
    {
        let state = Box::new(Mutex::new(CbState {
            f: Box::new(f),
            panic: None,
            fatal: None,
        }));
        let mut table = sys::vs_evaluator_callbacks_init();
        table.evaluate = Some(tramp_evaluate);
        let ud = &*state as *const Mutex<CbState> as *mut c_void;
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_evaluator_create_callback(&mut out, space.as_ptr(), level, &table, ud)
        })?;
        Ok(Evaluator {
            ptr: NonNull::new(out).expect("VS_OK with NULL evaluator"),
            callback: Some(state),
            model: None,
        })
    }

    /// An evaluator whose judgement comes from `model` (`vs_evaluator_create_prompted`): for every
    /// item and dimension of `level` the prompt `template` (None: FULCRA's evaluator prompt,
    /// [`fulcra_template`]) is filled and sent to the model — in score mode
    /// (`answer == false`) as three log-likelihood requests, one per label; in answer mode as one
    /// generation parsed strictly. The evaluator owns the model.
    pub fn prompted(
        space: &SpaceRef,
        level: usize,
        model: Model,
        answer: bool,
        template: Option<&str>,
    ) -> Result<Evaluator> {
        let t = template.map(|t| cstring(t, "template")).transpose()?;
        let mode = if answer {
            sys::VS_EVALUATOR_PROMPT_ANSWER
        } else {
            sys::VS_EVALUATOR_PROMPT_SCORE
        };
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_evaluator_create_prompted(
                &mut out,
                space.as_ptr(),
                level,
                model.as_ptr(),
                mode as c_int,
                t.as_ref().map_or(ptr::null(), |t| t.as_ptr()),
            )
        })?;
        Ok(Evaluator {
            ptr: NonNull::new(out).expect("VS_OK with NULL evaluator"),
            callback: None,
            model: Some(Mutex::new(model)),
        })
    }

    /// The raw answer of (item, dimension) in the last prediction of a prompted evaluator in
    /// answer mode (also when it did not parse); None otherwise.
    pub fn prompted_answer(&self, item: usize, dim: usize) -> Option<String> {
        let _turn = self
            .model
            .as_ref()?
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let p = unsafe { sys::vs_evaluator_prompted_answer(self.p(), item, dim) };
        unsafe { borrowed_str(p) }.map(|s| s.to_owned())
    }

    /// Reads a model from memory; `space` None: the file's built-in space or a new one.
    pub fn load_buffer(data: &[u8], space: Option<&SpaceRef>) -> Result<Evaluator> {
        let sp = space.map_or(ptr::null(), |s| s.as_ptr());
        wrap(|out| unsafe {
            sys::vs_evaluator_load_buffer(out, data.as_ptr().cast(), data.len(), sp)
        })
    }
    /// Reads a model file.
    pub fn load(path: impl AsRef<Path>, space: Option<&SpaceRef>) -> Result<Evaluator> {
        let p = cpath(path.as_ref())?;
        let sp = space.map_or(ptr::null(), |s| s.as_ptr());
        wrap(|out| unsafe { sys::vs_evaluator_load(out, p.as_ptr(), sp) })
    }
    fn p(&self) -> *const sys::vs_evaluator {
        self.ptr.as_ptr()
    }
    /// True for a closure evaluator.
    pub fn is_callback(&self) -> bool {
        unsafe { sys::vs_evaluator_kind(self.p()) == sys::VS_EVALUATOR_CALLBACK as c_int }
    }
    /// The space (borrowed from the evaluator).
    pub fn space(&self) -> &SpaceRef {
        // SAFETY: the evaluator keeps its space alive.
        unsafe { SpaceRef::from_ptr(sys::vs_evaluator_space(self.p())) }
    }
    /// The level evaluated.
    pub fn level(&self) -> usize {
        unsafe { sys::vs_evaluator_level(self.p()) }
    }
    /// K, the number of dimensions.
    pub fn dimension_count(&self) -> usize {
        unsafe { sys::vs_evaluator_dimension_count(self.p()) }
    }
    /// The former name of [`Self::dimension_count`] (README, "Deprecated names").
    #[deprecated(note = "use dimension_count")]
    pub fn size(&self) -> usize {
        self.dimension_count()
    }
    /// True when it can predict.
    pub fn is_ready(&self) -> bool {
        unsafe { sys::vs_evaluator_is_ready(self.p()) == 1 }
    }
    /// Buckets with a non-zero weight in a trained built-in model.
    pub fn active_bucket_count(&self) -> usize {
        unsafe { sys::vs_evaluator_active_bucket_count(self.p()) }
    }
    /// The former name of [`Self::active_bucket_count`] (README, "Deprecated names").
    #[deprecated(note = "use active_bucket_count")]
    pub fn active_buckets(&self) -> usize {
        self.active_bucket_count()
    }
    /// Sets an integer `VS_EVALUATOR_OPT_*` option.
    #[deprecated(note = "raw option ids: use set/get with an EvaluatorOption")]
    pub fn set_int(&mut self, option: u32, value: i64) -> Result<&mut Self> {
        check(unsafe { sys::vs_evaluator_set_int(self.ptr.as_ptr(), option as c_int, value) })
            .map(|_| self)
    }
    /// Sets a double option.
    #[deprecated(note = "raw option ids: use set/get with an EvaluatorOption")]
    pub fn set_double(&mut self, option: u32, value: f64) -> Result<&mut Self> {
        check(unsafe { sys::vs_evaluator_set_double(self.ptr.as_ptr(), option as c_int, value) })
            .map(|_| self)
    }
    /// Reads an integer option.
    #[deprecated(note = "raw option ids: use set/get with an EvaluatorOption")]
    pub fn get_int(&self, option: u32) -> Result<i64> {
        let mut v = 0;
        check(unsafe { sys::vs_evaluator_get_int(&mut v, self.p(), option as c_int) })?;
        Ok(v)
    }
    /// Reads a double option.
    #[deprecated(note = "raw option ids: use set/get with an EvaluatorOption")]
    pub fn get_double(&self, option: u32) -> Result<f64> {
        let mut v = 0.0;
        check(unsafe { sys::vs_evaluator_get_double(&mut v, self.p(), option as c_int) })?;
        Ok(v)
    }
    /// Inclusive bounds of an option.
    #[deprecated(note = "raw option ids: use EvaluatorOption::bounds")]
    pub fn option_bounds(option: u32) -> Result<(f64, f64)> {
        let (mut lo, mut hi) = (0.0, 0.0);
        check(unsafe { sys::vs_evaluator_option_bounds(&mut lo, &mut hi, option as c_int) })?;
        Ok((lo, hi))
    }

    /// Trains the built-in model on n items (`labels`: n × K of −1, 0, +1 or NaN).
    pub fn train(
        &mut self,
        prompts: Option<&[&str]>,
        responses: &[&str],
        labels: &[f64],
    ) -> Result<()> {
        let n = responses.len();
        self.check_shape(prompts, n, labels.len(), 1, "labels")?;
        let (_rc, rp) = c_texts(responses, "response")?;
        let pc = prompts.map(|p| c_texts(p, "prompt")).transpose()?;
        let pp = pc.as_ref().map_or(ptr::null(), |(_, p)| p.as_ptr());
        check(unsafe {
            sys::vs_evaluator_train(self.ptr.as_ptr(), pp, rp.as_ptr(), labels.as_ptr(), n)
        })
    }

    fn check_shape(
        &self,
        prompts: Option<&[&str]>,
        n: usize,
        len: usize,
        per: usize,
        what: &str,
    ) -> Result<()> {
        if let Some(p) = prompts {
            if p.len() != n {
                return Err(Error::new(
                    sys::VS_EMISMATCH,
                    format!("{} prompts for {} responses", p.len(), n),
                ));
            }
        }
        if len != n * self.dimension_count() * per {
            return Err(Error::new(
                sys::VS_EMISMATCH,
                format!(
                    "{} {} for {} items of {} dimensions",
                    len,
                    what,
                    n,
                    self.dimension_count()
                ),
            ));
        }
        Ok(())
    }

    /// Evaluates n items; every item is attempted. Returns the outputs and, when some item
    /// failed, the first failure (values of failed items are NaN).
    pub fn predict_partial(
        &self,
        prompts: Option<&[&str]>,
        responses: &[&str],
    ) -> Result<(Prediction, Option<Error>)> {
        let _turn = self
            .model
            .as_ref()
            .map(|m| m.lock().unwrap_or_else(|e| e.into_inner()));
        let n = responses.len();
        let k = self.dimension_count();
        if let Some(p) = prompts {
            if p.len() != n {
                return Err(Error::new(
                    sys::VS_EMISMATCH,
                    format!("{} prompts for {} responses", p.len(), n),
                ));
            }
        }
        let (_rc, rp) = c_texts(responses, "response")?;
        let pc = prompts.map(|p| c_texts(p, "prompt")).transpose()?;
        let pp = pc.as_ref().map_or(ptr::null(), |(_, p)| p.as_ptr());
        let mut pred = Prediction {
            values: vec![0.0; n * k],
            probs: vec![0.0; n * k * 3],
            statuses: vec![0; n],
        };
        let rc = unsafe {
            sys::vs_evaluator_predict(
                pred.values.as_mut_ptr(),
                pred.values.len(),
                pred.probs.as_mut_ptr(),
                pred.probs.len(),
                pred.statuses.as_mut_ptr(),
                pred.statuses.len(),
                self.p(),
                pp,
                rp.as_ptr(),
                n,
            )
        };
        let err = (rc != sys::VS_OK).then(|| Error::last(rc));
        let mut fatal = None;
        if let Some(state) = &self.callback {
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            fatal = st.fatal.take();
            if let Some(p) = st.panic.take() {
                drop(st);
                panic::resume_unwind(p);
            }
        }
        let err = match (err, fatal) {
            (Some(e), Some(m)) if e.code() == sys::VS_ECALLBACK => {
                Some(Error::new(e.code(), format!("{}: {}", e.message(), m)))
            }
            (e, _) => e,
        };
        match err {
            Some(e)
                if e.code() == sys::VS_ECALLBACK
                    || e.code() == sys::VS_EUTF8
                    || e.code() == sys::VS_ELIMIT =>
            {
                Ok((pred, Some(e)))
            }
            Some(e) => Err(e),
            None => Ok((pred, None)),
        }
    }

    /// Evaluates n items; fails on the first failed item.
    pub fn predict(&self, prompts: Option<&[&str]>, responses: &[&str]) -> Result<Prediction> {
        match self.predict_partial(prompts, responses)? {
            (p, None) => Ok(p),
            (_, Some(e)) => Err(e),
        }
    }

    /// Serialises a trained built-in model.
    pub fn save_buffer(&self) -> Result<Vec<u8>> {
        let mut out: *mut c_void = ptr::null_mut();
        let mut len = 0usize;
        check(unsafe { sys::vs_evaluator_save_buffer(&mut out, &mut len, self.p()) })?;
        // SAFETY: on VS_OK we own `len` bytes at `out`.
        let v = unsafe { std::slice::from_raw_parts(out as *const u8, len) }.to_vec();
        unsafe { sys::vs_free(out) };
        Ok(v)
    }
    /// Writes a trained built-in model to a file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let p = cpath(path.as_ref())?;
        check(unsafe { sys::vs_evaluator_save(self.p(), p.as_ptr()) })
    }

    /// Seeded, group-stratified k-fold cross-validation of the built-in model with these options.
    pub fn cross_validate(
        &self,
        prompts: Option<&[&str]>,
        responses: &[&str],
        labels: &[f64],
        groups: Option<&[usize]>,
        folds: usize,
        seed: u64,
    ) -> Result<CrossValidation> {
        let n = responses.len();
        self.check_shape(prompts, n, labels.len(), 1, "labels")?;
        if let Some(g) = groups {
            if g.len() != n {
                return Err(Error::new(
                    sys::VS_EMISMATCH,
                    format!("{} groups for {} items", g.len(), n),
                ));
            }
        }
        let (_rc, rp) = c_texts(responses, "response")?;
        let pc = prompts.map(|p| c_texts(p, "prompt")).transpose()?;
        let pp = pc.as_ref().map_or(ptr::null(), |(_, p)| p.as_ptr());
        let gp = groups.map_or(ptr::null(), |g| g.as_ptr());
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_evaluator_cv_run(
                &mut out,
                self.p(),
                pp,
                rp.as_ptr(),
                labels.as_ptr(),
                gp,
                n,
                folds,
                seed,
            )
        })?;
        Ok(CrossValidation {
            ptr: NonNull::new(out).expect("VS_OK with NULL cv"),
        })
    }
}

/// FULCRA's evaluator prompt with an answer cue: the built-in template of prompted evaluators
/// (placeholders `{value}`, `{definition}`, `{dialogue}`).
pub fn fulcra_template() -> &'static str {
    let p = unsafe { sys::vs_evaluator_fulcra_template() };
    unsafe { borrowed_str(p) }.unwrap_or("")
}

/// The exact text a prompted evaluator sends for one response and dimension (`dim`: its index
/// in the space); `template` None: [`fulcra_template`].
pub fn prompt_text(
    space: &SpaceRef,
    dim: usize,
    prompt: &str,
    response: &str,
    template: Option<&str>,
) -> Result<String> {
    let t = template.map(|t| cstring(t, "template")).transpose()?;
    let tp = t.as_ref().map_or(ptr::null(), |t| t.as_ptr());
    let (p, r) = (cstring(prompt, "prompt")?, cstring(response, "response")?);
    let mut need = 0usize;
    let rc = unsafe {
        sys::vs_evaluator_prompt_format(
            &mut need,
            ptr::null_mut(),
            0,
            space.as_ptr(),
            dim,
            tp,
            p.as_ptr(),
            r.as_ptr(),
        )
    };
    if rc != sys::VS_EBUFSIZE {
        check(rc)?;
    }
    let mut buf = vec![0u8; need];
    check(unsafe {
        sys::vs_evaluator_prompt_format(
            &mut need,
            buf.as_mut_ptr() as *mut c_char,
            buf.len(),
            space.as_ptr(),
            dim,
            tp,
            p.as_ptr(),
            r.as_ptr(),
        )
    })?;
    buf.truncate(need.saturating_sub(1));
    String::from_utf8(buf)
        .map_err(|_| Error::new(sys::VS_EUTF8, "the prompt is not UTF-8".to_string()))
}

/// Metrics of predictions against the truth for one dimension (elements `i * stride`).
pub fn metrics(truth: &[f64], pred: &[f64], stride: usize) -> Result<Metrics> {
    if truth.len() != pred.len() || stride == 0 {
        return Err(Error::new(
            sys::VS_EMISMATCH,
            format!(
                "truth of {} and predictions of {} values (stride {})",
                truth.len(),
                pred.len(),
                stride
            ),
        ));
    }
    let n = (truth.len() + stride - 1) / stride;
    let mut m = sys::vs_evaluator_metrics_init();
    check(unsafe {
        sys::vs_evaluator_metrics_compute(&mut m, truth.as_ptr(), pred.as_ptr(), n, stride)
    })?;
    Ok(m)
}

/// Agreement of predictions with human labels for one dimension (elements `i * stride`), with
/// percentile bootstrap intervals from `replicates` resamples (0, or 10..10,000,000) at coverage
/// `confidence`, seeded by `seed` (`vs_evaluator_agreement_compute`).
pub fn agreement(
    truth: &[f64],
    pred: &[f64],
    stride: usize,
    replicates: usize,
    confidence: f64,
    seed: u64,
) -> Result<Agreement> {
    if truth.len() != pred.len() || stride == 0 {
        return Err(Error::new(
            sys::VS_EMISMATCH,
            format!(
                "truth of {} and predictions of {} values (stride {})",
                truth.len(),
                pred.len(),
                stride
            ),
        ));
    }
    let n = (truth.len() + stride - 1) / stride;
    let mut a = sys::vs_evaluator_agreement_init();
    check(unsafe {
        sys::vs_evaluator_agreement_compute(
            &mut a,
            truth.as_ptr(),
            pred.as_ptr(),
            n,
            stride,
            replicates,
            confidence,
            seed,
        )
    })?;
    Ok(a)
}

unsafe extern "C" fn tramp_evaluate(
    ud: *mut c_void,
    items: *const usize,
    prompts: *const *const c_char,
    responses: *const *const c_char,
    n: usize,
    k: usize,
    values: *mut f64,
    probs: *mut f64,
    statuses: *mut i32,
) -> c_int {
    let state = &*(ud as *const Mutex<CbState>);
    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
    if st.panic.is_some() {
        return -1;
    }
    let calls: Vec<EvalCall<'_>> = (0..n)
        .map(|i| EvalCall {
            index: *items.add(i),
            prompt: if prompts.is_null() {
                ""
            } else {
                borrowed_str(*prompts.add(i)).unwrap_or("")
            },
            response: borrowed_str(*responses.add(i)).unwrap_or(""),
        })
        .collect();
    let st_ref = &mut *st;
    let outcome = match panic::catch_unwind(AssertUnwindSafe(|| (st_ref.f)(&calls, k))) {
        Ok(o) => o,
        Err(p) => {
            st.panic = Some(p);
            return -1;
        }
    };
    let items_out = match outcome {
        Ok(v) if v.len() == n => v,
        Ok(v) => {
            st.fatal.get_or_insert(format!(
                "the evaluator returned {} results for {} items",
                v.len(),
                n
            ));
            return -1;
        }
        Err(m) => {
            st.fatal.get_or_insert(m);
            return -1;
        }
    };
    for (i, item) in items_out.into_iter().enumerate() {
        match item {
            Ok(ev) => {
                if ev.values.len() != k || ev.probs.as_ref().map_or(false, |p| p.len() != 3 * k) {
                    *statuses.add(i) = sys::VS_EMISMATCH;
                    continue;
                }
                ptr::copy_nonoverlapping(ev.values.as_ptr(), values.add(i * k), k);
                if let Some(p) = ev.probs {
                    ptr::copy_nonoverlapping(p.as_ptr(), probs.add(i * k * 3), 3 * k);
                }
            }
            Err(m) => {
                st.fatal.get_or_insert(m);
                *statuses.add(i) = sys::VS_ECALLBACK;
            }
        }
    }
    0
}

/// Arrays of a cross-validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CvArray {
    /// n × K out-of-fold values.
    Values,
    /// n × K × 3 out-of-fold probabilities.
    Probs,
    /// n × K out-of-fold baseline predictions.
    Baseline,
    /// n: the fold of each item.
    Fold,
}

/// A cross-validation result (`vs_evaluator_cv`), immutable.
pub struct CrossValidation {
    ptr: NonNull<sys::vs_evaluator_cv>,
}

// SAFETY: immutable.
unsafe impl Send for CrossValidation {}
unsafe impl Sync for CrossValidation {}

impl Drop for CrossValidation {
    fn drop(&mut self) {
        unsafe { sys::vs_evaluator_cv_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for CrossValidation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CrossValidation")
            .field("items", &self.len())
            .field("folds", &self.fold_count())
            .finish()
    }
}

impl CrossValidation {
    fn p(&self) -> *const sys::vs_evaluator_cv {
        self.ptr.as_ptr()
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        unsafe { sys::vs_evaluator_cv_count(self.p()) }
    }
    /// True for no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// K.
    pub fn dimension_count(&self) -> usize {
        unsafe { sys::vs_evaluator_cv_dimension_count(self.p()) }
    }
    /// The former name of [`Self::dimension_count`] (README, "Deprecated names").
    #[deprecated(note = "use dimension_count")]
    pub fn size(&self) -> usize {
        self.dimension_count()
    }
    /// Number of folds.
    pub fn fold_count(&self) -> usize {
        unsafe { sys::vs_evaluator_cv_fold_count(self.p()) }
    }
    /// The former name of [`Self::fold_count`] (README, "Deprecated names").
    #[deprecated(note = "use fold_count")]
    pub fn folds(&self) -> usize {
        self.fold_count()
    }
    /// Out-of-fold metrics of a dimension, pooled (fold None) or of one fold.
    pub fn metrics(&self, dim: usize, fold: Option<usize>) -> Result<Metrics> {
        let mut m = sys::vs_evaluator_metrics_init();
        check(unsafe {
            sys::vs_evaluator_cv_metrics(&mut m, self.p(), dim, fold.unwrap_or(sys::VS_NPOS))
        })?;
        Ok(m)
    }
    /// An array of the result.
    pub fn get(&self, what: CvArray) -> Result<Vec<f64>> {
        let w = (match what {
            CvArray::Values => sys::VS_EVALUATOR_CV_VALUES,
            CvArray::Probs => sys::VS_EVALUATOR_CV_PROBS,
            CvArray::Baseline => sys::VS_EVALUATOR_CV_BASELINE,
            CvArray::Fold => sys::VS_EVALUATOR_CV_FOLD,
        }) as c_int;
        let mut needed = 0;
        let rc = unsafe { sys::vs_evaluator_cv_get(&mut needed, self.p(), w, ptr::null_mut(), 0) };
        if rc != sys::VS_EBUFSIZE {
            check(rc)?;
        }
        let mut buf = vec![0.0; needed];
        check(unsafe {
            sys::vs_evaluator_cv_get(&mut needed, self.p(), w, buf.as_mut_ptr(), buf.len())
        })?;
        Ok(buf)
    }
}

/// Per-group value profiles (`vs_evaluator_profile`), immutable.
pub struct Profile {
    ptr: NonNull<sys::vs_evaluator_profile>,
}

// SAFETY: immutable.
unsafe impl Send for Profile {}
unsafe impl Sync for Profile {}

impl Drop for Profile {
    fn drop(&mut self) {
        unsafe { sys::vs_evaluator_profile_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("groups", &self.group_count())
            .field("size", &self.dimension_count())
            .finish()
    }
}

/// Arrays of a group's profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProfileArray {
    /// Mean value per dimension.
    Mean,
    /// Lower bound of the bootstrap interval.
    CiLow,
    /// Upper bound.
    CiHigh,
}

/// Numbers of a group's profile (NaN without a target).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProfileStat {
    /// BaseAlign distance of the mean vector to the target (NaN when no value of the mean
    /// passes the mask: nothing is compared).
    Distance,
    /// Lower bound of its interval.
    DistanceCiLow,
    /// Upper bound.
    DistanceCiHigh,
    /// Rank by distance, 1 = closest to the target (NaN without a distance).
    Rank,
    /// FULCRA's alignment: the mean per-response BaseAlign reward (the mask on each response).
    Reward,
    /// Lower bound of its interval.
    RewardCiLow,
    /// Upper bound.
    RewardCiHigh,
    /// Rank by mean reward, 1 = highest.
    RewardRank,
    /// Share of the group's items with a value past the mask.
    Coverage,
}

impl Profile {
    /// Profiles of `values` (n × k, NaN = missing) per group (None: one group), with a BaseAlign
    /// target (None: no distances), `replicates` bootstrap resamples (0 or 10..) at `confidence`.
    #[allow(clippy::too_many_arguments)]
    pub fn compute(
        values: &[f64],
        k: usize,
        groups: Option<&[usize]>,
        target: Option<&Vector>,
        threshold: f64,
        replicates: usize,
        confidence: f64,
        seed: u64,
    ) -> Result<Profile> {
        if k == 0 || values.len() % k != 0 {
            return Err(Error::new(
                sys::VS_EMISMATCH,
                format!("{} values do not form rows of {} columns", values.len(), k),
            ));
        }
        let n = values.len() / k;
        if let Some(g) = groups {
            if g.len() != n {
                return Err(Error::new(
                    sys::VS_EMISMATCH,
                    format!("{} groups for {} rows", g.len(), n),
                ));
            }
        }
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_evaluator_profile_compute(
                &mut out,
                values.as_ptr(),
                n,
                k,
                groups.map_or(ptr::null(), |g| g.as_ptr()),
                target.map_or(ptr::null(), |t| t.as_ptr()),
                threshold,
                replicates,
                confidence,
                seed,
            )
        })?;
        Ok(Profile {
            ptr: NonNull::new(out).expect("VS_OK with NULL profile"),
        })
    }
    fn p(&self) -> *const sys::vs_evaluator_profile {
        self.ptr.as_ptr()
    }
    /// Number of groups (in ascending order of group id).
    pub fn group_count(&self) -> usize {
        unsafe { sys::vs_evaluator_profile_group_count(self.p()) }
    }
    /// Group id of group j.
    pub fn group_id(&self, j: usize) -> Option<usize> {
        let g = unsafe { sys::vs_evaluator_profile_group_id(self.p(), j) };
        (g != sys::VS_NPOS).then_some(g)
    }
    /// Items of group j.
    pub fn group_item_count(&self, j: usize) -> usize {
        unsafe { sys::vs_evaluator_profile_group_item_count(self.p(), j) }
    }
    /// The former name of [`Self::group_item_count`] (README, "Deprecated names").
    #[deprecated(note = "use group_item_count")]
    pub fn group_size(&self, j: usize) -> usize {
        self.group_item_count(j)
    }
    /// k.
    pub fn dimension_count(&self) -> usize {
        unsafe { sys::vs_evaluator_profile_dimension_count(self.p()) }
    }
    /// The former name of [`Self::dimension_count`] (README, "Deprecated names").
    #[deprecated(note = "use dimension_count")]
    pub fn size(&self) -> usize {
        self.dimension_count()
    }
    /// k values of group j.
    pub fn get(&self, j: usize, what: ProfileArray) -> Result<Vec<f64>> {
        let w = (match what {
            ProfileArray::Mean => sys::VS_EVALUATOR_PROFILE_MEAN,
            ProfileArray::CiLow => sys::VS_EVALUATOR_PROFILE_CI_LOW,
            ProfileArray::CiHigh => sys::VS_EVALUATOR_PROFILE_CI_HIGH,
        }) as c_int;
        let mut buf = vec![0.0; self.dimension_count()];
        let mut needed = 0;
        check(unsafe {
            sys::vs_evaluator_profile_get(&mut needed, self.p(), j, w, buf.as_mut_ptr(), buf.len())
        })?;
        Ok(buf)
    }
    /// A number of group j.
    pub fn scalar(&self, j: usize, what: ProfileStat) -> Result<f64> {
        let w = (match what {
            ProfileStat::Distance => sys::VS_EVALUATOR_PROFILE_DISTANCE,
            ProfileStat::DistanceCiLow => sys::VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW,
            ProfileStat::DistanceCiHigh => sys::VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH,
            ProfileStat::Rank => sys::VS_EVALUATOR_PROFILE_RANK,
            ProfileStat::Reward => sys::VS_EVALUATOR_PROFILE_REWARD,
            ProfileStat::RewardCiLow => sys::VS_EVALUATOR_PROFILE_REWARD_CI_LOW,
            ProfileStat::RewardCiHigh => sys::VS_EVALUATOR_PROFILE_REWARD_CI_HIGH,
            ProfileStat::RewardRank => sys::VS_EVALUATOR_PROFILE_REWARD_RANK,
            ProfileStat::Coverage => sys::VS_EVALUATOR_PROFILE_COVERAGE,
        }) as c_int;
        let mut v = 0.0;
        check(unsafe { sys::vs_evaluator_profile_scalar(&mut v, self.p(), j, w) })?;
        Ok(v)
    }
}
