/* corecollect's store and capture helpers: build-ids from every PT_NOTE
 * (alignment 8, PN_XNUM), mapped files found through map_files/ as the
 * kernel names them and opened without blocking, the binary rate-limit
 * records, and the per-uid eviction policy. Runs in a temporary directory
 * under the build dir; the eviction test needs trusted xattrs (root) and is
 * skipped without them. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cmocka.h>

#include "access.h"
#include "config.h"
#include "elfinfo.h"
#include "io.h"
#include "proc.h"
#include "ratelimit.h"
#include "store.h"
#include "util.h"

static char dir[4096];

static int setup_dir(void **state)
{
        snprintf(dir, sizeof(dir), "%s/test_store.XXXXXX", getenv("MESON_BUILD_ROOT") ? getenv("MESON_BUILD_ROOT") : ".");
        if (!mkdtemp(dir))
                return -1;
        chmod(dir, 0700);
        return 0;
}

static int teardown_dir(void **state)
{
        char cmd[4200];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

static const uint8_t build_id[20] = { 0x5c, 0x77, 0x1a, 0x4c, 0x12, 0x92, 0x29, 0x57, 0xaf, 0x14,
                                      0xee, 0xd6, 0x71, 0xbe, 0xbe, 0x01, 0x79, 0xa7, 0x5f, 0x44 };
static const char build_id_hex[] = "5c771a4c12922957af14eed671bebe0179a75f44";

static size_t put_note(uint8_t *p, uint32_t type, const void *desc, uint32_t descsz, size_t align)
{
        uint32_t h[3] = { 4, descsz, type };
        memcpy(p, h, 12);
        memcpy(p + 12, "GNU", 4);
        size_t d = (16 + align - 1) & ~(align - 1);
        memcpy(p + d, desc, descsz);
        return (d + descsz + align - 1) & ~(align - 1);
}

/* A non-PIE (ET_EXEC at 0x400000) executable with two PT_NOTE segments as
 * Debian's python3.11d has: an 8-aligned one with a GNU property note whose
 * size is not a multiple of 8, then the build-id... here placed after it in
 * the same 8-aligned segment too, so that 4-byte stepping misses it. With
 * xnum, e_phnum is PN_XNUM and section header 0 holds the count. */
static void write_exec(const char *path, bool xnum)
{
        uint8_t img[4096] = { 0 };
        Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
        memcpy(eh->e_ident, ELFMAG, SELFMAG);
        eh->e_ident[EI_CLASS] = ELFCLASS64;
        eh->e_ident[EI_DATA] = ELFDATA2LSB;
        eh->e_ident[EI_VERSION] = EV_CURRENT;
        eh->e_type = ET_EXEC;
        eh->e_machine = EM_X86_64;
        eh->e_version = EV_CURRENT;
        eh->e_entry = 0x401000;
        eh->e_phoff = sizeof(*eh);
        eh->e_phentsize = sizeof(Elf64_Phdr);
        eh->e_ehsize = sizeof(*eh);
        eh->e_shentsize = sizeof(Elf64_Shdr);
        Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);
        size_t notes = 1024;
        uint8_t prop[20] = { 2, 0, 0, 0xc0, 4, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 };
        size_t a = put_note(img + notes, NT_GNU_PROPERTY_TYPE_0, prop, sizeof(prop), 8);
        size_t b = put_note(img + notes + a, NT_GNU_BUILD_ID, build_id, sizeof(build_id), 8);
        uint8_t abi[16] = { 0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0 };
        size_t c = put_note(img + 2048, NT_GNU_ABI_TAG, abi, sizeof(abi), 4);
        ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0x400000,
                              .p_filesz = sizeof(img), .p_memsz = sizeof(img), .p_align = 0x1000 };
        ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 2048, .p_vaddr = 0x400800,
                              .p_filesz = c, .p_memsz = c, .p_align = 4 };
        ph[2] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = notes, .p_vaddr = 0x400400,
                              .p_filesz = a + b, .p_memsz = a + b, .p_align = 8 };
        if (xnum) {
                eh->e_phnum = PN_XNUM;
                eh->e_shoff = 3072;
                eh->e_shnum = 0;
                Elf64_Shdr *sh = (Elf64_Shdr *)(img + 3072);
                sh->sh_info = 3;
        } else {
                eh->e_phnum = 3;
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, img, sizeof(img)), 0);
        close(fd);
}

