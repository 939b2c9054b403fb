#!/usr/bin/env bash
# End-to-end test of the Debian package as an administrator uses it, under a real systemd: a
# Debian 12 system booted with systemd-nspawn gets the previous build (VERSION~test1) with
# `apt-get install`, the service enabled and running as its own user, the spool made by
# tmpfiles.d; a clerk hands a request off with `consultctl submit`; the administrator edits the
# configuration; the upgrade to VERSION keeps that conffile and the state (a store of the
# schema before the last, as an earlier release left it, is migrated in place by the daemon at
# start); `apt-get remove` stops the service and keeps the data; a reinstall finds it; `apt-get
# purge` removes the configuration and keeps the records (README: "Removing consultd").
# Prints one line per check and "N passed, M failed"; exits non-zero when a check failed.
#
# The system is a minbase debootstrap of bookworm, made once (about 5 minutes, from the mirror
# of this machine's apt sources, or CONSULTD_E2E_MIRROR) and cached in
# /var/cache/consultd-e2e/bookworm-minbase; each run boots an overlay of it, so the cache stays
# as it was made. Needs root; installs systemd-container and debootstrap when missing.
#
#   scripts/e2e-deb.sh                     # builds both packages with scripts/build-deb.sh
#   CONSULTD_RELEASE_BIN=DIR scripts/e2e-deb.sh    # … from binaries already built
#   CONSULTD_DEB_OLD=OLD.deb CONSULTD_DEB=NEW.deb scripts/e2e-deb.sh   # packages already built
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then echo "e2e-deb: needs root (it boots a container)" >&2; exit 77; fi
need=()
command -v systemd-nspawn >/dev/null || need+=(systemd-container)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v readelf >/dev/null || need+=(binutils)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
    { echo "e2e-deb: could not install ${need[*]}" >&2; exit 1; }
fi

stage=$(mktemp -d /var/tmp/consultd-e2e-deb.XXXXXX)
chmod 0755 "$stage"
nspawn=""
ct=""
cleanup() {
  if [ -n "$nspawn" ]; then
    stop_container "$nspawn" "$ct"
  fi
  mountpoint -q "$stage/root" && { umount "$stage/root" 2>/dev/null || umount -l "$stage/root"; }
  rm -rf "$stage"
}
trap cleanup EXIT

# check, wait_until, stop_container
source scripts/lib/checks.sh

# The two packages: the previous build and this one.
mkdir -p "$stage/debs"
if [ -n "${CONSULTD_DEB:-}" ] && [ -n "${CONSULTD_DEB_OLD:-}" ]; then
  cp "$CONSULTD_DEB_OLD" "$CONSULTD_DEB" "$stage/debs/"
  old=$(basename "$CONSULTD_DEB_OLD")
  new=$(basename "$CONSULTD_DEB")
else
  # gzip -1 instead of xz: the same package, built in seconds instead of minutes.
  export DPKG_DEB_COMPRESSOR_TYPE=gzip DPKG_DEB_COMPRESSOR_LEVEL=1
  old=$(scripts/build-deb.sh --out "$stage/debs" --version-suffix '~test1' --no-lintian --no-dbgsym) || exit 1
  new=$(scripts/build-deb.sh --out "$stage/debs" --no-lintian --no-dbgsym) || exit 1
  old=$(basename "$old")
  new=$(basename "$new")
fi
old_version=$(dpkg-deb -f "$stage/debs/$old" Version)
new_version=$(dpkg-deb -f "$stage/debs/$new" Version)
echo "     $old_version → $new_version ($(du -h "$stage/debs/$new" | cut -f1) package)"

if [ -e "$stage/debs/${new%.deb}.changes" ]; then
  command -v lintian >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lintian >/dev/null
  lint_clean() {
    local out status
    out=$(lintian --fail-on error,warning "$1" 2>&1)
    status=$?
    printf '%s\n' "$out" | grep -v -e 'root privileges' -e '^$' | sed 's/^/     /'
    return $status
  }
  check "lintian $new: no error, no warning (debian/consultd.lintian-overrides explains the rest)" \
    lint_clean "$stage/debs/${new%.deb}.changes"
