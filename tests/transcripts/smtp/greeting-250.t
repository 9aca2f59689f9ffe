# A greeting that is not 220 and not a refusal.
P: server=evil.example
S: 250 hello
E: error protocol: *unexpected greeting*
