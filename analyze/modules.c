#include "modules.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elfparse.h"
#include "io.h"
#include "json.h"
#include "util.h"

/* A string-keyed hash table (open addressing, keys not owned): the module
 * of a path and meta.json's build-id of a path are looked up once per
 * mapping, and a core may have hundreds of thousands of mappings. */
struct strmap {
        const char **keys;
        void **vals;
        size_t mask;
};

static int strmap_init(struct strmap *m, size_t n)
{
        size_t cap = 16;
        while (cap < 2 * n)
                cap *= 2;
        m->keys = calloc(cap, sizeof(*m->keys));
        m->vals = calloc(cap, sizeof(*m->vals));
        m->mask = cap - 1;
        return m->keys && m->vals ? 0 : -ENOMEM;
}

static void strmap_free(struct strmap *m)
{
        free(m->keys);
        free(m->vals);
        memset(m, 0, sizeof(*m));
}

static size_t strmap_slot(const struct strmap *m, const char *key)
{
        uint64_t h = 0xcbf29ce484222325ULL;
        for (const unsigned char *p = (const unsigned char *)key; *p; p++)
                h = (h ^ *p) * 0x100000001b3ULL;
        size_t i = (size_t)(h ^ (h >> 29)) & m->mask;
        while (m->keys[i] && strcmp(m->keys[i], key) != 0)
                i = (i + 1) & m->mask;
        return i;
}

static void *strmap_get(const struct strmap *m, const char *key)
{
        if (!m->keys)
                return NULL;
        size_t i = strmap_slot(m, key);
        return m->keys[i] ? m->vals[i] : NULL;
}

/* Adds key unless present (the first value stays). The table must have
 * been sized for every key put in it. */
static void strmap_put(struct strmap *m, const char *key, void *val)
{
        size_t i = strmap_slot(m, key);
        if (!m->keys[i]) {
                m->keys[i] = key;
                m->vals[i] = val;
        }
}

/* The package the crashed host recorded for the module's file, as "name"
 * or "name:arch" (an "all" package has no binaries of an architecture).
 * Out of memory: none. */
static void module_set_package(struct module *mod, const struct bundle_mapped_file *mapped)
{
        const char *arch = mapped->arch && strcmp(mapped->arch, "all") != 0 ? mapped->arch : NULL;
        if (asprintf(&mod->package, "%s%s%s", mapped->package, arch ? ":" : "", arch ? arch : "") < 0)
                mod->package = NULL;
        mod->package_version = mapped->version ? strdup(mapped->version) : NULL;
}

/* path -> meta.json's mapped_files entry (the first with that path). */
static int meta_entries(const struct bundle_meta *meta, struct strmap *ret)
{
        memset(ret, 0, sizeof(*ret));
        if (!meta || meta->n_mapped == 0)
                return 0;
        if (strmap_init(ret, meta->n_mapped) < 0) {
                strmap_free(ret);
                return -ENOMEM;
        }
        for (size_t i = 0; i < meta->n_mapped; i++)
                strmap_put(ret, meta->mapped[i].path, (void *)&meta->mapped[i]);
        return 0;
}

struct image_at {
        struct core *c;
        uint64_t base;
};

static ssize_t image_pread(void *ctx, void *buf, size_t len, uint64_t off)
{
        struct image_at *im = ctx;
        return core_read_mem(im->c, im->base + off, buf, len);
}

/* The build-id from the ELF headers the kernel dumps for each file mapping
 * (coredump_filter bit 4): the note segment must lie in dumped memory. */
static char *build_id_from_core(struct core *c, uint64_t base)
{
        struct image_at im = { c, base };
        struct elf_reader rd = { image_pread, &im };
        char hex[2 * BUILD_ID_MAX + 1];
        if (elf_build_id_read(&rd, true, hex) < 0)
                return NULL;
        return strdup(hex);
}

/* --exe: the user's file for the main executable; a build-id mismatch is
 * refused, since its symbols would be wrong. */
static void use_exe(struct module *mod, const char *exe)
{
        int fd = open(exe, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* a FIFO must not block */
        if (fd < 0) {
                log_warning("--exe %s: %m", exe);
                return;
        }
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                log_warning("--exe %s: not a regular file", exe);
                close(fd);
                return;
        }
        _cleanup_free_ char *id = NULL;
        if (mod->build_id && symbols_elf_build_id(fd, &id) == 0 && strcmp(id, mod->build_id) != 0) {
                log_warning("--exe %s has build-id %s, the core's executable has %s: not used", exe, id,
                            mod->build_id);
                close(fd);
                return;
        }
        symbols_found_clear(&mod->elf);
        mod->elf.fd = fd;
        mod->elf.where = strdup(exe);
        mod->elf.source = SYMBOLS_LOCAL;
}

