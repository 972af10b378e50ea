package sim

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// faultyStore is one instance's view of the shared store: every call parks
// at the scheduler, which decides whether it goes through, fails before
// reaching the store, is applied with its answer lost, or kills the
// instance. A dead instance's calls fail at once and touch nothing.
// It implements every method of ledger.Store (the compiler checks it).
var _ ledger.Store = (*faultyStore)(nil)

func (s *faultyStore) InsertAccount(ctx context.Context, a ledger.Account) error {
	return s.do("InsertAccount", func() error { return s.in.InsertAccount(ctx, a) })
}

func (s *faultyStore) Account(ctx context.Context, id ledger.AccountID) (out ledger.AccountRecord, err error) {
	err = s.do("Account", func() (e error) { out, e = s.in.Account(ctx, id); return e })
	return out, err
}

func (s *faultyStore) Accounts(ctx context.Context, f ledger.AccountFilter) (out []ledger.AccountRecord, err error) {
	err = s.do("Accounts", func() (e error) { out, e = s.in.Accounts(ctx, f); return e })
	return out, err
}

func (s *faultyStore) SetAbolished(ctx context.Context, id ledger.AccountID, abolished bool) error {
	return s.do("SetAbolished", func() error { return s.in.SetAbolished(ctx, id, abolished) })
}

func (s *faultyStore) SetHeadHint(ctx context.Context, id ledger.AccountID, seq int64) error {
	return s.do("SetHeadHint", func() error { return s.in.SetHeadHint(ctx, id, seq) })
}

func (s *faultyStore) Entry(ctx context.Context, account ledger.AccountID, seq int64) (out ledger.Entry, err error) {
	err = s.do("Entry", func() (e error) { out, e = s.in.Entry(ctx, account, seq); return e })
	return out, err
}

func (s *faultyStore) AppendEntry(ctx context.Context, e ledger.Entry) error {
	return s.do("AppendEntry", func() error { return s.in.AppendEntry(ctx, e) })
}

func (s *faultyStore) EntryByTransferLeg(ctx context.Context, transferLeg string) (out ledger.Entry, err error) {
	err = s.do("EntryByTransferLeg", func() (e error) { out, e = s.in.EntryByTransferLeg(ctx, transferLeg); return e })
	return out, err
}

func (s *faultyStore) Entries(ctx context.Context, account ledger.AccountID) (out []ledger.Entry, err error) {
	err = s.do("Entries", func() (e error) { out, e = s.in.Entries(ctx, account); return e })
	return out, err
}

func (s *faultyStore) AllEntries(ctx context.Context) (out []ledger.Entry, err error) {
	err = s.do("AllEntries", func() (e error) { out, e = s.in.AllEntries(ctx); return e })
	return out, err
}

func (s *faultyStore) InsertTransfer(ctx context.Context, t ledger.Transfer) error {
	return s.do("InsertTransfer", func() error { return s.in.InsertTransfer(ctx, t) })
}

func (s *faultyStore) Transfer(ctx context.Context, id string) (out ledger.Transfer, err error) {
	err = s.do("Transfer", func() (e error) { out, e = s.in.Transfer(ctx, id); return e })
	return out, err
}

func (s *faultyStore) SetTransferState(ctx context.Context, id string, v ledger.TransferState, failure *ledger.Error) error {
	return s.do("SetTransferState", func() error { return s.in.SetTransferState(ctx, id, v, failure) })
}

func (s *faultyStore) PendingTransfers(ctx context.Context, before time.Time) (out []ledger.Transfer, err error) {
	err = s.do("PendingTransfers", func() (e error) { out, e = s.in.PendingTransfers(ctx, before); return e })
	return out, err
}

func (s *faultyStore) AllTransfers(ctx context.Context) (out []ledger.Transfer, err error) {
	err = s.do("AllTransfers", func() (e error) { out, e = s.in.AllTransfers(ctx); return e })
	return out, err
}

func (s *faultyStore) ClaimHires(ctx context.Context, claims []ledger.HireClaim) (out []int, err error) {
	err = s.do("ClaimHires", func() (e error) { out, e = s.in.ClaimHires(ctx, claims); return e })
	return out, err
}

func (s *faultyStore) InsertIncumbents(ctx context.Context, people []ledger.IncumbentRecord) (out []int, err error) {
	err = s.do("InsertIncumbents", func() (e error) { out, e = s.in.InsertIncumbents(ctx, people); return e })
	return out, err
}

func (s *faultyStore) Incumbent(ctx context.Context, idNumber string) (out ledger.IncumbentRecord, err error) {
	err = s.do("Incumbent", func() (e error) { out, e = s.in.Incumbent(ctx, idNumber); return e })
	return out, err
}

func (s *faultyStore) UpdateIncumbent(ctx context.Context, r ledger.IncumbentRecord) (out bool, err error) {
	err = s.do("UpdateIncumbent", func() (e error) { out, e = s.in.UpdateIncumbent(ctx, r); return e })
	return out, err
}

