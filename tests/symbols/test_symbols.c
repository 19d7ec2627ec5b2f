/* Unit tests for symbols/ on real files: this test program's own ELF
 * (built with a GNU build-id), a real bundle written with the bundle
 * writer, and dpkg's real database (and a fake one) for the hints. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "io.h"
#include "reader.h"
#include "symbols.h"
#include "util.h"
#include "writer.h"

/* This program's own file and build-id. */
static char *self_data;
static size_t self_len;
static char *self_id;

static int setup(void **state)
{
        _cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        struct stat st;

        if (fd < 0 || fstat(fd, &st) < 0)
                return -1;
        self_len = (size_t)st.st_size;
        self_data = malloc(self_len);
        if (!self_data || read_full(fd, self_data, self_len) != (ssize_t)self_len)
                return -1;
        return symbols_elf_build_id(fd, &self_id) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
        free(self_data);
        free(self_id);
        return 0;
}

static void test_source_names(void **state)
{
        const char *seen[SYMBOLS_SELF + 1];
        for (int i = SYMBOLS_NONE; i <= SYMBOLS_SELF; i++) {
                seen[i] = symbols_source_name((enum symbols_source)i);
                assert_string_not_equal(seen[i], "unknown");
                for (int j = 0; j < i; j++)
                        assert_string_not_equal(seen[i], seen[j]);
        }
        assert_string_equal(symbols_source_name(SYMBOLS_DEBUGINFOD), "debuginfod");
}

static void test_build_id_self(void **state)
{
        size_t len = strlen(self_id);
        assert_true(len >= 32 && len % 2 == 0);
        assert_int_equal(strspn(self_id, "0123456789abcdef"), len);
}

static int memfd_with(const char *data, size_t len)
{
        int fd = memfd_create("test", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, data, len), 0);
        return fd;
}

static void test_not_elf(void **state)
{
        _cleanup_close_ int fd = memfd_with("hello, not an ELF file\n", 23);
        _cleanup_free_ char *s = NULL;
        assert_int_equal(symbols_elf_build_id(fd, &s), -EBADMSG);
        assert_int_equal(symbols_elf_debuglink(fd, &s), -EBADMSG);
        assert_false(symbols_has_debug_info(fd));
        assert_null(s);
}

static struct symbols *new_symbols(struct bundle_reader *b)
{
        struct symbols_options o = { .system_debug_dir = "", .bundle = b };
        struct symbols *s = NULL;
        assert_int_equal(symbols_new(&o, &s), 0);
        return s;
}

static void test_invalid_args(void **state)
{
        struct symbols *s = new_symbols(NULL);
        struct symbols_found f = { .fd = -1 };
        static const char *const bad[] = { "", "a", "abc", "xyz0", "../../etc/passwd", "12/4" };
        char longid[131];

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                assert_int_equal(symbols_find_elf(s, bad[i], "/proc/self/exe", &f), -EINVAL);
                assert_int_equal(symbols_find_debuginfo(s, bad[i], NULL, NULL, &f), -EINVAL);
        }
        memset(longid, 'a', 130);
        longid[130] = '\0';
        assert_int_equal(symbols_find_elf(s, longid, NULL, &f), -EINVAL);
        assert_int_equal(symbols_find_elf(s, NULL, NULL, &f), -EINVAL);
        assert_int_equal(symbols_find_debuginfo(s, NULL, "", NULL, &f), -EINVAL);
        assert_int_equal(f.fd, -1); /* untouched on failure */
        symbols_free(s);
}