static void build_id_two_notes_non_pie(void **state)
{
        for (int xnum = 0; xnum < 2; xnum++) {
                char path[4200];
                snprintf(path, sizeof(path), "%s/exec%d", dir, xnum);
                write_exec(path, xnum);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                assert_true(fd >= 0);
                char hex[2 * BUILD_ID_MAX + 1];
                assert_int_equal(elf_build_id(fd, hex), 0);
                assert_string_equal(hex, build_id_hex);
                close(fd);
        }
}

static void build_id_bad_notes(void **state)
{
        /* a note whose sizes run past its segment: no read out of bounds
         * (ASan), no build-id, no crash */
        char path[4200];
        snprintf(path, sizeof(path), "%s/badnote", dir);
        write_exec(path, false);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        uint32_t huge = 0xfffffff0;
        assert_int_equal(pwrite_full(fd, &huge, 4, 1024 + 4), 0); /* first note's descsz */
        assert_int_equal(pwrite_full(fd, &huge, 4, 2048), 0);     /* ABI note's namesz */
        char hex[2 * BUILD_ID_MAX + 1];
        assert_int_equal(elf_build_id(fd, hex), -ENOENT);
        close(fd);
}

static void on_alarm(int sig)
{
        (void)sig;
        fail_msg("opening a mapped FIFO blocked");
}

/* A fake /proc/PID: maps as the kernel prints it (zero-padded addresses),
 * map_files/ as the kernel names its entries (no padding), one entry a FIFO
 * that would block a plain open() for ever. */
static void mapped_files_fake_proc(void **state)
{
        char p[4200];
        snprintf(p, sizeof(p), "%s/proc", dir);
        assert_int_equal(mkdir(p, 0700), 0);
        snprintf(p, sizeof(p), "%s/proc/map_files", dir);
        assert_int_equal(mkdir(p, 0700), 0);
        snprintf(p, sizeof(p), "%s/proc/map_files/400000-401000", dir);
        write_exec(p, false);
        snprintf(p, sizeof(p), "%s/proc/map_files/7f0000000000-7f0000001000", dir);
        assert_int_equal(mkfifo(p, 0600), 0);
        snprintf(p, sizeof(p), "%s/proc", dir);

        struct proc_info pi;
        memset(&pi, 0, sizeof(pi));
        pi.dirfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(pi.dirfd >= 0);
        pi.exe = strdup("/usr/bin/fake");
        const char maps[] = "00400000-00401000 r-xp 00000000 fe:00 1234                       /usr/bin/fake\n"
                            "7f0000000000-7f0000001000 r--s 00000000 00:05 99                 /dev/fifo\n";
        pi.files[0] = (struct proc_file){ "proc/maps", strdup(maps), sizeof(maps) - 1 };
        pi.n_files = 1;

        signal(SIGALRM, on_alarm);
        alarm(10);
        /* past the time budget: nothing more is opened */
        proc_collect_mapped(&pi, 1);
        assert_int_equal(pi.n_mapped, 0);
        proc_collect_mapped(&pi, now_usec() + 10 * 1000000ull);
        alarm(0);
        assert_int_equal(pi.n_mapped, 1);
        assert_string_equal(pi.mapped[0].build_id, build_id_hex);
        assert_int_equal(pi.mapped[0].size, 4096);
        assert_true(pi.mapped[0].executable);
        proc_info_free(&pi);
}

static int count_of(struct skipped_count *s, size_t n, uid_t uid, const char *exe)
{
        for (size_t i = 0; i < n; i++)
                if (s[i].uid == uid && strcmp(s[i].exe, exe) == 0)
                        return (int)s[i].count;
        return 0;
}

