/* The source lines of the crash frame: the faulting line with two lines of
 * context either side, when the file can be found. Never an error: without
 * sources the report is the same minus the lines. */
#pragma once

#include <stddef.h>

#include "model.h"

struct symbols;

/* Finds the crash frame of r (the crashing thread's frame the verdict names,
 * else its first frame with a file:line) and attaches its lines
 * (frame->source). Lookup: under each of dirs (the DWARF path appended,
 * then its file name: the user's checkout first), then the DWARF path as
 * it is, then debuginfod's source
 * for the module's build-id (sym may be NULL). Each line at most
 * SOURCE_LINE_MAX bytes, tabs expanded; the text is the file's (escape it
 * for a terminal). */
void source_attach(struct report *r, const char *const *dirs, size_t n_dirs, struct symbols *sym);
