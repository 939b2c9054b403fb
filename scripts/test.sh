#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine with the Swift toolchain:
# installs the system packages the build and the tests need (Postfix among them, for
# consultd-mail's tests, which configure and start it with scripts/postfix-test.sh), makes sure
# a real systemd-journald listens (the end-to-end tests read entries back with journalctl),
# builds everything and runs `swift test`.
#
#   scripts/test.sh          everything (CI runs this)
#   scripts/test.sh --fast   a developer's inner loop: suites tagged slow (a real systemd, the
#                            package install, crash and race runs, the month-long scenario) are
#                            skipped and reported as such; extra arguments go to `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fast" ]; then
  shift
  export CONSULTD_TESTS=fast
fi

need=()
pkg-config --exists libsystemd 2>/dev/null || need+=(libsystemd-dev)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v journalctl >/dev/null || need+=(systemd)
command -v unshare >/dev/null || need+=(util-linux)
command -v systemd-nspawn >/dev/null || need+=(systemd-container)
command -v chromium >/dev/null || need+=(chromium fonts-dejavu-core)
command -v pdftoppm >/dev/null || need+=(poppler-utils)   # the scorecard printed: pdfinfo, pdftoppm, pdftotext
command -v script >/dev/null || need+=(bsdutils)          # consultctl on a terminal: script(1) gives it a pty
command -v setfacl >/dev/null || need+=(acl)               # a held reply and the default ACL of tmp/
command -v python3 >/dev/null || need+=(python3)
# A real mail system for consultd-mail's tests: Postfix, "Local only" (asked of debconf before the
# package is installed, so that nothing is asked).
[ -x /usr/sbin/postfix ] || need+=(postfix)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${need[*]} (run as root, or install them first)" >&2
    exit 69
  fi
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# A real journald for the end-to-end tests (none runs in a plain container). Its entries go to a
# tmpfs of their own with no rate limit: journald otherwise keeps `RuntimeKeepFree` of the disk
# free by deleting old entries (CI disks can be nearly full after the builds), and throttles a
# unit that logs more than 10,000 entries in 30 s (the crash and race tests do). Tests that
# cannot find an entry they just caused would fail for reasons that are not the daemon's.
if ! pgrep -x systemd-journal >/dev/null && [ "$(id -u)" -eq 0 ]; then
  rm -f /run/systemd/journal/socket   # left by a journald that no longer runs
  mkdir -p /run/systemd/journal /run/systemd/journald.conf.d /run/log/journal
  cat >/run/systemd/journald.conf.d/consultd-tests.conf <<'CONF'
[Journal]
Storage=volatile
RuntimeMaxUse=900M
RuntimeKeepFree=16M
RuntimeMaxFileSize=64M
RateLimitIntervalSec=0
RateLimitBurst=0
CONF
  mountpoint -q /run/log/journal || mount -t tmpfs -o size=1G,mode=0755 consultd-test-journal /run/log/journal
  /lib/systemd/systemd-journald >/dev/null 2>&1 &
  for _ in $(seq 50); do [ -S /run/systemd/journal/socket ] && break; sleep 0.1; done
elif pgrep -x systemd-journal >/dev/null; then
  echo "note: using the journald already running; its rate limit and disk-space limits apply" >&2
fi

swift build --build-tests
swift test --skip-build "$@"
