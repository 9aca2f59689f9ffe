"""A slow link for the shell tests: relays TCP connections on a free port
of 127.0.0.1 to HOST:PORT, passing the server's bytes to the client at
RATE bytes a second in reads of at most CHUNK bytes (the client's bytes
go at once).  The port is written to PORTFILE (atomically) once it
listens.  Runs until killed.

usage: slow-relay.py HOST PORT PORTFILE RATE [CHUNK]"""
import os
import socket
import sys
import threading
import time

host, port, portfile, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
chunk = int(sys.argv[5]) if len(sys.argv) > 5 else 4096

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(4)
with open(portfile + ".tmp", "w") as f:
    f.write(str(listener.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)


def pump(src, dst, limit):
    try:
        while True:
            data = src.recv(chunk if limit else 65536)
            if not data:
                break
            dst.sendall(data)
            if limit:
                time.sleep(len(data) / limit)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


while True:
    client, _ = listener.accept()
    server = socket.create_connection((host, port))
    threading.Thread(target=pump, args=(client, server, 0), daemon=True).start()
    threading.Thread(target=pump, args=(server, client, rate), daemon=True).start()
