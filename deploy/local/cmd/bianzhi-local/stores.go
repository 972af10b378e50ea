package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/alicebob/miniredis/v2"

	"github.com/bianzhi/bianzhi/pkg/testkit"
)

// runStores serves only the embedded stores on the given addresses, so service binaries (bin/<name>)
// can run as separate processes exactly as in Kubernetes: used to measure each service's own memory
// and by the chaos tool (tests/e2e/chaos), which kills and restarts them.
func runStores(ctx context.Context, data, mongoAddr, redisAddr string) int {
	f, err := testkit.StartFerretDBAt(filepath.Join(data, "ferretdb"), mongoAddr, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bianzhi-local:", err)
		return 1
	}
	defer f.Stop()
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr(redisAddr); err != nil {
		fmt.Fprintln(os.Stderr, "bianzhi-local: redis:", err)
		return 1
	}
	defer m.Close()
	fmt.Printf("MONGO_URI=%s\nREDIS_ADDR=%s\n", f.URI, m.Addr())
	<-ctx.Done()
	return 0
}
