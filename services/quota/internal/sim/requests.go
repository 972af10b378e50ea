package sim

import (
	"context"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// request is one client request with its key; a client that gets an error
// sends it again (the same key), and sometimes gives up on the key and
// sends the same thing under a new one, as a person re-submitting a form does.
type request struct {
	n        int
	kind     string
	caller   string
	key      string
	unit     string
	to       string
	person   int
	persons  []int
	amount   int64
	holdKey  string // the key of the hold request a hold hire or loan uses
	attempts int
	acked    bool
	errors   int
	refusals []string
}

func (r *request) String() string {
	s := fmt.Sprintf("#%d %s key=%s", r.n, r.kind, r.key)
	switch r.kind {
	case "hire", "holdhire":
		s += fmt.Sprintf(" %s person=%d", r.unit, r.person)
	case "batch":
		s += fmt.Sprintf(" %s persons=%v", r.unit, r.persons)
	case "exit":
		s += fmt.Sprintf(" person=%d", r.person)
	case "move", "merge", "lend":
		s += fmt.Sprintf(" %s→%s %d", r.unit, r.to, r.amount)
	case "hold", "case":
		s += fmt.Sprintf(" %s %d", r.unit, r.amount)
	}
	if r.attempts > 1 {
		s += fmt.Sprintf(" (attempt %d)", r.attempts)
	}
	return s
}

// idNumber returns the i-th valid GB 11643 ID number of the population.
func idNumber(i int) string {
	first := fmt.Sprintf("140105198%d%02d%02d%03d", i%10, 1+i/28%12, 1+i%28, i%1000)
	return first + string(ledger.IDCheckDigit(first))
}

func hireReq(unit string, person int, holdID string) ledger.HireRequest {
	return ledger.HireRequest{IDNumber: idNumber(person), Name: fmt.Sprintf("人员%d", person), Unit: unit, Kind: kind,
		Channel: ledger.ChannelExam, EntryDate: "2024-09-01", HoldID: holdID}
}

func holdID(caller, key string) string { return ledger.ScopedID("h", caller, key) }

// run sends the request to a ledger.
func (r *request) run(ctx context.Context, l *service.Ledger) error {
	acc := func(u string) ledger.AccountID { return ledger.UnitAccount(u, kind) }
	switch r.kind {
	case "hire":
		_, err := l.Hire(ctx, r.caller, r.key, hireReq(r.unit, r.person, ""))
		return err
	case "holdhire":
		_, err := l.Hire(ctx, r.caller, r.key, hireReq(r.unit, r.person, holdID("office", r.holdKey)))
		return err
	case "batch":
		rows := make([]ledger.HireRequest, len(r.persons))
		for i, p := range r.persons {
			rows[i] = hireReq(r.unit, p, "")
		}
		_, errs, err := l.HireBatch(ctx, r.caller, r.key, rows)
		if err != nil {
			return err
		}
		for _, e := range errs {
			if e != nil && ledger.CodeOf(e) == "" {
				return e // a row failed for a reason that is not a refusal: retry the batch
			}
		}
		return nil
	case "exit":
		_, err := l.Exit(ctx, r.caller, r.key, idNumber(r.person), service.ExitRequest{Reason: ledger.ExitRetirement, Date: "2026-02-28"}, r.caller)
		return err
	case "move":
		_, err := l.Move(ctx, r.caller, r.key, ledger.MoveRequest{Kind: ledger.TransferMoveUnit, From: acc(r.unit), To: acc(r.to), Amount: r.amount, DocNo: "调剂〔2026〕3号"})
		return err
	case "approve":
		_, err := l.Move(ctx, r.caller, r.key, ledger.MoveRequest{Kind: ledger.TransferApprove, From: ledger.ControlAccount(region, kind), To: acc(r.unit), Amount: r.amount, DocNo: "核编〔2026〕4号"})
		return err
	case "recoverposts":
		_, err := l.Move(ctx, r.caller, r.key, ledger.MoveRequest{Kind: ledger.TransferRecover, From: acc(r.unit), To: ledger.RecoveredAccount(region, kind), Amount: r.amount, DocNo: "收编〔2026〕5号"})
		return err
	case "return":
		_, err := l.Move(ctx, r.caller, r.key, ledger.MoveRequest{Kind: ledger.TransferReturn, From: acc(r.unit), To: ledger.TalentAccount("city", kind), Amount: r.amount})
		return err
	case "hold":
		_, err := l.PlaceHold(ctx, r.caller, r.key, ledger.HoldRequest{Account: acc(r.unit), Amount: r.amount, Purpose: "招聘",
			ExpiresAt: l.Now().Add(time.Duration(1+r.person%5) * time.Minute)}, r.caller, "")
		return err
	case "poolhold":
		_, err := l.PlaceHold(ctx, r.caller, r.key, ledger.HoldRequest{Account: ledger.TalentAccount("city", kind), Amount: r.amount, Purpose: "人才引进",
			ExpiresAt: l.Now().Add(10 * time.Minute)}, r.caller, "")
		return err
	case "void":
		_, err := l.VoidHold(ctx, holdID("office", r.holdKey), r.caller)
		return err
	case "lend":
		_, err := l.LendFromHold(ctx, holdID("talent", r.holdKey), acc(r.to), r.caller)
		return err
	case "merge":
		_, err := l.MoveIncumbents(ctx, r.caller, r.key, r.unit, r.to, "并编〔2026〕6号", r.caller)
		return err
	case "case":
		_, err := l.OpenCase(ctx, r.caller, r.key, ledger.CaseRequest{Subject: r.unit, Region: region, Violation: ledger.ViolationOverQuota,
			Facts: "超编进人", PenaltyPosts: r.amount}, r.caller)
		return err
	case "close":
		_, err := l.CloseCase(ctx, ledger.ScopedID("c", "office", r.holdKey), "已整改", r.caller)
		return err
	case "recover":
		_, err := l.Recover(ctx)
		return err
	case "expire":
		_, err := l.ExpireHolds(ctx)
		return err
	}
	panic("sim: unknown request " + r.kind)
}

// next returns the next request: a retry of one that failed, or a new one.
func (w *world) next(issued *int) *request {
	if len(w.retries) > 0 && (*issued >= w.cfg.Requests || w.rng.Float64() < 0.5) {
		i := w.rng.Intn(len(w.retries))
		r := w.retries[i]
		w.retries = append(w.retries[:i], w.retries[i+1:]...)
		if w.rng.Float64() < 0.2 && r.kind != "merge" {
			// The person gives up on the key and submits the same again.
			c := *r
			c.n, c.key, c.attempts, c.errors, c.refusals = len(w.reqs), fmt.Sprintf("k%d", len(w.reqs)), 0, 0, nil
			w.reqs = append(w.reqs, &c)
			return &c
		}
		return r
	}
	*issued++
	r := &request{n: len(w.reqs), key: fmt.Sprintf("k%d", len(w.reqs)), caller: "hr"}
	w.reqs = append(w.reqs, r)
	unit := func() string { return w.units[w.rng.Intn(len(w.units))] }
	r.unit, r.to = unit(), unit()
	r.person = 1 + w.rng.Intn(w.people)
	r.amount = int64(1 + w.rng.Intn(3))
	switch p := w.rng.Intn(100); {
	case p < 22:
		r.kind = "hire"
	case p < 30:
		r.kind = "batch"
		for range 1 + w.rng.Intn(4) {
			r.persons = append(r.persons, 1+w.rng.Intn(w.people))
		}
	case p < 48:
		r.kind = "exit"
	case p < 53:
		r.kind, r.caller = "move", "office"
		if r.to == r.unit {
			r.kind = "approve"
		}
	case p < 56:
		r.kind, r.caller = "approve", "office"
	case p < 58:
		r.kind, r.caller = "recoverposts", "office"
	case p < 64:
		r.kind, r.caller = "hold", "office"
	case p < 72:
		r.kind, r.holdKey = "holdhire", w.pastKey("hold")
	case p < 75:
		r.kind, r.caller, r.holdKey = "void", "office", w.pastKey("hold")
	case p < 78:
		r.kind, r.caller = "poolhold", "talent"
	case p < 81:
		r.kind, r.caller, r.holdKey = "lend", "talent", w.pastKey("poolhold")
	case p < 83:
		r.kind, r.caller, r.amount = "return", "office", 1
	case p < 87:
		r.kind, r.caller = "merge", "units"
		if r.to == r.unit {
			r.kind = "exit"
		}
	case p < 89:
		r.kind, r.caller = "case", "office"
		r.amount = int64(w.rng.Intn(2))
	case p < 91:
		r.kind, r.caller, r.holdKey = "close", "office", w.pastKey("case")
	case p < 97:
		r.kind = "recover"
	default:
		r.kind = "expire"
		w.now = w.now.Add(time.Duration(1+w.rng.Intn(5)) * time.Minute)
	}
	if r.holdKey == "" && (r.kind == "holdhire" || r.kind == "void" || r.kind == "lend" || r.kind == "close") {
		r.kind = "recover"
	}
	return r
}

// pastKey returns the key of a random earlier request of a kind, or "".
func (w *world) pastKey(kind string) string {
	var keys []string
	for _, r := range w.reqs {
		if r.kind == kind {
			keys = append(keys, r.key)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return keys[w.rng.Intn(len(keys))]
}
