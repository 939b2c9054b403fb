#!/usr/bin/env bash
# End-to-end test of consultd and consultd-mail as installed: the hardened units, sysusers,
# tmpfiles and catalog, with Postfix delivering to local Maildirs, under a real systemd booted in
# a container (systemd-nspawn over the host's /usr, with a fresh
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
# Postfix's programs come from the host's /usr; the container gets a copy of its /etc/postfix.
if [ ! -x /usr/sbin/postfix ]; then
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi

bin=${CONSULTD_STATIC_BIN:-}
if [ -z "$bin" ]; then
  # Static Swift runtime: the container sees the host's /usr but not the toolchain in /opt.
  swift build --static-swift-stdlib --scratch-path .build-static --product consultd >&2 || exit 1
  swift build --static-swift-stdlib --scratch-path .build-static --product consultctl >&2 || exit 1
  swift build --static-swift-stdlib --scratch-path .build-static --product consultd-mail >&2 || exit 1
  bin=$(swift build --static-swift-stdlib --scratch-path .build-static --show-bin-path)
fi

stage=$(mktemp -d /tmp/consultd-e2e.XXXXXX)
chmod 0755 "$stage"   # the consultd user must reach the binaries
cp "$bin/consultd" "$bin/consultctl" "$bin/consultd-mail" "$stage/"
cp -r systemd config "$stage/"
mkdir -p "$stage/scripts"
cp scripts/postfix-test.sh scripts/check-mailbox.py "$stage/scripts/"
cp -r /etc/postfix "$stage/postfix"
# Debian's alternatives (awk, which Postfix's start script uses) are symlinks in /etc.
cp -a /etc/alternatives "$stage/alternatives"
# The container's /etc is fresh (a tmpfs): runuser needs the host's PAM configuration (its session
# modules read /etc/security).
cp -r /etc/pam.d "$stage/pam.d"
cp -r /etc/security "$stage/security"
machine="consultd-e2e-$$"
systemd-nspawn --directory=/ --volatile=yes --boot --register=no --keep-unit --console=read-only \
  --machine="$machine" --bind-ro="$stage:/opt/consultd" -- systemd.firstboot=off >"$stage/console.log" 2>&1 &
nspawn=$!

ct=""
cleanup() {
  stop_container "$nspawn" "$ct"
  rm -rf "$stage"
}
trap cleanup EXIT

# check, wait_until, stop_container
source scripts/lib/checks.sh

ct=$(container_init "$nspawn")
if [ -z "$ct" ]; then echo "FAIL - the container did not start"; cat "$stage/console.log"; exit 1; fi
in_ct() { nsenter -t "$ct" -a "$@"; }
# as_user USER COMMAND…: run as an account of the container, with its groups (no PAM, unlike runuser,
# for commands that are not consultctl's: a hostile account's shell).
as_user() { nsenter -t "$ct" -a sh -c 'u=$1; shift; exec setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "$@"' sh "$@"; }

state=$(system_state)
check "the container's systemd is up ($state)" test "$state" = running -o "$state" = degraded

