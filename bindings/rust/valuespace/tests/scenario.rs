//! The end-to-end scenario shared with the C and Python suites (same inputs, same numbers):
//! a built-in space, the docs/METHODS.md BaseAlign worked example, ipsatisation, and the vector
//! operations on top.
use valuespace::{
    align_target, align_target_names, basealign, basealign_unmasked, Aggregate, Metric, Scores,
    Space, Vector, BASEALIGN_THRESHOLD,
};

const RAW: [f64; 10] = [0.1, -0.2, 0.0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9];

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn schwartz10_loads() {
    assert!(valuespace::version_compatible());
    assert_eq!(valuespace::version_string(), "0.1.0");
    let space = Space::builtin("schwartz10").unwrap();
    assert_eq!(space.name(), "schwartz10");
    let level0 = space.level(0).unwrap();
    assert_eq!((level0.offset, level0.size), (0, 10));
    assert_eq!(space.level_dimensions(0).len(), 10);
    // Folded lookup: all spellings find the same dimension.
    let i = space.find("Self-Direction").unwrap();
    assert_eq!(space.find("self direction").unwrap(), i);
    assert_eq!(space.find("SELF_DIRECTION").unwrap(), i);
    assert_eq!(space.find_in_level(0, "universalism").unwrap(), 9);
    assert_eq!(space.dimension(9).unwrap().index(), 9);
    assert!(space.dimension(space.dimension_count()).is_none());
    // Built-in names match the folding rule too.
    assert_eq!(
        Space::builtin("Schwartz10").unwrap().dimension_count(),
        space.dimension_count()
    );
}

