#!/usr/bin/env bash
# Command 1: installs what is needed, builds Lanewise (release) and starts the gateway on
# examples/quickstart.yaml (or the config given as the first argument, e.g.
# examples/hybrid.yaml) at http://127.0.0.1:8080.
#
# Lanes: set LOCAL_LLM_URL (llama.cpp server, Ollama's /v1, vLLM ...) and/or CLOUD_LLM_URL
# with CLOUD_LLM_API_KEY to use real model servers. Any lane left unset is served by the
# bundled upstream simulator (tools/sim), and the script says so.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-examples/quickstart.yaml}
[ -f "$CONFIG" ] || { echo "lanewise: no config file $CONFIG" >&2; exit 1; }
./scripts/install-deps.sh
BUILD_DIR=${LANEWISE_BUILD_DIR:-build-release}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANEWISE_TESTS=OFF \
  -DLANEWISE_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target lanewise lanewise-sim

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start_simulator() {  # port flavour alias
  "$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$1" --flavor "$2" \
    --model-alias "$3" --ttft-ms 150 --tokens-per-second 40 >/dev/null &
  local pid=$!
  pids+=("$pid")
  sleep 0.3
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "lanewise: the simulator could not start on port $1 (is something else listening there?)" >&2
    exit 1
  fi
}

if [ -z "${LOCAL_LLM_URL:-}" ]; then
  start_simulator 8081 llama tiny-random-llama
  echo "lanewise: lane 'local' is SIMULATED (lanewise-sim, llama.cpp server flavour, port 8081);"
  echo "          set LOCAL_LLM_URL=http://host:port/v1 to use a real local model server."
fi
if [ -z "${CLOUD_LLM_URL:-}" ]; then
  start_simulator 8082 openai gpt-4o-mini
  export CLOUD_LLM_API_KEY=${CLOUD_LLM_API_KEY:-simulated-key}
  echo "lanewise: lane 'cloud' is SIMULATED (lanewise-sim, OpenAI flavour, port 8082);"
  echo "          set CLOUD_LLM_URL and CLOUD_LLM_API_KEY to use a real cloud API."
fi
export CLOUD_LLM_API_KEY=${CLOUD_LLM_API_KEY:-}
if grep -q 'key_env: LANEWISE_REDACTION_KEY' "$CONFIG" && [ -z "${LANEWISE_REDACTION_KEY:-}" ]; then
  LANEWISE_REDACTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  export LANEWISE_REDACTION_KEY
  echo "lanewise: LANEWISE_REDACTION_KEY was not set; using a random key for this run"
  echo "          (placeholders change on restart; set it to keep them stable)."
fi
echo "lanewise: starting the gateway on http://127.0.0.1:8080 (Ctrl-C to stop)"
"$BUILD_DIR/src/app/lanewise" serve --config "$CONFIG" &
gateway=$!
pids+=("$gateway")
wait "$gateway"