func (s *faultyStore) DeletePending(ctx context.Context, batchID string, idNumbers []string) error {
	return s.do("DeletePending", func() error { return s.in.DeletePending(ctx, batchID, idNumbers) })
}

func (s *faultyStore) Incumbents(ctx context.Context, unit string) (out []ledger.IncumbentRecord, err error) {
	err = s.do("Incumbents", func() (e error) { out, e = s.in.Incumbents(ctx, unit); return e })
	return out, err
}

func (s *faultyStore) ArchiveIncumbent(ctx context.Context, r ledger.IncumbentRecord) error {
	return s.do("ArchiveIncumbent", func() error { return s.in.ArchiveIncumbent(ctx, r) })
}

func (s *faultyStore) ArchivedIncumbent(ctx context.Context, idNumber string, transferID string) (out ledger.IncumbentRecord, err error) {
	err = s.do("ArchivedIncumbent", func() (e error) { out, e = s.in.ArchivedIncumbent(ctx, idNumber, transferID); return e })
	return out, err
}

func (s *faultyStore) AllIncumbents(ctx context.Context) (out []ledger.IncumbentRecord, err error) {
	err = s.do("AllIncumbents", func() (e error) { out, e = s.in.AllIncumbents(ctx); return e })
	return out, err
}

func (s *faultyStore) InsertTenureOp(ctx context.Context, op ledger.TenureOp) error {
	return s.do("InsertTenureOp", func() error { return s.in.InsertTenureOp(ctx, op) })
}

func (s *faultyStore) TenureOp(ctx context.Context, tenure string, seq int64) (out ledger.TenureOp, err error) {
	err = s.do("TenureOp", func() (e error) { out, e = s.in.TenureOp(ctx, tenure, seq); return e })
	return out, err
}

func (s *faultyStore) OpenTenureOps(ctx context.Context, before time.Time) (out []ledger.TenureOp, err error) {
	err = s.do("OpenTenureOps", func() (e error) { out, e = s.in.OpenTenureOps(ctx, before); return e })
	return out, err
}

func (s *faultyStore) SetTenureOpDone(ctx context.Context, id string) error {
	return s.do("SetTenureOpDone", func() error { return s.in.SetTenureOpDone(ctx, id) })
}

func (s *faultyStore) InsertExitRequest(ctx context.Context, r ledger.ExitRequestRecord) error {
	return s.do("InsertExitRequest", func() error { return s.in.InsertExitRequest(ctx, r) })
}

func (s *faultyStore) ExitRequest(ctx context.Context, id string) (out ledger.ExitRequestRecord, err error) {
	err = s.do("ExitRequest", func() (e error) { out, e = s.in.ExitRequest(ctx, id); return e })
	return out, err
}

func (s *faultyStore) InsertMoveSnapshot(ctx context.Context, v ledger.MoveSnapshot) error {
	return s.do("InsertMoveSnapshot", func() error { return s.in.InsertMoveSnapshot(ctx, v) })
}

func (s *faultyStore) MoveSnapshot(ctx context.Context, id string) (out ledger.MoveSnapshot, err error) {
	err = s.do("MoveSnapshot", func() (e error) { out, e = s.in.MoveSnapshot(ctx, id); return e })
	return out, err
}

func (s *faultyStore) OpenMoveSnapshots(ctx context.Context, before time.Time) (out []ledger.MoveSnapshot, err error) {
	err = s.do("OpenMoveSnapshots", func() (e error) { out, e = s.in.OpenMoveSnapshots(ctx, before); return e })
	return out, err
}

func (s *faultyStore) SetMoveSnapshotDone(ctx context.Context, id string) error {
	return s.do("SetMoveSnapshotDone", func() error { return s.in.SetMoveSnapshotDone(ctx, id) })
}

func (s *faultyStore) InsertBatch(ctx context.Context, b ledger.HireBatch) error {
	return s.do("InsertBatch", func() error { return s.in.InsertBatch(ctx, b) })
}

func (s *faultyStore) Batch(ctx context.Context, id string) (out ledger.HireBatch, err error) {
	err = s.do("Batch", func() (e error) { out, e = s.in.Batch(ctx, id); return e })
	return out, err
}

func (s *faultyStore) CommitBatch(ctx context.Context, id string, people []string) error {
	return s.do("CommitBatch", func() error { return s.in.CommitBatch(ctx, id, people) })
}

func (s *faultyStore) AbortBatch(ctx context.Context, id string) error {
	return s.do("AbortBatch", func() error { return s.in.AbortBatch(ctx, id) })
}

func (s *faultyStore) OpenBatches(ctx context.Context, before time.Time) (out []ledger.HireBatch, err error) {
	err = s.do("OpenBatches", func() (e error) { out, e = s.in.OpenBatches(ctx, before); return e })
	return out, err
}

