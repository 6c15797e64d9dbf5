//! Models from Rust closures: batching, retries, failures, panics and the four request kinds.
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use valuespace::model::{
    item_seed, Backend, BatchError, CancelToken, GenerateCall, GenerateRequest, ItemError,
    ItemStatus, Kind, Loglik, LoglikCall, LoglikRequest, Model, ModelOption, TextRequest,
};
use valuespace::ErrorKind;

fn requests(n: usize) -> Vec<GenerateRequest> {
    (0..n)
        .map(|i| GenerateRequest::prompt(format!("q{}", i), format!("prompt {}", i)))
        .collect()
}

/// A deterministic model: the text depends on the request and its seed only; items whose id
/// ends in 3 fail transiently on their first attempt, "q5" fails permanently.
fn deterministic_model(batch_sizes: Arc<Mutex<Vec<usize>>>) -> Model {
    let mut attempts: HashMap<String, u32> = HashMap::new();
    let mut model = Model::builder()
        .generate(move |calls: &[GenerateCall<'_>]| {
            batch_sizes.lock().unwrap().push(calls.len());
            Ok(calls
                .iter()
                .map(|c| {
                    let a = attempts.entry(c.id.to_string()).or_insert(0);
                    *a += 1;
                    if c.id == "q5" {
                        Err(ItemError::Permanent("rejected".into()))
                    } else if c.id.ends_with('3') && *a == 1 {
                        Err(ItemError::Transient("HTTP 503".into()))
                    } else {
                        Ok(format!("{} {} {:016x}", c.id, c.prompt.unwrap(), c.seed))
                    }
                })
                .collect())
        })
        .build()
        .unwrap();
    model.set_seed(42).unwrap();
    // Record the backoff delays instead of sleeping.
    model.set_sleep(|_seconds| {}).unwrap();
    model
}

type Outcome = Vec<(Option<ItemStatus>, Option<String>, u32, String)>;

fn run_with_batch(max_batch: i64, n: usize) -> (Outcome, Vec<usize>) {
    let sizes = Arc::new(Mutex::new(Vec::new()));
    let mut model = deterministic_model(Arc::clone(&sizes));
    model.set_max_batch(max_batch).unwrap();
    assert_eq!(model.max_batch(), max_batch);
    let r = model.generate(&requests(n)).unwrap();
    assert_eq!(r.len(), n);
    assert_eq!(r.kind(), Some(Kind::Generate));
    let out = (0..n)
        .map(|i| {
            (
                r.status(i),
                r.text(i).map(str::to_string),
                r.attempts(i),
                r.error(i).to_string(),
            )
        })
        .collect();
    let sizes = sizes.lock().unwrap().clone();
    (out, sizes)
}

#[test]
fn results_do_not_depend_on_the_batch_size() {
    let n = 40;
    let (one, sizes1) = run_with_batch(1, n);
    let (seven, sizes7) = run_with_batch(7, n);
    let (big, sizes64) = run_with_batch(64, n);
    assert_eq!(one, seven);
    assert_eq!(one, big);
    assert!(sizes1.iter().all(|&s| s == 1));
    assert!(sizes7.iter().all(|&s| s <= 7) && sizes7.contains(&7));
    assert!(sizes64.iter().all(|&s| s <= 40));

    // The seed the callback saw is vs_model_item_seed(run seed, id, repeat).
    let text = one[0].1.as_deref().unwrap();
    assert_eq!(text, format!("q0 prompt 0 {:016x}", item_seed(42, "q0", 0)));
    // q3, q13, ...: one transient failure, then success on the second attempt.
    assert_eq!(one[3].0, Some(ItemStatus::Ok));
    assert_eq!(one[3].2, 2);
    assert_eq!(one[4].2, 1);
    // q5: permanent failure with its message, never retried.
    assert_eq!(one[5].0, Some(ItemStatus::Permanent));
    assert_eq!(one[5].1, None);
    assert_eq!(one[5].2, 1);
    assert!(one[5].3.contains("rejected"), "{:?}", one[5].3);
}

#[test]
fn item_seed_matches_the_documented_examples() {
    // The two examples printed in model.h's documentation of vs_model_item_seed().
    assert_eq!(item_seed(0, "", 0), 0x140a_a43c_f279_fba2);
    assert_eq!(item_seed(42, "q1", 3), 0x4e76_7f54_070c_711d);
}

