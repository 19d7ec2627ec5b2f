#include "meta.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "reader.h"
#include "util.h"
#include "writer.h"

void bundle_meta_init(struct bundle_meta *m)
{
        *m = (struct bundle_meta){
                .format = BUNDLE_FORMAT,
                .time = BUNDLE_META_UNSET,
                .pid = BUNDLE_META_UNSET,
                .tid = BUNDLE_META_UNSET,
                .uid = BUNDLE_META_UNSET,
                .gid = BUNDLE_META_UNSET,
                .signal = BUNDLE_META_UNSET,
                .dump_mode = BUNDLE_META_UNSET,
                .rlimit_core = UINT64_MAX,
                .memcg_limit = BUNDLE_META_UNSET,
                .memcg_max_usage = BUNDLE_META_UNSET,
                .memcg_failcnt = BUNDLE_META_UNSET,
        };
}

/* ---- writing ---- */

/* Ends the text with a newline and hands it out. */
static int finish(struct json *j, struct strbuf *ret)
{
        strbuf_append(&j->sb, "\n", 1);
        if (j->sb.oom) {
                json_free(j);
                return -ENOMEM;
        }
        *ret = j->sb;
        return 0;
}

static void put_i64(struct json *j, const char *key, int64_t v)
{
        if (v != BUNDLE_META_UNSET)
                json_i64(j, key, v);
}

static void put_string(struct json *j, const char *key, const char *v)
{
        if (v)
                json_string(j, key, v);
}

static void write_mapped(struct json *j, const struct bundle_meta *m)
{
        json_array_begin(j, "mapped_files");
        for (size_t i = 0; i < m->n_mapped; i++) {
                const struct bundle_mapped_file *f = &m->mapped[i];
                json_object_begin(j, NULL);
                json_string(j, "path", f->path);
                json_string(j, "build_id", f->build_id);
                json_u64(j, "size", f->size);
                json_boolean(j, "executable", f->executable);
                put_string(j, "skipped", f->skipped);
                json_object_end(j);
        }
        json_array_end(j);
}

static void write_crash_part(struct json *j, const struct bundle_meta *m)
{
        json_boolean(j, "pidfd_verified", m->pidfd_verified);
        if (m->rlimit_core != UINT64_MAX)
                json_u64(j, "rlimit_core", m->rlimit_core);
        else
                json_null(j, "rlimit_core");
        write_mapped(j, m);
        if (m->has_budget) {
                json_object_begin(j, "budget");
                json_u64(j, "max_bundle", m->budget.max_bundle);
                json_u64(j, "max_core", m->budget.max_core);
                json_u64(j, "time_budget_ms", m->budget.time_budget_ms);
                json_u64(j, "files_budget", m->budget.files_budget);
                json_u64(j, "file_max", m->budget.file_max);
                json_object_end(j);
        }
}

static void write_oom_part(struct json *j, const struct bundle_meta *m)
{
        json_object_begin(j, "oom");
        json_string(j, "constraint", m->oom.constraint);
        json_boolean(j, "memcg", m->oom.memcg);
        json_u64(j, "total_vm_kb", m->oom.total_vm_kb);
        json_u64(j, "anon_rss_kb", m->oom.anon_rss_kb);
        json_u64(j, "file_rss_kb", m->oom.file_rss_kb);
        json_object_end(j);
        if (m->memory_cgroup) {
                json_object_begin(j, "memory_cgroup");
                json_string(j, "path", m->memory_cgroup);
                put_i64(j, "limit", m->memcg_limit);
                put_i64(j, "max_usage", m->memcg_max_usage);
                put_i64(j, "failcnt", m->memcg_failcnt);
                json_object_end(j);
        }
        /* what packages.json speaks of: the files the victim still had mapped */
        write_mapped(j, m);
}

