"""Streaming repair (``repair.stream``) on both cores: every chunking gives the one-shot
result at ``close()``, snapshots are monotonic, partial tokens are held back, the work is
linear (each repaired character reaches the value builder once), and the adapters consume
real OpenAI-style SSE and ollama NDJSON streams from a loopback server."""
import inspect
import json
import os
import pickle
import random
import re
import sys
import types

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import repair
from repair import RepairError
from repair.scanner import py_core
from repair.stream import (StreamRepairer, iter_values, ollama_values,
                           openai_tool_call_values, openai_values)

from conftest import corpus_cases
from test_properties import damaged_json, serialized

SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Texts where the model restarts a member it had begun (`{"city":"Par{"city":"Paris"}`):
# the scanner re-reads text already shown, the value is rebuilt, and the snapshots before
# the restart are not a prefix of the ones after. close() still equals one-shot.
RESTARTS = {
    "dsv4-flash-24-duplicated-prefix-a": "the value string restarts as a new object",
    "dsv4-flash-24-duplicated-prefix-b": "the value string restarts as a new object",
}


def monotonic_problem(a, b, path="$", rewritten=frozenset()):
    """Why ``b`` does not extend ``a`` (keys stay, types stay, strings only grow), or
    ``None``. The value of a key in ``rewritten`` (a key the text writes twice: the last
    value wins) may change in any way; the key itself stays."""
    if a is None:
        return None
    if type(a) is not type(b):
        return "%s: %s became %s" % (path, type(a).__name__, type(b).__name__)
    if isinstance(a, dict):
        if list(b)[:len(a)] != list(a):
            return "%s: keys %r then %r" % (path, list(a), list(b))
        for k in a:
            if k in rewritten:
                continue
            why = monotonic_problem(a[k], b[k], "%s.%s" % (path, k), rewritten)
            if why:
                return why
    elif isinstance(a, list):
        if len(b) < len(a):
            return "%s: list shrank" % path
        for i, x in enumerate(a):
            why = monotonic_problem(x, b[i], "%s[%d]" % (path, i), rewritten)
            if why:
                return why
    elif isinstance(a, str):
        if not b.startswith(a):
            return "%s: string %r became %r" % (path, a, b)
    elif a != b:
        return "%s: %r became %r" % (path, a, b)
    return None


def duplicate_keys(text):
    found = []

    def hook(pairs):
        keys = [k for k, _v in pairs]
        if len(set(keys)) < len(keys):
            found.append(True)
        return dict(pairs)
    json.loads(text, object_pairs_hook=hook)
    return bool(found)


_QUOTE = "[\"'`\u201c\u201d\u2018\u2019]"


def keys_written_twice(text, values):
    """The keys of ``values`` (at any depth) that ``text`` writes as a key twice or more:
    quoted (any quote, as is or JSON-escaped) or bare, then a colon. For a text that
    cannot be repaired as a whole, where no repaired text tells the duplicate keys."""
    keys = set()
    todo = list(values)
    while todo:
        v = todo.pop()
        if isinstance(v, dict):
            keys.update(v)
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
    out = set()
    for key in keys:
        forms = {key, json.dumps(key)[1:-1], json.dumps(key, ensure_ascii=False)[1:-1]}
        written = "(?:%s)" % "|".join(re.escape(f) for f in sorted(forms))
        pattern = _QUOTE + written + _QUOTE
        if re.fullmatch(r"[\w$.@/-]+", key):
            pattern = "(?:%s|(?<![\\w$.@/-])%s)" % (pattern, written)
        if len(re.findall(pattern + "\\s*[:\uff1a]", text)) >= 2:
            out.add(key)
    return out


def split(text, sizes):
    out, i, k = [], 0, 0
    while i < len(text):
        n = sizes[k % len(sizes)]
        out.append(text[i:i + n])
        i += n
        k += 1
    return out


def one_shot(engine, text, keys=(), **options):
    try:
        return engine.repair(text, keys, **options)
    except RepairError as err:
        return err


def stream(engine, chunks, keys=(), **options):
    """(snapshots, result or RepairError, repairer)"""
    s = StreamRepairer(keys, engine=engine, **options)
    snaps = []
    for chunk in chunks:
        if s.feed(chunk):
            snaps.append(orjson.loads(orjson.dumps(s.value)))
    try:
        res = s.close()
    except RepairError as err:
        res = err
    return snaps, res, s


def same_result(a, b):
    if isinstance(a, RepairError) or isinstance(b, RepairError):
        return (type(a), str(a)) == (type(b), str(b))
    return (a.text, a.value, a.edits, a.span, a.missing_keys, a.changed) == (
        b.text, b.value, b.edits, b.span, b.missing_keys, b.changed)


def check(engine, text, chunks, keys=(), monotonic=True, **options):
    expected = one_shot(engine, text, keys, **options)
    snaps, res, s = stream(engine, chunks, keys, **options)
    assert same_result(res, expected), (chunks, res, expected)
    if not isinstance(res, RepairError):
        # (close() may hand over the value built while streaming: types and floats too)
        assert same_value(res.value, expected.value), (chunks, res.value, expected.value)
    # close() applies the policy: its value continues the stream when it chose the value
    # that was streamed (the first one); else that one is the first policy's
    final = not isinstance(res, RepairError) and res.span[0] == s._start
    streamed = res if final else one_shot(engine, text, keys, **{**options, "policy": "first"})
    if s.rebuilds:
        # the scanner re-read text it had let through: only a restarted or echoed member
        # (`{"k": "k": "v"}`, `{"city":"Par{"city":"Paris"}`) or a rename undone does that
        # (when the text cannot be repaired, or the streamed payload is not among the
        # values it gives, there are no edits to show it)
        if not isinstance(streamed, RepairError) and streamed.span[0] == s._start:
            assert any(e.kind in ("doubled", "key_ambiguous") for e in streamed.edits), chunks
        monotonic = False
    rewritten = frozenset()         # keys whose value may change
    if monotonic and not isinstance(streamed, RepairError) and duplicate_keys(streamed.text):
        monotonic = False           # the last value of a key wins, as in JSON
    elif monotonic and isinstance(streamed, RepairError):
        # no repaired text tells the duplicate keys: a key the stream showed whose value
        # changed may be written twice in the input (the last value wins there too)
        rewritten = keys_written_twice(text, snaps)
    if monotonic:
        seq = snaps + ([res.value] if final else [])
        for a, b in zip(seq, seq[1:]):
            why = monotonic_problem(a, b, rewritten=rewritten)
            assert why is None, "%s\nchunks: %r" % (why, chunks)
    return snaps, res, s


