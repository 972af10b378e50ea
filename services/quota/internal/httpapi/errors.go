package httpapi

import (
	"errors"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// codes maps the ledger's domain codes to the platform's closed set.
var codes = map[ledger.Code]apperr.Code{
	ledger.CodeInvalidArgument:      apperr.CodeInvalidArgument,
	ledger.CodeNotFound:             apperr.CodeNotFound,
	ledger.CodeQuotaExhausted:       apperr.CodeQuotaExhausted,
	ledger.CodeRectificationPending: apperr.CodeRectificationPending,
	ledger.CodeConflict:             apperr.CodeConflict,
	ledger.CodeIdempotencyKeyReused: apperr.CodeIdempotencyKeyReused,
	ledger.CodeAccountAbolished:     apperr.CodeInvalidState,
	ledger.CodeForbidden:            apperr.CodeForbidden,
	ledger.CodeDuplicatePerson:      apperr.CodeDuplicatePerson,
}

// toAppErr translates a domain error into a problem; anything else passes
// through (internal errors stay hidden by the renderer).
func toAppErr(err error) error {
	var e *ledger.Error
	if !errors.As(err, &e) {
		return err
	}
	out := apperr.New(codes[e.Code], e.Message, e.Detail)
	out.Field = e.Field
	if e.Balance != nil {
		out.WithExtra("approved", e.Balance.Approved).WithExtra("occupied", e.Balance.Occupied).
			WithExtra("held", e.Balance.Held).WithExtra("vacant", e.Balance.Vacant())
	}
	return out.Wrap(err)
}
