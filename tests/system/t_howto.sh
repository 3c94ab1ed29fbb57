# SPDX-License-Identifier: MIT
#
# t_howto.sh — the recipes of docs/howto.md, done: the raw door server and
# client, the DOOR_INTERFACE version through the door and linked in, and a
# gdb session that adds a program's symbols and stops in its procedure.

boot howto_raw --modules "build/user/howto_raw.elf server,build/user/howto_raw.elf client" \
	--append poweroff=idle
expect '^howto server: serving howto.double$'
expect '^howto client: double\(21\) = 42 \(success\)$'
expect '^howto server: quitting$'
expect_count 2 'domain howto_raw#[0-9]+ exited with status 0'
expect_frames_balanced
expect_status ok
verdict howto/raw

boot howto_iface --modules "build/user/howto_iface.elf server,build/user/howto_iface.elf client" \
	--append poweroff=idle
expect '^howto across the door: twice\(21\) = 42, add\(40, 2\) = 42 \(0 0\)$'
expect '^howto linked in: twice\(21\) = 42, add\(40, 2\) = 42 \(0 0\)$'
expect_count 2 'domain howto_iface#[0-9]+ exited with status 0'
expect_frames_balanced
expect_status ok
verdict howto/iface

# The gdb recipe (QEMU's gdb stub; not repeated under Bochs): QEMU waits
# for gdb; gdb loads the nucleus and the program, breaks in the door
# procedure, and prints the argument it sees.
[[ ${EMU:-qemu} == qemu ]] || return 0
LOG=$TEST_DIR/howto_gdb.log
port=$((21000 + $$ % 20000))
"$ROOT/tools/qemu.sh" --modules "build/user/howto_raw.elf server,build/user/howto_raw.elf client" \
	--append poweroff=idle --log "$TEST_DIR/howto_gdb.serial" --timeout 60 \
	-- -gdb "tcp:127.0.0.1:$port" -S </dev/null >/dev/null 2>&1 &
qemu=$!
timeout 60 gdb -q -batch -nx -ex "set pagination off" -ex "file build/kernel.elf" \
	-ex "target remote 127.0.0.1:$port" -ex "add-symbol-file build/user/howto_raw.elf" \
	-ex "break double_proc" -ex "continue" -ex "print *(int *)req->data" \
	-ex "delete" -ex "continue" >"$LOG" 2>&1 || true
wait "$qemu" || true
expect 'Breakpoint 1(\.[0-9]+)?, double_proc'
expect '^\$1 = 21$'
verdict howto/gdb
