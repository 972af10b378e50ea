package ledger

import (
	"fmt"
	"time"
)

// Entry is one journal line: a delta applied to one account and the balance
// after it. Its ID is <account>#<seq>, so appending sequence n+1 is a
// compare-and-swap on the unique _id: of two writers racing for the same
// number one fails and must re-read, re-validate and retry. Because the
// validation ran against balance n, a successful insert proves the red line
// held.
type Entry struct {
	ID          string
	Account     AccountID
	Seq         int64
	TransferID  string
	Leg         int
	TransferLeg string // <transferID>#<leg>, unique: a leg is applied at most once
	Kind        TransferKind
	Delta       Delta
	Balance     Balance // after this entry
	At          time.Time
	Actor       string
	DocNo       string
	Incumbents  []string // ID numbers a hire or release entry covers
}

// EntryID returns the journal ID of account's entry number seq. Zero padding
// keeps IDs of one account sorted by sequence.
func EntryID(account AccountID, seq int64) string { return fmt.Sprintf("%s#%010d", account, seq) }

// TransferLeg returns the unique key of a transfer's leg.
func TransferLeg(transferID string, leg int) string { return fmt.Sprintf("%s#%d", transferID, leg) }

// NextEntry validates d against head (the account's last entry, or the zero
// entry for a new account) and returns the entry to append, or the refusal.
func NextEntry(head Entry, account AccountID, d Delta, t Transfer, leg int, at time.Time) (Entry, error) {
	b, err := head.Balance.Apply(account, d)
	if err != nil {
		return Entry{}, err
	}
	seq := head.Seq + 1
	return Entry{
		ID: EntryID(account, seq), Account: account, Seq: seq, TransferID: t.ID, Leg: leg,
		TransferLeg: TransferLeg(t.ID, leg), Kind: t.Kind, Delta: d, Balance: b, At: at.UTC(),
		Actor: t.Actor, DocNo: t.DocNo,
	}, nil
}

// BalanceAt returns the balance after the last entry strictly before t:
// what was true on any past date comes from the journal alone.
func BalanceAt(entries []Entry, t time.Time) Balance {
	var b Balance
	for _, e := range entries {
		if !e.At.Before(t) {
			break
		}
		b = e.Balance
	}
	return b
}

// Fence returns the tombstone that settles transfer tid as never applied.
// It carries the unique transferLeg of the transfer's first leg and no
// account, so the store's one atomic guard decides between the two: once
// the fence is in, the first leg can never be applied (its insert is a
// duplicate), and the fence cannot go in once the leg is. Recovery fences
// work that may still be running instead of guessing from the clock whether
// it has died; the running work then meets the fence and stops.
func Fence(tid, by string, at time.Time) Entry {
	return Entry{ID: "fence#" + tid, TransferID: tid, TransferLeg: TransferLeg(tid, 0), At: at.UTC(), Actor: by}
}

// IsFence reports whether e is a fence rather than a journal entry.
func (e Entry) IsFence() bool { return e.Account == "" }
