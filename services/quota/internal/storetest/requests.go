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

var hireClaimTests = []test{
	{"hire claims are an unordered insert reporting the ones claimed before", func(t *testing.T, s ledger.Store) {
		c := func(id string) ledger.HireClaim {
			return ledger.HireClaim{ID: id, IDNumber: "A", Account: accU1Adm.ID, At: at(0)}
		}
		dup, err := s.ClaimHires(ctx(t), []ledger.HireClaim{c("tn-1"), c("tn-2")})
		must(t, err, "ClaimHires")
		if len(dup) != 0 {
			t.Fatalf("first claims: dup %v", dup)
		}
		dup, err = s.ClaimHires(ctx(t), []ledger.HireClaim{c("tn-3"), c("tn-1"), c("tn-4"), c("tn-2")})
		must(t, err, "ClaimHires again")
		if len(dup) != 2 || dup[0] != 1 || dup[1] != 3 {
			t.Fatalf("dup %v, want [1 3]", dup)
		}
		if dup, err = s.ClaimHires(ctx(t), []ledger.HireClaim{c("tn-3"), c("tn-4")}); err != nil || len(dup) != 2 {
			t.Fatalf("the rest were inserted by the second call: dup %v %v", dup, err)
		}
	}},
}
