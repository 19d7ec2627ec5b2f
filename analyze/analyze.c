#include "analyze.h"
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "core.h"
#include "facts.h"
#include "../rules/verdict.h"
#include "input.h"
#include "io.h"
#include "json.h"
#include "modules.h"
#include "symbols.h"
#include "util.h"

/* strdup for the report's fields: a copy that fails marks the report
 * partial (the field reads as unknown) instead of passing for an absent
 * value. */
static char *report_strdup(struct report *r, const char *s)
{
        char *d = s ? strdup(s) : NULL;
        if (s && !d)
                r->partial = true;
        return d;
}

/* A meta.json number, or def when meta.json lacks it. */
static int64_t or_default(int64_t v, int64_t def)
{
        return v == BUNDLE_META_UNSET ? def : v;
}

static int argv_push(struct report *r, const char *s, size_t len)
{
        char **a = realloc(r->argv, (r->argc + 1) * sizeof(*a));
        if (!a)
                return -ENOMEM;
        r->argv = a;
        if (!(a[r->argc] = strndup(s, len)))
                return -ENOMEM;
        r->argc++;
        return 0;
}

/* r->argv from meta.json's cmdline array (exact), else from the core's
 * psargs (split at spaces: all a raw core keeps); r->cmdline the arguments
 * joined by spaces for display. */
static void fill_cmdline(struct report *r, const struct bundle_meta *meta, const char *psargs)
{
        if (meta->cmdline) {
                for (size_t i = 0; i < meta->n_cmdline; i++)
                        if (argv_push(r, meta->cmdline[i], strlen(meta->cmdline[i])) < 0)
                                break;
        } else if (psargs && *psargs) {
                r->argv_from_psargs = true;
                for (const char *p = psargs; *p;) {
                        size_t n = strcspn(p, " ");
                        if (n > 0 && argv_push(r, p, n) < 0)
                                break;
                        p += n;
                        p += strspn(p, " ");
                }
        }
        if (r->argc == 0)
                return;
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t i = 0; i < r->argc; i++) {
                if (i)
                        strbuf_append(&sb, " ", 1);
                strbuf_puts(&sb, r->argv[i]);
        }
        r->cmdline = strbuf_steal(&sb, NULL);
}

/* Kernel log lines about this crash: those naming "comm[pid]" or the pid,
 * with the "Code:" line that follows a segfault report. */
static char *kernel_lines_for(const char *log, pid_t pid)
{
        if (!log)
                return NULL;
        char tag[32], killed[48];
        snprintf(tag, sizeof(tag), "[%d]", (int)pid);
        snprintf(killed, sizeof(killed), "process %d ", (int)pid);
        struct strbuf sb;
        strbuf_init(&sb);
        bool prev = false;
        for (const char *p = log; *p;) {
                size_t n = strcspn(p, "\n");
                bool hit = (memmem(p, n, tag, strlen(tag)) != NULL) || (memmem(p, n, killed, strlen(killed)) != NULL) ||
                           (prev && memmem(p, n, "Code: ", 6) != NULL);
                if (hit) {
                        strbuf_append(&sb, p, n);
                        strbuf_append(&sb, "\n", 1);
                }
                prev = hit;
                p += n;
                if (*p)
                        p++;
        }
        return strbuf_steal(&sb, NULL);
}

/* Thread names from the bundle's proc/tasks ("TID NAME" lines), parsed
 * once and sorted by tid: a core may have hundreds of thousands of threads. */
struct task_names {
        struct task_name {
                pid_t tid;
                const char *name; /* into the text, not terminated */
                size_t len;
        } *v;
        size_t n;
};

static int task_cmp(const void *a, const void *b)
{
        const struct task_name *x = a, *y = b;
        if (x->tid != y->tid)
                return x->tid < y->tid ? -1 : 1;
        return x->name < y->name ? -1 : x->name > y->name; /* the first line wins */
}

static void task_names_parse(const char *tasks, struct task_names *ret)
{
        memset(ret, 0, sizeof(*ret));
        if (!tasks)
                return;
        size_t lines = 1;
        for (const char *p = tasks; *p; p++)
                lines += *p == '\n';
        ret->v = calloc(lines, sizeof(*ret->v));
        if (!ret->v)
                return;
        for (const char *p = tasks; *p;) {
                size_t n = strcspn(p, "\n");
                char *end;
                errno = 0;
                long tid = strtol(p, &end, 10);
                if (end != p && *end == ' ' && errno == 0 && tid > 0 && tid <= INT32_MAX && (size_t)(end - p) < n)
                        ret->v[ret->n++] = (struct task_name){ (pid_t)tid, end + 1, n - (size_t)(end - p) - 1 };
                p += n;
                if (*p)
                        p++;
        }
        qsort(ret->v, ret->n, sizeof(*ret->v), task_cmp);
}

