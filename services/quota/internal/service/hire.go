package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Hires are group-committed per account. A journal is a chain: appends to
// one account are serial whatever we do, so instead of one chain link per
// hire, the hires waiting for an account are applied together: one bulk
// insert claims the people's ID numbers, one entry adds occupied+k (the red
// line checked on the head it follows), one bulk update marks them active.
// Three writes per batch instead of three per hire.

// maxHireBatch bounds a batch so one entry never lists more people than a
// document comfortably holds.
const maxHireBatch = 500

type hireReq struct {
	rec  ledger.IncumbentRecord
	acc  *ledger.AccountRecord // read with the request's batch, or nil
	done chan hireResult
}

type hireResult struct {
	rec ledger.IncumbentRecord
	err error
}

type hireQueue struct {
	pending []*hireReq
	running bool
}

// Hire puts a person on a vacant post (or a held one, with HoldID) under a
// caller-scoped idempotency key. A retry returns the first outcome; a
// second hire of a person who already occupies a post is duplicate_person.
func (l *Ledger) Hire(ctx context.Context, caller, key string, r ledger.HireRequest) (ledger.IncumbentRecord, error) {
	rec, err := l.prepareHire(caller, key, "", r)
	if err != nil {
		return rec, err
	}
	if r.HoldID != "" {
		return l.hireFromHold(ctx, rec)
	}
	select {
	case res := <-l.submitHires([]ledger.IncumbentRecord{rec}, nil)[0]:
		return res.rec, res.err
	case <-ctx.Done():
		// The batch goes on without this caller; a retry finds its result.
		return rec, ctx.Err()
	}
}

func (l *Ledger) prepareHire(caller, key, field string, r ledger.HireRequest) (ledger.IncumbentRecord, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.IncumbentRecord{}, err
	}
	inc, err := ledger.NewIncumbent(field, r, l.now())
	if err != nil {
		return ledger.IncumbentRecord{}, err
	}
	return ledger.IncumbentRecord{Incumbent: inc, RequestID: ledger.ScopedID("hire", caller, key), Fingerprint: ledger.Fingerprint(r)}, nil
}

// submitHires queues hires and returns one result channel per record.
// Each account's queue is drained by one goroutine at a time.
// accs, when not nil, holds the accounts the hires go into, read at once.
func (l *Ledger) submitHires(recs []ledger.IncumbentRecord, accs map[ledger.AccountID]ledger.AccountRecord) []chan hireResult {
	out := make([]chan hireResult, len(recs))
	start := map[ledger.AccountID]bool{}
	l.mu.Lock()
	for i, rec := range recs {
		out[i] = make(chan hireResult, 1)
		q, ok := l.hires[rec.Account]
		if !ok {
			q = &hireQueue{}
			l.hires[rec.Account] = q
		}
		req := &hireReq{rec: rec, done: out[i]}
		if a, ok := accs[rec.Account]; ok {
			req.acc = &a
		}
		q.pending = append(q.pending, req)
		if !q.running {
			q.running = true
			start[rec.Account] = true
		}
	}
	l.mu.Unlock()
	for acc := range start {
		go l.drainHires(acc)
	}
	return out
}

func (l *Ledger) drainHires(acc ledger.AccountID) {
	// The batch belongs to many callers: none of their cancellations may
	// stop it half-way (recovery would finish it, but later).
	ctx := context.Background()
	for {
		l.mu.Lock()
		q := l.hires[acc]
		if len(q.pending) == 0 {
			q.running = false
			delete(l.hires, acc)
			l.mu.Unlock()
			return
		}
		n := min(len(q.pending), maxHireBatch)
		batch := q.pending[:n:n]
		q.pending = q.pending[n:]
		l.mu.Unlock()
		l.hireSlots <- struct{}{}
		l.hireBatch(ctx, acc, batch)
		<-l.hireSlots
	}
}

