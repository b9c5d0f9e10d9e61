"""A plain-Python random fuzzer with the same checks as the atheris harness
(``fuzz/checks.py``), for machines without atheris and for CI::

    python fuzz/random_fuzz.py --seconds 60 --seed 1
    python fuzz/random_fuzz.py --seconds 3600 --seed 7 --out fuzz/findings

Inputs: corpus texts with random mutations, generated JSON with mutations, JSON-ish
token soup, arbitrary unicode (lone surrogates included), and now and then the same as
UTF-8 bytes, with bytes flipped; some with required keys, another policy or preset.
Each input is repaired by the compiled core and by the pure twin (the twin alone when
the core is not built). A finding is minimised (delta debugging, same kind of finding)
and written as one JSON line to ``<out>/findings.jsonl``; the run goes on. Findings of an
already reported class (``checks.KNOWN``, each with a regression test) are labelled
``KNOWN[class]`` and do not fail the run.

Exit status: 0 when no new finding was found, 1 otherwise. The last line is a summary:
``N inputs, F new findings (by kind), K of known classes (by class), G gave up`` (gave up: a payload was found but its
repair did not parse, so the API raised "could not repair the JSON value" -- allowed,
counted).
"""
import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:
    import repair  # noqa: F401 -- the installed package when there is one
except ImportError:
    sys.path.insert(0, str(HERE.parent))   # else the source tree

import checks  # noqa: E402
import mutate  # noqa: E402


def run(seconds, seed, out=None, max_inputs=None, log=sys.stderr, deep_every=1,
        twin_every=1):
    """Fuzz for ``seconds``; returns ``(count, findings, soft_counts)`` where findings is a
    list of dicts (kind, detail, input, minimal input, options, and ``finding``: the
    :class:`checks.Finding` for the minimal input). With ``twin_every`` > 1 only every
    that many-th input also runs on the pure twin (and is compared); the others run the
    compiled core's checks alone -- for long sessions, where the twin is the bottleneck."""
    rng = random.Random(seed)
    both = checks.engines()
    fast = {"cython": both["cython"]} if "cython" in both and twin_every > 1 else both
    corpus = mutate.corpus_texts()
    deadline = time.monotonic() + seconds
    count = 0
    findings = []
    seen = set()
    soft_counts = {}
    while time.monotonic() < deadline and (max_inputs is None or count < max_inputs):
        text, options = mutate.make_input(rng, corpus)
        count += 1
        engs = both if count % twin_every == 0 else fast
        try:
            soft = checks.check(text, engs, options=options, deep=count % deep_every == 0)
        except checks.Finding as f:
            kind = f.kind

            def still(t, kind=kind, options=options):
                try:
                    checks.check(t, engs, options=options)
                except checks.Finding as g:
                    return g.kind == kind
                return False

            small = mutate.minimise(text, still)
            try:
                checks.check(small, engs, options=options)
                detail = f.detail
            except checks.Finding as g:
                detail = g.detail
            key = (kind, small if isinstance(small, str) else repr(small))
            if key in seen:
                continue
            seen.add(key)
            rec = {"kind": kind, "detail": detail[:2000], "options": options,
                   "minimal": small if isinstance(small, str) else repr(small),
                   "input": text if isinstance(text, str) else repr(text),
                   "bytes": isinstance(text, bytes), "seed": seed, "index": count}
            finding = checks.Finding(kind, detail, small, options)
            rec["known"] = checks.known_class(finding)
            findings.append(dict(rec, finding=finding))
            print("%s %s: %r (%s)" % ("KNOWN[%s]" % rec["known"] if rec["known"] else
                                      "FINDING", kind, rec["minimal"][:200], detail[:300]),
                  file=log, flush=True)
            if out:
                Path(out).mkdir(parents=True, exist_ok=True)
                with open(Path(out) / "findings.jsonl", "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(rec, ensure_ascii=True) + "\n")
            continue
        for s in soft:
            soft_counts[s] = soft_counts.get(s, 0) + 1
    return count, findings, soft_counts


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=None, help="default: from the clock")
    p.add_argument("--out", default=None, help="directory for findings.jsonl")
    p.add_argument("--max-inputs", type=int, default=None)
    p.add_argument("--twin-every", type=int, default=1, metavar="N",
                   help="run the pure twin (and compare) on every N-th input only "
                        "(default 1: every input); the rest on the compiled core alone")
    args = p.parse_args(argv)
    seed = args.seed if args.seed is not None else int(time.time())
    import repair
    print("random_fuzz: seed %d, %g s, engines %s (repair.IMPLEMENTATION=%s), twin on "
          "every %d. input" % (seed, args.seconds, ", ".join(checks.engines()),
                               repair.IMPLEMENTATION, args.twin_every),
          file=sys.stderr, flush=True)
    t0 = time.monotonic()
    count, findings, soft = run(args.seconds, seed, args.out, args.max_inputs,
                                twin_every=args.twin_every)
    new = [f for f in findings if not f["known"]]
    by_kind, by_known = {}, {}
    for f in new:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + 1
    for f in findings:
        if f["known"]:
            by_known[f["known"]] = by_known.get(f["known"], 0) + 1
    print("%d inputs in %.0f s, %d new findings %s, %d of known classes %s, %d gave up" % (
        count, time.monotonic() - t0, len(new), json.dumps(by_kind, sort_keys=True),
        len(findings) - len(new), json.dumps(by_known, sort_keys=True),
        soft.get("gave_up", 0)), flush=True)
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
