/* Builds hostile inputs for tests/malformed/run.sh from a real bundle: the
 * members are read with the bundle reader, one is changed, and the result
 * is written with the project's bundle writer (or, for the frame-size case,
 * with hand-made frames the writer would never produce).
 *
 * Usage: hostile MODE IN.zst OUT.zst
 *   meta-types      meta.json with null and wrong JSON types everywhere
 *   ntfile-overlong the NT_FILE note moved last, its size running past the
 *                   note segment and its count huge
 *   phdr-corrupt    the executable in files/ with its program headers
 *                   pointing far outside the file
 *   ntfile-200k     200,000 more NT_FILE entries, distinct paths (data files)
 *   ntfile-200k-elf the same, each mapping showing an ELF header in memory
 *   threads-180k    180,000 more NT_PRSTATUS notes, half of them with a pc
 *                   of their own
 *   big-frames      (IN unused) a small bundle of five 1 GiB frames
 * Memory: a few times the input bundle (the fixtures are about 1 MiB
 * compressed) plus what a mode adds (at most ~70 MiB for threads-180k). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "io.h"
#include "reader.h"
#include "seektable.h"
#include "util.h"
#include "writer.h"

struct member {
        char name[TAR_NAME_MAX + 1];
        uint8_t *data;
        size_t len;
};

static struct member *mems;
static size_t n_mems;

static void die(const char *what)
{
        fprintf(stderr, "hostile: %s\n", what);
        exit(1);
}

static void *xmalloc(size_t n)
{
        void *p = calloc(1, n ? n : 1);
        if (!p)
                die("out of memory");
        return p;
}

static void read_bundle(const char *path)
{
        struct bundle_reader *r;
        if (bundle_reader_open(path, &r) < 0)
                die("cannot read the input bundle");
        const struct bundle_member *m;
        size_t n;
        if (bundle_reader_members(r, &m, &n) < 0)
                die("corrupt input bundle");
        mems = xmalloc(n * sizeof(*mems));
        for (size_t i = 0; i < n; i++) {
                struct member *o = &mems[n_mems++];
                memcpy(o->name, m[i].name, sizeof(o->name));
                o->len = (size_t)m[i].size;
                o->data = xmalloc(o->len);
                if (bundle_reader_pread(r, o->data, o->len, m[i].offset) != (ssize_t)o->len)
                        die("short member");
        }
        bundle_reader_free(r);
}

static struct member *member(const char *name)
{
        for (size_t i = 0; i < n_mems; i++)
                if (strcmp(mems[i].name, name) == 0)
                        return &mems[i];
        die("member missing");
        return NULL;
}

static void write_bundle(const char *path)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                die("cannot create the output");
        struct bundle_writer *w;
        if (bundle_writer_new(fd, &(struct bundle_writer_options){ 0 }, &w) < 0)
                die("bundle_writer_new");
        for (size_t i = 0; i < n_mems; i++)
                if (bundle_writer_add(w, mems[i].name, mems[i].data, mems[i].len, 0) < 0)
                        die("bundle_writer_add");
        if (bundle_writer_finish(w) < 0)
                die("bundle_writer_finish");
        bundle_writer_free(w);
        close(fd);
}

/* --- the core, as headers, notes and the data of its segments --- */

struct note {
        uint32_t type;
        char name[8];
        uint32_t namesz;
        uint8_t *desc;
        uint32_t descsz;
        uint32_t claimed_descsz; /* written in the header (0: descsz) */
};

struct core {
        Elf64_Ehdr eh;
        Elf64_Phdr *ph;
        size_t n_ph;
        struct note *notes;
        size_t n_notes, cap_notes;
};

static struct note *add_note(struct core *c)
{
        if (c->n_notes == c->cap_notes) {
                c->cap_notes = c->cap_notes ? 2 * c->cap_notes : 64;
                c->notes = realloc(c->notes, c->cap_notes * sizeof(*c->notes));
                if (!c->notes)
                        die("out of memory");
        }
        struct note *n = &c->notes[c->n_notes++];
        memset(n, 0, sizeof(*n));
        return n;
}

