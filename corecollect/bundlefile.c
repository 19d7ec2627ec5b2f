#include "bundlefile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "capture.h"
#include "store.h"
#include "util.h"

#define HARD_GRACE_MS 30000 /* after the deadline, at least */

/* Signals. The first SIGTERM, SIGINT or SIGHUP asks the capture to stop:
 * blocking calls return EINTR (no SA_RESTART), the loops see capture_stop
 * and the capture fails through its normal path (temporary file removed,
 * rate-limit slot given back). SIGALRM comes at the time budget's deadline,
 * so that a read or open stuck on a mapped file returns; then again after
 * HARD_GRACE: if the capture is still running, and at a second stop signal,
 * the handler removes a named temporary file and exits at once. A bundle
 * written through O_TMPFILE has no name to leave behind: then the second
 * alarm is left fatal (SIG_DFL), since only a fatal signal ends some waits
 * (a read from a FUSE file whose server does not answer). */
static volatile sig_atomic_t capture_stop;
static volatile sig_atomic_t alarms;
static int cleanup_dirfd = -1;
static char cleanup_name[300];
static volatile sig_atomic_t cleanup_armed;

static _Noreturn void hard_exit(void)
{
        if (cleanup_armed)
                (void)unlinkat(cleanup_dirfd, cleanup_name, 0);
        _exit(CAPTURE_FAILED);
}

static void on_signal(int sig)
{
        if (sig == SIGALRM) {
                if (++alarms >= 2)
                        hard_exit();
                if (!cleanup_armed) {
                        /* nothing to remove: let the next alarm kill us, which also
                         * ends a wait only fatal signals break (a stalled FUSE read) */
                        struct sigaction dfl = { .sa_handler = SIG_DFL };
                        (void)sigaction(SIGALRM, &dfl, NULL);
                }
                return;
        }
        if (capture_stop)
                hard_exit();
        capture_stop = sig;
}

void capture_signals_setup(const struct config *cfg)
{
        struct sigaction sa = { .sa_handler = on_signal };
        sigemptyset(&sa.sa_mask);
        const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM };
        for (size_t i = 0; i < ELEMENTSOF(sigs); i++)
                (void)sigaction(sigs[i], &sa, NULL);
        /* errors, not deaths: a write past RLIMIT_FSIZE gets EFBIG */
        signal(SIGXFSZ, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        uint64_t budget_us = cfg->time_budget_ms * 1000;
        uint64_t grace_us = MAX(budget_us, (uint64_t)HARD_GRACE_MS * 1000);
        struct itimerval it = {
                .it_value = { (time_t)(budget_us / 1000000), (suseconds_t)(budget_us % 1000000) },
                .it_interval = { (time_t)(grace_us / 1000000), (suseconds_t)(grace_us % 1000000) },
        };
        if (budget_us == 0)
                it.it_value.tv_usec = 1;
        (void)setitimer(ITIMER_REAL, &it, NULL);
}

int capture_stopped(void)
{
        return capture_stop;
}

/* Creates the bundle file: unnamed (O_TMPFILE) where the filesystem can, so
 * that no death of the handler leaves anything behind; else a named
 * temporary file the signal handler knows to remove. */
int bundle_file_create(int sfd, const char *name, bool *ret_named)
{
        int fd = openat(sfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd >= 0) {
                *ret_named = false;
                return fd;
        }
        snprintf(cleanup_name, sizeof(cleanup_name), STORE_TMP_PREFIX "%s", name);
        cleanup_dirfd = sfd;
        fd = openat(sfd, cleanup_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        cleanup_armed = 1;
        /* the handler again: it removes this file before a hard exit */
        struct sigaction sa = { .sa_handler = on_signal };
        sigemptyset(&sa.sa_mask);
        (void)sigaction(SIGALRM, &sa, NULL);
        *ret_named = true;
        return fd;
}

/* Gives the finished bundle its name, adding a counter when an earlier crash
 * in the same second took the name. Never replaces a file. */
int bundle_file_name(int sfd, int fd, bool named, const char *name, char *final, size_t size)
{
        snprintf(final, size, "%s", name);
        for (int i = 1; i < 1000; i++) {
                int r;
                if (named)
                        r = renameat2(sfd, cleanup_name, sfd, final, RENAME_NOREPLACE);
                else {
                        r = linkat(fd, "", sfd, final, AT_EMPTY_PATH);
                        if (r < 0 && errno == ENOENT) {
                                /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: go through /proc */
                                char path[64];
                                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                                r = linkat(AT_FDCWD, path, sfd, final, AT_SYMLINK_FOLLOW);
                        }
                }
                if (r == 0) {
                        cleanup_armed = 0;
                        return 0;
                }
                if (errno != EEXIST)
                        return -errno;
                size_t base = strlen(name) - strlen(STORE_SUFFIX);
                snprintf(final, size, "%.*s.%d%s", (int)base, name, i, STORE_SUFFIX);
        }
        return -EEXIST;
}

void bundle_file_discard(void)
{
        if (cleanup_armed) {
                (void)unlinkat(cleanup_dirfd, cleanup_name, 0);
                cleanup_armed = 0;
        }
}