int modules_load(struct core *core, struct symbols *sym, const struct bundle_meta *meta, const char *exe,
                 struct module_set *ret)
{
        bool has_entry;
        uint64_t entry = core_auxv(core, AT_PHDR, &has_entry); /* in the executable's first mapping */
        memset(ret, 0, sizeof(*ret));
        ret->core = core;
        ret->sym = sym;
        struct strmap entries, by_path = { 0 };
        int r = meta_entries(meta, &entries);
        if (r == 0 && strmap_init(&by_path, core->n_maps) < 0)
                r = -ENOMEM;
        /* one module per path: by_path holds index + 1 */
        size_t cap = 0;
        for (size_t i = 0; r == 0 && i < core->n_maps; i++) {
                const struct core_file_map *m = &core->maps[i];
                struct module *mod = NULL;
                size_t k = (size_t)(uintptr_t)strmap_get(&by_path, m->path);
                if (k)
                        mod = &ret->mods[k - 1];
                if (!mod) {
                        if (ret->n == cap) {
                                size_t nc = cap ? 2 * cap : 16;
                                struct module *nm = reallocarray(ret->mods, nc, sizeof(*nm));
                                if (!nm) {
                                        r = -ENOMEM;
                                        break;
                                }
                                ret->mods = nm;
                                cap = nc;
                        }
                        mod = &ret->mods[ret->n];
                        memset(mod, 0, sizeof(*mod));
                        if (!(mod->path = strdup(m->path))) {
                                r = -ENOMEM;
                                break;
                        }
                        ret->n++;
                        strmap_put(&by_path, m->path, (void *)(uintptr_t)ret->n);
                        mod->sym = sym;
                        mod->fd = -1;
                        mod->elf.fd = mod->debug.fd = -1;
                        mod->start = m->start;
                        mod->end = m->end;
                        mod->base = UINT64_MAX;
                }
                mod->start = MIN(mod->start, m->start);
                mod->end = MAX(mod->end, m->end);
                if (m->file_offset == 0 && m->start < mod->base)
                        mod->base = m->start;
        }
        strmap_free(&by_path);
        if (r < 0) {
                for (size_t i = 0; i < ret->n; i++)
                        free(ret->mods[i].path);
                free(ret->mods);
                ret->mods = NULL;
                ret->n = 0;
                strmap_free(&entries);
                return r;
        }
        /* keep only ELF files: the ones with a mapping at offset 0 holding an
         * ELF header, or a build-id in meta.json */
        size_t n_elf = 0, n_found = 0;
        for (size_t i = 0; i < ret->n; i++) {
                struct module *mod = &ret->mods[i];
                if (mod->base != UINT64_MAX) {
                        const struct bundle_mapped_file *mapped = strmap_get(&entries, mod->path);
                        const char *id = mapped ? mapped->build_id : NULL;
                        mod->skipped = mapped ? mapped->skipped : NULL;
                        if (mapped && mapped->package)
                                module_set_package(mod, mapped);
                        mod->build_id = id ? strdup(id) : build_id_from_core(core, mod->base);
                        if (!mod->build_id) {
                                uint8_t magic[4];
                                if (core_read_mem(core, mod->base, magic, 4) != 4 || memcmp(magic, ELFMAG, 4) != 0)
                                        mod->base = UINT64_MAX; /* a data file */
                        }
                }
                if (mod->base == UINT64_MAX)
                        continue;
                n_elf++;
                bool is_exe = has_entry && entry >= mod->start && entry < mod->end;
                if (exe && is_exe)
                        use_exe(mod, exe);
                if (mod->elf.fd < 0)
                        symbols_find_elf(sym, mod->build_id, mod->path, &mod->elf);
                if (mod->elf.fd >= 0)
                        mod->fd = fcntl(mod->elf.fd, F_DUPFD_CLOEXEC, 3);
                mod->is_exe = is_exe;
                if (mod->elf.fd >= 0 || is_exe)
                        n_found++;
        }
        /* More ELF files than MODULES_MAX (libdwfl reports modules in
         * quadratic time): the executable and the ones whose file was found
         * go first, then the others in address order. */
        size_t room = n_elf > MODULES_MAX && n_found < MODULES_MAX ? MODULES_MAX - n_found : 0;
        size_t kept = 0;
        for (size_t i = 0; i < ret->n; i++) {
                struct module *mod = &ret->mods[i];
                bool keep = mod->base != UINT64_MAX;
                if (keep && n_elf > MODULES_MAX) {
                        bool first_choice = mod->elf.fd >= 0 || mod->is_exe;
                        if (!first_choice && room > 0)
                                room--;
                        else if (!first_choice || kept >= MODULES_MAX)
                                keep = false;
                        if (!keep)
                                ret->n_dropped++;
                }
                if (!keep) {
                        free(mod->path);
                        free(mod->build_id);
                        if (mod->fd >= 0)
                                close(mod->fd);
                        symbols_found_clear(&mod->elf);
                        continue;
                }
                ret->mods[kept++] = *mod;
        }
        ret->n = kept;
        strmap_free(&entries);
        return 0;
}

