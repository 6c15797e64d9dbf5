//! Constants and struct layout of the bindings, and a first call into the library.
//!
//! The layout is checked twice: against the sizes the C rules give on this target, and, when
//! VALUESPACE_INCLUDE_DIRS is set and a C compiler (`cc`, or $CC) exists, against sizeof and
//! offsetof from the C compiler itself.

/// A skip note on the real stderr: libtest captures `eprintln!` of passing tests, not this.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use std::env;
use std::ffi::CStr;
use std::fs;
use std::mem::{align_of, size_of, MaybeUninit};
use std::path::PathBuf;
use std::process::{self, Command};
use std::ptr::addr_of;
use valuespace_sys::*;

/// `("sizeof(T)", ..), ("_Alignof(T)", ..), ("offsetof(T, f)", ..)...` for a struct's fields.
macro_rules! layout_of {
    ($out:ident, $t:ident { $($f:ident),* $(,)? }) => {{
        let u = MaybeUninit::<$t>::uninit();
        let p = u.as_ptr();
        $out.push((concat!("sizeof(", stringify!($t), ")"), size_of::<$t>()));
        $out.push((concat!("_Alignof(", stringify!($t), ")"), align_of::<$t>()));
        $(
            // SAFETY: addr_of! computes a field address of an uninitialised place without reading.
            $out.push((
                concat!("offsetof(", stringify!($t), ", ", stringify!($f), ")"),
                unsafe { addr_of!((*p).$f) } as usize - p as usize,
            ));
        )*
    }};
}

/// The caller-filled structs of the later modules (model, dataset, accum, runner, evaluator).
fn module_structs() -> Vec<(&'static str, usize)> {
    let mut v = Vec::new();
    layout_of!(
        v,
        vs_model_gen_request {
            struct_size,
            max_tokens,
            id,
            repeat,
            seed,
            prompt,
            n_messages,
            roles,
            contents,
            temperature,
            n_stop,
            stop
        }
    );
    layout_of!(
        v,
        vs_model_loglik_request {
            struct_size,
            id,
            context,
            continuation
        }
    );
    layout_of!(
        v,
        vs_model_text_request {
            struct_size,
            id,
            text,
            context
        }
    );
    layout_of!(
        v,
        vs_model_callbacks {
            struct_size,
            generate,
            loglikelihood,
            embed,
            classify,
            destroy
        }
    );
    layout_of!(
        v,
        vs_dataset_options {
            struct_size,
            flags,
            id_field,
            text_field,
            prompt_field,
            group_field,
            labels_field,
            space,
            level,
            max_line_bytes
        }
    );
    layout_of!(
        v,
        vs_accum_stats {
            struct_size,
            n,
            mean,
            m2,
            variance,
            sd,
            min,
            max,
            exact_sum,
            exact_mean,
            exact_variance,
            exact_sd,
            se,
            boot_defined,
            boot_mean,
            boot_se
        }
    );
    layout_of!(
        v,
        vs_runner_score {
            struct_size,
            n,
            score,
            ci_low,
            ci_high
        }
    );
    layout_of!(
        v,
        vs_evaluator_callbacks {
            struct_size,
            evaluate,
            destroy
        }
    );
    layout_of!(
        v,
        vs_evaluator_metrics {
            struct_size,
            n,
            n_skipped,
            n_neg,
            n_zero,
            n_pos,
            accuracy,
            macro_f1,
            baseline_accuracy,
            baseline_macro_f1,
            baseline_class,
            precision,
            recall,
            f1,
            confusion
        }
    );
    v
}

