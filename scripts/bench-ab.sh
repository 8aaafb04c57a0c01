#!/usr/bin/env bash
# Compares the miner benchmark of two commits in alternating processes (A, B, A, B, ...), the way every ratio in
# docs/benchmarks.md that compares two versions was measured: on a shared machine, runs of one build back to back would
# see different neighbours than the other's.
#   usage: scripts/bench-ab.sh REV_A REV_B ROUNDS -- MINER_ARGS...
#   e.g.   scripts/bench-ab.sh HEAD~1 HEAD 3 -- 10000000 5 --mining-only --cached --steady
#          BENCH_COMMAND=miner-long scripts/bench-ab.sh HEAD~1 HEAD 3 -- 10000000 10000 130 --cached
# Each revision is built once, in a temporary worktree, into its own folder. Prints, per run, the revision, the bare and
# mining thread-CPU times (ms) and their ratio (with BENCH_WALL=1, the wall-clock times and ratio).
set -euo pipefail
[ $# -ge 4 ] && [ "$4" = "--" ] || { echo "usage: $0 REV_A REV_B ROUNDS -- MINER_ARGS..." >&2; exit 2; }
rev_a=$1; rev_b=$2; rounds=$3; shift 4
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/a" >/dev/null 2>&1 || true; git -C "$repo" worktree remove --force "$work/b" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
for side in a b; do
  rev=$([ $side = a ] && echo "$rev_a" || echo "$rev_b")
  git -C "$repo" worktree add --detach -q "$work/$side" "$rev"
  dotnet build -c Release "$work/$side/test/Microsoft.ML.HardMining.Benchmarks" -o "$work/$side.bin" -nologo -v q >/dev/null \
    || { echo "bench-ab: $rev does not build" >&2; exit 1; }
done
for _ in $(seq 1 "$rounds"); do
  for side in a b; do
    rev=$([ $side = a ] && echo "$rev_a" || echo "$rev_b")
    line=$(dotnet "$work/$side.bin/Microsoft.ML.HardMining.Benchmarks.dll" "${BENCH_COMMAND:-miner}" "$@" | grep '^| [0-9]' | head -1)
    # Columns: rows | bare | mining | ratio | bare CPU | mining CPU | ratio CPU | ...; BENCH_WALL=1 prints the wall-clock
    # columns instead (over a scored pipeline, whose rows are scored on other threads, they are the measure).
    first=$([ "${BENCH_WALL:-0}" = 1 ] && echo 3 || echo 6)
    echo "$line" | awk -F'|' -v rev="$rev" -v f="$first" '{a = $f; b = $(f + 1); c = $(f + 2); gsub(/ /, "", a); gsub(/ /, "", b); gsub(/ /, "", c); print rev, a, b, c}'
  done
done
