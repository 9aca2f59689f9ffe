#!/usr/bin/env python3
"""A scripted hostile mail server for src/net's tests (tests/hostile/net-*.sh).

  net-peer.py SCENARIO PORTFILE STATUSFILE [CERT KEY]

Listens on 127.0.0.1 on a free port, writes the port number to PORTFILE,
serves one connection as SCENARIO says, and writes what happened to
STATUSFILE, one event a line ("plain LINE", "tls LINE", "handshake ok",
"sent N", "closed", "error ...").  CERT and KEY (PEM) are needed by the
STARTTLS scenarios.  Gives up after 60 seconds whatever happens.

Scenarios:
  imap-inject, pop3-inject, smtp-inject
      STARTTLS (STLS) is answered with the go-ahead and, in the same
      write, a forged plain-text line; then TLS, then honest answers.
  imap-starttls-no    STARTTLS is offered, then refused with NO.
  smtp-no-starttls    EHLO offers AUTH but no STARTTLS.
  drip                the IMAP greeting, one byte per second.
  silent              accepts and never says anything.
  long-line           "* OK " and then 'A's without end (up to 1 GiB).
"""

import os
import signal
import socket
import ssl
import sys
import time


class Lines:
    """Reads CRLF lines from a socket (plain or TLS)."""

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
    def __init__(self, conn, status, cert, key):
        self.conn = conn
        self.status = status
        self.cert = cert
        self.key = key

    def note(self, text):
        self.status.write(text + "\n")
        self.status.flush()

    def start_tls(self, lines):
        if lines.buf:
            self.note("client spoke before the handshake")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        tls = ctx.wrap_socket(self.conn, server_side=True)
        self.note("handshake ok")
        return tls, Lines(tls)

    # ---- IMAP ----

    def imap(self, on_starttls):
        conn = self.conn
        lines = Lines(conn)
        where = "plain"
        conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hostile ready\r\n")
        while True:
            line = lines.readline()
            if line is None:
                self.note("closed")
                return
            self.note(where + " " + line)
            tag, _, cmd = line.partition(" ")
            cmd = cmd.upper()
            if cmd == "CAPABILITY":
                if where == "plain":
                    caps = b"IMAP4rev1 STARTTLS LOGINDISABLED"
                else:
                    caps = b"IMAP4rev1 AUTH=SCRAM-SHA-256"
                conn.sendall(b"* CAPABILITY " + caps + b"\r\n" + tag.encode() + b" OK done\r\n")
            elif cmd == "STARTTLS" and where == "plain":
                if not on_starttls(tag):
                    continue
                conn, lines = self.start_tls(lines)
                where = "tls"
            elif cmd == "LOGOUT":
                conn.sendall(b"* BYE bye\r\n" + tag.encode() + b" OK done\r\n")
            else:
                conn.sendall(tag.encode() + b" BAD what?\r\n")

    def imap_inject(self):
        def go(tag):
            # One write: the forged line arrives with the go-ahead.
            self.conn.sendall(tag.encode() + b" OK Begin TLS now\r\n"
                              b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n")
            return True
        self.imap(go)

    def imap_starttls_no(self):
        def refuse(tag):
            self.conn.sendall(tag.encode() + b" NO STARTTLS disabled\r\n")
            return False
        self.imap(refuse)

    # ---- POP3 ----

    def pop3_inject(self):
        conn = self.conn
        lines = Lines(conn)
        where = "plain"
        conn.sendall(b"+OK hostile POP3 ready\r\n")
        while True:
            line = lines.readline()
            if line is None:
                self.note("closed")
                return
            self.note(where + " " + line)
            cmd = line.upper()
            if cmd == "CAPA":
                if where == "plain":
                    conn.sendall(b"+OK\r\nSTLS\r\nUSER\r\n.\r\n")
                else:
                    conn.sendall(b"+OK\r\nUSER\r\nSASL SCRAM-SHA-256\r\n.\r\n")
            elif cmd == "STLS" and where == "plain":
                conn.sendall(b"+OK Begin TLS\r\n+OK [CAPA] injected\r\n")
                conn, lines = self.start_tls(lines)
                where = "tls"
            elif cmd == "QUIT":
                conn.sendall(b"+OK bye\r\n")
            else:
                conn.sendall(b"-ERR what?\r\n")

    # ---- SMTP ----

    def smtp(self, starttls, inject):
        conn = self.conn
        lines = Lines(conn)
        where = "plain"
        conn.sendall(b"220 hostile ESMTP\r\n")
        while True:
            line = lines.readline()
            if line is None:
                self.note("closed")
                return
            self.note(where + " " + line)
            cmd = line.upper()
            if cmd.startswith("EHLO"):
                if where == "tls":
                    conn.sendall(b"250-hostile\r\n250 AUTH SCRAM-SHA-256\r\n")
                elif starttls:
                    conn.sendall(b"250-hostile\r\n250 STARTTLS\r\n")
                else:
                    conn.sendall(b"250-hostile\r\n250 AUTH PLAIN LOGIN\r\n")
            elif cmd == "STARTTLS" and starttls and where == "plain":
                conn.sendall(b"220 Go ahead\r\n" + (b"250-injected\r\n" if inject else b""))
                conn, lines = self.start_tls(lines)
                where = "tls"
            elif cmd == "QUIT":
                conn.sendall(b"221 bye\r\n")
            else:
                conn.sendall(b"502 what?\r\n")

    def smtp_inject(self):
        self.smtp(True, True)

    def smtp_no_starttls(self):
        self.smtp(False, False)

    # ---- stalls and floods ----

    def drip(self):
        greeting = b"* OK hostile server dripping its greeting one byte a second\r\n"
        for i in range(len(greeting)):
            self.conn.sendall(greeting[i:i + 1])
            time.sleep(1)
        self.note("greeting complete")

    def silent(self):
        while self.conn.recv(4096):
            pass
        self.note("closed")

    def long_line(self):
        chunk = b"A" * 65536
        sent = 0
        try:
            self.conn.sendall(b"* OK ")
            while sent < (1 << 30):
                self.conn.sendall(chunk)
                sent += len(chunk)
        finally:
            self.note("sent %d" % sent)


def main():
    if len(sys.argv) not in (4, 6):
        sys.stderr.write(__doc__)
        return 2
    scenario, portfile, statusfile = sys.argv[1:4]
    cert, key = (sys.argv[4], sys.argv[5]) if len(sys.argv) == 6 else (None, None)
    signal.alarm(60)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    conn, _ = srv.accept()
    srv.close()
    with open(statusfile, "w") as status:
        peer = Peer(conn, status, cert, key)
        handler = getattr(peer, scenario.replace("-", "_"), None)
        if handler is None:
            peer.note("error unknown scenario " + scenario)
            return 2
        try:
            handler()
        except (OSError, ssl.SSLError) as e:
            peer.note("error %s" % e)
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
