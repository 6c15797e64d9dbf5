//! Parity with the C and Python suites on one fixed matrix: the Thurstone correlation matrix
//! (tests/data/fa/thurstone.csv, n = 213), minres + oblimin, 3 factors, psych mode, against
//! R psych 2.2.9 (`fa(Thurstone, 3, n.obs = 213)`); the expected numbers are those of
//! bindings/python/tests/test_fa.py.
use std::path::PathBuf;
use valuespace::fa::{Array, Data, Method, Mode, Options, Rotation, Stat};

const N: f64 = 213.0;

#[rustfmt::skip]
const OBLIMIN_LOADINGS: [f64; 27] = [
    0.9008473576, -0.032957823, 0.0413776812,
    0.8901111883, 0.064935005, -0.0304250810,
    0.8377134570, 0.031117875, 0.0049427452,
    -0.0011855049, 0.853319782, 0.0021659612,
    -0.0175373207, 0.747175485, 0.1038624641,
    0.1801093322, 0.625524804, -0.0821509292,
    0.0309157364, -0.013886463, 0.8420856966,
    0.3821213249, -0.050099972, 0.4631057401,
    -0.0597254136, 0.212355215, 0.6267309453,
];
#[rustfmt::skip]
const OBLIMIN_PHI: [f64; 9] = [
    1.0, 0.592627729983602, 0.533443439413927,
    0.592627729983602, 1.0, 0.515133644375170,
    0.533443439413927, 0.515133644375170, 1.0,
];
const OBLIMIN_UNIQUENESSES: [f64; 9] = [
    0.182502716643095,
    0.164981374306399,
    0.261770314818855,
    0.271136814183578,
    0.368155736482237,
    0.504724928481889,
    0.274524418501913,
    0.494801987077159,
    0.476396671817130,
];
const OBLIMIN_SS: [f64; 3] = [2.647368317452857, 1.866567885684965, 1.487068834549925];

/// The matrix of the repository's data file (header row of names, then 9 rows).
fn thurstone() -> Vec<f64> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/data/fa/thurstone.csv");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    assert_eq!(lines.next().unwrap().split(',').count(), 9);
    let r: Vec<f64> = lines
        .flat_map(|l| l.split(',').map(|c| c.trim().parse::<f64>().unwrap()))
        .collect();
    assert_eq!(r.len(), 81);
    r
}

fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{}", what);
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol,
            "{}[{}]: {} vs psych {}",
            what,
            i,
            g,
            w
        );
    }
}

#[test]
fn thurstone_minres_oblimin_matches_psych() {
    let r = thurstone();
    assert_eq!(r[1], 0.828);
    let data = Data::from_cor(&r, 9, 9, Some(N)).unwrap();
    assert_eq!((data.variable_count(), data.n_obs()), (9, Some(N)));
    let mut options = Options::new().unwrap();
    options
        .set_nfactors(3)
        .unwrap()
        .set_method(Method::Minres)
        .unwrap()
        .set_rotation(Rotation::Oblimin)
        .unwrap()
        .set_mode(Mode::Psych)
        .unwrap();
    let s = options.fit(&data).unwrap();
    assert_eq!((s.variable_count(), s.factor_count()), (9, 3));
    assert_close(
        "loadings",
        &s.get(Array::Loadings).unwrap(),
        &OBLIMIN_LOADINGS,
        1e-5,
    );
    assert_close("Phi", &s.get(Array::Phi).unwrap(), &OBLIMIN_PHI, 1e-5);
    assert_close(
        "uniquenesses",
        &s.get(Array::Uniquenesses).unwrap(),
        &OBLIMIN_UNIQUENESSES,
        1e-5,
    );
    assert_close(
        "SS loadings",
        &s.get(Array::SsLoadings).unwrap(),
        &OBLIMIN_SS,
        1e-5,
    );
    assert!((s.scalar(Stat::Objective).unwrap() - 0.014440902811).abs() < 1e-6);
    assert!((s.scalar(Stat::ChiSquare).unwrap() - 2.977232796189).abs() < 1e-4);
    assert_eq!(s.scalar(Stat::Df).unwrap(), 12.0);
    assert!((s.scalar(Stat::Rmsr).unwrap() - 0.005841435927).abs() < 1e-6);
    assert_eq!(s.scalar(Stat::Converged).unwrap(), 1.0);
}
