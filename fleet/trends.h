/* What trends shows, read once from the database (fleet.c) and written by
 * one of its renderers: text and JSON (fleet.c), the HTML page (html.c).
 * Every string is as the crash gave it (decoded, fleet/dbtext.h): the
 * renderer escapes it for its output. Private to fleet/. */
#pragma once

#include <stdint.h>
#include <stdio.h>

/* A host or a version of a signature, with its crash count. */
struct trend_count {
        char *name;
        char *build_id; /* versions: the build-id when name is a package version; NULL */
        int64_t n, first_seen, last_seen;
};

/* One of a signature's latest crashes. */
struct trend_crash {
        char *host, *version, *bundle;
        int64_t time, pid;
        int exists; /* the bundle is still at its path */
};

struct trend_sig {
        char *sig, *cls, *exe, *text, *detail, *bundle, *first_version;
        int64_t total, recent, previous, hosts, first, last;
        const char *trend; /* new, up, down, same, quiet */
        /* first seen in the newest version of its executable (of several) */
        int new_in_version;
        /* versions: with --by version and the page; the rest the page's only */
        int64_t *days; /* crashes per UTC day, from trends_data.day_lo, n_days of them */
        struct trend_count *host_list, *versions;
        size_t n_host_list, n_versions;
        struct trend_crash *latest;
        size_t n_latest;
};

struct trends_data {
        int64_t now, window_s, prev_lo, rec_lo, rec_hi;
        char window[32]; /* window_s as "7d", "24h" or "90s" */
        int64_t day_lo;  /* the chart's first UTC day (days since the epoch) */
        size_t n_days;   /* the chart's days, up to the day of now */
        const char *db_name; /* without its password */
        const char *host, *exe, *class_id; /* the filters, as given, or NULL */
        /* what the per-signature extras count: all the signature's
         * crashes, or those of the --host, of the --exe PATH, of both */
        enum { TRENDS_ALL, TRENDS_HOST, TRENDS_EXE, TRENDS_HOST_EXE } scope;
        struct trend_sig *sigs;
        size_t n;
};

/* The page for d on f. 0, or -EIO (f failed). */
int fleet_html_write(FILE *f, const struct trends_data *d);
