#include "fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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
#include "pq.h"
#include "sha256.h"
#include "trends.h"
#include "util.h"

#define SCHEMA_VERSION 8

/* The schema, as versioned migrations (docs/fleet.md, "The tables"): a new
 * database runs every step from 0, a database of schema 2 the steps after
 * 2. Each step runs in the transaction that sets the version, under a lock
 * (PostgreSQL: an advisory lock; SQLite: its write lock), so that indexers
 * opening at once run it once. An up-to-date database runs none of it:
 * opening reads the version and nothing else.
 *
 * crashes: one row per crash; crash_key identifies the crash by its
 * content (fleet_crash_key: host, boot id, pid, time, the executable's
 * build-id), so that a bundle copied or renamed counts once and two hosts
 * never collide, whatever the paths. failures: one row per bundle that could
 * not be indexed, by the same key. signatures, sig_days, sig_hosts,
 * sig_versions: the rollups trends reads, kept up to date by each insert in
 * its transaction (SQLite), or by the fold of the crashes an insert queued
 * (PostgreSQL, schema_v7_pg: fleet_db_fold). Keys that are indexed are
 * SHA-256 hashes, so that no path is too long for an index (PostgreSQL's
 * limit is ~2.7 KB a row); the paths themselves are kept, unindexed. Text
 * is stored as fleet_text_encode makes it. The DDL differs by backend only
 * in the id column; every query below runs unchanged on both, but
 * PostgreSQL's insert and its fold. */
static const char schema_v2[] =
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
        " reason TEXT NOT NULL, analyzer TEXT NOT NULL, failed_at BIGINT NOT NULL);";

/* 2 -> 3: content keys, versions, rollups, an index for every filter. The
 * rows of schema 2 keep their keys, marked "v2:": index adopts one (gives
 * it its content key) when it meets its bundle again at the same path from
 * the same host, instead of adding the crash twice. Failures were keyed by
 * path: dropped, so those bundles are tried once more. */
static const char schema_v3[] =
        "ALTER TABLE crashes ADD COLUMN build_id TEXT;"
        "ALTER TABLE crashes ADD COLUMN package TEXT;"
        "ALTER TABLE crashes ADD COLUMN version TEXT;"
        "UPDATE crashes SET crash_key = 'v2:' || crash_key;"
        "DELETE FROM failures;"
        "ALTER TABLE failures ADD COLUMN path_key TEXT;"
        "CREATE INDEX failures_path_key ON failures(path_key);"
        "DROP INDEX IF EXISTS crashes_signature;"
        "CREATE INDEX crashes_signature_time ON crashes(signature, time);"
        "CREATE INDEX crashes_host_time ON crashes(host, time);"
        "CREATE INDEX crashes_exe_time ON crashes(exe, time);"
        "CREATE INDEX crashes_exe_name ON crashes(exe_name);"
        "CREATE TABLE signatures (signature TEXT PRIMARY KEY, class TEXT NOT NULL, exe TEXT, exe_name TEXT,"
        " signature_text TEXT NOT NULL, detail TEXT, crash_frame TEXT, total BIGINT NOT NULL,"
        " hosts BIGINT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,"
        " latest_key TEXT NOT NULL, latest_bundle TEXT NOT NULL, first_version TEXT);"
        "CREATE INDEX signatures_class ON signatures(class);"
        "CREATE INDEX signatures_exe_name ON signatures(exe_name);"
        "CREATE INDEX signatures_last_seen ON signatures(last_seen);"
        "CREATE TABLE sig_days (signature TEXT NOT NULL, day BIGINT NOT NULL, n BIGINT NOT NULL,"
        " first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, latest_key TEXT NOT NULL,"
        " PRIMARY KEY (signature, day));"
        "CREATE INDEX sig_days_day ON sig_days(day);"
        "CREATE TABLE sig_hosts (signature TEXT NOT NULL, host TEXT NOT NULL, n BIGINT NOT NULL,"
        " last_seen BIGINT NOT NULL, PRIMARY KEY (signature, host));"
        "CREATE INDEX sig_hosts_host ON sig_hosts(host);"
        "CREATE TABLE sig_versions (signature TEXT NOT NULL, version TEXT NOT NULL, n BIGINT NOT NULL,"
        " first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, PRIMARY KEY (signature, version));"
        "CREATE INDEX sig_versions_version ON sig_versions(version);"
        /* the rollups of the rows there are (none in a new database) */
        "INSERT INTO sig_days (signature, day, n, first_seen, last_seen, latest_key)"
        " SELECT signature, COALESCE(time, 0) / 86400, COUNT(*), MIN(COALESCE(time, 0)), MAX(COALESCE(time, 0)),"
        " MAX(crash_key) FROM crashes GROUP BY signature, COALESCE(time, 0) / 86400;"
        "INSERT INTO sig_hosts (signature, host, n, last_seen)"
        " SELECT signature, COALESCE(host, ''), COUNT(*), MAX(COALESCE(time, 0)) FROM crashes"
        " GROUP BY signature, COALESCE(host, '');"
        "INSERT INTO signatures (signature, class, exe, exe_name, signature_text, detail, crash_frame, total,"
        " hosts, first_seen, last_seen, latest_key, latest_bundle)"
        " SELECT signature, MAX(class), MAX(exe), MAX(exe_name), MAX(signature_text), NULL, NULL, COUNT(*),"
        " COUNT(DISTINCT host), COALESCE(MIN(time), 0), COALESCE(MAX(time), 0), '', ''"
        " FROM crashes GROUP BY signature;"
        "UPDATE signatures SET"
        " latest_key = (SELECT crash_key FROM crashes c WHERE c.signature = signatures.signature"
        " ORDER BY time DESC NULLS LAST, id DESC LIMIT 1),"
        " latest_bundle = (SELECT bundle FROM crashes c WHERE c.signature = signatures.signature"
        " ORDER BY time DESC NULLS LAST, id DESC LIMIT 1),"
        " detail = (SELECT detail FROM crashes c WHERE c.signature = signatures.signature"
        " ORDER BY time DESC NULLS LAST, id DESC LIMIT 1),"
        " crash_frame = (SELECT crash_frame FROM crashes c WHERE c.signature = signatures.signature"
        " ORDER BY time DESC NULLS LAST, id DESC LIMIT 1);";

/* 3 -> 4, PostgreSQL: crashes partitioned by month (declarative, RANGE on
 * ptime: the crash time, 0 when unknown), so that expire drops a month's
 * rows as a table instead of deleting them. A partitioned table's unique
 * keys must hold its partition key: (crash_key, ptime) is as unique as
 * crash_key, since a crash's key hashes its time (a raw core's, keyed by
 * its bytes, has ptime 0). The rows are copied into the new table (with
 * their ids: the sequence is kept) and the old one dropped; pg_v4 creates
 * a partition for each month of them in between. The untimed crashes
 * (ptime 0) and those after year 9999 have a partition each from the
 * start; a month's is made when its first crash comes (pg_missing, pg_make_pending).
 * There is no DEFAULT partition: attaching a month would lock it. SQLite
 * keeps one table: 3 -> 4 changes nothing there. */
#define V4_COLUMNS                                                                                        \
        "id, crash_key, bundle_key, bundle, host, exe, exe_name, pid, time, signal, class, detail, confidence," \
        " crash_frame, signature, signature_text, indexed_at, build_id, package, version"
static const char schema_v4_pg[] =
        "ALTER TABLE crashes RENAME TO crashes_v3;"
        "ALTER SEQUENCE crashes_id_seq OWNED BY NONE;"
        "ALTER TABLE crashes_v3 DROP CONSTRAINT IF EXISTS crashes_pkey;"
        "ALTER TABLE crashes_v3 DROP CONSTRAINT IF EXISTS crashes_crash_key_key;"
        "DROP INDEX IF EXISTS crashes_time, crashes_bundle_key, crashes_signature_time, crashes_host_time,"
        " crashes_exe_time, crashes_exe_name, crashes_signature;"
        "CREATE TABLE crashes (id BIGINT NOT NULL DEFAULT nextval('crashes_id_seq'), crash_key TEXT NOT NULL,"
        " bundle_key TEXT NOT NULL, bundle TEXT NOT NULL,"
        " host TEXT, exe TEXT, exe_name TEXT, pid BIGINT, time BIGINT, signal INTEGER,"
        " class TEXT NOT NULL, detail TEXT, confidence TEXT, crash_frame TEXT,"
        " signature TEXT NOT NULL, signature_text TEXT NOT NULL, indexed_at BIGINT NOT NULL,"
        " build_id TEXT, package TEXT, version TEXT, ptime BIGINT NOT NULL,"
        " PRIMARY KEY (id, ptime), UNIQUE (crash_key, ptime)) PARTITION BY RANGE (ptime);"
        "CREATE TABLE crashes_untimed PARTITION OF crashes FOR VALUES FROM (MINVALUE) TO (1);"
        "CREATE TABLE crashes_y10000 PARTITION OF crashes FOR VALUES FROM (253402300800) TO (MAXVALUE);";
/* the months of the old rows, as the epoch of their first second (UTC) */
static const char schema_v4_months[] =
        "SELECT DISTINCT CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(time), 'UTC')) AS BIGINT)"
        " FROM crashes_v3 WHERE time > 0 AND time < 253402300800";
static const char schema_v4_pg_end[] =
        "INSERT INTO crashes (" V4_COLUMNS ", ptime) SELECT " V4_COLUMNS ","
        " CASE WHEN time > 0 THEN time ELSE 0 END FROM crashes_v3;"
        "DROP TABLE crashes_v3;"
        "ALTER SEQUENCE crashes_id_seq OWNED BY crashes.id;"
        "CREATE INDEX crashes_time ON crashes(time);"
        "CREATE INDEX crashes_bundle_key ON crashes(bundle_key);"
        "CREATE INDEX crashes_signature_time ON crashes(signature, time);"
        "CREATE INDEX crashes_host_time ON crashes(host, time);"
        "CREATE INDEX crashes_exe_time ON crashes(exe, time);"
        "CREATE INDEX crashes_exe_name ON crashes(exe_name);";
/* crashes' partitions, and whether one is being detached (by an expire
 * that was interrupted) */
/* whether the table named $1 is a partition (of crashes: no other table of
 * ours is partitioned): true, false (there, but being detached or not a
 * partition), or no row (no such table) */
static const char sql_partition_there[] =
        "SELECT COALESCE(NOT i.inhdetachpending, false) FROM pg_class c LEFT JOIN pg_inherits i"
        " ON i.inhrelid = c.oid WHERE c.oid = to_regclass($1)";
static const char sql_partitions[] =
        "SELECT c.relname, i.inhdetachpending FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = CAST('crashes' AS regclass) ORDER BY 1";
/* 4 -> 5: the executable's build-id of a version, so that trends --by
 * version shows the package version (when the bundle recorded it, the key)
 * next to the build-id that trends showed before (the key otherwise). */
static const char schema_v5[] = "ALTER TABLE sig_versions ADD COLUMN build_id TEXT;";
/* 5 -> 6: the rollups of trends' --host and --exe PATH, so that no
 * filter reads the crashes' rows. A "selection" is one host or one
 * executable path: sel is the SHA-256 (hex) of "host|" or "exe|" and the
 * value as stored (fleet_text_encode), so that no path is too long for an
 * index. sel_sigs: per (selection, signature) what signatures holds per
 * signature; sel_days: per (selection, UTC day, signature) the crashes.
 * Filled from the rows there are (the crash with the latest time is the
 * latest, the one with the earliest its first version); SEL_KEY is the
 * backend's SHA-256 of text (PostgreSQL's sha256(), SQLite's
 * coreinspect_sha256() that db_open registers). Self-contained: it reads
 * crashes only, whatever steps 4 and 5 did to that table. */
#define SEL_FILL(KEY, prefix, col)                                                                            \
        "INSERT INTO sel_sigs (sel, signature, n, first_seen, last_seen, latest_key, first_version)"          \
        " SELECT sel, signature, n, first_seen, last_seen, crash_key, first_version FROM"                    \
        " (SELECT " KEY("'" prefix "|' || " col) " AS sel, signature, crash_key,"                             \
        " COUNT(*) OVER w AS n, COALESCE(MIN(time) OVER w, 0) AS first_seen,"                               \
        " COALESCE(MAX(time) OVER w, 0) AS last_seen,"                                                       \
        " FIRST_VALUE(COALESCE(version, build_id)) OVER (PARTITION BY " col ", signature"                     \
        " ORDER BY time ASC NULLS LAST, id ASC) AS first_version,"                                           \
        " ROW_NUMBER() OVER (PARTITION BY " col ", signature ORDER BY time DESC NULLS LAST, id DESC) AS rn"   \
        " FROM crashes WHERE " col " IS NOT NULL WINDOW w AS (PARTITION BY " col ", signature)) x"           \
        " WHERE rn = 1;"                                                                                      \
        "INSERT INTO sel_days (sel, day, signature, n)"                                                       \
        " SELECT " KEY("'" prefix "|' || " col) ", COALESCE(time, 0) / 86400, signature, COUNT(*) FROM crashes" \
        " WHERE " col " IS NOT NULL GROUP BY " col ", COALESCE(time, 0) / 86400, signature;"
#define SCHEMA_V6(KEY)                                                                                        \
        "DROP INDEX IF EXISTS crashes_time;"                                                                  \
        "CREATE INDEX crashes_time ON crashes(time, signature);"                                              \
        "CREATE TABLE sel_sigs (sel TEXT NOT NULL, signature TEXT NOT NULL, n BIGINT NOT NULL,"               \
        " first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, latest_key TEXT NOT NULL, first_version TEXT," \
        " PRIMARY KEY (sel, signature));"                                                                     \
        "CREATE INDEX sel_sigs_last_seen ON sel_sigs(last_seen);"                                             \
        "CREATE TABLE sel_days (sel TEXT NOT NULL, day BIGINT NOT NULL, signature TEXT NOT NULL,"             \
        " n BIGINT NOT NULL, PRIMARY KEY (sel, day, signature));"                                             \
        "CREATE INDEX sel_days_day ON sel_days(day);"                                                         \
        SEL_FILL(KEY, "host", "host") SEL_FILL(KEY, "exe", "exe")
#define PG_SHA256(x) "encode(sha256(convert_to(" x ", 'UTF8')), 'hex')"
#define LITE_SHA256(x) "coreinspect_sha256(" x ")"
/* PostgreSQL: a signature's crashes newest first straight from the index
 * (trends --signature, the page's latest crashes: ORDER BY time DESC NULLS
 * LAST, id DESC); its (signature, time) sorted all of a signature's rows
 * for that (6 s for 125k crashes). SQLite's index holds the rowid, and its
 * NULLs sort first: the plain index is in that order backwards. */
static const char schema_v6_pg[] = "DROP INDEX IF EXISTS crashes_signature_time;"
                                   "CREATE INDEX crashes_signature_time ON crashes(signature, time DESC NULLS LAST, id DESC);"
                                   SCHEMA_V6(PG_SHA256);
static const char schema_v6_lite[] = SCHEMA_V6(LITE_SHA256);
/* 6 -> 7, PostgreSQL: the crashes whose rollups are still to be made
 * (docs/fleet.md, "Rollups"). An insert adds its crash's row here instead
 * of updating the rollups in its own transaction (16 indexers waited for
 * each other's commit on the hot signatures' rows); fleet_db_fold applies
 * them and deletes them. Append only: no key, no row that two writers
 * share. The rollups of the rows there are stay as they are (current).
 * SQLite keeps updating its rollups with each crash (one writer at a
 * time anyway): 6 -> 7 changes nothing there. IF NOT EXISTS: a database
 * set back to an older schema by hand keeps its queue. */
static const char schema_v7_pg[] =
        "CREATE TABLE IF NOT EXISTS rollup_queue (crash_id BIGINT NOT NULL, ptime BIGINT NOT NULL);";
/* 7 -> 8: the indexes trends reads its rollups through (docs/performance.md,
 * "Fleet index"). sig_hosts_top: a signature's hosts with the most crashes
 * first (the page's top 10, HTML_HOSTS), read from the index instead of
 * sorting all of them (the top signature's are all the hosts of the
 * fleet). sig_days_window: the days of the two windows of all signatures
 * (PostgreSQL's one pass, sql_trends_days_pg) read from the index alone
 * (an index-only scan), not from the table's pages; it serves the day
 * lookups of expire as sig_days(day) did, which goes. Both make the
 * upsert of a crash's row update an index: on PostgreSQL it is no longer
 * a HOT update. Self-contained (IF NOT EXISTS: a database set back to an older
 * schema by hand keeps it). */
static const char schema_v8[] =
        "CREATE INDEX IF NOT EXISTS sig_hosts_top ON sig_hosts(signature, n DESC, last_seen DESC, host);"
        "CREATE INDEX IF NOT EXISTS sig_days_window ON sig_days(day, signature, n);"
        "DROP INDEX IF EXISTS sig_days_day;";

static const char sql_known[] = "SELECT 1 FROM crashes WHERE crash_key = $1";
/* a row of schema 2 for this bundle path and host (see schema_v3) */
#define LEGACY_ROW                                                                                \
        "SELECT id FROM crashes WHERE bundle_key = $2 AND crash_key LIKE 'v2:%' AND COALESCE(host, '') = $3" \
        " LIMIT 1"
static const char sql_legacy[] = "UPDATE crashes SET crash_key = $1 WHERE id = (" LEGACY_ROW ")";
/* PostgreSQL: sql_known, then (when not known) sql_legacy, and sql_failed
 * in one statement: one round trip a bundle */
