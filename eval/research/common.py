"""Shared loading for the issue-10 research prototype.

Features come ONLY from `out/*.docs.jsonl` (made by `examples/pairdump.rs` from id/title/text).
The gold pools are read here for labels, groups and the set-aside rule, never for features.
"""
import json, math, itertools, collections, os

EVAL = os.environ.get("LINTAS_EVAL", "/work/shared/eval")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")

# Decided before any modelling (issue 10): never fitted on, never read in error analysis.
SET_ASIDE_ECB_TOPICS = {5, 18}
SET_ASIDE_INDEP_TOPICS = {"kashmir"}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def meta(d, k):
    return (d.get("meta") or {}).get(k)


class Gold:
    """Labels and groups of one pool (seeds appended as their own event)."""

    def __init__(self, pool, seeds=False):
        self.rows = {str(d["id"]): d for d in read_jsonl(os.path.join(EVAL, pool))}
        if seeds:
            for k in (0, 1):
                self.rows[f"seed:{k}"] = {"id": f"seed:{k}", "lang": ["en", "id"][k], "event": "seed",
                                          "source": "seed", "meta": {}}
        by_event = collections.defaultdict(list)
        for i, d in self.rows.items():
            by_event[d["event"]].append(i)
        self.gold = set()
        for ids in by_event.values():
            self.gold.update(itertools.combinations(sorted(ids), 2))
        self.ignore = set()
        for i, d in self.rows.items():
            for o in meta(d, "near_duplicates") or []:
                if str(o) in self.rows:
                    self.ignore.add(tuple(sorted((i, str(o)))))

    def lang(self, i):
        return self.rows[i]["lang"]

    def label(self, a, b):
        """1 same event, 0 different, None unscored (near duplicate / inside an unlabelled group)."""
        p = tuple(sorted((a, b)))
        if p in self.gold:
            return 1
        if p in self.ignore:
            return None
        ga, gb = meta(self.rows[a], "unlabeled_group"), meta(self.rows[b], "unlabeled_group")
        if ga is not None and ga == gb:
            return None
        return 0

    def independent(self, a, b):
        art = lambda i: meta(self.rows[i], "article") or i
        return art(a) != art(b)

    def group(self, i):
        """The cross-validation group of a document: ECB+ topic, TICO-19 source document,
        dev-independent topic, CLICK-ID distractor article (each its own group; its near
        duplicates join it), the seed pair."""
        d = self.rows[i]
        src = d.get("source")
        if src == "ecbplus":
            return f"ecb:{meta(d, 'topic')}"
        if src == "tico19":
            return f"tico:{meta(d, 'tico_doc')}"
        if meta(d, "topic") is not None:  # dev-independent
            return f"indep:{meta(d, 'topic')}"
        if src == "seed":
            return "seed"
        nd = sorted([i] + [str(o) for o in (meta(d, "near_duplicates") or [])])
        return f"click:{nd[0]}"

    def set_aside(self, i):
        d = self.rows[i]
        if d.get("source") == "ecbplus" and meta(d, "topic") in SET_ASIDE_ECB_TOPICS:
            return True
        if d.get("source") != "ecbplus" and meta(d, "topic") in SET_ASIDE_INDEP_TOPICS:
            return True
        return False


def load_docs(name):
    """Per-document views from the dump: {id: {"lang", "words", "views": {v: {(kind,label): count}}}}."""
    docs = {}
    for d in read_jsonl(os.path.join(OUT, f"{name}.docs.jsonl")):
        d["views"] = {v: {(k, l): c for k, l, c in fs} for v, fs in d["views"].items()}
        docs[d["id"]] = d
    return docs


def load_cands(name):
    return read_jsonl(os.path.join(OUT, f"{name}.cands.jsonl"))
