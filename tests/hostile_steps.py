#!/usr/bin/env python3
"""Runs every next step of a report whose crashed process had hostile
arguments and checks that nothing it chose is executed and that the program
gets its arguments back byte for byte.

Usage: hostile_steps.py SANDBOX EXE REPORT.txt REPORT.json -- ARG...

SANDBOX/bin gets a stub for every command a step may run (it records its
arguments in SANDBOX/calls) and a real touch (what injected code would
run); EXE (a path inside the test's own directory) is replaced by the stub.
Each step line of the text report (what an admin copies from a terminal)
and each string of the JSON report's next_steps runs under bash, and under
dash (which has no $'...': it must run nothing, whatever bytes it gets), with
PATH=SANDBOX/bin in SANDBOX/work. No file named PWNED* may appear anywhere in
SANDBOX; every command that got EXE must have received exactly ARG... after
it (gdb gets the core instead; `coreinspect gdb` the bundle); the text and JSON steps must be the same."""
import json, os, subprocess, sys

STUB = r"""#!/bin/bash
f=$(/usr/bin/mktemp "$CALLS/call.XXXXXX")
printf '%s\0' "${0##*/}" "$@" > "$f"
if [ "${0##*/}" = mktemp ]; then
        /usr/bin/mkdir -p "$WORK/d"
        printf '%s\n' "$WORK/d"
fi
exit 0
"""
COMMANDS = ["coreinspect", "gdb", "valgrind", "tar", "mktemp", "ltrace", "strace", "dmesg", "grep", "journalctl",
            "ms_print", "objdump", "less", "ls", "lsof", "cat", "ps", "auditctl"]


def main():
    sep = sys.argv.index("--")
    sandbox, exe, text, js = (os.fsencode(a) for a in sys.argv[1:5])
    args = [os.fsencode(a) for a in sys.argv[sep + 1:]]
    binp, calls, work = (os.path.join(sandbox, d) for d in (b"bin", b"calls", b"work"))
    for d in (binp, calls, work):
        os.makedirs(d, exist_ok=True)
    stub = os.path.join(binp, b"stub")
    with open(stub, "w") as f:
        f.write(STUB)
    os.chmod(stub, 0o755)
    for c in COMMANDS:
        p = os.path.join(binp, c.encode())
        if not os.path.lexists(p):
            os.symlink(b"stub", p)
    if not os.path.lexists(os.path.join(binp, b"touch")):
        os.symlink(b"/usr/bin/touch", os.path.join(binp, b"touch"))
    if os.path.lexists(exe):
        os.unlink(exe)
    os.symlink(stub, exe)

    steps = [l[4:] for l in open(text, "rb").read().split(b"\n") if l.startswith(b"  $ ")]
    report = json.load(open(js))
    json_steps = [s.encode("utf-8", "surrogateescape") for s in report["classification"]["next_steps"]]
    env = {b"PATH": binp, b"CALLS": calls, b"WORK": work}
    checked = 0
    for shell in (b"/bin/bash", b"/bin/dash"):
        for step in steps + [s for s in json_steps if s not in steps]:
            for f in os.listdir(calls):
                os.unlink(os.path.join(calls, f))
            subprocess.run([shell, b"-c", step], env=env, cwd=work, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            for root, dirs, files in os.walk(sandbox):
                hit = [f for f in files + dirs if f.startswith(b"PWNED")]
                assert not hit, ("executed", shell, step, hit)
            if shell != b"/bin/bash":
                continue
            for f in os.listdir(calls):
                parts = open(os.path.join(calls, f), "rb").read().split(b"\0")[:-1]
                if exe in parts[1:]:  # valgrind EXE ARGS, gdb EXE CORE, ...
                    i = parts.index(exe, 1)
                    if parts[0] != b"gdb":
                        assert parts[i + 1:] == args, ("arguments", step, parts)
                    checked += 1
                elif parts[0] == b"coreinspect":  # coreinspect gdb BUNDLE -- GDB-ARGS
                    assert parts[1] == b"gdb" and os.path.isfile(parts[2]) and parts[3] == b"--", ("gdb step", step, parts)
                    checked += 1
                elif parts[0] == os.path.basename(exe):  # EXE ARGS run directly
                    assert parts[1:] == args, ("arguments", step, parts)
                    checked += 1
    assert checked >= 3, ("too few commands got the program", checked, steps)
    assert steps == json_steps, ("text and JSON steps differ", steps, json_steps)
    print("ok: %d next steps run by bash and dash: nothing injected ran, %d commands got the exact "
          "program and arguments" % (len(steps), checked))


main()
