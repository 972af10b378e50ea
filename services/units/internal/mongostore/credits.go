package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// creditDoc is one abolition credit of a region (撤一建一): granted when a unit is
// abolished or merged away, spent by an establishment without its own abolition.
type creditDoc struct {
	ID         string `bson:"_id"` // grantingStep#n
	Region     string `bson:"region"`
	ProposalID string `bson:"proposalId"`
}

// creditUse spends a credit. Its _id is the credit's, so a credit is spent at most once
// however many establishments race for it.
type creditUse struct {
	ID     string `bson:"_id"`
	Region string `bson:"region"`
	StepID string `bson:"stepId"`
}

// ErrNoCredit is returned when a region has no unused abolition credit.
var ErrNoCredit = errors.New("no unused abolition credit")

// GrantCredits records n credits for region granted by step; re-running it grants nothing more.
func (s *Store) GrantCredits(ctx context.Context, stepID, proposalID, region string, n int) error {
	docs := make([]any, n)
	for i := range n {
		docs[i] = creditDoc{ID: fmt.Sprintf("%s#%d", stepID, i), Region: region, ProposalID: proposalID}
	}
	_, err := s.insertMany(ctx, colCredits, docs, "grant credits")
	return err
}

// ConsumeCredit spends one unused credit of region for step and returns its ID. If the
// step already spent one (a resumed execution), that credit is returned.
func (s *Store) ConsumeCredit(ctx context.Context, stepID, region string) (string, error) {
	uses, err := findAll[creditUse](ctx, s, colCreditUses, bson.D{{Key: "region", Value: region}}, "list credit uses")
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, u := range uses {
		if u.StepID == stepID {
			return u.ID, nil
		}
		used[u.ID] = true
	}
	credits, err := findAll[creditDoc](ctx, s, colCredits, bson.D{{Key: "region", Value: region}}, "list credits")
	if err != nil {
		return "", err
	}
	for _, c := range credits {
		if used[c.ID] {
			continue
		}
		err := s.insert(ctx, colCreditUses, creditUse{ID: c.ID, Region: region, StepID: stepID}, "use credit")
		if errors.Is(err, ErrDuplicate) {
			continue // another establishment took it first
		}
		if err != nil {
			return "", err
		}
		return c.ID, nil
	}
	return "", ErrNoCredit
}

// CreditEvents lists grants (+1 each) and uses (-1 each), for balances and statistics.
func (s *Store) CreditEvents(ctx context.Context) ([]unit.CreditEvent, error) {
	credits, err := findAll[creditDoc](ctx, s, colCredits, bson.D{}, "list credits")
	if err != nil {
		return nil, err
	}
	uses, err := findAll[creditUse](ctx, s, colCreditUses, bson.D{}, "list credit uses")
	if err != nil {
		return nil, err
	}
	out := make([]unit.CreditEvent, 0, len(credits)+len(uses))
	for _, c := range credits {
		out = append(out, unit.CreditEvent{RegionCode: c.Region, Delta: 1})
	}
	for _, u := range uses {
		out = append(out, unit.CreditEvent{RegionCode: u.Region, Delta: -1})
	}
	return out, nil
}

// UnusedCredits counts a region's unused credits.
func (s *Store) UnusedCredits(ctx context.Context, region string) (int, error) {
	ev, err := s.CreditEvents(ctx)
	n := 0
	for _, e := range ev {
		if e.RegionCode == region {
			n += e.Delta
		}
	}
	return n, err
}
