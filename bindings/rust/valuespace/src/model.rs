//! Models from Rust closures (`valuespace/model.h`): batched generate / loglikelihood / embed /
//! classify callbacks with retries, deterministic backoff, a failure threshold and cancellation.
//!
//! A [`Model`] is built from closures ([`ModelBuilder`]) or from a [`Backend`] trait object.
//! Each closure gets one batch of requests and returns one `Result` per request:
//! `Err(ItemError::Transient(..))` asks the library to retry that item later,
//! `Err(ItemError::Permanent(..))` fails it for good. The closure itself may fail the whole
//! batch with [`BatchError::Transient`] (every item is retried) or [`BatchError::Fatal`] (the
//! run stops and returns `VS_ECALLBACK` carrying the closure's message).
//!
//! Items that fail do not stop a run, unless more fail than the failure threshold
//! ([`Model::set_failure_threshold`]) or the first N items all fail alike (the early stop,
//! [`Model::set_stop_after_same_failures`], default 20 — a server that is down): then the run
//! returns [`ErrorKind::Failed`](crate::ErrorKind::Failed) (`VS_EFAILED`) with the cause in the
//! message, and the finished items keep their outcomes.
//!
//! The closures run inside `extern "C"` trampolines that catch panics with `catch_unwind`
//! (unwinding into C is undefined behaviour), tell C the batch failed fatally, and resume the
//! panic with `resume_unwind` once the C call has returned: a panic in a callback reaches the
//! caller of [`Model::generate`] (or of a runner) as that panic.
use std::any::Any;
use std::ffi::CString;
use std::fmt;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{self, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::sync::{Arc, Mutex};

use crate::error::{check, Error, Result};
use crate::util::{borrowed_str, cstring};
use valuespace_sys as sys;

/// The kind of a request (`VS_MODEL_GENERATE`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Text generation.
    Generate,
    /// Log-probability of a continuation given a context.
    Loglikelihood,
    /// Text to a vector of `dim` doubles.
    Embed,
    /// Text to one probability per label.
    Classify,
}

impl Kind {
    fn code(self) -> c_int {
        (match self {
            Kind::Generate => sys::VS_MODEL_GENERATE,
            Kind::Loglikelihood => sys::VS_MODEL_LOGLIKELIHOOD,
            Kind::Embed => sys::VS_MODEL_EMBED,
            Kind::Classify => sys::VS_MODEL_CLASSIFY,
        }) as c_int
    }
    fn from_code(code: c_int) -> Option<Kind> {
        [
            Kind::Generate,
            Kind::Loglikelihood,
            Kind::Embed,
            Kind::Classify,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// The final status of an item of a run (`VS_MODEL_ITEM_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemStatus {
    /// Success; the output is valid.
    Ok,
    /// Failed transiently on every attempt.
    Transient,
    /// Failed; retrying would not help.
    Permanent,
    /// Reported OK but its output was missing or invalid.
    BadOutput,
    /// Not finished (the run was cancelled or stopped).
    NotRun,
}

impl ItemStatus {
    pub(crate) fn from_code(code: c_int) -> ItemStatus {
        match code as u32 {
            sys::VS_MODEL_ITEM_OK => ItemStatus::Ok,
            sys::VS_MODEL_ITEM_TRANSIENT => ItemStatus::Transient,
            sys::VS_MODEL_ITEM_PERMANENT => ItemStatus::Permanent,
            sys::VS_MODEL_ITEM_BAD_OUTPUT => ItemStatus::BadOutput,
            _ => ItemStatus::NotRun,
        }
    }
    fn code(self) -> c_int {
        (match self {
            ItemStatus::Ok => sys::VS_MODEL_ITEM_OK,
            ItemStatus::Transient => sys::VS_MODEL_ITEM_TRANSIENT,
            ItemStatus::Permanent => sys::VS_MODEL_ITEM_PERMANENT,
            ItemStatus::BadOutput => sys::VS_MODEL_ITEM_BAD_OUTPUT,
            ItemStatus::NotRun => sys::VS_MODEL_ITEM_NOT_RUN,
        }) as c_int
    }
}

/// The failure of one item, returned by a callback closure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemError {
    /// Retry later (HTTP 429/503, a time-out); the message is kept if every attempt fails.
    Transient(String),
    /// Failed for good (e.g. a request the model rejects).
    Permanent(String),
}

/// The failure of a whole batch, returned by a callback closure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchError {
    /// Every item of the batch failed transiently and is retried.
    Transient,
    /// The run stops at once with `VS_ECALLBACK`; the message is appended to the error's.
    Fatal(String),
}

/// One item's outcome as a callback closure returns it.
pub type ItemResult<T> = std::result::Result<T, ItemError>;
/// What a callback closure returns for a batch: one outcome per request, in request order.
pub type BatchResult<T> = std::result::Result<Vec<ItemResult<T>>, BatchError>;

/// A generation request as a callback sees it (borrowed for the call).
#[derive(Clone, Debug)]
pub struct GenerateCall<'a> {
    /// Item id.
    pub id: &'a str,
    /// Repeat number of the item.
    pub repeat: u64,
    /// The per-item seed, `vs_model_item_seed(run seed, id, repeat)`.
    pub seed: u64,
    /// The plain prompt, or None when `messages` are given.
    pub prompt: Option<&'a str>,
    /// Chat messages as (role, content).
    pub messages: Vec<(&'a str, &'a str)>,
    /// Largest number of tokens (0 = the backend's default).
    pub max_tokens: u32,
    /// Sampling temperature.
    pub temperature: f64,
    /// Stop strings.
    pub stop: Vec<&'a str>,
}

/// A log-likelihood request as a callback sees it.
#[derive(Clone, Copy, Debug)]
pub struct LoglikCall<'a> {
    /// Item id.
    pub id: &'a str,
    /// The context (may be "").
    pub context: &'a str,
    /// The continuation whose log-probability is wanted.
    pub continuation: &'a str,
}

/// An embed or classify request as a callback sees it.
#[derive(Clone, Copy, Debug)]
pub struct TextCall<'a> {
    /// Item id.
    pub id: &'a str,
    /// The text.
    pub text: &'a str,
    /// Optional context (e.g. the prompt the text answers).
    pub context: Option<&'a str>,
}

