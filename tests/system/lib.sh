# SPDX-License-Identifier: MIT
#
# lib.sh — the words system scenarios are written in. tests/system/run.sh
# sources it and runs each scenario (tests/system/t_*.sh) in a subshell; a
# scenario boots the system, checks the serial log and the exit status, and
# ends with one verdict line. Logs go to build/test/NAME.log (carriage returns
# removed); verdicts are collected in build/test/system.results.
#
# Entry points:
#   boot NAME [--modules LIST] [--append CMDLINE] [--timeout SEC] [--disk IMG] [qemu.sh opts]
#     (under Bochs when EMU=bochs: an ISO of the same modules and command line)
#   boot_bochs NAME ISO [--timeout SEC] [--disk IMG]
#   boot_console NAME SCRIPT [--timeout SEC] [qemu.sh opts] (typed input)
#   expect REGEX, expect_not REGEX, expect_order REGEX1 REGEX2,
#   expect_count N REGEX, expect_status ok|fail|shutdown, expect_frames_balanced
#   verdict NAME, skip NAME REASON, run_scenario FILE, summary
# REGEX are grep -E patterns matched against single lines of the log.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TEST_DIR=$ROOT/build/test
RESULTS=$TEST_DIR/system.results
LOG="" STATUS="" REASONS=()

fail() { REASONS+=("$*"); }

# boot NAME [options]: run tools/qemu.sh (30 s unless --timeout) with the
# serial log in build/test/NAME.log; QEMU's exit status goes to $STATUS.
# With EMU=bochs (run.sh --bochs) the same boot runs under Bochs instead.
boot() {
	if [[ ${EMU:-qemu} == bochs ]]; then
		boot_modules_bochs "$@"
		return
	fi
	local name=$1 secs=30 args=()
	shift
	while (($#)); do
		case $1 in
		--timeout) secs=$2; shift 2 ;;
		*) args+=("$1"); shift ;;
		esac
	done
	LOG=$TEST_DIR/$name.log STATUS=0
	mkdir -p "$TEST_DIR"
	"$ROOT/tools/qemu.sh" --log "$LOG" --timeout "$secs" "${args[@]}" \
		</dev/null >"$TEST_DIR/$name.qemu.out" 2>&1 || STATUS=$?
	clean_log
	# QEMU says nothing on a normal run; it also exits 1 when it cannot start.
	if [[ -s $TEST_DIR/$name.qemu.out ]]; then
		fail "qemu: $(head -n1 "$TEST_DIR/$name.qemu.out")"
	fi
}

# boot_bochs NAME ISO [--timeout SEC] [--disk IMG]: boot ISO under Bochs
# (120 s unless --timeout), with IMG as the primary IDE master if given;
# $STATUS is tools/bochs.sh's: 0 = guest shut down via 0x8900.
boot_bochs() {
	local name=$1 iso=$2 secs=120 disk=()
	shift 2
	while (($#)); do
		case $1 in
		--timeout) secs=$2; shift 2 ;;
		--disk) disk=("$2"); shift 2 ;;
		*) shift ;;
		esac
	done
	LOG=$TEST_DIR/$name.log STATUS=0
	mkdir -p "$TEST_DIR"
	"$ROOT/tools/bochs.sh" "$iso" "$LOG" "$secs" "${disk[@]}" </dev/null || STATUS=$?
	clean_log
}

# boot_modules_bochs NAME --modules LIST [--append CMDLINE] [--timeout SEC] [--disk IMG]:
# boot's work under Bochs: an ISO of the nucleus and the modules, booted by
# tools/bochs.sh. $STATUS is then what QEMU's would be: the nucleus's power
# off line gives the status it asked for (1 ok, 3 fail), 0 otherwise.
boot_modules_bochs() {
	local name=$1 mods="" append="" secs=120 disk=()
	shift
	while (($#)); do
		case $1 in
		--modules) mods=$2; shift 2 ;;
		--append) append=$2; shift 2 ;;
		--timeout) secs=$(($2 * 2)); shift 2 ;;
		--disk) disk=(--disk "$2"); shift 2 ;;
		*) shift ;;
		esac
	done
	local iso=$TEST_DIR/bochs-iso/$name.iso list=()
	IFS=, read -ra list <<<"$mods"
	mkdir -p "$(dirname "$iso")"
	if ! ISO_APPEND=$append "$ROOT/tools/mkiso.sh" "$iso" "$ROOT/build/kernel.elf" "${list[@]}" \
		>"$TEST_DIR/$name.mkiso.out" 2>&1; then
		fail "mkiso failed"
		return
	fi
	boot_bochs "$name.bochs" "$iso" --timeout "$secs" "${disk[@]}"
	local off
	off=$(grep -Ea -m1 'nucleus: power off, status [0-9]+' "$LOG" || true)
	case $off in
	*"status 0"*) STATUS=1 ;;
	*"status 1"*) STATUS=3 ;;
	*) STATUS=0 ;;
	esac
}

