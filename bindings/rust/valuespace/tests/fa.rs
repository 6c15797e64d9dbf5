//! Factor analysis on fixed matrices whose answer is known exactly: a correlation matrix built
//! as L L' + diag(1 - h^2) is fitted without residual, so the loadings come back.
use std::sync::Arc;
use std::thread;
use valuespace::fa::{
    Array, Data, FaOption, Method, Missing, Mode, Options, Rotation, ScoreMethod, Stat,
};
use valuespace::ErrorKind;

/// R = L L' with unit diagonal, for p x k loadings `l` (row-major).
fn implied_cor(l: &[f64], p: usize, k: usize) -> Vec<f64> {
    let mut r = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            r[i * p + j] = if i == j {
                1.0
            } else {
                (0..k).map(|f| l[i * k + f] * l[j * k + f]).sum()
            };
        }
    }
    r
}

fn assert_close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{:?} vs {:?}", got, want);
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol, "{:?} vs {:?}", got, want);
    }
}

const ONE: [f64; 4] = [0.8, 0.7, 0.6, 0.5];
#[rustfmt::skip]
const TWO: [f64; 12] = [
    0.9, 0.0,
    0.8, 0.0,
    0.7, 0.0,
    0.0, 0.6,
    0.0, 0.5,
    0.0, 0.4,
];

#[test]
fn one_factor_is_recovered_by_every_method() {
    let data = Data::from_cor(&implied_cor(&ONE, 4, 1), 4, 4, Some(200.0)).unwrap();
    assert_eq!(data.variable_count(), 4);
    assert_eq!(data.n_obs(), Some(200.0));
    for method in [Method::Minres, Method::Uls, Method::Pa, Method::Ml] {
        let mut options = Options::new().unwrap();
        options
            .set_mode(Mode::Tight)
            .unwrap()
            .set_method(method)
            .unwrap();
        let s = options.fit(&data).unwrap();
        assert_eq!((s.variable_count(), s.factor_count()), (4, 1));
        assert_close(&s.get(Array::Loadings).unwrap(), &ONE, 1e-5);
        let h2: Vec<f64> = ONE.iter().map(|l| l * l).collect();
        assert_close(&s.get(Array::Communality).unwrap(), &h2, 1e-5);
        let u2: Vec<f64> = h2.iter().map(|h| 1.0 - h).collect();
        assert_close(&s.get(Array::Uniquenesses).unwrap(), &u2, 1e-5);
        assert!(s.scalar(Stat::Rmsr).unwrap() < 1e-5, "{:?}", method);
        assert_eq!(s.scalar(Stat::Df).unwrap(), 2.0);
        assert_eq!(s.scalar(Stat::Converged).unwrap(), 1.0);
        assert_eq!(s.get(Array::Residual).unwrap().len(), 16);
    }
}

#[test]
fn two_factor_simple_structure_under_varimax() {
    let data = Data::from_cor(&implied_cor(&TWO, 6, 2), 6, 6, Some(500.0)).unwrap();
    let mut options = Options::new().unwrap();
    options
        .set_nfactors(2)
        .unwrap()
        .set_rotation(Rotation::Varimax)
        .unwrap()
        .set_mode(Mode::Tight)
        .unwrap();
    let s = options.fit(&data).unwrap();
    assert_close(&s.get(Array::Loadings).unwrap(), &TWO, 1e-4);
    assert_close(&s.get(Array::Phi).unwrap(), &[1.0, 0.0, 0.0, 1.0], 1e-12);
    assert_close(&s.get(Array::SsLoadings).unwrap(), &[1.94, 0.77], 1e-4);
    assert_eq!(s.get(Array::Variance).unwrap().len(), 10);
    assert_eq!(s.weights(ScoreMethod::Bartlett).unwrap().len(), 12);
    // A matrix has no raw scores.
    assert_eq!(
        s.get(Array::Scores).unwrap_err().kind(),
        ErrorKind::Undefined
    );

    // Factorability of the same matrix.
    assert_eq!(data.kaiser().unwrap(), 2);
    let ev = data.eigenvalues().unwrap();
    assert_eq!(ev.len(), 6);
    assert!(ev.windows(2).all(|w| w[0] >= w[1]));
    assert!((ev.iter().sum::<f64>() - 6.0).abs() < 1e-9);
    let kmo = data.kmo().unwrap();
    assert!(kmo.overall > 0.0 && kmo.overall < 1.0 && kmo.msa.len() == 6);
    let b = data.bartlett().unwrap();
    assert_eq!(b.df, 15.0);
    assert!(b.chi_square > 0.0 && b.p_value < 1e-10);
}

