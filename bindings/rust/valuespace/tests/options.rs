//! The one typed-enum pattern for options ([`valuespace::options`]): every handle's enum agrees
//! with the library's names and ids, `set`/`get` read back with the right type on every handle,
//! bad values fail with the library's status, and the deprecated raw-id methods still work.
use valuespace::accum::{Accum, AccumOption};
use valuespace::cluster::{Cluster, ClusterOption};
use valuespace::evaluator::{Evaluator, EvaluatorOption};
use valuespace::fa::{self, FaOption};
use valuespace::lexical::{self, LexicalOption, Lexicon, LexiconOption};
use valuespace::model::{Loglik, LoglikCall, Model, ModelOption};
use valuespace::options::{OptionId, OptionKind, OptionValue};
use valuespace::projective::{Bank, Judge, Runner, RunnerOption};
use valuespace::{ErrorKind, Space};

/// Every variant: its name round-trips through the library, ids are distinct, and a name
/// that is not an option is NotFound.
fn names_round_trip<O: OptionId + PartialEq>(expected_count: usize) {
    assert_eq!(O::ALL.len(), expected_count, "{:?}", O::ALL);
    for &o in O::ALL {
        let name = o.name();
        assert!(!name.is_empty(), "{:?} has no name", o);
        assert_eq!(O::from_name(name).unwrap(), o);
        assert_eq!(O::from_raw(o.raw()), Some(o));
        assert_eq!(O::ALL.iter().filter(|p| p.raw() == o.raw()).count(), 1);
        if o.kind() != OptionKind::Str {
            let (lo, hi) = o.bounds().unwrap();
            assert!(lo <= hi, "{:?}", o);
        }
    }
    let err = O::from_name("no_such_option").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        err.message().contains("unknown option 'no_such_option'"),
        "{}",
        err.message()
    );
}

#[test]
fn every_enum_matches_the_library() {
    // the counts are the C enums' (include/valuespace/*.h)
    names_round_trip::<FaOption>(22);
    names_round_trip::<ClusterOption>(11);
    names_round_trip::<RunnerOption>(11);
    names_round_trip::<ModelOption>(8);
    names_round_trip::<EvaluatorOption>(14);
    names_round_trip::<LexicalOption>(10);
    names_round_trip::<LexiconOption>(3);
    names_round_trip::<AccumOption>(1);
    assert_eq!(FaOption::NFactors.name(), "nfactors");
    assert_eq!(EvaluatorOption::C.name(), "C");
    assert_eq!(
        RunnerOption::from_name("journal").unwrap(),
        RunnerOption::Journal
    );
    assert_eq!(FaOption::from_raw(0), None);
}

/// `get` of every option returns the variant of its kind, and `set` of that value is accepted.
macro_rules! read_back_all {
    ($h:expr, $opt:ty) => {{
        for &o in <$opt as OptionId>::ALL {
            let v = $h.get(o).unwrap();
            match (o.kind(), &v) {
                (OptionKind::Int, OptionValue::Int(_))
                | (OptionKind::Double, OptionValue::Double(_))
                | (OptionKind::Enum, OptionValue::Str(_))
                | (OptionKind::Str, OptionValue::Str(_)) => {}
                other => panic!("{:?}: {:?}", o, other),
            }
            $h.set(o, v.clone()).unwrap();
            assert_eq!($h.get(o).unwrap(), v);
        }
    }};
}

