"""What happened, from the headline: event predicates as evidence (issue 10; research).

Two articles on one story name the same actors; what tells two of its *events* apart is what
the headline says happened: a verdict against an appeal, a win against candidates cleared, a
first leg drawn against a final won, a resignation against a board meeting called. This tests
that as evidence the event model could weigh, without touching the library: a project-written
list of event predicates (English words for actions and happenings, stemmed as the English
analysis stems them; Indonesian reaches them through the lexicon's concepts), and per pair

* `predicate_found`: some predicate of either headline is in the other document's headline or
  lead;
* `predicate_missing`: some predicate of either headline is in neither the other document's
  headline nor its lead.

(The headline is the title, or the first sentence without one, as `pairdump` gives it.) And
how much evidence a pair has: `ln_short`, ln(1 + the smaller document's feature count), alone
and times containment (`short_containment`), so that two short items of one story sharing its
names could count for less. Each arm is fitted next to the shipped ten, out of fold with the grouped folds of
`feed_fit.py`, set-aside groups excluded, and the combined decision is scored on dev-en-id,
dev-independent alone and inside the 1,387-document feed, and the bundled sample (a model
fitted on every pool row, as shipped).

usage (from the repository root, after `cargo build --release -p lintas-eval --bins`; python3
with numpy, scikit-learn and snowballstemmer):
  python3 eval/research/predicates.py      # about a minute

Tried and dropped: DESIGN.md section 12, "What the headline says happened".
"""
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np
import snowballstemmer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import feed_fit as ff  # noqa: E402

# Actions and happenings news headlines report. Written for this test from general knowledge
# of news language, not read off any pool.
PREDICATES = """
resign quit step retire fire sack oust dismiss appoint name nominate elect reelect swear
win lose beat defeat draw tie hold score qualify eliminate champion title
arrest detain capture charge indict accuse convict sentence jail imprison acquit free release
pardon appeal verdict trial testify plead sue lawsuit rule ruling ban outlaw prohibit
approve reject veto pass block overturn annul cancel suspend postpone delay resume halt
kill die dead death shoot shooting stab attack bomb bombing explode explosion blast crash
collapse sink burn fire flood earthquake quake tsunami erupt eruption storm landslide
injure wound rescue evacuate missing
buy acquire acquisition purchase sell sale merge merger takeover invest investment ipo list
raise cut hike lower rise fall drop surge plunge slump
launch unveil open close shut announce report reveal confirm deny admit apologise apologize
sign agree agreement deal talk talks meet meeting summit visit negotiate
protest strike riot rally march clash
raid seize search investigate probe
vote election poll campaign declare
outbreak infect spread vaccinate quarantine lockdown
""".split()
STEM = snowballstemmer.stemmer("english")
PRED = set(STEM.stemWords(PREDICATES))
EXTRA = ["predicate_found", "predicate_missing"]


def predicates(doc):
    """(headline predicates, headline-and-lead predicates) of a `pairdump --docs` line."""
    concepts = lambda view: {lab for k, lab, _ in doc["views"][view] if k == "concept"}
    head = concepts("head") & PRED
    return head, head | (concepts("lead") & PRED), len(doc["views"]["whole"])


def add_values(rows, docs):
    for r in rows:
        (ha, la, na), (hb, lb, nb) = docs[r["a"]], docs[r["b"]]
        e = r["evidence"]
        e["ln_short"] = np.log1p(min(na, nb))
        e["short_containment"] = e["ln_short"] * e["containment"]
        e["predicate_found"] = float(bool(ha & lb or hb & la))
        e["predicate_missing"] = float(bool(ha - lb or hb - la))


def pair_docs(pool, tmp):
    out = os.path.join(tmp, "docs.jsonl")
    subprocess.run([os.path.join(ff.BIN, "pairdump"), pool, "--docs", out, "--cands",
                    os.path.join(tmp, "cands.jsonl")], check=True, stdout=subprocess.DEVNULL)
    return {d["id"]: predicates(d) for d in ff.jsonl(out)}


