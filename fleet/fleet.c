#include "fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dbtext.h"
#include "escape.h"
#include "json.h"
#include "sha256.h"
#include "util.h"

#define SCHEMA_VERSION "2"

/* Two tables. crashes: one row per crash; crash_key identifies the crash,
 * not the file, so a bundle copied to two places counts once. failures:
 * one row per bundle that could not be indexed, with why and by which
 * analyzer, so that it is tried again only by another one. Keys that are
 * indexed are SHA-256 hashes (crash_key: of host|pid|time|exe, or of
 * path:PATH for inputs without them; bundle_key: of the path), so that no
 * path is too long for an index (PostgreSQL's limit is ~2.7 KB a row);
 * the paths themselves are kept, unindexed. Text is stored as
 * fleet_text_encode makes it. The DDL differs by backend only in the key
 * column; every query below runs unchanged on both (numbered parameters,
 * CAST, ON CONFLICT, NULLS LAST). */
static const char schema_common[] =
        " crash_key TEXT NOT NULL UNIQUE,"
        " bundle_key TEXT NOT NULL,"
        " bundle TEXT NOT NULL,"
        " host TEXT, exe TEXT, exe_name TEXT, pid BIGINT, time BIGINT, signal INTEGER,"
        " class TEXT NOT NULL, detail TEXT, confidence TEXT, crash_frame TEXT,"
        " signature TEXT NOT NULL, signature_text TEXT NOT NULL,"
        " indexed_at BIGINT NOT NULL);"
        "CREATE INDEX IF NOT EXISTS crashes_signature ON crashes(signature);"
        "CREATE INDEX IF NOT EXISTS crashes_time ON crashes(time);"
        "CREATE INDEX IF NOT EXISTS crashes_bundle_key ON crashes(bundle_key);"
        "CREATE TABLE IF NOT EXISTS failures (bundle_key TEXT PRIMARY KEY, bundle TEXT NOT NULL,"
        " reason TEXT NOT NULL, analyzer TEXT NOT NULL, failed_at BIGINT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS coreinspect_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO coreinspect_meta (key, value) VALUES ('schema', '" SCHEMA_VERSION "')"
        " ON CONFLICT (key) DO NOTHING;";

static const char sql_known[] = "SELECT 1 FROM crashes WHERE bundle_key = $1";
static const char sql_insert[] =
        "INSERT INTO crashes (crash_key, bundle, host, exe, pid, time, signal, class, detail,"
        " confidence, crash_frame, signature, signature_text, indexed_at, exe_name, bundle_key)"
        " VALUES ($1, $2, $3, $4, CAST($5 AS BIGINT), CAST($6 AS BIGINT), CAST($7 AS INTEGER), $8, $9,"
        " $10, $11, $12, $13, CAST($14 AS BIGINT), $15, $16)"
        " ON CONFLICT (crash_key) DO NOTHING";
static const char sql_failed[] = "SELECT analyzer FROM failures WHERE bundle_key = $1";
static const char sql_fail[] =
        "INSERT INTO failures (bundle_key, bundle, reason, analyzer, failed_at)"
        " VALUES ($1, $2, $3, $4, CAST($5 AS BIGINT))"
        " ON CONFLICT (bundle_key) DO UPDATE SET bundle = excluded.bundle, reason = excluded.reason,"
        " analyzer = excluded.analyzer, failed_at = excluded.failed_at";
static const char sql_unfail[] = "DELETE FROM failures WHERE bundle_key = $1";
/* trends' filters: $4 host, $5 executable (full path or file name), $6
 * class; NULL: any. */
#define TREND_FILTER(a)                                                                                    \
        "(CAST($4 AS TEXT) IS NULL OR " a ".host = CAST($4 AS TEXT))"                                      \
        " AND (CAST($5 AS TEXT) IS NULL OR " a ".exe = CAST($5 AS TEXT) OR " a ".exe_name = CAST($5 AS TEXT))" \
        " AND (CAST($6 AS TEXT) IS NULL OR " a ".class = CAST($6 AS TEXT))"
