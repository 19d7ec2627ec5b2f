#include "oomwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "logs.h"
#include "meta.h"
#include "packages.h"
#include "proc.h"
#include "store.h"
#include "util.h"
#include "writer.h"

#define CONTEXT_LINES 400 /* the OOM report (meminfo, task list) precedes the kill line */
#define RECORD_MAX 8192

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = sig; }

bool oom_parse_killed(const char *line, struct oom_kill *k)
{
        const char *p = strstr(line, "Killed process ");
        if (!p || !strstr(line, "ut of memory"))
                return false;
        k->memcg_oom = strstr(line, "Memory cgroup out of memory") != NULL;
        if (sscanf(p, "Killed process %d (%63[^)])", &k->pid, k->comm) != 2)
                return false;
        const char *q;
        if ((q = strstr(p, "total-vm:")))
                k->total_vm_kb = strtoull(q + 9, NULL, 10);
        if ((q = strstr(p, "anon-rss:")))
                k->anon_rss_kb = strtoull(q + 9, NULL, 10);
        if ((q = strstr(p, "file-rss:")))
                k->file_rss_kb = strtoull(q + 9, NULL, 10);
        if ((q = strstr(p, "UID:")))
                k->uid = atoi(q + 4);
        return true;
}

/* "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,
 * mems_allowed=0,oom_memcg=/cc,task_memcg=/cc,task=prog,pid=123,uid=0" */
void oom_parse_context(const char *line, struct oom_kill *k)
{
        const char *p = strstr(line, "oom-kill:");
        if (!p)
                return;
        const char *c = strstr(p, "constraint=");
        if (c)
                sscanf(c, "constraint=%31[^,]", k->constraint);
        const char *m = strstr(p, "task_memcg=");
        if (m)
                sscanf(m, "task_memcg=%255[^,]", k->memcg);
}

/* The memory cgroup's limit and peak: v1 memory.limit_in_bytes and
 * memory.max_usage_in_bytes, or v2 memory.max and memory.peak. */
static void cgroup_memory(const char *memcg, struct bundle_meta *m)
{
        const struct {
                const char *root, *file;
                int64_t *value;
        } files[] = {
                { "/sys/fs/cgroup/memory", "memory.limit_in_bytes", &m->memcg_limit },
                { "/sys/fs/cgroup/memory", "memory.max_usage_in_bytes", &m->memcg_max_usage },
                { "/sys/fs/cgroup/memory", "memory.failcnt", &m->memcg_failcnt },
                { "/sys/fs/cgroup", "memory.max", &m->memcg_limit },
                { "/sys/fs/cgroup", "memory.peak", &m->memcg_max_usage },
        };
        m->memory_cgroup = memcg;
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                if (*files[i].value != BUNDLE_META_UNSET)
                        continue; /* v1 first */
                char path[512];
                snprintf(path, sizeof(path), "%s%s/%s", files[i].root, memcg, files[i].file);
                _cleanup_free_ char *v = NULL;
                if (read_file_at(AT_FDCWD, path, 64, &v, NULL, NULL) < 0)
                        continue;
                v[strcspn(v, "\n")] = '\0';
                uint64_t n;
                if (parse_u64(v, &n) == 0 && n <= INT64_MAX)
                        *files[i].value = (int64_t)n;
        }
}

/* The victim's executable: /proc's exe link, else argv[0], else the comm
 * of the kernel's line. */
static const char *oom_exe(const struct oom_kill *k, const struct proc_info *p)
{
        return p->exe ? p->exe : p->argc ? p->argv[0] : k->comm;
}

/* The victim's mapped files are usually gone by the time we read /proc
 * (the kernel frees a killed process' memory at once, and a zombie maps
 * nothing): then the executable's path, when /proc still gave it, stands
 * for them, unopened (its package's version is the installed one; nothing
 * tells whether that is the one that ran). */
static void oom_exe_by_path(struct proc_info *p)
{
        if (p->n_mapped || !p->exe || p->exe[0] != '/')
                return;
        struct mapped_file *m = calloc(1, sizeof(*m));
        char *path = strdup(p->exe);
        if (!m || !path) {
                free(m);
                free(path);
                return;
        }
        *m = (struct mapped_file){ .path = path, .fd = -1, .executable = true };
        p->mapped = m;
        p->n_mapped = 1;
}

