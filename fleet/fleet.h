/* The crash database behind `coreinspect index` and `coreinspect trends`:
 * one row per crash with its class and signature, and one per bundle that
 * could not be indexed, in an SQLite file or a PostgreSQL database (a libpq
 * connection string). No analysis here: the caller gives the facts. See
 * docs/fleet.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The database named by $COREINSPECT_DB, else
 * $XDG_DATA_HOME/coreinspect/index.sqlite (~/.local/share/...). Caller frees. */
char *fleet_default_db(void);

/* A libpq connection string (URI or key=value) rather than a file. */
bool fleet_is_postgres(const char *target);

struct fleet_db;

/* target as it may appear in messages: a connection string's password
 * (user:PASSWORD@ in a URI, password=..., password = ..., sslpassword=...
 * anywhere) replaced by ***. */
void fleet_redact(const char *target, char *buf, size_t size);

/* Opens target; with create, creates the file (SQLite) and the tables.
 * Errors are logged in one line: -ENOENT (no database), -EIO, -ENOMEM.
 * PostgreSQL with create: the schema version is checked (the database
 * made or migrated) with the first statement, in its round trip; a
 * version this coreinspect cannot use fails that statement, logged once
 * (nothing else is logged). */
int fleet_db_open(const char *target, bool create, struct fleet_db **ret);
/* The check fleet_db_open deferred, now when no statement made it yet:
 * 0, or -EIO when the database cannot be used (logged once). */
int fleet_db_ready(struct fleet_db *d);
void fleet_db_close(struct fleet_db *d);
/* What identifies a crash, from the bundle's meta.json (docs/fleet.md,
 * "Identity"); strings may be NULL. An input without them (a raw or zstd
 * core) is identified by its bytes instead (analyze/index.c). */
struct fleet_identity {
        const char *host, *boot_id, *build_id;
        int64_t pid, time;
};

/* The crash's key: SHA-256 (hex) of its identity. 0 or -ENOMEM. */
int fleet_crash_key(const struct fleet_identity *id, char key[65]);

/* Whether the crash with this key is in the database: 1, 0, or <0 (logged).
 * A row of schema 2 for this bundle path and host (the keys were others) is
 * this crash: it is given the key and counts as there. With failure, when
 * it is not there, *failure is what fleet_db_failure(key, analyzer) says
 * (PostgreSQL: all in one statement, one round trip). */
int fleet_db_known(struct fleet_db *d, const char *key, const char *path, const char *host, const char *analyzer,
                   int *failure);

/* Whether this bundle (by key) failed before: not (or the lookup failed),
 * with this analyzer version (do not try again), or with another one (try
 * again). */
enum { FLEET_NEVER_FAILED, FLEET_FAILED_HERE, FLEET_FAILED_ELSEWHERE };
int fleet_db_failure(struct fleet_db *d, const char *key, const char *analyzer);
/* Records (or updates) why the bundle could not be indexed, and by which
 * analyzer version. 0, or <0 (logged). */
int fleet_db_add_failure(struct fleet_db *d, const char *key, const char *path, const char *reason,
                         const char *analyzer);
/* Drops the failure of a bundle that has now been indexed, and that of
 * whatever lay at its path before. */
int fleet_db_forget_failure(struct fleet_db *d, const char *key, const char *path);
/* One line on stderr: "PATH: not indexed: REASON", escaped for a terminal. */
void fleet_log_not_indexed(const char *path, const char *reason);

/* PostgreSQL: remembers the months of these crash times, those of the
 * crashes of the next transaction (no statement): when a crash finds its
 * month without a partition, the transaction is to run again
 * (fleet_db_retry), and the next fleet_db_begin first makes the missing
 * partitions of that month and of every month given here, each in a
 * transaction of its own on this connection (docs/fleet.md,
 * "Partitions"): one transaction run again for a batch of any months.
 * SQLite: nothing. */
void fleet_db_months(struct fleet_db *d, const int64_t *times, size_t n);

/* One transaction for a run's crashes (and failures): 0 or -EIO (logged;
 * commit rolls back when it fails). Makes the missing partitions the last
 * transaction found first (fleet_db_months). PostgreSQL: BEGIN is sent
 * with the transaction's first statement (a commit of none sends
 * nothing). */
