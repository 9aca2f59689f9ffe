#!/usr/bin/env python3
"""Network chores for the test harness (tests/harness/harness.sh).

  harness-net.py ports COUNT
      Prints COUNT distinct TCP ports that are free on both 127.0.0.1 and
      127.0.0.2, chosen at random below the ephemeral range so that
      outgoing connections do not take them before a server binds them.

  harness-net.py wait TIMEOUT HOST:PORT[=BANNER]...
      Waits until every HOST:PORT accepts a connection (and, with =BANNER,
      until the first line the server sends starts with BANNER).  Exits 1
      naming the ports that did not answer within TIMEOUT seconds.

  harness-net.py run COMMAND...
      Runs COMMAND with every file descriptor above 2 closed.  A daemon
      that kept one open (Dovecot's master does) could hold the pipe of a
      `$(...)` or of the test driver open, and its reader would wait for
      ever.

  harness-net.py watchdog PIDFILE PID COMMAND...
      Waits in the background until process PID (the test's shell) has
      exited, then runs COMMAND (the harness's teardown), so that servers
      do not outlive a test killed before its EXIT trap could run.

  harness-net.py relay PIDFILE LISTEN_HOST:PORT=TARGET_HOST:PORT...
      A transparent TCP relay.  Dovecot treats a connection whose remote
      address equals its local address as secured and then allows
      plaintext authentication whatever disable_plaintext_auth says; so
      Dovecot listens on 127.0.0.2 and this relay forwards the public
      127.0.0.1 ports to it.  Bytes pass unchanged both ways (TLS is end
      to end); when either side closes, the other is shut down too.
"""

import os
import random
import signal
import socket
import sys
import threading
import time

HOSTS = ("127.0.0.1", "127.0.0.2")


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
            return lo, hi
    except (OSError, ValueError):
        return 32768, 60999


def port_is_free(port, held):
    socks = []
    try:
        for host in HOSTS:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(s)
            s.bind((host, port))
    except OSError:
        for s in socks:
            s.close()
        return False
    held.extend(socks)
    return True


def cmd_ports(argv):
    count = int(argv[0])
    lo, hi = ephemeral_range()
    # Prefer the range below the ephemeral ports; fall back to above it.
    candidates = list(range(10000, lo)) if lo > 11000 else list(range(hi + 1, 65536))
    random.shuffle(candidates)
    held = []
    chosen = []
    try:
        for port in candidates:
            if port_is_free(port, held):
                chosen.append(port)
                if len(chosen) == count:
                    break
    finally:
        for s in held:
            s.close()
    if len(chosen) < count:
        print("harness-net: could not find %d free ports" % count, file=sys.stderr)
        return 1
    print(" ".join(str(p) for p in chosen))
    return 0


def parse_hostport(spec):
    host, _, port = spec.rpartition(":")
    return host, int(port)


def probe(host, port, banner):
    try:
        with socket.create_connection((host, port), timeout=1.0) as s:
            if banner is None:
                return True
            s.settimeout(2.0)
            data = b""
            while b"\n" not in data and len(data) < 4096:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.startswith(banner.encode())
    except OSError:
        return False


def cmd_wait(argv):
    deadline = time.monotonic() + float(argv[0])
    pending = []
    for spec in argv[1:]:
        addr, sep, banner = spec.partition("=")
        host, port = parse_hostport(addr)
        pending.append((host, port, banner if sep else None))
    while pending:
        pending = [p for p in pending if not probe(*p)]
        if not pending:
            break
        if time.monotonic() >= deadline:
            for host, port, banner in pending:
                print("harness-net: %s:%d did not answer%s" %
                      (host, port, " with %r" % banner if banner else ""),
                      file=sys.stderr)
            return 1
        time.sleep(0.05)
    return 0


def close_inherited_fds():
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        fds = range(3, 1024)
    for fd in fds:
        if fd > 2:
            try:
                os.close(fd)
            except OSError:
                pass


def write_pidfile(path):
    with open(path + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(path + ".tmp", path)


def cmd_run(argv):
    close_inherited_fds()
    os.execvp(argv[0], argv)


def alive(pid):
    """Whether pid runs; a zombie does not count (its parent may be the
    very `$(...)` that waits for us to let go of its pipe)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True
    return stat[stat.rindex(")") + 2:][:1] not in ("Z", "X")


def cmd_watchdog(argv):
    pidfile, pid, command = argv[0], int(argv[1]), argv[2:]
    close_inherited_fds()
    write_pidfile(pidfile)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while alive(pid):
        time.sleep(0.5)
    # The teardown kills whatever the pid file names: not us.
    try:
        os.unlink(pidfile)
    except OSError:
        pass
    os.execvp(command[0], command)


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve_conn(client, target):
    try:
        server = socket.create_connection(target, timeout=5.0)
    except OSError as e:
        print("relay: connect %s:%d: %s" % (target[0], target[1], e), file=sys.stderr)
        client.close()
        return
    server.settimeout(None)
    # A pipe should not add Nagle delays to small protocol writes.
    for s in (client, server):
        try:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
    up = threading.Thread(target=pump, args=(client, server), daemon=True)
    up.start()
    pump(server, client)
    up.join()
    server.close()
    client.close()


def accept_loop(listener, target):
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            time.sleep(0.01)
            continue
        threading.Thread(target=serve_conn, args=(client, target), daemon=True).start()


def cmd_relay(argv):
    pidfile = argv[0]
    close_inherited_fds()
    listeners = []
    for spec in argv[1:]:
        src, _, dst = spec.partition("=")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(parse_hostport(src))
        except OSError as e:
            print("relay: bind %s: %s" % (src, e), file=sys.stderr)
            return 1
        s.listen(64)
        listeners.append((s, parse_hostport(dst)))
    write_pidfile(pidfile)
    for s, target in listeners:
        threading.Thread(target=accept_loop, args=(s, target), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    while True:
        signal.pause()


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = {"ports": cmd_ports, "wait": cmd_wait, "run": cmd_run, "watchdog": cmd_watchdog,
           "relay": cmd_relay}.get(sys.argv[1])
    if cmd is None:
        print(__doc__, file=sys.stderr)
        return 2
    return cmd(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
