#include "cs.h"

#include "dl.h"
#include "util.h"

struct cs_api cs_api;

bool cs_load(void)
{
        static int loaded; /* 0 not tried, 1 loaded, -1 failed */
        if (loaded)
                return loaded > 0;
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
        loaded = dl_load("libcapstone.so.4", syms, ELEMENTSOF(syms), why, sizeof(why)) ? 1 : -1;
        if (loaded > 0)
                cs_api = a;
        else
                log_debug("%s; no instruction is decoded", why);
        return loaded > 0;
}
