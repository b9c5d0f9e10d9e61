"""Schemas as required keys: a pydantic model class or a JSON Schema dict; ``loads(...,
model=M)`` returns a validated instance or a RepairValidationError with the report."""
import pickle
from typing import List, Optional

import pytest

from repair import RepairError, RepairValidationError
from repair.rules.schema import is_schema, schema_keys

pydantic = pytest.importorskip("pydantic")
from pydantic import BaseModel, Field  # noqa: E402


class Item(BaseModel):
    item_name: str = Field(alias="Item Name")
    qty: int


class Order(BaseModel):
    order_id: int
    items: List[Item]
    note: Optional[str] = None


SCHEMA = {
    "type": "object",
    "properties": {"Original Requirements": {"type": "string"},
                   "Tasks": {"type": "array", "items": {"$ref": "#/$defs/Task"}}},
    "$defs": {"Task": {"type": "object", "properties": {"File Name": {"type": "string"},
                                                        "Depends On": {"type": "array"}}}},
}


def test_schema_keys():
    assert schema_keys(Order) == ["order_id", "items", "note", "Item Name", "qty"]
    assert schema_keys(SCHEMA) == ["Original Requirements", "Tasks", "File Name", "Depends On"]
    assert is_schema(Order) and is_schema(SCHEMA)
    assert not is_schema(["a", "b"]) and not is_schema({"a": 1})


TEXT = "Sure:\n```json\n{'ORDER_ID': 7, 'Items': [{'item name': 'pen', 'QTY': 2}],}\n```"


def test_model_as_required_keys_renames_at_every_depth(engine):
    assert engine.loads(TEXT, Order) == {"order_id": 7, "items": [{"Item Name": "pen", "qty": 2}]}


def test_json_schema_as_required_keys(engine):
    text = "{'original_requirements': 'x', 'tasks': [{'file name': 'a.py', 'depends on': []}]}"
    assert engine.loads(text, SCHEMA) == {
        "Original Requirements": "x", "Tasks": [{"File Name": "a.py", "Depends On": []}]}
    res = engine.repair("{'tasks': []}", SCHEMA)
    assert res.missing_keys == ("Original Requirements", "File Name", "Depends On")


def test_loads_with_model_returns_an_instance(engine):
    order = engine.loads(TEXT, model=Order)
    assert isinstance(order, Order)
    assert order.items[0].item_name == "pen" and order.items[0].qty == 2


def test_validation_failure_carries_the_report(engine):
    text = "{'order_id': 'seven', 'items': [],}"
    with pytest.raises(RepairValidationError) as info:
        engine.loads(text, model=Order)
    err = info.value
    assert isinstance(err, RepairError) and isinstance(err, ValueError)
    assert "order_id" in err.msg
    assert err.result.value == {"order_id": "seven", "items": []}
    assert {e.kind for e in err.result.edits} == {"quote_style", "extra_comma"}
    assert err.errors and err.errors[0]["loc"] == ("order_id",)
    assert isinstance(err.__cause__, pydantic.ValidationError)
    clone = pickle.loads(pickle.dumps(err))
    assert clone.msg == err.msg and clone.result.value == err.result.value


def test_no_json_is_still_a_repair_error(engine):
    with pytest.raises(RepairError) as info:
        engine.loads("I cannot help with that.", model=Order)
    assert not isinstance(info.value, RepairValidationError)