static const char sql_trends[] =
        "SELECT signature, MAX(class), MAX(exe), MAX(signature_text), COUNT(*),"
        " SUM(CASE WHEN time > CAST($1 AS BIGINT) - CAST($2 AS BIGINT) AND time <= CAST($1 AS BIGINT)"
        " THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN time > CAST($1 AS BIGINT) - 2 * CAST($2 AS BIGINT)"
        " AND time <= CAST($1 AS BIGINT) - CAST($2 AS BIGINT) THEN 1 ELSE 0 END),"
        " COUNT(DISTINCT host), MIN(time), MAX(time),"
        " (SELECT detail FROM crashes d WHERE d.signature = c.signature AND " TREND_FILTER("d")
        " ORDER BY time DESC NULLS LAST, id DESC LIMIT 1),"
        " (SELECT bundle FROM crashes d WHERE d.signature = c.signature AND " TREND_FILTER("d")
        " ORDER BY time DESC NULLS LAST, id DESC LIMIT 1)"
        " FROM crashes c WHERE " TREND_FILTER("c") " GROUP BY signature"
        " ORDER BY 6 DESC, 5 DESC, 10 DESC NULLS LAST, signature LIMIT CAST($3 AS BIGINT)";

struct fleet_db {
        char name[512]; /* for messages: the path, or the connection string without its password */
        char rejected[512]; /* why the last fleet_db_add was refused (-EINVAL) */
        sqlite3 *lite;
        PGconn *pg;
};

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

/* One line: which database, what failed, and the server's words (libpq's
 * come with newlines) on one line. */
static void db_log(const struct fleet_db *d, const char *what, const char *why)
{
        char msg[512];
        snprintf(msg, sizeof(msg), "%s", why ? why : "out of memory");
        for (char *p = msg; *p; p++)
                if (*p == '\n')
                        *p = p[1] ? ' ' : '\0';
        log_error("database %s: %s: %s", d->name, what, msg);
}

/* db_log with the connection's last error. */
static void db_error(const struct fleet_db *d, const char *what)
{
        db_log(d, what, d->pg ? PQerrorMessage(d->pg) : d->lite ? sqlite3_errmsg(d->lite) : NULL);
}

static void db_close(struct fleet_db *d)
{
        if (d->pg)
                PQfinish(d->pg);
        sqlite3_close(d->lite);
        d->pg = NULL;
        d->lite = NULL;
}

/* Runs sql (several statements, no parameters); false on error, logged. */
static bool db_exec(struct fleet_db *d, const char *sql, const char *what)
{
        if (d->pg) {
                PGresult *res = PQexec(d->pg, sql);
                ExecStatusType st = PQresultStatus(res);
                bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
                if (!ok)
                        db_log(d, what, PQresultErrorMessage(res));
                PQclear(res);
                return ok;
        }
        char *err = NULL;
        if (sqlite3_exec(d->lite, sql, NULL, NULL, &err) == SQLITE_OK)
                return true;
        db_log(d, what, err ? err : sqlite3_errmsg(d->lite));
        sqlite3_free(err);
        return false;
}

/* A query with text parameters, for both backends: the caller reads rows
 * with q_next/q_text/q_i64 and ends with q_end. */
struct query {
        struct fleet_db *d;
        sqlite3_stmt *st;
        PGresult *res;
        int row, rows;
        bool failed;
};

