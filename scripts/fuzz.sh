#!/usr/bin/env bash
# Fuzzes the document reader, the schemas and the assessor with libFuzzer for a set time:
#   scripts/fuzz.sh [SECONDS]        (default 600)
# Compiles the core's sources with Sources/consultd-fuzz into one fuzzing binary (swiftc
# -sanitize=fuzzer,address; SwiftPM's renaming of an executable's main would clash with
# libFuzzer's), seeds the corpus with the hostile fixtures and valid documents, and keeps any
# crashing input in Tests/Fixtures/fuzz-crashes/ (replayed by the test suite). Prints libFuzzer's
# closing figures.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
mkdir -p .build-fuzz
fuzzer=.build-fuzz/consultd-fuzz
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 -D FUZZING -module-name ConsultFuzz \
  $(find Sources/ConsultCore -name '*.swift') Sources/consultd-fuzz/DocumentFuzzer.swift -o "$fuzzer" 2>&1 \
  | grep -v "Cannot export local symbol" >&2 || true
[ -x "$fuzzer" ] || { echo "fuzz build failed" >&2; exit 1; }
corpus=$(mktemp -d /tmp/consultd-fuzz-corpus.XXXXXX)
cp Tests/Fixtures/hostile/*.json "$corpus/"
printf '%s' '{"kind": "request", "id": "HN-1", "title": "Đề án", "lead": "SXD", "consulted": ["STC", "SNNMT"], "sent": "2025-01-20T09:15:00+07:00", "reply_days": 10, "deadline": "2025-02-07"}' > "$corpus/seed-request.json"
printf '%s' '{"kind": "reply", "request": "HN-1", "agency": "STC", "received": "2025-02-06T16:40:00+07:00", "position": "agree_with_comments", "comments": ["Điều 5 khoản 2: đề nghị bổ sung nguồn vốn 2,5 tỷ đồng."], "text": "Về cơ bản thống nhất", "refer_to": "SXD"}' > "$corpus/seed-reply.json"
printf '%s' '{"kind": "extension", "request": "HN-1", "deadline": "2025-03-01", "agencies": ["STC"], "reason": "x"}' > "$corpus/seed-extension.json"
# Whole letters of the labelled corpora, as replies: the letter reader's inputs.
python3 - "$corpus" Tests/Fixtures/letters/*.jsonl <<'PY'
import json, sys
out, paths = sys.argv[1], sys.argv[2:]
n = 0
for path in paths:
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        if n % 8 == 0 and len(d.get("text", "").encode()) < 4000:
            doc = {"kind": "reply", "request": "HN-1", "agency": d["agency"], "received": "2025-02-06T16:40:00+07:00",
                   "text": d.get("text", "")}
            for k in ("position", "comments", "refer_to"):
                if k in d: doc[k] = d[k]
            open(f"{out}/seed-letter-{n}.json", "w", encoding="utf-8").write(json.dumps(doc, ensure_ascii=False))
        n += 1
PY
mkdir -p Tests/Fixtures/fuzz-crashes
"$fuzzer" "$corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=Tests/Fixtures/fuzz-crashes/ -print_final_stats=1 2>&1 | grep -E "^#[0-9]+[[:space:]]+(INITED|DONE|pulse)|^stat::|^Done|ERROR|SUMMARY|crash-" | tail -12
echo "corpus: $(ls "$corpus" | wc -l) inputs in $corpus" >&2
