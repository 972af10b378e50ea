// Package gb11643 is the citizen identity number of GB 11643-1999 (公民身份号码): its check character
// (ISO 7064 MOD 11-2) and building a valid number. It is a national standard, not a domain rule, and
// every service, loader and test that makes or checks numbers uses this one copy.
package gb11643

import (
	"fmt"
	"time"
)

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkChars = "10X98765432"

// CheckChar returns the check character of the first 17 digits of a number (first17 must hold at
// least 17 ASCII digits).
func CheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * weights[i]
	}
	return checkChars[sum%11]
}

// Number builds a valid 18-character number from a 6-digit address code, a birth date and a
// 3-digit sequence code (odd for men, even for women).
func Number(region string, birth time.Time, seq int) string {
	body := fmt.Sprintf("%s%s%03d", region, birth.Format("20060102"), seq%1000)
	return body + string(CheckChar(body))
}