int bundle_meta_write(const struct bundle_meta *m, struct strbuf *ret)
{
        struct json j;
        json_init(&j, true);
        json_object_begin(&j, NULL);
        json_u64(&j, "format", m->format);
        if (m->kind == BUNDLE_KIND_OOM_KILL)
                json_string(&j, "kind", "oom-kill");
        put_string(&j, "producer", m->producer);
        put_i64(&j, "time", m->time);
        put_string(&j, "host", m->host);
        put_string(&j, "kernel", m->kernel);
        put_string(&j, "machine", m->machine);
        put_string(&j, "boot_id", m->boot_id);
        put_i64(&j, "pid", m->pid);
        put_i64(&j, "tid", m->tid);
        put_i64(&j, "uid", m->uid);
        put_i64(&j, "gid", m->gid);
        put_i64(&j, "signal", m->signal);
        put_string(&j, "signal_name", m->signal_name);
        put_i64(&j, "dump_mode", m->dump_mode);
        json_string(&j, "exe", m->exe);
        json_string(&j, "comm", m->comm);
        json_array_begin(&j, "cmdline");
        for (size_t i = 0; i < m->n_cmdline; i++)
                json_string(&j, NULL, m->cmdline[i]);
        json_array_end(&j);
        json_string(&j, "cgroup", m->cgroup);
        if (m->kind == BUNDLE_KIND_OOM_KILL)
                write_oom_part(&j, m);
        else
                write_crash_part(&j, m);
        json_object_end(&j);
        return finish(&j, ret);
}

int bundle_packages_write(const struct bundle_meta *m, struct strbuf *ret)
{
        struct json j;
        json_init(&j, true);
        json_object_begin(&j, NULL);
        json_u64(&j, "format", BUNDLE_FORMAT);
        json_string(&j, "status", m->packages.status);
        json_string(&j, "reason", m->packages.reason);
        put_string(&j, "dpkg_admindir", m->packages.admindir);
        json_u64(&j, "usec", m->packages.usec);
        json_u64(&j, "cpu_usec", m->packages.cpu_usec);
        json_u64(&j, "bytes_read", m->packages.bytes_read);
        json_array_begin(&j, "files");
        for (size_t i = 0; i < m->n_mapped; i++) {
                const struct bundle_mapped_file *f = &m->mapped[i];
                if (!f->package)
                        continue;
                json_object_begin(&j, NULL);
                json_string(&j, "path", f->path);
                json_string(&j, "package", f->package);
                json_string(&j, "version", f->version);
                json_string(&j, "architecture", f->arch);
                if (f->replaced)
                        json_boolean(&j, "replaced", true);
                json_object_end(&j);
        }
        json_array_end(&j);
        json_object_end(&j);
        return finish(&j, ret);
}

int bundle_index_write(const struct bundle_writer *w, const struct bundle_end *e, struct strbuf *ret)
{
        struct json j;
        json_init(&j, true);
        json_object_begin(&j, NULL);
        json_u64(&j, "format", BUNDLE_FORMAT);
        json_array_begin(&j, "members");
        size_t n;
        const struct bundle_member *m = bundle_writer_members(w, &n);
        for (size_t i = 0; i < n; i++) {
                json_object_begin(&j, NULL);
                json_string(&j, "name", m[i].name);
                json_u64(&j, "offset", m[i].offset);
                json_u64(&j, "size", m[i].size);
                json_object_end(&j);
        }
        json_array_end(&j);
        json_object_begin(&j, "end");
        if (!e->has_core) {
                json_boolean(&j, "core", false);
                json_boolean(&j, "truncated", e->truncated);
                json_string(&j, "truncation_reason", e->truncation_reason);
                goto end;
        }
        json_u64(&j, "core_size", e->core_size);
        json_u64(&j, "bytes_received", e->bytes_received);
        json_u64(&j, "bytes_kept", e->bytes_kept);
        json_u64(&j, "bytes_padded", e->bytes_padded);
        json_u64(&j, "bytes_extra", e->bytes_extra);
        json_boolean(&j, "elf", e->elf);
        json_boolean(&j, "truncated", e->truncated);
        json_string(&j, "truncation_reason", e->truncation_reason);
        json_u64(&j, "dropped_bytes", e->dropped_bytes);
        json_array_begin(&j, "dropped_segments");
        for (size_t i = 0; i < e->n_dropped; i++) {
                json_object_begin(&j, NULL);
                json_u64(&j, "offset", e->dropped[i].offset);
                json_u64(&j, "vaddr", e->dropped[i].vaddr);
                json_u64(&j, "size", e->dropped[i].size);
                json_string(&j, "reason", e->dropped[i].reason);
                json_object_end(&j);
        }
        json_array_end(&j);
        json_u64(&j, "files_stored", e->files_stored);
        json_u64(&j, "files_skipped", e->files_skipped);
        json_u64(&j, "files_cut", e->files_cut);
        if (e->rlimit_core != UINT64_MAX)
                json_u64(&j, "rlimit_core", e->rlimit_core);
        else
                json_null(&j, "rlimit_core");
        json_u64(&j, "capture_usec", e->capture_usec);
        /* Where the time went: /proc facts and logs while the kernel waits on
         * a full pipe, the core itself, then files/ and the index. */
        json_object_begin(&j, "phase_usec");
        json_u64(&j, "before_core", e->before_core_usec);
        json_u64(&j, "core", e->core_usec);
        json_u64(&j, "after_core", e->after_core_usec);
        json_object_end(&j);
end:
        json_object_end(&j);
        json_object_end(&j);
        return finish(&j, ret);
}

