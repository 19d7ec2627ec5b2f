/* A streaming JSON writer into a strbuf. Keys are given with each value when
 * inside an object and NULL inside arrays. Strings are escaped: controls as
 * \n, \t, \r or \u00XX, valid UTF-8 as it is, and each byte of invalid
 * UTF-8 as the lone low surrogate \uDC80..\uDCFF (PEP 383's
 * "surrogateescape": Python gets the bytes back with
 * s.encode("utf-8", "surrogateescape")), so no byte is lost or confused
 * with a real character. */
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
/* Turns the \uDC80..\uDCFF escapes inside the strings of a JSON text back
 * into the bytes they stand for, in place (json-c passes raw bytes through
 * but would make U+FFFD of a lone surrogate). One after a high surrogate
 * is half of a real pair and stays. Returns the new length. */
size_t json_bytes_decode(char *text);
