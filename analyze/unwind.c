#include "unwind.h"

#include <dwarf.h>
#include <elf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuindex.h"
#include "util.h"

char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

struct unwinder;
static void symcache_free(struct unwinder *u);

/* What libdwfl's thread_arg points at: the unwinder and the thread's index,
 * so that its callbacks need no global (two analyses may run at once). */
struct thread_arg {
        struct unwinder *u;
        size_t index;
};

struct unwinder {
        struct core *core;
        struct module_set *ms;
        Dwfl *dwfl;
        Dwfl_Callbacks *callbacks; /* dwfl_end does not free them */
        char *debuginfo_path;
        /* the frames collected by the current dwfl_getthread_frames call */
        struct thread_report *cur;
        const struct unwind_options *opts;
        unsigned raw_frames;
        void *lu; /* libunwind state */
        struct symcache_entry *symcache;
        struct cu_index *cus; /* CUs by address where .debug_aranges lacks them */
        /* the thread index unwind_dwfl asks libdwfl for: cb_get_thread
         * answers it without a search (tids may even repeat in a hostile
         * core); other tids are found in tid_order (indices sorted by tid) */
        size_t cur_index;
        size_t *tid_order;
        struct thread_arg *thread_args; /* one per core thread */
        /* when set, the initial registers of thread override_index + 1 */
        uintptr_t override_index;
        uint64_t override_rip, override_rsp;
        /* the machine for libdwfl's unwinder (an ELF header of the core's
         * machine), so that it does not depend on any module's file */
        Elf64_Ehdr arch_ehdr;
        Elf *arch_elf;
};

void **unwinder_lu_slot(struct unwinder *u) { return &u->lu; }

static const Dwfl_Callbacks dwfl_cbs = {
        .find_elf = modules_find_elf,
        .find_debuginfo = modules_find_debuginfo,
        .section_address = dwfl_offline_section_address,
};

struct core *unwinder_core(struct unwinder *u) { return u->core; }
struct module_set *unwinder_modules(struct unwinder *u) { return u->ms; }

ssize_t unwinder_read(struct unwinder *u, uint64_t addr, void *buf, size_t len)
{
        ssize_t n = core_read_mem(u->core, addr, buf, len);
        if (n == (ssize_t)len)
                return n;
        if (n < 0)
                n = 0;
        ssize_t m = modules_read_file(u->ms, addr + (uint64_t)n, (uint8_t *)buf + n, len - (size_t)n);
        return m > 0 ? n + m : n;
}

/* --- libdwfl thread callbacks over the core's notes --- */

static pid_t cb_next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
        struct unwinder *u = arg;
        const struct thread_arg *prev = *thread_argp;
        size_t next = prev ? prev->index + 1 : 0;
        if (next >= u->core->n_threads)
                return 0;
        *thread_argp = &u->thread_args[next];
        return u->core->threads[next].tid;
}

static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
        struct unwinder *u = arg;
        const struct core_thread *t = u->core->threads;
        if (u->cur_index < u->core->n_threads && t[u->cur_index].tid == tid) {
                *thread_argp = &u->thread_args[u->cur_index];
                return true;
        }
        if (!u->tid_order)
                return false;
        size_t lo = 0, hi = u->core->n_threads;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (t[u->tid_order[mid]].tid < tid)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == u->core->n_threads || t[u->tid_order[lo]].tid != tid)
                return false;
        *thread_argp = &u->thread_args[u->tid_order[lo]];
        return true;
}

static int tid_cmp(const void *a, const void *b, void *threads)
{
        const struct core_thread *t = threads;
        size_t x = *(const size_t *)a, y = *(const size_t *)b;
        pid_t tx = t[x].tid, ty = t[y].tid;
        if (tx != ty)
                return tx < ty ? -1 : 1;
        return x < y ? -1 : x > y;
}

static bool cb_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
        struct unwinder *u = arg;
        uint64_t v;
        if (unwinder_read(u, addr, &v, sizeof(v)) != (ssize_t)sizeof(v))
                return false;
        *result = v;
        return true;
}