func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// hireBatch applies one batch of hires into one account.
func (l *Ledger) hireBatch(ctx context.Context, acc ledger.AccountID, batch []*hireReq) {
	finish := func(r *hireReq, rec ledger.IncumbentRecord, err error) { r.done <- hireResult{rec, err} }
	failAll := func(rs []*hireReq, err error) {
		for _, r := range rs {
			finish(r, r.rec, err)
		}
	}
	var a ledger.AccountRecord
	var err error
	if batch[0].acc != nil {
		a = *batch[0].acc
	} else {
		a, err = l.Account(ctx, acc)
	}
	if err == nil && a.Type != ledger.HolderUnit {
		err = ledger.Invalid("unit", "只能向单位账户进人", "hires go into unit accounts")
	}
	if err == nil && a.Abolished {
		err = &ledger.Error{Code: ledger.CodeAccountAbolished, Field: "unit", Message: "单位已撤销，不能进人", Detail: "unit " + a.Holder + " is abolished"}
	}
	if err == nil {
		err = l.checkBlocks(ctx, a.Account)
	}
	if err != nil {
		failAll(batch, err)
		return
	}

	// One person twice in a batch: the second is a retry of the first (same
	// request) or a duplicate person.
	var cands []*hireReq
	followers := map[string][]*hireReq{}
	first := map[string]*hireReq{}
	for _, r := range batch {
		if f, ok := first[r.rec.IDNumber]; ok {
			if f.rec.RequestID == r.rec.RequestID && f.rec.Fingerprint == r.rec.Fingerprint {
				followers[r.rec.IDNumber] = append(followers[r.rec.IDNumber], r)
			} else {
				finish(r, r.rec, ledger.DuplicatePerson(r.rec.IDNumber, f.rec.Unit))
			}
			continue
		}
		first[r.rec.IDNumber] = r
		cands = append(cands, r)
	}
	results := map[string]hireResult{}
	defer func() {
		for _, r := range cands {
			res := results[r.rec.IDNumber]
			finish(r, res.rec, res.err)
			for _, f := range followers[r.rec.IDNumber] {
				finish(f, res.rec, res.err)
			}
		}
	}()

	work, err := l.claimHires(ctx, acc, cands, results)
	if err != nil {
		for _, r := range cands {
			results[r.rec.IDNumber] = hireResult{r.rec, err}
		}
		return
	}
	if len(work) == 0 {
		return
	}

	unlock := l.lockAccount(acc)
	defer unlock()
	// Start from the cached head: probing for the next entry is a miss,
	// which scans the whole journal on the embedded store. A stale head
	// costs one failed insert (the append re-reads and re-validates); it is
	// refreshed before any hire is refused for lack of room.
	head, fresh := l.cachedHead(acc)
	if !fresh || head.Balance.Vacant() < int64(len(work)) {
		var err error
		if head, err = l.discover(ctx, acc, ledger.Entry{}); err != nil {
			for _, r := range work {
				results[r.rec.IDNumber] = hireResult{r.rec, err}
			}
			return
		}
	}
	batchID := "hb-" + l.newID()
	now := l.now().UTC()
	var accepted []*hireReq
	queue := work
	opened := false
	rearmed := map[string]bool{}
	for len(queue) > 0 {
		room := head.Balance.Vacant() - int64(len(accepted))
		if room <= 0 {
			break
		}
		if !opened {
			// Recorded before any person, so recovery can find every
			// person this batch may have inserted without scanning them.
			ids := make([]string, len(work))
			for i, r := range work {
				ids[i] = r.rec.IDNumber
			}
			if err := l.store.InsertBatch(ctx, ledger.HireBatch{ID: batchID, Account: acc, State: ledger.BatchOpen, People: ids, CreatedAt: now}); err != nil {
				for _, r := range queue {
					results[r.rec.IDNumber] = hireResult{r.rec, err}
				}
				return
			}
			opened = true
		}
		take := queue[:min(int64(len(queue)), room)]
		queue = queue[len(take):]
		recs := make([]ledger.IncumbentRecord, len(take))
		for i, r := range take {
			r.rec.TransferID, r.rec.State, r.rec.UpdatedAt = batchID, ledger.IncumbentPending, now
			recs[i] = r.rec
		}
		dup, err := l.store.InsertIncumbents(ctx, recs)
		if err != nil {
			for _, r := range take {
				results[r.rec.IDNumber] = hireResult{r.rec, err}
			}
			continue
		}
		isDup := map[int]bool{}
		for _, i := range dup {
			isDup[i] = true
			r := take[i]
			if !rearmed[r.rec.IDNumber] && l.archiveIfExited(ctx, r.rec.IDNumber) {
				// The person left their last post; their record was in the way.
				rearmed[r.rec.IDNumber] = true
				queue = append(queue, r)
				continue
			}
			results[r.rec.IDNumber] = l.resolveDuplicateHire(ctx, r.rec)
		}
		for i, r := range take {
			if !isDup[i] {
				accepted = append(accepted, r)
			}
		}
	}
	// No room for the rest: new requests (their claims told us so), so
	// the refusal costs no read.
	refused := 0
	for _, r := range queue {
		results[r.rec.IDNumber] = hireResult{r.rec, ledger.Exhausted(acc, head.Balance, 1)}
		refused++
	}
	l.redline(ledger.Exhausted(acc, head.Balance, 1), refused)
	l.count(ledger.TransferHire, "rejected", refused)
	if len(accepted) == 0 {
		if opened {
			_ = l.store.AbortBatch(ctx, batchID) // recovery aborts it if this fails
		}
		return
	}

	t := ledger.Transfer{ID: batchID, Kind: ledger.TransferHire, Actor: accepted[0].rec.RequestID}
	var entry ledger.Entry
	for {
		ids := make([]string, len(accepted))
		for i, r := range accepted {
			ids[i] = r.rec.IDNumber
		}
		entry, _, err = l.appendLocked(ctx, acc, func(h ledger.Entry) (ledger.Entry, error) {
			head = h
			e, err := ledger.NextEntry(h, acc, ledger.Delta{Occupied: int64(len(ids))}, t, 0, now)
			e.Incumbents = ids
			return e, err
		})
		if ledger.CodeOf(err) != ledger.CodeQuotaExhausted {
			break
		}
		// Another instance took posts since our head: keep what still fits.
		fit := max(head.Balance.Vacant(), 0)
		refused := accepted[fit:]
		accepted = accepted[:fit]
		gone := make([]string, len(refused))
		for i, r := range refused {
			gone[i] = r.rec.IDNumber
			results[r.rec.IDNumber] = hireResult{r.rec, ledger.Exhausted(acc, head.Balance, 1)}
		}
		if derr := l.store.DeletePending(ctx, batchID, gone); derr != nil {
			err = derr // recovery removes them once they are stale
		}
		l.redline(ledger.Exhausted(acc, head.Balance, 1), len(refused))
		l.count(ledger.TransferHire, "rejected", len(refused))
		if len(accepted) == 0 {
			_ = l.store.AbortBatch(ctx, batchID)
			return
		}
	}
	if errors.Is(err, ledger.ErrFenced) {
		// Recovery took this batch for dead and settled it as never
		// applied: nobody was hired. It removes the people; so do we.
		ids := make([]string, len(accepted))
		for i, r := range accepted {
			ids[i] = r.rec.IDNumber
		}
		if derr := l.store.DeletePending(ctx, batchID, ids); derr != nil {
			err = derr
		}
	}
	if err == nil && l.FaultBeforeActivate != nil {
		err = l.FaultBeforeActivate(batchID)
	}
	if err == nil {
		// One update of the batch activates all its people.
		err = l.store.CommitBatch(ctx, batchID, entry.Incumbents)
	}
	for _, r := range accepted {
		rec := r.rec
		if err == nil {
			rec.State, rec.Result = ledger.IncumbentActive, "hired"
		}
		results[r.rec.IDNumber] = hireResult{rec, err}
	}
	if err == nil {
		l.count(ledger.TransferHire, "posted", len(accepted))
		l.changed(ctx, acc)
	}
}