static bool q_run(struct query *q, struct fleet_db *d, const char *sql, const char *const *params, int n)
{
        memset(q, 0, sizeof(*q));
        q->d = d;
        q->row = -1;
        if (d->pg) {
                q->res = PQexecParams(d->pg, sql, n, NULL, params, NULL, NULL, 0);
                ExecStatusType st = PQresultStatus(q->res);
                q->failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
                q->rows = q->failed ? 0 : PQntuples(q->res);
                return !q->failed;
        }
        if (sqlite3_prepare_v2(d->lite, sql, -1, &q->st, NULL) != SQLITE_OK) {
                q->failed = true;
                return false;
        }
        /* SQLite numbers "$N" parameters in the order they first appear in
         * the text, not by N: bind each by its name */
        for (int i = 0; i < n; i++) {
                char name[16];
                snprintf(name, sizeof(name), "$%d", i + 1);
                int idx = sqlite3_bind_parameter_index(q->st, name);
                if (idx == 0)
                        continue;
                if (params[i])
                        sqlite3_bind_text(q->st, idx, params[i], -1, SQLITE_STATIC);
                else
                        sqlite3_bind_null(q->st, idx);
        }
        return true;
}

static bool q_next(struct query *q)
{
        if (q->failed)
                return false;
        if (q->d->pg)
                return ++q->row < q->rows;
        int r = sqlite3_step(q->st);
        if (r == SQLITE_ROW)
                return true;
        if (r != SQLITE_DONE)
                q->failed = true;
        return false;
}

static const char *q_text(struct query *q, int col)
{
        if (q->d->pg)
                return PQgetisnull(q->res, q->row, col) ? NULL : PQgetvalue(q->res, q->row, col);
        return (const char *)sqlite3_column_text(q->st, col);
}

static int64_t q_i64(struct query *q, int col)
{
        const char *s = q_text(q, col);
        return s ? strtoll(s, NULL, 10) : 0;
}

/* Rows the statement changed (an INSERT: 1 added, 0 already there). */
static int64_t q_changes(struct query *q)
{
        if (q->d->pg)
                return strtoll(PQcmdTuples(q->res), NULL, 10);
        return sqlite3_changes(q->d->lite);
}

/* Finishes the query; false when it failed (logged with what). */
static bool q_end(struct query *q, const char *what)
{
        if (!q->d->pg && q->st && !q->failed) {
                /* a statement that returns no rows runs on its first step */
                while (q_next(q))
                        ;
        }
        if (q->failed) {
                if (q->res)
                        db_log(q->d, what, PQresultErrorMessage(q->res));
                else
                        db_error(q->d, what);
        }
        sqlite3_finalize(q->st);
        PQclear(q->res);
        q->st = NULL;
        q->res = NULL;
        return !q->failed;
}

static bool schema_version_ok(struct fleet_db *d, bool missing_ok)
{
        struct query q;
        const char *v = NULL;
        char buf[32] = "";
        if (q_run(&q, d, "SELECT value FROM coreinspect_meta WHERE key = 'schema'", NULL, 0) && q_next(&q) &&
            (v = q_text(&q, 0)))
                snprintf(buf, sizeof(buf), "%s", v);
        bool failed = q.failed;
        sqlite3_finalize(q.st);
        PQclear(q.res);
        if (failed || !buf[0]) {
                if (missing_ok)
                        return true;
                log_error("%s is not a coreinspect index (no coreinspect_meta table)", d->name);
                return false;
        }
        if (strcmp(buf, SCHEMA_VERSION) != 0) {
                log_error("database %s has schema %s; this coreinspect reads schema %s", d->name, buf,
                          SCHEMA_VERSION);
                return false;
        }
        return true;
}

/* Puts an SQLite database in WAL mode (readers do not block the writer).
 * Two indexers opening a new file at once contend for that switch, and
 * SQLite answers "locked" there without waiting: try again for 10 s. */
