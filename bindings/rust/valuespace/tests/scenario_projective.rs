//! The projective part of the end-to-end scenario shared with the Python binding: a forced-choice
//! run of the built-in "valuelex" bank with the deterministic "ToyLM" of
//! bindings/python/examples/dask_shards.py (log P = -0.05 * len(continuation) -
//! (crc32(context + "\0" + continuation) % 1000) / 250), seed 5, 200 replicates. The scores
//! must be bit-identical to the ones the Python binding computes; the comparison runs
//! `python3` on bindings/python and skips with a note when it cannot.

/// A skip note on the real stderr: libtest captures `eprintln!` of passing tests, not this.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use std::env;
use std::path::PathBuf;
use std::process::Command;

use valuespace::model::{Loglik, LoglikCall, Model};
use valuespace::projective::{Bank, Judge, Runner};

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), bit by bit: zlib.crc32.
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xedb8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn toy_lm() -> Model {
    let mut m = Model::builder()
        .loglikelihood(|calls: &[LoglikCall<'_>]| {
            Ok(calls
                .iter()
                .map(|c| {
                    let text = format!("{}\0{}", c.context, c.continuation);
                    let h = crc32(text.as_bytes());
                    // Python's len() counts code points.
                    let len = c.continuation.chars().count() as f64;
                    Ok(Loglik {
                        logprob: -0.05 * len - (h % 1000) as f64 / 250.0,
                        is_greedy: false,
                    })
                })
                .collect())
        })
        .build()
        .unwrap();
    m.set_max_batch(16).unwrap();
    m
}

fn rust_scores() -> Vec<(String, u64, Option<u64>, u64, u64)> {
    let bank = Bank::builtin("valuelex").unwrap();
    let mut runner = Runner::new(&bank, toy_lm(), Judge::Loglik).unwrap();
    runner.set_seed(5).unwrap().set_replicates(200).unwrap();
    runner.set_model_id("toy-lm").unwrap();
    let r = runner.run().unwrap();
    assert_eq!((r.done(), r.failed()), (132, 0));
    (0..r.dimension_count())
        .map(|i| {
            let s = r.score(i).unwrap();
            (
                r.dimension_key(i).unwrap().to_string(),
                s.n,
                s.score.map(f64::to_bits),
                s.ci_low.to_bits(),
                s.ci_high.to_bits(),
            )
        })
        .collect()
}

#[test]
fn crc32_matches_the_check_value() {
    // The standard CRC-32 check value of "123456789".
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
}

#[test]
fn toy_lm_scores_equal_the_python_binding() {
    let rust = rust_scores();
    assert_eq!(rust.len(), 6);

    let lib_dir = match env::var_os("VALUESPACE_LIB_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => return note!("note: Python comparison skipped: VALUESPACE_LIB_DIR is not set"),
    };
    let python_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../python");
    let script = r#"
import struct, sys
sys.path.insert(0, sys.argv[1] + "/examples")
import valuespace as vs
import dask_shards
bits = lambda x: struct.unpack("<Q", struct.pack("<d", x))[0]
bank = vs.Bank.builtin("valuelex")
model = vs.Model(dask_shards.ToyLM(), max_batch=16)
with vs.Runner(bank, model, "loglik", seed=5, replicates=200, model_id="toy-lm") as r:
    for s in r.run():
        print(s.key, s.n, bits(s.score), bits(s.ci_low), bits(s.ci_high))
"#;
    let python = env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let out = match Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&python_dir)
        .env("PYTHONPATH", &python_dir)
        .env("VALUESPACE_LIBRARY", lib_dir.join("libvaluespace.so"))
        .output()
    {
        Ok(o) => o,
        Err(_) => return note!("note: Python comparison skipped: no `{}`", python),
    };
    if !out.status.success() {
        return note!(
            "note: Python comparison skipped: the Python binding did not run: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    let python_scores: Vec<(String, u64, Option<u64>, u64, u64)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                f[0].to_string(),
                f[1].parse().unwrap(),
                Some(f[2].parse().unwrap()),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(rust, python_scores);
}
