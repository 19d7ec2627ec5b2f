/* analyze/input.c on plain zstd cores (systemd-coredump's core.*.zst): the
 * stream is decompressed into a memfd whose zero pages stay holes, so a
 * core's untouched memory costs no memory; reads give back every byte, the
 * trailing zeros included; the size limit and a cut stream fail clearly. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cmocka.h>

#include "input.h"
#include "io.h"

enum { SIZE = 3 << 20 };

/* An ELF core header, then zeros with a few non-zero bytes and a non-zero
 * page in the middle; the last MiB stays zero (a trailing hole). */
static uint8_t *fake_core(void)
{
        uint8_t *c = calloc(1, SIZE);
        assert_non_null(c);
        Elf64_Ehdr *eh = (Elf64_Ehdr *)c;
        memcpy(eh->e_ident, ELFMAG, SELFMAG);
        eh->e_ident[EI_CLASS] = ELFCLASS64;
        eh->e_ident[EI_DATA] = ELFDATA2LSB;
        eh->e_ident[EI_VERSION] = EV_CURRENT;
        eh->e_type = ET_CORE;
        eh->e_machine = EM_X86_64;
        c[(1 << 20) + 5] = 0x11;
        c[(1 << 20) + 4095] = 0x22;
        memset(c + (3 << 19), 0x5a, 4096);
        c[(2 << 20) - 1] = 0x33;
        return c;
}

/* zstd of len bytes of data (cut in half when `cut`) in a memfd; returns
 * its /proc/self/fd path in path. */
static int zstd_file(const uint8_t *data, size_t len, bool cut, char *path, size_t path_len)
{
        size_t cap = ZSTD_compressBound(len);
        uint8_t *z = malloc(cap);
        assert_non_null(z);
        size_t n = ZSTD_compress(z, cap, data, len, 1);
        assert_false(ZSTD_isError(n));
        if (cut)
                n /= 2;
        int fd = memfd_create("test-input", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, z, n), 0);
        free(z);
        snprintf(path, path_len, "/proc/self/fd/%d", fd);
        return fd;
}

static void test_sparse_zstd_core(void **state)
{
        uint8_t *core = fake_core();
        char path[64];
        int zfd = zstd_file(core, SIZE, false, path, sizeof(path));
        struct input *in = NULL;
        const char *why = NULL;
        assert_int_equal(input_open(path, SIZE, &in, &why), 0);
        assert_int_equal(in->kind, INPUT_ZSTD_CORE);
        assert_true(in->has_core);
        assert_int_equal(in->core_size, SIZE);

        struct stat st;
        assert_int_equal(fstat(in->fd, &st), 0);
        assert_int_equal(st.st_size, SIZE);
        /* four non-zero pages (header, two bytes in one page, the 0x5a page,
         * one byte) of 768 */
        assert_true((uint64_t)st.st_blocks * 512 <= 16 * 4096);

        uint8_t *back = malloc(SIZE);
        assert_non_null(back);
        assert_int_equal(input_pread_core(in, back, SIZE, 0), SIZE);
        assert_memory_equal(back, core, SIZE);
        uint8_t b = 0xff;
        assert_int_equal(input_pread_core(in, &b, 1, SIZE - 1), 1); /* in the trailing hole */
        assert_int_equal(b, 0);
        free(back);
        input_free(in);
        close(zfd);
        free(core);
}

static void test_zstd_core_limits(void **state)
{
        uint8_t *core = fake_core();
        char path[64];
        struct input *in = NULL;
        const char *why = NULL;

        int zfd = zstd_file(core, SIZE, false, path, sizeof(path));
        assert_int_equal(input_open(path, SIZE - 1, &in, &why), -EFBIG);
        assert_null(in);
        assert_non_null(why);
        assert_non_null(strstr(why, "too large for the limits"));
        assert_non_null(strstr(why, "--max-zstd"));
        close(zfd);

        why = NULL;
        zfd = zstd_file(core, SIZE, true, path, sizeof(path)); /* the stream cut short */
        assert_int_equal(input_open(path, SIZE, &in, &why), -EBADMSG);
        assert_null(in);
        assert_non_null(why);
        assert_non_null(strstr(why, "truncated"));
        close(zfd);
        free(core);
}

/* Not an ELF core: said from the first bytes, not after decompressing up
 * to --max-zstd (which used to be reported instead). */
static void test_zstd_header_first(void **state)
{
        uint8_t *data = malloc(SIZE);
        assert_non_null(data);
        memset(data, 'x', SIZE);
        char path[64];
        struct input *in = NULL;
        const char *why = NULL;
        int zfd = zstd_file(data, SIZE, false, path, sizeof(path));
        assert_int_equal(input_open(path, 4096, &in, &why), -EBADMSG);
        assert_null(in);
        assert_non_null(why);
        assert_non_null(strstr(why, "does not hold an ELF core"));
        close(zfd);
        free(data);
}

/* Past the memory bound the core moves to an unnamed file in $TMPDIR:
 * every byte reads back, and the fd is no longer a memfd. */
static void test_zstd_spill(void **state)
{
        char dir[] = "test-input-tmp.XXXXXX"; /* in the build directory */
        assert_non_null(mkdtemp(dir));
        char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
        setenv("TMPDIR", dir, 1);
        input_set_memory_bound(1 << 20);
        uint8_t *core = fake_core();
        memset(core + (1 << 20), 0x77, 1 << 20); /* more data than the bound */
        char path[64];
        struct input *in = NULL;
        const char *why = NULL;
        int zfd = zstd_file(core, SIZE, false, path, sizeof(path));
        assert_int_equal(input_open(path, SIZE, &in, &why), 0);
        input_set_memory_bound(0);
        if (old)
                setenv("TMPDIR", old, 1);
        else
                unsetenv("TMPDIR");
        free(old);
        char fdpath[64], target[4096];
        snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", in->fd);
        ssize_t n = readlink(fdpath, target, sizeof(target) - 1);
        assert_true(n > 0);
        target[n] = '\0';
        if (strncmp(target, "/memfd:", 7) == 0 || !strstr(target, dir))
                fail_msg("the core stayed in %s", target);
        assert_int_equal(in->core_size, SIZE);
        uint8_t *back = malloc(SIZE);
        assert_non_null(back);
        assert_int_equal(input_pread_core(in, back, SIZE, 0), SIZE);
        assert_memory_equal(back, core, SIZE);
        input_free(in);
        close(zfd);
        free(back);
        free(core);
        assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sparse_zstd_core),
                cmocka_unit_test(test_zstd_core_limits),
                cmocka_unit_test(test_zstd_header_first),
                cmocka_unit_test(test_zstd_spill),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
