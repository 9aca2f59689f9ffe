# A reply code out of range (1yz is not SMTP).
P: server=evil.example
S: 120 wait
E: error protocol: *malformed reply line*