/* packages.json of an OOM kill: the packages of p's mapped files. */
static int oom_packages(const struct config *cfg, const struct proc_info *p, uint64_t deadline,
                        struct bundle_writer *w, time_t now)
{
        struct packages_result pkgs;
        packages_lookup(cfg, p, deadline, &pkgs);
        struct strbuf sb = { 0 };
        int r = packages_write(&pkgs, &sb);
        packages_result_free(&pkgs);
        if (r == 0)
                r = bundle_writer_add(w, BUNDLE_PACKAGES, sb.data, sb.len, now);
        strbuf_free(&sb);
        return r;
}

/* meta.json of an OOM kill: what the kernel said, what /proc still showed. */
static int oom_meta(const struct oom_kill *k, const struct proc_info *p, time_t now, struct strbuf *out)
{
        struct bundle_meta m;
        bundle_meta_init(&m);
        m.kind = BUNDLE_KIND_OOM_KILL;
        m.producer = "corecollect oom-watch " PROJECT_VERSION;
        m.time = (int64_t)now;
        struct utsname u;
        if (uname(&u) == 0) {
                m.host = u.nodename;
                m.kernel = u.release;
        }
        m.pid = m.tid = k->pid;
        m.uid = k->uid;
        m.signal = SIGKILL;
        m.signal_name = "SIGKILL";
        m.exe = oom_exe(k, p);
        m.comm = k->comm;
        m.cmdline = (const char *const *)p->argv;
        m.n_cmdline = p->argc;
        m.cgroup = k->memcg[0] ? k->memcg : p->cgroup;
        m.oom.constraint = k->constraint[0] ? k->constraint : NULL;
        m.oom.memcg = k->memcg_oom;
        m.oom.total_vm_kb = k->total_vm_kb;
        m.oom.anon_rss_kb = k->anon_rss_kb;
        m.oom.file_rss_kb = k->file_rss_kb;
        if (k->memcg[0])
                cgroup_memory(k->memcg, &m);
        /* what packages.json speaks of (no skip reasons: no files/ was
         * planned, there being no core) */
        _cleanup_free_ struct bundle_mapped_file *mapped = proc_mapped_meta(p);
        if (!mapped)
                return -ENOMEM;
        m.mapped = mapped;
        m.n_mapped = p->n_mapped;
        return bundle_meta_write(&m, out);
}

int oom_store_kill(const struct config *cfg, int sfd, const struct oom_kill *k, const char *context)
{
        /* what /proc still shows of the victim (it may be gone already) */
        struct proc_info p;
        uint64_t deadline = now_usec() + cfg->time_budget_ms * 1000;
        if (proc_open(k->pid, -1, &p) == 0) {
                struct environ_filter *envf = environ_filter_load(cfg->environ_filter);
                p.env_filter = envf;
                proc_collect(&p);
                environ_filter_free(envf);
                p.env_filter = NULL;
                /* the mapped files, for their packages (no files/: there is
                 * no core to read them against) */
                proc_collect_mapped(&p, deadline);
        }
        oom_exe_by_path(&p);
        time_t now = time(NULL);
        struct strbuf meta = { 0 }, index = { 0 };
        int r = oom_meta(k, &p, now, &meta);
        /* the same way into the store as a crash: storm limits, quota, shares */
        struct store_txn *txn = NULL;
        const char *limit = NULL;
        struct store_who who = { .uid = (uid_t)k->uid, .exe = oom_exe(k, &p), .comm = k->comm,
                                 .pid = k->pid, .time = (int64_t)now };
        if (r == 0)
                r = store_begin(sfd, cfg, &who, &txn, &limit);
        struct bundle_writer *w = NULL;
        struct bundle_writer_options wo = { .level = cfg->level, .workers = 1 };
        if (r == 0)
                r = bundle_writer_new(store_txn_fd(txn), &wo, &w);
        if (r == 0)
                r = bundle_writer_add(w, BUNDLE_META, meta.data, meta.len, now);
        for (size_t i = 0; r == 0 && i < p.n_files; i++)
                r = bundle_writer_add(w, p.files[i].member, p.files[i].data, p.files[i].len, now);
        if (r == 0)
                r = bundle_writer_add(w, BUNDLE_LOG_KERNEL, context, strlen(context), now);
        if (r == 0)
                r = oom_packages(cfg, &p, deadline, w, now);
        if (r == 0) {
                struct bundle_end end = { .has_core = false };
                r = bundle_index_write(w, &end, &index);
        }
        if (r == 0)
                r = bundle_writer_add(w, BUNDLE_INDEX, index.data, index.len, now);
        if (r == 0)
                r = bundle_writer_finish(w);
        bundle_writer_free(w);
        strbuf_free(&meta);
        strbuf_free(&index);
        proc_info_free(&p);
        _cleanup_free_ char *name = NULL;
        if (r == 0)
                r = store_commit(TAKE_PTR(txn), &name);
        store_abort(txn);
        if (r == -EAGAIN) {
                log_warning("OOM kill of uid %d (pid %d) skipped by %s", k->uid, k->pid, limit);
                return r;
        }
        if (r < 0)
                return log_errno(r, "OOM kill of pid %d not stored: %s", k->pid,
                                 r == -EDQUOT ? "uid_max_store of this uid"
                                 : r == -ENOSPC ? "store full (quota or keep-free margin)" : strerror(-r));
        log_info("OOM kill of %s (pid %d) stored as %s", k->comm, k->pid, name ? name : "?");
        printf("%s/%s\n", cfg->store ? cfg->store : STORE_DEFAULT_PATH, name ? name : "?");
        fflush(stdout);
        return 0;
}

