/* The compile units of a module by address, for DWARF that has no
 * .debug_aranges. clang 14 (Debian 12's) writes none by default, and
 * libdw/libdwfl 0.188 find a CU only through them: dwfl_module_getsrc and
 * dwfl_module_addrdie return nothing, so every frame of a clang-built
 * program would lose its file:line and its inline frames. */
#pragma once

#include <elfutils/libdwfl.h>

struct cu_index;

struct cu_index *cu_index_new(void);
void cu_index_free(struct cu_index *ix);

/* The CU DIE of dm that covers addr (an address of the process), built
 * from the CUs' DW_AT_low_pc/high_pc/ranges on first use of dm; stored in
 * *out. *bias is the module's load bias. NULL when no CU covers addr, the
 * module has no DWARF, or the table could not be built. */
Dwarf_Die *cu_index_find(struct cu_index *ix, Dwfl_Module *dm, Dwarf_Addr addr, Dwarf_Die *out, Dwarf_Addr *bias);
