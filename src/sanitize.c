/*
 * sanitize.c: message sanitizing (doc/sanitizing.md) on plain text (no
 * jansson, no fmgr), so the ledger, the SQL wrappers and the fuzz harness
 * share it.
 *
 * The message is first normalized (invalid bytes replaced, control
 * characters and white space folded to single spaces, trimmed), then a
 * series of passes each replaces the spans it recognizes with "[redacted]".
 * The passes are repeated until a whole round changes nothing, so the result
 * is a fixed point: sanitizing it again changes nothing (idempotence).  Every
 * scanner is hand-written, linear and allocation-bounded: nothing here raises
 * on any input except when memory runs out.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "sanitize.h"
#include "sanitize_int.h"

/*
 * Even without a cut the result is at most this many characters, and input
 * past four times as many bytes is dropped at a white-space boundary before
 * anything else: the output then always fits in the input limit, so that
 * sanitizing the output again takes the same path (idempotence), and the
 * palloc limit is never reached.
 */
#define HR_SANITIZE_MAX_CHARS	((size_t) 1024 * 1024)
#define HR_SANITIZE_MAX_INPUT	(4 * HR_SANITIZE_MAX_CHARS)

/* Rounds of all passes before we accept the text as it is. */
#define HR_SANITIZE_MAX_ROUNDS	8

/*
 * The secret keys of doc/sanitizing.md, written as hr_secret_key_normalize
 * writes keys (lowercase, '_' between words), with 0.2.0's additions: pass,
 * dsn, webhook_url, docker's auth, credentials, passphrase, and the session
 * cookies.  A key equal to one of them or ending in '_' and one of them is a
 * secret key.
 */
static const char *const hr_secret_keys[] = {
	"password", "passwd", "pwd", "secret", "client_secret", "token",
	"access_token", "refresh_token", "id_token", "api_key", "apikey",
	"authorization", "cookie", "set_cookie", "private_key", "sig",
	"signature", "x_api_key",
	/* 0.2.0 */
	"pass", "dsn", "webhook_url", "auth", "credentials", "passphrase",
	"key", "session", "sessionid", "session_id", "jsessionid", "phpsessid",
	"laravel_session", "connect_sid", "sid",
	NULL
};

/* Words that make any key a secret key wherever they stand in it. */
static const char *const hr_secret_words[] = {
	"password", "passwd", "pwd", "secret",
	NULL
};

/* Letters that make any key a secret key wherever they stand: PGPASSWORD. */
static const char *const hr_secret_infixes[] = {
	"password", "passwd",
	NULL
};

/*
 * Keys that end in "_key" and are not secrets: names of database and
 * message keys, public keys.
 */
static const char *const hr_harmless_keys[] = {
	"primary_key", "foreign_key", "sort_key", "partition_key", "cache_key",
	"idempotency_key", "object_key", "routing_key", "dedupe_key", "dedup_key",
	"lookup_key", "unique_key", "group_key", "row_key", "index_key", "public_key",
	"pub_key", "shard_key", "join_key", "message_key", "event_key", "map_key",
	"s3_key", "kms_key", "hash_key", "range_key", "distribution_key", "cluster_key",
	"natural_key", "surrogate_key", "composite_key", "candidate_key", "business_key",
	"sort_key", "order_key", "dict_key", "cursor_key", "state_key", "lock_key",
	"user_session",
	NULL
};

/* s[at..] starts with the ASCII word w, ignoring case */
bool
hr_starts_ci(const char *s, size_t len, size_t at, const char *w)
{
	size_t		n;

	if (at >= len || hr_ascii_lower((unsigned char) s[at]) != (unsigned char) w[0])
		return false;
	n = strlen(w);

	if (at > len || len - at < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (hr_ascii_lower((unsigned char) s[at + i]) != (unsigned char) w[i])
			return false;
	return true;
}

bool
hr_is_marker(const char *s, size_t len, size_t at)
{
	return at <= len && len - at >= HR_REDACTED_LEN &&
		memcmp(s + at, HR_REDACTED, HR_REDACTED_LEN) == 0;
}

/* First occurrence of needle in s[from..len), or len. */
size_t
hr_find(const char *s, size_t len, size_t from, const char *needle)
{
	size_t		n = strlen(needle);

	for (size_t i = from; i + n <= len; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return i;
	return len;
}

/* ---- secret keys ---- */

/*
 * Keys are compared after normalizing: ASCII lowercase, '-', '.', ' ' and
 * '_' runs become one '_', a camelCase boundary gets a '_' (accessToken is
 * access_token), and '_' is trimmed at both ends.
 */
static char *
hr_secret_key_normalize(const char *key, size_t len, size_t *outlen)
{
	char	   *out = palloc(2 * len + 1);
	size_t		n = 0;
	unsigned char prev = 0;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) key[i];

		if (c == '-' || c == '.' || c == ' ' || c == '_')
		{
			if (n > 0 && out[n - 1] != '_')
				out[n++] = '_';
		}
		else
		{
			if (hr_upper(c) && (hr_lower(prev) || hr_digit(prev)) &&
				n > 0 && out[n - 1] != '_')
				out[n++] = '_';
			out[n++] = (char) hr_ascii_lower(c);
		}
		prev = c;
	}
	/* a numbered variant is the same key: password2, X-Hub-Signature-256 */
	while (n > 0 && (out[n - 1] == '_' || hr_digit((unsigned char) out[n - 1])))
		n--;
	out[n] = '\0';
	*outlen = n;
	return out;
}

