/* Reading the few facts we need from an ELF file with libelf: the GNU
 * build-id, the .gnu_debuglink name, whether it carries .debug_info, and
 * whether it has code (a real executable, not a debug-only file). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>

#include "elfparse.h"
#include "symbols-internal.h"
#include "util.h"

static inline void elf_endp(Elf **e)
{
        if (*e)
                elf_end(*e);
}

/* -EBADMSG if fd is not an ELF file. libelf reads with pread/mmap, so the
 * file offset of fd is left alone. */
static int elf_open_fd(int fd, Elf **ret)
{
        if (elf_version(EV_CURRENT) == EV_NONE)
                return -ENOSYS;
        Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
        if (!e)
                return -EBADMSG;
        if (elf_kind(e) != ELF_K_ELF) {
                elf_end(e);
                return -EBADMSG;
        }
        *ret = e;
        return 0;
}

/* Looks for the GNU build-id in one block of notes (common/elfparse's
 * iterator: the one note parser). 1 found, 0 not, -ENOMEM. */
static int notes_build_id(Elf_Data *d, size_t align, char **ret_hex)
{
        if (!d || !d->d_buf)
                return 0;
        struct elf_notes it;
        struct elf_note note;
        char hex[2 * BUILD_ID_MAX + 1];
        elf_notes_init(&it, d->d_buf, d->d_size, align);
        while (elf_notes_next(&it, &note) > 0) {
                if (!elf_note_build_id(&note, hex))
                        continue;
                if (!(*ret_hex = strdup(hex)))
                        return -ENOMEM;
                return 1;
        }
        return 0;
}

static int libelf_build_id(Elf *e, char **ret_hex)
{
        Elf_Scn *scn = NULL;
        GElf_Shdr sh;
        int r;

        /* Sections first: a debug-only file keeps its note sections but its
         * program headers point at data it no longer has. */
        while ((scn = elf_nextscn(e, scn))) {
                if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
                        continue;
                r = notes_build_id(elf_getdata(scn, NULL), (size_t)sh.sh_addralign, ret_hex);
                if (r != 0)
                        return r < 0 ? r : 0;
        }

        /* Files whose section headers were stripped (sstrip). */
        size_t n_ph;
        if (elf_getphdrnum(e, &n_ph) < 0)
                return -ENOENT;
        for (size_t i = 0; i < n_ph; i++) {
                GElf_Phdr ph;
                if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_NOTE || ph.p_filesz == 0)
                        continue;
                Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz,
                                                   ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
                r = notes_build_id(d, (size_t)ph.p_align, ret_hex);
                if (r != 0)
                        return r < 0 ? r : 0;
        }
        return -ENOENT;
}

int symbols_elf_build_id(int fd, char **ret_hex)
{
        _cleanup_(elf_endp) Elf *e = NULL;
        int r = elf_open_fd(fd, &e);
        if (r < 0)
                return r;
        return libelf_build_id(e, ret_hex);
}

/* The section called name, or NULL. */
static Elf_Scn *find_section(Elf *e, const char *name, GElf_Shdr *ret_sh)
{
        size_t shstrndx;
        Elf_Scn *scn = NULL;

        if (elf_getshdrstrndx(e, &shstrndx) < 0)
                return NULL;
        while ((scn = elf_nextscn(e, scn))) {
                if (!gelf_getshdr(scn, ret_sh))
                        continue;
                const char *n = elf_strptr(e, shstrndx, ret_sh->sh_name);
                if (n && strcmp(n, name) == 0)
                        return scn;
        }
        return NULL;
}

static bool elf_has_debug_info(Elf *e)
{
        static const char *const names[] = { ".debug_info", ".zdebug_info" };
        GElf_Shdr sh;

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                Elf_Scn *scn = find_section(e, names[i], &sh);
                if (scn && sh.sh_type != SHT_NOBITS && sh.sh_size > 0)
                        return true;
        }
        return false;
}

bool symbols_has_debug_info(int fd)
{
        _cleanup_(elf_endp) Elf *e = NULL;
        if (elf_open_fd(fd, &e) < 0)
                return false;
        return elf_has_debug_info(e);
}

/* Code that is really in the file: an allocated, executable section with
 * contents (objcopy --only-keep-debug turns them into NOBITS), or, without
 * section headers, a PT_LOAD segment with bytes inside the file. */
static bool elf_has_code(Elf *e, int fd)
{
        size_t n_sh = 0;
        Elf_Scn *scn = NULL;
        GElf_Shdr sh;

        if (elf_getshdrnum(e, &n_sh) == 0 && n_sh > 0) {
                while ((scn = elf_nextscn(e, scn)))
                        if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
                            (sh.sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) == (SHF_ALLOC | SHF_EXECINSTR) &&
                            sh.sh_size > 0)
                                return true;
                return false;
        }

        struct stat st;
        size_t n_ph;
        if (fstat(fd, &st) < 0 || elf_getphdrnum(e, &n_ph) < 0)
                return false;
        for (size_t i = 0; i < n_ph; i++) {
                GElf_Phdr ph;
                if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_filesz > 0 &&
                    ph.p_offset <= (uint64_t)st.st_size &&
                    ph.p_filesz <= (uint64_t)st.st_size - ph.p_offset)
                        return true;
        }
        return false;
}

int symbols_elf_debuglink(int fd, char **ret_name)
{
        _cleanup_(elf_endp) Elf *e = NULL;
        GElf_Shdr sh;
        int r = elf_open_fd(fd, &e);
        if (r < 0)
                return r;

        Elf_Scn *scn = find_section(e, ".gnu_debuglink", &sh);
        if (!scn || sh.sh_type == SHT_NOBITS)
                return -ENOENT;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || !d->d_buf || d->d_size == 0)
                return -ENOENT;
        /* A NUL-terminated file name, padding, then a 4-byte CRC. */
        const char *name = d->d_buf;
        size_t len = strnlen(name, d->d_size);
        if (len == 0 || len == d->d_size || memchr(name, '/', len) || strcmp(name, ".") == 0 ||
            strcmp(name, "..") == 0)
                return -EBADMSG;
        char *copy = strndup(name, len);
        if (!copy)
                return -ENOMEM;
        *ret_name = copy;
        return 0;
}

int symbols_check_fd(int fd, const char *build_id, enum symbols_want want)
{
        _cleanup_(elf_endp) Elf *e = NULL;
        int r = elf_open_fd(fd, &e);
        if (r == -ENOSYS)
                return r;
        if (r < 0)
                return -ENOENT;

        if (build_id) {
                _cleanup_free_ char *hex = NULL;
                r = libelf_build_id(e, &hex);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 || strcmp(hex, build_id) != 0) {
                        log_debug("build-id %s, want %s", hex ? hex : "none", build_id);
                        return -ENOENT;
                }
        }

        bool ok = want == SYMBOLS_WANT_DEBUG ? elf_has_debug_info(e) : elf_has_code(e, fd);
        return ok ? 0 : -ENOENT;
}
