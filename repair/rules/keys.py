"""Required keys: the key map handed to the core, renames needed, and missing keys."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence, Type, Union

import orjson

from ..scanner import py_core
from .schema import is_schema, schema_keys

normalize_key = py_core.normalize_key

if TYPE_CHECKING:
    from ..api import JSONValue

RequiredKeys = Union[Sequence[str], Type[Any], Mapping[str, Any]]
"""The ``required_keys`` of the API: the keys, or a pydantic model class or JSON Schema
dict whose fields are the keys."""


def is_tag(key: str) -> bool:
    """`[/CONTENT]`-style entries name wrapper tags, not JSON keys."""
    return len(key) >= 3 and key[0] == "[" and key[-1] == "]"


class KeySpec:
    """The caller's required keys.

    keys    the JSON keys, in the caller's order (tags and ``None`` left out)
    keymap  normalised spelling -> required spelling, JSON-escaped, for the core;
            ``None`` when there are no keys
    """

    __slots__ = ("keys", "keymap", "_wanted")

    keys: tuple[str, ...]
    keymap: dict[str, str] | None
    _wanted: dict[str, str]

    def __init__(self, required_keys: RequiredKeys | None) -> None:
        if is_schema(required_keys):
            required_keys = schema_keys(required_keys)
        if isinstance(required_keys, (str, bytes)):
            raise TypeError("required_keys must be a sequence of str, not a single %s"
                            % type(required_keys).__name__)
        keys: list[str] = []
        for k in required_keys or ():
            if k is None:
                continue
            if not isinstance(k, str):
                raise TypeError("required key must be str, not %s" % type(k).__name__)
            if is_tag(k) or k in keys:
                continue
            keys.append(k)
        self.keys = tuple(keys)
        keymap: dict[str, str] = {}
        for k in keys:
            keymap.setdefault(normalize_key(k), orjson.dumps(k).decode()[1:-1])
        self.keymap = keymap or None
        self._wanted = {normalize_key(k): k for k in reversed(keys)}

    def needs_rename(self, value: JSONValue) -> bool:
        """Does any key in ``value`` (at any depth) differ from its required spelling?
        (Also when the object has the exact spelling too: the scanner reports that.)"""
        if not self.keys:
            return False
        wanted = self._wanted
        seen: set[str] = set()  # keys repeat: each is normalised once
        for obj in _objects(value):
            for key in obj:
                if key in seen:
                    continue
                seen.add(key)
                want = wanted.get(normalize_key(key))
                if want is not None and want != key:
                    return True
        return False

    def rename(self, obj: dict[str, JSONValue]) -> dict[str, JSONValue]:
        """A copy of the dict ``obj`` with its keys in the required spelling (no key is
        renamed onto one the dict already has)."""
        if not self.keys:
            return obj
        out: dict[str, JSONValue] = {}
        for key, v in obj.items():
            want = self._wanted.get(normalize_key(key), key)
            out[want if want not in obj else key] = v
        return out

    def missing(self, value: JSONValue) -> tuple[str, ...]:
        """The required keys found in no object of ``value``, in the caller's order."""
        if not self.keys:
            return ()
        left = set(self.keys)
        for obj in _objects(value):
            left.difference_update(obj.keys())
            if not left:
                return ()
        return tuple(k for k in self.keys if k in left)

    def matched(self, value: JSONValue) -> int:
        return len(self.keys) - len(self.missing(value))


def _objects(value: JSONValue) -> Iterator[dict[str, JSONValue]]:
    """Every dict in ``value``, without recursion."""
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, dict):
            yield v
            todo.extend(x for x in v.values() if isinstance(x, (dict, list)))
        elif isinstance(v, list):
            todo.extend(x for x in v if isinstance(x, (dict, list)))