static void test_local(void **state)
{
        struct symbols *s = new_symbols(NULL);
        struct symbols_found f = { .fd = -1 };
        char wrong[64];

        /* Without a build-id the path is taken if it is ELF. */
        assert_int_equal(symbols_find_elf(s, NULL, "/proc/self/exe", &f), 0);
        assert_int_equal(f.source, SYMBOLS_LOCAL);
        assert_string_equal(f.where, "/proc/self/exe");
        symbols_found_clear(&f);
        assert_int_equal(f.fd, -1);
        assert_null(f.where);

        /* With one it must match; upper case is accepted. */
        _cleanup_free_ char *upper = strdup(self_id);
        for (char *p = upper; *p; p++)
                if (*p >= 'a' && *p <= 'f')
                        *p = (char)(*p - 'a' + 'A');
        assert_int_equal(symbols_find_elf(s, upper, "/proc/self/exe", &f), 0);
        symbols_found_clear(&f);

        snprintf(wrong, sizeof(wrong), "%s", self_id);
        wrong[0] = wrong[0] == '0' ? '1' : '0';
        assert_int_equal(symbols_find_elf(s, wrong, "/proc/self/exe", &f), -ENOENT);
        assert_int_equal(symbols_find_elf(s, NULL, "/etc/hostname-does-not-exist", &f), -ENOENT);
        assert_int_equal(symbols_find_elf(s, NULL, "/proc/self/status", &f), -ENOENT); /* not ELF */

        /* A FIFO where the crashed machine had a library must not block. */
        char dir[] = "/tmp/symtest.XXXXXX";
        assert_non_null(mkdtemp(dir));
        char fifo[64];
        snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_int_equal(symbols_find_elf(s, NULL, fifo, &f), -ENOENT);
        assert_int_equal(symbols_find_debuginfo(s, NULL, fifo, "x.debug", &f), -ENOENT);
        unlink(fifo);
        rmdir(dir);
        symbols_free(s);
}

/* A real bundle with this program stored twice: under its build-id and
 * under a wrong one (which must be refused). */
static void test_bundle(void **state)
{
        _cleanup_close_ int bfd = memfd_create("bundle", MFD_CLOEXEC);
        struct bundle_writer_options wo = { .frame_size = 64 * 1024 };
        struct bundle_writer *w = NULL;
        char name[160], wrong[64];

        snprintf(wrong, sizeof(wrong), "%s", self_id);
        wrong[1] = wrong[1] == 'a' ? 'b' : 'a';
        assert_true(bfd >= 0);
        assert_int_equal(bundle_writer_new(bfd, &wo, &w), 0);
        assert_int_equal(bundle_writer_add(w, "meta.json", "{}", 2, 0), 0);
        snprintf(name, sizeof(name), "files/%s", self_id);
        assert_int_equal(bundle_writer_add(w, name, self_data, self_len, 0), 0);
        snprintf(name, sizeof(name), "files/%s", wrong);
        assert_int_equal(bundle_writer_add(w, name, self_data, self_len, 0), 0);
        assert_int_equal(bundle_writer_finish(w), 0);
        bundle_writer_free(w);

        struct bundle_reader *r = NULL;
        assert_int_equal(lseek(bfd, 0, SEEK_SET), 0);
        assert_int_equal(bundle_reader_open_fd(TAKE_FD(bfd), &r), 0);
        struct symbols *s = new_symbols(r);
        struct symbols_found f = { .fd = -1 };

        assert_int_equal(symbols_find_elf(s, self_id, "/nonexistent/prog", &f), 0);
        assert_int_equal(f.source, SYMBOLS_BUNDLE);
        snprintf(name, sizeof(name), "bundle:files/%s", self_id);
        assert_string_equal(f.where, name);
        /* Byte-identical, at offset 0, and sealed against writes. */
        assert_int_equal(lseek(f.fd, 0, SEEK_CUR), 0);
        _cleanup_free_ char *copy = malloc(self_len + 1);
        assert_int_equal(read_full(f.fd, copy, self_len + 1), (ssize_t)self_len);
        assert_memory_equal(copy, self_data, self_len);
        assert_int_equal(pwrite(f.fd, "x", 1, 0), -1);
        assert_int_equal(errno, EPERM);
        symbols_found_clear(&f);

        /* Stored under a build-id it does not have: refused. */
        assert_int_equal(symbols_find_elf(s, wrong, "/nonexistent/prog", &f), -ENOENT);
        assert_int_equal(symbols_find_debuginfo(s, wrong, "/nonexistent/prog", NULL, &f), -ENOENT);

        /* The bundle's copy carries .debug_info when this test was built
         * with -g: then it is its own debug info. */
        _cleanup_close_ int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (symbols_has_debug_info(self)) {
                assert_int_equal(symbols_find_debuginfo(s, self_id, "/nonexistent/prog", NULL, &f), 0);
                assert_int_equal(f.source, SYMBOLS_SELF);
                assert_string_equal(f.where, name);
                symbols_found_clear(&f);
        }
        symbols_free(s);
        bundle_reader_free(r);
}

