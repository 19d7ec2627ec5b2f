#include "capture.h"
#include "access.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "bundlefile.h"
#include "elfinfo.h"
#include "io.h"
#include "logs.h"
#include "meta.h"
#include "packages.h"
#include "proc.h"
#include "ratelimit.h"
#include "store.h"
#include "util.h"
#include "writer.h"

#define IO_CHUNK (1u << 20)
#define HEAD_MAX (32u << 20)
#define DROPPED_MAX 256

struct core_result {
        uint64_t size;      /* member size */
        uint64_t received;  /* bytes read from the pipe */
        uint64_t kept;      /* bytes of the core stored as received */
        uint64_t padded;    /* zeros written in place of missing bytes */
        uint64_t extra;     /* bytes after the end the headers announce */
        bool elf;
        bool truncated;
        const char *reason; /* first reason for truncation */
        struct bundle_dropped dropped[DROPPED_MAX];
        size_t n_dropped;
        uint64_t dropped_bytes;
};

struct capture {
        const struct config *cfg;
        const struct capture_args *a;
        uint64_t start_usec;
        uint64_t deadline_usec;
        uint64_t core_start_usec; /* phases, for index.json */
        uint64_t core_end_usec;
        struct bundle_writer *w;
        uint8_t *buf;
        struct core_result core;
        bool input_done; /* EOF, deadline or error: read no more */
        bool rlimit_cut; /* the core member ends at RLIMIT_CORE */
        bool no_core;    /* RLIMIT_CORE below CORE_LIMIT_MIN: no core, no files */
};

static void mark_truncated(struct core_result *c, const char *reason)
{
        if (!c->truncated)
                c->reason = reason;
        c->truncated = true;
}

/* read() with the capture deadline: returns bytes, 0 at EOF, -ETIME when the
 * deadline passed. */
static ssize_t read_deadline(struct capture *c, void *buf, size_t len)
{
        for (;;) {
                if (capture_stopped())
                        return -ECANCELED;
                uint64_t now = now_usec();
                if (now >= c->deadline_usec)
                        return -ETIME;
                /* the input is non-blocking (see prepare_input): poll only
                 * when the pipe is empty, not before every read */
                ssize_t n = read(c->a->input_fd, buf, len);
                if (n >= 0)
                        return n;
                if (errno == EINTR)
                        continue;
                if (errno != EAGAIN)
                        return -errno;
                struct pollfd pfd = { .fd = c->a->input_fd, .events = POLLIN };
                uint64_t left_ms = (c->deadline_usec - now + 999) / 1000;
                int r = poll(&pfd, 1, (int)MIN(left_ms, (uint64_t)INT32_MAX));
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (r == 0)
                        return -ETIME;
        }
}

/* Makes reads from the core pipe cheap: non-blocking (read first, poll only
 * when it is empty) and a 1 MiB pipe buffer, so the kernel can run ahead
 * while a frame is being compressed and each read moves more bytes. Both
 * are best effort: a file or a pipe that refuses works as before. */
static void prepare_input(int fd)
{
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0 && !(fl & O_NONBLOCK))
                (void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        (void)fcntl(fd, F_SETPIPE_SZ, (int)IO_CHUNK);
}

/* Compression threads: the configured number, or the online CPUs (at most 4). */
static int compression_workers(const struct config *cfg)
{
        if (cfg->workers > 0)
                return (int)MIN(cfg->workers, (uint64_t)16);
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n > 1 ? (int)MIN(n, 4L) : 1;
}

static void note_read_end(struct capture *c, ssize_t n)
{
        c->input_done = true;
        if (n == 0)
                mark_truncated(&c->core, "core-short");
        else if (n == -ETIME)
                mark_truncated(&c->core, "time-budget");
        else
                mark_truncated(&c->core, "read-error");
}

/* Reads the core's head: the ELF header, program headers and notes. Leaves
 * them in *ret_head (*ret_len bytes) and parses them into h when possible.
 * Returns 1 at a clean parse, 0 when the input ended or is not an ELF core
 * (then the bytes read are still in the head), -errno on allocation failure. */
