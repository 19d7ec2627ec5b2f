/* libpq, loaded when a PostgreSQL database is opened (pq_load), not when
 * the program starts: linked, libpq and what it pulls in (Kerberos, LDAP,
 * TLS) cost every run, also an SQLite `trends`, some 20 ms of CPU before
 * main (docs/performance.md, "Fleet index"). fleet.c calls the PQ*
 * functions by their names, which stand for the loaded ones here. Private
 * to fleet/. */
#pragma once

#include <libpq-fe.h>
#include <stdbool.h>

struct pq_api {
        PGconn *(*connectdb)(const char *);
        void (*finish)(PGconn *);
        ConnStatusType (*status)(const PGconn *);
        PGTransactionStatusType (*transactionStatus)(const PGconn *);
        char *(*errorMessage)(const PGconn *);
        PQnoticeProcessor (*setNoticeProcessor)(PGconn *, PQnoticeProcessor, void *);
        PGresult *(*exec)(PGconn *, const char *);
        PGresult *(*execParams)(PGconn *, const char *, int, const Oid *, const char *const *, const int *,
                                const int *, int);
        int (*sendQueryParams)(PGconn *, const char *, int, const Oid *, const char *const *, const int *,
                               const int *, int);
        PGresult *(*getResult)(PGconn *);
        int (*enterPipelineMode)(PGconn *);
        int (*exitPipelineMode)(PGconn *);
        int (*pipelineSync)(PGconn *);
        ExecStatusType (*resultStatus)(const PGresult *);
        char *(*resultErrorMessage)(const PGresult *);
        char *(*resultErrorField)(const PGresult *, int);
        int (*ntuples)(const PGresult *);
        int (*getisnull)(const PGresult *, int, int);
        char *(*getvalue)(const PGresult *, int, int);
        char *(*cmdTuples)(PGresult *);
        void (*clear)(PGresult *);
};
extern struct pq_api pq_api;

/* Loads libpq.so.5 once: true, or false with why in buf. */
bool pq_load(char *buf, size_t size);

#define PQconnectdb(...) pq_api.connectdb(__VA_ARGS__)
#define PQfinish(...) pq_api.finish(__VA_ARGS__)
#define PQstatus(...) pq_api.status(__VA_ARGS__)
#define PQtransactionStatus(...) pq_api.transactionStatus(__VA_ARGS__)
#define PQerrorMessage(...) pq_api.errorMessage(__VA_ARGS__)
#define PQsetNoticeProcessor(...) pq_api.setNoticeProcessor(__VA_ARGS__)
#define PQexec(...) pq_api.exec(__VA_ARGS__)
#define PQexecParams(...) pq_api.execParams(__VA_ARGS__)
#define PQsendQueryParams(...) pq_api.sendQueryParams(__VA_ARGS__)
#define PQgetResult(...) pq_api.getResult(__VA_ARGS__)
#define PQenterPipelineMode(...) pq_api.enterPipelineMode(__VA_ARGS__)
#define PQexitPipelineMode(...) pq_api.exitPipelineMode(__VA_ARGS__)
#define PQpipelineSync(...) pq_api.pipelineSync(__VA_ARGS__)
#define PQresultStatus(...) pq_api.resultStatus(__VA_ARGS__)
#define PQresultErrorMessage(...) pq_api.resultErrorMessage(__VA_ARGS__)
#define PQresultErrorField(...) pq_api.resultErrorField(__VA_ARGS__)
#define PQntuples(...) pq_api.ntuples(__VA_ARGS__)
#define PQgetisnull(...) pq_api.getisnull(__VA_ARGS__)
#define PQgetvalue(...) pq_api.getvalue(__VA_ARGS__)
#define PQcmdTuples(...) pq_api.cmdTuples(__VA_ARGS__)
/* PQclear(NULL) is a no-op in libpq; so it is here when libpq was never loaded */
#define PQclear(r) (pq_api.clear ? pq_api.clear(r) : (void)0)
