"""``python -m repair corpus add|check|stats``: grow and check the corpus of model failures."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import IO, Any, Sequence

import orjson

from . import corpus
from .api import repair
from .errors import RepairError

__all__ = ["main"]

EPILOG = """\
examples:
  python -m repair corpus add --model qwen2.5-7b-instruct -k name -k arguments < reply.txt
  python -m repair corpus add --model llama3.1:8b --source ollama --accept reply.txt
  python -m repair corpus check --model qwen
  python -m repair corpus stats

The corpus directory is ./corpus unless --dir or $REPAIR_CORPUS says otherwise.
"""


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog + " corpus", description="Grow and check the corpus of real model failures.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=None, metavar="DIR",
                        help="the corpus directory (default: $REPAIR_CORPUS or ./corpus)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    add = sub.add_parser(
        "add", help="add a model's failed output as a new case",
        description="Add the raw text a model wrote (stdin or FILE) as a new case. The "
                    "engine proposes the value the model meant; confirm it, edit it, or "
                    "give it with --expected.")
    add.add_argument("file", nargs="?", default="-", metavar="FILE",
                     help="the raw model output; '-' or nothing reads stdin")
    add.add_argument("--model", required=True, metavar="NAME",
                     help="the model that wrote it, as precisely as you know it "
                          "(e.g. 'Qwen2.5-7B-Instruct (vLLM 0.6)')")
    add.add_argument("-k", "--key", action="append", default=[], dest="key", metavar="KEY",
                     help="a key the output was required to have (repeatable)")
    add.add_argument("--source", default=None, metavar="S",
                     help="where the text comes from (issue URL, log name, 'capture')")
    add.add_argument("--kinds", default=None, metavar="K1,K2",
                     help="failure kinds, comma-separated (default: the kinds of the "
                          "engine's edits)")
    add.add_argument("--note", default="", metavar="TEXT",
                     help="how the text was obtained, what was masked")
    how = add.add_mutually_exclusive_group()
    how.add_argument("--accept", action="store_true",
                     help="take the engine's proposed value as expected without asking")
    how.add_argument("--expected", metavar="FILE",
                     help="a file with the expected JSON value ('null' when it cannot be told)")

    check = sub.add_parser(
        "check", help="run every case and print pass rates per model and per kind",
        description="Run every case; exit 1 when a case that is not a known failure fails.")
    check.add_argument("--model", default=None, metavar="M",
                       help="only cases whose model file or model name contains M")
    check.add_argument("--kind", default=None, metavar="K", help="only cases of kind K")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="also list the known failures with their reasons")

    stats = sub.add_parser("stats", help="count cases by model, kind and source")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    return parser


def _read(path: str) -> str:
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        data = stream.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    return data.decode("utf-8") if isinstance(data, bytes) else data


class _Terminal:
    """Questions for the contributor, on the terminal even when stdin carries the text."""

    def __init__(self) -> None:
        self.inp: IO[str] | None = (
            sys.stdin if sys.stdin is not None and sys.stdin.isatty() else None)
        if self.inp is None:
            try:
                self.inp = open("/dev/tty", "r")
            except OSError:
                self.inp = None

    def ask(self, question: str) -> str:
        sys.stderr.write(question)
        sys.stderr.flush()
        assert self.inp is not None, "ask() needs a terminal: check .inp first"
        line = self.inp.readline()
        if not line:
            raise EOFError
        return line.strip().lower()


def _edit(proposed: Any) -> Any:
    """Open $EDITOR on the proposed value; return the edited JSON value."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, path = tempfile.mkstemp(suffix=".json", prefix="expected-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(proposed, indent=2, ensure_ascii=False) + "\n")
        subprocess.call(editor + " " + path, shell=True)
        with open(path, encoding="utf-8") as f:
            return json.loads(f.read())
    finally:
        os.unlink(path)


def _confirm(proposed: Any) -> tuple[Any, bool]:
    """Ask the contributor about the proposed value; return (expected, ok)."""
    term = _Terminal()
    if term.inp is None:
        sys.stderr.write("repair corpus: no terminal to confirm the expected value on; "
                         "use --accept or --expected FILE\n")
        return None, False
    sys.stderr.write("The engine reads this as:\n%s\n"
                     % json.dumps(proposed, indent=2, ensure_ascii=False))
    while True:
        try:
            answer = term.ask("Is this what the model meant? [y]es / [e]dit / "
                              "[n]ull (cannot be told) / [q]uit: ")
        except EOFError:
            return None, False
        if answer in ("y", "yes"):
            return proposed, True
        if answer in ("n", "null"):
            return None, True
        if answer in ("q", "quit"):
            return None, False
        if answer in ("e", "edit"):
            try:
                proposed = _edit(proposed)
            except ValueError as exc:
                sys.stderr.write("not valid JSON: %s\n" % (exc,))
                continue
            sys.stderr.write("Now:\n%s\n" % json.dumps(proposed, indent=2, ensure_ascii=False))


