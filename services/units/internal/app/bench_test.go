package app_test

import (
	"net/http"
	"testing"
)

// BenchmarkReads measures the hot reads over HTTP on the real store and Redis: a unit
// by ID (cached history) and the region tree (cached list). Run with
// go test -run '^$' -bench Reads ./internal/app/
func BenchmarkReads(b *testing.B) {
	s := startB(b)
	s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{deptDTO("D-EDU", "太原市教育局", "140100")}})
	for _, path := range []string{"/v1/units/D-EDU", "/v1/regions"} {
		b.Run(path, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", s.url+path, nil)
					req.Header.Set("Authorization", "Bearer "+s.city)
					resp, err := http.DefaultClient.Do(req)
					if err != nil || resp.StatusCode != 200 {
						b.Fatalf("%s: %v %v", path, err, resp)
					}
					resp.Body.Close()
				}
			})
		})
	}
}
