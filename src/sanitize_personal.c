/*
 * sanitize_personal.c: personal data beyond e-mail (doc/sanitizing.md, 0.2.0):
 * payment card numbers (Luhn-valid, 13-19 digits, with or without
 * separators), IBANs (valid check digits) and US social security numbers.
 * IP addresses stay: operators need them.  Linear scanners, no allocation.
 */
#include "postgres.h"

#include "sanitize_int.h"

/* A number may not follow letters, digits or these. */
static inline bool
hr_number_glue(unsigned char c)
{
	return hr_alnum(c) || c == '_' || c == '.' || c == '/' || c == '-' || c == ':';
}

/* ... nor be followed by letters, digits or these (a sentence may go on). */
static inline bool
hr_number_tail(unsigned char c)
{
	return hr_alnum(c) || c == '_' || c == '/';
}

/* Luhn checksum of n digits */
static bool
hr_luhn(const char *d, int n)
{
	int			sum = 0;

	for (int i = 0; i < n; i++)
	{
		int			x = d[n - 1 - i] - '0';

		if (i % 2 == 1)
		{
			x *= 2;
			if (x > 9)
				x -= 9;
		}
		sum += x;
	}
	return sum % 10 == 0;
}

/*
 * The card number starting at s[i]: digits in groups of 3 to 6 separated by
 * one space or one '-' (the same throughout), or 13 to 19 digits in one
 * run; the first digits are those of a card network (2221-2720, 3, 4, 5,
 * 6), not all digits equal, Luhn-valid.  Its end, or 0.
 */
static size_t
hr_card_end(const char *s, size_t len, size_t i)
{
	char		digits[20];
	int			n = 0;
	size_t		e = i,
				last_end = 0;
	char		sep = 0;
	bool		all_same = true;

	while (e < len)
	{
		size_t		g = e;

		while (e < len && hr_digit((unsigned char) s[e]) && n < 20)
			digits[n++] = s[e++];
		if (e < len && hr_digit((unsigned char) s[e]))
			return 0;			/* more than 19 digits */
		if (e - g == 0)
			return 0;
		if (sep != 0 && (e - g < 3 || e - g > 6))
			return 0;
		last_end = e;
		if (e + 1 < len && (s[e] == ' ' || s[e] == '-') && hr_digit((unsigned char) s[e + 1]) &&
			(sep == 0 || sep == s[e]) && e - g >= 3 && e - g <= 6 && n < 19)
		{
			sep = s[e];
			e++;
			continue;
		}
		break;
	}
	if (n < 13 || n > 19 || (last_end < len && hr_number_tail((unsigned char) s[last_end])))
		return 0;
	for (int k = 1; k < n; k++)
		all_same &= digits[k] == digits[0];
	if (all_same)
		return 0;
	if (!(digits[0] >= '3' && digits[0] <= '6'))
	{
		int			p4 = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 +
			(digits[2] - '0') * 10 + (digits[3] - '0');

		if (!(p4 >= 2221 && p4 <= 2720))
			return 0;
	}
	return hr_luhn(digits, n) ? last_end : 0;
}

/* IBAN lengths by country (ISO 13616 registry) */
static const struct
{
	char		cc[3];
	int			len;
}			hr_iban_lengths[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
	{"BG", 22}, {"BH", 22}, {"BR", 29}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
	{"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
	{"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
	{"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IS", 26}, {"IT", 27},
	{"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LI", 21}, {"LT", 20}, {"LU", 20},
	{"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31},
	{"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25},
	{"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24},
	{"SM", 27}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VG", 24}, {"XK", 20},
};

/*
 * The IBAN starting at s[i]: country, two check digits, the account part
 * (capitals and digits), in one run or in groups of four separated by
 * single spaces, of the country's length, and the ISO 7064 mod 97 check
 * equal to 1.  Its end, or 0.
 */
static size_t
hr_iban_end(const char *s, size_t len, size_t i)
{
	char		c[34];
	int			n = 0,
				want = 0,
				rem = 0;
	size_t		e = i;

	if (i + 4 > len || !hr_upper((unsigned char) s[i]) || !hr_upper((unsigned char) s[i + 1]) ||
		!hr_digit((unsigned char) s[i + 2]) || !hr_digit((unsigned char) s[i + 3]))
		return 0;
	for (size_t k = 0; k < lengthof(hr_iban_lengths); k++)
		if (s[i] == hr_iban_lengths[k].cc[0] && s[i + 1] == hr_iban_lengths[k].cc[1])
			want = hr_iban_lengths[k].len;
	if (want == 0)
		return 0;
	while (e < len && n < want)
	{
		unsigned char ch = (unsigned char) s[e];

		if (hr_upper(ch) || hr_digit(ch))
		{
			c[n++] = (char) ch;
			e++;
		}
		else if (ch == ' ' && n % 4 == 0 && n > 0 && e + 1 < len &&
				 (hr_upper((unsigned char) s[e + 1]) || hr_digit((unsigned char) s[e + 1])))
			e++;
		else
			break;
	}
	if (n != want || (e < len && hr_number_tail((unsigned char) s[e])))
		return 0;
	/* rearranged: account part, then country and check digits */
	for (int k = 0; k < n; k++)
	{
		char		ch = c[(k + 4) % n];
		int			v = hr_digit((unsigned char) ch) ? ch - '0' : ch - 'A' + 10;

		rem = (v >= 10) ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
	}
	return rem == 1 ? e : 0;
}

/*
 * A US social security number: ddd-dd-dddd, area not 000, 666 or 9xx,
 * group not 00, serial not 0000.  Its end, or 0.
 */
static size_t
hr_ssn_end(const char *s, size_t len, size_t i)
{
	static const char shape[] = "ddd-dd-dddd";

	if (len - i < 11)
		return 0;
	for (int k = 0; k < 11; k++)
		if (shape[k] == 'd' ? !hr_digit((unsigned char) s[i + k]) : s[i + k] != '-')
			return 0;
	if (i + 11 < len && (hr_number_tail((unsigned char) s[i + 11]) || s[i + 11] == '-'))
		return 0;
	if (memcmp(s + i, "000", 3) == 0 || memcmp(s + i, "666", 3) == 0 || s[i] == '9' ||
		memcmp(s + i + 4, "00", 2) == 0 || memcmp(s + i + 7, "0000", 4) == 0)
		return 0;
	return i + 11;
}

bool
hr_find_personal_number(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	for (size_t i = from; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		size_t		e = 0;

		if (!(hr_digit(c) || hr_upper(c)) || (i > 0 && hr_number_glue((unsigned char) s[i - 1])))
			continue;
		if (hr_digit(c))
		{
			e = hr_ssn_end(s, len, i);
			if (e == 0)
				e = hr_card_end(s, len, i);
		}
		else
			e = hr_iban_end(s, len, i);
		if (e > 0)
		{
			*start = i;
			*end = e;
			return true;
		}
	}
	return false;
}
