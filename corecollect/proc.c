#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "meta.h"
#include "util.h"

#define PROC_FILE_MAX (4u << 20)

static int pidfd_pid(int pidfd, pid_t *ret)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
        _cleanup_free_ char *text = NULL;
        int r = read_file_at(AT_FDCWD, path, 64 << 10, &text, NULL, NULL);
        if (r < 0)
                return r;
        char *line = strstr(text, "\nPid:");
        if (!line)
                return -ENOTTY; /* not a pidfd */
        int pid;
        char *end = strchr(line + 5, '\n');
        if (end)
                *end = '\0';
        char *s = line + 5;
        while (*s == ' ' || *s == '\t')
                s++;
        r = parse_int(s, &pid);
        if (r < 0)
                return r;
        *ret = pid;
        return 0;
}

/* 0 when pidfd refers to pid, -ESRCH when to another process. */
static int pidfd_is(int pidfd, pid_t pid)
{
        pid_t got;
        int r = pidfd_pid(pidfd, &got);
        if (r < 0)
                return r;
        return got == pid ? 0 : -ESRCH;
}

int proc_open(pid_t pid, int pidfd, struct proc_info *ret)
{
        memset(ret, 0, sizeof(*ret));
        ret->dirfd = -1;
        if (pidfd >= 0) {
                int r = pidfd_is(pidfd, pid);
                if (r < 0)
                        return r;
        }
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d", (int)pid);
        _cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (dfd < 0)
                return -errno;
        if (pidfd >= 0) {
                /* Still the same process after opening: it cannot be reaped while
                 * the kernel waits for us, so the pid cannot have been reused. */
                int r = pidfd_is(pidfd, pid);
                if (r < 0)
                        return r;
                ret->pidfd_verified = true;
        }
        ret->dirfd = TAKE_FD(dfd);
        return 0;
}

static void add_file(struct proc_info *p, const char *member, char *data, size_t len)
{
        if (p->n_files >= ELEMENTSOF(p->files)) {
                free(data);
                return;
        }
        p->files[p->n_files++] = (struct proc_file){ member, data, len };
}

static void read_into(struct proc_info *p, const char *name, const char *member)
{
        char *data;
        size_t len;
        if (read_file_at(p->dirfd, name, PROC_FILE_MAX, &data, &len, NULL) == 0)
                add_file(p, member, data, len);
}

static void collect_environ(struct proc_info *p)
{
        char *data;
        size_t len;
        if (read_file_at(p->dirfd, "environ", PROC_FILE_MAX, &data, &len, NULL) < 0)
                return;
        struct strbuf sb;
        strbuf_init(&sb);
        if (p->env_filter)
                environ_redact(p->env_filter, data, len, &sb);
        else {
                struct environ_filter *f = NULL;
                if (environ_filter_defaults(&f) < 0)
                        f = NULL; /* then every value is redacted */
                environ_redact(f, data, len, &sb);
                environ_filter_free(f);
        }
        free(data);
        size_t olen;
        char *o = strbuf_steal(&sb, &olen);
        if (o)
                add_file(p, BUNDLE_PROC_ENVIRON, o, olen);
}

/* Runs line_of on every entry of the directory /proc/PID/DIR and stores the
 * lines it appends as the bundle member `member`. */
static void collect_dir_lines(struct proc_info *p, const char *dir, const char *member,
                              void (*line_of)(int dfd, const char *name, struct strbuf *sb))
{
        int fd = openat(p->dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return;
        DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return;
        }
        struct strbuf sb;
        strbuf_init(&sb);
        struct dirent *de;
        size_t count = 0;
        while ((de = readdir(d)) && count++ < 65536)
                if (de->d_name[0] != '.')
                        line_of(dirfd(d), de->d_name, &sb);
        closedir(d);
        size_t len;
        char *o = strbuf_steal(&sb, &len);
        if (o)
                add_file(p, member, o, len);
}

/* "FD TARGET" */
static void fd_line(int dfd, const char *name, struct strbuf *sb)
{
        char target[4096];
        ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);
        if (n < 0)
                return;
        target[n] = '\0';
        strbuf_printf(sb, "%s %s\n", name, target);
}

