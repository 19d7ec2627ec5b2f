/* libdebuginfod, loaded when the first lookup asks a server (DEBUGINFOD_URLS
 * set): coreinspect does not link it, these functions of the same names
 * forward to it (common/dlload.h says why). Without the library,
 * debuginfod_begin() returns NULL, as it does when libdebuginfod cannot
 * start, and callers go on without debuginfod. */
#include <elfutils/debuginfod.h>

#include "dlload.h"

static struct {
        debuginfod_client *(*begin)(void);
        void (*end)(debuginfod_client *);
        int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
        int (*find_executable)(debuginfod_client *, const unsigned char *, int, char **);
        int (*find_source)(debuginfod_client *, const unsigned char *, int, const char *, char **);
        void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
        void (*set_user_data)(debuginfod_client *, void *);
        void *(*get_user_data)(debuginfod_client *);
        const char *(*get_url)(debuginfod_client *);
} fn;

static const struct dl_sym syms[] = {
        { "debuginfod_begin", (void **)&fn.begin },
        { "debuginfod_end", (void **)&fn.end },
        { "debuginfod_find_debuginfo", (void **)&fn.find_debuginfo },
        { "debuginfod_find_executable", (void **)&fn.find_executable },
        { "debuginfod_find_source", (void **)&fn.find_source },
        { "debuginfod_set_progressfn", (void **)&fn.set_progressfn },
        { "debuginfod_set_user_data", (void **)&fn.set_user_data },
        { "debuginfod_get_user_data", (void **)&fn.get_user_data },
        { "debuginfod_get_url", (void **)&fn.get_url },
};

static struct dl_lib lib = { .soname = "libdebuginfod.so.1", .syms = syms, .n_syms = sizeof(syms) / sizeof(syms[0]) };

/* Every function but debuginfod_begin takes a client, which only exists
 * once the library is loaded. */
debuginfod_client *debuginfod_begin(void)
{
        return dl_lib_load(&lib) ? fn.begin() : NULL;
}

void debuginfod_end(debuginfod_client *c)
{
        if (c)
                fn.end(c);
}

int debuginfod_find_debuginfo(debuginfod_client *c, const unsigned char *id, int id_len, char **path)
{
        return fn.find_debuginfo(c, id, id_len, path);
}

int debuginfod_find_executable(debuginfod_client *c, const unsigned char *id, int id_len, char **path)
{
        return fn.find_executable(c, id, id_len, path);
}

int debuginfod_find_source(debuginfod_client *c, const unsigned char *id, int id_len, const char *filename,
                           char **path)
{
        return fn.find_source(c, id, id_len, filename, path);
}

void debuginfod_set_progressfn(debuginfod_client *c, debuginfod_progressfn_t f)
{
        fn.set_progressfn(c, f);
}

void debuginfod_set_user_data(debuginfod_client *c, void *v)
{
        fn.set_user_data(c, v);
}

void *debuginfod_get_user_data(debuginfod_client *c)
{
        return fn.get_user_data(c);
}

const char *debuginfod_get_url(debuginfod_client *c)
{
        return fn.get_url(c);
}
