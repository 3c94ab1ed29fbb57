# SPDX-License-Identifier: MIT
#
# t_lifecycle.sh — threads, sleep and time, and the ways a domain ends: main
# returning (another thread asleep), the last thread exiting, and domain_exit
# while a thread sleeps. Each ends with its status and gives its frames back.

boot lifecycle --modules "build/user/threads.elf,build/user/exiter.elf return,build/user/exiter.elf thread-exit,build/user/exiter.elf sleeping" --append poweroff=idle
expect_count 3 '^threads: worker [0-2] \(thread [0-9]+\) slept [0-9]+ ticks$'
expect '^threads: all 3 workers done; [0-9]+ ticks at 100 Hz, tsc advanced: yes$'
expect 'domain threads#1 exited with status 7'
expect 'domain exiter#[0-9]+ exited with status 3'
expect 'domain exiter#[0-9]+ ended with its last thread'
expect 'domain exiter#[0-9]+ exited with status 5'
expect_not 'FAIL'
expect_frames_balanced
expect_status ok
verdict lifecycle
