"""Python package vs the Rust library on the same texts and thread count, runs interleaved.

Text batch -> signatures (analysis + MinHash, 128 hashes), precomputed signatures -> band
keys (32 x 4), and engine fingerprints -> candidate key rows (``Engine.keys``: band, rare and
headline/lead rows with the pool's frequencies), against eval's ``signbench`` binary (the
library called directly from Rust on a rayon pool of the same size). Checks that both computed
the same values.

    python python/bench.py [POOL.jsonl] [--threads N] [--runs N] [--band-copies N]

``signbench --serve`` stays up beside this process: after one warm-up call of each measure on
both sides (the analysers' word caches filled), every run times one Python call and then one
Rust call of each measure (the other order on odd runs), so both see the same load on a
shared machine. Reported for wall time and for CPU time (the process's, every thread: steadier
when other work preempts a thread): each side's median over the runs, and the median (and
range) of the runs' Python/Rust ratios. ``--fresh-texts`` gives every Python call new ``str`` objects (as a
pipeline's next batch is), so that CPython's cached UTF-8 form of non-ASCII text is not reused.

POOL defaults to ../shared/eval/dev-en-id.jsonl (read at run time, never stored here). Run from
the repository root with the wheel installed in the current Python.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import lintas


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pool", nargs="?", default=os.path.join(root, "..", "shared", "eval", "dev-en-id.jsonl"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=9, help="interleaved Python/Rust runs of each measure")
    ap.add_argument("--band-copies", type=int, default=50,
                    help="band and engine keys are timed on this many copies of the pool (a batch "
                         "long enough to time steadily)")
    ap.add_argument("--fresh-texts", action="store_true",
                    help="new str objects for every Python signatures call (no cached UTF-8)")
    args = ap.parse_args()

    with open(args.pool, encoding="utf-8") as f:
        texts = [json.loads(line).get("text") or "" for line in f if line.strip()]

    cmd = ["cargo", "run", "--release", "--quiet", "-p", "lintas-eval", "--bin", "signbench", "--",
           args.pool, "--threads", str(args.threads), "--reps", "0",
           "--band-copies", str(args.band_copies), "--serve"]
    rust = subprocess.Popen(cmd, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sums = json.loads(rust.stdout.readline())

    def rust_run(measure):
        rust.stdin.write(measure + "\n")
        rust.stdin.flush()
        wall, cpu = rust.stdout.readline().split()
        return float(wall), float(cpu)

    engine = lintas.Engine()
    fps = engine.fingerprints([str(i) for i in range(len(texts))], [None] * len(texts), texts,
                              threads=args.threads)
    freq = lintas.Frequencies.build(fps)
    many_fps = fps * args.band_copies

    def batch():
        # New str objects with the same text: CPython has not encoded them to UTF-8 yet.
        return [t.encode().decode() for t in texts] if args.fresh_texts else texts

    sigs = lintas.signatures(texts, threads=args.threads)
    many = np.tile(sigs, (args.band_copies, 1))
    py = {
        "sign": lambda b: lintas.signatures(b, threads=args.threads),
        "band": lambda _: lintas.band_keys(many, threads=args.threads),
        "keys": lambda _: engine.keys(many_fps, freq, threads=args.threads),
    }
    out = {m: f(batch()) for m, f in py.items()}  # warm-up, and the values to check
    for m in py:
        rust_run(m)  # warm-up
    times = {m: ([], []) for m in py}  # (wall, cpu) of each run: python's, rust's
    gc.disable()
    for run in range(args.runs):
        for m, f in py.items():
            b = batch()
            order = ("py", "rust") if run % 2 == 0 else ("rust", "py")
            for side in order:
                if side == "py":
                    t, cpu = time.perf_counter(), time.process_time()
                    f(b)
                    times[m][0].append((time.perf_counter() - t, time.process_time() - cpu))
                else:
                    times[m][1].append(rust_run(m))
            del b
    gc.enable()
    rust.stdin.close()
    rust.wait()

    sigs, keys, rows = out["sign"], out["band"][: len(sigs)], out["keys"]
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
        sums["docs"] == len(texts)
        and sums["engine_rows"] == engine_rows
        and sums["engine_sum"] == engine_sum
        and sums["sig_sum"] == sig_sum
        and sums["key_sum"] == key_sum
        and sums["empty"] == int((~nonempty).sum())
    )
    print(f"{len(texts)} documents from {os.path.basename(args.pool)}, {args.threads} threads, "
          f"{args.runs} interleaved runs each (medians; ratio: median of the runs' ratios [min–max])"
          + (", fresh str objects" if args.fresh_texts else ""))
    labels = {
        "sign": "text -> signatures",
        "band": f"signatures -> band keys ({args.band_copies} x {len(texts)} rows)",
        "keys": f"fingerprints -> engine key rows ({args.band_copies} x {len(texts)} documents, {engine_rows} rows each)",
    }
    for m, (p, r) in times.items():
        print(f"{labels[m]}:")
        for i, kind in enumerate(["wall", "cpu"]):
            ps, rs = [x[i] for x in p], [x[i] for x in r]
            ratios = [a / b for a, b in zip(ps, rs)]
            print(f"  {kind:4}  python {statistics.median(ps) * 1e3:8.2f} ms   rust {statistics.median(rs) * 1e3:8.2f} ms"
                  f"   ratio {statistics.median(ratios):.3f} [{min(ratios):.2f}–{max(ratios):.2f}]")
    print(f"same signatures, band keys and engine keys as the Rust library: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
