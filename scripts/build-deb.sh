#!/usr/bin/env bash
# Builds the Debian package consultd_VERSION_ARCH.deb (and consultd-dbgsym_VERSION_ARCH.deb, the
# debug symbols that dh_strip takes out of the binaries) from debian/, then checks it with
# lintian: any error or warning fails the build (the overrides, each explained, are in
# debian/consultd.lintian-overrides). VERSION is Version.current of
# Sources/ConsultRuntime/Version.swift, the one that consultd --version and consultctl --version
# print; debian/changelog's latest entry must name it.
#
# Needs the Swift toolchain on PATH (e.g. /opt/swift/usr/bin) and, as root, installs the Debian
# packages it needs (debian/control's Build-Depends, fakeroot, lintian) when they are missing.
# The binaries come from scripts/build-release.sh (static Swift runtime, release; ~5 minutes the
# first time, reused after) unless CONSULTD_RELEASE_BIN names a folder where they are built.
#
#   scripts/build-deb.sh                          # → dist/consultd_VERSION_amd64.deb
#   scripts/build-deb.sh --out DIR                # the package and its companions in DIR
#   scripts/build-deb.sh --version-suffix '~test1'   # a test build of VERSION~test1 (older than VERSION)
#   scripts/build-deb.sh --no-lintian --no-dbgsym    # quicker, for tests
#   CONSULTD_RELEASE_BIN=DIR scripts/build-deb.sh    # prebuilt binaries (see build-release.sh)
#
# Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist
suffix=""
lintian=1
dbgsym=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --version-suffix) suffix=${2:?--version-suffix needs a suffix such as ~test1}; shift 2 ;;
    --no-lintian) lintian=0; shift ;;
    --no-dbgsym) dbgsym=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
case "$suffix" in ''|[~+]*) ;; *) echo "build-deb: --version-suffix must start with ~ (older) or + (newer): $suffix" >&2; exit 64 ;; esac

# The one version.
version=$(sed -n 's/^ *public static let current = "\([^"]*\)".*/\1/p' Sources/ConsultRuntime/Version.swift)
[ -n "$version" ] || { echo "build-deb: no Version.current in Sources/ConsultRuntime/Version.swift" >&2; exit 1; }
logged=$(dpkg-parsechangelog -l debian/changelog -SVersion 2>/dev/null || sed -n '1s/^consultd (\([^)]*\)).*/\1/p' debian/changelog)
if [ "$logged" != "$version" ]; then
  echo "build-deb: Version.swift says $version but debian/changelog's latest entry is $logged:" >&2
  echo "  add an entry for $version (dch -v $version), and a section to CHANGELOG.md" >&2
  exit 1
fi
package_version=$version$suffix

# Debian's tools: Build-Depends, and what builds and checks a package.
need=()
for tool in dpkg-buildpackage:dpkg-dev dh:debhelper fakeroot:fakeroot; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
[ "$lintian" = 1 ] && ! command -v lintian >/dev/null && need+=(lintian)
if command -v dpkg-checkbuilddeps >/dev/null; then
  unmet=$(dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
    sed 's/([^)]*)//g; s/ *| *[^ ]*//g; s/debhelper-compat/debhelper/; s/dh-sequence-[a-z]*/debhelper/g')
  # shellcheck disable=SC2206
  need+=($unmet)
else
  need+=(debhelper libsqlite3-dev libsystemd-dev pkgconf)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-deb: missing Debian packages: ${need[*]} (run as root, or apt-get install them first)" >&2
    exit 69
  fi
  echo "build-deb: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "build-deb: swift is not on PATH (the Swift toolchain, e.g. export PATH=/opt/swift/usr/bin:\$PATH)" >&2; exit 69; }

# The source tree dpkg-buildpackage works in: the files debian/ installs, and prebuilt/.
work=.build-deb
src="$work/consultd-$package_version"
rm -rf "$work"/consultd[_-]*
mkdir -p "$src"
cp -a debian systemd config docs README.md CHANGELOG.md LICENSE "$src/"
if [ -n "$suffix" ]; then
  sed -i "1s/^consultd ($version)/consultd ($package_version)/" "$src/debian/changelog"
fi
# The pages' dates are the changelog's (a rebuild of the same version makes the same files).
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$src/debian/changelog" -STimestamp)
export SOURCE_DATE_EPOCH
scripts/build-release.sh "$src/prebuilt"

options=()
[ "$dbgsym" = 0 ] && options+=(noddebs)
(cd "$src" && DEB_BUILD_OPTIONS="${options[*]} ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -b -us -uc >&2)

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb="consultd_${package_version}_$arch.deb"
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/consultd{,-dbgsym}_"${package_version}_$arch".*
mv "$work"/consultd*_"${package_version}"_"$arch".* "$out/"

if [ "$lintian" = 1 ]; then
  echo "build-deb: lintian $out/consultd_${package_version}_$arch.changes" >&2
  lintian --fail-on error,warning "$out/consultd_${package_version}_$arch.changes" >&2 ||
    { echo "build-deb: lintian found errors or warnings (above)" >&2; exit 1; }
fi
ls -l "$out/$deb" >&2
echo "$out/$deb"
