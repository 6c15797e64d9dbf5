//! The agreement report of one dimension: a hand-computed case, a perfect closure oracle and bad inputs.
use valuespace::evaluator::{agreement, Evaluation, Evaluator};
use valuespace::{ErrorKind, Space};

#[test]
fn agreement_by_hand() {
    // confusion (truth rows -1, 0, +1): [1 0 0; 0 1 1; 0 1 2]: p_o = 4/6, p_e = 14/36, kappa = 5/11.
    let t = [1.0, 1.0, 1.0, 0.0, 0.0, -1.0];
    let p = [1.0, 1.0, 0.0, 0.0, 1.0, -1.0];
    let a = agreement(&t, &p, 1, 0, 0.95, 1).unwrap();
    assert_eq!(a.n, 6);
    assert!((a.accuracy - 4.0 / 6.0).abs() < 1e-15);
    assert!((a.macro_f1 - (1.0 + 0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-15);
    assert!((a.kappa - 5.0 / 11.0).abs() < 1e-15);
    assert_eq!(a.confusion, [1, 0, 0, 0, 1, 1, 0, 1, 2]);
    assert_eq!((a.baseline_class, a.baseline_accuracy), (1.0, 0.5));
    assert!(a.kappa_low.is_nan());
}

#[test]
fn a_closure_oracle_agrees_perfectly() {
    let space = Space::builtin("schwartz10").unwrap();
    let truth: Vec<f64> = (0..200)
        .map(|i| [(-1.0), 0.0, 0.0, 1.0][(i * 7 + i / 3) % 4])
        .collect();
    let oracle = truth.clone();
    let ev = Evaluator::from_fn(&space, 0, move |items, k| {
        Ok(items
            .iter()
            .map(|it| {
                Ok(Evaluation {
                    values: vec![oracle[it.index]; k],
                    probs: None,
                })
            })
            .collect())
    })
    .unwrap();
    let texts: Vec<String> = (0..200).map(|i| format!("response {i}")).collect();
    let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
    let out = ev.predict(None, &refs).unwrap();
    let k = ev.dimension_count();
    let first: Vec<f64> = (0..200).map(|i| out.values[i * k]).collect();
    let a = agreement(&truth, &first, 1, 200, 0.9, 3).unwrap();
    assert_eq!((a.accuracy, a.macro_f1, a.kappa), (1.0, 1.0, 1.0));
    assert_eq!((a.kappa_low, a.kappa_high), (1.0, 1.0));
}

#[test]
fn bad_inputs() {
    let e = agreement(&[1.0, 2.0], &[1.0, 0.0], 1, 0, 0.95, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = agreement(&[1.0, 0.0], &[1.0, 0.0], 1, 3, 0.95, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfRange);
    let e = agreement(&[f64::NAN], &[1.0], 1, 0, 0.95, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Undefined);
    let e = agreement(&[1.0, 0.0], &[1.0], 1, 0, 0.95, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Mismatch);
}

/// A model that scores the human label's continuation highest (ids are ITEM/DIMENSION/CLASS).
struct Oracle {
    truth: Vec<f64>,
    k: usize,
    contexts: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl valuespace::model::Backend for Oracle {
    fn kinds(&self) -> Vec<valuespace::model::Kind> {
        vec![valuespace::model::Kind::Loglikelihood]
    }
    fn loglikelihood(
        &mut self,
        requests: &[valuespace::model::LoglikCall<'_>],
    ) -> valuespace::model::BatchResult<valuespace::model::Loglik> {
        Ok(requests
            .iter()
            .map(|r| {
                let f: Vec<usize> = r.id.split('/').map(|x| x.parse().unwrap()).collect();
                self.contexts.lock().unwrap().push(r.context.to_string());
                let want = self.truth[f[0] * self.k + f[1]] + 1.0;
                Ok(valuespace::model::Loglik {
                    logprob: if f[2] as f64 == want { -0.1 } else { -5.0 },
                    is_greedy: false,
                })
            })
            .collect())
    }
}

#[test]
fn a_prompted_oracle_agrees_perfectly() {
    use valuespace::evaluator::{fulcra_template, prompt_text};
    let space = Space::builtin("schwartz10").unwrap();
    let (n, k) = (60usize, 10usize);
    let truth: Vec<f64> = (0..n * k)
        .map(|i| [(-1.0), 0.0, 1.0, 0.0][(i * 5 + i / 7) % 4])
        .collect();
    let contexts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let model = valuespace::model::Model::from_backend(Oracle {
        truth: truth.clone(),
        k,
        contexts: contexts.clone(),
    })
    .unwrap();
    let ev = Evaluator::prompted(&space, 0, model, false, None).unwrap();
    let texts: Vec<String> = (0..n).map(|i| format!("answer {i}")).collect();
    let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
    let out = ev.predict(None, &refs).unwrap();
    for d in 0..k {
        let a = agreement(&truth[d..], &out.values[d..], k, 0, 0.95, 1).unwrap();
        assert_eq!((a.n, a.kappa, a.accuracy), (n, 1.0, 1.0));
    }
    let first = contexts.lock().unwrap()[0].clone();
    assert_eq!(first, prompt_text(&space, 0, "", "answer 0", None).unwrap());
    assert!(fulcra_template().ends_with("Answer:"));
    assert_eq!(ev.prompted_answer(0, 0), None); // score mode keeps no answers
                                                // a template without {dialogue}
    let model = valuespace::model::Model::from_backend(Oracle { truth, k, contexts }).unwrap();
    let e = Evaluator::prompted(&space, 0, model, false, Some("{value} only")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        prompt_text(&space, 99, "", "r", None).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
}
