"""Slow and greedy clients (issue 12): a client that trickles its request line and headers, or
stops sending its body, or holds a kept-alive connection open with a trickled next request, is
closed at its deadline, and one source (an IPv4 address, an IPv6 /64) cannot hold more than its
share of the connections. Meanwhile everyone else is served.

Several sources on one machine: every address of 127.0.0.0/8 is the loopback, so a client
socket bound to 127.0.0.2 reaches the server on 127.0.0.1 from another source address."""
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import BIN, ServerTest, free_port, run_cli

PARTIAL = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: "
FULL = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def connect(port, src, host="127.0.0.1", family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(10)
    s.connect((host, port))
    return s


def is_closed(s):
    """Whether the server has closed s (end of file or reset) without an answer; False while it
    is open. An HTTP answer is an error here: a slow client must not get one."""
    r, _, _ = select.select([s], [], [], 0)
    if not r:
        return False
    try:
        data = s.recv(4096)
    except (ConnectionResetError, BrokenPipeError):
        return True
    if data:
        raise AssertionError("a slow client got an answer: %r" % data[:200])
    return True


def answer(port, src, host="127.0.0.1", family=socket.AF_INET):
    """Send a whole request from src; the first bytes of the answer (b"" when the server closed
    the connection without one)."""
    try:
        s = connect(port, src, host, family)
    except (ConnectionRefusedError, ConnectionResetError):
        return b""
    try:
        s.sendall(FULL)
        data = b""
        while len(data) < 12:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data
    except (ConnectionResetError, BrokenPipeError):
        return b""
    finally:
        s.close()


def fill(port, src, n, held=(), host="127.0.0.1", family=socket.AF_INET):
    """Hold n connections of src open (partial headers) until the server refuses src one more
    while all n are still open: the cap reached by exactly these n. A connection of src closed a
    moment ago may still be counted for a moment, and then one of ours is shut down at its start
    as one too many: it is replaced. Returns the sockets."""
    held = list(held)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        for s in [s for s in held if is_closed(s)]:
            s.close()
            held.remove(s)
        while len(held) < n:
            s = connect(port, src, host, family)
            s.sendall(PARTIAL)
            held.append(s)
        time.sleep(0.2)
        if (not any(is_closed(s) for s in held) and answer(port, src, host, family) == b""
                and not any(is_closed(s) for s in held)):
            return held
    for s in held:
        s.close()
    raise AssertionError("%s never refused with %d connections open" % (src, n))


def served(port, src, host="127.0.0.1", family=socket.AF_INET):
    return answer(port, src, host, family).startswith(b"HTTP/1.1 200")


class GuardTest(ServerTest):
    @classmethod
    def tearDownClass(cls):
        """The guard's own leak check: nothing may be counted once the daemon has stopped."""
        cls.srv.stop()
        out = cls.srv.output()
        super().tearDownClass()
        if "still counted at stop" in out:
            raise AssertionError("connection counts leaked: " + out[-2000:])


class Deadlines(GuardTest):
    """Small deadlines and a long idle timeout, so that only the new deadlines can close."""

    extra = ("--header-timeout", "2", "--request-timeout", "3", "--conn-timeout", "600",
             "--threads", "2")
    BOUND = 5  # seconds past a deadline within which the connection must be closed

    def trickle_until_closed(self, socks, limit):
        """Send one header byte to each open socket every 0.5 s until all are closed or
        limit seconds have passed; the sockets still open then."""
        open_ = list(socks)
        end = time.monotonic() + limit
        while open_ and time.monotonic() < end:
            still = []
            for s in open_:
                if is_closed(s):
                    s.close()
                    continue
                try:
                    s.sendall(b"a")
                    still.append(s)
                except (ConnectionResetError, BrokenPipeError):
                    s.close()
            open_ = still
            time.sleep(0.5)
        return open_

    def warnings(self, text):
        return [l for l in self.srv.output().splitlines() if "slow client" in l and text in l]

    def test_trickled_headers_are_closed_others_served(self):
        srcs = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
        socks = []
        for src in srcs:
            for _ in range(4):
                s = connect(self.srv.port, src)
                s.sendall(PARTIAL)
                socks.append(s)
        # While they hang on, another source is served.
        self.assertTrue(answer(self.srv.port, "127.0.0.1").startswith(b"HTTP/1.1 200"))
        left = self.trickle_until_closed(socks, 2 + self.BOUND)
        for s in left:
            s.close()
        self.assertEqual(len(left), 0, "trickling clients still open past header_timeout")
        # One warning per connection, naming the source and the phase.
        for src in srcs:
            lines = self.wait_for(lambda: (lambda l: l if len(l) >= 4 else None)(
                self.warnings("slow client %s: request line and headers" % src)), timeout=10)
            self.assertIsNotNone(lines, self.srv.output()[-3000:])
            self.assertEqual(len(lines), 4, lines)
            self.assertRegex(lines[0], r"after \d+s, connection closed")
        self.assertTrue(answer(self.srv.port, "127.0.0.2").startswith(b"HTTP/1.1 200"))

    def test_idle_connection_is_closed(self):
        s = connect(self.srv.port, "127.0.0.5")  # sends nothing at all
        end = time.monotonic() + 2 + self.BOUND
        while not is_closed(s) and time.monotonic() < end:
            time.sleep(0.2)
        self.assertTrue(is_closed(s))
        s.close()

    def test_stalled_body_is_closed(self):
        s = connect(self.srv.port, "127.0.0.6")
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{\"username\":")
        end = time.monotonic() + 3 + self.BOUND
        closed = False
        while time.monotonic() < end:
            try:
                r, _, _ = select.select([s], [], [], 0.2)
                if r:
                    data = s.recv(4096)
                    self.assertFalse(data.startswith(b"HTTP/1.1 2"), data)
                    if not data:
                        closed = True
                        break
            except ConnectionResetError:
                closed = True
                break
        s.close()
        self.assertTrue(closed, "a stalled body still open past request_timeout")
        lines = self.wait_for(lambda: self.warnings("slow client 127.0.0.6: request body"))
        self.assertIsNotNone(lines, self.srv.output()[-3000:])
        self.assertEqual(len(lines), 1, lines)

    def test_kept_alive_connection_trickling_next_request(self):
        s = connect(self.srv.port, "127.0.0.7")
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(4096)
        head, body = data.split(b"\r\n\r\n", 1)
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        length = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length:")][0]
        while len(body) < length:
            body += s.recv(4096)
        self.assertNotIn(b"close", head.lower().split(b"connection:")[-1][:10])
        s.sendall(PARTIAL)
        left = self.trickle_until_closed([s], 2 + self.BOUND)
        for x in left:
            x.close()
        self.assertEqual(len(left), 0, "a kept-alive connection trickling its next request open")


class PerSourceCap(GuardTest):
    """A source holds at most max_connections_per_source connections; others are served."""

    CAP = 5
    extra = ("--max-connections-per-source", str(CAP), "--header-timeout", "120",
             "--conn-timeout", "600")

    def test_source_over_its_cap_is_refused_others_served(self):
        port = self.srv.port
        held = {}
        try:
            for src in ("127.0.0.2", "127.0.0.3"):
                held[src] = fill(port, src, self.CAP)
            # Other sources are served meanwhile.
            for src in ("127.0.0.1", "127.0.0.4"):
                self.assertTrue(served(port, src), src)
            # One place freed: the source is served again (its count went down)...
            held["127.0.0.2"].pop().close()
            self.assertTrue(self.wait_for(lambda: served(port, "127.0.0.2"), timeout=10),
                            "a source under its cap again was refused")
            # ...and the cap holds again with CAP open (the count does not drift).
            held["127.0.0.2"] = fill(port, "127.0.0.2", self.CAP, held["127.0.0.2"])
        finally:
            for socks in held.values():
                for s in socks:
                    s.close()
        # All closed: the source has its whole share again, no less.
        for s in fill(port, "127.0.0.3", self.CAP):
            s.close()
        self.assertTrue(self.wait_for(lambda: "refused" in self.srv.output()
                                      and "cap of %d" % self.CAP in self.srv.output()))


    def test_idle_kept_alive_connections_give_way(self):
        """At its cap, a source's idle kept-alive connections (often already closed by the
        client, the server not yet knowing) give way to a new one; slow ones never do."""
        port = self.srv.port
        idle = []
        try:
            for _ in range(self.CAP):
                s = connect(port, "127.0.0.6")
                s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 200"))
                idle.append(s)  # kept alive, idle
            self.assertTrue(served(port, "127.0.0.6"), "an idle connection did not give way")
            self.assertTrue(self.wait_for(lambda: is_closed(idle[0]), timeout=20),
                            "the oldest idle connection was not the one closed")
            # many short requests in a row from one source, each closing its socket: served
            for i in range(4 * self.CAP):
                r = self.srv.request("GET", "/api/v1/health", source="127.0.0.7")
                self.assertEqual(r.status, 200, i)
        finally:
            for s in idle:
                s.close()


def have_ipv6_loopback():
    try:
        s = socket.socket(socket.AF_INET6)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


@unittest.skipUnless(have_ipv6_loopback(), "no IPv6 loopback")
class Ipv6Source(unittest.TestCase):
    """On ::1 the cap counts the source ::/64 (its grouping per /64 is unit-tested in
    src/api/conn_guard_test.c: the loopback has only one IPv6 address)."""

    def test_cap_on_ipv6(self):
        d = tempfile.mkdtemp(prefix="zwnet-v6-")
        db = os.path.join(d, "z.db")
        run_cli("user", "add", "admin", "--role", "manager", db=db)
        port = free_port()
        log = open(os.path.join(d, "server.log"), "w+")
        p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "[::1]:%d" % port,
                              "--password-cost", "min", "--access-log", "",
                              "--max-connections-per-source", "3", "--header-timeout", "120"],
                             stdout=log, stderr=subprocess.STDOUT)
        held = []
        try:
            v6 = dict(host="::1", family=socket.AF_INET6)
            deadline = time.monotonic() + 30
            while not answer(port, "::1", **v6).startswith(b"HTTP/1.1 200"):
                self.assertLess(time.monotonic(), deadline, "server did not start")
                time.sleep(0.1)
            held = fill(port, "::1", 3, **v6)
            held.pop().close()
            end = time.monotonic() + 10
            while not served(port, "::1", **v6):
                self.assertLess(time.monotonic(), end, "::1 refused under its cap")
                time.sleep(0.1)
        finally:
            for s in held:
                s.close()
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=60)
            log.seek(0)
            out = log.read()
            log.close()
            shutil.rmtree(d, ignore_errors=True)
        self.assertEqual(p.returncode, 0, out)
        self.assertIn("refused", out)
        self.assertIn("(the last from ::/64)", out)
        for bad in ("AddressSanitizer", "runtime error:", "still counted at stop"):
            self.assertNotIn(bad, out)


if __name__ == "__main__":
    unittest.main()
