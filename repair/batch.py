"""Batch repair of JSONL logs: one record per line, one result per line.

:class:`BatchRepairer` is a plain picklable callable, so the same function runs in
``python -m repair --jsonl``, in a ``multiprocessing`` pool, or as a Dask/Spark UDF::

    import dask.bag as db
    from repair.batch import BatchRepairer

    fix = BatchRepairer(field="output", required_keys=["answer"])
    results = db.read_text("logs/*.jsonl").map(fix).map(json.dumps)

A record is a JSON string (the text to repair) or a JSON object holding the text in
``field``; an object may also carry ``model`` (used in the summary), ``id`` (copied to
the result) and ``required_keys`` (added to the batch's).
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

import orjson

from .api import repair
from .errors import RepairError

__all__ = ["BatchRepairer", "Summary"]


class BatchRepairer:
    """``BatchRepairer(field="text", required_keys=(), **options)(line) -> dict``.

    The result has ``status``: ``unchanged`` (already valid JSON), ``repaired``, or
    ``error`` (no JSON could be recovered, or the record is malformed); then ``value``
    and ``kinds`` (the edit kinds, each once) and ``missing_keys``, or ``error``; and the
    record's ``id`` and ``model`` when it has them.
    """

    def __init__(self, field: str = "text", required_keys: Iterable[str] = (),
                 **options: Any) -> None:
        self.field = field
        self.required_keys = tuple(required_keys)
        self.options = options

    def __call__(self, line: str | bytes | bytearray | memoryview) -> dict[str, Any]:
        out: dict[str, Any] = {}
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            return {"status": "error", "error": "record is not JSON: %s" % (exc,)}
        keys = self.required_keys
        if isinstance(record, dict):
            for name in ("id", "model"):
                if name in record:
                    out[name] = record[name]
            text = record.get(self.field)
            extra = record.get("required_keys")
            if isinstance(extra, list):
                keys = keys + tuple(k for k in extra if isinstance(k, str))
        else:
            text = record
        if not isinstance(text, str):
            out.update(status="error", error="record has no string field %r" % (self.field,))
            return out
        try:
            res = repair(text, keys, **self.options)
        except RepairError as err:
            out.update(status="error", error=str(err))
            return out
        out["status"] = "repaired" if res.edits or res.changed else "unchanged"
        out["value"] = res.value
        out["kinds"] = sorted({e.kind for e in res.edits})
        out["missing_keys"] = list(res.missing_keys)
        return out

    def __repr__(self) -> str:
        return "BatchRepairer(field=%r, required_keys=%r, **%r)" % (
            self.field, self.required_keys, self.options)


class Summary:
    """Counts over results: by status, by edit kind, by model (and errors by model)."""

    def __init__(self) -> None:
        self.status: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.models: Counter[str] = Counter()
        self.model_errors: Counter[str] = Counter()

    def add(self, result: Mapping[str, Any]) -> None:
        self.status[result["status"]] += 1
        for kind in result.get("kinds", ()):
            self.kinds[kind] += 1
        model = result.get("model")
        if model is not None:
            self.models[str(model)] += 1
            if result["status"] == "error":
                self.model_errors[str(model)] += 1

    def render(self) -> str:
        total = sum(self.status.values())
        lines = ["%d records: %s" % (total, ", ".join(
            "%d %s" % (self.status[s], s) for s in ("unchanged", "repaired", "error")))]
        if self.kinds:
            lines.append("repairs by kind:")
            for kind, n in self.kinds.most_common():
                lines.append("  %7d  %s" % (n, kind))
        if self.models:
            lines.append("by model (records, errors):")
            for model, n in self.models.most_common():
                lines.append("  %7d  %5d  %s" % (n, self.model_errors[model], model))
        return "\n".join(lines) + "\n"
