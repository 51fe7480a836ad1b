/*
 * submit.c - run sendmail for one reply, see submit.h for the contract
 * (argument vector, exit status meaning, signals, descriptors).
 *
 * The parent side is one poll loop over the child's stdin (we write the
 * message), its stdout/stderr (we keep the first bytes for the log) and
 * a pidfd of the child (Linux 5.3+), which becomes readable the moment
 * the child exits: the loop sleeps until something happens, the
 * deadline passes, or (only when the caller gave a cancel flag) the
 * next SUBMIT_TICK_MS look at that flag. Sleeping in fixed ticks after
 * the child's output closed cost up to one tick per reply and held the
 * workers to about 20 replies a second. Without pidfd_open (an older
 * kernel) the loop falls back to ticks.
 */
#include "reply/submit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/utf8.h"

extern char **environ;

#define SUBMIT_TICK_MS	50	/* cancel checks; waits without a pidfd */
#define SUBMIT_KEEP_OUT	300	/* bytes of sendmail output kept for logs */

/* submit_child - what we know about the running sendmail */
struct submit_child {
	pid_t pid;
	int pidfd;		/* readable once it exited, or -1 */
	int in;			/* write end of its stdin, or -1 */
	int out;		/* read end of its stdout+stderr, or -1 */
	size_t off;		/* bytes of the message written */
	size_t len;		/* bytes of the message */
	bool epipe;		/* it closed stdin before reading it all */
	struct buf output;	/* its first output bytes */
};

static atomic_ulong submit_idle;	/* see submit_idle_wakeups */

/* submit_idle_wakeups - see submit.h */
unsigned long
submit_idle_wakeups(void)
{
	return atomic_load(&submit_idle);
}

/* submit_result_name - for log lines */
const char *
submit_result_name(enum submit_result r)
{
	switch (r) {
	case SUBMIT_OK:
		return "ok";
	case SUBMIT_TEMPFAIL:
		return "temporary failure";
	case SUBMIT_PERMFAIL:
		return "permanent failure";
	case SUBMIT_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

/* submit_argv - PATH ARGS -i -f SENDER -- RCPT, NULL-terminated */
static char **
submit_argv(const struct strvec *argv, const char *sender, const char *rcpt)
{
	char **v = xcalloc(argv->n + 6, sizeof(char *));
	size_t i;

	for (i = 0; i < argv->n; i++)
		v[i] = argv->v[i];
	v[i++] = "-i";
	v[i++] = "-f";
	v[i++] = (char *)(*sender ? sender : "<>");
	v[i++] = "--";
	v[i++] = (char *)rcpt;
	v[i] = NULL;
	return v;
}

/* submit_pidfd - a descriptor that polls readable when the child has
 * exited, or -1 where the kernel has none (then submit_wait ticks). The
 * child is not reaped before we waitpid it, so its pid cannot have been
 * reused in between. */
static int
submit_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	long fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0) {
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
		return (int)fd;
	}
#endif
	(void)pid;
	return -1;
}

/* submit_spawn - start the child with clean signals and descriptors;
 * 0 or an errno value */
