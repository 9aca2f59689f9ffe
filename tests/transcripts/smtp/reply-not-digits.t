# A reply code that is not digits.
P: server=evil.example
S: 2x0 hello
E: error protocol: *malformed reply line*
