package testkit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
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

var pathParam = regexp.MustCompile(`([^/]+)/:(\w+)`)

// FillPath puts records into a route's path parameters, taken from params keyed "<segment>/:<param>"
// ("holds/:id", "units/:unit"): the segment before a parameter says what an ":id" names. The error
// lists the parameters params has no value for, so a fuzz target fails on a new route it cannot
// point anywhere real.
func FillPath(route string, params map[string]string) (string, error) {
	var missing []string
	out := pathParam.ReplaceAllStringFunc(route, func(m string) string {
		v, ok := params[m]
		if !ok {
			missing = append(missing, m)
			return m
		}
		seg, _, _ := strings.Cut(m, "/")
		return seg + "/" + v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no value for path parameter %v: add it to the fuzz target's table", missing)
	}
	return out, nil
}

// FuzzRequest is a fuzzed write: body sent to method url under token with the Idempotency-Key key.
// The variant varies the framing: variant/3 odd sends the body without a Content-Length (as a chunked
// body arrives, so only the reader's limit stops it), variant/6 odd drops the JSON Content-Type.
// (variant%3 is left to the caller, to choose among its tokens.)
func FuzzRequest(method, url string, variant uint8, token, key string, body []byte) *http.Request {
	req := httptest.NewRequest(method, url, bytes.NewReader(body))
	req.RequestURI = "" // usable by an http.Client too
	if variant/3%2 == 1 {
		req.ContentLength = -1
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if variant/6%2 == 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	return req
}

// CheckFuzzedWrite holds a fuzzed write's answer to the two promises of every write route: never a
// 5xx (a panic becomes one), and a refusal (4xx) changes nothing: the digest after it equals before.
func CheckFuzzedWrite(tb testing.TB, req *http.Request, status int, answer, body []byte, before Digest, after func() Digest) {
	tb.Helper()
	if status >= 500 {
		tb.Fatalf("%s %s answered %d: %s\nbody: %q", req.Method, req.URL.Path, status, answer, body)
	}
	if status >= 400 {
		if changed := before.Changed(after()); len(changed) > 0 {
			tb.Fatalf("%s %s refused with %d but changed %v: %s\nbody: %q", req.Method, req.URL.Path, status, changed, answer, body)
		}
	}
}

// DoFuzzedWrite sends req over HTTP and holds the answer to CheckFuzzedWrite.
func DoFuzzedWrite(tb testing.TB, req *http.Request, body []byte, before Digest, after func() Digest) {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	CheckFuzzedWrite(tb, req, resp.StatusCode, answer, body, before, after)
}
