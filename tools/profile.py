# SPDX-License-Identifier: MIT
#
# profile.py — gdb script for tools/profile.sh: where the instructions of
# one fast door round trip go. QEMU waits for gdb (started with -s -S);
# this script runs the guest to the first door_fast_call of the profile
# loop, single-steps it (QEMU's stub masks interrupts while stepping, so the
# trace is the same on every run), and counts the instructions of ROUNDS
# round trips after WARM warm-up ones, by function and by stage:
#
#   client  user code of the calling domain (stub, loop)
#   entry   sysenter_entry: the nucleus's entry stub, both crossings
#   call    the nucleus's call checklist (fastpath.S, or the C reference)
#   switch  past its point of no return: the handoff, the iret to the server
#   server  user code of the serving domain (entry, dispatch, procedure)
#   return  the nucleus's return checklist
#   exit    past its point of no return: the handoff, sysexit to the caller
#   other   anything else (a general-path fallback would show here)
#
# Environment: PROFILE_ELF (the user program's ELF), PROFILE_OUT (report
# file), PROFILE_ROUNDS, PROFILE_WARM, PROFILE_TRACE (a file for one round
# trip's instructions, one address a line, if set).
import bisect
import os
import subprocess

import gdb

STAGES = ["client", "entry", "call", "switch", "server", "return", "exit", "other"]
NUCLEUS_STAGE = {
    "sysenter_entry": "entry",
    "sysenter_entry_c": "entry",
    "sysenter_flags_clean": "entry",
    "door_fast_entry": "entry",
    "door_fast_call_asm": "call",
    "door_fast_call_c": "call",
    "door_fast_call": "call",
    "door_fast_call_switch": "switch",
    "exit_to_door_entry": "switch",
    "door_fast_return_asm": "return",
    "door_fast_return_c": "return",
    "door_fast_return": "return",
    "door_fast_return_switch": "exit",
    "sysexit_ret": "exit",
    "exit_via_sysframe": "exit",
}
USER_TOP = 0xC0000000


