"""Python package vs the Rust library on the same texts and thread count.

Text batch -> signatures (analysis + MinHash, 128 hashes), precomputed signatures -> band
keys (32 x 4), and engine fingerprints -> candidate key rows (``Engine.keys``: band, rare and
headline/lead rows with the pool's frequencies), best of REPS runs after one warm-up each, against eval's `signbench` binary (the
library called directly from Rust with rayon). Checks that both computed the same values.

    python python/bench.py [POOL.jsonl] [--threads N] [--reps N]

POOL defaults to ../shared/eval/dev-en-id.jsonl (read at run time, never stored here). Run from
the repository root with the wheel installed in the current Python.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

import lintas


def best(reps, f):
    out = f()  # warm-up (fills the analyser's word cache, as in the Rust run)
    t_best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best, out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pool", nargs="?", default=os.path.join(root, "..", "shared", "eval", "dev-en-id.jsonl"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--band-copies", type=int, default=50,
                    help="band keys are timed on this many copies of the signatures (a batch "
                         "long enough to time steadily)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternate Python and Rust runs this many times; keep each side's best "
                         "(other work on a shared machine inflates whichever runs alongside it)")
    args = ap.parse_args()

    with open(args.pool, encoding="utf-8") as f:
        texts = [json.loads(line).get("text") or "" for line in f if line.strip()]

    cmd = ["cargo", "run", "--release", "--quiet", "-p", "lintas-eval", "--bin", "signbench", "--",
           args.pool, "--threads", str(args.threads), "--reps", str(args.reps),
           "--band-copies", str(args.band_copies)]
    sign_t = band_t = keys_t = float("inf")
    rust = None
    engine = lintas.Engine()
    fps = engine.fingerprints([str(i) for i in range(len(texts))], [None] * len(texts), texts,
                              threads=args.threads)
    freq = lintas.Frequencies.build(fps)
    many_fps = fps * args.band_copies
    for _ in range(args.rounds):
        t, sigs = best(args.reps, lambda: lintas.signatures(texts, threads=args.threads))
        sign_t = min(sign_t, t)
        many = np.tile(sigs, (args.band_copies, 1))
        t, keys = best(args.reps, lambda: lintas.band_keys(many, threads=args.threads))
        band_t = min(band_t, t)
        keys = keys[: len(sigs)]
        t, rows = best(args.reps, lambda: engine.keys(many_fps, freq, threads=args.threads))
        keys_t = min(keys_t, t)
        r = json.loads(subprocess.run(cmd, cwd=root, check=True, capture_output=True, text=True).stdout)
        if rust is None:
            rust = r
        rust["sign_s"] = min(rust["sign_s"], r["sign_s"])
        rust["band_s"] = min(rust["band_s"], r["band_s"])
        rust["keys_s"] = min(rust["keys_s"], r["keys_s"])

    nonempty = ~(sigs == 0xFFFFFFFF).all(axis=1)
    sig_sum = int(sigs[nonempty].astype(np.uint64).sum(dtype=np.uint64))
    key_sum = int(keys[nonempty].view(np.uint64).sum(dtype=np.uint64))
    first = rows[0] < len(fps)
    engine_rows = int(first.sum())
    engine_sum = (
        int(rows[2][first].view(np.uint64).sum(dtype=np.uint64))
        + int(rows[1][first].astype(np.int64).view(np.uint64).sum(dtype=np.uint64))
    ) % (1 << 64)
    same = (
        rust["docs"] == len(texts)
        and rust["engine_rows"] == engine_rows
        and rust["engine_sum"] == engine_sum
        and rust["sig_sum"] == sig_sum
        and rust["key_sum"] == key_sum
        and rust["empty"] == int((~nonempty).sum())
    )
    print(f"{len(texts)} documents from {os.path.basename(args.pool)}, {args.threads} threads, best of {args.rounds} rounds x {args.reps}")
    print(f"text -> signatures: python {sign_t * 1e3:8.1f} ms   rust {rust['sign_s'] * 1e3:8.1f} ms   ratio {sign_t / rust['sign_s']:.3f}")
    print(f"signatures -> keys ({args.band_copies} x {len(texts)} rows): python {band_t * 1e3:8.2f} ms   rust {rust['band_s'] * 1e3:8.2f} ms   ratio {band_t / rust['band_s']:.3f}")
    print(f"fingerprints -> engine key rows ({args.band_copies} x {len(texts)} documents, {engine_rows} rows each): python {keys_t * 1e3:8.2f} ms   rust {rust['keys_s'] * 1e3:8.2f} ms   ratio {keys_t / rust['keys_s']:.3f}")
    print(f"same signatures, band keys and engine keys as the Rust library: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