static const char sql_lookup_pg[] =
        "WITH k AS (SELECT 1 FROM crashes WHERE crash_key = $1 LIMIT 1),"
        " l AS (UPDATE crashes SET crash_key = $1 WHERE NOT EXISTS (SELECT 1 FROM k) AND id = (" LEGACY_ROW ")"
        " RETURNING 1)"
        " SELECT EXISTS (SELECT 1 FROM k) OR EXISTS (SELECT 1 FROM l), (SELECT analyzer FROM failures WHERE bundle_key = $1)";
/* PostgreSQL (schema 4) also gives ptime ($20): the partition's key */
#define INSERT_CRASH(ptime, ptime_value, key)                                                          \
        "INSERT INTO crashes (crash_key, bundle, host, exe, pid, time, signal, class, detail,"         \
        " confidence, crash_frame, signature, signature_text, indexed_at, exe_name, bundle_key,"       \
        " build_id, package, version" ptime ")"                                                       \
        " VALUES ($1, $2, $3, $4, CAST($5 AS BIGINT), CAST($6 AS BIGINT), CAST($7 AS INTEGER), $8, $9," \
        " $10, $11, $12, $13, CAST($14 AS BIGINT), $15, $16, $17, $18, $19" ptime_value ")"           \
        " ON CONFLICT (" key ") DO NOTHING"
static const char sql_insert[] = INSERT_CRASH("", "", "crash_key");
/* PostgreSQL (schema 7): the crash, and when it is new its row in
 * rollup_queue; no rollup (fleet_db_fold makes them) */
static const char sql_insert_pg[] =
        "WITH c AS (" INSERT_CRASH(", ptime", ", CAST($20 AS BIGINT)", "crash_key, ptime") " RETURNING id, ptime)"
        " INSERT INTO rollup_queue (crash_id, ptime) SELECT id, ptime FROM c";
/* The rollups of one new crash: $1 signature, $2 time (0: unknown), $3
 * crash key, ... A time of 0 never replaces a known first or last seen. */
#define NEWER(t, col) "(" t " >= " col ")"
#define FIRST(t, col) "CASE WHEN " col " <= 0 OR (" t " > 0 AND " t " < " col ") THEN " t " ELSE " col " END"
#define LAST(t, col) "CASE WHEN " t " > " col " THEN " t " ELSE " col " END"
static const char sql_host_new[] =
        "INSERT INTO sig_hosts (signature, host, n, last_seen) VALUES ($1, $2, 1, CAST($3 AS BIGINT))"
        " ON CONFLICT (signature, host) DO NOTHING";
static const char sql_host_seen[] =
        "UPDATE sig_hosts SET n = n + 1, last_seen = " LAST("CAST($3 AS BIGINT)", "last_seen")
        " WHERE signature = $1 AND host = $2";
/* a day's new crashes (one, or the fold's of the day) added to its row */
#define DAY_UPSERT                                                                                      \
        " ON CONFLICT (signature, day) DO UPDATE SET n = sig_days.n + excluded.n,"                       \
        " first_seen = " FIRST("excluded.first_seen", "sig_days.first_seen") ","                        \
        " last_seen = " LAST("excluded.last_seen", "sig_days.last_seen") ","                            \
        " latest_key = CASE WHEN " NEWER("excluded.last_seen", "sig_days.last_seen")                     \
        " THEN excluded.latest_key ELSE sig_days.latest_key END"
static const char sql_day[] =
        "INSERT INTO sig_days (signature, day, n, first_seen, last_seen, latest_key)"
        " VALUES ($1, CAST($2 AS BIGINT) / 86400, 1, CAST($2 AS BIGINT), CAST($2 AS BIGINT), $3)" DAY_UPSERT;
/* $4: the build-id when $2 is a package version (else NULL); the latest one
 * stays */
static const char sql_version[] =
        "INSERT INTO sig_versions (signature, version, n, first_seen, last_seen, build_id)"
        " VALUES ($1, $2, 1, CAST($3 AS BIGINT), CAST($3 AS BIGINT), $4)"
        " ON CONFLICT (signature, version) DO UPDATE SET n = sig_versions.n + 1,"
        " build_id = CASE WHEN excluded.build_id IS NOT NULL AND (sig_versions.build_id IS NULL OR "
        NEWER("excluded.last_seen", "sig_versions.last_seen") ") THEN excluded.build_id"
        " ELSE sig_versions.build_id END,"
        " first_seen = " FIRST("excluded.first_seen", "sig_versions.first_seen") ","
        " last_seen = " LAST("excluded.last_seen", "sig_versions.last_seen");
/* a selection's rollups (schema_v6): $1 sel, $2 signature, $3 time, $4
 * crash key, $5 version */
/* a selection's first and last seen and latest crash, with its new
 * crashes (one, or the fold's) */
#define SEL_SEEN                                                                                        \
        " first_seen = " FIRST("excluded.first_seen", "sel_sigs.first_seen") ","                        \
        " latest_key = CASE WHEN " NEWER("excluded.last_seen", "sel_sigs.last_seen")                     \
        " THEN excluded.latest_key ELSE sel_sigs.latest_key END,"                                         \
        " last_seen = " LAST("excluded.last_seen", "sel_sigs.last_seen")
static const char sql_sel[] =
        "INSERT INTO sel_sigs (sel, signature, n, first_seen, last_seen, latest_key, first_version)"
        " VALUES ($1, $2, 1, CAST($3 AS BIGINT), CAST($3 AS BIGINT), $4, $5)"
        " ON CONFLICT (sel, signature) DO UPDATE SET n = sel_sigs.n + 1,"
        " first_version = CASE WHEN sel_sigs.first_version IS NULL OR (excluded.first_seen > 0 AND"
        " (sel_sigs.first_seen <= 0 OR excluded.first_seen < sel_sigs.first_seen)) THEN excluded.first_version ELSE sel_sigs.first_version END,"
        SEL_SEEN;
static const char sql_sel_day[] =
        "INSERT INTO sel_days (sel, day, signature, n) VALUES ($1, CAST($3 AS BIGINT) / 86400, $2, 1)"
        " ON CONFLICT (sel, day, signature) DO UPDATE SET n = sel_days.n + 1";
#define LATEST(col) \
        " " col " = CASE WHEN " NEWER("excluded.last_seen", "signatures.last_seen") " THEN excluded." col \
        " ELSE signatures." col " END"
/* $1 signature, $2 class, $3 exe, $4 exe_name, $5 signature_text, $6
 * detail, $7 crash_frame, $8 new host (0/1), $9 time, $10 key, $11 bundle,
 * $12 version */
static const char sql_signature[] =
        "INSERT INTO signatures (signature, class, exe, exe_name, signature_text, detail, crash_frame, total,"
        " hosts, first_seen, last_seen, latest_key, latest_bundle, first_version)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, 1, CAST($8 AS BIGINT), CAST($9 AS BIGINT), CAST($9 AS BIGINT),"
        " $10, $11, $12)"
        " ON CONFLICT (signature) DO UPDATE SET total = signatures.total + 1,"
        " hosts = signatures.hosts + excluded.hosts,"
        " exe = CASE WHEN signatures.exe IS NULL OR excluded.exe > signatures.exe THEN excluded.exe"
        " ELSE signatures.exe END,"
        " signature_text = CASE WHEN excluded.signature_text > signatures.signature_text"
        " THEN excluded.signature_text ELSE signatures.signature_text END,"
        " first_version = CASE WHEN signatures.first_version IS NULL OR (excluded.first_seen > 0 AND"
        " excluded.first_seen < signatures.first_seen) THEN excluded.first_version"
        " ELSE signatures.first_version END,"
        " first_seen = " FIRST("excluded.first_seen", "signatures.first_seen") ","
        LATEST("latest_key") "," LATEST("latest_bundle") "," LATEST("detail") "," LATEST("crash_frame") ","
        " last_seen = " LAST("excluded.last_seen", "signatures.last_seen");
/* sql_signature's values with a total of 0; changes nothing when the row
 * is there, but locks it */
static const char sql_signature_lock[] =
        "INSERT INTO signatures (signature, class, exe, exe_name, signature_text, detail, crash_frame, total,"
        " hosts, first_seen, last_seen, latest_key, latest_bundle, first_version)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, 0, CAST($8 AS BIGINT), CAST($9 AS BIGINT), CAST($9 AS BIGINT),"
        " $10, $11, $12)"
        " ON CONFLICT (signature) DO UPDATE SET total = signatures.total";
static const char sql_failed[] = "SELECT analyzer FROM failures WHERE bundle_key = $1";
static const char sql_fail[] =
        "INSERT INTO failures (bundle_key, bundle, reason, analyzer, failed_at, path_key)"
        " VALUES ($1, $2, $3, $4, CAST($5 AS BIGINT), $6)"
        " ON CONFLICT (bundle_key) DO UPDATE SET bundle = excluded.bundle, reason = excluded.reason,"
        " analyzer = excluded.analyzer, failed_at = excluded.failed_at, path_key = excluded.path_key";
/* the bundle's failure, and that of what lay at its path before */
static const char sql_unfail[] = "DELETE FROM failures WHERE bundle_key = $1 OR path_key = $2";

/* trends. The windows are [$1, $2) (before) and [$2, $3) (recent), in
 * seconds; whole UTC days when the window is whole days, answered from
 * sig_days, else from the crashes' rows (a window under a day: few rows,
 * through crashes(signature, time)). $4 limit, $5 the executable's file
 * name, $6 class; NULL: any. */
#define ROLLUP_FILTER                                                                           \
        " WHERE (CAST($5 AS TEXT) IS NULL OR s.exe_name = CAST($5 AS TEXT))" \
        " AND (CAST($6 AS TEXT) IS NULL OR s.class = CAST($6 AS TEXT))"
#define ROLLUP_TRENDS(window)                                                                            \
        "SELECT s.signature, s.class, s.exe, s.signature_text, s.total, COALESCE(w.recent, 0),"            \
        " COALESCE(w.previous, 0), s.hosts, NULLIF(s.first_seen, 0), NULLIF(s.last_seen, 0), s.detail,"    \
        " s.latest_bundle, s.first_version FROM signatures s LEFT JOIN " window " w"                       \
        " ON w.signature = s.signature" ROLLUP_FILTER                                                      \
        " ORDER BY 6 DESC, 5 DESC, 10 DESC NULLS LAST, 1 LIMIT CAST($4 AS BIGINT)"
/* both windows' counts per signature in one pass over the days (or rows)
 * of the two windows, not two lookups per signature */
#define WINDOW_DAYS(table, filter)                                                                       \
        "(SELECT signature, SUM(CASE WHEN day >= CAST($2 AS BIGINT) / 86400 THEN n ELSE 0 END) AS recent," \
        " SUM(CASE WHEN day < CAST($2 AS BIGINT) / 86400 THEN n ELSE 0 END) AS previous FROM " table     \
        " WHERE " filter "day >= CAST($1 AS BIGINT) / 86400 AND day < CAST($3 AS BIGINT) / 86400"         \
        " GROUP BY signature)"
#define WINDOW_ROWS(filter)                                                                              \
        "(SELECT signature, SUM(CASE WHEN time >= CAST($2 AS BIGINT) THEN 1 ELSE 0 END) AS recent,"       \
        " SUM(CASE WHEN time < CAST($2 AS BIGINT) THEN 1 ELSE 0 END) AS previous FROM crashes"           \
        " WHERE " filter "time >= CAST($1 AS BIGINT) AND time < CAST($3 AS BIGINT) GROUP BY signature)"
/* PostgreSQL: one pass over the windows' days (or rows: crashes(time,
 * signature), schema_v6), hashed by signature; two lookups per signature
 * cost it 1 s for 2,000 signatures. SQLite: the lookups, through the
 * primary key (signature, day) or crashes(signature, time) (50 ms for
 * 2,000 signatures at 1M crashes; its GROUP BY of the same days took 400
 * ms): the queries differ by backend here. */
static const char sql_trends_days_pg[] = ROLLUP_TRENDS(WINDOW_DAYS("sig_days", ""));
static const char sql_trends_rows_pg[] = ROLLUP_TRENDS(WINDOW_ROWS(""));
#define LOOKUPS(recent, previous) "(SELECT signature, " recent " AS recent, " previous " AS previous FROM signatures s)"
#define DAYS(lo, hi)                                                                                    \
        "(SELECT SUM(n) FROM sig_days d WHERE d.signature = s.signature AND d.day >= " lo " / 86400"      \
        " AND d.day < " hi " / 86400)"
#define ROWS(lo, hi)                                                                                    \
        "(SELECT COUNT(*) FROM crashes c WHERE c.signature = s.signature AND c.time >= " lo              \
        " AND c.time < " hi ")"
#define P1 "CAST($1 AS BIGINT)"
#define P2 "CAST($2 AS BIGINT)"
#define P3 "CAST($3 AS BIGINT)"
static const char sql_trends_days[] = ROLLUP_TRENDS(LOOKUPS(DAYS(P2, P3), DAYS(P1, P2)));
static const char sql_trends_rows[] = ROLLUP_TRENDS(LOOKUPS(ROWS(P2, P3), ROWS(P1, P2)));
/* With --host or --exe PATH (a selection, see schema_v6): from sel_sigs
 * and, for whole-day windows, sel_days; a window under a day counts that
 * host's or executable's rows in the two windows (crashes(host, time),
 * crashes(exe, time)). Detail and bundle are those of the selection's
 * latest crash (NULL once expired). $5 sel, $6 the executable's file name,
 * $7 class (NULL: any), $8 the host or path as stored. */
#define SEL_WINDOW_DAYS WINDOW_DAYS("sel_days", "sel = $5 AND ")
#define SEL_WINDOW_ROWS(col) WINDOW_ROWS(col " = CAST($8 AS TEXT) AND ")
#define SEL_TRENDS(window, exe, hosts)                                                                       \
        "SELECT signature, class, " exe ", signature_text, n, recent, previous, " hosts ","                   \
        " NULLIF(first_seen, 0), NULLIF(last_seen, 0),"                                                      \
        " (SELECT detail FROM crashes c WHERE c.crash_key = r.latest_key),"                                   \
        " (SELECT bundle FROM crashes c WHERE c.crash_key = r.latest_key), first_version FROM"                \
        " (SELECT h.signature, s.class, s.exe, s.signature_text, h.n, COALESCE(w.recent, 0) AS recent,"       \
        " COALESCE(w.previous, 0) AS previous, s.total, s.hosts, h.first_seen, h.last_seen, h.latest_key,"    \
        " h.first_version FROM sel_sigs h JOIN signatures s ON s.signature = h.signature"                     \
        " LEFT JOIN " window " w ON w.signature = h.signature"                                                \
        " WHERE h.sel = $5 AND (CAST($6 AS TEXT) IS NULL OR s.exe_name = CAST($6 AS TEXT))"                  \
        " AND (CAST($7 AS TEXT) IS NULL OR s.class = CAST($7 AS TEXT))"                                      \
        " ORDER BY 6 DESC, 5 DESC, 11 DESC, 1 LIMIT CAST($4 AS BIGINT)) r"                                    \
        " ORDER BY 6 DESC, 5 DESC, 10 DESC NULLS LAST, 1"
/* an executable's hosts of a signature: the signature's when all its
 * crashes are this executable's, else counted from the rows */
#define EXE_HOSTS                                                                                            \
        "CASE WHEN n = total THEN hosts ELSE (SELECT COUNT(DISTINCT c.host) FROM crashes c"                   \
        " WHERE c.exe = CAST($8 AS TEXT) AND c.signature = r.signature) END"
static const char sql_trends_host_days[] = SEL_TRENDS(SEL_WINDOW_DAYS, "exe", "1");
static const char sql_trends_host_rows[] = SEL_TRENDS(SEL_WINDOW_ROWS("host"), "exe", "1");
static const char sql_trends_exe_days[] = SEL_TRENDS(SEL_WINDOW_DAYS, "CAST($8 AS TEXT)", EXE_HOSTS);
static const char sql_trends_exe_rows[] = SEL_TRENDS(SEL_WINDOW_ROWS("exe"), "CAST($8 AS TEXT)", EXE_HOSTS);
/* --host with --exe PATH: that host's rows (crashes(host, time)). $5
 * host, $6 executable path, $7 class. "exe || ''" keeps SQLite, which has
 * no statistics, from choosing crashes(exe, time) instead: an executable
 * has many more crashes than a host. */
#define TREND_FILTER(a)                                                                                    \
        a ".host = CAST($5 AS TEXT) AND (" a ".exe || '') = CAST($6 AS TEXT)"                              \
        " AND (CAST($7 AS TEXT) IS NULL OR " a ".class = CAST($7 AS TEXT))"
/* The crash of that host's rows of the signature (c's group) first in
 * order: on SQLite looked up, on PostgreSQL taken in the same pass over
 * them (an array of the group's, sorted: its first); PostgreSQL's
 * planner ANDed the signature's index into each lookup (125k entries for
 * the top signature, 49 ms each, three a signature). */
#define LOOKUP_FIRST(col, order)                                                                           \
        "(SELECT " col " FROM crashes d WHERE d.signature = c.signature AND " TREND_FILTER("d")             \
        " ORDER BY " order " LIMIT 1)"