static int read_head(struct capture *c, uint8_t **ret_head, size_t *ret_len,
                     struct core_head *h)
{
        size_t cap = 64u << 10, len = 0;
        uint8_t *head = malloc(cap);
        if (!head)
                return -ENOMEM;
        uint64_t need = EI_NIDENT;
        for (;;) {
                while (len < need) {
                        if (need > cap) {
                                size_t ncap = cap;
                                while (ncap < need)
                                        ncap *= 2;
                                uint8_t *nh = realloc(head, ncap);
                                if (!nh) {
                                        free(head);
                                        return -ENOMEM;
                                }
                                head = nh;
                                cap = ncap;
                        }
                        ssize_t n = read_deadline(c, head + len, cap - len);
                        if (n == -ECANCELED) {
                                free(head);
                                return (int)n;
                        }
                        if (n <= 0) {
                                note_read_end(c, n);
                                *ret_head = head;
                                *ret_len = len;
                                return 0;
                        }
                        len += (size_t)n;
                        c->core.received += (uint64_t)n;
                }
                int r = core_head_need(head, len, &need);
                if (r == -EAGAIN) {
                        need = len + 1;
                        continue;
                }
                if (r < 0) {
                        mark_truncated(&c->core, "not-an-elf-core");
                        c->input_done = true;
                        *ret_head = head;
                        *ret_len = len;
                        return 0;
                }
                if (need > HEAD_MAX)
                        need = HEAD_MAX; /* notes too large to look at; parse without */
                if (len >= need)
                        break;
        }
        int r = core_head_parse(head, len, h);
        *ret_head = head;
        *ret_len = len;
        if (r < 0) {
                mark_truncated(&c->core, "bad-core-headers");
                return r == -ENOMEM ? r : 0;
        }
        return 1;
}

/* Writes len bytes of data (or zeros when data is NULL) into the core member. */
static int core_put(struct capture *c, const void *data, size_t len)
{
        if (data)
                return bundle_writer_write(c->w, data, len);
        while (len > 0) {
                size_t n = MIN(len, (size_t)IO_CHUNK);
                memset(c->buf, 0, n);
                int r = bundle_writer_write(c->w, c->buf, n);
                if (r < 0)
                        return r;
                len -= n;
        }
        return 0;
}

static void add_dropped(struct core_result *r, const struct core_segment *s, const char *why)
{
        if (r->n_dropped < DROPPED_MAX)
                r->dropped[r->n_dropped++] = (struct bundle_dropped){ s->offset, s->vaddr, s->filesz, why };
        r->dropped_bytes += s->filesz;
        mark_truncated(r, why);
}

/* Decides whether segment i is stored or replaced by zeros. Stacks are kept
 * first; other segments while they fit the core and bundle budgets. */
static bool keep_segment(struct capture *c, const struct core_head *h, size_t i,
                         uint64_t stack_after)
{
        const struct core_segment *s = &h->segs[i];
        if (s->is_stack)
                return true;
        if (c->core.kept + s->filesz + stack_after > c->cfg->max_core) {
                add_dropped(&c->core, s, "max-core");
                return false;
        }
        /* Compressed size is only known after the fact: stop taking big
         * segments once the bundle is near its budget. */
        uint64_t slack = (4u << 20) + stack_after / 4;
        if (bundle_writer_compressed(c->w) + slack > c->cfg->max_bundle) {
                add_dropped(&c->core, s, "max-bundle");
                return false;
        }
        return true;
}

