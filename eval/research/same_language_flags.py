"""Sorts dedup's same-language false flags on a labelled pool by how much raw text the two
documents share (DESIGN.md section 10, README "Languages").

usage:
  ./target/release/examples/dedup --input ../shared/eval/dev-multi.jsonl --output /tmp/p.jsonl --quiet
  python3 eval/research/same_language_flags.py ../shared/eval/dev-multi.jsonl /tmp/p.jsonl

A flag is false when the two documents are of one gold language, of different events, and not
in one `meta.unlabeled_group` (what score.py leaves unscored). Its *text containment* is the
share of the shorter text's character 5-grams (lowercased, whitespace folded) found in the
other. At 0.5 or more the two texts are largely the same words in the same order: a copy in
the pool that its labels call two events. Prints, per language, copies and other false flags,
and the other flags with their containment and score.
"""
import collections
import json
import re
import sys


def grams(text, k=5):
    t = re.sub(r"\s+", " ", text.lower())
    return {t[i:i + k] for i in range(max(1, len(t) - k + 1))}


def main():
    rows = {}
    for line in open(sys.argv[1]):
        r = json.loads(line)
        rows[r["id"]] = r

    def group(i):
        return (rows[i].get("meta") or {}).get("unlabeled_group")

    copies, other = collections.Counter(), collections.Counter()
    examples = collections.defaultdict(list)
    for line in open(sys.argv[2]):
        p = json.loads(line)
        a, b = rows[p["a"]], rows[p["b"]]
        if a["lang"] != b["lang"] or a["event"] == b["event"]:
            continue
        if group(p["a"]) and group(p["a"]) == group(p["b"]):
            continue
        ga, gb = grams(a["text"]), grams(b["text"])
        c = len(ga & gb) / min(len(ga), len(gb))
        if c >= 0.5:
            copies[a["lang"]] += 1
        else:
            other[a["lang"]] += 1
            examples[a["lang"]].append((round(c, 2), round(p["score"], 3), p["a"], p["b"]))
    print("copies in the pool (text containment >= 0.5):", dict(sorted(copies.items())))
    print("other false flags:", dict(sorted(other.items())))
    for lang, ex in sorted(examples.items()):
        print(lang)
        for e in sorted(ex, reverse=True):
            print("  containment %.2f  score %.3f  %s  %s" % e)


if __name__ == "__main__":
    main()
