#include "dlload.h"

#include <dlfcn.h>
#include <stdio.h>

#include "util.h"

bool dl_lib_load(struct dl_lib *lib)
{
        if (lib->tried)
                return lib->handle != NULL;
        lib->tried = true;
        void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
                const char *e = dlerror();
                snprintf(lib->error, sizeof(lib->error), "%s", e ? e : lib->soname);
                log_debug("cannot load %s: %s", lib->soname, lib->error);
                return false;
        }
        for (size_t i = 0; i < lib->n_syms; i++) {
                void *p = dlsym(h, lib->syms[i].name);
                if (!p) {
                        snprintf(lib->error, sizeof(lib->error), "%s has no %s", lib->soname,
                                 lib->syms[i].name);
                        log_debug("%s", lib->error);
                        dlclose(h);
                        for (size_t k = 0; k < i; k++)
                                *lib->syms[k].ptr = NULL;
                        return false;
                }
                *lib->syms[i].ptr = p;
        }
        lib->handle = h;
        return true;
}
