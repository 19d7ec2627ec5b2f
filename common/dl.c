#include "dl.h"

#include <dlfcn.h>
#include <stdio.h>

#include "util.h"

bool dl_load(const char *lib, const struct dl_sym *syms, size_t n, char *buf, size_t size)
{
        void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
                snprintf(buf, size, "cannot load %s: %s", lib, dlerror());
                return false;
        }
        void *fn[64];
        if (n > sizeof(fn) / sizeof(fn[0])) {
                snprintf(buf, size, "cannot load %s: too many symbols", lib);
                return false;
        }
        for (size_t i = 0; i < n; i++)
                if (!(fn[i] = dlsym(h, syms[i].name))) {
                        snprintf(buf, size, "cannot load %s: no %s", lib, syms[i].name);
                        return false;
                }
        for (size_t i = 0; i < n; i++)
                *syms[i].fn = fn[i];
        return true;
}

bool dl_load_once(struct dl_once *o, const char *lib, const struct dl_sym *syms, size_t n, const char *without)
{
        pthread_mutex_lock(&o->lock);
        if (!o->state) {
                o->state = dl_load(lib, syms, n, o->why, sizeof(o->why)) ? 1 : -1;
                if (o->state < 0 && without)
                        log_debug("%s; %s", o->why, without);
        }
        bool ok = o->state > 0;
        pthread_mutex_unlock(&o->lock);
        return ok;
}
