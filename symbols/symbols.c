/* The lookup itself: which candidate files to try, in which order, and how
 * a bundle member becomes a file descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "io.h"
#include "meta.h"
#include "reader.h"
#include "symbols-internal.h"
#include "util.h"

#define DEFAULT_SYSTEM_DEBUG_DIR "/usr/lib/debug"
#define DEFAULT_DEBUGINFOD_DEADLINE_SEC 60

const char *symbols_source_name(enum symbols_source s)
{
        switch (s) {
        case SYMBOLS_NONE:
                return "none";
        case SYMBOLS_BUNDLE:
                return "bundle";
        case SYMBOLS_LOCAL:
                return "local";
        case SYMBOLS_SYSTEM_DEBUG:
                return "system-debug";
        case SYMBOLS_DEBUG_DIR:
                return "debug-dir";
        case SYMBOLS_DEBUGINFOD:
                return "debuginfod";
        case SYMBOLS_SELF:
                return "self";
        }
        return "unknown";
}

static int add_debug_dir(struct symbols *s, const char *dir, size_t len)
{
        if (len == 0)
                return 0;
        char **a = realloc(s->debug_dirs, (s->n_debug_dirs + 1) * sizeof(*a));
        if (!a)
                return -ENOMEM;
        s->debug_dirs = a;
        a[s->n_debug_dirs] = strndup(dir, len);
        if (!a[s->n_debug_dirs])
                return -ENOMEM;
        s->n_debug_dirs++;
        return 0;
}

int symbols_new(const struct symbols_options *o, struct symbols **ret)
{
        static const struct symbols_options defaults = { 0 };
        int r;

        if (!o)
                o = &defaults;
        struct symbols *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->bundle = o->bundle;
        s->bundle_only = o->bundle_only;
        s->debuginfod_deadline_usec = DEFAULT_DEBUGINFOD_DEADLINE_SEC * UINT64_C(1000000);

        const char *sys = o->system_debug_dir ? o->system_debug_dir : DEFAULT_SYSTEM_DEBUG_DIR;
        if (*sys && !(s->system_debug_dir = strdup(sys)))
                goto oom;

        for (size_t i = 0; i < o->n_debug_dirs; i++)
                if (o->debug_dirs[i] && (r = add_debug_dir(s, o->debug_dirs[i], strlen(o->debug_dirs[i]))) < 0)
                        goto fail;

        if (o->use_env) {
                const char *e = getenv("COREINSPECT_DEBUG_DIRS");
                while (e && *e) {
                        size_t len = strcspn(e, ":");
                        if ((r = add_debug_dir(s, e, len)) < 0)
                                goto fail;
                        e += len;
                        if (*e == ':')
                                e++;
                }

                const char *urls = getenv("DEBUGINFOD_URLS");
                s->use_debuginfod = urls && urls[strspn(urls, " \t\n")] != '\0';

                const char *dl = getenv("COREINSPECT_DEBUGINFOD_DEADLINE");
                uint64_t sec;
                if (dl && *dl) {
                        if (parse_u64(dl, &sec) < 0 || sec == 0 || sec > 86400)
                                log_warning("ignoring COREINSPECT_DEBUGINFOD_DEADLINE=%s (want seconds, 1..86400)", dl);
                        else
                                s->debuginfod_deadline_usec = sec * UINT64_C(1000000);
                }
        }

        *ret = s;
        return 0;
oom:
        r = -ENOMEM;
fail:
        symbols_free(s);
        return r;
}

bool symbols_bundle_only(const struct symbols *s) { return s && s->bundle_only; }

void symbols_free(struct symbols *s)
{
        if (!s)
                return;
        for (size_t i = 0; i < s->n_debug_dirs; i++)
                free(s->debug_dirs[i]);
        free(s->debug_dirs);
        free(s->system_debug_dir);
        symbols_debuginfod_free(s->debuginfod);
        free(s);
}

void symbols_found_clear(struct symbols_found *f)
{
        if (!f)
                return;
        if (f->fd >= 0)
                close(f->fd);
        free(f->where);
        *f = (struct symbols_found){ .fd = -1, .source = SYMBOLS_NONE };
}

/* Copies build_id to out in lowercase. 0 if absent, 1 if valid, -EINVAL. */
static int normalize_build_id(const char *build_id, char out[2 * SYMBOLS_BUILD_ID_MAX + 1])
{
        if (!build_id)
                return 0;
        size_t len = strlen(build_id);
        if (len < 2 || len > 2 * SYMBOLS_BUILD_ID_MAX || len % 2)
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                char c = build_id[i];
                if (c >= 'A' && c <= 'F')
                        c = (char)(c - 'A' + 'a');
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                        return -EINVAL;
                out[i] = c;
        }
        out[len] = '\0';
        return 1;
}

