// Package service holds the units service's use cases: it gathers facts from the store
// and the quota ledger, lets the domain decide, and records the result. Handlers call it;
// it knows nothing of HTTP.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bianzhi/bianzhi/pkg/redisx"

	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Service is the units service's use cases.
type Service struct {
	store   *mongostore.Store
	quota   Quota
	regions *redisx.Cache // the region tree, read on nearly every page
	units   *redisx.Cache // unit histories by ID
	metrics *Metrics
	keys    string // cache key prefix: the database name, so services sharing a Redis never share entries
	now     func() time.Time
	log     *slog.Logger
}

// New returns the use cases over store and quota; caches may be nil (no Redis).
// keyPrefix separates this deployment's cache entries from others in the same Redis.
func New(store *mongostore.Store, quota Quota, regions, units *redisx.Cache, keyPrefix string, m *Metrics, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	return &Service{store: store, quota: quota, regions: regions, units: units, metrics: m, keys: keyPrefix + ":", now: time.Now, log: log}
}

// ErrQuotaUnavailable wraps a failure of the quota service, so handlers answer 503 and
// the caller knows a retry may succeed.
var ErrQuotaUnavailable = errors.New("quota service unavailable")

func quotaErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := unit.AsError(err); ok {
		return e
	}
	return fmt.Errorf("%s: %w: %w", op, ErrQuotaUnavailable, err)
}

// storeErr maps store sentinels to domain errors a person can read.
func storeErr(what, id string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongostore.ErrNotFound):
		return unit.NotFound(what, id)
	case errors.Is(err, mongostore.ErrDuplicate):
		return &unit.Error{Kind: unit.KindConflict, Code: what + "_exists", Field: "id",
			Message: "记录已存在或已被他人修改，请刷新后重试", Detail: fmt.Sprintf("%s %q already exists or was changed concurrently", what, id)}
	}
	return err
}

func cached[T any](ctx context.Context, s *Service, c *redisx.Cache, key string, load func(context.Context) (T, error)) (T, error) {
	if c == nil {
		return load(ctx)
	}
	return redisx.GetOrLoad(ctx, c, s.keys+key, load)
}

func (s *Service) invalidate(ctx context.Context, c *redisx.Cache, ids ...string) {
	if c == nil || len(ids) == 0 {
		return
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = s.keys + id
	}
	c.Invalidate(ctx, keys...)
}

func (s *Service) invalidateUnits(ctx context.Context, ids ...string) {
	s.invalidate(ctx, s.units, ids...)
}
