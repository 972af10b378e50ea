package mongostore

import (
	"context"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

type planDoc struct {
	ID        string    `bson:"_id"`
	Unit      string    `bson:"unit"`
	Kind      string    `bson:"kind"`
	Count     int64     `bson:"count"`
	Purpose   string    `bson:"purpose"`
	Year      int       `bson:"year"`
	State     string    `bson:"state"`
	HoldID    string    `bson:"holdId,omitempty"`
	FiledBy   string    `bson:"filedBy,omitempty"`
	DecidedBy string    `bson:"decidedBy,omitempty"`
	DocNo     string    `bson:"docNo,omitempty"`
	CreatedAt time.Time `bson:"createdAt"`
}

func toPlanDoc(p ledger.UsagePlan) planDoc {
	return planDoc{ID: p.ID, Unit: p.Unit, Kind: string(p.Kind), Count: p.Count, Purpose: p.Purpose, Year: p.Year,
		State: string(p.State), HoldID: p.HoldID, FiledBy: p.FiledBy, DecidedBy: p.DecidedBy, DocNo: p.DocNo, CreatedAt: p.CreatedAt}
}

func (d planDoc) plan() ledger.UsagePlan {
	return ledger.UsagePlan{ID: d.ID, Unit: d.Unit, Kind: ledger.Kind(d.Kind), Count: d.Count, Purpose: d.Purpose, Year: d.Year,
		State: ledger.PlanState(d.State), HoldID: d.HoldID, FiledBy: d.FiledBy, DecidedBy: d.DecidedBy, DocNo: d.DocNo, CreatedAt: d.CreatedAt.UTC()}
}

// InsertPlan files a plan.
func (s *Store) InsertPlan(ctx context.Context, p ledger.UsagePlan) error {
	return s.insert(ctx, colPlans, toPlanDoc(p), "insert plan")
}

// Plan reads a plan.
func (s *Store) Plan(ctx context.Context, id string) (ledger.UsagePlan, error) {
	var d planDoc
	if err := s.findID(ctx, colPlans, id, &d, "find plan"); err != nil {
		return ledger.UsagePlan{}, err
	}
	return d.plan(), nil
}

// UpdatePlan records a decision on a plan.
func (s *Store) UpdatePlan(ctx context.Context, p ledger.UsagePlan) error {
	return s.replaceID(ctx, colPlans, p.ID, toPlanDoc(p), "update plan")
}

type caseDoc struct {
	ID            string    `bson:"_id"`
	Subject       string    `bson:"subject"`
	Region        string    `bson:"region"`
	Violation     string    `bson:"violation"`
	Facts         string    `bson:"facts"`
	Interview     string    `bson:"interview,omitempty"`
	PenaltyPosts  int64     `bson:"penaltyPosts"`
	Deducted      int64     `bson:"deducted"`
	Rectification string    `bson:"rectification,omitempty"`
	State         string    `bson:"state"`
	OpenedBy      string    `bson:"openedBy,omitempty"`
	OpenedAt      time.Time `bson:"openedAt"`
	ClosedAt      time.Time `bson:"closedAt,omitempty"`
	Penalized     bool      `bson:"penalized"`
	OpenerRegion  string    `bson:"openerRegion,omitempty"`
	ClosedBy      string    `bson:"closedBy,omitempty"`
}

func toCaseDoc(c ledger.Case) caseDoc {
	return caseDoc{ID: c.ID, Subject: c.Subject, Region: c.Region, Violation: string(c.Violation), Facts: c.Facts,
		Interview: c.Interview, PenaltyPosts: c.PenaltyPosts, Deducted: c.Deducted, Rectification: c.Rectification, State: string(c.State),
		OpenedBy: c.OpenedBy, OpenedAt: c.OpenedAt, ClosedAt: c.ClosedAt, Penalized: c.Penalized, ClosedBy: c.ClosedBy, OpenerRegion: c.OpenerRegion}
}

func (d caseDoc) kase() ledger.Case {
	return ledger.Case{ID: d.ID, Subject: d.Subject, Region: d.Region, Violation: ledger.Violation(d.Violation), Facts: d.Facts,
		Interview: d.Interview, PenaltyPosts: d.PenaltyPosts, Deducted: d.Deducted, Rectification: d.Rectification, State: ledger.CaseState(d.State),
		OpenedBy: d.OpenedBy, OpenedAt: d.OpenedAt.UTC(), ClosedAt: d.ClosedAt.UTC(), Penalized: d.Penalized, ClosedBy: d.ClosedBy, OpenerRegion: d.OpenerRegion}
}

// InsertCase opens a case record.
func (s *Store) InsertCase(ctx context.Context, c ledger.Case) error {
	return s.insert(ctx, colCases, toCaseDoc(c), "insert case")
}

// Case reads a case.
func (s *Store) Case(ctx context.Context, id string) (ledger.Case, error) {
	var d caseDoc
	if err := s.findID(ctx, colCases, id, &d, "find case"); err != nil {
		return ledger.Case{}, err
	}
	return d.kase(), nil
}

// OpenCases lists the open cases (a scan: recovery only).
func (s *Store) OpenCases(ctx context.Context) ([]ledger.Case, error) {
	docs, err := findAll[caseDoc](ctx, s, colCases, bson.D{{Key: "state", Value: string(ledger.CaseOpen)}}, "list open cases")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Case, len(docs))
	for i, d := range docs {
		out[i] = d.kase()
	}
	return out, nil
}

