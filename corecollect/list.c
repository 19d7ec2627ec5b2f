/* corecollect list / coreinspect list (list.h). */
#include "list.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "json.h"
#include "meta.h"
#include "ratelimit.h"
#include "reader.h"
#include "store.h"
#include "util.h"

struct row {
        const char *store;
        char *name;
        char *comm;
        char *host;
        char *cls;       /* cached verdict, NULL when never analysed */
        char *signature;
        int64_t uid;
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

struct filter {
        int64_t since, until; /* 0: none */
        const char *exe, *comm, *cls, *signature, *host;
        int64_t pid;          /* -1: any */
        int signal;           /* 0: any */
        bool json;
};

/* The verdict cached on the bundle: "class\tsignature". */
static void read_verdict(int fd, struct row *row)
{
        char buf[256];
        ssize_t n = fgetxattr(fd, VERDICT_XATTR, buf, sizeof(buf) - 1);
        if (n <= 0)
                return;
        buf[n] = '\0';
        char *tab = strchr(buf, '\t');
        if (!tab)
                return;
        *tab = '\0';
        row->cls = strdup(buf);
        row->signature = strdup(tab + 1);
}

/* Returns -EACCES when the caller may not read the bundle (listed only
 * for root: others see their own). */
static int read_row(int dirfd, struct row *row)
{
        int fd = openat(dirfd, row->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0 && errno == EACCES && geteuid() != 0)
                return -EACCES;
        if (fd >= 0)
                read_verdict(fd, row);
        struct bundle_reader *r = NULL;
        int e = fd < 0 ? -errno : bundle_reader_open_fd(fd, &r);
        if (e < 0) {
                row->error = strdup(e == -EBADMSG ? "not a bundle or corrupt seek table" : strerror(-e));
                return 0;
        }
        struct bundle_meta meta;
        e = bundle_meta_read(r, &meta);
        if (e < 0) {
                row->error = strdup(e == -ENOENT ? "no meta.json" : "meta.json unreadable or corrupt");
                bundle_reader_free(r);
                return 0;
        }
        row->time = meta.time != BUNDLE_META_UNSET ? meta.time : 0;
        row->pid = meta.pid != BUNDLE_META_UNSET ? meta.pid : -1;
        row->signal = meta.signal != BUNDLE_META_UNSET ? meta.signal : 0;
        row->signal_name = meta.signal_name ? strdup(meta.signal_name) : NULL;
        row->exe = strdup(meta.exe ? meta.exe : "?");
        row->comm = meta.comm ? strdup(meta.comm) : NULL;
        row->host = meta.host ? strdup(meta.host) : NULL;
        row->uid = meta.uid != BUNDLE_META_UNSET ? meta.uid : -1;
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
        return 0;
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
        free(r->comm);
        free(r->host);
        free(r->cls);
        free(r->signature);
}

/* The crashes the crash-storm limits skipped, per uid and executable (the
 * path escaped: it is the crashed process's to choose). */
static void print_skipped(int dirfd)
{
        uint64_t removed, refused;
        if (rate_read_dropped(dirfd, &removed, &refused) == 0 && (removed || refused))
                printf("\nthe store's quota removed %" PRIu64 " old bundle%s and refused %" PRIu64 " crash%s\n", removed,
                       removed == 1 ? "" : "s", refused, refused == 1 ? "" : "es");
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


/* exe matches the full path or its last component. */
static bool exe_matches(const char *exe, const char *want)
{
        if (!exe)
                return false;
        const char *base = strrchr(exe, '/');
        return strcmp(exe, want) == 0 || (base && strcmp(base + 1, want) == 0);
}

static bool row_matches(const struct row *r, const struct filter *f)
{
        if (r->error) /* unreadable: shown unless a filter asks for something it cannot say */
                return !f->since && !f->until && !f->exe && !f->comm && !f->cls && !f->signature && !f->host &&
                       f->pid < 0 && !f->signal;
        if ((f->since && r->time < f->since) || (f->until && r->time > f->until))
                return false;
        if (f->exe && !exe_matches(r->exe, f->exe))
                return false;
        if (f->comm && (!r->comm || strcmp(r->comm, f->comm) != 0))
                return false;
        if (f->host && (!r->host || strcmp(r->host, f->host) != 0))
                return false;
        if (f->pid >= 0 && r->pid != f->pid)
                return false;
        if (f->signal && r->signal != f->signal)
                return false;
        if (f->cls && (!r->cls || strcmp(r->cls, f->cls) != 0))
                return false;
        /* a signature by its first characters, like a git hash */
        if (f->signature && (!r->signature || strncmp(r->signature, f->signature, strlen(f->signature)) != 0))
                return false;
        return true;
}

/* Newest first; unreadable ones last; then by name. */
static int cmp_row(const void *a, const void *b)
{
        const struct row *x = a, *y = b;
        if (!!x->error != !!y->error)
                return x->error ? 1 : -1;
        if (x->time != y->time)
                return x->time > y->time ? -1 : 1;
        int c = strcmp(x->store, y->store);
        return c ? c : strcmp(x->name, y->name);
}

/* Adds the bundles of one store to *rows. -errno when the store cannot be
 * read. */
static int read_store(const char *store, int dirfd, struct row **rows, size_t *n, size_t *cap)
{
        int dup = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
        if (!d) {
                if (dup >= 0)
                        close(dup);
                return -errno;
        }
        struct dirent *de;
        while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (de->d_name[0] == '.' || l <= 4 || strcmp(de->d_name + l - 4, STORE_SUFFIX) != 0)
                        continue;
                if (*n == *cap) {
                        size_t nc = *cap ? *cap * 2 : 64;
                        struct row *nr = realloc(*rows, nc * sizeof(*nr));
                        if (!nr)
                                break;
                        *rows = nr;
                        *cap = nc;
                }
                struct row row = { .store = store, .name = strdup(de->d_name), .pid = -1, .uid = -1 };
                if (!row.name)
                        break;
                struct stat st;
                if (fstatat(dirfd, row.name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
                        free(row.name);
                        continue;
                }
                row.size = (uint64_t)st.st_size;
                if (read_row(dirfd, &row) == -EACCES) {
                        row_free(&row);
                        continue;
                }
                (*rows)[(*n)++] = row;
        }
        closedir(d);
        return 0;
}

static void print_json_row(struct json *j, const struct row *row, bool many)
{
        json_object_begin(j, NULL);
        json_string(j, "bundle", row->name);
        if (many)
                json_string(j, "store", row->store);
        json_u64(j, "size", row->size);
        if (row->error) {
                json_string(j, "error", row->error);
        } else {
                json_i64(j, "time", row->time);
                json_string(j, "host", row->host);
                json_i64(j, "pid", row->pid);
                json_i64(j, "uid", row->uid);
                json_i64(j, "signal", row->signal);
                json_string(j, "signal_name", row->signal_name);
                json_string(j, "exe", row->exe);
                json_string(j, "comm", row->comm);
                json_boolean(j, "truncated", row->truncated);
                json_string(j, "truncation_reason", row->reason);
                json_string(j, "class", row->cls);
                json_string(j, "signature", row->signature);
        }
        json_object_end(j);
}

static void print_text_row(const struct row *row, bool many)
{
        char size[16], when[32] = "?";
        human_size(row->size, size, sizeof(size));
        struct strbuf path;
        strbuf_init(&path);
        if (many) {
                text_escape(&path, row->store, strlen(row->store));
                strbuf_puts(&path, "/");
        }
        text_escape(&path, row->name, strlen(row->name));
        const char *p = path.data ? path.data : "?";
        if (row->error) {
                printf("%-20s %8s %-8s %8s %-5s %s: unreadable: %s\n", "?", "?", "?", size, "?", p,
                       text_safe(row->error));
        } else {
                struct tm tm;
                time_t t = (time_t)row->time;
                if (localtime_r(&t, &tm))
                        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
                char sig[16];
                snprintf(sig, sizeof(sig), "%s", row->signal_name ? text_safe(row->signal_name) : "-");
                printf("%-20s %8" PRId64 " %-8s %8s %-5s %s\n", when, row->pid, sig, size,
                       row->truncated ? "yes" : "no", text_safe(row->exe));
                printf("%-20s %8s %-8s %8s %-5s   %s%s%s%s", "", "", "", "", "", p, row->reason ? " (" : "",
                       row->reason ? text_safe(row->reason) : "", row->reason ? ")" : "");
                if (row->cls)
                        printf(" [%s %s]", text_safe(row->cls), text_safe(row->signature));
                printf("\n");
        }
        strbuf_free(&path);
}

/* Prints the bundles of the stores that pass the filter. Returns 0, or the
 * first store's -errno that could not be read (the others are listed);
 * *ret_bad counts the listed bundles that could not be read. */
static int list_run(const char *const *stores, size_t n_stores, const struct filter *f, size_t *ret_bad)
{
        struct row *rows = NULL;
        size_t n = 0, cap = 0;
        int rc = 0;
        *ret_bad = 0;
        int *dirfds = calloc(n_stores, sizeof(int));
        if (!dirfds)
                return -ENOMEM;
        for (size_t s = 0; s < n_stores; s++) {
                dirfds[s] = open(stores[s], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                int r = dirfds[s] < 0 ? -errno : read_store(stores[s], dirfds[s], &rows, &n, &cap);
                if (r < 0) {
                        log_error("cannot read store %s: %s", text_safe(stores[s]), strerror(-r));
                        if (rc == 0)
                                rc = r;
                }
        }
        if (n > 1)
                qsort(rows, n, sizeof(*rows), cmp_row);
        bool many = n_stores > 1;
        struct json j;
        json_init(&j, true);
        json_array_begin(&j, NULL);
        if (!f->json)
                printf("%-20s %8s %-8s %8s %-5s %s\n", "TIME", "PID", "SIGNAL", "SIZE", "TRUNC",
                       "EXE / BUNDLE [CLASS SIGNATURE]");
        for (size_t i = 0; i < n; i++) {
                if (row_matches(&rows[i], f)) {
                        if (rows[i].error)
                                (*ret_bad)++;
                        if (f->json)
                                print_json_row(&j, &rows[i], many);
                        else
                                print_text_row(&rows[i], many);
                }
                row_free(&rows[i]);
        }
        free(rows);
        json_array_end(&j);
        if (f->json)
                printf("%s\n", j.sb.data ? j.sb.data : "[]");
        json_free(&j);
        for (size_t s = 0; s < n_stores; s++) {
                if (dirfds[s] >= 0 && !f->json)
                        print_skipped(dirfds[s]);
                if (dirfds[s] >= 0)
                        close(dirfds[s]);
        }
        free(dirfds);
        return rc;
}

int list_parse_time(const char *s, int64_t now, int64_t *ret)
{
        time_t t = (time_t)now;
        struct tm tm;
        if (!localtime_r(&t, &tm))
                return -EINVAL;
        if (strcmp(s, "now") == 0) {
                *ret = now;
                return 0;
        }
        if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
                tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
                tm.tm_isdst = -1;
                if (s[0] == 'y')
                        tm.tm_mday--;
                *ret = (int64_t)mktime(&tm);
                return 0;
        }
        uint64_t v;
        if (s[0] == '@')
                return parse_u64(s + 1, &v) < 0 || v > INT64_MAX ? -EINVAL : (*ret = (int64_t)v, 0);
        char *end;
        errno = 0;
        unsigned long long n = strtoull(s, &end, 10);
        if (!errno && end != s && s[0] >= '0' && s[0] <= '9' && end[0] && !end[1] && strchr("smhdw", end[0])) {
                uint64_t mul = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : end[0] == 'd' ? 86400 : 604800;
                if (n > (uint64_t)now / mul)
                        return -EINVAL;
                *ret = now - (int64_t)(n * mul);
                return 0;
        }
        memset(&tm, 0, sizeof(tm));
        const char *rest = strptime(s, "%Y-%m-%d", &tm);
        if (!rest)
                return -EINVAL;
        if (*rest) {
                const char *r2 = strptime(rest, " %H:%M:%S", &tm);
                if (!r2)
                        r2 = strptime(rest, " %H:%M", &tm);
                if (!r2 || *r2)
                        return -EINVAL;
        }
        tm.tm_isdst = -1;
        *ret = (int64_t)mktime(&tm);
        return 0;
}

/* "11", "SEGV", "SIGSEGV" (any case) -> 11; 0 when unknown. */
static int parse_signal(const char *s)
{
        static const char *const names[] = { [1] = "HUP",   [2] = "INT",   [3] = "QUIT", [4] = "ILL",   [5] = "TRAP",
                                             [6] = "ABRT",  [7] = "BUS",   [8] = "FPE",  [9] = "KILL",  [10] = "USR1",
                                             [11] = "SEGV", [12] = "USR2", [13] = "PIPE", [14] = "ALRM", [15] = "TERM",
                                             [16] = "STKFLT", [24] = "XCPU", [25] = "XFSZ", [31] = "SYS" };
        int v;
        if (parse_int(s, &v) == 0)
                return v > 0 && v < 65 ? v : 0;
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (names[i] && strcasecmp(s, names[i]) == 0)
                        return (int)i;
        return 0;
}

static void list_usage(FILE *out, const char *program)
{
        fprintf(out,
                "Usage: %s list [OPTIONS] [STORE...]\n"
                "\n"
                "Lists the bundles of the stores (default " STORE_DEFAULT_PATH "), newest first,\n"
                "with the class and signature of those coreinspect has analysed, then the\n"
                "crashes the crash-storm limits skipped. Not as root: only the bundles you\n"
                "may read (your own crashes, when the store grants them).\n"
                "\n"
                "  --store DIR        a store (repeatable; also as arguments)\n"
                "  --since WHEN       crashes at or after WHEN: 1h, 30m, 2d, 1w (ago), today,\n"
                "                     yesterday, now, @EPOCH, YYYY-MM-DD [HH:MM[:SS]] (local)\n"
                "  --until WHEN       crashes at or before WHEN\n"
                "  --exe EXE          the executable's path or file name\n"
                "  --comm COMM        the process name (comm)\n"
                "  --pid PID\n"
                "  --signal SIG       number or name (SEGV, SIGABRT, ...)\n"
                "  --class CLASS      analysed bundles of that class (docs/classes.md)\n"
                "  --signature SIG    analysed bundles whose signature starts with SIG\n"
                "  --host HOST        crashes on that host\n"
                "  --json             a JSON array\n"
                "  -h, --help         this text\n"
                "\n"
                "Exit codes: 0 listed, 1 some bundle unreadable (listed with why), 2 a store\n"
                "unreadable, 64 usage.\n",
                program);
}

int list_main(int argc, char **argv, const char *program)
{
        static const struct option opts[] = {
                { "store", required_argument, NULL, 's' },  { "since", required_argument, NULL, 'S' },
                { "until", required_argument, NULL, 'U' },  { "exe", required_argument, NULL, 'e' },
                { "comm", required_argument, NULL, 'c' },   { "pid", required_argument, NULL, 'p' },
                { "signal", required_argument, NULL, 'g' }, { "class", required_argument, NULL, 'C' },
                { "signature", required_argument, NULL, 'G' }, { "host", required_argument, NULL, 'H' },
                { "json", no_argument, NULL, 'j' },         { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },         {},
        };
        struct filter f = { .pid = -1 };
        const char *stores[64];
        size_t n_stores = 0;
        int64_t now = (int64_t)time(NULL);
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "vh", opts, NULL)) >= 0) {
                uint64_t v;
                switch (c) {
                case 's':
                        if (n_stores == ELEMENTSOF(stores))
                                goto usage;
                        stores[n_stores++] = optarg;
                        break;
                case 'S':
                case 'U':
                        if (list_parse_time(optarg, now, c == 'S' ? &f.since : &f.until) < 0) {
                                log_error("--%s needs a time such as 1h, 2d, yesterday or 2026-01-31 12:00",
                                          c == 'S' ? "since" : "until");
                                return 64;
                        }
                        break;
                case 'e':
                        f.exe = optarg;
                        break;
                case 'c':
                        f.comm = optarg;
                        break;
                case 'p':
                        if (parse_u64(optarg, &v) < 0 || v > INT32_MAX) {
                                log_error("--pid needs a process id");
                                return 64;
                        }
                        f.pid = (int64_t)v;
                        break;
                case 'g':
                        if (!(f.signal = parse_signal(optarg))) {
                                log_error("--signal needs a signal number or name such as SEGV");
                                return 64;
                        }
                        break;
                case 'C':
                        f.cls = optarg;
                        break;
                case 'G':
                        f.signature = optarg;
                        break;
                case 'H':
                        f.host = optarg;
                        break;
                case 'j':
                        f.json = true;
                        break;
                case 'v':
                        log_set_level(LOGL_DEBUG);
                        break;
                case 'h':
                        list_usage(stdout, program);
                        return 0;
                default:
                        goto usage;
                }
        }
        for (int i = optind; i < argc; i++) {
                if (n_stores == ELEMENTSOF(stores))
                        goto usage;
                stores[n_stores++] = argv[i];
        }
        if (n_stores == 0)
                stores[n_stores++] = STORE_DEFAULT_PATH;
        size_t bad;
        int r = list_run(stores, n_stores, &f, &bad);
        return r < 0 ? 2 : bad > 0 ? 1 : 0;
usage:
        list_usage(stderr, program);
        return 64;
}
