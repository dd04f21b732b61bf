"""bench/search.sh's measurement: NU more units with Chinese names (so the pinyin scan reads
demo + NU names), then NQ queries of each kind over one keep-alive connection, timed at the
client; p50, p99 and the worst in milliseconds, and the target."""
import random
import sys
import time
import urllib.parse

from api_client import Client

port, nu, nq = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
api = Client(port, timeout=60)
api.login("admin", "Bench2026pw")



rnd = random.Random(16)
places = "东西南北中上下前后新老大小黄白青红金银石桥河湖山岭坪沟湾庄屯堡寨营铺店集镇乡村"
types = ["党政机关", "事业单位", "学校", "医院", "其他"]
t = time.monotonic()
for i in range(nu):
    name = "".join(rnd.choice(places) for _ in range(3)) + "压测单位%04d" % i
    api.call("POST", "/units", {"name": name, "type": types[i % 5], "level": "乡镇" if i % 2 else "县直"})
print("registers: %d more units in %.1f s" % (nu, time.monotonic() - t))
first = api.call("GET", "/units?limit=500")
units, nunits = first["items"], int(first["total"])
mobiles = [x["mobile"] for u in units[:40] for x in api.call("GET", "/units/%d/contacts" % u["id"])["items"]
           if x.get("mobile")] or ["13800000000"]
apps = [a["id"] for a in api.call("GET", "/applications?limit=50")["items"]] or [1]
nt = int(api.call("GET", "/terminals?limit=1")["total"])


def mac(i):
    h = "02%010x" % i
    return "%s.%s.%s" % (h[:4], h[4:8], h[8:])


def ip(i):  # watch_setup.py's plan: terminal i of unit k at 10.k+1.(1 + j/250).(2 + j%250)
    k, j = i % 60, i // 60
    return "10.%d.%d.%d" % (k + 1, 1 + j // 250, 2 + j % 250)


KINDS = [
    ("ip (address -> prefix, unit, terminal)", lambda: ip(rnd.randrange(min(nt, 60 * 250)))),
    ("mac (aabb.ccdd.eeff)", lambda: mac(rnd.randrange(nt))),
    ("pinyin initials (3 letters)", lambda: "".join(rnd.choice("dxnbzsqhjyslpgwcztbyp") for _ in range(3))),
    ("unit name (Chinese text)", lambda: rnd.choice(places) + rnd.choice(places)),
    ("person (LIKE over terminals)", lambda: "用户%d" % rnd.randrange(nt)),
    ("mobile", lambda: rnd.choice(mobiles)),
    ("number (application/case)", lambda: str(rnd.choice(apps))),
]
print("%d units, %d terminals; %d queries per kind, one client" % (nunits, nt, nq))
print("%-40s %8s %8s %8s %8s" % ("query", "p50 ms", "p99 ms", "max ms", "hits"))
worst = 0.0
for label, gen in KINDS:
    ms, hits = [], 0
    for _ in range(nq):
        q = gen()
        s = time.perf_counter()
        a = api.call("GET", "/search?q=" + urllib.parse.quote(q))
        ms.append((time.perf_counter() - s) * 1000)
        hits += bool(a["results"])
    ms.sort()
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    worst = max(worst, p99)
    print("%-40s %8.2f %8.2f %8.2f %7d%%" % (label, ms[len(ms) // 2], p99, ms[-1], 100 * hits // nq))
print("worst p99: %.2f ms (target < 50 ms)" % worst)
