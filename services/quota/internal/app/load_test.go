package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// TestLoad is the load generator behind docs/performance.md. It runs only
// when asked, because it takes a minute and its numbers depend on the
// machine:
//
//	QUOTA_LOAD=1 REDIS_ADDR=127.0.0.1:6379 go test -run TestLoad -v ./internal/app
//
// The machine is shared, so baseline and target alternate in short rounds
// (QUOTA_LOAD_ROUNDS, default 6, of 2 s each) and the ratio is taken over
// the totals: both sides see the same noise.
func TestLoad(t *testing.T) {
	if os.Getenv("QUOTA_LOAD") == "" {
		t.Skip("set QUOTA_LOAD=1 to run the load generator")
	}
	gin.SetMode(gin.ReleaseMode)
	rounds := 6
	if n, err := strconv.Atoi(os.Getenv("QUOTA_LOAD_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	const workers = 50
	const round = 2 * time.Second

	env := testkit.Env(t, map[string]string{"LOG_LEVEL": "error"})
	url := startQuota(t, env)
	tok := testkit.NewTokens(t).CityAdmin(t)
	a := api{t, url, tok}
	seedUnit(a, "u1", 900_000)
	var sample bytes.Buffer
	{
		req, _ := http.NewRequest(http.MethodGet, url+"/v1/accounts/unit:u1:"+kind, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(&sample, resp.Body)
		resp.Body.Close()
	}
	// Baseline for reads: bare gin + one go-redis GET of the same bytes.
	bare := startBareGinRedis(t, sample.Bytes())

	// Baseline for writes: one raw InsertOne per op into the same embedded store.
	rawCol := testkit.Mongo(t).Collection("raw")
	var rawSeq, hireSeq atomic.Int64
	client := benchClient()
	get := func(u, token string) func() error {
		return func() error {
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return nil
		}
	}
	rawInsert := func() error {
		i := rawSeq.Add(1)
		_, err := rawCol.InsertOne(context.Background(), bson.D{{Key: "_id", Value: fmt.Sprintf("unit:u1:administrative#%010d", i)},
			{Key: "account", Value: "unit:u1:administrative"}, {Key: "seq", Value: i}, {Key: "transferLeg", Value: fmt.Sprint("t#", i)},
			{Key: "delta", Value: bson.D{{Key: "occupied", Value: int64(1)}}}, {Key: "at", Value: time.Now()}})
		return err
	}
	hire := func() error {
		i := int(hireSeq.Add(1))
		first := fmt.Sprintf("1401%02d19%02d%02d%02d%03d", i/1_000_000%100, 60+i/100_000%10*3%40, 1+i/10_000%12, 1+i/1000%28, i%1000)
		body, _ := json.Marshal(map[string]string{"idNumber": first + string(ledger.IDCheckDigit(first)), "name": "压测", "unit": "u1",
			"kind": kind, "channel": "exam", "entryDate": "2024-09-01"})
		req, _ := http.NewRequest(http.MethodPost, url+"/v1/incumbents", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", fmt.Sprint("load-", i))
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("hire status %d", resp.StatusCode)
		}
		return nil
	}
	run := func(op func() error) int64 {
		var n atomic.Int64
		var wg sync.WaitGroup
		deadline := time.Now().Add(round)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(deadline) {
					if err := op(); err != nil {
						t.Error(err)
						return
					}
					n.Add(1)
				}
			}()
		}
		wg.Wait()
		return n.Load()
	}
	pairs := []struct {
		name, baseName, targetName string
		base, target               func() error
		goal                       float64
	}{
		{"read", "bare gin + Redis GET", "cached balance read", get(bare, ""), get(url+"/v1/accounts/unit:u1:"+kind, tok), 0.80},
		{"write", "raw FerretDB insert", "hire over HTTP", rawInsert, hire, 0.70},
	}
	for _, p := range pairs {
		var base, target int64
		for i := range rounds {
			b, tg := run(p.base), run(p.target)
			base, target = base+b, target+tg
			t.Logf("%s round %d: %s %.0f/s, %s %.0f/s", p.name, i+1, p.baseName, float64(b)/round.Seconds(), p.targetName, float64(tg)/round.Seconds())
		}
		secs := float64(rounds) * round.Seconds()
		ratio := float64(target) / float64(base)
		t.Logf("%s TOTAL: %s %.0f/s, %s %.0f/s, ratio %.0f%% (goal %.0f%%)", p.name, p.baseName, float64(base)/secs, p.targetName, float64(target)/secs, ratio*100, p.goal*100)
	}
	var chk struct{ OK bool }
	a.must("GET", "/v1/checks/ledger", "", nil, &chk)
	if !chk.OK {
		t.Fatal("ledger check failed after the load")
	}
}
