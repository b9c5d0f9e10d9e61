"""Concurrency and leaks (issue 6, item 5).

Threads switch every microsecond here (``sys.setswitchinterval``), not every 5 ms.

- ``test_threads_give_single_threaded_results``: 8 threads (``ThreadPoolExecutor``) repair
  every corpus text (and a few adversarial ones) many times over, with and without
  required keys, on each core (``engine``) and through the module functions; every
  outcome (text, edits, span, missing keys, changed, or the error) equals the
  single-threaded one;
- ``test_streams_are_independent``: ``StreamRepairer`` instances fed chunk by chunk,
  interleaved in one thread and concurrently from 8 threads, each give exactly what the
  same stream gives alone (every intermediate value, and ``close()``), which is what
  one-shot ``repair`` gives;
- ``test_repeated_calls_do_not_grow_memory``: after a warm-up, 10^5 repairs on the compiled
  core (10^4 on the pure twin: it is ~10 times slower), over a mix of results, errors,
  bytes, required keys and streams, grow the process' resident memory
  (``/proc/self/statm``) by less than 20 MB.
"""
import os
import random
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest

import repair
from conftest import corpus_cases
from repair import RepairError, StreamRepairer

CASES = corpus_cases()
EXTRA = ['{"a": [1, 2', "{'a': 'b'}", '```json\n{"a": 1,}\n```', "no json here", "",
         '{"a": "x "y" z"}', "[" * 2000, '{"a": 1}}', b'{"a": "\xc3\xa9"', b"\xff{}",
         '<think>{x}</think>{"k": "v"', "[CONTENT]{\"Original Requirements\": 1}[/CONTENT]"]
JOBS = [(c["text"], tuple(c.keys)) for c in CASES] + [(t, ()) for t in EXTRA] + \
    [(c["text"], ()) for c in CASES[:30]]
THREADS = 8
ROUNDS = 8


def snapshot(fn, text, keys):
    try:
        res = fn(text, keys)
    except RepairError as err:
        return ("error", err.msg, err.pos)
    return ("ok", res.text, res.edits, res.span, res.missing_keys, res.changed)


@pytest.fixture(autouse=True)
def tiny_switch_interval():
    """Switch threads every microsecond (not every 5 ms): many more interleavings."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def _hammer(fn):
    expected = [snapshot(fn, t, k) for t, k in JOBS]
    order = list(range(len(JOBS))) * ROUNDS
    random.Random(6).shuffle(order)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(lambda i: (i, snapshot(fn, *JOBS[i])), order))
    bad = [(JOBS[i][0][:80], g, expected[i]) for i, g in got if g != expected[i]]
    assert not bad, "%d of %d concurrent results differ; first: %r" % (
        len(bad), len(got), bad[0])


def test_threads_give_single_threaded_results(engine):
    _hammer(lambda t, k: engine.repair(t, required_keys=k))


def test_threads_module_functions():
    _hammer(lambda t, k: repair.repair(t, k))
    texts = [t for t, _ in JOBS]

    def both(t):
        out = []
        for fn in (repair.loads, repair.repair_llm_output):
            try:
                v = fn(t)
                out.append(orjson.dumps(v) if fn is repair.loads else v)
            except RepairError as err:
                out.append((err.msg, err.pos))
        return out

    want = [both(t) for t in texts]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        assert list(pool.map(both, texts * 2)) == want * 2


# -- streams ------------------------------------------------------------------------------

STREAM_CASES = [c for c in CASES if not c.get("options")][:24]


def chunks_of(text, seed):
    rng = random.Random(seed)
    out, i = [], 0
    while i < len(text):
        k = rng.randint(1, 17)
        out.append(text[i:i + k])
        i += k
    return out


def _value_copy(s):
    try:
        return orjson.dumps(s.value)
    except TypeError:
        return repr(s.value)


def solo(engine, case, seed):
    """Each value after each chunk, then close()'s outcome, for one stream alone."""
    s = StreamRepairer(case.keys, engine=engine)
    seen = []
    for ch in chunks_of(case["text"], seed):
        s.feed(ch)
        seen.append(_value_copy(s))
    try:
        res = s.close()
        end = ("ok", res.text, res.edits)
    except RepairError as err:
        end = ("error", err.msg, err.pos)
    return seen, end


