# AUTH (RFC 5034) with Dovecot's text: an exchange driven by the caller,
# an initial response, a cancel, and hostile challenges.
P: server=pop.petrel.test
S: +OK Dovecot (Debian) ready.
C: CAPA
S: +OK
S: SASL PLAIN LOGIN SCRAM-SHA-256
S: .
E: ready SASL=PLAIN,LOGIN,SCRAM-SHA-256
X: auth PLAIN
C: AUTH PLAIN
S: +\x20
E: auth-challenge ""
X: cancel
C: *
S: -ERR Authentication aborted by client.
E: failed AUTH cancelled: server pop.petrel.test refused AUTH: Authentication aborted by client.
X: auth SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=
C: AUTH SCRAM-SHA-256 <<biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=>>
S: + cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=
E: auth-challenge "cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY="
X: respond Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==
C: <<Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==>>
S: + dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==
E: auth-challenge "dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ=="
X: respond
C:
S: +OK Logged in.
E: logged-in Logged in.
