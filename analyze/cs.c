#include "cs.h"

#include <pthread.h>

#include "dl.h"
#include "util.h"

struct cs_api cs_api;

static bool loaded;

static void load(void)
{
        struct cs_api a;
        const struct dl_sym syms[] = {
                { (void **)&a.open, "cs_open" },
                { (void **)&a.option, "cs_option" },
                { (void **)&a.disasm, "cs_disasm" },
                { (void **)&a.free, "cs_free" },
                { (void **)&a.close, "cs_close" },
                { (void **)&a.reg_name, "cs_reg_name" },
                { (void **)&a.regs_access, "cs_regs_access" },
        };
        char why[256];
        loaded = dl_load("libcapstone.so.4", syms, ELEMENTSOF(syms), why, sizeof(why));
        if (loaded)
                cs_api = a;
        else
                log_debug("%s; no instruction is decoded", why);
}

bool cs_load(void)
{
        /* once, also when two threads analyse at the same time (the
         * analysis is reentrant: tests/unit/test_reentrant.c) */
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, load);
        return loaded;
}
