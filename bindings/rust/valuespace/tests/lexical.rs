//! ValueLex construction: responses parsed by hand, word vectors, and a synthetic
//! 3-factor x 2-cluster lexicon whose structure the analysis must recover.
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use valuespace::cluster::adjusted_rand;
use valuespace::lexical::{
    analyze, elicit, journal_failures, prompts, Array, ElicitFailure, ElicitOptions,
    JournalFailures, LexicalOption, Lexicon, LexiconOption, NameLevel, Options, Stat, WordVectors,
};
use valuespace::model::{item_seed, GenerateCall, ItemError, Model, TextCall};
use valuespace::ErrorKind;

/// The message of a panic payload (`panic!` with a format gives a String, a literal a &str).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// A fresh directory under the system temp dir.
fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vs-rust-lexical-{}-{}", tag, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn responses_are_parsed_as_the_header_says() {
    let mut lex = Lexicon::new().unwrap();
    // List markers go; a definition keeps its head; emphasis is dropped.
    lex.add_response(
        Some("m1"),
        "1. Honesty\n2) Kindness\n- Fairness: treating people equally\n* **Courage** \u{2014} facing fear",
    )
    .unwrap();
    assert_eq!(
        lex.response_terms(0),
        ["honesty", "kindness", "fairness", "courage"]
    );
    // A ':' line without a marker whose tail is a list: the tail; split at ',' and "and".
    lex.add_response(Some("m2"), "My values: honesty, kindness and respect.")
        .unwrap();
    assert_eq!(lex.response_terms(1), ["honesty", "kindness", "respect"]);
    // Parentheses and brackets cut the item; a sentence and digits are dropped.
    lex.add_stop_term("RESPECT").unwrap();
    lex.add_response(
        Some("m2"),
        "Loyalty (to friends); Growth [personal] | Curiosity\nI believe honesty matters more than anything\n2024\nRespect",
    )
    .unwrap();
    assert_eq!(lex.response_terms(2), ["loyalty", "growth", "curiosity"]);
    assert_eq!(lex.response_count(), 3);
    assert!(lex.response_terms(3).is_empty());

    // Kept terms: by decreasing total count, ties by bytes.
    assert_eq!(
        lex.terms(),
        [
            "honesty",
            "kindness",
            "courage",
            "curiosity",
            "fairness",
            "growth",
            "loyalty",
            "respect"
        ]
    );
    assert_eq!(lex.term_stats(0).unwrap(), (2.0, 2));
    assert_eq!(lex.term_stats(6).unwrap(), (1.0, 1));
    assert_eq!(
        lex.term_stats(99).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    let m = lex.matrix(false).unwrap();
    assert_eq!(m.len(), 3 * 8);
    assert_eq!(&m[..8], &[1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    assert_eq!(&m[8..16], &[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    assert_eq!(lex.matrix(true).unwrap(), m);

    // The filters.
    lex.set_int(LexiconOption::MinModels, 2).unwrap();
    assert_eq!(lex.get_int(LexiconOption::MinModels).unwrap(), 2);
    assert_eq!(lex.terms(), ["honesty", "kindness"]);
    assert_eq!(
        lex.set_int(LexiconOption::MinFreq, 0).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    assert_eq!(
        lex.add_response(None, "bad\0text").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    // Too few kept terms for an analysis.
    assert_eq!(
        analyze(&lex, None, None).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
}

#[test]
fn csv_word_vectors_and_prompts() {
    let dir = std::env::temp_dir().join(format!("vs-rust-lexical-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("m.csv");
    std::fs::write(&csv, "Honesty,Care\n1,\n2,1\n").unwrap();
    let lex = Lexicon::load_csv(&csv).unwrap();
    assert_eq!(lex.response_count(), 2);
    assert_eq!(lex.terms(), ["honesty", "care"]);
    assert_eq!(lex.matrix(true).unwrap(), [1.0, 0.0, 2.0, 1.0]);
    assert_eq!(lex.matrix(false).unwrap(), [1.0, 0.0, 1.0, 1.0]);
    assert_eq!(
        Lexicon::load_csv(dir.join("missing.csv"))
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    let vec_path = dir.join("v.vec");
    std::fs::write(&vec_path, "2 3\nhonesty 1 0 0\nCare 0 1 0\n").unwrap();
    let v = WordVectors::load(&vec_path).unwrap();
    assert_eq!((v.dim(), v.count()), (3, 2));
    assert_eq!(v.get("care").unwrap(), [0.0, 1.0, 0.0]);
    // A term of several words: the mean of its words' vectors.
    assert_eq!(v.get("honesty care").unwrap(), [0.5, 0.5, 0.0]);
    assert_eq!(v.get("justice").unwrap_err().kind(), ErrorKind::NotFound);
    let mut w = WordVectors::new(2).unwrap();
    w.add("Justice", &[3.0, 4.0]).unwrap();
    assert_eq!(w.get("justice").unwrap(), [3.0, 4.0]);
    assert_eq!(w.add("x", &[1.0]).unwrap_err().kind(), ErrorKind::Mismatch);
    assert_eq!(
        w.add("x", &[1.0, f64::NAN]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        WordVectors::new(0).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    std::fs::remove_dir_all(&dir).ok();

    let p = prompts();
    assert!(p.len() >= 15, "{} prompts", p.len());
    assert!(p.iter().all(|s| !s.is_empty()));

    let mut o = Options::new().unwrap();
    assert_eq!(o.get_int(LexicalOption::NFactors).unwrap(), 0);
    assert_eq!(o.get_int(LexicalOption::SubdimsMax).unwrap(), 4);
    o.set_str(LexicalOption::Metric, "euclidean").unwrap();
    assert_eq!(
        o.set_str(LexicalOption::Rotation, "nonesuch")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        o.set_str(LexicalOption::Seed, "x").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let (lo, hi) = LexicalOption::Subdims.bounds().unwrap();
    assert!(lo <= 0.0 && hi >= 4.0);
}

/// A small deterministic generator (SplitMix64) with normal deviates by Box-Muller.
struct Rng(u64);
impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const FACTORS: [&str; 3] = ["ka", "lo", "mi"];
const CLUSTERS: [&str; 2] = ["ru", "se"];
const ITEMS: [&str; 3] = ["ta", "vo", "wu"];

/// The term of factor g, cluster c, item i and its true sub-dimension 2g + c.
fn term(g: usize, c: usize, i: usize) -> String {
    format!("{}{}{}", FACTORS[g], CLUSTERS[c], ITEMS[i])
}

#[test]
fn three_factors_of_two_clusters_are_recovered() {
    let mut rng = Rng(20240601);
    let mut lex = Lexicon::new().unwrap();
    let models = ["alpha", "beta", "gamma"];
    let mut added = 0;
    for r in 0..600 {
        let f: Vec<f64> = (0..3).map(|_| rng.normal()).collect();
        let mut lines = Vec::new();
        for (g, fg) in f.iter().enumerate() {
            for c in 0..2 {
                for i in 0..3 {
                    if 0.85 * fg + 0.53 * rng.normal() > 0.3 {
                        lines.push(format!("{}. {}", lines.len() + 1, term(g, c, i)));
                    }
                }
            }
        }
        if !lines.is_empty() {
            lex.add_response(Some(models[r % 3]), &lines.join("\n"))
                .unwrap();
            added += 1;
        }
    }
    assert_eq!(lex.response_count(), added);
    assert_eq!(lex.term_count(), 18);

    // Word vectors: one axis per (factor, cluster), plus a little deterministic noise.
    let mut vecs = WordVectors::new(6).unwrap();
    for g in 0..3 {
        for c in 0..2 {
            for i in 0..3 {
                let mut x: Vec<f64> = (0..6).map(|_| 0.1 * rng.uniform()).collect();
                x[2 * g + c] += 1.0;
                vecs.add(&term(g, c, i), &x).unwrap();
            }
        }
    }

    let mut options = Options::new().unwrap();
    options
        .set_nfactors(3)
        .unwrap()
        .set_subdims(2)
        .unwrap()
        .set_seed(7)
        .unwrap();
    let res = options.analyze(&lex, Some(&vecs)).unwrap();
    assert_eq!(res.scalar(Stat::NTerms).unwrap(), 18.0);
    assert_eq!(res.scalar(Stat::NResponses).unwrap(), added as f64);
    assert_eq!(res.scalar(Stat::NFactors).unwrap(), 3.0);
    assert_eq!(res.scalar(Stat::NSubdims).unwrap(), 6.0);
    assert!(res.scalar(Stat::ParallelFactors).unwrap().is_nan());
    assert!(res.scalar(Stat::Kmo).unwrap() > 0.6);
    assert!(res.scalar(Stat::BartlettP).unwrap() < 1e-10);
    assert!(res.scalar(Stat::Silhouette).unwrap() > 0.5);

    let terms = res.terms();
    assert_eq!(terms.len(), 18);
    let (mut true_factor, mut true_sub) = (Vec::new(), Vec::new());
    for t in &terms {
        let g = FACTORS.iter().position(|p| t.starts_with(p)).unwrap();
        let c = CLUSTERS.iter().position(|p| t[2..].starts_with(p)).unwrap();
        true_factor.push(g);
        true_sub.push(2 * g + c);
    }
    let factor = res.assignments(NameLevel::Factor).unwrap();
    let sub = res.assignments(NameLevel::Subdim).unwrap();
    let ari_f = adjusted_rand(&factor, &true_factor).unwrap();
    let ari_s = adjusted_rand(&sub, &true_sub).unwrap();
    assert!(ari_f >= 0.9, "factor ARI {}", ari_f);
    assert!(ari_s >= 0.9, "sub-dimension ARI {}", ari_s);

    assert_eq!(res.get(Array::Loadings).unwrap().len(), 18 * 3);
    assert_eq!(res.get(Array::SubdimFactor).unwrap().len(), 6);
    assert_eq!(res.get(Array::Eigenvalues).unwrap().len(), 18);
    assert_eq!(res.names(NameLevel::Factor).len(), 3);
    let subnames = res.names(NameLevel::Subdim);
    assert_eq!(subnames.len(), 6);
    // A default name joins two terms of the sub-dimension.
    assert_eq!(subnames[0].split('/').count(), 2);
    assert!(res.name(NameLevel::Factor, 3).is_none());

    let space = res.space().unwrap();
    assert_eq!(space.name(), "valuelex");
    assert_eq!(space.level_count(), 2);
    let named = res
        .space_named(Some("mine"), Some(&[Some("A"), None, Some("C")]), None)
        .unwrap();
    assert_eq!(named.name(), "mine");
    assert_eq!(
        res.space_named(None, Some(&[Some("A")]), None)
            .unwrap_err()
            .kind(),
        ErrorKind::Mismatch
    );
    let report = res.report().unwrap();
    assert!(report.contains("\"n_factors\""), "{}", report);
    assert!(report.contains("\"bartlett\""));

    // Default options: parallel analysis decides the number of factors.
    let auto = analyze(&lex, None, None).unwrap();
    assert_eq!(
        auto.scalar(Stat::NSubdims).unwrap(),
        auto.scalar(Stat::NFactors).unwrap()
    );
}

#[test]
fn a_lemmatizer_closure_maps_the_terms() {
    let mut lex = Lexicon::new().unwrap();
    // Before the lemmatiser: terms as parsed.
    lex.add_response(Some("m1"), "Friends, Values").unwrap();
    assert_eq!(lex.response_terms(0), ["friends", "values"]);

    // Strips a trailing 's' and answers in capitals (the library normalises the lemma again);
    // "misc" has an empty lemma (dropped).
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = Arc::clone(&seen);
    lex.set_lemmatizer(move |t: &str| {
        seen2.lock().unwrap().push(t.to_string());
        if t == "misc" {
            return Ok(String::new());
        }
        Ok(t.strip_suffix('s').unwrap_or(t).to_uppercase())
    })
    .unwrap();
    assert!(lex.has_lemmatizer());
    // A stop-term matches after lemmatisation too.
    lex.add_stop_term("friend").unwrap();
    lex.add_response(
        Some("m2"),
        "1. **Values**\n2. Friends\n3. Kindness\n4. Misc\n5. Personal Growths\n6. Value",
    )
    .unwrap();
    // The closure gets the normalised terms (markers and emphasis gone, case folded).
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "values",
            "friends",
            "kindness",
            "misc",
            "personal growths",
            "value"
        ]
    );
    // values -> VALUE -> value; friends -> friend (stop); kindness -> kindnes; misc -> "";
    // personal growths -> personal growth; value -> value (a second occurrence).
    assert_eq!(
        lex.response_terms(1),
        ["value", "kindnes", "personal growth"]
    );
    // Totals: value 2 (one model), the rest 1 each, ties by bytes.
    assert_eq!(
        lex.terms(),
        ["value", "friends", "kindnes", "personal growth", "values"]
    );
    assert_eq!(lex.term_stats(0).unwrap(), (2.0, 1));
    // Row 1 of the counts matrix (columns in the order of terms()).
    assert_eq!(&lex.matrix(true).unwrap()[5..], &[2.0, 0.0, 1.0, 1.0, 0.0]);

    lex.clear_lemmatizer().unwrap();
    assert!(!lex.has_lemmatizer());
    lex.add_response(Some("m3"), "Values").unwrap();
    assert_eq!(lex.response_terms(2), ["values"]);
    assert_eq!(seen.lock().unwrap().len(), 6);
}

#[test]
fn a_lemmatizer_error_is_ecallback_and_changes_nothing() {
    let mut lex = Lexicon::new().unwrap();
    lex.set_lemmatizer(|t: &str| match t {
        "bad" => Err(format!("no lemma for {}", t)),
        "long" => Ok("x".repeat(300)),
        "nul" => Ok("a\0b".to_string()),
        _ => Ok(t.to_string()),
    })
    .unwrap();
    lex.add_response(Some("m"), "good").unwrap();

    let e = lex.add_response(Some("m"), "good, bad").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback);
    // The C message names the term, the closure's message is appended.
    assert!(e.message().contains("'bad'"), "{}", e.message());
    assert!(e.message().ends_with("no lemma for bad"), "{}", e.message());
    assert_eq!(lex.response_count(), 1);

    // A lemma that does not fit the C buffer (255 bytes + NUL) fails rather than being cut.
    let e = lex.add_response(Some("m"), "long").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback);
    assert!(e.message().contains("300 bytes"), "{}", e.message());
    let e = lex.add_response(Some("m"), "nul").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback);
    assert!(e.message().contains("NUL byte"), "{}", e.message());
    assert_eq!(lex.response_count(), 1);

    // The failure is not sticky.
    lex.add_response(Some("m"), "fine").unwrap();
    assert_eq!(lex.response_count(), 2);
    assert_eq!(lex.terms(), ["fine", "good"]);
}

#[test]
fn a_lemmatizer_panic_is_resumed_and_the_lexicon_stays_usable() {
    let mut lex = Lexicon::new().unwrap();
    lex.set_lemmatizer(|t: &str| {
        if t == "boom" {
            panic!("lemmatiser exploded on {}", t);
        }
        Ok(t.to_string())
    })
    .unwrap();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = lex.add_response(Some("m"), "calm, boom");
    }));
    let payload = caught.expect_err("the panic must propagate");
    assert_eq!(panic_message(&*payload), "lemmatiser exploded on boom");
    assert_eq!(lex.response_count(), 0);

    lex.add_response(Some("m"), "calm").unwrap();
    assert_eq!(lex.response_terms(0), ["calm"]);
}

#[test]
fn the_lexicon_owns_its_lemmatizer() {
    // Each closure holds a clone of an Arc: the strong count tells whether it is alive.
    let first = Arc::new(());
    let second = Arc::new(());
    let mut lex = Lexicon::new().unwrap();
    let f1 = Arc::clone(&first);
    lex.set_lemmatizer(move |t: &str| {
        let _ = &f1;
        Ok(format!("{} one", t))
    })
    .unwrap();
    assert_eq!(Arc::strong_count(&first), 2);
    let f2 = Arc::clone(&second);
    lex.set_lemmatizer(move |t: &str| {
        let _ = &f2;
        Ok(format!("{} two", t))
    })
    .unwrap();
    // Replaced: the first closure is gone, the second one is used.
    assert_eq!(Arc::strong_count(&first), 1);
    assert_eq!(Arc::strong_count(&second), 2);
    lex.add_response(None, "care").unwrap();
    assert_eq!(lex.response_terms(0), ["care two"]);
    // Moved to another thread and dropped there.
    std::thread::spawn(move || drop(lex)).join().unwrap();
    assert_eq!(Arc::strong_count(&second), 1);
}

/// An embed model: [bytes of the text, first byte of the text] for each request; records the
/// ids it was asked for.
fn embed_model(calls: Arc<Mutex<Vec<String>>>) -> Model {
    Model::builder()
        .embed(move |reqs: &[TextCall<'_>], dim| {
            assert_eq!(dim, 2);
            Ok(reqs
                .iter()
                .map(|r| {
                    calls.lock().unwrap().push(r.id.to_string());
                    if r.text == "refused" {
                        return Err(ItemError::Permanent("I refuse".into()));
                    }
                    if r.text == "boom" {
                        panic!("embedder exploded on {}", r.id);
                    }
                    Ok(vec![r.text.len() as f64, f64::from(r.text.as_bytes()[0])])
                })
                .collect())
        })
        .build()
        .unwrap()
}

#[test]
fn embed_adds_the_vectors_the_model_returned() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut model = embed_model(Arc::clone(&calls));
    let mut v = WordVectors::new(2).unwrap();
    v.add("justice", &[9.0, 9.0]).unwrap();
    v.embed(
        &mut model,
        &["Honesty", "care", "honesty", "Justice", "Fair Play"],
    )
    .unwrap();
    // Only the words without a vector, normalised and once each.
    assert_eq!(
        *calls.lock().unwrap(),
        ["term:honesty", "term:care", "term:fair play"]
    );
    assert_eq!(v.count(), 4);
    assert_eq!(v.get("honesty").unwrap(), [7.0, f64::from(b'h')]);
    assert_eq!(v.get("care").unwrap(), [4.0, f64::from(b'c')]);
    assert_eq!(v.get("fair play").unwrap(), [9.0, f64::from(b'f')]);
    assert_eq!(v.get("justice").unwrap(), [9.0, 9.0]);
    // Nothing left to embed: no call.
    v.embed(&mut model, &["care", "HONESTY"]).unwrap();
    v.embed(&mut model, &[]).unwrap();
    assert_eq!(calls.lock().unwrap().len(), 3);

    // A failed item: VS_ECALLBACK naming it; the others are kept.
    let e = v.embed(&mut model, &["refused", "kind"]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback);
    assert!(e.message().contains("term:refused"), "{}", e.message());
    assert!(e.message().contains("I refuse"), "{}", e.message());
    assert_eq!(v.get("kind").unwrap(), [4.0, f64::from(b'k')]);
    assert_eq!(v.get("refused").unwrap_err().kind(), ErrorKind::NotFound);

    // A panic in the model's closure is resumed; both stay usable.
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = v.embed(&mut model, &["boom"]);
    }));
    let payload = caught.expect_err("the panic must propagate");
    assert_eq!(panic_message(&*payload), "embedder exploded on term:boom");
    v.embed(&mut model, &["zeal"]).unwrap();
    assert_eq!(v.get("zeal").unwrap(), [4.0, f64::from(b'z')]);

    // A model without an embed callback; a word with a NUL byte.
    let mut gen = Model::builder()
        .generate(|reqs: &[GenerateCall<'_>]| Ok(reqs.iter().map(|_| Ok(String::new())).collect()))
        .build()
        .unwrap();
    assert_eq!(
        v.embed(&mut gen, &["other"]).unwrap_err().kind(),
        ErrorKind::State
    );
    assert_eq!(
        v.embed(&mut model, &["a\0b"]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(v.count(), 6);
}

/// A generate model answering as `id`: checks the request against the elicitation contract and
/// answers with words that depend on the model and the prompt number. `fail_once` makes the
/// first request of that item id fail permanently; `boom` panics on that id.
fn elicit_model(
    id: &'static str,
    run_seed: u64,
    calls: Arc<AtomicUsize>,
    fail_once: Option<&'static str>,
    boom: Arc<Mutex<Option<String>>>,
) -> Model {
    let failed = AtomicBool::new(false);
    Model::builder()
        .generate(move |reqs: &[GenerateCall<'_>]| {
            Ok(reqs
                .iter()
                .map(|r| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    // "MODEL/prompt-NN/rR", repeat R - 1, the run seed, the options.
                    let parts: Vec<&str> = r.id.split('/').collect();
                    assert_eq!(parts.len(), 3, "{}", r.id);
                    assert_eq!(parts[0], id);
                    let p: usize = parts[1].strip_prefix("prompt-").unwrap().parse().unwrap();
                    let rep: u64 = parts[2].strip_prefix('r').unwrap().parse().unwrap();
                    assert_eq!(r.repeat, rep - 1);
                    assert_eq!(r.seed, item_seed(run_seed, r.id, r.repeat));
                    assert_eq!(r.prompt, Some(["Q one?", "Q two?", "Q three?"][p - 1]));
                    assert_eq!((r.max_tokens, r.temperature), (64, 0.5));
                    if boom.lock().unwrap().as_deref() == Some(r.id) {
                        panic!("generator exploded on {}", r.id);
                    }
                    if fail_once == Some(r.id) && !failed.swap(true, Ordering::SeqCst) {
                        return Err(ItemError::Permanent("try later".into()));
                    }
                    Ok(match (id, p % 2) {
                        ("alpha", 0) => "1. Honesty\n2. Kindness\n3. Care".to_string(),
                        ("alpha", _) => "Honesty, Kindness".to_string(),
                        _ => "- Honesty\n- Fairness: treating all alike".to_string(),
                    })
                })
                .collect())
        })
        .build()
        .unwrap()
}

#[test]
fn elicit_writes_a_journal_that_resumes_and_reads_back() {
    let dir = temp_dir("elicit");
    let journal = dir.join("j.jsonl");
    let calls = Arc::new(AtomicUsize::new(0));
    let boom = Arc::new(Mutex::new(None));
    let mut models = vec![
        elicit_model("alpha", 11, Arc::clone(&calls), None, Arc::clone(&boom)),
        elicit_model(
            "beta",
            11,
            Arc::clone(&calls),
            Some("beta/prompt-03/r2"),
            Arc::clone(&boom),
        ),
    ];
    // The model's own seed is restored afterwards, its item hook removed.
    models[0].set_seed(99).unwrap();
    let hook_calls = Arc::new(AtomicUsize::new(0));
    let h2 = Arc::clone(&hook_calls);
    models[0]
        .set_item_hook(move |_, _| {
            h2.fetch_add(1, Ordering::SeqCst);
            true
        })
        .unwrap();
    let opts = ElicitOptions {
        max_tokens: 64,
        seed: 11,
        repeats: 2,
        temperature: 0.5,
        resume: false,
        prompts: Some(vec!["Q one?".into(), "Q two?".into(), "Q three?".into()]),
    };
    let ids = ["alpha", "beta"];
    // 2 models x 3 prompts x 2 repeats = 12 records (beta/prompt-03/r2 recorded as failed).
    assert_eq!(elicit(&mut models, &ids, &journal, &opts).unwrap(), 12);
    assert_eq!(calls.load(Ordering::SeqCst), 12);
    assert_eq!(hook_calls.load(Ordering::SeqCst), 0);
    assert_eq!(models[0].seed(), 99);
    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 13);
    assert!(
        lines[0].starts_with(r#"{"schema":"valuespace/lexical-journal","version":1,"#),
        "{}",
        lines[0]
    );
    assert!(lines.iter().any(|l| l.contains("\"alpha/prompt-01/r1\"")));
    assert_eq!(lines.iter().filter(|l| l.contains("\"failed\"")).count(), 1);
    assert!(lines.iter().any(|l| l.contains("try later")));
    // The item failure did not stop the run; journal_failures tells it.
    let jf = journal_failures(&journal).unwrap();
    assert_eq!((jf.ok, jf.failed), (11, 1));
    let first = jf.first.unwrap();
    assert_eq!(first.id, "beta/prompt-03/r2");
    assert!(first.error.ends_with("try later"), "{}", first.error);

    // Not resuming a non-empty journal; resuming with other options.
    assert_eq!(
        elicit(&mut models, &ids, &journal, &opts)
            .unwrap_err()
            .kind(),
        ErrorKind::State
    );
    let resume = ElicitOptions {
        resume: true,
        ..opts.clone()
    };
    let other = ElicitOptions {
        seed: 12,
        ..resume.clone()
    };
    assert_eq!(
        elicit(&mut models, &ids, &journal, &other)
            .unwrap_err()
            .kind(),
        ErrorKind::Mismatch
    );
    // Resume: only the failed item runs again; then nothing is left.
    assert_eq!(elicit(&mut models, &ids, &journal, &resume).unwrap(), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 13);
    assert_eq!(elicit(&mut models, &ids, &journal, &resume).unwrap(), 0);
    assert_eq!(calls.load(Ordering::SeqCst), 13);
    assert_eq!(
        journal_failures(&journal).unwrap(),
        JournalFailures {
            ok: 12,
            failed: 0,
            first: None
        }
    );
    // `&mut [&mut Model]` works too.
    let (a, b) = models.split_at_mut(1);
    let mut refs = [&mut a[0], &mut b[0]];
    assert_eq!(elicit(&mut refs, &ids, &journal, &resume).unwrap(), 0);

    // Read back: alpha answers "honesty, kindness" (+ "care" for prompt 2, i.e. 2 of its 6
    // responses), beta "honesty, fairness" in all 6.
    let mut lex = Lexicon::new().unwrap();
    lex.add_journal(&journal).unwrap();
    assert_eq!(lex.response_count(), 12);
    assert_eq!(lex.terms(), ["honesty", "fairness", "kindness", "care"]);
    assert_eq!(lex.term_stats(0).unwrap(), (12.0, 2));
    assert_eq!(lex.term_stats(1).unwrap(), (6.0, 1));
    assert_eq!(lex.term_stats(2).unwrap(), (6.0, 1));
    assert_eq!(lex.term_stats(3).unwrap(), (2.0, 1));

    // A lemmatiser panic while reading a journal is resumed; the responses before stay.
    let mut lex = Lexicon::new().unwrap();
    lex.set_lemmatizer(|t: &str| {
        if t == "fairness" {
            panic!("no lemma for {}", t);
        }
        Ok(t.to_string())
    })
    .unwrap();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = lex.add_journal(&journal);
    }));
    assert_eq!(
        panic_message(&*caught.expect_err("the panic must propagate")),
        "no lemma for fairness"
    );
    // Journal order: alpha's 6 responses, then beta's.
    assert_eq!(lex.response_count(), 6);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_panic_during_elicit_is_resumed_and_the_journal_resumes() {
    let dir = temp_dir("elicit-panic");
    let journal = dir.join("j.jsonl");
    let calls = Arc::new(AtomicUsize::new(0));
    let boom = Arc::new(Mutex::new(Some("beta/prompt-02/r1".to_string())));
    let mut models = vec![
        elicit_model("alpha", 5, Arc::clone(&calls), None, Arc::clone(&boom)),
        elicit_model("beta", 5, Arc::clone(&calls), None, Arc::clone(&boom)),
    ];
    // One request per batch, so the items before the panic are final and journalled.
    for m in &mut models {
        m.set_max_batch(1).unwrap();
    }
    let opts = ElicitOptions {
        max_tokens: 64,
        seed: 5,
        temperature: 0.5,
        prompts: Some(vec!["Q one?".into(), "Q two?".into(), "Q three?".into()]),
        ..Default::default()
    };
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = elicit(&mut models, &["alpha", "beta"], &journal, &opts);
    }));
    assert_eq!(
        panic_message(&*caught.expect_err("the panic must propagate")),
        "generator exploded on beta/prompt-02/r1"
    );
    // alpha's 3 items and beta's first are in the journal.
    let text = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(text.lines().count(), 1 + 4);

    *boom.lock().unwrap() = None;
    let resume = ElicitOptions {
        resume: true,
        ..opts
    };
    assert_eq!(
        elicit(&mut models, &["alpha", "beta"], &journal, &resume).unwrap(),
        2
    );
    let mut lex = Lexicon::new().unwrap();
    lex.add_journal(&journal).unwrap();
    assert_eq!(lex.response_count(), 6);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn elicit_rejects_bad_input_with_the_c_error_kinds() {
    let dir = temp_dir("elicit-bad");
    let journal = dir.join("j.jsonl");
    let boom = Arc::new(Mutex::new(None));
    let calls = Arc::new(AtomicUsize::new(0));
    let mut one = vec![elicit_model("alpha", 0, Arc::clone(&calls), None, boom)];
    let d = ElicitOptions::default();
    assert_eq!(
        (
            d.max_tokens,
            d.seed,
            d.repeats,
            d.temperature,
            d.resume,
            d.prompts.is_none()
        ),
        (0, 0, 1, 1.0, false, true)
    );
    let kind = |models: &mut [Model], ids: &[&str], o: &ElicitOptions| {
        elicit(models, ids, &journal, o).unwrap_err().kind()
    };
    let mut none: Vec<Model> = Vec::new();
    assert_eq!(kind(&mut none, &[], &d), ErrorKind::InvalidArgument);
    assert_eq!(kind(&mut one, &[], &d), ErrorKind::Mismatch);
    assert_eq!(kind(&mut one, &["a", "b"], &d), ErrorKind::Mismatch);
    assert_eq!(kind(&mut one, &[""], &d), ErrorKind::InvalidArgument);
    assert_eq!(kind(&mut one, &["a/b"], &d), ErrorKind::InvalidArgument);
    assert_eq!(kind(&mut one, &["a\0b"], &d), ErrorKind::InvalidArgument);
    // Options the C side rejects.
    let bad = [
        ElicitOptions {
            repeats: 0,
            ..d.clone()
        },
        ElicitOptions {
            temperature: f64::NAN,
            ..d.clone()
        },
        ElicitOptions {
            prompts: Some(Vec::new()),
            ..d.clone()
        },
        ElicitOptions {
            prompts: Some(vec!["ok?".into(), String::new()]),
            ..d.clone()
        },
    ];
    for o in &bad {
        assert_eq!(
            kind(&mut one, &["a"], o),
            ErrorKind::InvalidArgument,
            "{o:?}"
        );
    }
    // A repeated id (two models).
    let mut two = vec![
        one.pop().unwrap(),
        Model::builder()
            .generate(|r: &[GenerateCall<'_>]| Ok(r.iter().map(|_| Ok(String::new())).collect()))
            .build()
            .unwrap(),
    ];
    let e = elicit(&mut two, &["m", "m"], &journal, &d).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("'m'"), "{}", e.message());
    // Nothing ran, nothing was written.
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert!(!journal.exists() || std::fs::metadata(&journal).unwrap().len() == 0);
    // Not a journal.
    std::fs::write(&journal, "{\"schema\": \"other\"}\n").unwrap();
    let resume = ElicitOptions { resume: true, ..d };
    assert_eq!(
        elicit(&mut two, &["m1", "m2"], &journal, &resume)
            .unwrap_err()
            .kind(),
        ErrorKind::Parse
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_elicitation_whose_items_all_fail_stops_after_20_and_the_journal_says_why() {
    let dir = temp_dir("elicit-down");
    let journal = dir.join("j.jsonl");
    let down = || {
        Model::builder()
            .generate(|reqs: &[GenerateCall<'_>]| {
                Ok(reqs
                    .iter()
                    .map(|_| Err(ItemError::Permanent("connection refused".into())))
                    .collect())
            })
            .build()
            .unwrap()
    };
    let mut models = vec![down()];
    models[0].set_max_batch(5).unwrap();
    let opts = ElicitOptions {
        repeats: 25,
        prompts: Some(vec!["Q one?".into()]),
        ..Default::default()
    };
    let e = elicit(&mut models, &["m"], &journal, &opts).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Failed);
    assert!(
        e.message().contains("first 20 items all failed alike"),
        "{}",
        e.message()
    );
    let jf = journal_failures(&journal).unwrap();
    assert_eq!((jf.ok, jf.failed), (0, 20));
    let ElicitFailure { id, error } = jf.first.unwrap();
    assert_eq!(id, "m/prompt-01/r1");
    assert!(error.ends_with("connection refused"), "{}", error);

    // Without the early stop every item runs, fails and is journalled; elicit returns Ok.
    let journal2 = dir.join("j2.jsonl");
    models[0].set_stop_after_same_failures(0).unwrap();
    assert_eq!(elicit(&mut models, &["m"], &journal2, &opts).unwrap(), 25);
    let jf = journal_failures(&journal2).unwrap();
    assert_eq!((jf.ok, jf.failed), (0, 25));

    // Not a journal, no file.
    let other = dir.join("other.jsonl");
    std::fs::write(&other, "{\"schema\": \"other\"}\n").unwrap();
    assert_eq!(
        journal_failures(&other).unwrap_err().kind(),
        ErrorKind::Parse
    );
    assert_eq!(
        journal_failures(dir.join("missing.jsonl"))
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    std::fs::remove_dir_all(&dir).ok();
}
