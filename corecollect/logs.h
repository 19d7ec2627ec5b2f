/* Log lines captured next to a core: the kernel ring buffer and the journal.
 * Both append text to `out` and never fail the capture: on error they return
 * -errno and leave whatever they appended. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "io.h"

/* The last max_lines records of the kernel log read non-blocking from path
 * (normally "/dev/kmsg"), one per line as "[  SECONDS.MICROS] text" with
 * continuation lines and non-printable bytes escaped. */
int kmsg_collect(const char *path, size_t max_lines, struct strbuf *out);

/* Formats one /dev/kmsg record (as one read() returns it) as the line
 * kmsg_collect prints, with its '\n'. Caller frees. -EBADMSG if it is not a
 * record. */
int kmsg_format_record(const char *buf, size_t len, char **ret);

/* Journal entries written by pid (_PID=pid), and all entries of the last
 * `seconds` seconds before now, at most max_lines (the newest), one per line
 * as "TIMESTAMP HOST IDENT[PID]: MESSAGE". dir is a directory of journal
 * files, or NULL for the local system journal. Returns 0 with nothing
 * appended when no journal files exist. */
int journal_collect(const char *dir, pid_t pid, uint64_t seconds, size_t max_lines,
                    struct strbuf *out);
