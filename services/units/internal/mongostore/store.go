// Package mongostore is the units service's MongoDB adapter (embedded FerretDB in
// development and tests). Hot reads go by _id, the only lookup the embedded store does
// without a scan; every write that must not happen twice is an insert keyed by _id,
// the one guard both stores make atomic (ADR 0201).
package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/bianzhi/bianzhi/pkg/mongox"
)

// Collection names.
const (
	colRegions    = "regions"
	colUnits      = "units"
	colUnitRevs   = "unit_revs"
	colCharters   = "charters"
	colProposals  = "proposals"
	colPropRevs   = "proposal_revs"
	colSteps      = "steps"
	colCredits    = "credits"
	colCreditUses = "credit_uses"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// ErrDuplicate is returned when an insert collides with an existing _id: a second
// writer for the same revision, or a record that already exists.
var ErrDuplicate = errors.New("duplicate")

// Indexes are created at start. They help MongoDB in production; the embedded SQLite
// backend scans regardless, which is why list filters are kept off hot paths.
var Indexes = []mongox.Index{
	{Collection: colUnits, Keys: bson.D{{Key: "regionCode", Value: 1}}, Name: "regionCode"},
	{Collection: colProposals, Keys: bson.D{{Key: "regionCode", Value: 1}}, Name: "regionCode"},
	{Collection: colCredits, Keys: bson.D{{Key: "region", Value: 1}}, Name: "region"},
}

// Store is the units service's persistence.
type Store struct {
	db *mongo.Database
}

// New returns a store on db.
func New(db *mongo.Database) *Store { return &Store{db: db} }

// EnsureIndexes creates the store's indexes.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	return mongox.EnsureIndexes(ctx, s.db, Indexes)
}

func (s *Store) c(name string) *mongo.Collection { return s.db.Collection(name) }

func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case mongox.IsNotFound(err):
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case mongox.IsDuplicateKey(err):
		return fmt.Errorf("%s: %w", what, ErrDuplicate)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// insert inserts one document, retrying the embedded store's transient busy answers
// (safe: a repeated insert of the same _id is a duplicate, never a second record).
func (s *Store) insert(ctx context.Context, col string, doc any, what string) error {
	return translate(mongox.Retry(ctx, func() error {
		_, err := s.c(col).InsertOne(ctx, doc)
		return err
	}), what)
}

// insertMany inserts docs unordered and returns how many were new; duplicates are
// skipped, so a batch load can be re-run after a failure.
func (s *Store) insertMany(ctx context.Context, col string, docs []any, what string) (int, error) {
	if len(docs) == 0 {
		return 0, nil
	}
	var res *mongo.InsertManyResult
	err := mongox.Retry(ctx, func() error {
		var err error
		res, err = s.c(col).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		return err
	})
	n := 0
	if res != nil {
		n = len(res.InsertedIDs)
	}
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) {
		for _, we := range bwe.WriteErrors {
			if !mongox.IsDuplicateKey(we) && we.Code != 11000 {
				return n, translate(err, what)
			}
		}
		return len(docs) - len(bwe.WriteErrors), nil
	}
	if err != nil {
		return n, translate(err, what)
	}
	return n, nil
}

func (s *Store) findOne(ctx context.Context, col string, id string, out any, what string) error {
	return translate(mongox.Retry(ctx, func() error {
		return s.c(col).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(out)
	}), what)
}

func (s *Store) replace(ctx context.Context, col, id string, doc any, what string) error {
	return translate(mongox.Retry(ctx, func() error {
		_, err := s.c(col).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true))
		return err
	}), what)
}

func findAll[T any](ctx context.Context, s *Store, col string, filter any, what string, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	var out []T
	err := mongox.Retry(ctx, func() error {
		cur, err := s.c(col).Find(ctx, filter, opts...)
		if err != nil {
			return err
		}
		out = nil
		return cur.All(ctx, &out)
	})
	if out == nil {
		out = []T{}
	}
	return out, translate(err, what)
}
