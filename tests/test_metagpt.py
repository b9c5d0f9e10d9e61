"""The MetaGPT drop-in (``repair.compat.metagpt``): MetaGPT's post-processing pipeline,
run unchanged on this engine, over MetaGPT-shaped outputs and every MetaGPT case of the
corpus."""
import json

import pytest

from repair import RepairError
from repair.compat.metagpt import (RepairType, extract_content_from_output, load_config,
                                   repair_enabled, repair_llm_raw_output,
                                   retry_parse_json_text)

from conftest import corpus_cases


def metagpt_postprocess(output, schema_keys, tag="CONTENT", config=None):
    """MetaGPT's BasePostProcessPlugin.run_repair_llm_output, step for step."""
    req_key = "[/%s]" % tag
    content = repair_llm_raw_output(output, req_keys=list(schema_keys) + [req_key],
                                    config=config)
    content = extract_content_from_output(content, right_key=req_key)
    content = repair_llm_raw_output(content, req_keys=[None], repair_type=RepairType.JSON,
                                    config=config)
    return retry_parse_json_text(output=content)


PRD = {
    "Language": "en_us",
    "Programming Language": "Python",
    "Original Requirements": "Write a 2048 game",
    "Product Goals": ["Fun to play", "Runs in a terminal"],
    "User Stories": ["As a player, I want to \"undo\" a move", "As a player, I want scores"],
    "Competitive Quadrant Chart": "quadrantChart\n    title Reach\n    Campaign A: [0.3, 0.6]",
    "Requirement Pool": [["P0", "The main code"], ["P1", "Scores"]],
    "Anything UNCLEAR": "",
}
DESIGN = {
    "Implementation approach": "We will use pygame",
    "File list": ["main.py", "game.py"],
    "Data structures and interfaces": "classDiagram\n    class Game{\n        +int score\n    }",
    "Program call flow": "sequenceDiagram\n    M->>G: start",
    "Anything UNCLEAR": "None",
}
TASK = {
    "Required packages": ["pygame==2.0.4"],
    "Logic Analysis": [["game.py", "Contains Game"], ["main.py", "Entry"]],
    "Task list": ["game.py", "main.py"],
    "Shared Knowledge": "'game.py' holds the state",
    "Anything UNCLEAR": "",
}


def recase(key, style):
    return {"lower": key.lower(), "upper": key.upper(), "snake": key.lower().replace(" ", "_"),
            "title": key.title()}[style]


def damaged(doc, how):
    """MetaGPT-shaped output of ``doc`` with the failure ``how``."""
    body = json.dumps(doc, indent=4, ensure_ascii=False)
    if how == "clean":
        return "[CONTENT]\n%s\n[/CONTENT]" % body
    if how == "key_case":
        doc2 = {recase(k, ["lower", "snake", "upper", "title"][i % 4]): v
                for i, (k, v) in enumerate(doc.items())}
        return "[CONTENT]\n%s\n[/CONTENT]" % json.dumps(doc2, indent=4, ensure_ascii=False)
    if how == "missing_end_tag":
        return "[CONTENT]\n%s\n" % body
    if how == "end_tag_without_slash":
        return "[CONTENT]\n%s\n[CONTENT]" % body
    if how == "doubled_start_tag":
        return "[CONTENT] tag\n[CONTENT]\n%s\n[/CONTENT]" % body
    if how == "prose_and_fence":
        return ("Sure! Here is the output:\n\n[CONTENT]\n```json\n%s\n```\n[/CONTENT]\n\n"
                "I hope this helps." % body)
    if how == "raw_newlines":
        return "[CONTENT]\n%s\n[/CONTENT]" % body.replace("\\n", "\n")
    if how == "trailing_commas_and_comments":
        return "[CONTENT]\n%s\n[/CONTENT]" % body.replace('",\n', '",  // note\n').replace(
            "]\n}", "],\n}")
    if how == "truncated":
        return "[CONTENT]\n%s" % body[:-1].rstrip()       # cut before the last brace
    raise ValueError(how)


