/* A copy of a debug file with its zlib-compressed sections stored
 * uncompressed, for libdw.
 *
 * Why: dwarf_begin_elf() decompresses every compressed .debug_* section of
 * a file as soon as it opens it, with zlib (elf_compress). Debian's debug
 * packages (libc6-dbg, *-dbgsym) compress them all; for libc's debug file
 * that is 10 MB of output and 57% of the instructions of a whole analysis of
 * a small program. libdeflate inflates the same streams in half the
 * instructions (callgrind: 108 M against 205 M for libc's debug file), so
 * the file libdwfl gets is this copy: the same file, byte for byte in every
 * section, with the compressed ones inflated in place of libdw doing it,
 * but for the location lists of variables (.debug_loclists, .debug_loc),
 * which nothing of ours reads: when compressed, they become empty NOBITS
 * sections, which libdw skips.
 *
 * Only the layout moves: everything before the first compressed section
 * (ELF header, program headers, notes) stays where it was, the sections from
 * there on are laid out again in file order, and the section header table
 * goes last. Files this does not fit (another class or byte order than this
 * machine's, program header contents past the first compressed section,
 * a dwz file named by a relative path, malformed headers) are left to
 * libdw. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libdeflate.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "symbols-internal.h"
#include "util.h"

/* The most bytes a copy may have: beyond, libdw decompresses as before. */
#define INFLATE_MAX ((uint64_t)2 << 30)
/* nor more than this many times the file's own size */
#define INFLATE_RATIO_MAX 32

struct scn_plan {
        Elf64_Shdr shdr;       /* as it will be written */
        const uint8_t *src;    /* raw bytes in the input (compressed payload or contents) */
        size_t src_len;
        bool inflate;
};

static inline void elf_endp(Elf **e)
{
        if (*e)
                elf_end(*e);
}

static inline void decompressor_freep(struct libdeflate_decompressor **d)
{
        if (*d)
                libdeflate_free_decompressor(*d);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
        if (a <= 1)
                return v;
        return (v + a - 1) / a * a;
}

/* The sections of in (native 64-bit ELF of size len at base) and where each
 * goes; *ret_prefix is the offset of the first compressed section (bytes
 * before it are copied as they are), *ret_size the copy's size. 0 with
 * *ret_n sections planned, 1 when there is nothing to do or the file does
 * not fit (left to libdw), negative errno. */
