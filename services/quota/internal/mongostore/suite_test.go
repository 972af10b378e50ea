package mongostore_test

import (
	"testing"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/storetest"
)

// TestStoreSuite runs the store suite on embedded FerretDB, each case on a
// fresh database: the in-memory store of the simulator passes the same one.
func TestStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) ledger.Store { return newStore(t) })
}
