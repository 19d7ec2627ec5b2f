/* The environment filter of proc/environ: an allow-list of names, and the
 * names and value shapes that are secret. The rules are a data file
 * (environ-filter.txt, built in as the defaults; see its header). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "io.h"

#define ENVIRON_FILTER_PATH "/etc/corecollect/environ-filter.txt"
#define ENVIRON_VALUE_MAX 4096 /* longer values are redacted unmatched */

struct environ_filter {
        char **allow;           /* fnmatch patterns of names */
        size_t n_allow;
        char **secret_names;    /* upper-cased words */
        size_t n_secret_names;
        char **secret_values;   /* fnmatch patterns, any case */
        size_t n_secret_values;
        char **secret_shapes;   /* fnmatch patterns, case matters */
        size_t n_secret_shapes;
        size_t token_length;    /* 0: off */
};

/* Parses the rules in text. On a bad line returns -EINVAL with its number
 * in *ret_line and *ret is not written. */
int environ_filter_parse(const char *text, struct environ_filter **ret, unsigned *ret_line);
/* The built-in defaults (the embedded environ-filter.txt). */
int environ_filter_defaults(struct environ_filter **ret);
/* The rules of path (NULL: ENVIRON_FILTER_PATH), or the built-in defaults
 * when it is missing or malformed (then with a warning). NULL only when
 * out of memory: environ_redact then redacts every value. */
struct environ_filter *environ_filter_load(const char *path);
void environ_filter_free(struct environ_filter *f);

/* True when the value of NAME=value may be kept. */
bool environ_keep(const struct environ_filter *f, const char *name, size_t nlen, const char *value, size_t vlen);
/* From the NUL-separated environ, one NAME=value line per variable, the
 * values f does not keep written as <redacted> (every value when f is
 * NULL). A value with a newline is redacted, and a name's control bytes
 * are escaped (\n, \xNN): no variable can forge another line. */
void environ_redact(const struct environ_filter *f, const char *env, size_t len, struct strbuf *out);
