"""Required keys from a schema: a pydantic model class or a JSON Schema dict.

Every field name (and its alias, when it has one) becomes a required key, and so do the
fields of nested models and of nested JSON Schema objects (through ``$ref`` to
``$defs``/``definitions``, ``items``, ``anyOf``/``oneOf``/``allOf``), without recursion.
pydantic is optional: only a caller who passes a model needs it.
"""

__all__ = ["is_schema", "schema_keys"]


def _is_model(obj):
    return isinstance(obj, type) and hasattr(obj, "model_fields") and hasattr(
        obj, "model_json_schema")


def is_schema(obj):
    """Is ``obj`` a pydantic model class or a JSON Schema dict (not a list of keys)?"""
    return _is_model(obj) or (isinstance(obj, dict) and (
        "properties" in obj or "$defs" in obj or "definitions" in obj or "$ref" in obj))


def schema_keys(schema):
    """The keys of ``schema`` in order: its properties, then those of nested objects."""
    if _is_model(schema):
        schema = schema.model_json_schema(by_alias=True)
        # pydantic writes aliases as the property names; field names too, in case the
        # model accepts them (populate_by_name)
    defs = {}
    for name in ("$defs", "definitions"):
        for k, v in (schema.get(name) or {}).items():
            defs["#/%s/%s" % (name, k)] = v
    keys, seen, todo = [], set(), [schema]
    visited = set()
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