/* A regular file opened read-only. O_NONBLOCK so that a FIFO at a path
 * named by a foreign machine's maps cannot block us; cleared afterwards. */
static int open_regular(const char *path)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        struct stat st;

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -ENOENT;
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
                return -errno;
        return TAKE_FD(fd);
}

static int found(struct symbols_found *ret, int fd, char *where, enum symbols_source source)
{
        *ret = (struct symbols_found){ .fd = fd, .where = where, .source = source };
        return 0;
}

/* Tries one path. 0 and *ret filled, -ENOENT to go on, -ENOMEM. Takes
 * ownership of path (freed unless it ends up in ret->where). */
static int try_path(char *path, const char *build_id, enum symbols_want want,
                    enum symbols_source source, struct symbols_found *ret)
{
        _cleanup_free_ char *p = path;
        if (!p)
                return -ENOMEM;

        _cleanup_close_ int fd = open_regular(p);
        if (fd < 0) {
                if (fd != -ENOENT && fd != -ENOTDIR)
                        log_debug("%s: %s", p, strerror(-fd));
                return fd == -ENOMEM ? fd : -ENOENT;
        }
        int r = symbols_check_fd(fd, build_id, want);
        if (r < 0) {
                if (r == -ENOENT)
                        log_debug("%s: skipped (%s)", p,
                                  want == SYMBOLS_WANT_DEBUG ? "not the debug info we want" : "not the ELF we want");
                return r;
        }
        return found(ret, TAKE_FD(fd), TAKE_PTR(p), source);
}

static char *join3(const char *a, const char *b, const char *c)
{
        char *s;
        if (asprintf(&s, "%s%s%s", a, b, c) < 0)
                return NULL;
        return s;
}

/* ROOT/.build-id/xx/rest[.debug] */
static char *build_id_path(const char *root, const char *build_id, const char *suffix)
{
        char *s;
        if (asprintf(&s, "%s/.build-id/%.2s/%s%s", root, build_id, build_id + 2, suffix) < 0)
                return NULL;
        return s;
}