static int plan(Elf *in, const uint8_t *base, size_t len, struct scn_plan **ret, size_t *ret_n,
                uint64_t *ret_prefix, uint64_t *ret_shoff, uint64_t *ret_size)
{
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
        size_t n;
        size_t shstrndx = 0;
        if (elf_getshdrnum(in, &n) < 0 || n == 0 || n > len / sizeof(Elf64_Shdr) ||
            elf_getshdrstrndx(in, &shstrndx) < 0 || (eh->e_phnum && eh->e_phentsize != sizeof(Elf64_Phdr)))
                return 1;
        _cleanup_free_ struct scn_plan *p = calloc(n, sizeof(*p));
        if (!p)
                return -ENOMEM;
        uint64_t prefix = UINT64_MAX;
        for (size_t i = 0; i < n; i++) {
                Elf_Scn *scn = elf_getscn(in, i);
                GElf_Shdr sh;
                if (!scn || !gelf_getshdr(scn, &sh))
                        return 1;
                p[i].shdr = (Elf64_Shdr){
                        .sh_name = sh.sh_name, .sh_type = sh.sh_type, .sh_flags = sh.sh_flags,
                        .sh_addr = sh.sh_addr, .sh_offset = sh.sh_offset, .sh_size = sh.sh_size,
                        .sh_link = sh.sh_link, .sh_info = sh.sh_info,
                        .sh_addralign = sh.sh_addralign, .sh_entsize = sh.sh_entsize,
                };
                if (i == 0 || sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
                        continue;
                /* libdw looks for a dwz file named by a relative path in the
                 * debug file's directory, which a memfd has not */
                const char *name = shstrndx ? elf_strptr(in, shstrndx, sh.sh_name) : NULL;
                if (name && strcmp(name, ".gnu_debugaltlink") == 0) {
                        Elf_Data *d = elf_rawdata(scn, NULL);
                        if (!d || !d->d_buf || d->d_size == 0 || ((const char *)d->d_buf)[0] != '/')
                                return 1;
                }
                if (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset)
                        return 1;
                p[i].src = base + sh.sh_offset;
                p[i].src_len = (size_t)sh.sh_size;
                if (!(sh.sh_flags & SHF_COMPRESSED))
                        continue;
                GElf_Chdr ch;
                if (!gelf_getchdr(scn, &ch) || ch.ch_type != ELFCOMPRESS_ZLIB ||
                    sh.sh_size < sizeof(Elf64_Chdr) || ch.ch_size > INFLATE_MAX)
                        continue; /* zstd or odd: stays compressed, libdw's business */
                if (name && (strcmp(name, ".debug_loclists") == 0 || strcmp(name, ".debug_loc") == 0)) {
                        /* variables' locations (14% of libc's debug info):
                         * no frame, line or inline scope needs them, and
                         * libdw passes over a NOBITS section */
                        p[i].shdr.sh_type = SHT_NOBITS;
                        p[i].shdr.sh_flags &= ~(uint64_t)SHF_COMPRESSED;
                        p[i].src = NULL;
                        p[i].src_len = 0;
                        continue;
                }
                p[i].inflate = true;
                p[i].src += sizeof(Elf64_Chdr);
                p[i].src_len -= sizeof(Elf64_Chdr);
                p[i].shdr.sh_flags &= ~(uint64_t)SHF_COMPRESSED;
                p[i].shdr.sh_size = ch.ch_size;
                p[i].shdr.sh_addralign = ch.ch_addralign;
                prefix = MIN(prefix, sh.sh_offset);
        }
        if (prefix == UINT64_MAX)
                return 1;
        /* what stays in place must end before the prefix does */
        if (eh->e_phnum && (eh->e_phoff > prefix || (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > prefix - eh->e_phoff))
                return 1;
        for (size_t i = 0; i < eh->e_phnum; i++) {
                const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff) + i;
                if (ph->p_filesz && (ph->p_offset > prefix || ph->p_filesz > prefix - ph->p_offset))
                        return 1;
        }
        /* the sections from prefix on, in file order (sections are mostly
         * in file order already: an insertion sort of indices) */
        _cleanup_free_ size_t *order = calloc(n, sizeof(*order));
        if (!order)
                return -ENOMEM;
        size_t m = 0;
        for (size_t i = 1; i < n; i++) {
                const Elf64_Shdr *s = &p[i].shdr;
                if (!p[i].src)
                        continue;
                if (s->sh_offset < prefix) {
                        if (p[i].src_len > prefix - s->sh_offset)
                                return 1; /* overlaps the first compressed section */
                        continue;
                }
                size_t k = m++;
                while (k > 0 && p[order[k - 1]].shdr.sh_offset > s->sh_offset) {
                        order[k] = order[k - 1];
                        k--;
                }
                order[k] = i;
        }
        uint64_t off = prefix;
        for (size_t k = 0; k < m; k++) {
                Elf64_Shdr *s = &p[order[k]].shdr;
                off = align_up(off, s->sh_addralign);
                s->sh_offset = off;
                off += s->sh_size;
                if (off > INFLATE_MAX)
                        return 1;
        }
        for (size_t i = 1; i < n; i++) /* NOBITS past the prefix: keep offsets inside the file */
                if (!p[i].src && p[i].shdr.sh_offset > prefix)
                        p[i].shdr.sh_offset = prefix;
        uint64_t shoff = align_up(off, 8);
        /* The copy's pages are allocated up front (fallocate), before a
         * stream has shown it inflates to the size its header claims: a
         * hostile file must not make that more than a few times its own
         * size (debug info inflates 3-5 times), nor a quarter of ulimit -v.
         * Beyond, libdw inflates it itself, under its own limits. */
        uint64_t room = MIN(INFLATE_MAX, (uint64_t)len * INFLATE_RATIO_MAX);
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
                room = MIN(room, (uint64_t)rl.rlim_cur / 4);
        if (shoff + n * sizeof(Elf64_Shdr) > room)
                return 1;
        *ret_prefix = prefix;
        *ret_shoff = shoff;
        *ret_size = shoff + n * sizeof(Elf64_Shdr);
        *ret_n = n;
        *ret = TAKE_PTR(p);
        return 0;
}

/* Writes the copy into out (size bytes, zeroed). -EBADMSG when a stream does
 * not inflate to the size its header says. */
static int fill(uint8_t *out, const uint8_t *base, const struct scn_plan *p, size_t n, uint64_t prefix,
                uint64_t shoff)
{
        _cleanup_(decompressor_freep) struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
        if (!d)
                return -ENOMEM;
        memcpy(out, base, (size_t)prefix);
        for (size_t i = 1; i < n; i++) {
                const Elf64_Shdr *s = &p[i].shdr;
                if (!p[i].src || s->sh_offset < prefix)
                        continue;
                if (!p[i].inflate) {
                        memcpy(out + s->sh_offset, p[i].src, p[i].src_len);
                        continue;
                }
                size_t got = 0;
                if (libdeflate_zlib_decompress(d, p[i].src, p[i].src_len, out + s->sh_offset,
                                               (size_t)s->sh_size, &got) != LIBDEFLATE_SUCCESS ||
                    got != s->sh_size)
                        return -EBADMSG;
        }
        Elf64_Ehdr *eh = (Elf64_Ehdr *)out;
        eh->e_shoff = shoff;
        for (size_t i = 0; i < n; i++)
                memcpy(out + shoff + i * sizeof(Elf64_Shdr), &p[i].shdr, sizeof(Elf64_Shdr));
        return 0;
}

int symbols_elf_inflate(int fd, int *ret_fd)
{
        *ret_fd = -1;
        if (elf_version(EV_CURRENT) == EV_NONE)
                return -ENOSYS;
        _cleanup_(elf_endp) Elf *in = elf_begin(fd, ELF_C_READ_MMAP, NULL);
        if (!in || elf_kind(in) != ELF_K_ELF)
                return -EBADMSG;
        size_t len = 0;
        const uint8_t *base = (const uint8_t *)elf_rawfile(in, &len);
        union {
                uint16_t u16;
                uint8_t b[2];
        } order = { .u16 = 1 };
        uint8_t native = order.b[0] ? ELFDATA2LSB : ELFDATA2MSB;
        if (!base || len < sizeof(Elf64_Ehdr) || base[EI_CLASS] != ELFCLASS64 || base[EI_DATA] != native)
                return 0;
        _cleanup_free_ struct scn_plan *p = NULL;
        size_t n = 0;
        uint64_t prefix = 0, shoff = 0, size = 0;
        int r = plan(in, base, len, &p, &n, &prefix, &shoff, &size);
        if (r != 0)
                return r < 0 ? r : 0;
        _cleanup_close_ int out = memfd_create("debuginfo-inflated", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (out < 0)
                return -errno;
        if (ftruncate(out, (off_t)size) < 0)
                return -errno;
        /* pages allocated and mapped in two calls, not one page fault per
         * 4 KiB written (2,100 for libc's debug file) */
        (void)fallocate(out, 0, 0, (off_t)size);
        uint8_t *map = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, out, 0);
        if (map == MAP_FAILED)
                return -errno;
        r = fill(map, base, p, n, prefix, shoff);
        munmap(map, (size_t)size);
        if (r < 0)
                return r;
        (void)fcntl(out, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
        *ret_fd = TAKE_FD(out);
        return 0;
}
