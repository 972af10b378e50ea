package svcclient

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"
)

// BreakerSettings configures the circuit breaker of a Client. Zero values
// take the defaults.
type BreakerSettings struct {
	// ConsecutiveFailures opens the breaker; default 5. A failure is a
	// network error, a timeout or a 5xx answer; 4xx answers are the
	// callee working as designed and never count.
	ConsecutiveFailures uint32
	// OpenFor is how long the breaker answers at once before it lets a
	// probe through; default 10s.
	OpenFor time.Duration
	// Probes is how many calls may go through while half-open; default 1.
	Probes uint32
}

// ErrCircuitOpen is wrapped by the error of a call refused because the
// callee's breaker is open.
var ErrCircuitOpen = errors.New("svcclient: circuit open")

func newBreaker(service string, s BreakerSettings, log *slog.Logger) *gobreaker.CircuitBreaker[*response] {
	threshold := s.ConsecutiveFailures
	if threshold == 0 {
		threshold = 5
	}
	return gobreaker.NewCircuitBreaker[*response](gobreaker.Settings{
		Name:        service,
		MaxRequests: max(s.Probes, 1),
		Timeout:     orDuration(s.OpenFor, 10*time.Second),
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= threshold },
		IsSuccessful: func(err error) bool {
			var se *statusError
			if errors.As(err, &se) {
				return se.res.status < http.StatusInternalServerError
			}
			var pe *permanentError
			return err == nil || errors.As(err, &pe)
		},
		IsExcluded: func(err error) bool {
			var gone *callerGoneError
			return errors.As(err, &gone)
		},
		OnStateChange: func(name string, from, to gobreaker.State) {
			log.Warn("circuit breaker changed state", "service", name, "from", from.String(), "to", to.String())
		},
	})
}

// breakerRefused reports whether err is the breaker refusing a call.
func breakerRefused(err error) bool {
	return errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests)
}