static void parse_core(const struct member *m, struct core *c)
{
        memset(c, 0, sizeof(*c));
        memcpy(&c->eh, m->data, sizeof(c->eh));
        c->n_ph = c->eh.e_phnum;
        c->ph = xmalloc(c->n_ph * sizeof(*c->ph));
        memcpy(c->ph, m->data + c->eh.e_phoff, c->n_ph * sizeof(*c->ph));
        for (size_t i = 0; i < c->n_ph; i++) {
                if (c->ph[i].p_type != PT_NOTE)
                        continue;
                const uint8_t *b = m->data + c->ph[i].p_offset;
                size_t off = 0, len = c->ph[i].p_filesz;
                while (off + 12 <= len) {
                        struct note *n = add_note(c);
                        uint32_t h[3];
                        memcpy(h, b + off, 12);
                        n->namesz = h[0];
                        n->descsz = h[1];
                        n->type = h[2];
                        memcpy(n->name, b + off + 12, MIN(n->namesz, 8u));
                        size_t na = (n->namesz + 3u) & ~3u;
                        n->desc = xmalloc(n->descsz);
                        memcpy(n->desc, b + off + 12 + na, n->descsz);
                        off += 12 + na + ((n->descsz + 3u) & ~3u);
                }
                break;
        }
}

static void put_note(uint8_t **p, const struct note *n)
{
        uint32_t h[3] = { n->namesz, n->claimed_descsz ? n->claimed_descsz : n->descsz, n->type };
        memcpy(*p, h, 12);
        *p += 12;
        memcpy(*p, n->name, n->namesz);
        *p += (n->namesz + 3u) & ~3u;
        memcpy(*p, n->desc, n->descsz);
        *p += (n->descsz + 3u) & ~3u;
}

/* Lays the core out again into m: header, program headers, notes, then the
 * segments' data page-aligned in their order. extra_ph: PT_LOADs to append
 * (their p_offset is kept as given: 0 is the new core's ELF header). */
static void emit_core(struct core *c, struct member *m, const Elf64_Phdr *extra_ph, size_t n_extra)
{
        size_t notes_len = 0;
        for (size_t i = 0; i < c->n_notes; i++)
                notes_len += 12 + ((c->notes[i].namesz + 3u) & ~3u) + ((c->notes[i].descsz + 3u) & ~3u);
        size_t n_ph = c->n_ph + n_extra;
        uint64_t off = sizeof(Elf64_Ehdr) + n_ph * sizeof(Elf64_Phdr);
        uint64_t notes_off = off;
        off = (off + notes_len + 4095) & ~4095ull;
        Elf64_Phdr *ph = xmalloc(n_ph * sizeof(*ph));
        memcpy(ph, c->ph, c->n_ph * sizeof(*ph));
        if (n_extra)
                memcpy(ph + c->n_ph, extra_ph, n_extra * sizeof(*ph));
        for (size_t i = 0; i < c->n_ph; i++) {
                if (ph[i].p_type == PT_NOTE) {
                        ph[i].p_offset = notes_off;
                        ph[i].p_filesz = notes_len;
                } else if (ph[i].p_type == PT_LOAD && ph[i].p_filesz) {
                        ph[i].p_offset = off;
                        off = (off + ph[i].p_filesz + 4095) & ~4095ull;
                }
        }
        /* 65535 or more program headers: the count goes in section 0 */
        uint64_t sh_off = off;
        if (n_ph >= PN_XNUM)
                off += sizeof(Elf64_Shdr);
        size_t len = (size_t)off;
        uint8_t *d = xmalloc(len);
        Elf64_Ehdr eh = c->eh;
        eh.e_phoff = sizeof(Elf64_Ehdr);
        eh.e_phnum = n_ph >= PN_XNUM ? PN_XNUM : (Elf64_Half)n_ph;
        eh.e_shoff = 0;
        eh.e_shnum = 0;
        if (n_ph >= PN_XNUM) {
                Elf64_Shdr sh0 = { .sh_info = (Elf64_Word)n_ph };
                eh.e_shoff = sh_off;
                eh.e_shnum = 1;
                eh.e_shentsize = sizeof(sh0);
                memcpy(d + sh_off, &sh0, sizeof(sh0));
        }
        memcpy(d, &eh, sizeof(eh));
        memcpy(d + eh.e_phoff, ph, n_ph * sizeof(*ph));
        uint8_t *p = d + notes_off;
        for (size_t i = 0; i < c->n_notes; i++)
                put_note(&p, &c->notes[i]);
        for (size_t i = 0; i < c->n_ph; i++)
                if (ph[i].p_type == PT_LOAD && ph[i].p_filesz)
                        memcpy(d + ph[i].p_offset, m->data + c->ph[i].p_offset, ph[i].p_filesz);
        free(m->data);
        m->data = d;
        m->len = len;
        free(ph);
}

