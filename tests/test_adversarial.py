"""Adversarial inputs (issue 6, item 2), on both cores (the ``engine`` fixture).

Every input is a family ``make(n) -> text``. For each family and core:

- ``test_valid_json_or_repair_error``: the outcome at a small size is valid JSON (its text
  parses with orjson to its value) or a :class:`RepairError` whose position fits its
  document -- never another exception;
- ``test_time_grows_linearly``: the time at size 4n is at most 10 times the time at n
  (linear is 4, quadratic 16; the bound leaves room for noise). That is a ratio between
  sizes, never an absolute time. n grows (doubling) until one repair takes a few
  milliseconds, so the check stays meaningful once the compiled core gets faster;
- ``test_memory_grows_linearly``: the peak traced memory (``tracemalloc``) at 4n is at
  most 8 times the peak at n, and at most 600 bytes per input character;
- ``test_full_scale``: the sizes the issue names (10^6 nested ``[`` and ``{"a":``, a 10 MB
  string with no closing quote, 10^6 commas, 10^5 unescaped inner quotes, 10 MB of
  invalid UTF-8, 1 MB of prose full of braces; 10^5 missing commas and NULs) on the
  compiled core, and at a tenth of that on the pure twin (it runs at about
  2-3 MB/s), with the value each must give where the intent is plain;
- ``test_no_recursion``: deep inputs (10^5 levels, no depth limit) in a child process
  whose repairs run in a thread with a 512 KiB C stack and a Python recursion limit of
  200: a core that recursed per level would die (segfault) or raise RecursionError;
- exact behaviour for BOM, CRLF, NUL, lone surrogates, invalid UTF-8, unclosed
  comments, fences;
- ``REGRESSIONS``: engine failures these inputs found, as ``xfail(strict=True)`` with the
  minimal input, what comes out and what should.
"""
import gc
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import orjson
import pytest

from repair import RepairError
from repair.api import loads_deep

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "fuzz"))
from checks import same_value  # noqa: E402  (fuzz/checks.py: compares without recursion)

# -- the input families ----------------------------------------------------------------

PROSE = "The {user} said } and ] then { maybe [x] ok; see {a, b} or [1, 2}. "
NO_LIMIT = {"max_depth": 10 ** 8}


def _members(n, sep):
    return sep.join('"k%d": "v%d"' % (i, i) for i in range(n))


