package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// colRequests holds the claimed Idempotency-Keys of the write routes and
// their answers. Both are insert-only: the claim is keyed by the request's
// ID, its answer by <ID>#answer, so of two attempts saving an answer the
// first wins on both stores (a filtered "set if unset" update would not be
// atomic on the embedded one).
const colRequests = "requests"

const answerSuffix = "#answer"

type requestDoc struct {
	ID          string    `bson:"_id"`
	Fingerprint string    `bson:"fingerprint,omitempty"`
	Route       string    `bson:"route,omitempty"`
	CreatedAt   time.Time `bson:"createdAt"`
	// The answer document's fields.
	Status      int    `bson:"status,omitempty"`
	ContentType string `bson:"contentType,omitempty"`
	Body        []byte `bson:"body,omitempty"`
}

// ClaimRequest inserts the claim of a request; ErrDuplicate if the caller's
// key was claimed before.
func (s *Store) ClaimRequest(ctx context.Context, rec ledger.RequestRecord) error {
	return s.insert(ctx, colRequests, requestDoc{ID: rec.ID, Fingerprint: rec.Fingerprint, Route: rec.Route, CreatedAt: rec.CreatedAt.UTC()},
		"claim request")
}

// Request reads a claim with its saved answer (one read by _id).
func (s *Store) Request(ctx context.Context, id string) (ledger.RequestRecord, error) {
	docs, err := findAll[requestDoc](ctx, s, colRequests,
		bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{id, id + answerSuffix}}}}}, "find request")
	if err != nil {
		return ledger.RequestRecord{}, err
	}
	var out ledger.RequestRecord
	found := false
	for _, d := range docs {
		switch d.ID {
		case id:
			found = true
			out.ID, out.Fingerprint, out.Route, out.CreatedAt = d.ID, d.Fingerprint, d.Route, d.CreatedAt.UTC()
		case id + answerSuffix:
			out.Status, out.ContentType, out.Body = d.Status, d.ContentType, d.Body
		}
	}
	if !found {
		return ledger.RequestRecord{}, ledger.ErrNotFound
	}
	return out, nil
}

// SaveResponse keeps the answer of a claimed request. An answer saved
// before (by a concurrent or earlier attempt) is kept and this one dropped.
func (s *Store) SaveResponse(ctx context.Context, id string, status int, contentType string, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	err := s.insert(ctx, colRequests, requestDoc{ID: id + answerSuffix, CreatedAt: time.Now().UTC(), Status: status,
		ContentType: contentType, Body: body}, "save response")
	if errors.Is(err, ledger.ErrDuplicate) {
		return nil
	}
	return err
}