/// (name, Rust value) pairs checked against the C compiler: sizes and field offsets.
fn rust_layout() -> Vec<(&'static str, usize)> {
    let a = MaybeUninit::<vs_allocator>::uninit();
    let ap = a.as_ptr();
    let c = MaybeUninit::<vs_circle_fit>::uninit();
    let cp = c.as_ptr();
    let base_a = ap as usize;
    let base_c = cp as usize;
    // SAFETY: addr_of! on fields of an uninitialised place computes addresses without reading.
    unsafe {
        vec![
            ("sizeof(vs_allocator)", size_of::<vs_allocator>()),
            ("_Alignof(vs_allocator)", align_of::<vs_allocator>()),
            (
                "offsetof(vs_allocator, struct_size)",
                addr_of!((*ap).struct_size) as usize - base_a,
            ),
            (
                "offsetof(vs_allocator, user_data)",
                addr_of!((*ap).user_data) as usize - base_a,
            ),
            (
                "offsetof(vs_allocator, malloc_fn)",
                addr_of!((*ap).malloc_fn) as usize - base_a,
            ),
            (
                "offsetof(vs_allocator, realloc_fn)",
                addr_of!((*ap).realloc_fn) as usize - base_a,
            ),
            (
                "offsetof(vs_allocator, free_fn)",
                addr_of!((*ap).free_fn) as usize - base_a,
            ),
            ("sizeof(vs_circle_fit)", size_of::<vs_circle_fit>()),
            ("_Alignof(vs_circle_fit)", align_of::<vs_circle_fit>()),
            (
                "offsetof(vs_circle_fit, struct_size)",
                addr_of!((*cp).struct_size) as usize - base_c,
            ),
            (
                "offsetof(vs_circle_fit, mesor)",
                addr_of!((*cp).mesor) as usize - base_c,
            ),
            (
                "offsetof(vs_circle_fit, amplitude)",
                addr_of!((*cp).amplitude) as usize - base_c,
            ),
            (
                "offsetof(vs_circle_fit, phase_degrees)",
                addr_of!((*cp).phase_degrees) as usize - base_c,
            ),
            (
                "offsetof(vs_circle_fit, r_squared)",
                addr_of!((*cp).r_squared) as usize - base_c,
            ),
            (
                "offsetof(vs_circle_fit, n)",
                addr_of!((*cp).n) as usize - base_c,
            ),
            ("sizeof(size_t)", size_of::<usize>()),
            ("VS_NPOS", VS_NPOS),
            ("VS_TEXT_NULTERM", VS_TEXT_NULTERM),
        ]
        .into_iter()
        .chain(module_structs())
        .collect()
    }
}

#[test]
fn status_codes_are_the_frozen_values() {
    assert_eq!(VS_OK, 0);
    assert_eq!(VS_EINVAL, -1);
    assert_eq!(VS_ENOMEM, -2);
    assert_eq!(VS_ENOTFOUND, -4);
    assert_eq!(VS_EPARSE, -5);
    assert_eq!(VS_EMISMATCH, -10);
    assert_eq!(VS_ECALLBACK, -11);
    assert_eq!(VS_EBUFSIZE, -18);
    assert_eq!(VS_EUNDEFINED, -19);
    assert_eq!(VS_EFAILED, -20);
    assert_eq!(VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 8);
    assert_eq!(size_of::<vs_status>(), size_of::<std::os::raw::c_int>());
}

#[test]
fn initialisers_set_struct_size() {
    assert_eq!(
        vs_model_gen_request_init().struct_size as usize,
        size_of::<vs_model_gen_request>()
    );
    assert_eq!(vs_model_gen_request_init().temperature, 1.0);
    assert_eq!(
        vs_model_loglik_request_init().struct_size as usize,
        size_of::<vs_model_loglik_request>()
    );
    assert_eq!(
        vs_model_text_request_init().struct_size as usize,
        size_of::<vs_model_text_request>()
    );
    assert_eq!(
        vs_model_callbacks_init().struct_size as usize,
        size_of::<vs_model_callbacks>()
    );
    assert_eq!(
        vs_dataset_options_init().struct_size as usize,
        size_of::<vs_dataset_options>()
    );
    assert_eq!(
        vs_accum_stats_init().struct_size as usize,
        size_of::<vs_accum_stats>()
    );
    assert_eq!(
        vs_runner_score_init().struct_size as usize,
        size_of::<vs_runner_score>()
    );
    assert_eq!(
        vs_evaluator_callbacks_init().struct_size as usize,
        size_of::<vs_evaluator_callbacks>()
    );
    assert_eq!(
        vs_evaluator_metrics_init().struct_size as usize,
        size_of::<vs_evaluator_metrics>()
    );
    assert_eq!(VS_MODEL_BACKOFF_SALT.to_be_bytes()[2..], *b"jitter");
    assert_eq!(VS_ACCUM_MAX_ROWS, 281474976710656);
    assert_eq!(VS_DATASET_DEFAULT_MAX_LINE, 16 << 20);
}

