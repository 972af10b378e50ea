// Package session publishes each account's session version to Redis, where every service's token
// verifier reads it (auth.Sessions). MongoDB holds the truth (the account document); Redis holds the
// copy the services can afford to read on every request.
package session

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// Publisher writes session versions under a key prefix (AUTH_SESSION_KEY_PREFIX).
type Publisher struct {
	rdb    *redis.Client
	prefix string
	log    *slog.Logger
}

// NewPublisher returns a publisher into rdb under prefix.
func NewPublisher(rdb *redis.Client, prefix string, log *slog.Logger) *Publisher {
	return &Publisher{rdb: rdb, prefix: prefix, log: log}
}

// raise only ever raises a version: a login that read the account just before a revocation must not
// publish its older version over the newer one and bring revoked tokens back.
var raise = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local v = tonumber(ARGV[1])
if v > cur then redis.call('SET', KEYS[1], ARGV[1]) return v end
return cur`)

// Publish makes version the published session version of subject, unless a higher one is there.
func (p *Publisher) Publish(ctx context.Context, subject string, version int64) error {
	return raise.Run(ctx, p.rdb, []string{p.prefix + subject}, version).Err()
}

// PublishSoon publishes and, when Redis does not answer, keeps trying every two seconds in the
// background for up to ten minutes: a revocation must reach Redis within seconds of its return. While
// Redis is down the services accept only tokens younger than auth.SessionOutageMaxAge.
func (p *Publisher) PublishSoon(ctx context.Context, subject string, version int64) {
	if err := p.Publish(ctx, subject, version); err == nil {
		return
	}
	p.log.WarnContext(ctx, "session version not published yet; retrying", "subject", subject, "version", version)
	go func() {
		ctx := context.WithoutCancel(ctx)
		for range 300 {
			time.Sleep(2 * time.Second)
			if err := p.Publish(ctx, subject, version); err == nil {
				return
			}
		}
		p.log.ErrorContext(ctx, "session version not published", "subject", subject, "version", version)
	}()
}

// Sync makes Redis agree with the database at start: read every published version first, then the
// database's (readVersions), then raise each to the database's, or lower it where Redis is ahead of
// the database (a database restored from a backup, a Redis shared with another installation), which
// would otherwise refuse every token the gateway issues for that account. The order of the reads
// makes lowering safe against a revocation racing the start on another replica: that replica writes
// the database before Redis, so a version seen in Redis is already in the database read after it.
// It also repairs a Redis that lost its data.
func (p *Publisher) Sync(ctx context.Context, subjects []string, readVersions func(context.Context) (map[string]int64, error)) error {
	published := map[string]int64{}
	for _, subject := range subjects {
		v, err := p.rdb.Get(ctx, p.prefix+subject).Int64()
		if err == nil {
			published[subject] = v
		} else if err != redis.Nil {
			return err
		}
	}
	versions, err := readVersions(ctx)
	if err != nil {
		return err
	}
	for subject, v := range versions {
		if cur, ok := published[subject]; ok && cur > v {
			err = p.rdb.Set(ctx, p.prefix+subject, v, 0).Err()
		} else {
			err = p.Publish(ctx, subject, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
