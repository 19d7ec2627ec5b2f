#!/bin/bash
# Installs every build and test dependency on Debian 12 with apt-get and
# builds the project into ./build. Safe to run again: it installs only what
# is missing and reconfigures an existing build directory.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
        gcc g++ binutils pkg-config meson ninja-build python3 perl
        libzstd-dev zstd tar
        libdeflate-dev
        libelf-dev libdw-dev elfutils libdebuginfod-dev debuginfod
        libunwind-dev libcapstone-dev
        libsystemd-dev systemd-journal-remote
        libjson-c-dev libcmocka-dev libsqlite3-dev libpq-dev postgresql pgbouncer
        gdb time procps util-linux python3-jsonschema strace
        python3.11-dbg
        acl bash-completion groff-base man-db
        clang
        chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" != 0 ]; then
                echo "setup: missing packages (${missing[*]}); run as root to install them" >&2
                exit 1
        fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f build/build.ninja ]; then
        meson setup --reconfigure build -Dwerror=true >/dev/null
else
        meson setup build -Dwerror=true >/dev/null
fi
meson compile -C build >/dev/null
echo "setup: built into $(pwd)/build"
