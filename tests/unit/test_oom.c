/* corecollect oom-watch: parsing the kernel's OOM kill lines, and an OOM
 * storm going into the store through the same transaction as a crash (the
 * storm limits and the quota hold). The store is a temporary directory
 * under the build dir. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "meta.h"
#include "oomwatch.h"
#include "ratelimit.h"
#include "reader.h"
#include "store.h"
#include "util.h"

static void memcg_kill(void **state)
{
        struct oom_kill k = { 0 };
        oom_parse_context("[ 3731.6] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
                          "oom_memcg=/cc-oomtest,task_memcg=/cc-oomtest,task=crash_heap,pid=4032,uid=0",
                          &k);
        assert_true(oom_parse_killed("[ 3731.6] Memory cgroup out of memory: Killed process 4032 (crash_heap) "
                                     "total-vm:264624kB, anon-rss:65152kB, file-rss:900kB, shmem-rss:0kB, UID:7 "
                                     "pgtables:180kB oom_score_adj:0",
                                     &k));
        assert_int_equal(k.pid, 4032);
        assert_string_equal(k.comm, "crash_heap");
        assert_string_equal(k.constraint, "CONSTRAINT_MEMCG");
        assert_string_equal(k.memcg, "/cc-oomtest");
        assert_int_equal(k.total_vm_kb, 264624);
        assert_int_equal(k.anon_rss_kb, 65152);
        assert_int_equal(k.uid, 7);
        assert_true(k.memcg_oom);
}

static void global_kill(void **state)
{
        struct oom_kill k = { 0 };
        assert_true(oom_parse_killed("Out of memory: Killed process 77 (a b) total-vm:1kB, anon-rss:2kB", &k));
        assert_int_equal(k.pid, 77);
        assert_string_equal(k.comm, "a b");
        assert_false(k.memcg_oom);
}

static void not_a_kill(void **state)
{
        struct oom_kill k = { 0 };
        assert_false(oom_parse_killed("segv[12]: segfault at 0 ip 0 sp 0 error 6", &k));
        assert_false(oom_parse_killed("Killed process 5 (x) but not by the OOM killer", &k));
        assert_false(oom_parse_killed("Out of memory: Killed process garbage", &k));
}

static char dir[4096];

static int setup_dir(void **state)
{
        snprintf(dir, sizeof(dir), "%s/test_oom.XXXXXX", getenv("MESON_BUILD_ROOT") ? getenv("MESON_BUILD_ROOT") : ".");
        if (!mkdtemp(dir))
                return -1;
        return chmod(dir, 0700);
}

static int teardown_dir(void **state)
{
        char cmd[4200];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

/* A fresh store directory under dir; returns its fd. */
static int new_store(const char *name)
{
        char p[4200];
        snprintf(p, sizeof(p), "%s/%s", dir, name);
        assert_int_equal(mkdir(p, 0700), 0);
        int fd = -1;
        assert_int_equal(store_open(p, 0, &fd), 0);
        return fd;
}