static bool cb_set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
        /* set by cb_next_thread / cb_get_thread */
        const struct thread_arg *ta = thread_arg;
        if (!ta)
                return false;
        struct unwinder *u = ta->u;
        uintptr_t idx = ta->index + 1;
        const uint64_t *r = u->core->threads[ta->index].regs;
        /* DWARF register order on x86-64 */
        Dwarf_Word regs[17] = {
                r[CREG_RAX], r[CREG_RDX], r[CREG_RCX], r[CREG_RBX], r[CREG_RSI], r[CREG_RDI],
                r[CREG_RBP], r[CREG_RSP], r[CREG_R8],  r[CREG_R9],  r[CREG_R10], r[CREG_R11],
                r[CREG_R12], r[CREG_R13], r[CREG_R14], r[CREG_R15], r[CREG_RIP],
        };
        if (u->override_index == idx) {
                regs[7] = u->override_rsp;
                regs[16] = u->override_rip;
        }
        return dwfl_thread_state_registers(thread, 0, 17, regs);
}

static const Dwfl_Thread_Callbacks thread_cbs = {
        .next_thread = cb_next_thread,
        .get_thread = cb_get_thread,
        .memory_read = cb_memory_read,
        .set_initial_registers = cb_set_initial_registers,
};

int unwinder_new(struct core *core, struct module_set *ms, struct unwinder **ret)
{
        struct unwinder *u = calloc(1, sizeof(*u));
        if (!u)
                return -ENOMEM;
        u->core = core;
        u->ms = ms;
        u->cur_index = SIZE_MAX;
        u->tid_order = malloc((core->n_threads ? core->n_threads : 1) * sizeof(*u->tid_order));
        if (u->tid_order) {
                for (size_t i = 0; i < core->n_threads; i++)
                        u->tid_order[i] = i;
                qsort_r(u->tid_order, core->n_threads, sizeof(*u->tid_order), tid_cmp, core->threads);
        }
        u->thread_args = calloc(core->n_threads ? core->n_threads : 1, sizeof(*u->thread_args));
        for (size_t i = 0; u->thread_args && i < core->n_threads; i++)
                u->thread_args[i] = (struct thread_arg){ u, i };
        Dwfl_Callbacks *cbs = u->thread_args ? malloc(sizeof(*cbs)) : NULL;
        if (!cbs) {
                free(u->thread_args);
                free(u->tid_order);
                free(u);
                return -ENOMEM;
        }
        *cbs = dwfl_cbs;
        cbs->debuginfo_path = &u->debuginfo_path;
        u->callbacks = cbs;
        u->dwfl = dwfl_begin(cbs);
        if (!u->dwfl) {
                free(cbs);
                free(u->thread_args);
                free(u->tid_order);
                free(u);
                return -ENOMEM;
        }
        dwfl_report_begin(u->dwfl);
        modules_report(ms, u->dwfl);
        dwfl_report_end(u->dwfl, NULL, NULL);
        /* Without an Elf, dwfl_attach_state takes the machine from the
         * first module whose file it can open: none may be at hand. */
        u->arch_ehdr = (Elf64_Ehdr){
                .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
                .e_type = ET_CORE,
                .e_machine = core->machine,
                .e_version = EV_CURRENT,
                .e_ehsize = sizeof(Elf64_Ehdr),
        };
        elf_version(EV_CURRENT);
        u->arch_elf = elf_memory((char *)&u->arch_ehdr, sizeof(u->arch_ehdr));
        if (!dwfl_attach_state(u->dwfl, u->arch_elf, core->pid ? core->pid : core->threads[0].tid, &thread_cbs, u))
                log_debug("dwfl_attach_state: %s", dwfl_errmsg(-1));
        *ret = u;
        return 0;
}

/* Looks for a data symbol by name in every module (dynsym or symtab), e.g.
 * glibc's __abort_msg. */
