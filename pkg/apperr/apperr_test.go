package apperr

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
)

func TestEveryCodeHasAStatusAndAChineseTitle(t *testing.T) {
	t.Parallel()
	for _, c := range Codes() {
		if Status(c) < 400 {
			t.Errorf("%s: status %d", c, Status(c))
		}
		if _, ok := titleOf[c]; !ok {
			t.Errorf("%s: no title", c)
		}
	}
	if Status("made_up") != 500 {
		t.Error("unknown code not internal")
	}
}

func TestProblemRoundTrip(t *testing.T) {
	t.Parallel()
	e := New(CodeQuotaExhausted, "", "unit u1 is full").WithField("unitId").WithExtra("approved", 10)
	e.RequestID = "r1"
	w := httptest.NewRecorder()
	e.Write(w)
	if w.Code != 409 || w.Header().Get("Content-Type") != ContentType {
		t.Fatalf("%d %s", w.Code, w.Header().Get("Content-Type"))
	}
	back := FromProblem(w.Code, w.Body.Bytes())
	if back.Code != CodeQuotaExhausted || back.Field != "unitId" || back.Extra["approved"] != float64(10) ||
		back.RequestID != "r1" || back.Title != DefaultTitle(CodeQuotaExhausted) {
		t.Fatalf("lost in transit: %+v", back)
	}
}

func TestFromProblemWithoutProblemBody(t *testing.T) {
	t.Parallel()
	if e := FromProblem(502, []byte("<html>bad gateway</html>")); e.Code != CodeUnavailable || e.Status != 502 {
		t.Fatalf("%+v", e)
	}
	if e := FromProblem(404, nil); e.Code != CodeNotFound {
		t.Fatalf("%+v", e)
	}
}

func TestFromFindsWrappedErrors(t *testing.T) {
	t.Parallel()
	inner := New(CodeNotFound, "", "no unit")
	if got := From(fmt.Errorf("load unit: %w", inner)); got != inner {
		t.Fatal("wrapped apperr not found")
	}
	if got := From(errors.New("disk on fire")); got.Code != CodeInternal || got.Detail != "internal error" {
		t.Fatalf("plain error not hidden: %+v", got)
	}
	if !Is(fmt.Errorf("x: %w", inner), CodeNotFound) {
		t.Fatal("Is")
	}
}
