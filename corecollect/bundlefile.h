/* One capture's life: its signals and deadline alarms, and the file its
 * bundle is written to (unnamed with O_TMPFILE where the filesystem can, so
 * that no death leaves anything behind; else a named temporary file that
 * every exit path removes). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* SIGTERM/SIGINT/SIGHUP ask the capture to stop (capture_stopped()); a
 * SIGALRM at the time budget's deadline interrupts blocking calls; a second
 * stop signal, or a capture still running max(time_budget_ms, 30 s) after
 * the deadline, ends the process (exit CAPTURE_FAILED, temporary file
 * removed). SIGPIPE and SIGXFSZ are ignored. */
void capture_signals_setup(const struct config *cfg);
/* The signal that asked the capture to stop, or 0. */
int capture_stopped(void);

/* Creates the bundle file in the store's directory sfd (mode 0600). *ret_named
 * says whether it has the temporary name .tmp-NAME. Returns the fd or -errno. */
int bundle_file_create(int sfd, const char *name, bool *ret_named);
/* Gives the complete bundle its name (NAME, or NAME.N.zst when taken; never
 * replaces a file) into final. Returns 0 or -errno. */
int bundle_file_name(int sfd, int fd, bool named, const char *name, char *final, size_t size);
/* Removes the named temporary file, if any (a failed capture). */
void bundle_file_discard(void);
