#!/usr/bin/env bash
# Runs govulncheck over tandem's code against the Go vulnerability database
# and fails on any reachable advisory that .ci/vuln-exceptions does not list.
# Usage: .ci/vulncheck.sh   (from anywhere in the repository)
#
# Everything comes through the Go module proxy: govulncheck is installed from
# golang.org/x/vuln, and the database is built from the OSV files in the
# golang.org/x/vulndb module. Both are cached under $HOME, keyed by version,
# so only the first run pays for them.
#
# The database version is pinned so that a run's result depends on the
# commit, not on the day. To check against the newest advisories:
#   TANDEM_VULNDB=latest .ci/vulncheck.sh
# and to move the pin, put the version it prints in VULNDB_VERSION below.
set -euo pipefail
cd "$(dirname "$0")/.."

GOVULNCHECK_VERSION=v1.9.0
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
vulndb="${TANDEM_VULNDB:-$VULNDB_VERSION}"
cache="$HOME/.cache/tandem/vuln"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

govulncheck="$cache/govulncheck-$GOVULNCHECK_VERSION/govulncheck"
if [ ! -x "$govulncheck" ]; then
	echo "vulncheck: installing govulncheck $GOVULNCHECK_VERSION into $(dirname "$govulncheck")"
	# Outside the module, so that tandem's go.mod is neither read nor changed.
	(cd "$tmp" && GOBIN="$(dirname "$govulncheck")" go install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION")
fi

# `go mod download` resolves "latest" and puts the module in the module cache.
info=$(cd "$tmp" && go mod download -json "golang.org/x/vulndb@$vulndb")
version=$(sed -n 's/^[[:space:]]*"Version": "\(.*\)",$/\1/p' <<<"$info")
src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$info")
if [ -z "$version" ] || [ ! -d "$src/data/osv" ]; then
	echo "vulncheck: could not fetch golang.org/x/vulndb@$vulndb through the Go module proxy:" >&2
	echo "$info" >&2
	exit 1
fi
db="$cache/db-$version"
if [ ! -f "$db/index/modules.json" ]; then
	echo "vulncheck: building the database from golang.org/x/vulndb@$version"
	rm -rf "$db"
	mkdir -p "$cache"
	go run ./.ci/vulncheck builddb -osv "$src/data/osv" -out "$db"
fi

report="$tmp/govulncheck.json"
# Symbol level (the default): a finding counts only with a call path from
# tandem's code. In JSON mode govulncheck exits 0 whatever it finds, so a
# non-zero exit here is a failure to scan.
if ! "$govulncheck" -db "file://$db" -format json ./... >"$report"; then
	echo "vulncheck: govulncheck could not scan the module (see above)" >&2
	exit 1
fi
go run ./.ci/vulncheck check -exceptions .ci/vuln-exceptions <"$report"
