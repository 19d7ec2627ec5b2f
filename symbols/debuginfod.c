/* The network part: libdebuginfod, which honours DEBUGINFOD_URLS,
 * DEBUGINFOD_CACHE_PATH, DEBUGINFOD_TIMEOUT (per-transfer inactivity) and
 * friends. We add a total time limit per lookup through the progress
 * callback, and stop asking after a failure that would only repeat. */
#include <elfutils/debuginfod.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dl.h"
#include "symbols-internal.h"
#include "util.h"

struct symbols_debuginfod {
        debuginfod_client *client;
        uint64_t started_usec;
        uint64_t deadline_usec; /* per lookup */
        bool timed_out;
        bool broken; /* don't ask again */
};

/* libdebuginfod, loaded on the first lookup rather than linked: its
 * constructor initializes libcurl and TLS, some 20 ms of CPU at every
 * start of coreinspect (also `trends`, which never asks a server). */
static struct {
        debuginfod_client *(*begin)(void);
        void (*end)(debuginfod_client *);
        void *(*get_user_data)(const debuginfod_client *);
        void (*set_user_data)(debuginfod_client *, void *);
        void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
        int (*find_source)(debuginfod_client *, const unsigned char *, int, const char *, char **);
        int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
        int (*find_executable)(debuginfod_client *, const unsigned char *, int, char **);
        const char *(*get_url)(debuginfod_client *);
} dbgi;

static bool load(void)
{
        static struct dl_once once = DL_ONCE_INIT;
        const struct dl_sym syms[] = {
                { (void **)&dbgi.begin, "debuginfod_begin" },
                { (void **)&dbgi.end, "debuginfod_end" },
                { (void **)&dbgi.get_user_data, "debuginfod_get_user_data" },
                { (void **)&dbgi.set_user_data, "debuginfod_set_user_data" },
                { (void **)&dbgi.set_progressfn, "debuginfod_set_progressfn" },
                { (void **)&dbgi.find_source, "debuginfod_find_source" },
                { (void **)&dbgi.find_debuginfo, "debuginfod_find_debuginfo" },
                { (void **)&dbgi.find_executable, "debuginfod_find_executable" },
                { (void **)&dbgi.get_url, "debuginfod_get_url" },
        };
        return dl_load_once(&once, "libdebuginfod.so.1", syms, ELEMENTSOF(syms), "not using debuginfod");
}

void symbols_debuginfod_free(struct symbols_debuginfod *d)
{
        if (!d)
                return;
        if (d->client)
                dbgi.end(d->client);
        free(d);
}

/* Called by libdebuginfod about once a second while it waits; nonzero
 * cancels the lookup. */
static int progress(debuginfod_client *c, long a, long b)
{
        struct symbols_debuginfod *d = dbgi.get_user_data(c);
        if (d && now_usec() - d->started_usec > d->deadline_usec) {
                d->timed_out = true;
                return 1;
        }
        return 0;
}

/* Replaces fd (consumed) by a read-only, close-on-exec descriptor of the
 * same file at offset 0. */
static int reopen_read_only(int fd)
{
        char p[64];
        snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
        int ro = open(p, O_RDONLY | O_CLOEXEC);
        if (ro >= 0) {
                close(fd);
                return ro;
        }
        /* No /proc: keep the descriptor, but still rewind it. */
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

static int get(struct symbols *s, struct symbols_debuginfod **ret)
{
        if (!s->debuginfod) {
                struct symbols_debuginfod *d = calloc(1, sizeof(*d));
                if (!d)
                        return -ENOMEM;
                d->deadline_usec = s->debuginfod_deadline_usec;
                d->client = load() ? dbgi.begin() : NULL;
                if (!d->client) {
                        log_debug("debuginfod_begin() failed; not using debuginfod");
                        d->broken = true;
                } else {
                        dbgi.set_user_data(d->client, d);
                        dbgi.set_progressfn(d->client, progress);
                }
                s->debuginfod = d;
        }
        *ret = s->debuginfod;
        return s->debuginfod->broken ? -ENOENT : 0;
}

/* The client, its clock started for one call. */
static int begin_call(struct symbols *s, struct symbols_debuginfod **ret)
{
        int r = get(s, ret);
        if (r < 0)
                return r;
        (*ret)->started_usec = now_usec();
        (*ret)->timed_out = false;
        return 0;
}

int symbols_debuginfod_find_source(struct symbols *s, const char *build_id, const char *source_path, int *ret_fd)
{
        struct symbols_debuginfod *d;
        char *path = NULL;
        int r = begin_call(s, &d);
        if (r < 0)
                return r;
        int fd = dbgi.find_source(d->client, (const unsigned char *)build_id, 0, source_path, &path);
        free(path);
        if (fd < 0) {
                if (fd != -ENOENT)
                        d->broken = true;
                return fd == -ENOMEM ? fd : -ENOENT;
        }
        r = reopen_read_only(fd);
        if (r < 0)
                return r;
        *ret_fd = r;
        return 0;
}

int symbols_debuginfod_find(struct symbols *s, const char *build_id, enum symbols_want want,
                            int *ret_fd, char **ret_where)
{
        struct symbols_debuginfod *d;
        char *path = NULL;
        int r = begin_call(s, &d);
        if (r < 0)
                return r;
        const unsigned char *id = (const unsigned char *)build_id;
        int fd = want == SYMBOLS_WANT_DEBUG ? dbgi.find_debuginfo(d->client, id, 0, &path)
                                            : dbgi.find_executable(d->client, id, 0, &path);
        if (fd < 0) {
                /* -ENOENT: no server has it. Anything else (timeout,
                 * refused, unreachable, cancelled by us) would only cost
                 * the same wait again for the next module. */
                if (fd != -ENOENT) {
                        log_debug("debuginfod: %s for %s: %s; not asking again", build_id,
                                  want == SYMBOLS_WANT_DEBUG ? "debuginfo" : "executable",
                                  d->timed_out ? "time limit reached" : strerror(-fd));
                        d->broken = true;
                }
                free(path);
                return fd == -ENOMEM ? fd : -ENOENT;
        }

        /* libdebuginfod hands out the descriptor it wrote the cache file
         * with: read-write, without O_CLOEXEC, at its end. Give the caller
         * a fresh read-only one at offset 0. */
        r = reopen_read_only(fd);
        if (r < 0) {
                free(path);
                return r;
        }
        fd = r;

        const char *url = dbgi.get_url(d->client);
        char *where = NULL;
        if (url && *url)
                where = strdup(url);
        else if (path)
                where = TAKE_PTR(path);
        else if (asprintf(&where, "debuginfod:%s", build_id) < 0)
                where = NULL;
        free(path);
        if (!where) {
                close(fd);
                return -ENOMEM;
        }
        *ret_fd = fd;
        *ret_where = where;
        return 0;
}
