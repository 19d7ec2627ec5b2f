/* Replays fuzz inputs through LLVMFuzzerTestOneInput without libFuzzer, so the
 * corpus (seeds and every crasher ever found) runs in the normal test suite.
 *
 * Usage: replay PATH...  (files, or directories whose regular files are
 * replayed in name order)
 * Exit codes: 0 all inputs ran; 1 an input could not be read, or no inputs
 * were found; 64 usage. A broken promise aborts (and sanitizers report). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io.h"
#include "util.h"

#define INPUT_MAX (16u << 20) /* bytes per input; libFuzzer's corpora are far smaller */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(int dirfd, const char *name, const char *shown)
{
        char *data = NULL;
        size_t len = 0;
        int truncated = 0;
        int r = read_file_at(dirfd, name, INPUT_MAX, &data, &len, &truncated);
        if (r < 0)
                return log_errno(r, "%s: %s", shown, strerror(-r));
        if (truncated) {
                free(data);
                return log_errno(EFBIG, "%s: larger than %u bytes", shown, INPUT_MAX);
        }
        log_debug("%s: %zu bytes", shown, len);
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        free(data);
        return 0;
}

static int only_files(const struct dirent *d) { return d->d_name[0] != '.'; }

/* Replays path (a file or a directory of files); returns inputs run or -errno. */
static int replay_path(const char *path)
{
        struct stat st;
        if (stat(path, &st) < 0)
                return log_errno(errno, "%s: %s", path, strerror(errno));
        if (!S_ISDIR(st.st_mode))
                return replay_file(AT_FDCWD, path, path) < 0 ? -EIO : 1;

        _cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return log_errno(errno, "%s: %s", path, strerror(errno));
        struct dirent **list = NULL;
        int n = scandir(path, &list, only_files, alphasort);
        if (n < 0)
                return log_errno(errno, "%s: %s", path, strerror(errno));
        int count = 0, failed = 0;
        for (int i = 0; i < n; i++) {
                char shown[4096];
                snprintf(shown, sizeof(shown), "%s/%s", path, list[i]->d_name);
                if (replay_file(dfd, list[i]->d_name, shown) < 0)
                        failed = 1;
                else
                        count++;
                free(list[i]);
        }
        free(list);
        return failed ? -EIO : count;
}

static int run(char **paths, int n)
{
        int total = 0;
        for (int i = 0; i < n; i++) {
                int r = replay_path(paths[i]);
                if (r < 0)
                        return 1;
                total += r;
        }
        if (total == 0) {
                log_error("no inputs found");
                return 1;
        }
        log_info("replayed %d inputs", total);
        return 0;
}

int main(int argc, char **argv)
{
        log_set_program("fuzz-replay");
        log_set_level(LOGL_ERR); /* the reader under test logs nothing; keep it quiet */
        if (argc < 2) {
                fprintf(stderr, "usage: %s PATH...\n", argv[0]);
                return 64;
        }
        if (getenv("FUZZ_REPLAY_VERBOSE"))
                log_set_level(LOGL_DEBUG);
        return run(argv + 1, argc - 1);
}
