/* common/dpkg: owners from .list files and versions from status, on a
 * database this test writes: the /usr-merge alias both ways, hostile paths
 * (a newline that would join two lines, odd bytes), a package without a
 * status entry, status text that only looks like a field, multiarch
 * entries, and the time and size limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dpkg.h"
#include "io.h"

static char admindir[64];

static void put(const char *name, const char *text)
{
        char path[256];
        snprintf(path, sizeof(path), "%s/%s", admindir, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, text, strlen(text)), 0);
        close(fd);
}

static int setup(void **state)
{
        snprintf(admindir, sizeof(admindir), "/tmp/test-dpkg.XXXXXX");
        if (!mkdtemp(admindir))
                return -1;
        char info[128];
        snprintf(info, sizeof(info), "%s/info", admindir);
        if (mkdir(info, 0755) < 0)
                return -1;
        put("info/coreutils.list", "/.\n/usr\n/usr/bin\n/usr/bin/sleep\n/bin/ls\n");
        put("info/libc6:amd64.list", "/lib/x86_64-linux-gnu/libc.so.6\n/usr/lib/x86_64-linux-gnu/libm.so.6");
        put("info/libc6:i386.list", "/lib/i386-linux-gnu/libc.so.6\n");
        put("info/odd.list", "/opt/a\n/opt/odd\xff\x01name\n/opt/b\n");
        put("info/orphan.list", "/usr/bin/orphan\n");
        put("info/.hidden.list", "/usr/bin/none\n");
        put("info/none.md5sums", "0123  usr/bin/none\n/usr/bin/none\n");
        put("status",
            "Package: coreutils\nStatus: install ok installed\nArchitecture: amd64\nVersion: 9.1-1\n"
            "Description: GNU core utilities\n Package: evil\n Version: 6.6.6\n\n"
            "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nMulti-Arch: same\nVersion: 2.36-8\n\n"
            "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\n"
            "Version: 2.36-9+deb12u4\n\n"
            "Package: odd\nStatus: deinstall ok config-files\nArchitecture: all\nVersion: 0.1\n\n"
            "Package: odd\nStatus: install ok installed\nArchitecture: all\nVersion: 1:2.0~rc1-3\n");
        return 0;
}

static int teardown(void **state)
{
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", admindir);
        return system(cmd) == 0 ? 0 : -1;
}

static void alias(void **state)
{
        char *a;
        assert_string_equal(a = dpkg_usrmerge_alias("/usr/sbin/x"), "/sbin/x");
        free(a);
        assert_string_equal(a = dpkg_usrmerge_alias("/lib64/ld-linux-x86-64.so.2"), "/usr/lib64/ld-linux-x86-64.so.2");
        free(a);
        assert_null(dpkg_usrmerge_alias("/usr/share/x"));
        assert_null(dpkg_usrmerge_alias("/opt/lib/x"));
        assert_null(dpkg_usrmerge_alias("/libfoo/x"));
        assert_null(dpkg_usrmerge_alias("/usr/libexec/x"));
}

static const char *const paths[] = {
        "/usr/bin/sleep",
        "/usr/bin/ls",                         /* listed as /bin/ls */
        "/usr/lib/x86_64-linux-gnu/libc.so.6", /* listed as /lib/... */
        "/lib/x86_64-linux-gnu/libm.so.6",     /* listed as /usr/lib/... (last line, no newline) */
        "/opt/a\n/opt/b",                      /* would be two lines */
        "/opt/odd\xff\x01name",
        "/usr/bin/orphan",                     /* no status entry */
        "/usr/bin/none",                       /* only in a hidden list and an md5sums */
        "/opt/b",
        NULL,
};
#define N_PATHS (sizeof(paths) / sizeof(paths[0]))

static void owners_and_versions(void **state)
{
        char *owners[N_PATHS];
        struct dpkg_limits lim = { 0 };
        assert_int_equal(dpkg_find_owners(admindir, paths, N_PATHS, &lim, owners), 0);
        assert_true(lim.bytes_read > 0);
        assert_string_equal(owners[0], "coreutils");
        assert_string_equal(owners[1], "coreutils");
        assert_string_equal(owners[2], "libc6:amd64");
        assert_string_equal(owners[3], "libc6:amd64");
        assert_null(owners[4]);
        assert_string_equal(owners[5], "odd");
        assert_string_equal(owners[6], "orphan");
        assert_null(owners[7]);
        assert_string_equal(owners[8], "odd");
        assert_null(owners[9]);

        struct dpkg_package pk[N_PATHS];
        assert_int_equal(dpkg_find_packages(admindir, (const char *const *)owners, N_PATHS, NULL, pk), 0);
        assert_string_equal(pk[0].name, "coreutils");
        assert_string_equal(pk[0].version, "9.1-1"); /* not the indented "6.6.6" */
        assert_string_equal(pk[0].arch, "amd64");
        assert_string_equal(pk[2].name, "libc6");
        assert_string_equal(pk[2].version, "2.36-9+deb12u4"); /* amd64's, not i386's */
        assert_string_equal(pk[2].arch, "amd64");
        assert_string_equal(pk[5].version, "1:2.0~rc1-3"); /* installed, not the config-files entry */
        assert_string_equal(pk[5].arch, "all");
        assert_string_equal(pk[6].name, "orphan");
        assert_null(pk[6].version);
        assert_null(pk[6].arch);
        assert_null(pk[4].name);
        assert_null(pk[9].name);
        for (size_t i = 0; i < N_PATHS; i++) {
                dpkg_package_clear(&pk[i]);
                free(owners[i]);
        }
}

static void limits(void **state)
{
        char *owners[N_PATHS];
        struct dpkg_limits lim = { .max_bytes = 16 };
        assert_int_equal(dpkg_find_owners(admindir, paths, N_PATHS, &lim, owners), -EFBIG);
        assert_true(lim.bytes_read <= 16);
        for (size_t i = 0; i < N_PATHS; i++)
                free(owners[i]);
        lim = (struct dpkg_limits){ .deadline_usec = 1 };
        assert_int_equal(dpkg_find_owners(admindir, paths, N_PATHS, &lim, owners), -ETIME);
        for (size_t i = 0; i < N_PATHS; i++)
                free(owners[i]);
        struct dpkg_package pk[1];
        const char *one[] = { "coreutils" };
        lim = (struct dpkg_limits){ .max_bytes = 100 };
        assert_int_equal(dpkg_find_packages(admindir, one, 1, &lim, pk), -EFBIG);
        assert_string_equal(pk[0].name, "coreutils");
        assert_null(pk[0].version);
        dpkg_package_clear(&pk[0]);
        assert_int_equal(dpkg_find_owners("/nonexistent-dpkg", paths, N_PATHS, NULL, owners), -ENOENT);
        assert_null(owners[0]);
        assert_int_equal(dpkg_find_packages("/nonexistent-dpkg", one, 1, NULL, pk), -ENOENT);
        dpkg_package_clear(&pk[0]);
        /* no owner at all: status is not even opened */
        const char *none[] = { NULL };
        assert_int_equal(dpkg_find_packages("/nonexistent-dpkg", none, 1, NULL, pk), 0);
        assert_null(pk[0].name);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(alias),
                cmocka_unit_test(owners_and_versions),
                cmocka_unit_test(limits),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
