#include "elfcheck.h"

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io.h"
#include "util.h"

/* off + len within size, without overflow. */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
        return off <= size && len <= size - off;
}

/* The dynamic section must end with DT_NULL inside the file. */
static int check_dynamic(int fd, const Elf64_Phdr *p, const char **why)
{
        Elf64_Dyn d;
        for (uint64_t at = 0; at + sizeof(d) <= p->p_filesz; at += sizeof(d)) {
                if (pread_full(fd, &d, sizeof(d), p->p_offset + at) != (ssize_t)sizeof(d))
                        break;
                if (d.d_tag == DT_NULL)
                        return 0;
        }
        *why = "its dynamic section has no end (DT_NULL)";
        return -EBADMSG;
}

int elf_check_image(int fd, const char **why)
{
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        uint64_t size = (uint64_t)st.st_size;
        Elf64_Ehdr eh;
        if (pread_full(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
            eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
                *why = "not a 64-bit little-endian ELF file";
                return -EBADMSG;
        }
        if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > ELFCHECK_PHNUM_MAX ||
            !inside(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), size)) {
                *why = "its program header table is malformed or outside the file";
                return -EBADMSG;
        }
        size_t n = eh.e_phnum;
        _cleanup_free_ Elf64_Phdr *ph = malloc(n * sizeof(*ph));
        if (!ph)
                return -ENOMEM;
        if (pread_full(fd, ph, n * sizeof(*ph), eh.e_phoff) != (ssize_t)(n * sizeof(*ph))) {
                *why = "its program headers cannot be read";
                return -EBADMSG;
        }
        for (size_t i = 0; i < n; i++) {
                const Elf64_Phdr *p = &ph[i];
                if (!inside(p->p_offset, p->p_filesz, size) || (p->p_type == PT_LOAD && p->p_filesz > p->p_memsz)) {
                        *why = "a program header points outside the file";
                        return -EBADMSG;
                }
                /* libunwind reads the 4-byte header and two encoded
                 * pointers (up to 8 bytes each) of .eh_frame_hdr */
                if (p->p_type == PT_GNU_EH_FRAME && (p->p_filesz < 12 || !inside(p->p_offset, 20, size))) {
                        *why = "its .eh_frame_hdr is cut";
                        return -EBADMSG;
                }
                if (p->p_type == PT_DYNAMIC) {
                        int r = check_dynamic(fd, p, why);
                        if (r < 0)
                                return r;
                }
        }
        if (eh.e_shnum == 0 && eh.e_shoff == 0)
                return 0;
        if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shstrndx >= eh.e_shnum ||
            !inside(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), size)) {
                *why = "its section header table is malformed or outside the file";
                return -EBADMSG;
        }
        for (size_t i = 0; i < eh.e_shnum; i++) {
                Elf64_Shdr sh;
                if (pread_full(fd, &sh, sizeof(sh), eh.e_shoff + i * sizeof(sh)) != (ssize_t)sizeof(sh)) {
                        *why = "its section headers cannot be read";
                        return -EBADMSG;
                }
                if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL && !inside(sh.sh_offset, sh.sh_size, size)) {
                        *why = "a section header points outside the file";
                        return -EBADMSG;
                }
        }
        return 0;
}
