#!/usr/bin/python3
"""Checks the figures and reports of the valuespace tool against the JSON it printed.

  check_figures.py fa-fit FIT.json DIR          fa --plot: fa_scree, fa_loadings, fa_diagram
  check_figures.py fa-parallel PAR.json DIR     fa parallel --plot: fa_parallel
  check_figures.py demo DIR SPACE.txt VERSION.json   the demo report in DIR

Every SVG must parse as XML and hold the expected number of data marks (class "mark KIND"), whose
data-value attributes must equal the JSON's numbers exactly; where the geometry encodes a value
(bar ends, scree points, radar radii and spokes) it must be a linear function of it; every PNG
must have the SVG's stated size. Prints each failure; exits 1 if there was one.
"""
import csv, hashlib, json, math, os, re, struct, sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def load_figure(d, name):
    """Parses DIR/NAME.svg, checks DIR/NAME.png's size; returns the SVG root."""
    svg, png = os.path.join(d, name + ".svg"), os.path.join(d, name + ".png")
    check(os.path.exists(svg) and os.path.exists(png), f"{name}: .svg and .png exist")
    root = ET.parse(svg).getroot()
    check(root.tag == NS + "svg", f"{name}: the root is <svg>")
    w, h = float(root.get("width")), float(root.get("height"))
    check(png_size(png) == (math.ceil(w), math.ceil(h)), f"{name}: PNG is {png_size(png)}, SVG states {w}x{h}")
    check(root.find(NS + "title") is not None and root.find(NS + "title").text, f"{name}: has a <title>")
    return root


def marks(root, kind):
    return [e for e in root.iter() if e.get("class", "").split() == ["mark", kind]]


def num(e, attr="data-value"):
    v = e.get(attr)
    return float("nan") if v in (None, "NaN") else float(v)


def same(a, b):
    return (a is None and math.isnan(b)) or (a is not None and (a == b or (math.isnan(a) and math.isnan(b))))


def linear(pairs, tol, what):
    """The page coordinate is a linear function of the value (within tol pixels)."""
    pairs = [(v, y) for v, y in pairs if not math.isnan(v)]
    lo, hi = min(pairs), max(pairs)
    check(hi[0] > lo[0], f"{what}: values differ")
    if hi[0] == lo[0]:
        return
    slope = (hi[1] - lo[1]) / (hi[0] - lo[0])
    worst = max(abs(lo[1] + slope * (v - lo[0]) - y) for v, y in pairs)
    check(worst < tol, f"{what}: position off its value by {worst:.3f} px")


def bar_end(mark):
    """The value end of a bar: its rect's edge away from the baseline (the axis' 0 line)."""
    r = mark.find(NS + "rect")
    y, h = float(r.get("y")), float(r.get("height"))
    return y, y + h


def check_bars(root, name, expect):
    """expect: {(cat, series): (value, low, high)}; bars end at their value on one linear scale."""
    ms = marks(root, "bar")
    check(len(ms) == len(expect), f"{name}: {len(ms)} bars, expected {len(expect)}")
    pairs = []
    for m in ms:
        key = (m.get("data-target") or m.get("data-key"), m.get("data-group") or m.get("data-series"))
        want = expect.get(key)
        check(want is not None, f"{name}: unexpected bar {key}")
        if want is None:
            continue
        for attr, w in zip(("data-value", "data-low", "data-high"), want):
            if m.get(attr) is not None or w is not None:
                check(same(w, num(m, attr)), f"{name} {key} {attr}: drawn {m.get(attr)}, JSON {w}")
        top, bottom = bar_end(m)
        pairs.append((num(m), top if num(m) >= 0 else bottom))
    linear(pairs, 0.02, f"{name} bars")