/* bundle_only: this machine's files are never opened, not even the path
 * the core names when it exists here with the right build-id. */
static void test_bundle_only(void **state)
{
        const struct symbols_options o = { .system_debug_dir = "", .bundle_only = true };
        struct symbols *s = NULL;
        struct symbols_found f = { .fd = -1 };

        assert_int_equal(symbols_new(&o, &s), 0);
        assert_true(symbols_bundle_only(s));
        assert_int_equal(symbols_find_elf(s, self_id, "/proc/self/exe", &f), -ENOENT);
        assert_int_equal(symbols_find_elf(s, NULL, "/proc/self/exe", &f), -ENOENT);
        assert_int_equal(symbols_find_debuginfo(s, self_id, "/proc/self/exe", NULL, &f), -ENOENT);
        assert_int_equal(f.fd, -1);
        symbols_free(s);

        struct symbols *local = new_symbols(NULL);
        assert_false(symbols_bundle_only(local));
        assert_int_equal(symbols_find_elf(local, self_id, "/proc/self/exe", &f), 0);
        symbols_found_clear(&f);
        symbols_free(local);
}

static void test_hint_fallbacks(void **state)
{
        char *h;

        h = symbols_hint(NULL, "/nonexistent/libfoo.so");
        assert_string_equal(h, "rebuild /nonexistent/libfoo.so with -g");
        free(h);

        /* Not hex: never pasted into a command. */
        h = symbols_hint("12;rm -rf ~", "/nonexistent/libfoo.so");
        assert_string_equal(h, "rebuild /nonexistent/libfoo.so with -g");
        free(h);

        /* A hostile path: one quoted word, no control byte. */
        h = symbols_hint(NULL, "/tmp/x;$(id)\n\x1b[2J");
        assert_string_equal(h, "rebuild '/tmp/x;$(id)'$'\\x0a\\x1b''[2J' with -g");
        free(h);

        unsetenv("DEBUGINFOD_URLS");
        h = symbols_hint("0123abcd", "/nonexistent/libfoo.so");
        assert_string_equal(h, "DEBUGINFOD_URLS=https://debuginfod.debian.net debuginfod-find debuginfo 0123abcd");
        free(h);

        setenv("DEBUGINFOD_URLS", "http://127.0.0.1:1", 1);
        h = symbols_hint("0123abcd", "/nonexistent/libfoo.so");
        assert_string_equal(h, "debuginfod-find debuginfo 0123abcd");
        free(h);
        unsetenv("DEBUGINFOD_URLS");

        /* A file dpkg does not know (a test build) falls back too. */
        h = symbols_hint(self_id, "/proc/self/exe");
        assert_non_null(strstr(h, "debuginfod-find debuginfo "));
        free(h);
}

/* Against the real dpkg database: libc's own path (as the dynamic loader
 * reports it), its /usr-merged twin, and a diverted file (/bin/sh). */
