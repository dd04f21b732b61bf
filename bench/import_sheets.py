#!/usr/bin/python3
"""Workbooks for bench/import.sh: N rows of one kind, as an office keeps them in Excel (Chinese
headers, Excel dates as date cells, flags as 是/否), written with openpyxl (Debian's
python3-openpyxl) in write-only mode.

    import_sheets.py KIND N OUT.xlsx [UNIT ...]

units      N units: towns (乡镇) each followed by nine villages (村/社区) that name it as 上级单位
prefixes   one container 10.0.0.0/8 and N-1 active /26 subnets inside it, each with a unit
           (the UNITs given, in turn), a gateway and DNS
terminals  N terminals of those units, each with an IP inside the subnet prefixes.xlsx gave
           its unit (terminal j: subnet j mod (N-1), so the two files go together for one N)
"""
import datetime
import ipaddress
import sys

import openpyxl

BASE = int(ipaddress.ip_address("10.0.0.0"))


def subnet(k):
    """The k-th /26 of 10.0.0.0/8 (k >= 1)."""
    return BASE + 64 * k


def units(n, _units):
    yield ["单位名称", "简称", "单位类型", "单位层级", "上级单位", "办公地址", "备注"]
    types = ["党政机关", "事业单位", "学校", "医院", "其他"]
    for i in range(n):
        town = i - i % 10
        if i % 10 == 0:
            yield ["压测第%d镇人民政府" % i, "压测%d镇" % i, "党政机关", "乡镇", None,
                   "压测县%d镇政府路1号" % i, None]
        else:
            yield ["压测第%d镇第%d村民委员会" % (town, i % 10), "", types[i % len(types)],
                   "村/社区", "压测第%d镇人民政府" % town, "压测县%d镇%d村" % (town, i % 10),
                   "批量导入"]


def prefixes(n, unit_names):
    yield ["地址段", "状态", "使用单位", "网关", "DNS", "说明"]
    yield ["10.0.0.0/8", "container", None, None, None, "压测地址池"]
    for k in range(1, n):
        net = subnet(k)
        yield ["%s/26" % ipaddress.ip_address(net), "active", unit_names[k % len(unit_names)],
               str(ipaddress.ip_address(net + 1)), "10.0.0.53", "压测子网 %d" % k]


def terminals(n, unit_names):
    yield ["MAC地址", "IP地址", "单位名称", "使用人", "位置", "终端类型", "操作系统",
           "防病毒软件", "病毒库日期", "补丁日期", "安全管理插件"]
    kinds = ["计算机", "计算机", "计算机", "打印机", "摄像头", "电话"]
    day = datetime.date.today() - datetime.timedelta(days=3)
    subnets = max(n - 1, 1)
    for j in range(n):
        k = j % subnets + 1
        yield ["02:%02x:%02x:%02x:%02x:%02x" % tuple((j >> s) & 0xFF for s in (32, 24, 16, 8, 0)),
               str(ipaddress.ip_address(subnet(k) + 2 + j // subnets)),
               unit_names[k % len(unit_names)], "用户%d" % j, "%d号楼%d室" % (j % 20, j % 300),
               kinds[j % len(kinds)], "Windows 10", "某杀毒", day, day,
               "是" if j % 3 else "否"]


def main():
    kind, n, out, names = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    rows = {"units": units, "prefixes": prefixes, "terminals": terminals}[kind]
    if kind != "units" and not names:
        sys.exit("import_sheets.py: %s needs the names of units" % kind)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    for row in rows(n, names):
        ws.append(row)
    wb.save(out)


if __name__ == "__main__":
    main()
