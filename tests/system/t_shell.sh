# SPDX-License-Identifier: MIT
#
# t_shell.sh — the Sprite host one can type into: proc, the UART driver,
# init and sh, driven through the serial console by a person's keystrokes
# (tests/system/console/shell.txt): a background job, ps, kill, $?, ^C on
# a foreground loop and a sleep, a faulting program, quoting, ^U, exit and
# init starting the shell again, poweroff with every frame back.

boot_console shell "$ROOT/tests/system/console/shell.txt" --timeout 90 \
	--modules build/servers/proc.elf --append poweroff=idle
expect '^proc: host 1, [0-9]+ programs in the boot image$'
expect '^\[[0-9]+\] Terminated	loop$'
expect '^status 143$'
expect '^Segmentation fault \(core dumped\)$'
expect '^init: starting sh again$'
expect_not 'panic|FAILED'
expect_frames_balanced
expect_status ok
verdict shell
