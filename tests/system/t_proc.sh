# SPDX-License-Identifier: MIT
#
# t_proc.sh — the process manager's semantics and hostile input
# (user/proctest.c, run as init): fork, exec, wait, signals and handlers,
# process groups, orphans, zombies, killing processes blocked in a sleep,
# a door call and a console read, a fork bomb, malformed requests, the
# console driver's death; beside it a plain boot module (user/noproc.c)
# that holds no door and reaches nothing. Ends with every frame back.

boot proc --timeout 120 --modules "build/servers/proc.elf init=proctest,build/user/noproc.elf" \
	--append poweroff=idle
expect '^proctest: pid [0-9]+, parent 0, host 1$'
expect '^proctest: 45 checks, 0 failed$'
expect 'interrupt line 4 unbound \(masked\)'
expect '^noproc: start door -1; 0 of [0-9]+ ids and names reach anything: ok$'
expect_not 'FAILED|panic'
expect_frames_balanced
expect_status ok
verdict proc
