package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bianzhi/bianzhi/pkg/svcclient"

	"github.com/bianzhi/bianzhi/deploy/local/stack"
	unitsclient "github.com/bianzhi/bianzhi/services/units/client"
	"github.com/bianzhi/bianzhi/services/units/demo"
)

// demoSeed fixes the demo dataset: the same seed gives the same city every time.
const demoSeed = 2026

// loadDemo loads the Taiyuan demo dataset through the services' batch APIs on the first start. A
// marker in the data folder records a finished load; an interrupted load is finished by the next
// start (every batch is idempotent).
func loadDemo(ctx context.Context, s *stack.Stack, data string) error {
	marker := filepath.Join(data, "demo-loaded.txt")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	fmt.Println("首次启动：正在通过各服务接口加载太原演示数据 … loading the Taiyuan demo data (first start only)")
	token, err := s.Login(ctx, "city_admin", stack.DemoPassword)
	if err != nil {
		return err
	}
	// The ledger's side is loaded as the units service (which owns units and opens their quota
	// accounts; quota lets no person open a unit's account), the units as the city office.
	svc, err := s.ServiceToken(ctx, "units")
	if err != nil {
		return err
	}
	opts := func(name, token string) svcclient.Options {
		return svcclient.Options{BaseURL: s.URL(name), Service: name, Caller: "bianzhi-local",
			TokenSource: func(context.Context) (string, error) { return token, nil }, Timeout: demo.ClientTimeout}
	}
	uc, err := unitsclient.New(opts("units", token))
	if err != nil {
		return err
	}
	qc, err := svcclient.New(opts("quota", svc))
	if err != nil {
		return err
	}
	start := time.Now()
	rep, err := demo.Load(ctx, uc, demo.QuotaHTTP{C: qc}, demoSeed)
	if err != nil {
		return fmt.Errorf("load (run again to finish it): %w", err)
	}
	took := time.Since(start).Round(time.Millisecond)
	fmt.Printf("演示数据已加载 demo data loaded in %s: %s\n", took, rep)
	return os.WriteFile(marker, []byte(fmt.Sprintf("seed %d loaded %s in %s\n%s\n", demoSeed,
		time.Now().Format(time.RFC3339), took, rep)), 0o644)
}