# -- the corpus, every chunk size ---------------------------------------------------------

CASES = corpus_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_streams_like_one_shot(engine, case):
    text = case["text"]
    opts = case.get("options") or {}
    rng = random.Random(case["id"])
    sizes = [[k] for k in range(1, 65)] + [[rng.randint(1, 9) for _ in range(20)],
                                            [rng.randint(1, 64) for _ in range(20)]]
    for sz in sizes:
        check(engine, text, split(text, sz), case.keys, case.name not in RESTARTS, **opts)


def test_restart_cases_exist_and_rebuild(engine):
    names = {c.name for c in CASES}
    assert set(RESTARTS) <= names
    case = next(c for c in CASES if c.name == "dsv4-flash-24-duplicated-prefix-a")
    _snaps, res, s = check(engine, case["text"], split(case["text"], [3]), case.keys,
                           monotonic=False)
    assert s.value == res.value == {"city": "Paris"}


@pytest.mark.parametrize("text", [
    '{"a": 1,\n"b"```\n',                    # a closing fence cuts a key with no value
    '```json\n{"a": 1,\n"b"\n```\n',
    '{"a": 1, "b"```json:null\n}',
    '{"a": 1 "b"```\n',                       # ... after a comma the scanner inserted
])
def test_key_cut_by_a_fence_takes_its_comma_without_a_rebuild(engine, text):
    # the comma before a key waits with the key: when a closing fence drops the key, the
    # comma goes too, and the builder must not have read it (hypothesis, damaged documents)
    for size in (1, 2, 3):
        _snaps, res, s = check(engine, text, split(text, [size]))
        assert s.rebuilds == 0 and res.value == {"a": 1}, size


@pytest.mark.parametrize("text, want", [
    ('Here it is:\n```json\n{"\\"\u201d\uff1a{":null}\n```\nDone.', {'"\u201d\uff1a{': None}),
    ('{"\\"\u201d\uff1a{":null}', {'"\u201d\uff1a{': None}),
    ('{"a\u201d:{": "x", "b": [1]}', {"a\u201d:{": "x", "b": [1]}),
    # the member's value a container (one-shot takes such text as valid JSON)
    ('{"\\"\u201d:{":[]}', {'"\u201d:{': []}),
    ('{"\\"\u201d:{": {"x": [1, "]"]}, "b": 2}', {'"\u201d:{': {"x": [1, "]"]}, "b": 2}),
])
def test_smart_quote_in_a_valid_key_streams_as_written(engine, text, want):
    # the key's `\u201d` then `:{` is content: a straight quote closes the key before
    # the rest of the member, in every chunking (hypothesis, prose and fences)
    for size in (1, 2, 3, 7, len(text)):
        snaps, res, s = check(engine, text, split(text, [size]))
        assert res.value == want and res.edits == (), (size, res.text, res.edits)
        assert s.value == want
        for snap in snaps:
            assert monotonic_problem(snap, want) is None, (size, snap)


@pytest.mark.parametrize("text, want", [
    ('{"name": {"name": 0, "arguments": "\u201cquoted\u201d // \n"}]',
     {"name": {"name": 0, "arguments": "\u201cquoted\u201d // \n"}}),
    ('{"name": "the \u201cquoted\u201d \n"}', {"name": "the \u201cquoted\u201d \n"}),
])
def test_smart_quote_then_raw_line_break_streams_like_one_shot(engine, text, want):
    # `”` (then text like a comment), then a line that starts with the closing quote:
    # the string goes on past its raw line break, in every chunking
    for size in (1, 2, 3, 7, len(text)):
        snaps, res, _s = check(engine, text, split(text, [size]))
        assert res.value == want, (size, res.text)
        for snap in snaps:
            assert monotonic_problem(snap, want) is None, (size, snap)


@pytest.mark.parametrize("text, options, one_shot_fails", [
    # the strict preset: one-shot repair of the whole text is an error (a payload that
    # needs repair), while the stream shows the members as they come
    (' {\n "" : false , \n "" : null , \n', {"preset": "strict"}, True),
    # (hypothesis, damaged documents: a bare key that cannot be repaired ends the text)
    (' {\n "" : false , \n "" : null , \\u12\uff1a', {}, False),
])
def test_duplicate_key_changes_type_when_one_shot_fails(engine, text, options,
                                                        one_shot_fails):
    # a key written twice: its last value wins, also in the values shown while
    # streaming (`{"": false}`, then `{"": null}`); with no repaired text to find the
    # duplicate in, the oracle takes the key from the stream and finds it twice in the input
    if one_shot_fails:
        assert isinstance(one_shot(engine, text, **options), RepairError)
    for size in (1, 2, 3, 5, len(text)):
        snaps, _res, _s = check(engine, text, split(text, [size]), **options)
        if size < 5:
            assert {"": False} in snaps and snaps[-1] == {"": None}, (size, snaps)


def test_keys_written_twice_exempts_only_those():
    snaps = [{"": False, "a": {"b": 1}}, {"": None, "a": {"b": 1}}]
    assert keys_written_twice(' {"": false, "a": {"b": 1}, "": null', snaps) == {""}
    assert keys_written_twice(" {'': false, a: {b: 1, b: 2}, \u201c\u201d: null", snaps) == {"", "b"}
    assert keys_written_twice(' {"": false, "a": {"b": 1}, "x": null', snaps) == set()
    # the exemption covers the value of that key only
    assert monotonic_problem({"": False}, {"": None}, rewritten={""}) is None
    assert monotonic_problem({"": False}, {"": None}, rewritten={"a"}) is not None
    assert monotonic_problem({"": 1, "a": "xy"}, {"": "z", "a": "x"},
                             rewritten={""}) is not None
    assert monotonic_problem({"": 1, "a": 2}, {"a": 2, "": 1}, rewritten={""}) is not None


