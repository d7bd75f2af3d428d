#!/usr/bin/env python3
"""The candidate join of `dedup --parquet DIR`, in DuckDB's built-in SQL, checked against
lintas' own candidate stage.

    pip install duckdb
    cargo run --release -p lintas-examples --features parquet --example dedup -- \
        --input corpus.jsonl --output pairs.jsonl --parquet run --candidates-out candidates.jsonl
    python3 examples/parquet_join.py run candidates.jsonl

Self-joins run/keys.parquet on (source, key) with a.ord < b.ord, counts the shared keys per
source (source >= 0: an LSH band, -1: a rare feature, -2: a headline/lead feature), keeps
the pairs the candidate rule accepts (any band, or at least lintas.min_shared_rare rare
keys, or at least lintas.min_shared_lead lead keys, read from the file's key-value
metadata), and exits 1 unless they are exactly the pairs of candidates.jsonl
(`Corpus::candidate_pairs`). No lintas code runs here.

With --old OLD_DIR it also shows the join of an old run against this one ("today's batch
against last month's"): candidate pairs (old id, new id) between the two keys files, after
checking that the two runs' sketch settings agree. See `lintas::parquet` for what that join
does and does not guarantee.
"""
import argparse
import json
import sys
import time

import duckdb

FORMAT_VERSION = "1"

# The settings two runs must share for their band keys to be comparable.
SKETCH = ["lintas.format_version", "lintas.hash_scheme", "lintas.num_hashes", "lintas.seed",
          "lintas.weighted_sketch", "lintas.bands", "lintas.rows"]

CANDIDATES_SQL = """
WITH meta AS (
  SELECT max(CASE WHEN decode(key) = 'lintas.min_shared_rare' THEN decode(value)::INT END) AS min_rare,
         max(CASE WHEN decode(key) = 'lintas.min_shared_lead' THEN decode(value)::INT END) AS min_lead
  FROM parquet_kv_metadata($keys)),
k AS (SELECT source, key, id, ord FROM read_parquet($keys)),
shared AS (
  SELECT x.id AS a, y.id AS b,
         count(*) FILTER (WHERE x.source >= 0) AS bands,
         count(*) FILTER (WHERE x.source = -1) AS rare,
         count(*) FILTER (WHERE x.source = -2) AS lead
  FROM k x JOIN k y ON x.source = y.source AND x.key = y.key AND x.ord < y.ord
  GROUP BY x.id, y.id)
SELECT a, b FROM shared, meta
WHERE bands > 0 OR (min_rare > 0 AND rare >= min_rare) OR (min_lead > 0 AND lead >= min_lead)
"""

# An old run's keys against a new run's: the same rule, each side's keys as that run wrote
# them (rare and lead keys read each run's own frequencies). The minimums are the new run's.
OLD_NEW_SQL = """
WITH meta AS (
  SELECT max(CASE WHEN decode(key) = 'lintas.min_shared_rare' THEN decode(value)::INT END) AS min_rare,
         max(CASE WHEN decode(key) = 'lintas.min_shared_lead' THEN decode(value)::INT END) AS min_lead
  FROM parquet_kv_metadata($new)),
shared AS (
  SELECT o.id AS old_id, n.id AS new_id,
         count(*) FILTER (WHERE o.source >= 0) AS bands,
         count(*) FILTER (WHERE o.source = -1) AS rare,
         count(*) FILTER (WHERE o.source = -2) AS lead
  FROM read_parquet($old) o JOIN read_parquet($new) n ON o.source = n.source AND o.key = n.key
  GROUP BY o.id, n.id)
SELECT old_id, new_id, bands, rare, lead FROM shared, meta
WHERE bands > 0 OR (min_rare > 0 AND rare >= min_rare) OR (min_lead > 0 AND lead >= min_lead)
ORDER BY old_id, new_id
"""


def metadata(con, path):
    rows = con.execute(
        "SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [path]).fetchall()
    return {k: v for k, v in rows if k.startswith("lintas.")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", help="the directory dedup --parquet wrote")
    ap.add_argument("candidates", help="the file dedup --candidates-out wrote")
    ap.add_argument("--old", help="an older run's --parquet directory to join against")
    args = ap.parse_args()
    con = duckdb.connect()
    keys = f"{args.dir}/keys.parquet"
    meta = metadata(con, keys)
    if meta.get("lintas.format") != "lintas-parquet" or meta.get("lintas.format_version") != FORMAT_VERSION:
        sys.exit(f"{keys}: not lintas-parquet format version {FORMAT_VERSION}: {meta}")
    for f in ["signatures", "pairs"]:
        m = metadata(con, f"{args.dir}/{f}.parquet")
        if m.get("lintas.file") != f or any(m.get(k) != meta.get(k) for k in SKETCH):
            sys.exit(f"{args.dir}/{f}.parquet: settings differ from keys.parquet")
    n_docs, n_reps = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE representative) FROM read_parquet(?)",
        [f"{args.dir}/signatures.parquet"]).fetchone()
    n_keys = con.execute("SELECT count(*) FROM read_parquet(?)", [keys]).fetchone()[0]
    t = time.time()
    got = set(con.execute(CANDIDATES_SQL, {"keys": keys}).fetchall())
    secs = time.time() - t
    want = set()
    with open(args.candidates, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                want.add((p["a"], p["b"]))
    print(f"{args.dir}: {n_docs} documents ({n_reps} representatives), {n_keys} keys "
          f"(min_shared_rare {meta['lintas.min_shared_rare']}, min_shared_lead "
          f"{meta['lintas.min_shared_lead']}, rare cap {meta['lintas.rare_cap']}, lead cap "
          f"{meta['lintas.lead_cap']}); DuckDB join: {len(got)} candidate pairs in {secs:.2f} s; "
          f"lintas: {len(want)}")
    missing, extra = sorted(want - got), sorted(got - want)
    if missing or extra:
        print(f"MISMATCH: {len(missing)} missing (first {missing[:5]}), {len(extra)} extra (first {extra[:5]})")
        sys.exit(1)
    if not want:
        sys.exit("no candidate pair to compare: the check proves nothing")
    print("same candidate pairs: ok")
    if args.old:
        old = f"{args.old}/keys.parquet"
        om = metadata(con, old)
        differ = [k for k in SKETCH if om.get(k) != meta.get(k)]
        if differ:
            sys.exit(f"{old} and {keys} differ in {differ}: their band keys are not comparable")
        rows = con.execute(OLD_NEW_SQL, {"old": old, "new": keys}).fetchall()
        same_id = sum(1 for r in rows if r[0] == r[1])
        print(f"old run {args.old} against {args.dir}: {len(rows)} candidate pairs "
              f"({same_id} of an id with itself: ids repeated across the runs)")


if __name__ == "__main__":
    main()