// claimHires claims the tenure of every candidate (one bulk insert) and
// returns those to hire now: new requests, and retries whose first attempt
// left nothing. Other retries get their first outcome in results.
func (l *Ledger) claimHires(ctx context.Context, acc ledger.AccountID, cands []*hireReq, results map[string]hireResult) ([]*hireReq, error) {
	now := l.now().UTC()
	claims := make([]ledger.HireClaim, len(cands))
	for i, r := range cands {
		claims[i] = ledger.HireClaim{ID: r.rec.Tenure(), IDNumber: r.rec.IDNumber, Account: acc, At: now}
	}
	dup, err := l.store.ClaimHires(ctx, claims)
	if err != nil {
		return nil, err
	}
	retry := map[int]bool{}
	for _, i := range dup {
		retry[i] = true
	}
	var work []*hireReq
	for i, r := range cands {
		if retry[i] {
			if res, done := l.answerRetry(ctx, r.rec); done {
				results[r.rec.IDNumber] = res
				continue
			}
		}
		work = append(work, r)
	}
	return work, nil
}

// answerRetry answers a hire request made before from what its first
// attempt left: the person on a post under it (or its result while it is
// applied), or its tenure ended (the archived record: the first answer was
// a hire, and it is not repeated). done is false if the first attempt left
// nothing and the request is to go on as new.
func (l *Ledger) answerRetry(ctx context.Context, rec ledger.IncumbentRecord) (hireResult, bool) {
	p, err := l.store.Incumbent(ctx, rec.IDNumber)
	switch {
	case err == nil && p.RequestID == rec.RequestID:
		return l.resolveDuplicateHire(ctx, rec), true
	case err != nil && !errors.Is(err, ledger.ErrNotFound):
		return hireResult{rec, err}, true
	}
	a, err := l.store.ArchivedIncumbent(ctx, rec.IDNumber, ledger.ExitTransferID(rec.Tenure()))
	switch {
	case err == nil && a.Fingerprint != rec.Fingerprint:
		return hireResult{rec, ledger.ReusedKey()}, true
	case err == nil:
		return hireResult{a, nil}, true
	case !errors.Is(err, ledger.ErrNotFound):
		return hireResult{rec, err}, true
	}
	return hireResult{}, false
}

