//! The projective runner (`valuespace/projective.h`, runner section): runs a bank against a
//! [`Model`], journals records and scores dimensions. Re-exported from
//! [`projective`](crate::projective).
use std::any::Any;
use std::ffi::CString;
use std::fmt;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::accum::Accum;
use crate::error::{check, Error, Result};
use crate::model::{finish_all, ItemStatus, Model};
use crate::projective::Bank;
use crate::util::{borrowed_str, cpath, cstring, owned_string};
use valuespace_sys as sys;

/// How completions are judged.
#[derive(Debug)]
pub enum Judge {
    /// Forced choice by the log-likelihood of the keyed continuations (the model needs a
    /// loglikelihood callback; every item needs continuations).
    Loglik,
    /// Generate a completion, then judge it with a classify callback: of this judge model, or
    /// with `None` of the model itself. The callback answers P(high) per dimension: high above
    /// 0.5, low below, unrelated at exactly 0.5.
    Classify(Option<Model>),
    /// Generate a completion, then judge it three-way: the classify callback gets the labels
    /// KEY + [`LABEL_HIGH`], KEY + [`LABEL_UNRELATED`], KEY + [`LABEL_LOW`] per dimension and
    /// answers their probabilities; the strictly largest wins, a tie for the largest is
    /// unrelated (never high). Unrelated judgements do not enter the score.
    Classify3(Option<Model>),
    /// Forced choice through generation, for chat-only servers: the model is shown the stem
    /// with the item's keyed continuations as options A and B (seeded order) and must answer
    /// the letter; anything else fails the record with its text. See
    /// [`RunnerResult::position`] for the position bias.
    Choice,
}

/// Label suffix of p(high) for [`Judge::Classify3`].
pub const LABEL_HIGH: &str = ":high";
/// Label suffix of p(unrelated) for [`Judge::Classify3`].
pub const LABEL_UNRELATED: &str = ":unrelated";
/// Label suffix of p(low) for [`Judge::Classify3`].
pub const LABEL_LOW: &str = ":low";

/// Score of one reported dimension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// Judgements (successful records of items probing the dimension), unrelated ones included.
    pub n: u64,
    /// 100 × the share of the related judgements that are high (their exact mean); `None` when
    /// no judgement is related (no score: never 0, 50 or 100).
    pub score: Option<f64>,
    /// 95% percentile bootstrap interval × 100 (NaN when undefined).
    pub ci_low: f64,
    /// Upper bound.
    pub ci_high: f64,
    /// Judgements that are high or low (the score's denominator).
    pub n_related: u64,
    /// n_related / n (1 for the loglik judge; NaN when n = 0).
    pub coverage: f64,
}

/// The first failed record of a run or of merged journals ([`RunnerResult::first_failure`]);
/// the strings are borrowed from the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure<'a> {
    /// The item's id.
    pub item_id: &'a str,
    /// Its repeat (0-based).
    pub repeat: u64,
    /// How it failed: [`ItemStatus::Transient`] (on every attempt), [`ItemStatus::Permanent`]
    /// or [`ItemStatus::BadOutput`].
    pub status: ItemStatus,
    /// Its error message ("" when it had none).
    pub message: &'a str,
}

type ProgressFn = dyn FnMut(u64, u64) -> bool + Send;

#[derive(Default)]
struct Progress {
    f: Option<Box<ProgressFn>>,
    panic: Option<Box<dyn Any + Send>>,
}

/// A runner (`vs_runner`): owns its models while it lives (a run uses them exclusively).
pub struct Runner {
    ptr: NonNull<sys::vs_runner>,
    model: Model,
    judge: Option<Model>,
    progress: Box<Progress>,
}

// SAFETY: a runner is used by one thread at a time; its models and hook are Send.
unsafe impl Send for Runner {}

