/* Journal lines next to a core, read through sd-journal.
 *
 * Two sets are collected and merged:
 *   (a) every entry whose __REALTIME_TIMESTAMP is within the last `seconds`
 *       seconds (at or after the cutoff now - seconds), and
 *   (b) entries with _PID=pid older than the cutoff.
 * (b) excludes what (a) covers, so the sets are disjoint by construction and
 * no entry is printed twice. Both are read backwards from the tail, newest
 * first, and reading stops as soon as max_lines lines are held: (a) ends
 * after a run of JOURNAL_OLDER_RUN entries older than the cutoff (entries
 * are not strictly in time order across files), and (b) uses the journal's field
 * index (a match), so the work is about max_lines entries rather than the
 * size of the window, with a hard cap of JOURNAL_SCAN_MAX entries read in
 * total. The result is sorted by realtime, oldest first.
 *
 * Reading backwards from the tail instead of seeking to the cutoff and going
 * forwards is deliberate: forwards, a busy journal (a crash storm logs a lot)
 * makes us read the whole window, and a cap hit part way would keep the
 * oldest lines instead of the newest.
 *
 * Errors: a directory that does not exist (or cannot be read) is -ENOENT
 * (-EACCES, ...) from sd_journal_open_directory(); an existing directory with
 * no journal files, or a system with no journal at all, is 0 with nothing
 * appended. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "logs.h"
/* util.h before sd-journal.h: sd-journal.h pulls in <syslog.h>, whose LOG_ERR,
 * LOG_WARNING, LOG_INFO and LOG_DEBUG macros would otherwise rename the
 * constants of util.h's enum log_level. Do not use log_*() in this file. */
#include "util.h"

#include <systemd/sd-journal.h>

/* Entries read (matching or not) in one call, at most. */
#define JOURNAL_SCAN_MAX 100000
/* Bytes of one field's value kept; longer values are cut and marked. */
#define JOURNAL_FIELD_MAX 8192

struct journal_line {
        uint64_t realtime; /* µs since the epoch */
        size_t order;      /* collection order; a larger one is older in the journal */
        char *text;        /* one line with its '\n', owned */
};

struct journal_lines {
        struct journal_line *lines; /* max slots */
        size_t max;
        size_t count;
};

static void journal_lines_free(struct journal_lines *set)
{
        for (size_t i = 0; i < set->count; i++)
                free(set->lines[i].text);
        free(set->lines);
        set->lines = NULL;
        set->count = 0;
}

/* The value of field `name` of the current entry, without the "NAME=". */
static int get_field(sd_journal *j, const char *name, const char **ret, size_t *ret_len)
{
        const void *data;
        size_t len;
        int r = sd_journal_get_data(j, name, &data, &len);
        if (r < 0)
                return r;

        size_t prefix = strlen(name) + 1;
        if (len < prefix)
                return -EBADMSG;
        *ret = (const char *)data + prefix;
        *ret_len = len - prefix;
        return 0;
}

/* Appends a field value with every byte that is not printable ASCII, and '\',
 * written as \xNN (as the kernel escapes /dev/kmsg), so a value is always
 * one line of text. */
static void append_escaped(struct strbuf *sb, const char *s, size_t len)
{
        size_t keep = MIN(len, (size_t)JOURNAL_FIELD_MAX);
        ascii_escape(sb, s, keep, false);
        if (keep < len)
                strbuf_puts(sb, "[...]");
}

/* Appends the first of the fields that the entry has, or fallback. */
static void append_field(struct strbuf *sb, sd_journal *j, const char *const *names,
                         const char *fallback)
{
        for (; *names; names++) {
                const char *v;
                size_t len;
                if (get_field(j, *names, &v, &len) >= 0 && len > 0) {
                        append_escaped(sb, v, len);
                        return;
                }
        }
        strbuf_puts(sb, fallback);
}

/* "YYYY-MM-DDTHH:MM:SS.uuuuuu+0000 HOST IDENT[PID]: MESSAGE\n" for the
 * current entry. */