# -- generated documents ------------------------------------------------------------------

@st.composite
def chunkings(draw, text):
    mode = draw(st.sampled_from(["fixed", "random"]))
    if mode == "fixed":
        return split(text, [draw(st.integers(1, 64))])
    return split(text, draw(st.lists(st.integers(1, 12), min_size=1, max_size=8)))


@SETTINGS
@given(doc=serialized(), data=st.data())
def test_valid_documents_stream_exactly(engine, doc, data):
    value, text = doc
    chunks = data.draw(chunkings(text))
    _snaps, res, s = check(engine, text, chunks)
    assert res.value == value
    assert s.value == value


@SETTINGS
@given(text=damaged_json(), data=st.data())
def test_damaged_documents_stream_like_one_shot(engine, text, data):
    chunks = data.draw(chunkings(text))
    check(engine, text, chunks)


@SETTINGS
@given(doc=serialized(), data=st.data())
def test_prose_and_fences_never_leak(engine, doc, data):
    value, text = doc
    wrapped = data.draw(st.sampled_from([
        "Sure! Here is the JSON:\n```json\n%s\n```\nAnything else?",
        "<think>The user wants {\"a\": 1}? No.</think>\n%s",
        "[CONTENT]\n%s\n[/CONTENT]",
    ])) % text
    chunks = data.draw(chunkings(wrapped))
    snaps, res, _s = check(engine, wrapped, chunks)
    if isinstance(value, (dict, list)) and value:
        assert res.value == value
        for snap in snaps:
            assert monotonic_problem(snap, value) is None, snap


# -- held back until complete -------------------------------------------------------------

@pytest.mark.parametrize("prefix, shown", [
    ('{"ke', None),
    ('{"key', None),
    ('{"key": tr', {}),
    ('{"key": 12', {}),
    ('{"key": -', {}),
    ('{"key": "x\\u12', {"key": "x"}),
    ('{"key": "x\\', {"key": "x"}),
    ('{"key": "a\\ud83d\\ude0', {"key": "a"}),   # half a surrogate pair waits
    ('{"key": "ke', {}),        # may still be the key echoed: `{"key": "key": 1}`
    ('{"key": "ab', {"key": "ab"}),
    ('{"key": [1, 2', {"key": [1]}),
    ('{"key": [1, 2, ', {"key": [1, 2]}),
    ('[1', None),
    ('{"a": 1, "b', {"a": 1}),
    ('Sure! ```json\n{"a": "b", ', {"a": "b"}),
    ('<think>{"x": 1}</think>{"a": tru', {}),
])
def test_partial_tokens_are_held_back(engine, prefix, shown):
    s = StreamRepairer(engine=engine)
    for ch in prefix:       # one character at a time: the hardest chunking
        s.feed(ch)
    if shown is None:
        assert s.value in (None, {})
    else:
        assert s.value == shown


def test_value_is_live_and_grows_in_place(engine):
    s = StreamRepairer(engine=engine)
    s.feed('{"items": [{"n": 1}, ')
    v = s.value
    items = v["items"]
    s.feed('{"n": 2}], "done": true}')
    assert s.value is v and v["items"] is items
    assert v == {"items": [{"n": 1}, {"n": 2}], "done": True}
    assert json.loads(s.text) == v
    assert s.close().value == v


@pytest.mark.parametrize("wrap", ['{"a": "%s"}', '[{"a": "%s"}]', '{"a": "x", "a": "%s"}'])
def test_a_string_read_while_it_grows_keeps_what_it_was(engine, wrap):
    # the partial string grows in place only while nothing else holds it: the strings
    # a reader kept from earlier snapshots stay as they were (wrap: in an object, in an
    # object in an array, and the new value of a key the object has already: the old
    # one stays in view until the new one is complete)
    def the_string(v):
        if isinstance(v, list):
            return the_string(v[0]) if v else None
        return the_string(v.get("a")) if isinstance(v, dict) else v

    body = "".join("w%d \\u00e9 " % i for i in range(300))
    text = wrap % body
    want = one_shot(engine, text).value
    s = StreamRepairer(engine=engine)
    kept = []
    for chunk in split(text, [3]):
        s.feed(chunk)
        inner = the_string(s.value)
        if isinstance(inner, str):
            kept.append((inner, str(inner.encode("utf-8"), "utf-8")))
    assert s.close().value == want
    assert len(kept) > 100
    for inner, copy in kept:
        assert inner == copy
    full = the_string(want)
    assert all(full.startswith(inner) for inner, _ in kept if len(inner) > 1)


def test_close_hands_over_the_streamed_value(engine):
    text = "{'items': [{'n': 1}, {'n': 2.5e-3, 's': 'caf\u00e9 \\u00e9'}], done: true, 'x': -0"
    s = StreamRepairer(engine=engine)
    for k in range(0, len(text), 5):
        s.feed(text[k:k + 5])
    v = s.value
    res = s.close()
    assert res.value is v and s.value is v      # not parsed again
    assert res._render is not None              # ... and its text is rendered when read
    one = engine.repair(text)
    assert same_value(v, one.value)
    assert (res.text, res.edits, res.span, res.changed) == (one.text, one.edits, one.span,
                                                            one.changed)
    assert res._render is None
    back = pickle.loads(pickle.dumps(s.result))
    assert (back.text, back.value, back.edits, back.span, back.changed) == (
        one.text, one.value, one.edits, one.span, one.changed)


