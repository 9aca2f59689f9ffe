#!/usr/bin/env python3
"""A scripted POP3 server for petrel's hostile-server tests (tests/hostile/pop3-*.sh).

  pop3-peer.py SCENARIO PORTFILE STATUSFILE [CONNECTIONS]

Listens on 127.0.0.1 on a free port, writes the port number to PORTFILE,
serves CONNECTIONS connections (default 1) one after the other over one
maildrop of three messages (deletions last from one connection to the
next, as on a real server), and writes what happened to STATUSFILE, one
event a line: "C: LINE" for each command read, "deleted N,M" when QUIT
deletes, "closed", "sent N" for floods, "error ...".  Plain text only: the
client runs with pop3_starttls=no and pop3_allow_plaintext=yes, except in
no-stls.  The password is "secret".  Gives up after 90 seconds.

Scenarios (an honest server, but):
  honest          nothing wrong
  garbage-count   LIST answers "1 12abc" (a size that is not a number)
  endless-list    LIST sends lines without end (up to 4 million)
  stall-list      LIST sends two lines, then nothing (the client times out)
  long-line       the greeting never ends: 'A's, no line end (up to 64 MiB)
  size-mismatch   LIST says message 2 is 7 bytes longer than it is
  drop-mid-retr   the first connection closes in the middle of RETR 2
  no-stls         CAPA without STLS (for pop3_starttls=required)
  apop            an APOP timestamp in the greeting; no USER, no SASL
  no-uidl         no UIDL (CAPA without it, -ERR to the command)
  dup-uidl        messages 1 and 2 have the same unique-id
  retr-err        RETR 2 is answered -ERR [SYS/TEMP]
  huge-list       LIST says message 2 has 3 000 000 000 bytes
  odd-uidl        unique-ids "" (message 1), "../../../../tmp/pwned-by-pop3"
                  (2) and 100 'A's (3, too long)
"""

import hashlib
import os
import signal
import socket
import sys
import time

PASSWORD = "secret"


def message(n):
    body = ("From: Peer <peer@example.org>\r\n"
            "To: tester@example.org\r\n"
            "Subject: Hostile %d\r\n"
            "Date: Mon, 6 Jan 2025 10:00:0%d +0000\r\n"
            "Message-ID: <hostile-%d@example.org>\r\n"
            "\r\n"
            "Body %d.\r\n"
            ".A dot first\r\n"
            "The end.\r\n") % (n, n, n, n)
    return body.encode()


