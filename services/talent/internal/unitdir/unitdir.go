// Package unitdir is the talent service's directory of units: it implements service.Units with the
// units service's typed client, the owner of every unit's name, region and supervising department,
// behind a short-lived Redis read-through cache (pkg/redisx: coalesced loads; a Redis outage only
// makes lookups slower).
//
// Every call goes out under the talent service's own identity, never the person's: a unit HR
// officer's token names no region, and the directory must answer the same for every caller, since
// talent decides scope from the answer. The person's rights are checked by talent itself.
package unitdir

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
	units "github.com/bianzhi/bianzhi/services/units/client"

	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// CacheName is the cache's name: its Redis key prefix and metric label.
const CacheName = "talent-units"

// Directory looks units up at the units service.
type Directory struct {
	c     *units.Client
	cache *redisx.Cache
}

var _ service.Units = (*Directory)(nil)

// New returns the directory of the units service at baseURL; token gives the talent service's own
// token. Answers are cached in rdb for ttl, which bounds how long a unit handed over to another
// region keeps its old region here. A nil rdb disables the cache.
func New(baseURL string, token func(context.Context) (string, error), rdb *redis.Client, ttl time.Duration,
	reg prometheus.Registerer, opts ...redisx.CacheOption) (*Directory, error) {
	c, err := units.New(svcclient.Options{BaseURL: baseURL, Caller: "talent", Timeout: 5 * time.Second, TokenSource: token})
	if err != nil {
		return nil, err
	}
	d := &Directory{c: c}
	if rdb != nil {
		if d.cache, err = redisx.NewCache(rdb, CacheName, ttl, reg, opts...); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Unit returns the unit as the units service records it today. A unit the service does not know
// is its not_found error (not cached, so a unit created a moment later is found).
func (d *Directory) Unit(ctx context.Context, id string) (service.Unit, error) {
	ctx = svcclient.WithToken(ctx, "") // as the talent service, not the person
	if d.cache == nil {
		return d.load(ctx, id)
	}
	return redisx.GetOrLoad(ctx, d.cache, id, func(ctx context.Context) (service.Unit, error) { return d.load(ctx, id) })
}

func (d *Directory) load(ctx context.Context, id string) (service.Unit, error) {
	u, err := d.c.Unit(ctx, id, "")
	if err != nil {
		return service.Unit{}, err
	}
	return service.Unit{ID: u.ID, Name: u.Name, Region: u.RegionCode, Department: u.SupervisorID}, nil
}