/* Copies the bundle member into a sealed memfd, positioned at 0. */
static int member_memfd(struct bundle_reader *b, const struct bundle_member *m, int *ret_fd)
{
        enum { CHUNK = 1 << 20 };
        _cleanup_close_ int fd = memfd_create(m->name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return -errno;
        _cleanup_free_ char *buf = malloc(CHUNK);
        if (!buf)
                return -ENOMEM;

        for (uint64_t done = 0; done < m->size;) {
                size_t want = (size_t)MIN((uint64_t)CHUNK, m->size - done);
                ssize_t n = bundle_reader_pread(b, buf, want, m->offset + done);
                if (n < 0)
                        return (int)n;
                if (n == 0)
                        return -EBADMSG;
                int r = write_full(fd, buf, (size_t)n);
                if (r < 0)
                        return r;
                done += (uint64_t)n;
        }
        /* Read-only from now on, for whoever we hand it to. */
        (void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
        if (lseek(fd, 0, SEEK_SET) < 0)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int try_bundle(struct symbols *s, const char *build_id, enum symbols_want want,
                      enum symbols_source source, struct symbols_found *ret)
{
        char name[sizeof(BUNDLE_FILES_PREFIX) + 2 * SYMBOLS_BUILD_ID_MAX];
        const struct bundle_member *m;
        _cleanup_close_ int fd = -1;
        int r;

        if (!s->bundle)
                return -ENOENT;
        snprintf(name, sizeof(name), BUNDLE_FILES_PREFIX "%s", build_id);
        r = bundle_reader_find(s->bundle, name, &m);
        if (r < 0)
                return r == -ENOMEM ? r : -ENOENT;
        r = member_memfd(s->bundle, m, &fd);
        if (r < 0) {
                log_debug("bundle:%s: %s", name, strerror(-r));
                return r == -ENOMEM ? r : -ENOENT;
        }
        r = symbols_check_fd(fd, build_id, want);
        if (r < 0)
                return r;
        char *where = join3("bundle:", name, "");
        if (!where)
                return -ENOMEM;
        return found(ret, TAKE_FD(fd), where, source);
}

/* Tries ROOT/.build-id/ID[.debug] in the system dir, then each debug dir. */
static int try_build_id_trees(struct symbols *s, const char *build_id, enum symbols_want want,
                              struct symbols_found *ret)
{
        const char *suffix = want == SYMBOLS_WANT_DEBUG ? ".debug" : "";
        int r;

        if (s->system_debug_dir) {
                r = try_path(build_id_path(s->system_debug_dir, build_id, suffix), build_id, want,
                             SYMBOLS_SYSTEM_DEBUG, ret);
                if (r != -ENOENT)
                        return r;
        }
        for (size_t i = 0; i < s->n_debug_dirs; i++) {
                r = try_path(build_id_path(s->debug_dirs[i], build_id, suffix), build_id, want,
                             SYMBOLS_DEBUG_DIR, ret);
                if (r != -ENOENT)
                        return r;
        }
        return -ENOENT;
}

static int try_debuginfod(struct symbols *s, const char *build_id, enum symbols_want want,
                          struct symbols_found *ret)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *where = NULL;

        if (!s->use_debuginfod || !build_id)
                return -ENOENT;
        int r = symbols_debuginfod_find(s, build_id, want, &fd, &where);
        if (r < 0)
                return r == -ENOMEM ? r : -ENOENT;
        r = symbols_check_fd(fd, build_id, want);
        if (r < 0) {
                log_debug("%s: served by debuginfod but skipped", where);
                return r;
        }
        return found(ret, TAKE_FD(fd), TAKE_PTR(where), SYMBOLS_DEBUGINFOD);
}

int symbols_find_elf(struct symbols *s, const char *build_id, const char *path,
                     struct symbols_found *ret)
{
        char idbuf[2 * SYMBOLS_BUILD_ID_MAX + 1];
        int r = normalize_build_id(build_id, idbuf);
        if (r < 0)
                return r;
        const char *id = r > 0 ? idbuf : NULL;
        if (!id && !(path && *path))
                return -EINVAL;

        if (id && (r = try_bundle(s, id, SYMBOLS_WANT_ELF, SYMBOLS_BUNDLE, ret)) != -ENOENT)
                return r;
        if (s->bundle_only)
                return -ENOENT;
        if (path && *path &&
            (r = try_path(strdup(path), id, SYMBOLS_WANT_ELF, SYMBOLS_LOCAL, ret)) != -ENOENT)
                return r;
        if (!id)
                return -ENOENT;
        if ((r = try_build_id_trees(s, id, SYMBOLS_WANT_ELF, ret)) != -ENOENT)
                return r;
        return try_debuginfod(s, id, SYMBOLS_WANT_ELF, ret);
}

/* A path with a ".." component could leave ROOT when put under it. */
static bool path_has_dotdot(const char *path)
{
        for (const char *p = path; (p = strstr(p, "..")); p += 2)
                if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
                        return true;
        return false;
}

static bool debuglink_valid(const char *debuglink)
{
        return debuglink && *debuglink && !strchr(debuglink, '/') && strcmp(debuglink, ".") != 0 &&
               strcmp(debuglink, "..") != 0;
}

/* The .gnu_debuglink places, as gdb searches them: next to path, in its
 * .debug/, then ROOT/dirname(path)/ for the system and each debug dir. */
static int try_debuglink(struct symbols *s, const char *build_id, const char *path,
                         const char *debuglink, struct symbols_found *ret)
{
        int r;

        const char *slash = strrchr(path, '/');
        _cleanup_free_ char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
        if (!dir)
                return -ENOMEM;

        char *next_to = join3(slash ? dir : ".", "/", debuglink);
        if (next_to && strcmp(next_to, path) == 0) { /* the file itself: not separate */
                free(next_to);
        } else if ((r = try_path(next_to, build_id, SYMBOLS_WANT_DEBUG, SYMBOLS_LOCAL, ret)) != -ENOENT)
                return r;

        _cleanup_free_ char *dotdebug = join3(dir, "/.debug/", "");
        if (!dotdebug)
                return -ENOMEM;
        if ((r = try_path(join3(dotdebug, debuglink, ""), build_id, SYMBOLS_WANT_DEBUG, SYMBOLS_LOCAL,
                          ret)) != -ENOENT)
                return r;

        /* Under a root only for absolute, clean paths: "/usr/bin" -> ROOT/usr/bin/NAME. */
        if (path[0] != '/' || path_has_dotdot(path))
                return -ENOENT;
        _cleanup_free_ char *rel = join3(dir, "/", debuglink);
        if (!rel)
                return -ENOMEM;
        if (s->system_debug_dir &&
            (r = try_path(join3(s->system_debug_dir, "", rel), build_id, SYMBOLS_WANT_DEBUG,
                          SYMBOLS_SYSTEM_DEBUG, ret)) != -ENOENT)
                return r;
        for (size_t i = 0; i < s->n_debug_dirs; i++)
                if ((r = try_path(join3(s->debug_dirs[i], "", rel), build_id, SYMBOLS_WANT_DEBUG,
                                  SYMBOLS_DEBUG_DIR, ret)) != -ENOENT)
                        return r;
        return -ENOENT;
}

int symbols_find_debuginfo(struct symbols *s, const char *build_id, const char *path,
                           const char *debuglink, struct symbols_found *ret)
{
        char idbuf[2 * SYMBOLS_BUILD_ID_MAX + 1];
        int r = normalize_build_id(build_id, idbuf);
        if (r < 0)
                return r;
        const char *id = r > 0 ? idbuf : NULL;
        bool have_path = path && *path;
        if (!id && !have_path)
                return -EINVAL;

        /* The ELF itself, when it was not stripped. */
        if (id && (r = try_bundle(s, id, SYMBOLS_WANT_DEBUG, SYMBOLS_SELF, ret)) != -ENOENT)
                return r;
        if (s->bundle_only)
                return -ENOENT;
        if (have_path &&
            (r = try_path(strdup(path), id, SYMBOLS_WANT_DEBUG, SYMBOLS_SELF, ret)) != -ENOENT)
                return r;

        if (id && (r = try_build_id_trees(s, id, SYMBOLS_WANT_DEBUG, ret)) != -ENOENT)
                return r;
        if (have_path && debuglink) {
                if (!debuglink_valid(debuglink))
                        log_debug("ignoring debuglink '%s': not a plain file name", debuglink);
                else if ((r = try_debuglink(s, id, path, debuglink, ret)) != -ENOENT)
                        return r;
        }
        return try_debuginfod(s, id, SYMBOLS_WANT_DEBUG, ret);
}