def fa_fit(out, d):
    j = json.load(open(out))
    names, L, phi = j["variables"], j["loadings"], j["phi"]
    p, k = len(L), len(L[0])
    root = load_figure(d, "fa_loadings")
    cells = marks(root, "cell")
    check(len(cells) == p * k, f"fa_loadings: {len(cells)} cells, expected {p * k}")
    rows = []
    for c in cells:
        i, f = names.index(c.get("data-var")), int(c.get("data-factor")) - 1
        check(num(c) == L[i][f], f"fa_loadings {c.get('data-var')} F{f + 1}: drawn {num(c)}, JSON {L[i][f]}")
        check(c.find(NS + "text").text == f"{L[i][f]:.2f}", f"fa_loadings {c.get('data-var')}: printed value")
        if f == 0:
            rows.append(i)
    # sorted by main factor, then by the size of that loading (psych's fa.sort)
    main = lambda i: max(range(k), key=lambda f: (abs(L[i][f]), -f))
    want = sorted(range(p), key=lambda i: (main(i), -abs(L[i][main(i)]), i))
    check(rows == want, f"fa_loadings: rows in order {[names[i] for i in rows]}, expected {[names[i] for i in want]}")

    root = load_figure(d, "fa_diagram")
    arrows = marks(root, "loading")
    above = [i for i in range(p) if abs(L[i][main(i)]) > 0.3]
    check(len(arrows) == len(above), f"fa_diagram: {len(arrows)} arrows, expected {len(above)}")
    for a in arrows:
        i, f = names.index(a.get("data-var")), int(a.get("data-factor")) - 1
        check(f == main(i) and num(a) == L[i][f], f"fa_diagram {a.get('data-var')}: drawn F{f + 1} {num(a)}")
    pairs = [(a, b) for a in range(k) for b in range(a + 1, k) if abs(phi[a][b]) > 0.3]
    phis = marks(root, "phi")
    check(len(phis) == len(pairs), f"fa_diagram: {len(phis)} correlations, expected {len(pairs)}")
    for m in phis:
        a, b = int(m.get("data-factor1")) - 1, int(m.get("data-factor2")) - 1
        check(num(m) == phi[a][b], f"fa_diagram phi {a + 1},{b + 1}: drawn {num(m)}, JSON {phi[a][b]}")

    root = load_figure(d, "fa_scree")
    pts = marks(root, "point")
    check(len(pts) == 2 * p, f"fa_scree: {len(pts)} points, expected {2 * p}")
    for m in pts:
        series, i = m.get("data-series"), int(m.get("data-index")) - 1
        check(num(m) == j[series][i], f"fa_scree {series}[{i}]: drawn {num(m)}, JSON {j[series][i]}")
    linear([(num(m), float(m.find(NS + "ellipse").get("cy"))) for m in pts], 0.02, "fa_scree points")


def fa_parallel(out, d):
    j = json.load(open(out))
    series = [s for s in ("observed_fa", "observed_pc", "simulated_fa_q95", "simulated_pc_q95",
                          "resampled_fa_q95", "resampled_pc_q95") if s in j]
    p = len(j["observed_fa"])
    root = load_figure(d, "fa_parallel")
    pts = marks(root, "point")
    check(len(pts) == len(series) * p, f"fa_parallel: {len(pts)} points, expected {len(series) * p}")
    for m in pts:
        s, i = m.get("data-series"), int(m.get("data-index")) - 1
        check(s in series and num(m) == j[s][i], f"fa_parallel {s}[{i}]: drawn {num(m)}")
    linear([(num(m), float(m.find(NS + "ellipse").get("cy"))) for m in pts], 0.02, "fa_parallel points")
    check(any(f"{j['n_factors']} factors, {j['n_components']} components" in (t.text or "")
              for t in root.iter(NS + "text")), "fa_parallel: states the suggested numbers")


def circle_order(space_txt):
    """The value keys of schwartz10 by their circle angle, from `valuespace space show` (stable)."""
    rows = re.findall(r"^\s+(\w+)\s.*\[([\d.]+) deg\]", open(space_txt).read(), re.M)
    return [k for k, a in sorted(rows, key=lambda r: float(r[1]))]


