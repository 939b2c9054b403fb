#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine with the Swift toolchain:
# installs the system packages the build and the tests need, makes sure a real
# systemd-journald listens (the end-to-end tests read entries back with journalctl),
# builds everything and runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
pkg-config --exists libsystemd 2>/dev/null || need+=(libsystemd-dev)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v journalctl >/dev/null || need+=(systemd)
command -v unshare >/dev/null || need+=(util-linux)
command -v systemd-nspawn >/dev/null || need+=(systemd-container)
command -v chromium >/dev/null || need+=(chromium fonts-dejavu-core)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${need[*]} (run as root, or install them first)" >&2
    exit 69
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# A real journald for the end-to-end tests (none runs in a plain container).
if [ ! -S /run/systemd/journal/socket ] && [ "$(id -u)" -eq 0 ]; then
  mkdir -p /run/systemd/journal
  /lib/systemd/systemd-journald >/dev/null 2>&1 &
  for _ in $(seq 50); do [ -S /run/systemd/journal/socket ] && break; sleep 0.1; done
fi

swift build --build-tests
swift test --skip-build
