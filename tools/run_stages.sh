#!/usr/bin/env bash
# Run make targets and print each one's wall time: `make test` calls it.
#   bash tools/run_stages.sh setup lint+pytest colab+bounds ...
# Stages run one after another; stages joined by "+" run at the same time (on 2 cores, stages
# that leave a core idle, waiting on kernels, servers or downloads, fill each other's gaps). The
# output of a joined stage goes to build/stages/<stage>.log and is printed, whole, when it ends.
# Stops after the first group with a failing stage (exit status 1), with the times so far.
set -uo pipefail
MAKE=${MAKE:-make}
LOGS=${STAGE_LOGS:-build/stages}
times=()
report() {
    echo "stage times (wall, $(nproc) cores):"
    for line in "${times[@]}"; do echo "  $line"; done
}
run_one() {  # run_one STAGE: make STAGE in the foreground
    local start=$SECONDS
    if $MAKE --no-print-directory "$1"; then
        times+=("$1: $((SECONDS - start)) s")
    else
        times+=("$1: $((SECONDS - start)) s (failed)"); report; exit 1
    fi
}
run_group() {  # run_group A+B+...: every stage at once, each into its own log
    local group=$1 start=$SECONDS stage failed=0
    local -a stages pids
    IFS=+ read -ra stages <<< "$group"
    mkdir -p "$LOGS"
    for stage in "${stages[@]}"; do
        ( s=$SECONDS; $MAKE --no-print-directory "$stage" > "$LOGS/$stage.log" 2>&1; rc=$?
          echo "$((SECONDS - s))" > "$LOGS/$stage.seconds"; exit $rc ) &
        pids+=($!)
    done
    local -a status lines
    for i in "${!stages[@]}"; do wait "${pids[$i]}"; status[i]=$?; done
    for i in "${!stages[@]}"; do
        stage=${stages[$i]}
        echo "==== $stage (run beside: ${group//+/, }) ===="
        cat "$LOGS/$stage.log"
        if [ "${status[$i]}" -eq 0 ]; then
            lines+=("  $stage: $(cat "$LOGS/$stage.seconds") s")
        else
            lines+=("  $stage: $(cat "$LOGS/$stage.seconds") s (failed)"); failed=1
        fi
    done
    times+=("${group//+/ + }, side by side: $((SECONDS - start)) s" "${lines[@]}")
    if [ "$failed" -ne 0 ]; then report; exit 1; fi
}
start_all=$SECONDS
for group in "$@"; do
    if [[ $group == *+* ]]; then run_group "$group"; else run_one "$group"; fi
done
times+=("all: $((SECONDS - start_all)) s")
report