def test_a_streamed_result_pickles_before_its_text_is_read(engine):
    text = "```json\n{'a': [1, 2], 'b': 'x'}\n```"
    s = StreamRepairer(engine=engine)
    for k in range(0, len(text), 3):
        s.feed(text[k:k + 3])
    res = s.close()
    assert res._render is not None
    back = pickle.loads(pickle.dumps(res))
    one = engine.repair(text)
    assert (back.text, back.value, back.edits, back.span, back.missing_keys, back.changed) == (
        one.text, one.value, one.edits, one.span, one.missing_keys, one.changed)


def test_close_parses_when_the_streamed_value_is_not_the_result(engine):
    # the rename shown while streaming is undone at the end: the built value is not
    # the payload's as one-shot renders it
    s = StreamRepairer(["name"], engine=engine)
    for ch in "{'Name': 'a', 'name': 'b'}":
        s.feed(ch)
    v = s.value
    assert v == {"name": "a"}
    res = s.close()
    assert res.value is not v and res.value == {"Name": "a", "name": "b"}
    # and a policy that chooses another value than the streamed one
    s = StreamRepairer(engine=engine, policy="last")
    for ch in "{'a': 1} then {'b': 2}":
        s.feed(ch)
    v = s.value
    assert v == {"a": 1} and s.close().value == {"b": 2}


def test_bytes_split_inside_a_character(engine):
    data = '{"名前": "東京"}'.encode("utf-8")
    s = StreamRepairer(engine=engine)
    for i in range(len(data)):
        s.feed(data[i:i + 1])
    assert s.close().value == {"名前": "東京"}


def test_required_keys_and_options(engine):
    text = "[CONTENT]\n{'original requirements': 'x', 'Search Info': ['a', 'b'],}\n[/CONTENT]"
    snaps, res, _s = check(engine, text, split(text, [5]), ["Original Requirements"])
    assert res.value == {"Original Requirements": "x", "Search Info": ["a", "b"]}
    assert all("original requirements" not in s for s in snaps)


def test_work_is_linear(engine):
    """Each character of the repaired payload reaches the value builder once."""
    doc = {"rows": [{"id": i, "name": "item %d" % i, "tags": ["a", "b"], "ok": i % 2 == 0}
                    for i in range(200)]}
    text = "Here you go:\n```json\n" + json.dumps(doc, indent=2).replace('"', "'") + "\n```"
    s = StreamRepairer(engine=engine)
    for chunk in split(text, [4]):
        s.feed(chunk)
        s.value
    res = s.close()
    assert res.value == doc
    assert s.builder_chars == len(res.text)


LONG_TOKENS = {
    "bare word": lambda n: '{"a": ' + "x" * n + "}",
    "number": lambda n: '{"a": ' + "1" * n + "}",
    "unquoted text": lambda n: '{"a": ' + "hello world " * (n // 12) + "}",
    "string": lambda n: '{"a": "' + "ab\\ncd " * (n // 7) + '"}',
    "key": lambda n: '{"' + "k" * n + '": 1}',
}


@pytest.mark.parametrize("shape", LONG_TOKENS)
def test_a_long_token_is_read_once(shape):
    """A token cut by the end of the input is read on from where the last run stopped,
    not from its start: the lines of the pure twin's code run for a 3,000-character
    token fed in 4-character chunks stay proportional to its length (read anew at every
    chunk, they were 800-2,300 per character). The compiled core mirrors the code; its
    time is in the benchmarks (stream shapes)."""
    text = LONG_TOKENS[shape](3000)
    core = os.path.realpath(py_core.__file__)
    lines = 0

    def local(frame, event, arg):
        nonlocal lines
        lines += 1
        return local

    def calls(frame, event, arg):
        return local if os.path.realpath(frame.f_code.co_filename) == core else None

    s = StreamRepairer(engine=repair.Engine(py_core.Scanner))
    sys.settrace(calls)
    try:
        for chunk in split(text, [4]):
            s.feed(chunk)
            s.value
        res = s.close()
    finally:
        sys.settrace(None)
    assert res.value == one_shot(repair.Engine(py_core.Scanner), text).value
    assert lines < 100 * len(text), lines / len(text)


def test_context_manager_and_iter_values(engine):
    with StreamRepairer(engine=engine) as s:
        s.feed('{"a": [1, 2')
    assert s.result.value == {"a": [1, 2]}
    values = list(iter_values(['{"a": ', '"x', 'y", "b": 1', "}"]))
    assert values[-1] == {"a": "xy", "b": 1}
    assert values[:2] == [{}, {"a": "x"}]


def test_errors(engine):
    s = StreamRepairer(engine=engine)
    with pytest.raises(TypeError):
        s.feed(3)
    s.feed("no json here")
    with pytest.raises(RepairError, match="no JSON value found"):
        s.close()
    with pytest.raises(ValueError):
        s.feed("{}")
    s = StreamRepairer(max_size=5, engine=engine)
    with pytest.raises(RepairError, match="max_size"):
        s.feed('{"a": 12345}')


# -- adapters against a loopback server ---------------------------------------------------

@pytest.fixture(scope="module")
def server():
    from replay_server import ReplayServer
    texts = {c["id"]: c["text"] for c in CASES}
    texts["tool"] = '{"location": \'Paris\', "unit": "celsius",}'
    with ReplayServer(texts, twice={"tool"}) as srv:
        yield srv


SAMPLE = [c for c in CASES if c["expected"] is not None and c.name not in RESTARTS
          and not c.get("options")][:12]


@pytest.mark.parametrize("case", SAMPLE, ids=[c.name for c in SAMPLE])
def test_openai_sdk_stream(server, case):
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=server.url + "/v1", api_key="sk-test", max_retries=0)
    stream = client.chat.completions.create(
        model="replay-3", messages=[{"role": "user", "content": case["id"]}], stream=True)
    values = list(openai_values(stream, case.keys))
    assert values[-1] == case["expected"]
    for a, b in zip(values, values[1:]):
        assert monotonic_problem(a, b) is None


def test_openai_tool_call_arguments(server):
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=server.url + "/v1", api_key="sk-test", max_retries=0)
    stream = client.chat.completions.create(
        model="replay-2", messages=[{"role": "user", "content": "tool"}], stream=True,
        tools=[{"type": "function", "function": {"name": "do_it", "parameters": {}}}])
    seen = {}
    for index, name, value in openai_tool_call_values(stream):
        assert name == "do_it"
        if index in seen:
            assert monotonic_problem(seen[index], value) is None
        seen[index] = value
    assert seen == {0: {"location": "Paris", "unit": "celsius"},
                    1: {"location": "Paris", "unit": "celsius"}}


