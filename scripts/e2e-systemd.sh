#!/usr/bin/env bash
# End-to-end test of consultd as installed: the hardened unit, sysusers, tmpfiles and catalog,
# under a real systemd booted in a container (systemd-nspawn over the host's /usr, with a fresh
# tmpfs root and /etc). Needs root and systemd-container. Prints one line per check and
# "N passed, M failed"; exits non-zero when a check failed. The container is stopped at the end,
# whatever happens.
#
#   scripts/e2e-systemd.sh               # builds static binaries in .build-static first
#   CONSULTD_STATIC_BIN=DIR scripts/e2e-systemd.sh
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then echo "e2e-systemd: needs root" >&2; exit 77; fi
if ! command -v systemd-nspawn >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd-container >/dev/null
fi

bin=${CONSULTD_STATIC_BIN:-}
if [ -z "$bin" ]; then
  # Static Swift runtime: the container sees the host's /usr but not the toolchain in /opt.
  swift build --static-swift-stdlib --scratch-path .build-static --product consultd >&2 || exit 1
  swift build --static-swift-stdlib --scratch-path .build-static --product consultctl >&2 || exit 1
  bin=$(swift build --static-swift-stdlib --scratch-path .build-static --show-bin-path)
fi

stage=$(mktemp -d /tmp/consultd-e2e.XXXXXX)
chmod 0755 "$stage"   # the consultd user must reach the binaries
cp "$bin/consultd" "$bin/consultctl" "$stage/"
cp -r systemd config "$stage/"
machine="consultd-e2e-$$"
systemd-nspawn --directory=/ --volatile=yes --boot --register=no --keep-unit --console=read-only \
  --machine="$machine" --bind-ro="$stage:/opt/consultd" -- systemd.firstboot=off >"$stage/console.log" 2>&1 &
nspawn=$!

ct=""
cleanup() {
  kill -TERM "$nspawn" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
  # Killing the container's init ends every process of its PID namespace: none outlives the test.
  [ -n "$ct" ] && kill -KILL "$ct" 2>/dev/null
  kill -KILL "$nspawn" 2>/dev/null
  wait "$nspawn" 2>/dev/null
  rm -rf "$stage"
}
trap cleanup EXIT

passed=0
failed=0
check() {  # check DESCRIPTION COMMAND…
  local description=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   - $description"
  else
    failed=$((failed + 1))
    echo "FAIL - $description"
  fi
}

for _ in $(seq 300); do
  for child in $(pgrep -P "$nspawn" 2>/dev/null); do
    [ "$(cat /proc/"$child"/comm 2>/dev/null)" = systemd ] && ct=$child
  done
  [ -n "$ct" ] && break
  sleep 0.1
done
if [ -z "$ct" ]; then echo "FAIL - the container did not start"; cat "$stage/console.log"; exit 1; fi
in_ct() { nsenter -t "$ct" -a "$@"; }
# as_user USER COMMAND…: run as an account of the container, with its groups (no PAM, unlike runuser).
as_user() { nsenter -t "$ct" -a sh -c 'u=$1; shift; exec setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "$@"' sh "$@"; }

state=""
for _ in $(seq 600); do
  state=$(in_ct systemctl is-system-running 2>/dev/null)
  case "$state" in running|degraded) break ;; esac
  sleep 0.1
done
check "the container's systemd is up ($state)" test "$state" = running -o "$state" = degraded

# Install as scripts/install.sh would, with a drop-in pointing at the bound binaries.
in_ct sh -e -s <<'EOF'
install -D -m 0644 /opt/consultd/systemd/consultd.service /etc/systemd/system/consultd.service
mkdir -p /etc/systemd/system/consultd.service.d
cat > /etc/systemd/system/consultd.service.d/e2e.conf <<'UNIT'
[Service]
ExecStartPre=
ExecStartPre=/opt/consultd/consultd --check-config --config /etc/consultd/consultd.toml
ExecStart=
ExecStart=/opt/consultd/consultd --config /etc/consultd/consultd.toml
UNIT
install -D -m 0644 /opt/consultd/systemd/consultd.sysusers /etc/sysusers.d/consultd.conf
install -D -m 0644 /opt/consultd/systemd/consultd.tmpfiles /etc/tmpfiles.d/consultd.conf
# /usr is the host's, read-only: the catalog goes to a private /usr/local of the container.
mount -t tmpfs tmpfs /usr/local
install -D -m 0644 /opt/consultd/systemd/consultd.catalog /usr/local/lib/systemd/catalog/consultd.catalog
install -D -m 0644 /opt/consultd/config/calendars/vn.toml /etc/consultd/calendars/vn.toml
systemd-sysusers
systemd-tmpfiles --create /etc/tmpfiles.d/consultd.conf
journalctl --update-catalog
for u in clerk-sxd clerk-stc outsider; do useradd -M -G consultd-submit "$u"; done
cat > /etc/consultd/consultd.toml <<'TOML'
spool = "/var/spool/consultd"
state = "/var/lib/consultd/state.sqlite"
calendar = "/etc/consultd/calendars/vn.toml"
authorization = "owner"
[leadership]
contacts = ["leaders@example.vn"]
[agencies.SXD]
name = "Sở Xây dựng"
office = ["office.sxd@example.vn"]
head = ["head.sxd@example.vn"]
submitters = ["user:clerk-sxd"]
[agencies.STC]
name = "Sở Tài chính"
office = ["office.stc@example.vn"]
head = ["head.stc@example.vn"]
submitters = ["user:clerk-stc"]
TOML
cp /etc/consultd/consultd.toml /etc/consultd/consultd.toml.good
systemctl daemon-reload
EOF
check "installed inside the container" test $? -eq 0