impl Drop for Runner {
    fn drop(&mut self) {
        // First the runner (drops its model references), then the models (fields).
        unsafe { sys::vs_runner_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runner")
            .field("repeats", &self.get(RunnerOption::Repeats).ok())
            .field("model", &self.model)
            .finish()
    }
}

fn judge_parts(model: &Model, judge: &Judge) -> (c_int, *mut sys::vs_model) {
    match judge {
        Judge::Loglik => (sys::VS_RUNNER_JUDGE_LOGLIK as c_int, ptr::null_mut()),
        Judge::Choice => (sys::VS_RUNNER_JUDGE_CHOICE as c_int, ptr::null_mut()),
        Judge::Classify(None) => (sys::VS_RUNNER_JUDGE_CLASSIFY as c_int, model.as_ptr()),
        Judge::Classify(Some(j)) => (sys::VS_RUNNER_JUDGE_CLASSIFY as c_int, j.as_ptr()),
        Judge::Classify3(None) => (sys::VS_RUNNER_JUDGE_CLASSIFY3 as c_int, model.as_ptr()),
        Judge::Classify3(Some(j)) => (sys::VS_RUNNER_JUDGE_CLASSIFY3 as c_int, j.as_ptr()),
    }
}

option_enum! {
    /// The options of the handle ([`crate::options`]: `set`/`get`), `VS_RUNNER_OPT_*`.
    RunnerOption(id = sys::vs_runner_option_id, name = sys::vs_runner_option_name, bounds = sys::vs_runner_option_bounds):
    /// repeats per item, 1..1000000; default 1.
    Repeats = sys::VS_RUNNER_OPT_REPEATS => Int,
    /// k of the shard k/N; default 0.
    ShardIndex = sys::VS_RUNNER_OPT_SHARD_INDEX => Int,
    /// N of the shard k/N, 1..65536; default 1.
    ShardCount = sys::VS_RUNNER_OPT_SHARD_COUNT => Int,
    /// bootstrap replicates, 0..100000; default 1000.
    Replicates = sys::VS_RUNNER_OPT_REPLICATES => Int,
    /// 1 = fsync the journal after every batch; default 0.
    Fsync = sys::VS_RUNNER_OPT_FSYNC => Int,
    /// max_tokens of generation requests (0 = backend default).
    MaxTokens = sys::VS_RUNNER_OPT_MAX_TOKENS => Int,
    /// temperature of generation requests, 0..100; default 1.
    Temperature = sys::VS_RUNNER_OPT_TEMPERATURE => Double,
    /// names the model in the journal header; default "".
    ModelId = sys::VS_RUNNER_OPT_MODEL_ID => Str,
    /// names the classify judge; default "".
    JudgeId = sys::VS_RUNNER_OPT_JUDGE_ID => Str,
    /// where the bank came from; default the bank's name.
    BankRef = sys::VS_RUNNER_OPT_BANK_REF => Str,
    /// the journal path ("" = no journal).
    Journal = sys::VS_RUNNER_OPT_JOURNAL => Str,
}

option_methods!(
    Runner,
    ptr,
    RunnerOption,
    int(sys::vs_runner_set_int, sys::vs_runner_get_int),
    double(sys::vs_runner_set_double, sys::vs_runner_get_double),
    str(sys::vs_runner_set_str, sys::vs_runner_get_str)
);

impl Runner {
    /// A runner of `bank` (a reference is taken) asking `model`, judged by `judge`. The runner
    /// owns the models (a run uses them exclusively; [`Runner::into_models`] gives them back);
    /// on failure they are dropped.
    pub fn new(bank: &Bank, model: Model, judge: Judge) -> Result<Runner> {
        let (code, jp) = judge_parts(&model, &judge);
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_runner_create(&mut out, bank.as_ptr(), model.as_ptr(), code, jp) })?;
        Ok(Runner::wrap(out, model, judge))
    }

    /// A runner configured from a journal's header, to resume it with [`Runner::resume`]; the
    /// bank and models must be those the journal was made with.
    pub fn from_journal(
        journal: impl AsRef<Path>,
        bank: &Bank,
        model: Model,
        judge: Judge,
    ) -> Result<Runner> {
        let p = cpath(journal.as_ref())?;
        let (_, jp) = judge_parts(&model, &judge);
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_runner_create_from_journal(
                &mut out,
                p.as_ptr(),
                bank.as_ptr(),
                model.as_ptr(),
                jp,
            )
        })?;
        Ok(Runner::wrap(out, model, judge))
    }

    /// [`Runner::from_journal`] from a header read once with [`JournalHeader::read`] (the
    /// journal is not read again; the runner's journal is the header's path).
    pub fn from_header(header: &JournalHeader, bank: &Bank, model: Model, judge: Judge) -> Result<Runner> {
        let (_, jp) = judge_parts(&model, &judge);
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_runner_create_from_header(
                &mut out,
                header.ptr.as_ptr(),
                bank.as_ptr(),
                model.as_ptr(),
                jp,
            )
        })?;
        Ok(Runner::wrap(out, model, judge))
    }

    /// A runner that scores the completions recorded in `source_journal` (a classify run of
    /// `bank`) with `judge_model` (three-way, or two-way when `three_way` is false), without
    /// calling the model that generated them (vs_runner_create_rejudge). It is configured from
    /// the source's header; set a journal (a new file), the judge id and, if wanted, a shard,
    /// then run or resume it. With the source's own judge the scores are the source's, bit for
    /// bit. Such a runner has no model of the caller's but the judge: [`Runner::model`] is the
    /// judge model.
    pub fn rejudge(
        source_journal: impl AsRef<Path>,
        bank: &Bank,
        judge_model: Model,
        three_way: bool,
    ) -> Result<Runner> {
        let p = cpath(source_journal.as_ref())?;
        let code = if three_way {
            sys::VS_RUNNER_JUDGE_CLASSIFY3
        } else {
            sys::VS_RUNNER_JUDGE_CLASSIFY
        };
        let mut out = ptr::null_mut();
        check(unsafe {
            sys::vs_runner_create_rejudge(
                &mut out,
                p.as_ptr(),
                bank.as_ptr(),
                code as c_int,
                judge_model.as_ptr(),
            )
        })?;
        Ok(Runner::wrap(out, judge_model, Judge::Loglik))
    }

    fn wrap(out: *mut sys::vs_runner, model: Model, judge: Judge) -> Runner {
        Runner {
            ptr: NonNull::new(out).expect("VS_OK with NULL runner"),
            model,
            judge: match judge {
                Judge::Classify(Some(j)) | Judge::Classify3(Some(j)) => Some(j),
                _ => None,
            },
            progress: Box::default(),
        }
    }

    /// The raw handle (owned by this value).
    pub fn as_ptr(&self) -> *mut sys::vs_runner {
        self.ptr.as_ptr()
    }
    /// The model asked.
    pub fn model(&self) -> &Model {
        &self.model
    }
    /// The model asked, e.g. to change its options between runs.
    pub fn model_mut(&mut self) -> &mut Model {
        &mut self.model
    }
    /// Ends the runner and gives its models back (model, separate judge model).
    pub fn into_models(self) -> (Model, Option<Model>) {
        let mut me = std::mem::ManuallyDrop::new(self);
        unsafe {
            sys::vs_runner_free(me.ptr.as_ptr());
            let model = ptr::read(&me.model);
            let judge = ptr::read(&me.judge);
            ptr::drop_in_place(&mut me.progress);
            (model, judge)
        }
    }

    /// Reads an integer `VS_RUNNER_OPT_*` option.
    #[deprecated(note = "raw option ids: use get with a RunnerOption")]
    pub fn get_int(&self, option: u32) -> Result<i64> {
        let mut v = 0;
        check(unsafe { sys::vs_runner_get_int(&mut v, self.as_ptr(), option as c_int) })?;
        Ok(v)
    }
    /// Inclusive bounds of an integer or double option.
    #[deprecated(note = "raw option ids: use RunnerOption::bounds")]
    pub fn option_bounds(option: u32) -> Result<(f64, f64)> {
        let (mut lo, mut hi) = (0.0, 0.0);
        check(unsafe { sys::vs_runner_option_bounds(&mut lo, &mut hi, option as c_int) })?;
        Ok((lo, hi))
    }
    /// Repeats per item (default 1).
    pub fn set_repeats(&mut self, n: i64) -> Result<&mut Self> {
        self.set(RunnerOption::Repeats, n)
    }
    /// Runs only shard `k` of `n` (items whose id hash mod n = k).
    pub fn set_shard(&mut self, k: i64, n: i64) -> Result<&mut Self> {
        self.set(RunnerOption::ShardCount, n)?;
        self.set(RunnerOption::ShardIndex, k)
    }
    /// Bootstrap replicates (default 1000; 0: no intervals).
    pub fn set_replicates(&mut self, b: i64) -> Result<&mut Self> {
        self.set(RunnerOption::Replicates, b)
    }
    /// fsync the journal after every batch written.
    pub fn set_fsync(&mut self, on: bool) -> Result<&mut Self> {
        self.set(RunnerOption::Fsync, on as i64)
    }
    /// max_tokens of generation requests (0 = backend default).
    pub fn set_max_tokens(&mut self, n: i64) -> Result<&mut Self> {
        self.set(RunnerOption::MaxTokens, n)
    }
    /// Temperature of generation requests (default 1).
    pub fn set_temperature(&mut self, t: f64) -> Result<&mut Self> {
        self.set(RunnerOption::Temperature, t)
    }
    /// Names the model in the journal header.
    pub fn set_model_id(&mut self, id: &str) -> Result<&mut Self> {
        self.set(RunnerOption::ModelId, id)
    }
    /// Names the classify judge in the journal header.
    pub fn set_judge_id(&mut self, id: &str) -> Result<&mut Self> {
        self.set(RunnerOption::JudgeId, id)
    }
    /// Where the bank came from (informational).
    pub fn set_bank_ref(&mut self, r: &str) -> Result<&mut Self> {
        self.set(RunnerOption::BankRef, r)
    }
    /// The journal path ("" = no journal).
    pub fn set_journal(&mut self, path: impl AsRef<Path>) -> Result<&mut Self> {
        let p = cpath(path.as_ref())?;
        check(unsafe {
            sys::vs_runner_set_str(
                self.as_ptr(),
                sys::VS_RUNNER_OPT_JOURNAL as c_int,
                p.as_ptr(),
            )
        })
        .map(|_| self)
    }
    /// The run seed.
    pub fn set_seed(&mut self, seed: u64) -> Result<&mut Self> {
        check(unsafe { sys::vs_runner_set_seed(self.as_ptr(), seed) }).map(|_| self)
    }
    /// A progress closure `(done, total) -> go on?`; returning false stops the run with
    /// `VS_ECALLBACK`; a panic in it is resumed after the run.
    pub fn set_progress<F>(&mut self, f: F) -> Result<&mut Self>
    where
        F: FnMut(u64, u64) -> bool + Send + 'static,
    {
        let ud = &mut *self.progress as *mut Progress as *mut c_void;
        check(unsafe { sys::vs_runner_set_progress(self.as_ptr(), Some(tramp_progress), ud) })?;
        self.progress.f = Some(Box::new(f));
        Ok(self)
    }
    /// Removes the progress closure.
    pub fn clear_progress(&mut self) -> Result<&mut Self> {
        check(unsafe { sys::vs_runner_set_progress(self.as_ptr(), None, ptr::null_mut()) })?;
        self.progress.f = None;
        Ok(self)
    }

    fn finish(&mut self, rc: c_int, out: *mut sys::vs_runner_result) -> Result<RunnerResult> {
        let err = (rc != sys::VS_OK).then(|| Error::last(rc));
        let result = NonNull::new(out).map(|ptr| RunnerResult { ptr });
        let mut states = vec![self.model.state_ptr()];
        states.extend(self.judge.as_ref().map(|j| j.state_ptr()));
        if let Some(p) = self.progress.panic.take() {
            drop(result);
            // Clear what the models' callbacks left (nothing, normally), then re-raise.
            let _ = panic::catch_unwind(AssertUnwindSafe(|| finish_all(&states, None)));
            panic::resume_unwind(p);
        }
        finish_all(&states, err)?;
        Ok(result.expect("VS_OK with NULL result"))
    }

    /// Runs every (item, repeat) of the shard (a journal, if set, must not exist or be empty).
    pub fn run(&mut self) -> Result<RunnerResult> {
        let mut out = ptr::null_mut();
        let rc = unsafe { sys::vs_runner_run(&mut out, self.as_ptr()) };
        self.finish(rc, out)
    }

    /// Continues an interrupted run from its journal.
    pub fn resume(&mut self) -> Result<RunnerResult> {
        let mut out = ptr::null_mut();
        let rc = unsafe { sys::vs_runner_resume(&mut out, self.as_ptr()) };
        self.finish(rc, out)
    }
}

