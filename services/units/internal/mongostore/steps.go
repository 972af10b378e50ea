package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// StepRecord is the durable record of one execution step. Prepare inserts it, fixing
// the amounts the step moves (read from the ledger once, never again); Done marks it
// carried out. A resumed execution skips done steps and re-sends prepared ones with the
// same amounts and idempotency key, which the quota service answers with its first result.
type StepRecord struct {
	unit.Step  `bson:",inline"`
	Amounts    []unit.QuotaLine `json:"amounts,omitempty" bson:"amounts,omitempty"`
	Done       bool             `json:"done" bson:"done"`
	Result     string           `json:"result,omitempty" bson:"result,omitempty"`
	PreparedAt time.Time        `json:"preparedAt" bson:"preparedAt"`
	DoneAt     time.Time        `json:"doneAt,omitzero" bson:"doneAt,omitempty"`
}

// PrepareStep inserts r unless a record of the step exists, and returns the stored
// record either way: the first preparation wins, so amounts never change on retry.
func (s *Store) PrepareStep(ctx context.Context, r StepRecord) (StepRecord, error) {
	err := s.insert(ctx, colSteps, r, "prepare step")
	if err == nil {
		return r, nil
	}
	if !errors.Is(err, ErrDuplicate) {
		return StepRecord{}, err
	}
	return s.StepRecord(ctx, r.ID)
}

// StepRecord returns the record of a step.
func (s *Store) StepRecord(ctx context.Context, id string) (StepRecord, error) {
	var r StepRecord
	err := s.findOne(ctx, colSteps, id, &r, "find step")
	return r, err
}

// MarkStepDone records that a step has been carried out.
func (s *Store) MarkStepDone(ctx context.Context, id, result string, at time.Time) error {
	return translate(mongox.Retry(ctx, func() error {
		_, err := s.c(colSteps).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: true}, {Key: "result", Value: result}, {Key: "doneAt", Value: at}}}})
		return err
	}), "mark step done")
}

// StepRecords returns the records of the given step IDs that exist, keyed by ID.
func (s *Store) StepRecords(ctx context.Context, ids []string) (map[string]StepRecord, error) {
	out := map[string]StepRecord{}
	if len(ids) == 0 {
		return out, nil
	}
	rs, err := findAll[StepRecord](ctx, s, colSteps, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, "find steps")
	for _, r := range rs {
		out[r.ID] = r
	}
	return out, err
}
