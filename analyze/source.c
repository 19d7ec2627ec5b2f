/* The crash frame's source lines (source.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "source.h"
#include "symbols.h"
#include "util.h"

#define SOURCE_FILE_MAX (64u << 20)

/* A line of at most SOURCE_LINE_MAX bytes, tabs to spaces (8 columns),
 * no line end. */
static char *clean_line(const char *s, size_t len)
{
        struct strbuf sb;
        strbuf_init(&sb);
        size_t col = 0;
        for (size_t i = 0; i < len && sb.len < SOURCE_LINE_MAX; i++) {
                if (s[i] == '\n' || (s[i] == '\r' && i + 1 == len))
                        break;
                if (s[i] == '\t') {
                        do
                                strbuf_append(&sb, " ", 1);
                        while (++col % 8);
                        continue;
                }
                strbuf_append(&sb, &s[i], 1);
                col++;
        }
        char *r = strbuf_steal(&sb, NULL);
        return r ? r : strdup("");
}

/* Lines line-2..line+2 of the open file fd (closed here). -ENOENT when it
 * is not a regular file or has fewer than `line` lines (another version of
 * the file: better nothing than the wrong line). */
static int read_lines(int fd, int line, struct source_lines *ret)
{
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > SOURCE_FILE_MAX) {
                close(fd);
                return -ENOENT;
        }
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
                (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        FILE *f = fdopen(fd, "r");
        if (!f) {
                close(fd);
                return -errno;
        }
        memset(ret, 0, sizeof(*ret));
        ret->first = line > SOURCE_CONTEXT ? line - SOURCE_CONTEXT : 1;
        char *buf = NULL;
        size_t cap = 0;
        ssize_t n;
        int no = 0;
        bool found = false;
        while (no < line + SOURCE_CONTEXT && (n = getline(&buf, &cap, f)) >= 0) {
                no++;
                if (no < ret->first)
                        continue;
                char *l = clean_line(buf, (size_t)n);
                if (!l)
                        break;
                ret->lines[ret->n++] = l;
                if (no == line)
                        found = true;
        }
        free(buf);
        fclose(f);
        if (!found) {
                for (size_t i = 0; i < ret->n; i++)
                        free(ret->lines[i]);
                ret->n = 0;
                return -ENOENT;
        }
        return 0;
}

static int try_path(const char *path, int line, struct source_lines *ret)
{
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        int r = read_lines(fd, line, ret);
        if (r == 0)
                ret->path = strdup(path);
        return r;
}

static int find_lines(const struct frame *f, const char *const *dirs, size_t n_dirs, struct symbols *sym,
                      struct source_lines *ret)
{
        const char *base = path_file_name(f->file);
        for (size_t i = 0; i < n_dirs; i++) {
                _cleanup_free_ char *a = NULL, *b = NULL;
                if (asprintf(&a, "%s%s%s", dirs[i], f->file[0] == '/' ? "" : "/", f->file) >= 0 &&
                    try_path(a, f->line, ret) == 0)
                        return 0;
                if (asprintf(&b, "%s/%s", dirs[i], base) >= 0 && try_path(b, f->line, ret) == 0)
                        return 0;
        }
        if (f->file[0] == '/' && try_path(f->file, f->line, ret) == 0)
                return 0;
        int fd;
        if (sym && f->build_id && symbols_find_source(sym, f->build_id, f->file, &fd) == 0 &&
            read_lines(fd, f->line, ret) == 0) {
                ret->path = strdup("debuginfod");
                return 0;
        }
        return -ENOENT;
}

void source_attach(struct report *r, const char *const *dirs, size_t n_dirs, struct symbols *sym)
{
        struct thread_report *t = NULL;
        for (size_t i = 0; i < r->n_threads && !t; i++)
                if (r->threads[i].crashed)
                        t = &r->threads[i];
        if (!t)
                return;
        struct frame *crash = NULL;
        const char *name = r->verdict.crash_frame;
        for (size_t k = 0; name && k < t->n_frames && !crash; k++)
                if (t->frames[k].function && strcmp(t->frames[k].function, name) == 0)
                        crash = &t->frames[k];
        for (size_t k = 0; !crash && k < t->n_frames; k++)
                if (t->frames[k].file && t->frames[k].line > 0)
                        crash = &t->frames[k];
        if (!crash || !crash->file || crash->line <= 0)
                return;
        struct source_lines sl;
        if (find_lines(crash, dirs, n_dirs, sym, &sl) < 0)
                return;
        crash->source = malloc(sizeof(sl));
        if (!crash->source) {
                free(sl.path);
                for (size_t i = 0; i < sl.n; i++)
                        free(sl.lines[i]);
                return;
        }
        *crash->source = sl;
}
