# A reply line with no CRLF, forever (CVE-2020-8794 class): stopped once
# past the line limit, with bounded memory.
P: server=evil.example
S* 200000 A
E: error protocol: *server reply line longer than 4096 bytes*
