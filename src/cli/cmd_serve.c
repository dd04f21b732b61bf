#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/server.h"
#include "domain/violation/enforcement.h"
#include "watch/watch.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/parse.h"
#include "domain/ops/outage.h"
#include "domain/scheduler.h"

static int check_tls(const struct config *c, struct zw_err *err)
{
	if (!*c->tls_cert && !*c->tls_key)
		return 0;
	if (!*c->tls_cert || !*c->tls_key)
		return zw_errf(err, ZW_EINVALID, "tls_cert", "tls_cert 与 tls_key 须同时给出");
	if (access(c->tls_cert, R_OK) != 0)
		return zw_errf(err, ZW_EINVALID, "tls_cert", "无法读取证书 %s", c->tls_cert);
	if (access(c->tls_key, R_OK) != 0)
		return zw_errf(err, ZW_EINVALID, "tls_key", "无法读取私钥 %s", c->tls_key);
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	bool check = false;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--check") == 0)
			check = true;
	/* SIGTERM and SIGINT are blocked from the start, in this thread and so in every thread
	 * it makes, and taken by sigwait at the end: one that arrives during startup waits
	 * instead of killing the process, and none is handled by a worker thread while the main
	 * thread sleeps on (pause() never woke when another thread took the signal). */
	sigset_t stop_set;
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	struct cli_env e;
	int rc = cli_open_as(&e, argc, argv, !check, true);
	if (rc)
		return rc;
	for (int i = 0; i < e.nrest; i++)
		if (strcmp(argv[e.rest[i]], "--check") != 0) {
			fprintf(stderr, "zwnet serve: 未知的参数 \"%s\"\n", argv[e.rest[i]]);
			cli_close(&e);
			return 2;
		}
	struct zw_err err = {0};
	if (check_tls(&e.cfg, &err) < 0 ||
	    enforcement_allow_check(e.cfg.isolation_allow, &err) < 0) {
		cli_err(&err);
		cli_close(&e);
		return 1;
	}
	struct mail_cfg mail = {
	    .smtp_url = e.cfg.smtp_url,
	    .from = e.cfg.smtp_from,
	    .to = e.cfg.notify_mail_to,
	    .retry_min = e.cfg.notify_retry_min,
	    .timeout = (long)e.cfg.notify_timeout,
	};
	struct webhook_cfg hook = {
	    .url = e.cfg.webhook_url,
	    .secret = e.cfg.webhook_secret,
	    .retry_min = e.cfg.notify_retry_min,
	    .timeout = (long)e.cfg.notify_timeout,
	};
	if (mail_cfg_check(&mail, &err) < 0 || webhook_cfg_check(&hook, &err) < 0) {
		cli_err(&err);
		cli_close(&e);
		return 1;
	}
	char keyfile[1024];
	config_keyfile(&e.cfg, keyfile, sizeof(keyfile));
	struct ops_cfg ops = {
	    .db_path = e.cfg.db,
	    .keyfile = keyfile,
	    .backup_dir = e.cfg.backup_dir,
	    .backup_keep = (int)e.cfg.backup_keep,
	    .disk_min_free_mb = e.cfg.disk_min_free,
	};
	if (config_backup_minute(&e.cfg, &ops.backup_minute, &err) < 0) {
		cli_err(&err);
		cli_close(&e);
		return 1;
	}
	char warn[512];
	const char *w = profile_expiry_warning(e.prof, clock_today_cn(), warn, sizeof(warn));
	if (w)
		log_warnx("%s", w);
	if (check) {
		printf("配置有效：办法《%s》（%s），数据库 %s，监听 %s\n", e.prof->title,
		       e.prof->id, e.cfg.db, e.cfg.listen);
		cli_close(&e);
		return 0;
	}
	struct server srv = {0};
	srv.cfg = (struct server_cfg){
	    .listen = e.cfg.listen,
	    .tls_cert = e.cfg.tls_cert,
	    .tls_key = e.cfg.tls_key,
	    .body_limit = (size_t)e.cfg.body_limit,
	    .upload_limit = (size_t)e.cfg.upload_limit,
	    .conn_timeout = (unsigned)e.cfg.conn_timeout,
	    .header_timeout = (unsigned)e.cfg.header_timeout,
	    .request_timeout = (unsigned)e.cfg.request_timeout,
	    .max_connections = (unsigned)e.cfg.max_connections,
	    .max_per_source = (unsigned)e.cfg.max_connections_per_source,
	    .threads = (unsigned)e.cfg.threads,
	    .shutdown_grace = (unsigned)e.cfg.shutdown_grace,
	    .access_log = e.cfg.access_log,
	    .login_max_failures = (unsigned)e.cfg.login_max_failures,
	    .login_ip_max_failures = (unsigned)e.cfg.login_ip_max_failures,
	    .login_window = (unsigned)e.cfg.login_window,
	    .login_delay = (unsigned)e.cfg.login_delay,
	    .login_max_delay = (unsigned)e.cfg.login_max_delay,
	    .login_table_size = (unsigned)e.cfg.login_table_size,
	};
	srv.st = e.st;
	srv.ops = &ops;
	srv.prof = e.prof;
	srv.acct = e.acct;
	srv.ipam = ipam_cache_new();
	srv.ipam_cfg.quarantine = e.cfg.quarantine;
	static struct import_words words;
	if (cli_import_limits(&e.cfg, &srv.import, &words, &err) < 0) {
		cli_err(&err);
		ipam_cache_free(srv.ipam);
		cli_close(&e);
		return 1;
	}
	if (web_load(&srv.web, e.cfg.web_root, &err) < 0) {
		cli_err(&err);
		ipam_cache_free(srv.ipam);
		cli_close(&e);
		return 1;
	}
	struct watch watch;
	struct watch_params wp;
	watch_params_default(&wp);
	wp.scan_hosts = e.cfg.scan_hosts;
	wp.scan_ports = e.cfg.scan_ports;
	wp.scan_window_s = e.cfg.scan_window;
	wp.port_macs = e.cfg.port_macs;
	wp.conflict_s = e.cfg.conflict_window;
	watch_init(&watch, &wp, e.cfg.dhcp_servers);
	/* without the OUI registry the wireless rule still counts MACs per switch port */
	if (*e.cfg.oui_file &&
	    watch_load_ouis(&watch, e.cfg.oui_file, e.cfg.router_vendors, &err) < 0)
		log_warnx("%s: the consumer-router OUI check is off", err.message);
	else if (*e.cfg.oui_file)
		log_info("consumer-router OUIs: %zu blocks of the makers router_vendors names",
		         watch.nouis);
	srv.watch = &watch;
	/* the profile's settings unless the site overrides them */
	srv.vp.auto_isolate = e.cfg.auto_isolate < 0 ? e.prof->auto_isolate : e.cfg.auto_isolate;
	srv.vp.window_days =
	    e.cfg.offence_window ? e.cfg.offence_window : e.prof->offence_window_days;
	srv.vp.allow = e.cfg.isolation_allow;
	srv.rp.quarantine_vlan = e.cfg.quarantine_vlan;
	srv.rp.unknown_vlan = e.cfg.radius_unknown_vlan;
	if (*e.cfg.web_root && !srv.web.n)
		log_warnx("web console not found in %s (run make web): serving the API only",
		          e.cfg.web_root);
	/* the metrics read its lag and its channels from the start */
	struct scheduler sched = {
	    .st = e.st,
	    .prof = e.prof,
	    .mail = &mail,
	    .hook = &hook,
	    .interval = (unsigned)e.cfg.scheduler_interval,
	    .reminder_working_days = (int)e.cfg.reminder_working_days,
	    .reminder_hours = (int)e.cfg.reminder_hours,
	    .ops = &ops,
	};
	srv.sched = &sched;
	struct outage_monitor outage = {
	    .st = e.st,
	    .prof = e.prof,
	    .cfg = {.interval = (int)e.cfg.outage_interval,
	            .timeout_ms = (int)e.cfg.outage_timeout,
	            .tcp_port = (int)e.cfg.outage_tcp_port,
	            .down_after = (int)e.cfg.outage_down_after,
	            .up_after = (int)e.cfg.outage_up_after,
	            .netns = e.cfg.outage_netns},
	};
	srv.outage = &outage;
	atomic_init(&srv.inflight, 0);
	atomic_init(&srv.stopping, false);
	signal(SIGPIPE, SIG_IGN);
	/* the scheduler's first step runs before the server takes requests (scheduler.h) */
	if (scheduler_start(&sched, &err) < 0 || outage_monitor_start(&outage, &err) < 0 ||
	    server_start(&srv, &err) < 0) {
		cli_err(&err);
		outage_monitor_stop(&outage);
		scheduler_stop(&sched);
		ipam_cache_free(srv.ipam);
		web_free(&srv.web);
		watch_free(&watch);
		cli_close(&e);
		return 1;
	}
	log_info("zwnet serving %s://%s (profile %s, db %s)", *e.cfg.tls_cert ? "https" : "http",
	         e.cfg.listen, e.prof->id, e.cfg.db);
	int sig = 0;
	while (sigwait(&stop_set, &sig) != 0)
		;
	log_info("signal %d: finishing in-flight requests", sig);
	outage_monitor_stop(&outage);
	scheduler_stop(&sched);
	server_stop(&srv);
	ipam_cache_free(srv.ipam);
	web_free(&srv.web);
	watch_free(&watch);
	log_info("stopped");
	cli_close(&e);
	return 0;
}