#define AGG_FIRST(col, order) "(ARRAY_AGG(" col " ORDER BY " order "))[1]"
#define TRENDS_FILTERED(FIRST)                                                                             \
        "SELECT signature, MAX(class), MAX(exe), MAX(signature_text), COUNT(*),"                             \
        " SUM(CASE WHEN time >= CAST($2 AS BIGINT) AND time < CAST($3 AS BIGINT) THEN 1 ELSE 0 END),"        \
        " SUM(CASE WHEN time >= CAST($1 AS BIGINT) AND time < CAST($2 AS BIGINT) THEN 1 ELSE 0 END),"        \
        " COUNT(DISTINCT host), MIN(time), MAX(time), " FIRST("detail", "time DESC NULLS LAST, id DESC") ","  \
        " " FIRST("bundle", "time DESC NULLS LAST, id DESC") ","                                             \
        " " FIRST("COALESCE(version, build_id)", "time ASC NULLS LAST, id ASC")                              \
        " FROM crashes c WHERE " TREND_FILTER("c") " GROUP BY signature"                                     \
        " ORDER BY 6 DESC, 5 DESC, 10 DESC NULLS LAST, signature LIMIT CAST($4 AS BIGINT)"
static const char sql_trends_filtered[] = TRENDS_FILTERED(LOOKUP_FIRST);
static const char sql_trends_filtered_pg[] = TRENDS_FILTERED(AGG_FIRST);

struct fleet_db {
        char name[512]; /* for messages: the path, or the connection string without its password */
        char rejected[512]; /* why the last fleet_db_add was refused (-EINVAL) */
        bool retry;         /* the transaction failed for a deadlock or a serialization failure */
        sqlite3 *lite;
        PGconn *pg;
        /* PostgreSQL: the months (their first second) of the crashes to
         * come, given by fleet_db_months since the last transaction ended */
        int64_t want[256];
        size_t n_want;
        /* PostgreSQL: months found without a partition by a transaction,
         * made by the next fleet_db_begin */
        int64_t pending[264];
        size_t n_pending;
        /* PostgreSQL: fleet_db_begin's BEGIN, not sent yet: it goes with
         * the transaction's first statement (pg_send) */
        bool begin_pending;
        /* fleet_db_add_commit: the insert's COMMIT goes with it (pg_add);
         * ended: the transaction was committed (or failed committing)
         * there, fleet_db_commit and fleet_db_rollback send nothing */
        bool add_commits;
        int ended; /* 1 committed, -1 failed (rolled back) */
        /* PostgreSQL, fleet_db_open: the schema version not checked yet;
         * it goes first in the pipeline of the first statement (pg_send).
         * unusable: the version is one this coreinspect cannot write or
         * migrate (logged once): every statement fails, unlogged */
        bool check_pending, unusable;
        /* SQLite: the statements of the static queries, prepared once */
        struct {
                const char *sql;
                sqlite3_stmt *st;
        } cache[24];
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
        if (d->unusable)
                return; /* its version was the error, said once */
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
        for (size_t i = 0; i < ELEMENTSOF(d->cache); i++) {
                sqlite3_finalize(d->cache[i].st);
                d->cache[i].sql = NULL;
                d->cache[i].st = NULL;
        }
        if (d->pg)
                PQfinish(d->pg);
        sqlite3_close(d->lite);
        d->pg = NULL;
        d->lite = NULL;
        d->n_want = d->n_pending = 0;
        d->begin_pending = d->add_commits = false;
        d->ended = 0;
}

static int db_version(struct fleet_db *d, bool create);

/* The schema version check that fleet_db_open deferred, by itself: the
 * version read, and the database migrated when it is older; false when it
 * cannot be used (logged once; every statement after fails unlogged). */
static bool pg_checked(struct fleet_db *d)
{
        if (!d->check_pending)
                return !d->unusable;
        d->check_pending = false;
        bool begin = d->begin_pending; /* (the migration's own transactions first) */
        d->begin_pending = false;
        d->unusable = db_version(d, true) < 0;
        d->begin_pending = begin;
        return !d->unusable;
}

/* The deferred version check (PostgreSQL), as one statement that fails
 * unless the schema is SCHEMA_VERSION (the cast of "schema N" fails), so
 * that nothing after it in its pipeline runs. */
#define STR2(x) #x
#define STR(x) STR2(x)
static const char sql_version_check[] =
        "SELECT CAST(CASE WHEN max(value) = '" STR(SCHEMA_VERSION) "' THEN '0'"
        " ELSE 'schema ' || COALESCE(max(value), 'none') END AS INTEGER) FROM coreinspect_meta WHERE key = 'schema'";

/* Runs the k statements sql (n[i] parameters p[i] each) on PostgreSQL in
 * one round trip (libpq's pipeline mode), after what is deferred: the
 * version check (fleet_db_open) and BEGIN (fleet_db_begin). res[i] each
 * one's result (PGRES_PIPELINE_ABORTED after a failed one; the caller
 * clears them). A failed version check stopped everything after it: the
 * version is checked by itself (migrated), and all is sent again. 0, or
 * -EIO: nothing ran, or the connection broke (logged). */
static int pg_send(struct fleet_db *d, int k, const char *const *sql, const int *n, const char *const *const *p,
                   PGresult **res)
{
        const char *all[8];
        int m = 0, check = -1, begin = -1;
        for (int i = 0; i < k; i++)
                res[i] = NULL;
        if (d->unusable)
                return -EIO;
        if (d->check_pending)
                all[check = m++] = sql_version_check;
        if (d->begin_pending)
                all[begin = m++] = "BEGIN";
        int first = m;
        if (m + k > (int)ELEMENTSOF(all))
                return -EIO;
        for (int i = 0; i < k; i++)
                all[m++] = sql[i];
        PGresult *r[ELEMENTSOF(all)] = { 0 };
        bool sent = true;
        if (m == 1) {
                r[0] = PQexecParams(d->pg, all[0], first ? 0 : n[0], NULL, first ? NULL : p[0], NULL, NULL, 0);
        } else if (m > 1) {
                sent = PQenterPipelineMode(d->pg);
                for (int i = 0; sent && i < m; i++)
                        sent = PQsendQueryParams(d->pg, all[i], i < first ? 0 : n[i - first], NULL,
                                                 i < first ? NULL : p[i - first], NULL, NULL, 0);
                sent = sent && PQpipelineSync(d->pg);
                /* each statement's result, then NULL; then the sync's */
                for (int i = 0; sent && i <= m; i++) {
                        PGresult *one = PQgetResult(d->pg);
                        if (!one || (i == m) != (PQresultStatus(one) == PGRES_PIPELINE_SYNC)) {
                                PQclear(one);
                                sent = false; /* the connection broke */
                                break;
                        }
                        if (i == m) {
                                PQclear(one);
                                break;
                        }
                        r[i] = one;
                        while ((one = PQgetResult(d->pg)))
                                PQclear(one);
                }
                sent = PQexitPipelineMode(d->pg) && sent;
        }
        d->begin_pending = false;
        bool checked = check < 0 || (sent && PQresultStatus(r[check]) == PGRES_TUPLES_OK);
        if (!checked && PQstatus(d->pg) != CONNECTION_OK)
                sent = false;
        else if (!checked) {
                /* not this schema, or no schema: nothing after it ran */
                for (int i = 0; i < m; i++)
                        PQclear(r[i]);
                d->begin_pending = begin >= 0;
                if (!pg_checked(d))
                        return -EIO;
                return pg_send(d, k, sql, n, p, res);
        }
        if (check >= 0)
                d->check_pending = false;
        bool begun = begin < 0 || (sent && PQresultStatus(r[begin]) == PGRES_COMMAND_OK);
        if (!sent || !begun) {
                if (sent)
                        db_log(d, "cannot begin a transaction", PQresultErrorMessage(r[begin]));
                else
                        db_error(d, "the database's connection broke");
                for (int i = 0; i < m; i++)
                        PQclear(r[i]);
                return -EIO;
        }
        for (int i = 0; i < first; i++)
                PQclear(r[i]);
        for (int i = 0; i < k; i++)
                res[i] = r[first + i];
        return 0;
}

/* PostgreSQL: sends what is deferred (the version check, BEGIN) before a
 * statement that goes by itself; false when it failed (logged). */
static bool pg_begun(struct fleet_db *d)
{
        return pg_send(d, 0, NULL, NULL, NULL, NULL) == 0; /* (nothing deferred: sends nothing) */
}

