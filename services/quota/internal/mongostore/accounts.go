package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

type accountDoc struct {
	ID         string    `bson:"_id"`
	Type       string    `bson:"type"`
	Holder     string    `bson:"holder"`
	Kind       string    `bson:"kind"`
	Region     string    `bson:"region"`
	Level      string    `bson:"level"`
	Department string    `bson:"department,omitempty"`
	Name       string    `bson:"name,omitempty"`
	Abolished  bool      `bson:"abolished"`
	CreatedAt  time.Time `bson:"createdAt"`
	HeadHint   int64     `bson:"headHint"`
}

func toAccountDoc(a ledger.Account) accountDoc {
	return accountDoc{ID: string(a.ID), Type: string(a.Type), Holder: a.Holder, Kind: string(a.Kind), Region: a.Region,
		Level: string(a.Level), Department: a.Department, Name: a.Name, Abolished: a.Abolished, CreatedAt: a.CreatedAt}
}

func (d accountDoc) record() ledger.AccountRecord {
	return ledger.AccountRecord{Account: ledger.Account{ID: ledger.AccountID(d.ID), Type: ledger.HolderType(d.Type),
		Holder: d.Holder, Kind: ledger.Kind(d.Kind), Region: d.Region, Level: ledger.Level(d.Level),
		Department: d.Department, Name: d.Name, Abolished: d.Abolished, CreatedAt: d.CreatedAt}, HeadHint: d.HeadHint}
}

// InsertAccount creates an account; ErrDuplicate if it exists.
func (s *Store) InsertAccount(ctx context.Context, a ledger.Account) error {
	return s.insert(ctx, colAccounts, toAccountDoc(a), "insert account")
}

// Account reads an account by ID.
func (s *Store) Account(ctx context.Context, id ledger.AccountID) (ledger.AccountRecord, error) {
	var d accountDoc
	if err := s.findID(ctx, colAccounts, string(id), &d, "find account"); err != nil {
		return ledger.AccountRecord{}, err
	}
	return d.record(), nil
}

// Accounts lists accounts matching f. Region matches the region's subtree
// by prefix, which is what the division codes encode.
func (s *Store) Accounts(ctx context.Context, f ledger.AccountFilter) ([]ledger.AccountRecord, error) {
	q := bson.D{}
	if f.Region != "" {
		prefix := f.Region
		switch ledger.RegionLevel(f.Region) {
		case ledger.LevelCity:
			prefix = f.Region[:4]
		case ledger.LevelProvince:
			prefix = f.Region[:2]
		}
		q = append(q, bson.E{Key: "region", Value: bson.D{{Key: "$regex", Value: "^" + prefix}}})
	}
	if f.Kind != "" {
		q = append(q, bson.E{Key: "kind", Value: string(f.Kind)})
	}
	if f.Type != "" {
		q = append(q, bson.E{Key: "type", Value: string(f.Type)})
	}
	if f.Unit != "" {
		q = append(q, bson.E{Key: "type", Value: string(ledger.HolderUnit)}, bson.E{Key: "holder", Value: f.Unit})
	}
	if f.Department != "" {
		q = append(q, bson.E{Key: "department", Value: f.Department})
	}
	if f.Level != "" {
		q = append(q, bson.E{Key: "level", Value: string(f.Level)})
	}
	if len(f.IDs) > 0 {
		ids := make([]string, len(f.IDs))
		for i, id := range f.IDs {
			ids[i] = string(id)
		}
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}})
	}
	docs, err := findAll[accountDoc](ctx, s, colAccounts, q, "list accounts")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.AccountRecord, len(docs))
	for i, d := range docs {
		out[i] = d.record()
	}
	return out, nil
}

// SetAbolished marks an account's holder abolished or restored.
func (s *Store) SetAbolished(ctx context.Context, id ledger.AccountID, abolished bool) error {
	return s.setID(ctx, colAccounts, string(id), bson.D{{Key: "abolished", Value: abolished}}, "set abolished")
}

// SetHeadHint records a recent head sequence. It is only a hint: readers
// probe forward from it, so a stale or lost hint costs reads, never
// correctness, and racing writers may overwrite each other freely.
func (s *Store) SetHeadHint(ctx context.Context, id ledger.AccountID, seq int64) error {
	return s.setID(ctx, colAccounts, string(id), bson.D{{Key: "headHint", Value: seq}}, "set head hint")
}
