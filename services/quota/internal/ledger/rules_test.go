package ledger

import (
	"testing"
	"time"
)

func TestNewIncumbent(t *testing.T) {
	t.Parallel()
	good := HireRequest{IDNumber: withCheck("14010519900307123"), Name: "张三", Unit: "u1", Kind: KindAdministrative,
		Channel: ChannelExam, EntryDate: "2015-09-01", DocNo: "录〔2015〕3号"}
	mod := func(f func(r *HireRequest)) HireRequest { r := good; f(&r); return r }
	tests := []struct {
		name  string
		req   HireRequest
		field string
	}{
		{"valid", good, ""},
		{"bad id", mod(func(r *HireRequest) { r.IDNumber = "140105199003071230" }), "rows[3].idNumber"},
		{"no name", mod(func(r *HireRequest) { r.Name = "" }), "rows[3].name"},
		{"unknown kind", mod(func(r *HireRequest) { r.Kind = "vip" }), "rows[3].kind"},
		{"unknown channel", mod(func(r *HireRequest) { r.Channel = "friend" }), "rows[3].channel"},
		{"bad date", mod(func(r *HireRequest) { r.EntryDate = "2015/09/01" }), "rows[3].entryDate"},
		{"hired as a child", mod(func(r *HireRequest) { r.EntryDate = "2000-01-01" }), "rows[3].entryDate"},
		{"bad unit", mod(func(r *HireRequest) { r.Unit = "a:b" }), "rows[3].unit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inc, err := NewIncumbent("rows[3].", tc.req, today)
			if tc.field == "" {
				if err != nil || inc.Gender != GenderMale || inc.Account != UnitAccount("u1", KindAdministrative) || inc.State != IncumbentPending {
					t.Fatalf("NewIncumbent = %+v, %v", inc, err)
				}
				return
			}
			var e *Error
			if !asErr(err, &e) || e.Field != tc.field {
				t.Fatalf("NewIncumbent error = %v, want field %s", err, tc.field)
			}
		})
	}
}

func TestCheckNotBlocked(t *testing.T) {
	t.Parallel()
	b := Blocks{"dept-edu": {"case-1"}, "u9": {"case-2"}, "u5": nil}
	tests := []struct {
		unit, dept string
		blocked    bool
	}{
		{"u1", "dept-edu", true}, // the department's case blocks all its units
		{"u9", "", true},
		{"u5", "dept-health", false}, // a closed case leaves an empty list
		{"u1", "", false},
	}
	for _, tc := range tests {
		err := CheckNotBlocked(b, tc.unit, tc.dept)
		if (CodeOf(err) == CodeRectificationPending) != tc.blocked {
			t.Errorf("CheckNotBlocked(%s, %s) = %v, want blocked=%v", tc.unit, tc.dept, err, tc.blocked)
		}
	}
}

