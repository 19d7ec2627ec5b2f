/* analyze/elfcheck.c: the checks an ELF file passes before libunwind maps
 * it. The test program itself is the valid input; each case corrupts one
 * header of a copy in a memfd and must be refused. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
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

#include "elfcheck.h"
#include "io.h"

static uint8_t *self;
static size_t self_len;

static int setup(void **state)
{
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        off_t len = lseek(fd, 0, SEEK_END);
        self = malloc(len > 0 ? (size_t)len : 1);
        if (len <= 0 || !self || pread_full(fd, self, (size_t)len, 0) != (ssize_t)len) {
                close(fd);
                return -1;
        }
        close(fd);
        self_len = (size_t)len;
        return 0;
}

static int teardown(void **state)
{
        free(self);
        return 0;
}

static int memfd_of(const uint8_t *data, size_t len)
{
        int fd = memfd_create("test-elfcheck", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, data, len), 0);
        return fd;
}

static Elf64_Ehdr *ehdr(uint8_t *b) { return (Elf64_Ehdr *)b; }
static Elf64_Phdr *phdr(uint8_t *b, size_t i) { return (Elf64_Phdr *)(b + ehdr(b)->e_phoff) + i; }

static Elf64_Phdr *find_ph(uint8_t *b, uint32_t type)
{
        for (size_t i = 0; i < ehdr(b)->e_phnum; i++)
                if (phdr(b, i)->p_type == type)
                        return phdr(b, i);
        return NULL;
}

/* copies the test program, lets corrupt() change it, returns the verdict */
static int check_copy(void (*corrupt)(uint8_t *), const char **why)
{
        uint8_t *b = malloc(self_len);
        assert_non_null(b);
        memcpy(b, self, self_len);
        if (corrupt)
                corrupt(b);
        int fd = memfd_of(b, self_len);
        int r = elf_check_image(fd, why);
        close(fd);
        free(b);
        return r;
}

static void test_valid(void **state)
{
        const char *why = NULL;
        assert_int_equal(check_copy(NULL, &why), 0);
}

static void c_phoff(uint8_t *b) { ehdr(b)->e_phoff = 0x7fffffffffff0000ull; }
static void c_phnum(uint8_t *b) { ehdr(b)->e_phnum = 0xfffe; }
static void c_phentsize(uint8_t *b) { ehdr(b)->e_phentsize = 32; }
static void c_eh_frame(uint8_t *b) { find_ph(b, PT_GNU_EH_FRAME)->p_offset = 0x7ff0000000000ull; }
static void c_eh_frame_cut(uint8_t *b) { find_ph(b, PT_GNU_EH_FRAME)->p_filesz = 3; }
static void c_load_wrap(uint8_t *b)
{
        Elf64_Phdr *p = find_ph(b, PT_LOAD);
        p->p_offset = 0x1000;
        p->p_filesz = UINT64_MAX - 0x800; /* offset + size wraps around */
}
static void c_dynamic(uint8_t *b)
{
        Elf64_Phdr *p = find_ph(b, PT_DYNAMIC);
        for (uint64_t at = 0; at + sizeof(Elf64_Dyn) <= p->p_filesz; at += sizeof(Elf64_Dyn))
                ((Elf64_Dyn *)(b + p->p_offset + at))->d_tag = DT_DEBUG;
}
static void c_shoff(uint8_t *b) { ehdr(b)->e_shoff = self_len - 10; }
static void c_section(uint8_t *b)
{
        Elf64_Shdr *sh = (Elf64_Shdr *)(b + ehdr(b)->e_shoff) + 1;
        sh->sh_type = SHT_PROGBITS;
        sh->sh_offset = 0x7ff0000000000ull;
}
static void c_magic(uint8_t *b) { b[1] = 'X'; }

static void test_corrupt(void **state)
{
        static const struct {
                void (*fn)(uint8_t *);
                const char *why;
        } cases[] = {
                { c_phoff, "program header table" },   { c_phnum, "program header table" },
                { c_phentsize, "program header table" }, { c_eh_frame, "outside the file" },
                { c_eh_frame_cut, ".eh_frame_hdr" },   { c_load_wrap, "outside the file" },
                { c_dynamic, "DT_NULL" },              { c_shoff, "section header table" },
                { c_section, "section header points" }, { c_magic, "not a 64-bit" },
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const char *why = NULL;
                assert_int_equal(check_copy(cases[i].fn, &why), -EBADMSG);
                assert_non_null(why);
                if (!strstr(why, cases[i].why))
                        fail_msg("case %zu: '%s' does not say '%s'", i, why, cases[i].why);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_valid),
                cmocka_unit_test(test_corrupt),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
