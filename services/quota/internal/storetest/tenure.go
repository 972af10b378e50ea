package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// op returns op number seq of tenure tn: an exit, recorded at created.
func op(tn string, seq int64, created time.Time) ledger.TenureOp {
	return ledger.TenureOp{ID: ledger.TenureOpID(tn, seq), Tenure: tn, Seq: seq, IDNumber: "A", Kind: ledger.OpExit,
		From: accU1Adm.ID, TransferID: ledger.ExitTransferID(tn), Ref: "x-req-1", ExitReason: ledger.ExitRetirement,
		ExitDate: at(48 * time.Hour), DocNo: "退〔2026〕2号", Actor: "hr-1", At: created}
}

func storedOp(o ledger.TenureOp) ledger.TenureOp {
	o.ExitDate, o.At = stored(o.ExitDate), stored(o.At)
	return o
}

func byOpID(o ledger.TenureOp) string { return o.ID }

func readOp(t *testing.T, s ledger.Store, tn string, seq int64) ledger.TenureOp {
	t.Helper()
	o, err := s.TenureOp(ctx(t), tn, seq)
	must(t, err, fmt.Sprintf("TenureOp %s %d", tn, seq))
	return o
}

var tenureOpTests = []test{
	{"insert and read back", func(t *testing.T, s ledger.Store) {
		exit := op("tn-1", 2, t0)
		must(t, s.InsertTenureOp(ctx(t), exit), "InsertTenureOp exit")
		equal(t, "exit op", readOp(t, s, "tn-1", 2), storedOp(exit))
		move := ledger.TenureOp{Tenure: "tn-1", Seq: 1, IDNumber: "A", Kind: ledger.OpMove, From: accU1Adm.ID, To: accU3Adm.ID,
			Unit: "u3", TransferID: "m1-administrative", Ref: "m1#people", DocNo: "并编〔2026〕12号", Actor: "city-1", Done: true, At: at(time.Second)}
		// The store keys an op by its tenure and number, whatever ID it carries.
		must(t, s.InsertTenureOp(ctx(t), move), "InsertTenureOp move without an ID")
		want := storedOp(move)
		want.ID = ledger.TenureOpID("tn-1", 1)
		equal(t, "move op", readOp(t, s, "tn-1", 1), want)
	}},
	{"a taken number is a duplicate", func(t *testing.T, s ledger.Store) {
		first := op("tn-1", 1, t0)
		must(t, s.InsertTenureOp(ctx(t), first), "InsertTenureOp")
		other := op("tn-1", 1, at(time.Minute))
		other.Kind, other.To, other.Ref = ledger.OpMove, accU3Adm.ID, "m1#people"
		isDuplicate(t, s.InsertTenureOp(ctx(t), other), "second op 1 of tn-1")
		other.ID = "some other id"
		isDuplicate(t, s.InsertTenureOp(ctx(t), other), "second op 1 of tn-1 under another ID")
		equal(t, "the first op stays", readOp(t, s, "tn-1", 1), storedOp(first))
		must(t, s.InsertTenureOp(ctx(t), op("tn-1", 2, t0)), "op 2 of tn-1")
		must(t, s.InsertTenureOp(ctx(t), op("tn-2", 1, t0)), "op 1 of another tenure")
	}},
	{"racing writers: one takes the next op", func(t *testing.T, s ledger.Store) {
		const writers = 8
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() {
				o := op("tn-1", 1, t0)
				o.Ref = fmt.Sprintf("x-req-%d", i)
				errs[i] = s.InsertTenureOp(ctx(t), o)
			})
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won < 0:
				won = i
			case err == nil:
				t.Errorf("writers %d and %d both inserted op 1", won, i)
			default:
				isDuplicate(t, err, fmt.Sprintf("writer %d", i))
			}
		}
		if won < 0 {
			t.Fatal("no writer inserted op 1")
		}
		equal(t, "the winner's op", readOp(t, s, "tn-1", 1).Ref, fmt.Sprintf("x-req-%d", won))
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		must(t, s.InsertTenureOp(ctx(t), op("tn-1", 1, t0)), "InsertTenureOp")
		_, err := s.TenureOp(ctx(t), "tn-1", 2)
		isNotFound(t, err, "TenureOp 2")
		_, err = s.TenureOp(ctx(t), "tn-2", 1)
		isNotFound(t, err, "TenureOp of another tenure")
		must(t, s.SetTenureOpDone(ctx(t), ledger.TenureOpID("tn-1", 2)), "SetTenureOpDone of a missing op")
		_, err = s.TenureOp(ctx(t), "tn-1", 2)
		isNotFound(t, err, "TenureOp 2 after its done")
	}},
	{"open ops before a time, and done", func(t *testing.T, s ledger.Store) {
		doneAtInsert := op("tn-5", 1, t0)
		doneAtInsert.Done = true
		for _, o := range []ledger.TenureOp{op("tn-1", 1, t0), op("tn-2", 1, at(time.Second)), op("tn-3", 1, at(time.Minute)),
			op("tn-4", 1, t0), doneAtInsert, op("tn-1", 2, t0)} {
			must(t, s.InsertTenureOp(ctx(t), o), "InsertTenureOp "+o.ID)
		}
		must(t, s.SetTenureOpDone(ctx(t), ledger.TenureOpID("tn-4", 1)), "SetTenureOpDone")
		got, err := s.OpenTenureOps(ctx(t), at(time.Second))
		must(t, err, "OpenTenureOps")
		equal(t, "open before t0+1s (recorded at the limit excluded)", sortedBy(got, byOpID),
			[]ledger.TenureOp{storedOp(op("tn-1", 1, t0)), storedOp(op("tn-1", 2, t0))})
		got, _ = s.OpenTenureOps(ctx(t), at(time.Second+time.Millisecond))
		equal(t, "open before t0+1.001s", ids(got, byOpID),
			[]string{ledger.TenureOpID("tn-1", 1), ledger.TenureOpID("tn-1", 2), ledger.TenureOpID("tn-2", 1)})
		done := storedOp(op("tn-4", 1, t0))
		done.Done = true
		equal(t, "a done op keeps the rest", readOp(t, s, "tn-4", 1), done)
		must(t, s.SetTenureOpDone(ctx(t), ledger.TenureOpID("tn-1", 1)), "SetTenureOpDone tn-1 1")
		must(t, s.SetTenureOpDone(ctx(t), ledger.TenureOpID("tn-1", 1)), "SetTenureOpDone tn-1 1 again")
		got, _ = s.OpenTenureOps(ctx(t), at(time.Hour))
		equal(t, "open before t0+1h", ids(got, byOpID),
			[]string{ledger.TenureOpID("tn-1", 2), ledger.TenureOpID("tn-2", 1), ledger.TenureOpID("tn-3", 1)})
		got, _ = s.OpenTenureOps(ctx(t), t0.Add(-time.Hour))
		if len(got) != 0 {
			t.Errorf("OpenTenureOps before everything = %v", got)
		}
	}},
}

