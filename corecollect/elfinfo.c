#include "elfinfo.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "util.h"

#define NOTE_READ_MAX (64u << 10)
#define PHDR_MAX 4096 /* program headers looked at for notes */

static bool elf_ident_ok(const uint8_t *id, bool *is64)
{
        if (memcmp(id, ELFMAG, SELFMAG) != 0)
                return false;
        if (id[EI_DATA] != ELFDATA2LSB) /* we only run on little-endian hosts */
                return false;
        if (id[EI_CLASS] == ELFCLASS64)
                *is64 = true;
        else if (id[EI_CLASS] == ELFCLASS32)
                *is64 = false;
        else
                return false;
        return true;
}

/* Walks notes in buf, whose entries are padded to align (4, or 8 in PT_NOTE
 * segments with p_align 8, as GNU property notes are); calls fn for each.
 * Stops when fn returns nonzero. Returns -EBADMSG at a note that does not
 * fit in buf, after calling fn for the notes before it. */
static int walk_notes_aligned(const uint8_t *buf, size_t len, size_t align,
                              int (*fn)(uint32_t type, const char *name, size_t namesz,
                                        const uint8_t *desc, size_t descsz, void *ud),
                              void *ud)
{
        size_t off = 0;
        while (len - off >= 12) {
                uint32_t namesz, descsz, type;
                memcpy(&namesz, buf + off, 4);
                memcpy(&descsz, buf + off + 4, 4);
                memcpy(&type, buf + off + 8, 4);
                size_t name_off = off + 12;
                size_t nalign = ((size_t)namesz + 3) & ~(size_t)3;
                if (nalign > len - name_off)
                        return -EBADMSG;
                size_t desc_off = (name_off + nalign + align - 1) & ~(align - 1);
                if (desc_off > len || descsz > len - desc_off)
                        return -EBADMSG;
                int r = fn(type, (const char *)buf + name_off, namesz, buf + desc_off, descsz, ud);
                if (r)
                        return r;
                size_t next = (desc_off + (size_t)descsz + align - 1) & ~(align - 1);
                if (next <= off || next > len)
                        break;
                off = next;
        }
        return 0;
}

static int walk_notes(const uint8_t *buf, size_t len,
                      int (*fn)(uint32_t type, const char *name, size_t namesz,
                                const uint8_t *desc, size_t descsz, void *ud),
                      void *ud)
{
        return walk_notes_aligned(buf, len, 4, fn, ud);
}

struct build_id_ctx {
        char *hex;
};

static int build_id_note(uint32_t type, const char *name, size_t namesz, const uint8_t *desc,
                         size_t descsz, void *ud)
{
        struct build_id_ctx *c = ud;
        if (type != NT_GNU_BUILD_ID || namesz != 4 || memcmp(name, "GNU", 4) != 0)
                return 0;
        if (descsz == 0 || descsz > BUILD_ID_MAX)
                return 0;
        static const char digits[] = "0123456789abcdef";
        for (size_t i = 0; i < descsz; i++) {
                c->hex[2 * i] = digits[desc[i] >> 4];
                c->hex[2 * i + 1] = digits[desc[i] & 15];
        }
        c->hex[2 * descsz] = '\0';
        return 1;
}

/* The number of program headers: e_phnum, or with PN_XNUM the sh_info of
 * section header 0 (more than 0xfffe segments). */
static int real_phnum(int fd, bool is64, uint64_t phnum, uint64_t shoff, uint64_t *ret)
{
        if (phnum != PN_XNUM) {
                *ret = phnum;
                return 0;
        }
        if (shoff == 0)
                return -EBADMSG;
        uint64_t info;
        if (is64) {
                Elf64_Shdr sh;
                if (pread_full(fd, &sh, sizeof(sh), shoff) != (ssize_t)sizeof(sh))
                        return -EBADMSG;
                info = sh.sh_info;
        } else {
                Elf32_Shdr sh;
                if (pread_full(fd, &sh, sizeof(sh), shoff) != (ssize_t)sizeof(sh))
                        return -EBADMSG;
                info = sh.sh_info;
        }
        *ret = info;
        return 0;
}

