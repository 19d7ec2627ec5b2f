#include "pq.h"

#include <dlfcn.h>
#include <stdio.h>

struct pq_api pq_api;

bool pq_load(char *buf, size_t size)
{
        static void *lib;
        if (pq_api.clear)
                return true;
        if (!lib)
                lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
                snprintf(buf, size, "cannot load libpq: %s", dlerror());
                return false;
        }
        struct pq_api a;
        const struct {
                void **fn;
                const char *name;
        } syms[] = {
                { (void **)&a.connectdb, "PQconnectdb" },
                { (void **)&a.finish, "PQfinish" },
                { (void **)&a.status, "PQstatus" },
                { (void **)&a.errorMessage, "PQerrorMessage" },
                { (void **)&a.setNoticeProcessor, "PQsetNoticeProcessor" },
                { (void **)&a.exec, "PQexec" },
                { (void **)&a.execParams, "PQexecParams" },
                { (void **)&a.resultStatus, "PQresultStatus" },
                { (void **)&a.resultErrorMessage, "PQresultErrorMessage" },
                { (void **)&a.resultErrorField, "PQresultErrorField" },
                { (void **)&a.ntuples, "PQntuples" },
                { (void **)&a.getisnull, "PQgetisnull" },
                { (void **)&a.getvalue, "PQgetvalue" },
                { (void **)&a.cmdTuples, "PQcmdTuples" },
                { (void **)&a.clear, "PQclear" },
        };
        for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
                if (!(*syms[i].fn = dlsym(lib, syms[i].name))) {
                        snprintf(buf, size, "cannot load libpq: no %s", syms[i].name);
                        return false;
                }
        pq_api = a;
        return true;
}
