"""A small SMTP listener on loopback for the mail tests: it speaks enough of RFC 5321 for
libcurl (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps every message it accepts."""

import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        srv = self.server
        self.send("220 zwnet-test ESMTP")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = cmd[:4].upper()
            if verb == "EHLO":
                self.send("250-zwnet-test")
                self.send("250 8BITMIME")
            elif verb == "HELO":
                self.send("250 zwnet-test")
            elif verb == "MAIL":
                mail_from, rcpts = cmd.split(":", 1)[1].strip().strip("<>"), []
                self.send("250 OK")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip().strip("<>"))
                self.send("250 OK")
            elif verb == "DATA":
                self.send("354 go ahead")
                data = []
                while True:
                    dl = self.rfile.readline()
                    if not dl or dl in (b".\r\n", b".\n"):
                        break
                    data.append(dl[1:] if dl.startswith(b"..") else dl)
                with srv.lock:
                    srv.messages.append({"from": mail_from, "to": rcpts,
                                         "data": b"".join(data)})
                self.send("250 queued")
            elif verb in ("RSET", "NOOP"):
                self.send("250 OK")
            elif verb == "QUIT":
                self.send("221 bye")
                return
            else:
                self.send("502 not implemented")


class SmtpListener(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), _Handler)
        self.lock = threading.Lock()
        self.messages = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.shutdown()
        self.server_close()
