/* coreinspect index / trends: crashes grouped by signature in an SQLite
 * database (one machine, or bundles copied from many). See docs/fleet.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze.h"

/* Exit codes of index and trends (besides EXIT_USAGE). */
enum {
        FLEET_OK = 0,
        FLEET_SOME_FAILED = 1, /* index: some bundles could not be analyzed (listed) */
        FLEET_DB_ERROR = 2,    /* the database cannot be opened, created or written */
};

/* The database named by --db, else $COREINSPECT_DB, else
 * $XDG_DATA_HOME/coreinspect/index.sqlite (~/.local/share/...). Caller frees. */
char *fleet_default_db(void);

/* Analyzes each bundle (a directory: its *.zst files) not yet in the
 * database and adds it. Prints one line per failure and a summary. */
int fleet_index(const char *db_path, char *const *paths, size_t n_paths,
                const struct analyze_options *o);

struct trends_options {
        uint64_t window_s; /* "recent": the last window_s seconds before now */
        int64_t now;       /* 0: the current time */
        size_t limit;      /* groups to print */
        bool json;
        const char *host;     /* only crashes of this host (NULL: all) */
        const char *exe;      /* ... of this executable: path or file name */
        const char *class_id; /* ... of this class */
};

/* Prints the signatures, most crashes in the recent window first, with the
 * window before it for comparison. */
int fleet_trends(const char *db_path, const struct trends_options *t);
