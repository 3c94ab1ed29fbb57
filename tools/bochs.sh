#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bochs.sh — boot an ISO under Bochs 2.7 with no display and no terminal, COM1
# going to LOGFILE. Debian's Bochs has no "nogui" display and starts in its
# debugger, so it runs with the curses "term" display inside a pseudo-terminal
# made by script(1), and the debugger is told to continue ("c"). The run ends
# when the guest writes "Shutdown" to port 0x8900 (Bochs' unmapped device), a
# triple fault (no reset), or after TIMEOUT seconds. The generated bochsrc, the
# Bochs log (bochs.log) and the captured screen (term.out) are in build/bochs/.
#
# With DISK, a raw image becomes the primary IDE master (drivers/ata) and
# the CD-ROM its slave; the image must be whole cylinders of 16 heads and 63
# sectors (1008 sectors, 516096 bytes), the geometry given to Bochs.
#
# Usage: tools/bochs.sh ISO LOGFILE TIMEOUT [DISK]
# Exit status: 0 the guest shut down through port 0x8900; 124 timed out;
#              1 anything else (read build/bochs/bochs.log). The caller checks
#              LOGFILE for what the guest printed.
set -euo pipefail

if (($# != 3 && $# != 4)); then
	echo "usage: $0 ISO LOGFILE TIMEOUT [DISK]" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/build/bochs
iso=$(realpath "$1")
log=$(realpath -m "$2")
secs=$3
drives="ata0-master: type=cdrom, path=\"$iso\", status=inserted"
if (($# == 4)); then
	disk=$(realpath "$4")
	bytes=$(stat -c %s "$disk")
	if ((bytes == 0 || bytes % 516096)); then
		echo "$0: $disk is not whole cylinders of 16 heads and 63 sectors" >&2
		exit 2
	fi
	drives="ata0-master: type=disk, path=\"$disk\", mode=flat, cylinders=$((bytes / 516096)), heads=16, spt=63
ata0-slave: type=cdrom, path=\"$iso\", status=inserted"
fi
mkdir -p "$dir" "$(dirname "$log")"
rm -f "$log" "$dir/bochs.log"

# CPU p4_willamette: 32-bit Pentium 4 with SEP (sysenter), PSE, PGE and TSC.
# clock sync=none: guest time follows instructions, so runs are as fast as
# the host allows. Sound goes to the dummy driver so no host audio is needed.
cat >"$dir/bochsrc" <<EOC
megs: 128
cpu: model=p4_willamette, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: term
$drives
boot: cdrom
com1: enabled=1, mode=file, dev="$log"
clock: sync=none
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
log: "$dir/bochs.log"
EOC
echo c >"$dir/cmds"

# script(1) supplies the pty even with no terminal and stdin closed. The
# timeout runs inside it, in the foreground (Bochs reads the pty), and uses
# SIGKILL because Bochs' term display catches SIGTERM and carries on; the
# outer timeout only guards against script(1) itself hanging.
status=0
# shellcheck disable=SC2016 # the inner shell expands $BOCHS_DIR, $BOCHS_SECS
BOCHS_DIR=$dir BOCHS_SECS=$secs SHELL=/bin/sh timeout -k 5 "$((secs + 10))" \
	script -qec 'cd "$BOCHS_DIR" && TERM=xterm exec timeout --foreground \
		-s KILL "$BOCHS_SECS" bochs -q -f bochsrc -rc cmds' /dev/null \
	</dev/null >"$dir/term.out" 2>&1 || status=$?

if grep -q 'Shutdown port: shutdown requested' "$dir/bochs.log" 2>/dev/null; then
	exit 0
elif ((status == 124 || status == 137)); then # 137: timed out, SIGKILL
	exit 124
fi
exit 1
