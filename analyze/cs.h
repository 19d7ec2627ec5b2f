/* capstone, loaded when the first instruction is decoded (cs_load), not
 * when the program starts: linked, its 77,375 relative relocations cost
 * every run, a `trends` or an `index` that decodes nothing too, some 15 ms
 * of CPU before main on the VM of docs/performance.md. insn.c and
 * ptrload.c call the cs_* functions by their names, which stand for the
 * loaded ones here. Private to analyze/. */
#pragma once

#include <capstone/capstone.h>
#include <stdbool.h>

struct cs_api {
        cs_err (*open)(cs_arch, cs_mode, csh *);
        cs_err (*option)(csh, cs_opt_type, size_t);
        size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
        void (*free)(cs_insn *, size_t);
        cs_err (*close)(csh *);
        const char *(*reg_name)(csh, unsigned int);
        cs_err (*regs_access)(csh, const cs_insn *, cs_regs, uint8_t *, cs_regs, uint8_t *);
};
extern struct cs_api cs_api;

/* Loads libcapstone.so.4 once: true, or false (said once, at debug level:
 * then nothing is decoded, as when capstone cannot decode the bytes). An
 * index calls it before it forks its analyses, so that they share it. */
bool cs_load(void);

/* cs_open fails (CS_ERR_MEM) when capstone could not be loaded; every
 * other call follows a cs_open that succeeded. */
#define cs_open(...) (cs_load() ? cs_api.open(__VA_ARGS__) : CS_ERR_MEM)
#define cs_option(...) cs_api.option(__VA_ARGS__)
#define cs_disasm(...) cs_api.disasm(__VA_ARGS__)
#define cs_free(...) cs_api.free(__VA_ARGS__)
#define cs_close(...) cs_api.close(__VA_ARGS__)
#define cs_reg_name(...) cs_api.reg_name(__VA_ARGS__)
#define cs_regs_access(...) cs_api.regs_access(__VA_ARGS__)
