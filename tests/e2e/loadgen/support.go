package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/bianzhi/bianzhi/deploy/local/stack"
)

func numCPU() int { return runtime.GOMAXPROCS(0) }

func redisFor(addr string) (string, func()) {
	if addr != "" {
		return addr, func() {}
	}
	m, err := miniredis.Run()
	if err != nil {
		panic(err)
	}
	return m.Addr(), m.Close
}

// gatewayRun starts the local stack and measures a token-checked request through the gateway to a
// service, next to the same request sent to the service directly, and the process's resident memory
// idle and after the load.
func gatewayRun(redisAddr string, conc int, d time.Duration) ([]result, error) {
	dir, err := os.MkdirTemp("", "bianzhi-load-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	s, err := stack.Start(context.Background(), stack.Options{DataDir: dir, RedisAddr: redisAddr, LogLevel: "error"})
	if err != nil {
		return nil, err
	}
	defer s.Stop()
	token, err := s.Login(context.Background(), "city_admin", stack.DemoPassword)
	if err != nil {
		return nil, err
	}
	h := http.Header{"Authorization": {"Bearer " + token}}
	idle := rssMiB()
	direct := run("service /v1/whoami direct (token check)", s.URL("enforcement")+"/v1/whoami", h, conc, d)
	via := run("same through the gateway", s.Gateway+"/api/enforcement/v1/whoami", h, conc, d)
	fmt.Printf("local stack resident memory (all six services, FerretDB, Redis in one process): idle %d MiB, after load %d MiB\n", idle, rssMiB())
	return []result{direct, via}, nil
}

// rssMiB reads the process's resident set size from /proc (Linux only; 0 elsewhere).
func rssMiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
		}
	}
	return 0
}
