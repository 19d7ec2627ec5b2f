/* A library loaded when first needed rather than linked (its start-up
 * cost, constructors and relocations, paid only by the runs that use it):
 * fleet/pq.c (libpq), symbols/debuginfod.c (libdebuginfod). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct dl_sym {
        void **fn; /* where the address goes */
        const char *name;
};

/* dlopen(lib) and every symbol of syms; true, or false with why in buf
 * (then no *fn is set). */
bool dl_load(const char *lib, const struct dl_sym *syms, size_t n, char *buf, size_t size);
