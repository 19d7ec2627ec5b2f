/* Gathering struct crash_facts (rules/facts.h) once, from the core, the
 * bundle's members and the unwound report, for the classifier. */
#pragma once

#include "../rules/facts.h"
#include "core.h"
#include "input.h"
#include "model.h"
#include "unwind.h"

/* Everything facts point into that must outlive the classification. */
struct facts_store {
        struct map_entry *maps;
        size_t n_maps;
        char *maps_text;
        char *status_text;
        char *abort_msg;
        char *exception_type;
        char *oom_line;
        char *fell_off_function;
};

void facts_gather(struct crash_facts *f, struct facts_store *st, struct report *r, struct input *in,
                  struct core *c, struct unwinder *u);
void facts_gather_nocore(struct crash_facts *f, struct facts_store *st, struct report *r, struct input *in,
                         long long cgroup_limit, long long cgroup_peak);
void facts_store_free(struct facts_store *st, struct crash_facts *f);