int unwinder_symbol(struct unwinder *u, const char *name, uint64_t *ret)
{
        for (size_t i = 0; i < u->ms->n; i++) {
                Dwfl_Module *m = u->ms->mods[i].dwfl_mod;
                if (!m)
                        continue;
                int n = dwfl_module_getsymtab(m);
                for (int k = 1; k < n; k++) {
                        GElf_Sym sym;
                        GElf_Addr addr;
                        const char *sn = dwfl_module_getsym_info(m, k, &sym, &addr, NULL, NULL, NULL);
                        if (sn && sym.st_shndx != SHN_UNDEF && strcmp(sn, name) == 0) {
                                *ret = addr;
                                return 0;
                        }
                }
        }
        return -ENOENT;
}

/* The symbol at exactly addr (offset 0), demangled; NULL if none. */
char *unwinder_symbol_at(struct unwinder *u, uint64_t addr)
{
        Dwfl_Module *m = dwfl_addrmodule(u->dwfl, addr);
        if (!m)
                return NULL;
        GElf_Off off;
        GElf_Sym sym;
        const char *n = dwfl_module_addrinfo(m, addr, &off, &sym, NULL, NULL, NULL);
        if (!n || off != 0)
                return NULL;
        return strdup(n);
}

/* The start of the function symbol that contains pc; -ENOENT without one. */
int unwinder_function_start(struct unwinder *u, uint64_t pc, uint64_t *ret)
{
        Dwfl_Module *m = dwfl_addrmodule(u->dwfl, pc);
        if (!m)
                return -ENOENT;
        GElf_Off off;
        GElf_Sym sym;
        const char *n = dwfl_module_addrinfo(m, pc, &off, &sym, NULL, NULL, NULL);
        if (!n || GELF_ST_TYPE(sym.st_info) != STT_FUNC || off > pc)
                return -ENOENT;
        *ret = pc - off;
        return 0;
}

static char *demangle(const char *name);

int unwinder_function_before(struct unwinder *u, uint64_t pc, uint64_t max, char **name, uint64_t *start,
                             uint64_t *end)
{
        Dwfl_Module *m = dwfl_addrmodule(u->dwfl, pc);
        if (!m)
                return -ENOENT;
        GElf_Off off;
        GElf_Sym sym;
        if (dwfl_module_addrinfo(m, pc, &off, &sym, NULL, NULL, NULL))
                return -ENOENT; /* pc is in a symbol */
        /* a function without a symbol (stripped, static) still has CFI:
         * padding after a function has none */
        Dwarf_Addr bias = 0;
        Dwarf_CFI *cfi = dwfl_module_eh_cfi(m, &bias);
        Dwarf_Frame *frame = NULL;
        if (!cfi)
                return -ENOENT; /* nothing to tell padding from code */
        if (dwarf_cfi_addrframe(cfi, pc - bias, &frame) == 0) {
                free(frame);
                return -ENOENT;
        }
        for (uint64_t k = 1; k <= max && k <= pc; k++) {
                const char *n = dwfl_module_addrinfo(m, pc - k, &off, &sym, NULL, NULL, NULL);
                if (!n)
                        continue;
                uint64_t s = pc - k - off;
                if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_size == 0 || s + sym.st_size > pc)
                        return -ENOENT;
                *name = demangle(n);
                if (!*name)
                        return -ENOMEM;
                *start = s;
                *end = s + sym.st_size;
                return 0;
        }
        return -ENOENT;
}

void unwinder_free(struct unwinder *u)
{
        if (!u)
                return;
        if (u->dwfl)
                dwfl_end(u->dwfl);
        if (u->arch_elf)
                elf_end(u->arch_elf);
        free(u->callbacks);
        unwind_libunwind_free(u->lu);
        symcache_free(u);
        cu_index_free(u->cus);
        free(u->debuginfo_path);
        free(u->thread_args);
        free(u->tid_order);
        free(u);
}

/* --- symbolization --- */

