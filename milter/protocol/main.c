/*
 * main.c - abuse-milter: command line, then either an offline mode
 * (--classify, --explain, --report, --learn, --forget, --learn-stats,
 * --migrate-state, -n) or the daemon.
 *
 * The daemon starts in the order milter-regex taught us, refusals first:
 * user -> refuse root -> register -> socket busy? -> log file, socket and
 * pid-file directories -> umask -> open socket -> chown socket -> drop
 * privileges -> as the milter's user: spool, ledger, Redis (refused:
 * stop; away: go on), pid file -> detach -> threads (reload, reply
 * workers) -> ready -> smfi_main. Until ready, errors also go to stderr
 * and the starting process exits with the status. Signals are blocked
 * before any thread exists: libmilter takes SIGHUP, SIGTERM and SIGINT
 * (all mean stop), our reload thread takes SIGUSR1 and wakes libmilter's
 * listener once a stop was asked for.
 */
#include "config/config.h"

#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "complaint/reply_queue.h"
#include "protocol/callbacks.h"
#include "cli/cli.h"
#include "cli/learn_cli.h"
#include "cli/learn_stats.h"
#include "cli/migrate_cli.h"
#include "config/check.h"
#include "ledger/redis_state.h"
#include "protocol/daemon.h"
#include "protocol/notify.h"
#include "protocol/pidfile.h"
#include "util/log.h"
#include "cli/report_cli.h"
#include "protocol/worker.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

enum mode { MODE_DAEMON, MODE_CHECK, MODE_CLASSIFY, MODE_EXPLAIN, MODE_REPORT,
	MODE_LEARN, MODE_FORGET, MODE_LEARN_STATS, MODE_MIGRATE };

struct opts {
	const char *config;
	const char *socket;
	bool foreground;
	enum mode mode;
	const char *since;
	const char *learn;	/* --learn / --forget CATEGORY */
	bool brief;		/* --explain --brief */
	const char *html, *csv;	/* --report --html FILE / --csv FILE */
};

/* usage - the -h text */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: abuse-milter [-f] [-c FILE] [-p SOCKET]\n"
	    "       abuse-milter -n [-c FILE]\n"
	    "       abuse-milter [-c FILE] --classify FILE.eml ... (- = stdin)\n"
	    "       abuse-milter [-c FILE] --explain [--brief] FILE.eml ...\n"
	    "       abuse-milter [-c FILE] --report [--since 7d] [--html FILE] "
	    "[--csv FILE]\n"
	    "       abuse-milter [-c FILE] --learn CATEGORY|auto-dirs PATH ...\n"
	    "       abuse-milter [-c FILE] --forget CATEGORY PATH ...\n"
	    "       abuse-milter [-c FILE] --learn-stats\n"
	    "       abuse-milter [-c FILE] --migrate-state\n"
	    "       abuse-milter -V | -h\n"
	    "  -c FILE   configuration (default %s/abuse-milter.conf)\n"
	    "  -n        check the configuration and exit (78 if invalid)\n"
	    "  -f        stay in the foreground, log to stderr\n"
	    "  -p SOCK   milter socket: unix:/path, inet:PORT@HOST, "
	    "inet6:PORT@HOST\n"
	    "  -V        print the version\n", SYSCONFDIR);
}

