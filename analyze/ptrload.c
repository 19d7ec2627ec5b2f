/* Where a faulting pointer came from: the load before the faulting
 * instruction that put it in its base register (insn_pointer_load, see
 * insn.h). The straight run of code before pc is read backwards; nothing is
 * assumed about code that may not have run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cs.h"
#include "insn.h"
#include "util.h"

#define PTRLOAD_WINDOW 16   /* instructions looked at before pc */
#define PTRLOAD_DEPTH 4     /* loads followed back through memory */

struct run {
        csh h;
        cs_insn *insns;     /* the run, insns[n] is the faulting one */
        size_t n;
        const uint64_t *regs;
        insn_read_fn read;
        void *ctx;
};

/* Does instruction i write (any part of) register creg? */
static bool writes_reg(const struct run *r, size_t i, int creg)
{
        cs_regs rd, wr;
        uint8_t nrd, nwr;
        if (cs_regs_access(r->h, &r->insns[i], rd, &nrd, wr, &nwr) != CS_ERR_OK)
                return true; /* unknown: assume it does */
        for (uint8_t k = 0; k < nwr; k++) {
                int c;
                if (insn_reg_lookup(cs_reg_name(r->h, wr[k]), &c, NULL, NULL) && c == creg)
                        return true;
        }
        return false;
}

/* Does instruction i store to memory (an explicit operand written, or
 * push/call)? Unknown counts as yes. */
static bool stores(const struct run *r, size_t i)
{
        const cs_insn *in = &r->insns[i];
        const cs_x86 *x = &in->detail->x86;
        switch (in->id) {
        case X86_INS_PUSH: case X86_INS_CALL: case X86_INS_STOSB: case X86_INS_STOSW:
        case X86_INS_STOSD: case X86_INS_STOSQ: case X86_INS_MOVSB: case X86_INS_MOVSW:
        case X86_INS_MOVSD: case X86_INS_MOVSQ:
                return true;
        case X86_INS_LEA: case X86_INS_NOP:
                return false;
        default:
                break;
        }
        for (int k = 0; k < x->op_count; k++)
                if (x->operands[k].type == X86_OP_MEM &&
                    ((x->operands[k].access & CS_AC_WRITE) || (k == 0 && x->op_count >= 2) || x->op_count == 1))
                        return true;
        return false;
}

static bool value_before(const struct run *r, int creg, size_t idx, unsigned depth, uint64_t *ret);

/* The address of memory operand op of instruction k, from register values
 * before k. */
static bool mem_address(const struct run *r, size_t k, const cs_x86_op *op, unsigned depth, uint64_t *ret)
{
        uint64_t base = 0, index = 0;
        int c;
        if (op->mem.segment != X86_REG_INVALID)
                return false; /* fs:/gs: bases: not followed */
        if (op->mem.base == X86_REG_RIP)
                base = r->insns[k].address + r->insns[k].size;
        else if (op->mem.base != X86_REG_INVALID) {
                uint64_t mask;
                unsigned shift;
                if (!insn_reg_lookup(cs_reg_name(r->h, op->mem.base), &c, &mask, &shift) || mask != UINT64_MAX ||
                    !value_before(r, c, k, depth, &base))
                        return false;
        }
        if (op->mem.index != X86_REG_INVALID) {
                uint64_t mask;
                unsigned shift;
                if (!insn_reg_lookup(cs_reg_name(r->h, op->mem.index), &c, &mask, &shift) || mask != UINT64_MAX ||
                    !value_before(r, c, k, depth, &index))
                        return false;
        }
        *ret = base + index * (uint64_t)(int64_t)op->mem.scale + (uint64_t)op->mem.disp;
        return true;
}

/* Instruction k is `mov REG64, qword ptr [mem]` loading register creg. */
static const cs_x86_op *load_of(const struct run *r, size_t k, int creg)
{
        const cs_insn *in = &r->insns[k];
        const cs_x86 *x = &in->detail->x86;
        int c;
        uint64_t mask;
        unsigned shift;
        if (in->id != X86_INS_MOV || x->op_count != 2 || x->operands[0].type != X86_OP_REG ||
            x->operands[1].type != X86_OP_MEM || x->operands[1].size != 8)
                return NULL;
        if (!insn_reg_lookup(cs_reg_name(r->h, x->operands[0].reg), &c, &mask, &shift) || c != creg ||
            mask != UINT64_MAX)
                return NULL;
        return &x->operands[1];
}

/* The value of register creg (all 64 bits) just before instruction idx of
 * the run runs. */