/* Demangles C++ names; drops ELF symbol versions ("@@GLIBC_2.34"). */
static char *demangle(const char *name)
{
        if (!name)
                return NULL;
        const char *at = strchr(name, '@');
        _cleanup_free_ char *plain = NULL;
        if (at && at != name) {
                plain = strndup(name, (size_t)(at - name));
                if (plain)
                        name = plain;
        }
        if (name[0] == '_' && name[1] == 'Z') {
                int status = -1;
                char *d = __cxa_demangle(name, NULL, NULL, &status);
                if (d && status == 0)
                        return d;
                free(d);
        }
        return strdup(name);
}

static struct frame *push_frame(struct thread_report *t, unsigned max)
{
        if (t->n_frames >= max)
                return NULL;
        struct frame *f = realloc(t->frames, (t->n_frames + 1) * sizeof(*f));
        if (!f)
                return NULL;
        t->frames = f;
        f = &t->frames[t->n_frames];
        memset(f, 0, sizeof(*f));
        f->index = (unsigned)t->n_frames;
        t->n_frames++;
        return f;
}

static const char *die_name(Dwarf_Die *die)
{
        Dwarf_Attribute a;
        const char *n = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &a));
        if (!n)
                n = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &a));
        if (!n)
                n = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
        return n;
}

static const char *call_file(Dwarf_Die *cudie, Dwarf_Die *inl, int *line, int *col)
{
        Dwarf_Attribute a;
        Dwarf_Word v;
        *line = 0;
        *col = 0;
        if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_line, &a), &v) == 0)
                *line = (int)v;
        if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_column, &a), &v) == 0)
                *col = (int)v;
        Dwarf_Files *files;
        size_t nfiles;
        if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &a), &v) != 0 ||
            dwarf_getsrcfiles(cudie, &files, &nfiles) != 0 || v >= nfiles)
                return NULL;
        return dwarf_filesrc(files, v, NULL, NULL);
}

