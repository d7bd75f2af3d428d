"""Pair features for the event-level verifier (issue 10). Everything here is computed from the
dumped per-document views (id/title/text only) and the pool's own document frequencies.

Rarity (defined once):
    idf(f) = ln((N + N0) / (df(f) + N0 * PI))
with N documents in the pool, df(f) documents whose whole view holds f, and a prior of N0 = 100
background documents in which every feature is assumed to occur at rate PI = 0.01 (one
background document). A two-document corpus then weighs all features about alike (df 1:
ln(102/2) = 3.93; df 2: ln(102/3) = 3.53) instead of by meaningless rarity; a 1,400-document
pool keeps the usual spread (df 1: 6.6, df 700: 0.76).
Kind weights (as today): anchor x2, concept/local/pair x1.  w(f) = idf(f) * kind weight.
A feature is *specific* when idf(f) >= TAU = 3.0: always in a tiny corpus, df <= ~5% of a large
one (df <= 6 of 49 documents, <= 73 of 1,402).
"""
import math, collections

N0, PI, TAU = 100.0, 0.01, 3.0
KIND_W = {"anchor": 2.0, "concept": 1.0, "local": 1.0, "pair": 1.0}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


class Pool:
    def __init__(self, docs):
        self.docs = docs
        self.n = len(docs)
        self.df = collections.Counter()
        self.pdf = collections.Counter()
        self._w = {}
        for d in docs.values():
            self.df.update(d["views"]["whole"].keys())
            self.pdf.update(d["views"]["pairs"].keys())
        # per-document derived sets
        for d in docs.values():
            v = d["views"]
            d["W"] = set(v["whole"])
            d["H"] = set(v["head"])
            d["L"] = set(v["lead"])
            d["HL"] = d["H"] | d["L"]
            d["P"] = set(v["pairs"])

    def idf(self, f, df=None):
        df = (df or self.df).get(f, 0)
        return math.log((self.n + N0) / (df + N0 * PI))

    def w(self, f):
        x = self._w.get(f)
        if x is None:
            x = self._w[f] = self.idf(f) * KIND_W[f[0]]
        return x

    def wsum(self, s):
        return sum(self.w(f) for f in s)

    def spec(self, s):
        return {f for f in s if self.idf(f) >= TAU}


def anchors(s, prefix):
    return {f for f in s if f[0] == "anchor" and f[1].startswith(prefix)}


def figures(s):
    """Figures by kind: amounts by currency, percentages, plain numbers (>= 10: small counts are
    generic), scores/ranges (code:)."""
    out = collections.defaultdict(set)
    for k, l in s:
        if k != "anchor":
            continue
        if l.startswith("amt:"):
            out["amt:" + l.split(":")[1]].add(l)
        elif l.startswith("pct:"):
            out["pct"].add(l)
        elif l.startswith("num:"):
            try:
                if float(l[4:]) >= 10:
                    out["num"].add(l)
            except ValueError:
                pass
    return out


def names(s):
    return {f for f in s if f[0] == "anchor" and f[1].split(":")[0] in ("name", "ent", "acr")}


def today_score(pool, a, b, cross):
    """lintas 0.1's decision score, re-implemented (weights ln(1 + N/df) x kind weight)."""
    A, B = a["W"], b["W"]
    wt = lambda f: math.log(1 + pool.n / max(pool.df.get(f, 1), 1)) * KIND_W[f[0]]
    wa, wb = sum(map(wt, A)), sum(map(wt, B))
    inter = sum(wt(f) for f in A & B)
    if not wa or not wb:
        return 0.0
    jac = inter / (wa + wb - inter)
    small = min(wa, wb)
    score = jac
    if max(wa, wb) / small >= 3.0:
        score = max(score, 0.4 * inter / small)
    dis = lambda x, y: x and y and not (x & y)
    if dis(anchors(A, "date:"), anchors(B, "date:")) or dis(anchors(A, "year:"), anchors(B, "year:")):
        score *= 0.85
    na = {f for f in A if f[0] == "anchor" and f[1].split(":")[0] in ("num", "amt", "pct")}
    nb = {f for f in B if f[0] == "anchor" and f[1].split(":")[0] in ("num", "amt", "pct")}
    if len(na) >= 3 and len(nb) >= 3 and not (na & nb):
        score *= 0.7
    thr = 0.17 if cross else 0.14
    return score, thr