static char *task_name(const struct task_names *t, pid_t tid)
{
        size_t lo = 0, hi = t->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (t->v[mid].tid < tid)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == t->n || t->v[lo].tid != tid || t->v[lo].len == 0)
                return NULL;
        return strndup(t->v[lo].name, t->v[lo].len);
}

/* What the bundle's meta.json says of the process; the core's notes give
 * the defaults (pid, tid, uid) for raw cores. */
static void fill_from_meta(struct report *r, struct input *in, pid_t pid, pid_t tid, uid_t uid)
{
        const struct bundle_meta *meta = &in->meta;
        r->input_path = report_strdup(r, in->path);
        r->input_kind = input_kind_name(in->kind);
        r->pid = (pid_t)or_default(meta->pid, pid);
        r->tid = (pid_t)or_default(meta->tid, tid);
        r->uid = (uid_t)or_default(meta->uid, uid);
        r->gid = (gid_t)or_default(meta->gid, 0);
        r->time = or_default(meta->time, 0);
        r->host = report_strdup(r, meta->host);
        r->exe = report_strdup(r, meta->exe);
        r->comm = report_strdup(r, meta->comm);
        r->cgroup = report_strdup(r, meta->cgroup);
        for (size_t i = 0; i < meta->n_mapped; i++)
                if (meta->mapped[i].executable && meta->mapped[i].package) {
                        r->package = report_strdup(r, meta->mapped[i].package);
                        r->package_version = report_strdup(r, meta->mapped[i].version);
                        r->package_arch = report_strdup(r, meta->mapped[i].arch);
                        break;
                }
}

static void set_signal_name(struct report *r)
{
        const char *abbr = r->signal > 0 ? sigabbrev_np(r->signal) : NULL;
        if (abbr && asprintf(&r->signal_name, "SIG%s", abbr) < 0)
                r->signal_name = NULL;
}

static void fill_process(struct report *r, struct input *in, struct core *c)
{
        const struct bundle_meta *meta = &in->meta;
        fill_from_meta(r, in, c->pid ? c->pid : c->threads[0].tid, c->threads[0].tid, c->uid);
        if (!r->comm && c->fname[0])
                r->comm = report_strdup(r, c->fname);
        if (!r->exe) {
                /* the mapping that holds the entry point */
                bool found;
                uint64_t entry = core_auxv(c, AT_ENTRY, &found);
                const struct core_file_map *m = found ? core_map_at(c, entry) : NULL;
                if (m)
                        r->exe = report_strdup(r, m->path);
        }
        fill_cmdline(r, meta, c->psargs);
        r->si = c->si;
        r->signal = c->si.present ? c->si.signo : c->threads[0].cursig;
        if (meta->signal > 0 && meta->signal <= INT32_MAX && !c->si.present)
                r->signal = (int)meta->signal;
        set_signal_name(r);
}

static void fill_truncation(struct report *r, struct input *in, struct core *c)
{
        if (in->index.has_end) {
                r->truncated = in->index.truncated;
                r->truncation_reason = report_strdup(r, in->index.truncation_reason);
        }
        if (c->notes_truncated) {
                r->truncated = true;
                if (!r->truncation_reason)
                        r->truncation_reason = report_strdup(r, "notes cut or malformed");
        }
        /* a raw core shorter than its headers say */
        uint64_t want = 0;
        for (size_t i = 0; i < c->n_segs; i++)
                want = MAX(want, c->segs[i].offset + c->segs[i].filesz);
        if (want > in->core_size) {
                r->truncated = true;
                r->core_bytes_missing = want - in->core_size;
                if (!r->truncation_reason)
                        r->truncation_reason = report_strdup(r, "core file shorter than its headers say");
        }
}

/* Appends the user's rule files (COREINSPECT_RULES_DIR, else
 * /etc/coreinspect/rules) to the built-in tables. */
