package service_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// The benchmarks run 50 concurrent writers (2 cores × 25), the load of the
// issue's wrk -c50 baseline. Compare hires/s with raw inserts/s measured in
// the same run: docs/performance.md records both and their ratio.
const benchParallelism = 25

// BenchmarkRawInsert is the baseline: one InsertOne of an entry-sized
// document per op, the store's raw write rate.
func BenchmarkRawInsert(b *testing.B) {
	db := testkit.Mongo(b)
	col := db.Collection("raw")
	var n atomic.Int64
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			doc := bson.D{{Key: "_id", Value: fmt.Sprintf("unit:u1:administrative#%010d", i)}, {Key: "account", Value: "unit:u1:administrative"},
				{Key: "seq", Value: i}, {Key: "transferId", Value: "t"}, {Key: "transferLeg", Value: fmt.Sprint("t#", i)},
				{Key: "delta", Value: bson.D{{Key: "occupied", Value: int64(1)}}}, {Key: "balance", Value: bson.D{{Key: "approved", Value: int64(9)}}},
				{Key: "at", Value: time.Now()}}
			if _, err := col.InsertOne(context.Background(), doc); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
}

// BenchmarkHire hires one person per op into one unit (the hot account of
// a recruitment drive): the group commit's best and worst case at once,
// since every hire contends for one journal.
func BenchmarkHire(b *testing.B) {
	store := mongostore.New(testkit.Mongo(b))
	if err := store.EnsureIndexes(context.Background()); err != nil {
		b.Fatal(err)
	}
	l := service.New(store, service.Hooks{})
	seed(b, l, 900_000, "u1")
	var n atomic.Int64
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			if _, err := l.Hire(context.Background(), "bench", fmt.Sprint("k", i), benchHire("u1", i)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hires/s")
}

// BenchmarkHoldPost places a one-post hold and hires into it per op: the
// two-phase path of usage plans and talent recruitment.
func BenchmarkHoldPost(b *testing.B) {
	store := mongostore.New(testkit.Mongo(b))
	if err := store.EnsureIndexes(context.Background()); err != nil {
		b.Fatal(err)
	}
	l := service.New(store, service.Hooks{})
	seed(b, l, 900_000, "u1")
	var n atomic.Int64
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			h, err := l.PlaceHold(context.Background(), "bench", fmt.Sprint("h", i), ledger.HoldRequest{Account: ledger.UnitAccount("u1", kind), Amount: 1, ExpiresAt: time.Now().Add(time.Hour)}, "bench", "")
			if err != nil {
				b.Error(err)
				return
			}
			r := benchHire("u1", i)
			r.HoldID = h.ID
			if _, err := l.Hire(context.Background(), "bench", fmt.Sprint("k", i), r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "holds+posts/s")
}

// benchHire returns a valid, unique hire for any i up to ten million.
func benchHire(unit string, i int) ledger.HireRequest {
	first := fmt.Sprintf("1401%02d19%02d%02d%02d%03d", i/1_000_000%100, 60+i/100_000%10*3%40, 1+i/10_000%12, 1+i/1000%28, i%1000)
	return ledger.HireRequest{IDNumber: first + string(ledger.IDCheckDigit(first)), Name: "压测", Unit: unit, Kind: kind,
		Channel: ledger.ChannelExam, EntryDate: "2024-09-01"}
}