int elf_build_id(int fd, char hex[2 * BUILD_ID_MAX + 1])
{
        Elf64_Ehdr eh;
        ssize_t n = pread_full(fd, &eh, sizeof(eh), 0);
        if (n < 0)
                return (int)n;
        bool is64;
        if ((size_t)n < EI_NIDENT || !elf_ident_ok(eh.e_ident, &is64))
                return -EBADMSG;
        uint64_t phoff, phnum, shoff;
        size_t phentsize;
        if (is64) {
                if ((size_t)n < sizeof(Elf64_Ehdr) || eh.e_phentsize != sizeof(Elf64_Phdr))
                        return -EBADMSG;
                phoff = eh.e_phoff, phnum = eh.e_phnum, shoff = eh.e_shoff;
                phentsize = sizeof(Elf64_Phdr);
        } else {
                Elf32_Ehdr e32;
                if ((size_t)n < sizeof(e32))
                        return -EBADMSG;
                memcpy(&e32, &eh, sizeof(e32));
                if (e32.e_phentsize != sizeof(Elf32_Phdr))
                        return -EBADMSG;
                phoff = e32.e_phoff, phnum = e32.e_phnum, shoff = e32.e_shoff;
                phentsize = sizeof(Elf32_Phdr);
        }
        int r = real_phnum(fd, is64, phnum, shoff, &phnum);
        if (r < 0)
                return r;
        if (phnum == 0)
                return -ENOENT;
        /* build-ids sit in the first few segments: read at most PHDR_MAX */
        phnum = MIN(phnum, (uint64_t)PHDR_MAX);
        size_t ph_len = (size_t)phnum * phentsize;
        _cleanup_free_ uint8_t *ph = malloc(ph_len);
        if (!ph)
                return -ENOMEM;
        n = pread_full(fd, ph, ph_len, phoff);
        if (n < 0 || (size_t)n != ph_len)
                return -EBADMSG;
        /* every PT_NOTE: executables often have two or more (GNU property
         * notes, 8-aligned, before the build-id's, 4-aligned) */
        for (uint64_t i = 0; i < phnum; i++) {
                uint32_t type;
                uint64_t off, sz, align;
                if (is64) {
                        Elf64_Phdr p;
                        memcpy(&p, ph + i * phentsize, sizeof(p));
                        type = p.p_type, off = p.p_offset, sz = p.p_filesz, align = p.p_align;
                } else {
                        Elf32_Phdr p;
                        memcpy(&p, ph + i * phentsize, sizeof(p));
                        type = p.p_type, off = p.p_offset, sz = p.p_filesz, align = p.p_align;
                }
                if (type != PT_NOTE || sz == 0)
                        continue;
                sz = MIN(sz, (uint64_t)NOTE_READ_MAX);
                _cleanup_free_ uint8_t *notes = malloc((size_t)sz);
                if (!notes)
                        return -ENOMEM;
                n = pread_full(fd, notes, (size_t)sz, off);
                if (n <= 0)
                        continue;
                struct build_id_ctx ctx = { hex };
                if (walk_notes_aligned(notes, (size_t)n, align == 8 ? 8 : 4, build_id_note, &ctx) == 1)
                        return 0;
        }
        return -ENOENT;
}

int core_head_need(const uint8_t *buf, size_t len, uint64_t *ret_need)
{
        if (len < EI_NIDENT)
                return -EAGAIN;
        bool is64;
        if (!elf_ident_ok(buf, &is64))
                return -EBADMSG;
        size_t ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
        if (len < ehsize)
                return -EAGAIN;
        uint64_t phoff, phnum, phentsize;
        if (is64) {
                const Elf64_Ehdr *e = (const void *)buf;
                if (e->e_type != ET_CORE || e->e_phentsize != sizeof(Elf64_Phdr))
                        return -EBADMSG;
                phoff = e->e_phoff, phnum = e->e_phnum, phentsize = e->e_phentsize;
        } else {
                const Elf32_Ehdr *e = (const void *)buf;
                if (e->e_type != ET_CORE || e->e_phentsize != sizeof(Elf32_Phdr))
                        return -EBADMSG;
                phoff = e->e_phoff, phnum = e->e_phnum, phentsize = e->e_phentsize;
        }
        if (phoff < ehsize || phoff > (1u << 20))
                return -EBADMSG;
        uint64_t need = phoff + phnum * phentsize;
        if (len < need) {
                *ret_need = need;
                return 0;
        }
        /* The notes follow the program headers; include them. */
        for (uint64_t i = 0; i < phnum; i++) {
                uint32_t type;
                uint64_t off, sz;
                if (is64) {
                        Elf64_Phdr p;
                        memcpy(&p, buf + phoff + i * phentsize, sizeof(p));
                        type = p.p_type, off = p.p_offset, sz = p.p_filesz;
                } else {
                        Elf32_Phdr p;
                        memcpy(&p, buf + phoff + i * phentsize, sizeof(p));
                        type = p.p_type, off = p.p_offset, sz = p.p_filesz;
                }
                if (type == PT_NOTE && off + sz > need && off + sz <= (64u << 20))
                        need = off + sz;
        }
        *ret_need = need;
        return 0;
}

struct note_ctx {
        struct core_head *h;
        size_t cap;
};