func (s *faultyStore) AllBatches(ctx context.Context) (out []ledger.HireBatch, err error) {
	err = s.do("AllBatches", func() (e error) { out, e = s.in.AllBatches(ctx); return e })
	return out, err
}

func (s *faultyStore) InsertHold(ctx context.Context, h ledger.Hold) error {
	return s.do("InsertHold", func() error { return s.in.InsertHold(ctx, h) })
}

func (s *faultyStore) Hold(ctx context.Context, id string) (out ledger.Hold, err error) {
	err = s.do("Hold", func() (e error) { out, e = s.in.Hold(ctx, id); return e })
	return out, err
}

func (s *faultyStore) UpdateHold(ctx context.Context, h ledger.Hold) error {
	return s.do("UpdateHold", func() error { return s.in.UpdateHold(ctx, h) })
}

func (s *faultyStore) OpenHolds(ctx context.Context) (out []ledger.Hold, err error) {
	err = s.do("OpenHolds", func() (e error) { out, e = s.in.OpenHolds(ctx); return e })
	return out, err
}

func (s *faultyStore) AllHolds(ctx context.Context) (out []ledger.Hold, err error) {
	err = s.do("AllHolds", func() (e error) { out, e = s.in.AllHolds(ctx); return e })
	return out, err
}

func (s *faultyStore) AllSlots(ctx context.Context) (out []ledger.Slot, err error) {
	err = s.do("AllSlots", func() (e error) { out, e = s.in.AllSlots(ctx); return e })
	return out, err
}

func (s *faultyStore) ClaimSlots(ctx context.Context, slots []ledger.Slot) (out []string, err error) {
	err = s.do("ClaimSlots", func() (e error) { out, e = s.in.ClaimSlots(ctx, slots); return e })
	return out, err
}

func (s *faultyStore) Slots(ctx context.Context, holdID string, amount int64) (out []ledger.Slot, err error) {
	err = s.do("Slots", func() (e error) { out, e = s.in.Slots(ctx, holdID, amount); return e })
	return out, err
}

func (s *faultyStore) InsertPlan(ctx context.Context, p ledger.UsagePlan) error {
	return s.do("InsertPlan", func() error { return s.in.InsertPlan(ctx, p) })
}

func (s *faultyStore) Plan(ctx context.Context, id string) (out ledger.UsagePlan, err error) {
	err = s.do("Plan", func() (e error) { out, e = s.in.Plan(ctx, id); return e })
	return out, err
}

func (s *faultyStore) UpdatePlan(ctx context.Context, p ledger.UsagePlan) error {
	return s.do("UpdatePlan", func() error { return s.in.UpdatePlan(ctx, p) })
}

func (s *faultyStore) InsertCase(ctx context.Context, c ledger.Case) error {
	return s.do("InsertCase", func() error { return s.in.InsertCase(ctx, c) })
}

func (s *faultyStore) Case(ctx context.Context, id string) (out ledger.Case, err error) {
	err = s.do("Case", func() (e error) { out, e = s.in.Case(ctx, id); return e })
	return out, err
}

func (s *faultyStore) UpdateCase(ctx context.Context, c ledger.Case) error {
	return s.do("UpdateCase", func() error { return s.in.UpdateCase(ctx, c) })
}

func (s *faultyStore) OpenCases(ctx context.Context) (out []ledger.Case, err error) {
	err = s.do("OpenCases", func() (e error) { out, e = s.in.OpenCases(ctx); return e })
	return out, err
}

func (s *faultyStore) Block(ctx context.Context, subject string, caseID string) error {
	return s.do("Block", func() error { return s.in.Block(ctx, subject, caseID) })
}

func (s *faultyStore) Unblock(ctx context.Context, subject string, caseID string) error {
	return s.do("Unblock", func() error { return s.in.Unblock(ctx, subject, caseID) })
}

func (s *faultyStore) Blocks(ctx context.Context, subjects ...string) (out ledger.Blocks, err error) {
	err = s.do("Blocks", func() (e error) { out, e = s.in.Blocks(ctx, subjects...); return e })
	return out, err
}

func (s *faultyStore) AllBlocks(ctx context.Context) (out ledger.Blocks, err error) {
	err = s.do("AllBlocks", func() (e error) { out, e = s.in.AllBlocks(ctx); return e })
	return out, err
}

func (s *faultyStore) ClaimRequest(ctx context.Context, rec ledger.RequestRecord) error {
	return s.do("ClaimRequest", func() error { return s.in.ClaimRequest(ctx, rec) })
}

func (s *faultyStore) Request(ctx context.Context, id string) (out ledger.RequestRecord, err error) {
	err = s.do("Request", func() (e error) { out, e = s.in.Request(ctx, id); return e })
	return out, err
}

func (s *faultyStore) SaveResponse(ctx context.Context, id string, status int, contentType string, body []byte) error {
	return s.do("SaveResponse", func() error { return s.in.SaveResponse(ctx, id, status, contentType, body) })
}
