package recruit

import (
	"testing"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

// TestTransitionsEveryPair walks every status × event: the allowed ones lead where the issue says and
// ask the ledger for the right effect; every other pair is refused with invalid_state.
func TestTransitionsEveryPair(t *testing.T) {
	t.Parallel()
	type key struct {
		s Status
		e Event
	}
	allowed := map[key]struct {
		to  Status
		eff Effect
	}{
		{StatusFiled, EventAccept}:       {StatusAccepted, EffectHold},
		{StatusFiled, EventSendBack}:     {StatusReturned, EffectNone},
		{StatusFiled, EventReject}:       {StatusRejected, EffectNone},
		{StatusFiled, EventWithdraw}:     {StatusWithdrawn, EffectNone},
		{StatusReturned, EventResubmit}:  {StatusFiled, EffectNone},
		{StatusReturned, EventWithdraw}:  {StatusWithdrawn, EffectNone},
		{StatusAccepted, EventHire}:      {StatusHired, EffectLoan},
		{StatusAccepted, EventWithdraw}:  {StatusWithdrawn, EffectVoid},
		{StatusAccepted, EventExpire}:    {StatusExpired, EffectVoid},
		{StatusHired, EventReturnLoan}:   {StatusReturnedToPool, EffectReturn},
		{StatusHired, EventOverdue}:      {StatusOverdue, EffectNone},
		{StatusOverdue, EventReturnLoan}: {StatusReturnedToPool, EffectReturn},
	}
	events := []Event{EventAccept, EventSendBack, EventReject, EventResubmit, EventWithdraw, EventExpire,
		EventHire, EventReturnLoan, EventOverdue}
	seen := 0
	for _, s := range Statuses() {
		for _, e := range events {
			t.Run(string(s)+"/"+string(e), func(t *testing.T) {
				to, eff, err := Transition(s, e)
				want, ok := allowed[key{s, e}]
				if ok {
					if err != nil || to != want.to || eff != want.eff {
						t.Fatalf("got %s %q %v, want %s %q", to, eff, err, want.to, want.eff)
					}
					return
				}
				if !apperr.Is(err, apperr.CodeInvalidState) {
					t.Fatalf("want invalid_state, got %s %v", to, err)
				}
				if apperr.From(err).Title == "" || apperr.From(err).Extra["status"] != string(s) {
					t.Fatalf("refusal lacks its Chinese text or status: %+v", apperr.From(err))
				}
			})
			if _, ok := allowed[key{s, e}]; ok {
				seen++
			}
		}
	}
	if seen != len(allowed) || len(transitions) != len(allowed) {
		t.Fatalf("table has %d transitions, test expects %d (walked %d)", len(transitions), len(allowed), seen)
	}
}

func TestFinalStatuses(t *testing.T) {
	t.Parallel()
	final := map[Status]bool{StatusRejected: true, StatusWithdrawn: true, StatusExpired: true, StatusReturnedToPool: true}
	for _, s := range Statuses() {
		if s.Final() != final[s] {
			t.Errorf("%s: Final() = %v", s, s.Final())
		}
		if s.Label() == "" {
			t.Errorf("%s has no label", s)
		}
	}
}

func TestUnknownEventIsBadInput(t *testing.T) {
	t.Parallel()
	if _, _, err := Transition(StatusFiled, "approve"); !apperr.Is(err, apperr.CodeInvalidArgument) {
		t.Fatalf("got %v", err)
	}
}
