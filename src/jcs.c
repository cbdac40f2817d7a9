/*
 * jcs.c: the text rules of RFC 8785 (JCS): numbers in the ECMAScript form,
 * strings, the order of member names (see jcs.h).  No jansson and no
 * catalog access: the fuzz targets build this file outside the server.
 *
 * A number is held as ECMAScript's Number::toString holds it (ECMA-262,
 * Number::toString): k significant digits s (no leading or trailing zero)
 * and n, so that its value is s x 10^(n-k).  The shortest round-trip digits
 * of a double come from double_to_shortest_decimal_bufn (Ryu, in
 * PostgreSQL's common library, which float8out uses too); the layout of
 * those digits (fixed or with an exponent) is done here.
 */
#include "jcs.h"

#include <errno.h>
#include <limits.h>
#include <math.h>

#include "common/shortest_dec.h"

/* Digits kept: a double never needs more than 17 significant digits. */
#define HR_DEC_DIGITS	17
/* Decimal exponents whose doubles are all normal: fewer than 16 digits need no round trip there. */
#define HR_DEC_SAFE_N	300

typedef struct HrDec
{
	bool		neg;
	bool		zero;
	long		k;				/* significant digits (more than are kept in s) */
	long		n;				/* value = s x 10^(n - k) */
	char		s[HR_DEC_DIGITS];
} HrDec;

/*
 * Parse JSON number text (-?int(.frac)?([eE][+-]?digits)?, which numeric's
 * output text is too) into d; false when it is not such text.
 */
static bool
hr_dec_parse(const char *p, size_t len, HrDec *d)
{
	const char *end = p + len;
	bool		lead = true;
	bool		any = false;
	long		zeros = 0;		/* zeros seen after the last non-zero significant digit */

	d->neg = false;
	d->k = 0;
	d->n = 0;
	if (p < end && *p == '-')
		d->neg = true, p++;
	for (int part = 0; part < 2; part++)
	{
		int			digits = 0;

		if (part == 1)
		{
			if (p >= end || *p != '.')
				break;
			p++;
		}
		for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
		{
			any = true;
			if (lead && *p == '0')
			{
				if (part == 1)
					d->n--;
				continue;
			}
			lead = false;
			if (part == 0)
				d->n++;
			if (*p == '0')
			{
				zeros++;
				continue;
			}
			/* the zeros before this digit are significant after all */
			for (; zeros > 0; zeros--, d->k++)
				if (d->k < HR_DEC_DIGITS)
					d->s[d->k] = '0';
			if (d->k < HR_DEC_DIGITS)
				d->s[d->k] = *p;
			if (d->k < LONG_MAX / 2)
				d->k++;
		}
		if (digits == 0)
			return false;
	}
	if (!any)
		return false;
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		bool		eneg = false;
		long		e = 0;
		int			digits = 0;

		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = (*p++ == '-');
		for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
			if (e < 1000000000L)
				e = e * 10 + (*p - '0');
		if (digits == 0)
			return false;
		d->n += eneg ? -e : e;
	}
	if (p != end)
		return false;
	d->zero = (d->k == 0);
	return true;
}

/* ECMAScript Number::toString of d; returns the length. */
static int
hr_dec_format(const HrDec *d, char *out)
{
	char	   *p = out;
	long		k = d->k,
				n = d->n;

	if (d->zero)
	{
		strcpy(out, "0");
		return 1;
	}
	Assert(k <= HR_DEC_DIGITS);
	if (d->neg)
		*p++ = '-';
	if (k <= n && n <= 21)
	{
		memcpy(p, d->s, k);
		p += k;
		memset(p, '0', n - k);
		p += n - k;
	}
	else if (0 < n && n <= 21)
	{
		memcpy(p, d->s, n);
		p += n;
		*p++ = '.';
		memcpy(p, d->s + n, k - n);
		p += k - n;
	}
	else if (-6 < n && n <= 0)
	{
		*p++ = '0';
		*p++ = '.';
		memset(p, '0', -n);
		p += -n;
		memcpy(p, d->s, k);
		p += k;
	}
	else
	{
		*p++ = d->s[0];
		if (k > 1)
		{
			*p++ = '.';
			memcpy(p, d->s + 1, k - 1);
			p += k - 1;
		}
		p += sprintf(p, "e%c%ld", n - 1 >= 0 ? '+' : '-', labs(n - 1));
	}
	*p = '\0';
	return p - out;
}

