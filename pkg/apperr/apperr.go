// Package apperr is the one error vocabulary of Bianzhi: a closed set of codes, each mapped to one HTTP
// status in one table, rendered as RFC 9457 application/problem+json.
//
// Handlers return or record an *Error; anything that is not an *Error is an internal error, which is
// logged and counted but never shown to the caller.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is a stable, machine-readable error code. Clients branch on it; never rename one.
type Code string

// The closed set of codes. Adding one means adding it to statusOf and titleOf.
const (
	CodeInvalidArgument      Code = "invalid_argument"
	CodeMalformedJSON        Code = "malformed_json"
	CodeUnknownField         Code = "unknown_field"
	CodeWrongType            Code = "wrong_type"
	CodeBodyTooLarge         Code = "body_too_large"
	CodeUnauthenticated      Code = "unauthenticated"
	CodeForbidden            Code = "forbidden"
	CodeNotFound             Code = "not_found"
	CodeMethodNotAllowed     Code = "method_not_allowed"
	CodeConflict             Code = "conflict"
	CodeDuplicate            Code = "duplicate"
	CodeDuplicatePerson      Code = "duplicate_person"
	CodeInvalidState         Code = "invalid_state"
	CodeQuotaExhausted       Code = "quota_exhausted"
	CodeRectificationPending Code = "rectification_pending"
	CodeRuleViolation        Code = "rule_violation"
	CodeIdempotencyKeyReused Code = "idempotency_key_reused"
	CodeRateLimited          Code = "rate_limited"
	CodeUnavailable          Code = "unavailable"
	CodeInternal             Code = "internal"
)

// CodeIdempotencyMismatch is the former name of CodeIdempotencyKeyReused, kept so that code which
// branches on it keeps compiling and matching: it is the same code, and "idempotency_mismatch" is
// no longer sent.
//
// Deprecated: use CodeIdempotencyKeyReused.
const CodeIdempotencyMismatch = CodeIdempotencyKeyReused

var statusOf = map[Code]int{
	CodeInvalidArgument:      http.StatusBadRequest,
	CodeMalformedJSON:        http.StatusBadRequest,
	CodeUnknownField:         http.StatusBadRequest,
	CodeWrongType:            http.StatusBadRequest,
	CodeBodyTooLarge:         http.StatusRequestEntityTooLarge,
	CodeUnauthenticated:      http.StatusUnauthorized,
	CodeForbidden:            http.StatusForbidden,
	CodeNotFound:             http.StatusNotFound,
	CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	CodeConflict:             http.StatusConflict,
	CodeDuplicate:            http.StatusConflict,
	CodeDuplicatePerson:      http.StatusConflict,
	CodeInvalidState:         http.StatusConflict,
	CodeQuotaExhausted:       http.StatusConflict,
	CodeRectificationPending: http.StatusConflict,
	CodeRuleViolation:        http.StatusUnprocessableEntity,
	CodeIdempotencyKeyReused: http.StatusUnprocessableEntity,
	CodeRateLimited:          http.StatusTooManyRequests,
	CodeUnavailable:          http.StatusServiceUnavailable,
	CodeInternal:             http.StatusInternalServerError,
}

// titleOf is the default message a person reads when the code's user did not give a better one.
var titleOf = map[Code]string{
	CodeInvalidArgument:      "请求参数不正确",
	CodeMalformedJSON:        "请求内容不是有效的 JSON",
	CodeUnknownField:         "请求中包含未知字段",
	CodeWrongType:            "字段类型不正确",
	CodeBodyTooLarge:         "请求内容过大",
	CodeUnauthenticated:      "请先登录",
	CodeForbidden:            "没有权限执行此操作",
	CodeNotFound:             "未找到请求的资源",
	CodeMethodNotAllowed:     "不支持该请求方法",
	CodeConflict:             "操作与当前状态冲突",
	CodeDuplicate:            "记录已存在",
	CodeDuplicatePerson:      "该人员已占用编制，一人只能占用一个编制",
	CodeInvalidState:         "当前状态不允许此操作",
	CodeQuotaExhausted:       "编制已满，不能超编进人",
	CodeRectificationPending: "该部门整改未完成，暂停受理机构编制申请",
	CodeRuleViolation:        "不符合机构编制管理规定",
	CodeIdempotencyKeyReused: "该幂等键已用于另一个不同的请求",
	CodeRateLimited:          "请求过于频繁，请稍后再试",
	CodeUnavailable:          "服务暂时不可用，请稍后再试",
	CodeInternal:             "系统内部错误，请联系管理员",
}

// Codes returns every code of the closed set, for tests and documentation.
func Codes() []Code {
	out := make([]Code, 0, len(statusOf))
	for c := range statusOf {
		out = append(out, c)
	}
	return out
}

// Status returns the HTTP status of a code; unknown codes are internal errors.
func Status(c Code) int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// DefaultTitle returns the standard Chinese message of a code.
func DefaultTitle(c Code) string {
	if t, ok := titleOf[c]; ok {
		return t
	}
	return titleOf[CodeInternal]
}

// Error is an error a client is allowed to see. Title is for people (Simplified Chinese), Detail is an
// English explanation for developers, Field names the offending input, and Extra carries domain
// numbers (e.g. approved/occupied/held for quota_exhausted) as extra problem members.
type Error struct {
	Code      Code
	Status    int
	Title     string
	Detail    string
	Field     string
	Extra     map[string]any
	RequestID string
	Err       error
}

// New returns an error with the given code, Chinese message and English detail.
func New(code Code, title, detail string) *Error {
	if title == "" {
		title = DefaultTitle(code)
	}
	return &Error{Code: code, Status: Status(code), Title: title, Detail: detail}
}

// Newf is New with a formatted English detail.
func Newf(code Code, title, format string, args ...any) *Error {
	return New(code, title, fmt.Sprintf(format, args...))
}

// Invalid reports a bad value of one input field.
func Invalid(field, title, detail string) *Error {
	return New(CodeInvalidArgument, title, detail).WithField(field)
}

// NotFound reports a missing resource; what is the Chinese name of the thing looked for.
func NotFound(what, detail string) *Error {
	return New(CodeNotFound, "未找到"+what, detail)
}

// Internal wraps an unexpected error. Its cause is logged, never shown.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Status: http.StatusInternalServerError, Title: DefaultTitle(CodeInternal),
		Detail: "internal error", Err: err}
}

// WithField sets the offending field.
func (e *Error) WithField(field string) *Error { e.Field = field; return e }

// WithExtra adds an extra problem member.
func (e *Error) WithExtra(key string, value any) *Error {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[key] = value
	return e
}

// Wrap records the cause.
func (e *Error) Wrap(err error) *Error { e.Err = err; return e }

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Detail
	if e.Field != "" {
		s += " (field " + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// From returns the *Error in err's chain, or an internal error wrapping err.
func From(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
