#!/usr/bin/python3
"""Workbooks made the way county offices make them, and what importing each must give.

    make.py DIR     writes every workbook into DIR

Each WORKBOOKS entry is one file: the kind it is imported as, the rows as an office lays them
out (title rows merged over the columns, a 填报单位 line, 序号 columns, a unit merged down its
block of rows, notes rows below the data, full-width digits and colons, values in the office's
words, Excel dates and numbers stored as numbers, hidden columns, a 填表说明 sheet first), and
EXPECT, the outcome: header row, skipped rows, ignored columns, mappings, rows written, and the
problems by cell. test_sheets.py imports them through the API; web/tests/imports.test.mjs
uploads one through the console. Needs python3-openpyxl (Debian).
"""
import datetime
import os
import sys

import openpyxl
from openpyxl.styles import Alignment, Font

D = datetime.date
FW = str.maketrans("0123456789abcdefABCDEF:.", "０１２３４５６７８９ａｂｃｄｅｆＡＢＣＤＥＦ：．")


def fw(s):
    """Full width, as an input method in full-width mode writes it."""
    return s.translate(FW)


def title(ws, text, width):
    ws.append([text])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=16)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center")


def township_terminals(wb):
    ws = wb.active
    ws.title = "终端登记表"
    head = ["序号", "所属单位", "使用人", "物理地址", "IP 地址", "设备类型", "安装位置", "操作系统",
            "杀毒软件", "病毒库日期", "是否涉密", "内部编号", "备注"]
    title(ws, "桐柏县政务外网终端登记表", len(head))
    ws.append(["填报单位：城关镇人民政府（盖章）", None, None, None, None, None, None, None, None, "填报日期：2025年11月3日"])
    ws.append(head)
    rows = [
        [1, "城关镇", "张三", "00-1A-2B-36-00-01", "10.61.36.11", "台式机", "党政办", "Windows 10", "某杀毒", D(2025, 10, 31), "否", "CG-001", None],
        [2, None, "李四", fw("00:1a:2b:36:00:02"), fw("10.61.36.12") + " ", "笔记本", "财政所", "Windows 11", "某杀毒", "2025年10月30日", "否", "CG-002", "借用"],
        [3, None, "王五", "001a.2b36.0003", None, "网络打印机", "党政办", None, None, None, "否", "CG-003", None],
        [4, "城郊乡", "赵六", "00:1A:2B:37:00:04", "10.61.37.14", "台式电脑", "乡政府二楼", "统信 UOS", "某杀毒", "2025/10/29", "否", "CJ-001", None],
        [5, None, "钱七", "00 1A 2B 37 00 05".replace(" ", ":"), None, "监控", "大门", None, None, None, "否", "CJ-002", None],
        [6, None, None, None, None, None, None, None, None, None, None, None, None],
    ]
    for r in rows:
        ws.append(r)
    ws.merge_cells("B4:B6")  # 城关镇 over its three rows
    ws.merge_cells("B7:B9")  # 城郊乡 over its rows and the empty numbered one
    ws.cell(4, 10).number_format = "yyyy/m/d"
    ws.column_dimensions["L"].hidden = True
    ws.append([])
    ws.append(["注：1. 每台接入政务外网的终端填写一行；2. 物理地址即 MAC 地址。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(head))
    ws.append(["填表人：孙八", None, None, None, None, None, None, "联系电话：13800138000"])


def instructions_first(wb):
    ws = wb.active
    ws.title = "填表说明"
    ws.append(["本表由各单位网络管理员填写，每台终端一行。"])
    ws.append(["设备类型可填：台式机、笔记本、打印机等。"])
    data = wb.create_sheet("终端")
    data.append(["MAC地址", "单位名称", "终端类型", "使用人"])
    data.append(["00:1a:2b:36:00:21", "桐柏县城关镇人民政府", "计算机", "周九"])
    data.append(["00:1a:2b:36:00:22", "城关镇", "一体机", "吴十"])
    wb.create_sheet("汇总").append(["合计", 2])


def units(wb):
    ws = wb.active
    ws.title = "单位"
    title(ws, "桐柏县政务外网接入单位一览表", 7)
    ws.append(["序号", "单位名称", "单位简称", "单位性质", "级别", "上级单位", "办公地址"])
    ws.append([1, "桐柏县城关镇第一社区居民委员会", "城关一社区", "其他", "社区", "城关镇", "城关镇新华街 1 号"])
    ws.append([2, "桐柏县淮源职业技术学校", "淮源职校", "中学", "县直单位", None, "桐柏县淮源大道 8 号"])
    ws.append([3, "桐柏县城关镇卫生院", "城关卫生院", "卫生院", "乡（镇）", "城关镇", None])
    ws.append([4, "桐柏县城关镇第二社区居民委员会", "城关二社区", "其他", "村（社区）", "桐柏县城关镇人民政府", None])


def contacts(wb):
    ws = wb.active
    ws.title = "联系人"
    ws.append(["单位", "联系人类型", "姓名", "职务", "手机", "邮箱"])
    ws.append(["城关镇", "网管员", "孙八", "党政办干事", 13800138001, "sunba@example.cn"])
    ws.append(["城关镇", "信息安全员", "周九", "副镇长", 13800138002, None])
    ws.append(["城郊乡", "主要负责人", "吴十", "乡长", "13800138003", None])


def prefixes(wb):
    ws = wb.active
    ws.title = "地址规划"
    title(ws, "桐柏县政务外网 IP 地址分配表", 6)
    ws.append(["网段", "所属区域", "VLAN", "使用单位", "网关", "状态"])
    ws.append(["10.61.0.0/16", "政务外网区", None, None, None, "容器"])
    ws.append(["10.61.36.0/24", "gov", 36, "城关镇", "10.61.36.1", "已分配"])
    ws.append([fw("10.61.37.0") + "/24", "政务外网区", 37.0, "城郊乡", "10.61.37.1", "已分配"])
    ws.append(["10.61.38.0/24", "政务外网区", None, None, None, "预留"])


def addresses(wb):
    ws = wb.active
    ws.title = "主机地址"
    ws.append(["所属网段", "IP地址", "分配方式", "主机名", "MAC"])
    ws.append(["10.61.36.0/24", "10.61.36.200", "固定IP", "cg-server", "00:1a:2b:36:02:00"])
    ws.append(["10.61.36.0/24", "10.61.36.201", "预留", None, None])


def devices(wb):
    ws = wb.active
    ws.title = "网络设备"
    ws.append(["序号", "设备名称", "设备类型", "品牌型号", "序列号", "管理IP", "MAC", "所在单位", "产权", "安装位置"])
    ws.append([1, "城关镇汇聚交换机", "汇聚交换机", "S5735-L24T4X", "2102351", "10.61.36.2", "00-E0-FC-36-00-02", "城关镇", "县信息中心", "一楼机房"])
    ws.append([2, "城郊乡接入交换机", "二层交换机", "S1730S", None, "10.61.37.2", None, "城郊乡", "单位自有", "二楼"])
    ws.append([3, "县中心防火墙", "防火墙", "USG6000", None, None, None, None, "信息中心", "中心机房"])


def lines(wb):
    ws = wb.active
    ws.title = "线路"
    ws.append(["电路编号", "运营商", "接入单位", "带宽（M）", "A端", "Z端", "付费方", "状态"])
    ws.append(["TB-DX-0036", "电信", "城关镇", 100, "县中心机房", "城关镇政府", "信息中心", "正常"])
    ws.append(["TB-DX-0037", "中国电信桐柏分公司", "城郊乡", 50.0, "县中心机房", "城郊乡政府", "单位自付", "使用中"])


def problems(wb):
    ws = wb.active
    ws.title = "终端"
    ws.append(["序号", "MAC 地址", "IP地址", "单位", "终端类型", "病毒库日期", "涉密"])
    ws.append([1, "00:1a:2b:36:00:41", "10.61.36.41", "城关镇", "台式机", "2025-10-31", "否"])     # 2 fine
    ws.append([2, "00:1a:2b:36:00:41", "10.61.36.41", "城关镇", "计算机", None, "否"])           # 3 MAC and IP of row 2
    ws.append([3, "00:1a:2b:36:00:43", "10.61.36.11", "城关镇", "计算机", None, "否"])           # 4 IP registered (township sheet)
    ws.append([4, "00:1a:2b:36:00:44", None, "不存在的镇", "计算机", None, "否"])               # 5 unknown unit
    ws.append([5, "00:1a:2b:36:00:45", None, "城关镇", "计算机", "2025-02-30", "否"])           # 6 no such date
    ws.append([6, "zz:zz", "10.61.36.999", "城关镇", "传真机", "昨天", "也许"])                  # 7 five problems
    ws.append([7, "00:1a:2b:36:00:47", None, "城关镇", "计算机", None, "否"])                   # 8 fine


WORKBOOKS = {
    "township_terminals.xlsx": ("terminals", township_terminals),
    "instructions_first.xlsx": ("terminals", instructions_first),
    "units.xlsx": ("units", units),
    "contacts.xlsx": ("contacts", contacts),
    "prefixes.xlsx": ("prefixes", prefixes),
    "addresses.xlsx": ("addresses", addresses),
    "devices.xlsx": ("devices", devices),
    "lines.xlsx": ("lines", lines),
    "problems.xlsx": ("terminals", problems),
}

# In import order (later sheets name what earlier ones registered). errors: {cell: fragment}.
EXPECT = [
    ("units.xlsx", dict(sheet="单位", header_row=2, skipped=[(1, "title")], ignored=["序号"],
                        mappings={("单位性质", "中学"): "学校", ("单位性质", "卫生院"): "医院",
                                  ("级别", "社区"): "村/社区", ("级别", "县直单位"): "县直",
                                  ("级别", "乡（镇）"): "乡镇", ("级别", "村（社区）"): "村/社区"},
                        rows=4, written=4)),
    ("contacts.xlsx", dict(sheet="联系人", header_row=1, rows=3, written=3,
                           mappings={("联系人类型", "网管员"): "网络管理员", ("联系人类型", "信息安全员"): "安全联系人",
                                     ("联系人类型", "主要负责人"): "主要领导"})),
    ("prefixes.xlsx", dict(sheet="地址规划", header_row=2, skipped=[(1, "title")], rows=4, written=4,
                           mappings={("状态", "容器"): "地址池", ("状态", "已分配"): "使用中", ("状态", "预留"): "保留"})),
    ("addresses.xlsx", dict(sheet="主机地址", header_row=1, rows=2, written=2,
                            mappings={("分配方式", "固定IP"): "静态", ("分配方式", "预留"): "保留"})),
    ("township_terminals.xlsx", dict(sheet="终端登记表", header_row=3,
                                     skipped=[(1, "title"), (2, "title"), (11, "notes"), (12, "notes")],
                                     ignored=["序号", "内部编号"], rows=5, written=5,
                                     mappings={("设备类型", "台式机"): "计算机", ("设备类型", "笔记本"): "计算机",
                                               ("设备类型", "网络打印机"): "打印机", ("设备类型", "台式电脑"): "计算机",
                                               ("设备类型", "监控"): "摄像头"})),
    ("instructions_first.xlsx", dict(sheet="终端", header_row=1, rows=2, written=2,
                                     mappings={("终端类型", "一体机"): "计算机"})),
    ("devices.xlsx", dict(sheet="网络设备", header_row=1, ignored=["序号"], rows=3, written=3,
                          mappings={("设备类型", "汇聚交换机"): "交换机", ("设备类型", "二层交换机"): "交换机",
                                    ("产权", "县信息中心"): "信息中心", ("产权", "单位自有"): "使用单位"})),
    ("lines.xlsx", dict(sheet="线路", header_row=1, rows=2, written=2,
                        mappings={("付费方", "信息中心"): "管理单位", ("付费方", "单位自付"): "使用单位",
                                  ("状态", "正常"): "在用", ("状态", "使用中"): "在用"})),
    ("problems.xlsx", dict(sheet="终端", header_row=1, ignored=["序号"], rows=7, written=0, good=2,
                           mappings={("终端类型", "台式机"): "计算机"},
                           errors={"B3": "与本文件第 2 行重复", "C3": "与本文件第 2 行重复", "C4": "10.61.36.11",
                                   "D5": "不存在的镇", "F6": "病毒库日期", "B7": "MAC", "C7": "IP",
                                   "E7": "传真机", "F7": "昨天", "G7": "也许"})),
]

# What the register holds afterwards: (SQL, expected rows).
STORED = [
    ("SELECT u.short_name, u.type, u.level, p.short_name FROM units u LEFT JOIN units p ON p.id = u.parent_id"
     " WHERE u.short_name IN ('城关一社区', '淮源职校', '城关卫生院', '城关二社区') ORDER BY u.id",
     [("城关一社区", "其他", "村/社区", "城关镇"), ("淮源职校", "学校", "县直", None),
      ("城关卫生院", "医院", "乡镇", "城关镇"), ("城关二社区", "其他", "村/社区", "城关镇")]),
    ("SELECT role, name, mobile FROM contacts WHERE mobile LIKE '1380013800%' ORDER BY mobile",
     [("网络管理员", "孙八", "13800138001"), ("安全联系人", "周九", "13800138002"), ("主要领导", "吴十", "13800138003")]),
    ("SELECT p.cidr, p.status, v.vid, u.short_name, p.gateway FROM prefixes p LEFT JOIN vlans v ON v.id = p.vlan_id"
     " LEFT JOIN units u ON u.id = p.unit_id WHERE p.cidr LIKE '10.61.%' ORDER BY p.cidr",
     [("10.61.0.0/16", "container", None, None, None), ("10.61.36.0/24", "active", 36, "城关镇", "10.61.36.1"),
      ("10.61.37.0/24", "active", 37, "城郊乡", "10.61.37.1"), ("10.61.38.0/24", "reserved", None, None, None)]),
    ("SELECT t.mac, t.ip, u.short_name, t.user_name, t.kind, t.location, t.av_signature_date, t.classified, t.note"
     " FROM terminals t JOIN units u ON u.id = t.unit_id WHERE t.mac LIKE '00:1a:2b:3%' ORDER BY t.mac",
     [("00:1a:2b:36:00:01", "10.61.36.11", "城关镇", "张三", "计算机", "党政办", "2025-10-31", 0, ""),
      ("00:1a:2b:36:00:02", "10.61.36.12", "城关镇", "李四", "计算机", "财政所", "2025-10-30", 0, "借用"),
      ("00:1a:2b:36:00:03", None, "城关镇", "王五", "打印机", "党政办", None, 0, ""),
      ("00:1a:2b:36:00:21", None, "城关镇", "周九", "计算机", "", None, 0, ""),
      ("00:1a:2b:36:00:22", None, "城关镇", "吴十", "计算机", "", None, 0, ""),
      ("00:1a:2b:37:00:04", "10.61.37.14", "城郊乡", "赵六", "计算机", "乡政府二楼", "2025-10-29", 0, ""),
      ("00:1a:2b:37:00:05", None, "城郊乡", "钱七", "摄像头", "大门", None, 0, "")]),
    ("SELECT d.name, d.kind, d.owner, d.mgmt_ip, d.mac FROM devices d WHERE d.name LIKE '%交换机' OR d.name = '县中心防火墙'"
     " ORDER BY d.id",
     [("城关镇汇聚交换机", "交换机", "信息中心", "10.61.36.2", "00:e0:fc:36:00:02"),
      ("城郊乡接入交换机", "交换机", "使用单位", "10.61.37.2", None), ("县中心防火墙", "防火墙", "信息中心", None, None)]),
    ("SELECT circuit_id, bandwidth_mbps, payer, status FROM lines WHERE circuit_id LIKE 'TB-DX-%' ORDER BY circuit_id",
     [("TB-DX-0036", 100, "管理单位", "在用"), ("TB-DX-0037", 50, "使用单位", "在用")]),
]


def write_all(out):
    os.makedirs(out, exist_ok=True)
    for name, (_, make) in WORKBOOKS.items():
        wb = openpyxl.Workbook()
        make(wb)
        wb.save(os.path.join(out, name))


if __name__ == "__main__":
    write_all(sys.argv[1] if len(sys.argv) > 1 else ".")
