/*
 * sanitize_syntax.c: password syntax of command lines and SQL
 * (doc/sanitizing.md, 0.2.0): mysql -pX, sshpass -p X, curl -u user:X,
 * redis-cli -a X, ldapsearch -w X, PASSWORD 'X', IDENTIFIED BY 'X', SET
 * PASSWORD ... = 'X'. (--password X and --password=X are key=value forms, in
 * sanitize.c.) Linear scanners, no allocation, never raising.
 */
#include "postgres.h"

#include "sanitize_int.h"

/* how the option takes its password */
typedef enum HrOptionMode
{
	HR_OPT_ATTACHED,			/* -pX */
	HR_OPT_NEXT,				/* -p X */
	HR_OPT_USERPASS,			/* -u user:X */
	HR_OPT_THIRD				/* htpasswd -b file user X */
} HrOptionMode;

typedef struct HrCliOption
{
	const char *command;		/* a word earlier in the message */
	const char *option;			/* the option, standing after a space */
	HrOptionMode mode;
} HrCliOption;

static const HrCliOption hr_cli_options[] = {
	{"mysql", "-p", HR_OPT_ATTACHED}, {"mysqldump", "-p", HR_OPT_ATTACHED},
	{"mysqladmin", "-p", HR_OPT_ATTACHED}, {"mariadb", "-p", HR_OPT_ATTACHED},
	{"sshpass", "-p", HR_OPT_NEXT}, {"sshpass", "-p", HR_OPT_ATTACHED},
	{"curl", "-u", HR_OPT_USERPASS}, {"curl", "--user", HR_OPT_USERPASS},
	{"curl", "--proxy-user", HR_OPT_USERPASS}, {"curl", "-U", HR_OPT_USERPASS},
	{"wget", "--user", HR_OPT_USERPASS},
	{"redis-cli", "-a", HR_OPT_NEXT}, {"ldapsearch", "-w", HR_OPT_NEXT},
	{"ldapmodify", "-w", HR_OPT_NEXT}, {"ldapadd", "-w", HR_OPT_NEXT},
	{"ldapdelete", "-w", HR_OPT_NEXT}, {"ldapwhoami", "-w", HR_OPT_NEXT},
	{"az", "-p", HR_OPT_NEXT}, {"docker", "-p", HR_OPT_NEXT}, {"podman", "-p", HR_OPT_NEXT},
	{"mongo", "-p", HR_OPT_NEXT}, {"mongosh", "-p", HR_OPT_NEXT},
	{"sqlcmd", "-P", HR_OPT_NEXT}, {"bcp", "-P", HR_OPT_NEXT}, {"isql", "-P", HR_OPT_NEXT},
	{"keytool", "-storepass", HR_OPT_NEXT}, {"keytool", "-keypass", HR_OPT_NEXT},
	{"keytool", "-srcstorepass", HR_OPT_NEXT}, {"keytool", "-deststorepass", HR_OPT_NEXT},
	{"jarsigner", "-storepass", HR_OPT_NEXT}, {"htpasswd", "-b", HR_OPT_THIRD},
	{"smbclient", "-U", HR_OPT_USERPASS}, {"rdesktop", "-p", HR_OPT_NEXT},
	{"xfreerdp", "/p:", HR_OPT_ATTACHED}, {"net use", "/user:", HR_OPT_NEXT},
};

/* The end of a command-line word at s[v]: to a space, or the quoted word. */
static size_t
hr_cli_word_end(const char *s, size_t len, size_t v, size_t *b)
{
	size_t		e;

	*b = v;
	if (v < len && (s[v] == '\'' || s[v] == '"'))
	{
		char		q = s[v];

		*b = v + 1;
		for (e = v + 1; e < len && s[e] != q; e++)
			;
		return e;
	}
	for (e = v; e < len && s[e] != ' ' && s[e] != '"' && s[e] != '`'; e++)
		;
	return e;
}

/*
 * Whether the word w stands in the 256 bytes before s[before] (after a
 * space, '/', a quote or first): the command of an option stands near it,
 * and the bound keeps the scan linear.
 */
static bool
hr_word_before(const char *s, size_t before, const char *w)
{
	size_t		n = strlen(w);

	for (size_t i = before > 256 ? before - 256 : 0; i + n <= before; i++)
		if (s[i] == w[0] && memcmp(s + i, w, n) == 0 &&
			(i == 0 || s[i - 1] == ' ' || s[i - 1] == '/' || s[i - 1] == '"' || s[i - 1] == '\'' || s[i - 1] == '(') &&
			(i + n == before || s[i + n] == ' ' || s[i + n] == '.' || s[i + n] == '"'))
			return true;
	return false;
}

/*
 * The password of option o standing at s[i] (after a space): its span, or
 * false.
 */
