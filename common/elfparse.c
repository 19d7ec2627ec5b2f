#include "elfparse.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "util.h"

#define PHDR_MAX 4096          /* program headers looked at for a build-id */
#define NOTE_READ_MAX (64u << 10)

int elf_ehdr_parse(const void *buf, size_t len, struct elf_ehdr *ret)
{
        const uint8_t *id = buf;
        if (len < EI_NIDENT)
                return -EAGAIN;
        if (memcmp(id, ELFMAG, SELFMAG) != 0 || id[EI_DATA] != ELFDATA2LSB) /* little-endian hosts only */
                return -EBADMSG;
        struct elf_ehdr h = { 0 };
        if (id[EI_CLASS] == ELFCLASS64) {
                Elf64_Ehdr e;
                if (len < sizeof(e))
                        return -EAGAIN;
                memcpy(&e, buf, sizeof(e));
                h = (struct elf_ehdr){ true, e.e_type, e.e_machine, e.e_phoff, e.e_shoff, e.e_phnum,
                                       e.e_phnum == PN_XNUM, e.e_phentsize, e.e_shentsize, e.e_shnum, sizeof(e) };
        } else if (id[EI_CLASS] == ELFCLASS32) {
                Elf32_Ehdr e;
                if (len < sizeof(e))
                        return -EAGAIN;
                memcpy(&e, buf, sizeof(e));
                h = (struct elf_ehdr){ false, e.e_type, e.e_machine, e.e_phoff, e.e_shoff, e.e_phnum,
                                       e.e_phnum == PN_XNUM, e.e_phentsize, e.e_shentsize, e.e_shnum, sizeof(e) };
        } else {
                return -EBADMSG;
        }
        *ret = h;
        return 0;
}

