"""Publication dates as evidence (issue 10, optional): `dedup --date-field` on dev-independent.

dev-independent is the one dev pool whose documents carry a publication date (`meta.date`:
the short English items' listing day, the Indonesian articles' day of publication). This
writes the pool with that date as a top-level `published` field into a scratch directory,
runs the release `dedup` on it with and without `--date-field published` (windows of 1, 3
and 7 days), alone and inside the 1,387-document feed of `embedded.py` (the background
documents are undated, so the window decides only pairs of two dev-independent documents),
and scores the pairs between dev-independent documents with `score.py`.

The pool's gold was judged by reading "same happening, same actors, within a day or two"
(../shared/eval/README.md), so a window of a few days agrees with it partly by construction:
the figures show what the option does for a user whose events are that, not a verifier gain.

usage (from the repository root, after `cargo build --release -p lintas-examples --examples`):
  python3 eval/research/dates.py [--min-f1 X]

With `--min-f1`, exits 1 when the feed's en-id F1 at the default window (three days) is below
X, or when the pool alone moves at all with dates (`.ci/run` keeps a floor just under what was
measured).
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import embedded  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "eval")
DEDUP = os.path.join(ROOT, "target", "release", "examples", "dedup")


def main():
    args = sys.argv[1:]
    min_f1 = None
    if args:
        if len(args) != 2 or args[0] != "--min-f1":
            sys.exit(__doc__)
        min_f1 = float(args[1])
    failed = []
    undated = {}
    indep_path = os.path.join(SHARED, "dev-independent.jsonl")
    indep = [json.loads(l) for l in open(indep_path, encoding="utf-8") if l.strip()]
    ids = {d["id"] for d in indep}
    background = [l for l in open(os.path.join(SHARED, "dev-en-id.jsonl"), encoding="utf-8")
                  if l.strip() and json.loads(l)["id"] not in ids]
    dated = sum(1 for d in indep if (d.get("meta") or {}).get("date"))
    print(f"dev-independent: {len(indep)} documents, {dated} with meta.date")
    with tempfile.TemporaryDirectory() as tmp:
        pools = {}
        for name, extra in (("alone", []), ("in the feed", background)):
            path = os.path.join(tmp, f"{len(extra)}.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for d in indep:
                    # Only id, title, text and the date: what a user's feed would carry.
                    row = {"id": d["id"], "title": d.get("title"), "text": d["text"]}
                    date = (d.get("meta") or {}).get("date")
                    if date:
                        row["published"] = date
                    f.write(json.dumps(row) + "\n")
                f.writelines(extra)
            pools[name] = path
        for name, path in pools.items():
            for label, flags in (("no dates", []),
                                *((f"--max-days {n}", ["--date-field", "published",
                                                       "--max-days", str(n)])
                                  for n in (1, 3, 7))):
                out = os.path.join(tmp, "pairs.jsonl")
                subprocess.run([DEDUP, "--input", path, "--output", out, "--quiet", *flags],
                               check=True)
                r = embedded.score_between(out, ids, indep_path, tmp)
                print(f"{name:12} {label:12} en-id {embedded.row(r, 'en-id')}"
                      f" | all {embedded.row(r, 'all')}")
                f1 = r["en-id"]["f1"]
                if min_f1 is None:
                    continue
                if label == "no dates":
                    undated[name] = f1
                elif name == "alone" and f1 != undated[name]:
                    failed.append(f"alone, {label}: en-id F1 {f1:.3f}, {undated[name]:.3f} undated")
                if name == "in the feed" and label == "--max-days 3" and f1 < min_f1:
                    failed.append(f"in the feed, {label}: en-id F1 {f1:.3f} < {min_f1}")
    for f in failed:
        print(f"FLOOR {f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
