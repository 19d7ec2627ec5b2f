#!/usr/bin/env python3
"""Writes the seeds of fuzz_elf.c into corpus/elf/ (or argv[1]): small ELF
images built here field by field, independently of common/elfparse.c: 64-
and 32-bit, two PT_NOTE segments (GNU property notes aligned to 8, then the
build-id aligned to 4), PN_XNUM with the count in section 0, an image whose
notes are at a p_vaddr other than their p_offset, and cut or lying variants.
Crashers found by the fuzzer live beside them as crash-*. Deterministic."""
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "elf")
os.makedirs(out, exist_ok=True)


def note(name, ntype, desc, align=4):
    n = name + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % align)
    return struct.pack("<III", len(n), len(desc), ntype) + pad(n) + pad(desc)


BUILD_ID = bytes(range(0x10, 0x24))  # 20 bytes, like ld's sha1
PROPS = note(b"GNU", 5, struct.pack("<IIII", 0xC0000002, 4, 3, 0), 8)
IDNOTE = note(b"GNU", 3, BUILD_ID)


def elf(is64=True, xnum=False, vaddr_shift=0, idnote=IDNOTE):
    ehsize, phentsize = (64, 56) if is64 else (52, 32)
    phs = []
    body = b""
    data_off = ehsize + 3 * phentsize
    segs = [(1, 0, 0x1000, 4096), (4, data_off, len(PROPS), 8), (4, data_off + len(PROPS), len(idnote), 4)]
    for ptype, off, size, align in segs:
        vaddr = off + (vaddr_shift if ptype != 1 else 0)
        if is64:
            phs.append(struct.pack("<IIQQQQQQ", ptype, 5, off, vaddr, vaddr, size, size, align))
        else:
            phs.append(struct.pack("<IIIIIIII", ptype, off, vaddr, vaddr, size, size, 5, align))
    body = PROPS + idnote
    if vaddr_shift:
        # as mapped, the notes are at p_vaddr; at p_offset the file has zeros
        body = bytes(len(body)) + bytes(vaddr_shift - len(body)) + body
    shoff = data_off + len(body) if xnum else 0
    phnum = 0xFFFF if xnum else len(phs)
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1, 1]) + b"\0" * 9
    if is64:
        eh = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x1000, ehsize, shoff, 0, ehsize, phentsize, phnum, 64, 1 if xnum else 0, 0)
    else:
        eh = ident + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0x1000, ehsize, shoff, 0, ehsize, phentsize, phnum, 40, 1 if xnum else 0, 0)
    img = eh + b"".join(phs) + body
    if xnum:
        sh = struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, len(phs), 0, 0) if is64 else struct.pack("<IIIIIIIIII", 0, 0, 0, 0, 0, 0, 0, len(phs), 0, 0)
        img += sh
    return img


seeds = {
    "elf64": elf(),
    "elf32": elf(is64=False),
    "xnum64": elf(xnum=True),
    "xnum32": elf(is64=False, xnum=True),
    "loaded64": elf(vaddr_shift=0x200),
    "cut-note": elf()[:-10],
    "cut-phdrs": elf()[:100],
    "lying-descsz": elf(idnote=struct.pack("<III", 4, 0xFFFFFFF0, 3) + b"GNU\0" + BUILD_ID),
    "long-id": elf(idnote=note(b"GNU", 3, bytes(65))),
    "header-only": elf()[:64],
    "notes-only": PROPS + IDNOTE + note(b"CORE", 1, bytes(336)),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
