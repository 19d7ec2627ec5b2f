#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
#include "util.h"

/* The address space this process has mapped now, in bytes (0 unknown). */
static uint64_t mapped_bytes(void)
{
        FILE *f = fopen("/proc/self/statm", "re");
        unsigned long long pages = 0;
        if (!f)
                return 0;
        if (fscanf(f, "%llu", &pages) != 1)
                pages = 0;
        fclose(f);
        return pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* In the child: no core dump (the crash handler would capture our crash
 * into the very store being indexed), killed when the parent dies, and the
 * memory limit. Mapping beyond the inherited size is what the work may do:
 * under AddressSanitizer the inherited size is terabytes of shadow. */
static void child_setup(pid_t parent, const struct isolate_limits *lim)
{
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
                _exit(127);
        (void)prctl(PR_SET_DUMPABLE, 0);
        struct rlimit core = { 0, 0 };
        (void)setrlimit(RLIMIT_CORE, &core);
        if (lim->max_memory) {
                struct rlimit as;
                uint64_t want = mapped_bytes() + lim->max_memory;
                if (getrlimit(RLIMIT_AS, &as) == 0 && (as.rlim_cur == RLIM_INFINITY || want < as.rlim_cur)) {
                        as.rlim_cur = (rlim_t)want;
                        if (setrlimit(RLIMIT_AS, &as) < 0)
                                _exit(126);
                }
        }
}

/* The last line a child wrote on stderr, as it streams by, and the last
 * sanitizer "SUMMARY: " line (its last line is only "==PID==ABORTING"). */
struct last_line {
        char cur[512], last[512], summary[512];
        size_t cur_len;
};

static void last_line_feed(struct last_line *l, const char *buf, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                        if (l->cur_len) {
                                memcpy(l->last, l->cur, l->cur_len);
                                l->last[l->cur_len] = '\0';
                                if (strncmp(l->last, "SUMMARY: ", 9) == 0)
                                        memcpy(l->summary, l->last, l->cur_len + 1);
                        }
                        l->cur_len = 0;
                } else if (l->cur_len + 1 < sizeof(l->cur))
                        l->cur[l->cur_len++] = buf[i];
        }
}

static const char *last_line_get(struct last_line *l)
{
        if (l->cur_len) { /* a last line without its newline (a crash cut it) */
                memcpy(l->last, l->cur, l->cur_len);
                l->last[l->cur_len] = '\0';
                l->cur_len = 0;
        }
        return l->summary[0] ? l->summary : l->last;
}

/* Reads what the child sends until both pipes close, the deadline passes or
 * the output passes its limit; kills the child in the last two cases. */
struct collect {
        char *out;
        size_t out_len, out_cap;
        struct last_line err;
        bool timed_out, too_large;
};

static int collect(pid_t pid, int out_fd, int err_fd, const struct isolate_limits *lim, struct collect *c)
{
        struct pollfd p[2] = { { .fd = out_fd, .events = POLLIN }, { .fd = err_fd, .events = POLLIN } };
        uint64_t deadline = lim->timeout_ms ? now_usec() + lim->timeout_ms * 1000 : 0;
        while (p[0].fd >= 0 || p[1].fd >= 0) {
                int wait_ms = -1;
                if (deadline) {
                        uint64_t now = now_usec();
                        if (now >= deadline) {
                                c->timed_out = true;
                                break;
                        }
                        wait_ms = (int)MIN((deadline - now + 999) / 1000, (uint64_t)60000);
                }
                int r = poll(p, 2, wait_ms);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                for (int i = 0; i < 2; i++) {
                        if (p[i].fd < 0 || !p[i].revents)
                                continue;
                        char buf[8192];
                        ssize_t n = read(p[i].fd, buf, sizeof(buf));
                        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                                continue;
                        if (n <= 0) {
                                p[i].fd = -1;
                                continue;
                        }
                        if (i == 1) {
                                if (lim->pass_stderr)
                                        (void)write_full(STDERR_FILENO, buf, (size_t)n);
                                last_line_feed(&c->err, buf, (size_t)n);
                                continue;
                        }
                        if (c->out_len + (size_t)n > lim->max_output) {
                                c->too_large = true;
                                break;
                        }
                        if (c->out_len + (size_t)n + 1 > c->out_cap) {
                                size_t cap = MAX(c->out_cap * 2, c->out_len + (size_t)n + 1);
                                char *o = realloc(c->out, cap);
                                if (!o)
                                        return -ENOMEM;
                                c->out = o;
                                c->out_cap = cap;
                        }
                        memcpy(c->out + c->out_len, buf, (size_t)n);
                        c->out_len += (size_t)n;
                }
                if (c->too_large)
                        break;
        }
        if (c->timed_out || c->too_large)
                (void)kill(pid, SIGKILL);
        return 0;
}

static void describe(int status, struct collect *c, const struct isolate_limits *lim, struct isolate_result *ret)
{
        const char *last = last_line_get(&c->err);
        if (c->timed_out)
                snprintf(ret->reason, sizeof(ret->reason), "killed at the time limit (%llu s)",
                         (unsigned long long)(lim->timeout_ms / 1000));
        else if (c->too_large)
                snprintf(ret->reason, sizeof(ret->reason), "killed: more than %zu bytes of output",
                         lim->max_output);
        else if (WIFSIGNALED(status)) {
                const char *name = sigabbrev_np(WTERMSIG(status));
                snprintf(ret->reason, sizeof(ret->reason), "crashed: killed by SIG%s%s%s",
                         name ? name : "?", last[0] ? "; its last message: " : "", last);
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
                snprintf(ret->reason, sizeof(ret->reason), "cannot set the memory limit");
        else if (last[0])
                snprintf(ret->reason, sizeof(ret->reason), "%s", last);
        else
                snprintf(ret->reason, sizeof(ret->reason), "exit status %d",
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int isolate_run(int (*fn)(void *arg, int fd), void *arg, const struct isolate_limits *lim,
                struct isolate_result *ret)
{
        memset(ret, 0, sizeof(*ret));
        int out[2], err[2];
        if (pipe2(out, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(err, O_CLOEXEC) < 0) {
                int r = -errno;
                close(out[0]);
                close(out[1]);
                return r;
        }
        fflush(stdout);
        fflush(stderr);
        pid_t parent = getpid();
        pid_t pid = fork();
        if (pid == 0) {
                close(out[0]);
                close(err[0]);
                if (dup2(err[1], STDERR_FILENO) < 0)
                        _exit(127);
                child_setup(parent, lim);
                int r = fn(arg, out[1]);
                fflush(stdout);
                fflush(stderr);
                _exit(r & 0xff); /* no atexit handlers: they belong to the parent */
        }
        int r = pid < 0 ? -errno : 0;
        close(out[1]);
        close(err[1]);
        if (r < 0) {
                close(out[0]);
                close(err[0]);
                return r;
        }
        struct collect c = { 0 };
        r = collect(pid, out[0], err[0], lim, &c);
        if (r < 0)
                (void)kill(pid, SIGKILL);
        close(out[0]);
        close(err[0]);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (r < 0) {
                free(c.out);
                return r;
        }
        if (!c.timed_out && !c.too_large && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                if (!c.out && !(c.out = malloc(1)))
                        return -ENOMEM;
                c.out[c.out_len] = '\0';
                ret->output = c.out;
                ret->output_len = c.out_len;
                return 0;
        }
        free(c.out);
        describe(status, &c, lim, ret);
        return 1;
}

void isolate_result_free(struct isolate_result *r)
{
        free(r->output);
        r->output = NULL;
        r->output_len = 0;
}