static int stream_core(struct capture *c)
{
        struct core_result *res = &c->core;
        _cleanup_free_ uint8_t *head = NULL;
        size_t head_len = 0;
        struct core_head h = { 0 };
        int r = read_head(c, &head, &head_len, &h);
        if (r < 0)
                return r;
        res->elf = r == 1;
        if (res->elf)
                res->size = h.size_known ? h.total_size : MAX(c->cfg->max_core, (uint64_t)head_len);
        else
                res->size = head_len;
        if (res->elf && !h.size_known)
                mark_truncated(res, "size-unknown-pn-xnum");
        if (res->size > c->a->core_limit) {
                /* RLIMIT_CORE: the kernel stops a core file there; so do we */
                res->size = c->a->core_limit;
                mark_truncated(res, "rlimit");
                c->rlimit_cut = true;
        }

        r = bundle_writer_begin(c->w, BUNDLE_CORE, res->size, (time_t)c->a->time);
        if (r < 0)
                goto out;
        size_t first = (size_t)MIN((uint64_t)head_len, res->size);
        r = core_put(c, head, first);
        if (r < 0)
                goto out;
        res->kept += first;
        uint64_t pos = first;
        if (head_len > first)
                res->extra += head_len - first;

        /* stack bytes in segments after each index, reserved ahead of them */
        uint64_t stack_after = 0;
        for (size_t i = 0; i < h.n_segs; i++)
                if (h.segs[i].is_stack)
                        stack_after += h.segs[i].filesz;

        size_t si = 0;
        ssize_t decided = -1;
        bool seg_keep = true;
        while (pos < res->size && !c->input_done) {
                uint64_t region_end;
                bool keep = true;
                while (si < h.n_segs && pos >= h.segs[si].offset + h.segs[si].filesz)
                        si++;
                if (si < h.n_segs && pos >= h.segs[si].offset) {
                        const struct core_segment *s = &h.segs[si];
                        if ((ssize_t)si != decided) {
                                decided = (ssize_t)si;
                                if (s->is_stack)
                                        stack_after -= s->filesz;
                                seg_keep = keep_segment(c, &h, si, stack_after);
                        }
                        keep = seg_keep;
                        region_end = s->offset + s->filesz;
                } else {
                        region_end = si < h.n_segs ? h.segs[si].offset : res->size;
                }
                region_end = MIN(region_end, res->size);
                size_t want = (size_t)MIN(region_end - pos, (uint64_t)IO_CHUNK);
                /* kept bytes go straight from the pipe into the frame buffer */
                void *dst = c->buf;
                if (keep) {
                        size_t room;
                        r = bundle_writer_reserve(c->w, &dst, &room);
                        if (r < 0)
                                goto out;
                        want = MIN(want, room);
                }
                ssize_t n = read_deadline(c, dst, want);
                if (n == -ECANCELED) {
                        r = (int)n;
                        goto out;
                }
                if (n <= 0) {
                        note_read_end(c, n);
                        break;
                }
                res->received += (uint64_t)n;
                if (keep && si < h.n_segs && !h.segs[si].is_stack && pos >= h.segs[si].offset &&
                    bundle_writer_compressed(c->w) > c->cfg->max_bundle) {
                        /* over the hard limit in the middle of a segment */
                        struct core_segment rest = h.segs[si];
                        rest.filesz = rest.offset + rest.filesz - pos;
                        rest.vaddr += pos - rest.offset;
                        rest.offset = pos;
                        add_dropped(res, &rest, "max-bundle");
                        seg_keep = keep = false;
                        memset(dst, 0, (size_t)n); /* already in the frame: zero it */
                        r = bundle_writer_commit(c->w, (size_t)n);
                } else if (keep) {
                        r = bundle_writer_commit(c->w, (size_t)n);
                        res->kept += (uint64_t)n;
                } else {
                        r = core_put(c, NULL, (size_t)n);
                }
                if (r < 0)
                        goto out;
                pos += (uint64_t)n;
        }
        if (pos < res->size) {
                int64_t padded = bundle_writer_pad(c->w);
                if (padded < 0) {
                        r = (int)padded;
                        goto out;
                }
                res->padded = (uint64_t)padded;
        } else if (!c->input_done && !c->rlimit_cut) {
                /* The headers said the core ends here; count anything more. */
                for (;;) {
                        ssize_t n = read_deadline(c, c->buf, IO_CHUNK);
                        if (n <= 0)
                                break;
                        res->extra += (uint64_t)n;
                        res->received += (uint64_t)n;
                }
        }
        if (capture_stopped()) {
                r = -ECANCELED;
                goto out;
        }
        r = bundle_writer_end(c->w);
out:
        core_head_free(&h);
        return r;
}

