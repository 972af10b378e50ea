package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

type auditPage struct {
	Items []struct {
		ID, RequestID, Subject, Name, Method, Path, Service, Resource, ResourceID, ClientIP string
		Roles                                                                               []string
		Status                                                                              int
		At                                                                                  time.Time
	}
}

func TestAuditRecordsChangesAndOnlyOfficersOfRecordReadThem(t *testing.T) {
	up, _ := recorder(t)
	db := testkit.DatabaseName(t)
	url := startGateway(t, map[string]string{"UNITS_URL": up.URL, "MONGO_DATABASE": db}, platform.Options{})
	admin := login(t, url, "city_admin")
	auditor := login(t, url, "auditor")
	hr := login(t, url, "unit_hr")

	call(t, http.MethodPost, url+"/api/units/v1/units/U-9/abolish", admin.Token, `{}`, "X-Request-ID", "req-audit-1")
	call(t, http.MethodPost, url+"/api/units/v1/units", "", `{}`, "X-Request-ID", "req-audit-2")
	call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"city_admin","password":"guess-guess"}`,
		"X-Request-ID", "req-audit-3")
	call(t, http.MethodGet, url+"/api/units/v1/units", admin.Token, "", "X-Request-ID", "req-audit-get")

	var page auditPage
	eventually(t, "the three changes reach the audit log", func() bool {
		r := call(t, http.MethodGet, url+"/api/v1/audit?limit=500", auditor.Token, "")
		if r.status != 200 {
			t.Fatalf("auditor reads the audit: %d %s", r.status, r.body)
		}
		page = auditPage{}
		r.json(t, &page)
		n := 0
		for _, it := range page.Items {
			if strings.HasPrefix(it.RequestID, "req-audit-") {
				n++
			}
		}
		return n >= 3
	})
	byReq := map[string]int{}
	for i, it := range page.Items {
		byReq[it.RequestID] = i
	}
	if _, ok := byReq["req-audit-get"]; ok {
		t.Fatal("a GET was audited")
	}
	p := page.Items[byReq["req-audit-1"]]
	if p.Subject != "city_admin" || p.Name != "市编办管理员" || len(p.Roles) != 1 || p.Roles[0] != "city_admin" ||
		p.Method != "POST" || p.Path != "/api/units/v1/units/U-9/abolish" || p.Service != "units" ||
		p.Resource != "units" || p.ResourceID != "U-9" || p.Status != 201 || p.ClientIP != "127.0.0.1" ||
		time.Since(p.At) > time.Minute {
		t.Fatalf("proxied change recorded as %+v", p)
	}
	if a := page.Items[byReq["req-audit-2"]]; a.Subject != "" || a.Status != 401 || a.Service != "units" {
		t.Fatalf("refused anonymous change recorded as %+v", a)
	}
	if l := page.Items[byReq["req-audit-3"]]; l.Subject != "city_admin" || l.Status != 401 || l.Service != "gateway" {
		t.Fatalf("failed login recorded as %+v", l)
	}
	for i := 1; i < len(page.Items); i++ {
		if page.Items[i-1].ID < page.Items[i].ID {
			t.Fatal("audit page is not newest first")
		}
	}

	// No password ever reaches the store.
	cl, err := mongox.Connect(context.Background(), testkit.MongoURI(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Disconnect(context.Background())
	cur, err := cl.Database(db).Collection("audit").Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.M
	if err := cur.All(context.Background(), &docs); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(docs)
	if len(docs) < 5 || strings.Contains(string(raw), "guess-guess") || strings.Contains(string(raw), demoPassword) {
		t.Fatalf("audit store holds %d docs: %s", len(docs), raw)
	}

	t.Run("filters", func(t *testing.T) {
		var mine auditPage
		call(t, http.MethodGet, url+"/api/v1/audit?subject=city_admin&limit=2", admin.Token, "").json(t, &mine)
		if len(mine.Items) != 2 {
			t.Fatalf("subject filter with limit 2 gave %d items", len(mine.Items))
		}
		for _, it := range mine.Items {
			if it.Subject != "city_admin" {
				t.Fatalf("subject filter let %q through", it.Subject)
			}
		}
		future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		var none auditPage
		call(t, http.MethodGet, url+"/api/v1/audit?from="+future, admin.Token, "").json(t, &none)
		if len(none.Items) != 0 {
			t.Fatalf("a range in the future holds %d records", len(none.Items))
		}
	})

	t.Run("who may read", func(t *testing.T) {
		cases := []struct {
			name, token string
			status      int
			code        string
		}{
			{"unit HR officer", hr.Token, 403, "forbidden"},
			{"county admin", login(t, url, "xiaodian_admin").Token, 403, "forbidden"},
			{"nobody", "", 401, "unauthenticated"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				call(t, http.MethodGet, url+"/api/v1/audit", tc.token, "").problem(t, tc.status, tc.code)
			})
		}
	})

	t.Run("bad queries", func(t *testing.T) {
		cases := []struct{ query, field string }{
			{"limit=0", "limit"},
			{"limit=501", "limit"},
			{"limit=ten", "limit"},
			{"from=yesterday", "from"},
			{"to=2026-13-01", "to"},
			{"from=2026-03-02&to=2026-03-01", "from"},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				p := call(t, http.MethodGet, url+"/api/v1/audit?"+tc.query, auditor.Token, "").problem(t, 400, "invalid_argument")
				if p["field"] != tc.field {
					t.Fatalf("field %v, want %s", p["field"], tc.field)
				}
			})
		}
	})
}

func TestMetricsCountAuditFailures(t *testing.T) {
	url := startGateway(t, nil, platform.Options{})
	r := call(t, http.MethodGet, url+"/metrics", "", "")
	for _, want := range []string{`bianzhi_audit_write_failures_total{reason="store"} 0`, `bianzhi_build_info{`} {
		if !strings.Contains(string(r.body), want) {
			t.Fatalf("metrics lack %s", want)
		}
	}
}

func TestPortal(t *testing.T) {
	url := startGateway(t, nil, platform.Options{})
	cases := []struct{ path, contentType, contains string }{
		{"/", "text/html", "编制管理平台"},
		{"/portal/app.js", "javascript", "/api/v1/auth/login"},
		{"/portal/style.css", "text/css", "--red"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			r := call(t, http.MethodGet, url+tc.path, "", "")
			if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), tc.contentType) ||
				!strings.Contains(string(r.body), tc.contains) {
				t.Fatalf("%d %s: %.200s", r.status, r.header.Get("Content-Type"), r.body)
			}
			if !strings.Contains(r.header.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Fatal("portal served without its CSP")
			}
		})
	}
	call(t, http.MethodGet, url+"/portal/nosuch.js", "", "").problem(t, 404, "not_found")
	call(t, http.MethodGet, url+"/portal/", "", "").problem(t, 404, "not_found")
	if r := call(t, http.MethodGet, url+"/healthz", "", ""); r.status != 200 || !strings.Contains(string(r.body), "gateway") {
		t.Fatalf("gateway healthz: %d %s", r.status, r.body)
	}
}
