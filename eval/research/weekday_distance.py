"""How far apart the weekdays of a weekday conflict are (issue 10; DESIGN.md section 12,
"Weekdays far apart"). Reads the out-of-fold pair dump and the pools' leads.

usage (from the repository root):
  LINTAS_OOF_DUMP=/tmp/oof.jsonl ./target/release/evaluate ../shared/eval/dev-en-id.jsonl \\
      ../shared/eval/dev-independent.jsonl --oof
  python3 eval/research/weekday_distance.py /tmp/oof.jsonl [--show]

Counts same-language pairs at p >= 0.7 whose evidence has `weekday_conflict`, by the smallest
circular distance between a weekday of one lead and one of the other (`?` when this simple
reading of the leads, title and first three sentences, finds none), by label and by set-aside
group. `--show` prints the leads of the pairs two or more days apart.
"""
import json
import os
import re
import sys
from collections import Counter

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "eval")
DAYS = [("monday", "senin"), ("tuesday", "selasa"), ("wednesday", "rabu"), ("thursday", "kamis"),
        ("friday", "jumat"), ("saturday", "sabtu"), ("sunday", "minggu")]
INDEX = {w: i for i, ws in enumerate(DAYS) for w in ws}
WORD = re.compile(r"\b(" + "|".join(INDEX) + r")\b", re.I)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    docs = {}
    for name in ("dev-en-id.jsonl", "dev-independent.jsonl"):
        for line in open(os.path.join(SHARED, name), encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                docs[d["id"]] = d

    def lead(i):
        d = docs[i]
        sentences = re.split(r"(?<=[.!?])\s+|\n", d["text"])
        return (d.get("title") or "") + " | " + " ".join(sentences[:3])

    def days(i):
        return {INDEX[m.lower()] for m in WORD.findall(lead(i))}

    counts = Counter()
    far = []
    for line in open(sys.argv[1], encoding="utf-8"):
        r = json.loads(line)
        e = r["evidence"]
        if r["label"] is None or e["cross_language"] or r["p"] < 0.7 or not e["weekday_conflict"]:
            continue
        a, b = days(r["a"]), days(r["b"])
        gap = min(min((x - y) % 7, (y - x) % 7) for x in a for y in b) if a and b else "?"
        counts[(str(gap), r["label"], r["aside"])] += 1
        if gap != "?" and gap >= 2 and not r["aside"]:
            far.append(r)
    print("days apart | same event | set-aside | pairs")
    for k in sorted(counts):
        print(f"{k[0]:>10} | {str(k[1]):>10} | {str(k[2]):>9} | {counts[k]}")
    if "--show" in sys.argv:
        for r in far:
            print(f"-- {r['label']} p {r['p']:.3f} {r['a']} {r['b']}")
            for i in (r["a"], r["b"]):
                print("   ", lead(i)[:240].replace("\n", " "))


if __name__ == "__main__":
    main()
