"""The benchmarks' client of the JSON API on loopback: wait for the server, then calls over one
keep-alive connection that stop the benchmark with the server's answer on an error."""
import http.client
import json
import time


class Client:
    def __init__(self, port, timeout=600):
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port)
                c.request("GET", "/api/v1/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.tok = None

    def call(self, method, path, body=None, ctype="application/json"):
        h = {"Content-Type": ctype}
        if self.tok:
            h["Authorization"] = "Bearer " + self.tok
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        self.c.request(method, "/api/v1" + path, body, h)
        r = self.c.getresponse()
        data = r.read()
        if r.status >= 300:
            raise SystemExit("%s %s: %d %s" % (method, path, r.status, data[:300]))
        return json.loads(data) if data else None

    def login(self, username, password):
        self.tok = self.call("POST", "/session", {"username": username, "password": password})["token"]
        return self.tok