@pytest.mark.parametrize("case", SAMPLE, ids=[c.name for c in SAMPLE])
def test_ollama_ndjson_stream(server, case):
    httpx = pytest.importorskip("httpx")
    body = {"model": "replay-5", "messages": [{"role": "user", "content": case["id"]}],
            "stream": True}
    with httpx.stream("POST", server.url + "/api/chat", json=body, timeout=30) as resp:
        values = list(ollama_values(resp.iter_lines(), case.keys))
    assert values[-1] == case["expected"]
    for a, b in zip(values, values[1:]):
        assert monotonic_problem(a, b) is None


def test_first_value_is_streamed_when_two_complete_in_one_chunk(engine):
    s = StreamRepairer(engine=engine)
    for ch in "True{}":
        s.feed(ch)
    assert s.value is True and s.rebuilds == 0
    assert s.close().value == {}        # the policy prefers the object


# -- the two cores' stream paths agree ------------------------------------------------------

def same_value(a, b):
    """``a == b`` with the types too (``1 == True == 1.0`` in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return a == b


def both_cores():
    import repair.scanner
    if repair.scanner.c_core is None:
        pytest.skip("compiled core not loaded")
    return repair.scanner.c_core, repair.scanner.py_core


# pieces of strict JSON text and of text that is not (the builder must stop at the same
# character in both cores): escapes cut anywhere, surrogates, control characters
BUILDER_BITS = ['{', '}', '[', ']', '"', ':', ',', ' ', '\n', 'true', 'false', 'null',
                'tru', '-', '0', '12', '3.5', 'e-7', '1e400', '123456789012345678901234',
                '\\', '\\n', '\\u00e9', '\\ud83d', '\\ude00', '\\u12', '\\x', 'a', 'é',
                '\U0001f600', '\x01', '\ud800', '"k"', '"k":']


@SETTINGS
@given(data=st.data())
def test_builders_agree_piece_by_piece(data):
    c_core, py_core = both_cores()
    if data.draw(st.booleans()):
        text = data.draw(serialized())[1]
    else:
        text = "".join(data.draw(st.lists(st.sampled_from(BUILDER_BITS), max_size=40)))
    pieces = data.draw(chunkings(text))
    cb, pb = c_core.Builder(), py_core.Builder()
    i = 0
    for piece in pieces:
        cb.grew = pb.grew = cb.text_grew = pb.text_grew = False
        cb.feed(text, i, i + len(piece))
        pb.feed(text, i, i + len(piece))
        i += len(piece)
        cb.refresh()
        pb.refresh()
        # (content of a string read before the builder broke is not shown)
        assert ((cb.state, cb.broken, cb.grew, cb.text_grew and not cb.broken)
                == (pb.state, pb.broken, pb.grew, pb.text_grew and not pb.broken)), pieces
        assert (cb.root is c_core.NOTHING) == (pb.root is py_core.NOTHING)
        if cb.root is not c_core.NOTHING:
            assert same_value(cb.root, pb.root), (pieces, cb.root, pb.root)
    cb.end_scalar()
    pb.end_scalar()
    assert (cb.state, cb.broken) == (pb.state, pb.broken)
    if cb.root is not c_core.NOTHING:
        assert same_value(cb.root, pb.root), (pieces, cb.root, pb.root)
    if cb.state == c_core.B_DONE and not cb.broken:
        # a complete value is one orjson reads the same (close() hands it over unparsed)
        assert same_value(cb.root, orjson.loads(text)), (text, cb.root)


# keys as JSON text: plain (one and two bytes per character, beyond the BMP), at the
# length where the compiled builder stops caching them, with escapes
BUILDER_KEYS = ["k", "é", "Москва", "\U0001f600", "a" * 63, "a" * 64, "a" * 65,
                'q\\"q', "tab\\t", "\\u00e9", ""]


@pytest.mark.parametrize("key", BUILDER_KEYS)
def test_builder_keys_whole_or_cut_anywhere(key):
    """A key read whole from one piece or cut anywhere gives the same value in both
    cores; the compiled builder hands a repeated key out as the same str (its cache),
    also when the pieces differ in kind (a stream gathers them as UCS4)."""
    import repair
    c_core, py_core = both_cores()
    text = '[{"%s": 1}, {"x": "é", "%s": 2}]' % (key, key)
    want = orjson.loads(text)
    for cut in range(len(text) + 1):
        for core in (c_core, py_core):
            b = core.Builder()
            b.feed(text, 0, cut)
            b.feed(text, cut, len(text))
            b.end_scalar()
            assert b.root == want and not b.broken, (core, cut)
    for chunk in (1, 3, len(text)):
        s = StreamRepairer(engine=repair.Engine(c_core.Scanner))
        for i in range(0, len(text), chunk):
            s.feed(text[i:i + chunk])
        first, second = s.value[0], s.value[1]
        assert s.close().value == want
        k1 = next(iter(first))
        k2 = [k for k in second if k != "x"][0]
        assert k1 == k2 == next(iter(want[0]))
        if len(k1) <= 64:
            assert k1 is k2, (key, chunk)


JSON_NUMBERS = st.from_regex(r"\A-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?\Z")


@SETTINGS
@given(number=st.one_of(JSON_NUMBERS, st.floats(allow_nan=False).map(repr),
                        st.integers().map(str)))
@example(number="1e22").via("the last exact power of ten")
@example(number="1e23").via("past the exact powers of ten")
@example(number="9007199254740993.0").via("16 digits: past the exact mantissas")
@example(number="123456789012345.6").via("16 significant digits")
@example(number="-1.5e-22").via("the smallest exact power of ten, negative")
@example(number="0e999").via("zero with a huge exponent")
@example(number="-0.0").via("negative zero")
def test_numbers_are_read_as_orjson_reads_them(number):
    """The compiled builder reads numbers itself; the twin asks orjson."""
    c_core, _py_core = both_cores()
    b = c_core.Builder()
    text = "[" + number + "]"
    b.feed(text, 0, len(text))
    try:
        expected = orjson.loads(text)
    except orjson.JSONDecodeError:
        assert b.broken
    else:
        assert not b.broken and same_value(b.root, expected), (number, b.root, expected)


@SETTINGS
@given(text=st.one_of(damaged_json(), serialized().map(lambda d: d[1])), data=st.data())
def test_cores_stream_the_same_values(text, data):
    c_core, py_core = both_cores()
    import repair
    chunks = data.draw(chunkings(text))
    runs = []
    for core in (c_core, py_core):
        s = StreamRepairer(engine=repair.Engine(core.Scanner))
        assert isinstance(s, core.Stream) and isinstance(s, StreamRepairer)
        seen = []
        for chunk in chunks:
            seen.append((s.feed(chunk), orjson.dumps(s.value), s.scanner.pos, s.scanner.state))
        runs.append((seen, s.builder_chars, s.rebuilds))
    assert runs[0] == runs[1], chunks


LONG_STRINGS = st.lists(st.text(st.sampled_from(list("ab ,}]:\u00e9\u20ac\U0001f600\n\\\"'\u201d")),
                                 max_size=40), min_size=1, max_size=4)


@SETTINGS
@given(parts=LONG_STRINGS, quote=st.sampled_from(["'", '"', "\u201c"]), data=st.data())
def test_cores_agree_on_chunks_inside_long_strings(parts, quote, data):
    """The compiled stream hands a chunk that only extends the value string straight to
    the builder: chunks that end in a space, comma or closer, hold quotes, backslashes,
    line breaks or characters of every width go the long way, and both cores show the
    same values after every chunk."""
    c_core, py_core = both_cores()
    import repair
    close = "\u201d" if quote == "\u201c" else quote
    text = "{" + ", ".join('"k%d": %s%s%s' % (k, quote, p, close)
                            for k, p in enumerate(parts)) + "}"
    chunks = data.draw(chunkings(text))
    runs = []
    for core in (c_core, py_core):
        s = StreamRepairer(engine=repair.Engine(core.Scanner))
        seen = [(s.feed(chunk), orjson.dumps(s.value), s.scanner.pos, s.scanner.state)
                for chunk in chunks]
        try:
            end = s.close().text
        except RepairError as err:
            end = str(err)
        runs.append((seen, s.builder_chars, s.rebuilds, end))
    assert runs[0] == runs[1], chunks
    try:
        assert runs[0][3] == repair.repair(text).text
    except RepairError as err:
        assert runs[0][3] == str(err)


# what follows a value string's closing quote while the scanner waits to know whether it
# closes the string: white space, commas, a quoted key, and the characters that decide
WAIT_TAILS = st.one_of(
    st.tuples(*(st.sampled_from(slot) for slot in (
        ["", " ", "\n  ", "\t", "\r\n"],                                  # after the quote
        ["", ",", ",,", "\uff0c", ", ,"],                                  # the comma
        ["", " ", "\n    "],
        ["", "'", '"', "\u201c", "`", "\u2018"],                           # a key opens
        ["", "k", "key x", "k\n", "k\\", "k\u201d", "k'", 'k"', "\u00e9\u20ac", "k\t"],
        ["", "'", '"', "\u201d", "`", "\u2019"],                           # ... and closes
        ["", " ", "\n "],
        ["", ":", " 1", "}", ",", "x", "'", "]", "/", "#"]))),             # what decides
    st.lists(st.sampled_from([" ", "\n", ",", "'", '"', "k", ":", "}", "]", "\u201c",
                              "\u201d", "`", "\\", "\uff0c", "/", "#", "{", "1"]),
             max_size=12))


# what stands between a key's closing quote and its value
KEY_SEPARATORS = st.sampled_from([": ", ":", " : ", ":\n  ", "\t:\t", " ", "", "\uff1a ",
                                  ": \n", "::"])


@SETTINGS
@given(members=st.lists(st.tuples(st.sampled_from(["'", '"']), KEY_SEPARATORS, WAIT_TAILS),
                        min_size=1, max_size=4),
       inner=st.sampled_from(["{", "["]), data=st.data())
def test_cores_agree_while_a_closing_quote_waits(members, inner, data):
    """The streams add chunks to the scanner's buffer without a run while the scanner
    waits at a string's closing quote (after a value string white space, a comma, a
    quoted key up to its colon; after a key white space up to its colon), and on through
    the colon and the white space up to the value: after every chunk, both cores'
    scanners stand at the same place and show the same value."""
    c_core, py_core = both_cores()
    import repair
    body = "".join(("%sk%d%s%s" % (q, k, q, sep) if inner == "{" else "")
                   + "%sv%d%s%s" % (q, k, q, "".join(tail))
                   for k, (q, sep, tail) in enumerate(members))
    text = '{"a": %s%s' % (inner, body)
    chunks = data.draw(chunkings(text))
    runs = []
    for core in (c_core, py_core):
        s = StreamRepairer(engine=repair.Engine(core.Scanner))
        seen = [(s.feed(chunk), orjson.dumps(s.value), s.scanner.pos, s.scanner.state,
                 len(s.scanner.edits)) for chunk in chunks]
        try:
            end = s.close().text
        except RepairError as err:
            end = str(err)
        runs.append((seen, s.rebuilds, end))
    assert runs[0] == runs[1], chunks


# what a member of an object can look like from before its key up to its value: the
# wait that starts before a key runs through these
KEY_MEMBERS = st.tuples(
    st.sampled_from(["", " ", "\n  ", "\t", "\r\n    "]),                  # before the key
    st.sampled_from(["'", '"', "\u201c", "`", "\u2018", "", "\\\""]),         # it opens
    st.sampled_from(["k", "key x", "k\n", "k\\n", "a: 1", "k\u201d", "k'", 'k"', "\u00e9\u20ac",
                     "k\t", "", "{", "k}"]),
    st.sampled_from(["'", '"', "\u201d", "`", "\u2019", "", "\\\""]),         # ... closes
    KEY_SEPARATORS,
    st.sampled_from(["1", "'v'", '"v"', "[1]", "{}", "tr", "", "}", ",", "-1.5e+3", "null",
                     "None", "''", "'''x'''", '""', "'' ", "x y", "1/2", "#f",
                     "\u2018v\u2019"]))   # the value


@SETTINGS
@given(members=st.lists(KEY_MEMBERS, min_size=1, max_size=4),
       joint=st.sampled_from([",", ", ", ",\n", ",,", "\n", ""]), data=st.data())
def test_cores_agree_while_a_key_waits(members, joint, data):
    """Before a key (after `{` or a comma), the streams add chunks to the scanner's
    buffer without a run through white space, the quoted key, its colon and the start of
    the value the scanner cannot start yet (one or two quotes, a bare value that may go
    on): after every chunk both cores' scanners stand at the same place and show the
    same value, and the end is one-shot repair's."""
    c_core, py_core = both_cores()
    import repair
    text = '{"a": {' + joint.join("".join(m) for m in members)
    chunks = data.draw(chunkings(text))
    runs = []
    for core in (c_core, py_core):
        eng = repair.Engine(core.Scanner)
        s = StreamRepairer(engine=eng)
        seen = [(s.feed(chunk), orjson.dumps(s.value), s.scanner.pos, s.scanner.state,
                 len(s.scanner.edits)) for chunk in chunks]
        try:
            end = s.close().text
            assert end == eng.repair(text).text
        except RepairError as err:
            end = str(err)
        runs.append((seen, s.rebuilds, end))
    assert runs[0] == runs[1], chunks


