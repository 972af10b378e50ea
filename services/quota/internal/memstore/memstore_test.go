package memstore_test

import (
	"testing"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/memstore"
	"github.com/bianzhi/bianzhi/services/quota/internal/storetest"
)

// TestStore runs the store suite the FerretDB adapter passes too.
func TestStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) ledger.Store { return memstore.New() })
}