static int core_note(uint32_t type, const char *name, size_t namesz, const uint8_t *desc,
                     size_t descsz, void *ud)
{
        struct note_ctx *c = ud;
        struct core_head *h = c->h;
        if (type != NT_PRSTATUS || namesz != 5 || memcmp(name, "CORE", 5) != 0)
                return 0;
        /* x86-64 struct elf_prstatus: pr_reg at 112, rsp is register 19 */
        if (h->machine != EM_X86_64 || descsz < 112 + 27 * 8)
                return 0;
        if (h->n_threads == c->cap) {
                size_t cap = c->cap ? c->cap * 2 : 16;
                uint64_t *s = realloc(h->thread_sp, cap * sizeof(*s));
                if (!s)
                        return -ENOMEM;
                h->thread_sp = s;
                c->cap = cap;
        }
        memcpy(&h->thread_sp[h->n_threads++], desc + 112 + 19 * 8, 8);
        return 0;
}

static int seg_cmp(const void *a, const void *b)
{
        const struct core_segment *x = a, *y = b;
        return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int core_head_parse(const uint8_t *buf, size_t len, struct core_head *ret)
{
        uint64_t need;
        int r = core_head_need(buf, len, &need);
        if (r < 0)
                return r;
        if (len < need)
                return -EAGAIN;
        struct core_head h = { 0 };
        h.is64 = buf[EI_CLASS] == ELFCLASS64;
        uint64_t phoff, phnum, phentsize, shoff, shnum, shentsize;
        if (h.is64) {
                const Elf64_Ehdr *e = (const void *)buf;
                h.machine = e->e_machine;
                phoff = e->e_phoff, phnum = e->e_phnum, phentsize = e->e_phentsize;
                shoff = e->e_shoff, shnum = e->e_shnum, shentsize = e->e_shentsize;
                h.total_size = sizeof(Elf64_Ehdr);
        } else {
                const Elf32_Ehdr *e = (const void *)buf;
                h.machine = e->e_machine;
                phoff = e->e_phoff, phnum = e->e_phnum, phentsize = e->e_phentsize;
                shoff = e->e_shoff, shnum = e->e_shnum, shentsize = e->e_shentsize;
                h.total_size = sizeof(Elf32_Ehdr);
        }
        h.size_known = phnum != PN_XNUM;
        h.head_size = need;
        h.total_size = MAX(h.total_size, phoff + phnum * phentsize);
        if (shoff && shnum)
                h.total_size = MAX(h.total_size, shoff + shnum * shentsize);
        h.segs = calloc(phnum ? phnum : 1, sizeof(*h.segs));
        if (!h.segs)
                return -ENOMEM;
        for (uint64_t i = 0; i < phnum; i++) {
                uint32_t type, flags;
                uint64_t off, sz, vaddr;
                if (h.is64) {
                        Elf64_Phdr p;
                        memcpy(&p, buf + phoff + i * phentsize, sizeof(p));
                        type = p.p_type, off = p.p_offset, sz = p.p_filesz, vaddr = p.p_vaddr;
                        flags = p.p_flags;
                } else {
                        Elf32_Phdr p;
                        memcpy(&p, buf + phoff + i * phentsize, sizeof(p));
                        type = p.p_type, off = p.p_offset, sz = p.p_filesz, vaddr = p.p_vaddr;
                        flags = p.p_flags;
                }
                if (sz > UINT64_MAX - off) {
                        core_head_free(&h);
                        return -EBADMSG;
                }
                h.total_size = MAX(h.total_size, off + sz);
                if (type == PT_NOTE && h.note_size == 0) {
                        h.note_offset = off;
                        h.note_size = sz;
                } else if (type == PT_LOAD && sz > 0) {
                        h.segs[h.n_segs++] = (struct core_segment){ off, sz, vaddr, flags, false };
                }
        }
        qsort(h.segs, h.n_segs, sizeof(*h.segs), seg_cmp);
        if (h.note_size && h.note_offset + h.note_size <= len) {
                struct note_ctx ctx = { &h, 0 };
                r = walk_notes(buf + h.note_offset, (size_t)h.note_size, core_note, &ctx);
                if (r < 0 && r != -EBADMSG) {
                        core_head_free(&h);
                        return r;
                }
        }
        for (size_t t = 0; t < h.n_threads; t++)
                for (size_t s = 0; s < h.n_segs; s++) {
                        struct core_segment *g = &h.segs[s];
                        /* the red zone and the frame being built lie just below sp */
                        if (h.thread_sp[t] >= g->vaddr && h.thread_sp[t] - g->vaddr < g->filesz + 4096)
                                g->is_stack = true;
                }
        *ret = h;
        return 0;
}

void core_head_free(struct core_head *h)
{
        free(h->segs);
        free(h->thread_sp);
        memset(h, 0, sizeof(*h));
}
