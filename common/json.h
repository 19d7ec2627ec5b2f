/* A streaming JSON writer into a strbuf. Keys are given with each value when
 * inside an object and NULL inside arrays. Strings are escaped; invalid UTF-8
 * bytes are written as \u00XX of the byte so the output is always valid. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "io.h"

#define JSON_MAX_DEPTH 32

struct json {
        struct strbuf sb;
        int depth;
        bool need_comma[JSON_MAX_DEPTH];
        bool pretty;
};

void json_init(struct json *j, bool pretty);
void json_free(struct json *j);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value); /* NULL → null */
void json_string_len(struct json *j, const char *key, const char *value, size_t len);
void json_u64(struct json *j, const char *key, uint64_t value);
void json_i64(struct json *j, const char *key, int64_t value);
void json_boolean(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
/* Appends text escaped as a JSON string body (no quotes). */
void json_escape(struct strbuf *sb, const char *s, size_t len);
