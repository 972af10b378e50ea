// Package mongox connects services to MongoDB (FerretDB locally) with tracing, creates their indexes at
// start, and recognises the errors that the ledger's correctness rests on (duplicate keys) in both
// MongoDB's and FerretDB's forms.
package mongox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/trace"
)

// Connect opens a client to uri with command tracing and checks it with a ping.
func Connect(ctx context.Context, uri string, tp trace.TracerProvider) (*mongo.Client, error) {
	opts := options.Client().ApplyURI(uri).
		SetMonitor(NewCommandMonitor(tp)).
		SetServerSelectionTimeout(10 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetRetryWrites(false) // FerretDB has no sessions; MongoDB retries are idempotent anyway by our keys
	cl, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect mongo: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := Retry(pctx, func() error { return cl.Ping(pctx, nil) }); err != nil {
		_ = cl.Disconnect(context.Background())
		return nil, fmt.Errorf("ping mongo: %w", err)
	}
	return cl, nil
}

// Ping is a readiness check.
func Ping(cl *mongo.Client) func(ctx context.Context) error {
	return func(ctx context.Context) error { return cl.Ping(ctx, nil) }
}

// Index describes one index a service needs.
type Index struct {
	Collection string
	Keys       bson.D
	Unique     bool
	Name       string
}

// EnsureIndexes creates the indexes (idempotently; creating an existing index is a no-op).
func EnsureIndexes(ctx context.Context, db *mongo.Database, idx []Index) error {
	for _, ix := range idx {
		m := mongo.IndexModel{Keys: ix.Keys, Options: options.Index().SetUnique(ix.Unique)}
		if ix.Name != "" {
			m.Options.SetName(ix.Name)
		}
		err := Retry(ctx, func() error {
			_, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, m)
			return err
		})
		if err != nil {
			return fmt.Errorf("create index on %s: %w", ix.Collection, err)
		}
	}
	return nil
}

// IsDuplicateKey reports whether err is a unique-index violation. MongoDB reports E11000 on inserts
// and updates; FerretDB reports E11000 on inserts but an InternalError (code 1) mentioning the
// UNIQUE constraint on updates, which would otherwise look like an outage.
func IsDuplicateKey(err error) bool {
	if err == nil {
		return false
	}
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "E11000") || strings.Contains(msg, "UNIQUE constraint failed") ||
		strings.Contains(strings.ToLower(msg), "duplicate key")
}

// IsTransient reports errors worth retrying: SQLite's busy/locked answers under concurrent writers in
// FerretDB, and network blips.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "SQLITE_LOCKED")
}

// Retry runs op again on transient errors with jittered backoff until ctx ends or 8 attempts pass.
// Only idempotent operations may be retried; the ledger's inserts are (their keys are unique).
func Retry(ctx context.Context, op func() error) error {
	delay := 5 * time.Millisecond
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		if err = op(); err == nil || !IsTransient(err) {
			return err
		}
		jitter := time.Duration(rand.Int64N(int64(delay)))
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(delay + jitter):
		}
		if delay < 500*time.Millisecond {
			delay *= 2
		}
	}
	return err
}

// IsNotFound reports a missing document.
func IsNotFound(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