/* Bundles in the store, and the bytes every file in it takes on disk. */
static size_t store_usage(int sfd, uint64_t *ret_bytes)
{
        DIR *d = fdopendir(openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        assert_non_null(d);
        size_t n = 0;
        *ret_bytes = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                struct stat st;
                if (fstatat(sfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                *ret_bytes += (uint64_t)st.st_blocks * 512;
                if (de->d_name[0] != '.')
                        n++;
        }
        closedir(d);
        return n;
}

/* A kill of a process that is gone (as most OOM victims are when the line
 * is read), with a kernel report that does not compress to nothing. */
static void storm_kill(struct oom_kill *k, char *context, size_t size, unsigned seed)
{
        memset(k, 0, sizeof(*k));
        k->pid = 0x3ffffff0; /* above pid_max: no /proc entry */
        k->uid = (int)getuid();
        snprintf(k->comm, sizeof(k->comm), "hog");
        uint64_t x = 0x9e3779b97f4a7c15ULL * (seed + 1);
        for (size_t i = 0; i + 1 < size; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                context[i] = (i % 80 == 79) ? '\n' : (char)('!' + x % 90);
        }
        context[size - 1] = '\0';
}

/* The crash-storm limit holds for OOM kills too: rate_burst bundles per
 * uid and executable, the rest skipped and counted. */
static void oom_storm_rate_limited(void **state)
{
        int sfd = new_store("rate");
        struct config cfg;
        config_defaults(&cfg);
        cfg.keep_free = 0;
        cfg.rate_burst = 3;
        cfg.rate_interval_s = 3600;
        static char context[4096];
        int stored = 0, skipped = 0;
        for (unsigned i = 0; i < 12; i++) {
                struct oom_kill k;
                storm_kill(&k, context, sizeof(context), i);
                int r = oom_store_kill(&cfg, sfd, &k, context);
                if (r == 0)
                        stored++;
                else if (r == -EAGAIN)
                        skipped++;
                else
                        fail_msg("oom_store_kill: %s", strerror(-r));
        }
        assert_int_equal(stored, 3);
        assert_int_equal(skipped, 9);
        uint64_t bytes;
        assert_int_equal(store_usage(sfd, &bytes), 3);
        struct skipped_count *sk;
        size_t n;
        assert_int_equal(rate_read_skipped(sfd, &sk, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(sk[0].count, 9);
        assert_string_equal(sk[0].exe, "hog");
        skipped_free(sk, n);
        config_free(&cfg);
        close(sfd);
}

/* An OOM storm never takes the store past max_store: the oldest bundles go
 * to make room, and the newest is always there, whole (its index lists
 * every member, as the format promises). */
static void oom_storm_within_quota(void **state)
{
        int sfd = new_store("quota");
        struct config cfg;
        config_defaults(&cfg);
        cfg.keep_free = 0;
        cfg.rate_burst = 0;
        cfg.rate_uid_burst = 0;
        cfg.max_store = 96 << 10;
        static char context[32 << 10];
        size_t most = 0;
        for (unsigned i = 0; i < 24; i++) {
                struct oom_kill k;
                storm_kill(&k, context, sizeof(context), i);
                assert_int_equal(oom_store_kill(&cfg, sfd, &k, context), 0);
                uint64_t bytes;
                size_t n = store_usage(sfd, &bytes);
                assert_true(bytes <= cfg.max_store);
                assert_true(n >= 1);
                most = MAX(most, n);
        }
        assert_true(most >= 2); /* bundles are small enough that several fit */
        /* what is left reads back: meta.json and the index's member table */
        DIR *d = fdopendir(openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        struct dirent *de;
        size_t checked = 0;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                struct bundle_reader *br;
                assert_int_equal(bundle_reader_open_fd(openat(sfd, de->d_name, O_RDONLY | O_CLOEXEC), &br), 0);
                struct bundle_meta m;
                assert_int_equal(bundle_meta_read(br, &m), 0);
                assert_int_equal(m.kind, BUNDLE_KIND_OOM_KILL);
                assert_int_equal(m.pid, 0x3ffffff0);
                bundle_meta_free(&m);
                char *index = NULL;
                assert_int_equal(bundle_reader_read_member(br, BUNDLE_INDEX, BUNDLE_INDEX_MAX, &index, NULL), 0);
                assert_non_null(strstr(index, "\"name\": \"meta.json\""));
                assert_non_null(strstr(index, "\"name\": \"log/kernel.txt\""));
                struct bundle_index x;
                assert_int_equal(bundle_index_parse(index, &x), 0);
                assert_true(x.has_end);
                assert_false(x.truncated);
                bundle_index_free(&x);
                free(index);
                bundle_reader_free(br);
                checked++;
        }
        closedir(d);
        assert_true(checked >= 1);
        config_free(&cfg);
        close(sfd);
}

/* dir/name holding text */
static void put_file(const char *name, const char *text)
{
        char p[4200];
        snprintf(p, sizeof(p), "%s/%s", dir, name);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        assert_int_equal(fputs(text, f) >= 0, 1);
        assert_int_equal(fclose(f), 0);
}

/* The bundle in the store (the only one), as meta read back. */
static void read_only_bundle(int sfd, struct bundle_meta *m)
{
        DIR *d = fdopendir(openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        assert_non_null(d);
        struct dirent *de;
        bool found = false;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.') {
                        assert_false(found);
                        found = true;
                        struct bundle_reader *br;
                        assert_int_equal(bundle_reader_open_fd(openat(sfd, de->d_name, O_RDONLY | O_CLOEXEC), &br), 0);
                        assert_int_equal(bundle_meta_read(br, m), 0);
                        bundle_reader_free(br);
                }
        closedir(d);
        assert_true(found);
}

/* packages.json of an OOM kill: for a victim that /proc still shows, the
 * packages of its mapped files, as for a crash (here a fake dpkg database
 * that owns the running sleep); for one that is gone, a lookup skipped
 * with the reason, and the bundle written all the same. */
static void oom_packages(void **state)
{
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
                execl("/bin/sleep", "sleep", "30", (char *)NULL);
                _exit(127);
        }
        /* the child has exec'd once its exe link is sleep's */
        char link[4096] = "", proc[64];
        snprintf(proc, sizeof(proc), "/proc/%d/exe", (int)child);
        for (int i = 0; i < 200; i++) {
                ssize_t n = readlink(proc, link, sizeof(link) - 1);
                link[n > 0 ? n : 0] = '\0';
                if (strstr(link, "sleep"))
                        break;
                usleep(10000);
        }
        assert_non_null(strstr(link, "sleep"));
        /* dpkg lists the path the process maps (or its /usr-merge alias) */
        char mkinfo[4200], list[4200];
        snprintf(mkinfo, sizeof(mkinfo), "%s/dpkg/info", dir);
        snprintf(list, sizeof(list), "%s/dpkg", dir);
        assert_int_equal(mkdir(list, 0700), 0);
        assert_int_equal(mkdir(mkinfo, 0700), 0);
        char text[4200];
        snprintf(text, sizeof(text), "/.\n/usr\n%s\n", link);
        put_file("dpkg/info/fakesleep.list", text);
        put_file("dpkg/status", "Package: fakesleep\nStatus: install ok installed\nArchitecture: amd64\n"
                                "Version: 1.2-3\n\n");
        struct config cfg;
        config_defaults(&cfg);
        cfg.keep_free = 0;
        cfg.dpkg_admindir = strdup(list);
        struct oom_kill k = { .pid = child, .uid = (int)getuid() };
        snprintf(k.comm, sizeof(k.comm), "sleep");
        int sfd = new_store("pkgs-live");
        assert_int_equal(oom_store_kill(&cfg, sfd, &k, "Killed process (test)\n"), 0);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        struct bundle_meta m;
        read_only_bundle(sfd, &m);
        assert_string_equal(m.packages.status, "ok");
        const struct bundle_mapped_file *x = NULL;
        for (size_t i = 0; i < m.n_mapped; i++)
                if (m.mapped[i].executable)
                        x = &m.mapped[i];
        assert_non_null(x);
        assert_string_equal(x->path, link);
        assert_non_null(x->build_id);
        assert_string_equal(x->package, "fakesleep");
        assert_string_equal(x->version, "1.2-3");
        assert_true(m.n_mapped > 1); /* its libraries too (owned by no package here) */
        bundle_meta_free(&m);
        close(sfd);

        /* gone (pid above pid_max): nothing to look up, and it says so */
        sfd = new_store("pkgs-gone");
        k.pid = 0x3ffffff0;
        assert_int_equal(oom_store_kill(&cfg, sfd, &k, "Killed process (test)\n"), 0);
        read_only_bundle(sfd, &m);
        assert_string_equal(m.packages.status, "skipped");
        assert_string_equal(m.packages.reason, "no-mapped-files");
        assert_int_equal(m.n_mapped, 0);
        bundle_meta_free(&m);
        close(sfd);
        config_free(&cfg);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(memcg_kill),
                cmocka_unit_test(global_kill),
                cmocka_unit_test(not_a_kill),
                cmocka_unit_test(oom_storm_rate_limited),
                cmocka_unit_test(oom_storm_within_quota),
                cmocka_unit_test(oom_packages),
        };
        return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
