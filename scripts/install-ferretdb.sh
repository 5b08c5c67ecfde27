#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (a MongoDB-compatible server over SQLite) from the Go module proxy.
# `go install …@v1.24.2` alone yields a binary that panics at start: the module ships without
# build/version/version.txt (its Taskfile generates it), so we build from a writable copy of
# the module source with that file written. Idempotent: does nothing when the binary exists.
set -euo pipefail
VERSION=v1.24.2
DEST=${QUIPU_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/quipu/tools}/bin
BIN="$DEST/ferretdb"
if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "${VERSION}"; then exit 0; fi
command -v go >/dev/null || { echo "install-ferretdb: Go is required (https://go.dev/dl/)" >&2; exit 1; }
mkdir -p "$DEST"
export GOFLAGS=-mod=mod
go mod download -json "github.com/FerretDB/FerretDB@${VERSION}" >/dev/null
SRC=$(go env GOMODCACHE)/github.com/\!ferret\!d\!b/\!ferret\!d\!b@${VERSION}
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK"; rm -rf "$WORK"' EXIT
cp -r "$SRC/." "$WORK/"
chmod -R u+w "$WORK"
echo "${VERSION}" > "$WORK/build/version/version.txt"
echo "main" > "$WORK/build/version/package.txt" 2>/dev/null || true
(cd "$WORK" && CGO_ENABLED=0 go build -trimpath -o "$BIN" ./cmd/ferretdb)
"$BIN" --version | head -1