# Install as scripts/install.sh would, with a drop-in pointing at the bound binaries.
in_ct sh -e -s <<'EOF'
# A consultd installed on the host's /usr is preset-enabled in the container and retries every 2 s
# until a configuration exists: stopped, so the binaries under test are the ones that start.
systemctl stop consultd.service 2>/dev/null || true
install -D -m 0644 /opt/consultd/systemd/consultd.service /etc/systemd/system/consultd.service
mkdir -p /etc/systemd/system/consultd.service.d
cat > /etc/systemd/system/consultd.service.d/e2e.conf <<'UNIT'
[Service]
ExecStartPre=
ExecStartPre=/opt/consultd/consultd --check-config --config /etc/consultd/consultd.toml
ExecStart=
ExecStart=/opt/consultd/consultd --config /etc/consultd/consultd.toml
ExecReload=
ExecReload=/opt/consultd/consultd --check-config --config /etc/consultd/consultd.toml
ExecReload=/bin/kill -HUP $MAINPID
UNIT
install -D -m 0644 /opt/consultd/systemd/consultd-mail.service /etc/systemd/system/consultd-mail.service
mkdir -p /etc/systemd/system/consultd-mail.service.d
cat > /etc/systemd/system/consultd-mail.service.d/e2e.conf <<'UNIT'
[Service]
ExecStartPre=
ExecStartPre=/opt/consultd/consultd-mail --check-config --config /etc/consultd/consultd.toml
ExecStart=
ExecStart=/opt/consultd/consultd-mail --config /etc/consultd/consultd.toml
ExecReload=
ExecReload=/opt/consultd/consultd-mail --check-config --config /etc/consultd/consultd.toml
ExecReload=/bin/kill -HUP $MAINPID
UNIT
install -D -m 0644 /opt/consultd/systemd/consultd.sysusers /etc/sysusers.d/consultd.conf
install -D -m 0644 /opt/consultd/systemd/consultd.tmpfiles /etc/tmpfiles.d/consultd.conf
# /usr is the host's, read-only: the catalog goes to a private /usr/local of the container.
mount -t tmpfs tmpfs /usr/local
install -D -m 0644 /opt/consultd/systemd/consultd.catalog /usr/local/lib/systemd/catalog/consultd.catalog
install -D -m 0644 /opt/consultd/config/calendars/vn.toml /etc/consultd/calendars/vn.toml
[ -e /etc/pam.d/runuser ] || cp -r /opt/consultd/pam.d /etc/pam.d
[ -e /etc/security/limits.conf ] || cp -r /opt/consultd/security /etc/security
mkdir -p /usr/local/bin
ln -s /opt/consultd/consultctl /usr/local/bin/consultctl
systemd-sysusers
systemd-tmpfiles --create /etc/tmpfiles.d/consultd.conf
journalctl --update-catalog
# The agencies' clerks submit through their agency's group, as a city configures them; outsider is
# in consultd-submit but may speak for no agency; mallory is no submitter at all.
groupadd sxd
groupadd stc
useradd -m -G consultd-submit,sxd clerk-sxd
useradd -m -G consultd-submit,stc clerk-stc
useradd -m -G consultd-submit outsider
useradd -m mallory
# Postfix as its package would have set it up (its accounts; /etc/postfix), delivering each
# example.vn address to ~/Maildir/ of an account cm-LOCAL-PART (scripts/postfix-test.sh).
[ -e /etc/alternatives/awk ] || cp -a /opt/consultd/alternatives/. /etc/alternatives/
getent group postdrop >/dev/null || groupadd --system postdrop   # consultd.sysusers makes it too
useradd --system --user-group --home-dir /var/spool/postfix --shell /usr/sbin/nologin postfix
cp -r /opt/consultd/postfix /etc/postfix
echo localhost > /etc/mailname
/opt/consultd/scripts/postfix-test.sh configure cm-office-sxd cm-head-sxd cm-office-stc cm-head-stc cm-leaders >/dev/null
cat > /etc/consultd/consultd.toml <<'TOML'
spool = "/var/spool/consultd"
state = "/var/lib/consultd/state.sqlite"
calendar = "/etc/consultd/calendars/vn.toml"
authorization = "owner"
[mail]
from = "Hệ thống theo dõi lấy ý kiến <consultd@ubnd.example.vn>"
domain = "consultd.test"
[leadership]
contacts = ["leaders@example.vn"]
[agencies.SXD]
name = "Sở Xây dựng"
office = ["office.sxd@example.vn"]
head = ["head.sxd@example.vn"]
submitters = ["group:sxd"]
[agencies.STC]
name = "Sở Tài chính"
office = ["office.stc@example.vn"]
head = ["head.stc@example.vn"]
submitters = ["group:stc"]
TOML
cp /etc/consultd/consultd.toml /etc/consultd/consultd.toml.good
systemctl daemon-reload
EOF
check "installed inside the container" test $? -eq 0

