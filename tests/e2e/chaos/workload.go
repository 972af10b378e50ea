package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// person is one ID number the workload tried to hire.
type person struct {
	id, unit, via, key string
	hold               string // the hold the post came from, if any
	acked              bool   // the hire was acknowledged (2xx)
	exitKey            string // an exit was sent under this key
	exitAcked          bool   // the exit was acknowledged
	exitUnknown        bool   // the exit got no final answer: either state is fine
	exitBusy           bool
	fenced             bool // the hire was answered "fenced off by recovery: nothing changed"
	exitsFenced        int  // exits answered the same (the person stays on the post)
}

// ledgerBook records what the clients were told: every acknowledged hire and exit.
type ledgerBook struct {
	mu        sync.Mutex
	people    map[string]*person
	order     []string
	next      int
	holds     map[string]bool // hold ID → void acknowledged
	anomalies []string

	hires, exits, holdsPlaced, holdHires, voids, refused, unknown, fenced int
}

func newBook() *ledgerBook {
	return &ledgerBook{people: map[string]*person{}, holds: map[string]bool{}, next: 10_000}
}

func (b *ledgerBook) anomaly(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.anomalyLocked(format, args...)
}

// anomalyLocked records an anomaly with b.mu held.
func (b *ledgerBook) anomalyLocked(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	timeline("ANOMALY %s", msg)
	b.anomalies = append(b.anomalies, msg)
}

func (b *ledgerBook) newPerson(unit, via, hold string) *person {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.next
	b.next++
	p := &person{id: idNumber(n), unit: unit, via: via, hold: hold, key: fmt.Sprintf("chaos-hire-%d", n)}
	b.people[p.id] = p
	b.order = append(b.order, p.id)
	return p
}

// pickExit chooses an acknowledged person on a post, not being exited, and marks them busy.
func (b *ledgerBook) pickExit(r *rand.Rand) *person {
	b.mu.Lock()
	defer b.mu.Unlock()
	var cands []*person
	for _, id := range b.order {
		if p := b.people[id]; p.acked && p.exitKey == "" && !p.exitBusy {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	p := cands[r.IntN(len(cands))]
	p.exitBusy = true
	return p
}

// worker drives one client's share of the workload until stop closes.
type worker struct {
	n    int
	c    *api
	b    *ledgerBook
	r    *rand.Rand
	ops  int
	hold bool // may place holds (through the gateway only)
}

func (w *worker) run(ctx context.Context, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		default:
		}
		w.ops++
		switch x := w.r.IntN(100); {
		case x < 50:
			units := append([]string{centre}, workUnits...)
			w.hire(ctx, units[w.r.IntN(len(units))], "")
		case x < 85 || !w.hold:
			w.exit(ctx)
		default:
			w.holdFlow(ctx)
		}
	}
}

func (w *worker) quotaPath(p string) string {
	if w.c.name == "gateway" {
		return "/api/quota/v1" + p
	}
	return "/v1" + p
}

// hire hires a new person into unit (from hold if given) and records an acknowledgement.
func (w *worker) hire(ctx context.Context, unit, hold string) bool {
	p := w.b.newPerson(unit, w.c.name, hold)
	in := map[string]any{"idNumber": p.id, "name": fmt.Sprintf("演练人员%s", p.id[14:17]), "unit": unit, "kind": kind,
		"channel": "open_recruitment", "entryDate": "2024-09-01"}
	if hold != "" {
		in["holdId"] = hold
	}
	a := w.c.call(ctx, writePolicy, "POST", w.quotaPath("/incumbents"), p.key, in)
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	switch {
	case a.Status >= 200 && a.Status < 300:
		p.acked = true
		w.b.hires++
		if hold != "" {
			w.b.holdHires++
		}
		timeline("ack hire %s into %s via %s key=%s hold=%s (%d attempts)", p.id, unit, w.c.name, p.key, hold, a.Attempts)
		return true
	case a.Status == http.StatusConflict && a.code() == "quota_exhausted":
		w.b.refused++
		timeline("refused hire %s into %s: quota_exhausted", p.id, unit)
	case a.fenced():
		p.fenced = true
		w.b.fenced++
		timeline("FENCED hire %s into %s via %s key=%s (%d attempts): nothing changed", p.id, unit, w.c.name, p.key, a.Attempts)
	case a.Status == 0 || a.Status >= 500:
		w.b.unknown++
		timeline("UNKNOWN hire %s into %s via %s key=%s: %s", p.id, unit, w.c.name, p.key, a)
	default:
		w.b.anomalyLocked("hire %s into %s via %s key=%s: unexpected answer %s", p.id, unit, w.c.name, p.key, a)
	}
	return false
}

