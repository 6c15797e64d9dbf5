//! Tells rustc where libvaluespace is. No crates: this must build offline.
//!
//! Where the library is looked for, in order:
//! 1. `VALUESPACE_LIB_DIR` (a directory holding libvaluespace.so), if set;
//! 2. `pkg-config valuespace` (an install under /usr or /usr/local is found with no setting;
//!    another prefix through PKG_CONFIG_PATH);
//! 3. the build tree of this checkout (`<repo>/build`, then `<repo>/build-*`), when the crate
//!    is used from the repository and nothing is installed.
//!
//! How it is linked: dynamically when the library's directory is one the dynamic loader
//! searches (ldconfig's cache or a default system directory), or when `VALUESPACE_LIB_DIR` is
//! set (the test scripts set LD_LIBRARY_PATH too). Otherwise — a prefix such as /opt/vs, /tmp/x,
//! or /usr/local before `ldconfig` — the binary would not start without LD_LIBRARY_PATH; a build
//! script can only give an rpath to its own package's targets (cargo does not pass
//! `rustc-link-arg` on to dependents), so the static archive libvaluespace.a installed beside
//! it is linked instead, with its private dependencies from pkg-config (GSL, LAPACKE,
//! utf8proc): `cargo run` then works with no environment variable. `VALUESPACE_LINK=dylib` or
//! `=static` forces one way; with `dylib` an rpath is emitted for this crate's own targets.
use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for var in ["VALUESPACE_LIB_DIR", "VALUESPACE_LINK", "PKG_CONFIG_PATH"] {
        println!("cargo:rerun-if-env-changed={}", var);
    }
    let forced = env::var("VALUESPACE_LINK").ok().filter(|v| !v.is_empty());

    let (dir, how) = if let Some(dir) = env::var_os("VALUESPACE_LIB_DIR").filter(|d| !d.is_empty()) {
        (Some(PathBuf::from(dir)), "VALUESPACE_LIB_DIR")
    } else if let Some(dir) = pkg_config_var("libdir").map(PathBuf::from) {
        (Some(dir), "pkg-config")
    } else if let Some(dir) = build_tree() {
        (Some(dir), "build tree")
    } else {
        (None, "default search path")
    };

    let dir = match dir {
        Some(dir) => dir,
        None => {
            println!("cargo:warning=libvaluespace not found (no VALUESPACE_LIB_DIR, no pkg-config valuespace, no build tree); linking -lvaluespace from the linker's default path");
            println!("cargo:rustc-link-lib=dylib=valuespace");
            return;
        }
    };
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:lib_dir={}", dir.display());

    let loader_finds_it = how == "VALUESPACE_LIB_DIR" || loader_searches(&dir);
    let archive = dir.join("libvaluespace.a");
    let static_link = match forced.as_deref() {
        Some("static") => true,
        Some("dylib") => false,
        _ => !loader_finds_it && archive.exists(),
    };
    if static_link {
        println!("cargo:rustc-link-lib=static=valuespace");
        let deps = pkg_config(&["--static", "--libs-only-l", "gsl", "lapacke", "libutf8proc"])
            .unwrap_or_else(|| "-lgsl -lgslcblas -llapacke -llapack -lblas -lutf8proc".into());
        for lib in deps.split_whitespace().filter_map(|f| f.strip_prefix("-l")) {
            println!("cargo:rustc-link-lib=dylib={}", lib);
        }
        println!("cargo:rustc-link-lib=dylib=m");
        println!("cargo:rustc-link-lib=dylib=pthread");
    } else {
        println!("cargo:rustc-link-lib=dylib=valuespace");
        if !loader_finds_it {
            // Reaches this crate's own tests and examples only (see above).
            println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
            println!("cargo:warning=libvaluespace in {} ({}) is not on the loader's path and has no libvaluespace.a: run programs with LD_LIBRARY_PATH={} or run ldconfig", dir.display(), how, dir.display());
        }
    }
}

fn pkg_config(args: &[&str]) -> Option<String> {
    let out = Command::new("pkg-config").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok().map(|s| s.trim().to_owned())
}

/// A variable of the valuespace .pc file (its prefix is relocatable: pcfiledir-based).
fn pkg_config_var(name: &str) -> Option<String> {
    pkg_config(&[&format!("--variable={}", name), "valuespace"]).filter(|s| !s.is_empty())
}

/// `<repo>/build` or another `<repo>/build*` directory holding libvaluespace.so.
fn build_tree() -> Option<PathBuf> {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR")?);
    let root = manifest.join("../../..").canonicalize().ok()?;
    let preferred = root.join("build");
    if preferred.join("libvaluespace.so").exists() {
        return Some(preferred);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().map_or(false, |n| n.to_string_lossy().starts_with("build"))
                && p.join("libvaluespace.so").exists()
        })
        .collect();
    dirs.sort();
    dirs.into_iter().next()
}

/// Whether the dynamic loader finds libvaluespace.so.0 in `dir` without LD_LIBRARY_PATH: a
/// default directory, or one ldconfig's cache lists the library in.
fn loader_searches(dir: &Path) -> bool {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let defaults = ["/lib", "/usr/lib", "/lib64", "/usr/lib64"];
    if defaults.iter().any(|d| dir == Path::new(d)) {
        return true;
    }
    let cache = Command::new("ldconfig")
        .arg("-p")
        .output()
        .or_else(|_| Command::new("/sbin/ldconfig").arg("-p").output());
    let text = match cache {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        _ => return false,
    };
    text.lines().filter(|l| l.trim_start().starts_with("libvaluespace.so.0 ")).any(|l| {
        l.rsplit("=> ").next().map_or(false, |p| {
            let p = Path::new(p.trim());
            p.parent().map_or(false, |parent| {
                parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf()) == dir
            })
        })
    })
}
