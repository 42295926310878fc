#!/usr/bin/env bash
# Builds and runs the example package against aq by version: a copy of this checkout becomes
# a git repository tagged 0.1.0, and the example depends on it with `from: "0.1.0"`. Needs no
# network: aq's own dependency resolves as it does for aq itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir "$work/aq"
(cd "$root" && git ls-files -z --cached --others --exclude-standard -- . ':!examples/embedding' \
    | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' | tar --null -T - -cf -) | tar -xf - -C "$work/aq"
(cd "$work/aq" && git init -q && git add -A \
    && git -c user.name=aq -c user.email=aq@localhost commit -qm "aq" && git tag 0.1.0)

cp -R "$root/examples/embedding" "$work/pulls"
rm -rf "$work/pulls/.build"
cd "$work/pulls"
export AQ_PACKAGE_URL="file://$work/aq"
swift build
out="$(swift run -q pulls "$root/examples/logs")"
echo "$out"
echo "$out" | grep -q "^loaded 2,566 rows into events"
echo "$out" | grep -q "pulled from the internet: "
echo "1 passed, 0 failed"
