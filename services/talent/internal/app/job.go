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
// it connects to the store and the quota service only, opens no listener, and reports what it did.
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
	ledger, err := newLedger(cfg)
	if err != nil {
		return service.DueReport{}, err
	}
	m := newMetrics(prometheus.NewRegistry())
	return service.New(mongostore.New(db), ledger, Policy(cfg), m.hooks()).ReturnDue(ctx)
}
