package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// entry returns the entry of account number seq, applying leg 0 of transfer.
func entry(account ledger.AccountID, seq int64, transfer string) ledger.Entry {
	return ledger.Entry{ID: ledger.EntryID(account, seq), Account: account, Seq: seq, TransferID: transfer, Leg: 0,
		TransferLeg: ledger.TransferLeg(transfer, 0), Kind: ledger.TransferApprove,
		Delta: ledger.Delta{Approved: 5}, Balance: ledger.Balance{Approved: 5 * seq}, At: at(time.Duration(seq) * time.Second)}
}

func storedEntry(e ledger.Entry) ledger.Entry {
	e.At = stored(e.At)
	return e
}

var entryTests = []test{
	{"append and read back", func(t *testing.T, s ledger.Store) {
		e := ledger.Entry{ID: ledger.EntryID(accU1Adm.ID, 1), Account: accU1Adm.ID, Seq: 1, TransferID: "t1", Leg: 1,
			TransferLeg: ledger.TransferLeg("t1", 1), Kind: ledger.TransferHire, Delta: ledger.Delta{Occupied: 2},
			Balance: ledger.Balance{Approved: 10, Held: 3, Occupied: 2}, At: t0, Actor: "hr-1", DocNo: "并编〔2026〕12号",
			Incumbents: []string{"A", "B"}}
		must(t, s.AppendEntry(ctx(t), e), "AppendEntry")
		got, err := s.Entry(ctx(t), accU1Adm.ID, 1)
		must(t, err, "Entry")
		equal(t, "Entry", got, storedEntry(e))
		got, err = s.EntryByTransferLeg(ctx(t), "t1#1")
		must(t, err, "EntryByTransferLeg")
		equal(t, "EntryByTransferLeg", got, storedEntry(e))
	}},
	{"the next sequence number is taken once", func(t *testing.T, s ledger.Store) {
		first := entry(accU1Adm.ID, 1, "t1")
		must(t, s.AppendEntry(ctx(t), first), "first writer")
		second := entry(accU1Adm.ID, 1, "t2")
		second.Balance.Approved = 99
		isDuplicate(t, s.AppendEntry(ctx(t), second), "second writer for seq 1")
		got, _ := s.Entry(ctx(t), accU1Adm.ID, 1)
		equal(t, "the first writer's entry stays", got, storedEntry(first))
		_, err := s.EntryByTransferLeg(ctx(t), second.TransferLeg)
		isNotFound(t, err, "the loser's leg")
	}},
	{"a leg is applied once", func(t *testing.T, s ledger.Store) {
		first := entry(accU1Adm.ID, 1, "t1")
		must(t, s.AppendEntry(ctx(t), first), "AppendEntry")
		again := entry(accU1Adm.ID, 2, "t1")
		isDuplicate(t, s.AppendEntry(ctx(t), again), "same leg at seq 2")
		_, err := s.Entry(ctx(t), accU1Adm.ID, 2)
		isNotFound(t, err, "seq 2 after the refused leg")
		// The same leg number of another transfer, or another leg of the
		// same one, is free.
		must(t, s.AppendEntry(ctx(t), entry(accU1Adm.ID, 2, "t2")), "another transfer's leg 0")
		other := entry(accU3Adm.ID, 1, "t1")
		other.Leg, other.TransferLeg = 1, ledger.TransferLeg("t1", 1)
		must(t, s.AppendEntry(ctx(t), other), "leg 1 of t1")
		list, err := s.Entries(ctx(t), accU1Adm.ID)
		must(t, err, "Entries")
		equal(t, "Entries", list, []ledger.Entry{storedEntry(first), storedEntry(entry(accU1Adm.ID, 2, "t2"))})
	}},
	{"the leg guard holds across accounts", func(t *testing.T, s ledger.Store) {
		must(t, s.AppendEntry(ctx(t), entry(accU1Adm.ID, 1, "t1")), "AppendEntry")
		isDuplicate(t, s.AppendEntry(ctx(t), entry(accU3Adm.ID, 1, "t1")), "same leg on another account")
		_, err := s.Entry(ctx(t), accU3Adm.ID, 1)
		isNotFound(t, err, "the refused entry")
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		must(t, s.AppendEntry(ctx(t), entry(accU1Adm.ID, 1, "t1")), "AppendEntry")
		_, err := s.Entry(ctx(t), accU1Adm.ID, 2)
		isNotFound(t, err, "Entry(2)")
		_, err = s.Entry(ctx(t), accU3Adm.ID, 1)
		isNotFound(t, err, "Entry of another account")
		_, err = s.EntryByTransferLeg(ctx(t), "t1#1")
		isNotFound(t, err, "EntryByTransferLeg")
		list, err := s.Entries(ctx(t), accU3Adm.ID)
		if err != nil || len(list) != 0 {
			t.Errorf("Entries of an account without any = %v, %v; want none", list, err)
		}
	}},
	{"journals in sequence order", func(t *testing.T, s ledger.Store) {
		// Appended out of order, across accounts; seq 10 sorts after 9
		// because the ID is zero padded.
		for _, e := range []ledger.Entry{entry(accU3Adm.ID, 2, "b2"), entry(accU1Adm.ID, 10, "a10"), entry(accU1Adm.ID, 1, "a1"),
			entry(accU3Adm.ID, 1, "b1"), entry(accU1Adm.ID, 9, "a9"), entry(accU1Adm.ID, 2, "a2")} {
			must(t, s.AppendEntry(ctx(t), e), "AppendEntry "+e.ID)
		}
		got, err := s.Entries(ctx(t), accU1Adm.ID)
		must(t, err, "Entries")
		equal(t, "Entries", got, []ledger.Entry{storedEntry(entry(accU1Adm.ID, 1, "a1")), storedEntry(entry(accU1Adm.ID, 2, "a2")),
			storedEntry(entry(accU1Adm.ID, 9, "a9")), storedEntry(entry(accU1Adm.ID, 10, "a10"))})
		all, err := s.AllEntries(ctx(t))
		must(t, err, "AllEntries")
		var seen []string
		for _, e := range all {
			seen = append(seen, e.ID)
		}
		equal(t, "AllEntries, by account and sequence", seen, []string{
			ledger.EntryID(accU1Adm.ID, 1), ledger.EntryID(accU1Adm.ID, 2), ledger.EntryID(accU1Adm.ID, 9), ledger.EntryID(accU1Adm.ID, 10),
			ledger.EntryID(accU3Adm.ID, 1), ledger.EntryID(accU3Adm.ID, 2)})
	}},
	{"racing writers: one wins the sequence number", func(t *testing.T, s ledger.Store) {
		const writers = 8
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() { errs[i] = s.AppendEntry(ctx(t), entry(accU1Adm.ID, 1, fmt.Sprintf("t%d", i))) })
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won < 0:
				won = i
			case err == nil:
				t.Errorf("writers %d and %d both appended seq 1", won, i)
			default:
				isDuplicate(t, err, fmt.Sprintf("writer %d", i))
			}
		}
		if won < 0 {
			t.Fatal("no writer appended seq 1")
		}
		got, _ := s.Entry(ctx(t), accU1Adm.ID, 1)
		equal(t, "the winner's entry", got, storedEntry(entry(accU1Adm.ID, 1, fmt.Sprintf("t%d", won))))
	}},
	{"a fence claims the first leg", func(t *testing.T, s ledger.Store) {
		must(t, s.AppendEntry(ctx(t), entry(accU1Adm.ID, 1, "t0")), "AppendEntry t0")
		fence := ledger.Fence("t1", "recovery", t0)
		must(t, s.AppendEntry(ctx(t), fence), "AppendEntry fence")
		got, err := s.EntryByTransferLeg(ctx(t), ledger.TransferLeg("t1", 0))
		must(t, err, "EntryByTransferLeg of the fenced leg")
		equal(t, "the fence", got, storedEntry(fence))
		if !got.IsFence() {
			t.Errorf("EntryByTransferLeg = %+v, want the fence", got)
		}
		// The fenced transfer's first leg can no longer be applied, at any
		// sequence number, and a second recovery's fence is a duplicate.
		isDuplicate(t, s.AppendEntry(ctx(t), entry(accU1Adm.ID, 2, "t1")), "the fenced leg")
		isDuplicate(t, s.AppendEntry(ctx(t), ledger.Fence("t1", "another recovery", at(time.Minute))), "a second fence")
		_, err = s.Entry(ctx(t), accU1Adm.ID, 2)
		isNotFound(t, err, "seq 2 after the refused leg")
		// Fences belong to no journal.
		all, err := s.AllEntries(ctx(t))
		must(t, err, "AllEntries")
		equal(t, "AllEntries leaves out the fence", all, []ledger.Entry{storedEntry(entry(accU1Adm.ID, 1, "t0"))})
		none, err := s.Entries(ctx(t), "")
		if err != nil || len(none) != 0 {
			t.Errorf("Entries of the empty account = %v, %v; want none", none, err)
		}
		list, _ := s.Entries(ctx(t), accU1Adm.ID)
		equal(t, "Entries", list, []ledger.Entry{storedEntry(entry(accU1Adm.ID, 1, "t0"))})
		// Another leg of the fenced transfer, and fences of other transfers, are free.
		other := entry(accU3Adm.ID, 1, "t1")
		other.Leg, other.TransferLeg = 1, ledger.TransferLeg("t1", 1)
		must(t, s.AppendEntry(ctx(t), other), "leg 1 of the fenced transfer")
		must(t, s.AppendEntry(ctx(t), ledger.Fence("t2", "recovery", t0)), "the fence of t2")
		all, _ = s.AllEntries(ctx(t))
		equal(t, "AllEntries with two fences", ids(all, func(e ledger.Entry) string { return e.ID }),
			[]string{ledger.EntryID(accU1Adm.ID, 1), ledger.EntryID(accU3Adm.ID, 1)})
	}},
	{"an applied leg refuses the fence", func(t *testing.T, s ledger.Store) {
		applied := entry(accU1Adm.ID, 1, "t1")
		must(t, s.AppendEntry(ctx(t), applied), "AppendEntry")
		isDuplicate(t, s.AppendEntry(ctx(t), ledger.Fence("t1", "recovery", t0)), "the fence of an applied leg")
		got, err := s.EntryByTransferLeg(ctx(t), ledger.TransferLeg("t1", 0))
		must(t, err, "EntryByTransferLeg")
		equal(t, "the applied entry stays", got, storedEntry(applied))
	}},
	{"racing fence and entry: one wins the leg", func(t *testing.T, s ledger.Store) {
		const transfers = 16
		var wg sync.WaitGroup
		fenceErrs, entryErrs := make([]error, transfers), make([]error, transfers)
		for i := range transfers {
			tid := fmt.Sprintf("t%02d", i)
			wg.Go(func() { fenceErrs[i] = s.AppendEntry(ctx(t), ledger.Fence(tid, "recovery", t0)) })
			// Each transfer on its own account, so only the leg is contested.
			wg.Go(func() {
				entryErrs[i] = s.AppendEntry(ctx(t), entry(ledger.UnitAccount(tid, ledger.KindAdministrative), 1, tid))
			})
		}
		wg.Wait()
		for i := range transfers {
			tid := fmt.Sprintf("t%02d", i)
			got, err := s.EntryByTransferLeg(ctx(t), ledger.TransferLeg(tid, 0))
			must(t, err, "EntryByTransferLeg "+tid)
			switch {
			case fenceErrs[i] == nil && entryErrs[i] == nil:
				t.Errorf("%s: both the fence and the entry went in", tid)
			case fenceErrs[i] == nil:
				isDuplicate(t, entryErrs[i], tid+": the entry after the fence")
				equal(t, tid+": the fence holds the leg", got, storedEntry(ledger.Fence(tid, "recovery", t0)))
				_, err := s.Entry(ctx(t), ledger.UnitAccount(tid, ledger.KindAdministrative), 1)
				isNotFound(t, err, tid+": the fenced entry")
			case entryErrs[i] == nil:
				isDuplicate(t, fenceErrs[i], tid+": the fence after the entry")
				equal(t, tid+": the entry holds the leg", got, storedEntry(entry(ledger.UnitAccount(tid, ledger.KindAdministrative), 1, tid)))
			default:
				t.Errorf("%s: neither went in: fence %v, entry %v", tid, fenceErrs[i], entryErrs[i])
			}
		}
	}},
	{"entries are copies", func(t *testing.T, s ledger.Store) {
		e := entry(accU1Adm.ID, 1, "t1")
		e.Incumbents = []string{"A", "B"}
		must(t, s.AppendEntry(ctx(t), e), "AppendEntry")
		want := storedEntry(e)
		want.Incumbents = []string{"A", "B"}
		e.Incumbents[0] = "changed after the append"
		got, _ := s.Entry(ctx(t), accU1Adm.ID, 1)
		got.Incumbents[1] = "changed after the read"
		list, _ := s.Entries(ctx(t), accU1Adm.ID)
		list[0].Incumbents[0], list[0].Balance.Approved = "changed in a list", 1000
		all, _ := s.AllEntries(ctx(t))
		all[0].Incumbents[0] = "changed in the journal"
		byLeg, _ := s.EntryByTransferLeg(ctx(t), e.TransferLeg)
		byLeg.Incumbents[0] = "changed by leg"
		got, _ = s.Entry(ctx(t), accU1Adm.ID, 1)
		equal(t, "Entry after changing copies", got, want)
	}},
}

