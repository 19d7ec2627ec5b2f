/* The second unwinder: libunwind with its coredump accessors (_UCD_*).
 *
 * _UCD reads a core *file*, and coreinspect never decompresses a whole core.
 * So the core libunwind sees is a sparse memfd holding only what unwinding
 * needs: the ELF header, program headers and notes, and each thread's stack
 * from just below its stack pointer to the end of its segment (at most
 * STACK_MAX). The rest are holes that read as zeros and cost no memory.
 * File-backed segments get "backing files": _UCD reads a backing file from
 * offset 0 at the segment's start, so each is a memfd holding exactly the
 * slice of the module that was mapped there. Built once per analysis, on
 * first use. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libunwind-coredump.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io.h"
#include "unwind.h"
#include "util.h"

#define STACK_MAX (8u << 20)
#define BELOW_SP 4096

struct lu_state {
        int core_fd;
        int *slices;
        size_t n_slices;
        struct UCD_info *ucd;
        unw_addr_space_t as;
        int error; /* set when building failed: do not retry */
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

/* The sparse core: headers, notes, stacks. */
static int build_core(struct core *c, int fd)
{
        if (ftruncate(fd, (off_t)c->in->core_size) < 0)
                return -errno;
        Elf64_Ehdr eh;
        if (input_pread_core(c->in, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
                return -EBADMSG;
        /* headers and notes come first in a kernel core: copy up to the first
         * PT_LOAD's data */
        uint64_t head = (uint64_t)c->in->core_size;
        for (size_t i = 0; i < c->n_segs; i++)
                if (c->segs[i].filesz)
                        head = MIN(head, c->segs[i].offset);
        int r = copy_core_range(c, fd, 0, MIN(head, (uint64_t)(64u << 20)));
        if (r < 0)
                return r;
        for (size_t t = 0; t < c->n_threads; t++) {
                uint64_t sp = c->threads[t].regs[CREG_RSP];
                const struct core_segment_info *s = core_segment_at(c, sp);
                if (!s || sp - s->vaddr >= s->filesz)
                        continue;
                uint64_t from = sp - s->vaddr > BELOW_SP ? sp - s->vaddr - BELOW_SP : 0;
                uint64_t to = MIN(s->filesz, from + STACK_MAX);
                r = copy_core_range(c, fd, s->offset + from, to - from);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void lu_free(struct lu_state *s)
{
        if (!s)
                return;
        if (s->as)
                unw_destroy_addr_space(s->as);
        if (s->ucd)
                _UCD_destroy(s->ucd);
        for (size_t i = 0; i < s->n_slices; i++)
                if (s->slices[i] >= 0)
                        close(s->slices[i]);
        free(s->slices);
        if (s->core_fd >= 0)
                close(s->core_fd);
        free(s);
}

static void add_backing_files(struct lu_state *s, struct unwinder *u)
{
        struct core *c = unwinder_core(u);
        struct module_set *ms = unwinder_modules(u);
        s->slices = calloc(c->n_maps ? c->n_maps : 1, sizeof(int));
        if (!s->slices)
                return;
        for (size_t i = 0; i < c->n_maps; i++) {
                const struct core_file_map *fm = &c->maps[i];
                struct module *m = modules_at(ms, fm->start);
                const struct core_segment_info *seg = core_segment_at(c, fm->start);
                if (!m || m->fd < 0 || !seg || seg->vaddr != fm->start || strcmp(m->path, fm->path) != 0)
                        continue;
                int fd = memfd_create("coreinspect-backing", MFD_CLOEXEC);
                if (fd < 0)
                        continue;
                s->slices[s->n_slices++] = fd;
                uint64_t len = fm->end - fm->start;
                uint8_t *buf = malloc(1 << 20);
                for (uint64_t off = 0; buf && off < len;) {
                        ssize_t n = pread_full(m->fd, buf, (size_t)MIN(len - off, (uint64_t)(1 << 20)),
                                               fm->file_offset + off);
                        if (n <= 0 || pwrite(fd, buf, (size_t)n, (off_t)off) != n)
                                break;
                        off += (uint64_t)n;
                }
                free(buf);
                char path[64];
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                _UCD_add_backing_file_at_vaddr(s->ucd, (unsigned long)fm->start, path);
        }
}

static struct lu_state *lu_get(struct unwinder *u)
{
        void **slot = unwinder_lu_slot(u);
        struct lu_state *s = *slot;
        if (s)
                return s->error ? NULL : s;
        s = calloc(1, sizeof(*s));
        if (!s)
                return NULL;
        s->core_fd = memfd_create("coreinspect-sparse-core", MFD_CLOEXEC);
        *slot = s;
        if (s->core_fd < 0 || build_core(unwinder_core(u), s->core_fd) < 0) {
                s->error = 1;
                return NULL;
        }
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", s->core_fd);
        s->ucd = _UCD_create(path);
        if (!s->ucd) {
                s->error = 1;
                return NULL;
        }
        add_backing_files(s, u);
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
        struct lu_state *s = lu_get(u);
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
        while (r >= 0) {
                unw_word_t ip = 0;
                if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0)
                        break;
                symbolize_pc(u, ip, exact, FRAME_LIBUNWIND, t, o->max_frames);
                exact = unw_is_signal_frame(&cur) > 0;
                if (++steps >= o->max_frames) {
                        free(t->error);
                        t->error = strdup("libunwind: frame limit reached");
                        return -EIO;
                }
                r = unw_step(&cur);
                if (r == 0)
                        return 0;
        }
        if (r < 0) {
                free(t->error);
                if (asprintf(&t->error, "libunwind stopped after %zu frames: %s", t->n_frames, unw_strerror(r)) < 0)
                        t->error = NULL;
                return -EIO;
        }
        return 0;
}