static bool value_before(const struct run *r, int creg, size_t idx, unsigned depth, uint64_t *ret)
{
        bool written_since = false;
        for (size_t i = idx; i < r->n && !written_since; i++)
                written_since = writes_reg(r, i, creg);
        if (!written_since) {
                *ret = r->regs[creg];
                return true;
        }
        if (depth == 0)
                return false;
        size_t k = idx;
        while (k > 0 && !writes_reg(r, k - 1, creg))
                k--;
        if (k == 0)
                return false; /* its writer is before the run */
        k--;
        const cs_x86 *x = &r->insns[k].detail->x86;
        const cs_x86_op *src = load_of(r, k, creg);
        if (src) {
                uint64_t addr, v;
                for (size_t i = k + 1; i < r->n; i++)
                        if (stores(r, i))
                                return false; /* the memory may have changed since */
                if (!mem_address(r, k, src, depth - 1, &addr) || r->read(r->ctx, addr, &v, 8) != 8)
                        return false;
                *ret = v;
                return true;
        }
        /* mov REG64, REG64 */
        int c;
        uint64_t mask;
        unsigned shift;
        if (r->insns[k].id == X86_INS_MOV && x->op_count == 2 && x->operands[0].type == X86_OP_REG &&
            x->operands[1].type == X86_OP_REG &&
            insn_reg_lookup(cs_reg_name(r->h, x->operands[1].reg), &c, &mask, &shift) && mask == UINT64_MAX &&
            insn_reg_lookup(cs_reg_name(r->h, x->operands[0].reg), NULL, &mask, &shift) && mask == UINT64_MAX)
                return value_before(r, c, k, depth - 1, ret);
        return false;
}

static bool control_flow(const cs_insn *in)
{
        for (uint8_t g = 0; g < in->detail->groups_count; g++)
                switch (in->detail->groups[g]) {
                case X86_GRP_JUMP: case X86_GRP_CALL: case X86_GRP_RET: case X86_GRP_INT: case X86_GRP_IRET:
                        return true;
                default:
                        break;
                }
        return false;
}

/* The direct target of a jump, or 0. */
static uint64_t jump_target(const cs_insn *in)
{
        const cs_x86 *x = &in->detail->x86;
        for (uint8_t g = 0; g < in->detail->groups_count; g++)
                if (in->detail->groups[g] == X86_GRP_JUMP && x->op_count == 1 && x->operands[0].type == X86_OP_IMM)
                        return (uint64_t)x->operands[0].imm;
        return 0;
}

int insn_pointer_load(const uint8_t *code, size_t len, uint64_t code_start, uint64_t pc,
                      const uint64_t regs[CORE_NREGS], const char *base_reg, insn_read_fn read, void *ctx,
                      struct ptr_load_facts *out)
{
        struct run r = { .regs = regs, .read = read, .ctx = ctx };
        int creg, ret = -ENOENT;
        uint64_t mask;
        unsigned shift;

        if (!code || !regs || !base_reg || !read || !out || pc < code_start || pc - code_start >= len)
                return -EINVAL;
        if (!insn_reg_lookup(base_reg, &creg, &mask, &shift) || mask != UINT64_MAX || creg == CREG_RIP)
                return -ENOENT;
        if (cs_open(CS_ARCH_X86, CS_MODE_64, &r.h) != CS_ERR_OK)
                return -ENOMEM;
        cs_option(r.h, CS_OPT_DETAIL, CS_OPT_ON);
        size_t total = cs_disasm(r.h, code, len, code_start, 0, &r.insns);
        size_t n = 0;
        while (n < total && r.insns[n].address < pc)
                n++;
        if (n == total || r.insns[n].address != pc)
                goto done; /* linear decoding does not meet pc: data in the code, or a wrong start */
        /* the straight run before pc: after the last control transfer, from
         * the last direct jump target on (code before it may not have run) */
        size_t w = n;
        while (w > 0 && n - w < PTRLOAD_WINDOW && !control_flow(&r.insns[w - 1]))
                w--;
        for (size_t i = 0; i < total; i++) {
                uint64_t t = jump_target(&r.insns[i]);
                for (size_t j = w + 1; t && j <= n; j++)
                        if (r.insns[j].address == t)
                                w = j;
        }
        /* view the run as insns[w..n] */
        cs_insn *all = r.insns;
        r.insns = all + w;
        r.n = n - w;
        size_t k = r.n;
        while (k > 0 && !writes_reg(&r, k - 1, creg))
                k--;
        if (k > 0) {
                k--;
                const cs_x86_op *src = load_of(&r, k, creg);
                uint64_t addr, v;
                if (src && mem_address(&r, k, src, PTRLOAD_DEPTH, &addr) && read(ctx, addr, &v, 8) == 8 &&
                    v == regs[creg]) {
                        out->found = true;
                        snprintf(out->reg, sizeof(out->reg), "%s", base_reg);
                        snprintf(out->load_text, sizeof(out->load_text), "%.31s %.63s", r.insns[k].mnemonic,
                                 r.insns[k].op_str);
                        out->load_pc = r.insns[k].address;
                        out->src_addr = addr;
                        out->value = v;
                        ret = 0;
                }
        }
        r.insns = all;
done:
        if (total)
                cs_free(r.insns, total);
        cs_close(&r.h);
        return ret;
}
