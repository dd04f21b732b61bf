#!/usr/bin/env python3
"""The layers of src/ call only downwards (docs/ARCHITECTURE.md, "Layers").

Reads the symbol tables of the library's objects in a build directory (nm), finds for every
undefined symbol the object that defines it, and checks each call between folders against the
table below. Types shared through headers are not calls and are not checked; data (a field
table, a string constant) counts as a call, since it is the lower layer reaching up for it.
Prints one line per layer and exits non-zero on the first forbidden edge it reports.
    python3 tests/layers.py BUILD_DIR
"""
import collections
import glob
import os
import subprocess
import sys

# layer: the layers it may use. Everything links core and the generated embedded data.
MAY_USE = {
    "core": set(),
    "wire": {"core"},
    "doc": {"core"},
    "policy": {"core"},
    "store": {"core"},
    "watch": {"core", "wire", "store"},
    "domain": {"core", "wire", "doc", "policy", "store", "watch"},
    "api": {"core", "wire", "doc", "policy", "store", "watch", "domain"},
    "cli": {"core"},
}


def layer(obj):
    name = os.path.basename(obj)
    if not name.startswith("src_"):
        return None  # meson-generated (the embedded files)
    return name[4:].split("_", 1)[0]


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build-asan"
    objs = glob.glob(os.path.join(build, "libzw.a.p", "*.o"))
    if not objs:
        print("FAIL layers: no objects under %s/libzw.a.p (build first)" % build)
        return 1
    defined, wanted = {}, collections.defaultdict(set)
    for o in objs:
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "TDBRC":
                defined[f[2]] = o
            elif len(f) == 2 and f[0] == "U":
                wanted[o].add(f[1])
    bad = collections.defaultdict(list)
    seen = collections.defaultdict(set)
    for o in objs:
        lo = layer(o)
        if lo is None:
            continue
        if lo not in MAY_USE:
            bad[lo].append("%s: folder src/%s/ has no row in tests/layers.py" % (o, lo))
            continue
        for sym in sorted(wanted[o]):
            d = defined.get(sym)
            ld = layer(d) if d else None
            if ld is None or ld == lo:
                continue
            seen[lo].add(ld)
            if ld not in MAY_USE[lo]:
                bad[lo].append("%s uses %s of %s" % (os.path.basename(o), sym, os.path.basename(d)))
    rc = 0
    for lo in MAY_USE:
        if bad[lo]:
            rc = 1
            print("FAIL layers %s: %s" % (lo, "; ".join(bad[lo][:5])))
        else:
            print("ok   layers %s -> %s" % (lo, ", ".join(sorted(seen[lo])) or "nothing"))
    for lo in bad:
        if lo not in MAY_USE:
            rc = 1
            print("FAIL layers: %s" % bad[lo][0])
    return rc


if __name__ == "__main__":
    sys.exit(main())
