/* fuzz_json.h: JSON helpers shared by the fuzz targets (jansson side). */
#ifndef FUZZ_JSON_H
#define FUZZ_JSON_H

#include "hrjson.h"

/* A deep copy whose objects get their keys inserted in reverse order. */
extern json_t *fuzz_reversed(json_t *value);

#endif
