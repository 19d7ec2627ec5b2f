#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cs.h"
#include "escape.h"
#include "fleet.h"
#include "io.h"
#include "isolate.h"
#include "model.h"
#include "meta.h"
#include "reader.h"
#include "report.h"
#include "sha256.h"
#include "util.h"
#include "version.h"

struct path_list {
        char **v;
        size_t n, cap;
};

static int list_add(struct path_list *l, char *p)
{
        if (!p)
                return -ENOMEM;
        if (l->n == l->cap) {
                size_t cap = l->cap ? 2 * l->cap : 64;
                char **v = realloc(l->v, cap * sizeof(*v));
                if (!v) {
                        free(p);
                        return -ENOMEM;
                }
                l->v = v;
                l->cap = cap;
        }
        l->v[l->n++] = p;
        return 0;
}

static int cmp_path(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's bundles (*.zst, not the store's hidden temporary files), or
 * the file itself; absolute paths. */
static int collect(const char *path, struct path_list *l)
{
        char abs[PATH_MAX];
        if (!realpath(path, abs))
                return -errno;
        struct stat st;
        if (stat(abs, &st) < 0)
                return -errno;
        if (!S_ISDIR(st.st_mode))
                return list_add(l, strdup(abs));
        DIR *d = opendir(abs);
        if (!d)
                return -errno;
        size_t first = l->n;
        struct dirent *e;
        int r = 0;
        while (r == 0 && (e = readdir(d))) {
                size_t len = strlen(e->d_name);
                if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".zst") != 0)
                        continue;
                char *p = NULL;
                r = asprintf(&p, "%s/%s", abs, e->d_name) < 0 ? -ENOMEM : list_add(l, p);
        }
        closedir(d);
        if (l->n > first)
                qsort(l->v + first, l->n - first, sizeof(*l->v), cmp_path);
        return r;
}

/* The facts of one crash as the analysis child sends them to the parent:
 * each field 'N' (NULL) or 'S', a 4-byte length (host order) and the
 * bytes, in the order of the F_ names. Not JSON: strings are any bytes (a path, a
 * function name) and must come back exactly. */
enum { F_HOST, F_EXE, F_PID, F_TIME, F_SIGNAL, F_CLASS, F_DETAIL, F_CONFIDENCE, F_FRAME, F_SIG, F_SIG_TEXT, N_FIELDS };

static void put_field(struct strbuf *sb, const char *s)
{
        if (!s) {
                strbuf_append(sb, "N", 1);
                return;
        }
        uint32_t len = (uint32_t)strnlen(s, UINT32_MAX - 1);
        strbuf_append(sb, "S", 1);
        strbuf_append(sb, &len, sizeof(len));
        strbuf_append(sb, s, len);
}

/* Splits what the child sent into fields (copies, NUL-terminated; a field
 * holding a NUL is malformed). 0, -EBADMSG or -ENOMEM; the caller frees
 * ret[] in every case. */
static int get_fields(const char *buf, size_t len, char *ret[N_FIELDS])
{
        size_t off = 0;
        for (int i = 0; i < N_FIELDS; i++)
                ret[i] = NULL;
        for (int i = 0; i < N_FIELDS; i++) {
                if (off >= len)
                        return -EBADMSG;
                if (buf[off] == 'N') {
                        off++;
                        continue;
                }
                uint32_t n;
                if (buf[off] != 'S' || len - off - 1 < sizeof(n))
                        return -EBADMSG;
                memcpy(&n, buf + off + 1, sizeof(n));
                off += 1 + sizeof(n);
                if (n > len - off || memchr(buf + off, '\0', n))
                        return -EBADMSG;
                if (!(ret[i] = strndup(buf + off, n)))
                        return -ENOMEM;
                off += n;
        }
        return off == len ? 0 : -EBADMSG;
}

struct child_job {
        const char *path;
        const struct analyze_options *o;
};

/* In the child: analyzes one bundle and writes its facts to fd. The exit
 * status tells the parent how it went; a message on stderr says why. */
