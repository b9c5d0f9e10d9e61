"""``python -m repair capture`` against a loopback server that plays a model (OpenAI-style
SSE and ollama NDJSON), with the endpoint from a MetaGPT config2.yaml or from flags."""
import json

import pytest

from repair import corpus

from replay_server import ReplayServer
from test_cli import err, out, run

pytest.importorskip("openai")
pytest.importorskip("httpx")

BROKEN = "Sure! Here it is:\n```json\n{'fruits': ['apple', 'pear',],}\n```"
VALID = '{"fruits": ["apple"]}'


@pytest.fixture(scope="module")
def server():
    with ReplayServer({"give me fruits": BROKEN, "valid please": VALID}) as srv:
        yield srv


def config(tmp_path, server, api_type="open_llm"):
    path = tmp_path / "config2.yaml"
    base = server.url + ("/v1" if api_type != "ollama" else "")
    path.write_text("llm:\n  api_type: \"%s\"\n  base_url: \"%s\"\n  model: \"replay-4\"\n"
                    "  api_key: \"EMPTY\"\nrepair_llm_output: true\n" % (api_type, base),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("api_type", ["open_llm", "ollama"])
def test_capture_adds_a_failure(tmp_path, server, api_type):
    cdir = tmp_path / "corpus"
    proc = run(["capture", "--config", str(config(tmp_path, server, api_type)),
                "--prompt", "give me fruits", "-k", "Fruits", "--add", "--dir", str(cdir)],
               cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    text = out(proc)
    assert "--- raw output of replay-4 ---\n" + BROKEN in text
    assert json.loads(text.split("--- repaired ---\n")[1].split("--- edits ---")[0]) == {
        "Fruits": ["apple", "pear"]}
    [case] = corpus.load(cdir)
    assert case["text"] == BROKEN and case["model"] == "replay-4"
    assert case["source"] == "capture" and case["expected"] == {"Fruits": ["apple", "pear"]}
    assert case["required_keys"] == ["Fruits"]


def test_capture_with_flags_and_valid_output(tmp_path, server):
    proc = run(["capture", "--base-url", server.url + "/v1", "--model", "replay-2",
                "--prompt", "valid please", "--dir", str(tmp_path / "c")], cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    assert "nothing to add" in out(proc)
    assert not (tmp_path / "c").exists()


def test_capture_without_a_terminal_does_not_add(tmp_path, server):
    try:
        open("/dev/tty").close()
    except OSError:
        pass
    else:
        pytest.skip("the test runner has a terminal: capture would ask on it")
    proc = run(["capture", "--base-url", server.url + "/v1", "--model", "replay-4",
                "--prompt", "give me fruits", "--dir", str(tmp_path / "c")], cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    assert not (tmp_path / "c").exists()


def test_capture_errors(tmp_path):
    proc = run(["capture", "--prompt", "x"], cwd=tmp_path)
    assert proc.returncode == 2 and "no endpoint" in err(proc)
    proc = run(["capture", "--prompt", "x", "--base-url", "http://127.0.0.1:9/v1",
                "--model", "m"], cwd=tmp_path)
    assert proc.returncode == 1 and "the model call failed" in err(proc)