static bool lite_wal(struct fleet_db *d)
{
        for (int i = 0; i < 200; i++) {
                int r = sqlite3_exec(d->lite, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
                if (r == SQLITE_OK)
                        return true;
                if (r != SQLITE_BUSY && r != SQLITE_LOCKED)
                        break;
                usleep(50 * 1000);
        }
        db_error(d, "cannot set WAL");
        return false;
}

/* libpq prints the server's notices ("relation ... already exists,
 * skipping") on stderr unless given a processor; a NULL one means "the
 * default". They are no error: shown with -v only. */
static void drop_notice(void *arg, const char *message)
{
        char msg[512];
        snprintf(msg, sizeof(msg), "%s", message);
        msg[strcspn(msg, "\n")] = '\0';
        log_debug("database %s: %s", ((const struct fleet_db *)arg)->name, msg);
}

/* Opens (index: creates) the database: an SQLite file, or PostgreSQL when
 * target is a libpq connection string. */
static int db_open(const char *target, bool create, struct fleet_db *d)
{
        fleet_redact(target, d->name, sizeof(d->name));
        if (fleet_is_postgres(target)) {
                d->pg = PQconnectdb(target);
                if (!d->pg || PQstatus(d->pg) != CONNECTION_OK) {
                        db_error(d, "cannot connect");
                        db_close(d);
                        return -EIO;
                }
                PQsetNoticeProcessor(d->pg, drop_notice, d);
        } else {
                /* SQLite would open a FIFO and wait on it forever */
                int fd = open(target, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                struct stat st;
                if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
                        close(fd);
                        log_error("database %s is not a regular file", d->name);
                        return -EINVAL;
                }
                if (fd >= 0)
                        close(fd);
                if (create)
                        make_parent(target);
                else if (access(target, F_OK) < 0) {
                        log_error("no database at %s: run `coreinspect index` first (or give --db)", target);
                        return -ENOENT;
                }
                int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
                if (sqlite3_open_v2(target, &d->lite, flags, NULL) != SQLITE_OK) {
                        db_error(d, "cannot open");
                        db_close(d);
                        return -EIO;
                }
                sqlite3_busy_timeout(d->lite, 10000); /* another indexer may hold the lock */
        }
        if (!create)
                return schema_version_ok(d, false) ? 0 : (db_close(d), -EIO);
        if (!schema_version_ok(d, true)) {
                db_close(d);
                return -EIO;
        }
        /* Two indexers may create the tables at once: PostgreSQL serializes
         * them with a transaction-scoped advisory lock, SQLite with its own
         * write lock (BEGIN IMMEDIATE). */
        char *ddl = NULL;
        if (asprintf(&ddl, "%sCREATE TABLE IF NOT EXISTS crashes (id %s PRIMARY KEY,%s COMMIT;",
                     d->pg ? "BEGIN; SELECT pg_advisory_xact_lock(7151822);" : "BEGIN IMMEDIATE;",
                     d->pg ? "BIGSERIAL" : "INTEGER", schema_common) < 0) {
                db_close(d);
                return -ENOMEM;
        }
        bool ok = (d->pg || lite_wal(d)) &&
             db_exec(d, ddl, "cannot create its tables");
        free(ddl);
        if (!ok) {
                if (d->pg)
                        db_exec(d, "ROLLBACK", "rollback");
                db_close(d);
                return -EIO;
        }
        return 0;
}

int fleet_db_open(const char *target, bool create, struct fleet_db **ret)
{
        struct fleet_db *d = calloc(1, sizeof(*d));
        if (!d)
                return -ENOMEM;
        int r = db_open(target, create, d);
        if (r < 0) {
                free(d);
                return r;
        }
        *ret = d;
        return 0;
}

void fleet_db_close(struct fleet_db *d)
{
        if (!d)
                return;
        db_close(d);
        free(d);
}

bool fleet_db_has_bundle(struct fleet_db *d, const char *path)
{
        char key[SHA256_HEX_SIZE];
        sha256_hex(path, strlen(path), key);
        struct query q;
        const char *params[] = { key };
        bool known = q_run(&q, d, sql_known, params, 1) && q_next(&q);
        q_end(&q, "cannot look up a bundle");
        return known;
}

int fleet_db_failure(struct fleet_db *d, const char *path, const char *analyzer)
{
        char key[SHA256_HEX_SIZE];
        sha256_hex(path, strlen(path), key);
        struct query q;
        const char *params[] = { key };
        int r = FLEET_NEVER_FAILED;
        if (q_run(&q, d, sql_failed, params, 1) && q_next(&q)) {
                const char *v = q_text(&q, 0);
                _cleanup_free_ char *by = fleet_text_decode(v);
                r = by && strcmp(by, analyzer) == 0 ? FLEET_FAILED_HERE : FLEET_FAILED_ELSEWHERE;
        }
        q_end(&q, "cannot look up a failed bundle");
        return r;
}

/* Runs a statement that changes rows, with parameters; the number of rows
 * it changed, or -EIO (logged with what). */
static int64_t db_change(struct fleet_db *d, const char *sql, const char *const *params, int n, const char *what)
{
        struct query q;
        int64_t changed = -EIO;
        if (q_run(&q, d, sql, params, n)) {
                while (q_next(&q))
                        ;
                if (!q.failed)
                        changed = q_changes(&q);
        }
        return q_end(&q, what) ? changed : -EIO;
}

int fleet_db_add_failure(struct fleet_db *d, const char *path, const char *reason, const char *analyzer)
{
        char key[SHA256_HEX_SIZE], now[32];
        sha256_hex(path, strlen(path), key);
        snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
        _cleanup_free_ char *e_path = fleet_text_encode(path);
        _cleanup_free_ char *e_reason = fleet_text_encode(reason);
        _cleanup_free_ char *e_analyzer = fleet_text_encode(analyzer);
        if (!e_path || !e_reason || !e_analyzer)
                return -ENOMEM;
        const char *params[] = { key, e_path, e_reason, e_analyzer, now };
        int64_t r = db_change(d, sql_fail, params, 5, "cannot record a failed bundle");
        return r < 0 ? (int)r : 0;
}

int fleet_db_forget_failure(struct fleet_db *d, const char *path)
{
        char key[SHA256_HEX_SIZE];
        sha256_hex(path, strlen(path), key);
        const char *params[] = { key };
        int64_t r = db_change(d, sql_unfail, params, 1, "cannot forget a failed bundle");
        return r < 0 ? (int)r : 0;
}

const char *fleet_db_rejected(const struct fleet_db *d)
{
        return d->rejected;
}

/* Whether the failed statement of q was refused for its values (a
 * constraint, a value out of range, a row too big for an index) on a
 * connection that still works, rather than the database failing. */
static bool q_rejected(struct query *q)
{
        if (q->d->pg) {
                const char *state = q->res ? PQresultErrorField(q->res, PG_DIAG_SQLSTATE) : NULL;
                return PQstatus(q->d->pg) == CONNECTION_OK && state &&
                       (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
                        strncmp(state, "54", 2) == 0);
        }
        int e = sqlite3_errcode(q->d->lite) & 0xff;
        return e == SQLITE_CONSTRAINT || e == SQLITE_TOOBIG || e == SQLITE_MISMATCH || e == SQLITE_RANGE;
}

/* The crash's identity: host|pid|time|exe, or path:PATH when the input has
 * no such facts (a raw or zstd core); as a SHA-256 hex key. */
static int crash_key(const struct fleet_crash *c, char key[SHA256_HEX_SIZE])
{
        char *id = NULL;
        int n = c->time > 0 && c->pid > 0
                        ? asprintf(&id, "%s|%d|%" PRId64 "|%s", c->host ? c->host : "", c->pid, c->time,
                                   c->exe ? c->exe : "")
                        : asprintf(&id, "path:%s", c->bundle);
        if (n < 0)
                return -ENOMEM;
        sha256_hex(id, (size_t)n, key);
        free(id);
        return 0;
}

int fleet_db_add(struct fleet_db *d, const struct fleet_crash *c)
{
        char key[SHA256_HEX_SIZE], bundle_key[SHA256_HEX_SIZE];
        if (crash_key(c, key) < 0)
                return -ENOMEM;
        sha256_hex(c->bundle, strlen(c->bundle), bundle_key);
        char pid[32], when[32], sig[32], now[32];
        snprintf(pid, sizeof(pid), "%d", c->pid);
        snprintf(when, sizeof(when), "%" PRId64, c->time);
        snprintf(sig, sizeof(sig), "%d", c->signal);
        snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
        /* every text as the database keeps it (dbtext.h); the numbers and
         * keys are ASCII already */
        const char *text[] = { c->bundle, c->host, c->exe, c->class_id, c->detail, c->confidence,
                               c->crash_frame, c->signature, c->signature_text, path_file_name(c->exe) };
        char *e[ELEMENTSOF(text)] = { 0 };
        int added = -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(text); i++)
                if (text[i] && !(e[i] = fleet_text_encode(text[i])))
                        goto out;
        const char *params[16] = {
                key, e[0], e[1], e[2], pid,
                c->time > 0 ? when : NULL, /* a raw or zstd core: the time is unknown */
                sig, e[3], e[4], e[5], e[6], e[7], e[8], now, e[9], bundle_key,
        };
        struct query q;
        added = -EIO;
        d->rejected[0] = '\0';
        if (q_run(&q, d, sql_insert, params, 16)) {
                while (q_next(&q))
                        ;
                if (!q.failed)
                        added = q_changes(&q) > 0 ? 1 : 0;
        }
        if (q.failed && q_rejected(&q)) {
                const char *why = q.res ? PQresultErrorMessage(q.res) : sqlite3_errmsg(d->lite);
                snprintf(d->rejected, sizeof(d->rejected), "%s", why && *why ? why : "refused");
                for (char *p = d->rejected; *p; p++)
                        if (*p == '\n')
                                *p = p[1] ? ' ' : '\0';
                /* not the database's failure: the caller records it */
                sqlite3_finalize(q.st);
                PQclear(q.res);
                added = -EINVAL;
        } else if (!q_end(&q, "cannot add a crash"))
                added = -EIO;
out:
        for (size_t i = 0; i < ELEMENTSOF(e); i++)
                free(e[i]);
        return added;
}

