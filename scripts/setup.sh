#!/usr/bin/env bash
# Installs what building UCODTS needs beyond a Rust toolchain, and only when it is missing.
#
# The optimizer solves its models with HiGHS (through good_lp's `highs` feature). The highs-sys crate
# compiles HiGHS from source, which needs cmake and libclang (for bindgen). On Debian/Ubuntu both come
# from apt (`cmake`, `libclang-dev`). When they are already present this script only checks and exits
# within a second, so scripts/test.sh can call it every time.
set -euo pipefail

have_cmake() { command -v cmake >/dev/null 2>&1; }

have_libclang() {
  # bindgen looks for libclang.so through LIBCLANG_PATH, then the usual library directories.
  # (libclang-cpp.so, which other packages install, is not what bindgen loads.)
  local file
  for file in ${LIBCLANG_PATH:+$LIBCLANG_PATH/libclang*} /usr/lib/llvm-*/lib/libclang* \
    /usr/lib/*-linux-gnu/libclang* /usr/lib64/libclang* /usr/local/lib/libclang* \
    /usr/local/opt/llvm/lib/libclang*; do
    case "${file##*/}" in
      libclang.so* | libclang-[0-9]*.so* | libclang.dylib) [ -e "$file" ] && return 0 ;;
    esac
  done
  return 1
}

# The dashboard (dashboard/, served by `ucodts serve` at /): `npm ci && npm run build` when node and npm
# are there and dashboard/out is missing or older than its sources; nothing when it is up to date. Node is
# needed only here, never to run the server. Telemetry off; the build fetches nothing but the npm packages.
build_dashboard() {
  local dir out stale
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/dashboard"
  out="$dir/out/index.html"
  [ -f "$dir/package-lock.json" ] || return 0
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "setup: node/npm not found: the dashboard is not built (ucodts serve says so at /); install Node.js 20 or later and rerun" >&2
    return 0
  fi
  stale=1
  if [ -f "$out" ] && [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] \
    && [ -z "$(find "$dir/app" "$dir/components" "$dir/lib" "$dir/public" "$dir/package-lock.json" "$dir/next.config.mjs" \
      "$dir/tsconfig.json" -newer "$out" -print -quit 2>/dev/null)" ]; then
    stale=0
  fi
  [ "$stale" = 1 ] || return 0
  echo "setup: building the dashboard (npm ci && npm run build in dashboard/)" >&2
  # Next.js's Turbopack now and then stops a build with an internal error ("chunk_path requires an asset
  # with file content"; seen once in CI on 6 December 2026, the same tree built at once on a retry): one
  # more try before the build counts as failed.
  if ! (cd "$dir" && export NEXT_TELEMETRY_DISABLED=1 && npm ci --no-audit --no-fund --loglevel=error >&2 \
    && { npm run build --silent >&2 || { echo "setup: the dashboard build failed; trying once more" >&2; npm run build --silent >&2; }; }); then
    echo "setup: the dashboard did not build (see above); ucodts serve runs without it" >&2
    if [ "${UCODTS_REQUIRE_EXTERNAL:-}" = 1 ]; then
      exit 1
    fi
  fi
}
build_dashboard

missing=()
have_cmake || missing+=(cmake)
have_libclang || missing+=(libclang-dev)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]} (needed to compile the HiGHS solver)" >&2

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: ${missing[*]} missing and apt-get is not available; install them with your system's" \
    "package manager (cmake, and libclang from LLVM; set LIBCLANG_PATH if it is in an unusual place)" >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "setup: ${missing[*]} missing; run as root or install them yourself:" \
      "apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

install() {
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
}

# The package lists of a fresh image may be empty or stale: refresh them only when the install fails.
if ! install; then
  echo "setup: install failed; refreshing the package lists and trying again" >&2
  "${sudo_cmd[@]}" apt-get update -o DPkg::Lock::Timeout=600
  if ! install; then
    echo "setup: could not install ${missing[*]} with apt-get; install them yourself and rerun" >&2
    exit 1
  fi
fi

have_cmake || { echo "setup: cmake still not found after installing it" >&2; exit 1; }
have_libclang || { echo "setup: libclang still not found after installing libclang-dev" >&2; exit 1; }
echo "setup: done" >&2
