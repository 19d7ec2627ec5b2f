/* Shared by the rules' files: verdict building helpers. */
#pragma once

#include <stdbool.h>

#include "signature.h"
#include "verdict.h"

void v_set(struct verdict *v, const char *class_id, const char *confidence, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void v_evidence(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void v_step(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool name_in(const char *name, char *const *patterns, size_t n);
/* "4.0 KiB", "8.0 MiB" */
const char *human_bytes(uint64_t v, char *buf, size_t size);

/* Next steps per class (steps.c). crash_index is the index of the crash
 * frame in f->frames (or -1). */
void steps_for(const struct crash_facts *f, struct verdict *v, int crash_index);
