/*
 * bench/netdelay.c: a TCP proxy on loopback that adds a fixed delay to every
 * round trip, for the benchmark's network phase.
 *
 *     netdelay LISTEN_PORT TARGET_PORT DELAY_MS [--stats FILE] [--spin-us N]
 *
 * Listens on 127.0.0.1:LISTEN_PORT, forwards every connection to
 * 127.0.0.1:TARGET_PORT, and holds each chunk of bytes for DELAY_MS / 2 in
 * each direction, so that a request and its answer together take DELAY_MS
 * longer. Chunks keep their order and are not throttled: a chunk is released
 * DELAY_MS / 2 after it was read, whatever is queued behind it (a link with
 * latency, not a slow link). An end-of-stream is delayed the same way and
 * forwarded as a half-close (shutdown SHUT_WR); a connection is closed once
 * both directions have been closed and flushed. A reader that does not keep
 * up gets every byte in order: the proxy keeps what it could not write and
 * stops reading the other side while more than 1 MiB waits (TCP flow control
 * across the proxy, as across a link). Only loopback is ever listened on or
 * connected to.
 *
 * One process, one epoll loop. Due times are CLOCK_MONOTONIC nanoseconds;
 * the loop sleeps in epoll_pwait2 with a timespec timeout (no rounding to
 * milliseconds), with the timer slack set to 1 ns. Waking from a sleep
 * still costs some 40-60 us on a virtual machine, so while a single
 * connection is open the loop stops sleeping --spin-us N (default 50)
 * microseconds before the next due time and polls instead (epoll with a
 * zero timeout, so arrivals are still read as they come); with 2
 * connections or more it never spins: chunks are then due every few
 * microseconds, spinning would hold a core the server and the clients need
 * (on 2 cores it cost more than it gained, bench/README.md). When
 * DELAY_MS is 0 a chunk is written as soon as it is read.
 *
 * It raises its own scheduling priority (nice -10) when it may, as root does,
 * and carries on silently when it may not: a network link does not compete
 * with the server for CPU, so the proxy should not either.
 *
 * It runs until SIGTERM or SIGINT; with --stats it then writes one line:
 *     delay_ms D chunks N mean_us M p50_us P p99_us Q max_us X
 * how late each chunk of data was handed to the kernel beyond its due time
 * (the proxy's own lateness, which includes any time a slow reader kept it
 * waiting), so the benchmark can report it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_SIZE 65536
#define MAX_QUEUED (1024 * 1024)	/* per direction, before reading pauses */
#define MAX_SAMPLES (16 * 1024 * 1024)
#define NEVER INT64_MAX

struct chunk
{
	struct chunk *next;
	int64_t		due;
	size_t		len;
	size_t		off;
	int			eof;			/* an end-of-stream marker, no data */
	int			counted;		/* its lateness has been recorded */
	char		data[];
};

struct dir
{
	struct chunk *head;
	struct chunk *tail;
	size_t		queued;
	int			eof_read;		/* the source has ended: read no more */
	int			blocked;		/* the destination is full (or connecting) */
	int			done;			/* the end-of-stream has been forwarded */
};

struct pair;

struct end
{
	struct pair *p;
	int			side;
	uint32_t	interest;
	int			registered;
};

/* side 0 is the client's socket, side 1 the server's; d[i] reads fd[i] and
 * writes fd[1 - i] */
struct pair
{
	int			fd[2];
	struct end	end[2];
	struct dir	d[2];
	int			connecting;
	int			dead;
	struct pair *next;
	struct pair *prev;
};

static int	ep;
static int64_t half_ns;
static int64_t spin_ns = 50000;
static struct pair *pairs;
static int	npairs;
static struct pair *graveyard;
static uint32_t *samples;
static size_t nsamples, cap_samples;
static uint64_t nchunks;
static char buf[READ_SIZE];

