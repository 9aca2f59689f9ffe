# A NUL byte in a reply.
P: server=evil.example
S: 220 evil\x00example
E: error protocol: *NUL byte*