/* ---- parsing ---- */

struct meta_storage {
        json_object *root;
        json_object *packages; /* packages.json */
        const char **cmdline;
        struct bundle_mapped_file *mapped;
};

static json_object *get(json_object *o, const char *key, json_type type)
{
        json_object *v;
        if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
            !json_object_is_type(v, type))
                return NULL;
        return v;
}

static const char *get_string(json_object *o, const char *key)
{
        json_object *v = get(o, key, json_type_string);
        return v ? json_object_get_string(v) : NULL;
}

static int64_t get_int(json_object *o, const char *key)
{
        json_object *v = get(o, key, json_type_int);
        return v ? json_object_get_int64(v) : BUNDLE_META_UNSET;
}

static uint64_t get_u64(json_object *o, const char *key, uint64_t def)
{
        int64_t v = get_int(o, key);
        return v == BUNDLE_META_UNSET || v < 0 ? def : (uint64_t)v;
}

static bool get_bool(json_object *o, const char *key)
{
        json_object *v = get(o, key, json_type_boolean);
        return v && json_object_get_boolean(v);
}

/* A "skipped" reason as one of the static strings corecollect writes, else
 * NULL: the text is someone else's. */
/* v if it is one of the n static strings in known (then that one), else
 * NULL: text from a bundle is someone else's. */
static const char *known_word(const char *v, const char *const *known, size_t n)
{
        for (size_t k = 0; v && k < n; k++)
                if (strcmp(v, known[k]) == 0)
                        return known[k];
        return NULL;
}

static const char *skipped_reason(const char *v)
{
        static const char *const reasons[] = { "file_max", "files_budget", "rlimit", "name" };
        return known_word(v, reasons, ELEMENTSOF(reasons));
}

/* The array at key (NULL when absent) and room for one element of elem
 * bytes per entry in *ret (never NULL when the array is there). */
static int get_array(json_object *root, const char *key, size_t elem, json_object **ret_arr, void *ret)
{
        json_object *arr = *ret_arr = get(root, key, json_type_array);
        if (!arr)
                return 0;
        void *v = calloc(json_object_array_length(arr) + 1, elem);
        memcpy(ret, &v, sizeof(v));
        return v ? 0 : -ENOMEM;
}

static int parse_cmdline(json_object *root, struct meta_storage *s, struct bundle_meta *m)
{
        json_object *arr;
        int r = get_array(root, "cmdline", sizeof(*s->cmdline), &arr, &s->cmdline);
        if (r < 0 || !arr)
                return r;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
                json_object *a = json_object_array_get_idx(arr, i);
                if (json_object_is_type(a, json_type_string))
                        s->cmdline[m->n_cmdline++] = json_object_get_string(a);
        }
        m->cmdline = s->cmdline;
        return 0;
}

