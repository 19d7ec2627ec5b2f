/* `corecollect oom-watch`: the kernel's OOM killer sends SIGKILL, which
 * leaves no core. The watcher follows /dev/kmsg and turns every "Killed
 * process PID" report into a bundle without a core member: meta.json (kind
 * "oom-kill", pid, comm, uid, the constraint and memory cgroup, the
 * victim's memory sizes, the cgroup's limit), what /proc/PID still shows, and
 * the kernel's OOM report in log/kernel.txt. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct oomwatch_options {
        const char *kmsg_path; /* "/dev/kmsg" */
        bool once;             /* exit after the first bundle */
        uint64_t timeout_ms;   /* 0 = run forever */
};

/* Returns 0 (with --once: a bundle was written; else stopped by a signal),
 * -ETIME (the timeout passed without an OOM kill), or -errno (the store or
 * kmsg unusable; logged). main() maps them to the exit codes 0, 3, 1. */
int oomwatch_run(const struct config *cfg, const struct oomwatch_options *o);

/* Parses "Killed process PID (COMM) total-vm:NkB, anon-rss:NkB, ..." and the
 * "oom-kill:constraint=...,task_memcg=...,task=...,pid=N,uid=U" line.
 * Exposed for unit tests. Returns true when line is a kill report. */
struct oom_kill {
        int pid;
        int uid;
        char comm[64];
        char constraint[32];
        char memcg[256];
        uint64_t total_vm_kb, anon_rss_kb, file_rss_kb;
        bool memcg_oom; /* "Memory cgroup out of memory" */
};
bool oom_parse_killed(const char *line, struct oom_kill *k);
void oom_parse_context(const char *line, struct oom_kill *k);

/* Stores the bundle of kill k with the kernel's report context in the
 * store sfd, through the store's transaction (crash-storm limits, quota,
 * keep-free, uid share), and prints its path. 0, or -EAGAIN (skipped by a
 * storm limit, counted), -EDQUOT/-ENOSPC (does not fit), -errno; logs. */
int oom_store_kill(const struct config *cfg, int sfd, const struct oom_kill *k, const char *context);
