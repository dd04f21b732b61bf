/* zwnet: 政务外网管理平台. One binary; the first argument names the job. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/log.h"
#include "doc/doc.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "用法: zwnet <命令> [选项]\n\n"
	    "  serve    启动服务（--db FILE --listen ADDR:PORT [--profile NAME] [--config FILE]；"
	    "--check 只校验配置）\n"
	    "  demo     向空数据库写入演示县的数据\n"
	    "  user     用户管理：user add NAME --role ROLE [--unit ID]\n"
	    "  unit     单位登记：unit list|show|add|set\n"
	    "  audit    审计日志：audit verify [--head [编号:]哈希 | --manifest 备份清单]\n"
	    "  backup   备份：backup --to 目录 [--keep N]（服务运行时也可）\n"
	    "  restore  恢复：restore 备份清单.json --db FILE [--force] | --check\n"
	    "  calendar 工作日：calendar add 日期 N | show 年份 | load 文件\n"
	    "  deadline 期限：deadline list|show ID|pause ID --reason 原因|resume ID\n");
	cmd_registry_usage(f);
	fprintf(
	    f,
	    "           地址规划、终端与设备：list|show|add|set|rm；prefix allocate|verify\n"
	    "  profile  管理办法：profile check NAME|FILE, profile show, profile keys --markdown\n"
	    "  openapi  API 文档（GET /api/v1/openapi.json 所答）：openapi [--profile NAME]\n"
	    "  workflows 流程表（docs/WORKFLOWS.md 的状态图）：workflows\n"
	    "  probe    探针：probe --server URL --name 名称 (--pcap 文件 | --iface 网卡)\n"
	    "  enforce  断网执行器（nftables）：enforce --server URL --name 名称 [--once]\n"
	    "  config   配置项文档：config man（zwnet.conf(5)）| config sample [--KEY 值 ...]\n\n"
	    "通用选项:\n");
	config_usage(f);
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "zwnet: libsodium 初始化失败\n");
		return 1;
	}
	log_init(LOG_LVL_INFO, stderr);
	clock_init_from_env();
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {{"serve", cmd_serve},         {"user", cmd_user},
	            {"unit", cmd_unit},           {"audit", cmd_audit},
	            {"demo", cmd_demo},           {"profile", cmd_profile},
	            {"openapi", cmd_openapi},     {"calendar", cmd_calendar},
	            {"deadline", cmd_deadline},   {"application", cmd_application},
	            {"probe", cmd_probe},         {"enforce", cmd_enforce},
	            {"workflows", cmd_workflows}, {"import", cmd_import},
	            {"backup", cmd_backup},       {"restore", cmd_restore},
	            {"config", cmd_config}};
	/* The job has ended (serve: its threads are joined), so the font caches a PDF filled can
	 * go: nothing is left over for a leak check to report. */
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			int rc = cmds[i].fn(argc - 2, argv + 2);
			doc_pdf_exit();
			return rc;
		}
	int rrc = cmd_registry_named(argv[1], argc - 2, argv + 2);
	doc_pdf_exit();
	if (rrc != -1)
		return rrc;
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("zwnet 0.1.0\n");
		return 0;
	}
	fprintf(stderr, "zwnet: 未知的命令 \"%s\"\n\n", argv[1]);
	usage(stderr);
	return 2;
}
