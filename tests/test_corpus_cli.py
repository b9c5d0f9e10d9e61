"""``python -m repair corpus add|check|stats`` as a real process, in a temporary corpus,
plus the interactive confirmation of ``add`` driven in-process."""
import json
import sys

import pytest

from repair import corpus, corpus_cli

from test_cli import err, out, run

RAW = "Here you go:\n```json\n{'name': 'Ada', 'Age': 36,}\n```"


@pytest.fixture
def cdir(tmp_path):
    return tmp_path / "corpus"


def add(cdir, *args, stdin=RAW):
    return run(["corpus", "--dir", str(cdir), "add", *args], stdin, cwd=cdir.parent)


def test_add_accept_writes_the_proposed_value(cdir):
    proc = add(cdir, "--model", "Qwen2.5-7B-Instruct", "-k", "age", "--source", "test",
               "--accept")
    assert proc.returncode == 0, err(proc)
    assert "qwen.jsonl" in out(proc)
    [case] = corpus.load(cdir)
    assert case["text"] == RAW
    assert case["model"] == "Qwen2.5-7B-Instruct" and case["source"] == "test"
    assert case["required_keys"] == ["age"]
    assert case["expected"] == {"name": "Ada", "age": 36}
    # kinds default to the kinds of the engine's edits
    assert {"quote_style", "key_case", "extra_comma"} <= set(case["kinds"])


def test_add_rejects_valid_json_and_duplicates(cdir):
    proc = add(cdir, "--model", "m", "--accept", stdin='{"a": 1}')
    assert proc.returncode == 1
    assert "already valid JSON" in err(proc)
    assert not cdir.exists() or not list(cdir.glob("*.jsonl"))
    assert add(cdir, "--model", "m", "--accept").returncode == 0
    before = (cdir / "m.jsonl").read_bytes()
    proc = add(cdir, "--model", "llama3", "--accept")
    assert proc.returncode == 1
    assert "duplicate" in err(proc)
    assert (cdir / "m.jsonl").read_bytes() == before
    assert not (cdir / "llama.jsonl").exists()


def test_add_expected_file_and_kinds(cdir, tmp_path):
    exp = tmp_path / "exp.json"
    exp.write_text('{"name": "Ada", "Age": 36}', encoding="utf-8")
    proc = add(cdir, "--model", "m", "--expected", str(exp), "--kinds", "code_fence, single_quotes")
    assert proc.returncode == 0, err(proc)
    [case] = corpus.load(cdir)
    assert case["expected"] == {"name": "Ada", "Age": 36}
    assert case["kinds"] == ["code_fence", "single_quotes"]


def test_add_without_a_terminal_asks_for_accept(cdir):
    # no --accept/--expected, and the subprocess has no controlling terminal
    proc = run(["corpus", "--dir", str(cdir), "add", "--model", "m"], RAW, cwd=cdir.parent)
    if "no terminal" not in err(proc):
        pytest.skip("the test runner has a controlling terminal")
    assert proc.returncode == 1
    assert not cdir.exists() or not list(cdir.glob("*.jsonl"))


class FakeTerminal:
    answers = []

    def __init__(self):
        self.inp = True

    def ask(self, question):
        return FakeTerminal.answers.pop(0)


def run_in_process(monkeypatch, cdir, answers, args=()):
    FakeTerminal.answers = list(answers)
    monkeypatch.setattr(corpus_cli, "_Terminal", FakeTerminal)
    monkeypatch.setattr(sys, "stdin", type("S", (), {"buffer": __import__("io").BytesIO(
        RAW.encode())})())
    return corpus_cli.main(["--dir", str(cdir), "add", "--model", "m", *args])


def test_add_confirm_yes_null_quit(monkeypatch, cdir, tmp_path):
    assert run_in_process(monkeypatch, cdir, ["q"]) == 1
    assert not list(cdir.glob("*.jsonl")) if cdir.exists() else True
    assert run_in_process(monkeypatch, cdir, ["what?", "n"]) == 0
    [case] = corpus.load(cdir)
    assert case["expected"] is None