def _wait_reference(core, w, obj, close, text):
    """A wait followed one character at a time by the rules Stream._wait_scan()
    documents: the state after ``text`` and the closing quote it needs (or None)."""
    other = core._other_close(close) if close else None
    for c in text:
        if w == core.W_NONE:
            break
        if w == core.W_KEY:
            if c == close:
                w = core.W_KEY_END
            elif c in (other, "\n", "\\") or c < " " or "\ud800" <= c <= "\udfff":
                w = core.W_NONE
        elif c in " \t\n\r":
            w = w if w < core.W_QUOTE1 else core.W_NONE
        elif w == core.W_SPACE:
            w = core.W_COMMA if c == "," else core.W_NONE
        elif w in (core.W_COMMA, core.W_KEY_START):
            if c in core._KEY_QUOTES and obj:
                w, close = core.W_KEY, core._KEY_QUOTES[c]
                other = core._other_close(close)
            elif not (w == core.W_COMMA and c in ",\uff0c"):
                w = core.W_NONE
        elif w == core.W_KEY_END:
            w = core.W_COLON if c == ":" else core.W_NONE
        elif w == core.W_COLON:
            if c in "'\"":
                w, close = core.W_QUOTE1, c
            else:
                w = core.W_WORD if c in core.WORD_START else core.W_NONE
        elif w == core.W_QUOTE1:
            w = core.W_QUOTE2 if c == close else core.W_NONE
        elif w == core.W_WORD:
            w = core.W_WORD if c in core.WORD_CHARS else core.W_NONE
        else:
            w = core.W_NONE
    keeps = w in (py_core.W_KEY, py_core.W_QUOTE1, py_core.W_QUOTE2)
    return w, (close if keeps else None)


