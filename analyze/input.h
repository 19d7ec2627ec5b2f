/* What coreinspect was given, detected by content: a bundle (tar in zstd
 * frames with a seek table), a raw ELF core, or a plain zstd-compressed core
 * (systemd-coredump's core.*.zst). Every kind is served as "read N bytes of
 * the core at offset O": bundles decompress only the frames touched. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "meta.h"

struct bundle_reader;

enum input_kind { INPUT_BUNDLE, INPUT_RAW_CORE, INPUT_ZSTD_CORE };

struct input {
        enum input_kind kind;
        char *path;
        struct bundle_reader *bundle; /* INPUT_BUNDLE */
        bool has_core;                /* false for an oom-watch bundle (kind "oom-kill") and */
        bool core_withheld;           /* a crash whose RLIMIT_CORE allowed no core */
        uint64_t core_offset;         /* of the core member in the tar stream */
        uint64_t core_size;
        int fd;                       /* raw core, or memfd holding a decompressed zstd core */
        bool has_meta;                /* a bundle with a meta.json that parsed */
        struct bundle_meta meta;      /* else every field absent (meta.h) */
        struct bundle_index index;    /* index.json's end record, when there */
};

/* Errors: -ENOENT (no such file), -EBADMSG with *ret_why set to a static
 * one-line reason (not a core or bundle, corrupt seek table, no core
 * member, ...), -EFBIG with *ret_why ("too large for the limits": a core
 * past max_zstd, a bundle frame past what ulimit -v allows), -errno.
 * max_zstd bounds the size of a non-seekable zstd core, decompressed into
 * memory up to half of ulimit -v and into a temporary file past that. */
int input_open(const char *path, uint64_t max_zstd, struct input **ret, const char **ret_why);
void input_free(struct input *in);
/* Replaces the bound on a decompressed zstd core's bytes in memory (half of
 * ulimit -v and of the machine's memory) for the tests; 0 restores it. */
void input_set_memory_bound(uint64_t bytes);
/* Reads core bytes; returns bytes read (short at the end) or -errno. */
ssize_t input_pread_core(struct input *in, void *buf, size_t len, uint64_t off);
/* A small bundle member (NULL for other kinds or when absent). Caller frees. */
char *input_member(struct input *in, const char *name, size_t max);
const char *input_kind_name(enum input_kind k);