def test_add_confirm_edit(monkeypatch, cdir, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('{\"fixed\": true}')\n")
    monkeypatch.setenv("VISUAL", "%s %s" % (sys.executable, editor))
    assert run_in_process(monkeypatch, cdir, ["e", "y"]) == 0
    [case] = corpus.load(cdir)
    assert case["expected"] == {"fixed": True}


def write_corpus(cdir, cases, known=None):
    cdir.mkdir()
    for c in cases:
        corpus.add(c, cdir)
    if known is not None:
        (cdir / "known_failures.json").write_text(json.dumps(known), encoding="utf-8")


def test_check_passes_and_prints_tables(cdir):
    write_corpus(cdir, [
        corpus.make_case("{'a': 1", model="qwen2", expected={"a": 1}, kinds=["single_quotes"]),
        corpus.make_case("{b: 2,}", model=None, expected={"b": 2}, kinds=["trailing_comma"]),
    ])
    proc = run(["corpus", "--dir", str(cdir), "check"], cwd=cdir.parent)
    assert proc.returncode == 0, out(proc) + err(proc)
    text = out(proc)
    assert "## by model" in text and "## by kind" in text
    assert "| qwen.jsonl" in text and "| trailing_comma" in text
    assert "2 cases: 2 pass, 0 known failures, 0 fixed, 0 regressions" in text


def test_check_fails_on_a_regression_not_on_a_known_failure(cdir):
    wrong = corpus.make_case("{'a': 1", model="qwen2", expected={"a": 2})
    write_corpus(cdir, [wrong], known={wrong["id"]: "expected disagrees on purpose"})
    proc = run(["corpus", "--dir", str(cdir), "check", "-v"], cwd=cdir.parent)
    assert proc.returncode == 0, out(proc)
    assert "KNOWN" in out(proc)
    (cdir / "known_failures.json").write_text("{}", encoding="utf-8")
    proc = run(["corpus", "--dir", str(cdir), "check"], cwd=cdir.parent)
    assert proc.returncode == 1
    assert "REGRESSION" in out(proc) and "1 regressions" in out(proc)


def test_check_filters_by_model_and_kind(cdir):
    write_corpus(cdir, [
        corpus.make_case("{'a': 1", model="qwen2", expected={"a": 1}, kinds=["x"]),
        corpus.make_case("{'b': 1", model="llama3", expected={"b": 9}, kinds=["y"]),
    ])
    assert run(["corpus", "--dir", str(cdir), "check", "--model", "qwen"],
               cwd=cdir.parent).returncode == 0
    assert run(["corpus", "--dir", str(cdir), "check", "--kind", "x"],
               cwd=cdir.parent).returncode == 0
    assert run(["corpus", "--dir", str(cdir), "check", "--kind", "y"],
               cwd=cdir.parent).returncode == 1
    proc = run(["corpus", "--dir", str(cdir), "check", "--kind", "zzz"], cwd=cdir.parent)
    assert proc.returncode == 1 and "no cases" in err(proc)


def test_stats(cdir):
    write_corpus(cdir, [
        corpus.make_case("{'a': 1", model="qwen2", kinds=["single_quotes"], source="o/r#1"),
    ])
    proc = run(["corpus", "--dir", str(cdir), "stats", "--json"], cwd=cdir.parent)
    assert proc.returncode == 0, err(proc)
    s = json.loads(out(proc))
    assert s["cases"] == 1 and s["family"] == {"qwen.jsonl": 1}
    proc = run(["corpus", "--dir", str(cdir), "stats"], cwd=cdir.parent)
    assert "1 cases, 0 with an expected value" in out(proc)


def test_corpus_usage_errors(tmp_path):
    proc = run(["corpus"], cwd=tmp_path)
    assert proc.returncode == 2 and "usage:" in err(proc)
    proc = run(["corpus", "add"], cwd=tmp_path)          # --model is required
    assert proc.returncode == 2 and "--model" in err(proc)
