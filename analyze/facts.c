#include "facts.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "insn.h"
#include "util.h"

#define ABORT_MSG_MAX 4096
#define RECURSION_MIN_REPEATS 8
#define RECURSION_MAX_CYCLE 12
#define BIG_FRAME (1u << 20)

struct map_entry {
        uint64_t start, end;
        char perms[5];
        char *name; /* points into maps_text or a static string */
};

/* Parses /proc/PID/maps text (the bundle's proc/maps). */
static void parse_maps(struct facts_store *st)
{
        size_t cap = 0;
        for (char *line = st->maps_text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                unsigned long long a, b;
                char perms[8];
                int pos = 0;
                if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &a, &b, perms, &pos) < 3)
                        continue;
                if (st->n_maps == cap) {
                        cap = cap ? cap * 2 : 64;
                        struct map_entry *m = realloc(st->maps, cap * sizeof(*m));
                        if (!m)
                                return;
                        st->maps = m;
                }
                struct map_entry *m = &st->maps[st->n_maps++];
                m->start = a;
                m->end = b;
                snprintf(m->perms, sizeof(m->perms), "%.4s", perms);
                m->name = pos > 0 && (size_t)pos <= strlen(line) ? line + pos : (char *)"";
        }
}

/* Without proc/maps (a raw core): the core's segments, named by NT_FILE. */
static void maps_from_core(struct facts_store *st, struct core *c, pid_t tid0, uint64_t sp0)
{
        st->maps = calloc(c->n_segs ? c->n_segs : 1, sizeof(*st->maps));
        if (!st->maps)
                return;
        for (size_t i = 0; i < c->n_segs; i++) {
                const struct core_segment_info *s = &c->segs[i];
                struct map_entry *m = &st->maps[st->n_maps++];
                m->start = s->vaddr;
                m->end = s->vaddr + s->memsz;
                snprintf(m->perms, sizeof(m->perms), "%c%c%cp", s->flags & PF_R ? 'r' : '-', s->flags & PF_W ? 'w' : '-',
                         s->flags & PF_X ? 'x' : '-');
                const struct core_file_map *fm = core_map_at(c, s->vaddr);
                m->name = fm ? (char *)fm->path : (char *)"";
        }
        (void)tid0;
        (void)sp0;
}

static const struct map_entry *map_at(const struct facts_store *st, uint64_t addr, size_t *ret_i)
{
        for (size_t i = 0; i < st->n_maps; i++)
                if (addr >= st->maps[i].start && addr < st->maps[i].end) {
                        if (ret_i)
                                *ret_i = i;
                        return &st->maps[i];
                }
        return NULL;
}

static void fill_prev(const struct facts_store *st, uint64_t addr, struct map_facts *out)
{
        size_t prev = 0;
        for (size_t i = 0; i < st->n_maps; i++) {
                const struct map_entry *e = &st->maps[i];
                if (e->end <= addr && e->end > out->prev_end) {
                        out->prev_start = e->start;
                        out->prev_end = e->end;
                        memcpy(out->prev_perms, e->perms, sizeof(out->prev_perms));
                        out->prev_name = e->name;
                        prev = i;
                }
        }
        if (!out->prev_end || out->prev_perms[1] != 'w')
                return;
        /* maps are in address order (proc/maps, the core's segments): walk
         * down while a writable mapping ends exactly where the run starts;
         * out of order input only stops the walk early */
        out->run_start = out->prev_start;
        while (prev > 0 && st->maps[prev - 1].end == out->run_start && st->maps[prev - 1].perms[1] == 'w')
                out->run_start = st->maps[--prev].start;
}