static bool
hr_cli_option_at(const char *s, size_t len, size_t i, const HrCliOption *o,
				 size_t *start, size_t *end)
{
	size_t		ol = strlen(o->option);
	size_t		v,
				b,
				e;

	if (i + ol >= len || memcmp(s + i, o->option, ol) != 0)
		return false;
	v = i + ol;
	if (o->mode == HR_OPT_ATTACHED)
	{
		if (v >= len || s[v] == ' ' || s[v] == '-')
			return false;
	}
	else
	{
		if (v + 1 >= len || s[v] != ' ' || s[v + 1] == '-')
			return false;
		v++;
	}
	if (o->mode == HR_OPT_THIRD)
	{
		/* file, user, then the password */
		for (int w = 0; w < 2; w++)
		{
			e = hr_cli_word_end(s, len, v, &b);
			if (e < len && (s[e] == '\'' || s[e] == '"'))
				e++;
			if (e + 1 >= len || s[e] != ' ')
				break;
			v = e + 1;
		}
	}
	e = hr_cli_word_end(s, len, v, &b);
	if (o->mode == HR_OPT_USERPASS)
	{
		size_t		c = b;

		while (c < e && s[c] != ':')
			c++;
		if (c + 1 >= e)
			return false;
		b = c + 1;
	}
	/* the command last: the cheap tests first */
	if (e <= b || hr_is_marker(s, len, b) || !hr_word_before(s, i, o->command))
		return false;
	*start = b;
	*end = e;
	return true;
}

/* the quoted SQL literal at s[v] ('...' with '' inside, or "..."): its body */
static bool
hr_sql_literal(const char *s, size_t len, size_t v, size_t *b, size_t *e)
{
	char		q;

	if (v >= len || (s[v] != '\'' && s[v] != '"'))
		return false;
	q = s[v];
	*b = v + 1;
	for (*e = v + 1; *e < len; (*e)++)
	{
		if (s[*e] == q)
		{
			if (q == '\'' && *e + 1 < len && s[*e + 1] == '\'')
			{
				(*e)++;
				continue;
			}
			break;
		}
	}
	return *e > *b;
}

/*
 * PASSWORD 'x' (CREATE/ALTER ROLE, USER MAPPING OPTIONS, MSSQL's
 * PASSWORD = 'x'), IDENTIFIED BY 'x' (or an unquoted word), and
 * SET PASSWORD ... = 'x'.
 */
static bool
hr_sql_password_at(const char *s, size_t len, size_t i, size_t *start, size_t *end)
{
	do
	{
		size_t		v,
					b,
					e;

		if ((i > 0 && hr_key_char((unsigned char) s[i - 1])))
			continue;
		if (hr_starts_ci(s, len, i, "password") && !(i + 8 < len && hr_key_char((unsigned char) s[i + 8])))
		{
			v = i + 8;
			while (v < len && s[v] == ' ')
				v++;
			if (v < len && s[v] == '=')
			{
				v++;
				while (v < len && s[v] == ' ')
					v++;
			}
			else if (v == i + 8)
				continue;		/* PASSWORD'x' is not the syntax; password= is key=value */
			if (hr_sql_literal(s, len, v, &b, &e) && !hr_is_marker(s, len, b))
			{
				*start = b;
				*end = e;
				return true;
			}
			/* SET PASSWORD FOR 'u'@'h' = 'x' */
			if (i >= 4 && hr_starts_ci(s, len, i - 4, "set "))
			{
				size_t		eq = v;

				while (eq < len && s[eq] != '=' && eq - v < 200)
					eq++;
				if (eq < len && s[eq] == '=')
				{
					v = eq + 1;
					while (v < len && s[v] == ' ')
						v++;
					if (hr_sql_literal(s, len, v, &b, &e) && !hr_is_marker(s, len, b))
					{
						*start = b;
						*end = e;
						return true;
					}
				}
			}
		}
		else if (hr_starts_ci(s, len, i, "identified by "))
		{
			v = i + 14;
			if (hr_sql_literal(s, len, v, &b, &e))
				;
			else if (memcmp(s + i, "IDENTIFIED BY ", 14) == 0)
			{
				/* Oracle's unquoted password, in SQL capitals; not "by PID" */
				bool		word = true;

				b = v;
				for (e = v; e < len && s[e] != ' ' && s[e] != ';' && s[e] != ')'; e++)
					word &= hr_upper((unsigned char) s[e]) || s[e] == '_';
				if (word)
					continue;
			}
			else
				continue;
			if (e > b && !hr_is_marker(s, len, b) &&
				!(e - b == 6 && hr_starts_ci(s, len, b, "values")))
			{
				*start = b;
				*end = e;
				return true;
			}
		}
	} while (0);
	return false;
}

/*
 * One scan: at each option after a space, and at each SQL keyword, the
 * first password found is the leftmost.
 */
bool
hr_find_password_syntax(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	for (size_t i = from; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == ' ' && i + 1 < len && (s[i + 1] == '-' || s[i + 1] == '/'))
		{
			for (size_t k = 0; k < lengthof(hr_cli_options); k++)
				if (hr_cli_options[k].option[0] == s[i + 1] &&
					hr_cli_option_at(s, len, i + 1, &hr_cli_options[k], start, end))
					return true;
		}
		else if ((c == 'p' || c == 'P' || c == 'i' || c == 'I') &&
				 hr_sql_password_at(s, len, i, start, end))
			return true;
	}
	return false;
}
