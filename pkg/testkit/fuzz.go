package testkit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// BrokenBodies returns valid and the ways a JSON body goes wrong, for the seed corpus of a fuzz
// target over a write route: empty, malformed, deeply nested, not an object, an unknown field,
// trailing data, a byte-order mark, and valid's own fields (rows of a batch included) each as the
// wrong type, null, huge, negative, fractional, very long, empty and in unusual unicode.
func BrokenBodies(valid []byte) [][]byte {
	out := [][]byte{valid, nil, []byte(`{`), []byte(`{"a":`), []byte(`null`), []byte(`[]`), []byte(`"x"`), []byte(`12`),
		[]byte(`{"unexpected":true}`), append(slices.Clone(valid), `{}`...), bytes.Repeat([]byte(`[`), 10000),
		append([]byte{0xef, 0xbb, 0xbf}, valid...)}
	var v any
	if json.Unmarshal(valid, &v) != nil {
		return out
	}
	number := func(n string) func(any) any {
		return func(x any) any {
			if _, ok := x.(float64); ok {
				return json.Number(n)
			}
			return x
		}
	}
	str := func(s string) func(any) any {
		return func(x any) any {
			if _, ok := x.(string); ok {
				return s
			}
			return x
		}
	}
	for _, m := range []func(any) any{
		func(x any) any { // wrong types
			switch x.(type) {
			case string:
				return 7
			case float64, bool:
				return "7"
			}
			return x
		},
		func(any) any { return nil },
		number("99999999999999999999999"), number("1e400"), number("-9223372036854775808"), number("-1"), number("0.5"),
		str(strings.Repeat("编", 70000)), str("\u0000\ufffd\U0001F600ｕ１\u202e"), str(""),
	} {
		out = append(out, mutateLeaves(v, m))
	}
	return out
}

// mutateLeaves applies m to every leaf of v and returns the JSON; a json.Number leaf is written as
// is, so a number beyond float64 reaches the server as the seed wrote it.
func mutateLeaves(v any, m func(any) any) []byte {
	var walk func(any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case map[string]any:
			o := map[string]any{}
			for k, e := range t {
				o[k] = walk(e)
			}
			return o
		case []any:
			o := make([]any, len(t))
			for i, e := range t {
				o[i] = walk(e)
			}
			return o
		}
		return m(x)
	}
	b, err := json.Marshal(walk(v))
	if err != nil {
		panic(err)
	}
	return b
}

// Digest is a digest of every collection of a database, for a test that must prove a request
// changed nothing: compare one taken before with one taken after.
type Digest map[string][sha256.Size]byte

// DigestDB reads every document of every collection of db (except those named in skip) in _id
// order and digests each collection.
func DigestDB(tb testing.TB, db *mongo.Database, skip ...string) Digest {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		tb.Fatalf("digest %s: %v", db.Name(), err)
	}
	out := Digest{}
	for _, name := range names {
		if slices.Contains(skip, name) {
			continue
		}
		cur, err := db.Collection(name).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			tb.Fatalf("digest %s.%s: %v", db.Name(), name, err)
		}
		h := sha256.New()
		for cur.Next(ctx) {
			h.Write(cur.Current)
		}
		if err := cur.Err(); err != nil {
			tb.Fatalf("digest %s.%s: %v", db.Name(), name, err)
		}
		_ = cur.Close(ctx)
		var sum [sha256.Size]byte
		copy(sum[:], h.Sum(nil))
		out[name] = sum
	}
	return out
}

// Changed lists the collections (or parts) whose digest differs between d and after, or that
// exist in only one of them.
func (d Digest) Changed(after Digest) []string {
	var out []string
	for k, v := range d {
		if w, ok := after[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range after {
		if _, ok := d[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
