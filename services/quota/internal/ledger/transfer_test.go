package ledger

import (
	"testing"
	"time"
)

func acct(t *testing.T, id AccountID, region string) Account {
	t.Helper()
	a, err := NewAccount(id, region, "", "", time.Now())
	if err != nil {
		t.Fatalf("NewAccount(%s): %v", id, err)
	}
	return a
}

func TestPlanMove(t *testing.T) {
	t.Parallel()
	k := KindAdministrative
	ctlCity := acct(t, ControlAccount("140100", k), "")
	ctlXD := acct(t, ControlAccount("140105", k), "")
	ctlStreet := acct(t, ControlAccount("140105001", k), "")
	ctlOtherCity := acct(t, ControlAccount("140200", k), "")
	u1 := acct(t, UnitAccount("u1", k), "140105")
	u2 := acct(t, UnitAccount("u2", k), "140105")
	u3 := acct(t, UnitAccount("u3", k), "140106")
	uInst := acct(t, UnitAccount("u1", KindInstitutionFull), "140105")
	gone := acct(t, UnitAccount("gone", k), "140105")
	gone.Abolished = true
	rec := acct(t, RecoveredAccount("140100", k), "")
	talent := acct(t, TalentAccount("city", k), "140100")
	ext := acct(t, ExternalAccount(LevelProvince, k), "")

	tests := []struct {
		name     string
		kind     TransferKind
		from, to Account
		amount   int64
		docNo    string
		code     Code
		field    string
	}{
		{"approve within region", TransferApprove, ctlXD, u1, 5, "晋编〔2025〕1号", "", ""},
		{"approve across regions", TransferApprove, ctlCity, u1, 5, "d", CodeInvalidArgument, "to"},
		{"approve needs a document", TransferApprove, ctlXD, u1, 5, "", CodeInvalidArgument, "docNo"},
		{"zero amount", TransferApprove, ctlXD, u1, 0, "d", CodeInvalidArgument, "amount"},
		{"negative amount", TransferApprove, ctlXD, u1, -3, "d", CodeInvalidArgument, "amount"},
		{"huge amount", TransferApprove, ctlXD, u1, MaxAmount + 1, "d", CodeInvalidArgument, "amount"},
		{"move between units", TransferMoveUnit, u1, u2, 1, "d", "", ""},
		{"move to self", TransferMoveUnit, u1, u1, 1, "d", CodeInvalidArgument, "to"},
		{"move across kinds", TransferMoveUnit, u1, uInst, 1, "d", CodeInvalidArgument, "to"},
		{"move across regions needs move_level", TransferMoveUnit, u1, u3, 1, "d", CodeInvalidArgument, "to"},
		{"move to an abolished unit", TransferMoveUnit, u1, gone, 1, "d", CodeAccountAbolished, "to"},
		{"move out of an abolished unit", TransferMoveUnit, gone, u1, 1, "d", "", ""},
		{"city to street", TransferMoveLevel, ctlCity, ctlStreet, 150, "d", "", ""},
		{"county to township", TransferMoveLevel, ctlXD, ctlStreet, 808, "d", "", ""},
		{"city to county", TransferMoveLevel, ctlCity, ctlXD, 1391, "d", "", ""},
		{"between unrelated regions", TransferMoveLevel, ctlXD, ctlOtherCity, 1, "d", CodeInvalidArgument, "to"},
		{"same level", TransferMoveLevel, ctlXD, u2, 1, "d", CodeInvalidArgument, "to"},
		{"recover to the city pool", TransferRecover, u1, rec, 2, "d", "", ""},
		{"reallocate to a unit", TransferReallocate, rec, u3, 2, "d", "", ""},
		{"adjust control up", TransferAdjustControl, ext, ctlCity, 100, "d", "", ""},
		{"adjust control into a unit", TransferAdjustControl, ext, u1, 100, "d", CodeInvalidArgument, "to"},
		{"lend without a document", TransferLend, talent, u1, 1, "", "", ""},
		{"return", TransferReturn, u1, talent, 1, "", "", ""},
		{"hire is not a move", TransferHire, u1, u2, 1, "d", CodeInvalidArgument, "kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			legs, err := PlanMove(MoveRequest{Kind: tc.kind, From: tc.from.ID, To: tc.to.ID, Amount: tc.amount, DocNo: tc.docNo}, tc.from, tc.to)
			if CodeOf(err) != tc.code {
				t.Fatalf("PlanMove error = %v, want code %q", err, tc.code)
			}
			if tc.code != "" {
				var e *Error
				asErr(err, &e)
				if e.Field != tc.field {
					t.Fatalf("error field = %q, want %q", e.Field, tc.field)
				}
				return
			}
			if err := CheckLegs(legs); err != nil {
				t.Fatalf("planned legs are not well formed: %v", err)
			}
			if legs[0].Account != tc.from.ID || legs[0].Delta.Approved != -tc.amount {
				t.Fatalf("first leg %+v is not the debit", legs[0])
			}
		})
	}
}

func TestCheckLegs(t *testing.T) {
	t.Parallel()
	a, b := UnitAccount("a", KindAdministrative), UnitAccount("b", KindAdministrative)
	tests := []struct {
		name string
		legs []Leg
		ok   bool
	}{
		{"balanced move", []Leg{{a, Delta{Approved: -1}}, {b, Delta{Approved: 1}}}, true},
		{"single-account hire", []Leg{{a, Delta{Occupied: 1}}}, true},
		{"no legs", nil, false},
		{"creates quota", []Leg{{a, Delta{Approved: 1}}}, false},
		{"unbalanced", []Leg{{a, Delta{Approved: -1}}, {b, Delta{Approved: 2}}}, false},
		{"debit after credit", []Leg{{b, Delta{Approved: 1}}, {a, Delta{Approved: -1}}}, false},
		{"same account twice", []Leg{{a, Delta{Approved: -1}}, {a, Delta{Approved: 1}}}, false},
		{"empty leg", []Leg{{a, Delta{}}}, false},
	}
	for _, tc := range tests {
		if err := CheckLegs(tc.legs); (err == nil) != tc.ok {
			t.Errorf("%s: CheckLegs = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