func (w *worker) exit(ctx context.Context) {
	p := w.b.pickExit(w.r)
	if p == nil {
		return
	}
	w.b.mu.Lock()
	p.exitKey = fmt.Sprintf("chaos-exit-%s-%d-%d", p.id, w.n, w.ops)
	w.b.mu.Unlock()
	a := w.c.call(ctx, writePolicy, "POST", w.quotaPath("/incumbents/"+p.id+"/exit"), p.exitKey,
		map[string]any{"reason": "resignation", "date": "2025-06-30"})
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	p.exitBusy = false
	switch {
	case a.Status >= 200 && a.Status < 300:
		p.exitAcked = true
		w.b.exits++
		timeline("ack exit %s via %s key=%s (%d attempts)", p.id, w.c.name, p.exitKey, a.Attempts)
	case a.fenced():
		// Nothing changed: the person is still on the post and may be exited later under a new key.
		timeline("FENCED exit %s via %s key=%s (%d attempts): nothing changed", p.id, w.c.name, p.exitKey, a.Attempts)
		p.exitKey = ""
		p.exitsFenced++
		w.b.fenced++
	case a.Status == 0 || a.Status >= 500:
		p.exitUnknown = true
		w.b.unknown++
		timeline("UNKNOWN exit %s via %s key=%s: %s", p.id, w.c.name, p.exitKey, a)
	default:
		p.exitUnknown = true
		w.b.anomalyLocked("exit %s (acknowledged hire into %s) via %s key=%s: unexpected answer %s", p.id, p.unit, w.c.name, p.exitKey, a)
	}
}

