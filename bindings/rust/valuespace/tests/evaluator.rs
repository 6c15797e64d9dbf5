//! Evaluators: a closure backend (panics, failures), the built-in model, metrics and profiles.
use std::panic::{self, AssertUnwindSafe};

use valuespace::evaluator::{
    metrics, Evaluation, Evaluator, EvaluatorOption, Profile, ProfileArray, ProfileStat,
};
use valuespace::{ErrorKind, Space};

#[test]
fn metrics_by_hand() {
    // truth (1, 0, -1, 1), prediction (1, 0, 1, 1): accuracy 3/4; F1(+1) = 2*2 / (2*2 + 1 + 0)
    // = 0.8, F1(0) = 1, F1(-1) = 0 / (0 + 0 + 1) = 0; macro over the three classes present: 0.6.
    let m = metrics(&[1.0, 0.0, -1.0, 1.0], &[1.0, 0.0, 1.0, 1.0], 1).unwrap();
    assert_eq!(m.n, 4);
    assert_eq!(m.accuracy, 0.75);
    assert!((m.f1[2] - 0.8).abs() < 1e-12);
    assert_eq!((m.f1[0], m.f1[1]), (0.0, 1.0));
    assert!((m.macro_f1 - 0.6).abs() < 1e-12);
    // Row -1 (truth) column +1 (prediction) of the confusion matrix.
    assert_eq!(m.confusion[2], 1);
}

#[test]
fn a_closure_evaluator_and_its_failures() {
    let space = Space::builtin("schwartz10").unwrap();
    let ev = Evaluator::from_fn(&space, 0, |items, k| {
        Ok(items
            .iter()
            .map(|it| {
                if it.response == "fail" {
                    Err(format!("cannot judge item {}", it.index))
                } else {
                    Ok(Evaluation {
                        values: vec![it.response.len() as f64; k],
                        probs: None,
                    })
                }
            })
            .collect())
    })
    .unwrap();
    assert!(ev.is_callback() && ev.is_ready());
    assert_eq!(ev.dimension_count(), 10);
    let p = ev.predict(None, &["ab", "abcd"]).unwrap();
    assert_eq!(&p.values[..10], &[2.0; 10]);
    assert_eq!(&p.values[10..], &[4.0; 10]);
    assert!(p.probs.iter().all(|x| x.is_nan()));

    let (p, err) = ev
        .predict_partial(Some(&["q", "q"]), &["fail", "ok"])
        .unwrap();
    let err = err.unwrap();
    assert_eq!(err.kind(), ErrorKind::Callback);
    assert!(err.message().contains("cannot judge item 0"), "{}", err);
    assert!(p.values[0].is_nan());
    assert_eq!(p.values[10], 2.0);
    assert_ne!(p.statuses[0], 0);
    assert_eq!(p.statuses[1], 0);

    let boom = Evaluator::from_fn(&space, 0, |_items, _k| panic!("evaluator blew up")).unwrap();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| boom.predict(None, &["x"])));
    let payload = caught.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"evaluator blew up"));
}

#[test]
fn the_builtin_model_learns_a_separable_toy_task() {
    let space = Space::builtin("schwartz10").unwrap();
    let mut ev = Evaluator::new(&space, 0).unwrap();
    ev.set(EvaluatorOption::Buckets, 1 << 10).unwrap();
    let responses = [
        "i will help you gladly",
        "happy to help you",
        "go away i refuse",
        "i refuse to do that",
    ];
    // Dimension 0 follows help (+1) / refuse (-1); the others are unlabelled (NaN).
    let mut labels = vec![f64::NAN; 4 * 10];
    for (i, v) in [1.0, 1.0, -1.0, -1.0].iter().enumerate() {
        labels[i * 10] = *v;
    }
    ev.train(None, &responses, &labels).unwrap();
    assert!(ev.is_ready());
    let p = ev
        .predict(None, &["please let me help", "i refuse"])
        .unwrap();
    assert_eq!(p.values[0], 1.0);
    assert_eq!(p.values[10], -1.0);
    assert!(p.values[1].is_nan());
    let bytes = ev.save_buffer().unwrap();
    let again = Evaluator::load_buffer(&bytes, Some(&space)).unwrap();
    assert_eq!(again.predict(None, &["i refuse"]).unwrap().values[0], -1.0);
    assert_eq!(
        ev.set(EvaluatorOption::Buckets, 1 << 12)
            .unwrap_err()
            .kind(),
        ErrorKind::State
    );
    let cv = ev
        .cross_validate(None, &responses, &labels, None, 2, 1)
        .unwrap();
    assert_eq!((cv.len(), cv.dimension_count(), cv.fold_count()), (4, 10, 2));
}

