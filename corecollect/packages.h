/* The Debian packages that own the crashed process's mapped files, looked
 * up at capture time in dpkg's database (common/dpkg.h: no program run,
 * one pass over the file lists, one over status), for packages.json. Runs
 * after the crashed process was released: it costs the handler time, not
 * the crashed service. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "meta.h"
#include "proc.h"

/* What the lookup found, by index of p->mapped. */
struct packages_result {
        struct bundle_mapped_file *files; /* n_files; path borrowed from p, package fields owned */
        size_t n_files;
        const char *status;  /* "ok", "off", "skipped" */
        const char *reason;  /* why skipped, else NULL */
        const char *admindir;
        uint64_t usec, cpu_usec, bytes_read;
};

/* Looks up the owners of p's mapped files (the executable first), within
 * cfg's packages_budget_ms (and never past deadline_usec, the capture's)
 * and packages_max_read. A file is "replaced" when the file at its path is
 * not the one mapped (a package upgrade since the process started): its
 * version is then not given. Never fails: what went wrong is in status and
 * reason. */
void packages_lookup(const struct config *cfg, const struct proc_info *p, uint64_t deadline_usec,
                     struct packages_result *ret);
/* Renders ret as packages.json (bundle_packages_write). -ENOMEM. */
int packages_write(const struct packages_result *res, struct strbuf *ret);
void packages_result_free(struct packages_result *res);