/* meta.json: the crash's facts, what /proc showed and the budget. */
static int write_meta(struct capture *c, const struct proc_info *p, const char *exe,
                      struct strbuf *out)
{
        const struct capture_args *a = c->a;
        struct bundle_meta m;
        bundle_meta_init(&m);
        m.producer = "corecollect " PROJECT_VERSION;
        m.time = a->time;
        struct utsname u;
        if (uname(&u) == 0) {
                m.host = u.nodename;
                m.kernel = u.release;
                m.machine = u.machine;
        }
        _cleanup_free_ char *boot_id = NULL;
        if (read_file_at(AT_FDCWD, "/proc/sys/kernel/random/boot_id", 64, &boot_id, NULL, NULL) == 0) {
                boot_id[strcspn(boot_id, "\n")] = '\0';
                m.boot_id = boot_id;
        }
        m.pid = a->pid;
        m.tid = a->tid;
        m.uid = a->uid;
        m.gid = a->gid;
        m.signal = a->signo;
        const char *sig = a->signo > 0 ? sigabbrev_np(a->signo) : NULL;
        char signame[32];
        if (sig) {
                snprintf(signame, sizeof(signame), "SIG%s", sig);
                m.signal_name = signame;
        }
        m.dump_mode = a->dump_mode;
        m.exe = exe;
        m.comm = p->comm ? p->comm : a->comm;
        m.cmdline = (const char *const *)p->argv;
        m.n_cmdline = p->argc;
        m.cgroup = p->cgroup;
        m.pidfd_verified = p->pidfd_verified;
        m.rlimit_core = a->core_limit;
        _cleanup_free_ struct bundle_mapped_file *mapped = proc_mapped_meta(p);
        if (!mapped)
                return -ENOMEM;
        m.mapped = mapped;
        m.n_mapped = p->n_mapped;
        m.has_budget = true;
        m.budget.max_bundle = c->cfg->max_bundle;
        m.budget.max_core = c->cfg->max_core;
        m.budget.time_budget_ms = c->cfg->time_budget_ms;
        m.budget.files_budget = c->cfg->files_budget;
        m.budget.file_max = c->cfg->file_max;
        return bundle_meta_write(&m, out);
}

struct files_result {
        size_t stored, skipped, cut;
        uint64_t bytes;
};

/* Decides before meta.json is written which mapped files go into files/:
 * one copy per build-id, each at most file_max, all within files_budget, none
 * when RLIMIT_CORE forbids a core. meta.json then names what is left out. */
static void plan_files(struct capture *c, struct proc_info *p)
{
        uint64_t bytes = 0;
        for (size_t i = 0; i < p->n_mapped; i++) {
                struct mapped_file *m = &p->mapped[i];
                m->skipped = NULL;
                m->duplicate = false;
                for (size_t k = 0; k < i && !m->duplicate; k++)
                        if (strcmp(p->mapped[k].build_id, m->build_id) == 0) {
                                m->duplicate = true;
                                m->skipped = p->mapped[k].skipped;
                        }
                if (m->duplicate)
                        continue;
                if (c->no_core)
                        m->skipped = "rlimit";
                else if (m->size > c->cfg->file_max)
                        m->skipped = "file_max";
                else if (bytes + m->size > c->cfg->files_budget)
                        m->skipped = "files_budget";
                else if (strlen(m->build_id) + strlen(BUNDLE_FILES_PREFIX) > TAR_NAME_MAX)
                        m->skipped = "name"; /* a build-id too long for a tar name */
                else
                        bytes += m->size;
        }
}

/* Copies the planned mapped ELF files into files/<build-id>; past the time
 * budget the rest is left out (counted). */
static int store_files(struct capture *c, const struct proc_info *p, struct files_result *fr)
{
        for (size_t i = 0; i < p->n_mapped; i++) {
                const struct mapped_file *m = &p->mapped[i];
                if (m->duplicate)
                        continue;
                if (capture_stopped())
                        return -ECANCELED;
                if (m->skipped || m->fd < 0 || now_usec() >= c->deadline_usec) {
                        fr->skipped++;
                        continue;
                }
                char name[sizeof(BUNDLE_FILES_PREFIX) + sizeof(m->build_id)];
                snprintf(name, sizeof(name), BUNDLE_FILES_PREFIX "%s", m->build_id);
                int r = bundle_writer_begin(c->w, name, m->size, (time_t)c->a->time);
                if (r < 0)
                        return r;
                uint64_t off = 0;
                while (off < m->size && !capture_stopped() && now_usec() < c->deadline_usec) {
                        /* straight into the frame buffer, as the core is */
                        void *dst;
                        size_t room;
                        r = bundle_writer_reserve(c->w, &dst, &room);
                        if (r < 0)
                                return r;
                        ssize_t n = pread(m->fd, dst, MIN(room, (size_t)IO_CHUNK), (off_t)off);
                        if (n < 0 && errno == EINTR)
                                continue; /* the deadline's alarm: the loop checks it */
                        if (n <= 0)
                                break; /* file shrank: pad below */
                        r = bundle_writer_commit(c->w, (size_t)n);
                        if (r < 0)
                                return r;
                        off += (uint64_t)n;
                }
                if (capture_stopped())
                        return -ECANCELED;
                if (bundle_writer_pad(c->w) < 0)
                        return -EIO;
                r = bundle_writer_end(c->w);
                if (r < 0)
                        return r;
                if (off < m->size)
                        fr->cut++;
                fr->stored++;
                fr->bytes += m->size;
        }
        return 0;
}