static void free_core(struct core *c)
{
        for (size_t i = 0; i < c->n_notes; i++)
                free(c->notes[i].desc);
        free(c->notes);
        free(c->ph);
}

static struct note *find_note(struct core *c, uint32_t type)
{
        for (size_t i = 0; i < c->n_notes; i++)
                if (c->notes[i].type == type)
                        return &c->notes[i];
        die("note missing");
        return NULL;
}

/* --- modes --- */

static void meta_types(void)
{
        static const char meta[] =
                "{\"format\": 1, \"pid\": \"12\", \"tid\": null, \"uid\": [], \"time\": {}, \"host\": 7,"
                " \"exe\": null, \"comm\": [\"x\"], \"cmdline\": [null, 5, {\"a\": 1}, \"--ok\", [], true],"
                " \"cgroup\": false, \"signal\": \"11\","
                " \"mapped_files\": [null, 3, \"s\", {\"path\": null, \"build_id\": null},"
                " {\"path\": 17, \"build_id\": {}}, {\"path\": [], \"build_id\": 5},"
                " {\"path\": \"/usr/lib/x86_64-linux-gnu/libc.so.6\", \"build_id\": null},"
                " {\"build_id\": \"00\"}],"
                " \"memory_cgroup\": null}";
        struct member *m = member("meta.json");
        free(m->data);
        m->len = strlen(meta);
        m->data = (uint8_t *)strdup(meta);
        struct member *ix = member("index.json");
        free(ix->data);
        static const char index[] = "{\"end\": null, \"members\": 5}";
        ix->len = strlen(index);
        ix->data = (uint8_t *)strdup(index);
}

static void ntfile_overlong(void)
{
        struct member *m = member("core");
        struct core c;
        parse_core(m, &c);
        struct note *f = find_note(&c, NT_FILE);
        struct note moved = *f;
        /* the rest keep their order; NT_FILE goes last */
        memmove(f, f + 1, (size_t)(&c.notes[c.n_notes] - (f + 1)) * sizeof(*f));
        c.notes[c.n_notes - 1] = moved;
        f = &c.notes[c.n_notes - 1];
        uint64_t count = 0x0000100000000000ull;
        memcpy(f->desc, &count, 8);
        f->claimed_descsz = f->descsz + (1u << 20); /* runs past the segment */
        emit_core(&c, m, NULL, 0);
        free_core(&c);
}

