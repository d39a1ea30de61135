"""The do-it-yourself baseline users would otherwise script: jieba segmentation of every post,
then pyahocorasick over the NFKC-lowercased text with the same terms coinsieve's automaton uses.

    python baseline.py TERMS_FILE DUMP.jsonl [MAX_BYTES]

Prints "<bytes> <posts> <flagged> <secs>" (only the first MAX_BYTES of the dump when given).
"""
import json
import sys
import time
import unicodedata

import ahocorasick
import jieba


def main():
    terms_file, dump = sys.argv[1], sys.argv[2]
    max_bytes = int(sys.argv[3]) if len(sys.argv) > 3 else None
    jieba.setLogLevel(60)
    jieba.initialize()
    automaton = ahocorasick.Automaton()
    with open(terms_file, encoding="utf-8") as f:
        for i, term in enumerate(line.strip() for line in f):
            if term:
                automaton.add_word(term, i)
    automaton.make_automaton()

    posts = flagged = nbytes = 0
    start = time.perf_counter()
    with open(dump, "rb") as f:
        for raw in f:
            if max_bytes is not None and nbytes >= max_bytes:
                break
            nbytes += len(raw)
            text = json.loads(raw).get("text", "")
            text = unicodedata.normalize("NFKC", text).lower()
            words = jieba.lcut(text)
            hits = list(automaton.iter(text))
            posts += 1
            if hits and words:
                flagged += 1
    secs = time.perf_counter() - start
    print(nbytes, posts, flagged, f"{secs:.4f}")


if __name__ == "__main__":
    main()