# by_user USER COMMAND: a shell command run by USER in its home through runuser (PAM, as an
# administrator would), with consultctl on its PATH.
by_user() { in_ct runuser -u "$1" -- sh -c "cd /home/$1 && PATH=/usr/local/bin:/usr/bin:/bin && $2"; }
# submit USER NAME JSON: USER writes NAME in its home and hands it off with `consultctl submit` —
# a member of consultd-submit, who cannot list tmp/ or new/.
submit() {
  printf '%s' "$3" | by_user "$1" "umask 077; cat > '$2' && consultctl submit '$2' >/dev/null && rm '$2'"
}
new_empty() { [ -z "$(in_ct ls -A /var/spool/consultd/new)" ]; }
main_pid() { in_ct systemctl show -p MainPID --value consultd; }

in_ct systemctl start consultd || in_ct systemctl status consultd --no-pager | tail -20
check "systemctl start returns after READY (active, running)" \
  test "$(in_ct systemctl show -p ActiveState,SubState --value consultd | tr '\n' ' ')" = "active running "
check "STATUS= reaches systemd" sh -c "nsenter -t $ct -a systemctl show -p StatusText --value consultd | grep -q 'open consultations'"
check "runs as the static consultd user" test "$(in_ct ps -o user= -p "$(main_pid)")" = consultd
check "runs the binary under test" test "$(in_ct readlink "/proc/$(main_pid)/exe")" = /opt/consultd/consultd

check "the unit caps memory (MemoryHigh=384M, MemoryMax=512M)" \
  test "$(in_ct systemctl show -p MemoryHigh,MemoryMax --value consultd | tr '\n' ' ')" = "402653184 536870912 "
check "… and limits restarts (StartLimitBurst=5 in StartLimitIntervalSec=10min)" \
  test "$(in_ct systemctl show -p StartLimitBurst --value consultd)/$(in_ct systemctl show -p StartLimitIntervalUSec --value consultd)" = "5/10min"

# consultd-mail, with the container's Postfix (its packaged unit, from the host's /usr).
in_ct systemctl start postfix || in_ct systemctl status postfix@- --no-pager | tail -20
check "Postfix runs in the container" sh -c "nsenter -t $ct -a postfix status 2>/dev/null"
in_ct systemctl start consultd-mail || in_ct systemctl status consultd-mail --no-pager | tail -20
mail_pid() { in_ct systemctl show -p MainPID --value consultd-mail; }
check "both units are active (consultd, consultd-mail)" \
  test "$(in_ct systemctl is-active consultd consultd-mail | tr '\n' ' ')" = "active active "
check "consultd-mail runs as consultd-outbox, with postdrop as a supplementary group" \
  sh -c "[ \"\$(nsenter -t $ct -a ps -o user= -p $(mail_pid))\" = consultd-outbox ] && nsenter -t $ct -a grep -q \"^Groups:.*\$(nsenter -t $ct -a getent group postdrop | cut -d: -f3)\" /proc/$(mail_pid)/status"
check "… under NoNewPrivileges (the setgid bit of postdrop means nothing to it)" \
  sh -c "nsenter -t $ct -a grep -q '^NoNewPrivs:.*1' /proc/$(mail_pid)/status"
check "… cannot read the state store, done/ or rejected/" \
  sh -c "! nsenter -t $ct -a setpriv --reuid=consultd-outbox --regid=consultd-outbox --init-groups ls /var/spool/consultd/done /var/spool/consultd/rejected /var/lib/consultd 2>/dev/null"
check "consultd-mail's STATUS= reaches systemd" \
  sh -c "nsenter -t $ct -a systemctl show -p StatusText --value consultd-mail | grep -qE 'notices? waiting'"

check "a clerk hands a request off with consultctl submit (runuser)" \
  submit clerk-sxd req.json '{"kind": "request", "id": "E2E-SD-1", "title": "Dự thảo", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}'
check "… another clerk a reply" \
  submit clerk-stc vague.json '{"kind": "reply", "request": "E2E-SD-1", "agency": "STC", "received": "2025-03-04T10:00:00+07:00", "position": "agree", "text": "Về cơ bản thống nhất."}'
check "documents from the agencies' submitters are applied" wait_until 10 new_empty
check "both are in done/" sh -c "nsenter -t $ct -a sh -c 'ls /var/spool/consultd/done/*/' | grep -c -e req.json -e vague.json | grep -qx 2"
check "journalctl -u consultd CONSULT_EVENT=vague shows the event" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd CONSULT_EVENT=vague -o json --no-pager | grep -q '\"CONSULT_AGENCY\":\"STC\"'"
check "journalctl -x explains it from the catalog" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -x -u consultd CONSULT_EVENT=vague --no-pager | grep -q 'does not discharge the duty'"

