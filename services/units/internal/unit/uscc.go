package unit

import "strings"

// usccAlphabet is the 31-character set of GB 32100-2015: digits and upper-case letters
// without I, O, Z, S and V, which are too easily confused with digits.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckChar computes the GB 32100 check character for the first 17 characters of a
// unified social credit code. ok is false if the body has the wrong length or a character
// outside the alphabet.
func USCCCheckChar(body string) (byte, bool) {
	if len(body) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, body[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccAlphabet[c], true
}

// orgCodeCheck computes the GB 11714 check character of the 8-character body of an
// organisation code (the 9th to 16th characters of a credit code).
func orgCodeCheck(body string) (byte, bool) {
	w := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		v := strings.IndexByte(usccAlphabet, body[i])
		if v < 0 {
			return 0, false
		}
		sum += v * w[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', true
	case 11:
		return '0', true
	default:
		return byte('0' + c), true
	}
}

// ValidateUSCC checks a unified social credit code: 18 characters of the GB 32100
// alphabet, a 6-digit division code, the embedded GB 11714 organisation-code check
// character and the final GB 32100 check character. The empty string is valid (not
// every historical unit has a code); callers that require one check for it.
func ValidateUSCC(code string) error {
	if code == "" {
		return nil
	}
	bad := func(detail string) error {
		return invalid("invalid_uscc", "uscc", "统一社会信用代码不正确", detail)
	}
	if len(code) != 18 {
		return bad("a unified social credit code has 18 characters")
	}
	if !allDigits(code[2:8]) {
		return bad("characters 3-8 must be the administrative division code")
	}
	oc, ok := orgCodeCheck(code[8:16])
	if !ok {
		return bad("character outside the GB 32100 alphabet")
	}
	if code[16] != oc {
		return bad("organisation code check character (17th) is wrong")
	}
	cc, ok := USCCCheckChar(code[:17])
	if !ok {
		return bad("character outside the GB 32100 alphabet")
	}
	if code[17] != cc {
		return bad("check character (18th) is wrong")
	}
	return nil
}

// MakeUSCC builds a valid code from its parts: the registration authority and type
// (e.g. "12" for a public institution registered by a staffing office), the division
// code and an 8-character organisation code body. The demo generator uses it.
func MakeUSCC(authorityType, division, orgBody string) (string, bool) {
	if len(authorityType) != 2 || len(division) != 6 || len(orgBody) != 8 {
		return "", false
	}
	oc, ok := orgCodeCheck(orgBody)
	if !ok {
		return "", false
	}
	body := authorityType + division + orgBody + string(oc)
	cc, ok := USCCCheckChar(body)
	if !ok {
		return "", false
	}
	return body + string(cc), true
}
