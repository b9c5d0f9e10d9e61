"""The corpus of real model failures: reading, adding, checking and counting cases.

A corpus is a directory of JSONL files, one per model family (``qwen.jsonl``,
``llama.jsonl``, ``unknown.jsonl`` …), one case per line::

    {"id", "model", "source", "text", "required_keys", "expected", "kinds", "note"}

plus an optional human-readable ``label`` and optional ``options`` (the keyword options
the caller passes, e.g. ``{"preset": "aggressive"}``). ``id`` is a hash of ``text`` (so the same text
is never added twice, whoever reports it); ``expected`` is the value the model meant, or
``null`` when a careful reader cannot tell. Next to the cases, ``known_failures.json`` maps
the id of every case the engine does not get right yet to the reason; that list may only
shrink, and ``check`` fails on any other case that fails.

Files are only ever appended to, through a temporary file and an atomic rename; existing
lines are never rewritten or reordered.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections import Counter, OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import orjson

from .errors import RepairError
from .rules.keys import KeySpec

if TYPE_CHECKING:
    from typing import Optional, Tuple, Union

    from .api import RepairResult

    #: a corpus directory, as given by a caller
    StrPath = Union[str, "os.PathLike[str]"]
    #: what :func:`check` gives for one case: the case, its problem (``None`` when it
    #: passes) and its status
    Row = Tuple["Case", Optional[str], str]

__all__ = [
    "FIELDS", "Case", "case_id", "family", "default_dir", "load", "load_known_failures",
    "add", "problem", "check", "stats", "CorpusError",
]

FIELDS = ("id", "model", "source", "text", "required_keys", "expected", "kinds", "note")
KNOWN_FAILURES = "known_failures.json"

# model name -> file stem; the first pattern that matches wins
_FAMILIES = (
    ("qwen", r"qwen|qwq"),
    ("deepseek", r"deepseek"),
    ("llama", r"llama"),
    ("gpt", r"\bgpt|openai|\bo[134]\b"),
    ("claude", r"claude|anthropic"),
    ("gemini", r"gemini|gemma"),
    ("glm", r"glm|zhipu|chatglm"),
    ("mistral", r"mistral|mixtral|codestral|zephyr"),
    ("minimax", r"minimax"),
)


class CorpusError(Exception):
    """A corpus file or a new case is malformed, or a case is a duplicate."""


def case_id(text: str) -> str:
    """The stable id of a case: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def family(model: str | None) -> str:
    """The file stem a model's cases go to: its family, else a slug of its name."""
    if not model:
        return "unknown"
    low = model.lower()
    for stem, pattern in _FAMILIES:
        if re.search(pattern, low):
            return stem
    slug = re.sub(r"[^a-z0-9]+", "-", low).strip("-")
    return slug[:40] or "unknown"


def default_dir() -> Path:
    """``$REPAIR_CORPUS`` if set, else ``./corpus``."""
    return Path(os.environ.get("REPAIR_CORPUS") or "corpus")


class Case(dict[str, Any]):
    """One corpus case (a dict with the corpus fields) and the file it came from."""

    file: str | None = None

    @property
    def name(self) -> str:
        """The label when the case has one, else its id."""
        name: str = self.get("label") or self["id"]
        return name

    @property
    def keys(self) -> list[str]:  # type: ignore[override]
        """The required keys that are JSON keys (``[/CONTENT]``-style tag names are not)."""
        return [k for k in self.get("required_keys") or () if k and not k.startswith("[")]


def _validate(case: Mapping[str, Any], where: str) -> None:
    missing = [f for f in FIELDS if f not in case]
    if missing:
        raise CorpusError("%s: missing field(s) %s" % (where, ", ".join(missing)))
    if not isinstance(case["text"], str) or not case["text"]:
        raise CorpusError("%s: text must be a non-empty string" % where)
    if case["id"] != case_id(case["text"]):
        raise CorpusError("%s: id %r is not the hash of the text (%s)"
                          % (where, case["id"], case_id(case["text"])))
    for field in ("required_keys", "kinds"):
        if not isinstance(case[field], list) or not all(
                isinstance(k, str) for k in case[field]):
            raise CorpusError("%s: %s must be a list of strings" % (where, field))


def load(directory: StrPath | None = None) -> list[Case]:
    """Every case of every ``*.jsonl`` in ``directory``, files in name order, lines in
    file order. Raises :class:`CorpusError` on a malformed line or a duplicate id."""
    directory = Path(directory if directory is not None else default_dir())
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = "%s:%d" % (path, lineno)
                try:
                    case = Case(json.loads(line))
                except ValueError as exc:
                    raise CorpusError("%s: %s" % (where, exc)) from None
                _validate(case, where)
                if case["id"] in seen:
                    raise CorpusError("%s: duplicate of the case at %s" % (where, seen[case["id"]]))
                seen[case["id"]] = where
                case.file = path.name
                cases.append(case)
    return cases


def load_known_failures(directory: StrPath | None = None) -> dict[str, str]:
    """``{id: reason}`` from ``known_failures.json`` (empty when there is none)."""
    path = Path(directory if directory is not None else default_dir()) / KNOWN_FAILURES
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        known: dict[str, str] = json.load(f)
        return known


