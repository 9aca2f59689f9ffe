# A reply line of only "2".
P: server=evil.example
S: 2
E: error protocol: *malformed reply line from the server: "2"*
