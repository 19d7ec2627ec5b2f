#!/bin/sh
# Regenerates the seed inputs of fuzz_bundle_reader in corpus/bundle_reader/
# (or in $1). Bundles are built here with tar(1), zstd(1) and printf, from the
# seekable-format spec, independently of bundle/writer.c: one zstd frame per
# chunk of the tar stream, then the seek-table skippable frame. Crashers found
# by the fuzzer live beside the seeds as crash-*; this script leaves them alone.
# Needs: tar, zstd, split, od, dd. Output is deterministic.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/corpus/bundle_reader}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$out"

byte() { printf "\\$(printf %03o "$(( $1 & 255 ))")"; }
le32() { for s in 0 8 16 24; do byte "$(( ($1 >> s) & 255 ))"; done; }
size() { echo $(( $(wc -c < "$1") )); }
# flip FILE OFFSET: xor one byte with 0xff in place
flip() {
        b=$(od -An -tu1 -j "$2" -N1 "$1")
        byte "$(( b ^ 255 ))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# bundle TAR FRAME_SIZE CHECKSUMS(0|1) OUT
bundle() {
        rm -rf "$tmp/chunks"
        mkdir "$tmp/chunks"
        split -b "$2" -a 4 "$1" "$tmp/chunks/c."
        : > "$4"
        : > "$tmp/entries"
        n=0
        for c in "$tmp"/chunks/c.*; do
                zstd -q -3 --content-size --check -c "$c" > "$c.zst"
                cat "$c.zst" >> "$4"
                { le32 "$(size "$c.zst")"; le32 "$(size "$c")"; } >> "$tmp/entries"
                # the reader does not check the per-frame checksums: any value
                if [ "$3" = 1 ]; then le32 0 >> "$tmp/entries"; fi
                n=$((n + 1))
        done
        esize=8
        desc=0
        if [ "$3" = 1 ]; then esize=12; desc=128; fi
        {
                le32 $((0x184D2A5E))
                le32 $((n * esize + 9))
                cat "$tmp/entries"
                le32 "$n"
                byte "$desc"
                le32 $((0x8F92EAB1))
        } >> "$4"
}

src=$tmp/src
mkdir -p "$src/proc" "$src/files"
printf '{"format":1,"pid":42,"signal":11}\n' > "$src/meta.json"
i=0
while [ $i -lt 40 ]; do
        printf '5555%04x000-5555%04x000 r-xp 00000000 fd:01 %d /usr/bin/x\n' $i $((i + 1)) $i
        i=$((i + 1))
done > "$src/proc/maps"
: > "$src/proc/empty"
i=0
while [ $i -lt 300 ]; do printf 'core%06d\n' $i; i=$((i + 1)); done > "$src/core"
topts="--owner=0 --group=0 --numeric-owner --mtime=@0 --mode=0600"
# shellcheck disable=SC2086
tar $topts --format=ustar -C "$src" -cf "$tmp/ustar.tar" meta.json proc/maps proc/empty core
# GNU format, a directory entry and tar's own block padding
# shellcheck disable=SC2086
tar $topts --format=gnu --sort=name -C "$src" -cf "$tmp/gnu.tar" .

bundle "$tmp/ustar.tar" 1024 0 "$out/valid-ustar-1k-frames"
bundle "$tmp/ustar.tar" 700 1 "$out/valid-checksums-700-frames"
bundle "$tmp/ustar.tar" 1048576 0 "$out/valid-one-frame"
bundle "$tmp/gnu.tar" 4096 0 "$out/valid-gnu-tar"
for f in "$out"/valid-*; do
        zstd -q -d -c "$f" | tar -tf - > /dev/null # self-check: tools read them
done

v=$out/valid-ustar-1k-frames
len=$(size "$v")
head -c $((len / 2)) "$v" > "$out/truncated-half"
head -c $((len - 1)) "$v" > "$out/truncated-last-byte"
head -c $((len - 9)) "$v" > "$out/truncated-no-footer"
cp "$v" "$out/corrupt-frame-byte"; flip "$out/corrupt-frame-byte" 100
cp "$v" "$out/corrupt-seektable-entry"; flip "$out/corrupt-seektable-entry" $((len - 9 - 8 * 3 + 4))
cp "$v" "$out/corrupt-footer-count"; flip "$out/corrupt-footer-count" $((len - 9))
cp "$v" "$out/corrupt-footer-descriptor"; flip "$out/corrupt-footer-descriptor" $((len - 5))
# a tar header with a bad checksum, in an otherwise valid bundle
cp "$tmp/ustar.tar" "$tmp/badsum.tar"; flip "$tmp/badsum.tar" 1025 # name of the 2nd header
bundle "$tmp/badsum.tar" 1024 0 "$out/corrupt-tar-checksum"
# a tar stream with no end-of-archive blocks
head -c 1536 "$tmp/ustar.tar" > "$tmp/cut.tar"
bundle "$tmp/cut.tar" 1024 0 "$out/corrupt-tar-cut"

: > "$out/empty"
seq 1 2000 > "$out/garbage-text"
zstd -q -c "$tmp/ustar.tar" > "$out/plain-zstd-no-seektable"
# only a seek table, with zero frames
{ le32 $((0x184D2A5E)); le32 9; le32 0; byte 0; le32 $((0x8F92EAB1)); } > "$out/seektable-zero-frames"
