#!/usr/bin/env python3
"""Mutation check of the conformance scenarios (test_conformance.py, and the scenarios of
test_workflows.py that are a clause's): each rule a scenario rests on is removed in turn, and
the scenario must then fail.

A rule of the profile is removed by a mutant profile: a copy of a shipped profile with one rule
edited out (a section dropped, a key changed, a section added), written as <dir>/<id>.conf and
loaded by path (`zwnet demo` and `zwnet serve --profile FILE`, as tests/api/harness.py starts
them). A rule kept in code is removed by its ZW_MUTANT hook (src/core/mutant.h): the scenario
runs with ZWNET_MUTANT=<name> in its environment, which the server (and any CLI command the
scenario runs) inherits; the binary must be built with -Dmutants=true (make test's build is).
The scenario runs alone in a child process against a server on a copy of its county's demo
database. It must fail inside the test itself: a mutant that the server refuses to load, or a
scenario whose class could not even be set up, proves nothing and is reported as an error; a
scenario that still passes is reported as a survivor. Both count as failures of this step.

Rules in code that no hook reaches are listed in CODE_RULES, so the gap stays visible.

Prints one line per mutant and, last, "mutation-summary KILLED FAILED" for tests/run.sh.
    python3 tests/api/mutate.py --bin build-asan/zwnet [--out DIR] [--jobs N] [PATTERN...]
"""
import argparse
import concurrent.futures
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import PASSWORD  # noqa: E402  (the seeded users' password)

BIN = None
ROOT = os.path.dirname(os.path.dirname(HERE))

EGRESS_TB = """
[workflow egress]
approvals = manager
clause = TB-5
"""
EGRESS_JX = """
[workflow egress]
approvals = manager
clause = JX-8
"""

