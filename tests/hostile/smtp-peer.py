#!/usr/bin/env python3
"""A scripted SMTP submission server for petrel's sending tests
(tests/hostile/smtp-*.sh, tests/cli/send-smtp-*.sh).

  smtp-peer.py SCENARIO PORTFILE STATUSFILE SPOOLDIR [CERT KEY]

Listens on 127.0.0.1 on a free port, writes the port number to PORTFILE
and serves connections one after the other: the first as SCENARIO says,
every later one as an honest server ("good").  Each message a server
accepts is written to SPOOLDIR as N.msg (what came after DATA, with the
dot-stuffing undone, or the BDAT chunks) and N.env ("from <addr>" and
"to <addr>" lines), N counting from 1.  STATUSFILE gets one line per
event: "conn N", "plain LINE" or "tls LINE" (every command; AUTH data
is replaced by "<auth>"), "handshake ok", "accepted N", "closed",
"error ...".  CERT and KEY (PEM) turn STARTTLS on: it is then offered
before TLS, and required for MAIL.  Gives up after 90 seconds.

The honest server offers PIPELINING, SIZE (PEER_SIZE, default 1000000),
8BITMIME (unless PEER_NO_8BIT is set), SMTPUTF8 (only with PEER_UTF8),
DSN, ENHANCEDSTATUSCODES, CHUNKING (only with PEER_CHUNKING) and, after
TLS or without a certificate, AUTH PLAIN (password "secret", any user).
With PEER_OAUTH_TOKEN set it offers XOAUTH2 and OAUTHBEARER as well and
accepts exactly that bearer token (noting "oauth MECH user=U token=T");
a wrong token gets the RFC 7628 error challenge, then 535.  A RCPT
whose address has "nobody" is refused with 550, "later" with 451,
"evil" with a 550 whose text holds terminal escape sequences.  DATA or
BDAT without an accepted recipient is refused with 554 (a BDAT's data
is read and dropped).  When the client sent DATA or BDAT before the
reply to the RCPT before it (RFC 2920 pipelining), "early DATA" or
"early BDAT" is noted.

Scenarios for the first connection:
  good          honest, as above.
  split         every reply goes out a few bytes at a time, multi-line
                ones with pauses between the pieces.
  endless       the greeting is "220 " and then bytes without a line end,
                without end (a few MB a second, bounded by the time limit).
  drip          the greeting is "220 " and then one byte every half
                second, never a line end.
  inject        STARTTLS is answered with the go-ahead and, in the same
                write, forged plain-text replies.
  421           MAIL is answered "421 4.3.2 shutting down" and the
                connection closed.
  drop354       DATA is answered 354, then the connection is closed.
  dropdot       the whole message is read, then the connection is closed
                without an answer.
  tempfail      the end of the message is answered "451 4.3.0 try later".
"""

import os
import signal
import socket
import ssl
import sys
import time


class Lines:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buf += data
        return True

    def readline(self):
        while b"\n" not in self.buf:
            if len(self.buf) > 1 << 20:
                raise OSError("client line too long")
            if not self.fill():
                return None
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def read_exact(self, n):
        while len(self.buf) < n:
            if not self.fill():
                return None
        data, self.buf = self.buf[:n], self.buf[n:]
        return data