// UpdateCase records rectification progress or closure.
func (s *Store) UpdateCase(ctx context.Context, c ledger.Case) error {
	return s.replaceID(ctx, colCases, c.ID, toCaseDoc(c), "update case")
}

// Block adds caseID to the subject's open cases. The block document is
// keyed by subject so every write checks it with one read by _id.
func (s *Store) Block(ctx context.Context, subject, caseID string) error {
	return translate(retry(ctx, func() error {
		_, err := s.c(colBlocks).UpdateOne(ctx, bson.D{{Key: "_id", Value: subject}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "open." + caseID, Value: true}}}}, optsUpsert)
		return err
	}), "block subject")
}

// Unblock removes caseID from the subject's open cases.
func (s *Store) Unblock(ctx context.Context, subject, caseID string) error {
	return translate(retry(ctx, func() error {
		_, err := s.c(colBlocks).UpdateOne(ctx, bson.D{{Key: "_id", Value: subject}},
			bson.D{{Key: "$unset", Value: bson.D{{Key: "open." + caseID, Value: ""}}}})
		return err
	}), "unblock subject")
}

// AllBlocks returns every subject's open cases.
func (s *Store) AllBlocks(ctx context.Context) (ledger.Blocks, error) {
	type blockDoc struct {
		ID   string          `bson:"_id"`
		Open map[string]bool `bson:"open"`
	}
	docs, err := findAll[blockDoc](ctx, s, colBlocks, bson.D{}, "list all blocks")
	if err != nil {
		return nil, err
	}
	out := ledger.Blocks{}
	for _, d := range docs {
		for _, id := range sortedOpen(d.Open) {
			out[d.ID] = append(out[d.ID], id)
		}
	}
	return out, nil
}

func sortedOpen(m map[string]bool) []string {
	var out []string
	for id, open := range m {
		if open {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Blocks returns the open cases of the given subjects.
func (s *Store) Blocks(ctx context.Context, subjects ...string) (ledger.Blocks, error) {
	var want []string
	for _, sub := range subjects {
		if sub != "" {
			want = append(want, sub)
		}
	}
	out := ledger.Blocks{}
	if len(want) == 0 {
		return out, nil
	}
	type blockDoc struct {
		ID   string          `bson:"_id"`
		Open map[string]bool `bson:"open"`
	}
	var docs []blockDoc
	var err error
	if len(want) == 1 {
		var d blockDoc
		err = s.findID(ctx, colBlocks, want[0], &d, "find block")
		if err == nil {
			docs = append(docs, d)
		} else if err == ledger.ErrNotFound {
			err = nil
		}
	} else {
		docs, err = findAll[blockDoc](ctx, s, colBlocks, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: want}}}}, "list blocks")
	}
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		for id, open := range d.Open {
			if open {
				out[d.ID] = append(out[d.ID], id)
			}
		}
	}
	return out, nil
}
