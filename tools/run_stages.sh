#!/usr/bin/env bash
# Run make targets one after another and print each one's wall time: `make test` calls it.
#   bash tools/run_stages.sh lint pytest pytest-jax ...
# Stops at the first failing stage (exit status 1), with the times of the stages so far.
set -uo pipefail
MAKE=${MAKE:-make}
times=()
report() {
    echo "stage times (wall, $(nproc) cores):"
    for line in "${times[@]}"; do echo "  $line"; done
}
start_all=$(date +%s)
for stage in "$@"; do
    start=$(date +%s)
    if ! $MAKE --no-print-directory "$stage"; then
        times+=("$stage: $(( $(date +%s) - start )) s (failed)")
        report
        exit 1
    fi
    times+=("$stage: $(( $(date +%s) - start )) s")
done
times+=("all: $(( $(date +%s) - start_all )) s")
report
