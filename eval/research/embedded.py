"""dev-independent inside a larger feed: how its figures move with the documents around it.

dev-independent is 49 documents on five stories, so each story is a fifth of the pool and
its names are common there: rarity discounts them. A feed holds many stories, and there a
story's names are rare. This embeds dev-independent in a seeded sample of `SIZE` other
documents from dev-en-id (ECB+ English news, CLICK-ID Indonesian news of the same month,
TICO-19 passages; the 13 CLICK-ID articles the two pools share are taken from
dev-independent), runs `evaluate` on the whole, keeps the flagged pairs whose two documents
are both dev-independent's, and scores them with `score.py` against dev-independent's gold.
The background documents' own pairs are not scored.

usage (from the repository root, after `cargo build --release -p lintas-eval`):
  python3 eval/research/embedded.py [--sizes 0,100,300,1387] [--seeds 1,2] [--min-f1 X]
      [-- EVALUATE ARGS]

Prints one line per size and seed: en-id and all-pairs precision, recall and F1. With
`--min-f1`, exits 1 when a row's en-id F1 is below X (`.ci/run` keeps a floor just under the
lowest row measured, so a change that makes a feed worse is seen). Anything after `--` is
passed to `evaluate` (e.g. `--knob containment_specific=0`). DESIGN.md section 10, "A feed,
not a pool".
"""
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "eval")
EVALUATE = os.path.join(ROOT, "target", "release", "evaluate")


def score_between(pairs, ids, gold, tmp):
    """`score.py GOLD … --json` on the pairs of the file `pairs` whose two documents are both
    in `ids` (the background documents' own pairs are not scored)."""
    kept = os.path.join(tmp, "kept.jsonl")
    with open(kept, "w", encoding="utf-8") as f:
        for l in open(pairs, encoding="utf-8"):
            p = json.loads(l)
            if p["a"] in ids and p["b"] in ids:
                f.write(l)
    out = subprocess.run([sys.executable, os.path.join(SHARED, "score.py"), gold, kept, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def row(r, k):
    """One row of `score.py --json`'s result, as precision, recall and F1."""
    return "P {precision:.3f} R {recall:.3f} F1 {f1:.3f}".format(**r[k])


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[: args.index("--")]
    opts = {"--sizes": "0,100,300,1387", "--seeds": "1,2", "--min-f1": "0"}
    for i in range(0, len(args), 2):
        if args[i] not in opts or i + 1 >= len(args):
            sys.exit(__doc__)
        opts[args[i]] = args[i + 1]
    sizes = [int(s) for s in opts["--sizes"].split(",")]
    seeds = [int(s) for s in opts["--seeds"].split(",")]
    min_f1 = float(opts["--min-f1"])
    below = []
    indep_path = os.path.join(SHARED, "dev-independent.jsonl")
    indep = [json.loads(l) for l in open(indep_path, encoding="utf-8") if l.strip()]
    ids = {d["id"] for d in indep}
    background = [
        l for l in open(os.path.join(SHARED, "dev-en-id.jsonl"), encoding="utf-8")
        if l.strip() and json.loads(l)["id"] not in ids
    ]
    print(f"dev-independent ({len(indep)} documents) inside SIZE documents of dev-en-id"
          f" ({len(background)} available); evaluate {' '.join(extra) or '(defaults)'}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            # The whole background is one sample whatever the seed.
            for seed in seeds if 0 < size < len(background) else seeds[:1]:
                bg = list(background)
                random.Random(seed).shuffle(bg)
                pool = os.path.join(tmp, "pool.jsonl")
                with open(pool, "w", encoding="utf-8") as f:
                    for d in indep:
                        f.write(json.dumps(d) + "\n")
                    f.writelines(bg[:size])
                pairs = os.path.join(tmp, "pairs.jsonl")
                subprocess.run([EVALUATE, pool, *extra, "--pairs-out", pairs],
                               check=True, stdout=subprocess.DEVNULL)
                r = score_between(pairs, ids, indep_path, tmp)
                print(f"{size:>5} seed {seed}  en-id {row(r, 'en-id')}  all {row(r, 'all')}")
                if r["en-id"]["f1"] < min_f1:
                    below.append(f"{size} seed {seed}: en-id F1 {r['en-id']['f1']:.3f}")
    for b in below:
        print(f"FLOOR en-id F1 < {min_f1}: {b}")
    sys.exit(1 if below else 0)


if __name__ == "__main__":
    main()
