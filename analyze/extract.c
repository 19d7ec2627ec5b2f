/* Core, members and sysroot of an input written to disk (extract.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "escape.h"
#include "extract.h"
#include "io.h"
#include "reader.h"
#include "util.h"

volatile sig_atomic_t extract_interrupted;

int extract_open_input(const char *path, struct input **ret)
{
        const char *why = NULL;
        int r = input_open(path, 4ULL << 30, ret, &why);
        if (r < 0) {
                log_error("%s: %s", text_safe(path), why ? why : strerror(-r));
                return r == -EFBIG ? EXIT_TOO_LARGE : EXIT_BAD_INPUT;
        }
        return 0;
}

#define CHUNK (1u << 20)
#define HOLE_BLOCK 4096u

/* Writes len bytes at off: zero blocks are skipped when sparse. */
static int write_chunk(int fd, bool sparse, const uint8_t *buf, size_t len, uint64_t off)
{
        if (!sparse)
                return write_full(fd, buf, len);
        size_t i = 0;
        while (i < len) {
                size_t n = MIN(HOLE_BLOCK, len - i);
                if (mem_is_zero(buf + i, n)) {
                        i += n;
                        continue;
                }
                /* a run of non-zero blocks goes out in one write */
                size_t j = i + n;
                while (j < len) {
                        size_t m = MIN(HOLE_BLOCK, len - j);
                        if (mem_is_zero(buf + j, m))
                                break;
                        j += m;
                }
                int r = pwrite_full(fd, buf + i, j - i, off + i);
                if (r < 0)
                        return r;
                i = j;
        }
        return 0;
}

static void show_progress(bool on, uint64_t done, uint64_t total)
{
        if (on && total)
                fprintf(stderr, "\rdumping: %" PRIu64 " of %" PRIu64 " MiB (%u%%)", done >> 20, total >> 20,
                        (unsigned)(done * 100 / total));
}

/* Copies size bytes from read(at off + k) to fd. */
static int copy_out(struct input *in, bool core, uint64_t off, uint64_t size, int fd, bool progress)
{
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        bool sparse = S_ISREG(st.st_mode);
        uint64_t base = 0;
        if (sparse) {
                off_t p = lseek(fd, 0, SEEK_CUR);
                if (p < 0)
                        return -errno;
                base = (uint64_t)p;
        }
        progress = progress && size >= (64u << 20) && isatty(STDERR_FILENO);
        _cleanup_free_ uint8_t *buf = malloc(CHUNK);
        if (!buf)
                return -ENOMEM;
        uint64_t done = 0, last = 0;
        while (done < size) {
                if (extract_interrupted)
                        return -EINTR;
                size_t want = (size_t)MIN((uint64_t)CHUNK, size - done);
                ssize_t n = core ? input_pread_core(in, buf, want, off + done)
                                 : bundle_reader_pread(in->bundle, buf, want, off + done);
                if (n < 0)
                        return (int)n;
                if (n == 0)
                        return -EBADMSG; /* the stream ends inside the member */
                int r = write_chunk(fd, sparse, buf, (size_t)n, base + done);
                if (r < 0)
                        return r;
                done += (uint64_t)n;
                if (done - last >= (32u << 20)) {
                        show_progress(progress, done, size);
                        last = done;
                }
        }
        if (progress)
                fprintf(stderr, "\r\033[K");
        if (sparse) {
                if (ftruncate(fd, (off_t)(base + size)) < 0)
                        return -errno;
                if (lseek(fd, (off_t)(base + size), SEEK_SET) < 0)
                        return -errno;
        }
        return 0;
}

int extract_core(struct input *in, int fd, bool progress)
{
        if (!in->has_core)
                return -ENOENT;
        /* input_pread_core takes offsets within the core */
        return copy_out(in, true, 0, in->core_size, fd, progress);
}

int extract_member(struct input *in, const char *name, int fd, bool progress)
{
        if (in->kind != INPUT_BUNDLE)
                return -EINVAL;
        const struct bundle_member *m;
        int r = bundle_reader_find(in->bundle, name, &m);
        if (r < 0)
                return r;
        return copy_out(in, false, m->offset, m->size, fd, progress);
}

/* Opens (creating) the directory name under dirfd, never through a
 * symlink. */
