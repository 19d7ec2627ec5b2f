/* libpq, loaded when a database URL first names PostgreSQL: coreinspect
 * does not link it, these functions of the same names forward to it
 * (common/dlload.h says why). Without the library PQconnectdb() returns
 * NULL and PQerrorMessage(NULL) says why; every other function takes a
 * connection or a result, which only exist once it is loaded, and answers
 * NULL ones as libpq does. */
#include <libpq-fe.h>

#include "dlload.h"

static struct {
        PGconn *(*connectdb)(const char *);
        void (*finish)(PGconn *);
        ConnStatusType (*status)(const PGconn *);
        char *(*error_message)(const PGconn *);
        PQnoticeProcessor (*set_notice_processor)(PGconn *, PQnoticeProcessor, void *);
        PGresult *(*exec)(PGconn *, const char *);
        PGresult *(*exec_params)(PGconn *, const char *, int, const Oid *, const char *const *, const int *,
                                 const int *, int);
        ExecStatusType (*result_status)(const PGresult *);
        char *(*result_error_message)(const PGresult *);
        char *(*result_error_field)(const PGresult *, int);
        int (*ntuples)(const PGresult *);
        char *(*cmd_tuples)(PGresult *);
        char *(*getvalue)(const PGresult *, int, int);
        int (*getisnull)(const PGresult *, int, int);
        void (*clear)(PGresult *);
} fn;

static const struct dl_sym syms[] = {
        { "PQconnectdb", (void **)&fn.connectdb },
        { "PQfinish", (void **)&fn.finish },
        { "PQstatus", (void **)&fn.status },
        { "PQerrorMessage", (void **)&fn.error_message },
        { "PQsetNoticeProcessor", (void **)&fn.set_notice_processor },
        { "PQexec", (void **)&fn.exec },
        { "PQexecParams", (void **)&fn.exec_params },
        { "PQresultStatus", (void **)&fn.result_status },
        { "PQresultErrorMessage", (void **)&fn.result_error_message },
        { "PQresultErrorField", (void **)&fn.result_error_field },
        { "PQntuples", (void **)&fn.ntuples },
        { "PQcmdTuples", (void **)&fn.cmd_tuples },
        { "PQgetvalue", (void **)&fn.getvalue },
        { "PQgetisnull", (void **)&fn.getisnull },
        { "PQclear", (void **)&fn.clear },
};

static struct dl_lib lib = { .soname = "libpq.so.5", .syms = syms, .n_syms = sizeof(syms) / sizeof(syms[0]) };

static char empty[1];

PGconn *PQconnectdb(const char *conninfo)
{
        return dl_lib_load(&lib) ? fn.connectdb(conninfo) : NULL;
}

void PQfinish(PGconn *c)
{
        if (c)
                fn.finish(c);
}

ConnStatusType PQstatus(const PGconn *c)
{
        return c ? fn.status(c) : CONNECTION_BAD;
}

char *PQerrorMessage(const PGconn *c)
{
        if (c)
                return fn.error_message(c);
        return lib.tried && !lib.handle ? lib.error : (char *)"connection pointer is NULL\n";
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn *c, PQnoticeProcessor proc, void *arg)
{
        return c ? fn.set_notice_processor(c, proc, arg) : NULL;
}

PGresult *PQexec(PGconn *c, const char *query)
{
        return c ? fn.exec(c, query) : NULL;
}

PGresult *PQexecParams(PGconn *c, const char *command, int n, const Oid *types, const char *const *values,
                       const int *lengths, const int *formats, int result_format)
{
        return c ? fn.exec_params(c, command, n, types, values, lengths, formats, result_format) : NULL;
}

ExecStatusType PQresultStatus(const PGresult *r)
{
        return r ? fn.result_status(r) : PGRES_FATAL_ERROR;
}

char *PQresultErrorMessage(const PGresult *r)
{
        return r ? fn.result_error_message(r) : empty;
}

char *PQresultErrorField(const PGresult *r, int field)
{
        return r ? fn.result_error_field(r, field) : NULL;
}

int PQntuples(const PGresult *r)
{
        return r ? fn.ntuples(r) : 0;
}

char *PQcmdTuples(PGresult *r)
{
        return r ? fn.cmd_tuples(r) : empty;
}

char *PQgetvalue(const PGresult *r, int row, int col)
{
        return r ? fn.getvalue(r, row, col) : NULL;
}

int PQgetisnull(const PGresult *r, int row, int col)
{
        return r ? fn.getisnull(r, row, col) : 1;
}

void PQclear(PGresult *r)
{
        if (r)
                fn.clear(r);
}
