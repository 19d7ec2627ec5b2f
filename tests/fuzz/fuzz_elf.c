/* Fuzz target: common/elfparse.c, the one ELF reader every parser of
 * untrusted ELF uses (the capture's core head and build-ids, the analyzer's
 * core, the build-ids of the images dumped in a core). The input is read as
 * a file and as a loaded image, and its whole bytes as notes aligned to 4
 * and to 8. Promise: no crash, no hang, only the documented errors, and
 * every note and build-id lies within the bytes given. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfparse.h"

struct mem {
        const uint8_t *data;
        size_t size;
};

static ssize_t mem_pread(void *ctx, void *buf, size_t len, uint64_t off)
{
        const struct mem *m = ctx;
        if (off >= m->size)
                return 0;
        size_t n = (size_t)(m->size - off) < len ? (size_t)(m->size - off) : len;
        memcpy(buf, m->data + off, n);
        return (ssize_t)n;
}

static void check_hex(const char *hex)
{
        size_t l = strlen(hex);
        if (l == 0 || l > 2 * BUILD_ID_MAX || l % 2 || strspn(hex, "0123456789abcdef") != l)
                abort();
}

static void notes(const uint8_t *data, size_t size, size_t align)
{
        struct elf_notes it;
        struct elf_note n;
        int r;
        unsigned count = 0;
        elf_notes_init(&it, data, size, align);
        while ((r = elf_notes_next(&it, &n)) > 0) {
                const uint8_t *end = data + size;
                if ((const uint8_t *)n.name < data || n.namesz > (size_t)(end - (const uint8_t *)n.name) ||
                    n.desc < data || n.descsz > (size_t)(end - n.desc))
                        abort(); /* promised within the buffer */
                char hex[2 * BUILD_ID_MAX + 1];
                if (elf_note_build_id(&n, hex))
                        check_hex(hex);
                if (++count > size / 12)
                        abort(); /* every note takes 12 bytes at least: no loop */
        }
        if (r != 0 && r != -EBADMSG)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct elf_ehdr h;
        int r = elf_ehdr_parse(data, size, &h);
        if (r < 0 && r != -EAGAIN && r != -EBADMSG)
                abort();
        if (r == 0 && h.xnum)
                (void)elf_ehdr_xnum(&h, data + (h.shoff < size ? h.shoff : size),
                                    h.shoff < size ? size - h.shoff : 0);

        struct mem m = { data, size };
        struct elf_reader rd = { mem_pread, &m };
        if (elf_ehdr_read(&rd, &h) == 0 && elf_phentsize_ok(&h)) {
                struct elf_phdr *ph = NULL;
                uint64_t n = h.phnum < 4096 ? h.phnum : 4096;
                r = elf_phdrs_read(&rd, &h, n, &ph);
                if (r == 0)
                        free(ph);
                else if (r != -EBADMSG && r != -ENOMEM)
                        abort();
        }
        for (int loaded = 0; loaded < 2; loaded++) {
                char hex[2 * BUILD_ID_MAX + 1];
                r = elf_build_id_read(&rd, loaded, hex);
                if (r == 0)
                        check_hex(hex);
                else if (r != -ENOENT && r != -EBADMSG && r != -ENOMEM)
                        abort();
        }
        notes(data, size, 4);
        notes(data, size, 8);
        return 0;
}
