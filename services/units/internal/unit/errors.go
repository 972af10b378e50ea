package unit

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorKind classifies a domain error so that the HTTP layer can map it to a status in
// one place without knowing every rule.
type ErrorKind string

// Error kinds, each mapped to one HTTP status by the adapter.
const (
	KindInvalid  ErrorKind = "invalid" // malformed input: 400/422
	KindNotFound ErrorKind = "not_found"
	KindConflict ErrorKind = "conflict" // wrong state or a concurrent writer: 409
	KindRule     ErrorKind = "rule"     // a staffing rule refuses the change: 422
	// KindForbidden: the actor may not take this step even though it is in scope (four eyes): 403.
	KindForbidden ErrorKind = "forbidden"
)

// Error is a domain failure with a stable code, the field it concerns, a
// Simplified-Chinese message for people and an English detail for developers.
type Error struct {
	Kind    ErrorKind
	Code    string
	Field   string
	Message string // Simplified Chinese, shown to users
	Detail  string // English, for logs and developers
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Detail)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Detail)
}

func invalid(code, field, msg, detail string) *Error {
	return &Error{Kind: KindInvalid, Code: code, Field: field, Message: msg, Detail: detail}
}

func conflict(code, msg, detail string) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: msg, Detail: detail}
}

func forbidden(code, msg, detail string) *Error {
	return &Error{Kind: KindForbidden, Code: code, Message: msg, Detail: detail}
}

// NotFound reports a missing object of the named type.
func NotFound(what, id string) *Error {
	return &Error{Kind: KindNotFound, Code: what + "_not_found", Field: "id",
		Message: "未找到指定的" + zhNoun(what), Detail: fmt.Sprintf("%s %q not found", what, id)}
}

func zhNoun(what string) string {
	switch what {
	case "unit":
		return "机构"
	case "region":
		return "行政区划"
	case "charter":
		return "三定规定"
	case "proposal":
		return "机构改革方案"
	}
	return "对象"
}

// AsError returns the first *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Violations is a list of domain errors found together, so that a form can show every
// problem at once instead of one per round trip.
type Violations []*Error

func (v Violations) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns v as an error, or nil when v is empty; the first violation decides the
// kind and code reported (see Unwrap).
func (v Violations) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}

// Unwrap exposes the individual violations to errors.As.
func (v Violations) Unwrap() []error {
	out := make([]error, len(v))
	for i, e := range v {
		out[i] = e
	}
	return out
}
