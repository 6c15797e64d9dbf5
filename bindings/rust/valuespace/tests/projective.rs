//! Item banks and the runner, driven by Rust closure models.
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use valuespace::model::{BatchError, ItemError, ItemStatus, Loglik, LoglikCall, Model, TextCall};
use valuespace::projective::{
    journal_field, merge_journals, Bank, BankBuilder, Failure, Judge, Runner, LABEL_HIGH,
    LABEL_LOW, LABEL_UNRELATED,
};
use valuespace::{ErrorKind, Space};

#[test]
fn builtin_banks_have_their_items() {
    assert_eq!(Bank::builtin_names(), vec!["valuelex", "schwartz10"]);
    // Item counts of the tables in lib/projective/bank_builtin_*.c, counted with
    //   grep -cE '^\s+\{"vlx-' lib/projective/bank_builtin_valuelex.c        -> 132
    //   grep -oE '^\s+\{"vlx-[a-z_]*-' ... | sort | uniq -c                  -> 22 per sub-dimension
    //   grep -cE '^\s+\{"s10-' lib/projective/bank_builtin_schwartz10.c      -> 115
    let vlx = Bank::builtin("valuelex").unwrap();
    assert_eq!(vlx.name(), "valuelex");
    assert_eq!(vlx.len(), 132);
    assert_eq!(vlx.continuation_count(), 132);
    let mut per_prefix: HashMap<String, usize> = HashMap::new();
    for item in vlx.items() {
        let prefix = item.id().rsplit_once('-').unwrap().0.to_string();
        *per_prefix.entry(prefix).or_default() += 1;
        assert!(item.high().is_some() && item.low().is_some());
        assert!(!item.dimensions().is_empty());
        assert!(item.stem().starts_with(item.context()));
    }
    assert_eq!(per_prefix.len(), 6);
    assert!(per_prefix.values().all(|&n| n == 22), "{:?}", per_prefix);
    let space = vlx.space();
    assert_eq!(space.name(), "valuelex");
    // At least 20 stems per sub-dimension (the header's promise; multi-dimension items count).
    for name in [
        "ethical",
        "idealistic",
        "professional",
        "social",
        "self_competent",
        "user_oriented",
    ] {
        let d = space.find(name).unwrap();
        assert!(vlx.dimension_item_count(d) >= 22, "{}", name);
    }
    // vlx-self_competent-008 is reverse-keyed in the table.
    let i = vlx.find_item("vlx-self_competent-008").unwrap();
    assert!(vlx.item(i).unwrap().reverse());
    assert_eq!(
        vlx.item(i).unwrap().context(),
        "When I am not sure of a fact, the easiest thing is to"
    );

    let s10 = Bank::builtin("Schwartz10").unwrap();
    assert_eq!(s10.len(), 115);
    assert_eq!(
        Bank::builtin("nope").unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn a_built_bank_round_trips_through_json() {
    let space = Space::builtin("schwartz10").unwrap();
    let mut b = BankBuilder::new("mine", &space).unwrap();
    b.set_description("two stems").unwrap();
    b.add_item(
        "a-1",
        "When I can help a stranger, I...",
        &["benevolence"],
        false,
        Some(("help at once.", "walk on.")),
    )
    .unwrap();
    let power = space.find("power").unwrap();
    b.add_item_indexed("a-2", "The rule I bend most is...", &[power], true, None)
        .unwrap();
    let err = b
        .add_item("a-1", "Again...", &["power"], false, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Duplicate);
    let err = b
        .add_item("a-3", "x...", &["no such value"], false, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let bank = b.freeze().unwrap();
    assert_eq!(bank.len(), 2);
    assert_eq!(bank.description(), "two stems");
    assert_eq!(bank.continuation_count(), 1);
    let json = bank.save_json().unwrap();
    let again = Bank::load_json(&json, Some("mine.json"), None).unwrap();
    assert_eq!(again.save_json().unwrap(), json);
    assert_eq!(again.item(1).unwrap().dimensions(), vec![power]);
    let err = Bank::load_json("{\"schema\": 1}", Some("bad.json"), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Parse);
    assert!(err.message().starts_with("bad.json:1:"), "{}", err);
}

/// A loglikelihood model that prefers the shorter continuation: log P = -length in bytes.
/// Items whose id ends in "7" fail transiently on their first attempt.
fn shorter_wins() -> Model {
    let mut tries: HashMap<String, u32> = HashMap::new();
    let mut m = Model::builder()
        .loglikelihood(move |calls: &[LoglikCall<'_>]| {
            Ok(calls
                .iter()
                .map(|c| {
                    let t = tries
                        .entry(format!("{}|{}", c.id, c.continuation))
                        .or_insert(0);
                    *t += 1;
                    if c.id.ends_with('7') && *t == 1 {
                        return Err(ItemError::Transient("busy".into()));
                    }
                    Ok(Loglik {
                        logprob: -(c.continuation.len() as f64),
                        is_greedy: false,
                    })
                })
                .collect())
        })
        .build()
        .unwrap();
    m.set_sleep(|_| {}).unwrap();
    m
}

/// Expected scores computed here from the bank alone: judgement 1 when " " + high is shorter
/// than " " + low, 0 when longer, 0.5 on a tie; reverse-keyed items count 1 - j; a dimension's
/// score is 100 x the mean over the items probing it.
fn expected_scores(bank: &Bank) -> HashMap<usize, (f64, u64)> {
    let mut acc: HashMap<usize, (f64, u64)> = HashMap::new();
    for item in bank.items() {
        let (h, l) = (item.high().unwrap().len(), item.low().unwrap().len());
        let j = if h < l {
            1.0
        } else if h > l {
            0.0
        } else {
            0.5
        };
        let v = if item.reverse() { 1.0 - j } else { j };
        for d in item.dimensions() {
            let e = acc.entry(d).or_insert((0.0, 0));
            e.0 += v;
            e.1 += 1;
        }
    }
    acc.into_iter()
        .map(|(d, (s, n))| (d, (100.0 * s / n as f64, n)))
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("vs-rust-{}-{}", std::process::id(), name));
    let _ = std::fs::remove_file(&p);
    p
}

#[test]
fn a_loglik_run_with_a_closure_model_scores_as_computed_by_hand() {
    let bank = Bank::builtin("valuelex").unwrap();
    let expected = expected_scores(&bank);
    let mut scores_by_batch = Vec::new();
    let mut accum_bytes = Vec::new();
    for batch in [1, 7, 64] {
        let mut model = shorter_wins();
        model.set_max_batch(batch).unwrap();
        let mut runner = Runner::new(&bank, model, Judge::Loglik).unwrap();
        runner.set_seed(11).unwrap().set_replicates(200).unwrap();
        let r = runner.run().unwrap();
        assert_eq!(r.done(), 132);
        assert_eq!(r.failed(), 0);
        assert_eq!(r.dimension_count(), expected.len());
        for i in 0..r.dimension_count() {
            let key = r.dimension_key(i).unwrap();
            let d = bank.space().find(key).unwrap();
            let s = r.score(i).unwrap();
            let (want, n) = expected[&d];
            assert_eq!(s.n, n, "{}", key);
            assert_eq!((s.n_related, s.coverage), (n, 1.0), "{}", key);
            let score = s.score.unwrap();
            assert!(
                (score - want).abs() < 1e-9,
                "{}: {} vs {}",
                key,
                score,
                want
            );
            assert!(s.ci_low <= score && score <= s.ci_high, "{:?}", s);
        }
        scores_by_batch.push(
            r.scores()
                .iter()
                .map(|s| {
                    (
                        s.n,
                        s.score.map(f64::to_bits),
                        s.ci_low.to_bits(),
                        s.ci_high.to_bits(),
                    )
                })
                .collect::<Vec<_>>(),
        );
        accum_bytes.push(r.accum().unwrap().serialize().unwrap());
        let (model, judge) = runner.into_models();
        assert!(judge.is_none());
        assert_eq!(model.max_batch(), batch);
    }
    assert_eq!(scores_by_batch[0], scores_by_batch[1]);
    assert_eq!(scores_by_batch[0], scores_by_batch[2]);
    assert_eq!(accum_bytes[0], accum_bytes[2]);
}

#[test]
fn shards_merge_and_an_interrupted_run_resumes() {
    let bank = Bank::builtin("schwartz10").unwrap();
    let mut whole = Runner::new(&bank, shorter_wins(), Judge::Loglik).unwrap();
    whole.set_seed(3).unwrap().set_replicates(100).unwrap();
    let full = whole.run().unwrap();

    let paths: Vec<PathBuf> = (0..3).map(|k| tmp(&format!("shard{}.jsonl", k))).collect();
    let mut merged_accum: Option<valuespace::accum::Accum> = None;
    for (k, p) in paths.iter().enumerate() {
        let mut r = Runner::new(&bank, shorter_wins(), Judge::Loglik).unwrap();
        r.set_seed(3).unwrap().set_replicates(100).unwrap();
        r.set_shard(k as i64, 3).unwrap().set_journal(p).unwrap();
        r.set_model_id("shorter-wins").unwrap();
        let res = r.run().unwrap();
        let a = res.accum().unwrap();
        match merged_accum.as_mut() {
            None => merged_accum = Some(a),
            Some(m) => m.merge(&a).unwrap(),
        }
    }
    assert_eq!(journal_field(&paths[0], "model").unwrap(), "shorter-wins");
    assert_eq!(journal_field(&paths[0], "bank").unwrap(), "schwartz10");
    let merged = merge_journals(&paths).unwrap();
    assert_eq!(merged.done(), 115);
    let bits = |r: &valuespace::projective::RunnerResult| {
        r.scores()
            .iter()
            .map(|s| {
                (
                    s.n,
                    s.score.map(f64::to_bits),
                    s.ci_low.to_bits(),
                    s.ci_high.to_bits(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&merged), bits(&full));
    // The exact state (and so everything derived from it) is bit-identical; the Welford part
    // of the serialised bytes is floating point and may differ in the last bits.
    let (m, f) = (merged_accum.unwrap(), full.accum().unwrap());
    assert_eq!(m.row_count(), f.row_count());
    for d in 0..f.dimension_count() {
        let (a, b) = (m.stats(d).unwrap(), f.stats(d).unwrap());
        assert_eq!(
            (a.n, a.exact_mean.to_bits(), a.boot_se.to_bits()),
            (b.n, b.exact_mean.to_bits(), b.boot_se.to_bits())
        );
        let bits = |v: Vec<f64>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(m.replicate_means(d).unwrap()),
            bits(f.replicate_means(d).unwrap())
        );
    }

    // Interrupt a run from the progress closure, then resume it from its journal.
    let journal = tmp("resume.jsonl");
    let mut r = Runner::new(&bank, shorter_wins(), Judge::Loglik).unwrap();
    r.set_seed(3)
        .unwrap()
        .set_replicates(100)
        .unwrap()
        .set_journal(&journal)
        .unwrap();
    r.set_progress(|done, total| {
        assert_eq!(total, 115);
        done < 40
    })
    .unwrap();
    let err = r.run().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Callback);
    r.clear_progress().unwrap();
    let resumed = r.resume().unwrap();
    assert_eq!(bits(&resumed), bits(&full));
    let mut again = Runner::from_journal(&journal, &bank, shorter_wins(), Judge::Loglik).unwrap();
    assert_eq!(bits(&again.resume().unwrap()), bits(&full));
    // The header once (its fields, then the runner), the records once (the resume).
    let header = valuespace::projective::JournalHeader::read(&journal).unwrap();
    let bank_name = valuespace::projective::journal_field(&journal, "bank").unwrap();
    assert_eq!(header.field("bank"), Some(bank_name.as_str()));
    assert_eq!(header.field("judge"), Some("loglik"));
    assert_eq!(header.field("nope"), None);
    let mut from_header = Runner::from_header(&header, &bank, shorter_wins(), Judge::Loglik).unwrap();
    drop(header);
    assert_eq!(bits(&from_header.resume().unwrap()), bits(&full));

    for p in paths.iter().chain(std::iter::once(&journal)) {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn a_panic_in_a_runner_callback_propagates_to_the_caller() {
    let bank = Bank::builtin("valuelex").unwrap();
    let model = Model::builder()
        .loglikelihood(|calls: &[LoglikCall<'_>]| {
            if calls.iter().any(|c| c.id == "vlx-social-003") {
                panic!("judge crashed on vlx-social-003");
            }
            Ok(calls
                .iter()
                .map(|_| {
                    Ok(Loglik {
                        logprob: -1.0,
                        is_greedy: false,
                    })
                })
                .collect())
        })
        .build()
        .unwrap();
    let mut runner = Runner::new(&bank, model, Judge::Loglik).unwrap();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| runner.run()));
    let payload = caught.expect_err("the panic must reach the caller");
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    assert_eq!(msg, "judge crashed on vlx-social-003");

    // A fatal batch error is an error, not a panic, and names the closure's reason.
    let model = Model::builder()
        .loglikelihood(|_calls: &[LoglikCall<'_>]| Err(BatchError::Fatal("no credits".into())))
        .build()
        .unwrap();
    let mut runner = Runner::new(&bank, model, Judge::Loglik).unwrap();
    let err = runner.run().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Callback);
    assert!(err.message().contains("no credits"), "{}", err);
}

#[test]
fn a_classify_judge_run_with_closures() {
    let bank = Bank::builtin("schwartz10").unwrap();
    // The model completes every stem with its "high" continuation's first word; the judge says
    // HIGH (probability 0.9) on every label when the completion starts with "x", else 0.1.
    let seen = Arc::new(Mutex::new(0usize));
    let s2 = Arc::clone(&seen);
    let model = Model::builder()
        .generate(|calls| Ok(calls.iter().map(|c| Ok(format!("x {}", c.id))).collect()))
        .classify(move |calls: &[TextCall<'_>], labels: &[&str]| {
            *s2.lock().unwrap() += calls.len();
            Ok(calls
                .iter()
                .map(|c| {
                    Ok(vec![
                        if c.text.starts_with('x') { 0.9 } else { 0.1 };
                        labels.len()
                    ])
                })
                .collect())
        })
        .build()
        .unwrap();
    let mut runner = Runner::new(&bank, model, Judge::Classify(None)).unwrap();
    runner
        .set_replicates(0)
        .unwrap()
        .set_judge_id("self")
        .unwrap();
    let r = runner.run().unwrap();
    assert_eq!(r.done(), 115);
    assert_eq!(*seen.lock().unwrap(), 115);
    // The judge's answer is the value itself (not flipped for reverse-keyed items): all 100.
    for s in r.scores() {
        assert_eq!(s.score, Some(100.0));
        assert!(s.ci_low.is_nan());
    }
}

/// Every score's n and bits, to compare results exactly.
fn score_bits(r: &valuespace::projective::RunnerResult) -> Vec<(u64, Option<u64>, u64, u64)> {
    r.scores()
        .iter()
        .map(|s| {
            (
                s.n,
                s.score.map(f64::to_bits),
                s.ci_low.to_bits(),
                s.ci_high.to_bits(),
            )
        })
        .collect()
}

/// A judge model whose server is down: every request fails alike.
fn down() -> Model {
    Model::builder()
        .loglikelihood(|calls: &[LoglikCall<'_>]| {
            Ok(calls
                .iter()
                .map(|_| Err(ItemError::Permanent("connection refused".into())))
                .collect())
        })
        .build()
        .unwrap()
}

const REFUSED: &str =
    "permanent failure reported by the loglikelihood callback: connection refused";

#[test]
fn a_run_whose_records_all_fail_stops_and_resumes_once_fixed() {
    let bank = Bank::builtin("valuelex").unwrap();
    let first_id = bank.item(0).unwrap().id();
    let journal = tmp("down.jsonl");
    let mut model = down();
    model.set_max_batch(4).unwrap();
    let mut r = Runner::new(&bank, model, Judge::Loglik).unwrap();
    r.set_seed(3)
        .unwrap()
        .set_replicates(50)
        .unwrap()
        .set_journal(&journal)
        .unwrap();
    let err = r.run().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Failed);
    assert!(
        err.message().contains("first 20 records all failed alike")
            && err.message().contains("connection refused"),
        "{}",
        err
    );
    // The journal keeps the 20 failed records, and says which failed first.
    let merged = merge_journals(&[&journal]).unwrap();
    assert_eq!((merged.done(), merged.failed()), (0, 20));
    assert_eq!(
        merged.first_failure(),
        Some(Failure {
            item_id: first_id,
            repeat: 0,
            status: ItemStatus::Permanent,
            message: REFUSED,
        })
    );
    // Once the server is back, a resume runs them again: the result of a clean run.
    let mut fixed = Runner::from_journal(&journal, &bank, shorter_wins(), Judge::Loglik).unwrap();
    let resumed = fixed.resume().unwrap();
    assert_eq!(resumed.failed(), 0);
    assert_eq!(resumed.first_failure(), None);
    let mut clean = Runner::new(&bank, shorter_wins(), Judge::Loglik).unwrap();
    clean.set_seed(3).unwrap().set_replicates(50).unwrap();
    assert_eq!(score_bits(&resumed), score_bits(&clean.run().unwrap()));
    let _ = std::fs::remove_file(&journal);
}

#[test]
fn first_failure_names_the_first_failed_record() {
    let bank = Bank::builtin("valuelex").unwrap();
    // The early stop switched off: every record runs and fails; the run returns its result.
    let mut model = down();
    model
        .set_max_batch(4)
        .unwrap()
        .set_stop_after_same_failures(0)
        .unwrap();
    let mut r = Runner::new(&bank, model, Judge::Loglik).unwrap();
    r.set_seed(3)
        .unwrap()
        .set_replicates(0)
        .unwrap()
        .set_repeats(2)
        .unwrap();
    let res = r.run().unwrap();
    assert_eq!((res.done(), res.failed()), (0, 2 * bank.len() as u64));
    let f = res.first_failure().unwrap();
    assert_eq!(f.item_id, bank.item(0).unwrap().id());
    assert_eq!(
        (f.repeat, f.status, f.message),
        (0, ItemStatus::Permanent, REFUSED)
    );
    assert!(res.scores().iter().all(|s| s.score.is_none() && s.n_related == 0));

    // One refused item: counted and named; with a failure threshold of 0 the run fails.
    let bad = bank.item(3).unwrap().id().to_string();
    let one_refused = |bad: String| {
        Model::builder()
            .loglikelihood(move |calls: &[LoglikCall<'_>]| {
                Ok(calls
                    .iter()
                    .map(|c| {
                        if c.id == bad {
                            Err(ItemError::Permanent(format!("refused {}", c.id)))
                        } else {
                            Ok(Loglik {
                                logprob: -(c.continuation.len() as f64),
                                is_greedy: false,
                            })
                        }
                    })
                    .collect())
            })
            .build()
            .unwrap()
    };
    let mut r = Runner::new(&bank, one_refused(bad.clone()), Judge::Loglik).unwrap();
    r.set_replicates(0).unwrap();
    let res = r.run().unwrap();
    assert_eq!((res.done(), res.failed()), (bank.len() as u64 - 1, 1));
    let f = res.first_failure().unwrap();
    assert_eq!(
        (f.item_id, f.repeat, f.status),
        (bad.as_str(), 0, ItemStatus::Permanent)
    );
    assert!(
        f.message.ends_with(&format!("refused {}", bad)),
        "{}",
        f.message
    );
    assert!(format!("{:?}", res).contains("first_failure"));

    let mut model = one_refused(bad.clone());
    model.set_failure_threshold(Some(0), 1.0).unwrap();
    let mut r = Runner::new(&bank, model, Judge::Loglik).unwrap();
    let err = r.run().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Failed);
    assert!(
        err.message().contains("VS_MODEL_OPT_MAX_FAILED") && err.message().contains(&bad),
        "{}",
        err
    );

    // A clean run has none.
    let mut ok = Runner::new(&bank, shorter_wins(), Judge::Loglik).unwrap();
    ok.set_replicates(0).unwrap();
    assert_eq!(ok.run().unwrap().first_failure(), None);
}

/// Three-way judge with closures: completions "help" are high, "refuse" low, "weather"
/// unrelated; a rejudge with the same judge gives the same scores bit for bit and never calls
/// the generator (its closure counts calls).
#[test]
fn three_way_judge_and_rejudge() {
    fn judge3() -> Model {
        Model::builder()
            .classify(|calls: &[TextCall<'_>], labels: &[&str]| {
                Ok(calls
                    .iter()
                    .map(|c| {
                        let p = match c.text {
                            "help" => [0.7, 0.2, 0.1],
                            "refuse" => [0.1, 0.2, 0.7],
                            _ => [0.3, 0.4, 0.3],
                        };
                        Ok(labels
                            .iter()
                            .map(|l| {
                                if l.ends_with(LABEL_HIGH) {
                                    p[0]
                                } else if l.ends_with(LABEL_UNRELATED) {
                                    p[1]
                                } else {
                                    assert!(l.ends_with(LABEL_LOW), "{}", l);
                                    p[2]
                                }
                            })
                            .collect())
                    })
                    .collect())
            })
            .build()
            .unwrap()
    }
    let bank = Bank::builtin("schwartz10").unwrap();
    let calls = Arc::new(Mutex::new(0usize));
    let c2 = Arc::clone(&calls);
    let words = ["help", "refuse", "weather"];
    let model = Model::builder()
        .generate(move |cs| {
            *c2.lock().unwrap() += cs.len();
            Ok(cs.iter().map(|c| Ok(words[(c.seed % 3) as usize].to_string())).collect())
        })
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("vs_rust_rejudge_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("src.jsonl");
    let _ = std::fs::remove_file(&src);
    let mut runner = Runner::new(&bank, model, Judge::Classify3(Some(judge3()))).unwrap();
    runner.set_repeats(2).unwrap().set_journal(&src).unwrap();
    let r = runner.run().unwrap();
    let generated = *calls.lock().unwrap();
    assert_eq!(generated, 2 * bank.len());
    let mut related = 0;
    let mut all = 0;
    for s in r.scores() {
        all += s.n;
        related += s.n_related;
        assert_eq!(s.coverage, s.n_related as f64 / s.n as f64);
        assert_eq!(s.score.is_none(), s.n_related == 0);
    }
    assert!(related < all && related > 0);
    let re_path = dir.join("re.jsonl");
    let _ = std::fs::remove_file(&re_path);
    let mut re = Runner::rejudge(&src, &bank, judge3(), true).unwrap();
    re.set_journal(&re_path).unwrap();
    let rr = re.run().unwrap();
    assert_eq!(score_bits(&rr), score_bits(&r));
    assert_eq!(*calls.lock().unwrap(), generated);
    let err = Runner::rejudge(dir.join("missing.jsonl"), &bank, judge3(), true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The choice judge: the model answers "A" always (position bias 100%), items ending in '9'
/// answer "maybe" and fail with their text.
#[test]
fn choice_judge_counts_position_bias() {
    let bank = Bank::builtin("valuelex").unwrap();
    let model = Model::builder()
        .generate(|calls| {
            Ok(calls
                .iter()
                .map(|c| {
                    let p = c.prompt.unwrap();
                    assert!(p.contains("\nA) ") && p.ends_with("\nAnswer:"));
                    Ok(if c.id.ends_with('9') { "maybe" } else { "A" }.to_string())
                })
                .collect())
        })
        .build()
        .unwrap();
    let mut runner = Runner::new(&bank, model, Judge::Choice).unwrap();
    runner.set_replicates(0).unwrap();
    let r = runner.run().unwrap();
    let bad = (0..bank.len()).filter(|&i| bank.item(i).unwrap().id().ends_with('9')).count() as u64;
    assert_eq!((r.done(), r.failed()), (bank.len() as u64 - bad, bad));
    assert_eq!(r.position(), (r.done(), r.done()));
    assert_eq!(
        r.first_failure().unwrap().message,
        "choice: the answer is not the letter A or B: \"maybe\""
    );
}
