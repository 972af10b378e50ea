package ledger

import (
	"strings"
	"time"

	"github.com/bianzhi/bianzhi/pkg/gb11643"
)

// Gender is derived from an ID number's sequence code: odd for men, even for
// women (GB 11643-1999 §5.3).
type Gender string

// The genders an ID number encodes.
const (
	GenderMale   Gender = "male"
	GenderFemale Gender = "female"
)

// Identity is what a citizen identity number (公民身份号码) says about a
// person: deriving gender and birth date from it, instead of asking for
// them, means they can never contradict the number.
type Identity struct {
	Number    string    // 18 characters, check digit upper-case
	Region    string    // the 6-digit address code
	BirthDate time.Time // UTC midnight
	Gender    Gender
}

// IDCheckDigit computes the ISO 7064 MOD 11-2 check character of the first
// 17 digits of an ID number (gb11643.CheckChar).
func IDCheckDigit(first17 string) byte { return gb11643.CheckChar(first17) }

// ParseIdentity validates an 18-character ID number (GB 11643-1999): 17
// digits, a check character, a province code that exists, and a real birth
// date not after today. A lower-case x check character is accepted and
// normalised, as people type it either way.
func ParseIdentity(field, s string, today time.Time) (Identity, error) {
	bad := func(msg, detail string) (Identity, error) { return Identity{}, Invalid(field, msg, detail) }
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return bad("身份证号码必须为18位", "an ID number has 18 characters")
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return bad("身份证号码前17位必须为数字", "the first 17 characters must be digits")
		}
	}
	if c := s[17]; !(c >= '0' && c <= '9') && c != 'X' {
		return bad("身份证号码校验位必须为数字或X", "the check character must be a digit or X")
	}
	if IDCheckDigit(s) != s[17] {
		return bad("身份证号码校验位不正确", "check digit mismatch")
	}
	if !provinceCodes[s[:2]] {
		return bad("身份证号码地址码不正确", "unknown province code "+s[:2])
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(today) {
		return bad("身份证号码中的出生日期不正确", "invalid birth date "+s[6:14])
	}
	g := GenderFemale
	if (s[16]-'0')%2 == 1 {
		g = GenderMale
	}
	return Identity{Number: s, Region: s[:6], BirthDate: birth, Gender: g}, nil
}

// provinceCodes are the province-level codes of GB/T 2260.
var provinceCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82") {
		m[c] = true
	}
	return m
}()