HOWS = ["clean", "key_case", "missing_end_tag", "end_tag_without_slash", "doubled_start_tag",
        "prose_and_fence", "raw_newlines", "trailing_commas_and_comments", "truncated"]


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("name, doc", [("prd", PRD), ("design", DESIGN), ("task", TASK)])
def test_metagpt_pipeline_on_schema_outputs(name, doc, how):
    assert metagpt_postprocess(damaged(doc, how), list(doc)) == doc


METAGPT_CASES = [c for c in corpus_cases() if "MetaGPT" in (c["source"] or "")
                 and c["expected"] is not None]


def test_all_metagpt_seed_cases_are_here():
    assert len(METAGPT_CASES) >= 29


@pytest.mark.parametrize("case", METAGPT_CASES, ids=[c.name for c in METAGPT_CASES])
def test_metagpt_seed_cases(case):
    assert metagpt_postprocess(case["text"], case.keys) == case["expected"]


def test_repair_llm_raw_output_renames_and_keeps_values():
    out = repair_llm_raw_output('{"original requirements": "Keep THIS case"}',
                                ["Original Requirements", "[/CONTENT]"])
    assert json.loads(out) == {"Original Requirements": "Keep THIS case"}
    for t in RepairType:
        assert json.loads(repair_llm_raw_output("{'a': 1,}", [None], repair_type=t)) == {"a": 1}
    with pytest.raises(TypeError):
        repair_llm_raw_output("{}", [], repair_type="json")


def test_unrepairable_output_comes_back_and_parse_raises():
    text = "I cannot do that."
    assert repair_llm_raw_output(text, ["a"]) == text
    assert extract_content_from_output("  %s  " % text) == text
    with pytest.raises(RepairError):
        retry_parse_json_text(text)
    with pytest.raises(ValueError):       # MetaGPT callers catching ValueError still do
        retry_parse_json_text(text)


def test_config_switch(tmp_path):
    text = "{'a': 1,}"
    assert repair_llm_raw_output(text, [], config={"repair_llm_output": False}) == text

    class Config:
        repair_llm_output = True
    assert json.loads(repair_llm_raw_output(text, [], config=Config())) == {"a": 1}
    assert repair_enabled(None) and not repair_enabled({})

    cfg = tmp_path / "config2.yaml"
    cfg.write_text(
        "llm:\n"
        "  api_type: \"open_llm\"  # vLLM / FastChat / LLaMA-Factory\n"
        "  base_url: \"http://127.0.0.1:8000/v1\"\n"
        "  model: \"Qwen2.5-7B-Instruct\"\n"
        "  api_key: \"EMPTY\"\n"
        "repair_llm_output: true\n", encoding="utf-8")
    conf = load_config(cfg)
    assert conf["repair_llm_output"] is True
    assert conf["llm"] == {"api_type": "open_llm", "base_url": "http://127.0.0.1:8000/v1",
                           "model": "Qwen2.5-7B-Instruct", "api_key": "EMPTY"}
    assert repair_enabled(conf)
    with pytest.raises(FileNotFoundError):
        load_config(tmp_path / "missing.yaml")


def test_simple_yaml_reader_matches_pyyaml(tmp_path, monkeypatch):
    from repair.compat import metagpt
    text = ("llm:\n  api_type: ollama\n  base_url: 'http://127.0.0.1:11434/api'\n"
            "  model: llama3.1:8b\n  temperature: 0.2\n  max_token: 4096\n"
            "repair_llm_output: True\nproxy: ~\nlist:\n  - a\n  - 2\n")
    got = metagpt._simple_yaml(text)
    assert got == {"llm": {"api_type": "ollama", "base_url": "http://127.0.0.1:11434/api",
                           "model": "llama3.1:8b", "temperature": 0.2, "max_token": 4096},
                   "repair_llm_output": True, "proxy": None, "list": ["a", 2]}
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(text) == got