static void phdr_corrupt(void)
{
        /* the executable: the member named by meta.json's first mapped file */
        const struct member *meta = member("meta.json");
        const char *id = strstr((const char *)meta->data, "\"build_id\": \"");
        if (!id)
                die("no build-id in meta.json");
        char name[TAR_NAME_MAX + 1];
        snprintf(name, sizeof(name), "files/%.40s", id + 13);
        struct member *m = member(name);
        Elf64_Ehdr eh;
        memcpy(&eh, m->data, sizeof(eh));
        for (size_t i = 0; i < eh.e_phnum; i++) {
                Elf64_Phdr ph;
                memcpy(&ph, m->data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
                /* where libunwind finds .eh_frame_hdr and the dynamic section */
                if (ph.p_type == PT_GNU_EH_FRAME || ph.p_type == PT_DYNAMIC) {
                        ph.p_offset = 0x7ff0000000000ull;
                        ph.p_filesz = 0x100000000ull;
                }
                memcpy(m->data + eh.e_phoff + i * sizeof(ph), &ph, sizeof(ph));
        }
}

enum { MANY_MAPS = 200000, MANY_THREADS = 180000 };

static void ntfile_many(bool elf)
{
        struct member *m = member("core");
        struct core c;
        parse_core(m, &c);
        struct note *f = find_note(&c, NT_FILE);
        uint64_t count, page;
        memcpy(&count, f->desc, 8);
        memcpy(&page, f->desc + 16 - 8, 8);
        size_t names_len = f->descsz - 16 - count * 24;
        uint64_t total = count + MANY_MAPS;
        size_t len = 16 + total * 24 + names_len + (size_t)MANY_MAPS * 24;
        uint8_t *d = xmalloc(len);
        memcpy(d, &total, 8);
        memcpy(d + 8, &page, 8);
        memcpy(d + 16, f->desc + 16, count * 24);
        Elf64_Phdr *extra = elf ? xmalloc((size_t)MANY_MAPS * sizeof(*extra)) : NULL;
        for (uint64_t i = 0; i < MANY_MAPS; i++) {
                uint64_t e[3] = { 0x100000000000ull + i * 0x2000, 0x100000000000ull + i * 0x2000 + 0x1000, 0 };
                memcpy(d + 16 + (count + i) * 24, e, 24);
                if (extra)
                        /* one page of memory showing the core's own ELF
                         * header (the first page of the file) */
                        extra[i] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R, .p_offset = 0,
                                                 .p_vaddr = e[0], .p_filesz = 0x1000, .p_memsz = 0x1000,
                                                 .p_align = 0x1000 };
        }
        uint8_t *names = d + 16 + total * 24;
        memcpy(names, f->desc + 16 + count * 24, names_len);
        size_t at = names_len;
        for (uint64_t i = 0; i < MANY_MAPS; i++)
                at += (size_t)snprintf((char *)names + at, 24, "/hostile/lib%06u.so", (unsigned)i) + 1;
        free(f->desc);
        f->desc = d;
        f->descsz = (uint32_t)(16 + total * 24 + at);
        emit_core(&c, m, extra, extra ? MANY_MAPS : 0);
        free(extra);
        free_core(&c);
}

static void threads_many(void)
{
        struct member *m = member("core");
        struct core c;
        parse_core(m, &c);
        struct note first = *find_note(&c, NT_PRSTATUS);
        uint8_t *desc = xmalloc(first.descsz);
        memcpy(desc, first.desc, first.descsz); /* add_note may move the notes */
        for (uint32_t i = 0; i < MANY_THREADS; i++) {
                struct note *n = add_note(&c);
                *n = first;
                n->desc = xmalloc(first.descsz);
                memcpy(n->desc, desc, first.descsz);
                uint32_t tid = 2000000 + i;
                memcpy(n->desc + 32, &tid, 4); /* pr_pid */
                /* every other thread at its own pc (in no mapping): stacks
                 * that do not fold */
                uint64_t rip = 0x770000000000ull + 16 * i;
                if (i % 2)
                        memcpy(n->desc + 112 + 8 * 16, &rip, 8);
        }
        free(desc);
        emit_core(&c, m, NULL, 0);
        free_core(&c);
}

/* Five frames of 1 GiB of decompressed tar stream each, mostly zeros: a
 * few hundred KiB on disk. The core member starts in the first frame and
 * its segments lie in every frame. */