// holdFlow reserves two posts, hires one person from the hold and voids the rest.
func (w *worker) holdFlow(ctx context.Context) {
	unit := workUnits[w.r.IntN(len(workUnits))]
	key := fmt.Sprintf("chaos-hold-%d-%d", w.n, w.ops)
	a := w.c.call(ctx, writePolicy, "POST", w.quotaPath("/holds"), key, map[string]any{"account": "unit:" + unit + ":" + kind,
		"amount": 2, "purpose": "演练招聘", "expiresAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	id := a.str("id")
	switch {
	case a.Status >= 200 && a.Status < 300 && id != "":
		w.b.mu.Lock()
		w.b.holdsPlaced++
		w.b.holds[id] = false
		w.b.mu.Unlock()
		timeline("ack hold %s on %s key=%s (%d attempts)", id, unit, key, a.Attempts)
	case a.Status == http.StatusConflict && a.code() == "quota_exhausted":
		w.b.mu.Lock()
		w.b.refused++
		w.b.mu.Unlock()
		return
	case a.fenced():
		w.b.mu.Lock()
		w.b.fenced++
		w.b.mu.Unlock()
		timeline("FENCED hold on %s key=%s (%d attempts): nothing changed", unit, key, a.Attempts)
		return
	case a.Status == 0 || a.Status >= 500:
		w.b.mu.Lock()
		w.b.unknown++
		w.b.mu.Unlock()
		timeline("UNKNOWN hold on %s key=%s: %s", unit, key, a)
		return
	default:
		w.b.anomaly("hold on %s key=%s: unexpected answer %s", unit, key, a)
		return
	}
	w.hire(ctx, unit, id)
	// Void the rest; a fenced void changed nothing, so it is asked again under a new key.
	for try := 0; try < 3; try++ {
		vkey := fmt.Sprintf("%s-void-%d", key, try)
		a = w.c.call(ctx, writePolicy, "POST", w.quotaPath("/holds/"+id+"/void"), vkey, nil)
		switch {
		case a.Status >= 200 && a.Status < 300:
			w.b.mu.Lock()
			w.b.voids++
			w.b.holds[id] = true
			w.b.mu.Unlock()
			timeline("ack void %s key=%s (%d attempts)", id, vkey, a.Attempts)
		case a.fenced():
			w.b.mu.Lock()
			w.b.fenced++
			w.b.mu.Unlock()
			timeline("FENCED void %s key=%s (%d attempts): nothing changed", id, vkey, a.Attempts)
			continue
		case a.Status == 0 || a.Status >= 500:
			w.b.mu.Lock()
			w.b.unknown++
			w.b.mu.Unlock()
			timeline("UNKNOWN void %s key=%s: %s", id, vkey, a)
		default:
			w.b.anomaly("void of hold %s key=%s: unexpected answer %s", id, vkey, a)
		}
		return
	}
}

// merger drives the 22-park merger to executed: city_admin files, submits and advances it, the
// second city login approves it, city_admin executes it; after any failure it reads the proposal's
// state and carries on from there, re-sending execute until the proposal is executed.
type merger struct {
	city, reviewer *api
	steps          []string
	executedAt     time.Time
	executeCalls   int
}

func (m *merger) state(ctx context.Context) (string, answer) {
	a := m.city.call(ctx, readPolicy, "GET", "/api/units/v1/proposals/"+proposal, "", nil)
	if a.Status == http.StatusNotFound {
		return "absent", a
	}
	if a.Status != http.StatusOK {
		return "", a
	}
	return a.str("state"), a
}

// run drives the proposal until it is executed or ctx ends; it returns the last state seen.
func (m *merger) run(ctx context.Context, b *ledgerBook) string {
	transition := func(c *api, action, key string, extra map[string]any) answer {
		in := map[string]any{"action": action}
		for k, v := range extra {
			in[k] = v
		}
		return c.call(ctx, writePolicy, "POST", "/api/units/v1/proposals/"+proposal+"/transitions", key, in)
	}
	last := ""
	for ctx.Err() == nil {
		st, a := m.state(ctx)
		if st == "" {
			timeline("merger: cannot read the proposal: %s", a)
			sleep(ctx, time.Second)
			continue
		}
		if st != last {
			timeline("merger: state %s", st)
			m.steps = append(m.steps, st)
			last = st
		}
		var res answer
		switch st {
		case "absent":
			res = m.city.call(ctx, writePolicy, "POST", "/api/units/v1/proposals", "chaos-merger-file", map[string]any{
				"id": proposal, "kind": "merge", "title": "二十二个公园管理处整合为公园服务中心（演练）", "regionCode": region,
				"filedBy": garden, "effectiveFrom": "2026-07-01", "unitIds": parkIDs(), "targetUnitId": centre})
		case "draft":
			res = transition(m.city, "submit", "chaos-merger-submit", nil)
		case "research":
			res = transition(m.city, "advance", "chaos-merger-advance-1", nil)
		case "legality_review":
			res = transition(m.city, "advance", "chaos-merger-advance-2", nil)
		case "pre_meeting_review":
			res = transition(m.reviewer, "approve", "chaos-merger-approve", map[string]any{"documentNo": "并编发〔2026〕12号"})
		case "decided", "executing":
			if st == "decided" && a.str("outcome") != "approved" {
				b.anomaly("merger decided but not approved: %s", a)
				return st
			}
			m.executeCalls++
			res = m.city.call(ctx, retryPolicy{attempts: 3, timeout: 3 * time.Minute}, "POST",
				"/api/units/v1/proposals/"+proposal+"/execute", "chaos-merger-execute", nil)
			timeline("merger: execute call %d: %s", m.executeCalls, res)
		case "executed":
			if m.executedAt.IsZero() {
				m.executedAt = time.Now()
			}
			return st
		default:
			b.anomaly("merger in unexpected state %q: %s", st, a)
			return st
		}
		if res.Status >= 400 && res.Status < 500 && res.Status != http.StatusConflict {
			// A conflict is a transition a lost answer already made; the state read next shows it.
			b.anomaly("merger step in state %s refused: %s", st, res)
			return st
		}
		if res.Status == 0 || res.Status >= 500 {
			sleep(ctx, time.Second)
		}
	}
	return last
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// sortedIDs lists the book's people in a stable order.
func (b *ledgerBook) sortedIDs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := slices.Clone(b.order)
	slices.Sort(ids)
	return ids
}
