#include "core.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elfparse.h"
#include "util.h"

#define NOTES_MAX (64u << 20)
#define PHNUM_MAX 1000000u

static int seg_cmp(const void *a, const void *b)
{
        const struct core_segment_info *x = a, *y = b;
        return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static uint32_t rd32(const uint8_t *p)
{
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
}

static uint64_t rd64(const uint8_t *p)
{
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
}

static int add_thread(struct core *c, const uint8_t *d, size_t n, size_t *cap)
{
        if (n < 112 + CORE_NREGS * 8)
                return -EBADMSG;
        if (c->n_threads == *cap) {
                size_t nc = *cap ? 2 * *cap : 16;
                struct core_thread *t = reallocarray(c->threads, nc, sizeof(*t));
                if (!t)
                        return -ENOMEM;
                c->threads = t;
                *cap = nc;
        }
        struct core_thread *t = &c->threads[c->n_threads++];
        memset(t, 0, sizeof(*t));
        int16_t cursig;
        memcpy(&cursig, d + 12, 2);
        t->cursig = cursig;
        t->tid = (pid_t)rd32(d + 32);
        for (int i = 0; i < CORE_NREGS; i++)
                t->regs[i] = rd64(d + 112 + 8 * i);
        return 0;
}

static void parse_siginfo(struct core *c, const uint8_t *d, size_t n)
{
        if (n < 24)
                return;
        c->si.present = true;
        c->si.signo = (int)rd32(d);
        c->si.err = (int)rd32(d + 4);
        c->si.code = (int)rd32(d + 8);
        int sig = c->si.signo;
        if (c->si.code > 0 && (sig == 11 || sig == 7 || sig == 4 || sig == 8 || sig == 5))
                c->si.addr = rd64(d + 16);
        else if (c->si.code <= 0) {
                c->si.sender_pid = (pid_t)rd32(d + 16);
                c->si.sender_uid = (uid_t)rd32(d + 20);
        }
}

static int map_cmp(const void *a, const void *b)
{
        const struct core_file_map *x = a, *y = b;
        if (x->start != y->start)
                return x->start < y->start ? -1 : 1;
        return x < y ? -1 : x > y; /* keep note order among equals (qsort is not stable) */
}

/* NT_FILE: count, page size, count × (start, end, page offset), count
 * names. Every field is checked: an entry that is empty, inverted, whose
 * offset overflows, or that overlaps an earlier one is dropped (the kernel
 * writes none of them), and the rest are sorted by address so that
 * core_map_at can search them. Returns whether the note was well formed. */
static bool parse_file_note(struct core *c, const uint8_t *d, size_t n)
{
        if (n < 16)
                return false;
        uint64_t count = rd64(d), page = rd64(d + 8);
        if (count > (n - 16) / 24 || page == 0 || page > (1u << 30) || (page & (page - 1)) != 0)
                return false;
        c->maps = calloc(count ? count : 1, sizeof(*c->maps));
        if (!c->maps)
                return false;
        const char *names = (const char *)d + 16 + count * 24;
        size_t left = n - 16 - count * 24;
        bool ok = true;
        for (uint64_t i = 0; i < count; i++) {
                const uint8_t *e = d + 16 + i * 24;
                size_t l = strnlen(names, left);
                if (l == left) {
                        ok = false;
                        break; /* names cut: keep what is complete */
                }
                uint64_t start = rd64(e), end = rd64(e + 8), pgoff = rd64(e + 16);
                if (start < end && pgoff <= UINT64_MAX / page)
                        c->maps[c->n_maps++] = (struct core_file_map){ start, end, pgoff * page, names };
                else
                        ok = false;
                names += l + 1;
                left -= l + 1;
        }
        qsort(c->maps, c->n_maps, sizeof(*c->maps), map_cmp);
        size_t kept = 0;
        for (size_t i = 0; i < c->n_maps; i++) {
                if (kept && c->maps[i].start < c->maps[kept - 1].end) {
                        ok = false;
                        continue;
                }
                c->maps[kept++] = c->maps[i];
        }
        c->n_maps = kept;
        return ok;
}

static void parse_psinfo(struct core *c, const uint8_t *d, size_t n)
{
        if (n < 136)
                return;
        c->uid = (uid_t)rd32(d + 16);
        c->pid = (pid_t)rd32(d + 24);
        memcpy(c->fname, d + 40, 16);
        c->fname[16] = '\0';
        memcpy(c->psargs, d + 56, 80);
        c->psargs[80] = '\0';
}

/* One note of the core's: threads, process, signal, mappings, auxv. */
static int core_note(struct core *c, const struct elf_note *n, size_t *cap_threads)
{
        if (!elf_note_is(n, "CORE", n->type))
                return 0;
        int r = 0;
        switch (n->type) {
        case NT_PRSTATUS: r = add_thread(c, n->desc, n->descsz, cap_threads); break;
        case NT_PRPSINFO: parse_psinfo(c, n->desc, n->descsz); break;
        case NT_SIGINFO: parse_siginfo(c, n->desc, n->descsz); break;
        case NT_FILE:
                if (!c->maps && !parse_file_note(c, n->desc, n->descsz))
                        c->maps_malformed = true;
                break;
        case NT_AUXV:
                if (!c->auxv && (c->auxv = malloc(n->descsz ? n->descsz : 1))) {
                        memcpy(c->auxv, n->desc, n->descsz);
                        c->n_auxv = n->descsz / 16;
                }
                break;
        default: break;
        }
        return r;
}

static int parse_notes(struct core *c)
{
        struct elf_notes it;
        struct elf_note n;
        size_t cap_threads = 0;
        int r;
        elf_notes_init(&it, c->notes, c->notes_len, 4);
        while ((r = elf_notes_next(&it, &n)) > 0) {
                r = core_note(c, &n, &cap_threads);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        c->notes_truncated = true;
        }
        if (r < 0)
                c->notes_truncated = true;
        return 0;
}

static ssize_t core_pread(void *ctx, void *buf, size_t len, uint64_t off)
{
        return input_pread_core(ctx, buf, len, off);
}

/* The first PT_NOTE segment's bytes (at most NOTES_MAX). */
static int read_notes(struct core *c, const struct elf_phdr *p)
{
        uint64_t sz = MIN(p->filesz, (uint64_t)NOTES_MAX);
        c->notes = malloc(sz ? sz : 1);
        if (!c->notes)
                return -ENOMEM;
        ssize_t n = input_pread_core(c->in, c->notes, sz, p->offset);
        if (n < 0)
                return (int)n;
        c->notes_len = (size_t)n;
        if ((uint64_t)n < p->filesz)
                c->notes_truncated = true;
        return 0;
}

/* The header's checks, each with its reason. */
static int core_header(struct input *in, struct elf_ehdr *ret, const char **why)
{
        uint8_t buf[sizeof(Elf64_Ehdr)];
        ssize_t n = input_pread_core(in, buf, sizeof(buf), 0);
        if (n < 0)
                return (int)n;
        Elf64_Ehdr eh;
        memcpy(&eh, buf, sizeof(eh));
        if ((size_t)n < sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_type != ET_CORE) {
                *why = "not an ELF core";
                return -EBADMSG;
        }
        struct elf_ehdr h;
        if (elf_ehdr_parse(buf, (size_t)n, &h) < 0 || !h.is64 || h.machine != EM_X86_64) {
                static _Thread_local char reason[96];
                snprintf(reason, sizeof(reason), "core is for machine %u (%s-bit); coreinspect reads x86-64 cores",
                         eh.e_machine, eh.e_ident[EI_CLASS] == ELFCLASS64 ? "64" : "32");
                *why = reason;
                return -EBADMSG;
        }
        if (!elf_phentsize_ok(&h) || h.phnum == 0) {
                *why = "core has no usable program headers";
                return -EBADMSG;
        }
        if (h.xnum) {
                Elf64_Shdr sh0;
                if (!h.shoff || input_pread_core(in, &sh0, sizeof(sh0), h.shoff) != (ssize_t)sizeof(sh0)) {
                        *why = "core has 65535+ segments and its section header is missing";
                        return -EBADMSG;
                }
                elf_ehdr_xnum(&h, &sh0, sizeof(sh0));
        }
        if (h.phnum > PHNUM_MAX) {
                *why = "core claims too many program headers";
                return -EBADMSG;
        }
        *ret = h;
        return 0;
}

int core_load(struct input *in, struct core **ret, const char **why)
{
        struct elf_ehdr h;
        int r = core_header(in, &h, why);
        if (r < 0)
                return r;
        struct core *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->in = in;
        c->machine = h.machine;
        c->segs = calloc(h.phnum, sizeof(*c->segs));
        struct elf_reader rd = { core_pread, in };
        r = c->segs ? elf_phdrs_read(&rd, &h, h.phnum, &c->phdrs) : -ENOMEM;
        if (r < 0) {
                core_free(c);
                if (r == -EBADMSG)
                        *why = "core's program headers are cut off";
                return r;
        }
        c->n_phdrs = (size_t)h.phnum;
        for (size_t i = 0; i < c->n_phdrs; i++) {
                const struct elf_phdr *p = &c->phdrs[i];
                if (p->type == PT_LOAD) {
                        c->segs[c->n_segs++] = (struct core_segment_info){ p->vaddr, p->memsz, p->filesz,
                                                                          p->offset, p->flags };
                } else if (p->type == PT_NOTE && !c->notes) {
                        r = read_notes(c, p);
                        if (r < 0) {
                                core_free(c);
                                return r;
                        }
                }
        }
        qsort(c->segs, c->n_segs, sizeof(*c->segs), seg_cmp);
        r = parse_notes(c);
        if (r < 0) {
                core_free(c);
                return r;
        }
        if (c->n_threads == 0) {
                *why = "core has no thread (NT_PRSTATUS) notes";
                core_free(c);
                return -EBADMSG;
        }
        *ret = c;
        return 0;
}

void core_free(struct core *c)
{
        if (!c)
                return;
        free(c->segs);
        free(c->threads);
        free(c->maps);
        free(c->auxv);
        free(c->notes);
        free(c->phdrs);
        free(c);
}

const struct core_segment_info *core_segment_at(const struct core *c, uint64_t addr)
{
        /* sorted, not overlapping: the last segment starting at or below addr */
        size_t i = SORTED_COUNT(c->segs, c->n_segs, vaddr, addr, true);
        if (i == 0 || addr - c->segs[i - 1].vaddr >= c->segs[i - 1].memsz)
                return NULL;
        return &c->segs[i - 1];
}

const struct core_file_map *core_map_at(const struct core *c, uint64_t addr)
{
        /* sorted, not overlapping (parse_file_note) */
        size_t i = SORTED_COUNT(c->maps, c->n_maps, start, addr, true);
        if (i == 0 || addr >= c->maps[i - 1].end)
                return NULL;
        return &c->maps[i - 1];
}

size_t core_map_first(const struct core *c, uint64_t addr)
{
        return SORTED_COUNT(c->maps, c->n_maps, start, addr, false);
}

size_t core_segment_first(const struct core *c, uint64_t addr)
{
        return SORTED_COUNT(c->segs, c->n_segs, vaddr, addr, false);
}

ssize_t core_read_mem(struct core *c, uint64_t addr, void *buf, size_t len)
{
        size_t done = 0;
        uint8_t *out = buf;
        while (done < len) {
                const struct core_segment_info *s = core_segment_at(c, addr + done);
                if (!s)
                        break;
                uint64_t in_seg = addr + done - s->vaddr;
                if (in_seg >= s->filesz)
                        break; /* not dumped (file-backed beyond its first page) */
                size_t take = (size_t)MIN((uint64_t)(len - done), s->filesz - in_seg);
                ssize_t n = input_pread_core(c->in, out + done, take, s->offset + in_seg);
                if (n < 0)
                        return done ? (ssize_t)done : n;
                if (n == 0)
                        break;
                done += (size_t)n;
                if ((size_t)n < take)
                        break;
        }
        return (ssize_t)done;
}

uint64_t core_auxv(const struct core *c, uint64_t type, bool *found)
{
        for (size_t i = 0; i < c->n_auxv; i++)
                if (c->auxv[2 * i] == type) {
                        if (found)
                                *found = true;
                        return c->auxv[2 * i + 1];
                }
        if (found)
                *found = false;
        return 0;
}
