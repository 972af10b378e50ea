package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/bianzhi/bianzhi/deploy/local/stack"
	"github.com/bianzhi/bianzhi/pkg/gb11643"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/units/demo"
)

// contend measures contended writes on the demo city (issue 9): attempts
// hires, each a different person under its own key, sent at once through
// the gateway into one unit account left with exactly vacancies vacant
// posts. It prints how long they took to settle, the latency of each, and
// how many were hired and refused; exactly vacancies must be hired.
func contend(ctx context.Context, s *stack.Stack, data string, attempts, vacancies int) error {
	if err := loadDemo(ctx, s, data); err != nil {
		return err
	}
	token, err := s.Login(ctx, "city_admin", stack.DemoPassword)
	if err != nil {
		return err
	}
	call := func(method, path, key string, body any, out any) (int, error) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequestWithContext(ctx, method, s.Gateway+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if out != nil && resp.StatusCode < 300 {
			return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	// The demo HR unit's account with the most approved posts.
	var bal struct {
		Accounts []client.Account `json:"accounts"`
	}
	if st, err := call(http.MethodGet, "/api/quota/v1/balances?unit="+demo.HRUnit, "", nil, &bal); err != nil || st != 200 {
		return fmt.Errorf("read the unit's balances: %d %v", st, err)
	}
	sort.Slice(bal.Accounts, func(i, j int) bool { return bal.Accounts[i].Balance.Approved > bal.Accounts[j].Balance.Approved })
	if len(bal.Accounts) == 0 {
		return fmt.Errorf("unit %s has no account", demo.HRUnit)
	}
	acc := bal.Accounts[0]
	run := time.Now().Format("150405")
	// Leave exactly `vacancies` vacant: hold the rest, or approve what is missing.
	switch v := acc.Balance.Vacant; {
	case v > int64(vacancies):
		hold := client.PlaceHold{Account: acc.ID, Amount: v - int64(vacancies), Purpose: "压测预留", ExpiresAt: time.Now().Add(time.Hour)}
		if st, err := call(http.MethodPost, "/api/quota/v1/holds", "contend-hold-"+run, hold, nil); err != nil || st >= 300 {
			return fmt.Errorf("hold the extra vacancies: %d %v", st, err)
		}
	case v < int64(vacancies):
		mv := client.TransferRequest{Kind: "approve", From: "pool:control:" + acc.Region + ":" + acc.Kind, To: acc.ID,
			Amount: int64(vacancies) - v, DocNo: "压测〔2026〕1号"}
		if st, err := call(http.MethodPost, "/api/quota/v1/transfers", "contend-approve-"+run, mv, nil); err != nil || st >= 300 {
			return fmt.Errorf("approve the missing vacancies: %d %v", st, err)
		}
	}
	type answer struct {
		status int
		took   time.Duration
	}
	answers := make([]answer, attempts)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			h := client.Hire{IDNumber: contendID(i, run), Name: fmt.Sprintf("压测%d", i), Unit: demo.HRUnit, Kind: acc.Kind,
				Channel: "open_recruitment", EntryDate: "2026-11-01"}
			t0 := time.Now()
			st, err := call(http.MethodPost, "/api/quota/v1/incumbents", fmt.Sprintf("contend-%s-%d", run, i), h, nil)
			if err != nil {
				st = -1
			}
			answers[i] = answer{st, time.Since(t0)}
		}()
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	settled := time.Since(start)
	count := map[int]int{}
	var lat []time.Duration
	for _, a := range answers {
		count[a.status]++
		lat = append(lat, a.took)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(time.Millisecond) }
	fmt.Printf("contended hires: %d attempts into %s with %d vacancies settled in %s (p50 %s, p95 %s, max %s); answers %v\n",
		attempts, acc.ID, vacancies, settled.Round(time.Millisecond), pct(0.5), pct(0.95), pct(1), count)
	if count[201] != vacancies || count[409] != attempts-vacancies {
		return fmt.Errorf("want %d hired and %d refused, got %v", vacancies, attempts-vacancies, count)
	}
	return nil
}

// contendID returns a valid GB 11643 ID number for attempt i of run. Each run takes its own birth
// date (from the time of day), so the people of one run never collide with those of an earlier one.
func contendID(i int, run string) string {
	n, _ := strconv.Atoi(run)
	base := n % 336
	return gb11643.Number("140105", time.Date(1990, time.Month(1+base/28), 1+base%28, 0, 0, 0, 0, time.UTC), i)
}
