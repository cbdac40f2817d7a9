/*
 * asan_init_first.c: preloaded after libasan when the server runs with the
 * ASan runtime (test/suites/asan.sh); not part of hookreg.
 *
 * Why: an uninstrumented program gets the ASan runtime by LD_PRELOAD, whose
 * initializer runs after those of the program's own libraries. On Debian 12,
 * libgpg-error's initializer calls bindtextdomain() and libp11-kit's calls
 * newlocale(); both take a glibc lock and then malloc(), and the first
 * malloc() initializes ASan in the middle of that lock, which leaves it
 * broken: postgres and psql then hang on it. These wrappers initialize ASan
 * (one malloc) before the first such call takes its lock, then call glibc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <locale.h>
#include <stdlib.h>

/* volatile: a malloc/free pair the compiler could see through would be dropped */
static void
asan_init_now(void)
{
	void	   *volatile p = malloc(1);

	free(p);
}

char *
bindtextdomain(const char *domain, const char *dir)
{
	static char *(*real) (const char *, const char *);

	if (!real)
	{
		asan_init_now();
		real = (char *(*) (const char *, const char *)) dlsym(RTLD_NEXT, "bindtextdomain");
	}
	return real(domain, dir);
}

locale_t
newlocale(int mask, const char *name, locale_t base)
{
	static locale_t (*real) (int, const char *, locale_t);

	if (!real)
	{
		asan_init_now();
		real = (locale_t (*) (int, const char *, locale_t)) dlsym(RTLD_NEXT, "newlocale");
	}
	return real(mask, name, base);
}
