/* The crash classes: one enum, one table (rules/classes.c). The JSON
 * schema's class enum (docs/report.schema.json), docs/classes.md and the
 * corpus script's list are checked against this table by the unit suite
 * (tests/unit/check_classes.py). Adding a class: an enum value, a table
 * row (name, next steps, doc line), and those three files. */
#pragma once

enum crash_class {
        CLASS_NULL_DEREF,
        CLASS_BUFFER_OVERFLOW,
        CLASS_STACK_EXHAUSTION,
        CLASS_OOM,
        CLASS_DOUBLE_FREE,
        CLASS_USE_AFTER_FREE,
        CLASS_HEAP_CORRUPTION,
        CLASS_ABORT,
        CLASS_ASSERTION,
        CLASS_DIVISION_BY_ZERO,
        CLASS_ILLEGAL_INSTRUCTION,
        CLASS_BUS_ERROR,
        CLASS_WILD_JUMP,
        CLASS_EXTERNAL_SIGNAL,
        CLASS_UNKNOWN,
        CLASS_COUNT
};

struct crash_facts;
struct verdict;

struct crash_class_info {
        enum crash_class id;
        const char *name; /* the class id of the reports: "null-deref" */
        /* appends the class's next steps; run is the quoted command line
         * that reruns the program, ci the crash frame's index or -1 */
        void (*steps)(const struct crash_facts *f, struct verdict *v, int ci, const char *run);
        const char *doc;  /* one line: what the class means */
};

/* The row of c (the CLASS_UNKNOWN row for a value out of range). */
const struct crash_class_info *crash_class_info(enum crash_class c);
/* The class named name ("null-deref"); CLASS_UNKNOWN when none is. */
enum crash_class crash_class_from_name(const char *name);