/*
 * A key looks like a secret when, normalized, it is one of those names
 * or ends with '_' and one of them (db_password, X-Amz-Signature,
 * clientSecret).
 */
bool
hr_is_secret_key(const char *key, size_t len)
{
	size_t		n;
	char	   *norm;
	bool		found = false;

	if (key == NULL || len == 0)
		return false;
	norm = hr_secret_key_normalize(key, len, &n);
	for (const char *const *k = hr_secret_keys; *k && !found; k++)
	{
		size_t		kl = strlen(*k);

		if (n == kl)
			found = memcmp(norm, *k, kl) == 0;
		else if (n > kl)
			found = norm[n - kl - 1] == '_' && memcmp(norm + n - kl, *k, kl) == 0;
	}
	/* aws_secret_access_key, SECRET_KEY, password_hash: a word of the key */
	for (const char *const *w = hr_secret_words; *w && !found; w++)
	{
		size_t		wl = strlen(*w);

		for (size_t at = 0; at + wl <= n && !found; at++)
			found = (at == 0 || norm[at - 1] == '_') && memcmp(norm + at, *w, wl) == 0 &&
				(at + wl == n || norm[at + wl] == '_');
	}
	for (const char *const *w = hr_secret_infixes; *w && !found; w++)
	{
		size_t		wl = strlen(*w);

		for (size_t at = 0; at + wl <= n && !found; at++)
			found = memcmp(norm + at, *w, wl) == 0;
	}
	for (const char *const *h = hr_harmless_keys; *h && found; h++)
		if (strlen(*h) == n && memcmp(norm, *h, n) == 0)
			found = false;
	pfree(norm);
	return found;
}

/* ---- normalizing: characters, control characters, white space ---- */

