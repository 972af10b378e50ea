package mongox_test

import (
	"context"
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

func TestDuplicateKeyIsRecognisedOnInsertAndUpdate(t *testing.T) {
	db := testkit.Mongo(t)
	ctx := context.Background()
	err := mongox.EnsureIndexes(ctx, db, []mongox.Index{{Collection: "people", Keys: bson.D{{Key: "idNumber", Value: 1}}, Unique: true}})
	if err != nil {
		t.Fatal(err)
	}
	c := db.Collection("people")
	if _, err := c.InsertOne(ctx, bson.M{"_id": "a", "idNumber": "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertOne(ctx, bson.M{"_id": "b", "idNumber": "2"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.InsertOne(ctx, bson.M{"_id": "a", "idNumber": "3"})
	if !mongox.IsDuplicateKey(err) {
		t.Fatalf("insert with taken _id: want duplicate key, got %v", err)
	}
	_, err = c.InsertOne(ctx, bson.M{"_id": "c", "idNumber": "1"})
	if !mongox.IsDuplicateKey(err) {
		t.Fatalf("insert with taken unique field: want duplicate key, got %v", err)
	}
	_, err = c.UpdateOne(ctx, bson.M{"_id": "b"}, bson.M{"$set": bson.M{"idNumber": "1"}})
	if !mongox.IsDuplicateKey(err) {
		t.Fatalf("update onto taken unique field: want duplicate key, got %v", err)
	}
	if mongox.IsDuplicateKey(errors.New("connection reset")) || mongox.IsDuplicateKey(nil) {
		t.Fatal("unrelated errors taken for duplicate keys")
	}
}

func TestEnsureIndexesIsIdempotent(t *testing.T) {
	db := testkit.Mongo(t)
	ix := []mongox.Index{{Collection: "x", Keys: bson.D{{Key: "k", Value: 1}}, Unique: true}}
	for range 2 {
		if err := mongox.EnsureIndexes(context.Background(), db, ix); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRetryStopsOnPermanentErrors(t *testing.T) {
	t.Parallel()
	calls := 0
	err := mongox.Retry(context.Background(), func() error { calls++; return errors.New("bad filter") })
	if err == nil || calls != 1 {
		t.Fatalf("permanent error retried: calls=%d", calls)
	}
	calls = 0
	err = mongox.Retry(context.Background(), func() error {
		calls++
		if calls < 3 {
			return errors.New("database is locked (5) (SQLITE_BUSY)")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("transient error not retried: calls=%d err=%v", calls, err)
	}
}