/* "TID NAME" from task/TID/comm */
static void task_line(int dfd, const char *name, struct strbuf *sb)
{
        char path[300];
        snprintf(path, sizeof(path), "%s/comm", name);
        char *comm;
        if (read_file_at(dfd, path, 64, &comm, NULL, NULL) < 0)
                return;
        comm[strcspn(comm, "\n")] = '\0';
        strbuf_printf(sb, "%s %s\n", name, comm);
        free(comm);
}

static void parse_cmdline(struct proc_info *p, const char *data, size_t len)
{
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
                if (data[i] == '\0')
                        n++;
        if (len > 0 && data[len - 1] != '\0')
                n++;
        p->argv = calloc(n + 1, sizeof(char *));
        if (!p->argv)
                return;
        size_t off = 0;
        while (off < len && p->argc < n) {
                size_t l = strnlen(data + off, len - off);
                p->argv[p->argc] = strndup(data + off, l);
                if (!p->argv[p->argc])
                        break;
                p->argc++;
                off += l + 1;
        }
}

/* The cgroup v2 path (line "0::PATH"), else the v1 memory controller's. */
static char *cgroup_path(const char *text)
{
        char *memory = NULL;
        for (const char *line = text; line && *line;) {
                size_t len = strcspn(line, "\n");
                if (strncmp(line, "0::", 3) == 0) {
                        free(memory);
                        return strndup(line + 3, len - 3);
                }
                const char *m = memmem(line, len, ":memory:", 8);
                if (m && !memory)
                        memory = strndup(m + 8, len - (size_t)(m + 8 - line));
                line = line[len] ? line + len + 1 : NULL;
        }
        return memory;
}

void proc_collect(struct proc_info *p)
{
        if (p->dirfd < 0)
                return;
        static const struct {
                const char *name, *member;
        } plain[] = {
                { "maps", BUNDLE_PROC_MAPS },     { "limits", BUNDLE_PROC_LIMITS },
                { "status", BUNDLE_PROC_STATUS }, { "cmdline", BUNDLE_PROC_CMDLINE },
                { "cgroup", BUNDLE_PROC_CGROUP }, { "mountinfo", BUNDLE_PROC_MOUNTINFO },
                { "auxv", BUNDLE_PROC_AUXV },
        };
        for (size_t i = 0; i < ELEMENTSOF(plain); i++)
                read_into(p, plain[i].name, plain[i].member);
        collect_dir_lines(p, "fd", BUNDLE_PROC_FDS, fd_line);
        collect_environ(p);
        collect_dir_lines(p, "task", BUNDLE_PROC_TASKS, task_line);

        char buf[4096];
        ssize_t n = readlinkat(p->dirfd, "exe", buf, sizeof(buf) - 1);
        if (n > 0) {
                buf[n] = '\0';
                p->exe = strdup(buf);
        }
        char *data;
        size_t len;
        if (read_file_at(p->dirfd, "comm", 256, &data, &len, NULL) == 0) {
                if (len > 0 && data[len - 1] == '\n')
                        data[len - 1] = '\0';
                p->comm = data;
        }
        for (size_t i = 0; i < p->n_files; i++) {
                if (strcmp(p->files[i].member, BUNDLE_PROC_CMDLINE) == 0)
                        parse_cmdline(p, p->files[i].data, p->files[i].len);
                if (strcmp(p->files[i].member, BUNDLE_PROC_CGROUP) == 0)
                        p->cgroup = cgroup_path(p->files[i].data);
        }
}

/* Opens a mapped file through map_files/START-END (the kernel names the
 * entries "%lx-%lx", without the zero padding /proc/PID/maps prints, so a
 * non-PIE executable at 0x400000 is "400000-41f000" there). O_NONBLOCK and
 * O_NOCTTY: a mapped device must not block the handler in open() nor become
 * its terminal; only regular files are kept. Returns the fd or -errno. */
int proc_open_mapped(int dirfd, const char *range, struct stat *ret_st)
{
        unsigned long long start, end;
        char tail;
        if (sscanf(range, "%llx-%llx%c", &start, &end, &tail) != 2)
                return -EINVAL;
        char name[64];
        snprintf(name, sizeof(name), "map_files/%llx-%llx", start, end);
        /* map_files/ hands us the very file that was mapped, even if the path
         * was replaced or deleted since: never open the path the process names. */
        int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return -errno;
        if (fstat(fd, ret_st) < 0 || !S_ISREG(ret_st->st_mode)) {
                close(fd);
                return -EBADFD;
        }
        return fd;
}