static void fill_map(const struct facts_store *st, uint64_t addr, struct map_facts *out)
{
        memset(out, 0, sizeof(*out));
        const struct map_entry *m = map_at(st, addr, NULL);
        fill_prev(st, m ? m->start : addr, out);
        if (m) {
                out->found = true;
                out->start = m->start;
                out->end = m->end;
                memcpy(out->perms, m->perms, sizeof(out->perms));
                out->name = m->name;
                return;
        }
        for (size_t i = 0; i < st->n_maps; i++) {
                const struct map_entry *e = &st->maps[i];
                if (e->end <= addr && e->end > out->below_end) {
                        out->below_end = e->end;
                        out->below_name = e->name[0] ? e->name : "anonymous";
                }
                if (e->start > addr && (out->above_start == 0 || e->start < out->above_start)) {
                        out->above_start = e->start;
                        out->above_name = e->name[0] ? e->name : "anonymous";
                        memcpy(out->above_perms, e->perms, sizeof(out->above_perms));
                }
        }
}

/* "Max stack size   8388608   unlimited   bytes" → soft value */
static uint64_t limit_of(const char *limits, const char *name)
{
        if (!limits)
                return 0;
        const char *p = strstr(limits, name);
        if (!p)
                return 0;
        p += strlen(name);
        while (*p == ' ')
                p++;
        if (strncmp(p, "unlimited", 9) == 0)
                return UINT64_MAX;
        return strtoull(p, NULL, 10);
}

static uint64_t status_kb(const char *status, const char *key)
{
        if (!status)
                return 0;
        const char *p = strstr(status, key);
        if (!p)
                return 0;
        return strtoull(p + strlen(key), NULL, 10) * 1024;
}

static void fill_stack(struct crash_facts *f, const struct facts_store *st, const char *limits)
{
        struct stack_facts *s = &f->stack;
        size_t i;
        const struct map_entry *m = map_at(st, f->sp, &i);
        s->rlimit_stack = limit_of(limits, "Max stack size");
        s->sp = f->sp;
        if (!m) {
                /* sp itself outside any mapping: take the mapping just above */
                struct map_facts mf;
                fill_map(st, f->sp, &mf);
                if (!mf.above_start)
                        return;
                m = map_at(st, mf.above_start, &i);
                if (!m)
                        return;
        }
        s->known = true;
        s->lo = m->start;
        s->hi = m->end;
        s->main_thread = strcmp(m->name, "[stack]") == 0;
        s->used = f->sp < s->hi ? s->hi - f->sp : 0;
        /* a guard page: an inaccessible mapping right below (pthread stacks) */
        if (i > 0 && st->maps[i - 1].end == m->start && strncmp(st->maps[i - 1].perms, "---", 3) == 0) {
                s->guard_lo = st->maps[i - 1].start;
                s->guard_hi = st->maps[i - 1].end;
        }
}

/* Two frames are the same step of a cycle: the same function, or the same
 * pc where the function has no name (stripped code, interpreters). */
static bool same_step(const struct fact_frame *a, const struct fact_frame *b)
{
        if (a->function && b->function)
                return strcmp(a->function, b->function) == 0;
        return !a->function && !b->function && a->pc == b->pc;
}

/* The smallest cycle of frames (1 to RECURSION_MAX_CYCLE long: direct,
 * mutual, and interpreters' eval loops) repeating at least
 * RECURSION_MIN_REPEATS times in a row, looked for from each of the first
 * frames. */
static void fill_recursion(struct crash_facts *f, const struct thread_report *t)
{
        struct recursion_facts *r = &f->recursion;
        size_t n = f->n_frames;
        r->depth = n;
        r->frames_capped = t->error && strstr(t->error, "frame limit");
        for (size_t start = 0; start < MIN(n, (size_t)32); start++) {
                for (size_t len = 1; len <= RECURSION_MAX_CYCLE && start + len <= n; len++) {
                        /* a cycle of len steps, not a shorter one repeated */
                        if (len > 1 && same_step(&f->frames[start], &f->frames[start + 1]))
                                continue;
                        size_t reps = 1;
                        for (size_t k = start + len; k + len <= n; k += len) {
                                bool same = true;
                                for (size_t j = 0; j < len && same; j++)
                                        same = same_step(&f->frames[start + j], &f->frames[k + j]);
                                if (!same)
                                        break;
                                reps++;
                        }
                        if (reps >= RECURSION_MIN_REPEATS) {
                                r->found = true;
                                r->cycle_len = len;
                                r->repeats = reps;
                                /* name the cycle by its named members */
                                size_t m = 0;
                                for (size_t j = 0; j < len && m < 4; j++)
                                        if (f->frames[start + j].function)
                                                r->members[m++] = f->frames[start + j].function;
                                if (m == 0)
                                        r->members[m++] = "??";
                                return;
                        }
                }
        }
}

