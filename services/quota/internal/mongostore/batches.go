package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

const colBatches = "batches"

type batchDoc struct {
	ID        string    `bson:"_id"`
	Account   string    `bson:"account"`
	State     string    `bson:"state"`
	People    []string  `bson:"people,omitempty"`
	CreatedAt time.Time `bson:"createdAt"`
}

func (d batchDoc) batch() ledger.HireBatch {
	return ledger.HireBatch{ID: d.ID, Account: ledger.AccountID(d.Account), State: ledger.BatchState(d.State), People: d.People, CreatedAt: d.CreatedAt.UTC()}
}

// InsertBatch records an open hire batch.
func (s *Store) InsertBatch(ctx context.Context, b ledger.HireBatch) error {
	return s.insert(ctx, colBatches, batchDoc{ID: b.ID, Account: string(b.Account), State: string(b.State), People: b.People, CreatedAt: b.CreatedAt}, "insert batch")
}

// Batch reads a hire batch.
func (s *Store) Batch(ctx context.Context, id string) (ledger.HireBatch, error) {
	var d batchDoc
	if err := s.findID(ctx, colBatches, id, &d, "find batch"); err != nil {
		return ledger.HireBatch{}, err
	}
	return d.batch(), nil
}

// CommitBatch marks a batch applied, naming the people its entry names.
func (s *Store) CommitBatch(ctx context.Context, id string, people []string) error {
	return s.setID(ctx, colBatches, id, bson.D{{Key: "state", Value: string(ledger.BatchCommitted)}, {Key: "people", Value: people}}, "commit batch")
}

// AbortBatch marks a batch undone.
func (s *Store) AbortBatch(ctx context.Context, id string) error {
	return s.setID(ctx, colBatches, id, bson.D{{Key: "state", Value: string(ledger.BatchAborted)}}, "abort batch")
}

// OpenBatches lists batches still open that were created before a time.
func (s *Store) OpenBatches(ctx context.Context, before time.Time) ([]ledger.HireBatch, error) {
	docs, err := findAll[batchDoc](ctx, s, colBatches, bson.D{
		{Key: "state", Value: string(ledger.BatchOpen)},
		{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: before}}},
	}, "list open batches")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.HireBatch, len(docs))
	for i, d := range docs {
		out[i] = d.batch()
	}
	return out, nil
}

// AllBatches reads every hire batch in one query (for the checker).
func (s *Store) AllBatches(ctx context.Context) ([]ledger.HireBatch, error) {
	docs, err := findAll[batchDoc](ctx, s, colBatches, bson.D{}, "list batches")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.HireBatch, len(docs))
	for i, d := range docs {
		out[i] = d.batch()
	}
	return out, nil
}
