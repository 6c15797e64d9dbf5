//! Accumulators: shards merge bit-exactly, serialisation round trips, statistics.
use valuespace::accum::{item_hash, weight, Accum, CiMethod, LEVEL_DEFAULT};
use valuespace::ErrorKind;

/// 200 items x 3 repeats of 4 dimensions: 0/1 judgements, some values not observed (NaN) and
/// one dimension of reals.
fn rows() -> Vec<(String, [f64; 4])> {
    let mut out = Vec::new();
    for i in 0..200u32 {
        for r in 0..3u32 {
            let x = (i * 7 + r * 3) % 11;
            out.push((
                format!("item-{}", i),
                [
                    (x % 2) as f64,
                    if x == 5 {
                        f64::NAN
                    } else {
                        (x > 4) as u32 as f64
                    },
                    x as f64 * 0.1 - 0.3,
                    (i % 3) as f64,
                ],
            ));
        }
    }
    out
}

fn whole() -> Accum {
    let mut a = Accum::new(4, 500, 99).unwrap();
    for (id, v) in rows() {
        a.add_id(&id, &v).unwrap();
    }
    a
}

#[test]
fn shards_merge_bit_exactly() {
    let all = whole();
    assert_eq!(all.row_count(), 600);

    // Three shards by item hash, filled in reverse order with add_rows, shipped as bytes.
    let mut shards: Vec<Accum> = (0..3).map(|_| Accum::new(4, 500, 99).unwrap()).collect();
    for (id, v) in rows().into_iter().rev() {
        let h = item_hash(&id).unwrap();
        shards[(h % 3) as usize].add_rows(&[h], &v, 4).unwrap();
    }
    let blobs: Vec<Vec<u8>> = shards.iter().map(|s| s.serialize().unwrap()).collect();
    let mut merged = Accum::deserialize(&blobs[2]).unwrap();
    merged
        .merge(&Accum::deserialize(&blobs[0]).unwrap())
        .unwrap();
    merged
        .merge(&Accum::deserialize(&blobs[1]).unwrap())
        .unwrap();
    assert_eq!(merged.row_count(), 600);

    for d in 0..4 {
        let (a, b) = (all.stats(d).unwrap(), merged.stats(d).unwrap());
        assert_eq!(a.n, b.n);
        for (x, y) in [
            (a.exact_sum, b.exact_sum),
            (a.exact_mean, b.exact_mean),
            (a.exact_variance, b.exact_variance),
            (a.boot_mean, b.boot_mean),
            (a.boot_se, b.boot_se),
            (a.min, b.min),
            (a.max, b.max),
        ] {
            assert_eq!(x.to_bits(), y.to_bits(), "dimension {}", d);
        }
        let ra: Vec<u64> = all
            .replicate_means(d)
            .unwrap()
            .iter()
            .map(|x| x.to_bits())
            .collect();
        let rb: Vec<u64> = merged
            .replicate_means(d)
            .unwrap()
            .iter()
            .map(|x| x.to_bits())
            .collect();
        assert_eq!(ra, rb);
        let (lo, hi) = all.ci(d, CiMethod::Percentile, LEVEL_DEFAULT).unwrap();
        assert_eq!((lo.to_bits(), hi.to_bits()), {
            let (l, h) = merged.ci(d, CiMethod::Percentile, LEVEL_DEFAULT).unwrap();
            (l.to_bits(), h.to_bits())
        });
        assert!(lo <= a.exact_mean && a.exact_mean <= hi);
    }
}

#[test]
fn exact_statistics_match_a_hand_count() {
    let a = whole();
    // Dimension 0 is x % 2 with x = (7i + 3r) % 11; counted here in plain Rust, independently of
    // the library: the exact mean of 0/1 values is ones / n.
    let (mut ones, mut n) = (0u64, 0u64);
    for (_, v) in rows() {
        n += 1;
        ones += v[0] as u64;
    }
    let s = a.stats(0).unwrap();
    assert_eq!(s.n, n);
    assert_eq!(s.exact_mean, ones as f64 / n as f64);
    // Dimension 1 leaves x == 5 unobserved.
    let observed = rows().iter().filter(|(_, v)| !v[1].is_nan()).count() as u64;
    assert_eq!(a.stats(1).unwrap().n, observed);
    // Dimension 3 is i % 3 over 200 items x 3 repeats: min 0, max 2.
    let s3 = a.stats(3).unwrap();
    assert_eq!((s3.min, s3.max), (0.0, 2.0));
}

#[test]
fn serialisation_files_weights_and_errors() {
    let a = whole();
    let bytes = a.serialize().unwrap();
    assert_eq!(&bytes[..8], b"VSACCUM\n");
    let copy = Accum::deserialize(&bytes).unwrap();
    assert_eq!(copy.serialize().unwrap(), bytes);
    assert_eq!(a.clone().serialize().unwrap(), bytes);
    assert_eq!((copy.dimension_count(), copy.replicate_count(), copy.seed()), (4, 500, 99));
    assert_eq!(copy.scale_bits(), 32);

    let path = std::env::temp_dir().join(format!("vs-rust-accum-{}.bin", std::process::id()));
    a.save(&path).unwrap();
    assert_eq!(Accum::load(&path).unwrap().serialize().unwrap(), bytes);
    let _ = std::fs::remove_file(&path);

    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert_eq!(
        Accum::deserialize(&damaged).unwrap_err().kind(),
        ErrorKind::Corrupt
    );
    assert_eq!(
        Accum::deserialize(&bytes[..10]).unwrap_err().kind(),
        ErrorKind::Corrupt
    );

    let mut other = Accum::new(4, 500, 100).unwrap();
    assert_eq!(other.merge(&a).unwrap_err().kind(), ErrorKind::Mismatch);
    assert_eq!(
        other.add(1, &[1.0, 2.0]).unwrap_err().kind(),
        ErrorKind::Mismatch
    );
    assert_eq!(
        other
            .add(1, &[1.0, 2.0, f64::INFINITY, 0.0])
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        other.add(1, &[1e12, 0.0, 0.0, 0.0]).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    other.set_scale_bits(8).unwrap();
    other.add(1, &[1e12, 0.0, 0.0, 0.0]).unwrap();
    assert_eq!(
        other.set_scale_bits(16).unwrap_err().kind(),
        ErrorKind::State
    );

    // Weights are pure functions in 0..=12 with mean about 1.
    let h = item_hash("q1").unwrap();
    let w: Vec<u32> = (0..20000).map(|b| weight(5, b, h)).collect();
    assert!(w.iter().all(|&x| x <= 12));
    let mean = w.iter().map(|&x| x as f64).sum::<f64>() / w.len() as f64;
    assert!((mean - 1.0).abs() < 0.03, "{}", mean);
    assert_eq!(weight(5, 17, h), w[17]);
    assert_eq!(item_hash("q1").unwrap(), valuespace::text::hash(b"q1", 0));
}