void modules_report(struct module_set *ms, Dwfl *dwfl)
{
        for (size_t i = 0; i < ms->n; i++) {
                struct module *m = &ms->mods[i];
                if (m->elf.fd >= 0) {
                        int fd = fcntl(m->elf.fd, F_DUPFD_CLOEXEC, 3);
                        /* dwfl_report_elf owns fd on success */
                        m->dwfl_mod = dwfl_report_elf(dwfl, m->path, m->path, fd, m->base, false);
                        if (!m->dwfl_mod && fd >= 0)
                                close(fd);
                }
                if (!m->dwfl_mod)
                        m->dwfl_mod = dwfl_report_module(dwfl, m->path, m->start, m->end);
                void **userdata = NULL;
                if (m->dwfl_mod && dwfl_module_info(m->dwfl_mod, &userdata, NULL, NULL, NULL, NULL, NULL, NULL) &&
                    userdata)
                        *userdata = m;
        }
}

struct module *modules_at(struct module_set *ms, uint64_t addr)
{
        /* sorted by start (modules_load); the last one starting at or below
         * addr is the one that can hold it */
        size_t lo = SORTED_COUNT(ms->mods, ms->n, start, addr, true);
        if (lo == 0 || addr >= ms->mods[lo - 1].end)
                return NULL;
        return &ms->mods[lo - 1];
}

ssize_t modules_read_file(struct module_set *ms, uint64_t addr, void *buf, size_t len)
{
        const struct core_file_map *fm = core_map_at(ms->core, addr);
        if (!fm)
                return 0;
        struct module *m = modules_at(ms, addr);
        if (!m || m->fd < 0 || strcmp(m->path, fm->path) != 0)
                return 0;
        len = (size_t)MIN((uint64_t)len, fm->end - addr);
        return pread_full(m->fd, buf, len, fm->file_offset + (addr - fm->start));
}

/* modules_report keeps each module in its Dwfl_Module's userdata, which
 * libdwfl hands to the callbacks: no global, so analyses may run at once. */
static struct module *module_of(void **userdata)
{
        return userdata ? *userdata : NULL;
}

int modules_find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                     char **file_name, Elf **elfp)
{
        (void)modname;
        (void)base;
        (void)file_name; /* never set: libdwfl would open a path of its own choosing */
        *elfp = NULL;
        struct module *m = module_of(userdata);
        if (!m || m->elf.fd < 0)
                return -1;
        /* the module set's file, found by build-id: hand it over only when
         * that build-id still holds (the file libdwfl gets is the one the
         * crashed process ran, or none) */
        _cleanup_free_ char *id = NULL;
        if (m->build_id && (symbols_elf_build_id(m->elf.fd, &id) < 0 || strcmp(id, m->build_id) != 0))
                return -1;
        return fcntl(m->elf.fd, F_DUPFD_CLOEXEC, 3);
}

int modules_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
                           Dwarf_Addr base, const char *file_name, const char *debuglink_file,
                           GElf_Word debuglink_crc, char **debuginfo_file_name)
{
        struct module *m = module_of(userdata);
        if (!m)
                return -1;
        symbols_found_clear(&m->debug);
        if (symbols_find_debuginfo(m->sym, m->build_id, m->path, debuglink_file, &m->debug) < 0)
                return -1;
        if (m->debug.where)
                *debuginfo_file_name = strdup(m->debug.where);
        /* libdw would inflate the file's compressed sections with zlib when
         * it opens it: hand it a copy inflated by libdeflate instead (the
         * same sections, half the instructions), or the file itself */
        int fd = -1;
        if (symbols_elf_inflate(m->debug.fd, &fd) < 0 || fd < 0)
                /* libdwfl owns the fd it gets; keep ours for the report's bookkeeping */
                fd = fcntl(m->debug.fd, F_DUPFD_CLOEXEC, 3);
        return fd;
}

/* Marks the modules (sorted by start) that hold a frame of some thread. */
static void mark_modules_with_frames(const struct module_set *ms, const struct report *r, bool *ret)
{
        for (size_t t = 0; t < r->n_threads; t++)
                for (size_t f = 0; f < r->threads[t].n_frames; f++) {
                        uint64_t pc = r->threads[t].frames[f].pc;
                        size_t lo = 0, hi = ms->n;
                        while (lo < hi) { /* first module starting above pc */
                                size_t mid = lo + (hi - lo) / 2;
                                if (ms->mods[mid].start <= pc)
                                        lo = mid + 1;
                                else
                                        hi = mid;
                        }
                        if (lo > 0 && pc < ms->mods[lo - 1].end)
                                ret[lo - 1] = true;
                }
}