/*
 * Is there a k-digit decimal that rounds to v?  Only v rounded to k digits
 * and its two neighbours on that grid can be one (see hr_double_dec).
 */
static bool
hr_shorter(double v, int k, HrDec *d)
{
	char		buf[64];
	HrDec		c;
	unsigned long long s = 0;
	bool		ok PG_USED_FOR_ASSERTS_ONLY;

	snprintf(buf, sizeof(buf), "%.*e", k - 1, v);
	ok = hr_dec_parse(buf, strlen(buf), &c);
	Assert(ok && !c.zero);
	for (int i = 0; i < k; i++)
		s = s * 10 + (i < c.k ? c.s[i] - '0' : 0);
	for (int delta = 0; delta <= 2; delta++)
	{
		unsigned long long t = delta == 0 ? s : delta == 1 ? s - 1 : s + 1;

		snprintf(buf, sizeof(buf), "%s%llue%ld", c.neg ? "-" : "", t, c.n - k);
		if (t != 0 && strtod(buf, NULL) == v)
		{
			ok = hr_dec_parse(buf, strlen(buf), d);
			Assert(ok);
			return true;
		}
	}
	return false;
}

/*
 * The shortest round-trip digits of v (ECMA-262 Number::toString: the
 * fewest digits whose value rounds to v, the nearest to v among those).
 * PostgreSQL's Ryu never takes a digit string that lies exactly half-way
 * between v and its neighbour, while such a string does round to v when v's
 * mantissa is even (ties round to even): 62426477193956220 is the shortest
 * form of the double 62426477193956224, which Ryu prints with 17 digits.
 * Only such a half-way point can be shorter than Ryu's digits, so for an
 * even mantissa shorter forms are tried, one digit less at a time.
 */
static void
hr_double_dec(double v, HrDec *d)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];
	int			len = double_to_shortest_decimal_bufn(v, buf);
	uint64		bits;
	bool		ok PG_USED_FOR_ASSERTS_ONLY;

	ok = hr_dec_parse(buf, len, d);
	Assert(ok && d->k <= HR_DEC_DIGITS);
	memcpy(&bits, &v, sizeof(bits));
	if ((bits & 1) == 0)
		while (d->k > 1 && hr_shorter(v, (int) d->k - 1, d))
			;
}

int
hr_jcs_double(double v, char out[HR_JCS_NUMBER_MAX])
{
	HrDec		d;

	Assert(isfinite(v));
	if (v == 0)					/* and -0 */
	{
		strcpy(out, "0");
		return 1;
	}
	hr_double_dec(v, &d);
	return hr_dec_format(&d, out);
}

bool
hr_jcs_decimal(const char *text, size_t len, char out[HR_JCS_NUMBER_MAX])
{
	HrDec		d,
				r;
	char		small[64];
	char	   *copy;
	double		v;

	out[0] = '\0';
	if (!hr_dec_parse(text, len, &d))
		return false;
	/*
	 * Up to 15 significant digits, in the range of normal doubles: the
	 * nearest double's shortest digits are these digits (DBL_DIG is 15), so
	 * no conversion is needed.  Most numbers take this way, and so do the
	 * integers up to 2^53 (the next test).
	 */
	if (d.zero || (d.k <= 15 && d.n > -HR_DEC_SAFE_N && d.n < HR_DEC_SAFE_N))
	{
		hr_dec_format(&d, out);
		return true;
	}
	/* An integer of 16 digits up to 2^53 is a double as it is. */
	if (d.n == 16 && d.k <= 16)
	{
		char		padded[17];

		memcpy(padded, d.s, d.k);
		memset(padded + d.k, '0', 16 - d.k);
		padded[16] = '\0';
		if (strcmp(padded, "9007199254740992") <= 0)
		{
			hr_dec_format(&d, out);
			return true;
		}
	}

	if (len < sizeof(small))
	{
		memcpy(small, text, len);
		small[len] = '\0';
		copy = small;
	}
	else
		copy = pnstrdup(text, len);
	errno = 0;
	v = strtod(copy, NULL);
	if (copy != small)
		pfree(copy);
	if (!isfinite(v))
		return false;			/* beyond the range of a double */
	if (v == 0)
	{
		strcpy(out, "0");		/* below it: not zero, yet it would print 0 */
		return false;
	}
	hr_double_dec(v, &r);
	hr_dec_format(&r, out);
	/* more digits than any double's shortest form: never exact */
	if (d.k > HR_DEC_DIGITS)
		return false;
	return r.k == d.k && r.n == d.n && memcmp(r.s, d.s, d.k) == 0;
}

