#!/usr/bin/env python3
"""Rewrites a bundle (docs/bundle-format.md) for the fleet tests: the same
tar members, optionally with the executable's copy in files/ stripped of its
debug info (as most production binaries are), and/or a member of zeros added
at the end, cut into zstd frames of a chosen size and followed by the seek
table. Uses zstd(1) and strip(1); keeps nothing large in memory (the zeros
are streamed into zstd).

With --host/--time/--pid/--boot-id, meta.json says the crash happened
there and then (another host's crash of the same program). With
--packages FILE, FILE is the bundle's packages.json (before index.json).

rebundle.py IN OUT [--strip-exe] [--pad BYTES] [--frame BYTES] [--host H] [--time T] [--pid P] [--boot-id B]
               [--packages FILE]
"""
import argparse
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile


def members(raw):
    """(TarInfo, bytes) of every member of the tar stream raw."""
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as t:
        for m in t.getmembers():
            yield m, t.extractfile(m).read() if m.isfile() else b""


def stripped(data):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "exe")
        with open(p, "wb") as f:
            f.write(data)
        subprocess.run(["strip", "--strip-debug", p], check=True)
        with open(p, "rb") as f:
            return f.read()


class Stream:
    """The new tar stream as pieces: bytes, or an int (that many zeros)."""

    def __init__(self):
        self.pieces = []

    def add(self, info, data, zeros=0):
        info.size = len(data) if not zeros else zeros
        self.pieces.append(info.tobuf(format=tarfile.USTAR_FORMAT))
        if zeros:
            self.pieces.append(zeros)
        else:
            self.pieces.append(data)
        pad = -info.size % 512
        if pad:
            self.pieces.append(pad)

    def chunks(self, size=8 << 20):
        """Yields the stream in pieces of at most size bytes."""
        zeros = memoryview(bytes(size))
        for p in self.pieces:
            if isinstance(p, int):
                while p:
                    n = min(p, size)
                    yield zeros[:n]
                    p -= n
            else:
                for i in range(0, len(p), size):
                    yield p[i:i + size]

    def total(self):
        return sum(p if isinstance(p, int) else len(p) for p in self.pieces)


def compress_frame(chunks, n):
    """One zstd frame (content size and checksum in it) of the next n bytes."""
    z = subprocess.Popen(["zstd", "-q", "-1", "-c", "--stream-size=%d" % n],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    with tempfile.TemporaryFile() as out:
        import threading
        th = threading.Thread(target=lambda: out.write(z.stdout.read()))
        th.start()
        left = n
        while left:
            c = chunks.take(left)
            z.stdin.write(c)
            left -= len(c)
        z.stdin.close()
        th.join()
        if z.wait() != 0:
            sys.exit("zstd failed")
        out.seek(0)
        return out.read()


class Taker:
    def __init__(self, gen):
        self.gen, self.buf = gen, b""

    def take(self, n):
        if not self.buf:
            self.buf = next(self.gen)
        c, self.buf = self.buf[:n], self.buf[n:]
        return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--strip-exe", action="store_true")
    ap.add_argument("--pad", type=int, default=0)
    ap.add_argument("--frame", type=int, default=2 << 20)
    ap.add_argument("--host")
    ap.add_argument("--time", type=int)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--boot-id")
    ap.add_argument("--packages")
    a = ap.parse_args()
    raw = subprocess.run(["zstd", "-q", "-dc", a.inp], check=True, stdout=subprocess.PIPE).stdout
    ms = list(members(raw))
    meta = json.loads(next(d for m, d in ms if m.name == "meta.json"))
    exe_id = next((f["build_id"] for f in meta.get("mapped_files", []) if f.get("executable")), None)
    s = Stream()
    facts = {k: v for k, v in (("host", a.host), ("time", a.time), ("pid", a.pid), ("boot_id", a.boot_id))
             if v is not None}
    if a.packages:
        info = tarfile.TarInfo("packages.json")
        info.mode, info.mtime = 0o600, ms[0][0].mtime
        with open(a.packages, "rb") as f:
            pk = (info, f.read())
        ms = [x for x in ms if x[0].name != "packages.json"]
        at = next((i for i, (m, _) in enumerate(ms) if m.name == "index.json"), len(ms))
        ms.insert(at, pk)
    for m, d in ms:
        if m.name == "meta.json" and facts:
            meta.update(facts)
            d = json.dumps(meta).encode()
        if a.strip_exe and exe_id and m.name == "files/" + exe_id:
            d = stripped(d)
        s.add(m, d)
    if a.pad:
        info = tarfile.TarInfo("pad")
        info.mode, info.mtime = 0o600, ms[0][0].mtime
        s.add(info, b"", zeros=a.pad)
    s.pieces.append(1024)  # end of archive
    total = s.total()
    chunks = Taker(s.chunks())
    entries = []
    with open(a.out, "wb") as out:
        left = total
        while left:
            n = min(left, a.frame)
            f = compress_frame(chunks, n)
            out.write(f)
            entries.append((len(f), n))
            left -= n
        body = b"".join(struct.pack("<II", c, d) for c, d in entries)
        body += struct.pack("<IBI", len(entries), 0, 0x8F92EAB1)
        out.write(struct.pack("<II", 0x184D2A5E, len(body)) + body)


if __name__ == "__main__":
    main()
