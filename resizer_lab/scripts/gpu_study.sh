#!/usr/bin/env bash
# The GPU study: DenseNet-121 from scratch, 300 -> 150 px, on the real photos of
# cats_vs_dogs_small, JAX backend and the library's NumPy data path (no TensorFlow needed).
#
#   PARALLEL=arms BUDGET=290 bash resizer_lab/scripts/gpu_study.sh   # as run on the H200 (results/README.md)
#   BACKBONE=small_cnn IMAGE_SIZE=64 TARGET_SIZE=32 EPOCHS=1 NUM_TRAIN=64 NUM_VAL=32 \
#     SEEDS="0 1" OUT_DIR=/tmp/gpu_smoke bash resizer_lab/scripts/gpu_study.sh    # a CPU smoke test of the script
#   bash resizer_lab/scripts/gpu_study.sh finished-seeds bilinear,learned   # seeds finished for both arms
#
# BUDGET is the seconds of training it may spend before it summarises. Each seed is its own
# `compare` process, so the budget is checked between seeds; a seed that would not fit is not
# started, and one cut at the budget resumes from its last epoch on the same machine (on a fresh
# one it starts again). JAX's persistent compilation cache lets seeds after the first reuse the
# XLA programs compiled for the first. Phase A runs the comparison that matters (bilinear vs
# learned) for every seed; phase B adds more_layers and full_res to as many seeds as still fit.
# Finished runs (committed under results/) are reused, so calling it again continues the study;
# keep EPOCHS and the sizes as they were, or the runs no longer match and everything retrains.
# The summary NAME covers bilinear, learned and more_layers over their finished seeds; NAME_4arms
# adds full_res (over the seeds where all four are finished).
#
# PARALLEL=arms first runs seed 0's arms at once (one compilation each, in parallel), then the
# other seeds at once with the cache warm; without it, seeds run one after another. A batch-32 DenseNet step leaves most of a large GPU idle, so the processes share
# it; their train_seconds then measure a shared GPU, not throughput.
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-python3}
DATA=${DATA:-../shared/datasets/cats_vs_dogs_small}
BUDGET=${BUDGET:-420}
SEEDS=${SEEDS:-"0 1 2 3 4"}
NAME=${NAME:-photos_densenet121_300to150_gpu}
OUT_DIR=${OUT_DIR:-results}
export KERAS_BACKEND=jax JAX_COMPILATION_CACHE_DIR=${JAX_COMPILATION_CACHE_DIR:-/tmp/jax_cache}
export JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0 JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES=0
COMMON=(--data "$DATA" --image-size "${IMAGE_SIZE:-300}" --target-size "${TARGET_SIZE:-150}"
        --backbone "${BACKBONE:-densenet121}" --epochs "${EPOCHS:-12}" --num-train "${NUM_TRAIN:-all}"
        --num-val "${NUM_VAL:-all}" --augment --verbose 2 --out "$OUT_DIR")
RUNS="$OUT_DIR/$NAME/runs"
START=$(date +%s)

left() { echo $((BUDGET - ($(date +%s) - START))); }

compare_seed() {  # compare_seed ARMS SEED: one process, cut when the budget runs out
    timeout "$(left)" "$PY" -m resizer_lab compare "${COMMON[@]}" --name "$NAME" --arms "$1" --seeds "$2,"
}

run_phase_parallel() {  # run_phase_parallel ARMS SEEDS: one process per seed, all at once
    local arms=$1 seed pids=()
    [ "$(left)" -gt 0 ] || return 0
    for seed in $2; do
        compare_seed "$arms" "$seed" 2>&1 | sed -u "s/^/[seed $seed] /" &
        pids+=($!)
    done
    wait "${pids[@]}"
    echo "gpu_study: arms=$arms, seeds $2 in parallel: done after $(($(date +%s) - START)) s"
}

run_phase_warm() {  # first seed: one process per arm at once (their XLA compilations overlap
    # and fill the cache); then the other seeds at once, all arms per process, cache warm
    local arms=$1 first=${SEEDS%% *} arm pids=()
    [ "$(left)" -gt 0 ] || return 0
    for arm in ${arms//,/ }; do
        compare_seed "$arm" "$first" 2>&1 | sed -u "s/^/[$arm seed $first] /" &
        pids+=($!)
    done
    wait "${pids[@]}"
    echo "gpu_study: arms=$arms seed=$first (one process per arm) done after $(($(date +%s) - START)) s"
    run_phase_parallel "$arms" "${SEEDS#"$first"}"
}

run_phase() {  # run_phase ARMS [SEEDS]: one compare per seed while the last seed's time still fits
    local arms=$1 last=0 seed t0
    for seed in ${2-$SEEDS}; do
        if [ "$(left)" -le "$last" ]; then
            echo "gpu_study: $(left) s left, a seed took $last s: stop before arms=$arms seed=$seed"
            return 0
        fi
        t0=$(date +%s)
        compare_seed "$arms" "$seed" || { echo "gpu_study: arms=$arms seed=$seed stopped"; return 0; }
        last=$(($(date +%s) - t0))
        echo "gpu_study: arms=$arms seed=$seed took $last s"
    done
}

finished_seeds() {  # seeds (any, not only $SEEDS) whose runs for every arm in $1 exist, as "0,1,2"
    local seed arm ok out="" first=${1%%,*}
    for seed in $(ls "$RUNS" 2>/dev/null | sed -n "s/^${first}_seed\([0-9]*\)\.json$/\1/p" | sort -n); do
        ok=1
        for arm in ${1//,/ }; do [ -f "$RUNS/${arm}_seed$seed.json" ] || ok=0; done
        [ $ok = 1 ] && out="$out$seed,"
    done
    echo "$out"
}

summarise() {  # summarise NAME ARMS: reuse-only compare over the seeds finished for all ARMS
    local name=$1 arms=$2 seeds
    seeds=$(finished_seeds "$arms")
    [ "$(echo "$seeds" | tr -cd , | wc -c)" -ge 2 ] || { echo "gpu_study: $name: under 2 seeds"; return 0; }
    if [ "$name" != "$NAME" ]; then mkdir -p "$OUT_DIR/$name" && cp -r "$RUNS" "$OUT_DIR/$name/"; fi
    "$PY" -m resizer_lab compare "${COMMON[@]}" --name "$name" --arms "$arms" --seeds "$seeds" \
        && "$PY" -m resizer_lab report "$OUT_DIR/$name.json"
}

if [ "${1:-}" = finished-seeds ]; then  # bash gpu_study.sh finished-seeds ARMS: the bookkeeping alone
    finished_seeds "$2"
    exit 0
fi
[ -d "$DATA" ] || { echo "gpu_study: no dataset at $DATA" >&2; exit 2; }
if [ "${PARALLEL:-0}" = arms ]; then
    export XLA_PYTHON_CLIENT_PREALLOCATE=false  # several processes share the GPU's memory
    run_phase_warm bilinear,learned
    run_phase_warm more_layers,full_res
else
    run_phase bilinear,learned
    run_phase more_layers,full_res
fi
echo "gpu_study: training done after $(($(date +%s) - START)) s"
summarise "$NAME" bilinear,learned,more_layers
summarise "${NAME}_4arms" bilinear,learned,more_layers,full_res
