package mongostore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// unitDoc keeps a unit's whole history in one document, because the history and the
// current state are read together (asOf, the history page) and one read by _id is the
// cheapest thing the embedded store does. The filter fields copy the current version.
type unitDoc struct {
	ID         string      `bson:"_id"`
	Rev        int         `bson:"rev"`
	RegionCode string      `bson:"regionCode"`
	Kind       unit.Kind   `bson:"kind"`
	Level      unit.Level  `bson:"level"`
	Status     unit.Status `bson:"status"`
	Current    unit.Unit   `bson:"current"`
	Versions   []unit.Unit `bson:"versions"`
}

// revDoc claims one revision of a unit or proposal. Its _id (id#rev) is the lock: of
// two writers of the same next revision, one gets a duplicate key. It carries the full
// new head, so an interrupted write can be rolled forward by the next writer.
type revDoc[T any] struct {
	ID  string `bson:"_id"`
	Doc T      `bson:"doc"`
}

func revID(id string, rev int) string { return fmt.Sprintf("%s#%06d", id, rev) }

func newUnitDoc(h unit.History) unitDoc {
	cur, _ := h.Current()
	return unitDoc{ID: cur.ID, Rev: len(h), RegionCode: cur.RegionCode, Kind: cur.Kind, Level: cur.Level,
		Status: cur.Status, Current: cur, Versions: h}
}

// CreateUnit stores a new unit's first version; ErrDuplicate if the ID is taken.
func (s *Store) CreateUnit(ctx context.Context, u unit.Unit) error {
	doc := newUnitDoc(unit.History{u})
	if err := s.insert(ctx, colUnitRevs, revDoc[unitDoc]{ID: revID(u.ID, 1), Doc: doc}, "claim unit"); err != nil {
		return err
	}
	return s.insert(ctx, colUnits, doc, "insert unit")
}

// CreateUnits stores many new units (the batch import); units whose ID exists are
// skipped, so a failed load can be run again. It returns how many were new.
func (s *Store) CreateUnits(ctx context.Context, us []unit.Unit) (int, error) {
	docs := make([]any, len(us))
	for i, u := range us {
		docs[i] = newUnitDoc(unit.History{u})
	}
	return s.insertMany(ctx, colUnits, docs, "insert units")
}

// History returns every version of a unit.
func (s *Store) History(ctx context.Context, id string) (unit.History, error) {
	var d unitDoc
	if err := s.findOne(ctx, colUnits, id, &d, "find unit"); err != nil {
		return nil, err
	}
	return unit.SortHistory(d.Versions), nil
}

// AppendVersion records next as the version after the current one. It claims the
// revision first; ErrDuplicate means another writer got there first and the caller
// should re-read and retry. A claim left by a writer that died before updating the
// head is rolled forward here, so no unit stays stuck.
func (s *Store) AppendVersion(ctx context.Context, h unit.History, next unit.Unit) error {
	nh := append(append(unit.History{}, h...), next)
	doc := newUnitDoc(nh)
	return writeRevision(ctx, s, colUnits, colUnitRevs, next.ID, doc.Rev, doc, func(d unitDoc) int { return d.Rev })
}

// writeRevision claims revision rev of record id in revs, then replaces the head in col.
// ErrDuplicate means another writer claimed rev first; if that writer never replaced the
// head, its claim (which carries the full head) is rolled forward here.
func writeRevision[T any](ctx context.Context, s *Store, col, revs, id string, rev int, doc T, revOf func(T) int) error {
	err := s.insert(ctx, revs, revDoc[T]{ID: revID(id, rev), Doc: doc}, "claim revision")
	if errors.Is(err, ErrDuplicate) {
		var claim revDoc[T]
		var head T
		if s.findOne(ctx, revs, revID(id, rev), &claim, "read claim") == nil &&
			s.findOne(ctx, col, id, &head, "read head") == nil && revOf(head) < revOf(claim.Doc) {
			_ = s.replace(ctx, col, id, claim.Doc, "roll forward")
		}
		return err
	}
	if err != nil {
		return err
	}
	return s.replace(ctx, col, id, doc, "update head")
}

// UnitFilter narrows ListUnits. Empty fields match everything.
type UnitFilter struct {
	RegionPrefix string // a code prefix, see auth.RegionPrefix
	Kind         unit.Kind
	Level        unit.Level
	Status       unit.Status
	Limit        int64
	Skip         int64
}

// ListUnits returns the current versions of the units matching f, ordered by ID.
func (s *Store) ListUnits(ctx context.Context, f UnitFilter) ([]unit.Unit, error) {
	q := bson.D{}
	if f.RegionPrefix != "" {
		q = append(q, bson.E{Key: "regionCode", Value: bson.D{{Key: "$regex", Value: "^" + regexQuote(f.RegionPrefix)}}})
	}
	if f.Kind != "" {
		q = append(q, bson.E{Key: "kind", Value: f.Kind})
	}
	if f.Level != "" {
		q = append(q, bson.E{Key: "level", Value: f.Level})
	}
	if f.Status != "" {
		q = append(q, bson.E{Key: "status", Value: f.Status})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "current", Value: 1}})
	if f.Limit > 0 {
		opts.SetLimit(f.Limit)
	}
	if f.Skip > 0 {
		opts.SetSkip(f.Skip)
	}
	docs, err := findAll[unitDoc](ctx, s, colUnits, q, "list units", opts)
	out := make([]unit.Unit, len(docs))
	for i, d := range docs {
		out[i] = d.Current
	}
	return out, err
}

// AllHistories returns every unit's history, for the reform statistics.
func (s *Store) AllHistories(ctx context.Context) ([]unit.History, error) {
	docs, err := findAll[unitDoc](ctx, s, colUnits, bson.D{}, "list histories",
		options.Find().SetProjection(bson.D{{Key: "versions", Value: 1}}))
	out := make([]unit.History, len(docs))
	for i, d := range docs {
		out[i] = unit.SortHistory(d.Versions)
	}
	return out, err
}

func regexQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
