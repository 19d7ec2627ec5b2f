#!/usr/bin/env python3
"""Helpers for run.sh: check one case's report, print the confusion matrix.

  corpus.py check NAME REPORT.json CLASS DETAIL_RE FRAME_RE SIGNAL  -> one TSV result line
  corpus.py matrix RESULTS.tsv                                       -> the table, matrix, N/M line
"""
import fnmatch
import json
import os
import re
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
        # library code compiled into the program (fortify wrappers, STL)
        if any(fnmatch.fnmatchcase(f.get("file") or "", p) for p in SYSTEM_HEADERS):
            continue
        # no symbol (the pc lies in data, or in a function without one): the
        # faulting place is not a frame a person can name
        if not f.get("function"):
            continue
        return f.get("function")
    return None


def check(name, path, want_class, detail_re, frame_re, want_sig):
    try:
        d = json.load(open(path))
    except Exception as e:  # no report: everything fails
        print("\t".join([name, want_class, "none", "no", "no", "no", "-", "-", "no report: %s" % e, "-", "-"]))
        return
    c = d.get("classification") or {}
    got = c.get("class") or "none"
    detail = c.get("detail") or ""
    sig = (d.get("process") or {}).get("signal_name") or "?"
    frame = crash_frame(d)
    frame = normalize(frame) if frame else "-"
    detail_ok = bool(detail) and re.search(detail_re, detail, re.I) is not None
    if frame_re == "-":
        frame_ok = True
    else:
        frame_ok = frame != "-" and (re.fullmatch(frame_re, frame) is not None
                                     or re.fullmatch(frame_re, normalize(frame)) is not None)
    sig_ok = sig == want_sig
    yn = lambda b: "yes" if b else "no"
    print("\t".join([name, want_class, got, yn(detail_ok), yn(frame_ok), yn(sig_ok),
                     sig, frame, detail.replace("\t", " ").replace("\n", " "),
                     d.get("signature") or "-", d.get("signature_text") or "-"]))


def matrix(path):
    rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    w = max([len(r[0]) for r in rows] + [4])
    print("%-*s  %-19s %-19s %-6s %-5s %-4s %s" % (w, "case", "expected", "got", "detail", "frame", "sig", "crash frame / detail"))
    correct = 0
    for r in rows:
        name, exp, got, dok, fok, sok, sig, frame, detail = (r + [""] * 9)[:9]
        ok = exp == got and dok == "yes" and fok == "yes" and sok == "yes"
        correct += ok
        print("%-*s  %-19s %-19s %-6s %-5s %-4s %s%s | %s" % (w, name, exp, got + ("" if exp == got else " *"), dok, fok,
                                                       sok, "" if sok == "yes" else sig + " ", frame, detail[:100]))
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
    return 0 if correct == len(rows) and not shared and len(by_sig) == len(rows) else 1


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(*sys.argv[2:8])
    elif sys.argv[1] == "matrix":
        sys.exit(matrix(sys.argv[2]))
    else:
        sys.exit(__doc__)
