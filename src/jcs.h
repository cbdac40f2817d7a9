/*
 * jcs.h: RFC 8785 JSON Canonicalization Scheme (JCS), the form that
 * release_digest and opsrun_identity_hash hash.  jansson-free: jcs.c holds
 * the text rules (numbers, strings, member order) and works outside the
 * server too (the fuzz targets); jcs_jsonb.c walks a jsonb value.
 *
 *   - members sorted by the UTF-16 code units of their names;
 *   - no white space;
 *   - strings: '"' and '\' escaped, U+0000..U+001F as \b \t \n \f \r or
 *     \u00xx (lowercase hex), everything else as its UTF-8;
 *   - numbers: ECMAScript Number.prototype.toString of the IEEE double
 *     (shortest round-trip digits; 1, 1.4, 1e+21, 1e-7, -0 is 0).
 *
 * A number is accepted only when its decimal value equals the value of that
 * JCS form: otherwise two different contents would share one canonical text
 * (0.10000000000000001 and 0.1, 2^53 + 1 and 2^53).
 */
#ifndef HOOKREG_JCS_H
#define HOOKREG_JCS_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

/* longest JCS number: "-0.0000012345678901234567" or "-1.2345678901234567e-308" */
#define HR_JCS_NUMBER_MAX 32

/*
 * hr_jcs_decimal: the JCS form of JSON number text (or numeric's output
 * text) into out (NUL-terminated); true when the number's decimal value is
 * exactly that form's value, false (out is then the form of the nearest
 * double, or "" beyond the range of a double) otherwise.
 */
extern bool hr_jcs_decimal(const char *text, size_t len, char out[HR_JCS_NUMBER_MAX]);

/* hr_jcs_double: the JCS form of a finite double; returns its length. */
extern int	hr_jcs_double(double d, char out[HR_JCS_NUMBER_MAX]);

/* hr_jcs_append_string: s (UTF-8, len bytes) as a JCS string. */
extern void hr_jcs_append_string(StringInfo out, const char *s, size_t len);

/* Order of member names by UTF-16 code units (both valid UTF-8). */
extern int	hr_jcs_key_cmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * hr_jcs_number_error: raise 22023 for a number that JCS cannot carry
 * exactly, at JSON path path (of input what, unless NULL), with a hint to
 * pass it as a string.
 */
extern void hr_jcs_number_error(const char *what, const char *path,
								const char *text, size_t len) pg_attribute_noreturn();

/*
 * hr_jcs_append_jsonb: append the JCS text of jsonb value jb (NULL: {}).
 * what names the input in messages ("config", "identity", or a JSON path in
 * a deploy spec), base_path is the JSON path of jb itself ("$" or e.g.
 * "$.hooks[0].runtime.config").  Raises 22023 for a number JCS cannot carry
 * exactly (naming its JSON path), 54000 when the canonical text would be
 * longer than max_bytes or arrays and objects nest deeper than max_depth.
 * inexact: NULL to raise 22023 for such a number; else it is set true (or
 * left alone) and the number is written as its nearest double's form.
 */
extern void hr_jcs_append_jsonb(StringInfo out, const Jsonb *jb,
								const char *what, const char *base_path,
								size_t max_bytes, int max_depth, bool *inexact);

#endif							/* HOOKREG_JCS_H */