# (scenario, profile, the rule removed, edit). A scenario is Class.test of test_conformance.py
# or module.Class.test; the profile is its class's. Edits: ("set", section, key, value) changes
# one key of a section; ("unset", section, key) removes one; ("drop", section) removes a
# section; ("add", text) appends sections;
# ("env", name) leaves the profile and switches the rule in code off (ZWNET_MUTANT=name).
MUTANTS = [
    ("Tongbai.test_TB_13", "tongbai", "审核 3 个工作日", ("set", "deadline access_review", "working_days", "4")),
    ("Tongbai.test_TB_13", "tongbai", "开通 7 个工作日", ("set", "deadline access_implement", "working_days", "8")),
    ("Tongbai.test_TB_13", "tongbai", "接入依据 TB-13", ("set", "unit_status connected", "clause", "TB-15")),
    ("Tongbai.test_TB_15", "tongbai", "变更审核 3 个工作日", ("set", "deadline change_review", "working_days", "4")),
    ("Tongbai.test_TB_15", "tongbai", "拆机依据 TB-15", ("set", "workflow change", "clause", "TB-13")),
    ("Tongbai.test_TB_6", "tongbai", "安全联系人 1 个工作日内重新备案", ("set", "deadline contact_refile", "working_days", "2")),
    ("Tongbai.test_TB_17", "tongbai", "开放端口须申请、审核批准", ("drop", "workflow port")),
    ("Tongbai.test_TB_24", "tongbai", "专网整合迁移须申请、核准", ("drop", "workflow interconnect")),
    ("Tongbai.test_TB_5", "tongbai", "统一互联网出口（无例外程序）", ("add", EGRESS_TB)),
    ("Tongbai.test_TB_4", "tongbai", "禁止新建、改扩建业务专网", ("drop", "forbidden private_line")),
    ("Tongbai.test_TB_4", "tongbai", "再犯断网", ("set", "forbidden private_line", "sanctions", "rectify")),
    ("Tongbai.test_TB_9", "tongbai", "问题较严重的立即断网", ("set", "forbidden classified_equipment", "sanctions", "rectify")),
    ("Tongbai.test_TB_9", "tongbai", "一般问题责成整改（不断网）", ("set", "forbidden wireless_device", "sanctions", "suspend_unit")),
    ("Tongbai.test_TB_9", "tongbai", "整改期限", ("drop", "deadline rectification")),
    ("Tongbai.test_TB_16", "tongbai", "不得擅自修改设备配置", ("drop", "forbidden device_tamper")),
    ("Tongbai.test_TB_16", "tongbai", "设备修复费用由使用单位承担", ("unset", "forbidden device_tamper", "cost_clause")),
    ("Tongbai.test_TB_16", "tongbai", "修复费用依据 TB-16", ("set", "forbidden device_tamper", "cost_clause", "TB-9")),
    ("Tongbai.test_TB_16", "tongbai", "线路修复费用由使用单位承担", ("unset", "forbidden line_damage", "cost_clause")),
    ("Miyun.test_MY_4", "miyun", "经信委审批、信息中心实施", ("set", "workflow access", "approvals", "manager")),
    ("Miyun.test_MY_5", "miyun", "不得擅自更改统一规划的网络地址", ("drop", "forbidden private_address_change")),
    ("Miyun.test_MY_5", "miyun", "地址变更依据 MY-5", ("set", "workflow change", "clause", "MY-4")),
    ("Miyun.test_MY_6", "miyun", "特殊需求报经信委审核备案", ("set", "workflow egress", "approvals", "manager")),
    ("Miyun.test_MY_7", "miyun", "信息业务系统报经信委审核备案", ("set", "workflow system", "approvals", "manager")),
    ("Shengsi.test_SS_10", "shengsi", "接入前安全评估", ("set", "workflow access", "assessment_required", "no")),
    ("Shengsi.test_SS_9", "shengsi", "自建互联网出口须审批", ("drop", "workflow egress")),
    ("Shengsi.test_SS_14", "shengsi", "端口开放核准备案", ("set", "deadline port_review", "clause", "SS-9")),
    ("Shengsi.test_SS_15", "shengsi", "上线前等保测评备案", ("set", "workflow system", "assessment_required", "no")),
    ("Shengsi.test_SS_11", "shengsi", "不得处置接口设备或改变配置", ("drop", "forbidden device_tamper")),
    ("Shengsi.test_SS_11", "shengsi", "接入变更经县大数据局审核", ("set", "deadline change_review", "working_days", "6")),
    ("Shengsi.test_SS_12", "shengsi", "数据交换须部署隔离设备", ("drop", "forbidden unapproved_interconnect")),
    ("Jiaxian.test_JX_9", "jiaxian", "接入时签署保密协议", ("set", "agreement confidentiality", "required_for_connection", "no")),
    ("Jiaxian.test_JX_9", "jiaxian", "接入时签署网络安全责任书", ("set", "agreement security_responsibility", "required_for_connection", "no")),
    ("Jiaxian.test_JX_9", "jiaxian", "接入依据 JX-9", ("set", "unit_status connected", "clause", "JX-5")),
    ("Jiaxian.test_JX_22", "jiaxian", "不得私改 IP 地址", ("drop", "forbidden private_address_change")),
    ("Jiaxian.test_JX_26", "jiaxian", "维修费用由该单位承担", ("unset", "forbidden line_damage", "cost_clause")),
    ("Jiaxian.test_JX_26", "jiaxian", "情节严重者取消入网资格", ("set", "forbidden line_damage", "sanctions", "suspend_unit")),
    ("Jiaxian.test_JX_26", "jiaxian", "暂时断网（而非只断终端）", ("set", "forbidden line_damage", "sanctions", "isolate_terminal, revoke")),
    ("Jiaxian.test_JX_26", "jiaxian", "限期整改", ("drop", "deadline rectification")),
    ("Jiaxian.test_JX_8", "jiaxian", "不得私设出口（无例外程序）", ("add", EGRESS_JX)),
    ("Tongbai.test_TB_12", "tongbai", "县直单位修复 2 小时", ("set", "sla county", "repair_hours", "3")),
    ("Tongbai.test_TB_12", "tongbai", "乡镇区域修复 6 小时", ("set", "sla township", "repair_hours", "8")),
    ("Tongbai.test_TB_12", "tongbai", "1 小时响应", ("set", "sla core", "respond_hours", "2")),
    ("Tongbai.test_TB_12", "tongbai", "乡镇单位属乡镇区域", ("set", "sla township", "levels", "村/社区")),
    ("Tongbai.test_TB_12", "tongbai", "复杂故障 48 小时", ("set", "sla complex", "repair_hours", "24")),
    ("Tongbai.test_TB_12", "tongbai", "暂停计时的事由", ("drop", "fault_pause no_access")),
    ("Tongbai.test_TB_12", "tongbai", "停机维护提前 2 小时报备", ("set", "maintenance", "notice_hours", "3")),
    ("Tongbai.test_TB_12", "tongbai", "停机维护须经同意", ("set", "maintenance", "approval_required", "no")),
    ("Tongbai.test_TB_11", "tongbai", "局域网故障由单位自行解决", ("unset", "faults", "lan_clause")),
    ("Shengsi.test_SS_24", "shengsi", "变更须有应急措施和回退方案", ("drop", "change_control")),
    ("Shengsi.test_SS_24", "shengsi", "变更须有回退方案", ("set", "change_control", "requires", "emergency_measures")),
    ("Jiaxian.test_JX_19", "jiaxian", "交班前须记录日常检查", ("drop", "duty")),
    ("Jiaxian.test_JX_18", "jiaxian", "预案报市数据局备案", ("unset", "emergency_plans", "filing_authority")),
    ("Jiaxian.test_JX_18", "jiaxian", "预案定期演练", ("drop", "deadline plan_drill")),
    ("Jiaxian.test_JX_18", "jiaxian", "预案定期评审", ("drop", "deadline plan_review")),
    ("Luoning.test_LN_13", "luoning", "各单位制定应急预案", ("unset", "emergency_plans", "every_unit")),
    ("Luoning.test_LN_26", "luoning", "12 小时内排除", ("set", "sla all", "repair_hours", "24")),
    ("Luoning.test_LN_26", "luoning", "排除时限依据 LN-26", ("set", "sla all", "clause", "LN-25")),
    ("Luoning.test_LN_16", "luoning", "审核时限", ("set", "deadline access_review", "working_days", "6")),
    ("Luoning.test_LN_17", "luoning", "接入须签订安全保密承诺书", ("set", "agreement security_commitment", "required_for_connection", "no")),
    ("Luoning.test_LN_17", "luoning", "已接入单位补签", ("set", "agreement security_commitment", "backfill", "no")),
    ("Luoning.test_LN_23", "luoning", "局域网改造报备", ("drop", "workflow lan")),
    # rules in code (the hooks' names are grep-able in src/)
    ("Tongbai.test_TB_18", "tongbai", "数据交互须部署隔离设备", ("env", "tb18_isolation_device")),
    ("Tongbai.test_TB_17", "tongbai", "手工登记的端口不经批准不开放", ("env", "tb17_hand_ports")),
    ("Tongbai.test_TB_23", "tongbai", "端口只向批准的一侧开放", ("env", "tb23_exposure")),
    ("Tongbai.test_TB_23", "tongbai", "未列出的新建连接丢弃", ("env", "tb23_default_drop")),
    ("Shengsi.test_SS_17", "shengsi", "备案记载所用云资源", ("env", "ss17_hosting")),
    ("Jiaxian.test_JX_20", "jiaxian", "按申请的 IP 数量分配地址段", ("env", "jx20_ip_count")),
    ("Jiaxian.test_JX_21", "jiaxian", "单位管理员只管本单位地址", ("env", "jx21_unit_scope")),
    ("Jiaxian.test_JX_27", "jiaxian", "撤销入网资格者不得径行再申请", ("env", "jx27_revoked")),
    ("Luoning.test_LN_21", "luoning", "档案含接入网络的地址段", ("env", "ln21_archive_prefixes")),
    ("test_watch.CountyEquipmentTest.test_equipment_raises_nothing_a_stranger_does", "tongbai",
     "县里自己的设备不是陌生终端", ("env", "county_own")),
    ("test_violations.OneEventOneOffence.test_one_event_is_one_offence", "tongbai",
     "一次事件为一次违规", ("set", "violation_policy", "offence_event_hours", "0")),
    ("test_violations.OneEventOneOffence.test_one_event_is_one_offence", "tongbai",
     "事件以 24 小时为限", ("set", "violation_policy", "offence_event_hours", "720")),
    ("test_outage.Outage.test_3_an_outage_in_an_agreed_window_is_no_fault_until_the_window_ends",
     "tongbai", "停机维护期间的中断不是故障", ("env", "tb12_window_holds")),
    ("test_workflows.HandSuspension.test_no_unit_registered_connected_without_an_application",
     "tongbai", "仅存量单位可直接登记为已接入", ("env", "existing_units_only")),
    ("test_workflows.HandSuspension.test_suspension_isolates_and_reconnection_waits_for_the_case",
     "tongbai", "暂停即断网", ("env", "hand_suspension_isolates")),
    ("test_workflows.HandSuspension.test_suspension_isolates_and_reconnection_waits_for_the_case",
     "tongbai", "违规事项断网期间不得恢复接入", ("env", "case_blocks_reconnect")),
]