static void load_user_tables(struct rules_tables *t)
{
        const char *dir = getenv("COREINSPECT_RULES_DIR");
        if (!dir)
                dir = "/etc/coreinspect/rules";
        static const char *const files[] = { "abort-messages.tsv", "skip-frames.txt", "allocators.txt",
                                             "system-headers.txt" };
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
                _cleanup_free_ char *text = NULL;
                if (read_file_at(AT_FDCWD, path, 1 << 20, &text, NULL, NULL) < 0)
                        continue;
                unsigned line = 0;
                int e = i == 0 ? tables_parse_abort_messages(t, text, &line)
                               : i == 1 ? tables_parse_list(&t->skip_frames, &t->n_skip_frames, text, &line)
                               : i == 2 ? tables_parse_list(&t->allocators, &t->n_allocators, text, &line)
                                        : tables_parse_list(&t->system_headers, &t->n_system_headers, text, &line);
                if (e < 0)
                        log_warning("%s:%u: malformed line ignored with the rest of the file", path, line);
        }
}

/* The verdict for f, with the built-in tables plus the user's. */
static void run_rules(struct report *r, const struct crash_facts *f, bool user_tables)
{
        struct rules_tables t = { 0 };
        int e = tables_load_defaults(&t);
        if (e < 0) {
                /* only out of memory (the tables are built in): say so, no verdict */
                report_warn(r, "no verdict: the built-in rule tables could not be loaded: %s", strerror(-e));
                r->partial = true;
        } else {
                if (user_tables)
                        load_user_tables(&t);
                rules_classify(f, &t, &r->verdict);
                r->classified = true;
                /* the verdict points at a frame name owned by the facts: copy it */
                if (r->verdict.crash_frame)
                        r->verdict.crash_frame = r->crash_frame = report_strdup(r, r->verdict.crash_frame);
        }
        tables_free(&t);
}

static void classify(struct report *r, struct input *in, struct core *c, struct unwinder *u, bool user_tables)
{
        struct crash_facts *f = calloc(1, sizeof(*f));
        if (!f) {
                report_warn(r, "no verdict: out of memory for the crash facts");
                r->partial = true;
                return;
        }
        struct facts_store st;
        facts_gather(f, &st, r, in, c, u);
        run_rules(r, f, user_tables);
        facts_store_free(&st, f);
        free(f);
}

/* A bundle without a core: an oom-watch bundle (the process, the kernel's
 * OOM report and the memory cgroup) or a crash whose RLIMIT_CORE allowed
 * no core (the process and the kernel's lines); no threads. */
static int analyze_no_core(struct input *in, struct report *r, bool user_tables)
{
        const struct bundle_meta *meta = &in->meta;
        fill_from_meta(r, in, 0, 0, 0);
        r->no_core = true;
        r->core_withheld = in->core_withheld;
        fill_cmdline(r, meta, NULL);
        r->signal = (int)or_default(meta->signal, SIGKILL);
        set_signal_name(r);
        r->limits = input_member(in, BUNDLE_PROC_LIMITS, 1 << 20);
        r->kernel_log = input_member(in, BUNDLE_LOG_KERNEL, 8 << 20); /* the OOM report */
        struct crash_facts *f = calloc(1, sizeof(*f));
        if (f) {
                struct facts_store st;
                facts_gather_nocore(f, &st, r, in, or_default(meta->memcg_limit, 0),
                                    or_default(meta->memcg_max_usage, 0));
                run_rules(r, f, user_tables);
                facts_store_free(&st, f);
                free(f);
        }
        return 0;
}

/* The reason for an error of analyze_path: why, else the errno's text. */
static int fail(int e, const char *why, const char **ret_why)
{
        *ret_why = why ? why : strerror(-e);
        return e;
}