static int format_entry(sd_journal *j, uint64_t realtime, char **ret)
{
        time_t secs = (time_t)(realtime / 1000000);
        struct tm tm;
        char when[32];
        if (!gmtime_r(&secs, &tm) || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
                return -EINVAL;

        struct strbuf sb;
        strbuf_init(&sb);
        strbuf_printf(&sb, "%s.%06llu+0000 ", when, (unsigned long long)(realtime % 1000000));

        static const char *const host[] = { "_HOSTNAME", NULL };
        static const char *const ident[] = { "SYSLOG_IDENTIFIER", "_COMM", NULL };
        static const char *const pid[] = { "_PID", "SYSLOG_PID", NULL };
        static const char *const message[] = { "MESSAGE", NULL };

        append_field(&sb, j, host, "-");
        strbuf_puts(&sb, " ");
        append_field(&sb, j, ident, "unknown");
        strbuf_puts(&sb, "[");
        append_field(&sb, j, pid, "-");
        strbuf_puts(&sb, "]: ");
        append_field(&sb, j, message, "");
        strbuf_puts(&sb, "\n");

        char *line = strbuf_steal(&sb, NULL);
        if (!line)
                return -ENOMEM;
        *ret = line;
        return 0;
}

/* Reads backwards from the tail (honouring the current matches) and adds
 * entries whose realtime is on the wanted side of cutoff until set is full.
 * recent: keep realtime ≥ cutoff and stop after a run of older entries;
 * otherwise skip realtime ≥ cutoff and keep older ones. *scanned counts
 * entries read, against JOURNAL_SCAN_MAX. */
#define JOURNAL_OLDER_RUN 256

static int collect_backwards(sd_journal *j, uint64_t cutoff, bool recent, struct journal_lines *set,
                             size_t *scanned)
{
        int r = sd_journal_seek_tail(j);
        if (r < 0)
                return r;
        /* Entries are not strictly in time order (several files, clocks that
         * step, streams imported later): stop only after a run of older ones. */
        size_t older_run = 0;

        while (set->count < set->max && *scanned < JOURNAL_SCAN_MAX) {
                r = sd_journal_previous(j);
                if (r < 0)
                        return r;
                if (r == 0)
                        break; /* head reached */
                (*scanned)++;

                uint64_t realtime;
                r = sd_journal_get_realtime_usec(j, &realtime);
                if (r < 0)
                        continue;
                if (recent && realtime < cutoff) {
                        if (++older_run >= JOURNAL_OLDER_RUN)
                                break;
                        continue;
                }
                older_run = 0;
                if (!recent && realtime >= cutoff)
                        continue;

                char *text;
                r = format_entry(j, realtime, &text);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                set->lines[set->count] = (struct journal_line){
                        .realtime = realtime,
                        .order = set->count,
                        .text = text,
                };
                set->count++;
        }
        return 0;
}

static int cmp_line(const void *a, const void *b)
{
        const struct journal_line *x = a, *y = b;
        if (x->realtime != y->realtime)
                return x->realtime < y->realtime ? -1 : 1;
        /* Same time: keep journal order, which is reverse collection order. */
        return x->order > y->order ? -1 : x->order < y->order ? 1 : 0;
}

int journal_collect(const char *dir, pid_t pid, uint64_t seconds, size_t max_lines,
                    struct strbuf *out)
{
        if (!out)
                return -EINVAL;
        if (max_lines == 0)
                return 0;

        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        int r = dir ? sd_journal_open_directory(&j, dir, 0)
                    : sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return r;

        /* Large fields are cut by us anyway; do not let sd-journal
         * decompress more than that. */
        (void)sd_journal_set_data_threshold(j, JOURNAL_FIELD_MAX + 64);

        struct timespec ts;
        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return -errno;
        uint64_t now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
        uint64_t window = seconds > UINT64_MAX / 1000000 ? UINT64_MAX : seconds * 1000000;
        uint64_t cutoff = now > window ? now - window : 0;

        struct journal_lines set = {
                .lines = calloc(max_lines, sizeof(struct journal_line)),
                .max = max_lines,
        };
        if (!set.lines)
                return -ENOMEM;

        size_t scanned = 0;
        r = collect_backwards(j, cutoff, true, &set, &scanned);
        if (r >= 0 && set.count < set.max && pid > 0) {
                char match[32];
                snprintf(match, sizeof(match), "_PID=%d", (int)pid);
                r = sd_journal_add_match(j, match, 0);
                if (r >= 0) {
                        /* Order numbers continue, so pid lines count as older. */
                        r = collect_backwards(j, cutoff, false, &set, &scanned);
                        sd_journal_flush_matches(j);
                }
        }

        qsort(set.lines, set.count, sizeof(set.lines[0]), cmp_line);
        for (size_t i = 0; i < set.count; i++)
                strbuf_puts(out, set.lines[i].text);
        journal_lines_free(&set);

        if (r >= 0 && out->oom)
                r = -ENOMEM;
        return r < 0 ? r : 0;
}
