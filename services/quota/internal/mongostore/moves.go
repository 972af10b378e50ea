package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

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
	Caller      string          `bson:"caller,omitempty"`
	Key         string          `bson:"key,omitempty"`
	DocNo       string          `bson:"docNo,omitempty"`
	Actor       string          `bson:"actor,omitempty"`
	Done        bool            `bson:"done"`
	CreatedAt   time.Time       `bson:"createdAt"`
}

// InsertMoveSnapshot records the people of a merger; insert-only, so the
// first attempt's list is the one every retry moves.
func (s *Store) InsertMoveSnapshot(ctx context.Context, m ledger.MoveSnapshot) error {
	d := moveDoc{ID: m.ID, From: m.From, To: m.To, Fingerprint: m.Fingerprint, CreatedAt: m.CreatedAt, People: make([]movePersonDoc, len(m.People)),
		Caller: m.Caller, Key: m.Key, DocNo: m.DocNo, Actor: m.Actor, Done: m.Done}
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
	return d.snapshot(), nil
}

func (d moveDoc) snapshot() ledger.MoveSnapshot {
	m := ledger.MoveSnapshot{ID: d.ID, From: d.From, To: d.To, Fingerprint: d.Fingerprint, CreatedAt: d.CreatedAt.UTC(), People: make([]ledger.MovePerson, len(d.People)),
		Caller: d.Caller, Key: d.Key, DocNo: d.DocNo, Actor: d.Actor, Done: d.Done}
	for i, p := range d.People {
		m.People[i] = ledger.MovePerson{IDNumber: p.ID, Kind: ledger.Kind(p.Kind), Tenure: p.Tenure}
	}
	return m
}

// OpenMoveSnapshots lists mergers not marked done, recorded before a time.
func (s *Store) OpenMoveSnapshots(ctx context.Context, before time.Time) ([]ledger.MoveSnapshot, error) {
	docs, err := findAll[moveDoc](ctx, s, colMoves, bson.D{{Key: "done", Value: false}, {Key: "createdAt", Value: bson.D{{Key: "$lt", Value: before}}}}, "list open move snapshots")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.MoveSnapshot, len(docs))
	for i, d := range docs {
		out[i] = d.snapshot()
	}
	return out, nil
}

// SetMoveSnapshotDone marks a merger finished.
func (s *Store) SetMoveSnapshotDone(ctx context.Context, id string) error {
	return s.setID(ctx, colMoves, id, bson.D{{Key: "done", Value: true}}, "set move snapshot done")
}
