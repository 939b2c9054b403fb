#!/usr/bin/env bash
# The intake figure of scripts/bench.sh alone, side by side with another build: `consultd --once`
# taking in a backlog of DOCUMENTS requests (../shared/bench/make_backlog.py), beside io_floor and
# the release binaries in BASELINE, interleaved run by run (floor, baseline, this build), so that
# a change is judged by ratios taken in one run on a noisy machine. Prints each run's wall time
# and CPU time (user+system), then medians and ratios. A few minutes for 3 runs of 20,000.
#   BASELINE=DIR scripts/bench-intake.sh [DOCUMENTS [RUNS]]     (defaults 20000, 3)
# BASELINE is a folder holding a `consultd` built with --static-swift-stdlib (optional); CONSULTD
# a binary to measure instead of building this tree's; BENCH_DIR where the spools are made
# (default /tmp), as for scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
runs=${2:-3}
bench=../shared/bench
work=$(mktemp -d "${BENCH_DIR:-/tmp}/consultd-bench-intake.XXXXXX")
trap 'rm -rf "$work"' EXIT

consultd=${CONSULTD:-}
if [ -z "$consultd" ]; then
  swift build -c release --static-swift-stdlib --scratch-path .build-release --product consultd >&2
  consultd="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)/consultd"
fi
baseline=${BASELINE:-}
cc -O2 -o "$work/io_floor" "$bench/io_floor.c"

# The bench config declares the backlog's agencies (A00–A29, leads L0–L9).
source scripts/lib/bench-config.sh
bench_config "$work/consultd.toml"

# Wall, CPU (user + system) and system seconds of a command, as "WALL CPU SYSTEM".
measure() {
  /usr/bin/time -o "$work/times" -f '%e %U %S' "$@" >/dev/null 2>&1
  awk '{ printf "%.3f %.3f %.3f\n", $1, $2 + $3, $3 }' "$work/times"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A wall cpu
for run in $(seq "$runs"); do
  for who in floor ${baseline:+base} ours; do
    site="$work/$who-$run"
    mkdir -p "$site"
    cp "$work/consultd.toml" "$site/"
    python3 "$bench/make_backlog.py" "$site/spool" "$n"
    sync
    case $who in
      floor) t=$(measure "$work/io_floor" "$site/spool") ;;
      base|ours)
        if [ "$who" = ours ]; then binary=$consultd; else binary=$baseline/consultd; fi
        t=$(measure "$binary" --config "$site/consultd.toml" --once --at 2025-03-03T18:00:00+07:00)
        left=$(find "$site/spool/new" -mindepth 1 -maxdepth 1 | wc -l)
        [ "$left" -eq 0 ] || { echo "$binary left $left documents in new/" >&2; exit 1; } ;;
    esac
    read -r w c k <<<"$t"
    wall[$who]+="$w "; cpu[$who]+="$c "
    printf 'run %d %-5s wall %6.2f s  cpu %6.2f s (system %5.2f s)\n' "$run" "$who" "$w" "$c" "$k"
    rm -rf "$site"
  done
done

f=$(median ${wall[floor]}); o=$(median ${wall[ours]}); oc=$(median ${cpu[ours]})
printf 'intake of %d requests, medians of %d: io_floor %.2f s; this build %.2f s (cpu %.2f s), %.2fx the floor\n' \
  "$n" "$runs" "$f" "$o" "$oc" "$(echo "$o / $f" | bc -l)"
if [ -n "$baseline" ]; then
  b=$(median ${wall[base]}); bc_=$(median ${cpu[base]})
  printf 'baseline %s: %.2f s (cpu %.2f s), %.2fx the floor\n' "$baseline" "$b" "$bc_" "$(echo "$b / $f" | bc -l)"
  printf 'this build / baseline: wall %.3f, cpu %.3f; %+.1f us a document\n' \
    "$(echo "$o / $b" | bc -l)" "$(echo "$oc / $bc_" | bc -l)" "$(echo "($o - $b) * 1000000 / $n" | bc -l)"
fi
