/* Installing corecollect as the kernel's core_pattern handler and restoring
 * what was there before. */
#pragma once

#include <stddef.h>

#include "config.h"

#define CORE_PATTERN_PATH "/proc/sys/kernel/core_pattern"
#define CORE_PIPE_LIMIT_PATH "/proc/sys/kernel/core_pipe_limit"
#define CORE_PATTERN_MAX 127 /* the kernel's CORENAME_MAX_SIZE minus the NUL */

/* Builds "|BIN capture [-c CONFIG] %P %i %s %t %u %g %d %F %e". -ENAMETOOLONG
 * when it does not fit the kernel's limit. */
int install_pattern(const char *bin, const char *config_path, char *buf, size_t size);

/* Exit codes: 0 done, 1 error (logged), 2 already in the wanted state. */
int install_run(struct config *cfg, const char *config_path, const char *sysctl_dir);
int uninstall_run(const char *sysctl_dir);