# Scenarios resting on a rule in code that no hook can switch off with one condition.
CODE_RULES = {
    "Tongbai.test_TB_17": "ports enter the register only when approved: the approve row's effect"
                          " (application.c register_ports); without it a second path registering"
                          " at submission would have to be written, not a condition removed",
}


def section_span(lines, name):
    """[start, end) of section `[name]`: its header up to the next header or ruler comment."""
    head = "[%s]" % name
    for i, l in enumerate(lines):
        if l.strip() == head:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("[") and not lines[j].startswith("# ----"):
                j += 1
            return i, j
    raise ValueError("no section [%s]" % name)


def apply_edit(text, edit):
    lines = text.split("\n")
    if edit[0] == "add":
        return text.rstrip("\n") + "\n" + edit[1]
    i, j = section_span(lines, edit[1])
    if edit[0] == "drop":
        return "\n".join(lines[:i] + lines[j:])
    if edit[0] == "unset":
        keep = [l for l in lines[i + 1:j] if not re.match(r"\s*%s\s*=" % re.escape(edit[2]), l)]
        if len(keep) == j - i - 1:
            raise ValueError("[%s] has no key %s" % (edit[1], edit[2]))
        return "\n".join(lines[:i + 1] + keep + lines[j:])
    _, _, key, value = edit
    for k in range(i + 1, j):
        m = re.match(r"(\s*%s\s*=\s*)(.*)$" % re.escape(key), lines[k])
        if m:
            if m.group(2).strip() == value:
                raise ValueError("[%s] %s is already %s" % (edit[1], key, value))
            lines[k] = m.group(1) + value
            return "\n".join(lines)
    raise ValueError("[%s] has no key %s" % (edit[1], key))