#[test]
fn constants_match_the_headers() {
    assert_eq!(VS_NPOS, usize::MAX);
    assert_eq!(VS_BASEALIGN_THRESHOLD, 0.3);
    assert_eq!(VS_BASEALIGN_RAW, 1);
    assert_eq!(VS_WEIGHTED_SUM_NORMALIZE, 1);
    assert_eq!(
        (
            VS_METRIC_L1,
            VS_METRIC_L2,
            VS_METRIC_COSINE,
            VS_METRIC_SPEARMAN
        ),
        (0, 1, 2, 3)
    );
    assert_eq!(
        (
            VS_AGGREGATE_MEAN,
            VS_AGGREGATE_MAX_MAGNITUDE,
            VS_AGGREGATE_SIGN_VOTE
        ),
        (0, 1, 2)
    );
    assert_eq!(VS_SPACE_MAX_KEY_BYTES, 64);
    assert_eq!(
        VS_VERSION_NUMBER,
        VS_VERSION_MAJOR * 10000 + VS_VERSION_MINOR * 100 + VS_VERSION_PATCH
    );
    let s = CStr::from_bytes_with_nul(VS_VERSION_STRING)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        s,
        format!(
            "{}.{}.{}",
            VS_VERSION_MAJOR, VS_VERSION_MINOR, VS_VERSION_PATCH
        )
    );
}

#[test]
fn struct_layout_follows_the_c_rules() {
    let p = size_of::<*const u8>();
    // uint32_t, padding to pointer alignment, four pointers.
    assert_eq!(size_of::<vs_allocator>(), p.max(4) + 4 * p);
    assert_eq!(
        vs_allocator_init().struct_size as usize,
        size_of::<vs_allocator>()
    );
    let c = vs_circle_fit_init();
    assert_eq!(c.struct_size as usize, size_of::<vs_circle_fit>());
    #[cfg(all(target_pointer_width = "64", not(windows)))]
    {
        assert_eq!(size_of::<vs_allocator>(), 40);
        assert_eq!(size_of::<vs_circle_fit>(), 48);
    }
    // Function pointers in Option are nullable and pointer-sized.
    assert_eq!(
        size_of::<Option<unsafe extern "C" fn(*mut std::os::raw::c_void)>>(),
        p
    );
}

#[test]
fn struct_layout_matches_the_c_compiler() {
    let dirs: Vec<PathBuf> = match env::var_os("VALUESPACE_INCLUDE_DIRS") {
        Some(v) if !v.is_empty() => env::split_paths(&v).collect(),
        _ => {
            note!("note: C layout comparison skipped: VALUESPACE_INCLUDE_DIRS is not set");
            return;
        }
    };
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let layout = rust_layout();
    let mut src = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <valuespace.h>\nint main(void) {\n",
    );
    for (expr, _) in &layout {
        src.push_str(&format!("    printf(\"%zu\\n\", (size_t)({}));\n", expr));
    }
    src.push_str("    return 0;\n}\n");

    let dir = env::temp_dir().join(format!("valuespace-sys-layout-{}", process::id()));
    fs::create_dir_all(&dir).unwrap();
    let c_file = dir.join("layout.c");
    let exe = dir.join("layout");
    fs::write(&c_file, src).unwrap();
    let mut cmd = Command::new(&cc);
    cmd.arg("-std=c11").arg("-o").arg(&exe).arg(&c_file);
    for d in &dirs {
        cmd.arg(format!("-I{}", d.display()));
    }
    let compiled = match cmd.output() {
        Ok(out) => out,
        Err(_) => {
            let _ = fs::remove_dir_all(&dir);
            note!("note: C layout comparison skipped: no C compiler `{}`", cc);
            return;
        }
    };
    assert!(
        compiled.status.success(),
        "{} failed: {}",
        cc,
        String::from_utf8_lossy(&compiled.stderr)
    );
    let out = Command::new(&exe).output().expect("run the layout program");
    let _ = fs::remove_dir_all(&dir);
    let c_values: Vec<usize> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert_eq!(c_values.len(), layout.len());
    for ((expr, rust), c) in layout.iter().zip(&c_values) {
        assert_eq!(rust, c, "{}: Rust {} but C {}", expr, rust, c);
    }
}

#[test]
fn the_library_links_and_answers() {
    unsafe {
        assert!(
            vs_check_version(),
            "library version {} vs headers {}",
            vs_version(),
            VS_VERSION_NUMBER
        );
        assert_eq!(vs_version(), VS_VERSION_NUMBER);
        let name = CStr::from_ptr(vs_status_name(VS_EINVAL)).to_str().unwrap();
        assert_eq!(name, "VS_EINVAL");
        assert!(!CStr::from_ptr(vs_strerror(-12345)).to_bytes().is_empty());
        let v = CStr::from_ptr(vs_version_string()).to_bytes_with_nul();
        assert_eq!(v, VS_VERSION_STRING);
    }
}