# submit USER NAME JSON: write in tmp/ as USER, rename into new/ (the hand-off protocol).
submit() {
  printf '%s' "$3" | as_user "$1" sh -c "umask 022; cat > /var/spool/consultd/tmp/$2 && mv /var/spool/consultd/tmp/$2 /var/spool/consultd/new/$2"
}
wait_until() {  # wait_until SECONDS COMMAND…
  local limit=$(( $1 * 10 ))
  shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 0.1; done
  return 1
}
new_empty() { [ -z "$(in_ct ls -A /var/spool/consultd/new)" ]; }
main_pid() { in_ct systemctl show -p MainPID --value consultd; }

in_ct systemctl start consultd || in_ct systemctl status consultd --no-pager | tail -20
check "systemctl start returns after READY (active, running)" \
  test "$(in_ct systemctl show -p ActiveState,SubState --value consultd | tr '\n' ' ')" = "active running "
check "STATUS= reaches systemd" sh -c "nsenter -t $ct -a systemctl show -p StatusText --value consultd | grep -q 'open consultations'"
check "runs as the static consultd user" test "$(in_ct ps -o user= -p "$(main_pid)")" = consultd

submit clerk-sxd req.json '{"kind": "request", "id": "E2E-SD-1", "title": "Dự thảo", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}'
submit clerk-stc vague.json '{"kind": "reply", "request": "E2E-SD-1", "agency": "STC", "received": "2025-03-04T10:00:00+07:00", "position": "agree", "text": "Về cơ bản thống nhất."}'
check "documents from the agencies' submitters are applied" wait_until 10 new_empty
check "both are in done/" sh -c "nsenter -t $ct -a sh -c 'ls /var/spool/consultd/done/*/' | grep -c -e req.json -e vague.json | grep -qx 2"
check "journalctl -u consultd CONSULT_EVENT=vague shows the event" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd CONSULT_EVENT=vague -o json --no-pager | grep -q '\"CONSULT_AGENCY\":\"STC\"'"
check "journalctl -x explains it from the catalog" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -x -u consultd CONSULT_EVENT=vague --no-pager | grep -q 'does not discharge the duty'"

submit outsider forged.json '{"kind": "reply", "request": "E2E-SD-1", "agency": "STC", "received": "2025-03-04T11:00:00+07:00", "position": "agree"}'
check "a document from a non-submitter is refused" wait_until 10 new_empty
check "… with code unauthorized" sh -c "nsenter -t $ct -a cat /var/spool/consultd/rejected/forged.json.error.json | grep -q '\"code\": \"unauthorized\"'"
check "… and an alert naming the account" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd -p alert -o json --no-pager | grep -q '\"CONSULT_ACCOUNT\":\"outsider\"'"
as_user clerk-stc sh -c 'echo "{}" > /var/spool/consultd/tmp/mine'
refused() { ! "$@" 2>/dev/null; }
check "a submitter cannot remove another's file (sticky tmp/ and new/)" refused as_user outsider rm -f /var/spool/consultd/tmp/mine
check "… the file is still there" in_ct test -e /var/spool/consultd/tmp/mine
check "… nor rename it into new/" refused as_user outsider mv /var/spool/consultd/tmp/mine /var/spool/consultd/new/stolen
check "… nor list the spool" refused as_user outsider ls /var/spool/consultd/new
as_user clerk-stc rm /var/spool/consultd/tmp/mine
wait_until 10 new_empty

status_of() { in_ct /opt/consultd/consultctl status | grep '^daemon'; }
check "consultctl status shows the daemon's STATUS line" \
  wait_until 5 sh -c "nsenter -t $ct -a /opt/consultd/consultctl status | grep -q 'daemon .*active: 1 open consultations, 1 overdue duties, last intake 20'"