# The clerk's reply became a notice; consultd-mail hands it to Postfix, which delivers it.
mailbox_has() {  # mailbox_has ACCOUNT MESSAGE-ID
  nsenter -t "$ct" -a sh -c "grep -l -F 'Message-ID: <$2>' /home/$1/Maildir/new/* 2>/dev/null" | grep -q .
}
check "a clerk's document produced a message in the agency office's mailbox" \
  wait_until 30 mailbox_has cm-office-stc E2E-SD-1.STC.vague@consultd.test
check "… and in the lead office's (Cc)" wait_until 10 mailbox_has cm-office-sxd E2E-SD-1.STC.vague@consultd.test
check "… the notice moved to outbox/sent/DATE/" \
  wait_until 10 sh -c "nsenter -t $ct -a sh -c 'ls /var/spool/consultd/outbox/sent/*/' | grep -qx E2E-SD-1.STC.vague.json"
check "… every header, the Vietnamese subject and the body as the notice says (Python's email package)" \
  in_ct python3 /opt/consultd/scripts/check-mailbox.py --sent /var/spool/consultd/outbox/sent --prefix E2E-SD-1. \
    --domain consultd.test --from consultd@ubnd.example.vn --from-name "Hệ thống theo dõi lấy ý kiến" --wait 10
check "journalctl -u consultd-mail CONSULT_EVENT=mail-sent names the notice and its recipients" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd-mail CONSULT_EVENT=mail-sent -o json --no-pager | grep '\"CONSULT_NOTICE_ID\":\"E2E-SD-1.STC.vague\"' | grep -q '\"CONSULT_RECIPIENTS\":\"office.stc@example.vn,office.sxd@example.vn\"'"
check "… explained by journalctl -x" \
  sh -c "nsenter -t $ct -a journalctl -x -u consultd-mail CONSULT_EVENT=mail-sent --no-pager | grep -q 'handed notice E2E-SD-1.STC.vague'"
check "consultctl status counts the notices sent" \
  sh -c "nsenter -t $ct -a /opt/consultd/consultctl status | grep -E '^notices sent +[1-9]'"

# submit_refused USER NAME CODE: USER's `consultctl submit NAME` from its home exits 65, naming
# NAME with CODE: consultctl checks the caller as the daemon will check the file's owner.
submit_refused() {
  local out
  out=$(by_user "$1" "consultctl submit '$2' 2>&1")
  [ $? = 65 ] && printf '%s' "$out" | grep -q "^$2: $3"
}
printf '%s' '{"kind": "reply", "request": "E2E-SD-1", "agency": "STC", "received": "2025-03-04T11:00:00+07:00", "position": "agree"}' |
  by_user outsider "cat > forged.json"
check "consultctl submit refuses to hand off for an account that may speak for no agency" \
  submit_refused outsider forged.json unauthorized
# A hostile account does not use consultctl: the daemon must refuse the file itself.
as_user outsider sh -c 'cd /home/outsider && install -m 0644 forged.json /var/spool/consultd/tmp/forged.json &&
  mv /var/spool/consultd/tmp/forged.json /var/spool/consultd/new/forged.json'
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

