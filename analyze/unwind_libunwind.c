/* The second unwinder: libunwind with its coredump accessors (_UCD_*).
 *
 * _UCD reads a core *file*, and coreinspect never decompresses a whole core.
 * So the core libunwind sees is a sparse memfd holding only what unwinding
 * needs: the ELF header and notes, each thread's stack from just below its
 * stack pointer to the end of its segment (at most STACK_MAX), the vDSO, and
 * the data segments the core dumped for the modules (at most DATA_MAX). The
 * rest are holes that read as zeros and cost no memory.
 *
 * How libunwind 1.6.2 finds unwind info in a core: for an ip,
 * _UCD_find_proc_info takes the first program header containing it, mmaps
 * its backing file *from offset 0* as an ELF image, finds PT_GNU_EH_FRAME
 * there with the segment's p_vaddr as the load address of the PT_LOAD at
 * file offset 0, and then reads .eh_frame_hdr/.eh_frame through
 * _UCD_access_mem, which serves a backing file at (addr - p_vaddr). So a
 * backing file has to be a whole ELF image whose offsets are its load
 * addresses, and its segment has to start where the image's offset 0 is
 * mapped. A kernel core has one PT_LOAD per mapping (text at a non-zero file
 * offset, ...), so the program header table of our sparse core is our own:
 *  - the core's PT_LOADs that hold data of their own stay (anonymous memory,
 *    stacks, and the module mappings the kernel dumped whole because they
 *    were written: .data, .got, relro), first in the table, as _UCD takes
 *    the first match;
 *  - the module mappings that were not dumped whole (text, rodata, the ELF
 *    header page) are dropped, and each module gets one PT_LOAD from the
 *    address of its file offset 0 to its end, with nothing in the core and a
 *    backing file: the module's ELF file itself when the file offset of each
 *    of those mappings equals its distance from the base (GNU ld layout;
 *    costs nothing), else a memfd "image" holding the mapped bytes at their
 *    distance from the base with its program headers rewritten to say so
 *    (lld layout; costs the size of the mappings, at most IMAGE_MAX in all).
 * The notes are ours too (write_notes): one NT_PRSTATUS per parsed thread
 * and no NT_FILE, so that _UCD neither reads a malformed note nor opens the
 * crashed machine's paths on this one: backing files come from the modules
 * identified by build-id, and each is checked first (elfcheck.c), as
 * libunwind follows their headers without bounds checks. Built once per
 * analysis, on first use. Only the documented _UCD_* API is used. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libunwind-coredump.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elfcheck.h"
#include "io.h"
#include "unwind.h"
#include "util.h"

#define STACK_MAX (8u << 20)
#define STACKS_MAX (256ull << 20) /* all stacks copied */
#define BELOW_SP 4096
#define DATA_MAX (64ull << 20)   /* dumped module data copied into the sparse core */
#define IMAGE_MAX (512ull << 20) /* module images built for non-GNU-ld layouts */

struct lu_state {
        int core_fd;
        int *images; /* memfds of module images */
        size_t n_images;
        struct UCD_info *ucd;
        unw_addr_space_t as;
        int error; /* set when building failed: do not retry */
};

struct lu_build {
        struct core *c;
        size_t n_threads; /* the first n_threads are given to libunwind (--max-threads) */
        struct module_set *ms;
        int fd; /* the sparse core */
        Elf64_Ehdr eh;
        Elf64_Phdr *in; /* the core's program headers */
        size_t n_in;
        Elf64_Phdr *out; /* ours */
        size_t n_out;
        /* per module: -1 not handled, else the fd its backing path names */
        int *backing;
        uint64_t data_copied, image_bytes;
};

static int copy_core_range(struct core *c, int out, uint64_t off, uint64_t len)
{
        uint8_t *buf = malloc(1 << 20);
        if (!buf)
                return -ENOMEM;
        int r = 0;
        while (len > 0) {
                size_t n = (size_t)MIN(len, (uint64_t)(1 << 20));
                ssize_t got = input_pread_core(c->in, buf, n, off);
                if (got <= 0) {
                        r = got < 0 ? (int)got : 0;
                        break;
                }
                if (pwrite(out, buf, (size_t)got, (off_t)off) != got) {
                        r = -errno;
                        break;
                }
                off += (uint64_t)got;
                len -= (uint64_t)got;
        }
        free(buf);
        return r;
}