/* mapped_files: entries without a string path are ignored. */
static int parse_mapped(json_object *root, struct meta_storage *s, struct bundle_meta *m)
{
        json_object *arr;
        int r = get_array(root, "mapped_files", sizeof(*s->mapped), &arr, &s->mapped);
        if (r < 0 || !arr)
                return r;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
                json_object *e = json_object_array_get_idx(arr, i);
                const char *path = get_string(e, "path");
                if (!path)
                        continue;
                s->mapped[m->n_mapped++] = (struct bundle_mapped_file){
                        .path = path,
                        .build_id = get_string(e, "build_id"),
                        .size = get_u64(e, "size", 0),
                        .executable = get_bool(e, "executable"),
                        .skipped = skipped_reason(get_string(e, "skipped")),
                };
        }
        m->mapped = s->mapped;
        return 0;
}

static void parse_fields(json_object *o, struct bundle_meta *m)
{
        m->format = get_u64(o, "format", 0);
        const char *kind = get_string(o, "kind");
        m->kind = kind && strcmp(kind, "oom-kill") == 0 ? BUNDLE_KIND_OOM_KILL : BUNDLE_KIND_CRASH;
        m->producer = get_string(o, "producer");
        m->time = get_int(o, "time");
        m->host = get_string(o, "host");
        m->kernel = get_string(o, "kernel");
        m->machine = get_string(o, "machine");
        m->boot_id = get_string(o, "boot_id");
        m->pid = get_int(o, "pid");
        m->tid = get_int(o, "tid");
        m->uid = get_int(o, "uid");
        m->gid = get_int(o, "gid");
        m->signal = get_int(o, "signal");
        m->signal_name = get_string(o, "signal_name");
        m->dump_mode = get_int(o, "dump_mode");
        m->exe = get_string(o, "exe");
        m->comm = get_string(o, "comm");
        m->cgroup = get_string(o, "cgroup");
        m->pidfd_verified = get_bool(o, "pidfd_verified");
        m->rlimit_core = get_u64(o, "rlimit_core", UINT64_MAX);
        json_object *b = get(o, "budget", json_type_object);
        m->has_budget = b != NULL;
        m->budget.max_bundle = get_u64(b, "max_bundle", 0);
        m->budget.max_core = get_u64(b, "max_core", 0);
        m->budget.time_budget_ms = get_u64(b, "time_budget_ms", 0);
        m->budget.files_budget = get_u64(b, "files_budget", 0);
        m->budget.file_max = get_u64(b, "file_max", 0);
        json_object *oom = get(o, "oom", json_type_object);
        m->oom.constraint = get_string(oom, "constraint");
        m->oom.memcg = get_bool(oom, "memcg");
        m->oom.total_vm_kb = get_u64(oom, "total_vm_kb", 0);
        m->oom.anon_rss_kb = get_u64(oom, "anon_rss_kb", 0);
        m->oom.file_rss_kb = get_u64(oom, "file_rss_kb", 0);
        json_object *cg = get(o, "memory_cgroup", json_type_object);
        m->memory_cgroup = cg ? get_string(cg, "path") : NULL;
        m->memcg_limit = get_int(cg, "limit");
        m->memcg_max_usage = get_int(cg, "max_usage");
        m->memcg_failcnt = get_int(cg, "failcnt");
}

int bundle_meta_parse(const char *text, struct bundle_meta *ret)
{
        bundle_meta_init(ret);
        ret->format = 0;
        if (!text)
                return -EBADMSG;
        /* the exact bytes of invalid UTF-8 (exe paths, arguments):
         * common/json.c writes them as \uDC80..\uDCFF */
        _cleanup_free_ char *copy = strdup(text);
        struct meta_storage *s = calloc(1, sizeof(*s));
        if (!copy || !s) {
                free(s);
                return -ENOMEM;
        }
        json_bytes_decode(copy);
        s->root = json_tokener_parse(copy);
        ret->priv_ = s;
        if (!json_object_is_type(s->root, json_type_object)) {
                bundle_meta_free(ret);
                return -EBADMSG;
        }
        parse_fields(s->root, ret);
        int r = parse_cmdline(s->root, s, ret);
        if (r == 0)
                r = parse_mapped(s->root, s, ret);
        if (r < 0)
                bundle_meta_free(ret);
        return r;
}

void bundle_meta_free(struct bundle_meta *m)
{
        struct meta_storage *s = m->priv_;
        if (s) {
                json_object_put(s->root);
                json_object_put(s->packages);
                free(s->cmdline);
                free(s->mapped);
                free(s);
        }
        bundle_meta_init(m);
        m->format = 0;
}

