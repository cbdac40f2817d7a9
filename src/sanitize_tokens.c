/*
 * sanitize_tokens.c: tokens by their published formats, and random tokens
 * whatever their case pattern (doc/sanitizing.md, 0.2.0). Hand-written
 * scanners, linear in the length of the text, no allocation, never raising.
 */
#include "postgres.h"

#include "sanitize_int.h"

/* ---- token formats ---- */

/* character sets of a token's body */
#define T_UP	0x001			/* A-Z */
#define T_LO	0x002			/* a-z */
#define T_DI	0x004			/* 0-9 */
#define T_US	0x008			/* _ */
#define T_DASH	0x010			/* - */
#define T_DOT	0x020			/* . */
#define T_B64	0x040			/* + / */
#define T_EQ	0x080			/* = */
#define T_TILDE	0x100			/* ~ */
#define T_HEX	0x200			/* 0-9 a-f A-F only (with none of UP LO) */
#define T_PCT	0x400			/* % */
#define T_AT	0x800			/* @ */

#define T_AN		(T_UP | T_LO | T_DI)
#define T_URLSAFE	(T_AN | T_US | T_DASH)

/* flags */
#define TF_DIGIT	0x01		/* the body holds a digit */
#define TF_MIXED	0x02		/* the body holds an upper- and a lower-case letter */
#define TF_URL		0x04		/* the prefix is a host and path: the scheme and host go too */
#define TF_EXACT	0x08		/* the body is exactly min characters */

typedef struct HrTokenFormat
{
	const char *prefix;			/* the format's own marker, case-sensitive */
	uint16		body;			/* T_ set of the body */
	uint16		min;			/* characters of the body, at least */
	uint8		flags;
} HrTokenFormat;

/*
 * Formats as the providers publish them (collected by gitleaks and
 * trufflehog, see test/corpus/README.md).  Only a prefix that is the
 * format's own marker is here: a 40-hex git commit id, an MD5 or a UUID is
 * never a token by format.
 */
