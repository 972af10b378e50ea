// Package mongostore keeps the gateway's accounts and audit records in MongoDB (FerretDB locally).
// Both are looked up by _id: accounts by username, audit records by their time-ordered ID.
package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/mongox"

	"github.com/bianzhi/bianzhi/services/gateway/internal/account"
)

// Collection names.
const (
	AccountsCollection = "accounts"
	AuditCollection    = "audit"
)

type accountDoc struct {
	Username  string    `bson:"_id"`
	Name      string    `bson:"name"`
	Roles     []string  `bson:"roles"`
	Region    string    `bson:"region,omitempty"`
	Units     []string  `bson:"units,omitempty"`
	Password  string    `bson:"password"` // PHC string: algorithm, parameters, salt, key
	Disabled  bool      `bson:"disabled"`
	CreatedAt time.Time `bson:"createdAt"`
	// Revocations counts the times the account's sessions were ended (disabled, password changed);
	// the session version is one more, so accounts stored before it existed read as version 1.
	Revocations int64 `bson:"revocations"`
}

// Accounts is the account store.
type Accounts struct{ c *mongo.Collection }

// NewAccounts returns the store over db.
func NewAccounts(db *mongo.Database) *Accounts {
	return &Accounts{c: db.Collection(AccountsCollection)}
}

// Get returns the account of username, or nil when there is none.
func (s *Accounts) Get(ctx context.Context, username string) (*account.Account, error) {
	var d accountDoc
	err := mongox.Retry(ctx, func() error { return s.c.FindOne(ctx, bson.D{{Key: "_id", Value: username}}).Decode(&d) })
	if mongox.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get account: %w", err)
	}
	a := fromDoc(d)
	return &a, nil
}

// Create stores a new account; it reports false, without error, when the username is taken.
func (s *Accounts) Create(ctx context.Context, a account.Account) (bool, error) {
	roles := make([]string, len(a.Roles))
	for i, r := range a.Roles {
		roles[i] = string(r)
	}
	d := accountDoc{Username: a.Username, Name: a.Name, Roles: roles, Region: a.Region, Units: a.Units,
		Password: string(a.Password), Disabled: a.Disabled, CreatedAt: time.Now().UTC(),
		Revocations: max(a.SessionVersion-1, 0)}
	err := mongox.Retry(ctx, func() error { _, err := s.c.InsertOne(ctx, d); return err })
	if mongox.IsDuplicateKey(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create account: %w", err)
	}
	return true, nil
}

// fromDoc rebuilds an account from storage without the constructor's checks: a stored account is
// taken as it is.
func fromDoc(d accountDoc) account.Account {
	roles := make([]auth.Role, len(d.Roles))
	for i, r := range d.Roles {
		roles[i] = auth.Role(r)
	}
	return account.Account{Username: d.Username, Name: d.Name, Roles: roles, Region: d.Region, Units: d.Units,
		Password: account.Hash(d.Password), Disabled: d.Disabled, SessionVersion: d.Revocations + 1}
}

// SetDisabled disables (or enables) username and ends its sessions; it returns the account as
// changed, or nil when there is none.
func (s *Accounts) SetDisabled(ctx context.Context, username string, disabled bool) (*account.Account, error) {
	return s.revoke(ctx, username, bson.D{{Key: "disabled", Value: disabled}})
}

// SetPassword stores a new password hash for username and ends its sessions; it returns the account
// as changed, or nil when there is none.
func (s *Accounts) SetPassword(ctx context.Context, username string, h account.Hash) (*account.Account, error) {
	return s.revoke(ctx, username, bson.D{{Key: "password", Value: string(h)}})
}

// revoke applies set and raises the session version in one atomic update of the one document, so no
// reader sees the change without the new version.
func (s *Accounts) revoke(ctx context.Context, username string, set bson.D) (*account.Account, error) {
	var d accountDoc
	upd := bson.D{{Key: "$set", Value: set}, {Key: "$inc", Value: bson.D{{Key: "revocations", Value: int64(1)}}}}
	err := mongox.Retry(ctx, func() error {
		return s.c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: username}}, upd,
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	})
	if mongox.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("end sessions of account: %w", err)
	}
	a := fromDoc(d)
	return &a, nil
}

// SessionVersions returns every account's session version, for publishing them all at start.
func (s *Accounts) SessionVersions(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := mongox.Retry(ctx, func() error {
		cur, err := s.c.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "revocations", Value: 1}}))
		if err != nil {
			return err
		}
		var docs []accountDoc
		if err := cur.All(ctx, &docs); err != nil {
			return err
		}
		for _, d := range docs {
			out[d.Username] = d.Revocations + 1
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list session versions: %w", err)
	}
	return out, nil
}

// SeedDemo creates each demo account that does not exist yet and returns how many it created. An
// existing account keeps its password, so a changed demo password survives restarts.
func SeedDemo(ctx context.Context, s *Accounts, hrUnit string) (int, error) {
	n := 0
	for _, d := range account.Demo(hrUnit) {
		if existing, err := s.Get(ctx, d.Username); err != nil {
			return n, err
		} else if existing != nil {
			continue // skip the hash work on every restart
		}
		a, err := account.New(d.Username, d.Name, account.DemoPassword, []auth.Role{d.Role}, d.Region, d.Units)
		if err != nil {
			return n, fmt.Errorf("demo account %s: %w", d.Username, err)
		}
		created, err := s.Create(ctx, a)
		if err != nil {
			return n, err
		}
		if created {
			n++
		}
	}
	return n, nil
}
