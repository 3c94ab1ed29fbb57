# SPDX-License-Identifier: MIT
#
# t_readme.sh — every `make run` command the README shows works as written:
# each is run (with APPEND=poweroff=idle added, so it ends by itself) and
# must end with every domain gone, every frame back, and no failed check.
# A README example cannot rot without this test failing.

n=0
while IFS= read -r line; do
	cmd=${line%%#*}
	n=$((n + 1))
	LOG=$TEST_DIR/readme_$n.log
	(cd "$ROOT" && eval "timeout 120 $cmd APPEND=poweroff=idle" </dev/null >"$LOG" 2>&1) || true
	clean_log
	expect 'sprig: ready'
	expect_frames_balanced
	expect_not 'FAIL'
	expect_not 'panic'
	verdict "readme/$n: ${cmd%"${cmd##*[! ]}"}"
done < <(grep -E '^make run( |$)' "$ROOT/README.md")
((n >= 4)) || { fail "found only $n make run commands in README.md"; verdict readme; }