static void test_hint_dpkg(void **state)
{
        Dl_info info;
        char *h;

        if (access("/usr/bin/dpkg-query", X_OK) != 0 || access("/var/lib/dpkg/status", R_OK) != 0)
                skip();
        /* A libc function that sanitizers do not intercept. */
        assert_true(dladdr((void *)gnu_get_libc_version, &info) != 0 && info.dli_fname);
        if (!strstr(info.dli_fname, "libc.so.6"))
                skip();

        _cleanup_free_ char *libc_id = NULL;
        _cleanup_close_ int libc_fd = open(info.dli_fname, O_RDONLY | O_CLOEXEC);
        assert_true(libc_fd >= 0);
        assert_int_equal(symbols_elf_build_id(libc_fd, &libc_id), 0);
        h = symbols_hint(libc_id, info.dli_fname);
        assert_string_equal(h, "apt-get install libc6-dbg");
        free(h);

        /* The libc that crashed was another build (this one came with an
         * upgrade since): libc6-dbg would not match it. */
        unsetenv("DEBUGINFOD_URLS");
        h = symbols_hint("0123abcd", info.dli_fname);
        assert_string_equal(h, "DEBUGINFOD_URLS=https://debuginfod.debian.net debuginfod-find debuginfo 0123abcd");
        free(h);

        char twin[512];
        if (strncmp(info.dli_fname, "/usr/", 5) == 0)
                snprintf(twin, sizeof(twin), "%s", info.dli_fname + 4);
        else
                snprintf(twin, sizeof(twin), "/usr%s", info.dli_fname);
        if (access(twin, F_OK) == 0) {
                h = symbols_hint(libc_id, twin);
                assert_string_equal(h, "apt-get install libc6-dbg");
                free(h);
        }

        /* dpkg-query -S /bin/sh prints two "diversion by dash" lines first. */
        h = symbols_hint(NULL, "/bin/sh");
        if (strncmp(h, "apt-get", 7) == 0)
                assert_string_equal(h, "apt-get install dash-dbgsym (needs the debian-debug archive in sources.list)");
        free(h);
}

static void write_file(const char *dir, const char *name, const char *text)
{
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, text, strlen(text)), 0);
}

/* Against a fake dpkg database (DPKG_ADMINDIR): owners of several modules
 * from one read of the file lists, the /usr twin, the native architecture
 * dropped, unknown and other-build files falling back, owners cached for
 * the process (the lists removed, the answer stays). */
static void test_hint_dpkg_lists(void **state)
{
        char admin[] = "/tmp/symbols-dpkg.XXXXXX", info[64], self[4096], list[16384];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        assert_true(n > 0);
        self[n] = '\0';
        assert_non_null(mkdtemp(admin));
        snprintf(info, sizeof(info), "%s/info", admin);
        assert_int_equal(mkdir(info, 0755), 0);
        /* a dir line, the path itself (also a prefix of a longer line) */
        snprintf(list, sizeof(list), "/.\n/usr\n%s.other\n%s\n/usr/lib/x\n", self, self);
        write_file(info, "fakepkg:amd64.list", list);
        write_file(info, "libc6:i386.list", "/usr/lib/i386-linux-gnu/libc.so.6\n");
        write_file(info, "other.list", "/usr/bin/nothing\n");
        write_file(info, "fakepkg.md5sums", self); /* not a list */
        setenv("DPKG_ADMINDIR", admin, 1);
        unsetenv("DEBUGINFOD_URLS");

        struct symbols_hint_query q[] = {
                { .build_id = self_id, .path = self },
                { .build_id = "0123abcd", .path = self }, /* another build than the file here */
                { .build_id = NULL, .path = "/nonexistent/lib.so" },
                { .build_id = self_id, .path = NULL },
        };
        struct symbols_hint h[ELEMENTSOF(q)];
        symbols_hints(q, ELEMENTSOF(q), h);
#if defined(__x86_64__) && !defined(__ILP32__)
        assert_string_equal(h[0].command,
                            "apt-get install fakepkg-dbgsym (needs the debian-debug archive in sources.list)");
#endif
        assert_non_null(strstr(h[0].command, "apt-get install fakepkg"));
        assert_true(h[0].local_package);
        assert_string_equal(h[1].command, "DEBUGINFOD_URLS=https://debuginfod.debian.net debuginfod-find debuginfo 0123abcd");
        assert_false(h[1].local_package);
        assert_string_equal(h[2].command, "rebuild /nonexistent/lib.so with -g");
        assert_non_null(strstr(h[3].command, "debuginfod-find debuginfo "));
        assert_false(h[3].local_package);
        for (size_t i = 0; i < ELEMENTSOF(q); i++)
                free(h[i].command);

        /* cached: the lists are not read again for a path asked before */
        char p[4200];
        snprintf(p, sizeof(p), "%s/fakepkg:amd64.list", info);
        assert_int_equal(unlink(p), 0);
        char *c = symbols_hint(self_id, self);
        assert_non_null(strstr(c, "apt-get install fakepkg"));
        free(c);

        /* another admin dir starts afresh: no list, no package */
        setenv("DPKG_ADMINDIR", "/nonexistent", 1);
        c = symbols_hint(self_id, self);
        assert_non_null(strstr(c, "debuginfod-find debuginfo "));
        free(c);
        unsetenv("DPKG_ADMINDIR");

        snprintf(p, sizeof(p), "%s/libc6:i386.list", info);
        unlink(p);
        snprintf(p, sizeof(p), "%s/other.list", info);
        unlink(p);
        snprintf(p, sizeof(p), "%s/fakepkg.md5sums", info);
        unlink(p);
        assert_int_equal(rmdir(info), 0);
        assert_int_equal(rmdir(admin), 0);
}

