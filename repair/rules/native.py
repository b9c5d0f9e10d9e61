"""Tool-call arguments in a model's native (non-JSON) markup, and bare text for a single key.

Serving stacks sometimes pass a model's own tool-call markup through instead of the JSON
arguments it stands for:

- Qwen3-Coder:  ``<function=grep><parameter=pattern>**</parameter></function>``
- GLM-4.5 and later:  ``read<arg_key>filePath</arg_key><arg_value>/tmp/x</arg_value>``

:func:`native_arguments` turns such text into the JSON object it encodes, but only when
the text holds nothing else: before the markup there may be a ``<tool_call>`` tag, a bare
function name and a ``<function=…>`` tag, after it the matching close tags, and white
space between the arguments; nothing more. A value is parsed as
JSON when it is a JSON object, array, number, ``true``, ``false`` or ``null``; otherwise it
is the string as written (the newline that the markup puts on each side of a value is not
part of it). A value cut off at the end of the text (no close tag) keeps what was written.
"""
from __future__ import annotations

import re
from typing import Any

import orjson

__all__ = ["native_arguments", "bare_text"]

_PARAMETER = re.compile(r"<parameter=([^>\n]+)>(.*?)(?:</parameter>|\Z)", re.S)
_ARG = re.compile(r"<arg_key>(.*?)</arg_key>\s*<arg_value>(.*?)(?:</arg_value>|\Z)", re.S)
_BEFORE = re.compile(
    r"\s*(?:<tool_call>\s*)?(?:[A-Za-z_][\w.\-]*\s*)?(?:<function=[^>\n]*>\s*)?\Z")
_AFTER = re.compile(r"\s*(?:</function>\s*)?(?:</tool_call>\s*)?\Z")
_JSON_START = re.compile(r"[\[{\-0-9]|true\Z|false\Z|null\Z")
_FENCE = re.compile(r"\A\s*```[\w+\-.]*[ \t]*\n(.*?)\n?```\s*\Z", re.S)


def _value(raw: str) -> Any:
    if raw.startswith("\n"):
        raw = raw[1:]
    if raw.endswith("\n"):
        raw = raw[:-1]
    s = raw.strip()
    if _JSON_START.match(s):
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError:
            pass
    return raw


def native_arguments(text: str) -> tuple[int, int, dict[str, Any]] | None:
    """``(start, end, value)`` for text that is only native tool-call markup, where
    ``value`` is the dict of its arguments in order; ``None`` otherwise."""
    for pattern in (_PARAMETER, _ARG):
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        if not (_BEFORE.match(text, 0, matches[0].start())
                and _AFTER.match(text, matches[-1].end())
                and all(text[a.end():b.start()].isspace() or a.end() == b.start()
                        for a, b in zip(matches, matches[1:]))):
            return None
        value: dict[str, Any] = {}
        for m in matches:
            value[m.group(1).strip()] = _value(m.group(2))
        return matches[0].start(), matches[-1].end(), value
    return None


def bare_text(text: str) -> tuple[int, int, str]:
    """The text a model wrote instead of a single argument: ``text`` without a fence
    around it and without the white space at its ends; ``(start, end, string)``."""
    m = _FENCE.match(text)
    if m:
        return m.start(1), m.end(1), m.group(1)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return start, end, text[start:end]
