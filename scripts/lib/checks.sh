# Sourced by the end-to-end scripts (scripts/e2e-systemd.sh, scripts/e2e-deb.sh): numbered checks
# that print "ok   - …" or "FAIL - …" and count, polling with a limit, and booted containers.

passed=0
failed=0

check() {  # check DESCRIPTION COMMAND…: runs COMMAND, counts and prints the outcome; fails as it did
  local description=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   - $description"
  else
    failed=$((failed + 1))
    echo "FAIL - $description"
    return 1
  fi
}

wait_until() {  # wait_until SECONDS COMMAND…: COMMAND every 0.1 s until it succeeds, at most SECONDS
  local limit=$(( $1 * 10 ))
  shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 0.1; done
  return 1
}

# stop_container NSPAWN_PID INIT_PID: ends a booted container and every process in it.
stop_container() {
  local nspawn=$1 init=$2
  kill -TERM "$nspawn" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
  # Killing the container's init ends every process of its PID namespace: none outlives the test.
  [ -n "$init" ] && kill -KILL "$init" 2>/dev/null
  kill -KILL "$nspawn" 2>/dev/null
  wait "$nspawn" 2>/dev/null
}

# container_init NSPAWN_PID: prints the PID of the container's systemd once systemd-nspawn has
# started it (within 30 s); fails otherwise.
container_init() {
  local nspawn=$1 child
  for _ in $(seq 300); do
    for child in $(pgrep -P "$nspawn" 2>/dev/null); do
      [ "$(cat /proc/"$child"/comm 2>/dev/null)" = systemd ] && { echo "$child"; return 0; }
    done
    sleep 0.1
  done
  return 1
}

# system_state: the state `systemctl is-system-running` gives in the container (uses in_ct) once
# it has started up — running or degraded — or the last one seen within 60 s.
system_state() {
  local state=""
  for _ in $(seq 600); do
    state=$(in_ct systemctl is-system-running 2>/dev/null)
    case "$state" in running|degraded) break ;; esac
    sleep 0.1
  done
  echo "$state"
}
