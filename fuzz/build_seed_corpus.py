"""Write the seed corpus for the atheris harness: one file per corpus text
(``corpus/*.jsonl``), in the harness' input format (first byte 0: the text as UTF-8 bytes,
no options; the same text once more with its required keys as byte 4), plus a few
adversarial seeds.

    python fuzz/build_seed_corpus.py fuzz/corpus
"""
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mutate  # noqa: E402

EXTRA = ['{"a": [1, 2', "{'a': 'b'}", '```json\n{"a": 1,}\n```', '{"a": "x "y" z"}',
         '[1, 2, ...]', '{"a": 1} {"b": 2}', '<think>{x}</think>{"k": "v"}',
         '[CONTENT]{"Original Requirements": "x"}[/CONTENT]', '{\\"a\\": \\"b\\"}',
         '<parameter=x>1</parameter>', '{"a": 1e400}', "[" * 50, '"\\ud800"']


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else HERE / "corpus")
    out.mkdir(parents=True, exist_ok=True)
    seeds = []
    for text, keys in mutate.corpus_texts():
        seeds.append(b"\x00" + text.encode("utf-8", "replace"))
        if keys:
            seeds.append(b"\x04" + text.encode("utf-8", "replace"))
    seeds += [b"\x00" + t.encode("utf-8") for t in EXTRA]
    for s in seeds:
        (out / hashlib.sha1(s).hexdigest()).write_bytes(s)
    print("%d seeds in %s" % (len(seeds), out))


if __name__ == "__main__":
    main()
