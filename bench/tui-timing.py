#!/usr/bin/env python3
"""Times petrel's full-screen index the way a user sees it, in a pty.

    bench/tui-timing.py [options] -- PETREL-COMMAND...
    bench/tui-timing.py summarize CASE TARGET-SECONDS LOAD RESULT.json...

runs PETREL-COMMAND (the TUI) in a pseudo-terminal of a fixed size,
feeds what it writes to a small terminal emulator (enough of xterm for
what curses sends: cursor addressing, erasing, scrolling regions,
insert/delete line, repeat, wide characters, reverse video), and
reports, as one JSON object on standard output:

  first_row       seconds from start until an index row is on the screen
  first_screen    ... until the index body is full (or holds --count rows),
                  and --marker, when given, is on it
  loading_at_first_screen   whether the status line still said "Loading"
  loaded          ... until the status line shows the position in the
                  list (and --count messages) instead of "Loading N/M"
                  (null when --settle ended first)
  keys            for each `j` (or `k`) sent while the folder was loading
                  (one every --key-interval seconds after the first
                  screen): the seconds from the write of the key to the
                  arrival of the output that put the cursor (the
                  reverse-video row) on the next (previous) message; null
                  when that did not happen within --key-timeout
  keys_sent, keys_while_loading

An index row is a body line that starts with a message number (the
default index_format) and shows more than the "..." of a message whose
summary has not arrived.  The cursor row is the body line in reverse video.
Only the standard library is used.
"""
import argparse
import codecs
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
import unicodedata


