/* coreinspect index: analyzes bundles and adds them to the crash database
 * (fleet/). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze.h"

struct index_options {
        uint64_t max_memory; /* address space each analysis may add (isolate.h); 0: no limit */
        uint64_t timeout_s;  /* wall-clock time each analysis may take; 0: no limit */
        bool retry_failed;   /* analyze again bundles this analyzer failed on before */
        bool verbose;        /* pass on the analyses' messages */
};

/* Analyzes each bundle (a directory: its *.zst files) not yet in the
 * database, each in a child process under the limits, and adds it; one
 * that fails (the analysis rejects it, crashes, runs out of time or memory,
 * the database refuses its values) is recorded as failed with why and by
 * which analyzer version, and is not tried again by the same version.
 * Prints one line per failure and a summary. Returns 0, or -errno when
 * the database cannot be opened, read or written (logged); *ret_failed
 * counts the bundles that were not indexed. */
int fleet_index(const char *db_path, char *const *paths, size_t n_paths, const struct analyze_options *o,
                const struct index_options *io, size_t *ret_failed);