#[test]
fn raw_data_correlations_and_scores() {
    // Deterministic data: two latent variables plus noise from a fixed LCG.
    let mut state = 12345u64;
    let mut noise = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    let (rows, cols) = (200, 6);
    let mut x = Vec::with_capacity(rows * cols);
    for _ in 0..rows {
        let (f1, f2) = (noise(), noise());
        for (j, l) in TWO.chunks(2).enumerate() {
            x.push(l[0] * f1 + l[1] * f2 + 0.3 * noise() + j as f64);
        }
    }
    let data = Data::from_raw(&x, rows, cols, Missing::Pairwise).unwrap();
    assert_eq!(data.n_obs(), Some(rows as f64));
    // Pearson correlation computed here.
    let col = |j: usize| -> Vec<f64> { (0..rows).map(|i| x[i * cols + j]).collect() };
    let pearson = |a: &[f64], b: &[f64]| {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let sab: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let saa: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let sbb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        sab / (saa * sbb).sqrt()
    };
    let r = data.cor().unwrap();
    for i in 0..cols {
        for j in 0..cols {
            assert!((r[i * cols + j] - pearson(&col(i), &col(j))).abs() < 1e-12);
        }
    }
    let mut options = Options::new().unwrap();
    options
        .set_nfactors(2)
        .unwrap()
        .set_rotation(Rotation::Varimax)
        .unwrap();
    let s = options.fit(&data).unwrap();
    assert_eq!(s.get(Array::Scores).unwrap().len(), rows * 2);
    let new_scores = s
        .scores(ScoreMethod::Regression, &x[..10 * cols], 10, cols)
        .unwrap();
    assert_eq!(new_scores.len(), 20);
    // new rows are put on the fitted data's scale: the first rows get the fit's scores of them
    let fitted = s.get(Array::Scores).unwrap();
    for (a, b) in new_scores.iter().zip(&fitted[..20]) {
        assert!((a - b).abs() < 1e-12, "{} vs {}", a, b);
    }
    let (means, sds) = (s.get(Array::Means).unwrap(), s.get(Array::Sds).unwrap());
    assert_eq!(means.len(), cols);
    let m0 = col(0).iter().sum::<f64>() / rows as f64;
    assert!((means[0] - m0).abs() < 1e-12);
    let scaled = s
        .scores_scaled(ScoreMethod::Regression, &x[..10 * cols], 10, cols, &means, &sds)
        .unwrap();
    assert_eq!(scaled, new_scores);
    assert_eq!(
        s.scores_scaled(ScoreMethod::Regression, &x[..10 * cols], 10, cols, &means[1..], &sds)
            .unwrap_err()
            .kind(),
        ErrorKind::Mismatch
    );
    let zero = vec![0.0; cols];
    assert_eq!(
        s.scores_scaled(ScoreMethod::Regression, &x[..10 * cols], 10, cols, &means, &zero)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );
    // a fit of a correlation matrix has no means: refused
    let cdata = Data::from_cor(&r, cols, cols, Some(rows as f64)).unwrap();
    let cs = options.fit(&cdata).unwrap();
    assert_eq!(cs.get(Array::Means).unwrap_err().kind(), ErrorKind::Undefined);
    assert_eq!(
        cs.scores(ScoreMethod::Regression, &x[..10 * cols], 10, cols)
            .unwrap_err()
            .kind(),
        ErrorKind::Undefined
    );
    assert_eq!(
        s.scores(ScoreMethod::Regression, &x[..10 * cols], 10, cols - 1)
            .unwrap_err()
            .kind(),
        ErrorKind::Mismatch
    );
}

#[test]
fn parallel_analysis_and_map_are_seeded() {
    let data = Data::from_cor(&implied_cor(&TWO, 6, 2), 6, 6, Some(500.0)).unwrap();
    let mut options = Options::new().unwrap();
    options.set_int(FaOption::Seed, 7).unwrap();
    let a = options.parallel(&data).unwrap();
    let b = options.parallel(&data).unwrap();
    // Same seed, same numbers (compared as text: the resampled rows are NaN, and NaN != NaN).
    assert_eq!(format!("{:?}", a), format!("{:?}", b));
    assert_eq!(a.observed_pc.len(), 6);
    assert!(
        a.resampled_fa.iter().all(|v| v.is_nan()),
        "no resampling for matrix input"
    );
    assert!(a.nfactors >= 1 && a.ncomponents >= 1);
    let map = options.map(&data).unwrap();
    assert_eq!(map.values.len(), 5);
    assert!((1..=5).contains(&map.nfactors));
}

