/* The modules (executable, shared objects) of the crashed process: found
 * from the core's NT_FILE note, identified by build-id (from the bundle's
 * meta.json, else from the ELF headers dumped in the core), located through
 * symbols/, and reported to libdwfl at their load addresses. */
#pragma once

#include <elfutils/libdwfl.h>
#include "meta.h"

#include "core.h"
#include "model.h"
#include "symbols.h"

struct module {
        char *path;
        char *build_id;
        uint64_t start, end;    /* lowest and highest mapped address */
        uint64_t base;          /* start of the mapping at file offset 0 */
        int fd;                 /* our own fd on the ELF file, -1 if not found */
        struct symbols_found elf;
        struct symbols_found debug;
        bool debug_self;        /* the ELF itself has .debug_info */
        const char *skipped;    /* meta.json: why it is not in files/ (static), or NULL */
        char *package;          /* packages.json: the crashed host's owner "name[:arch]", or NULL */
        char *package_version;  /* ... and its version, or NULL */
        bool is_exe;            /* holds the entry point (AT_PHDR) */
        Dwfl_Module *dwfl_mod;  /* its userdata points back here (the callbacks' context) */
        struct symbols *sym;    /* the set's, for the find_debuginfo callback */
};

/* More modules than any real process maps: the rest (beyond the
 * executable) are left out, as libdwfl's reporting is quadratic. */
#define MODULES_MAX 16384u

struct module_set {
        struct module *mods; /* sorted by start */
        size_t n;
        size_t n_dropped;    /* ELF modules left out past MODULES_MAX */
        struct core *core;
        struct symbols *sym;
};

/* Builds the set from the core's file mappings, with the build-ids and
 * skip reasons of the bundle's meta (may be NULL). exe (may be NULL) is the
 * executable given with --exe for a raw core: it is used for the module
 * holding the entry point. */
int modules_load(struct core *core, struct symbols *sym, const struct bundle_meta *meta, const char *exe,
                 struct module_set *ret);
/* Reports every module to dwfl (between dwfl_report_begin and _end). */
void modules_report(struct module_set *ms, Dwfl *dwfl);
struct module *modules_at(struct module_set *ms, uint64_t addr);
/* Reads file bytes of a module mapped at addr (for text not in the core). */
ssize_t modules_read_file(struct module_set *ms, uint64_t addr, void *buf, size_t len);
/* Fills the report's module table (after unwinding, so that debug info
 * lookups that libdwfl made are known). 0, or -ENOMEM (the table may be
 * partly filled: report_free frees it). */
int modules_to_report(struct module_set *ms, struct report *r, bool hints);
void modules_free(struct module_set *ms);

/* The find_elf callback for libdwfl, called for a module reported without
 * its file (none was found, or libdwfl refused it): the file the set found,
 * when its build-id is the module's, else -1 and no ELF. Never a path of
 * libdwfl's choosing: the paths in a core are the crashed machine's. */
int modules_find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                     char **file_name, Elf **elfp);
/* The find_debuginfo callback for libdwfl: symbols/ lookup order. Both
 * callbacks find their module through the Dwfl_Module's userdata, set by
 * modules_report. */
int modules_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
                           Dwarf_Addr base, const char *file_name, const char *debuglink_file,
                           GElf_Word debuglink_crc, char **debuginfo_file_name);
