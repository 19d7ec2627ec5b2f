/* The classifier's output and entry point. Pure functions: a verdict from
 * facts and tables, no I/O. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "classes.h"
#include "facts.h"
#include "tables.h"

#define VERDICT_MAX_EVIDENCE 16
#define VERDICT_MAX_STEPS 8

struct verdict {
        enum crash_class klass;
        const char *class_id;           /* its name, "null-deref", ... (static string) */
        char detail[512];
        const char *confidence;         /* "high", "medium", "low" */
        char *evidence[VERDICT_MAX_EVIDENCE];
        size_t n_evidence;
        char *next_steps[VERDICT_MAX_STEPS];
        size_t n_next_steps;
        const char *crash_frame;        /* the first frame that is not runtime noise */
        char signature[17];             /* 16 hex digits: the same bug, the same value */
        char signature_text[512];       /* what it is the hash of (rules/signature.c) */
        bool argv_overwritten;          /* the command line read from the process was
                                         * overwritten (an overflow ran off the top of
                                         * [stack], where it lives): the next steps rerun
                                         * the executable without it. (Odd bytes in argv
                                         * alone prove nothing: the process chose them.) */
};

/* Classifies f. tables may be NULL (built-in defaults). Always fills v
 * (class "unknown" at worst). */
void rules_classify(const struct crash_facts *f, const struct rules_tables *tables,
                    struct verdict *v);
void verdict_free(struct verdict *v);
