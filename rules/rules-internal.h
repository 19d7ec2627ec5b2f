/* Shared by the rules' files: verdict building helpers. */
#pragma once

#include <stdbool.h>

#include "classes.h"
#include "signature.h"
#include "verdict.h"

void v_set(struct verdict *v, enum crash_class c, const char *confidence, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void v_evidence(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void v_step(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool name_in(const char *name, char *const *patterns, size_t n);
/* "4.0 KiB", "8.0 MiB" */
const char *human_bytes(uint64_t v, char *buf, size_t size);

/* Next steps per class (steps.c). crash_index is the index of the crash
 * frame in f->frames (or -1). */
void steps_for(const struct crash_facts *f, struct verdict *v, int crash_index);

/* The next steps of each class (steps.c), the table's steps column. */
#define STEPS(name) void name(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
STEPS(steps_null_deref);
STEPS(steps_stack);
STEPS(steps_oom);
STEPS(steps_heap);
STEPS(steps_overflow);
STEPS(steps_abort);
STEPS(steps_assertion);
STEPS(steps_division);
STEPS(steps_illegal);
STEPS(steps_bus);
STEPS(steps_wild_jump);
STEPS(steps_external);
STEPS(steps_default);
#undef STEPS