class Server:
    def __init__(self, status, spool, cert, key):
        self.status = status
        self.spool = spool
        self.cert = cert
        self.key = key
        self.count = 0

    def note(self, text):
        self.status.write(text + "\n")
        self.status.flush()

    def store(self, env_from, rcpts, data):
        self.count += 1
        base = os.path.join(self.spool, "%d" % self.count)
        with open(base + ".msg.tmp", "wb") as f:
            f.write(data)
        with open(base + ".env", "w") as f:
            f.write("from %s\n" % env_from)
            for r in rcpts:
                f.write("to %s\n" % r)
        os.rename(base + ".msg.tmp", base + ".msg")
        self.note("accepted %d" % self.count)

    def serve(self, conn, scenario):
        size = int(os.environ.get("PEER_SIZE", "1000000"))
        where = "plain"
        lines = Lines(conn)
        split = scenario == "split"

        def say(text):
            data = text.encode("utf-8")
            if not split:
                conn.sendall(data)
                return
            for i in range(0, len(data), 3):
                conn.sendall(data[i:i + 3])
                time.sleep(0.01 if data[i:i + 3].find(b"\n") < 0 else 0.05)

        if scenario == "endless":
            conn.sendall(b"220 ")
            try:
                while True:
                    conn.sendall(b"A" * 65536)
            except OSError:
                self.note("closed")
            return
        if scenario == "drip":
            conn.sendall(b"220 ")
            try:
                while True:
                    conn.sendall(b"A")
                    time.sleep(0.5)
            except OSError:
                self.note("closed")
            return
        say("220 peer.test ESMTP scripted\r\n")
        env_from, rcpts, authed = None, [], False
        while True:
            line = lines.readline()
            if line is None:
                self.note("closed")
                return
            text = line.decode("utf-8", "replace")
            upper = text.upper()
            self.note(where + " " + ("AUTH <auth>" if upper.startswith("AUTH") else text))
            if upper.startswith("RCPT TO:"):
                # Already here before this RCPT is answered: sent ahead.
                ahead = lines.buf.split(b"\n", 1)[0].upper()
                if ahead.startswith(b"DATA"):
                    self.note("early DATA")
                elif ahead.startswith(b"BDAT"):
                    self.note("early BDAT")
            tls_ok = self.cert is None or where == "tls"
            if upper.startswith("EHLO"):
                caps = ["peer.test", "PIPELINING", "SIZE %d" % size, "DSN",
                        "ENHANCEDSTATUSCODES"]
                if not os.environ.get("PEER_NO_8BIT"):
                    caps.append("8BITMIME")
                if os.environ.get("PEER_CHUNKING"):
                    caps.append("CHUNKING")
                if os.environ.get("PEER_UTF8"):
                    caps.append("SMTPUTF8")
                if self.cert is not None and where == "plain":
                    caps.append("STARTTLS")
                if tls_ok and os.environ.get("PEER_OAUTH_TOKEN"):
                    caps.append("AUTH PLAIN XOAUTH2 OAUTHBEARER")
                elif tls_ok:
                    caps.append("AUTH PLAIN")
                say("".join("250-%s\r\n" % c for c in caps[:-1]) + "250 %s\r\n" % caps[-1])
            elif upper == "STARTTLS" and self.cert is not None and where == "plain":
                if lines.buf:
                    self.note("client spoke before the handshake")
                if scenario == "inject":
                    conn.sendall(b"220 2.0.0 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n")
                else:
                    say("220 2.0.0 go ahead\r\n")
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(self.cert, self.key)
                conn = ctx.wrap_socket(conn, server_side=True)
                lines = Lines(conn)
                where = "tls"
                self.note("handshake ok")
            elif upper.startswith("AUTH XOAUTH2") or upper.startswith("AUTH OAUTHBEARER"):
                import base64
                parts = text.split(" ", 2)
                mech = parts[1].upper()
                raw = base64.b64decode(parts[2]) if len(parts) > 2 else b""
                fields = raw.split(b"\x01")
                user = b""
                token = b""
                for f in fields:
                    if f.startswith(b"user="):
                        user = f[5:]
                    elif f.startswith(b"n,a="):
                        user = f[4:].rstrip(b",")
                    elif f.startswith(b"auth=Bearer "):
                        token = f[12:]
                self.note("oauth %s user=%s token=%s" % (mech, user.decode(), token.decode()))
                if token and token.decode() == os.environ.get("PEER_OAUTH_TOKEN"):
                    authed = True
                    say("235 2.7.0 ok\r\n")
                else:
                    say("334 %s\r\n" % base64.b64encode(
                        b'{"status":"invalid_token","scope":"mail"}').decode())
                    if lines.readline() is None:
                        self.note("closed")
                        return
                    say("535 5.7.8 invalid token\r\n")
            elif upper.startswith("AUTH PLAIN"):
                import base64
                parts = text.split(" ", 2)
                if len(parts) < 3:
                    say("334 \r\n")
                    resp = lines.readline()
                    if resp is None:
                        self.note("closed")
                        return
                    parts.append(resp.decode())
                try:
                    _, _, pw = base64.b64decode(parts[2]).split(b"\0")
                except ValueError:
                    pw = b""
                if pw == b"secret":
                    authed = True
                    say("235 2.7.0 ok\r\n")
                else:
                    say("535 5.7.8 bad password\r\n")
            elif upper.startswith("MAIL FROM:"):
                if scenario == "421":
                    conn.sendall(b"421 4.3.2 shutting down\r\n")
                    self.note("closed")
                    return
                if not tls_ok:
                    say("530 5.7.0 STARTTLS first\r\n")
                    continue
                env_from, rcpts = text[10:].split(" ")[0].strip("<>"), []
                say("250 2.1.0 ok\r\n")
            elif upper.startswith("RCPT TO:"):
                addr = text[8:].split(" ")[0].strip("<>")
                if "evil" in addr:
                    say("550 5.1.1 \x1b]0;pwned\x07\x1b[2J <%s> no\r\n" % addr)
                elif "nobody" in addr:
                    say("550 5.1.1 <%s>: Recipient address rejected\r\n" % addr)
                elif "later" in addr:
                    say("451 4.3.0 <%s>: try again later\r\n" % addr)
                else:
                    rcpts.append(addr)
                    say("250 2.1.5 ok\r\n")
            elif upper == "DATA":
                if env_from is None or not rcpts:
                    say("554 5.5.1 no valid recipients\r\n")
                    continue
                say("354 go ahead\r\n")
                if scenario == "drop354":
                    self.note("closed")
                    return
                body = []
                while True:
                    l = lines.readline()
                    if l is None:
                        self.note("closed")
                        return
                    if l == b".":
                        break
                    body.append(l[1:] if l.startswith(b".") else l)
                if scenario == "dropdot":
                    self.note("closed")
                    return
                if scenario == "tempfail":
                    say("451 4.3.0 try later\r\n")
                    scenario = "good"
                    continue
                self.store(env_from, rcpts, b"".join(l + b"\r\n" for l in body))
                say("250 2.0.0 queued as %d\r\n" % self.count)
                env_from, rcpts = None, []
            elif upper.startswith("BDAT"):
                words = text.split()
                data = lines.read_exact(int(words[1]))
                if data is None:
                    self.note("closed")
                    return
                if env_from is None or not rcpts:
                    self.bdat = b""
                    say("554 5.5.1 no valid recipients\r\n")
                    continue
                self.bdat = getattr(self, "bdat", b"") + data
                if len(words) > 2:
                    self.store(env_from, rcpts, self.bdat)
                    self.bdat = b""
                    say("250 2.0.0 queued as %d\r\n" % self.count)
                else:
                    say("250 2.0.0 chunk\r\n")
            elif upper == "RSET":
                env_from, rcpts = None, []
                say("250 2.0.0 ok\r\n")
            elif upper == "NOOP":
                say("250 2.0.0 ok\r\n")
            elif upper == "QUIT":
                say("221 2.0.0 bye\r\n")
                self.note("closed")
                return
            else:
                say("502 5.5.2 what?\r\n")


def main():
    if len(sys.argv) not in (5, 7):
        sys.stderr.write(__doc__)
        return 2
    scenario, portfile, statusfile, spool = sys.argv[1:5]
    cert, key = (sys.argv[5], sys.argv[6]) if len(sys.argv) == 7 else (None, None)
    signal.alarm(90)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    with open(statusfile, "w") as status:
        server = Server(status, spool, cert, key)
        n = 0
        while True:
            conn, _ = srv.accept()
            n += 1
            server.note("conn %d" % n)
            try:
                server.serve(conn, scenario if n == 1 else "good")
            except (OSError, ssl.SSLError, ValueError) as e:
                server.note("error %s" % e)
            try:
                conn.close()
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
