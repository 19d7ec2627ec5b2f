/* `corecollect list`: one line per bundle in a store. */
#pragma once

#include <stdbool.h>

/* Exit codes: 0 all bundles listed, 1 some bundle unreadable (still listed
 * with the reason), 2 the store cannot be read. */
int list_run(const char *store, bool json);
