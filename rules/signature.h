/* Crash signatures: one short string that is the same for the same bug, run
 * after run and machine after machine, and differs between bugs. Pure
 * functions over the facts and the verdict; see docs/classes.md. */
#pragma once

#include <stddef.h>

#include "facts.h"

struct verdict;

/* A function name without the suffixes compilers add to their copies of it
 * (`.cold`, `.isra.0`, `.constprop.0`, `.part.0`, `.lto_priv.0`, C++'s
 * ` [clone .constprop.0]`): the name the programmer wrote. */
void rules_function_base(const char *fn, char *buf, size_t size);

/* Fills v->signature and v->signature_text from the facts, the verdict's
 * class and ci, the index of the crash frame (-1 when there are no frames). */
void rules_signature(const struct crash_facts *f, int ci, struct verdict *v);
