/*
 * test_notify.c - notify.c: the datagrams a service manager listening
 * on $NOTIFY_SOCKET receives (a unix datagram socket of the test's own,
 * by path and abstract), that the variable leaves the environment, and
 * that a missing, unusable or silent socket never fails the daemon.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "protocol/notify.h"
#include "util/log.h"

/* listen_at - a datagram socket bound to name ("/path" or "@abstract") */
static int
listen_at(const char *name)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(name));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memcpy(sun.sun_path, name, strlen(name));
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, len), 0);
	return fd;
}

/* receive - the next datagram on fd as a string ("" when none waits) */
static void
receive(int fd, char *buf, size_t size)
{
	ssize_t n = recv(fd, buf, size - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
}

static void
test_path_socket(void **state)
{
	char dir[] = "/tmp/test_notify.XXXXXX", path[128], buf[256];
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listen_at(path);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(notify_init(), 1);
	assert_null(getenv("NOTIFY_SOCKET"));
	assert_int_equal(notify_send("READY=1"), 0);
	receive(fd, buf, sizeof(buf));
	assert_string_equal(buf, "READY=1");
	assert_int_equal(notify_reloading(), 0);
	receive(fd, buf, sizeof(buf));
	assert_true(strncmp(buf, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0);
	assert_true(strtoull(buf + 27, NULL, 10) > 0);
	assert_int_equal(notify_send("STOPPING=1"), 0);
	receive(fd, buf, sizeof(buf));
	assert_string_equal(buf, "STOPPING=1");
	close(fd);
	/* the manager went away: said in the log, never fatal */
	unlink(path);
	assert_int_equal(notify_send("READY=1"), -1);
	rmdir(dir);
	notify_reset();
}

static void
test_abstract_socket(void **state)
{
	char name[64], buf[64];
	int fd;

	snprintf(name, sizeof(name), "@test_notify.%ld", (long)getpid());
	fd = listen_at(name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(notify_init(), 1);
	assert_int_equal(notify_send("READY=1\nSTATUS=listening"), 0);
	receive(fd, buf, sizeof(buf));
	assert_string_equal(buf, "READY=1\nSTATUS=listening");
	close(fd);
	notify_reset();
}

static void
test_no_manager(void **state)
{
	static const struct {
		const char *label;
		const char *value;	/* NULL: unset */
		int want;
	} rows[] = {
		{"unset", NULL, 0},
		{"empty", "", 0},
		{"relative path", "run/notify", -1},
		{"just @", "@", -1},
		{"too long",
		    "/tmp/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		    -1},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].value == NULL)
			unsetenv("NOTIFY_SOCKET");
		else
			setenv("NOTIFY_SOCKET", rows[i].value, 1);
		if (notify_init() != rows[i].want)
			fail_msg("%s: notify_init did not return %d",
			    rows[i].label, rows[i].want);
		assert_null(getenv("NOTIFY_SOCKET"));
		/* nobody to tell: nothing to fail */
		assert_int_equal(notify_send("READY=1"), 0);
		assert_int_equal(notify_reloading(), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_socket),
		cmocka_unit_test(test_abstract_socket),
		cmocka_unit_test(test_no_manager),
	};

	log_init("test_notify", true, LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