# Whole letters (contract §5): the clerks of SXD and STC work in their homes with their own
# accounts; STC's clerk checks each reply with `consultctl assess` (which cannot read the state
# store) and hands it off; the administrator reads the verdict back with journalctl and
# `consultctl show`, and the evidence in `show` and in the notice. The letters are labelled
# công văn of the corpora (four clear, two vague, two deflections), picked by number and symbol.
letters="$stage/letters"
mkdir -p "$letters"
python3 - "$letters" <<'PY' || echo "     letters could not be prepared"
import json, sys
out = sys.argv[1]
picks = [  # (corpus, number and symbol of the letter)
    ("shared-corpus/letters.jsonl", "5514/STC-QLGCS"),  # clear: hedge beside an amount and a duration
    ("shared-corpus/letters.jsonl", "5240/STC-QLGCS"),  # clear: a reasoned disagreement
    ("letters/heldout-g.jsonl", "4027/STC-QLGCS"),      # clear: plain agreement in a long frame
    ("letters/heldout-d.jsonl", "3318/STC-QLG"),        # clear: flattened onto one line with " | "
    ("shared-corpus/letters.jsonl", "680/STC-QLGCS"),   # vague: a deferral to the lead
    ("letters/heldout-c.jsonl", "1049/STC-QLGCS"),      # vague: a hedge; the amounts are in the frame
    ("shared-corpus/letters.jsonl", "6423/STC-QLCS"),   # deflection: part of the matter disclaimed
    ("letters/vi-formal.jsonl", "754/STC-QLGCS"),       # deflection: the disclaimer last, after figures
]
names = []
for k, (corpus, number) in enumerate(picks, 1):
    found = [json.loads(l) for l in open(f"Tests/Fixtures/{corpus}", encoding="utf-8") if f"Số: {number}" in l]
    assert len(found) == 1, (corpus, number)
    d = found[0]
    text, name, cid = d["text"], f"L{k}", f"E2E-LETTER-{k}"
    json.dump({"kind": "request", "id": cid, "title": f"Dự thảo {k}", "lead": d["lead"], "consulted": [d["agency"]],
               "sent": "2026-11-30T09:00:00+07:00", "deadline": "2026-12-15"},
              open(f"{out}/{name}.request.json", "w"), ensure_ascii=False)
    reply = {"kind": "reply", "request": cid, "agency": d["agency"], "received": "2026-12-01T10:00:00+07:00", "text": text}
    reply.update({key: d[key] for key in ("position", "refer_to", "comments") if key in d})
    json.dump(reply, open(f"{out}/{name}.reply.json", "w"), ensure_ascii=False, indent=1)
    # The body: after the opening ("… có ý kiến như sau:"), before the closing ("Trên đây là ý
    # kiến …" / "Đề nghị Sở Xây dựng tổng hợp …"). Header, salutation, signature and recipients are outside it.
    start = text.index("như sau:") + len("như sau:")
    end = max(text.rfind("Trên đây là ý kiến"), text.rfind("Đề nghị Sở Xây dựng tổng hợp"))
    assert start < end, name
    open(f"{out}/{name}.body", "w", encoding="utf-8").write(text[start:end])
    names.append(f"{name} {cid} {d['label']}")
# A clerk's bad files: a 2 MB letter, a letter with bytes that are not UTF-8; SXD's clerk speaking
# for STC; STC's clarification of the vague letter L5 (a clear letter, sent later).
first = json.load(open(f"{out}/L1.reply.json"))
big = dict(first, request="E2E-LETTER-5", text=first["text"] + "\n" + "Đề nghị bổ sung. " * 90000)
open(f"{out}/big.json", "w").write(json.dumps(big, ensure_ascii=False))
raw = json.dumps(dict(first, request="E2E-LETTER-5"), ensure_ascii=False).encode()
at = raw.index("Sở Tài chính".encode())
open(f"{out}/not-utf8.json", "wb").write(raw[:at] + b"\xc3\x28\xff" + raw[at:])
json.dump(dict(first, request="E2E-LETTER-2", received="2026-12-01T12:00:00+07:00"),
          open(f"{out}/as-stc.json", "w"), ensure_ascii=False)
json.dump(dict(first, request="E2E-LETTER-5", received="2026-12-01T15:00:00+07:00"),
          open(f"{out}/clarified.json", "w"), ensure_ascii=False)
open(f"{out}/names", "w").write("\n".join(names) + "\n")
PY
in_ct sh -c 'cd /opt/consultd/letters &&
  install -o clerk-sxd -m 0600 *.request.json as-stc.json /home/clerk-sxd/ &&
  install -o clerk-stc -m 0600 *.reply.json big.json not-utf8.json clarified.json /home/clerk-stc/'

