package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// InsertCharter stores a new charter version; its _id (unit#vNNNN) makes two drafts of
// the same version collide with ErrDuplicate.
func (s *Store) InsertCharter(ctx context.Context, c unit.Charter) error {
	return s.insert(ctx, colCharters, c, "insert charter")
}

// InsertCharters stores many charter versions, skipping existing ones.
func (s *Store) InsertCharters(ctx context.Context, cs []unit.Charter) (int, error) {
	docs := make([]any, len(cs))
	for i, c := range cs {
		docs[i] = c
	}
	return s.insertMany(ctx, colCharters, docs, "insert charters")
}

// Charter returns one version of a unit's charter.
func (s *Store) Charter(ctx context.Context, unitID string, version int) (unit.Charter, error) {
	var c unit.Charter
	err := s.findOne(ctx, colCharters, unit.CharterID(unitID, version), &c, "find charter")
	return c, err
}

// SaveCharter replaces a charter version (approval of a draft).
func (s *Store) SaveCharter(ctx context.Context, c unit.Charter) error {
	return s.replace(ctx, colCharters, c.ID, c, "save charter")
}

// ChartersByID returns the charters with the given IDs, keyed by unit ID.
func (s *Store) ChartersByID(ctx context.Context, ids []string) (map[string]unit.Charter, error) {
	out := map[string]unit.Charter{}
	if len(ids) == 0 {
		return out, nil
	}
	const batch = 500
	for i := 0; i < len(ids); i += batch {
		j := min(i+batch, len(ids))
		cs, err := findAll[unit.Charter](ctx, s, colCharters, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids[i:j]}}}}, "find charters")
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out[c.UnitID] = c
		}
	}
	return out, nil
}
