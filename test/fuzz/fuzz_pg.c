/*
 * fuzz_pg.c: palloc, ereport and GetDatabaseEncoding outside the server
 * (see fuzz_pg.h).  StringInfo, psprintf and the encoding tables come from
 * the frontend libpgcommon, which calls the palloc defined here.
 */
#include "fuzz_pg.h"

#include "mb/pg_wchar.h"
#include "hrjson_init.h"

sigjmp_buf *fuzz_pg_jump = NULL;
int			fuzz_pg_sqlstate = 0;
char		fuzz_pg_message[256];
int			fuzz_pg_encoding = PG_UTF8;

MemoryContext CurrentMemoryContext = NULL;
ErrorContextCallback *error_context_stack = NULL;

/* ---- tracked allocations ---- */

typedef struct FuzzBlock
{
	struct FuzzBlock *prev;
	struct FuzzBlock *next;
	size_t		size;
	/* keep the payload maximally aligned */
	max_align_t align[];
} FuzzBlock;

static FuzzBlock *fuzz_blocks = NULL;

static void *
fuzz_alloc(size_t size, bool zero)
{
	FuzzBlock  *b = malloc(sizeof(FuzzBlock) + (size ? size : 1));

	if (b == NULL)
	{
		fprintf(stderr, "fuzz: out of memory (%zu bytes)\n", size);
		abort();
	}
	if (zero)
		memset(b->align, 0, size);
	b->size = size;
	b->prev = NULL;
	b->next = fuzz_blocks;
	if (fuzz_blocks)
		fuzz_blocks->prev = b;
	fuzz_blocks = b;
	return b->align;
}

static FuzzBlock *
fuzz_block_of(void *p)
{
	return (FuzzBlock *) ((char *) p - offsetof(FuzzBlock, align));
}

static void
fuzz_unlink(FuzzBlock *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		fuzz_blocks = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

void
fuzz_pg_reset(void)
{
	while (fuzz_blocks)
	{
		FuzzBlock  *b = fuzz_blocks;

		fuzz_blocks = b->next;
		free(b);
	}
}

void *
palloc(Size size)
{
	return fuzz_alloc(size, false);
}

void *
palloc0(Size size)
{
	return fuzz_alloc(size, true);
}

void *
palloc_extended(Size size, int flags)
{
	return fuzz_alloc(size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void *
MemoryContextAllocExtended(MemoryContext context, Size size, int flags)
{
	return fuzz_alloc(size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void
pfree(void *p)
{
	FuzzBlock  *b = fuzz_block_of(p);

	fuzz_unlink(b);
	free(b);
}

void *
repalloc(void *p, Size size)
{
	FuzzBlock  *b = fuzz_block_of(p);
	void	   *n = fuzz_alloc(size, false);

	memcpy(n, p, Min(size, b->size));
	pfree(p);
	return n;
}

char *
pstrdup(const char *in)
{
	return pnstrdup(in, strlen(in));
}

char *
pnstrdup(const char *in, Size len)
{
	char	   *out;

	len = strnlen(in, len);
	out = palloc(len + 1);
	memcpy(out, in, len);
	out[len] = '\0';
	return out;
}

/* ---- ereport ---- */

static int	fuzz_elevel;

bool
errstart(int elevel, const char *domain)
{
	fuzz_elevel = elevel;
	if (elevel < ERROR)
		return false;			/* warnings and notices are not collected */
	fuzz_pg_sqlstate = ERRCODE_INTERNAL_ERROR;
	fuzz_pg_message[0] = '\0';
	return true;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (fuzz_elevel < ERROR)
		return;
	/* like the server: the context callbacks run, then the stack unwinds */
	for (ErrorContextCallback *cb = error_context_stack; cb; cb = cb->previous)
		cb->callback(cb->arg);
	error_context_stack = NULL;
	if (fuzz_pg_jump == NULL)
	{
		fprintf(stderr, "fuzz: ERROR outside FUZZ_PG_TRY at %s:%d: %s\n",
				filename, lineno, fuzz_pg_message);
		abort();
	}
	siglongjmp(*fuzz_pg_jump, 1);
}

int
errcode(int sqlerrcode)
{
	fuzz_pg_sqlstate = sqlerrcode;
	return 0;
}

static void
fuzz_format(const char *fmt, va_list args, bool keep)
{
	char		buf[256];

	vsnprintf(buf, sizeof(buf), fmt, args);
	if (keep)
		strlcpy(fuzz_pg_message, buf, sizeof(fuzz_pg_message));
}

#define FUZZ_ERRFN(name, keep) \
int \
name(const char *fmt, ...) \
{ \
	va_list		args; \
	va_start(args, fmt); \
	fuzz_format(fmt, args, keep); \
	va_end(args); \
	return 0; \
}

FUZZ_ERRFN(errmsg, true)
FUZZ_ERRFN(errmsg_internal, true)
FUZZ_ERRFN(errdetail, false)
FUZZ_ERRFN(errhint, false)
FUZZ_ERRFN(errdetail_internal, false)
FUZZ_ERRFN(errcontext_msg, false)

int
set_errcontext_domain(const char *domain)
{
	return 0;
}

bool
fuzz_pg_expected_error(void)
{
	return fuzz_pg_sqlstate == ERRCODE_INVALID_PARAMETER_VALUE ||
		fuzz_pg_sqlstate == ERRCODE_PROGRAM_LIMIT_EXCEEDED;
}

/* ---- the rest ---- */

/* Bytes of mbstr (len bytes) that fit in limit without splitting a character. */
int
pg_mbcliplen(const char *mbstr, int len, int limit)
{
	int			clen = 0;

	while (clen < len && mbstr[clen] != '\0')
	{
		int			l = pg_encoding_mblen(fuzz_pg_encoding, mbstr + clen);

		if (clen + l > limit)
			break;
		clen += l;
	}
	return clen;
}

int
GetDatabaseEncoding(void)
{
	return fuzz_pg_encoding;
}

void
fuzz_pg_init(void)
{
	static bool done = false;

	if (!done)
		hr_json_init();
	done = true;
}