func TestNewUsagePlanAndHold(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC) // already 2026 in Beijing
	tests := []struct {
		name  string
		req   PlanRequest
		field string
	}{
		{"this year in China", PlanRequest{Unit: "u1", Kind: KindAdministrative, Count: 3, Purpose: "补充执法力量", Year: 2026}, ""},
		{"next year", PlanRequest{Unit: "u1", Kind: KindAdministrative, Count: 3, Purpose: "p", Year: 2027}, ""},
		{"last year", PlanRequest{Unit: "u1", Kind: KindAdministrative, Count: 3, Purpose: "p", Year: 2025}, "year"},
		{"zero count", PlanRequest{Unit: "u1", Kind: KindAdministrative, Count: 0, Purpose: "p", Year: 2026}, "count"},
		{"no purpose", PlanRequest{Unit: "u1", Kind: KindAdministrative, Count: 1, Year: 2026}, "purpose"},
	}
	for _, tc := range tests {
		p, err := NewUsagePlan("p1", tc.req, "me", now)
		if tc.field != "" {
			var e *Error
			if !asErr(err, &e) || e.Field != tc.field {
				t.Errorf("%s: error = %v, want field %s", tc.name, err, tc.field)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		h, err := NewHold("h1", p.HoldRequest(now), "me", now)
		if err != nil {
			t.Fatalf("%s: hold: %v", tc.name, err)
		}
		if want := time.Date(tc.req.Year+1, 1, 1, 0, 0, 0, 0, China); !h.ExpiresAt.Equal(want) {
			t.Errorf("%s: hold expires %v, want %v", tc.name, h.ExpiresAt, want)
		}
		if h.Expired(now) || !h.Expired(h.ExpiresAt) {
			t.Errorf("%s: Expired is wrong around %v", tc.name, h.ExpiresAt)
		}
	}
}

func TestIdempotency(t *testing.T) {
	t.Parallel()
	if ScopedID("t", "alice", "k1") == ScopedID("t", "bob", "k1") {
		t.Fatal("two callers' identical keys map to one record")
	}
	first, again := ScopedID("t", "alice", "k1"), ScopedID("t", "alice", "k1")
	if first != again {
		t.Fatal("ScopedID is not deterministic: a retry would not find its first result")
	}
	if Fingerprint(MoveRequest{Amount: 1}) == Fingerprint(MoveRequest{Amount: 2}) {
		t.Fatal("different requests share a fingerprint")
	}
	for _, k := range []string{"", "has space", string(make([]byte, 201)), "中文"} {
		if ValidIdempotencyKey(k) == nil {
			t.Errorf("ValidIdempotencyKey(%q) accepted", k)
		}
	}
	if err := ValidIdempotencyKey("0b8e-44c1:retry_1"); err != nil {
		t.Errorf("a normal key was refused: %v", err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	k := KindAdministrative
	accounts := map[AccountID]Account{}
	for _, a := range []Account{
		acct(t, ControlAccount("140105", k), ""), acct(t, UnitAccount("u1", k), "140105"),
		acct(t, UnitAccount("u2", k), "140106"), acct(t, ExternalAccount(LevelProvince, k), ""),
	} {
		accounts[a.ID] = a
	}
	now := time.Now()
	var entries []Entry
	heads := map[AccountID]Entry{}
	post := func(t *testing.T, tr Transfer) {
		t.Helper()
		for i, l := range tr.Legs {
			e, err := NextEntry(heads[l.Account], l.Account, l.Delta, tr, i, now)
			if err != nil {
				t.Fatalf("NextEntry: %v", err)
			}
			heads[l.Account] = e
			entries = append(entries, e)
		}
	}
	ctl, u1, u2, ext := ControlAccount("140105", k), UnitAccount("u1", k), UnitAccount("u2", k), ExternalAccount(LevelProvince, k)
	post(t, Transfer{ID: "t1", Kind: TransferAdjustControl, Legs: []Leg{{ext, Delta{Approved: -10}}, {ctl, Delta{Approved: 10}}}})
	post(t, Transfer{ID: "t2", Kind: TransferApprove, Legs: []Leg{{ctl, Delta{Approved: -4}}, {u1, Delta{Approved: 4}}}})
	post(t, Transfer{ID: "t3", Kind: TransferHire, Legs: []Leg{{u1, Delta{Occupied: 2}}}})
	if ps := Check(accounts, entries, nil); len(ps) != 0 {
		t.Fatalf("a clean ledger has problems: %+v", ps)
	}

	tests := []struct {
		name  string
		spoil func(es []Entry) []Entry
		rule  string
	}{
		{"tampered balance", func(es []Entry) []Entry { es[3].Balance.Approved = 99; return es }, RuleReplay},
		{"missing entry", func(es []Entry) []Entry { return append(es[:3:3], es[4:]...) }, RuleSequence},
		{"overdrawn", func(es []Entry) []Entry {
			es[4].Delta.Occupied, es[4].Balance.Occupied = 5, 5
			return es
		}, RuleNoNegative},
		{"quota created", func(es []Entry) []Entry {
			es[1].Delta.Approved, es[1].Balance.Approved = 11, 11
			es[2].Balance.Approved = 7
			return es
		}, RuleZeroSum},
		{"approve leaked across regions", func(es []Entry) []Entry {
			es = append([]Entry(nil), es...)
			es = append(es, Entry{ID: EntryID(u2, 1), Account: u2, Seq: 1, TransferID: "t9", Kind: TransferApprove,
				Delta: Delta{Approved: 1}, Balance: Balance{Approved: 1}},
				Entry{ID: EntryID(u1, 4), Account: u1, Seq: 4, TransferID: "t9", Kind: TransferApprove,
					Delta: Delta{Approved: -1}, Balance: Balance{Approved: 3, Occupied: 2}})
			return es
		}, RuleRegionTotals},
	}
	for _, tc := range tests {
		es := tc.spoil(append([]Entry(nil), entries...))
		found := false
		for _, p := range Check(accounts, es, nil) {
			found = found || p.Rule == tc.rule
		}
		if !found {
			t.Errorf("%s: Check did not report %s", tc.name, tc.rule)
		}
	}
	if ps := Check(accounts, entries[:4], map[string]bool{}); len(ps) != 0 {
		t.Errorf("prefix of a clean ledger has problems: %+v", ps)
	}
}

func TestBalanceAt(t *testing.T) {
	t.Parallel()
	d := func(day int) time.Time { return time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC) }
	es := []Entry{{Seq: 1, At: d(1), Balance: Balance{Approved: 5}}, {Seq: 2, At: d(10), Balance: Balance{Approved: 5, Occupied: 1}}}
	tests := []struct {
		at   time.Time
		want Balance
	}{
		{d(1), Balance{}},
		{d(2), Balance{Approved: 5}},
		{d(10), Balance{Approved: 5}},
		{d(11), Balance{Approved: 5, Occupied: 1}},
	}
	for _, tc := range tests {
		if got := BalanceAt(es, tc.at); got != tc.want {
			t.Errorf("BalanceAt(%v) = %+v, want %+v", tc.at, got, tc.want)
		}
	}
}