static void rate_records(void **state)
{
        char p[4200];
        snprintf(p, sizeof(p), "%s/rate", dir);
        assert_int_equal(mkdir(p, 0700), 0);
        int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct config cfg;
        config_defaults(&cfg);
        cfg.rate_burst = 2;
        cfg.rate_uid_burst = 5;
        cfg.rate_interval_s = 60;
        const char *victim = "/usr/bin/victim";
        /* a path that, written as a "TIME EXE" line, forged victim's records */
        const char *forger = "/tmp/x\n1800000000 /usr/bin/victim\n1800000000 /usr/bin/victim\n9 /usr/bin/victim";
        const char *limit = NULL;
        int64_t now = 1800000000;
        for (int i = 0; i < 2; i++)
                assert_int_equal(rate_check(fd, &cfg, 65534, forger, now, &limit), 1);
        assert_int_equal(rate_check(fd, &cfg, 65534, forger, now, &limit), 0);
        assert_string_equal(limit, "rate_burst");
        /* root's victim and nobody's own victim are not limited by that */
        assert_int_equal(rate_check(fd, &cfg, 0, victim, now, &limit), 1);
        assert_int_equal(rate_check(fd, &cfg, 65534, victim, now, &limit), 1);
        /* a failed capture gives its slot back */
        assert_int_equal(rate_check(fd, &cfg, 65534, victim, now, &limit), 1);
        assert_int_equal(rate_release(fd, 65534, victim, now), 0);
        assert_int_equal(rate_check(fd, &cfg, 65534, victim, now, &limit), 1);
        assert_int_equal(rate_check(fd, &cfg, 65534, victim, now, &limit), 0);
        /* per uid: nobody has 4 slots taken; a fifth program gets the last */
        assert_int_equal(rate_check(fd, &cfg, 65534, "/a", now, &limit), 1);
        assert_int_equal(rate_check(fd, &cfg, 65534, "/b", now, &limit), 0);
        assert_string_equal(limit, "rate_uid_burst");
        assert_int_equal(rate_check(fd, &cfg, 0, "/b", now, &limit), 1);
        /* the interval passes */
        assert_int_equal(rate_check(fd, &cfg, 65534, "/b", now + 61, &limit), 1);

        struct skipped_count *sk;
        size_t n;
        assert_int_equal(rate_read_skipped(fd, &sk, &n), 0);
        assert_int_equal(count_of(sk, n, 65534, forger), 1);
        assert_int_equal(count_of(sk, n, 65534, victim), 1);
        assert_int_equal(count_of(sk, n, 65534, "/b"), 1);
        assert_int_equal(count_of(sk, n, 0, victim), 0);
        assert_int_equal(n, 3);
        skipped_free(sk, n);

        close(fd);
}

static void make_bundle(int dfd, const char *name, uid_t uid, int64_t mtime, size_t size)
{
        int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        char *buf = calloc(1, size);
        memset(buf, 'x', size);
        assert_int_equal(write_full(fd, buf, size), 0);
        free(buf);
        assert_int_equal(store_tag_uid(fd, uid), 0);
        struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
        assert_int_equal(futimens(fd, ts), 0);
        close(fd);
}

