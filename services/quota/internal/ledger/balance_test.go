package ledger

import "testing"

func TestBalanceApply(t *testing.T) {
	t.Parallel()
	unit := UnitAccount("u1", KindAdministrative)
	ext := ExternalAccount(LevelProvince, KindAdministrative)
	tests := []struct {
		name    string
		account AccountID
		start   Balance
		delta   Delta
		want    Balance
		code    Code
	}{
		{"hire into vacancy", unit, Balance{Approved: 10, Occupied: 9}, Delta{Occupied: 1}, Balance{Approved: 10, Occupied: 10}, ""},
		{"hire into full unit is the red line", unit, Balance{Approved: 10, Occupied: 10}, Delta{Occupied: 1}, Balance{}, CodeQuotaExhausted},
		{"held posts count against vacancy", unit, Balance{Approved: 10, Held: 4, Occupied: 6}, Delta{Occupied: 1}, Balance{}, CodeQuotaExhausted},
		{"hold larger than vacancy", unit, Balance{Approved: 10, Occupied: 8}, Delta{Held: 3}, Balance{}, CodeQuotaExhausted},
		{"post a hold", unit, Balance{Approved: 10, Held: 2, Occupied: 8}, Delta{Held: -1, Occupied: 1}, Balance{Approved: 10, Held: 1, Occupied: 9}, ""},
		{"cannot move out occupied posts", unit, Balance{Approved: 10, Occupied: 8}, Delta{Approved: -3}, Balance{}, CodeQuotaExhausted},
		{"move out vacant posts", unit, Balance{Approved: 10, Occupied: 8}, Delta{Approved: -2}, Balance{Approved: 8, Occupied: 8}, ""},
		{"release below zero", unit, Balance{Approved: 10}, Delta{Occupied: -1}, Balance{}, CodeConflict},
		{"external account may go negative", ext, Balance{}, Delta{Approved: -100}, Balance{Approved: -100}, ""},
		{"external account cannot hold", ext, Balance{}, Delta{Held: 1}, Balance{}, CodeInvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.start.Apply(tc.account, tc.delta)
			if CodeOf(err) != tc.code {
				t.Fatalf("Apply error = %v, want code %q", err, tc.code)
			}
			if tc.code == "" && got != tc.want {
				t.Fatalf("Apply = %+v, want %+v", got, tc.want)
			}
			if tc.code == CodeQuotaExhausted {
				var e *Error
				asErr(err, &e)
				if e.Balance == nil || *e.Balance != tc.start {
					t.Fatalf("refusal carries balance %+v, want %+v", e.Balance, tc.start)
				}
			}
		})
	}
}

func TestDeltaRefusable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    Delta
		want bool
	}{
		{Delta{Approved: 5}, false},
		{Delta{Approved: -5}, true},
		{Delta{Occupied: 1}, true},
		{Delta{Occupied: -1}, true},
		{Delta{Held: -1, Occupied: 1}, true},
		{Delta{Held: -2, Approved: -2}, true},
		{Delta{Approved: 1, Occupied: 1}, false},
		{Delta{Approved: 1, Occupied: 2}, true},
	}
	for _, tc := range tests {
		if got := tc.d.Refusable(); got != tc.want {
			t.Errorf("%+v.Refusable() = %v, want %v", tc.d, got, tc.want)
		}
	}
}
