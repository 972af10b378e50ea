package audit

import (
	"errors"
	"testing"
	"time"
)

func TestTarget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		path, service, resource, id string
	}{
		{"/api/quota/v1/accounts/A-1/transfers", "quota", "accounts", "A-1"},
		{"/api/quota/v1/transfers", "quota", "transfers", ""},
		{"/api/units/v1/units/140105-001", "units", "units", "140105-001"},
		{"/api/units/healthz", "units", "", ""},
		{"/api/v1/auth/login", "gateway", "auth", "login"},
		{"/api/nosuch", "nosuch", "", ""},
		{"/metrics", "", "", ""},
		{"/", "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			s, r, id := Target(tc.path)
			if s != tc.service || r != tc.resource || id != tc.id {
				t.Fatalf("Target = %q %q %q, want %q %q %q", s, r, id, tc.service, tc.resource, tc.id)
			}
		})
	}
}

func TestSafe(t *testing.T) {
	t.Parallel()
	for m, want := range map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true, "POST": false, "PUT": false,
		"PATCH": false, "DELETE": false} {
		if Safe(m) != want {
			t.Errorf("Safe(%s) = %v", m, !want)
		}
	}
}

func TestIDsOrderByTime(t *testing.T) {
	t.Parallel()
	before := time.Now().Add(-time.Millisecond)
	id := NewID()
	after := time.Now().Add(2 * time.Millisecond)
	if !(IDBound(before) <= id && id < IDBound(after)) {
		t.Fatalf("id %s not within [%s, %s)", id, IDBound(before), IDBound(after))
	}
	if IDBound(time.Unix(0, 0)) != "00000000-0000" {
		t.Fatalf("epoch bound %s", IDBound(time.Unix(0, 0)))
	}
}

func TestQueryNormalize(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		q       Query
		wantErr error
		limit   int
	}{
		{"defaults", Query{}, nil, DefaultLimit},
		{"max limit", Query{Limit: MaxLimit}, nil, MaxLimit},
		{"over limit", Query{Limit: MaxLimit + 1}, ErrLimit, 0},
		{"negative limit", Query{Limit: -1}, ErrLimit, 0},
		{"from after to", Query{From: now, To: now.Add(-time.Hour)}, ErrRange, 0},
		{"from equals to", Query{From: now, To: now}, ErrRange, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			err := q.Normalize(now)
			if !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Fatalf("err = %v", err)
			}
			if err == nil && (q.Limit != tc.limit || !q.From.Before(q.To)) {
				t.Fatalf("normalized to %+v", q)
			}
		})
	}
}
