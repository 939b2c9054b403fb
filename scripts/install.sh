#!/usr/bin/env bash
# Installs consultd from the source tree, where the Debian package is not wanted (another
# distribution, a PREFIX of its own): the executables of scripts/executables.list as release
# binaries built with --static-swift-stdlib (they run where no Swift toolchain is installed), their
# manual pages and shell completions generated from the command definitions (all by
# scripts/build-release.sh), the systemd units, sysusers.d and tmpfiles.d entries, the journal
# catalog, the sample configuration and the calendars. Idempotent: a second run changes nothing
# but the binaries; an existing /etc/consultd/consultd.toml or calendar is never overwritten
# (a differing shipped version is put beside it as *.dist). On Debian, prefer the package
# (scripts/build-deb.sh); do not mix the two on one machine.
#
#   scripts/install.sh                  # PREFIX=/usr, into /
#   PREFIX=/usr/local DESTDIR=/tmp/stage scripts/install.sh
#   scripts/install.sh --uninstall      # removes what it installed; keeps config, state and spool
#   CONSULTD_RELEASE_BIN=DIR scripts/install.sh   # binaries already built (see build-release.sh)
#
# With DESTDIR empty and as root, it also creates the account and folders (systemd-sysusers,
# systemd-tmpfiles), updates the journal catalog and reloads systemd.
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr}
DESTDIR=${DESTDIR:-}
SYSCONFDIR=${SYSCONFDIR:-/etc}
UNITDIR="$DESTDIR$PREFIX/lib/systemd/system"
SYSUSERSDIR="$DESTDIR$PREFIX/lib/sysusers.d"
TMPFILESDIR="$DESTDIR$PREFIX/lib/tmpfiles.d"
CATALOGDIR="$DESTDIR$PREFIX/lib/systemd/catalog"
DOCDIR="$DESTDIR$PREFIX/share/doc/consultd"
SHAREDIR="$DESTDIR$PREFIX/share"
CONFDIR="$DESTDIR$SYSCONFDIR/consultd"
live() { [ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ]; }

# NAME SECTION DIRECTORY [UNIT…] per line (scripts/executables.list).
mapfile -t entries < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/executables.list)
# Every file of an executable, wherever this script or an earlier one (consultd in bin/, its page
# in section 1) put it.
installed_files() {
  local name section directory units unit
  for entry in "${entries[@]}"; do
    read -r name section directory units <<<"$entry"
    echo "$DESTDIR$PREFIX/bin/$name" "$DESTDIR$PREFIX/sbin/$name" \
      "$SHAREDIR/man/man1/$name.1" "$SHAREDIR/man/man8/$name.8" "$SHAREDIR/bash-completion/completions/$name" \
      "$SHAREDIR/zsh/vendor-completions/_$name" "$SHAREDIR/fish/vendor_completions.d/$name.fish"
    for unit in $units; do echo "$UNITDIR/$unit"; done
  done
}
all_units() { for entry in "${entries[@]}"; do read -r _ _ _ units <<<"$entry"; echo $units; done; }

if [ "${1:-}" = "--uninstall" ]; then
  if live && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    for unit in $(all_units); do systemctl disable --now "$unit" 2>/dev/null || true; done
  fi
  # shellcheck disable=SC2046
  rm -f $(installed_files) "$SYSUSERSDIR/consultd.conf" "$TMPFILESDIR/consultd.conf" \
        "$CATALOGDIR/consultd.catalog" "$DOCDIR/README.md" "$DOCDIR/docs/INTERFACE.md" "$DOCDIR/docs/DESIGN.md"
  rmdir "$DOCDIR/docs" "$DOCDIR" 2>/dev/null || true
  if live; then
    journalctl --update-catalog 2>/dev/null || true
    [ -d /run/systemd/system ] && systemctl daemon-reload || true
  fi
  echo "consultd uninstalled; kept $SYSCONFDIR/consultd, /var/lib/consultd and /var/spool/consultd" >&2
  exit 0
fi

# Binaries, pages, completions and units, laid out as under a prefix.
built=$(mktemp -d)
trap 'rm -rf "$built"' EXIT
scripts/build-release.sh "$built"

# shellcheck disable=SC2046
rm -f $(installed_files)   # an executable that moved (consultd from bin/ to sbin/) leaves nothing behind
install -d "$UNITDIR" "$SYSUSERSDIR" "$TMPFILESDIR" "$CATALOGDIR" "$DOCDIR/docs" "$CONFDIR/calendars"
for directory in bin sbin; do
  [ -d "$built/$directory" ] || continue
  install -d "$DESTDIR$PREFIX/$directory"
  install -m 0755 "$built/$directory"/* "$DESTDIR$PREFIX/$directory/"
done
(cd "$built/share" && find . -type f) | while read -r file; do
  install -D -m 0644 "$built/share/$file" "$SHAREDIR/$file"
done
# Units name /usr/sbin/NAME, /usr/bin/NAME and /etc/consultd/: moved to PREFIX and SYSCONFDIR.
for unit in "$built"/units/*; do
  sed -e "s|/usr/sbin/consult|$PREFIX/sbin/consult|g; s|/usr/bin/consult|$PREFIX/bin/consult|g" \
      -e "s|/etc/consultd/|$SYSCONFDIR/consultd/|g" "$unit" > "$UNITDIR/$(basename "$unit").new"
  chmod 0644 "$UNITDIR/$(basename "$unit").new"
  mv "$UNITDIR/$(basename "$unit").new" "$UNITDIR/$(basename "$unit")"
done
install -m 0644 systemd/consultd.sysusers "$SYSUSERSDIR/consultd.conf"
install -m 0644 systemd/consultd.tmpfiles "$TMPFILESDIR/consultd.conf"
install -m 0644 systemd/consultd.catalog "$CATALOGDIR/consultd.catalog"
install -m 0644 README.md "$DOCDIR/README.md"
# The interface and the design, which the README refers to as docs/NAME.md, where it finds them.
install -m 0644 docs/INTERFACE.md docs/DESIGN.md "$DOCDIR/docs/"

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
