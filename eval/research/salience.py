"""The names an article is about, missing from the other (issue 10; research).

Two events of one story share the story's names; what one article is about besides them (the
startup bought this time, the coach fired this time) it names again and again, and the other
article never names it. Per pair, from `pairdump --docs` (names and acronyms, `name:` and
`acr:` anchors, counted over the whole document):

* `name_share_missing`: the larger, over the two documents, of the share of a document's name
  mentions whose name is nowhere in the other;
* `top_name_missing`: a document's most-mentioned name (at least twice) is nowhere in the other;
* `salient_missing`: some name a document mentions three times or more is nowhere in the other.

Each arm is fitted next to the shipped ten, out of fold with `feed_fit.py`'s grouped folds,
set-aside groups excluded, and scored on dev-en-id, dev-independent alone and inside the
1,387-document feed, the set-aside groups and the bundled sample (both by a model fitted on every
other pool row, as shipped).

usage (from the repository root, after `cargo build --release -p lintas-eval --bins`; python3
with numpy, scikit-learn and snowballstemmer):
  python3 eval/research/salience.py          # about two minutes

Tried and dropped: DESIGN.md section 12, "The names an article is about".
"""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import feed_fit as ff  # noqa: E402

KINDS = ("name:", "acr:")


def names(doc):
    """(mentions per name, every feature label) of a `pairdump --docs` line."""
    counts = {}
    for kind, label, n in doc["views"]["whole"]:
        if kind == "anchor" and label.startswith(KINDS):
            counts[label] = counts.get(label, 0) + n
    return counts, {label for _, label, _ in doc["views"]["whole"]}


def share_missing(counts, other):
    total = sum(counts.values())
    return sum(n for lab, n in counts.items() if lab not in other) / total if total else 0.0


def top_missing(counts, other):
    if not counts:
        return 0.0
    lab, n = max(counts.items(), key=lambda x: (x[1], x[0]))
    return float(n >= 2 and lab not in other)


def salient_missing(counts, other):
    return float(any(n >= 3 and lab not in other for lab, n in counts.items()))


def add_values(rows, docs):
    for r in rows:
        (ca, ea), (cb, eb) = docs[r["a"]], docs[r["b"]]
        e = r["evidence"]
        e["name_share_missing"] = max(share_missing(ca, eb), share_missing(cb, ea))
        e["top_name_missing"] = max(top_missing(ca, eb), top_missing(cb, ea))
        e["salient_missing"] = max(salient_missing(ca, eb), salient_missing(cb, ea))


def main():
    sample_path = os.path.join(ff.ROOT, "examples", "data", "sample.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        h = ff.Harness(tmp, [sample_path])
        d = ff.doc_views(h.feed_path, tmp, names)
        d.update(ff.doc_views(sample_path, tmp, names))
    sample = h.extra[0]
    for rows in (h.pools, h.fed, sample):
        add_values(rows, d)
    for n in ("name_share_missing", "top_name_missing", "salient_missing"):
        t = [r["evidence"][n] for r in h.pools if r["label"] is True and r["by_event"]]
        f = [r["evidence"][n] for r in h.pools if r["label"] is False and r["by_event"]]
        print(f"{n}: same-language candidates mean true {np.mean(t):.3f} false {np.mean(f):.3f}")
    train = h.fit_rows(h.pools)
    event = {x["id"]: x["event"] for x in ff.jsonl(sample_path)}
    for arm, extra in (("shipped values", []),
                       ("+ name_share_missing", ["name_share_missing"]),
                       ("+ top_name_missing", ["top_name_missing"]),
                       ("+ salient_missing", ["salient_missing"]),
                       ("+ all three", ["name_share_missing", "top_name_missing",
                                        "salient_missing"])):
        print(f"== {arm}")
        h.report_arm(train, ff.NAMES + extra, sample, event)


if __name__ == "__main__":
    main()
