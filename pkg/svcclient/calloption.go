package svcclient

import (
	"net/http"
	"net/url"
)

// CallOption adjusts one call made by Client.Do.
type CallOption func(*call)

// call is what the options of one Do collect.
type call struct {
	idempotencyKey string
	query          url.Values
	header         http.Header
	asService      bool
}

// WithIdempotencyKey sends k in the Idempotency-Key header. The callee then
// answers a repeated request with its first result, which is what makes a
// write safe to retry; Do retries only writes that carry a key.
func WithIdempotencyKey(k string) CallOption {
	return func(c *call) { c.idempotencyKey = k }
}

// WithQuery adds q to the request's query string.
func WithQuery(q url.Values) CallOption {
	return func(c *call) {
		if c.query == nil {
			c.query = url.Values{}
		}
		for k, vs := range q {
			c.query[k] = append(c.query[k], vs...)
		}
	}
}

// WithHeader sets a request header. Headers Do itself manages
// (Authorization, X-Request-ID, X-Caller-Service, Idempotency-Key) are set
// after these and win.
func WithHeader(k, v string) CallOption {
	return func(c *call) {
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Set(k, v)
	}
}

// AsService sends the call under the calling service's own identity (Options.TokenSource) even
// when the context carries a person's token: for operations the callee keeps for services (the
// units service opening a unit's quota account, which no person may). Without a TokenSource the
// person's token is sent, as without this option: never more rights than the person's.
func AsService() CallOption {
	return func(c *call) { c.asService = true }
}
