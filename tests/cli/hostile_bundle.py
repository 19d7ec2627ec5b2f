#!/usr/bin/env python3
"""Rebuilds a bundle with the process facts an attacker controls replaced:
exe path, comm, argv, thread names, host. Strings go into meta.json encoded as
corecollect's JSON writer does (common/json.c: controls as \\u00XX, each
invalid UTF-8 byte as \\uDCXX). The result is a valid seekable bundle: the tar
stream in independent 1 MiB zstd frames and a seek table.

Usage: hostile_bundle.py SRC DST --exe PATH --comm C --thread-name N --host H -- ARG...
(arguments are taken as raw bytes)"""
import io, json, os, struct, subprocess, sys, tarfile


def jstr(b: bytes) -> str:
    out = ['"']
    i = 0
    while i < len(b):
        c = b[i]
        if c in (0x22, 0x5C):
            out.append("\\" + chr(c)); i += 1; continue
        if c < 0x20 or c == 0x7F:
            out.append("\\u%04x" % c); i += 1; continue
        if c < 0x80:
            out.append(chr(c)); i += 1; continue
        for n in (4, 3, 2):
            try:
                ch = b[i:i + n].decode("utf-8")
                if len(ch) == 1:
                    out.append(ch); i += n; break
            except UnicodeDecodeError:
                pass
        else:
            out.append("\\u%04x" % (0xDC00 | c)); i += 1
    out.append('"')
    return "".join(out)


def main():
    args = [os.fsencode(a) for a in sys.argv[1:]]
    src, dst = args[0], args[1]
    opts, argv = {}, []
    i = 2
    while i < len(args):
        if args[i] == b"--":
            argv = args[i + 1:]; break
        opts[args[i].decode()] = args[i + 1]; i += 2
    raw = subprocess.run(["zstd", "-q", "-dc", src], check=True, stdout=subprocess.PIPE).stdout
    src_tar = tarfile.open(fileobj=io.BytesIO(raw))
    out = io.BytesIO()
    dst_tar = tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT)
    for m in src_tar.getmembers():
        data = src_tar.extractfile(m).read()
        if m.name == "meta.json":
            meta = json.loads(data)
            marks = {}
            for key, opt in (("exe", "--exe"), ("comm", "--comm"), ("host", "--host")):
                if opt in opts:
                    meta[key] = "@@%s@@" % key
                    marks['"@@%s@@"' % key] = jstr(opts[opt])
            meta["cmdline"] = "@@cmdline@@"
            marks['"@@cmdline@@"'] = "[" + ", ".join(jstr(a) for a in argv) + "]"
            text = json.dumps(meta, indent=2)
            for k, v in marks.items():
                text = text.replace(k, v)
            data = text.encode()
        elif m.name == "proc/tasks" and "--thread-name" in opts:
            lines = data.split(b"\n")
            tid = lines[0].split(b" ")[0]
            data = tid + b" " + opts["--thread-name"] + b"\n"
        m.size = len(data)
        dst_tar.addfile(m, io.BytesIO(data))
    dst_tar.close()
    tar = out.getvalue()
    frames, table = [], []
    for off in range(0, len(tar), 1 << 20):
        chunk = tar[off:off + (1 << 20)]
        z = subprocess.run(["zstd", "-q", "-c", "--no-check"], input=chunk, check=True,
                           stdout=subprocess.PIPE).stdout
        frames.append(z)
        table.append(struct.pack("<II", len(z), len(chunk)))
    entries = b"".join(table)
    seek = struct.pack("<II", 0x184D2A5E, len(entries) + 9) + entries + \
        struct.pack("<IBI", len(frames), 0, 0x8F92EAB1)
    with open(dst, "wb") as f:
        f.write(b"".join(frames) + seek)


main()
