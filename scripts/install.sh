#!/usr/bin/env bash
# Installs consultd, consultctl and consultd-mail: release binaries built with
# --static-swift-stdlib (they run where no Swift toolchain is installed), manual pages and shell
# completions generated from the command definitions, the systemd units, sysusers.d and tmpfiles.d entries, the journal catalog, the
# sample configuration and the calendars. Idempotent: a second run changes nothing
# but the binaries; an existing /etc/consultd/consultd.toml or calendar is never overwritten
# (a differing shipped version is put beside it as *.dist).
#
#   scripts/install.sh                  # PREFIX=/usr, into /
#   PREFIX=/usr/local DESTDIR=/tmp/stage scripts/install.sh
#   scripts/install.sh --uninstall      # removes what it installed; keeps config, state and spool
#
# With DESTDIR empty and as root, it also creates the account and folders (systemd-sysusers,
# systemd-tmpfiles), updates the journal catalog and reloads systemd.
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr}
DESTDIR=${DESTDIR:-}
SYSCONFDIR=${SYSCONFDIR:-/etc}
BIN="$DESTDIR$PREFIX/bin"
UNITDIR="$DESTDIR$PREFIX/lib/systemd/system"
SYSUSERSDIR="$DESTDIR$PREFIX/lib/sysusers.d"
TMPFILESDIR="$DESTDIR$PREFIX/lib/tmpfiles.d"
CATALOGDIR="$DESTDIR$PREFIX/lib/systemd/catalog"
DOCDIR="$DESTDIR$PREFIX/share/doc/consultd"
MANDIR="$DESTDIR$PREFIX/share/man/man1"
BASHDIR="$DESTDIR$PREFIX/share/bash-completion/completions"
ZSHDIR="$DESTDIR$PREFIX/share/zsh/vendor-completions"
FISHDIR="$DESTDIR$PREFIX/share/fish/vendor_completions.d"
CONFDIR="$DESTDIR$SYSCONFDIR/consultd"
live() { [ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ]; }

if [ "${1:-}" = "--uninstall" ]; then
  if live && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now consultd.service consultd-mail.service 2>/dev/null || true
  fi
  rm -f "$BIN/consultd" "$BIN/consultctl" "$BIN/consultd-mail" "$UNITDIR/consultd.service" \
        "$UNITDIR/consultd-mail.service" "$SYSUSERSDIR/consultd.conf" \
        "$TMPFILESDIR/consultd.conf" "$CATALOGDIR/consultd.catalog" "$DOCDIR/README.md"
  for tool in consultd consultctl consultd-mail; do
    rm -f "$MANDIR/$tool.1" "$BASHDIR/$tool" "$ZSHDIR/_$tool" "$FISHDIR/$tool.fish"
  done
  rmdir "$DOCDIR" 2>/dev/null || true
  if live; then
    journalctl --update-catalog 2>/dev/null || true
    [ -d /run/systemd/system ] && systemctl daemon-reload || true
  fi
  echo "consultd uninstalled; kept $SYSCONFDIR/consultd, /var/lib/consultd and /var/spool/consultd" >&2
  exit 0
fi

# A build folder of its own: it never waits on (or disturbs) the one of `swift build`/`swift test`.
release=(swift build -c release --static-swift-stdlib --scratch-path .build-release)
"${release[@]}" --product consultd >&2
"${release[@]}" --product consultctl >&2
"${release[@]}" --product consultd-mail >&2
built=$("${release[@]}" --show-bin-path)
# Manual pages, generated from the command definitions (swift-argument-parser's plugin). The
# plugin builds the tools its own way: a folder of its own keeps the static binaries intact.
swift package --scratch-path .build-manual --allow-writing-to-package-directory generate-manual >&2
manuals=.build-manual/plugins/GenerateManual/outputs

install -d "$BIN" "$UNITDIR" "$SYSUSERSDIR" "$TMPFILESDIR" "$CATALOGDIR" "$DOCDIR" "$CONFDIR/calendars"
install -m 0755 "$built/consultd" "$built/consultctl" "$built/consultd-mail" "$BIN/"
for unit in consultd consultd-mail; do
  sed "s|/usr/bin/consultd|$PREFIX/bin/consultd|g; s|/etc/consultd/|$SYSCONFDIR/consultd/|g" \
    "systemd/$unit.service" > "$UNITDIR/$unit.service.new"
  chmod 0644 "$UNITDIR/$unit.service.new"
  mv "$UNITDIR/$unit.service.new" "$UNITDIR/$unit.service"
done
install -m 0644 systemd/consultd.sysusers "$SYSUSERSDIR/consultd.conf"
install -m 0644 systemd/consultd.tmpfiles "$TMPFILESDIR/consultd.conf"
install -m 0644 systemd/consultd.catalog "$CATALOGDIR/consultd.catalog"
install -m 0644 README.md "$DOCDIR/README.md"
install -d "$MANDIR" "$BASHDIR" "$ZSHDIR" "$FISHDIR"
for tool in consultd consultctl consultd-mail; do
  install -m 0644 "$manuals/$tool/$tool.1" "$MANDIR/$tool.1"
  "$built/$tool" --generate-completion-script bash > "$BASHDIR/$tool"
  "$built/$tool" --generate-completion-script zsh > "$ZSHDIR/_$tool"
  "$built/$tool" --generate-completion-script fish > "$FISHDIR/$tool.fish"
done

# Configuration files are the administrator's: never overwrite them.
place() {
  local source=$1 target=$2
  if [ ! -e "$target" ]; then
    install -m 0644 "$source" "$target"
  elif ! cmp -s "$source" "$target"; then
    install -m 0644 "$source" "$target.dist"
    echo "kept $target; the shipped version is $target.dist" >&2
  fi
}
sed "s|/etc/consultd/|$SYSCONFDIR/consultd/|g" config/consultd.toml > "$CONFDIR/.consultd.toml.shipped"
place "$CONFDIR/.consultd.toml.shipped" "$CONFDIR/consultd.toml"
rm -f "$CONFDIR/.consultd.toml.shipped"
for calendar in config/calendars/*.toml; do
  place "$calendar" "$CONFDIR/calendars/$(basename "$calendar")"
done

if live; then
  systemd-sysusers "$SYSUSERSDIR/consultd.conf"
  systemd-tmpfiles --create "$TMPFILESDIR/consultd.conf"
  journalctl --update-catalog
  [ -d /run/systemd/system ] && systemctl daemon-reload || true
fi
echo "consultd installed under $DESTDIR$PREFIX (config in $CONFDIR)" >&2
