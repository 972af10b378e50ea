package svcclient

import "context"

type (
	tokenKey     struct{}
	requestIDKey struct{}
)

// WithToken returns a context carrying the bearer token of the person on
// whose behalf the service is acting. Calls made with it pass that identity
// on, so the callee enforces the person's roles and scope, not the caller's.
func WithToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// TokenFromContext returns the token WithToken stored, if any.
func TokenFromContext(ctx context.Context) (string, bool) {
	t, ok := ctx.Value(tokenKey{}).(string)
	return t, ok && t != ""
}

// WithRequestID returns a context carrying the request ID of the incoming
// request, which every outgoing call repeats in X-Request-ID so that logs and
// audit records of one user action can be joined across services.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFromContext returns the request ID WithRequestID stored, if any.
func RequestIDFromContext(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(requestIDKey{}).(string)
	return id, ok && id != ""
}
