"""Drives a program on a terminal for the shell tests (standard library
only): start it, read what it writes until a condition holds or time runs
out, type at it, collect its exit status."""
import os
import pty
import select
import time


class Pty:
    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)
        self.out = b""
        self.status = None

    def read_until(self, pred, secs):
        """Reads until pred() is true, the program closes the terminal or
        secs pass; returns pred()."""
        end = time.time() + secs
        while time.time() < end and not pred():
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.out += data
        return pred()

    def prompted(self, prompt=b"?"):
        """True when the output ends with the prompt (and spaces)."""
        return self.out.rstrip(b" ").endswith(prompt)

    def write(self, data):
        os.write(self.fd, data)

    def command(self, line, prompt=b"? ", secs=10):
        """Types line and waits for the next prompt after it."""
        seen = self.out.count(prompt)
        self.write(line)
        return self.read_until(lambda: self.out.count(prompt) > seen, secs)

    def wait(self, secs=10):
        """Reads to the end and returns the exit code."""
        self.read_until(lambda: False, secs)
        _, status = os.waitpid(self.pid, 0)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def text(self):
        return self.out.decode("utf-8", "replace").replace("\r", "")
