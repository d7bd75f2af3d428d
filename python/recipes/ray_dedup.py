"""dedup's pairs with Ray Data: the lintas engine recipe, the shuffles done by Ray.

    python python/recipes/ray_dedup.py --input corpus.jsonl --output pairs.jsonl

Writes the same pairs, with the same scores, as
``dedup --input corpus.jsonl --output pairs.jsonl`` (``python/parity.py`` checks it).
Needs ``pip install lintas "ray[data]" "pandas<3" pyarrow``. Runs Ray locally
(``ray.init()``); with ``--address auto`` it joins a running cluster, whose workers need the
same lintas wheel installed.

The steps (see ``lintas.recipe`` for the shared parts):

1. the driver reads the JSONL as dedup does (``recipe.read_pool``) → a Dataset;
2. ``map_batches``: fingerprints and copy keys (``Engine.fingerprints``);
3. the driver picks copy-group representatives from ``(ord, copy_key)`` (16 bytes a
   document); ``map_batches`` builds partial frequencies over representatives, the driver
   merges them and broadcasts the bytes (decoded once per worker process);
4. ``map_batches``: key rows ``(ord, source, key)``; **``repartition(n, keys=["source",
   "key"])`` and one pandas self-merge per block** (``recipe.count_shared``; not
   ``groupby().map_groups()``, one Python call per tiny bucket, ~11× slower); then
   ``repartition(n, keys=["a", "b"])`` to add the counts up per pair and keep candidates;
5. two hash joins done the same way (repartition by the ord + a pandas merge per block)
   bring the two fingerprints to each candidate, verified in the second one's block;
6. the driver expands flagged pairs of representatives to every member pair, adds the
   groups' own pairs and writes dedup's JSONL.
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


# A hash join without Dataset.join (which needs polars): pair rows and fingerprint rows share
# one schema (k, a, b, fp_a, fp) — pair rows have fp empty, fingerprint rows a = b = -1 and
# fp_a empty (empty bytes, not nulls: every block then has the same Arrow types) — are
# repartitioned by k and merged per block.


def _pair_rows(batch: pd.DataFrame, on: str) -> pd.DataFrame:
    n = len(batch)
    return pd.DataFrame(
        {
            "k": batch[on].to_numpy(np.int64),
            "a": batch["a"].to_numpy(np.int64),
            "b": batch["b"].to_numpy(np.int64),
            "fp_a": list(batch["fp_a"]) if "fp_a" in batch else [b""] * n,
            "fp": [b""] * n,
        }
    )


def _fp_rows(batch: pd.DataFrame) -> pd.DataFrame:
    n = len(batch)
    minus = np.full(n, -1, dtype=np.int64)
    return pd.DataFrame(
        {"k": batch["ord"].to_numpy(np.int64), "a": minus, "b": minus, "fp_a": [b""] * n,
         "fp": list(batch["fp"])}
    )


def _joined(block: pd.DataFrame) -> pd.DataFrame:
    pairs = block[block["a"] >= 0][["k", "a", "b", "fp_a"]]
    fps = block[block["a"] < 0][["k", "fp"]]
    return pairs.merge(fps, on="k")


def _attach_a(block: pd.DataFrame) -> pd.DataFrame:
    j = _joined(block)
    return pd.DataFrame({"a": j["a"], "b": j["b"], "fp_a": j["fp"]})


def _verify(block: pd.DataFrame, verifier: str, freq: bytes) -> pd.DataFrame:
    j = _joined(block)
    engine = recipe.cached_engine(verifier)
    ms = engine.verify(list(j["fp_a"]), list(j["fp"]), recipe.cached_frequencies(freq), threads=1)
    return recipe.verified(ms, j["a"], j["b"])


def _own(batch: pd.DataFrame, verifier: str, freq: bytes, reps: frozenset) -> pd.DataFrame:
    b = batch[batch["ord"].isin(reps)]
    engine = recipe.cached_engine(verifier)
    return recipe.own_pairs(
        engine, b["ord"].tolist(), list(b["fp"]), recipe.cached_frequencies(freq)
    )


def _join_fp(ray: Any, pairs: Any, fps: Any, on: str, n: int, reduce: Any, **kw: Any) -> Any:
    left = pairs.map_batches(_pair_rows, fn_kwargs={"on": on}, batch_format="pandas")
    right = fps.map_batches(_fp_rows, batch_format="pandas")
    return (
        left.union(right)
        .repartition(n, keys=["k"])
        .map_batches(reduce, fn_kwargs=kw, batch_size=None, batch_format="pandas")
    )


def run(
    input: str,
    output: str,
    *,
    verifier: str = "overlap",
    partitions: int = 4,
    address: str | None = None,
    num_cpus: int | None = None,
    quiet: bool = False,
) -> pd.DataFrame:
    """The recipe; returns the pairs written (rows ``a_ord, b_ord, a, b, score, line``)."""
    import ray

    def say(msg: str) -> None:
        if not quiet:
            print(f"ray_dedup: {msg}", file=sys.stderr)

    t0 = time.perf_counter()
    if not ray.is_initialized():
        ray.init(
            address=address,
            num_cpus=num_cpus,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    cols = recipe.read_pool(input)
    n_docs = len(cols["id"])
    n = max(1, partitions)
    # 1–2. the documents, fingerprints and copy keys.
    docs = ray.data.from_pandas(pd.DataFrame(cols)).repartition(n)
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
    # 5. the two fingerprints of each candidate (two hash joins), verified.
    with_a = _join_fp(ray, cand, rep_fps, "a", n, _attach_a)
    flagged = _join_fp(
        ray, with_a, rep_fps, "b", n, _verify, verifier=verifier, freq=blob
    ).to_pandas()
    own = rep_fps.map_batches(
        _own,
        fn_kwargs={"verifier": verifier, "freq": blob, "reps": frozenset(members)},
        batch_format="pandas",
    ).to_pandas()
    # 6. member pairs, written as dedup writes them.
    pairs = recipe.expand(flagged, own, members, cols["id"])
    recipe.write_pairs(output, pairs)
    say(f"{len(pairs)} pairs written to {output}, {time.perf_counter() - t0:.1f} s")
    return pairs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="JSONL, one document a line (as dedup)")
    p.add_argument("--output", required=True, help="pairs JSONL (as dedup --output)")
    p.add_argument("--verifier", choices=["overlap", "event"], default="overlap")
    p.add_argument("--partitions", type=int, default=4, help="blocks of each shuffle")
    p.add_argument("--address", default=None, help="a Ray cluster (default: start one)")
    p.add_argument("--num-cpus", type=int, default=None, help="CPUs of a local Ray")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    run(
        a.input,
        a.output,
        verifier=a.verifier,
        partitions=a.partitions,
        address=a.address,
        num_cpus=a.num_cpus,
        quiet=a.quiet,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
