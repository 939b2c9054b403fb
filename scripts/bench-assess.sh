#!/usr/bin/env bash
# Assessment speed (issue 10), over every labelled corpus (../shared/corpus, or its copy, and
# Tests/Fixtures/letters), release binaries:
#   1. in process (consultd-bench): letters per second, and microseconds per letter of the 20
#      longest letters (a page or more);
#   2. end to end, `consultctl assess --format json` over a few thousand files (each letter copied):
#      reading, parsing, judging and printing; start-up (one file) measured apart and taken off.
# Needs no root.
#   scripts/bench-assess.sh [COPIES]     (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-10}
# The shared corpus beside the checkout, else the copy the tests keep.
shared=../shared/corpus
[ -f "$shared/letters.jsonl" ] || shared=Tests/Fixtures/shared-corpus
work=$(mktemp -d /tmp/consultd-bench-assess.XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release --static-swift-stdlib --scratch-path .build-release --product consultctl >&2
swift build -c release --static-swift-stdlib --scratch-path .build-release --product consultd-bench >&2
bin="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)"
sed -e "s|^spool = .*|spool = \"$work/spool\"|" -e "s|^state = .*|state = \"$work/none.sqlite\"|" \
    -e "s|^calendar = .*|calendar = \"$(pwd)/config/calendars/vn.toml\"|" -e "s|^outbox = .*||" \
    config/consultd.toml > "$work/consultd.toml"
python3 - "$work" "$copies" "$shared/letters.jsonl" "$shared/replies.jsonl" Tests/Fixtures/letters/*.jsonl <<'PY'
import json, os, sys
work, copies, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
known = {"SXD", "STC", "SNNMT", "STP", "SNV", "SCT", "SYT", "SGDDT"}
os.makedirs(f"{work}/all"); os.makedirs(f"{work}/long")
letters = []
for path in paths:
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        if d["agency"] not in known: d["agency"] = "STC"
        doc = {"kind": "reply", "request": "BENCH-1", "agency": d["agency"], "received": "2025-03-05T10:00:00+07:00"}
        for k in ("position", "comments", "text", "refer_to"):
            if k in d: doc[k] = d[k]
        letters.append(doc)
size = lambda d: len(d.get("text", "")) + sum(len(c) for c in d.get("comments", []))
longest = sorted(letters, key=size, reverse=True)[:20]
for i, doc in enumerate(letters * copies):
    json.dump(doc, open(f"{work}/all/{i:06d}.json", "w", encoding="utf-8"), ensure_ascii=False)
for i, doc in enumerate(longest * 50):
    json.dump(doc, open(f"{work}/long/{i:06d}.json", "w", encoding="utf-8"), ensure_ascii=False)
open(f"{work}/counts", "w").write(f"{len(letters)} {len(letters) * copies} {len(longest) * 50} "
                                  f"{sum(map(size, longest)) // len(longest)}\n")
PY
"$bin/consultd-bench" config/consultd.toml "$shared/letters.jsonl" "$shared/replies.jsonl" Tests/Fixtures/letters/*.jsonl
# BASELINE=DIR: the same figures from another build's binaries, right after (see scripts/bench.sh).
if [ -n "${BASELINE:-}" ]; then
  echo "baseline $BASELINE:"
  if [ -x "$BASELINE/consultd-bench" ]; then
    "$BASELINE/consultd-bench" config/consultd.toml "$shared/letters.jsonl" "$shared/replies.jsonl" Tests/Fixtures/letters/*.jsonl
  else
    echo "  no consultd-bench there (a build older than the assessor's benchmark): skipped"
  fi
fi
read -r distinct total long_total long_chars < "$work/counts"
run() { local start end; start=$(date +%s%N); "$bin/consultctl" --config "$work/consultd.toml" assess --format json "$@" >/dev/null 2>&1 || true; end=$(date +%s%N); echo $(( (end - start) / 1000 )); }
one=$(run "$work/all/000000.json")
all=$(run "$work"/all/*.json)
long=$(run "$work"/long/*.json)
awk -v n="$total" -v d="$distinct" -v one="$one" -v all="$all" -v ln="$long_total" -v long="$long" -v chars="$long_chars" 'BEGIN {
  per = (all - one) / n; lper = (long - one) / ln
  printf "assessment by consultctl assess: %d files (%d letters) in %.2f s: %.0f letters/s, %.0f us per letter with reading and printing (start-up %.0f ms taken off)\n", n, d, all / 1e6, 1e6 / per, per, one / 1e3
  printf "assessment by consultctl assess: the 20 longest letters (%d characters on average): %.0f us per letter\n", chars, lper
}'
