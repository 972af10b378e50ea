package gb11643

import (
	"testing"
	"time"
)

func TestCheckChar(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ number string }{
		{"11010519491231002X"}, // the standard's example
		{"440524188001010014"},
	} {
		if got := CheckChar(tc.number); got != tc.number[17] {
			t.Errorf("%s: check %c, want %c", tc.number, got, tc.number[17])
		}
	}
	if n := Number("110105", time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), 2); n != "11010519491231002X" {
		t.Errorf("Number: %s", n)
	}
}