def seed(profile, d):
    """The demo county of a shipped profile, seeded once for all its mutants: seeding is most
    of a server's start. The mutants' servers run on copies, so the data is the same as the
    unmutated scenario's and only the rule differs."""
    os.makedirs(d)
    env = dict(os.environ, ZWNET_PASSWORD=PASSWORD)
    p = subprocess.run([BIN, "demo", "--profile", profile, "--db", os.path.join(d, "zwnet.db"),
                        "--password-cost", "min"], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError("demo %s failed: %s%s" % (profile, p.stdout, p.stderr))
    return d


def use_seed(harness, seed_dir):
    """Make the harness copy the seeded database (and its key file) instead of running demo."""
    real = harness.run_cli

    def run_cli(*args, db=None, **kw):
        if args and args[0] == "demo" and db:
            for f in os.listdir(seed_dir):
                shutil.copy(os.path.join(seed_dir, f),
                            os.path.join(os.path.dirname(db), f.replace("zwnet.db", os.path.basename(db))))
            return None
        return real(*args, db=db, **kw)
    harness.run_cli = run_cli


def split(scenario):
    """(module, class, test) of a scenario name."""
    parts = scenario.split(".")
    return tuple(parts) if len(parts) == 3 else ("test_conformance",) + tuple(parts)


def run_one(scenario, profile):
    """Child: run one scenario with its class's profile replaced by the file `profile`, or
    (a name) on its own profile. Exit 0 passed, 1 failed inside the test, 2 anything else
    (class setup or teardown, a sanitizer report)."""
    if os.environ.get("ZWNET_MUTANT_SEED"):
        import harness
        use_seed(harness, os.environ["ZWNET_MUTANT_SEED"])
    module, cls_name, test = split(scenario)
    spec = importlib.util.spec_from_file_location(module, os.path.join(HERE, module + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    cls = getattr(mod, cls_name)
    if os.sep in profile:
        cls.profile = profile
    elif cls.profile != profile:
        print("%s runs under %s, not %s" % (scenario, cls.profile, profile))
        return 2
    suite = unittest.TestSuite([cls(test)])
    res = unittest.TextTestRunner(stream=sys.stdout, verbosity=0).run(suite)
    in_test = [t for t, _ in res.failures + res.errors if isinstance(t, unittest.TestCase)]
    other = [t for t, _ in res.failures + res.errors if not isinstance(t, unittest.TestCase)]
    if other:
        return 2
    return 1 if in_test else 0


def built_with_hooks(binary):
    """Whether the binary has the ZW_MUTANT hooks: only then is src/core/mutant.c, the one
    reader of ZWNET_MUTANT, linked in."""
    with open(binary, "rb") as f:
        return b"ZWNET_MUTANT" in f.read()


def mutant(n, m, args, workdir, seeds):
    scenario, profile, rule, edit = m
    module, cls_name, test = split(scenario)
    what = test[5:].replace("_", "-") if module == "test_conformance" else cls_name
    label = "%s without %s" % (what, rule)
    t0 = time.monotonic()
    env = dict(os.environ, ZWNET_TEST_OUT=os.path.join(args.out, "m%02d" % n))
    if edit[0] == "env":
        if not args.hooks:
            return "FAIL", label, "%s has no ZW_MUTANT hooks: build it with -Dmutants=true" \
                " (meson configure %s -Dmutants=true)" % (args.bin, os.path.dirname(args.bin)), 0
        path = profile
        env["ZWNET_MUTANT"] = edit[1]
    else:
        d = os.path.join(workdir, "m%02d" % n)
        os.makedirs(d)
        try:
            with open(os.path.join(ROOT, "profiles", profile + ".conf"), encoding="utf-8") as f:
                text = apply_edit(f.read(), edit)
        except ValueError as e:
            return "FAIL", label, "the mutant no longer applies: %s" % e, 0
        path = os.path.join(d, profile + ".conf")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        chk = subprocess.run([args.bin, "profile", "check", path], capture_output=True, text=True)
        if chk.returncode != 0:
            return "FAIL", label, "the mutant does not load: %s" % (chk.stdout + chk.stderr).strip(), 0
    env["ZWNET_MUTANT_SEED"] = seeds[profile].result()
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--bin", args.bin,
                        "--run", scenario, path], capture_output=True, text=True, env=env,
                       timeout=300)
    ms = int((time.monotonic() - t0) * 1000)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "m%02d.log" % n), "w") as f:
        f.write("%s\n%r\n%s%s" % (label, edit, p.stdout, p.stderr))
    if p.returncode == 1:
        return "ok", label, "%s failed" % scenario, ms
    if p.returncode == 0:
        return "FAIL", label, "%s still passes with the rule removed" % scenario, ms
    return "FAIL", label, "%s could not run (see %s/m%02d.log)" % (scenario, args.out, n), ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", default="tests/out/mutants")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("ZWNET_MUTATION_JOBS", "2")))
    ap.add_argument("--run", nargs=2, metavar=("SCENARIO", "PROFILE"),
                    help="child: one scenario on a profile file (or its own profile, by name)")
    ap.add_argument("patterns", nargs="*", help="only mutants whose scenario contains one")
    a = ap.parse_args()
    global BIN
    a.bin = BIN = os.path.abspath(a.bin)
    os.environ["ZWNET_BIN"] = a.bin
    if a.run:
        return run_one(*a.run)
    os.environ.pop("ZWNET_MUTANT", None)  # the seeds and the profile mutants keep every rule
    a.hooks = built_with_hooks(a.bin)
    a.out = os.path.abspath(a.out)
    shutil.rmtree(a.out, ignore_errors=True)
    chosen = [(i, m) for i, m in enumerate(MUTANTS)
              if not a.patterns or any(p in m[0] for p in a.patterns)]
    t0 = time.monotonic()
    killed = failed = 0
    workdir = tempfile.mkdtemp(prefix="zwnet-mutants-")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            seeds = {p: pool.submit(seed, p, os.path.join(workdir, "seed-" + p))
                     for p in sorted({m[1] for _, m in chosen})}
            futs = [pool.submit(mutant, i, m, a, workdir, seeds) for i, m in chosen]
            for f in futs:
                word, label, why, ms = f.result()
                print("%-4s mutant %s: %s (%d ms)" % (word, label, why, ms), flush=True)
                if word == "ok":
                    killed += 1
                else:
                    failed += 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not a.patterns:
        for scenario, why in sorted(CODE_RULES.items()):
            print("note no mutant for %s: its rule is in code, without a hook: %s" % (scenario, why))
    print("mutants: %d killed, %d failed in %.1f s" % (killed, failed, time.monotonic() - t0))
    print("mutation-summary %d %d" % (killed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
