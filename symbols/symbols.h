/* Finding ELF files and their debug info by build-id, for analysis on a
 * machine that is not the one that crashed.
 *
 * Lookup order (DESIGN.md): the bundle's files/, the same path on this
 * machine when its build-id matches, /usr/lib/debug/.build-id, each
 * --debug-dir and COREINSPECT_DEBUG_DIRS (colon-separated), then debuginfod
 * (libdebuginfod) when DEBUGINFOD_URLS is set. .gnu_debuglink is honoured
 * next to the file and under the debug dirs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct bundle_reader;

enum symbols_source {
        SYMBOLS_NONE = 0,
        SYMBOLS_BUNDLE,     /* files/<build-id> of the bundle */
        SYMBOLS_LOCAL,      /* the same path on this machine, build-id checked */
        SYMBOLS_SYSTEM_DEBUG, /* /usr/lib/debug */
        SYMBOLS_DEBUG_DIR,  /* --debug-dir or COREINSPECT_DEBUG_DIRS */
        SYMBOLS_DEBUGINFOD,
        SYMBOLS_SELF,       /* the ELF file itself carries .debug_info */
};
const char *symbols_source_name(enum symbols_source s);

/* The lookup context. Not thread-safe: one thread at a time. */
struct symbols;

struct symbols_options {
        const char *const *debug_dirs; /* from --debug-dir, in order */
        size_t n_debug_dirs;
        bool use_env;           /* also read COREINSPECT_DEBUG_DIRS and DEBUGINFOD_URLS */
        const char *system_debug_dir; /* NULL = "/usr/lib/debug", "" = none (tests override) */
        bool bundle_only;       /* look only in the bundle's files/: open no file of this
                                 * machine, ask no debuginfod (the fuzz target) */
        struct bundle_reader *bundle; /* may be NULL (raw core) */
};

int symbols_new(const struct symbols_options *o, struct symbols **ret);
void symbols_free(struct symbols *s);

struct symbols_found {
        int fd;                  /* owned by the caller; read-only, seekable */
        char *where;             /* path or description ("bundle:files/ID", URL-ish) */
        enum symbols_source source;
};
void symbols_found_clear(struct symbols_found *f); /* closes fd, frees where */

/* The loadable ELF file (code, .eh_frame) of a mapped module. build_id is
 * lowercase hex (may be NULL if unknown: then only path is tried, and only
 * if it exists). -ENOENT when nothing matches, -EINVAL for a build_id that
 * is not 2..128 hex digits, or neither build_id nor path.
 * Order: the bundle's files/ID (copied into a sealed memfd), path, then
 * ID (no .debug) under .build-id/ of the system debug dir and of each debug
 * dir, then debuginfod. A candidate with another build-id, or with no code
 * in it (a debug-only file), is skipped. */
int symbols_find_elf(struct symbols *s, const char *build_id, const char *path,
                     struct symbols_found *ret);

/* Separate debug info (.debug_info) for the module. debuglink is the
 * .gnu_debuglink name of the ELF file, or NULL. -ENOENT when not found.
 * Order: the ELF itself when it carries .debug_info (SYMBOLS_SELF: the
 * bundle's files/ID, else path when its build-id matches); ID.debug under
 * .build-id/ of the system debug dir, then of each debug dir; the debuglink
 * name next to path, in its .debug/, then under the system and each debug
 * dir (ROOT/dirname(path)/NAME); then debuginfod, which may block on the
 * network (a total limit of COREINSPECT_DEBUGINFOD_DEADLINE seconds per
 * lookup, default 60, on top of libdebuginfod's DEBUGINFOD_TIMEOUT). A
 * candidate with another build-id, or without .debug_info, is skipped.
 * When build_id is NULL nothing can be verified: the first candidate with
 * .debug_info wins, and debuginfod is not asked. */
int symbols_find_debuginfo(struct symbols *s, const char *build_id, const char *path,
                           const char *debuglink, struct symbols_found *ret);

/* A command a person can type to get missing debug info for a module,
 * e.g. "apt-get install libc6-dbg" when this machine's dpkg has a package
 * owning path and the file there has this build-id (not after an upgrade;
 * the crashed host's packages may differ, local_package says the command
 * came from this machine's database), or "debuginfod-find debuginfo
 * BUILD-ID" (prefixed with the Debian server in DEBUGINFOD_URLS= when that
 * is unset), else "rebuild PATH with -g". A NULL path looks at nothing on
 * this machine. */
struct symbols_hint_query {
        const char *build_id; /* lowercase hex or NULL */
        const char *path;     /* where the crashed process mapped it, or NULL */
        const char *package;  /* "name" or "name:arch" that owned path on the crashed host
                               * (the bundle's packages.json), or NULL: then this machine's dpkg
                               * is asked; a name that is not a Debian package name is ignored */
        const char *package_version; /* its version there, or NULL: pins the debug package */
};
struct symbols_hint {
        char *command;         /* caller frees; NULL only when out of memory */
        bool local_package;    /* names the package that owns path on this machine */
        bool recorded_package; /* names the package the crashed host recorded */
};
/* The hints of n modules. dpkg's file lists (DPKG_ADMINDIR, default
 * /var/lib/dpkg) are read at most once per call for all paths, and owners
 * are cached for the process; no program is run on the architectures
 * Debian names (else `dpkg --print-architecture`, once). Reads some MiB:
 * call it only for a report that shows hints. */
void symbols_hints(const struct symbols_hint_query *q, size_t n, struct symbols_hint *ret);
/* symbols_hints() for one module; returns the command. */
char *symbols_hint(const char *build_id, const char *path);
/* Whether s was made with bundle_only (then give symbols_hints no path: it
 * would look at this machine's file and package database). */
bool symbols_bundle_only(const struct symbols *s);

/* For libdw: a sealed memfd in *ret_fd holding the ELF file at fd with its
 * zlib-compressed sections (SHF_COMPRESSED) inflated, by libdeflate in half
 * the instructions of libdw's own zlib; the bytes of every section are the
 * same, the layout after the first compressed section is new (symbols/
 * inflate.c). 0 with *ret_fd = -1 when there is nothing to inflate or the
 * file is not a 64-bit ELF of this machine's byte order with its program
 * headers' contents before the first compressed section (then hand libdw
 * fd itself); -EBADMSG for a stream that does not inflate to its size. */
int symbols_elf_inflate(int fd, int *ret_fd);

/* Reads the GNU build-id of an open ELF file as lowercase hex (caller
 * frees). -ENOENT if it has none, -EBADMSG if not ELF. */
int symbols_elf_build_id(int fd, char **ret_hex);

/* Reads the .gnu_debuglink file name of an open ELF file (caller frees), to
 * pass to symbols_find_debuginfo(). -ENOENT if it has none, -EBADMSG if not
 * ELF or the name is not a plain file name (empty, holds '/', "." or ".."). */
int symbols_elf_debuglink(int fd, char **ret_name);

/* Whether the open ELF file has a .debug_info section with contents (a
 * stripped file or a NOBITS placeholder does not count). Callers that hold
 * the ELF from symbols_find_elf() can use its own debug info (SYMBOLS_SELF)
 * without a second lookup. */
bool symbols_has_debug_info(int fd);

/* A source file of build_id's module from debuginfod (when DEBUGINFOD_URLS
 * is set and the lookup may use the network): source_path as DWARF names
 * it, absolute. *ret_fd read-only, owned by the caller. -ENOENT else. */
int symbols_find_source(struct symbols *s, const char *build_id, const char *source_path, int *ret_fd);
