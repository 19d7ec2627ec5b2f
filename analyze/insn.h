/* The faulting instruction: decoded with capstone (x86-64) into the facts the
 * classifier reads (struct insn_facts): its text, which memory it touches and
 * how, and the special instructions (call/push/ret/div/ud2/int3). Pure code:
 * no I/O, the caller reads the bytes and the registers from the core. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

/* Reads len bytes of process memory at addr; returns the bytes read. */
typedef ssize_t (*insn_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/* Where the faulting instruction's base register base_reg got its value.
 * code[0..len) are the bytes of the crash function from its start
 * code_start up to at least the end of the instruction at pc. Decodes
 * linearly from the start (gives up unless an instruction starts exactly at
 * pc), keeps the straight run of code before pc (after the last branch,
 * call or ret, and from the last direct branch target on), and looks for the
 * last instruction of that run writing base_reg: it must be a 64-bit
 * `mov REG, qword ptr [mem]`. The address of [mem] is computed from the
 * registers as they were at the load: a register not written since reads
 * from regs; one written since (`mov rax, [rax + 8]` overwrote rax) only
 * when its own last writer was a load from memory the core still holds
 * (`mov rax, [rbp - 8]`) or a register move, and no instruction since
 * stored to memory. Finally the word at that address must equal base_reg's
 * value in regs. Sets out->found, reg, load_text, load_pc, src_addr, value;
 * leaves the chunk fields alone. Returns 0 when found, -ENOENT otherwise. */
int insn_pointer_load(const uint8_t *code, size_t len, uint64_t code_start, uint64_t pc,
                      const uint64_t regs[CORE_NREGS], const char *base_reg, insn_read_fn read, void *ctx,
                      struct ptr_load_facts *out);

/* Is the instruction that ends exactly at end (code[0..len) are the len
 * bytes before end) a call? Tries every start 2..min(len, 15) bytes before
 * end, shortest first, and takes one whose decoding is exactly that long.
 * Fills text ("call 0x1030") and *call_pc. Returns 0 when it is a call,
 * -ENOENT when not, -ENOMEM when capstone cannot be opened. */
int insn_call_ending_at(const uint8_t *code, size_t len, uint64_t end, char *text, size_t text_size,
                        uint64_t *call_pc);
