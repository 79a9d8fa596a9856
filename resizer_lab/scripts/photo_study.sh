#!/usr/bin/env bash
# The real-photo study of results/README.md, on a 2-core machine: one process per core, each on
# its own seeds, in the background. Safe to run again at any time: finished (arm, seed) runs are
# reused and an interrupted run resumes from its last finished epoch.
#
#   bash resizer_lab/scripts/photo_study.sh          # start (or continue) both processes
#   tail -f build/photos_study_core*.log
#   python -m resizer_lab report results/photos_small_cnn_128to64/runs   # finished runs so far
#   bash resizer_lab/scripts/photo_study.sh summary  # when every run is done: the summaries, nothing trained
#
# Each process's compare, when it ends, writes results/<name>.{json,md,csv,png} for its own
# seeds only (so a half-study summary appears there); `summary` rewrites them over every seed,
# and only those are committed.
#
# Core 1 goes on to the keras.io recipe (the reference, 2 seeds, bilinear vs learned)
# when its seeds of the main study are done.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
DATA=${DATA:-../shared/datasets/cats_vs_dogs}
[ -d "$DATA" ] || { echo "photo_study: no dataset at $DATA (see results/README.md)" >&2; exit 2; }
progress() {  # the grid of the runs finished so far
    local runs=results/photos_small_cnn_128to64/runs
    if compgen -G "$runs/*.json" > /dev/null; then
        echo "finished so far:"; "$PY" -m resizer_lab report "$runs"
    fi
}
COMMON="--data $DATA --image-size 128 --target-size 64 --backbone small_cnn --epochs 12 --num-train all --augment --out results"
MAIN="$PY -m resizer_lab compare $COMMON --arms bilinear,learned,more_layers,full_res --name photos_small_cnn_128to64"
REF="$PY -m resizer_lab compare $COMMON --arms bilinear,learned --recipe keras_io --name photos_small_cnn_128to64_keras_io"
missing() {  # missing NAME ARMS SEEDS: the (arm, seed) runs without a finished JSON
    local arm seed
    for arm in ${2//,/ }; do for seed in ${3//,/ }; do
        [ -f "results/$1/runs/${arm}_seed$seed.json" ] || echo -n "$arm/$seed "
    done; done
}
if [ "${1:-}" = summary ]; then  # reuse-only: refuses while a run is missing, so it never trains
    for study in "photos_small_cnn_128to64 bilinear,learned,more_layers,full_res 0,1,2,3,4 $MAIN" \
                 "photos_small_cnn_128to64_keras_io bilinear,learned 0,1 $REF"; do
        set -- $study
        name=$1 arms=$2 seeds=$3; shift 3
        gaps=$(missing "$name" "$arms" "$seeds")
        if [ -n "$gaps" ]; then echo "photo_study: $name still misses (arm/seed): $gaps"; continue; fi
        "$@" --seeds "$seeds" && "$PY" -m resizer_lab report "results/$name.json"
    done
    exit 0
fi
if pgrep -f "resizer_lib compare --data $DATA" > /dev/null; then
    echo "photo_study: already running:"; pgrep -af "resizer_lib compare --data $DATA"; progress; exit 0
fi
mkdir -p build
nohup taskset -c 0 $MAIN --seeds 0,1,4 > build/photos_study_core0.log 2>&1 &
nohup bash -c "taskset -c 1 $MAIN --seeds 2,3 && taskset -c 1 $REF --seeds 0,1" > build/photos_study_core1.log 2>&1 &
echo "photo_study: started on cores 0 and 1; logs in build/photos_study_core{0,1}.log"
progress
