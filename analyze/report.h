/* Renders the report: readable text and JSON (schema in docs/json-schema.md),
 * both from struct report. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

void report_print_text(const struct report *r, FILE *out);
void report_print_json(const struct report *r, FILE *out);