class Screen:
    """The few parts of a VT100/xterm that curses uses, cell by cell.

    Each cell is [char, reverse]; colours and other attributes are
    dropped."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.cells = [self._blank_row() for _ in range(rows)]
        self.y = self.x = 0
        self.rev = False
        self.top, self.bottom = 0, rows - 1
        self.saved = (0, 0, False)
        self.last = ' '
        self.state = 'text'
        self.seq = ''
        self.dec = codecs.getincrementaldecoder('utf-8')('replace')

    def _blank_row(self):
        return [[' ', False] for _ in range(self.cols)]

    def text(self, y):
        return ''.join(c[0] for c in self.cells[y]).rstrip()

    def reverse_rows(self):
        return [y for y in range(self.rows) if any(c[1] and c[0].strip() for c in self.cells[y])]

    def _scroll_up(self, top, bottom, n=1):
        for _ in range(n):
            del self.cells[top]
            self.cells.insert(bottom, self._blank_row())

    def _scroll_down(self, top, bottom, n=1):
        for _ in range(n):
            del self.cells[bottom]
            self.cells.insert(top, self._blank_row())

    def _lf(self):
        if self.y == self.bottom:
            self._scroll_up(self.top, self.bottom)
        elif self.y < self.rows - 1:
            self.y += 1

    def _put(self, ch):
        if unicodedata.combining(ch):
            return
        wide = unicodedata.east_asian_width(ch) in ('W', 'F')
        if self.x >= self.cols or (wide and self.x == self.cols - 1):
            self.x = 0
            self._lf()
        self.cells[self.y][self.x] = [ch, self.rev]
        self.x += 1
        if wide:
            # The right half of a wide character: no text of its own.
            self.cells[self.y][self.x] = ['', self.rev]
            self.x += 1
        self.last = ch

    def feed(self, data):
        for ch in self.dec.decode(data):
            self._char(ch)

    def _char(self, ch):
        st = self.state
        if st == 'text':
            o = ord(ch)
            if ch == '\x1b':
                self.state, self.seq = 'esc', ''
            elif ch == '\r':
                self.x = 0
            elif ch in '\n\x0b\x0c':
                self._lf()
            elif ch == '\b':
                self.x = max(0, self.x - 1)
            elif ch == '\t':
                self.x = min(self.cols - 1, (self.x // 8 + 1) * 8)
            elif o < 32 or o == 127:
                pass
            else:
                self._put(ch)
        elif st == 'esc':
            if ch == '[':
                self.state, self.seq = 'csi', ''
            elif ch == ']':
                self.state = 'osc'
            elif ch in '()*+':
                self.state = 'charset'
            else:
                self.state = 'text'
                if ch == '7':
                    self.saved = (self.y, self.x, self.rev)
                elif ch == '8':
                    self.y, self.x, self.rev = self.saved
                elif ch == 'D':
                    self._lf()
                elif ch == 'E':
                    self.x = 0
                    self._lf()
                elif ch == 'M':
                    if self.y == self.top:
                        self._scroll_down(self.top, self.bottom)
                    elif self.y > 0:
                        self.y -= 1
                elif ch == 'c':
                    self.__init__(self.rows, self.cols)
        elif st == 'charset':
            self.state = 'text'
        elif st == 'osc':
            if ch == '\x07':
                self.state = 'text'
            elif ch == '\x1b':
                self.state = 'osc-esc'
        elif st == 'osc-esc':
            self.state = 'text' if ch == '\\' else 'osc'
        elif st == 'csi':
            if '@' <= ch <= '~':
                self.state = 'text'
                self._csi(self.seq, ch)
            else:
                self.seq += ch

    def _csi(self, seq, final):
        private = seq[:1] in ('?', '>', '=', '<')
        if private:
            return
        args = [int(a) if a.isdigit() else 0 for a in seq.split(';')] if seq else []

        def arg(i, default):
            return args[i] if len(args) > i and args[i] > 0 else default

        y, x = self.y, self.x
        if final in 'Hf':
            self.y = min(self.rows - 1, arg(0, 1) - 1)
            self.x = min(self.cols - 1, arg(1, 1) - 1)
        elif final == 'A':
            self.y = max(0, y - arg(0, 1))
        elif final in 'Be':
            self.y = min(self.rows - 1, y + arg(0, 1))
        elif final in 'Ca':
            self.x = min(self.cols - 1, x + arg(0, 1))
        elif final == 'D':
            self.x = max(0, x - arg(0, 1))
        elif final in 'G`':
            self.x = min(self.cols - 1, arg(0, 1) - 1)
        elif final == 'd':
            self.y = min(self.rows - 1, arg(0, 1) - 1)
        elif final == 'K':
            mode = args[0] if args else 0
            row = self.cells[y]
            rng = {0: range(x, self.cols), 1: range(0, x + 1), 2: range(self.cols)}.get(mode, [])
            for i in rng:
                row[i] = [' ', self.rev]
        elif final == 'J':
            mode = args[0] if args else 0
            if mode == 0:
                self._csi('0', 'K')
                for r in range(y + 1, self.rows):
                    self.cells[r] = self._blank_row()
            elif mode == 1:
                for r in range(0, y):
                    self.cells[r] = self._blank_row()
                self._csi('1', 'K')
            else:
                self.cells = [self._blank_row() for _ in range(self.rows)]
        elif final == 'm':
            for a in (args or [0]):
                if a == 0 or a == 27:
                    self.rev = False
                elif a == 7:
                    self.rev = True
        elif final == 'r':
            self.top = arg(0, 1) - 1
            self.bottom = min(self.rows - 1, arg(1, self.rows) - 1)
            self.y = self.x = 0
        elif final == 'b':
            for _ in range(arg(0, 1)):
                self._put(self.last)
        elif final == 'L':
            if self.top <= y <= self.bottom:
                self._scroll_down(y, self.bottom, arg(0, 1))
        elif final == 'M':
            if self.top <= y <= self.bottom:
                self._scroll_up(y, self.bottom, arg(0, 1))
        elif final == 'S':
            self._scroll_up(self.top, self.bottom, arg(0, 1))
        elif final == 'T':
            self._scroll_down(self.top, self.bottom, arg(0, 1))
        elif final == 'P':
            row = self.cells[y]
            n = min(arg(0, 1), self.cols - x)
            del row[x:x + n]
            row.extend([' ', self.rev] for _ in range(n))
        elif final == '@':
            row = self.cells[y]
            n = min(arg(0, 1), self.cols - x)
            for _ in range(n):
                row.insert(x, [' ', self.rev])
            del row[self.cols:]
        elif final == 'X':
            for i in range(x, min(self.cols, x + arg(0, 1))):
                self.cells[y][i] = [' ', self.rev]
        elif final == 's':
            self.saved = (self.y, self.x, self.rev)
        elif final == 'u':
            self.y, self.x, self.rev = self.saved


INDEX_ROW = re.compile(r'^\s*(\d+)\s')
# A row whose summary has not arrived yet: its number and "...".
PLACEHOLDER = re.compile(r'^\s*\d+\s+\.\.\.\s*$')


class Petrel:
    def __init__(self, argv, rows, cols, env, stderr_path):
        self.rows, self.cols = rows, cols
        self.screen = Screen(rows, cols)
        errfd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.t0 = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
                os.dup2(errfd, 2)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        os.close(errfd)
        self.pid, self.fd = pid, fd
        self.eof = False
        self.trace = None

    def read(self, timeout):
        """Reads what arrived within timeout; returns its arrival time."""
        if self.eof:
            time.sleep(timeout)
            return None
        r, _, _ = select.select([self.fd], [], [], max(0, timeout))
        if not r:
            return None
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b''
        now = time.monotonic()
        if not data:
            self.eof = True
            return None
        if self.trace:
            self.trace.write('%.6f read %r\n' % (now - self.t0, data))
        self.screen.feed(data)
        return now

    def body(self):
        """The index rows: (screen line, message number, text)."""
        out = []
        for y in range(1, self.rows - 2):
            t = self.screen.text(y)
            m = INDEX_ROW.match(t)
            if m and not PLACEHOLDER.match(t):
                out.append((y, int(m.group(1)), t))
        return out

    def status(self):
        return self.screen.text(self.rows - 2)

    def cursor(self):
        """(screen line, message number) of the reverse-video index row."""
        for y in self.screen.reverse_rows():
            if 1 <= y < self.rows - 2:
                m = INDEX_ROW.match(self.screen.text(y))
                if m:
                    return y, int(m.group(1))
        return None

    def settled_cursor(self, timeout):
        """The cursor once exactly one body line is in reverse video: while
        curses moves the cursor, the old and the new line are both (or
        neither) reversed, and such a half-drawn screen must not be taken
        for the state before a key."""
        end = time.monotonic() + timeout
        while True:
            rev = [y for y in self.screen.reverse_rows() if 1 <= y < self.rows - 2]
            if len(rev) == 1:
                return self.cursor()
            if time.monotonic() >= end or self.eof:
                return None
            self.read(min(0.05, end - time.monotonic()))

    def drain(self):
        """Reads what is already there, so the screen is whole: a redraw
        split across reads must not pass for a key's effect."""
        while self.read(0.001) is not None:
            pass

    def send(self, data):
        os.write(self.fd, data)
        now = time.monotonic()
        if self.trace:
            self.trace.write('%.6f sent %r cursor %r\n' % (now - self.t0, data, self.cursor()))
        return now

    def stop(self):
        for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass
            end = time.monotonic() + wait
            while time.monotonic() < end:
                # Keep the pty drained so petrel is never blocked writing.
                self.read(0.05)
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
                if pid != 0:
                    os.close(self.fd)
                    return
        os.close(self.fd)


