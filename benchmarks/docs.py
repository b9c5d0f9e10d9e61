"""Deterministic LLM-like JSON documents and the damage an LLM does to them.

``document(size_bytes, seed)`` is valid JSON of about ``size_bytes`` UTF-8 bytes, shaped like
a model's answer to "list the items as JSON": an object holding an array of objects with
natural-language strings (some non-ASCII, some with escaped quotes), numbers, booleans,
nulls, nested objects and nested arrays of objects, indented by two spaces.

``damage(kind, text)`` returns the text with one kind of damage (``mixed``: several at
once); ``required_keys(kind)`` is what the caller of ``repair.loads`` passes for that kind
(the original key spellings for ``key_case`` and ``mixed``, else nothing). Every function
here is a pure function of its arguments.
"""
import functools
import json
import random
import re

__all__ = ["KINDS", "DAMAGE_KINDS", "SIZES", "SIZE_NAMES", "KEYS", "document", "damage",
           "required_keys", "expected", "case", "size_name", "parse_size"]

# the valid twin first, then one kind of damage each, then all at once
DAMAGE_KINDS = ("truncated", "missing_closers", "extra_closers", "single_quotes",
                "unquoted_keys", "trailing_commas", "python_literals", "fences_prose",
                "key_case", "mixed")
KINDS = ("valid",) + DAMAGE_KINDS

SIZES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)
SIZE_NAMES = {1_000: "1KB", 10_000: "10KB", 100_000: "100KB", 1_000_000: "1MB",
              10_000_000: "10MB"}

SEED = 20240611

_WORDS = (
    "the a an of to and with for in on by from this that each every some many small large "
    "quick reliable durable compact lightweight portable premium classic modern elegant "
    "simple practical sturdy versatile handmade organic recycled wireless rechargeable "
    "waterproof adjustable ergonomic minimalist vintage everyday travel kitchen garden "
    "office outdoor lamp chair table backpack bottle jacket kettle speaker notebook pen "
    "blanket mug headphones charger tent stove knife watch camera bicycle helmet shoes "
    "designed made built tested shipped includes offers features supports fits keeps "
    "battery steel cotton leather bamboo glass aluminium wool ceramic oak linen "
    "hours days weeks users customers travellers students cooks hikers families "
    "café naïve Zürich résumé façade Ångström São Paulo München crème brûlée "
    "東京 北京 日本語 Москва Київ Αθήνα — – … °C ±5 € £ ¥ ✓ "
).split()
_COLORS = ("black", "white", "red", "blue", "green", "grey", "navy", "olive", "sand",
           "teal", "burgundy", "crème", "charcoal")
_CATEGORIES = ("Home & Kitchen", "Outdoors", "Electronics", "Office", "Travel", "Sports",
               "Garden", "Books", "Toys & Games", "Bürobedarf", "家居")
_QUOTED = ('the so-called "smart" edition', "it's the customers' favourite",
           'rated "excellent" by reviewers', "don't miss it")


def _sentence(rng, lo=6, hi=18):
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    if rng.random() < 0.08:
        words.insert(rng.randrange(len(words) + 1), rng.choice(_QUOTED))
    s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def _item(rng, i):
    item = {
        "id": i,
        "name": " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 4))).title(),
        "description": " ".join(_sentence(rng) for _ in range(rng.randint(1, 3))),
        "category": rng.choice(_CATEGORIES),
        "price": round(rng.uniform(1, 500), 2),
        "currency": rng.choice(("USD", "EUR", "GBP", "JPY")),
        "rating": round(rng.uniform(1, 5), 1) if rng.random() < 0.8 else None,
        "in_stock": rng.random() < 0.7,
        "tags": [rng.choice(_WORDS) for _ in range(rng.randint(0, 5))],
        "dimensions": {
            "width_cm": round(rng.uniform(1, 120), 1),
            "height_cm": rng.randint(1, 200),
            "weight_kg": round(rng.uniform(0.05, 30), 2) if rng.random() < 0.85 else None,
        },
        "variants": [
            {"sku": "%s-%04d" % ("".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
                                         for _ in range(3)), rng.randrange(10000)),
             "color": rng.choice(_COLORS),
             "available": rng.random() < 0.6,
             "stock": rng.randint(0, 250)}
            for _ in range(rng.randint(0, 3))
        ],
    }
    if rng.random() < 0.3:
        item["review"] = {"author": rng.choice(_WORDS).title(), "text": _sentence(rng, 8, 30),
                          "verified": rng.random() < 0.5, "helpful_votes": rng.randint(0, 99)}
    return item


def _dump(value):
    return json.dumps(value, indent=2, ensure_ascii=False)


@functools.lru_cache(maxsize=64)
def document(size_bytes, seed=SEED):
    """Valid JSON text of about ``size_bytes`` UTF-8 bytes (within a few percent; at least
    one item). The same arguments always give the same text."""
    rng = random.Random("%d:%d" % (seed, size_bytes))
    doc = {"query": "List the items as JSON", "items": [], "total": 0, "has_more": False,
           "next_page": None, "notes": ""}
    overhead = len(_dump(doc).encode("utf-8"))
    size = overhead
    items = doc["items"]
    while True:
        item = _item(rng, len(items) + 1)
        # each line of an item is indented 4 more spaces inside "items", plus ",\n"
        dumped = _dump(item)
        grow = len(dumped.encode("utf-8")) + 4 * (dumped.count("\n") + 1) + 2
        if items and size + grow > size_bytes:
            break
        items.append(item)
        size += grow
    doc["total"] = len(items)
    words = []
    have = len(_dump(doc).encode("utf-8"))
    while have < size_bytes - 12:
        w = rng.choice(_WORDS)
        words.append(w)
        have += len(w.encode("utf-8")) + 1
    doc["notes"] = " ".join(words)
    return _dump(doc)


