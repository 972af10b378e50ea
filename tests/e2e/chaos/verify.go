package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

func login(ctx context.Context, gw, user string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": "Bianzhi@2026"})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, gw+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("log in as %s: status %d (is %s a demo account of the gateway?)", user, resp.StatusCode, user)
	}
	return out.Token, nil
}

// verify checks the end state against what the clients were told and records every anomaly.
func verify(ctx context.Context, city *api, b *ledgerBook, staff []string, check answer, mergeState string) {
	// The checker: ok and no problems.
	if check.Status != http.StatusOK || check.Body["ok"] != true {
		b.anomaly("ledger checker not clean at the end: %s", check)
	} else if probs, _ := check.Body["problems"].([]any); len(probs) > 0 {
		b.anomaly("ledger checker ok with problems: %s", check)
	}

	// The merger: executed, the parks merged and empty, their people on the centre.
	if mergeState != "executed" {
		st, a := (&merger{city: city}).state(ctx)
		b.anomaly("the merger is not executed: state %q (%s)", st, a)
	}
	for _, p := range parkIDs() {
		if a := city.call(ctx, readPolicy, "GET", "/api/units/v1/units/"+p, "", nil); !strings.Contains(fmt.Sprint(a.Body["status"]), "merged") {
			b.anomaly("park %s is not merged: %s", p, a)
		}
		if ids, a := incumbents(ctx, city, p); a.Status != http.StatusOK || len(ids) != 0 {
			b.anomaly("park %s still has people on posts after the merger: %v (%s)", p, ids, a)
		}
	}
	for _, id := range staff {
		a := city.call(ctx, readPolicy, "GET", "/api/quota/v1/incumbents/"+id, "", nil)
		if a.Status != http.StatusOK || a.str("unit") != centre || a.str("state") != "active" {
			b.anomaly("park staff %s is not on the centre after the merger: %s", id, a)
		}
	}

	// Every person the workload tried to hire: where the ledger has them, against what was acknowledged.
	where := map[string][]string{}
	for _, u := range append([]string{centre}, workUnits...) {
		ids, a := incumbents(ctx, city, u)
		if a.Status != http.StatusOK {
			b.anomaly("cannot list the people of %s: %s", u, a)
		}
		for _, id := range ids {
			where[id] = append(where[id], u)
		}
	}
	staffSet := map[string]bool{}
	for _, id := range staff {
		staffSet[id] = true
	}
	for _, id := range b.sortedIDs() {
		b.mu.Lock()
		p := *b.people[id]
		b.mu.Unlock()
		on := where[id]
		delete(where, id)
		switch {
		case p.acked && p.exitAcked:
			a := city.call(ctx, readPolicy, "GET", "/api/quota/v1/incumbents/"+id, "", nil)
			if len(on) > 0 || !(a.Status == http.StatusNotFound || a.str("state") == "exited") {
				b.anomaly("acknowledged exit not applied: %s (hired into %s via %s key %s, exit key %s) is on %v; GET: %s",
					id, p.unit, p.via, p.key, p.exitKey, on, a)
			}
		case p.fenced:
			if len(on) != 0 {
				b.anomaly("a hire answered \"fenced off, nothing changed\" took effect: %s (into %s via %s key %s) is on %v",
					id, p.unit, p.via, p.key, on)
			}
		case p.acked && !p.exitUnknown:
			if len(on) != 1 || on[0] != p.unit {
				b.anomaly("acknowledged hire not present exactly once: %s (into %s via %s key %s hold %q; %d exits fenced) is on %v",
					id, p.unit, p.via, p.key, p.hold, p.exitsFenced, on)
			}
		default: // an unacknowledged hire or exit: either outcome, but never twice
			if len(on) > 1 {
				b.anomaly("person %s (hire key %s) is on %d posts: %v", id, p.key, len(on), on)
			}
		}
	}
	for id, on := range where {
		if staffSet[id] && len(on) == 1 && on[0] == centre {
			continue
		}
		b.anomaly("person %s on %v was never hired by the workload", id, on)
	}

	// Holds whose void was acknowledged are no longer open.
	b.mu.Lock()
	var voided []string
	for id, ok := range b.holds {
		if ok {
			voided = append(voided, id)
		}
	}
	b.mu.Unlock()
	for _, id := range voided {
		if a := city.call(ctx, readPolicy, "GET", "/api/quota/v1/holds/"+id, "", nil); a.Status != http.StatusOK || a.str("state") == "open" {
			b.anomaly("hold %s still open after an acknowledged void: %s", id, a)
		}
	}
}

// incumbents lists the ID numbers of a unit's people on posts.
func incumbents(ctx context.Context, city *api, unit string) ([]string, answer) {
	a := city.call(ctx, readPolicy, "GET", "/api/quota/v1/units/"+unit+"/incumbents", "", nil)
	var ids []string
	list, _ := a.Body["incumbents"].([]any)
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			id, _ := m["idNumber"].(string)
			ids = append(ids, id)
		}
	}
	return ids, a
}
