/* The one model of a crash report: gathered once by analyze/, rendered as
 * text and JSON from the same structs (report.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core.h"
#include "../rules/verdict.h"

#define REPORT_SCHEMA "coreinspect-report/1"

enum frame_origin {
        FRAME_CFI = 0,      /* libdwfl, from CFI */
        FRAME_LIBUNWIND,    /* libunwind rescued it */
        FRAME_SCAN,         /* stack scan: a return address found in memory */
};
const char *frame_origin_name(enum frame_origin o);

/* Lines of a source file around a frame's line (source.c). */
#define SOURCE_CONTEXT 2
#define SOURCE_LINE_MAX 400
struct source_lines {
        char *path;  /* where they were read: a path, or "debuginfod" */
        int first;   /* the number of lines[0] */
        size_t n;    /* at most 2 * SOURCE_CONTEXT + 1 */
        char *lines[2 * SOURCE_CONTEXT + 1];
};

struct frame {
        unsigned index;
        uint64_t pc;
        uint64_t sp;      /* stack pointer in this frame, 0 when unknown */
        bool activation;  /* pc is exact (signal frame or innermost), not a return address */
        bool inlined;     /* an inline frame expanded from the same pc */
        enum frame_origin origin;
        char *module;         /* path of the module holding pc */
        char *build_id;
        uint64_t module_offset; /* pc - the module's load address (valid when module is set) */
        bool module_no_elf;   /* the module's ELF file was not found: no names, no code */
        char *function;       /* demangled when C++ */
        uint64_t offset;      /* pc - function start (0 for inline frames) */
        char *file;
        int line;
        int column;
        struct source_lines *source; /* the crash frame's lines when its file was found */
};

struct thread_report {
        pid_t tid;
        bool crashed;
        char *name;
        struct frame *frames;
        size_t n_frames;
        char *error;          /* why unwinding stopped early, NULL when it reached the end */
        const char *unwinder; /* which one produced the frames shown */
        char *disagreement;   /* with --unwinder=both: where the two differ */
        uint64_t sp;
        uint64_t regs[CORE_NREGS];
};

struct module_report {
        char *name;        /* path as mapped */
        char *build_id;
        uint64_t start, end;
        char *elf_where;   /* where its ELF came from (NULL: not found) */
        const char *elf_source;
        char *debug_where; /* where its debug info came from (NULL: none) */
        const char *debug_source;
        char *hint;        /* command to get the debug info when missing (only when asked for) */
        bool hint_local;   /* hint names a package of the analysing machine's dpkg */
        bool hint_recorded; /* hint names the package the crashed host recorded (packages.json) */
        char *package;      /* that package, "name[:arch]", or NULL */
        char *package_version;
        const char *skipped; /* why the capture left the file out of files/ (meta.json), or NULL */
};

struct report {
        char *input_path;
        const char *input_kind;
        /* process */
        pid_t pid, tid;
        uid_t uid;
        gid_t gid;
        int signal;
        char *signal_name;
        char *exe;
        char *comm;
        /* the executable's Debian package as the crashed host recorded it
         * (packages.json), or NULL */
        char *package, *package_version, *package_arch;
        char *cmdline;     /* argv joined by spaces, for display */
        char **argv;       /* meta.json's cmdline, or the core's psargs split at spaces */
        size_t argc;
        bool argv_from_psargs; /* psargs: at most 80 bytes, spaces inside arguments lost */
        char *host;
        char *cgroup;
        bool no_core;      /* an oom-watch bundle: the process was killed, no core */
        bool core_withheld; /* no core because the process's RLIMIT_CORE was 0 */
        int64_t time;
        struct core_siginfo si;
        /* threads, crashing first */
        struct thread_report *threads;
        size_t n_threads;
        struct module_report *modules;
        size_t n_modules;
        char *limits;      /* proc/limits text, or NULL */
        char *kernel_log;  /* log/kernel.txt lines about this crash */
        char *journal_log;
        /* truncation of the core (from the bundle's end record or detected) */
        bool truncated;
        char *truncation_reason;
        uint64_t core_bytes_missing;
        bool partial;      /* some thread could not be unwound fully */
        struct verdict verdict;
        bool classified;
        char *crash_frame; /* owned copy of verdict.crash_frame */
        char **warnings;
        size_t n_warnings;
};

void frame_clear(struct frame *f);
void report_warn(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_free(struct report *r);
