"""bench/watch.sh's wire-to-violation latency: in a network namespace of its own, a zwnet
server (佳县, where a hand-changed address is a violation at once, JX-22/JX-26), `zwnet probe`
capturing live on a veth, and ARP replies of registered terminals at addresses they do not
own sent into the other end one at a time; the time from sending the frame to the violation
being visible over the API. Runs itself inside the namespace."""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "api"))
import wire  # noqa: E402

N = int(os.environ.get("ZWNET_BENCH_FRAMES", "200"))


def inside(bin_, d):
    env = dict(os.environ, ZWNET_PASSWORD="Bench2026pw")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"], check=True)
    for i in ("v0", "v1"):
        subprocess.run(["ip", "link", "set", i, "up"], check=True)
    db = os.path.join(tempfile.mkdtemp(dir=d), "lat.db")
    subprocess.run([bin_, "demo", "--db", db, "--profile", "jiaxian", "--password-cost", "min"],
                   env=env, check=True, capture_output=True)
    srv = subprocess.Popen([bin_, "serve", "--db", db, "--listen", "127.0.0.1:18080", "--profile",
                            "jiaxian", "--password-cost", "min", "--access-log", "",
                            "--scheduler-interval", "0"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    probe = None
    try:
        for _ in range(200):
            try:
                h = http.client.HTTPConnection("127.0.0.1", 18080, timeout=30)
                h.request("GET", "/api/v1/health")
                if h.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        c = None

        def call(method, path, body=None, tok=None):
            nonlocal c
            if c is None or c.sock is None:
                c = http.client.HTTPConnection("127.0.0.1", 18080, timeout=30)
            h = {"Content-Type": "application/json"}
            if tok:
                h["Authorization"] = "Bearer " + tok
            c.request(method, "/api/v1" + path, None if body is None else json.dumps(body), h)
            r = c.getresponse()
            data = r.read()
            return r.status, json.loads(data) if data else None

        _, s = call("POST", "/session", {"username": "admin", "password": "Bench2026pw"})
        tok = s["token"]
        units = [u["id"] for u in call("GET", "/units?limit=100", tok=tok)[1]["items"]]
        call("POST", "/prefixes", {"cidr": "10.0.0.0/8", "status": "container"}, tok=tok)
        macs = []
        for i in range(N):
            u = units[i % len(units)]
            if i < len(units):
                call("POST", "/prefixes", {"cidr": "10.%d.0.0/16" % (i + 1), "status": "active",
                                           "unit_id": u}, tok=tok)
            mac = "02:00:00:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)
            st, _ = call("POST", "/terminals", {"mac": mac, "ip": "10.%d.1.%d" % (i % len(units) + 1, 10 + i // len(units)),
                                                 "unit_id": u, "kind": "计算机"}, tok=tok)
            macs.append((mac, i % len(units) + 1, 10 + i // len(units)))
        ptok = call("POST", "/tokens", {"name": "lat", "scope": "probe"}, tok=tok)[1]["token"]
        probe = subprocess.Popen([bin_, "probe", "--server", "http://127.0.0.1:18080", "--name", "lat",
                                  "--iface", "v1", "--interval", "20", "--batch", "1000"],
                                 env=dict(os.environ, ZWNET_TOKEN=ptok), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        tx.bind(("v0", 0))
        lat = []
        for mac, net, host in macs:
            frame = wire.arp(2, mac, "10.%d.2.%d" % (net, host), "10.%d.0.1" % net)
            t0 = time.monotonic()
            tx.send(frame)
            while True:
                st, v = call("GET", "/violations?mac=" + mac, tok=tok)
                if v["items"]:
                    lat.append(time.monotonic() - t0)
                    break
                if time.monotonic() - t0 > 5:
                    print("no violation for", mac, "findings:", call("GET", "/findings?mac=" + mac, tok=tok)[1], file=sys.stderr)
                    lat.append(float("inf"))
                    break
                time.sleep(0.002)
        lat.sort()
        print("wire to violation: %d frames, one at a time (probe --interval 20 ms): median %.0f ms,"
              " p99 %.0f ms, max %.0f ms (target p99 < 1000 ms)" % (
                  len(lat), lat[len(lat) // 2] * 1000, lat[len(lat) * 99 // 100] * 1000, lat[-1] * 1000))
    finally:
        if probe:
            probe.terminate()
            probe.wait()
        srv.terminate()
        srv.wait()


if len(sys.argv) > 3 and sys.argv[3] == "--inside":
    inside(sys.argv[1], sys.argv[2])
else:
    ns = "zwnet-bench-%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__),
                        os.path.abspath(sys.argv[1]), sys.argv[2], "--inside"], check=True)
    finally:
        subprocess.run(["ip", "netns", "del", ns])