def user_symbols(elf):
    """(address, name) of elf's functions, sorted, from nm."""
    out = subprocess.run([os.environ.get("NM", "nm"), "-n", elf], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


# With PROFILE_SERVER_ELF, the server's user code is named from its own
# program (two programs may use the same addresses): side -> symbols.
SIDE_SYMBOLS = {}


def function_at(pc, side="client", cache={}):
    """The name of the function (or assembly label) holding pc."""
    if pc < USER_TOP and side in SIDE_SYMBOLS:
        syms = SIDE_SYMBOLS[side]
        i = bisect.bisect_right(syms, (pc, "\uffff")) - 1
        return syms[i][1] if i >= 0 else "?"
    if pc not in cache:
        text = gdb.execute("info symbol %#x" % pc, to_string=True)
        cache[pc] = "?" if text.startswith("No symbol") else text.split()[0]
    return cache[pc]


def address(fn):
    return int(gdb.parse_and_eval("(unsigned)&%s" % fn))


# Where a round trip starts (the call's first nucleus function) and where
# the server's return enters the nucleus: the fast path's, or with
# PROFILE_KIND vanilla or bulk, the general path's.
GENERAL = os.environ.get("PROFILE_KIND", "fast") not in ("fast", "proc_getpid")
CALLS = ("door_sys_call",) if GENERAL else ("door_fast_call_asm", "door_fast_call_c")
RETURNS = ("door_sys_return", "door_fast_return_asm", "door_fast_return_c") if GENERAL else \
    ("door_fast_return_asm", "door_fast_return_c")


def first_word(elf, addr):
    """The 32-bit word at addr in elf's image, from objdump."""
    out = subprocess.run([os.environ.get("OBJDUMP", "objdump"), "-s", "--start-address=%#x" % addr,
                          "--stop-address=%#x" % (addr + 4), elf],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "%x" % addr:
            return int.from_bytes(bytes.fromhex(parts[1]), "little")
    raise RuntimeError("no bytes at %#x in %s" % (addr, elf))


# What one round trip of each kind carries (user/doorbench.c, user/procbench.c).
WHAT = {"fast": "0 bytes", "vanilla": "64 bytes", "bulk": "1 MiB", "fs_read": "4 KiB",
        "fs_write": "4 KiB", "proc_getpid": "12 bytes back"}


def pc_now():
    return int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFF


def step():
    """One instruction. gdb may fail to describe where it stopped (an
    inlined function whose frame it cannot unwind) after the step is done:
    that is no reason to stop tracing, as long as the pc moved."""
    pc = pc_now()
    try:
        gdb.execute("stepi", to_string=True)
    except gdb.error:
        if pc_now() == pc:
            raise


def trace(rounds, warm):
    """Steps from the first fast call's checklist through warm + rounds round
    trips; returns the (pc, side) of each instruction of the last rounds.
    side is which domain's user code runs: the caller's until a fast call
    enters a server, the server's until the fast return."""
    calls = tuple(address(f) for f in CALLS)
    rets = tuple(address(f) for f in RETURNS)
    seen, side, out = 0, "client", []
    while True:
        pc = pc_now()
        if pc in calls:
            seen += 1
            side = "server"
            if seen > warm + rounds:
                return out
        elif pc in rets:
            side = "client"
        if seen > warm:
            out.append((pc, side))
        step()


def stage_of(pc, side, fn):
    if pc < USER_TOP:
        return side
    return NUCLEUS_STAGE.get(fn, "other")


def dump(steps, rounds, path):
    """Writes one round trip's instructions, one line each."""
    per = len(steps) // rounds
    with open(path, "w") as f:
        for pc, side in steps[:per]:
            f.write("%08x %-7s %s\n" % (pc, stage_of(pc, side, function_at(pc, side)), function_at(pc, side)))


def report(steps, rounds, path):
    by_fn, by_stage = {}, dict.fromkeys(STAGES, 0)
    for pc, side in steps:
        fn = function_at(pc, side)
        stage = stage_of(pc, side, fn)
        by_stage[stage] += 1
        key = (stage, fn)
        by_fn[key] = by_fn.get(key, 0) + 1
    with open(path, "w") as f:
        kind = os.environ.get("PROFILE_KIND", "fast")
        f.write("%s round trip, %s: %.1f instructions (%d round trips traced)\n"
                % (kind, WHAT.get(kind, "?"), len(steps) / rounds, rounds))
        f.write("\nby stage:\n")
        for s in STAGES:
            if by_stage[s]:
                f.write("  %-8s %6.1f\n" % (s, by_stage[s] / rounds))
        f.write("\nby function:\n")
        for (stage, fn), n in sorted(by_fn.items(), key=lambda kv: (STAGES.index(kv[0][0]), -kv[1])):
            f.write("  %-8s %-28s %6.1f\n" % (stage, fn, n / rounds))


def main():
    rounds = int(os.environ.get("PROFILE_ROUNDS", "4"))
    warm = int(os.environ.get("PROFILE_WARM", "2"))
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("target remote 127.0.0.1:%s" % os.environ.get("PROFILE_PORT", "1234"),
                to_string=True)
    gdb.execute("add-symbol-file %s" % os.environ["PROFILE_ELF"], to_string=True)
    if os.environ.get("PROFILE_SERVER_ELF"):
        SIDE_SYMBOLS["client"] = user_symbols(os.environ["PROFILE_ELF"])
        SIDE_SYMBOLS["server"] = user_symbols(os.environ["PROFILE_SERVER_ELF"])
    # Other programs may have code at run_profile's address (every program
    # starts at the same place): stop only where the bytes there are its.
    start = address("run_profile")
    want = first_word(os.environ["PROFILE_ELF"], start)
    gdb.execute("break *%#x if *(unsigned *)%#x == %#x" % (start, start, want), to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete", to_string=True)
    for fn in CALLS:
        gdb.execute("break %s" % fn, to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete", to_string=True)
    steps = trace(rounds, warm)
    report(steps, rounds, os.environ["PROFILE_OUT"])
    if os.environ.get("PROFILE_TRACE"):
        dump(steps, rounds, os.environ["PROFILE_TRACE"])
    gdb.execute("kill", to_string=True)


main()
