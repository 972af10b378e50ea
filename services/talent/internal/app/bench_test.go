package app_test

import (
	"fmt"
	"testing"
)

// The benchmarks drive the talent service over HTTP with the real quota service in-process, both on
// the embedded FerretDB. Run:
//
//	go test -run '^$' -bench . -benchtime 200x ./internal/app/

// BenchmarkFile files cases: a discipline check at quota (two reads) and one insert.
func BenchmarkFile(b *testing.B) {
	s := startStack(b)
	s.office(b).fullUnit("bench-1", "dept-b", 1)
	hr := s.talentAs(b, s.tokens.UnitHR(b, "140105", "bench-1"))
	b.ResetTimer()
	for i := range b.N {
		hr.must("POST", "/v1/cases", fmt.Sprint("b", i), filing("bench-1", i, "research"), nil)
	}
}

// BenchmarkAccept accepts filed cases: a discipline check, a claimed step, two case writes, a step
// outcome and a hold in quota.
func BenchmarkAccept(b *testing.B) {
	s := startStack(b)
	office := s.office(b)
	office.fundPool("research", int64(b.N))
	office.fullUnit("bench-1", "dept-b", 1)
	hr := s.talentAs(b, s.tokens.UnitHR(b, "140105", "bench-1"))
	city := s.talentAs(b, s.tokens.CityAdmin(b))
	ids := make([]string, b.N)
	for i := range ids {
		var c caseView
		hr.must("POST", "/v1/cases", fmt.Sprint("b", i), filing("bench-1", i, "research"), &c)
		ids[i] = c.ID
	}
	b.ResetTimer()
	for _, id := range ids {
		city.must("POST", "/v1/cases/"+id+"/accept", "", nil, nil)
	}
}
