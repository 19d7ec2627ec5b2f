#!/usr/bin/env python3
"""Helpers for run.sh: check one case's report, print the confusion matrix.

  corpus.py check NAME REPORT.json CLASS DETAIL_RE FRAME_RE SIGNAL [BUNDLE]
      -> one TSV result line; with BUNDLE, the registers and mappings named
         in the detail and evidence are checked against the bundle's core
         (NT_PRSTATUS) and proc/maps: a false statement fails the detail
  corpus.py matrix RESULTS.tsv                                       -> the table, matrix, N/M line,
      the count of wrong classes said with high confidence (fails when > 0)
"""
import fnmatch
import json
import os
import re
import struct
import subprocess
import sys

CLASSES = ["null-deref", "buffer-overflow", "stack-exhaustion", "oom", "double-free",
           "use-after-free", "heap-corruption", "abort", "assertion", "division-by-zero",
           "illegal-instruction", "bus-error", "wild-jump", "external-signal", "unknown"]
SHORT = {"null-deref": "null", "buffer-overflow": "bof", "stack-exhaustion": "stack",
         "oom": "oom", "double-free": "dfree", "use-after-free": "uaf",
         "heap-corruption": "heap", "abort": "abort", "assertion": "assert",
         "division-by-zero": "div0", "illegal-instruction": "ill", "bus-error": "bus",
         "wild-jump": "wild", "external-signal": "ext", "unknown": "unk"}
# Modules that are the runtime, not the program: the crash frame is the
# first frame outside them (and outside anonymous memory).
# Source files of library code compiled into the program (fortify wrappers,
# libstdc++ templates): the same table the classifier uses.
HEADERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "rules", "system-headers.txt")
SYSTEM_HEADERS = [l.strip() for l in open(HEADERS) if l.strip() and not l.startswith("#")]
RUNTIME = re.compile(r"^(libc\.so|ld-linux|libstdc\+\+\.so|libgcc_s\.so|libm\.so|libpthread|linux-vdso|\[vdso\])")


def strip_params(fn):
    """'ns::f(int) const' -> 'ns::f' (keeps template args out of the way too)."""
    depth, out = 0, []
    for ch in fn:
        if ch in "(<":
            if ch == "(" and depth == 0:
                break
            depth += 1
        elif ch in ")>":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out).strip()


SUFFIX = re.compile(r"(\.(cold|isra|constprop|part|lto_priv|localalias)(\.\d+)?)+$")


def normalize(fn):
    """'ns::f(int) const' -> 'ns::f'; 'f.constprop.0' / 'f.cold' -> 'f'."""
    return SUFFIX.sub("", strip_params(fn))


def crash_frame(d):
    threads = d.get("threads") or []
    t = next((t for t in threads if t.get("crashed")), threads[0] if threads else None)
    if not t:
        return None
    for f in t.get("frames") or []:
        mod = (f.get("module") or "").split("/")[-1]
        if not mod or RUNTIME.match(mod):
            continue
        # library code inlined into the program (fortify wrappers, STL)
        if f.get("inline") and any(fnmatch.fnmatchcase(f.get("file") or "", p) for p in SYSTEM_HEADERS):
            continue
        # an out-of-line instance of a libstdc++ template compiled into the
        # program (g++ -O0: std::vector<int>::_M_range_check), its source a
        # system header: library code too
        if (f.get("function") or "").startswith(("std::", "__gnu_cxx::")) and \
                any(fnmatch.fnmatchcase(f.get("file") or "", p) for p in SYSTEM_HEADERS):
            continue
        # no symbol (the pc lies in data, or in a function without one): the
        # faulting place is not a frame a person can name
        if not f.get("function"):
            continue
        return f.get("function")
    return None


# user_regs_struct order (NT_PRSTATUS pr_reg, x86-64)
REGS = ["r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
        "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base"]
