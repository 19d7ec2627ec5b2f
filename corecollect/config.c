#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io.h"
#include "reader.h"
#include "util.h"

void config_defaults(struct config *c)
{
        memset(c, 0, sizeof(*c));
        c->max_bundle = 4ULL << 30;
        c->max_core = 8ULL << 30;
        c->time_budget_ms = 120000;
        c->files_budget = 256ULL << 20;
        c->file_max = 128ULL << 20;
        c->kmsg_lines = 200;
        c->journal_seconds = 30;
        c->journal_lines = 500;
        c->frame_size = 2ULL << 20;
        c->level = 1;
        c->store_mode = 0755;
        c->max_store = 16ULL << 30;
        c->keep_free = 1ULL << 30;
        c->rate_burst = 10;
        c->rate_uid_burst = 30;
        c->rate_interval_s = 60;
        c->uid_max_store = 4ULL << 30;
        c->protect_age_s = 86400;
}

void config_free(struct config *c)
{
        free(c->store);
        free(c->journal_dir);
        free(c->environ_filter);
        free(c->prev_core_pattern);
        free(c->prev_core_pipe_limit);
        memset(c, 0, sizeof(*c));
}

static int set_str(char **dst, const char *v)
{
        char *s = strdup(v);
        if (!s)
                return -ENOMEM;
        free(*dst);
        *dst = s;
        return 0;
}

struct size_key {
        const char *name;
        size_t off;
        bool is_size; /* accepts K/M/G suffixes */
};

#define SK(n, s) { #n, offsetof(struct config, n), s }
static const struct size_key size_keys[] = {
        SK(max_bundle, true),   SK(max_core, true),        SK(time_budget_ms, false),
        SK(files_budget, true), SK(file_max, true),        SK(kmsg_lines, false),
        SK(journal_seconds, false), SK(journal_lines, false), SK(frame_size, true),
        SK(max_store, true),    SK(keep_free, true),       SK(rate_burst, false),
        SK(rate_interval_s, false), SK(workers, false),  SK(rate_uid_burst, false),
        SK(uid_max_store, true), SK(protect_age_s, false),
};

int config_set(struct config *c, const char *key, const char *value)
{
        if (strcmp(key, "store") == 0) {
                if (value[0] != '/')
                        return -EINVAL;
                return set_str(&c->store, value);
        }
        if (strcmp(key, "journal_dir") == 0)
                return set_str(&c->journal_dir, value);
        if (strcmp(key, "environ_filter") == 0) {
                if (value[0] != '/')
                        return -EINVAL;
                return set_str(&c->environ_filter, value);
        }
        if (strcmp(key, "prev_core_pattern") == 0)
                return set_str(&c->prev_core_pattern, value);
        if (strcmp(key, "prev_core_pipe_limit") == 0)
                return set_str(&c->prev_core_pipe_limit, value);
        if (strcmp(key, "store_mode") == 0) {
                /* owner rwx, nobody else may write: a mode store_open accepts */
                char *end;
                errno = 0;
                unsigned long m = strtoul(value, &end, 8);
                if (errno || end == value || *end || (m & ~0755UL) || (m & 0700) != 0700)
                        return -EINVAL;
                c->store_mode = (unsigned)m;
                return 0;
        }
        if (strcmp(key, "level") == 0) {
                int l;
                int r = parse_int(value, &l);
                if (r < 0 || l < 1 || l > 19)
                        return -EINVAL;
                c->level = l;
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(size_keys); i++) {
                if (strcmp(key, size_keys[i].name) != 0)
                        continue;
                uint64_t v;
                int r = size_keys[i].is_size ? parse_size(value, &v) : parse_u64(value, &v);
                if (r < 0)
                        return -EINVAL;
                /* a bundle of larger frames would be refused by readers */
                if (size_keys[i].off == offsetof(struct config, frame_size) &&
                    (v < 4096 || v > BUNDLE_FRAME_MAX))
                        return -ERANGE;
                *(uint64_t *)((char *)c + size_keys[i].off) = v;
                return 0;
        }
        return -EINVAL;
}

