# A greeting that is not OK, PREAUTH or BYE.
S: * NO go away
E: error protocol: server did not greet with OK, PREAUTH or BYE