int analyze_path(const char *path, const struct analyze_options *o, struct report *r, const char **ret_why)
{
        memset(r, 0, sizeof(*r));
        struct input *in = NULL;
        const char *why = NULL;
        int e = input_open(path, o->max_zstd, &in, &why);
        if (e < 0)
                return fail(e, why, ret_why);
        if (!in->has_core) {
                e = analyze_no_core(in, r, !o->bundle_only);
                input_free(in);
                return e;
        }
        struct core *c = NULL;
        e = core_load(in, &c, &why);
        if (e < 0) {
                if (e == -EFBIG || e == -ENOMEM)
                        why = "too large for the limits: the core's headers or notes do not fit in the memory "
                              "allowed (ulimit -v)";
                input_free(in);
                return fail(e, why, ret_why);
        }
        fill_process(r, in, c);
        fill_truncation(r, in, c);
        if (in->kind == INPUT_BUNDLE) {
                r->limits = input_member(in, BUNDLE_PROC_LIMITS, 1 << 20);
                char *klog = input_member(in, BUNDLE_LOG_KERNEL, 8 << 20);
                r->kernel_log = kernel_lines_for(klog, r->pid);
                free(klog);
                r->journal_log = input_member(in, BUNDLE_LOG_JOURNAL, 8 << 20);
        }
        char *tasks = input_member(in, BUNDLE_PROC_TASKS, 4 << 20);
        struct task_names names;
        task_names_parse(tasks, &names);

        struct symbols *sym = NULL;
        /* COREINSPECT_SYSTEM_DEBUG_DIR overrides /usr/lib/debug ("" = none):
         * tests use it to be independent of the machine's debug packages */
        const char *sysdebug = o->bundle_only ? "" : getenv("COREINSPECT_SYSTEM_DEBUG_DIR");
        struct symbols_options so = {
                .system_debug_dir = sysdebug,
                .debug_dirs = o->bundle_only ? NULL : o->debug_dirs,
                .n_debug_dirs = o->bundle_only ? 0 : o->n_debug_dirs,
                .use_env = !o->bundle_only,
                .bundle_only = o->bundle_only,
                .bundle = in->bundle,
        };
        struct module_set ms = { 0 };
        struct unwinder *u = NULL;
        static _Thread_local char why_buf[128];
        e = symbols_new(&so, &sym);
        if (e == 0)
                e = modules_load(c, sym, &in->meta, o->exe, &ms);
        if (e == 0)
                e = unwinder_new(c, &ms, &u);
        if (e < 0) {
                snprintf(why_buf, sizeof(why_buf), "cannot set up symbol lookup: %s", strerror(-e));
                fail(e, why_buf, ret_why);
                goto out;
        }
        if (ms.n_dropped)
                report_warn(r, "the core maps %zu more ELF files than the limit of %u: they were left out "
                            "(their frames show no module)", ms.n_dropped, MODULES_MAX);
        if (c->maps_malformed)
                report_warn(r, "the core's NT_FILE note is malformed: mappings that are empty, overlap or "
                            "run past the note were left out");
        r->threads = calloc(c->n_threads, sizeof(*r->threads));
        if (!r->threads) {
                e = fail(-ENOMEM, "too large for the limits: no memory for the threads' reports", ret_why);
                goto out;
        }
        size_t full = o->unwind.max_threads ? MIN(c->n_threads, o->unwind.max_threads) : c->n_threads;
        for (size_t i = 0; i < c->n_threads; i++) {
                struct thread_report *t = &r->threads[r->n_threads++];
                if (i < full)
                        unwind_thread(u, i, &o->unwind, t);
                else
                        unwind_thread_pc(u, i, &o->unwind, t);
                /* the kernel writes the dumping (crashing) thread first */
                t->crashed = i == 0;
                t->name = task_name(&names, t->tid);
                if (t->error)
                        r->partial = true;
        }
        if (o->unwind.unwinder != UNWINDER_DWFL && full > LIBUNWIND_THREADS_MAX)
                report_warn(r, "libunwind unwound the first %u threads only; libdwfl the others",
                            LIBUNWIND_THREADS_MAX);
        if (full < c->n_threads)
                report_warn(r, "only the first %zu of %zu threads were unwound (--max-threads): the others show "
                            "where they were (frame #0) only", full, c->n_threads);
        if (modules_to_report(&ms, r, o->hints) < 0) {
                e = fail(-ENOMEM, "too large for the limits: no memory for the modules' report", ret_why);
                goto out;
        }
        classify(r, in, c, u, !o->bundle_only);
        if (!o->bundle_only)
                source_attach(r, o->source_dirs, o->n_source_dirs, sym);
        if (r->truncated)
                report_warn(r, "the core is truncated (%s): memory beyond the cut reads as missing",
                            r->truncation_reason ? r->truncation_reason : "?");
out:
        free(names.v);
        free(tasks);
        unwinder_free(u);
        modules_free(&ms);
        symbols_free(sym);
        core_free(c);
        input_free(in);
        if (e < 0) {
                report_free(r);
                memset(r, 0, sizeof(*r));
        }
        return e < 0 ? e : 0;
}

int analyze_exit_code(int r, const struct report *rep)
{
        if (r == -EFBIG || r == -ENOMEM)
                return EXIT_TOO_LARGE;
        if (r < 0)
                return EXIT_BAD_INPUT;
        return rep->partial || rep->truncated ? EXIT_PARTIAL : EXIT_REPORT;
}
