# Codes that change within one reply (CVE-2020-8794 class).
P: server=evil.example
S: 220 evil.example ESMTP
C: EHLO client.example.org
S: 250-evil.example
S: 251 PIPELINING
E: error protocol: *reply lines with different codes*