#[test]
fn basealign_worked_example_default_target() {
    let space = Space::builtin("schwartz10").unwrap();
    let scores = Vector::from_values(&space, 0, &RAW).unwrap();
    let target = align_target("default").unwrap();
    assert_eq!(
        target.values(),
        [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    );

    let r = basealign(&scores, &target, Scores::Raw, BASEALIGN_THRESHOLD).unwrap();
    assert_eq!(r.mask, [0, 0, 0, 1, 1, 1, 0, 0, 1, 1]);
    assert!(close(r.distance, 2.319675, 1e-6), "distance {}", r.distance);
    assert!(close(r.reward, -2.319675, 1e-6), "reward {}", r.reward);
    assert_eq!(r.reward, -r.distance);

    let u = basealign_unmasked(&scores, &target, Scores::Raw).unwrap();
    assert!(close(u.l1, 3.074756, 1e-6), "L1 {}", u.l1);
    assert!(close(u.l2, 1.952429, 1e-6), "L2 {}", u.l2);
}

#[test]
fn basealign_worked_example_uk_target_and_squashed_scores() {
    let space = Space::builtin("schwartz10").unwrap();
    let scores = Vector::from_values(&space, 0, &RAW).unwrap();
    let uk = align_target("UK").unwrap();
    let r = basealign(&scores, &uk, Scores::Raw, BASEALIGN_THRESHOLD).unwrap();
    assert!(
        close(r.distance, 1.281675, 1e-6),
        "uk distance {}",
        r.distance
    );
    assert_eq!(r.mask, [0, 0, 0, 1, 1, 1, 0, 0, 1, 1]);

    // Giving tanh(raw) as already-squashed scores is the same computation.
    let squashed: Vec<f64> = RAW.iter().map(|x| x.tanh()).collect();
    let s = Vector::from_values(&space, 0, &squashed).unwrap();
    let target = align_target("default").unwrap();
    let r2 = basealign(&s, &target, Scores::Squashed, BASEALIGN_THRESHOLD).unwrap();
    assert!(close(r2.distance, 2.319675, 1e-6));

    let names = align_target_names();
    assert_eq!(names.len(), 4);
    for name in names {
        assert_eq!(align_target(name).unwrap().len(), 10);
    }
}

#[test]
fn ipsatisation_worked_example() {
    let space = Space::builtin("schwartz10").unwrap();
    let mut v = Vector::from_values(&space, 0, &[5., 4., 6., 3., 2., 5., 4., 4., 6., 5.]).unwrap();
    v.ipsatize().unwrap();
    let want = [0.6, -0.4, 1.6, -1.4, -2.4, 0.6, -0.4, -0.4, 1.6, 0.6];
    for (got, want) in v.values().iter().zip(want) {
        assert!(close(*got, want, 1e-12), "{:?}", v.values());
    }
}

#[test]
fn get_set_by_index_and_name_with_missing_entries() {
    let space = Space::builtin("schwartz10").unwrap();
    let mut v = Vector::new(&space, 0).unwrap();
    assert_eq!(v.len(), 10);
    assert!(!v.is_empty());
    assert_eq!(v.missing_count(), 10);
    assert!(v.get(3).unwrap().is_nan());
    v.set(3, 0.5).unwrap();
    v.set_by_name("self direction", -1.0).unwrap();
    assert_eq!(v.get(3).unwrap(), 0.5);
    assert_eq!(v.get(0).unwrap(), -1.0);
    assert_eq!(v.get_by_name("Self-Direction").unwrap(), -1.0);
    assert_eq!(v.missing_count(), 8);
    v.set(3, f64::NAN).unwrap();
    assert_eq!(v.missing_count(), 9);

    let c = v.clone();
    v.set(0, 2.0).unwrap();
    assert_eq!(c.get(0).unwrap(), -1.0, "a clone is independent");
    assert_eq!(v.level(), 0);
    assert_eq!(v.space().name(), "schwartz10");
}

#[test]
fn compare_metrics_and_weighted_sum() {
    let space = Space::builtin("schwartz10").unwrap();
    let a = Vector::from_values(&space, 0, &[1., 2., 3., 4., 5., 6., 7., 8., 9., 10.]).unwrap();
    let mut b = Vector::from_values(&space, 0, &[2., 2., 3., 4., 5., 6., 7., 8., 9., 12.]).unwrap();
    assert!(close(a.compare(&b, Metric::L1).unwrap(), 3.0, 1e-12));
    assert!(close(
        a.compare(&b, Metric::L2).unwrap(),
        5f64.sqrt(),
        1e-12
    ));
    let swapped =
        Vector::from_values(&space, 0, &[2., 1., 3., 4., 5., 6., 7., 8., 9., 10.]).unwrap();
    assert!(close(
        a.compare(&swapped, Metric::Spearman).unwrap(),
        1.0 - 6.0 * 2.0 / (10.0 * 99.0),
        1e-12
    ));
    assert!(close(a.compare(&a, Metric::Cosine).unwrap(), 1.0, 1e-12));
    // Only entries present in both count.
    b.set(9, f64::NAN).unwrap();
    assert!(close(a.compare(&b, Metric::L1).unwrap(), 1.0, 1e-12));

    let w = Vector::from_values(&space, 0, &[1., 0., 0., 0., 0., 0., 0., 0., 0., -1.]).unwrap();
    assert!(close(a.weighted_sum(&w, false).unwrap(), 1.0 - 10.0, 1e-12));
    assert!(close(
        a.weighted_sum(&w, true).unwrap(),
        (1.0 - 10.0) / 2.0,
        1e-12
    ));
}

#[test]
fn aggregation_follows_the_hierarchy() {
    let space = Space::builtin("schwartz10").unwrap();
    assert!(
        space.level_count() >= 2,
        "schwartz10 has a higher-order level"
    );
    let values: Vec<f64> = (0..10).map(|i| i as f64 - 4.5).collect();
    let v = Vector::from_values(&space, 0, &values).unwrap();
    let up = v.aggregate(1, Aggregate::Mean).unwrap();
    assert_eq!(up.level(), 1);
    let level1 = space.level(1).unwrap();
    assert_eq!(up.len(), level1.size);
    // The mean of the children that have a parent there, computed from the space's own map.
    for (j, parent) in space.level_dimensions(1).enumerate() {
        let children: Vec<f64> = space
            .level_dimensions(0)
            .filter(|d| d.parent(1).map(|p| p.index()) == Some(parent.index()))
            .map(|d| values[d.index()])
            .collect();
        let got = up.get(j).unwrap();
        if children.is_empty() {
            assert!(got.is_nan());
        } else {
            let mean = children.iter().sum::<f64>() / children.len() as f64;
            assert!(
                close(got, mean, 1e-12),
                "{}: {} vs {}",
                parent.key(),
                got,
                mean
            );
        }
    }
    let votes = v.aggregate(1, Aggregate::SignVote).unwrap();
    assert!(votes
        .values()
        .iter()
        .all(|x| x.is_nan() || [-1.0, 0.0, 1.0].contains(x)));
    assert!(v.aggregate(1, Aggregate::MaxMagnitude).is_ok());
}

#[test]
fn circle_fit_recovers_a_sinusoid() {
    let space = Space::builtin("schwartz10").unwrap();
    let angles: Vec<f64> = space
        .level_dimensions(0)
        .map(|d| d.angle().expect("schwartz10 angles"))
        .collect();
    let values: Vec<f64> = angles
        .iter()
        .map(|a| 1.0 + 2.0 * (a - 30.0).to_radians().cos())
        .collect();
    let fit = Vector::from_values(&space, 0, &values)
        .unwrap()
        .circle_fit()
        .unwrap();
    assert_eq!(fit.n, 10);
    assert!(close(fit.mesor, 1.0, 1e-9), "{:?}", fit);
    assert!(close(fit.amplitude, 2.0, 1e-9), "{:?}", fit);
    assert!(close(fit.phase_degrees, 30.0, 1e-7), "{:?}", fit);
    assert!(close(fit.r_squared, 1.0, 1e-9), "{:?}", fit);
}

#[test]
fn dropping_the_space_before_its_vectors_is_fine() {
    let space = Space::builtin("schwartz10").unwrap();
    let v = Vector::from_values(&space, 0, &RAW).unwrap();
    drop(space);
    // The vector keeps the space alive.
    assert_eq!(v.space().name(), "schwartz10");
    assert_eq!(
        v.space().dimension(0).unwrap().label(),
        v.space().level_dimensions(0).next().unwrap().label()
    );
    let target = align_target("default").unwrap();
    let r = basealign(&v, &target, Scores::Raw, BASEALIGN_THRESHOLD).unwrap();
    assert!(close(r.distance, 2.319675, 1e-6));
    drop(v);
    drop(target);
}
