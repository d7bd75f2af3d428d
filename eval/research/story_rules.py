"""Three hand-set rules against next developments of one story (issue 10; research, dropped).

The bundled sample's four false flags are pairs of one language in which one article reports
the next step of the other's story: an appeal against a verdict, a first leg before a final,
candidates cleared before the vote, a second acquisition by the same buyer. Three rules a
wire editor might apply, each a veto on the combined verifier's same-language flags
(out-of-fold p >= 0.7), read from `pairdump --docs` views (headline = title, or the first
sentence without one; lead = headline and first sentences):

* `stage`: both headlines name a stage of one process (legal: arrest, charge, trial,
  verdict or sentence, appeal; a match: draw, win; an election: candidacy, vote, win) and the
  latest stage differs, sharing none; the stages are English concept stems, which the
  lexicon gives Indonesian words too.
* `headline figure`: both headlines give a figure of one kind (an amount in one currency, a
  percentage, a score) and one headline's figures of that kind are nowhere in the other
  document (the second acquisition's price is not in the first's article).
* `displaced lead`: of one document's lead anchors found in the other, at least half sit
  only outside the other's lead (the earlier event retold as background).

For each rule: the labelled pairs it would veto on dev-en-id and dev-independent (set-aside
groups apart) and which of the pairs `dedup` flags on the bundled sample it would veto.

usage (from the repository root, after `cargo build --release -p lintas-eval --bins` and
`-p lintas-examples --examples`;
python3 with numpy and scikit-learn, for feed_fit's harness):
  python3 eval/research/story_rules.py          # about a minute

Measured 5 December 2026 (DESIGN.md section 12, "Tried and dropped"): `stage` would veto 31
true dev-en-id pairs (and 2 set-aside ones) and no false one: ECB+ counts an event's next
steps as the event. On the sample it vetoes no distractor (a verdict's article names the
verdict its appeal is against; the first leg's names the final) but the election's true en-id
pair. `headline figure` fires on no dev pair at all, and on the sample on the second
acquisition only. `displaced lead` (>= 0.5) would veto 519 true dev-en-id pairs for 55 false
ones, and on the sample two true pairs and no distractor (0.08-0.44).
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import feed_fit as ff  # noqa: E402

STAGES = {
    "legal": {"arrest": 1, "detain": 1, "captur": 1, "charg": 2, "indict": 2, "trial": 3,
              "convict": 4, "guilti": 4, "verdict": 4, "sentenc": 4, "acquit": 4, "appeal": 5},
    "match": {"draw": 1, "win": 2, "beat": 2, "defeat": 2, "titl": 2, "champion": 2},
    "elect": {"candid": 1, "regist": 1, "nomin": 1, "vote": 2, "ballot": 2, "win": 3},
}


def labels(d, view, kind=None):
    return {lab for k, lab, _ in d[view] if kind is None or k == kind}


def stages(d):
    c = labels(d, "head", "concept")
    out = {}
    for p, m in STAGES.items():
        r = {m[w] for w in c if w in m}
        if r:
            out[p] = r
    return out


def stage(a, b):
    sa, sb = stages(a), stages(b)
    return any(max(sa[p]) != max(sb[p]) and not sa[p] & sb[p] for p in sa.keys() & sb.keys())


def head_figures(d):
    out = {}
    for lab in labels(d, "head"):
        if lab.startswith("amt:"):
            out.setdefault("amt:" + lab.split(":")[1], set()).add(lab)
        elif lab.startswith("pct:"):
            out.setdefault("pct", set()).add(lab)
        elif lab.startswith("code:") and "-" in lab:
            out.setdefault("score", set()).add(lab)
    return out


def headline_figure(a, b):
    fa, fb = head_figures(a), head_figures(b)
    wa, wb = labels(a, "whole"), labels(b, "whole")
    return any(not fa[k] & wb or not fb[k] & wa for k in fa.keys() & fb.keys())


def displacement(a, b):
    out = []
    for x, y in ((a, b), (b, a)):
        found = labels(x, "lead", "anchor") & labels(y, "whole", "anchor")
        body = found - labels(y, "lead", "anchor")
        out.append(len(body) / len(found) if len(found) >= 2 else 0.0)
    return max(out)


RULES = {
    "stage": stage,
    "headline figure": headline_figure,
    "displaced lead >= 0.5": lambda a, b: displacement(a, b) >= 0.5,
}


def main():
    sample_path = os.path.join(ff.ROOT, "examples", "data", "sample.jsonl")
    views = lambda d: d["views"]  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        h = ff.Harness(tmp, [sample_path])
        docs = ff.doc_views(h.feed_path, tmp, views)
        docs.update(ff.doc_views(sample_path, tmp, views))
    event = {x["id"]: x["event"] for x in ff.jsonl(sample_path)}
    # The sample's pairs as dedup flags them (its six events and four distractors).
    out = subprocess.run([os.path.join(ff.ROOT, "target", "release", "examples", "dedup"),
                          "--input", sample_path, "--quiet"],
                         check=True, capture_output=True, text=True).stdout
    sample_flags = [(p["a"], p["b"]) for p in map(json.loads, out.splitlines())]
    flagged = [r for r in h.pools
               if r["label"] is not None and r["by_event"] and r["p"] >= ff.THRESHOLD]
    pool = {0: "dev-en-id", 1: "dev-independent"}
    print("same-language pairs flagged out of fold (p >= 0.7) each rule would veto:")
    for name, rule in RULES.items():
        c = Counter()
        for r in flagged:
            if rule(docs[r["a"]], docs[r["b"]]):
                where = "set-aside" if h.aside(r) else pool[r["pool"]]
                c[(where, "true" if r["label"] else "false")] += 1
        hits = [f"{w} {t} {n}" for (w, t), n in sorted(c.items())] or ["none"]
        print(f"  {name:24} " + ", ".join(hits))
        fires = [(a, b) for a, b in sample_flags if rule(docs[a], docs[b])]
        true = [f"{a}/{b}" for a, b in fires if event[a] == event[b]]
        false = [f"{a}/{b}" for a, b in fires if event[a] != event[b]]
        print(f"  {'':24} of the sample's {len(sample_flags)} flagged pairs: {len(false)} of"
              f" other events {false}, {len(true)} of one event {true}")
    for a, b in [("court-id", "court-distractor2-id"), ("final-en", "final-distractor-en"),
                 ("election-en", "election-distractor-en"), ("deal-en", "deal-distractor2-en")]:
        print(f"  displaced lead {a}/{b}: {displacement(docs[a], docs[b]):.2f}")


if __name__ == "__main__":
    main()