/* Copies len bytes of file fd at off to out at out_off. */
static int copy_file_range_to(int fd, uint64_t off, int out, uint64_t out_off, uint64_t len)
{
        uint8_t *buf = malloc(1 << 20);
        if (!buf)
                return -ENOMEM;
        int r = 0;
        while (len > 0) {
                ssize_t n = pread_full(fd, buf, (size_t)MIN(len, (uint64_t)(1 << 20)), off);
                if (n <= 0) {
                        r = n < 0 ? (int)n : 0; /* past the end of the file: a hole */
                        break;
                }
                if (pwrite(out, buf, (size_t)n, (off_t)out_off) != n) {
                        r = -errno;
                        break;
                }
                off += (uint64_t)n;
                out_off += (uint64_t)n;
                len -= (uint64_t)n;
        }
        free(buf);
        return r;
}

/* The core's header and program headers as core_load parsed them (its
 * checks hold: x86-64, 64-bit, PN_XNUM resolved). */
static int read_phdrs(struct lu_build *b)
{
        struct core *c = b->c;
        if (input_pread_core(c->in, &b->eh, sizeof(b->eh), 0) != (ssize_t)sizeof(b->eh))
                return -EBADMSG;
        size_t n = c->n_phdrs;
        b->in = calloc(n ? n : 1, sizeof(Elf64_Phdr));
        /* ours: the core's, plus one per module */
        b->out = calloc(n + b->ms->n + 1, sizeof(Elf64_Phdr));
        b->backing = malloc((b->ms->n + 1) * sizeof(int));
        if (!b->in || !b->out || !b->backing)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const struct elf_phdr *p = &c->phdrs[i];
                b->in[i] = (Elf64_Phdr){ .p_type = p->type, .p_flags = p->flags, .p_offset = p->offset,
                                         .p_vaddr = p->vaddr, .p_paddr = p->paddr, .p_filesz = p->filesz,
                                         .p_memsz = p->memsz, .p_align = p->align };
        }
        b->n_in = n;
        return 0;
}