#[test]
fn a_transient_failure_is_retried_with_the_documented_backoff() {
    let calls = Arc::new(Mutex::new(0u32));
    let delays = Arc::new(Mutex::new(Vec::new()));
    let c2 = Arc::clone(&calls);
    let mut model = Model::builder()
        .generate(move |reqs: &[GenerateCall<'_>]| {
            let mut c = c2.lock().unwrap();
            *c += 1;
            if *c == 1 {
                Err(BatchError::Transient) // the whole first batch, e.g. HTTP 429
            } else {
                Ok(reqs.iter().map(|r| Ok(format!("ok {}", r.id))).collect())
            }
        })
        .build()
        .unwrap();
    let d2 = Arc::clone(&delays);
    model.set_backoff(0.5, 10.0).unwrap();
    assert_eq!(model.backoff(), (0.5, 10.0));
    model
        .set_sleep(move |s| d2.lock().unwrap().push(s))
        .unwrap();
    let r = model.generate(&requests(3)).unwrap();
    // One failed batch, then the retries: items whose jittered due times differ run alone.
    let n_calls = *calls.lock().unwrap();
    assert!((2..=4).contains(&n_calls), "{} calls", n_calls);
    for i in 0..3 {
        assert_eq!(r.status(i), Some(ItemStatus::Ok));
        assert_eq!(r.attempts(i), 2);
        assert_eq!(r.text(i), Some(format!("ok q{}", i).as_str()));
    }
    // After attempt 1 each item waits base * (0.5 + 0.5 u), u in [0, 1): within [0.25, 0.5);
    // the library sleeps only until the next item is due, so the sleeps add up to the longest.
    let d = delays.lock().unwrap();
    assert!(!d.is_empty());
    let total: f64 = d.iter().sum();
    assert!((0.25..0.5).contains(&total), "{:?}", d);

    // An item that always fails transiently ends Transient after max_attempts calls.
    let mut always = Model::builder()
        .generate(|reqs: &[GenerateCall<'_>]| {
            Ok(reqs
                .iter()
                .map(|_| Err(ItemError::Transient("HTTP 503".into())))
                .collect())
        })
        .build()
        .unwrap();
    always
        .set_max_attempts(3)
        .unwrap()
        .set_sleep(|_| {})
        .unwrap();
    let r = always.generate(&requests(2)).unwrap();
    assert_eq!(r.count(ItemStatus::Transient), 2);
    assert_eq!(r.attempts(0), 3);
    assert!(r.error(1).contains("HTTP 503"));
}

#[test]
#[should_panic(expected = "model exploded on q2")]
fn a_panic_in_a_callback_reaches_the_caller() {
    let mut model = Model::builder()
        .generate(|reqs: &[GenerateCall<'_>]| {
            for r in reqs {
                if r.id == "q2" {
                    panic!("model exploded on {}", r.id);
                }
            }
            Ok(reqs.iter().map(|_| Ok("x".to_string())).collect())
        })
        .build()
        .unwrap();
    let _ = model.generate(&requests(4));
}

#[test]
fn a_caught_panic_keeps_the_payload_and_the_model_usable() {
    let explode = Arc::new(Mutex::new(true));
    let e2 = Arc::clone(&explode);
    let mut model = Model::builder()
        .embed(move |reqs, dim| {
            if *e2.lock().unwrap() {
                std::panic::panic_any(17u32);
            }
            Ok(reqs
                .iter()
                .map(|r| Ok(vec![r.text.len() as f64; dim]))
                .collect())
        })
        .build()
        .unwrap();
    let reqs = vec![TextRequest::new("a", "abc"), TextRequest::new("b", "hello")];
    let caught = panic::catch_unwind(AssertUnwindSafe(|| model.embed(&reqs, 2)));
    let payload = caught.expect_err("the panic must propagate");
    assert_eq!(payload.downcast_ref::<u32>(), Some(&17));

    *explode.lock().unwrap() = false;
    let r = model.embed(&reqs, 2).unwrap();
    assert_eq!(r.dim(), 2);
    assert_eq!(r.vector(0).unwrap(), vec![3.0, 3.0]);
    assert_eq!(r.vector(1).unwrap(), vec![5.0, 5.0]);
}