func exitRequest(id, tn string) ledger.ExitRequestRecord {
	return ledger.ExitRequestRecord{ID: id, IDNumber: "A", Tenure: tn, Fingerprint: "fp-" + id, At: t0}
}

func storedExitRequest(r ledger.ExitRequestRecord) ledger.ExitRequestRecord {
	r.At = stored(r.At)
	return r
}

var exitRequestTests = []test{
	{"insert and read back", func(t *testing.T, s ledger.Store) {
		r := exitRequest("x-1", "tn-1")
		must(t, s.InsertExitRequest(ctx(t), r), "InsertExitRequest")
		got, err := s.ExitRequest(ctx(t), "x-1")
		must(t, err, "ExitRequest")
		equal(t, "ExitRequest", got, storedExitRequest(r))
	}},
	{"a request made before is a duplicate", func(t *testing.T, s ledger.Store) {
		must(t, s.InsertExitRequest(ctx(t), exitRequest("x-1", "tn-1")), "InsertExitRequest")
		// A retry after the person was hired again names the later tenure:
		// the first binding stays.
		isDuplicate(t, s.InsertExitRequest(ctx(t), exitRequest("x-1", "tn-2")), "second InsertExitRequest")
		got, _ := s.ExitRequest(ctx(t), "x-1")
		equal(t, "the first binding stays", got, storedExitRequest(exitRequest("x-1", "tn-1")))
		must(t, s.InsertExitRequest(ctx(t), exitRequest("x-2", "tn-1")), "another request for the same tenure")
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.ExitRequest(ctx(t), "x-1")
		isNotFound(t, err, "ExitRequest")
	}},
}
