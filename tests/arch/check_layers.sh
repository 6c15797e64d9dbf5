#!/bin/bash
# The architecture rules of docs/HACKING.md ("Layers and the rule for arrows"), checked on the
# source tree and, when an object directory is given, on the compiled call graph:
#   1. every module folder of lib/ has a layer in docs/HACKING.md (the "layer N: ..." lines);
#   2. a file of lib/X includes no lib/Y/*_internal.h (Y != X): internal headers are private;
#   3. a file of lib/X includes headers of lib/Y or valuespace/Y.h only for Y below X
#      (a lower layer never includes a higher one, nor one of its own layer);
#   4. the #include graph of the files of lib/ has no cycle;
#   5. the files of lib/fa/ call each other in no loop (from the symbols each object file
#      defines and uses, nm), so that kernels.c and every other file has a clear place below the
#      files that call it.
# usage: check_layers.sh SOURCE_DIR [OBJECT_DIR]
#   OBJECT_DIR: where the build keeps the library's objects as lib/<module>/<file>.c.o
#   (build/CMakeFiles/valuespace_objects.dir); without it rule 5 is skipped.
# Exit status 0 when every rule holds; 1 with one line per violation otherwise; 2 on bad usage.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ ! -d "$1/lib" ]; then
    echo "usage: $0 SOURCE_DIR [OBJECT_DIR]   (SOURCE_DIR holds lib/ and docs/HACKING.md)" >&2
    exit 2
fi
exec python3 - "$@" <<'EOF'
import collections, glob, os, re, subprocess, sys

src = sys.argv[1]
objdir = sys.argv[2] if len(sys.argv) > 2 else None
CALL_GRAPH_MODULES = ["fa"]  # modules whose files must not call each other in a loop
bad = []

# ---- 1. layers from docs/HACKING.md
layer = {}
with open(os.path.join(src, "docs/HACKING.md"), encoding="utf-8") as f:
    for line in f:
        m = re.match(r"^layer (\d+): (.*)$", line.strip())
        if m:
            for mod in m.group(2).split():
                layer[mod] = int(m.group(1))
if not layer:
    print("check_layers: no 'layer N: modules' lines in docs/HACKING.md", file=sys.stderr)
    sys.exit(2)
modules = sorted(d for d in os.listdir(os.path.join(src, "lib")) if os.path.isdir(os.path.join(src, "lib", d)))
for mod in modules:
    if mod not in layer:
        bad.append(f"lib/{mod}/: module without a layer (add it to a 'layer N:' line of docs/HACKING.md)")
# public headers: valuespace/<module>.h, plus these that belong to a module of another name
public_owner = {"version": "common"}

# ---- 2.-4. includes
files = sorted(glob.glob(os.path.join(src, "lib/*/*.[ch]")))
rel = {f: os.path.relpath(f, os.path.join(src, "lib")) for f in files}
known = set(rel.values())
edges = collections.defaultdict(list)  # "mod/file" -> ["mod/header", ...] inside lib/
for f in files:
    me = rel[f]
    x = me.split("/")[0]
    with open(f, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            inc = m.group(1)
            where = f"lib/{me}:{n}"
            parts = inc.split("/")
            if len(parts) != 2:
                bad.append(f'{where}: #include "{inc}" is not of the form "module/header.h"')
                continue
            d, h = parts
            if d == "valuespace":
                y = public_owner.get(h[:-2], h[:-2])
                if y not in layer:
                    bad.append(f'{where}: #include "{inc}": public header of no known module')
                    continue
            else:
                y = d
                if inc not in known:
                    bad.append(f'{where}: #include "{inc}": no such file under lib/')
                    continue
                edges[me].append(inc)
                if y != x and h.endswith("_internal.h"):
                    bad.append(f'{where}: #include "{inc}": lib/{y}/*_internal.h is private to lib/{y}/ '
                               f"(move what {x} needs into a header without the suffix or into lib/common/)")
                    continue
            if y != x and x in layer and y in layer and layer[y] >= layer[x]:
                kind = "in the same layer as" if layer[y] == layer[x] else "in a higher layer than"
                bad.append(f'{where}: #include "{inc}": {y} (layer {layer[y]}) is {kind} {x} '
                           f"(layer {layer[x]}); move the shared piece down (docs/HACKING.md)")


def cycles(graph, nodes):
    """One cycle (list of nodes, first == last) per strongly connected component with a loop."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(path_in(graph, set(comp), v))

    def path_in(graph, comp, start):
        # breadth-first from start back to start inside the component
        prev, queue = {}, [start]
        while queue:
            v = queue.pop(0)
            for w in sorted(graph.get(v, ())):
                if w == start:
                    p = [v]
                    while p[-1] != start:
                        p.append(prev[p[-1]])
                    return list(reversed(p)) + [start]
                if w in comp and w not in prev:
                    prev[w] = v
                    queue.append(w)
        return [start, start]

    sys.setrecursionlimit(100000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


for c in cycles(edges, known):
    bad.append("include cycle: " + " -> ".join("lib/" + v for v in c))

# ---- 5. the call graph of the files of the listed modules
if objdir:
    for mod in CALL_GRAPH_MODULES:
        sources = sorted(v for v in known if v.startswith(mod + "/") and v.endswith(".c"))
        defs, uses = {}, collections.defaultdict(set)
        for s in sources:
            obj = os.path.join(objdir, "lib", s + ".o")
            if not os.path.exists(obj):
                bad.append(f"{obj}: missing (build the library first, or pass its object directory)")
                continue
            out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                p = line.split()
                if len(p) == 3 and p[1] in "TDBRC":
                    defs[p[2]] = s
                elif len(p) == 2 and p[0] == "U":
                    uses[s].add(p[1])
        calls = collections.defaultdict(set)
        why = {}
        for s, syms in uses.items():
            for sym in sorted(syms):
                t = defs.get(sym)
                if t and t != s:
                    calls[s].add(t)
                    why.setdefault((s, t), sym)
        for c in cycles(calls, sources):
            steps = [f"lib/{a} ({why[(a, b)]})" for a, b in zip(c, c[1:])]
            bad.append(f"call loop in lib/{mod}/: " + " -> ".join(steps) + f" -> lib/{c[-1]}")

for b in bad:
    print(b)
if bad:
    print(f"check_layers: {len(bad)} violation(s) of docs/HACKING.md's layer rules", file=sys.stderr)
    sys.exit(1)
print(f"check_layers: {len(files)} files of {len(modules)} modules follow the layer rules"
      + (f"; no call loop in lib/{', lib/'.join(CALL_GRAPH_MODULES)}/" if objdir else ""))
EOF
