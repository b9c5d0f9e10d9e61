"""The checks every fuzzed input goes through, shared by the atheris harness
(``fuzz/fuzz_repair.py``), the plain random fuzzer (``fuzz/random_fuzz.py``) and the
hypothesis properties (``tests/test_fuzz.py``).

:func:`check` runs one input on every available engine (the compiled core and its pure
twin) and raises :class:`Finding` when a promise is broken:

``exception``    anything other than a result or :class:`repair.RepairError` escaped
``invalid``      the result's text does not parse with orjson, or parses to another value
``error_pos``    a RepairError whose ``pos``/``lineno``/``colno`` do not fit its ``doc``
``bytes``        UTF-8 bytes gave another outcome than the decoded text, or undecodable
                 bytes did not give a RepairError at the first bad byte
``differential`` the compiled core and the pure twin disagree (text, edits, span, missing
                 keys, changed; or error message and position)
``valid_changed`` valid JSON (that needs no key rename) did not come back unchanged
``idempotence``  repairing a result again changed it (edits that change nothing, such as
                 a ``key_ambiguous`` report, may come again)
``scanner_idempotence`` the scanner itself (no orjson fast path) edits a result it made,
                 i.e. a valid JSON payload that needs no repair gets edits anyway
``edits``        the edit report does not account for the output: applying the reported
                 edits, in order, to the payload span of the input does not give the
                 result's text, or an edit's ``removed`` is not the input at its ``pos``

:func:`check` returns the list of *soft* observations that break no promise but are worth
counting (``gave_up``: the scanner found a payload but its repair did not parse, so the
API raised "could not repair the JSON value").

Nothing here recurses on the depth of a value: values are compared with an explicit stack.
"""

import orjson
import re

import repair
import repair.scanner
from repair import RepairError

__all__ = ["Finding", "engines", "outcome", "check", "check_edits", "same_value",
           "KINDS", "value_depth", "KNOWN", "known_class"]

KINDS = ("exception", "invalid", "error_pos", "bytes", "differential", "valid_changed",
         "idempotence", "scanner_idempotence", "edits")

GAVE_UP = "could not repair the JSON value"


class Finding(AssertionError):
    """A broken promise: ``kind`` (one of :data:`KINDS`), ``detail``, the input
    ``text`` (str or bytes) and the ``options`` it was repaired with."""

    def __init__(self, kind, detail, text, options=None):
        self.kind = kind
        self.detail = detail
        self.text = text
        self.options = dict(options or {})
        shown = text if len(text) <= 300 else text[:300] + (b"..." if isinstance(
            text, bytes) else "...")
        AssertionError.__init__(self, "%s: %s\n  input: %r\n  options: %r" % (
            kind, detail, shown, self.options))


def engines():
    """``{"cython": Engine, "python": Engine}`` for the cores available here (the compiled
    core is left out when it is not built or ``REPAIR_NO_EXTENSIONS`` forces the twin)."""
    out = {}
    if repair.scanner.c_core is not None:
        out["cython"] = repair.Engine(repair.scanner.c_core.Scanner)
    out["python"] = repair.Engine(repair.scanner.py_core.Scanner)
    return out


def outcome(engine, text, **options):
    """``("ok", RepairResult)`` or ``("error", RepairError)``; any other exception is a
    :class:`Finding`."""
    try:
        return "ok", engine.repair(text, **options)
    except RepairError as err:
        return "error", err
    except RecursionError as exc:
        raise Finding("exception", "RecursionError: %s" % (exc,), text, options)
    except Exception as exc:   # noqa: BLE001 -- that is the point
        raise Finding("exception", "%s: %s" % (type(exc).__name__, exc), text, options)


def summary(out):
    """What the differential test compares."""
    kind, x = out
    if kind == "error":
        return ("error", x.msg, x.pos)
    return ("ok", x.text, x.edits, x.span, x.missing_keys, x.changed)


def value_depth(value):
    """Nesting depth of ``value`` (0 for a scalar), without recursion."""
    best = 0
    todo = [(value, 1)]
    while todo:
        v, d = todo.pop()
        if isinstance(v, dict):
            best = max(best, d)
            todo.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            best = max(best, d)
            todo.extend((x, d + 1) for x in v)
    return best