static const HrTokenFormat hr_token_formats[] = {
	/* AWS access key ids: 4-letter type, 16 of [A-Z2-7] */
	{"AKIA", T_UP | T_DI, 16, TF_EXACT}, {"ASIA", T_UP | T_DI, 16, TF_EXACT},
	{"ABIA", T_UP | T_DI, 16, TF_EXACT}, {"ACCA", T_UP | T_DI, 16, TF_EXACT},
	{"AGPA", T_UP | T_DI, 16, TF_EXACT}, {"AIDA", T_UP | T_DI, 16, TF_EXACT},
	{"AROA", T_UP | T_DI, 16, TF_EXACT}, {"AIPA", T_UP | T_DI, 16, TF_EXACT},
	{"ANPA", T_UP | T_DI, 16, TF_EXACT}, {"ANVA", T_UP | T_DI, 16, TF_EXACT},
	{"APKA", T_UP | T_DI, 16, TF_EXACT},
	{"ABSK", T_AN | T_B64 | T_EQ, 100, 0},	/* Amazon Bedrock */
	/* GitHub */
	{"ghp_", T_AN, 36, 0}, {"gho_", T_AN, 36, 0}, {"ghu_", T_AN, 36, 0},
	{"ghs_", T_AN, 36, 0}, {"ghr_", T_AN, 36, 0}, {"github_pat_", T_AN | T_US, 60, 0},
	/* GitLab */
	{"glpat-", T_URLSAFE | T_DOT, 20, 0}, {"gldt-", T_URLSAFE, 20, 0},
	{"glrt-", T_URLSAFE | T_DOT, 20, 0}, {"glptt-", T_HEX, 40, 0},
	{"glcbt-", T_URLSAFE, 20, 0}, {"glft-", T_URLSAFE, 20, 0},
	{"glimt-", T_URLSAFE, 25, 0}, {"glagent-", T_URLSAFE, 50, 0},
	{"gloas-", T_URLSAFE, 64, 0}, {"glsoat-", T_URLSAFE, 20, 0},
	{"glffct-", T_URLSAFE, 20, 0}, {"GR1348941", T_URLSAFE, 20, 0},
	/* Slack tokens and webhooks */
	{"xoxb-", T_AN | T_DASH, 10, 0}, {"xoxp-", T_AN | T_DASH, 10, 0},
	{"xoxa-", T_AN | T_DASH, 10, 0}, {"xoxr-", T_AN | T_DASH, 10, 0},
	{"xoxs-", T_AN | T_DASH, 10, 0}, {"xoxo-", T_AN | T_DASH, 10, 0},
	{"xoxe-", T_AN | T_DASH, 10, 0}, {"xoxe.xox", T_AN | T_DASH, 20, 0},
	{"xapp-", T_AN | T_DASH, 20, 0},
	{"hooks.slack.com/services/", T_AN | T_B64, 20, TF_URL},
	{"hooks.slack.com/workflows/", T_AN | T_B64, 20, TF_URL},
	{"hooks.slack.com/triggers/", T_AN | T_B64, 20, TF_URL},
	/* other webhooks that are secrets by their URL */
	{"discord.com/api/webhooks/", T_URLSAFE | T_B64, 40, TF_URL},
	{"discordapp.com/api/webhooks/", T_URLSAFE | T_B64, 40, TF_URL},
	{"webhook.office.com/webhookb2/", T_URLSAFE | T_B64 | T_PCT | T_DOT | T_AT, 40, TF_URL},
	{"logic.azure.com/workflows/", T_URLSAFE | T_B64, 20, TF_URL},
	/* Stripe */
	{"sk_live_", T_AN, 10, 0}, {"sk_test_", T_AN, 10, 0}, {"sk_prod_", T_AN, 10, 0},
	{"rk_live_", T_AN, 10, 0}, {"rk_test_", T_AN, 10, 0}, {"rk_prod_", T_AN, 10, 0},
	{"whsec_", T_AN, 24, 0},
	/* Google */
	{"AIza", T_URLSAFE, 35, 0}, {"GOCSPX-", T_URLSAFE, 24, 0},
	{"ya29.", T_URLSAFE | T_DOT, 20, 0},
	/* SendGrid, npm, PyPI */
	{"SG.", T_URLSAFE | T_DOT, 60, 0}, {"npm_", T_AN, 36, 0},
	{"pypi-AgEIcHlwaS5vcmc", T_URLSAFE, 50, 0},
	/* OpenAI, Anthropic and other model APIs */
	{"sk-", T_URLSAFE, 32, TF_DIGIT | TF_MIXED},
	{"pplx-", T_AN, 40, 0}, {"gsk_", T_AN, 40, 0}, {"xai-", T_AN, 60, 0},
	{"r8_", T_AN, 30, TF_DIGIT}, {"lsv2_pt_", T_HEX | T_US, 40, 0},
	{"lsv2_sk_", T_HEX | T_US, 40, 0}, {"hf_", T_UP | T_LO, 30, TF_MIXED},
	{"api_org_", T_UP | T_LO, 30, TF_MIXED},
	/* HashiCorp Vault, Terraform Cloud (".atlasv1." below) */
	{"hvs.", T_URLSAFE, 24, 0}, {"hvb.", T_URLSAFE, 24, 0}, {"hvr.", T_URLSAFE, 24, 0},
	/* Shopify, Twilio */
	{"shpat_", T_HEX, 32, 0}, {"shpca_", T_HEX, 32, 0}, {"shppa_", T_HEX, 32, 0},
	{"shpss_", T_HEX, 32, 0}, {"SK", T_HEX, 32, TF_EXACT | TF_DIGIT},
	/* Databricks, DigitalOcean, Doppler, Dynatrace */
	{"dapi", T_HEX, 32, 0}, {"dop_v1_", T_HEX, 64, 0}, {"doo_v1_", T_HEX, 64, 0},
	{"dor_v1_", T_HEX, 64, 0}, {"dp.pt.", T_AN, 40, 0}, {"dp.st.", T_AN | T_DOT | T_US, 40, 0},
	{"dp.ct.", T_AN, 40, 0}, {"dp.sa.", T_AN, 40, 0}, {"dp.scim.", T_AN, 40, 0},
	{"dp.audit.", T_AN, 40, 0}, {"dt0c01.", T_AN | T_DOT, 80, 0},
	/* Linear, Postman, Pulumi, Atlassian, Grafana, New Relic, Sentry */
	{"lin_api_", T_AN, 40, 0}, {"PMAK-", T_HEX | T_DASH, 50, 0}, {"pul-", T_HEX, 40, 0},
	{"ATATT3", T_URLSAFE | T_EQ, 100, 0}, {"ATCTT3", T_URLSAFE | T_EQ, 100, 0},
	{"glc_", T_AN | T_B64 | T_EQ, 32, 0}, {"glsa_", T_AN | T_US, 40, 0},
	{"NRAK-", T_UP | T_DI, 27, 0}, {"NRII-", T_AN | T_DASH, 32, 0}, {"NRJS-", T_HEX, 19, 0},
	{"sntryu_", T_HEX, 64, 0}, {"sntrys_", T_AN | T_B64 | T_EQ | T_US, 60, 0},
	/* age, Square, Alibaba, PlanetScale, Prefect, RubyGems, Brevo, Shippo */
	{"AGE-SECRET-KEY-1", T_UP | T_DI, 58, 0},
	{"sq0atp-", T_URLSAFE, 22, 0}, {"sq0csp-", T_URLSAFE, 40, 0},
	{"EAAA", T_URLSAFE, 60, TF_DIGIT},
	{"LTAI", T_AN, 20, TF_DIGIT},
	{"pscale_tkn_", T_URLSAFE | T_DOT | T_EQ, 32, 0}, {"pscale_pw_", T_URLSAFE | T_DOT | T_EQ, 32, 0},
	{"pscale_oauth_", T_URLSAFE | T_DOT | T_EQ, 32, 0},
	{"pnu_", T_AN, 36, 0}, {"rubygems_", T_HEX, 48, 0},
	{"xkeysib-", T_AN | T_DASH, 70, 0}, {"xsmtpsib-", T_AN | T_DASH, 70, 0},
	{"shippo_live_", T_HEX, 40, 0}, {"shippo_test_", T_HEX, 40, 0},
	/* JFrog, Fly.io, Docker Hub, Tailscale, Notion, Airtable, Octopus */
	{"AKCp", T_AN, 60, 0}, {"cmVmdGtuOjA", T_AN, 50, 0},
	{"fo1_", T_URLSAFE, 40, 0}, {"fm1r_", T_AN | T_B64 | T_EQ, 100, 0},
	{"fm1a_", T_AN | T_B64 | T_EQ, 100, 0}, {"fm2_", T_AN | T_B64 | T_EQ, 100, 0},
	{"FlyV1 fm2_", T_AN | T_B64 | T_EQ | T_US | T_DOT, 100, 0},
	{"dckr_pat_", T_URLSAFE, 20, 0}, {"dckr_oat_", T_URLSAFE, 20, 0},
	{"tskey-", T_AN | T_DASH, 30, 0},
	{"ntn_", T_AN, 40, 0}, {"secret_", T_AN, 43, TF_EXACT | TF_DIGIT | TF_MIXED},
	{"pat", T_AN | T_DOT, 79, TF_DIGIT}, {"API-", T_UP | T_DI, 26, TF_DIGIT},
	/* Supabase, Heroku, Clojars, OpenShift, EasyPost, ReadMe, Scalingo, ... */
	{"sbp_", T_HEX, 40, 0}, {"HRKU-", T_URLSAFE, 50, 0}, {"CLOJARS_", T_AN, 60, 0},
	{"sha256~", T_URLSAFE, 43, 0}, {"EZAK", T_AN, 54, 0}, {"EZTK", T_AN, 54, 0},
	{"rdme_", T_AN, 70, 0}, {"tk-us-", T_URLSAFE, 48, 0}, {"fio-u-", T_URLSAFE | T_EQ, 64, 0},
	{"ico-", T_AN, 32, TF_DIGIT}, {"duffel_test_", T_URLSAFE | T_EQ, 43, 0},
	{"duffel_live_", T_URLSAFE | T_EQ, 43, 0}, {"sgp_", T_HEX | T_US | T_LO, 40, 0},
	{"ops_eyJ", T_AN | T_B64 | T_EQ, 200, 0}, {"sk.eyJ", T_URLSAFE | T_DOT, 60, 0},
	{"v1.0-", T_HEX | T_DASH, 170, 0}, {"FLWSECK_TEST-", T_AN | T_DASH, 12, 0},
	{"FLWSECK-", T_AN | T_DASH, 12, 0}, {"rnd_", T_AN, 28, 0}, {"pcsk_", T_AN | T_US, 40, 0},
	{"sm_pat_", T_AN, 16, 0}, {"sm_aat_", T_AN, 16, 0}, {"sm_sat_", T_AN, 16, 0},
	{"p8e-", T_AN, 32, 0}, {"s-s4t2ud-", T_HEX, 64, 0}, {"s-s4t2af-", T_HEX, 64, 0},
	{"bkua_", T_AN, 40, 0}, {"CCIPAT_", T_AN | T_US, 40, 0}, {"oy2", T_LO | T_DI, 43, TF_EXACT | TF_DIGIT},
};

