package httpapi

import (
	"errors"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/units/internal/service"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// toAppErr translates the domain's errors into the platform's closed vocabulary, in one
// place: invalid input is 400, a missing object 404, a wrong state or a lost race 409,
// a staffing rule 422 (an open discipline case 409 rectification_pending), and the quota
// service being down 503. The domain's own code travels as "reason".
func toAppErr(err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae
	}
	var all unit.Violations
	errors.As(err, &all)
	if e, ok := unit.AsError(err); ok {
		code := apperr.CodeInvalidArgument
		switch e.Kind {
		case unit.KindNotFound:
			code = apperr.CodeNotFound
		case unit.KindConflict:
			code = apperr.CodeInvalidState
			if len(e.Code) > 7 && e.Code[len(e.Code)-7:] == "_exists" {
				code = apperr.CodeConflict
			}
		case unit.KindForbidden:
			code = apperr.CodeForbidden
		case unit.KindRule:
			code = apperr.CodeRuleViolation
			if e.Code == unit.RuleOpenDisciplineCase {
				code = apperr.CodeRectificationPending
			}
			if e.Code == "quota_exhausted" {
				code = apperr.CodeQuotaExhausted
			}
		}
		out := apperr.New(code, e.Message, e.Detail).WithField(e.Field).WithExtra("reason", e.Code).Wrap(err)
		if len(all) > 1 {
			list := make([]map[string]string, len(all))
			for i, v := range all {
				list[i] = map[string]string{"reason": v.Code, "field": v.Field, "message": v.Message, "detail": v.Detail}
			}
			out.WithExtra("errors", list)
		}
		return out
	}
	if errors.Is(err, service.ErrQuotaUnavailable) {
		return apperr.New(apperr.CodeUnavailable, "编制台账服务暂时不可用，请稍后重试；已完成的步骤不会重复执行",
			"the quota service failed; retrying resumes where it stopped").Wrap(err)
	}
	return apperr.Internal(err)
}

func fail(c *gin.Context, err error) {
	_ = c.Error(toAppErr(err))
	c.Abort()
}

// parseDate accepts YYYY-MM-DD or RFC 3339; empty is the zero time.
func parseDate(s, field string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return unit.ParseDay(s, field)
}
