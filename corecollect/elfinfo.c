#include "elfinfo.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int core_head_need(const uint8_t *buf, size_t len, uint64_t *ret_need)
{
        struct elf_ehdr h;
        int r = elf_ehdr_parse(buf, len, &h);
        if (r < 0)
                return r;
        /* e_phnum as it is: with PN_XNUM the count lies past the stream's head */
        if (h.type != ET_CORE || !elf_phentsize_ok(&h))
                return -EBADMSG;
        if (h.phoff < h.ehsize || h.phoff > (1u << 20))
                return -EBADMSG;
        uint64_t need = h.phoff + h.phnum * h.phentsize;
        if (len < need) {
                *ret_need = need;
                return 0;
        }
        /* The notes follow the program headers; include them. */
        for (uint64_t i = 0; i < h.phnum; i++) {
                struct elf_phdr p;
                elf_phdr_at(&h, buf + h.phoff, i, &p);
                if (p.type == PT_NOTE && p.offset + p.filesz > need && p.offset + p.filesz <= (64u << 20))
                        need = p.offset + p.filesz;
        }
        *ret_need = need;
        return 0;
}

/* An NT_PRSTATUS note: the thread's stack pointer. */
static int core_note(struct core_head *h, const struct elf_note *n, size_t *cap)
{
        if (!elf_note_is(n, "CORE", NT_PRSTATUS))
                return 0;
        /* x86-64 struct elf_prstatus: pr_reg at 112, rsp is register 19 */
        if (h->machine != EM_X86_64 || n->descsz < 112 + 27 * 8)
                return 0;
        if (h->n_threads == *cap) {
                size_t nc = *cap ? *cap * 2 : 16;
                uint64_t *s = realloc(h->thread_sp, nc * sizeof(*s));
                if (!s)
                        return -ENOMEM;
                h->thread_sp = s;
                *cap = nc;
        }
        memcpy(&h->thread_sp[h->n_threads++], n->desc + 112 + 19 * 8, 8);
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
        struct elf_ehdr e;
        (void)elf_ehdr_parse(buf, len, &e); /* checked by core_head_need */
        struct core_head h = { 0 };
        h.is64 = e.is64;
        h.machine = e.machine;
        h.size_known = !e.xnum;
        h.head_size = need;
        h.total_size = MAX((uint64_t)e.ehsize, e.phoff + e.phnum * e.phentsize);
        if (e.shoff && e.shnum)
                h.total_size = MAX(h.total_size, e.shoff + (uint64_t)e.shnum * e.shentsize);
        h.segs = calloc(e.phnum ? e.phnum : 1, sizeof(*h.segs));
        if (!h.segs)
                return -ENOMEM;
        for (uint64_t i = 0; i < e.phnum; i++) {
                struct elf_phdr p;
                elf_phdr_at(&e, buf + e.phoff, i, &p);
                if (p.filesz > UINT64_MAX - p.offset) {
                        core_head_free(&h);
                        return -EBADMSG;
                }
                h.total_size = MAX(h.total_size, p.offset + p.filesz);
                if (p.type == PT_NOTE && h.note_size == 0) {
                        h.note_offset = p.offset;
                        h.note_size = p.filesz;
                } else if (p.type == PT_LOAD && p.filesz > 0) {
                        h.segs[h.n_segs++] = (struct core_segment){ p.offset, p.filesz, p.vaddr, p.flags, false };
                }
        }
        qsort(h.segs, h.n_segs, sizeof(*h.segs), seg_cmp);
        if (h.note_size && h.note_offset + h.note_size <= len) {
                struct elf_notes it;
                struct elf_note n;
                size_t cap = 0;
                elf_notes_init(&it, buf + h.note_offset, (size_t)h.note_size, 4);
                while (elf_notes_next(&it, &n) > 0)
                        if (core_note(&h, &n, &cap) < 0) {
                                core_head_free(&h);
                                return -ENOMEM;
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
