/* Test helper: rewrites a bundle with members dropped, replaced or
 * relocated, through the project's own writer, so the result is a valid
 * seekable bundle.
 *
 *   rebundle IN OUT [--drop GLOB]... [--put NAME=FILE]... [--subst OLD=NEW]...
 *
 * --drop GLOB    leaves out the members matching GLOB (fnmatch, e.g. files/ and a star)
 * --put NAME=FILE  the member NAME gets FILE's bytes (added if absent)
 * --subst OLD=NEW  replaces every occurrence of OLD by NEW in the members
 *                outside files/ (core, meta.json, proc/maps, ...); both the
 *                same length, so that the core's NT_FILE note keeps its
 *                layout: moves the paths of a crash to where nothing is.
 * Exit 0, or 1 with a message. Small inputs only (test fixtures): every
 * member is read into memory. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "reader.h"
#include "util.h"
#include "writer.h"

#define MEMBER_MAX (1u << 30)
#define MAX_OPS 64

struct put {
        const char *name, *file;
        bool used;
};

static int die(const char *what, int e)
{
        fprintf(stderr, "rebundle: %s: %s\n", what, strerror(e < 0 ? -e : e));
        return 1;
}

static void substitute(char *buf, size_t len, char *const *subst, size_t n_subst)
{
        for (size_t k = 0; k < n_subst; k++) {
                const char *eq = strchr(subst[k], '=');
                size_t ol = (size_t)(eq - subst[k]);
                for (char *p = buf; (p = memmem(p, len - (size_t)(p - buf), subst[k], ol)); p += ol)
                        memcpy(p, eq + 1, ol);
        }
}

static int add_file(struct bundle_writer *w, const char *name, const char *file)
{
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = read_file_at(AT_FDCWD, file, MEMBER_MAX, &data, &len, NULL);
        if (r < 0)
                return die(file, r);
        r = bundle_writer_add(w, name, data, len, 0);
        return r < 0 ? die(name, r) : 0;
}

int main(int argc, char **argv)
{
        char *drop[MAX_OPS], *subst[MAX_OPS];
        struct put put[MAX_OPS];
        size_t n_drop = 0, n_subst = 0, n_put = 0;

        if (argc < 3) {
                fprintf(stderr, "usage: rebundle IN OUT [--drop GLOB]... [--put NAME=FILE]... [--subst OLD=NEW]...\n");
                return 1;
        }
        for (int i = 3; i < argc; i++) {
                if (i + 1 >= argc || n_drop == MAX_OPS || n_subst == MAX_OPS || n_put == MAX_OPS) {
                        fprintf(stderr, "rebundle: %s needs an argument (or too many options)\n", argv[i]);
                        return 1;
                }
                char *arg = argv[++i], *eq = strchr(arg, '=');
                if (strcmp(argv[i - 1], "--drop") == 0) {
                        drop[n_drop++] = arg;
                } else if (strcmp(argv[i - 1], "--put") == 0 && eq) {
                        *eq = '\0';
                        put[n_put++] = (struct put){ arg, eq + 1, false };
                } else if (strcmp(argv[i - 1], "--subst") == 0 && eq && eq > arg &&
                           strlen(eq + 1) == (size_t)(eq - arg)) {
                        subst[n_subst++] = arg;
                } else {
                        fprintf(stderr, "rebundle: bad option %s %s (--subst needs OLD=NEW of equal length)\n",
                                argv[i - 1], arg);
                        return 1;
                }
        }

        struct bundle_reader *in = NULL;
        int r = bundle_reader_open(argv[1], &in);
        if (r < 0)
                return die(argv[1], r);
        const struct bundle_member *members;
        size_t n;
        r = bundle_reader_members(in, &members, &n);
        if (r < 0)
                return die(argv[1], r);
        _cleanup_close_ int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
                return die(argv[2], errno);
        struct bundle_writer *w = NULL;
        r = bundle_writer_new(fd, &(struct bundle_writer_options){ .level = 1 }, &w);
        if (r < 0)
                return die("writer", r);

        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
                const char *name = members[i].name;
                bool dropped = false;
                for (size_t k = 0; k < n_drop; k++)
                        dropped |= fnmatch(drop[k], name, 0) == 0;
                struct put *p = NULL;
                for (size_t k = 0; k < n_put; k++)
                        if (strcmp(put[k].name, name) == 0)
                                p = &put[k];
                if (p) {
                        p->used = true;
                        rc = add_file(w, name, p->file);
                        continue;
                }
                if (dropped)
                        continue;
                _cleanup_free_ char *data = NULL;
                size_t len = 0;
                r = bundle_reader_read_member(in, name, MEMBER_MAX, &data, &len);
                if (r < 0)
                        return die(name, r);
                if (strncmp(name, "files/", 6) != 0)
                        substitute(data, len, subst, n_subst);
                r = bundle_writer_add(w, name, data, len, 0);
                if (r < 0)
                        rc = die(name, r);
        }
        for (size_t k = 0; k < n_put && rc == 0; k++)
                if (!put[k].used)
                        rc = add_file(w, put[k].name, put[k].file);
        if (rc == 0 && (r = bundle_writer_finish(w)) < 0)
                rc = die("finish", r);
        bundle_writer_free(w);
        bundle_reader_free(in);
        return rc;
}
