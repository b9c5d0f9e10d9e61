"""The corpus of real model failures (``corpus/``): every case on both cores, the corpus
files themselves, the import from the seed, and the ``corpus`` library functions.

A case passes when the repaired text parses with orjson, equals ``expected`` when the
case has one, and has every required key that is present in the required spelling.
Cases the engine does not get right yet are listed with the reason in
``corpus/known_failures.json``; for those the test checks that they still fail (then
xfails with the reason), so the list only shrinks: a listed case that passes fails the
test until it is removed from the list.
"""
import json

import orjson
import pytest

from repair import corpus

from conftest import CORPUS_DIR, corpus_cases

KNOWN = corpus.load_known_failures(CORPUS_DIR)


def test_corpus_case(engine, corpus_case):
    problem = corpus.problem(engine.repair, corpus_case)
    if corpus_case["id"] in KNOWN:
        if problem is None:
            pytest.fail("%s passes now: remove %s from corpus/known_failures.json"
                        % (corpus_case.name, corpus_case["id"]))
        pytest.xfail("%s (%s)" % (KNOWN[corpus_case["id"]], problem))
    assert problem is None, "%s: %s\ninput: %r" % (corpus_case.name, problem,
                                                   corpus_case["text"])


def test_known_failures_name_corpus_cases():
    ids = {c["id"] for c in corpus_cases()}
    assert sorted(set(KNOWN) - ids) == []
    assert all(isinstance(r, str) and r.strip() for r in KNOWN.values())


def test_corpus_files_are_well_formed():
    cases = corpus_cases()            # raises CorpusError on a bad line or a duplicate id
    assert len(cases) >= 94
    for case in cases:
        assert list(case)[:1] == ["id"]
        assert set(corpus.FIELDS) <= set(case)
        # every case sits in its model family's file
        assert case.file == corpus.family(case["model"]) + ".jsonl", case.name
        # the text is a failure: a strict parser rejects it
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(case["text"])
    with open(CORPUS_DIR / "README.md", encoding="utf-8") as f:
        readme = f.read()
    for field in corpus.FIELDS:
        assert "`%s`" % field in readme


def test_every_seed_case_is_in_the_corpus(seed_corpus):
    by_id = {c["id"]: c for c in corpus_cases()}
    for seed in seed_corpus:
        case = by_id.get(corpus.case_id(seed["text"]))
        assert case is not None, "seed case %s is not in corpus/" % seed["id"]
        assert case["label"] == seed["id"]
        assert (case["model"], case["source"]) == (seed["model"], seed["source"])
        assert case["kinds"] == seed["kinds"]
        if seed["expected"] is not None and case["expected"] != seed["expected"]:
            # a changed expectation says why, next to the case
            assert "expected changed from the seed's" in case["note"], seed["id"]


# -- the library functions -------------------------------------------------------------

@pytest.mark.parametrize("model, stem", [
    ("Qwen2.5-Coder-7B-Instruct", "qwen"),
    ("deepseek-r1:14b", "deepseek"),
    ("llama3.2 3B", "llama"),
    ("gpt-4 / gpt-35-turbo (Azure OpenAI)", "gpt"),
    ("openai/gpt-oss-20b", "gpt"),
    ("anthropic.claude-3-sonnet-20240229-v1:0", "claude"),
    ("gemini-2.5-flash-lite", "gemini"),
    ("GLM-5.x (via API, per reporter)", "glm"),
    ("mistral-nemo:12b-instruct-2407-q4_1", "mistral"),
    ("Some New Model 7B!", "some-new-model-7b"),
    (None, "unknown"),
    ("", "unknown"),
])
def test_family(model, stem):
    assert corpus.family(model) == stem


def test_case_id_is_a_hash_of_the_text():
    assert corpus.case_id("{'a': 1}") == corpus.case_id("{'a': 1}")
    assert corpus.case_id("{'a': 1}") != corpus.case_id("{'a': 2}")
    assert len(corpus.case_id("x")) == 16


def test_add_appends_without_touching_existing_lines(tmp_path):
    first = corpus.make_case("{'a': 1", model="qwen2.5", expected={"a": 1}, kinds=["truncated"])
    path = corpus.add(first, tmp_path)
    assert path == tmp_path / "qwen.jsonl"
    before = path.read_bytes()
    second = corpus.make_case("{a: 2,}", model="Qwen3", expected={"a": 2})
    corpus.add(second, tmp_path)
    after = path.read_bytes()
    assert after.startswith(before)
    assert [c["id"] for c in corpus.load(tmp_path)] == [first["id"], second["id"]]
    with pytest.raises(corpus.CorpusError, match="duplicate"):
        corpus.add(corpus.make_case("{a: 2,}", model="llama3"), tmp_path)
    assert path.read_bytes() == after
    assert not (tmp_path / "llama.jsonl").exists()


@pytest.mark.parametrize("line, message", [
    ('{"id": "x"}', "missing field"),
    ('{"id": "0", "model": null, "source": null, "text": "{", "required_keys": [], '
     '"expected": null, "kinds": [], "note": ""}', "not the hash"),
    ("{not json", "line 1"),
])
def test_load_rejects_a_malformed_line(tmp_path, line, message):
    (tmp_path / "x.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=message):
        corpus.load(tmp_path)


def test_check_classifies_cases(engine, tmp_path):
    good = corpus.make_case("{'a': 1", model="m", expected={"a": 1})
    bad = corpus.make_case("{'b': 1", model="m", expected={"b": 2})
    listed_bad = corpus.make_case("{'c': 1", model="m", expected={"c": 3})
    listed_good = corpus.make_case("{'d': 1", model="m", expected={"d": 1})
    cases = [corpus.Case(c) for c in (good, bad, listed_bad, listed_good)]
    known = {listed_bad["id"]: "why", listed_good["id"]: "why"}
    rows = corpus.check(engine.repair, cases, known)
    assert [status for _c, _w, status in rows] == ["pass", "regression", "known", "fixed"]
    assert rows[1][1].startswith("value {\"b\": 1} != expected")


def test_problem_flags_a_required_key_in_the_wrong_spelling(engine):
    def fake_repair(text, required_keys):
        return engine.repair(text)     # ignores the required keys: no rename happens
    case = corpus.Case(corpus.make_case('{"name": 1,}', required_keys=["Name"]))
    assert "required spelling" in corpus.problem(fake_repair, case)
    assert corpus.problem(engine.repair, case) is None


def test_stats_counts(tmp_path):
    corpus.add(corpus.make_case("{'a': 1", model="qwen2.5", kinds=["single_quotes"],
                                source="org/repo#1"), tmp_path)
    corpus.add(corpus.make_case("{'b': 1", model=None, kinds=["single_quotes", "truncated"],
                                source="org/repo#2", expected={"b": 1}), tmp_path)
    s = corpus.stats(corpus.load(tmp_path))
    assert s["cases"] == 2 and s["with_expected"] == 1
    assert s["family"] == {"qwen.jsonl": 1, "unknown.jsonl": 1}
    assert s["kind"] == {"single_quotes": 2, "truncated": 1}
    assert s["source"] == {"org/repo": 2}
    assert json.loads(json.dumps(s))  # plain data, printable as JSON