SUB32 = {"e" + r[1:]: r for r in ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"]}
SUB32.update({"r%dd" % i: "r%d" % i for i in range(8, 16)})


def member(bundle, name):
    r = subprocess.run(["tar", "--zstd", "-xOf", bundle, name], capture_output=True)
    return r.stdout if r.returncode == 0 else None


def core_regs(core):
    """The first NT_PRSTATUS of an ELF core (the thread that crashed)."""
    if not core or core[:4] != b"\x7fELF":
        return None
    phoff, = struct.unpack_from("<Q", core, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", core, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", core, phoff + i * phentsize)
        if p_type != 4:  # PT_NOTE
            continue
        off, end = p_offset, p_offset + p_filesz
        while off + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", core, off)
            desc = off + 12 + ((namesz + 3) & ~3)
            if ntype == 1:  # NT_PRSTATUS: pr_reg at 112
                vals = struct.unpack_from("<%dQ" % len(REGS), core, desc + 112)
                return dict(zip(REGS, vals))
            off = desc + ((descsz + 3) & ~3)
    return None


def parse_maps(text):
    maps = []
    for line in (text or b"").decode("utf-8", "replace").splitlines():
        f = line.split(None, 5)
        if len(f) < 5:
            continue
        a, b = f[0].split("-")
        maps.append((int(a, 16), int(b, 16), f[1], f[5].strip() if len(f) > 5 else ""))
    return maps


def canonical(a):
    return (a >> 47) in (0, 0x1ffff)


def false_statements(report, bundle):
    """What the detail and evidence say about registers and mappings that
    the core and proc/maps contradict."""
    regs = core_regs(member(bundle, "core"))
    maps = parse_maps(member(bundle, "proc/maps"))
    c = report.get("classification") or {}
    texts = [c.get("detail") or ""] + list(c.get("evidence") or [])
    bad = []
    for t in texts:
        if regs:
            for reg, val in re.findall(r"\b([re]?[a-z0-9]{2,4}) = (0x[0-9a-f]+)\b", t):
                full = SUB32.get(reg, reg)
                if full not in regs or full == "rip":
                    continue  # rip-relative operands read rip as the next instruction's address
                have = regs[full] & (0xffffffff if reg != full else 0xffffffffffffffff)
                if have != int(val, 16):
                    bad.append("%s is 0x%x, not %s: %s" % (reg, have, val, t))
            for reg in re.findall(r"\(([a-z0-9]{2,4}) is NULL\)", t):
                if reg in regs and regs[reg] != 0:
                    bad.append("%s is 0x%x, not NULL: %s" % (reg, regs[reg], t))
        for a, b, perms, name in re.findall(r"0x([0-9a-f]+)-0x([0-9a-f]+) ([r-][w-][x-][ps]) (\S+)", t):
            a, b = int(a, 16), int(b, 16)
            name = name.rstrip(",;:")
            name = "" if name == "(anonymous)" else name
            # (a name with spaces, "/tmp/f (deleted)", is matched by its first word)
            if maps and not any(m[0] == a and m[1] == b and m[2] == perms and (m[3] == name or m[3].startswith(name + " "))
                                for m in maps):
                bad.append("no mapping 0x%x-0x%x %s %s in proc/maps: %s" % (a, b, perms, name, t))
        for addr in re.findall(r"non-canonical address (0x[0-9a-f]+)", t):
            if canonical(int(addr, 16)):
                bad.append("%s is canonical: %s" % (addr, t))
        for addr in re.findall(r"(0x[0-9a-f]+) is not mapped", t):
            a = int(addr, 16)
            if any(m[0] <= a < m[1] for m in maps):
                bad.append("%s is mapped: %s" % (addr, t))
        for addr in re.findall(r"NULL\+(0x[0-9a-f]+)", t):
            if int(addr, 16) >= 65536:
                bad.append("%s is not near NULL: %s" % (addr, t))
    return bad


def check(name, path, want_class, detail_re, frame_re, want_sig, bundle=None):
    try:
        d = json.load(open(path))
    except Exception as e:  # no report: everything fails
        print("\t".join([name, want_class, "none", "no", "no", "no", "-", "-", "no report: %s" % e, "-", "-", "-"]))
        return
    c = d.get("classification") or {}
    got = c.get("class") or "none"
    detail = c.get("detail") or ""
    sig = (d.get("process") or {}).get("signal_name") or "?"
    frame = crash_frame(d)
    frame = normalize(frame) if frame else "-"
    detail_ok = bool(detail) and re.search(detail_re, detail, re.I) is not None
    if bundle:
        for b in false_statements(d, bundle):
            print("%s: false statement: %s" % (name, b), file=sys.stderr)
            detail_ok = False
    if frame_re == "-":
        frame_ok = True
    else:
        frame_ok = frame != "-" and (re.fullmatch(frame_re, frame) is not None
                                     or re.fullmatch(frame_re, normalize(frame)) is not None)
    # a regex matched whole: a case whose outcome depends on garbage may
    # accept more than one signal (sc_delete_stack_gcc)
    sig_ok = re.fullmatch(want_sig, sig) is not None
    yn = lambda b: "yes" if b else "no"
    print("\t".join([name, want_class, got, yn(detail_ok), yn(frame_ok), yn(sig_ok),
                     sig, frame, detail.replace("\t", " ").replace("\n", " "),
                     d.get("signature") or "-", d.get("signature_text") or "-", c.get("confidence") or "-"]))


def matrix(path):
    rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    w = max([len(r[0]) for r in rows] + [4])
    print("%-*s  %-19s %-19s %-6s %-6s %-5s %-4s %s" % (w, "case", "expected", "got", "conf", "detail", "frame", "sig",
                                                       "crash frame / detail"))
    correct = 0
    wrong_high = []  # a wrong class said with high confidence: worse than "unknown"
    for r in rows:
        name, exp, got, dok, fok, sok, sig, frame, detail, _, _, conf = (r + [""] * 12)[:12]
        ok = exp == got and dok == "yes" and fok == "yes" and sok == "yes"
        correct += ok
        if exp != got and conf == "high":
            wrong_high.append(name)
        print("%-*s  %-19s %-19s %-6s %-6s %-5s %-4s %s%s | %s" % (w, name, exp, got + ("" if exp == got else " *"),
                                                              conf or "-", dok, fok, sok, "" if sok == "yes" else sig + " ",
                                                              frame, detail[:100]))
    got_classes = [c for c in CLASSES if any(r[2] == c for r in rows)]
    extra = sorted({r[2] for r in rows} - set(CLASSES))
    cols = CLASSES[:]  # all columns: the matrix keeps its shape from run to run
    cols += extra
    print()
    print("confusion matrix (rows: expected, columns: got)")
    cw = 7
    print("%-19s" % "" + "".join("%*s" % (cw, SHORT.get(c, c[:5])) for c in cols))
    for e in CLASSES:
        rs = [r for r in rows if r[1] == e]
        if not rs:
            continue
        cells = []
        for c in cols:
            n = sum(1 for r in rs if r[2] == c)
            cells.append("%*s" % (cw, n if n else "."))
        print("%-19s" % e + "".join(cells))
    print("legend: " + ", ".join("%s=%s" % (SHORT[c], c) for c in CLASSES) + (", none=no report" if "none" in extra else ""))
    print("%d/%d correct" % (correct, len(rows)))
    by_conf = {}
    for r in rows:
        conf = (r + [""] * 12)[11] or "-"
        by_conf[conf] = by_conf.get(conf, 0) + 1
    print("confidence: " + ", ".join("%s %d" % (k, by_conf[k]) for k in ("high", "medium", "low", "-") if k in by_conf))
    print("wrong class with high confidence: %d%s" % (len(wrong_high), (" (" + ", ".join(wrong_high) + ")") if wrong_high else ""))
    # every case is another bug: each must get its own signature
    by_sig = {}
    for r in rows:
        r = (r + [""] * 11)[:11]
        if r[9] not in ("", "-"):
            by_sig.setdefault(r[9], []).append((r[0], r[10]))
    shared = {k: v for k, v in by_sig.items() if len(v) > 1}
    print("%d distinct signatures for %d cases" % (len(by_sig), len(rows)))
    for k, v in sorted(shared.items()):
        print("  shared signature %s (%s): %s" % (k, v[0][1], ", ".join(n for n, _ in v)))
    return 0 if correct == len(rows) and not shared and len(by_sig) == len(rows) and not wrong_high else 1


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(*sys.argv[2:9])
    elif sys.argv[1] == "matrix":
        sys.exit(matrix(sys.argv[2]))
    else:
        sys.exit(__doc__)