/* The package the crashed host recorded (packages.json) comes first, pinned
 * to its version, with no look at this machine (no DPKG_ADMINDIR here):
 * another architecture keeps its qualifier; a name or version that is not
 * Debian's (shell bytes from a hostile bundle) never reaches the command. */
static void test_hint_recorded(void **state)
{
        setenv("DPKG_ADMINDIR", "/nonexistent-dpkg", 1);
        const struct symbols_hint_query q[] = {
                { .build_id = "aa", .path = "/usr/lib/x86_64-linux-gnu/libc.so.6", .package = "libc6:amd64",
                  .package_version = "2.36-9+deb12u4" },
                { .build_id = "bb", .path = "/usr/lib/i386-linux-gnu/libz.so.1", .package = "zlib1g:i386",
                  .package_version = "1:1.2.13.dfsg-1" },
                { .build_id = "cc", .path = "/usr/bin/x", .package = "coreutils", .package_version = "9.1-1; id" },
                { .build_id = "dd", .path = "/usr/bin/y", .package = "evil;reboot", .package_version = "1" },
                { .build_id = "ee", .path = "/usr/bin/z", .package = "$(id)" },
        };
        struct symbols_hint h[5];
        symbols_hints(q, 5, h);
        assert_string_equal(h[0].command, "apt-get install libc6-dbg=2.36-9+deb12u4");
        assert_true(h[0].recorded_package);
        assert_false(h[0].local_package);
        assert_non_null(strstr(h[1].command, "apt-get install zlib1g-dbgsym:i386=1:1.2.13.dfsg-1 "));
        assert_string_equal(h[2].command, "apt-get install coreutils-dbgsym (needs the debian-debug archive in sources.list)");
        assert_true(h[2].recorded_package);
        assert_false(h[3].recorded_package);
        assert_string_equal(h[3].command, "DEBUGINFOD_URLS=https://debuginfod.debian.net debuginfod-find debuginfo dd");
        assert_false(h[4].recorded_package);
        assert_null(strstr(h[4].command, "$("));
        for (size_t i = 0; i < 5; i++)
                free(h[i].command);
        unsetenv("DPKG_ADMINDIR");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_source_names),
                cmocka_unit_test(test_build_id_self),
                cmocka_unit_test(test_not_elf),
                cmocka_unit_test(test_invalid_args),
                cmocka_unit_test(test_local),
                cmocka_unit_test(test_bundle),
                cmocka_unit_test(test_bundle_only),
                cmocka_unit_test(test_hint_fallbacks),
                cmocka_unit_test(test_hint_dpkg),
                cmocka_unit_test(test_hint_dpkg_lists),
                cmocka_unit_test(test_hint_recorded),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