int fleet_db_begin(struct fleet_db *d);
int fleet_db_commit(struct fleet_db *d);
void fleet_db_rollback(struct fleet_db *d);
/* Whether the transaction failed for a deadlock or a serialization failure
 * (PostgreSQL, with other writers), or met a month without its partition
 * (fleet_db_begin makes it), or a month's partition could not be made or
 * was dropped meanwhile: roll back and run it again. */
bool fleet_db_retry(const struct fleet_db *d);

/* One crash as it goes into the database (strings may be NULL, but not
 * key, bundle, class_id, signature, signature_text). */
struct fleet_crash {
        const char *key;    /* fleet_crash_key, or of the input's bytes */
        const char *bundle; /* absolute path */
        const char *host;
        const char *exe;
        int pid;
        int64_t time;       /* seconds since the epoch; <= 0 unknown */
        int signal;
        const char *class_id, *detail, *confidence, *crash_frame;
        const char *signature, *signature_text;
        const char *build_id;         /* the executable's */
        const char *package, *version; /* where the bundle knows them */
        /* added or there already: also fleet_db_forget_failure(key,
         * bundle) (PostgreSQL: in the insert's round trip) */
        bool forget_failure;
};

/* Adds the crash and its rollups (signatures, sig_days, sig_hosts,
 * sig_versions, and its host's and executable's sel_sigs, sel_days)
 * together, inside fleet_db_begin's transaction (SQLite); on PostgreSQL
 * the crash and its row in the queue of fleet_db_fold, whose fold makes
 * its rollups (docs/fleet.md, "Rollups"), sent with the savepoint
 * around them in one round trip (libpq's pipeline mode); a crash whose
 * month has no partition ends the transaction (fleet_db_retry;
 * fleet_db_months). 1 added, 0
 * the same crash is there already (another path), -EINVAL the database
 * refused its values (a constraint, a limit; fleet_db_rejected says why,
 * nothing logged, nothing of it kept: the caller records the bundle as
 * failed), other <0 the database failed (logged). */
int fleet_db_add(struct fleet_db *d, const struct fleet_crash *c);
/* fleet_db_add of a transaction's last crash, and the transaction's
 * commit when the crash is added or there already (PostgreSQL: in the
 * insert's round trip): then fleet_db_commit sends nothing. -EINVAL: the
 * crash was refused, the transaction is still open (the caller records
 * the failure and commits); other <0: as fleet_db_add's, or the commit
 * failed (rolled back; fleet_db_retry says whether to run it again). */
int fleet_db_add_commit(struct fleet_db *d, const struct fleet_crash *c);
const char *fleet_db_rejected(const struct fleet_db *d);

/* PostgreSQL: applies the crashes added since the last fold (committed
 * before it began) to the rollups, and takes them off the queue
 * (docs/fleet.md, "Rollups"). One fold at a time (each of its
 * transactions takes signatures' EXCLUSIVE lock): with wait, waits for
 * another's to end; without, returns -EBUSY (nothing logged) while
 * another runs. Outside a transaction of fleet_db_begin. The crashes folded, -EBUSY, or -EIO
 * (logged). SQLite: 0 (its rollups are made with each crash). */
int64_t fleet_db_fold(struct fleet_db *d, bool wait);

struct trends_options {
        uint64_t window_s;    /* "recent": the last window_s seconds before now */
        int64_t now;          /* 0: the current time */
        size_t limit;         /* signatures to print */
        bool json;
        const char *host;     /* only crashes of this host (NULL: all) */
        const char *exe;      /* ... of this executable: path or file name */
        const char *class_id; /* ... of this class */
        const char *signature; /* list this signature's crashes instead */
        const char *html;      /* write the page (docs/fleet.md) to this file instead */
        bool by_version;       /* each signature's crashes per version (build-id) too */
};

/* Prints the signatures, most crashes in the recent window first, with the
 * window before it for comparison. 0, or -errno when the database cannot
 * be opened or read (logged). */
int fleet_trends(const char *target, const struct trends_options *t);

/* coreinspect expire: deletes crashes older than older_than_s (by crash
 * time; PostgreSQL drops the month partitions entirely older, and deletes
 * from the month of the cut) and the rollups older than
 * rollups_older_than_s (sig_days by day; signatures, hosts and versions
 * not seen since), in batches. */
struct expire_options {
        uint64_t older_than_s;
        uint64_t rollups_older_than_s;
        int64_t now; /* 0: the current time */
};
/* Prints what went. 0, or -errno (logged): -ENOENT no such database file. */
int fleet_expire(const char *target, const struct expire_options *e);
