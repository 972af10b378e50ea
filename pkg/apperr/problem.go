package apperr

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// ContentType is the media type of every error body (RFC 9457).
const ContentType = "application/problem+json"

// typeBase prefixes the problem type URI; the code makes it unique and documented in docs/errors.md.
const typeBase = "https://bianzhi.example/problems/"

// Problem is the wire form of an Error. Extra members are flattened next to the standard ones.
func (e *Error) Problem() map[string]any {
	status := e.Status
	if status == 0 {
		status = Status(e.Code)
	}
	p := make(map[string]any, 8+len(e.Extra))
	for k, v := range e.Extra {
		p[k] = v
	}
	p["type"] = typeBase + string(e.Code)
	p["title"] = e.Title
	p["status"] = status
	p["code"] = string(e.Code)
	if e.Detail != "" {
		p["detail"] = e.Detail
	}
	if e.Field != "" {
		p["field"] = e.Field
	}
	if e.RequestID != "" {
		p["requestId"] = e.RequestID
	}
	return p
}

// Write renders the error to w as problem+json.
func (e *Error) Write(w http.ResponseWriter) {
	status := e.Status
	if status == 0 {
		status = Status(e.Code)
	}
	body, _ := json.Marshal(e.Problem())
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// FromProblem parses a problem+json body received from another service back into an Error, so a
// caller can branch on the code. A body that is not a problem becomes an unavailable or internal error.
func FromProblem(status int, body []byte) *Error {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil || raw["code"] == nil {
		code := CodeInternal
		if status >= 500 {
			code = CodeUnavailable
		} else if status >= 400 {
			code = codeForStatus(status)
		}
		e := New(code, "", fmt.Sprintf("upstream answered %d without a problem body", status))
		e.Status = status
		return e
	}
	e := &Error{Status: status, Extra: map[string]any{}}
	for k, v := range raw {
		s, _ := v.(string)
		switch k {
		case "code":
			e.Code = Code(s)
		case "title":
			e.Title = s
		case "detail":
			e.Detail = s
		case "field":
			e.Field = s
		case "requestId":
			e.RequestID = s
		case "type", "status":
		default:
			e.Extra[k] = v
		}
	}
	if len(e.Extra) == 0 {
		e.Extra = nil
	}
	return e
}

func codeForStatus(status int) Code {
	for c, s := range statusOf {
		if s == status && (c == CodeInvalidArgument || c == CodeUnauthenticated || c == CodeForbidden ||
			c == CodeNotFound || c == CodeConflict || c == CodeRateLimited || c == CodeBodyTooLarge ||
			c == CodeRuleViolation || c == CodeMethodNotAllowed) {
			return c
		}
	}
	return CodeInvalidArgument
}