#: name -> (make(n) -> str or bytes, repair options). ``n`` is about the length in
#: characters.
FAMILIES = {
    # nesting: stopped by max_depth (default 1000) at once, or scanned through with no limit
    "nested_brackets": (lambda n: "[" * n, {}),
    "nested_members": (lambda n: '{"a":' * (n // 5), {}),
    "nested_brackets_no_limit": (lambda n: "[" * n, NO_LIMIT),
    "nested_members_no_limit": (lambda n: '{"a":' * (n // 5), NO_LIMIT),
    "nested_closed_no_limit": (lambda n: "[" * (n // 2) + "]" * (n // 2), NO_LIMIT),
    "open_braces": (lambda n: "{" * n, {}),
    # strings and quotes
    "unclosed_string": (lambda n: '{"a": "' + "x" * n, {}),
    "unclosed_top_string": (lambda n: '"' + "x" * n, {}),
    "alternating_quotes": (lambda n: '{"a": ' + "\"'" * (n // 2) + "}", {}),
    "unbalanced_quotes": (lambda n: '["' + '"' * n, {}),
    "only_quotes": (lambda n: '"' * n, {}),
    "inner_quotes": (lambda n: '{"a": "' + 'say "hi" ' * (n // 9) + 'ok"}', {}),
    "smart_quotes": (lambda n: '{"a": "' + "\u201c\u201d" * (n // 2) + '",}', {}),
    "valid_long_string": (lambda n: '{"a": "' + "x" * n + '"}', {}),
    "backslashes": (lambda n: '"' + "\\" * n, {}),
    "surrogate_escapes": (lambda n: '{"a": "' + "\\ud800" * (n // 6) + '"}', {}),
    # commas, colons, members
    "commas": (lambda n: "[" + "," * n + "]", {}),
    "commas_in_object": (lambda n: '{"a": 1' + "," * n + '"b": 2}', {}),
    "colons": (lambda n: '{"a"' + ":" * n + "1}", {}),
    "missing_commas_array": (lambda n: "[" + " ".join(["1"] * (n // 2)) + "]", {}),
    "missing_commas_object": (lambda n: "{\n" + _members(n // 14, "\n") + "\n}", {}),
    "ellipsis": (lambda n: "[1, " + "..., " * (n // 5) + "2]", {}),
    # wrappers
    "stray_braces_prose": (lambda n: PROSE * (n // len(PROSE)) + '{"a": 1}', {}),
    "prose_only": (lambda n: "word " * (n // 5), {}),
    "unclosed_block_comment": (lambda n: '{"a": 1, /* ' + "x" * n, {}),
    "unclosed_line_comment": (lambda n: '{"a": 1, // ' + "x" * n, {}),
    "many_fences": (lambda n: "```json\n" * (n // 8) + '{"a": 1}', {}),
    "many_fenced_blocks": (lambda n: '```json\n{"a": 1}\n```\n' * (n // 20), {}),
    "many_objects": (lambda n: '{"a": 1}' * (n // 8), {}),
    "many_objects_all": (lambda n: '{"a": 1} ' * (n // 9), {"policy": "all"}),
    "think_unclosed": (lambda n: "<think>" + "x {y} [z " * (n // 10), {}),
    "content_tags": (lambda n: "[CONTENT]" * (n // 9) + '{"a": 1}', {}),
    # characters
    "nul_in_string": (lambda n: '{"a": "' + "\x00" * n + '"}', {}),
    "nul_outside": (lambda n: "\x00" * n + '{"a": 1}', {}),
    "lone_surrogates": (lambda n: '{"a": "' + "\ud800" * n + '"}', {}),
    "lone_surrogates_outside": (lambda n: "\udc00" * n + '{"a": 1}', {}),
    "invalid_utf8_at_end": (lambda n: b'{"a": "' + b"x" * n + b'\xff"}', {}),
    "invalid_utf8_everywhere": (lambda n: bytes(range(128, 256)) * (n // 128), {}),
    "utf8_bytes": (lambda n: ('{"a": "' + "\u00e9\u65e5\U0001f600" * (n // 9) + '",}').encode(), {}),
    "crlf_members": (lambda n: "{\r\n" + _members(n // 14, "\r\n") + "\r\n}", {}),
    "crlf_in_strings": (lambda n: '{"a": "' + "x\r\n" * (n // 3) + '",}', {}),
    "bom": (lambda n: "\ufeff[" + ",".join(["1"] * (n // 2)) + ",]", {}),
    "boms_everywhere": (lambda n: "\ufeff" * (n // 2) + "[1," + "\ufeff" * (n // 2) + "2]", {}),
}

FAST_FAMILIES = sorted(FAMILIES)


def make(name, n):
    fn, options = FAMILIES[name]
    return fn(n), options


def outcome(engine, text, **options):
    """The result or the RepairError; checks that a result's text parses with orjson (or,
    nested deeper than orjson's limit, with ``loads_deep``) to its value and that an error's
    position fits its document. Any other exception fails."""
    try:
        res = engine.repair(text, **options)
    except RepairError as err:
        assert err.msg
        assert 0 <= err.pos <= len(err.doc), (err.pos, len(err.doc))
        return err
    try:
        parsed = orjson.loads(res.text)
    except orjson.JSONDecodeError as exc:
        # deeper than orjson's 1024 levels (a max_depth above it): parsed without recursion
        assert "depth limit" in str(exc), exc
        parsed = loads_deep(res.text)
    assert same_value(parsed, res.value)
    return res


# -- valid JSON or RepairError ----------------------------------------------------------

@pytest.mark.parametrize("name", FAST_FAMILIES)
def test_valid_json_or_repair_error(engine, name):
    for n in (1, 2, 3, 7, 100, 1000):
        text, options = make(name, n)
        outcome(engine, text, **options)


# -- linear time -------------------------------------------------------------------------

#: starting n per core: the pure twin runs at about 2-3 MB/s
BASE = {"cython": 25_000, "python": 10_000}
GROWTH = 4
TIME_BOUND = GROWTH * 2.5       # linear: 4; quadratic: 16
MIN_SECONDS = 0.004             # grow n until one repair takes at least this long
MAX_DOUBLINGS = 3


def _time(engine, text, options):
    gc.collect()
    t0 = time.perf_counter()
    try:
        engine.repair(text, **options)
    except RepairError:
        pass
    return time.perf_counter() - t0


def _best(engine, text, options, runs=3):
    return min(_time(engine, text, options) for _ in range(runs))


#: (engine, family) -> reason: known growth problems (none at present; the pure
#: twin's valid-JSON depth scan once had a regex whose group repetition grew the
#: re engine's stack on long strings)
SLOW_GROWTH = {}


def time_params():
    for eng in ("cython", "python"):
        for name in FAST_FAMILIES:
            reason = SLOW_GROWTH.get((eng, name))
            marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
            yield pytest.param(eng, name, id="%s-%s" % (eng, name), marks=marks)


@pytest.mark.parametrize("engine_id, name", list(time_params()))
def test_time_grows_linearly(engines, engine_id, name):
    if engine_id not in engines:
        pytest.skip("core %s not available" % engine_id)
    engine = engines[engine_id]
    n = BASE[engine_id]
    text, options = make(name, n)
    small = _best(engine, text, options)
    for _ in range(MAX_DOUBLINGS):
        if small >= MIN_SECONDS:
            break
        n *= 2
        text, options = make(name, n)
        small = _best(engine, text, options)
    big_text, _ = make(name, GROWTH * n)
    outcome(engine, big_text, **options)
    # best of up to three runs of the big size: stop as soon as one is within the bound
    big = float("inf")
    for _ in range(3):
        big = min(big, _time(engine, big_text, options))
        if big <= TIME_BOUND * small + 0.002:
            break
    assert big <= TIME_BOUND * small + 0.002, (
        "%s: n=%d took %.4f s, %dn took %.4f s: ratio %.1f > %.1f" % (
            name, n, small, GROWTH, big, big / small, TIME_BOUND))


# -- bounded memory ------------------------------------------------------------------------

MEM_N = 5_000
MEM_RATIO = 8                   # linear: 4
BYTES_PER_CHAR = 600            # today's worst: ~270 (an Edit record per NUL escaped)


def _peak(engine, text, options):
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        try:
            engine.repair(text, **options)
        except RepairError:
            pass
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", FAST_FAMILIES)
def test_memory_grows_linearly(engine, name):
    text, options = make(name, MEM_N)
    big_text, _ = make(name, GROWTH * MEM_N)
    small = _peak(engine, text, options)
    big = _peak(engine, big_text, options)
    assert big <= MEM_RATIO * small + 65536, (name, small, big)
    assert big <= BYTES_PER_CHAR * len(big_text) + (1 << 20), (name, big, len(big_text))


# -- the sizes of the issue --------------------------------------------------------------

def _value(fn):
    """Check: a result whose value is ``fn(k)``."""
    def check(res, k):
        assert not isinstance(res, RepairError), res
        assert res.value == fn(k)
    return check


def _error(msg, pos):
    """Check: a RepairError ``msg`` at ``pos(k)``."""
    def check(res, k):
        assert isinstance(res, RepairError), res
        assert res.msg == msg
        assert res.pos == pos(k)
    return check


def _any(res, k):
    pass


DEPTH = "maximum nesting depth exceeded"
K = 10 ** 5
M = 10 ** 6
#: name -> (make(k) -> text, k for the compiled core, options, check(result or error, k));
#: the pure twin runs k // 10 (it runs at about 2-3 MB/s)
FULL_SCALE = {
    "million_brackets": (lambda k: "[" * k, M, {}, _error(DEPTH, lambda k: 1000)),
    "million_members": (lambda k: '{"a":' * k, M, {}, _error(DEPTH, lambda k: 5000)),
    "million_brackets_no_limit": (lambda k: "[" * k, M, NO_LIMIT, _any),
    "members_no_limit": (lambda k: '{"a":' * k, K, NO_LIMIT, _any),
    "ten_mb_unclosed_string": (lambda k: '{"a": "' + "x" * k, 10 * M, {},
                               _value(lambda k: {"a": "x" * k})),
    "million_commas": (lambda k: "[" + "," * k + "]", M, {}, _value(lambda k: [])),
    "hundred_thousand_inner_quotes": (
        lambda k: '{"a": "' + 'say "hi" ' * k + 'ok"}', K, {},
        _value(lambda k: {"a": 'say "hi" ' * k + "ok"})),
    "missing_commas": (lambda k: "[" + " 1" * k + "]", K, {},
                               _value(lambda k: [1] * k)),
    "nuls": (lambda k: '{"a": "' + "\x00" * k + '"}', K, {},
                     _value(lambda k: {"a": "\x00" * k})),
    "megabyte_stray_braces": (lambda k: PROSE * (k // len(PROSE)) + '{"a": 1}', M, {},
                              _any),
    "ten_mb_invalid_utf8": (lambda k: b"\xff" * k, 10 * M, {},
                            _error("input is not valid UTF-8", lambda k: 0)),
}


@pytest.mark.parametrize("name", sorted(FULL_SCALE))
def test_full_scale(engine, name, request):
    fn, k, options, check = FULL_SCALE[name]
    if request.node.callspec.params["engine"] != "cython":
        k //= 10
    check(outcome(engine, fn(k), **options), k)


# -- no recursion ----------------------------------------------------------------------------

NO_RECURSION_CHILD = textwrap.dedent("""
    import sys, threading
    sys.path.insert(0, sys.argv[1]) if sys.argv[1] else None
    import repair, repair.scanner
    from repair import RepairError, StreamRepairer
    core = sys.argv[2]
    cls = repair.scanner.c_core.Scanner if core == "cython" else repair.scanner.py_core.Scanner
    eng = repair.Engine(cls)
    N = int(sys.argv[3])
    INPUTS = ["[" * N, "[" * N + "]" * N, '{"a":' * N, '{"a": [' * N, "{" * N,
              '[{"a": ' * N + "1", "(" * N, "[" * N + "}" * N]
    out = []

    def work():
        sys.setrecursionlimit(200)
        for text in INPUTS:
            try:
                eng.repair(text, max_depth=10 ** 8)
                out.append("ok")
            except RepairError as err:
                out.append("error")
            except BaseException as exc:
                out.append("%s: %s" % (type(exc).__name__, exc))
        try:
            s = StreamRepairer(engine=eng, max_depth=10 ** 8)
            for i in range(0, len(INPUTS[1]), 4096):
                s.feed(INPUTS[1][i:i + 4096])
            try:
                s.close()
            except RepairError:
                pass
            out.append("ok")
        except BaseException as exc:
            out.append("stream %s: %s" % (type(exc).__name__, exc))

    threading.stack_size(512 * 1024)
    t = threading.Thread(target=work)
    t.start()
    t.join()
    print(" ".join(o if o in ("ok", "error") else "FAIL[" + o + "]" for o in out))
""")


def test_no_recursion(engine, request, tmp_path):
    core = request.node.callspec.params["engine"]
    n = 10 ** 5 if core == "cython" else 2 * 10 ** 4
    import repair
    src = str(REPO) if Path(repair.__file__).resolve().parent.parent == REPO else ""
    # run from a scratch directory: `python -c` puts the working directory first on
    # sys.path, and the repository root would shadow an installed package
    proc = subprocess.run([sys.executable, "-c", NO_RECURSION_CHILD, src, core, str(n)],
                          capture_output=True, text=True, timeout=600, cwd=str(tmp_path))
    assert proc.returncode == 0, "child died (%d): %s" % (proc.returncode, proc.stderr[-2000:])
    assert "FAIL" not in proc.stdout, proc.stdout
    assert proc.stdout.split() and set(proc.stdout.split()) <= {"ok", "error"}


# -- exact behaviour for characters and wrappers --------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("\ufeff{\"a\": 1}", {"a": 1}),
    ("\ufeff{\"a\": 1,}", {"a": 1}),
    (b"\xef\xbb\xbf{\"a\": 1}", {"a": 1}),
    (b"\xef\xbb\xbf[1, 2,]", [1, 2]),
], ids=["bom", "bom_repaired", "bom_bytes", "bom_bytes_repaired"])
def test_bom(engine, text, value):
    assert engine.loads(text) == value


def test_crlf_is_kept_as_written(engine):
    text = '{\r\n  "a": "x",\r\n  "b": [1, 2,]\r\n}'
    res = engine.repair(text)
    assert res.value == {"a": "x", "b": [1, 2]}
    assert res.text == '{\r\n  "a": "x",\r\n  "b": [1, 2]\r\n}'


def test_crlf_missing_commas(engine):
    assert engine.loads('{\r\n"k1": "v"\r\n"k2": "v"\r\n}') == {"k1": "v", "k2": "v"}


def test_raw_crlf_in_a_string_is_kept(engine):
    assert engine.loads('{"a": "l1\r\nl2",}') == {"a": "l1\r\nl2"}


def test_nul_in_a_string_is_kept(engine):
    assert engine.loads('{"a": "x\x00y",}') == {"a": "x\x00y"}


def test_nul_around_the_payload_is_dropped(engine):
    assert engine.loads('\x00\x00{"a": 1}\x00') == {"a": 1}


@pytest.mark.parametrize("text", ['{"a": "\ud800"}', '["\udc00", 1]', '\ud800{"a": 1}',
                                  '{"a\ud83d": 1}', '"\udfff'],
                         ids=["value", "array", "before", "key", "unclosed"])
def test_lone_surrogates(engine, text):
    """A lone surrogate cannot travel in UTF-8 JSON: the result is valid JSON (without
    it) or a RepairError, never another exception."""
    outcome(engine, text)


def test_invalid_utf8_names_the_first_bad_byte(engine):
    for data, pos in [(b"\xff", 0), (b'{"a": "x\xc3"}', 8), (b"[1, 2]\x80", 6),
                      (b'{"a": "' + b"x" * 100000 + b'\xed\xa0\x80"}', 100007)]:
        with pytest.raises(RepairError) as info:
            engine.repair(data)
        assert info.value.pos == pos
        assert info.value.doc == data


@pytest.mark.parametrize("text, value", [
    ('{"a": 1, /* never closed', {"a": 1}),
    ('{"a": 1, // never closed', {"a": 1}),
    ('{"a": 1 /* never closed', {"a": 1}),
    ("```json\n" * 50 + '{"a": 1}', {"a": 1}),
    ('```json\n{"a": 1}\n```\n' * 50, {"a": 1}),
    ("```json\n{\"a\": 1,", {"a": 1}),
], ids=["block_comment", "line_comment", "block_comment_no_comma", "many_fences",
        "many_fenced_blocks", "unclosed_fence"])
def test_wrappers(engine, text, value):
    assert engine.loads(text) == value


# -- engine failures these inputs found (xfail strict: remove once the engine is fixed) -----

def _regression(text, expected, reason, **options):
    return pytest.param(text, expected, options, id=reason.split(":")[0],
                        marks=pytest.mark.xfail(strict=True, reason=reason))


def _fixed(text, expected, reason, **options):
    """A regression the engine has been fixed for: a plain case."""
    return pytest.param(text, expected, options, id=reason.split(":")[0])


REGRESSIONS = [
    _fixed(
        '{"a": "x "y" "}', {"a": 'x "y" '},
        "inner_quote_then_space: an unescaped inner quote followed by a space and the "
        "closing quote: `{\"a\": \"x \"y\" \"}` -> the scanner writes `{\"a\": \"x \\\"y\",}`, "
        "which does not parse, so RepairError 'could not repair the JSON value'; want "
        "{\"a\": \"x \\\"y\\\" \"}"),
    _fixed(
        "[..., 1]", [1],
        "leading_ellipsis: an ellipsis before the first item: `[..., 1]` -> RepairError "
        "'no JSON value found'; want [1] (`[1, ...]` works)"),
    _fixed(
        '{"a": "\'"\'}', "object with key a",
        "alternating_quotes: `{\"a\": \"'\"'}` -> the scanner writes `{\"a\": \"'\",}`-like "
        "text with a trailing comma, RepairError 'could not repair the JSON value' (the same "
        "for 3k+2 alternating quotes); want a repaired object with key \"a\""),
]


@pytest.mark.parametrize("text, expected, options", REGRESSIONS)
def test_regressions(engine, text, expected, options):
    res = outcome(engine, text, **options)
    assert not isinstance(res, RepairError), "RepairError: %s" % (res,)
    if expected == "object with key a":
        assert isinstance(res.value, dict) and "a" in res.value, res.text
    else:
        assert res.value == expected, res.text
