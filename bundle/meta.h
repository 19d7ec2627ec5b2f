/* What a bundle holds, in one place: the names of its members, meta.json
 * (struct bundle_meta, one writer and one parser) and index.json (the member
 * table and the end record). Every program that writes or reads a bundle
 * goes through here; docs/bundle-format.md describes the same bytes.
 *
 * Adding a member: its name below, one line where a writer adds it, one
 * line where a reader reads it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"

struct bundle_reader;
struct bundle_writer;

#define BUNDLE_FORMAT 1

/* Member names, in the order a capture writes them. */
#define BUNDLE_META "meta.json"
#define BUNDLE_PROC_MAPS "proc/maps"
#define BUNDLE_PROC_LIMITS "proc/limits"
#define BUNDLE_PROC_STATUS "proc/status"
#define BUNDLE_PROC_CMDLINE "proc/cmdline"
#define BUNDLE_PROC_CGROUP "proc/cgroup"
#define BUNDLE_PROC_MOUNTINFO "proc/mountinfo"
#define BUNDLE_PROC_AUXV "proc/auxv"
#define BUNDLE_PROC_FDS "proc/fds"
#define BUNDLE_PROC_ENVIRON "proc/environ"
#define BUNDLE_PROC_TASKS "proc/tasks"
#define BUNDLE_LOG_KERNEL "log/kernel.txt"
#define BUNDLE_LOG_JOURNAL "log/journal.txt"
#define BUNDLE_CORE "core"
#define BUNDLE_FILES_PREFIX "files/" /* + the build-id in hex */
#define BUNDLE_PACKAGES "packages.json" /* written after the core: see below */
#define BUNDLE_INDEX "index.json"

/* The most bytes a reader loads of meta.json and index.json. */
#define BUNDLE_META_MAX (1u << 20)
#define BUNDLE_INDEX_MAX (4u << 20)

/* meta.json's "kind": a crash through the core_pattern handler, or a kernel
 * OOM kill that oom-watch recorded (no core member). */
enum bundle_kind { BUNDLE_KIND_CRASH, BUNDLE_KIND_OOM_KILL };

struct bundle_mapped_file {
        const char *path;
        const char *build_id; /* hex; NULL when meta.json has none */
        uint64_t size;
        bool executable;      /* the main program */
        const char *skipped;  /* why it is not in files/: "file_max", "files_budget", "rlimit", "name"; else NULL */
        /* From packages.json: the Debian package that owned the file on the
         * crashed host (NULL: none, or not recorded), its version and
         * architecture (NULL when dpkg's status had no entry); replaced: the
         * file at path was no longer the mapped one, so the installed
         * version (not given) is not the one that ran. */
        const char *package, *version, *arch;
        bool replaced;
};

/* meta.json. Every string is borrowed: a writer's caller owns what it
 * points at; a parsed one points into the parser's storage until
 * bundle_meta_free(). Integers a parsed meta.json lacks (or holds with the
 * wrong type) are BUNDLE_META_UNSET; strings NULL. */
#define BUNDLE_META_UNSET INT64_MIN
struct bundle_meta {
        uint64_t format;
        enum bundle_kind kind;
        const char *producer;
        int64_t time;
        const char *host, *kernel, *machine, *boot_id;
        int64_t pid, tid, uid, gid;
        int64_t signal;
        const char *signal_name;
        int64_t dump_mode;
        const char *exe, *comm, *cgroup;
        const char *const *cmdline; /* n_cmdline strings; NULL: absent */
        size_t n_cmdline;
        /* crash bundles */
        bool pidfd_verified;
        uint64_t rlimit_core; /* UINT64_MAX: unlimited or not given (null) */
        const struct bundle_mapped_file *mapped;
        size_t n_mapped;
        bool has_budget;
        struct {
                uint64_t max_bundle, max_core, time_budget_ms, files_budget, file_max;
        } budget;
        /* OOM-kill bundles */
        struct {
                const char *constraint;
                bool memcg;
                uint64_t total_vm_kb, anon_rss_kb, file_rss_kb;
        } oom;
        const char *memory_cgroup; /* the victim's memory cgroup path; NULL: none */
        int64_t memcg_limit, memcg_max_usage, memcg_failcnt; /* BUNDLE_META_UNSET: not known */
        /* packages.json (crash bundles of this version; older ones have none:
         * status NULL) */
        struct {
                const char *status; /* "ok", "off", "skipped" */
                const char *reason; /* why skipped: "time-budget", "size-limit", "no-dpkg", "error" */
                const char *admindir;
                uint64_t usec, cpu_usec, bytes_read;
        } packages;

