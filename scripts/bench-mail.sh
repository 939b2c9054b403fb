#!/usr/bin/env bash
# consultd-mail's throughput: notices handed to Postfix's queue per second, by `consultd-mail
# --once` (release build) over a backlog of N notices (one recipient each, about 1 KB of
# Vietnamese), median of 3 runs; beside it the floor, the same N messages piped to
# `/usr/sbin/sendmail -oi -t` one after another by a shell loop, and the time until Postfix has
# delivered every message to the Maildir. Needs root (scripts/postfix-test.sh starts Postfix).
#   scripts/bench-mail.sh [N]     (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
[ "$(id -u)" -eq 0 ] || { echo "bench-mail: needs root" >&2; exit 77; }
scripts/postfix-test.sh start cm-bench
work=$(mktemp -d /tmp/consultd-bench-mail.XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release --static-swift-stdlib --scratch-path .build-release --product consultd-mail >&2
mail="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)/consultd-mail"

maildir=/home/cm-bench/Maildir
delivered() { { find "$maildir/new" "$maildir/cur" -type f 2>/dev/null || true; } | wc -l; }
# Waits until Postfix has delivered $1 messages in all; prints the seconds since $2.
settle() {
  local want=$1 start=$2
  for _ in $(seq 6000); do [ "$(delivered)" -ge "$want" ] && break; sleep 0.05; done
  echo "$(date +%s.%N) - $start" | bc
}
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

ours=(); floor=(); drained=()
for run in 1 2 3; do
  site="$work/run-$run"
  mkdir -p "$site/outbox"
  printf 'spool = "%s"\noutbox = "%s/outbox"\n[mail]\nfrom = "consultd@ubnd.example.vn"\ndomain = "bench.test"\n' "$site" "$site" > "$site/consultd.toml"
  python3 - "$site/outbox" "$n" "$run" <<'PY'
import json, os, sys
out, n, run = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = ("Kính gửi Sở Tài chính,\nĐã quá hạn trả lời về Dự thảo Đề án phát triển nhà ở xã hội. "
        "Hạn trả lời là ngày 10/03/2025; văn bản gửi ngày 03/03/2025, 5 ngày làm việc.\n") * 4
for i in range(n):
    nid = f"BENCH-{run}-{i // 10}.STC.n{i}"
    notice = {"notice_id": nid, "event": "overdue", "step": "overdue", "priority": "warning",
              "consultation": f"BENCH-{run}-{i // 10}", "title": "Dự thảo", "lead": "SXD", "agency": "STC",
              "deadline": "2025-03-10", "days_late": 1, "late_detected": False, "reasons": ["no_reply"],
              "to": ["bench@example.vn"], "cc": [], "subject": f"Quá hạn trả lời: Dự thảo Đề án số {i}",
              "body": body, "created": "2025-03-11T08:00:00+07:00"}
    with open(f"{out}/{nid}.json", "w", encoding="utf-8") as f:
        json.dump(notice, f, ensure_ascii=False)
PY
  sync
  before=$(delivered)
  start=$(date +%s.%N)
  "$mail" --config "$site/consultd.toml" --once >/dev/null
  end=$(date +%s.%N)
  ours+=("$(echo "$end - $start" | bc)")
  drained+=("$(settle $((before + n)) "$start")")
  [ -z "$(ls "$site/outbox" | grep '\.json$')" ] || { echo "bench-mail: notices left in the outbox" >&2; exit 1; }

  # The floor: the same number of messages, built once, piped to sendmail by a shell loop.
  head -c 1200 /dev/urandom | base64 -w 76 > "$work/body"
  before=$(delivered)
  start=$(date +%s.%N)
  for i in $(seq "$n"); do
    { printf 'From: consultd@ubnd.example.vn\nTo: bench@example.vn\nSubject: floor %s\n\n' "$i"; cat "$work/body"; } |
      /usr/sbin/sendmail -oi -t -f consultd@ubnd.example.vn
  done
  end=$(date +%s.%N)
  floor+=("$(echo "$end - $start" | bc)")
  settle $((before + n)) "$start" >/dev/null
done

o=$(median "${ours[@]}"); f=$(median "${floor[@]}"); d=$(median "${drained[@]}")
printf 'consultd-mail: %d notices into Postfix'"'"'s queue in %.2f s, %.0f notices/s (median of 3; runs %s s)\n' \
  "$n" "$o" "$(echo "$n / $o" | bc -l)" "$(printf '%.2f ' "${ours[@]}")"
printf 'floor, a shell loop piping %d messages to sendmail -oi -t: %.2f s, %.0f messages/s; consultd-mail / floor: %.2f\n' \
  "$n" "$f" "$(echo "$n / $f" | bc -l)" "$(echo "$o / $f" | bc -l)"
printf 'until Postfix delivered all %d to the Maildir: %.2f s after consultd-mail started (median of 3)\n' "$n" "$d"