/* parse_args - fill *o; returns -1 on a usage error */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"classify", no_argument, NULL, 'C'},
		{"explain", no_argument, NULL, 'E'},
		{"brief", no_argument, NULL, 'B'},
		{"report", no_argument, NULL, 'R'},
		{"since", required_argument, NULL, 'S'},
		{"html", required_argument, NULL, 'H'},
		{"csv", required_argument, NULL, 'K'},
		{"learn", required_argument, NULL, 'L'},
		{"forget", required_argument, NULL, 'F'},
		{"learn-stats", no_argument, NULL, 'T'},
		{"migrate-state", no_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "c:nfp:Vhv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'n': o->mode = MODE_CHECK; break;
		case 'f': o->foreground = true; break;
		case 'p': o->socket = optarg; break;
		case 'C': o->mode = MODE_CLASSIFY; break;
		case 'E': case 'v':
			o->mode = MODE_EXPLAIN; break;
		case 'R': o->mode = MODE_REPORT; break;
		case 'S': o->since = optarg; break;
		case 'H': o->html = optarg; break;
		case 'K': o->csv = optarg; break;
		case 'L': o->mode = MODE_LEARN; o->learn = optarg; break;
		case 'F': o->mode = MODE_FORGET; o->learn = optarg; break;
		case 'T': o->mode = MODE_LEARN_STATS; break;
		case 'M': o->mode = MODE_MIGRATE; break;
		case 'B': o->brief = true; break;
		case 'V': printf("abuse-milter %s\n", PACKAGE_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if ((o->html != NULL || o->csv != NULL) && o->mode != MODE_REPORT)
		return -1;
	return o->brief && o->mode != MODE_EXPLAIN ? -1 : 0;
}

/* run_report - --report [--since DURATION] [--html F] [--csv F] */
static int
run_report(const struct config *cfg, const struct opts *o)
{
	const char *since = o->since;
	long secs = since != NULL ? config_parse_duration(since) : 7 * 86400;

	if (secs < 0) {
		fprintf(stderr, "abuse-milter: --since %s: bad duration (want "
		    "e.g. 24h, 7d)\n", since);
		return EX_USAGE;
	}
	return report_cli(cfg, secs, o->html, o->csv);
}

/* run_check_state - with state { backend = "redis" }: a server that
 * refuses us (a wrong password) is a mistake to fix before the start; one
 * that is away is not: replies fall back to state_db until it is back */
static int
run_check_state(const struct config *cfg)
{
	struct redis_state *rs;
	char err[512];
	int rc;

	if (cfg->state.backend != STATE_REDIS)
		return 0;
	rs = redis_state_open(&cfg->state.redis);
	rc = redis_state_check(rs, err, sizeof(err));
	redis_state_close(rs);
	if (rc < 0)
		log_msg(LOG_ERR, NULL, "%s", err);
	else if (rc > 0)
		log_msg(LOG_WARNING, NULL, "%s; starting anyway: replies are "
		    "decided from state_db until it is back", err);
	return rc < 0 ? -1 : 0;
}

/* run_daemon_prepare - everything up to and including dropping
 * privileges; 0 or an exit status. Every refusal comes before anything
 * is created on disk, so a refused start leaves nothing behind that
 * could stand in the way of the next, correct one. */
static int
run_daemon_prepare(struct config *cfg, const char *socket)
{
	uid_t uid;
	gid_t gid;

	if (daemon_lookup_user(cfg, &uid, &gid) != 0 ||
	    callbacks_register(cfg, socket) != 0)
		return EX_CONFIG;
	if (daemon_refuse_root(uid) != 0)
		return EX_NOPERM;
	if (daemon_socket_busy(socket))
		return EX_UNAVAILABLE;
	if (daemon_log_open(cfg->log_file, uid, gid) != 0 ||
	    daemon_prepare_dirs(cfg, socket, uid, gid) != 0)
		return EX_CANTCREAT;
	umask(cfg->umask);
	if (callbacks_open_socket() != 0 ||
	    daemon_socket_owner(socket, uid, gid) != 0)
		return EX_UNAVAILABLE;
	daemon_listen_note();
	if (daemon_drop(uid, gid) != 0)
		return EX_NOPERM;
	return 0;
}

/* run_notify_ready - tell a service manager (Type=notify) that we
 * listen; MAINPID names the process that stays, also when it is the
 * detached child of the one the manager started */
static void
run_notify_ready(void)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "READY=1\nMAINPID=%ld", (long)getpid());
	(void)notify_send(msg);
}