static int write_index(struct capture *c, const struct files_result *fr, struct strbuf *out)
{
        const struct core_result *r = &c->core;
        uint64_t now = now_usec();
        struct bundle_end e = {
                .has_core = true,
                .core_size = r->size,
                .bytes_received = r->received,
                .bytes_kept = r->kept,
                .bytes_padded = r->padded,
                .bytes_extra = r->extra,
                .elf = r->elf,
                .truncated = r->truncated,
                .truncation_reason = r->reason,
                .dropped_bytes = r->dropped_bytes,
                .dropped = r->dropped,
                .n_dropped = r->n_dropped,
                .files_stored = fr->stored,
                .files_skipped = fr->skipped,
                .files_cut = fr->cut,
                .rlimit_core = c->a->core_limit,
                .capture_usec = now - c->start_usec,
                .before_core_usec = c->core_start_usec - c->start_usec,
                .core_usec = c->core_end_usec - c->core_start_usec,
                .after_core_usec = now - c->core_end_usec,
        };
        return bundle_index_write(c->w, &e, out);
}

static int add_strbuf(struct capture *c, const char *name, struct strbuf *sb)
{
        int r = sb->oom ? -ENOMEM : bundle_writer_add(c->w, name, sb->data ? sb->data : "", sb->len, (time_t)c->a->time);
        strbuf_free(sb);
        return r;
}

/* The kernel holds the crashed process until every reader of the core
 * pipe has closed it (core_pipe_limit > 0). Once the core is read, nothing
 * needs the live process: its /proc facts and logs were read and its mapped
 * files opened before the core. So let it go now, while files/ and the last
 * frames are still being compressed: a service restarts after this, not
 * after the handler's exit. fd stays open, on /dev/null. */
