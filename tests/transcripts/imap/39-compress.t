# COMPRESS=DEFLATE: after the OK nothing is parsed until the caller has
# switched on the inflater; bytes that came after the OK are handed back
# (here the identity stands in for inflate).
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready
E: greeting PREAUTH *
X: compress
C: a1 COMPRESS DEFLATE
R: a1 OK DEFLATE active\r\n* 1 EXISTS\r\n
E: done a1 COMPRESS OK DEFLATE active
X: can-send noop
E: can-send noop: waiting for compression to start after COMPRESS
X: compress-started
E: leftover "* 1 EXISTS\r\n"
E: warning EXISTS with no mailbox selected
X: noop
C: a2 NOOP
S: a2 OK NOOP completed
E: done a2 NOOP OK NOOP completed
