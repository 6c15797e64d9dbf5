//! The additions of the fa module through the safe wrapper: target rotation, alpha / minchi,
//! rank correlations and bootstrap intervals (their reference values against R are checked by
//! the C suites; here the wrapper's plumbing, known answers and errors).
use valuespace::fa::{CorKind, Data, FaOption, Method, Missing, Options, Rotation};
use valuespace::ErrorKind;

/// 60 rows of two blocks of three items with a little noise (deterministic).
fn two_blocks() -> Vec<f64> {
    let mut x = Vec::new();
    let mut s: u64 = 12345;
    let mut u = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64) / ((1u64 << 53) as f64) - 0.5
    };
    for _ in 0..60 {
        let (f1, f2) = (u() * 3.0, u() * 3.0);
        for i in 0..6 {
            let f = if i < 3 { f1 } else { f2 };
            x.push(f + u());
        }
    }
    x
}

#[test]
fn target_rotation_and_errors() {
    let x = two_blocks();
    let data = Data::from_raw(&x, 60, 6, Missing::Pairwise).unwrap();
    let mut o = Options::new().unwrap();
    o.set_nfactors(2)
        .unwrap()
        .set_rotation(Rotation::TargetQ)
        .unwrap();
    assert_eq!(o.fit(&data).unwrap_err().kind(), ErrorKind::InvalidArgument);
    o.set_target(&[1.0, 0.0, 1.0, 0.0, 1.0, 0.0], 3, 2).unwrap();
    assert_eq!(o.fit(&data).unwrap_err().kind(), ErrorKind::Mismatch);
    let t = [
        1.0,
        0.0,
        1.0,
        f64::NAN,
        1.0,
        0.0,
        0.0,
        1.0,
        0.0,
        1.0,
        0.0,
        1.0,
    ];
    o.set_target(&t, 6, 2).unwrap();
    let s = o.fit(&data).unwrap();
    let l = s.get(valuespace::fa::Array::Loadings).unwrap();
    // each block loads on its own factor
    for i in 0..6 {
        let (own, other) = if (i < 3) == (l[0] > l[1]) {
            (0, 1)
        } else {
            (1, 0)
        };
        assert!(
            l[i * 2 + own].abs() > 0.5 && l[i * 2 + other].abs() < 0.3,
            "{:?}",
            l
        );
    }
    o.clear_target().unwrap();
    assert_eq!(o.fit(&data).unwrap_err().kind(), ErrorKind::InvalidArgument);
    for r in [
        Rotation::Simplimax,
        Rotation::Biquartimin,
        Rotation::PromaxPlain,
        Rotation::TargetT,
    ] {
        o.set_rotation(r).unwrap();
        if r == Rotation::TargetT {
            o.set_target(&t, 6, 2).unwrap();
        }
        o.fit(&data).unwrap();
    }
}

#[test]
fn methods_and_rank_correlations() {
    let x = two_blocks();
    for m in [Method::Alpha, Method::Minchi] {
        let data = Data::from_raw(&x, 60, 6, Missing::Pairwise).unwrap();
        let mut o = Options::new().unwrap();
        o.set_nfactors(2).unwrap().set_method(m).unwrap();
        o.fit(&data).unwrap();
    }
    // Kendall's tau by hand: 1 2 3 4 against 1 3 2 4: (5 - 1) / 6
    let z = [1.0, 1.0, 2.0, 3.0, 3.0, 2.0, 4.0, 4.0];
    let d = Data::from_raw_kind(&z, 4, 2, Missing::Pairwise, CorKind::Kendall).unwrap();
    assert!((d.cor().unwrap()[1] - 4.0 / 6.0).abs() < 1e-15);
    let d = Data::from_raw_kind(&z, 4, 2, Missing::Listwise, CorKind::Spearman).unwrap();
    assert!((d.cor().unwrap()[1] - 0.8).abs() < 1e-15);
}

#[test]
fn bootstrap_is_thread_independent() {
    let x = two_blocks();
    let data = Data::from_raw(&x, 60, 6, Missing::Pairwise).unwrap();
    let mut o = Options::new().unwrap();
    o.set_nfactors(2).unwrap();
    o.set_int(FaOption::BootIter, 20)
        .unwrap()
        .set_int(FaOption::Seed, 9)
        .unwrap();
    let a = o.bootstrap(&data).unwrap();
    o.set_int(FaOption::Threads, 3).unwrap();
    let b = o.bootstrap(&data).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.loadings_len(), 12);
    let m = Data::from_cor(
        &[1.0, 0.5, 0.4, 0.5, 1.0, 0.3, 0.4, 0.3, 1.0],
        3,
        3,
        Some(50.0),
    )
    .unwrap();
    o.set_nfactors(1).unwrap();
    assert_eq!(o.bootstrap(&m).unwrap_err().kind(), ErrorKind::Undefined);
}

trait Len {
    fn loadings_len(&self) -> usize;
}
impl Len for valuespace::fa::Bootstrap {
    fn loadings_len(&self) -> usize {
        assert!(self.used >= 18);
        for (lo, hi) in self.lower.loadings.iter().zip(&self.upper.loadings) {
            assert!(lo <= hi);
        }
        self.mean.loadings.len()
    }
}
