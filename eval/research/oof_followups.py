"""Follow-up experiments on the out-of-fold pair dump of `evaluate --oof` (tried, dropped;
DESIGN.md section 12, "Tried and dropped").

usage:
  LINTAS_OOF_DUMP=/tmp/oof.jsonl ./target/release/evaluate ../shared/eval/dev-en-id.jsonl \
      ../shared/eval/dev-independent.jsonl --oof
  python3 eval/research/oof_followups.py /tmp/oof.jsonl

Reads one JSON object a line: `pool` (0 dev-en-id, 1 dev-independent), `label` (null when the
gold does not score the pair), `aside` (a set-aside group), `groups`, `score` (the deciding
verifier's score: for the cross-language pairs used in 2, the overlap score), `p` (the built-in
model's out-of-fold probability) and `evidence`. Set-aside pairs are left out of every figure.
Needs python3 with numpy and scikit-learn. `--no-length` (after the file) leaves
`length_ratio` out of the cross-language model.

1. Conflicts as vetoes on the combined verifier's same-language flags (p >= 0.7).
2. A logistic model for cross-language pairs alone, in 10 folds of groups: a pair is scored by
   a model fitted on pairs touching none of the groups of its fold. Compared with the overlap
   score at 0.17 on translations (dev-en-id) and independent en-id coverage (dev-independent).
"""
import json
import random
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

NAMES = ["jaccard", "containment", "lead_overlap", "headline_in_lead", "specific_coverage",
         "specific_coverage_lead", "specific_anchors", "year_conflict", "date_conflict",
         "weekday_conflict", "figure_conflicts", "length_ratio"]
if "--no-length" in sys.argv:
    NAMES.remove("length_ratio")


def prf(rows, flagged):
    gold = sum(r["label"] for r in rows)
    hit = [r for r, f in zip(rows, flagged) if f]
    tp = sum(r["label"] for r in hit)
    p = tp / len(hit) if hit else 0.0
    rc = tp / gold if gold else 0.0
    f1 = 2 * p * rc / (p + rc) if tp else 0.0
    return f"P={p:.3f} R={rc:.3f} F1={f1:.3f} tp={tp} flagged={len(hit)}"


def vetoes(rows):
    same = [r for r in rows if r["evidence"]["cross_language"] == 0]
    rules = {
        "none": lambda e: False,
        "weekday_conflict": lambda e: e["weekday_conflict"] > 0,
        "figure_conflicts >= 1": lambda e: e["figure_conflicts"] > 0,
        "year_conflict": lambda e: e["year_conflict"] > 0,
        "two of weekday/figure/year": lambda e: e["weekday_conflict"] + e["figure_conflicts"]
        + e["year_conflict"] >= 2,
    }
    print("1. conflicts as vetoes on same-language flags (p >= 0.7)")
    for name, veto in rules.items():
        line = f"  {name:28}"
        for pool in (0, 1):
            rs = [r for r in same if r["pool"] == pool]
            line += f"  pool {pool}: " + prf(rs, [r["p"] >= 0.7 and not veto(r["evidence"]) for r in rs])
        print(line)


def cross_model(rows):
    xs = [r for r in rows if r["evidence"]["cross_language"] > 0]
    x = np.array([[r["evidence"][n] for n in NAMES] + [r["score"]] for r in xs])
    y = np.array([int(r["label"]) for r in xs])
    w = np.array([10.0 if r["pool"] == 1 else 1.0 for r in xs])
    groups = sorted({g for r in xs for g in r["groups"]})
    random.Random(1).shuffle(groups)
    k = 10
    fold_of = {g: i % k for i, g in enumerate(groups)}
    home = [fold_of[min(r["groups"])] for r in xs]
    touch = [{fold_of[g] for g in r["groups"]} for r in xs]
    p = np.zeros(len(xs))
    for f in range(k):
        train = np.array([f not in t for t in touch])
        test = np.array([h == f for h in home])
        sc = StandardScaler().fit(x[train])
        m = LogisticRegression(C=1.0, max_iter=2000).fit(sc.transform(x[train]), y[train],
                                                         sample_weight=w[train])
        p[test] = m.predict_proba(sc.transform(x[test]))[:, 1]
    score = np.array([r["score"] for r in xs])
    print("2. a model for cross-language pairs alone (out of fold)")
    rules = [("overlap score >= 0.17", score >= 0.17)]
    rules += [(f"cross model p >= {t}", p >= t) for t in (0.3, 0.5, 0.6, 0.7, 0.9)]
    rules += [(f"overlap or p >= {t}", (score >= 0.17) | (p >= t)) for t in (0.5, 0.9, 0.95)]
    for name, flagged in rules:
        line = f"  {name:24}"
        for pool, what in ((0, "translations"), (1, "independent")):
            sel = [i for i, r in enumerate(xs) if r["pool"] == pool]
            line += f"  {what}: " + prf([xs[i] for i in sel], [flagged[i] for i in sel])
        print(line)


def main():
    rows = [json.loads(line) for line in open(sys.argv[1])]
    rows = [r for r in rows if r["label"] is not None and not r["aside"]]
    vetoes(rows)
    cross_model(rows)


if __name__ == "__main__":
    main()