static void release_input(int fd)
{
        _cleanup_close_ int nul = open("/dev/null", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (nul < 0 || dup2(nul, fd) < 0)
                log_debug("core pipe not released before the end: %m");
}

static int write_bundle(struct capture *c, struct proc_info *p, const char *exe)
{
        struct strbuf sb;
        plan_files(c, p);
        int r = write_meta(c, p, exe, &sb);
        if (r == 0)
                r = add_strbuf(c, BUNDLE_META, &sb);
        if (r < 0)
                return r;
        for (size_t i = 0; i < p->n_files; i++) {
                r = bundle_writer_add(c->w, p->files[i].member, p->files[i].data, p->files[i].len,
                                      (time_t)c->a->time);
                if (r < 0)
                        return r;
        }
        strbuf_init(&sb);
        r = kmsg_collect("/dev/kmsg", (size_t)c->cfg->kmsg_lines, &sb);
        if (r < 0)
                log_debug("kernel log not read: %s", strerror(-r));
        r = add_strbuf(c, BUNDLE_LOG_KERNEL, &sb);
        if (r < 0)
                return r;
        strbuf_init(&sb);
        r = journal_collect(c->cfg->journal_dir, c->a->pid, c->cfg->journal_seconds,
                            (size_t)c->cfg->journal_lines, &sb);
        if (r < 0)
                log_debug("journal not read: %s", strerror(-r));
        r = add_strbuf(c, BUNDLE_LOG_JOURNAL, &sb);
        if (r < 0)
                return r;
        c->core_start_usec = now_usec();
        if (c->no_core) {
                /* RLIMIT_CORE forbids a core: nothing of the process's memory
                 * is read or kept, the crash is still recorded */
                c->core.truncated = true;
                c->core.reason = "rlimit";
                r = capture_stopped() ? -ECANCELED : 0;
        } else
                r = stream_core(c);
        release_input(c->a->input_fd);
        c->core_end_usec = now_usec();
        if (r < 0)
                return r;
        struct files_result fr = { 0 };
        r = store_files(c, p, &fr);
        if (r < 0)
                return r;
        /* the crashed process is gone by now: the package lookup costs only
         * us, so it comes last, before the index */
        struct packages_result pkgs;
        packages_lookup(c->cfg, p, c->deadline_usec, &pkgs);
        r = packages_write(&pkgs, &sb);
        packages_result_free(&pkgs);
        if (r == 0)
                r = add_strbuf(c, BUNDLE_PACKAGES, &sb);
        if (r < 0)
                return r;
        r = write_index(c, &fr, &sb);
        if (r == 0)
                r = add_strbuf(c, BUNDLE_INDEX, &sb);
        if (r < 0)
                return r;
        return bundle_writer_finish(c->w);
}

/* Ends a capture that wrote no bundle: the transaction leaves nothing
 * behind and gives the rate-limit slot this crash took back. */
static int capture_failed(struct store_txn *t, struct proc_info *p, int r)
{
        store_abort(t);
        proc_info_free(p);
        /* -EAGAIN and -EPERM say "skipped" and "unsafe store" to the caller;
         * the same errno from a write means neither */
        return r == -EAGAIN || r == -EPERM || r >= 0 ? -EIO : r;
}

/* Opens the store, or says why not: 0, -EPERM (not root's, or writable by
 * others) or another -errno. */
static int open_store(const char *store, mode_t mode, const struct capture_args *a, int *ret_sfd)
{
        int r = store_open(store, mode, ret_sfd);
        if (r == -EPERM) {
                struct stat st;
                if (stat(store, &st) == 0)
                        log_error("store %s refused: owned by uid %u with mode %04o; it must be owned by root "
                                  "and not writable by group or others; crash of pid %d not captured",
                                  store, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (int)a->pid);
                else
                        log_error("store %s refused; crash of pid %d not captured", store, (int)a->pid);
                return -EPERM;
        }
        if (r < 0) {
                log_error("store %s unusable: %s; crash of pid %d not captured", store,
                          strerror(-r), (int)a->pid);
                return r == -EAGAIN ? -EIO : r;
        }
        return 0;
}

/* Creates the bundle writer on fd. Its compression threads must not take
 * our signals: the main thread is the one blocked in a read that a signal
 * has to interrupt, so they start with the signals blocked. */
static int new_writer(struct capture *c, int fd)
{
        const struct config *cfg = c->cfg;
        struct bundle_writer_options wo = { .frame_size = (size_t)cfg->frame_size, .level = cfg->level,
                                            .workers = compression_workers(cfg) };
        c->buf = malloc(IO_CHUNK);
        if (!c->buf)
                return -ENOMEM;
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGHUP);
        sigaddset(&block, SIGALRM);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        int r = bundle_writer_new(fd, &wo, &c->w);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return r;
}

/* The crashing user may read its bundle when its process was dumpable in
 * the ordinary sense (access.h); never for setuid, AT_SECURE or
 * non-dumpable processes (CVE-2022-4415). */
static void grant_user_access(int fd, const struct proc_info *p, const struct capture_args *a)
{
        const struct proc_file *status = NULL, *auxv = NULL;
        for (size_t i = 0; i < p->n_files; i++) {
                if (strcmp(p->files[i].member, "proc/status") == 0)
                        status = &p->files[i];
                else if (strcmp(p->files[i].member, "proc/auxv") == 0)
                        auxv = &p->files[i];
        }
        if (!p->pidfd_verified || !status || !auxv ||
            !access_user_may_read(a->dump_mode, a->uid, status->data, status->len, auxv->data, auxv->len))
                return;
        int r = access_grant_read(fd, a->uid);
        if (r < 0)
                log_debug("bundle not made readable by uid %u: %s", (unsigned)a->uid, strerror(-r));
}

int capture_exit_code(int r, bool truncated)
{
        if (r == -EAGAIN)
                return CAPTURE_SKIPPED;
        if (r == -EPERM)
                return CAPTURE_UNSAFE_STORE;
        if (r < 0)
                return CAPTURE_FAILED;
        return truncated ? CAPTURE_TRUNCATED : CAPTURE_OK;
}

