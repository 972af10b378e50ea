package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// InsertProposal stores a new proposal at revision 1; ErrDuplicate if the ID is taken.
func (s *Store) InsertProposal(ctx context.Context, p unit.Proposal) error {
	if err := s.insert(ctx, colPropRevs, revDoc[unit.Proposal]{ID: revID(p.ID, p.Rev), Doc: p}, "claim proposal"); err != nil {
		return err
	}
	return s.insert(ctx, colProposals, p, "insert proposal")
}

// Proposal returns a proposal by ID.
func (s *Store) Proposal(ctx context.Context, id string) (unit.Proposal, error) {
	var p unit.Proposal
	err := s.findOne(ctx, colProposals, id, &p, "find proposal")
	return p, err
}

// SaveProposal stores p, whose Rev must be one more than the stored revision. The
// revision claim makes two reviewers acting at once collide (ErrDuplicate) instead of
// one silently overwriting the other's transition.
func (s *Store) SaveProposal(ctx context.Context, p unit.Proposal) error {
	return writeRevision(ctx, s, colProposals, colPropRevs, p.ID, p.Rev, p, func(p unit.Proposal) int { return p.Rev })
}

// ProposalFilter narrows ListProposals.
type ProposalFilter struct {
	RegionPrefix string
	State        unit.State
	Kind         unit.ProposalKind
}

// ListProposals returns proposals matching f, newest first.
func (s *Store) ListProposals(ctx context.Context, f ProposalFilter) ([]unit.Proposal, error) {
	q := bson.D{}
	if f.RegionPrefix != "" {
		q = append(q, bson.E{Key: "regionCode", Value: bson.D{{Key: "$regex", Value: "^" + regexQuote(f.RegionPrefix)}}})
	}
	if f.State != "" {
		q = append(q, bson.E{Key: "state", Value: f.State})
	}
	if f.Kind != "" {
		q = append(q, bson.E{Key: "kind", Value: f.Kind})
	}
	return findAll[unit.Proposal](ctx, s, colProposals, q, "list proposals",
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: 1}}))
}
