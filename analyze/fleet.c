#include "fleet.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "model.h"
#include "util.h"

#define SCHEMA_VERSION 1

/* Portable SQL (SQLite now, PostgreSQL later): one row per crash. crash_key
 * identifies the crash, not the file, so a bundle copied to two places
 * counts once: host|pid|time|exe, or the path for inputs without them. */
static const char schema_sql[] =
        "CREATE TABLE IF NOT EXISTS crashes ("
        " id INTEGER PRIMARY KEY,"
        " crash_key TEXT NOT NULL UNIQUE,"
        " bundle TEXT NOT NULL,"
        " host TEXT, exe TEXT, pid INTEGER, time INTEGER, signal INTEGER,"
        " class TEXT NOT NULL, detail TEXT, confidence TEXT, crash_frame TEXT,"
        " signature TEXT NOT NULL, signature_text TEXT NOT NULL,"
        " indexed_at INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS crashes_signature ON crashes(signature);"
        "CREATE INDEX IF NOT EXISTS crashes_time ON crashes(time);"
        "CREATE INDEX IF NOT EXISTS crashes_bundle ON crashes(bundle);";

char *fleet_default_db(void)
{
        const char *env = getenv("COREINSPECT_DB");
        if (env && *env)
                return strdup(env);
        char *p = NULL;
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        int r;
        if (xdg && *xdg == '/')
                r = asprintf(&p, "%s/coreinspect/index.sqlite", xdg);
        else
                r = asprintf(&p, "%s/.local/share/coreinspect/index.sqlite", home && *home ? home : "/root");
        return r < 0 ? NULL : p;
}

/* mkdir -p of path's directory (for the default database). */
static void make_parent(const char *path)
{
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", path);
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
                return;
        *slash = '\0';
        for (char *p = dir + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                (void)mkdir(dir, 0755);
                *p = '/';
        }
        (void)mkdir(dir, 0755);
}

static void db_error(sqlite3 *db, const char *path, const char *what)
{
        log_error("database %s: %s: %s", path, what, db ? sqlite3_errmsg(db) : "out of memory");
}

/* Opens (index: creates) the database and checks its schema version. */
static int db_open(const char *path, bool create, sqlite3 **ret)
{
        if (create)
                make_parent(path);
        else if (access(path, F_OK) < 0) {
                log_error("no database at %s: run `coreinspect index` first (or give --db)", path);
                return -ENOENT;
        }
        sqlite3 *db = NULL;
        int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
        if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
                db_error(db, path, "cannot open");
                sqlite3_close(db);
                return -EIO;
        }
        sqlite3_busy_timeout(db, 10000); /* another indexer may hold the lock */
        sqlite3_stmt *st = NULL;
        int version = -1;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
                version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (version < 0) {
                db_error(db, path, "not an SQLite database or unreadable");
                sqlite3_close(db);
                return -EIO;
        }
        if (version > SCHEMA_VERSION) {
                log_error("database %s has schema %d, newer than this coreinspect's %d", path, version,
                          SCHEMA_VERSION);
                sqlite3_close(db);
                return -EIO;
        }
        if (create) {
                char *err = NULL;
                if (sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK ||
                    sqlite3_exec(db, schema_sql, NULL, NULL, &err) != SQLITE_OK ||
                    sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK) {
                        log_error("database %s: cannot create its tables: %s", path,
                                  err ? err : sqlite3_errmsg(db));
                        sqlite3_free(err);
                        sqlite3_close(db);
                        return -EIO;
                }
        } else if (version != SCHEMA_VERSION) {
                log_error("%s is not a coreinspect index (schema version %d)", path, version);
                sqlite3_close(db);
                return -EIO;
        }
        *ret = db;
        return 0;
}

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

static bool bundle_known(sqlite3 *db, const char *path)
{
        sqlite3_stmt *st = NULL;
        bool known = false;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM crashes WHERE bundle = ?", -1, &st, NULL) == SQLITE_OK) {
                sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
                known = sqlite3_step(st) == SQLITE_ROW;
        }
        sqlite3_finalize(st);
        return known;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
        if (s)
                sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
        else
                sqlite3_bind_null(st, i);
}