static void fill_big_frame(struct crash_facts *f)
{
        for (size_t i = 0; i + 1 < f->n_frames; i++) {
                uint64_t a = f->frames[i].sp, b = f->frames[i + 1].sp;
                if (!a || !b || b <= a || f->frames[i].inlined)
                        continue;
                if (b - a >= BIG_FRAME && (!f->big_frame.found || b - a > f->big_frame.size)) {
                        f->big_frame.found = true;
                        /* from frame i's sp up to its caller's sp lies frame i's
                         * own frame (locals, alloca, VLAs) and return address */
                        f->big_frame.function = f->frames[i].function;
                        f->big_frame.size = b - a;
                }
        }
}

/* glibc's __abort_msg: pointer to { unsigned size; char msg[]; } */
static char *read_abort_msg(struct unwinder *u)
{
        uint64_t sym, ptr = 0;
        if (unwinder_symbol(u, "__abort_msg", &sym) < 0)
                return NULL;
        if (unwinder_read(u, sym, &ptr, 8) != 8 || ptr == 0)
                return NULL;
        uint32_t size = 0;
        if (unwinder_read(u, ptr, &size, 4) != 4 || size <= 4)
                return NULL;
        size_t max = MIN((size_t)size - 4, (size_t)ABORT_MSG_MAX);
        char *buf = calloc(1, max + 1);
        if (!buf)
                return NULL;
        ssize_t n = unwinder_read(u, ptr + 4, buf, max);
        if (n <= 0) {
                free(buf);
                return NULL;
        }
        buf[MIN((size_t)n, max)] = '\0';
        /* trim the trailing newline glibc prints */
        size_t l = strlen(buf);
        while (l > 0 && (buf[l - 1] == '\n' || buf[l - 1] == ' '))
                buf[--l] = '\0';
        if (l == 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* The type of an uncaught C++ exception: a typeinfo object (_ZTI...) that
 * __cxa_throw and the terminate handler leave on the stack. */
static char *exception_type(struct unwinder *u, const struct crash_facts *f)
{
        bool cxx = false;
        for (size_t i = 0; i < f->n_frames; i++)
                if (f->frames[i].function && (strstr(f->frames[i].function, "terminate") || strstr(f->frames[i].function, "__cxa_throw")))
                        cxx = true;
        if (!cxx)
                return NULL;
        enum { SCAN = 16384 };
        uint64_t *words = malloc(SCAN);
        if (!words)
                return NULL;
        ssize_t n = unwinder_read(u, f->sp, words, SCAN);
        char *type = NULL;
        for (ssize_t k = 0; k + 8 <= n && !type; k += 8) {
                uint64_t w = words[k / 8];
                if (w < 4096)
                        continue;
                char *sym = unwinder_symbol_at(u, w);
                char *at = sym ? strchr(sym, '@') : NULL; /* "_ZTISt13runtime_error@GLIBCXX_3.4" */
                if (at)
                        *at = '\0';
                if (sym && strncmp(sym, "_ZTI", 4) == 0) {
                        int st = -1;
                        char *d = __cxa_demangle(sym + 4, NULL, NULL, &st);
                        /* "_ZTISt13runtime_error": the part after _ZTI is a type */
                        if (d && st == 0)
                                type = d;
                        else {
                                free(d);
                                type = strdup(sym + 4);
                                if (!type) {
                                        free(sym);
                                        break; /* out of memory: no type rather than a later word's */
                                }
                        }
                }
                free(sym);
        }
        free(words);
        return type;
}

static ssize_t heap_read_cb(void *ctx, uint64_t addr, void *buf, size_t len)
{
        return unwinder_read(ctx, addr, buf, len);
}

#define PTRLOAD_CODE_MAX (64u << 10) /* bytes of the crash function decoded */

/* A SIGSEGV whose base register was just loaded from memory: where from, and
 * whether that lies in a heap chunk glibc holds as free. */
static void fill_ptr_load(struct crash_facts *f, struct unwinder *u, const uint64_t *regs)
{
        struct ptr_load_facts *pl = &f->ptr_load;
        uint64_t start;
        if (f->signo != SIGSEGV || !f->insn.decoded || !f->insn.has_mem || !f->insn.base_reg[0] || !f->heap.walked ||
            unwinder_function_start(u, f->pc, &start) < 0 || f->pc - start >= PTRLOAD_CODE_MAX)
                return;
        size_t len = (size_t)(f->pc - start) + 16;
        _cleanup_free_ uint8_t *code = malloc(len);
        if (!code)
                return;
        ssize_t n = unwinder_read(u, start, code, len);
        if (n <= 0 || (uint64_t)n <= f->pc - start)
                return;
        if (insn_pointer_load(code, (size_t)n, start, f->pc, regs, f->insn.base_reg, heap_read_cb, u, pl) < 0)
                return;
        heap_chunk_state(heap_read_cb, u, f->heap.heap_start, f->heap.heap_end, pl->src_addr, pl);
}

#define FELL_OFF_PADDING 16 /* bytes of alignment padding after a function */

/* A fault just past the end of a function whose last instruction is a
 * call: execution fell off its end. */
static void fill_fell_off(struct crash_facts *f, struct facts_store *st, struct unwinder *u)
{
        struct fell_off_facts *fo = &f->fell_off;
        uint8_t code[16];
        char *name = NULL;
        if (f->from_process || f->n_frames == 0 || f->frames[0].function ||
            unwinder_function_before(u, f->pc, FELL_OFF_PADDING, &name, &fo->start, &fo->end) < 0)
                return;
        size_t len = (size_t)MIN((uint64_t)sizeof(code), fo->end - fo->start);
        if (unwinder_read(u, fo->end - len, code, len) != (ssize_t)len ||
            insn_call_ending_at(code, len, fo->end, fo->call_text, sizeof(fo->call_text), &fo->call_pc) < 0) {
                free(name);
                *fo = (struct fell_off_facts){};
                return;
        }
        st->fell_off_function = name;
        fo->function = name;
        fo->found = true;
}

#define COPY_REGIONS 16

/* A broken heap header: is the damage a copy of the program's data, a
 * stack or another part of the heap? Where the source of a copy most
 * likely is: the executable's mappings, the crashing thread's stack (and
 * the main [stack]), the heap. */
static void fill_heap_copy(struct crash_facts *f, const struct facts_store *st, struct unwinder *u)
{
        struct heap_copy_region reg[COPY_REGIONS];
        size_t n = 0;
        if (!f->heap.corrupt)
                return;
        for (size_t i = 0; i < st->n_maps && n < COPY_REGIONS; i++) {
                const struct map_entry *m = &st->maps[i];
                if (m->perms[0] == 'r' && f->exe && m->name[0] == '/' && strcmp(m->name, f->exe) == 0)
                        reg[n++] = (struct heap_copy_region){ m->start, m->end, m->name, m->perms };
        }
        for (size_t i = 0; i < st->n_maps && n < COPY_REGIONS; i++) {
                const struct map_entry *m = &st->maps[i];
                bool stack = strcmp(m->name, "[stack]") == 0 || (f->stack.known && m->start == f->stack.lo);
                if (m->perms[0] == 'r' && stack)
                        reg[n++] = (struct heap_copy_region){ m->start, m->end, m->name[0] ? m->name : "thread stack",
                                                              m->perms };
        }
        for (size_t i = 0; i < st->n_maps && n < COPY_REGIONS; i++) {
                const struct map_entry *m = &st->maps[i];
                if (strcmp(m->name, "[heap]") == 0)
                        reg[n++] = (struct heap_copy_region){ m->start, m->end, m->name, m->perms };
        }
        heap_find_copy(heap_read_cb, u, reg, n, &f->heap);
}

static void fill_memory(struct crash_facts *f, struct facts_store *st, struct report *r, const char *limits)
{
        struct memory_facts *m = &f->mem;
        m->rlimit_as = limit_of(limits, "Max address space");
        m->rlimit_data = limit_of(limits, "Max data size");
        for (size_t i = 0; i < st->n_maps; i++)
                m->mapped_total += st->maps[i].end - st->maps[i].start;
        m->vm_peak = status_kb(st->status_text, "VmPeak:");
        m->vm_size = status_kb(st->status_text, "VmSize:");
        /* kernel OOM kill lines about this pid */
        char killed[64];
        snprintf(killed, sizeof(killed), "Killed process %d ", (int)f->pid);
        for (const char *p = r->kernel_log; p && *p;) {
                size_t n = strcspn(p, "\n");
                if (memmem(p, n, killed, strlen(killed)) && memmem(p, n, "ut of memory", 12)) {
                        m->oom_kill = true;
                        m->oom_memcg = memmem(p, n, "Memory cgroup", 13) != NULL;
                        free(st->oom_line);
                        st->oom_line = strndup(p, n);
                        m->oom_line = st->oom_line;
                }
                p += n;
                if (*p)
                        p++;
        }
}

void facts_gather(struct crash_facts *f, struct facts_store *st, struct report *r, struct input *in,
                  struct core *c, struct unwinder *u)
{
        memset(f, 0, sizeof(*f));
        memset(st, 0, sizeof(*st));
        const struct thread_report *t = r->n_threads ? &r->threads[0] : NULL;
        f->pid = r->pid;
        f->tid = r->tid;
        f->exe = r->exe;
        f->cmdline = r->cmdline;
        f->argv = (const char *const *)r->argv;
        f->argc = r->argc;
        f->input = r->input_path;
        f->input_is_bundle = in->kind == INPUT_BUNDLE;
        f->has_core = true;
        f->n_threads = r->n_threads;
        f->mmap_min_addr = 4096;
        f->signo = r->signal;
        if (c->si.present) {
                f->si_code = c->si.code;
                f->has_addr = c->si.code > 0 && c->si.code != 0x80 && (c->si.signo == SIGSEGV || c->si.signo == SIGBUS ||
                                                 c->si.signo == SIGILL || c->si.signo == SIGFPE);
                f->fault_addr = c->si.addr;
                f->from_process = c->si.code <= 0;
                f->sender_pid = c->si.sender_pid;
                f->sender_uid = c->si.sender_uid;
        }
        const struct core_thread *ct = &c->threads[0];
        f->pc = ct->regs[CREG_RIP];
        f->sp = ct->regs[CREG_RSP];
        uint64_t w;
        if (unwinder_read(u, f->sp - 8, &w, 8) == 8) {
                f->word_below_sp = w;
                f->has_word_below_sp = true;
        }
        if (unwinder_read(u, f->sp, &w, 8) == 8) {
                f->word_at_sp = w;
                f->has_word_at_sp = true;
        }
        uint8_t code[16];
        ssize_t n = unwinder_read(u, f->pc, code, sizeof(code));
        insn_decode(code, n > 0 ? (size_t)n : 0, f->pc, ct->regs, f->fault_addr, f->has_addr, &f->insn);
        if (f->insn.is_div && !f->insn.divisor_known && f->insn.has_mem) {
                /* a divisor in memory (-O0 code divides by a stack slot) */
                size_t width = strstr(f->insn.text, "qword") ? 8 : strstr(f->insn.text, "dword") ? 4
                               : strstr(f->insn.text, "byte") ? 1 : 2;
                uint64_t d = 0;
                if (unwinder_read(u, f->insn.mem_addr, &d, width) == (ssize_t)width) {
                        f->insn.divisor = d;
                        f->insn.divisor_known = true;
                }
        }

        st->maps_text = input_member(in, BUNDLE_PROC_MAPS, 16 << 20);
        st->status_text = input_member(in, BUNDLE_PROC_STATUS, 1 << 20);
        if (st->maps_text)
                parse_maps(st);
        else
                maps_from_core(st, c, ct->tid, f->sp);
        fill_map(st, f->fault_addr, &f->fault_map);
        fill_map(st, f->pc, &f->pc_map);
        if (f->insn.decoded && f->insn.has_mem && f->insn.base_reg[0])
                fill_map(st, f->insn.base_value, &f->base_map);
        fill_stack(f, st, r->limits);

        if (t) {
                for (size_t i = 0; i < t->n_frames && i < FACTS_MAX_FRAMES; i++) {
                        const struct frame *fr = &t->frames[i];
                        struct fact_frame *ff = &f->frames[f->n_frames++];
                        *ff = (struct fact_frame){ fr->function, fr->module, fr->file, fr->line,
                                                   fr->pc, fr->sp, fr->inlined, fr->module_no_elf, "",
                                                   fr->origin == FRAME_SCAN };
                        if (fr->module_no_elf && !fr->function && fr->module)
                                snprintf(ff->label, sizeof(ff->label), "%s+0x%" PRIx64, path_file_name(fr->module),
                                         fr->module_offset);
                }
                fill_recursion(f, t);
                fill_big_frame(f);
        }
        const struct module_set *ms = unwinder_modules(u);
        for (size_t i = 0; i < ms->n; i++) {
                if (ms->mods[i].elf.fd >= 0)
                        continue;
                if (f->n_missing_elf < FACTS_MAX_MISSING)
                        f->missing_elf[f->n_missing_elf] =
                                (struct missing_elf_facts){ ms->mods[i].path, ms->mods[i].build_id };
                f->n_missing_elf++;
        }
                st->abort_msg = read_abort_msg(u);
        f->abort_msg = st->abort_msg;
        st->exception_type = exception_type(u, f);
        f->exception_type = st->exception_type;

        for (size_t i = 0; i < st->n_maps; i++)
                if (strcmp(st->maps[i].name, "[heap]") == 0) {
                        heap_examine(heap_read_cb, u, st->maps[i].start, st->maps[i].end, &f->heap);
                        /* the range also serves rules that do not need the walk */
                        f->heap.heap_start = st->maps[i].start;
                        f->heap.heap_end = st->maps[i].end;
                        break;
                }
        fill_heap_copy(f, st, u);
        fill_fell_off(f, st, u);
        fill_ptr_load(f, u, ct->regs);
        fill_memory(f, st, r, r->limits);
}

/* An oom-watch bundle: no core, no threads; the kernel's report, what /proc
 * showed and the memory cgroup from meta.json. */
void facts_gather_nocore(struct crash_facts *f, struct facts_store *st, struct report *r, struct input *in,
                         long long cgroup_limit, long long cgroup_peak)
{
        memset(f, 0, sizeof(*f));
        memset(st, 0, sizeof(*st));
        f->pid = r->pid;
        f->tid = r->tid;
        f->exe = r->exe;
        f->cmdline = r->cmdline;
        f->argv = (const char *const *)r->argv;
        f->argc = r->argc;
        f->input = r->input_path;
        f->input_is_bundle = true;
        f->has_core = false;
        f->core_withheld = r->core_withheld;
        f->signo = r->signal;
        st->maps_text = input_member(in, BUNDLE_PROC_MAPS, 16 << 20);
        st->status_text = input_member(in, BUNDLE_PROC_STATUS, 1 << 20);
        if (st->maps_text)
                parse_maps(st);
        fill_memory(f, st, r, r->limits);
        f->mem.cgroup = r->cgroup;
        f->mem.cgroup_limit = cgroup_limit > 0 ? (uint64_t)cgroup_limit : 0;
        f->mem.cgroup_usage = cgroup_peak > 0 ? (uint64_t)cgroup_peak : 0;
}

void facts_store_free(struct facts_store *st, struct crash_facts *f)
{
        free(st->maps);
        free(st->maps_text);
        free(st->status_text);
        free(st->abort_msg);
        free(st->exception_type);
        free(st->oom_line);
        free(st->fell_off_function);
        if (f && f->heap.note)
                free((char *)f->heap.note);
        memset(st, 0, sizeof(*st));
}