void
hr_jcs_number_error(const char *what, const char *path, const char *text, size_t len)
{
	char		nearest[HR_JCS_NUMBER_MAX];
	int			shown = (int) Min(len, 40);
	const char *more = len > (size_t) shown ? "..." : "";

	(void) hr_jcs_decimal(text, len, nearest);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("number at %s%s%s has no exact canonical JSON form", path,
					what ? " of " : "", what ? what : ""),
			 nearest[0] == '\0'
			 ? errdetail("It is %.*s%s, beyond the range of an IEEE double; canonical JSON (RFC 8785) writes every number as a double.",
						 shown, text, more)
			 : errdetail("It is %.*s%s; canonical JSON (RFC 8785) writes every number as the nearest IEEE double, %s, which is another number.",
						 shown, text, more, nearest),
			 errhint("Pass such a number as a JSON string, e.g. \"%.*s%s\".", shown, text, more)));
}

/* ---- strings ---- */

void
hr_jcs_append_string(StringInfo out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t		run = 0;

	enlargeStringInfo(out, len + 2);
	appendStringInfoChar(out, '"');
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[6];
		int			esclen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		appendBinaryStringInfo(out, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c)
		{
			case '"':
				esc[1] = '"';
				break;
			case '\\':
				esc[1] = '\\';
				break;
			case '\b':
				esc[1] = 'b';
				break;
			case '\t':
				esc[1] = 't';
				break;
			case '\n':
				esc[1] = 'n';
				break;
			case '\f':
				esc[1] = 'f';
				break;
			case '\r':
				esc[1] = 'r';
				break;
			default:
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 0xf];
				esclen = 6;
		}
		appendBinaryStringInfo(out, esc, esclen);
	}
	appendBinaryStringInfo(out, s + run, len - run);
	appendStringInfoChar(out, '"');
}

/* ---- member order ---- */

/* The code point that starts at p (at most end - p bytes); 0xFFFD on bad UTF-8. */
static uint32
hr_utf8_at(const unsigned char *p, const unsigned char *end)
{
	int			n;
	uint32		cp;

	if (p[0] < 0x80)
		return p[0];
	n = p[0] >= 0xF0 ? 3 : p[0] >= 0xE0 ? 2 : p[0] >= 0xC0 ? 1 : -1;
	if (n < 0 || end - p <= n)
		return 0xFFFD;
	cp = p[0] & (0x3F >> n);
	for (int i = 1; i <= n; i++)
		cp = (cp << 6) | (p[i] & 0x3F);
	return cp;
}

/*
 * UTF-16 puts U+10000 and above (surrogates D800..DFFF) before U+E000 ..
 * U+FFFF; UTF-8 and code points put them after.  Shift E000..FFFF above
 * every code point so that comparing code points compares UTF-16.
 */
static uint32
hr_utf16_rank(uint32 cp)
{
	return (cp >= 0xE000 && cp <= 0xFFFF) ? cp + 0x200000 : cp;
}

int
hr_jcs_key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		m = Min(alen, blen),
				i = 0,
				diff;
	uint32		ca,
				cb;

	while (i < m && a[i] == b[i])
		i++;
	if (i == m)
		return alen < blen ? -1 : alen > blen ? 1 : 0;
	diff = i;
	if ((unsigned char) a[i] < 0x80 && (unsigned char) b[i] < 0x80)
		return (unsigned char) a[i] < (unsigned char) b[i] ? -1 : 1;
	/* back to the start of the character that differs (the prefix is shared) */
	while (i > 0 && ((unsigned char) a[i] & 0xC0) == 0x80)
		i--;
	ca = hr_utf16_rank(hr_utf8_at((const unsigned char *) a + i, (const unsigned char *) a + alen));
	cb = hr_utf16_rank(hr_utf8_at((const unsigned char *) b + i, (const unsigned char *) b + blen));
	if (ca != cb)
		return ca < cb ? -1 : 1;
	/* only on invalid UTF-8: fall back to the bytes */
	return (unsigned char) a[diff] < (unsigned char) b[diff] ? -1 : 1;
}
