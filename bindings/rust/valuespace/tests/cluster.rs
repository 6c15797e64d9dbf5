//! Clustering, silhouettes and the adjusted Rand index against hand computations.
use valuespace::cluster::{
    adjusted_rand, silhouette, Array, Cluster, ClusterOption, Linkage, Method, Stat,
};
use valuespace::ErrorKind;

#[test]
fn kmeans_on_two_separated_groups() {
    // Two groups in 2-D; the means are (1/3, 1/3) and (10, 10 + 1/3) by hand, the inertia the
    // sum of squared distances to them: group 1: 2 * (1/9 + 1/9) + (4/9 + 4/9)... computed below.
    let x = [
        0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 10.0, 10.0, 10.0, 11.0, 10.0, 10.0,
    ];
    let mut c = Cluster::new().unwrap();
    c.set_k(2).unwrap().set_seed(1).unwrap();
    let r = c.fit(&x, 2).unwrap();
    assert_eq!(r.labels().unwrap(), vec![0, 0, 0, 1, 1, 1]);
    let centers = r.get(Array::Centers).unwrap();
    let want = [1.0 / 3.0, 1.0 / 3.0, 10.0, 10.0 + 1.0 / 3.0];
    for (a, b) in centers.iter().zip(want) {
        assert!((a - b).abs() < 1e-12, "{:?}", centers);
    }
    let mut inertia = 0.0;
    for (i, p) in x.chunks(2).enumerate() {
        let m = &want[(i / 3) * 2..(i / 3) * 2 + 2];
        inertia += (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2);
    }
    assert!((r.scalar(Stat::Inertia).unwrap() - inertia).abs() < 1e-12);
    assert_eq!(r.get(Array::Sizes).unwrap(), vec![3.0, 3.0]);
    assert_eq!(
        r.get(Array::LinkageMatrix).unwrap_err().kind(),
        ErrorKind::Undefined
    );
    assert_eq!(c.fit(&x[..5], 2).unwrap_err().kind(), ErrorKind::Mismatch);
    let mut bad = x;
    bad[3] = f64::NAN;
    assert_eq!(
        c.fit(&bad, 2).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn average_linkage_heights_by_hand() {
    // 1-D points 0, 1, 5, 6, 20 (average linkage): {0,1} and {5,6} merge at 1; those two at
    // (5 + 6 + 4 + 5) / 4 = 5; then 20 at (20 + 19 + 15 + 14) / 4 = 17.
    let x = [0.0, 1.0, 5.0, 6.0, 20.0];
    let mut c = Cluster::new().unwrap();
    c.set_method(Method::Agglomerative)
        .unwrap()
        .set_linkage(Linkage::Average)
        .unwrap()
        .set_k(3)
        .unwrap();
    let r = c.fit(&x, 1).unwrap();
    let z = r.get(Array::LinkageMatrix).unwrap();
    let heights: Vec<f64> = z.chunks(4).map(|row| row[2]).collect();
    assert_eq!(heights, vec![1.0, 1.0, 5.0, 17.0]);
    assert_eq!(z.chunks(4).last().unwrap()[3], 5.0);
    assert_eq!(r.labels().unwrap(), vec![0, 0, 1, 1, 2]);
    c.set(ClusterOption::Linkage, "complete").unwrap();
    assert_eq!(
        c.set(ClusterOption::Linkage, "single").unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn silhouette_and_adjusted_rand_by_hand() {
    // Points 0, 1, 10, 11 in clusters {0,1}, {10,11}: s(0) = (10.5 - 1) / 10.5,
    // s(1) = (9.5 - 1) / 9.5, and symmetrically for the other cluster.
    let x = [0.0, 1.0, 10.0, 11.0];
    let (mean, s) = silhouette(None, &x, 1, &[0, 0, 1, 1]).unwrap();
    let (s0, s1) = (9.5 / 10.5, 8.5 / 9.5);
    assert!((s[0] - s0).abs() < 1e-12 && (s[1] - s1).abs() < 1e-12);
    assert!((mean - (s0 + s1) / 2.0).abs() < 1e-12);
    // ARI: the same partition with other label values is 1. For [0,0,1,1] vs [0,1,0,1] every
    // contingency cell is 1: index 0, expected (2 * 2) / C(4,2) = 2/3, max 2, so
    // ARI = (0 - 2/3) / (2 - 2/3) = -0.5.
    assert_eq!(adjusted_rand(&[0, 0, 1, 1], &[7, 7, 3, 3]).unwrap(), 1.0);
    assert!((adjusted_rand(&[0, 0, 1, 1], &[0, 1, 0, 1]).unwrap() + 0.5).abs() < 1e-12);
    assert_eq!(
        adjusted_rand(&[0], &[0, 1]).unwrap_err().kind(),
        ErrorKind::Mismatch
    );

    // choose_k finds the two groups.
    let mut c = Cluster::new().unwrap();
    c.set(ClusterOption::KMax, 3).unwrap();
    let r = c.choose_k(&[0.0, 0.1, 0.2, 9.0, 9.1, 9.2], 1).unwrap();
    assert_eq!(r.scalar(Stat::K).unwrap(), 2.0);
    assert_eq!(r.get(Array::KScores).unwrap().len(), 2);
}
