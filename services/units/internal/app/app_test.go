package app_test

import (
	"testing"

	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/units/inproc"
)

// TestServiceStartsAndGuardsItsAPI is the component smoke test every service shares.
func TestServiceStartsAndGuardsItsAPI(t *testing.T) {
	testkit.SmokeService(t, "units", inproc.Start)
}
