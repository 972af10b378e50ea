package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWK is one public key in a JWKS document (RFC 8037 OKP key for Ed25519).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKS is the document the gateway publishes at /api/v1/auth/jwks.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// Signer signs tokens with one Ed25519 key. Only the gateway (and test helpers) hold one.
type Signer struct {
	key ed25519.PrivateKey
	kid string
}

// NewSigner wraps a private key; the key ID is derived from the public key so rotation needs no
// bookkeeping.
func NewSigner(key ed25519.PrivateKey) *Signer {
	pub := key.Public().(ed25519.PublicKey)
	sum := sha256.Sum256(pub)
	return &Signer{key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:8])}
}

// GenerateSigner makes a signer with a fresh key.
func GenerateSigner() (*Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return NewSigner(priv), nil
}

// KeyID returns the signer's kid.
func (s *Signer) KeyID() string { return s.kid }

// MaxTokenLifetime caps exp-iat of every token: the signer refuses to issue a longer one and the
// verifier refuses to accept one, so a leaked token is worth at most a working day.
const MaxTokenLifetime = 8 * time.Hour

// Sign issues a token for claims, valid for ttl from now (or until c.ExpiresAt, when set). It refuses
// a lifetime above MaxTokenLifetime.
func (s *Signer) Sign(c Claims, ttl time.Duration) (string, error) {
	now := time.Now()
	if ttl > MaxTokenLifetime {
		return "", fmt.Errorf("token lifetime %s exceeds %s", ttl, MaxTokenLifetime)
	}
	if c.ExpiresAt != nil && c.ExpiresAt.Sub(now) > MaxTokenLifetime {
		return "", fmt.Errorf("token lifetime %s exceeds %s", c.ExpiresAt.Sub(now).Round(time.Second), MaxTokenLifetime)
	}
	c.Issuer = Issuer
	c.Audience = jwt.ClaimStrings{Audience}
	c.IssuedAt = jwt.NewNumericDate(now)
	c.NotBefore = jwt.NewNumericDate(now.Add(-30 * time.Second))
	if c.ExpiresAt == nil {
		c.ExpiresAt = jwt.NewNumericDate(now.Add(ttl))
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = s.kid
	return t.SignedString(s.key)
}

// JWK returns the public half as a JWK.
func (s *Signer) JWK() JWK {
	pub := s.key.Public().(ed25519.PublicKey)
	return JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub), Kid: s.kid, Alg: "EdDSA", Use: "sig"}
}

// PublicKey decodes a JWK back into a key.
func (k JWK) PublicKey() (ed25519.PublicKey, error) {
	if k.Kty != "OKP" || k.Crv != "Ed25519" {
		return nil, fmt.Errorf("unsupported key type %s/%s", k.Kty, k.Crv)
	}
	b, err := base64.RawURLEncoding.DecodeString(k.X)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("bad Ed25519 public key")
	}
	return ed25519.PublicKey(b), nil
}

// LoadOrCreateKeyFile reads a PKCS#8 PEM Ed25519 key from path, creating one (mode 0600) if the file
// does not exist and create is true: the local stack keeps its key in the data folder this way,
// while Kubernetes mounts one from a Secret and never creates.
func LoadOrCreateKeyFile(path string, create bool) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		_, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, gerr
		}
		der, merr := x509.MarshalPKCS8PrivateKey(priv)
		if merr != nil {
			return nil, merr
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
			return nil, err
		}
		return priv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("signing key %s: not PEM", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("signing key %s: not an Ed25519 key", path)
	}
	return priv, nil
}
