/* coreinspect remove BUNDLE...: deletes bundles, like `rm`, but only files
 * that are bundles (a seek table and a meta.json), never through a
 * symlink. The store is root's: others get "permission denied", also for
 * bundles the ACL lets them read (reading a file is not owning its
 * directory entry). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "escape.h"
#include "reader.h"
#include "util.h"
#include "verbs.h"

static void remove_usage(FILE *f)
{
        fprintf(f, "Usage: coreinspect remove BUNDLE...\n"
                   "\n"
                   "Deletes each BUNDLE (only files that are bundles; a symlink is refused).\n"
                   "Bundles in a store are root's to remove.\n"
                   "\n"
                   "Exit codes: 0 all removed, 1 some not removed (one line each), 64 usage.\n");
}

/* 0, or -errno with *why for a file that is not a bundle. */
static int remove_one(const char *path, const char **why)
{
        *why = NULL;
        _cleanup_free_ char *a = strdup(path), *b = strdup(path);
        if (!a || !b)
                return -ENOMEM;
        const char *dir = dirname(a), *name = basename(b);
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ELOOP)
                        *why = "a symlink, not a bundle";
                return -errno;
        }
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                *why = "not a regular file";
                return -EINVAL;
        }
        struct bundle_reader *r = NULL;
        int e = bundle_reader_open_fd(fd, &r);
        const struct bundle_member *m;
        if (e == 0)
                e = bundle_reader_find(r, "meta.json", &m);
        bundle_reader_free(r);
        if (e < 0) {
                *why = "not a bundle (no seek table or no meta.json)";
                return -EINVAL;
        }
        return unlinkat(dfd, name, 0) < 0 ? -errno : 0;
}

int remove_main(int argc, char **argv)
{
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
                if (c == 'h') {
                        remove_usage(stdout);
                        return 0;
                }
                remove_usage(stderr);
                return EXIT_USAGE;
        }
        if (optind >= argc) {
                remove_usage(stderr);
                return EXIT_USAGE;
        }
        int rc = 0;
        for (int i = optind; i < argc; i++) {
                const char *why;
                int r = remove_one(argv[i], &why);
                if (r < 0) {
                        log_error("%s: not removed: %s%s", text_safe(argv[i]), why ? why : strerror(-r),
                                  r == -EACCES || r == -EPERM ? " (bundles in a store are root's to remove)" : "");
                        rc = 1;
                }
        }
        return rc;
}
