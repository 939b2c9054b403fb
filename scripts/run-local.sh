#!/usr/bin/env bash
# Runs consultd as a service on the local demo configuration (config/demo.toml): everything
# under demo/ in this checkout, no root needed except to install a missing system package.
# Drop documents by writing them in demo/spool/tmp/ and renaming them into
# demo/spool/new/; notices appear in demo/spool/outbox/ and in the journal (or on stderr
# where no journald runs). Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pkg-config --exists libsystemd 2>/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libsystemd-dev >/dev/null
fi

swift build --product consultd
mkdir -p demo/spool/{tmp,new}
echo "consultd: demo spool $(pwd)/demo/spool — hand documents off with rename(2) from tmp/ into new/" >&2
exec .build/debug/consultd --config config/demo.toml "$@"