/// A journal's header, read once without its records (`vs_runner_journal_header_read`): its
/// string fields, then [`Runner::from_header`].
pub struct JournalHeader {
    ptr: NonNull<sys::vs_runner_journal_header>,
}

impl JournalHeader {
    /// Reads the header line of a journal (not its records).
    pub fn read(journal: impl AsRef<Path>) -> Result<JournalHeader> {
        let p = cpath(journal.as_ref())?;
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_runner_journal_header_read(&mut out, p.as_ptr()) })?;
        Ok(JournalHeader {
            ptr: NonNull::new(out).expect("VS_OK with NULL header"),
        })
    }

    /// A string field ("bank", "bank_ref", "bank_hash", "model", "judge", "seed", "library", "shard"),
    /// or `None` for an unknown one.
    pub fn field(&self, field: &str) -> Option<&str> {
        let f = cstring(field, "field").ok()?;
        unsafe { borrowed_str(sys::vs_runner_journal_header_field(self.ptr.as_ptr(), f.as_ptr())) }
    }
}

impl Drop for JournalHeader {
    fn drop(&mut self) {
        unsafe { sys::vs_runner_journal_header_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for JournalHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JournalHeader")
            .field("bank", &self.field("bank"))
            .field("model", &self.field("model"))
            .field("judge", &self.field("judge"))
            .finish()
    }
}

/// Reads a string field of a journal's header ("bank", "bank_ref", "bank_hash", "model",
/// "judge", "seed", "library", "shard" as "k/N").
pub fn journal_field(journal: impl AsRef<Path>, field: &str) -> Result<String> {
    let p = cpath(journal.as_ref())?;
    let f = cstring(field, "field")?;
    let mut out: *mut c_char = ptr::null_mut();
    check(unsafe { sys::vs_runner_journal_field(&mut out, p.as_ptr(), f.as_ptr()) })?;
    Ok(unsafe { owned_string(out) })
}

/// Merges journals of shards of one configuration into the unsharded run's result.
pub fn merge_journals<P: AsRef<Path>>(paths: &[P]) -> Result<RunnerResult> {
    let c: Vec<CString> = paths
        .iter()
        .map(|p| cpath(p.as_ref()))
        .collect::<Result<_>>()?;
    let ptrs: Vec<*const c_char> = c.iter().map(|c| c.as_ptr()).collect();
    let mut out = ptr::null_mut();
    check(unsafe { sys::vs_runner_merge_journals(&mut out, ptrs.as_ptr(), ptrs.len()) })?;
    Ok(RunnerResult {
        ptr: NonNull::new(out).expect("VS_OK with NULL result"),
    })
}

unsafe extern "C" fn tramp_progress(ud: *mut c_void, done: u64, total: u64) -> c_int {
    let p = &mut *(ud as *mut Progress);
    if p.panic.is_some() {
        return 1;
    }
    let f = match p.f.as_mut() {
        Some(f) => f,
        None => return 0,
    };
    match panic::catch_unwind(AssertUnwindSafe(|| f(done, total))) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(payload) => {
            p.panic = Some(payload);
            1
        }
    }
}