/* Whether c is in the T_ set. */
static inline bool
hr_token_body_char(unsigned char c, uint16 set)
{
	if (hr_upper(c))
		return (set & T_UP) || ((set & T_HEX) && c <= 'F');
	if (hr_lower(c))
		return (set & T_LO) || ((set & T_HEX) && c <= 'f');
	if (hr_digit(c))
		return (set & (T_DI | T_HEX)) != 0;
	switch (c)
	{
		case '_':
			return (set & T_US) != 0;
		case '-':
			return (set & T_DASH) != 0;
		case '.':
			return (set & T_DOT) != 0;
		case '+':
		case '/':
			return (set & T_B64) != 0;
		case '=':
			return (set & T_EQ) != 0;
		case '~':
			return (set & T_TILDE) != 0;
		case '%':
			return (set & T_PCT) != 0;
		case '@':
			return (set & T_AT) != 0;
	}
	return false;
}

/* Characters of a host name, walked back over from a TF_URL prefix. */
static inline bool
hr_host_char(unsigned char c)
{
	return hr_alnum(c) || c == '-' || c == '.';
}

/*
 * The token of format f at s[i] (the prefix matched there): its end, or 0
 * when the body does not fit.
 */
static size_t
hr_token_end(const char *s, size_t len, size_t i, const HrTokenFormat *f)
{
	size_t		b = i + strlen(f->prefix),
				e;
	bool		up = false,
				low = false,
				dig = false;

	e = b;
	while (e < len && hr_token_body_char((unsigned char) s[e], f->body))
	{
		up |= hr_upper((unsigned char) s[e]);
		low |= hr_lower((unsigned char) s[e]);
		dig |= hr_digit((unsigned char) s[e]);
		e++;
	}
	/* a '.' or '-' that ends a sentence is not the token's */
	while (e > b && (s[e - 1] == '.' || s[e - 1] == '-') && !(f->flags & TF_URL))
		e--;
	if (e - b < f->min || ((f->flags & TF_EXACT) && e - b != f->min))
		return 0;
	if (e < len && hr_alnum((unsigned char) s[e]))
		return 0;
	if (((f->flags & TF_DIGIT) && !dig) || ((f->flags & TF_MIXED) && !(up && low)))
		return 0;
	return e;
}

