"""Fitting the event model inside a feed, and story-relative rarity inside a feed (issue 10;
tried, dropped: DESIGN.md section 12, "Tried and dropped").

dev-independent alone is five stories in 49 documents, so rarity discounts each story's names;
inside a feed of 1,387 other documents those names are rare, and the same-language pairs the
event model decides lose precision (`embedded.py`). Two questions:

1. Does the model do better in the feed when it is *fitted* on the feed's pairs (or on both the
   pools' and the feed's), rather than on the pools alone? Every arm is scored out of fold with
   the same grouped folds (groups as `evaluate --oof`: ECB+ topic, TICO-19 document,
   dev-independent topic, CLICK-ID article; the set-aside groups never fitted or scored).
2. Does story-relative rarity help there? For a pair (a, b), its neighbourhood is a, b and every
   candidate partner of either; a feature's local weight is ln((n + 1) / df) within it, and
   `local_containment` / `local_jaccard` are the overlap under those weights. (The research
   prototype's `neighbourhood.py` tried the same on the pools alone, with 15 partners each.)

usage (from the repository root, after `cargo build --release -p lintas-eval --bins`;
python3 with numpy and scikit-learn):
  python3 eval/research/feed_fit.py [--local] [--indep-weight W]

Prints, for each arm, the combined verifier's figures (a pair the corpus decides by the
probability is flagged at p >= 0.7, any other by its overlap score) on dev-independent inside
the feed, dev-independent alone and dev-en-id, set-aside groups excluded. `--local` adds the two
story-relative values (about three minutes in all, one without). `--indep-weight W` fits with
dev-independent's pairs weighted W each instead of `evaluate --fit`'s 10.
"""
import itertools
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "eval")
BIN = os.path.join(ROOT, "target", "release")
NAMES = ["jaccard", "containment", "lead_overlap", "headline_in_lead", "specific_coverage",
         "specific_coverage_lead", "specific_anchors", "year_conflict", "weekday_conflict",
         "figure_conflicts"]
ASIDE = {"ecb:5", "ecb:18", "indep:kashmir"}
THRESHOLD = 0.7


def jsonl(path):
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]


