#include "list.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "escape.h"
#include "json.h"
#include "meta.h"
#include "ratelimit.h"
#include "reader.h"
#include "store.h"
#include "util.h"

struct row {
        char *name;
        uint64_t size;
        int64_t time;
        int64_t pid;
        int64_t signal;
        char *signal_name;
        char *exe;
        bool truncated;
        char *reason;
        char *error;
};

static int cmp_name(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_row(int dirfd, struct row *row)
{
        int fd = openat(dirfd, row->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        struct bundle_reader *r = NULL;
        int e = fd < 0 ? -errno : bundle_reader_open_fd(fd, &r);
        if (e < 0) {
                row->error = strdup(e == -EBADMSG ? "not a bundle or corrupt seek table" : strerror(-e));
                return;
        }
        struct bundle_meta meta;
        e = bundle_meta_read(r, &meta);
        if (e < 0) {
                row->error = strdup(e == -ENOENT ? "no meta.json" : "meta.json unreadable or corrupt");
                bundle_reader_free(r);
                return;
        }
        row->time = meta.time != BUNDLE_META_UNSET ? meta.time : 0;
        row->pid = meta.pid != BUNDLE_META_UNSET ? meta.pid : -1;
        row->signal = meta.signal != BUNDLE_META_UNSET ? meta.signal : 0;
        row->signal_name = meta.signal_name ? strdup(meta.signal_name) : NULL;
        row->exe = strdup(meta.exe ? meta.exe : "?");
        bundle_meta_free(&meta);
        struct bundle_index index;
        if (bundle_index_read(r, &index) == 0 && index.has_end) {
                row->truncated = index.truncated;
                row->reason = TAKE_PTR(index.truncation_reason);
        } else {
                row->truncated = true;
                row->reason = strdup("no-index");
        }
        bundle_index_free(&index);
        bundle_reader_free(r);
}

static void human_size(uint64_t v, char *buf, size_t size)
{
        const char *unit[] = { "B", "K", "M", "G", "T" };
        double d = (double)v;
        size_t u = 0;
        while (d >= 1024 && u < 4) {
                d /= 1024;
                u++;
        }
        snprintf(buf, size, u ? "%.1f%s" : "%.0f%s", d, unit[u]);
}

static void row_free(struct row *r)
{
        free(r->name);
        free(r->signal_name);
        free(r->exe);
        free(r->reason);
        free(r->error);
}

/* The crashes the crash-storm limits skipped, per uid and executable (the
 * path escaped: it is the crashed process's to choose). */
static void print_skipped(int dirfd)
{
        struct skipped_count *sk;
        size_t n;
        if (rate_read_skipped(dirfd, &sk, &n) < 0 || n == 0)
                return;
        printf("\nskipped by the crash-storm limits (count uid exe):\n");
        for (size_t i = 0; i < n; i++) {
                struct strbuf sb;
                strbuf_init(&sb);
                if (sk[i].exe_len)
                        text_escape(&sb, sk[i].exe, sk[i].exe_len);
                else
                        strbuf_puts(&sb, "(other executables)");
                printf("%" PRIu64 " %u %s\n", sk[i].count, (unsigned)sk[i].uid, sb.data ? sb.data : "");
                strbuf_free(&sb);
        }
        skipped_free(sk, n);
}

int list_run(const char *store, bool as_json)
{
        _cleanup_close_ int dirfd = open(store, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0) {
                log_error("cannot open store %s: %m", store);
                return 2;
        }
        int dup = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
        if (!d) {
                log_error("cannot read store %s: %m", store);
                return 2;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (de->d_name[0] == '.' || l <= 4 || strcmp(de->d_name + l - 4, STORE_SUFFIX) != 0)
                        continue;
                if (n == cap) {
                        cap = cap ? cap * 2 : 64;
                        char **nn = realloc(names, cap * sizeof(*nn));
                        if (!nn)
                                break;
                        names = nn;
                }
                names[n] = strdup(de->d_name);
                if (names[n])
                        n++;
        }
        closedir(d);
        if (n > 1)
                qsort(names, n, sizeof(*names), cmp_name);

        struct json j;
        json_init(&j, true);
        json_array_begin(&j, NULL);
        if (!as_json)
                printf("%-20s %8s %-8s %8s %-5s %s\n", "TIME", "PID", "SIGNAL", "SIZE", "TRUNC", "EXE / BUNDLE");
        int rc = 0;
        for (size_t i = 0; i < n; i++) {
                struct row row = { .name = names[i] };
                struct stat st;
                if (fstatat(dirfd, row.name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                        row.size = (uint64_t)st.st_size;
                read_row(dirfd, &row);
                if (row.error)
                        rc = 1;
                if (as_json) {
                        json_object_begin(&j, NULL);
                        json_string(&j, "bundle", row.name);
                        json_u64(&j, "size", row.size);
                        if (row.error)
                                json_string(&j, "error", row.error);
                        else {
                                json_i64(&j, "time", row.time);
                                json_i64(&j, "pid", row.pid);
                                json_i64(&j, "signal", row.signal);
                                json_string(&j, "signal_name", row.signal_name);
                                json_string(&j, "exe", row.exe);
                                json_boolean(&j, "truncated", row.truncated);
                                json_string(&j, "truncation_reason", row.reason);
                        }
                        json_object_end(&j);
                } else {
                        char size[16], when[32] = "?";
                        human_size(row.size, size, sizeof(size));
                        if (row.error) {
                                printf("%-20s %8s %-8s %8s %-5s %s: unreadable: %s\n", "?", "?", "?", size, "?",
                                       text_safe(row.name), text_safe(row.error));
                        } else {
                                struct tm tm;
                                time_t t = (time_t)row.time;
                                if (localtime_r(&t, &tm))
                                        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
                                char sig[16];
                                snprintf(sig, sizeof(sig), "%s", row.signal_name ? text_safe(row.signal_name) : "-");
                                printf("%-20s %8" PRId64 " %-8s %8s %-5s %s\n", when, row.pid, sig, size,
                                       row.truncated ? "yes" : "no", text_safe(row.exe));
                                printf("%-20s %8s %-8s %8s %-5s   %s%s%s%s\n", "", "", "", "", "", text_safe(row.name),
                                       row.reason ? " (" : "", row.reason ? text_safe(row.reason) : "", row.reason ? ")" : "");
                        }
                }
                row_free(&row);
        }
        free(names);
        json_array_end(&j);
        if (as_json)
                printf("%s\n", j.sb.data ? j.sb.data : "[]");
        json_free(&j);
        if (!as_json)
                print_skipped(dirfd);
        return rc;
}
