"""atheris harness: coverage-guided fuzzing of repair, compiled core and pure twin.

    pip install atheris
    python fuzz/build_seed_corpus.py fuzz/corpus          # seeds from corpus/*.jsonl
    python fuzz/fuzz_repair.py -max_total_time=60 fuzz/corpus       # bounded session
    python fuzz/fuzz_repair.py -max_total_time=36000 -jobs=2 fuzz/corpus   # a long one

Each input goes through ``fuzz/checks.py:check`` (valid JSON or RepairError, never another
exception; compiled core == pure twin on text and edits; bytes == decoded text; valid
JSON unchanged; idempotent, also through the scanner alone; the edit report accounts for
the output). A broken check raises :class:`checks.Finding`, which atheris reports as a
crash and saves as ``crash-<sha1>`` (replay: ``python fuzz/fuzz_repair.py crash-<sha1>``).
Findings of an already reported class (``checks.KNOWN``) are counted on stderr and the
session goes on; ``REPAIR_FUZZ_ALL=1`` makes them crashes too.

Input format (so that the seeds stay readable): the first byte chooses

- ``mode = b0 % 4``: 0 -> the rest as bytes (``repair(bytes)``: UTF-8 decoding, and the
  decoded text too), 1 -> the rest decoded as UTF-8 with errors replaced, 2 -> text from
  ``ConsumeUnicodeNoSurrogates``, 3 -> text from ``ConsumeUnicode`` (lone surrogates);
- ``(b0 >> 2) % 8``: options (none, required keys, policy first/last/all, presets).

Coverage: atheris instruments the pure-Python modules of ``repair`` (the pure twin, the
API, the rules); the compiled core is a C extension and is not instrumented unless it is
built with clang and ``-fsanitize=fuzzer-no-link`` (see fuzz/README.md). The twin is the
same state machine, line for line, so its coverage guides the search through the
compiled core's states too, and every input runs on both.
"""
import os
import sys
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

with atheris.instrument_imports(include=["repair", "checks"]):
    try:
        import repair  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(HERE.parent))
        import repair  # noqa: F401
    import checks

ENGINES = checks.engines()
OPTIONS = [
    {},
    {"required_keys": ["name", "arguments"]},
    {"required_keys": ["Required Python packages", "[/CONTENT]"]},
    {"policy": "first"},
    {"policy": "last"},
    {"policy": "all"},
    {"preset": "strict"},
    {"preset": "aggressive", "required_keys": ["answer"]},
]


def make_input(data):
    """``(text, options)`` from the fuzzer's bytes (see the module docstring)."""
    if not data:
        return "", {}
    b0, rest = data[0], data[1:]
    options = OPTIONS[(b0 >> 2) % len(OPTIONS)]
    mode = b0 % 4
    if mode == 0:
        return rest, options
    if mode == 1:
        return rest.decode("utf-8", "replace"), options
    fdp = atheris.FuzzedDataProvider(rest)
    if mode == 2:
        return fdp.ConsumeUnicodeNoSurrogates(len(rest)), options
    return fdp.ConsumeUnicode(len(rest)), options


REPORT_KNOWN = os.environ.get("REPAIR_FUZZ_ALL", "") not in ("", "0")
KNOWN_SEEN = {}


def TestOneInput(data):  # noqa: N802 -- atheris' name
    text, options = make_input(data)
    try:
        checks.check(text, ENGINES, options=options)
    except checks.Finding as f:
        name = None if REPORT_KNOWN else checks.known_class(f)
        if name is None:
            raise
        KNOWN_SEEN[name] = KNOWN_SEEN.get(name, 0) + 1
        if KNOWN_SEEN[name] in (1, 10, 100, 1000):
            print("known failure class %s seen %d time(s)" % (name, KNOWN_SEEN[name]),
                  file=sys.stderr, flush=True)


def main():
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