/* Whether a module that holds no frame has debug info, without loading it:
 * libdwfl's DWARF setup (decompressing sections, reading CU headers) is
 * the costliest part of a module, and only modules with frames need it.
 * The same lookup libdwfl's find_debuginfo callback does; the file found
 * goes into m->debug. */
static bool debug_file_found(struct module_set *ms, struct module *m)
{
        if (m->debug.fd >= 0)
                return true;
        if (m->elf.fd < 0)
                return false;
        if (symbols_has_debug_info(m->elf.fd))
                return true;
        _cleanup_free_ char *debuglink = NULL;
        (void)symbols_elf_debuglink(m->elf.fd, &debuglink);
        return symbols_find_debuginfo(ms->sym, m->build_id, m->path, debuglink, &m->debug) == 0;
}

/* strdup of s, NULL of NULL; false when out of memory. */
static bool dup_opt(const char *s, char **ret)
{
        *ret = s ? strdup(s) : NULL;
        return !s || *ret;
}

int modules_to_report(struct module_set *ms, struct report *r, bool hints)
{
        r->modules = calloc(ms->n ? ms->n : 1, sizeof(*r->modules));
        _cleanup_free_ struct symbols_hint_query *hq = calloc(ms->n ? ms->n : 1, sizeof(*hq));
        _cleanup_free_ size_t *hmod = calloc(ms->n ? ms->n : 1, sizeof(*hmod));
        _cleanup_free_ bool *with_frames = calloc(ms->n ? ms->n : 1, sizeof(*with_frames));
        size_t n_hints = 0;
        if (!r->modules || !hq || !hmod || !with_frames)
                return -ENOMEM;
        mark_modules_with_frames(ms, r, with_frames);
        for (size_t i = 0; i < ms->n; i++) {
                struct module *m = &ms->mods[i];
                struct module_report *o = &r->modules[r->n_modules++];
                if (!dup_opt(m->path, &o->name) || !dup_opt(m->build_id, &o->build_id))
                        return -ENOMEM;
                o->start = m->start;
                o->end = m->end;
                o->skipped = m->skipped;
                if (!dup_opt(m->package, &o->package) || !dup_opt(m->package_version, &o->package_version))
                        return -ENOMEM;
                if (m->elf.fd >= 0) {
                        if (!dup_opt(m->elf.where, &o->elf_where))
                                return -ENOMEM;
                        o->elf_source = symbols_source_name(m->elf.source);
                }
                bool has_debug = false;
                if (m->dwfl_mod && with_frames[i]) {
                        Dwarf_Addr bias;
                        has_debug = dwfl_module_getdwarf(m->dwfl_mod, &bias) != NULL;
                } else if (!with_frames[i]) {
                        has_debug = debug_file_found(ms, m);
                }
                if (has_debug && m->debug.fd >= 0) {
                        if (!dup_opt(m->debug.where, &o->debug_where))
                                return -ENOMEM;
                        o->debug_source = symbols_source_name(m->debug.source);
                } else if (has_debug) {
                        if (!dup_opt(o->elf_where, &o->debug_where))
                                return -ENOMEM;
                        o->debug_source = symbols_source_name(SYMBOLS_SELF);
                } else if (hints) {
                        hq[n_hints] = (struct symbols_hint_query){
                                .build_id = m->build_id,
                                .path = symbols_bundle_only(ms->sym) ? NULL : m->path,
                                .package = m->package,
                                .package_version = m->package_version,
                        };
                        hmod[n_hints++] = r->n_modules - 1;
                }
        }
        /* all at once: dpkg's file lists are read once for every module */
        _cleanup_free_ struct symbols_hint *h = calloc(n_hints ? n_hints : 1, sizeof(*h));
        if (!h)
                return -ENOMEM;
        symbols_hints(hq, n_hints, h);
        for (size_t i = 0; i < n_hints; i++) {
                r->modules[hmod[i]].hint = h[i].command;
                r->modules[hmod[i]].hint_local = h[i].local_package;
                r->modules[hmod[i]].hint_recorded = h[i].recorded_package;
        }
        return 0;
}

void modules_free(struct module_set *ms)
{
        for (size_t i = 0; i < ms->n; i++) {
                struct module *m = &ms->mods[i];
                free(m->path);
                free(m->build_id);
                free(m->package);
                free(m->package_version);
                if (m->fd >= 0)
                        close(m->fd);
                symbols_found_clear(&m->elf);
                symbols_found_clear(&m->debug);
        }
        free(ms->mods);
        memset(ms, 0, sizeof(*ms));
}