# -- damage --------------------------------------------------------------------------

_STRING = r'"(?:[^"\\]|\\.)*"'
_STRING_OR_LITERAL = re.compile(_STRING + r"|\b(true|false|null)\b")
_PY = {"true": "True", "false": "False", "null": "None"}
_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"(?=\s*:)|' + _STRING)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_STRING_RE = re.compile(_STRING)
# a closer after a value (not right after an opener or whitespace run after one)
_CLOSER_AFTER_VALUE = re.compile(_STRING + r"|(?<=[^\s\[{])(\s*)([}\]])")


def _sub_outside_strings(pattern, repl, text):
    return pattern.sub(lambda m: repl(m) if m.group(1) is not None else m.group(0), text)


def trailing_commas(text):
    """A comma before every ``}``/``]`` that closes a non-empty container."""
    return _CLOSER_AFTER_VALUE.sub(
        lambda m: m.group(0) if m.group(2) is None else "," + m.group(1) + m.group(2), text)


def python_literals(text):
    """``true``/``false``/``null`` become ``True``/``False``/``None``."""
    return _sub_outside_strings(_STRING_OR_LITERAL, lambda m: _PY[m.group(1)], text)


def single_quotes(text):
    """Every string holding neither ``'`` nor an escaped ``"`` is single-quoted."""
    def swap(m):
        s = m.group(0)
        if "'" in s or '\\"' in s:
            return s
        return "'" + s[1:-1] + "'"
    return _STRING_RE.sub(swap, text)


def unquoted_keys(text):
    """Every key that is an identifier loses its quotes."""
    def unquote(m):
        key = m.group(1)
        if key is not None and _IDENT.match(key):
            return key
        return m.group(0)
    return _KEY.sub(unquote, text)


def key_case(text):
    """Every key is title-cased (``in_stock`` -> ``In_Stock``); see :func:`required_keys`."""
    def recase(m):
        key = m.group(1)
        if key is None:
            return m.group(0)
        return '"' + key.title() + '"'
    return _KEY.sub(recase, text)


def truncated(text):
    """Cut at 97% of the length, as ``max_tokens`` does."""
    return text[:int(len(text) * 0.97)]


def missing_closers(text):
    """All the closers at the end (and the whitespace between them) dropped."""
    return text.rstrip(" \t\r\n}]")


def extra_closers(text):
    return text + "}}"


def fences_prose(text):
    return "Here is the JSON:\n```json\n" + text + "\n```\nHope this helps."


def mixed(text):
    """Trailing commas, Python literals, unquoted keys and single quotes in a fence with
    prose, all at once."""
    for f in (trailing_commas, python_literals, unquoted_keys, single_quotes, fences_prose):
        text = f(text)
    return text


_DAMAGE = {
    "valid": lambda text: text,
    "truncated": truncated,
    "missing_closers": missing_closers,
    "extra_closers": extra_closers,
    "single_quotes": single_quotes,
    "unquoted_keys": unquoted_keys,
    "trailing_commas": trailing_commas,
    "python_literals": python_literals,
    "fences_prose": fences_prose,
    "key_case": key_case,
    "mixed": mixed,
}
assert tuple(_DAMAGE) == KINDS

# every key the generator writes, in first-appearance order
KEYS = ("query", "items", "id", "name", "description", "category", "price", "currency",
        "rating", "in_stock", "tags", "dimensions", "width_cm", "height_cm", "weight_kg",
        "variants", "sku", "color", "available", "stock", "review", "author", "text",
        "verified", "helpful_votes", "total", "has_more", "next_page", "notes")


def damage(kind, text):
    """``text`` (valid JSON from :func:`document`) with the damage ``kind``."""
    return _DAMAGE[kind](text)


def required_keys(kind):
    """The ``required_keys`` the caller passes for ``kind``: the original spellings for
    ``key_case``, nothing otherwise."""
    return KEYS if kind == "key_case" else ()


def expected(kind, valid_value):
    """The value a repair of ``kind`` should give, or ``None`` when it is not defined
    (``truncated``: the data past the cut is gone)."""
    return None if kind == "truncated" else valid_value


@functools.lru_cache(maxsize=128)
def case(kind, size_bytes, seed=SEED):
    """``(damaged_text, valid_text)`` for ``kind`` at ``size_bytes``."""
    valid = document(size_bytes, seed)
    return damage(kind, valid), valid


def size_name(size):
    return SIZE_NAMES.get(size) or "%dB" % size


def parse_size(s):
    """``"10KB"``, ``"1MB"``, ``"1000"`` -> bytes (decimal units, as the size names)."""
    s = s.strip().upper()
    for suffix, mult in (("MB", 1_000_000), ("KB", 1_000), ("B", 1)):
        if s.endswith(suffix):
            return int(float(s[:-len(suffix)]) * mult)
    return int(s)
