/* coreinspect index: analyzes bundles and adds them to the crash database
 * (fleet/). */
#pragma once

#include <stddef.h>

#include "analyze.h"

/* Analyzes each bundle (a directory: its *.zst files) not yet in the
 * database and adds it. Prints one line per failure and a summary.
 * Returns FLEET_OK, FLEET_SOME_FAILED or FLEET_DB_ERROR. */
int fleet_index(const char *db_path, char *const *paths, size_t n_paths, const struct analyze_options *o);