WAIT_TEXT = st.lists(st.sampled_from([" ", "\t", "\n", "\r", ",", "\uff0c", "'", '"', "`",
                                       "\u201c", "\u201d", "\u2018", "\u2019", ":", "ab",
                                       "9", "-", ".", "+", "_", "\\", "\x01", "\ud800", "}"]),
                     max_size=10).map("".join)


@settings(max_examples=2000, deadline=None)     # (a few microseconds each)
@given(start=st.sampled_from(["space", "comma", "key_start", "key", "key_end", "colon",
                              "quote1", "quote2", "word"]),
       obj=st.booleans(), close=st.sampled_from(['"', "'", "`", "\u201d", "\u2019"]),
       text=WAIT_TEXT)
def test_twin_wait_follows_the_rules_character_by_character(start, obj, close, text):
    """The pure twin follows a wait through a chunk in one match per state
    (_WaitMatch); it reaches the state the rules reach one character at a time."""
    w = getattr(py_core, "W_" + start.upper())
    if w == py_core.W_QUOTE1 or w == py_core.W_QUOTE2:
        close = "'" if close == "'" else '"'
    s = types.SimpleNamespace(wait=w, wait_obj=obj, wait_close=close,
                              wait_other=py_core._other_close(close))
    py_core.Stream._wait_scan(s, text, 0, len(text))
    keeps = s.wait in (py_core.W_KEY, py_core.W_QUOTE1, py_core.W_QUOTE2)
    assert (s.wait, s.wait_close if keeps else None) == _wait_reference(
        py_core, w, obj, close, text)


@pytest.mark.parametrize("key", ["`key`", "'key'", '"key"', "\u201ckey\u201d", "\u2018key\u2019",
                                 "`k\"y`", "'k`y'"])
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_cores_agree_on_a_key_of_each_quote_in_chunks(key, size):
    """Every kind of key quote, the key fed in chunks of a few characters while the
    stream waits: both cores stand at the same place and show the same value after every
    chunk (the compiled core's byte table once skipped a backtick that closes a key, and
    the value waited for close())."""
    c_core, py_core = both_cores()
    text = '{"a": "x", ' + key + ': "v", "b": 2}'
    chunks = [text[i:i + size] for i in range(0, len(text), size)]
    runs = []
    for core in (c_core, py_core):
        s = StreamRepairer(engine=repair.Engine(core.Scanner))
        runs.append([(s.feed(c), orjson.dumps(s.value), s.scanner.pos) for c in chunks])
    assert runs[0] == runs[1]
    assert orjson.loads(runs[0][-1][1]) == {"a": "x", key[1:-1]: "v", "b": 2}


