#!/bin/sh
# deps.sh - installs the Debian 12 packages cshare needs to build and test.
# As root it runs apt-get; otherwise it prints the exact command to run.
# Usage: scripts/deps.sh [build|test|fuzz|bench]   (default: test)
set -eu
what=${1:-test}
# python3: the release build trains its profile-guided optimisation on records
# bench/gen_cloudtrail.py generates (scripts/build-release.sh)
pkgs="cmake ninja-build gcc pkg-config libyaml-dev libpcre2-dev zlib1g-dev python3"
case "$what" in
  build) ;;
  # nodejs + npm: the schema (SARIF, OSCAL, Sigma) and HCL differential tests install
  # their validators from the npm registry into the build tree
  test) pkgs="$pkgs clang libclang-rt-14-dev libcmocka-dev python3 chromium nodejs npm" ;;
  fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
  bench) pkgs="$pkgs jq python3 time" ;;
  *) echo "deps.sh: unknown target '$what' (build, test, fuzz or bench)" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  # node and npm may come from elsewhere (NodeSource bundles npm in its nodejs,
  # which conflicts with Debian's npm package): the commands are what count
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps.sh: installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "deps.sh: missing Debian packages:$missing" >&2
  echo "deps.sh: run: sudo apt-get install -y$missing" >&2
  exit 1
fi