static int open_subdir(int dirfd, const char *name)
{
        if (mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST)
                return -errno;
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

/* Creates the file at rel (a relative path of checked components, '/'
 * separated) under dirfd with the member's bytes. -EINVAL for a path that is not
 * plain, -EEXIST when present. */
static int place_file(struct input *in, int dirfd, const char *rel, const char *member)
{
        _cleanup_free_ char *copy = strdup(rel);
        if (!copy)
                return -ENOMEM;
        _cleanup_close_ int dfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return -errno;
        char *p = copy;
        for (;;) {
                while (*p == '/')
                        p++;
                char *slash = strchr(p, '/');
                if (slash)
                        *slash = '\0';
                size_t len = strlen(p);
                if (len == 0 || len > NAME_MAX || strcmp(p, ".") == 0 || strcmp(p, "..") == 0)
                        return -EINVAL;
                if (!slash || slash[1 + strspn(slash + 1, "/")] == '\0') {
                        _cleanup_close_ int fd = openat(dfd, p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                        if (fd < 0)
                                return -errno;
                        int r = extract_member(in, member, fd, false);
                        if (r < 0)
                                unlinkat(dfd, p, 0);
                        return r;
                }
                int sub = open_subdir(dfd, p);
                if (sub < 0)
                        return sub;
                close(dfd);
                dfd = sub;
                p = slash + 1;
        }
}

/* A build-id as meta.json writes it: lowercase hex, 2 to 64 digits. */
static bool build_id_ok(const char *s)
{
        size_t n = s ? strlen(s) : 0;
        return n >= 2 && n <= 64 && strspn(s, "0123456789abcdef") == n;
}

int extract_sysroot(struct input *in, int dirfd, char **ret_exe, struct strbuf *dirs)
{
        *ret_exe = NULL;
        if (in->kind != INPUT_BUNDLE)
                return 0;
        if (!in->has_meta)
                return 0;
        const struct bundle_meta *meta = &in->meta;
        const char *exe = meta->exe;
        int placed = 0, r = 0;
        for (size_t i = 0; i < meta->n_mapped && r >= 0; i++) {
                const char *path = meta->mapped[i].path, *id = meta->mapped[i].build_id;
                if (!path || path[0] != '/' || !build_id_ok(id))
                        continue;
                char member[96], rootpath[PATH_MAX];
                snprintf(member, sizeof(member), "files/%s", id);
                const struct bundle_member *m;
                if (bundle_reader_find(in->bundle, member, &m) < 0)
                        continue;
                if ((size_t)snprintf(rootpath, sizeof(rootpath), "root%s", path) >= sizeof(rootpath))
                        continue;
                int q = place_file(in, dirfd, rootpath, member);
                if (q == -EINTR || q == -ENOSPC || q == -EIO || q == -ENOMEM) {
                        r = q;
                        break;
                }
                if (q < 0) {
                        log_debug("sysroot: %s left out: %s", path, strerror(-q));
                        continue;
                }
                placed++;
                if (dirs) {
                        /* "root/a/b/file" -> "root/a/b\n", once */
                        size_t dl = (size_t)(strrchr(rootpath, '/') - rootpath);
                        bool seen = false;
                        for (size_t o = 0; o < dirs->len && !seen;) {
                                const char *nl = memchr(dirs->data + o, '\n', dirs->len - o);
                                size_t l = (size_t)(nl - (dirs->data + o));
                                seen = l == dl && memcmp(dirs->data + o, rootpath, dl) == 0;
                                o += l + 1;
                        }
                        if (!seen) {
                                strbuf_append(dirs, rootpath, dl);
                                strbuf_append(dirs, "\n", 1);
                        }
                }
                if (exe && !*ret_exe && strcmp(exe, path) == 0) {
                        *ret_exe = strdup(rootpath);
                        if (!*ret_exe)
                                r = -ENOMEM;
                }
        }
        if (r < 0) {
                free(*ret_exe);
                *ret_exe = NULL;
                return r;
        }
        return placed;
}

int extract_mkdtemp(const char *prefix, char **ret)
{
        const char *t = getenv("TMPDIR");
        if (!t || t[0] != '/')
                t = "/var/tmp";
        char *p;
        if (asprintf(&p, "%s/%s.XXXXXX", t, prefix) < 0)
                return -ENOMEM;
        if (!mkdtemp(p)) {
                int e = -errno;
                free(p);
                return e;
        }
        *ret = p;
        return 0;
}

static int rm_rf_at(int parent, const char *name)
{
        int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return unlinkat(parent, name, 0) < 0 && errno != ENOENT ? -errno : 0;
        DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return -errno;
        }
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                int q = de->d_type == DT_DIR || de->d_type == DT_UNKNOWN ? rm_rf_at(dirfd(d), de->d_name)
                                                                        : (unlinkat(dirfd(d), de->d_name, 0) < 0 ? -errno : 0);
                if (q < 0 && r == 0)
                        r = q;
        }
        closedir(d);
        if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT && r == 0)
                r = -errno;
        return r;
}

int extract_rm_rf(const char *path)
{
        return rm_rf_at(AT_FDCWD, path);
}