static void symbolize_uncached(struct unwinder *u, uint64_t pc, bool exact, enum frame_origin origin,
                               struct thread_report *t, unsigned max_frames)
{
        /* a return address points after the call: look up the call itself */
        uint64_t lookup = exact || pc == 0 ? pc : pc - 1;
        Dwfl_Module *dm = dwfl_addrmodule(u->dwfl, lookup);
        struct module *m = modules_at(u->ms, lookup);
        struct frame *f = push_frame(t, max_frames);
        if (!f)
                return;
        f->pc = pc;
        f->activation = exact;
        f->origin = origin;
        if (m) {
                f->module = strdup(m->path);
                f->build_id = m->build_id ? strdup(m->build_id) : NULL;
                f->module_offset = pc - m->base;
                f->module_no_elf = m->elf.fd < 0;
        }
        if (!dm)
                return;
        GElf_Off off = 0;
        GElf_Sym sym;
        const char *name = dwfl_module_addrinfo(dm, lookup, &off, &sym, NULL, NULL, NULL);
        if (name) {
                f->function = demangle(name);
                f->offset = off + (lookup != pc ? 1 : 0);
        }
        /* the CU: through .debug_aranges (libdwfl), else by the CUs' own
         * ranges (clang 14 writes no aranges) */
        Dwarf_Addr bias = 0;
        Dwarf_Die cu_buf;
        Dwarf_Die *cudie = dwfl_module_addrdie(dm, lookup, &bias);
        bool indexed = false;
        if (!cudie) {
                if (!u->cus)
                        u->cus = cu_index_new();
                cudie = cu_index_find(u->cus, dm, lookup, &cu_buf, &bias);
                indexed = cudie != NULL;
        }
        Dwfl_Line *line = indexed ? NULL : dwfl_module_getsrc(dm, lookup);
        if (line) {
                int ln = 0, col = 0;
                const char *file = dwfl_lineinfo(line, NULL, &ln, &col, NULL, NULL);
                f->file = file ? strdup(file) : NULL;
                f->line = ln;
                f->column = col;
        } else if (indexed) {
                Dwarf_Line *dl = dwarf_getsrc_die(cudie, lookup - bias);
                int ln = 0, col = 0;
                const char *file = dl ? dwarf_linesrc(dl, NULL, NULL) : NULL;
                if (file && dwarf_lineno(dl, &ln) == 0) {
                        dwarf_linecol(dl, &col);
                        f->file = strdup(file);
                        f->line = ln;
                        f->column = col;
                }
        }
        /* inline expansion: scopes from innermost out */
        if (!cudie)
                return;
        Dwarf_Die *pc_scopes = NULL;
        int npc = dwarf_getscopes(cudie, lookup - bias, &pc_scopes);
        if (npc <= 0) {
                free(pc_scopes);
                return;
        }
        /* The chain of DIEs enclosing the innermost scope, following inline
         * instances out to the concrete function. */
        Dwarf_Die *scopes = NULL;
        int n = dwarf_getscopes_die(&pc_scopes[0], &scopes);
        free(pc_scopes);
        if (n <= 0) {
                free(scopes);
                return;
        }
        int i = 0;
        while (i < n && dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine &&
               dwarf_tag(&scopes[i]) != DW_TAG_subprogram)
                i++;
        if (i < n && dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine) {
                const char *dn = die_name(&scopes[i]);
                if (dn) {
                        free(f->function);
                        f->function = demangle(dn);
                }
                /* each inlined scope's caller is the next function-like scope out,
                 * called from the inlined scope's DW_AT_call_file:line */
                while (i < n && dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine) {
                        int cl, cc;
                        const char *cf = call_file(cudie, &scopes[i], &cl, &cc);
                        int k = i + 1;
                        while (k < n && dwarf_tag(&scopes[k]) != DW_TAG_inlined_subroutine &&
                               dwarf_tag(&scopes[k]) != DW_TAG_subprogram)
                                k++;
                        if (k >= n)
                                break;
                        struct frame *caller = push_frame(t, max_frames);
                        if (!caller)
                                break;
                        f = &t->frames[t->n_frames - 2]; /* realloc may have moved it */
                        f->inlined = true;
                        caller->pc = pc;
                        caller->activation = exact;
                        caller->origin = origin;
                        caller->module = f->module ? strdup(f->module) : NULL;
                        caller->build_id = f->build_id ? strdup(f->build_id) : NULL;
                        caller->module_offset = f->module_offset;
                        caller->module_no_elf = f->module_no_elf;
                        const char *cn = die_name(&scopes[k]);
                        caller->function = cn ? demangle(cn) : NULL;
                        caller->file = cf ? strdup(cf) : NULL;
                        caller->line = cl;
                        caller->column = cc;
                        if (dwarf_tag(&scopes[k]) == DW_TAG_subprogram) {
                                /* the concrete function: keep the ELF symbol's name and offset */
                                if (name) {
                                        free(caller->function);
                                        caller->function = demangle(name);
                                        caller->offset = off + (lookup != pc ? 1 : 0);
                                }
                        }
                        f = caller;
                        i = k;
                }
        }
        free(scopes);
}

/* Symbolization is most of an analysis's time, and threads share most of
 * their return addresses (256 workers waiting in the same place): a cache by
 * (pc, exact) of the frames symbolize_uncached produced. */
#define SYMCACHE_SLOTS 4096
#define SYMCACHE_PROBES 32 /* a full table costs a few probes, not a scan */

struct symcache_entry {
        uint64_t pc;
        bool exact;
        bool used;
        struct frame *frames;
        size_t n;
};

static struct frame frame_copy(const struct frame *f)
{
        struct frame c = *f;
        c.function = f->function ? strdup(f->function) : NULL;
        c.file = f->file ? strdup(f->file) : NULL;
        c.module = f->module ? strdup(f->module) : NULL;
        c.build_id = f->build_id ? strdup(f->build_id) : NULL;
        return c;
}

