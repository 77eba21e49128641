#!/usr/bin/env bash
# Debian packages the test suite runs for real: Chromium (dashboard tests, driven by Playwright
# through /usr/bin/chromium, so no browser is downloaded) and the PostgreSQL server (the storage
# suite runs against SQLite and a PostgreSQL started on a temporary socket).
# Installs only what is missing; needs root (or sudo) the first time.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