/// The result of a run or of merged journals (`vs_runner_result`), immutable.
pub struct RunnerResult {
    ptr: NonNull<sys::vs_runner_result>,
}

// SAFETY: results are immutable and may be read from any thread.
unsafe impl Send for RunnerResult {}
unsafe impl Sync for RunnerResult {}

impl Drop for RunnerResult {
    fn drop(&mut self) {
        unsafe { sys::vs_runner_result_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for RunnerResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunnerResult")
            .field("done", &self.done())
            .field("failed", &self.failed())
            .field("first_failure", &self.first_failure())
            .field("scores", &self.scores())
            .finish()
    }
}

impl RunnerResult {
    fn p(&self) -> *const sys::vs_runner_result {
        self.ptr.as_ptr()
    }
    /// Records finished with status ok.
    pub fn done(&self) -> u64 {
        unsafe { sys::vs_runner_result_done(self.p()) }
    }
    /// Records finished with a failure.
    pub fn failed(&self) -> u64 {
        unsafe { sys::vs_runner_result_failed(self.p()) }
    }
    /// The first record that failed — in the order records finished (a run), or in journal
    /// order ([`merge_journals`]; a resumed run runs earlier failures again, so only its own
    /// count) — or None when none failed: e.g. to say why [`failed`](Self::failed) is not 0 and
    /// the scores are NaN.
    pub fn first_failure(&self) -> Option<Failure<'_>> {
        let mut item: *const c_char = ptr::null();
        let mut message: *const c_char = ptr::null();
        let (mut repeat, mut status) = (0u64, 0 as c_int);
        // SAFETY: the strings are owned by the result and live as long as `&self`.
        let rc = unsafe {
            sys::vs_runner_result_first_failure(
                self.p(),
                &mut item,
                &mut repeat,
                &mut status,
                &mut message,
            )
        };
        if rc != sys::VS_OK {
            return None; // VS_ENOTFOUND: no record failed
        }
        Some(Failure {
            item_id: unsafe { borrowed_str(item) }.unwrap_or(""),
            repeat,
            status: ItemStatus::from_code(status),
            message: unsafe { borrowed_str(message) }.unwrap_or(""),
        })
    }
    /// Number of reported dimensions.
    pub fn dimension_count(&self) -> usize {
        unsafe { sys::vs_runner_result_dimension_count(self.p()) }
    }
    /// Key of reported dimension i.
    pub fn dimension_key(&self, i: usize) -> Option<&str> {
        unsafe { borrowed_str(sys::vs_runner_result_dimension_key(self.p(), i)) }
    }
    /// Level name of reported dimension i.
    pub fn dimension_level(&self, i: usize) -> Option<&str> {
        unsafe { borrowed_str(sys::vs_runner_result_dimension_level(self.p(), i)) }
    }
    /// Position bias of a choice run: (answers that took option A, answers counted); (0, 0)
    /// for other judges.
    pub fn position(&self) -> (u64, u64) {
        let (mut first, mut answers) = (0u64, 0u64);
        // cannot fail for a live result
        let _ = unsafe { sys::vs_runner_result_position(self.p(), &mut first, &mut answers) };
        (first, answers)
    }
    /// Score of reported dimension i.
    pub fn score(&self, i: usize) -> Result<Score> {
        let mut s = sys::vs_runner_score_init();
        check(unsafe { sys::vs_runner_result_score(&mut s, self.p(), i) })?;
        Ok(Score {
            n: s.n,
            score: if s.n_related == 0 { None } else { Some(s.score) },
            n_related: s.n_related,
            coverage: s.coverage,
            ci_low: s.ci_low,
            ci_high: s.ci_high,
        })
    }
    /// Every score, in reported-dimension order.
    pub fn scores(&self) -> Vec<Score> {
        (0..self.dimension_count())
            .filter_map(|i| self.score(i).ok())
            .collect()
    }
    /// A copy of the accumulator behind the scores (serialise it to merge shards).
    pub fn accum(&self) -> Result<Accum> {
        let a = unsafe { sys::vs_runner_result_accum(self.p()) };
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_accum_clone(&mut out, a) })?;
        // SAFETY: a fresh clone we own.
        Ok(unsafe { Accum::from_raw(out) })
    }
}
