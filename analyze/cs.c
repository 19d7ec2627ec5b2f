#include "cs.h"

#include "dl.h"
#include "util.h"

struct cs_api cs_api;

bool cs_load(void)
{
        /* once, also when two threads analyse at the same time (the
         * analysis is reentrant: tests/unit/test_reentrant.c) */
        static struct dl_once once = DL_ONCE_INIT;
        const struct dl_sym syms[] = {
                { (void **)&cs_api.open, "cs_open" },
                { (void **)&cs_api.option, "cs_option" },
                { (void **)&cs_api.disasm, "cs_disasm" },
                { (void **)&cs_api.free, "cs_free" },
                { (void **)&cs_api.close, "cs_close" },
                { (void **)&cs_api.reg_name, "cs_reg_name" },
                { (void **)&cs_api.regs_access, "cs_regs_access" },
        };
        return dl_load_once(&once, "libcapstone.so.4", syms, ELEMENTSOF(syms), "no instruction is decoded");
}