fi

# The cached Debian 12 system, made once.
cache=/var/cache/consultd-e2e
base="$cache/bookworm-minbase"
# minbase, systemd to boot, and what the package depends on that minbase lacks (libsqlite3-0;
# procps, which every Debian server has), so that a run needs no network once the system is
# cached; apt-get fetches what a new dependency needs (the container shares the host's network).
include=systemd,systemd-sysv,passwd,man-db,procps,libsqlite3-0
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ "$(cat "$base/.consultd-e2e" 2>/dev/null)" != "$include" ]; then
  mirror=${CONSULTD_E2E_MIRROR:-}
  if [ -z "$mirror" ]; then
    mirror=$( { sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) bookworm .*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
                awk '/^$/ {u = ""} /^URIs:/ {u = $2} /^Suites:/ && / bookworm( |$)/ && u != "" {print u}' /etc/apt/sources.list.d/*.sources 2>/dev/null
              } | head -1)
  fi
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "     making the Debian 12 system once: debootstrap --variant=minbase bookworm from $mirror" >&2
  rm -rf "$base" "$base.partial"
  if ! debootstrap --variant=minbase --include="$include" bookworm "$base.partial" "$mirror" >"$stage/debootstrap.log" 2>&1; then
    tail -20 "$stage/debootstrap.log" >&2
    echo "e2e-deb: debootstrap failed (the mirror $mirror reachable? CONSULTD_E2E_MIRROR=URL to name another)" >&2
    exit 1
  fi
  echo "$include" >"$base.partial/.consultd-e2e"
  mv "$base.partial" "$base"
fi
flock -u 9

# Each run on an overlay of it: what the test installs, writes and removes stays in $stage.
mkdir -p "$stage/upper" "$stage/work" "$stage/root"
mount -t overlay consultd-e2e-deb -o "lowerdir=$base,upperdir=$stage/upper,workdir=$stage/work" "$stage/root" ||
  { echo "e2e-deb: cannot mount an overlay of $base" >&2; exit 1; }
machine="consultd-deb-$$"
systemd-nspawn --directory="$stage/root" --boot --register=no --keep-unit --console=read-only \
  --machine="$machine" --bind-ro="$stage/debs:/debs" -- systemd.firstboot=off >"$stage/console.log" 2>&1 &
nspawn=$!

ct=$(container_init "$nspawn")
if [ -z "$ct" ]; then echo "FAIL - the container did not start"; cat "$stage/console.log"; exit 1; fi
in_ct() { nsenter -t "$ct" -a "$@"; }
root=$stage/root
state=$(system_state)
check "Debian 12 boots under systemd in the container ($state)" test "$state" = running -o "$state" = degraded

apt_get_install() {  # apt_get_install ARGUMENT…: as an administrator would, fetching dependencies if some are missing
  in_ct env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$stage/apt.log" 2>&1 ||
    { in_ct apt-get update >>"$stage/apt.log" 2>&1 &&
      in_ct env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$stage/apt.log" 2>&1; }
}
# Without the recommended Postfix until the last part (the package is tested alone first:
# consultd-mail's unit is then skipped, which is checked).
apt_install() { apt_get_install --no-install-recommends "$@"; }
active() { [ "$(in_ct systemctl is-active consultd)" = active ]; }
main_pid() { in_ct systemctl show -p MainPID --value consultd; }
version_is() { [ "$(in_ct dpkg-query -W -f '${Version} ${db:Status-Abbrev}' consultd 2>/dev/null)" = "$1 ii " ]; }

# --- Installing the previous build ---------------------------------------------------------
check "apt-get install ./$old" apt_install "/debs/$old"
check "… the package $old_version is installed" version_is "$old_version"
check "consultd.service is enabled" test "$(in_ct systemctl is-enabled consultd)" = enabled
check "… and active with the sample configuration" wait_until 20 active
check "… running /usr/sbin/consultd as user consultd" \
  test "$(in_ct stat -c %U "/proc/$(main_pid)")/$(in_ct readlink "/proc/$(main_pid)/exe")" = consultd//usr/sbin/consultd
check "sysusers.d made the system users consultd and consultd-outbox and the group consultd-submit" \
  sh -c "nsenter -t $ct -a getent passwd consultd | awk -F: '\$3 < 1000 && \$7 ~ /nologin/' | grep -q . &&
         nsenter -t $ct -a getent passwd consultd-outbox | awk -F: '\$3 < 1000 && \$7 ~ /nologin/' | grep -q . &&
         nsenter -t $ct -a getent group consultd-submit >/dev/null"
check "consultd-mail.service is enabled" test "$(in_ct systemctl is-enabled consultd-mail)" = enabled
check "… and, with no Postfix, skipped by its condition rather than failed" \
  sh -c "[ \"\$(nsenter -t $ct -a systemctl show -p ConditionResult --value consultd-mail)\" = no ] &&
         [ \"\$(nsenter -t $ct -a systemctl is-failed consultd-mail)\" != failed ]"
spool_modes() {
  in_ct stat -c '%n %a %U:%G' /var/spool/consultd/tmp /var/spool/consultd/new /var/spool/consultd/done \
    /var/spool/consultd/outbox /var/lib/consultd | tr '\n' ';'
}
check "tmpfiles.d made the spool (tmp/ and new/ 1730 for consultd-submit, outbox/ 2770 for consultd-outbox), the unit the state folder" \
  test "$(spool_modes)" = "/var/spool/consultd/tmp 1730 consultd:consultd-submit;/var/spool/consultd/new 1730 consultd:consultd-submit;/var/spool/consultd/done 750 consultd:consultd;/var/spool/consultd/outbox 2770 consultd:consultd-outbox;/var/lib/consultd 750 consultd:consultd;"
check "consultd, consultd-mail and consultctl --version say $new_version's version" \
  test "$(in_ct consultd --version)/$(in_ct consultd-mail --version)/$(in_ct consultctl --version)" = "${new_version%%[~+]*}/${new_version%%[~+]*}/${new_version%%[~+]*}"
check "the binaries are stripped (debug symbols in consultd-dbgsym)" \
  sh -c "! readelf -S '$root/usr/sbin/consultd' '$root/usr/sbin/consultd-mail' '$root/usr/bin/consultctl' | grep -q '\.debug_info'"
check "… and need no Swift toolchain (no libswift* among their libraries)" \
  sh -c "! readelf -d '$root/usr/sbin/consultd' '$root/usr/sbin/consultd-mail' '$root/usr/bin/consultctl' | grep -q 'libswift'"
check "/etc/consultd/consultd.toml and the calendar are conffiles" \
  sh -c "nsenter -t $ct -a dpkg-query -W -f '\${Conffiles}' consultd | grep -c -e ' /etc/consultd/consultd.toml ' -e ' /etc/consultd/calendars/vn.toml ' | grep -qx 2"
check "man consultd is consultd(8), with its FILES" \
  sh -c "nsenter -t $ct -a man -w consultd | grep -qx /usr/share/man/man8/consultd.8.gz &&
         nsenter -t $ct -a env MANWIDTH=80 man 8 consultd 2>/dev/null | grep -q '^FILES'"
check "man consultd-mail is consultd-mail(8), with its FILES" \
  sh -c "nsenter -t $ct -a man -w consultd-mail | grep -qx /usr/share/man/man8/consultd-mail.8.gz &&
         nsenter -t $ct -a env MANWIDTH=80 man 8 consultd-mail 2>/dev/null | grep -q '^FILES'"
check "man consultctl is consultctl(1)" sh -c "nsenter -t $ct -a man -w consultctl | grep -qx /usr/share/man/man1/consultctl.1.gz"
check "systemctl status names man:consultd(8)" \
  sh -c "nsenter -t $ct -a systemctl show -p Documentation --value consultd | grep -q 'man:consultd(8)'"
check "bash completion in Debian's folder, without #!" \
  sh -c "nsenter -t $ct -a head -c 2 /usr/share/bash-completion/completions/consultctl | grep -qv '#!'"
check "zsh and fish completions in Debian's folders" \
  in_ct test -s /usr/share/zsh/vendor-completions/_consultctl -a -s /usr/share/fish/vendor_completions.d/consultctl.fish
check "the journal catalog is installed and indexed (systemd's trigger)" \
  sh -c "nsenter -t $ct -a journalctl --list-catalog 0b98c610e79a407292e9dc7ec0f45e68 | grep -q consultd"

# The administrator's edits: the agencies' clerks and a leadership address of the city's own.
in_ct sh -e -c '
groupadd sxd && groupadd stc
useradd -m -G consultd-submit,sxd clerk-sxd
useradd -m -G consultd-submit,stc clerk-stc
sed -i "s/vanphong@ubnd.hanoi.example.vn/lanhdao@e2e.example.vn/" /etc/consultd/consultd.toml
printf "\n# edited by the administrator\n" >>/etc/consultd/consultd.toml
consultd --check-config --config /etc/consultd/consultd.toml >/dev/null
systemctl reload consultd'
wait_until 5 active
check "the administrator edits the configuration and reloads" \
  sh -c "nsenter -t $ct -a journalctl -u consultd --no-pager | grep -q 'consultd reloaded /etc/consultd/consultd.toml'"
handed_off() {  # handed_off USER NAME JSON: USER writes NAME in its home and runs consultctl submit
  printf '%s' "$3" | in_ct runuser -u "$1" -- sh -c "cd /home/$1 && umask 077 && cat > '$2' && consultctl submit '$2' >/dev/null && rm '$2'"
}
new_empty() { [ -z "$(in_ct ls -A /var/spool/consultd/new)" ]; }
shown() {  # shown ID STATE: consultctl show (as root) gives the consultation in STATE
  in_ct consultctl show "$1" --format json 2>/dev/null | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["state"] != sys.argv[1])' "$2"
}
check "a clerk hands a request off with consultctl submit" \
  handed_off clerk-sxd req.json '{"kind": "request", "id": "E2E-DEB-1", "title": "Dự thảo", "lead": "SXD", "consulted": ["STC"], "sent": "2026-11-30T09:00:00+07:00", "deadline": "2026-12-15"}'
check "… the daemon applies it" wait_until 10 new_empty
check "… consultctl show E2E-DEB-1: open" wait_until 5 shown E2E-DEB-1 open
check "journalctl -xu consultd explains it from the catalog" \
  wait_until 5 sh -c "nsenter -t $ct -a journalctl -xu consultd --no-pager | grep -q 'durably committed to the state store'"

# --- Upgrading ----------------------------------------------------------------------------------
# The store as the release before the last schema change left it: the daemon stopped, the last
# migration (v8: documents.content) undone.
store="$root/var/lib/consultd/state.sqlite"
in_ct systemctl stop consultd
sqlite3 "$store" "ALTER TABLE documents DROP COLUMN content; DELETE FROM grdb_migrations WHERE identifier = 'v8';"
in_ct chown consultd:consultd /var/lib/consultd/state.sqlite
inode=$(stat -c %i "$store")
migrations() { sqlite3 -readonly "$store" "SELECT group_concat(identifier, ' ') FROM grdb_migrations"; }
check "the store is of schema v7 before the upgrade" test "$(migrations)" = "v1 v2 v3 v4 v5 v6 v7"
check "apt-get install ./$new (the upgrade)" apt_install "/debs/$new"
check "… the package $new_version is installed" version_is "$new_version"
check "… the service is active again" wait_until 20 active
check "… the edited conffile is kept, with no .dpkg-* beside it" \
  sh -c "nsenter -t $ct -a grep -q lanhdao@e2e.example.vn /etc/consultd/consultd.toml &&
         ! nsenter -t $ct -a sh -c 'ls /etc/consultd/ /etc/consultd/calendars/' | grep -q dpkg"
check "… the daemon migrated the store to v8 in place (same file)" \
  wait_until 10 sh -c "[ \"\$(sqlite3 -readonly '$store' \"SELECT group_concat(identifier, ' ') FROM grdb_migrations\")\" = 'v1 v2 v3 v4 v5 v6 v7 v8' ] && [ \"\$(stat -c %i '$store')\" = $inode ]"
check "… and the consultation is still there" shown E2E-DEB-1 open
check "another clerk's reply is applied by the upgraded daemon" \
  handed_off clerk-stc reply.json '{"kind": "reply", "request": "E2E-DEB-1", "agency": "STC", "received": "2026-12-01T10:00:00+07:00", "position": "agree", "text": "Sở Tài chính thống nhất với dự thảo, không có ý kiến khác."}'
check "… the consultation is completed" wait_until 10 shown E2E-DEB-1 completed
pid=$(main_pid)
check "a reinstall while it runs restarts the daemon (as an upgrade does)" apt_install --reinstall "/debs/$new"
check "… a new process, active" wait_until 20 sh -c "[ \"\$(nsenter -t $ct -a systemctl show -p MainPID --value consultd)\" != $pid ] && [ \"\$(nsenter -t $ct -a systemctl is-active consultd)\" = active ]"

# --- Removing -------------------------------------------------------------------------------
check "apt-get remove consultd" sh -c "nsenter -t $ct -a env DEBIAN_FRONTEND=noninteractive apt-get remove -y consultd >>'$stage/apt.log' 2>&1"
check "… the daemon is stopped" sh -c "! nsenter -t $ct -a sh -c 'grep -lx consultd /proc/[0-9]*/comm' >/dev/null 2>&1"
check "… the package is removed, its configuration kept (rc)" \
  test "$(in_ct dpkg-query -W -f '${db:Status-Abbrev}' consultd)" = "rc "
check "… the state store, the documents and the edited configuration are kept" \
  sh -c "[ -s '$store' ] && ls '$root'/var/spool/consultd/done/*/req.json >/dev/null && grep -q lanhdao@e2e.example.vn '$root/etc/consultd/consultd.toml'"
check "… the binaries and the unit are gone" sh -c "[ ! -e '$root/usr/sbin/consultd' ] && [ ! -e '$root/usr/sbin/consultd-mail' ] && [ ! -e '$root/lib/systemd/system/consultd.service' ] && [ ! -e '$root/lib/systemd/system/consultd-mail.service' ]"
check "installing it again finds the consultations" sh -c "
  nsenter -t $ct -a env DEBIAN_FRONTEND=noninteractive apt-get install -y /debs/$new >>'$stage/apt.log' 2>&1"
check "… active" wait_until 20 active
check "… consultctl show E2E-DEB-1: completed" shown E2E-DEB-1 completed

# --- Purging --------------------------------------------------------------------------------
purge_out=$(in_ct env DEBIAN_FRONTEND=noninteractive apt-get purge -y consultd 2>&1)
check "apt-get purge consultd" test $? -eq 0
echo "$purge_out" >>"$stage/apt.log"
check "… the package is gone from dpkg's database" sh -c "! nsenter -t $ct -a dpkg-query -W -f '\${db:Status-Abbrev}' consultd 2>/dev/null | grep -q ."
check "… the daemon is stopped" sh -c "! nsenter -t $ct -a sh -c 'grep -lx consultd /proc/[0-9]*/comm' >/dev/null 2>&1"
check "… /etc/consultd is removed" test ! -e "$root/etc/consultd"
check "… the enablement symlinks are removed" sh -c "[ ! -e '$root/etc/systemd/system/multi-user.target.wants/consultd.service' ] && [ ! -e '$root/etc/systemd/system/multi-user.target.wants/consultd-mail.service' ]"
check "… the state store and the documents are kept" sh -c "[ -s '$store' ] && ls '$root'/var/spool/consultd/done/*/req.json >/dev/null"
check "… and purge says where they are and how to remove them" \
  sh -c "printf '%s' \"\$1\" | grep -q 'kept /var/spool/consultd' && printf '%s' \"\$1\" | grep -q 'rm -rf /var/lib/consultd'" sh "$purge_out"
check "… the empty spool folders are removed (new/)" test ! -e "$root/var/spool/consultd/new"
check "… the user consultd and the group consultd-submit are kept (their files stay theirs)" \
  sh -c "nsenter -t $ct -a getent passwd consultd >/dev/null && nsenter -t $ct -a getent group consultd-submit >/dev/null"

# --- Installed as apt-get does by default: with the recommended Postfix --------------------------
# Both packages in one run, configured in whichever order apt chooses: consultd-mail must come up
# (postdrop's group is made by consultd's sysusers.d too). A request past its deadline, handed in
# by a clerk, then reaches a local mailbox (every address of the sample mapped to root here).
in_ct sh -c 'echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
             echo "postfix postfix/mailname string e2e.example.vn" | debconf-set-selections'
check "apt-get install ./$new with its recommends" apt_get_install "/debs/$new"
check "… Postfix comes too" test "$(in_ct dpkg-query -W -f '${db:Status-Abbrev}' postfix 2>/dev/null)" = "ii "
mail_active() { [ "$(in_ct systemctl is-active consultd-mail)" = active ]; }
check "… consultd-mail.service is active (not failed, whatever the order of configuration)" wait_until 30 mail_active
check "… as consultd-outbox, in group postdrop" \
  sh -c "pid=\$(nsenter -t $ct -a systemctl show -p MainPID --value consultd-mail); [ \"\$(nsenter -t $ct -a stat -c %U /proc/\$pid)\" = consultd-outbox ] && nsenter -t $ct -a grep -q \"^Groups:.*\$(nsenter -t $ct -a getent group postdrop | cut -d: -f3)\" /proc/\$pid/status"
in_ct sh -e -c '
sed -i -E "s/@[A-Za-z0-9.-]+\.example\.vn/@localhost/g" /etc/consultd/consultd.toml
postconf -e "local_recipient_maps =" "luser_relay = root"
systemctl reload postfix
systemctl reload consultd consultd-mail' >>"$stage/apt.log" 2>&1
check "a clerk hands in a request whose deadline has passed" \
  handed_off clerk-sxd late.json '{"kind": "request", "id": "E2E-DEB-MAIL", "title": "Dự thảo quy hoạch", "lead": "SXD", "consulted": ["STC"], "sent": "2026-01-05T09:00:00+07:00", "deadline": "2026-01-12"}'
in_mailbox() { in_ct grep -q '^Message-ID: <E2E-DEB-MAIL\.STC\.' /var/mail/root 2>/dev/null; }
check "… its escalation reaches a mailbox by Postfix (Message-ID <E2E-DEB-MAIL.STC.…>)" wait_until 30 in_mailbox
check "… and consultd-mail moved the notice into outbox/sent/" \
  sh -c "ls '$root'/var/spool/consultd/outbox/sent/*/E2E-DEB-MAIL.STC.*.json >/dev/null 2>&1"
# A monitoring account in group consultd counts the notices (the outbox's ACL) and reads none.
in_ct useradd -m -G consultd monitor
sent_counted() {  # (status exits 1 here: degraded, the consultation is at the top of its ladder)
  local out
  out=$(in_ct runuser -u monitor -- consultctl status --format json 2>/dev/null)
  printf '%s' "$out" | python3 -c 'import json, sys; n = json.load(sys.stdin)["notices"]; sys.exit(not (n and n["sent"] >= 1))'
}
check "consultctl status as a member of group consultd counts the notices sent" sent_counted ||
  in_ct runuser -u monitor -- consultctl status 2>&1 | sed 's/^/     /'
check "… and that account cannot read a notice" \
  sh -c "! nsenter -t $ct -a runuser -u monitor -- sh -c 'cat /var/spool/consultd/outbox/sent/*/E2E-DEB-MAIL.STC.*.json' >/dev/null 2>&1"

if [ "$failed" -gt 0 ]; then
  echo "--- apt (last lines)"
  tail -30 "$stage/apt.log"
  echo "--- consultd journal in the container"
  in_ct journalctl -u consultd --no-pager | tail -30
  echo "--- consultd-mail journal in the container"
  in_ct journalctl -u consultd-mail --no-pager | tail -20
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
