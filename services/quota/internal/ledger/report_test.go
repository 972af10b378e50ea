package ledger

import (
	"testing"
	"time"
)

func TestReports(t *testing.T) {
	t.Parallel()
	k := KindAdministrative
	accts := map[AccountID]Account{}
	for _, a := range []Account{
		acct(t, ExternalAccount(LevelProvince, k), ""), acct(t, ControlAccount("140100", k), ""),
		acct(t, ControlAccount("140105", k), ""), acct(t, ControlAccount("140105001", k), ""),
		acct(t, UnitAccount("u1", k), "140105"),
	} {
		accts[a.ID] = a
	}
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, China) }
	heads := map[AccountID]Entry{}
	var es []Entry
	post := func(id string, kind TransferKind, when time.Time, legs ...Leg) {
		for i, l := range legs {
			e, err := NextEntry(heads[l.Account], l.Account, l.Delta, Transfer{ID: id, Kind: kind}, i, when)
			if err != nil {
				t.Fatal(err)
			}
			heads[l.Account], es = e, append(es, e)
		}
	}
	ext, city, xd, street, u1 := ExternalAccount(LevelProvince, k), ControlAccount("140100", k), ControlAccount("140105", k), ControlAccount("140105001", k), UnitAccount("u1", k)
	post("t1", TransferAdjustControl, at(2024, 12, 1), Leg{ext, Delta{Approved: -3000}}, Leg{city, Delta{Approved: 3000}})
	post("t2", TransferMoveLevel, at(2025, 3, 1), Leg{city, Delta{Approved: -1391}}, Leg{xd, Delta{Approved: 1391}})
	post("t3", TransferMoveLevel, at(2025, 3, 9), Leg{xd, Delta{Approved: -808}}, Leg{street, Delta{Approved: 808}})
	post("t4", TransferApprove, at(2025, 4, 2), Leg{xd, Delta{Approved: -10}}, Leg{u1, Delta{Approved: 10}})
	post("t5", TransferHire, at(2025, 4, 3), Leg{u1, Delta{Occupied: 2}})

	y2025, y2026 := at(2025, 1, 1).Add(-12*time.Hour), at(2026, 1, 1).Add(-12*time.Hour)
	rf := RollForwards(accts, es, "140100", y2025, y2026)
	want := map[string]RollForward{
		"140100":    {Opening: 3000, In: 0, Out: 1391, Closing: 1609},
		"140105":    {Opening: 0, In: 1401, Out: 818, Closing: 583}, // the control total and u1: gross flows
		"140105001": {Opening: 0, In: 808, Out: 0, Closing: 808},
	}
	var sum int64
	for _, l := range rf {
		sum += l.Closing
		if w, ok := want[l.Region]; ok {
			if l.Opening != w.Opening || l.In != w.In || l.Out != w.Out || l.Closing != w.Closing {
				t.Errorf("roll-forward %s = %+v, want %+v", l.Region, l, w)
			}
		}
	}
	if sum != 3000 {
		t.Errorf("closings sum to %d, want the 3000 the province gave (zero growth)", sum)
	}
	lm := LevelMoves(accts, es, y2025, y2026)
	if len(lm) != 2 || lm[0] != (LevelMove{From: LevelCity, To: LevelCounty, Kind: k, Posts: 1391, Transfers: 1}) ||
		lm[1] != (LevelMove{From: LevelCounty, To: LevelTownship, Kind: k, Posts: 808, Transfers: 1}) {
		t.Errorf("level moves = %+v", lm)
	}
	fl := MonthlyFlows(accts, es, "140105", y2025, y2026)
	var hires int64
	for _, f := range fl {
		if f.Month == "2025-04" && f.Kind == TransferHire {
			hires = f.Occupied
		}
	}
	if hires != 2 {
		t.Errorf("April hires = %d, want 2 (flows %+v)", hires, fl)
	}
}