status_of

# systemd 252 ends the reload job when `kill -HUP` exits. The daemon's RELOADING=1 can arrive after
# that and show the unit "reloading" until its READY=1 (tens of ms, longer under load), so the
# checks wait for "active" instead of sampling the state once.
pid=$(main_pid)
active_again() { [ "$(in_ct systemctl is-active consultd)" = active ]; }
check "systemctl reload works" in_ct systemctl reload consultd
check "… same process" test "$(main_pid)" = "$pid"
check "… active again after its READY=1, within 5 s" wait_until 5 active_again
check "… and the journal says it reloaded" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd --no-pager | grep -q 'consultd reloaded /etc/consultd/consultd.toml'"
in_ct sh -c 'printf "\n[policy]\nsilence = \"sometimes\"\n" >> /etc/consultd/consultd.toml'
in_ct systemctl reload consultd
check "a broken config on reload does not kill it" test "$(main_pid)" = "$pid"
check "… it is active again" wait_until 5 active_again
check "… and is logged with its key" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd CONSULT_EVENT=config-invalid --no-pager | grep -q policy.silence"
in_ct cp /etc/consultd/consultd.toml.good /etc/consultd/consultd.toml
in_ct systemctl reload consultd
wait_until 5 active_again

# kill -9 in the middle of intake: restarted, nothing lost, nothing sent twice.
for i in $(seq 1 20); do
  submit clerk-sxd "late-$i.json" "{\"kind\": \"request\", \"id\": \"E2E-K-$i\", \"title\": \"t\", \"lead\": \"SXD\", \"consulted\": [\"STC\"], \"sent\": \"2025-03-03T09:00:00+07:00\", \"deadline\": \"2025-03-10\"}"
done
( for i in $(seq 21 40); do
    submit clerk-sxd "late-$i.json" "{\"kind\": \"request\", \"id\": \"E2E-K-$i\", \"title\": \"t\", \"lead\": \"SXD\", \"consulted\": [\"STC\"], \"sent\": \"2025-03-03T09:00:00+07:00\", \"deadline\": \"2025-03-10\"}"
  done ) &
feeder=$!
pid=$(main_pid)
sleep 0.05
in_ct kill -9 "$pid"
at_kill=$(in_ct sh -c 'ls /var/spool/consultd/done/*/ | grep -c "^late-"')
wait "$feeder"
echo "     killed with $at_kill of 40 documents applied"
check "kill -9 is followed by a restart" wait_until 20 sh -c "p=\$(nsenter -t $ct -a systemctl show -p MainPID --value consultd); [ \"\$p\" != 0 ] && [ \"\$p\" != $pid ] && [ \"\$(nsenter -t $ct -a systemctl is-active consultd)\" = active ]"
check "every document is applied after the restart" wait_until 20 new_empty
done_count=$(in_ct sh -c 'ls /var/spool/consultd/done/*/ | grep -c "^late-"')
check "each document is in done/ exactly once ($done_count of 40)" test "$done_count" = 40
outbox_count=$(in_ct sh -c 'ls /var/spool/consultd/outbox | grep -c "^E2E-K-"')
check "the outbox holds each notice once ($outbox_count of 40)" test "$outbox_count" = 40
# journald takes entries asynchronously: give the last ones a moment to be indexed.
notice_ids() { in_ct journalctl -u consultd -o json --no-pager | grep -o '"CONSULT_NOTICE_ID":"E2E-K-[^"]*"' | sort; }
every_notice_seen() { [ "$(notice_ids | uniq | grep -c .)" -ge 40 ]; }
wait_until 5 every_notice_seen
journal_ids=$(notice_ids)
distinct=$(printf '%s\n' "$journal_ids" | uniq | grep -c .)
total=$(printf '%s\n' "$journal_ids" | grep -c .)
twice=$(printf '%s\n' "$journal_ids" | uniq -d | grep -c .)
thrice=$(printf '%s\n' "$journal_ids" | uniq -c | awk '$1 > 2' | grep -c .)
echo "     journal: $distinct distinct notices, $total entries, $twice written twice (crash redelivery)"
check "the journal holds every notice at least once" test "$distinct" = 40
check "… and none more than twice" test "$thrice" = 0

in_ct systemctl stop consultd
check "systemctl stop exits cleanly (Result=success, exit status 0)" \
  test "$(in_ct systemctl show -p Result --value consultd)/$(in_ct systemctl show -p ExecMainStatus --value consultd)" = "success/0"
check "the journal says it stopped" wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd --no-pager | grep -q 'consultd stopping'"

if [ "$failed" -gt 0 ]; then
  echo "--- consultd journal in the container"
  in_ct journalctl -u consultd --no-pager | tail -40
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
