package mongostore

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

const colMoves = "moves"

type movePersonDoc struct {
	ID     string `bson:"id"`
	Kind   string `bson:"kind"`
	Tenure string `bson:"tenure"`
}

type moveDoc struct {
	ID          string          `bson:"_id"` // <move ID>#people
	From        string          `bson:"from"`
	To          string          `bson:"to"`
	Fingerprint string          `bson:"fingerprint"`
	People      []movePersonDoc `bson:"people"`
	CreatedAt   time.Time       `bson:"createdAt"`
}

// InsertMoveSnapshot records the people of a merger; insert-only, so the
// first attempt's list is the one every retry moves.
func (s *Store) InsertMoveSnapshot(ctx context.Context, m ledger.MoveSnapshot) error {
	d := moveDoc{ID: m.ID, From: m.From, To: m.To, Fingerprint: m.Fingerprint, CreatedAt: m.CreatedAt, People: make([]movePersonDoc, len(m.People))}
	for i, p := range m.People {
		d.People[i] = movePersonDoc{ID: p.IDNumber, Kind: string(p.Kind), Tenure: p.Tenure}
	}
	return s.insert(ctx, colMoves, d, "insert move snapshot")
}

// MoveSnapshot reads a merger's people by the snapshot's ID.
func (s *Store) MoveSnapshot(ctx context.Context, id string) (ledger.MoveSnapshot, error) {
	var d moveDoc
	if err := s.findID(ctx, colMoves, id, &d, "find move snapshot"); err != nil {
		return ledger.MoveSnapshot{}, err
	}
	m := ledger.MoveSnapshot{ID: d.ID, From: d.From, To: d.To, Fingerprint: d.Fingerprint, CreatedAt: d.CreatedAt.UTC(), People: make([]ledger.MovePerson, len(d.People))}
	for i, p := range d.People {
		m.People[i] = ledger.MovePerson{IDNumber: p.ID, Kind: ledger.Kind(p.Kind), Tenure: p.Tenure}
	}
	return m, nil
}
