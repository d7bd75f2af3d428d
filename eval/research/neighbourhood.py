"""Story-relative rarity (tried): a shared feature that most of the pair's neighbourhood also
holds is the *story's* evidence, not the event's. Adds `nb_jac`, `nb_con` to out/pairs.*.jsonl.

Neighbourhood of a pair (a, b): a, b and the NB strongest candidates (by `jac`) of each.
nb_idf(f) = ln((|Nb| + 1) / df_Nb(f)), kind-weighted like the global weights.
"""
import json, os, math, collections
from common import load_docs, OUT, read_jsonl
from features import KIND_W

NB = 15

for name in ("enid", "indep"):
    docs = load_docs(name)
    W = {i: set(d["views"]["whole"]) for i, d in docs.items()}
    path = os.path.join(OUT, f"pairs.{name}.jsonl")
    rows = read_jsonl(path)
    nbrs = collections.defaultdict(list)
    for r in rows:
        nbrs[r["a"]].append((r["f"]["jac"], r["b"]))
        nbrs[r["b"]].append((r["f"]["jac"], r["a"]))
    top = {i: [j for _, j in sorted(v, reverse=True)[:NB]] for i, v in nbrs.items()}
    with open(path, "w") as w:
        for r in rows:
            a, b = r["a"], r["b"]
            nb = set(top[a]) | set(top[b]) | {a, b}
            n = len(nb)
            def nw(f):
                dfn = sum(1 for j in nb if f in W[j])
                return math.log((n + 1) / max(dfn, 1)) * KIND_W[f[0]]
            cache = {}
            def ww(f):
                if f not in cache:
                    cache[f] = nw(f)
                return cache[f]
            inter = sum(ww(f) for f in W[a] & W[b])
            sa, sb = sum(ww(f) for f in W[a]), sum(ww(f) for f in W[b])
            r["f"]["nb_jac"] = inter / (sa + sb - inter) if sa + sb - inter > 0 else 0.0
            r["f"]["nb_con"] = inter / min(sa, sb) if min(sa, sb) > 0 else 0.0
            w.write(json.dumps(r) + "\n")
    print(name, "done")
