#!/bin/bash
# A fresh cargo crate outside the repository that depends on the safe crate by path, exactly as
# README's "Use from your own crate" says, against libvaluespace installed to a temporary prefix:
# cargo run --offline must build, link and run (BaseAlign + a factor analysis) with no
# LD_LIBRARY_PATH or VALUESPACE_LIB_DIR; only PKG_CONFIG_PATH names the non-system prefix.
# Usage: bindings/rust/test_fresh_crate.sh BUILD_DIR   (run by run_tests.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
command -v cargo >/dev/null 2>&1 || export PATH="${HOME:-/root}/.cargo/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cd "$tmp" && cargo new --quiet --bin myapp && cd myapp
cat >> Cargo.toml <<TOML
valuespace = { path = "$root/bindings/rust/valuespace" }
TOML
cat > src/main.rs <<'RS'
use valuespace::fa::{Array, Data, Method, Options, Rotation};
use valuespace::{align_target, basealign, Scores, Space, Vector, BASEALIGN_THRESHOLD};

fn main() -> valuespace::Result<()> {
    let space = Space::builtin("schwartz10")?;
    let raw = [0.1, -0.2, 0.0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9];
    let scores = Vector::from_values(&space, 0, &raw)?;
    let target = align_target("default")?;
    let r = basealign(&scores, &target, Scores::Raw, BASEALIGN_THRESHOLD)?;
    assert!((r.distance - 2.319675).abs() < 1e-6);
    println!("basealign {:.6}", r.distance);

    // Thurstone's 9 x 9 correlations would do; a small 6-variable two-factor matrix here.
    let r6 = [
        1.0, 0.6, 0.5, 0.1, 0.1, 0.1, 0.6, 1.0, 0.55, 0.1, 0.1, 0.1, 0.5, 0.55, 1.0, 0.1, 0.1, 0.1,
        0.1, 0.1, 0.1, 1.0, 0.6, 0.5, 0.1, 0.1, 0.1, 0.6, 1.0, 0.55, 0.1, 0.1, 0.1, 0.5, 0.55, 1.0,
    ];
    let data = Data::from_cor(&r6, 6, 6, Some(200.0))?;
    for method in [Method::Minres, Method::Ml, Method::Wls, Method::Gls] {
        let mut options = Options::new()?;
        options.set_nfactors(2)?.set_method(method)?.set_rotation(Rotation::Oblimin)?;
        let fit = options.fit(&data)?;
        let loadings = fit.get(Array::Loadings)?;
        assert_eq!(loadings.len(), 12);
        println!("{:?} loadings[0] {:.4}", method, loadings[0]);
    }
    Ok(())
}
RS
# No variable but PKG_CONFIG_PATH (a non-system prefix); nothing from run_tests.sh leaks in.
env -u LD_LIBRARY_PATH -u VALUESPACE_LIB_DIR -u VALUESPACE_INCLUDE_DIRS -u CARGO_TARGET_DIR \
  PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" cargo run --quiet --offline > out.txt
cat out.txt
grep -q '^basealign 2.319675' out.txt && grep -q '^Gls loadings' out.txt
# The built binary runs on its own too.
env -u LD_LIBRARY_PATH ./target/debug/myapp > /dev/null
echo "test_fresh_crate.sh: ok"