/* 32 hex digits, "-us" and a data-center number: a Mailchimp key */
static size_t
hr_mailchimp_end(const char *s, size_t len, size_t i)
{
	size_t		e = i;

	while (e < len && e - i < 33 && hr_token_body_char((unsigned char) s[e], T_HEX))
		e++;
	if (e - i != 32 || !hr_starts_ci(s, len, e, "-us"))
		return 0;
	e += 3;
	if (e >= len || !hr_digit((unsigned char) s[e]))
		return 0;
	while (e < len && hr_digit((unsigned char) s[e]))
		e++;
	return (e < len && hr_alnum((unsigned char) s[e])) ? 0 : e;
}

/* 8 to 10 digits, ":AA" and 33 of [A-Za-z0-9_-]: a Telegram bot token */
static size_t
hr_telegram_end(const char *s, size_t len, size_t i)
{
	size_t		e = i;

	while (e < len && hr_digit((unsigned char) s[e]))
		e++;
	if (e - i < 8 || e - i > 10 || e + 3 >= len || s[e] != ':' || s[e + 1] != 'A' || s[e + 2] != 'A')
		return 0;
	e += 3;
	while (e < len && hr_token_body_char((unsigned char) s[e], T_URLSAFE))
		e++;
	return (e - i >= 44) ? e : 0;
}

/*
 * Markers inside the token: Terraform Cloud's "<14>.atlasv1.<60+>" and an
 * Entra client secret's "<3 characters><digit>Q~<31-34>".  The token starts
 * at s[i].
 */
