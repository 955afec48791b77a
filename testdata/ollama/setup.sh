#!/usr/bin/env bash
# Prints the path of an Ollama server binary for the end-to-end tests,
# building it from the ollama module (v0.6.5, the version tandem's client
# uses) on first use and caching it under $HOME. The build takes about four
# minutes on two cores; later runs reuse it.
set -euo pipefail

for candidate in "${TANDEM_OLLAMA:-}" "$HOME/.cache/tandem/bin/ollama" "$HOME/go/bin/ollama" "$(command -v ollama || true)"; do
	if [ -n "$candidate" ] && [ -x "$candidate" ]; then
		echo "$candidate"
		exit 0
	fi
done

# The llama.cpp build inside the module needs nlohmann/json's header.
if [ ! -f /usr/include/nlohmann/json.hpp ]; then
	echo "setup.sh: installing nlohmann-json3-dev for the Ollama build" >&2
	apt-get update -qq >&2
	apt-get install -y -qq nlohmann-json3-dev >&2
fi
echo "setup.sh: building Ollama v0.6.5 into $HOME/.cache/tandem/bin (about 4 minutes)" >&2
mkdir -p "$HOME/.cache/tandem/bin"
(cd "$(mktemp -d)" && GOBIN="$HOME/.cache/tandem/bin" GOFLAGS=-buildvcs=false go install github.com/ollama/ollama@v0.6.5 >&2)
echo "$HOME/.cache/tandem/bin/ollama"
