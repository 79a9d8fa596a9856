#!/usr/bin/env bash
# When does a learned resizer pay? The paper's protocol beside the map: the resizer inserted in
# front of a small CNN already trained with bilinear resizing (the map study's bilinear arm,
# trained again exactly as map_study.sh trains it, its weights kept OUTSIDE the repository), then
# trained jointly. Four arms per seed: learned, muller and more_layers inserted in front of the
# trained backbone, and bilinear continued (the control), all from the same backbone weights, on
# the same batches, with the recipe's optimizer and schedule restarted. Factors: 2x and a second
# one given as the argument (8x by default: where the map's learned - bilinear difference is
# largest after 2x), seeds 0-4, one process per core (the split is
# below), in the background. Safe to run again at any time: finished runs are reused, trained
# bilinear weights are reused, and an interrupted run resumes from its last epoch.
#
#   bash resizer_lab/scripts/warm_start_study.sh           # 2x and 8x
#   bash resizer_lab/scripts/warm_start_study.sh 4x        # 2x and 4x
#   tail -f build/warm_start_core*.log
#   bash resizer_lab/scripts/warm_start_study.sh report    # the paired differences of the runs finished so far
#
# Why 6 extra epochs (EXTRA): half the from-scratch budget of 12. The from-scratch curves had
# flattened by epochs 10-12, so the bilinear model the resizer is inserted into has converged;
# the question is whether inserting a resizer pays within a fine-tuning budget, with the warm-up
# and cosine decay restarted over 6 x 85 steps. On one core of the course's CPU (the map's fastest
# runs) a 2x seed costs about 22 minutes (the bilinear retraining 5, the four arms 17) and a 4x or
# 8x seed about 10, so the cores share 2x: core 0 takes 2x seeds 0-2 then the second factor's seed
# 4, core 1 the second factor's seeds 0-3 then 2x seeds 3-4 (about 80 minutes each). No two
# processes ever train the same seed.
#
# Weights trained on these photos are never committed: they go to $WEIGHTS (../weights, beside the
# checkout); the command refuses a folder inside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
DATA=${DATA:-../shared/datasets/cats_vs_dogs}
SEEDS=${SEEDS:-0,1,2,3,4}
EXTRA=${EXTRA:-6}
WEIGHTS=${WEIGHTS:-../weights}
CORES=${CORES:-0 1}
study() {  # study TARGET: the warm-start command of one factor (the map study's flags)
    echo "$PY -m resizer_lab warm-start --data $DATA --image-size 128 --target-size $1 --backbone small_cnn \
--epochs 12 --num-train all --augment --out results --extra-epochs $EXTRA --weights-dir $WEIGHTS/map_small_cnn_128to$1 \
--name map_small_cnn_128to$1"
}
target_of() {  # target_of FACTOR: 4x -> 32
    case "${1%x}" in
        4) echo 32 ;; 8) echo 16 ;;
        *) echo "warm_start_study: the second factor must be 4x or 8x (2x always runs); got '$1'" >&2; exit 2 ;;
    esac
}
if [ "${1:-}" = report ]; then  # reads the finished runs; trains nothing
    second=$(target_of "${2:-8x}")
    exec "$PY" -m resizer_lab map-report --studies results/warm_start_map_small_cnn_128to64 \
        "results/warm_start_map_small_cnn_128to$second" --pairs learned-bilinear,muller-bilinear,learned-more_layers,more_layers-bilinear \
        --seeds "$SEEDS" --script resizer_lab/scripts/warm_start_study.sh --data "$DATA" --out "${OUT:-results/warm_start_small_cnn}"
fi
second=$(target_of "${1:-8x}")
[ -d "$DATA" ] || { echo "warm_start_study: no dataset at $DATA (see results/README.md)" >&2; exit 2; }
if [ -z "${FORCE:-}" ] && pgrep -f "compare .*--name map_small_cnn_128to" > /dev/null; then
    echo "warm_start_study: the map study is still training on these cores; start this after it" \
         "(or FORCE=1 to share the cores)" >&2
    exit 0
fi
mkdir -p build
for core in $CORES; do
    # each core's job starts with its tag, so a core that is still busy is left alone (and a
    # core freed early can be started with CORES=<core> while the other one works)
    tag=": warm_start_study core $core;"
    if pgrep -f "^bash -c $tag" > /dev/null; then
        echo "warm_start_study: core $core is already running its job:"; pgrep -af "^bash -c $tag"; continue
    fi
    if [ "$SEEDS" = 0,1,2,3,4 ] && [ "$core" = 0 ]; then
        job="$(study 64) --seeds 0,1,2 && $(study "$second") --seeds 4,"
    elif [ "$SEEDS" = 0,1,2,3,4 ]; then
        job="$(study "$second") --seeds 0,1,2,3 && $(study 64) --seeds 3,4"
    elif [ "$core" = 0 ]; then job="$(study 64) --seeds $SEEDS"
    else job="$(study "$second") --seeds $SEEDS"; fi
    nohup taskset -c "$core" bash -c "$tag $job" > "build/warm_start_core$core.log" 2>&1 &
    echo "warm_start_study: started on core $core (build/warm_start_core$core.log)"
done