static void
die(const char *what)
{
	fprintf(stderr, "netdelay: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
record(int64_t late)
{
	nchunks++;
	if (late < 0)
		late = 0;
	if (late > UINT32_MAX)
		late = UINT32_MAX;
	if (nsamples == cap_samples)
	{
		size_t		n = cap_samples ? cap_samples * 2 : 65536;
		uint32_t   *s;

		if (n > MAX_SAMPLES)
			return;
		s = realloc(samples, n * sizeof(*s));
		if (s == NULL)
			return;
		samples = s;
		cap_samples = n;
	}
	samples[nsamples++] = (uint32_t) late;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a,
				y = *(const uint32_t *) b;

	return (x > y) - (x < y);
}

static void
write_stats(const char *file, const char *delay)
{
	FILE	   *f = fopen(file, "w");
	double		sum = 0;

	if (f == NULL)
		die(file);
	fprintf(f, "delay_ms %s", delay);
	if (nsamples == 0)
		fprintf(f, " chunks 0\n");
	else
	{
		qsort(samples, nsamples, sizeof(*samples), cmp_u32);
		for (size_t i = 0; i < nsamples; i++)
			sum += samples[i];
		fprintf(f, " chunks %llu mean_us %.1f p50_us %.1f p99_us %.1f max_us %.1f\n",
				(unsigned long long) nchunks, sum / nsamples / 1000.0,
				samples[(size_t) (0.50 * nsamples)] / 1000.0,
				samples[(size_t) (0.99 * nsamples)] / 1000.0,
				samples[nsamples - 1] / 1000.0);
	}
	if (fclose(f) != 0)
		die(file);
}

/* ------------------------------------------------------------ epoll */

static void
set_interest(struct pair *p, int side)
{
	struct end *e = &p->end[side];
	struct dir *in = &p->d[side],
			   *out = &p->d[1 - side];
	uint32_t	want = 0;
	struct epoll_event ev;

	if (p->dead)
		return;
	if (!in->eof_read && in->queued < MAX_QUEUED)
		want |= EPOLLIN;
	if (out->blocked && !out->done)
		want |= EPOLLOUT;
	if (e->registered && want == e->interest)
		return;
	ev.events = want;
	ev.data.ptr = e;
	if (want == 0)
	{
		/* no interest left: unregister, or a hung-up socket would report
		 * EPOLLHUP forever */
		if (e->registered && epoll_ctl(ep, EPOLL_CTL_DEL, p->fd[side], NULL) != 0)
			die("epoll_ctl DEL");
		e->registered = 0;
	}
	else if (epoll_ctl(ep, e->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, p->fd[side], &ev) != 0)
		die("epoll_ctl");
	else
		e->registered = 1;
	e->interest = want;
}

static void
kill_pair(struct pair *p)
{
	if (p->dead)
		return;
	p->dead = 1;
	npairs--;
	for (int i = 0; i < 2; i++)
	{
		struct chunk *c = p->d[i].head;

		while (c)
		{
			struct chunk *n = c->next;

			free(c);
			c = n;
		}
		p->d[i].head = p->d[i].tail = NULL;
		close(p->fd[i]);		/* also removes it from the epoll set */
	}
	if (p->prev)
		p->prev->next = p->next;
	else
		pairs = p->next;
	if (p->next)
		p->next->prev = p->prev;
	/* freed after the current batch of events, which may still name it */
	p->next = graveyard;
	graveyard = p;
}

/* Writes every chunk of direction i that is due; returns 0 when the pair
 * died. */
static int
flush(struct pair *p, int i)
{
	struct dir *d = &p->d[i];
	int			dst = p->fd[1 - i];

	while (d->head && !d->blocked)
	{
		struct chunk *c = d->head;
		int64_t		t = now_ns();
		ssize_t		n;

		if (c->due > t)
			break;
		if (c->eof)
		{
			shutdown(dst, SHUT_WR);
			d->done = 1;
		}
		else
		{
			if (!c->counted)
			{
				record(t - c->due);
				c->counted = 1;
			}
			n = send(dst, c->data + c->off, c->len - c->off, MSG_NOSIGNAL);
			if (n < 0)
			{
				if (errno == EAGAIN || errno == EWOULDBLOCK)
				{
					d->blocked = 1;
					break;
				}
				if (errno == EINTR)
					continue;
				kill_pair(p);	/* the destination is gone */
				return 0;
			}
			c->off += n;
			if (c->off < c->len)
			{
				d->blocked = 1;
				break;
			}
			d->queued -= c->len;
		}
		d->head = c->next;
		if (d->head == NULL)
			d->tail = NULL;
		free(c);
	}
	if (p->d[0].done && p->d[1].done)
	{
		kill_pair(p);
		return 0;
	}
	set_interest(p, i);
	set_interest(p, 1 - i);
	return 1;
}

static void
enqueue(struct dir *d, const char *data, size_t len, int64_t due, int eof)
{
	struct chunk *c = malloc(sizeof(*c) + len);

	if (c == NULL)
		die("malloc");
	c->next = NULL;
	c->due = due;
	c->len = len;
	c->off = 0;
	c->eof = eof;
	c->counted = 0;
	if (len)
		memcpy(c->data, data, len);
	if (d->tail)
		d->tail->next = c;
	else
		d->head = c;
	d->tail = c;
	d->queued += len;
}

/* Reads what fd[i] has (up to a few chunks, so one busy connection does not
 * hold up the others) and queues it, stamped with its arrival time. */
static void
on_readable(struct pair *p, int i)
{
	struct dir *d = &p->d[i];

	for (int round = 0; round < 4 && !d->eof_read && d->queued < MAX_QUEUED; round++)
	{
		ssize_t		n = recv(p->fd[i], buf, sizeof(buf), 0);
		int64_t		t = now_ns();

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
		{
			/* end of stream (or an error, treated the same): forwarded as a
			 * half-close once what came before it has gone */
			d->eof_read = 1;
			enqueue(d, NULL, 0, t + half_ns, 1);
			break;
		}
		if (half_ns == 0 && d->head == NULL && !d->blocked)
		{
			/* no delay: straight through, queueing only what did not fit */
			ssize_t		w = send(p->fd[1 - i], buf, n, MSG_NOSIGNAL);

			record(now_ns() - t);
			if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			{
				kill_pair(p);
				return;
			}
			if (w < 0)
				w = 0;
			if (w < n)
			{
				enqueue(d, buf, n, t, 0);
				d->head->off = w;
				d->head->counted = 1;
				d->blocked = 1;
				break;
			}
			continue;
		}
		enqueue(d, buf, n, t + half_ns, 0);
		if ((size_t) n < sizeof(buf))
			break;
	}
	flush(p, i);
}

static void
on_writable(struct pair *p, int side)
{
	int			i = 1 - side;	/* the direction that writes this socket */

	if (p->connecting && side == 1)
	{
		int			err = 0;
		socklen_t	len = sizeof(err);

		if (getsockopt(p->fd[1], SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)
		{
			kill_pair(p);
			return;
		}
		p->connecting = 0;
	}
	p->d[i].blocked = 0;
	flush(p, i);
}

static void
nodelay(int fd)
{
	int			one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void
on_accept(int lfd, int target)
{
	for (;;)
	{
		int			c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC),
					s;
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(target)};
		struct pair *p;

		if (c < 0)
		{
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;				/* EAGAIN, or out of descriptors: try later */
		}
		s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (s < 0)
		{
			close(c);
			continue;
		}
		nodelay(c);
		nodelay(s);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (connect(s, (struct sockaddr *) &a, sizeof(a)) != 0 && errno != EINPROGRESS)
		{
			close(c);
			close(s);
			continue;
		}
		p = calloc(1, sizeof(*p));
		if (p == NULL)
			die("calloc");
		p->fd[0] = c;
		p->fd[1] = s;
		for (int i = 0; i < 2; i++)
		{
			p->end[i].p = p;
			p->end[i].side = i;
		}
		/* nothing goes to the server before the connection is made */
		p->connecting = 1;
		p->d[0].blocked = 1;
		p->next = pairs;
		if (pairs)
			pairs->prev = p;
		pairs = p;
		npairs++;
		set_interest(p, 0);
		set_interest(p, 1);
	}
}

/* the earliest due time of a chunk that could be written now */
static int64_t
next_due(void)
{
	int64_t		next = NEVER;

	for (struct pair *p = pairs; p; p = p->next)
		for (int i = 0; i < 2; i++)
			if (p->d[i].head && !p->d[i].blocked && p->d[i].head->due < next)
				next = p->d[i].head->due;
	return next;
}

static int
port_arg(const char *s)
{
	char	   *end;
	long		v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 65535)
	{
		fprintf(stderr, "netdelay: bad port %s\n", s);
		exit(2);
	}
	return (int) v;
}

int
main(int argc, char **argv)
{
	int			listen_port,
				target,
				lfd,
				sfd,
				one = 1,
				have_pwait2 = 1;
	double		delay_ms;
	char	   *end;
	const char *stats = NULL;
	struct sockaddr_in a = {.sin_family = AF_INET};
	struct epoll_event ev;
	sigset_t	mask;

	if (argc < 4)
	{
		fprintf(stderr, "usage: netdelay LISTEN_PORT TARGET_PORT DELAY_MS [--stats FILE] [--spin-us N]\n");
		return 2;
	}
	listen_port = port_arg(argv[1]);
	target = port_arg(argv[2]);
	delay_ms = strtod(argv[3], &end);
	if (*argv[3] == '\0' || *end != '\0' || !(delay_ms >= 0) || delay_ms > 60000)
	{
		fprintf(stderr, "netdelay: bad delay %s (milliseconds, 0 to 60000)\n", argv[3]);
		return 2;
	}
	half_ns = (int64_t) (delay_ms * 1e6 / 2 + 0.5);
	for (int i = 4; i < argc; i++)
	{
		if (strcmp(argv[i], "--stats") == 0 && i + 1 < argc)
			stats = argv[++i];
		else if (strcmp(argv[i], "--spin-us") == 0 && i + 1 < argc)
			spin_ns = (int64_t) (strtod(argv[++i], NULL) * 1000);
		else
		{
			fprintf(stderr, "netdelay: unknown argument %s\n", argv[i]);
			return 2;
		}
	}

	/* a link does not wait for CPU: ask for more of it, quietly if refused */
	if (setpriority(PRIO_PROCESS, 0, -10) != 0)
		errno = 0;
	/* wake at the due time, not up to 50 us after it (the default slack) */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0)
		die("sigprocmask");
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd");
	signal(SIGPIPE, SIG_IGN);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_port = htons(listen_port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *) &a, sizeof(a)) != 0)
		die("bind 127.0.0.1");
	if (listen(lfd, 128) != 0)
		die("listen");

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1");
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;			/* the listening socket */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) != 0)
		die("epoll_ctl listen");
	ev.data.ptr = &sfd;			/* the signals */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) != 0)
		die("epoll_ctl signalfd");

	for (;;)
	{
		struct epoll_event evs[64];
		int64_t		next,
					t;
		int			n;

		/* release what is due, then sleep until the next due time */
		for (struct pair *p = pairs, *nx; p; p = nx)
		{
			nx = p->next;
			for (int i = 0; i < 2 && !p->dead; i++)
				if (p->d[i].head && !p->d[i].blocked)
					flush(p, i);
		}
		while (graveyard)
		{
			struct pair *g = graveyard;

			graveyard = g->next;
			free(g);
		}
		next = next_due();
		t = now_ns();
		if (next == NEVER)
			n = have_pwait2 ? epoll_pwait2(ep, evs, 64, NULL, NULL) : epoll_wait(ep, evs, 64, -1);
		else
		{
			/* spin only for a lone connection (see the head comment) */
			int64_t		wait = next - t - (npairs <= 1 ? spin_ns : 0);
			struct timespec ts;

			if (wait < 0)
				wait = 0;
			ts.tv_sec = wait / 1000000000;
			ts.tv_nsec = wait % 1000000000;
			if (have_pwait2)
				n = epoll_pwait2(ep, evs, 64, &ts, NULL);
			else				/* an older kernel: whole milliseconds, then poll */
				n = epoll_wait(ep, evs, 64, (int) (wait / 1000000));
		}
		if (n < 0)
		{
			if (errno == EINTR)
				continue;
			if (errno == ENOSYS && have_pwait2)
			{
				have_pwait2 = 0;
				continue;
			}
			die("epoll_pwait2");
		}
		for (int k = 0; k < n; k++)
		{
			struct end *e = evs[k].data.ptr;
			uint32_t	what = evs[k].events;

			if (e == NULL)
				on_accept(lfd, target);
			else if ((void *) e == (void *) &sfd)
			{
				if (stats)
					write_stats(stats, argv[3]);
				return 0;
			}
			else if (!e->p->dead)
			{
				if (what & EPOLLERR)
				{
					/* a reset: what it had sent is still delivered (the
					 * read ends it); writing to it fails and ends the pair */
					if (e->interest & EPOLLIN)
						on_readable(e->p, e->side);
					if (!e->p->dead && (e->p->d[1 - e->side].blocked || e->p->connecting))
						kill_pair(e->p);
					continue;
				}
				if (what & (EPOLLIN | EPOLLHUP) && e->interest & EPOLLIN)
					on_readable(e->p, e->side);
				if (!e->p->dead && what & EPOLLOUT)
					on_writable(e->p, e->side);
			}
		}
	}
}