static void add_mapped(struct proc_info *p, size_t *cap, const char *path, const char *range,
                       bool executable)
{
        for (size_t i = 0; i < p->n_mapped; i++)
                if (strcmp(p->mapped[i].path, path) == 0)
                        return;
        struct stat st;
        int fd = proc_open_mapped(p->dirfd, range, &st);
        if (fd < 0)
                return;
        char id[2 * BUILD_ID_MAX + 1];
        if (elf_build_id(fd, id) < 0) {
                close(fd);
                return;
        }
        if (p->n_mapped == *cap) {
                size_t c = *cap ? *cap * 2 : 16;
                struct mapped_file *m = realloc(p->mapped, c * sizeof(*m));
                if (!m) {
                        close(fd);
                        return;
                }
                p->mapped = m;
                *cap = c;
        }
        struct mapped_file *m = &p->mapped[p->n_mapped];
        memset(m, 0, sizeof(*m));
        m->path = strdup(path);
        if (!m->path) {
                close(fd);
                return;
        }
        memcpy(m->build_id, id, sizeof(id));
        m->fd = fd;
        m->size = (uint64_t)st.st_size;
        m->executable = executable;
        p->n_mapped++;
}

void proc_collect_mapped(struct proc_info *p, uint64_t deadline_usec)
{
        const char *maps = NULL;
        for (size_t i = 0; i < p->n_files; i++)
                if (strcmp(p->files[i].member, BUNDLE_PROC_MAPS) == 0)
                        maps = p->files[i].data;
        if (!maps || p->dirfd < 0)
                return;
        size_t cap = 0;
        /* Two passes: the executable first, then every other mapped file whose
         * mapping at offset 0 we can open. */
        for (int pass = 0; pass < 2; pass++) {
                for (const char *line = maps; line && *line;) {
                        if (deadline_usec && now_usec() >= deadline_usec) {
                                log_warning("time budget spent while looking at mapped files: "
                                            "%zu found, the rest not stored", p->n_mapped);
                                return;
                        }
                        const char *nl = strchr(line, '\n');
                        size_t llen = nl ? (size_t)(nl - line) : strlen(line);
                        char buf[4200];
                        if (llen < sizeof(buf)) {
                                memcpy(buf, line, llen);
                                buf[llen] = '\0';
                                char range[64], perms[8], dev[16];
                                unsigned long long off, inode;
                                int pos = 0;
                                if (sscanf(buf, "%63s %7s %llx %15s %llu %n", range, perms, &off, dev,
                                           &inode, &pos) == 5 &&
                                    pos > 0 && buf[pos] == '/' && off == 0 && inode != 0) {
                                        const char *path = buf + pos;
                                        bool is_exe = p->exe && strcmp(path, p->exe) == 0;
                                        if ((pass == 0) == is_exe)
                                                add_mapped(p, &cap, path, range, is_exe);
                                }
                        }
                        line = nl ? nl + 1 : NULL;
                }
        }
}

struct bundle_mapped_file *proc_mapped_meta(const struct proc_info *p)
{
        struct bundle_mapped_file *mapped = calloc(p->n_mapped + 1, sizeof(*mapped));
        if (!mapped)
                return NULL;
        for (size_t i = 0; i < p->n_mapped; i++) {
                const struct mapped_file *f = &p->mapped[i];
                mapped[i] = (struct bundle_mapped_file){ .path = f->path,
                                                         .build_id = f->build_id[0] ? f->build_id : NULL,
                                                         .size = f->size,
                                                         .executable = f->executable,
                                                         .skipped = f->skipped };
        }
        return mapped;
}

void proc_info_free(struct proc_info *p)
{
        if (p->dirfd >= 0)
                close(p->dirfd);
        free(p->exe);
        free(p->comm);
        free(p->cgroup);
        for (size_t i = 0; i < p->argc; i++)
                free(p->argv[i]);
        free(p->argv);
        for (size_t i = 0; i < p->n_files; i++)
                free(p->files[i].data);
        for (size_t i = 0; i < p->n_mapped; i++) {
                free(p->mapped[i].path);
                if (p->mapped[i].fd >= 0)
                        close(p->mapped[i].fd);
        }
        free(p->mapped);
        memset(p, 0, sizeof(*p));
        p->dirfd = -1;
}
