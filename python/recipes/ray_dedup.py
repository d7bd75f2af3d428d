"""dedup's pairs with Ray Data: the lintas engine recipe, the shuffles done by Ray.

    python python/recipes/ray_dedup.py --input corpus.jsonl --output pairs.jsonl \
        [--date-field NAME [--max-days N|none]]

Writes the same pairs, with the same scores, as
``dedup --input corpus.jsonl --output pairs.jsonl`` (``python/parity.py`` checks it), and
with ``--date-field`` as ``dedup --date-field``: pairs published more than ``--max-days``
(3) days apart are left out.
Needs ``pip install lintas "ray[data]" "pandas<3" pyarrow``. Runs Ray locally
(``ray.init()``); with ``--address auto`` it joins a running cluster, whose workers need the
same lintas wheel installed.

The steps (see ``lintas.recipe`` for the shared parts):

1. the driver reads the JSONL (or Parquet) as dedup does (``recipe.read_pool``) → a Dataset;
2. ``map_batches``: fingerprints and copy keys (``Engine.fingerprints``);
3. the driver picks copy-group representatives from ``(ord, copy_key)`` (16 bytes a
   document); ``map_batches`` builds partial frequencies over representatives, the driver
   merges them and broadcasts the bytes (decoded once per worker process);
4. ``map_batches``: key rows ``(ord, source, key)``; **``repartition(n, keys=["source",
   "key"])`` and one pandas self-merge per block** (``recipe.count_shared``; not
   ``groupby().map_groups()``, one Python call per tiny bucket, ~11× slower); then
   ``repartition(n, keys=["a", "b"])`` to add the counts up per pair and keep candidates;
5. each candidate pair gets a verification block; two hash joins done the same way
   (repartition by key + a pandas merge per block) bring each block the fingerprints its
   pairs name — once per block, not once per pair — and the block verifies its pairs;
6. the driver expands flagged pairs of representatives to every member pair, adds the
   groups' own pairs, leaves out pairs published too far apart (``recipe.within_days``,
   with ``--date-field``) and writes dedup's JSONL.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np
import pandas as pd

import lintas
from lintas import recipe

# --- map and reduce functions: module-level, state through lintas.recipe's per-process caches ---


def _fingerprint(batch: pd.DataFrame, verifier: str) -> pd.DataFrame:
    engine = recipe.cached_engine(verifier)
    titles = [t if isinstance(t, str) else None for t in batch["title"]]
    fps = engine.fingerprints(
        [str(i) for i in batch["id"]], titles, list(batch["text"]), threads=1
    )
    return pd.DataFrame(
        {
            "ord": batch["ord"].to_numpy(np.int64),
            "fp": fps,
            "copy_key": engine.copy_keys(fps, threads=1),
        }
    )


def _representatives_only(batch: pd.DataFrame, is_rep: np.ndarray) -> pd.DataFrame:
    return batch[is_rep[batch["ord"].to_numpy(np.int64)]][["ord", "fp"]]


def _partial_frequencies(batch: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"freq": [recipe.partial_frequencies(list(batch["fp"]))]})


def _keys(batch: pd.DataFrame, verifier: str, freq: bytes) -> pd.DataFrame:
    engine = recipe.cached_engine(verifier)
    f = recipe.cached_frequencies(freq)
    return recipe.key_rows(engine, batch["ord"].to_numpy(np.int64), list(batch["fp"]), f)


def _candidates(block: pd.DataFrame, verifier: str) -> pd.DataFrame:
    return recipe.candidates(recipe.cached_engine(verifier), recipe.sum_shared(block))[
        ["a", "b"]
    ]


# Verification needs both fingerprints of each candidate pair. Carrying them on every pair row
# would move ~4 KB twice per candidate (483k candidates on dev-multi); instead each pair gets a
# verification block `blk` (a hash of the pair), each block asks for the fingerprints of the
# documents its pairs name, and the fingerprints travel once per block that needs them. Both
# exchanges are hash joins without Dataset.join (which needs polars): rows of one schema
# (empty bytes, not nulls, so that every block has the same Arrow types) repartitioned by the
# join key and merged with pandas, one call per block.


def _with_block(batch: pd.DataFrame, n: int) -> pd.DataFrame:
    a = batch["a"].to_numpy(np.int64)
    b = batch["b"].to_numpy(np.int64)
    mixed = (a.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ b.astype(np.uint64)
    return pd.DataFrame({"a": a, "b": b, "blk": (mixed % np.uint64(n)).astype(np.int64)})


def _requests(batch: pd.DataFrame) -> pd.DataFrame:
    """Which block needs which document's fingerprint: rows (k, blk, fp empty)."""
    r = pd.concat(
        [
            pd.DataFrame({"k": batch["a"], "blk": batch["blk"]}),
            pd.DataFrame({"k": batch["b"], "blk": batch["blk"]}),
        ]
    ).drop_duplicates()
    return pd.DataFrame(
        {"k": r["k"].to_numpy(np.int64), "blk": r["blk"].to_numpy(np.int64), "fp": [b""] * len(r)}
    )


