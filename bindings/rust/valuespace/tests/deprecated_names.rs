//! The former method names (README, "Deprecated names") keep working and return what the new
//! names return; the sys crate still binds the former C names, which return the same.
#![allow(deprecated)]
use valuespace::accum::Accum;
use valuespace::evaluator::{Evaluator, Evaluation, Profile};
use valuespace::fa::{Data, Options};
use valuespace::{sys, Space};

#[test]
fn accum_former_names() {
    let mut a = Accum::new(3, 20, 9).unwrap();
    for i in 0..7 {
        a.add_id(&format!("item-{}", i), &[1.0, 2.0, i as f64]).unwrap();
    }
    assert_eq!((a.dims(), a.replicates(), a.rows()), (3, 20, 7));
    assert_eq!(
        (a.dims(), a.replicates(), a.rows()),
        (a.dimension_count(), a.replicate_count(), a.row_count())
    );
    let p = a.as_ptr();
    unsafe {
        assert_eq!(
            (sys::vs_accum_dims(p), sys::vs_accum_replicates(p), sys::vs_accum_rows(p)),
            (3, 20, 7)
        );
    }
}

#[test]
fn fa_former_names() {
    // one factor with loadings .8 .7 .6 .5: r_ij = l_i l_j
    let l = [0.8, 0.7, 0.6, 0.5];
    let mut r = vec![0.0; 16];
    for i in 0..4 {
        for j in 0..4 {
            r[i * 4 + j] = if i == j { 1.0 } else { l[i] * l[j] };
        }
    }
    let data = Data::from_cor(&r, 4, 4, Some(200.0)).unwrap();
    assert_eq!((data.nvars(), data.variable_count()), (4, 4));
    let s = Options::new().unwrap().fit(&data).unwrap();
    assert_eq!((s.nvars(), s.nfactors()), (s.variable_count(), s.factor_count()));
    assert_eq!((s.nvars(), s.nfactors()), (4, 1));
}

#[test]
fn evaluator_and_dataset_former_names() {
    let space = Space::builtin("schwartz10").unwrap();
    let ev = Evaluator::from_fn(&space, 0, |items, k| {
        Ok(items
            .iter()
            .map(|_| {
                Ok(Evaluation {
                    values: vec![1.0; k],
                    probs: None,
                })
            })
            .collect())
    })
    .unwrap();
    assert_eq!((ev.size(), ev.dimension_count()), (10, 10));
    assert_eq!(ev.active_buckets(), ev.active_bucket_count());
    let values = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
    let p = Profile::compute(&values, 2, Some(&[4, 4, 9]), None, 0.3, 0, 0.95, 0).unwrap();
    assert_eq!((p.size(), p.dimension_count()), (2, 2));
    assert_eq!((p.group_size(0), p.group_size(1)), (p.group_item_count(0), p.group_item_count(1)));
    assert_eq!((p.group_size(0), p.group_size(1)), (2, 1));
}