#[test]
fn a_fatal_batch_error_is_an_ecallback_with_the_closure_message() {
    let mut model = Model::builder()
        .generate(|_reqs: &[GenerateCall<'_>]| Err(BatchError::Fatal("quota exhausted".into())))
        .build()
        .unwrap();
    let mut results = valuespace::model::Results::new().unwrap();
    let err = model.generate_into(&mut results, &requests(3)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Callback);
    assert!(err.message().contains("quota exhausted"), "{}", err);
    assert_eq!(results.len(), 3);
    assert_eq!(results.count(ItemStatus::NotRun), 3);

    // A wrong number of outputs is a fatal error too, naming the counts.
    let mut short = Model::builder()
        .generate(|_reqs: &[GenerateCall<'_>]| Ok(vec![Ok("only one".to_string())]))
        .build()
        .unwrap();
    let err = short.generate(&requests(2)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Callback);
    assert!(
        err.message().contains("1 results for a batch of 2"),
        "{}",
        err
    );
}

#[test]
fn bad_output_and_invalid_arguments() {
    let mut model = Model::builder()
        .classify(|reqs, labels| {
            Ok(reqs
                .iter()
                .map(|r| {
                    if r.id == "bad" {
                        Ok(vec![2.0; labels.len()]) // not a probability
                    } else {
                        Ok((0..labels.len()).map(|k| k as f64 / 10.0).collect())
                    }
                })
                .collect())
        })
        .build()
        .unwrap();
    assert!(model.supports(Kind::Classify));
    assert!(!model.supports(Kind::Generate));
    let reqs = vec![TextRequest::new("good", "t"), TextRequest::new("bad", "t")];
    let r = model.classify(&reqs, &["a", "b", "c"]).unwrap();
    assert_eq!(r.vector(0).unwrap(), vec![0.0, 0.1, 0.2]);
    assert_eq!(r.status(1), Some(ItemStatus::BadOutput));
    assert_eq!(r.vector(1).unwrap_err().kind(), ErrorKind::State);

    // No generate callback: VS_ESTATE before any callback.
    let err = model.generate(&requests(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::State);
    // A NUL byte cannot cross into C.
    let err = model
        .classify(&[TextRequest::new("x", "a\0b")], &["a"])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    // No callback at all.
    assert_eq!(
        Model::builder().build().unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

struct Scripted {
    seen: Vec<String>,
}

impl Backend for Scripted {
    fn kinds(&self) -> Vec<Kind> {
        vec![Kind::Loglikelihood]
    }
    fn loglikelihood(
        &mut self,
        requests: &[LoglikCall<'_>],
    ) -> valuespace::model::BatchResult<Loglik> {
        Ok(requests
            .iter()
            .map(|r| {
                self.seen.push(r.continuation.to_string());
                Ok(Loglik {
                    logprob: -(r.continuation.len() as f64),
                    is_greedy: r.continuation.len() < 3,
                })
            })
            .collect())
    }
}

#[test]
fn a_backend_trait_object_and_cancellation() {
    let backend: Box<dyn Backend> = Box::new(Scripted { seen: Vec::new() });
    let mut model = Model::from_backend(backend).unwrap();
    assert!(model.supports(Kind::Loglikelihood));
    let reqs: Vec<LoglikRequest> = ["ab", "abcd"]
        .iter()
        .map(|c| LoglikRequest {
            id: None,
            context: "ctx".into(),
            continuation: c.to_string(),
        })
        .collect();
    let r = model.loglikelihood(&reqs, true).unwrap();
    assert_eq!(r.loglik(0).unwrap(), (-2.0, Some(true)));
    assert_eq!(r.loglik(1).unwrap(), (-4.0, Some(false)));
    let r = model.loglikelihood(&reqs, false).unwrap();
    assert_eq!(r.loglik(1).unwrap(), (-4.0, None));

    let token = CancelToken::new().unwrap();
    model.set_cancel(Some(&token)).unwrap();
    token.request();
    assert!(token.is_requested());
    let err = model.loglikelihood(&reqs, false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Canceled);
    token.reset();
    assert!(model.loglikelihood(&reqs, false).is_ok());
}

#[test]
fn options_are_checked() {
    let mut model = Model::builder()
        .generate(|r: &[GenerateCall<'_>]| Ok(r.iter().map(|_| Ok(String::new())).collect()))
        .build()
        .unwrap();
    assert_eq!(
        model.set_max_batch(0).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    let (lo, hi) = ModelOption::MaxAttempts.bounds().unwrap();
    assert!(lo >= 1.0 && hi >= lo);
    model.set_failure_threshold(Some(0), 1.0).unwrap();
    model.set_seed(7).unwrap();
    assert_eq!(model.seed(), 7);
}

#[test]
fn the_item_hook_sees_every_final_item_and_can_stop_the_run() {
    let mut model = Model::builder()
        .generate(|reqs: &[GenerateCall<'_>]| {
            Ok(reqs.iter().map(|r| Ok(r.id.to_string())).collect())
        })
        .build()
        .unwrap();
    model.set_max_batch(2).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = Arc::clone(&seen);
    model
        .set_item_hook(move |results, i| {
            s2.lock()
                .unwrap()
                .push((i, results.text(i).unwrap().to_string()));
            i != 2
        })
        .unwrap();
    let mut results = valuespace::model::Results::new().unwrap();
    let err = model.generate_into(&mut results, &requests(5)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Callback);
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    assert!(seen.contains(&(2, "q2".to_string())), "{:?}", seen);
    assert_eq!(results.status(0), Some(ItemStatus::Ok));
    assert_eq!(results.status(4), Some(ItemStatus::NotRun));

    model.clear_item_hook().unwrap();
    assert_eq!(
        model.generate(&requests(5)).unwrap().count(ItemStatus::Ok),
        5
    );
}

/// A model whose server is down: every item fails alike.
fn down() -> Model {
    Model::builder()
        .generate(|reqs: &[GenerateCall<'_>]| {
            Ok(reqs
                .iter()
                .map(|_| Err(ItemError::Permanent("server down".into())))
                .collect())
        })
        .build()
        .unwrap()
}

#[test]
fn the_failure_threshold_is_a_failed_error_with_the_finished_items() {
    let mut model = down();
    assert_eq!(model.failure_threshold(), (None, 1.0)); // the defaults: no limit
    model.set_failure_threshold(Some(0), 1.0).unwrap();
    assert_eq!(model.failure_threshold(), (Some(0), 1.0));
    let mut results = valuespace::model::Results::new().unwrap();
    let err = model.generate_into(&mut results, &requests(2)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Failed);
    assert_eq!(err.code(), valuespace::sys::VS_EFAILED);
    assert_eq!(err.name(), "VS_EFAILED");
    assert!(
        err.message().contains("VS_MODEL_OPT_MAX_FAILED = 0")
            && err.message().contains("server down"),
        "{}",
        err
    );
    assert_eq!(results.count(ItemStatus::Permanent), 2);

    let mut model = down();
    model.set_failure_threshold(None, 0.5).unwrap();
    model.set_stop_after_same_failures(0).unwrap();
    let err = model.generate(&requests(2)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Failed);
    assert!(err.message().contains("MAX_FAILED_FRACTION"), "{}", err);
}

#[test]
fn a_run_whose_first_20_items_fail_alike_stops_unless_told_otherwise() {
    let mut model = down();
    assert_eq!(model.stop_after_same_failures(), 20); // the default
    let (lo, hi) = ModelOption::StopAfterSameFailures.bounds().unwrap();
    assert!(lo == 0.0 && hi >= 20.0);
    model.set_max_batch(4).unwrap();
    let mut results = valuespace::model::Results::new().unwrap();
    let err = model
        .generate_into(&mut results, &requests(50))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Failed);
    assert!(
        err.message()
            .contains("the first 20 items all failed alike")
            && err.message().contains("server down")
            && err.message().contains("STOP_AFTER_SAME_FAILURES = 20"),
        "{}",
        err
    );
    assert_eq!(results.count(ItemStatus::Permanent), 20);
    assert_eq!(results.count(ItemStatus::NotRun), 30);
    assert_eq!(results.status(19), Some(ItemStatus::Permanent));
    assert_eq!(results.status(20), Some(ItemStatus::NotRun));

    model.set_stop_after_same_failures(3).unwrap();
    assert_eq!(model.stop_after_same_failures(), 3);
    let err = model
        .generate_into(&mut results, &requests(50))
        .unwrap_err();
    assert!(err.message().contains("first 3 items"), "{}", err);

    // 0 = never: every item runs and fails, the run returns Ok.
    model.set_stop_after_same_failures(0).unwrap();
    let r = model.generate(&requests(50)).unwrap();
    assert_eq!(r.count(ItemStatus::Permanent), 50);
    assert!(r.error(0).ends_with("server down"), "{}", r.error(0));
    assert_eq!(
        model.set_stop_after_same_failures(-1).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );

    // One success among the first 20 switches the rule off; fewer than 20 items never stop.
    let mut mostly = Model::builder()
        .generate(|reqs: &[GenerateCall<'_>]| {
            Ok(reqs
                .iter()
                .map(|r| match r.id {
                    "q7" => Ok("fine".to_string()),
                    _ => Err(ItemError::Permanent("down".into())),
                })
                .collect())
        })
        .build()
        .unwrap();
    assert_eq!(
        mostly
            .generate(&requests(30))
            .unwrap()
            .count(ItemStatus::Ok),
        1
    );
    assert_eq!(
        down()
            .generate(&requests(19))
            .unwrap()
            .count(ItemStatus::Permanent),
        19
    );
}