static int load_file(struct config *c, const char *path)
{
        _cleanup_free_ char *text = NULL;
        int r = read_file_at(AT_FDCWD, path, 1 << 20, &text, NULL, NULL);
        if (r < 0)
                return log_errno(r, "cannot read config %s: %s", path, strerror(-r));
        unsigned lineno = 0;
        for (char *line = text, *next; line && *line; line = next) {
                lineno++;
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                while (*line == ' ' || *line == '\t')
                        line++;
                if (*line == '\0' || *line == '#')
                        continue;
                char *eq = strchr(line, '=');
                if (!eq)
                        return log_errno(-EINVAL, "%s:%u: expected key=value", path, lineno);
                *eq = '\0';
                r = config_set(c, line, eq + 1);
                if (r < 0)
                        return log_errno(r, "%s:%u: bad setting '%s'", path, lineno, line);
        }
        return 0;
}

/* A drop-in directory or file is used only when root (or we) own it and no
 * one else may write it: the handler runs as root. */
static bool dropin_trusted(const struct stat *st)
{
        return (st->st_uid == 0 || st->st_uid == geteuid()) && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

int config_load(struct config *c, const char *path)
{
        int r = load_file(c, path);
        if (r < 0)
                return r;
        /* PATH.d/NAME.conf, in the order of their names, each overriding */
        _cleanup_free_ char *dir = NULL;
        if (asprintf(&dir, "%s.d", path) < 0)
                return -ENOMEM;
        struct stat st;
        if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
                return 0;
        if (!dropin_trusted(&st)) {
                log_warning("%s ignored: not owned by root or writable by others", dir);
                return 0;
        }
        struct dirent **names = NULL;
        int n = scandir(dir, &names, NULL, alphasort);
        if (n < 0)
                return 0;
        for (int i = 0; i < n; i++) {
                const char *name = names[i]->d_name;
                size_t l = strlen(name);
                _cleanup_free_ char *file = NULL;
                if (r == 0 && name[0] != '.' && l > 5 && strcmp(name + l - 5, ".conf") == 0 &&
                    asprintf(&file, "%s/%s", dir, name) >= 0 && lstat(file, &st) == 0 && S_ISREG(st.st_mode)) {
                        if (dropin_trusted(&st))
                                r = load_file(c, file);
                        else
                                log_warning("%s ignored: not owned by root or writable by others", file);
                }
                free(names[i]);
        }
        free(names);
        return r;
}

int config_save(const struct config *c, const char *path)
{
        struct strbuf sb;
        strbuf_init(&sb);
        strbuf_puts(&sb, "# written by corecollect install; read by corecollect capture\n");
        if (c->store)
                strbuf_printf(&sb, "store=%s\n", c->store);
        for (size_t i = 0; i < ELEMENTSOF(size_keys); i++)
                strbuf_printf(&sb, "%s=%" PRIu64 "\n", size_keys[i].name,
                              *(const uint64_t *)((const char *)c + size_keys[i].off));
        strbuf_printf(&sb, "level=%d\n", c->level);
        strbuf_printf(&sb, "store_mode=%04o\n", c->store_mode);
        if (c->journal_dir)
                strbuf_printf(&sb, "journal_dir=%s\n", c->journal_dir);
        if (c->environ_filter)
                strbuf_printf(&sb, "environ_filter=%s\n", c->environ_filter);
        if (c->prev_core_pattern)
                strbuf_printf(&sb, "prev_core_pattern=%s\n", c->prev_core_pattern);
        if (c->prev_core_pipe_limit)
                strbuf_printf(&sb, "prev_core_pipe_limit=%s\n", c->prev_core_pipe_limit);
        if (sb.oom) {
                strbuf_free(&sb);
                return -ENOMEM;
        }
        _cleanup_free_ char *tmp = NULL;
        if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0) {
                strbuf_free(&sb);
                return -ENOMEM;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) {
                strbuf_free(&sb);
                return -errno;
        }
        int r = write_full(fd, sb.data, sb.len);
        strbuf_free(&sb);
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        close(fd);
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        return r;
}
