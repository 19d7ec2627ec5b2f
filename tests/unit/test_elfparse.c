/* common/elfparse.c on the seeds of its fuzz target (tests/fuzz/corpus/elf,
 * made by make-elf-seeds.py independently of the parser): the build-id of
 * ELF64 and ELF32 files, behind PN_XNUM, in a loaded image, none from cut or
 * lying notes; the note iterator's alignment and bounds; the hex encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfparse.h"
#include "io.h"
#include "util.h"

static const char *seed_dir;
static const char seed_id[] = "101112131415161718191a1b1c1d1e1f20212223";

struct mem {
        char *data;
        size_t size;
};

static ssize_t mem_pread(void *ctx, void *buf, size_t len, uint64_t off)
{
        const struct mem *m = ctx;
        if (off >= m->size)
                return 0;
        size_t n = MIN(len, (size_t)(m->size - off));
        memcpy(buf, m->data + off, n);
        return (ssize_t)n;
}

static int seed_build_id(const char *name, bool loaded, char hex[2 * BUILD_ID_MAX + 1])
{
        int dir = open(seed_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dir >= 0);
        struct mem m = { 0 };
        assert_int_equal(read_file_at(dir, name, 1 << 20, &m.data, &m.size, NULL), 0);
        close(dir);
        struct elf_reader rd = { mem_pread, &m };
        int r = elf_build_id_read(&rd, loaded, hex);
        free(m.data);
        return r;
}

static void test_build_id(void **state)
{
        char hex[2 * BUILD_ID_MAX + 1];
        static const char *const good[] = { "elf64", "elf32", "xnum64", "xnum32" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                hex[0] = '\0';
                assert_int_equal(seed_build_id(good[i], false, hex), 0);
                assert_string_equal(hex, seed_id);
        }
        /* notes at p_vaddr 0x200 past their p_offset: found only as loaded */
        assert_int_equal(seed_build_id("loaded64", true, hex), 0);
        assert_string_equal(hex, seed_id);
        assert_int_equal(seed_build_id("loaded64", false, hex), -ENOENT);
        /* a loaded image cannot say PN_XNUM (section headers are not mapped) */
        assert_int_equal(seed_build_id("xnum64", true, hex), -EBADMSG);
        assert_int_equal(seed_build_id("cut-note", false, hex), -ENOENT);
        assert_int_equal(seed_build_id("lying-descsz", false, hex), -ENOENT);
        assert_int_equal(seed_build_id("long-id", false, hex), -ENOENT);
        assert_int_equal(seed_build_id("cut-phdrs", false, hex), -EBADMSG);
        assert_int_equal(seed_build_id("notes-only", false, hex), -EBADMSG);
}

static void test_notes(void **state)
{
        /* an 8-aligned note (name padded to 8), then a 4-aligned one cut in
         * its descriptor's padding: both seen, then the end */
        uint8_t buf[64] = { 0 };
        uint32_t h1[3] = { 4, 8, 5 }, h2[3] = { 4, 3, 3 };
        memcpy(buf, h1, 12);
        memcpy(buf + 12, "GNU", 4);
        memset(buf + 16, 0xaa, 8);
        memcpy(buf + 24, h2, 12);
        memcpy(buf + 36, "GNU", 4);
        memcpy(buf + 40, "\x01\x02\xff", 3);
        struct elf_notes it;
        struct elf_note n;
        char hex[2 * BUILD_ID_MAX + 1];
        elf_notes_init(&it, buf, 43, 8);
        assert_int_equal(elf_notes_next(&it, &n), 1);
        assert_true(elf_note_is(&n, "GNU", 5));
        assert_ptr_equal(n.desc, buf + 16);
        assert_int_equal(elf_notes_next(&it, &n), 1);
        assert_true(elf_note_build_id(&n, hex));
        assert_string_equal(hex, "0102ff");
        assert_int_equal(elf_notes_next(&it, &n), 0);
        /* a descriptor past the end: -EBADMSG, and nothing after it */
        elf_notes_init(&it, buf + 24, 18, 4);
        assert_int_equal(elf_notes_next(&it, &n), -EBADMSG);
        assert_int_equal(elf_notes_next(&it, &n), 0);
        /* a name past the end */
        uint32_t h3[3] = { 0xfffffffd, 0, 1 };
        memcpy(buf, h3, 12);
        elf_notes_init(&it, buf, sizeof(buf), 4);
        assert_int_equal(elf_notes_next(&it, &n), -EBADMSG);
        assert_false(elf_note_is(&(struct elf_note){ 3, "GNU", 3, NULL, 0 }, "GNU", 3)); /* no NUL counted */
}

static void test_hex(void **state)
{
        char out[9];
        hex_encode("\x00\x7f\x80\xff", 4, out);
        assert_string_equal(out, "007f80ff");
        hex_encode("", 0, out);
        assert_string_equal(out, "");
}

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: %s SEED-DIR\n", argv[0]);
                return 64;
        }
        seed_dir = argv[1];
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_build_id),
                cmocka_unit_test(test_notes),
                cmocka_unit_test(test_hex),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
