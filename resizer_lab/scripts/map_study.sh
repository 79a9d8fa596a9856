#!/usr/bin/env bash
# When does a learned resizer pay? The factor map on a 2-core CPU: the small CNN on all
# 2,692 / 476 real photos, one input size (128 px) and three targets, 2x, 4x and 8x (64, 32, 16
# px), five arms, five seeds, 12 epochs of AdamW + cosine with flips and shifts (the recipe of the
# committed 2x study, whose curves flattened by epoch 10-12). Every run also records its
# precise-BN accuracy. One process per core, in the background; safe to run again at any time:
# finished (arm, seed) runs are reused and an interrupted run resumes from its last epoch.
#
#   bash resizer_lab/scripts/map_study.sh              # start (or continue) one process per core
#   CORES=1 bash resizer_lab/scripts/map_study.sh      # only core 1 (leave core 0 free)
#   tail -f build/map_study_core*.log
#   python -m resizer_lab report results/map_small_cnn_128to32/runs   # finished runs so far
#   bash resizer_lab/scripts/map_study.sh summary      # when every run of a factor is done: its summary
#
# Arms are added without retraining the others (the fingerprint leaves the arm list out): runs
# started before muller existed are reused, and a later call trains only the missing arms.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
DATA=${DATA:-../shared/datasets/cats_vs_dogs}
ARMS=${ARMS:-bilinear,antialiased,learned,more_layers,muller}
SEEDS=${SEEDS:-0,1,2,3,4}
CORES=${CORES:-0 1}
[ -d "$DATA" ] || { echo "map_study: no dataset at $DATA (see results/README.md)" >&2; exit 2; }
study() {  # study TARGET: the compare command of one factor
    echo "$PY -m resizer_lab compare --data $DATA --image-size 128 --target-size $1 --backbone small_cnn \
--epochs 12 --num-train all --augment --out results --arms $ARMS --name map_small_cnn_128to$1"
}
if [ "${1:-}" = summary ]; then  # reuse-only: a factor with a missing run is reported, not trained
    for target in 64 32 16; do
        missing=""
        for arm in ${ARMS//,/ }; do for seed in ${SEEDS//,/ }; do
            [ -f "results/map_small_cnn_128to$target/runs/${arm}_seed$seed.json" ] || missing+="$arm/$seed "
        done; done
        if [ -n "$missing" ]; then echo "map_study: 128to$target still misses (arm/seed): $missing"; continue; fi
        $(study "$target") --seeds "$SEEDS" && "$PY" -m resizer_lab report "results/map_small_cnn_128to$target.json"
    done
    exit 0
fi
if pgrep -f "name map_small_cnn_128to" > /dev/null; then
    echo "map_study: already running:"; pgrep -af "name map_small_cnn_128to"; exit 0
fi
mkdir -p build
# On one core of the course's CPU a 2x seed costs about 37 minutes, a 4x seed 18 and an 8x seed
# about 13 (their fastest runs). For seeds 0-4 the two cores share the work so that they finish
# close together (core 0: 2x seeds 0-3, then 8x seed 4; core 1: 4x, 8x seeds 0-3, then 2x seed
# 4); no two processes ever train the same seed. Other seeds: core 0 takes 2x then 8x, core 1 4x.
for core in $CORES; do
    if [ "$SEEDS" = 0,1,2,3,4 ] && [ "$core" = 0 ]; then
        jobs="$(study 64) --seeds 0,1,2,3 && $(study 16) --seeds 4,"
    elif [ "$SEEDS" = 0,1,2,3,4 ]; then
        jobs="$(study 32) --seeds $SEEDS && $(study 16) --seeds 1,3,0,2 && $(study 64) --seeds 4,"
    elif [ "$core" = 0 ]; then jobs="$(study 64) --seeds $SEEDS && $(study 16) --seeds $SEEDS"
    else jobs="$(study 32) --seeds $SEEDS"; fi
    nohup taskset -c "$core" bash -c "$jobs" > "build/map_study_core$core.log" 2>&1 &
    echo "map_study: started on core $core (build/map_study_core$core.log)"
done
