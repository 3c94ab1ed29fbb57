# SPDX-License-Identifier: MIT
#
# t_fuzz.sh — a short seeded run of the hostile-domain fuzzer (user/fuzz.c):
# random system calls and door calls through both entries with hostile
# arguments and odd CPU state, a thread racing closes and revokes, and a
# well-behaved server that must keep answering. No panic, no hang, no
# triple fault, and every frame back at the end. `make fuzz` runs a long one.

for seed in 1 20261124; do
	boot "fuzz_$seed" --modules "build/user/fuzz.elf server,build/user/fuzz.elf attack $seed 20000" \
		--append poweroff=idle --timeout 120
	expect "^fuzz: 20000 calls from seed $seed in"
	expect '^fuzz: the server answered ([0-9]+) of \1 checks$'
	expect '^fuzz: the server answered 79 of 79 checks$'
	expect_count 2 'domain fuzz#[12] exited with status 0'
	expect_not 'panic'
	expect_not 'killed'
	expect_frames_balanced
	expect_status ok
	verdict "fuzz/$seed"
done
