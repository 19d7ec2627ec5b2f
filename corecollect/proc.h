/* Facts about the crashing process from /proc/PID, read through a directory
 * fd that was verified against the kernel's pidfd, never by path again. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "elfinfo.h"
#include "environ.h"
#include "io.h"

struct proc_file {
        const char *member; /* bundle member name (BUNDLE_PROC_*, meta.h) */
        char *data;
        size_t len;
};

struct bundle_mapped_file; /* meta.h */

struct mapped_file {
        char *path;
        char build_id[2 * BUILD_ID_MAX + 1];
        int fd;          /* open through map_files/, -1 if it could not be opened */
        uint64_t size;
        bool executable; /* the main program */
        const char *skipped; /* why it is not in files/: "file_max", "files_budget", "rlimit" */
        bool duplicate;      /* same build-id as an earlier one: stored once */
};

struct proc_info {
        int dirfd;          /* /proc/PID, -1 when not available */
        bool pidfd_verified;
        char *exe;          /* readlink of /proc/PID/exe */
        char *comm;
        char **argv;        /* from cmdline */
        size_t argc;
        char *cgroup;
        struct proc_file files[16];
        size_t n_files;
        struct mapped_file *mapped;
        size_t n_mapped;
        /* set by the caller before proc_collect; NULL: the built-in rules */
        const struct environ_filter *env_filter;
};

/* Opens /proc/PID and checks it is the process behind pidfd (the fd number
 * the kernel gave for %F; -1 when unknown). Returns -ESRCH when the pidfd
 * refers to another process. */
int proc_open(pid_t pid, int pidfd, struct proc_info *ret);
/* Reads maps, limits, status, cmdline, cgroup, mountinfo, auxv, fds and the
 * redacted environment into p->files; exe, comm, cgroup and argv. Missing
 * files are skipped: the process may be partly gone. */
void proc_collect(struct proc_info *p);
/* Finds the executable and mapped ELF files (through map_files/) with their
 * build-ids; stops looking at deadline_usec (0: no deadline). */
void proc_collect_mapped(struct proc_info *p, uint64_t deadline_usec);
/* p's mapped files as meta.json's mapped_files (struct bundle_mapped_file,
 * meta.h; the strings borrowed from p; a file without a build-id has
 * none). Caller frees the array; NULL when out of memory. */
struct bundle_mapped_file *proc_mapped_meta(const struct proc_info *p);
/* Opens map_files/RANGE (RANGE as /proc/PID/maps prints it) without blocking
 * and without taking a terminal; -EBADFD unless it is a regular file.
 * Returns the fd, ret_st filled. */
int proc_open_mapped(int dirfd, const char *range, struct stat *ret_st);
void proc_info_free(struct proc_info *p);