/* s as it may go to a terminal (the crashed process chose its exe path, its
 * host name comes from a bundle, its function names from an ELF file),
 * escaped as the report escapes it (text_escape, common/escape.h), cut with
 * "..." to fit size: never inside an escape or a UTF-8 character. Returns
 * buf. */
static const char *term_escape(const char *s, char *buf, size_t size)
{
        if (!s)
                s = "?";
        struct strbuf sb;
        strbuf_init(&sb);
        text_escape(&sb, s, strlen(s));
        const char *e = sb.data ? sb.data : "";
        size_t n = sb.data ? sb.len : 0;
        bool cut = n >= size;
        if (cut) {
                n = size >= 4 ? size - 4 : 0; /* room for "..." and the NUL */
                while (n > 0 && ((unsigned char)e[n] & 0xc0) == 0x80)
                        n--;
                /* an escape is at most 4 bytes (\xHH): do not split one */
                for (size_t k = n >= 3 ? n - 3 : 0; k < n; k++)
                        if (e[k] == '\\') {
                                n = k;
                                break;
                        }
        }
        if (size) {
                memcpy(buf, e, MIN(n, size - 1));
                if (cut && size >= 4)
                        memcpy(buf + n, "...", 3), n += 3;
                buf[MIN(n, size - 1)] = '\0';
        }
        strbuf_free(&sb);
        return buf;
}