def pair_features(pool, ia, ib):
    a, b = pool.docs[ia], pool.docs[ib]
    W = pool.w
    cross = a["lang"] is not None and b["lang"] is not None and a["lang"] != b["lang"]
    f = {}
    # whole-document overlap, with the prior-smoothed rarity
    inter = a["W"] & b["W"]
    wi, wa, wb = pool.wsum(inter), pool.wsum(a["W"]), pool.wsum(b["W"])
    f["jac"] = wi / (wa + wb - wi) if wa + wb - wi else 0.0
    f["con"] = wi / min(wa, wb) if min(wa, wb) else 0.0
    ts, thr = today_score(pool, a, b, cross)
    f["today"] = ts
    f["today_over"] = ts / thr
    # position: lead-to-lead, head-to-lead, head-to-head, head found anywhere
    li = pool.wsum(a["L"] & b["L"])
    la, lb = pool.wsum(a["L"]), pool.wsum(b["L"])
    f["lead_lead"] = li / min(la, lb) if min(la, lb) else 0.0
    f["lead_jac"] = li / (la + lb - li) if la + lb - li else 0.0
    def frac(x, y):
        wx = pool.wsum(x)
        return pool.wsum(x & y) / wx if wx else 0.0
    f["head_lead"] = max(frac(a["H"], b["HL"]), frac(b["H"], a["HL"]))
    f["head_head"] = (lambda i, u: i / u if u else 0.0)(pool.wsum(a["H"] & b["H"]), pool.wsum(a["H"] | b["H"]))
    f["head_lead_spec"] = max(frac(pool.spec(a["H"]), b["HL"]), frac(pool.spec(b["H"]), a["HL"]))
    f["head_whole"] = max(frac(a["H"], b["W"]), frac(b["H"], a["W"]))
    # specific (rare) evidence
    sa, sb = pool.spec(a["W"]), pool.spec(b["W"])
    short, long_ = (a, b) if a["words"] <= b["words"] else (b, a)
    ss = pool.spec(short["W"])
    f["spec_cov"] = frac(ss, long_["W"])
    f["spec_cov_lead"] = frac(ss, long_["HL"])
    f["spec_jac"] = (lambda i, u: i / u if u else 0.0)(pool.wsum(sa & sb), pool.wsum(sa | sb))
    shared_spec_anchors = {x for x in sa & sb if x[0] == "anchor"}
    f["spec_anchor_n"] = math.log1p(len(shared_spec_anchors))
    f["spec_anchor_w"] = math.log1p(pool.wsum(shared_spec_anchors))
    f["spec_hl_n"] = math.log1p(len(pool.spec(a["HL"]) & pool.spec(b["HL"])))
    # conflicts (evidence against)
    dis = lambda x, y: 1.0 if (x and y and not (x & y)) else 0.0
    f["date_conf"] = dis(anchors(a["W"], "date:"), anchors(b["W"], "date:"))
    f["year_conf"] = dis(anchors(a["W"], "year:"), anchors(b["W"], "year:"))
    f["lead_date_conf"] = 1.0 if (anchors(a["HL"], "date:") and anchors(b["HL"], "date:")
                                 and not (anchors(a["HL"], "date:") & anchors(b["W"], "date:"))
                                 and not (anchors(b["HL"], "date:") & anchors(a["W"], "date:"))) else 0.0
    wd = lambda s: {x for x in s if x[0] == "concept" and x[1] in WEEKDAYS}
    f["weekday_conf"] = 1.0 if (wd(a["HL"]) and wd(b["HL"]) and not (wd(a["HL"]) & wd(b["W"]))
                                and not (wd(b["HL"]) & wd(a["W"]))) else 0.0
    ya, yb = anchors(a["HL"], "year:"), anchors(b["HL"], "year:")
    f["lead_year_conf"] = 1.0 if (ya and yb and not (ya & b["W"]) and not (yb & a["W"])) else 0.0
    # specific anchors of one lead (names, figures, dates) that the other document lacks
    def miss(x, y):
        s = {q for q in pool.spec(x["HL"]) if q[0] == "anchor"}
        return pool.wsum(s - y["W"]) / pool.wsum(s) if s else 0.0
    f["miss_short"] = miss(short, long_)
    f["miss_long"] = miss(long_, short)
    fa, fb = figures(a["HL"]), figures(b["HL"])
    fwa, fwb = figures(a["W"]), figures(b["W"])
    f["fig_conf"] = float(sum(1 for k in fa.keys() & fb.keys()
                              if not (fa[k] & fwb.get(k, set())) and not (fb[k] & fwa.get(k, set()))))
    f["fig_agree"] = float(sum(1 for k in fa.keys() & fb.keys() if fa[k] & fb[k]))
    na, nb = names(a["H"]), names(b["H"])
    f["head_name_conf"] = 1.0 if (na and nb and not (na & b["W"]) and not (nb & a["W"])) else 0.0
    # shape
    f["len_ratio"] = math.log(max(a["words"], b["words"], 1) / max(min(a["words"], b["words"]), 1))
    f["short_words"] = math.log1p(min(a["words"], b["words"]))
    f["cross"] = 1.0 if cross else 0.0
    # order-free concept pairs (window 3), rarity from the pair table
    pi = a["P"] & b["P"]
    wp = lambda s: sum(pool.idf(x, pool.pdf) for x in s)
    pu = wp(a["P"] | b["P"])
    f["pairs_jac"] = wp(pi) / pu if pu else 0.0
    return f