def _add(args: argparse.Namespace) -> int:
    try:
        text = _read(args.file)
    except OSError as exc:
        sys.stderr.write("repair corpus: cannot read %s: %s\n" % (args.file, exc.strerror or exc))
        return 2
    except UnicodeDecodeError as exc:
        sys.stderr.write("repair corpus: the text is not UTF-8: %s\n" % (exc,))
        return 2
    if not text.strip():
        sys.stderr.write("repair corpus: the text is empty\n")
        return 1
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    else:
        sys.stderr.write("repair corpus: the text is already valid JSON; there is nothing "
                         "to repair, so it is not a failure case\n")
        return 1
    directory = args.dir if args.dir is not None else corpus.default_dir()
    cid = corpus.case_id(text)
    for old in corpus.load(directory) if os.path.isdir(directory) else ():
        if old["id"] == cid:
            sys.stderr.write("repair corpus: duplicate: the corpus already has this text as "
                             "case %s (%s)\n" % (old.name, old.file))
            return 1

    try:
        res = repair(text, required_keys=args.key)
        proposed, edit_kinds = res.value, sorted({e.kind for e in res.edits})
    except RepairError as err:
        sys.stderr.write("The engine cannot repair it (%s).\n" % (err,))
        proposed, edit_kinds = None, []

    if args.expected is not None:
        try:
            with open(args.expected, encoding="utf-8") as f:
                expected = json.loads(f.read())
        except (OSError, ValueError) as exc:
            sys.stderr.write("repair corpus: cannot read the expected value from %s: %s\n"
                             % (args.expected, exc))
            return 2
    elif args.accept:
        expected = proposed
    else:
        expected, ok = _confirm(proposed)
        if not ok:
            sys.stderr.write("repair corpus: nothing added\n")
            return 1

    kinds = ([k.strip() for k in args.kinds.split(",") if k.strip()]
             if args.kinds is not None else edit_kinds)
    case = corpus.make_case(text, model=args.model, source=args.source,
                            required_keys=args.key, expected=expected, kinds=kinds,
                            note=args.note)
    try:
        path = corpus.add(case, directory)
    except corpus.CorpusError as exc:
        sys.stderr.write("repair corpus: %s\n" % (exc,))
        return 1
    sys.stdout.write("added case %s to %s\n" % (case["id"], path))
    return 0


def _select(cases: list[corpus.Case], model: str | None,
            kind: str | None) -> list[corpus.Case]:
    if model:
        low = model.lower()
        cases = [c for c in cases if low in (c.file or "").lower()
                 or low in (c["model"] or "unknown").lower()]
    if kind:
        cases = [c for c in cases if kind in c["kinds"]]
    return cases


def _check(args: argparse.Namespace) -> int:
    directory = args.dir if args.dir is not None else corpus.default_dir()
    cases = _select(corpus.load(directory), args.model, args.kind)
    if not cases:
        sys.stderr.write("repair corpus: no cases in %s match\n" % (directory,))
        return 1
    rows = corpus.check(repair, cases, corpus.load_known_failures(directory))
    out = sys.stdout
    out.write("## by model\n\n%s\n\n## by kind\n\n%s\n\n"
              % (corpus.pass_table(rows, "model"), corpus.pass_table(rows, "kind")))
    counts = {s: sum(1 for r in rows if r[2] == s) for s in ("pass", "known", "fixed", "regression")}
    for case, why, status in rows:
        if status == "regression" or status == "fixed" or (status == "known" and args.verbose):
            out.write("%-10s %s (%s): %s\n" % (status.upper(), case.name, case.file,
                                               why or "passes now: remove it from "
                                               + corpus.KNOWN_FAILURES))
    out.write("%d cases: %d pass, %d known failures, %d fixed, %d regressions\n"
              % (len(rows), counts["pass"], counts["known"], counts["fixed"],
                 counts["regression"]))
    return 1 if counts["regression"] else 0


def _stats(args: argparse.Namespace) -> int:
    directory = args.dir if args.dir is not None else corpus.default_dir()
    s = corpus.stats(corpus.load(directory))
    if args.json:
        sys.stdout.write(json.dumps(s, indent=2, ensure_ascii=False) + "\n")
        return 0
    out = sys.stdout
    out.write("%d cases, %d with an expected value\n" % (s["cases"], s["with_expected"]))
    for title in ("family", "model", "kind", "source"):
        out.write("\nby %s:\n" % title)
        for name, n in sorted(s[title].items(), key=lambda kv: (-kv[1], kv[0])):
            out.write("  %5d  %s\n" % (n, name))
    return 0


def main(argv: Sequence[str], prog: str = "python -m repair") -> int:
    args = build_parser(prog).parse_args(argv)
    try:
        return {"add": _add, "check": _check, "stats": _stats}[args.command](args)
    except corpus.CorpusError as exc:
        sys.stderr.write("repair corpus: %s\n" % (exc,))
        return 2
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): no traceback, and no second error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