static size_t
hr_infix_token_end(const char *s, size_t len, size_t i)
{
	size_t		e = i;

	while (e < len && hr_alnum((unsigned char) s[e]))
		e++;
	if (e - i == 14 && hr_starts_ci(s, len, e, ".atlasv1.") && memcmp(s + e, ".atlasv1.", 9) == 0)
	{
		size_t		b = e + 9;

		e = b;
		while (e < len && hr_token_body_char((unsigned char) s[e], T_URLSAFE | T_EQ))
			e++;
		return (e - b >= 60) ? e : 0;
	}
	/* Entra: 3 of [A-Za-z0-9_~.], a digit, Q~ */
	if (i + 6 < len && hr_digit((unsigned char) s[i + 3]) && s[i + 4] == 'Q' && s[i + 5] == '~')
	{
		size_t		b = i + 6;

		for (size_t k = i; k < i + 3; k++)
			if (!hr_token_body_char((unsigned char) s[k], T_AN | T_US | T_TILDE | T_DOT))
				return 0;
		e = b;
		while (e < len && hr_token_body_char((unsigned char) s[e], T_URLSAFE | T_TILDE | T_DOT))
			e++;
		while (e > b && s[e - 1] == '.')
			e--;
		return (e - b >= 31 && (e >= len || !hr_alnum((unsigned char) s[e]))) ? e : 0;
	}
	return 0;
}

/*
 * The formats by first character of their prefix (counting sort), and the
 * prefix lengths, built on first use.
 */
static bool hr_formats_ready = false;
static uint16 hr_format_start[257];
static uint16 hr_format_order[lengthof(hr_token_formats)];
static uint8 hr_format_prefix_len[lengthof(hr_token_formats)];

static void
hr_formats_index(void)
{
	uint16		count[257] = {0};

	for (size_t f = 0; f < lengthof(hr_token_formats); f++)
	{
		count[(unsigned char) hr_token_formats[f].prefix[0] + 1]++;
		hr_format_prefix_len[f] = (uint8) strlen(hr_token_formats[f].prefix);
	}
	for (int c = 1; c <= 256; c++)
		count[c] += count[c - 1];
	memcpy(hr_format_start, count, sizeof(count));
	for (size_t f = 0; f < lengthof(hr_token_formats); f++)
		hr_format_order[count[(unsigned char) hr_token_formats[f].prefix[0]]++] = (uint16) f;
	hr_formats_ready = true;
}

bool
hr_find_known_token(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	if (!hr_formats_ready)
		hr_formats_index();

	for (size_t i = from; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		size_t		e = 0;

		if (!hr_alnum(c) || (i > 0 && hr_alnum((unsigned char) s[i - 1])))
			continue;
		for (uint16 k = hr_format_start[c]; k < hr_format_start[c + 1] && e == 0; k++)
		{
			const HrTokenFormat *fmt = &hr_token_formats[hr_format_order[k]];
			size_t		pl = hr_format_prefix_len[hr_format_order[k]];

			if (len - i < pl || memcmp(s + i, fmt->prefix, pl) != 0)
				continue;
			e = hr_token_end(s, len, i, fmt);
			if (e > 0 && (fmt->flags & TF_URL))
			{
				/*
				 * the whole URL: scheme and host in front of the marker, but
				 * never back past from: what lies before it is the text an
				 * earlier span of this pass already ended in (a span starting
				 * there would overlap it).
				 */
				size_t		a = i;

				while (a > from && hr_host_char((unsigned char) s[a - 1]))
					a--;
				if (a >= from + 3 && memcmp(s + a - 3, "://", 3) == 0)
				{
					a -= 3;
					while (a > from && hr_alpha((unsigned char) s[a - 1]))
						a--;
				}
				*start = a;
				*end = e;
				return true;
			}
		}
		if (e == 0 && hr_token_body_char(c, T_HEX))
			e = hr_mailchimp_end(s, len, i);
		if (e == 0 && hr_digit(c))
			e = hr_telegram_end(s, len, i);
		if (e == 0)
			e = hr_infix_token_end(s, len, i);
		if (e > 0)
		{
			*start = i;
			*end = e;
			return true;
		}
	}
	return false;
}

/* ---- random tokens ---- */

/*
 * Whether the letters and digits s[a..e) look random: two of the three
 * classes (upper, lower, digit), not hex digits of one case (digests, UUIDs,
 * commit ids), and either many short pieces (a new piece starts at each
 * change between letters and digits and at each camel hump: random text has
 * one every two or three characters, identifiers one every five or more),
 * or, for letters of one case, pieces of some length with few vowels
 * (random letters have one in five, words and identifiers one in three).
 */
