/*
 * sanitize_bench.c: the cost of sanitizing one message, outside the server
 * (bench/sanitize/run.sh builds it twice: with this tree's sanitizer and
 * with 0.1.0's, on the same inputs).
 *
 *   sanitize_bench bench [SECONDS]   ns per call and per byte for messages
 *                                    of 100 B to 4 MB (tab-separated)
 *   sanitize_bench filter            one message a line on stdin (\n, \t
 *                                    and \\ escaped), sanitized on stdout
 *   sanitize_bench calls SIZE N      N calls on a message of SIZE bytes (for
 *                                    an instruction count under callgrind)
 *
 * Memory comes from test/fuzz/fuzz_pg.c (malloc-backed palloc, freed after
 * each call), the same for both builds.
 */
#include "fuzz_pg.h"

#include <time.h>

#include "sanitize.h"

/* A realistic message: an HTTP client error with a header, a URL and a key. */
static const char *const pieces[] = {
	"requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: ",
	"https://graph.microsoft.com/v1.0/users/72f988bf-86f1-41af-91ab-2d7cd011db47/memberOf?$top=100 ",
	"(request headers: {'Authorization': 'Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJl', ",
	"'User-Agent': 'python-requests/2.31.0'}) while syncing tenant 48213; ",
	"retry 3 of 5 after InvalidAuthenticationToken: Access token has expired or is not yet valid. ",
	"config api_key=Zq81vN0pT4yW7sLk2mX9bR3c and password: hunter2 from /etc/app/settings.yml ",
	"commit 44e071374fa3255af91342f8ce4629ff2aa1efe0, digest sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08. ",
};

static char *
make_message(size_t len)
{
	char	   *m = malloc(len + 1);
	size_t		n = 0;

	for (size_t p = 0; n < len; p = (p + 1) % lengthof(pieces))
	{
		size_t		l = strlen(pieces[p]);

		if (l > len - n)
			l = len - n;
		memcpy(m + n, pieces[p], l);
		n += l;
	}
	m[len] = '\0';
	return m;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
bench(double seconds)
{
	static const size_t sizes[] = {100, 500, 5000, 50000, 500000, 4000000};

	printf("bytes\tcalls\tns_per_call\tns_per_byte\n");
	for (size_t k = 0; k < lengthof(sizes); k++)
	{
		char	   *m = make_message(sizes[k]);
		double		start = now_ns(),
					elapsed;
		long		calls = 0;

		do
		{
			(void) hr_sanitize_message(m, sizes[k], 500);
			fuzz_pg_reset();
			calls++;
			elapsed = now_ns() - start;
		} while (elapsed < seconds * 1e9 || calls < 3);
		printf("%zu\t%ld\t%.0f\t%.2f\n", sizes[k], calls, elapsed / calls,
			   elapsed / calls / sizes[k]);
		free(m);
	}
	return 0;
}

/* N calls on a message of SIZE bytes, for an instruction count (callgrind). */
static int
repeat_calls(size_t size, long n)
{
	char	   *m = make_message(size);

	for (long k = 0; k < n; k++)
	{
		(void) hr_sanitize_message(m, size, 500);
		fuzz_pg_reset();
	}
	free(m);
	return 0;
}

static int
filter(void)
{
	static char line[1 << 24];

	while (fgets(line, sizeof(line), stdin))
	{
		size_t		n = 0;
		char	   *out;

		for (size_t i = 0; line[i] && line[i] != '\n'; i++)
		{
			if (line[i] == '\\' && line[i + 1])
			{
				i++;
				line[n++] = line[i] == 'n' ? '\n' : line[i] == 't' ? '\t' : line[i];
			}
			else
				line[n++] = line[i];
		}
		out = hr_sanitize_message(line, n, 0);
		puts(out);
		fuzz_pg_reset();
	}
	return 0;
}

int
main(int argc, char **argv)
{
	fuzz_pg_init();
	if (argc >= 2 && strcmp(argv[1], "bench") == 0)
		return bench(argc >= 3 ? atof(argv[2]) : 0.5);
	if (argc >= 2 && strcmp(argv[1], "filter") == 0)
		return filter();
	if (argc >= 4 && strcmp(argv[1], "calls") == 0)
		return repeat_calls((size_t) atol(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: %s bench [SECONDS] | filter | calls SIZE N\n", argv[0]);
	return 2;
}
