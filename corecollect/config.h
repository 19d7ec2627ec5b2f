/* corecollect's configuration: a key=value file written by `install` and
 * read by `capture` (the kernel's 128-byte core_pattern has no room for
 * options). Unknown keys are an error so that typos do not go unnoticed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define CONFIG_DEFAULT_PATH "/etc/corecollect.conf"
#define STORE_DEFAULT_PATH "/var/lib/corecollect"

struct config {
        char *store;
        uint64_t max_bundle;      /* compressed bytes on disk for one bundle */
        uint64_t max_core;        /* uncompressed core bytes kept */
        uint64_t time_budget_ms;  /* whole capture */
        uint64_t files_budget;    /* total bytes of files/ members */
        uint64_t file_max;        /* one files/ member */
        uint64_t kmsg_lines;
        char *journal_dir;        /* NULL: the system journal */
        char *environ_filter;     /* NULL: /etc/corecollect/environ-filter.txt */
        uint64_t journal_seconds;
        uint64_t journal_lines;
        uint64_t frame_size;
        int level;
        unsigned store_mode;      /* the store directory's mode: 0755 (users reach the
                                   * bundles their ACL grants), 0711, 0750 or 0700 */
        uint64_t workers;         /* compression threads; 0 = online CPUs (at most 4), 1 = inline */
        uint64_t max_store;       /* all bundles in the store; 0 = no quota */
        uint64_t keep_free;       /* bytes to leave free on the store's filesystem */
        uint64_t rate_burst;      /* bundles per uid and executable per rate_interval; 0 = no limit */
        uint64_t rate_uid_burst;  /* bundles per uid per rate_interval; 0 = no limit */
        uint64_t rate_interval_s;
        uint64_t uid_max_store;   /* one uid's bundles in the store; 0 = no share */
        uint64_t protect_age_s;   /* another uid's bundles younger than this are never removed */
        /* what install replaced, restored by uninstall */
        char *prev_core_pattern;
        char *prev_core_pipe_limit;
};

void config_defaults(struct config *c);
void config_free(struct config *c);
/* Sets one key; -EINVAL for an unknown key or bad value, -ERANGE for a
 * frame_size outside 4K..BUNDLE_FRAME_MAX (64M). */
int config_set(struct config *c, const char *key, const char *value);
/* Reads path into c (on top of what is there), then PATH.d/NAME.conf in
 * name order (drop-ins: each overrides what came before; a directory or
 * file not owned by root or writable by others is ignored with a warning).
 * Logs the offending line. */
int config_load(struct config *c, const char *path);
/* Writes c to path atomically (temp file + rename), mode 0644. */
int config_save(const struct config *c, const char *path);