# as_clerk USER COMMAND: a shell command in the clerk's home, with consultctl on its PATH.
as_clerk() { as_user "$1" sh -c "cd /home/$1 && PATH=/usr/local/bin:/usr/bin:/bin && $2"; }
# handoff USER FILE…: the clerk's `consultctl submit FILE…` from its home, through runuser.
handoff() {
  local user=$1
  shift
  by_user "$user" "consultctl submit $*" >/dev/null
}
# handoff_by_hand USER FILE…: the Maildir hand-off with shell commands (mode 0644: consultd reads
# it) — a clerk who bypasses consultctl, whose checks would refuse these files before the daemon.
handoff_by_hand() {
  local user=$1
  shift
  as_clerk "$user" "for f in $*; do install -m 0644 \"\$f\" /var/spool/consultd/tmp/\"\$f\" && mv /var/spool/consultd/tmp/\"\$f\" /var/spool/consultd/new/\"\$f\" || exit 1; done"
}
assessed_as() {  # assessed_as NAME LABEL: the clerk's assess says LABEL, exit 0 when clear, else 1
  local out status expected=1
  [ "$2" = clear ] && expected=0
  out=$(as_clerk clerk-stc "consultctl assess --format json $1.reply.json")
  status=$?
  [ "$status" = "$expected" ] &&
    printf '%s' "$out" | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)[0]["verdict"] != sys.argv[1])' "$2"
}
journal_says() {  # journal_says ID LABEL: an entry of event LABEL with the agency, reasons and MESSAGE; none for a clear letter
  local event
  for event in vague deflection; do
    in_ct journalctl -u consultd CONSULT_EVENT=$event -o json --no-pager | python3 -c '
import json, sys
cid, event, label = sys.argv[1:]
mine = [e for e in map(json.loads, sys.stdin) if e.get("CONSULT_ID") == cid]
if event != label: sys.exit(len(mine) != 0)
sys.exit(not (len(mine) == 1 and mine[0].get("CONSULT_AGENCY") == "STC" and mine[0].get("CONSULT_REASONS")
              and mine[0].get("MESSAGE") and mine[0].get("CONSULT_NOTICE_ID") == f"{cid}.STC.{label}"))' "$1" $event "$2" || return 1
  done
}
shown_as() {  # shown_as ID LABEL: consultctl show gives the reply that verdict
  in_ct consultctl show "$1" --format json | python3 -c '
import json, sys
replies = [d for d in json.load(sys.stdin)["documents"] if d["kind"] == "reply"]
sys.exit(not (len(replies) == 1 and replies[0]["assessment"] == sys.argv[1]))' "$2"
}
quotes_body() {  # quotes_body NAME ID LABEL: every quote of show, and of the notice, lies in the letter's body
  in_ct consultctl show "$2" --format json >"$stage/show.json" || return 1
  : >"$stage/notice.json"
  # In the outbox, or already in sent/DATE/ when consultd-mail has delivered it.
  if [ "$3" != clear ]; then
    in_ct sh -c "cat /var/spool/consultd/outbox/$2.STC.$3.json 2>/dev/null || cat /var/spool/consultd/outbox/sent/*/$2.STC.$3.json" \
      >"$stage/notice.json" || return 1
  fi
  python3 -c '
import json, re, sys
body = open(sys.argv[1], encoding="utf-8").read()
quotes = [e["quote"] for d in json.load(open(sys.argv[2]))["documents"] for e in d["evidence"] if e["quote"] is not None]
notice = open(sys.argv[3], encoding="utf-8").read()
if notice:
    noticed = re.findall("“(.*?)”", json.loads(notice)["body"], re.S)
    if not noticed: sys.exit(1)
    quotes += noticed
sys.exit(not (quotes and all(q in body for q in quotes)))' "$letters/$1.body" "$stage/show.json" "$stage/notice.json"
}

check "SXD's clerk hands its requests off from its home with consultctl submit" \
  handoff clerk-sxd "$(cd "$letters" && echo L*.request.json)"
check "… each is applied" wait_until 10 new_empty
while read -r name cid label; do
  check "STC's clerk: consultctl assess judges $name $label without the state store" assessed_as "$name" "$label"
