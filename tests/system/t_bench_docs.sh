# SPDX-License-Identifier: MIT
#
# t_bench_docs.sh — the figures in docs/measuring.md are what make bench
# prints: a fresh icount run (deterministic) must give the same block.
# When it fails, run make bench and commit docs/measuring.md.

LOG=$TEST_DIR/bench_docs.log
if ! "$ROOT/tools/bench.sh" --check-docs >"$LOG" 2>&1; then
	fail "$(tail -n 1 "$LOG")"
fi
verdict bench_docs
