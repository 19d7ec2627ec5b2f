/* Data the rules use, kept as text files under rules/ so a user can extend
 * them without recompiling: glibc abort messages, frames to skip, allocator
 * function names. Parsed from text (the caller reads the files). */
#pragma once

#include <stddef.h>

struct abort_pattern {
        char *pattern;    /* substring of the abort message */
        char *class_id;   /* class it indicates */
        char *detail;     /* detail text */
};

struct rules_tables {
        struct abort_pattern *abort_patterns;
        size_t n_abort_patterns;
        char **skip_frames;    /* fnmatch patterns of runtime frames (abort, raise, ...) */
        size_t n_skip_frames;
        char **allocators;     /* allocator/free functions (malloc, free, operator delete ...) */
        size_t n_allocators;
        char **system_headers; /* fnmatch patterns of library source files (inlined wrappers, templates) */
        size_t n_system_headers;
};

/* Each parser appends to t; lines "#..." and blank lines are ignored. Returns
 * 0, or -EINVAL with *ret_line set to the 1-based line that is malformed.
 *   abort-messages: PATTERN<TAB>CLASS<TAB>DETAIL
 *   skip-frames / allocators / system-headers: one name or fnmatch pattern per line */
int tables_parse_abort_messages(struct rules_tables *t, const char *text, unsigned *ret_line);
int tables_parse_list(char ***list, size_t *n, const char *text, unsigned *ret_line);
/* The built-in defaults (the same content as the files shipped in rules/). */
int tables_load_defaults(struct rules_tables *t);
void tables_free(struct rules_tables *t);