def radar(root, name, profiles, order, with_band):
    """Every model's points on the radar: values from JSON, on spoke i in circle order, radius
    linear in the value."""
    ms = marks(root, "profile")
    k, ng = len(order), len(profiles)
    check(len(ms) == k * ng, f"{name}: {len(ms)} points, expected {k * ng}")
    keys_json = RJ["keys"]
    by_group = {}
    for m in ms:
        by_group.setdefault(m.get("data-group"), []).append(m)
    check(list(by_group) == [p["source"] for p in profiles], f"{name}: the models in order")
    axes = [e for e in root.iter(NS + "g") if e.get("class") == "axis radar"]
    check(len(axes) == (ng if with_band else 1), f"{name}: {len(axes)} radar axes")
    for gi, prof in enumerate(profiles):
        pts = by_group.get(prof["source"], [])
        check([m.get("data-key") for m in pts] == order, f"{name} {prof['source']}: keys in circle order")
        spokes = axes[gi if with_band else 0].findall(NS + "line")
        cx, cy = float(spokes[0].get("x1")), float(spokes[0].get("y1"))
        pairs = []
        for i, m in enumerate(pts):
            t = keys_json.index(m.get("data-key"))
            for attr, field in (("data-value", "mean"), ("data-low", "ci_low"), ("data-high", "ci_high")):
                check(same(prof[field][t], num(m, attr)), f"{name} {prof['source']} {m.get('data-key')} {attr}")
            e = m.find(NS + "ellipse")
            dx, dy = float(e.get("cx")) - cx, float(e.get("cy")) - cy
            r = math.hypot(dx, dy)
            if r > 1:  # on spoke i: clockwise from the top, equally spaced
                want = -math.pi / 2 + 2 * math.pi * i / k
                diff = math.atan2(dy, dx) - want
                check(abs(math.atan2(math.sin(diff), math.cos(diff))) < 0.02, f"{name}: {m.get('data-key')} on spoke {i}")
            pairs.append((num(m), r))
        linear([(v, r) for v, r in pairs if r > 0.01], 0.03, f"{name} {prof['source']} radii")


