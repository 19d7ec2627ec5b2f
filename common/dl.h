/* A library loaded when first needed rather than linked (its start-up
 * cost, constructors and relocations, paid only by the runs that use it):
 * fleet/pq.c (libpq), symbols/debuginfod.c (libdebuginfod), analyze/cs.c
 * (capstone). */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct dl_sym {
        void **fn; /* where the address goes */
        const char *name;
};

/* dlopen(lib) and every symbol of syms; true, or false with why in buf
 * (then no *fn is set). */
bool dl_load(const char *lib, const struct dl_sym *syms, size_t n, char *buf, size_t size);

/* dl_load once for the whole process: the first caller loads, callers at
 * the same time wait for it, and every caller gets its answer (why it
 * failed in o->why; logged once at debug level with ", " and without,
 * what the program does without the library, unless without is NULL).
 * Its *fn are set before any caller sees true. */
struct dl_once {
        pthread_mutex_t lock;
        int state; /* 0 not tried, 1 loaded, -1 failed */
        char why[256];
};
#define DL_ONCE_INIT { PTHREAD_MUTEX_INITIALIZER, 0, "" }
bool dl_load_once(struct dl_once *o, const char *lib, const struct dl_sym *syms, size_t n, const char *without);