# boot_console NAME SCRIPT [--timeout SEC] [qemu.sh opts]: boot under QEMU
# with the serial console typed into from SCRIPT by tools/console.sh (see
# there for the script's lines); the console's output is $LOG. A wait in
# the script that found nothing fails the scenario.
boot_console() {
	local name=$1 script=$2
	shift 2
	LOG=$TEST_DIR/$name.log STATUS=0
	mkdir -p "$TEST_DIR"
	if ! "$ROOT/tools/console.sh" "$script" "$LOG" "$@"; then
		fail "console: $(tail -n1 "$LOG.qemu")"
	fi
	STATUS=$(cat "$LOG.status" 2>/dev/null || echo 124)
	clean_log
}

# clean_log: make sure $LOG exists and drop the serial console's CRs.
clean_log() {
	touch "$LOG"
	sed -i 's/\r//g' "$LOG"
}

expect() {
	grep -Eaq -- "$1" "$LOG" || fail "no line matches /$1/"
}

expect_not() {
	local hit
	hit=$(grep -Ea -m1 -- "$1" "$LOG") && fail "unwanted line /$1/: $hit"
	return 0
}

# expect_order A B: the first line matching A comes before the last matching B.
expect_order() {
	local a b
	a=$(grep -Ean -m1 -- "$1" "$LOG" | cut -d: -f1 || true)
	b=$(grep -Ean -- "$2" "$LOG" | tail -n1 | cut -d: -f1 || true)
	if [[ -z $a || -z $b ]] || ((a >= b)); then
		fail "no /$1/ before /$2/ (lines ${a:-none}, ${b:-none})"
	fi
}

expect_count() {
	local n
	n=$(grep -Eac -- "$2" "$LOG" || true)
	((n == $1)) || fail "$n lines match /$2/, wanted $1"
}

# expect_status ok|fail|shutdown: QEMU ended by the guest writing 0 (ok, QEMU
# status 1) or 1 (fail, status 3) to port 0xf4, or Bochs by the 0x8900 port.
expect_status() {
	local want
	case $1 in
	ok) want=1 ;;
	fail) want=3 ;;
	shutdown) want=0 ;;
	*) fail "expect_status: unknown status $1"; return ;;
	esac
	((STATUS == want)) && return
	local why="exit status $STATUS"
	((STATUS == 124)) && why+=" (timed out)"
	[[ $1 != shutdown && $STATUS == 0 ]] && why+=" (triple fault or QEMU quit)"
	fail "$why, wanted $want ($1)"
}

# expect_frames_balanced: the nucleus's last report has as many free physical
# frames after all domains ended as at start, i.e. nothing leaked.
expect_frames_balanced() {
	local re='nucleus: all domains ended; frames free ([0-9]+) \(at start ([0-9]+)\)'
	local line
	line=$(grep -Ea -- "$re" "$LOG" | tail -n1 || true)
	if [[ ! $line =~ $re ]]; then
		fail "no line matches /$re/"
	elif [[ ${BASH_REMATCH[1]} != "${BASH_REMATCH[2]}" ]]; then
		fail "frames leaked: free ${BASH_REMATCH[1]}, at start ${BASH_REMATCH[2]}"
	fi
}

# verdict NAME: print "PASS NAME" or "FAIL NAME: reasons" and the log's tail.
verdict() {
	[[ ${EMU:-qemu} == bochs ]] && set -- "$1/bochs"
	mkdir -p "$TEST_DIR"
	if ((${#REASONS[@]} == 0)); then
		echo "PASS $1" | tee -a "$RESULTS"
	else
		local why
		why=$(printf '%s; ' "${REASONS[@]}")
		echo "FAIL $1: ${why%; }" | tee -a "$RESULTS"
		[[ -f $LOG ]] && tail -n 20 "$LOG" | sed 's/^/    /'
	fi
	REASONS=()
}

# skip NAME REASON: say why a scenario could not run; not counted.
skip() {
	echo "SKIP $1: $2" | tee -a "$RESULTS"
}

# run_scenario FILE: run FILE with this library in a fresh bash (errexit on);
# a scenario that stops without a verdict (a bug in it) counts as a failure.
run_scenario() {
	local before after
	mkdir -p "$TEST_DIR"
	touch "$RESULTS"
	before=$(wc -l <"$RESULTS")
	bash -euo pipefail -c 'source "$0"; source "$1"' "${BASH_SOURCE[0]}" "$1" || true
	after=$(wc -l <"$RESULTS")
	if ((after == before)); then
		REASONS=("scenario stopped before its verdict")
		verdict "$(basename "$1" .sh)"
	fi
}

# summary: print "system: N passed, N failed", write "N N" to
# build/test/system.counts; fails if any scenario failed.
summary() {
	local passed failed
	passed=$(grep -c '^PASS ' "$RESULTS" 2>/dev/null || true)
	failed=$(grep -c '^FAIL ' "$RESULTS" 2>/dev/null || true)
	echo "${passed:-0} ${failed:-0}" >"$TEST_DIR/system.counts"
	echo "system: ${passed:-0} passed, ${failed:-0} failed"
	((${failed:-0} == 0))
}
