/* SARIF output (sarif.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sarif.h"

/* A DWARF path as a SARIF artifact URI: absolute paths as file:// URIs,
 * relative ones as relative references; bytes outside RFC 3986's
 * unreserved set and '/' percent-encoded. */
static char *file_uri(const char *path)
{
        struct strbuf sb;
        strbuf_init(&sb);
        if (path[0] == '/')
                strbuf_puts(&sb, "file://");
        for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    strchr("-._~/", *p))
                        strbuf_append(&sb, p, 1);
                else
                        strbuf_printf(&sb, "%%%02X", *p);
        }
        return strbuf_steal(&sb, NULL);
}

static void location(struct json *j, const struct frame *f, int id)
{
        json_object_begin(j, NULL);
        if (id >= 0) {
                json_i64(j, "id", id);
                char text[64];
                snprintf(text, sizeof(text), "frame #%u", f->index);
                json_object_begin(j, "message");
                json_string(j, "text", text);
                json_object_end(j);
        }
        if (f->file && f->line > 0) {
                char *uri = file_uri(f->file);
                json_object_begin(j, "physicalLocation");
                json_object_begin(j, "artifactLocation");
                json_string(j, "uri", uri);
                json_object_end(j);
                json_object_begin(j, "region");
                json_i64(j, "startLine", f->line);
                json_object_end(j);
                json_object_end(j);
                free(uri);
        }
        if (f->function) {
                json_array_begin(j, "logicalLocations");
                json_object_begin(j, NULL);
                json_string(j, "fullyQualifiedName", f->function);
                json_string(j, "kind", "function");
                json_object_end(j);
                json_array_end(j);
        }
        json_object_end(j);
}

void report_print_sarif(const struct report *r, FILE *out)
{
        const char *cls = r->classified && r->verdict.class_id ? r->verdict.class_id : "unknown";
        const struct thread_report *t = NULL;
        for (size_t i = 0; i < r->n_threads && !t; i++)
                if (r->threads[i].crashed)
                        t = &r->threads[i];
        /* the crash frame: the one the verdict names, else the first */
        size_t ci = 0;
        for (size_t k = 0; t && r->verdict.crash_frame && k < t->n_frames; k++)
                if (t->frames[k].function && strcmp(t->frames[k].function, r->verdict.crash_frame) == 0) {
                        ci = k;
                        break;
                }
        struct json j;
        json_init(&j, true);
        json_object_begin(&j, NULL);
        json_string(&j, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json_string(&j, "version", "2.1.0");
        json_array_begin(&j, "runs");
        json_object_begin(&j, NULL);
        json_object_begin(&j, "tool");
        json_object_begin(&j, "driver");
        json_string(&j, "name", "coreinspect");
        json_array_begin(&j, "rules");
        json_object_begin(&j, NULL);
        json_string(&j, "id", cls);
        json_object_begin(&j, "shortDescription");
        json_string(&j, "text", cls);
        json_object_end(&j);
        json_object_end(&j);
        json_array_end(&j);
        json_object_end(&j);
        json_object_end(&j);
        json_array_begin(&j, "results");
        json_object_begin(&j, NULL);
        json_string(&j, "ruleId", cls);
        json_i64(&j, "ruleIndex", 0);
        json_string(&j, "level", "error");
        json_object_begin(&j, "message");
        json_string(&j, "text", r->classified && r->verdict.detail[0] ? r->verdict.detail : "the program crashed");
        json_object_end(&j);
        json_array_begin(&j, "locations");
        if (t && t->n_frames)
                location(&j, &t->frames[ci], -1);
        json_array_end(&j);
        json_array_begin(&j, "relatedLocations");
        for (size_t k = 0; t && k < t->n_frames; k++)
                if (k != ci && (t->frames[k].function || t->frames[k].file))
                        location(&j, &t->frames[k], (int)k);
        json_array_end(&j);
        if (r->classified && r->verdict.signature[0]) {
                json_object_begin(&j, "partialFingerprints");
                json_string(&j, "coreinspectSignature/v1", r->verdict.signature);
                json_object_end(&j);
        }
        json_object_begin(&j, "properties");
        json_string(&j, "bundle", r->input_path);
        json_string(&j, "exe", r->exe);
        json_i64(&j, "signal", r->signal);
        json_string(&j, "confidence", r->classified ? r->verdict.confidence : NULL);
        json_object_end(&j);
        json_object_end(&j);
        json_array_end(&j);
        json_object_end(&j);
        json_array_end(&j);
        json_object_end(&j);
        fprintf(out, "%s\n", j.sb.data ? j.sb.data : "{}");
        json_free(&j);
}
