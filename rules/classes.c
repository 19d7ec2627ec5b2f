#include "classes.h"

#include <string.h>

#include "rules-internal.h"

/* In enum order: crash_class_info() indexes it. */
static const struct crash_class_info classes[CLASS_COUNT] = {
        { CLASS_NULL_DEREF, "null-deref", steps_null_deref,
          "a load, store or call through a NULL pointer (plus a field offset)" },
        { CLASS_BUFFER_OVERFLOW, "buffer-overflow", steps_overflow,
          "a write past the end of a buffer: stack protector, _FORTIFY_SOURCE, a heap chunk's neighbour, the end of a mapping" },
        { CLASS_STACK_EXHAUSTION, "stack-exhaustion", steps_stack,
          "the stack ran out: recursion, or a frame larger than the stack (alloca, VLA)" },
        { CLASS_OOM, "oom", steps_oom,
          "out of memory: the kernel's OOM killer, RLIMIT_AS/RLIMIT_DATA, std::bad_alloc" },
        { CLASS_DOUBLE_FREE, "double-free", steps_heap,
          "a chunk freed twice (glibc's tcache or fastbin check)" },
        { CLASS_USE_AFTER_FREE, "use-after-free", steps_heap,
          "freed memory read or written: a free-list link used as a pointer, or a freed chunk written" },
        { CLASS_HEAP_CORRUPTION, "heap-corruption", steps_heap,
          "damaged allocator metadata with no visible culprit" },
        { CLASS_ABORT, "abort", steps_abort,
          "abort() called by the program (an uncaught C++ exception included)" },
        { CLASS_ASSERTION, "assertion", steps_assertion,
          "a failed assert(): the message names the condition, file and line" },
        { CLASS_DIVISION_BY_ZERO, "division-by-zero", steps_division,
          "an integer division by zero, or INT_MIN / -1" },
        { CLASS_ILLEGAL_INSTRUCTION, "illegal-instruction", steps_illegal,
          "an instruction the CPU refused: ud2 traps, privileged instructions, unsupported CPU features" },
        { CLASS_BUS_ERROR, "bus-error", steps_bus,
          "SIGBUS: typically an access past the end of a file truncated while mapped" },
        { CLASS_WILD_JUMP, "wild-jump", steps_wild_jump,
          "execution went to a bad address: a corrupted function pointer or return address, executing data" },
        { CLASS_EXTERNAL_SIGNAL, "external-signal", steps_external,
          "a signal sent by a process (kill, tgkill), not a fault of the program" },
        { CLASS_UNKNOWN, "unknown", steps_default,
          "the facts do not decide a class; the detail says what is known" },
};

const struct crash_class_info *crash_class_info(enum crash_class c)
{
        return (unsigned)c < CLASS_COUNT ? &classes[c] : &classes[CLASS_UNKNOWN];
}

enum crash_class crash_class_from_name(const char *name)
{
        for (unsigned i = 0; name && i < CLASS_COUNT; i++)
                if (strcmp(classes[i].name, name) == 0)
                        return classes[i].id;
        return CLASS_UNKNOWN;
}
