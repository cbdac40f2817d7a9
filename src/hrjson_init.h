/*
 * hrjson_init.h: the jansson-free part of json.c's interface, for files that
 * must not include jansson.h (they include utils/builtins.h).
 */
#ifndef HOOKREG_HRJSON_INIT_H
#define HOOKREG_HRJSON_INIT_H

#include <stddef.h>

extern void hr_json_init(void);

/* Size and depth caps of a JSON value (doc/reference.md): 64 KiB, 32. */
#define HR_JSON_MAX_BYTES	(64 * 1024)
#define HR_JSON_MAX_DEPTH	32

/* JSON paths for messages: "$", "$.name", "$.columns[2]", "$[\"odd key\"]". */
extern char *hr_json_path_key(const char *base, const char *key);
extern char *hr_json_path_index(const char *base, size_t index);

#endif