class Lines:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def readline(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                return None
            self.buf += data
            if len(self.buf) > 65536:
                raise OSError("client line too long")
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("latin-1")


class Peer:
    def __init__(self, scenario, status):
        self.scenario = scenario
        self.status = status
        self.msgs = {n: message(n) for n in (1, 2, 3)}
        self.conn_no = 0

    def note(self, text):
        self.status.write(text + "\n")
        self.status.flush()

    def uid(self, n):
        if self.scenario == "dup-uidl" and n in (1, 2):
            return "same-uid"
        if self.scenario == "odd-uidl":
            return {1: "", 2: "../../../../tmp/pwned-by-pop3", 3: "A" * 100}[n]
        return "uid-%d" % n

    def size(self, n):
        s = len(self.msgs[n])
        if self.scenario == "size-mismatch" and n == 2:
            s += 7
        if self.scenario == "huge-list" and n == 2:
            s = 3000000000
        return s

    def send(self, conn, data):
        conn.sendall(data)

    def serve(self, conn):
        self.conn_no += 1
        sc = self.scenario
        lines = Lines(conn)
        if sc == "long-line":
            sent = 0
            chunk = b"A" * 65536
            try:
                conn.sendall(b"+OK ")
                while sent < (64 << 20):
                    conn.sendall(chunk)
                    sent += len(chunk)
            finally:
                self.note("sent %d" % sent)
            return
        stamp = "<%d.%d@peer.example.org>" % (os.getpid(), int(time.time()))
        if sc == "apop":
            self.send(conn, ("+OK hostile POP3 ready %s\r\n" % stamp).encode())
        else:
            self.send(conn, b"+OK hostile POP3 ready\r\n")
        marked = set()
        user = None
        authed = False
        while True:
            line = lines.readline()
            if line is None:
                self.note("closed")
                return
            self.note("C: " + line)
            words = line.split(" ")
            cmd = words[0].upper()
            arg = words[1:]
            if cmd == "CAPA":
                caps = ["TOP"]
                if sc not in ("no-uidl",):
                    caps.append("UIDL")
                if sc not in ("apop",):
                    caps.append("USER")
                caps.append("PIPELINING")
                self.send(conn, ("+OK\r\n" + "\r\n".join(caps) + "\r\n.\r\n").encode())
            elif cmd == "USER" and sc != "apop":
                user = arg[0] if arg else None
                self.send(conn, b"+OK\r\n")
            elif cmd == "PASS" and user is not None:
                if " ".join(arg) == PASSWORD:
                    authed = True
                    self.send(conn, b"+OK logged in\r\n")
                else:
                    self.send(conn, b"-ERR [AUTH] wrong password\r\n")
            elif cmd == "APOP" and sc == "apop" and len(arg) == 2:
                want = hashlib.md5((stamp + PASSWORD).encode()).hexdigest()
                if arg[1] == want:
                    authed = True
                    self.send(conn, b"+OK logged in with APOP\r\n")
                else:
                    self.send(conn, b"-ERR [AUTH] wrong digest\r\n")
            elif cmd == "QUIT":
                if authed and marked:
                    for n in sorted(marked):
                        del self.msgs[n]
                    self.note("deleted " + ",".join(str(n) for n in sorted(marked)))
                self.send(conn, b"+OK bye\r\n")
                self.note("closed")
                return
            elif not authed:
                self.send(conn, b"-ERR log in first\r\n")
            elif cmd == "STAT":
                live = [n for n in self.msgs if n not in marked]
                total = sum(self.size(n) for n in live)
                self.send(conn, ("+OK %d %d\r\n" % (len(live), total)).encode())
            elif cmd == "LIST" and not arg:
                self.list(conn, marked)
            elif cmd == "UIDL" and not arg:
                if sc == "no-uidl":
                    self.send(conn, b"-ERR no UIDL here\r\n")
                    continue
                out = "+OK\r\n"
                for n in sorted(self.msgs):
                    if n not in marked:
                        out += "%d %s\r\n" % (n, self.uid(n))
                self.send(conn, (out + ".\r\n").encode())
            elif cmd in ("RETR", "TOP") and arg and arg[0].isdigit():
                n = int(arg[0])
                if n not in self.msgs or n in marked:
                    self.send(conn, b"-ERR no such message\r\n")
                    continue
                if cmd == "RETR" and sc == "retr-err" and n == 2:
                    self.send(conn, b"-ERR [SYS/TEMP] cannot read it now\r\n")
                    continue
                data = self.msgs[n]
                if cmd == "TOP":
                    data = data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                stuffed = b"\r\n".join((b"." + l if l.startswith(b".") else l)
                                       for l in data.split(b"\r\n"))
                if cmd == "RETR" and sc == "drop-mid-retr" and n == 2 and self.conn_no == 1:
                    self.send(conn, b"+OK\r\n" + stuffed[:len(stuffed) // 2])
                    self.note("dropped in RETR 2")
                    return
                if not stuffed.endswith(b"\r\n"):
                    stuffed += b"\r\n"
                self.send(conn, b"+OK\r\n" + stuffed + b".\r\n")
            elif cmd == "DELE" and arg and arg[0].isdigit():
                n = int(arg[0])
                if n in self.msgs and n not in marked:
                    marked.add(n)
                    self.send(conn, b"+OK marked\r\n")
                else:
                    self.send(conn, b"-ERR no such message\r\n")
            elif cmd == "RSET":
                marked.clear()
                self.send(conn, b"+OK\r\n")
            elif cmd == "NOOP":
                self.send(conn, b"+OK\r\n")
            else:
                self.send(conn, b"-ERR what?\r\n")

    def list(self, conn, marked):
        sc = self.scenario
        if sc == "garbage-count":
            self.send(conn, b"+OK\r\n1 12abc\r\n2 20\r\n.\r\n")
            return
        if sc == "endless-list":
            self.send(conn, b"+OK\r\n")
            n = 1
            batch = []
            try:
                while n < 4000000:
                    batch.append(b"%d 100\r\n" % n)
                    n += 1
                    if len(batch) == 10000:
                        conn.sendall(b"".join(batch))
                        batch = []
            finally:
                self.note("sent %d" % (n - 1))
            return
        if sc == "stall-list":
            self.send(conn, b"+OK\r\n1 100\r\n2 100\r\n")
            time.sleep(30)
            return
        out = "+OK\r\n"
        for n in sorted(self.msgs):
            if n not in marked:
                out += "%d %d\r\n" % (n, self.size(n))
        self.send(conn, (out + ".\r\n").encode())


def main():
    if len(sys.argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    scenario, portfile, statusfile = sys.argv[1:4]
    connections = int(sys.argv[4]) if len(sys.argv) == 5 else 1
    signal.alarm(90)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    with open(statusfile, "w") as status:
        peer = Peer(scenario, status)
        for _ in range(connections):
            conn, _ = srv.accept()
            try:
                peer.serve(conn)
            except (OSError, ValueError) as e:
                peer.note("error %s" % e)
            conn.close()
    srv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
