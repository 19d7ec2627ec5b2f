/* Is an ELF file safe to hand to libunwind? libunwind (1.6.2) maps a
 * backing file and follows its headers without bounds checks: the program
 * headers, .eh_frame_hdr (PT_GNU_EH_FRAME), the dynamic section (read up to
 * its DT_NULL) and the section headers. A file from a bundle made elsewhere
 * is untrusted: it goes to libunwind only when all of these lie inside it. */
#pragma once

#include <stdint.h>

#define ELFCHECK_PHNUM_MAX 4096u
#define ELFCHECK_SHNUM_MAX 65535u

/* 0 when fd (an x86-64 ELF file, read with pread) passes; -EBADMSG with
 * *why set to a static reason otherwise, -errno on read errors. */
int elf_check_image(int fd, const char **why);
