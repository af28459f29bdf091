#!/usr/bin/env bash
# Installs everything Lanewise needs to build, test and benchmark on Debian 12 (bookworm).
# Idempotent and non-interactive. Run as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config git ca-certificates curl clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libhyperscan-dev libyaml-cpp-dev libutf8proc-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-15 redis-server libhiredis-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nginx-light wrk nodejs python3 ccache
  python3-numpy   # tools/train: the difficulty model's trainer and its score check
  clang-15 libfuzzer-15-dev
  chromium        # tests/e2e/report: renders the weekly report headless
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's service scripts may start nginx/redis/postgres on install; tests start their own.
for svc in nginx redis-server postgresql; do
  $SUDO service "$svc" stop >/dev/null 2>&1 || true
done

if ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq npm >/dev/null
fi
if [ ! -d tests/e2e/node_modules/openai ] || [ ! -d tests/e2e/node_modules/@anthropic-ai/sdk ]; then
  echo "install-deps: installing npm packages for the end-to-end tests"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: ok"