/* run_daemon - the milter; returns the exit status */
static int
run_daemon(struct config *cfg, const struct opts *o)
{
	const char *socket = o->socket ? o->socket : cfg->socket;
	int rc;

	daemon_block_signals();
	log_timestamps(true);
	/* before any thread: it edits the environment */
	(void)notify_init();
	if ((rc = run_daemon_prepare(cfg, socket)) != 0)
		return rc;
	/* as the milter's own user now: what it must write, it must be
	 * able to write, or the start fails here, on stderr */
	if (daemon_check_spool(cfg->spool_dir) != 0 ||
	    daemon_check_ledger(cfg->state_db) != 0)
		return EX_CANTCREAT;
	if (run_check_state(cfg) != 0)
		return EX_CONFIG;
	if (pidfile_open(cfg->pidfile) != 0)
		return EX_CANTCREAT;
	if (!o->foreground && daemon_detach() != 0)
		return EX_OSERR;
	config_swap(config_ref(cfg));
	if (pidfile_write() != 0 || reply_queue_init(cfg) != 0 ||
	    daemon_reload_start(cfg->path, callbacks_stopping) != 0 ||
	    worker_start(cfg->reply.workers) != 0) {
		pidfile_remove();
		daemon_ready(EX_SOFTWARE);
		return EX_SOFTWARE;
	}
	log_msg(LOG_NOTICE, NULL, "abuse-milter %s listening on %s",
	    PACKAGE_VERSION, socket);
	if (!o->foreground && cfg->log_file == NULL &&
	    access("/dev/log", W_OK) != 0)
		log_msg(LOG_WARNING, NULL, "no syslog daemon listens on "
		    "/dev/log: from now on the log is lost; set log_file");
	config_exit_list_note(cfg, time(NULL));
	run_notify_ready();
	daemon_ready(EX_OK);
	rc = callbacks_run();
	log_msg(LOG_NOTICE, NULL, "stopping");
	(void)notify_send("STOPPING=1");
	worker_stop();
	daemon_reload_stop();
	reply_queue_shutdown(cfg);
	pidfile_remove();
	config_swap(NULL);
	log_msg(LOG_NOTICE, NULL, "stopped");
	return rc == 0 ? EX_OK : EX_SOFTWARE;
}

/* main - parse the options, load the config, run the mode asked for */
int
main(int argc, char **argv)
{
	struct opts o = {.config = SYSCONFDIR "/abuse-milter.conf"};
	struct config *cfg;
	char err[2048];
	int rc;

	/* a fixed threshold: glibc otherwise raises it after the first large
	 * free, and message buffers of megabytes then stay in the arenas
	 * after a burst (bench/inflight.sh) instead of going back */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	if (parse_args(argc, argv, &o) != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	if (o.socket != NULL && config_check_socket(o.socket) != NULL) {
		fprintf(stderr, "abuse-milter: -p %s: %s\n", o.socket,
		    config_check_socket(o.socket));
		return EX_USAGE;
	}
	log_init("abuse-milter", o.foreground || o.mode != MODE_DAEMON,
	    LOG_INFO);
	log_tee_stderr(!o.foreground && o.mode == MODE_DAEMON);
	if ((cfg = config_load(o.config, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return EX_CONFIG;
	}
	log_set_level(cfg->log_level);
	switch (o.mode) {
	case MODE_CHECK:
		config_exit_list_note(cfg, time(NULL));
		rc = EX_OK;
		break;
	case MODE_CLASSIFY:
		rc = cli_classify(cfg, argv + optind, argc - optind, stdout);
		break;
	case MODE_EXPLAIN:
		rc = cli_explain(cfg, argv + optind, argc - optind, o.brief,
		    stdout);
		break;
	case MODE_REPORT:
		rc = run_report(cfg, &o);
		break;
	case MODE_LEARN: case MODE_FORGET:
		rc = learn_cli_run(cfg, o.learn, o.mode == MODE_FORGET,
		    argv + optind, argc - optind, stdout);
		break;
	case MODE_LEARN_STATS:
		rc = learn_stats_print(cfg, stdout);
		break;
	case MODE_MIGRATE:
		rc = migrate_cli(cfg, stdout);
		break;
	default:
		rc = run_daemon(cfg, &o);
	}
	config_unref(cfg);
	return rc;
}
