package mongostore

import (
	"context"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

type triple struct {
	Approved int64 `bson:"approved"`
	Held     int64 `bson:"held"`
	Occupied int64 `bson:"occupied"`
}

type entryDoc struct {
	ID          string    `bson:"_id"`
	Account     string    `bson:"account"`
	Seq         int64     `bson:"seq"`
	TransferID  string    `bson:"transferId"`
	Leg         int       `bson:"leg"`
	TransferLeg string    `bson:"transferLeg"`
	Kind        string    `bson:"kind"`
	Delta       triple    `bson:"delta"`
	Balance     triple    `bson:"balance"`
	At          time.Time `bson:"at"`
	Actor       string    `bson:"actor,omitempty"`
	DocNo       string    `bson:"docNo,omitempty"`
	Incumbents  []string  `bson:"incumbents,omitempty"`
}

func toEntryDoc(e ledger.Entry) entryDoc {
	return entryDoc{ID: e.ID, Account: string(e.Account), Seq: e.Seq, TransferID: e.TransferID, Leg: e.Leg,
		TransferLeg: e.TransferLeg, Kind: string(e.Kind),
		Delta:   triple{e.Delta.Approved, e.Delta.Held, e.Delta.Occupied},
		Balance: triple{e.Balance.Approved, e.Balance.Held, e.Balance.Occupied},
		At:      e.At, Actor: e.Actor, DocNo: e.DocNo, Incumbents: e.Incumbents}
}

func (d entryDoc) entry() ledger.Entry {
	return ledger.Entry{ID: d.ID, Account: ledger.AccountID(d.Account), Seq: d.Seq, TransferID: d.TransferID, Leg: d.Leg,
		TransferLeg: d.TransferLeg, Kind: ledger.TransferKind(d.Kind),
		Delta:   ledger.Delta{Approved: d.Delta.Approved, Held: d.Delta.Held, Occupied: d.Delta.Occupied},
		Balance: ledger.Balance{Approved: d.Balance.Approved, Held: d.Balance.Held, Occupied: d.Balance.Occupied},
		At:      d.At.UTC(), Actor: d.Actor, DocNo: d.DocNo, Incumbents: d.Incumbents}
}

// Entry reads one journal entry by its _id.
func (s *Store) Entry(ctx context.Context, account ledger.AccountID, seq int64) (ledger.Entry, error) {
	var d entryDoc
	if err := s.findID(ctx, colEntries, ledger.EntryID(account, seq), &d, "find entry"); err != nil {
		return ledger.Entry{}, err
	}
	return d.entry(), nil
}

// AppendEntry inserts an entry: the compare-and-swap of the ledger.
func (s *Store) AppendEntry(ctx context.Context, e ledger.Entry) error {
	return s.insert(ctx, colEntries, toEntryDoc(e), "append entry")
}

// EntryByTransferLeg finds the entry that applied a transfer's leg. It
// filters on a field other than _id, a scan on the embedded store: only
// recovery and retries of interrupted transfers call it.
func (s *Store) EntryByTransferLeg(ctx context.Context, transferLeg string) (ledger.Entry, error) {
	var d entryDoc
	if err := s.findOne(ctx, colEntries, bson.D{{Key: "transferLeg", Value: transferLeg}}, &d, "find entry by leg"); err != nil {
		return ledger.Entry{}, err
	}
	return d.entry(), nil
}

func (s *Store) findOne(ctx context.Context, col string, filter any, out any, what string) error {
	return translate(retry(ctx, func() error { return s.c(col).FindOne(ctx, filter).Decode(out) }), what)
}

// Entries returns an account's journal in sequence order.
func (s *Store) Entries(ctx context.Context, account ledger.AccountID) ([]ledger.Entry, error) {
	docs, err := findAll[entryDoc](ctx, s, colEntries, bson.D{{Key: "account", Value: string(account)}}, "list entries")
	if err != nil {
		return nil, err
	}
	return entries(docs), nil
}

// AllEntries returns the whole journal, ordered by account and sequence.
func (s *Store) AllEntries(ctx context.Context) ([]ledger.Entry, error) {
	docs, err := findAll[entryDoc](ctx, s, colEntries, bson.D{}, "list entries")
	if err != nil {
		return nil, err
	}
	return entries(docs), nil
}

// entries converts documents, leaving out fences (ledger.Fence): they
// guard a transfer's first leg and belong to no account's journal.
func entries(docs []entryDoc) []ledger.Entry {
	out := make([]ledger.Entry, 0, len(docs))
	for _, d := range docs {
		if d.Account != "" {
			out = append(out, d.entry())
		}
	}
	// Sorting here rather than in the query: $sort on the embedded store
	// sorts in memory anyway, and the zero-padded IDs sort by account, seq.
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
