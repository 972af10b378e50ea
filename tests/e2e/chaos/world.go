package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/pkg/gb11643"
)

// The world the run works on: a garden bureau, 22 park offices merged during the run into one park
// service centre, and three work units where people are hired and leave while processes die.
const (
	kind      = "institution_full"
	region    = "140100"
	garden    = "CH-GARDEN"
	centre    = "CH-CENTRE"
	proposal  = "P-CHAOS-MERGE"
	parks     = 22
	parkPosts = 10
	parkStaff = 3
)

var (
	workUnits = []string{"CH-WORK-1", "CH-WORK-2", "CH-WORK-3"}
	posts     = map[string]int{centre: 30, "CH-WORK-1": 40, "CH-WORK-2": 40, "CH-WORK-3": 40}
)

func park(i int) string { return fmt.Sprintf("CH-PARK-%02d", i+1) }

func parkIDs() []string {
	out := make([]string, parks)
	for i := range out {
		out[i] = park(i)
	}
	return out
}

// idNumber makes a valid 18-digit resident ID (GB 11643 check character), unique for each n ≥ 0.
func idNumber(n int) string {
	return gb11643.Number("140100", time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/900), 100+n%900)
}

// setupWorld builds the world through the gateway, as the city office (and the demo loader) do:
// the control total, the units, their charters (whose approval opens the quota accounts and approves
// the posts) and the park staff. No process is killed yet. It returns the ID numbers of the park staff.
func setupWorld(ctx context.Context, city *api) ([]string, error) {
	must := func(what, method, path, key string, in any) (answer, error) {
		a := city.call(ctx, writePolicy, method, path, key, in)
		if a.Status < 200 || a.Status >= 300 {
			return a, fmt.Errorf("setup %s: %s %s: %s", what, method, path, a)
		}
		return a, nil
	}
	for i, acc := range []map[string]any{{"id": "ext:province:" + kind}, {"id": "pool:control:" + region + ":" + kind, "region": region}} {
		if _, err := must("account", "POST", "/api/quota/v1/accounts", fmt.Sprintf("chaos-open-%d", i), acc); err != nil {
			return nil, err
		}
	}
	if _, err := must("control total", "POST", "/api/quota/v1/transfers", "chaos-adjust", map[string]any{"kind": "adjust_control",
		"from": "ext:province:" + kind, "to": "pool:control:" + region + ":" + kind, "amount": 1000, "docNo": "晋编〔2026〕1号"}); err != nil {
		return nil, err
	}
	inst := func(id, name string) map[string]any {
		return map[string]any{"id": id, "name": name, "kind": "public_institution", "category": "public_welfare_1",
			"regionCode": region, "effectiveFrom": "2020-01-01", "documentNo": "并编〔2020〕1号"}
	}
	units := []map[string]any{{"id": garden, "name": "太原市园林局（演练）", "kind": "government_department", "regionCode": region,
		"effectiveFrom": "2019-01-01", "rank": "正处级"}, inst(centre, "太原市公园服务中心（演练）")}
	for i := range parks {
		units = append(units, inst(park(i), fmt.Sprintf("太原市第%d公园管理处（演练）", i+1)))
		posts[park(i)] = parkPosts
	}
	for i, w := range workUnits {
		units = append(units, inst(w, fmt.Sprintf("太原市第%d事业中心（演练）", i+1)))
	}
	if _, err := must("units", "POST", "/api/units/v1/batch/units", "chaos-units", map[string]any{"units": units}); err != nil {
		return nil, err
	}
	for _, u := range append(append([]string{centre}, parkIDs()...), workUnits...) {
		if _, err := must("charter of "+u, "POST", "/api/units/v1/units/"+u+"/charters", "chaos-charter-"+u, map[string]any{
			"functions": []map[string]any{{"text": "负责公园和公共事业管理", "workSafety": true}},
			"quotas":    []map[string]any{{"kind": kind, "count": posts[u]}}}); err != nil {
			return nil, err
		}
		if _, err := must("charter approval of "+u, "POST", "/api/units/v1/units/"+u+"/charters/1/approve", "chaos-approve-"+u,
			map[string]any{"documentNo": "并编〔2026〕2号", "effectiveFrom": "2026-01-01"}); err != nil {
			return nil, err
		}
	}
	var rows []map[string]any
	var staff []string
	for i := range parks {
		for j := range parkStaff {
			id := idNumber(i*parkStaff + j)
			staff = append(staff, id)
			rows = append(rows, map[string]any{"idNumber": id, "name": fmt.Sprintf("园职工%d", len(staff)), "unit": park(i),
				"kind": kind, "channel": "exam", "entryDate": "2023-09-01"})
		}
	}
	a, err := must("park staff", "POST", "/api/quota/v1/incumbents/batch", "chaos-park-staff", map[string]any{"rows": rows})
	if err != nil {
		return nil, err
	}
	if f, _ := a.Body["failed"].(float64); f != 0 {
		return nil, fmt.Errorf("setup park staff: %s", a)
	}
	return staff, nil
}