void symbolize_pc(struct unwinder *u, uint64_t pc, bool exact, enum frame_origin origin,
                  struct thread_report *t, unsigned max_frames)
{
        if (!u->symcache)
                u->symcache = calloc(SYMCACHE_SLOTS, sizeof(*u->symcache));
        struct symcache_entry *e = NULL;
        if (u->symcache) {
                size_t h = (size_t)((pc * 0x9e3779b97f4a7c15ULL) >> 52) % SYMCACHE_SLOTS;
                for (size_t k = 0; k < SYMCACHE_PROBES; k++) {
                        struct symcache_entry *c = &u->symcache[(h + k) % SYMCACHE_SLOTS];
                        if (!c->used || (c->pc == pc && c->exact == exact)) {
                                e = c;
                                break;
                        }
                }
        }
        if (e && e->used) {
                for (size_t k = 0; k < e->n; k++) {
                        struct frame *f = push_frame(t, max_frames);
                        if (!f)
                                return;
                        unsigned idx = f->index;
                        *f = frame_copy(&e->frames[k]);
                        f->index = idx;
                        f->origin = origin;
                }
                return;
        }
        size_t before = t->n_frames;
        symbolize_uncached(u, pc, exact, origin, t, max_frames);
        if (!e || t->n_frames == before || t->n_frames >= max_frames)
                return; /* a cut expansion is not cached */
        e->frames = calloc(t->n_frames - before, sizeof(*e->frames));
        if (!e->frames)
                return;
        for (size_t k = before; k < t->n_frames; k++)
                e->frames[e->n++] = frame_copy(&t->frames[k]);
        e->pc = pc;
        e->exact = exact;
        e->used = true;
}

static void symcache_free(struct unwinder *u)
{
        if (!u->symcache)
                return;
        for (size_t i = 0; i < SYMCACHE_SLOTS; i++) {
                for (size_t k = 0; k < u->symcache[i].n; k++)
                        frame_clear(&u->symcache[i].frames[k]);
                free(u->symcache[i].frames);
        }
        free(u->symcache);
        u->symcache = NULL;
}

/* --- libdwfl unwinding --- */

static int frame_cb(Dwfl_Frame *state, void *arg)
{
        struct unwinder *u = arg;
        Dwarf_Addr pc;
        bool activation;
        if (!dwfl_frame_pc(state, &pc, &activation))
                return DWARF_CB_ABORT;
        if (++u->raw_frames > u->opts->max_frames)
                return DWARF_CB_ABORT;
        if (u->override_index && u->raw_frames == 1)
                activation = false; /* restarted from a return address */
        size_t before = u->cur->n_frames;
        symbolize_pc(u, pc, activation, FRAME_CFI, u->cur, u->opts->max_frames);
        Dwarf_Word sp = 0;
        if (dwfl_frame_reg(state, 7 /* rsp */, &sp) == 0)
                for (size_t k = before; k < u->cur->n_frames; k++)
                        u->cur->frames[k].sp = sp;
        return DWARF_CB_OK;
}

static bool is_outermost(const struct thread_report *t)
{
        if (t->n_frames == 0)
                return false;
        const char *fn = t->frames[t->n_frames - 1].function;
        return fn && (strcmp(fn, "_start") == 0 || strcmp(fn, "__clone") == 0 ||
                      strcmp(fn, "__clone3") == 0 || strcmp(fn, "clone3") == 0 ||
                      strcmp(fn, "clone") == 0 || strcmp(fn, "__libc_start_main") == 0 ||
                      strcmp(fn, "start_thread") == 0);
}

static void set_error(struct thread_report *t, const char *fmt, ...)
{
        free(t->error);
        t->error = NULL;
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&t->error, fmt, ap) < 0)
                t->error = NULL;
        va_end(ap);
}

static void clear_frames(struct thread_report *t)
{
        for (size_t i = 0; i < t->n_frames; i++)
                frame_clear(&t->frames[i]);
        free(t->frames);
        t->frames = NULL;
        t->n_frames = 0;
}

static int unwind_dwfl(struct unwinder *u, size_t i, const struct unwind_options *o,
                       struct thread_report *t)
{
        u->cur = t;
        u->opts = o;
        u->raw_frames = 0;
        u->cur_index = i;
        int r = dwfl_getthread_frames(u->dwfl, u->core->threads[i].tid, frame_cb, u);
        u->cur_index = SIZE_MAX;
        u->cur = NULL;
        t->unwinder = "libdwfl";
        if (r != 0 && !is_outermost(t)) {
                set_error(t, "libdwfl stopped after %zu frames: %s", t->n_frames,
                          u->raw_frames > o->max_frames ? "frame limit reached" : dwfl_errmsg(-1));
                return -EIO;
        }
        return 0;
}