int bundle_packages_parse(const char *text, struct bundle_meta *m)
{
        static const char *const statuses[] = { "ok", "off", "skipped" };
        static const char *const reasons[] = { "time-budget", "size-limit", "no-dpkg", "no-mapped-files",
                                                "error" };
        struct meta_storage *s = m->priv_;
        if (!s)
                return -EINVAL;
        _cleanup_free_ char *copy = text ? strdup(text) : NULL;
        if (text && !copy)
                return -ENOMEM;
        if (copy)
                json_bytes_decode(copy);
        json_object *root = copy ? json_tokener_parse(copy) : NULL;
        if (!json_object_is_type(root, json_type_object)) {
                json_object_put(root);
                return -EBADMSG;
        }
        json_object_put(s->packages);
        s->packages = root;
        m->packages.status = known_word(get_string(root, "status"), statuses, ELEMENTSOF(statuses));
        m->packages.reason = known_word(get_string(root, "reason"), reasons, ELEMENTSOF(reasons));
        m->packages.admindir = get_string(root, "dpkg_admindir");
        m->packages.usec = get_u64(root, "usec", 0);
        m->packages.cpu_usec = get_u64(root, "cpu_usec", 0);
        m->packages.bytes_read = get_u64(root, "bytes_read", 0);
        json_object *arr = get(root, "files", json_type_array);
        for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
                json_object *e = json_object_array_get_idx(arr, i);
                const char *path = get_string(e, "path"), *pkg = get_string(e, "package");
                if (!path || !pkg || !*pkg)
                        continue;
                for (size_t k = 0; k < m->n_mapped; k++) {
                        struct bundle_mapped_file *f = &s->mapped[k];
                        if (f->package || strcmp(f->path, path) != 0)
                                continue;
                        f->package = pkg;
                        f->arch = get_string(e, "architecture");
                        f->replaced = get_bool(e, "replaced");
                        /* the installed version is not the one that ran */
                        f->version = f->replaced ? NULL : get_string(e, "version");
                }
        }
        return 0;
}

int bundle_meta_read(struct bundle_reader *r, struct bundle_meta *ret)
{
        _cleanup_free_ char *text = NULL;
        int e = bundle_reader_read_member(r, BUNDLE_META, BUNDLE_META_MAX, &text, NULL);
        if (e < 0) {
                bundle_meta_init(ret);
                ret->format = 0;
                return e;
        }
        e = bundle_meta_parse(text, ret);
        if (e < 0)
                return e;
        /* optional: older bundles have none, and a broken one costs only
         * the package facts */
        _cleanup_free_ char *pk = NULL;
        if (bundle_reader_read_member(r, BUNDLE_PACKAGES, BUNDLE_META_MAX, &pk, NULL) == 0 &&
            bundle_packages_parse(pk, ret) == -ENOMEM) {
                bundle_meta_free(ret);
                return -ENOMEM;
        }
        return 0;
}

int bundle_index_parse(const char *text, struct bundle_index *ret)
{
        memset(ret, 0, sizeof(*ret));
        json_object *root = text ? json_tokener_parse(text) : NULL;
        if (!json_object_is_type(root, json_type_object)) {
                json_object_put(root);
                return -EBADMSG;
        }
        json_object *end = get(root, "end", json_type_object);
        int r = 0;
        if (end) {
                ret->has_end = true;
                ret->truncated = get_bool(end, "truncated");
                const char *why = get_string(end, "truncation_reason");
                if (why && !(ret->truncation_reason = strdup(why)))
                        r = -ENOMEM;
        }
        json_object_put(root);
        return r;
}

int bundle_index_read(struct bundle_reader *r, struct bundle_index *ret)
{
        _cleanup_free_ char *text = NULL;
        int e = bundle_reader_read_member(r, BUNDLE_INDEX, BUNDLE_INDEX_MAX, &text, NULL);
        if (e < 0) {
                memset(ret, 0, sizeof(*ret));
                return e;
        }
        return bundle_index_parse(text, ret);
}

void bundle_index_free(struct bundle_index *x)
{
        free(x->truncation_reason);
        memset(x, 0, sizeof(*x));
}
