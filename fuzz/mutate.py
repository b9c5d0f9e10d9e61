"""Inputs for the plain random fuzzer: seeds (corpus texts, generated JSON, JSON-ish
tokens) and mutations, all driven by one ``random.Random`` so that a run is reproducible
from its seed. Also a small delta-debugging minimiser for findings."""
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TOKENS = ['{', '}', '[', ']', ',', ':', '"', "'", '`', 'true', 'false', 'null', '1', '-1.5e3',
          'x', '\n', '\r\n', ' ', '\t', '-', '.', 'e', '\\', '/', '*', '#', '//', '/*', '*/',
          '\u201c', '\u201d', '\u2018', '\u2019', '\uff1a', '\uff0c', '\uff5b', '\uff5d',
          '...', '```json\n', '```', '<think>', '</think>', '[CONTENT]', '[/CONTENT]',
          '"a"', "'b'", '\\"', 'NaN', 'Infinity', '+', '0x1F', '(', ')', 'True', 'None',
          '"key": ', '\\n', '\\u12', '\\ud800', '\\udc00', '日本', '\x00', '\x1f', '\x7f',
          '\ufeff', '\u2028', '\ud800', '\udfff', '<|im_end|>', '<tool_call>',
          '</tool_call>', '[TOOL_CALLS]', 'NumberLong("2")', 'undefined', '007', '.5',
          '"a" + "b"', '{{', '}}', '\\frac{a}{b}', 'C:\\Users', '<parameter=x>',
          '<arg_key>', '<arg_value>', '\U0001f600', '\u00e9', '\\\\']
KEY_POOL = ["a", "A b", "key", "name", "arguments", "Required Python packages",
            "Original Requirements", "[/CONTENT]", "x-axis"]
CHARS = ['"', "'", "{", "}", "[", "]", ",", ":", "\\", "\n", " ", "\x00", "\ud800",
         "\udc00", "\u201c", "\u201d", "\uff1a", "#", "/", "*", "`", "\ufeff", "e", "0"]


def corpus_texts():
    """Every text of ``corpus/*.jsonl`` with its required keys: ``[(text, keys)]``."""
    out = []
    for path in sorted((REPO / "corpus").glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    case = json.loads(line)
                    out.append((case["text"], [k for k in case.get("required_keys") or ()
                                               if k]))
    return out


def random_value(rng, depth=0):
    r = rng.random()
    if depth > 4 or r < 0.45:
        return rng.choice([None, True, False, rng.randint(-10**6, 10**6),
                           rng.randint(-2**63, 2**63 - 1), rng.uniform(-1e6, 1e6),
                           random_string(rng)])
    if r < 0.7:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_string(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def random_string(rng):
    n = rng.randint(0, 10)
    pool = "abcxyz ABC_-.,:;!?'\"\\/{}[]\n\t\u00e9\u65e5\U0001f600\u201c\u201d0123456789"
    return "".join(rng.choice(pool) for _ in range(n))


def random_json_text(rng):
    v = random_value(rng)
    indent = rng.choice([None, None, 2, "\t"])
    return json.dumps(v, indent=indent, ensure_ascii=rng.random() < 0.3)


def random_unicode(rng, n):
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            out.append(chr(rng.randint(0x20, 0x7e)))
        elif r < 0.7:
            out.append(rng.choice(CHARS))
        elif r < 0.9:
            out.append(chr(rng.randint(0, 0xffff)))
        else:
            out.append(chr(rng.randint(0, 0x10ffff)))
    return "".join(out)


def mutate(rng, text, corpus):
    """One to four random mutations of ``text``."""
    for _ in range(rng.randint(1, 4)):
        n = len(text)
        op = rng.randrange(11)
        i = rng.randint(0, n)
        j = rng.randint(i, min(n, i + rng.choice([1, 1, 2, 4, 16, 64])))
        if op == 0:                                   # delete a span
            text = text[:i] + text[j:]
        elif op == 1:                                 # insert a token
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif op == 2:                                 # replace a span by a char
            text = text[:i] + rng.choice(CHARS) + text[j:]
        elif op == 3:                                 # duplicate a span
            text = text[:j] + text[i:j] + text[j:]
        elif op == 4 and n:                           # truncate
            text = text[:rng.randint(1, n)]
        elif op == 5:                                 # splice another corpus text
            other = rng.choice(corpus)[0] if corpus else random_json_text(rng)
            k = rng.randint(0, len(other))
            text = text[:i] + other[k:k + rng.randint(0, 200)] + text[j:]
        elif op == 6:                                 # random unicode
            text = text[:i] + random_unicode(rng, rng.randint(1, 8)) + text[i:]
        elif op == 7:                                 # swap quote styles
            a, b = rng.choice([('"', "'"), ("'", '"'), ('"', '\u201c'), (',', '\uff0c'),
                               (':', '\uff1a'), ('\n', '\r\n'), ('true', 'True')])
            text = text.replace(a, b, rng.randint(1, 3))
        elif op == 8:                                 # repeat a token many times
            text = text[:i] + rng.choice(TOKENS) * rng.randint(2, 300) + text[i:]
        elif op == 9:                                 # wrap
            pre, post = rng.choice([("```json\n", "\n```"), ("Here it is: ", " Done."),
                                    ("<think>{x}</think>", ""), ("[CONTENT]", "[/CONTENT]"),
                                    ("cb(", ");"), ("\ufeff", ""), ("", "\x00")])
            text = pre + text + post
        else:                                         # drop a closer / quote
            k = max(text.rfind(rng.choice('}]"')), 0)
            text = text[:k] + text[k + 1:]
    return text


def make_input(rng, corpus):
    """``(text, options)``: a str or bytes input and the repair options to use."""
    r = rng.random()
    keys = []
    if r < 0.45 and corpus:
        text, keys = rng.choice(corpus)
        text = mutate(rng, text, corpus)
    elif r < 0.7:
        text = mutate(rng, random_json_text(rng), corpus)
    elif r < 0.85:
        text = "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))
    else:
        text = random_unicode(rng, rng.randint(0, 60))
    options = {}
    if rng.random() < 0.25:
        options["required_keys"] = keys if keys and rng.random() < 0.5 else \
            rng.sample(KEY_POOL, rng.randint(1, 2))
    if rng.random() < 0.15:
        options["policy"] = rng.choice(["first", "last", "all"])
    if rng.random() < 0.05:
        options["preset"] = rng.choice(["strict", "aggressive"])
    if rng.random() < 0.1:
        # bytes: valid UTF-8 (surrogates replaced) or with a few bytes changed
        data = text.encode("utf-8", "replace")
        if rng.random() < 0.5 and data:
            b = bytearray(data)
            for _ in range(rng.randint(1, 3)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            data = bytes(b)
        return data, options
    return text, options


def minimise(text, still_fails, budget=2000):
    """A smaller input for which ``still_fails(input)`` is true (delta debugging over
    characters, or bytes for a bytes input), trying at most ``budget`` candidates."""
    tries = 0
    chunk = max(1, len(text) // 2)
    while chunk >= 1 and tries < budget:
        i = 0
        shrunk = False
        while i < len(text) and tries < budget:
            cand = text[:i] + text[i + chunk:]
            tries += 1
            if cand != text and still_fails(cand):
                text = cand
                shrunk = True
            else:
                i += chunk
        if not shrunk:
            chunk //= 2
    return text
