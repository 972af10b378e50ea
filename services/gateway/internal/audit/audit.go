// Package audit is the gateway's record of every change that passes through it: who did what to
// which resource, when, with which outcome. Records are append-only; this package holds their shape,
// the rules that derive them from a request, and the query bounds. It imports no store or web package.
package audit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Record is one audited request.
type Record struct {
	// ID is a UUIDv7: unique even when a client repeats a request ID, and ordered by time, so the
	// store can serve "newest first" and time ranges from the primary key alone.
	ID         string
	At         time.Time
	RequestID  string
	Subject    string
	Name       string
	Roles      []string
	Method     string
	Path       string
	Service    string // the upstream service, or "gateway" for the gateway's own routes
	Resource   string // the collection the path names, e.g. "accounts"
	ResourceID string // the identifier in the path, if any
	ClientIP   string
	Status     int
}

// NewID returns a time-ordered record ID.
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when crypto/rand does; a random v4 keeps the record, losing only order.
		return uuid.NewString()
	}
	return id.String()
}

// Safe reports whether method cannot change anything (RFC 9110 safe methods), so it is not audited.
func Safe(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	return false
}

// Target splits a gateway path into the service it reaches, the resource collection and the
// resource ID: /api/quota/v1/accounts/A-1/transfers → quota, accounts, A-1. The ID is the segment
// that follows a collection name; for nested paths, the outermost one, which names the thing the
// change is about. The gateway's own routes (/api/v1/...) report service "gateway".
func Target(path string) (service, resource, id string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 || segs[0] != "api" {
		return "", "", ""
	}
	rest := segs[1:]
	if rest[0] == "v1" {
		service = "gateway"
	} else {
		service = rest[0]
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0] != "v1" {
		return service, "", ""
	}
	rest = rest[1:]
	if len(rest) > 0 {
		resource = rest[0]
	}
	if len(rest) > 1 {
		id = rest[1]
	}
	return service, resource, id
}

// Query selects records: From inclusive, To exclusive, optionally one subject, newest first.
type Query struct {
	From, To time.Time
	Subject  string
	Limit    int
}

// Bounds of a query's limit.
const (
	DefaultLimit = 100
	MaxLimit     = 500
)

// Errors of Normalize, so callers can name the offending input.
var (
	ErrRange = errors.New("from is not before to")
	ErrLimit = fmt.Errorf("limit outside 1..%d", MaxLimit)
)

// Normalize fills defaults (the last 7 days, DefaultLimit) and checks the query.
func (q *Query) Normalize(now time.Time) error {
	if q.To.IsZero() {
		q.To = now.Add(time.Minute)
	}
	if q.From.IsZero() {
		q.From = q.To.Add(-7 * 24 * time.Hour)
	}
	if !q.From.Before(q.To) {
		return fmt.Errorf("%w: %s, %s", ErrRange, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return fmt.Errorf("%w: %d", ErrLimit, q.Limit)
	}
	return nil
}

// IDBound returns the smallest record ID made at or after t: UUIDv7 strings start with the
// millisecond timestamp in hex, so comparing strings compares times.
func IDBound(t time.Time) string {
	ms := uint64(t.UnixMilli())
	h := fmt.Sprintf("%012x", ms&0xffffffffffff)
	return h[:8] + "-" + h[8:12]
}
