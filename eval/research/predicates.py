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


def main():
    sample_path = os.path.join(ff.ROOT, "examples", "data", "sample.jsonl")
    args = sys.argv[1:]
    weight = float(args[args.index("--indep-weight") + 1]) if "--indep-weight" in args[:-1] else 10.0
    with tempfile.TemporaryDirectory() as tmp:
        h = ff.Harness(tmp, [sample_path], indep_weight=weight)
        preds = ff.doc_views(h.feed_path, tmp, predicates)
        preds.update(ff.doc_views(sample_path, tmp, predicates))
    sample = h.extra[0]
    for rows in (h.pools, h.fed, sample):
        add_values(rows, preds)

    rate = lambda n, lab: np.mean([r["evidence"][n] for r in h.pools
                                   if r["label"] is lab and r["by_event"]] or [0])
    for n in ("predicate_found", "predicate_missing"):
        print(f"{n}: same-language candidate pairs with it, true {rate(n, True):.3f}"
              f" false {rate(n, False):.3f}")

    train = h.fit_rows(h.pools)
    event = {d["id"]: d["event"] for d in ff.jsonl(sample_path)}
    for arm, extra in (("shipped values", []),
                       ("+ predicate_found, predicate_missing",
                        ["predicate_found", "predicate_missing"]),
                       ("+ predicate_missing", ["predicate_missing"]),
                       ("+ ln_short", ["ln_short"]),
                       ("+ ln_short, short_containment", ["ln_short", "short_containment"])):
        print(f"== {arm}")
        h.report_arm(train, ff.NAMES + extra, sample, event)


if __name__ == "__main__":
    main()
