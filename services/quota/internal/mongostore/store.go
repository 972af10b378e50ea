// Package mongostore is the quota ledger's MongoDB adapter (embedded FerretDB
// in development and tests). Every record that guards a rule is created by
// an insert keyed by _id or by the entries' unique transferLeg: those are
// the only writes both stores make atomic. Lookups on hot paths go by _id,
// the only lookup the embedded store does without scanning.
package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Collection names.
const (
	colAccounts   = "accounts"
	colEntries    = "entries"
	colTransfers  = "transfers"
	colIncumbents = "incumbents"
	colHolds      = "holds"
	colSlots      = "slots"
	colPlans      = "plans"
	colCases      = "cases"
	colBlocks     = "blocks"
)

// Indexes are the indexes the store needs; app creates them at start.
// entries.transferLeg is the guard that applies a transfer's leg at most
// once, whatever sequence number a writer or recovery tries it at.
var Indexes = []mongox.Index{
	{Collection: colEntries, Keys: bson.D{{Key: "transferLeg", Value: 1}}, Unique: true, Name: "transferLeg_unique"},
	{Collection: colEntries, Keys: bson.D{{Key: "account", Value: 1}, {Key: "seq", Value: 1}}, Name: "account_seq"},
	{Collection: colTransfers, Keys: bson.D{{Key: "state", Value: 1}}, Name: "state"},
	{Collection: colIncumbents, Keys: bson.D{{Key: "unit", Value: 1}}, Name: "unit"},
	{Collection: colBatches, Keys: bson.D{{Key: "state", Value: 1}}, Name: "state"},
}

// Store implements ledger.Store on a mongo database.
type Store struct {
	db *mongo.Database
}

var _ ledger.Store = (*Store)(nil)

// New returns a store on db.
func New(db *mongo.Database) *Store { return &Store{db: db} }

// EnsureIndexes creates the store's indexes.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	return mongox.EnsureIndexes(ctx, s.db, Indexes)
}

func (s *Store) c(name string) *mongo.Collection { return s.db.Collection(name) }

// translate maps driver errors to the ledger's sentinels, so use cases never
// see a driver type.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case mongox.IsNotFound(err):
		return ledger.ErrNotFound
	case mongox.IsDuplicateKey(err):
		return fmt.Errorf("%s: %w", what, ledger.ErrDuplicate)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// insert inserts one document, retrying the embedded store's transient
// busy answers (safe: the _id makes a repeated insert a duplicate).
func (s *Store) insert(ctx context.Context, col string, doc any, what string) error {
	return translate(mongox.Retry(ctx, func() error {
		_, err := s.c(col).InsertOne(ctx, doc)
		return err
	}), what)
}

func (s *Store) findID(ctx context.Context, col string, id any, out any, what string) error {
	return translate(mongox.Retry(ctx, func() error {
		return s.c(col).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(out)
	}), what)
}

func (s *Store) setID(ctx context.Context, col string, id any, set bson.D, what string) error {
	return translate(mongox.Retry(ctx, func() error {
		_, err := s.c(col).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: set}})
		return err
	}), what)
}

func (s *Store) replaceID(ctx context.Context, col string, id any, doc any, what string) error {
	return translate(mongox.Retry(ctx, func() error {
		res, err := s.c(col).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc)
		if err == nil && res.MatchedCount == 0 {
			return mongo.ErrNoDocuments
		}
		return err
	}), what)
}

func findAll[T any](ctx context.Context, s *Store, col string, filter any, what string) ([]T, error) {
	var out []T
	err := mongox.Retry(ctx, func() error {
		cur, err := s.c(col).Find(ctx, filter)
		if err != nil {
			return err
		}
		out = nil
		return cur.All(ctx, &out)
	})
	return out, translate(err, what)
}

// insertMany inserts docs unordered and returns the indexes refused as
// duplicates; any other failure is an error.
func (s *Store) insertMany(ctx context.Context, col string, docs []any, what string) ([]int, error) {
	var dup []int
	err := mongox.Retry(ctx, func() error {
		dup = nil
		_, err := s.c(col).InsertMany(ctx, docs, optsUnordered)
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) && bwe.WriteConcernError == nil {
			for _, we := range bwe.WriteErrors {
				if !mongox.IsDuplicateKey(we) && we.Code != 11000 {
					return err
				}
				dup = append(dup, we.Index)
			}
			return nil
		}
		return err
	})
	return dup, translate(err, what)
}

func retry(ctx context.Context, op func() error) error { return mongox.Retry(ctx, op) }