done <"$letters/names"
check "STC's clerk hands the whole letters off with consultctl submit" handoff clerk-stc "$(cd "$letters" && echo L*.reply.json)"
check "… each is applied" wait_until 10 new_empty
check "… each is in done/ once" sh -c "nsenter -t $ct -a sh -c 'ls /var/spool/consultd/done/*/' | grep -c '^L[0-9]*\.reply\.json$' | grep -qx $(grep -c . "$letters/names")"
while read -r name cid label; do
  check "journalctl -u consultd CONSULT_EVENT=vague|deflection -o json gives $name its verdict: $label" wait_until 5 journal_says "$cid" "$label"
  check "… consultctl show $cid: $label" shown_as "$cid" "$label"
  check "… its evidence (and notice) quotes the letter's body, never its frame" quotes_body "$name" "$cid" "$label"
done <"$letters/names"

# A hostile account, and a clerk's bad files: each refused with its code, the daemon serving on.
pid=$(main_pid)
refused_as() { in_ct grep -q "\"code\": \"$2\"" "/var/spool/consultd/rejected/$1.error.json"; }
handoff_by_hand clerk-stc big.json not-utf8.json
as_user outsider ln -s /etc/shadow /var/spool/consultd/new/shadow.json
as_user outsider mkfifo /var/spool/consultd/new/fifo.json
check "consultctl submit refuses SXD's clerk a reply for STC: unauthorized" submit_refused clerk-sxd as-stc.json unauthorized
check "SXD's clerk hands the reply for STC off by hand" handoff_by_hand clerk-sxd as-stc.json
check "hostile hand-offs leave new/" wait_until 10 new_empty
check "… a clerk's 2 MB letter: too_large" refused_as big.json too_large
check "… a clerk's letter that is not UTF-8: invalid_utf8" refused_as not-utf8.json invalid_utf8
check "… a symlink to /etc/shadow: not_regular_file, never followed" refused_as shadow.json not_regular_file
check "… a FIFO: not_regular_file" refused_as fifo.json not_regular_file
check "… SXD's clerk speaking for STC: unauthorized" refused_as as-stc.json unauthorized
check "… with an alert naming the account" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd -p alert -o json --no-pager | grep -q '\"CONSULT_ACCOUNT\":\"clerk-sxd\"'"
check "an account outside consultd-submit cannot write in tmp/" refused as_user mallory sh -c 'echo {} > /var/spool/consultd/tmp/m'
as_clerk clerk-stc 'mkfifo pipe.json && ln -s /etc/shadow shadow.json'
# consultctl_refuses COMMAND FILE CODE: exit 65 within 10 s, the file named with its code.
consultctl_refuses() {
  local out
  out=$(as_clerk clerk-stc "timeout 10 consultctl $1 $2 2>&1")
  [ $? = 65 ] && printf '%s' "$out" | grep -q "^$2: $3" && ! printf '%s' "$out" | grep -q 'root:'
}
for command in assess submit; do
  check "consultctl $command refuses a FIFO without hanging" consultctl_refuses $command pipe.json not_regular_file
  check "consultctl $command refuses /dev/zero" consultctl_refuses $command /dev/zero not_regular_file
  check "consultctl $command refuses a symlink to /etc/shadow" consultctl_refuses $command shadow.json not_regular_file
  check "consultctl $command refuses a 2 MB letter" consultctl_refuses $command big.json too_large
  check "consultctl $command refuses a letter that is not UTF-8" consultctl_refuses $command not-utf8.json invalid_utf8