static bool
hr_segment_random(const char *s, size_t a, size_t e)
{
	int			up = 0,
				low = 0,
				dig = 0,
				vowels = 0,
				pieces = 0,
				hexup = 0,
				hexlow = 0;
	size_t		n = e - a;

	for (size_t k = a; k < e; k++)
	{
		unsigned char c = (unsigned char) s[k];
		unsigned char p = (k > a) ? (unsigned char) s[k - 1] : 0;

		if (hr_upper(c))
		{
			up++;
			hexup += (c <= 'F');
		}
		else if (hr_lower(c))
		{
			low++;
			hexlow += (c <= 'f');
		}
		else
			dig++;
		if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' ||
			c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y')
			vowels++;
		if (k == a || hr_digit(c) != hr_digit(p) ||
			(hr_lower(p) && hr_upper(c)) ||
			(hr_upper(p) && hr_upper(c) && k + 1 < e && hr_lower((unsigned char) s[k + 1])))
			pieces++;
	}
	if ((up > 0) + (low > 0) + (dig > 0) < 2)
		return false;
	/* 0x and hex digits: an address or a number */
	if (n > 2 && s[a] == '0' && (s[a + 1] == 'x' || s[a + 1] == 'X'))
	{
		bool		hex = true;

		for (size_t k = a + 2; k < e && hex; k++)
			hex = hr_digit((unsigned char) s[k]) ||
				(s[k] >= 'a' && s[k] <= 'f') || (s[k] >= 'A' && s[k] <= 'F');
		if (hex)
			return false;
	}
	/* hex digits of one case: a digest, a UUID part, a commit id */
	if ((up == 0 && hexlow == low) || (low == 0 && hexup == up))
		return false;
	if (pieces * 10 >= (int) n * 3)
		return true;
	/* letters of one case: no humps to count, but few vowels */
	return (up == 0 || low == 0) && (pieces * 20 >= (int) n * 3 || up + low >= 16) &&
		up + low >= 8 && vowels * 5 < up + low;
}

/*
 * Random tokens: in a run of [A-Za-z0-9+/=_.~-], the segments between
 * punctuation that look random (hr_segment_random, 8 characters or more),
 * once they add up to 24 characters (a base64 MD5 of 22 is a digest).  When
 * they are most of the run, all of it but a key= in front (a base64 key
 * with its '+', '/' and '='); otherwise the stretch from the first to
 * the last (a path or URL keeps its words).
 */
/* Characters of a run at s[i]: 1, 3 for a percent-encoded byte (%2B), or 0. */
static inline size_t
hr_run_char(const char *s, size_t len, size_t i)
{
	if (hr_entropy_char((unsigned char) s[i]))
		return 1;
	if (s[i] == '%' && i + 2 < len && hr_token_body_char((unsigned char) s[i + 1], T_HEX) &&
		hr_token_body_char((unsigned char) s[i + 2], T_HEX))
		return 3;
	return 0;
}

bool
hr_find_random_token(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	size_t		i = from;

	while (i < len)
	{
		size_t		a,
					first = 0,
					last = 0,
					random_chars = 0,
					alnum_chars = 0,
					step;

		if (hr_run_char(s, len, i) == 0)
		{
			i++;
			continue;
		}
		a = i;
		while (i < len && hr_run_char(s, len, i) > 0)
		{
			size_t		b = i;

			while (i < len && hr_alnum((unsigned char) s[i]))
				i++;
			alnum_chars += i - b;
			if (i - b >= 8 && hr_segment_random(s, b, i))
			{
				if (random_chars == 0)
					first = b;
				last = i;
				random_chars += i - b;
			}
			while (i < len && !hr_alnum((unsigned char) s[i]) && (step = hr_run_char(s, len, i)) > 0)
				i += step;
		}
		if (random_chars < 24)
			continue;
		if (random_chars * 2 >= alnum_chars)
		{
			/* all of the run, but a key in front stays: deltatoken=R0usm... */
			size_t		st = a;

			for (size_t k = a; k < first; k++)
				if (s[k] == '=')
					st = k + 1;
			*start = st;
			*end = i;
		}
		else
		{
			while (last < i && (s[last] == '=' || (s[last] == '%' && hr_run_char(s, len, last) == 3)))
				last += (s[last] == '=') ? 1 : 3;
			*start = first;
			*end = last;
		}
		return true;
	}
	return false;
}
