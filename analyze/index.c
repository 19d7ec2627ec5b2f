#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fleet.h"
#include "model.h"
#include "util.h"

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

int fleet_index(const char *db_path, char *const *paths, size_t n_paths, const struct analyze_options *o)
{
        struct path_list l = { 0 };
        size_t failed = 0, added = 0, known = 0, dup = 0;
        for (size_t i = 0; i < n_paths; i++) {
                int r = collect(paths[i], &l);
                if (r < 0) {
                        log_error("%s: %s", paths[i], strerror(-r));
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
                struct report r;
                int ar = analyze_path(l.v[i], o, &r);
                if (ar == EXIT_BAD_INPUT || ar == EXIT_TOO_LARGE) { /* analyze_path said why, in one line */
                        log_error("%s: not indexed", l.v[i]);
                        failed++;
                        continue;
                }
                if (!r.classified || !r.verdict.signature[0]) {
                        log_error("%s: not indexed: no classification", l.v[i]);
                        failed++;
                        report_free(&r);
                        continue;
                }
                const struct verdict *v = &r.verdict;
                struct fleet_crash c = {
                        .bundle = l.v[i], .host = r.host, .exe = r.exe ? r.exe : r.comm, .pid = (int)r.pid,
                        .time = r.time, .signal = r.signal, .class_id = v->class_id, .detail = v->detail,
                        .confidence = v->confidence, .crash_frame = r.crash_frame, .signature = v->signature,
                        .signature_text = v->signature_text,
                };
                int ir = fleet_db_add(db, &c);
                report_free(&r);
                if (ir < 0) {
                        rc = FLEET_DB_ERROR;
                        break;
                }
                if (ir > 0)
                        added++;
                else
                        dup++;
        }
        char shown[512];
        fleet_redact(db_path, shown, sizeof(shown));
        printf("indexed %zu new crash%s, %zu already in the index, %zu duplicate%s (the same crash under "
               "another name), %zu failed: %s\n",
               added, added == 1 ? "" : "es", known, dup, dup == 1 ? "" : "s", failed, shown);
        if (rc == FLEET_OK && failed)
                rc = FLEET_SOME_FAILED;
out:
        fleet_db_close(db);
        for (size_t i = 0; i < l.n; i++)
                free(l.v[i]);
        free(l.v);
        return rc;
}