/* Runs sql (several statements, no parameters); false on error, logged. */
static bool db_exec(struct fleet_db *d, const char *sql, const char *what)
{
        if (d->pg) {
                if (!pg_begun(d))
                        return false;
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
        bool done; /* SQLite: stepped to the end (another step would run it again) */
};

static bool q_run(struct query *q, struct fleet_db *d, const char *sql, const char *const *params, int n)
{
        memset(q, 0, sizeof(*q));
        q->d = d;
        q->row = -1;
        if (d->pg) {
                if (pg_send(d, 1, &sql, &n, &params, &q->res) < 0) {
                        q->failed = true;
                        return false;
                }
                ExecStatusType st = PQresultStatus(q->res);
                q->failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
                q->rows = q->failed ? 0 : PQntuples(q->res);
                return !q->failed;
        }
        size_t slot = ELEMENTSOF(d->cache);
        for (size_t i = 0; i < ELEMENTSOF(d->cache); i++)
                if (d->cache[i].sql == sql || !d->cache[i].sql) {
                        slot = i;
                        break;
                }
        if (slot < ELEMENTSOF(d->cache) && d->cache[slot].sql == sql) {
                q->st = d->cache[slot].st;
                sqlite3_reset(q->st);
                sqlite3_clear_bindings(q->st);
        } else if (sqlite3_prepare_v2(d->lite, sql, -1, &q->st, NULL) != SQLITE_OK) {
                q->failed = true;
                return false;
        } else if (slot < ELEMENTSOF(d->cache)) {
                d->cache[slot].sql = sql;
                d->cache[slot].st = q->st;
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
        if (q->done)
                return false;
        int r = sqlite3_step(q->st);
        if (r == SQLITE_ROW)
                return true;
        q->done = true;
        if (r != SQLITE_DONE)
                q->failed = true;
        return false;
}

/* Ends the statement of q: a cached one is reset for the next use (its
 * locks go), another finalized. */
static void q_release(struct query *q)
{
        if (!q->st)
                return;
        bool cached = false;
        for (size_t i = 0; i < ELEMENTSOF(q->d->cache); i++)
                cached |= q->d->cache[i].st == q->st;
        if (cached) {
                sqlite3_reset(q->st);
                sqlite3_clear_bindings(q->st);
        } else
                sqlite3_finalize(q->st);
        q->st = NULL;
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
        q_release(q);
        PQclear(q->res);
        q->st = NULL;
        q->res = NULL;
        return !q->failed;
}

/* The schema version of the database: 0 when it has no coreinspect_meta
 * table (or no version in it), -1 when it cannot be read. */
static int schema_version(struct fleet_db *d)
{
        struct query q;
        int v = 0;
        if (q_run(&q, d, "SELECT value FROM coreinspect_meta WHERE key = 'schema'", NULL, 0) && q_next(&q)) {
                const char *s = q_text(&q, 0);
                v = s ? atoi(s) : 0;
        }
        bool failed = q.failed;
        q_release(&q);
        PQclear(q.res);
        if (failed && d->pg && PQstatus(d->pg) != CONNECTION_OK)
                return -1;
        return failed ? 0 : v;
}

static bool version_readable(struct fleet_db *d, int v)
{
        if (v == SCHEMA_VERSION)
                return true;
        if (v > SCHEMA_VERSION)
                log_error("database %s has schema %d; this coreinspect reads schema %d (a newer coreinspect made it)",
                          d->name, v, SCHEMA_VERSION);
        else if (v == 1)
                log_error("database %s has schema 1, which is not migrated: move it away and index the store again",
                          d->name);
        else
                log_error("database %s has schema %d; run `coreinspect index` to migrate it to %d", d->name, v,
                          SCHEMA_VERSION);
        return false;
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

/* The month of crash time t (UTC): its partition's name and its range
 * [lo, hi). False when t has no month of its own: unknown (<= 0), or after
 * year 9999 (crashes_untimed and crashes_y10000 hold those). */
static bool month_of(int64_t t, int64_t *lo, int64_t *hi, char name[40])
{
        time_t tt = (time_t)t;
        struct tm tm;
        if (t <= 0 || t >= 253402300800 || !gmtime_r(&tt, &tm))
                return false;
        struct tm a = { .tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = 1 };
        struct tm b = { .tm_year = tm.tm_year + (tm.tm_mon == 11), .tm_mon = (tm.tm_mon + 1) % 12, .tm_mday = 1 };
        *lo = (int64_t)timegm(&a);
        *hi = (int64_t)timegm(&b);
        snprintf(name, 40, "crashes_y%04dm%02d", tm.tm_year + 1900, tm.tm_mon + 1);
        return true;
}

/* The first second of the month a partition of ours is named for
 * ("crashes_y2026m11"), or -1 for another table. */
static int64_t month_of_name(const char *name)
{
        int y, m, n = 0;
        if (!name || sscanf(name, "crashes_y%4dm%2d%n", &y, &m, &n) != 2 || name[n] || m < 1 || m > 12)
                return -1;
        struct tm a = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1 };
        return (int64_t)timegm(&a);
}

/* The DDL of a month's partition: made as a table and attached, which
 * locks crashes in SHARE UPDATE EXCLUSIVE mode only (CREATE TABLE ...
 * PARTITION OF would take ACCESS EXCLUSIVE: every insert and query waits).
 * The table has crashes' columns, defaults and CHECK constraints (an
 * admin's too); attaching adds the indexes. NULL: out of memory. */
static char *partition_ddl(const char *name, int64_t lo, int64_t hi)
{
        char *ddl = NULL;
        if (asprintf(&ddl,
                     "CREATE TABLE %s (LIKE crashes INCLUDING DEFAULTS INCLUDING CONSTRAINTS);"
                     "ALTER TABLE crashes ATTACH PARTITION %s FOR VALUES FROM (%" PRId64 ") TO (%" PRId64 ")",
                     name, name, lo, hi) < 0)
                return NULL;
        return ddl;
}

/* 3 -> 4 on PostgreSQL (schema_v4_pg), inside migrate's transaction. */
static bool pg_v4(struct fleet_db *d)
{
        if (!db_exec(d, schema_v4_pg, "cannot migrate schema 3 to 4"))
                return false;
        struct query q;
        bool ok = q_run(&q, d, schema_v4_months, NULL, 0);
        while (ok && q_next(&q)) {
                int64_t lo, hi;
                char name[40];
                if (!month_of(q_i64(&q, 0), &lo, &hi, name))
                        continue;
                char *ddl = partition_ddl(name, lo, hi);
                ok = ddl && db_exec(d, ddl, "cannot make a partition");
                free(ddl);
        }
        if (!q_end(&q, "cannot read the months of the crashes") || !ok)
                return false;
        return db_exec(d, schema_v4_pg_end, "cannot migrate schema 3 to 4");
}

/* Whether the table name is a partition: 1, 0 no such table, 2 a table
 * that is not (an expire is detaching it), or -EIO (logged). */
static int pg_is_partition(struct fleet_db *d, const char *name)
{
        const char *p[] = { name };
        struct query q;
        int r = 0;
        if (q_run(&q, d, sql_partition_there, p, 1) && q_next(&q)) {
                const char *v = q_text(&q, 0);
                r = v && strcmp(v, "t") == 0 ? 1 : 2;
        }
        return q_end(&q, "cannot look up a partition") ? r : -EIO;
}

/* Runs sql (PostgreSQL, several statements): true, or false with its
 * SQLSTATE in state and the error logged with what, unless the SQLSTATE
 * is quiet (an outcome the caller expects, such as a lock not had). */
static bool pg_exec_state(struct fleet_db *d, const char *sql, const char *what, const char *quiet, char state[6])
{
        if (!pg_begun(d)) {
                state[0] = '\0';
                return false;
        }
        PGresult *res = PQexec(d->pg, sql);
        ExecStatusType st = PQresultStatus(res);
        bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
        if (!ok) {
                const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
                snprintf(state, 6, "%s", s ? s : "");
                if (!quiet || strcmp(state, quiet) != 0)
                        db_log(d, what, res ? PQresultErrorMessage(res) : PQerrorMessage(d->pg));
        }
        PQclear(res);
        return ok;
}

static bool part_exec(struct fleet_db *d, const char *sql, char state[6])
{
        return pg_exec_state(d, sql, "cannot make a partition", NULL, state);
}

/* Makes the partition name in a transaction of its own, committed at
 * once (the caller is in none), so that the lock it takes on crashes
 * (SHARE UPDATE EXCLUSIVE: inserts and queries do not wait for it) is held
 * for the DDL only, never for a transaction of crashes. On the caller's
 * connection, never a second one: behind a pooler whose server
 * connections are all held by writers in their transactions, a second
 * connection would wait for ever. An advisory lock for this month, taken
 * only when it has no partition, makes indexers that meet it at once
 * create it once. 0, -EIO (logged), or -EAGAIN when a lock was not had in
 * 10 s (an expire detaching a partition waits for another writer's
 * transaction: run it again). */
static int pg_make_partition(struct fleet_db *d, const char *name, int64_t lo, int64_t hi)
{
        char lock[128], state[6] = "";
        snprintf(lock, sizeof(lock), "BEGIN; SET LOCAL lock_timeout = '10s'; SELECT pg_advisory_xact_lock(7151823, %d)",
                 (int)(lo / 86400));
        bool ok = part_exec(d, lock, state);
        /* another indexer's, made since it was looked up */
        int there = ok ? pg_is_partition(d, name) : -EIO;
        ok = there >= 0 && there != 2;
        char *ddl = ok && !there ? partition_ddl(name, lo, hi) : NULL;
        if (ok && !there)
                ok = ddl && part_exec(d, ddl, state);
        free(ddl);
        ok = ok && part_exec(d, "COMMIT", state);
        if (!ok)
                db_exec(d, "ROLLBACK", "rollback");
        if (ok)
                log_debug("database %s: partition %s %s", d->name, name, there ? "made by another indexer" : "made");
        return ok ? 0 : there == 2 || strcmp(state, "55P03") == 0 ? -EAGAIN : -EIO;
}

/* Adds month lo to the list l of n (at most max), unless there. */
static void month_add(int64_t *l, size_t *n, size_t max, int64_t lo)
{
        for (size_t i = 0; i < *n; i++)
                if (l[i] == lo)
                        return;
        if (*n < max)
                l[(*n)++] = lo;
}

/* After an insert of a crash of time t found no partition for its month
 * (PostgreSQL; its savepoint rolled back): that month, and every month of
 * fleet_db_months without one (read from the catalog), is to be made by
 * the next fleet_db_begin, so that one transaction run again makes them
 * all. 0, or -EIO (logged). */
static int pg_missing(struct fleet_db *d, int64_t t)
{
        int64_t lo, hi, listed[256];
        size_t n = 0;
        char name[40];
        if (month_of(t, &lo, &hi, name)) {
                month_add(d->pending, &d->n_pending, ELEMENTSOF(d->pending), lo);
                log_debug("database %s: no partition %s: made before the transaction runs again", d->name, name);
        }
        if (!d->n_want)
                return 0;
        struct query q;
        bool ok = q_run(&q, d, sql_partitions, NULL, 0);
        while (ok && q_next(&q)) {
                int64_t m = month_of_name(q_text(&q, 0));
                const char *detaching = q_text(&q, 1);
                if (m >= 0 && !(detaching && strcmp(detaching, "t") == 0))
                        month_add(listed, &n, ELEMENTSOF(listed), m);
        }
        if (!q_end(&q, "cannot list the partitions"))
                return -EIO;
        for (size_t k = 0; k < d->n_want; k++) {
                bool found = false;
                for (size_t i = 0; i < n && !found; i++)
                        found = listed[i] == d->want[k];
                if (!found)
                        month_add(d->pending, &d->n_pending, ELEMENTSOF(d->pending), d->want[k]);
        }
        return 0;
}

/* Whether the failed statement q inserted a row into crashes whose month
 * has no partition (never made, or being detached by an expire): SQLSTATE
 * 23514 (check_violation) on the table crashes itself, with no
 * constraint's name (a CHECK constraint's failure names it and the
 * partition). */
static bool pg_no_partition(const PGresult *res)
{
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        const char *table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
        return state && strcmp(state, "23514") == 0 && table && strcmp(table, "crashes") == 0 &&
               !PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
}

/* Makes the partitions of the months a transaction found without one
 * (d->pending; pg_make_partition, each committed at once), outside any
 * transaction: 0, or -EIO (logged, or d->retry: a lock not had, or the
 * month being dropped; run it again). */
static int pg_make_pending(struct fleet_db *d)
{
        while (d->n_pending) {
                int64_t lo, hi;
                char name[40];
                if (month_of(d->pending[d->n_pending - 1], &lo, &hi, name)) {
                        int r = pg_make_partition(d, name, lo, hi);
                        if (r == -EAGAIN)
                                d->retry = true;
                        if (r < 0)
                                return -EIO;
                }
                d->n_pending--;
        }
        return 0;
}

/* Brings the database to SCHEMA_VERSION, one step after another, in one
 * transaction under a lock: PostgreSQL's advisory lock, SQLite's write
 * lock (BEGIN IMMEDIATE). The version is read again under the lock: another
 * indexer may have migrated it meanwhile. */
static bool migrate(struct fleet_db *d)
{
        if (!d->pg) {
                /* before the first table, or it has no effect: expire frees pages */
                (void)sqlite3_exec(d->lite, "PRAGMA auto_vacuum=INCREMENTAL", NULL, NULL, NULL);
                if (!lite_wal(d))
                        return false;
        }
        if (!db_exec(d, d->pg ? "BEGIN; SELECT pg_advisory_xact_lock(7151822)" : "BEGIN IMMEDIATE",
                     "cannot lock the schema"))
                return false;
        bool ok = db_exec(d, "CREATE TABLE IF NOT EXISTS coreinspect_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                          "cannot create its tables");
        int v = ok ? schema_version(d) : -1;
        ok = v >= 0;
        if (ok && v == 0) {
                char *ddl = NULL;
                ok = asprintf(&ddl, "CREATE TABLE IF NOT EXISTS crashes (id %s PRIMARY KEY,%s",
                              d->pg ? "BIGSERIAL" : "INTEGER", schema_v2) >= 0 &&
                     db_exec(d, ddl, "cannot create its tables");
                free(ddl);
                v = 2;
        }
        if (ok && v == 2) {
                log_debug("database %s: migrating schema 2 to 3", d->name);
                ok = db_exec(d, schema_v3, "cannot migrate schema 2 to 3");
                v = 3;
        }
        if (ok && v == 3) {
                log_debug("database %s: migrating schema 3 to 4", d->name);
                ok = !d->pg || pg_v4(d);
                v = 4;
        }
        if (ok && v == 4) {
                log_debug("database %s: migrating schema 4 to 5", d->name);
                ok = db_exec(d, schema_v5, "cannot migrate schema 4 to 5");
                v = 5;
        }
        if (ok && v == 5) {
                log_debug("database %s: migrating schema 5 to 6", d->name);
                ok = db_exec(d, d->pg ? schema_v6_pg : schema_v6_lite, "cannot migrate schema 5 to 6");
                v = 6;
        }
        if (ok && v == 6) {
                log_debug("database %s: migrating schema 6 to 7", d->name);
                ok = !d->pg || db_exec(d, schema_v7_pg, "cannot migrate schema 6 to 7");
                v = 7;
        }
        if (ok && v == 7) {
                log_debug("database %s: migrating schema 7 to 8", d->name);
                ok = db_exec(d, schema_v8, "cannot migrate schema 7 to 8");
                v = 8;
        }
        if (ok && !version_readable(d, v))
                ok = false;
        if (ok) {
                char *set = NULL;
                ok = asprintf(&set, "INSERT INTO coreinspect_meta (key, value) VALUES ('schema', '%d')"
                                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value; COMMIT",
                              SCHEMA_VERSION) >= 0 &&
                     db_exec(d, set, "cannot set the schema version");
                free(set);
        }
        if (!ok)
                db_exec(d, "ROLLBACK", "rollback");
        return ok;
}

/* coreinspect_sha256(text): the hex SHA-256 of its UTF-8 bytes (NULL
 * for NULL), as PostgreSQL's encode(sha256(...), 'hex'). */
static void lite_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        (void)argc;
        const unsigned char *t = sqlite3_value_text(argv[0]);
        if (!t) {
                sqlite3_result_null(ctx);
                return;
        }
        char hex[SHA256_HEX_SIZE];
        sha256_hex(t, (size_t)sqlite3_value_bytes(argv[0]), hex);
        sqlite3_result_text(ctx, hex, -1, SQLITE_TRANSIENT);
}

/* The key of a selection (schema_v6): what "host" or "exe" (prefix) e
 * (as stored) is. */
static void sel_key(const char *prefix, const char *e, char key[SHA256_HEX_SIZE])
{
        struct strbuf sb;
        strbuf_init(&sb);
        strbuf_append(&sb, prefix, strlen(prefix));
        strbuf_append(&sb, "|", 1);
        strbuf_append(&sb, e, strlen(e));
        sha256_hex(sb.data ? sb.data : "", sb.data ? sb.len : 0, key);
        strbuf_free(&sb);
}

/* Opens (index: creates) the database: an SQLite file, or PostgreSQL when
 * target is a libpq connection string. defer (PostgreSQL, create): the
 * schema version is checked (the database migrated) with the first
 * statement, in its round trip (pg_send), not here. */
static int db_open(const char *target, bool create, bool defer, struct fleet_db *d)
{
        fleet_redact(target, d->name, sizeof(d->name));
        if (fleet_is_postgres(target)) {
                char why[256];
                if (!pq_load(why, sizeof(why))) {
                        db_log(d, "cannot connect", why);
                        return -EIO;
                }
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
                sqlite3_busy_timeout(d->lite, 60000); /* another indexer may hold the lock */
                /* schema_v6's fill */
                sqlite3_create_function(d->lite, "coreinspect_sha256", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                        lite_sha256, NULL, NULL);
        }
        if (d->pg && create && defer) {
                d->check_pending = true; /* with the first statement (pg_send) */
                return 0;
        }
        int r = db_version(d, create);
        if (r < 0)
                db_close(d);
        return r;
}

/* Reads the schema version, and migrates the database when it is older
 * and create: 0, or -EIO (logged). */
static int db_version(struct fleet_db *d, bool create)
{
        int v = schema_version(d);
        if (v < 0) {
                db_error(d, "cannot read the schema version");
                return -EIO;
        }
        if (!create && v == 0) {
                log_error("%s is not a coreinspect index (no coreinspect_meta table)", d->name);
                return -EIO;
        }
        if (v == SCHEMA_VERSION)
                return 0; /* up to date: no DDL, no lock */
        if (!create || v > SCHEMA_VERSION || v == 1) {
                version_readable(d, v);
                return -EIO;
        }
        return migrate(d) ? 0 : -EIO;
}

int fleet_db_ready(struct fleet_db *d)
{
        return !d->pg || pg_checked(d) ? 0 : -EIO;
}

int fleet_db_open(const char *target, bool create, struct fleet_db **ret)
{
        struct fleet_db *d = calloc(1, sizeof(*d));
        if (!d)
                return -ENOMEM;
        int r = db_open(target, create, true, d);
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

static int64_t db_change(struct fleet_db *d, const char *sql, const char *const *params, int n, const char *what);

/* What fleet_db_failure answers for the analyzer v (as stored) of a
 * failure, or of none (NULL). */
static int failure_of(const char *v, const char *analyzer)
{
        if (!v)
                return FLEET_NEVER_FAILED;
        _cleanup_free_ char *by = fleet_text_decode(v);
        return by && strcmp(by, analyzer) == 0 ? FLEET_FAILED_HERE : FLEET_FAILED_ELSEWHERE;
}

int fleet_db_known(struct fleet_db *d, const char *key, const char *path, const char *host, const char *analyzer,
                   int *failure)
{
        /* a row of schema 2 for this path and host: it is this crash */
        char bundle_key[SHA256_HEX_SIZE];
        sha256_hex(path, strlen(path), bundle_key);
        _cleanup_free_ char *e_host = fleet_text_encode(host ? host : "");
        if (!e_host)
                return -ENOMEM;
        const char *lp[] = { key, bundle_key, e_host };
        struct query q;
        if (d->pg && failure) {
                bool ok = q_run(&q, d, sql_lookup_pg, lp, 3) && q_next(&q);
                const char *known = ok ? q_text(&q, 0) : NULL;
                int r = known && strcmp(known, "t") == 0;
                if (ok && !r)
                        *failure = failure_of(q_text(&q, 1), analyzer);
                if (!q_end(&q, "cannot look up a crash") || !ok)
                        return -EIO;
                return r;
        }
        bool known = q_run(&q, d, sql_known, lp, 1) && q_next(&q);
        if (!q_end(&q, "cannot look up a crash"))
                return -EIO;
        int64_t r = known ? 1 : db_change(d, sql_legacy, lp, 3, "cannot look up a crash of schema 2");
        if (r < 0)
                return (int)r;
        if (!r && failure)
                *failure = fleet_db_failure(d, key, analyzer);
        return r > 0;
}

int fleet_db_failure(struct fleet_db *d, const char *key, const char *analyzer)
{
        struct query q;
        const char *params[] = { key };
        int r = FLEET_NEVER_FAILED;
        if (q_run(&q, d, sql_failed, params, 1) && q_next(&q))
                r = failure_of(q_text(&q, 0), analyzer);
        q_end(&q, "cannot look up a failed bundle");
        return r;
}

/* Runs a statement that changes rows to its end: the rows it changed, or
 * -EIO with q->failed (not logged; q_end logs and ends it). */
static int64_t q_change(struct query *q, struct fleet_db *d, const char *sql, const char *const *params, int n)
{
        int64_t changed = -EIO;
        if (q_run(q, d, sql, params, n)) {
                while (q_next(q))
                        ;
                if (!q->failed)
                        changed = q_changes(q);
        }
        return changed;
}

/* Runs a statement that changes rows, with parameters; the number of rows
 * it changed, or -EIO (logged with what). */
static int64_t db_change(struct fleet_db *d, const char *sql, const char *const *params, int n, const char *what)
{
        struct query q;
        int64_t changed = q_change(&q, d, sql, params, n);
        return q_end(&q, what) ? changed : -EIO;
}

int fleet_db_add_failure(struct fleet_db *d, const char *key, const char *path, const char *reason,
                         const char *analyzer)
{
        char now[32];
        snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
        _cleanup_free_ char *e_path = fleet_text_encode(path);
        _cleanup_free_ char *e_reason = fleet_text_encode(reason);
        _cleanup_free_ char *e_analyzer = fleet_text_encode(analyzer);
        if (!e_path || !e_reason || !e_analyzer)
                return -ENOMEM;
        char path_key[SHA256_HEX_SIZE];
        sha256_hex(path, strlen(path), path_key);
        const char *params[] = { key, e_path, e_reason, e_analyzer, now, path_key };
        int64_t r = db_change(d, sql_fail, params, 6, "cannot record a failed bundle");
        return r < 0 ? (int)r : 0;
}

int fleet_db_forget_failure(struct fleet_db *d, const char *key, const char *path)
{
        char path_key[SHA256_HEX_SIZE];
        sha256_hex(path, strlen(path), path_key);
        const char *params[] = { key, path_key };
        int64_t r = db_change(d, sql_unfail, params, 2, "cannot forget a failed bundle");
        return r < 0 ? (int)r : 0;
}

const char *fleet_db_rejected(const struct fleet_db *d)
{
        return d->rejected;
}

/* Whether the failed statement of q lost to another transaction (a
 * serialization failure or a deadlock: PostgreSQL ended it); then the
 * database's retry says so (the caller runs its transaction again), and it
 * is not logged as a failure. */
static bool q_lost(struct query *q)
{
        struct fleet_db *d = q->d;
        const char *state = q->failed && q->res ? PQresultErrorField(q->res, PG_DIAG_SQLSTATE) : NULL;
        if (!state || (strcmp(state, "40P01") != 0 && strcmp(state, "40001") != 0))
                return false;
        d->retry = true;
        log_debug("database %s: %s", d->name, state);
        return true;
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

/* Appends one field of an identity: its length, ':', its bytes (so that no
 * byte of one field can pass for another's). */
static void id_field(struct strbuf *sb, const char *s)
{
        char len[24];
        size_t n = s ? strlen(s) : 0;
        int k = snprintf(len, sizeof(len), "%zu:", n);
        strbuf_append(sb, len, (size_t)k);
        if (n)
                strbuf_append(sb, s, n);
}

int fleet_crash_key(const struct fleet_identity *id, char key[SHA256_HEX_SIZE])
{
        struct strbuf sb;
        strbuf_init(&sb);
        char num[64];
        strbuf_append(&sb, "crash/3|", 8);
        id_field(&sb, id->host);
        id_field(&sb, id->boot_id);
        snprintf(num, sizeof(num), "%" PRId64, id->pid);
        id_field(&sb, num);
        snprintf(num, sizeof(num), "%" PRId64, id->time);
        id_field(&sb, num);
        id_field(&sb, id->build_id);
        if (!sb.data) {
                strbuf_free(&sb);
                return -ENOMEM;
        }
        sha256_hex(sb.data, sb.len, key);
        strbuf_free(&sb);
        return 0;
}

bool fleet_db_retry(const struct fleet_db *d)
{
        return d->retry;
}

void fleet_db_months(struct fleet_db *d, const int64_t *times, size_t n)
{
        int64_t lo, hi;
        char name[40];
        for (size_t i = 0; d->pg && i < n; i++)
                if (month_of(times[i], &lo, &hi, name))
                        month_add(d->want, &d->n_want, ELEMENTSOF(d->want), lo);
}

int fleet_db_begin(struct fleet_db *d)
{
        d->retry = false;
        d->ended = 0;
        if (d->pg) {
                /* the months the last transaction found without their
                 * partition; then BEGIN goes with the first statement */
                if (pg_make_pending(d) < 0)
                        return -EIO;
                d->begin_pending = true;
                return 0;
        }
        /* SQLite: the write lock now, not at the first insert (a reader
         * turned writer can fail at once with "locked") */
        return db_exec(d, "BEGIN IMMEDIATE", "cannot begin a transaction") ? 0 : -EIO;
}

int fleet_db_commit(struct fleet_db *d)
{
        d->n_want = 0;
        if (d->ended) { /* fleet_db_add_commit committed it (or failed to) */
                int r = d->ended > 0 ? 0 : -EIO;
                d->ended = 0;
                return r;
        }
        if (d->begin_pending) { /* nothing was sent: nothing to commit */
                d->begin_pending = false;
                return 0;
        }
        if (db_exec(d, "COMMIT", "cannot commit"))
                return 0;
        db_exec(d, "ROLLBACK", "rollback");
        return -EIO;
}

void fleet_db_rollback(struct fleet_db *d)
{
        d->n_want = 0;
        if (d->begin_pending || d->ended) {
                d->begin_pending = false;
                d->ended = 0;
        } else
                db_exec(d, "ROLLBACK", "rollback");
}

/* add_step's answer for its statement q, which changed rows (or -EIO). */
static int64_t add_result(struct fleet_db *d, struct query *q, int64_t changed)
{
        if (q_lost(q)) {
                PQclear(q->res);
                return -EIO;
        }
        if (q->failed && q_rejected(q)) {
                const char *why = q->res ? PQresultErrorMessage(q->res) : sqlite3_errmsg(d->lite);
                snprintf(d->rejected, sizeof(d->rejected), "%s", why && *why ? why : "refused");
                for (char *p = d->rejected; *p; p++)
                        if (*p == '\n')
                                *p = p[1] ? ' ' : '\0';
                /* not the database's failure: the caller records it */
                q_release(q);
                PQclear(q->res);
                return -EINVAL;
        }
        return q_end(q, "cannot add a crash") ? changed : -EIO;
}

/* Runs a statement of fleet_db_add: the rows it changed, -EINVAL when the
 * database refused the values (why in d->rejected), -EIO. */
static int64_t add_step(struct fleet_db *d, const char *sql, const char *const *params, int n)
{
        struct query q;
        return add_result(d, &q, q_change(&q, d, sql, params, n));
}

/* fleet_db_add's statements on PostgreSQL in one round trip (pg_send,
 * after what is deferred: the version check, BEGIN): SAVEPOINT crash, sql_insert_pg with
 * params, RELEASE SAVEPOINT crash, with unfail (its two parameters)
 * sql_unfail, and with d->add_commits COMMIT; those after the insert run
 * only when it did. add_step's answer for the insert, or -ENOENT: its
 * month has no partition (pg_no_partition). When the insert failed, the
 * savepoint is still there and the transaction open: the caller rolls
 * back to it. d->ended: the COMMIT's outcome, when it ran. */
static int64_t pg_add(struct fleet_db *d, const char *const *params, int n, const char *const *unfail)
{
        const char *sql[5];
        const char *const *p[5] = { NULL };
        int np[5] = { 0 };
        int k = 0, ins, end = -1;
        sql[k++] = "SAVEPOINT crash";
        ins = k;
        p[k] = params;
        np[k] = n;
        sql[k++] = sql_insert_pg;
        sql[k++] = "RELEASE SAVEPOINT crash";
        if (unfail) {
                p[k] = unfail;
                np[k] = 2;
                sql[k++] = sql_unfail;
        }
        if (d->add_commits) {
                end = k;
                sql[k++] = "COMMIT";
        }
        PGresult *res[ELEMENTSOF(sql)];
        if (pg_send(d, k, sql, np, p, res) < 0)
                return -EIO;
        struct query q = { .d = d, .row = -1, .res = res[ins] };
        PGresult *bad = NULL; /* the first statement but the insert that failed */
        int64_t changed = -EIO;
        for (int i = 0; i < k; i++) {
                ExecStatusType st = PQresultStatus(res[i]);
                bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
                if (i == end && st != PGRES_PIPELINE_ABORTED)
                        d->ended = ok ? 1 : -1; /* a failed COMMIT rolls back */
                if (i == ins) {
                        q.failed = !ok;
                        if (ok)
                                changed = strtoll(PQcmdTuples(res[i]), NULL, 10);
                } else if (!ok && !bad && st != PGRES_PIPELINE_ABORTED)
                        bad = res[i];
                else
                        PQclear(res[i]);
        }
        if (bad) {
                /* (the COMMIT's: a serialization failure is run again) */
                struct query c = { .d = d, .res = bad, .failed = true };
                if (!q_lost(&c))
                        db_log(d, "cannot add a crash", PQresultErrorMessage(bad));
                PQclear(bad);
                PQclear(q.res);
                return -EIO;
        }
        if (q.failed && q.res && pg_no_partition(q.res)) {
                PQclear(q.res);
                return -ENOENT;
        }
        return add_result(d, &q, changed);
}

/* The crash row and its rollups (inside the caller's transaction);
 * PostgreSQL: the row and its row in rollup_queue. */
static int add_rows(struct fleet_db *d, const struct fleet_crash *c, char *const e[])
{
        char bundle_key[SHA256_HEX_SIZE];
        sha256_hex(c->bundle, strlen(c->bundle), bundle_key);
        char pid[32], when[32], sig[32], now[32], t[32];
        snprintf(pid, sizeof(pid), "%d", c->pid);
        snprintf(when, sizeof(when), "%" PRId64, c->time);
        snprintf(t, sizeof(t), "%" PRId64, c->time > 0 ? c->time : 0);
        snprintf(sig, sizeof(sig), "%d", c->signal);
        snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
        const char *params[20] = {
                c->key, e[0], e[1], e[2], pid,
                c->time > 0 ? when : NULL, /* a raw or zstd core: the time is unknown */
                sig, e[3], e[4], e[5], e[6], e[7], e[8], now, e[9], bundle_key, e[10], e[11], e[12],
                t, /* PostgreSQL's partition key */
        };
        /* the signature's row first: it stands for all of the signature's
         * rollup rows, so that two transactions adding crashes of one
         * signature take them in one order (PostgreSQL would end one of
         * them for a deadlock: one holding sig_hosts' row, the other
         * sig_days'). A no-op when the row is there. */
        const char *lock[] = { e[7], e[3], e[2], e[9], e[8], e[4], e[6], "0", t, c->key, e[0],
                               e[12] ? e[12] : e[10] };
        /* PostgreSQL: the crash and its row in rollup_queue, no more (the
         * fold makes its rollups: fleet_db_fold) */
        const char *unfail[] = { c->key, bundle_key }; /* sql_unfail's: the path's key is the bundle's */
        if (d->pg)
                return (int)pg_add(d, params, 20, c->forget_failure ? unfail : NULL);
        int64_t r = add_step(d, sql_signature_lock, lock, 12);
        if (r < 0)
                return (int)r;
        r = add_step(d, sql_insert, params, 20);
        if (r <= 0)
                return (int)r;
        /* the rollups: a new crash only */
        const char *host[] = { e[7], e[1] ? e[1] : "", t };
        int64_t new_host = add_step(d, sql_host_new, host, 3);
        if (new_host == 0)
                new_host = add_step(d, sql_host_seen, host, 3) < 0 ? -EIO : 0;
        if (new_host < 0)
                return (int)new_host;
        const char *day[] = { e[7], t, c->key };
        if ((r = add_step(d, sql_day, day, 3)) < 0)
                return (int)r;
        const char *version = e[12] ? e[12] : e[10]; /* the package's, else the build-id */
        if (version) {
                const char *v[] = { e[7], version, t, e[12] ? e[10] : NULL };
                if ((r = add_step(d, sql_version, v, 4)) < 0)
                        return (int)r;
        }
        /* the selections: its host's and its executable's */
        for (int k = 0; k < 2; k++) {
                const char *val = k == 0 ? e[1] : e[2];
                if (!val)
                        continue;
                char sel[SHA256_HEX_SIZE];
                sel_key(k == 0 ? "host" : "exe", val, sel);
                const char *sp[] = { sel, e[7], t, c->key, version };
                if ((r = add_step(d, sql_sel, sp, 5)) < 0 || (r = add_step(d, sql_sel_day, sp, 3)) < 0)
                        return (int)r;
        }
        char hosts[8];
        snprintf(hosts, sizeof(hosts), "%d", new_host > 0 && e[1] ? 1 : 0);
        const char *s[] = { e[7], e[3], e[2], e[9], e[8], e[4], e[6], hosts, t, c->key, e[0], version };
        if ((r = add_step(d, sql_signature, s, 12)) < 0)
                return (int)r;
        return 1;
}

int fleet_db_add(struct fleet_db *d, const struct fleet_crash *c)
{
        /* every text as the database keeps it (dbtext.h); the numbers and
         * keys are ASCII already */
        const char *text[] = { c->bundle, c->host, c->exe, c->class_id, c->detail, c->confidence,
                               c->crash_frame, c->signature, c->signature_text, path_file_name(c->exe),
                               c->build_id, c->package, c->version };
        char *e[ELEMENTSOF(text)] = { 0 };
        int added = -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(text); i++)
                if (text[i] && !(e[i] = fleet_text_encode(text[i])))
                        goto out;
        d->rejected[0] = '\0';
        /* PostgreSQL: a refused statement spoils the transaction, unless
         * rolled back to a savepoint; SQLite undoes the statement only,
         * but the crash's rows go or stay together: a savepoint on both
         * (PostgreSQL: sent with the insert, pg_add) */
        if (!d->pg && !db_exec(d, "SAVEPOINT crash", "cannot add a crash")) {
                added = -EIO;
                goto out;
        }
        added = add_rows(d, c, e);
        if (added > 0 && !d->pg)
                added = db_exec(d, "RELEASE SAVEPOINT crash", "cannot add a crash") ? added : -EIO;
        else if ((!d->pg || PQtransactionStatus(d->pg) == PQTRANS_INERROR) &&
                 !db_exec(d, "ROLLBACK TO SAVEPOINT crash; RELEASE SAVEPOINT crash", "rollback"))
                added = -EIO; /* (SQLite: also the lock's new row) */
        if (added == -ENOENT) {
                /* the month's partition missing (never made, or dropped by
                 * an expire): made by the next begin, and run again */
                d->retry = pg_missing(d, c->time) == 0;
                added = -EIO;
        }
        if (added >= 0 && c->forget_failure && !d->pg && fleet_db_forget_failure(d, c->key, c->bundle) < 0)
                added = -EIO; /* (PostgreSQL: pg_add did) */
out:
        for (size_t i = 0; i < ELEMENTSOF(e); i++)
                free(e[i]);
        return added;
}

int fleet_db_add_commit(struct fleet_db *d, const struct fleet_crash *c)
{
        d->add_commits = d->pg != NULL; /* pg_add sends the COMMIT */
        int r = fleet_db_add(d, c);
        d->add_commits = false;
        if (!d->pg && r >= 0) /* SQLite: nothing to gain, add then commit */
                d->ended = fleet_db_commit(d) == 0 ? 1 : -1;
        return d->ended < 0 ? -EIO : r;
}

/* The fold (PostgreSQL, schema 7; docs/fleet.md, "Rollups"): the crashes
 * of rollup_queue applied to the rollups, a batch of them a transaction.
 * Each statement reads the batch's crashes ($1 their ids, $2 their
 * ptimes: array literals) from the one snapshot of the transaction
 * (REPEATABLE READ), groups them by the rollup's key and writes each key
 * once, so that the rollups are what fleet_db_add's upserts of each crash
 * in turn (by id: the order of the inserts) made before schema 7: n the
 * sum, first_seen the least known time (0 when none), last_seen the
 * greatest, the latest crash the one of the greatest (time, id), the
 * first version as the upserts chose it (window functions over the
 * batch, by id, and the row there was before). Only the holder of the
 * fold's lock (FOLD_LOCK) folds (or expires rollups): nothing else writes
 * a rollup row, so the rows read are those it updates. */
#define FOLD_BATCH 5000
#define FOLD_BATCH_S "5000"
#define FOLD_ROWS                                                                                               \
        "WITH b AS (SELECT c.id, c.crash_key AS k, c.bundle, c.host, c.exe, c.exe_name, c.class, c.detail,"       \
        " c.crash_frame, c.signature AS sig, c.signature_text AS st, c.ptime AS t,"                               \
        " COALESCE(c.version, c.build_id) AS v, CASE WHEN c.version IS NOT NULL THEN c.build_id END AS bid"        \
        " FROM unnest(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[])) AS q(id, ptime)"                                \
        " JOIN crashes c ON c.id = q.id AND c.ptime = q.ptime)"
/* the latest of a group's crashes: its time the greatest, then its id */
#define NEWEST(col) "(array_agg(" col " ORDER BY t DESC, id DESC))[1]"
/* the first version of a group, from rows that carry ofv (the row's
 * before, NULL when none) and lasts: the id of the group's last crash
 * that was the earliest known yet (an upsert then took its version); after
 * it, and where there is none after ofv, each next crash replaced a NULL
 * version. */
#define FOLD_FIRST_VERSION                                                                                      \
        "CASE WHEN MAX(lasts) IS NOT NULL"                                                                        \
        " THEN (array_agg(v ORDER BY id) FILTER (WHERE id >= lasts AND v IS NOT NULL))[1]"                       \
        " ELSE COALESCE(MAX(ofv), (array_agg(v ORDER BY id) FILTER (WHERE v IS NOT NULL))[1]) END"
/* the least known time before a crash of the group (NULL: none) */
#define FOLD_EARLIEST(part)                                                                                     \
        "LEAST(CASE WHEN ofirst > 0 THEN ofirst END, MIN(NULLIF(t, 0)) OVER (PARTITION BY " part               \
        " ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))"
#define FOLD_FIRST(o, col) "CASE WHEN " o ".first_seen IS NULL THEN " col " ELSE " FIRST(col, o ".first_seen") " END"
/* signatures first: whether a (signature, host) is new is read from
 * sig_hosts before the fold adds to it. A crash's version replaced the
 * signature's first when its time was before a known first_seen. */
static const char sql_fold_signatures[] =
        FOLD_ROWS ","
        " r AS (SELECT b.*, o.first_seen AS ofirst, o.first_version AS ofv FROM b"
        " LEFT JOIN signatures o ON o.signature = b.sig),"
        " e AS (SELECT r.*, " FOLD_EARLIEST("sig") " AS earliest FROM r),"
        " s AS (SELECT e.*, MAX(CASE WHEN t > 0 AND t < earliest THEN id END) OVER (PARTITION BY sig) AS lasts FROM e),"
        /* the pairs new to sig_hosts whose first crash had a host (as the
         * upserts counted them: a crash without a host is under '') */
        " h AS (SELECT sig, COUNT(*) AS n FROM (SELECT sig, COALESCE(host, '') AS hk,"
        " (array_agg(host IS NOT NULL ORDER BY id))[1] AS counted FROM b GROUP BY 1, 2) x"
        " WHERE counted AND NOT EXISTS (SELECT 1 FROM sig_hosts y WHERE y.signature = x.sig AND y.host = x.hk)"
        " GROUP BY sig),"
        " a AS (SELECT sig, COUNT(*) AS n, COALESCE(MIN(NULLIF(t, 0)), 0) AS first, MAX(t) AS last,"
        " (array_agg(class ORDER BY id))[1] AS class, (array_agg(exe_name ORDER BY id))[1] AS exe_name,"
        " MAX(exe) AS exe, MAX(st) AS st, " NEWEST("k") " AS k, " NEWEST("bundle") " AS bundle,"
        " " NEWEST("detail") " AS detail, " NEWEST("crash_frame") " AS crash_frame,"
        " " FOLD_FIRST_VERSION " AS fv FROM s GROUP BY sig)"
        " INSERT INTO signatures (signature, class, exe, exe_name, signature_text, detail, crash_frame, total,"
        " hosts, first_seen, last_seen, latest_key, latest_bundle, first_version)"
        " SELECT a.sig, CASE WHEN o.signature IS NULL THEN a.class ELSE o.class END, GREATEST(o.exe, a.exe),"
        " CASE WHEN o.signature IS NULL THEN a.exe_name ELSE o.exe_name END, GREATEST(o.signature_text, a.st),"
        " CASE WHEN o.signature IS NULL OR a.last >= o.last_seen THEN a.detail ELSE o.detail END,"
        " CASE WHEN o.signature IS NULL OR a.last >= o.last_seen THEN a.crash_frame ELSE o.crash_frame END,"
        " COALESCE(o.total, 0) + a.n, COALESCE(o.hosts, 0) + COALESCE(h.n, 0), " FOLD_FIRST("o", "a.first") ","
        " GREATEST(o.last_seen, a.last),"
        " CASE WHEN o.signature IS NULL OR a.last >= o.last_seen THEN a.k ELSE o.latest_key END,"
        " CASE WHEN o.signature IS NULL OR a.last >= o.last_seen THEN a.bundle ELSE o.latest_bundle END, a.fv"
        " FROM a LEFT JOIN signatures o ON o.signature = a.sig LEFT JOIN h ON h.sig = a.sig"
        " ON CONFLICT (signature) DO UPDATE SET class = excluded.class, exe = excluded.exe,"
        " exe_name = excluded.exe_name, signature_text = excluded.signature_text, detail = excluded.detail,"
        " crash_frame = excluded.crash_frame, total = excluded.total, hosts = excluded.hosts,"
        " first_seen = excluded.first_seen, last_seen = excluded.last_seen, latest_key = excluded.latest_key,"
        " latest_bundle = excluded.latest_bundle, first_version = excluded.first_version";
static const char sql_fold_hosts[] =
        FOLD_ROWS " INSERT INTO sig_hosts (signature, host, n, last_seen)"
        " SELECT sig, COALESCE(host, ''), COUNT(*), MAX(t) FROM b GROUP BY 1, 2"
        " ON CONFLICT (signature, host) DO UPDATE SET n = sig_hosts.n + excluded.n,"
        " last_seen = " LAST("excluded.last_seen", "sig_hosts.last_seen");
static const char sql_fold_days[] =
        FOLD_ROWS " INSERT INTO sig_days (signature, day, n, first_seen, last_seen, latest_key)"
        " SELECT sig, t / 86400, COUNT(*), COALESCE(MIN(NULLIF(t, 0)), 0), MAX(t), " NEWEST("k")
        " FROM b GROUP BY sig, t / 86400" DAY_UPSERT;
/* A crash's build-id replaced the version's when it had one and the
 * version's was NULL (the group's first crash with one, when the row had
 * none) or its time was the latest yet (>= every time before it). */
static const char sql_fold_versions[] =
        FOLD_ROWS ","
        " r AS (SELECT b.sig, b.v, b.id, b.t, b.bid, o.build_id AS obid,"
        " GREATEST(o.last_seen, MAX(b.t) OVER (PARTITION BY b.sig, b.v ORDER BY b.id"
        " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS latest,"
        " COUNT(b.bid) OVER (PARTITION BY b.sig, b.v ORDER BY b.id ROWS UNBOUNDED PRECEDING) AS nbid"
        " FROM b LEFT JOIN sig_versions o ON o.signature = b.sig AND o.version = b.v WHERE b.v IS NOT NULL)"
        " INSERT INTO sig_versions (signature, version, n, first_seen, last_seen, build_id)"
        " SELECT sig, v, COUNT(*), COALESCE(MIN(NULLIF(t, 0)), 0), MAX(t),"
        " COALESCE((array_agg(bid ORDER BY id DESC) FILTER (WHERE bid IS NOT NULL"
        " AND (t >= latest OR (obid IS NULL AND nbid = 1))))[1], MAX(obid)) FROM r GROUP BY sig, v"
        " ON CONFLICT (signature, version) DO UPDATE SET n = sig_versions.n + excluded.n,"
        " build_id = excluded.build_id,"
        " first_seen = " FIRST("excluded.first_seen", "sig_versions.first_seen") ","
        " last_seen = " LAST("excluded.last_seen", "sig_versions.last_seen");
/* the batch's crashes once per selection they are in (schema_v6) */
#define FOLD_SELS                                                                                               \
        ", x AS (SELECT " PG_SHA256("'host|' || host") " AS sel, b.* FROM b WHERE host IS NOT NULL"             \
        " UNION ALL SELECT " PG_SHA256("'exe|' || exe") " AS sel, b.* FROM b WHERE exe IS NOT NULL)"
/* A crash's version replaced the selection's first when its time was
 * known and before every known one (or none was known), or the first
 * version was NULL. */
static const char sql_fold_sel_sigs[] =
        FOLD_ROWS FOLD_SELS ","
        " r AS (SELECT x.*, o.first_seen AS ofirst, o.first_version AS ofv FROM x"
        " LEFT JOIN sel_sigs o ON o.sel = x.sel AND o.signature = x.sig),"
        " e AS (SELECT r.*, " FOLD_EARLIEST("sel, sig") " AS earliest FROM r),"
        " s AS (SELECT e.*, MAX(CASE WHEN t > 0 AND (earliest IS NULL OR t < earliest) THEN id END)"
        " OVER (PARTITION BY sel, sig) AS lasts FROM e)"
        " INSERT INTO sel_sigs (sel, signature, n, first_seen, last_seen, latest_key, first_version)"
        " SELECT sel, sig, COUNT(*), COALESCE(MIN(NULLIF(t, 0)), 0), MAX(t), " NEWEST("k") ","
        " " FOLD_FIRST_VERSION " FROM s GROUP BY sel, sig"
        " ON CONFLICT (sel, signature) DO UPDATE SET n = sel_sigs.n + excluded.n,"
        " first_version = excluded.first_version,"
        SEL_SEEN;
static const char sql_fold_sel_days[] =
        FOLD_ROWS FOLD_SELS " INSERT INTO sel_days (sel, day, signature, n)"
        " SELECT sel, t / 86400, sig, COUNT(*) FROM x GROUP BY 1, 2, 3"
        " ON CONFLICT (sel, day, signature) DO UPDATE SET n = sel_days.n + excluded.n";
static const char *const sql_fold[] = { sql_fold_signatures, sql_fold_hosts, sql_fold_days, sql_fold_versions,
                                        sql_fold_sel_sigs, sql_fold_sel_days };

/* Runs a statement of the fold; false when it failed: logged with what,
 * or (not logged) d->retry for a serialization failure or a deadlock. */
static bool fold_step(struct fleet_db *d, const char *sql, const char *const *params, int n, struct query *q,
                      const char *what)
{
        if (q_run(q, d, sql, params, n))
                return true;
        if (q_lost(q))
                q->failed = false; /* not logged */
        q_end(q, what);
        return false;
}

/* The fold's lock (docs/fleet.md, "Rollups"): the EXCLUSIVE lock on
 * signatures, which every writer of rollup rows takes first (the fold,
 * expire's rollups). Inserts (crashes, rollup_queue) and readers (ACCESS
 * SHARE) never wait for it. LOCK TABLE takes no snapshot, so the
 * REPEATABLE READ transaction's, at its next statement, sees what the
 * lock's previous holder committed. A transaction's lock, not a
 * session's: behind a pooler in transaction mode (pgbouncer) each
 * transaction may run on another server connection. */
#define FOLD_LOCK "LOCK TABLE signatures IN EXCLUSIVE MODE"
#define FOLD_BEGIN "BEGIN ISOLATION LEVEL REPEATABLE READ; " FOLD_LOCK

/* Begins a batch of the fold: 1 the lock taken (wait: waited for), 0
 * another holds it (nothing begun), -EIO (logged). */
static int fold_begin(struct fleet_db *d, bool wait, const char *what)
{
        char state[6] = "";
        /* 55P03: lock_not_available, NOWAIT's answer while another folds */
        if (pg_exec_state(d, wait ? FOLD_BEGIN : FOLD_BEGIN " NOWAIT", what, "55P03", state))
                return 1;
        db_exec(d, "ROLLBACK", "rollback");
        return strcmp(state, "55P03") == 0 ? 0 : -EIO;
}

/* One batch of the fold, in its own transaction under the fold's lock:
 * the queue's first FOLD_BATCH crashes (by id) up to *bound (the greatest
 * id in the queue when the fold began: read here when < 0), applied, and
 * deleted (in the snapshot: rows committed since are not seen, and stay).
 * The crashes folded (0: none left), -EBUSY (another holds the lock), or
 * -EIO (logged, or d->retry: run it again). */
static int64_t fold_batch(struct fleet_db *d, bool wait, int64_t *bound, const char *what)
{
        int locked = fold_begin(d, wait, what);
        if (locked <= 0)
                return locked < 0 ? -EIO : -EBUSY;
        struct query q;
        char p_bound[32], p_max[32];
        int64_t n = 0, max = 0;
        struct strbuf ids, ptimes;
        strbuf_init(&ids);
        strbuf_init(&ptimes);
        bool ok = true;
        if (*bound < 0) {
                ok = fold_step(d, "SELECT MAX(crash_id) FROM rollup_queue", NULL, 0, &q, what);
                if (ok && q_next(&q))
                        *bound = q_text(&q, 0) ? q_i64(&q, 0) : 0;
                ok = ok && q_end(&q, what) && *bound >= 0;
        }
        snprintf(p_bound, sizeof(p_bound), "%" PRId64, *bound);
        const char *bp[] = { p_bound };
        if (ok && fold_step(d,
                            "SELECT crash_id, ptime FROM rollup_queue WHERE crash_id <= CAST($1 AS BIGINT)"
                            " ORDER BY crash_id LIMIT " FOLD_BATCH_S,
                            bp, 1, &q, what)) {
                while (q_next(&q)) {
                        const char *id = q_text(&q, 0), *pt = q_text(&q, 1);
                        strbuf_append(&ids, n ? "," : "{", 1);
                        strbuf_append(&ids, id, strlen(id));
                        strbuf_append(&ptimes, n ? "," : "{", 1);
                        strbuf_append(&ptimes, pt, strlen(pt));
                        max = MAX(max, q_i64(&q, 0));
                        n++;
                }
                ok = q_end(&q, what);
        } else
                ok = false;
        strbuf_append(&ids, "}", 1);
        strbuf_append(&ptimes, "}", 1);
        if (ok && n && (!ids.data || !ptimes.data)) {
                log_error("out of memory");
                ok = false;
        }
        const char *params[] = { ids.data, ptimes.data };
        for (size_t i = 0; ok && n && i < ELEMENTSOF(sql_fold); i++)
                ok = fold_step(d, sql_fold[i], params, 2, &q, what) && q_end(&q, what);
        snprintf(p_max, sizeof(p_max), "%" PRId64, max);
        const char *mp[] = { p_max };
        if (ok && n)
                ok = fold_step(d, "DELETE FROM rollup_queue WHERE crash_id <= CAST($1 AS BIGINT)", mp, 1, &q, what) &&
                     q_end(&q, what);
        strbuf_free(&ids);
        strbuf_free(&ptimes);
        if (ok && db_exec(d, "COMMIT", what))
                return n;
        db_exec(d, "ROLLBACK", "rollback");
        return -EIO;
}

/* The fold: batches until none is left of the queue as it was. The
 * crashes folded, -EBUSY (another held the lock at the first batch; at a
 * later one, it goes on with the queue), or -EIO (logged with what). */
static int64_t fold_batches(struct fleet_db *d, bool wait, const char *what)
{
        int64_t bound = -1, total = 0;
        for (int attempt = 0;;) {
                d->retry = false;
                int64_t r = fold_batch(d, wait, &bound, what);
                if (r == -EBUSY)
                        return total ? total : r;
                if (r < 0 && d->retry && ++attempt < 5) {
                        usleep(10000 * attempt);
                        continue;
                }
                if (r < 0) {
                        if (d->retry)
                                db_log(d, what, "a serialization failure 5 times");
                        d->retry = false;
                        return r;
                }
                total += r;
                if (r < FOLD_BATCH)
                        return total;
        }
}

/* fleet_db_fold with what for the messages. */
static int64_t db_fold(struct fleet_db *d, bool wait, const char *what)
{
        if (!d->pg)
                return 0;
        int64_t n = fold_batches(d, wait, what);
        if (n > 0)
                log_debug("database %s: folded %" PRId64 " crashes into the rollups", d->name, n);
        return n;
}

int64_t fleet_db_fold(struct fleet_db *d, bool wait)
{
        return db_fold(d, wait, "cannot fold the new crashes into the rollups (the next fold makes them)");
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

/* Ends a listing of trends: the JSON document, or "(no crashes WHAT
 * NAME)" when nothing was listed. 0, or -EIO when the query failed
 * (logged). Frees j. */
static int end_listing(struct query *q, struct json *j, bool json, size_t rows, const char *what, const char *name)
{
        int rc = q_end(q, "cannot query") ? 0 : -EIO;
        if (rc == 0) {
                if (json) {
                        json_array_end(j);
                        json_object_end(j);
                        printf("%s\n", j->sb.data ? j->sb.data : "{}");
                } else if (rows == 0) {
                        char e_name[1024];
                        printf("(no crashes %s %s)\n", what, term_escape(name, e_name, sizeof(e_name)));
                }
        }
        json_free(j);
        return rc;
}

/* A signature's latest crashes: cond selects the signature ($1 in the
 * statement of one signature, l.sig in that of all, ALL_SIGS below) */
#define LATEST_CRASHES(cond, filter)                                                                      \
        "SELECT host, time, pid, COALESCE(version, build_id), bundle, exe FROM crashes WHERE " cond filter      \
        " ORDER BY time DESC NULLS LAST, id DESC LIMIT CAST($2 AS BIGINT)"
static const char sql_signature_crashes[] = LATEST_CRASHES("signature = $1", "");

/* trends --signature SIG: its crashes, newest first, and whether each
 * bundle is still there. */
static int list_signature(struct fleet_db *db, const struct trends_options *t, int64_t now)
{
        _cleanup_free_ char *e_sig = fleet_text_encode(t->signature);
        char p_limit[32];
        snprintf(p_limit, sizeof(p_limit), "%zu", t->limit);
        const char *params[] = { e_sig, p_limit };
        struct query q;
        q_run(&q, db, sql_signature_crashes, params, 2);
        struct json j;
        json_init(&j, true);
        if (t->json) {
                json_object_begin(&j, NULL);
                json_i64(&j, "now", now);
                json_string(&j, "signature", t->signature);
                json_array_begin(&j, "crashes");
        } else
                printf("%-19s %-16s %8s %-7s %-16s %s\n", "TIME (UTC)", "HOST", "PID", "BUNDLE", "VERSION", "PATH");
        size_t rows = 0;
        while (q_next(&q)) {
                rows++;
                _cleanup_free_ char *host = fleet_text_decode(q_text(&q, 0));
                int64_t when = q_i64(&q, 1), pid = q_i64(&q, 2);
                _cleanup_free_ char *version = fleet_text_decode(q_text(&q, 3));
                _cleanup_free_ char *bundle = fleet_text_decode(q_text(&q, 4));
                _cleanup_free_ char *exe = fleet_text_decode(q_text(&q, 5));
                struct stat st;
                bool exists = bundle && stat(bundle, &st) == 0 && S_ISREG(st.st_mode);
                if (t->json) {
                        json_object_begin(&j, NULL);
                        json_string(&j, "host", host);
                        if (when > 0)
                                json_i64(&j, "time", when);
                        else
                                json_null(&j, "time");
                        json_i64(&j, "pid", pid);
                        json_string(&j, "exe", exe);
                        json_string(&j, "version", version);
                        json_string(&j, "bundle", bundle);
                        json_boolean(&j, "bundle_exists", exists);
                        json_object_end(&j);
                } else {
                        char seen[32], e_host[64], e_version[64], e_bundle[2048];
                        utc(when, seen, sizeof(seen));
                        printf("%-19s %-16s %8" PRId64 " %-7s %-16s %s\n", seen, term_escape(host, e_host, sizeof(e_host)),
                               pid, exists ? "present" : "gone", term_escape(version, e_version, sizeof(e_version)),
                               term_escape(bundle, e_bundle, sizeof(e_bundle)));
                }
        }
        return end_listing(&q, &j, t->json, rows, "of signature", t->signature);
}

/* The page's extras of a signature: its crashes per day over both
 * windows, its hosts and versions (the most crashes first) and its latest
 * crashes; the days and the latest crashes those that --host and --exe
 * PATH select (sig_days, sel_days, or with both that host's rows), the
 * versions (and with --exe PATH the hosts) all the signature's. */
#define HTML_DAYS(SIG)                                                                                     \
        "SELECT day, n FROM sig_days WHERE signature = " SIG " AND day >= CAST($2 AS BIGINT)"               \
        " AND day < CAST($3 AS BIGINT)"
#define HTML_SEL_DAYS(SIG)                                                                                 \
        "SELECT day, n FROM sel_days WHERE signature = " SIG " AND day >= CAST($2 AS BIGINT)"               \
        " AND day < CAST($3 AS BIGINT) AND sel = $4"
#define HTML_ROWS_DAYS(SIG)                                                                                \
        "SELECT time / 86400, COUNT(*) FROM crashes WHERE (signature || '') = " SIG                         \
        " AND time >= CAST($2 AS BIGINT) * 86400 AND time < CAST($3 AS BIGINT) * 86400 AND host = $4"       \
        " AND (exe || '') = $5 GROUP BY time / 86400"
/* through crashes(signature, time), newest first, or that host's rows
 * (crashes(host, time)): not all of the executable's (see TREND_FILTER),
 * nor the signature's ("signature || ''": PostgreSQL ANDed the signature's
 * index with the host's, thousands of entries for a common signature) */
#define LATEST_HOST(SIG) LATEST_CRASHES("(signature || '') = " SIG, " AND host = $3")
#define LATEST_EXE(SIG) LATEST_CRASHES("signature = " SIG, " AND (exe || '') = $3")
#define LATEST_HOST_EXE(SIG) LATEST_CRASHES("(signature || '') = " SIG, " AND host = $3 AND (exe || '') = $4")
/* the top 10 read from sig_hosts_top (schema_v8), not sorted from all
 * the signature's hosts */
#define HTML_HOSTS(SIG)                                                                                    \
        "SELECT host, n, 0, last_seen FROM sig_hosts WHERE signature = " SIG                                \
        " ORDER BY n DESC, last_seen DESC, host LIMIT 10"
#define VERSIONS(SIG)                                                                                      \
        "SELECT version, n, first_seen, last_seen, build_id FROM sig_versions WHERE signature = " SIG       \
        " ORDER BY first_seen DESC, version LIMIT 100"
/* Whether the signature's first version is the newest version of its
 * executable (the version of all its signatures that appeared last), when
 * the executable has been seen in more than one version: "new in this
 * version". */
#define EXE_VERSIONS                                                                                     \
        " FROM sig_versions v JOIN signatures s2 ON s2.signature = v.signature"                            \
        " WHERE s2.exe_name = s.exe_name AND s2.exe = s.exe"
#define NEW_IN_VERSION(SIG)                                                                              \
        "SELECT CASE WHEN s.first_version = (SELECT v.version" EXE_VERSIONS                               \
        " GROUP BY v.version ORDER BY MIN(v.first_seen) DESC, v.version DESC LIMIT 1)"                    \
        " AND (SELECT COUNT(DISTINCT v.version)" EXE_VERSIONS ") > 1 THEN 1 ELSE 0 END"                   \
        " FROM signatures s WHERE s.signature = " SIG
/* PostgreSQL: a statement of one signature run for each of a list of
 * them at once, $1 (an array literal, sig_list): one round trip and one
 * plan for the listed signatures, not one a signature (the page ran 102
 * statements). Each row is the signature's place in $1 (from 1) and a
 * row of the statement of one. Where the order of a signature's rows
 * matters, its statement has a LIMIT: such a lateral subquery is not
 * flattened into the join but run for each element of $1 in turn (a
 * nested loop), its rows in its own order. */
#define ALL_SIGS(one)                                                                                      \
        "SELECT l.ord, x.* FROM unnest(CAST($1 AS TEXT[])) WITH ORDINALITY AS l(sig, ord)"                   \
        " CROSS JOIN LATERAL (" one ") x"
#define PER_SIG(name, MACRO)                                                                               \
        static const struct per_sig name = { MACRO("$1"), ALL_SIGS(MACRO("l.sig")) }
struct per_sig {
        const char *one, *all;
};
PER_SIG(sql_html_days, HTML_DAYS);
PER_SIG(sql_html_sel_days, HTML_SEL_DAYS);
PER_SIG(sql_html_rows_days, HTML_ROWS_DAYS);
#define LATEST_ALL(SIG) LATEST_CRASHES("signature = " SIG, "")
PER_SIG(sql_latest, LATEST_ALL);
PER_SIG(sql_latest_host, LATEST_HOST);
/* one statement a signature on PostgreSQL too: in the statement of all
 * (ALL_SIGS) the planner, which sees no signature and no correlation of
 * signature and path, expects a signature's few hundred crashes and the
 * path's filter to keep almost none of them, and sorted all the crashes
 * of each signature (10 s for the page at 1M crashes) instead of walking
 * its index newest first */
static const struct per_sig sql_latest_exe = { LATEST_EXE("$1"), NULL };
PER_SIG(sql_latest_host_exe, LATEST_HOST_EXE);
PER_SIG(sql_html_hosts, HTML_HOSTS);
PER_SIG(sql_versions, VERSIONS);
PER_SIG(sql_new_in_version, NEW_IN_VERSION);
enum { HTML_LATEST = 5, HTML_MAX_DAYS = 400 };

static void trend_sig_free(struct trend_sig *s)
{
        free(s->sig), free(s->cls), free(s->exe), free(s->text), free(s->detail), free(s->bundle);
        free(s->first_version), free(s->days);
        for (size_t i = 0; i < s->n_host_list; i++)
                free(s->host_list[i].name);
        for (size_t i = 0; i < s->n_versions; i++)
                free(s->versions[i].name), free(s->versions[i].build_id);
        for (size_t i = 0; i < s->n_latest; i++)
                free(s->latest[i].host), free(s->latest[i].version), free(s->latest[i].bundle);
        free(s->host_list), free(s->versions), free(s->latest);
}

static void trends_data_free(struct trends_data *d)
{
        for (size_t i = 0; i < d->n; i++)
                trend_sig_free(&d->sigs[i]);
        free(d->sigs);
        d->sigs = NULL;
        d->n = 0;
}

/* What trends selects by --host and --exe PATH (d->scope): the values as
 * stored, and the selection's key (schema_v6). */
struct trends_sel {
        const char *e_host, *e_exe;
        char key[SHA256_HEX_SIZE];
};

/* d's signatures as the database stores them (fleet_text_encode) and, for
 * PostgreSQL, all of them as the array literal of ALL_SIGS' $1. */
struct sig_list {
        char **e_sigs;
        size_t n;
        char *array;
};

static void sig_list_free(struct sig_list *l)
{
        for (size_t i = 0; l->e_sigs && i < l->n; i++)
                free(l->e_sigs[i]);
        free(l->e_sigs);
        free(l->array);
}

/* false: out of memory */
static bool sig_list_make(struct sig_list *l, const struct trends_data *d, bool pg)
{
        *l = (struct sig_list){ .e_sigs = calloc(d->n ? d->n : 1, sizeof(*l->e_sigs)), .n = d->n };
        if (!l->e_sigs)
                return false;
        struct strbuf sb;
        strbuf_init(&sb);
        strbuf_append(&sb, "{", 1);
        for (size_t i = 0; i < d->n; i++) {
                if (!(l->e_sigs[i] = fleet_text_encode(d->sigs[i].sig))) {
                        strbuf_free(&sb);
                        return false;
                }
                if (!pg)
                        continue;
                /* an element in double quotes, its " and \ after a backslash */
                strbuf_append(&sb, i ? ",\"" : "\"", i ? 2 : 1);
                for (const char *c = l->e_sigs[i]; *c; c++) {
                        if (*c == '"' || *c == '\\')
                                strbuf_append(&sb, "\\", 1);
                        strbuf_append(&sb, c, 1);
                }
                strbuf_append(&sb, "\"", 1);
        }
        strbuf_append(&sb, "}", 1);
        if (pg)
                l->array = strbuf_steal(&sb, NULL);
        strbuf_free(&sb);
        return !pg || l->array;
}

/* Takes a row of a per-signature statement (its columns from col on) for
 * s; false: out of memory. */
typedef bool (*sig_row_fn)(struct query *q, int col, const struct trends_data *d, struct trend_sig *s);

/* Runs the statement of one signature for each of d's signatures: on
 * PostgreSQL one statement for all of them (ALL_SIGS; unless it has none),
 * on SQLite (in the process: no round trip to save) one a signature.
 * params[0] is set here (the signature, or all of them); n: the
 * statement's parameters (PostgreSQL takes no unused one). false when it
 * failed (logged). */
static bool per_sig(struct fleet_db *db, struct trends_data *d, const struct sig_list *l, const struct per_sig *sql,
                    const char **params, int n, sig_row_fn each)
{
        struct query q;
        bool ok = true, rows_ok = true;
        if (db->pg && sql->all) {
                params[0] = l->array;
                q_run(&q, db, sql->all, params, n);
                while (rows_ok && q_next(&q)) {
                        int64_t i = q_i64(&q, 0);
                        rows_ok = i >= 1 && (uint64_t)i <= d->n && each(&q, 1, d, &d->sigs[i - 1]);
                }
                ok = q_end(&q, "cannot query");
        } else
                for (size_t i = 0; ok && rows_ok && i < d->n; i++) {
                        params[0] = l->e_sigs[i];
                        q_run(&q, db, sql->one, params, n);
                        while (rows_ok && q_next(&q))
                                rows_ok = each(&q, 0, d, &d->sigs[i]);
                        ok = q_end(&q, "cannot query");
                }
        if (ok && !rows_ok)
                log_error("out of memory");
        return ok && rows_ok;
}

static bool row_new_in_version(struct query *q, int col, const struct trends_data *d, struct trend_sig *s)
{
        (void)d;
        s->new_in_version = q_i64(q, col) == 1;
        return true;
}

/* a (name, n, first_seen, last_seen[, build_id]) row */
static bool add_count(struct query *q, int col, struct trend_count **list, size_t *n, bool build_id)
{
        struct trend_count *c = realloc(*list, (*n + 1) * sizeof(**list));
        if (!c)
                return false;
        *list = c;
        c[*n] = (struct trend_count){ .name = fleet_text_decode(q_text(q, col)), .n = q_i64(q, col + 1),
                                      .first_seen = q_i64(q, col + 2), .last_seen = q_i64(q, col + 3) };
        if (build_id && q_text(q, col + 4))
                c[*n].build_id = fleet_text_decode(q_text(q, col + 4));
        (*n)++;
        return true;
}

static bool row_version(struct query *q, int col, const struct trends_data *d, struct trend_sig *s)
{
        (void)d;
        return add_count(q, col, &s->versions, &s->n_versions, true);
}

static bool row_host(struct query *q, int col, const struct trends_data *d, struct trend_sig *s)
{
        (void)d;
        return add_count(q, col, &s->host_list, &s->n_host_list, false);
}

static bool row_day(struct query *q, int col, const struct trends_data *d, struct trend_sig *s)
{
        int64_t day = q_i64(q, col) - d->day_lo;
        if (day >= 0 && (uint64_t)day < d->n_days)
                s->days[day] += q_i64(q, col + 1);
        return true;
}

static bool row_latest(struct query *q, int col, const struct trends_data *d, struct trend_sig *s)
{
        (void)d;
        if (s->n_latest >= HTML_LATEST)
                return true;
        struct trend_crash *c = &s->latest[s->n_latest++];
        c->host = fleet_text_decode(q_text(q, col));
        c->time = q_i64(q, col + 1);
        c->pid = q_i64(q, col + 2);
        c->version = fleet_text_decode(q_text(q, col + 3));
        c->bundle = fleet_text_decode(q_text(q, col + 4));
        struct stat st;
        c->exists = c->bundle && stat(c->bundle, &st) == 0 && S_ISREG(st.st_mode);
        return true;
}

/* The page's extras of each signature (see HTML_DAYS). false when they
 * could not be read (logged). */
static bool read_extras(struct fleet_db *db, struct trends_data *d, const struct trends_sel *sel,
                        const struct sig_list *l)
{
        for (size_t i = 0; i < d->n; i++) {
                struct trend_sig *s = &d->sigs[i];
                s->days = calloc(d->n_days ? d->n_days : 1, sizeof(*s->days));
                s->latest = calloc(HTML_LATEST, sizeof(*s->latest));
                if (!s->days || !s->latest) {
                        log_error("out of memory");
                        return false;
                }
                if (d->scope == TRENDS_HOST || d->scope == TRENDS_HOST_EXE) {
                        /* the one host */
                        s->host_list = calloc(1, sizeof(*s->host_list));
                        if (!s->host_list || !(s->host_list->name = strdup(d->host))) {
                                log_error("out of memory");
                                return false;
                        }
                        s->host_list->n = s->total;
                        s->host_list->last_seen = s->last;
                        s->n_host_list = 1;
                }
        }
        char p_lo[32], p_hi[32], p_limit[32];
        snprintf(p_lo, sizeof(p_lo), "%" PRId64, d->day_lo);
        snprintf(p_hi, sizeof(p_hi), "%" PRId64, d->day_lo + (int64_t)d->n_days);
        snprintf(p_limit, sizeof(p_limit), "%d", HTML_LATEST);
        const char *params[] = { NULL, p_lo, p_hi, d->scope == TRENDS_HOST_EXE ? sel->e_host : sel->key, sel->e_exe };
        const char *p1[] = { NULL };
        const char *lparams[] = { NULL, p_limit, d->scope == TRENDS_EXE ? sel->e_exe : sel->e_host, sel->e_exe };
        return per_sig(db, d, l,
                       d->scope == TRENDS_ALL        ? &sql_html_days
                       : d->scope == TRENDS_HOST_EXE ? &sql_html_rows_days
                                                     : &sql_html_sel_days,
                       params, d->scope == TRENDS_ALL ? 3 : d->scope == TRENDS_HOST_EXE ? 5 : 4, row_day) &&
               (d->scope == TRENDS_HOST || d->scope == TRENDS_HOST_EXE ||
                per_sig(db, d, l, &sql_html_hosts, p1, 1, row_host)) &&
               per_sig(db, d, l,
                       d->scope == TRENDS_ALL    ? &sql_latest
                       : d->scope == TRENDS_HOST ? &sql_latest_host
                       : d->scope == TRENDS_EXE  ? &sql_latest_exe
                                                 : &sql_latest_host_exe,
                       lparams, d->scope == TRENDS_ALL ? 2 : d->scope == TRENDS_HOST_EXE ? 4 : 3, row_latest);
}

/* What trends shows of each signature beyond its row: whether it is new in
 * its version, its versions (--by version, the page) and the page's
 * extras. 0, or -errno (logged). */
static int read_per_sig(struct fleet_db *db, const struct trends_options *t, bool extras, struct trends_data *d,
                        const struct trends_sel *sel)
{
        struct sig_list l;
        if (!sig_list_make(&l, d, db->pg != NULL)) {
                sig_list_free(&l);
                log_error("out of memory");
                return -ENOMEM;
        }
        const char *p1[] = { NULL };
        bool ok = d->n == 0 ||
                  (per_sig(db, d, &l, &sql_new_in_version, p1, 1, row_new_in_version) &&
                   (!(extras || t->by_version) || per_sig(db, d, &l, &sql_versions, p1, 1, row_version)) &&
                   (!extras || read_extras(db, d, sel, &l)));
        sig_list_free(&l);
        return ok ? 0 : -EIO;
}

/* The query layer of trends: the signatures (and with extras, what the
 * page shows of each) into d. 0, or -errno (logged). */
static int trends_read(struct fleet_db *db, const struct trends_options *t, int64_t now, bool extras,
                       struct trends_data *d)
{
        int64_t w = (int64_t)t->window_s;
        /* [prev_lo, rec_lo) and [rec_lo, rec_hi): whole UTC days, now's
         * the last, when the window is whole days (the rollups' days);
         * else the seconds up to now */
        int64_t rec_hi = w % 86400 == 0 ? (now / 86400 + 1) * 86400 : now + 1;
        int64_t rec_lo = rec_hi - w, prev_lo = rec_lo - w;
        *d = (struct trends_data){ .now = now, .window_s = w, .prev_lo = prev_lo, .rec_lo = rec_lo, .rec_hi = rec_hi,
                                   .db_name = db->name, .host = t->host, .exe = t->exe, .class_id = t->class_id };
        /* the chart: the days of both windows, at most HTML_MAX_DAYS up to now's */
        int64_t day_hi = now / 86400 + 1, day_lo = prev_lo >= 0 ? prev_lo / 86400 : 0;
        if (day_hi - day_lo > HTML_MAX_DAYS)
                day_lo = day_hi - HTML_MAX_DAYS;
        d->day_lo = day_lo;
        if (w % 86400 == 0)
                snprintf(d->window, sizeof(d->window), "%" PRId64 "d", w / 86400);
        else if (w % 3600 == 0)
                snprintf(d->window, sizeof(d->window), "%" PRId64 "h", w / 3600);
        else
                snprintf(d->window, sizeof(d->window), "%" PRId64 "s", w);
        d->n_days = (size_t)(day_hi - day_lo);
        char p_prev[32], p_lo[32], p_hi[32], p_limit[32];
        snprintf(p_prev, sizeof(p_prev), "%" PRId64, prev_lo);
        snprintf(p_lo, sizeof(p_lo), "%" PRId64, rec_lo);
        snprintf(p_hi, sizeof(p_hi), "%" PRId64, rec_hi);
        snprintf(p_limit, sizeof(p_limit), "%zu", t->limit);
        /* the filters as the database stores text */
        _cleanup_free_ char *e_host = fleet_text_encode(t->host);
        _cleanup_free_ char *e_exe = fleet_text_encode(t->exe);
        _cleanup_free_ char *e_class = fleet_text_encode(t->class_id);
        if ((t->host && !e_host) || (t->exe && !e_exe) || (t->class_id && !e_class)) {
                log_error("out of memory");
                return -ENOMEM;
        }
        struct query q;
        bool path = t->exe && strchr(t->exe, '/');
        struct trends_sel sel = { .e_host = e_host, .e_exe = e_exe };
        d->scope = t->host && path ? TRENDS_HOST_EXE : t->host ? TRENDS_HOST : path ? TRENDS_EXE : TRENDS_ALL;
        if (d->scope == TRENDS_HOST_EXE) {
                /* that host's rows */
                const char *params[] = { p_prev, p_lo, p_hi, p_limit, e_host, e_exe, e_class };
                q_run(&q, db, db->pg ? sql_trends_filtered_pg : sql_trends_filtered, params, 7);
        } else if (d->scope != TRENDS_ALL) {
                /* the selection's rollups */
                bool host = d->scope == TRENDS_HOST;
                sel_key(host ? "host" : "exe", host ? e_host : e_exe, sel.key);
                const char *params[] = { p_prev, p_lo, p_hi, p_limit, sel.key, host ? e_exe : NULL, e_class,
                                         host ? e_host : e_exe };
                q_run(&q, db,
                      host ? (w % 86400 == 0 ? sql_trends_host_days : sql_trends_host_rows)
                           : (w % 86400 == 0 ? sql_trends_exe_days : sql_trends_exe_rows),
                      params, host && w % 86400 == 0 ? 7 : 8); /* PostgreSQL: no unused one */
        } else {
                /* PostgreSQL: one pass over the windows for all the
                 * signatures, but lookups for those of one executable
                 * name (10 of 2,000 in bench/fleet: 20 lookups instead of
                 * 27k days; a class has too many, 250: 5,500 pages read
                 * against 350) */
                const char *params[] = { p_prev, p_lo, p_hi, p_limit, e_exe, e_class };
                bool pass = db->pg && !e_exe;
                q_run(&q, db,
                      w % 86400 == 0 ? (pass ? sql_trends_days_pg : sql_trends_days)
                                     : (pass ? sql_trends_rows_pg : sql_trends_rows),
                      params, 6);
        }
        bool oom = false;
        while (q_next(&q)) {
                struct trend_sig *n = realloc(d->sigs, (d->n + 1) * sizeof(*d->sigs));
                if (!n) {
                        oom = true;
                        break;
                }
                d->sigs = n;
                struct trend_sig *s = &d->sigs[d->n++];
                /* the bytes as they were given (dbtext.h) */
                *s = (struct trend_sig){
                        .sig = fleet_text_decode(q_text(&q, 0)),
                        .cls = fleet_text_decode(q_text(&q, 1)),
                        .exe = fleet_text_decode(q_text(&q, 2)),
                        .text = fleet_text_decode(q_text(&q, 3)),
                        .total = q_i64(&q, 4),
                        .recent = q_i64(&q, 5),
                        .previous = q_i64(&q, 6),
                        .hosts = q_i64(&q, 7),
                        .first = q_i64(&q, 8),
                        .last = q_i64(&q, 9),
                        .detail = fleet_text_decode(q_text(&q, 10)),
                        .bundle = fleet_text_decode(q_text(&q, 11)),
                        .first_version = fleet_text_decode(q_text(&q, 12)),
                };
                s->trend = trend_of(s->first, s->recent, s->previous, rec_lo);
        }
        if (!q_end(&q, "cannot query"))
                return -EIO;
        if (oom) {
                log_error("out of memory");
                return -ENOMEM;
        }
        return read_per_sig(db, t, extras, d, &sel);
}

/* The text and JSON renderers of trends. */
static void trends_print(const struct trends_data *d, bool json, bool by_version)
{
        int64_t w = d->window_s;
        if (json) {
                struct json j;
                json_init(&j, true);
                json_object_begin(&j, NULL);
                json_i64(&j, "now", d->now);
                json_i64(&j, "window_s", w);
                json_array_begin(&j, "signatures");
                for (size_t i = 0; i < d->n; i++) {
                        const struct trend_sig *s = &d->sigs[i];
                        json_object_begin(&j, NULL);
                        json_string(&j, "signature", s->sig);
                        json_string(&j, "signature_text", s->text);
                        json_string(&j, "class", s->cls);
                        json_string(&j, "exe", s->exe);
                        json_i64(&j, "total", s->total);
                        json_i64(&j, "recent", s->recent);
                        json_i64(&j, "previous", s->previous);
                        json_string(&j, "trend", s->trend);
                        json_i64(&j, "hosts", s->hosts);
                        if (s->first > 0)
                                json_i64(&j, "first_seen", s->first);
                        else
                                json_null(&j, "first_seen");
                        if (s->last > 0)
                                json_i64(&j, "last_seen", s->last);
                        else
                                json_null(&j, "last_seen");
                        json_string(&j, "detail", s->detail);
                        json_string(&j, "latest_bundle", s->bundle);
                        json_string(&j, "first_version", s->first_version);
                        json_boolean(&j, "new_in_version", s->new_in_version);
                        if (by_version) {
                                json_array_begin(&j, "versions");
                                for (size_t k = 0; k < s->n_versions; k++) {
                                        const struct trend_count *v = &s->versions[k];
                                        json_object_begin(&j, NULL);
                                        json_string(&j, "version", v->name);
                                        if (v->build_id)
                                                json_string(&j, "build_id", v->build_id);
                                        json_i64(&j, "crashes", v->n);
                                        json_i64(&j, "first_seen", v->first_seen);
                                        json_i64(&j, "last_seen", v->last_seen);
                                        json_object_end(&j);
                                }
                                json_array_end(&j);
                        }
                        json_object_end(&j);
                }
                json_array_end(&j);
                json_object_end(&j);
                printf("%s\n", j.sb.data ? j.sb.data : "{}");
                json_free(&j);
                return;
        }
        if (d->n == 0) {
                char e_name[1024];
                printf("(no crashes %s %s)\n", "in", term_escape(d->db_name, e_name, sizeof(e_name)));
                return;
        }
        char last[48], prev[48];
        snprintf(last, sizeof(last), "LAST %s", d->window);
        snprintf(prev, sizeof(prev), "PREV %s", d->window);
        printf("%-16s %6s %9s %9s %-5s %5s %-16s %-19s %-16s %s\n", "SIGNATURE", "TOTAL", last, prev, "TREND",
               "HOSTS", "LAST SEEN (UTC)", "CLASS", "FIRST VERSION", "WHERE");
        for (size_t i = 0; i < d->n; i++) {
                const struct trend_sig *s = &d->sigs[i];
                char seen[32], where[1024], e_where[2048], e_sig[64], e_cls[64], e_ver[20];
                utc(s->last, seen, sizeof(seen));
                where_of(s->text ? s->text : "", where, sizeof(where));
                printf("%-16s %6" PRId64 " %9" PRId64 " %9" PRId64 " %-5s %5" PRId64 " %-16s %-19s %-16s %s%s\n",
                       term_escape(s->sig, e_sig, sizeof(e_sig)), s->total, s->recent, s->previous, s->trend, s->hosts,
                       seen, term_escape(s->cls, e_cls, sizeof(e_cls)),
                       s->first_version ? term_escape(s->first_version, e_ver, sizeof(e_ver)) : "-",
                       s->new_in_version ? "[new in this version] " : "", term_escape(where, e_where, sizeof(e_where)));
                for (size_t k = 0; by_version && k < s->n_versions; k++) {
                        const struct trend_count *v = &s->versions[k];
                        char first[32], lastv[32], e_v[128], e_b[160], label[300];
                        utc(v->first_seen, first, sizeof(first));
                        utc(v->last_seen, lastv, sizeof(lastv));
                        /* the package version next to the build-id, when known */
                        if (v->build_id)
                                snprintf(label, sizeof(label), "%s (build-id %s)", term_escape(v->name, e_v, sizeof(e_v)),
                                         term_escape(v->build_id, e_b, sizeof(e_b)));
                        else
                                snprintf(label, sizeof(label), "%s", term_escape(v->name, e_v, sizeof(e_v)));
                        printf("  version %-40s %6" PRId64 " crashes, first %s, last %s\n", label, v->n, first, lastv);
                }
        }
}

/* trends --html FILE: written to FILE.tmp and renamed, so that a reader
 * never sees half a page. 0, or -errno (logged). */
static int trends_html(const struct trends_data *d, const char *path)
{
        _cleanup_free_ char *tmp = NULL;
        if (asprintf(&tmp, "%s.tmp", path) < 0) {
                log_error("out of memory");
                return -ENOMEM;
        }
        FILE *f = fopen(tmp, "we");
        if (!f) {
                log_error("cannot write %s: %m", path);
                return -EIO;
        }
        int r = fleet_html_write(f, d);
        if (fclose(f) != 0 || r < 0 || rename(tmp, path) < 0) {
                log_error("cannot write %s: %m", path);
                unlink(tmp);
                return -EIO;
        }
        return 0;
}

int fleet_trends(const char *db_path, const struct trends_options *t)
{
        struct fleet_db db = { 0 };
        int r = db_open(db_path, false, false, &db);
        if (r < 0)
                return r;
        int64_t now = t->now ? t->now : (int64_t)time(NULL);
        /* what it shows includes every committed crash: the rollups made
         * of them first (PostgreSQL); when that fails (a role that may
         * only read), what the rollups hold, with one line that says so */
        (void)db_fold(&db, true, "cannot fold the new crashes into the rollups (trends shows them without)");
        /* PostgreSQL: every statement of the answer from one snapshot, and
         * without JIT compilation: a plan whose estimate is high for a
         * subquery that hardly runs (an executable's hosts) was compiled,
         * 85 ms at 10M crashes, to run 15 ms. SET LOCAL: nothing outlives
         * the transaction (a pooler, docs/fleet.md) */
        if (db.pg && !db_exec(&db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off",
                              "cannot read")) {
                db_close(&db);
                return -EIO;
        }
        int rc;
        if (t->signature)
                rc = list_signature(&db, t, now);
        else {
                struct trends_data d;
                rc = trends_read(&db, t, now, t->html != NULL, &d);
                if (rc == 0 && t->html)
                        rc = trends_html(&d, t->html);
                else if (rc == 0)
                        trends_print(&d, t->json, t->by_version);
                trends_data_free(&d);
        }
        if (db.pg)
                db_exec(&db, "COMMIT", "cannot read");
        db_close(&db);
        return rc;
}

/* Runs sql, which deletes at most a batch of rows, until it deletes none;
 * each batch its own transaction, so that indexers wait for one batch at
 * most. The rows deleted, or -EIO. */
static int64_t delete_batches(struct fleet_db *d, const char *sql, const char *const *params, int n)
{
        int64_t total = 0;
        for (;;) {
                int64_t r = db_change(d, sql, params, n, "cannot expire");
                if (r < 0)
                        return r;
                if (r == 0)
                        return total;
                total += r;
        }
}

/* PostgreSQL: drops the month partitions entirely before cut (detached
 * CONCURRENTLY: inserts and queries never wait for it, it waits for them;
 * one an interrupted expire left half detached is finished). The crashes
 * that went, or -EIO (logged); *parts the partitions. */
static int64_t drop_months(struct fleet_db *d, int64_t cut, int64_t *parts)
{
        struct query q;
        char **names = NULL;
        bool *pending = NULL;
        size_t n = 0;
        bool ok = q_run(&q, d, sql_partitions, NULL, 0);
        while (ok && q_next(&q)) {
                int64_t lo = month_of_name(q_text(&q, 0)), hi, lo2;
                char name[40];
                if (lo < 0 || !month_of(lo, &lo2, &hi, name) || hi > cut)
                        continue;
                char **nn = realloc(names, (n + 1) * sizeof(*names));
                bool *np = nn ? realloc(pending, (n + 1) * sizeof(*pending)) : NULL;
                if (nn)
                        names = nn;
                if (np)
                        pending = np;
                if (!np || !(names[n] = strdup(name))) {
                        log_error("out of memory");
                        ok = false;
                        break;
                }
                const char *pend = q_text(&q, 1);
                pending[n++] = pend && strcmp(pend, "t") == 0;
        }
        int64_t total = q_end(&q, "cannot list the partitions") && ok ? 0 : -EIO;
        for (size_t i = 0; i < n; i++) {
                char *count = NULL, *detach = NULL, *drop = NULL;
                if (total >= 0 &&
                    (asprintf(&count, "SELECT COUNT(*) FROM %s", names[i]) < 0 ||
                     asprintf(&detach, "ALTER TABLE crashes DETACH PARTITION %s %s", names[i],
                              pending[i] ? "FINALIZE" : "CONCURRENTLY") < 0 ||
                     asprintf(&drop, "DROP TABLE %s", names[i]) < 0)) {
                        log_error("out of memory");
                        total = -ENOMEM;
                }
                int64_t rows = 0;
                if (total >= 0 && q_run(&q, d, count, NULL, 0) && q_next(&q))
                        rows = q_i64(&q, 0);
                if (total >= 0 && (!q_end(&q, "cannot expire") || !db_exec(d, detach, "cannot expire") ||
                                   !db_exec(d, drop, "cannot expire")))
                        total = -EIO;
                if (total >= 0) {
                        log_debug("database %s: dropped %s (%" PRId64 " crashes)", d->name, names[i], rows);
                        total += rows;
                        (*parts)++;
                }
                free(count);
                free(detach);
                free(drop);
                free(names[i]);
        }
        free(names);
        free(pending);
        return total;
}

int fleet_expire(const char *target, const struct expire_options *e)
{
        struct fleet_db db = { 0 };
        if (!fleet_is_postgres(target) && access(target, F_OK) < 0) {
                log_error("no database at %s", target);
                return -ENOENT;
        }
        int r = db_open(target, true, false, &db);
        if (r < 0)
                return r;
        /* PostgreSQL: the queued crashes in the rollups first, so that
         * what goes of them goes by their crashes' times (and no queued
         * crash is lost with its month) */
        if (db_fold(&db, true, "cannot expire: cannot fold the new crashes into the rollups") < 0) {
                db_close(&db);
                return -EIO;
        }
        int64_t now = e->now ? e->now : (int64_t)time(NULL);
        char cut[32], rcut[32];
        snprintf(cut, sizeof(cut), "%" PRId64, now - (int64_t)e->older_than_s);
        snprintf(rcut, sizeof(rcut), "%" PRId64, now - (int64_t)e->rollups_older_than_s);
        const char *p[] = { cut }, *rp[] = { rcut };
        /* PostgreSQL: the months entirely before the cut go as tables; the
         * rows of the month of the cut, and the untimed ones, are deleted
         * as on SQLite, from their partitions only (ptime) */
        int64_t parts = 0;
        int64_t dropped = db.pg ? drop_months(&db, now - (int64_t)e->older_than_s, &parts) : 0;
        int64_t crashes = dropped < 0 ? -EIO
                          : db.pg ? delete_batches(&db,
                                                   "DELETE FROM crashes WHERE ptime > 0 AND ptime < CAST($1 AS BIGINT)"
                                                   " AND id IN (SELECT id FROM crashes WHERE ptime > 0"
                                                   " AND ptime < CAST($1 AS BIGINT) AND time < CAST($1 AS BIGINT) LIMIT 5000)",
                                                   p, 1)
                                  : delete_batches(&db,
                                                   "DELETE FROM crashes WHERE id IN (SELECT id FROM crashes"
                                                   " WHERE time < CAST($1 AS BIGINT) LIMIT 5000)",
                                                   p, 1);
        /* a raw core's crash has no time: when it was indexed */
        int64_t untimed = crashes < 0 ? -EIO
                          : db.pg ? delete_batches(&db,
                                                   "DELETE FROM crashes WHERE ptime = 0 AND id IN (SELECT id FROM crashes"
                                                   " WHERE ptime = 0 AND indexed_at < CAST($1 AS BIGINT) LIMIT 5000)",
                                                   p, 1)
                                  : delete_batches(&db,
                                                   "DELETE FROM crashes WHERE id IN (SELECT id FROM crashes"
                                                   " WHERE time IS NULL AND indexed_at < CAST($1 AS BIGINT) LIMIT 5000)",
                                                   p, 1);
        if (untimed >= 0)
                crashes += dropped;
        int64_t failures = untimed < 0 ? -EIO
                                       : db_change(&db, "DELETE FROM failures WHERE failed_at < CAST($1 AS BIGINT)", p, 1,
                                                   "cannot expire");
        /* the rollups. PostgreSQL: one transaction under the fold's lock
         * (FOLD_LOCK; no fold meanwhile: it would count hosts that go).
         * SQLite: the days a transaction a batch (indexers wait for one
         * batch at most), then the rest in one. */
        bool in_tx = failures >= 0 && db.pg;
        if (in_tx && !db_exec(&db, "BEGIN; " FOLD_LOCK, "cannot expire"))
                failures = -EIO;
        int64_t days = failures < 0 ? -EIO
                                    : delete_batches(&db,
                                                     "DELETE FROM sig_days WHERE day < CAST($1 AS BIGINT) / 86400"
                                                     " AND signature IN (SELECT signature FROM sig_days"
                                                     " WHERE day < CAST($1 AS BIGINT) / 86400 LIMIT 5000)",
                                                     rp, 1);
        int64_t sel_days = days < 0 ? -EIO
                                    : delete_batches(&db,
                                                     "DELETE FROM sel_days WHERE day < CAST($1 AS BIGINT) / 86400"
                                                     " AND sel IN (SELECT sel FROM sel_days"
                                                     " WHERE day < CAST($1 AS BIGINT) / 86400 LIMIT 5000)",
                                                     rp, 1);
        if (sel_days < 0)
                days = sel_days;
        int64_t sigs = -EIO, hosts = -EIO;
        /* signatures.hosts counted again only when hosts went */
        bool ok = days >= 0 && (in_tx || (in_tx = db_exec(&db, "BEGIN", "cannot expire"))) &&
                  (hosts = db_change(&db, "DELETE FROM sig_hosts WHERE last_seen < CAST($1 AS BIGINT)", rp, 1,
                                     "cannot expire")) >= 0 &&
                  db_change(&db, "DELETE FROM sig_versions WHERE last_seen < CAST($1 AS BIGINT)", rp, 1,
                            "cannot expire") >= 0 &&
                  db_change(&db, "DELETE FROM sel_sigs WHERE last_seen < CAST($1 AS BIGINT)", rp, 1,
                            "cannot expire") >= 0 &&
                  (sigs = db_change(&db, "DELETE FROM signatures WHERE last_seen < CAST($1 AS BIGINT)", rp, 1,
                                    "cannot expire")) >= 0 &&
                  (hosts == 0 || db_exec(&db,
                          "UPDATE signatures SET hosts = (SELECT COUNT(*) FROM sig_hosts h"
                          " WHERE h.signature = signatures.signature AND h.host <> '')",
                          "cannot expire")) &&
                  db_exec(&db, "COMMIT", "cannot expire");
        if (!ok && in_tx)
                db_exec(&db, "ROLLBACK", "rollback");
        /* SQLite: give the freed pages back to the file system (a file made
         * by schema 2 has no auto_vacuum: VACUUM it once) */
        if (ok && db.lite)
                ok = db_exec(&db, "PRAGMA incremental_vacuum", "cannot vacuum");
        if (ok) {
                char shown[512];
                fleet_redact(target, shown, sizeof(shown));
                if (db.pg)
                        printf("dropped %" PRId64 " month partition%s of crashes (%" PRId64 " crash%s)\n", parts,
                               parts == 1 ? "" : "s", dropped, dropped == 1 ? "" : "es");
                printf("expired %" PRId64 " crash%s, %" PRId64 " failure%s, %" PRId64 " day%s of rollups and %" PRId64
                       " signature%s: %s\n",
                       crashes + untimed, crashes + untimed == 1 ? "" : "es", failures, failures == 1 ? "" : "s", days,
                       days == 1 ? "" : "s", sigs, sigs == 1 ? "" : "s", shown);
        }
        db_close(&db);
        return ok ? 0 : -EIO;
}