static int analyze_child(void *arg, int fd)
{
        const struct child_job *job = arg;
        struct report r;
        const char *why = NULL;
        int ar = analyze_path(job->path, job->o, &r, &why);
        if (ar < 0) {
                log_error("%s: %s", job->path, why); /* one line, no report */
                return 2;
        }
        if (!r.classified || !r.verdict.signature[0]) {
                log_error("no classification");
                report_free(&r);
                return 3;
        }
        const struct verdict *v = &r.verdict;
        char pid[32], when[32], sig[32];
        snprintf(pid, sizeof(pid), "%d", (int)r.pid);
        snprintf(when, sizeof(when), "%" PRId64, r.time);
        snprintf(sig, sizeof(sig), "%d", r.signal);
        struct strbuf sb;
        strbuf_init(&sb);
        const char *f[N_FIELDS] = {
                [F_HOST] = r.host, [F_EXE] = r.exe ? r.exe : r.comm, [F_PID] = pid, [F_TIME] = when,
                [F_SIGNAL] = sig, [F_CLASS] = v->class_id, [F_DETAIL] = v->detail,
                [F_CONFIDENCE] = v->confidence, [F_FRAME] = r.crash_frame, [F_SIG] = v->signature,
                [F_SIG_TEXT] = v->signature_text,
        };
        for (int i = 0; i < N_FIELDS; i++)
                put_field(&sb, f[i]);
        int rc = sb.data && write_full(fd, sb.data, sb.len) == 0 ? 0 : 4;
        strbuf_free(&sb);
        report_free(&r);
        return rc;
}

/* The child's last message as a reason: without the program's and the
 * bundle's names that the analyzer puts before it. */
