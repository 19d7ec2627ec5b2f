/* Shared between the files of symbols/: the lookup context and the pieces
 * each file provides. Not part of the API. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbols.h"

/* Longest build-id we accept, in bytes (GNU ld makes 20; some tools 16 or 32). */
#define SYMBOLS_BUILD_ID_MAX 64

struct symbols_debuginfod;

struct symbols {
        char **debug_dirs; /* --debug-dir, then COREINSPECT_DEBUG_DIRS */
        size_t n_debug_dirs;
        char *system_debug_dir; /* NULL: none */
        struct bundle_reader *bundle; /* borrowed */
        bool use_debuginfod;
        bool bundle_only;
        uint64_t debuginfod_deadline_usec;
        struct symbols_debuginfod *debuginfod; /* created on first use */
};

/* What a candidate file must be. */
enum symbols_want {
        SYMBOLS_WANT_ELF,   /* loadable contents (code), not a debug-only file */
        SYMBOLS_WANT_DEBUG, /* a .debug_info section with contents */
};

/* 0 when the open file fd is an ELF file of the wanted kind whose build-id
 * is build_id (not checked when build_id is NULL); -ENOENT when it is not
 * (wrong build-id, not ELF, wrong kind); -ENOMEM. Does not move fd's offset. */
int symbols_check_fd(int fd, const char *build_id, enum symbols_want want);

/* Asks the debuginfod servers of DEBUGINFOD_URLS for the debug file
 * (want DEBUG) or the executable (want ELF) of build_id. May block on the
 * network, at most about s->debuginfod_deadline_usec per call. After a
 * failure that is not "not found" (timeout, server unreachable) further
 * calls return -ENOENT at once. On success *ret_fd is owned by the caller
 * and *ret_where is the URL that served it (or the cache path). */
int symbols_debuginfod_find(struct symbols *s, const char *build_id, enum symbols_want want,
                            int *ret_fd, char **ret_where);
/* The source file at source_path (absolute, as in DWARF) of build_id's
 * module, from debuginfod's /buildid/ID/source/PATH. Same errors and time
 * bound as symbols_debuginfod_find. */
int symbols_debuginfod_find_source(struct symbols *s, const char *build_id, const char *source_path, int *ret_fd);
void symbols_debuginfod_free(struct symbols_debuginfod *d);