static void big_frames(const char *out)
{
        enum { FRAMES = 5 };
        const uint64_t frame = SEEKTABLE_MAX_FRAME_SIZE;
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                die("cannot create the output");
        /* the tar stream: core header at 0, core data from 512 to the end of
         * the last frame minus the end-of-archive blocks */
        uint64_t core_size = FRAMES * frame - 512 - 1024;
        uint8_t hdr[TAR_BLOCK];
        if (tar_header_encode(hdr, "core", core_size, 0, 0600) < 0)
                die("tar header");
        /* an ELF core header with one PT_LOAD per frame */
        uint8_t head[4096] = { 0 };
        Elf64_Ehdr *eh = (Elf64_Ehdr *)head;
        memcpy(eh->e_ident, ELFMAG, SELFMAG);
        eh->e_ident[EI_CLASS] = ELFCLASS64;
        eh->e_ident[EI_DATA] = ELFDATA2LSB;
        eh->e_ident[EI_VERSION] = EV_CURRENT;
        eh->e_type = ET_CORE;
        eh->e_machine = EM_X86_64;
        eh->e_version = EV_CURRENT;
        eh->e_phoff = sizeof(*eh);
        eh->e_phentsize = sizeof(Elf64_Phdr);
        eh->e_ehsize = sizeof(*eh);
        eh->e_phnum = FRAMES + 1;
        Elf64_Phdr *ph = (Elf64_Phdr *)(head + sizeof(*eh));
        uint64_t notes_off = sizeof(*eh) + (FRAMES + 1) * sizeof(Elf64_Phdr);
        /* one NT_PRSTATUS note, rsp in the last segment */
        uint8_t *n = head + notes_off;
        uint32_t nh[3] = { 5, 336, NT_PRSTATUS };
        memcpy(n, nh, 12);
        memcpy(n + 12, "CORE", 5);
        uint8_t *desc = n + 20;
        uint32_t tid = 4242;
        memcpy(desc + 32, &tid, 4);
        ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = notes_off, .p_filesz = 20 + 336 };
        for (int i = 0; i < FRAMES; i++) {
                uint64_t off = i == 0 ? 8192 : (uint64_t)i * frame;
                ph[i + 1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = off,
                                          .p_vaddr = 0x10000000000ull * (i + 1), .p_filesz = 1 << 20,
                                          .p_memsz = 1 << 20, .p_align = 4096 };
        }
        uint64_t rsp = ph[FRAMES].p_vaddr + 4096, rip = ph[1].p_vaddr + 16;
        memcpy(desc + 112 + 8 * 19, &rsp, 8); /* CREG_RSP */
        memcpy(desc + 112 + 8 * 16, &rip, 8); /* CREG_RIP */

        ZSTD_CCtx *cc = ZSTD_createCCtx();
        size_t chunk = 1 << 20;
        uint8_t *zeros = xmalloc(chunk), *cbuf = xmalloc(ZSTD_compressBound(chunk) + 4096);
        struct seek_table t = { 0 };
        for (int f = 0; f < FRAMES; f++) {
                ZSTD_CCtx_reset(cc, ZSTD_reset_session_only);
                ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1);
                ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
                ZSTD_CCtx_setPledgedSrcSize(cc, frame);
                uint64_t csize = 0;
                for (uint64_t done = 0; done < frame; done += chunk) {
                        memset(zeros, 0, chunk);
                        if (f == 0 && done == 0) {
                                memcpy(zeros, hdr, TAR_BLOCK);
                                memcpy(zeros + TAR_BLOCK, head, sizeof(head));
                        }
                        ZSTD_inBuffer in = { zeros, chunk, 0 };
                        bool last = done + chunk >= frame;
                        size_t left;
                        do {
                                ZSTD_outBuffer o = { cbuf, ZSTD_compressBound(chunk) + 4096, 0 };
                                left = ZSTD_compressStream2(cc, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
                                if (ZSTD_isError(left))
                                        die("zstd");
                                if (write_full(fd, cbuf, o.pos) < 0)
                                        die("write");
                                csize += o.pos;
                        } while (in.pos < in.size || (last && left));
                }
                if (seektable_add(&t, (uint32_t)csize, (uint32_t)frame) < 0)
                        die("seek table");
        }
        struct strbuf sb;
        strbuf_init(&sb);
        if (seektable_encode(&t, &sb) < 0 || write_full(fd, sb.data, sb.len) < 0)
                die("seek table");
        strbuf_free(&sb);
        seektable_free(&t);
        ZSTD_freeCCtx(cc);
        free(zeros);
        free(cbuf);
        close(fd);
}

int main(int argc, char **argv)
{
        if (argc != 4)
                die("usage: hostile MODE IN.zst OUT.zst");
        const char *mode = argv[1];
        if (strcmp(mode, "big-frames") == 0) {
                big_frames(argv[3]);
                return 0;
        }
        read_bundle(argv[2]);
        if (strcmp(mode, "meta-types") == 0)
                meta_types();
        else if (strcmp(mode, "ntfile-overlong") == 0)
                ntfile_overlong();
        else if (strcmp(mode, "phdr-corrupt") == 0)
                phdr_corrupt();
        else if (strcmp(mode, "ntfile-200k") == 0)
                ntfile_many(false);
        else if (strcmp(mode, "ntfile-200k-elf") == 0)
                ntfile_many(true);
        else if (strcmp(mode, "threads-180k") == 0)
                threads_many();
        else
                die("unknown mode");
        write_bundle(argv[3]);
        for (size_t i = 0; i < n_mems; i++)
                free(mems[i].data);
        free(mems);
        return 0;
}