def loading(status):
    return 'Loading' in status or 'Opening' in status


# The end of the status line when no job runs: the position in the list.
POSITION = re.compile(r'\(\d+%\)\s*$')


def fmt(v):
    return '-' if v is None else '%.3f' % v


def median(vs):
    vs = sorted(vs)
    n = len(vs)
    if n == 0:
        return None
    return vs[n // 2] if n % 2 else (vs[n // 2 - 1] + vs[n // 2]) / 2


def summarize(argv):
    """summarize CASE TARGET-SECONDS LOAD FILE...: one markdown table row
    from the JSON results of several runs."""
    case, target, load, files = argv[0], float(argv[1]), argv[2], argv[3:]
    runs = []
    for f in files:
        with open(f) as fh:
            runs.append(json.loads(fh.read()))
    ok = [r for r in runs if r['first_screen'] is not None]
    errors = sorted(set(r['error'] for r in runs if r['error']))
    fs = [r['first_screen'] for r in ok]
    fr = [r['first_row'] for r in ok if r['first_row'] is not None]
    ld = [r['loaded'] for r in ok if r['loaded'] is not None]
    keys = [k for r in ok for k in r['keys']]
    got = [k for k in keys if k is not None]
    loading = sum(1 for r in ok if r['loading_at_first_screen'])
    cells = [case, '%d/%d' % (len(ok), len(runs))]
    cells.append(fmt(median(fr)))
    cells.append('%s (%s-%s)' % (fmt(median(fs)), fmt(min(fs) if fs else None),
                                 fmt(max(fs) if fs else None)))
    cells.append('%d of %d' % (loading, len(ok)))
    cells.append('%s (%d of %d runs)' % (fmt(median(ld)), len(ld), len(ok)) if ld else '-')
    while_loading = sum(r['keys_while_loading'] for r in ok)
    if keys:
        ms = [k * 1000 for k in got]
        cells.append('%d (%d while loading)' % (len(keys), while_loading))
        cells.append('%.1f' % median(ms) if ms else '-')
        cells.append('%.1f' % max(ms) if ms else '-')
        cells.append(str(len(keys) - len(got)))
    else:
        cells += ['-', '-', '-', '-']
    verdict = 'met' if fs and median(fs) <= target and max(fs) <= target else 'missed'
    if keys:
        kv = 'met' if got and len(got) == len(keys) and max(got) < 0.05 else 'missed'
        verdict = 'first screen %s; keys %s' % (verdict, kv)
    else:
        verdict = 'first screen ' + verdict
    cells.append(verdict)
    cells.append(load)
    if errors:
        cells[-2] += '; errors: ' + ', '.join(errors)
    print('| ' + ' | '.join(cells) + ' |')
    return 0


def main():
    if sys.argv[1:2] == ['summarize']:
        return summarize(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--rows', type=int, default=24)
    ap.add_argument('--cols', type=int, default=80)
    ap.add_argument('--term', default='xterm-256color')
    ap.add_argument('--count', type=int, default=0,
                    help='messages in the folder (0: unknown)')
    ap.add_argument('--marker', default='', help='text that must be on the first screen')
    ap.add_argument('--timeout', type=float, default=120, help='for the first screen')
    ap.add_argument('--keys', type=int, default=0, help='at most this many key presses')
    ap.add_argument('--key', default='j', choices=('j', 'k'),
                    help='j (the cursor goes to the next message) or k (the previous)')
    ap.add_argument('--key-interval', type=float, default=0.2)
    ap.add_argument('--key-timeout', type=float, default=2.0)
    ap.add_argument('--settle', type=float, default=0,
                    help='then wait at most this long for the load to end')
    ap.add_argument('--stderr', default=os.devnull, help="where petrel's stderr goes")
    ap.add_argument('--dump', default='', help='write the last screen here')
    ap.add_argument('--trace', default='', help='log what was read and sent here')
    ap.add_argument('command', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ['--'] else a.command
    if not cmd:
        ap.error('no petrel command')
    env = dict(os.environ, TERM=a.term, LINES=str(a.rows), COLUMNS=str(a.cols))
    res = {'first_row': None, 'first_screen': None, 'loading_at_first_screen': None,
           'loaded': None, 'keys': [], 'keys_sent': 0, 'keys_while_loading': 0,
           'error': None}
    p = Petrel(cmd, a.rows, a.cols, env, a.stderr)
    if a.trace:
        p.trace = open(a.trace, 'w')
    want = a.rows - 3 if a.count == 0 else min(a.count, a.rows - 3)
    try:
        deadline = p.t0 + a.timeout
        while res['first_screen'] is None:
            now = time.monotonic()
            if now > deadline or p.eof:
                res['error'] = 'petrel ended' if p.eof else 'no first screen in %g s' % a.timeout
                break
            t = p.read(deadline - now)
            if t is None:
                continue
            rows = p.body()
            if rows and res['first_row'] is None:
                res['first_row'] = t - p.t0
            if len(rows) >= want and (not a.marker or any(a.marker in r[2] for r in rows)):
                res['first_screen'] = t - p.t0
                res['loading_at_first_screen'] = loading(p.status())

        def done_loading():
            s = p.status()
            return (not loading(s) and POSITION.search(s) is not None and
                    ('Msgs:' in s if a.count == 0 else 'Msgs:%d' % a.count in s))

        def note_loaded(t):
            if res['loaded'] is None and done_loading():
                res['loaded'] = t - p.t0

        # j every key_interval while the folder loads.
        while res['error'] is None and res['keys_sent'] < a.keys and not done_loading():
            p.drain()
            note_loaded(time.monotonic())
            if res['loaded'] is not None:
                break
            cur = p.settled_cursor(a.key_timeout)
            if cur is None:
                res['error'] = 'no cursor row on the screen'
                break
            was_loading = loading(p.status())
            sent = p.send(a.key.encode())
            res['keys_sent'] += 1
            res['keys_while_loading'] += was_loading
            got = None
            end = sent + a.key_timeout
            while got is None and time.monotonic() < end and not p.eof:
                t = p.read(end - time.monotonic())
                if t is None:
                    continue
                note_loaded(t)
                c = p.cursor()
                if c is not None and c[1] == cur[1] + (1 if a.key == 'j' else -1):
                    got = t - sent
            res['keys'].append(got)
            next_at = sent + a.key_interval
            while time.monotonic() < next_at and not p.eof:
                t = p.read(next_at - time.monotonic())
                if t is not None:
                    note_loaded(t)
        if res['error'] is None and a.settle > 0:
            end = time.monotonic() + a.settle
            while res['loaded'] is None and time.monotonic() < end and not p.eof:
                t = p.read(end - time.monotonic())
                if t is not None:
                    note_loaded(t)
            if res['loaded'] is None and done_loading():
                res['loaded'] = time.monotonic() - p.t0
    finally:
        if a.dump:
            with open(a.dump, 'w') as f:
                for y in range(a.rows):
                    f.write(p.screen.text(y) + '\n')
        p.stop()
    json.dump(res, sys.stdout)
    sys.stdout.write('\n')
    return 0 if res['error'] is None else 1


if __name__ == '__main__':
    sys.exit(main())
