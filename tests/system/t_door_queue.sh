# SPDX-License-Identifier: MIT
#
# t_door_queue.sh — a server pool that is smaller than its load: 32 callers
# on a pool of 2 threads are all served, in the order they arrived; and on a
# pool of one, revoking a door lets the call in progress finish while the
# queued callers get -EBADF; and an unreferenced notification raised while
# the only thread is busy waits for it.

boot door_fifo --modules "build/user/doortest.elf server 2,build/user/doortest.elf fifo 32" \
	--append poweroff=idle --timeout 60
expect '^doortest: fifo: every call served: ok$'
expect '^doortest: fifo: served in arrival order: ok$'
expect '^doortest fifo: 3 of 3 checks passed$'
expect_frames_balanced
expect_status ok
verdict door_fifo

boot door_revoke --modules "build/user/doortest.elf server 1,build/user/doortest.elf revoke" \
	--append poweroff=idle --timeout 60
expect '^doortest: revoke: the call in progress completes: ok$'
expect '^doortest: revoke: queued calls fail with -EBADF: ok$'
expect '^doortest: unreferenced notification waits for a thread, then arrives: ok$'
expect '^doortest revoke: 5 of 5 checks passed$'
expect_frames_balanced
expect_status ok
verdict door_revoke