#[test]
fn options_round_trip_and_errors() {
    let mut o = Options::new().unwrap();
    assert_eq!(o.get_int(FaOption::NFactors).unwrap(), 1);
    o.set_str(FaOption::Rotation, "geominQ").unwrap();
    assert_eq!(
        o.get_int(FaOption::Rotation).unwrap(),
        Rotation::GeominQ.raw() as i64
    );
    o.set_double(FaOption::ObliminGamma, 0.5).unwrap();
    assert_eq!(o.get_double(FaOption::ObliminGamma).unwrap(), 0.5);
    assert_eq!(
        o.set_str(FaOption::Method, "nonsense").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        o.set_int(FaOption::NFactors, 0).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    let (lo, hi) = FaOption::NFactors.bounds().unwrap();
    assert!(lo == 1.0 && hi >= lo);

    assert_eq!(
        Data::from_cor(&[1.0, 0.5, 0.5], 2, 2, None)
            .unwrap_err()
            .kind(),
        ErrorKind::Mismatch
    );
    assert_eq!(
        Data::from_cor(&[1.0; 6], 2, 3, None).unwrap_err().kind(),
        ErrorKind::Mismatch
    );
    let unknown_n = Data::from_cor(&implied_cor(&ONE, 4, 1), 4, 4, None).unwrap();
    assert_eq!(unknown_n.n_obs(), None);
    assert_eq!(
        unknown_n.bartlett().unwrap_err().kind(),
        ErrorKind::Undefined
    );
    o.set_nfactors(5).unwrap();
    assert_eq!(
        o.fit(&unknown_n).unwrap_err().kind(),
        ErrorKind::OutOfRange,
        "k > p"
    );
}

#[test]
fn shared_options_and_data_fit_alike_on_many_threads() {
    let data = Arc::new(Data::from_cor(&implied_cor(&TWO, 6, 2), 6, 6, Some(500.0)).unwrap());
    let mut options = Options::new().unwrap();
    options
        .set_nfactors(2)
        .unwrap()
        .set_rotation(Rotation::Promax)
        .unwrap();
    let options = Arc::new(options);
    let first = options.fit(&data).unwrap().get(Array::Loadings).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (data, options) = (Arc::clone(&data), Arc::clone(&options));
            thread::spawn(move || options.fit(&data).unwrap().get(Array::Loadings).unwrap())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), first);
    }
}

/// Thurstone (psych's data set, n = 213) and psych::omega(Thurstone)'s coefficients with the
/// general factor's fit converged (tests/data/fa/reference_omega.txt, case o1).
#[rustfmt::skip]
const THURSTONE: [f64; 81] = [
    1.0, 0.828, 0.776, 0.439, 0.432, 0.447, 0.447, 0.541, 0.380,
    0.828, 1.0, 0.779, 0.493, 0.464, 0.489, 0.432, 0.537, 0.358,
    0.776, 0.779, 1.0, 0.460, 0.425, 0.443, 0.401, 0.534, 0.359,
    0.439, 0.493, 0.460, 1.0, 0.674, 0.590, 0.381, 0.350, 0.424,
    0.432, 0.464, 0.425, 0.674, 1.0, 0.541, 0.402, 0.367, 0.446,
    0.447, 0.489, 0.443, 0.590, 0.541, 1.0, 0.288, 0.320, 0.325,
    0.447, 0.432, 0.401, 0.381, 0.402, 0.288, 1.0, 0.555, 0.598,
    0.541, 0.537, 0.534, 0.350, 0.367, 0.320, 0.555, 1.0, 0.452,
    0.380, 0.358, 0.359, 0.424, 0.446, 0.325, 0.598, 0.452, 1.0,
];

#[test]
fn omega_matches_psych_on_thurstone() {
    use valuespace::fa::congruence;
    let data = Data::from_cor(&THURSTONE, 9, 9, Some(213.0)).unwrap();
    let mut options = Options::new().unwrap();
    options.set_nfactors(3).unwrap();
    let om = options.omega(&data).unwrap();
    assert_eq!(om.nfactors, 3);
    assert!(om.converged);
    let want = [
        0.93082541490260984,
        0.7360703182579672,
        0.79077161675369667,
        0.89145753563685015,
        0.9081762418004885,
        0.59690162785430634,
    ];
    let got = [
        om.omega_total,
        om.omega_hierarchical,
        om.omega_limit,
        om.alpha,
        om.g6,
        om.ecv,
    ];
    assert_close(&got, &want, 1e-4);
    assert_eq!(
        (om.sl_loadings.len(), om.subscales.len(), om.key.len()),
        (9 * 7, 12, 9)
    );
    options.set_rotation(Rotation::Varimax).unwrap();
    assert_eq!(
        options.omega(&data).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    // a saved solution loads back equal; congruence of a solution with itself is 1
    options.set_rotation(Rotation::Oblimin).unwrap();
    let s = options.fit(&data).unwrap();
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let text = s.save_json(Some(&names)).unwrap();
    let back = valuespace::fa::Solution::load_json(&text, Some("mem")).unwrap();
    assert_eq!(
        back.get(Array::Loadings).unwrap(),
        s.get(Array::Loadings).unwrap()
    );
    assert_eq!(back.variable(8).as_deref(), Some("i"));
    assert_eq!(s.variable(0), None);
    assert_eq!(back.scalar(Stat::ExtractionConverged).unwrap(), 1.0);
    let l = s.get(Array::Loadings).unwrap();
    let c = congruence(&l, &l, 9, 3, 3, true, false).unwrap();
    for j in 0..3 {
        assert!((c.phi[j * 3 + j] - 1.0).abs() < 1e-12);
    }
    assert_eq!(c.order, vec![0, 1, 2]);
    assert_eq!(
        congruence(&l, &l[..17], 9, 3, 2, false, false)
            .unwrap_err()
            .kind(),
        ErrorKind::Mismatch
    );
    assert!(valuespace::fa::Solution::load_json("{}", None).is_err());
}