def dump(pools, out):
    """`evaluate POOLS --oof` with every candidate pair written to `out`."""
    env = dict(os.environ, LINTAS_OOF_DUMP=out)
    subprocess.run([os.path.join(BIN, "evaluate"), *pools, "--oof"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return jsonl(out)


def doc_views(pool, tmp, of):
    """`of` each document of `pool` as `pairdump --docs` gives it (its views: head, lead,
    whole), by id."""
    docs = os.path.join(tmp, "docs.jsonl")
    subprocess.run([os.path.join(BIN, "pairdump"), pool, "--docs", docs, "--cands",
                    os.path.join(tmp, "cands.jsonl")], check=True, stdout=subprocess.DEVNULL)
    return {d["id"]: of(d) for d in jsonl(docs)}


def features(pool, tmp):
    """Each document's whole-document features (`pairdump --docs`)."""
    return doc_views(pool, tmp, lambda d: frozenset((k, lab) for k, lab, _ in d["views"]["whole"]))


def add_local(rows, feats):
    """Adds `local_containment` and `local_jaccard` to the rows of one corpus."""
    partners = defaultdict(set)
    for r in rows:
        partners[r["a"]].add(r["b"])
        partners[r["b"]].add(r["a"])
    post = defaultdict(set)
    for i, fs in feats.items():
        for f in fs:
            post[f].add(i)
    for r in rows:
        a, b = r["a"], r["b"]
        hood = {a, b} | partners[a] | partners[b]
        n = len(hood)
        fa, fb = feats[a], feats[b]
        lw = {f: math.log((n + 1) / len(post[f] & hood)) for f in fa | fb}
        shared = sum(lw[f] for f in fa & fb)
        sa, sb = sum(lw[f] for f in fa), sum(lw[f] for f in fb)
        r["evidence"]["local_containment"] = shared / min(sa, sb) if min(sa, sb) > 0 else 0.0
        union = sa + sb - shared
        r["evidence"]["local_jaccard"] = shared / union if union > 0 else 0.0


class Harness:
    """The pools and the feed as out-of-fold dumps, with the grouped folds, fitting and
    scoring every arm shares (also used by `predicates.py` and `salience.py`)."""

    def __init__(self, tmp, extra_pools=(), indep_weight=10.0):
        """Dumps the pools, the feed and each of `extra_pools` (`self.extra`, one row list
        each) into `tmp`; `self.feed_path` is the feed, for per-document views. Fitting
        weighs dev-independent's pairs `indep_weight` each (`evaluate --fit`: 10)."""
        self.indep_weight = indep_weight
        self.indep_path = os.path.join(SHARED, "dev-independent.jsonl")
        self.enid_path = os.path.join(SHARED, "dev-en-id.jsonl")
        self.indep, self.enid = jsonl(self.indep_path), jsonl(self.enid_path)
        self.indep_ids = {d["id"] for d in self.indep}
        self.docs = {d["id"]: d for d in self.enid + self.indep}
        self.feed_path = os.path.join(tmp, "feed.jsonl")
        with open(self.feed_path, "w", encoding="utf-8") as f:
            for d in self.indep + [d for d in self.enid if d["id"] not in self.indep_ids]:
                f.write(json.dumps(d) + "\n")
        self.pools = dump([self.enid_path, self.indep_path], os.path.join(tmp, "a.jsonl"))
        self.fed = dump([self.feed_path], os.path.join(tmp, "b.jsonl"))
        self.extra = [dump([p], os.path.join(tmp, f"x{i}.jsonl"))
                      for i, p in enumerate(extra_pools)]
        family = lambda g: g.split(":")[0]
        groups = sorted({g for r in self.pools + self.fed for g in r["groups"]})
        rng = random.Random(7)
        self.fold = {}
        for fam in sorted({family(g) for g in groups}):
            gs = [g for g in groups if family(g) == fam]
            rng.shuffle(gs)
            self.fold.update({g: i % 5 for i, g in enumerate(gs)})

    @staticmethod
    def aside(r):
        return r["aside"] or any(g in ASIDE for g in r["groups"])

    def fit_rows(self, rows):
        return [r for r in rows if r["label"] is not None and not self.aside(r)]

    @staticmethod
    def x(rows, ns):
        return np.array([[r["evidence"][n] for n in ns] for r in rows])

    def fit(self, train, ns):
        """(scaler, model) fitted as `evaluate --fit` fits: L2 logistic regression, C = 1, on
        standardised values, dev-independent pairs weighted `indep_weight`."""
        weight = lambda r: self.indep_weight if all(g.startswith("indep:") for g in r["groups"]) else 1.0
        s = StandardScaler().fit(self.x(train, ns))
        m = LogisticRegression(C=1.0, max_iter=2000)
        m.fit(s.transform(self.x(train, ns)), [t["label"] for t in train],
              sample_weight=[weight(t) for t in train])
        return s, m

    def out_of_fold(self, train, rows, ns):
        """Each row scored by a model fitted on rows touching none of its groups' folds (one
        model per set of one or two folds)."""
        models = {}
        p = np.zeros(len(rows))
        for i, r in enumerate(rows):
            fs = frozenset(self.fold[g] for g in r["groups"])
            if fs not in models:
                models[fs] = self.fit(
                    [t for t in train if not fs & {self.fold[g] for g in t["groups"]}], ns)
            s, m = models[fs]
            p[i] = m.predict_proba(s.transform(self.x([r], ns)))[0, 1]
        return p

    def kind(self, a, b):
        lang = lambda i: "id" if self.docs[i]["lang"] == "ms" else self.docs[i]["lang"]
        return "-".join(sorted([lang(a), lang(b)]))

    def gold(self, ds):
        """Gold pair counts by language pair of the documents `ds`, set-aside groups left out."""
        by = defaultdict(list)
        for d in ds:
            if group(d) not in ASIDE:
                by[d["event"]].append(d["id"])
        g = defaultdict(int)
        for v in by.values():
            for a, b in itertools.combinations(v, 2):
                g[self.kind(a, b)] += 1
                g["all"] += 1
        return g

    def figures(self, rows, p, g):
        """The combined decision's precision, recall and F1 by language pair: a pair the
        corpus decides by the probability is flagged at p >= THRESHOLD, any other by its
        overlap score."""
        out = []
        for k in ("all", "en-en", "en-id", "id-id"):
            if not g[k]:
                continue
            tp = fp = 0
            for r, q in zip(rows, p):
                if (r["label"] is None or self.aside(r)
                        or (k != "all" and self.kind(r["a"], r["b"]) != k)):
                    continue
                if flagged(r, q):
                    tp += r["label"]
                    fp += not r["label"]
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / g[k]
            f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
            out.append(f"{k} P {prec:.3f} R {rec:.3f} F1 {f1:.3f}")
        return " | ".join(out)

    def report(self, train, ns):
        """Prints the three rows every arm is judged on."""
        in_feed = [r for r in self.fed if r["a"] in self.indep_ids and r["b"] in self.indep_ids]
        g_indep, g_enid = self.gold(self.indep), self.gold(self.enid)
        for name, rows, g in (("dev-independent in the feed", in_feed, g_indep),
                              ("dev-independent alone", [r for r in self.pools if r["pool"] == 1],
                               g_indep),
                              ("dev-en-id", [r for r in self.pools if r["pool"] == 0], g_enid)):
            print(f"  {name:28} {self.figures(rows, self.out_of_fold(train, rows, ns), g)}")

    def report_arm(self, train, ns, sample, event):
        """`report`, then the weights of a model fitted on all of `train`, and what that
        model flags of the set-aside groups and of the bundled sample (`sample`: its dumped
        rows, `event`: its documents' events by id)."""
        self.report(train, ns)
        s, m = self.fit(train, ns)
        print("  weights (standardised): " + " ".join(
            f"{n} {w:+.2f}" for n, w in zip(ns, m.coef_[0])))
        aside_rows = [r for r in self.pools if self.aside(r) and r["label"] is not None]
        p = m.predict_proba(s.transform(self.x(aside_rows, ns)))[:, 1]
        hits = [r for r, q in zip(aside_rows, p) if flagged(r, q)]
        print(f"  set-aside pairs flagged: {sum(r['label'] for r in hits)} true,"
              f" {sum(not r['label'] for r in hits)} false")
        p = m.predict_proba(s.transform(self.x(sample, ns)))[:, 1]
        hits = [(r, q) for r, q in zip(sample, p) if flagged(r, q)]
        right = sum(event[r["a"]] == event[r["b"]] for r, _ in hits)
        print(f"  bundled sample: {right} + {len(hits) - right}")
        for r, q in hits:
            if event[r["a"]] != event[r["b"]]:
                print(f"    false: {r['a']} {r['b']} p {q:.3f}")


def flagged(r, p):
    """Whether the combined verifier flags the dumped pair `r` at probability `p`."""
    return (p >= THRESHOLD) if r["by_event"] else (r["score"] >= r["threshold"])


def group(d):
    m = d.get("meta") or {}
    if d.get("source") == "ecbplus":
        return f"ecb:{m.get('topic')}"
    return f"indep:{m.get('topic')}" if "topic" in m else ""


def main():
    args = sys.argv[1:]
    local = "--local" in args
    weight = 10.0
    if "--indep-weight" in args:
        i = args.index("--indep-weight")
        if i + 1 >= len(args):
            sys.exit(__doc__)
        weight = float(args[i + 1])
    with tempfile.TemporaryDirectory() as tmp:
        h = Harness(tmp, indep_weight=weight)
        if local:
            for pool, path in ((0, h.enid_path), (1, h.indep_path)):
                add_local([r for r in h.pools if r["pool"] == pool], features(path, tmp))
            add_local(h.fed, features(h.feed_path, tmp))
    names = NAMES + (["local_containment", "local_jaccard"] if local else [])
    print(f"values: {' '.join(names)}; threshold {THRESHOLD} (same language), overlap score otherwise")
    for arm, train in (("fitted on the pools", h.fit_rows(h.pools)),
                       ("fitted on the feed", h.fit_rows(h.fed)),
                       ("fitted on both", h.fit_rows(h.pools) + h.fit_rows(h.fed))):
        print(f"== {arm}")
        h.report(train, names)


if __name__ == "__main__":
    main()
