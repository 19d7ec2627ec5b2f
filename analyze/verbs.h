/* The verbs of coreinspect beside the report, each in its own file:
 * `gdb` (gdb.c), `dump` (dump.c), `list` (corecollect/list.c, shared with
 * corecollect; the verdict it shows is cached by verdict_cache.c). Each takes main's argc/argv with argv[1]
 * the verb and returns the exit code. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

int gdb_main(int argc, char **argv);
int dump_main(int argc, char **argv);
int remove_main(int argc, char **argv);

struct report;
/* Records r's class and signature on the bundle at path (an xattr read by
 * `list`), when r is of a bundle and we may write it; silent otherwise. */
void verdict_cache_store(const char *path, const struct report *r);

/* A repeatable directory option (--debug-dir, --source-dir): appends dir
 * to dirs (room for max), or says "too many OPTION" and returns false. */
bool option_dir_add(const char **dirs, size_t *n, size_t max, const char *dir, const char *option);
