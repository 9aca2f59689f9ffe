#!/usr/bin/env python3
"""A scripted hostile IMAP server for the IMAP backend's tests
(tests/hostile/imap-hostile.sh).

  imap-peer.py SCENARIO PORTFILE STATUSFILE [CERT KEY]

Listens on 127.0.0.1 on a free port, writes the port to PORTFILE, and
serves up to five connections one after the other as SCENARIO says,
writing what happened to STATUSFILE, one note a line ("C: line" for each
command received, "closed", "reset", "tls"...).  It speaks enough honest
IMAP (LOGIN, ENABLE, ID, NAMESPACE, SELECT, UID SEARCH, UID FETCH, NOOP,
IDLE, LOGOUT) for a client to reach the point where the scenario turns
hostile.  Gives up after 60 seconds whatever happens.

Scenarios:
  ok              honest throughout (three messages)
  literal-huge    a header literal of {4294967295} then a few bytes and close
  literal-minus   a literal {-1}
  literal-short   {100} with 10 bytes, ")" and a tagged OK, then close
  exists-back     3 EXISTS at SELECT, then "* 1 EXISTS" with no expunge
  fetch-past      "* 99 FETCH (FLAGS (\\Seen) UID 99)" with 3 EXISTS
  expunge-flood   100,000 "* 1 EXPUNGE" in answer to a FETCH of 3 messages
  bye-mid         "* BYE" in the middle of the header FETCH, then close
  nul             an untagged OK with a NUL byte in it
  endless         a line of 'A's that never ends (2 MiB, then it waits)
  deep            a BODYSTRUCTURE nested 10,000 deep in a FETCH answer
  starttls-inject STARTTLS answered with a forged CAPABILITY in the same write
  drip            every byte of the greeting a second apart
  reset           RST in the middle of the header FETCH
  alert-escape    an ALERT with a terminal escape sequence
  compress        honest, and offers COMPRESS=DEFLATE, which it then speaks
  nomove          honest, with UIDPLUS but without MOVE (COPY, STORE and
                  UID EXPUNGE answered and noted)
  nomove-nouidplus  neither MOVE nor UIDPLUS
  bigpart         message 1 has a 6 MiB base64 attachment (part 2) that it
                  sends slowly, about 2 MiB a second, noting each range
  idle-bye        the first connection says BYE a second into IDLE; the
                  next ones are honest
  idle-gone       BYE a second into IDLE, and then nobody listens any more

Stalling scenarios, for the full-screen face's tests (tests/tui/tui-stall.sh):
a server that stops answering but keeps the connection open.  Each stalls
once, on its first connection, noting "stalled" and then every line the
client still sends, and answers nothing more on that connection; later
connections are honest.  Their folder holds STALL_COUNT messages (UID =
sequence number), "Stall message N" from "Sender N", with bodies ("Body of
stall message N.") served to BODY.PEEK[]; "stalled" is noted each time.  The peer serves up to twenty
connections and waits for the next up to 30 seconds, so a client may
reconnect after giving up on the stalled one.
  stall-summaries the summary FETCHes are answered for the first
                  STALL_AFTER messages; the FETCH that passes that number
                  stops in the middle of a response
  stall-body      BODY.PEEK[] of the newest message (UID STALL_COUNT) sends
                  its FETCH line and half the literal, then stops, on
                  every connection; other messages are served
  stall-idle      the first IDLE gets its "+" and then nothing, not even
                  an answer to DONE; after that, each connection waits
                  for the file STATUSFILE.release (up to 20 seconds, or
                  until the client hangs up) before its greeting, so the
                  client's reconnection stays under way until the test
                  says
"""

import os
import re
import select
import signal
import socket
import ssl
import struct
import sys
import time
import zlib

MESSAGES = [
    (1, b"From: One <one@example.org>\r\nSubject: First\r\nDate: Mon, 02 Jun 2025 10:00:00 +0000\r\n\r\n"),
    (2, b"From: Two <two@example.org>\r\nSubject: Second\r\nDate: Tue, 03 Jun 2025 10:00:00 +0000\r\n\r\n"),
    (3, b"From: Three <three@example.org>\r\nSubject: Third\r\nDate: Wed, 04 Jun 2025 10:00:00 +0000\r\n\r\n"),
]


