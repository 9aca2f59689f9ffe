# An extra reply nobody asked for (RFC 2920 wants one per command).
P: server=evil.example
S: 220 evil.example ESMTP
C: EHLO client.example.org
S: 250 evil.example
S: 250 surprise
E: ready
E: error protocol: *unexpected reply from server evil.example: 250 surprise*
