package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters. They are stored with every hash, so raising them later
// leaves old hashes verifiable.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
}

// DefaultParams follow OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): affordable on the two
// cores a gateway pod gets, while each guess still costs an attacker the same.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32}

// Hash is a stored password hash in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>), which carries its own salt and parameters.
type Hash string

// MaxPasswordBytes bounds the work one login can ask for.
const MaxPasswordBytes = 256

// HashPassword hashes password with a fresh 16-byte salt and DefaultParams.
func HashPassword(password string) (Hash, error) {
	if err := checkPassword(password); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return encode(DefaultParams, salt, derive(password, salt, DefaultParams)), nil
}

func checkPassword(p string) error {
	switch {
	case utf8.RuneCountInString(p) < 8:
		return errors.New("password shorter than 8 characters")
	case len(p) > MaxPasswordBytes:
		return fmt.Errorf("password longer than %d bytes", MaxPasswordBytes)
	}
	return nil
}

func derive(password string, salt []byte, p Params) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

func encode(p Params, salt, key []byte) Hash {
	b := base64.RawStdEncoding
	return Hash(fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b.EncodeToString(salt), b.EncodeToString(key)))
}

// decode parses a PHC argon2id string, refusing parameters that would let a stored hash exhaust the
// process (memory above 1 GiB, more than 16 passes or lanes).
func decode(h Hash) (Params, []byte, []byte, error) {
	parts := strings.Split(string(h), "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, errors.New("not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return Params{}, nil, nil, fmt.Errorf("argon2 version %q", parts[2])
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, fmt.Errorf("argon2 params %q: %w", parts[3], err)
	}
	if p.Memory < 8 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 16 || p.Threads < 1 || p.Threads > 16 {
		return Params{}, nil, nil, fmt.Errorf("argon2 params %q out of range", parts[3])
	}
	b := base64.RawStdEncoding
	salt, err := b.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return Params{}, nil, nil, errors.New("bad salt")
	}
	key, err := b.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return Params{}, nil, nil, errors.New("bad key")
	}
	p.KeyLen = uint32(len(key))
	return p, salt, key, nil
}

// Verify reports whether password matches h, comparing in constant time. A malformed hash never
// matches.
func (h Hash) Verify(password string) bool {
	if len(password) > MaxPasswordBytes {
		return false
	}
	p, salt, key, err := decode(h)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(derive(password, salt, p), key) == 1
}

// dummy is verified against when the username is unknown, so an unknown user costs the same time as
// a wrong password and response times do not reveal which usernames exist.
// It is made on first use, not at package load.
var dummy = sync.OnceValue(func() Hash {
	h, err := HashPassword("unknown-user-placeholder")
	if err != nil {
		panic(err) // only crypto/rand failing gets here, and then nothing else works either
	}
	return h
})

// Warm computes the dummy hash now, at start, so the first login of an unknown username does not
// cost two hash computations (and so stand out by its time).
func Warm() { dummy() }

// Authenticate checks password against acc (nil when the username is unknown) and reports whether the
// login succeeds. It spends one hash computation in every case.
func Authenticate(acc *Account, password string) bool {
	if acc == nil {
		dummy().Verify(password)
		return false
	}
	ok := acc.Password.Verify(password)
	return ok && !acc.Disabled
}
