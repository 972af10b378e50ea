package svcclient

import (
	"context"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

// toError turns the last failure of a call into the *apperr.Error Do returns.
// Answers keep the callee's code, field and extra members; failures to get an
// answer become CodeUnavailable, which the caller's own error middleware
// renders as 503 so the person is told to try again.
func (c *Client) toError(ctx context.Context, r *request, err error) error {
	var se *statusError
	switch {
	case errors.As(err, &se):
		e := apperr.FromProblem(se.res.status, se.res.body)
		return e.Wrap(fmt.Errorf("svcclient: %s: status %d", r.desc, se.res.status))
	case breakerRefused(err):
		return apperr.New(apperr.CodeUnavailable, "",
			fmt.Sprintf("%s is failing; calls are refused until it recovers", c.opts.Service)).
			Wrap(fmt.Errorf("svcclient: %s: %w: %w", r.desc, ErrCircuitOpen, err))
	case ctx.Err() != nil:
		return apperr.New(apperr.CodeUnavailable, "",
			fmt.Sprintf("call to %s abandoned: %v", c.opts.Service, context.Cause(ctx))).
			Wrap(fmt.Errorf("svcclient: %s: %w", r.desc, err))
	default:
		var pe *permanentError
		if errors.As(err, &pe) {
			return apperr.Internal(fmt.Errorf("svcclient: %s: %w", r.desc, err))
		}
		return apperr.New(apperr.CodeUnavailable, "",
			fmt.Sprintf("%s did not answer", c.opts.Service)).
			Wrap(fmt.Errorf("svcclient: %s: %w", r.desc, err))
	}
}
