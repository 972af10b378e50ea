package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// ScopedID turns a client's Idempotency-Key into the ID of the record the
// write creates. Keys are chosen by clients, so two callers may pick the same
// one: scoping by the caller keeps their writes apart. The hash gives IDs a
// fixed length and a safe alphabet whatever the key contains.
func ScopedID(prefix, caller, key string) string {
	h := sha256.Sum256([]byte(caller + "\x00" + key))
	return prefix + "-" + hex.EncodeToString(h[:16])
}

// ValidIdempotencyKey reports whether key is acceptable: 1 to 200 printable
// ASCII characters, as HTTP headers carry.
func ValidIdempotencyKey(key string) error {
	if key == "" {
		return Invalid("Idempotency-Key", "写操作必须提供 Idempotency-Key 请求头", "writes require an Idempotency-Key header")
	}
	if len(key) > 200 {
		return Invalid("Idempotency-Key", "Idempotency-Key 过长", "Idempotency-Key longer than 200 characters")
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return Invalid("Idempotency-Key", "Idempotency-Key 只能包含可见 ASCII 字符", "Idempotency-Key must be printable ASCII")
		}
	}
	return nil
}

// Fingerprint hashes a request so that a retry (same key, same request) can
// be told from a reused key (same key, different request), which is refused
// rather than silently answered with an unrelated result.
func Fingerprint(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Requests are plain structs; failing to marshal one is a programming error.
		panic("ledger: fingerprint: " + err.Error())
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// ReusedKey is the refusal for an Idempotency-Key sent again with a
// different request.
func ReusedKey() *Error {
	return &Error{Code: CodeIdempotencyKeyReused, Field: "Idempotency-Key",
		Message: "该幂等键已用于另一个不同的请求", Detail: "the Idempotency-Key was already used for a different request"}
}
