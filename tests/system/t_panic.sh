# SPDX-License-Identifier: MIT
#
# t_panic.sh — a panic (asked for on the command line) prints the message,
# the registers and a backtrace with nucleus symbol names, then powers off
# with the failure status.

boot panic --append "poweroff=idle selftest=panic"
expect '^panic: self test requested on the command line$'
expect 'cr0 [0-9a-f]{8} cr2'
expect '^backtrace:$'
expect '^  c0[0-9a-f]{6} monitor\+0x[0-9a-f]+$'
expect_status fail
verdict panic
