"""MetaGPT drop-in: the names and signatures of ``metagpt.utils.repair_llm_raw_output``,
backed by this engine.

A MetaGPT user changes one import::

    # from metagpt.utils.repair_llm_raw_output import (
    #     RepairType, extract_content_from_output, repair_llm_raw_output,
    #     retry_parse_json_text)
    from repair.compat.metagpt import (
        RepairType, extract_content_from_output, repair_llm_raw_output,
        retry_parse_json_text)

and MetaGPT's post-processing pipeline (repair with the schema's keys and ``[/CONTENT]``,
extract the ``[CONTENT]`` block, repair the JSON, parse it) runs on this engine: every step
returns text the next step accepts, and the last one returns the parsed value.

Differences from MetaGPT, all on purpose:

- ``repair_llm_raw_output`` repairs in one pass whatever the ``repair_type`` (MetaGPT runs
  one heuristic per type); the result is the repaired JSON text, already extracted from
  ``[CONTENT]`` tags, prose and fences. ``extract_content_from_output`` accepts that too.
- Raw line breaks inside strings are escaped (MetaGPT leaves them; strict JSON rejects
  them).
- Failures raise :class:`repair.RepairError` (a ``ValueError``) instead of MetaGPT's
  ``JSONDecodeError`` or tenacity ``RetryError``; both are ``ValueError``-compatible
  where MetaGPT's callers catch ``Exception``.
- ``config``: pass MetaGPT's config object (or a dict) to honour its
  ``repair_llm_output: false``; without one, repair is on (you chose this module).
  :func:`load_config` reads ``config2.yaml``.
"""
from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from typing import Union

    #: a YAML scalar, as :func:`_scalar` reads it
    _Scalar = Union[str, int, float, bool, None]

from ..api import repair as _repair
from ..errors import RepairError

__all__ = ["RepairType", "repair_llm_raw_output", "extract_content_from_output",
           "retry_parse_json_text", "load_config", "repair_enabled"]


class RepairType(Enum):
    """MetaGPT's repair types. This engine applies all of them in one pass."""

    CS = "case sensitivity"
    RKPM = "required key pair missing"  # condition like `[key] xx` which lacks `[/key]`
    SCM = "special character missing"   # Usually the req_key appear in pairs like `[key] xx [/key]`
    JSON = "json format"


def repair_enabled(config: object = None) -> bool:
    """MetaGPT's switch: ``config.repair_llm_output`` (attribute or key); on when there
    is no config."""
    if config is None:
        return True
    if isinstance(config, dict):
        return bool(config.get("repair_llm_output", False))
    return bool(getattr(config, "repair_llm_output", False))


def _keys(req_keys: Iterable[str | None] | None) -> list[str]:
    return [k for k in (req_keys or ()) if k]


def repair_llm_raw_output(output: str, req_keys: Iterable[str | None] | None,
                          repair_type: RepairType | None = None,
                          config: object = None) -> str:
    """The repaired JSON text of ``output``, with the keys of ``req_keys`` in their
    required spelling (``[/CONTENT]``-style tags and ``None`` are accepted and name no
    key). ``output`` comes back unchanged when ``config`` turns repair off, and when no
    JSON can be recovered from it (MetaGPT's behaviour; the parse step then reports)."""
    if not repair_enabled(config):
        return output
    if repair_type is not None and not isinstance(repair_type, RepairType):
        raise TypeError("repair_type must be a RepairType or None")
    try:
        text: str = _repair(output, _keys(req_keys)).text
        return text
    except RepairError:
        return output


def extract_content_from_output(content: str, right_key: str = "[/CONTENT]") -> str:
    """The JSON text inside ``[CONTENT]…[/CONTENT]`` (the tags may be doubled, cased
    otherwise, lack their slash or the end tag, and have prose and fences around them).
    Text that holds no JSON comes back stripped."""
    try:
        text: str = _repair(content).text
        return text
    except RepairError:
        return content.strip()


def retry_parse_json_text(output: str) -> Any:
    """The parsed JSON value of ``output`` (repaired first). Raises
    :class:`repair.RepairError` when there is none."""
    return _repair(output).value


def _search_paths() -> Iterator[Path]:
    env = os.environ.get("METAGPT_CONFIG")
    if env:
        yield Path(env)
    yield Path("config") / "config2.yaml"
    yield Path.home() / ".metagpt" / "config2.yaml"


def load_config(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """MetaGPT's ``config2.yaml`` as a dict (``repair_llm_output``, ``llm`` …), from
    ``path``, ``$METAGPT_CONFIG``, ``./config/config2.yaml`` or
    ``~/.metagpt/config2.yaml``, the first that exists; ``{}`` when none does."""
    paths = [Path(path)] if path is not None else list(_search_paths())
    for p in paths:
        if p.is_file():
            with open(p, encoding="utf-8") as f:
                return _parse_yaml(f.read())
    if path is not None:
        raise FileNotFoundError(str(path))
    return {}


def _parse_yaml(text: str) -> dict[str, Any]:
    try:
        import yaml
    except ImportError:
        return _simple_yaml(text)
    config: dict[str, Any] = yaml.safe_load(text) or {}
    return config


def _scalar(s: str) -> _Scalar:
    s = s.strip()
    if not s or s in ("~", "null", "Null", "NULL"):
        return None
    if s[0] in "\"'" and s[-1] == s[0] and len(s) >= 2:
        return s[1:-1]
    low = s.lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    for cast in (int, float):
        try:
            return cast(s)
        except ValueError:
            pass
    return s


def _simple_yaml(text: str) -> dict[str, Any]:
    """The nested mappings of scalars that MetaGPT's config uses, without PyYAML
    (comments and blank lines skipped; lists of scalars as ``- item``)."""
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any], dict[str, Any] | None, str | None]] = [
        (-1, root, None, None)]      # (indent, mapping, its parent, its key)
    for raw in text.splitlines():
        if raw.lstrip().startswith("#"):
            continue
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while len(stack) > 1 and indent <= stack[-1][0]:
            stack.pop()
        _ind, mapping, owner, owner_key = stack[-1]
        if body.startswith("- ") or body == "-":
            if owner is not None and owner_key is not None and (
                    mapping == {} or isinstance(owner[owner_key], list)):
                if not isinstance(owner[owner_key], list):
                    owner[owner_key] = []
                owner[owner_key].append(_scalar(body[1:]))
            continue
        key, sep, value = body.partition(":")
        if not sep:
            continue
        key = key.strip().strip("\"'")
        if value.strip():
            mapping[key] = _scalar(value)
        else:
            child: dict[str, Any] = {}
            mapping[key] = child
            stack.append((indent, child, mapping, key))
    return root
