/*
 * sanitize_int.h: what the files of the message sanitizer share (sanitize.c,
 * the passes; sanitize_tokens.c, token formats and random tokens;
 * sanitize_personal.c, personal data).  Not for other callers: they use
 * sanitize.h.
 */
#ifndef HOOKREG_SANITIZE_INT_H
#define HOOKREG_SANITIZE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define HR_REDACTED			"[redacted]"
#define HR_REDACTED_LEN		(sizeof(HR_REDACTED) - 1)

/* ---- character classes (ASCII only: every secret form is ASCII) ---- */

static inline bool
hr_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
hr_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool
hr_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
hr_alpha(unsigned char c)
{
	return hr_upper(c) || hr_lower(c);
}

static inline bool
hr_alnum(unsigned char c)
{
	return hr_alpha(c) || hr_digit(c);
}

/* Characters of a key in key=value: letters, digits, _ - . */
static inline bool
hr_key_char(unsigned char c)
{
	return hr_alnum(c) || c == '_' || c == '-' || c == '.';
}

/* base64url, the alphabet of JWT parts */
static inline bool
hr_b64url_char(unsigned char c)
{
	return hr_alnum(c) || c == '_' || c == '-';
}

/* [A-Za-z0-9+/=_.~-]: what a random token is made of (doc/sanitizing.md). */
static inline bool
hr_entropy_char(unsigned char c)
{
	return hr_alnum(c) || c == '+' || c == '/' || c == '=' || c == '_' ||
		c == '.' || c == '~' || c == '-';
}

/* RFC 7235 token68, the credential after Bearer / Basic */
static inline bool
hr_token68_char(unsigned char c)
{
	return hr_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
		c == '+' || c == '/' || c == '=';
}

/*
 * E-mail local parts: RFC 5322 atoms as they occur (letters, digits,
 * . _ % + - and the '#' of an Entra guest's "#EXT#"), and any non-ASCII
 * byte (internationalised addresses, RFC 6531).
 */
static inline bool
hr_email_local_char(unsigned char c)
{
	return hr_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' ||
		c == '#' || c >= 0x80;
}

/* Domain names, internationalised ones in UTF-8 too. */
static inline bool
hr_domain_char(unsigned char c)
{
	return hr_alnum(c) || c == '-' || c == '.' || c >= 0x80;
}

static inline unsigned char
hr_ascii_lower(unsigned char c)
{
	return hr_upper(c) ? c - 'A' + 'a' : c;
}


/* s[at..] starts with the ASCII word w, ignoring case */
extern bool hr_starts_ci(const char *s, size_t len, size_t at, const char *w);
/* s[at..] is the marker */
extern bool hr_is_marker(const char *s, size_t len, size_t at);
/* First occurrence of needle in s[from..len), or len. */
extern size_t hr_find(const char *s, size_t len, size_t from, const char *needle);

/*
 * A finder returns the leftmost span [*start, *end) at or after from that
 * must become "[redacted]", or false.  It never returns an empty span or one
 * that is already a marker, and it may look at (not redact) text before from.
 */
typedef bool (*HrFinder) (const char *s, size_t len, size_t from,
						  size_t *start, size_t *end);

/* sanitize_tokens.c */
extern bool hr_find_known_token(const char *s, size_t len, size_t from, size_t *start, size_t *end);
extern bool hr_find_random_token(const char *s, size_t len, size_t from, size_t *start, size_t *end);

/* sanitize_syntax.c */
extern bool hr_find_password_syntax(const char *s, size_t len, size_t from, size_t *start, size_t *end);

/* sanitize_personal.c */
extern bool hr_find_personal_number(const char *s, size_t len, size_t from, size_t *start, size_t *end);

#endif							/* HOOKREG_SANITIZE_INT_H */