/* The stacks and the vDSO (headers and notes are written by rewrite_phdrs). */
static int build_core(struct lu_build *b)
{
        struct core *c = b->c;
        int fd = b->fd;
        if (ftruncate(fd, (off_t)c->in->core_size) < 0)
                return -errno;
        int r;
        /* each stack segment once, from the lowest sp in it (threads may
         * share one in a hostile core), and at most STACKS_MAX in all */
        _cleanup_free_ uint64_t *from = malloc((c->n_segs ? c->n_segs : 1) * sizeof(*from));
        if (!from)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_segs; i++)
                from[i] = UINT64_MAX;
        for (size_t t = 0; t < b->n_threads; t++) {
                uint64_t sp = c->threads[t].regs[CREG_RSP];
                const struct core_segment_info *s = core_segment_at(c, sp);
                if (!s || sp - s->vaddr >= s->filesz)
                        continue;
                size_t k = (size_t)(s - c->segs);
                from[k] = MIN(from[k], sp - s->vaddr > BELOW_SP ? sp - s->vaddr - BELOW_SP : 0);
        }
        uint64_t copied = 0;
        for (size_t k = 0; k < c->n_segs; k++) {
                const struct core_segment_info *s = &c->segs[k];
                if (from[k] == UINT64_MAX)
                        continue;
                uint64_t to = MIN(s->filesz, from[k] + STACK_MAX);
                if (copied + (to - from[k]) > STACKS_MAX)
                        break;
                r = copy_core_range(c, fd, s->offset + from[k], to - from[k]);
                if (r < 0)
                        return r;
                copied += to - from[k];
        }
        /* the vDSO: small, and its own unwind info is in it */
        bool found = false;
        uint64_t vdso = core_auxv(c, AT_SYSINFO_EHDR, &found);
        const struct core_segment_info *s = found ? core_segment_at(c, vdso) : NULL;
        if (s && s->vaddr == vdso && s->filesz <= (1u << 20)) {
                r = copy_core_range(c, fd, s->offset, s->filesz);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The notes libunwind sees are ours, never the core's: its note walker
 * and its NT_FILE and NT_PRSTATUS readers trust every size in them (a
 * malformed note is an out-of-bounds read). One NT_PRSTATUS per thread the
 * analysis parsed (so that libunwind's thread i is the core's thread i),
 * rebuilt from the parsed registers; no NT_FILE: backing files are given by
 * segment. Written at off; returns its size. */
#define PRSTATUS_SIZE 336 /* struct elf_prstatus on x86-64 */
static int write_notes(struct lu_build *b, uint64_t off, size_t n_threads, uint64_t *ret_len)
{
        const size_t one = 12 + 8 + PRSTATUS_SIZE;
        size_t len = n_threads * one;
        _cleanup_free_ uint8_t *buf = calloc(1, len ? len : 1);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < n_threads; i++) {
                const struct core_thread *t = &b->c->threads[i];
                uint8_t *p = buf + i * one;
                uint32_t h[3] = { 5, PRSTATUS_SIZE, NT_PRSTATUS };
                memcpy(p, h, sizeof(h));
                memcpy(p + 12, "CORE", 5);
                uint8_t *d = p + 20;
                int16_t cursig = (int16_t)t->cursig;
                int32_t pid = t->tid;
                memcpy(d + 12, &cursig, sizeof(cursig));
                memcpy(d + 32, &pid, sizeof(pid));
                memcpy(d + 112, t->regs, sizeof(t->regs));
        }
        int r = pwrite_full(b->fd, buf, len, off);
        if (r < 0)
                return r;
        *ret_len = len;
        return 0;
}

/* The NT_FILE mapping starting at vaddr that belongs to module m. */
static const struct core_file_map *module_map_at(struct lu_build *b, const struct module *m, uint64_t vaddr)
{
        const struct core_file_map *fm = core_map_at(b->c, vaddr);
        if (!fm || fm->start != vaddr || strcmp(fm->path, m->path) != 0)
                return NULL;
        return fm;
}

static bool dumped_whole(struct lu_build *b, const struct core_file_map *fm)
{
        const struct core_segment_info *s = core_segment_at(b->c, fm->start);
        return s && s->vaddr == fm->start && s->filesz >= fm->end - fm->start && s->memsz == s->filesz;
}

/* Whether the core segment at vaddr (a mapping of module m) is replaced by
 * the module's own PT_LOAD: text, and whatever was not dumped whole. */
static bool replaced(struct lu_build *b, const struct core_file_map *fm, uint32_t flags)
{
        return (flags & PF_X) || !dumped_whole(b, fm);
}

/* A memfd holding m's mappings at their distance from its base, with the
 * program headers rewritten so that file offsets are those distances. */