int capture_run(const struct config *cfg, const struct capture_args *a, char **ret_path, bool *ret_truncated)
{
        if (ret_path)
                *ret_path = NULL;
        if (ret_truncated)
                *ret_truncated = false;
        struct capture c = { .cfg = cfg, .a = a };
        c.start_usec = now_usec();
        c.deadline_usec = c.start_usec + cfg->time_budget_ms * 1000;
        c.no_core = a->core_limit < CORE_LIMIT_MIN;
        capture_signals_setup(cfg);

        const char *store = cfg->store ? cfg->store : STORE_DEFAULT_PATH;
        _cleanup_close_ int sfd = -1;
        int r = open_store(store, cfg->store_mode, a, &sfd);
        if (r < 0)
                return r;

        struct proc_info p;
        r = proc_open(a->pid, a->pidfd, &p);
        if (r < 0)
                log_warning("/proc/%d not used (%s): capturing the core without process facts",
                            (int)a->pid, r == -ESRCH ? "pidfd names another process" : strerror(-r));
        struct environ_filter *envf = environ_filter_load(cfg->environ_filter);
        p.env_filter = envf;
        proc_collect(&p);
        environ_filter_free(envf);
        p.env_filter = NULL;
        proc_collect_mapped(&p, c.deadline_usec);
        const char *exe = p.exe ? p.exe : a->comm;

        const char *limit = NULL;
        struct store_txn *txn = NULL;
        struct store_who who = { .uid = a->uid, .exe = exe, .comm = p.comm ? p.comm : a->comm, .pid = a->pid,
                                 .time = a->time };
        r = store_begin(sfd, cfg, &who, &txn, &limit);
        if (r == -EAGAIN) {
                log_warning("crash of uid %u (pid %d) skipped by %s: more than %" PRIu64 " in %" PRIu64 "s",
                            (unsigned)a->uid, (int)a->pid, limit,
                            strcmp(limit, "rate_burst") == 0 ? cfg->rate_burst : cfg->rate_uid_burst,
                            cfg->rate_interval_s);
                proc_info_free(&p);
                return -EAGAIN;
        }
        if (r == -ENOSPC || r == -EDQUOT) {
                log_error("store %s is full (%s); crash of pid %d not captured", store,
                          r == -EDQUOT ? "uid_max_store of this uid"
                                       : "quota or keep-free margin, other users' recent bundles kept",
                          (int)a->pid);
                return capture_failed(NULL, &p, r);
        }
        if (r < 0) {
                log_error("cannot create a bundle file in %s: %s", store, strerror(-r));
                return capture_failed(NULL, &p, r);
        }
        grant_user_access(store_txn_fd(txn), &p, a);
        prepare_input(a->input_fd);
        /* around the page cache: a copy of every byte into a new page cost
         * more CPU than anything else but zstd (the writer clears it where
         * the file system refuses) */
        int fl = fcntl(store_txn_fd(txn), F_GETFL);
        if (fl >= 0)
                (void)fcntl(store_txn_fd(txn), F_SETFL, fl | O_DIRECT);
        r = new_writer(&c, store_txn_fd(txn));
        if (r == 0)
                r = write_bundle(&c, &p, exe);
        bundle_writer_free(c.w);
        free(c.buf);
        if (r == 0 && capture_stopped())
                r = -ECANCELED;
        if (r < 0) {
                if (r == -ECANCELED)
                        log_error("bundle for pid %d not written: stopped by signal %d", (int)a->pid,
                                  capture_stopped());
                else
                        log_error("bundle for pid %d not written: %s", (int)a->pid, strerror(-r));
                return capture_failed(txn, &p, r);
        }
        _cleanup_free_ char *final = NULL;
        r = store_commit(txn, &final);
        if (r == -ENOSPC || r == -EDQUOT) {
                log_error("store %s is full (%s) with the bundle of pid %d: removed it", store,
                          r == -EDQUOT ? "uid_max_store" : "quota or keep-free margin", (int)a->pid);
                return capture_failed(NULL, &p, r);
        }
        if (r < 0) {
                log_error("cannot name the bundle in %s: %s", store, strerror(-r));
                return capture_failed(NULL, &p, r);
        }
        proc_info_free(&p);
        if (ret_path && asprintf(ret_path, "%s/%s", store, final ? final : "?") < 0)
                *ret_path = NULL;
        if (c.core.truncated)
                log_warning("core of pid %d truncated (%s): %s/%s", (int)a->pid, c.core.reason, store,
                            final ? final : "?");
        if (ret_truncated)
                *ret_truncated = c.core.truncated;
        return 0;
}