static void eviction_per_uid(void **state)
{
        char p[4200];
        snprintf(p, sizeof(p), "%s/evict", dir);
        assert_int_equal(mkdir(p, 0700), 0);
        int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        uint32_t u = 0;
        if (fsetxattr(fd, "trusted.corecollect.test", &u, sizeof(u), 0) < 0) {
                close(fd);
                skip(); /* not root, or no trusted xattrs here */
        }
        int64_t now = 1800000000;
        struct config cfg;
        config_defaults(&cfg);
        cfg.keep_free = 0;
        cfg.max_store = 10 * 65536 + 4096;
        cfg.uid_max_store = 4 * 65536 + 4096;
        cfg.protect_age_s = 3600;
        make_bundle(fd, "core.root_old.1.zst", 0, now - 7200, 65536);  /* past the protected age */
        make_bundle(fd, "core.root_a.2.zst", 0, now - 600, 65536);
        make_bundle(fd, "core.root_b.3.zst", 0, now - 500, 65536);
        for (int i = 0; i < 4; i++) {
                char name[64];
                snprintf(name, sizeof(name), "core.n%d.%d.zst", i, 10 + i);
                make_bundle(fd, name, 65534, now - 400 + i, 65536);
        }
        /* nobody at its share: its own oldest goes, not root's */
        make_bundle(fd, "core.n4.20.zst", 65534, now, 65536);
        assert_int_equal(store_make_room(fd, &cfg, 0, "core.n4.20.zst", 65534, now), 1);
        assert_int_equal(faccessat(fd, "core.n0.10.zst", F_OK, 0), -1);
        assert_int_equal(faccessat(fd, "core.root_a.2.zst", F_OK, 0), 0);
        /* the store's quota: root's old bundle may go, root's recent ones never */
        cfg.max_store = 6 * 65536;
        cfg.uid_max_store = 0;
        int r = store_make_room(fd, &cfg, 0, "core.n4.20.zst", 65534, now);
        assert_true(r == -ENOSPC || r >= 1);
        assert_int_equal(faccessat(fd, "core.root_old.1.zst", F_OK, 0), -1);
        assert_int_equal(faccessat(fd, "core.root_a.2.zst", F_OK, 0), 0);
        assert_int_equal(faccessat(fd, "core.root_b.3.zst", F_OK, 0), 0);
        assert_int_equal(faccessat(fd, "core.n4.20.zst", F_OK, 0), 0);
        /* nothing of nobody's is left to remove but the kept one: full */
        cfg.max_store = 2 * 65536;
        assert_int_equal(store_make_room(fd, &cfg, 0, "core.n4.20.zst", 65534, now), -ENOSPC);
        assert_int_equal(faccessat(fd, "core.root_a.2.zst", F_OK, 0), 0);
        /* root's own crash may remove root's bundles */
        assert_true(store_make_room(fd, &cfg, 0, NULL, 0, now) >= 1);
        close(fd);
}

static void store_safety(void **state)
{
        struct stat st = { .st_uid = 0, .st_mode = S_IFDIR | 0700 };
        assert_true(store_is_safe(&st));
        st.st_mode = S_IFDIR | 01777;
        assert_false(store_is_safe(&st));
        st.st_mode = S_IFDIR | 0770;
        assert_false(store_is_safe(&st));
        st.st_mode = S_IFDIR | 0755;
        assert_true(store_is_safe(&st));
        st.st_uid = geteuid() == 0 ? 65534 : 0;
        if (geteuid() == 0)
                assert_false(store_is_safe(&st));
}

/* frame_size within what bundle readers decompress: a larger frame would
 * make every bundle of this store "too large for the limits" */
static void config_frame_size_bounds(void **state)
{
        struct config c;
        config_defaults(&c);
        assert_int_equal(config_set(&c, "frame_size", "64M"), 0);
        assert_int_equal(c.frame_size, 64u << 20);
        assert_int_equal(config_set(&c, "frame_size", "1M"), 0);
        assert_true(config_set(&c, "frame_size", "65M") < 0);
        assert_true(config_set(&c, "frame_size", "1G") < 0);
        assert_true(config_set(&c, "frame_size", "100") < 0);
        assert_int_equal(c.frame_size, 1u << 20);
        config_free(&c);
}

/* store_mode: owner rwx and nobody else writing, else refused */
static void config_store_mode(void **state)
{
        struct config c;
        config_defaults(&c);
        assert_int_equal(c.store_mode, 0755);
        assert_int_equal(config_set(&c, "store_mode", "0700"), 0);
        assert_int_equal(c.store_mode, 0700);
        assert_int_equal(config_set(&c, "store_mode", "711"), 0);
        assert_int_equal(c.store_mode, 0711);
        const char *bad[] = { "0777", "0775", "0757", "0500", "1755", "", "0755x", "abc", "-0755", "99999999999999999999" };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_true(config_set(&c, "store_mode", bad[i]) < 0);
        assert_int_equal(c.store_mode, 0711);
        config_free(&c);
}

/* /etc/corecollect.conf.d: PATH.d/NAME.conf after PATH, in name order,
 * each overriding; other names and files others may write are ignored. */
