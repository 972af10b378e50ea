package unit

import "testing"

func TestUSCC(t *testing.T) {
	t.Parallel()
	good, ok := MakeUSCC("12", "140100", "40590123")
	if !ok {
		t.Fatal("MakeUSCC failed")
	}
	swap := []byte(good)
	swap[17] = map[bool]byte{true: '1', false: '0'}[swap[17] == '0']
	oc := []byte(good)
	oc[16] = map[bool]byte{true: '1', false: '0'}[oc[16] == '0']
	tests := []struct {
		name, code string
		valid      bool
	}{
		{"empty is allowed", "", true},
		{"generated", good, true},
		{"published example (Huawei)", "914403001922038216", true},
		{"wrong check character", string(swap), false},
		{"wrong organisation code check", string(oc), false},
		{"too short", good[:17], false},
		{"letter I not in alphabet", "I" + good[1:], false},
		{"division not digits", good[:2] + "1401A0" + good[8:], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateUSCC(tt.code)
			if (err == nil) != tt.valid {
				t.Fatalf("ValidateUSCC(%q) = %v, want valid=%v", tt.code, err, tt.valid)
			}
			if err != nil {
				if e, _ := AsError(err); e == nil || e.Code != "invalid_uscc" || e.Field != "uscc" {
					t.Fatalf("error %v lacks code/field", err)
				}
			}
		})
	}
}
