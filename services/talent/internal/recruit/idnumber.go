package recruit

import (
	"strings"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/gb11643"
)

// IDCheckDigit computes the ISO 7064 MOD 11-2 check character of the first 17 digits of a citizen
// identity number (GB 11643-1999; gb11643.CheckChar).
func IDCheckDigit(first17 string) byte { return gb11643.CheckChar(first17) }

// ParseIDNumber validates an 18-character identity number: 17 digits, the right check character
// (a lower-case x is accepted and normalised) and a real birth date not after today. The quota ledger
// checks the same number again on hire; checking it at filing spares the office a case that can
// never be hired.
func ParseIDNumber(field, s string, today time.Time) (string, error) {
	bad := func(title, detail string) (string, error) { return "", apperr.Invalid(field, title, detail) }
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return bad("身份证号码必须为18位", "an ID number has 18 characters")
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return bad("身份证号码前17位必须为数字", "the first 17 characters must be digits")
		}
	}
	if IDCheckDigit(s) != s[17] {
		return bad("身份证号码校验位不正确", "check digit mismatch")
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(today) {
		return bad("身份证号码中的出生日期不正确", "invalid birth date "+s[6:14])
	}
	return s, nil
}

// MaskID hides the middle of an ID number: it is personal data, and lists and logs need only enough
// of it to tell two people apart.
func MaskID(s string) string {
	if len(s) != 18 {
		return "***"
	}
	return s[:6] + "********" + s[14:]
}
