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
import os

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


def function_at(pc, cache={}):
    """The name of the function (or assembly label) holding pc."""
    if pc not in cache:
        text = gdb.execute("info symbol %#x" % pc, to_string=True)
        cache[pc] = "?" if text.startswith("No symbol") else text.split()[0]
    return cache[pc]


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
    calls = (int(gdb.parse_and_eval("(unsigned)&door_fast_call_asm")),
             int(gdb.parse_and_eval("(unsigned)&door_fast_call_c")))
    ret = int(gdb.parse_and_eval("(unsigned)&door_fast_return_asm"))
    ret_c = int(gdb.parse_and_eval("(unsigned)&door_fast_return_c"))
    seen, side, out = 0, "client", []
    while True:
        pc = pc_now()
        if pc in calls:
            seen += 1
            side = "server"
            if seen > warm + rounds:
                return out
        elif pc in (ret, ret_c):
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
            f.write("%08x %-7s %s\n" % (pc, stage_of(pc, side, function_at(pc)), function_at(pc)))


def report(steps, rounds, path):
    by_fn, by_stage = {}, dict.fromkeys(STAGES, 0)
    for pc, side in steps:
        fn = function_at(pc)
        stage = stage_of(pc, side, fn)
        by_stage[stage] += 1
        key = (stage, fn)
        by_fn[key] = by_fn.get(key, 0) + 1
    with open(path, "w") as f:
        f.write("fast round trip, 0 bytes: %.1f instructions (%d round trips traced)\n"
                % (len(steps) / rounds, rounds))
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
    gdb.execute("break run_profile", to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete", to_string=True)
    gdb.execute("break door_fast_call_asm", to_string=True)
    gdb.execute("break door_fast_call_c", to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete", to_string=True)
    steps = trace(rounds, warm)
    report(steps, rounds, os.environ["PROFILE_OUT"])
    if os.environ.get("PROFILE_TRACE"):
        dump(steps, rounds, os.environ["PROFILE_TRACE"])
    gdb.execute("kill", to_string=True)


main()