static int
submit_spawn(char **argv, struct submit_child *c)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int in[2], out[2], err;

	if (pipe2(in, O_CLOEXEC) != 0)
		return errno;
	if (pipe2(out, O_CLOEXEC) != 0) {
		err = errno;
		close(in[0]);
		close(in[1]);
		return err;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	/* descriptors opened elsewhere without O_CLOEXEC (libmilter's
	 * sockets, SQLite) must not reach sendmail */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK
	    | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	err = posix_spawn(&c->pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(in[0]);
	close(out[1]);
	if (err != 0) {
		close(in[1]);
		close(out[0]);
		return err;
	}
	c->in = in[1];
	c->out = out[0];
	c->pidfd = submit_pidfd(c->pid);
	fcntl(c->in, F_SETFL, O_NONBLOCK);
	fcntl(c->out, F_SETFL, O_NONBLOCK);
	return 0;
}

/* submit_feed - write what the pipe takes; closes stdin when done */
static void
submit_feed(struct submit_child *c, const char *msg, size_t len)
{
	while (c->in >= 0 && c->off < len) {
		ssize_t n = write(c->in, msg + c->off, len - c->off);

		if (n > 0) {
			c->off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		c->epipe = true;
		break;
	}
	if (c->in >= 0) {
		close(c->in);
		c->in = -1;
	}
}

/* submit_drain - read what is there; keep the first bytes */
static void
submit_drain(struct submit_child *c)
{
	char chunk[4096];
	ssize_t n;

	while (c->out >= 0) {
		n = read(c->out, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close(c->out);
			c->out = -1;
			return;
		}
		if (c->output.len < SUBMIT_KEEP_OUT)
			buf_append(&c->output, chunk, (size_t)n);
	}
}

/* submit_now_ms - monotonic milliseconds */
static long long
submit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* submit_poll_ms - how long one poll may sleep: until the deadline,
 * but at most one tick when there is a cancel flag to look at or no
 * pidfd to tell us of the child's exit */
static int
submit_poll_ms(const struct submit_child *c, long long deadline,
    const atomic_int *cancel)
{
	long long left = deadline - submit_now_ms();

	if (left < 0)
		left = 0;
	if ((cancel != NULL || c->pidfd < 0) && left > SUBMIT_TICK_MS)
		left = SUBMIT_TICK_MS;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* submit_reaped - has the child exited? 1 (reaped, *status set) or 0 */
static int
submit_reaped(struct submit_child *c, int *status)
{
	pid_t w = waitpid(c->pid, status, WNOHANG);

	if (w == c->pid) {
		submit_drain(c);
		return 1;
	}
	if (w < 0 && errno == ECHILD) {
		/* reaped behind our back (SIGCHLD ignored): the outcome is
		 * unknown, so it counts as temporary */
		*status = -1;
		return 1;
	}
	return 0;
}

/* submit_wait - feed and watch the child until it exits (1), the
 * deadline passes (0) or cancel is set (-1); *status set when it exited */
static int
submit_wait(struct submit_child *c, const char *msg, size_t len,
    unsigned timeout, const atomic_int *cancel, int *status)
{
	long long deadline = submit_now_ms() + (long long)timeout * 1000;

	for (;;) {
		struct pollfd pf[3];
		nfds_t n = 0;
		int ms, got;

		if (submit_reaped(c, status))
			return 1;
		if (cancel && atomic_load(cancel))
			return -1;
		if (submit_now_ms() >= deadline)
			return 0;
		if (c->in >= 0)
			pf[n++] = (struct pollfd){ .fd = c->in, .events = POLLOUT };
		if (c->out >= 0)
			pf[n++] = (struct pollfd){ .fd = c->out, .events = POLLIN };
		if (c->pidfd >= 0)
			pf[n++] = (struct pollfd){ .fd = c->pidfd, .events = POLLIN };
		ms = submit_poll_ms(c, deadline, cancel);
		got = poll(pf, n, ms);
		if (got > 0) {
			submit_feed(c, msg, len);
			submit_drain(c);
		} else if (got == 0 && submit_now_ms() < deadline)
			atomic_fetch_add(&submit_idle, 1);
	}
}

/* submit_clean_output - sendmail's words, on one printable line of
 * well-formed UTF-8 for the log, cut on a character boundary */
static void
submit_clean_output(struct buf *b)
{
	struct buf clean;
	char *t;

	buf_init(&clean);
	utf8_clean(&clean, b->s, b->len, SUBMIT_KEEP_OUT, UTF8_REPLACEMENT);
	t = str_trim(clean.s);
	buf_reset(b);
	buf_puts(b, t);
	buf_free(&clean);
}

/* submit_classify - exit status to outcome, see submit.h */
static enum submit_result
submit_classify(int status, struct buf *why)
{
	if (status == -1) {
		buf_puts(why, "exit status lost (SIGCHLD ignored?)");
		return SUBMIT_TEMPFAIL;
	}
	if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);

		buf_printf(why, "exit status %d", code);
		if (code == 0)
			return SUBMIT_OK;
		/* 126/127: the program could not be executed (a shell's
		 * and posix_spawn's fallback code), like a spawn error */
		if (code == 75 || code == 71 || code == 74 || code == 126
		    || code == 127)
			return SUBMIT_TEMPFAIL;
		return SUBMIT_PERMFAIL;
	}
	if (WIFSIGNALED(status))
		buf_printf(why, "killed by signal %d", WTERMSIG(status));
	else
		buf_printf(why, "wait status 0x%x", (unsigned)status);
	return SUBMIT_TEMPFAIL;
}

/* submit_finish - classify, describe and release the child */
static enum submit_result
submit_finish(struct submit_child *c, int how, int status, unsigned timeout,
    struct buf *why)
{
	enum submit_result r;

	if (how != 1) {
		/* the group: a shell wrapper's children die too */
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (how == 1)
		r = submit_classify(status, why);
	else if (how == 0) {
		buf_printf(why, "timed out after %us, killed", timeout);
		r = SUBMIT_TEMPFAIL;
	} else {
		buf_puts(why, "cancelled at shutdown, killed");
		r = SUBMIT_CANCELLED;
	}
	if (c->epipe || c->off < c->len)
		buf_puts(why, "; it did not read the whole message");
	submit_clean_output(&c->output);
	if (c->output.len)
		buf_printf(why, ": %s", c->output.s);
	if (c->in >= 0)
		close(c->in);
	if (c->out >= 0)
		close(c->out);
	if (c->pidfd >= 0)
		close(c->pidfd);
	return r;
}

/* submit_run - spawn sendmail, feed it, judge its exit */
enum submit_result
submit_run(const struct strvec *argv, const char *sender, const char *rcpt,
    const char *msg, size_t len, unsigned timeout, const atomic_int *cancel,
    char **why)
{
	struct submit_child c = { .pid = -1, .pidfd = -1, .in = -1,
	    .out = -1, .len = len };
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old, pending;
	enum submit_result r;
	struct buf reason;
	bool was_pending;
	char **av;
	int err, how, status = 0;

	buf_init(&reason);
	buf_init(&c.output);
	if (timeout == 0)
		timeout = 1;
	if (argv->n == 0) {
		buf_puts(&reason, "no sendmail program configured");
		r = SUBMIT_TEMPFAIL;
		goto out;
	}
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	av = submit_argv(argv, sender, rcpt);
	err = submit_spawn(av, &c);
	free(av);
	if (err != 0) {
		buf_printf(&reason, "cannot run %s: %s", argv->v[0],
		    strerror(err));
		r = SUBMIT_TEMPFAIL;
	} else {
		submit_feed(&c, msg, len);
		how = submit_wait(&c, msg, len, timeout, cancel, &status);
		r = submit_finish(&c, how, status, timeout, &reason);
	}
	/* a SIGPIPE our write raised stays pending while blocked: take
	 * it away so it cannot fire when the old mask comes back */
	if (!was_pending && c.epipe)
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0
		    && errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
out:
	buf_free(&c.output);
	if (why)
		*why = buf_steal(&reason);
	buf_free(&reason);
	return r;
}