static const char *bare_reason(const char *why, const char *path)
{
        static const char prefix[] = "coreinspect: ";
        if (strncmp(why, prefix, strlen(prefix)) == 0)
                why += strlen(prefix);
        size_t n = strlen(path);
        if (strncmp(why, path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
                why += n + 2;
        return why;
}

/* Analyzes one bundle in a child process (isolate.h): its facts in f[]
 * (the caller frees them in every case). 0, -EINVAL not analyzed (why in
 * ret_why), -EAGAIN not analyzed for a reason that is not the bundle's
 * (why in ret_why). */
static int index_one(const char *path, const struct analyze_options *o, const struct index_options *io,
                     char *f[N_FIELDS], char *ret_why, size_t why_size)
{
        struct child_job job = { .path = path, .o = o };
        struct isolate_limits lim = {
                .max_memory = io->max_memory, .timeout_ms = io->timeout_s * 1000,
                .max_output = 1 << 20, .pass_stderr = io->verbose,
        };
        struct isolate_result res;
        for (int i = 0; i < N_FIELDS; i++)
                f[i] = NULL;
        /* capstone loaded once here, not in every child (cs.h) */
        (void)cs_load();
        int r = isolate_run(analyze_child, &job, &lim, &res);
        if (r < 0) { /* no process or pipe now: no fault of the bundle's, not recorded */
                snprintf(ret_why, why_size, "cannot start the analysis: %s", strerror(-r));
                isolate_result_free(&res);
                return -EAGAIN;
        }
        if (r > 0) {
                snprintf(ret_why, why_size, "%s", bare_reason(res.reason, path));
                isolate_result_free(&res);
                return -EINVAL;
        }
        r = get_fields(res.output, res.output_len, f);
        isolate_result_free(&res);
        if (r < 0 || !f[F_CLASS] || !f[F_SIG] || !f[F_SIG_TEXT]) {
                snprintf(ret_why, why_size, "the analysis sent back a malformed result");
                for (int i = 0; i < N_FIELDS; i++) {
                        free(f[i]);
                        f[i] = NULL;
                }
                return -EINVAL;
        }
        return 0;
}

/* What index takes from a bundle's meta.json (and packages.json): the
 * host, the executable's build-id, and its Debian package and version as
 * the crashed host recorded them (NULL when not). Owned. */
struct crash_meta {
        char *host, *build_id, *package, *version;
};

static void crash_meta_free(struct crash_meta *cm)
{
        free(cm->host), free(cm->build_id), free(cm->package), free(cm->version);
        *cm = (struct crash_meta){};
}

/* What identifies the crash in a bundle, read from its meta.json: host,
 * boot id, pid, time and the executable's build-id (docs/fleet.md,
 * "Identity"); the one place index reads meta.json itself (everything else
 * comes from the analysis). 0 with key and *ret set (caller frees);
 * -ENODATA when the input is no bundle or its meta.json lacks the pid or
 * the time; -errno. */
static int meta_identity(int fd, char key[SHA256_HEX_SIZE], struct crash_meta *ret)
{
        int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (dup_fd < 0)
                return -errno;
        struct bundle_reader *br = NULL;
        if (bundle_reader_open_fd(dup_fd, &br) < 0)
                return -ENODATA;
        struct bundle_meta m;
        int r = bundle_meta_read(br, &m);
        bundle_reader_free(br);
        if (r < 0)
                return r == -ENOMEM ? r : -ENODATA;
        struct fleet_identity id = {
                .host = m.host, .boot_id = m.boot_id, .pid = m.pid, .time = m.time,
        };
        const struct bundle_mapped_file *exe = NULL;
        for (size_t i = 0; !exe && i < m.n_mapped; i++)
                if (m.mapped[i].executable)
                        exe = &m.mapped[i];
        id.build_id = exe ? exe->build_id : NULL;
        r = id.pid > 0 && id.time > 0 ? fleet_crash_key(&id, key) : -ENODATA;
        /* a version only where the file that ran was the package's
         * (packages.json leaves it out for a file replaced since) */
        const char *const from[] = { id.host, id.build_id, exe ? exe->package : NULL, exe ? exe->version : NULL };
        char **to[] = { &ret->host, &ret->build_id, &ret->package, &ret->version };
        for (size_t i = 0; r == 0 && i < ELEMENTSOF(from); i++)
                if (from[i] && !(*to[i] = strdup(from[i])))
                        r = -ENOMEM;
        if (r < 0)
                crash_meta_free(ret);
        bundle_meta_free(&m);
        return r;
}

/* "indexing 3/120: NAME" on stderr when it is a terminal (nothing
 * otherwise); done clears it so that log lines start on a clean line. */
static void index_progress(bool on, size_t i, size_t n, const char *path, bool done)
{
        if (!on)
                return;
        if (done)
                fprintf(stderr, "\r\033[K");
        else
                fprintf(stderr, "\r\033[Kindexing %zu/%zu: %.60s", i + 1, n, text_safe(path_file_name(path)));
        fflush(stderr);
}

/* The key of the crash in path: from its meta.json's facts, else (a raw
 * or zstd core, a bundle without them) the SHA-256 of its size and first
 * MiB, which hold the core's notes: pid, registers, the mappings. Either
 * way the content, not the path. 0 or -errno, with *why set when strerror
 * would not say it (a FIFO or a directory is "not a regular file"). */
static int crash_identity(const char *path, char key[SHA256_HEX_SIZE], struct crash_meta *ret, const char **why)
{
        *why = NULL;
        *ret = (struct crash_meta){};
        /* not a FIFO's open, which would wait for a writer */
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                *why = "not a regular file";
                return -EINVAL;
        }
        int r = meta_identity(fd, key, ret);
        if (r != -ENODATA) {
                close(fd);
                return r;
        }
        size_t max = 1 << 20;
        char *buf = malloc(max + 64);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        int n = snprintf(buf, 64, "bytes/3|%lld|", (long long)st.st_size);
        ssize_t got = pread(fd, buf + n, max, 0);
        close(fd);
        if (got < 0) {
                free(buf);
                return -EIO;
        }
        sha256_hex(buf, (size_t)n + (size_t)got, key);
        free(buf);
        return 0;
}

/* An analyzed bundle waiting for the run's transaction. */
struct pending {
        char key[SHA256_HEX_SIZE];
        char *path;
        struct crash_meta meta; /* build_id, package, version (host: from the analysis) */
        char *f[N_FIELDS];  /* NULL f[F_SIG]: failed, why in why */
        char *why;
        int before;         /* fleet_db_failure (by fleet_db_known) */
        bool refused;       /* analyzed, but the database refused it */
};

static void pending_free(struct pending *p)
{
        free(p->path);
        crash_meta_free(&p->meta);
        free(p->why);
        for (int i = 0; i < N_FIELDS; i++)
                free(p->f[i]);
}

/* Crashes by signature, then key: every transaction takes the rows of the
 * rollups in this order, so that two indexers never wait on each other in
 * a circle (PostgreSQL would end one with a deadlock). Failures last. */
static int cmp_pending(const void *a, const void *b)
{
        const struct pending *x = a, *y = b;
        const char *sx = x->f[F_SIG] ? x->f[F_SIG] : "\xff", *sy = y->f[F_SIG] ? y->f[F_SIG] : "\xff";
        int c = strcmp(sx, sy);
        return c ? c : strcmp(x->key, y->key);
}

struct run_counts {
        size_t added, dup, failed;
};

/* Writes the analyzed bundles in one transaction: their crashes (and
 * rollups), the failures, the failures that are no more. 0 or -EIO
 * (logged). */
static int flush_once(struct fleet_db *db, struct pending *p, size_t n, struct run_counts *c)
{
        /* the months of the crashes (PostgreSQL: should one find its
         * month without a partition, the transaction runs again once,
         * after all of their missing months are made; no statement) */
        for (size_t i = 0; i < n; i++) {
                int64_t t = p[i].f[F_SIG] && p[i].f[F_TIME] ? strtoll(p[i].f[F_TIME], NULL, 10) : 0;
                fleet_db_months(db, &t, 1);
        }
        if (fleet_db_begin(db) < 0)
                return -EIO;
        for (size_t i = 0; i < n; i++) {
                char **f = p[i].f;
                int r = -EINVAL;
                if (f[F_SIG]) {
                        struct fleet_crash cr = {
                                .key = p[i].key, .bundle = p[i].path, .host = f[F_HOST], .exe = f[F_EXE],
                                .pid = f[F_PID] ? atoi(f[F_PID]) : 0,
                                .time = f[F_TIME] ? strtoll(f[F_TIME], NULL, 10) : 0,
                                .signal = f[F_SIGNAL] ? atoi(f[F_SIGNAL]) : 0, .class_id = f[F_CLASS],
                                .detail = f[F_DETAIL], .confidence = f[F_CONFIDENCE], .crash_frame = f[F_FRAME],
                                .signature = f[F_SIG], .signature_text = f[F_SIG_TEXT], .build_id = p[i].meta.build_id,
                                .package = p[i].meta.package, .version = p[i].meta.version,
                                .forget_failure = true,
                        };
                        /* the last: its commit goes with it */
                        r = i + 1 < n ? fleet_db_add(db, &cr) : fleet_db_add_commit(db, &cr);
                        if (r == -EINVAL) {
                                p[i].refused = true;
                                free(p[i].why);
                                if (asprintf(&p[i].why, "the database refused it: %s", fleet_db_rejected(db)) < 0)
                                        p[i].why = NULL;
                        }
                }
                if (r == -EINVAL) {
                        const char *why = p[i].why ? p[i].why : "out of memory";
                        c->failed++;
                        r = fleet_db_add_failure(db, p[i].key, p[i].path, why, ANALYZER_VERSION);
                        if (r < 0)
                                goto fail;
                        continue;
                }
                if (r < 0)
                        goto fail;
                if (r > 0)
                        c->added++;
                else
                        c->dup++;
        }
        return fleet_db_commit(db) < 0 ? -EIO : 0;
fail:
        fleet_db_rollback(db);
        return -EIO;
}

/* flush_once, again when PostgreSQL ended the transaction for a deadlock
 * (at most 5 times); the failures are named once it went in. */
static int flush(struct fleet_db *db, struct pending *p, size_t n, struct run_counts *c)
{
        qsort(p, n, sizeof(*p), cmp_pending);
        int rc = -EIO;
        for (int attempt = 0; attempt < 5; attempt++) {
                struct run_counts run = { 0 };
                rc = flush_once(db, p, n, &run);
                if (rc == 0) {
                        c->added += run.added;
                        c->dup += run.dup;
                        c->failed += run.failed;
                        for (size_t i = 0; i < n; i++)
                                if (!p[i].f[F_SIG] || p[i].refused)
                                        fleet_log_not_indexed(p[i].path, p[i].why ? p[i].why : "out of memory");
                        break;
                }
                if (!fleet_db_retry(db))
                        break;
                for (size_t i = 0; i < n; i++)
                        p[i].refused = false;
                usleep(10000 * (attempt + 1));
        }
        if (rc < 0 && fleet_db_retry(db))
                log_error("the database ended the transaction 5 times (a deadlock, or a month's partition being"
                          " made or dropped): nothing of this run's last %zu bundles was written; run index again",
                          n);
        return rc;
}

/* At most this many analyzed bundles wait for their transaction: a store
 * of any size in bounded memory, and a run cut short keeps what it did. */
#define FLUSH_EVERY 1000

int fleet_index(const char *db_path, char *const *paths, size_t n_paths, const struct analyze_options *o,
                const struct index_options *io, size_t *ret_failed)
{
        bool tty = isatty(STDERR_FILENO);
        struct path_list l = { 0 };
        size_t failed = 0, failed_before = 0, added = 0, known = 0, dup = 0;
        for (size_t i = 0; i < n_paths; i++) {
                int r = collect(paths[i], &l);
                if (r < 0) {
                        fleet_log_not_indexed(paths[i], strerror(-r));
                        failed++;
                }
        }
        struct fleet_db *db = NULL;
        int rc = fleet_db_open(db_path, true, &db);
        if (rc < 0)
                goto out;
        struct pending *pend = calloc(FLUSH_EVERY, sizeof(*pend));
        size_t n_pend = 0;
        struct run_counts counts = { 0 };
        if (!pend) {
                log_error("out of memory");
                rc = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < l.n && rc == 0; i++) {
                struct pending *p = &pend[n_pend];
                memset(p, 0, sizeof(*p));
                const char *bad = NULL;
                int r = crash_identity(l.v[i], p->key, &p->meta, &bad);
                if (r < 0) {
                        fleet_log_not_indexed(l.v[i], bad ? bad : strerror(-r));
                        failed++;
                        pending_free(p);
                        continue;
                }
                r = fleet_db_known(db, p->key, l.v[i], p->meta.host, ANALYZER_VERSION, &p->before);
                if (r != 0) {
                        pending_free(p);
                        if (r < 0)
                                rc = r;
                        else
                                known++;
                        continue;
                }
                if (p->before == FLEET_FAILED_HERE && !io->retry_failed) {
                        pending_free(p);
                        failed++;
                        failed_before++;
                        continue;
                }
                char why[1024];
                index_progress(tty, i, l.n, l.v[i], false);
                r = index_one(l.v[i], o, io, p->f, why, sizeof(why));
                index_progress(tty, i, l.n, l.v[i], true);
                if (r == -EAGAIN) { /* no fault of the bundle's: not recorded */
                        fleet_log_not_indexed(l.v[i], why);
                        failed++;
                        pending_free(p);
                        continue;
                }
                if (!(p->path = strdup(l.v[i])) || (r < 0 && !(p->why = strdup(why)))) {
                        log_error("out of memory");
                        pending_free(p);
                        rc = -ENOMEM;
                        break;
                }
                if (++n_pend == FLUSH_EVERY) {
                        rc = flush(db, pend, n_pend, &counts);
                        for (size_t k = 0; k < n_pend; k++)
                                pending_free(&pend[k]);
                        n_pend = 0;
                }
        }
        if (rc == 0 && n_pend)
                rc = flush(db, pend, n_pend, &counts);
        for (size_t k = 0; k < n_pend; k++)
                pending_free(&pend[k]);
        free(pend);
        /* PostgreSQL: the schema's version is checked with the first
         * statement; with none (nothing to look up), now. A database this
         * coreinspect cannot use: that line, and no summary */
        if (fleet_db_ready(db) < 0) {
                rc = -EIO;
                goto out;
        }
        /* PostgreSQL: the rollups of the crashes added (and of those
         * other indexers queued), unless another indexer is folding: its
         * next fold, or trends', makes them */
        if (counts.added)
                (void)fleet_db_fold(db, false); /* a failure is logged, and no loss */
        added = counts.added;
        dup = counts.dup;
        failed += counts.failed;
        char shown[512];
        fleet_redact(db_path, shown, sizeof(shown));
        printf("indexed %zu new crash%s, %zu already in the index, %zu duplicate%s (the same crash under "
               "another name), %zu failed",
               added, added == 1 ? "" : "es", known, dup, dup == 1 ? "" : "s", failed);
        if (failed_before)
                printf(" (%zu failed before with this analyzer, not tried again; see the failures table)",
                       failed_before);
        printf(": %s\n", shown);
out:
        *ret_failed = failed;
        fleet_db_close(db);
        for (size_t i = 0; i < l.n; i++)
                free(l.v[i]);
        free(l.v);
        return rc;
}