static void config_dropins(void **state)
{
        char path[4200], d[4300], f[4400];
        snprintf(path, sizeof(path), "%s/cc.conf", dir);
        snprintf(d, sizeof(d), "%s.d", path);
        FILE *o = fopen(path, "w");
        assert_non_null(o);
        fputs("level=3\nrate_burst=5\n", o);
        fclose(o);
        assert_int_equal(mkdir(d, 0755), 0);
        const char *files[][2] = { { "20-b.conf", "level=7\n" }, { "10-a.conf", "level=5\nkmsg_lines=9\n" },
                                   { "30-c.txt", "level=1\n" }, { "40-d.conf", "rate_burst=2\n" } };
        for (size_t i = 0; i < 4; i++) {
                snprintf(f, sizeof(f), "%s/%s", d, files[i][0]);
                o = fopen(f, "w");
                assert_non_null(o);
                fputs(files[i][1], o);
                fclose(o);
                chmod(f, i == 3 ? 0666 : 0644); /* 40-d: writable by others */
        }
        struct config c;
        config_defaults(&c);
        assert_int_equal(config_load(&c, path), 0);
        assert_int_equal(c.level, 7);          /* 20-b after 10-a after the file */
        assert_int_equal(c.kmsg_lines, 9);
        assert_int_equal(c.rate_burst, 5);     /* 40-d ignored */
        config_free(&c);
        chmod(d, 0777);                        /* a directory others may write: all ignored */
        config_defaults(&c);
        assert_int_equal(config_load(&c, path), 0);
        assert_int_equal(c.level, 3);
        config_free(&c);
}

/* Who may read a bundle (CVE-2022-4415): only dump mode 1, all ids equal,
 * AT_SECURE 0. */
static void access_conditions(void **state)
{
        const char ok[] = "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n";
        const char suid[] = "Uid:\t1000\t0\t0\t0\nGid:\t100\t100\t100\t100\n";
        const char fsuid[] = "Uid:\t1000\t1000\t1000\t0\nGid:\t100\t100\t100\t100\n";
        const char sgid[] = "Uid:\t1000\t1000\t1000\t1000\nGid:\t100\t5\t5\t5\n";
        uint64_t auxv[6] = { 6, 4096, 23, 0, 0, 0 }, secure[6] = { 6, 4096, 23, 1, 0, 0 }, none[4] = { 6, 4096, 0, 0 };
        assert_true(access_user_may_read(1, 1000, ok, strlen(ok), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(2, 1000, ok, strlen(ok), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(0, 1000, ok, strlen(ok), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(1, 1001, ok, strlen(ok), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(1, 0, ok, strlen(ok), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(1, 1000, suid, strlen(suid), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(1, 1000, fsuid, strlen(fsuid), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(1, 1000, sgid, strlen(sgid), auxv, sizeof(auxv)));
        assert_false(access_user_may_read(1, 1000, ok, strlen(ok), secure, sizeof(secure)));
        assert_false(access_user_may_read(1, 1000, ok, strlen(ok), none, sizeof(none)));
        assert_false(access_user_may_read(1, 1000, ok, strlen(ok), NULL, 0));
        assert_false(access_user_may_read(1, 1000, NULL, 0, auxv, sizeof(auxv)));
        assert_false(access_user_may_read(1, 1000, "Uid:\t1000\n", 10, auxv, sizeof(auxv)));
}

/* What the quota cost, as list shows it. */
static void dropped_counts(void **state)
{
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        assert_true(dfd >= 0);
        uint64_t removed = 9, refused = 9;
        unlinkat(dfd, QUOTA_FILE, 0);
        assert_int_equal(rate_read_dropped(dfd, &removed, &refused), 0);
        assert_true(removed == 0 && refused == 0);
        rate_count_dropped(dfd, 3, 0);
        rate_count_dropped(dfd, 1, 1);
        assert_int_equal(rate_read_dropped(dfd, &removed, &refused), 0);
        assert_true(removed == 4 && refused == 1);
        close(dfd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(config_frame_size_bounds), cmocka_unit_test(config_store_mode),
                cmocka_unit_test(build_id_two_notes_non_pie),
                cmocka_unit_test(build_id_bad_notes),
                cmocka_unit_test(mapped_files_fake_proc),
                cmocka_unit_test(rate_records),
                cmocka_unit_test(eviction_per_uid),
                cmocka_unit_test(store_safety),
                cmocka_unit_test(config_dropins),
                cmocka_unit_test(access_conditions),
                cmocka_unit_test(dropped_counts),
        };
        return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
