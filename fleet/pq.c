#include "pq.h"

#include "dl.h"

struct pq_api pq_api;

bool pq_load(char *buf, size_t size)
{
        if (pq_api.clear)
                return true;
        struct pq_api a;
        const struct dl_sym syms[] = {
                { (void **)&a.connectdb, "PQconnectdb" },
                { (void **)&a.finish, "PQfinish" },
                { (void **)&a.status, "PQstatus" },
                { (void **)&a.transactionStatus, "PQtransactionStatus" },
                { (void **)&a.errorMessage, "PQerrorMessage" },
                { (void **)&a.setNoticeProcessor, "PQsetNoticeProcessor" },
                { (void **)&a.exec, "PQexec" },
                { (void **)&a.execParams, "PQexecParams" },
                { (void **)&a.sendQueryParams, "PQsendQueryParams" },
                { (void **)&a.getResult, "PQgetResult" },
                { (void **)&a.enterPipelineMode, "PQenterPipelineMode" },
                { (void **)&a.exitPipelineMode, "PQexitPipelineMode" },
                { (void **)&a.pipelineSync, "PQpipelineSync" },
                { (void **)&a.resultStatus, "PQresultStatus" },
                { (void **)&a.resultErrorMessage, "PQresultErrorMessage" },
                { (void **)&a.resultErrorField, "PQresultErrorField" },
                { (void **)&a.ntuples, "PQntuples" },
                { (void **)&a.getisnull, "PQgetisnull" },
                { (void **)&a.getvalue, "PQgetvalue" },
                { (void **)&a.cmdTuples, "PQcmdTuples" },
                { (void **)&a.clear, "PQclear" },
        };
        if (!dl_load("libpq.so.5", syms, sizeof(syms) / sizeof(syms[0]), buf, size))
                return false;
        pq_api = a;
        return true;
}
