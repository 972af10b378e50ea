package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

type regionDoc struct {
	Code   string          `bson:"_id"`
	Name   string          `bson:"name"`
	Kind   unit.RegionKind `bson:"kind"`
	Level  unit.Level      `bson:"level"`
	Parent string          `bson:"parent,omitempty"`
}

// PutRegions upserts regions by code in one bulk write; putting the same region twice
// changes nothing, so the Taiyuan seed and the demo load can both run on every start.
func (s *Store) PutRegions(ctx context.Context, rs []unit.Region) error {
	if len(rs) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, len(rs))
	for i, r := range rs {
		d := regionDoc{Code: r.Code, Name: r.Name, Kind: r.Kind, Level: r.Level, Parent: r.Parent}
		models[i] = mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: r.Code}}).SetReplacement(d).SetUpsert(true)
	}
	return translate(mongox.Retry(ctx, func() error {
		_, err := s.c(colRegions).BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		return err
	}), "put regions")
}

// Regions returns every region ordered by code (a few hundred: read whole, cached).
func (s *Store) Regions(ctx context.Context) ([]unit.Region, error) {
	docs, err := findAll[regionDoc](ctx, s, colRegions, bson.D{}, "list regions", options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	out := make([]unit.Region, len(docs))
	for i, d := range docs {
		out[i] = unit.Region{Code: d.Code, Name: d.Name, Kind: d.Kind, Level: d.Level, Parent: d.Parent}
	}
	return out, err
}
