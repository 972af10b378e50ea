package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

var requestTests = []test{
	{"a claim is an insert: a second claim of the key is a duplicate", func(t *testing.T, s ledger.Store) {
		rec := ledger.RequestRecord{ID: "req-1", Fingerprint: "fp", Route: "POST /v1/incumbents", CreatedAt: at(0)}
		must(t, s.ClaimRequest(ctx(t), rec), "ClaimRequest")
		if err := s.ClaimRequest(ctx(t), ledger.RequestRecord{ID: "req-1", Fingerprint: "other"}); !errors.Is(err, ledger.ErrDuplicate) {
			t.Fatalf("second claim: %v, want a duplicate", err)
		}
		got, err := s.Request(ctx(t), "req-1")
		must(t, err, "Request")
		if got.Fingerprint != "fp" || got.Route != rec.Route || got.Status != 0 || !got.CreatedAt.Equal(stored(at(0))) {
			t.Fatalf("claim read back as %+v", got)
		}
	}},
	{"a missing claim is not found", func(t *testing.T, s ledger.Store) {
		if _, err := s.Request(ctx(t), "req-none"); !errors.Is(err, ledger.ErrNotFound) {
			t.Fatalf("missing claim: %v", err)
		}
	}},
	{"the first answer saved wins", func(t *testing.T, s ledger.Store) {
		must(t, s.ClaimRequest(ctx(t), ledger.RequestRecord{ID: "req-2", Fingerprint: "fp", CreatedAt: at(time.Second)}), "ClaimRequest")
		must(t, s.SaveResponse(ctx(t), "req-2", 201, "application/json", []byte(`{"a":1}`)), "SaveResponse")
		must(t, s.SaveResponse(ctx(t), "req-2", 409, "application/problem+json", []byte(`{"b":2}`)), "second SaveResponse")
		got, err := s.Request(ctx(t), "req-2")
		must(t, err, "Request")
		if got.Status != 201 || got.ContentType != "application/json" || !bytes.Equal(got.Body, []byte(`{"a":1}`)) {
			t.Fatalf("answer %d %s %s, want the first", got.Status, got.ContentType, got.Body)
		}
	}},
}