/* Does the code before addr end with a call instruction? (addr is then a
 * return address) Only in memory the process could execute: a word on the
 * stack that points into a module's data (an .init_array entry, say) and
 * whose bytes before it happen to look like a call is no return address.
 * (A core has a PT_LOAD header for every mapping, dumped or not; none at
 * addr: the permissions are unknown, and the bytes decide.) */
static bool after_call(struct unwinder *u, uint64_t addr)
{
        uint8_t code[8];
        const struct core_segment_info *seg = core_segment_at(u->core, addr);
        if (seg && !(seg->flags & PF_X))
                return false;
        if (addr < 8 || !modules_at(u->ms, addr) || unwinder_read(u, addr - 8, code, 8) != 8)
                return false;
        /* call rel32 (e8 xx xx xx xx), call *reg (ff d0+r), call *mem (ff 15 / ff 5x) */
        return code[3] == 0xe8 || (code[6] == 0xff && (code[7] & 0xf8) == 0xd0) ||
               (code[2] == 0xff && code[3] == 0x15) || (code[5] == 0xff && (code[6] & 0x38) == 0x10) ||
               (code[4] == 0xff && (code[5] & 0x38) == 0x10);
}

/* Looks for return addresses on the stack: words pointing into executable
 * module text right after a call instruction. */
static void stack_scan(struct unwinder *u, uint64_t sp, const struct unwind_options *o,
                       struct thread_report *t)
{
        enum { SCAN_BYTES = 64 * 1024 };
        uint64_t *words = malloc(SCAN_BYTES);
        if (!words)
                return;
        ssize_t n = core_read_mem(u->core, sp, words, SCAN_BYTES);
        for (ssize_t k = 0; k + 8 <= n && t->n_frames < o->max_frames; k += 8) {
                uint64_t v = words[k / 8];
                if (!core_map_at(u->core, v) || !after_call(u, v))
                        continue;
                symbolize_pc(u, v, false, FRAME_SCAN, t, o->max_frames);
        }
        free(words);
}

static bool same_functions(const struct thread_report *a, const struct thread_report *b, size_t *where)
{
        size_t n = MIN(a->n_frames, b->n_frames);
        for (size_t i = 0; i < n; i++) {
                const char *x = a->frames[i].function, *y = b->frames[i].function;
                if (a->frames[i].pc != b->frames[i].pc || (x && y && strcmp(x, y) != 0)) {
                        *where = i;
                        return false;
                }
        }
        *where = n;
        return a->n_frames == b->n_frames;
}


/* A thread whose pc is outside every module (a call through a bad function
 * pointer, jitted code): CFI cannot say where its caller is, and libdwfl's
 * frame-pointer fallback skips the function that made the call. When the
 * word at sp is a return address just after a call, that call is the
 * caller: unwind again from there (rip = [sp], rsp = sp + 8) behind a frame
 * for the bad pc. Returns true when it did. */
static bool restart_from_caller(struct unwinder *u, size_t i, const struct unwind_options *o,
                                struct thread_report *t)
{
        const uint64_t *regs = u->core->threads[i].regs;
        uint64_t pc = regs[CREG_RIP], sp = regs[CREG_RSP], ret;
        if (modules_at(u->ms, pc) || unwinder_read(u, sp, &ret, 8) != 8 || !after_call(u, ret))
                return false;
        if (t->n_frames > 1 && t->frames[1].pc == ret)
                return false; /* libdwfl found it already */
        clear_frames(t);
        free(t->error);
        t->error = NULL;
        symbolize_pc(u, pc, true, FRAME_CFI, t, o->max_frames);
        if (t->n_frames)
                t->frames[0].sp = sp;
        u->override_index = i + 1;
        u->override_rip = ret;
        u->override_rsp = sp + 8;
        struct thread_report rest = { .tid = t->tid };
        int r = unwind_dwfl(u, i, o, &rest);
        u->override_index = 0;
        for (size_t k = 0; k < rest.n_frames; k++) {
                struct frame *f = push_frame(t, o->max_frames);
                if (!f)
                        break;
                unsigned idx = f->index;
                *f = rest.frames[k];
                f->index = idx;
                /* the first is a return address, not an exact pc */
                rest.frames[k] = (struct frame){ 0 };
        }
        clear_frames(&rest);
        t->error = rest.error;
        return r == 0;
}

