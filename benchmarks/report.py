"""The benchmark report: targets (pass/fail), ratios, growth exponents, memory, a plot.

    python -m benchmarks.report --run                 # run everything (all sizes), report
    python -m benchmarks.report --json FILE           # report on an earlier run's JSON
    python -m benchmarks.report --run --sizes 1KB,10KB,100KB --no-memory   # quicker

``--run`` runs ``pytest benchmarks`` with ``REPAIR_BENCH_SIZES`` set to ``--sizes`` (default
all: 1 KB … 10 MB) and ``--benchmark-json``, then measures memory (``benchmarks.memory``)
unless ``--no-memory``. The report goes to stdout and to ``OUT_DIR/report.md``; the plot
(matplotlib, optional: ``pip install matplotlib``) to ``OUT_DIR/time_vs_size.png``;
``--readme FILE`` also replaces the part of FILE between the report markers.

All times are medians from the same run. Ratios: ours / orjson (orjson always parses the
*valid twin* of the input, the floor) and peer / ours (how many times faster ours is).
The report only compares; nothing in the test suite asserts a speed.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from . import docs
from . import engines as E

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = HERE / "results"
MARK_START = "<!-- benchmark-report:start -->"
MARK_END = "<!-- benchmark-report:end -->"

PASS, FAIL, NA = "PASS", "FAIL", "n/a"
OK, BAD = "✓", "✗"

# the targets (limits); speed targets are checked here only, never in tests
VALID_MAX = 1.15            # loads on valid JSON <= 1.15 x orjson.loads
SMALL_MAX_SIZE = 1_000      # "small replies": <= 1 KB
SMALL_FACTOR, SMALL_ADD = 2.0, 2e-6   # <= 2 x orjson.loads + 2 us
BIG_MIN_SIZE = 100_000      # damaged documents >= 100 KB:
BIG_FLOOR_MAX = 3.0         #   <= 3 x orjson.loads of the valid twin
BIG_FJR_MIN = 3.0           #   >= 3 x faster than fast-json-repair
BIG_JR_MIN = 50.0           #   >= 50 x faster than json_repair
GROWTH_MAX = 1.1            # growth exponent 100 KB .. 10 MB
GROWTH_RANGE = (100_000, 10_000_000)
MEM_MAX = 4.0               # peak memory beyond the input <= 4 x input


# kinds where a peer does less work than ours, so the peer targets leave them out
NOT_COMPARABLE = {"key_case": "peers cannot be told the keys to restore"}


# -- reading -------------------------------------------------------------------------

class Results:
    """Medians (seconds) from a pytest-benchmark JSON file."""

    def __init__(self, data, memory=None):
        self.data = data
        self.docs = {}       # (kind, size, engine) -> median
        self.docs_info = {}  # (kind, size, engine) -> extra_info
        self.corpus = {}     # (family, engine) -> median
        self.corpus_info = {}
        self.stream = {}     # (size, engine, mode) -> median
        self.paired = {}     # (size, engine) -> (one-shot, stream): fastest rounds, timed
                             # in alternation
        self.paired_small = {}  # (size, engine) -> the 100 KB stream timed in that
                                # alternation too (the growth)
        self.shapes = {}     # (shape, engine, size) -> fastest round
        for b in data.get("benchmarks", ()):
            info = b.get("extra_info") or {}
            median = b["stats"]["median"]
            if info.get("suite") == "docs":
                key = (info["kind"], info["size"], info["engine"])
                self.docs[key], self.docs_info[key] = median, info
            elif info.get("suite") == "corpus":
                key = (info["family"], info["engine"])
                self.corpus[key], self.corpus_info[key] = median, info
            elif info.get("suite") == "stream":
                self.stream[(info["size"], info["engine"], info["mode"])] = median
                if "paired_stream" in info:
                    self.paired[(info["size"], info["engine"])] = (info["paired_one_shot"],
                                                                   info["paired_stream"])
                if "paired_small_stream" in info:
                    self.paired_small[(info["size"], info["engine"])] = info["paired_small_stream"]
            elif info.get("suite") == "stream_shape":
                self.shapes[(info["shape"], info["engine"], info["size"])] = b["stats"]["min"]
        self.sizes = sorted({k[1] for k in self.docs})
        self.engines = [e for e in E.ENGINES if any(k[2] == e for k in self.docs) or
                        any(k[1] == e for k in self.corpus)]
        self.families = sorted({k[0] for k in self.corpus},
                               key=lambda f: (-self.corpus_info[(f, E.FLOOR)]["cases"]
                                              if (f, E.FLOOR) in self.corpus_info else 0, f))
        self.ours = "ours-cython" if "ours-cython" in self.engines else "ours-python"
        self.memory = memory or []

    def t(self, kind, size, engine):
        if engine == E.FLOOR:
            kind = "valid"
        return self.docs.get((kind, size, engine))

    def floor(self, size):
        return self.docs.get(("valid", size, E.FLOOR))

    def missing_reason(self, engine, size):
        if engine not in self.engines:
            return "not run"
        return "skipped: too slow at this size" if E.cap_reason(engine, size) else "not run"


def growth(res, kind, engine, lo=GROWTH_RANGE[0], hi=GROWTH_RANGE[1]):
    """Least-squares slope of log(median) against log(size) over the sizes in [lo, hi]
    that were measured; ``(slope, n_points)``, slope ``None`` with fewer than 2 points."""
    pts = [(math.log(s), math.log(res.t(kind, s, engine))) for s in res.sizes
           if lo <= s <= hi and res.t(kind, s, engine)]
    if len(pts) < 2:
        return None, len(pts)
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in pts)
    return sxy / sxx, len(pts)


# -- formatting ----------------------------------------------------------------------

def fmt_t(sec):
    if sec is None:
        return "—"
    if sec < 1e-3:
        return "%.3g µs" % (sec * 1e6)
    if sec < 1:
        return "%.3g ms" % (sec * 1e3)
    return "%.3g s" % sec


def fmt_r(r):
    if r is None:
        return "—"
    return "%.3g×" % r if r < 100 else "%.0f×" % r


def table(header, rows):
    if not rows:
        return "(no data at the sizes run)"
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def verdict(checks):
    """PASS when every check passed, FAIL when one failed, n/a when there was none."""
    if not checks:
        return NA
    return PASS if all(checks) else FAIL


# -- the targets ---------------------------------------------------------------------

class Target:
    def __init__(self, name, engine, limit):
        self.name, self.engine, self.limit = name, engine, limit
        self.checks = []       # bools
        self.worst = None      # (text, where)
        self.detail = None     # markdown
        self.note = ""

    @property
    def result(self):
        return verdict(self.checks)


def _worst(items, key, fmt):
    """items: [(value, where)]; key picks the worst; returns 'value (where)'."""
    if not items:
        return "—"
    v, where = key(items)
    return "%s (%s)" % (fmt(v), where)


def targets(res):
    ours = res.ours
    out = []
    sn = docs.size_name

    # 1. loads on valid JSON <= 1.15 x orjson.loads
    t = Target("`loads` on valid JSON ≤ %.2f× `orjson.loads`" % VALID_MAX, ours,
               "≤ %.2f×" % VALID_MAX)
    rows, items = [], []
    for s in res.sizes:
        a, f = res.t("valid", s, ours), res.floor(s)
        if a and f:
            r = a / f
            t.checks.append(r <= VALID_MAX)
            items.append((r, sn(s)))
            rows.append([sn(s), fmt_t(f), fmt_t(a), fmt_r(r), OK if r <= VALID_MAX else BAD])
    t.worst = _worst(items, lambda i: max(i), fmt_r)
    t.detail = table(["size", "orjson", ours, "ratio", ""], rows)
    out.append(t)

    # 2. small replies <= 2 x orjson + 2 us
    t = Target("small replies (≤ 1 KB) ≤ %g× `orjson.loads` + %g µs" % (
        SMALL_FACTOR, SMALL_ADD * 1e6), ours, "≤ %g× floor + %g µs" % (SMALL_FACTOR, SMALL_ADD * 1e6))
    rows, items = [], []
    for s in [s for s in res.sizes if s <= SMALL_MAX_SIZE]:
        f = res.floor(s)
        for kind in docs.KINDS:
            a = res.t(kind, s, ours)
            if a and f:
                limit = SMALL_FACTOR * f + SMALL_ADD
                t.checks.append(a <= limit)
                items.append((a / limit, "%s %s" % (kind, sn(s))))
                rows.append(["%s %s" % (kind, sn(s)), fmt_t(f), fmt_t(a), fmt_t(limit),
                             fmt_r(a / limit), OK if a <= limit else BAD])
    for fam in res.families:
        a, f = res.corpus.get((fam, ours)), res.corpus.get((fam, E.FLOOR))
        if a and f:
            n = res.corpus_info[(fam, ours)]["cases"]
            limit = SMALL_FACTOR * f + SMALL_ADD * n
            t.checks.append(a <= limit)
            items.append((a / limit, "corpus %s" % fam))
            rows.append(["corpus %s (%d cases, per case)" % (fam, n), fmt_t(f / n),
                         fmt_t(a / n), fmt_t(limit / n), fmt_r(a / limit),
                         OK if a <= limit else BAD])
    t.worst = _worst(items, lambda i: max(i), lambda v: "%.3g× the limit" % v)
    t.detail = table(["input", "orjson (valid twin)", ours, "limit", "ours / limit", ""], rows)
    out.append(t)

    # 3. damaged >= 100 KB
    big = [s for s in res.sizes if s >= BIG_MIN_SIZE]
    t1 = Target("damaged ≥ 100 KB: `loads` ≤ %g× `orjson.loads` of the valid twin" % BIG_FLOOR_MAX,
                ours, "≤ %g×" % BIG_FLOOR_MAX)
    t2 = Target("damaged ≥ 100 KB: ≥ %g× faster than fast-json-repair" % BIG_FJR_MIN, ours,
                "≥ %g×" % BIG_FJR_MIN)
    t3 = Target("damaged ≥ 100 KB: ≥ %g× faster than json_repair" % BIG_JR_MIN, ours,
                "≥ %g×" % BIG_JR_MIN)
    rows = []
    i1, i2, i3 = [], [], []
    for kind in docs.DAMAGE_KINDS:
        for s in big:
            a, f = res.t(kind, s, ours), res.floor(s)
            fj, jr = res.t(kind, s, "fast_json_repair"), res.t(kind, s, "json_repair")
            if not a:
                continue
            cells = ["%s %s" % (kind, sn(s))]
            if f:
                r = a / f
                t1.checks.append(r <= BIG_FLOOR_MAX)
                i1.append((r, "%s %s" % (kind, sn(s))))
                cells.append("%s %s" % (fmt_r(r), OK if r <= BIG_FLOOR_MAX else BAD))
            else:
                cells.append("—")
            for tg, items, peer, lim in ((t2, i2, fj, BIG_FJR_MIN), (t3, i3, jr, BIG_JR_MIN)):
                if peer and kind in NOT_COMPARABLE:
                    cells.append("%s (not counted: %s)" % (fmt_r(peer / a),
                                                           NOT_COMPARABLE[kind]))
                elif peer:
                    r = peer / a
                    tg.checks.append(r >= lim)
                    items.append((r, "%s %s" % (kind, sn(s))))
                    cells.append("%s %s" % (fmt_r(r), OK if r >= lim else BAD))
                else:
                    name = "fast_json_repair" if tg is t2 else "json_repair"
                    cells.append(res.missing_reason(name, s))
            rows.append(cells)
    t1.worst = _worst(i1, lambda i: max(i), fmt_r)
    t2.worst = _worst(i2, lambda i: min(i), fmt_r)
    t3.worst = _worst(i3, lambda i: min(i), fmt_r)
    t1.detail = table(["input", "ours / orjson (≤ %g×)" % BIG_FLOOR_MAX,
                       "fast_json_repair / ours (≥ %g×)" % BIG_FJR_MIN,
                       "json_repair / ours (≥ %g×)" % BIG_JR_MIN], rows)
    t2.detail = t3.detail = "(in the table of the previous target)"
    t2.note = t3.note = "key_case not counted"
    out += [t1, t2, t3]

    # 4. growth exponent
    t = Target("growth exponent ≤ %g from 100 KB to 10 MB, every damage kind" % GROWTH_MAX, ours,
               "≤ %g" % GROWTH_MAX)
    items = []
    for kind in docs.DAMAGE_KINDS:
        g, n = growth(res, kind, ours)
        if g is not None:
            t.checks.append(g <= GROWTH_MAX)
            items.append((g, kind))
    t.worst = _worst(items, lambda i: max(i), lambda v: "%.2f" % v)
    if res.sizes and max(res.sizes) < GROWTH_RANGE[1]:
        t.note = "largest size run: %s" % sn(max(res.sizes))
    t.detail = "(see the growth table)"
    out.append(t)

    # 5. memory
    mem = [m for m in res.memory if m.get("engine") == ours and "ratio" in m
           and m.get("method") == "rss"]
    t = Target("peak memory beyond the input ≤ %g× the input (RSS, subprocess)" % MEM_MAX,
               ours, "≤ %g×" % MEM_MAX)
    items = []
    for m in mem:
        t.checks.append(m["ratio"] <= MEM_MAX)
        items.append((m["ratio"], "%s %s" % (m["kind"], sn(m["size"]))))
    t.worst = _worst(items, lambda i: max(i), fmt_r)
    t.detail = "(see the memory table)"
    out.append(t)

    # 6. pure twin no slower than json_repair
    t = Target("pure twin no slower than json_repair", "ours-python", "≤ 1×")
    rows, items = [], []
    for kind in [k for k in docs.KINDS if k not in NOT_COMPARABLE]:
        for s in res.sizes:
            p, jr = res.t(kind, s, "ours-python"), res.t(kind, s, "json_repair")
            if p and jr:
                r = p / jr
                t.checks.append(r <= 1.0)
                items.append((r, "%s %s" % (kind, sn(s))))
    t.worst = _worst(items, lambda i: max(i), fmt_r)
    t.detail = "(ours-python / json_repair: see the ratio table)"
    t.note = "key_case not counted"
    out.append(t)
    return out


# -- sections ------------------------------------------------------------------------

def header(res, wall=None):
    mi = res.data.get("machine_info", {})
    cpu = mi.get("cpu", {})
    rb = mi.get("repair_bench", {})
    ver = rb.get("versions", {})
    ci = res.data.get("commit_info", {})
    lines = [
        "Run: %s (UTC)%s" % (res.data.get("datetime", "?")[:19].replace("T", " "),
                              "; took %.0f s" % wall if wall else ""),
        "Machine: %s, %s core(s), %s %s, %s %s%s" % (
            cpu.get("brand_raw", "?"), cpu.get("count", "?"), mi.get("system", "?"),
            mi.get("release", "?"), mi.get("python_implementation", "?"),
            mi.get("python_version", "?"),
            "; load average at the end of the run %s (1/5/15 min)" % "/".join(
                "%.2f" % x for x in rb["loadavg_at_end"]) if rb.get("loadavg_at_end") else ""),
        "Code: commit %s%s; `repair` from %s; `repair.loads` uses the %s core%s" % (
            (ci.get("id") or "?")[:10], " (dirty tree)" if ci.get("dirty") else "",
            rb.get("repair_from", "?"), rb.get("implementation", "?"),
            " (%s)" % Path(rb["compiled_core"]).name if rb.get("compiled_core") else ""),
        "Versions: " + ", ".join("%s %s" % (k, v or "not installed")
                                 for k, v in ver.items()),
        "Sizes: %s. Caps (skipped above): %s." % (
            ", ".join(docs.size_name(s) for s in res.sizes),
            ", ".join("%s > %s" % (k, docs.size_name(v)) for k, v in E.CAPS.items()) or "none"),
    ]
    return "\n".join("- " + line for line in lines)


def targets_section(ts):
    rows = [[i + 1, t.name, t.engine, len(t.checks), t.worst, t.limit,
             "**%s**" % t.result + (" (%s)" % t.note if t.note else "")]
            for i, t in enumerate(ts)]
    out = [table(["#", "target", "engine", "checks", "worst (where)", "limit", "result"], rows)]
    for i, t in enumerate(ts):
        if t.detail and not t.detail.startswith("("):
            out.append("\n#### Target %d: %s — %s\n\n%s" % (i + 1, t.name, t.result, t.detail))
    return "\n".join(out)


def ratio_section(res):
    peers = [p for p in E.PEERS]
    head = ["kind", "size", "orjson (valid twin)", res.ours, "ours / orjson"]
    if res.ours != "ours-python":
        head += ["ours-python / orjson"]
    head += ["%s / ours" % p for p in peers] + ["ours correct"]
    rows = []
    for kind in docs.KINDS:
        for s in res.sizes:
            a, f = res.t(kind, s, res.ours), res.floor(s)
            row = [kind, docs.size_name(s), fmt_t(f), fmt_t(a),
                   fmt_r(a / f) if a and f else "—"]
            if res.ours != "ours-python":
                p = res.t(kind, s, "ours-python")
                row.append(fmt_r(p / f) if p and f else res.missing_reason("ours-python", s)
                           if not p else "—")
            for peer in peers:
                v = res.t(kind, s, peer)
                row.append(fmt_r(v / a) if v and a else
                           res.missing_reason(peer, s) if not v else "—")
            info = res.docs_info.get((kind, s, res.ours), {})
            c = info.get("correct")
            row.append("—" if c is None else OK if c else BAD)
            rows.append(row)
    return table(head, rows)


def times_section(res):
    head = ["kind", "size"] + res.engines
    rows = []
    for kind in docs.KINDS:
        for s in res.sizes:
            row = [kind, docs.size_name(s)]
            for e in res.engines:
                if e == E.FLOOR and kind != "valid":
                    row.append("")
                    continue
                v = res.docs.get((kind, s, e))
                info = res.docs_info.get((kind, s, e), {})
                cell = fmt_t(v) if v else res.missing_reason(e, s)
                if info.get("correct") is False:
                    cell += " (wrong value)"
                if info.get("error"):
                    cell += " (raised)"
                row.append(cell)
            rows.append(row)
    return table(head, rows)


def growth_section(res):
    head = ["kind"] + [e for e in res.engines]
    rows = []
    for kind in docs.KINDS:
        row = [kind]
        for e in res.engines:
            if e == E.FLOOR and kind != "valid":
                row.append("")
                continue
            g, n = growth(res, kind, e)
            row.append("—" if g is None else "%.2f%s" % (g, "" if n >= 3 else " (%d pts)" % n))
        rows.append(row)
    return table(head, rows)


def corpus_section(res):
    head = ["family", "cases", "orjson (valid twins) / case"] + [
        "%s / case" % e for e in res.engines if e != E.FLOOR] + ["ours / orjson"] + [
        "%s / ours" % p for p in E.PEERS if p in res.engines] + ["values right (%s)" % ", ".join(
            e for e in res.engines if e != E.FLOOR)]
    rows = []
    for fam in res.families:
        f = res.corpus.get((fam, E.FLOOR))
        info = res.corpus_info.get((fam, res.ours)) or res.corpus_info.get((fam, E.FLOOR))
        n = info["cases"]
        row = [fam, n, fmt_t(f / n) if f else "—"]
        for e in res.engines:
            if e != E.FLOOR:
                v = res.corpus.get((fam, e))
                row.append(fmt_t(v / n) if v else "—")
        a = res.corpus.get((fam, res.ours))
        row.append(fmt_r(a / f) if a and f else "—")
        for p in E.PEERS:
            if p in res.engines:
                v = res.corpus.get((fam, p))
                row.append(fmt_r(v / a) if v and a else "—")
        row.append(" / ".join(str(res.corpus_info.get((fam, e), {}).get("correct", "—"))
                              for e in res.engines if e != E.FLOOR))
        rows.append(row)
    return table(head, rows)


def memory_section(res):
    if not res.memory:
        return "(not measured: run with `--run`, or `--memory`)"
    by = defaultdict(dict)
    engines = []
    for m in res.memory:
        col = (m["engine"], m["method"])
        if col not in engines:
            engines.append(col)
        by[(m["kind"], m["size"])][col] = m
    head = ["kind", "size"] + ["%s %s" % c for c in engines]
    rows = []
    for (kind, size), cols in by.items():
        row = [kind, docs.size_name(size)]
        for c in engines:
            m = cols.get(c)
            if m is None:
                row.append("")
            elif "ratio" in m:
                row.append("%.2f× (%.1f MB)" % (m["ratio"], m["peak_bytes"] / 1e6))
            else:
                row.append("error")
        rows.append(row)
    hows = sorted({m.get("how", m["method"]) for m in res.memory if "how" in m})
    return (table(head, rows) + "\n\nPeak bytes during one `loads` beyond what the process "
            "held before it, divided by the input's UTF-8 size; the returned value is "
            "included. Methods: " + "; ".join(hows) + ". RSS counts pages touched by "
            "anything (Python objects, C malloc, orjson); tracemalloc counts bytes "
            "requested from Python's allocators (it sees orjson's large transient buffer "
            "even where its pages are never touched, and would miss C malloc in a typed "
            "core). The target is checked on RSS.")


def _verdict(engine, what, ratio, target, how):
    return "- %s: %s (%s; target ≤ %d×): %s" % (engine, what % ratio, how, target,
                                                 "PASS" if ratio <= target else "FAIL")


def stream_section(res):
    """Streaming in 4-character chunks (``.value`` read after each) against one-shot.

    The targets are judged on the paired measurement (one-shot and streaming timed in
    alternation, the fastest round of each; for the growth, the 1 MB and 100 KB streams
    timed in one alternation) where there is one, else on the medians."""
    if not res.stream:
        return "(not measured)"
    rows = []
    for (size, engine, mode), t in sorted(res.stream.items()):
        if mode == "one-shot":
            continue
        one = res.stream.get((size, engine, "one-shot"))
        pair = res.paired.get((size, engine))
        rows.append([docs.size_name(size), engine, mode, fmt_t(t),
                     fmt_r(t / one) if one else "—",
                     "%s / %s = %s" % (fmt_t(pair[1]), fmt_t(pair[0]), fmt_r(pair[1] / pair[0]))
                     if pair else "—"])
    out = [table(["size", "engine", "mode", "median", "× one-shot (medians)",
                  "paired: stream / one-shot"], rows)]
    for engine in ("ours-cython", "ours-python"):
        p100 = res.paired.get((100_000, engine))
        p1m = res.paired.get((1_000_000, engine))
        s100 = res.stream.get((100_000, engine, "stream"))
        o100 = res.stream.get((100_000, engine, "one-shot"))
        s1m = res.stream.get((1_000_000, engine, "stream"))
        if p100:
            out.append(_verdict(engine, "streaming 100KB costs %.2f× one-shot", p100[1] / p100[0],
                                3, "paired"))
        elif s100 and o100:
            out.append(_verdict(engine, "streaming 100KB costs %.2f× one-shot", s100 / o100, 3,
                                "medians"))
        small = res.paired_small.get((1_000_000, engine))
        if p1m and small:
            # the 100 KB stream timed beside the 1 MB one (drift cancels) or in its own
            # test (warmer caches), whichever was faster: the growth is not understated
            if p100:
                small = min(small, p100[1])
            out.append(_verdict(engine, "streaming 1MB costs %.2f× streaming 100KB",
                                p1m[1] / small, 12, "paired; 100 KB: its fastest time"))
        elif p100 and p1m:
            out.append(_verdict(engine, "streaming 1MB costs %.2f× streaming 100KB",
                                p1m[1] / p100[1], 12, "paired"))
        elif s100 and s1m:
            out.append(_verdict(engine, "streaming 1MB costs %.2f× streaming 100KB", s1m / s100,
                                12, "medians"))
    shapes = shape_section(res)
    if shapes:
        out += ["", shapes]
    return "\n".join(out)


SHAPE_GROWTH = 15   # 10x the text: linear is about 10x, a scan per chunk about 100x


def shape_section(res):
    """One long token streamed at two sizes (10x apart): the growth of the fastest round."""
    sizes = sorted({k[2] for k in res.shapes})
    if len(sizes) < 2:
        return ""
    lo, hi = sizes[0], sizes[-1]
    rows = []
    worst = {}
    for shape in dict.fromkeys(k[0] for k in res.shapes):
        for engine in ("ours-cython", "ours-python"):
            a, b = res.shapes.get((shape, engine, lo)), res.shapes.get((shape, engine, hi))
            if a and b:
                rows.append([shape, engine, fmt_t(a), fmt_t(b), "%.1f×" % (b / a)])
                worst[engine] = max(worst.get(engine, 0), b / a)
    out = ["One long token (a string, word, number, comment, key or prose), streamed "
           "at %s and %s (fastest of the rounds):" % (docs.size_name(lo), docs.size_name(hi)),
           "", table(["shape", "engine", docs.size_name(lo), docs.size_name(hi), "growth"],
                     rows)]
    for engine, g in worst.items():
        out.append("- %s: the largest growth from %s to %s is %.1f× (linear ~%.0f×; "
                   "target ≤ %d×): %s" % (engine, docs.size_name(lo), docs.size_name(hi), g,
                                          hi / lo, SHAPE_GROWTH,
                                          "PASS" if g <= SHAPE_GROWTH else "FAIL"))
    return "\n".join(out)


def report_markdown(res, wall=None, plot_name=None):
    ts = targets(res)
    parts = [
        "# Benchmark report",
        header(res, wall),
        "## Targets (medians, same run)",
        targets_section(ts),
        "## Time against size",
        "![time against size](%s)" % plot_name if plot_name else "(plot not written)",
        "## Ratios per damage kind and size",
        "orjson always parses the valid twin (the floor); peer / ours is how many times "
        "faster ours is. “ours correct”: the value equals the valid twin's (— where that is "
        "not defined: truncated). On key_case the peers only parse (they cannot be told the "
        "keys to restore), so the peer targets leave that kind out.",
        ratio_section(res),
        "## Growth exponent (log-log slope of median time, %s to %s)" % (
            docs.size_name(GROWTH_RANGE[0]), docs.size_name(GROWTH_RANGE[1])),
        growth_section(res),
        "## Peak memory",
        memory_section(res),
        "## Corpus (real model failures, per model family)",
        "Loop over the family's cases that have an expected value; orjson parses the "
        "expected values (the valid twins).",
        corpus_section(res),
        "## Streaming (4-character chunks, `.value` read after each)",
        "json_repair re-parses the whole buffer per chunk, so it runs at 10KB only.",
        stream_section(res),
        "## Median times",
        times_section(res),
    ]
    return "\n\n".join(parts) + "\n", ts


def readme_block(res, ts, plot_rel):
    """The short version for a README: header, targets, plot, streaming."""
    return "\n\n".join([
        MARK_START,
        "_Produced by `python -m benchmarks.report`; full report: "
        "`benchmarks/results/report.md`._",
        header(res),
        targets_section([t for t in ts]).split("\n\n####")[0],
        "![time against size](%s)" % plot_rel if plot_rel else "(plot not written)",
        "Streaming:\n\n" + stream_section(res),
        "The ratios per damage kind and size, growth exponents, memory and the corpus "
        "per model family are in the full report.",
        MARK_END,
    ])


def update_readme(path, block):
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if MARK_START in text and MARK_END in text:
        a = text.index(MARK_START)
        b = text.index(MARK_END) + len(MARK_END)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# -- the plot ------------------------------------------------------------------------

STYLE = {"ours-cython": ("tab:blue", "o", "-"), "ours-python": ("tab:cyan", "s", "-"),
         "orjson": ("black", "", "--"), "json_repair": ("tab:red", "^", "-"),
         "fast_json_repair": ("tab:orange", "v", "-")}


def plot(res, path):
    """Log-log time against size, one panel per kind, one line per engine (orjson on the
    valid twin in every panel). Returns an error message instead of raising when matplotlib
    is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: pip install matplotlib (the plot is optional)"
    kinds = list(docs.KINDS)
    ncols = 4
    nrows = (len(kinds) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.3 * nrows), sharex=True,
                             sharey=True, squeeze=False)
    handles = {}
    for ax, kind in zip(axes.flat, kinds):
        for e in res.engines:
            pts = [(s, res.t(kind, s, e)) for s in res.sizes if res.t(kind, s, e)]
            if not pts:
                continue
            color, marker, ls = STYLE.get(e, ("grey", ".", "-"))
            label = "orjson (valid twin)" if e == E.FLOOR else e
            (h,) = ax.plot([p[0] for p in pts], [p[1] for p in pts], color=color,
                           marker=marker, linestyle=ls, label=label, markersize=4)
            handles[label] = h
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(kind, fontsize=10)
        ax.grid(True, which="major", alpha=0.3)
    for ax in axes.flat[len(kinds):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("input size (bytes)")
    for ax in axes[:, 0]:
        ax.set_ylabel("median time (s)")
    spare = axes.flat[len(kinds)] if len(kinds) < nrows * ncols else None
    if spare is not None:
        spare.legend(list(handles.values()), list(handles), loc="center", fontsize=9)
    else:
        fig.legend(list(handles.values()), list(handles), loc="lower center",
                   ncol=len(handles), fontsize=9)
    fig.suptitle("repair: time against size (%s)" % res.data.get("datetime", "")[:10])
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


# -- running -------------------------------------------------------------------------

def run_benchmarks(json_path, sizes, out_dir, max_time, extra_args=()):
    """Run ``pytest benchmarks`` (all of it, at ``sizes``) writing ``json_path``.

    pytest runs from ``out_dir``, not the repo root, so that ``repair`` is imported the way
    ``pytest benchmarks`` imports it (see benchmarks/pytest.ini): the installed package when
    there is one, else the source tree; ``PYTHONPATH=.`` picks the source tree."""
    env = dict(os.environ)
    env["REPAIR_BENCH_SIZES"] = ",".join(docs.size_name(s) for s in sizes)
    out_dir = Path(out_dir).resolve()
    log = out_dir / "pytest.log"
    cmd = [sys.executable, "-m", "pytest", str(HERE), "-q", "-p", "no:cacheprovider",
           "--benchmark-json", str(Path(json_path).resolve()),
           "--benchmark-max-time", str(max_time),
           "--benchmark-columns", "median,rounds", "--benchmark-sort", "name"] + list(extra_args)
    print("running: REPAIR_BENCH_SIZES=%s %s  (output: %s)" % (
        env["REPAIR_BENCH_SIZES"], " ".join(cmd[1:]), log), file=sys.stderr, flush=True)
    with open(log, "w") as f:
        proc = subprocess.run(cmd, cwd=str(out_dir), env=env, stdout=f,
                              stderr=subprocess.STDOUT)
    tail = log.read_text(errors="replace").strip().splitlines()[-1:]
    print("pytest: %s" % (tail[0] if tail else "?"), file=sys.stderr)
    if proc.returncode != 0:
        raise SystemExit("the benchmark run failed (exit %d): see %s" % (proc.returncode, log))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", action="store_true", help="run the benchmarks first")
    ap.add_argument("--json", help="pytest-benchmark JSON (default OUT_DIR/bench.json)")
    ap.add_argument("--sizes", default="all",
                    help="with --run: comma list such as 1KB,10KB,100KB, or all (default)")
    ap.add_argument("--out-dir", default=str(DEFAULT_OUT))
    ap.add_argument("--max-time", type=float, default=0.5,
                    help="with --run: pytest-benchmark --benchmark-max-time (default 0.5 s)")
    ap.add_argument("--no-memory", action="store_true", help="with --run: skip memory")
    ap.add_argument("--memory", action="store_true", help="measure memory now (no --run)")
    ap.add_argument("--mem-sizes", default="1MB",
                    help="sizes for the memory measurement (default 1MB)")
    ap.add_argument("--readme", help="also put the summary between the report markers "
                    "of this file (e.g. benchmarks/README.md)")
    ap.add_argument("pytest_args", nargs="*", help="with --run: extra pytest arguments "
                    "(after --), e.g. -- -k 'valid'")
    args = ap.parse_args(argv)

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    json_path = Path(args.json) if args.json else out / "bench.json"
    mem_path = out / "memory.json"
    t0 = time.time()
    if args.run:
        sizes = docs.SIZES if args.sizes.strip().lower() == "all" else tuple(sorted(
            {docs.parse_size(s) for s in args.sizes.split(",") if s.strip()}))
        run_benchmarks(json_path, sizes, out, args.max_time, args.pytest_args)
    if not json_path.exists():
        raise SystemExit("no benchmark results at %s: run with --run (or pass --json FILE)"
                         % json_path)
    memory = None
    if (args.run and not args.no_memory) or args.memory:
        from . import memory as M
        memory = M.measure_all([docs.parse_size(s) for s in args.mem_sizes.split(",")],
                               log=lambda s: print(s, file=sys.stderr, flush=True))
        mem_path.write_text(json.dumps(memory, indent=1))
    elif mem_path.exists() and not args.no_memory:
        memory = json.loads(mem_path.read_text())
    wall = time.time() - t0 if args.run else None

    res = Results(json.loads(json_path.read_text()), memory)
    png = out / "time_vs_size.png"
    err = plot(res, png)
    if err:
        print(err, file=sys.stderr)
    md, ts = report_markdown(res, wall, png.name if not err else None)
    (out / "report.md").write_text(md, encoding="utf-8")
    print(md)
    if args.readme:
        readme = Path(args.readme)
        rel = os.path.relpath(png, readme.resolve().parent) if not err else ""
        update_readme(readme, readme_block(res, ts, rel))
        print("updated %s" % readme, file=sys.stderr)
    print("wrote %s%s" % (out / "report.md", "" if err else " and %s" % png), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