def _atomic_append(path: Path, line: str) -> None:
    """Append one line to ``path`` by writing old content + line to a temporary file in the
    same directory and renaming it over the original."""
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", dir=str(path.parent))
    try:
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _new_file_mode())
        with os.fdopen(fd, "wb") as f:
            f.write(old + line.encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, str(path))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def make_case(text: str, model: str | None = None, source: str | None = None,
              required_keys: Iterable[str] = (), expected: Any = None,
              kinds: Iterable[str] = (), note: str | None = "",
              label: str | None = None) -> OrderedDict[str, Any]:
    """A new case dict with its id, in the corpus field order."""
    case: OrderedDict[str, Any] = OrderedDict()
    case["id"] = case_id(text)
    if label:
        case["label"] = label
    case["model"] = model
    case["source"] = source
    case["text"] = text
    case["required_keys"] = list(required_keys)
    case["expected"] = expected
    case["kinds"] = list(kinds)
    case["note"] = note or ""
    return case


def add(case: Mapping[str, Any], directory: StrPath | None = None) -> Path:
    """Append ``case`` (from :func:`make_case`) to its model family's file.

    Raises :class:`CorpusError` when a case with the same id exists anywhere in the
    corpus. Returns the path written."""
    directory = Path(directory if directory is not None else default_dir())
    directory.mkdir(parents=True, exist_ok=True)
    for old in load(directory):
        if old["id"] == case["id"]:
            raise CorpusError("duplicate: the corpus already has this text as case %s (%s)"
                              % (old.name, old.file))
    _validate(case, "new case")
    path = directory / (family(case["model"]) + ".jsonl")
    _atomic_append(path, json.dumps(case, ensure_ascii=False))
    return path


def problem(repair: Callable[..., RepairResult], case: Case) -> str | None:
    """What is wrong with the engine's answer for ``case``, or ``None`` when it is right.

    ``repair`` is :func:`repair.repair` or an engine's ``repair``. Right means: the text
    parses with orjson, the value equals ``expected`` when the case has one, and every
    required key that is present has the required spelling (a key the text never had,
    e.g. after a cut, cannot be present)."""
    try:
        res = repair(case["text"], required_keys=case.keys, **(case.get("options") or {}))
    except RepairError as err:
        return "RepairError: %s" % (err,)
    try:
        value = orjson.loads(res.text)
    except orjson.JSONDecodeError as err:
        return "text is not valid JSON (%s): %r" % (err, res.text)
    if value != res.value:
        return ".value %r differs from the parsed .text %r" % (res.value, value)
    expected = case.get("expected")
    if expected is not None and res.value != expected:
        return "value %s != expected %s" % (
            json.dumps(res.value, ensure_ascii=False), json.dumps(expected, ensure_ascii=False))
    if KeySpec(case.keys).needs_rename(res.value):
        return "a required key is not in the required spelling: %s" % (
            json.dumps(res.value, ensure_ascii=False),)
    return None


def check(repair: Callable[..., RepairResult], cases: Iterable[Case],
          known: Mapping[str, str] | None = None) -> list[Row]:
    """Run every case. Returns ``rows``: one ``(case, problem_or_None, status)`` per case,
    where status is ``pass``, ``known`` (fails, and is listed as a known failure), ``fixed``
    (listed but passes: remove it from the list) or ``regression`` (fails, not listed)."""
    known = known or {}
    rows: list[Row] = []
    for case in cases:
        why = problem(repair, case)
        listed = case["id"] in known
        if why is None:
            status = "fixed" if listed else "pass"
        else:
            status = "known" if listed else "regression"
        rows.append((case, why, status))
    return rows


def pass_table(rows: Sequence[Row], by: str) -> str:
    """Markdown table of pass counts grouped by ``by`` ("model" file or "kind")."""
    groups: OrderedDict[str, tuple[int, int]] = OrderedDict()
    for case, why, _status in rows:
        names = [case.file or family(case["model"])] if by == "model" else (case["kinds"] or ["-"])
        for name in names:
            ok, total = groups.get(name, (0, 0))
            groups[name] = (ok + (why is None), total + 1)
    width = max([len(by)] + [len(n) for n in groups])
    lines = ["| %s | pass | cases | rate |" % by.ljust(width),
             "|%s|-----:|------:|-----:|" % ("-" * (width + 2))]
    for name in sorted(groups, key=lambda n: (-groups[n][1], n)):
        ok, total = groups[name]
        lines.append("| %s | %4d | %5d | %3d%% |" % (name.ljust(width), ok, total,
                                                    100 * ok // total))
    ok = sum(why is None for _c, why, _s in rows)
    lines.append("| %s | %4d | %5d | %3d%% |" % ("all".ljust(width), ok, len(rows),
                                                100 * ok // max(len(rows), 1)))
    return "\n".join(lines)


def stats(cases: Sequence[Case]) -> dict[str, Any]:
    """``{"cases": n, "model": Counter, "family": Counter, "kind": Counter, "source":
    Counter, "with_expected": n}`` for the cases."""
    def source_kind(src: str | None) -> str:
        if not src:
            return "-"
        return src.split("#")[0].split(" ")[0]

    return {
        "cases": len(cases),
        "with_expected": sum(c["expected"] is not None for c in cases),
        "family": Counter(c.file or family(c["model"]) for c in cases),
        "model": Counter(c["model"] or "unknown" for c in cases),
        "kind": Counter(k for c in cases for k in c["kinds"]),
        "source": Counter(source_kind(c["source"]) for c in cases),
    }
