"""Required keys from a schema: a pydantic model class or a JSON Schema dict.

Every field name (and its alias, when it has one) becomes a required key, and so do the
fields of nested models and of nested JSON Schema objects (through ``$ref`` to
``$defs``/``definitions``, ``items``, ``anyOf``/``oneOf``/``allOf``), without recursion.
pydantic is optional: only a caller who passes a model needs it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from typing import Protocol

    from typing_extensions import TypeGuard

    class _Model(Protocol):
        """What is used of a pydantic model class."""

        @classmethod
        def model_json_schema(cls, by_alias: bool = ...) -> dict[str, Any]: ...

__all__ = ["is_schema", "schema_keys"]


def _is_model(obj: object) -> TypeGuard[type[_Model]]:
    return isinstance(obj, type) and hasattr(obj, "model_fields") and hasattr(
        obj, "model_json_schema")


def is_schema(obj: object) -> TypeGuard[type[Any] | Mapping[str, Any]]:
    """Is ``obj`` a pydantic model class or a JSON Schema dict (not a list of keys)?"""
    return _is_model(obj) or (isinstance(obj, dict) and (
        "properties" in obj or "$defs" in obj or "definitions" in obj or "$ref" in obj))


def schema_keys(schema: type[Any] | Mapping[str, Any]) -> list[str]:
    """The keys of ``schema`` in order: its properties, then those of nested objects."""
    if _is_model(schema):
        schema = schema.model_json_schema(by_alias=True)
        # pydantic writes aliases as the property names; field names too, in case the
        # model accepts them (populate_by_name)
    defs: dict[str, Any] = {}
    for name in ("$defs", "definitions"):
        for k, v in (schema.get(name) or {}).items():
            defs["#/%s/%s" % (name, k)] = v
    keys: list[str] = []
    seen: set[str] = set()
    todo: list[Any] = [schema]
    visited: set[str] = set()
    while todo:
        node = todo.pop(0)
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref not in visited:
                visited.add(ref)
                todo.append(defs.get(ref))
            continue
        props = node.get("properties")
        if isinstance(props, dict):
            for k, v in props.items():
                if k not in seen:
                    seen.add(k)
                    keys.append(k)
                todo.append(v)
        for name in ("items", "additionalProperties"):
            if isinstance(node.get(name), dict):
                todo.append(node[name])
        for name in ("anyOf", "oneOf", "allOf", "prefixItems"):
            if isinstance(node.get(name), list):
                todo.extend(node[name])
    return keys

