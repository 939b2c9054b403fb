#!/usr/bin/env bash
# Performance figures (issue 6), one line each with its target, measured in one run on release
# binaries (these machines are noisy: medians of three where a figure is a time):
#   1. intake of a 20,000-document backlog by `consultd --once`, side by side with the naive
#      cron-style peer and the raw I/O floor (../shared/bench);
#   2-5. scale (1,000,000 open duties), latency at 200 documents/s, firing accuracy and idle CPU
#      of the service: scripts/bench-service.py, which documents how each is measured;
#   6. letters assessed per second by `consultctl assess`: scripts/bench-assess.sh.
# Needs root and a running journald (scripts/test.sh starts one). About 11 minutes.
#   scripts/bench.sh [DOCUMENTS]     (default 20000)
# With BENCH_DIR=DIR, the spools are made under DIR (default /tmp): to measure on the file system
# the spool will live on. (On an ext4 without a journal, as this VM's root is, creating a file
# scans past the inodes freed in the last 30 s or so — the bench removes 20,000 files between
# runs — and the same 20,000 creations took 0.5 s or 5.8 s depending on what was removed before.)
# With BASELINE=DIR (release binaries of another commit, built with --static-swift-stdlib), each
# figure is measured for both in the same run, interleaved, so that a change is judged by ratios
# taken side by side on a noisy machine (about twice as long).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
bench=../shared/bench
work=$(mktemp -d "${BENCH_DIR:-/tmp}/consultd-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

swift build -c release --static-swift-stdlib --scratch-path .build-release >&2
bin="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)"
consultd="$bin/consultd"
cc -O2 -o "$work/io_floor" "$bench/io_floor.c"

# The bench config declares the backlog's agencies (A00–A29, leads L0–L9).
source scripts/lib/bench-config.sh
bench_config "$work/consultd.toml"
# The peer's calendar: one line per date, off or work.
awk '/^\[\[off\]\]/{k="off"} /^\[\[workday\]\]/{k="work"} /^date = /{print $3, k}' config/calendars/vn.toml > "$work/calendar.txt"

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

baseline=${BASELINE:-}
floor=(); peer=(); ours=(); base=()
for run in 1 2 3; do
  for who in floor peer ours ${baseline:+base}; do
    site="$work/$who-$run"
    mkdir -p "$site"
    cp "$work/consultd.toml" "$site/"
    python3 "$bench/make_backlog.py" "$site/spool" "$n"
    sync
    case $who in
      floor) floor+=("$(seconds "$work/io_floor" "$site/spool")") ;;
      peer) peer+=("$(seconds python3 "$bench/naive_peer.py" "$site/spool" "$site/state.sqlite" "$work/calendar.txt")") ;;
      ours|base)
            if [ "$who" = ours ]; then binary=$consultd; else binary=$baseline/consultd; fi
            time=$(seconds "$binary" --config "$site/consultd.toml" --once --at 2025-03-03T18:00:00+07:00)
            if [ "$who" = ours ]; then ours+=("$time"); else base+=("$time"); fi
            left=$(ls "$site/spool/new" | wc -l)
            [ "$left" -eq 0 ] || { echo "$binary left $left documents in new/" >&2; exit 1; } ;;
    esac
    rm -rf "$site"
  done
done
f=$(median "${floor[@]}"); p=$(median "${peer[@]}"); o=$(median "${ours[@]}")
printf 'intake %d docs, median of 3: consultd %.2f s, naive_peer %.2f s, io_floor %.2f s\n' "$n" "$o" "$p" "$f"
printf 'intake speed-up over naive_peer: %.1fx (target >= 10)\n' "$(echo "$p / $o" | bc -l)"
printf 'intake time ratio consultd / io_floor: %.1f (target <= 2.0)\n' "$(echo "$o / $f" | bc -l)"
if [ -n "$baseline" ]; then
  b=$(median "${base[@]}")
  printf 'baseline %s: intake median of 3 %.2f s, ratio to io_floor %.1f; this build / baseline: %.2f\n' \
    "$baseline" "$b" "$(echo "$b / $f" | bc -l)" "$(echo "$o / $b" | bc -l)"
fi

python3 scripts/bench-service.py "$bin" "$work" "$bench" "$(pwd)/config/calendars/vn.toml" latency firing idle scale
if [ -n "$baseline" ]; then
  echo "baseline $baseline:"
  mkdir -p "$work/baseline"
  python3 scripts/bench-service.py "$baseline" "$work/baseline" "$bench" "$(pwd)/config/calendars/vn.toml" latency firing idle scale
fi

scripts/bench-assess.sh
