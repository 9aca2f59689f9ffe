# Continuation lines without end: stopped at lines-max.
P: server=evil.example lines-max=50
S: 220 evil.example ESMTP
C: EHLO client.example.org
S* 100 250-KEYWORD\r\n
E: error protocol: *server reply has too many lines*
