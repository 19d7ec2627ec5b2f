/* Loading a shared library on first use (dlopen), for libraries most runs
 * never call: linked normally, libpq and libdebuginfod bring some 30
 * libraries (Kerberos, LDAP, curl, GnuTLS) whose loading and relocation
 * cost every coreinspect run 18 M instructions before main (callgrind). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct dl_sym {
        const char *name;
        void **ptr; /* where dlsym's answer goes */
};

struct dl_lib {
        const char *soname; /* e.g. "libpq.so.5" */
        const struct dl_sym *syms;
        size_t n_syms;
        /* state: filled by dl_lib_load */
        bool tried;
        void *handle;
        char error[160]; /* why it could not be loaded */
};

/* Opens the library and resolves every symbol, once per process (later
 * calls return the first answer). false when the library or one of the
 * symbols is missing: then no pointer is set and lib->error says why. Not
 * thread-safe. */
bool dl_lib_load(struct dl_lib *lib);
