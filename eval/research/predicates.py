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
  python3 eval/research/predicates.py [--indep-weight W]     # about a minute and a half

`--indep-weight W`: dev-independent's pairs weigh W each in every fit (`evaluate --fit`: 10).

Tried and dropped: DESIGN.md section 12, "What the headline says happened".
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import snowballstemmer

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
    sample_path = os.path.join(ff.ROOT, "examples", "data", "sample.jsonl")
    args = sys.argv[1:]
    weight = float(args[args.index("--indep-weight") + 1]) if "--indep-weight" in args[:-1] else 10.0
    with tempfile.TemporaryDirectory() as tmp:
        h = ff.Harness(tmp, [sample_path], indep_weight=weight)
        preds = pair_docs(h.feed_path, tmp)
        preds.update(pair_docs(sample_path, tmp))
    sample = h.extra[0]
    for rows in (h.pools, h.fed, sample):
        add_values(rows, preds)

    rate = lambda n, lab: np.mean([r["evidence"][n] for r in h.pools
                                   if r["label"] is lab and r["by_event"]] or [0])
    for n in ("predicate_found", "predicate_missing"):
        print(f"{n}: same-language candidate pairs with it, true {rate(n, True):.3f}"
              f" false {rate(n, False):.3f}")

    train = h.fit_rows(h.pools)
    aside_rows = [r for r in h.pools if h.aside(r) and r["label"] is not None]
    event = {d["id"]: d["event"] for d in ff.jsonl(sample_path)}
    for arm, extra in (("shipped values", []),
                       ("+ predicate_found, predicate_missing",
                        ["predicate_found", "predicate_missing"]),
                       ("+ predicate_missing", ["predicate_missing"]),
                       ("+ ln_short", ["ln_short"]),
                       ("+ ln_short, short_containment", ["ln_short", "short_containment"])):
        ns = ff.NAMES + extra
        print(f"== {arm}")
        h.report(train, ns)
        s, m = h.fit(train, ns)
        print("  weights (standardised): " + " ".join(
            f"{n} {w:+.2f}" for n, w in zip(ns, m.coef_[0])))
        # The set-aside groups and the bundled sample, by the model fitted on every other row.
        p = m.predict_proba(s.transform(h.x(aside_rows, ns)))[:, 1]
        hits = [r for r, q in zip(aside_rows, p) if ff.flagged(r, q)]
        print(f"  set-aside pairs flagged: {sum(r['label'] for r in hits)} true,"
              f" {sum(not r['label'] for r in hits)} false")
        p = m.predict_proba(s.transform(h.x(sample, ns)))[:, 1]
        hits = [(r, q) for r, q in zip(sample, p) if ff.flagged(r, q)]
        right = sum(event[r["a"]] == event[r["b"]] for r, _ in hits)
        print(f"  bundled sample: {right} + {len(hits) - right}")
        for r, q in hits:
            if event[r["a"]] != event[r["b"]]:
                print(f"    false: {r['a']} {r['b']} p {q:.3f}")


if __name__ == "__main__":
    main()
