"""Peak memory of one ``loads`` beyond its input, each measurement in a fresh subprocess.

Two methods (the report shows both and says which is which):

- ``rss``: the child reads the input from a file, resets the kernel's high-water mark
  (``echo 5 > /proc/self/clear_refs``), notes ``VmRSS``, runs ``loads`` once and reads
  ``VmHWM``. Peak = VmHWM - VmRSS before the call: everything the process touched,
  whatever allocated it (Python objects, C ``malloc`` in a compiled core, orjson). Where
  ``clear_refs`` cannot be written it falls back to ``ru_maxrss`` (peak since start).
- ``tracemalloc``: peak of Python's traced allocations during the call. It sees every
  Python object, so all of the pure twin, but not memory the compiled core (its stack and
  edit records) or orjson gets from C ``malloc``; it also slows the call down.

Either way the value the call returns is alive at the peak, so the peak includes it.
The ratio is peak / UTF-8 size of the input.

``python -m benchmarks.memory [--sizes 1MB] [--engines ...] [--kinds ...] [--method both]``
prints a table; :func:`measure_all` is what the report calls.
"""
import argparse
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import docs
from . import engines as E

REPO = Path(__file__).resolve().parent.parent
METHODS = ("rss", "tracemalloc")
DEFAULT_ENGINES = ("ours-cython", "ours-python", "orjson")


def _status(key):
    with open("/proc/self/status") as f:
        m = re.search(r"^%s:\s+(\d+) kB" % key, f.read(), re.M)
    return int(m.group(1)) * 1024 if m else None


def _child(method, engine, path, keys):
    reason = E.unavailable(engine)
    if reason is not None:
        return {"engine": engine, "method": method, "skip": reason}
    load = E.load(engine)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    input_bytes = os.path.getsize(path)
    gc.collect()
    how = method
    if method == "tracemalloc":
        import tracemalloc
        tracemalloc.start()
        t0 = time.perf_counter()
        value = load(text, keys, None)
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            before = _status("VmRSS")
            how = "rss (VmHWM after clear_refs)"
        except OSError:
            before = None
        if before is None:
            import resource
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            how = "rss (ru_maxrss; clear_refs not writable)"
        t0 = time.perf_counter()
        value = load(text, keys, None)
        seconds = time.perf_counter() - t0
        if how.startswith("rss (VmHWM"):
            after = _status("VmHWM")
        else:
            import resource
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        peak = max(0, after - before)
    del value
    return {"engine": engine, "method": method, "how": how, "peak_bytes": peak,
            "input_bytes": input_bytes, "ratio": peak / input_bytes, "seconds": seconds}


# The child runs outside the repo with the repo root appended to sys.path, so that it
# imports `repair` as `pytest benchmarks` does (benchmarks/pytest.ini): the installed
# package when there is one, else the source tree (PYTHONPATH=. picks the source tree).
_CHILD = ("import sys; sys.path.append(%r); from benchmarks.memory import main; "
          "sys.exit(main())" % str(REPO))


def measure_all(sizes, kinds=docs.KINDS, engines=DEFAULT_ENGINES, methods=METHODS,
                log=None, timeout=600):
    """Measure every (size, kind, engine, method); engines that cannot run here are left
    out. Returns a list of result dicts (with ``kind``, ``size``; ``error`` on failure)."""
    results = []
    skipped = set()
    with tempfile.TemporaryDirectory(prefix="repair-mem-") as tmp:
        for size in sizes:
            for kind in kinds:
                text, valid = docs.case(kind, size)
                files = {}
                for which, t in (("text", text), ("valid", valid)):
                    p = Path(tmp) / ("%s-%d-%s.json" % (kind, size, which))
                    p.write_text(t, encoding="utf-8")
                    files[which] = p
                for engine in engines:
                    if engine == E.FLOOR and kind != "valid":
                        continue  # orjson parses the valid twin: once per size
                    if engine in skipped:
                        continue
                    path = files["valid" if engine == E.FLOOR else "text"]
                    for method in methods:
                        cmd = [sys.executable, "-c", _CHILD, "--child", method, engine,
                               str(path), json.dumps(list(docs.required_keys(kind)))]
                        proc = subprocess.run(cmd, cwd=tmp, timeout=timeout,
                                              capture_output=True, text=True)
                        if proc.returncode == 0:
                            r = json.loads(proc.stdout.strip().splitlines()[-1])
                        else:
                            r = {"engine": engine, "method": method,
                                 "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
                        if "skip" in r:
                            skipped.add(engine)
                            if log:
                                log("memory: %s skipped: %s" % (engine, r["skip"]))
                            break
                        r.update(kind=kind, size=size)
                        results.append(r)
                        if log:
                            log("memory %s %s %s %s: %s" % (
                                docs.size_name(size), kind, engine, method,
                                "%.2fx input" % r["ratio"] if "ratio" in r else r["error"]))
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", nargs=4, metavar=("METHOD", "ENGINE", "FILE", "KEYS"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--sizes", default="1MB", help="comma list (default 1MB)")
    ap.add_argument("--kinds", default=",".join(docs.KINDS))
    ap.add_argument("--engines", default=",".join(DEFAULT_ENGINES))
    ap.add_argument("--method", choices=METHODS + ("both",), default="both")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args(argv)
    if args.child:
        method, engine, path, keys = args.child
        print(json.dumps(_child(method, engine, path, tuple(json.loads(keys)))))
        return 0
    results = measure_all(
        [docs.parse_size(s) for s in args.sizes.split(",")],
        [k.strip() for k in args.kinds.split(",")],
        [e.strip() for e in args.engines.split(",")],
        METHODS if args.method == "both" else (args.method,),
        log=lambda s: print(s, file=sys.stderr, flush=True))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    for r in results:
        print("%-6s %-16s %-12s %-12s %s" % (
            docs.size_name(r["size"]), r["kind"], r["engine"], r["method"],
            "%.2fx (%d bytes)" % (r["ratio"], r["peak_bytes"]) if "ratio" in r
            else "error: " + r["error"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
