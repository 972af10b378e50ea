package ledger

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable error code. The HTTP layer maps each code
// to a status and a problem+json body in one table, so callers can rely on
// the code rather than on the wording.
type Code string

// The ledger's error codes.
const (
	CodeInvalidArgument      Code = "invalid_argument"
	CodeNotFound             Code = "not_found"
	CodeQuotaExhausted       Code = "quota_exhausted"
	CodeRectificationPending Code = "rectification_pending"
	CodeDuplicatePerson      Code = "duplicate_person"
	CodeConflict             Code = "conflict"
	CodeIdempotencyKeyReused Code = "idempotency_key_reused"
	CodeAccountAbolished     Code = "account_abolished"
	CodeForbidden            Code = "forbidden"
)

// CodeIdempotencyMismatch is the former name of CodeIdempotencyKeyReused.
//
// Deprecated: use CodeIdempotencyKeyReused.
const CodeIdempotencyMismatch = CodeIdempotencyKeyReused

// Error is a domain error: a code, a message for people in Simplified
// Chinese, an English detail for developers and, for bad input, the field
// that caused it. Balance carries the numbers a red-line refusal must show.
type Error struct {
	Code    Code
	Message string // Simplified Chinese, shown to people
	Detail  string // English, for developers and logs
	Field   string // the offending input field, if any
	Balance *Balance
	// RetryLater marks a refusal that says "not now" rather than "no": the
	// request met another one still in flight and the same request may
	// succeed a moment later. Its answer is not kept for replay under the
	// request's Idempotency-Key.
	RetryLater bool
}

// Error implements the error interface with the English detail, so logs stay
// readable for the developers who read them.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (field %s)", e.Code, e.Detail, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Detail)
}

// Invalid returns an invalid_argument error naming the offending field.
func Invalid(field, message, detail string) *Error {
	return &Error{Code: CodeInvalidArgument, Field: field, Message: message, Detail: detail}
}

// NotFound returns a not_found error for the named thing.
func NotFound(what, id string) *Error {
	return &Error{Code: CodeNotFound, Message: "未找到" + whatZH(what) + "：" + id, Detail: what + " " + id + " not found"}
}

func whatZH(what string) string {
	switch what {
	case "account":
		return "编制账户"
	case "transfer":
		return "划转记录"
	case "hold":
		return "预留"
	case "incumbent":
		return "实有人员"
	case "plan":
		return "用编计划"
	case "case":
		return "违纪案件"
	}
	return what
}

// Exhausted returns the red-line refusal carrying the balance it was checked
// against, so the caller sees approved, held and occupied posts.
func Exhausted(account AccountID, b Balance, need int64) *Error {
	return &Error{
		Code:    CodeQuotaExhausted,
		Message: fmt.Sprintf("空编不足，无法办理：核定%d，已占用%d，已预留%d，空编%d，需要%d", b.Approved, b.Occupied, b.Held, b.Vacant(), need),
		Detail:  fmt.Sprintf("account %s has %d vacant posts, %d needed (approved %d, occupied %d, held %d)", account, b.Vacant(), need, b.Approved, b.Occupied, b.Held),
		Balance: &b,
	}
}

// CodeOf returns the code of a domain error anywhere in err's chain, or ""
// if err is not a domain error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// ErrFenced is the answer to work whose transfer recovery settled as never
// applied (see Fence) while the work was still running: it changed nothing
// and may be asked for again.
var ErrFenced = &Error{Code: CodeConflict, Message: "该操作因处理中断已被系统撤销，未产生任何变动，请稍后重试",
	Detail: "the operation was fenced off by recovery before it took effect; nothing changed; retry", RetryLater: true}

// ErrFencedResubmit is ErrFenced where the request's own key can never
// succeed (its transfer ID, derived from the key, is settled as rejected):
// the request is to be made again under a new key.
var ErrFencedResubmit = &Error{Code: CodeConflict, Message: "该操作因处理中断已被系统撤销，未产生任何变动，请重新提交",
	Detail: "the operation was fenced off by recovery before it took effect; nothing changed; submit it again under a new key"}