done
check "the daemon is still the same process" test "$(main_pid)" = "$pid"
check "STC's clerk hands its clarification off" handoff clerk-stc clarified.json
completed() { in_ct consultctl show "$1" --format json | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["state"] != "completed")'; }
check "… and still serving: a clear letter then discharges the vague one's duty" wait_until 10 completed E2E-LETTER-5

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
reload_out=$(in_ct systemctl reload consultd 2>&1)
check "a broken config: systemctl reload fails (ExecReload= checks the file first)" test $? -ne 0
check "a broken config on reload does not kill it" test "$(main_pid)" = "$pid"
check "… it is active again" wait_until 5 active_again
check "… and the journal names the key" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd --no-pager | grep -q policy.silence"
# Sent SIGHUP directly (not through systemctl), the daemon checks the file itself.
in_ct systemctl kill -s HUP --kill-whom=main consultd
check "SIGHUP with a broken config: refused by the daemon (config-invalid), still running" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -u consultd CONSULT_EVENT=config-invalid --no-pager | grep -q policy.silence"
check "… same process, active" sh -c "[ \"\$(nsenter -t $ct -a systemctl show -p MainPID --value consultd)\" = $pid ]"
wait_until 5 active_again
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
# new/ empties as the documents are archived; their steps are fired after the round (its syncfs).
# consultd-mail moves them on into sent/DATE/ as it delivers them: count both.
outbox_notices() { in_ct sh -c 'ls /var/spool/consultd/outbox /var/spool/consultd/outbox/sent/*/ | grep "^E2E-K-"'; }
wait_until 10 sh -c "[ \$(nsenter -t $ct -a sh -c 'ls /var/spool/consultd/outbox /var/spool/consultd/outbox/sent/*/ | grep -c \"^E2E-K-\"') -ge 40 ]"
outbox_count=$(outbox_notices | sed 's/\.json.*/.json/' | sort -u | grep -c .)
check "the outbox and sent/ hold each notice ($outbox_count of 40; $(outbox_notices | grep -c .) files)" test "$outbox_count" = 40
check "consultd-mail delivers each of them (the latest step, to the leadership)" \
  wait_until 30 sh -c "[ \$(nsenter -t $ct -a sh -c 'grep -l \"^Message-ID: <E2E-K-\" /home/cm-leaders/Maildir/new/* | wc -l') -ge 40 ]"
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

# A stuck loop starves the watchdog: each daemon is stopped with SIGSTOP as soon as it is active;
# its watchdog (shortened to 1 s, and the restart delay to 0.1 s, so that the test is quick) kills
# it and Restart= brings it back — until the shipped start limit (5 starts in 10 minutes) leaves
# the unit failed, with its reasons in the journal. systemd 252 keeps the last kill's result
# (watchdog) as the unit's Result, for the refused restarts too.
in_ct sh -e -c 'cat > /etc/systemd/system/consultd.service.d/stuck.conf <<UNIT
[Service]
WatchdogSec=1s
RestartSec=100ms
TimeoutAbortSec=1s
UNIT
systemctl daemon-reload
systemctl reset-failed consultd'
in_ct systemctl start consultd
stuck=0
last=""
for _ in $(seq 900); do
  if [ "$(in_ct systemctl is-active consultd)" = failed ]; then
    sleep 0.5
    [ "$(in_ct systemctl is-active consultd)" = failed ] && break
  fi
  p=$(main_pid)
  if [ "$p" != 0 ] && [ "$p" != "$last" ] && [ "$(in_ct systemctl is-active consultd)" = active ]; then
    in_ct kill -STOP "$p" && stuck=$((stuck + 1))
    last=$p
  fi
  sleep 0.1
done
check "a stuck daemon is killed by its watchdog and restarted, then refused: $stuck daemons stopped" test "$stuck" = 5
sleep 1
check "… the unit stays failed (result: watchdog; the fifth restart refused)" \
  test "$(in_ct systemctl is-active consultd)/$(in_ct systemctl show -p Result --value consultd)/$(in_ct systemctl show -p NRestarts --value consultd)" = failed/watchdog/5
check "… the journal says why each died" sh -c "nsenter -t $ct -a journalctl -u consultd --no-pager | grep -c 'Watchdog timeout' | grep -qx $stuck"
check "… and why it is not restarted" sh -c "nsenter -t $ct -a journalctl -u consultd --no-pager | grep -q 'Start request repeated too quickly'"
check "an operator's start is refused too until reset-failed" \
  sh -c "! nsenter -t $ct -a systemctl start consultd 2>/dev/null && [ \"\$(nsenter -t $ct -a systemctl is-active consultd)\" = failed ]"
in_ct systemctl reset-failed consultd
check "… and works after it" in_ct systemctl start consultd
in_ct systemctl stop consultd
in_ct journalctl -u consultd --no-pager | grep -e 'Watchdog timeout' -e 'Failed with result' -e 'repeated too quickly' | tail -3 | sed 's/^/     /'

if [ "$failed" -gt 0 ]; then
  echo "--- consultd journal in the container"
  in_ct journalctl -u consultd --no-pager | tail -40
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