func transfer(id string, st ledger.TransferState, created time.Time) ledger.Transfer {
	return ledger.Transfer{ID: id, Kind: ledger.TransferMoveUnit,
		Legs:   []ledger.Leg{{Account: accU1Adm.ID, Delta: ledger.Delta{Approved: -2}}, {Account: accU3Adm.ID, Delta: ledger.Delta{Approved: 2}}},
		Reason: "调整", DocNo: "晋编〔2026〕3号", Actor: "city-1", Fingerprint: "fp-" + id, State: st, CreatedAt: created, UpdatedAt: created}
}

func storedTransfer(tr ledger.Transfer) ledger.Transfer {
	tr.CreatedAt, tr.UpdatedAt = stored(tr.CreatedAt), stored(tr.UpdatedAt)
	return tr
}

var redLine = &ledger.Error{Code: "quota_exhausted", Message: "编制已满", Detail: "no vacancy", Field: "amount",
	Balance: &ledger.Balance{Approved: 3, Held: 1, Occupied: 2}}

var transferTests = []test{
	{"insert and read back", func(t *testing.T, s ledger.Store) {
		tr := transfer("t1", ledger.StatePending, t0)
		tr.UpdatedAt = at(time.Minute)
		must(t, s.InsertTransfer(ctx(t), tr), "InsertTransfer")
		got, err := s.Transfer(ctx(t), "t1")
		must(t, err, "Transfer")
		equal(t, "Transfer", got, storedTransfer(tr))
		rejected := transfer("t2", ledger.StateRejected, t0)
		rejected.Failure = redLine
		must(t, s.InsertTransfer(ctx(t), rejected), "InsertTransfer rejected")
		got, _ = s.Transfer(ctx(t), "t2")
		equal(t, "Transfer with failure", got, storedTransfer(rejected))
	}},
	{"duplicate id", func(t *testing.T, s ledger.Store) {
		must(t, s.InsertTransfer(ctx(t), transfer("t1", ledger.StatePending, t0)), "InsertTransfer")
		retry := transfer("t1", ledger.StatePending, at(time.Hour))
		retry.Fingerprint = "another request"
		isDuplicate(t, s.InsertTransfer(ctx(t), retry), "second InsertTransfer")
		got, _ := s.Transfer(ctx(t), "t1")
		equal(t, "the first claim stays", got, storedTransfer(transfer("t1", ledger.StatePending, t0)))
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.Transfer(ctx(t), "t1")
		isNotFound(t, err, "Transfer")
	}},
	{"set state", func(t *testing.T, s ledger.Store) {
		tr := transfer("t1", ledger.StatePending, t0)
		must(t, s.InsertTransfer(ctx(t), tr), "InsertTransfer")
		before := time.Now()
		must(t, s.SetTransferState(ctx(t), "t1", ledger.StatePosted, nil), "SetTransferState posted")
		after := time.Now()
		got, err := s.Transfer(ctx(t), "t1")
		must(t, err, "Transfer")
		if got.UpdatedAt.Before(stored(before)) || got.UpdatedAt.After(after) || got.UpdatedAt != stored(got.UpdatedAt) {
			t.Errorf("UpdatedAt %v, want the time of the update (between %v and %v) in ms, UTC", got.UpdatedAt, before, after)
		}
		want := storedTransfer(tr)
		want.State, want.UpdatedAt = ledger.StatePosted, got.UpdatedAt
		equal(t, "posted", got, want)

		must(t, s.SetTransferState(ctx(t), "t1", ledger.StateRejected, redLine), "SetTransferState rejected")
		got, _ = s.Transfer(ctx(t), "t1")
		want.State, want.Failure, want.UpdatedAt = ledger.StateRejected, redLine, got.UpdatedAt
		equal(t, "rejected with its failure", got, want)

		// Recovery repeating an outcome without a failure keeps the stored one.
		must(t, s.SetTransferState(ctx(t), "t1", ledger.StateRejected, nil), "SetTransferState again")
		got, _ = s.Transfer(ctx(t), "t1")
		want.UpdatedAt = got.UpdatedAt
		equal(t, "rejected again", got, want)
	}},
	{"set state of a missing transfer is silent and creates nothing", func(t *testing.T, s ledger.Store) {
		must(t, s.SetTransferState(ctx(t), "t1", ledger.StatePosted, nil), "SetTransferState")
		_, err := s.Transfer(ctx(t), "t1")
		isNotFound(t, err, "Transfer")
	}},
	{"pending before a time", func(t *testing.T, s ledger.Store) {
		for _, tr := range []ledger.Transfer{
			transfer("old", ledger.StatePending, t0),
			transfer("at-the-limit", ledger.StatePending, at(time.Second)),
			transfer("new", ledger.StatePending, at(time.Minute)),
			transfer("posted", ledger.StatePosted, t0),
			transfer("rejected", ledger.StateRejected, t0),
			transfer("settled-later", ledger.StatePending, t0),
		} {
			must(t, s.InsertTransfer(ctx(t), tr), "InsertTransfer "+tr.ID)
		}
		must(t, s.SetTransferState(ctx(t), "settled-later", ledger.StatePosted, nil), "SetTransferState")
		got, err := s.PendingTransfers(ctx(t), at(time.Second))
		must(t, err, "PendingTransfers")
		equal(t, "pending before t0+1s (created at the limit excluded)", ids(got, func(tr ledger.Transfer) string { return tr.ID }), []string{"old"})
		if len(got) == 1 {
			equal(t, "the pending transfer", got[0], storedTransfer(transfer("old", ledger.StatePending, t0)))
		}
		got, _ = s.PendingTransfers(ctx(t), at(time.Second+time.Millisecond))
		equal(t, "pending before t0+1.001s", ids(got, func(tr ledger.Transfer) string { return tr.ID }), []string{"at-the-limit", "old"})
		got, _ = s.PendingTransfers(ctx(t), t0.Add(-time.Hour))
		if len(got) != 0 {
			t.Errorf("PendingTransfers before everything = %v", got)
		}
	}},
	{"all transfers", func(t *testing.T, s ledger.Store) {
		rejected := transfer("t3", ledger.StateRejected, at(time.Minute))
		rejected.Failure = redLine
		want := []ledger.Transfer{transfer("t2", ledger.StatePending, t0), transfer("t1", ledger.StatePosted, at(time.Hour)), rejected}
		for _, tr := range want {
			must(t, s.InsertTransfer(ctx(t), tr), "InsertTransfer "+tr.ID)
		}
		got, err := s.AllTransfers(ctx(t))
		must(t, err, "AllTransfers")
		byID := func(tr ledger.Transfer) string { return tr.ID }
		equal(t, "AllTransfers", sortedBy(got, byID),
			[]ledger.Transfer{storedTransfer(want[1]), storedTransfer(want[0]), storedTransfer(want[2])})
		got[0].Legs[0].Delta.Approved = 1000
		again, _ := s.Transfer(ctx(t), got[0].ID)
		if again.Legs[0].Delta.Approved == 1000 {
			t.Error("changing the list changed the store")
		}
	}},
	{"times compare at millisecond precision", func(t *testing.T, s ledger.Store) {
		ms := t0.Truncate(time.Millisecond)
		must(t, s.InsertTransfer(ctx(t), transfer("t1", ledger.StatePending, ms.Add(300*time.Microsecond))), "InsertTransfer")
		got, err := s.PendingTransfers(ctx(t), ms.Add(600*time.Microsecond))
		must(t, err, "PendingTransfers")
		if len(got) != 0 {
			t.Errorf("a transfer created in the same millisecond as the limit is before it: %v", got)
		}
		got, _ = s.PendingTransfers(ctx(t), ms.Add(time.Millisecond))
		if len(got) != 1 || got[0].CreatedAt != ms.UTC() {
			t.Errorf("PendingTransfers of the next millisecond = %v, want t1 created at %v", got, ms.UTC())
		}
	}},
	{"transfers are copies", func(t *testing.T, s ledger.Store) {
		tr := transfer("t1", ledger.StateRejected, t0)
		tr.Legs = append([]ledger.Leg(nil), tr.Legs...)
		failure := *redLine
		balance := *redLine.Balance
		failure.Balance = &balance
		tr.Failure = &failure
		must(t, s.InsertTransfer(ctx(t), tr), "InsertTransfer")
		tr.Legs[0].Delta.Approved, tr.Failure.Code, tr.Failure.Balance.Held = 100, "changed", 100
		got, _ := s.Transfer(ctx(t), "t1")
		got.Legs[1].Account, got.Failure.Balance.Occupied = "changed", 100
		must(t, s.SetTransferState(ctx(t), "t1", ledger.StatePending, &failure), "SetTransferState")
		failure.Message, balance.Approved = "changed after the update", 100
		pending, _ := s.PendingTransfers(ctx(t), at(time.Hour))
		pending[0].Legs[0].Delta.Held, pending[0].Failure.Balance.Held = 7, 7
		got, _ = s.Transfer(ctx(t), "t1")
		want := storedTransfer(transfer("t1", ledger.StatePending, t0))
		want.Failure = &ledger.Error{Code: "changed", Message: redLine.Message, Detail: redLine.Detail, Field: redLine.Field,
			Balance: &ledger.Balance{Approved: 3, Held: 100, Occupied: 2}}
		want.UpdatedAt = got.UpdatedAt
		equal(t, "Transfer after changing copies", got, want)
	}},
}