# bigpart: part 2 of message 1, base64 lines of the same bytes.
BIG_LINE = b"UGV0cmVsIHRlc3QgZGF0YSwgbGluZSBhZnRlciBsaW5lLCBmb3IgdGhlIHJhbmdlcy4uLi4u\r\n"
BIG_PART = BIG_LINE * (6 * 1024 * 1024 // len(BIG_LINE))
BIG_MIME = (b"Content-Type: application/octet-stream; name=\"big.bin\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n"
            b"Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n")


STALL_COUNT = 2000
STALL_AFTER = 300
STALL_LINE = b"All work and no play makes a dull folder; the server stops here.\r\n"

# What the stalling scenarios have done, across connections.
stall_state = {"stalled": False, "summaries_sent": 0}


def stall_header(n):
    return (b"From: Sender %d <s%d@example.org>\r\nSubject: Stall message %d\r\n"
            b"Date: Thu, 01 Jan 2026 %02d:%02d:%02d +0000\r\n"
            b"Message-ID: <stall%d@example.org>\r\n\r\n"
            % (n, n, n, n // 3600, n // 60 % 60, n % 60, n))


def stall_message(n):
    return stall_header(n) + b"Body of stall message %d.\r\n" % n + STALL_LINE * 40


class Closed(Exception):
    pass


class Peer:
    def __init__(self, scenario, conn, status, cert, key, n):
        self.scenario = scenario
        self.conn = conn
        self.status = status
        self.cert = cert
        self.key = key
        self.n = n  # which connection this is, from 1
        self.buf = b""
        self.tls = False
        self.inflate = None
        self.deflate = None
        self.deleted = set()  # UIDs marked \Deleted
        self.expunged = set()
        self.stalling = scenario.startswith("stall-")
        if self.stalling:
            self.messages = [(n, stall_header(n)) for n in range(1, STALL_COUNT + 1)]
        else:
            self.messages = MESSAGES

    def note(self, text):
        self.status.write(text + "\n")
        self.status.flush()

    def send(self, data):
        if self.deflate is not None:
            data = self.deflate.compress(data) + self.deflate.flush(zlib.Z_SYNC_FLUSH)
        self.conn.sendall(data)

    def recv(self):
        data = self.conn.recv(65536)
        if not data:
            raise Closed()
        if self.inflate is not None:
            data = self.inflate.decompress(data)
        return data

    def readline(self):
        while b"\n" not in self.buf:
            self.buf += self.recv()
            if len(self.buf) > 1 << 20:
                raise Closed()
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def read_literal(self, n):
        while len(self.buf) < n:
            self.buf += self.recv()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def reset(self):
        self.conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.conn.close()
        self.note("reset")
        raise Closed()

    # ---- the honest part ----

    def caps(self):
        c = b"IMAP4rev1 LITERAL+ ESEARCH IDLE ENABLE ID NAMESPACE"
        if self.scenario != "nomove-nouidplus":
            c += b" UIDPLUS"
        if self.scenario == "starttls-inject" and not self.tls:
            c += b" STARTTLS LOGINDISABLED"
        if self.scenario == "compress" and self.deflate is None:
            c += b" COMPRESS=DEFLATE"
        return c

    def greeting(self):
        if self.scenario == "stall-idle" and stall_state["stalled"]:
            release = self.status.name + ".release"
            for _ in range(400):
                if os.path.exists(release):
                    break
                # The client says nothing before the greeting: readable
                # means it hung up.
                if select.select([self.conn], [], [], 0.05)[0] and \
                        not self.conn.recv(1, socket.MSG_PEEK):
                    self.note("client left")
                    raise Closed()
            self.note("released")
        if self.scenario == "drip":
            g = b"* OK hostile server dripping its greeting one byte a second\r\n"
            for i in range(len(g)):
                self.send(g[i:i + 1])
                time.sleep(1)
            self.note("greeting complete")
            return
        if self.scenario == "nul":
            self.send(b"* OK [CAPABILITY " + self.caps() + b"] hello\0world\r\n")
            return
        if self.scenario == "alert-escape":
            self.send(b"* OK [CAPABILITY " + self.caps() + b"] ready\r\n")
            return
        self.send(b"* OK [CAPABILITY " + self.caps() + b"] hostile ready\r\n")

    def run(self):
        self.greeting()
        while True:
            line = self.readline()
            self.note("C: " + line.decode("latin-1"))
            m = re.match(rb"^(\S+) (UID )?(\S+)(.*)$", line)
            if m is None:
                continue
            tag, uid, cmd, rest = m.group(1), m.group(2), m.group(3).upper(), m.group(4)
            # A literal in the command (LOGIN with a {n+} password).
            lm = re.search(rb"\{(\d+)\+?\}$", line)
            if lm:
                self.read_literal(int(lm.group(1)))
                self.readline()
            handler = getattr(self, "cmd_" + cmd.decode("latin-1").lower(), None)
            if handler is None:
                self.send(tag + b" BAD what?\r\n")
            elif cmd in (b"FETCH", b"SEARCH"):
                handler(tag, bool(uid), rest)
            else:
                handler(tag, rest)

    def cmd_capability(self, tag, rest):
        self.send(b"* CAPABILITY " + self.caps() + b"\r\n" + tag + b" OK done\r\n")

    def cmd_starttls(self, tag, rest):
        # The forged line comes in the same write as the go-ahead.
        self.send(tag + b" OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n")
        if self.buf:
            self.note("client spoke before the handshake")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        self.conn = ctx.wrap_socket(self.conn, server_side=True)
        self.tls = True
        self.note("tls")

    def cmd_compress(self, tag, rest):
        if self.scenario != "compress" or rest.strip().upper() != b"DEFLATE":
            self.send(tag + b" BAD no\r\n")
            return
        self.send(tag + b" OK DEFLATE active\r\n")
        self.deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.inflate = zlib.decompressobj(-15)
        if self.buf:
            self.buf = self.inflate.decompress(self.buf)
        self.note("compressing")

    def cmd_login(self, tag, rest):
        self.send(tag + b" OK [CAPABILITY " + self.caps() + b"] logged in\r\n")

    def cmd_enable(self, tag, rest):
        self.send(tag + b" OK nothing enabled\r\n")

    def cmd_id(self, tag, rest):
        self.send(b"* ID NIL\r\n" + tag + b" OK done\r\n")

    def cmd_namespace(self, tag, rest):
        self.send(b'* NAMESPACE (("" "/")) NIL NIL\r\n' + tag + b" OK done\r\n")

    def cmd_select(self, tag, rest):
        n = len(self.messages)
        out = b"* FLAGS (\\Seen \\Deleted)\r\n* %d EXISTS\r\n* 0 RECENT\r\n" % n
        out += b"* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT %d] ok\r\n" % (n + 1)
        if self.scenario == "alert-escape":
            out += b"* OK [ALERT] \x1b]0;pwned\x07 mind the escape\r\n"
        self.send(out + tag + b" OK [READ-WRITE] selected\r\n")

    cmd_examine = cmd_select

    def cmd_search(self, tag, uid, rest):
        self.send(b'* ESEARCH (TAG "' + tag + b'") UID ALL 1:%d\r\n' % len(self.messages) + tag + b" OK done\r\n")

    def live(self):
        """(seq, uid, header, flags) of the messages not expunged."""
        out = []
        for u, hdr in self.messages:
            if u not in self.expunged:
                fl = b"\\Deleted" if u in self.deleted else b""
                out.append((len(out) + 1, u, hdr, fl))
        return out

    def fetch_honest(self, tag, uids):
        out = b""
        for seq, u, hdr, fl in self.live():
            if u not in uids:
                continue
            out += (b"* %d FETCH (UID %d FLAGS (%s) INTERNALDATE \"02-Jun-2025 10:00:00 +0000\" "
                    b"RFC822.SIZE %d BODY[HEADER.FIELDS (FROM SUBJECT DATE)] {%d}\r\n" %
                    (seq, u, fl, len(stall_message(u)) if self.stalling else len(hdr) + 10,
                     len(hdr)))
            out += hdr + b")\r\n"
        if tag is not None:
            out += tag + b" OK fetched\r\n"
        self.send(out)

    def fetch_bigpart(self, tag, rest):
        if b"BODYSTRUCTURE" in rest:
            self.send(b'* 1 FETCH (UID 1 BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "us-ascii") '
                      b'NIL NIL "7BIT" 6 1 NIL NIL NIL NIL)("APPLICATION" "OCTET-STREAM" '
                      b'("NAME" "big.bin") NIL NIL "BASE64" %d NIL ("ATTACHMENT" '
                      b'("FILENAME" "big.bin")) NIL NIL) "MIXED" ("BOUNDARY" "b") NIL NIL '
                      b'NIL))\r\n' % len(BIG_PART) + tag + b" OK fetched\r\n")
            return True
        if b"BODY.PEEK[2.MIME]" in rest:
            self.send(b"* 1 FETCH (UID 1 BODY[2.MIME] {%d}\r\n" % len(BIG_MIME) + BIG_MIME
                      + b")\r\n" + tag + b" OK fetched\r\n")
            return True
        m = re.search(rb"BODY\.PEEK\[2\]<(\d+)\.(\d+)>", rest)
        if m is None:
            return False
        off, n = int(m.group(1)), int(m.group(2))
        data = BIG_PART[off:off + n]
        self.note("range %d" % off)
        self.send(b"* 1 FETCH (UID 1 BODY[2]<%d> {%d}\r\n" % (off, len(data)))
        for i in range(0, len(data), 65536):
            self.send(data[i:i + 65536])
            time.sleep(0.03)
        self.send(b")\r\n" + tag + b" OK fetched\r\n")
        self.note("range %d sent" % off)
        return True

    def cmd_fetch(self, tag, uid, rest):
        uids = set()
        m = re.match(rb"^ (\S+)", rest)
        for part in m.group(1).split(b","):
            if b":" in part:
                a, b_ = part.split(b":")
                hi = len(self.messages) if b_ == b"*" else int(b_)
                lo = 1 if a == b"*" else int(a)
                uids.update(range(min(lo, hi), max(lo, hi) + 1))
            else:
                uids.add(int(part))
        if self.scenario == "bigpart" and self.fetch_bigpart(tag, rest):
            return
        if self.stalling and self.fetch_stalling(tag, uids, rest):
            return
        if b"HEADER" not in rest:
            # UID FLAGS, by UID or by sequence number: honest.
            out = b""
            for seq, u, _, fl in self.live():
                if (u if uid else seq) in uids:
                    out += b"* %d FETCH (UID %d FLAGS (%s))\r\n" % (seq, u, fl)
            self.send(out + tag + b" OK done\r\n")
            return
        s = self.scenario
        if s == "literal-huge":
            self.send(b"* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM)] {4294967295}\r\nFrom: x")
            self.note("sent huge literal")
            raise Closed()
        if s == "literal-minus":
            self.send(b"* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM)] {-1}\r\n)\r\n" + tag + b" OK\r\n")
        elif s == "literal-short":
            self.send(b"* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM)] {100}\r\n0123456789)\r\n"
                      + tag + b" OK fetched\r\n")
            time.sleep(0.2)
            raise Closed()
        elif s == "exists-back":
            self.send(b"* 1 EXISTS\r\n")
            self.fetch_honest(tag, uids)
        elif s == "fetch-past":
            self.send(b"* 99 FETCH (FLAGS (\\Seen) UID 99)\r\n")
            self.fetch_honest(tag, uids)
        elif s == "expunge-flood":
            self.send(b"* 1 EXPUNGE\r\n" * 100000)
            self.send(tag + b" OK fetched\r\n")
        elif s == "bye-mid":
            hdr = MESSAGES[0][1]
            self.send(b"* 1 FETCH (UID 1 FLAGS () BODY[HEADER.FIELDS (FROM)] {%d}\r\n" % len(hdr)
                      + hdr + b")\r\n* BYE going away now\r\n")
            raise Closed()
        elif s == "endless":
            chunk = b"A" * 65536
            self.send(b"* 1 FETCH (UID 1 FLAGS (")
            for _ in range(32):
                self.send(chunk)
            self.note("sent 2 MiB")
            time.sleep(30)
        elif s == "deep":
            self.send(b"* 1 FETCH (UID 1 BODYSTRUCTURE " + b"(" * 10000 + b'"TEXT" "PLAIN"'
                      + b")" * 10000 + b")\r\n")
            self.fetch_honest(tag, uids)
        elif s == "reset":
            self.send(b"* 1 FETCH (UID 1 FLAGS () BODY[HEADER.FIELDS (FROM)] {40}\r\nFrom: ")
            time.sleep(0.1)
            self.reset()
        else:
            self.fetch_honest(tag, uids)

    def stall(self):
        """Answers nothing more on this connection, reading (and noting)
        what the client still sends until it hangs up."""
        stall_state["stalled"] = True
        self.note("stalled")
        while True:
            self.note("C: " + self.readline().decode("latin-1"))

    def fetch_stalling(self, tag, uids, rest):
        """The stalling scenarios' FETCH; False for what fetch_honest and
        the FLAGS path answer."""
        first = not stall_state["stalled"]
        if b"BODY.PEEK[]" in rest:
            out = b""
            for seq, u, _, fl in self.live():
                if u not in uids:
                    continue
                msg = stall_message(u)
                if self.scenario == "stall-body" and u == STALL_COUNT:
                    self.send(b"* %d FETCH (UID %d BODY[] {%d}\r\n" % (seq, u, len(msg))
                              + msg[:len(msg) // 2])
                    self.stall()
                out += b"* %d FETCH (UID %d BODY[] {%d}\r\n" % (seq, u, len(msg)) + msg + b")\r\n"
            self.send(out + tag + b" OK fetched\r\n")
            return True
        if b"HEADER" not in rest or not first or self.scenario != "stall-summaries":
            return False
        left = STALL_AFTER - stall_state["summaries_sent"]
        if len(uids) <= left:
            stall_state["summaries_sent"] += len(uids)
            self.fetch_honest(tag, uids)
            return True
        # Those up to the limit, then the start of the next response.
        mine = sorted(uids)
        if left > 0:
            self.fetch_honest(None, set(mine[:left]))
        stall_state["summaries_sent"] += max(left, 0)
        self.note("summaries sent %d" % stall_state["summaries_sent"])
        u = mine[max(left, 0)]
        self.send(b"* %d FETCH (UID %d FLAGS () INTERNALDATE " % (u, u))
        self.stall()

    def cmd_copy(self, tag, rest):
        self.send(tag + b" OK [COPYUID 9 " + rest.split()[0] + b" 100] copied\r\n")

    def cmd_move(self, tag, rest):
        # MOVE is not offered: a client that sends it anyway is told so.
        self.send(tag + b" BAD MOVE is not offered here\r\n")

    def cmd_store(self, tag, rest):
        words = rest.split()
        if b"+FLAGS" in words[1].upper() and b"\\DELETED" in rest.upper():
            self.deleted.update(int(x) for x in words[0].split(b",") if x.isdigit())
        self.send(tag + b" OK stored\r\n")

    def cmd_expunge(self, tag, rest):
        if rest.strip() and self.scenario == "nomove-nouidplus":
            self.send(tag + b" BAD UID EXPUNGE is not offered here\r\n")
            return
        only = set(int(x) for x in (rest.split() or [b""])[0].split(b",") if x.isdigit())
        out = b""
        for seq, u, _, _ in reversed(self.live()):
            if u in self.deleted and (not rest.strip() or u in only):
                out += b"* %d EXPUNGE\r\n" % seq
                self.expunged.add(u)
        self.send(out + tag + b" OK expunged\r\n")

    def cmd_noop(self, tag, rest):
        self.send(tag + b" OK noop\r\n")

    def cmd_idle(self, tag, rest):
        self.send(b"+ idling\r\n")
        if self.scenario == "stall-idle" and not stall_state["stalled"]:
            self.stall()
        if self.scenario in ("idle-bye", "idle-gone") and self.n == 1:
            time.sleep(1)
            self.send(b"* BYE server shutting down for maintenance\r\n")
            self.note("bye")
            raise Closed()
        while self.readline().upper() != b"DONE":
            pass
        self.send(tag + b" OK idle done\r\n")

    def cmd_logout(self, tag, rest):
        self.send(b"* BYE bye\r\n" + tag + b" OK logged out\r\n")
        raise Closed()


def main():
    scenario, portfile, statusfile = sys.argv[1:4]
    cert = sys.argv[4] if len(sys.argv) > 4 else None
    key = sys.argv[5] if len(sys.argv) > 5 else None
    signal.alarm(60)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    with open(statusfile, "w") as status:
        with open(portfile + ".tmp", "w") as f:
            f.write(str(srv.getsockname()[1]))
        os.rename(portfile + ".tmp", portfile)
        stalling = scenario.startswith("stall-")
        for n in range(1, 21 if stalling else 6):
            srv.settimeout(15 if n == 1 else 30 if stalling else 3)
            try:
                conn, _ = srv.accept()
            except socket.timeout:
                break
            status.write("connection %d\n" % n)
            status.flush()
            peer = Peer(scenario, conn, status, cert, key, n)
            try:
                peer.run()
            except (Closed, ConnectionError, ssl.SSLError, OSError):
                pass
            try:
                peer.conn.close()
            except OSError:
                pass
            status.write("closed\n")
            status.flush()
            if scenario == "idle-gone":
                break


if __name__ == "__main__":
    main()
