#!/usr/bin/env bash
# The real-photo study of results/README.md, on a 2-core machine: one process per core, each on
# its own seeds, in the background. Safe to run again at any time: finished (arm, seed) runs are
# reused and an interrupted run resumes from its last finished epoch.
#
#   bash tools/photo_study.sh          # start (or continue) both processes
#   tail -f build/photos_study_core*.log
#   python -m resizer_lib report results/photos_small_cnn_128to64/runs   # finished runs so far
#
# Core 1 goes on to the keras.io recipe (the reference of issue 9, 2 seeds, bilinear vs learned)
# when its seeds of the main study are done.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DATA=${DATA:-../shared/datasets/cats_vs_dogs}
[ -d "$DATA" ] || { echo "photo_study: no dataset at $DATA (see results/README.md)" >&2; exit 2; }
progress() {  # the grid of the runs finished so far
    local runs=results/photos_small_cnn_128to64/runs
    if compgen -G "$runs/*.json" > /dev/null; then
        echo "finished so far:"; "$PY" -m resizer_lib report "$runs"
    fi
}
if pgrep -f "resizer_lib compare --data $DATA" > /dev/null; then
    echo "photo_study: already running:"; pgrep -af "resizer_lib compare --data $DATA"; progress; exit 0
fi
COMMON="--data $DATA --image-size 128 --target-size 64 --backbone small_cnn --epochs 12 --num-train all --augment --out results"
MAIN="$PY -m resizer_lib compare $COMMON --arms bilinear,learned,more_layers,full_res --name photos_small_cnn_128to64"
REF="$PY -m resizer_lib compare $COMMON --arms bilinear,learned --recipe keras_io --name photos_small_cnn_128to64_keras_io"
mkdir -p build
export TF_CPP_MIN_LOG_LEVEL=2
nohup taskset -c 0 $MAIN --seeds 0,1,4 > build/photos_study_core0.log 2>&1 &
nohup bash -c "taskset -c 1 $MAIN --seeds 2,3 && taskset -c 1 $REF --seeds 0,1" > build/photos_study_core1.log 2>&1 &
echo "photo_study: started on cores 0 and 1; logs in build/photos_study_core{0,1}.log"
progress
