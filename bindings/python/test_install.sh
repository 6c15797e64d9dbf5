#!/bin/bash
# Installs libvaluespace to a temporary prefix, pip-installs this package into a venv made with
# --system-site-packages (offline: Debian's setuptools is the build backend) and runs a script
# from another directory. The only variable is LD_LIBRARY_PATH, which the system loader needs
# for a non-system prefix (none for /usr/local). Also checks -DVS_INSTALL_PYTHON=ON (a copy of
# the library beside the package: no variable at all).
# Usage: bindings/python/test_install.sh BUILD_DIR   (run by run_tests.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
/usr/bin/python3 -m venv --system-site-packages "$tmp/venv"
# Build from a copy, so the checkout gets no build/ or egg-info directory.
cp -r "$here" "$tmp/src" && rm -rf "$tmp/src/tests"
"$tmp/venv/bin/pip" install --quiet --no-build-isolation --no-index "$tmp/src"
mkdir "$tmp/elsewhere" && cp "$root/tests/data/fa/bfi.csv" "$tmp/elsewhere/"
"$build/valuespace" fa "$tmp/elsewhere/bfi.csv" --factors 5 --rotate promax --json \
  > "$tmp/elsewhere/cli.json"
cat > "$tmp/elsewhere/check.py" <<'PY'
import json
import numpy as np
import pandas as pd
import valuespace as vs

assert "/venv/" in vs.__file__, vs.__file__
raw = [0.1, -0.2, 0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9]
keys = vs.align_target("default").keys
positional = vs.basealign(raw, raw=True)
reversed_series = pd.Series(raw, index=keys)[::-1]
assert vs.basealign(reversed_series, raw=True) == positional, "labels ignored"

df = pd.read_csv("bfi.csv")                      # 2800 rows, NaN = missing
assert df.isna().any().any()
fa = vs.FactorAnalyzer(n_factors=5, rotation="promax", method="minres")
scores = fa.fit_transform(df)
cli = json.load(open("cli.json"))
assert cli["variables"] == list(fa.feature_names_in_)
np.testing.assert_allclose(fa.loadings_, np.array(cli["loadings"]), atol=1e-10)
np.testing.assert_allclose(fa.phi_, np.array(cli["phi"]), atol=1e-10)
np.testing.assert_allclose(fa.transform(df.iloc[:5]), scores[:5], atol=1e-12)
print("ok", vs.LIBRARY_PATH, positional.distance)
PY
cd "$tmp/elsewhere"
env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/venv/bin/python" check.py
# With the CMake option: the package and a copy of the library in the prefix's site-packages.
cmake -S "$root" -B "$tmp/build-py" -DBUILD_TESTING=OFF -DVS_INSTALL_PYTHON=ON \
  -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$tmp/build-py" -j2 >/dev/null
cmake --install "$tmp/build-py" --prefix "$tmp/prefix2" >/dev/null
site=$(cd "$tmp/prefix2" && ls -d lib/python3*/*-packages)
env -i PATH=/usr/bin:/bin /usr/bin/python3 -c "
import sys; sys.path.insert(0, '$tmp/prefix2/$site')
import valuespace as vs
assert vs.LIBRARY_PATH.startswith('$tmp/prefix2/$site/valuespace/'), vs.LIBRARY_PATH
print('ok', vs.LIBRARY_PATH)"
echo "test_install.sh: ok"
