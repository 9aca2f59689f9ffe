# Junk right after the reply code.
P: server=evil.example
S: 220evil.example
E: error protocol: *malformed reply line*
