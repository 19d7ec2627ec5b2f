#!/usr/bin/env python3
"""Seeds for fuzz_analysis.c from the fixtures' bundles.

Usage: make-analysis-seeds.py OUTDIR [BUNDLE...]
(default: fixtures/*.zst and fixtures/classes/*.zst but the raw core)

Each bundle's members (extracted with tar --zstd, in their order) go into
one input in the target's container format, compressed with zstd -19. To
keep the corpus small, ELF files in files/ other than the executable are
slimmed: the bytes of their code, .rodata and .data sections are zeroed
(headers, symbols, .eh_frame and notes stay, so unwinding and symbol
lookup still work), and libc is kept only in the bundles named in
WITH_LIBC; the others lose it (a bundle without a file: a case to fuzz
too). One more seed is an oom-watch bundle (no core), written here."""
import os
import struct
import subprocess
import sys
import tempfile

WITH_LIBC = {"segv", "threads", "abort", "df_tcache"}
BIG = 150_000  # an ELF larger than this is libc-sized


def slim(b):
    b = bytearray(b)
    if b[:4] != b"\x7fELF" or b[4] != 2:
        return bytes(b)
    shoff, = struct.unpack_from("<Q", b, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", b, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize) for i in range(shnum)]
    stro = secs[shstrndx][4]
    for name, typ, flags, _addr, off, size, *_ in secs:
        n = b[stro + name:b.index(0, stro + name)].decode()
        if typ == 1 and (flags & 4 or n in (".rodata", ".data", ".data.rel.ro", ".gcc_except_table")):
            b[off:off + size] = bytes(size)
    return bytes(b)


def zstd19(data, tmp):
    path = os.path.join(tmp, "z.in")
    with open(path, "wb") as f:
        f.write(data)
    # from a file, so that the frame records its content size
    return subprocess.run(["zstd", "-19", "-q", "-c", path], check=True, stdout=subprocess.PIPE).stdout


def member(name, data, tmp):
    z = zstd19(data, tmp)
    flags, stored = (1, z) if len(z) < len(data) else (0, data)
    nb = name.encode()
    return bytes([flags, len(nb)]) + nb + struct.pack("<I", len(stored)) + stored


def exe_build_id(meta):
    import json
    m = json.loads(meta)
    for f in m.get("mapped_files") or []:
        if f.get("path") == m.get("exe"):
            return f.get("build_id")
    return None


def seed(bundle, out):
    base = os.path.basename(bundle)[:-len(".zst")]
    with tempfile.TemporaryDirectory() as tmp:
        names = subprocess.run(["tar", "--zstd", "-tf", bundle], check=True, stdout=subprocess.PIPE,
                               text=True).stdout.split("\n")
        names = [n for n in names if n]
        subprocess.run(["tar", "--zstd", "-xf", bundle, "-C", tmp], check=True)
        meta = open(os.path.join(tmp, "meta.json"), "rb").read() if "meta.json" in names else b"{}"
        exe_id = exe_build_id(meta)
        body = b""
        for n in names:
            data = open(os.path.join(tmp, n), "rb").read()
            if n.startswith("files/") and n != "files/" + str(exe_id):
                if len(data) > BIG and base not in WITH_LIBC:
                    continue
                data = slim(data)
            body += member(n, data, tmp)
        # options: libdwfl+libunwind (both), 256 frames, 64 KiB frames
        blob = b"CIA1" + bytes([2, 255, 0, 0]) + body
    with open(os.path.join(out, "seed-" + base), "wb") as f:
        f.write(blob)
    print("seed-%s: %d bytes" % (base, len(blob)))


OOM_META = b"""{
  "format": 1,
  "kind": "oom-kill",
  "producer": "corecollect oom-watch 0.1.0",
  "time": 1764109660,
  "host": "vm",
  "pid": 4242,
  "tid": 4242,
  "uid": 1000,
  "signal": 9,
  "signal_name": "SIGKILL",
  "exe": "/usr/bin/hog",
  "comm": "hog",
  "cmdline": ["/usr/bin/hog", "--size", "2G"],
  "cgroup": "/user.slice/hog.scope",
  "oom": {"constraint": "CONSTRAINT_MEMCG", "memcg": true, "total_vm_kb": 2101248, "anon_rss_kb": 1048000, "file_rss_kb": 1200},
  "memory_cgroup": {"limit": 1073741824, "max_usage": 1073741824}
}
"""
OOM_KLOG = (b"[ 100.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
            b"[ 100.000100] memory: usage 1048576kB, limit 1048576kB, failcnt 42\n"
            b"[ 100.000200] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
            b"oom_memcg=/user.slice/hog.scope,task_memcg=/user.slice/hog.scope,task=hog,pid=4242,uid=1000\n"
            b"[ 100.000300] Memory cgroup out of memory: Killed process 4242 (hog) total-vm:2101248kB, "
            b"anon-rss:1048000kB, file-rss:1200kB, shmem-rss:0kB, UID:1000 pgtables:2100kB oom_score_adj:0\n")
OOM_INDEX = b'{\n  "format": 1,\n  "end": {"core": false, "truncated": false, "truncation_reason": null}\n}\n'


def oom_seed(out):
    """An oom-watch bundle (no core): the other path of the analysis."""
    with tempfile.TemporaryDirectory() as tmp:
        body = (member("meta.json", OOM_META, tmp)
                + member("proc/limits", b"Limit Soft Limit Hard Limit Units\nMax address space unlimited unlimited bytes\n", tmp)
                + member("log/kernel.txt", OOM_KLOG, tmp) + member("index.json", OOM_INDEX, tmp))
    with open(os.path.join(out, "seed-oom-kill"), "wb") as f:
        f.write(b"CIA1" + bytes([2, 255, 0, 0]) + body)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    bundles = sys.argv[2:]
    if not bundles:
        for d in ("fixtures", "fixtures/classes"):
            dd = os.path.join(top, d)
            bundles += sorted(os.path.join(dd, f) for f in os.listdir(dd)
                              if f.endswith(".zst") and not f.endswith(".core.zst"))
    for b in bundles:
        seed(b, out)
    if not sys.argv[2:]:
        oom_seed(out)


main()
