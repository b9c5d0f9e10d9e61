"""``python -m repair capture``: ask a live model, show its raw and repaired output, and
offer to add a failure to the corpus.

The endpoint comes from MetaGPT's ``config2.yaml`` (its ``llm:`` block: ``api_type``,
``base_url``, ``model``, ``api_key``) or from ``--base-url``/``--model``/``--api-type``.
``api_type`` ``ollama`` talks to ollama's ``/api/chat``; anything else (``open_llm``,
``openai`` …) to an OpenAI-compatible ``/chat/completions`` (vLLM, FastChat,
LLaMA-Factory). Both are read as streams.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, Sequence

import orjson

from . import corpus
from .api import repair
from .errors import RepairError

if TYPE_CHECKING:
    from .api import RepairResult

__all__ = ["ask", "main"]


def ask(prompt: str, base_url: str, model: str, api_type: str = "open_llm",
        api_key: str | None = None, timeout: float = 120.0) -> str:
    """The raw text the model answers to ``prompt``."""
    if api_type == "ollama":
        import httpx
        url = base_url.rstrip("/")
        if url.endswith("/api"):
            url = url[:-4]
        body = {"model": model, "stream": True,
                "messages": [{"role": "user", "content": prompt}]}
        parts: list[str] = []
        with httpx.stream("POST", url + "/api/chat", json=body, timeout=timeout) as resp:
            resp.raise_for_status()
            for line in resp.iter_lines():
                if not line.strip():
                    continue
                item = orjson.loads(line)
                parts.append((item.get("message") or {}).get("content") or "")
                if item.get("done"):
                    break
        return "".join(parts)
    import openai
    client = openai.OpenAI(base_url=base_url, api_key=api_key or "EMPTY", timeout=timeout,
                           max_retries=0)
    stream = client.chat.completions.create(
        model=model, stream=True, messages=[{"role": "user", "content": prompt}])
    parts = []
    for chunk in stream:
        for choice in chunk.choices or ():
            if choice.delta is not None and choice.delta.content:
                parts.append(choice.delta.content)
    return "".join(parts)


def build_parser(prog: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog + " capture",
        description="Ask a live model, print its raw and repaired output, and offer to add "
                    "a failure to the corpus.",
        epilog="examples:\n"
               "  python -m repair capture --config config/config2.yaml --prompt 'List 3 "
               "fruits as JSON' -k fruits\n"
               "  python -m repair capture --base-url http://127.0.0.1:11434 --api-type "
               "ollama --model llama3.1:8b --prompt '...'\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--prompt", required=True, help="what to ask the model")
    p.add_argument("--config", metavar="FILE", help="MetaGPT's config2.yaml (its llm: block)")
    p.add_argument("--base-url", help="the endpoint (overrides the config)")
    p.add_argument("--model", help="the model name (overrides the config)")
    p.add_argument("--api-type", help="open_llm (OpenAI-compatible, default) or ollama")
    p.add_argument("--api-key", help="the API key (default: the config's, else EMPTY)")
    p.add_argument("-k", "--key", action="append", default=[], dest="key", metavar="KEY",
                   help="a required key (repeatable)")
    p.add_argument("--dir", default=None, metavar="DIR",
                   help="the corpus directory (default: $REPAIR_CORPUS or ./corpus)")
    add = p.add_mutually_exclusive_group()
    add.add_argument("--add", action="store_true",
                     help="add a failure to the corpus without asking (the engine's value "
                          "as expected)")
    add.add_argument("--no-add", action="store_true", help="never add to the corpus")
    return p


def _endpoint(args: argparse.Namespace) -> tuple[str | None, str | None, str, str | None]:
    llm: dict[str, Any] = {}
    if args.config:
        from .compat.metagpt import load_config
        llm = (load_config(args.config) or {}).get("llm") or {}
    base_url = args.base_url or llm.get("base_url")
    model = args.model or llm.get("model")
    api_type = args.api_type or llm.get("api_type") or "open_llm"
    api_key = args.api_key or llm.get("api_key")
    return base_url, model, api_type, api_key


def main(argv: Sequence[str], prog: str = "python -m repair") -> int:
    args = build_parser(prog).parse_args(argv)
    try:
        base_url, model, api_type, api_key = _endpoint(args)
    except OSError as exc:
        sys.stderr.write("repair capture: cannot read %s: %s\n" % (args.config, exc))
        return 2
    if not base_url or not model:
        sys.stderr.write("repair capture: no endpoint: give --config with an llm: block, or "
                         "--base-url and --model\n")
        return 2
    try:
        raw = ask(args.prompt, base_url, model, api_type, api_key)
    except Exception as exc:   # the model server or the network: report, do not trace
        sys.stderr.write("repair capture: the model call failed: %s\n" % (exc,))
        return 1
    out = sys.stdout
    out.write("--- raw output of %s ---\n%s\n" % (model, raw))
    res: RepairResult | None
    try:
        res = repair(raw, args.key)
        proposed = res.value
        out.write("--- repaired ---\n%s\n" % json.dumps(proposed, indent=2, ensure_ascii=False))
        if res.edits:
            out.write("--- edits ---\n%s\n" % ", ".join(sorted({e.kind for e in res.edits})))
    except RepairError as err:
        res, proposed = None, None
        out.write("--- no JSON could be recovered: %s ---\n" % (err,))
    try:
        orjson.loads(raw)
        out.write("(the output is valid JSON: nothing to add to the corpus)\n")
        return 0
    except orjson.JSONDecodeError:
        pass
    if args.no_add or not raw.strip():
        return 0
    expected = proposed
    if not args.add:
        from .corpus_cli import _confirm, _Terminal
        term = _Terminal()
        if term.inp is None:
            out.write("(not valid JSON; run again with --add to add it to the corpus)\n")
            return 0
        try:
            answer = term.ask("Add it to the corpus as a failure of %s? [y/N] " % (model,))
        except EOFError:
            return 0
        if answer not in ("y", "yes"):
            return 0
        expected, ok = _confirm(proposed)
        if not ok:
            return 0
    case = corpus.make_case(raw, model=model, source="capture", required_keys=args.key,
                            expected=expected,
                            kinds=sorted({e.kind for e in res.edits}) if res else [],
                            note="captured from %s (%s); prompt: %s" % (
                                base_url, api_type, args.prompt[:200]))
    try:
        path = corpus.add(case, args.dir if args.dir is not None else corpus.default_dir())
    except corpus.CorpusError as exc:
        sys.stderr.write("repair capture: %s\n" % (exc,))
        return 1
    out.write("added case %s to %s\n" % (case["id"], path))
    return 0
