# SPDX-License-Identifier: MIT
#
# t_demo.sh — what `make run` shows: hello, then the demo's counter served
# across a door and the same stub bound locally, then everything ends.

boot demo --modules "build/user/hello.elf,build/user/demo.elf server,build/user/demo.elf client" \
	--append poweroff=idle
expect '^demo client: counter_add\(30\) across the door -> 60$'
expect '^demo client: the same stub bound locally -> 10 \(our own counter\)$'
expect '^demo client: per call, [0-9]+ TSC ticks across domains, [0-9]+ linked in$'
expect '^demo server: asked to stop; the counter ends at 60$'
expect_frames_balanced
expect_status ok
verdict demo
