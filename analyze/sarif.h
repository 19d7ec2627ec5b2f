/* SARIF 2.1.0 rendering of a report, for CI systems that show results next
 * to the code (GitHub code scanning, GitLab, Azure DevOps). */
#pragma once

#include <stdio.h>

#include "model.h"

/* One run of tool "coreinspect" with one result for the crash: ruleId the
 * class, message the detail, location the crash frame's file:line (a
 * logical location, the function, when the file is unknown), related
 * locations the crashing thread's other frames with a file:line,
 * partialFingerprints the signature. */
void report_print_sarif(const struct report *r, FILE *out);
