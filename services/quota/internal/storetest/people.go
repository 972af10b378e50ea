package storetest

import (
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// person returns a full record of a person on a post of u1's
// administrative account, hired by request req in batch b1.
func person(id, req string, st ledger.IncumbentState) ledger.IncumbentRecord {
	return ledger.IncumbentRecord{Incumbent: ledger.Incumbent{IDNumber: id, Name: "张三" + id, Gender: ledger.GenderMale,
		BirthDate: time.Date(1965, 7, 1, 0, 0, 0, 0, ledger.China), Account: accU1Adm.ID, Unit: "u1", Channel: ledger.ChannelExam,
		EntryDate: at(-24 * time.Hour), DocNo: "录〔2026〕1号", State: st, TransferID: "b1", HoldID: "h1", UpdatedAt: t0},
		RequestID: req, Fingerprint: "fp-" + req, Result: "hired"}
}

func storedPerson(r ledger.IncumbentRecord) ledger.IncumbentRecord {
	r.BirthDate, r.EntryDate, r.ExitDate, r.UpdatedAt = stored(r.BirthDate), stored(r.EntryDate), stored(r.ExitDate), stored(r.UpdatedAt)
	return r
}

// exited is r after its exit by transfer exitID.
func exited(r ledger.IncumbentRecord, exitID string) ledger.IncumbentRecord {
	r.State, r.TransferID, r.ExitReason, r.ExitDate, r.UpdatedAt = ledger.IncumbentExited, exitID, ledger.ExitRetirement, at(48*time.Hour), at(48*time.Hour)
	return r
}

func insertPeople(t *testing.T, s ledger.Store, people ...ledger.IncumbentRecord) {
	t.Helper()
	dup, err := s.InsertIncumbents(ctx(t), people)
	if err != nil || len(dup) != 0 {
		t.Fatalf("InsertIncumbents = %v, %v; want no duplicates", dup, err)
	}
}

func readPerson(t *testing.T, s ledger.Store, id string) ledger.IncumbentRecord {
	t.Helper()
	r, err := s.Incumbent(ctx(t), id)
	must(t, err, "Incumbent "+id)
	return r
}

func byIDNumber(r ledger.IncumbentRecord) string { return r.IDNumber }

// updated calls UpdateIncumbent and fails the test unless it answers want
// without an error.
func updated(t *testing.T, s ledger.Store, r ledger.IncumbentRecord, want bool, what string) {
	t.Helper()
	ok, err := s.UpdateIncumbent(ctx(t), r)
	if err != nil || ok != want {
		t.Errorf("%s = %v, %v; want %v, no error", what, ok, err, want)
	}
}

var incumbentTests = []test{
	{"insert and read back", func(t *testing.T, s ledger.Store) {
		a := person("A", "r1", ledger.IncumbentPending)
		b := exited(person("B", "r2", ledger.IncumbentActive), "x1")
		b.Result, b.OpSeq = "", 3
		insertPeople(t, s, a, b)
		equal(t, "Incumbent A", readPerson(t, s, "A"), storedPerson(a))
		equal(t, "Incumbent B", readPerson(t, s, "B"), storedPerson(b))
	}},
	{"unordered insert reports exactly the duplicates", func(t *testing.T, s ledger.Store) {
		a, b := person("A", "r1", ledger.IncumbentActive), person("B", "r1", ledger.IncumbentActive)
		insertPeople(t, s, a, b)
		again := func(id string) ledger.IncumbentRecord { return person(id, "r2", ledger.IncumbentPending) }
		dup, err := s.InsertIncumbents(ctx(t), []ledger.IncumbentRecord{again("B"), again("C"), again("A"), again("D"), again("C")})
		must(t, err, "InsertIncumbents")
		equal(t, "duplicate rows", dup, []int{0, 2, 4})
		equal(t, "A keeps its first record", readPerson(t, s, "A"), storedPerson(a))
		equal(t, "B keeps its first record", readPerson(t, s, "B"), storedPerson(b))
		equal(t, "C, the first of the call", readPerson(t, s, "C"), storedPerson(again("C")))
		equal(t, "D, after a refused row", readPerson(t, s, "D"), storedPerson(again("D")))
		dup, err = s.InsertIncumbents(ctx(t), []ledger.IncumbentRecord{again("A"), again("B")})
		must(t, err, "InsertIncumbents all taken")
		equal(t, "all rows refused", dup, []int{0, 1})
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.Incumbent(ctx(t), "A")
		isNotFound(t, err, "Incumbent")
		r := person("A", "r1", ledger.IncumbentActive)
		r.OpSeq = 1
		updated(t, s, r, false, "UpdateIncumbent of nobody")
		_, err = s.Incumbent(ctx(t), "A")
		isNotFound(t, err, "Incumbent after the update of nobody")
		must(t, s.DeletePending(ctx(t), "b1", []string{"A"}), "DeletePending of nobody")
	}},
	{"update the same tenure at a later op", func(t *testing.T, s ledger.Store) {
		insertPeople(t, s, person("A", "r1", ledger.IncumbentPending), person("B", "r1", ledger.IncumbentPending))
		active := person("A", "r1", ledger.IncumbentActive)
		active.Name, active.UpdatedAt, active.OpSeq = "李四", at(time.Hour), 1
		updated(t, s, active, true, "UpdateIncumbent to op 1")
		equal(t, "updated", readPerson(t, s, "A"), storedPerson(active))
		moved := active
		moved.Account, moved.Unit, moved.TransferID, moved.OpSeq = accU3Adm.ID, "u3", "m1", 3
		updated(t, s, moved, true, "UpdateIncumbent to op 3, skipping 2")
		equal(t, "moved", readPerson(t, s, "A"), storedPerson(moved))
		equal(t, "B untouched", readPerson(t, s, "B"), storedPerson(person("B", "r1", ledger.IncumbentPending)))
	}},
	{"update refuses another tenure and an op not later", func(t *testing.T, s ledger.Store) {
		on := person("A", "r1", ledger.IncumbentActive)
		on.OpSeq = 2
		insertPeople(t, s, on)
		change := func(req string, seq int64) ledger.IncumbentRecord {
			r := exited(person("A", req, ledger.IncumbentActive), "x9")
			r.OpSeq = seq
			return r
		}
		// A late writer: another tenure of the person (a later hire under
		// another request), or an op the record already reflects or passed.
		updated(t, s, change("r2", 3), false, "UpdateIncumbent of another tenure")
		updated(t, s, change("", 3), false, "UpdateIncumbent without a request ID")
		updated(t, s, change("r1", 2), false, "UpdateIncumbent at the same op")
		updated(t, s, change("r1", 1), false, "UpdateIncumbent at an earlier op")
		updated(t, s, change("r1", 0), false, "UpdateIncumbent at op 0")
		equal(t, "A after refused updates", readPerson(t, s, "A"), storedPerson(on))
		updated(t, s, change("r1", 3), true, "UpdateIncumbent at the next op")
		equal(t, "A after the next op", readPerson(t, s, "A"), storedPerson(change("r1", 3)))
		updated(t, s, change("r1", 3), false, "UpdateIncumbent at the next op retried")
	}},
	{"a record without a request ID is never updated", func(t *testing.T, s ledger.Store) {
		untenured := person("C", "", ledger.IncumbentActive)
		insertPeople(t, s, untenured)
		r := untenured
		r.Name, r.OpSeq = "changed", 1
		updated(t, s, r, false, "UpdateIncumbent of a record without a tenure")
		equal(t, "C", readPerson(t, s, "C"), storedPerson(untenured))
	}},
	{"delete pending people of a batch", func(t *testing.T, s ledger.Store) {
		inBatch := func(id, batch string, st ledger.IncumbentState) ledger.IncumbentRecord {
			r := person(id, "r-"+id, st)
			r.TransferID = batch
			return r
		}
		keep := []ledger.IncumbentRecord{
			inBatch("B", "b1", ledger.IncumbentPending), // not listed
			inBatch("C", "b2", ledger.IncumbentPending), // a later hire, another batch
			inBatch("D", "b1", ledger.IncumbentActive),  // past pending
			exited(inBatch("E", "b1", ledger.IncumbentActive), "b1"),
			inBatch("F", "", ledger.IncumbentPending), // no batch at all
		}
		insertPeople(t, s, append([]ledger.IncumbentRecord{inBatch("A", "b1", ledger.IncumbentPending), inBatch("G", "b1", ledger.IncumbentPending)}, keep...)...)
		must(t, s.DeletePending(ctx(t), "b1", []string{"A", "C", "D", "E", "G", "nobody"}), "DeletePending b1")
		for _, id := range []string{"A", "G"} {
			_, err := s.Incumbent(ctx(t), id)
			isNotFound(t, err, "deleted "+id)
		}
		for _, r := range keep {
			equal(t, r.IDNumber+" stays", readPerson(t, s, r.IDNumber), storedPerson(r))
		}
		must(t, s.DeletePending(ctx(t), "", []string{"F"}), "DeletePending of no batch")
		equal(t, "a record without a batch stays", readPerson(t, s, "F"), storedPerson(keep[4]))
		must(t, s.DeletePending(ctx(t), "b1", []string{}), "DeletePending of none")
		all, _ := s.AllIncumbents(ctx(t))
		equal(t, "people left", ids(all, byIDNumber), []string{"B", "C", "D", "E", "F"})
		// A deleted ID number is free again.
		insertPeople(t, s, person("A", "r2", ledger.IncumbentPending))
	}},
	{"a unit's people", func(t *testing.T, s ledger.Store) {
		other := person("X", "r9", ledger.IncumbentActive)
		other.Unit, other.Account = "u3", accU3Adm.ID
		people := []ledger.IncumbentRecord{person("C", "r1", ledger.IncumbentActive), person("A", "r1", ledger.IncumbentPending),
			exited(person("B", "r1", ledger.IncumbentActive), "x1"), other}
		insertPeople(t, s, people...)
		got, err := s.Incumbents(ctx(t), "u1")
		must(t, err, "Incumbents")
		want := []ledger.IncumbentRecord{storedPerson(people[0]), storedPerson(people[1]), storedPerson(people[2])}
		equal(t, "Incumbents u1, every state", sortedBy(got, byIDNumber), sortedBy(want, byIDNumber))
		got, _ = s.Incumbents(ctx(t), "u9")
		if len(got) != 0 {
			t.Errorf("Incumbents of a unit without people = %v", got)
		}
	}},
	{"all people, with what the checker reads", func(t *testing.T, s ledger.Store) {
		other := person("X", "r9", ledger.IncumbentActive)
		other.Unit, other.Account, other.TransferID, other.OpSeq = "u3", accU3Adm.ID, "b9", 4
		insertPeople(t, s, person("B", "r2", ledger.IncumbentActive), person("A", "r1", ledger.IncumbentPending), other)
		got, err := s.AllIncumbents(ctx(t))
		must(t, err, "AllIncumbents")
		checker := func(id string, account ledger.AccountID, st ledger.IncumbentState, batch, req string) ledger.IncumbentRecord {
			return ledger.IncumbentRecord{Incumbent: ledger.Incumbent{IDNumber: id, Account: account, State: st, TransferID: batch}, RequestID: req}
		}
		// Only these fields (not OpSeq): a checker that read more would
		// pass on the fake and fail on the real store.
		equal(t, "AllIncumbents", sortedBy(got, byIDNumber), []ledger.IncumbentRecord{
			checker("A", accU1Adm.ID, ledger.IncumbentPending, "b1", "r1"),
			checker("B", accU1Adm.ID, ledger.IncumbentActive, "b1", "r2"),
			checker("X", accU3Adm.ID, ledger.IncumbentActive, "b9", "r9"),
		})
	}},
	{"an empty insert is refused", func(t *testing.T, s ledger.Store) {
		// The driver refuses a bulk insert of nothing; callers skip it.
		if _, err := s.InsertIncumbents(ctx(t), nil); err == nil {
			t.Error("InsertIncumbents of nobody: no error")
		}
		must(t, s.DeletePending(ctx(t), "b1", nil), "DeletePending(nil)")
	}},
	{"people are copies", func(t *testing.T, s ledger.Store) {
		in := []ledger.IncumbentRecord{person("A", "r1", ledger.IncumbentActive)}
		insertPeople(t, s, in...)
		in[0].Name = "changed after the insert"
		got := readPerson(t, s, "A")
		got.Name = "changed after the read"
		list, _ := s.Incumbents(ctx(t), "u1")
		list[0].State = ledger.IncumbentExited
		all, _ := s.AllIncumbents(ctx(t))
		all[0].Account = "changed"
		equal(t, "Incumbent after changing copies", readPerson(t, s, "A"), storedPerson(person("A", "r1", ledger.IncumbentActive)))
	}},
}

var archiveTests = []test{
	{"archive an exit", func(t *testing.T, s ledger.Store) {
		insertPeople(t, s, person("A", "r1", ledger.IncumbentActive), person("B", "r1", ledger.IncumbentActive))
		out := exited(person("A", "r1", ledger.IncumbentActive), "x1")
		out.OpSeq = 1
		updated(t, s, out, true, "UpdateIncumbent exited")
		must(t, s.ArchiveIncumbent(ctx(t), out), "ArchiveIncumbent")
		_, err := s.Incumbent(ctx(t), "A")
		isNotFound(t, err, "Incumbent after the archive")
		got, err := s.ArchivedIncumbent(ctx(t), "A", "x1")
		must(t, err, "ArchivedIncumbent")
		equal(t, "ArchivedIncumbent", got, storedPerson(out))
		equal(t, "B stays", readPerson(t, s, "B"), storedPerson(person("B", "r1", ledger.IncumbentActive)))
		all, _ := s.AllIncumbents(ctx(t))
		equal(t, "AllIncumbents after the archive", ids(all, byIDNumber), []string{"B"})
		// The ID number is free for a later hire.
		insertPeople(t, s, person("A", "r2", ledger.IncumbentPending))
	}},
	{"archive is idempotent and spares a later hire", func(t *testing.T, s ledger.Store) {
		out := exited(person("A", "r1", ledger.IncumbentActive), "x1")
		insertPeople(t, s, out)
		must(t, s.ArchiveIncumbent(ctx(t), out), "ArchiveIncumbent")
		rehire := person("A", "r2", ledger.IncumbentPending)
		insertPeople(t, s, rehire)
		must(t, s.ArchiveIncumbent(ctx(t), out), "ArchiveIncumbent retried")
		equal(t, "the later hire stays", readPerson(t, s, "A"), storedPerson(rehire))
		changed := out
		changed.Name = "a retry's copy"
		must(t, s.ArchiveIncumbent(ctx(t), changed), "ArchiveIncumbent retried with another copy")
		got, _ := s.ArchivedIncumbent(ctx(t), "A", "x1")
		equal(t, "the first archived copy stays", got, storedPerson(out))
	}},
	{"archive leaves a later tenure's live record", func(t *testing.T, s ledger.Store) {
		// The person was hired again (r2) and has exited that tenure too,
		// not yet archived: a late archive of the first tenure's exit
		// must not take the second tenure's record.
		first := exited(person("A", "r1", ledger.IncumbentActive), "x1")
		second := exited(person("A", "r2", ledger.IncumbentActive), "x2")
		second.Name = "second tenure"
		insertPeople(t, s, second)
		must(t, s.ArchiveIncumbent(ctx(t), first), "ArchiveIncumbent of the first tenure")
		equal(t, "the later tenure's record stays", readPerson(t, s, "A"), storedPerson(second))
		got, err := s.ArchivedIncumbent(ctx(t), "A", "x1")
		must(t, err, "ArchivedIncumbent x1")
		equal(t, "the first tenure is archived", got, storedPerson(first))
		must(t, s.ArchiveIncumbent(ctx(t), second), "ArchiveIncumbent of the second tenure")
		_, err = s.Incumbent(ctx(t), "A")
		isNotFound(t, err, "Incumbent after the second tenure's archive")
	}},
	{"archive leaves a person still on a post", func(t *testing.T, s ledger.Store) {
		on := person("A", "r1", ledger.IncumbentActive)
		insertPeople(t, s, on)
		must(t, s.ArchiveIncumbent(ctx(t), exited(on, "x1")), "ArchiveIncumbent")
		equal(t, "the live record", readPerson(t, s, "A"), storedPerson(on))
	}},
	{"two tenures of one person", func(t *testing.T, s ledger.Store) {
		first := exited(person("A", "r1", ledger.IncumbentActive), "x1")
		second := exited(person("A", "r2", ledger.IncumbentActive), "x2")
		second.Name = "second tenure"
		other := exited(person("AB", "r1", ledger.IncumbentActive), "x1")
		for _, r := range []ledger.IncumbentRecord{first, second, other} {
			insertPeople(t, s, r)
			must(t, s.ArchiveIncumbent(ctx(t), r), "ArchiveIncumbent "+r.IDNumber)
		}
		for _, c := range []struct {
			id, exit string
			want     ledger.IncumbentRecord
		}{{"A", "x1", first}, {"A", "x2", second}, {"AB", "x1", other}} {
			got, err := s.ArchivedIncumbent(ctx(t), c.id, c.exit)
			must(t, err, "ArchivedIncumbent "+c.id+" "+c.exit)
			equal(t, "ArchivedIncumbent "+c.id+" "+c.exit, got, storedPerson(c.want))
		}
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		out := exited(person("A", "r1", ledger.IncumbentActive), "x1")
		insertPeople(t, s, out)
		_, err := s.ArchivedIncumbent(ctx(t), "A", "x1")
		isNotFound(t, err, "ArchivedIncumbent before the archive")
		must(t, s.ArchiveIncumbent(ctx(t), out), "ArchiveIncumbent")
		_, err = s.ArchivedIncumbent(ctx(t), "A", "x2")
		isNotFound(t, err, "ArchivedIncumbent of another exit")
		_, err = s.ArchivedIncumbent(ctx(t), "B", "x1")
		isNotFound(t, err, "ArchivedIncumbent of another person")
		_, err = s.ArchivedIncumbent(ctx(t), "", "x1")
		isNotFound(t, err, "ArchivedIncumbent without an ID number")
	}},
	{"a record without a request ID is no tenure", func(t *testing.T, s ledger.Store) {
		out := exited(person("A", "", ledger.IncumbentActive), "x1")
		insertPeople(t, s, out)
		must(t, s.ArchiveIncumbent(ctx(t), out), "ArchiveIncumbent")
		got, err := s.ArchivedIncumbent(ctx(t), "A", "x1")
		must(t, err, "ArchivedIncumbent")
		equal(t, "ArchivedIncumbent", got, storedPerson(out))
		// No tenure matches it, so the live record is not the archived
		// tenure's and stays.
		equal(t, "the live record", readPerson(t, s, "A"), storedPerson(out))
	}},
}

func snapshot(id string, created time.Time) ledger.MoveSnapshot {
	return ledger.MoveSnapshot{ID: id, From: "u1", To: "u3", Fingerprint: "fp-" + id,
		People: []ledger.MovePerson{{IDNumber: "A", Kind: ledger.KindAdministrative, Tenure: "tn-1"},
			{IDNumber: "B", Kind: ledger.KindInstitutionFull, Tenure: "tn-2"}},
		Caller: "city-1", Key: "key-" + id, DocNo: "并编〔2026〕12号", Actor: "city-1", CreatedAt: created}
}

func storedSnapshot(m ledger.MoveSnapshot) ledger.MoveSnapshot {
	m.People = append([]ledger.MovePerson(nil), m.People...)
	m.CreatedAt = stored(m.CreatedAt)
	return m
}

func bySnapshotID(m ledger.MoveSnapshot) string { return m.ID }

var moveTests = []test{
	{"snapshots", func(t *testing.T, s ledger.Store) {
		snap := snapshot("m1#people", t0)
		must(t, s.InsertMoveSnapshot(ctx(t), snap), "InsertMoveSnapshot")
		want := storedSnapshot(snap)
		snap.People[0].IDNumber = "changed after the insert"
		got, err := s.MoveSnapshot(ctx(t), "m1#people")
		must(t, err, "MoveSnapshot")
		equal(t, "MoveSnapshot", got, want)
		got.People[1].Tenure = "changed after the read"
		retry := want
		retry.People, retry.Key = nil, "another key"
		isDuplicate(t, s.InsertMoveSnapshot(ctx(t), retry), "second InsertMoveSnapshot")
		got, _ = s.MoveSnapshot(ctx(t), "m1#people")
		equal(t, "the first snapshot stays", got, want)
		_, err = s.MoveSnapshot(ctx(t), "m2#people")
		isNotFound(t, err, "MoveSnapshot missing")
		empty := ledger.MoveSnapshot{ID: "m3#people", From: "u1", To: "u3", Done: true, CreatedAt: t0}
		must(t, s.InsertMoveSnapshot(ctx(t), empty), "InsertMoveSnapshot of nobody")
		got, _ = s.MoveSnapshot(ctx(t), "m3#people")
		empty.CreatedAt = stored(t0)
		equal(t, "snapshot of nobody", got, empty)
	}},
	{"open snapshots before a time, and done", func(t *testing.T, s ledger.Store) {
		doneAtInsert := snapshot("done", t0)
		doneAtInsert.Done = true
		for _, m := range []ledger.MoveSnapshot{snapshot("old", t0), snapshot("at-the-limit", at(time.Second)),
			snapshot("new", at(time.Minute)), snapshot("finished", t0), doneAtInsert} {
			must(t, s.InsertMoveSnapshot(ctx(t), m), "InsertMoveSnapshot "+m.ID)
		}
		must(t, s.SetMoveSnapshotDone(ctx(t), "finished"), "SetMoveSnapshotDone")
		got, err := s.OpenMoveSnapshots(ctx(t), at(time.Second))
		must(t, err, "OpenMoveSnapshots")
		equal(t, "open before t0+1s (created at the limit excluded)", got, []ledger.MoveSnapshot{storedSnapshot(snapshot("old", t0))})
		got, _ = s.OpenMoveSnapshots(ctx(t), at(time.Second+time.Millisecond))
		equal(t, "open before t0+1.001s", ids(got, bySnapshotID), []string{"at-the-limit", "old"})
		finished, err := s.MoveSnapshot(ctx(t), "finished")
		must(t, err, "MoveSnapshot finished")
		want := storedSnapshot(snapshot("finished", t0))
		want.Done = true
		equal(t, "a done snapshot keeps its people", finished, want)
		must(t, s.SetMoveSnapshotDone(ctx(t), "finished"), "SetMoveSnapshotDone again")
		got, _ = s.OpenMoveSnapshots(ctx(t), at(time.Hour))
		equal(t, "open before t0+1h", ids(got, bySnapshotID), []string{"at-the-limit", "new", "old"})
		got[0].People[0].IDNumber = "changed in the list"
		again, _ := s.MoveSnapshot(ctx(t), got[0].ID)
		equal(t, "snapshot after changing the list", again, storedSnapshot(snapshot(got[0].ID, again.CreatedAt)))
	}},
	{"done on a missing snapshot is silent and creates nothing", func(t *testing.T, s ledger.Store) {
		must(t, s.SetMoveSnapshotDone(ctx(t), "m1#people"), "SetMoveSnapshotDone")
		_, err := s.MoveSnapshot(ctx(t), "m1#people")
		isNotFound(t, err, "MoveSnapshot")
		got, err := s.OpenMoveSnapshots(ctx(t), at(time.Hour))
		if err != nil || len(got) != 0 {
			t.Errorf("OpenMoveSnapshots = %v, %v; want none", got, err)
		}
	}},
}

func batch(id string, st ledger.BatchState, created time.Time, people ...string) ledger.HireBatch {
	return ledger.HireBatch{ID: id, Account: accU1Adm.ID, State: st, People: people, CreatedAt: created}
}

func storedBatch(b ledger.HireBatch) ledger.HireBatch {
	b.CreatedAt = stored(b.CreatedAt)
	return b
}

func byBatchID(b ledger.HireBatch) string { return b.ID }

var batchTests = []test{
	{"insert, commit, abort", func(t *testing.T, s ledger.Store) {
		b1, b2 := batch("b1", ledger.BatchOpen, t0, "A", "C"), batch("b2", ledger.BatchOpen, t0)
		must(t, s.InsertBatch(ctx(t), b1), "InsertBatch b1")
		must(t, s.InsertBatch(ctx(t), b2), "InsertBatch b2")
		got, err := s.Batch(ctx(t), "b1")
		must(t, err, "Batch")
		equal(t, "Batch b1", got, storedBatch(b1))
		got, _ = s.Batch(ctx(t), "b2")
		equal(t, "Batch b2", got, storedBatch(b2))

		must(t, s.CommitBatch(ctx(t), "b1", []string{"C"}), "CommitBatch")
		got, _ = s.Batch(ctx(t), "b1")
		equal(t, "committed", got, storedBatch(batch("b1", ledger.BatchCommitted, t0, "C")))
		if !got.Holds("C") || got.Holds("A") {
			t.Errorf("committed batch %+v: want C on a post, A not", got)
		}
		must(t, s.AbortBatch(ctx(t), "b2"), "AbortBatch")
		got, _ = s.Batch(ctx(t), "b2")
		equal(t, "aborted", got, storedBatch(batch("b2", ledger.BatchAborted, t0)))
	}},
	{"duplicate id", func(t *testing.T, s ledger.Store) {
		must(t, s.InsertBatch(ctx(t), batch("b1", ledger.BatchOpen, t0, "A")), "InsertBatch")
		isDuplicate(t, s.InsertBatch(ctx(t), batch("b1", ledger.BatchOpen, at(time.Hour), "B")), "second InsertBatch")
		got, _ := s.Batch(ctx(t), "b1")
		equal(t, "the first batch stays", got, storedBatch(batch("b1", ledger.BatchOpen, t0, "A")))
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.Batch(ctx(t), "b1")
		isNotFound(t, err, "Batch")
		must(t, s.CommitBatch(ctx(t), "b1", []string{"A"}), "CommitBatch of a missing batch")
		must(t, s.AbortBatch(ctx(t), "b2"), "AbortBatch of a missing batch")
		_, err = s.Batch(ctx(t), "b1")
		isNotFound(t, err, "Batch after its commit")
		_, err = s.Batch(ctx(t), "b2")
		isNotFound(t, err, "Batch after its abort")
	}},
	{"open before a time, and all", func(t *testing.T, s ledger.Store) {
		for _, b := range []ledger.HireBatch{
			batch("old", ledger.BatchOpen, t0, "A"),
			batch("at-the-limit", ledger.BatchOpen, at(time.Second)),
			batch("new", ledger.BatchOpen, at(time.Minute)),
			batch("committed", ledger.BatchOpen, t0),
			batch("aborted", ledger.BatchOpen, t0),
		} {
			must(t, s.InsertBatch(ctx(t), b), "InsertBatch "+b.ID)
		}
		must(t, s.CommitBatch(ctx(t), "committed", []string{"B"}), "CommitBatch")
		must(t, s.AbortBatch(ctx(t), "aborted"), "AbortBatch")
		got, err := s.OpenBatches(ctx(t), at(time.Second))
		must(t, err, "OpenBatches")
		equal(t, "open before t0+1s", got, []ledger.HireBatch{storedBatch(batch("old", ledger.BatchOpen, t0, "A"))})
		got, _ = s.OpenBatches(ctx(t), at(time.Second+time.Millisecond))
		equal(t, "open before t0+1.001s", ids(got, byBatchID), []string{"at-the-limit", "old"})
		all, err := s.AllBatches(ctx(t))
		must(t, err, "AllBatches")
		equal(t, "AllBatches", sortedBy(all, byBatchID), []ledger.HireBatch{
			storedBatch(batch("aborted", ledger.BatchAborted, t0)),
			storedBatch(batch("at-the-limit", ledger.BatchOpen, at(time.Second))),
			storedBatch(batch("committed", ledger.BatchCommitted, t0, "B")),
			storedBatch(batch("new", ledger.BatchOpen, at(time.Minute))),
			storedBatch(batch("old", ledger.BatchOpen, t0, "A")),
		})
	}},
	{"batches are copies", func(t *testing.T, s ledger.Store) {
		b := batch("b1", ledger.BatchOpen, t0, "A", "B")
		must(t, s.InsertBatch(ctx(t), b), "InsertBatch")
		b.People[0] = "changed after the insert"
		got, _ := s.Batch(ctx(t), "b1")
		got.People[1] = "changed after the read"
		open, _ := s.OpenBatches(ctx(t), at(time.Hour))
		open[0].People[0] = "changed in the open list"
		all, _ := s.AllBatches(ctx(t))
		all[0].People[0] = "changed in the list"
		got, _ = s.Batch(ctx(t), "b1")
		equal(t, "open batch after changing copies", got, storedBatch(batch("b1", ledger.BatchOpen, t0, "A", "B")))
		people := []string{"A"}
		must(t, s.CommitBatch(ctx(t), "b1", people), "CommitBatch")
		people[0] = "changed after the commit"
		got, _ = s.Batch(ctx(t), "b1")
		equal(t, "committed batch after changing its people", got, storedBatch(batch("b1", ledger.BatchCommitted, t0, "A")))
	}},
}