def demo(d, space_txt, version_json):
    global RJ
    RJ = rj = json.load(open(os.path.join(d, "report.json")))
    ver = json.load(open(version_json))
    check(rj["schema"] == "valuespace/demo-report" and rj["version"] == 1, "report.json: schema and version")
    check(rj["library_version"] == ver["version"], "report.json: the library version")
    check(rj["command_line"][1] == "demo" and "--out" in rj["command_line"], "report.json: the command line")
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rj["created_utc"]) is not None, "report.json: UTC time")
    inp = rj["inputs"][0]
    data = open(inp["path"], "rb").read()
    check(inp["sha256"] == hashlib.sha256(data).hexdigest() and inp["bytes"] == len(data), "report.json: SHA-256")
    o = rj["options"]
    check(rj["seeds"] == {"folds": o["seed"], "bootstrap": o["seed"]}, "report.json: seeds")
    for key in ("data", "out", "folds", "seed", "threads", "replicates", "confidence", "thresholds"):
        check(key in o, f"report.json: option {key}")
    order = circle_order(space_txt)
    check(rj["circle_order"] == order, f"report.json: circle order {rj['circle_order']} vs {order}")
    figs = [f["name"] for f in rj["figures"]]
    check(len(figs) == 7, f"report.json lists {len(figs)} figures")
    ng, nt = len(rj["profiles_labels"]), len(rj["profiles_labels"][0]["basealign"])
    for src in ("labels", "predicted"):
        profiles = rj["profiles_" + src]
        radar(load_figure(d, f"profiles_{src}"), f"profiles_{src}", profiles, order, True)
        radar(load_figure(d, f"profiles_{src}_overlay"), f"profiles_{src}_overlay", profiles, order, False)
        expect = {}
        for p in profiles:
            for t, b in p["basealign"].items():
                r = b["reward"]
                expect[(t, p["source"])] = (r["mean"], r["ci_low"], r["ci_high"])
        check(len(expect) == ng * nt, f"alignment_{src}: {ng} x {nt} rewards in the JSON")
        check_bars(load_figure(d, f"alignment_{src}"), f"alignment_{src}", expect)
    expect = {}
    for dim in rj["cv"]["dimensions"]:
        expect[(dim["key"], "evaluator")] = (dim["macro_f1"], None, None)
        expect[(dim["key"], "baseline")] = (dim["baseline_macro_f1"], None, None)
    root = load_figure(d, "cv_macro_f1")
    check_bars(root, "cv_macro_f1", expect)
    check([m.get("data-key") for m in marks(root, "bar")][::2] == order, "cv_macro_f1: values in circle order")

    # CSV: one per table, the same numbers
    rows = list(csv.DictReader(open(os.path.join(d, "cv.csv"))))
    check([float(r["macro_f1"]) for r in rows] == [x["macro_f1"] for x in rj["cv"]["dimensions"]], "cv.csv = JSON")
    rows = list(csv.DictReader(open(os.path.join(d, "alignment_labels.csv"))))
    check(len(rows) == ng * nt and all(
        float(r["reward"]) == next(p for p in rj["profiles_labels"] if p["source"] == r["source"])["basealign"][
            r["target"]]["reward"]["mean"] for r in rows), "alignment_labels.csv = JSON")
    # agreement.csv: the same out-of-fold predictions as cv.csv; kappa from its confusion matrix
    agree = list(csv.DictReader(open(os.path.join(d, "agreement.csv"))))
    check([(r["key"], float(r["accuracy"]), float(r["macro_f1"])) for r in agree] ==
          [(x["key"], x["accuracy"], x["macro_f1"]) for x in rj["cv"]["dimensions"]], "agreement.csv = cv figures")
    for r in agree:
        c = [int(x) for x in r["confusion"].split()]
        n = sum(c)
        po = (c[0] + c[4] + c[8]) / n
        pe = sum(sum(c[3 * k:3 * k + 3]) * (c[k] + c[3 + k] + c[6 + k]) for k in range(3)) / (n * n)
        want = (po - pe) / (1 - pe) if pe < 1 else math.nan
        got = float(r["kappa"]) if r["kappa"] else math.nan
        check((math.isnan(want) and math.isnan(got)) or abs(got - want) < 1e-12, f"agreement.csv kappa of {r['key']}")
    for name in ("profiles_labels", "profiles_predicted", "alignment_predicted", "distance_labels_masked",
                 "distance_labels_unmasked", "distance_predicted_masked", "distance_predicted_unmasked"):
        check(os.path.getsize(os.path.join(d, name + ".csv")) > 0, f"{name}.csv written")

    # report.html: self-contained (every figure inline, nothing to fetch)
    html = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    check(html.count("<svg ") == 7, f"report.html inlines {html.count('<svg ')} figures")
    fetch = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)|url\(|<link|@import|<script""", html, re.I)
    check(not fetch, f"report.html would fetch {fetch}")
    for ref in ("arXiv:2311.10766", "Schwartz", "Efron"):
        check(ref in html, f"report.html cites {ref}")
    for svg in re.findall(r"<svg .*?</svg>", html, re.S):
        ET.fromstring(svg)  # each inline figure is well-formed XML
    md = open(os.path.join(d, "report.md"), encoding="utf-8").read()
    check(all(f"]({f}.png)" in md for f in figs), "report.md links every figure")


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "fa-fit":
        fa_fit(sys.argv[2], sys.argv[3])
    elif kind == "fa-parallel":
        fa_parallel(sys.argv[2], sys.argv[3])
    elif kind == "demo":
        demo(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit("usage: check_figures.py fa-fit|fa-parallel|demo ...")
    print(f"{checks} checks, {len(failures)} failed")
    sys.exit(1 if failures else 0)