/* Unicode white space other than ASCII (UTF-8 only), and C1 controls. */
static bool
hr_utf8_is_space(const unsigned char *s, int l)
{
	if (l == 2 && s[0] == 0xC2)
		return s[1] <= 0x9F || s[1] == 0xA0;	/* C1 controls, NBSP */
	if (l == 3 && s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return true;			/* U+1680 */
	if (l == 3 && s[0] == 0xE2 && s[1] == 0x80)
		return s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF;
	if (l == 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return true;			/* U+205F */
	if (l == 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return true;			/* U+3000 */
	return false;
}

/* Length of the valid character at s (s[0] >= 0x80), or 0 when invalid. */
static int
hr_valid_char(int enc, const char *s, size_t remaining)
{
	int			l;

	if (enc == PG_UTF8)
	{
		l = pg_utf_mblen((const unsigned char *) s);
		if ((size_t) l > remaining || !pg_utf8_islegal((const unsigned char *) s, l))
			return 0;
		return l;
	}
	l = pg_encoding_verifymbchar(enc, s, (int) Min(remaining, 16));
	return l > 0 ? l : 0;
}

/*
 * Invalid bytes become U+FFFD (or '?' in other encodings), control
 * characters and white space become one space between words, nothing at
 * either end.
 */
static void
hr_normalize(StringInfo dst, const char *s, size_t len, int enc)
{
	bool		pending_space = false;
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = (unsigned char) s[i];
		const char *emit = s + i;
		size_t		n = 1;
		bool		space;

		if (c < 0x80)
			space = (c <= 0x20 || c == 0x7F);
		else
		{
			int			l = hr_valid_char(enc, s + i, len - i);

			if (l == 0)
			{
				emit = (enc == PG_UTF8) ? "\xEF\xBF\xBD" : "?";
				n = strlen(emit);
				space = false;
			}
			else
			{
				n = (size_t) l;
				space = (enc == PG_UTF8 && hr_utf8_is_space((const unsigned char *) s + i, l));
			}
		}
		i += (emit == s + i) ? n : 1;

		if (space)
		{
			pending_space = true;
			continue;
		}
		if (pending_space && dst->len > 0)
			appendStringInfoChar(dst, ' ');
		pending_space = false;
		appendBinaryStringInfo(dst, emit, (int) n);
	}
}

/* ---- the redacting passes ---- */


/* PEM private-key blocks, header to footer (or to the end when cut off). */
static bool
hr_find_pem(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	size_t		i = from;

	while ((i = hr_find(s, len, i, "-----BEGIN ")) < len)
	{
		size_t		label = i + 11;
		size_t		j = label;
		bool		private_key = false;

		while (j < len && j - label <= 64 && (hr_alnum((unsigned char) s[j]) || s[j] == ' '))
		{
			if (hr_starts_ci(s, len, j, "private key"))
				private_key = true;
			j++;
		}
		if (private_key && hr_starts_ci(s, len, j, "-----"))
		{
			size_t		foot = hr_find(s, len, j + 5, "-----END");

			*start = i;
			if (foot < len)
			{
				size_t		close = hr_find(s, len, foot + 8, "-----");

				*end = (close < len) ? close + 5 : len;
			}
			else
				*end = len;
			return true;
		}
		i = label;
	}
	return false;
}

/*
 * At the '/' at s[e], in the URL authority starting at a: whether it is
 * inside a password (user:pa/ss@host, a base64 secret) rather than the
 * start of the path: a ':' came before it that is not a port, and an '@'
 * follows before the end of the URL.
 */
static bool
hr_password_slash(const char *s, size_t len, size_t a, size_t e)
{
	size_t		colon = a;

	while (colon < e && s[colon] != ':')
		colon++;
	if (colon >= e || colon == a)
		return false;
	/* host:8080/ is a port */
	{
		bool		digits = true;

		for (size_t k = colon + 1; k < e && digits; k++)
			digits = hr_digit((unsigned char) s[k]);
		if (digits)
			return false;
	}
	/* within the next 256 bytes: a password is not longer, and the scan stays linear */
	for (size_t k = e; k < len && k - e < 256 && s[k] != ' ' && s[k] != '"' && s[k] != '<' && s[k] != '>'; k++)
		if (s[k] == '@')
			return true;
	return false;
}

/* scheme://user:pass@host: the user information between :// and the last @ */
static bool
hr_find_url_credentials(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	size_t		i = from;

	while ((i = hr_find(s, len, i, "://")) < len)
	{
		size_t		a = i + 3,
					e = a,
					at = len;

		if (i > 0 && hr_alnum((unsigned char) s[i - 1]))
		{
			/* jdbc:sqlserver://host;user=u;password=p: parameters, not user information */
			bool		semicolon_params = (i >= 9 && hr_starts_ci(s, len, i - 9, "sqlserver"));

			while (e < len)
			{
				unsigned char c = (unsigned char) s[e];

				if (c == ';' && semicolon_params)
					break;

				/*
				 * A password may hold '@', '\'', '?', '#' (unencoded, as
				 * people write them): the user information runs to the
				 * last '@' before the path or the end of the URL.
				 */
				if (c == '/' && at == len && hr_password_slash(s, len, a, e))
				{
					e++;
					continue;
				}
				if (c == '/' || c == ' ' || c == '"' || c == '<' || c == '>' ||
					c == '\\' || c == '`')
					break;
				if (c == '@')
					at = e;
				e++;
			}
			if (at < len && at > a && !(at - a == HR_REDACTED_LEN && hr_is_marker(s, len, a)))
			{
				*start = a;
				*end = at;
				return true;
			}
		}
		i = a;
	}
	/* JDBC thin URLs: jdbc:oracle:thin:user/password@host */
	i = from;
	while ((i = hr_find(s, len, i, ":thin:")) < len)
	{
		size_t		a = i + 6,
					slash = a,
					at;

		while (slash < len && hr_key_char((unsigned char) s[slash]))
			slash++;
		at = slash + 1;
		while (at < len && s[at] != '@' && s[at] != ' ' && s[at] != '/')
			at++;
		if (slash < len && s[slash] == '/' && at < len && s[at] == '@' && at > slash + 1 &&
			!hr_is_marker(s, len, slash + 1) && slash + 1 >= from)
		{
			*start = slash + 1;
			*end = at;
			return true;
		}
		i = a;
	}
	return false;
}

/* JWT (and JWE): eyJ... then two or more dot-separated base64url parts */
static bool
hr_find_jwt(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	size_t		i = from;

	while ((i = hr_find(s, len, i, "eyJ")) < len)
	{
		size_t		j = i,
					parts = 1;

		if (i > 0 && hr_b64url_char((unsigned char) s[i - 1]))
		{
			i += 3;
			continue;
		}
		while (j < len && hr_b64url_char((unsigned char) s[j]))
			j++;
		if (j - i >= 8)
		{
			while (j < len && s[j] == '.')
			{
				size_t		k = j + 1;

				while (k < len && hr_b64url_char((unsigned char) s[k]))
					k++;
				/* the signature of an unsigned JWT is empty */
				if (k == j + 1 && parts != 2)
					break;
				parts++;
				j = k;
			}
		}
		if (parts >= 3)
		{
			*start = i;
			*end = j;
			return true;
		}
		i = Max(j, i + 3);
	}
	return false;
}

/*
 * Terminators of an unquoted value.  '&' ends a value only in a URL query
 * (key after '?' or '&'): elsewhere it is more likely part of a password.
 */
static inline bool
hr_value_end(unsigned char c, bool in_query)
{
	return c == ' ' || c == ',' || c == ';' || c == '"' || c == '\'' ||
		c == ')' || c == ']' || c == '}' || c == '>' || c == '<' ||
		c == '\\' || c == '`' || c == '|' || (in_query && (c == '&' || c == '#'));
}

/* HTTP authentication schemes kept in front of a redacted credential. */
static const char *const hr_auth_schemes[] = {
	"bearer", "basic", "digest", "negotiate", "ntlm", "token", "oauth", "dpop",
	"sharedkey", "sharedaccesssignature", "apikey", "key", "ssws", "hoba", "mutual",
	NULL
};

/*
 * Schemes whose credential is redacted wherever they appear ("Bearer x"),
 * not only after an Authorization key: the ones that are not also common
 * English words.
 */
static const char *const hr_credential_schemes[] = {
	"bearer", "basic", "apikey", "negotiate", "ntlm", "sharedkey",
	"sharedaccesssignature", "ssws", "dpop",
	NULL
};

/* Length of the scheme word at s[v..] followed by a space, or 0. */
static size_t
hr_auth_scheme_word(const char *s, size_t len, size_t v)
{
	size_t		w = v;

	while (w < len && hr_alpha((unsigned char) s[w]))
		w++;
	if (w == v || w >= len || s[w] != ' ')
		return 0;
	for (const char *const *a = hr_auth_schemes; *a; a++)
		if (strlen(*a) == w - v && hr_starts_ci(s, len, v, *a))
			return w - v;
	return 0;
}

/*
 * End (past the closing bracket) of the JSON-like object or array opening at
 * s[v], skipping quoted strings; len when it is not closed.
 */
static size_t
hr_bracket_end(const char *s, size_t len, size_t v)
{
	int			depth = 0;
	bool		in_string = false;

	for (size_t k = v; k < len; k++)
	{
		char		c = s[k];

		if (in_string)
		{
			if (c == '\\')
				k++;
			else if (c == '"')
				in_string = false;
		}
		else if (c == '"')
			in_string = true;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return k + 1;
	}
	return len;
}

/*
 * Whether a key, normalized like the secret-key list, ends with suffix:
 * "cookie" keys take values that run across "; name=value" pairs, and
 * "authorization" keys keep their scheme word.
 */
static bool
hr_key_ends_with(const char *key, size_t len, const char *suffix)
{
	size_t		n;
	size_t		slen = strlen(suffix);
	char	   *norm = hr_secret_key_normalize(key, len, &n);
	bool		yes = (n >= slen && memcmp(norm + n - slen, suffix, slen) == 0);

	pfree(norm);
	return yes;
}

/*
 * Whether s[v..] reads as the words of a sentence rather than a value: a
 * word of lowercase letters (maybe capitalized), then a space and another
 * word (of letters; after an error code, of letters or digits).  A password of plain lowercase letters
 * followed by more words is taken for prose (doc/sanitizing.md says so).
 */
static bool
hr_prose_value(const char *s, size_t len, size_t v, bool capital)
{
	size_t		e = v;

	/* text in another script: a translated message */
	if (e < len && (unsigned char) s[e] >= 0x80)
		return true;
	if (e < len && hr_upper((unsigned char) s[e]))
		e++;
	while (e < len && hr_lower((unsigned char) s[e]))
		e++;
	if (e - v < 2 || e + 1 >= len || s[e] != ' ')
		return false;
	return hr_alpha((unsigned char) s[e + 1]) || (capital && hr_alnum((unsigned char) s[e + 1]));
}

/* "IDX14100: ..." after an error code: another code, not a value */
static bool
hr_code_value(const char *s, size_t len, size_t v)
{
	size_t		e = v;

	while (e < len && hr_alnum((unsigned char) s[e]))
		e++;
	return e > v && e + 1 < len && s[e] == ':' && s[e + 1] == ' ';
}

/*
 * A placeholder of help text (--password PASSWORD, --auth=METHOD,
 * --restrict-key=RESTRICT_KEY): capitals and '_' only, no digit.
 */
static bool
hr_metavar_value(const char *s, size_t len, size_t v)
{
	size_t		e = v;

	while (e < len && (hr_upper((unsigned char) s[e]) || s[e] == '_'))
		e++;
	return e - v >= 3 && e - v <= 24 && (e == len || s[e] == ' ' || s[e] == ',' ||
										 s[e] == ']' || s[e] == ')');
}

/* An UpperCamelCase word: InvalidAuthenticationToken, ExpiredToken */
static bool
hr_upper_camel(const char *k, size_t n)
{
	int			humps = 0;

	if (n < 4 || !hr_upper((unsigned char) k[0]))
		return false;
	for (size_t i = 0; i < n; i++)
	{
		if (!hr_alnum((unsigned char) k[i]))
			return false;
		if (hr_upper((unsigned char) k[i]) && i + 1 < n && hr_lower((unsigned char) k[i + 1]))
			humps++;
	}
	return humps >= 2;
}

/*
 * The value of a secret key: key=value, key: value, "key": "value",
 * key => value, \"key\":\"value\" (JSON inside a string), and so URL query
 * parameters too.  A quoted value keeps its quotes; an unterminated quote
 * runs to the end.  "Authorization: Bearer x" keeps the scheme word.
 *
 * One function on purpose, though long: the phases of one match (the key,
 * its separator, the value and a parameter list that continues it) share the
 * positions k0, i, j, v and the query and password flags, and every phase
 * may give up the match and resume the outer scan at i.  Split into helpers,
 * all of that state would be passed back and forth; the phases are marked by
 * comments instead.
 */
static bool
hr_find_key_value(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	size_t		i = from;

	while (i < len)
	{
		size_t		k0,
					j,
					v;
		bool		in_query,
					pw_key;
		char		sep;

		if (!hr_key_char((unsigned char) s[i]) ||
			(i > 0 && hr_key_char((unsigned char) s[i - 1])))
		{
			i++;
			continue;
		}
		k0 = i;
		in_query = (k0 > 0 && (s[k0 - 1] == '?' || s[k0 - 1] == '&' || s[k0 - 1] == '#'));
		while (i < len && hr_key_char((unsigned char) s[i]))
			i++;
		/* a separator must follow (or an option's space) before the key is looked up */
		{
			size_t		p = i;

			if (p < len && (s[p] == '"' || s[p] == '\''))
				p++;
			else if (p + 1 < len && s[p] == '\\' && s[p + 1] == '"')
				p += 2;
			if (p < len && s[p] == ' ')
				p++;
			if (!(p < len && (s[p] == '=' || s[p] == ':')) && !(s[k0] == '-' && i < len && s[i] == ' '))
				continue;
		}
		if (!hr_is_secret_key(s + k0, i - k0))
			continue;
		/* a segment of a path or URL: /oauth2/v2.0/token": ... */
		if (k0 > 0 && s[k0 - 1] == '/')
			continue;
		/* a password in a URL query may hold '#' (people do not encode it) */
		pw_key = hr_key_ends_with(s + k0, i - k0, "password") || hr_key_ends_with(s + k0, i - k0, "pwd") ||
			hr_key_ends_with(s + k0, i - k0, "pass");

		j = i;
		sep = 0;
		if (s[k0] == '-' && j + 1 < len && s[j] == ' ' && s[j + 1] != '-' &&
			!(s[j + 1] == '=' || s[j + 1] == ':'))
		{
			/* a command-line option: --password x, -ClientSecret "x" */
			v = j + 1;
			/* ... but not the help text: "-W, --password  force password prompt" */
			if (hr_prose_value(s, len, v, false) || hr_metavar_value(s, len, v))
				continue;
		}
		else
		{
			/* closing quote of a quoted key, then the separator */
			if (j < len && (s[j] == '"' || s[j] == '\''))
				j++;
			else if (j + 1 < len && s[j] == '\\' && s[j + 1] == '"')
				j += 2;
			if (j < len && s[j] == ' ')
				j++;
			if (j >= len || (s[j] != '=' && s[j] != ':'))
				continue;
			if (s[j] == ':' && j + 2 < len && s[j + 1] == '/' && s[j + 2] == '/')
				continue;
			sep = s[j];
			j++;
			if (j < len && s[j - 1] == '=' && s[j] == '>')
				j++;
			if (j < len && s[j] == ' ')
				j++;
			v = j;
		}
		if (v >= len)
			return false;
		/*
		 * "key: words of a sentence": prose, not a value ("could not
		 * encrypt password: out of memory", "InvalidAuthenticationToken:
		 * Access token has expired" -- an UpperCamelCase error code is not
		 * a key).
		 */
		if (sep == ':' &&
			(hr_prose_value(s, len, v, false) ||
			 (hr_upper_camel(s + k0, i - k0) &&
			  (hr_prose_value(s, len, v, true) || hr_code_value(s, len, v)))))
			continue;
		if (s[k0] == '-' && hr_metavar_value(s, len, v))
			continue;
		/* shmget(key=60215, ...): a bare "key" with a number is not a secret */
		if (i - k0 == 3 && hr_starts_ci(s, len, k0, "key"))
		{
			size_t		d = v;

			while (d < len && hr_digit((unsigned char) s[d]))
				d++;
			if (d > v && (d == len || hr_value_end((unsigned char) s[d], in_query)))
				continue;
		}

		if (s[v] == '"' || s[v] == '\'' || (s[v] == '\\' && v + 1 < len && s[v + 1] == '"'))
		{
			bool		escaped_quote = (s[v] == '\\');
			char		q = escaped_quote ? '"' : s[v];
			size_t		b = v + (escaped_quote ? 2 : 1),
						e = b;

			while (e < len)
			{
				if (escaped_quote)
				{
					if (s[e] == '\\' && e + 1 < len && s[e + 1] == '"')
						break;
				}
				else if (s[e] == '\\' && q == '"')
				{
					e++;		/* skip the escaped character */
				}
				else if (s[e] == q)
					break;
				e++;
			}
			e = Min(e, len);
			i = e;
			if (e == b || (e - b == HR_REDACTED_LEN && hr_is_marker(s, len, b)))
				continue;
			*start = b;
			*end = e;
			return true;
		}

		/* "Authorization: Bearer x": keep the scheme word */
		if (hr_key_ends_with(s + k0, i - k0, "authorization"))
		{
			size_t		w = hr_auth_scheme_word(s, len, v);

			if (w > 0 && v + w + 1 < len && !hr_value_end((unsigned char) s[v + w + 1], in_query))
				v += w + 1;
		}
		if (hr_is_marker(s, len, v))
		{
			i = v + HR_REDACTED_LEN;
			continue;
		}
		/* a JSON object or array value: all of it, to the matching bracket */
		if (s[v] == '{' || s[v] == '[')
		{
			*start = v;
			*end = hr_bracket_end(s, len, v);
			return true;
		}
		j = v;
		for (;;)
		{
			while (j < len && !hr_value_end((unsigned char) s[j], in_query && !(pw_key && s[j] == '#')))
				j++;
			/*
			 * A list of parameters is one value: "Cookie: a=1; b=2; HttpOnly",
			 * "Stripe-Signature: t=1,v1=abc".
			 */
			if (j < len && (s[j] == ';' || s[j] == ','))
			{
				size_t		n = j + 1,
							k;

				if (n < len && s[n] == ' ')
					n++;
				for (k = n; k < len && hr_key_char((unsigned char) s[k]); k++)
					;
				if (n < len && !hr_value_end((unsigned char) s[n], in_query) &&
					((k > n && k < len && s[k] == '=') ||
					 (s[j] == ';' && hr_key_ends_with(s + k0, i - k0, "cookie"))))
				{
					j = n;
					continue;
				}
			}
			break;
		}
		i = j;
		/* nothing, or a JSON literal: "token": null */
		if (j == v || (j - v == 4 && (memcmp(s + v, "null", 4) == 0 || memcmp(s + v, "true", 4) == 0)) ||
			(j - v == 5 && memcmp(s + v, "false", 5) == 0))
			continue;
		*start = v;
		*end = j;
		return true;
	}
	return false;
}

/*
 * "Bearer x" / "Basic x": the credential, unless it is a plain word
 * ("Basic authentication failed", "Bearer realm=...").
 */
static bool
hr_find_auth_scheme(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	for (size_t i = from; i < len; i++)
	{
		size_t		t,
					e,
					pad;
		bool		word = true;

		if (i > 0 && hr_alnum((unsigned char) s[i - 1]))
			continue;
		t = 0;
		for (const char *const *a = hr_credential_schemes; *a && t == 0; a++)
			if (hr_starts_ci(s, len, i, *a) && i + strlen(*a) < len && s[i + strlen(*a)] == ' ')
				t = i + strlen(*a) + 1;
		if (t == 0)
			continue;
		/* token68: 1*(ALPHA / DIGIT / "-._~+/") *"=" */
		e = t;
		while (e < len && hr_token68_char((unsigned char) s[e]) && s[e] != '=')
			e++;
		if (e == t)
			continue;
		for (size_t k = t; k < e; k++)
			if (!(k == t ? hr_alpha((unsigned char) s[k]) : hr_lower((unsigned char) s[k])))
				word = false;
		pad = e;
		while (e < len && s[e] == '=')
			e++;
		/* realm="x", error=... are parameters of a challenge, not credentials */
		if (e > pad && e < len && !hr_value_end((unsigned char) s[e], false) && s[e] != '.')
			continue;
		if (e > pad && word)
			continue;
		if (word && e - t < 20)
			continue;
		/* "basic POSIX regular expressions", "Basic HTTP authentication" */
		if (e == pad && e - t < 20 && e < len && s[e] == ' ')
		{
			bool		letters = true;

			for (size_t k = t; k < e && letters; k++)
				letters = hr_alpha((unsigned char) s[k]);
			if (letters)
				continue;
		}
		*start = t;
		*end = e;
		return true;
	}
	return false;
}

/* E-mail addresses: local@domain.tld */
static bool
hr_find_email(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	for (size_t i = from; i < len; i++)
	{
		size_t		ls = i,
					de = i + 1,
					last_dot = 0;
		bool		tld_ok = true;

		if (s[i] != '@')
			continue;
		while (ls > from && hr_email_local_char((unsigned char) s[ls - 1]))
			ls--;
		while (ls < i && s[ls] == '.')
			ls++;
		if (ls == i)
			continue;
		while (de < len && hr_domain_char((unsigned char) s[de]))
			de++;
		while (de > i + 1 && (s[de - 1] == '.' || s[de - 1] == '-'))
			de--;
		if (de == i + 1 || !(hr_alnum((unsigned char) s[i + 1]) || (unsigned char) s[i + 1] >= 0x80))
			continue;
		for (size_t k = i + 1; k < de; k++)
			if (s[k] == '.')
				last_dot = k;
		if (last_dot == 0 || de - last_dot - 1 < 2)
			continue;
		/* a top-level domain of letters, or of other scripts (.рф, .广告) */
		for (size_t k = last_dot + 1; k < de; k++)
			if (!(hr_alpha((unsigned char) s[k]) || (unsigned char) s[k] >= 0x80))
				tld_ok = false;
		if (!tld_ok)
			continue;
		*start = ls;
		*end = de;
		return true;
	}
	return false;
}

static const HrFinder hr_passes[] = {
	hr_find_pem,
	hr_find_known_token,
	hr_find_url_credentials,
	hr_find_jwt,
	hr_find_key_value,
	hr_find_auth_scheme,
	hr_find_password_syntax,
	hr_find_email,
	hr_find_personal_number,
	hr_find_random_token,
};

/* One pass: every span the finder returns becomes the marker. */
static char *
hr_apply_pass(HrFinder find, const char *s, size_t len, size_t *outlen, bool *changed)
{
	StringInfoData out;
	size_t		pos = 0,
				st,
				en;

	initStringInfo(&out);
	while (pos < len && find(s, len, pos, &st, &en))
	{
		Assert(st >= pos && en > st && en <= len);
		appendBinaryStringInfo(&out, s + pos, (int) (st - pos));
		appendBinaryStringInfo(&out, HR_REDACTED, (int) HR_REDACTED_LEN);
		pos = en;
		*changed = true;
	}
	appendBinaryStringInfo(&out, s + pos, (int) (len - pos));
	*outlen = (size_t) out.len;
	return out.data;
}

/* All passes, repeated until a round changes nothing. */
static char *
hr_redact(const char *s, size_t len, size_t *outlen)
{
	char	   *cur = pnstrdup(s, len);

	for (int round = 0; round < HR_SANITIZE_MAX_ROUNDS; round++)
	{
		bool		changed = false;

		for (size_t p = 0; p < lengthof(hr_passes); p++)
		{
			char	   *next = hr_apply_pass(hr_passes[p], cur, len, &len, &changed);

			pfree(cur);
			cur = next;
		}
		if (!changed)
			break;
	}
	*outlen = len;
	return cur;
}

/*
 * Byte length of s cut to max_chars characters: never inside a character,
 * never inside a marker (a half marker would be redacted again), no space
 * left at the end.  len when s is not longer.
 */
static size_t
hr_cut_length(const char *s, size_t len, size_t max_chars, int enc)
{
	size_t		pos = 0,
				chars = 0;

	while (pos < len && chars < max_chars)
	{
		pos += (enc == PG_UTF8) ? pg_utf_mblen((const unsigned char *) s + pos)
			: pg_encoding_mblen(enc, s + pos);
		chars++;
	}
	if (pos >= len)
		return len;
	for (size_t k = 1; k < HR_REDACTED_LEN && k <= pos; k++)
		if (hr_is_marker(s, len, pos - k))
		{
			pos -= k;
			break;
		}
	while (pos > 0 && s[pos - 1] == ' ')
		pos--;
	return pos;
}

/*
 * Where to cut input longer than limit bytes: after the last white space or
 * value terminator (quote, bracket, comma, semicolon...) at or before the
 * limit, so a secret is never cut in two (a partial token could escape the
 * rules), and the rest is dropped.  A terminator is a byte below 0x80, so
 * the cut never splits a character.  When the limit falls in one run of
 * four megabytes, the run is cut at the limit (before a UTF-8 continuation
 * byte) and judged as it is: a random token cut is still random, a token
 * format keeps its marker.
 */
static size_t
hr_input_cut(const char *msg, size_t limit)
{
	size_t		keep = limit;

	while (keep > 0)
	{
		unsigned char c = (unsigned char) msg[keep];

		if (c <= 0x20 || c == 0x7F || (hr_value_end(c, true) && c != '&' && c != '#'))
			return keep;
		keep--;
	}
	keep = limit;
	while (keep > 0 && ((unsigned char) msg[keep] & 0xC0) == 0x80)
		keep--;
	return keep;
}

char *
hr_sanitize_message(const char *msg, size_t len, size_t max_chars)
{
	int			enc = GetDatabaseEncoding();
	StringInfoData norm;
	char	   *text;
	size_t		cap = (max_chars == 0 || max_chars > HR_SANITIZE_MAX_CHARS)
		? HR_SANITIZE_MAX_CHARS : max_chars;

	if (msg == NULL)
		len = 0;

	/*
	 * Huge input: keep what precedes the last white space before the limit,
	 * so no secret is cut in two (a partial token would escape the rules).
	 */
	if (len > HR_SANITIZE_MAX_INPUT)
		len = hr_input_cut(msg, HR_SANITIZE_MAX_INPUT);

	initStringInfo(&norm);
	hr_normalize(&norm, msg, len, enc);
	text = hr_redact(norm.data, (size_t) norm.len, &len);
	pfree(norm.data);

	/*
	 * Cut, then redact again what the cut may have made look like a secret
	 * (a shorter run can pass the entropy rule), until it fits.
	 */
	for (int round = 0;; round++)
	{
		size_t		cut = hr_cut_length(text, len, cap, enc);
		char	   *next;

		if (cut == len)
			break;
		if (round == HR_SANITIZE_MAX_ROUNDS)
		{
			text[cut] = '\0';
			break;
		}
		next = hr_redact(text, cut, &len);
		pfree(text);
		text = next;
	}
	return text;
}

bool
hr_holds_secret(const char *s, size_t len)
{
	char	   *clean = hr_sanitize_message(s, len, 0);
	bool		found = strstr(clean, HR_REDACTED) != NULL;

	pfree(clean);
	return found;
}
