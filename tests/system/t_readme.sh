# SPDX-License-Identifier: MIT
#
# t_readme.sh — the commands the README shows work as written. Every
# `make run` line is run (with APPEND=poweroff=idle added and "poweroff"
# typed at the console, so it ends by itself) and must end with every domain gone, every frame back and no
# failed check; `make disk`, `make iso`, `make debug` (with gdb -x tools/gdbinit),
# `make fuzz` (shortened) and `make bench` are run too. (`make test` is this run; `make format` is the
# format step's fix; `make clean` is left out, it would remove the build
# under the other tests.) A README example cannot rot without this failing.

n=0
while IFS= read -r line; do
	cmd=${line%%#*}
	n=$((n + 1))
	LOG=$TEST_DIR/readme_$n.log
	# "poweroff" typed at the shell's first prompt, if the line boots one
	: >"$LOG"
	(cd "$ROOT" && { for ((i = 0; i < 600; i++)); do
		grep -aq '^\$ ' "$LOG" && break
		grep -aq 'all domains ended' "$LOG" && break
		sleep 0.1
	done; printf 'poweroff\r'; sleep 2; } | eval "timeout 120 $cmd APPEND=poweroff=idle" \
		>"$LOG" 2>&1) || true
	clean_log
	expect 'sprig: ready'
	expect_frames_balanced
	expect_not 'FAIL'
	expect_not 'panic'
	verdict "readme/$n: ${cmd%"${cmd##*[! ]}"}"
done < <(grep -E '^make run( |$)' "$ROOT/README.md")
((n >= 4)) || { fail "found only $n make run commands in README.md"; verdict readme; }

# make disk: the disk image anew, and e2fsck finds it clean.
LOG=$TEST_DIR/readme_disk.log
(cd "$ROOT" && make disk) </dev/null >"$LOG" 2>&1 || fail "make disk failed"
expect 'DISK +build/disk.img'
PATH=$PATH:/sbin:/usr/sbin e2fsck -fn "$ROOT/build/disk.img" >>"$LOG" 2>&1 || fail "e2fsck -fn build/disk.img"
verdict "readme/make disk"

# make iso: the rescue image is made and said so.
LOG=$TEST_DIR/readme_iso.log
(cd "$ROOT" && rm -f build/sprig.iso && make iso) </dev/null >"$LOG" 2>&1 || fail "make iso failed"
expect 'ISO +build/sprig.iso'
[[ -s $ROOT/build/sprig.iso ]] || fail "no build/sprig.iso"
verdict "readme/make iso"

# make debug, then gdb -q -x tools/gdbinit in a second terminal: gdb lets
# the halted QEMU go on, and the system runs to its end.
LOG=$TEST_DIR/readme_debug.log
(cd "$ROOT" && timeout 60 make debug RUN_MODULES=build/user/hello.elf APPEND=poweroff=idle) \
	</dev/null >"$LOG" 2>&1 &
debug=$!
sleep 2
(cd "$ROOT" && timeout 60 gdb -q -batch -x tools/gdbinit -ex continue) </dev/null \
	>"$TEST_DIR/readme_debug.gdb" 2>&1 || true
wait "$debug" || true
clean_log
expect 'hello: hello from user space'
expect_frames_balanced
grep -q 'Breakpoint 1 at 0x' "$TEST_DIR/readme_debug.gdb" || fail "gdbinit set no breakpoint in panic"
verdict "readme/make debug"

# make fuzz, shortened: the same script, a few thousand calls.
LOG=$TEST_DIR/readme_fuzz.log
(cd "$ROOT" && FUZZ_CALLS=5000 FUZZ_SEED=5 make fuzz) </dev/null >"$LOG" 2>&1 || fail "make fuzz failed"
expect '^fuzz: 5000 calls from seed 5 in'
expect '^fuzz.sh: PASS$'
verdict "readme/make fuzz"

# make bench: the table, the plot and the profile; the figures it writes
# into docs/measuring.md must be the ones already there (the file is put
# back either way).
LOG=$TEST_DIR/readme_bench.log
cp "$ROOT/docs/measuring.md" "$TEST_DIR/measuring.md.saved"
(cd "$ROOT" && make bench) </dev/null >"$LOG" 2>&1 || fail "make bench failed"
cmp -s "$ROOT/docs/measuring.md" "$TEST_DIR/measuring.md.saved" ||
	fail "make bench changed docs/measuring.md: its figures were stale"
cp "$TEST_DIR/measuring.md.saved" "$ROOT/docs/measuring.md"
expect '^door_fast +0 '
expect 'wrote build/bench/results.csv'
expect '^fast round trip, 0 bytes: [0-9.]+ instructions'
verdict "readme/make bench"
