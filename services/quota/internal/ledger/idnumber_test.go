package ledger

import (
	"testing"
	"time"
)

var today = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// withCheck appends the correct check character to 17 digits.
func withCheck(first17 string) string { return first17 + string(IDCheckDigit(first17)) }

func TestParseIdentity(t *testing.T) {
	t.Parallel()
	good := withCheck("14010519900307123") // 17th digit 3: odd → male
	wrongCheck := good[:17] + string("0123456789X"[(indexOf(good[17])+1)%11])
	tests := []struct {
		name    string
		in      string
		wantErr bool
		gender  Gender
		birth   string
	}{
		{"valid male", good, false, GenderMale, "1990-03-07"},
		{"valid female", withCheck("14010519851231002"), false, GenderFemale, "1985-12-31"},
		{"known real-format sample with X", "11010519491231002X", false, GenderFemale, "1949-12-31"},
		{"lower-case x is normalised", "11010519491231002x", false, GenderFemale, "1949-12-31"},
		{"wrong check digit", wrongCheck, true, "", ""},
		{"too short", "1401051990030712", true, "", ""},
		{"letters", "14010519900307A23X", true, "", ""},
		{"impossible date", withCheck("14010519900231123"), true, "", ""},
		{"born in the future", withCheck("14010520300101123"), true, "", ""},
		{"unknown province", withCheck("99010519900307123"), true, "", ""},
		{"empty", "", true, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id, err := ParseIdentity("idNumber", tc.in, today)
			if tc.wantErr {
				if CodeOf(err) != CodeInvalidArgument {
					t.Fatalf("ParseIdentity(%q) error = %v, want invalid_argument", tc.in, err)
				}
				var e *Error
				_ = asErr(err, &e)
				if e.Field != "idNumber" || e.Message == "" || e.Detail == "" {
					t.Fatalf("error %+v lacks field/message/detail", e)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseIdentity(%q): %v", tc.in, err)
			}
			if id.Gender != tc.gender || id.BirthDate.Format(time.DateOnly) != tc.birth {
				t.Fatalf("got gender %s birth %s, want %s %s", id.Gender, id.BirthDate.Format(time.DateOnly), tc.gender, tc.birth)
			}
			if id.Number[17] == 'x' {
				t.Fatalf("check character not normalised: %s", id.Number)
			}
		})
	}
}

func indexOf(c byte) int {
	for i := 0; i < 11; i++ {
		if "0123456789X"[i] == c {
			return i
		}
	}
	return -1
}