def test_a_key_wait_holds_the_value_back():
    """The value does not change while a key arrives, and the key shows with its value."""
    for core in both_cores():
        import repair
        s = StreamRepairer(engine=repair.Engine(core.Scanner))
        values = []
        for chunk in ["{'a': 1,", "\n  ", "'ke", "y x'", " :", " ", "'v", "w'}"]:
            s.feed(chunk)
            values.append(orjson.dumps(s.value).decode())
        assert values == ['{"a":1}'] * 6 + ['{"a":1,"key x":"v"}', '{"a":1,"key x":"vw"}']


@pytest.mark.parametrize("tail", ["', '\u20ac", "',\u201c", "', '\U0001f600", "'  ,\n  '\u00e9"])
def test_a_chunk_that_ends_a_string_with_a_wider_tail(tail):
    """A chunk that ends a value string (content, the closing quote, then what the scanner
    waits through) can hold wider characters after the quote than in the content: the
    content goes into the string in the string's own width (hypothesis found `"v0"` for
    `"v1"`)."""
    c_core, py_core = both_cores()
    import repair
    chunks = ["{'k': 'v", "1" + tail, "x': 2}"]
    runs = []
    for core in (c_core, py_core):
        s = StreamRepairer(engine=repair.Engine(core.Scanner))
        runs.append([(s.feed(chunk), orjson.dumps(s.value)) for chunk in chunks])
        assert s.value["k"] == "v1"
    assert runs[0] == runs[1]


def test_stream_runs_in_the_engines_core(engine):
    s = StreamRepairer(engine=engine)
    core = type(s).__mro__[1]
    assert core.__name__ == "Stream" and core.__module__ == engine.scanner_cls.__module__
    assert type(s).__name__ == "StreamRepairer" and isinstance(s, StreamRepairer)

    class Mine(StreamRepairer):
        def shout(self):
            return self.text.upper()

    m = Mine(engine=engine)
    m.feed('{"a": "b"}')
    assert isinstance(m, Mine) and m.shout() == '{"A":"B"}'
    assert m.close().value == {"a": "b"}

    # `value` is a slot of the instance's class that feed() keeps up to date (both cores)
    compiled = engine.scanner_cls.__module__ == "repair._core"
    for obj in (s, m):
        assert isinstance(vars(type(obj)).get("value"), types.MemberDescriptorType)
        # ... and with the compiled core `feed` the core's, as a method descriptor of that
        # very class
        feed = vars(type(obj)).get("feed")
        assert isinstance(feed, types.MethodDescriptorType) == compiled
        if compiled:
            assert feed.__objclass__ is type(obj) and feed.__name__ == "feed"
            assert str(inspect.signature(feed)) == "(self, chunk, /)"


def test_feed_errors_pass_through_the_core(engine):
    """feed() raises as documented whatever way the core's method is called."""
    s = StreamRepairer(engine=engine)
    with pytest.raises(TypeError, match="str or bytes"):
        s.feed(3)
    with pytest.raises(TypeError):
        s.feed()                    # type: ignore[call-arg]
    with pytest.raises(TypeError):
        s.feed("a", "b")            # type: ignore[call-arg]
    with pytest.raises(RepairError, match="UTF-8"):
        s.feed(b"\xff")
    assert type(s).feed(s, '{"a": 1}') is True
    assert s.feed(b' }') is False and s.value == {"a": 1}
    assert s.close().value == {"a": 1}
    with pytest.raises(ValueError, match="after close"):
        s.feed("x")


@SETTINGS
@given(parts=st.lists(st.tuples(st.text(st.sampled_from("a{é€\U0001f600\" "), min_size=1,
                                        max_size=9), st.booleans()), max_size=40))
def test_scanner_buffer_grows_without_changing_what_was_read(engine, parts):
    """The compiled scanner grows its buffer in place when nobody else holds it: a buffer
    read before a feed keeps its text."""
    sc = engine.scanner_cls()
    text = ""
    kept = []
    for part, keep in parts:
        if keep:
            kept.append((sc.buf, text))
        sc.feed(part)
        text += part
        assert sc.buf == text and len(sc.buf) == len(text) and hash(sc.buf) == hash(text)
    for buf, was in kept:
        assert buf == was and hash(buf) == hash(was)


def test_a_string_taken_from_the_value_never_changes(engine):
    """The string being streamed grows in its container (in place, in the compiled core,
    while nothing else holds it); a string the caller holds keeps its text and hash."""
    s = StreamRepairer(engine=engine)
    s.feed('{"a": "hel')
    assert s.value == {"a": "hel"}
    held = s.value["a"]
    h = hash(held)
    for chunk in ("lo", " wo", "é", "rld", "\U0001f600", '"}'):
        s.feed(chunk)
        assert held == "hel" and hash(held) == h
        s.value
    assert s.close().value == {"a": "hello woérld\U0001f600"}

    s = StreamRepairer(engine=engine)
    s.feed('["x", "a')
    assert s.value == ["x", "a"]
    keep = [s.value[1]]
    for chunk in ("b", "c", "\u00e9", "d"):
        s.feed(chunk)
        assert keep == ["a"]
    assert s.value == ["x", "abcéd"]
    snapshot = dict(enumerate(s.value))     # a shallow copy holds the string too
    s.feed("ef")
    assert snapshot[1] == "abcéd" and s.value == ["x", "abcédef"]


def test_rebuilt_stream_of_text_that_cannot_be_repaired(engine):
    """The scanner re-reads a member it had let through, then the text turns out beyond
    repair: close() raises as one-shot repair does."""
    text = '{":null,"\\\\\\"\\"":null}]'
    _snaps, res, s = check(engine, text, list(text))
    assert isinstance(res, RepairError) and s.rebuilds == 1