def one_shot(engine, case):
    try:
        res = engine.repair(case["text"], required_keys=case.keys)
        return ("ok", res.text, res.edits)
    except RepairError as err:
        return ("error", err.msg, err.pos)


def test_streams_are_independent_interleaved(engine):
    """Many streams fed in turn from one thread: each behaves as if alone."""
    want = [solo(engine, c, i) for i, c in enumerate(STREAM_CASES)]
    for (_, end), c in zip(want, STREAM_CASES):
        assert end == one_shot(engine, c)
    streams = [StreamRepairer(c.keys, engine=engine) for c in STREAM_CASES]
    pending = [chunks_of(c["text"], i) for i, c in enumerate(STREAM_CASES)]
    seen = [[] for _ in STREAM_CASES]
    rng = random.Random(1)
    while any(pending):
        i = rng.choice([k for k, p in enumerate(pending) if p])
        streams[i].feed(pending[i].pop(0))
        seen[i].append(_value_copy(streams[i]))
    for i, s in enumerate(streams):
        try:
            res = s.close()
            end = ("ok", res.text, res.edits)
        except RepairError as err:
            end = ("error", err.msg, err.pos)
        assert (seen[i], end) == want[i], STREAM_CASES[i].name


def test_streams_are_independent_across_threads(engine):
    """One stream per thread, all fed at once, chunk by chunk in lock step."""
    cases = STREAM_CASES[:THREADS]
    want = [solo(engine, c, 100 + i) for i, c in enumerate(cases)]
    rounds = max(len(chunks_of(c["text"], 100 + i)) for i, c in enumerate(cases))
    barrier = threading.Barrier(len(cases))
    got = [None] * len(cases)

    def run(i):
        c = cases[i]
        chunks = chunks_of(c["text"], 100 + i)
        s = StreamRepairer(c.keys, engine=engine)
        seen = []
        for r in range(rounds):
            barrier.wait()
            if r < len(chunks):
                s.feed(chunks[r])
                seen.append(_value_copy(s))
        try:
            res = s.close()
            end = ("ok", res.text, res.edits)
        except RepairError as err:
            end = ("error", err.msg, err.pos)
        got[i] = (seen, end)

    with ThreadPoolExecutor(max_workers=len(cases)) as pool:
        for f in [pool.submit(run, i) for i in range(len(cases))]:
            f.result(timeout=300)
    for i, c in enumerate(cases):
        assert got[i] == want[i], c.name


# -- leaks ----------------------------------------------------------------------------------

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


LEAK_MIX = [
    ('{"a": [1, 2', {}), ("{'a': 'b', 'c': [True, None]}", {}), ("I cannot help.", {}),
    ('```json\n{"Name": "x",}\n```', {"required_keys": ["name"]}), (b'{"a": 1', {}),
    (b"\xff", {}), ('{"a": 1} {"b": 2}', {"policy": "all"}), ("[" * 1001, {}),
    ('{"a": "x "y" z", "b": 1.5e3, "c": "\\ud800"}', {}), ("[1, 2, 3]", {}),
]
STREAM_TEXT = '{"a": [1, 2, {"b": "' + "x" * 50 + '"}], "c": true'


def test_repeated_calls_do_not_grow_memory(engine, request):
    core = request.node.callspec.params["engine"]
    n = 10 ** 5 if core == "cython" else 10 ** 4

    def work(count):
        for i in range(count):
            text, options = LEAK_MIX[i % len(LEAK_MIX)]
            try:
                engine.repair(text, **options)
            except RepairError:
                pass
            if i % 200 == 0:
                s = StreamRepairer(engine=engine)
                for k in range(0, len(STREAM_TEXT), 7):
                    s.feed(STREAM_TEXT[k:k + 7])
                    s.value
                s.close()

    work(max(2000, n // 20))          # warm-up: caches, allocator pools
    before = rss()
    work(n)
    grown = rss() - before
    assert grown < 20 * 2 ** 20, "RSS grew by %.1f MB over %d calls" % (grown / 2 ** 20, n)
