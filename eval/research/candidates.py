"""Candidate-stage variants on dev-en-id: gold pairs held / share of all pairs.

usage: python3 eval/research/candidates.py [--final]   (--final includes the set-aside groups)
"""
import sys, collections, itertools
from common import Gold, load_docs, load_cands

ANCHOR_KINDS = {"anchor"}


def df_table(docs, view="whole"):
    df = collections.Counter()
    for d in docs.values():
        df.update(d["views"][view].keys())
    return df


def shared_count_pairs(docs, feats_of, df, max_df, min_shared):
    """Pairs of documents sharing >= min_shared features (from feats_of(doc)) with df <= max_df."""
    post = collections.defaultdict(list)
    for i, d in docs.items():
        for f in feats_of(d):
            if 2 <= df[f] <= max_df:
                post[f].append(i)
    cnt = collections.Counter()
    for ids in post.values():
        for a, b in itertools.combinations(sorted(ids), 2):
            cnt[(a, b)] += 1
    return {p for p, c in cnt.items() if c >= min_shared}


def rare_anchors(d):
    return [f for f in d["views"]["whole"] if f[0] == "anchor"]


def head_lead(d):
    v = d["views"]
    return [f for f in set(v["head"]) | set(v["lead"]) if f[0] in ("anchor", "concept")]


def variants(docs, cands, max_df_anchor=None, min_anchor=2, max_df_hl=None, min_hl=2):
    """The candidate sets measured in the report. Rare caps scale like today's (2% of the
    corpus, at least 20 documents): `max_df` given as an absolute count overrides."""
    n = len(docs)
    cap = max(20, min(64, round(0.02 * n)))
    df = df_table(docs)
    lsh = {tuple(sorted((c["a"], c["b"]))) for c in cands if c["src"] == "lsh"}
    today = {tuple(sorted((c["a"], c["b"]))) for c in cands}
    # the recommended caps (as build.py): anchors df <= clamp(1.5% N, 20, 64), head/lead
    # features df <= clamp(5% N, 20, 64); two shared either way
    clamp = lambda x: max(20, min(64, round(x)))
    anc = shared_count_pairs(docs, rare_anchors, df, max_df_anchor or clamp(0.015 * n), min_anchor)
    hl = shared_count_pairs(docs, head_lead, df, max_df_hl or clamp(0.05 * n), min_hl)
    return {
        "LSH alone": lsh,
        "today (LSH + >=2 rare features, df <= cap)": today,
        "today + rare anchors shared": today | anc,
        "today + head/lead concepts shared": today | hl,
        "today + rare anchors + head/lead concepts": today | anc | hl,
        "LSH + rare anchors + head/lead concepts (no today's rare blocking)": lsh | anc | hl,
        "LSH + head/lead concepts": lsh | hl,
    }


def main():
    final = "--final" in sys.argv
    g = Gold("dev-en-id.jsonl", seeds=True)
    docs = load_docs("enid")
    keep = {i for i in docs if final or not g.set_aside(i)}
    docs = {i: d for i, d in docs.items() if i in keep}
    cands = [c for c in load_cands("enid") if c["a"] in keep and c["b"] in keep]
    gold = {p for p in g.gold if p[0] in keep and p[1] in keep}
    n = len(docs)
    allp = n * (n - 1) // 2
    print(f"documents {n}, pairs {allp}, gold pairs {len(gold)}" + (" (incl. set-aside)" if final else " (set-aside excluded)"))
    print("| candidate source | gold held | share of all pairs | candidates |")
    print("|---|---|---|---|")
    for name, s in variants(docs, cands).items():
        print(f"| {name} | {len(s & gold)/len(gold):.4f} ({len(s & gold)}/{len(gold)}) | {100*len(s)/allp:.2f}% | {len(s)} |")
    if "--sweep" in sys.argv:
        today = {tuple(sorted((c["a"], c["b"]))) for c in cands}
        df = df_table(docs)
        for k, m in [(10, 1), (20, 1), (28, 2), (50, 2), (64, 2), (64, 3), (100, 2), (100, 3)]:
            anc = shared_count_pairs(docs, rare_anchors, df, k, m)
            hl = shared_count_pairs(docs, head_lead, df, k, m)
            for nm, s in (("anchors", today | anc), ("headlead", today | hl), ("both", today | anc | hl)):
                print(f"sweep df<={k} shared>={m} {nm}: held {len(s & gold)/len(gold):.4f} share {100*len(s)/allp:.2f}%")


if __name__ == "__main__":
    main()