def main():
    enid_path = os.path.join(ff.SHARED, "dev-en-id.jsonl")
    indep_path = os.path.join(ff.SHARED, "dev-independent.jsonl")
    sample_path = os.path.join(ff.ROOT, "examples", "data", "sample.jsonl")
    indep, enid = ff.jsonl(indep_path), ff.jsonl(enid_path)
    indep_ids = {d["id"] for d in indep}
    docs = {d["id"]: d for d in enid + indep}
    with tempfile.TemporaryDirectory() as tmp:
        feed = os.path.join(tmp, "feed.jsonl")
        with open(feed, "w", encoding="utf-8") as f:
            for d in indep + [d for d in enid if d["id"] not in indep_ids]:
                f.write(json.dumps(d) + "\n")
        pools = ff.dump([enid_path, indep_path], os.path.join(tmp, "a.jsonl"))
        fed = ff.dump([feed], os.path.join(tmp, "b.jsonl"))
        sample = ff.dump([sample_path], os.path.join(tmp, "c.jsonl"))
        preds = pair_docs(feed, tmp)
        preds.update(pair_docs(sample_path, tmp))
    for rows in (pools, fed, sample):
        add_values(rows, preds)

    sample_docs = {d["id"]: d for d in ff.jsonl(sample_path)}
    rate = lambda rows, n, lab: np.mean([r["evidence"][n] for r in rows if r["label"] is lab
                                         and r["by_event"]] or [0])
    for n in EXTRA:
        print(f"{n}: same-language candidate pairs with it, true {rate(pools, n, True):.3f}"
              f" false {rate(pools, n, False):.3f}")

    family = lambda g: g.split(":")[0]
    groups = sorted({g for r in pools + fed for g in r["groups"]})
    rng = random.Random(7)
    fold = {}
    for fam in sorted({family(g) for g in groups}):
        gs = [g for g in groups if family(g) == fam]
        rng.shuffle(gs)
        fold.update({g: i % 5 for i, g in enumerate(gs)})
    x = lambda rows, ns: np.array([[r["evidence"][n] for n in ns] for r in rows])
    weight = lambda r: 10.0 if all(g.startswith("indep:") for g in r["groups"]) else 1.0
    aside = lambda r: r["aside"] or any(g in ff.ASIDE for g in r["groups"])
    train = [r for r in pools if r["label"] is not None and not aside(r)]

    def fit(tr, ns):
        s = StandardScaler().fit(x(tr, ns))
        m = LogisticRegression(C=1.0, max_iter=2000)
        m.fit(s.transform(x(tr, ns)), [t["label"] for t in tr],
              sample_weight=[weight(t) for t in tr])
        return s, m

    def out_of_fold(rows, ns):
        models, p = {}, np.zeros(len(rows))
        for i, r in enumerate(rows):
            fs = frozenset(fold[g] for g in r["groups"])
            if fs not in models:
                models[fs] = fit([t for t in train if not fs & {fold[g] for g in t["groups"]}], ns)
            s, m = models[fs]
            p[i] = m.predict_proba(s.transform(x([r], ns)))[0, 1]
        return p

    lang = lambda i: "id" if docs[i]["lang"] == "ms" else docs[i]["lang"]
    kind = lambda a, b: "-".join(sorted([lang(a), lang(b)]))

    def gold(ids):
        by = defaultdict(list)
        for i in ids:
            by[docs[i]["event"]].append(i)
        g = defaultdict(int)
        for v in by.values():
            for a, b in itertools.combinations(v, 2):
                g[kind(a, b)] += 1
                g["all"] += 1
        return g

    def group(d):
        m = d.get("meta") or {}
        if d.get("source") == "ecbplus":
            return f"ecb:{m.get('topic')}"
        return f"indep:{m.get('topic')}" if "topic" in m else ""

    kept = lambda ds: [d["id"] for d in ds if group(d) not in ff.ASIDE]

    def figures(rows, p, g):
        out = []
        for k in ("all", "en-en", "en-id", "id-id"):
            if not g[k]:
                continue
            tp = fp = 0
            for r, q in zip(rows, p):
                if r["label"] is None or aside(r) or (k != "all" and kind(r["a"], r["b"]) != k):
                    continue
                if (q >= ff.THRESHOLD) if r["by_event"] else (r["score"] >= r["threshold"]):
                    tp += r["label"]
                    fp += not r["label"]
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / g[k]
            f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
            out.append(f"{k} P {prec:.3f} R {rec:.3f} F1 {f1:.3f}")
        return " | ".join(out)

    g_indep, g_enid = gold(kept(indep)), gold(kept(enid))
    in_feed = [r for r in fed if r["a"] in indep_ids and r["b"] in indep_ids]
    alone = [r for r in pools if r["pool"] == 1]
    enid_rows = [r for r in pools if r["pool"] == 0]
    aside_rows = [r for r in pools if aside(r) and r["label"] is not None]
    for arm, ns in (("shipped values", ff.NAMES), ("+ predicate_found, predicate_missing",
                                                    ff.NAMES + EXTRA),
                    ("+ predicate_missing", ff.NAMES + ["predicate_missing"]),
                    ("+ ln_short", ff.NAMES + ["ln_short"]),
                    ("+ ln_short, short_containment", ff.NAMES + ["ln_short", "short_containment"])):
        print(f"== {arm}")
        for name, rows, g in (("dev-independent in the feed", in_feed, g_indep),
                              ("dev-independent alone", alone, g_indep),
                              ("dev-en-id", enid_rows, g_enid)):
            print(f"  {name:28} {figures(rows, out_of_fold(rows, ns), g)}")
        s, m = fit(train, ns)
        print("  weights (standardised): " + " ".join(
            f"{n} {w:+.2f}" for n, w in zip(ns, m.coef_[0])))
        # The set-aside groups, by the model fitted on every other row.
        p = m.predict_proba(s.transform(x(aside_rows, ns)))[:, 1] if aside_rows else []
        flagged = [(r, q) for r, q in zip(aside_rows, p)
                   if ((q >= ff.THRESHOLD) if r["by_event"] else r["score"] >= r["threshold"])]
        print(f"  set-aside pairs flagged: {sum(r['label'] for r, _ in flagged)} true,"
              f" {sum(not r['label'] for r, _ in flagged)} false")
        p = m.predict_proba(s.transform(x(sample, ns)))[:, 1]
        ev = lambda i: sample_docs[i]["event"]
        hits = [(r, q) for r, q in zip(sample, p)
                if ((q >= ff.THRESHOLD) if r["by_event"] else r["score"] >= r["threshold"])]
        right = sum(ev(r["a"]) == ev(r["b"]) for r, _ in hits)
        print(f"  bundled sample: {right} + {len(hits) - right}")
        for r, q in hits:
            if ev(r["a"]) != ev(r["b"]):
                print(f"    false: {r['a']} {r['b']} p {q:.3f}")


if __name__ == "__main__":
    main()