void fleet_log_not_indexed(const char *path, const char *reason)
{
        /* a log line holds 1 KB: a long path shows its end (the file name) */
        char e_path[512], e_reason[512];
        size_t len = strlen(path);
        const char *shown = len > 200 ? path + len - 200 : path;
        log_error("%s%s: not indexed: %s", shown == path ? "" : "...", term_escape(shown, e_path, sizeof(e_path)),
                  term_escape(reason, e_reason, sizeof(e_reason)));
}

/* "crash_segv: store_through < main" from "v1|class|crash_segv|sigN|store_through|main":
 * the executable's file name (the third field) and the frames after the
 * signal. */
static void where_of(const char *sig_text, char *buf, size_t size)
{
        const char *field[4] = { sig_text };
        for (int i = 1; i < 4 && field[i - 1]; i++) {
                field[i] = strchr(field[i - 1], '|');
                if (field[i])
                        field[i]++;
        }
        if (!field[2]) {
                snprintf(buf, size, "?");
                return;
        }
        size_t len = (size_t)snprintf(buf, size, "%.*s", (int)strcspn(field[2], "|"), field[2]);
        const char *p = field[3] ? strchr(field[3], '|') : NULL;
        if (p && p[1] && len + 2 < size) {
                len += (size_t)snprintf(buf + len, size - len, ": ");
                for (p++; *p && len + 4 < size; p++) {
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
        struct fleet_db db = { 0 };
        if (db_open(db_path, false, &db) < 0)
                return FLEET_DB_ERROR;
        int64_t now = t->now ? t->now : (int64_t)time(NULL);
        int64_t w = (int64_t)t->window_s;
        char p_now[32], p_w[32], p_limit[32];
        snprintf(p_now, sizeof(p_now), "%" PRId64, now);
        snprintf(p_w, sizeof(p_w), "%" PRId64, w);
        snprintf(p_limit, sizeof(p_limit), "%zu", t->limit);
        /* the filters as the database stores text */
        _cleanup_free_ char *e_host = fleet_text_encode(t->host);
        _cleanup_free_ char *e_exe = fleet_text_encode(t->exe);
        _cleanup_free_ char *e_class = fleet_text_encode(t->class_id);
        if ((t->host && !e_host) || (t->exe && !e_exe) || (t->class_id && !e_class)) {
                log_error("out of memory");
                db_close(&db);
                return FLEET_DB_ERROR;
        }
        const char *params[] = { p_now, p_w, p_limit, e_host, e_exe, e_class };
        struct query q;
        q_run(&q, &db, sql_trends, params, 6);
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
        size_t rows = 0;
        while (q_next(&q)) {
                rows++;
                /* the bytes as they were given (dbtext.h) */
                _cleanup_free_ char *sig = fleet_text_decode(q_text(&q, 0));
                _cleanup_free_ char *cls = fleet_text_decode(q_text(&q, 1));
                _cleanup_free_ char *exe = fleet_text_decode(q_text(&q, 2));
                _cleanup_free_ char *text = fleet_text_decode(q_text(&q, 3));
                int64_t total = q_i64(&q, 4), recent = q_i64(&q, 5), previous = q_i64(&q, 6);
                int64_t hosts = q_i64(&q, 7), first = q_i64(&q, 8), last = q_i64(&q, 9);
                _cleanup_free_ char *detail = fleet_text_decode(q_text(&q, 10));
                _cleanup_free_ char *bundle = fleet_text_decode(q_text(&q, 11));
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
                        char seen[32], where[1024], e_where[2048], e_sig[64], e_cls[64];
                        utc(last, seen, sizeof(seen));
                        where_of(text ? text : "", where, sizeof(where));
                        printf("%-16s %6" PRId64 " %9" PRId64 " %9" PRId64 " %-5s %5" PRId64 " %-16s %-19s %s\n",
                               term_escape(sig, e_sig, sizeof(e_sig)), total, recent, previous, trend, hosts, seen,
                               term_escape(cls, e_cls, sizeof(e_cls)), term_escape(where, e_where, sizeof(e_where)));
                }
        }
        int rc = q_end(&q, "cannot query") ? FLEET_OK : FLEET_DB_ERROR;
        if (rc == FLEET_OK) {
                if (t->json) {
                        json_array_end(&j);
                        json_object_end(&j);
                        printf("%s\n", j.sb.data ? j.sb.data : "{}");
                } else if (rows == 0) {
                        char e_name[1024];
                        printf("(no crashes in %s)\n", term_escape(db.name, e_name, sizeof(e_name)));
                }
        }
        json_free(&j);
        db_close(&db);
        return rc;
}