static int build_image(struct lu_build *b, const struct module *m)
{
        struct core *c = b->c;
        /* m's mappings lie in [m->base, m->end): only those are looked at */
        size_t first_map = core_map_first(c, m->base);
        uint64_t bytes = 0;
        for (size_t i = first_map; i < c->n_maps && c->maps[i].start < m->end; i++)
                if (strcmp(c->maps[i].path, m->path) == 0)
                        bytes += c->maps[i].end - c->maps[i].start;
        if (b->image_bytes + bytes > IMAGE_MAX)
                return -EFBIG;
        int fd = memfd_create("coreinspect-module-image", MFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        int r = 0;
        if (ftruncate(fd, (off_t)(m->end - m->base)) < 0)
                r = -errno;
        for (size_t i = first_map; r >= 0 && i < c->n_maps && c->maps[i].start < m->end; i++) {
                const struct core_file_map *fm = &c->maps[i];
                if (strcmp(fm->path, m->path) == 0)
                        r = copy_file_range_to(m->fd, fm->file_offset, fd, fm->start - m->base,
                                               MIN(fm->end, m->end) - fm->start);
        }
        Elf64_Ehdr eh;
        if (r >= 0 && pread_full(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
                r = -EBADMSG;
        if (r >= 0 && (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
                       eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum == PN_XNUM))
                r = -EBADMSG;
        Elf64_Phdr *ph = NULL;
        size_t len = r >= 0 ? eh.e_phnum * sizeof(Elf64_Phdr) : 0;
        if (r >= 0 && !(ph = malloc(len)))
                r = -ENOMEM;
        if (r >= 0 && pread_full(fd, ph, len, eh.e_phoff) != (ssize_t)len)
                r = -EBADMSG;
        if (r >= 0) {
                uint64_t first = UINT64_MAX;
                for (size_t i = 0; i < eh.e_phnum; i++)
                        if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
                                first = ph[i].p_vaddr;
                if (first == UINT64_MAX)
                        r = -EBADMSG;
                for (size_t i = 0; r >= 0 && i < eh.e_phnum; i++)
                        if (ph[i].p_type != PT_PHDR && ph[i].p_vaddr >= first)
                                ph[i].p_offset = ph[i].p_vaddr - first;
                /* no sections: nothing in the image is where they say */
                eh.e_shoff = 0;
                eh.e_shnum = 0;
                eh.e_shstrndx = 0;
                if (r >= 0 && (pwrite(fd, ph, len, (off_t)eh.e_phoff) != (ssize_t)len ||
                               pwrite(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh)))
                        r = -errno;
        }
        free(ph);
        if (r < 0) {
                close(fd);
                return r;
        }
        b->image_bytes += bytes;
        return fd;
}

/* Decides how module k is given to libunwind: its ELF file, an image, or
 * not at all (its core segments stay as they are). */
static int module_backing(struct lu_build *b, struct lu_state *s, size_t k)
{
        struct core *c = b->c;
        const struct module *m = &b->ms->mods[k];
        if (m->fd < 0 || m->base == UINT64_MAX || !module_map_at(b, m, m->base))
                return -1;
        bool gnu_layout = true;
        /* the segments of m lie in [m->start, m->end) */
        for (size_t i = core_segment_first(c, m->start); i < c->n_segs && c->segs[i].vaddr < m->end; i++) {
                const struct core_segment_info *seg = &c->segs[i];
                const struct core_file_map *fm = module_map_at(b, m, seg->vaddr);
                if (!fm)
                        continue;
                if (fm->start < m->base)
                        return -1; /* mapped below its header: not a layout we know */
                if (replaced(b, fm, seg->flags) && fm->start - m->base != fm->file_offset)
                        gnu_layout = false;
        }
        const char *why = NULL;
        if (gnu_layout) {
                if (elf_check_image(m->fd, &why) < 0) {
                        log_warning("libunwind: %s (%s) not used: %s", m->path,
                                    m->elf.where ? m->elf.where : "?", why ? why : "unreadable");
                        return -1;
                }
                return m->fd;
        }
        int fd = build_image(b, m);
        if (fd < 0) {
                log_debug("libunwind: no image for %s: %s", m->path, strerror(-fd));
                return -1;
        }
        if (elf_check_image(fd, &why) < 0) {
                log_warning("libunwind: %s (%s) not used: %s", m->path, m->elf.where ? m->elf.where : "?",
                            why ? why : "unreadable");
                close(fd);
                return -1;
        }
        s->images[s->n_images++] = fd;
        return fd;
}

/* The module (index) whose PT_LOAD serves core segment p, -2 when p is a
 * module's dumped data that stays, -1 when p is no module's. */
static int module_of_segment(struct lu_build *b, const Elf64_Phdr *p)
{
        struct module *m = modules_at(b->ms, p->p_vaddr);
        if (!m)
                return -1;
        size_t k = (size_t)(m - b->ms->mods);
        const struct core_file_map *fm = module_map_at(b, m, p->p_vaddr);
        if (b->backing[k] < 0 || !fm)
                return -1;
        return replaced(b, fm, p->p_flags) ? (int)k : -2;
}

/* Our program header table, at the end of the sparse core. Returns the
 * index of the first module PT_LOAD (the others follow in module order). */
static int rewrite_phdrs(struct lu_build *b, struct lu_state *s)
{
        struct module_set *ms = b->ms;
        s->images = calloc(ms->n + 1, sizeof(int));
        if (!s->images)
                return -ENOMEM;
        for (size_t k = 0; k < ms->n; k++)
                b->backing[k] = module_backing(b, s, k);
        uint64_t end = (uint64_t)b->c->in->core_size;
        size_t note_index = b->n_out++; /* ours, filled in below */
        for (size_t i = 0; i < b->n_in; i++) {
                Elf64_Phdr p = b->in[i];
                if (p.p_type != PT_LOAD)
                        continue;
                int owner = module_of_segment(b, &p);
                if (owner >= 0)
                        continue; /* served by the module's PT_LOAD */
                if (owner == -2) {
                        /* a module's data the kernel dumped: keep its bytes */
                        if (b->data_copied + p.p_filesz <= DATA_MAX &&
                            copy_core_range(b->c, b->fd, p.p_offset, p.p_filesz) >= 0)
                                b->data_copied += p.p_filesz;
                        else
                                p.p_filesz = 0; /* unreadable rather than zeros */
                }
                b->out[b->n_out++] = p;
                end = MAX(end, p.p_offset + p.p_filesz);
        }
        int first_mod = (int)b->n_out;
        for (size_t k = 0; k < ms->n; k++) {
                if (b->backing[k] < 0)
                        continue;
                const struct module *m = &ms->mods[k];
                b->out[b->n_out++] = (Elf64_Phdr){
                        .p_type = PT_LOAD,
                        .p_flags = PF_R | PF_X,
                        .p_offset = 0,
                        .p_vaddr = m->base,
                        .p_filesz = 0,
                        .p_memsz = m->end - m->base,
                        .p_align = 4096,
                };
        }
        if (b->n_out >= PN_XNUM)
                return -E2BIG;
        uint64_t notes_off = (end + 7) & ~7ull, notes_len = 0;
        int r = write_notes(b, notes_off, b->n_threads, &notes_len);
        if (r < 0)
                return r;
        b->out[note_index] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = notes_off, .p_filesz = notes_len, .p_align = 4 };
        Elf64_Ehdr eh = b->eh;
        eh.e_phoff = (notes_off + notes_len + 7) & ~7ull;
        eh.e_phnum = (Elf64_Half)b->n_out;
        eh.e_shoff = 0;
        eh.e_shnum = 0;
        eh.e_shstrndx = 0;
        size_t len = b->n_out * sizeof(Elf64_Phdr);
        if (pwrite(b->fd, b->out, len, (off_t)eh.e_phoff) != (ssize_t)len ||
            pwrite(b->fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
                return -errno;
        return first_mod;
}

static void lu_free(struct lu_state *s)
{
        if (!s)
                return;
        if (s->as)
                unw_destroy_addr_space(s->as);
        if (s->ucd)
                _UCD_destroy(s->ucd);
        for (size_t i = 0; i < s->n_images; i++)
                close(s->images[i]);
        free(s->images);
        if (s->core_fd >= 0)
                close(s->core_fd);
        free(s);
}

static int lu_build(struct lu_state *s, struct unwinder *u, size_t max_threads)
{
        struct lu_build b = { .c = unwinder_core(u), .ms = unwinder_modules(u), .fd = s->core_fd };
        b.n_threads = MIN(b.c->n_threads, (size_t)LIBUNWIND_THREADS_MAX);
        if (max_threads)
                b.n_threads = MIN(b.n_threads, max_threads);
        int r = read_phdrs(&b);
        if (r >= 0)
                r = build_core(&b);
        int first_mod = r >= 0 ? rewrite_phdrs(&b, s) : r;
        if (first_mod < 0) {
                r = first_mod;
                goto out;
        }
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", s->core_fd);
        s->ucd = _UCD_create(path);
        if (!s->ucd) {
                r = -EBADMSG;
                goto out;
        }
        int seg = first_mod;
        for (size_t k = 0; k < b.ms->n; k++) {
                if (b.backing[k] < 0)
                        continue;
                snprintf(path, sizeof(path), "/proc/self/fd/%d", b.backing[k]);
                if (_UCD_add_backing_file_at_segment(s->ucd, seg, path) < 0)
                        log_debug("libunwind: backing file for %s refused", b.ms->mods[k].path);
                seg++;
        }
        log_debug("libunwind: sparse core with %zu program headers, %llu bytes of module data, %llu bytes of module images",
                  b.n_out, (unsigned long long)b.data_copied, (unsigned long long)b.image_bytes);
out:
        free(b.in);
        free(b.out);
        free(b.backing);
        return r;
}

static struct lu_state *lu_get(struct unwinder *u, size_t max_threads)
{
        void **slot = unwinder_lu_slot(u);
        struct lu_state *s = *slot;
        if (s)
                return s->error ? NULL : s;
        s = calloc(1, sizeof(*s));
        if (!s)
                return NULL;
        *slot = s;
        s->core_fd = memfd_create("coreinspect-sparse-core", MFD_CLOEXEC);
        if (s->core_fd < 0 || lu_build(s, u, max_threads) < 0) {
                s->error = 1;
                return NULL;
        }
        s->as = unw_create_addr_space(&_UCD_accessors, 0);
        if (!s->as) {
                s->error = 1;
                return NULL;
        }
        return s;
}
void unwind_libunwind_free(void *state) { lu_free(state); }

int unwind_libunwind(struct unwinder *u, size_t i, const struct unwind_options *o,
                     struct thread_report *t)
{
        t->unwinder = "libunwind";
        struct lu_state *s = lu_get(u, o->max_threads);
        if (!s) {
                free(t->error);
                t->error = strdup("libunwind could not open the core");
                return -EIO;
        }
        if ((int)i >= _UCD_get_num_threads(s->ucd)) {
                free(t->error);
                t->error = strdup("libunwind sees fewer threads than the notes");
                return -EIO;
        }
        _UCD_select_thread(s->ucd, (int)i);
        unw_cursor_t cur;
        int r = unw_init_remote(&cur, s->as, s->ucd);
        bool exact = true;
        unsigned steps = 0;
        /* libunwind also ends a trace when a frame had no unwind info and its
         * frame-pointer guess led nowhere (e.g. in a static executable
         * without .eh_frame_hdr, which libunwind 1.6.2 cannot use): that is
         * an early stop, not the outermost frame */
        bool had_info = true;
        unw_word_t last_ip = 0;
        while (r >= 0) {
                unw_word_t ip = 0;
                if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0)
                        break;
                last_ip = ip;
                size_t before = t->n_frames;
                symbolize_pc(u, ip, exact, FRAME_LIBUNWIND, t, o->max_frames);
                unw_word_t sp = 0;
                if (unw_get_reg(&cur, UNW_REG_SP, &sp) == 0)
                        for (size_t k = before; k < t->n_frames; k++)
                                t->frames[k].sp = sp;
                /* (unw_get_proc_info makes up an entry when there is none) */
                unw_proc_info_t pi;
                had_info = _UCD_find_proc_info(s->as, exact ? ip : ip - 1, &pi, 0, s->ucd) >= 0;
                exact = unw_is_signal_frame(&cur) > 0;
                if (++steps >= o->max_frames) {
                        free(t->error);
                        t->error = strdup("libunwind: frame limit reached");
                        return -EIO;
                }
                r = unw_step(&cur);
                if (r == 0)
                        break;
        }
        if (r >= 0 && !had_info) {
                free(t->error);
                if (asprintf(&t->error, "libunwind stopped after %zu frames: no unwind info at 0x%llx",
                             t->n_frames, (unsigned long long)last_ip) < 0)
                        t->error = NULL;
                return -EIO;
        }
        if (r < 0) {
                free(t->error);
                if (asprintf(&t->error, "libunwind stopped after %zu frames: %s", t->n_frames, unw_strerror(r)) < 0)
                        t->error = NULL;
                return -EIO;
        }
        return 0;
}
