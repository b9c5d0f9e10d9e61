"""The command line: ``python -m repair`` (also installed as ``repair-json``).

Reads the text an LLM wrote from a file or stdin, prints the repaired JSON on stdout.

Exit codes: 0 repaired (or already valid), 1 no JSON could be recovered, 2 usage error or
an input/output file that cannot be read or written.
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import sys
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator, Sequence, TypeVar, cast

import orjson

from . import IMPLEMENTATION, RepairError, StreamRepairer, __version__, repair

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from .api import RepairResult

_T = TypeVar("_T")

__all__ = ["main"]

DESCRIPTION = """\
Recover the JSON a language model meant from the almost-JSON it wrote: prose,
```json fences, [CONTENT] tags, missing or doubled brackets, stray quotes,
comments, trailing commas, Python literals, truncation. Prints the repaired
JSON on stdout. Valid JSON comes back byte-identical."""

EPILOG = """\
examples:
  python -m repair < reply.txt
  python -m repair -k "Original Requirements" --keys "Required Python packages,[/CONTENT]" reply.txt
  python -m repair --report=json --indent 2 -o out.json reply.txt
  my-llm-client --stream | python -m repair --stream -k answer
  python -m repair --jsonl --field output --jobs 4 -o fixed.jsonl logs.jsonl
  python -m repair corpus add --model NAME -k KEY < reply.txt   (see: corpus --help)
  python -m repair capture --config config2.yaml --prompt "..." -k KEY  (see: capture --help)

exit status:
  0  JSON printed (repaired or already valid)
  1  no JSON could be recovered (message on stderr names line and column)
  2  usage error, or an input/output file that cannot be read or written
"""

_NON_ASCII = re.compile("[^\x00-\x7f]")


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("invalid int value: %r" % (text,)) from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1, not %d" % n)
    return n


def _non_negative_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("invalid int value: %r" % (text,)) from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be at least 0, not %d" % n)
    return n


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if not name or name in ("__main__.py", "-c"):
        return "python -m repair"
    return name


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_prog(),
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", nargs="?", default=None, metavar="FILE",
        help="the text to repair; '-' or nothing reads stdin")
    parser.add_argument(
        "-k", "--key", action="append", default=[], metavar="KEY", dest="key",
        help="a required key (repeatable): keys that match it after case-folding and "
             "treating runs of spaces, '_' and '-' alike are renamed to this spelling")
    parser.add_argument(
        "--keys", action="append", default=[], metavar="K1,K2",
        help="required keys, comma-separated (spaces around commas are ignored; use -k "
             "for a key that contains a comma); may be combined with -k")
    parser.add_argument(
        "--report", nargs="?", const="text", metavar="json",
        help="describe the edits on stderr: one line per edit (and one per missing "
             "required key), or with --report=json one JSON object with edits, span, "
             "missing_keys and changed")
    parser.add_argument(
        "--indent", type=_non_negative_int, metavar="N",
        help="re-serialize the value with this indent (the original formatting is lost)")
    parser.add_argument(
        "--ensure-ascii", action="store_true",
        help="escape every non-ASCII character as \\uXXXX")
    parser.add_argument(
        "-o", "--output", metavar="FILE",
        help="write the JSON to FILE instead of stdout")
    parser.add_argument(
        "--policy", choices=("best", "first", "last", "all"), default="best",
        help="which value to return when the text holds several (default: best; "
             "'all' returns them all in an array)")
    parser.add_argument(
        "--preset", choices=("strict", "safe", "aggressive"), default="safe",
        help="which repairs are allowed (default: safe; strict only validates and extracts)")
    parser.add_argument(
        "--max-depth", type=_positive_int, default=1000, metavar="N",
        help="maximum nesting depth (default: 1000)")
    parser.add_argument(
        "--max-size", type=_non_negative_int, default=None, metavar="N",
        help="maximum input size in characters (default: no limit)")
    parser.add_argument(
        "--jsonl", action="store_true",
        help="batch mode: each input line is a record (a JSON string, or an object with "
             "the text in --field); print one result object per line, and a summary per "
             "repair kind and per model on stderr")
    parser.add_argument(
        "--field", default="text", metavar="NAME",
        help="with --jsonl: the field of an object record that holds the text "
             "(default: text)")
    parser.add_argument(
        "--jobs", type=_positive_int, default=1, metavar="N",
        help="with --jsonl: worker processes (default: 1)")
    parser.add_argument(
        "--stream", action="store_true",
        help="read the input as it arrives and print the value (one compact JSON line) "
             "each time it grows, then the final JSON")
    parser.add_argument(
        "--version", action="version",
        version="repair %s (%s core)" % (__version__, IMPLEMENTATION))
    return parser


def _required_keys(args: argparse.Namespace) -> tuple[str, ...]:
    keys = list(args.key)
    for group in args.keys:
        keys.extend(k.strip() for k in group.split(",") if k.strip())
    return tuple(keys)


def _read_input(path: str) -> bytes:
    if path == "-":
        if sys.stdin is None:
            return b""
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        data = stream.read()
        return data if isinstance(data, bytes) else data.encode("utf-8")
    with open(path, "rb") as f:
        return f.read()


def _escape_non_ascii(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return "\\u%04x\\u%04x" % (0xD800 | (code >> 10), 0xDC00 | (code & 0x3FF))
    return "\\u%04x" % code


def _render(result: RepairResult, indent: int | None, ensure_ascii: bool) -> str:
    """The output text: as the engine wrote it, unless --indent asks to re-serialize."""
    if indent is None:
        if ensure_ascii:
            # Outside strings JSON text is ASCII, so escaping in place keeps the layout.
            return _NON_ASCII.sub(_escape_non_ascii, result.text)
        text: str = result.text
        return text
    if indent == 2 and not ensure_ascii:
        try:
            return orjson.dumps(result.value, option=orjson.OPT_INDENT_2).decode("utf-8")
        except TypeError:  # an integer orjson cannot write: fall back to json
            pass
    return json.dumps(result.value, indent=indent, ensure_ascii=ensure_ascii)


class _Lines:
    """Line and column (both from 1) of an offset in ``text``."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        i = text.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = text.find("\n", i + 1)

    def __call__(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, pos)
        return line, pos - self.starts[line - 1] + 1


def _report(result: RepairResult, text: str, mode: str, out: IO[str]) -> None:
    where = _Lines(text)
    if mode == "json":
        edits: list[dict[str, Any]] = []
        for e in result.edits:
            line, col = where(e.pos)
            edits.append({"kind": e.kind, "pos": e.pos, "line": line, "col": col,
                          "removed": e.removed, "inserted": e.inserted})
        report = {"edits": edits, "span": list(result.span),
                  "missing_keys": list(result.missing_keys), "changed": result.changed}
        out.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    for e in result.edits:
        line, col = where(e.pos)
        out.write("%s at line %d column %d: removed %r inserted %r\n"
                  % (e.kind, line, col, e.removed, e.inserted))
    for key in result.missing_keys:
        out.write("missing required key %r\n" % (key,))


def _stream(args: argparse.Namespace) -> tuple[bytes, RepairResult]:
    """--stream: feed the input as it arrives; print the value each time it grows.
    Returns (all the bytes read, the final result)."""
    s = StreamRepairer(_required_keys(args), policy=args.policy, preset=args.preset,
                       max_depth=args.max_depth, max_size=args.max_size)
    stream: IO[bytes] | None
    if args.file == "-":
        stream = getattr(sys.stdin, "buffer", None) if sys.stdin is not None else None
        close = False
    else:
        stream = open(args.file, "rb")
        close = True
    data: list[bytes] = []
    try:
        while stream is not None:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                break
            data.append(chunk)
            if s.feed(chunk):
                _write_stdout(orjson.dumps(s.value).decode("utf-8") + "\n")
    finally:
        if close and stream is not None:
            stream.close()
    return b"".join(data), s.close()


def _progress(iterable: Iterable[_T], total: int | None = None) -> Iterable[_T]:
    """A progress bar on stderr when it is a terminal (tqdm, if installed)."""
    if not (sys.stderr is not None and sys.stderr.isatty()):
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    bar: Iterable[_T] = tqdm(iterable, total=total, unit=" records", file=sys.stderr)
    return bar


def _jsonl(args: argparse.Namespace) -> int:
    from .batch import BatchRepairer, Summary

    fix = BatchRepairer(args.field, _required_keys(args), policy=args.policy,
                        preset=args.preset, max_depth=args.max_depth, max_size=args.max_size)
    try:
        src = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")
    except OSError as exc:
        _fail("cannot read %s: %s" % (args.file, exc.strerror or exc))
        return 2
    try:
        dst = open(args.output, "wb") if args.output is not None else None
    except OSError as exc:
        _fail("cannot write %s: %s" % (args.output, exc.strerror or exc))
        return 2
    # stdout's binary buffer (a stdout without one, e.g. a text stream, is used as is)
    out = dst if dst is not None else cast(
        "IO[bytes]", getattr(sys.stdout, "buffer", sys.stdout))
    summary = Summary()
    lines = (line for line in src if line.strip())
    pool: Pool | None = None
    results: Iterator[dict[str, Any]]
    try:
        if args.jobs > 1:
            import multiprocessing
            pool = multiprocessing.Pool(args.jobs)
            results = pool.imap(fix, lines, chunksize=64)
        else:
            results = map(fix, lines)
        for result in _progress(results):
            summary.add(result)
            out.write(orjson.dumps(result) + b"\n")
        out.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        if pool is not None:
            pool.terminate()
        if src is not sys.stdin.buffer:
            src.close()
        if dst is not None:
            dst.close()
    sys.stderr.write(summary.render())
    return 0


def _write_stdout(data: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(data.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def _fail(message: str) -> None:
    sys.stderr.write("repair: error: %s\n" % (message,))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    if argv is None:
        argv = sys.argv[1:]
    argv = list(argv)
    if argv and argv[0] == "corpus":
        from .corpus_cli import main as corpus_main
        return corpus_main(argv[1:], _prog())
    if argv and argv[0] == "capture":
        from .capture import main as capture_main
        return capture_main(argv[1:], _prog())

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.report not in (None, "text", "json"):
        # `--report FILE`: the optional value swallowed the positional argument
        if args.file is not None or "--report=" + args.report in argv:
            parser.error("argument --report: invalid choice: %r (choose 'text' or 'json')"
                         % (args.report,))
        args.file, args.report = args.report, "text"
    if args.file is None:
        args.file = "-"
    if args.jsonl:
        if args.stream:
            parser.error("--jsonl and --stream do not go together")
        return _jsonl(args)

    try:
        if args.stream:
            data, result = _stream(args)
        else:
            data = _read_input(args.file)
            result = repair(data, _required_keys(args), policy=args.policy,
                            preset=args.preset, max_depth=args.max_depth,
                            max_size=args.max_size)
    except OSError as exc:
        _fail("cannot read %s: %s" % (args.file, exc.strerror or exc))
        return 2
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except RepairError as err:
        msg = " ".join(str(err.msg).split())
        _fail("%s at line %d column %d" % (msg, err.lineno, err.colno))
        return 1

    output = _render(result, args.indent, args.ensure_ascii) + "\n"

    if args.report:
        # repair() succeeded, so the bytes are valid UTF-8 and edit positions index this text
        _report(result, data.decode("utf-8"), args.report, sys.stderr)

    try:
        if args.output is not None:
            with open(args.output, "w", encoding="utf-8", newline="\n") as f:
                f.write(output)
        else:
            _write_stdout(output)
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): no traceback, and no second error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        _fail("cannot write %s: %s" % (args.output, exc.strerror or exc))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