#[test]
fn profiles_by_hand() {
    // Group 0 has rows (1, 0) and (0, 1): mean (0.5, 0.5); group 1 has (1, 1).
    let values = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
    let p = Profile::compute(&values, 2, Some(&[4, 4, 9]), None, 0.3, 0, 0.95, 0).unwrap();
    assert_eq!(p.group_count(), 2);
    assert_eq!((p.group_id(0), p.group_id(1)), (Some(4), Some(9)));
    assert_eq!(p.group_item_count(0), 2);
    assert_eq!(p.get(0, ProfileArray::Mean).unwrap(), vec![0.5, 0.5]);
    assert_eq!(p.get(1, ProfileArray::Mean).unwrap(), vec![1.0, 1.0]);
    assert!(p.get(0, ProfileArray::CiLow).unwrap()[0].is_nan());
    assert!(p.scalar(0, ProfileStat::Distance).unwrap().is_nan());
}

#[test]
fn fulcra_reward_per_response() {
    // Four responses, each expressing one value strongly (dimensions 3, 5, 7, 8 at +1, -1, +1,
    // +1) against the default target (1 on 3, 5, 7, 8, 9): the mean is +-0.25, below the 0.3
    // mask everywhere, so the mean vector has no distance (n/a, not a perfect 0); per response
    // the rewards are 0, -|-1 - 1| * 1 = -2, 0, 0: mean -0.5, every response covered.
    let mut values = [0.0; 40];
    values[3] = 1.0;
    values[10 + 5] = -1.0;
    values[20 + 7] = 1.0;
    values[30 + 8] = 1.0;
    let target = valuespace::align_target("default").unwrap();
    let p = Profile::compute(&values, 10, None, Some(&target), 0.3, 0, 0.95, 0).unwrap();
    assert!(p.scalar(0, ProfileStat::Distance).unwrap().is_nan());
    assert!(p.scalar(0, ProfileStat::Rank).unwrap().is_nan());
    assert!((p.scalar(0, ProfileStat::Reward).unwrap() + 0.5).abs() < 1e-12);
    assert_eq!(p.scalar(0, ProfileStat::RewardRank).unwrap(), 1.0);
    assert_eq!(p.scalar(0, ProfileStat::Coverage).unwrap(), 1.0);
    assert!(p.scalar(0, ProfileStat::RewardCiLow).unwrap().is_nan()); // no replicates
}

#[test]
fn an_evaluator_as_classify_judge() {
    use valuespace::model::{ItemStatus, Model, TextRequest};
    use valuespace::projective::{Bank, Judge, Runner};
    // A closure evaluator: "help" -> probabilities (0, 0, 1) on every value, "refuse" ->
    // (1, 0, 0), else (0, 1, 0). P(high) = (1 + p(+1) - p(-1)) / 2 = 1, 0 and 0.5 (by hand).
    let space = Space::builtin("schwartz10").unwrap();
    let make = |space: &Space| {
        Evaluator::from_fn(space, 0, |items, k| {
            Ok(items
                .iter()
                .map(|it| {
                    let (v, p) = if it.response.contains("help") {
                        (1.0, [0.0, 0.0, 1.0])
                    } else if it.response.contains("refuse") {
                        (-1.0, [1.0, 0.0, 0.0])
                    } else {
                        (0.0, [0.0, 1.0, 0.0])
                    };
                    Ok(Evaluation {
                        values: vec![v; k],
                        probs: Some(vec![p; k].concat()),
                    })
                })
                .collect())
        })
        .unwrap()
    };
    let mut judge = make(&space).into_judge().unwrap();
    let mut req = TextRequest::new("a", "I help");
    req.context = Some("When I can, I".into());
    let r = judge
        .classify(
            &[req, TextRequest::new("b", "no")],
            &["power", "Benevolence"],
        )
        .unwrap();
    assert_eq!(r.vector(0).unwrap(), vec![1.0, 1.0]);
    assert_eq!(r.vector(1).unwrap(), vec![0.5, 0.5]);
    let r = judge
        .classify(&[TextRequest::new("c", "x")], &["not-a-value"])
        .unwrap();
    assert_eq!(r.status(0), Some(ItemStatus::Permanent));
    assert!(r.error(0).contains("not-a-value"));

    // In a runner: repeat 0 writes "help" (judged high), repeat 1 "refuse" (low): every
    // dimension scores exactly 50.
    let bank = Bank::builtin("schwartz10").unwrap();
    let writer = Model::builder()
        .generate(|calls| {
            Ok(calls
                .iter()
                .map(|c| {
                    Ok(if c.repeat == 0 {
                        "I help".into()
                    } else {
                        "I refuse".into()
                    })
                })
                .collect())
        })
        .build()
        .unwrap();
    let mut runner = Runner::new(
        &bank,
        writer,
        Judge::Classify(Some(make(&space).into_judge().unwrap())),
    )
    .unwrap();
    runner.set_repeats(2).unwrap();
    let res = runner.run().unwrap();
    assert_eq!((res.done(), res.failed()), (230, 0));
    for s in res.scores() {
        assert_eq!(s.score, Some(50.0));
    }
}