int oomwatch_run(const struct config *cfg, const struct oomwatch_options *o)
{
        const char *store = cfg->store ? cfg->store : STORE_DEFAULT_PATH;
        _cleanup_close_ int sfd = -1;
        int r = store_open(store, cfg->store_mode, &sfd);
        if (r < 0) {
                log_error("store %s unusable: %s", store,
                          r == -EPERM ? "not owned by root, or writable by group or others" : strerror(-r));
                return r;
        }
        _cleanup_close_ int kfd = open(o->kmsg_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (kfd < 0) {
                r = -errno;
                return log_errno(r, "cannot read %s: %s", o->kmsg_path, strerror(-r));
        }
        /* only kills from now on */
        lseek(kfd, 0, SEEK_END);
        struct sigaction sa = { .sa_handler = on_signal };
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);

        char *ring[CONTEXT_LINES] = { 0 };
        size_t head = 0;
        struct oom_kill ctx = { 0 };
        uint64_t deadline = o->timeout_ms ? now_usec() + o->timeout_ms * 1000 : 0;
        char buf[RECORD_MAX];
        int rc = -ETIME;
        while (!stop) {
                int wait_ms = -1;
                if (deadline) {
                        uint64_t now = now_usec();
                        if (now >= deadline)
                                break;
                        wait_ms = (int)MIN((deadline - now) / 1000 + 1, (uint64_t)INT32_MAX);
                }
                struct pollfd pfd = { .fd = kfd, .events = POLLIN };
                int pr = poll(&pfd, 1, wait_ms);
                if (pr < 0 && errno != EINTR) {
                        rc = -errno;
                        log_error("poll %s: %s", o->kmsg_path, strerror(-rc));
                        break;
                }
                for (;;) {
                        ssize_t n = read(kfd, buf, sizeof(buf));
                        if (n < 0 && errno == EPIPE)
                                continue; /* records overwritten: go on */
                        if (n <= 0)
                                break;
                        char *line;
                        if (kmsg_format_record(buf, (size_t)n, &line) < 0)
                                continue;
                        free(ring[head]);
                        ring[head] = line;
                        head = (head + 1) % CONTEXT_LINES;
                        oom_parse_context(line, &ctx);
                        struct oom_kill k = ctx;
                        if (!oom_parse_killed(line, &k))
                                continue;
                        /* the report: every line kept since the last kill */
                        struct strbuf sb;
                        strbuf_init(&sb);
                        for (size_t i = 0; i < CONTEXT_LINES; i++) {
                                char **l = &ring[(head + i) % CONTEXT_LINES];
                                if (*l) {
                                        strbuf_puts(&sb, *l);
                                        free(*l);
                                        *l = NULL;
                                }
                        }
                        r = oom_store_kill(cfg, sfd, &k, sb.data ? sb.data : "");
                        strbuf_free(&sb);
                        memset(&ctx, 0, sizeof(ctx));
                        if (r == 0)
                                rc = 0;
                        if (o->once && r == 0) {
                                stop = 1;
                                break;
                        }
                }
        }
        for (size_t i = 0; i < CONTEXT_LINES; i++)
                free(ring[i]);
        if (stop && rc == -ETIME && !o->once)
                rc = 0;
        return rc;
}