bool elf_phentsize_ok(const struct elf_ehdr *h)
{
        return h->phentsize == (h->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
}

int elf_ehdr_xnum(struct elf_ehdr *h, const void *sh0, size_t len)
{
        if (h->is64) {
                Elf64_Shdr sh;
                if (len < sizeof(sh))
                        return -EBADMSG;
                memcpy(&sh, sh0, sizeof(sh));
                h->phnum = sh.sh_info;
        } else {
                Elf32_Shdr sh;
                if (len < sizeof(sh))
                        return -EBADMSG;
                memcpy(&sh, sh0, sizeof(sh));
                h->phnum = sh.sh_info;
        }
        return 0;
}

int elf_ehdr_read(const struct elf_reader *rd, struct elf_ehdr *ret)
{
        uint8_t buf[sizeof(Elf64_Ehdr)];
        ssize_t n = rd->pread(rd->ctx, buf, sizeof(buf), 0);
        if (n < 0)
                return (int)n;
        struct elf_ehdr h;
        if (elf_ehdr_parse(buf, (size_t)n, &h) < 0)
                return -EBADMSG;
        if (h.xnum) {
                /* more than 0xfffe segments: the count is in section 0 */
                uint8_t sh[sizeof(Elf64_Shdr)];
                size_t want = h.is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
                if (h.shoff == 0 || rd->pread(rd->ctx, sh, want, h.shoff) != (ssize_t)want)
                        return -EBADMSG;
                elf_ehdr_xnum(&h, sh, want);
        }
        *ret = h;
        return 0;
}

void elf_phdr_at(const struct elf_ehdr *h, const void *table, uint64_t i, struct elf_phdr *ret)
{
        const uint8_t *p = (const uint8_t *)table + i * h->phentsize;
        if (h->is64) {
                Elf64_Phdr e;
                memcpy(&e, p, sizeof(e));
                *ret = (struct elf_phdr){ e.p_type, e.p_flags, e.p_offset, e.p_vaddr, e.p_paddr,
                                          e.p_filesz, e.p_memsz, e.p_align };
        } else {
                Elf32_Phdr e;
                memcpy(&e, p, sizeof(e));
                *ret = (struct elf_phdr){ e.p_type, e.p_flags, e.p_offset, e.p_vaddr, e.p_paddr,
                                          e.p_filesz, e.p_memsz, e.p_align };
        }
}

int elf_phdrs_read(const struct elf_reader *rd, const struct elf_ehdr *h, uint64_t n,
                   struct elf_phdr **ret)
{
        if (!elf_phentsize_ok(h) || n > SIZE_MAX / sizeof(Elf64_Phdr))
                return -EBADMSG;
        size_t len = (size_t)n * h->phentsize;
        _cleanup_free_ uint8_t *table = malloc(len ? len : 1);
        struct elf_phdr *ph = calloc(n ? n : 1, sizeof(*ph));
        if (!table || !ph) {
                free(ph);
                return -ENOMEM;
        }
        ssize_t got = rd->pread(rd->ctx, table, len, h->phoff);
        if (got < 0 || (size_t)got != len) {
                free(ph);
                return got < 0 ? (int)got : -EBADMSG;
        }
        for (uint64_t i = 0; i < n; i++)
                elf_phdr_at(h, table, i, &ph[i]);
        *ret = ph;
        return 0;
}

void elf_notes_init(struct elf_notes *it, const void *buf, size_t len, size_t align)
{
        *it = (struct elf_notes){ buf, len, 0, align == 8 ? 8 : 4 };
}

int elf_notes_next(struct elf_notes *it, struct elf_note *ret)
{
        size_t len = it->len, off = it->off, align = it->align;
        if (off > len || len - off < 12)
                return 0;
        uint32_t hdr[3]; /* namesz, descsz, type */
        memcpy(hdr, it->buf + off, sizeof(hdr));
        size_t name_off = off + 12;
        size_t nalign = ((size_t)hdr[0] + 3) & ~(size_t)3;
        size_t desc_off = name_off + nalign;
        if (nalign > len - name_off || (desc_off = (desc_off + align - 1) & ~(align - 1)) > len ||
            hdr[1] > len - desc_off) {
                it->off = len; /* nothing after a note that does not fit */
                return -EBADMSG;
        }
        *ret = (struct elf_note){ hdr[2], (const char *)it->buf + name_off, hdr[0], it->buf + desc_off, hdr[1] };
        size_t next = (desc_off + (size_t)hdr[1] + align - 1) & ~(align - 1);
        it->off = next > len ? len : next; /* the last note's padding may be cut */
        return 1;
}

bool elf_note_is(const struct elf_note *n, const char *name, uint32_t type)
{
        size_t l = strlen(name) + 1;
        return n->type == type && n->namesz == l && memcmp(n->name, name, l) == 0;
}

void hex_encode(const void *p, size_t n, char *out)
{
        static const char digits[] = "0123456789abcdef";
        const uint8_t *b = p;
        for (size_t i = 0; i < n; i++) {
                out[2 * i] = digits[b[i] >> 4];
                out[2 * i + 1] = digits[b[i] & 15];
        }
        out[2 * n] = '\0';
}

bool elf_note_build_id(const struct elf_note *n, char hex[2 * BUILD_ID_MAX + 1])
{
        if (!elf_note_is(n, "GNU", NT_GNU_BUILD_ID) || n->descsz == 0 || n->descsz > BUILD_ID_MAX)
                return false;
        hex_encode(n->desc, n->descsz, hex);
        return true;
}

/* The build-id in one PT_NOTE segment read at off: 0, -ENOENT, -ENOMEM. */
static int segment_build_id(const struct elf_reader *rd, const struct elf_phdr *p, uint64_t off,
                            char hex[2 * BUILD_ID_MAX + 1])
{
        size_t sz = (size_t)MIN(p->filesz, (uint64_t)NOTE_READ_MAX);
        _cleanup_free_ uint8_t *notes = malloc(sz);
        if (!notes)
                return -ENOMEM;
        ssize_t n = rd->pread(rd->ctx, notes, sz, off);
        if (n <= 0)
                return -ENOENT;
        struct elf_notes it;
        struct elf_note note;
        elf_notes_init(&it, notes, (size_t)n, p->align);
        while (elf_notes_next(&it, &note) > 0)
                if (elf_note_build_id(&note, hex))
                        return 0;
        return -ENOENT;
}

int elf_build_id_read(const struct elf_reader *rd, bool loaded, char hex[2 * BUILD_ID_MAX + 1])
{
        struct elf_ehdr h;
        int r = elf_ehdr_read(rd, &h);
        if (r < 0)
                return r;
        /* section headers are not mapped: a loaded image cannot say PN_XNUM */
        if (!elf_phentsize_ok(&h) || (loaded && h.xnum))
                return -EBADMSG;
        if (h.phnum == 0)
                return -ENOENT;
        /* build-ids sit in the first few segments */
        _cleanup_free_ struct elf_phdr *ph = NULL;
        uint64_t n = MIN(h.phnum, (uint64_t)PHDR_MAX);
        r = elf_phdrs_read(rd, &h, n, &ph);
        if (r < 0)
                return r == -ENOMEM ? r : -EBADMSG;
        uint64_t first = 0; /* a loaded image's address of offset 0 */
        if (loaded) {
                first = UINT64_MAX;
                for (uint64_t i = 0; i < n && first == UINT64_MAX; i++)
                        if (ph[i].type == PT_LOAD)
                                first = ph[i].vaddr & ~(uint64_t)0xfff;
                if (first == UINT64_MAX)
                        return -ENOENT;
        }
        /* every PT_NOTE: executables often have two or more (GNU property
         * notes, 8-aligned, before the build-id's, 4-aligned) */
        for (uint64_t i = 0; i < n; i++) {
                if (ph[i].type != PT_NOTE || ph[i].filesz == 0)
                        continue;
                r = segment_build_id(rd, &ph[i], loaded ? ph[i].vaddr - first : ph[i].offset, hex);
                if (r != -ENOENT)
                        return r;
        }
        return -ENOENT;
}

static ssize_t fd_pread(void *ctx, void *buf, size_t len, uint64_t off)
{
        return pread_full(*(int *)ctx, buf, len, off);
}

int elf_build_id(int fd, char hex[2 * BUILD_ID_MAX + 1])
{
        struct elf_reader rd = { fd_pread, &fd };
        return elf_build_id_read(&rd, false, hex);
}