/// A log-likelihood answer: natural-log probability (<= 0, `-inf` allowed) and whether greedy
/// decoding from the context would produce the continuation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Loglik {
    /// log P(continuation | context).
    pub logprob: f64,
    /// True if greedy decoding produces the continuation (ignored unless asked for).
    pub is_greedy: bool,
}

type GenFn = dyn FnMut(&[GenerateCall<'_>]) -> BatchResult<String> + Send;
type LoglikFn = dyn FnMut(&[LoglikCall<'_>]) -> BatchResult<Loglik> + Send;
type EmbedFn = dyn FnMut(&[TextCall<'_>], usize) -> BatchResult<Vec<f64>> + Send;
type ClassifyFn = dyn FnMut(&[TextCall<'_>], &[&str]) -> BatchResult<Vec<f64>> + Send;
type SleepFn = dyn FnMut(f64) + Send;
type ItemHookFn = dyn FnMut(&Results, usize) -> bool + Send;

/// The state behind `user_data`: the closures and what they raised during a C call.
/// Freed by the model's `destroy` callback when the last C reference is gone.
#[derive(Default)]
pub(crate) struct State {
    generate: Option<Box<GenFn>>,
    loglik: Option<Box<LoglikFn>>,
    embed: Option<Box<EmbedFn>>,
    classify: Option<Box<ClassifyFn>>,
    sleep: Option<Box<SleepFn>>,
    item_hook: Option<Box<ItemHookFn>>,
    panic: Option<Box<dyn Any + Send>>,
    fatal: Option<String>,
}

/// The value a trampoline returns to C for a fatal failure (anything but 0 and 1).
const FATAL: c_int = -1;

/// Something that can answer model requests, as an alternative to closures. Implement the
/// kinds the backend supports and list them in [`Backend::kinds`]; the others are never called.
pub trait Backend: Send + 'static {
    /// The request kinds this backend supports (at least one).
    fn kinds(&self) -> Vec<Kind>;
    /// Generates text for a batch. The default refuses: the C side only calls the kinds listed
    /// in [`Backend::kinds`], so it is reached only if a backend lists a kind it does not define.
    fn generate(&mut self, requests: &[GenerateCall<'_>]) -> BatchResult<String> {
        Err(BatchError::Fatal(format!(
            "this backend does not support generate (not in Backend::kinds); {} requests refused",
            requests.len()
        )))
    }
    /// Log-likelihoods for a batch.
    fn loglikelihood(&mut self, requests: &[LoglikCall<'_>]) -> BatchResult<Loglik> {
        Err(BatchError::Fatal(format!(
            "this backend does not support loglikelihood (not in Backend::kinds); {} requests refused",
            requests.len()
        )))
    }
    /// Embeddings (`dim` values each) for a batch.
    fn embed(&mut self, requests: &[TextCall<'_>], dim: usize) -> BatchResult<Vec<f64>> {
        Err(BatchError::Fatal(format!(
            "this backend does not support embed (not in Backend::kinds); {} requests of dim {} refused",
            requests.len(),
            dim
        )))
    }
    /// One probability per label for each text of a batch.
    fn classify(&mut self, requests: &[TextCall<'_>], labels: &[&str]) -> BatchResult<Vec<f64>> {
        Err(BatchError::Fatal(format!(
            "this backend does not support classify (not in Backend::kinds); {} requests over {} labels refused",
            requests.len(),
            labels.len()
        )))
    }
}

/// A boxed trait object is a backend too: `Model::from_backend(Box::new(b) as Box<dyn Backend>)`.
impl<B: Backend + ?Sized> Backend for Box<B> {
    fn kinds(&self) -> Vec<Kind> {
        (**self).kinds()
    }
    fn generate(&mut self, requests: &[GenerateCall<'_>]) -> BatchResult<String> {
        (**self).generate(requests)
    }
    fn loglikelihood(&mut self, requests: &[LoglikCall<'_>]) -> BatchResult<Loglik> {
        (**self).loglikelihood(requests)
    }
    fn embed(&mut self, requests: &[TextCall<'_>], dim: usize) -> BatchResult<Vec<f64>> {
        (**self).embed(requests, dim)
    }
    fn classify(&mut self, requests: &[TextCall<'_>], labels: &[&str]) -> BatchResult<Vec<f64>> {
        (**self).classify(requests, labels)
    }
}

/// Builds a [`Model`] from closures; at least one kind must be given.
#[derive(Default)]
pub struct ModelBuilder {
    state: State,
}

impl fmt::Debug for ModelBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModelBuilder")
            .field("generate", &self.state.generate.is_some())
            .field("loglikelihood", &self.state.loglik.is_some())
            .field("embed", &self.state.embed.is_some())
            .field("classify", &self.state.classify.is_some())
            .finish()
    }
}

impl ModelBuilder {
    /// An empty builder.
    pub fn new() -> ModelBuilder {
        ModelBuilder::default()
    }
    /// The generate callback.
    pub fn generate<F>(mut self, f: F) -> Self
    where
        F: FnMut(&[GenerateCall<'_>]) -> BatchResult<String> + Send + 'static,
    {
        self.state.generate = Some(Box::new(f));
        self
    }
    /// The loglikelihood callback.
    pub fn loglikelihood<F>(mut self, f: F) -> Self
    where
        F: FnMut(&[LoglikCall<'_>]) -> BatchResult<Loglik> + Send + 'static,
    {
        self.state.loglik = Some(Box::new(f));
        self
    }
    /// The embed callback (`dim` values per text).
    pub fn embed<F>(mut self, f: F) -> Self
    where
        F: FnMut(&[TextCall<'_>], usize) -> BatchResult<Vec<f64>> + Send + 'static,
    {
        self.state.embed = Some(Box::new(f));
        self
    }
    /// The classify callback (one probability in [0, 1] per label).
    pub fn classify<F>(mut self, f: F) -> Self
    where
        F: FnMut(&[TextCall<'_>], &[&str]) -> BatchResult<Vec<f64>> + Send + 'static,
    {
        self.state.classify = Some(Box::new(f));
        self
    }

    /// Creates the model (`vs_model_create`). `VS_EINVAL` when no callback was given.
    pub fn build(self) -> Result<Model> {
        let mut table = sys::vs_model_callbacks_init();
        if self.state.generate.is_some() {
            table.generate = Some(tramp_generate);
        }
        if self.state.loglik.is_some() {
            table.loglikelihood = Some(tramp_loglik);
        }
        if self.state.embed.is_some() {
            table.embed = Some(tramp_embed);
        }
        if self.state.classify.is_some() {
            table.classify = Some(tramp_classify);
        }
        table.destroy = Some(tramp_destroy);
        let state = Box::into_raw(Box::new(self.state));
        let mut out = ptr::null_mut();
        let rc = unsafe { sys::vs_model_create(&mut out, &table, state.cast()) };
        if rc != sys::VS_OK {
            let err = Error::last(rc);
            // SAFETY: on failure the caller still owns user_data.
            drop(unsafe { Box::from_raw(state) });
            return Err(err);
        }
        Ok(Model {
            ptr: NonNull::new(out).expect("VS_OK with NULL model"),
            state,
            adopted: None,
        })
    }
}

/// A model: callbacks plus run options (`vs_model`). `Send`, not `Sync` (one run at a time).
pub struct Model {
    ptr: NonNull<sys::vs_model>,
    state: *mut State,
    /// A model the library made (no Rust callback table, so no C destroy callback frees
    /// `state`): what it reads, kept alive as long as the model.
    adopted: Option<Box<dyn Any + Send>>,
}

// SAFETY: the closures are Send; a vs_model may move between threads (used by one at a time).
unsafe impl Send for Model {}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("seed", &self.seed())
            .field("max_batch", &self.get_i64(ModelOption::MaxBatch).ok())
            .finish()
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // The destroy callback frees the state once the last C reference is gone.
        unsafe { sys::vs_model_free(self.ptr.as_ptr()) }
        if self.adopted.is_some() {
            // SAFETY: an adopted model's state is ours alone (no destroy callback), and the C
            // model is gone (a runner holding a reference owns this Model, so it is freed first).
            drop(unsafe { Box::from_raw(self.state) });
        }
    }
}

/// A request to generate text (owned; see [`Model::generate`]).
#[derive(Clone, Debug, PartialEq)]
pub struct GenerateRequest {
    /// Item id (None: the decimal index in the run).
    pub id: Option<String>,
    /// Repeat number.
    pub repeat: u64,
    /// The plain prompt (exclusive with `messages`).
    pub prompt: Option<String>,
    /// Chat messages as (role, content).
    pub messages: Vec<(String, String)>,
    /// Largest number of tokens (0 = the backend's default).
    pub max_tokens: u32,
    /// Temperature >= 0.
    pub temperature: f64,
    /// Non-empty stop strings.
    pub stop: Vec<String>,
}

impl GenerateRequest {
    /// A plain-prompt request with id, repeat 0, temperature 1.
    pub fn prompt(id: impl Into<String>, prompt: impl Into<String>) -> GenerateRequest {
        GenerateRequest {
            id: Some(id.into()),
            repeat: 0,
            prompt: Some(prompt.into()),
            messages: Vec::new(),
            max_tokens: 0,
            temperature: 1.0,
            stop: Vec::new(),
        }
    }
}

/// A log-likelihood request (owned).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoglikRequest {
    /// Item id (None: the decimal index in the run).
    pub id: Option<String>,
    /// The context.
    pub context: String,
    /// The continuation.
    pub continuation: String,
}

/// An embed or classify request (owned).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextRequest {
    /// Item id (None: the decimal index in the run).
    pub id: Option<String>,
    /// The text.
    pub text: String,
    /// Optional context.
    pub context: Option<String>,
}

impl TextRequest {
    /// A request with an id and a text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> TextRequest {
        TextRequest {
            id: Some(id.into()),
            text: text.into(),
            context: None,
        }
    }
}

/// A text request as C strings: (id, text, context).
type OwnedText = (Option<CString>, CString, Option<CString>);

fn opt_cstring(s: &Option<String>, what: &str) -> Result<Option<CString>> {
    s.as_deref().map(|s| cstring(s, what)).transpose()
}

fn opt_ptr(c: &Option<CString>) -> *const c_char {
    c.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

fn cstrings<'a>(v: impl IntoIterator<Item = &'a str>, what: &str) -> Result<Vec<CString>> {
    v.into_iter().map(|s| cstring(s, what)).collect()
}

fn ptrs(v: &[CString]) -> Vec<*const c_char> {
    v.iter().map(|c| c.as_ptr()).collect()
}

option_enum! {
    /// The options of the handle ([`crate::options`]: `set`/`get`), `VS_MODEL_OPT_*`.
    ModelOption(id = sys::vs_model_option_id, name = sys::vs_model_option_name, bounds = sys::vs_model_option_bounds):
    /// largest number of items per callback call; default 16.
    MaxBatch = sys::VS_MODEL_OPT_MAX_BATCH => Int,
    /// calls an item may take part in (1 = no retry); default 4.
    MaxAttempts = sys::VS_MODEL_OPT_MAX_ATTEMPTS => Int,
    /// seconds before the first retry; default 1.
    BackoffBase = sys::VS_MODEL_OPT_BACKOFF_BASE => Double,
    /// longest wait between retries in seconds; default 60.
    BackoffMax = sys::VS_MODEL_OPT_BACKOFF_MAX => Double,
    /// most failed items before a run stops (-1 = no limit); default -1.
    MaxFailed = sys::VS_MODEL_OPT_MAX_FAILED => Int,
    /// largest failed fraction before a run stops; default 1.
    MaxFailedFraction = sys::VS_MODEL_OPT_MAX_FAILED_FRACTION => Double,
    /// longest generated text accepted, in bytes; default 16 MiB.
    MaxTextBytes = sys::VS_MODEL_OPT_MAX_TEXT_BYTES => Int,
    /// early stop after this many identical first failures; default 20.
    StopAfterSameFailures = sys::VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES => Int,
}

option_methods!(
    Model,
    ptr,
    ModelOption,
    int(sys::vs_model_set_int, sys::vs_model_get_int),
    double(sys::vs_model_set_double, sys::vs_model_get_double)
);

impl Model {
    /// Wraps a model the library made (e.g. [`crate::evaluator::Evaluator::into_judge`]);
    /// `keep` (what its callbacks read) lives as long as the model.
    pub(crate) fn adopt(ptr: NonNull<sys::vs_model>, keep: Box<dyn Any + Send>) -> Model {
        Model {
            ptr,
            state: Box::into_raw(Box::<State>::default()),
            adopted: Some(keep),
        }
    }

    /// A model from closures.
    pub fn builder() -> ModelBuilder {
        ModelBuilder::new()
    }

    /// A model from a [`Backend`] (shared by the four callbacks behind a mutex).
    pub fn from_backend<B: Backend>(backend: B) -> Result<Model> {
        let kinds = backend.kinds();
        let shared = Arc::new(Mutex::new(backend));
        let mut b = ModelBuilder::new();
        // A poisoned mutex means an earlier callback panicked (and that panic was resumed);
        // the backend's state is still usable, so recover the guard.
        for k in kinds {
            let s = Arc::clone(&shared);
            b = match k {
                Kind::Generate => {
                    b.generate(move |r| s.lock().unwrap_or_else(|e| e.into_inner()).generate(r))
                }
                Kind::Loglikelihood => b.loglikelihood(move |r| {
                    s.lock().unwrap_or_else(|e| e.into_inner()).loglikelihood(r)
                }),
                Kind::Embed => {
                    b.embed(move |r, d| s.lock().unwrap_or_else(|e| e.into_inner()).embed(r, d))
                }
                Kind::Classify => b.classify(move |r, l| {
                    s.lock().unwrap_or_else(|e| e.into_inner()).classify(r, l)
                }),
            };
        }
        b.build()
    }

    /// The raw handle (owned by this value).
    pub fn as_ptr(&self) -> *mut sys::vs_model {
        self.ptr.as_ptr()
    }

    /// True if the model has a callback for `kind`.
    pub fn supports(&self, kind: Kind) -> bool {
        unsafe { sys::vs_model_supports(self.as_ptr(), kind.code()) == 1 }
    }

    fn get_i64(&self, option: ModelOption) -> Result<i64> {
        Ok(self.get(option)?.as_i64().unwrap_or(0))
    }
    fn get_f64(&self, option: ModelOption) -> Result<f64> {
        Ok(self.get(option)?.as_f64().unwrap_or(f64::NAN))
    }

    /// Largest number of items per callback call (default 16).
    pub fn set_max_batch(&mut self, n: i64) -> Result<&mut Self> {
        self.set(ModelOption::MaxBatch, n)
    }
    /// The largest batch.
    pub fn max_batch(&self) -> i64 {
        self.get_i64(ModelOption::MaxBatch).unwrap_or(0)
    }
    /// Calls an item may take part in (1 = no retry; default 4).
    pub fn set_max_attempts(&mut self, n: i64) -> Result<&mut Self> {
        self.set(ModelOption::MaxAttempts, n)
    }
    /// The attempts limit.
    pub fn max_attempts(&self) -> i64 {
        self.get_i64(ModelOption::MaxAttempts).unwrap_or(0)
    }
    /// Backoff: seconds before the first retry and the largest delay (before jitter).
    pub fn set_backoff(&mut self, base: f64, max: f64) -> Result<&mut Self> {
        self.set(ModelOption::BackoffBase, base)?;
        self.set(ModelOption::BackoffMax, max)?;
        Ok(self)
    }
    /// (backoff base, backoff max) in seconds.
    pub fn backoff(&self) -> (f64, f64) {
        (
            self.get_f64(ModelOption::BackoffBase).unwrap_or(f64::NAN),
            self.get_f64(ModelOption::BackoffMax).unwrap_or(f64::NAN),
        )
    }
    /// Failure threshold: stop when more than `max_failed` items (None: no limit) or more than
    /// `max_fraction` of the run's items failed for good; the run then fails with
    /// [`ErrorKind::Failed`](crate::ErrorKind::Failed) (`VS_EFAILED`). Default: no limit.
    pub fn set_failure_threshold(
        &mut self,
        max_failed: Option<i64>,
        max_fraction: f64,
    ) -> Result<&mut Self> {
        self.set(ModelOption::MaxFailed, max_failed.unwrap_or(-1))?;
        self.set(ModelOption::MaxFailedFraction, max_fraction)?;
        Ok(self)
    }
    /// The failure threshold: (`max_failed`, None when there is no limit; `max_fraction`).
    pub fn failure_threshold(&self) -> (Option<i64>, f64) {
        let n = self.get_i64(ModelOption::MaxFailed).unwrap_or(-1);
        let f = self
            .get_f64(ModelOption::MaxFailedFraction)
            .unwrap_or(f64::NAN);
        ((n >= 0).then_some(n), f)
    }
    /// Early stop: a run whose first `n` items to finish all failed with the same status and
    /// message (a server that is down, an endpoint that cannot serve the request) stops with
    /// [`ErrorKind::Failed`](crate::ErrorKind::Failed) instead of sending every remaining
    /// request; one success or one different failure among the first `n` switches it off for
    /// the run, and a run of fewer than `n` items never stops this way. 0 = never; default 20.
    pub fn set_stop_after_same_failures(&mut self, n: i64) -> Result<&mut Self> {
        self.set(ModelOption::StopAfterSameFailures, n)
    }
    /// The early-stop count (0 = never).
    pub fn stop_after_same_failures(&self) -> i64 {
        self.get_i64(ModelOption::StopAfterSameFailures)
            .unwrap_or(0)
    }
    /// Longest generated text accepted, in bytes (default 16 MiB).
    pub fn set_max_text_bytes(&mut self, n: i64) -> Result<&mut Self> {
        self.set(ModelOption::MaxTextBytes, n)
    }
    /// Inclusive bounds of a `VS_MODEL_OPT_*` option.
    #[deprecated(note = "raw option ids: use ModelOption::bounds")]
    pub fn option_bounds(option: u32) -> Result<(f64, f64)> {
        let (mut lo, mut hi) = (0.0, 0.0);
        check(unsafe { sys::vs_model_option_bounds(&mut lo, &mut hi, option as c_int) })?;
        Ok((lo, hi))
    }
    /// Sets the run seed (per-item seeds and backoff jitter derive from it).
    pub fn set_seed(&mut self, seed: u64) -> Result<&mut Self> {
        check(unsafe { sys::vs_model_set_seed(self.as_ptr(), seed) }).map(|_| self)
    }
    /// The run seed.
    pub fn seed(&self) -> u64 {
        unsafe { sys::vs_model_get_seed(self.as_ptr()) }
    }
    /// Uses a cancellation token (the model keeps a reference), or none.
    pub fn set_cancel(&mut self, token: Option<&CancelToken>) -> Result<&mut Self> {
        let p = token.map_or(ptr::null_mut(), |t| t.ptr.as_ptr());
        check(unsafe { sys::vs_model_set_cancel(self.as_ptr(), p) }).map(|_| self)
    }
    /// Replaces the backoff sleep by a closure (e.g. to record delays in tests). A panic in it
    /// is resumed after the run, like a callback's.
    pub fn set_sleep<F>(&mut self, f: F) -> Result<&mut Self>
    where
        F: FnMut(f64) + Send + 'static,
    {
        check(unsafe {
            sys::vs_model_set_sleep(self.as_ptr(), Some(tramp_sleep), self.state.cast())
        })?;
        // SAFETY: the state lives as long as the model; no run is in progress (&mut self).
        unsafe { (*self.state).sleep = Some(Box::new(f)) };
        Ok(self)
    }

    /// Calls `f(results, index)` for each item as soon as its status is final (e.g. to journal
    /// it); returning false stops the run with `VS_ECALLBACK`. A panic in it is resumed after
    /// the run. Runners do not call a model's item hook.
    pub fn set_item_hook<F>(&mut self, f: F) -> Result<&mut Self>
    where
        F: FnMut(&Results, usize) -> bool + Send + 'static,
    {
        check(unsafe {
            sys::vs_model_set_item_hook(self.as_ptr(), Some(tramp_item_hook), self.state.cast())
        })?;
        // SAFETY: as in set_sleep.
        unsafe { (*self.state).item_hook = Some(Box::new(f)) };
        Ok(self)
    }

    /// Removes the item hook.
    pub fn clear_item_hook(&mut self) -> Result<&mut Self> {
        check(unsafe { sys::vs_model_set_item_hook(self.as_ptr(), None, ptr::null_mut()) })?;
        unsafe { (*self.state).item_hook = None };
        Ok(self)
    }

    /// Restores the default sleep (nanosleep slices that watch the cancellation token).
    pub fn clear_sleep(&mut self) -> Result<&mut Self> {
        check(unsafe { sys::vs_model_set_sleep(self.as_ptr(), None, ptr::null_mut()) })?;
        unsafe { (*self.state).sleep = None };
        Ok(self)
    }

    /// After a C call: resumes a callback's panic, or turns its fatal error into the `Error`.
    pub(crate) fn finish(state: *mut State, rc: c_int) -> Result<()> {
        let err = (rc != sys::VS_OK).then(|| Error::last(rc));
        finish_all(&[state], err)
    }

    pub(crate) fn state_ptr(&self) -> *mut State {
        self.state
    }

    /// Generates text for every request into `results` (reset first). On `VS_ECALLBACK`,
    /// `VS_EFAILED` or `VS_ECANCELED` the finished items keep their outputs.
    pub fn generate_into(
        &mut self,
        results: &mut Results,
        requests: &[GenerateRequest],
    ) -> Result<()> {
        struct Owned {
            id: Option<CString>,
            prompt: Option<CString>,
            roles: Vec<CString>,
            contents: Vec<CString>,
            stop: Vec<CString>,
            role_ptrs: Vec<*const c_char>,
            content_ptrs: Vec<*const c_char>,
            stop_ptrs: Vec<*const c_char>,
        }
        let mut owned = Vec::with_capacity(requests.len());
        for r in requests {
            let roles = cstrings(r.messages.iter().map(|m| m.0.as_str()), "message role")?;
            let contents = cstrings(r.messages.iter().map(|m| m.1.as_str()), "message content")?;
            let stop = cstrings(r.stop.iter().map(String::as_str), "stop string")?;
            owned.push(Owned {
                id: opt_cstring(&r.id, "item id")?,
                prompt: opt_cstring(&r.prompt, "prompt")?,
                role_ptrs: ptrs(&roles),
                content_ptrs: ptrs(&contents),
                stop_ptrs: ptrs(&stop),
                roles,
                contents,
                stop,
            });
        }
        let reqs: Vec<sys::vs_model_gen_request> = requests
            .iter()
            .zip(&owned)
            .map(|(r, o)| {
                let _ = (&o.roles, &o.contents, &o.stop);
                let mut q = sys::vs_model_gen_request_init();
                q.max_tokens = r.max_tokens;
                q.id = opt_ptr(&o.id);
                q.repeat = r.repeat;
                q.prompt = opt_ptr(&o.prompt);
                q.n_messages = o.role_ptrs.len();
                q.roles = if o.role_ptrs.is_empty() {
                    ptr::null()
                } else {
                    o.role_ptrs.as_ptr()
                };
                q.contents = if o.content_ptrs.is_empty() {
                    ptr::null()
                } else {
                    o.content_ptrs.as_ptr()
                };
                q.temperature = r.temperature;
                q.n_stop = o.stop_ptrs.len();
                q.stop = if o.stop_ptrs.is_empty() {
                    ptr::null()
                } else {
                    o.stop_ptrs.as_ptr()
                };
                q
            })
            .collect();
        let rptrs: Vec<*const sys::vs_model_gen_request> =
            reqs.iter().map(|q| q as *const _).collect();
        let rc = unsafe {
            sys::vs_model_generate(results.as_ptr(), self.as_ptr(), rptrs.as_ptr(), rptrs.len())
        };
        Model::finish(self.state, rc)
    }

    /// Generates text for every request.
    pub fn generate(&mut self, requests: &[GenerateRequest]) -> Result<Results> {
        let mut r = Results::new()?;
        self.generate_into(&mut r, requests)?;
        Ok(r)
    }

    /// Log-likelihoods of every request into `results`; `want_greedy` asks for is_greedy.
    pub fn loglikelihood_into(
        &mut self,
        results: &mut Results,
        requests: &[LoglikRequest],
        want_greedy: bool,
    ) -> Result<()> {
        let mut owned = Vec::with_capacity(requests.len());
        for r in requests {
            owned.push((
                opt_cstring(&r.id, "item id")?,
                cstring(&r.context, "context")?,
                cstring(&r.continuation, "continuation")?,
            ));
        }
        let reqs: Vec<sys::vs_model_loglik_request> = owned
            .iter()
            .map(|(id, c, k)| {
                let mut q = sys::vs_model_loglik_request_init();
                q.id = opt_ptr(id);
                q.context = c.as_ptr();
                q.continuation = k.as_ptr();
                q
            })
            .collect();
        let rptrs: Vec<*const sys::vs_model_loglik_request> =
            reqs.iter().map(|q| q as *const _).collect();
        let flags = if want_greedy {
            sys::VS_MODEL_WANT_GREEDY
        } else {
            0
        };
        let rc = unsafe {
            sys::vs_model_loglikelihood(
                results.as_ptr(),
                self.as_ptr(),
                rptrs.as_ptr(),
                rptrs.len(),
                flags,
            )
        };
        Model::finish(self.state, rc)
    }

    /// Log-likelihoods of every request.
    pub fn loglikelihood(
        &mut self,
        requests: &[LoglikRequest],
        want_greedy: bool,
    ) -> Result<Results> {
        let mut r = Results::new()?;
        self.loglikelihood_into(&mut r, requests, want_greedy)?;
        Ok(r)
    }

    fn text_requests(requests: &[TextRequest]) -> Result<Vec<OwnedText>> {
        requests
            .iter()
            .map(|r| {
                Ok((
                    opt_cstring(&r.id, "item id")?,
                    cstring(&r.text, "text")?,
                    opt_cstring(&r.context, "context")?,
                ))
            })
            .collect()
    }

    fn text_structs(owned: &[OwnedText]) -> Vec<sys::vs_model_text_request> {
        owned
            .iter()
            .map(|(id, t, c)| {
                let mut q = sys::vs_model_text_request_init();
                q.id = opt_ptr(id);
                q.text = t.as_ptr();
                q.context = opt_ptr(c);
                q
            })
            .collect()
    }

    /// Embeds every text into `dim` doubles, into `results`.
    pub fn embed_into(
        &mut self,
        results: &mut Results,
        requests: &[TextRequest],
        dim: usize,
    ) -> Result<()> {
        let owned = Model::text_requests(requests)?;
        let reqs = Model::text_structs(&owned);
        let rptrs: Vec<*const sys::vs_model_text_request> =
            reqs.iter().map(|q| q as *const _).collect();
        let rc = unsafe {
            sys::vs_model_embed(
                results.as_ptr(),
                self.as_ptr(),
                rptrs.as_ptr(),
                rptrs.len(),
                dim,
            )
        };
        Model::finish(self.state, rc)
    }

    /// Embeds every text into `dim` doubles.
    pub fn embed(&mut self, requests: &[TextRequest], dim: usize) -> Result<Results> {
        let mut r = Results::new()?;
        self.embed_into(&mut r, requests, dim)?;
        Ok(r)
    }

    /// Classifies every text over `labels`, into `results`.
    pub fn classify_into(
        &mut self,
        results: &mut Results,
        requests: &[TextRequest],
        labels: &[&str],
    ) -> Result<()> {
        let owned = Model::text_requests(requests)?;
        let reqs = Model::text_structs(&owned);
        let rptrs: Vec<*const sys::vs_model_text_request> =
            reqs.iter().map(|q| q as *const _).collect();
        let cl = cstrings(labels.iter().copied(), "label")?;
        let lp = ptrs(&cl);
        let rc = unsafe {
            sys::vs_model_classify(
                results.as_ptr(),
                self.as_ptr(),
                rptrs.as_ptr(),
                rptrs.len(),
                lp.as_ptr(),
                lp.len(),
            )
        };
        Model::finish(self.state, rc)
    }

    /// Classifies every text over `labels`.
    pub fn classify(&mut self, requests: &[TextRequest], labels: &[&str]) -> Result<Results> {
        let mut r = Results::new()?;
        self.classify_into(&mut r, requests, labels)?;
        Ok(r)
    }
}

/// The per-item seed `vs_model_item_seed(run_seed, item_id, repeat)`. An id with a NUL byte is
/// hashed up to it, as C would see it.
pub fn item_seed(run_seed: u64, item_id: &str, repeat: u64) -> u64 {
    let id = CString::new(item_id.split('\0').next().unwrap_or("")).unwrap_or_default();
    unsafe { sys::vs_model_item_seed(run_seed, id.as_ptr(), repeat) }
}

/// After a C call that may have run the callbacks of several models (`err`: the call's error,
/// read at once): the first panic is
/// resumed (every model's panic and fatal slots are cleared first); otherwise a fatal error of a
/// callback is appended to the `VS_ECALLBACK` message.
pub(crate) fn finish_all(states: &[*mut State], err: Option<Error>) -> Result<()> {
    let mut panic_payload = None;
    let mut fatal = None;
    for &s in states {
        // SAFETY: every state outlives the call; no callback runs now.
        let st = unsafe { &mut *s };
        if let Some(p) = st.panic.take() {
            panic_payload.get_or_insert(p);
        }
        if let Some(m) = st.fatal.take() {
            fatal.get_or_insert(m);
        }
    }
    if let Some(p) = panic_payload {
        panic::resume_unwind(p);
    }
    match (err, fatal) {
        (None, _) => Ok(()),
        (Some(e), Some(msg)) if e.code() == sys::VS_ECALLBACK => {
            Err(Error::new(e.code(), format!("{}: {}", e.message(), msg)))
        }
        (Some(e), _) => Err(e),
    }
}

// ------------------------------------------------------------------------------ trampolines

/// Runs `f` on the state with panics caught; a panic is stored and becomes FATAL.
unsafe fn guarded(ud: *mut c_void, f: impl FnOnce(&mut State) -> c_int) -> c_int {
    let state = ud as *mut State;
    if (*state).panic.is_some() || (*state).fatal.is_some() {
        return FATAL;
    }
    match panic::catch_unwind(AssertUnwindSafe(|| f(&mut *state))) {
        Ok(rc) => rc,
        Err(payload) => {
            (*state).panic = Some(payload);
            FATAL
        }
    }
}

unsafe fn str_or_empty<'a>(p: *const c_char) -> &'a str {
    borrowed_str(p).unwrap_or("")
}

unsafe fn str_array<'a>(p: *const *const c_char, n: usize) -> Vec<&'a str> {
    if p.is_null() || n == 0 {
        return Vec::new();
    }
    std::slice::from_raw_parts(p, n)
        .iter()
        .map(|&s| str_or_empty(s))
        .collect()
}

/// Applies a batch outcome: per-item statuses and messages, outputs through `set`.
/// Returns the callback's return value for C.
unsafe fn apply<T>(
    state: &mut State,
    batch: *mut sys::vs_model_batch,
    n: usize,
    status: *mut c_int,
    outcome: BatchResult<T>,
    mut set: impl FnMut(usize, T),
) -> c_int {
    let items = match outcome {
        Ok(items) => items,
        Err(BatchError::Transient) => return sys::VS_MODEL_ITEM_TRANSIENT as c_int,
        Err(BatchError::Fatal(msg)) => {
            state.fatal = Some(msg);
            return FATAL;
        }
    };
    if items.len() != n {
        state.fatal = Some(format!(
            "the callback returned {} results for a batch of {} requests",
            items.len(),
            n
        ));
        return FATAL;
    }
    let status = std::slice::from_raw_parts_mut(status, n);
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Ok(v) => set(i, v),
            Err(e) => {
                let (st, msg) = match e {
                    ItemError::Transient(m) => (ItemStatus::Transient, m),
                    ItemError::Permanent(m) => (ItemStatus::Permanent, m),
                };
                status[i] = st.code();
                let m = CString::new(msg.replace('\0', "\\0")).unwrap_or_default();
                sys::vs_model_set_error(batch, i, m.as_ptr());
            }
        }
    }
    0
}

unsafe extern "C" fn tramp_generate(
    ud: *mut c_void,
    batch: *mut sys::vs_model_batch,
    requests: *const *const sys::vs_model_gen_request,
    n: usize,
    status: *mut c_int,
) -> c_int {
    guarded(ud, |state| {
        let calls: Vec<GenerateCall<'_>> = std::slice::from_raw_parts(requests, n)
            .iter()
            .map(|&r| {
                let r = &*r;
                let roles = str_array(r.roles, r.n_messages);
                let contents = str_array(r.contents, r.n_messages);
                GenerateCall {
                    id: str_or_empty(r.id),
                    repeat: r.repeat,
                    seed: r.seed,
                    prompt: borrowed_str(r.prompt),
                    messages: roles.into_iter().zip(contents).collect(),
                    max_tokens: r.max_tokens,
                    temperature: r.temperature,
                    stop: str_array(r.stop, r.n_stop),
                }
            })
            .collect();
        let f = state.generate.as_mut().expect("generate callback");
        let outcome = f(&calls);
        apply(state, batch, n, status, outcome, |i, text: String| {
            sys::vs_model_set_text(batch, i, text.as_ptr().cast(), text.len());
        })
    })
}

unsafe extern "C" fn tramp_loglik(
    ud: *mut c_void,
    batch: *mut sys::vs_model_batch,
    requests: *const *const sys::vs_model_loglik_request,
    n: usize,
    logprob: *mut f64,
    is_greedy: *mut c_int,
    status: *mut c_int,
) -> c_int {
    guarded(ud, |state| {
        let calls: Vec<LoglikCall<'_>> = std::slice::from_raw_parts(requests, n)
            .iter()
            .map(|&r| LoglikCall {
                id: str_or_empty((*r).id),
                context: str_or_empty((*r).context),
                continuation: str_or_empty((*r).continuation),
            })
            .collect();
        let f = state.loglik.as_mut().expect("loglikelihood callback");
        let outcome = f(&calls);
        apply(state, batch, n, status, outcome, |i, v: Loglik| {
            *logprob.add(i) = v.logprob;
            if !is_greedy.is_null() {
                *is_greedy.add(i) = v.is_greedy as c_int;
            }
        })
    })
}

unsafe fn text_calls<'a>(
    requests: *const *const sys::vs_model_text_request,
    n: usize,
) -> Vec<TextCall<'a>> {
    std::slice::from_raw_parts(requests, n)
        .iter()
        .map(|&r| TextCall {
            id: str_or_empty((*r).id),
            text: str_or_empty((*r).text),
            context: borrowed_str((*r).context),
        })
        .collect()
}

unsafe extern "C" fn tramp_embed(
    ud: *mut c_void,
    batch: *mut sys::vs_model_batch,
    requests: *const *const sys::vs_model_text_request,
    n: usize,
    dim: usize,
    status: *mut c_int,
) -> c_int {
    guarded(ud, |state| {
        let calls = text_calls(requests, n);
        let f = state.embed.as_mut().expect("embed callback");
        let outcome = f(&calls, dim);
        apply(state, batch, n, status, outcome, |i, v: Vec<f64>| {
            sys::vs_model_set_vector(batch, i, v.as_ptr(), v.len());
        })
    })
}

unsafe extern "C" fn tramp_classify(
    ud: *mut c_void,
    batch: *mut sys::vs_model_batch,
    requests: *const *const sys::vs_model_text_request,
    n: usize,
    labels: *const *const c_char,
    n_labels: usize,
    status: *mut c_int,
) -> c_int {
    guarded(ud, |state| {
        let calls = text_calls(requests, n);
        let labels = str_array(labels, n_labels);
        let f = state.classify.as_mut().expect("classify callback");
        let outcome = f(&calls, &labels);
        apply(state, batch, n, status, outcome, |i, v: Vec<f64>| {
            sys::vs_model_set_vector(batch, i, v.as_ptr(), v.len());
        })
    })
}

unsafe extern "C" fn tramp_sleep(ud: *mut c_void, seconds: f64) {
    guarded(ud, |state| {
        if let Some(f) = state.sleep.as_mut() {
            f(seconds);
        }
        0
    });
}

unsafe extern "C" fn tramp_item_hook(
    ud: *mut c_void,
    results: *const sys::vs_model_results,
    index: usize,
) -> c_int {
    guarded(ud, |state| {
        // A borrowed view: the results belong to the run; ManuallyDrop never frees them.
        let view = std::mem::ManuallyDrop::new(Results {
            ptr: NonNull::new(results as *mut sys::vs_model_results).expect("NULL results"),
        });
        match state.item_hook.as_mut() {
            Some(f) => (!f(&view, index)) as c_int,
            None => 0,
        }
    })
}

unsafe extern "C" fn tramp_destroy(ud: *mut c_void) {
    // Dropping closures may panic; never unwind into C.
    let _ = panic::catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(ud as *mut State))));
}

// ------------------------------------------------------------------------------ cancel, results

/// A cancellation token (`vs_cancel`): set it from any thread to stop runs that use it.
pub struct CancelToken {
    ptr: NonNull<sys::vs_cancel>,
}

// SAFETY: every function on a vs_cancel is documented safe from any thread.
unsafe impl Send for CancelToken {}
unsafe impl Sync for CancelToken {}

impl CancelToken {
    /// A new token, not set.
    pub fn new() -> Result<CancelToken> {
        let mut p = ptr::null_mut();
        check(unsafe { sys::vs_cancel_create(&mut p) })?;
        Ok(CancelToken {
            ptr: NonNull::new(p).expect("VS_OK with NULL token"),
        })
    }
    /// Sets the token.
    pub fn request(&self) {
        unsafe { sys::vs_cancel_request(self.ptr.as_ptr()) }
    }
    /// Clears the token.
    pub fn reset(&self) {
        unsafe { sys::vs_cancel_reset(self.ptr.as_ptr()) }
    }
    /// True if the token is set.
    pub fn is_requested(&self) -> bool {
        unsafe { sys::vs_cancel_requested(self.ptr.as_ptr()) == 1 }
    }
}

impl Drop for CancelToken {
    fn drop(&mut self) {
        unsafe { sys::vs_cancel_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken")
            .field("requested", &self.is_requested())
            .finish()
    }
}

/// Outcomes of one run (`vs_model_results`), reusable across runs.
pub struct Results {
    ptr: NonNull<sys::vs_model_results>,
}

// SAFETY: a results object is plain data used by one thread at a time.
unsafe impl Send for Results {}

impl Drop for Results {
    fn drop(&mut self) {
        unsafe { sys::vs_model_results_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Results {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Results")
            .field("kind", &self.kind())
            .field("len", &self.len())
            .finish()
    }
}

impl Results {
    /// An empty results object.
    pub fn new() -> Result<Results> {
        let mut p = ptr::null_mut();
        check(unsafe { sys::vs_model_results_create(&mut p) })?;
        Ok(Results {
            ptr: NonNull::new(p).expect("VS_OK with NULL results"),
        })
    }
    fn as_ptr(&self) -> *mut sys::vs_model_results {
        self.ptr.as_ptr()
    }
    fn cptr(&self) -> *const sys::vs_model_results {
        self.ptr.as_ptr()
    }
    /// Number of items of the last run.
    pub fn len(&self) -> usize {
        unsafe { sys::vs_model_results_item_count(self.cptr()) }
    }
    /// True before any run or after a run of no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The kind of the last run.
    pub fn kind(&self) -> Option<Kind> {
        Kind::from_code(unsafe { sys::vs_model_results_kind(self.cptr()) })
    }
    /// Final status of item i (None when out of range).
    pub fn status(&self, i: usize) -> Option<ItemStatus> {
        let s = unsafe { sys::vs_model_results_status(self.cptr(), i) };
        (s >= 0).then(|| ItemStatus::from_code(s))
    }
    /// Number of items whose final status is `status`.
    pub fn count(&self, status: ItemStatus) -> usize {
        unsafe { sys::vs_model_results_count(self.cptr(), status.code()) }
    }
    /// Callback calls item i took part in.
    pub fn attempts(&self, i: usize) -> u32 {
        unsafe { sys::vs_model_results_attempts(self.cptr(), i) }
    }
    /// Seconds of the call that made item i final.
    pub fn latency(&self, i: usize) -> f64 {
        unsafe { sys::vs_model_results_latency(self.cptr(), i) }
    }
    /// Generated text of item i (None unless OK in a generation run).
    pub fn text(&self, i: usize) -> Option<&str> {
        unsafe { borrowed_str(sys::vs_model_results_text(self.cptr(), i)) }
    }
    /// Log-likelihood output of item i: (logprob, is_greedy when asked for).
    pub fn loglik(&self, i: usize) -> Result<(f64, Option<bool>)> {
        let (mut lp, mut g) = (0.0, 0);
        check(unsafe { sys::vs_model_results_loglik(&mut lp, &mut g, self.cptr(), i) })?;
        Ok((lp, (g >= 0).then_some(g == 1)))
    }
    /// Vector length of an embed or classify run.
    pub fn dim(&self) -> usize {
        unsafe { sys::vs_model_results_dim(self.cptr()) }
    }
    /// The vector of item i (embedding or label probabilities).
    pub fn vector(&self, i: usize) -> Result<Vec<f64>> {
        let mut v = vec![0.0; self.dim()];
        let mut needed = 0;
        check(unsafe {
            sys::vs_model_results_vector(&mut needed, self.cptr(), i, v.as_mut_ptr(), v.len())
        })?;
        v.truncate(needed);
        Ok(v)
    }
    /// Error message of item i ("" when OK).
    pub fn error(&self, i: usize) -> &str {
        unsafe { borrowed_str(sys::vs_model_results_error(self.cptr(), i)) }.unwrap_or("")
    }
}
