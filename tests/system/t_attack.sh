# SPDX-License-Identifier: MIT
#
# t_attack.sh — a domain that tries to take the machine's memory
# (user/attack.c) meets its frame limit: system calls and door calls that
# need a frame past it get -ENOMEM, one log line names the domain and the
# limit, a touch past it kills the domain, and other domains still get
# memory. The limit comes from the default, the kernel command line
# (frames=N) or the module's own frames=N word. Every frame comes back.

boot attack_default --modules "build/user/attack.elf hog 8192,build/user/attack.elf bystander" \
	--append poweroff=idle --timeout 60
expect '^attack hog: 6 of 6 checks passed$'
expect '^attack bystander: 2 of 2 checks passed$'
expect_count 1 'nucleus: domain attack#1 reached its limit of 8192 frames$'
expect 'nucleus: domain attack#1 killed: out of memory at'
expect 'nucleus: domain attack#2 exited with status 0'
expect_not 'FAIL'
expect_not 'panic'
expect_frames_balanced
expect_status ok
verdict attack/default

boot attack_limits --modules "build/user/attack.elf hog 400,build/user/attack.elf hog 300 frames=300" \
	--append "poweroff=idle frames=400" --timeout 60
expect_count 2 '^attack hog: 6 of 6 checks passed$'
expect_count 1 'nucleus: domain attack#1 reached its limit of 400 frames$'
expect_count 1 'nucleus: domain attack#2 reached its limit of 300 frames$'
expect 'nucleus: domain attack#1 killed: out of memory at'
expect 'nucleus: domain attack#2 killed: out of memory at'
expect_not 'FAIL'
expect_not 'panic'
expect_frames_balanced
expect_status ok
verdict attack/limits
