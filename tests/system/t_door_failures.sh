# SPDX-License-Identifier: MIT
#
# t_door_failures.sh — domains dying in the middle of door calls. The server
# dies while serving: its caller gets -EINTR at once. The caller dies: the
# server's thread sees the alert on its shuttle, its results are dropped and
# it serves again. B dies in the middle of A -> B -> C: A gets -EINTR at once,
# C finishes alerted. The nucleus survives each, and every frame comes back.

boot door_server_dies --modules "build/user/doortest.elf server,build/user/doortest.elf die" \
	--append poweroff=idle --timeout 60
expect '^doortest server: dying in the middle of a call, as asked$'
expect 'domain doortest#1 exited with status 9'
expect '^doortest die: 4 of 4 checks passed$'
expect_frames_balanced
expect_status ok
verdict door_server_dies

boot door_caller_dies --modules "build/user/doortest.elf server,build/user/doortest.elf caller-dies,build/user/doortest.elf quit 600" \
	--append poweroff=idle --timeout 60
expect '^doortest caller-dies: ending the domain mid-call$'
expect_order 'domain doortest#2 exited' '^doortest server: slow call 1 finished with its caller gone \(alerted\)$'
expect '^doortest quit: 1 of 1 checks passed$'
expect_not 'FAIL'
expect_frames_balanced
expect_status ok
verdict door_caller_dies

boot door_chain_crash --modules "build/user/doortest.elf server,build/user/doortest.elf middle 100,build/user/doortest.elf chain,build/user/doortest.elf quit 800" \
	--append poweroff=idle --timeout 60
expect 'domain doortest#2 killed: page fault at 0x0'
expect '^doortest: chain: A gets -EINTR when B dies mid-chain: ok$'
expect '^doortest: chain: promptly, not when C finishes: ok$'
expect '^doortest chain: 3 of 3 checks passed$'
expect '^doortest server: slow call 2 finished with its caller gone \(alerted\)$'
expect '^doortest quit: 1 of 1 checks passed$'
expect_not 'FAIL'
expect_frames_balanced
expect_status ok
verdict door_chain_crash
