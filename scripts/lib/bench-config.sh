# Sourced by scripts/bench.sh and scripts/bench-intake.sh, from the repository's top folder.
# bench_config FILE: the benchmarks' configuration — spool and state beside FILE, this checkout's
# calendar, no authorization, the backlog's agencies A00–A29 and leads L0–L9.
bench_config() {
  {
    echo 'spool = "spool"'; echo 'state = "state.sqlite"'
    echo "calendar = \"$(pwd)/config/calendars/vn.toml\""; echo 'authorization = "off"'
    for i in $(seq -w 0 29); do echo "[agencies.A$i]"; echo "name = \"A$i\""; echo "office = [\"a$i@example.vn\"]"; done
    for i in $(seq 0 9); do echo "[agencies.L$i]"; echo "name = \"L$i\""; echo "office = [\"l$i@example.vn\"]"; done
  } > "$1"
}