// resolveDuplicateHire explains an ID number that is already taken: by this
// very request (a retry: answer as the first time) or by someone else's.
func (l *Ledger) resolveDuplicateHire(ctx context.Context, rec ledger.IncumbentRecord) hireResult {
	prior, err := l.Incumbent(ctx, rec.IDNumber)
	if ledger.CodeOf(err) == ledger.CodeNotFound {
		// Taken and released between our insert and this read: ask again.
		return hireResult{rec, &ledger.Error{Code: ledger.CodeConflict, Message: "该人员正在办理其他事项，请稍后重试", Detail: "concurrent change of this person; retry", RetryLater: true}}
	}
	if err != nil {
		return hireResult{rec, err}
	}
	if prior.RequestID != rec.RequestID {
		return hireResult{rec, ledger.DuplicatePerson(rec.IDNumber, prior.Unit)}
	}
	if prior.Fingerprint != rec.Fingerprint {
		return hireResult{rec, ledger.ReusedKey()}
	}
	if prior.State == ledger.IncumbentPending {
		return hireResult{prior, &ledger.Error{Code: ledger.CodeConflict, Message: "该进人申请正在处理中，请稍后重试", Detail: "this hire is still being applied; retry", RetryLater: true}}
	}
	return hireResult{prior, nil}
}

// HireBatch validates every row first (all-or-nothing: one bad row refuses
// the batch and writes nothing), then hires all rows through the group
// commit, each under <key>#<row>, so a retried batch repeats nothing. It
// returns each row's outcome.
func (l *Ledger) HireBatch(ctx context.Context, caller, key string, rows []ledger.HireRequest) ([]ledger.IncumbentRecord, []error, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return nil, nil, err
	}
	recs := make([]ledger.IncumbentRecord, len(rows))
	for i, r := range rows {
		rec, err := l.prepareHire(caller, fmt.Sprintf("%s#%d", key, i), fmt.Sprintf("rows[%d].", i), r)
		if err != nil {
			return nil, nil, err
		}
		if r.HoldID != "" {
			return nil, nil, ledger.Invalid(fmt.Sprintf("rows[%d].holdId", i), "批量进人不支持使用预留，请逐条办理", "batch hires cannot consume holds")
		}
		recs[i] = rec
	}
	// One read of every account the batch names, not one per account: on
	// the embedded store each read scans the accounts.
	var ids []ledger.AccountID
	seen := map[ledger.AccountID]bool{}
	for _, r := range recs {
		if !seen[r.Account] {
			seen[r.Account] = true
			ids = append(ids, r.Account)
		}
	}
	var accs map[ledger.AccountID]ledger.AccountRecord
	if len(ids) > 1 {
		var err error
		if accs, err = l.Accounts(ctx, ids); err != nil {
			return nil, nil, err
		}
	}
	chans := l.submitHires(recs, accs)
	errs := make([]error, len(rows))
	for i, ch := range chans {
		select {
		case res := <-ch:
			recs[i], errs[i] = res.rec, res.err
		case <-ctx.Done():
			return recs, errs, ctx.Err()
		}
	}
	return recs, errs, nil
}

// archiveIfExited archives a person's record if it is an exit a crash left
// unarchived, and reports whether it did.
func (l *Ledger) archiveIfExited(ctx context.Context, idNumber string) bool {
	p, err := l.store.Incumbent(ctx, idNumber)
	if err != nil || p.State != ledger.IncumbentExited {
		return false
	}
	return l.store.ArchiveIncumbent(ctx, p) == nil
}
