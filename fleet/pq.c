#include "pq.h"

#include <stdio.h>

#include "dl.h"

struct pq_api pq_api;

bool pq_load(char *buf, size_t size)
{
        static struct dl_once once = DL_ONCE_INIT;
        const struct dl_sym syms[] = {
                { (void **)&pq_api.connectdb, "PQconnectdb" },
                { (void **)&pq_api.finish, "PQfinish" },
                { (void **)&pq_api.status, "PQstatus" },
                { (void **)&pq_api.transactionStatus, "PQtransactionStatus" },
                { (void **)&pq_api.errorMessage, "PQerrorMessage" },
                { (void **)&pq_api.setNoticeProcessor, "PQsetNoticeProcessor" },
                { (void **)&pq_api.exec, "PQexec" },
                { (void **)&pq_api.execParams, "PQexecParams" },
                { (void **)&pq_api.sendQueryParams, "PQsendQueryParams" },
                { (void **)&pq_api.getResult, "PQgetResult" },
                { (void **)&pq_api.enterPipelineMode, "PQenterPipelineMode" },
                { (void **)&pq_api.exitPipelineMode, "PQexitPipelineMode" },
                { (void **)&pq_api.pipelineSync, "PQpipelineSync" },
                { (void **)&pq_api.resultStatus, "PQresultStatus" },
                { (void **)&pq_api.resultErrorMessage, "PQresultErrorMessage" },
                { (void **)&pq_api.resultErrorField, "PQresultErrorField" },
                { (void **)&pq_api.ntuples, "PQntuples" },
                { (void **)&pq_api.getisnull, "PQgetisnull" },
                { (void **)&pq_api.getvalue, "PQgetvalue" },
                { (void **)&pq_api.cmdTuples, "PQcmdTuples" },
                { (void **)&pq_api.clear, "PQclear" },
        };
        if (dl_load_once(&once, "libpq.so.5", syms, sizeof(syms) / sizeof(syms[0]), NULL))
                return true;
        snprintf(buf, size, "%s", once.why);
        return false;
}
