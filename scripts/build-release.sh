#!/usr/bin/env bash
# Builds what an installation of consultd is made of, for scripts/install.sh and
# scripts/build-deb.sh: the executables of scripts/executables.list as release binaries with the
# Swift runtime linked in (--static-swift-stdlib: they run where no Swift toolchain is
# installed; linked with -z now), their manual pages and bash/zsh/fish completions generated from the command
# definitions, and their systemd units. Lays them out in OUTDIR as under a prefix:
#
#   OUTDIR/sbin/consultd   OUTDIR/bin/consultctl                 (unstripped)
#   OUTDIR/share/man/man8/consultd.8   OUTDIR/share/man/man1/consultctl.1
#   OUTDIR/share/bash-completion/completions/NAME                (no #! line: it is sourced)
#   OUTDIR/share/zsh/vendor-completions/_NAME   OUTDIR/share/fish/vendor_completions.d/NAME.fish
#   OUTDIR/units/UNIT                                            (systemd/UNIT as it is)
#
#   scripts/build-release.sh OUTDIR
#   CONSULTD_RELEASE_BIN=DIR scripts/build-release.sh OUTDIR   # binaries already built in DIR
#   CONSULTD_SCRATCH=DIR scripts/build-release.sh OUTDIR       # SwiftPM's folder (.build-release)
#
# A manual page is what swift-argument-parser's generate-manual makes of the command's --help
# (its characters beyond ASCII kept as groff escapes), blank lines turned into paragraphs and
# indented examples into literal blocks; when
# docs/man/NAME.SECTION.sections exists, its sections replace the generated EXIT STATUS and
# AUTHORS. The page's date is SOURCE_DATE_EPOCH's, else the last commit's.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:?usage: scripts/build-release.sh OUTDIR}
scratch=${CONSULTD_SCRATCH:-.build-release}
command -v swift >/dev/null || { echo "build-release: swift is not on PATH (the toolchain, e.g. /opt/swift/usr/bin)" >&2; exit 69; }

# NAME SECTION DIRECTORY [UNIT…] per line, comments and blank lines left out.
mapfile -t entries < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/executables.list)
[ ${#entries[@]} -gt 0 ] || { echo "build-release: scripts/executables.list names no executable" >&2; exit 1; }

bin=${CONSULTD_RELEASE_BIN:-}
if [ -z "$bin" ]; then
  # -z now: every symbol bound at start, so the whole GOT is read-only after it (full RELRO).
  release=(swift build -c release --static-swift-stdlib --scratch-path "$scratch" -Xlinker -z -Xlinker now)
  for entry in "${entries[@]}"; do
    read -r name _ <<<"$entry"
    "${release[@]}" --product "$name" >&2
  done
  bin=$("${release[@]}" --show-bin-path)
fi
for entry in "${entries[@]}"; do
  read -r name _ <<<"$entry"
  [ -x "$bin/$name" ] || { echo "build-release: no executable $bin/$name" >&2; exit 1; }
done

# swift-argument-parser's generate-manual, built once from the checkout SwiftPM resolved (its
# package plugin would build every product a second time, in debug).
swift package --scratch-path "$scratch" resolve >&2
parser="$scratch/checkouts/swift-argument-parser"
[ -d "$parser/Tools/generate-manual" ] || { echo "build-release: no $parser/Tools/generate-manual" >&2; exit 1; }
swift build -c release --package-path "$parser" --scratch-path "$scratch-tools" --product generate-manual >&2
manual="$scratch-tools/release/generate-manual"
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  day=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
else
  day=$(git log -1 --format=%cd --date=format:%F 2>/dev/null || date -u +%F)
fi

rm -rf "$out"
install -d "$out/units" "$out/share/bash-completion/completions" "$out/share/zsh/vendor-completions" \
  "$out/share/fish/vendor_completions.d"
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
for entry in "${entries[@]}"; do
  read -r name section directory units <<<"$entry"
  case "$directory" in bin|sbin) ;; *) echo "build-release: $name: DIRECTORY must be bin or sbin, not $directory" >&2; exit 1 ;; esac
  install -D -m 0755 "$bin/$name" "$out/$directory/$name"

  # generate-manual keeps only ASCII: the help's other characters (—, …, Vietnamese) go through
  # it as @@UXXXX@@ (a wrapper gives it the help so spelt) and come out as groff's \[uXXXX].
  cat >"$pages/$name.help" <<WRAPPER
#!/bin/sh
"$(cd "$bin" && pwd)/$name" --experimental-dump-help | perl -CS -pe 's/([^\\x00-\\x7F])/sprintf("\\@\\@U%04X\\@\\@", ord(\$1))/ge'
WRAPPER
  chmod +x "$pages/$name.help"
  "$manual" "$pages/$name.help" --section "$section" --date "$day" --authors "consultd developers" -o "$pages" >&2
  page="$pages/$name.$section"
  perl -pi -e 's/\@\@U([0-9A-F]+)\@\@/\\[u$1]/g' "$page"
  extra="docs/man/$name.$section.sections"
  install -d "$out/share/man/man$section"
  awk -v cut="$([ -e "$extra" ] && echo 1)" '
    cut && /^\.Sh "?(EXIT STATUS|AUTHORS)/ { exit }
    /^$/ { if (literal) { print ".Ed"; literal = 0 } print ".Pp"; next }
    /^  / && !/^ *\./ {
      if (!literal) { print ".Bd -literal -offset indent"; literal = 1 }
      sub(/^  /, ""); print; next
    }
    { if (literal) { print ".Ed"; literal = 0 } print }
    END { if (literal) print ".Ed" }
  ' "$page" >"$out/share/man/man$section/$name.$section"
  [ -e "$extra" ] && grep -v '^\.\\"' "$extra" >>"$out/share/man/man$section/$name.$section"

  "$bin/$name" --generate-completion-script bash | sed '1{/^#!/d}' >"$out/share/bash-completion/completions/$name"
  "$bin/$name" --generate-completion-script zsh >"$out/share/zsh/vendor-completions/_$name"
  "$bin/$name" --generate-completion-script fish >"$out/share/fish/vendor_completions.d/$name.fish"
  for unit in $units; do
    [ -f "systemd/$unit" ] || { echo "build-release: $name: no systemd/$unit" >&2; exit 1; }
    install -m 0644 "systemd/$unit" "$out/units/$unit"
  done
done
echo "build-release: $(cd "$out" && find . -type f | wc -l) files in $out" >&2