def same_value(a, b):
    """``a`` and ``b`` are the same JSON value (types, key order; ``1 != 1.0 != True``),
    compared with an explicit stack (no recursion, so any depth)."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            if list(x) != list(y):
                return False
            todo.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            todo.extend(zip(x, y))
        elif x != y and not (x != x and y != y):
            return False
    return True


def _check_error(err, text, options):
    doc = err.doc
    if not (isinstance(err.msg, str) and err.msg):
        raise Finding("error_pos", "empty message", text, options)
    if not 0 <= err.pos <= len(doc):
        raise Finding("error_pos", "pos %d outside the doc (length %d)" % (err.pos, len(doc)),
                      text, options)
    nl = b"\n" if isinstance(doc, (bytes, bytearray)) else "\n"
    if err.lineno != doc.count(nl, 0, err.pos) + 1 or \
            err.colno != err.pos - doc.rfind(nl, 0, err.pos):
        raise Finding("error_pos", "lineno/colno %d/%d do not fit pos %d" % (
            err.lineno, err.colno, err.pos), text, options)


def _check_result(res, text, options):
    try:
        parsed = orjson.loads(res.text)
    except orjson.JSONDecodeError as exc:
        raise Finding("invalid", "output does not parse: %s; output %r" % (
            exc, res.text[:200]), text, options)
    if not same_value(parsed, res.value):
        raise Finding("invalid", ".value is not the parsed .text", text, options)


def check_edits(text, res):
    """``None`` when the edit report accounts for the result, else what is wrong.

    The payload is ``text[span]``. Every edit must remove exactly the input at its ``pos``
    (``text[pos:pos + len(removed)]``). The edits with ``pos`` inside the span
    (``pos <= end``) must not overlap the text the edit before them removed; applied in
    order to the span (a removal is cut at the span end: what follows is not payload)
    they must give ``res.text`` exactly. So every character of the payload that is missing from
    the output is in some edit's ``removed``, and every character the output has that the
    payload has not is in some ``inserted``. Edits past the span (closers dropped after the
    payload) must also remove what the input holds there, and insert nothing. Not applicable to
    ``policy="all"`` (several spans).
    """
    start, end = res.span
    if not 0 <= start <= end <= len(text):
        return "span %r outside the input (length %d)" % (res.span, len(text))
    out = []
    cur = start
    for e in res.edits:
        if text[e.pos:e.pos + len(e.removed)] != e.removed:
            return "edit %r: the input at %d is %r" % (
                tuple(e), e.pos, text[e.pos:e.pos + len(e.removed)])
        if e.pos > end:
            # after the payload (closers dropped after it): nothing of it may show
            if e.inserted:
                return "edit %r past the payload end %d inserts text" % (tuple(e), end)
            continue
        if e.pos < cur:
            return "edit %r overlaps the text an earlier edit removed (up to %d)" % (
                tuple(e), cur)
        out.append(text[cur:e.pos])
        out.append(e.inserted)
        # a removal may reach past the payload end: that part is not payload
        cur = min(e.pos + len(e.removed), end)
    out.append(text[cur:end])
    rebuilt = "".join(out)
    if rebuilt != res.text:
        return "the edits applied to the span give %r, the output is %r" % (
            rebuilt[:200], res.text[:200])
    return None


def _scanner_edits(engine, text):
    """The candidates the scanner itself (no orjson fast path) finds in ``text``."""
    job = engine.prepare()
    scanner = job.scanner()
    scanner.feed(text)
    return scanner.finish()


def check(text, engs=None, *, options=None, deep=True):
    """Run every check on ``text`` (str or bytes) with ``options``; raises
    :class:`Finding`, returns the soft observations (a list of strings).

    ``deep=False`` skips the second repair of each result (idempotence), for speed.
    """
    engs = engs if engs is not None else engines()
    options = dict(options or {})
    soft = []
    outs = {}
    for name, eng in engs.items():
        out = outcome(eng, text, **options)
        outs[name] = out
        if out[0] == "error":
            _check_error(out[1], text, options)
            if out[1].msg == GAVE_UP and "gave_up" not in soft:
                soft.append("gave_up")
        else:
            _check_result(out[1], text, options)

    # bytes: the same as the decoded text, or an error at the first bad byte
    if isinstance(text, bytes):
        try:
            decoded = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            for name, out in outs.items():
                if out[0] != "error" or out[1].pos != exc.start:
                    raise Finding("bytes", "%s: undecodable bytes gave %r, want a "
                                  "RepairError at %d" % (name, summary(out), exc.start),
                                  text, options)
            return soft
        for name, eng in engs.items():
            if summary(outs[name]) != summary(outcome(eng, decoded, **options)):
                raise Finding("bytes", "%s: bytes and decoded text differ" % name, text,
                              options)
        text = decoded

    # differential: compiled core == pure twin, on text AND edits
    if len(outs) > 1:
        sums = {name: summary(out) for name, out in outs.items()}
        first = next(iter(sums.values()))
        for name, s in sums.items():
            if s != first:
                raise Finding("differential", "%s" % (
                    "; ".join("%s: %r" % (n, _short(v)) for n, v in sums.items())),
                    text, options)

    name, eng = next(iter(engs.items()))
    kind, res = outs[name]
    keys = options.get("required_keys", ())
    policy = options.get("policy", "best")

    # valid JSON that needs no rename comes back unchanged
    if not keys and policy != "all":
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            value = None
            valid = False
        else:
            valid = value_depth(value) <= options.get("max_depth", 1000)
        if valid and (kind != "ok" or res.text != text or res.edits or res.changed):
            raise Finding("valid_changed", "valid JSON gave %r" % (_short(summary(
                outs[name])),), text, options)

    if kind != "ok":
        return soft

    # the edit report accounts for every character removed or inserted
    if policy != "all":
        problem = check_edits(text, res)
        if problem:
            raise Finding("edits", problem, text, options)

    if deep and policy != "all":      # "all" wraps its result in a list each time
        for name, eng in engs.items():
            r = outs[name][1]
            again = outcome(eng, r.text, **options)
            # reports that change nothing (key_ambiguous) may come again
            if again[0] != "ok" or again[1].text != r.text or any(
                    e.removed != e.inserted for e in again[1].edits):
                raise Finding("idempotence", "%s: the result %r repairs to %r" % (
                    name, r.text[:200], _short(summary(again))), text, options)
            if not keys:
                cands = _scanner_edits(eng, r.text)
                stripped = r.text.strip(" \t\r\n")
                if not any(e == [] or e == () for (s, en, e, f) in cands
                           if r.text[s:en] == stripped):
                    raise Finding("scanner_idempotence", "%s: the scanner edits its own "
                                  "output %r: %r" % (name, r.text[:200], [
                                      (s, en, list(e)[:4]) for s, en, e, f in cands][:3]),
                                  text, options)
    return soft


def _short(v):
    s = repr(v)
    return s if len(s) < 400 else s[:400] + "..."


# -- known failure classes ----------------------------------------------------------------
#
# Engine failures already reported, each with a minimal regression case in
# tests/test_fuzz.py (REGRESSIONS, xfail strict). The fuzzers count a finding of a known
# class apart from new ones, so that a session keeps looking for new failures. Remove a
# class once its regression case passes (XPASS).

def _smart_key_beyond_lookahead(f):
    # a key closed by `”` + `:` whose straight quote (if any) comes only past the
    # look-ahead bound (256 characters further on the line, counted as the repaired text
    # writes them: a control character takes six)
    if f.kind != "scanner_idempotence" or not isinstance(f.text, str):
        return False
    return any(len(orjson.dumps(m.group(1))) >= 200
               for m in re.finditer('”:([^"\n]*)', f.text))


def _smart_quote_after_other_quote(f):
    # a string opened by `'`, a backtick or a single smart quote, with `”` right
    # after it and structure after that: the `”` is content of that string, but once
    # the string is written with `"` the scanner alone may read it as the closing quote
    return (f.kind == "scanner_idempotence" and isinstance(f.text, str)
            and re.search("['`‘’][ \\t\\\\]*”\\s*[,:}\\]/]", f.text) is not None)


KNOWN = {
    "smart_key_beyond_lookahead": _smart_key_beyond_lookahead,
    "smart_quote_after_other_quote": _smart_quote_after_other_quote,
}


def known_class(f):
    """The name of the known class of the :class:`Finding` ``f``, or ``None``."""
    for name, pred in KNOWN.items():
        if pred(f):
            return name
    return None
