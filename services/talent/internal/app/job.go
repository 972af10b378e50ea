package app

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bianzhi/bianzhi/pkg/mongox"

	"github.com/bianzhi/bianzhi/services/talent/internal/config"
	"github.com/bianzhi/bianzhi/services/talent/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// ReturnDue runs the return-loans job once, as `talent return-loans` (a Kubernetes CronJob) does:
// it connects to the store, the quota and units services only, opens no listener, and reports what it did.
func ReturnDue(ctx context.Context, cfg config.Config) (service.DueReport, error) {
	cl, err := mongox.Connect(ctx, cfg.MongoURI, nil)
	if err != nil {
		return service.DueReport{}, err
	}
	defer func() { _ = cl.Disconnect(context.Background()) }()
	db := cl.Database(cfg.MongoDatabase)
	if err := mongox.EnsureIndexes(ctx, db, mongostore.Indexes); err != nil {
		return service.DueReport{}, err
	}
	reg := prometheus.NewRegistry()
	// No cache: one run asks units little (only a step that must re-check a unit does), and the job
	// needs no Redis.
	ledger, dir, err := peers(cfg, nil, reg)
	if err != nil {
		return service.DueReport{}, err
	}
	m := newMetrics(reg)
	return service.New(mongostore.New(db), ledger, dir, Policy(cfg), m.hooks()).ReturnDue(ctx)
}
