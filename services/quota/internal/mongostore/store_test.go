package mongostore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/mongostore"
)

func newStore(t *testing.T) *mongostore.Store {
	t.Helper()
	s := mongostore.New(testkit.Mongo(t))
	if err := s.EnsureIndexes(context.Background()); err != nil {
		t.Fatalf("EnsureIndexes: %v", err)
	}
	return s
}

// TestStoreGuards proves the unique keys the ledger's correctness rests on
// are enforced by the embedded store: an entry's _id (the sequence CAS), its
// transferLeg (a leg applied once), and an incumbent's ID number.
func TestStoreGuards(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	acc := ledger.UnitAccount("u1", ledger.KindAdministrative)
	a := ledger.Entry{ID: ledger.EntryID(acc, 1), Account: acc, Seq: 1, TransferID: "t1", TransferLeg: "t1#0", Kind: ledger.TransferApprove,
		Delta: ledger.Delta{Approved: 5}, Balance: ledger.Balance{Approved: 5}, At: time.Now()}
	if err := s.AppendEntry(ctx, a); err != nil {
		t.Fatalf("first append: %v", err)
	}
	sameSeq := a
	sameSeq.TransferID, sameSeq.TransferLeg = "t2", "t2#0"
	if err := s.AppendEntry(ctx, sameSeq); !errors.Is(err, ledger.ErrDuplicate) {
		t.Fatalf("second writer for seq 1: %v, want ErrDuplicate", err)
	}
	sameLeg := a
	sameLeg.ID, sameLeg.Seq = ledger.EntryID(acc, 2), 2
	if err := s.AppendEntry(ctx, sameLeg); !errors.Is(err, ledger.ErrDuplicate) {
		t.Fatalf("same leg at seq 2: %v, want ErrDuplicate", err)
	}
	got, err := s.Entry(ctx, acc, 1)
	if err != nil || got.Balance != a.Balance || got.TransferLeg != "t1#0" {
		t.Fatalf("Entry = %+v, %v", got, err)
	}
	if _, err := s.Entry(ctx, acc, 2); !errors.Is(err, ledger.ErrNotFound) {
		t.Fatalf("Entry(2) = %v, want ErrNotFound", err)
	}
	if e, err := s.EntryByTransferLeg(ctx, "t1#0"); err != nil || e.Seq != 1 {
		t.Fatalf("EntryByTransferLeg = %+v, %v", e, err)
	}

	people := []ledger.IncumbentRecord{
		{Incumbent: ledger.Incumbent{IDNumber: "A", Unit: "u1", State: ledger.IncumbentPending}},
		{Incumbent: ledger.Incumbent{IDNumber: "B", Unit: "u1", State: ledger.IncumbentPending}},
	}
	if dup, err := s.InsertIncumbents(ctx, people); err != nil || len(dup) != 0 {
		t.Fatalf("InsertIncumbents = %v, %v", dup, err)
	}
	people = append(people, ledger.IncumbentRecord{Incumbent: ledger.Incumbent{IDNumber: "C", Unit: "u2"}})
	dup, err := s.InsertIncumbents(ctx, people[1:])
	if err != nil || len(dup) != 1 || dup[0] != 0 {
		t.Fatalf("re-insert B and new C: dup %v err %v, want [0]", dup, err)
	}
	if err := s.InsertBatch(ctx, ledger.HireBatch{ID: "b1", State: ledger.BatchOpen, People: []string{"A", "C"}, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if open, err := s.OpenBatches(ctx, time.Now().Add(time.Second)); err != nil || len(open) != 1 {
		t.Fatalf("OpenBatches = %v, %v", open, err)
	}
	if err := s.CommitBatch(ctx, "b1", []string{"C"}); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Batch(ctx, "b1"); err != nil || !b.Holds("C") || b.Holds("A") {
		t.Fatalf("committed batch = %+v, %v", b, err)
	}
	if open, _ := s.OpenBatches(ctx, time.Now().Add(time.Second)); len(open) != 0 {
		t.Fatalf("a committed batch is still open: %v", open)
	}

	slots := []ledger.Slot{{ID: ledger.SlotID("h", 1), Hold: "h", Use: "hire"}, {ID: ledger.SlotID("h", 2), Hold: "h", Use: "hire"}}
	if c, err := s.ClaimSlots(ctx, slots[:1]); err != nil || len(c) != 1 {
		t.Fatalf("claim 1: %v %v", c, err)
	}
	if c, err := s.ClaimSlots(ctx, slots); err != nil || len(c) != 1 || c[0] != slots[1].ID {
		t.Fatalf("claim both: %v %v, want only slot 2", c, err)
	}

	if err := s.Block(ctx, "dept", "c1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Block(ctx, "dept", "c2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Unblock(ctx, "dept", "c1"); err != nil {
		t.Fatal(err)
	}
	b, err := s.Blocks(ctx, "u1", "dept")
	if err != nil || len(b["dept"]) != 1 || b["dept"][0] != "c2" {
		t.Fatalf("Blocks = %v, %v", b, err)
	}
	if err := s.Unblock(ctx, "dept", "c2"); err != nil {
		t.Fatal(err)
	}
	if err := ledger.CheckNotBlocked(mustBlocks(t, s, "dept"), "u1", "dept"); err != nil {
		t.Fatalf("still blocked after closing: %v", err)
	}
}

func mustBlocks(t *testing.T, s *mongostore.Store, subjects ...string) ledger.Blocks {
	t.Helper()
	b, err := s.Blocks(context.Background(), subjects...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