def _offers(batch: pd.DataFrame) -> pd.DataFrame:
    """Fingerprint rows (k, blk = -1, fp)."""
    n = len(batch)
    return pd.DataFrame(
        {"k": batch["ord"].to_numpy(np.int64), "blk": np.full(n, -1, np.int64), "fp": list(batch["fp"])}
    )


def _deliver(block: pd.DataFrame) -> pd.DataFrame:
    """The fingerprints each block asked for: rows (blk, a = -1, b = -1, ord, fp)."""
    asks = block[block["blk"] >= 0][["k", "blk"]].drop_duplicates()
    fps = block[block["blk"] < 0][["k", "fp"]]
    j = asks.merge(fps, on="k")
    minus = np.full(len(j), -1, np.int64)
    return pd.DataFrame(
        {"blk": j["blk"].to_numpy(np.int64), "a": minus, "b": minus,
         "ord": j["k"].to_numpy(np.int64), "fp": list(j["fp"])}
    )


def _pair_rows(batch: pd.DataFrame) -> pd.DataFrame:
    n = len(batch)
    return pd.DataFrame(
        {"blk": batch["blk"].to_numpy(np.int64), "a": batch["a"].to_numpy(np.int64),
         "b": batch["b"].to_numpy(np.int64), "ord": np.full(n, -1, np.int64), "fp": [b""] * n}
    )


def _verify(block: pd.DataFrame, verifier: str, freq: bytes) -> pd.DataFrame:
    pairs = block[block["a"] >= 0]
    fp_of = dict(zip(block["ord"][block["a"] < 0].tolist(), block["fp"][block["a"] < 0]))
    a, b = pairs["a"].tolist(), pairs["b"].tolist()
    engine = recipe.cached_engine(verifier)
    ms = engine.verify(
        [fp_of[x] for x in a], [fp_of[y] for y in b], recipe.cached_frequencies(freq), threads=1
    )
    return recipe.verified(ms, a, b)


def _own(batch: pd.DataFrame, verifier: str, freq: bytes, reps: frozenset) -> pd.DataFrame:
    b = batch[batch["ord"].isin(reps)]
    engine = recipe.cached_engine(verifier)
    return recipe.own_pairs(
        engine, b["ord"].tolist(), list(b["fp"]), recipe.cached_frequencies(freq)
    )


def init_ray(address: str | None = None, num_cpus: int | None = None) -> None:
    """``ray.init`` for the recipe: joins ``address``, or starts a local Ray that keeps its
    idle worker processes.

    Ray Data runs each keyed shuffle's map and reduce tasks in worker pools of their own
    (separate processes from the ``map_batches`` workers), and a local Ray keeps at most one
    idle worker a CPU: on 2 cores it killed and restarted workers (each importing Ray,
    pandas, pyarrow and lintas) at every shuffle, ~4 s each, 20 s of fixed cost per run even
    for 49 documents. Allowing four idle workers a CPU (three pools, and a margin) keeps them:
    dev-en-id went from 22–42 s to 4 s once the workers were up (python/parity.py runs every
    pool in one Ray)."""
    import os

    import ray

    kwargs: dict[str, Any] = {}
    if address is None:
        cpus = num_cpus or os.cpu_count() or 1
        kwargs["_system_config"] = {"num_workers_soft_limit": 4 * cpus}
    ray.init(
        address=address,
        num_cpus=num_cpus,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        **kwargs,
    )


