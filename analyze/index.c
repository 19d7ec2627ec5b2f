#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fleet.h"
#include "io.h"
#include "isolate.h"
#include "model.h"
#include "report.h"
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

/* Analyzes one bundle in a child process (isolate.h) and adds its crash.
 * 1 added, 0 a duplicate, -EINVAL not indexed (why in ret_why), -EAGAIN
 * not analyzed, for a reason that is not the bundle's (why in ret_why),
 * -EIO the database failed (logged). */
static int index_one(struct fleet_db *db, const char *path, const struct analyze_options *o,
                     const struct index_options *io, char *ret_why, size_t why_size)
{
        struct child_job job = { .path = path, .o = o };
        struct isolate_limits lim = {
                .max_memory = io->max_memory, .timeout_ms = io->timeout_s * 1000,
                .max_output = 1 << 20, .pass_stderr = io->verbose,
        };
        struct isolate_result res;
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
        char *f[N_FIELDS];
        r = get_fields(res.output, res.output_len, f);
        isolate_result_free(&res);
        if (r < 0 || !f[F_CLASS] || !f[F_SIG] || !f[F_SIG_TEXT]) {
                snprintf(ret_why, why_size, "the analysis sent back a malformed result");
                r = -EINVAL;
                goto out;
        }
        struct fleet_crash c = {
                .bundle = path, .host = f[F_HOST], .exe = f[F_EXE], .pid = f[F_PID] ? atoi(f[F_PID]) : 0,
                .time = f[F_TIME] ? strtoll(f[F_TIME], NULL, 10) : 0, .signal = f[F_SIGNAL] ? atoi(f[F_SIGNAL]) : 0,
                .class_id = f[F_CLASS], .detail = f[F_DETAIL], .confidence = f[F_CONFIDENCE],
                .crash_frame = f[F_FRAME], .signature = f[F_SIG], .signature_text = f[F_SIG_TEXT],
        };
        r = fleet_db_add(db, &c);
        if (r == -EINVAL)
                snprintf(ret_why, why_size, "the database refused it: %s", fleet_db_rejected(db));
        else if (r < 0)
                r = -EIO;
out:
        for (int i = 0; i < N_FIELDS; i++)
                free(f[i]);
        return r;
}

int fleet_index(const char *db_path, char *const *paths, size_t n_paths, const struct analyze_options *o,
                const struct index_options *io)
{
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
        int rc = FLEET_OK;
        if (fleet_db_open(db_path, true, &db) < 0) {
                rc = FLEET_DB_ERROR;
                goto out;
        }
        for (size_t i = 0; i < l.n; i++) {
                if (fleet_db_has_bundle(db, l.v[i])) {
                        known++;
                        continue;
                }
                int before = fleet_db_failure(db, l.v[i], ANALYZER_VERSION);
                if (before == FLEET_FAILED_HERE && !io->retry_failed) {
                        failed++;
                        failed_before++;
                        continue;
                }
                char why[1024];
                int r = index_one(db, l.v[i], o, io, why, sizeof(why));
                if (r == -EIO) {
                        rc = FLEET_DB_ERROR;
                        break;
                }
                if (r == -EAGAIN) {
                        fleet_log_not_indexed(l.v[i], why);
                        failed++;
                        continue;
                }
                if (r == -EINVAL) {
                        fleet_log_not_indexed(l.v[i], why);
                        failed++;
                        if (fleet_db_add_failure(db, l.v[i], why, ANALYZER_VERSION) < 0) {
                                rc = FLEET_DB_ERROR;
                                break;
                        }
                        continue;
                }
                if (r > 0)
                        added++;
                else
                        dup++;
                if (before != FLEET_NEVER_FAILED && fleet_db_forget_failure(db, l.v[i]) < 0) {
                        rc = FLEET_DB_ERROR;
                        break;
                }
        }
        char shown[512];
        fleet_redact(db_path, shown, sizeof(shown));
        printf("indexed %zu new crash%s, %zu already in the index, %zu duplicate%s (the same crash under "
               "another name), %zu failed",
               added, added == 1 ? "" : "es", known, dup, dup == 1 ? "" : "s", failed);
        if (failed_before)
                printf(" (%zu failed before with this analyzer, not tried again; see the failures table)",
                       failed_before);
        printf(": %s\n", shown);
        if (rc == FLEET_OK && failed)
                rc = FLEET_SOME_FAILED;
out:
        fleet_db_close(db);
        for (size_t i = 0; i < l.n; i++)
                free(l.v[i]);
        free(l.v);
        return rc;
}
