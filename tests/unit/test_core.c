/* analyze/core.c on a hostile NT_FILE note: entries out of order, empty,
 * overlapping or with an offset that overflows are sorted or dropped (and
 * said so), and core_map_at finds each remaining mapping by binary search. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "core.h"
#include "input.h"
#include "io.h"

struct buf {
        uint8_t d[8192];
        size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
        assert_true(b->n + n <= sizeof(b->d));
        memcpy(b->d + b->n, p, n);
        b->n += n;
}

static void put_note(struct buf *b, uint32_t type, const void *desc, uint32_t len)
{
        uint32_t h[3] = { 5, len, type };
        put(b, h, sizeof(h));
        put(b, "CORE\0\0\0", 8);
        put(b, desc, len);
        while (b->n % 4)
                put(b, "", 1);
}

static void test_ntfile_hostile(void **state)
{
        struct buf notes = { .n = 0 };
        uint8_t prstatus[336] = { 0 };
        uint32_t tid = 77;
        memcpy(prstatus + 32, &tid, 4);
        put_note(&notes, NT_PRSTATUS, prstatus, sizeof(prstatus));
        static const struct {
                uint64_t start, end, pgoff;
                const char *name;
        } e[] = {
                { 0x3000, 0x4000, 0, "/b" },
                { 0x1000, 0x2000, 0, "/a" },
                { 0x1800, 0x2800, 0, "/overlap" },
                { 0x5000, 0x5000, 0, "/empty" },
                { 0x7000, 0x6000, 0, "/inverted" },
                { 0x8000, 0x9000, UINT64_MAX / 2, "/overflow" },
        };
        struct buf d = { .n = 0 };
        uint64_t count = sizeof(e) / sizeof(e[0]), page = 4096;
        put(&d, &count, 8);
        put(&d, &page, 8);
        for (size_t i = 0; i < count; i++)
                put(&d, &e[i], 24);
        for (size_t i = 0; i < count; i++)
                put(&d, e[i].name, strlen(e[i].name) + 1);
        put_note(&notes, NT_FILE, d.d, (uint32_t)d.n);

        struct buf core = { .n = 0 };
        Elf64_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
                          .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
                          .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 1 };
        memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS64;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = sizeof(eh) + sizeof(Elf64_Phdr), .p_filesz = notes.n };
        put(&core, &eh, sizeof(eh));
        put(&core, &ph, sizeof(ph));
        put(&core, notes.d, notes.n);

        int fd = memfd_create("test-core", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, core.d, core.n), 0);
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        struct input *in = NULL;
        const char *why = NULL;
        assert_int_equal(input_open(path, 1 << 20, &in, &why), 0);
        struct core *c = NULL;
        assert_int_equal(core_load(in, &c, &why), 0);
        assert_int_equal(c->n_threads, 1);
        assert_true(c->maps_malformed);
        assert_int_equal(c->n_maps, 2);
        assert_string_equal(c->maps[0].path, "/a");
        assert_string_equal(c->maps[1].path, "/b");
        assert_string_equal(core_map_at(c, 0x1800)->path, "/a");
        assert_null(core_map_at(c, 0x2800));
        assert_string_equal(core_map_at(c, 0x3fff)->path, "/b");
        assert_null(core_map_at(c, 0x4000));
        assert_null(core_map_at(c, 0x8000));
        assert_null(core_map_at(c, 0));
        assert_int_equal(core_map_first(c, 0x1001), 1);
        core_free(c);
        input_free(in);
        close(fd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ntfile_hostile),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