def run(
    input: str,
    output: str,
    *,
    verifier: str = "combined",
    partitions: int = 4,
    address: str | None = None,
    num_cpus: int | None = None,
    quiet: bool = False,
    date_field: str | None = None,
    max_days: int | None = 3,
) -> pd.DataFrame:
    """The recipe; returns the pairs written (rows ``a_ord, b_ord, a, b, score, line``).
    ``date_field`` / ``max_days``: publication dates as ``dedup --date-field``
    (``recipe.read_pool``, ``recipe.within_days``)."""
    import ray

    def say(msg: str) -> None:
        if not quiet:
            print(f"ray_dedup: {msg}", file=sys.stderr)

    t0 = time.perf_counter()
    if not ray.is_initialized():
        init_ray(address, num_cpus)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    cols = recipe.read_pool(input, date_field=date_field)
    n_docs = len(cols["id"])
    n = max(1, partitions)
    # 1–2. the documents, fingerprints and copy keys (dates stay on the driver).
    text_cols = {k: cols[k] for k in ("ord", "id", "title", "text")}
    docs = ray.data.from_pandas(pd.DataFrame(text_cols)).repartition(n)
    fps = docs.map_batches(
        _fingerprint, fn_kwargs={"verifier": verifier}, batch_format="pandas"
    ).materialize()
    # 3. copy groups (on the driver: ord and copy key only), frequencies over representatives.
    ck = fps.select_columns(["ord", "copy_key"]).to_pandas()
    reps = recipe.representatives(ck["ord"], ck["copy_key"])
    ords = ck["ord"].to_numpy(np.int64)
    members = recipe.groups(ords, reps)
    is_rep = np.zeros(n_docs, dtype=bool)
    is_rep[ords[reps == ords]] = True
    rep_fps = fps.map_batches(
        _representatives_only, fn_kwargs={"is_rep": is_rep}, batch_format="pandas"
    ).materialize()
    freq = lintas.Frequencies()
    for blob in rep_fps.map_batches(_partial_frequencies, batch_format="pandas").to_pandas()[
        "freq"
    ]:
        freq.merge(lintas.Frequencies.from_bytes(blob))
    blob = freq.to_bytes()
    say(f"{n_docs} documents, {int(is_rep.sum())} representatives, {time.perf_counter() - t0:.1f} s")
    # 4. key rows; shuffle by (source, key): counts per pair; shuffle by (a, b): candidates.
    rows = rep_fps.map_batches(
        _keys, fn_kwargs={"verifier": verifier, "freq": blob}, batch_format="pandas"
    )
    parts = rows.repartition(n, keys=["source", "key"]).map_batches(
        recipe.count_shared, batch_size=None, batch_format="pandas"
    )
    cand = (
        parts.repartition(n, keys=["a", "b"])
        .map_batches(
            _candidates, fn_kwargs={"verifier": verifier}, batch_size=None, batch_format="pandas"
        )
        .materialize()
    )
    say(f"{cand.count()} candidate pairs of representatives, {time.perf_counter() - t0:.1f} s")
    # 5. verification blocks: each gets its pairs and the fingerprints they name (two joins).
    pairs = cand.map_batches(_with_block, fn_kwargs={"n": n}, batch_format="pandas")
    fp_rows = (
        pairs.map_batches(_requests, batch_format="pandas")
        .union(rep_fps.map_batches(_offers, batch_format="pandas"))
        .repartition(n, keys=["k"])
        .map_batches(_deliver, batch_size=None, batch_format="pandas")
    )
    flagged = (
        pairs.map_batches(_pair_rows, batch_format="pandas")
        .union(fp_rows)
        .repartition(n, keys=["blk"])
        .map_batches(
            _verify,
            fn_kwargs={"verifier": verifier, "freq": blob},
            batch_size=None,
            batch_format="pandas",
        )
        .to_pandas()
    )
    own = rep_fps.map_batches(
        _own,
        fn_kwargs={"verifier": verifier, "freq": blob, "reps": frozenset(members)},
        batch_format="pandas",
    ).to_pandas()
    # 6. member pairs, written as dedup writes them.
    pairs = recipe.expand(flagged, own, members, cols["id"])
    if date_field is not None:
        pairs = recipe.within_days(pairs, cols["published"], max_days)
    recipe.write_pairs(output, pairs)
    say(f"{len(pairs)} pairs written to {output}, {time.perf_counter() - t0:.1f} s")
    return pairs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="JSONL (gzip too) or Parquet, read as dedup reads it")
    p.add_argument("--output", required=True, help="pairs JSONL (as dedup --output)")
    p.add_argument("--verifier", choices=["combined", "overlap", "event"], default="combined")
    p.add_argument("--partitions", type=int, default=4, help="blocks of each shuffle")
    p.add_argument("--address", default=None, help="a Ray cluster (default: start one)")
    p.add_argument("--num-cpus", type=int, default=None, help="CPUs of a local Ray")
    p.add_argument(
        "--clusters",
        default=None,
        help="also write groups about one event (lintas' clusterer over the pairs written), "
        'one {"cluster": [ids]} line a group',
    )
    p.add_argument(
        "--date-field",
        default=None,
        help="read publication dates (YYYY-MM-DD…) from this field and leave out pairs "
        "published more than --max-days apart (as dedup --date-field)",
    )
    p.add_argument(
        "--max-days",
        default=None,
        help="with --date-field: days apart still reported (default 3; none: keep every pair)",
    )
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    try:
        date_field, max_days = recipe.date_options(a.date_field, a.max_days)
    except ValueError as e:
        p.error(str(e))
    run(
        a.input,
        a.output,
        verifier=a.verifier,
        partitions=a.partitions,
        address=a.address,
        num_cpus=a.num_cpus,
        quiet=a.quiet,
        date_field=date_field,
        max_days=max_days,
    )
    if a.clusters:
        from lintas.recipe import write_clusters

        write_clusters(a.output, a.clusters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
