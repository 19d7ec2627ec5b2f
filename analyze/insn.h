/* The faulting instruction: decoded with capstone (x86-64) into the facts the
 * classifier reads (struct insn_facts): its text, which memory it touches and
 * how, and the special instructions (call/push/ret/div/ud2/int3). Pure code:
 * no I/O, the caller reads the bytes and the registers from the core. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "../rules/facts.h"

/* Decodes the instruction at pc from code[0..len) (x86-64; 15 bytes are
 * enough for any instruction, fewer are fine when the rest was unreadable).
 * regs are the crashing thread's registers in CREG_* order (CORE_NREGS of
 * them); fault_addr is si_addr when has_fault_addr.
 *
 * The memory operand reported is the one the instruction accesses: explicit
 * operands and the implicit stack slot of push/call ([rsp-8], written),
 * pop/ret ([rsp], read) and leave ([rbp], read). When there are several, the
 * one whose bytes contain fault_addr wins, else the explicit one. Its address
 * is computed from regs (base + index*scale + disp, rip-relative from the end
 * of the instruction, plus fs_base/gs_base for fs:/gs:). lea, nop and
 * prefetch do not access memory and report no memory operand.
 *
 * When has_fault_addr && pc == fault_addr the fetch itself faulted: access is
 * INSN_EXEC whatever the bytes decode to.
 *
 * *out is always reset first. Returns 0 (out->decoded set); -ENODATA when
 * len is 0 (out->access is still INSN_EXEC for a fetch fault); -EBADMSG when
 * the bytes are not an instruction; -EINVAL for NULL arguments; -ENOMEM when
 * capstone cannot be opened. Never logs. */
int insn_decode(const uint8_t *code, size_t len, uint64_t pc, const uint64_t regs[CORE_NREGS],
                uint64_t fault_addr, bool has_fault_addr, struct insn_facts *out);

/* Maps a register name as capstone prints it ("rax", "ecx", "r8d", "ah",
 * "rip") to its CREG_* index, the mask of its bits and their shift (8 for
 * ah/bh/ch/dh). Returns false for registers not in user_regs_struct (xmm,
 * segment selectors, ...). Exposed for tests. */
bool insn_reg_lookup(const char *name, int *ret_creg, uint64_t *ret_mask, unsigned *ret_shift);
