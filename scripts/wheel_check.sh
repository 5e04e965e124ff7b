#!/usr/bin/env bash
# The package as a user gets it: build the wheel, install it alone in a fresh virtual
# environment (no clone on the path, no Makefile), and run align run and align score there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" . 2>&1 | grep -v "Location" || true
wheel=$(ls "$work"/dist/zhen_align-*.whl)
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip 2>&1 | grep -v "Location" || true
"$work/venv/bin/pip" install --quiet "$wheel" 2>&1 | grep -v "Location" || true
cp -r seeds "$work/seeds"
cd "$work"
"$work/venv/bin/align" --version
"$work/venv/bin/align" run seeds -o out -q
"$work/venv/bin/align" score out/corpus.jsonl --min-quality 0.5 -o kept.tsv
test -s kept.tsv
"$work/venv/bin/pip" install --quiet "${wheel}[ray]" 2>&1 | grep -v "Location" || true
"$work/venv/bin/align" run seeds -o out-ray -q --executor ray --workers 1
cmp out/corpus.jsonl out-ray/corpus.jsonl
echo "wheel check: $(basename "$wheel") installed alone, align run and align score passed"
