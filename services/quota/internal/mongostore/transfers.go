package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

type legDoc struct {
	Account string `bson:"account"`
	Delta   triple `bson:"delta"`
}

type failureDoc struct {
	Code    string  `bson:"code"`
	Message string  `bson:"message"`
	Detail  string  `bson:"detail"`
	Field   string  `bson:"field,omitempty"`
	Balance *triple `bson:"balance,omitempty"`
}

type transferDoc struct {
	ID          string      `bson:"_id"`
	Kind        string      `bson:"kind"`
	Legs        []legDoc    `bson:"legs"`
	Reason      string      `bson:"reason,omitempty"`
	DocNo       string      `bson:"docNo,omitempty"`
	Actor       string      `bson:"actor,omitempty"`
	Fingerprint string      `bson:"fingerprint,omitempty"`
	State       string      `bson:"state"`
	Failure     *failureDoc `bson:"failure,omitempty"`
	CreatedAt   time.Time   `bson:"createdAt"`
	UpdatedAt   time.Time   `bson:"updatedAt"`
}

func toFailureDoc(e *ledger.Error) *failureDoc {
	if e == nil {
		return nil
	}
	f := &failureDoc{Code: string(e.Code), Message: e.Message, Detail: e.Detail, Field: e.Field}
	if e.Balance != nil {
		f.Balance = &triple{e.Balance.Approved, e.Balance.Held, e.Balance.Occupied}
	}
	return f
}

func (f *failureDoc) err() *ledger.Error {
	if f == nil {
		return nil
	}
	e := &ledger.Error{Code: ledger.Code(f.Code), Message: f.Message, Detail: f.Detail, Field: f.Field}
	if f.Balance != nil {
		e.Balance = &ledger.Balance{Approved: f.Balance.Approved, Held: f.Balance.Held, Occupied: f.Balance.Occupied}
	}
	return e
}

func toTransferDoc(t ledger.Transfer) transferDoc {
	legs := make([]legDoc, len(t.Legs))
	for i, l := range t.Legs {
		legs[i] = legDoc{string(l.Account), triple{l.Delta.Approved, l.Delta.Held, l.Delta.Occupied}}
	}
	return transferDoc{ID: t.ID, Kind: string(t.Kind), Legs: legs, Reason: t.Reason, DocNo: t.DocNo, Actor: t.Actor,
		Fingerprint: t.Fingerprint, State: string(t.State), Failure: toFailureDoc(t.Failure), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

func (d transferDoc) transfer() ledger.Transfer {
	legs := make([]ledger.Leg, len(d.Legs))
	for i, l := range d.Legs {
		legs[i] = ledger.Leg{Account: ledger.AccountID(l.Account), Delta: ledger.Delta{Approved: l.Delta.Approved, Held: l.Delta.Held, Occupied: l.Delta.Occupied}}
	}
	return ledger.Transfer{ID: d.ID, Kind: ledger.TransferKind(d.Kind), Legs: legs, Reason: d.Reason, DocNo: d.DocNo,
		Actor: d.Actor, Fingerprint: d.Fingerprint, State: ledger.TransferState(d.State), Failure: d.Failure.err(),
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
}

// InsertTransfer claims a transfer ID; ErrDuplicate if it was claimed before.
func (s *Store) InsertTransfer(ctx context.Context, t ledger.Transfer) error {
	return s.insert(ctx, colTransfers, toTransferDoc(t), "insert transfer")
}

// Transfer reads a transfer.
func (s *Store) Transfer(ctx context.Context, id string) (ledger.Transfer, error) {
	var d transferDoc
	if err := s.findID(ctx, colTransfers, id, &d, "find transfer"); err != nil {
		return ledger.Transfer{}, err
	}
	return d.transfer(), nil
}

// SetTransferState settles a transfer. Only the one process finishing the
// transfer, or recovery repeating the same outcome, writes it.
func (s *Store) SetTransferState(ctx context.Context, id string, st ledger.TransferState, failure *ledger.Error) error {
	set := bson.D{{Key: "state", Value: string(st)}, {Key: "updatedAt", Value: time.Now().UTC()}}
	if failure != nil {
		set = append(set, bson.E{Key: "failure", Value: toFailureDoc(failure)})
	}
	return s.setID(ctx, colTransfers, id, set, "set transfer state")
}

// AllTransfers reads every transfer record (for the checker).
func (s *Store) AllTransfers(ctx context.Context) ([]ledger.Transfer, error) {
	docs, err := findAll[transferDoc](ctx, s, colTransfers, bson.D{}, "list transfers")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Transfer, len(docs))
	for i, d := range docs {
		out[i] = d.transfer()
	}
	return out, nil
}

// PendingTransfers lists transfers still pending that were created before
// the given time, for recovery.
func (s *Store) PendingTransfers(ctx context.Context, before time.Time) ([]ledger.Transfer, error) {
	docs, err := findAll[transferDoc](ctx, s, colTransfers, bson.D{
		{Key: "state", Value: string(ledger.StatePending)},
		{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: before}}},
	}, "list pending transfers")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Transfer, len(docs))
	for i, d := range docs {
		out[i] = d.transfer()
	}
	return out, nil
}