void unwind_thread_pc(struct unwinder *u, size_t i, const struct unwind_options *o,
                      struct thread_report *t)
{
        const struct core_thread *ct = &u->core->threads[i];
        t->tid = ct->tid;
        t->sp = ct->regs[CREG_RSP];
        memcpy(t->regs, ct->regs, sizeof(t->regs));
        t->unwinder = NULL;
        symbolize_pc(u, ct->regs[CREG_RIP], true, FRAME_CFI, t, o->max_frames);
        if (t->n_frames)
                t->frames[0].sp = t->sp;
        set_error(t, "not unwound: more threads than --max-threads (%zu)", o->max_threads);
}

void unwind_thread(struct unwinder *u, size_t i, const struct unwind_options *o,
                   struct thread_report *t)
{
        const struct core_thread *ct = &u->core->threads[i];
        t->tid = ct->tid;
        t->sp = ct->regs[CREG_RSP];
        memcpy(t->regs, ct->regs, sizeof(t->regs));
        int r;
        bool lu_ok = i < LIBUNWIND_THREADS_MAX;
        if (o->unwinder == UNWINDER_LIBUNWIND && !lu_ok) {
                r = unwind_dwfl(u, i, o, t);
        } else if (o->unwinder == UNWINDER_LIBUNWIND) {
                r = unwind_libunwind(u, i, o, t);
                t->unwinder = "libunwind";
                if (r < 0 && t->n_frames < 2) {
                        char *why = t->error ? strdup(t->error) : NULL;
                        clear_frames(t);
                        r = unwind_dwfl(u, i, o, t);
                        if (r == 0) {
                                free(t->error);
                                t->error = why;
                                why = NULL;
                        }
                        free(why);
                }
        } else {
                r = unwind_dwfl(u, i, o, t);
                if (restart_from_caller(u, i, o, t))
                        r = 0;
                if (lu_ok && (o->unwinder == UNWINDER_BOTH || r < 0)) {
                        struct thread_report other = { .tid = t->tid };
                        int r2 = unwind_libunwind(u, i, o, &other);
                        size_t at;
                        if (o->unwinder == UNWINDER_BOTH && !same_functions(t, &other, &at)) {
                                const char *fa = at < t->n_frames && t->frames[at].function ? t->frames[at].function : "(end)";
                                const char *fb = at < other.n_frames && other.frames[at].function ? other.frames[at].function : "(end)";
                                free(t->disagreement);
                                if (asprintf(&t->disagreement,
                                             "libdwfl and libunwind differ from frame #%zu: %s (%zu frames) vs %s (%zu frames)",
                                             at, fa, t->n_frames, fb, other.n_frames) < 0)
                                        t->disagreement = NULL;
                        }
                        if (r < 0 && r2 == 0 && other.n_frames > t->n_frames) {
                                /* libunwind got further: show its frames */
                                char *why = t->error;
                                t->error = NULL;
                                clear_frames(t);
                                t->frames = other.frames;
                                t->n_frames = other.n_frames;
                                other.frames = NULL;
                                other.n_frames = 0;
                                t->unwinder = "libunwind";
                                if (asprintf(&t->error, "rescued by libunwind (%s)", why ? why : "") < 0)
                                        t->error = NULL;
                                free(why);
                                r = 0;
                        }
                        clear_frames(&other);
                        free(other.error);
                        free(other.disagreement);
                }
        }
        if (r < 0 && t->n_frames < 3) {
                /* corrupt stack or no CFI: a scan from sp, frames marked */
                stack_scan(u, t->sp, o, t);
        }
}
