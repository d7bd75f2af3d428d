#!/usr/bin/env bash
# Re-runs the issue-10 research prototype end to end (about 8 minutes on one core).
# Needs: cargo, python3 with numpy + scikit-learn; the eval pools in ../shared/eval (or $LINTAS_EVAL).
set -euo pipefail
cd "$(dirname "$0")/../.."   # the repository root
E=${LINTAS_EVAL:-../shared/eval}
S=${LINTAS_SEEDS:-../shared/seeds}
mkdir -p eval/research/out
cargo build --release -p lintas-eval --bin pairdump -j 2
./target/release/pairdump "$E/dev-en-id.jsonl" --seeds "$S" --docs eval/research/out/enid.docs.jsonl --cands eval/research/out/enid.cands.jsonl
./target/release/pairdump "$E/dev-independent.jsonl" --docs eval/research/out/indep.docs.jsonl --cands eval/research/out/indep.cands.jsonl
cd eval/research
python3 candidates.py               # candidate-stage table (set-aside excluded)
python3 build.py                    # candidates + pair features -> out/pairs.*.jsonl
python3 neighbourhood.py            # story-relative rarity (tried, dropped)
python3 model.py --features final --ablation --weights weights.json   # OOF tables + refit weights
for fs in core core2 all core_s core2nb today_only; do python3 model.py --features $fs | sed -n 5p; done
# The set-aside groups: run once, at the very end.
if [ "${FINAL:-0}" = 1 ]; then
  python3 candidates.py --final
  python3 model.py --features final --final | sed -n '/set-aside/,$p'
fi