        void *priv_; /* the parser's storage */
};

/* Sets every field to "absent": a writer fills in what it knows. */
void bundle_meta_init(struct bundle_meta *m);
/* Renders m as meta.json (pretty, newline-terminated) into *ret (caller
 * frees with strbuf_free). -ENOMEM. */
int bundle_meta_write(const struct bundle_meta *m, struct strbuf *ret);
/* Parses meta.json text from elsewhere (untrusted; not changed): values of
 * the wrong type are ignored, invalid UTF-8 escapes come back as the exact
 * bytes. -EBADMSG when text is not a JSON object, -ENOMEM. */
int bundle_meta_parse(const char *text, struct bundle_meta *ret);
/* Renders packages.json from m->packages and the package fields of
 * m->mapped (the files with an owner, by path). corecollect writes it after
 * the core, once the crashed process was released: the lookup must not
 * delay it, and meta.json (the first member) is long written by then.
 * -ENOMEM. */
int bundle_packages_write(const struct bundle_meta *m, struct strbuf *ret);
/* Adds packages.json text (untrusted) to a parsed meta: m->packages, and
 * the package fields of the mapped files with the same path. -EBADMSG when
 * not a JSON object (m unchanged), -ENOMEM. */
int bundle_packages_parse(const char *text, struct bundle_meta *m);
/* Reads and parses the bundle's meta.json, and its packages.json when there
 * is one (a bundle without it parses as before): -ENOENT without meta.json,
 * else as bundle_reader_read_member() and bundle_meta_parse(). */
int bundle_meta_read(struct bundle_reader *r, struct bundle_meta *ret);
void bundle_meta_free(struct bundle_meta *m);

/* index.json's end record. A capture fills all of it; a bundle without a
 * core (oom-watch) sets has_core false and only truncated and reason count. */
struct bundle_dropped {
        uint64_t offset, vaddr, size;
        const char *reason;
};
struct bundle_end {
        bool has_core;
        uint64_t core_size, bytes_received, bytes_kept, bytes_padded, bytes_extra;
        bool elf;
        bool truncated;
        const char *truncation_reason; /* the first reason; NULL */
        uint64_t dropped_bytes;
        const struct bundle_dropped *dropped;
        size_t n_dropped;
        uint64_t files_stored, files_skipped, files_cut;
        uint64_t rlimit_core; /* UINT64_MAX: null */
        uint64_t capture_usec;
        uint64_t before_core_usec, core_usec, after_core_usec;
};

/* Renders index.json: every member w has written so far (offset and size in
 * the tar stream), then the end record. -ENOMEM. */
int bundle_index_write(const struct bundle_writer *w, const struct bundle_end *end, struct strbuf *ret);

/* What readers take from index.json: the end record's verdict. */
struct bundle_index {
        bool has_end;                  /* an "end" object was there */
        bool truncated;
        char *truncation_reason;       /* owned; NULL */
};
/* Parses index.json text (untrusted). -EBADMSG when not a JSON object. */
int bundle_index_parse(const char *text, struct bundle_index *ret);
/* Reads and parses the bundle's index.json (-ENOENT without one). */
int bundle_index_read(struct bundle_reader *r, struct bundle_index *ret);
void bundle_index_free(struct bundle_index *x);