/* Inserts the crash; 1 added, 0 already there under another path, <0 error. */
static int insert_crash(sqlite3 *db, const char *path, const struct report *r)
{
        char *key = NULL;
        int n = r->time > 0 && r->pid > 0
                        ? asprintf(&key, "%s|%d|%" PRId64 "|%s", r->host ? r->host : "", (int)r->pid, r->time,
                                   r->exe ? r->exe : r->comm ? r->comm : "")
                        : asprintf(&key, "path:%s", path);
        if (n < 0)
                return -ENOMEM;
        static const char sql[] =
                "INSERT OR IGNORE INTO crashes (crash_key, bundle, host, exe, pid, time, signal, class, detail,"
                " confidence, crash_frame, signature, signature_text, indexed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
        if (rc == SQLITE_OK) {
                const struct verdict *v = &r->verdict;
                sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
                bind_text_or_null(st, 3, r->host);
                bind_text_or_null(st, 4, r->exe ? r->exe : r->comm);
                sqlite3_bind_int64(st, 5, r->pid);
                if (r->time > 0)
                        sqlite3_bind_int64(st, 6, r->time);
                else
                        sqlite3_bind_null(st, 6); /* a raw or zstd core: the time is unknown */
                sqlite3_bind_int(st, 7, r->signal);
                sqlite3_bind_text(st, 8, v->class_id, -1, SQLITE_TRANSIENT);
                bind_text_or_null(st, 9, v->detail);
                bind_text_or_null(st, 10, v->confidence);
                bind_text_or_null(st, 11, r->crash_frame);
                sqlite3_bind_text(st, 12, v->signature, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 13, v->signature_text, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(st, 14, (int64_t)time(NULL));
                rc = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        free(key);
        if (rc != SQLITE_DONE)
                return -EIO;
        return sqlite3_changes(db) > 0 ? 1 : 0;
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
        sqlite3 *db = NULL;
        int rc = FLEET_OK;
        if (db_open(db_path, true, &db) < 0) {
                rc = FLEET_DB_ERROR;
                goto out;
        }
        for (size_t i = 0; i < l.n; i++) {
                if (bundle_known(db, l.v[i])) {
                        known++;
                        continue;
                }
                struct report r;
                int ar = analyze_path(l.v[i], o, &r);
                if (ar == EXIT_BAD_INPUT) { /* analyze_path said why, in one line */
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
                int ir = insert_crash(db, l.v[i], &r);
                report_free(&r);
                if (ir < 0) {
                        db_error(db, db_path, "cannot add a crash");
                        rc = FLEET_DB_ERROR;
                        break;
                }
                if (ir > 0)
                        added++;
                else
                        dup++;
        }
        printf("indexed %zu new crash%s, %zu already in the index, %zu duplicate%s (the same crash under "
               "another name), %zu failed: %s\n",
               added, added == 1 ? "" : "es", known, dup, dup == 1 ? "" : "s", failed, db_path);
        if (rc == FLEET_OK && failed)
                rc = FLEET_SOME_FAILED;
out:
        sqlite3_close(db);
        for (size_t i = 0; i < l.n; i++)
                free(l.v[i]);
        free(l.v);
        return rc;
}

/* "crash_segv: store_through < main" from "v1|class|exe|sigN|store_through|main". */
static void where_of(const char *sig_text, const char *exe, char *buf, size_t size)
{
        const char *p = sig_text;
        for (int field = 0; field < 4 && p; field++) {
                p = strchr(p, '|');
                if (p)
                        p++;
        }
        const char *slash = exe ? strrchr(exe, '/') : NULL;
        size_t len = (size_t)snprintf(buf, size, "%s", slash ? slash + 1 : exe ? exe : "?");
        if (p && *p && len + 2 < size) {
                len += (size_t)snprintf(buf + len, size - len, ": ");
                for (; *p && len + 4 < size; p++) {
                        if (*p == '|')
                                len += (size_t)snprintf(buf + len, size - len, " < ");
                        else
                                buf[len++] = *p;
                }
                buf[MIN(len, size - 1)] = '\0';
        }
}

static void utc(int64_t t, char *buf, size_t size)
{
        struct tm tm;
        time_t tt = (time_t)t;
        if (t <= 0 || !gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
                snprintf(buf, size, "-");
}

static const char *trend_of(int64_t first, int64_t recent, int64_t previous, int64_t since)
{
        if (recent > 0 && first >= since)
                return "new";
        if (recent > previous)
                return "up";
        if (recent < previous)
                return "down";
        return recent ? "same" : "quiet";
}

int fleet_trends(const char *db_path, const struct trends_options *t)
{
        sqlite3 *db = NULL;
        if (db_open(db_path, false, &db) < 0)
                return FLEET_DB_ERROR;
        int64_t now = t->now ? t->now : (int64_t)time(NULL);
        int64_t w = (int64_t)t->window_s;
        static const char sql[] =
                "SELECT signature, MAX(class), MAX(exe), MAX(signature_text), COUNT(*),"
                " SUM(time > ?1 - ?2 AND time <= ?1), SUM(time > ?1 - 2 * ?2 AND time <= ?1 - ?2),"
                " COUNT(DISTINCT host), MIN(time), MAX(time),"
                " (SELECT detail FROM crashes d WHERE d.signature = c.signature ORDER BY time DESC, id DESC LIMIT 1),"
                " (SELECT bundle FROM crashes d WHERE d.signature = c.signature ORDER BY time DESC, id DESC LIMIT 1)"
                " FROM crashes c GROUP BY signature"
                " ORDER BY 6 DESC, 5 DESC, 10 DESC, signature LIMIT ?3";
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
                db_error(db, db_path, "cannot query");
                sqlite3_close(db);
                return FLEET_DB_ERROR;
        }
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, w);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)t->limit);
        struct json j;
        json_init(&j, true);
        char window[32];
        if (w % 86400 == 0)
                snprintf(window, sizeof(window), "%" PRId64 "d", w / 86400);
        else if (w % 3600 == 0)
                snprintf(window, sizeof(window), "%" PRId64 "h", w / 3600);
        else
                snprintf(window, sizeof(window), "%" PRId64 "s", w);
        if (t->json) {
                json_object_begin(&j, NULL);
                json_i64(&j, "now", now);
                json_i64(&j, "window_s", w);
                json_array_begin(&j, "signatures");
        } else {
                char last[48], prev[48];
                snprintf(last, sizeof(last), "LAST %s", window);
                snprintf(prev, sizeof(prev), "PREV %s", window);
                printf("%-16s %6s %9s %9s %-5s %5s %-16s %-19s %s\n", "SIGNATURE", "TOTAL", last, prev, "TREND",
                       "HOSTS", "LAST SEEN (UTC)", "CLASS", "WHERE");
        }
        int rc = FLEET_OK, step;
        size_t rows = 0;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
                rows++;
                const char *sig = (const char *)sqlite3_column_text(st, 0);
                const char *cls = (const char *)sqlite3_column_text(st, 1);
                const char *exe = (const char *)sqlite3_column_text(st, 2);
                const char *text = (const char *)sqlite3_column_text(st, 3);
                int64_t total = sqlite3_column_int64(st, 4), recent = sqlite3_column_int64(st, 5);
                int64_t previous = sqlite3_column_int64(st, 6), hosts = sqlite3_column_int64(st, 7);
                int64_t first = sqlite3_column_int64(st, 8), last = sqlite3_column_int64(st, 9);
                const char *detail = (const char *)sqlite3_column_text(st, 10);
                const char *bundle = (const char *)sqlite3_column_text(st, 11);
                const char *trend = trend_of(first, recent, previous, now - w);
                if (t->json) {
                        json_object_begin(&j, NULL);
                        json_string(&j, "signature", sig);
                        json_string(&j, "signature_text", text);
                        json_string(&j, "class", cls);
                        json_string(&j, "exe", exe);
                        json_i64(&j, "total", total);
                        json_i64(&j, "recent", recent);
                        json_i64(&j, "previous", previous);
                        json_string(&j, "trend", trend);
                        json_i64(&j, "hosts", hosts);
                        if (first > 0)
                                json_i64(&j, "first_seen", first);
                        else
                                json_null(&j, "first_seen");
                        if (last > 0)
                                json_i64(&j, "last_seen", last);
                        else
                                json_null(&j, "last_seen");
                        json_string(&j, "detail", detail);
                        json_string(&j, "latest_bundle", bundle);
                        json_object_end(&j);
                } else {
                        char seen[32], where[512];
                        utc(last, seen, sizeof(seen));
                        where_of(text, exe, where, sizeof(where));
                        printf("%-16s %6" PRId64 " %9" PRId64 " %9" PRId64 " %-5s %5" PRId64 " %-16s %-19s %s\n", sig,
                               total, recent, previous, trend, hosts, seen, cls ? cls : "?", where);
                }
        }
        if (step != SQLITE_DONE) {
                db_error(db, db_path, "cannot read");
                rc = FLEET_DB_ERROR;
        }
        if (t->json) {
                json_array_end(&j);
                json_object_end(&j);
                printf("%s\n", j.sb.data ? j.sb.data : "{}");
        } else if (rows == 0)
                printf("(no crashes in %s)\n", db_path);
        json_free(&j);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return rc;
}
