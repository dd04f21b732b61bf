"""kill -9 under write load (issue 15 §7), bounded: ten cycles of writers creating units over
HTTP while the server is killed at a random moment and started again on the same database,
with the product's default durability (db_synchronous = full; a kill keeps what the OS
was given, so this is the process crash, not the power cut FULL is for). Every write the server
answered 201 is there afterwards, nothing is there twice, the database is intact and the
audit chain verifies, with one audit entry per unit."""
import random
import signal
import sqlite3
import threading
import time
import unittest

from harness import Server, run_cli

CYCLES = 10


class CrashUnderLoad(unittest.TestCase):
    def test_kill_9_cycles_lose_no_acknowledged_write(self):
        srv = Server(name="Crash", extra=("--db-synchronous", "full"))
        rnd = random.Random(15)
        acked, failed = {}, [0]
        lock = threading.Lock()
        try:
            for cycle in range(CYCLES):
                tok = srv.login("admin")
                stop = threading.Event()

                def writer(k):
                    i = 0
                    while not stop.is_set():
                        i += 1
                        name = "崩溃测试%d-%d-%d" % (cycle, k, i)
                        try:
                            r = srv.request("POST", "/api/v1/units", {"name": name, "type": "其他", "level": "县直"},
                                            token=tok, timeout=10)
                        except OSError:
                            with lock:
                                failed[0] += 1
                            return
                        if r.status == 201:
                            with lock:
                                acked[name] = r.json["id"]
                ts = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
                for t in ts:
                    t.start()
                time.sleep(0.3 + rnd.random() * 0.7)
                srv.proc.send_signal(signal.SIGKILL)
                srv.proc.wait()
                stop.set()
                for t in ts:
                    t.join(30)
                srv._spawn()
                srv.tokens = {}
            srv.stop()
            con = sqlite3.connect(srv.db)
            try:
                rows = dict(con.execute("SELECT name, id FROM units WHERE name LIKE '崩溃测试%'").fetchall())
                self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                entries = con.execute("SELECT count(*) FROM audit WHERE action = 'unit.create' AND"
                                      " CAST(object_id AS INTEGER) IN (SELECT id FROM units WHERE name LIKE"
                                      " '崩溃测试%')").fetchone()[0]
            finally:
                con.close()
            missing = {n for n in acked if n not in rows}
            self.assertEqual(missing, set(), "answered 201 and lost")
            self.assertTrue(all(rows[n] == i for n, i in acked.items()))
            self.assertEqual(entries, len(rows), "one audit entry per unit")
            self.assertGreater(len(acked), CYCLES * 5, "writes were answered")
            p = run_cli("audit", "verify", db=srv.db)
            self.assertIn("哈希链校验通过", p.stdout)
            print("     %d kill -9 cycles: %d writes answered, %d more written unanswered, %d cut off,"
                  " 0 lost" % (CYCLES, len(acked), len(rows) - len(acked), failed[0]))
            srv._spawn()
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