fn model() -> Model {
    Model::builder()
        .loglikelihood(|calls: &[LoglikCall<'_>]| {
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
        .unwrap()
}

#[test]
fn every_handle_reads_back_its_options() {
    let mut f = fa::Options::new().unwrap();
    read_back_all!(f, FaOption);
    let mut c = Cluster::new().unwrap();
    read_back_all!(c, ClusterOption);
    let mut m = model();
    read_back_all!(m, ModelOption);
    let space = Space::builtin("schwartz10").unwrap();
    let mut e = Evaluator::new(&space, 0).unwrap();
    read_back_all!(e, EvaluatorOption);
    let mut x = lexical::Options::new().unwrap();
    read_back_all!(x, LexicalOption);
    let mut l = Lexicon::new().unwrap();
    read_back_all!(l, LexiconOption);
    let mut a = Accum::new(2, 0, 0).unwrap();
    read_back_all!(a, AccumOption);
    let bank = Bank::builtin("valuelex").unwrap();
    let mut r = Runner::new(&bank, model(), Judge::Loglik).unwrap();
    read_back_all!(r, RunnerOption);
}

#[test]
fn documented_defaults_and_conversions() {
    let mut f = fa::Options::new().unwrap();
    assert_eq!(
        f.get(FaOption::Rotation).unwrap(),
        OptionValue::Str("oblimin".into())
    );
    f.set(FaOption::Method, "mle").unwrap(); // an alias reads back canonical
    assert_eq!(f.get(FaOption::Method).unwrap().as_str(), Some("ml"));
    f.set(FaOption::PromaxPower, 3).unwrap(); // an integer for a double option
    assert_eq!(
        f.get(FaOption::PromaxPower).unwrap(),
        OptionValue::Double(3.0)
    );
    assert_eq!(f.get(FaOption::Threads).unwrap(), OptionValue::Int(1));
    assert_eq!(f.get(FaOption::RotateStarts).unwrap(), OptionValue::Int(1));
    // the options of the added rotations and the bootstrap, with their documented defaults
    assert_eq!(f.get(FaOption::SimplimaxM).unwrap(), OptionValue::Int(0));
    assert_eq!(f.get(FaOption::BootIter).unwrap(), OptionValue::Int(100));
    assert_eq!(f.get(FaOption::BootAlpha).unwrap(), OptionValue::Double(0.05));
    f.set(FaOption::Rotation, "TargetQ").unwrap(); // psych's spelling reads back canonical
    assert_eq!(f.get(FaOption::Rotation).unwrap().as_str(), Some("targetQ"));
    f.set(FaOption::Rotation, "Promax").unwrap();
    assert_eq!(f.get(FaOption::Rotation).unwrap().as_str(), Some("Promax"));
    f.set(FaOption::Rotation, "oblimin").unwrap();
    let bank = Bank::builtin("valuelex").unwrap();
    let mut r = Runner::new(&bank, model(), Judge::Loglik).unwrap();
    assert_eq!(
        r.get(RunnerOption::Temperature).unwrap(),
        OptionValue::Double(1.0)
    );
    assert_eq!(
        r.get(RunnerOption::BankRef).unwrap().as_str(),
        Some("valuelex")
    );
    r.set(RunnerOption::ModelId, "m1").unwrap();
    assert_eq!(r.get(RunnerOption::ModelId).unwrap().as_str(), Some("m1"));
    let mut a = Accum::new(2, 0, 0).unwrap();
    a.set_scale_bits(20).unwrap();
    assert_eq!(a.scale_bits(), 20);
    assert_eq!(AccumOption::ScaleBits.bounds().unwrap(), (0.0, 62.0));
}

#[test]
fn bad_values_fail_and_change_nothing() {
    let mut f = fa::Options::new().unwrap();
    let e = f.set(FaOption::NFactors, 0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfRange);
    assert!(
        e.message()
            .contains("option nfactors = 0 is outside [1, 1000000]"),
        "{}",
        e.message()
    );
    assert_eq!(
        f.set(FaOption::NFactors, 2.5).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        f.set(FaOption::Rotation, "varimx").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        f.set(FaOption::ObliminGamma, f64::NAN).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(f.get(FaOption::NFactors).unwrap(), OptionValue::Int(1));
    assert_eq!(f.get(FaOption::Rotation).unwrap().as_str(), Some("oblimin"));
    // a string for a handle without string options is refused in Rust, as C would
    let mut m = model();
    let e = m.set(ModelOption::MaxBatch, "big").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(
        e.message().contains("max_batch holds an integer"),
        "{}",
        e.message()
    );
    let mut l = Lexicon::new().unwrap();
    assert_eq!(
        l.set(LexiconOption::MinFreq, 1.5).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        l.set(LexiconOption::MinFreq, 0).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    assert_eq!(l.get(LexiconOption::MinFreq).unwrap(), OptionValue::Int(1));
    assert_eq!(
        RunnerOption::Journal.bounds().unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
#[allow(deprecated)]
fn raw_id_methods_still_work() {
    let mut c = Cluster::new().unwrap();
    c.set_int(valuespace::sys::VS_CLUSTER_OPT_K, 4).unwrap();
    assert_eq!(c.get_int(valuespace::sys::VS_CLUSTER_OPT_K).unwrap(), 4);
    assert_eq!(c.get(ClusterOption::K).unwrap(), OptionValue::Int(4));
    assert_eq!(
        Cluster::option_bounds(valuespace::sys::VS_CLUSTER_OPT_TOL).unwrap(),
        ClusterOption::Tol.bounds().unwrap()
    );
    assert_eq!(
        Model::option_bounds(valuespace::sys::VS_MODEL_OPT_MAX_BATCH).unwrap(),
        (1.0, 1048576.0)
    );
    assert_eq!(
        Accum::option_bounds(valuespace::sys::VS_ACCUM_OPT_SCALE_BITS).unwrap(),
        (0.0, 62.0)
    );
    let space = Space::builtin("schwartz10").unwrap();
    let mut e = Evaluator::new(&space, 0).unwrap();
    e.set_double(valuespace::sys::VS_EVALUATOR_OPT_C, 2.0)
        .unwrap();
    assert_eq!(e.get(EvaluatorOption::C).unwrap(), OptionValue::Double(2.0));
}
