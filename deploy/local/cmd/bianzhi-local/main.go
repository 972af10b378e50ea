// Command bianzhi-local runs the whole Bianzhi platform in one process on its embedded defaults
// (`make run`): FerretDB and a Redis-compatible server in-process, every service on its own loopback
// port, the gateway's portal on :8080. Data stays in $BIANZHI_DATA (default ./.data) between starts.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/bianzhi/bianzhi/deploy/local/stack"
	"github.com/bianzhi/bianzhi/services/units/demo"
)

func main() {
	data := flag.String("data", stack.DefaultDataDir(), "data folder (also $BIANZHI_DATA)")
	port := flag.Int("port", 8080, "gateway port; services use the next five")
	logs := flag.Bool("logs", false, "print the services' JSON logs")
	storesOnly := flag.Bool("stores-only", false, "run only FerretDB (-mongo-addr) and Redis (-redis-addr), for service binaries run as their own processes")
	mongoAddr := flag.String("mongo-addr", "127.0.0.1:27017", "with -stores-only: FerretDB's listen address")
	redisAddr := flag.String("redis-addr", "127.0.0.1:6380", "with -stores-only: the Redis-compatible server's listen address")
	contendN := flag.Int("contend", 0, "measure N concurrent hires into a demo unit with 10 vacancies through the gateway, then exit")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *storesOnly {
		os.Exit(runStores(ctx, *data, *mongoAddr, *redisAddr))
	}
	opts := stack.Options{DataDir: *data, BasePort: *port, RedisAddr: os.Getenv("REDIS_ADDR"), DemoHRUnit: demo.HRUnit}
	if *logs {
		opts.LogOutput = os.Stderr
	}
	start := time.Now()
	s, err := stack.Start(ctx, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bianzhi-local:", err)
		os.Exit(1)
	}
	defer s.Stop()
	if *contendN > 0 {
		if err := contend(ctx, s, *data, *contendN, 10); err != nil {
			fmt.Fprintln(os.Stderr, "bianzhi-local: contend:", err)
			s.Stop()
			os.Exit(1)
		}
		return
	}
	printTable(s, *data, time.Since(start))
	// The portal is usable at once; the demo data arrives in the background on the first start.
	go func() {
		if err := loadDemo(ctx, s, *data); err != nil && ctx.Err() == nil {
			fmt.Fprintln(os.Stderr, "bianzhi-local: demo data:", err)
		}
	}()
	<-ctx.Done()
	fmt.Println("\n正在停止 Bianzhi … stopping")
	s.Stop()
	fmt.Println("已停止。stopped.")
}

func printTable(s *stack.Stack, data string, took time.Duration) {
	fmt.Printf("\nBianzhi 编制管理平台 is running (started in %s; data in %s; Ctrl-C stops)\n\n", took.Round(time.Millisecond), data)
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SERVICE\tURL\tTHROUGH THE GATEWAY")
	for _, svc := range s.Services {
		via := s.Gateway + "/api/" + svc.Name + "/healthz"
		if svc.Name == "gateway" {
			via = s.Gateway + "/  (portal)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", svc.Name, svc.URL, via)
	}
	_ = w.Flush()
	fmt.Println("\nDemo logins (password Bianzhi@2026):")
	w = tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tROLE\tSCOPE")
	fmt.Fprintln(w, "city_admin\t市编办管理员 city_admin\t太原市 140100")
	fmt.Fprintln(w, "city_reviewer\t市编办审核员 city_admin (approves what city_admin files)\t太原市 140100")
	fmt.Fprintln(w, "xiaodian_admin\t小店区编办管理员 county_admin\t小店区 140105")
	fmt.Fprintln(w, "unit_hr\t单位人事专员 unit_hr\t"+demo.HRUnit+"（公园管理处）")
	fmt.Fprintln(w, "auditor\t审计员 auditor\t太原市 140100 (read only)")
	_ = w.Flush()
	fmt.Printf("\nTry: curl -s %s/healthz\n", s.Gateway)
	fmt.Printf("     curl -s -X POST %s/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"username\":\"city_admin\",\"password\":\"Bianzhi@2026\"}'\n\n", s.Gateway)
}
