package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/bianzhi/bianzhi/pkg/mongox"

	"github.com/bianzhi/bianzhi/services/gateway/internal/audit"
)

type auditDoc struct {
	ID         string    `bson:"_id"`
	At         time.Time `bson:"at"`
	RequestID  string    `bson:"requestId"`
	Subject    string    `bson:"subject"`
	Name       string    `bson:"name,omitempty"`
	Roles      []string  `bson:"roles,omitempty"`
	Method     string    `bson:"method"`
	Path       string    `bson:"path"`
	Service    string    `bson:"service,omitempty"`
	Resource   string    `bson:"resource,omitempty"`
	ResourceID string    `bson:"resourceId,omitempty"`
	ClientIP   string    `bson:"clientIp"`
	Status     int64     `bson:"status"`
}

// Audit is the append-only audit store: it inserts and reads, and has no update or delete.
type Audit struct{ c *mongo.Collection }

// NewAudit returns the store over db.
func NewAudit(db *mongo.Database) *Audit { return &Audit{c: db.Collection(AuditCollection)} }

// Append inserts r. A retry after a lost answer may find the record already there, which counts as
// done: the ID is the record's identity.
func (s *Audit) Append(ctx context.Context, r audit.Record) error {
	d := auditDoc{ID: r.ID, At: r.At.UTC(), RequestID: r.RequestID, Subject: r.Subject, Name: r.Name, Roles: r.Roles,
		Method: r.Method, Path: r.Path, Service: r.Service, Resource: r.Resource, ResourceID: r.ResourceID,
		ClientIP: r.ClientIP, Status: int64(r.Status)}
	err := mongox.Retry(ctx, func() error { _, err := s.c.InsertOne(ctx, d); return err })
	if err != nil && !mongox.IsDuplicateKey(err) {
		return fmt.Errorf("append audit record: %w", err)
	}
	return nil
}

// List returns the records q selects, newest first. The time range is a range of _id (see
// audit.IDBound), so the store walks the primary key instead of scanning; a subject filter scans
// only within that range.
func (s *Audit) List(ctx context.Context, q audit.Query) ([]audit.Record, error) {
	filter := bson.D{{Key: "_id", Value: bson.D{
		{Key: "$gte", Value: audit.IDBound(q.From)},
		{Key: "$lt", Value: audit.IDBound(q.To)},
	}}}
	if q.Subject != "" {
		filter = append(filter, bson.E{Key: "subject", Value: q.Subject})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(q.Limit))
	cur, err := s.c.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("list audit records: %w", err)
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read audit records: %w", err)
	}
	out := make([]audit.Record, len(docs))
	for i, d := range docs {
		out[i] = audit.Record{ID: d.ID, At: d.At, RequestID: d.RequestID, Subject: d.Subject, Name: d.Name,
			Roles: d.Roles, Method: d.Method, Path: d.Path, Service: d.Service, Resource: d.Resource,
			ResourceID: d.ResourceID, ClientIP: d.ClientIP, Status: int(d.Status)}
	}
	return out, nil
}
